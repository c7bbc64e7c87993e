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
from twisted.protocols.policies import WrappingFactory
from twisted.web.server import Site

from ..net.listening import ListeningComponent


class HTTPConnections(WrappingFactory):
    """
    Wrap a site's factory to know its open connections, so that they can be
    closed.

    @ivar closing: each open connection's L{ProtocolWrapper<twisted.protocols.policies.ProtocolWrapper>} -> a
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


class HTTPServer(ListeningComponent):
    """
    Serve C{resource} over HTTP on C{endpoint} until a shutdown message
    arrives on C{control}; then stop listening, close the open connections
    (aborting those still open after C{closeTimeout} seconds) and pass the
    message on on C{signal}. If listening fails, the component fails with
    the reason.

    @ivar site: the C{twisted.web.server.Site}.
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
        ListeningComponent.__init__(self, endpoint, **attributes)
        self.site = Site(resource, reactor=self._reactor)
        self.site.displayTracebacks = False
        self._connections = HTTPConnections(self.site)

    def makeFactory(self):
        return self._connections

    def closeConnections(self):
        return self._connections.closeAll(self.reactor, self.closeTimeout)
