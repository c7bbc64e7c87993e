"""
The radio: Ogg pages (codec.oggpages), the Station's fan-out on fake
requests and a Clock, the HTTPClient against twisted.web, and the whole
station over loopback HTTP against real players (ffmpeg, ogg123) and a real
Icecast server. Decoded audio is compared with libvorbisfile's C{ov_read}
samples of the same file.
"""

import os
import shutil
import socket
import struct
import tempfile

import numpy
from twisted.internet import defer, reactor, task
from twisted.internet.protocol import Protocol
from twisted.trial import unittest
from twisted.web.resource import Resource
from twisted.web.static import Data
from twisted.web.util import Redirect

from kamaelia_twisted import Pipeline, shutdownMicroprocess
from kamaelia_twisted.apps.radio import RadioStation, Station, radioListener
from kamaelia_twisted.audio import WavWriter
from kamaelia_twisted.chassis import Repeat
from kamaelia_twisted.codec import OggVorbisDecoder, VorbisDecode
from kamaelia_twisted.codec.oggpages import (
    HeaderPages, OggPager, OggPageSplitter, isBeginning, serialOf, withSerial)
from kamaelia_twisted.codec.oggrepeat import HeaderRepeat, PageJoiner
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.net import Multicast_transceiver
from kamaelia_twisted.util import Collect, DataSource
from kamaelia_twisted.web import HTTPClient, HTTPError, HTTPServer
from tests.children import ROOT, Child, runChild, spawn
from tests.nethelpers import connectPlain, freePort
from tests.test_oggvorbis import MONO, joined, oggPages, randomSizes, readBytes, reference, sealed
from tests.test_streaming import FirstChunk, readWav

LOOPBACK = "tcp:0:interface=127.0.0.1"
TWISTD = "from twisted.scripts.twistd import run; run()"


def requireTool(name, package):
    """Skip, saying why, unless the program C{name} is installed."""
    if shutil.which(name) is None:
        raise unittest.SkipTest("{} is not installed (apt-get install {}; .ci/run installs it)".format(
            name, package))


def samples(data):
    return numpy.frombuffer(data, "<i2").astype(numpy.int32)


def assertSliceOf(testCase, got, expected, channels, tolerance=0, skip=8192, least=44100):
    """
    Check that C{got} (int samples, interleaved), after its first C{skip}
    samples, is C{expected} from some frame on, within C{tolerance}, for at
    least C{least} samples and up to the end of one of them.

    @return: the offset in C{expected} (in samples) where C{got} starts.
    """
    probe = got[skip : skip + 256]
    testCase.assertEqual(len(probe), 256, "too little audio decoded: {} samples".format(len(got)))
    candidates = numpy.arange(0, len(expected) - len(probe), channels)
    for index, value in enumerate(probe):
        candidates = candidates[numpy.abs(expected[candidates + index] - value) <= tolerance]
    testCase.assertTrue(len(candidates), "the decoded audio is nowhere in the source")
    start = int(candidates[0])
    length = min(len(got) - skip, len(expected) - start)
    testCase.assertGreaterEqual(length, least)
    difference = numpy.abs(got[skip : skip + length] - expected[start : start + length]).max()
    testCase.assertLessEqual(difference, tolerance)
    return start - skip


def wavData(path):
    """The audio bytes of a WAV file, WAVE_FORMAT_EXTENSIBLE (ogg123's) too."""
    data = readBytes(path)
    position = 12
    while position + 8 <= len(data):
        name, size = data[position : position + 4], struct.unpack_from("<I", data, position + 4)[0]
        if name == b"data":
            return data[position + 8 : position + 8 + size]
        position += 8 + size + (size & 1)
    raise AssertionError("no data chunk in {}".format(path))


# Ogg pages


class OggPagesTests(unittest.TestCase):
    def test_splitsLikeTheFile(self):
        data = readBytes(SAMPLE)
        splitter, pages, sizes, position = OggPageSplitter(), [], randomSizes(3), 0
        while position < len(data):
            size = next(sizes)
            pages += splitter.feed(data[position : position + size])
            position += size
        self.assertEqual(pages, oggPages(data))
        self.assertEqual(splitter.skipped, 0)

    def test_skipsJunkAndCorruptPages(self):
        pages = oggPages(readBytes(SAMPLE))
        corrupt = bytearray(pages[5])
        corrupt[100] ^= 1
        data = b"junk" + b"".join(pages[:5]) + bytes(corrupt) + b"OggS" + b"".join(pages[6:])
        splitter = OggPageSplitter()
        self.assertEqual(splitter.feed(data), pages[:5] + pages[6:])
        self.assertEqual(splitter.skipped, 4 + len(corrupt) + 4)

    def test_withSerial(self):
        page = oggPages(readBytes(SAMPLE))[7]
        rewritten = withSerial(page, 0xDEADBEEF)
        self.assertEqual(serialOf(rewritten), 0xDEADBEEF)
        self.assertEqual(rewritten, sealed(page[:14] + struct.pack("<I", 0xDEADBEEF) + page[18:]))

    def test_headerPages(self):
        """The header pages of each stream of a chain, to the one where the third packet ends."""
        first, second = oggPages(readBytes(SAMPLE)), oggPages(readBytes(MONO))
        headers = HeaderPages()
        self.assertEqual([headers.add(page) for page in first[:4]], [True, True, False, False])
        self.assertEqual(headers.pages, first[:2])
        flags = [headers.add(page) for page in second]
        self.assertEqual(flags.index(False), len(headers.pages))
        self.assertEqual(headers.pages, second[: flags.index(False)])
        self.assertEqual((headers.streams, headers.complete), (2, True))

    @defer.inlineCallbacks
    def test_pagerRenumbersARepeat(self):
        """
        The file twice: the second stream gets the first's serial number
        plus one, and the whole decodes as two streams.
        """
        data = readBytes(MONO)
        sink = Collect()
        yield Pipeline(DataSource([data[:1000], data[1000:], data]), OggPager(), sink).activate().whenDone()
        serials = [serialOf(page) for page in sink.collected]
        pages = oggPages(data)
        self.assertEqual(len(sink.collected), 2 * len(pages))
        self.assertEqual(set(serials[: len(pages)]), {serialOf(pages[0])})
        self.assertEqual(set(serials[len(pages):]), {(serialOf(pages[0]) + 1) & 0xFFFFFFFF})
        decoder = OggVorbisDecoder()
        audio = joined(decoder.feed(b"".join(sink.collected)) + decoder.finish())
        self.assertTrue(audio == reference(MONO)[0] * 2)


class RepeatTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_runsAgainUntilShutdown(self):
        sink = FirstChunk()
        repeat = Repeat(lambda: DataSource([b"a", b"b"]))
        pipeline = Pipeline(repeat, sink).activate()
        while len(sink.collected) < 7:
            yield task.deferLater(reactor, 0.001)
        stop = shutdownMicroprocess()
        repeat.inboxes["control"].deliver(stop)
        yield pipeline.whenDone()
        self.assertEqual(sink.collected[:6], [b"a", b"b"] * 3)
        self.assertIs(sink.shutdown, stop)

    @defer.inlineCallbacks
    def test_endsOnAnError(self):
        sink = Collect()
        from kamaelia_twisted.file import ReadFileAdaptor

        repeat = Repeat(lambda: ReadFileAdaptor(self.mktemp()))
        yield Pipeline(repeat, sink).activate().whenDone()
        self.assertEqual(repeat.runs, 1)
        self.assertIn("cannot read", sink.shutdown.reason)


# The Station on fake requests


class FakeTransport:
    def __init__(self):
        self.aborted = self.closed = False

    def abortConnection(self):
        self.aborted = True

    def loseConnection(self):
        self.closed = True


class FakeRequest:
    """What the Station uses of a twisted.web request."""

    def __init__(self):
        self.written = []
        self.producer = None
        self.finished = False
        self.transport = FakeTransport()
        self._finish = defer.Deferred()

    def registerProducer(self, producer, streaming):
        self.producer = producer

    def unregisterProducer(self):
        self.producer = None

    def write(self, data):
        self.written.append(data)

    def finish(self):
        self.finished = True
        self._finish.callback(None)

    def notifyFinish(self):
        return self._finish


class StationTests(unittest.TestCase):
    def setUp(self):
        self.clock = task.Clock()
        self.station = Station(reactor=self.clock).activate()
        self.pages = oggPages(readBytes(SAMPLE))

    def play(self, pages):
        """Deliver C{pages} at once, and let a batch interval pass."""
        for page in pages:
            self.station.inboxes["inbox"].deliver(page)
        self.clock.advance(0)
        self.clock.advance(Station.batchInterval)

    def test_lateListenerGetsHeadersFirst(self):
        early = FakeRequest()
        self.station.addListener(early)
        self.play(self.pages[:10])
        late = FakeRequest()
        self.station.addListener(late)
        self.play(self.pages[10:12])
        self.assertEqual(b"".join(early.written), b"".join(self.pages[:12]))
        self.assertEqual(b"".join(late.written), b"".join(self.pages[:2] + self.pages[10:12]))

    def test_newStreamSendsItsHeaders(self):
        """A listener that was paused across a new chained stream gets its headers before its audio."""
        mono = oggPages(readBytes(MONO))
        request = FakeRequest()
        listener = self.station.addListener(request)
        self.play(self.pages[:5])
        request.producer.pauseProducing()
        self.play(self.pages[5:] + mono[:3])
        request.producer.resumeProducing()
        self.play(mono[3:])
        self.assertEqual(b"".join(request.written), b"".join(self.pages[:5] + mono[:2] + mono[3:]))
        self.assertEqual(listener.pagesSkipped, len(self.pages) - 5 + 1)

    def test_slowListenerSkipsOthersDoNot(self):
        slow, fast = FakeRequest(), FakeRequest()
        slowListener = self.station.addListener(slow)
        self.station.addListener(fast)
        self.play(self.pages[:5])
        slow.producer.pauseProducing()
        self.play(self.pages[5:20])
        slow.producer.resumeProducing()
        self.play(self.pages[20:22])
        self.assertEqual(b"".join(fast.written), b"".join(self.pages[:22]))
        self.assertEqual(b"".join(slow.written), b"".join(self.pages[:5] + self.pages[20:22]))
        self.assertEqual(slowListener.pagesSkipped, 15)
        self.assertFalse(slow.transport.aborted)

    def test_pagesBatchedOneWritePerInterval(self):
        """
        After a quiet spell a page goes out at once; the pages that arrive
        within the next batch interval go to each listener in one write.
        """
        requests = [FakeRequest(), FakeRequest()]
        for request in requests:
            self.station.addListener(request)
        self.play(self.pages[:3])
        step = Station.batchInterval / 4
        for page in self.pages[3:6]:
            self.station.inboxes["inbox"].deliver(page)
            self.clock.advance(0)
            self.clock.advance(step)
        expected = [b"".join(self.pages[:3]), self.pages[3]]
        for request in requests:
            self.assertEqual(request.written, expected)
        self.clock.advance(step)
        for request in requests:
            self.assertEqual(request.written, expected + [b"".join(self.pages[4:6])])

    def test_newStreamWithinABatch(self):
        """A batch that spans the start of a chained stream: its headers go before its audio."""
        mono = oggPages(readBytes(MONO))
        request = FakeRequest()
        self.station.addListener(request)
        self.play(self.pages[:5])
        self.play(self.pages[5:] + mono)
        self.assertEqual(b"".join(request.written), b"".join(self.pages + mono))
        self.assertEqual(len(request.written), 3)

    def test_shutdownSendsTheWaitingPages(self):
        request = FakeRequest()
        self.station.addListener(request)
        self.play(self.pages[:3])
        for page in self.pages[3:6]:
            self.station.inboxes["inbox"].deliver(page)
        self.station.inboxes["control"].deliver(shutdownMicroprocess())
        self.clock.advance(Station.batchInterval)
        self.assertTrue(self.station.isDone())
        self.assertEqual(b"".join(request.written), b"".join(self.pages[:6]))
        self.assertTrue(request.finished)

    def test_radioBatchesStayWellUnderTheTransportBuffer(self):
        """
        A RadioStation's batches hold about 16 KB at most, at any speed, so
        that one never fills a transport's 64 KB buffer on its own.
        """
        self.assertEqual(RadioStation(SAMPLE, LOOPBACK).station.batchInterval, Station.batchInterval)
        for speed in [1, 50]:
            radio = RadioStation(SAMPLE, LOOPBACK, speed=speed)
            self.assertLessEqual(radio.station.batchInterval * radio.bitrate / 8, 16384)

    def test_stalledListenerDropped(self):
        request = FakeRequest()
        self.station.addListener(request)
        request.producer.pauseProducing()
        self.clock.advance(Station.stallTimeout - 1)
        self.assertFalse(request.transport.aborted)
        self.clock.advance(1)
        self.assertTrue(request.transport.aborted)
        self.assertEqual(self.station.listenersDropped, 1)

    def test_shutdownEndsEveryListener(self):
        requests = [FakeRequest() for _ in range(3)]
        for request in requests:
            self.station.addListener(request)
        self.play(self.pages[:4])
        self.station.inboxes["control"].deliver(shutdownMicroprocess())
        self.clock.advance(0)
        self.assertTrue(self.station.isDone())
        self.assertEqual([(r.finished, r.transport.closed) for r in requests], [(True, True)] * 3)
        self.assertEqual(self.station.listeners, set())


# The HTTP client against twisted.web


class Endless(Resource):
    """A body that never ends: 4 KB at a time, as fast as the connection takes it."""

    isLeaf = True

    def render_GET(self, request):
        from twisted.internet.interfaces import IPushProducer
        from zope.interface import implementer

        @implementer(IPushProducer)
        class Writer:
            paused = False
            written = 0

            def resumeProducing(self):
                self.paused = False
                while not self.paused and not request.finished and not request._disconnected:
                    request.write(b"x" * 4096)
                    self.written += 4096

            def pauseProducing(self):
                self.paused = True

            def stopProducing(self):
                self.paused = True

        self.writer = Writer()
        request.registerProducer(self.writer, True)
        reactor.callLater(0, self.writer.resumeProducing)
        from twisted.web.server import NOT_DONE_YET

        return NOT_DONE_YET


class BrokenOff(Resource):
    """Announce 100,000 bytes, send 10, and close."""

    isLeaf = True

    def render_GET(self, request):
        request.setHeader(b"Content-Length", b"100000")
        request.write(b"0123456789")
        request.transport.loseConnection()
        from twisted.web.server import NOT_DONE_YET

        return NOT_DONE_YET


class HTTPClientTests(unittest.TestCase):
    @defer.inlineCallbacks
    def setUp(self):
        root = Resource()
        root.putChild(b"data", Data(b"hello " * 1000, "text/plain"))
        root.putChild(b"moved", Redirect(b"/data"))
        self.endless = Endless()
        root.putChild(b"endless", self.endless)
        root.putChild(b"broken", BrokenOff())
        self.server = HTTPServer(root, LOOPBACK).activate()
        self.addCleanup(self.stopServer)
        port = (yield self.server.whenListening()).getHost().port
        self.base = "http://127.0.0.1:{}/".format(port)

    def stopServer(self):
        self.server.inboxes["control"].deliver(shutdownMicroprocess())
        return self.server.whenDone()

    @defer.inlineCallbacks
    def fetch(self, path):
        sink = Collect()
        client = HTTPClient(self.base + path)
        yield Pipeline(client, sink).activate().whenDone()
        return client, sink

    @defer.inlineCallbacks
    def test_body(self):
        client, sink = yield self.fetch("data")
        self.assertEqual(b"".join(sink.collected), b"hello " * 1000)
        self.assertEqual(client.response.code, 200)

    @defer.inlineCallbacks
    def test_redirectFollowed(self):
        client, sink = yield self.fetch("moved")
        self.assertEqual(b"".join(sink.collected), b"hello " * 1000)

    @defer.inlineCallbacks
    def test_notFound(self):
        sink = Collect()
        client = HTTPClient(self.base + "nothing")
        error = yield self.assertFailure(Pipeline(client, sink).activate().whenDone(), HTTPError)
        self.assertEqual(str(error), "GET {}nothing: 404 Not Found".format(self.base))
        self.assertIn("404 Not Found", sink.shutdown.reason)
        self.assertEqual(len(self.flushLoggedErrors(HTTPError)), 1)
        yield self.assertFailure(client.whenResponse(), HTTPError)

    @defer.inlineCallbacks
    def test_connectionRefused(self):
        port = yield freePort()
        client = HTTPClient("http://127.0.0.1:{}/".format(port))
        error = yield self.assertFailure(Pipeline(client, Collect()).activate().whenDone(), HTTPError)
        self.assertIn("cannot connect", str(error))
        self.assertIn("refused", str(error))
        self.flushLoggedErrors(HTTPError)

    @defer.inlineCallbacks
    def test_brokenStream(self):
        sink = Collect()
        error = yield self.assertFailure(
            Pipeline(HTTPClient(self.base + "broken"), sink).activate().whenDone(), HTTPError)
        self.assertIn("the response broke off", str(error))
        self.assertEqual(b"".join(sink.collected), b"0123456789")
        self.flushLoggedErrors(HTTPError)

    @defer.inlineCallbacks
    def test_pausedWhileReceiverFullThenShutdown(self):
        """
        A receiver that takes nothing: the transport is paused, so the server
        stops writing; a shutdown closes the connection.
        """
        from tests.nethelpers import Take

        sink = Take(10 ** 9, hold=True)
        sink.inboxes["inbox"].setCapacity(8)
        client = HTTPClient(self.base + "endless")
        pipeline = Pipeline(client, sink).activate()
        yield sink.full
        received = client.bytesReceived
        for _ in range(20):
            yield task.deferLater(reactor, 0.01)
        self.assertLess(client.bytesReceived, received + 4 * 1024 * 1024)
        self.assertTrue(self.endless.writer.paused)
        client.inboxes["control"].deliver(shutdownMicroprocess())
        yield pipeline.whenDone()
        self.assertTrue(client.isDone())


# The station over loopback HTTP


@defer.inlineCallbacks
def startStation(testCase, filename=SAMPLE, **options):
    """
    Start a L{RadioStation} on a free loopback port, stopped at cleanup.

    @return: a L{Deferred} of C{(station, url)}.
    """
    station = RadioStation(filename, LOOPBACK, **options).activate()

    def stop():
        if not station.isDone():
            station.inboxes["control"].deliver(shutdownMicroprocess())
        return station.whenDone()

    testCase.addCleanup(stop)
    port = (yield station.whenListening()).getHost().port
    return station, "http://127.0.0.1:{}/stream.ogg".format(port)


@defer.inlineCallbacks
def pagesSent(station, count):
    """Wait until the station's pager has sent C{count} pages."""
    while station.components["PAGES"].pagesSent < count:
        yield task.deferLater(reactor, 0.01)


class RawListener(Protocol):
    """An HTTP/1.0 listener on a plain socket: the body arrives unchunked."""

    def __init__(self):
        self.received = bytearray()
        self.done = defer.Deferred()

    def connectionMade(self):
        self.transport.write(b"GET /stream.ogg HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")

    def dataReceived(self, data):
        self.received += data

    def connectionLost(self, reason):
        self.done.callback(None)

    def response(self):
        head, _, body = bytes(self.received).partition(b"\r\n\r\n")
        return head, body


class StationLoopbackTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_lateListenerDecodesWithHTTPClient(self):
        """
        Pipeline(HTTPClient, VorbisDecode, WavWriter) tuned in 5 s into the
        stream: the audio is the source's from there on, sample for sample.
        """
        station, url = yield startStation(self, speed=8)
        yield pagesSent(station, 20)
        path = self.mktemp()
        client = HTTPClient(url)
        yield Pipeline(client, VorbisDecode(), WavWriter(path)).activate().whenDone()
        self.assertEqual(client.response.headers.getRawHeaders(b"content-type"), [b"audio/ogg"])
        got, rate, channels = readWav(path)
        expected = reference(SAMPLE)[0]
        offset = assertSliceOf(self, samples(got), samples(expected), channels)
        self.assertGreater(offset, 3 * 44100 * 2)
        self.assertEqual(offset + len(got) // 2, len(expected) // 2)

    @defer.inlineCallbacks
    def test_manyListeners(self):
        """
        150 listeners on plain sockets: each gets audio/ogg, the header
        pages, then the station's pages from where it tuned in to the end;
        the file was read once.
        """
        station, url = yield startStation(self, speed=4)
        port = int(url.split(":")[2].split("/")[0])
        listeners = [RawListener() for _ in range(150)]
        yield defer.gatherResults([connectPlain(port, listener) for listener in listeners])
        yield defer.gatherResults([listener.done for listener in listeners])
        yield station.whenDone()
        pages = oggPages(readBytes(SAMPLE))
        for listener in listeners:
            head, body = listener.response()
            self.assertIn(b"200 OK", head)
            self.assertIn(b"Content-Type: audio/ogg", head)
            got = oggPages(body)
            self.assertEqual(got[:2], pages[:2])
            start = len(pages) - (len(got) - 2)
            self.assertGreaterEqual(start, 2)
            self.assertEqual(got[2:], pages[start:])
        self.assertEqual(station.components["SOURCE"].bytesSent, len(readBytes(SAMPLE)))

    @defer.inlineCallbacks
    def test_slowListenerSkippedOthersServed(self):
        """
        A listener that stops reading: once its transport's buffer is full it
        misses pages, then is dropped; a listener beside it gets every page.
        """
        station, url = yield startStation(self, speed=50, loop=True)
        station.station.stallTimeout = 1.0
        port = int(url.split(":")[2].split("/")[0])
        slow, fast = RawListener(), RawListener()
        yield connectPlain(port, fast)
        yield connectPlain(port, slow)
        slow.transport.pauseProducing()
        while station.station.listenersDropped == 0:
            yield task.deferLater(reactor, 0.05)
        slow.transport.resumeProducing()  # to read the end of the connection
        yield slow.done
        listeners = list(station.station.listeners)
        self.assertEqual(len(listeners), 1)
        self.assertEqual(listeners[0].pagesSkipped, 0)
        station.inboxes["control"].deliver(shutdownMicroprocess())
        yield fast.done
        got = oggPages(fast.response()[1])
        sequences = [struct.unpack_from("<I", page, 18)[0] for page in got]
        for previous, page, sequence in zip(got, got[1:], sequences[1:]):
            if not isBeginning(page) and serialOf(page) == serialOf(previous):
                self.assertEqual(sequence, struct.unpack_from("<I", previous, 18)[0] + 1)
        self.assertGreater(len(got), 2 * len(oggPages(readBytes(SAMPLE))))


# Real players, real Icecast


def runTool(testCase, args):
    """
    Start the program C{args[0]}; it is killed at cleanup if still running.

    @return: its L{Child}.
    """
    child = Child()
    reactor.spawnProcess(child, shutil.which(args[0]), list(args), env=dict(os.environ))

    def stop():
        if not child.ended.called:
            child.transport.signalProcess("KILL")
        return child.ended

    testCase.addCleanup(stop)
    return child


class PlayerTests(unittest.TestCase):
    """C{twistd -n kamaelia radio} played by ffmpeg and ogg123."""

    @defer.inlineCallbacks
    def startTwistd(self, *options):
        twistd = spawn(self, ["-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia", "radio",
                              "--http", LOOPBACK] + list(options))
        port = int((yield twistd.whenOutput(rb"HTTPConnections\) starting on (\d+)")).group(1))
        return twistd, "http://127.0.0.1:{}/stream.ogg".format(port)

    @defer.inlineCallbacks
    def test_ffmpegFromTheStartAndLate(self):
        """
        Two ffmpeg listeners, one at once and one 6 s into the stream: both
        decode the source's audio (ffmpeg's decoder is within 1 of ov_read),
        and twistd ends with the file.
        """
        requireTool("ffmpeg", "ffmpeg")
        twistd, url = yield self.startTwistd("--speed", "4")
        first = runTool(self, ["ffmpeg", "-v", "error", "-i", url, "-f", "s16le", "-"])
        yield task.deferLater(reactor, 1.5)
        late = runTool(self, ["ffmpeg", "-v", "error", "-i", url, "-f", "s16le", "-"])
        codes = yield defer.gatherResults([first.ended, late.ended, twistd.ended])
        self.assertEqual(codes, [0, 0, 0], first.err + late.err)
        expected = samples(reference(SAMPLE)[0])
        early = assertSliceOf(self, samples(first.out), expected, 2, tolerance=1)
        later = assertSliceOf(self, samples(late.out), expected, 2, tolerance=1)
        self.assertGreater(later - early, 3 * 44100 * 2)

    @defer.inlineCallbacks
    def test_ogg123JoinsALoopingStationLate(self):
        """
        ogg123 tunes in to a looping station a few seconds in, plays across
        the start of the next pass (a new chained stream) and is stopped
        with SIGINT: its WAV holds the source's samples exactly.
        """
        requireTool("ogg123", "vorbis-tools")
        twistd, url = yield self.startTwistd("--speed", "4", "--file", MONO, "--loop")
        yield task.deferLater(reactor, 1.0)
        path = os.path.abspath(self.mktemp())
        player = runTool(self, ["ogg123", "-q", "-d", "wav", "-f", path, url])
        while not os.path.exists(path) or os.path.getsize(path) < 3 * 22050 * 2:
            yield task.deferLater(reactor, 0.1)
        player.transport.signalProcess("INT")
        yield player.ended
        twistd.transport.signalProcess("TERM")
        yield twistd.ended
        got = samples(wavData(path))
        expected = samples(reference(MONO)[0])
        offset = assertSliceOf(self, got, numpy.concatenate([expected] * 4), 1, least=22050)
        self.assertGreater(len(got), len(expected) - offset)  # it played into the next pass


ICECAST_CONFIG = """<icecast>
  <limits><sources>2</sources></limits>
  <authentication>
    <source-password>{password}</source-password>
    <admin-user>admin</admin-user><admin-password>{password}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>0</fileserve>
  <paths>
    <basedir>{folder}</basedir><logdir>{folder}</logdir><webroot>{folder}</webroot>
    <adminroot>{folder}</adminroot><pidfile>{folder}/icecast.pid</pidfile>
  </paths>
  <logging><errorlog>-</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot>
    <changeowner><user>nobody</user><group>nogroup</group></changeowner></security>
</icecast>
"""


@defer.inlineCallbacks
def startIcecast(testCase, password="hackme"):
    """
    Start icecast2 on a free loopback port with a config of its own.

    @return: a L{Deferred} of the port number, once it accepts connections.
    """
    port = yield freePort()
    folder = tempfile.mkdtemp(prefix="kamaelia-icecast-")  # icecast2 runs as nobody: not under _trial_temp
    testCase.addCleanup(shutil.rmtree, folder, True)
    os.chmod(folder, 0o777)
    config = os.path.join(folder, "icecast.xml")
    with open(config, "w") as f:
        f.write(ICECAST_CONFIG.format(password=password, port=port, folder=folder))
    icecast = runTool(testCase, ["icecast2", "-c", config])
    for attempt in range(100):
        try:
            yield Pipeline(HTTPClient("http://127.0.0.1:{}/nothing".format(port)), Collect()).activate().whenDone()
        except HTTPError as error:
            testCase.flushLoggedErrors(HTTPError)
            if "404" in str(error):
                return port
        yield task.deferLater(reactor, 0.1)
    raise AssertionError("icecast2 does not answer: {!r}".format(icecast.out + icecast.err))


class IcecastTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_httpClientPlaysIcecast(self):
        """
        ffmpeg feeds a real icecast2; Pipeline(HTTPClient, VorbisDecode,
        WavWriter) tunes in: the audio is the file's, sample for sample,
        and the pipeline ends when the source does.
        """
        requireTool("icecast2", "icecast2")
        requireTool("ffmpeg", "ffmpeg")
        port = yield startIcecast(self)
        feeder = runTool(self, ["ffmpeg", "-v", "error", "-readrate", "4", "-i", SAMPLE, "-c", "copy",
                                "-content_type", "audio/ogg", "-f", "ogg",
                                "icecast://source:hackme@127.0.0.1:{}/radio.ogg".format(port)])
        url = "http://127.0.0.1:{}/radio.ogg".format(port)
        while True:
            path = self.mktemp()
            try:
                yield Pipeline(HTTPClient(url), VorbisDecode(), WavWriter(path)).activate().whenDone()
                break
            except HTTPError as error:
                self.assertIn("404", str(error))  # the mount is there once ffmpeg has connected
                self.assertFalse(feeder.ended.called, feeder.err)
                self.flushLoggedErrors(HTTPError)
                yield task.deferLater(reactor, 0.05)
        self.assertEqual((yield feeder.ended), 0, feeder.err)
        got, rate, channels = readWav(path)
        expected = reference(SAMPLE)[0]
        offset = assertSliceOf(self, samples(got), samples(expected), channels)
        self.assertEqual(offset + len(got) // 2, len(expected) // 2)


class ExampleTests(unittest.TestCase):
    """examples/radio.py, run as a program."""

    @defer.inlineCallbacks
    def test_playsThenCtrlC(self):
        station = spawn(self, [os.path.join(ROOT, "examples", "radio.py"), "--http", LOOPBACK, "--loop",
                               "--speed", "4"])
        url = (yield station.whenOutput(rb"on (http://\S+)")).group(1).decode()
        sink = FirstChunk()
        client = Pipeline(HTTPClient(url), VorbisDecode(), sink).activate()
        yield sink.arrived
        client.inboxes["control"].deliver(shutdownMicroprocess())
        yield client.whenDone()
        self.assertEqual(sink.collected[0].rate, 44100)
        station.transport.signalProcess("INT")
        self.assertEqual((yield station.ended), 130)
        self.assertEqual(station.err, b"")

    @defer.inlineCallbacks
    def test_portInUse(self):
        """
        A port already in use: one line on stderr saying so, exit status 1.
        """
        busy = socket.socket()
        self.addCleanup(busy.close)
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        station, code = yield runChild(self, [os.path.join(ROOT, "examples", "radio.py"), "--http",
                                              "tcp:{}:interface=127.0.0.1".format(port)])
        self.assertEqual((code, station.err.decode().splitlines()),
                         (1, ["radio: Couldn't listen on 127.0.0.1:{}: [Errno 98] Address already in use."
                              .format(port)]))


# Multicast


GROUP = "239.255.42.1"


class PageJoinerTests(unittest.TestCase):
    """PageJoiner on pages as datagrams, on a Clock."""

    def setUp(self):
        self.clock = task.Clock()
        self.sink = Collect()
        self.joiner = PageJoiner(reactor=self.clock)
        Pipeline(self.joiner, self.sink, reactor=self.clock).activate()
        self.pages = oggPages(readBytes(SAMPLE))

    def feed(self, datagrams):
        for datagram in datagrams:
            self.joiner.inboxes["inbox"].deliver(datagram)
        self.clock.advance(0)

    def test_waitsForHeadersDropsRepeats(self):
        """Audio before the headers is dropped; repeated headers of the stream being passed are too."""
        pages = self.pages
        self.feed(pages[10:12] + pages[:2] + pages[12:14] + pages[:2] + pages[14:15])
        self.assertEqual(self.sink.collected, pages[:2] + pages[12:15])
        self.assertEqual(self.joiner.pagesSkipped, 4)

    def test_badDatagramsSkipped(self):
        """Junk, a truncated page, a corrupt page and a non-bytes message are dropped; the rest passes."""
        pages = self.pages
        corrupt = bytearray(pages[11])
        corrupt[60] ^= 1
        self.feed([b"junk", pages[1][:100]] + pages[:2] + [pages[10][:-1], bytes(corrupt), None,
                                                           pages[10] + b"x", pages[12]])
        self.assertEqual(self.sink.collected, pages[:2] + [pages[12]])
        self.assertEqual(self.joiner.dropped, 6)
        self.assertFalse(self.joiner.isDone())

    def test_newChainedStream(self):
        """A new stream's headers are passed on once complete, then its audio."""
        mono = oggPages(readBytes(MONO))
        headers = HeaderPages()
        count = sum(headers.add(page) for page in mono[:5])
        self.feed(self.pages[:2] + self.pages[20:22] + mono[count : count + 2] + mono)
        self.assertEqual(self.sink.collected, self.pages[:2] + self.pages[20:22] + mono)
        self.assertEqual(self.joiner.streams, 2)


class HeaderRepeatTests(unittest.TestCase):
    def test_headersRepeatedEachInterval(self):
        clock, sink = task.Clock(), Collect()
        repeat = HeaderRepeat(2.0, reactor=clock)
        Pipeline(repeat, sink, reactor=clock).activate()
        pages = oggPages(readBytes(SAMPLE))
        for index, page in enumerate(pages[:12]):
            repeat.inboxes["inbox"].deliver(page)
            clock.advance(0.5)
        # headers at t=0 and 0.5; due at 2.5: before the page at t=2.5 (index 5) and t=4.5 (index 9)
        self.assertEqual(sink.collected, pages[:5] + pages[:2] + pages[5:9] + pages[:2] + pages[9:12])
        self.assertEqual(repeat.repeats, 2)


def joinOrSkip(testCase, listener):
    """Skip the test, saying why, if the listener cannot join the group here."""
    def failed(failure):
        failure.trap(OSError)
        testCase.flushLoggedErrors(OSError)
        raise unittest.SkipTest("cannot join {} on the loopback interface: {}".format(GROUP, failure.value))
    return listener.components["RECEIVE"].whenListening().addErrback(failed)


class MulticastLoopbackTests(unittest.TestCase):
    @defer.inlineCallbacks
    def listen(self, port, seconds, delay=0):
        path = self.mktemp()
        writer = WavWriter(path)
        listener = radioListener(GROUP, port, writer, interface="127.0.0.1", seconds=seconds).activate()
        self.addCleanup(lambda: listener.isDone() or listener.inboxes["control"].deliver(
            shutdownMicroprocess()))
        self.addCleanup(listener.whenDone)
        yield joinOrSkip(self, listener)
        return listener, path

    @defer.inlineCallbacks
    def test_stationToListenersLateToo(self):
        """
        A station multicasting over loopback: a listener from the start and
        one that joins 2 s in (after the first header pages) both decode the
        source's audio exactly, from where they joined.
        """
        port = yield freePort()
        first, firstPath = yield self.listen(port, 3)
        station = RadioStation(SAMPLE, None, speed=4, multicast=(GROUP, port), interface="127.0.0.1",
                               headerInterval=0.5).activate()
        self.addCleanup(lambda: station.isDone() or station.inboxes["control"].deliver(shutdownMicroprocess()))
        self.addCleanup(station.whenDone)
        yield task.deferLater(reactor, 2.0)
        late, latePath = yield self.listen(port, 3)
        yield defer.gatherResults([first.whenDone(), late.whenDone()])
        expected = samples(reference(SAMPLE)[0])
        early = assertSliceOf(self, samples(readWav(firstPath)[0]), expected, 2, least=44100 * 2)
        later = assertSliceOf(self, samples(readWav(latePath)[0]), expected, 2, least=44100 * 2)
        self.assertGreater(later - early, 44100 * 2 * 2)
        self.assertEqual(late.components["JOIN"].streams, 1)
        self.assertGreater(station.components["REPEAT"].repeats, 0)

    @defer.inlineCallbacks
    def test_garbageDatagramsDoNotEndTheListener(self):
        """Garbage and truncated pages sent to the group are dropped; the pages that follow decode."""
        port = yield freePort()
        listener, path = yield self.listen(port, 2)
        pages = oggPages(readBytes(SAMPLE))
        sender = Multicast_transceiver("127.0.0.1", 0, GROUP, port)
        sent = Pipeline(DataSource([b"garbage", pages[5][:200], b"OggS" + b"\0" * 40] + pages), sender)
        yield sent.activate().whenDone()
        yield listener.whenDone()
        self.assertEqual(listener.components["JOIN"].dropped, 3)
        expected = samples(reference(SAMPLE)[0])
        offset = assertSliceOf(self, samples(readWav(path)[0]), expected, 2, least=44100 * 2)
        self.assertEqual(offset, 0)


class MulticastTwistdTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_radioAndRadioListen(self):
        """
        twistd radio --no-http --multicast and twistd radio-listen --seconds:
        the listener's WAV holds the source's audio, and it exits 0.
        """
        port = yield freePort()
        group = "{}:{}".format(GROUP, port)
        path = os.path.abspath(self.mktemp())
        listener = spawn(self, ["-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia", "radio-listen",
                                "--multicast", group, "--interface", "127.0.0.1", "--wav", path,
                                "--seconds", "2"])
        yield listener.whenOutput(rb"starting on \d+")
        spawn(self, ["-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia", "radio", "--no-http",
                     "--multicast", group, "--interface", "127.0.0.1", "--speed", "4", "--loop"])
        self.assertEqual((yield listener.ended), 0, listener.out)
        assertSliceOf(self, samples(readWav(path)[0]), samples(reference(SAMPLE)[0]), 2, least=44100)


class ListenExampleTests(unittest.TestCase):
    """examples/radio_listen.py, run as a program."""

    @defer.inlineCallbacks
    def test_ctrlCExitsQuietly(self):
        port = yield freePort()
        listener = spawn(self, [os.path.join(ROOT, "examples", "radio_listen.py"), "--multicast",
                                "{}:{}".format(GROUP, port), "--interface", "127.0.0.1", "--wav", os.path.abspath(self.mktemp())])
        yield listener.whenOutput(rb"listening to")
        listener.transport.signalProcess("INT")
        self.assertEqual((yield listener.ended), 130)
        self.assertEqual(listener.err, b"")

    @defer.inlineCallbacks
    def test_badInterface(self):
        """
        An interface it cannot listen on: one line on stderr, status 1.
        """
        port = yield freePort()
        child, code = yield runChild(self, [
            os.path.join(ROOT, "examples", "radio_listen.py"), "--multicast", "{}:{}".format(GROUP, port),
            "--interface", "192.0.2.1", "--wav", os.path.abspath(self.mktemp())])
        self.assertEqual((code, child.err.decode()), (1, "radio_listen: [Errno 99] Cannot assign requested address\n"))

    @defer.inlineCallbacks
    def test_help(self):
        child, code = yield runChild(self, [os.path.join(ROOT, "examples", "radio_listen.py"), "--help"])
        self.assertEqual(code, 0)
        self.assertIn(b"--multicast", child.out)
