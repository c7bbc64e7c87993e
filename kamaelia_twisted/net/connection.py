"""
L{Connection}: one connected Twisted transport as a component.

Bytes from the peer leave on C{outbox}; bytes sent to C{inbox} are written
to the peer. Flow control runs both ways:

  - reading: when the inbox that C{outbox} feeds is bounded and full, the
    transport stops reading (C{pauseProducing}) until it is half empty, so
    a slow receiver slows the peer down through TCP;
  - writing: the component is the transport's push producer; while the
    transport's buffer is full it stops taking from its C{inbox}, which is
    bounded (L{Connection.defaultInboxSize} messages), so senders that wait
    with C{outboxes["outbox"].whenSpace()} pause instead of memory growing.

A L{ConnectionProtocol} feeds a L{Connection} from a transport::

    from twisted.internet.endpoints import TCP4ClientEndpoint
    from twisted.internet.protocol import Factory
    from kamaelia_twisted.net.connection import Connection, ConnectionProtocol

    connection = Connection()
    factory = Factory.forProtocol(lambda: ConnectionProtocol(connection))
    endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", 1500)
    endpoint.connect(factory).addCallback(lambda _: connection.activate())

Activate the component once the transport is attached (L{Connection.attach}).

L{kamaelia_twisted.net.TCPClient} and L{kamaelia_twisted.net.ComponentFactory}
are built this way.
"""

from twisted.internet.error import ConnectionDone
from twisted.internet.interfaces import IPushProducer
from twisted.internet.protocol import Protocol
from zope.interface import implementer

from ..core.component import Component
from ..core.ipc import errorOccurred, producerFinished
from .inflow import Inflow
from .payload import requireBytes


@implementer(IPushProducer)
class Connection(Component):
    """
    A connected transport: C{inbox} to the peer, the peer to C{outbox}.

    A L{producerFinished} or L{shutdownMicroprocess} on C{control} writes
    what is queued, closes the connection and is passed on on C{signal}.
    When the peer closes, C{signal} gets L{producerFinished} (after every
    received byte has been delivered); when the connection is lost any
    other way, an L{errorOccurred} with the reason.

    @ivar transport: the transport, once connected.
    @cvar defaultInboxSize: how many messages C{inbox} holds by default.
    """

    Inboxes = {
        "inbox": "Bytes to write to the peer",
        "control": "producerFinished/shutdownMicroprocess: flush, then close",
    }
    Outboxes = {
        "outbox": "Bytes received from the peer",
        "signal": "producerFinished on a clean close, errorOccurred on a lost connection",
    }
    defaultInboxSize = 32

    def __init__(self, inboxSize=defaultInboxSize, **attributes):
        """
        @param inboxSize: the most messages C{inbox} holds (L{None}: no bound).
        """
        Component.__init__(self, **attributes)
        self.inboxes["inbox"].setSize(inboxSize)
        self.transport = None
        self._inflow = None
        self._writePaused = self._closed = False
        self._lost = None

    # The protocol's side

    def attach(self, transport):
        """
        Start serving C{transport} (from the protocol's C{connectionMade}).
        """
        self.transport = transport
        self._inflow = Inflow(self.outboxes["outbox"], transport, self._notify)
        transport.registerProducer(self, True)
        self._notify()

    def dataReceived(self, data):
        """
        Deliver C{data} from the peer on C{outbox}.
        """
        self._inflow.deliver(data)

    def connectionLost(self, reason):
        """
        Note that the connection has gone, for C{reason}.
        """
        self._lost = reason
        self._inflow.stop()
        self._notify()

    # IPushProducer: the transport's flow control of what we write

    def pauseProducing(self):
        self._writePaused = True

    def resumeProducing(self):
        self._writePaused = False
        self._notify()

    def stopProducing(self):
        self._notify()

    def _notify(self):
        self.unpause()

    # The component's side

    def main(self):
        try:
            yield from self._serve()
        except Exception:
            self._close()
            raise

    def _serve(self):
        inbox = self.inboxes["inbox"]
        closing = None
        while True:
            if closing is None:
                while len(inbox) and not self._writePaused:
                    self._write(inbox.take())
                closing = self.checkShutdown()
                if closing is not None:
                    self._flushAndClose(closing)
            if self._lost is not None and self._delivered():
                break
            self.pause()
            yield 1
        self.send(self._endMessage(closing), "signal")

    def _write(self, data):
        self.transport.write(requireBytes(data, self.name))

    def _flushAndClose(self, closing):
        inbox = self.inboxes["inbox"]
        while len(inbox):
            self._write(inbox.take())
        self._close(closing)

    def _close(self, closing=None):
        """
        Close the connection, for C{closing} (a shutdown message, or
        L{None} when the component failed).
        """
        if self.transport is not None and self._lost is None and not self._closed:
            self._closed = True
            self.transport.unregisterProducer()
            self._closeTransport(closing)

    def _closeTransport(self, closing):
        """
        Close the transport (once, while it is connected), for C{closing}.
        """
        self.transport.loseConnection()

    def _delivered(self):
        """
        Whether all that was received has been delivered.
        """
        return self._inflow.drained

    def _endMessage(self, closing):
        """
        Return what to send on C{signal} at the end, given the shutdown
        message that closed the connection (or L{None}).
        """
        return closing or self._lostMessage()

    def _lostMessage(self):
        if self._lost.check(ConnectionDone):
            return producerFinished(self)
        return errorOccurred("{}: connection lost: {}".format(
            self.name, self._lost.getErrorMessage()), self._lost, caller=self)


class ConnectionProtocol(Protocol):
    """
    Hand a transport's events to a L{Connection}.

    @ivar connection: the L{Connection} served.
    """

    def __init__(self, connection):
        self.connection = connection

    def connectionMade(self):
        self.connection.attach(self.transport)

    def dataReceived(self, data):
        self.connection.dataReceived(data)

    def connectionLost(self, reason):
        self.connection.connectionLost(reason)
