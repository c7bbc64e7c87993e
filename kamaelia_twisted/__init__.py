"""
Kamaelia-style components on the Twisted reactor.

    >>> from kamaelia_twisted import Pipeline
    >>> from kamaelia_twisted.util import DataSource, Collect
    >>> sink = Collect()
    >>> Pipeline(DataSource(["hello"]), sink).run()
    >>> sink.collected
    ['hello']
"""

from .chassis import (Backplane, BackplaneNotFound, Carousel, ComponentPool, DaskPool, Graphline, Pipeline,
                      PoolExhausted, ProcessPool, PublishTo, Repeat, SchedulerLost, Seq, SubscribeTo,
                      TaskCancelled, TaskFailed, TaskTimedOut, ThreadPool, WorkerCrashed, WorkerLost)
from .core.boxes import BoxFull, noSpaceInBox
from .core.component import Component, ComponentStopped
from .core.ipc import errorOccurred, producerFinished, shutdownMicroprocess
from .core.linkage import BoxAlreadyLinked
from .core.runtime import Runtime
from .core.threaded import ThreadedComponent

__all__ = [
    "Backplane", "Carousel", "Component", "ComponentPool", "DaskPool", "Graphline", "Pipeline",
    "ProcessPool", "PublishTo", "Repeat", "Runtime", "Seq", "SubscribeTo", "ThreadPool", "ThreadedComponent",
    "errorOccurred", "noSpaceInBox", "producerFinished", "shutdownMicroprocess",
    # the exceptions users catch
    "BackplaneNotFound", "BoxAlreadyLinked", "BoxFull", "ComponentStopped", "PoolExhausted",
    "SchedulerLost", "TaskCancelled", "TaskFailed", "TaskTimedOut", "WorkerCrashed", "WorkerLost",
]
