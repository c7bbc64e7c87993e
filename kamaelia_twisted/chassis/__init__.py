"""
Composition: components made of components.
"""

from .backplane import Backplane, PublishTo, SubscribeTo
from .carousel import Carousel
from .componentpool import ComponentPool
from .graphline import Graphline
from .pipeline import Pipeline
from .processpool import ProcessPool
from .seq import Seq
from .threadpool import ThreadPool

__all__ = ["Backplane", "Carousel", "Graphline", "Pipeline", "PublishTo", "Seq", "SubscribeTo"]
__all__ += ["ComponentPool", "ProcessPool", "ThreadPool"]
