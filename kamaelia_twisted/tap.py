"""
The C{kamaelia} twistd plugin: run a component graph as a Twisted service.

Any graph, from a callable in a file or a module::

    twistd -n kamaelia --graph examples/echo_graph.py:makeGraph --arg port=tcp:1500
    twistd -n kamaelia --graph mypackage.graphs:makeGraph

or a ready-made one, as a subcommand::

    twistd -n kamaelia echo --port tcp:1500

A subcommand is a L{GraphOptions} subclass whose C{makeGraph} returns the
graph, listed in L{Options.subCommands}.
"""

import importlib
import importlib.util
import os
from functools import reduce

from twisted.protocols.wire import Echo
from twisted.python import usage

from .net import ProtocolComponent, SimpleServer
from .service import GraphService, makeGraph


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


class EchoOptions(GraphOptions):
    """
    C{echo}: send back every byte each connection receives.
    """

    synopsis = "[--port ENDPOINT]"
    longdesc = ("Serve Twisted's Echo protocol, each connection's protocol running "
                "in a ProtocolComponent.")
    optParameters = [["port", "p", "tcp:1500", "The server endpoint to listen on."]]

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
        ["port", "p", "tcp:1500", "The server endpoint to listen on."],
        ["speed", "s", 1.0, "Send N times faster than the bitrate.", float],
        ["bitrate", "b", None, "Bits per second (default: the file's).", int],
    ]

    def makeGraph(self):
        from .codec import VorbisError
        from .codec.vorbisstream import SAMPLE, vorbisServer

        try:
            return vorbisServer(self["file"] or SAMPLE, endpoint=self["port"], speed=self["speed"],
                                bitrate=self["bitrate"])
        except (OSError, VorbisError, ValueError) as error:
            raise usage.UsageError("vorbis-server: {}".format(error)) from error


class VorbisClientOptions(GraphOptions):
    """
    C{vorbis-client}: play (or save) the stream of a Vorbis server; twistd
    ends when the stream does.
    """

    synopsis = "[--host HOST] [--port PORT] [--wav FILE]"
    longdesc = ("Pipeline(TCPClient(host, port), VorbisDecode(), AOAudioPlaybackAdaptor()), "
                "or a WavWriter with --wav; the reactor stops when the stream has ended.")
    optParameters = [
        ["host", None, "127.0.0.1", "The server's host."],
        ["port", "p", 1500, "The server's port.", int],
        ["wav", "w", None, "Write the audio to this WAV file instead of playing it."],
    ]

    oneShot = True

    def makeGraph(self):
        from .codec.vorbisstream import pcmSink, vorbisClient

        return vorbisClient(self["host"], self["port"], sink=pcmSink(self["wav"]))


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
    ]
    optFlags = [["exit-when-done", None, "Stop twistd when the graph has finished by itself."]]
    subCommands = [
        ["echo", None, EchoOptions, "Echo server."],
        ["vorbis-server", None, VorbisServerOptions, "Stream an Ogg Vorbis file to every client."],
        ["vorbis-client", None, VorbisClientOptions, "Play or save an Ogg Vorbis stream."],
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
    factory = _find(_load(where), name, where)
    try:
        return makeGraph(factory, **(arguments or {}))
    except Exception as error:
        raise usage.UsageError("{}: {}: {}".format(spec, type(error).__name__, error)) from error


def _load(where):
    if where.endswith(".py") or os.sep in where:
        return _loadFile(where)
    try:
        return importlib.import_module(where)
    except ImportError as error:
        raise usage.UsageError("cannot import module {!r}: {}".format(where, error)) from error


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


def _find(module, name, where):
    try:
        found = reduce(getattr, name.split("."), module)
    except AttributeError:
        raise usage.UsageError("{} has no {!r}".format(where, name)) from None
    if not callable(found):
        raise usage.UsageError("{}:{} is {!r}, not a callable".format(where, name, found))
    return found


def makeService(options):
    """
    Return a L{GraphService} running C{options.graph}.
    """
    return GraphService(options.graph, stopTimeout=options["stop-timeout"],
                        stopReactor=bool(options["exit-when-done"]))
