"""
A line echo server, as a graph for twistd::

    twistd -n kamaelia --graph examples/echo_graph.py:makeGraph --arg port=tcp:1500

or on its own: C{python examples/echo_graph.py}. Each connection is served by
Twisted's L{LineReceiver} in a L{ProtocolComponent} whose C{parsed} outbox is
linked to its own C{send} inbox, so every line comes back as a line.
"""

from twisted.protocols.basic import LineReceiver

from kamaelia_twisted.net import ProtocolComponent, SimpleServer


def lineEcho():
    """
    Return a handler for one connection: each line received is sent back.
    """
    lines = ProtocolComponent(LineReceiver)
    lines.link((lines, "parsed"), (lines, "send"))
    return lines


def makeGraph(port="tcp:1500"):
    """
    Return the server: a L{SimpleServer} on the endpoint C{port}.
    """
    return SimpleServer(protocol=lineEcho, endpoint=port)


if __name__ == "__main__":
    makeGraph().run()
