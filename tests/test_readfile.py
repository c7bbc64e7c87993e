"""
Tests for L{kamaelia_twisted.file.ReadFileAdaptor}.
"""

import os

from twisted.internet.task import Clock
from twisted.trial import unittest

from kamaelia_twisted import Component, Pipeline, errorOccurred, producerFinished, shutdownMicroprocess
from kamaelia_twisted.file import ReadFileAdaptor
from kamaelia_twisted.util import Collect

from .helpers import SlowSink


class ReadFileTestMixin:
    def makeFile(self, size):
        """
        Write C{size} bytes of a recognisable pattern to a new file.

        @return: the path and the contents.
        """
        content = (bytes(range(256)) * (size // 256 + 1))[:size]
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(content)
        return path, content


class BitrateTests(ReadFileTestMixin, unittest.TestCase):
    def setUp(self):
        self.clock = Clock()

    def paced(self, path, **kw):
        reader = ReadFileAdaptor(path, readmode="bitrate", reactor=self.clock, **kw)
        sink = Collect(reactor=self.clock)
        graph = Pipeline(reader, sink, reactor=self.clock).activate()
        self.clock.advance(0)
        return reader, sink, graph

    def received(self, sink):
        return sum(map(len, sink.collected))

    def test_pacedToBitrate(self):
        """
        At 64 kbit/s in 10 chunks a second, 800 bytes arrive every 0.1 s:
        8000 bytes by 1 s, and the file's last bytes then the end after 2.6 s.
        """
        path, content = self.makeFile(20100)
        reader, sink, graph = self.paced(path, bitrate=64000, chunkrate=10)
        self.assertEqual(self.received(sink), 0)
        self.clock.advance(0.05)
        self.assertEqual(self.received(sink), 0)
        self.clock.advance(0.05)
        self.assertEqual(sink.collected, [content[:800]])
        self.clock.advance(0.9)
        self.assertEqual(self.received(sink), 8000)
        self.assertEqual({len(c) for c in sink.collected}, {800})
        self.clock.advance(1.5)
        self.assertEqual(self.received(sink), 20000)
        self.assertFalse(graph.isDone())
        self.clock.advance(0.1)
        self.assertTrue(graph.isDone())
        self.assertEqual(b"".join(sink.collected), content)
        self.assertIsInstance(sink.shutdown, producerFinished)
        self.assertEqual(self.clock.getDelayedCalls(), [])
        return reader.whenDone().addCallback(self.assertEqual, 20100)

    def test_fractionalChunks(self):
        """
        When a chunk is not a whole number of bytes, the total by each chunk's
        time is exact, rounded down.
        """
        path, content = self.makeFile(1000)
        reader, sink, graph = self.paced(path, bitrate=1000, chunkrate=3)
        self.clock.advance(1)
        self.assertEqual(self.received(sink), 125)
        self.clock.advance(2)
        self.assertEqual(self.received(sink), 375)
        self.assertEqual([len(c) for c in sink.collected[:3]], [41, 42, 42])
        self.clock.advance(10)
        self.assertEqual(b"".join(sink.collected), content)

    def test_lateTimerCatchesUp(self):
        """
        A reactor that wakes the reader late gets every chunk that is due.
        """
        path, content = self.makeFile(8000)
        reader, sink, graph = self.paced(path, bitrate=64000, chunkrate=10)
        self.clock.advance(0.55)
        self.assertEqual(self.received(sink), 4000)

    def test_shutdownStopsEarly(self):
        path, content = self.makeFile(20000)
        reader, sink, graph = self.paced(path, bitrate=64000, chunkrate=10)
        self.clock.advance(0.3)
        graph.inboxes["control"].deliver(shutdownMicroprocess())
        self.clock.advance(0.1)
        self.assertTrue(graph.isDone())
        self.assertEqual(b"".join(sink.collected), content[:2400])
        self.assertIsInstance(sink.shutdown, shutdownMicroprocess)
        self.assertEqual(self.clock.getDelayedCalls(), [])
        return reader.whenDone().addCallback(self.assertEqual, 2400)


class BlockTests(ReadFileTestMixin, unittest.TestCase):
    def test_backpressure(self):
        """
        Blocks go no faster than a bounded receiver takes them: none is lost
        and the reader never overfills the inbox (which would raise BoxFull).
        """
        path, content = self.makeFile(100 * 1000 + 7)
        sink = SlowSink(2)
        reader = ReadFileAdaptor(path, readmode="block", readsize=1000)
        graph = Pipeline(reader, sink).activate()

        def check(_):
            self.assertEqual([len(c) for c in sink.collected], [1000] * 100 + [7])
            self.assertEqual(b"".join(sink.collected), content)
            self.assertIsInstance(sink.shutdown, producerFinished)
            return reader.whenDone().addCallback(self.assertEqual, len(content))

        return graph.whenDone().addCallback(check)

    def test_shutdownWhileWaitingForRoom(self):
        """
        A reader blocked by a full receiver still sees a shutdown message at
        once, and leaves no timer behind.
        """
        path, content = self.makeFile(10000)
        clock = Clock()
        stuck = Component(reactor=clock)
        stuck.inboxes["inbox"].setSize(1)
        reader = ReadFileAdaptor(path, readmode="block", readsize=100, reactor=clock)
        reader.link((reader, "outbox"), (stuck, "inbox"))
        reader.activate()
        clock.advance(0)
        self.assertEqual(list(stuck.inboxes["inbox"]), [content[:100]])
        reader.inboxes["control"].deliver(shutdownMicroprocess())
        clock.advance(0)
        self.assertTrue(reader.isDone())
        self.assertEqual(clock.getDelayedCalls(), [])
        self.assertIsInstance(reader.outboxes["signal"].messages.pop(), shutdownMicroprocess)
        return reader.whenDone().addCallback(self.assertEqual, 100)


class LineTests(ReadFileTestMixin, unittest.TestCase):
    LINES = [b"first line\n", b"\n", b"a longer third line\r\n", b"no end of line"]

    def makeLines(self):
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(b"".join(self.LINES))
        return path

    def test_linesWithBackpressure(self):
        """
        Each line is one message, its end of line kept; a bounded receiver
        gets them all.
        """
        sink = SlowSink(1)
        reader = ReadFileAdaptor(self.makeLines(), readmode="line")
        graph = Pipeline(reader, sink).activate()

        def check(_):
            self.assertEqual(sink.collected, self.LINES)
            self.assertIsInstance(sink.shutdown, producerFinished)

        return graph.whenDone().addCallback(check)

    def test_steptime(self):
        """
        With C{steptime}, line C{n} is sent C{n * steptime} seconds after
        the first, and the end follows the last line's step.
        """
        clock = Clock()
        sink = Collect(reactor=clock)
        graph = Pipeline(ReadFileAdaptor(self.makeLines(), readmode="line", steptime=0.5, reactor=clock),
                         sink, reactor=clock).activate()
        clock.advance(0)
        self.assertEqual(sink.collected, self.LINES[:1])
        clock.advance(0.4)
        self.assertEqual(sink.collected, self.LINES[:1])
        clock.advance(0.1)
        self.assertEqual(sink.collected, self.LINES[:2])
        clock.advance(1.0)
        self.assertEqual(sink.collected, self.LINES)
        self.assertFalse(graph.isDone())
        clock.advance(0.5)
        self.assertTrue(graph.isDone())
        self.assertEqual(clock.getDelayedCalls(), [])

    def test_blockSteptime(self):
        """
        C{steptime} paces C{"block"} mode the same way.
        """
        path, content = self.makeFile(250)
        clock = Clock()
        sink = Collect(reactor=clock)
        Pipeline(ReadFileAdaptor(path, readmode="block", readsize=100, steptime=2, reactor=clock),
                 sink, reactor=clock).activate()
        clock.advance(0)
        self.assertEqual(sink.collected, [content[:100]])
        clock.advance(2)
        self.assertEqual(sink.collected, [content[:100], content[100:200]])
        clock.advance(2)
        self.assertEqual(b"".join(sink.collected), content)


class ErrorTests(ReadFileTestMixin, unittest.TestCase):
    def assertReadError(self, path, expected):
        """
        Reading C{path} ends the pipeline cleanly with an errorOccurred whose
        reason names the file and contains C{expected}.
        """
        sink = Collect()
        graph = Pipeline(ReadFileAdaptor(path, readmode="block"), sink).activate()

        def check(_):
            self.assertEqual(sink.collected, [])
            self.assertIsInstance(sink.shutdown, errorOccurred)
            self.assertEqual(sink.shutdown.reason, "cannot read {!r}: {}".format(path, expected))

        return graph.whenDone().addCallback(check)

    def test_missingFile(self):
        return self.assertReadError(self.mktemp(), "No such file or directory")

    def test_directory(self):
        path = self.mktemp()
        os.mkdir(path)
        return self.assertReadError(path, "Is a directory")

    def test_noPermission(self):
        if os.geteuid() == 0:
            raise unittest.SkipTest("file permissions do not stop root from reading")
        path, content = self.makeFile(10)
        os.chmod(path, 0)
        return self.assertReadError(path, "Permission denied")

    def test_badArguments(self):
        self.assertRaises(ValueError, ReadFileAdaptor, "f", readmode="lines")
        self.assertRaises(ValueError, ReadFileAdaptor, "f", readmode="line", steptime=-1)
        self.assertRaises(ValueError, ReadFileAdaptor, "f", bitrate=0)
        self.assertRaises(ValueError, ReadFileAdaptor, "f", bitrate=80, chunkrate=11)
