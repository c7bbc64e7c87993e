"""
L{ComponentPool}: handler components made in advance, one given to each new
connection or job.

As a protocol factory, the pool is called for each new connection and
returns a ready handler::

    from kamaelia_twisted import ComponentPool
    from kamaelia_twisted.net import SimpleServer

    pool = ComponentPool(EchoHandler, size=4, limit=100, queue=10)
    SimpleServer(protocol=pool, port=1500)

As a component, the pool gives each item from its C{inbox} to a handler of
its own (the item on the handler's C{inbox}, then L{producerFinished} on its
C{control}) and sends what the handler sent, once it has finished, on its
C{outbox}, job after job in input order::

    from kamaelia_twisted import ComponentPool, Pipeline
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(DataSource(["a", "b"]), ComponentPool(Upper, size=2), sink).run()
    assert sink.collected == ["A", "B"]

The pool keeps C{size} handlers made and waiting. At most C{limit} are in
use at once (connections and jobs together); a handler's slot is freed when
it finishes, and a fresh handler is made to replace it (components do not
restart). Beyond C{limit}, up to C{queue} requests wait for a slot: a
connection gets a stand-in component that holds what arrives and plugs the
real handler in when a slot frees. One more, and the call raises
L{PoolExhausted} (the server refuses the connection) and the pool sends the
L{PoolExhausted} on its C{status} outbox, if that is linked. In job mode the
pool never refuses: it stops taking from its inbox instead (L{TaskPool}'s
backpressure), and a handler that fails gives a L{TaskFailed}.
"""

from collections import deque

from twisted.internet.defer import CancelledError, DeferredSemaphore
from twisted.python.failure import Failure

from ..core.boxes import BoxFull
from ..core.component import Component
from ..core.ipc import producerFinished
from .taskpool import TaskPool


class PoolExhausted(Exception):
    """
    A request came when all of a L{ComponentPool}'s handlers were in use and
    its wait queue was full.

    @ivar pool: the pool.
    """

    def __init__(self, pool):
        Exception.__init__(self, "{}: all {} handlers are in use and {} requests wait; refused".format(
            pool.name, pool.limit, pool.waiting))
        self.pool = pool


class ComponentPool(TaskPool):
    """
    Give a ready handler, made by C{factory}, to each connection or job.

    @ivar factory: makes a handler component; called with no arguments.
    @ivar size: how many handlers are kept made and waiting.
    @ivar limit: how many handlers may be in use at once.
    @ivar queue: how many requests may wait for a slot.
    """

    Outboxes = dict(TaskPool.Outboxes, status="PoolExhausted, each time a request is refused")

    def __init__(self, factory, size=4, limit=None, queue=0, ordered=True, reactor=None, **attributes):
        """
        @param factory: a callable returning a new handler component.
        @param size: handlers to keep ready (0: make each on demand).
        @param limit: handlers in use at once (default: C{size}, at least 1).
        @param queue: requests that may wait for a slot.
        @param ordered: in job mode, results in input order (C{False}: as
            jobs finish).
        @param reactor: the reactor (default: the global one).
        """
        limit = max(size, 1) if limit is None else limit
        if not isinstance(limit, int) or limit < 1:
            raise ValueError("ComponentPool: limit must be a positive int, not {!r}".format(limit))
        TaskPool.__init__(self, limit, queue, ordered, reactor, **attributes)
        if not callable(factory):
            raise TypeError("{}: factory must be callable, not {!r}".format(self.name, factory))
        if not isinstance(size, int) or size < 0:
            raise ValueError("{}: size must be an int >= 0, not {!r}".format(self.name, size))
        self.factory, self.size, self.limit = factory, size, limit
        self._slots = DeferredSemaphore(limit)
        self._ready = deque(self._make() for _ in range(size))

    @property
    def ready(self):
        """
        How many handlers are made and waiting.
        """
        return len(self._ready)

    @property
    def inUse(self):
        """
        How many handlers are in use.
        """
        return self.limit - self._slots.tokens

    @property
    def waiting(self):
        """
        How many requests wait for a slot.
        """
        return len(self._slots.waiting)

    def __call__(self):
        """
        Return a handler for a new connection: a ready one if a slot is free,
        otherwise a stand-in that waits for a slot.

        @raise PoolExhausted: if C{queue} requests already wait.
        """
        if self._slots.tokens:
            self._slots.acquire()
            return self._handOut()
        if self.waiting >= self.queue:
            refused = PoolExhausted(self)
            self._report(refused)
            raise refused
        return _Queued(self, self._slots.acquire())

    def _handOut(self):
        """
        Take a ready handler (or make one) for a slot already acquired.
        """
        try:
            handler = self._ready.popleft() if self._ready else self._make()
        except Exception:
            self._slots.release()
            raise
        handler.whenDone().addBoth(self._handlerDone)
        return handler

    def _handlerDone(self, _):
        self._slots.release()
        self._refill()

    def _make(self):
        handler = self.factory()
        if not isinstance(handler, Component):
            raise TypeError("{}: factory returned {!r}, not a component".format(self.name, handler))
        return handler

    def _refill(self):
        """
        Make handlers until C{size} are ready; a factory that fails is logged.
        """
        try:
            while len(self._ready) < self.size:
                self._ready.append(self._make())
        except Exception:
            self.log.failure("{name}: cannot make a handler", name=self.name)

    def _report(self, event):
        status = self.outboxes["status"]
        if status.destination is not status:
            try:
                self.send(event, "status")
            except BoxFull:
                pass

    def _run(self, item):
        return self._slots.acquire().addCallback(self._runJob, item)

    def _runJob(self, _, item):
        handler = self._handOut()
        handler.inboxes["inbox"].deliver(item)
        handler.inboxes["control"].deliver(producerFinished(self))
        self.addChildren(handler)
        return handler.whenDone().addBoth(self._jobDone, handler)

    def _jobDone(self, result, handler):
        self.removeChild(handler)
        if isinstance(result, Failure):
            return result
        return list(handler.outboxes["outbox"])

    def _resultsOf(self, messages):
        return messages


class _Queued(Component):
    """
    Stands in for a handler until the pool has a free slot: it holds what
    arrives, then plugs the handler in to take over its boxes (and the bound
    of its inbox, if the handler's has none).
    """

    def __init__(self, pool, slot):
        Component.__init__(self, pool.reactor)
        self._pool = pool
        self._slot = slot
        slot.addCallbacks(self._slotFree, lambda failure: failure.trap(CancelledError))

    def _slotFree(self, _):
        self.unpause()

    def main(self):
        while not self._slot.called:
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self._slot.cancel()
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1
        handler = self._pool._handOut()
        held, inbox = self.inboxes["inbox"], handler.inboxes["inbox"]
        if inbox.size is None and inbox.capacity is None:
            inbox.setSize(held.size)
            inbox.setCapacity(held.capacity)
        self.addChildren(handler)
        self.link((self, "inbox"), (handler, "inbox"), passthrough=1)
        self.link((self, "control"), (handler, "control"), passthrough=1)
        self.link((handler, "outbox"), (self, "outbox"), passthrough=2)
        self.link((handler, "signal"), (self, "signal"), passthrough=2)
        yield handler.whenDone()
