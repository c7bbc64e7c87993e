"""
Inboxes and outboxes: named queues of messages, linked into delivery chains.

A L{Box} holds a C{deque} of messages and a link to a I{target} box. Delivering
to a box follows targets to the end of the chain (its I{destination}), so a
message sent on an outbox lands in the linked inbox, possibly through
passthrough links of enclosing components; an unlinked outbox keeps what is
sent on it until it is linked. Messages pass by reference.

    >>> from kamaelia_twisted.core.boxes import Box
    >>> out, inbox = Box(None, "outbox"), Box(None, "inbox")
    >>> out.deliver("held")
    >>> out.setTarget(inbox)
    >>> list(inbox), len(inbox)
    (['held'], 1)
"""

import sys
from collections import deque

from twisted.internet.defer import Deferred

__all__ = ["Box", "BoxFull", "noSpaceInBox"]


class BoxFull(Exception):
    """
    A message was delivered to a box bounded with L{Box.setSize} that is full.

    @ivar box: the full L{Box}.
    """

    def __init__(self, box):
        Exception.__init__(
            self,
            "inbox {!r} of {} is full ({} message{}): before sending, wait while the outbox "
            "isFull() (yield outbox.whenSpace(), or pauseUntilSpace() in a component)".format(
                box.name, getattr(box.owner, "name", box.owner), box.size, "" if box.size == 1 else "s"
            ),
        )
        self.box = box


noSpaceInBox = BoxFull


class _NoMessages(tuple):
    """
    What an empty box of a sleeping component holds: nothing, in no memory of
    its own (a C{deque} costs some 600 bytes, and most boxes of an idle
    component hold no message). It reads as an empty C{deque} (an empty
    tuple, so C{len} and truth cost no Python call); the box replaces it
    with one at its next delivery.
    """

    __slots__ = ()

    def popleft(self):
        raise IndexError("pop from an empty deque")

    def clear(self):
        pass


_NO_MESSAGES = _NoMessages()


class _Bounds:
    """
    A box's bound and capacity, and the smaller of the two as C{limit};
    shared by every box bounded alike (see L{_bounds}), so that a box
    spends one slot on them.
    """

    __slots__ = ("size", "capacity", "limit")

    def __init__(self, size, capacity):
        self.size, self.capacity = size, capacity
        self.limit = min(sys.maxsize if bound is None else bound for bound in (size, capacity))


_sharedBounds = {}


def _bounds(size, capacity):
    """
    Return the one L{_Bounds} of C{size} and C{capacity}.
    """
    try:
        return _sharedBounds[size, capacity]
    except KeyError:
        bounds = _sharedBounds[size, capacity] = _Bounds(size, capacity)
        return bounds


_UNBOUNDED = _bounds(None, None)

# What a sleeping component's boxes hold as their alarm: wake the owner
# (L{Box.sleepUntilDelivery}), without a bound method of its own per sleep.
_WAKE_OWNER = object()


class Box:
    """
    A queue of messages that may forward to a target box.

    Messages enter through L{deliver} (which keeps the bound and wakes the
    receiver) and leave through L{take} or L{takeAll}; C{len(box)} and
    C{iter(box)} look at what it holds.

    @ivar owner: the component whose box this is.
    @ivar name: the box name.
    @ivar messages: the C{deque} of messages held, oldest first (while the
        box is empty and its owner sleeps, an empty stand-in: see
        L{sleepUntilDelivery}); read it, but add and remove through the box
        so bounds and waiters are kept.
    @ivar alarm: called on each delivery while set (see L{setAlarm}).
    @ivar plain: unbounded, without an alarm and holding a C{deque}, so that a
        delivery is a bare append (the fast path of C{Component.send}).
    @ivar target: the next L{Box} in the delivery chain, or L{None}.
    @ivar destination: where deliveries end up: the last box of the chain.
    """

    # Few slots, each used: a connection's components have eight boxes.
    __slots__ = ("owner", "name", "messages", "_bounds", "alarm", "plain", "target",
                 "destination", "_sources", "_spaceWaiters")

    def __init__(self, owner, name):
        self.owner = owner
        self.name = name
        self.messages = _NO_MESSAGES
        self._bounds = _UNBOUNDED
        self.alarm = None
        self.plain = False
        self.target = None
        self.destination = self
        self._sources = None  # None, the one source, or a tuple of them
        self._spaceWaiters = None

    def __repr__(self):
        return "<Box {!r} of {}>".format(self.name, getattr(self.owner, "name", None))

    def __len__(self):
        return len(self.messages)

    def __iter__(self):
        return iter(self.messages)

    def __bool__(self):
        return True

    @property
    def size(self):
        """
        The most messages the box holds, a bound L{deliver} enforces
        (L{None}: unbounded); see L{setSize}.
        """
        return self._bounds.size

    @property
    def capacity(self):
        """
        How many messages the box should hold, advice that flow-aware
        producers honour through L{isFull} and L{whenSpace}; a delivery
        beyond it still queues (L{None}: no advice); see L{setCapacity}.
        """
        return self._bounds.capacity

    @property
    def sources(self):
        """
        The boxes that forward to this one, as a tuple.
        """
        sources = self._sources
        if sources is None:
            return ()
        return sources if type(sources) is tuple else (sources,)

    def setSize(self, size):
        """
        Bound the box to C{size} messages (L{None} for no bound): a delivery
        to it when full raises L{BoxFull}.
        """
        self._bounds = _bounds(size, self._bounds.capacity)
        self._updatePlain()
        self._releaseWaiters()

    def setCapacity(self, capacity):
        """
        Advise producers to hold back once the box holds C{capacity} messages
        (L{None}: no advice): L{isFull} says so, and L{whenSpace} waits until
        it is half empty. Deliveries beyond it still queue.
        """
        self._bounds = _bounds(self._bounds.size, capacity)
        self._releaseWaiters()

    def removeBounds(self):
        """
        Remove the bound and the capacity, releasing the producers waiting
        for space: for a receiver that will take no more.
        """
        self.setSize(None)
        self.setCapacity(None)

    def setAlarm(self, alarm):
        """
        Call C{alarm()} after each delivery from now on (L{None}: stop).
        """
        self.alarm = alarm
        # Whether a delivery may be a bare append; computed here, where a
        # component's wake clears every inbox's alarm, without another call.
        self.plain = alarm is None and self._bounds.size is None and self.messages is not _NO_MESSAGES

    def sleepUntilDelivery(self):
        """
        Wake the owner (its C{unpause()}) at the next delivery, the owner
        going to sleep until then; an empty box gives back its C{deque}
        meanwhile, so that a sleeping component holds no memory for its
        empty boxes.
        """
        if not self.messages:
            self.messages = _NO_MESSAGES
        self.alarm = _WAKE_OWNER
        self.plain = False  # an alarm to call: not plain (see _updatePlain)

    def _ring(self):
        """
        Call the alarm, if set, after a delivery.
        """
        alarm = self.alarm
        if alarm is _WAKE_OWNER:
            self.owner.unpause()
        elif alarm is not None:
            alarm()

    def _updatePlain(self):
        self.setAlarm(self.alarm)  # which sets plain

    def _holdMessages(self):
        """
        Give the box a C{deque} of its own, at a delivery while it has none.
        """
        self.messages = deque()
        self._updatePlain()

    def isFull(self):
        """
        Tell whether this box's destination is at its capacity or bound: a
        flow-aware producer waits (L{whenSpace}) before sending more.
        """
        dest = self.destination
        return len(dest.messages) >= dest._bounds.limit

    def deliver(self, message):
        """
        Put C{message} at the end of the chain, waking the receiver.

        @raise BoxFull: if the destination is bounded (L{setSize}) and full;
            a capacity (L{setCapacity}) never raises.
        """
        dest = self.destination
        size = dest._bounds.size
        if size is not None and len(dest.messages) >= size:
            raise BoxFull(dest)
        if dest.messages is _NO_MESSAGES:
            dest._holdMessages()
        dest.messages.append(message)
        if dest.alarm is not None:
            dest._ring()

    def take(self):
        """
        Remove and return the oldest message.

        @raise IndexError: if the box is empty.
        """
        message = self.messages.popleft()
        if self._spaceWaiters is not None:
            self._releaseWaiters()
        return message

    def takeAll(self):
        """
        Remove and return every message held, oldest first, as a list.
        """
        messages = list(self.messages)
        self.messages.clear()
        self._releaseWaiters()
        return messages

    def whenSpace(self):
        """
        Return a L{Deferred} that fires once this box's destination is at most
        half full, counting by its capacity or bound (at once if it has neither
        or is already so).
        """
        dest = self.destination
        d = Deferred()
        if dest._hasRoom():
            d.callback(None)
        else:
            if dest._spaceWaiters is None:
                dest._spaceWaiters = []
            dest._spaceWaiters.append(d)
        return d

    def setTarget(self, target):
        """
        Forward deliveries to C{target} (L{None} to stop forwarding); messages
        held here move on to the new destination.
        """
        if self.target is not None:
            self.target._removeSource(self)
        self.target = target
        if target is not None:
            target._addSource(self)
        self._updateDestination()
        if target is not None:
            self._forwardHeld()

    def _forwardHeld(self):
        dest = self.destination
        if self.messages:
            if dest.messages is _NO_MESSAGES:
                dest._holdMessages()
            dest.messages.extend(self.messages)
            self.messages.clear()
        if dest.messages and dest.alarm is not None:
            dest._ring()
        if self._spaceWaiters is not None:
            # Waiters on a box that now forwards wait on its destination.
            waiters, self._spaceWaiters = self._spaceWaiters, None
            for d in waiters:
                dest.whenSpace().chainDeferred(d)

    def _addSource(self, source):
        sources = self._sources
        self._sources = source if sources is None else self.sources + (source,)

    def _removeSource(self, source):
        rest = tuple(box for box in self.sources if box is not source)
        self._sources = rest[0] if len(rest) == 1 else rest or None

    def _updateDestination(self):
        self.destination = self.target.destination if self.target is not None else self
        for source in self.sources:
            source._updateDestination()

    def _hasRoom(self):
        return len(self.messages) <= self._bounds.limit // 2

    def _releaseWaiters(self):
        if self._spaceWaiters and self._hasRoom():
            waiters, self._spaceWaiters = self._spaceWaiters, None
            for d in waiters:
                d.callback(None)
