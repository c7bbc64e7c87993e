"""
Tests for L{kamaelia_twisted.net.protocolcomponent}: Twisted protocols run
inside graphs, alone, cross-linked, and over real loopback connections.
"""

import os

from twisted.internet import defer, reactor
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.internet.protocol import Protocol
from twisted.internet.testing import StringTransport
from twisted.protocols import amp
from twisted.protocols.basic import FileSender, Int32StringReceiver, LineReceiver, NetstringReceiver
from twisted.trial import unittest

from kamaelia_twisted import Component, Graphline, errorOccurred, producerFinished, shutdownMicroprocess
from kamaelia_twisted.net import TCPClient
from kamaelia_twisted.net.protocolcomponent import GraphAddress, ProtocolComponent, ProtocolInputError
from kamaelia_twisted.apps.tap import Options, loadGraph
from kamaelia_twisted.util import Collect, DataSource

from .nethelpers import HalfCloser, connectPlain, serveOnLoopback, stopServer


class Shout(LineReceiver):
    """
    Answer each line with it in capitals; close on C{QUIT}.
    """

    def connectionMade(self):
        self.lost = None

    def lineReceived(self, line):
        if line == b"QUIT":
            self.transport.loseConnection()
        else:
            self.sendLine(line.upper())

    def connectionLost(self, reason):
        self.lost = reason


class Sum(amp.Command):
    arguments = [(b"a", amp.Integer()), (b"b", amp.Integer())]
    response = [(b"total", amp.Integer())]
    errors = {ZeroDivisionError: b"ZERO"}


class Divide(amp.Command):
    arguments = [(b"a", amp.Integer()), (b"b", amp.Integer())]
    response = [(b"quotient", amp.Integer())]
    errors = {ZeroDivisionError: b"ZERO"}


class Calculator(amp.AMP):
    @Sum.responder
    def sum(self, a, b):
        return {"total": a + b}

    @Divide.responder
    def divide(self, a, b):
        return {"quotient": a // b}


def runGraph(proto, chunks, sends=(), wireSize=None):
    """
    Feed C{chunks} to C{proto}'s inbox (then L{producerFinished}) and
    C{sends} to its C{send} inbox; collect its C{parsed} and C{outbox}.

    @return: C{(graph, parsed, wire)}, the graph active.
    """
    for message in sends:
        proto.inboxes["send"].deliver(message)
    parsed, wire = Collect(), Collect()
    if wireSize is not None:
        wire.inboxes["inbox"].setSize(wireSize)
    graph = Graphline(
        SOURCE=DataSource(chunks), PROTO=proto, PARSED=parsed, WIRE=wire,
        linkages={
            ("SOURCE", "outbox"): ("PROTO", "inbox"),
            ("SOURCE", "signal"): ("PROTO", "control"),
            ("PROTO", "parsed"): ("PARSED", "inbox"),
            ("PROTO", "outbox"): ("WIRE", "inbox"),
            ("PROTO", "signal"): ("PARSED", "control"),
            ("PARSED", "signal"): ("WIRE", "control"),
        },
    )
    return graph.activate(), parsed, wire


class FramingTests(unittest.TestCase):
    """
    Each framing protocol's units leave on C{parsed}; C{send} calls its
    send method.
    """

    def test_lineReceiver(self):
        graph, parsed, wire = runGraph(ProtocolComponent(LineReceiver), [b"one\r\ntw", b"o\r\n"],
                                       sends=[b"hello", b"again"])

        def check(_):
            self.assertEqual(parsed.collected, [b"one", b"two"])
            self.assertEqual(wire.collected, [b"hello\r\n", b"again\r\n"])
            self.assertIsInstance(parsed.shutdown, producerFinished)

        return graph.whenDone().addCallback(check)

    def test_subclassHandlerStillRuns(self):
        """
        A subclass's C{lineReceived} runs after the line has left on C{parsed}.
        """
        graph, parsed, wire = runGraph(ProtocolComponent(Shout), [b"hi\r\nthere\r\n"])

        def check(_):
            self.assertEqual(parsed.collected, [b"hi", b"there"])
            self.assertEqual(wire.collected, [b"HI\r\n", b"THERE\r\n"])

        return graph.whenDone().addCallback(check)

    def test_sameBytesAsOnStringTransport(self):
        """
        The protocol writes the same bytes into the graph as on Twisted's
        own test transport.
        """
        chunks = [b"a\r\nbb\r", b"\nccc\r\nQUIT\r\nignored\r\n"]
        reference = Shout()
        transport = StringTransport()
        reference.makeConnection(transport)
        for chunk in chunks:
            if not transport.disconnecting:
                reference.dataReceived(chunk)
        graph, parsed, wire = runGraph(ProtocolComponent(Shout), chunks)

        def check(_):
            self.assertEqual(b"".join(wire.collected), transport.value())
            self.assertEqual(parsed.collected, [b"a", b"bb", b"ccc", b"QUIT"])

        return graph.whenDone().addCallback(check)

    def test_netstringReceiver(self):
        graph, parsed, wire = runGraph(ProtocolComponent(NetstringReceiver), [b"5:hel", b"lo,0:,"],
                                       sends=[b"abc"])

        def check(_):
            self.assertEqual(parsed.collected, [b"hello", b""])
            self.assertEqual(wire.collected, [b"3:abc,"])

        return graph.whenDone().addCallback(check)

    def test_int32StringReceiver(self):
        graph, parsed, wire = runGraph(ProtocolComponent(Int32StringReceiver),
                                       [b"\x00\x00\x00\x03ab", b"c\x00\x00\x00\x01z"], sends=[b"xy"])

        def check(_):
            self.assertEqual(parsed.collected, [b"abc", b"z"])
            self.assertEqual(wire.collected, [b"\x00\x00\x00\x02xy"])

        return graph.whenDone().addCallback(check)

    def test_namedMethods(self):
        """
        C{sendMethod} and C{parsedMethod} name other methods of the protocol.
        """
        class Greeter(LineReceiver):
            def greet(self, name):
                self.sendLine(b"hello " + name)

            def lineReceived(self, line):
                self.words(line.split())

            def words(self, words):
                pass

        proto = ProtocolComponent(Greeter(), sendMethod="greet", parsedMethod="words")
        graph, parsed, wire = runGraph(proto, [b"a b\r\n"], sends=[b"bob"])

        def check(_):
            self.assertEqual(parsed.collected, [[b"a", b"b"]])
            self.assertEqual(wire.collected, [b"hello bob\r\n"])

        return graph.whenDone().addCallback(check)

    def test_unknownMethodName(self):
        error = self.assertRaises(ValueError, ProtocolComponent, LineReceiver, sendMethod="sendLin")
        self.assertIn("'sendLin' is not a method", str(error))

    def test_noSendMethod(self):
        """
        A message on C{send} for a protocol without a known send method fails
        the component with a clear error.
        """
        graph, parsed, wire = runGraph(ProtocolComponent(Protocol), [], sends=[b"x"])
        d = self.assertFailure(graph.whenDone(), TypeError)

        def check(error):
            self.assertIn("no send method is known for Protocol; pass sendMethod=", str(error))
            self.flushLoggedErrors(TypeError)
            self.assertIsInstance(parsed.shutdown, errorOccurred)

        return d.addCallback(check)

    def test_addresses(self):
        proto = ProtocolComponent(LineReceiver)
        self.assertEqual(proto.transport.getHost(), GraphAddress(proto.name))
        self.assertIn("LineReceiver", proto.name)
        given = GraphAddress("elsewhere")
        self.assertIs(ProtocolComponent(LineReceiver, peer=given).transport.getPeer(), given)


class LifecycleTests(unittest.TestCase):
    """
    How the protocol and the component end each other.
    """

    def test_loseConnectionEnds(self):
        """
        C{loseConnection} from the protocol: what it wrote leaves, it gets
        C{connectionLost(ConnectionDone)}, later input is not fed, and
        L{producerFinished} goes out on C{signal}.
        """
        proto = ProtocolComponent(Shout)
        graph, parsed, wire = runGraph(proto, [b"x\r\nQUIT\r\n", b"late\r\n"])

        def check(_):
            self.assertEqual(wire.collected, [b"X\r\n"])
            self.assertEqual(parsed.collected, [b"x", b"QUIT"])
            self.assertIsInstance(parsed.shutdown, producerFinished)
            proto.protocol.lost.trap(ConnectionDone)
            self.assertTrue(proto.transport.disconnected)

        return graph.whenDone().addCallback(check)

    def test_shutdownCallsConnectionLost(self):
        proto = ProtocolComponent(Shout).activate()
        message = shutdownMicroprocess()
        proto.inboxes["control"].deliver(message)

        def check(_):
            proto.protocol.lost.trap(ConnectionDone)
            self.assertEqual(list(proto.outboxes["signal"]), [message])

        return proto.whenDone().addCallback(check)

    def test_errorOccurredGivesConnectionLost(self):
        proto = ProtocolComponent(Shout).activate()
        proto.inboxes["control"].deliver(errorOccurred("upstream broke"))

        def check(_):
            proto.protocol.lost.trap(ConnectionLost)
            self.assertIn("upstream broke", proto.protocol.lost.getErrorMessage())

        return proto.whenDone().addCallback(check)

    def test_protocolRaises(self):
        """
        An exception in the protocol fails the component, after the protocol
        got C{connectionLost} with it.
        """
        class Broken(Shout):
            def lineReceived(self, line):
                raise KeyError(line)

        proto = ProtocolComponent(Broken)
        graph, parsed, wire = runGraph(proto, [b"bad\r\n"])
        d = self.assertFailure(graph.whenDone(), KeyError)

        def check(_):
            self.flushLoggedErrors(KeyError)
            proto.protocol.lost.trap(KeyError)
            self.assertIsInstance(parsed.shutdown, errorOccurred)

        return d.addCallback(check)

    def test_pauseProducing(self):
        """
        While the protocol has paused its transport, input waits; resumed,
        every line arrives in order.
        """
        class Slow(LineReceiver):
            def lineReceived(self, line):
                self.pauseProducing()
                reactor.callLater(0, self.resumeProducing)

        graph, parsed, wire = runGraph(ProtocolComponent(Slow), [b"1\r\n2\r\n", b"3\r\n", b"4\r\n"])
        return graph.whenDone().addCallback(
            lambda _: self.assertEqual(parsed.collected, [b"1", b"2", b"3", b"4"]))


class FaultTests(unittest.TestCase):
    """
    A protocol that drops its peer for bad input fails the component with
    L{ProtocolInputError}, and the graph stops.
    """

    def assertRefused(self, protocol, chunks, why):
        proto = ProtocolComponent(protocol)
        graph, parsed, wire = runGraph(proto, chunks)
        d = self.assertFailure(graph.whenDone(), ProtocolInputError)

        def check(error):
            self.assertTrue(self.flushLoggedErrors(ProtocolInputError))
            self.assertEqual(str(error), "{} dropped its peer after {}".format(proto.name, why))
            self.assertIsInstance(parsed.shutdown, errorOccurred)
            self.assertIn(why, parsed.shutdown.reason)
            self.assertTrue(all(child.isDone() for child in graph.childComponents()))
            return parsed

        return d.addCallback(check)

    def test_garbageNetstring(self):
        d = self.assertRefused(NetstringReceiver, [b"3:abc,", b"garbage", b"5:later,"],
                               "input that is not a netstring")
        return d.addCallback(lambda parsed: self.assertEqual(parsed.collected, [b"abc"]))

    def test_lineTooLong(self):
        class Short(LineReceiver):
            MAX_LENGTH = 8

        return self.assertRefused(Short, [b"ok\r\n", b"x" * 20 + b"\r\n"],
                                  "a line longer than MAX_LENGTH (8 bytes)")

    def test_lengthPrefixTooLong(self):
        class Small(Int32StringReceiver):
            MAX_LENGTH = 10

        return self.assertRefused(Small, [b"\x00\x00\x01\x00"], "a length prefix of 256 (MAX_LENGTH is 10)")

    def test_overriddenRefusalIsNotAnError(self):
        """
        A protocol whose C{lineLengthExceeded} keeps the connection is not
        reported as refusing input.
        """
        class Lenient(LineReceiver):
            MAX_LENGTH = 4

            def lineLengthExceeded(self, line):
                self.sendLine(b"too long")

        graph, parsed, wire = runGraph(ProtocolComponent(Lenient), [b"123456789\r\n", b"ok\r\n"])

        def check(_):
            self.assertEqual(wire.collected, [b"too long\r\n"])
            self.assertEqual(parsed.collected, [b"ok"])

        return graph.whenDone().addCallback(check)


class FlowTests(unittest.TestCase):
    """
    Output waits for a bounded receiver; producers registered on the
    transport are driven by the component.
    """

    def test_boundedReceiver(self):
        lines = [str(n).encode() for n in range(50)]
        graph, parsed, wire = runGraph(ProtocolComponent(Shout), [b"\r\n".join(lines) + b"\r\n"], wireSize=2)
        return graph.whenDone().addCallback(
            lambda _: self.assertEqual(wire.collected, [line + b"\r\n" for line in lines]))

    def test_fileSender(self):
        """
        A pull producer (L{FileSender}) sends a whole file through a bounded
        receiver; the protocol then closes.
        """
        path = self.mktemp()
        content = bytes(range(256)) * 400
        with open(path, "wb") as f:
            f.write(content)

        class Sender(Protocol):
            def connectionMade(self):
                self.file = open(path, "rb")
                d = FileSender().beginFileTransfer(self.file, self.transport)
                d.addCallback(lambda _: self.transport.loseConnection())

            def connectionLost(self, reason):
                self.file.close()

        proto = ProtocolComponent(Sender)
        graph, parsed, wire = runGraph(proto, [], wireSize=2)

        def check(_):
            self.assertEqual(b"".join(wire.collected), content)
            self.assertGreater(len(wire.collected), 2)
            self.assertIsNone(proto.transport.producer)

        return graph.whenDone().addCallback(check)

    def test_secondProducer(self):
        transport = ProtocolComponent(Protocol).transport
        transport.registerProducer(FileSender(), False)
        self.assertRaises(RuntimeError, transport.registerProducer, FileSender(), False)

    def test_writeText(self):
        transport = ProtocolComponent(Protocol).transport
        error = self.assertRaises(TypeError, transport.write, "text")
        self.assertEqual(str(error), "data must be bytes, not str")


class AMPTests(unittest.TestCase):
    """
    AMP commands on C{send}, their answers on C{parsed}, against a peer
    that is itself a L{ProtocolComponent} linked in the same graph.
    """

    def converse(self, commands):
        client, server = ProtocolComponent(amp.AMP), ProtocolComponent(Calculator)
        for command in commands:
            client.inboxes["send"].deliver(command)
        answers = Collect()
        graph = Graphline(
            CLIENT=client, SERVER=server, ANSWERS=answers,
            linkages={
                ("CLIENT", "outbox"): ("SERVER", "inbox"),
                ("SERVER", "outbox"): ("CLIENT", "inbox"),
                ("CLIENT", "parsed"): ("ANSWERS", "inbox"),
            },
        ).activate()
        return graph, client, answers

    def stopWhenAnswered(self, graph, answers, count):
        def poll():
            if len(answers.collected) < count:
                return reactor.callLater(0, poll)
            graph.inboxes["control"].deliver(shutdownMicroprocess())
        poll()
        return graph.whenDone()

    def test_commands(self):
        graph, client, answers = self.converse([(Sum, {"a": 1, "b": 2}), (Divide, {"a": 7, "b": 2})])

        def check(_):
            self.assertEqual(answers.collected, [{"total": 3}, {"quotient": 3}])

        return self.stopWhenAnswered(graph, answers, 2).addCallback(check)

    def test_remoteError(self):
        """
        A command the peer answers with an error leaves on C{parsed} as a
        Failure of the declared exception.
        """
        graph, client, answers = self.converse([(Divide, {"a": 1, "b": 0})])

        def check(_):
            [failure] = answers.collected
            failure.trap(ZeroDivisionError)

        return self.stopWhenAnswered(graph, answers, 1).addCallback(check)

    def test_badCommandMessage(self):
        graph, client, answers = self.converse(["Sum 1 2"])
        d = self.assertFailure(client.whenDone(), TypeError)

        def check(error):
            self.assertIn("an AMP 'send' message must be (CommandClass, {argument: value})", str(error))
            return self.assertFailure(graph.whenDone(), TypeError)

        return d.addCallback(check).addCallback(lambda _: self.flushLoggedErrors(TypeError))


class Take(Component):
    """
    Keep the first C{count} messages in C{collected}, then send
    L{producerFinished} on C{signal} and end (or end on shutdown).
    """

    def __init__(self, count, **attributes):
        Component.__init__(self, **attributes)
        self.count = count
        self.collected = []

    def main(self):
        while len(self.collected) < self.count:
            while self.dataReady("inbox") and len(self.collected) < self.count:
                self.collected.append(self.recv("inbox"))
            if self.checkShutdown() is not None:
                break
            if len(self.collected) < self.count:
                self.pause()
            yield 1
        self.send(producerFinished(self), "signal")


def protocolClient(port, protocol, sends, count):
    """
    A client graph: a L{TCPClient} to C{port} speaking C{protocol}; C{sends}
    go to its C{send} inbox; it closes after C{count} parsed units (kept in
    the returned L{Take}), or when the server closes.

    @return: C{(graph, take)}.
    """
    take = Take(count)
    graph = Graphline(
        TCP=TCPClient("127.0.0.1", port), PROTO=ProtocolComponent(protocol),
        SOURCE=DataSource(sends), TAKE=take,
        linkages={
            ("TCP", "outbox"): ("PROTO", "inbox"),
            ("PROTO", "outbox"): ("TCP", "inbox"),
            ("SOURCE", "outbox"): ("PROTO", "send"),
            ("PROTO", "parsed"): ("TAKE", "inbox"),
            ("TCP", "signal"): ("PROTO", "control"),
            ("PROTO", "signal"): ("TAKE", "control"),
            ("TAKE", "signal"): ("TCP", "control"),
        },
    )
    return graph, take


class Reverse(NetstringReceiver):
    def stringReceived(self, string):
        self.sendString(string[::-1])


class LoopbackTests(unittest.TestCase):
    """
    Servers whose handlers are L{ProtocolComponent}s, and client graphs,
    over real loopback connections.
    """

    @defer.inlineCallbacks
    def test_lines(self):
        _, port = yield serveOnLoopback(self, lambda: ProtocolComponent(Shout))
        graph, take = protocolClient(port, LineReceiver, [b"hello", b"world"], 2)
        yield graph.activate().whenDone()
        self.assertEqual(take.collected, [b"HELLO", b"WORLD"])

    @defer.inlineCallbacks
    def test_serverCloses(self):
        """
        The server's protocol closes the connection; the client's protocol
        component ends with the lines received before.
        """
        _, port = yield serveOnLoopback(self, lambda: ProtocolComponent(Shout))
        graph, take = protocolClient(port, LineReceiver, [b"one", b"QUIT", b"never"], 10)
        yield graph.activate().whenDone()
        self.assertEqual(take.collected, [b"ONE"])
        self.assertIsInstance(graph.components["PROTO"].protocol, LineReceiver)

    @defer.inlineCallbacks
    def test_netstrings(self):
        _, port = yield serveOnLoopback(self, lambda: ProtocolComponent(Reverse))
        big = bytes(range(256)) * 300
        graph, take = protocolClient(port, NetstringReceiver, [b"abc", big, b""], 3)
        yield graph.activate().whenDone()
        self.assertEqual(take.collected, [b"cba", big[::-1], b""])

    @defer.inlineCallbacks
    def test_amp(self):
        _, port = yield serveOnLoopback(self, lambda: ProtocolComponent(Calculator))
        commands = [(Sum, {"a": n, "b": 1}) for n in range(20)] + [(Divide, {"a": 1, "b": 0})]
        graph, take = protocolClient(port, amp.AMP, commands, 21)
        yield graph.activate().whenDone()
        self.assertEqual(take.collected[:20], [{"total": n + 1} for n in range(20)])
        take.collected[20].trap(ZeroDivisionError)

    @defer.inlineCallbacks
    def test_garbageToServer(self):
        """
        A client sending garbage to a netstring server: the server's handler
        fails with a clear error and closes the connection; the server keeps
        serving.
        """
        _, port = yield serveOnLoopback(self, lambda: ProtocolComponent(Reverse))
        bad = Graphline(TCP=TCPClient("127.0.0.1", port), SOURCE=DataSource([b"3:abc,", b"garbage"]),
                        OUT=Collect(),
                        linkages={("SOURCE", "outbox"): ("TCP", "inbox"), ("TCP", "outbox"): ("OUT", "inbox"),
                                  ("TCP", "signal"): ("OUT", "control")})
        yield bad.activate().whenDone()
        self.assertEqual(b"".join(bad.components["OUT"].collected), b"3:cba,")
        self.assertEqual(len(self.flushLoggedErrors(ProtocolInputError)), 1)
        graph, take = protocolClient(port, NetstringReceiver, [b"still", b"here"], 2)
        yield graph.activate().whenDone()
        self.assertEqual(take.collected, [b"llits", b"ereh"])


class EchoCommandTests(unittest.TestCase):
    """
    The server of C{twistd -n kamaelia echo}: Twisted's Echo in a
    L{ProtocolComponent} per connection.
    """

    @defer.inlineCallbacks
    def test_peerHalfCloseGetsEverythingBack(self):
        """
        A peer that sends 100 KB, then shuts its write side and reads to the
        end, gets all of it back.
        """
        options = Options()
        options.parseOptions(["echo", "--port", "tcp:0:interface=127.0.0.1"])
        server = options.graph.activate()
        self.addCleanup(stopServer, server)
        listening = yield server.whenListening()
        payload = bytes(range(256)) * 400
        peer = HalfCloser(payload)
        yield connectPlain(listening.getHost().port, peer)
        self.assertEqual((yield peer.done), payload)


class ChatClient(LineReceiver):
    """
    A plain Twisted line client: C{lines} gets each line received; C{closed}
    fires when the connection has gone.
    """

    def __init__(self):
        self.lines = defer.DeferredQueue()
        self.closed = defer.Deferred()

    def lineReceived(self, line):
        self.lines.put(line)

    def connectionLost(self, reason):
        self.closed.callback(None)


class ChatServerTests(unittest.TestCase):
    """
    examples/chat_server.py with two real loopback clients.
    """

    @defer.inlineCallbacks
    def test_twoUsers(self):
        path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "examples", "chat_server.py")
        graph = loadGraph(path + ":makeGraph",
                          {"port": "tcp:0:interface=127.0.0.1", "backplane": "CHAT-" + self.id()}).activate()
        listening = yield graph.components["SERVER"].whenListening()
        endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", listening.getHost().port)
        alice = yield connectProtocol(endpoint, ChatClient())
        self.assertEqual((yield alice.lines.get()), b"* you are guest1")
        bob = yield connectProtocol(endpoint, ChatClient())
        self.assertEqual((yield bob.lines.get()), b"* you are guest2")

        alice.sendLine(b"hello bob")
        self.assertEqual((yield bob.lines.get()), b"guest1: hello bob")
        bob.sendLine(b"hi alice")
        bob.sendLine(b"bye")
        self.assertEqual((yield alice.lines.get()), b"guest2: hi alice")
        self.assertEqual((yield alice.lines.get()), b"guest2: bye")

        bob.transport.loseConnection()
        yield bob.closed
        alice.sendLine(b"anyone?")
        alice.transport.loseConnection()
        yield alice.closed
        self.assertEqual(bob.lines.pending, [])
        self.assertEqual(alice.lines.pending, [])

        graph.inboxes["control"].deliver(shutdownMicroprocess())
        yield graph.whenDone()
        self.assertEqual(graph.components["SERVER"].factory.connections, set())
