"""
Tests for L{kamaelia_twisted.util}: DataSource, Collect, PureTransformer.
"""

from twisted.trial import unittest

from kamaelia_twisted import Pipeline, producerFinished, shutdownMicroprocess
from kamaelia_twisted.util import Collect, DataSource, PureTransformer

from .helpers import SlowSink


class PureTransformerTests(unittest.TestCase):
    def test_function(self):
        sink = Collect()
        graph = Pipeline(DataSource([1, 2, 3]), PureTransformer(lambda n: n * 10), sink).activate()
        return graph.whenDone().addCallback(lambda _: self.assertEqual(sink.collected, [10, 20, 30]))

    def test_noneSendsNothing(self):
        sink = Collect()
        odd = PureTransformer(lambda n: n if n % 2 else None)
        graph = Pipeline(DataSource(range(6)), odd, sink).activate()
        return graph.whenDone().addCallback(lambda _: self.assertEqual(sink.collected, [1, 3, 5]))

    def test_subclass(self):
        class Reverse(PureTransformer):
            def processMessage(self, message):
                return message[::-1]

        sink = Collect()
        graph = Pipeline(DataSource(["abc"]), Reverse(), sink).activate()
        return graph.whenDone().addCallback(lambda _: self.assertEqual(sink.collected, ["cba"]))

    def test_waitsForRoom(self):
        """
        A full receiver pauses the transformer instead of failing it: every
        message arrives and the receiver's bound holds.
        """
        sink = SlowSink(4)
        graph = Pipeline(DataSource(range(100)), PureTransformer(), sink).activate()

        def check(_):
            self.assertEqual(sink.collected, list(range(100)))
            self.assertLessEqual(sink.most, 4)

        return graph.whenDone().addCallback(check)

    def test_shutdownWhileReceiverFull(self):
        """
        L{shutdownMicroprocess} stops a transformer blocked on a full receiver.
        """
        held = Collect()
        held.inboxes["inbox"].setSize(2)
        transformer = PureTransformer()
        transformer.link((transformer, "outbox"), (held, "inbox"))
        for n in range(5):
            transformer.inboxes["inbox"].deliver(n)
        transformer.activate()
        from twisted.internet import reactor, task

        def stop():
            self.assertEqual(list(held.inboxes["inbox"]), [0, 1])
            transformer.inboxes["control"].deliver(shutdownMicroprocess())
            return transformer.whenDone()

        return task.deferLater(reactor, 0.01, stop).addCallback(
            lambda _: self.assertEqual(list(transformer.inboxes["inbox"]), [2, 3, 4]))

    def test_shutdownPassedOn(self):
        sink = Collect()
        graph = Pipeline(PureTransformer(), sink).activate()
        graph.inboxes["control"].deliver(shutdownMicroprocess())
        return graph.whenDone().addCallback(lambda _: self.assertIsInstance(sink.shutdown, shutdownMicroprocess))


class DataSourceTests(unittest.TestCase):
    def test_stopsOnShutdown(self):
        source = DataSource(iter(range(10 ** 9)))
        sink = Collect()
        sink.inboxes["inbox"].setSize(8)
        graph = Pipeline(source, sink).activate()
        source.inboxes["control"].deliver(shutdownMicroprocess())

        def check(_):
            self.assertLessEqual(len(sink.collected), 8)
            self.assertIsInstance(sink.shutdown, shutdownMicroprocess)

        return graph.whenDone().addCallback(check)

    def test_collectReturnsMessages(self):
        sink = Collect().activate()
        sink.inboxes["inbox"].deliver("kept")
        sink.inboxes["control"].deliver(producerFinished())
        return sink.whenDone().addCallback(self.assertEqual, ["kept"])
