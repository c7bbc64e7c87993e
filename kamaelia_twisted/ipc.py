"""
Control messages: see L{kamaelia_twisted.core.ipc}.
"""

from .core.ipc import errorOccurred, ipc, isShutdown, producerFinished, shutdownMicroprocess

__all__ = ["errorOccurred", "ipc", "isShutdown", "producerFinished", "shutdownMicroprocess"]
