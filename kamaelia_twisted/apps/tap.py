"""
The C{kamaelia} twistd plugin: run a component graph as a Twisted service.

Any graph, from a callable in a file or a module::

    twistd -n kamaelia --graph examples/echo_graph.py:makeGraph --arg port=tcp:1500
    twistd -n kamaelia --graph mypackage.graphs:makeGraph

or a ready-made one, as a subcommand::

    twistd -n kamaelia echo --port tcp:1500

C{--inspect ENDPOINT} serves the running graph's L{Inspector} beside it.

A subcommand is a L{GraphOptions} subclass whose C{makeGraph} returns the
graph, listed in L{Options.subCommands}.

twistd ends with exit status 1 if the graph fails (a server that cannot
listen, a client whose stream fails), and 0 when a one-shot graph has
finished; see L{TwistdGraphService}.
"""

import atexit
import importlib.util
import os
import sys
from functools import reduce

from twisted.application.service import MultiService
from twisted.internet.endpoints import clientFromString, serverFromString
from twisted.protocols.wire import Echo
from twisted.python import usage

from ..core.names import namedCallable, requireCallable
from ..net import ProtocolComponent, SimpleServer
from ..service import GraphService, makeGraph
from ..web import Inspector


class GraphOptions(usage.Options):
    """
    Options of a subcommand that runs one ready-made graph.

    @cvar oneShot: whether twistd ends when the graph has finished.
    """

    oneShot = False

    def makeGraph(self):
        """
        Return the graph to run (a component), made from these options.
        """
        raise NotImplementedError


def serverEndpoint(description):
    """
    Check that C{description} is a server endpoint description, such as
    C{"tcp:1500"} (a coercer for L{usage.Options.optParameters}).

    @return: C{description}.
    @raise ValueError: saying why it is not.
    """
    return _checkEndpoint(serverFromString, description, "a server endpoint")


# twistd's help adds a coercer's coerceDoc after ". ": the help of an option
# using one ends without a period.
serverEndpoint.coerceDoc = "A server endpoint: tcp:1500, tcp:1500:interface=127.0.0.1, unix:/tmp/s.sock, ..."


def clientPort(value):
    """
    Read a client's C{--port}: a TCP port number, or a client endpoint
    description such as C{"tcp:host=127.0.0.1:port=1500"}.

    @return: the port number (an L{int}) or the description.
    @raise ValueError: saying why it is neither.
    """
    if not value.isdigit():
        return _checkEndpoint(clientFromString, value, "a port number (1-65535) or a client endpoint")
    if not 0 < int(value) < 65536:
        raise ValueError("port {} is not in 1-65535".format(value))
    return int(value)


clientPort.coerceDoc = "A port number (with --host), or a client endpoint: tcp:host=127.0.0.1:port=1500, ..."


def _checkEndpoint(parse, description, what):
    """
    Parse C{description} with C{parse} (C{serverFromString} or
    C{clientFromString}) and throw the endpoint away: the graph makes its own.
    """
    from twisted.internet import reactor

    try:
        parse(reactor, description)
    except Exception as error:
        raise ValueError("{!r} is not {}: {}".format(description, what, error)) from None
    return description


def requirePositive(options, *names):
    """
    Check that each of the options C{names} is above zero if given (in a
    C{postOptions}: a coercer cannot name its option).

    @raise usage.UsageError: naming the first that is not.
    """
    for name in names:
        if options[name] is not None and not options[name] > 0:
            raise usage.UsageError("--{} must be positive, not {}".format(name, options[name]))


class EchoOptions(GraphOptions):
    """
    C{echo}: send back every byte each connection receives.
    """

    synopsis = "[--port ENDPOINT]"
    longdesc = ("Serve Twisted's Echo protocol, each connection's protocol running "
                "in a ProtocolComponent.")
    optParameters = [["port", "p", "tcp:1500", "The server endpoint to listen on", serverEndpoint]]

    def makeGraph(self):
        return SimpleServer(protocol=lambda: ProtocolComponent(Echo), endpoint=self["port"])


# Ogg Vorbis streaming: Kamaelia's Vorbis server and client as commands.


class VorbisServerOptions(GraphOptions):
    """
    C{vorbis-server}: stream an Ogg Vorbis file to every client, at its bitrate.
    """

    synopsis = "[--file OGG] [--port ENDPOINT] [--speed N] [--bitrate BITS_PER_SECOND]"
    longdesc = ("Send the file to each client that connects, paced like a live stream: "
                "SimpleServer(protocol=lambda: ReadFileAdaptor(file, readmode='bitrate', bitrate=...)).")
    optParameters = [
        ["file", "f", None, "The Ogg Vorbis file (default: the bundled sample)."],
        ["port", "p", "tcp:1500", "The server endpoint to listen on", serverEndpoint],
        ["speed", "s", 1.0, "Send N times faster than the bitrate.", float],
        ["bitrate", "b", None, "Bits per second (default: the file's).", int],
    ]

    def postOptions(self):
        requirePositive(self, "speed", "bitrate")

    def makeGraph(self):
        from ..codec import VorbisError
        from ..media import SAMPLE
        from .vorbis import vorbisServer

        try:
            return vorbisServer(self["file"] or SAMPLE, endpoint=self["port"], speed=self["speed"],
                                bitrate=self["bitrate"])
        except (OSError, VorbisError, ValueError) as error:
            raise usage.UsageError("vorbis-server: {}".format(error)) from error


class VorbisClientOptions(GraphOptions):
    """
    C{vorbis-client}: play (or save) the stream of a Vorbis server; twistd
    ends when the stream does, with exit status 0 if it played to the end.
    """

    synopsis = "[--port ENDPOINT | [--host HOST] --port PORT] [--wav FILE]"
    longdesc = ("Pipeline(TCPClient(host, port), VorbisDecode(), AOAudioPlaybackAdaptor()), "
                "or a WavWriter with --wav; the reactor stops when the stream has ended.")
    optParameters = [
        ["host", None, None, "The server's host, with a port number (default: 127.0.0.1)."],
        ["port", "p", 1500, "The server's port, or a client endpoint", clientPort],
        ["wav", "w", None, "Write the audio to this WAV file instead of playing it."],
    ]

    oneShot = True

    def postOptions(self):
        if self["host"] is not None and not isinstance(self["port"], int):
            raise usage.UsageError("give --host with a port number, not with the endpoint {!r}".format(
                self["port"]))

    def makeGraph(self):
        from .vorbis import pcmSink, vorbisClient

        if isinstance(self["port"], int):
            address = {"host": self["host"] or "127.0.0.1", "port": self["port"]}
        else:
            address = {"endpoint": self["port"]}
        return vorbisClient(sink=pcmSink(self["wav"]), **address)


def multicastGroup(value):
    """
    Read C{GROUP:PORT}, such as C{"239.255.42.1:1600"}.

    @return: C{(group, port)}.
    @raise ValueError: saying why it is not a multicast group and port.
    """
    import ipaddress

    group, colon, port = value.rpartition(":")
    try:
        if not colon or not ipaddress.IPv4Address(group).is_multicast or not 0 < int(port) < 65536:
            raise ValueError()
    except ValueError:
        raise ValueError("{!r} is not GROUP:PORT with a multicast group (224.0.0.0/4) and a port "
                         "in 1-65535".format(value)) from None
    return group, int(port)


multicastGroup.coerceDoc = "GROUP:PORT, a multicast group and UDP port: 239.255.42.1:1600"


class RadioOptions(GraphOptions):
    """
    C{radio}: a live station, the file read once at its bitrate for all of
    its HTTP listeners (C{GET /stream.ogg}) and/or a multicast group.
    """

    synopsis = ("[--file OGG] [--loop] [--http ENDPOINT] [--multicast GROUP:PORT [--no-http]] [--speed N] "
                "[--bitrate BITS_PER_SECOND]")
    longdesc = ("Serve an Ogg Vorbis file live over HTTP at /stream.ogg: every listener gets the "
                "stream's headers, then the audio from where the station is. With --multicast, also "
                "send one Ogg page per UDP datagram to the group, the header pages repeated every "
                "--header-interval seconds. Without --loop twistd ends when the file has played.")
    optParameters = [
        ["file", "f", None, "The Ogg Vorbis file (default: the bundled sample)."],
        ["http", None, "tcp:8000", "The HTTP server endpoint to listen on", serverEndpoint],
        ["multicast", "m", None, "Also send the pages to this multicast GROUP:PORT", multicastGroup],
        ["interface", None, "0.0.0.0", "The address of the interface to multicast from."],
        ["header-interval", None, 2.0, "Seconds between repetitions of the header pages on multicast.",
         float],
        ["speed", "s", 1.0, "Play N times faster than the bitrate.", float],
        ["bitrate", "b", None, "Bits per second (default: the file's).", int],
    ]
    optFlags = [["loop", "l", "Play the file again and again, each pass a new chained stream."],
                ["no-http", None, "Serve no HTTP: multicast only."]]

    def postOptions(self):
        if self["no-http"] and self["multicast"] is None:
            raise usage.UsageError("--no-http needs --multicast")
        requirePositive(self, "speed", "bitrate")

    @property
    def oneShot(self):
        return not self["loop"]

    def makeGraph(self):
        from ..codec import VorbisError
        from ..media import SAMPLE
        from .radio import RadioStation

        try:
            return RadioStation(self["file"] or SAMPLE, None if self["no-http"] else self["http"],
                                loop=self["loop"], speed=self["speed"], bitrate=self["bitrate"],
                                multicast=self["multicast"], interface=self["interface"],
                                headerInterval=self["header-interval"])
        except (OSError, VorbisError, ValueError) as error:
            raise usage.UsageError("radio: {}".format(error)) from error


class RadioListenOptions(GraphOptions):
    """
    C{radio-listen}: play (or save) a multicast station's stream from
    where it is when joined; it runs until stopped (SIGTERM, SIGINT) or for
    C{--seconds} of audio.
    """

    synopsis = "--multicast GROUP:PORT [--interface ADDRESS] [--wav FILE] [--seconds N]"
    longdesc = ("Join the group, wait for the stream's header pages, then decode the pages that "
                "follow (new chained streams too) and play them, or write them to a WAV file.")
    optParameters = [
        ["multicast", "m", None, "The multicast GROUP:PORT to join", multicastGroup],
        ["interface", None, "0.0.0.0", "The address of the interface to join the group on."],
        ["wav", "w", None, "Write the audio to this WAV file instead of playing it."],
        ["seconds", None, None, "Stop after N seconds of audio.", float],
    ]

    oneShot = True

    def postOptions(self):
        if self["multicast"] is None:
            raise usage.UsageError("radio-listen needs --multicast GROUP:PORT")

    def makeGraph(self):
        from .radio import radioListener
        from .vorbis import pcmSink

        group, port = self["multicast"]
        return radioListener(group, port, pcmSink(self["wav"]), interface=self["interface"],
                             seconds=self["seconds"])


class Options(usage.Options):
    """
    C{twistd kamaelia} options.

    @ivar graph: the graph to run, made by L{postOptions}.
    """

    synopsis = "[--graph PATH_OR_MODULE:CALLABLE [--arg NAME=VALUE ...] | <command> [options]]"
    longdesc = ("Run a Kamaelia component graph: the component returned by CALLABLE, "
                "found in a .py file or a dotted module, or a ready-made graph.")
    optParameters = [
        ["graph", "g", None, "PATH_OR_MODULE:CALLABLE returning the graph (a component)."],
        ["stop-timeout", None, 10.0, "Seconds to wait for the graph at each stage of stopping.", float],
        ["inspect", None, None, "Serve the running graph's inspector (/, /graph.json, /graph.dot, "
         "/graph.svg, /metrics) over HTTP on this endpoint", serverEndpoint],
    ]
    optFlags = [["exit-when-done", None, "Stop twistd when the graph has finished by itself."]]
    subCommands = [
        ["echo", None, EchoOptions, "Echo server."],
        ["vorbis-server", None, VorbisServerOptions, "Stream an Ogg Vorbis file to every client."],
        ["vorbis-client", None, VorbisClientOptions, "Play or save an Ogg Vorbis stream."],
        ["radio", None, RadioOptions, "A live Ogg Vorbis station over HTTP and/or multicast."],
        ["radio-listen", None, RadioListenOptions, "Play or save a multicast station's stream."],
    ]

    def __init__(self):
        usage.Options.__init__(self)
        self["args"] = {}
        self.graph = None

    def opt_arg(self, value):
        """
        NAME=VALUE: pass NAME=VALUE (a string) to the --graph callable (repeatable).
        """
        name, equals, argument = value.partition("=")
        if not equals or not name.isidentifier():
            raise usage.UsageError("--arg takes NAME=VALUE, not {!r}".format(value))
        self["args"][name] = argument

    def postOptions(self):
        if self.subCommand is not None:
            if self["graph"] is not None:
                raise usage.UsageError("give --graph or a command, not both")
            self.graph = self.subOptions.makeGraph()
            self["exit-when-done"] = self["exit-when-done"] or self.subOptions.oneShot
        elif self["graph"] is not None:
            self.graph = loadGraph(self["graph"], self["args"])
        else:
            raise usage.UsageError("give --graph PATH_OR_MODULE:CALLABLE or a command")


def loadGraph(spec, arguments=None):
    """
    Make the graph that C{spec} names.

    @param spec: C{"PATH_OR_MODULE:CALLABLE"}: a C{.py} file or a dotted
        module name, and the name of a callable in it returning a component.
    @param arguments: keyword arguments for the callable.
    @return: the component.
    @raise usage.UsageError: saying what is wrong with C{spec}.
    """
    where, colon, name = spec.rpartition(":")
    if not colon or not where or not name:
        raise usage.UsageError("--graph takes PATH_OR_MODULE:CALLABLE, not {!r}".format(spec))
    factory = _find(where, name)
    try:
        return makeGraph(factory, **(arguments or {}))
    except Exception as error:
        raise usage.UsageError("{}: {}: {}".format(spec, type(error).__name__, error)) from error


def _find(where, name):
    """
    Return the callable called C{name} in the file or module C{where}.
    """
    spec = "{}:{}".format(where, name)
    try:
        if where.endswith(".py") or os.sep in where:
            try:
                found = reduce(getattr, name.split("."), _loadFile(where))
            except AttributeError as error:
                raise ValueError("{}: {}".format(spec, error)) from None
            return requireCallable(spec, found)
        return namedCallable(spec)
    except ValueError as error:
        raise usage.UsageError(str(error)) from None


def _loadFile(path):
    if not os.path.isfile(path):
        raise usage.UsageError("no such file: {}".format(path))
    moduleName = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(moduleName, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise usage.UsageError("cannot load {}: {}: {}".format(path, type(error).__name__, error)) from error
    return module


class TwistdGraphService(GraphService):
    """
    The service C{twistd -n kamaelia} runs: a L{GraphService} that, if its
    graph fails, stops twistd with exit status 1, having logged one line
    saying why (as a program run by L{runProgram<kamaelia_twisted.program.runProgram>} prints one).
    """

    graphLogsFailure = False

    def graphFailed(self, graph, reason):
        GraphService.graphFailed(self, graph, reason)
        exitWhenDone(1)
        self.stopReactor = True  # nothing is left to run: GraphService stops the reactor next


def exitWhenDone(status):
    """
    Make the process exit with C{status} once twistd has finished.

    twistd has no way to choose its exit status: after the reactor stops,
    C{twistd.runApp} removes the pidfile, logs C{Server Shut Down.} and
    returns, and the process exits 0 (or re-raises the signal that stopped
    it). Nothing raised in the reactor gets out of C{reactor.run}, and
    Python ignores a C{SystemExit} raised by an C{atexit} handler. So an
    C{atexit} handler, which runs after all of twistd's shutdown, flushes
    the standard streams and ends the process with C{os._exit(status)}
    (skipping only the C{atexit} handlers registered before it).
    """
    atexit.register(_exit, status)


def _exit(status):
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def makeService(options):
    """
    Return a L{TwistdGraphService} running C{options.graph}; with
    C{--inspect}, a L{MultiService} of it and another running an
    L{Inspector} of the graph (an inspector that cannot listen fails twistd
    as the graph would).
    """
    graphService = TwistdGraphService(options.graph, stopTimeout=options["stop-timeout"],
                                      stopReactor=bool(options["exit-when-done"]))
    if options["inspect"] is None:
        return graphService
    both = MultiService()
    graphService.setServiceParent(both)
    TwistdGraphService(Inspector(options["inspect"], options.graph),
                       stopTimeout=options["stop-timeout"]).setServiceParent(both)
    return both
