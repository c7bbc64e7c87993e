"""
Small general-purpose components.
"""

from .collect import Collect
from .datasource import DataSource

__all__ = ["Collect", "DataSource"]
