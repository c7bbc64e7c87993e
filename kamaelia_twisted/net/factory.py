"""
Serving connections with components: L{ComponentProtocol} bridges one
connection to one component (or graph), and L{ComponentFactory} is a Twisted
factory whose every connection is served by a new one::

    from twisted.internet.endpoints import serverFromString
    from twisted.internet import reactor
    from kamaelia_twisted.net import ComponentFactory

    factory = ComponentFactory(EchoProtocol)
    serverFromString(reactor, "tcp:1500").listen(factory)
    reactor.run()

The handler's C{inbox} receives the peer's bytes and its C{outbox} goes to
the peer. It ends the connection by sending L{producerFinished} (or
L{shutdownMicroprocess}) on C{signal}, or by ending: what it sent is written
first. When the peer closes or shuts its write side (half-close), the
handler gets L{producerFinished} on C{control}, after all the peer sent; it
may go on sending until it ends. When the connection is lost otherwise, it
gets L{errorOccurred}.
"""

from twisted.internet.defer import DeferredList, succeed
from twisted.internet.protocol import Factory
from twisted.logger import Logger

from ..chassis import PoolExhausted
from ..core.component import Component
from ..core.shutdown import askToStop
from .connection import Connection, ConnectionProtocol
from ..core.notifier import Notifier


class ComponentProtocol(ConnectionProtocol):
    """
    Serve one connection with C{handler}, linked to a L{Connection}.

    The handler's inbox gets a capacity of C{inboxSize} messages (unless it
    set a bound or capacity itself), so a handler slower than its peer pauses
    the transport.

    @ivar handler: the component serving the connection.
    @ivar connection: the L{Connection} component of the transport.
    """

    __slots__ = ("handler", "inboxSize", "parent", "_serving", "_running", "_done")

    def __init__(self, handler, reactor=None, inboxSize=Connection.defaultInboxSize, parent=None,
                 serving=None):
        """
        @param handler: a L{Component} (or graph) with C{inbox}, C{control},
            C{outbox} and C{signal}.
        @param reactor: the reactor running the L{Connection}.
        @param inboxSize: capacity of the handler's inbox and of the
            messages queued for writing (L{None}: no advice).
        @param parent: a component (the server) whose children the connection
            and the handler are while they run, so they run on its reactor;
            L{None}: they run on their own.
        @param serving: a set this protocol is in until it is done (a
            factory's L{ComponentFactory.connections}), or L{None}.
        """
        ConnectionProtocol.__init__(self, Connection(inboxSize=inboxSize, reactor=reactor))
        self.handler = handler
        self.inboxSize = inboxSize
        self.parent = parent
        self._serving = serving
        self._running = 0
        self._done = None  # a Notifier, once asked for or done
        if serving is not None:
            serving.add(self)

    def connectionMade(self):
        connection, handler = self.connection, self.handler
        connection.link((connection, "outbox"), (handler, "inbox"))
        connection.link((connection, "signal"), (handler, "control"))
        connection.link((handler, "outbox"), (connection, "inbox"))
        connection.link((handler, "signal"), (connection, "control"))
        received = connection.outboxes["outbox"].destination
        if received.size is None and received.capacity is None:
            received.setCapacity(self.inboxSize)
        ConnectionProtocol.connectionMade(self)
        self._running = 2
        connection.callWhenDone(self._connectionEnded)
        handler.callWhenDone(self._handlerEnded)
        for component in (connection, handler):
            if self.parent is None:
                component.activate()
            else:
                self.parent.addChildren(component)  # activates it

    def _connectionEnded(self, _):
        self._ended(self.connection)

    def _handlerEnded(self, _):
        self._ended(self.handler)

    def _ended(self, component):
        if self.parent is not None:
            self.parent.removeChild(component)
        if component is self.handler:
            askToStop(self.connection, self.handler)
        self._running -= 1
        if not self._running:
            self._finished()

    def _finished(self):
        if self._serving is not None:
            self._serving.discard(self)
        self._notifier().fire(None)

    def whenDone(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires with L{None} once the handler and the
        connection have both ended (however they ended).
        """
        return self._notifier().when()

    def _notifier(self):
        if self._done is None:
            self._done = Notifier()
        return self._done

    def shutdown(self):
        """
        Ask the handler to stop (L{shutdownMicroprocess} on its C{control});
        when it ends, the connection closes after writing what it sent.

        @return: L{whenDone}.
        """
        if self.transport is None:
            self._finished()
        else:
            askToStop(self.handler, self)
        return self.whenDone()


class ComponentFactory(Factory):
    """
    A factory serving each connection with a new component from
    C{handlerFactory()}.

    @ivar connections: the L{ComponentProtocol}s being served.
    """

    log = Logger()

    def __init__(self, handlerFactory, reactor=None, inboxSize=Connection.defaultInboxSize, parent=None):
        """
        @param handlerFactory: a callable returning a new component (or graph).
        @param reactor: the reactor running the connections' components.
        @param inboxSize: see L{ComponentProtocol}.
        @param parent: see L{ComponentProtocol}.
        """
        self.handlerFactory = handlerFactory
        self.reactor = reactor
        self.inboxSize = inboxSize
        self.parent = parent
        self.connections = set()

    def buildProtocol(self, addr):
        """
        Return a L{ComponentProtocol} serving a new handler, or L{None}
        (refusing the connection) if C{handlerFactory} fails: a full
        L{ComponentPool} (L{PoolExhausted}) is logged in one line, any other
        error with its traceback.
        """
        try:
            handler = self._newHandler()
        except PoolExhausted as refusal:
            self.log.warn("refused a connection from {addr}: {why}", addr=addr, why=refusal)
            return None
        except Exception:
            self.log.failure("cannot serve a connection from {addr}", addr=addr)
            return None
        protocol = ComponentProtocol(handler, self.reactor, self.inboxSize, self.parent, self.connections)
        protocol.factory = self
        return protocol

    def _newHandler(self):
        handler = self.handlerFactory()
        if not isinstance(handler, Component):
            raise TypeError("{!r} returned {!r}, not a component".format(self.handlerFactory, handler))
        return handler

    def shutdown(self):
        """
        Ask every handler to stop (see L{ComponentProtocol.shutdown}).

        @return: a L{Deferred<twisted.internet.defer.Deferred>} that fires with L{None} once they all ended.
        """
        if not self.connections:
            return succeed(None)
        waits = [protocol.shutdown() for protocol in list(self.connections)]
        return DeferredList(waits).addCallback(lambda _: None)
