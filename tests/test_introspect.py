"""
Tests for L{kamaelia_twisted.introspect} (the live graph as data and DOT),
the L{Inspector} web site over loopback, and C{twistd -n kamaelia --inspect}.
"""

import json
import re
import sys

from twisted.application.service import MultiService
from twisted.internet import defer, reactor
from twisted.internet.task import Clock
from twisted.python.procutils import which
from twisted.trial import unittest
from twisted.web.client import Agent, readBody

from twisted.python import usage

from kamaelia_twisted import Graphline, Pipeline, shutdownMicroprocess
from kamaelia_twisted.apps.tap import Options, TwistdGraphService, makeService
from kamaelia_twisted.introspect import snapshot, toDot
from kamaelia_twisted.util import Collect
from kamaelia_twisted.web import Inspector

from .children import Child, ROOT, childEnvironment

LOOPBACK = "tcp:0:interface=127.0.0.1"
TWISTD = "import sys; sys.argv[0] = 'twistd'; from twisted.scripts.twistd import run; run()"


def makeGraph(reactor):
    """
    A graphline holding a pipeline of two collectors and a third collector,
    with passthrough links both ways; three messages wait at the first
    collector and two in the graphline's unlinked outbox.

    @return: C{(graph, pipeline, first, second, last)}.
    """
    first, second, last = Collect(), Collect(), Collect()
    pipeline = Pipeline(first, second)
    graph = Graphline(P=pipeline, S=last, reactor=reactor, linkages={
        ("self", "inbox"): ("P", "inbox"),
        ("P", "outbox"): ("S", "inbox"),
        ("S", "outbox"): ("self", "outbox"),
    })
    for message in "abc":
        graph.inboxes["inbox"].deliver(message)
    for message in "de":
        last.outboxes["outbox"].deliver(message)
    return graph, pipeline, first, second, last


def counts(inbox=0, control=0, outbox=0, signal=0):
    return {"inbox": inbox, "control": control}, {"outbox": outbox, "signal": signal}


class SnapshotTests(unittest.TestCase):
    """
    L{snapshot} and L{toDot} on a graph driven by a L{Clock}.
    """

    def setUp(self):
        self.clock = Clock()
        self.graph, self.pipeline, self.first, self.second, self.last = makeGraph(self.clock)

    def expected(self, state, firstInbox):
        g, p, a, b, s = self.graph, self.pipeline, self.first, self.second, self.last
        rows = [(g, "Graphline", None, counts(outbox=2)), (p, "Pipeline", g, counts()),
                (a, "Collect", p, counts(inbox=firstInbox)), (b, "Collect", p, counts()),
                (s, "Collect", g, counts())]
        return [{"name": c.name, "type": kind, "state": state, "parent": parent and parent.name,
                 "inboxes": boxes[0], "outboxes": boxes[1]} for c, kind, parent, boxes in rows]

    def expectedLinks(self):
        g, p, a, b, s = self.graph, self.pipeline, self.first, self.second, self.last
        pairs = [((g, "inbox"), (p, "inbox")), ((p, "inbox"), (a, "inbox")), ((p, "control"), (a, "control")),
                 ((p, "outbox"), (s, "inbox")), ((a, "outbox"), (b, "inbox")), ((a, "signal"), (b, "control")),
                 ((b, "outbox"), (p, "outbox")), ((b, "signal"), (p, "signal")), ((s, "outbox"), (g, "outbox"))]
        return [{"source": [source.name, sourcebox], "sink": [sink.name, sinkbox]}
                for (source, sourcebox), (sink, sinkbox) in pairs]

    def test_beforeActivation(self):
        """
        Before activation, the snapshot lists every component once, with its
        parent, the messages waiting where they were delivered (through
        passthrough links), and every link.
        """
        seen = snapshot([self.graph])
        self.assertEqual(seen["components"], self.expected("initial", firstInbox=3))
        self.assertEqual(seen["links"], self.expectedLinks())
        json.dumps(seen)  # plain data

    def test_fromAnyComponent(self):
        """
        Starting from a child finds the same components, that child first.
        """
        names = [c["name"] for c in snapshot([self.second])["components"]]
        self.assertEqual(sorted(names), sorted(c.name for c in (self.graph, self.pipeline, self.first,
                                                                 self.second, self.last)))
        self.assertEqual(names[0], self.second.name)

    def test_running(self):
        """
        Once running, the collectors have taken their messages; once ended,
        every component is done and the links are gone.
        """
        self.graph.activate()
        self.clock.advance(0)
        seen = snapshot([self.graph])
        self.assertEqual(seen["components"], self.expected("active", firstInbox=0))
        self.assertEqual(self.first.collected, ["a", "b", "c"])
        self.graph.inboxes["control"].deliver(shutdownMicroprocess())
        self.clock.advance(0)
        self.assertTrue(self.graph.isDone())
        seen = snapshot([self.graph])
        self.assertEqual({c["state"] for c in seen["components"]}, {"done"})
        self.assertEqual(seen["links"], [])

    def test_dot(self):
        """
        L{toDot} draws each parent as a cluster around its children, each
        non-empty box in its component's label, and each link as an edge.
        """
        g, p, a, b, s = self.graph, self.pipeline, self.first, self.second, self.last
        expected = "\n".join([
            "digraph kamaelia {{",
            "  compound=true;",
            "  node [shape=box, fontname=monospace];",
            '  subgraph "cluster_{g}" {{',
            '    label="{g}";',
            '    "{g}" [label="{g} (initial)\\noutbox outbox: 2"];',
            '    subgraph "cluster_{p}" {{',
            '      label="{p}";',
            '      "{p}" [label="{p} (initial)"];',
            '      "{a}" [label="{a} (initial)\\ninbox inbox: 3"];',
            '      "{b}" [label="{b} (initial)"];',
            "    }}",
            '    "{s}" [label="{s} (initial)"];',
            "  }}",
        ]).format(g=g.name, p=p.name, a=a.name, b=b.name, s=s.name)
        edges = ['  "{}" -> "{}" [label="{} -> {}"];'.format(link["source"][0], link["sink"][0],
                                                             link["source"][1], link["sink"][1])
                 for link in self.expectedLinks()]
        self.assertEqual(toDot(snapshot([g])), expected + "\n" + "\n".join(edges) + "\n}\n")

    def test_dotQuotes(self):
        """
        Names with quotes and backslashes are escaped.
        """
        dot = toDot({"components": [{"name": 'a"b\\c', "type": "T", "state": "active", "parent": None,
                                     "inboxes": {}, "outboxes": {}}], "links": []})
        self.assertIn('"a\\"b\\\\c" [label="a\\"b\\\\c (active)"];', dot)


METRIC = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>[^}]*)\})? (?P<value>\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"(,|$)')


def parseMetrics(text):
    """
    Parse Prometheus' text format strictly enough for these tests.

    @return: C{(types, samples)}: name -> type, and a list of C{(name,
        labels, value)}.
    """
    types, samples = {}, []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
        elif line.startswith("# HELP "):
            continue
        else:
            match = METRIC.match(line)
            assert match, "not a metric line: {!r}".format(line)
            labels = dict((name, value) for name, value, _ in LABEL.findall(match.group("labels") or ""))
            samples.append((match.group("name"), labels, float(match.group("value"))))
    return types, samples


class InspectorTests(unittest.TestCase):
    """
    The L{Inspector} served over loopback, asked with an L{Agent}.
    """

    @defer.inlineCallbacks
    def setUp(self):
        self.graph, self.pipeline, self.first, self.second, self.last = makeGraph(Clock())
        self.inspector = Inspector(LOOPBACK, self.graph).activate()
        self.addCleanup(self.stopInspector)
        port = yield self.inspector.whenListening()
        self.url = "http://127.0.0.1:{}".format(port.getHost().port)

    def stopInspector(self):
        self.inspector.inboxes["control"].deliver(shutdownMicroprocess())
        return self.inspector.whenDone()

    @defer.inlineCallbacks
    def get(self, path):
        response = yield Agent(reactor).request(b"GET", (self.url + path).encode())
        body = yield readBody(response)
        type_ = response.headers.getRawHeaders(b"content-type", [b""])[0].decode()
        return response.code, type_, body

    @defer.inlineCallbacks
    def test_json(self):
        code, type_, body = yield self.get("/graph.json")
        self.assertEqual((code, type_), (200, "application/json"))
        self.assertEqual(json.loads(body), snapshot([self.graph]))
        self.assertEqual(len(json.loads(body)["components"]), 5)

    @defer.inlineCallbacks
    def test_dot(self):
        code, type_, body = yield self.get("/graph.dot")
        self.assertEqual(code, 200)
        self.assertEqual(body.decode(), toDot(snapshot([self.graph])))

    @defer.inlineCallbacks
    def test_metrics(self):
        code, type_, body = yield self.get("/metrics")
        self.assertEqual(code, 200)
        self.assertTrue(type_.startswith("text/plain; version=0.0.4"))
        types, samples = parseMetrics(body.decode())
        self.assertEqual(types, {"kamaelia_components": "gauge", "kamaelia_box_length": "gauge"})
        self.assertIn(("kamaelia_components", {}, 5.0), samples)
        self.assertIn(("kamaelia_box_length", {"component": self.first.name, "box": "inbox", "direction": "in"},
                       3.0), samples)
        self.assertIn(("kamaelia_box_length", {"component": self.graph.name, "box": "outbox",
                                               "direction": "out"}, 2.0), samples)
        self.assertEqual(len(samples), 1 + 5 * 4)

    @defer.inlineCallbacks
    def test_svgWithoutGraphviz(self):
        """
        Without Graphviz's C{dot}, C{/graph.svg} answers 503 saying so.
        """
        self.patch(type(self.inspector.site.resource), "dotCommand", "no-such-dot-command")
        code, type_, body = yield self.get("/graph.svg")
        self.assertEqual(code, 503)
        self.assertIn(b"Graphviz is not installed", body)

    @defer.inlineCallbacks
    def test_svg(self):
        """
        With Graphviz, C{/graph.svg} is the graph drawn by C{dot}.
        """
        if not which("dot"):
            raise unittest.SkipTest("Graphviz's dot is not installed")
        code, type_, body = yield self.get("/graph.svg")
        self.assertEqual((code, type_), (200, "image/svg+xml"))
        self.assertIn(b"<svg", body)
        self.assertIn(self.first.name.encode(), body)

    @defer.inlineCallbacks
    def test_page(self):
        code, type_, body = yield self.get("/")
        self.assertEqual((code, type_), (200, "text/html; charset=utf-8"))
        self.assertIn(b'fetch("graph.json")', body)
        self.assertNotIn(b"http", body.split(b"<script>")[1])  # nothing fetched from elsewhere


class TwistdInspectTests(unittest.TestCase):
    """
    C{twistd -n kamaelia --inspect ENDPOINT}: its options, and a real process.
    """

    def test_options(self):
        """
        With C{--inspect}, the service runs the graph and an L{Inspector} of it.
        """
        options = Options()
        options.parseOptions(["--inspect", LOOPBACK, "echo"])
        service = makeService(options)
        self.assertIsInstance(service, MultiService)
        graphService, inspectorService = list(service)
        self.assertIsInstance(graphService, TwistdGraphService)
        self.assertIs(graphService.graph, options.graph)
        self.assertIsInstance(inspectorService.graph, Inspector)
        self.assertEqual((inspectorService.graph.endpoint, inspectorService.graph.roots), (LOOPBACK, (options.graph,)))

    def test_badEndpoint(self):
        options = Options()
        error = self.assertRaises(usage.UsageError, options.parseOptions, ["--inspect", "tcp:nope", "echo"])
        self.assertIn("'tcp:nope' is not a server endpoint", str(error))

    @defer.inlineCallbacks
    def test_inspect(self):
        child = Child()
        args = [sys.executable, "-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia",
                "--inspect", LOOPBACK, "echo", "--port", LOOPBACK]
        reactor.spawnProcess(child, sys.executable, args, env=childEnvironment(), path=ROOT)
        self.addCleanup(lambda: child.ended if child.ended.called else self.kill(child))
        match = yield child.whenOutput(rb"serving the graph of (SimpleServer_\d+) on port (\d+)")
        response = yield Agent(reactor).request(b"GET", "http://127.0.0.1:{}/graph.json".format(
            int(match.group(2))).encode())
        seen = json.loads((yield readBody(response)))
        self.assertEqual([(c["name"], c["type"]) for c in seen["components"]],
                         [(match.group(1).decode(), "SimpleServer")])
        child.transport.signalProcess("TERM")
        yield child.ended
        self.assertIn(b"Server Shut Down.", child.out)
        self.assertNotIn(b"Traceback", child.out + child.err)

    def kill(self, child):
        child.transport.signalProcess("KILL")
        return child.ended
