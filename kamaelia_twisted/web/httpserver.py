"""
L{HTTPServer}: a twisted.web site served while a component runs::

    from twisted.web.resource import Resource
    from twisted.web.static import Data
    from kamaelia_twisted.web import HTTPServer

    root = Resource()
    root.putChild(b"hello", Data(b"hello", "text/plain"))
    HTTPServer(root, "tcp:8080").run()
"""

from twisted.internet.defer import Deferred, gatherResults
from twisted.internet.endpoints import serverFromString
from twisted.protocols.policies import WrappingFactory
from twisted.python.failure import Failure
from twisted.web.server import Site

from ..core.component import Component
from ..core.notifier import Notifier


class HTTPConnections(WrappingFactory):
    """
    Wrap a site's factory to know its open connections, so that they can be
    closed.

    @ivar closing: each open connection's L{ProtocolWrapper} -> a
        L{Deferred} that fires once it is lost.
    """

    def __init__(self, site):
        WrappingFactory.__init__(self, site)
        self.closing = {}

    def registerProtocol(self, protocol):
        WrappingFactory.registerProtocol(self, protocol)
        self.closing[protocol] = Deferred()

    def unregisterProtocol(self, protocol):
        WrappingFactory.unregisterProtocol(self, protocol)
        self.closing.pop(protocol).callback(None)

    def closeAll(self, clock, timeout):
        """
        Close every connection, aborting those still open after C{timeout}
        seconds (a peer that reads nothing).

        @return: a L{Deferred} firing once all are closed.
        """
        closing = list(self.closing.items())
        for protocol, _ in closing:
            protocol.transport.loseConnection()
        done = gatherResults([closed for _, closed in closing])
        if closing:
            abort = clock.callLater(timeout, lambda: [protocol.transport.abortConnection()
                                                      for protocol, closed in closing if not closed.called])
            done.addBoth(lambda result: (abort.active() and abort.cancel(), result)[1])
        return done


class HTTPServer(Component):
    """
    Serve C{resource} over HTTP on C{endpoint} until a shutdown message
    arrives on C{control}; then stop listening, close the open connections
    (aborting those still open after C{closeTimeout} seconds) and pass the
    message on on C{signal}. If listening fails, the component fails with
    the reason.

    @ivar site: the C{twisted.web.server.Site}.
    @ivar listeningPort: the C{IListeningPort}, once listening.
    """

    Inboxes = {"inbox": "Unused", "control": "producerFinished/shutdownMicroprocess: stop serving"}
    Outboxes = {"outbox": "Unused", "signal": "The shutdown message, once every connection has closed"}
    closeTimeout = 5.0

    def __init__(self, resource, endpoint, **attributes):
        """
        @param resource: the root C{IResource}.
        @param endpoint: a server endpoint description (C{"tcp:8000"}) or
            an C{IStreamServerEndpoint}.
        """
        Component.__init__(self, **attributes)
        self.site = Site(resource, reactor=self._reactor)
        self.site.displayTracebacks = False
        self._connections = HTTPConnections(self.site)
        self.endpoint = endpoint
        self.listeningPort = None
        self._listening = Notifier()

    def whenListening(self):
        """
        Return a L{Deferred} firing with the C{IListeningPort} once listening
        (C{.getHost().port} is the port), or errbacking if listening failed.
        """
        return self._listening.when()

    def main(self):
        endpoint = self.endpoint
        if isinstance(endpoint, str):
            endpoint = serverFromString(self.reactor, endpoint)
        try:
            self.listeningPort = yield endpoint.listen(self._connections)
        except Exception:
            self._listening.fire(Failure())
            raise
        self._listening.fire(self.listeningPort)
        shutdown = self.checkShutdown()
        while shutdown is None:
            self.pause()
            yield 1
            shutdown = self.checkShutdown()
        yield self.listeningPort.stopListening()
        yield self._connections.closeAll(self.reactor, self.closeTimeout)
        self.send(shutdown, "signal")
