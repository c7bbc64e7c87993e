"""
Components that read files and run processes.
"""

from .readfile import ReadFileAdaptor
from .unixprocess import UnixProcess

__all__ = ["ReadFileAdaptor", "UnixProcess"]
