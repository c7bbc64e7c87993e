"""
Tests for the UDP components: UDPSender, UDPReceiver, Multicast_transceiver.
"""

from twisted.internet import defer, reactor
from twisted.internet.error import CannotListenError, MulticastJoinError
from twisted.internet.protocol import DatagramProtocol
from twisted.trial import unittest

from kamaelia_twisted import Pipeline, errorOccurred, producerFinished, shutdownMicroprocess
from kamaelia_twisted.net import Multicast_transceiver, UDPReceiver, UDPSender
from kamaelia_twisted.util import Collect, DataSource

from .nethelpers import Take

GROUP = "224.0.0.251"


def stopped(component):
    """
    Ask C{component} to stop; return its whenDone().
    """
    if not component.isDone():
        component.inboxes["control"].deliver(shutdownMicroprocess())
    return component.whenDone()


class UDPTests(unittest.TestCase):
    @defer.inlineCallbacks
    def receiver(self, sink, **kw):
        """
        Start a UDPReceiver on a free loopback port feeding C{sink}.

        @return: a L{Deferred} of C{(receiver, portNumber)}.
        """
        receiver = UDPReceiver("127.0.0.1", 0, **kw)
        graph = Pipeline(receiver, sink).activate()
        self.addCleanup(lambda: stopped(receiver).addCallback(lambda _: graph.whenDone()))
        port = yield receiver.whenListening()
        return receiver, port.getHost().port

    @defer.inlineCallbacks
    def test_sendAndReceive(self):
        """
        Each message is a datagram; the receiver sends (data, (host, port)).
        """
        sink = Take(3)
        _, port = yield self.receiver(sink)
        sender = UDPSender("127.0.0.1", port, local_addr="127.0.0.1")
        big = b"x" * 60000
        graph = Pipeline(DataSource([b"one", b"two", big]), sender).activate()
        senderPort = yield sender.whenListening().addCallback(lambda p: p.getHost().port)
        yield graph.whenDone()
        yield sink.whenDone()
        source = ("127.0.0.1", senderPort)
        self.assertEqual(sink.collected, [(data, source) for data in (b"one", b"two", big)])

    @defer.inlineCallbacks
    def test_shutdownPassedOn(self):
        """
        A receiver stops listening on shutdown and passes the message on.
        """
        receiver = UDPReceiver("127.0.0.1", 0)
        sink = Collect()
        graph = Pipeline(receiver, sink).activate()
        port = yield receiver.whenListening()
        graph.inboxes["control"].deliver(producerFinished())
        yield graph.whenDone()
        self.assertIsInstance(sink.shutdown, producerFinished)
        self.assertFalse(port.connected)

    @defer.inlineCallbacks
    def test_senderReceivesReplies(self):
        """
        Replies to a sender's port leave on its outbox.
        """
        echo = reactor.listenUDP(0, _Echo(), interface="127.0.0.1")
        self.addCleanup(echo.stopListening)
        sender = UDPSender("127.0.0.1", echo.getHost().port, local_addr="127.0.0.1")
        sink = Take(1)
        graph = Pipeline(sender, sink).activate()
        sender.inboxes["inbox"].deliver(b"marco")
        yield sink.whenDone()
        self.assertEqual(sink.collected, [(b"marco", ("127.0.0.1", echo.getHost().port))])
        yield stopped(sender)
        yield graph.whenDone()

    @defer.inlineCallbacks
    def test_fullReceiverStopsReading(self):
        """
        While the receiving inbox is full the port stops reading; no
        datagram is lost or raises BoxFull, and all arrive once it is read.
        """
        sink = Take(6, hold=True)
        sink.inboxes["inbox"].setSize(2)
        _, port = yield self.receiver(sink)
        sender = UDPSender("127.0.0.1", port).activate()
        for i in range(6):
            sender.inboxes["inbox"].deliver(b"%d" % i)
        self.assertEqual((yield sink.full), 2)
        sink.release()
        yield sink.whenDone()
        self.assertEqual([data for data, _ in sink.collected], [b"%d" % i for i in range(6)])
        yield stopped(sender)

    @defer.inlineCallbacks
    def test_textIsRefused(self):
        """
        Text instead of bytes fails the sender with a clear message, and
        its port is closed.
        """
        sender = UDPSender("127.0.0.1", 9)
        sink = Collect()
        graph = Pipeline(DataSource(["text"]), sender, sink).activate()
        failure = yield self.assertFailure(graph.whenDone(), TypeError)
        self.flushLoggedErrors(TypeError)
        self.assertIn("writes bytes to the network, not str", str(failure))
        self.assertIsInstance(sink.shutdown, errorOccurred)
        self.assertFalse(sender.listeningPort.connected)

    @defer.inlineCallbacks
    def test_portInUse(self):
        taken = reactor.listenUDP(0, DatagramProtocol(), interface="127.0.0.1")
        self.addCleanup(taken.stopListening)
        receiver = UDPReceiver("127.0.0.1", taken.getHost().port).activate()
        yield self.assertFailure(receiver.whenListening(), CannotListenError)
        yield self.assertFailure(receiver.whenDone(), CannotListenError)
        self.flushLoggedErrors(CannotListenError)


class MulticastTests(unittest.TestCase):
    @defer.inlineCallbacks
    def transceiver(self, *args):
        """
        Start a Multicast_transceiver feeding a L{Take}(2), stopped at cleanup,
        or skip the test if joining the group fails here.

        @return: a L{Deferred} of C{(transceiver, sink, portNumber)}.
        """
        transceiver = Multicast_transceiver(*args)
        sink = Take(2)
        graph = Pipeline(transceiver, sink).activate()
        self.addCleanup(lambda: stopped(transceiver).addBoth(lambda _: graph.whenDone()))
        try:
            port = yield transceiver.whenListening()
        except OSError as e:
            self.flushLoggedErrors(OSError)
            yield self.assertFailure(graph.whenDone(), OSError)
            raise unittest.SkipTest("cannot join {} on the loopback interface: {}".format(GROUP, e))
        return transceiver, sink, port.getHost().port

    @defer.inlineCallbacks
    def test_sendToGroup(self):
        """
        A transceiver's inbox goes to the group; members on the loopback
        interface send (source_address, data).
        """
        _, received, port = yield self.transceiver("127.0.0.1", 0, GROUP, 0)
        sender, _, senderPort = yield self.transceiver("127.0.0.1", 0, GROUP, port)
        sender.inboxes["inbox"].deliver(b"hello")
        sender.inboxes["inbox"].deliver(b"group")
        done = received.whenDone()
        timeout = reactor.callLater(5, done.cancel)
        try:
            yield done
        except defer.CancelledError:
            raise unittest.SkipTest("multicast on the loopback interface delivers nothing here")
        timeout.cancel()
        source = ("127.0.0.1", senderPort)
        self.assertEqual(received.collected, [(source, b"hello"), (source, b"group")])


    @defer.inlineCallbacks
    def test_notAGroup(self):
        """
        Joining an address that is no multicast group fails the transceiver
        with the reason, and closes its port.
        """
        transceiver = Multicast_transceiver("127.0.0.1", 0, "127.0.0.2", 0).activate()
        yield self.assertFailure(transceiver.whenListening(), MulticastJoinError)
        yield self.assertFailure(transceiver.whenDone(), MulticastJoinError)
        [error] = self.flushLoggedErrors(MulticastJoinError)
        self.assertIn("127.0.0.2", str(error.value))


class _Echo(DatagramProtocol):
    def datagramReceived(self, data, address):
        self.transport.write(data, address)
