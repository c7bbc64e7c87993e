"""
L{Connection}: one connected Twisted transport as a component.

Bytes from the peer leave on C{outbox}; bytes sent to C{inbox} are written
to the peer, with flow control both ways (see
L{kamaelia_twisted.core.transport}): a full receiver stops the transport
reading, so TCP slows the peer down, and a full transport stops the
component taking from its bounded C{inbox}.

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

from twisted.internet.interfaces import IHalfCloseableProtocol
from twisted.internet.protocol import Protocol
from zope.interface import implementer

from ..core.transport import TransportComponent


class Connection(TransportComponent):
    """
    A connected transport: C{inbox} to the peer, the peer to C{outbox}.

    A L{producerFinished} or L{shutdownMicroprocess} on C{control} writes
    what is queued, closes the connection and is passed on on C{signal}.
    When the peer closes or shuts its write side, C{signal} gets
    L{producerFinished} (after every received byte has been delivered) and
    C{inbox} is still written to the peer until C{control} says to close;
    when the connection is lost any other way, C{signal} gets an
    L{errorOccurred} with the reason.
    """

    Inboxes = {
        "inbox": "Bytes to write to the peer",
        "control": "producerFinished/shutdownMicroprocess: flush, then close",
    }
    Outboxes = {
        "outbox": "Bytes received from the peer",
        "signal": "producerFinished on a clean close, errorOccurred on a lost connection",
    }
    destination = "the network"


@implementer(IHalfCloseableProtocol)
class ConnectionProtocol(Protocol):
    """
    Hand a transport's events to a L{Connection}, including the peer
    shutting its write side (C{readConnectionLost}).

    @ivar connection: the L{Connection} served.
    """

    # Slots for what it and Twisted set: a protocol per connection has no __dict__.
    __slots__ = ("connection", "transport", "connected", "factory")

    def __init__(self, connection):
        self.connection = connection
        self.transport = self.factory = None
        self.connected = 0

    def connectionMade(self):
        self.connection.attach(self.transport)

    def dataReceived(self, data):
        self.connection.dataReceived(data)

    def readConnectionLost(self):
        self.connection.readConnectionLost()

    def writeConnectionLost(self):
        pass

    def connectionLost(self, reason):
        self.connection.connectionLost(reason)
