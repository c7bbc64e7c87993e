"""
Tests for L{kamaelia_twisted.ThreadedComponent}.
"""

import threading

from twisted.trial import unittest

from kamaelia_twisted import Pipeline, ThreadedComponent, producerFinished
from kamaelia_twisted.util import Collect, DataSource

from .helpers import SlowSink


class Upper(ThreadedComponent):
    """
    Upper-case strings in a thread, recording the thread it ran in.
    """

    def main(self):
        self.thread = threading.current_thread()
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox").upper())
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return "done"
            self.pause()


class ThreadedTests(unittest.TestCase):
    def test_pipeline(self):
        upper, sink = Upper(), Collect()
        graph = Pipeline(DataSource(["a", "b", "c"]), upper, sink).activate()

        def check(_):
            self.assertEqual(sink.collected, ["A", "B", "C"])
            self.assertIsInstance(sink.shutdown, producerFinished)
            self.assertIsNot(upper.thread, threading.main_thread())

        return graph.whenDone().addCallback(check)

    def test_returnValue(self):
        upper = Upper().activate()
        upper.inboxes["control"].deliver(producerFinished())
        return upper.whenDone().addCallback(self.assertEqual, "done")

    def test_sendBlocksOnFullReceiver(self):
        """
        A thread sending faster than its bounded receiver reads waits for
        room: nothing is lost and the receiver's bound holds.
        """
        class Flood(ThreadedComponent):
            maxPending = 5

            def main(self):
                for i in range(200):
                    self.send(i)
                self.send(producerFinished(), "signal")

        sink = SlowSink(10)
        graph = Pipeline(Flood(), sink).activate()

        def check(_):
            self.assertEqual(sink.collected, list(range(200)))
            self.assertLessEqual(sink.most, 10)

        return graph.whenDone().addCallback(check)

    def test_exceptionInThread(self):
        class Broken(ThreadedComponent):
            def main(self):
                raise OSError("device unplugged")

        d = self.assertFailure(Broken().activate().whenDone(), OSError)

        def check(error):
            self.assertEqual(str(error), "device unplugged")
            self.assertEqual(len(self.flushLoggedErrors(OSError)), 1)

        return d.addCallback(check)
