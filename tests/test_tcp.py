"""
Tests for the TCP components: TCPClient, SimpleServer, ComponentFactory.
"""

import os
import signal
import re

from twisted.internet import defer, reactor
from twisted.internet.endpoints import TCP4ClientEndpoint, serverFromString
from twisted.internet.error import (
    CannotListenError, ConnectionAborted, ConnectionDone, ConnectionLost, ConnectionRefusedError,
)
from twisted.internet.interfaces import IHalfCloseableDescriptor
from twisted.internet.protocol import Protocol
from twisted.internet.task import Clock
from twisted.internet.testing import MemoryReactorClock, StringTransport
from twisted.python.failure import Failure
from twisted.trial import unittest
from zope.interface import implementer

from kamaelia_twisted import Component, Pipeline, errorOccurred, producerFinished, shutdownMicroprocess
from kamaelia_twisted.net import ComponentFactory, ComponentProtocol, SimpleServer, TCPClient
from kamaelia_twisted.util import Collect, DataSource

from .children import spawn
from .helpers import Burst, Raiser, Relay
from .nethelpers import (
    Echo, Greeter, HalfCloseEcho, HalfCloser, Recorder, connectPlain, freePort, keeping, listenPlain,
    serveOnLoopback,
)


def greeter(greeting):
    protocol = Greeter()
    protocol.greeting = greeting
    return protocol


class Hello(Component):
    """
    Write a greeting, then end the connection with producerFinished.
    """

    def main(self):
        self.send(b"hello ")
        self.send(b"and goodbye")
        self.send(producerFinished(self), "signal")
        yield 1


class Texter(Component):
    """
    Write text instead of bytes.
    """

    def main(self):
        self.send("not bytes")
        yield 1


class Stubborn(Component):
    """
    Say ready, then ignore everything until shutdown, passing it on.

    @ivar shutdown: the shutdown message received.
    """

    shutdown = None

    def main(self):
        self.send(b"ready")
        while self.shutdown is None:
            self.pause()
            yield 1
            self.shutdown = self.checkShutdown()
        self.send(self.shutdown, "signal")


class Answer(Component):
    """
    Take the input until it ends, then send it back in capitals and pass
    the shutdown message on.
    """

    def main(self):
        received = []
        while True:
            while self.dataReady("inbox"):
                received.append(self.recv("inbox"))
            if self.dataReady("control"):
                break
            self.pause()
            yield 1
        self.send(b"".join(received).upper())
        self.send(self.recv("control"), "signal")


class LateAnswer(Answer):
    """
    An L{Answer} that starts taking its input once C{ready} has fired.
    """

    def __init__(self, **attributes):
        Answer.__init__(self, **attributes)
        self.ready = defer.Deferred()

    def main(self):
        yield self.ready
        yield from Answer.main(self)


@implementer(IHalfCloseableDescriptor)
class HalfCloseableTransport(StringTransport):
    """
    A L{StringTransport} whose write side can be shut.

    @ivar writtenAtShutdown: what had been written when the write side was
        shut, or L{None}.
    """

    writtenAtShutdown = None

    def loseWriteConnection(self):
        self.writtenAtShutdown = self.value()


class TCPClientTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_receivesUntilPeerCloses(self):
        """
        The peer's bytes leave on outbox, then producerFinished on signal.
        """
        port, _ = yield listenPlain(self, lambda: greeter(b"x" * 100000 + b"end"))
        sink = Collect()
        yield Pipeline(TCPClient("127.0.0.1", port), sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), b"x" * 100000 + b"end")
        self.assertIsInstance(sink.shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_writesInboxThenClosesOnProducerFinished(self):
        """
        What arrives on inbox is written in order; producerFinished on control
        closes the connection after it has all been written.
        """
        port, peers = yield listenPlain(self, Recorder)
        chunks = [bytes([i]) * 5000 for i in range(50)]
        graph = Pipeline(DataSource(chunks), TCPClient("127.0.0.1", port)).activate()
        yield graph.whenDone()
        received = yield peers[0].done
        self.assertEqual(received, b"".join(chunks))

    @defer.inlineCallbacks
    def test_burstPastCapacityQueues(self):
        """
        A producer that sends 1,000 lines at once, past the client's inbox
        capacity, is not failed: every line is written (Kamaelia's send).
        """
        port, peers = yield listenPlain(self, Recorder)
        lines = [b"line %d\n" % n for n in range(1000)]
        yield Pipeline(Burst(messages=lines), TCPClient("127.0.0.1", port)).activate().whenDone()
        self.assertEqual((yield peers[0].done), b"".join(lines))

    @defer.inlineCallbacks
    def test_producerFinishedHalfCloses(self):
        """
        producerFinished on control shuts the write side only: the client
        goes on reading, so an echo server's answer arrives, and ends when
        the peer closes.
        """
        port, _ = yield listenPlain(self, HalfCloseEcho)
        sink = Collect()
        yield Pipeline(DataSource([b"hi"]), TCPClient("127.0.0.1", port), sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), b"hi")
        self.assertIsInstance(sink.shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_halfCloseBulk(self):
        """
        100 KB through an echo server that answers after the client has
        shut its write side all comes back.
        """
        port, _ = yield listenPlain(self, HalfCloseEcho)
        chunks = [bytes([i]) * 5000 for i in range(20)]
        sink = Collect()
        yield Pipeline(DataSource(chunks), TCPClient("127.0.0.1", port), sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), b"".join(chunks))

    @defer.inlineCallbacks
    def test_endpointString(self):
        port, _ = yield listenPlain(self, lambda: greeter(b"by endpoint"))
        sink = Collect()
        client = TCPClient(endpoint="tcp:host=127.0.0.1:port={}".format(port))
        yield Pipeline(client, sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), b"by endpoint")

    @defer.inlineCallbacks
    def test_unixSocket(self):
        """
        A unix socket server and client, both by endpoint string.
        """
        path = self.mktemp()
        server = SimpleServer(protocol=lambda: Hello(), endpoint="unix:" + path).activate()
        yield server.whenListening()
        sink = Collect()
        yield Pipeline(TCPClient(endpoint="unix:path=" + path), sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), b"hello and goodbye")
        server.inboxes["control"].deliver(shutdownMicroprocess())
        yield server.whenDone()

    @defer.inlineCallbacks
    def test_tls(self):
        """
        An ssl: server and client endpoint, with a certificate made here.
        """
        try:
            import OpenSSL, service_identity  # noqa: F401, E401
        except ImportError as e:
            raise unittest.SkipTest("TLS needs twisted[tls]: {}".format(e))
        keyFile, caDir = _certificate(self.mktemp())
        server = SimpleServer(protocol=Hello, endpoint="ssl:0:interface=127.0.0.1:privateKey=" + keyFile)
        listening = yield server.activate().whenListening()
        sink = Collect()
        client = TCPClient(endpoint="ssl:host=localhost:port={}:caCertsDir={}".format(
            listening.getHost().port, caDir))
        yield Pipeline(client, sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), b"hello and goodbye")
        self.assertIsInstance(sink.shutdown, producerFinished)
        server.inboxes["control"].deliver(shutdownMicroprocess())
        yield server.whenDone()

    @defer.inlineCallbacks
    def test_refused(self):
        """
        A refused connection fails the client with the reason, and sends
        errorOccurred on signal.
        """
        port = yield freePort()
        sink = Collect()
        graph = Pipeline(TCPClient("127.0.0.1", port), sink).activate()
        yield self.assertFailure(graph.whenDone(), ConnectionRefusedError)
        self.flushLoggedErrors(ConnectionRefusedError)
        self.assertIsInstance(sink.shutdown, errorOccurred)
        self.assertIn("refused", sink.shutdown.reason)

    @defer.inlineCallbacks
    def test_shutdownWhileConnectingCancels(self):
        """
        A shutdown on control while connecting cancels the attempt.
        """
        cancelled = []
        client = TCPClient(endpoint=_Hanging(cancelled))
        sink = Collect()
        graph = Pipeline(client, sink).activate()
        client.inboxes["control"].deliver(shutdownMicroprocess())
        yield graph.whenDone()
        self.assertEqual(cancelled, [True])
        self.assertIsInstance(sink.shutdown, shutdownMicroprocess)

    @defer.inlineCallbacks
    def test_resetIsAnError(self):
        """
        A connection reset by the peer sends errorOccurred on signal.
        """
        port, _ = yield listenPlain(self, _Resetter)
        sink = Collect()
        yield Pipeline(TCPClient("127.0.0.1", port), sink).activate().whenDone()
        self.assertEqual(sink.collected, [])
        self.assertIsInstance(sink.shutdown, errorOccurred)
        self.assertIn("connection lost", sink.shutdown.reason)

    @defer.inlineCallbacks
    def test_textIsRefused(self):
        """
        Sending text instead of bytes fails the client with a clear message,
        and closes the connection.
        """
        port, peers = yield listenPlain(self, Recorder)
        client = TCPClient("127.0.0.1", port)
        graph = Pipeline(DataSource([b"ok", "text"]), client).activate()
        failure = yield self.assertFailure(graph.whenDone(), TypeError)
        self.flushLoggedErrors(TypeError)
        self.assertIn("writes bytes to the network, not str", str(failure))
        received = yield peers[0].done
        self.assertEqual(received, b"ok")

    @defer.inlineCallbacks
    def test_producerFinishedWhileConnecting(self):
        """
        A producerFinished that arrives before the connection is made closes
        it once what was queued has been written.
        """
        port, peers = yield listenPlain(self, Recorder)
        client = TCPClient("127.0.0.1", port)
        client.inboxes["inbox"].deliver(b"early")
        client.inboxes["control"].deliver(producerFinished())
        yield client.activate().whenDone()
        received = yield peers[0].done
        self.assertEqual(received, b"early")

    def test_badArguments(self):
        self.assertRaises(ValueError, TCPClient)
        self.assertRaises(ValueError, TCPClient, "127.0.0.1", 1, endpoint="tcp:host=h:port=1")


class ServerOnMemoryReactorTests(unittest.TestCase):
    """
    A L{SimpleServer} on a memory reactor: no socket, no real time.
    """

    def test_handlersRunOnTheServersReactor(self):
        """
        Each connection's handler and Connection are the server's children
        and run on its reactor, not the global one.
        """
        memory = MemoryReactorClock()
        server = SimpleServer(protocol=Echo, port=1500, reactor=memory).activate()
        memory.advance(0)
        [(port, factory, _, _)] = memory.tcpServers
        self.assertEqual(port, 1500)
        protocol, transport = factory.buildProtocol(None), StringTransport()
        protocol.makeConnection(transport)
        protocol.dataReceived(b"hello")
        memory.advance(0)
        memory.advance(0)
        self.assertEqual(transport.value(), b"hello")
        handler = protocol.handler
        self.assertIs(handler.reactor, memory)
        self.assertEqual(set(server.childComponents()), {handler, protocol.connection})
        protocol.connectionLost(Failure(ConnectionDone()))
        memory.advance(0)
        memory.advance(0)
        self.assertTrue(handler.isDone())
        self.assertEqual(server.childComponents(), [])
        server.inboxes["control"].deliver(shutdownMicroprocess())
        memory.advance(0)
        self.assertTrue(server.isDone())


class TCPClientHalfCloseTests(unittest.TestCase):
    """
    How a L{TCPClient} closes, on a memory reactor and transport.
    """

    def setUp(self):
        self.reactor = MemoryReactorClock()
        self.client = TCPClient(endpoint=TCP4ClientEndpoint(self.reactor, "127.0.0.1", 1500),
                                reactor=self.reactor)
        self.sink = Collect(reactor=self.reactor)
        Pipeline(self.client, self.sink, reactor=self.reactor).activate()
        self.reactor.advance(0)
        self.protocol = self.reactor.tcpClients[0][2].buildProtocol(None)
        self.transport = HalfCloseableTransport()
        self.protocol.makeConnection(self.transport)
        self.reactor.advance(0)

    def feed(self, *messages, control=None):
        """
        Queue C{messages} on the client's inbox and C{control} on its
        control inbox, and let it run.
        """
        for message in messages:
            self.client.inboxes["inbox"].deliver(message)
        if control is not None:
            self.client.inboxes["control"].deliver(control)
        self.reactor.advance(0)

    def closed(self):
        """
        The transport reports the connection closed; let the client run.
        """
        self.protocol.connectionLost(Failure(ConnectionDone()))
        self.reactor.advance(0)

    def test_producerFinishedShutsWriteSideAfterQueue(self):
        """
        producerFinished shuts the write side once what is queued has been
        written, even while the transport is paused; the client reads on
        until the peer closes, then closes and ends.
        """
        self.client.pauseProducing()
        self.feed(b"one", b"two", control=producerFinished())
        self.assertEqual(self.transport.writtenAtShutdown, b"onetwo")
        self.assertFalse(self.transport.disconnecting)
        self.protocol.dataReceived(b"reply")
        self.protocol.readConnectionLost()
        self.reactor.advance(0)
        self.assertTrue(self.transport.disconnecting)
        self.assertFalse(self.client.isDone())
        self.closed()
        self.assertEqual(self.sink.collected, [b"reply"])
        self.assertIsInstance(self.sink.shutdown, producerFinished)

    def test_shutdownClosesAtOnce(self):
        """
        shutdownMicroprocess writes what is queued and closes the whole
        connection, without waiting for the peer.
        """
        self.feed(b"queued", control=shutdownMicroprocess())
        self.assertEqual(self.transport.value(), b"queued")
        self.assertIsNone(self.transport.writtenAtShutdown)
        self.assertTrue(self.transport.disconnecting)
        self.closed()
        self.assertIsInstance(self.sink.shutdown, shutdownMicroprocess)

    def test_peerShutsItsSideFirst(self):
        """
        When the peer shuts its write side first, the client writes what is
        queued, closes, and ends with producerFinished.
        """
        self.protocol.dataReceived(b"bye")
        self.protocol.readConnectionLost()
        self.feed(b"late")
        self.assertEqual(self.transport.value(), b"late")
        self.assertTrue(self.transport.disconnecting)
        self.closed()
        self.assertEqual(self.sink.collected, [b"bye"])
        self.assertIsInstance(self.sink.shutdown, producerFinished)


class ServerHalfCloseTests(unittest.TestCase):
    """
    A peer's half-close, seen by a L{ComponentProtocol} on a memory transport.
    """

    def test_handlerAnswersAfterEndOfInput(self):
        """
        The handler gets producerFinished once every byte received has been
        delivered (here one was held, its inbox being full), may still send,
        and the connection closes once it has ended and its output is written.
        """
        clock = Clock()
        handler = LateAnswer(reactor=clock)
        protocol = ComponentProtocol(handler, reactor=clock, inboxSize=1)
        transport = StringTransport()
        protocol.makeConnection(transport)
        protocol.dataReceived(b"half ")
        protocol.dataReceived(b"closed")
        self.assertEqual(transport.producerState, "paused")
        protocol.readConnectionLost()
        handler.ready.callback(None)
        for _ in range(4):
            clock.advance(0)
        self.assertEqual(transport.value(), b"HALF CLOSED")
        self.assertTrue(transport.disconnecting)
        self.assertTrue(handler.isDone())
        protocol.connectionLost(Failure(ConnectionDone()))
        clock.advance(0)
        return protocol.whenDone()


class SameTurnTests(unittest.TestCase):
    def test_dataHandledInTheTurnItArrives(self):
        """
        Data a connection receives is handled by its handler, and the answer
        written, before the reactor's next turn, as a protocol's
        dataReceived would; nothing is left for that turn to do.
        """
        clock = Clock()
        protocol = ComponentProtocol(Relay(reactor=clock), reactor=clock)
        transport = StringTransport()
        protocol.makeConnection(transport)
        clock.advance(0)  # both components start, then sleep
        protocol.dataReceived(b"ping")
        self.assertEqual((transport.value(), clock.getDelayedCalls()), (b"ping", []))
        protocol.shutdown()
        clock.advance(0)
        protocol.connectionLost(Failure(ConnectionDone()))
        clock.advance(0)
        return protocol.whenDone()


class SimpleServerTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_peerHalfCloseGetsEverythingBack(self):
        """
        A peer that sends 100 KB, then shuts its write side and reads to the
        end, gets all of it back: the handler gets producerFinished on
        control, and the connection closes once it has ended and what it
        sent is written.
        """
        handlers = []
        _, port = yield serveOnLoopback(self, keeping(Echo, handlers))
        payload = bytes(range(256)) * 400
        peer = HalfCloser(payload)
        yield connectPlain(port, peer)
        self.assertEqual((yield peer.done), payload)
        yield handlers[0].whenDone()
        self.assertIsInstance(handlers[0].shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_echo(self):
        """
        Each connection gets its own handler; a peer closing sends it
        producerFinished on control.
        """
        handlers = []
        _, port = yield serveOnLoopback(self, keeping(Echo, handlers))
        peers = [Recorder(), Recorder()]
        for i, peer in enumerate(peers):
            yield connectPlain(port, peer)
            peer.transport.write(b"ping %d" % i)
        for i, peer in enumerate(peers):
            yield peer.whenReceived(6)
            self.assertEqual(bytes(peer.received), b"ping %d" % i)
            peer.transport.loseConnection()
            yield peer.done
        yield defer.gatherResults([handler.whenDone() for handler in handlers])
        self.assertEqual(len(handlers), 2)
        self.assertIsInstance(handlers[0].shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_handlerProducerFinishedCloses(self):
        """
        A handler's producerFinished closes its connection after what it sent.
        """
        _, port = yield serveOnLoopback(self, Hello)
        peer = Recorder()
        yield connectPlain(port, peer)
        received = yield peer.done
        self.assertEqual(received, b"hello and goodbye")

    @defer.inlineCallbacks
    def test_shutdown(self):
        """
        A shutdown on control stops listening, tells the handlers, closes their
        connections, and is passed on on signal.
        """
        handlers = []
        server, port = yield serveOnLoopback(self, keeping(Stubborn, handlers))
        peer = Recorder()
        yield connectPlain(port, peer)
        yield peer.whenReceived(5)
        sink = Collect()
        server.link((server, "signal"), (sink, "control"))
        sink.activate()
        server.inboxes["control"].deliver(shutdownMicroprocess())
        yield server.whenDone()
        self.assertEqual((yield peer.done), b"ready")
        self.assertIsInstance(handlers[0].shutdown, shutdownMicroprocess)
        self.assertIsInstance(sink.shutdown, shutdownMicroprocess)
        self.assertEqual(server.factory.connections, set())
        yield self.assertFailure(connectPlain(port, Recorder()), ConnectionRefusedError)

    @defer.inlineCallbacks
    def test_peerResetTellsHandler(self):
        """
        A connection reset by the peer sends the handler errorOccurred.
        """
        handlers = []
        _, port = yield serveOnLoopback(self, keeping(Stubborn, handlers))
        peer = Recorder()
        yield connectPlain(port, peer)
        yield peer.whenReceived(5)
        peer.transport.abortConnection()
        yield self.assertFailure(peer.done, ConnectionAborted)
        yield handlers[0].whenDone()
        self.assertIsInstance(handlers[0].shutdown, errorOccurred)
        self.assertTrue(handlers[0].shutdown.failure.check(ConnectionLost))
        self.assertIn("connection lost", handlers[0].shutdown.reason)

    @defer.inlineCallbacks
    def test_failingHandler(self):
        """
        A handler that raises is logged and its connection closed; the
        server goes on serving.
        """
        _, port = yield serveOnLoopback(self, Raiser)
        for attempt in range(2):
            peer = Recorder()
            yield connectPlain(port, peer)
            peer.transport.write(b"boom")
            self.assertEqual((yield peer.done), b"")
        self.assertEqual(len(self.flushLoggedErrors(ValueError)), 2)

    @defer.inlineCallbacks
    def test_textFromHandler(self):
        """
        A handler sending text gets a clear error and its connection closes.
        """
        _, port = yield serveOnLoopback(self, Texter)
        peer = Recorder()
        yield connectPlain(port, peer)
        self.assertEqual((yield peer.done), b"")
        [error] = self.flushLoggedErrors(TypeError)
        self.assertIn("writes bytes to the network, not str", str(error.value))

    @defer.inlineCallbacks
    def test_protocolNotMakingComponents(self):
        """
        A protocol callable that does not return a component is reported,
        and the connection refused.
        """
        _, port = yield serveOnLoopback(self, lambda: "not a component")
        peer = Recorder()
        yield connectPlain(port, peer)
        self.assertEqual((yield peer.done), b"")
        [error] = self.flushLoggedErrors(TypeError)
        self.assertIn("'not a component', not a component", str(error.value))

    @defer.inlineCallbacks
    def test_portInUse(self):
        """
        Failing to listen fails the server and whenListening, with the reason.
        """
        port, _ = yield listenPlain(self, Recorder)
        server = SimpleServer(protocol=Echo, port=port, interface="127.0.0.1").activate()
        yield self.assertFailure(server.whenListening(), CannotListenError)
        yield self.assertFailure(server.whenDone(), CannotListenError)
        self.flushLoggedErrors(CannotListenError)

    @defer.inlineCallbacks
    def test_handlerIsAGraph(self):
        """
        A pipeline can serve a connection; the capacity goes on the inbox that
        receives the bytes.
        """
        graphs = []
        _, port = yield serveOnLoopback(self, keeping(lambda: Pipeline(Relay(), Echo()), graphs), inboxSize=4)
        peer = Recorder()
        yield connectPlain(port, peer)
        peer.transport.write(b"through a graph")
        yield peer.whenReceived(15)
        self.assertEqual(bytes(peer.received), b"through a graph")
        self.assertEqual(graphs[0].childComponents()[0].inboxes["inbox"].capacity, 4)
        peer.transport.loseConnection()
        yield graphs[0].whenDone()

    def test_badArguments(self):
        self.assertRaises(TypeError, SimpleServer, port=1)
        self.assertRaises(ValueError, SimpleServer, protocol=Echo)
        self.assertRaises(ValueError, SimpleServer, protocol=Echo, port=1, endpoint="tcp:1")


class ComponentFactoryTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_listenOnEndpoint(self):
        """
        A ComponentFactory serves connections on any endpoint, and forgets
        them when they end.
        """
        handlers = []
        factory = ComponentFactory(keeping(Stubborn, handlers))
        port = yield serverFromString(reactor, "tcp:0:interface=127.0.0.1").listen(factory)
        self.addCleanup(port.stopListening)
        peer = Recorder()
        yield connectPlain(port.getHost().port, peer)
        yield peer.whenReceived(5)
        [protocol] = factory.connections
        self.assertIs(protocol.handler, handlers[0])
        peer.transport.loseConnection()
        yield protocol.whenDone()
        self.assertEqual(factory.connections, set())
        self.assertIsInstance(handlers[0].shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_shutdown(self):
        """
        shutdown() asks every handler to stop and fires when they have.
        """
        handlers = []
        factory = ComponentFactory(keeping(Stubborn, handlers))
        port = yield serverFromString(reactor, "tcp:0:interface=127.0.0.1").listen(factory)
        self.addCleanup(port.stopListening)
        peers = [Recorder(), Recorder()]
        for peer in peers:
            yield connectPlain(port.getHost().port, peer)
            yield peer.whenReceived(5)
        yield factory.shutdown()
        self.assertEqual([h.shutdown.__class__ for h in handlers], [shutdownMicroprocess] * 2)
        self.assertEqual((yield defer.gatherResults([p.done for p in peers])), [b"ready"] * 2)


class EchoExampleTests(unittest.TestCase):
    """
    examples/echo_server.py and examples/echo_client.py, run as programs.
    """

    def start(self, name, *args):
        return spawn(self, [os.path.join("examples", name)] + list(args))

    @defer.inlineCallbacks
    def startServer(self):
        """
        Start echo_server.py on a free loopback port; fire with it and the port.
        """
        server = self.start("echo_server.py", "--port", "0")
        listening = yield server.whenOutput(rb"listening on 127\.0\.0\.1:(\d+)\n")
        return server, listening.group(1).decode()

    @defer.inlineCallbacks
    def test_echoServerAndClient(self):
        server, port = yield self.startServer()
        client = self.start("echo_client.py", "--port", port)
        for line in [b"hello\n", b"world\n"]:
            client.transport.write(line)
            yield client.whenOutput(re.escape(line))
        client.transport.closeStdin()
        self.assertEqual((yield client.ended), 0)
        self.assertEqual(client.out, b"hello\nworld\n")
        server.transport.signalProcess("TERM")
        self.assertEqual((yield server.ended), 128 + signal.SIGTERM)  # stopped in order, then exit status 143

    @defer.inlineCallbacks
    def test_inputEndsBeforeTheAnswer(self):
        """
        C{printf 'a\\n' | echo_client.py}: the end of input shuts the write
        side, and the answer is still printed before the client ends.
        """
        server, port = yield self.startServer()
        client = self.start("echo_client.py", "--port", port)
        client.transport.write(b"a\n")
        client.transport.closeStdin()
        self.assertEqual((yield client.ended), 0)
        self.assertEqual(client.out, b"a\n")
        server.transport.signalProcess("TERM")
        self.assertEqual((yield server.ended), 128 + signal.SIGTERM)

    @defer.inlineCallbacks
    def test_interruptWhileReading(self):
        """
        Ctrl-C while the client waits for input ends both programs quietly
        with exit status 130: no traceback, and no crash of the interpreter
        over a thread blocked reading standard input.
        """
        server, port = yield self.startServer()
        client = self.start("echo_client.py", "--port", port)
        client.transport.write(b"hello\n")
        yield client.whenOutput(rb"hello\n")
        client.transport.signalProcess("INT")
        self.assertEqual((yield client.ended), 130, client.err)
        self.assertEqual(client.err, b"")
        server.transport.signalProcess("INT")
        self.assertEqual((yield server.ended), 130, server.err)
        self.assertEqual(server.err, b"")

    @defer.inlineCallbacks
    def test_echoClientRefused(self):
        port = yield freePort()
        client = self.start("echo_client.py", "--port", str(port))
        client.transport.closeStdin()
        self.assertEqual((yield client.ended), 1)
        self.assertIn(b"echo_client: Connection was refused", client.err)


class _Hanging:
    """
    A client endpoint whose connection attempt never completes.
    """

    def __init__(self, cancelled):
        self.cancelled = cancelled

    def connect(self, factory):
        return defer.Deferred(lambda d: self.cancelled.append(True))


class _Resetter(Protocol):
    """
    Reset each connection as soon as it is made.
    """

    def connectionMade(self):
        self.transport.abortConnection()


def _certificate(directory):
    """
    Make a self-signed certificate for C{localhost} in C{directory}.

    @return: the path of the key and certificate PEM file, and of a
        directory holding only the certificate (for C{caCertsDir}).
    """
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    os.makedirs(os.path.join(directory, "ca"))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    certPem = cert.public_bytes(serialization.Encoding.PEM)
    keyPem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                               serialization.NoEncryption())
    keyFile = os.path.join(directory, "server.pem")
    with open(keyFile, "wb") as f:
        f.write(keyPem + certPem)
    with open(os.path.join(directory, "ca", "ca.pem"), "wb") as f:
        f.write(certPem)
    return keyFile, os.path.join(directory, "ca")
