"""
Backpressure end to end: a slow receiver slows the sender down, through
bounded inboxes, paused transports and TCP, instead of memory growing.
"""

import tracemalloc

from twisted.internet import defer
from twisted.trial import unittest

from kamaelia_twisted import BoxFull, Component, Pipeline, producerFinished
from kamaelia_twisted.net import TCPClient

from .helpers import PacedSink
from .nethelpers import Recorder, connectPlain, keeping, listenPlain, serveOnLoopback

MB = 1 << 20


class Chunks(Component):
    """
    Once C{start} has fired, send C{total} bytes in fresh C{size}-byte
    chunks, waiting for room whenever the receiving inbox is full, then
    producerFinished.

    @ivar sent: bytes sent so far.
    """

    def __init__(self, total, start=None, size=64 * 1024, **attributes):
        Component.__init__(self, **attributes)
        self.total, self.start, self.size = total, start, size
        self.sent = 0
        self.waiting = False
        self._waitWatchers = []

    def whenWaiting(self):
        """
        Return a L{Deferred} fired with C{sent} as soon as it is waiting for room.
        """
        if self.waiting:
            return defer.succeed(self.sent)
        d = defer.Deferred()
        self._waitWatchers.append(d)
        return d

    def main(self):
        if self.start is not None:
            yield self.start
        outbox = self.outboxes["outbox"]
        while self.sent < self.total:
            if outbox.isFull():
                watchers, self._waitWatchers = self._waitWatchers, []
                self.waiting = True
                for d in watchers:
                    d.callback(self.sent)
                yield outbox.whenSpace()
                self.waiting = False
            size = min(self.size, self.total - self.sent)
            self.send(bytes(size))
            self.sent += size
        self.send(producerFinished(self), "signal")
        yield 1


class Flood(Component):
    """
    Send C{count} 1 MB chunks in one go, without waiting for room.
    """

    count = 100

    def main(self):
        for _ in range(self.count):
            self.send(bytes(MB))
        self.send(producerFinished(self), "signal")
        yield 1


class BackpressureTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_slowPeerStallsSender(self):
        """
        A peer that stops reading fills the client's transport, which pauses
        the client, whose inbox fills, which makes the sender wait; when
        the peer reads again everything arrives.
        """
        total = 64 * MB
        peer = _PausedRecorder()
        port, _ = yield listenPlain(self, lambda: peer)
        client = TCPClient("127.0.0.1", port)
        source = Chunks(total, client.whenConnected())
        graph = Pipeline(source, client).activate()
        yield peer.made
        self.assertLess((yield source.whenWaiting()), 24 * MB)
        peer.transport.resumeProducing()
        yield graph.whenDone()
        self.assertEqual(len((yield peer.done)), total)

    @defer.inlineCallbacks
    def test_heldHandlerStallsSenderEndToEnd(self):
        """
        A server handler that takes nothing fills its bounded inbox; the
        server's transport stops reading, TCP fills, the client's transport
        pauses the client and the sender waits. Released, the handler gets
        every byte.
        """
        total = 64 * MB
        handlers = []
        _, port = yield serveOnLoopback(self, keeping(lambda: PacedSink(hold=True), handlers))
        client = TCPClient("127.0.0.1", port)
        source = Chunks(total, client.whenConnected())
        graph = Pipeline(source, client).activate()
        yield client.whenConnected()
        yield handlers[0].full
        self.assertLess((yield source.whenWaiting()), 24 * MB)
        handlers[0].release()
        received = yield handlers[0].whenDone()
        yield graph.whenDone()
        self.assertEqual(received, total)

    @defer.inlineCallbacks
    def test_memoryStaysBounded(self):
        """
        200 MB from a fast sender to a slow handler, through loopback: the
        process's peak Python memory grows by much less than that.
        """
        total = 200 * MB
        growth, received = yield self.transfer(total)
        self.assertEqual(received, total)
        self.assertLess(growth, 16 * MB)

    @defer.inlineCallbacks
    def test_memoryGrowsWithoutBounds(self):
        """
        The same transfer with unbounded inboxes queues nearly all the data:
        the measure above can see growth.
        """
        total = 32 * MB
        growth, received = yield self.transfer(total, inboxSize=None)
        self.assertEqual(received, total)
        self.assertGreater(growth, total * 3 // 4)

    @defer.inlineCallbacks
    def transfer(self, total, **sizes):
        """
        Send C{total} bytes from L{Chunks} through a L{TCPClient} to a
        L{PacedSink} handler, tracing memory.

        @return: a L{Deferred} of C{(peak growth in bytes, bytes received)}.
        """
        handlers = []
        _, port = yield serveOnLoopback(self, keeping(PacedSink, handlers), **sizes)
        tracemalloc.start()
        self.addCleanup(tracemalloc.stop)
        baseline = tracemalloc.get_traced_memory()[0]
        graph = Pipeline(Chunks(total), TCPClient("127.0.0.1", port, **sizes)).activate()
        yield graph.whenDone()
        received = yield handlers[0].whenDone()
        return tracemalloc.get_traced_memory()[1] - baseline, received

    @defer.inlineCallbacks
    def test_floodingHandlerQueues(self):
        """
        A handler that sends past the connection's capacity in one go,
        without waiting for room, as Kamaelia code does, is not failed: what
        it sent queues and all of it reaches the peer.
        """
        _, port = yield serveOnLoopback(self, Flood)
        peer = Recorder()
        yield connectPlain(port, peer)
        received = yield peer.done
        self.assertEqual(len(received), 100 * MB)
        self.assertEqual(self.flushLoggedErrors(BoxFull), [])


class _PausedRecorder(Recorder):
    """
    Read nothing until resumed; C{made} fires on connection.
    """

    def __init__(self):
        Recorder.__init__(self)
        self.made = defer.Deferred()

    def connectionMade(self):
        self.transport.pauseProducing()
        self.made.callback(self)
