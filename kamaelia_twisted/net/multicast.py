"""
L{Multicast_transceiver}: send to and receive from a multicast group, with
Kamaelia's name, arguments and C{(source_address, data)} output::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import Multicast_transceiver

    Pipeline(Multicast_transceiver("0.0.0.0", 1600, "224.168.2.9", 1600),
             ConsoleEchoer()).run()
"""

from twisted.internet.defer import inlineCallbacks

from .udp import MAX_DATAGRAM, DatagramPort


class Multicast_transceiver(DatagramPort):
    """
    Join multicast group C{remote_addr} on interface C{local_addr}, listen on
    C{local_port}, send each message on C{inbox} to the group at
    C{remote_port}, and send C{(source_address, data)} on C{outbox} for each
    datagram received (source_address being C{(host, port)}).

    @ivar group: the multicast group address.
    """

    Inboxes = {
        "inbox": "Data (bytes) to send to the multicast group",
        "control": DatagramPort.Inboxes["control"],
    }
    Outboxes = {
        "outbox": "(source_address, data) for each datagram received",
        "signal": DatagramPort.Outboxes["signal"],
    }

    def __init__(self, local_addr, local_port, remote_addr, remote_port, ttl=1, loopback=True,
                 **attributes):
        """
        @param local_addr: the interface to join on and send from
            (C{"0.0.0.0"}: the system's choice).
        @param local_port: the port to receive on (0: any free port); several
            transceivers may share one.
        @param remote_addr: the multicast group to join and send to.
        @param remote_port: the port to send to.
        @param ttl: how many routers sent datagrams may cross (1: this link).
        @param loopback: whether datagrams sent are also delivered to
            sockets of this host in the group.
        """
        DatagramPort.__init__(self, local_addr, local_port, (remote_addr, remote_port), **attributes)
        self.group, self.ttl, self.loopback = remote_addr, ttl, loopback

    @property
    def _interface(self):
        return "" if self.local_addr in ("", "0.0.0.0") else self.local_addr

    @inlineCallbacks
    def listen(self, protocol):
        port = self.reactor.listenMulticast(self.local_port, protocol, listenMultiple=True,
                                            maxPacketSize=MAX_DATAGRAM)
        try:
            port.setTTL(self.ttl)
            port.setLoopbackMode(self.loopback)
            if self._interface:
                yield port.setOutgoingInterface(self._interface)
            yield port.joinGroup(self.group, self._interface)
        except Exception:
            yield port.stopListening()
            raise
        return port

    @staticmethod
    def message(data, address):
        return (address, data)
