"""
L{Inflow}: read-side flow control between a transport and an outbox.

Data a transport receives is delivered on an outbox; when the inbox it lands
in is at its capacity (or bound), the transport is paused
(C{pauseProducing}) and data it still hands over is held, until the receiver
has taken enough for the inbox to be half empty::

    from kamaelia_twisted.core.inflow import Inflow

    inflow = Inflow(component.outboxes["outbox"], transport)
    inflow.deliver(data)      # from the protocol's dataReceived
"""

from collections import deque


class Inflow:
    """
    Deliver messages on C{outbox}, pausing C{producer} while its destination
    is full; once the held messages are all delivered, the outbox's owner is
    woken (C{unpause()}), for one waiting for them to end.

    @ivar outbox: the L{kamaelia_twisted.core.boxes.Box} messages go out on.
    @ivar producer: an C{IPushProducer} (a transport or a listening port),
        or L{None} while there is none to pause.
    """

    __slots__ = ("outbox", "producer", "_held")

    def __init__(self, outbox, producer):
        self.outbox = outbox
        self.producer = producer
        self._held = None

    @property
    def drained(self):
        """
        Whether every message handed to L{deliver} has been delivered.
        """
        return self._held is None

    def deliver(self, message):
        """
        Deliver C{message}, or hold it while the destination is full.
        """
        if self._held is not None:
            self._held.append(message)
        elif self.outbox.isFull():
            self._hold([message])
        else:
            self.outbox.deliver(message)
            if self.outbox.isFull():
                self._hold([])

    def stop(self):
        """
        Forget the producer (it has gone); held messages are still delivered.
        """
        self.producer = None

    def _hold(self, messages):
        self._held = deque(messages)
        if self.producer is not None:
            self.producer.pauseProducing()
        self.outbox.whenSpace().addCallback(self._release)

    def _release(self, _):
        held, outbox = self._held, self.outbox
        while held and not outbox.isFull():
            outbox.deliver(held.popleft())
        if outbox.isFull():
            outbox.whenSpace().addCallback(self._release)
            return
        self._held = None
        if self.producer is not None:
            self.producer.resumeProducing()
        self.outbox.owner.unpause()
