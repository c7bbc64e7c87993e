"""
Draw the example graphs of the documentation as SVG pictures, from the graphs
themselves: each is built (and, for the server, run briefly on loopback),
read with L{kamaelia_twisted.introspect.snapshot}, written as DOT with
L{kamaelia_twisted.introspect.toDot} and drawn by Graphviz's C{dot}::

    python -m tools.drawgraphs              # into doc/images
    python -m tools.drawgraphs /tmp/pictures

Components are named after their role (a L{Graphline}'s name for them, else
their type, numbered when there are several), so a picture changes only when
its graph does.
"""

import argparse
import collections
import os
import subprocess
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from twisted.internet import defer, task  # noqa: E402
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol  # noqa: E402
from twisted.internet.protocol import Protocol  # noqa: E402

from kamaelia_twisted import Graphline, shutdownMicroprocess  # noqa: E402
from kamaelia_twisted.apps.vorbis import vorbisClient  # noqa: E402
from kamaelia_twisted.introspect import components, snapshot, toDot  # noqa: E402
from kamaelia_twisted.net import SimpleServer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, "doc", "images")
sys.path.insert(0, os.path.join(ROOT, "examples"))

from echo_server import EchoProtocol  # noqa: E402
from slideshow import IMAGES as SLIDES, imageFiles, slideshow  # noqa: E402


def roleNames(seen, found):
    """
    Return C{seen}, a snapshot, with each component renamed after its role:
    its name in a L{Graphline} if it has one, else its type, numbered in
    order of appearance when the snapshot holds several of that type.

    @param seen: a L{snapshot}.
    @param found: the components of C{seen}.
    """
    names = {}
    for component in found:
        if isinstance(component, Graphline):
            names.update((child.name, key) for key, child in component.components.items())
    unnamed = [c for c in seen["components"] if c["name"] not in names]
    types = collections.Counter(c["type"] for c in unnamed)
    numbers = collections.Counter()
    for c in unnamed:
        numbers[c["type"]] += 1
        several = types[c["type"]] > 1
        names[c["name"]] = "{} {}".format(c["type"], numbers[c["type"]]) if several else c["type"]
    return {
        "components": [dict(c, name=names[c["name"]], parent=names.get(c["parent"])) for c in seen["components"]],
        "links": [{end: [names[link[end][0]], link[end][1]] for end in ("source", "sink")}
                  for link in seen["links"]],
    }


def picture(roots):
    """
    Return the SVG of the graph reachable from C{roots}, drawn left to right.

    @param roots: components.
    @return: the SVG, as bytes.
    """
    dot = toDot(roleNames(snapshot(roots), components(roots)))
    return subprocess.run(["dot", "-Tsvg", "-Grankdir=LR"], input=dot.encode(), stdout=subprocess.PIPE,
                          check=True).stdout


class Ask(Protocol):
    """
    Send one message and fire C{answered} with the first reply: once it has,
    the server's handler for this connection is running.
    """

    def __init__(self):
        self.answered = defer.Deferred()

    def connectionMade(self):
        self.transport.write(b"hello")

    def dataReceived(self, data):
        if not self.answered.called:
            self.answered.callback(data)


@defer.inlineCallbacks
def serverPicture(reactor, connections=2):
    """
    Run the echo server of examples/echo_server.py on loopback, connect
    C{connections} clients, and draw the server while they are connected.

    @return: a L{Deferred<twisted.internet.defer.Deferred>} firing with the SVG.
    """
    server = SimpleServer(protocol=EchoProtocol, endpoint="tcp:0:interface=127.0.0.1", reactor=reactor).activate()
    port = (yield server.whenListening()).getHost().port
    for _ in range(connections):
        ask = yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), Ask())
        yield ask.answered
    svg = picture([server])
    server.inboxes["control"].deliver(shutdownMicroprocess())
    yield server.whenDone()
    return svg


def main(reactor, folder=IMAGES):
    """
    Draw every picture into C{folder}.
    """
    os.makedirs(folder, exist_ok=True)
    pictures = {
        "slideshow-graph.svg": picture([slideshow(imageFiles(SLIDES))]),
        "vorbis-client-graph.svg": picture([vorbisClient("127.0.0.1", 1500, reactor=reactor)]),
    }

    def write(server):
        pictures["server-graph.svg"] = server
        for name, svg in sorted(pictures.items()):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(svg)
            print(os.path.join(folder, name))

    return serverPicture(reactor).addCallback(write)


def run(reactor, argv):
    """
    Parse the command line C{argv} and draw the pictures; any error ends the
    program with one line on stderr.
    """
    parser = argparse.ArgumentParser(prog="python -m tools.drawgraphs",
                                     description="Draw the documentation's pictures of the example graphs.")
    parser.add_argument("folder", nargs="?", default=IMAGES, help="where to write them (default: doc/images)")
    folder = parser.parse_args(argv).folder
    return defer.maybeDeferred(main, reactor, folder).addErrback(
        lambda failure: sys.exit("drawgraphs: {}".format(failure.getErrorMessage())))


if __name__ == "__main__":
    task.react(run, [sys.argv[1:]])
