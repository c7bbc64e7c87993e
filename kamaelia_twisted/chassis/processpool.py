"""
L{ProcessPool}: apply an importable function to each item in worker
processes, for CPU-bound work::

    from kamaelia_twisted import Pipeline, ProcessPool
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(
        DataSource([b"spam", b"eggs"]),
        ProcessPool("zlib:crc32", size=2),
        sink,
    ).run()
    assert sink.collected == [1138425661, 2207570030]

The function is named C{"package.module:function"} (or given as a function
object defined at module level), because each worker is a separate Python
process (a plain loop that imports the standard library and the function,
not Twisted; see L{processchild}) that imports it by name; functions defined in
C{__main__}, lambdas and nested functions are refused. Workers get this
process's environment and C{sys.path}, so what imports here imports there.
Items and results must pickle; each travels whole, as one message on a pipe.

A worker that dies while working on an item (a crash, C{os._exit}, a
signal) or that works longer than C{timeout} seconds (it is killed) is
replaced by a fresh process; the item is tried again, up to C{retries} more
times, and then leaves as a L{TaskFailed} whose failure is a
L{WorkerCrashed} or L{TaskTimedOut}. An exception raised by the function
is not retried: it leaves as a L{TaskFailed} carrying that exception, with
the worker's traceback in its notes. Ordering, backpressure and shutdown are
L{TaskPool}'s; the workers are shut down (and waited for) when the
component ends, or when the reactor shuts down first.
"""

import os
import pickle
import sys

from twisted.internet.defer import DeferredList, DeferredQueue, inlineCallbacks

from ..core.names import namedCallable
from .processworker import Worker
from .taskpool import TaskPool
from .tasks import NotStarted, TaskTimedOut, WorkerCrashed, WorkerLost

# The exceptions live in .tasks, shared with the worker side.
__all__ = [
    "NotStarted", "ProcessPool", "TaskTimedOut", "WorkerCrashed", "WorkerLost", "functionName",
]

PIPELINE = 2
"""
How many items a worker is sent at once: the one it works on and the next,
which waits in its pipe so that the worker never waits for the pool.
"""


def functionName(function):
    """
    Return the C{"package.module:function"} name by which a worker process
    imports C{function} (a function or such a name), checking that it
    imports here.

    @raise ValueError: for a function in C{__main__}, a lambda, a nested
        function, or a name that does not import.
    """
    if isinstance(function, str):
        name = function
    else:
        name = "{}:{}".format(getattr(function, "__module__", None),
                              getattr(function, "__qualname__", None))
    if name.startswith("__main__:") or "<" in name:
        raise ValueError(
            "worker processes import the function by name, so it must be defined at module level "
            "in an importable module (not __main__, not a lambda or nested function): {!r}".format(name))
    found = namedCallable(name)
    if not isinstance(function, str) and found is not function:
        raise ValueError("{!r} does not import as the function given ({!r})".format(name, function))
    return name


def childEnvironment():
    """
    Return the environment for worker processes: this process's, with its
    C{sys.path} as C{PYTHONPATH}.
    """
    env = dict(os.environ)
    paths = (os.path.abspath(path) for path in sys.path)
    env["PYTHONPATH"] = os.pathsep.join(path for path in paths if os.path.exists(path))
    return env


class ProcessPool(TaskPool):
    """
    Apply a function, by name, to each item in one of C{size} processes.

    @ivar function: the C{"package.module:function"} name.
    @ivar timeout: seconds an item may take (L{None}: no limit).
    @ivar retries: how many more times an item whose worker was lost is tried.
    """

    def __init__(self, function, size=2, timeout=None, retries=0, queue=None, ordered=True,
                 reactor=None, **attributes):
        """
        @param function: C{"package.module:function"}, or a module-level
            function; it takes one item and returns its result.
        @param size: the number of worker processes.
        @param timeout: seconds after which a worker still on an item is
            killed and replaced (L{None}: wait for ever).
        @param retries: how many more times to try an item after its worker
            crashed or timed out.
        @param queue: items held beyond C{size} (default: C{size}).
        @param ordered: results in input order (C{False}: completion order).
        @param reactor: the reactor that runs the processes and timers.
        """
        TaskPool.__init__(self, size, queue, ordered, reactor, **attributes)
        if timeout is not None and timeout <= 0:
            raise ValueError("{}: timeout must be positive, not {!r}".format(self.name, timeout))
        if not isinstance(retries, int) or retries < 0:
            raise ValueError("{}: retries must be an int >= 0, not {!r}".format(self.name, retries))
        self.function = functionName(function)
        self.timeout, self.retries = timeout, retries
        self._workers = set()
        self._stopping = False

    def _startWorkers(self):
        self._env = childEnvironment()
        self._slots = DeferredQueue()
        workers = [self._spawn() for _ in range(self.size)]
        for _ in range(PIPELINE):
            for worker in workers:
                self._slots.put(worker)
        self._shutdownTrigger = self.reactor.addSystemEventTrigger(
            "before", "shutdown", self._stopAll)

    def _stopWorkers(self):
        self.reactor.removeSystemEventTrigger(self._shutdownTrigger)
        return self._stopAll()

    def _stopAll(self):
        self._stopping = True
        return DeferredList([worker.stop() for worker in list(self._workers)])

    def _spawn(self):
        worker = Worker(self.function, self._env, self.reactor)
        self._workers.add(worker)
        worker.whenEnded().addCallback(lambda _: self._workers.discard(worker))
        return worker

    def _live(self, worker):
        """
        Return C{worker} or, if it was lost, the process that replaces it
        (started once, for all the slots it had). Items are sent to a new
        worker at once: they wait in its pipe while it starts.

        @raise WorkerLost: if the pool is stopping.
        """
        while worker.lost:
            if worker.replacement is None:
                if self._stopping:
                    raise WorkerLost("{}: stopping, so no worker replaces a lost one".format(self.name))
                worker.replacement = self._spawn()
            worker = worker.replacement
        return worker

    @inlineCallbacks
    def _run(self, item):
        payload = pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
        worker = yield self._slots.get()
        attempts = 0
        try:
            while True:
                worker = self._live(worker)
                try:
                    return (yield worker.apply(payload, self.timeout))
                except NotStarted:
                    continue
                except WorkerLost as lost:
                    attempts += 1
                    if attempts > self.retries:
                        lost.attempts = attempts
                        raise
        finally:
            self._slots.put(worker)
