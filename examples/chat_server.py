"""
A line-based chat server: Twisted's L{LineReceiver} does the framing, a
Backplane does the talking. Run it, then chat with C{telnet 127.0.0.1 1501}::

    python examples/chat_server.py [ENDPOINT]
    twistd -n kamaelia --graph examples/chat_server.py:makeGraph --arg port=tcp:1501

Each connection is served by this graph::

    peer bytes -> LINES (ProtocolComponent(LineReceiver)) -> peer bytes
                  LINES.parsed -> TAG -> PublishTo("CHAT")
    SubscribeTo("CHAT") -> OTHERS -> LINES.send
    WELCOME -> LINES.send

so every line a user types is published with the user's name, and every line
published by someone else is sent to the user as C{b"name: line"}.
"""

import argparse
from itertools import count

from twisted.protocols.basic import LineReceiver

from kamaelia_twisted import Backplane, Graphline, PublishTo, SubscribeTo
from kamaelia_twisted.net import ProtocolComponent, SimpleServer
from kamaelia_twisted.program import runProgram
from kamaelia_twisted.util import DataSource, PureTransformer


def chatter(name, backplane):
    """
    Return the handler of one connection, for the user called C{name}.
    """
    def fromOthers(message):
        sender, line = message
        return None if sender == name else sender + b": " + line

    return Graphline(
        LINES=ProtocolComponent(LineReceiver),
        SUBSCRIBE=SubscribeTo(backplane),
        WELCOME=DataSource([b"* you are " + name]),
        TAG=PureTransformer(lambda line: (name, line)),
        PUBLISH=PublishTo(backplane),
        OTHERS=PureTransformer(fromOthers),
        linkages={
            ("self", "inbox"): ("LINES", "inbox"),
            ("LINES", "outbox"): ("self", "outbox"),
            ("LINES", "parsed"): ("TAG", "inbox"),
            ("TAG", "outbox"): ("PUBLISH", "inbox"),
            ("SUBSCRIBE", "outbox"): ("OTHERS", "inbox"),
            ("OTHERS", "outbox"): ("LINES", "send"),
            ("WELCOME", "outbox"): ("LINES", "send"),
            # Shutdown runs along the chain and out to the connection.
            ("self", "control"): ("LINES", "control"),
            ("LINES", "signal"): ("TAG", "control"),
            ("TAG", "signal"): ("PUBLISH", "control"),
            ("PUBLISH", "signal"): ("SUBSCRIBE", "control"),
            ("SUBSCRIBE", "signal"): ("OTHERS", "control"),
            ("OTHERS", "signal"): ("self", "signal"),
        },
    )


def makeGraph(port="tcp:1501", backplane="CHAT"):
    """
    Return the chat server: a L{Backplane} and a L{SimpleServer} on the
    endpoint C{port} whose users are called guest1, guest2, ...
    """
    names = count(1)
    return Graphline(
        BACKPLANE=Backplane(backplane),
        SERVER=SimpleServer(protocol=lambda: chatter(b"guest%d" % next(names), backplane), endpoint=port),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description="A line-based chat server on a Backplane.")
    parser.add_argument("endpoint", nargs="?", default="tcp:1501", help="server endpoint (default tcp:1501)")
    runProgram(makeGraph(parser.parse_args(argv).endpoint), "chat_server")


if __name__ == "__main__":
    main()
