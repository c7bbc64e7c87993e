"""
Tests for the C{kamaelia} twistd plugin: its options in process, real
C{twistd -n kamaelia ...} processes serving over loopback and ending with
the right exit status, and the C{twistd} script of a fresh virtualenv with
the project installed, as the README uses it.
"""

import os
import re
import shutil
import signal
import sys
import tempfile
import wave

from twisted.application.service import IServiceMaker
from twisted.internet import defer, reactor, utils
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.internet.error import ProcessExitedAlready, ProcessTerminated
from twisted.internet.protocol import Factory, ProcessProtocol, Protocol
from twisted.plugin import getPlugins
from twisted.python.usage import UsageError
from twisted.trial import unittest

from kamaelia_twisted import shutdownMicroprocess
from kamaelia_twisted.apps.tap import Options, TwistdGraphService, makeService
from kamaelia_twisted.apps.vorbis import vorbisServer
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.net import SimpleServer, TCPClient

from .children import spawn
from .nethelpers import Recorder, freePort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ECHO_GRAPH = os.path.join("examples", "echo_graph.py")
TWISTD = "import sys; sys.argv[0] = 'twistd'; from twisted.scripts.twistd import run; run()"
LOOPBACK = "tcp:0:interface=127.0.0.1"

JOB = """
from kamaelia_twisted import Component


class Job(Component):
    def __init__(self, fail):
        Component.__init__(self)
        self.fail = fail

    def main(self):
        yield 1
        if self.fail == "yes":
            raise RuntimeError("the job went wrong")


def makeGraph(fail):
    return Job(fail)
"""


def twistdEnvironment(**changes):
    return dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path), PYGAME_HIDE_SUPPORT_PROMPT="1",
                **changes)


def twistdArguments(*arguments):
    return [sys.executable, "-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia"] + list(arguments)


def runTwistd(*arguments, **environment):
    """
    Run C{twistd -n kamaelia ARGUMENTS} to its end.

    @param environment: variables to set for it.
    @return: a L{Deferred} firing with its output (stdout and stderr, as
        text) and exit status.
    """
    d = utils.getProcessOutputAndValue(sys.executable, twistdArguments(*arguments)[1:],
                                       env=twistdEnvironment(**environment), path=ROOT)
    return d.addCallback(lambda result: ((result[0] + result[1]).decode(), result[2]))


def wavSeconds(path):
    """
    Return how many seconds of audio the WAV file C{path} holds.
    """
    with wave.open(path, "rb") as wav:
        return wav.getnframes() / wav.getframerate()


class Garbage(Protocol):
    """
    Send each client a few bytes that are not Ogg, then hang up.
    """

    def connectionMade(self):
        self.transport.write(b"this is not an Ogg stream\n" * 100)
        self.transport.loseConnection()


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
            self.listening.errback(Exception("twistd ended before it listened:\n" + self.output.decode()))
        self.ended.callback(reason.value)

    def stop(self):
        """
        Send SIGTERM, unless twistd has ended; return L{ended}.
        """
        try:
            self.transport.signalProcess("TERM")
        except ProcessExitedAlready:
            pass
        return self.ended


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


@defer.inlineCallbacks
def echoThenStop(testCase, command, env, path, request=b"ping", expected=b"ping"):
    """
    Start C{command}, a twistd serving an echo graph, send C{request} to the
    port it logs, check the answer is C{expected}, then stop it with SIGTERM
    and check that it stopped cleanly.

    @return: a L{Deferred} firing with the process's output.
    """
    twistd = Twistd()
    reactor.spawnProcess(twistd, command[0], command, env=env, path=path)
    try:
        port = yield twistd.listening
        client = Expect(len(expected))
        yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), client)
        client.transport.write(request)
        answer = yield client.enough
        testCase.assertEqual(answer, expected)
        client.transport.loseConnection()
        yield client.done
    finally:
        reason = yield twistd.stop()
    # twistd ends by re-raising the signal that stopped it, once the
    # services have stopped and the reactor has returned.
    testCase.assertIsInstance(reason, ProcessTerminated)
    testCase.assertEqual((reason.exitCode, reason.signal), (None, signal.SIGTERM))
    output = twistd.output.decode()
    testCase.assertIn("Received SIGTERM, shutting down.", output)
    testCase.assertRegex(output, r"graph SimpleServer_\d+ stopped")
    testCase.assertIn("Server Shut Down.", output)
    testCase.assertNotIn("Traceback", output)
    return output


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
        self.assertIsInstance(service, TwistdGraphService)
        self.assertIs(service.graph, options.graph)
        self.assertEqual(service.stopTimeout, 10.0)
        self.assertFalse(service.stopReactor)

    def test_graphFromModule(self):
        options = self.parse("--graph", "kamaelia_twisted.util:Collect", "--stop-timeout", "2.5")
        self.assertEqual(type(options.graph).__name__, "Collect")
        self.assertEqual(makeService(options).stopTimeout, 2.5)

    def test_graphFromNestedName(self):
        options = self.parse("--graph", "kamaelia_twisted.apps.vorbis:vorbisServer", "--arg", "filename=" + SAMPLE,
                             "--arg", "endpoint=tcp:0")
        self.assertIsInstance(options.graph, SimpleServer)

    def test_echoCommand(self):
        options = self.parse("echo", "--port", "tcp:0")
        self.assertIsInstance(options.graph, SimpleServer)
        self.assertEqual(options.graph.endpoint, "tcp:0")

    def test_badServerEndpoint(self):
        self.assertUsageError("Parameter type enforcement failed: 'nope:1500' is not a server endpoint: "
                              "Unknown endpoint type: 'nope'", "echo", "--port", "nope:1500")
        self.assertUsageError("Parameter type enforcement failed: 'tcp:port' is not a server endpoint: "
                              "invalid literal for int() with base 10: 'port'", "vorbis-server", "--port", "tcp:port")

    def test_vorbisClientPort(self):
        """
        C{vorbis-client --port} takes a port number (on C{--host}, by default
        the local host) or a client endpoint.
        """
        def tcpClient(*arguments):
            options = self.parse("vorbis-client", "--wav", "out.wav", *arguments)
            self.assertTrue(options["exit-when-done"])
            tcp = options.graph.childComponents()[0]
            self.assertIsInstance(tcp, TCPClient)
            return tcp.host, tcp.port, tcp.endpoint

        self.assertEqual(tcpClient(), ("127.0.0.1", 1500, None))
        self.assertEqual(tcpClient("--port", "1600"), ("127.0.0.1", 1600, None))
        self.assertEqual(tcpClient("--host", "example.org", "--port", "1600"), ("example.org", 1600, None))
        self.assertEqual(tcpClient("--port", "tcp:host=127.0.0.1:port=1600"),
                         (None, None, "tcp:host=127.0.0.1:port=1600"))

    def test_vorbisClientBadPort(self):
        self.assertUsageError("Parameter type enforcement failed: port 99999 is not in 1-65535",
                              "vorbis-client", "--port", "99999")
        self.assertUsageError("Parameter type enforcement failed: port 0 is not in 1-65535",
                              "vorbis-client", "--port", "0")
        self.assertUsageError("Parameter type enforcement failed: 'tcp:port=1500' is not a port number (1-65535) "
                              "or a client endpoint: TCP4ClientEndpoint.__init__() missing 1 required positional "
                              "argument: 'host'", "vorbis-client", "--port", "tcp:port=1500")
        self.assertUsageError("give --host with a port number, not with the endpoint 'tcp:host=a:port=1'",
                              "vorbis-client", "--host", "b", "--port", "tcp:host=a:port=1")

    def test_help(self):
        """
        The help of C{twistd kamaelia} and of each command has no doubled
        period where twistd adds a coercer's description to an option's.
        """
        for options in [Options()] + [command() for _, _, command, _ in Options.subCommands]:
            text = " ".join(str(options).split())
            self.assertIsNone(re.search(r"[^.]\.\.[^.]", text), text)

    def test_notPositive(self):
        """
        A C{--speed} or C{--bitrate} that is not positive is refused, and
        the error names the option.
        """
        self.assertUsageError("--bitrate must be positive, not -5", "vorbis-server", "--bitrate", "-5")
        self.assertUsageError("--speed must be positive, not 0.0", "vorbis-server", "--speed", "0")
        self.assertUsageError("--bitrate must be positive, not -5", "radio", "--bitrate", "-5")
        self.assertUsageError("--bitrate must be positive, not 0", "radio", "--bitrate", "0")
        self.assertUsageError("--speed must be positive, not -1.0", "radio", "--speed", "-1")

    def test_missingFile(self):
        self.assertUsageError("no such file: nowhere/graph.py", "--graph", "nowhere/graph.py:makeGraph")

    def test_missingModule(self):
        self.assertUsageError("cannot import module 'no_such_module_here': no such module",
                              "--graph", "no_such_module_here:makeGraph")

    def test_brokenModule(self):
        folder = os.path.abspath(self.mktemp())
        os.mkdir(folder)
        with open(os.path.join(folder, "broken_graph_module.py"), "w") as f:
            f.write("1 / 0\n")
        sys.path.insert(0, folder)
        self.addCleanup(sys.path.remove, folder)
        self.addCleanup(sys.modules.pop, "broken_graph_module", None)
        self.assertUsageError("cannot import module 'broken_graph_module': ZeroDivisionError: division by zero",
                              "--graph", "broken_graph_module:makeGraph")

    def test_missingAttribute(self):
        self.assertUsageError(
            "kamaelia_twisted.util:makeGraph: module 'kamaelia_twisted.util' has no attribute 'makeGraph'",
            "--graph", "kamaelia_twisted.util:makeGraph")
        self.assertUsageError(
            "kamaelia_twisted.nothing:makeGraph: module 'kamaelia_twisted' has no attribute 'nothing'",
            "--graph", "kamaelia_twisted.nothing:makeGraph")
        self.assertUsageError(
            "{0}:nothing: module 'echo_graph' has no attribute 'nothing'".format(os.path.join(ROOT, ECHO_GRAPH)),
            "--graph", os.path.join(ROOT, ECHO_GRAPH) + ":nothing")

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

    def serve(self, arguments, request, expected):
        return echoThenStop(self, twistdArguments(*arguments), twistdEnvironment(), ROOT, request, expected)

    def test_echoGraph(self):
        return self.serve(["--graph", ECHO_GRAPH + ":makeGraph", "--arg", "port=" + LOOPBACK],
                          b"hello\r\nworld\r\n", b"hello\r\nworld\r\n")

    def test_echoCommand(self):
        return self.serve(["echo", "--port", LOOPBACK], b"ping", b"ping")

    @defer.inlineCallbacks
    def test_badGraph(self):
        output, code = yield runTwistd("--graph", "examples/no_such_graph.py:makeGraph")
        self.assertEqual(code, 1)
        self.assertIn("twistd -n: no such file: examples/no_such_graph.py", output)


class ExitStatusTests(unittest.TestCase):
    """
    twistd ends with exit status 1, saying why in one line, when its graph
    cannot run; a one-shot graph that succeeds ends it with status 0.
    """

    def serve(self, factory):
        """
        Listen on a free loopback port with C{factory} until the test ends.

        @return: a L{Deferred} firing with the port number.
        """
        port = reactor.listenTCP(0, factory, interface="127.0.0.1")
        self.addCleanup(port.stopListening)
        return defer.succeed(port.getHost().port)

    @defer.inlineCallbacks
    def serveVorbis(self):
        server = vorbisServer(SAMPLE, endpoint=LOOPBACK, speed=50).activate()

        def stop():
            server.inboxes["control"].deliver(shutdownMicroprocess())
            return server.whenDone()

        self.addCleanup(stop)
        return (yield server.whenListening()).getHost().port

    def assertFailed(self, result, reason):
        """
        Check that twistd exited with status 1 after logging that its graph
        failed because of C{reason} (a regular expression), in one line and
        no traceback, and stopped cleanly.
        """
        output, code = result
        self.assertEqual(code, 1, output)
        self.assertRegex(output, r"graph \w+_\d+ failed while its service was running: " + reason)
        self.assertNotIn("Traceback", output)
        self.assertNotIn("#critical", output)
        self.assertIn("Server Shut Down.", output)

    @defer.inlineCallbacks
    def test_portInUse(self):
        port = yield self.serve(Factory.forProtocol(Protocol))
        result = yield runTwistd("echo", "--port", "tcp:{}:interface=127.0.0.1".format(port))
        self.assertFailed(result, re.escape("Couldn't listen on 127.0.0.1:{}: [Errno 98] Address already in use."
                                            .format(port)))

    @defer.inlineCallbacks
    def test_inspectPortInUse(self):
        """
        An inspector that cannot listen fails twistd as its graph would.
        """
        port = yield self.serve(Factory.forProtocol(Protocol))
        result = yield runTwistd("--inspect", "tcp:{}:interface=127.0.0.1".format(port), "echo", "--port", "tcp:0")
        self.assertFailed(result, re.escape("Couldn't listen on 127.0.0.1:{}: [Errno 98] Address already in use."
                                            .format(port)))

    @defer.inlineCallbacks
    def test_portOutOfRange(self):
        self.assertFailed((yield runTwistd("echo", "--port", "tcp:99999")), re.escape("bind(): port must be 0-65535."))

    @defer.inlineCallbacks
    def test_badEndpoint(self):
        """
        A malformed endpoint is a usage error: twistd prints its usage and
        the reason, and starts nothing.
        """
        output, code = yield runTwistd("vorbis-server", "--port", "tcp:1500:colour=red")
        self.assertEqual(code, 1)
        self.assertIn("twistd -n: Parameter type enforcement failed: 'tcp:1500:colour=red' is not a server endpoint: ",
                      output)
        self.assertNotIn("starting up", output)

    @defer.inlineCallbacks
    def test_clientBadPort(self):
        output, code = yield runTwistd("vorbis-client", "--port", "99999")
        self.assertEqual(code, 1)
        self.assertIn("twistd -n: Parameter type enforcement failed: port 99999 is not in 1-65535", output)

    @defer.inlineCallbacks
    def test_clientConnectionRefused(self):
        port = yield freePort()
        result = yield runTwistd("vorbis-client", "--port", str(port), "--wav", os.path.abspath(self.mktemp()))
        self.assertFailed(result, "Connection was refused by other side: 111: Connection refused.")

    @defer.inlineCallbacks
    def test_clientNotOgg(self):
        port = yield self.serve(Factory.forProtocol(Garbage))
        result = yield runTwistd("vorbis-client", "--port", "tcp:host=127.0.0.1:port={}".format(port),
                                 "--wav", os.path.abspath(self.mktemp()))
        self.assertFailed(result, "not an Ogg Vorbis stream: ")

    @defer.inlineCallbacks
    def test_clientNoAudioDevice(self):
        port = yield self.serveVorbis()
        result = yield runTwistd("vorbis-client", "--port", str(port), SDL_AUDIODRIVER="no-such-driver")
        self.assertFailed(result, re.escape("cannot play 44100 Hz 2 ch audio: "))

    @defer.inlineCallbacks
    def test_clientSucceeds(self):
        port = yield self.serveVorbis()
        path = os.path.abspath(self.mktemp())
        output, code = yield runTwistd("vorbis-client", "--port", "tcp:host=127.0.0.1:port={}".format(port),
                                       "--wav", path)
        self.assertEqual(code, 0, output)
        self.assertRegex(output, r"graph Pipeline_\d+ has finished")
        self.assertEqual(wavSeconds(path), 14.0)

    @defer.inlineCallbacks
    def test_oneShotGraph(self):
        """
        C{--exit-when-done}: status 0 when the graph finishes, 1 when it fails.
        """
        path = os.path.abspath(self.mktemp()) + ".py"
        with open(path, "w") as f:
            f.write(JOB)
        output, code = yield runTwistd("--exit-when-done", "--graph", path + ":makeGraph", "--arg", "fail=no")
        self.assertEqual(code, 0, output)
        self.assertRegex(output, r"graph Job_\d+ has finished")
        result = yield runTwistd("--exit-when-done", "--graph", path + ":makeGraph", "--arg", "fail=yes")
        self.assertFailed(result, "the job went wrong")

    @defer.inlineCallbacks
    def test_secondSignal(self):
        """
        A second SIGTERM (or Ctrl-C) while a graph that ignores shutdown is
        being stopped ends it at once, not after the stages of stopping.
        """
        child = spawn(self, twistdArguments("--stop-timeout", "600", "--graph", "tests.stubborn:Stubborn")[1:],
                      env=twistdEnvironment())
        yield child.whenOutput(b"ready")
        child.transport.signalProcess("TERM")
        yield child.whenOutput(b"asked")
        child.transport.signalProcess("TERM")
        yield child.ended
        self.assertRegex(child.out, rb"stopping Stubborn_\d+ by force")
        self.assertIn(b"Server Shut Down.", child.out)
        self.assertNotIn(b"Traceback", child.out + child.err)

    test_secondSignal.timeout = 60



def tacFromDoc():
    """
    Return the C{.tac} file shown in doc/twisted.md.
    """
    with open(os.path.join(ROOT, "doc", "twisted.md")) as f:
        text = f.read()
    return re.search(r"In a `\.tac` file.*?```py\n(.*?)```", text, re.S).group(1)


def withoutPythonPath():
    env = dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.pop("PYTHONPATH", None)
    return env


class InstalledMixin:
    """
    The C{twistd} script of a fresh virtualenv with the project installed,
    as the README uses it: run from a folder outside the checkout, with no
    PYTHONPATH. The virtualenv is made once per test class.

    @cvar editable: install with C{pip install -e} (else C{pip install}, of a
        copy of the checkout).
    """

    timeout = 600

    @defer.inlineCallbacks
    def twistd(self):
        """
        Return a L{Deferred} firing with the path of the virtualenv's
        C{twistd} script, once it is installed.
        """
        cls = type(self)
        if "installed" not in cls.__dict__:
            cls.installed = yield self.install(os.path.abspath(self.mktemp()))
        ok, result = cls.installed
        if not ok:
            self.fail(result)
        return result

    @defer.inlineCallbacks
    def install(self, where):
        os.makedirs(where)
        venv, source = os.path.join(where, "venv"), ROOT
        if not self.editable:
            source = os.path.join(where, "source")
            shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
                ".git", ".venv", "build", "_trial_temp*", "*.egg-info", "__pycache__", "dropin.cache"))
        python = os.path.join(venv, "bin", "python")
        steps = [
            (sys.executable, ["-m", "venv", venv]),
            (python, ["-m", "pip", "install", "--quiet", "--upgrade", "pip"]),   # as run.sh does
            (python, ["-m", "pip", "install", "--quiet"] + (["-e"] if self.editable else []) + [source]),
        ]
        for executable, arguments in steps:
            out, err, code = yield utils.getProcessOutputAndValue(executable, arguments, env=withoutPythonPath(),
                                                                  path=where)
            if code != 0:
                return False, "{} {} failed:\n{}".format(executable, " ".join(arguments), err.decode())
        return True, os.path.join(venv, "bin", "twistd")

    def elsewhere(self):
        """
        Return a new empty folder outside the checkout, removed after the test.
        """
        folder = tempfile.mkdtemp(prefix="twistd-")
        self.addCleanup(shutil.rmtree, folder)
        return folder

    @defer.inlineCallbacks
    def test_pluginListed(self):
        twistd = yield self.twistd()
        out, err, code = yield utils.getProcessOutputAndValue(twistd, ["--help"], env=withoutPythonPath(),
                                                              path=self.elsewhere())
        self.assertEqual(code, 0, err)
        self.assertRegex(out.decode(), r"\n +kamaelia +Run a Kamaelia component graph as a service\.")

    @defer.inlineCallbacks
    def test_echoCommand(self):
        """
        The README's C{twistd -n kamaelia echo --port ENDPOINT}.
        """
        twistd = yield self.twistd()
        yield echoThenStop(self, [twistd, "-n", "kamaelia", "echo", "--port", LOOPBACK], withoutPythonPath(),
                           self.elsewhere())


class EditableInstallTests(InstalledMixin, unittest.TestCase):
    """
    C{pip install -e CHECKOUT}, as C{./run.sh} does.
    """

    editable = True

    @defer.inlineCallbacks
    def test_graphFile(self):
        twistd = yield self.twistd()
        yield echoThenStop(self, [twistd, "-n", "kamaelia", "--graph", os.path.join(ROOT, ECHO_GRAPH) + ":makeGraph",
                                  "--arg", "port=" + LOOPBACK],
                           withoutPythonPath(), self.elsewhere(), b"hello\r\n", b"hello\r\n")

    @defer.inlineCallbacks
    def test_tacFile(self):
        """
        The C{.tac} file of doc/twisted.md, with C{twistd -ny}.
        """
        twistd = yield self.twistd()
        folder = self.elsewhere()
        tac = tacFromDoc()
        self.assertIn('"tcp:1500"', tac)
        with open(os.path.join(folder, "echo.tac"), "w") as f:
            f.write(tac.replace('"tcp:1500"', repr(LOOPBACK)))
        yield echoThenStop(self, [twistd, "-ny", "echo.tac"], withoutPythonPath(), folder)

    @defer.inlineCallbacks
    def test_vorbisServerAndClient(self):
        """
        The README's Vorbis server and client run side by side in one
        folder, each with its own pidfile.
        """
        twistd = yield self.twistd()
        folder = self.elsewhere()
        server = Twistd()
        reactor.spawnProcess(
            server, twistd, [twistd, "-n", "--pidfile", "server.pid", "kamaelia", "vorbis-server",
                             "--port", LOOPBACK, "--speed", "50"], env=withoutPythonPath(), path=folder)
        try:
            port = yield server.listening
            self.assertTrue(os.path.exists(os.path.join(folder, "server.pid")))
            out, err, code = yield utils.getProcessOutputAndValue(
                twistd, ["-n", "--pidfile", "client.pid", "kamaelia", "vorbis-client", "--port", str(port),
                         "--wav", "out.wav"], env=withoutPythonPath(), path=folder)
            self.assertEqual(code, 0, out + err)
            self.assertEqual(wavSeconds(os.path.join(folder, "out.wav")), 14.0)
            self.assertFalse(os.path.exists(os.path.join(folder, "client.pid")))
        finally:
            reason = yield server.stop()
        self.assertEqual(reason.signal, signal.SIGTERM)
        self.assertFalse(os.path.exists(os.path.join(folder, "server.pid")))


class InstallTests(InstalledMixin, unittest.TestCase):
    """
    C{pip install CHECKOUT}.
    """

    editable = False
