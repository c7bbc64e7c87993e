"""
Tests for the chassis: Pipeline, Graphline, Seq, Carousel, Backplane.
"""

from twisted.internet import defer
from twisted.trial import unittest

from kamaelia_twisted import (
    Backplane, Carousel, Component, Graphline, Pipeline, PublishTo, Seq, SubscribeTo,
    errorOccurred, producerFinished, shutdownMicroprocess,
)
from kamaelia_twisted.chassis.backplane import BackplaneNotFound
from kamaelia_twisted.util import Collect, DataSource

from .helpers import Raiser, Relay


class PipelineTests(unittest.TestCase):
    def test_dataAndShutdownFlow(self):
        sink = Collect()
        graph = Pipeline(DataSource([1, 2, 3]), Relay(), Relay(), sink).activate()

        def check(_):
            self.assertEqual(sink.collected, [1, 2, 3])
            self.assertIsInstance(sink.shutdown, producerFinished)

        return graph.whenDone().addCallback(check)

    def test_pipelineIsAComponent(self):
        """
        A pipeline's own boxes lead to its first and last components.
        """
        sink = Collect()
        outer = Pipeline(DataSource(["x", "y"]), Pipeline(Relay(), Relay()), sink).activate()
        return outer.whenDone().addCallback(lambda _: self.assertEqual(sink.collected, ["x", "y"]))

    def test_shutdownOnControl(self):
        sink = Collect()
        graph = Pipeline(Relay(), sink).activate()
        graph.inboxes["inbox"].deliver("before")
        graph.inboxes["control"].deliver(shutdownMicroprocess())

        def check(_):
            self.assertEqual(sink.collected, ["before"])
            self.assertIsInstance(sink.shutdown, shutdownMicroprocess)

        return graph.whenDone().addCallback(check)

    def test_childFailureStopsGraph(self):
        sink = Collect()
        graph = Pipeline(DataSource(["boom"]), Raiser(), sink).activate()
        d = self.assertFailure(graph.whenDone(), ValueError)

        def check(_):
            self.assertEqual(len(self.flushLoggedErrors(ValueError)), 1)
            self.assertIsInstance(sink.shutdown, errorOccurred)
            self.assertTrue(all(c.isDone() for c in graph.childComponents()))

        return d.addCallback(check)

    def test_empty(self):
        self.assertRaises(ValueError, Pipeline)


class GraphlineTests(unittest.TestCase):
    def test_linkages(self):
        left, right = Collect(), Collect()
        graph = Graphline(
            SOURCE=DataSource(["a", "b"]),
            SPLIT=_Splitter(),
            LEFT=left,
            RIGHT=right,
            linkages={
                ("SOURCE", "outbox"): ("SPLIT", "inbox"),
                ("SOURCE", "signal"): ("SPLIT", "control"),
                ("SPLIT", "outbox"): ("LEFT", "inbox"),
                ("SPLIT", "copy"): ("RIGHT", "inbox"),
                ("SPLIT", "signal"): ("LEFT", "control"),
                ("SPLIT", "copySignal"): ("RIGHT", "control"),
            },
        ).activate()

        def check(_):
            self.assertEqual(left.collected, ["a", "b"])
            self.assertEqual(right.collected, ["a", "b"])

        return graph.whenDone().addCallback(check)

    def test_selfPassthrough(self):
        collected = Collect()
        graph = Graphline(
            RELAY=Relay(),
            linkages={
                ("self", "inbox"): ("RELAY", "inbox"),
                ("self", "control"): ("RELAY", "control"),
                ("RELAY", "outbox"): ("self", "outbox"),
                ("RELAY", "signal"): ("self", "signal"),
            },
        )
        outer = Pipeline(DataSource([1, 2]), graph, collected).activate()
        return outer.whenDone().addCallback(lambda _: self.assertEqual(collected.collected, [1, 2]))

    def test_selfCustomBoxes(self):
        graph = Graphline(
            RELAY=Relay(),
            linkages={("self", "data"): ("RELAY", "inbox"), ("RELAY", "outbox"): ("self", "results")},
        )
        self.assertIn("data", graph.inboxes)
        self.assertIn("results", graph.outboxes)

    def test_unlinkedControlForwardedAndSignalSent(self):
        a, b = Collect(), Collect()
        graph = Graphline(A=a, B=b, linkages={})
        observer = Collect()
        graph.link((graph, "signal"), (observer, "control"))
        observer.activate()
        graph.activate()
        graph.inboxes["control"].deliver(shutdownMicroprocess())

        def check(_):
            self.assertIsInstance(a.shutdown, shutdownMicroprocess)
            self.assertIsInstance(b.shutdown, shutdownMicroprocess)
            return observer.whenDone()

        d = graph.whenDone().addCallback(check)
        return d.addCallback(lambda _: self.assertIsInstance(observer.shutdown, producerFinished))

    def test_badName(self):
        error = self.assertRaises(KeyError, Graphline, A=Relay(), linkages={("A", "outbox"): ("B", "inbox")})
        self.assertIn("'B'", str(error))


class _Splitter(Component):
    Outboxes = {"outbox": "", "copy": "", "signal": "", "copySignal": ""}

    def main(self):
        while True:
            while self.dataReady("inbox"):
                message = self.recv("inbox")
                self.send(message, "outbox")
                self.send(message, "copy")
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                self.send(shutdown, "copySignal")
                return
            self.pause()
            yield 1


class SeqTests(unittest.TestCase):
    def test_inTurn(self):
        sink = Collect()
        graph = Pipeline(Seq(DataSource(["header"]), DataSource(["body", "end"])), sink).activate()

        def check(_):
            self.assertEqual(sink.collected, ["header", "body", "end"])
            self.assertIsInstance(sink.shutdown, producerFinished)

        return graph.whenDone().addCallback(check)

    def test_inputGoesToCurrent(self):
        first, second = _TakeOne(), _TakeOne()
        sink = Collect()
        graph = Pipeline(DataSource(["a", "b"]), Seq(first, second), sink).activate()

        def check(_):
            self.assertEqual(first.taken, "a")
            self.assertEqual(second.taken, "b")

        return graph.whenDone().addCallback(check)


class _TakeOne(Component):
    def main(self):
        while not self.dataReady():
            self.pause()
            yield 1
        self.taken = self.recv()
        self.send(producerFinished(self), "signal")


class CarouselTests(unittest.TestCase):
    def test_childPerRequest(self):
        made = []

        def factory(items):
            made.append(items)
            return DataSource(items)

        carousel = Carousel(factory, make1stRequest=True)
        sink, requests = Collect(), Collect()
        carousel.link((carousel, "outbox"), (sink, "inbox"))
        carousel.link((carousel, "requestNext"), (requests, "inbox"))
        for c in (sink, requests, carousel):
            c.activate()
        carousel.inboxes["next"].deliver([1, 2])

        @defer.inlineCallbacks
        def drive():
            while len(requests.collected) < 2:
                yield _turn()
            carousel.inboxes["next"].deliver([3])
            while len(requests.collected) < 3:
                yield _turn()
            carousel.inboxes["control"].deliver(producerFinished())
            yield carousel.whenDone()
            for c in (sink, requests):
                c.inboxes["control"].deliver(producerFinished())
                yield c.whenDone()
            self.assertEqual(made, [[1, 2], [3]])
            self.assertEqual(sink.collected, [1, 2, 3])
            self.assertEqual(requests.collected, ["NEXT", "NEXT", "NEXT"])

        return drive()

    def test_replaceRunningChild(self):
        children = []

        def factory(name):
            children.append(Collect())
            return children[-1]

        carousel = Carousel(factory).activate()
        carousel.inboxes["next"].deliver("one")

        @defer.inlineCallbacks
        def drive():
            yield _turn()
            carousel.inboxes["inbox"].deliver("for one")
            carousel.inboxes["next"].deliver("two")
            yield children[0].whenDone()
            yield _turn()
            carousel.inboxes["inbox"].deliver("for two")
            carousel.inboxes["control"].deliver(shutdownMicroprocess())
            yield carousel.whenDone()
            yield children[1].whenDone()
            self.assertEqual(children[0].collected, ["for one"])
            self.assertIsInstance(children[0].shutdown, shutdownMicroprocess)
            self.assertEqual(children[1].collected, ["for two"])

        return drive()


def _turn():
    from twisted.internet import reactor, task

    return task.deferLater(reactor, 0, lambda: None)


class BackplaneTests(unittest.TestCase):
    def test_publishSubscribe(self):
        backplane = Backplane("NEWS").activate()
        readers = [Collect(), Collect()]
        subscribers = [Pipeline(SubscribeTo("NEWS"), r).activate() for r in readers]

        @defer.inlineCallbacks
        def drive():
            yield _turn()
            yield Pipeline(DataSource(["headline", "weather"]), PublishTo("NEWS")).activate().whenDone()
            backplane.inboxes["control"].deliver(shutdownMicroprocess())
            yield backplane.whenDone()
            for s in subscribers:
                yield s.whenDone()
            for r in readers:
                self.assertEqual(r.collected, ["headline", "weather"])

        return drive()

    def test_missingBackplane(self):
        publisher = PublishTo("NOWHERE").activate()
        d = self.assertFailure(publisher.whenDone(), BackplaneNotFound)

        def check(error):
            self.assertIn("'NOWHERE'", str(error))
            self.flushLoggedErrors(BackplaneNotFound)

        return d.addCallback(check)

    def test_duplicateName(self):
        first = Backplane("DUP").activate()
        self.assertRaises(ValueError, Backplane("DUP").activate)
        first.inboxes["control"].deliver(shutdownMicroprocess())
        return first.whenDone()
