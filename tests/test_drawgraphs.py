"""
The pictures in doc/images are drawn from the example graphs by
C{python -m tools.drawgraphs}, and are current: drawn again, each has the
same clusters, nodes, edges and labels (the layout's coordinates may differ
between Graphviz versions, so they are not compared).
"""

import collections
import os
import shutil
import sys
import xml.etree.ElementTree as ET

from twisted.internet import utils
from twisted.trial import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, "doc", "images")
SVG = "{http://www.w3.org/2000/svg}"


def drawn(path):
    """
    Return what the SVG picture at C{path} shows: a count of its clusters,
    nodes and edges, each as (kind, title, texts).
    """
    seen = collections.Counter()
    for group in ET.parse(path).iter(SVG + "g"):
        kind = group.get("class")
        if kind in ("cluster", "node", "edge"):
            texts = tuple(text.text for text in group.iter(SVG + "text"))
            seen[kind, group.find(SVG + "title").text, texts] += 1
    return seen


class DrawGraphsTests(unittest.TestCase):
    def setUp(self):
        if shutil.which("dot") is None:
            raise unittest.SkipTest("Graphviz's dot is not installed (Debian: apt-get install graphviz)")

    def test_picturesAreCurrent(self):
        folder = os.path.abspath(self.mktemp())
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
        d = utils.getProcessOutputAndValue(sys.executable, ["-m", "tools.drawgraphs", folder], env=env, path=ROOT)

        def check(result):
            out, err, code = result
            self.assertEqual(code, 0, err.decode(errors="replace"))
            names = sorted(name for name in os.listdir(folder) if name.endswith(".svg"))
            self.assertEqual(names, ["server-graph.svg", "slideshow-graph.svg", "vorbis-client-graph.svg"])
            for name in names:
                self.assertIn(os.path.join(folder, name), out.decode().split())
                committed = os.path.join(IMAGES, name)
                self.assertTrue(os.path.exists(committed), "{} is not in doc/images".format(name))
                fresh, old = drawn(os.path.join(folder, name)), drawn(committed)
                self.assertEqual((sorted(old - fresh), sorted(fresh - old)), ([], []),
                                 "doc/images/{} is out of date (drawn: the first list; now: the second): "
                                 "run python -m tools.drawgraphs".format(name))

        return d.addCallback(check)

    def test_serverWithHandlers(self):
        """
        The server's picture shows its two connections, each linked both
        ways with its handler.
        """
        seen = drawn(os.path.join(IMAGES, "server-graph.svg"))
        nodes = sorted(title for kind, title, _ in seen if kind == "node")
        self.assertEqual(nodes, ["Connection 1", "Connection 2", "EchoProtocol 1", "EchoProtocol 2", "SimpleServer"])
        edges = {(title, texts) for kind, title, texts in seen if kind == "edge"}
        for n in (1, 2):
            self.assertIn(("Connection {0}->EchoProtocol {0}".format(n), ("outbox -> inbox",)), edges)
            self.assertIn(("EchoProtocol {0}->Connection {0}".format(n), ("outbox -> inbox",)), edges)


class CommandLineTests(unittest.TestCase):
    def drawgraphs(self, *args, **environment):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path), **environment)
        return utils.getProcessOutputAndValue(sys.executable, ["-m", "tools.drawgraphs"] + list(args),
                                              env=env, path=ROOT)

    def test_help(self):
        """
        C{--help} prints the usage and draws nothing.
        """
        def check(result):
            out, err, code = result
            self.assertEqual((code, err), (0, b""))
            self.assertTrue(out.startswith(b"usage: python -m tools.drawgraphs [-h] [folder]"), out)
            self.assertFalse(os.path.exists(os.path.join(ROOT, "--help")))

        return self.drawgraphs("--help").addCallback(check)

    def test_withoutGraphviz(self):
        """
        Without Graphviz's C{dot}: one line on stderr saying so, status 1.
        """
        folder = os.path.abspath(self.mktemp())

        def check(result):
            out, err, code = result
            self.assertEqual((code, err.decode().splitlines()),
                             (1, ["drawgraphs: [Errno 2] No such file or directory: 'dot'"]))

        return self.drawgraphs(folder, PATH=os.path.abspath(self.mktemp())).addCallback(check)
