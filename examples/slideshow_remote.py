"""
The slideshow with a TCP remote control, in one reactor: every line a client
sends ("NEXT", "PREV", "FIRST", "LAST", "SAME") drives the slideshow's
Chooser, as its buttons do.

    python examples/slideshow_remote.py [FOLDER] [--port 1500]

and, from another terminal:

    printf 'NEXT\\nLAST\\n' | nc -q1 127.0.0.1 1500

Each connection is served by a Twisted line protocol inside a graph, which
publishes the commands on a Backplane; the slideshow subscribes to it.
"""

import argparse
import sys

from twisted.protocols.basic import LineOnlyReceiver

from kamaelia_twisted import Backplane, Graphline, PublishTo, SubscribeTo
from kamaelia_twisted.net import ProtocolComponent, SimpleServer
from kamaelia_twisted.program import runProgram
from slideshow import IMAGES, imageFolder, slideshow

REMOTE = "SLIDESHOW REMOTE"
COMMANDS = ("NEXT", "PREV", "FIRST", "LAST", "SAME")


class RemoteCommands(LineOnlyReceiver):
    """
    Take one command a line, answering "OK <command>" or "ERROR ...".
    """

    delimiter = b"\n"

    def lineReceived(self, line):
        command = line.strip().decode("ascii", "replace").upper()
        if command in COMMANDS:
            self.command(command)
            self.sendLine(b"OK " + command.encode("ascii"))
        else:
            self.sendLine(b"ERROR unknown command; try " + " ".join(COMMANDS).encode("ascii"))

    def command(self, command):
        """
        A valid command; in the graph, it leaves on C{parsed}.
        """


def remoteControl():
    """
    Return the handler of one connection: its commands go to the backplane.
    """
    return Graphline(
        PROTOCOL=ProtocolComponent(RemoteCommands, parsedMethod="command"),
        PUBLISH=PublishTo(REMOTE),
        linkages={
            ("self", "inbox"): ("PROTOCOL", "inbox"),
            ("self", "control"): ("PROTOCOL", "control"),
            ("PROTOCOL", "outbox"): ("self", "outbox"),
            ("PROTOCOL", "parsed"): ("PUBLISH", "inbox"),
            ("PROTOCOL", "signal"): ("PUBLISH", "control"),
            ("PUBLISH", "signal"): ("self", "signal"),
        },
    )


def remoteSlideshow(files, endpoint="tcp:1500"):
    """
    Return the slideshow over C{files} with a remote control listening on
    C{endpoint}; closing the window ends it all.
    """
    show = slideshow(files)
    commands = SubscribeTo(REMOTE)
    show.addChildren(commands)
    show.link((commands, "outbox"), (show.components["CHOOSER"], "inbox"))
    return Graphline(
        BACKPLANE=Backplane(REMOTE),
        SERVER=SimpleServer(protocol=remoteControl, endpoint=endpoint),
        SLIDESHOW=show,
    )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=imageFolder, default=IMAGES, help="a folder of images")
    parser.add_argument("--port", type=int, default=1500, help="the remote control's TCP port")
    parser.add_argument("--interface", default="", help="the address to listen on (default: all)")
    options = parser.parse_args(argv)
    endpoint = "tcp:{}".format(options.port)
    if options.interface:
        endpoint += ":interface=" + options.interface
    graph = remoteSlideshow(options.folder, endpoint)
    graph.components["SERVER"].whenListening().addCallbacks(
        lambda port: print("remote control on port", port.getHost().port, flush=True),
        lambda failure: None)  # runProgram reports it
    runProgram(graph, "slideshow_remote")


if __name__ == "__main__":
    main(sys.argv[1:])
