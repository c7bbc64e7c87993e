"""
L{HTTPClient}: the body of an HTTP response as a stream of messages, on
Twisted's C{Agent}::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.audio import AOAudioPlaybackAdaptor
    from kamaelia_twisted.codec import VorbisDecode
    from kamaelia_twisted.web import HTTPClient

    Pipeline(HTTPClient("http://127.0.0.1:8000/stream.ogg"), VorbisDecode(), AOAudioPlaybackAdaptor()).run()

Redirects are followed. The connection is paused while the component
receiving the body is full, so a slow player slows the download down to TCP.
"""

from twisted.internet.defer import CancelledError
from twisted.internet.protocol import Protocol
from twisted.python.failure import Failure
from twisted.web.client import Agent, HTTPConnectionPool, PotentialDataLoss, RedirectAgent, ResponseDone
from twisted.web.http_headers import Headers

from ..core.component import Component
from ..core.inflow import Inflow
from ..core.ipc import producerFinished, shutdownMicroprocess
from ..core.notifier import Notifier


class HTTPError(Exception):
    """
    An HTTP request failed: a status other than 2xx, a connection that could
    not be made, or a response body that broke off.
    """


class HTTPClient(Component):
    """
    Request C{url} and send the response body's bytes on C{outbox}, then
    L{producerFinished} on C{signal} when the body has ended.

    A status that is not 2xx (after redirects), a connection that cannot be
    made, or a body that breaks off makes the component fail with an
    L{HTTPError} saying so: it is logged, C{signal} gets an
    L{errorOccurred} and
    L{whenDone} errbacks. A L{shutdownMicroprocess} on C{control} cancels
    the request or closes the connection, and is passed on once it has
    closed. (A L{producerFinished} on C{control} is ignored: there is
    nothing to upload.) A response without a length that ends when the
    server closes (HTTP/1.0, Icecast) ends normally.

    @ivar url: the URL requested.
    @ivar response: the C{IResponse}, once it has arrived.
    @ivar bytesReceived: how many bytes of body have been received.
    """

    Inboxes = {"inbox": "Unused", "control": "shutdownMicroprocess: close the connection"}
    Outboxes = {"outbox": "The response body, as bytes",
                "signal": "producerFinished at the end of the body, errorOccurred if the request failed"}
    userAgent = b"kamaelia_twisted"

    def __init__(self, url, agent=None, redirectLimit=20, **attributes):
        """
        @param url: an C{http://} or C{https://} URL (C{str} or C{bytes}).
        @param agent: the C{IAgent} to request with (default: an C{Agent}
            on a non-persistent pool, in a C{RedirectAgent}).
        @param redirectLimit: the most redirects followed.
        """
        Component.__init__(self, **attributes)
        self.url = url.encode("ascii") if isinstance(url, str) else url
        self.agent, self.redirectLimit = agent, redirectLimit
        self.response = None
        self.bytesReceived = 0
        self._responded = Notifier()
        self._shutdown = None

    def whenResponse(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} firing with the C{IResponse} once its headers
        have arrived (after redirects), or errbacking if the request failed.
        """
        return self._responded.when()

    def main(self):
        response = yield from self._request()
        if response is None:
            self.send(self._shutdown, "signal")
            return
        body = _Body(self)
        response.deliverBody(body)
        if not body.inflow.drained and body.reason is None:
            body.transport.pauseProducing()  # deliverBody resumed it after the body held so far
        while not (body.reason is not None and (body.inflow.drained or self._shutdown is not None)):
            if self._shutdown is None and self._stopRequested():
                body.transport.stopProducing()
            self.pause()
            yield 1
        if self._shutdown is not None:
            self.send(self._shutdown, "signal")
        elif body.reason.check(ResponseDone, PotentialDataLoss):
            self.send(producerFinished(self), "signal")
        else:
            raise self._error("the response broke off", body.reason)

    def _request(self):
        """
        Send the request; return the 2xx response, or L{None} if a shutdown
        message came first.
        """
        outcome = []
        requesting = self._agent().request(b"GET", self.url, Headers({b"User-Agent": [self.userAgent]}))
        requesting.addBoth(lambda result: (outcome.append(result), self.unpause()))
        while not outcome:
            if self._stopRequested():
                requesting.cancel()
            self.pause()
            yield 1
        result = outcome[0]
        if isinstance(result, Failure):
            error = self._error("cannot connect" if self._shutdown is None else "cancelled", result)
            self._responded.fire(Failure(error))
            if self._shutdown is not None and result.check(CancelledError):
                return None
            raise error
        if not 200 <= result.code < 300:
            result.deliverBody(_Discard())
            error = self._error("{} {}".format(result.code, result.phrase.decode("latin-1")))
            self._responded.fire(Failure(error))
            raise error
        self.response = result
        self._responded.fire(result)
        return result

    def _stopRequested(self):
        """Whether a L{shutdownMicroprocess} has arrived (kept in C{_shutdown})."""
        control = self.inboxes["control"]
        while len(control):
            message = control.take()
            if self._shutdown is None and isinstance(message, shutdownMicroprocess):
                self._shutdown = message
        return self._shutdown is not None

    def _agent(self):
        if self.agent is None:
            pool = HTTPConnectionPool(self.reactor, persistent=False)
            self.agent = RedirectAgent(Agent(self.reactor, pool=pool), self.redirectLimit)
        return self.agent

    def _error(self, what, failure=None):
        text = "GET {}: {}".format(self.url.decode("ascii", "replace"), what)
        if failure is not None:
            reasons = getattr(failure.value, "reasons", None) or [failure]
            text += ": " + "; ".join(reason.getErrorMessage() for reason in reasons)
        return HTTPError(text)


class _Body(Protocol):
    """
    Deliver a response body on the client's C{outbox}, pausing the
    connection while the receiver is full.

    @ivar reason: why the body ended, once it has.
    """

    def __init__(self, client):
        self.client = client
        self.inflow = None
        self.reason = None

    def connectionMade(self):
        self.inflow = Inflow(self.client.outboxes["outbox"], self.transport)

    def dataReceived(self, data):
        self.client.bytesReceived += len(data)
        self.inflow.deliver(data)

    def connectionLost(self, reason):
        self.reason = reason
        self.inflow.stop()
        self.client.unpause()


class _Discard(Protocol):
    """Close the connection of a response whose body is not wanted."""

    def connectionMade(self):
        self.transport.stopProducing()
