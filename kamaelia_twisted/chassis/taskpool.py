"""
L{TaskPool}: the part every pool shares. Items arrive on C{inbox}, each is
handed to a worker, and the results leave on C{outbox} in input order (or in
completion order with C{ordered=False}); an item whose work raised leaves as a
L{TaskFailed} instead, and the pool carries on::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.chassis.threadpool import ThreadPool
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(DataSource([1, 2, 3]), ThreadPool(abs, size=2), sink).run()
    assert sink.collected == [1, 2, 3]

Backpressure: the pool holds at most C{size + queue} items (running, waiting
for a worker, or done and waiting for their turn to leave); when it holds that
many it stops taking from its inbox. Bound the inbox
(C{pool.inboxes["inbox"].setSize(n)}) and a producer that waits on
C{outboxes["outbox"].whenSpace()} pauses until the pool catches up. A full
outbox (a bounded, full receiver) holds results back in the same way.

Shutdown: on L{producerFinished} the pool works through everything still in
its inbox; on L{shutdownMicroprocess} it takes nothing more from the inbox.
Either way it finishes the items it holds, sends their results, stops its
workers and then passes the message on from C{signal}.
"""

from collections import deque
from itertools import count

from twisted.internet.defer import maybeDeferred

from ..core.component import Component
from ..core.ipc import producerFinished
from .tasks import TaskFailed

__all__ = ["TaskFailed", "TaskPool"]


class TaskPool(Component):
    """
    Base of the pools: order, bounds and shutdown around C{_run(item)}.

    Subclasses implement C{_run(item)}, returning the result or a
    L{Deferred<twisted.internet.defer.Deferred>} of it (waiting for a free worker is theirs to do), and may
    override C{_startWorkers}, C{_stopWorkers} (returning a L{Deferred<twisted.internet.defer.Deferred>} or
    L{None}) and C{_resultsOf} (the messages a result becomes).

    @ivar size: how many items are worked on at once.
    @ivar queue: how many more items the pool holds beyond C{size}.
    @ivar ordered: whether results leave in input order.
    @ivar held: the items taken from the inbox whose results have not all
        been sent yet; never more than C{size + queue}.
    """

    Inboxes = {"inbox": "Work items", "control": "Shutdown messages"}
    Outboxes = {
        "outbox": "Results, or TaskFailed for items whose work failed",
        "signal": "Shutdown messages, passed on once all results are sent",
    }

    def __init__(self, size, queue=None, ordered=True, reactor=None, **attributes):
        """
        @param size: how many items are worked on at once (at least 1).
        @param queue: how many more items to hold, waiting for a worker or
            for their turn to leave (default: C{size}).
        @param ordered: send results in input order (C{False}: as they finish).
        @param reactor: the reactor (default: the global one).
        """
        Component.__init__(self, reactor, **attributes)
        queue = size if queue is None else queue
        if not isinstance(size, int) or size < 1:
            raise ValueError("{}: size must be a positive int, not {!r}".format(self.name, size))
        if not isinstance(queue, int) or queue < 0:
            raise ValueError("{}: queue must be an int >= 0, not {!r}".format(self.name, queue))
        self.size, self.queue, self.ordered = size, queue, ordered
        self._capacity = size + queue
        self.held = 0
        self._seq = count()
        self._nextOut = 0
        self._finished = {}
        self._outgoing = deque()
        self._awaitingSpace = False

    def main(self):
        self._startWorkers()
        try:
            stop = yield from self._serve()
        except Exception:
            yield maybeDeferred(self._stopWorkers)
            raise
        yield maybeDeferred(self._stopWorkers)
        self.send(stop, "signal")

    def _serve(self):
        stop = None
        while True:
            self.pause()
            draining = isinstance(stop, producerFinished)
            if stop is None or draining:  # a shutdownMicroprocess ends draining
                stop = self.checkShutdown() or stop
            self._flush()
            draining = isinstance(stop, producerFinished)
            if stop is None or draining:
                self._take()
            if stop is not None and not self.held and not (draining and self.dataReady()):
                return stop
            yield 1

    def _take(self):
        while self.held < self._capacity and self.dataReady():
            item = self.recv()
            seq = next(self._seq)
            self.held += 1
            d = maybeDeferred(self._run, item)
            d.addCallbacks(self._resultsOf, self._failed, errbackArgs=(item,))
            d.addCallback(self._done, seq)

    def _failed(self, failure, item):
        self.log.warn("{name}: an item failed: {error}", name=self.name,
                      error="{}: {}".format(failure.type.__name__, failure.getErrorMessage()))
        return [TaskFailed(item, failure)]

    def _done(self, messages, seq):
        messages = deque(messages)
        if not self.ordered:
            self._outgoing.append(messages)
        else:
            self._finished[seq] = messages
            while self._nextOut in self._finished:
                self._outgoing.append(self._finished.pop(self._nextOut))
                self._nextOut += 1
        self.unpause()

    def _flush(self):
        outbox = self.outboxes["outbox"]
        while self._outgoing:
            messages = self._outgoing[0]
            while messages:
                if outbox.isFull():
                    self._waitForSpace(outbox)
                    return
                self.send(messages.popleft())
            self._outgoing.popleft()
            self.held -= 1

    def _waitForSpace(self, outbox):
        if not self._awaitingSpace:
            self._awaitingSpace = True
            outbox.whenSpace().addCallback(self._spaceFreed)

    def _spaceFreed(self, _):
        self._awaitingSpace = False
        self.unpause()

    def _resultsOf(self, result):
        """
        Return the messages that C{result} is sent as (here: just it).
        """
        return [result]

    def _startWorkers(self):
        """
        Start the workers; called when the component starts.
        """

    def _stopWorkers(self):
        """
        Stop the workers once no work is left; may return a L{Deferred<twisted.internet.defer.Deferred>}.
        """

    def _run(self, item):
        raise NotImplementedError("{} must implement _run".format(type(self).__name__))
