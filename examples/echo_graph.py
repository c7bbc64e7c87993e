"""
A line echo server, as a graph for twistd::

    twistd -n kamaelia --graph examples/echo_graph.py:makeGraph --arg port=tcp:1500

or on its own: C{python examples/echo_graph.py [ENDPOINT]}. Each connection is served by
Twisted's L{LineReceiver} in a L{ProtocolComponent} whose C{parsed} outbox is
linked to its own C{send} inbox, so every line comes back as a line.
"""

import argparse

from twisted.protocols.basic import LineReceiver

from kamaelia_twisted.net import ProtocolComponent, SimpleServer
from kamaelia_twisted.program import runProgram


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


def main(argv=None):
    parser = argparse.ArgumentParser(description="A line echo server.")
    parser.add_argument("endpoint", nargs="?", default="tcp:1500", help="server endpoint (default tcp:1500)")
    runProgram(makeGraph(parser.parse_args(argv).endpoint), "echo_graph")


if __name__ == "__main__":
    main()
