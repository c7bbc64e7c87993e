"""
Tests for L{kamaelia_twisted.introspect} (the live graph as data and DOT),
the L{Inspector} web site over loopback, and C{twistd -n kamaelia --inspect}.
"""

import json
import re
import sys

from twisted.application.service import MultiService
from twisted.internet import defer, reactor
from twisted.internet.protocol import Protocol
from twisted.internet.task import Clock
from twisted.python.procutils import which
from twisted.trial import unittest
from twisted.web.client import Agent, readBody
from twisted.web.test.requesthelper import DummyRequest

from twisted.python import usage

from kamaelia_twisted import Component, Graphline, Pipeline, shutdownMicroprocess
from kamaelia_twisted.apps.tap import Options, TwistdGraphService, makeService
from kamaelia_twisted.core.runtime import Runtime
from kamaelia_twisted.introspect import changes, liveRoots, snapshot, toDot, watch
from kamaelia_twisted.util import Collect, DataSource, PureTransformer
from kamaelia_twisted.web import Inspector
from kamaelia_twisted.web.graphevents import GraphEvents

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
                 "inboxes": boxes[0], "outboxes": boxes[1], "sent": {"outbox": 0, "signal": 0}}
                for c, kind, parent, boxes in rows]

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


class ReactorGraphTests(unittest.TestCase):
    """
    L{snapshot} of a whole reactor, and L{watch}.
    """

    def setUp(self):
        self.clock = Clock()
        self.graph, self.pipeline, self.first, self.second, self.last = makeGraph(self.clock)
        self.addCleanup(self.stopAll)

    def stopAll(self):
        for component in liveRoots(self.clock):
            component.stop()
        self.flushLoggedErrors()

    def watch(self):
        unwatch = watch(self.clock)
        self.addCleanup(unwatch)
        return unwatch

    def test_unwatched(self):
        """
        Unwatched, the reactor's active parentless components are found in
        memory; a component of another reactor and one not yet activated are
        not; and the runtime keeps nothing.
        """
        self.assertEqual(snapshot(reactor=self.clock)["components"], [])
        elsewhere = Collect(reactor=Clock()).activate()
        self.addCleanup(elsewhere.stop)
        self.graph.activate()
        alone = Collect(reactor=self.clock).activate()
        self.assertEqual(liveRoots(self.clock), [self.graph, alone])
        self.assertEqual(snapshot(reactor=self.clock)["components"], snapshot([self.graph, alone])["components"])
        self.assertIsNone(Runtime.of(self.clock).roots)

    def test_watched(self):
        """
        Watched, the runtime keeps the roots active before and activated
        since (not their children) until the last watch is undone; ended
        roots are left out.
        """
        self.graph.activate()
        unwatch = self.watch()
        unwatchAgain = self.watch()
        alone = Collect(reactor=self.clock).activate()
        runtime = Runtime.of(self.clock)
        self.assertEqual(set(runtime.roots), {self.graph, alone})
        self.assertEqual(liveRoots(self.clock), [self.graph, alone])
        alone.inboxes["control"].deliver(shutdownMicroprocess())
        self.clock.advance(0)
        self.assertEqual(liveRoots(self.clock), [self.graph])
        unwatch()
        unwatch()  # undoes its own watch only once
        self.assertIsNotNone(runtime.roots)
        unwatchAgain()
        self.assertIsNone(runtime.roots)

    def test_counting(self):
        """
        While watched, each component's messages sent are counted per outbox;
        before and after, they are not.
        """
        source, sink = DataSource([1, 2, 3]), Collect()
        before = DataSource(["x"], reactor=self.clock).activate()
        self.clock.advance(0)
        unwatch = self.watch()
        Pipeline(source, sink, reactor=self.clock).activate()
        self.clock.advance(0)
        seen = {c["name"]: c for c in snapshot([source])["components"]}
        self.assertEqual(seen[source.name]["sent"], {"outbox": 3, "signal": 1})
        self.assertEqual(seen[sink.name]["sent"], {"outbox": 0, "signal": 1})
        self.assertTrue(snapshot([source])["counting"])
        self.assertEqual(snapshot([before])["components"][0]["sent"], {"outbox": 0, "signal": 0})
        unwatch()
        self.assertFalse(snapshot([source])["counting"])
        after = DataSource(["y"], reactor=self.clock).activate()
        self.clock.advance(0)
        self.assertEqual(snapshot([after])["components"][0]["sent"], {"outbox": 0, "signal": 0})

    def test_watchedUncounted(self):
        """
        C{watch(count=False)} keeps the roots but counts nothing.
        """
        unwatch = watch(self.clock, count=False)
        self.addCleanup(unwatch)
        source = DataSource([1, 2], reactor=self.clock).activate()
        self.assertEqual(liveRoots(self.clock), [source])
        self.clock.advance(0)
        self.assertEqual(snapshot([source])["components"][0]["sent"], {"outbox": 0, "signal": 0})
        self.assertFalse(snapshot([source])["counting"])

    def test_changes(self):
        """
        L{changes} lists the components added, ended and removed, and the
        links made and undone, between two snapshots.
        """
        g, p, a, b, s = self.graph, self.pipeline, self.first, self.second, self.last
        self.graph.activate()
        before = snapshot([g])
        extra = Collect()
        g.addChildren(extra)
        g.link((s, "signal"), (extra, "control"))
        g.removeChild(s)  # undoes the graphline's links to it
        p.inboxes["control"].deliver(shutdownMicroprocess())
        self.clock.advance(0)
        after = snapshot([g])
        events = changes(before, after)
        self.assertEqual([e for e in events if e["event"] in ("added", "ended", "removed")], [
            {"event": "added", "component": [c for c in after["components"] if c["name"] == extra.name][0]},
            {"event": "ended", "name": p.name}, {"event": "ended", "name": a.name},
            {"event": "ended", "name": b.name}, {"event": "removed", "name": s.name}])
        link = lambda source, sink: {"source": [source[0].name, source[1]], "sink": [sink[0].name, sink[1]]}
        self.assertIn({"event": "unlinked", "link": link((p, "outbox"), (s, "inbox"))}, events)
        self.assertIn({"event": "unlinked", "link": link((a, "outbox"), (b, "inbox"))}, events)
        self.assertEqual([e for e in events if e["event"] == "linked"], [])  # s is gone, and its link with it
        self.assertEqual(changes(after, after), [])


class GraphEventsTests(unittest.TestCase):
    """
    L{GraphEvents} on a L{Clock}, rendered to L{DummyRequest}s.
    """

    def setUp(self):
        self.clock = Clock()
        self.graph, self.pipeline, self.first, self.second, self.last = makeGraph(self.clock)
        self.graph.activate()
        self.clock.advance(0)
        self.events = GraphEvents(lambda: snapshot([self.graph]), self.clock)

    def listen(self):
        request = DummyRequest([b""])
        self.events.render_GET(request)
        return request

    def received(self, request):
        for chunk in request.written:
            self.assertTrue(chunk.startswith(b"data: ") and chunk.endswith(b"\n\n"), chunk)
            self.assertNotIn(b"\n", chunk[:-2])
        return [json.loads(chunk[len(b"data: "):]) for chunk in request.written]

    def test_stream(self):
        """
        A client gets the graph, then each second the changes and the box
        lengths.
        """
        request = self.listen()
        self.assertEqual(request.responseHeaders.getRawHeaders(b"content-type"),
                         [b"text/event-stream; charset=utf-8"])
        self.assertEqual(self.received(request), [{"event": "graph", "graph": snapshot([self.graph])}])
        extra = Collect()
        self.graph.addChildren(extra)
        self.clock.advance(0.5)
        self.assertEqual(len(request.written), 1)
        self.last.outboxes["outbox"].deliver("f")  # kept in the graphline's unlinked outbox
        self.clock.advance(0.5)
        events = self.received(request)[1:]
        self.assertEqual([e["event"] for e in events], ["added", "boxes"])
        self.assertEqual(events[0]["component"]["name"], extra.name)
        self.assertEqual(events[1]["components"][self.graph.name],
                         {"state": "active", "inboxes": {"inbox": 0, "control": 0},
                          "outboxes": {"outbox": 3, "signal": 0}, "sent": {"outbox": 0, "signal": 0}})
        self.clock.advance(1)
        self.assertEqual([e["event"] for e in self.received(request)[3:]], ["boxes"])

    def test_joining(self):
        """
        A client joining brings those already listening up to date first,
        so that all agree from then on.
        """
        first = self.listen()
        self.graph.addChildren(Collect())
        second = self.listen()
        self.assertEqual([e["event"] for e in self.received(first)], ["graph", "added"])
        self.assertEqual(self.received(second), [{"event": "graph", "graph": snapshot([self.graph])}])
        self.clock.advance(1)
        self.assertEqual(self.received(first)[2:], self.received(second)[1:])

    def test_leaving(self):
        """
        When its client goes away, a stream is forgotten, and sampling
        stops with the last one.
        """
        first, second = self.listen(), self.listen()
        first.processingFailed(Exception("gone"))
        self.assertEqual(self.events.clients, [second])
        self.clock.advance(1)
        self.assertEqual(len(first.written), 1)
        self.assertEqual(len(second.written), 2)
        second.processingFailed(Exception("gone"))
        self.assertEqual((self.events.clients, self.events.sampling, self.clock.getDelayedCalls()), ([], None, []))


class _Events(Protocol):
    """
    A response body of Server-Sent Events; C{whenEvents(n)} fires with the
    events once at least C{n} have arrived.
    """

    def __init__(self):
        self.data, self.waiting = b"", []
        self.closed = defer.Deferred()

    def connectionLost(self, reason):
        self.closed.callback(None)

    def dataReceived(self, data):
        self.data += data
        for n, d in list(self.waiting):
            if self.data.count(b"\n\n") >= n:
                self.waiting.remove((n, d))
                d.callback(self.events())

    def whenEvents(self, n):
        d = defer.Deferred()
        self.waiting.append((n, d))
        self.dataReceived(b"")
        return d

    def events(self):
        return [json.loads(chunk[len(b"data: "):]) for chunk in self.data.split(b"\n\n")[:-1]]


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
    def test_wrongMethod(self):
        """
        Another method than GET or HEAD is refused with 405, naming those two.
        """
        for path in ["/", "/graph.json", "/graph.dot", "/graph.svg", "/metrics"]:
            response = yield Agent(reactor).request(b"POST", (self.url + path).encode())
            yield readBody(response)
            self.assertEqual((response.code, response.headers.getRawHeaders(b"allow")), (405, [b"GET, HEAD"]), path)

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
        self.assertEqual(types, {"kamaelia_components": "gauge", "kamaelia_box_length": "gauge",
                                 "kamaelia_messages_total": "counter"})
        self.assertIn(("kamaelia_components", {}, 5.0), samples)
        self.assertIn(("kamaelia_box_length", {"component": self.first.name, "box": "inbox", "direction": "in"},
                       3.0), samples)
        self.assertIn(("kamaelia_box_length", {"component": self.graph.name, "box": "outbox",
                                               "direction": "out"}, 2.0), samples)
        self.assertIn(("kamaelia_messages_total", {"component": self.first.name, "box": "outbox"}, 0.0), samples)
        self.assertEqual(len(samples), 1 + 5 * 4 + 5 * 2)

    @defer.inlineCallbacks
    def test_events(self):
        """
        C{/events} streams the graph as Server-Sent Events; when the client
        hangs up, the inspector forgets the stream and stops sampling.
        """
        response = yield Agent(reactor).request(b"GET", (self.url + "/events").encode())
        self.assertEqual(response.headers.getRawHeaders(b"content-type"), [b"text/event-stream; charset=utf-8"])
        stream = _Events()
        response.deliverBody(stream)
        events = yield stream.whenEvents(1)
        self.assertEqual(events, [{"event": "graph", "graph": snapshot([self.graph])}])
        served = self.inspector.site.resource.events
        [request] = served.clients
        finished = request.notifyFinish()
        stream.transport.stopProducing()  # the client goes away
        yield self.assertFailure(finished, Exception)
        self.assertEqual((served.clients, served.sampling), ([], None))

    @defer.inlineCallbacks
    def test_eventsAtShutdown(self):
        """
        An inspector that stops ends the streams still open, and its timer.
        """
        response = yield Agent(reactor).request(b"GET", (self.url + "/events").encode())
        stream = _Events()
        response.deliverBody(stream)
        yield stream.whenEvents(1)
        yield self.stopInspector()
        yield stream.closed
        served = self.inspector.site.resource.events
        self.assertEqual((served.clients, served.sampling), ([], None))

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
        self.assertIn(b'new EventSource("events")', body)
        # Nothing fetched from elsewhere: the only URL is SVG's namespace name.
        self.assertEqual(set(re.findall(rb"https?://[^\"' ]+", body)), {b"http://www.w3.org/2000/svg"})
        self.assertNotIn(b"<script src", body)
        self.assertNotIn(b"<link", body)


class Gather(Component):
    """
    Keep the messages that arrive on C{inbox}; C{whenGot(n)} fires once
    C{n} have.
    """

    def __init__(self, **attributes):
        Component.__init__(self, **attributes)
        self.got, self.waiting = [], []

    def whenGot(self, n):
        d = defer.Deferred()
        self.waiting.append((n, d))
        self._tell()
        return d

    def _tell(self):
        for n, d in list(self.waiting):
            if len(self.got) >= n:
                self.waiting.remove((n, d))
                d.callback(self.got)

    def main(self):
        while not self.checkShutdown():
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            self._tell()
            self.pause()
            yield 1


class ReactorInspectorTests(unittest.TestCase):
    """
    An L{Inspector} given no roots shows every component of its reactor,
    those activated before it and after, and counts what they send.
    """

    @defer.inlineCallbacks
    def test_wholeReactor(self):
        self.sink = Gather()
        self.before = Pipeline(PureTransformer(str), self.sink).activate()
        self.inspector = Inspector(LOOPBACK).activate()
        self.addCleanup(self.stopAll)
        port = yield self.inspector.whenListening()
        url = "http://127.0.0.1:{}".format(port.getHost().port)
        self.after = Gather().activate()
        for n in range(3):
            self.before.inboxes["inbox"].deliver(n)
        yield self.sink.whenGot(3)
        response = yield Agent(reactor).request(b"GET", (url + "/graph.json").encode())
        seen = json.loads((yield readBody(response)))
        names = [c["name"] for c in seen["components"]]
        for component in [self.before, self.inspector, self.after] + self.before.childComponents():
            self.assertIn(component.name, names)
        response = yield Agent(reactor).request(b"GET", (url + "/metrics").encode())
        types, samples = parseMetrics((yield readBody(response)).decode())
        transformer = self.before.childComponents()[0]
        self.assertIn(("kamaelia_messages_total", {"component": transformer.name, "box": "outbox"}, 3.0), samples)

    @defer.inlineCallbacks
    def test_keywords(self):
        """
        C{countMessages=False} inspects without counting; C{eventInterval}
        sets how often C{/events} samples.
        """
        inspector = Inspector(LOOPBACK, countMessages=False, eventInterval=0.25).activate()
        yield inspector.whenListening()
        self.assertFalse(inspector.snapshot()["counting"])
        self.assertEqual(inspector.site.resource.events.interval, 0.25)
        self.assertIn(inspector.name, [c["name"] for c in inspector.snapshot()["components"]])
        inspector.inboxes["control"].deliver(shutdownMicroprocess())
        yield inspector.whenDone()

    def stopAll(self):
        for component in (self.before, self.after, self.inspector):
            component.inboxes["control"].deliver(shutdownMicroprocess())
        return defer.gatherResults([c.whenDone() for c in (self.before, self.after, self.inspector)])


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
