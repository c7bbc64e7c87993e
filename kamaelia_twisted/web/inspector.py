"""
L{Inspector}: a web site showing a running graph, served beside it::

    from twisted.protocols.wire import Echo
    from kamaelia_twisted import Graphline
    from kamaelia_twisted.net import ProtocolComponent, SimpleServer
    from kamaelia_twisted.web import Inspector

    graph = SimpleServer(protocol=lambda: ProtocolComponent(Echo), endpoint="tcp:1500")
    Graphline(GRAPH=graph, INSPECT=Inspector("tcp:8081:interface=127.0.0.1", graph)).run()

It serves C{/} (a page that draws the graph live), C{/events} (its changes
as Server-Sent Events, see L{GraphEvents}), C{/graph.json}
(L{snapshot<kamaelia_twisted.introspect.snapshot>}), C{/graph.dot},
C{/graph.svg} (drawn by Graphviz's C{dot}, when installed) and C{/metrics}
(Prometheus text). It sees what L{kamaelia_twisted.introspect} sees: the
components reachable from the roots it is given, or without roots, the
whole graph of its reactor. While it runs, the messages every component
sends are counted (see L{watch<kamaelia_twisted.introspect.watch>}), unless
it is made with C{countMessages=False}.
"""

import json
import pkgutil

from twisted.internet.defer import Deferred
from twisted.internet.protocol import ProcessProtocol
from twisted.python.procutils import which
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from ..introspect import snapshot, toDot, watch
from .graphevents import GraphEvents
from .httpserver import HTTPServer


class Inspector(HTTPServer):
    """
    Serve the graph reachable from C{roots}, or the whole graph of its
    reactor, over HTTP on C{endpoint} (an L{HTTPServer}: a shutdown message
    on C{control} stops it).

    @cvar countMessages: whether to count the messages every component
        sends while it runs (C{kamaelia_messages_total}, the snapshot's
        C{sent}); counting slows sending down (see benchmarks/README.md).
    @cvar eventInterval: seconds between two samples of C{/events} (each
        takes a snapshot: some 25 microseconds per component).
    @ivar roots: the components it inspects from (none: every component of
        its reactor).
    """

    countMessages = True
    eventInterval = 1.0

    def __init__(self, endpoint, *roots, **attributes):
        """
        @param endpoint: a server endpoint description (C{"tcp:8081"}) or an
            C{IStreamServerEndpoint}.
        @param roots: the components whose graph to show (none: every
            component of its reactor, this inspector included).
        """
        self.roots = roots
        HTTPServer.__init__(self, InspectorResource(self), endpoint, **attributes)
        self.whenListening().addCallbacks(self._announce, lambda failure: None)  # main fails with it

    def main(self):
        events = self.site.resource.events
        events.clock, events.interval = self.reactor, self.eventInterval
        unwatch = watch(self.reactor, count=self.countMessages)
        try:
            return (yield from HTTPServer.main(self))
        finally:
            unwatch()

    def _announce(self, port):
        self.log.info("{name} serving the graph of {roots} on port {port}", name=self.name,
                      roots=", ".join(root.name for root in self.roots) or "its reactor",
                      port=port.getHost().port)

    def snapshot(self):
        """
        Return the L{snapshot<kamaelia_twisted.introspect.snapshot>} of the
        graph reachable from L{roots}, or of its reactor's.
        """
        return snapshot(list(self.roots) or None, reactor=self.reactor)


class InspectorResource(Resource):
    """
    The inspector's site: C{/}, C{/events}, C{/graph.json}, C{/graph.dot},
    C{/graph.svg}, C{/metrics}.

    @cvar dotCommand: the name of Graphviz's command, looked up on C{PATH}
        at each request for C{/graph.svg}.
    """

    dotCommand = "dot"

    def __init__(self, inspector):
        Resource.__init__(self)
        self.inspector = inspector
        for path, render in [(b"", self.renderPage), (b"graph.json", self.renderJSON),
                             (b"graph.dot", self.renderDot), (b"graph.svg", self.renderSVG),
                             (b"metrics", self.renderMetrics)]:
            self.putChild(path, _Page(render))
        self.events = GraphEvents(inspector.snapshot, None)  # clocked once the inspector runs
        self.putChild(b"events", self.events)

    def renderPage(self, request):
        request.setHeader(b"content-type", b"text/html; charset=utf-8")
        return PAGE

    def renderJSON(self, request):
        request.setHeader(b"content-type", b"application/json")
        request.setHeader(b"cache-control", b"no-store")
        return json.dumps(self.inspector.snapshot()).encode("utf-8")

    def renderDot(self, request):
        request.setHeader(b"content-type", b"text/vnd.graphviz; charset=utf-8")
        return toDot(self.inspector.snapshot()).encode("utf-8")

    def renderMetrics(self, request):
        request.setHeader(b"content-type", b"text/plain; version=0.0.4; charset=utf-8")
        return metrics(self.inspector.snapshot()).encode("utf-8")

    def renderSVG(self, request):
        found = which(self.dotCommand)
        if not found:
            request.setResponseCode(503)
            request.setHeader(b"content-type", b"text/plain; charset=utf-8")
            return ("Graphviz is not installed: /graph.svg needs its {!r} command on PATH (Debian: apt-get "
                    "install graphviz). /graph.dot gives the graph as DOT.\n".format(self.dotCommand)).encode()
        dot = _Dot(toDot(self.inspector.snapshot()).encode("utf-8"))
        self.inspector.reactor.spawnProcess(dot, found[0], [found[0], "-Tsvg"], env=None)
        gone = []
        request.notifyFinish().addErrback(gone.append)
        dot.ended.addCallback(_answerSVG, request, gone)
        return NOT_DONE_YET


class _Page(Resource):
    isLeaf = True
    allowedMethods = (b"GET", b"HEAD")  # render_GET is set per instance, where a 405 does not look

    def __init__(self, render):
        Resource.__init__(self)
        self.render_GET = render


class _Dot(ProcessProtocol):
    """
    C{dot -Tsvg}, given the graph on its standard input; C{ended} fires with
    C{(svg, errors, reason)}.
    """

    def __init__(self, graph):
        self.graph = graph
        self.out, self.err = [], []
        self.ended = Deferred()

    def connectionMade(self):
        self.transport.write(self.graph)
        self.transport.closeStdin()

    def outReceived(self, data):
        self.out.append(data)

    def errReceived(self, data):
        self.err.append(data)

    def processEnded(self, reason):
        self.ended.callback((b"".join(self.out), b"".join(self.err), reason))


def _answerSVG(result, request, gone):
    svg, errors, reason = result
    if gone:  # the client hung up
        return
    if reason.value.exitCode == 0:
        request.setHeader(b"content-type", b"image/svg+xml")
        request.write(svg)
    else:
        request.setResponseCode(500)
        request.setHeader(b"content-type", b"text/plain; charset=utf-8")
        request.write(b"dot failed: " + errors)
    request.finish()


def metrics(seen):
    """
    Return C{seen}, a L{snapshot<kamaelia_twisted.introspect.snapshot>}, in
    Prometheus' text format: C{kamaelia_components} (how many components),
    C{kamaelia_box_length{component, box, direction}} (messages in each
    box; C{direction} is C{in} or C{out}) and the counter
    C{kamaelia_messages_total{component, box}} (messages sent from each
    outbox while counting).
    """
    lines = ["# HELP kamaelia_components Components in the inspected graph.",
             "# TYPE kamaelia_components gauge",
             "kamaelia_components {}".format(len(seen["components"])),
             "# HELP kamaelia_box_length Messages held in a box.",
             "# TYPE kamaelia_box_length gauge"]
    for component in seen["components"]:
        for kind, direction in (("inboxes", "in"), ("outboxes", "out")):
            for box, count in component[kind].items():
                lines.append('kamaelia_box_length{{component="{}",box="{}",direction="{}"}} {}'.format(
                    _label(component["name"]), _label(box), direction, count))
    lines += ["# HELP kamaelia_messages_total Messages sent from an outbox while the graph was inspected.",
              "# TYPE kamaelia_messages_total counter"]
    for component in seen["components"]:
        for box, count in component["sent"].items():
            lines.append('kamaelia_messages_total{{component="{}",box="{}"}} {}'.format(
                _label(component["name"]), _label(box), count))
    return "\n".join(lines) + "\n"


def _label(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


PAGE = pkgutil.get_data(__name__, "inspector.html")
