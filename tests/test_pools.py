"""
Tests for the pools: L{ThreadPool}, L{ProcessPool} and L{ComponentPool}, and
the pool examples.
"""

import hashlib
import os
import pickle
import queue
import re
import signal
import sys
import threading

from twisted.internet import defer, reactor
from twisted.internet.error import ProcessDone, ProcessTerminated
from twisted.internet.protocol import ProcessProtocol
from twisted.internet.task import Clock
from twisted.internet.utils import getProcessOutputAndValue
from twisted.logger import formatEvent, globalLogPublisher
from twisted.trial import unittest

from kamaelia_twisted import (
    Component, ComponentPool, Pipeline, ProcessPool, ThreadPool, producerFinished,
    shutdownMicroprocess)
from kamaelia_twisted.chassis import PoolExhausted, TaskFailed, TaskTimedOut, WorkerCrashed
from kamaelia_twisted.chassis.processpool import functionName
from kamaelia_twisted.net import SimpleServer
from kamaelia_twisted.util import Collect, DataSource, PureTransformer

from . import poolwork
from .nethelpers import Recorder, connectPlain

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


class Tap(Component):
    """
    Keep each message in C{collected}, calling C{onMessage(message)}; take
    one message per step; end on shutdown, passing it on.
    """

    def __init__(self, onMessage=lambda message: None, **attributes):
        Component.__init__(self, **attributes)
        self.onMessage = onMessage
        self.collected = []

    def main(self):
        while True:
            if self.dataReady():
                message = self.recv()
                self.collected.append(message)
                self.onMessage(message)
                yield 1
                continue
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


class Feeder(Component):
    """
    Send C{items}, waiting for room, then L{producerFinished}; call
    C{onFull()} each time the receiver is full.

    @ivar waits: how many times it waited for room.
    """

    def __init__(self, items, onFull=lambda: None, **attributes):
        Component.__init__(self, **attributes)
        self.items, self.onFull = items, onFull
        self.waits = 0

    def main(self):
        outbox = self.outboxes["outbox"]
        for item in self.items:
            while outbox.isFull():
                self.waits += 1
                self.onFull()
                yield outbox.whenSpace()
            self.send(item)
        self.send(producerFinished(self), "signal")



def checkFailOn(testCase, pool):
    """
    Check that C{pool} (of C{poolwork.failOn}) turns the exception raised
    for one item into a L{TaskFailed} carrying it, the worker process's
    traceback in its notes, and serves the items around it.
    """
    def check(sink):
        testCase.assertEqual(sink.collected[0::2], ["good", "fine"])
        failed = sink.collected[1]
        testCase.assertEqual(failed.item, "bad")
        testCase.assertTrue(failed.failure.check(ValueError))
        testCase.assertEqual(failed.failure.getErrorMessage(), "bad item 'bad'")
        note = failed.failure.value.__notes__[0]
        testCase.assertIn("in worker process", note)
        testCase.assertIn("failOn", note)
        testCase.assertIn('raise ValueError("bad item', note)

    return through(pool, ["good", "bad", "fine"]).addCallback(check)


def checkBackpressure(testCase, pool):
    """
    Check that C{pool} (of C{poolwork.gated}, C{size=2, queue=1}) holds at
    most 3 items: then its inbox is not read and a producer waiting for room
    is held back; all 12 results arrive, in order.

    @return: a L{Deferred} firing when checked.
    """
    gate = os.path.abspath(testCase.mktemp())  # worker processes may run in another folder
    held = []
    pool.inboxes["inbox"].setSize(2)

    def full():
        held.append(pool.held)
        open(gate, "w").close()

    feeder = Feeder([("wait", gate, n) for n in range(12)], full)
    sink = Tap(lambda message: held.append(pool.held))
    d = Pipeline(feeder, pool, sink).activate().whenDone()

    def check(_):
        testCase.assertEqual(sink.collected, list(range(12)))
        testCase.assertGreater(feeder.waits, 0)
        testCase.assertLessEqual(max(held), 3)

    return d.addCallback(check)


def through(pool, items, sink=None):
    """
    Run C{items} through C{pool} into C{sink} (a L{Collect} by default);
    return a L{Deferred} of the sink.
    """
    sink = Collect() if sink is None else sink
    d = Pipeline(DataSource(items), pool, sink).activate().whenDone()
    return d.addCallback(lambda _: sink)


def poolThreads(pool):
    return [thread for thread in threading.enumerate() if pool.name in thread.name]


class ThreadingClock(Clock):
    """
    A L{Clock} that threads can call into: L{callFromThread} queues the call
    until the test runs it with L{runThreadCalls}. System event triggers are
    kept in C{triggers} and never fired.
    """

    def __init__(self):
        Clock.__init__(self)
        self._fromThreads = queue.SimpleQueue()
        self.triggers = {}

    def callFromThread(self, f, *args, **kwargs):
        self._fromThreads.put((f, args, kwargs))

    def runThreadCalls(self, calls):
        """
        Wait for C{calls} calls from threads (at most 10 s each), run them,
        and then what they scheduled for now.
        """
        for _ in range(calls):
            f, args, kwargs = self._fromThreads.get(timeout=10)
            f(*args, **kwargs)
        self.advance(0)

    def addSystemEventTrigger(self, phase, eventType, f, *args, **kwargs):
        triggerID = object()
        self.triggers[triggerID] = (phase, eventType, f, args, kwargs)
        return triggerID

    def removeSystemEventTrigger(self, triggerID):
        del self.triggers[triggerID]


class Hang:
    """
    A blocking function that returns C{item.upper()}, except for C{"hang"},
    which waits until L{release} (called at the test's cleanup at the
    latest), having set C{hanging}; it keeps the thread each item ran in.
    """

    def __init__(self, test):
        self.released, self.hanging = threading.Event(), threading.Event()
        self.threads = {}
        test.addCleanup(self.release)

    def __call__(self, item):
        self.threads[item] = threading.current_thread()
        if item == "hang":
            self.hanging.set()
            self.released.wait()
        return item.upper()

    def release(self):
        self.released.set()


def startOnClock(pool, items):
    """
    Deliver C{items} and L{producerFinished} to C{pool}, which runs on a
    L{ThreadingClock}, and start it; return that clock.
    """
    for item in items:
        pool.inboxes["inbox"].deliver(item)
    pool.inboxes["control"].deliver(producerFinished())
    pool.activate()
    pool.reactor.advance(0)
    return pool.reactor


class ThreadPoolTests(unittest.TestCase):
    def test_resultsInInputOrder(self):
        """
        Results leave in input order even when a later item finishes first.
        """
        secondDone = threading.Event()
        finished = []

        def work(item):
            if item == "first":
                secondDone.wait(10)
            finished.append(item)
            if item == "second":
                secondDone.set()
            return item.upper()

        pool = ThreadPool(work, size=2)

        def check(sink):
            self.assertEqual(finished, ["second", "first"])
            self.assertEqual(sink.collected, ["FIRST", "SECOND"])

        return through(pool, ["first", "second"]).addCallback(check)

    def test_completionOrder(self):
        """
        With C{ordered=False} results leave as they finish.
        """
        release = threading.Event()

        def work(item):
            if item == "first":
                release.wait(10)
            return item

        def seen(message):
            if message == "second":
                release.set()

        sink = Tap(seen)
        d = through(ThreadPool(work, size=2, ordered=False), ["first", "second"], sink)
        return d.addCallback(lambda _: self.assertEqual(sink.collected, ["second", "first"]))

    def test_failureIsAResult(self):
        """
        An item whose work raises leaves as a L{TaskFailed}; the pool goes on
        and passes the shutdown on.
        """

        def work(item):
            if item == 2:
                raise ValueError("two is bad")
            return item * 10

        def check(sink):
            self.assertEqual(sink.collected[0::2], [10, 30])
            failed = sink.collected[1]
            self.assertIsInstance(failed, TaskFailed)
            self.assertEqual(failed.item, 2)
            self.assertTrue(failed.failure.check(ValueError))
            self.assertEqual(failed.failure.getErrorMessage(), "two is bad")
            self.assertIsInstance(sink.shutdown, producerFinished)

        return through(ThreadPool(work, size=2), [1, 2, 3]).addCallback(check)

    def test_threadsStopped(self):
        """
        The pool's threads are gone once it has ended.
        """
        pool = ThreadPool(lambda item: threading.current_thread().name, size=3)

        def check(sink):
            self.assertTrue(all(pool.name in name for name in sink.collected))
            self.assertEqual(poolThreads(pool), [])

        return through(pool, list(range(10))).addCallback(check)

    def test_backpressure(self):
        """
        A pool whose workers are busy stops taking from its bounded inbox, so
        the producer waits; it never holds more than C{size + queue} items,
        and everything arrives.
        """
        gate = threading.Event()
        held = []
        pool = ThreadPool(lambda item: (gate.wait(10), held.append(pool.held), item)[-1],
                          size=2, queue=3)
        pool.inboxes["inbox"].setSize(4)

        def full():
            held.append(pool.held)
            gate.set()

        feeder = Feeder(list(range(60)), full)
        sink = Tap(lambda message: held.append(pool.held))
        d = Pipeline(feeder, pool, sink).activate().whenDone()

        def check(_):
            self.assertEqual(sink.collected, list(range(60)))
            self.assertGreater(feeder.waits, 0)
            self.assertLessEqual(max(held), 5)
            self.assertEqual(pool.held, 0)

        return d.addCallback(check)

    def test_slowReceiver(self):
        """
        When the receiver's inbox is full the pool keeps results back, and
        holds no more than C{size + queue} items meanwhile.
        """
        held = []
        pool = ThreadPool(lambda item: item, size=2, queue=2)
        sink = Tap(lambda message: held.append(pool.held))
        sink.inboxes["inbox"].setSize(1)

        def check(_):
            self.assertEqual(sink.collected, list(range(50)))
            self.assertLessEqual(max(held), 4)

        return through(pool, list(range(50)), sink).addCallback(check)

    def stopWhileWorking(self, queue, items, controls=()):
        """
        Give a L{ThreadPool} of one thread C{items} and then C{controls} on
        C{control}; once its thread works on item 0, send it a
        L{shutdownMicroprocess} and let item 0 finish. Return a Deferred
        firing with the pool and that message once the pool has ended.
        """
        gate = threading.Event()
        started = defer.Deferred()

        def work(item):
            if item == 0:
                reactor.callFromThread(started.callback, None)
                gate.wait(10)
            return item

        pool = ThreadPool(work, size=1, queue=queue)
        for item in items:
            pool.inboxes["inbox"].deliver(item)
        for message in controls:
            pool.inboxes["control"].deliver(message)
        stop = shutdownMicroprocess()

        def shutDown(_):
            pool.inboxes["control"].deliver(stop)
            gate.set()
            return pool.whenDone().addCallback(lambda _: (pool, stop))

        pool.activate()
        return started.addCallback(shutDown)

    def test_shutdownFinishesHeldWork(self):
        """
        On L{shutdownMicroprocess} the pool takes nothing more from its inbox,
        finishes the items it holds, sends their results, then passes the
        message on.
        """
        def check(ended):
            pool, stop = ended
            self.assertEqual(list(pool.outboxes["outbox"]), [0, 1])
            self.assertEqual(list(pool.inboxes["inbox"]), [2, 3, 4])
            self.assertEqual(list(pool.outboxes["signal"]), [stop])
            self.assertEqual(poolThreads(pool), [])

        return self.stopWhileWorking(1, range(5)).addCallback(check)

    def test_producerFinishedDrainsInbox(self):
        """
        On L{producerFinished} the pool works through its whole inbox first.
        """
        pool = ThreadPool(lambda item: -item, size=2, queue=0)
        for item in range(7):
            pool.inboxes["inbox"].deliver(item)
        pool.inboxes["control"].deliver(producerFinished())

        def check(_):
            self.assertEqual(list(pool.outboxes["outbox"]), [0, -1, -2, -3, -4, -5, -6])
            self.assertIsInstance(pool.outboxes["signal"].messages[0], producerFinished)

        return pool.activate().whenDone().addCallback(check)

    def test_shutdownWhileDraining(self):
        """
        A L{shutdownMicroprocess} after L{producerFinished} ends the
        draining: the pool finishes what it holds, takes nothing more from
        its inbox, and passes the L{shutdownMicroprocess} on.
        """
        def check(ended):
            pool, stop = ended
            self.assertEqual(list(pool.outboxes["outbox"]), [0])
            self.assertEqual(list(pool.inboxes["inbox"]), [1, 2, 3])
            self.assertEqual(list(pool.outboxes["signal"]), [stop])

        return self.stopWhileWorking(0, range(4), [producerFinished()]).addCallback(check)

    def test_badArguments(self):
        self.assertRaises(TypeError, ThreadPool, 42)
        self.assertRaises(ValueError, ThreadPool, abs, size=0)
        self.assertRaises(ValueError, ThreadPool, abs, queue=-1)
        self.assertRaises(ValueError, ThreadPool, abs, timeout=0)

    def test_timeoutOrdered(self):
        """
        An item still running after C{timeout} seconds leaves as a
        L{TaskFailed} with L{TaskTimedOut}; in input order, it holds back the
        results after it until then. The pool goes on, and its thread's late
        result is dropped.
        """
        work = Hang(self)
        pool = ThreadPool(work, size=2, timeout=5, reactor=ThreadingClock())
        clock = startOnClock(pool, ["hang", "a", "b"])
        clock.runThreadCalls(2)
        self.assertEqual(list(pool.outboxes["outbox"]), [])
        clock.advance(5)
        timedOut, a, b = pool.outboxes["outbox"]
        self.assertEqual((timedOut.item, a, b), ("hang", "A", "B"))
        self.assertTrue(timedOut.failure.check(TaskTimedOut))
        self.assertIn("still running after 5 s", timedOut.failure.getErrorMessage())
        clock.runThreadCalls(2)
        self.assertIsInstance(pool.outboxes["signal"].messages[0], producerFinished)
        self.assertTrue(pool.isDone())

        work.release()
        clock.runThreadCalls(2)
        self.assertEqual(len(pool.outboxes["outbox"]), 3)
        self.assertEqual(poolThreads(pool), [])

    def test_timeoutCompletionOrder(self):
        """
        With C{ordered=False} only the timed-out item's result waits.
        """
        work = Hang(self)
        pool = ThreadPool(work, size=2, timeout=5, ordered=False, reactor=ThreadingClock())
        clock = startOnClock(pool, ["hang", "a", "b"])
        clock.runThreadCalls(2)
        self.assertEqual(list(pool.outboxes["outbox"]), ["A", "B"])
        clock.advance(5)
        timedOut = pool.outboxes["outbox"].messages[2]
        self.assertEqual(timedOut.item, "hang")
        self.assertTrue(timedOut.failure.check(TaskTimedOut))
        clock.runThreadCalls(2)
        self.assertTrue(pool.isDone())

    def test_timeoutReplacesThread(self):
        """
        A new thread takes the place of an abandoned one, so the pool still
        runs C{size} items at once. Every thread is a daemon thread.
        """
        work = Hang(self)
        pool = ThreadPool(work, size=1, timeout=5, reactor=ThreadingClock())
        clock = startOnClock(pool, ["hang", "a"])
        self.assertTrue(work.hanging.wait(10))  # its thread is a thread of the pool's by now
        clock.advance(4)
        self.assertEqual(list(pool.outboxes["outbox"]), [])
        self.assertEqual(len(poolThreads(pool)), 1)
        clock.advance(1)
        clock.runThreadCalls(1)
        self.assertEqual(pool.outboxes["outbox"].messages[1], "A")
        self.assertNotEqual(work.threads["a"], work.threads["hang"])
        self.assertEqual((work.threads["hang"].daemon, work.threads["a"].daemon), (True, True))
        clock.runThreadCalls(1)
        self.assertTrue(pool.isDone())
        self.assertEqual(poolThreads(pool), [work.threads["hang"]])
        work.release()
        clock.runThreadCalls(1)
        self.assertEqual(poolThreads(pool), [])


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class ProcessPoolTests(unittest.TestCase):
    def test_resultsInOrder(self):
        def check(sink):
            self.assertEqual(sink.collected, [n * n for n in range(20)])

        return through(ProcessPool(poolwork.square, size=2), list(range(20))).addCallback(check)

    def test_largeItems(self):
        """
        Items and results larger than an AMP value (64 KiB) go through whole.
        """
        items = [b"\x00\xff" * 150000, list(range(50000)), "small"]
        d = through(ProcessPool("tests.poolwork:identity", size=1), items)
        return d.addCallback(lambda sink: self.assertEqual(sink.collected, items))

    def test_completionOrder(self):
        gate = self.mktemp()

        def seen(message):
            if message == "second":
                open(gate, "w").close()

        sink = Tap(seen)
        items = [("wait", gate, "first"), ("go", gate, "second")]
        d = through(ProcessPool("tests.poolwork:gated", size=2, ordered=False), items, sink)
        return d.addCallback(lambda _: self.assertEqual(sink.collected, ["second", "first"]))

    def test_exception(self):
        """
        An exception raised by the function leaves as a L{TaskFailed} with
        that exception, the worker's traceback in its notes.
        """
        return checkFailOn(self, ProcessPool("tests.poolwork:failOn", size=1))

    def test_crashReplacesWorker(self):
        """
        A worker that exits is replaced; its item is a L{TaskFailed} with
        L{WorkerCrashed}, and the items after it are served by a new
        process. No worker process outlives the pool.
        """

        def check(sink):
            (first, pid1), failed, (last, pid2) = sink.collected
            self.assertEqual((first, last), ("a", "b"))
            self.assertEqual(failed.item, "crash")
            self.assertTrue(failed.failure.check(WorkerCrashed))
            self.assertIn("exited with code 3", failed.failure.getErrorMessage())
            self.assertNotEqual(pid1, pid2)
            self.assertEqual([alive(pid1), alive(pid2)], [False, False])

        d = through(ProcessPool(poolwork.crashOn, size=1), ["a", "crash", "b"])
        return d.addCallback(check)

    def test_timeout(self):
        """
        A worker still on an item after C{timeout} seconds is killed and
        replaced; the item is a L{TaskFailed} with L{TaskTimedOut}.
        """

        def check(sink):
            self.assertEqual(sink.collected[0::2], ["a", "b"])
            self.assertEqual(sink.collected[1].item, "hang")
            self.assertTrue(sink.collected[1].failure.check(TaskTimedOut))

        d = through(ProcessPool(poolwork.hangOn, size=1, timeout=2), ["a", "hang", "b"])
        return d.addCallback(check)

    def test_retry(self):
        """
        With C{retries}, the item of a lost worker is tried again.
        """
        marker = self.mktemp()
        d = through(ProcessPool(poolwork.crashUnlessMarked, size=1, retries=1), [marker])
        return d.addCallback(lambda sink: self.assertEqual(sink.collected, ["recovered"]))

    def test_retriesExhausted(self):
        def check(sink):
            failed = sink.collected[0]
            self.assertTrue(failed.failure.check(WorkerCrashed))
            self.assertEqual(failed.failure.value.attempts, 3)
            self.assertEqual(sink.collected[1][0], "after")

        d = through(ProcessPool(poolwork.crashOn, size=1, retries=2), ["crash", "after"])
        return d.addCallback(check)

    def test_unpicklable(self):
        """
        An item or a result that does not pickle is a L{TaskFailed}.
        """

        def check(sinks):
            itemFailed, resultFailed = (sink.collected[0] for sink in sinks)
            self.assertTrue(itemFailed.failure.check(pickle.PicklingError, AttributeError))
            self.assertIn("pickle", resultFailed.failure.getErrorMessage())

        return defer.gatherResults([
            through(ProcessPool(poolwork.identity, size=1), [lambda: None]),
            through(ProcessPool(poolwork.unpicklableResult, size=1), [1]),
        ]).addCallback(check)

    def test_backpressure(self):
        return checkBackpressure(self, ProcessPool(poolwork.gated, size=2, queue=1))

    def test_lightWorkers(self):
        """
        Worker processes import neither Twisted nor this package (which
        would make each one take several times as long to start).
        """
        d = through(ProcessPool(poolwork.heavyModules, size=1), [None])
        return d.addCallback(lambda sink: self.assertEqual(sink.collected, [[]]))

    def test_functionNames(self):
        """
        The function must be importable by name in the worker processes.
        """
        self.assertEqual(functionName(poolwork.square), "tests.poolwork:square")
        self.assertEqual(functionName("tests.poolwork:square"), "tests.poolwork:square")
        for bad in ["__main__:main", "tests.poolwork:nothing", "no.such.module:f", "square",
                    lambda x: x, "tests.poolwork:os"]:
            self.assertRaises(ValueError, ProcessPool, bad)
        self.assertRaises(ValueError, ProcessPool, poolwork.square, timeout=0)
        self.assertRaises(ValueError, ProcessPool, poolwork.square, retries=-1)


class Upper(Component):
    """
    Send each message upper-cased (waiting first on C{gates[message]}, if
    there is one); raise on C{"bad"}; end on shutdown.
    """

    gates = {}

    def main(self):
        while True:
            while self.dataReady():
                message = self.recv()
                if message == "bad":
                    raise ValueError("bad message")
                if message in self.gates:
                    yield self.gates[message]
                self.send(message.upper())
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


class Counting:
    """
    A factory of C{handlerClass} that keeps what it made.
    """

    def __init__(self, handlerClass=Upper, **attributes):
        self.handlerClass, self.attributes = handlerClass, attributes
        self.made = []

    def __call__(self):
        handler = self.handlerClass(**self.attributes)
        self.made.append(handler)
        return handler


def finish(handler):
    handler.inboxes["control"].deliver(producerFinished())
    return handler.whenDone()


class ComponentPoolTests(unittest.TestCase):
    def test_premade(self):
        factory = Counting()
        pool = ComponentPool(factory, size=3)
        self.assertEqual((len(factory.made), pool.ready, pool.inUse, pool.limit), (3, 3, 0, 3))
        self.assertIs(pool(), factory.made[0])
        self.assertEqual((pool.ready, pool.inUse), (2, 1))

    def test_jobsInOrder(self):
        """
        Each job gets a handler of its own; results leave in input order.
        """
        gate = defer.Deferred()
        factory = Counting(gates={"slow": gate})
        pool = ComponentPool(factory, size=2)
        sink = Collect()
        factory.made[1].whenDone().addCallback(lambda _: gate.callback(None))

        def check(_):
            self.assertEqual(sink.collected, ["SLOW", "FAST", "X", "Y"])
            self.assertEqual((pool.ready, pool.inUse), (2, 0))
            self.assertEqual(len(factory.made), 2 + 4)
            self.assertTrue(all(handler.isDone() for handler in factory.made[:4]))

        return through(pool, ["slow", "fast", "x", "y"], sink).addCallback(check)

    def test_completionOrder(self):
        gate = defer.Deferred()
        pool = ComponentPool(Counting(gates={"slow": gate}), size=2, ordered=False)

        def seen(message):
            if message == "FAST":
                gate.callback(None)

        sink = Tap(seen)
        d = through(pool, ["slow", "fast"], sink)
        return d.addCallback(lambda _: self.assertEqual(sink.collected, ["FAST", "SLOW"]))

    def test_handlerFailure(self):
        def check(sink):
            self.assertEqual(sink.collected[0::2], ["A", "B"])
            self.assertEqual(sink.collected[1].item, "bad")
            self.assertTrue(sink.collected[1].failure.check(ValueError))
            self.assertEqual(len(self.flushLoggedErrors(ValueError)), 1)

        return through(ComponentPool(Upper, size=1), ["a", "bad", "b"]).addCallback(check)

    def test_backpressure(self):
        gate = defer.Deferred()
        held = []
        pool = ComponentPool(Counting(gates={"0": gate}), size=2, limit=2, queue=1)
        pool.inboxes["inbox"].setSize(2)

        def full():
            held.append(pool.held)
            if not gate.called:
                gate.callback(None)

        items = [str(n) for n in range(30)]
        feeder = Feeder(items, full)
        sink = Tap(lambda message: held.append(pool.held))
        d = Pipeline(feeder, pool, sink).activate().whenDone()

        def check(_):
            self.assertEqual(sink.collected, items)
            self.assertGreater(feeder.waits, 0)
            self.assertLessEqual(max(held), 3)

        return d.addCallback(check)

    def test_exhausted(self):
        """
        Beyond C{limit}, calls get stand-ins up to C{queue}, then
        L{PoolExhausted} (also sent on C{status}).
        """
        pool = ComponentPool(Counting(), size=1, limit=2, queue=1)
        watcher = Component()
        pool.link((pool, "status"), (watcher, "inbox"))
        first, second, queued = pool(), pool(), pool()
        self.assertEqual((pool.inUse, pool.waiting), (2, 1))
        self.assertNotIsInstance(queued, Upper)
        error = self.assertRaises(PoolExhausted, pool)
        self.assertIn("all 2 handlers are in use and 1 requests wait", str(error))
        self.assertIs(watcher.recv(), error)

        queued.inboxes["inbox"].deliver("held")
        for handler in (first, second, queued):
            handler.activate()

        def freed(_):
            self.assertEqual((pool.inUse, pool.waiting), (2, 0))
            queued.inboxes["control"].deliver(shutdownMicroprocess())
            return defer.gatherResults([queued.whenDone(), finish(second)])

        def check(_):
            self.assertEqual(list(queued.outboxes["outbox"]), ["HELD"])
            self.assertEqual((pool.inUse, pool.ready), (0, 1))

        return finish(first).addCallback(freed).addCallback(check)

    def test_standInLeavesQueue(self):
        """
        A stand-in shut down while it waits gives up its place.
        """
        pool = ComponentPool(Upper, size=1, limit=1, queue=1)
        first, queued = pool(), pool()
        queued.inboxes["control"].deliver(shutdownMicroprocess())

        def check(_):
            self.assertEqual(pool.waiting, 0)
            self.assertIsInstance(queued.outboxes["signal"].messages[0], shutdownMicroprocess)
            return finish(first.activate())

        return queued.activate().whenDone().addCallback(check)

    def test_badArguments(self):
        self.assertRaises(TypeError, ComponentPool, 42)
        self.assertRaises(ValueError, ComponentPool, Upper, size=-1)
        self.assertRaises(ValueError, ComponentPool, Upper, limit=0)
        self.assertRaises(TypeError, ComponentPool, lambda: "text", size=1)
        pool = ComponentPool(lambda: "text", size=0)
        self.assertRaises(TypeError, pool)
        self.assertEqual(pool.inUse, 0)

    @defer.inlineCallbacks
    def test_simpleServer(self):
        """
        As C{SimpleServer}'s protocol, the pool serves C{limit} connections,
        queues C{queue} more and refuses the next; a queued connection is
        served once a slot frees.
        """
        logged = []
        globalLogPublisher.addObserver(logged.append)
        self.addCleanup(globalLogPublisher.removeObserver, logged.append)
        pool = ComponentPool(UpperBytes, size=1, limit=1, queue=1)
        server = SimpleServer(protocol=pool, port=0, interface="127.0.0.1").activate()
        port = (yield server.whenListening()).getHost().port
        first, second, third = Recorder(), Recorder(), Recorder()

        yield connectPlain(port, first)
        first.transport.write(b"one")
        yield first.whenReceived(3)
        yield connectPlain(port, second)
        second.transport.write(b"two")
        yield connectPlain(port, third)
        refused = yield third.done.addErrback(lambda failure: failure.value)
        self.assertEqual(refused, b"")
        self.assertEqual((pool.inUse, pool.waiting), (1, 1))
        self.assertEqual(self.flushLoggedErrors(PoolExhausted), [])
        refusals = [formatEvent(e) for e in logged if "refused a connection" in formatEvent(e)]
        self.assertEqual(len(refusals), 1)
        self.assertIn("all 1 handlers are in use", refusals[0])

        first.transport.loseConnection()
        yield second.whenReceived(3)
        self.assertEqual((bytes(first.received), bytes(second.received)), (b"ONE", b"TWO"))
        second.transport.loseConnection()
        yield defer.gatherResults([first.done, second.done])
        server.inboxes["control"].deliver(shutdownMicroprocess())
        yield server.whenDone()
        self.assertEqual((pool.inUse, pool.waiting, pool.ready), (0, 0, 1))


def UpperBytes():
    """
    A handler: send back what arrives, upper-cased; end on shutdown.
    """
    return PureTransformer(bytes.upper)


def exampleEnvironment():
    """
    The environment for example scripts: this one, with the package importable.
    """
    return dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))


def runExample(name, *args):
    """
    Run C{examples/name} with C{args}; return a L{Deferred} of C{(out, err, code)}.
    """
    script = os.path.join(EXAMPLES, name)
    return getProcessOutputAndValue(sys.executable, (script,) + args, env=exampleEnvironment())


class Script(ProcessProtocol):
    """
    A running example script, its output kept.
    """

    def __init__(self):
        self.output = b""
        self.ended = defer.Deferred()
        self._waiters = []

    def whenPrinted(self, pattern):
        """
        Return a L{Deferred} that fires with the match once C{pattern} (a
        bytes regular expression) matches the output.
        """
        d = defer.Deferred()
        self._waiters.append((pattern, d))
        self._check()
        return d

    def outReceived(self, data):
        self.output += data
        self._check()

    def _check(self):
        for pattern, d in list(self._waiters):
            found = re.search(pattern, self.output)
            if found:
                self._waiters.remove((pattern, d))
                d.callback(found)

    def processEnded(self, reason):
        self.ended.callback(reason.value)

    def kill(self):
        """
        Kill the process if it still runs; return a L{Deferred} that fires
        once it has ended.
        """
        if self.ended.called:
            return defer.succeed(None)
        self.transport.signalProcess("KILL")
        return self.ended.addBoth(lambda _: None)


class ExamplesTests(unittest.TestCase):
    def test_checksumPool(self):
        """
        C{checksum_pool.py} prints the SHA-256 of each file of a folder, in
        name order, computed in worker processes.
        """
        folder = self.mktemp()
        os.makedirs(os.path.join(folder, "subfolder"))
        expected = []
        for name, content in [("b.bin", os.urandom(100000)), ("a.txt", b"hello"), ("c", b"")]:
            path = os.path.join(folder, name)
            with open(path, "wb") as f:
                f.write(content)
            expected.append((path, "{}  {}".format(hashlib.sha256(content).hexdigest(), path)))
        lines = [line for _, line in sorted(expected)]

        def check(result):
            out, err, code = result
            self.assertEqual((out.decode().splitlines(), code), (lines, 0))

        return runExample("checksum_pool.py", folder, "--workers", "2").addCallback(check)

    def test_checksumPoolBadFolder(self):
        """
        A folder that does not exist: one line on stderr, exit status 1.
        """
        def check(result):
            out, err, code = result
            self.assertEqual((out, err.decode().splitlines(), code),
                             (b"", ["checksum_pool: [Errno 2] No such file or directory: 'nowhere'"], 1))

        return runExample("checksum_pool.py", "nowhere").addCallback(check)

    def test_blockingService(self):
        """
        C{blocking_service.py} looks words up in sqlite from a thread pool.
        """
        database = self.mktemp()

        def check(result):
            out, err, code = result
            self.assertEqual(out.decode().splitlines(), [
                "deferred: a promise of a result, with callbacks",
                "kettle: (not found)",
                "reactor: the event loop at the heart of Twisted",
            ])
            self.assertEqual(code, 0)

        d = runExample("blocking_service.py", database, "deferred", "kettle", "reactor")
        return d.addCallback(check)

    @defer.inlineCallbacks
    def test_poolServer(self):
        """
        C{pool_server.py} serves a connection from its pool, refuses one too
        many (and says so), and stops on SIGTERM.
        """
        script = Script()
        process = reactor.spawnProcess(
            script, sys.executable,
            [sys.executable, os.path.join(EXAMPLES, "pool_server.py"),
             "--port", "0", "--size", "1", "--limit", "1", "--queue", "0"],
            env=exampleEnvironment())
        self.addCleanup(script.kill)
        listening = yield script.whenPrinted(rb"listening on 127\.0\.0\.1:(\d+)\n")
        port = int(listening.group(1))
        served, refused = Recorder(), Recorder()
        yield connectPlain(port, served)
        served.transport.write(b"hello")
        yield served.whenReceived(5)
        yield connectPlain(port, refused)
        closed = yield refused.done.addErrback(lambda failure: failure.value)
        yield script.whenPrinted(rb"refused a connection: .*all 1 handlers are in use")
        served.transport.loseConnection()
        yield served.done
        process.signalProcess("TERM")
        ended = yield script.ended
        self.assertEqual((bytes(served.received), closed), (b"HELLO", b""))
        self.assertIsInstance(ended, ProcessTerminated)
        self.assertEqual(ended.exitCode, 128 + signal.SIGTERM)


SHUTDOWN_SCRIPT = """
import os, threading, time
from twisted.internet import reactor
from kamaelia_twisted import Pipeline, ProcessPool, ThreadPool
from kamaelia_twisted.util import Collect, DataSource, PureTransformer

Pipeline(DataSource([0.5] * 4), ProcessPool("time:sleep", size=2), Collect()).activate()
Pipeline(DataSource([1.0] * 6), ThreadPool(time.sleep, size=2), Collect()).activate()
reactor.callLater(0.2, reactor.stop)
reactor.run()

def parent(pid):
    with open("/proc/{}/stat".format(pid)) as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])

children = [pid for pid in os.listdir("/proc") if pid.isdigit() and parent(pid) == os.getpid()]
nonDaemon = [thread for thread in threading.enumerate() if not thread.daemon]
print("non-daemon threads:", len(nonDaemon), "children:", len(children), flush=True)
os._exit(0)
"""

HUNG_THREAD_SCRIPT = """
import threading
from twisted.internet import reactor
from kamaelia_twisted import Pipeline, ThreadPool
from kamaelia_twisted.util import Collect, DataSource

def hang(item):
    print("working on", item, flush=True)
    threading.Event().wait()

Pipeline(DataSource([1]), ThreadPool(hang, size=1), Collect()).activate()
reactor.run()
print("reactor stopped", flush=True)
"""


class ReactorShutdownTests(unittest.TestCase):
    def test_workersStopped(self):
        """
        When the reactor shuts down with pools still working, their worker
        processes have exited before it stops, and their threads (daemon
        threads) do not keep the process alive.
        """
        d = getProcessOutputAndValue(sys.executable, ["-c", SHUTDOWN_SCRIPT],
                                     env=exampleEnvironment(), path=ROOT)

        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"non-daemon threads: 1 children: 0\n", 0), err.decode()[-2000:])

        return d.addCallback(check)

    @defer.inlineCallbacks
    def test_hungThreadDoesNotHoldExit(self):
        """
        A process whose L{ThreadPool} works on an item that never returns
        stops on SIGTERM and exits.
        """
        script = Script()
        process = reactor.spawnProcess(script, sys.executable, [sys.executable, "-c", HUNG_THREAD_SCRIPT],
                                       env=exampleEnvironment(), path=ROOT)
        self.addCleanup(script.kill)
        yield script.whenPrinted(rb"working on 1\n")
        process.signalProcess("TERM")
        hangGuard = reactor.callLater(60, script.kill)
        self.addCleanup(lambda: hangGuard.active() and hangGuard.cancel())
        ended = yield script.ended
        self.assertIsInstance(ended, ProcessDone, "killed after 60 s: the process hung")
        self.assertIn(b"reactor stopped", script.output)
