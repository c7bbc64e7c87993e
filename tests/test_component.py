"""
Tests for L{kamaelia_twisted.core.component}: boxes, links, lifecycle.
"""

import sys
from collections import deque

from twisted.internet import defer, reactor, task, threads
from twisted.python.failure import Failure
from twisted.trial import unittest

from kamaelia_twisted import (
    BoxFull, Component, Pipeline, errorOccurred, noSpaceInBox, producerFinished, shutdownMicroprocess,
)
from kamaelia_twisted.core.component import ComponentStopped, countSends, sentCounts
from kamaelia_twisted.core.linkage import BoxAlreadyLinked
from kamaelia_twisted.core.notifier import Notifier
from kamaelia_twisted.util import Collect

from .helpers import Raiser


class BoxesTests(unittest.TestCase):
    def test_defaultBoxes(self):
        c = Component()
        self.assertEqual(sorted(c.inboxes), ["control", "inbox"])
        self.assertEqual(sorted(c.outboxes), ["outbox", "signal"])

    def test_declaredBoxes(self):
        class Custom(Component):
            Inboxes = {"in": "data", "control": "stop"}
            Outboxes = ["out", "signal"]

        c = Custom()
        self.assertEqual(sorted(c.inboxes), ["control", "in"])
        self.assertEqual(sorted(c.outboxes), ["out", "signal"])

    def test_names(self):
        """
        A component's name is its class name and a number of its own, until
        it is given another.
        """
        class Doubler(Component):
            pass

        first, second = Doubler(), Doubler()
        self.assertRegex(first.name, r"^Doubler_[0-9]+$")
        self.assertNotEqual(first.name, second.name)
        self.assertIn(first.name, repr(first))
        first.name = "doubling"
        self.assertEqual((first.name, repr(first)), ("doubling", "<doubling initial>"))

    def test_attributesFromKeywords(self):
        class Greeter(Component):
            greeting = "hello"

        self.assertEqual(Greeter(greeting="hi").greeting, "hi")
        self.assertEqual(Greeter().greeting, "hello")

    def test_sendByReference(self):
        a, b = Component(), Component()
        a.link((a, "outbox"), (b, "inbox"))
        message = {"payload": [1, 2]}
        a.send(message)
        self.assertEqual(b.dataReady(), 1)
        self.assertIs(b.recv(), message)
        self.assertEqual(b.dataReady(), 0)

    def test_unlinkedOutboxHolds(self):
        a, b = Component(), Component()
        a.send("first")
        a.send("second")
        self.assertEqual(list(a.outboxes["outbox"]), ["first", "second"])
        a.link((a, "outbox"), (b, "inbox"))
        self.assertEqual([b.recv(), b.recv()], ["first", "second"])
        self.assertEqual(len(a.outboxes["outbox"]), 0)

    def test_unlinkKeepsLaterMessages(self):
        a, b = Component(), Component()
        linkage = a.link((a, "outbox"), (b, "inbox"))
        a.send(1)
        a.unlink(thelinkage=linkage)
        a.send(2)
        self.assertEqual(list(b.inboxes["inbox"]), [1])
        self.assertEqual(list(a.outboxes["outbox"]), [2])

    def test_unlinkByComponent(self):
        a, b, c = Component(), Component(), Component()
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (c, "control"))
        a.unlink(thecomponent=b)
        a.send("x")
        a.send("s", "signal")
        self.assertEqual(b.dataReady(), 0)
        self.assertEqual(c.dataReady("control"), 1)

    def test_passthroughInbound(self):
        parent, child = Component(), Component()
        parent.link((parent, "inbox"), (child, "inbox"), passthrough=1)
        source = Component()
        source.link((source, "outbox"), (parent, "inbox"))
        source.send("through")
        self.assertEqual(parent.dataReady(), 0)
        self.assertEqual(child.recv(), "through")

    def test_passthroughOutbound(self):
        parent, child, sink = Component(), Component(), Component()
        parent.link((parent, "outbox"), (sink, "inbox"))
        parent.link((child, "outbox"), (parent, "outbox"), passthrough=2)
        child.send("out")
        self.assertEqual(sink.recv(), "out")

    def test_passthroughLinkedLaterReroutes(self):
        """
        Linking a parent's outbox after its child's passthrough still
        delivers the child's messages to the final destination.
        """
        parent, child, sink = Component(), Component(), Component()
        parent.link((child, "outbox"), (parent, "outbox"), passthrough=2)
        child.send("early")
        parent.link((parent, "outbox"), (sink, "inbox"))
        child.send("late")
        self.assertEqual(list(sink.inboxes["inbox"]), ["early", "late"])

    def test_alreadyLinked(self):
        a, b, c = Component(), Component(), Component()
        a.link((a, "outbox"), (b, "inbox"))
        self.assertRaises(BoxAlreadyLinked, a.link, (a, "outbox"), (c, "inbox"))

    def test_unknownBox(self):
        a, b = Component(), Component()
        error = self.assertRaises(KeyError, a.link, (a, "nosuch"), (b, "inbox"))
        self.assertIn("nosuch", str(error))
        error = self.assertRaises(KeyError, a.send, "x", "nosuch")
        self.assertIn("nosuch", str(error))

    def test_boundedInbox(self):
        a, b = Component(), Component()
        a.link((a, "outbox"), (b, "inbox"))
        b.inboxes["inbox"].setSize(2)
        a.send(1)
        a.send(2)
        self.assertTrue(a.outboxes["outbox"].isFull())
        error = self.assertRaises(BoxFull, a.send, 3)
        self.assertIs(noSpaceInBox, BoxFull)
        self.assertIn(b.name, str(error))
        self.assertIn("'inbox'", str(error))
        self.assertIn("whenSpace()", str(error))
        self.assertIn("(2 messages)", str(error))
        self.assertEqual(list(b.inboxes["inbox"]), [1, 2])
        b.inboxes["inbox"].setSize(1)
        self.assertIn("(1 message)", str(self.assertRaises(BoxFull, a.send, 3)))

    def test_whenSpace(self):
        a, b = Component(), Component()
        a.link((a, "outbox"), (b, "inbox"))
        b.inboxes["inbox"].setSize(4)
        for i in range(4):
            a.send(i)
        fired = []
        a.outboxes["outbox"].whenSpace().addCallback(fired.append)
        b.recv()
        self.assertEqual(fired, [])
        b.recv()
        self.assertEqual(fired, [None])

    def test_onlyDeliverAddsMessages(self):
        """
        A box is not a deque: nothing adds messages around the bound and the
        receiver's alarm; takeAll empties it and releases waiting senders.
        """
        a, b = Component(), Component()
        a.link((a, "outbox"), (b, "inbox"))
        box = b.inboxes["inbox"]
        box.setSize(2)
        for name in ("append", "extend", "appendleft", "insert"):
            self.assertFalse(hasattr(box, name), name)
        a.send(1)
        a.send(2)
        fired = []
        a.outboxes["outbox"].whenSpace().addCallback(fired.append)
        self.assertEqual((box.takeAll(), len(box), fired), ([1, 2], 0, [None]))

    def test_sourcesFollowLinks(self):
        """
        A box's C{sources} are the boxes forwarding to it, as they are
        linked and unlinked; a destination change reaches every source.
        """
        parent, first, second, sink = Component(), Component(), Component(), Component()
        inbox = parent.inboxes["inbox"]
        self.assertEqual(inbox.sources, ())
        one = parent.link((first, "outbox"), (parent, "inbox"))
        self.assertEqual(inbox.sources, (first.outboxes["outbox"],))
        parent.link((second, "outbox"), (parent, "inbox"))
        self.assertEqual(inbox.sources, (first.outboxes["outbox"], second.outboxes["outbox"]))
        parent.link((parent, "inbox"), (sink, "inbox"), passthrough=1)
        first.send(1)
        second.send(2)
        parent.unlink(thelinkage=one)
        self.assertEqual(inbox.sources, (second.outboxes["outbox"],))
        first.send("held")
        second.send(3)
        parent.unlink(thecomponent=second)
        self.assertEqual(inbox.sources, ())
        self.assertEqual(list(sink.inboxes["inbox"]), [1, 2, 3])
        self.assertEqual(list(first.outboxes["outbox"]), ["held"])

    def test_unlinkOneOfSeveral(self):
        """
        Unlinking one link leaves the component's others, which it undoes
        when it ends; a link it does not own is left alone.
        """
        owner, a, b, other = Component(reactor=task.Clock()), Component(), Component(), Component()
        toA = owner.link((owner, "outbox"), (a, "inbox"))
        owner.link((owner, "signal"), (b, "control"))
        foreign = other.link((other, "outbox"), (b, "inbox"))
        owner.unlink(thelinkage=foreign)
        owner.unlink(thelinkage=toA)
        owner.send("kept", "signal")
        other.send("theirs")
        self.assertEqual((a.dataReady(), b.dataReady("control"), b.dataReady()), (0, 1, 1))
        owner.activate()
        owner.reactor.advance(0)
        owner.send("after the end", "signal")
        self.assertEqual(b.dataReady("control"), 1)
        self.assertIs(other.outboxes["outbox"].target, b.inboxes["inbox"])

    def test_boundsPerBox(self):
        """
        A bound and a capacity belong to their box alone; the smaller of the
        two is where it is full.
        """
        a, b = Component(), Component()
        first, second = a.inboxes["inbox"], b.inboxes["inbox"]
        first.setCapacity(2)
        second.setCapacity(2)
        second.setSize(1)
        self.assertEqual((first.size, first.capacity, second.size, second.capacity), (None, 2, 1, 2))
        first.deliver(1)
        second.deliver(1)
        self.assertEqual((first.isFull(), second.isFull()), (False, True))
        self.assertRaises(BoxFull, second.deliver, 2)
        first.deliver(2)
        self.assertTrue(first.isFull())
        first.deliver(3)  # a capacity is advice: it still queues
        first.removeBounds()
        self.assertEqual((first.size, first.capacity, first.isFull(), len(first)), (None, None, False, 3))
        self.assertEqual((second.size, second.capacity), (1, 2))

    def test_anyReady(self):
        c = Component()
        self.assertFalse(c.anyReady())
        c.inboxes["control"].deliver("stop")
        self.assertTrue(c.anyReady())


class PerClassMethodsTests(unittest.TestCase):
    """
    Each component class runs a copy of its own of C{dataReady}, C{recv},
    C{send} and C{_step}, which behaves as C{Component}'s.
    """

    def test_copiesOfTheirOwn(self):
        class Relay(Component):
            pass

        class LoudRelay(Relay):
            pass

        for name in ("dataReady", "recv", "send", "_step"):
            shared = getattr(Component, name)
            methods = [getattr(cls, name) for cls in (Component, Relay, LoudRelay)]
            self.assertEqual(len({id(method.__code__) for method in methods}), 3)
            self.assertEqual({(method.__qualname__, method.__doc__) for method in methods},
                             {(shared.__qualname__, shared.__doc__)})
        a, b = Relay(), LoudRelay()
        a.link((a, "outbox"), (b, "inbox"))
        a.send("hi")
        self.assertEqual((b.dataReady(), b.recv(), b.dataReady()), (1, "hi", 0))
        self.assertRaises(KeyError, a.send, "hi", "nowhere")

    def test_overridesKept(self):
        class Tagging(Component):
            def send(self, message, boxname="outbox"):
                Component.send(self, ("tagged", message), boxname)

        class Subclass(Tagging):
            pass

        self.assertIs(Subclass.send, Tagging.send)
        c = Subclass()
        c.send("x")
        self.assertEqual(list(c.outboxes["outbox"]), [("tagged", "x")])

    def test_countSendsReachesCopies(self):
        class Source(Component):
            pass

        countSends(True)
        self.addCleanup(countSends, False)

        class Later(Source):
            pass

        early, later = Source(), Later()
        for c in (early, later):
            c.send("a")
            c.send("b", "signal")
            self.assertEqual(sentCounts(c), {"outbox": 1, "signal": 1})
        countSends(False)
        for c in (early, later):
            c.send("c")
            self.assertEqual(sentCounts(c), {"outbox": 1, "signal": 1})
            self.assertEqual(list(c.outboxes["outbox"]), ["a", "c"])


class LifecycleTests(unittest.TestCase):
    def test_returnValue(self):
        class Answer(Component):
            def main(self):
                yield 1
                return 42

        return Answer().activate().whenDone().addCallback(self.assertEqual, 42)

    def test_whenDoneAfterEnd(self):
        c = Component().activate()
        d = c.whenDone()

        def ended(_):
            self.assertTrue(c.isDone())
            return c.whenDone()

        return d.addCallback(ended)

    def test_activateTwice(self):
        c = Component()
        self.assertIs(c.activate(), c)
        self.assertIs(c.activate(), c)
        return c.whenDone()

    def test_mainMustBeGenerator(self):
        class NotAGenerator(Component):
            def main(self):
                return None

        self.assertRaises(TypeError, NotAGenerator().activate)

    def test_pauseSleepsUntilMessage(self):
        steps = []

        class Sleeper(Component):
            def main(self):
                while not self.dataReady():
                    steps.append("step")
                    self.pause()
                    yield 1
                return self.recv()

        clock = task.Clock()
        sleeper = Sleeper(reactor=clock).activate()
        for _ in range(5):
            clock.advance(0)
        self.assertEqual(steps, ["step"])
        self.assertEqual(clock.getDelayedCalls(), [])
        sleeper.inboxes["inbox"].deliver("wake")
        clock.advance(0)
        self.assertEqual(steps, ["step"])
        return sleeper.whenDone().addCallback(self.assertEqual, "wake")

    def test_sleepingGivesBackEmptyDeques(self):
        """
        A component that sleeps holds no C{deque} for its emptied inboxes;
        the next delivery wakes it with the message.
        """
        class Relay(Component):
            def main(self):
                while True:
                    while self.dataReady():
                        self.send(self.recv())
                    self.pause()
                    yield 1

        clock = task.Clock()
        source, relay = Component(), Relay(reactor=clock)
        sink = Component()
        source.link((source, "outbox"), (relay, "inbox"))
        relay.link((relay, "outbox"), (sink, "inbox"))
        relay.activate()
        for message in ("one", "two"):
            source.send(message)
            self.assertIsInstance(relay.inboxes["inbox"].messages, deque)
            clock.advance(0)
            self.assertNotIsInstance(relay.inboxes["inbox"].messages, deque)
            self.assertEqual(sink.recv(), message)
        relay.stop()
        self.flushLoggedErrors(ComponentStopped)

    def test_callWhenDone(self):
        """
        C{callWhenDone} callbacks get C{main}'s return value, or its failure,
        and their extra arguments, also when added after the end.
        """
        class Answer(Component):
            def main(self):
                yield 1
                return 42

        class Broken(Component):
            def main(self):
                yield 1
                raise ValueError("broken")

        seen = []
        clock = task.Clock()
        answer, broken = Answer(reactor=clock), Broken(reactor=clock)
        answer.callWhenDone(lambda result, tag: seen.append((tag, result)), "answer")
        broken.callWhenDone(lambda result: seen.append(result.type))
        answer.activate(), broken.activate()
        clock.advance(0)
        clock.advance(0)
        answer.callWhenDone(lambda result: seen.append(("late", result)))
        self.assertEqual(seen, [("answer", 42), ValueError, ("late", 42)])
        self.flushLoggedErrors(ValueError)

    def test_messageBetweenPauseAndYield(self):
        """
        A message that arrives after pause() but before the yield is not
        slept through.
        """
        class Waiter(Component):
            def main(self):
                self.pause()
                self.inboxes["inbox"].deliver("early")
                yield 1
                return self.recv()

        clock = task.Clock()
        waiter = Waiter(reactor=clock).activate()
        clock.advance(0)
        clock.advance(0)
        return waiter.whenDone().addCallback(self.assertEqual, "early")

    def test_yieldDeferred(self):
        class Waiter(Component):
            def main(self):
                result = yield task.deferLater(reactor, 0.01, lambda: "later")
                return result

        return Waiter().activate().whenDone().addCallback(self.assertEqual, "later")

    def test_yieldDeferredSubclass(self):
        class Waiter(Component):
            def main(self):
                results = yield defer.DeferredList([task.deferLater(reactor, 0.01, lambda: "later")])
                return results

        return Waiter().activate().whenDone().addCallback(self.assertEqual, [(True, "later")])

    def test_yieldFailedDeferred(self):
        class Catcher(Component):
            def main(self):
                try:
                    yield defer.fail(ZeroDivisionError("boom"))
                except ZeroDivisionError as e:
                    return "caught " + str(e)

        return Catcher().activate().whenDone().addCallback(self.assertEqual, "caught boom")

    def test_exceptionLoggedAndErrback(self):
        failing = Raiser()
        observer = Collect()
        failing.link((failing, "signal"), (observer, "control"))
        observer.activate()
        failing.inboxes["inbox"].deliver("oops")
        d = self.assertFailure(failing.activate().whenDone(), ValueError)

        def check(error):
            self.assertEqual(str(error), "bad message 'oops'")
            self.assertEqual(len(self.flushLoggedErrors(ValueError)), 1)
            return observer.whenDone()

        def observed(_):
            self.assertIsInstance(observer.shutdown, errorOccurred)
            self.assertIn("bad message", observer.shutdown.reason)

        return d.addCallback(check).addCallback(observed)

    def test_failureLeavesOthersRunning(self):
        failing = Raiser().activate()
        survivor = Collect().activate()
        failing.inboxes["inbox"].deliver("x")
        d = self.assertFailure(failing.whenDone(), ValueError)

        def afterFailure(_):
            self.flushLoggedErrors(ValueError)
            self.assertFalse(survivor.isDone())
            survivor.inboxes["inbox"].deliver("still here")
            survivor.inboxes["control"].deliver(producerFinished())
            return survivor.whenDone()

        return d.addCallback(afterFailure).addCallback(self.assertEqual, ["still here"])

    def test_failureUnlinksFromParent(self):
        """
        A failed child's links are removed while its parent runs on, so what
        is sent to it stays with the sender.
        """
        release = defer.Deferred()

        class Parent(Component):
            def main(self):
                yield release

        parent, sender, failing = Parent(), Component(), Raiser()
        parent.addChildren(failing)
        parent.link((sender, "outbox"), (failing, "inbox"))
        parent.activate()
        sender.send("first")
        d = self.assertFailure(failing.whenDone(), ValueError)

        def check(_):
            self.flushLoggedErrors(ValueError)
            self.assertIsNone(sender.outboxes["outbox"].target)
            sender.send("kept")
            self.assertEqual(list(sender.outboxes["outbox"]), ["kept"])
            self.assertFalse(parent.isDone())
            release.callback(None)
            return parent.whenDone()

        return d.addCallback(check)

    def test_childrenActivatedWithParent(self):
        parent, child = Component(), Component()
        parent.addChildren(child)
        self.assertEqual(parent.childComponents(), [child])
        parent.activate()
        d = child.whenDone()

        def removed(_):
            parent.removeChild(child)
            self.assertEqual(parent.childComponents(), [])

        return d.addCallback(removed)

    def test_addChildrenToActiveParent(self):
        class Parent(Component):
            def main(self):
                child = Collect()
                self.addChildren(child)
                self.link((self, "outbox"), (child, "inbox"))
                self.send("to child")
                child.inboxes["control"].deliver(producerFinished())
                result = yield child.whenDone()
                return result

        return Parent().activate().whenDone().addCallback(self.assertEqual, ["to child"])

    def test_whenChildrenDone(self):
        """
        It fires once every child has ended, a failed one included.
        """
        parent, failing, steady = Component(), Raiser(), Collect()
        parent.addChildren(failing, steady)
        failing.activate()
        steady.activate()
        done = parent.whenChildrenDone()
        failing.inboxes["inbox"].deliver("x")

        def afterFailure(_):
            self.flushLoggedErrors(ValueError)
            self.assertFalse(done.called)
            steady.inboxes["control"].deliver(producerFinished())
            return done

        d = self.assertFailure(failing.whenDone(), ValueError).addCallback(afterFailure)
        return d.addCallback(self.assertIsNone)

    def test_runInsideRunningReactor(self):
        self.assertRaises(RuntimeError, Component(reactor=_RunningReactor()).run)


class _RunningReactor:
    running = True


class SchedulerTests(unittest.TestCase):
    def test_sliceLongerThanSwitchInterval(self):
        """
        A slice outlasts Python's GIL switch interval, so that threads waiting
        for the GIL get it during a slice.
        """
        from kamaelia_twisted.core.scheduler import Scheduler

        self.assertGreater(Scheduler.sliceSeconds, sys.getswitchinterval())

    def test_busyComponentDoesNotStarveThreads(self):
        """
        A thread doing Python work beside a component that never sleeps gets
        its share of the GIL: it finishes (with a 4 ms slice, 20 rounds took
        about 30 s here; the timeout below guards against that).
        """
        from kamaelia_twisted import ThreadedComponent

        class Busy(Component):
            def main(self):
                while not self.dataReady("control"):
                    yield 1

        class Worker(ThreadedComponent):
            def main(self):
                for _ in range(20):
                    self.send(sum(range(2 * 10 ** 6)))
                self.send(producerFinished(self), "signal")

        busy, sink = Busy().activate(), Collect()
        done = Pipeline(Worker(), sink).activate().whenDone()
        done.addBoth(lambda result: (busy.inboxes["control"].deliver("stop"), result)[1])
        done.addCallback(lambda _: self.assertEqual(len(sink.collected), 20))
        return done.addCallback(lambda _: busy.whenDone())

    test_busyComponentDoesNotStarveThreads.timeout = 15

    def test_timersFireWhileBusy(self):
        """
        A component that never pauses still lets reactor timers run.
        """
        fired = []

        class Busy(Component):
            def main(self):
                while not fired:
                    sum(range(200))
                    yield 1
                return "timer fired"

        busy = Busy().activate()
        reactor.callLater(0.01, fired.append, True)
        return busy.whenDone().addCallback(self.assertEqual, "timer fired")

    def test_idleAsksNothingOfReactor(self):
        clock = task.Clock()
        sleeper = Collect(reactor=clock).activate()
        clock.advance(0)
        self.assertEqual(clock.getDelayedCalls(), [])
        sleeper.inboxes["control"].deliver(producerFinished())
        self.assertEqual(len(clock.getDelayedCalls()), 1)
        clock.advance(0)
        self.assertTrue(sleeper.isDone())
        self.assertEqual(clock.getDelayedCalls(), [])

    def test_fairness(self):
        """
        Runnable components take turns.
        """
        order = []

        class Counter(Component):
            label = None

            def main(self):
                for i in range(3):
                    order.append((self.label, i))
                    yield 1

        clock = task.Clock()
        a, b = Counter(reactor=clock, label="a"), Counter(reactor=clock, label="b")
        a.activate()
        b.activate()
        while clock.getDelayedCalls():
            clock.advance(0)
        self.assertEqual(order, [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2), ("b", 2)])


class _Turns:
    """
    A reactor whose turns a test runs one at a time (L{turn}): it only
    keeps the calls asked of it.
    """

    def __init__(self):
        self.calls = []

    def callLater(self, delay, f):
        call = _Call(self, f)
        self.calls.append(call)
        return call

    def turn(self):
        calls, self.calls = self.calls, []
        for call in calls:
            call.f()


class _Call:
    def __init__(self, reactor, f):
        self.reactor, self.f = reactor, f

    def cancel(self):
        self.reactor.calls.remove(self)


class _Stepped:
    """
    A scheduler on a clock where each step of a component takes 4 ms of the
    10 ms slice.
    """

    def setUp(self):
        from kamaelia_twisted.core import scheduler

        self.now = 0.0
        self.patch(scheduler, "perf_counter", lambda: self.now)
        self.reactor = _Turns()
        self.scheduler = scheduler.Scheduler(self.reactor)
        self.steps = []

    def start(self, component):
        component._scheduler, component._gen = self.scheduler, component.main()
        self.scheduler.schedule(component)

    def stepper(self, label, steps):
        """
        Start a component that takes C{steps} steps, then sleeps.
        """
        test = self

        class Stepper(Component):
            def main(self):
                for _ in range(steps):
                    test.steps.append(label)
                    test.now += 0.004
                    yield 1
                self.pause()
                yield 1

        self.start(Stepper())


class RunNowTests(_Stepped, unittest.TestCase):
    """
    L{Scheduler.runNow}.
    """

    def test_runsWhatIsRunnable(self):
        """
        It steps the runnable components at once; when none is left, the
        slice asked of the reactor is cancelled.
        """
        self.stepper("a", 2)
        self.scheduler.runNow()
        self.assertEqual((self.steps, self.reactor.calls), (["a", "a"], []))

    def test_busyComponentGetsOneSlicePerTurn(self):
        """
        While a component stays runnable, slices run at once get one slice's
        time between two turns of the reactor, in all.
        """
        self.stepper("busy", 100)
        self.scheduler.runNow()
        self.scheduler.runNow()
        self.assertEqual(len(self.steps), 3)  # 12 ms > 10 ms: the slice ends
        self.reactor.turn()
        self.assertEqual(len(self.steps), 6)
        self.scheduler.runNow()
        self.scheduler.runNow()
        self.assertEqual((len(self.steps), len(self.reactor.calls)), (9, 1))

    def test_notInsideASlice(self):
        """
        Called during a step, it does nothing: components run in turn.
        """
        test, runNow = self, self.scheduler.runNow

        class Caller(Component):
            def main(self):
                test.steps.append("caller")
                runNow()
                test.steps.append("caller done")
                self.pause()
                yield 1

        self.start(Caller())
        self.stepper("a", 2)
        self.reactor.turn()
        self.assertEqual(self.steps, ["caller", "caller done", "a", "a"])


class DeliverNowTests(_Stepped, unittest.TestCase):
    """
    L{Scheduler.deliverNow}: a delivery, then L{Scheduler.runNow}, without
    asking the reactor for a slice the delivery's components do not need.
    """

    def sleeper(self):
        test = self

        class Sleeper(Component):
            def main(self):
                while True:
                    while self.dataReady():
                        test.steps.append(self.recv())
                    self.pause()
                    yield 1

        sleeper = Sleeper()
        self.start(sleeper)
        self.reactor.turn()
        return sleeper

    def test_asksNothingOfTheReactor(self):
        """
        What the delivery wakes runs at once; the reactor is asked for no
        slice, not even one then cancelled.
        """
        sleeper = self.sleeper()
        asked = []
        self.patch(self.reactor, "callLater", lambda *args: asked.append(args))
        self.scheduler.deliverNow(sleeper.inboxes["inbox"].deliver, "data")
        self.assertEqual((self.steps, asked), (["data"], []))

    def test_leftToRunAsksForASlice(self):
        """
        Once slices run at once have had their time in this turn of the
        reactor, what the delivery wakes runs in a slice it asks for.
        """
        sleeper = self.sleeper()
        self.stepper("busy", 100)
        self.scheduler.runNow()
        self.scheduler.deliverNow(sleeper.inboxes["inbox"].deliver, "data")
        self.assertNotIn("data", self.steps)
        self.assertEqual(len(self.reactor.calls), 1)
        self.reactor.turn()
        self.assertIn("data", self.steps)

    def test_failedDeliveryStillRuns(self):
        """
        A delivery that raises after waking a component raises, and the
        component runs in a slice asked of the reactor.
        """
        sleeper = self.sleeper()

        def deliverThenFail(message):
            sleeper.inboxes["inbox"].deliver(message)
            raise ValueError("after delivering")

        self.assertRaises(ValueError, self.scheduler.deliverNow, deliverThenFail, "data")
        self.assertEqual((self.steps, len(self.reactor.calls)), ([], 1))
        self.reactor.turn()
        self.assertEqual(self.steps, ["data"])


class SpaceTests(unittest.TestCase):
    def test_pauseUntilSpaceWakesOnRoom(self):
        clock = task.Clock()
        receiver = Collect(reactor=clock)
        receiver.inboxes["inbox"].setSize(2)
        woken = []

        class Producer(Component):
            def main(self):
                self.send(1)
                self.send(2)
                self.pauseUntilSpace()
                yield 1
                woken.append(self.outboxes["outbox"].isFull())

        producer = Producer(reactor=clock)
        producer.link((producer, "outbox"), (receiver, "inbox"))
        producer.activate()
        clock.advance(0)
        clock.advance(0)
        self.assertEqual(woken, [])
        receiver.inboxes["inbox"].take()
        clock.advance(0)
        self.assertEqual(woken, [False])

    def test_pauseUntilSpaceWakesOnControl(self):
        clock = task.Clock()
        receiver = Component()
        receiver.inboxes["inbox"].setSize(1)

        class Producer(Component):
            def main(self):
                self.send(1)
                while self.outboxes["outbox"].isFull() and not self.dataReady("control"):
                    self.pauseUntilSpace()
                    yield 1
                return self.checkShutdown()

        producer = Producer(reactor=clock)
        producer.link((producer, "outbox"), (receiver, "inbox"))
        producer.activate()
        clock.advance(0)
        producer.inboxes["control"].deliver(producerFinished())
        clock.advance(0)
        return producer.whenDone().addCallback(self.assertIsInstance, producerFinished)

    def test_finishedReceiverReleasesWaiters(self):
        """
        A sender waiting for room in a component that has ended is released:
        the ended component's inboxes lose their bound.
        """
        receiver = Component()
        receiver.inboxes["inbox"].setSize(1)
        sender = Component()
        sender.link((sender, "outbox"), (receiver, "inbox"))
        sender.send("fills it")
        released = sender.outboxes["outbox"].whenSpace()
        self.assertFalse(released.called)
        receiver.activate()
        return receiver.whenDone().addCallback(lambda _: self.assertTrue(released.called))


class StopTests(unittest.TestCase):
    def test_stopsAStubbornComponent(self):
        clock = task.Clock()
        steps, cleaned = [], []

        class Stubborn(Component):
            def main(self):
                try:
                    while True:
                        steps.append(self.checkShutdown())
                        self.pause()
                        yield 1
                finally:
                    cleaned.append(True)

        stubborn = Stubborn(reactor=clock)
        observer = Collect()
        stubborn.link((stubborn, "signal"), (observer, "control"))
        stubborn.activate()
        clock.advance(0)
        stubborn.inboxes["control"].deliver(shutdownMicroprocess())
        clock.advance(0)
        self.assertEqual(len(steps), 2)
        self.assertFalse(stubborn.isDone())
        d = self.assertFailure(stubborn.whenDone(), ComponentStopped)
        stubborn.stop()
        stubborn.inboxes["inbox"].deliver("after the stop")
        clock.advance(0)
        self.assertEqual(len(steps), 2)
        self.assertEqual(cleaned, [True])
        self.assertEqual(clock.getDelayedCalls(), [])
        self.assertIsInstance(observer.inboxes["control"].take(), errorOccurred)
        self.assertEqual(self.flushLoggedErrors(ComponentStopped), [])
        return d.addCallback(lambda error: self.assertIn(stubborn.name, str(error)))

    def test_stopWhileWaitingOnDeferred(self):
        waiting = defer.Deferred()

        class Waiter(Component):
            def main(self):
                yield waiting
                raise AssertionError("resumed after stop")

        waiter = Waiter().activate()
        d = self.assertFailure(waiter.whenDone(), ComponentStopped)

        def stopThenFire(_):
            waiter.stop()
            waiting.callback("late")
            return task.deferLater(reactor, 0, lambda: None)

        d2 = task.deferLater(reactor, 0, lambda: None).addCallback(stopThenFire)
        return defer.gatherResults([d, d2])

    def test_stopCancelsWhatItWaitsOn(self):
        """
        stop() cancels the Deferred the component waits on, so the timer
        behind it does not outlive the component.
        """
        clock = task.Clock()

        class Sleeper(Component):
            def main(self):
                yield task.deferLater(clock, 10)

        sleeper = Sleeper(reactor=clock).activate()
        clock.advance(0)
        self.assertEqual(len(clock.getDelayedCalls()), 1)
        d = self.assertFailure(sleeper.whenDone(), ComponentStopped)
        sleeper.stop()
        self.assertEqual(clock.getDelayedCalls(), [])
        return d

    def test_stopAfterEndDoesNothing(self):
        c = Component().activate()

        def ended(_):
            c.stop()
            return c.whenDone()

        return c.whenDone().addCallback(ended)

    def test_threadedStop(self):
        """
        stop() ends a threaded component: whenDone errbacks with
        ComponentStopped, the thread is woken from pause() and its next send
        raises ComponentStopped, so the thread ends.
        """
        from kamaelia_twisted import ThreadedComponent

        class Stubborn(ThreadedComponent):
            def main(self):
                while True:
                    self.pause()
                    self.send("woken")

        c = Stubborn().activate()
        c.stop()
        d = self.assertFailure(c.whenDone(), ComponentStopped)
        d.addCallback(lambda _: threads.deferToThread(c._thread.join))
        return d.addCallback(lambda _: self.assertFalse(c._thread.is_alive()))

    def test_threadedUnpause(self):
        """
        unpause() wakes a threaded component blocked in pause().
        """
        from kamaelia_twisted import ThreadedComponent

        class Sleeper(ThreadedComponent):
            def main(self):
                self.pause()
                self.send("woken")
                self.send(producerFinished(self), "signal")

        c, sink = Sleeper(), Collect()
        pipeline = Pipeline(c, sink).activate()
        reactor.callLater(0, c.unpause)
        return pipeline.whenDone().addCallback(lambda _: self.assertEqual(sink.collected, ["woken"]))


class NotifierTests(unittest.TestCase):
    def test_observersInOrder(self):
        """
        Observers, one or many, with arguments or without, and Deferreds from
        C{when} all get the outcome once, in the order they asked.
        """
        for count in (1, 2, 3):
            notifier, seen = Notifier(), []
            for i in range(count):
                if i == 1:
                    notifier.observe(lambda outcome, tag: seen.append((tag, outcome)), "tagged")
                else:
                    notifier.observe(lambda outcome, i=i: seen.append((i, outcome)))
            notifier.when().addCallback(lambda outcome: seen.append(("deferred", outcome)))
            notifier.fire("done")
            expected = [(0, "done"), ("tagged", "done"), (2, "done")][:count] + [("deferred", "done")]
            self.assertEqual(seen, expected)

    def test_failure(self):
        notifier, seen = Notifier(), []
        notifier.observe(seen.append)
        notifier.fire(Failure(ValueError("no")))
        self.assertTrue(seen[0].check(ValueError))
        self.failureResultOf(notifier.when(), ValueError)
