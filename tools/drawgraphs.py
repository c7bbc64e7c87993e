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

import os
import subprocess
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from twisted.internet import defer, task  # noqa: E402
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol  # noqa: E402
from twisted.internet.protocol import Protocol  # noqa: E402

from kamaelia_twisted import Component, Graphline, shutdownMicroprocess  # noqa: E402
from kamaelia_twisted.apps.vorbis import vorbisClient  # noqa: E402
from kamaelia_twisted.introspect import snapshot, toDot  # noqa: E402
from kamaelia_twisted.net import SimpleServer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, "doc", "images")
sys.path.insert(0, os.path.join(ROOT, "examples"))

from slideshow import IMAGES as SLIDES, imageFiles, slideshow  # noqa: E402


def roleNames(seen, components):
    """
    Return C{seen}, a snapshot, with each component renamed after its role:
    its name in a L{Graphline} if it has one, else its type, numbered in
    order of appearance when the snapshot holds several of that type.

    @param seen: a L{snapshot}.
    @param components: the components of C{seen}.
    """
    named = {}
    for component in components:
        if isinstance(component, Graphline):
            named.update((child.name, key) for key, child in sorted(component.components.items()))
    types = [c["type"] for c in seen["components"] if c["name"] not in named]
    counts = {}
    for c in seen["components"]:
        if c["name"] not in named:
            counts[c["type"]] = counts.get(c["type"], 0) + 1
            several = types.count(c["type"]) > 1
            named[c["name"]] = "{} {}".format(c["type"], counts[c["type"]]) if several else c["type"]
    rename = lambda name: named.get(name, name)  # noqa: E731
    return {
        "components": [dict(c, name=rename(c["name"]), parent=c["parent"] and rename(c["parent"]))
                       for c in seen["components"]],
        "links": [{"source": [rename(link["source"][0]), link["source"][1]],
                   "sink": [rename(link["sink"][0]), link["sink"][1]]} for link in seen["links"]],
    }


def picture(roots):
    """
    Return the SVG of the graph reachable from C{roots}, drawn left to right.

    @param roots: components.
    @return: the SVG, as bytes.
    """
    from kamaelia_twisted.introspect import components
    dot = toDot(roleNames(snapshot(roots), components(roots)))
    return subprocess.run(["dot", "-Tsvg", "-Grankdir=LR"], input=dot.encode(), stdout=subprocess.PIPE,
                          check=True).stdout


class Echo(Component):
    """
    Send back what arrives, until told to stop.
    """

    def main(self):
        while not self.dataReady("control"):
            while self.dataReady("inbox"):
                self.send(self.recv("inbox"))
            self.pause()
            yield 1
        self.send(self.recv("control"), "signal")


class Ask(Protocol):
    """
    Send one message and fire C{answered} with the first reply.
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
    Run a L{SimpleServer} of L{Echo} handlers on loopback, connect
    C{connections} clients, and draw the server while they are connected.

    @return: a L{Deferred<twisted.internet.defer.Deferred>} firing with the SVG.
    """
    server = SimpleServer(protocol=Echo, endpoint="tcp:0:interface=127.0.0.1", reactor=reactor).activate()
    port = (yield server.whenListening()).getHost().port
    clients = []
    for _ in range(connections):
        ask = yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), Ask())
        yield ask.answered
        clients.append(ask)
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


if __name__ == "__main__":
    task.react(main, sys.argv[1:])
