"""
Ogg Vorbis streaming end to end: the Vorbis server and client over real
loopback TCP, playback under SDL's dummy driver, and the examples and the
twistd commands run as real programs. Every WAV written must hold exactly
the samples libvorbisfile's C{ov_read} gives for the file.
"""

import os
import wave

from twisted.internet import defer, reactor
from twisted.internet.task import deferLater
from twisted.trial import unittest

from kamaelia_twisted import Component, producerFinished, shutdownMicroprocess
from kamaelia_twisted.apps.vorbis import pcmSink, vorbisClient, vorbisServer
from kamaelia_twisted.audio import AudioPlayback
from kamaelia_twisted.audio.device import soundDeviceLikely
from kamaelia_twisted.codec import VorbisFormatError, VorbisTruncatedError
from kamaelia_twisted.file import ReadFileAdaptor
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.net import SimpleServer
from kamaelia_twisted.util import DataSource
from tests.children import ROOT, childEnvironment, runChild, spawn
from tests.helpers import setEnvironment
from tests.nethelpers import freePort
from tests.test_oggvorbis import MONO, oggPages, readBytes, reference

LOOPBACK = "tcp:0:interface=127.0.0.1"
TWISTD = "from twisted.scripts.twistd import run; run()"
SERVER = os.path.join(ROOT, "examples", "vorbis_server.py")
CLIENT = os.path.join(ROOT, "examples", "vorbis_client.py")


def readWav(path):
    """
    Return C{(samples, rate, channels)} of a 16-bit WAV file, like L{reference}.
    """
    with wave.open(path, "rb") as wav:
        return wav.readframes(wav.getnframes()), wav.getframerate(), wav.getnchannels()


class FirstChunk(Component):
    """
    Keep what arrives; C{arrived} fires at the first message. Ends on shutdown.
    """

    def __init__(self, **attributes):
        Component.__init__(self, **attributes)
        self.arrived = defer.Deferred()
        self.collected = []
        self.shutdown = None

    def main(self):
        while self.shutdown is None:
            while self.dataReady("inbox"):
                self.collected.append(self.recv("inbox"))
                if not self.arrived.called:
                    self.arrived.callback(None)
            self.shutdown = self.checkShutdown()
            if self.shutdown is None:
                self.pause()
                yield 1
        self.send(self.shutdown, "signal")


class ServerMixin:
    """
    Start servers on free loopback ports, stopped at cleanup.
    """

    @defer.inlineCallbacks
    def serve(self, server):
        """
        Activate C{server}; fire with its port number once it listens.
        """
        server.activate()

        def stop():
            if not server.isDone():
                server.inboxes["control"].deliver(shutdownMicroprocess())
            return server.whenDone()

        self.addCleanup(stop)
        port = yield server.whenListening()
        return port.getHost().port


class LoopbackStreamingTests(ServerMixin, unittest.TestCase):
    """vorbisServer and vorbisClient over real loopback TCP."""

    @defer.inlineCallbacks
    def test_wavIdenticalToReference(self):
        port = yield self.serve(vorbisServer(SAMPLE, endpoint=LOOPBACK, speed=100))
        path = self.mktemp()
        client = vorbisClient("127.0.0.1", port, sink=pcmSink(path))
        yield client.activate().whenDone()
        self.assertEqual(readWav(path)[1:], (44100, 2))
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")
        decoder = client.childComponents()[1]
        self.assertEqual(decoder.bytesDecoded, len(readBytes(SAMPLE)))

    @defer.inlineCallbacks
    def test_twoClientsAtOnce(self):
        port = yield self.serve(vorbisServer(MONO, endpoint=LOOPBACK, speed=20))
        paths = [self.mktemp(), self.mktemp()]
        clients = [vorbisClient("127.0.0.1", port, sink=pcmSink(path)).activate() for path in paths]
        yield defer.gatherResults([client.whenDone() for client in clients])
        for path in paths:
            self.assertTrue(readWav(path) == reference(MONO), "the WAV differs from ov_read's samples")

    @defer.inlineCallbacks
    def test_clientLeavesEarly(self):
        """
        A client that stops mid-stream closes its connection; the server's
        handler for it stops reading and the server keeps listening.
        """
        server = vorbisServer(SAMPLE, endpoint=LOOPBACK)
        port = yield self.serve(server)
        sink = FirstChunk()
        client = vorbisClient("127.0.0.1", port, sink=sink).activate()
        yield sink.arrived
        connection, = server.factory.connections
        stop = shutdownMicroprocess()
        client.inboxes["control"].deliver(stop)
        yield client.whenDone()
        yield connection.whenDone()
        self.assertIs(sink.shutdown, stop)
        self.assertLess(connection.handler.bytesSent, len(readBytes(SAMPLE)))
        self.assertFalse(server.isDone())
        self.assertEqual(server.factory.connections, set())

    @defer.inlineCallbacks
    def test_endlessGarbage(self):
        """
        A server sending random bytes forever: the client fails with a clear
        error after 64 KB and closes the connection; nothing hangs.
        """
        server = SimpleServer(protocol=lambda: ReadFileAdaptor("/dev/urandom", readmode="block"),
                              endpoint=LOOPBACK)
        port = yield self.serve(server)
        path = self.mktemp()
        client = vorbisClient("127.0.0.1", port, sink=pcmSink(path))
        error = yield self.assertFailure(client.activate().whenDone(), VorbisFormatError)
        self.assertIn("not an Ogg stream", str(error))
        self.assertEqual(len(self.flushLoggedErrors(VorbisFormatError)), 1)
        self.assertFalse(os.path.exists(path))
        yield defer.gatherResults([connection.whenDone() for connection in server.factory.connections])

    @defer.inlineCallbacks
    def test_streamCutShort(self):
        """
        The server closes halfway: the WAV holds the audio received, and
        the client fails saying the stream was truncated.
        """
        data = readBytes(SAMPLE)
        port = yield self.serve(SimpleServer(protocol=lambda: DataSource([data[: len(data) // 2]]),
                                             endpoint=LOOPBACK))
        path = self.mktemp()
        error = yield self.assertFailure(
            vorbisClient("127.0.0.1", port, sink=pcmSink(path)).activate().whenDone(), VorbisTruncatedError)
        self.assertIn("before the end of the Vorbis bitstream", str(error))
        self.assertEqual(len(self.flushLoggedErrors(VorbisTruncatedError)), 1)
        got, expected = readWav(path)[0], reference(SAMPLE)[0]
        self.assertGreater(len(got), len(expected) * 0.4)
        self.assertTrue(got == expected[: len(got)], "the audio received differs from ov_read's")

    @defer.inlineCallbacks
    def test_bitFlipsOnTheWire(self):
        """
        A few bits flipped in the audio pages: the pages they hit are skipped
        and the stream ends normally.
        """
        pages = oggPages(readBytes(SAMPLE))
        for index in (len(pages) // 4, len(pages) // 2, 3 * len(pages) // 4):
            page = bytearray(pages[index])
            page[len(page) // 3] ^= 0x08
            pages[index] = bytes(page)
        stream = b"".join(pages)
        port = yield self.serve(SimpleServer(protocol=lambda: DataSource([stream]), endpoint=LOOPBACK))
        path = self.mktemp()
        yield vorbisClient("127.0.0.1", port, sink=pcmSink(path)).activate().whenDone()
        got, expected = readWav(path)[0], reference(SAMPLE)[0]
        self.assertLess(len(got), len(expected))
        self.assertGreater(len(got), len(expected) * 0.8)


class PlaybackTests(ServerMixin, unittest.TestCase):
    """The client playing through SDL's dummy audio driver (which plays in real time)."""

    def setUp(self):
        setEnvironment(self, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")

    @defer.inlineCallbacks
    def test_playsTheWholeStream(self):
        port = yield self.serve(vorbisServer(MONO, endpoint=LOOPBACK, speed=10))
        player = AudioPlayback()
        client = vorbisClient("127.0.0.1", port, sink=player)
        reports = FirstChunk()
        client.link((player, "progress"), (reports, "inbox"))
        reports.activate()
        yield client.activate().whenDone()
        reports.inboxes["control"].deliver(producerFinished())
        yield reports.whenDone()
        self.assertAlmostEqual(player.secondsPlayed, 2.5)
        self.assertAlmostEqual(reports.collected[-1].played, 2.5)
        self.assertEqual(reports.collected[-1].buffered, 0)
        self.assertLessEqual(max(report.buffered for report in reports.collected), player.bufferSeconds + 0.5)


class DemoTests(unittest.TestCase):
    """examples/stream_demo.py, the project's demo, run as a program."""

    demo = os.path.join(ROOT, "examples", "stream_demo.py")

    @defer.inlineCallbacks
    def test_wav(self):
        path = os.path.abspath(self.mktemp())
        child, code = yield runChild(self, [self.demo, "--wav", path, "--speed", "50", "--interval", "0.05"])
        self.assertEqual(code, 0, child.err)
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")
        out = child.out.decode()
        self.assertIn("streamed 14.0 s of audio (179,158 bytes)", out)
        self.assertIn("written to {}".format(path), out)
        self.assertRegex(out, r"received +14\.0 s \| decoded +14\.0 s \| written +14\.0 s")

    @defer.inlineCallbacks
    def test_noSoundDevice(self):
        """
        With no sound device in sight, the demo says so and writes a WAV file
        in the temporary directory.
        """
        if os.path.exists("/dev/snd"):
            raise unittest.SkipTest("this machine has ALSA devices")
        tmp = os.path.abspath(self.mktemp())
        os.makedirs(tmp)
        env = childEnvironment(SDL_AUDIODRIVER=None, PULSE_SERVER=None, XDG_RUNTIME_DIR=None, TMPDIR=tmp)
        child, code = yield runChild(self, [self.demo, "--speed", "50"], env)
        self.assertEqual(code, 0, child.err)
        path = os.path.join(tmp, "kamaelia_stream_demo.wav")
        self.assertIn("no sound device: writing the audio to {}".format(path), child.out.decode())
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")

    @defer.inlineCallbacks
    def test_playsOnTheDummyDriver(self):
        """SDL_AUDIODRIVER=dummy counts as a sound device: the demo plays, paced by it."""
        env = childEnvironment(SDL_AUDIODRIVER="dummy")
        child, code = yield runChild(self, [self.demo, "--file", MONO, "--speed", "10"], env)
        self.assertEqual(code, 0, child.err)
        self.assertIn("streamed 2.5 s of audio", child.out.decode())
        self.assertIn("played on the sound device", child.out.decode())
        self.assertRegex(child.out.decode(), r"played +2\.5 s \| buffer +0\.0 s")

    @defer.inlineCallbacks
    def test_unwritableWav(self):
        """
        A WAV file it cannot write: one line on stderr, status 1.
        """
        path = os.path.join(os.path.abspath(self.mktemp()), "missing", "out.wav")
        child, code = yield runChild(self, [self.demo, "--wav", path])
        self.assertEqual((code, child.err.decode()),
                         (1, "stream_demo: [Errno 2] No such file or directory: '{}'\n".format(path)))

    @defer.inlineCallbacks
    def test_notVorbis(self):
        readme = os.path.join(ROOT, "README.md")
        child, code = yield runChild(self, [self.demo, "--file", readme, "--wav", self.mktemp()])
        self.assertEqual(code, 1)
        self.assertIn("README.md is not an Ogg Vorbis file", child.err.decode())


class ExampleTests(ServerMixin, unittest.TestCase):
    """examples/vorbis_server.py and examples/vorbis_client.py, run as programs."""

    @defer.inlineCallbacks
    def test_serverAndClient(self):
        server = spawn(self, [SERVER, "--port", LOOPBACK, "--speed", "50"])
        port = (yield server.whenOutput(rb"at 5600000 bit/s on port (\d+)")).group(1).decode()
        path = os.path.abspath(self.mktemp())
        child, code = yield runChild(self, [CLIENT, "--port", port, "--wav", path])
        self.assertEqual(code, 0, child.err)
        self.assertIn("received 14.0 s of audio (179,158 bytes) to {}".format(path), child.out.decode())
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")
        server.transport.signalProcess("INT")
        self.assertEqual((yield server.ended), 130)

    @defer.inlineCallbacks
    def test_clientWithoutServer(self):
        port = yield freePort()
        path = os.path.abspath(self.mktemp())
        child, code = yield runChild(self, [CLIENT, "--port", str(port), "--wav", path])
        self.assertEqual(code, 1)
        self.assertIn("vorbis_client: Connection was refused", child.err.decode())

    @defer.inlineCallbacks
    def test_clientWithoutSoundDevice(self):
        """
        With no sound device in sight, the client says so and writes a WAV
        file in the temporary directory, as the demo does.
        """
        if os.path.exists("/dev/snd"):
            raise unittest.SkipTest("this machine has ALSA devices")
        port = yield self.serve(vorbisServer(SAMPLE, endpoint=LOOPBACK, speed=50))
        tmp = os.path.abspath(self.mktemp())
        os.makedirs(tmp)
        env = childEnvironment(SDL_AUDIODRIVER=None, PULSE_SERVER=None, XDG_RUNTIME_DIR=None, TMPDIR=tmp)
        child, code = yield runChild(self, [CLIENT, "--port", str(port)], env)
        self.assertEqual(code, 0, child.err)
        path = os.path.join(tmp, "kamaelia_vorbis_client.wav")
        self.assertIn("no sound device: writing the audio to {}".format(path), child.out.decode())
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")

    @defer.inlineCallbacks
    def test_clientInterrupted(self):
        """
        Ctrl-C of a client writing a WAV file mid-stream exits with status
        130 and leaves a complete WAV file: its header counts exactly the
        frames it holds, which are the stream's first samples.
        """
        server = spawn(self, [SERVER, "--port", LOOPBACK])
        port = (yield server.whenOutput(rb"on port (\d+)")).group(1).decode()
        path = os.path.abspath(self.mktemp())
        client = spawn(self, [CLIENT, "--port", port, "--wav", path])
        samples, rate, channels = reference(SAMPLE)
        threeSeconds = 3 * rate * channels * 2
        while not client.ended.called and not (os.path.exists(path) and os.path.getsize(path) > threeSeconds):
            yield deferLater(reactor, 0.1, lambda: None)
        self.assertFalse(client.ended.called, client.err)
        client.transport.signalProcess("INT")
        self.assertEqual((yield client.ended), 130, client.err)
        self.assertNotIn(b"Traceback", client.err)
        with open(path, "rb") as f:
            data = f.read()
        dataLength = len(data) - (data.index(b"data") + 8)
        with wave.open(path, "rb") as wav:
            frameSize = wav.getnchannels() * wav.getsampwidth()
            self.assertEqual(wav.getnframes() * frameSize, dataLength)
            self.assertGreater(wav.getnframes(), 3 * rate)
            self.assertTrue(wav.readframes(wav.getnframes()) == samples[:dataLength],
                            "the WAV differs from the start of ov_read's samples")
        server.transport.signalProcess("INT")
        self.assertEqual((yield server.ended), 130)


class TwistdTests(ServerMixin, unittest.TestCase):
    """C{twistd -n kamaelia vorbis-server} and C{vorbis-client}."""

    @defer.inlineCallbacks
    def test_server(self):
        twistd = spawn(self, ["-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia", "vorbis-server",
                              "--port", LOOPBACK, "--speed", "50"])
        port = int((yield twistd.whenOutput(rb"ComponentFactory starting on (\d+)")).group(1))
        path = self.mktemp()
        yield vorbisClient("127.0.0.1", port, sink=pcmSink(path)).activate().whenDone()
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")
        twistd.transport.signalProcess("TERM")
        yield twistd.ended
        # twistd stops cleanly, then ends itself with the signal that stopped it.
        self.assertEqual(twistd.signal, 15)
        self.assertRegex(twistd.out, rb"graph SimpleServer_\d+ stopped")
        self.assertIn(b"Server Shut Down.", twistd.out)

    @defer.inlineCallbacks
    def test_client(self):
        """The client command writes the WAV, then twistd ends by itself."""
        port = yield self.serve(vorbisServer(SAMPLE, endpoint=LOOPBACK, speed=50))
        path = os.path.abspath(self.mktemp())
        child, code = yield runChild(self, ["-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia",
                                      "vorbis-client", "--port", str(port), "--wav", path])
        self.assertEqual(code, 0, child.out)
        self.assertTrue(readWav(path) == reference(SAMPLE), "the WAV differs from ov_read's samples")

    @defer.inlineCallbacks
    def test_serverNotVorbis(self):
        child, code = yield runChild(self, ["-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia",
                                      "vorbis-server", "--file", os.path.join(ROOT, "README.md")])
        self.assertNotEqual(code, 0)
        self.assertIn(b"vorbis-server: ", child.out + child.err)
        self.assertIn(b"is not an Ogg Vorbis file", child.out + child.err)


class SoundDeviceLikelyTests(unittest.TestCase):
    """How the demo and the client guess, without touching audio, whether SDL can find a sound device."""

    def likely(self, environ, paths=(), platform="linux"):
        return soundDeviceLikely(environ, exists=lambda path: path in paths, platform=platform)

    def test_headless(self):
        self.assertFalse(self.likely({}))
        self.assertFalse(self.likely({"XDG_RUNTIME_DIR": "/run/user/1000"}))

    def test_sdlDriverChosen(self):
        self.assertTrue(self.likely({"SDL_AUDIODRIVER": "dummy"}))

    def test_alsaDevices(self):
        self.assertTrue(self.likely({}, paths={"/dev/snd"}))

    def test_soundServers(self):
        self.assertTrue(self.likely({"PULSE_SERVER": "tcp:host"}))
        runtime = {"XDG_RUNTIME_DIR": "/run/user/1000"}
        self.assertTrue(self.likely(runtime, paths={"/run/user/1000/pulse/native"}))
        self.assertTrue(self.likely(runtime, paths={"/run/user/1000/pipewire-0"}))

    def test_desktopSystems(self):
        self.assertTrue(self.likely({}, platform="darwin"))
        self.assertTrue(self.likely({}, platform="win32"))
