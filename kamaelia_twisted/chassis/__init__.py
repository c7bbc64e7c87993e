"""
Composition: components made of components.
"""

from .backplane import Backplane, BackplaneNotFound, PublishTo, SubscribeTo
from .carousel import Carousel
from .componentpool import ComponentPool, PoolExhausted
from .daskpool import DaskPool, SchedulerLost, TaskCancelled
from .graphline import Graphline
from .pipeline import Pipeline
from .processpool import ProcessPool
from .repeat import Repeat
from .seq import Seq
from .tasks import TaskFailed, TaskTimedOut, WorkerCrashed, WorkerLost
from .threadpool import ThreadPool

__all__ = ["Backplane", "Carousel", "Graphline", "Pipeline", "PublishTo", "Repeat", "Seq", "SubscribeTo"]
__all__ += ["ComponentPool", "DaskPool", "ProcessPool", "ThreadPool"]
__all__ += ["BackplaneNotFound", "PoolExhausted", "SchedulerLost", "TaskCancelled", "TaskFailed", "TaskTimedOut"]
__all__ += ["WorkerCrashed", "WorkerLost"]
