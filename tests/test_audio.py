"""
Tests for L{kamaelia_twisted.audio}: L{AudioPlayback} on SDL's C{dummy} and
C{disk} audio drivers, and L{WavWriter}.
"""

import os
import wave

import numpy
import pygame
from twisted.internet import defer
from twisted.trial import unittest

from kamaelia_twisted import (
    Component, Graphline, Pipeline, errorOccurred, producerFinished, shutdownMicroprocess,
)
from kamaelia_twisted.audio import (
    AOAudioPlaybackAdaptor, AudioDeviceError, AudioPlayback, PCMStreamError, PlaybackProgress, WavWriter,
)
from kamaelia_twisted.codec.pcm import PCMChunk
from kamaelia_twisted.util import Collect, DataSource

from .helpers import Recorder, setEnvironment


def tone(seconds, rate, channels, frequency=440.0, amplitude=8000, start=0):
    """
    Return C{seconds} of a sine wave as PCM bytes, each channel at a multiple
    of C{frequency} and a fraction of C{amplitude}, from frame C{start}.
    """
    frames = numpy.arange(start, start + int(round(seconds * rate)))
    waves = [amplitude / (c + 1) * numpy.sin(2 * numpy.pi * frequency * (c + 1) * frames / rate)
             for c in range(channels)]
    return numpy.stack(waves, axis=1).round().astype("<i2").tobytes()


def chunked(data, rate, channels, seconds):
    """
    Split PCM bytes into L{PCMChunk}s of C{seconds} each.
    """
    step = int(round(seconds * rate)) * 2 * channels
    return [PCMChunk(data[i:i + step], rate, channels) for i in range(0, len(data), step)]


class AudioDriverMixin:
    """
    Run each test on an SDL audio driver chosen by L{useDriver}, closing the
    mixer afterwards.
    """

    def useDriver(self, driver, **variables):
        setEnvironment(self, SDL_AUDIODRIVER=driver, **variables)
        self.addCleanup(pygame.mixer.quit)

    def play(self, chunks, player):
        """
        Play C{chunks} through C{player}, collecting its progress reports.

        @return: a Deferred firing with the graph's components once it ends.
        """
        monitor = Collect()
        graph = Graphline(
            SRC=DataSource(chunks), PLAY=player, MON=monitor,
            linkages={
                ("SRC", "outbox"): ("PLAY", "inbox"), ("SRC", "signal"): ("PLAY", "control"),
                ("PLAY", "progress"): ("MON", "inbox"), ("PLAY", "signal"): ("MON", "control"),
            },
        ).activate()
        return graph.whenDone().addCallback(lambda _: (player, monitor))


class PlaybackTests(AudioDriverMixin, unittest.TestCase):
    def setUp(self):
        self.useDriver("dummy")

    def test_pacedByDevice(self):
        """
        1 s of audio is played no faster than real time as the device takes
        it, while the buffer stays within its bound (C{bufferSeconds} and one
        chunk); the reports end at the stream's duration with nothing left
        buffered.
        """
        chunks = chunked(tone(1.0, 22050, 1), 22050, 1, 0.02)
        player = AudioPlayback(bufferSeconds=0.5, segmentSeconds=0.1)

        def check(result):
            player, monitor = result
            reports = monitor.collected
            self.assertTrue(all(isinstance(r, PlaybackProgress) for r in reports))
            played = [r.played for r in reports]
            self.assertEqual(played, sorted(played))
            self.assertGreater(len(set(played)), 5)
            # At most bufferSeconds and one chunk.
            self.assertLessEqual(max(r.buffered for r in reports), 0.52 + 1e-9)
            start = reports[0].at
            for report in reports:
                # The device takes a buffer ahead, and SDL 2.28's dummy driver sleeps
                # whole milliseconds per buffer, so it runs about 1% fast at 22050 Hz.
                self.assertLessEqual(report.played, report.at - start + 0.1)
            self.assertAlmostEqual(reports[-1].played, 1.0, places=9)
            self.assertEqual(reports[-1].buffered, 0)
            self.assertAlmostEqual(player.secondsPlayed, 1.0, places=9)
            self.assertIsInstance(monitor.shutdown, producerFinished)
            self.assertIsNone(pygame.mixer.get_init())

        return self.play(chunks, player).addCallback(check)

    @defer.inlineCallbacks
    def test_prebuffer(self):
        """
        Playing starts once C{prebufferSeconds} are held, not before.
        """
        player = AudioPlayback(bufferSeconds=1.0, segmentSeconds=0.1, prebufferSeconds=0.5)
        reports = Recorder()
        graph = Graphline(PLAY=player, MON=reports, linkages={
            ("PLAY", "progress"): ("MON", "inbox"), ("PLAY", "signal"): ("MON", "control")}).activate()
        first, second = chunked(tone(0.6, 8000, 1), 8000, 1, 0.3)
        player.inboxes["inbox"].deliver(first)
        held = yield reports.when(lambda messages: messages and messages[-1].buffered > 0)
        self.assertEqual(held[-1].played, 0)
        self.assertAlmostEqual(held[-1].buffered, 0.3)
        self.assertIsNone(pygame.mixer.get_init())

        player.inboxes["inbox"].deliver(second)
        playing = yield reports.when(lambda messages: messages[-1].played > 0)
        self.assertEqual(pygame.mixer.get_init(), (8000, -16, 1))
        self.assertEqual([r.played for r in playing[:-1]], [0] * (len(playing) - 1))
        self.assertAlmostEqual(max(r.buffered for r in playing), 0.6)

        player.inboxes["control"].deliver(producerFinished())
        yield graph.whenDone()
        self.assertAlmostEqual(player.secondsPlayed, 0.6)

    def test_shortStreamUnderPrebuffer(self):
        """
        A stream that ends before C{prebufferSeconds} is played all the same.
        """
        player = AudioPlayback(prebufferSeconds=1.0)
        chunks = chunked(tone(0.2, 8000, 1), 8000, 1, 0.05)
        return self.play(chunks, player).addCallback(
            lambda _: self.assertAlmostEqual(player.secondsPlayed, 0.2))

    def test_badArguments(self):
        self.assertRaises(ValueError, AudioPlayback, segmentSeconds=0)
        self.assertRaises(ValueError, AudioPlayback, bufferSeconds=1.0, segmentSeconds=2.0)
        self.assertRaises(ValueError, AudioPlayback, bufferSeconds=1.0, prebufferSeconds=1.5)
        self.assertRaises(ValueError, AudioPlayback, prebufferSeconds=-1)

    def test_boundedInbox(self):
        """
        The player's inbox has a capacity of C{inboxSize} chunks: a flow-aware
        sender sees it full and waits; a plain delivery past it queues.
        """
        player = AudioPlayback(inboxSize=3)
        self.assertEqual(player.inboxes["inbox"].capacity, 3)
        for n in range(4):
            self.assertEqual(player.inboxes["inbox"].isFull(), n == 3)
            player.inboxes["inbox"].deliver(PCMChunk(b"\0\0", 8000, 1))
        self.assertEqual(len(player.inboxes["inbox"]), 4)

    def test_formatChange(self):
        """
        The mixer is reopened for each rate and channel count, after the
        audio before the change has played.
        """
        opened = []

        class RecordingPlayback(AudioPlayback):
            def _openMixer(self, streamFormat):
                AudioPlayback._openMixer(self, streamFormat)
                opened.append((pygame.mixer.get_init(), round(self.secondsPlayed, 9)))

        chunks = (chunked(tone(0.3, 22050, 1), 22050, 1, 0.05)
                  + chunked(tone(0.2, 16000, 2), 16000, 2, 0.05))
        player = RecordingPlayback(segmentSeconds=0.1)

        def check(result):
            player, monitor = result
            self.assertEqual(opened, [((22050, -16, 1), 0.0), ((16000, -16, 2), 0.3)])
            self.assertAlmostEqual(monitor.collected[-1].played, 0.5, places=9)

        return self.play(chunks, player).addCallback(check)

    def test_shutdownStopsAtOnce(self):
        """
        C{shutdownMicroprocess} stops playback without playing the rest.
        """
        class StopWhenPlaying(Component):
            def main(self):
                while True:
                    while self.dataReady("inbox"):
                        self.report = self.recv("inbox")
                        if self.report.played:
                            self.send(shutdownMicroprocess(self))
                            return
                    self.pause()
                    yield 1

        player = AudioPlayback(segmentSeconds=0.1)
        stopper = StopWhenPlaying()
        monitor = Collect()
        graph = Graphline(
            SRC=DataSource(chunked(tone(10.0, 8000, 1), 8000, 1, 0.1)),
            PLAY=player, STOP=stopper, MON=monitor,
            linkages={
                ("SRC", "outbox"): ("PLAY", "inbox"), ("PLAY", "progress"): ("STOP", "inbox"),
                ("STOP", "outbox"): ("PLAY", "control"), ("PLAY", "signal"): ("MON", "control"),
            },
        ).activate()

        def check(_):
            self.assertIsInstance(monitor.shutdown, shutdownMicroprocess)
            self.assertEqual(player.secondsPlayed, stopper.report.played)
            self.assertLess(player.secondsPlayed, 1)
            self.assertIsNone(pygame.mixer.get_init())

        return graph.whenDone().addCallback(check)

    def test_nothingToPlay(self):
        """
        A stream with no audio ends at once without opening the mixer.
        """
        def check(result):
            player, monitor = result
            self.assertEqual(player.secondsPlayed, 0)
            self.assertIsInstance(monitor.shutdown, producerFinished)
            self.assertIsNone(pygame.mixer.get_init())

        return self.play([], AudioPlayback()).addCallback(check)

    def assertPlaybackFails(self, chunks, exceptionType, reason):
        """
        Playing C{chunks} fails with C{exceptionType}: the graph stops, even
        the sender blocked on the player's full inbox, and C{errorOccurred}
        with C{reason} goes out on C{signal}, the mixer closed.
        """
        monitor = Collect()
        player = AudioPlayback(inboxSize=2)
        graph = Pipeline(DataSource(chunks), player, monitor).activate()
        d = self.assertFailure(graph.whenDone(), exceptionType)

        def check(error):
            self.assertEqual(str(error), reason)
            self.assertTrue(self.flushLoggedErrors(exceptionType))
            self.assertIsInstance(monitor.shutdown, errorOccurred)
            self.assertIn(reason, monitor.shutdown.reason)
            self.assertIsNone(pygame.mixer.get_init())

        return d.addCallback(check)

    def test_badMessage(self):
        good = PCMChunk(tone(0.1, 8000, 1), 8000, 1)
        return self.assertPlaybackFails(
            [good, "noise"] + [good] * 5, PCMStreamError,
            "expected a PCMChunk, got 'noise' after 0.000 s played")

    def test_partialFrame(self):
        return self.assertPlaybackFails(
            [PCMChunk(b"\0\0\0", 8000, 1)], PCMStreamError,
            "3 bytes of PCM are not whole 1-channel frames after 0.000 s played")

    def test_noDevice(self):
        self.useDriver("nonesuch")
        chunks = chunked(tone(1.0, 8000, 1), 8000, 1, 0.1)
        return self.assertPlaybackFails(
            chunks, AudioDeviceError, "cannot play 8000 Hz 1 ch audio: Audio target 'nonesuch' not available")

    def test_kamaeliaName(self):
        self.assertIs(AOAudioPlaybackAdaptor, AudioPlayback)


class DiskOutputTests(AudioDriverMixin, unittest.TestCase):
    def test_samplesReachTheDevice(self):
        """
        What the disk driver writes is the stream, sample for sample, with
        only silence around it.
        """
        path = self.mktemp()
        self.useDriver("disk", SDL_DISKAUDIOFILE=path)
        data = tone(0.5, 16000, 2)
        chunks = chunked(data, 16000, 2, 0.03)

        def check(result):
            with open(path, "rb") as f:
                written = f.read()
            at = written.find(data)
            self.assertNotEqual(at, -1)
            silence = numpy.frombuffer(written[:at] + written[at + len(data):], "<i2")
            self.assertEqual(numpy.count_nonzero(silence), 0)
            samples = numpy.frombuffer(written, "<i2").astype(float)
            expected = numpy.frombuffer(data, "<i2").astype(float)
            self.assertAlmostEqual(numpy.sum(samples ** 2) / numpy.sum(expected ** 2), 1.0)

        return self.play(chunks, AudioPlayback()).addCallback(check)

    def test_noSegmentLostBetweenSounds(self):
        """
        Segments much shorter than the device's buffer, checked far more
        often than usual, make the mixer thread switch sounds while the
        player looks and queues: every sample still reaches the device, in
        order (the device fills the gaps between segments with silence).
        """
        path = self.mktemp()
        self.useDriver("disk", SDL_DISKAUDIOFILE=path)
        data = (numpy.arange(32000) % 20000 + 1).astype("<i2").tobytes()
        player = AudioPlayback(segmentSeconds=0.01)
        player.pollSeconds = 0.001

        def check(result):
            with open(path, "rb") as f:
                written = numpy.frombuffer(f.read(), "<i2")
            self.assertEqual(written[written != 0].tobytes(), data)
            self.assertAlmostEqual(player.secondsPlayed, 2.0)

        return self.play([PCMChunk(data, 16000, 1)], player).addCallback(check)


class WavWriterTests(unittest.TestCase):
    def write(self, messages):
        """
        Write C{messages} to a new WAV file.

        @return: a Deferred firing with the path, the writer and the collected
            shutdown message.
        """
        path = self.mktemp()
        writer = WavWriter(path)
        sink = Collect()
        graph = Pipeline(DataSource(messages), writer, sink).activate()
        return path, writer, sink, graph.whenDone()

    def readWave(self, path):
        with wave.open(path, "rb") as w:
            return (w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes(),
                    w.readframes(w.getnframes()))

    def test_framesExact(self):
        data = os.urandom(44100 * 4 + 4 * 7)
        chunks = chunked(data, 44100, 2, 0.1)
        path, writer, sink, d = self.write(chunks)

        def check(_):
            self.assertEqual(self.readWave(path), (44100, 2, 2, 44107, data))
            self.assertIsInstance(sink.shutdown, producerFinished)
            self.assertEqual(writer.framesWritten, 44107)
            return writer.whenDone().addCallback(self.assertEqual, 44107)

        return d.addCallback(check)

    def assertWriteFails(self, messages, reason, keptFrames):
        """
        Writing C{messages} fails with a L{PCMStreamError} saying C{reason}
        (after the file name); the file keeps the C{keptFrames} written before.
        """
        path, writer, sink, d = self.write(messages)
        self.assertFailure(d, PCMStreamError)

        def check(error):
            self.assertEqual(str(error), "{}: {}".format(path, reason))
            self.flushLoggedErrors(PCMStreamError)
            self.assertIsInstance(sink.shutdown, errorOccurred)
            self.assertIn(reason, sink.shutdown.reason)
            if keptFrames is None:
                self.assertFalse(os.path.exists(path))
            else:
                self.assertEqual(self.readWave(path)[3], keptFrames)

        return d.addCallback(check)

    def test_formatChange(self):
        first = PCMChunk(tone(0.5, 44100, 2), 44100, 2)
        second = PCMChunk(tone(0.5, 22050, 1), 22050, 1)
        return self.assertWriteFails(
            [first, second],
            "stream format changed from 44100 Hz 2 ch to 22050 Hz 1 ch after 22050 frames", 22050)

    def test_badMessage(self):
        return self.assertWriteFails(
            [PCMChunk(b"\1\0" * 10, 8000, 1), b"raw bytes"],
            "expected a PCMChunk, got b'raw bytes' after 10 frames", 10)

    def test_badMessageFirst(self):
        return self.assertWriteFails([42], "expected a PCMChunk, got 42 after 0 frames", None)

    def test_noAudio(self):
        path, writer, sink, d = self.write([])

        def check(_):
            self.assertFalse(os.path.exists(path))
            self.assertIsInstance(sink.shutdown, producerFinished)
            return writer.whenDone().addCallback(self.assertEqual, 0)

        return d.addCallback(check)

    def test_unwritablePath(self):
        path = os.path.join(self.mktemp(), "missing", "out.wav")
        writer = WavWriter(path)
        sink = Collect()
        graph = Pipeline(DataSource([]), writer, sink).activate()
        d = self.assertFailure(graph.whenDone(), FileNotFoundError)

        def check(error):
            self.flushLoggedErrors(FileNotFoundError)
            self.assertIsInstance(sink.shutdown, errorOccurred)
            self.assertIn("No such file or directory", sink.shutdown.reason)

        return d.addCallback(check)


class OggVorbisTests(AudioDriverMixin, unittest.TestCase):
    """
    The file reader, the decoder and the two sinks together.
    """

    fixture = os.path.join(os.path.dirname(__file__), "data", "mono22k.ogg")

    def test_fileToWavAndDevice(self):
        """
        The audio the player sends to the device is the audio the WAV file
        holds, sample for sample.
        """
        from kamaelia_twisted.codec import VorbisDecode
        from kamaelia_twisted.file import ReadFileAdaptor

        device, wav = self.mktemp(), self.mktemp()
        self.useDriver("disk", SDL_DISKAUDIOFILE=device)
        writer = WavWriter(wav)
        graph = Pipeline(ReadFileAdaptor(self.fixture, readmode="block"), VorbisDecode(), writer)
        d = graph.activate().whenDone()

        def play(_):
            self.rate, self.channels, width, self.frames, self.pcm = self.readWave(wav)
            return Pipeline(ReadFileAdaptor(self.fixture, readmode="block"), VorbisDecode(),
                            AudioPlayback()).activate().whenDone()

        def check(_):
            self.assertEqual((self.rate, self.channels), (22050, 1))
            self.assertAlmostEqual(self.frames / self.rate, 2.5, places=2)
            with open(device, "rb") as f:
                played = f.read()
            self.assertGreater(played.find(self.pcm), -1, "the device did not get the WAV file's audio")

        return d.addCallback(play).addCallback(check)

    readWave = WavWriterTests.readWave
