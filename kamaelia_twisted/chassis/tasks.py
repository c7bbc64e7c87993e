"""
What the pools share about a task: L{TaskFailed}, the result of an item
whose work failed, and the exceptions it may carry when a worker was lost
(L{WorkerCrashed}, L{TaskTimedOut})::

    from twisted.python.failure import Failure
    from kamaelia_twisted.chassis.tasks import TaskFailed, TaskTimedOut

    failed = TaskFailed("item", Failure(TaskTimedOut("took too long")))
    assert failed.failure.check(TaskTimedOut)
"""

from reprlib import repr as shortRepr


class TaskFailed:
    """
    The result of an item whose work failed.

    @ivar item: the item, as it arrived.
    @ivar failure: a L{twisted.python.failure.Failure} saying why.
    """

    def __init__(self, item, failure):
        self.item = item
        self.failure = failure

    def __repr__(self):
        return "TaskFailed(item={}, error={!r})".format(
            shortRepr(self.item), "{}: {}".format(self.failure.type.__name__, self.failure.getErrorMessage()))


class WorkerLost(Exception):
    """
    The worker working on an item was lost before answering.

    @ivar attempts: how many times the item was tried.
    """

    attempts = 1


class WorkerCrashed(WorkerLost):
    """
    The worker process exited or was killed by a signal while working.
    """


class TaskTimedOut(WorkerLost):
    """
    The item took longer than the pool's timeout: its worker process was
    killed, or its thread abandoned.
    """


class NotStarted(Exception):
    """
    The worker was lost before it started on the item; the pool sends the
    item again, and this does not count as an attempt.
    """
