"""
Kamaelia-style components on the Twisted reactor.

    >>> from kamaelia_twisted import Pipeline
    >>> from kamaelia_twisted.util import DataSource, Collect
    >>> sink = Collect()
    >>> Pipeline(DataSource(["hello"]), sink).run()
    >>> sink.collected
    ['hello']
"""

from .chassis import Backplane, Carousel, Graphline, Pipeline, PublishTo, Seq, SubscribeTo
from .core.boxes import BoxFull, noSpaceInBox
from .core.component import Component
from .core.ipc import errorOccurred, producerFinished, shutdownMicroprocess
from .core.threaded import ThreadedComponent
from .chassis import ComponentPool, ProcessPool, ThreadPool

__all__ = [
    "Backplane", "BoxFull", "Carousel", "Component", "Graphline", "Pipeline", "PublishTo",
    "Seq", "SubscribeTo", "ThreadedComponent", "errorOccurred", "noSpaceInBox",
    "producerFinished", "shutdownMicroprocess",
]
__all__ += ["ComponentPool", "ProcessPool", "ThreadPool"]
