"""
L{GraphEvents}: a running graph's changes as Server-Sent Events, the
C{/events} of the L{Inspector<kamaelia_twisted.web.Inspector>}::

    from twisted.internet.task import Clock
    from twisted.web.test.requesthelper import DummyRequest
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.introspect import snapshot
    from kamaelia_twisted.util import Collect
    from kamaelia_twisted.web.graphevents import GraphEvents

    clock = Clock()
    graph = Pipeline(Collect(), Collect(), reactor=clock).activate()
    events = GraphEvents(lambda: snapshot([graph]), clock)
    request = DummyRequest([b""])
    events.render_GET(request)
    assert request.written[0].startswith(b'data: {"event": "graph", ')
    clock.advance(1)  # a sample of the box lengths
    assert request.written[1].startswith(b'data: {"event": "boxes", ')
    request.processingFailed(Exception("the client went away"))
    assert events.clients == [] and events.sampling is None

Each event is one C{data:} line of JSON: first C{graph}, the whole
snapshot; then, every C{interval} seconds, the topology changes since the
last look (L{changes<kamaelia_twisted.introspect.changes>}: C{added},
C{ended}, C{removed}, C{linked}, C{unlinked}) followed by a C{boxes} event
with each component's state and box counts. The changes come from
comparing snapshots, taken only while a client listens, rather than from
hooks in the core that every component would pay for.
"""

import json

from twisted.internet.task import LoopingCall
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from ..introspect import changes


class GraphEvents(Resource):
    """
    The Server-Sent Events of a graph, one stream per client; one timer
    samples the graph for all of them, and only while at least one listens.

    @ivar clients: the requests streaming now.
    @ivar sampling: the L{LoopingCall} sampling the graph, or L{None} while
        nobody listens.
    """

    isLeaf = True

    def __init__(self, look, clock, interval=1.0):
        """
        @param look: a callable returning the graph's current
            L{snapshot<kamaelia_twisted.introspect.snapshot>}.
        @param clock: what times the samples (the reactor).
        @param interval: seconds between samples.
        """
        Resource.__init__(self)
        self.look, self.clock, self.interval = look, clock, interval
        self.clients = []
        self.sampling = None
        self._last = None

    def render_GET(self, request):
        request.setHeader(b"content-type", b"text/event-stream; charset=utf-8")
        request.setHeader(b"cache-control", b"no-store")
        seen = self._catchUp()  # those already listening first, so all agree from here on
        _write(request, {"event": "graph", "graph": seen})
        self.clients.append(request)
        request.notifyFinish().addBoth(self._gone, request)
        if self.sampling is None:
            self.sampling = LoopingCall(self._sample)
            self.sampling.clock = self.clock
            self.sampling.start(self.interval, now=False)
        return NOT_DONE_YET

    def _catchUp(self):
        seen = self.look()
        if self._last is not None:
            for event in changes(self._last, seen):
                self._broadcast(event)
        self._last = seen
        return seen

    def _sample(self):
        seen = self._catchUp()
        self._broadcast({"event": "boxes", "components": {
            component["name"]: {key: component[key] for key in ("state", "inboxes", "outboxes", "sent")}
            for component in seen["components"]}})

    def _broadcast(self, event):
        for request in list(self.clients):
            _write(request, event)

    def _gone(self, _, request):
        self.clients.remove(request)
        if not self.clients:
            self.sampling.stop()
            self.sampling = self._last = None


def _write(request, event):
    request.write(b"data: " + json.dumps(event).encode("utf-8") + b"\n\n")
