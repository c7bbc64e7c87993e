"""
UDP ports as components: L{UDPSender} sends each message on its C{inbox} as
a datagram to one address, L{UDPReceiver} sends C{(data, (host, port))} on
its C{outbox} for each datagram it receives::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import UDPReceiver, UDPSender
    from kamaelia_twisted.util import DataSource

    Pipeline(UDPReceiver("127.0.0.1", 1600), ConsoleEchoer()).activate()
    Pipeline(DataSource([b"hello"]), UDPSender("127.0.0.1", 1600)).activate()

Both stop on L{producerFinished} or L{shutdownMicroprocess} on C{control}
(sending what is queued first) and pass it on on C{signal}. UDP has no flow
control: a port whose destination inbox is full stops reading, and the
kernel drops what does not fit in the socket's buffer.
"""

from twisted.internet.defer import maybeDeferred
from twisted.internet.protocol import DatagramProtocol
from twisted.python.failure import Failure

from ..core.component import Component
from ..core.inflow import Inflow
from ..core.notifier import Notifier
from ..core.payload import requireBytes

MAX_DATAGRAM = 65535


class DatagramPort(Component):
    """
    A UDP port: datagrams from C{inbox} are sent to C{target}, and those
    received go out on C{outbox} as L{message}C{(data, (host, port))}.

    @ivar target: C{(host, port)} the inbox's datagrams go to, or L{None}.
    @ivar listeningPort: the port, once listening.
    """

    Inboxes = {
        "inbox": "Datagrams (bytes) to send",
        "control": "producerFinished/shutdownMicroprocess: stop",
    }
    Outboxes = {
        "outbox": "(data, (host, port)) for each datagram received",
        "signal": "The shutdown message, passed on",
    }

    def __init__(self, local_addr="", local_port=0, target=None, **attributes):
        """
        @param local_addr: the address to listen on (default: all).
        @param local_port: the port (0: any free port, see L{whenListening}).
        @param target: C{(host, port)} to send the inbox's datagrams to.
        """
        Component.__init__(self, **attributes)
        self.local_addr, self.local_port, self.target = local_addr, local_port, target
        self.listeningPort = None
        self._listening = Notifier()

    def whenListening(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires with the listening port
        (C{.getHost().port}), or errbacks if listening failed.
        """
        return self._listening.when()

    def listen(self, protocol):
        """
        Start listening with C{protocol}; return the port or a
        L{Deferred<twisted.internet.defer.Deferred>} of it.
        """
        return self.reactor.listenUDP(self.local_port, protocol, interface=self.local_addr,
                                      maxPacketSize=MAX_DATAGRAM)

    @staticmethod
    def message(data, address):
        """
        Return what to send on C{outbox} for C{data} received from C{address}.
        """
        return (data, address)

    def main(self):
        inflow = Inflow(self.outboxes["outbox"], None)
        try:
            self.listeningPort = yield maybeDeferred(self.listen, _Datagrams(self.message, inflow))
        except Exception:
            self._listening.fire(Failure())
            raise
        inflow.producer = self.listeningPort
        self._listening.fire(self.listeningPort)
        failure = None
        try:
            shutdown = yield from self._serve()
        except Exception:
            failure = Failure()
        inflow.stop()
        yield maybeDeferred(self.listeningPort.stopListening)
        if failure is not None:
            failure.raiseException()
        self.send(shutdown, "signal")

    def _serve(self):
        while True:
            self._sendQueued()
            shutdown = self.checkShutdown()
            if shutdown is not None:
                return shutdown
            self.pause()
            yield 1

    def _sendQueued(self):
        inbox = self.inboxes["inbox"]
        while len(inbox):
            data = inbox.take()
            if self.target is not None:
                self.listeningPort.write(requireBytes(data, self, "the network"), self.target)


class _Datagrams(DatagramProtocol):
    def __init__(self, message, inflow):
        self.message = message
        self.inflow = inflow

    def datagramReceived(self, data, address):
        self.inflow.deliver(self.message(data, address))


class UDPReceiver(DatagramPort):
    """
    Listen on C{local_addr}:C{local_port} and send C{(data, (host, port))}
    on C{outbox} for each datagram received.
    """

    Inboxes = {"inbox": "Not used", "control": DatagramPort.Inboxes["control"]}

    def __init__(self, local_addr="", local_port=0, **attributes):
        DatagramPort.__init__(self, local_addr, local_port, **attributes)


class UDPSender(DatagramPort):
    """
    Send each message (bytes) on C{inbox} as one datagram to
    C{receiver_addr}:C{receiver_port}, from a port of its own; replies
    arriving there go out on C{outbox} as C{(data, (host, port))}.
    """

    def __init__(self, receiver_addr, receiver_port, local_addr="", local_port=0, **attributes):
        """
        @param receiver_addr: the IP address datagrams go to.
        @param receiver_port: the port datagrams go to.
        @param local_addr: the address to send from (default: any).
        @param local_port: the port to send from (default: any free one).
        """
        DatagramPort.__init__(self, local_addr, local_port, (receiver_addr, receiver_port),
                              **attributes)
