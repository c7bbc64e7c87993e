"""
What the pools share about a task: L{TaskFailed}, the result of an item
whose work failed; the exceptions it may carry when a worker was lost
(L{WorkerCrashed}, L{TaskTimedOut}); and L{resolveFunction}, which finds a
task's function by its C{"package.module:function"} name::

    from kamaelia_twisted.chassis.tasks import resolveFunction

    assert resolveFunction("zlib:crc32")(b"spam") == 1138425661
"""

from reprlib import repr as shortRepr

from twisted.python.reflect import namedAny


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


def resolveFunction(name):
    """
    Import and return the callable named C{"package.module:function"}.

    @raise ValueError: if it cannot be imported or is not callable.
    """
    module, colon, path = name.partition(":")
    if not colon or not module or not path:
        raise ValueError('expected "package.module:function", not {!r}'.format(name))
    try:
        found = namedAny("{}.{}".format(module, path))
    except (ImportError, AttributeError, ValueError) as error:
        raise ValueError("cannot import {!r}: {}".format(name, error)) from error
    if not callable(found):
        raise ValueError("{!r} is not callable: {!r}".format(name, found))
    return found
