"""
The runtime of a reactor, and how run() ends a program: on Ctrl-C, SIGTERM
and failure.
"""

import gc
import os
import signal
import textwrap
import weakref

from twisted.internet import defer, reactor
from twisted.internet.task import Clock
from twisted.trial import unittest

from kamaelia_twisted import Backplane, Component, Graphline, Pipeline, PublishTo, SubscribeTo
from kamaelia_twisted.core.component import ComponentStopped
from kamaelia_twisted.core.runtime import Runtime
from kamaelia_twisted.core.shutdown import shutDown
from kamaelia_twisted.net import TCPClient
from kamaelia_twisted.util import Collect, DataSource

from .children import spawn
from .helpers import Raiser


class Stubborn(Component):
    """
    Ignores shutdown messages; with C{busy}, never sleeps either.
    """

    busy = False

    def main(self):
        while True:
            if not self.busy:
                self.pause()
            yield 1


class RuntimeTests(unittest.TestCase):
    def test_childrenRunOnTheGraphsReactor(self):
        """
        A graph given a reactor runs every child on it, not on the global one.
        """
        clock, sink = Clock(), Collect()
        pipeline = Pipeline(DataSource([1, 2, 3]), sink, reactor=clock).activate()
        self.assertIs(sink.reactor, clock)
        clock.advance(0)
        self.assertEqual(sink.collected, [1, 2, 3])
        self.assertTrue(pipeline.isDone())
        self.assertEqual(Runtime.of(reactor).scheduler.runnable, 0)

    def test_onePerReactor(self):
        clock = Clock()
        self.assertIs(Runtime.of(clock), Runtime.of(clock))
        self.assertIsNot(Runtime.of(clock), Runtime.of(Clock()))
        self.assertIs(Runtime.of(clock).reactor, clock)

    def test_heldWeakly(self):
        """
        A reactor's runtime goes away with the reactor and its components.
        """
        clock = Clock()
        Pipeline(DataSource([1]), Collect(), reactor=clock).activate()
        clock.advance(0)
        runtime = weakref.ref(Runtime.of(clock))
        del clock
        gc.collect()
        self.assertIsNone(runtime())

    def test_backplaneNamesPerReactor(self):
        """
        Backplane names are per reactor; a name is free again once its
        backplane has ended, even by failure or stop().
        """
        first, second = Clock(), Clock()
        plane = Backplane("NEWS", reactor=first).activate()
        Backplane("NEWS", reactor=second).activate()
        self.assertRaises(ValueError, Backplane("NEWS", reactor=first).activate)
        plane.stop()
        self.flushLoggedErrors(ComponentStopped)
        again, sink = Backplane("NEWS", reactor=first).activate(), Collect()
        Pipeline(SubscribeTo("NEWS"), sink, reactor=first).activate()
        first.advance(0)
        Pipeline(DataSource(["headline"]), PublishTo("NEWS"), reactor=first).activate()
        first.advance(0)
        self.assertEqual(sink.collected, ["headline"])
        self.assertFalse(again.isDone())


class SignalledClock(Clock):
    """
    A clock whose C{sigTerm} stands for a reactor's SIGTERM handler (it
    notes the signal); what it is given from other threads runs at once.
    """

    def __init__(self):
        Clock.__init__(self)
        self.signalled = []

    def sigTerm(self, signum, frame):
        self.signalled.append(signum)

    def callFromThread(self, f, *args):
        f(*args)


class HurryTests(unittest.TestCase):
    """
    L{Runtime.hurryOnSignal}: a further signal to a stopping reactor.
    """

    def setUp(self):
        self.clock = SignalledClock()
        previous = signal.signal(signal.SIGTERM, self.clock.sigTerm)
        self.addCleanup(signal.signal, signal.SIGTERM, previous)
        self.runtime = Runtime.of(self.clock)
        self.addCleanup(self.runtime._unwatchSignals)

    def test_firstSignalToTheReactor(self):
        """
        Once watched, the first signal goes to the reactor's own handler
        (which asks it to stop); a second ends at once the graphs that are
        then being stopped.
        """
        seen = self.clock.signalled
        self.runtime.watchSignals()
        handler = signal.getsignal(signal.SIGTERM)
        handler(signal.SIGTERM, None)
        self.assertEqual(seen, [signal.SIGTERM])
        graph = Stubborn(reactor=self.clock).activate()
        self.runtime.hurryOnSignal([graph])
        self.assertFalse(graph.isDone())
        handler(signal.SIGTERM, None)
        self.assertEqual((seen, graph.isDone()), ([signal.SIGTERM], True))
        self.flushLoggedErrors(ComponentStopped)

    def test_signalStopsEachHurriedGraph(self):
        """
        A signal while graphs are being stopped ends each of them at once.
        """
        first, second = Stubborn(reactor=self.clock).activate(), Stubborn(reactor=self.clock).activate()
        self.runtime.hurryOnSignal([first])
        self.runtime.hurryOnSignal([second])
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)
        self.assertEqual((first.isDone(), second.isDone()), (True, True))
        self.flushLoggedErrors(ComponentStopped)

    def test_signalBeforeStopping(self):
        """
        Graphs whose stopping begins after a second signal came (the reactor
        had not yet begun to stop) end at once.
        """
        self.runtime.watchSignals()
        handler = signal.getsignal(signal.SIGTERM)
        handler(signal.SIGTERM, None)
        handler(signal.SIGTERM, None)
        graph = Stubborn(reactor=self.clock).activate()
        self.runtime.hurryOnSignal([graph])
        self.assertTrue(graph.isDone())
        self.flushLoggedErrors(ComponentStopped)

    def test_othersHandlersKept(self):
        """
        A handler that is not the reactor's (the reactor does not handle the
        signal) is left alone.
        """
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.runtime.watchSignals()
        self.runtime.hurryOnSignal([Stubborn(reactor=self.clock).activate()])
        self.assertEqual(signal.getsignal(signal.SIGTERM), signal.SIG_DFL)


class KeywordTests(unittest.TestCase):
    def test_unknownKeyword(self):
        """
        A keyword that names no attribute of the class is a TypeError naming it.
        """
        error = self.assertRaises(TypeError, TCPClient, "localhost", 1, timout=5)
        self.assertIn("timout", str(error))
        self.assertIn("TCPClient", str(error))

    def test_classAttributesOverridden(self):
        """
        Kamaelia's idiom: keywords override what the class defines.
        """
        self.assertEqual(Stubborn(busy=True).busy, True)
        inboxes = {"inbox": "In", "control": "Control", "extra": "More"}
        self.assertEqual(sorted(Component(Inboxes=inboxes).inboxes), ["control", "extra", "inbox"])


class FailureTests(unittest.TestCase):
    def test_failureStopsStubbornSiblings(self):
        """
        When a child fails, the others are asked to stop and, if they do not
        within the runtime's grace period, stopped; the graph fails with the
        first failure.
        """
        clock, stubborn = Clock(), Stubborn()
        graph = Graphline(BAD=Raiser(), STUBBORN=stubborn, reactor=clock).activate()
        graph.components["BAD"].inboxes["inbox"].deliver("boom")
        clock.advance(0)
        clock.advance(Runtime.stopGrace)
        self.assertFalse(graph.isDone())
        clock.advance(Runtime.stopGrace)
        self.assertTrue(stubborn.isDone())
        clock.advance(0)
        self.assertTrue(graph.isDone())
        self.flushLoggedErrors(ComponentStopped)
        d = self.assertFailure(graph.whenDone(), ValueError)
        return d.addCallback(lambda _: self.assertEqual(len(self.flushLoggedErrors(ValueError)), 1))

    def test_stopThatRaises(self):
        """
        A component whose stop() raises when the last stage ends it is
        ended all the same, its error logged, and the shutdown completes.
        """
        class BadStop(Stubborn):
            def stop(self):
                raise ValueError("stop failed")

        clock, bad, stubborn = Clock(), BadStop(), Stubborn()
        graph = Graphline(BAD=bad, STUBBORN=stubborn, reactor=clock).activate()
        clock.advance(0)
        done = shutDown([graph], 1.0, clock)
        clock.advance(1.0)
        clock.advance(1.0)
        clock.advance(0)
        self.assertEqual((bad.isDone(), stubborn.isDone(), graph.isDone()), (True, True, True))
        self.assertEqual(len(self.flushLoggedErrors(ValueError)), 1)
        self.flushLoggedErrors(ComponentStopped)
        return done


SCRIPT = """\
import sys
from kamaelia_twisted import Component, Graphline
from kamaelia_twisted.core.runtime import Runtime

Runtime.stopGrace = 0.2


class Worker(Component):
    busy = False
    obeys = True

    def main(self):
        print("ready", flush=True)
        while not (self.checkShutdown() and self.obeys):
            if not self.busy:
                self.pause()
            yield 1
        print("shut down", flush=True)


class Raiser(Component):
    def main(self):
        yield 1
        raise ValueError("boom")


{graph}
try:
    result = graph.run()
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    sys.exit(130)
print("returned", result, flush=True)
"""


class RunTests(unittest.TestCase):
    """
    run() in a script, as a user runs it.
    """

    def start(self, graph):
        path = self.mktemp()
        with open(path, "w") as script:
            script.write(SCRIPT.format(graph=textwrap.dedent(graph)))
        return spawn(self, [os.path.abspath(path)])

    @defer.inlineCallbacks
    def signalled(self, signame, graph="graph = Worker()"):
        child = self.start(graph)
        yield child.whenOutput(b"ready\n")
        child.transport.signalProcess(signame)
        code = yield child.ended
        return child, code

    @defer.inlineCallbacks
    def test_sigint(self):
        """
        Ctrl-C: the graph gets shutdownMicroprocess and ends, then run()
        raises KeyboardInterrupt.
        """
        child, code = yield self.signalled("INT")
        self.assertEqual(child.out, b"ready\nshut down\nKeyboardInterrupt\n", child.err)
        self.assertEqual(code, 130)

    @defer.inlineCallbacks
    def test_sigterm(self):
        """
        SIGTERM: the graph is stopped in order and the process exits with
        status 143, without a traceback.
        """
        child, code = yield self.signalled("TERM")
        self.assertEqual(child.out, b"ready\nshut down\n")
        self.assertEqual(code, 128 + signal.SIGTERM)
        self.assertNotIn(b"Traceback", child.err)

    @defer.inlineCallbacks
    def test_stubbornGraphStopped(self):
        """
        A component that ignores shutdown (and never sleeps) is stopped after
        the grace period; what was stopped is logged.
        """
        child, code = yield self.signalled("TERM", "graph = Worker(obeys=False, busy=True)")
        self.assertEqual(code, 128 + signal.SIGTERM)
        self.assertIn(b"stopping Worker_1 by force", child.err)

    @defer.inlineCallbacks
    def signalledTwice(self, first, second, wait=True):
        """
        Signal a program whose component ignores shutdown, with a stop
        grace of ten minutes, once, then again once it has been asked (or,
        without C{wait}, at once).
        """
        child = self.start("""\
            from tests.stubborn import Stubborn

            Runtime.stopGrace = 600
            graph = Stubborn()
            """)
        yield child.whenOutput(b"ready\n")
        child.transport.signalProcess(first)
        if wait:
            yield child.whenOutput(b"asked\n")
        child.transport.signalProcess(second)
        code = yield child.ended
        self.assertIn(b"stopping Stubborn_1 by force", child.err)
        self.assertNotIn(b"Traceback", child.err)
        return child, code

    @defer.inlineCallbacks
    def test_secondCtrlC(self):
        """
        A second Ctrl-C while the graph is being stopped ends what is left
        of it at once, without waiting for the stages of stopping.
        """
        child, code = yield self.signalledTwice("INT", "INT")
        self.assertEqual((child.out, code), (b"ready\nasked\nKeyboardInterrupt\n", 130))

    test_secondCtrlC.timeout = 60

    @defer.inlineCallbacks
    def test_secondSigterm(self):
        """
        So does a second SIGTERM; the status is the first signal's.
        """
        child, code = yield self.signalledTwice("TERM", "TERM")
        self.assertEqual((child.out, code), (b"ready\nasked\n", 128 + signal.SIGTERM))

    test_secondSigterm.timeout = 60

    @defer.inlineCallbacks
    def test_signalsAtOnce(self):
        """
        A second signal that comes before the reactor has begun to stop
        (two signals at once; different ones, as two of a kind may arrive
        as one) ends the graph at once too.
        """
        child, code = yield self.signalledTwice("INT", "TERM", wait=False)
        self.assertEqual(code, 130)

    test_signalsAtOnce.timeout = 60

    @defer.inlineCallbacks
    def test_failureEndsTheProgram(self):
        """
        A failure ends the program: the rest of the graph is stopped (a
        component that ignores shutdown after the grace period) and run()
        raises the original exception, reported once.
        """
        child = self.start("graph = Graphline(BAD=Raiser(), LOOP=Worker(obeys=False, busy=True))")
        code = yield child.ended
        self.assertEqual(code, 1)
        self.assertEqual(child.err.count(b"ValueError: boom"), 1, child.err)
        self.assertTrue(child.err.rstrip().endswith(b"ValueError: boom"), child.err)

    @defer.inlineCallbacks
    def test_warningsLogged(self):
        """
        run() starts logging: warnings reach stderr, information does not,
        and no event waits in Twisted's buffer for logging to begin.
        """
        child = self.start("""\
            from twisted.logger import globalLogBeginner


            class Warner(Component):
                def main(self):
                    self.log.info("chatter")
                    self.log.warn("a warning")
                    # logging has begun: nothing is kept in Twisted's early-log buffer
                    return globalLogBeginner._temporaryObserver is None
                    yield

            graph = Warner()
            """)
        code = yield child.ended
        self.assertEqual((code, child.out), (0, b"returned True\n"))
        self.assertIn(b"a warning", child.err)
        self.assertNotIn(b"chatter", child.err)
