"""
Kamaelia's own networking components, unmodified, on the reactor with
L{ReactorSelector} as their selector service (the Axon layer installed; no
thread polls).
"""

import os
import socket
import threading

from kamaelia_twisted.axon import install

install()  # before Kamaelia is imported

from Axon.CoordinatingAssistantTracker import coordinatingassistanttracker  # noqa: E402
from Kamaelia.Chassis.ConnectedServer import ServerCore, SimpleServer  # noqa: E402
from Kamaelia.Chassis.Pipeline import Pipeline as KPipeline  # noqa: E402
from Kamaelia.File.BetterReading import IntelligentFileReader  # noqa: E402
from Kamaelia.Internet.Selector import Selector  # noqa: E402
from Kamaelia.Internet.TCPClient import TCPClient  # noqa: E402
from Kamaelia.Internet.UDP_ng import UDPSender  # noqa: E402
from Kamaelia.Protocol.EchoProtocol import EchoProtocol  # noqa: E402
from Kamaelia.Util.PureTransformer import PureTransformer  # noqa: E402
from twisted.internet import defer, reactor  # noqa: E402
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol  # noqa: E402
from twisted.internet.error import ConnectionRefusedError  # noqa: E402
from twisted.internet.protocol import DatagramProtocol, Protocol  # noqa: E402
from twisted.internet.task import deferLater  # noqa: E402
from twisted.trial import unittest  # noqa: E402

from kamaelia_twisted import Component, Graphline, Pipeline, producerFinished  # noqa: E402
from kamaelia_twisted.axon.selector import ReactorSelector  # noqa: E402
from kamaelia_twisted.codec import VorbisDecode  # noqa: E402
from kamaelia_twisted.core.shutdown import askToStop  # noqa: E402
from kamaelia_twisted.media import SAMPLE  # noqa: E402
from kamaelia_twisted.net import TCPClient as OurTCPClient  # noqa: E402
from kamaelia_twisted.util import Collect, DataSource  # noqa: E402
from tests.children import spawn  # noqa: E402
from tests.test_axon_selector import watched  # noqa: E402
from tests.test_oggvorbis import reference  # noqa: E402


def freePort(kind=socket.SOCK_STREAM):
    probe = socket.socket(socket.AF_INET, kind)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class Receive(Component):
    """
    Join the bytes arriving on C{inbox} until C{total} have come, then send
    L{producerFinished} from C{signal}; C{main} returns the bytes.
    """

    def __init__(self, total):
        Component.__init__(self)
        self.total = total

    def main(self):
        received = bytearray()
        while len(received) < self.total:
            while self.dataReady("inbox"):
                received += self.recv("inbox")
            if len(received) < self.total:
                self.pause()
                yield 1
        self.send(producerFinished(self), "signal")
        return bytes(received)


class Datagrams(DatagramProtocol):
    """
    Keep the datagrams received; C{done} fires with them once C{count} have come.
    """

    def __init__(self, count):
        self.count = count
        self.received = []
        self.done = defer.Deferred()

    def datagramReceived(self, data, address):
        self.received.append(data)
        if len(self.received) == self.count:
            self.done.callback(self.received)


class Exchange(Protocol):
    """
    Send C{message} once connected, and close once a whole line has come
    back; C{done} fires with what came, C{port} is the local port.
    """

    def __init__(self, message):
        self.message = message
        self.received = b""
        self.done = defer.Deferred()

    def connectionMade(self):
        self.port = self.transport.getHost().port
        self.transport.write(self.message)

    def dataReceived(self, data):
        self.received += data
        if self.received.endswith(b"\n"):
            self.transport.loseConnection()

    def connectionLost(self, reason):
        self.done.callback(self.received)


class Download(Protocol):
    """
    Keep what arrives; C{done} fires with it when the server closes.
    """

    def __init__(self):
        self.received = []
        self.done = defer.Deferred()

    def dataReceived(self, data):
        self.received.append(data)

    def connectionLost(self, reason):
        self.done.callback(b"".join(self.received))


@defer.inlineCallbacks
def connectOnceListening(port, protocol):
    """
    Connect C{protocol} to C{port} on loopback, trying again until the server
    listens.
    """
    while True:
        try:
            yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), protocol)
        except ConnectionRefusedError:
            yield deferLater(reactor, 0.05, lambda: None)
        else:
            return


class KamaeliaOnSelectorTests(unittest.TestCase):
    def setUp(self):
        self.tracker = coordinatingassistanttracker.getcat()
        self.threads = threading.active_count()

    def selector(self):
        """
        Return the selector the tracker gives Kamaelia's components: ours,
        already running, so that Kamaelia starts none of its own.
        """
        service, shutdownService, new = Selector.getSelectorServices(self.tracker)
        self.assertIsNone(new)
        self.assertIsInstance(service[0], ReactorSelector)
        self.assertEqual((service[1], shutdownService), ("notify", (service[0], "control")))
        return service[0]

    @defer.inlineCallbacks
    def test_echoServerAndClients(self):
        """
        Kamaelia's SimpleServer with EchoProtocol serves five of Kamaelia's
        TCPClients at once over loopback; each gets its own bytes back. When
        the server stops, its TCPServer retires the selector, which ends once
        its connections have closed, leaving nothing in the reactor; its
        successor serves the next program.
        """
        selector, port = self.selector(), freePort()
        server = SimpleServer(protocol=EchoProtocol, port=port).activate()
        graphs = []
        for n in range(5):
            chunks = [bytes([65 + n]) * 1000 + b"%d\n" % i for i in range(20)]
            graphs.append((b"".join(chunks), Graphline(
                SOURCE=DataSource(chunks), CLIENT=TCPClient("127.0.0.1", port),
                RECEIVE=Receive(sum(map(len, chunks))),
                linkages={("SOURCE", "outbox"): ("CLIENT", "inbox"),
                          ("CLIENT", "outbox"): ("RECEIVE", "inbox"),
                          ("RECEIVE", "signal"): ("CLIENT", "control")}).activate()))
        yield defer.gatherResults([graph.whenDone() for _, graph in graphs])
        for sent, graph in graphs:
            receiver = [child for child in graph.childComponents() if isinstance(child, Receive)][0]
            self.assertEqual((yield receiver.whenDone()), sent)
        askToStop(server)
        yield server.whenDone()
        yield selector.whenDone()
        self.assertEqual(watched(), ([], []))
        self.assertIsNot(self.selector(), selector)
        self.assertEqual(threading.active_count(), self.threads)

    @defer.inlineCallbacks
    def test_serverCoreProtocolFactory(self):
        """
        Kamaelia's ServerCore calls its protocol factory with each
        connection's addresses; here it makes a Kamaelia Pipeline around a
        PureTransformer that answers with them. Each client gets its own
        addresses back; when a client closes, the server shuts its handler
        down (socketShutdown on control) and the handler ends.
        """
        selector, port = self.selector(), freePort()
        handlers = []

        def protocol(peer, peerport, localip, localport):
            def answer(data):
                return b"%s:%d -> %s:%d %s\n" % (peer.encode(), peerport, localip.encode(), localport,
                                                  data.upper())

            handlers.append(KPipeline(PureTransformer(answer)))
            return handlers[-1]

        server = ServerCore(protocol=protocol, port=port).activate()
        clients = []
        for n in range(3):
            client = Exchange(b"client %d" % n)
            yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), client)
            clients.append(client)
        for n, client in enumerate(clients):
            self.assertEqual((yield client.done),
                             b"127.0.0.1:%d -> 127.0.0.1:%d CLIENT %d\n" % (client.port, port, n))
        yield defer.gatherResults([handler.whenDone() for handler in handlers])
        self.assertEqual(len(handlers), 3)
        askToStop(server)
        yield server.whenDone()
        yield selector.whenDone()
        self.assertEqual(watched(), ([], []))

    @defer.inlineCallbacks
    def test_udpSender(self):
        """
        Kamaelia's UDPSender waits for its socket to be writable through the
        selector and sends each message as a datagram. (Kamaelia 1.14's
        UDPReceiver fails on Python 3 after its first read, whatever the
        selector: UDP_ng uses C{sys} without importing it.)
        """
        self.selector()
        messages = [b"datagram %d" % n for n in range(10)]
        peer = Datagrams(len(messages))
        port = reactor.listenUDP(0, peer, interface="127.0.0.1")
        self.addCleanup(port.stopListening)
        sender = Graphline(
            SOURCE=DataSource(messages),
            SEND=UDPSender(receiver_addr="127.0.0.1", receiver_port=port.getHost().port),
            linkages={("SOURCE", "outbox"): ("SEND", "inbox"),
                      ("SOURCE", "signal"): ("SEND", "control")}).activate()
        yield sender.whenDone()
        self.assertEqual((yield peer.done), messages)
        self.assertEqual(watched(), ([], []))
        self.assertEqual(threading.active_count(), self.threads)

    @defer.inlineCallbacks
    def test_intelligentFileReaderFile(self):
        """
        Kamaelia's IntelligentFileReader asks the selector before each burst
        of reads of a regular file (always ready, as select() reports it;
        Twisted's epoll reactor polls what epoll cannot watch) and reads it
        all in C{chunksize} chunks.
        """
        selector, data = self.selector(), os.urandom(100 * 1024 + 7)
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(data)
        sink = Collect()
        yield KPipeline(IntelligentFileReader(path, chunksize=1024, maxqueue=5), sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), data)
        self.assertEqual(max(map(len, sink.collected)), 1024)
        self.assertEqual(selector.watching(), [])
        self.assertEqual(watched(), ([], []))

    @defer.inlineCallbacks
    def test_intelligentFileReaderPipe(self):
        """
        IntelligentFileReader on a pipe (by its /dev/fd name), whose
        readiness the reactor watches, reads up to the end of the stream.
        """
        selector, data = self.selector(), os.urandom(40 * 1024)
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        os.write(w, data)
        os.close(w)
        sink = Collect()
        reader = IntelligentFileReader("/dev/fd/{}".format(r), chunksize=4096, maxqueue=2)
        yield KPipeline(reader, sink).activate().whenDone()
        self.assertEqual(b"".join(sink.collected), data)
        self.assertEqual(selector.watching(), [])
        self.assertEqual(watched(), ([], []))


class StreamingServerTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_kamaeliaServerToOurClient(self):
        """
        examples/kamaelia_streaming_server.py (Kamaelia's ReadFileAdaptor in
        bitrate mode, served by Kamaelia's SimpleServer) run with
        C{python -m kamaelia_twisted.axon} streams the bundled sample to our
        C{Pipeline(TCPClient, VorbisDecode, Collect)}: the samples decoded are
        ov_read's; a plain Twisted client alongside gets the file's bytes.
        """
        port = freePort()
        server = spawn(self, ["-m", "kamaelia_twisted.axon", "examples/kamaelia_streaming_server.py",
                              "--port", str(port), "--bitrate", "8000000"])
        yield server.whenOutput(rb"streaming .*sample\.ogg at 8,000,000 bit/s on port \d+")
        download = Download()
        yield connectOnceListening(port, download)
        sink = Collect()
        yield Pipeline(OurTCPClient("127.0.0.1", port), VorbisDecode(), sink).activate().whenDone()
        with open(SAMPLE, "rb") as f:
            self.assertTrue((yield download.done) == f.read(), "the bytes received differ from the file's")
        expected, rate, channels = reference(SAMPLE)
        self.assertEqual({(chunk.rate, chunk.channels) for chunk in sink.collected}, {(rate, channels)})
        self.assertTrue(b"".join(chunk.data for chunk in sink.collected) == expected,
                        "the decoded samples differ from ov_read's")
        self.assertFalse(server.ended.called, server.err)
