"""
L{SimpleServer}: a listening server whose every connection is served by a
new handler component, as in Kamaelia::

    from kamaelia_twisted.net import SimpleServer

    SimpleServer(protocol=EchoProtocol, port=1500).run()

Any Twisted server endpoint works::

    SimpleServer(protocol=EchoProtocol, endpoint="tcp:0:interface=127.0.0.1")
    SimpleServer(protocol=EchoProtocol, endpoint="unix:/tmp/echo.sock")

Each handler's C{inbox} receives its peer's bytes and its C{outbox} goes to
the peer; see L{kamaelia_twisted.net.factory} for how connections end.
"""

from twisted.internet.endpoints import TCP4ServerEndpoint

from .connection import Connection
from .factory import ComponentFactory
from .listening import ListeningComponent


class SimpleServer(ListeningComponent):
    """
    Listen, serving each connection with C{protocol()}.

    Each connection's L{Connection} and handler are the server's children
    while they run (as in Kamaelia), so they run on its reactor. A
    L{producerFinished} or L{shutdownMicroprocess} on C{control} stops
    listening, asks every handler to stop, waits until their connections
    have closed and passes the message on on C{signal}.

    @ivar factory: the L{ComponentFactory}, once listening.
    """

    Outboxes = {"signal": "The shutdown message, once every connection has ended"}

    def __init__(self, protocol=None, port=None, interface="", endpoint=None,
                 inboxSize=Connection.defaultInboxSize, **attributes):
        """
        @param protocol: a callable returning a new handler component.
        @param port: the TCP port to listen on (0: any free port).
        @param interface: the address to listen on (default: all).
        @param endpoint: instead of C{port}, a server endpoint description
            (C{"tcp:1500"}, C{"ssl:..."}, C{"unix:..."}) or an
            C{IStreamServerEndpoint}.
        @param inboxSize: see L{kamaelia_twisted.net.ComponentProtocol}.
        """
        if not callable(protocol):
            raise TypeError("SimpleServer needs protocol=<callable returning a component>, not {!r}"
                            .format(protocol))
        if (endpoint is None) == (port is None):
            raise ValueError("SimpleServer takes port, or endpoint, not both or neither")
        ListeningComponent.__init__(self, endpoint, **attributes)
        self.protocol, self.port, self.interface, self.inboxSize = protocol, port, interface, inboxSize
        self.factory = None

    def serverEndpoint(self):
        if self.endpoint is None:
            return TCP4ServerEndpoint(self.reactor, self.port, interface=self.interface)
        return ListeningComponent.serverEndpoint(self)

    def makeFactory(self):
        self.factory = ComponentFactory(self.protocol, self.reactor, self.inboxSize, parent=self)
        return self.factory

    def closeConnections(self):
        return self.factory.shutdown()
