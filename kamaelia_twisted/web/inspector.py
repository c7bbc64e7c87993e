"""
L{Inspector}: a web site showing a running graph, served beside it::

    from twisted.protocols.wire import Echo
    from kamaelia_twisted import Graphline
    from kamaelia_twisted.net import ProtocolComponent, SimpleServer
    from kamaelia_twisted.web import Inspector

    graph = SimpleServer(protocol=lambda: ProtocolComponent(Echo), endpoint="tcp:1500")
    Graphline(GRAPH=graph, INSPECT=Inspector("tcp:8081:interface=127.0.0.1", graph)).run()

It serves C{/} (a page that redraws the graph every second),
C{/graph.json} (L{snapshot<kamaelia_twisted.introspect.snapshot>}),
C{/graph.dot}, C{/graph.svg} (drawn by Graphviz's C{dot}, when installed)
and C{/metrics} (Prometheus text). It sees what
L{kamaelia_twisted.introspect} sees: the components reachable from the roots
it is given.
"""

import json

from twisted.internet.defer import Deferred
from twisted.internet.protocol import ProcessProtocol
from twisted.python.procutils import which
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from ..introspect import snapshot, toDot
from .httpserver import HTTPServer


class Inspector(HTTPServer):
    """
    Serve the graph reachable from C{roots} over HTTP on C{endpoint} (an
    L{HTTPServer}: a shutdown message on C{control} stops it).

    @ivar roots: the components it inspects from.
    """

    def __init__(self, endpoint, *roots, **attributes):
        """
        @param endpoint: a server endpoint description (C{"tcp:8081"}) or an
            C{IStreamServerEndpoint}.
        @param roots: the components whose graph to show.
        """
        self.roots = roots
        HTTPServer.__init__(self, InspectorResource(self), endpoint, **attributes)
        self.whenListening().addCallbacks(self._announce, lambda failure: None)  # main fails with it

    def _announce(self, port):
        self.log.info("{name} serving the graph of {roots} on port {port}", name=self.name,
                      roots=", ".join(root.name for root in self.roots), port=port.getHost().port)

    def snapshot(self):
        """
        Return the L{snapshot<kamaelia_twisted.introspect.snapshot>} of the
        graph reachable from L{roots}.
        """
        return snapshot(self.roots)


class InspectorResource(Resource):
    """
    The inspector's site: C{/}, C{/graph.json}, C{/graph.dot},
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

    def renderPage(self, request):
        request.setHeader(b"content-type", b"text/html; charset=utf-8")
        return PAGE.encode("utf-8")

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
    Prometheus' text format: C{kamaelia_components} (how many components)
    and C{kamaelia_box_length{component, box, direction}} (messages in each
    box; C{direction} is C{in} or C{out}).
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
    return "\n".join(lines) + "\n"


def _label(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Kamaelia graph</title>
<style>
body { font-family: sans-serif; margin: 1em; }
.component { border: 1px solid #888; border-radius: 4px; margin: 4px 0 4px 1.5em; padding: 4px; }
.done { color: #888; }
.box { display: inline-block; margin-right: 1em; font-family: monospace; }
.bar { display: inline-block; height: 0.7em; background: #4a8; vertical-align: middle; }
#status { color: #a00; }
</style></head>
<body>
<h1>Kamaelia graph</h1>
<p><a href="graph.json">graph.json</a> &middot; <a href="graph.dot">graph.dot</a> &middot;
<a href="graph.svg">graph.svg</a> &middot; <a href="metrics">metrics</a> <span id="status"></span></p>
<div id="graph"></div>
<script>
"use strict";
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function boxes(kind, counts) {
  const row = element("div");
  for (const [name, count] of Object.entries(counts)) {
    const box = element("span", "box", kind + " " + name + ": " + count + " ");
    const bar = element("span", "bar");
    bar.style.width = Math.min(count, 200) + "px";
    box.appendChild(bar);
    row.appendChild(box);
  }
  return row;
}
function draw(graph) {
  const nodes = {}, root = element("div");
  for (const c of graph.components) {
    const node = element("div", "component " + c.state);
    node.appendChild(element("strong", "", c.name));
    node.appendChild(document.createTextNode(" " + c.type + " (" + c.state + ")"));
    node.appendChild(boxes("in", c.inboxes));
    node.appendChild(boxes("out", c.outboxes));
    nodes[c.name] = node;
  }
  for (const c of graph.components) (nodes[c.parent] || root).appendChild(nodes[c.name]);
  const links = element("ul");
  for (const link of graph.links)
    links.appendChild(element("li", "", link.source.join(".") + " \\u2192 " + link.sink.join(".")));
  root.appendChild(element("h2", "", "Links"));
  root.appendChild(links);
  document.getElementById("graph").replaceChildren(root);
}
function poll() {
  fetch("graph.json").then(r => r.json()).then(graph => {
    document.getElementById("status").textContent = "";
    draw(graph);
  }).catch(error => {
    document.getElementById("status").textContent = "(not answering: " + error + ")";
  }).finally(() => setTimeout(poll, 1000));
}
poll();
</script>
</body></html>
"""
