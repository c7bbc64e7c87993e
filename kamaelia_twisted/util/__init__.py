"""
Small general-purpose components.
"""

from .chooser import Chooser
from .collect import Collect
from .datasource import DataSource
from .splitter import TwoWaySplitter
from .transformer import PureTransformer

__all__ = ["Chooser", "Collect", "DataSource", "PureTransformer", "TwoWaySplitter"]
