"""
Components that read files.
"""

from .readfile import ReadFileAdaptor

__all__ = ["ReadFileAdaptor"]
