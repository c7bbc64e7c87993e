"""
A radio station: one Ogg Vorbis file, read once at its bitrate, sent live
to every HTTP listener of C{/stream.ogg}::

    from kamaelia_twisted.apps.radio import RadioStation
    from kamaelia_twisted.media import SAMPLE

    RadioStation(SAMPLE, "tcp:8000", loop=True).run()

and then C{ffplay http://127.0.0.1:8000/stream.ogg}, C{ogg123 ...}, or
C{Pipeline(HTTPClient(url), VorbisDecode(), AOAudioPlaybackAdaptor())}.
The graph::

    SOURCE (ReadFileAdaptor, bitrate mode; in a Repeat with loop=True)
      -> PAGES (OggPager: one Ogg page per message)
      -> STATION (Station: pages to every listener)
    HTTP (HTTPServer: GET /stream.ogg registers a listener with STATION)

A listener gets the current stream's header pages, then the audio from the
next page on: one who tunes in late decodes. The pages go out in batches,
one write per listener about every C{batchInterval} seconds (1, or less at
high bitrates). A listener whose connection cannot keep up (its
transport's buffer is full) misses batches until it has caught up, and is
dropped if that lasts C{stallTimeout} seconds; nobody else waits for it.
"""

from twisted.internet.interfaces import IPushProducer
from twisted.internet.task import deferLater
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET
from zope.interface import implementer

from ..chassis.graphline import Graphline
from ..chassis.repeat import Repeat
from ..codec.oggpages import HeaderPages, OggPager
from ..codec.oggrepeat import HeaderRepeat, PageJoiner
from ..codec.vorbis import VorbisDecode
from ..codec.vorbisinfo import vorbisFileInfo
from ..core.component import Component
from ..core.ipc import shutdownMicroprocess
from ..file import ReadFileAdaptor
from ..net import Multicast_transceiver
from ..util import PureTransformer, TwoWaySplitter
from ..web import HTTPServer


@implementer(IPushProducer)
class Listener:
    """
    One listener: the pages the station writes go to C{consumer} (a
    C{twisted.web} request), whose push producer this is.

    @ivar paused: whether its transport's buffer is full (pages are skipped).
    @ivar pagesSent: how many pages were written to it.
    @ivar pagesSkipped: how many pages it missed while paused.
    """

    def __init__(self, station, request):
        self.station, self.request = station, request
        self.paused = False
        self.stream = None
        self.pagesSent = self.pagesSkipped = 0
        self._stall = None
        request.registerProducer(self, True)

    def send(self, audio, withHeaders, stream, pages):
        """
        Write C{pages} audio pages of C{stream}: C{audio} if it had the pages
        before them, else C{withHeaders} (the stream's header pages, then
        C{audio}); skip them while paused.
        """
        if self.paused:
            self.pagesSkipped += pages
            return
        if self.stream != stream:
            self.stream = stream
            audio = withHeaders
        self.request.write(audio)
        self.pagesSent += pages

    def pauseProducing(self):
        self.paused = True
        if self._stall is None:
            self._stall = self.station.reactor.callLater(self.station.stallTimeout, self.drop)

    def resumeProducing(self):
        self.paused = False
        if self._stall is not None and self._stall.active():
            self._stall.cancel()
        self._stall = None

    def stopProducing(self):
        self.resumeProducing()

    def drop(self):
        """Close the connection at once: the listener has not kept up."""
        self._stall = None
        self.station.listenersDropped += 1
        self.request.transport.abortConnection()

    def finish(self):
        """End the response and close the connection."""
        self.resumeProducing()
        self.request.unregisterProducer()
        self.request.finish()
        self.request.transport.loseConnection()


class Station(Component):
    """
    Send the Ogg pages that arrive on C{inbox} to every listener, in
    batches: the pages that arrived since the last batch are joined once,
    and written to each listener in one write, at most every
    C{batchInterval} seconds (one page alone, at once, after a quiet spell).

    Header pages are kept as they pass (L{HeaderPages}); a listener gets the
    current stream's before its first audio page, and again when a new
    chained stream begins. On a shutdown message on C{control} the pages
    waiting are sent, every listener's response is ended and the message is
    passed on.

    @ivar listeners: the current L{Listener}s.
    @ivar listenersDropped: how many were dropped for not keeping up.
    @ivar stallTimeout: the seconds a listener may stay paused before it is dropped.
    @ivar batchInterval: the seconds between batches (0: every page at once).
    """

    Inboxes = {"inbox": "Ogg pages, one per message", "control": "Shutdown messages: end every listener"}
    Outboxes = {"outbox": "Unused", "signal": "The shutdown message, passed on"}
    stallTimeout = 30.0
    batchInterval = 1.0

    def __init__(self, **attributes):
        Component.__init__(self, **attributes)
        self.listeners = set()
        self.listenersDropped = 0
        self.headers = HeaderPages()
        self._headerBytes = b""

    def addListener(self, request):
        """
        Send the stream to C{request} (a C{twisted.web} request) from the
        next batch on, until it goes away or the station ends.

        @return: its L{Listener}.
        """
        listener = Listener(self, request)
        self.listeners.add(listener)
        request.notifyFinish().addBoth(lambda _: self.listeners.discard(listener))
        return listener

    def main(self):
        while True:
            batch = []
            while self.dataReady("inbox"):
                self._add(self.recv("inbox"), batch)
            for stream, headerBytes, pages in batch:
                self._broadcast(stream, headerBytes, pages)
            shutdown = self.checkShutdown()
            if shutdown is not None:
                for listener in list(self.listeners):
                    listener.finish()
                self.send(shutdown, "signal")
                return
            if batch and self.batchInterval > 0:
                yield deferLater(self.reactor, self.batchInterval)  # the next pages wait in the inbox
            else:
                self.pause()
                yield 1

    def _add(self, page, batch):
        """
        Note C{page}: keep it if a header page, else add it to C{batch}, a
        list of (stream, its header bytes, its audio pages).
        """
        headers = self.headers
        if headers.add(page):
            if headers.complete:
                self._headerBytes = b"".join(headers.pages)
            return
        if not headers.complete:
            return  # audio of a stream whose headers were never seen
        if not batch or batch[-1][0] != headers.streams:
            batch.append((headers.streams, self._headerBytes, []))
        batch[-1][2].append(page)

    def _broadcast(self, stream, headerBytes, pages):
        audio = b"".join(pages)
        withHeaders = headerBytes + audio
        for listener in list(self.listeners):
            listener.send(audio, withHeaders, stream, len(pages))


class StreamResource(Resource):
    """
    C{GET}: the station's stream, as C{audio/ogg}, for as long as it plays.
    """

    isLeaf = True

    def __init__(self, station):
        Resource.__init__(self)
        self.station = station

    def render_HEAD(self, request):
        self._headers(request)
        return b""

    def render_GET(self, request):
        if self.station.isDone():
            request.setResponseCode(503)
            return b"the station has stopped\n"
        self._headers(request)
        self.station.addListener(request)
        return NOT_DONE_YET

    def _headers(self, request):
        request.setHeader(b"Content-Type", b"audio/ogg")
        request.setHeader(b"Cache-Control", b"no-cache, no-store")


class RadioStation(Graphline):
    """
    Serve C{filename} live over HTTP at C{/stream.ogg}, over UDP multicast
    (one Ogg page per datagram, the header pages repeated), or both (see
    the module).

    Without C{loop} the graph ends (every listener's stream ended) when the
    file has played; with it, each pass is a new chained stream. A
    shutdown message on C{control} stops it.
    """

    def __init__(self, filename, endpoint=None, loop=False, speed=1.0, bitrate=None, path=b"stream.ogg",
                 multicast=None, interface="0.0.0.0", headerInterval=2.0, reactor=None):
        """
        @param filename: an Ogg Vorbis file.
        @param endpoint: the HTTP server endpoint (C{"tcp:8000"}) or object,
            or L{None} for no HTTP.
        @param loop: play the file again and again.
        @param speed: how many times faster than C{bitrate} to play.
        @param bitrate: bits per second (default: the file's
            L{streamBitrate<kamaelia_twisted.codec.vorbisinfo.VorbisFileInfo.streamBitrate>}).
        @param path: the stream's path on the server.
        @param multicast: C{(group, port)} to send the pages to, or L{None}.
        @param interface: the address of the interface to multicast from.
        @param headerInterval: the seconds between repetitions of the
            header pages on multicast.
        @param reactor: the reactor running it.
        @raise OSError: if the file cannot be read.
        @raise kamaelia_twisted.codec.VorbisFormatError: if it is not Ogg Vorbis.
        @raise ValueError: if C{speed} is not positive, or neither
            C{endpoint} nor C{multicast} is given.
        """
        if speed <= 0:
            raise ValueError("speed must be positive, not {!r}".format(speed))
        if endpoint is None and multicast is None:
            raise ValueError("give an HTTP endpoint, a multicast group, or both")
        self.bitrate = int((bitrate or vorbisFileInfo(filename).streamBitrate) * speed)

        # About a page per chunk, so that a speeded-up station is no burstier,
        # and at least 4 a second: each read costs a few component hops.
        chunkrate = max(4, self.bitrate // (8 * 4096))

        def reader():
            return ReadFileAdaptor(filename, readmode="bitrate", bitrate=self.bitrate, chunkrate=chunkrate)

        components = {"SOURCE": Repeat(reader) if loop else reader(), "PAGES": OggPager()}
        linkages = {("SOURCE", "outbox"): ("PAGES", "inbox"), ("SOURCE", "signal"): ("PAGES", "control")}
        # Batches of at most about 16 KB: well under a transport's 64 KB
        # buffer, so that a listener who keeps up is never paused by one.
        self.station = Station(batchInterval=min(Station.batchInterval, 8 * 16384 / self.bitrate))
        pages = ("PAGES", "outbox"), ("PAGES", "signal")
        if endpoint is not None and multicast is not None:
            components["SPLIT"] = TwoWaySplitter()
            linkages.update({pages[0]: ("SPLIT", "inbox"), pages[1]: ("SPLIT", "control")})
            pages, multicastPages = (("SPLIT", "outbox"), ("SPLIT", "signal")), (("SPLIT", "outbox2"),
                                                                                  ("SPLIT", "signal2"))
        else:
            multicastPages = pages
        if endpoint is not None:
            root = Resource()
            root.putChild(path, StreamResource(self.station))
            components.update(STATION=self.station, HTTP=HTTPServer(root, endpoint))
            linkages.update({pages[0]: ("STATION", "inbox"), pages[1]: ("STATION", "control"),
                             ("STATION", "signal"): ("HTTP", "control")})
        if multicast is not None:
            group, port = multicast
            components.update(REPEAT=HeaderRepeat(headerInterval),
                              MULTICAST=Multicast_transceiver(interface, 0, group, port))
            linkages.update({multicastPages[0]: ("REPEAT", "inbox"), multicastPages[1]: ("REPEAT", "control"),
                             ("REPEAT", "outbox"): ("MULTICAST", "inbox"),
                             ("REPEAT", "signal"): ("MULTICAST", "control")})
        Graphline.__init__(self, linkages=linkages, reactor=reactor, **components)

    def whenListening(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} firing with the HTTP server's C{IListeningPort}
        (without HTTP, the multicast sender's UDP port).
        """
        return self.components["HTTP" if "HTTP" in self.components else "MULTICAST"].whenListening()


class StopAfter(Component):
    """
    Pass L{PCMChunk}s on until C{seconds} of audio have passed, then send
    L{shutdownMicroprocess} on C{stop} (to the source upstream) and pass
    nothing more; shutdown messages on C{control} are passed on.
    """

    Inboxes = {"inbox": "PCMChunk messages", "control": "Shutdown messages"}
    Outboxes = {"outbox": "The first seconds' chunks", "signal": "The shutdown message, passed on",
                "stop": "shutdownMicroprocess, once the seconds have passed"}

    def __init__(self, seconds, **attributes):
        Component.__init__(self, **attributes)
        self.seconds = seconds
        self.secondsPassed = 0.0

    def main(self):
        while True:
            while self.dataReady("inbox"):
                chunk = self.recv("inbox")
                if self.secondsPassed < self.seconds:
                    self.send(chunk, "outbox")
                    self.secondsPassed += chunk.seconds
                    if self.secondsPassed >= self.seconds:
                        self.send(shutdownMicroprocess(), "stop")
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


def radioListener(group, port, sink, interface="0.0.0.0", seconds=None, reactor=None):
    """
    Receive a multicast station's pages, and decode them from the first
    complete set of header pages on (see L{PageJoiner}).

    @param group: the multicast group.
    @param port: its UDP port.
    @param sink: the component the L{PCMChunk}s go to (a L{WavWriter}, a
        player); see L{kamaelia_twisted.apps.vorbis.pcmSink}.
    @param interface: the address of the interface to join the group on.
    @param seconds: stop after this much audio (default: run until a
        shutdown message arrives on C{control}).
    @return: a L{Graphline} (C{RECEIVE}, C{DATA}, C{JOIN}, C{DECODE}, C{SINK}).
    """
    components = {
        "RECEIVE": Multicast_transceiver(interface, port, group, 0),
        "DATA": PureTransformer(lambda message: message[1]),
        "JOIN": PageJoiner(),
        "DECODE": VorbisDecode(),
        "SINK": sink,
    }
    chain = ["RECEIVE", "DATA", "JOIN", "DECODE", "SINK"]
    linkages = {("self", "control"): ("RECEIVE", "control")}
    if seconds is not None:
        components["LIMIT"] = StopAfter(seconds)
        chain.insert(-1, "LIMIT")
        linkages[("LIMIT", "stop")] = ("RECEIVE", "control")
    for upstream, downstream in zip(chain, chain[1:]):
        linkages[(upstream, "outbox")] = (downstream, "inbox")
        linkages[(upstream, "signal")] = (downstream, "control")
    return Graphline(linkages=linkages, reactor=reactor, **components)
