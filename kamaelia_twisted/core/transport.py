"""
L{TransportComponent}: one Twisted transport (a connection, a child
process's pipes) as a component.

Bytes the transport receives leave on C{outbox}; bytes sent to C{inbox} are
written to it. Flow control runs both ways:

  - reading: when the inbox that C{outbox} feeds is at its capacity (or
    bound), the transport stops reading (C{pauseProducing}) until it is half empty, so
    a slow receiver slows the writer at the other end down;
  - writing: the component is the transport's push producer; while the
    transport's buffer is full it stops taking from its C{inbox}, whose
    capacity is L{TransportComponent.defaultInboxSize} messages, so senders
    that wait with C{outboxes["outbox"].whenSpace()} pause instead of
    memory growing (a plain C{send} past it queues, as in Kamaelia).

A protocol hands its transport and events to the component, which is
activated once the transport is attached::

    from twisted.internet.testing import StringTransport
    from kamaelia_twisted.core.transport import TransportComponent

    component = TransportComponent()
    component.attach(StringTransport())     # from the protocol's connectionMade
    component.activate()
    component.dataReceived(b"hello")        # from its dataReceived

L{kamaelia_twisted.net.connection.Connection} (network connections) and
L{kamaelia_twisted.file.UnixProcess} (child processes) are built on it.
"""

from twisted.internet.error import ConnectionDone
from twisted.internet.interfaces import IPushProducer
from zope.interface import implementer

from .component import Component
from .inflow import Inflow
from .ipc import errorOccurred, producerFinished
from .payload import requireBytes


@implementer(IPushProducer)
class TransportComponent(Component):
    """
    A transport: C{inbox} to it, what it receives to C{outbox}.

    A L{producerFinished} or L{shutdownMicroprocess} on C{control} writes
    what is queued, closes the transport and is passed on on C{signal}.
    When the other end closes, C{signal} gets L{producerFinished} (after
    every received byte has been delivered); when the connection is lost any
    other way, an L{errorOccurred} with the reason.

    When the other end only shuts its write side (L{readConnectionLost}),
    C{signal} gets L{producerFinished} once every received byte has been
    delivered, and C{inbox} is still written until C{control} says to close.

    @ivar transport: the transport, once attached.
    @cvar defaultInboxSize: how many messages C{inbox} holds by default.
    @cvar destination: what the transport writes to, for error messages.
    """

    Inboxes = {
        "inbox": "Bytes to write",
        "control": "producerFinished/shutdownMicroprocess: flush, then close",
    }
    Outboxes = {
        "outbox": "Bytes received",
        "signal": "producerFinished on a clean close, errorOccurred on a lost connection",
    }
    defaultInboxSize = 32
    destination = "its transport"
    __slots__ = ("transport", "_inflow", "_writePaused", "_closed", "_peerFinishing", "_lost")

    def __init__(self, inboxSize=defaultInboxSize, **attributes):
        """
        @param inboxSize: the capacity of C{inbox}, which flow-aware senders
            honour (L{None}: no advice).
        """
        Component.__init__(self, **attributes)
        self.inboxes["inbox"].setCapacity(inboxSize)
        self.transport = None
        self._inflow = None
        self._writePaused = self._closed = self._peerFinishing = False
        self._lost = None

    # The protocol's side

    def attach(self, transport):
        """
        Start serving C{transport} (from the protocol's C{connectionMade}).
        """
        self.transport = transport
        self._inflow = Inflow(self.outboxes["outbox"], transport)  # wakes this component when drained
        transport.registerProducer(self, True)
        self._notify()

    def dataReceived(self, data):
        """
        Deliver C{data} received on C{outbox}; the components it wakes run at
        once (L{Scheduler.deliverNow<kamaelia_twisted.core.scheduler.Scheduler.deliverNow>}),
        in the reactor turn it arrived in.
        """
        try:
            deliverNow = self._scheduler.deliverNow
        except AttributeError:  # not activated yet: its first slice will handle the data
            self._inflow.deliver(data)
            return
        deliverNow(self._inflow.deliver, data)

    def readConnectionLost(self):
        """
        Note that the other end has finished sending (it shut its write
        side); what is sent to it is still written.
        """
        self._peerFinishing = True
        self._inflow.stop()
        self._notify()

    def connectionLost(self, reason):
        """
        Note that the transport has gone, for C{reason}.
        """
        self._lost = reason
        self._inflow.stop()
        self._notify()

    # IPushProducer: the transport's flow control of what we write

    def pauseProducing(self):
        self._writePaused = True

    def resumeProducing(self):
        self._writePaused = False
        self._notify()

    def stopProducing(self):
        self._notify()

    def _notify(self):
        self.unpause()

    # The component's side

    def main(self):
        inbox = self.inboxes["inbox"]
        closing = None
        try:
            while True:
                if closing is None and not self._closed:
                    while inbox.messages and not self._writePaused:
                        self._write(inbox.take())
                    closing = self.checkShutdown()
                    if closing is not None:
                        self._flushAndClose(closing)
                if self._lost is not None and self._delivered():
                    break
                if self._peerFinishing and self._delivered():
                    self._peerFinishing = False
                    self._peerFinished()
                    continue    # closing may have lost the connection at once
                self.pause()
                yield 1
            self.send(self._endMessage(closing), "signal")
        except Exception:
            self._close()
            raise

    def _write(self, data):
        self.transport.write(requireBytes(data, self, self.destination))

    def _flushAndClose(self, closing):
        inbox = self.inboxes["inbox"]
        while inbox.messages:
            self._write(inbox.take())
        self._close(closing)

    def _peerFinished(self):
        """
        The other end has finished sending and all it sent has been
        delivered: send L{producerFinished} on C{signal}, the receiver's end
        of input.
        """
        self.send(producerFinished(self), "signal")

    def _close(self, closing=None):
        """
        Close the transport, for C{closing} (a shutdown message, or
        L{None} when the component failed or the other end closed first).
        """
        if self.transport is not None and self._lost is None and not self._closed:
            self._closed = True
            self.transport.unregisterProducer()
            self._closeTransport(closing)

    def _closeTransport(self, closing):
        """
        Close the transport (once, while it is connected), for C{closing}.
        """
        self.transport.loseConnection()

    def _delivered(self):
        """
        Whether all that was received has been delivered.
        """
        return self._inflow.drained

    def _endMessage(self, closing):
        """
        Return what to send on C{signal} at the end, given the shutdown
        message that closed the transport (or L{None}).
        """
        return closing or self._lostMessage()

    def _lostMessage(self):
        if self._lost.check(ConnectionDone):
            return producerFinished(self)
        return errorOccurred("{}: connection lost: {}".format(
            self.name, self._lost.getErrorMessage()), self._lost, caller=self)
