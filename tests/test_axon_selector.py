"""
L{ReactorSelector}: Kamaelia's selector requests served by the reactor, on
real loopback sockets.

The requests here are shaped like C{Kamaelia.IPC}'s (the selector tells them
apart by class name); L{KamaeliaOnSelectorTests} runs Kamaelia's own
components on it.
"""

import gc
import os
import select
import socket
import weakref

from twisted.internet import defer, reactor
from twisted.internet.task import deferLater
from twisted.internet.testing import MemoryReactorClock
from twisted.logger import globalLogPublisher
from twisted.trial import unittest

from kamaelia_twisted import Component, shutdownMicroprocess
from kamaelia_twisted.core.runtime import Runtime
from kamaelia_twisted.axon.selector import ReactorSelector, _Watch, register


class _request:
    def __init__(self, caller, object):
        self.caller = caller
        self.object = object


class newReader(_request):
    pass


class newWriter(_request):
    pass


class newExceptional(_request):
    pass


class removeReader(_request):
    pass


class removeWriter(_request):
    pass


class shutdown:
    """
    Shaped like Axon's C{Axon.Ipc.shutdown}, which Kamaelia's TCPServer sends.
    """


class Tracker:
    """
    The service half of Axon's coordinatingassistanttracker.
    """

    def __init__(self):
        self.services = {}

    def registerService(self, name, component, boxname):
        if name in self.services:
            raise ValueError("service {} already exists".format(name))
        component.inboxes[boxname]
        self.services[name] = (component, boxname)

    def deRegisterService(self, name):
        del self.services[name]

    def retrieveService(self, name):
        return self.services[name]

    def servicesRegistered(self):
        return list(self.services)


class Client(Component):
    Inboxes = {"inbox": "", "control": "", "readReady": "", "writeReady": ""}


def whenDelivered(box):
    """
    Return a L{Deferred} that fires with C{box} at its next delivery.
    """
    d = defer.Deferred()

    def delivered():
        box.setAlarm(None)
        d.callback(box)

    box.setAlarm(delivered)
    return d


@defer.inlineCallbacks
def iterations(count):
    """
    Wait for C{count} turns of the reactor.
    """
    for _ in range(count):
        yield deferLater(reactor, 0, lambda: None)


def watched():
    """
    Return what the reactor watches for selectors: the readers and the writers.
    """
    return ([r for r in reactor.getReaders() if isinstance(r, _Watch)],
            [w for w in reactor.getWriters() if isinstance(w, _Watch)])


def tcpPair(case, holdFirst=True):
    """
    Return two connected non-blocking TCP sockets on the loopback, closed
    when C{case} ends.

    @param holdFirst: whether C{case} holds the first socket until it ends
        (L{False}: only the caller does, so that it can go).
    """
    listener = socket.socket()
    case.addCleanup(listener.close)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    a = socket.create_connection(listener.getsockname())
    b, _ = listener.accept()
    for s in (a, b):
        s.setblocking(False)
    if holdFirst:
        case.addCleanup(a.close)
    case.addCleanup(b.close)
    return a, b


def delayAcknowledgements(sock):
    """
    Have C{sock} delay its acknowledgements, as the kernel does for a socket
    that answers what it receives, and check that it does.
    """
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 0)
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK) == 0


def openDescriptors():
    return os.listdir("/proc/self/fd")


def descriptorsOf(sock):
    """
    Return the descriptors of this process open on C{sock}'s socket (its
    own and any duplicates).
    """
    target = os.readlink("/proc/self/fd/{}".format(sock.fileno()))
    found = []
    for fd in openDescriptors():
        try:
            if os.readlink("/proc/self/fd/" + fd) == target:
                found.append(fd)
        except OSError:  # closed meanwhile (the listing's own descriptor)
            pass
    return found


class SelectorTestCase(unittest.TestCase):
    def setUp(self):
        self.selector = ReactorSelector().activate()
        self.errors = []

        def observe(event):
            if event.get("log_level") is not None and event["log_level"].name in ("error", "warn"):
                self.errors.append(event)

        globalLogPublisher.addObserver(observe)
        self.addCleanup(globalLogPublisher.removeObserver, observe)
        self.addCleanup(self.stopSelector)

    def stopSelector(self):
        if not self.selector.isDone():
            self.selector.inboxes["control"].deliver(shutdownMicroprocess())
        return self.selector.whenDone()

    def socketpair(self):
        a, b = socket.socketpair()
        for s in (a, b):
            s.setblocking(False)
            self.addCleanup(s.close)
        return a, b

    def request(self, message):
        self.selector.inboxes["notify"].deliver(message)

    def assertReactorRestored(self):
        """
        The reactor watches nothing for the selector.
        """
        self.assertEqual(watched(), ([], []))


class ReadWriteTests(SelectorTestCase):
    @defer.inlineCallbacks
    def test_readerNotifiedWhenReadable(self):
        """
        A reader is notified, with its selectable, once data arrives, and
        not before; the request is then done.
        """
        client, (mine, peer) = Client(), self.socketpair()
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield iterations(5)
        self.assertEqual(list(client.inboxes["readReady"]), [])
        self.assertEqual(self.selector.watching(), [mine])
        delivered = whenDelivered(client.inboxes["readReady"])
        peer.send(b"x")
        yield delivered
        self.assertIs(client.recv("readReady"), mine)
        self.assertEqual(self.selector.watching(), [])
        self.assertReactorRestored()

    @defer.inlineCallbacks
    def test_tcpReaderAcknowledgesOnceIdle(self):
        """
        A TCP socket notified readable acknowledges what its component has
        read once the process is idle (C{TCP_QUICKACK}), even if the kernel
        had chosen to delay its acknowledgements: a peer's next short
        segment, held by Nagle's algorithm until then, is not kept waiting.
        """
        client, (mine, peer) = Client(), tcpPair(self)
        delayAcknowledgements(mine)
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield iterations(2)
        delivered = whenDelivered(client.inboxes["readReady"])
        peer.send(b"x")
        yield delivered
        self.assertEqual(mine.recv(10), b"x")
        self.request(newReader(client, ((client, "readReady"), mine)))  # as Kamaelia asks again
        yield iterations(3)
        self.assertEqual(Runtime.of(reactor).scheduler.runnable, 0)
        self.assertEqual(mine.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK), 1)

    @defer.inlineCallbacks
    def test_oneNotificationPerRequest(self):
        """
        Unread data gives one notification per request (Kamaelia's one-shot
        requests); asking again while it waits is answered again.
        """
        client, (mine, peer) = Client(), self.socketpair()
        peer.send(b"waiting")
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield whenDelivered(client.inboxes["readReady"])
        yield iterations(5)
        self.assertEqual(len(client.inboxes["readReady"]), 1)
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield iterations(5)
        self.assertEqual(list(client.inboxes["readReady"]), [mine, mine])

    @defer.inlineCallbacks
    def test_askingAgainWithoutReadingTakesAReactorTurnEach(self):
        """
        A client that asks again on every notification without reading is
        notified at most once per reactor iteration: timers and other I/O
        keep running.
        """
        client, (mine, peer) = Client(), self.socketpair()
        box = client.inboxes["readReady"]
        box.setAlarm(lambda: self.request(newReader(client, ((client, "readReady"), mine))))
        peer.send(b"never read")
        self.request(newReader(client, ((client, "readReady"), mine)))
        turns = 50
        yield iterations(turns)
        box.setAlarm(None)
        self.assertGreater(len(box), 1)
        self.assertLessEqual(len(box), turns + 1)

    @defer.inlineCallbacks
    def test_removeReader(self):
        """
        After C{removeReader} nothing is notified and nothing is watched.
        """
        client, (mine, peer) = Client(), self.socketpair()
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield iterations(2)
        self.request(removeReader(client, mine))
        yield iterations(2)
        peer.send(b"x")
        yield iterations(5)
        self.assertEqual(list(client.inboxes["readReady"]), [])
        self.assertEqual(self.selector.watching(), [])
        self.assertReactorRestored()

    @defer.inlineCallbacks
    def test_writer(self):
        """
        A writer is notified once its socket can be written.
        """
        client, (mine, _) = Client(), self.socketpair()
        self.request(newWriter(client, ((client, "writeReady"), mine)))
        yield whenDelivered(client.inboxes["writeReady"])
        self.assertEqual(list(client.inboxes["writeReady"]), [mine])
        self.assertReactorRestored()

    @defer.inlineCallbacks
    def test_readerAndWriterOnOneSocket(self):
        """
        A socket watched for reading and writing (as a ConnectedSocketAdapter
        asks) notifies each inbox; the reader stays pending after the writer
        has fired, and C{removeWriter} of a fired request changes nothing.
        """
        client, (mine, peer) = Client(), self.socketpair()
        self.request(newReader(client, ((client, "readReady"), mine)))
        self.request(newWriter(client, ((client, "writeReady"), mine)))
        yield whenDelivered(client.inboxes["writeReady"])
        self.request(removeWriter(client, mine))
        yield iterations(3)
        self.assertEqual(self.selector.watching(), [mine])
        delivered = whenDelivered(client.inboxes["readReady"])
        peer.send(b"x")
        yield delivered
        self.assertEqual(list(client.inboxes["readReady"]), [mine])
        self.assertReactorRestored()

    @defer.inlineCallbacks
    def test_firstRequestWins(self):
        """
        While a request is pending, another for the same socket and event is
        ignored, as by Kamaelia's Selector.
        """
        first, second, (mine, peer) = Client(), Client(), self.socketpair()
        self.request(newReader(first, ((first, "readReady"), mine)))
        self.request(newReader(second, ((second, "readReady"), mine)))
        peer.send(b"x")
        yield whenDelivered(first.inboxes["readReady"])
        yield iterations(3)
        self.assertEqual(list(second.inboxes["readReady"]), [])

    @defer.inlineCallbacks
    def test_manyClients(self):
        """
        Each client hears about its own socket only.
        """
        clients = [Client() for _ in range(4)]
        pairs = [self.socketpair() for _ in clients]
        for client, (mine, _) in zip(clients, pairs):
            self.request(newReader(client, ((client, "readReady"), mine)))
        yield iterations(2)
        waits = [whenDelivered(clients[i].inboxes["readReady"]) for i in (1, 3)]
        pairs[1][1].send(b"x")
        pairs[3][1].send(b"y")
        yield defer.gatherResults(waits)
        yield iterations(3)
        self.assertEqual([list(c.inboxes["readReady"]) for c in clients],
                         [[], [pairs[1][0]], [], [pairs[3][0]]])
        self.assertEqual(set(self.selector.watching()), {pairs[0][0], pairs[2][0]})

    @defer.inlineCallbacks
    def test_peerClosed(self):
        """
        A socket whose peer has closed is readable (end of file), as select()
        reports it.
        """
        client, (mine, peer) = Client(), self.socketpair()
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield iterations(2)
        delivered = whenDelivered(client.inboxes["readReady"])
        peer.close()
        yield delivered
        self.assertEqual(mine.recv(10), b"")
        self.assertReactorRestored()

    @defer.inlineCallbacks
    def test_socketClosedBeforeRemove(self):
        """
        A client may close its socket before asking to stop watching it (as
        Kamaelia's ConnectedSocketAdapter does): the removal is clean, and the
        next socket, which may get the same descriptor number, is watched.
        """
        client, (mine, peer) = Client(), self.socketpair()
        self.request(newReader(client, ((client, "readReady"), mine)))
        self.request(newWriter(client, ((client, "writeReady"), peer)))
        yield iterations(2)
        mine.close()
        yield iterations(2)
        self.request(removeReader(client, mine))
        yield iterations(2)
        self.assertEqual(self.errors, [])
        self.assertReactorRestored()
        again, other = self.socketpair()
        self.request(newReader(client, ((client, "readReady"), again)))
        yield iterations(2)
        delivered = whenDelivered(client.inboxes["readReady"])
        other.send(b"x")
        yield delivered
        self.assertEqual(list(client.inboxes["readReady"]), [again])


class BadRequestTests(SelectorTestCase):
    @defer.inlineCallbacks
    def assertRefused(self, message, words):
        self.request(message)
        yield iterations(2)
        self.assertEqual(len(self.errors), 1)
        text = self.errors[0]["log_format"].format(**self.errors[0])
        for word in words:
            self.assertIn(word, text)
        self.assertFalse(self.selector.isDone())
        self.assertEqual(self.selector.watching(), [])
        self.assertReactorRestored()
        # and it still serves others
        client, (mine, peer) = Client(), self.socketpair()
        peer.send(b"x")
        self.request(newReader(client, ((client, "readReady"), mine)))
        yield whenDelivered(client.inboxes["readReady"])

    def test_closedSocket(self):
        """
        A closed socket is refused with an error naming it and the client.
        """
        client, (mine, _) = Client(), self.socketpair()
        mine.close()
        return self.assertRefused(newReader(client, ((client, "readReady"), mine)),
                                  ["closed", client.name, "readReady"])

    def test_badDescriptorNumber(self):
        """
        A descriptor number that is not open is refused.
        """
        client = Client()
        return self.assertRefused(newWriter(client, ((client, "writeReady"), 987654)),
                                  ["987654", "Bad file descriptor"])

    def test_notADescriptor(self):
        """
        An object with no C{fileno} is refused.
        """
        client = Client()
        return self.assertRefused(newReader(client, ((client, "readReady"), "a string")),
                                  ["'a string'", "fileno"])

    def test_noSuchInbox(self):
        """
        A reply inbox that does not exist is refused.
        """
        client, (mine, _) = Client(), self.socketpair()
        return self.assertRefused(newReader(client, ((client, "nowhere"), mine)),
                                  [client.name, "'nowhere'"])

    def test_malformed(self):
        """
        A request without a reply address is refused.
        """
        client, (mine, _) = Client(), self.socketpair()
        return self.assertRefused(newReader(client, mine), ["malformed"])


class EndingTests(SelectorTestCase):
    @defer.inlineCallbacks
    def test_shutdownLeavesNothingInTheReactor(self):
        """
        C{shutdownMicroprocess} ends the selector at once: every pending
        request leaves the reactor and every duplicate descriptor is closed.
        """
        client = Client()
        for mine, _ in [self.socketpair() for _ in range(3)]:
            self.request(newReader(client, ((client, "readReady"), mine)))
            self.request(newExceptional(client, ((client, "inbox"), mine)))
        full, _ = self.socketpair()
        full.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        try:
            while True:
                full.send(b"x" * 4096)
        except BlockingIOError:
            pass
        self.request(newWriter(client, ((client, "writeReady"), full)))
        yield iterations(3)
        self.assertEqual(len(self.selector.watching()), 4)
        self.assertEqual([len(found) for found in watched()], [3, 1])
        descriptors = len(openDescriptors())
        self.selector.inboxes["control"].deliver(shutdownMicroprocess())
        yield self.selector.whenDone()
        self.assertReactorRestored()
        self.assertEqual(self.selector.watching(), [])
        # The four duplicates, and the selector's epoll object.
        self.assertEqual(len(openDescriptors()), descriptors - 4 - hasattr(select, "epoll"))

    @defer.inlineCallbacks
    def test_registerWithTracker(self):
        """
        L{register} starts a selector under the names Kamaelia's
        C{Selector.getSelectorServices} looks up; registering again gives the
        same one; another selector registered there is not replaced.
        """
        tracker = Tracker()
        selector = register(tracker)
        self.assertEqual(tracker.services, {"selector": (selector, "notify"),
                                            "selectorshutdown": (selector, "control")})
        self.assertIs(register(tracker), selector)
        other = Tracker()
        other.registerService("selector", Client(), "inbox")
        self.assertRaises(ValueError, register, other)
        self.assertFalse(selector.isDone())
        selector.inboxes["control"].deliver(shutdownMicroprocess())
        yield selector.whenDone()
        self.assertEqual(tracker.services, {})

    @defer.inlineCallbacks
    def test_retireOnAxonShutdown(self):
        """
        Axon's C{shutdown} (what Kamaelia's TCPServer sends when it stops)
        retires the selector as it retires Kamaelia's: a fresh one takes its
        place in the tracker, it serves what is pending and then ends; later
        requests sent to it are served by its successor.
        """
        tracker = Tracker()
        selector = register(tracker)
        client, (mine, peer) = Client(), self.socketpair()
        selector.inboxes["notify"].deliver(newReader(client, ((client, "readReady"), mine)))
        selector.inboxes["control"].deliver(shutdown())
        yield iterations(3)
        successor = tracker.retrieveService("selector")[0]
        self.assertIsNot(successor, selector)
        self.assertFalse(selector.isDone())
        peer.send(b"x")
        yield selector.whenDone()
        self.assertEqual(list(client.inboxes["readReady"]), [mine])
        delivered = whenDelivered(client.inboxes["readReady"])
        selector.inboxes["notify"].deliver(newReader(client, ((client, "readReady"), mine)))
        yield delivered
        self.assertEqual(successor.watching(), [])
        successor.inboxes["control"].deliver(shutdownMicroprocess())
        yield successor.whenDone()
        self.assertEqual(tracker.services, {})
        self.assertReactorRestored()


class Busy(Component):
    """
    Takes C{steps} steps without sleeping, noting at each how many messages
    C{box} holds.
    """

    def __init__(self, box, steps, then=None, reactor=None):
        """
        @param then: called by the reactor once this component has ended.
        """
        Component.__init__(self, reactor=reactor)
        self.box, self.steps, self.seen, self.then = box, steps, [], then

    def main(self):
        for _ in range(self.steps):
            self.seen.append(len(self.box))
            yield 1
        if self.then is not None:
            self.reactor.callLater(0, self.then)


class Sleeper(Component):
    """
    Sleeps until a message comes, then ends.
    """

    def main(self):
        while not self.dataReady("inbox"):
            self.pause()
            yield 1


class Until(Component):
    """
    Steps without sleeping until C{check()} is true, at most C{steps} times;
    C{found} tells whether it was.
    """

    def __init__(self, check, steps=20, reactor=None):
        Component.__init__(self, reactor=reactor)
        self.check, self.steps, self.found = check, steps, False

    def main(self):
        for _ in range(self.steps):
            if self.check():
                self.found = True
                return
            yield 1


class PollingTests(unittest.TestCase):
    """
    While other components keep the scheduler busy, the selector polls its
    descriptors itself between their steps. A L{MemoryReactorClock} never
    reports a descriptor ready: a notification can only come from there.
    """

    def setUp(self):
        self.reactor = MemoryReactorClock()
        self.selector = ReactorSelector(reactor=self.reactor).activate()
        self.client = Client(reactor=self.reactor)
        a, b = socket.socketpair()
        for s in (a, b):
            s.setblocking(False)
            self.addCleanup(s.close)
        self.mine, self.peer = a, b
        self.addCleanup(self.stopSelector)

    def stopSelector(self):
        self.selector.inboxes["control"].deliver(shutdownMicroprocess())
        self.reactor.advance(0)
        self.assertTrue(self.selector.isDone())
        self.assertEqual((self.reactor.getReaders(), self.reactor.getWriters()), ([], []))

    def askToRead(self):
        self.selector.inboxes["notify"].deliver(newReader(self.client, ((self.client, "readReady"), self.mine)))

    def askAgainWhileBusy(self, steps, ask=None):
        """
        Have the client ask to read (with C{ask}, default L{askToRead}), and
        again at each notification, data waiting unread, while a component
        takes C{steps} steps; return the client's box of notifications.
        """
        ask = ask or self.askToRead
        box = self.client.inboxes["readReady"]
        box.setAlarm(ask)
        self.peer.send(b"never read")
        Busy(box, steps, reactor=self.reactor).activate()
        ask()
        self.reactor.advance(1)
        return box

    def test_notifiedBetweenBusySteps(self):
        """
        A socket that becomes readable while another component keeps the
        scheduler busy is notified between that component's steps, and the
        reactor is never asked to watch it.
        """
        box = self.client.inboxes["readReady"]
        busy = Busy(box, 20, reactor=self.reactor).activate()
        self.askToRead()
        self.peer.send(b"x")
        self.reactor.advance(1)
        self.assertTrue(busy.isDone())
        self.assertEqual(list(box), [self.mine])
        self.assertEqual(busy.seen[-1], 1)
        self.assertEqual(self.selector.watching(), [])
        self.assertEqual(self.reactor.getReaders(), [])

    def test_pollsAtMostEveryInterval(self):
        """
        A client asking again on each notification without reading is told
        once per L{ReactorSelector.pollInterval}, however many steps others
        take; once nothing else waits for a step, the selector sleeps and
        hands its pending request to the reactor; woken by a request, it
        polls again while others are busy.
        """
        box = self.askAgainWhileBusy(50)
        self.assertEqual(len(box), 1)
        [watch] = self.reactor.getReaders()
        self.assertIsInstance(watch, _Watch)
        Busy(box, 50, reactor=self.reactor).activate()
        self.askToRead()  # a request already pending: it only wakes the selector
        self.reactor.advance(self.selector.pollInterval)
        self.assertEqual(len(box), 2)

    def test_acknowledgesOnlyOnceIdle(self):
        """
        While other components are busy, a TCP socket notified readable
        keeps its kernel's delayed acknowledgements (data sent back carries
        them). Once the selector sleeps, a turn of the reactor that notifies
        something, or that leaves a component waiting for a step, leaves
        them too (the components are at work); a turn with neither has it
        acknowledge.
        """
        mine, peer = tcpPair(self)
        delayAcknowledgements(mine)

        def quickAck():
            return mine.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK)

        def otherReadable():  # as the reactor reports it, between the selector's sleep and its next turn
            [watch] = [w for w in self.reactor.getReaders() if w.selectable is self.mine]
            watch.doRead()

        box, seen = self.client.inboxes["readReady"], []
        box.setAlarm(lambda: seen.append(quickAck()))
        self.selector.inboxes["notify"].deliver(newReader(self.client, ((self.client, "readReady"), mine)))
        self.askToRead()
        peer.send(b"x")
        Busy(box, 20, then=otherReadable, reactor=self.reactor).activate()
        self.reactor.advance(1)
        self.assertEqual((list(box), seen), ([mine, self.mine], [0, 0]))
        self.assertEqual(quickAck(), 0)
        sleeper = Sleeper(reactor=self.reactor).activate()
        self.askToRead()
        Busy(box, 20, then=lambda: sleeper.inboxes["inbox"].deliver("wake"), reactor=self.reactor).activate()
        self.reactor.advance(1)
        self.assertTrue(sleeper.isDone())
        self.assertEqual(quickAck(), 0)
        self.askToRead()  # a request already pending: the selector wakes, sleeps, and nothing comes
        self.reactor.advance(1)
        self.assertEqual(quickAck(), 1)

    def test_removedReaderNotKeptToAcknowledge(self):
        """
        A socket its component stops reading (C{removeReader}, then closed,
        as Kamaelia's ConnectedSocketAdapter ends) is not held until the
        process is idle, to acknowledge: a process that is never idle does
        not accumulate them.
        """
        mine, peer = tcpPair(self, holdFirst=False)
        gone, alive = weakref.ref(mine), []
        box = self.client.inboxes["readReady"]

        def stopReading():
            box.setAlarm(None)
            sock = box.messages.popleft()
            self.selector.inboxes["notify"].deliver(removeReader(self.client, sock))
            sock.close()
            self.reactor.callLater(0, collected)  # before the selector's first chance to acknowledge

        def collected():
            gc.collect()
            alive.append(gone() is not None)

        box.setAlarm(stopReading)
        self.selector.inboxes["notify"].deliver(newReader(self.client, ((self.client, "readReady"), mine)))
        del mine
        peer.send(b"x")
        Busy(box, 20, reactor=self.reactor).activate()
        self.reactor.advance(1)
        self.assertEqual(alive, [False])

    def countDuplicates(self):
        """
        Return the list of descriptors the selector duplicates from now on.
        """
        made, dup = [], os.dup

        def counted(fd):
            made.append(fd)
            return dup(fd)

        self.patch(os, "dup", counted)
        return made

    def peerSeesEnd(self):
        try:
            return self.peer.recv(10) == b""
        except BlockingIOError:
            return False

    def readAndClose(self):
        self.mine.recv(10)
        self.mine.close()

    def test_askedAgainKeepsItsDuplicate(self):
        """
        A client that asks again once notified by a poll (as Kamaelia's
        components do once they have read) is watched through the same
        duplicate of its descriptor: the selector makes one for its first
        request only, and no other is left open.
        """
        self.selector.pollInterval = 0  # a poll at each of its steps
        made = self.countDuplicates()
        box = self.askAgainWhileBusy(20)
        self.assertGreater(len(box), 3)
        self.assertEqual(made, [self.mine.fileno()])
        self.assertEqual(len(descriptorsOf(self.mine)), 2)  # its own, and the one the reactor now watches

    def test_notAskedAgainClosedAtTheNextPoll(self):
        """
        A socket its client closes once notified by a poll, without telling
        the selector, is released by the selector's next poll: its peer sees
        the end of the stream while other components are still busy and
        other requests are pending.
        """
        self.selector.pollInterval = 0
        other, _ = socket.socketpair()
        self.addCleanup(other.close)
        self.selector.inboxes["notify"].deliver(newReader(self.client, ((self.client, "inbox"), other)))
        self.client.inboxes["readReady"].setAlarm(self.readAndClose)
        self.peer.send(b"x")
        self.askToRead()
        until = Until(self.peerSeesEnd, reactor=self.reactor).activate()
        self.reactor.advance(1)
        self.assertTrue(until.found)

    def test_notAskedAgainClosedWhenTheSelectorSleeps(self):
        """
        Such a socket is released when the selector next sleeps, if that is
        before its next poll.
        """
        self.client.inboxes["readReady"].setAlarm(self.readAndClose)
        self.peer.send(b"x")
        self.askToRead()
        Busy(self.client.inboxes["readReady"], 5, reactor=self.reactor).activate()
        self.reactor.advance(1)  # one poll: the clock does not move
        self.assertEqual(len(self.client.inboxes["readReady"]), 1)
        self.assertTrue(self.peerSeesEnd())

    def test_removedOnceNotifiedClosedAtOnce(self):
        """
        C{removeReader} from a client notified by a poll releases the
        duplicate at once, before the next poll.
        """

        def stopReading():
            self.selector.inboxes["notify"].deliver(removeReader(self.client, self.mine))

        self.client.inboxes["readReady"].setAlarm(stopReading)
        self.peer.send(b"x")
        self.askToRead()
        until = Until(lambda: len(descriptorsOf(self.mine)) == 1, reactor=self.reactor).activate()
        self.reactor.advance(1)  # one poll: the clock does not move
        self.assertTrue(until.found)

    def test_closedAndAskedAgainRefused(self):
        """
        A socket closed once notified and then asked for again is refused as
        closed, as on a first request; its duplicate is not reused.
        """
        errors = []

        def observe(event):
            if event.get("log_level") is not None and event["log_level"].name == "error":
                errors.append(event)

        def closeAndAsk():
            self.readAndClose()
            self.askToRead()

        globalLogPublisher.addObserver(observe)
        self.addCleanup(globalLogPublisher.removeObserver, observe)
        self.selector.pollInterval = 0
        self.client.inboxes["readReady"].setAlarm(closeAndAsk)
        self.peer.send(b"x")
        self.askToRead()
        Busy(self.client.inboxes["readReady"], 20, reactor=self.reactor).activate()
        self.reactor.advance(1)
        self.assertEqual(len(errors), 1)
        self.assertIn("closed", str(errors[0]["error"]))
        self.assertTrue(self.peerSeesEnd())

    def test_descriptorNumbersNotKept(self):
        """
        A request by descriptor number gets a fresh duplicate each time: the
        number may have been closed and given to another file meanwhile.
        """
        self.selector.pollInterval = 0
        made = self.countDuplicates()
        fd = self.mine.fileno()

        def askAgain():
            self.selector.inboxes["notify"].deliver(newReader(self.client, ((self.client, "readReady"), fd)))

        box = self.askAgainWhileBusy(20, askAgain)
        self.assertGreater(len(box), 3)
        self.assertEqual(len(made), len(box) + 1)

    def test_refusedByTheReactor(self):
        """
        A request the reactor refuses when the selector hands it over (as a
        select() reactor refuses descriptors beyond its limit) is dropped
        with an error in the log naming the client, and its duplicate
        descriptor is closed.
        """
        errors = []

        def observe(event):
            if event.get("log_level") is not None and event["log_level"].name == "error":
                errors.append(event)

        def refuse(reader):
            raise ValueError("too many descriptors")

        globalLogPublisher.addObserver(observe)
        self.addCleanup(globalLogPublisher.removeObserver, observe)
        self.reactor.addReader = refuse
        self.askToRead()
        self.reactor.advance(0)
        self.assertEqual(len(errors), 1)
        self.assertIs(errors[0]["client"], self.client)
        self.assertEqual(errors[0]["boxname"], "readReady")
        self.assertEqual(self.selector.watching(), [])
        self.assertEqual(descriptorsOf(self.mine), [str(self.mine.fileno())])


class PollingSelectorsTests(SelectorTestCase):
    """
    Selectors that only wait for each other do not keep the scheduler busy.
    """

    @defer.inlineCallbacks
    def test_selectorsWithPendingRequestsSleep(self):
        """
        Two selectors with pending requests, and nothing else to step, both
        sleep and leave their requests to the reactor.
        """
        other = ReactorSelector().activate()
        self.addCleanup(lambda: other.isDone() or other.inboxes["control"].deliver(shutdownMicroprocess()))
        client = Client()
        for selector in (self.selector, other):
            mine, _ = self.socketpair()
            selector.inboxes["notify"].deliver(newReader(client, ((client, "readReady"), mine)))
        yield iterations(3)
        self.assertEqual(Runtime.of(reactor).scheduler.runnable, 0)
        self.assertEqual([len(found) for found in watched()], [2, 0])
        other.inboxes["control"].deliver(shutdownMicroprocess())
        yield other.whenDone()
