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

The threads belong to a L{twisted.python.threadpool.ThreadPool} that starts
with the component and is stopped (its threads joined) when the component
ends, or when the reactor shuts down first. Ordering, failures
(L{TaskFailed}), backpressure and shutdown are L{TaskPool}'s.
"""

from twisted.internet.threads import deferToThreadPool
from twisted.python import threadpool

from .taskpool import TaskPool


class ThreadPool(TaskPool):
    """
    Apply C{func} to each item in one of C{size} threads.

    @ivar func: the blocking function, called with one item.
    """

    def __init__(self, func, size=4, queue=None, ordered=True, reactor=None, **attributes):
        """
        @param func: a callable taking one item and returning its result.
        @param size: the number of threads.
        @param queue: items held beyond C{size} (default: C{size}).
        @param ordered: results in input order (C{False}: completion order).
        @param reactor: the reactor (default: the global one).
        """
        TaskPool.__init__(self, size, queue, ordered, reactor, **attributes)
        if not callable(func):
            raise TypeError("{}: func must be callable, not {!r}".format(self.name, func))
        self.func = func
        self._threads = None

    def _startWorkers(self):
        self._threads = threadpool.ThreadPool(0, self.size, name=self.name)
        self._threads.start()
        self._shutdownTrigger = self.reactor.addSystemEventTrigger(
            "during", "shutdown", self._threads.stop)

    def _stopWorkers(self):
        self.reactor.removeSystemEventTrigger(self._shutdownTrigger)
        self._threads.stop()

    def _run(self, item):
        return deferToThreadPool(self.reactor, self._threads, self.func, item)
