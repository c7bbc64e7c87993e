"""
Tests for the C{kamaelia} twistd plugin: its options in process, and real
C{twistd -n kamaelia ...} processes serving over loopback.
"""

import os
import re
import signal
import sys

from twisted.application.service import IServiceMaker
from twisted.internet import defer, reactor, utils
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.internet.error import ProcessTerminated
from twisted.internet.protocol import ProcessProtocol
from twisted.plugin import getPlugins
from twisted.python.usage import UsageError
from twisted.trial import unittest

from kamaelia_twisted.net import SimpleServer
from kamaelia_twisted.service import GraphService
from kamaelia_twisted.tap import Options, makeService

from .nethelpers import Recorder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ECHO_GRAPH = os.path.join("examples", "echo_graph.py")
TWISTD = "import sys; sys.argv[0] = 'twistd'; from twisted.scripts.twistd import run; run()"


def twistdEnvironment():
    return dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))


def twistdArguments(*arguments):
    return [sys.executable, "-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia"] + list(arguments)


class Twistd(ProcessProtocol):
    """
    A twistd process: C{listening} fires with the port it listens on (read
    from its log), C{ended} with the reason it ended.
    """

    def __init__(self):
        self.output = b""
        self.listening = defer.Deferred()
        self.ended = defer.Deferred()

    def outReceived(self, data):
        self.output += data
        found = re.search(rb"starting on (\d+)", self.output)
        if found and not self.listening.called:
            self.listening.callback(int(found.group(1)))

    errReceived = outReceived

    def processEnded(self, reason):
        if not self.listening.called:
            self.listening.errback(reason)
        self.ended.callback(reason.value)


class Expect(Recorder):
    """
    A client whose C{enough} fires with the bytes received once there are
    C{count} of them.
    """

    def __init__(self, count):
        Recorder.__init__(self)
        self.count = count
        self.enough = defer.Deferred()

    def dataReceived(self, data):
        Recorder.dataReceived(self, data)
        if len(self.received) >= self.count and not self.enough.called:
            self.enough.callback(bytes(self.received))


class OptionsTests(unittest.TestCase):
    """
    The options make the graph, or say clearly why they cannot.
    """

    def parse(self, *arguments):
        options = Options()
        options.parseOptions(list(arguments))
        return options

    def assertUsageError(self, message, *arguments):
        error = self.assertRaises(UsageError, self.parse, *arguments)
        self.assertEqual(str(error), message)

    def test_pluginIsFound(self):
        names = [maker.tapname for maker in getPlugins(IServiceMaker)]
        self.assertIn("kamaelia", names)

    def test_graphFromFile(self):
        options = self.parse("--graph", os.path.join(ROOT, ECHO_GRAPH) + ":makeGraph", "--arg", "port=tcp:0")
        self.assertIsInstance(options.graph, SimpleServer)
        self.assertEqual(options.graph.endpoint, "tcp:0")
        service = makeService(options)
        self.assertIsInstance(service, GraphService)
        self.assertIs(service.graph, options.graph)
        self.assertEqual(service.stopTimeout, 10.0)

    def test_graphFromModule(self):
        options = self.parse("--graph", "kamaelia_twisted.util:Collect", "--stop-timeout", "2.5")
        self.assertEqual(type(options.graph).__name__, "Collect")
        self.assertEqual(makeService(options).stopTimeout, 2.5)

    def test_echoCommand(self):
        options = self.parse("echo", "--port", "tcp:0")
        self.assertIsInstance(options.graph, SimpleServer)
        self.assertEqual(options.graph.endpoint, "tcp:0")

    def test_missingFile(self):
        self.assertUsageError("no such file: nowhere/graph.py", "--graph", "nowhere/graph.py:makeGraph")

    def test_missingModule(self):
        self.assertUsageError("cannot import module 'no_such_module_here': No module named 'no_such_module_here'",
                              "--graph", "no_such_module_here:makeGraph")

    def test_missingAttribute(self):
        self.assertUsageError("kamaelia_twisted.util has no 'makeGraph'",
                              "--graph", "kamaelia_twisted.util:makeGraph")

    def test_notCallable(self):
        self.assertUsageError("os:sep is '/', not a callable", "--graph", "os:sep")

    def test_notAComponent(self):
        self.assertUsageError("os.path:join: TypeError: join returned '', not a component",
                              "--graph", "os.path:join", "--arg", "a=")

    def test_badArguments(self):
        error = self.assertRaises(UsageError, self.parse, "--graph", os.path.join(ROOT, ECHO_GRAPH) + ":makeGraph",
                                  "--arg", "colour=red")
        self.assertIn("TypeError: makeGraph() got an unexpected keyword argument 'colour'", str(error))

    def test_malformed(self):
        self.assertUsageError("--graph takes PATH_OR_MODULE:CALLABLE, not 'examples/echo_graph.py'",
                              "--graph", "examples/echo_graph.py")
        self.assertUsageError("--arg takes NAME=VALUE, not 'port'", "--arg", "port")

    def test_nothingToRun(self):
        self.assertUsageError("give --graph PATH_OR_MODULE:CALLABLE or a command")
        self.assertUsageError("give --graph or a command, not both",
                              "--graph", "kamaelia_twisted.util:Collect", "echo")


class TwistdTests(unittest.TestCase):
    """
    Real twistd processes.
    """

    @defer.inlineCallbacks
    def serve(self, arguments, request, expected):
        """
        Start twistd with C{arguments}, send C{request} to the port it logs,
        check the answer is C{expected}, then stop it with SIGTERM.

        @return: the process's output.
        """
        twistd = Twistd()
        process = reactor.spawnProcess(twistd, sys.executable, twistdArguments(*arguments),
                                       env=twistdEnvironment(), path=ROOT)
        try:
            port = yield twistd.listening
            client = Expect(len(expected))
            yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), client)
            client.transport.write(request)
            answer = yield client.enough
            self.assertEqual(answer, expected)
            client.transport.loseConnection()
            yield client.done
        finally:
            if twistd.ended.called is False:
                process.signalProcess("TERM")
            reason = yield twistd.ended
        # twistd ends by re-raising the signal that stopped it, once the
        # services have stopped and the reactor has returned.
        self.assertIsInstance(reason, ProcessTerminated)
        self.assertEqual((reason.exitCode, reason.signal), (None, signal.SIGTERM))
        output = twistd.output.decode()
        self.assertIn("Received SIGTERM, shutting down.", output)
        self.assertRegex(output, r"graph SimpleServer_\d+ stopped")
        self.assertIn("Server Shut Down.", output)
        self.assertNotIn("Traceback", output)
        return output

    def test_echoGraph(self):
        return self.serve(["--graph", ECHO_GRAPH + ":makeGraph", "--arg", "port=tcp:0:interface=127.0.0.1"],
                          b"hello\r\nworld\r\n", b"hello\r\nworld\r\n")

    def test_echoCommand(self):
        return self.serve(["echo", "--port", "tcp:0:interface=127.0.0.1"], b"ping", b"ping")

    @defer.inlineCallbacks
    def test_badGraph(self):
        out, err, code = yield utils.getProcessOutputAndValue(
            sys.executable, twistdArguments("--graph", "examples/no_such_graph.py:makeGraph")[1:],
            env=twistdEnvironment(), path=ROOT)
        self.assertEqual(code, 1)
        self.assertIn(b"twistd -n: no such file: examples/no_such_graph.py", out)

