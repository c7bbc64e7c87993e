"""
L{ThreadPool}: run a blocking function on each item in a bounded pool of
threads, for blocking calls such as DNS lookups, sqlite or file I/O::

    import socket
    from kamaelia_twisted import Pipeline, ThreadPool
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(
        DataSource(["localhost", "127.0.0.1"]),
        ThreadPool(socket.gethostbyname, size=8),
        sink,
    ).run()
    assert sink.collected == ["127.0.0.1", "127.0.0.1"]

Each of the C{size} threads works on one item at a time. An item still
running after C{timeout} seconds leaves as a L{TaskFailed} whose failure is
a L{TaskTimedOut}, and the pool goes on with the next items. Python cannot
stop a thread, so the pool abandons it: the thread runs on until the
function returns, if ever, its result is dropped, and it then exits; a new
thread takes its place, so C{size} items still run at once. Without a
timeout a hung item holds its thread, and the pool's shutdown, for ever.
With C{ordered=True} a hung item also holds back the results of the items
after it until it times out; with C{ordered=False} only its own result waits.

The threads are daemon threads, started with the component: they never keep
the process from exiting. When the component ends its threads exit, and it
waits for them (not for abandoned ones). When the reactor shuts down first,
the pool waits for no thread: idle threads exit, and the ones still working
end with the process, their results lost. Ordering, failures
(L{TaskFailed}), backpressure and shutdown are L{TaskPool}'s.
"""

import threading
from itertools import count
from queue import SimpleQueue

from twisted.internet.defer import Deferred, DeferredList, DeferredQueue
from twisted.python.failure import Failure

from ..core.notifier import Notifier
from .taskpool import TaskPool
from .tasks import TaskTimedOut


class ThreadPool(TaskPool):
    """
    Apply C{func} to each item in one of C{size} threads.

    @ivar func: the blocking function, called with one item.
    @ivar timeout: seconds an item may take (L{None}: no limit).
    """

    def __init__(self, func, size=4, timeout=None, queue=None, ordered=True, reactor=None, **attributes):
        """
        @param func: a callable taking one item and returning its result.
        @param size: the number of threads.
        @param timeout: seconds after which an item still running leaves as
            a L{TaskTimedOut} failure and its thread is abandoned and
            replaced (L{None}: wait for ever).
        @param queue: items held beyond C{size} (default: C{size}).
        @param ordered: results in input order (C{False}: completion order).
        @param reactor: the reactor that runs the component and the timeouts,
            and to which the threads hand their results.
        """
        TaskPool.__init__(self, size, queue, ordered, reactor, **attributes)
        if not callable(func):
            raise TypeError("{}: func must be callable, not {!r}".format(self.name, func))
        if timeout is not None and timeout <= 0:
            raise ValueError("{}: timeout must be positive, not {!r}".format(self.name, timeout))
        self.func, self.timeout = func, timeout
        self._threadNumbers = count(1)
        self._workers = set()
        self._stopping = False

    def _startWorkers(self):
        self._idle = DeferredQueue()
        for _ in range(self.size):
            self._idle.put(self._spawn())
        self._shutdownTrigger = self.reactor.addSystemEventTrigger("during", "shutdown", self._stopAll)

    def _stopWorkers(self):
        self.reactor.removeSystemEventTrigger(self._shutdownTrigger)
        workers = list(self._workers)
        self._stopAll()
        return DeferredList([worker.whenDone() for worker in workers])

    def _stopAll(self):
        self._stopping = True
        for worker in self._workers:
            worker.stop()

    def _spawn(self):
        worker = _Worker("{}-thread-{}".format(self.name, next(self._threadNumbers)), self.reactor)
        self._workers.add(worker)
        return worker

    def _run(self, item):
        return self._idle.get().addCallback(self._apply, item)

    def _apply(self, worker, item):
        return worker.apply(self.func, item, self.timeout).addBoth(self._release, worker)

    def _release(self, result, worker):
        if worker.abandoned:
            self._workers.discard(worker)
            worker = None if self._stopping else self._spawn()
        if worker is not None:
            self._idle.put(worker)
        return result


class _Worker:
    """
    One daemon thread that applies a function to the items it is given, one
    at a time, and hands each outcome to the reactor.

    @ivar abandoned: whether the item it works on timed out: the thread
        exits once the function returns, and its result is dropped.
    """

    def __init__(self, name, reactor):
        self._reactor = reactor
        self._jobs = SimpleQueue()
        self._answer = self._timer = None
        self._done = Notifier()
        self.abandoned = False
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def apply(self, func, item, timeout):
        """
        Return a L{Deferred} of C{func(item)}, run in this thread; after
        C{timeout} seconds (unless L{None}) it errbacks with
        L{TaskTimedOut} and the thread is abandoned.
        """
        self._answer = Deferred()
        if timeout is not None:
            self._timer = self._reactor.callLater(timeout, self._abandon, timeout)
        self._jobs.put((func, item))
        return self._answer

    def stop(self):
        """
        Have the thread exit once it is done with its item, if any.
        """
        self._jobs.put(None)

    def whenDone(self):
        """
        Return a L{Deferred} that fires with L{None} once the thread has
        exited or been abandoned.
        """
        return self._done.when()

    def _work(self):
        for func, item in iter(self._jobs.get, None):
            try:
                outcome = func(item)
            except BaseException:
                outcome = Failure()
            self._reactor.callFromThread(self._answered, outcome)
        self._reactor.callFromThread(self._exited)

    def _exited(self):
        self._thread.join()  # it has nothing left to do but return
        if not self.abandoned:
            self._done.fire(None)

    def _answered(self, outcome):
        if self.abandoned:
            return
        if self._timer is not None:
            self._timer.cancel()
        answer, self._answer, self._timer = self._answer, None, None
        if isinstance(outcome, Failure):
            answer.errback(outcome)
        else:
            answer.callback(outcome)

    def _abandon(self, timeout):
        self.abandoned = True
        self.stop()
        self._done.fire(None)
        answer, self._answer, self._timer = self._answer, None, None
        answer.errback(TaskTimedOut("still running after {} s; thread {} abandoned".format(
            timeout, self._thread.name)))
