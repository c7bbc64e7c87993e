"""
L{ListeningComponent}: a server that listens while it runs, the base of
L{SimpleServer<kamaelia_twisted.net.SimpleServer>} and
L{HTTPServer<kamaelia_twisted.web.HTTPServer>}.

A subclass says where to listen (L{serverEndpoint}), with which factory
(L{makeFactory}) and how to close what is open (L{closeConnections}); the
base listens, tells L{whenListening} waiters, and on a shutdown message stops
listening, closes the connections and passes the message on.
"""

from twisted.internet.endpoints import serverFromString
from twisted.python.failure import Failure

from ..core.component import Component
from ..core.notifier import Notifier


class ListeningComponent(Component):
    """
    Listen on an endpoint until a shutdown message arrives on C{control}.
    If listening fails, the component fails with the reason.

    @ivar endpoint: a server endpoint description (C{"tcp:8000"}) or an
        C{IStreamServerEndpoint}.
    @ivar listeningPort: the C{IListeningPort}, once listening.
    """

    Inboxes = {"control": "producerFinished/shutdownMicroprocess: stop serving"}
    Outboxes = {"signal": "The shutdown message, once every connection has closed"}

    def __init__(self, endpoint=None, **attributes):
        Component.__init__(self, **attributes)
        self.endpoint = endpoint
        self.listeningPort = None
        self._listening = Notifier()

    def serverEndpoint(self):
        """
        Return the C{IStreamServerEndpoint} to listen on.
        """
        if isinstance(self.endpoint, str):
            return serverFromString(self.reactor, self.endpoint)
        return self.endpoint

    def makeFactory(self):
        """
        Return the protocol factory to listen with; override it.
        """
        raise NotImplementedError

    def closeConnections(self):
        """
        Close what is open, once listening has stopped; override it.

        @return: a L{Deferred<twisted.internet.defer.Deferred>} firing once all is closed.
        """
        raise NotImplementedError

    def whenListening(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires with the C{IListeningPort} once
        listening (C{.getHost().port} is the port), or errbacks if listening
        failed.
        """
        return self._listening.when()

    def main(self):
        try:
            self.listeningPort = yield self.serverEndpoint().listen(self.makeFactory())
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
        yield self.closeConnections()
        self.send(shutdown, "signal")
