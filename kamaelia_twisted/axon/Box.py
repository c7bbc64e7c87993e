"""
Axon's view of a box: C{len(box)} counts what waits at the end of its chain
(so C{len(self.outboxes["outbox"])} is how many messages the receiver has
not read yet, which Kamaelia components throttle on), while
C{dataReady(name)} counts what the box itself holds.

    >>> from kamaelia_twisted.axon.Box import makeInbox, makeOutbox
    >>> out, inbox = makeOutbox(None), makeInbox(None)
    >>> out.setTarget(inbox); out.append("hi")
    >>> len(out), out.local_len(), inbox.pop(0)
    (1, 0, 'hi')
"""

from ..core.boxes import Box

ShowAllTransits = False


class postbox(Box):
    """
    A core L{Box} with Axon's methods. Our components' boxes become these
    (the class of a box is swapped, its state kept).
    """

    __slots__ = ()

    def __len__(self):
        return len(self.destination.messages)

    def local_len(self):
        """
        Return how many messages this box itself holds.
        """
        return len(self.messages)

    def append(self, message):
        """
        Deliver C{message} down the chain, as C{send} does.
        """
        self.deliver(message)

    def pop(self, index=0):
        """
        Take the oldest message (Axon only ever pops index 0).
        """
        if index != 0:
            raise ValueError("Axon boxes are only popped from the front")
        return self.take()

    def getSize(self):
        """
        Return the bound of this box (L{None}: unbounded).
        """
        return self.size

    def setSize(self, size):
        """
        Bound the box to C{size} messages and return the bound.
        """
        Box.setSize(self, size)
        return size

    def setShowTransit(self, showtransit=False, tag=None):
        """
        Axon's tracing of deliveries; not kept (use L{twisted.logger}).
        """


def asPostbox(box):
    """
    Make the core L{Box} C{box} a L{postbox} in place and return it.
    """
    box.__class__ = postbox
    return box


def makeInbox(notify, size=None, owner=None, name="inbox"):
    """
    Return a new inbox; C{notify} is called on each delivery.
    """
    box = postbox(owner, name)
    box.setAlarm(notify)
    box.setSize(size)
    return box


def makeOutbox(notify, owner=None, name="outbox"):
    """
    Return a new outbox.
    """
    return postbox(owner, name)
