"""
L{TCPClient}: a client connection as a component, Kamaelia's way::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import TCPClient
    from kamaelia_twisted.util import Collect

    received = Collect()
    Pipeline(TCPClient("127.0.0.1", 1500), received).run()

Any Twisted client endpoint works, as a string or an object::

    TCPClient(endpoint="tcp:host=127.0.0.1:port=1500")
    TCPClient(endpoint="unix:path=/tmp/echo.sock")
    TCPClient(endpoint="ssl:host=example.com:port=443")
"""

from twisted.internet.defer import maybeDeferred
from twisted.internet.endpoints import HostnameEndpoint, clientFromString
from twisted.internet.interfaces import IHalfCloseableDescriptor
from twisted.internet.protocol import Factory

from ..core.ipc import producerFinished, shutdownMicroprocess
from ..core.notifier import Notifier
from .connection import Connection, ConnectionProtocol


class TCPClient(Connection):
    """
    Connect, then send the peer's bytes on C{outbox} and write C{inbox} to
    the peer (see L{Connection} for closing and flow control).

    A L{producerFinished} on C{control} (nothing more to send) shuts the
    write side once what is queued has been written, as
    C{shutdown(SHUT_WR)} does: the client goes on reading until the peer
    closes, then closes and passes the message on on C{signal}. (A TLS
    connection cannot be half closed: it closes after the writes.) A
    L{shutdownMicroprocess} closes the connection at once, after writing
    what is queued. When the peer closes (or shuts its write side) first,
    the client writes what is queued, closes and sends L{producerFinished}
    on C{signal}.

    If connecting fails, the component fails with the reason: it is logged,
    C{signal} gets an L{errorOccurred} and L{whenDone} errbacks. A
    L{shutdownMicroprocess} on C{control} while connecting cancels the
    attempt; a L{producerFinished} waits for the connection.

    @ivar endpoint: the client endpoint (string or C{IStreamClientEndpoint}).
    """

    def __init__(self, host=None, port=None, endpoint=None, timeout=30, **attributes):
        """
        @param host: the host name or address to connect to.
        @param port: the TCP port to connect to.
        @param endpoint: instead of C{host} and C{port}, a client endpoint
            description (C{"tcp:host=H:port=P"}, C{"ssl:..."}, C{"unix:path=..."})
            or an C{IStreamClientEndpoint}.
        @param timeout: seconds to wait for the connection (C{host}/C{port} form).
        @param attributes: see L{Connection} (C{inboxSize}, C{reactor}).
        """
        if (endpoint is None) == (host is None or port is None):
            raise ValueError("TCPClient takes host and port, or endpoint, not both or neither")
        Connection.__init__(self, **attributes)
        self.host, self.port, self.timeout = host, port, timeout
        self.endpoint = endpoint
        self._connected = Notifier()

    def whenConnected(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires with the transport once connected, or
        errbacks with the reason connecting failed (C{CancelledError} if it
        was cancelled).
        """
        return self._connected.when()

    def clientEndpoint(self):
        """
        Return the C{IStreamClientEndpoint} to connect with.
        """
        if self.endpoint is None:
            return HostnameEndpoint(self.reactor, self.host, self.port, timeout=self.timeout)
        if isinstance(self.endpoint, str):
            return clientFromString(self.reactor, self.endpoint)
        return self.endpoint

    def main(self):
        shutdown = yield from self._connect()
        if shutdown is not None:
            self.send(shutdown, "signal")
            return
        yield from Connection.main(self)

    def _connect(self):
        factory = Factory.forProtocol(lambda: ConnectionProtocol(self))
        outcome = []
        connecting = maybeDeferred(lambda: self.clientEndpoint().connect(factory))
        connecting.addBoth(lambda result: (outcome.append(result), self._notify()))
        control = self.inboxes["control"]
        while not outcome:
            if any(isinstance(message, shutdownMicroprocess) for message in control):
                connecting.cancel()
                self._connected.fire(outcome[0])
                return self.checkShutdown()
            self.pause()
            yield 1
        if not isinstance(outcome[0], ConnectionProtocol):
            self._connected.fire(outcome[0])
            outcome[0].raiseException()
        self._connected.fire(self.transport)
        return None

    def _closeTransport(self, closing):
        if isinstance(closing, producerFinished) and IHalfCloseableDescriptor.providedBy(self.transport):
            self.transport.loseWriteConnection()
        else:
            self.transport.loseConnection()

    def _peerFinished(self):
        if self._closed:
            self.transport.loseConnection()
        else:
            self._flushAndClose(None)
