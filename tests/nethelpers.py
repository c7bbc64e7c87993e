"""
Peers and components the network tests share.
"""

from twisted.internet import defer, reactor
from twisted.internet.endpoints import TCP4ClientEndpoint, TCP4ServerEndpoint
from twisted.internet.error import ConnectionDone
from twisted.internet.interfaces import IHalfCloseableProtocol
from twisted.internet.protocol import Factory, Protocol
from zope.interface import implementer

from kamaelia_twisted import Component, producerFinished, shutdownMicroprocess
from kamaelia_twisted.net import SimpleServer
from kamaelia_twisted.util import PureTransformer


class Recorder(Protocol):
    """
    Keep every byte received; C{done} fires with them when the connection
    closes (errbacks if it is lost uncleanly).
    """

    def __init__(self):
        self.received = bytearray()
        self.done = defer.Deferred()
        self._waiters = []

    def whenReceived(self, count):
        """
        Return a L{Deferred} that fires once C{count} bytes have arrived.
        """
        d = defer.Deferred()
        self._waiters.append((count, d))
        self._check()
        return d

    def dataReceived(self, data):
        self.received += data
        self._check()

    def _check(self):
        ready = [(n, d) for n, d in self._waiters if len(self.received) >= n]
        for waiter in ready:
            self._waiters.remove(waiter)
            waiter[1].callback(self)

    def connectionLost(self, reason):
        if reason.check(ConnectionDone):
            self.done.callback(bytes(self.received))
        else:
            self.done.errback(reason)


class Greeter(Recorder):
    """
    Write C{greeting}, then close.
    """

    greeting = b""

    def connectionMade(self):
        self.transport.write(self.greeting)
        self.transport.loseConnection()


@implementer(IHalfCloseableProtocol)
class HalfCloser(Recorder):
    """
    Write C{payload}, shut the write side, and keep reading until the peer
    closes its side (then close): C{done} fires with all that came back.
    """

    def __init__(self, payload):
        Recorder.__init__(self)
        self.payload = payload

    def connectionMade(self):
        self.transport.write(self.payload)
        self.transport.loseWriteConnection()

    def readConnectionLost(self):
        self.transport.loseConnection()

    def writeConnectionLost(self):
        pass


@implementer(IHalfCloseableProtocol)
class HalfCloseEcho(Protocol):
    """
    Plain Twisted echo that answers a shut write side by closing once all
    it echoed is written.
    """

    def dataReceived(self, data):
        self.transport.write(data)

    def readConnectionLost(self):
        self.transport.loseConnection()

    def writeConnectionLost(self):
        pass


@defer.inlineCallbacks
def listenPlain(testCase, protocolFactory):
    """
    Listen on a free loopback port with plain Twisted, stopping at cleanup.

    @return: a L{Deferred} of C{(portNumber, protocols)}, C{protocols} being
        the list the connections' protocols are appended to.
    """
    protocols = []

    def build():
        protocol = protocolFactory()
        protocols.append(protocol)
        return protocol

    port = yield TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1").listen(Factory.forProtocol(build))
    testCase.addCleanup(port.stopListening)
    return port.getHost().port, protocols


def connectPlain(portNumber, protocol):
    """
    Connect C{protocol} to C{127.0.0.1:portNumber}.
    """
    return TCP4ClientEndpoint(reactor, "127.0.0.1", portNumber).connect(
        Factory.forProtocol(lambda: protocol))


def keeping(handlerClass, handlers):
    """
    Return a handler factory making C{handlerClass()}, appended to C{handlers}.
    """

    def make():
        handler = handlerClass()
        handlers.append(handler)
        return handler

    return make


class Echo(PureTransformer):
    """
    Send back what arrives, waiting for room; end on shutdown, passing it on
    (and keeping it in C{shutdown}).
    """


def freePort():
    """
    Return a L{Deferred} of a loopback TCP port number nothing listens on.
    """
    endpoint = TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1")

    def close(port):
        number = port.getHost().port
        return defer.maybeDeferred(port.stopListening).addCallback(lambda _: number)

    return endpoint.listen(Factory.forProtocol(Protocol)).addCallback(close)


class Take(Component):
    """
    Collect C{count} messages, then send producerFinished and end (or end
    early on a shutdown message, passing it on).

    @ivar collected: the messages.
    @ivar full: a L{Deferred} that fires the first time the inbox is full.
    @ivar hold: while true, leave messages in the inbox.
    """

    def __init__(self, count, hold=False, **attributes):
        Component.__init__(self, **attributes)
        self.count, self.hold = count, hold
        self.collected = []
        self.full = defer.Deferred()

    def release(self):
        """
        Start taking messages.
        """
        self.hold = False
        self.inboxes["control"].deliver(None)

    def main(self):
        inbox = self.inboxes["inbox"]
        while len(self.collected) < self.count:
            if not self.full.called and inbox.isFull():
                self.full.callback(len(inbox))
            while not self.hold and len(inbox) and len(self.collected) < self.count:
                self.collected.append(self.recv())
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            if len(self.collected) < self.count:
                self.pause()
                yield 1
        self.send(producerFinished(self), "signal")


@defer.inlineCallbacks
def serveOnLoopback(testCase, protocol, **kw):
    """
    Start a L{SimpleServer} on a free loopback port, stopped at C{testCase}'s
    cleanup.

    @return: a L{Deferred} of C{(server, portNumber)}.
    """
    server = SimpleServer(protocol=protocol, port=0, interface="127.0.0.1", **kw).activate()
    testCase.addCleanup(stopServer, server)
    listening = yield server.whenListening()
    return server, listening.getHost().port


def stopServer(server):
    """
    Ask C{server} to stop, if it still runs; return its C{whenDone()}.
    """
    if not server.isDone():
        server.inboxes["control"].deliver(shutdownMicroprocess())
    return server.whenDone()
