"""
The Twisted bridge: transports as components, components as protocols::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import TCPClient, SimpleServer

    SimpleServer(protocol=EchoProtocol, port=1500).run()
    Pipeline(ConsoleReader(), TCPClient("127.0.0.1", 1500), ConsoleEchoer()).run()

(C{EchoProtocol}, C{ConsoleReader} and C{ConsoleEchoer}: see
examples/echo_server.py and examples/echo_client.py; doc/net.md has more.)
"""

from .factory import ComponentFactory, ComponentProtocol
from .multicast import Multicast_transceiver
from .server import SimpleServer
from .tcpclient import TCPClient
from .udp import UDPReceiver, UDPSender

__all__ = [
    "ComponentFactory", "ComponentProtocol", "Multicast_transceiver", "SimpleServer",
    "TCPClient", "UDPReceiver", "UDPSender",
]

# Protocols run inside a graph:
from .protocolcomponent import ProtocolComponent  # noqa: E402

__all__.append("ProtocolComponent")
