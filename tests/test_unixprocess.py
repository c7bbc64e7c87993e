"""
Tests for L{kamaelia_twisted.file.UnixProcess}: real child processes.
"""

import os
import signal
import sys
import tracemalloc

from twisted.internet import defer
from twisted.internet.error import ProcessDone, ProcessTerminated
from twisted.trial import unittest

from kamaelia_twisted import Graphline, Pipeline, errorOccurred, producerFinished, shutdownMicroprocess
from kamaelia_twisted.file import UnixProcess
from kamaelia_twisted.util import Collect, DataSource

from .helpers import PacedSink, Recorder

MB = 1 << 20


def graphOf(process, data=None):
    """
    Feed C{data} (if given, then producerFinished) to C{process}, collecting
    its output and errors.

    @return: the started graph, its output collector and its error collector.
    """
    out, err = Collect(), Collect()
    components = dict(PROC=process, OUT=out, ERR=err)
    linkages = {("PROC", "outbox"): ("OUT", "inbox"), ("PROC", "error"): ("ERR", "inbox"),
                ("PROC", "signal"): ("OUT", "control"), ("OUT", "signal"): ("ERR", "control")}
    if data is not None:
        components["SRC"] = DataSource(data)
        linkages[("SRC", "outbox")] = ("PROC", "inbox")
        linkages[("SRC", "signal")] = ("PROC", "control")
    graph = Graphline(linkages=linkages, **components).activate()
    return graph, out, err


class UnixProcessTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_filter(self):
        """
        What arrives on C{inbox} is the process's standard input; its
        standard output leaves on C{outbox}; a clean exit after the end of
        input is a L{producerFinished}.
        """
        process = UnixProcess("sort")
        graph, out, err = graphOf(process, [b"pear\n", b"apple\n", b"fig\n"])
        yield graph.whenDone()
        self.assertEqual(b"".join(out.collected), b"apple\nfig\npear\n")
        self.assertEqual(err.collected, [])
        self.assertIsInstance(out.shutdown, producerFinished)
        self.assertIsInstance((yield process.whenExited()), ProcessDone)

    @defer.inlineCallbacks
    def test_standardError(self):
        process = UnixProcess(["sh", "-c", "echo out; echo oops >&2"])
        graph, out, err = graphOf(process)
        yield graph.whenDone()
        self.assertEqual(b"".join(out.collected), b"out\n")
        self.assertEqual(b"".join(err.collected), b"oops\n")
        self.assertIsInstance(out.shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_environmentAndDirectory(self):
        folder = os.path.realpath(self.mktemp())
        os.mkdir(folder)
        process = UnixProcess('echo "$GREETING"; pwd', env={"GREETING": "hello"}, path=folder)
        graph, out, err = graphOf(process)
        yield graph.whenDone()
        self.assertEqual(b"".join(out.collected), b"hello\n" + folder.encode() + b"\n")

    @defer.inlineCallbacks
    def test_exitStatus(self):
        """
        A non-zero exit status ends the component with an L{errorOccurred}
        that gives it, after all output has been delivered.
        """
        graph, out, err = graphOf(UnixProcess("echo partial; exit 3"))
        yield graph.whenDone()
        self.assertEqual(b"".join(out.collected), b"partial\n")
        self.assertIsInstance(out.shutdown, errorOccurred)
        self.assertIn("'echo partial; exit 3' exited with status 3", str(out.shutdown.message))

    @defer.inlineCallbacks
    def test_shutdownTerminates(self):
        """
        L{shutdownMicroprocess} terminates a process that would run on, and
        is passed on once it has gone.
        """
        process = UnixProcess(["sleep", "60"])
        graph, out, err = graphOf(process)
        process.inboxes["control"].deliver(shutdownMicroprocess())
        yield graph.whenDone()
        self.assertIsInstance(out.shutdown, shutdownMicroprocess)
        self.assertEqual((yield process.whenExited()).signal, signal.SIGTERM)
        self.assertRaises(ProcessLookupError, os.kill, process.pid, 0)

    @defer.inlineCallbacks
    def test_shutdownWhileReadingIsPaused(self):
        """
        A process whose output is not being read (its receiver is full) is
        terminated and seen to exit all the same; what it wrote before is
        still delivered once the receiver takes it.
        """
        sink = PacedSink(hold=True)
        sink.inboxes["inbox"].setSize(2)
        process = UnixProcess(["yes"])
        graph = Pipeline(process, sink).activate()
        yield sink.full
        process.inboxes["control"].deliver(shutdownMicroprocess())
        self.assertEqual((yield process.whenExited()).signal, signal.SIGTERM)
        sink.release()
        yield graph.whenDone()
        self.assertGreater(sink.received, 0)

    @defer.inlineCallbacks
    def test_killedBySignal(self):
        process = UnixProcess("kill -KILL $$")
        graph, out, err = graphOf(process)
        yield graph.whenDone()
        self.assertIn("killed by signal 9", str(out.shutdown.message))

    @defer.inlineCallbacks
    def test_heldReceiverStopsReading(self):
        """
        A receiver that takes nothing fills its bounded inbox, which pauses
        reading the process; released, the receiver gets every byte.
        """
        total = 16 * MB
        sink = PacedSink(hold=True)
        sink.inboxes["inbox"].setSize(4)
        process = UnixProcess(["head", "-c", str(total), "/dev/zero"])
        graph = Pipeline(process, sink).activate()
        yield sink.full
        sink.release()
        self.assertEqual((yield sink.whenDone()), total)
        yield graph.whenDone()

    @defer.inlineCallbacks
    def test_memoryStaysBounded(self):
        """
        16 MB of output into a receiver slower than the process: memory
        grows by far less than that.
        """
        growth, received = yield self.transfer(16 * MB, inboxSize=4)
        self.assertEqual(received, 16 * MB)
        self.assertLess(growth, 4 * MB)

    @defer.inlineCallbacks
    def test_memoryGrowsWithoutBounds(self):
        """
        The same with an unbounded receiver queues most of the output: the
        measure above can see growth.
        """
        growth, received = yield self.transfer(16 * MB, inboxSize=None)
        self.assertEqual(received, 16 * MB)
        self.assertGreater(growth, 12 * MB)

    @defer.inlineCallbacks
    def transfer(self, total, inboxSize):
        tracemalloc.start()
        self.addCleanup(tracemalloc.stop)
        baseline = tracemalloc.get_traced_memory()[0]
        sink = PacedSink()
        sink.inboxes["inbox"].setSize(inboxSize)
        yield Pipeline(UnixProcess(["head", "-c", str(total), "/dev/zero"]), sink).activate().whenDone()
        return tracemalloc.get_traced_memory()[1] - baseline, sink.received

    def test_badCommands(self):
        self.assertRaises(ValueError, UnixProcess, "")
        self.assertRaises(ValueError, UnixProcess, [])
        error = self.assertRaises(ValueError, UnixProcess, ["no-such-program-here"])
        self.assertEqual(str(error), "cannot find the program 'no-such-program-here'")
        self.assertRaises(ValueError, UnixProcess, [os.path.dirname(sys.executable)])

    @defer.inlineCallbacks
    def test_failingReceiverTerminatesProcess(self):
        """
        When the component fails (here: a message that is not bytes, which
        the error says), the process is terminated, not left running.
        """
        process = UnixProcess(["cat"])
        graph = Pipeline(process, Recorder()).activate()
        process.inboxes["inbox"].deliver("not bytes")
        failure = yield self.assertFailure(graph.whenDone(), TypeError)
        self.assertIn("writes bytes to a process, not str", str(failure))
        self.assertEqual(len(self.flushLoggedErrors(TypeError)), 1)
        exit = yield process.whenExited()
        self.assertIsInstance(exit, ProcessTerminated)
        self.assertEqual(exit.signal, signal.SIGTERM)
        self.assertRaises(ProcessLookupError, os.kill, process.pid, 0)
