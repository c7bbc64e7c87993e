"""
The core examples, run as real programs, and what every example does as a
program: answer C{--help}, and report a port in use in one line.
"""

import os
import sys

from twisted.internet import defer, reactor, utils
from twisted.internet.protocol import Factory, Protocol
from twisted.trial import unittest

from tests.children import ROOT, childEnvironment, runChild

EXAMPLES = os.path.join(ROOT, "examples")


def runExample(name, *args):
    """
    Run C{examples/name} with C{args}; fire with (stdout text, exit code).
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    d = utils.getProcessOutputAndValue(
        sys.executable, [os.path.join(ROOT, "examples", name)] + list(args), env=env, path=ROOT)
    return d.addCallback(lambda result: (result[0].decode(), result[2]))


class CoreExampleTests(unittest.TestCase):
    def textFile(self, text):
        """
        Write C{text} to a new file; return its absolute path.
        """
        path = os.path.abspath(self.mktemp())
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_wordcountPipeline(self):
        path = self.textFile("the cat and the hat\nThe end.\n")

        def check(result):
            out, code = result
            self.assertEqual(code, 0)
            self.assertEqual(out.split("\n")[:2], ["     3  the", "     1  cat"])

        return runExample("wordcount_pipeline.py", path, "--top", "2").addCallback(check)

    def test_wordcountMissingFile(self):
        d = runExample("wordcount_pipeline.py", os.path.abspath(self.mktemp()))
        return d.addCallback(lambda result: self.assertEqual(result[1], 1))

    def test_kamaeliaStyleGraphline(self):
        def check(result):
            out, code = result
            self.assertEqual(code, 0)
            self.assertEqual(out.splitlines(), [
                "now showing: intro.png", "now showing: middle.png",
                "now showing: end.png", "now showing: intro.png"])

        return runExample("kamaelia_style_graphline.py", "--ticks", "4").addCallback(check)

    def test_processPipeline(self):
        path = self.textFile("pear\napple\npear\n")

        def check(result):
            out, code = result
            self.assertEqual(code, 0)
            self.assertEqual(out.split(), ["1", "apple", "2", "pear"])

        return runExample("process_pipeline.py", path).addCallback(check)

    @defer.inlineCallbacks
    def test_processPipelineMissingFile(self):
        path = os.path.abspath(self.mktemp())
        child, code = yield runChild(self, ["examples/process_pipeline.py", path])
        self.assertEqual((child.out, child.err.decode(), code), (
            b"", "process_pipeline: cannot read {!r}: No such file or directory\n".format(path), 1))

    @defer.inlineCallbacks
    def test_blockingServiceCannotCreate(self):
        path = os.path.join(os.path.abspath(self.mktemp()), "db.sqlite")  # in a folder that is not there
        child, code = yield runChild(self, ["examples/blocking_service.py", path, "reactor"])
        self.assertEqual((child.out, child.err.decode(), code), (
            b"", "blocking_service: cannot create {}: unable to open database file\n".format(path), 1))


class ProgramTests(unittest.TestCase):
    """
    Every example behaves like a command-line program.
    """

    @defer.inlineCallbacks
    def test_help(self):
        """
        Every program in examples/ answers C{--help} with its usage and exit
        status 0 (a Kamaelia program run with C{python -m kamaelia_twisted.axon}).
        poolwork.py is left out: it is not a program but the module
        of work functions that the pool examples' worker processes import.
        slideshow.py and echo_graph.py are imported by others too (by
        slideshow_remote.py and by twistd) but are also programs, so they are in.
        """
        names = sorted(name for name in os.listdir(EXAMPLES) if name.endswith(".py") and name != "poolwork.py")
        self.assertIn("vorbis_client.py", names)
        wrong = []
        for name in names:
            path = os.path.join("examples", name)
            with open(os.path.join(EXAMPLES, name)) as source:
                kamaelia = "from Kamaelia" in source.read()  # a Kamaelia program: run as its docstring says
            runner = ["-m", "kamaelia_twisted.axon"] if kamaelia else []
            child, code = yield runChild(self, runner + [path, "--help"])
            if code != 0 or not child.out.startswith(b"usage: " + name.encode()):
                wrong.append((name, code, child.out[:80], child.err[-300:]))
        self.assertEqual(wrong, [])


class PortInUseTests(unittest.TestCase):
    """
    A server example given a port that is in use says so in one line on
    stderr and exits with status 1, without a traceback.
    """

    def holdPort(self):
        """
        Listen on a loopback port until the test ends; return its number.
        """
        port = reactor.listenTCP(0, Factory.forProtocol(Protocol), interface="127.0.0.1")
        self.addCleanup(port.stopListening)
        return port.getHost().port

    @defer.inlineCallbacks
    def assertPortInUse(self, name, *args, env=None):
        """
        Run C{examples/name} with C{args} (C{{port}} in them is replaced by a
        port in use) and check that it fails in one line.
        """
        port = self.holdPort()
        args = [arg.format(port=port) for arg in args]
        child, code = yield runChild(self, [os.path.join("examples", name)] + args, env)
        err = child.err.decode()
        self.assertEqual(code, 1, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertRegex(err, r"^{}: Couldn't listen on .*:{}: .*Address already in use".format(
            name[:-len(".py")], port))

    def test_echoServer(self):
        return self.assertPortInUse("echo_server.py", "--port", "{port}")

    def test_echoGraph(self):
        return self.assertPortInUse("echo_graph.py", "tcp:{port}:interface=127.0.0.1")

    def test_chatServer(self):
        return self.assertPortInUse("chat_server.py", "tcp:{port}:interface=127.0.0.1")

    def test_poolServer(self):
        return self.assertPortInUse("pool_server.py", "--port", "{port}")

    def test_vorbisServer(self):
        return self.assertPortInUse("vorbis_server.py", "--port", "tcp:{port}:interface=127.0.0.1")

    def test_slideshowRemote(self):
        env = childEnvironment(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
        return self.assertPortInUse("slideshow_remote.py", "--port", "{port}", "--interface", "127.0.0.1",
                                    env=env)


class BadOptionTests(unittest.TestCase):
    """
    An example given an option value it cannot use says so as a usage
    error (exit status 2, the error on the last line), without a traceback.
    """

    @defer.inlineCallbacks
    def assertUsageError(self, name, *args, error):
        child, code = yield runChild(self, [os.path.join("examples", name)] + list(args))
        err = child.err.decode()
        self.assertEqual((code, err.splitlines()[-1]), (2, "{}: error: {}".format(name, error)), err)
        self.assertNotIn("Traceback", err)

    @defer.inlineCallbacks
    def test_poolServer(self):
        yield self.assertUsageError("pool_server.py", "--limit", "0", error="argument --limit: must be positive, not 0")
        yield self.assertUsageError("pool_server.py", "--limit", "-1",
                                    error="argument --limit: must be positive, not -1")
        yield self.assertUsageError("pool_server.py", "--queue", "-1",
                                    error="argument --queue: must be 0 or more, not -1")
        yield self.assertUsageError("pool_server.py", "--size", "-3",
                                    error="argument --size: must be 0 or more, not -3")

    @defer.inlineCallbacks
    def test_countsMustBePositive(self):
        yield self.assertUsageError("wordcount_pipeline.py", "README.md", "--top", "0",
                                    error="argument --top: must be positive, not 0")
        yield self.assertUsageError("kamaelia_style_graphline.py", "--ticks", "-2",
                                    error="argument --ticks: must be positive, not -2")

    @defer.inlineCallbacks
    def test_radioListen(self):
        yield self.assertUsageError(
            "radio_listen.py", "--multicast", "10.0.0.1:1600",
            error="argument --multicast: '10.0.0.1:1600' is not GROUP:PORT with a multicast group (224.0.0.0/4)"
                  " and a port in 1-65535")
        yield self.assertUsageError("radio_listen.py", "--multicast", "239.255.42.1:1600", "--seconds", "-1",
                                    error="argument --seconds: must be positive, not -1")

    @defer.inlineCallbacks
    def test_vorbisServer(self):
        yield self.assertUsageError("vorbis_server.py", "--speed", "0", error="argument --speed: must be positive, not 0")
        yield self.assertUsageError("vorbis_server.py", "--bitrate", "-5",
                                    error="argument --bitrate: must be positive, not -5")
