"""
Tests for L{kamaelia_twisted.util.Chooser}.
"""

from twisted.logger import globalLogPublisher
from twisted.trial import unittest

from kamaelia_twisted import Pipeline, producerFinished, shutdownMicroprocess
from kamaelia_twisted.util import Chooser, Collect, DataSource


class ChooserTests(unittest.TestCase):
    def choose(self, items, commands, loop=False):
        """
        Run C{commands} through a L{Chooser} of C{items}; return a Deferred
        firing with what it sent and the shutdown message it passed on.
        """
        chosen = Collect()
        d = Pipeline(DataSource(commands), Chooser(items=items, loop=loop), chosen).activate().whenDone()
        return d.addCallback(lambda _: (chosen.collected, chosen.shutdown))

    def test_firstItemAtStart(self):
        d = self.choose(["a", "b"], [])
        d.addCallback(lambda result: self.assertEqual(result[0], ["a"]))
        return d

    def test_commands(self):
        d = self.choose(["a", "b", "c", "d"], ["NEXT", "NEXT", "PREV", "LAST", "SAME", "FIRST", "LAST"])
        d.addCallback(lambda result: self.assertEqual(result[0], ["a", "b", "c", "b", "d", "d", "a", "d"]))
        return d

    def test_endsWithoutLoop(self):
        d = self.choose(["a", "b"], ["PREV", "NEXT", "NEXT", "NEXT", "PREV"])
        d.addCallback(lambda result: self.assertEqual(result[0], ["a", "b", "a"]))
        return d

    def test_loopWraps(self):
        d = self.choose(["a", "b", "c"], ["PREV", "NEXT", "NEXT", "NEXT"], loop=True)
        d.addCallback(lambda result: self.assertEqual(result[0], ["a", "c", "a", "b", "c"]))
        return d

    def test_noItemsNothingSent(self):
        d = self.choose([], ["NEXT", "FIRST", "LAST", "PREV", "SAME"], loop=True)
        d.addCallback(lambda result: self.assertEqual(result[0], []))
        return d

    def test_itemsFromIterable(self):
        d = self.choose(iter(range(3)), ["LAST"])
        d.addCallback(lambda result: self.assertEqual(result[0], [0, 2]))
        return d

    def test_passesShutdownOn(self):
        d = self.choose(["a"], ["NEXT"])
        d.addCallback(lambda result: self.assertIsInstance(result[1], producerFinished))
        return d

    def test_endsOnShutdownMicroprocess(self):
        chooser = Chooser(items=["a"]).activate()
        chooser.inboxes["control"].deliver(shutdownMicroprocess())
        d = chooser.whenDone()
        d.addCallback(lambda _: self.assertIsInstance(chooser.outboxes["signal"].messages[0], shutdownMicroprocess))
        return d

    def test_unknownCommandLoggedAndIgnored(self):
        events = []
        globalLogPublisher.addObserver(events.append)
        self.addCleanup(globalLogPublisher.removeObserver, events.append)
        d = self.choose(["a", "b"], ["JUMP", ["NEXT"], "NEXT"])

        def check(result):
            self.assertEqual(result[0], ["a", "b"])
            ignored = [e["command"] for e in events if e.get("log_format", "").endswith("{command!r}")]
            self.assertEqual(ignored, ["JUMP", ["NEXT"]])

        return d.addCallback(check)
