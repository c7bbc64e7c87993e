"""
Kamaelia's selector service on the reactor: descriptors watched by Twisted, no
thread polling C{select()}.

Kamaelia's TCP, UDP and server components ask a selector service (found
through Axon's coordinating assistant tracker under C{"selector"} and
C{"selectorshutdown"}) to tell them when a socket is ready, by sending
C{newReader}, C{newWriter}, C{newExceptional}, C{removeReader}, ... to its
C{"notify"} inbox. L{ReactorSelector} accepts those requests as Kamaelia's
C{Selector} does and hands the descriptors to the reactor (C{IReactorFDSet});
L{register} makes it the service a tracker gives out, so Kamaelia's threaded
C{Selector} is never started::

    import socket
    from twisted.internet import reactor
    from kamaelia_twisted.axon.selector import ReactorSelector

    selector = ReactorSelector().activate()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    # A Kamaelia component sends, to (selector, "notify"):
    #   newReader(self, ((self, "newconnection"), listener))
    # and gets C{listener} in its "newconnection" inbox once a peer connects.
"""

import os
import select
import socket

from twisted.internet.interfaces import IReadDescriptor, IWriteDescriptor
from zope.interface import implementer

from ..core.boxes import BoxFull
from ..core.component import Component
from ..core.ipc import isShutdown
from ..core.linkage import Linkage

READ, WRITE, EXCEPTIONAL = 0, 1, 2
_POLLIN, _POLLOUT = getattr(select, "POLLIN", 1), getattr(select, "POLLOUT", 4)
_POLLERRORS = getattr(select, "POLLERR", 8) | getattr(select, "POLLHUP", 16) | getattr(select, "POLLNVAL", 32)
_KINDS = ("reading", "writing", "exceptional conditions")
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only

# Kamaelia.IPC's requests, by class name: this module must not import Kamaelia
# (nor Axon), which resolve through the Axon layer once it is installed.
_REQUESTS = {
    "newReader": (READ, True), "newWriter": (WRITE, True), "newExceptional": (EXCEPTIONAL, True),
    "removeReader": (READ, False), "removeWriter": (WRITE, False), "removeExceptional": (EXCEPTIONAL, False),
}

# The names Kamaelia's Selector.getSelectorServices looks up, and the inbox of each.
SERVICES = (("selector", "notify"), ("selectorshutdown", "control"))


def register(tracker, reactor=None):
    """
    Start a L{ReactorSelector} and register it with C{tracker} under the names
    Kamaelia's C{Selector.getSelectorServices} looks up (C{"selector"}: its
    C{notify} inbox; C{"selectorshutdown"}: its C{control} inbox), so that
    Kamaelia's components use it and never start their own.

    @param tracker: an Axon C{coordinatingassistanttracker}.
    @param reactor: the L{IReactorFDSet<twisted.internet.interfaces.IReactorFDSet>} to watch
        descriptors with (default: the global reactor).
    @return: the active L{ReactorSelector}; the one C{tracker} gives out
        already, if it does.
    @raise Exception: what C{tracker.registerService} raises when another selector is
        registered (Axon's C{ServiceAlreadyExists}).
    """
    try:
        registered = tracker.retrieveService("selector")[0]
    except KeyError:
        pass
    else:
        if isinstance(registered, ReactorSelector) and not registered.isDone():
            return registered
    selector = ReactorSelector(reactor=reactor)
    for name, boxname in SERVICES:
        tracker.registerService(name, selector, boxname)
    selector.trackedBy(tracker)
    return selector.activate()


class ReactorSelector(Component):
    """
    Kamaelia's selector service, driven by the reactor.

    A request C{newReader(caller, ((component, boxname), selectable))} (a
    socket, a file, anything with C{fileno()}, or a descriptor number) makes
    the reactor watch C{selectable}; once it is readable, C{selectable} itself
    is delivered to C{component}'s inbox C{boxname} and the request is done:
    as with Kamaelia's C{Selector}, each notification is one-shot, and the
    component asks again when it wants to hear more. C{newWriter} is the same
    for writing. While a request for an event is pending, later ones for the
    same selectable and event are ignored; C{removeReader(caller, selectable)}
    (C{removeWriter}, C{removeExceptional}) withdraws one, whether or not it
    has fired. A descriptor the reactor reports lost notifies every request
    pending on it, as C{select()} reports such a descriptor ready: the
    component's own C{recv} or C{send} then finds the error.

    While other components keep the scheduler busy, the reactor polls only
    between the scheduler's slices (every 10 ms then), so the selector also
    looks at its descriptors itself, with an epoll (else poll) object of its
    own, between their steps: at most every L{pollInterval} seconds, as
    Kamaelia's selector thread polls while its scheduler runs. Sockets are
    then served in small reads as they become ready rather than in bursts
    of a slice's worth of data. Once nothing else waits for a step it
    sleeps, handing the requests the reactor does not watch yet to it (a
    request is given to the poller or the reactor only when the one or the
    other is about to look): an idle selector costs nothing.

    Once the process is idle (the selector asleep, then a turn of the
    reactor with nothing to notify and no component waiting for a step), the
    TCP sockets (Python's C{socket.socket}) it reported readable since
    acknowledge what their components have read (Linux's C{TCP_QUICKACK},
    where it exists): the kernel may otherwise delay that acknowledgement up
    to 40 ms, waiting for data to carry it, while a peer with Nagle's
    algorithm on (Kamaelia's sockets do not set C{TCP_NODELAY}) holds its
    next short segment until it comes, the last of a transfer included.
    While data flows, data sent back carries the acknowledgements, as the
    kernel intends.

    Like C{select()}, this is level-triggered, at most once per poll: a
    notified request has left the pollers, so a component that asks again
    without reading is told again at the next poll, never in a loop that
    starves other components or I/O.

    The pollers watch a duplicate of each descriptor, closed once no request
    is pending on it: Kamaelia's components close their socket before asking
    to stop watching it, and a reactor must never be left holding a closed
    descriptor number that the system may give to the next socket. One that
    the selector's own poller notified is kept until its next poll or its
    sleep, whichever comes first: its component, once it has read or
    written, usually asks again, and is then watched as it was, without a
    new duplicate or a change to the poller. A socket its component closes
    meanwhile is released then (a request by descriptor number always gets
    a new duplicate).

    Differences from Kamaelia's C{Selector}: exceptional conditions (C{select()}'s
    third list: out-of-band data) are not watched, as the reactor offers no
    such event; C{newExceptional} requests are held and notified only when the
    reactor reports the descriptor lost. A request for a descriptor that
    cannot be watched (closed, not a descriptor) or a reply inbox that does
    not exist is refused with an error in the log, where Kamaelia's
    C{Selector} fails on every later C{select()}. As an idle selector costs
    nothing, it does not end after a few idle seconds as Kamaelia's does.

    Ending: Axon's C{shutdown} on C{control} (what Kamaelia's C{TCPServer}
    sends when it stops) retires it as it retires Kamaelia's: it leaves the
    tracker, to a fresh L{ReactorSelector}, serves what is pending, and ends
    once nothing is, its C{notify} inbox then forwarding to its successor.
    L{producerFinished} or L{shutdownMicroprocess} (as
    L{askToStop<kamaelia_twisted.core.shutdown.askToStop>} sends) end it at
    once: every descriptor leaves the reactor and nothing replaces it in the
    tracker. However it ends, nothing of it is left in the reactor.

    @cvar pollInterval: the least time, in seconds, between two polls of the
        selector's own while other components are busy: shorter serves a
        socket in smaller reads (more wake-ups of its component), longer in
        larger ones (more memory in flight).
    """

    Inboxes = {
        "inbox": "Not used",
        "control": "Axon's shutdown: retire once idle; shutdownMicroprocess or producerFinished: end now",
        "notify": "Kamaelia.IPC's newReader, newWriter, newExceptional, removeReader, ... requests",
    }
    Outboxes = {"outbox": "Not used", "signal": "Not used"}

    pollInterval = 0.001

    def __init__(self, reactor=None):
        """
        @param reactor: the L{IReactorFDSet<twisted.internet.interfaces.IReactorFDSet>} to watch
            descriptors with (default: the global reactor).
        """
        Component.__init__(self, reactor=reactor)
        self._watches = {}
        self._tracker = None
        self._successor = None
        self._retiring = False
        self._ending = False
        self._poller = _newPoller()
        self._polling = {}  # descriptor: the _Watch the poller watches it for
        self._nextPoll = 0  # the earliest time of the next poll
        # The _Watches the poller notified and nobody asked for again yet, by
        # selectable, kept until the next poll: their components usually ask at once.
        self._resting = {}
        # The _Watches with requests not yet given to the poller, to the reactor:
        self._unpolled, self._fresh = {}, {}
        self._read = {}  # the selectables notified readable since this selector last acknowledged
        # Notifications given so far, and then when this selector last slept;
        # the reactor's call that acknowledges if none has come since:
        self._reported, self._sleptAt, self._idleCheck = 0, 0, None

    def trackedBy(self, tracker):
        """
        Record that C{tracker} gives this selector out (as Kamaelia's
        C{Selector.setSelectorServices} tells its selector), so it leaves the
        tracker when it retires or ends.
        """
        self._tracker = tracker

    def watching(self):
        """
        Return the selectables with a request pending, as a list.
        """
        return list(self._watches)

    def main(self):
        runtime = self.runtime
        scheduler, polling = runtime.scheduler, runtime.shared.setdefault(ReactorSelector, set())
        try:
            notify = self.inboxes["notify"]
            while True:
                while notify.messages:
                    self._handle(notify.take())
                self._handleControl()
                if self._ending or (self._retiring and not self._watches):
                    break
                if self._othersBusy(scheduler, polling):
                    polling.add(self)
                    if self.reactor.seconds() >= self._nextPoll:
                        self._poll()
                else:
                    polling.discard(self)
                    self._handOver()
                    self._sleptAt = self._reported
                    if self._read and self._idleCheck is None:
                        self._idleCheck = self.reactor.callLater(0, self._acknowledgeIfIdle)
                    self.pause()
                yield 1
        finally:
            if self._idleCheck is not None:
                self._idleCheck.cancel()
            polling.discard(self)
            self._unwatchAll()
            if hasattr(self._poller, "close"):
                self._poller.close()
            self._leaveTracker()
        if self._successor is not None and not self._ending:
            # Late requests from this selector's users go to its successor.
            Linkage(self, "notify", self._successor, "notify", passthrough=1).connect()

    # Requests

    def _handle(self, message):
        request = _requestOf(message)
        if request is None:
            self.log.warn("{name} ignores {message!r}: not a selector request", name=self.name, message=message)
            return
        kind, add = request
        if not add:
            self._withdraw(message.object, kind)
            return
        try:
            (client, boxname), selectable = message.object
        except (TypeError, ValueError):
            self.log.error("{name}: malformed {message!r}: expected ((component, inboxname), selectable)",
                           name=self.name, message=message)
            return
        self._watch(kind, client, boxname, selectable)

    def _watch(self, kind, client, boxname, selectable):
        try:
            reply = client.inboxes[boxname]
        except (AttributeError, KeyError, TypeError):
            self.log.error("{name} cannot notify {client!r}: it has no inbox {boxname!r}",
                           name=self.name, client=client, boxname=boxname)
            return
        try:
            watch = self._watches.get(selectable)
            if watch is None:
                watch = self._watches[selectable] = self._wake(selectable) or _Watch(selectable, self)
        except (AttributeError, OSError, TypeError, ValueError) as error:
            self._refuse(kind, selectable, client, boxname, error)
            return
        if watch.replies[kind] is not None:
            return  # the first request is the one listened to, as in Kamaelia
        watch.replies[kind] = reply
        self._unpolled[watch] = self._fresh[watch] = None

    def _refuse(self, kind, selectable, client, boxname, error):
        self.log.error(
            "{name} cannot watch {selectable!r} for {kind} (for {client!r}, inbox {boxname!r}): {error}",
            name=self.name, selectable=selectable, kind=_KINDS[kind], client=client, boxname=boxname,
            error=error)

    def _withdraw(self, selectable, kind):
        try:
            watch = self._watches.get(selectable)
            resting = self._resting.pop(selectable, None)
        except TypeError:  # unhashable: never watched
            return
        if resting is not None:  # no request pending, and its component is done with it
            self._close(resting)
        if kind == READ:
            self._read.pop(selectable, None)  # not to be read any more: nothing to acknowledge
        if watch is None or watch.replies[kind] is None:
            return
        watch.replies[kind] = None
        self._leaveReactor(watch, kind)
        if watch.events:
            self._pollFor(watch)
        if watch.replies == [None, None, None]:
            del self._watches[selectable]
            self._close(watch)

    def _leaveReactor(self, watch, kind):
        if watch.inReactor[kind]:
            (self.reactor.removeReader if kind == READ else self.reactor.removeWriter)(watch)
            watch.inReactor[kind] = False

    def _close(self, watch):
        """
        Close C{watch}, which has no request pending: it leaves the poller.
        """
        self._unpolled.pop(watch, None)
        self._fresh.pop(watch, None)
        if watch.events:
            self._poller.unregister(watch.fd)
            del self._polling[watch.fd]
            watch.events = 0
        watch.close()

    def _unwatchAll(self):
        self._closeResting()
        watches, self._watches, self._read = self._watches, {}, {}
        for watch in watches.values():
            self.reactor.removeReader(watch)
            self.reactor.removeWriter(watch)
            self._close(watch)

    # Watches notified by the poller, kept for their components' next request

    def _rest(self, watch, kind):
        """
        Withdraw the request for C{kind} on C{watch} that the poller
        notified, leaving the poller to catch up at its next poll and, once no
        request is pending, keeping C{watch} until then: its component
        usually asks again first, so neither the poller nor the watch change.
        """
        watch.replies[kind] = None
        self._leaveReactor(watch, kind)
        self._unpolled[watch] = None
        if watch.replies == [None, None, None]:
            del self._watches[watch.selectable]
            self._resting[watch.selectable] = watch

    def _wake(self, selectable):
        """
        Return the resting watch of C{selectable} if it still watches
        C{selectable}'s descriptor, else L{None}.
        """
        watch = self._resting.pop(selectable, None)
        if watch is not None and not watch.isOf(selectable):  # closed, or another descriptor now
            self._close(watch)
            return None
        return watch

    def _closeResting(self):
        """
        Close the watches resting since the last poll: their components,
        stepped since, did not ask again.
        """
        resting, self._resting = self._resting, {}
        for watch in resting.values():
            self._close(watch)

    # Polling between steps

    def _othersBusy(self, scheduler, polling):
        """
        Tell whether this selector has requests pending while components
        other than polling selectors wait for a step.
        """
        others = scheduler.runnable - len(polling) + (self in polling)
        return self._poller is not None and bool(self._watches) and others > 0

    def _pollFor(self, watch):
        """
        Make the poller watch C{watch} for what is pending on it, if it can
        (epoll refuses regular files, which only the reactor then watches).
        """
        if not watch.pollable:
            return
        events = ((_POLLIN if watch.replies[READ] is not None else 0)
                  | (_POLLOUT if watch.replies[WRITE] is not None else 0))
        if events == watch.events:
            return
        if not watch.events:
            try:
                self._poller.register(watch.fd, events)
            except OSError:
                watch.pollable = False
                return
            self._polling[watch.fd] = watch
        elif events:
            self._poller.modify(watch.fd, events)
        else:
            self._poller.unregister(watch.fd)
            del self._polling[watch.fd]
        watch.events = events

    def _handOver(self):
        """
        Give the reactor the requests it does not watch yet, before this
        selector sleeps.
        """
        self._closeResting()
        fresh, self._fresh = self._fresh, {}
        for watch in fresh:
            for kind in (READ, WRITE):
                try:
                    self._handOverOne(watch, kind)
                except (OSError, ValueError) as error:
                    reply = watch.replies[kind]
                    self._withdraw(watch.selectable, kind)
                    self._refuse(kind, watch.selectable, reply.owner, reply.name, error)

    def _acknowledgeIfIdle(self):
        """
        Called by the reactor a turn after this selector went to sleep: if
        that turn notified nothing and no component waits for a step, the
        process is idle, waiting for data, and what its sockets have read is
        acknowledged now. Otherwise its components are at work (answering,
        and acknowledging with their data), and this selector will sleep
        again.
        """
        self._idleCheck = None
        runtime = self.runtime
        busy = runtime.scheduler.runnable - len(runtime.shared.get(ReactorSelector, ()))
        if self._reported == self._sleptAt and busy <= 0:
            self._acknowledge()

    def _acknowledge(self):
        """
        Have the sockets reported readable since this selector last
        acknowledged acknowledge now what their components have read.
        """
        read, self._read = self._read, {}
        for selectable in read:
            _acknowledgeAtOnce(selectable)

    def _handOverOne(self, watch, kind):
        if watch.replies[kind] is None or watch.inReactor[kind]:
            return
        if kind == READ:
            self.reactor.addReader(watch)
        else:
            self.reactor.addWriter(watch)
        watch.inReactor[kind] = True

    def _poll(self):
        """
        Notify the requests whose descriptors are ready now.
        """
        self._nextPoll = self.reactor.seconds() + self.pollInterval
        self._closeResting()
        unpolled, self._unpolled = self._unpolled, {}
        for watch in unpolled:
            self._pollFor(watch)
        polling = self._polling
        for fd, events in self._poller.poll(0):
            watch = polling.get(fd)
            if watch is None:
                continue
            if events & (_POLLIN | _POLLERRORS):
                self._ready(watch, READ, polled=True)
            if events & (_POLLOUT | _POLLERRORS):
                self._ready(watch, WRITE, polled=True)

    # Events, called by the reactor through a _Watch

    def _ready(self, watch, kind, polled=False):
        reply = watch.replies[kind]
        if reply is None:  # an event for a request withdrawn in this reactor iteration
            return
        if polled:
            self._rest(watch, kind)
        else:
            self._withdraw(watch.selectable, kind)
        self._reported += 1
        if kind == READ:
            self._read[watch.selectable] = None
        if self._retiring and not self._watches:
            self.unpause()  # to end
        try:
            reply.deliver(watch.selectable)
        except BoxFull as full:
            self.log.warn("{name} dropped a notification for {selectable!r}: {error}",
                          name=self.name, selectable=watch.selectable, error=full)

    def _lost(self, watch):
        for kind in (READ, WRITE, EXCEPTIONAL):
            if watch.replies[kind] is not None:
                self._ready(watch, kind)

    # Ending

    def _handleControl(self):
        for message in self.inboxes["control"].takeAll():
            if _named(message, "shutdown"):
                self._retire()
            elif isShutdown(message):
                self._ending = True

    def _retire(self):
        if self._retiring:
            return
        self._retiring = True
        tracker = self._tracker
        self._leaveTracker()
        if tracker is not None and not set(name for name, _ in SERVICES) & set(tracker.servicesRegistered()):
            self._successor = register(tracker, self._reactor)

    def _leaveTracker(self):
        tracker, self._tracker = self._tracker, None
        if tracker is None:
            return
        for name, boxname in SERVICES:
            try:
                registered = tracker.retrieveService(name)
            except KeyError:
                continue
            if registered == (self, boxname):
                tracker.deRegisterService(name)


@implementer(IReadDescriptor, IWriteDescriptor)
class _Watch:
    """
    One selectable as the reactor sees it: a duplicate of its descriptor, and
    the inbox to notify for each kind of event (L{None}: no request pending).
    """

    def __init__(self, selectable, selector):
        """
        @raise OSError: if the descriptor is closed or not one.
        """
        fd = selectable if isinstance(selectable, int) else selectable.fileno()
        if fd < 0:
            raise OSError("{!r} is closed (its descriptor is {})".format(selectable, fd))
        self.fd = os.dup(fd)
        self.source = fd
        self.selectable = selectable
        self.replies = [None, None, None]
        self.events = 0
        self.inReactor = [False, False, False]
        self.pollable = True
        self._selector = selector

    def close(self):
        os.close(self.fd)

    def isOf(self, selectable):
        """
        Tell whether this watch's duplicate is still of C{selectable}'s open
        descriptor: not if C{selectable} has been closed or is a descriptor
        number (which the system may have given to another file since).
        """
        if isinstance(selectable, int):
            return False
        try:
            return selectable.fileno() == self.source
        except (OSError, ValueError):
            return False

    def fileno(self):
        return self.fd

    def doRead(self):
        self._selector._ready(self, READ)

    def doWrite(self):
        self._selector._ready(self, WRITE)

    def connectionLost(self, reason):
        self._selector._lost(self)

    def logPrefix(self):
        return "ReactorSelector"


def _acknowledgeAtOnce(selectable):
    """
    Make C{selectable}, if a TCP socket, acknowledge now what it has received
    and read, and go on acknowledging without delay until the kernel next
    decides otherwise (C{TCP_QUICKACK} is not sticky).
    """
    if _QUICKACK is None or not isinstance(selectable, socket.socket):
        return
    try:
        if selectable.type == socket.SOCK_STREAM and selectable.family in (socket.AF_INET, socket.AF_INET6):
            selectable.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
    except OSError:  # closed meanwhile: its component's recv finds out
        pass


def _requestOf(message):
    for cls in type(message).__mro__:
        request = _REQUESTS.get(cls.__name__)
        if request is not None:
            return request
    return None


def _named(message, name):
    return any(cls.__name__ == name for cls in type(message).__mro__)


def _newPoller():
    """
    Return an epoll (else poll) object to look at descriptors between steps,
    or L{None} where the system has neither.
    """
    for name in ("epoll", "poll"):
        if hasattr(select, name):
            return getattr(select, name)()
    return None
