"""
Composition: components made of components.
"""

from .backplane import Backplane, PublishTo, SubscribeTo
from .carousel import Carousel
from .graphline import Graphline
from .pipeline import Pipeline
from .seq import Seq

__all__ = ["Backplane", "Carousel", "Graphline", "Pipeline", "PublishTo", "Seq", "SubscribeTo"]
