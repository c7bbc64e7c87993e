"""
The Twisted bridge: transports as components, components as protocols.

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import TCPClient, SimpleServer

    SimpleServer(protocol=EchoProtocol, port=1500).run()
    Pipeline(TCPClient("127.0.0.1", 1500), ConsoleEchoer()).run()
"""

from .factory import ComponentFactory, ComponentProtocol

__all__ = ["ComponentFactory", "ComponentProtocol"]

# Protocols run inside a graph:
