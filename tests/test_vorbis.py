"""
Tests for L{kamaelia_twisted.codec.vorbis.VorbisDecode}: the component's
samples are those libvorbisfile's C{ov_read} returns, whatever the chunking
of the messages; bad input ends it with a clear error; a full receiver holds
it back.
"""

import random

from twisted.internet import defer, reactor
from twisted.trial import unittest

from kamaelia_twisted import Component, Pipeline, errorOccurred, producerFinished, shutdownMicroprocess
from kamaelia_twisted.codec import (
    VorbisDecode,
    VorbisFileInfo,
    VorbisFormatError,
    VorbisTruncatedError,
    vorbisFileInfo,
)
from kamaelia_twisted.codec import vorbis
from kamaelia_twisted.codec.oggvorbis import STAGE_SAMPLES, OggVorbisDecoder
from kamaelia_twisted.core.runtime import Runtime
from kamaelia_twisted.util import Collect, DataSource
from tests.helpers import Burst
from tests.test_oggvorbis import (
    BLOCKSIZES, MONO, RATE, SAMPLE, TINY, audioBomb, fixed, formats, joined, oggPages, randomSizes, readBytes,
    reference, samples, sealed, withIdentification,
)


def pieces(data, sizes):
    """C{data} cut in pieces of the sizes C{sizes} yields."""
    cut, position = [], 0
    while position < len(data):
        size = next(sizes)
        cut.append(data[position : position + size])
        position += size
    return cut


def decodeMessages(messages):
    """
    Run C{DataSource(messages) | VorbisDecode() | Collect()}.

    @return: a L{Deferred} firing with (decoder, sink) once the pipeline has
        ended (errbacking with the pipeline's failure).
    """
    decoder, sink = VorbisDecode(), Collect()
    pipeline = Pipeline(DataSource(messages), decoder, sink).activate()
    return pipeline.whenDone().addCallback(lambda _: (decoder, sink))


def whenIdle():
    """
    Return a L{Deferred} that fires once no component of the reactor's
    scheduler is runnable (all wait for a message or a Deferred).
    """
    scheduler = Runtime.of(reactor).scheduler
    idle = defer.Deferred()

    def check(quietTurns):
        if scheduler.runnable:
            quietTurns = 0
        if quietTurns == 2:
            idle.callback(None)
        else:
            reactor.callLater(0, check, quietTurns + 1)

    check(0)
    return idle


class HeldSink(Component):
    """
    A consumer with a small bounded inbox that takes nothing until released,
    then one message per scheduler step; ends on a shutdown message.

    @ivar collected: the messages taken.
    @ivar shutdown: the message that ended it.
    @ivar mostWaiting: the most messages seen waiting in its inbox.
    """

    def __init__(self, size, held=True, **attributes):
        Component.__init__(self, **attributes)
        self.inboxes["inbox"].setSize(size)
        self.held = held
        self.collected = []
        self.shutdown = None
        self.mostWaiting = 0

    def release(self):
        self.held = False
        self.inboxes["control"].deliver("go")

    def main(self):
        while True:
            self.mostWaiting = max(self.mostWaiting, self.dataReady("inbox"))
            if not self.held and self.dataReady("inbox"):
                self.collected.append(self.recv("inbox"))
                yield 1
                continue
            for message in [self.recv("control") for _ in range(self.dataReady("control"))]:
                if isinstance(message, (producerFinished, shutdownMicroprocess)):
                    self.shutdown = message
            if isinstance(self.shutdown, shutdownMicroprocess) or (
                    self.shutdown is not None and not self.dataReady("inbox")):
                self.send(self.shutdown, "signal")
                return
            self.pause()
            yield 1


class ExactSamplesTests(unittest.TestCase):
    """The component's samples equal ov_read's, however the bytes are cut into messages."""

    @defer.inlineCallbacks
    def assertDecodesLikeOvRead(self, path, sizes):
        expected, rate, channels = reference(path)
        decoder, sink = yield decodeMessages(pieces(readBytes(path), sizes))
        self.assertEqual(formats(sink.collected), [(rate, channels)])
        self.assertEqual(len(joined(sink.collected)), len(expected))
        self.assertTrue(joined(sink.collected) == expected, "samples differ from ov_read's")
        self.assertIsInstance(sink.shutdown, producerFinished)
        self.assertEqual(decoder.bytesDecoded, len(readBytes(path)))
        self.assertAlmostEqual(decoder.secondsDecoded, len(expected) / (2 * channels * rate))

    def test_wholeFile(self):
        return self.assertDecodesLikeOvRead(SAMPLE, fixed(1 << 30))

    def test_oneByteMessages(self):
        return self.assertDecodesLikeOvRead(SAMPLE, fixed(1))

    @defer.inlineCallbacks
    def test_randomMessages(self):
        for seed in range(3):
            yield self.assertDecodesLikeOvRead(SAMPLE, randomSizes(seed))

    def test_mono22050(self):
        return self.assertDecodesLikeOvRead(MONO, randomSizes(7, largest=3000))

    def test_tiny(self):
        return self.assertDecodesLikeOvRead(TINY, fixed(100))

    @defer.inlineCallbacks
    def test_chunksAreShort(self):
        """Large messages are decoded a piece at a time: no chunk exceeds a second here."""
        _, sink = yield decodeMessages([readBytes(SAMPLE)])
        self.assertGreater(len(sink.collected), 10)
        self.assertLess(max(chunk.seconds for chunk in sink.collected), 1.0)

    @defer.inlineCallbacks
    def test_bytesLikeMessages(self):
        data = readBytes(MONO)
        messages = [bytearray(data[:5000]), memoryview(data[5000:9000]), data[9000:]]
        _, sink = yield decodeMessages(messages)
        self.assertTrue(joined(sink.collected) == reference(MONO)[0])

    @defer.inlineCallbacks
    def test_chained(self):
        """Two bitstreams one after the other: the format changes between them."""
        first, second = reference(MONO)[0], reference(SAMPLE)[0]
        data = readBytes(MONO) + readBytes(SAMPLE)
        for sizes in [fixed(4096), randomSizes(11)]:
            _, sink = yield decodeMessages(pieces(data, sizes))
            self.assertEqual(formats(sink.collected), [(22050, 1), (44100, 2)])
            self.assertTrue(joined(sink.collected) == first + second, "samples differ from ov_read's")

    @defer.inlineCallbacks
    def test_corruptPageIsSkipped(self):
        """A lone page with a flipped bit is skipped; the stream still ends cleanly."""
        expected = reference(SAMPLE)[0]
        pages = oggPages(readBytes(SAMPLE))
        middle = bytearray(pages[len(pages) // 2])
        middle[len(middle) // 2] ^= 0x01
        pages[len(pages) // 2] = bytes(middle)
        _, sink = yield decodeMessages(pieces(b"".join(pages), fixed(4096)))
        got = joined(sink.collected)
        self.assertIsInstance(sink.shutdown, producerFinished)
        self.assertLess(len(got), len(expected))
        self.assertGreater(len(got), len(expected) * 0.9)
        self.assertTrue(got[-100000:] == expected[-100000:], "the rest differs")

    @defer.inlineCallbacks
    def test_empty(self):
        """No bytes at all: no audio, and a clean end."""
        _, sink = yield decodeMessages([])
        self.assertEqual(sink.collected, [])
        self.assertIsInstance(sink.shutdown, producerFinished)


class BadInputTests(unittest.TestCase):
    """
    Bad input: the decoder logs the reason, sends errorOccurred on signal,
    and the pipeline stops; the reactor keeps running.
    """

    @defer.inlineCallbacks
    def assertFailsWith(self, messages, errorType, words):
        """
        Decode C{messages}; check the error and return the sink.
        """
        decoder, sink = VorbisDecode(), Collect()
        pipeline = Pipeline(DataSource(messages), decoder, sink).activate()
        yield self.assertFailure(pipeline.whenDone(), errorType)
        self.assertEqual(len(self.flushLoggedErrors(errorType)), 1)
        self.assertIsInstance(sink.shutdown, errorOccurred)
        self.assertIn(words, sink.shutdown.reason)
        self.assertIn(decoder.name, sink.shutdown.reason)
        self.assertTrue(decoder.isDone())
        return sink

    def test_garbage(self):
        garbage = random.Random(1).randbytes(200000)
        return self.assertFailsWith(pieces(garbage, fixed(25000)), VorbisFormatError, "not an Ogg stream")

    def test_shortGarbage(self):
        messages = [b"<html><body>Not found</body></html>\n"] * 20
        return self.assertFailsWith(messages, VorbisFormatError, "not an Ogg Vorbis stream")

    @defer.inlineCallbacks
    def test_truncated(self):
        """Cut midway: the audio before the cut arrives, then the error."""
        expected = reference(SAMPLE)[0]
        data = readBytes(SAMPLE)
        sink = yield self.assertFailsWith(pieces(data[: len(data) // 2], fixed(4096)),
                                          VorbisTruncatedError, "before the end")
        got = joined(sink.collected)
        self.assertGreater(len(got), len(expected) * 0.4)
        self.assertTrue(got == expected[: len(got)], "the decoded prefix differs")

    def test_truncatedInHeaders(self):
        return self.assertFailsWith([readBytes(SAMPLE)[:3000]], VorbisTruncatedError, "headers")

    def test_bitFlippedHeader(self):
        """A flipped bit in the setup header (CRC recomputed) is a format error."""
        pages = oggPages(readBytes(MONO))
        setup = bytearray(pages[1])
        setup[-1] ^= 0xFF
        pages[1] = sealed(bytes(setup))
        return self.assertFailsWith(pieces(b"".join(pages), fixed(1000)), VorbisFormatError, "setup header")

    @defer.inlineCallbacks
    def test_faultAfterAudio(self):
        """
        A bad stream after a good one in the same message: the good one's audio
        is sent, then the error is raised at once.
        """
        bad = oggPages(readBytes(MONO))
        bad[1] = sealed(bad[1][:-1] + b"\0")
        sink = yield self.assertFailsWith([readBytes(SAMPLE) + b"".join(bad)], VorbisFormatError, "setup")
        self.assertTrue(joined(sink.collected) == reference(SAMPLE)[0])

    @defer.inlineCallbacks
    def test_absurdRate(self):
        """
        A 4294967294 Hz header ends the component with an error naming it,
        before anything is allocated; the next stream decodes.
        """
        data = withIdentification(SAMPLE, RATE, 4294967294)
        yield self.assertFailsWith(pieces(data, fixed(4096)), VorbisFormatError, "sample rate 4294967294 Hz")
        _, sink = yield decodeMessages([readBytes(TINY)])
        self.assertTrue(joined(sink.collected) == reference(TINY)[0])

    def test_badBlockSizes(self):
        data = withIdentification(SAMPLE, BLOCKSIZES, 0xFF)
        return self.assertFailsWith([data], VorbisFormatError, "block sizes 32768 and 32768")

    @defer.inlineCallbacks
    def test_fewBytesMuchAudio(self):
        """
        A few hundred bytes holding 16 MB of PCM are decoded a bounded amount
        at a time, and all of it is sent.
        """
        outputs = []

        class Recording(OggVorbisDecoder):
            def feed(self, data):
                chunks = OggVorbisDecoder.feed(self, data)
                outputs.append(samples(chunks))
                return chunks

        self.patch(vorbis, "OggVorbisDecoder", Recording)
        data = audioBomb(8)
        sink = yield self.assertFailsWith([data], VorbisTruncatedError, "before the end")
        self.assertLessEqual(max(outputs), STAGE_SAMPLES + 8192 * 255)
        self.assertTrue(joined(sink.collected) == joined(OggVorbisDecoder().feed(data)), "samples differ")

    def test_notBytes(self):
        return self.assertFailsWith([readBytes(TINY)[:100], "text"], TypeError, "decodes bytes, not str")


class ShutdownTests(unittest.TestCase):
    """Control messages end the component and are passed on."""

    @defer.inlineCallbacks
    def test_shutdownWhileReceiverFull(self):
        """
        Asked to stop while waiting for a receiver that takes nothing, the
        decoder ends at once and passes the message on.
        """
        decoder, sink = VorbisDecode(), HeldSink(size=1)
        Pipeline(decoder, sink).activate()
        decoder.inboxes["inbox"].deliver(readBytes(SAMPLE))
        yield whenIdle()
        self.assertEqual(sink.dataReady("inbox"), 1)
        self.assertFalse(decoder.isDone())
        stop = shutdownMicroprocess()
        decoder.inboxes["control"].deliver(stop)
        seconds = yield decoder.whenDone()
        yield sink.whenDone()
        self.assertIs(sink.shutdown, stop)
        self.assertGreater(seconds, 0)
        self.assertLess(decoder.bytesDecoded, len(readBytes(SAMPLE)))

    @defer.inlineCallbacks
    def test_finishedWhileReceiverFull(self):
        """
        producerFinished while the receiver is full: everything is still
        decoded and sent before it is passed on.
        """
        decoder, sink = VorbisDecode(), HeldSink(size=1)
        Pipeline(decoder, sink).activate()
        decoder.inboxes["inbox"].deliver(readBytes(MONO))
        done = producerFinished()
        decoder.inboxes["control"].deliver(done)
        yield whenIdle()
        self.assertFalse(decoder.isDone())
        sink.release()
        yield decoder.whenDone()
        yield sink.whenDone()
        self.assertIs(sink.shutdown, done)
        self.assertTrue(joined(sink.collected) == reference(MONO)[0])

    @defer.inlineCallbacks
    def test_stopOverridesFinished(self):
        """producerFinished, then shutdownMicroprocess: stop without decoding the rest."""
        decoder, sink = VorbisDecode(), HeldSink(size=1)
        Pipeline(decoder, sink).activate()
        decoder.inboxes["inbox"].deliver(readBytes(SAMPLE))
        decoder.inboxes["control"].deliver(producerFinished())
        yield whenIdle()
        stop = shutdownMicroprocess()
        decoder.inboxes["control"].deliver(stop)
        yield decoder.whenDone()
        yield sink.whenDone()
        self.assertIs(sink.shutdown, stop)


class BackpressureTests(unittest.TestCase):
    """A full receiver stops the decoder, which stops taking from its own inbox."""

    @defer.inlineCallbacks
    def test_heldReceiverHoldsEverythingBack(self):
        data = readBytes(SAMPLE)
        source, decoder, sink = DataSource(pieces(data, fixed(1024))), VorbisDecode(inboxSize=8), HeldSink(2)
        pipeline = Pipeline(source, decoder, sink).activate()
        yield whenIdle()
        self.assertEqual(sink.dataReady("inbox"), 2)
        self.assertEqual(decoder.dataReady("inbox"), 8)
        self.assertFalse(source.isDone())
        # Headers, two chunks in the sink and one waiting to be sent, at most.
        self.assertLessEqual(decoder.bytesDecoded, 4 * VorbisDecode.feedSize)
        sink.release()
        yield pipeline.whenDone()
        self.assertEqual(sink.mostWaiting, 2)
        self.assertTrue(joined(sink.collected) == reference(SAMPLE)[0], "samples differ from ov_read's")

    @defer.inlineCallbacks
    def test_slowReceiver(self):
        """A receiver with room for one chunk, taking one per step: nothing is lost."""
        source = DataSource(pieces(readBytes(SAMPLE), fixed(4096)))
        decoder, sink = VorbisDecode(), HeldSink(1, held=False)
        yield Pipeline(source, decoder, sink).activate().whenDone()
        self.assertEqual(sink.mostWaiting, 1)
        self.assertTrue(joined(sink.collected) == reference(SAMPLE)[0], "samples differ from ov_read's")
        self.assertIsInstance(sink.shutdown, producerFinished)

    @defer.inlineCallbacks
    def test_oneByteChunksAtOnce(self):
        """
        The whole file sent at once in 1-byte messages, past the decoder's
        inbox capacity, by a producer that never waits: all of it decodes.
        """
        data = readBytes(SAMPLE)
        sink = Collect()
        yield Pipeline(Burst(messages=pieces(data, fixed(1))), VorbisDecode(), sink).activate().whenDone()
        self.assertTrue(joined(sink.collected) == reference(SAMPLE)[0], "samples differ from ov_read's")


class VorbisFileInfoTests(unittest.TestCase):
    """What vorbisFileInfo reads from a file's headers and pages."""

    def test_sample(self):
        info = vorbisFileInfo(SAMPLE)
        self.assertEqual(info, VorbisFileInfo(44100, 2, 14.0, len(readBytes(SAMPLE)), 112000, 1))
        self.assertEqual(info.averageBitrate, len(readBytes(SAMPLE)) * 8 // 14)
        self.assertEqual(info.streamBitrate, 112000)

    def test_averageAboveNominal(self):
        """A short file, mostly headers: its average rate is the one to stream at."""
        info = vorbisFileInfo(TINY)
        self.assertEqual((info.rate, info.channels), (8000, 1))
        self.assertGreater(info.averageBitrate, info.nominalBitrate)
        self.assertEqual(info.streamBitrate, info.averageBitrate)

    def test_chained(self):
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(readBytes(MONO) + readBytes(SAMPLE))
        info = vorbisFileInfo(path)
        self.assertEqual((info.rate, info.channels, info.streams), (22050, 1, 2))
        self.assertAlmostEqual(info.seconds, 16.5)

    def test_notVorbis(self):
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(b"not an ogg file\n" * 100)
        error = self.assertRaises(VorbisFormatError, vorbisFileInfo, path)
        self.assertIn("not an Ogg Vorbis file", str(error))

    def test_missing(self):
        self.assertRaises(FileNotFoundError, vorbisFileInfo, self.mktemp())
