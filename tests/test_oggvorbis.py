"""
Tests for L{kamaelia_twisted.codec.oggvorbis}: the samples must be those
libvorbisfile's C{ov_read} returns, whatever the input's chunking.
"""

import os
import random
import struct
import subprocess
import sys

from twisted.trial import unittest

import kamaelia_twisted
from kamaelia_twisted.codec import xiphlibs
from kamaelia_twisted.codec.oggvorbis import (
    MAX_RATE,
    STAGE_SAMPLES,
    OggVorbisDecoder,
    VorbisError,
    VorbisFormatError,
    VorbisTruncatedError,
)
from kamaelia_twisted.codec.pcm import PCMChunk

DATA = os.path.join(os.path.dirname(__file__), "data")
SAMPLE = os.path.join(os.path.dirname(kamaelia_twisted.__file__), "media", "sample.ogg")
MONO = os.path.join(DATA, "mono22k.ogg")
TINY = os.path.join(DATA, "tiny.ogg")

# Fields of the identification header: (offset in the packet, struct format).
VERSION, CHANNELS, RATE = (7, "<I"), (11, "B"), (12, "<I")
BITRATES, BLOCKSIZES, FRAMING = (16, "<3i"), (28, "B"), (29, "B")


def readBytes(path):
    with open(path, "rb") as f:
        return f.read()


def reference(path):
    """ov_read's output for a file: (bytes, rate, channels)."""
    vf = xiphlibs.vorbisFile(path)
    return vf.buffer, vf.frequency, vf.channels


def feedAll(decoder, data, sizes):
    """Feed C{data} in pieces of the sizes C{sizes} yields; return the chunks."""
    chunks, position = [], 0
    while position < len(data):
        size = next(sizes)
        chunks += decoder.feed(data[position : position + size])
        position += size
    return chunks


def decode(data, sizes):
    """Decode all of C{data}, fed in pieces; return the chunks."""
    decoder = OggVorbisDecoder()
    chunks = feedAll(decoder, data, sizes)
    return chunks + decoder.finish()


def fixed(size):
    while True:
        yield size


def randomSizes(seed, largest=20000):
    rng = random.Random(seed)
    while True:
        yield rng.choice([1, 2, 3, rng.randint(1, 300), rng.randint(1, largest)])


def joined(chunks):
    return b"".join(chunk.data for chunk in chunks)


def formats(chunks):
    """The (rate, channels) runs of C{chunks}, repeats collapsed."""
    runs = []
    for chunk in chunks:
        if not runs or runs[-1] != (chunk.rate, chunk.channels):
            runs.append((chunk.rate, chunk.channels))
    return runs


def oggPages(data):
    pages, position = [], 0
    while position < len(data):
        segments = data[position + 26]
        size = 27 + segments + sum(data[position + 27 : position + 27 + segments])
        pages.append(data[position : position + size])
        position += size
    return pages


def _crcTable():
    table = []
    for index in range(256):
        value = index << 24
        for _ in range(8):
            value = (value << 1) ^ 0x04C11DB7 if value & 0x80000000 else value << 1
        table.append(value & 0xFFFFFFFF)
    return table


_CRC = _crcTable()


def granule(page):
    return struct.unpack("<q", page[6:14])[0]


def withGranule(page, position):
    return sealed(page[:6] + struct.pack("<q", position) + page[14:])


def sealed(page):
    """C{page} with its CRC recomputed."""
    page = bytearray(page)
    page[22:26] = b"\0\0\0\0"
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC[(crc >> 24) ^ byte]
    page[22:26] = struct.pack("<I", crc)
    return bytes(page)


def withIdentification(path, field, *values):
    """The file C{path} with a C{field} of its identification header set to C{values}."""
    pages = oggPages(readBytes(path))
    first = bytearray(pages[0])
    offset, form = field
    struct.pack_into(form, first, 27 + first[26] + offset, *values)
    return b"".join([sealed(bytes(first))] + pages[1:])


def audioBomb(packets):
    """
    A stream of 255 channels and 8192-frame blocks whose audio page holds
    C{packets} one-byte packets: each but the first decodes to 4096 frames
    (about 2 MB of PCM), as libvorbis reads a channel whose floor is missing
    as unused. There is no end-of-stream page.
    """
    first, setup = oggPages(withIdentification(MONO, CHANNELS, 255))[:2]
    first = bytearray(first)
    first[27 + first[26] + BLOCKSIZES[0]] = 0xDD
    audio = first[:5] + b"\0" + struct.pack("<q", -1) + first[14:18] + struct.pack("<Ii", 2, 0)
    audio += bytes([packets]) + b"\1" * packets
    return sealed(bytes(first)) + setup + sealed(audio + b"\0" * packets)


def samples(chunks):
    return sum(chunk.frames * chunk.channels for chunk in chunks)


class ExactSamplesTests(unittest.TestCase):
    """The decoder's samples equal ov_read's, however the bytes are chunked."""

    def assertDecodesLikeOvRead(self, path, sizes):
        expected, rate, channels = reference(path)
        chunks = decode(readBytes(path), sizes)
        self.assertEqual(formats(chunks), [(rate, channels)])
        self.assertEqual(len(joined(chunks)), len(expected))
        self.assertTrue(joined(chunks) == expected, "samples differ from ov_read's")

    def test_wholeFile(self):
        self.assertDecodesLikeOvRead(SAMPLE, fixed(1 << 30))

    def test_oneByteAtATime(self):
        self.assertDecodesLikeOvRead(SAMPLE, fixed(1))

    def test_randomChunks(self):
        for seed in range(3):
            self.assertDecodesLikeOvRead(SAMPLE, randomSizes(seed))

    def test_mono22050(self):
        chunks = decode(readBytes(MONO), fixed(4096))
        self.assertEqual(formats(chunks), [(22050, 1)])
        self.assertDecodesLikeOvRead(MONO, randomSizes(7, largest=3000))

    def test_singleAudioPage(self):
        """A stream whose first audio page is also its last is cut at the end."""
        self.assertDecodesLikeOvRead(TINY, fixed(1))
        self.assertDecodesLikeOvRead(TINY, fixed(1 << 30))

    def test_startTrimmed(self):
        """
        When the first audio page's granule position is lower than the number
        of samples decoded up to it, the beginning is trimmed, as ov_read does.
        """
        shift = 1000
        pages = oggPages(readBytes(SAMPLE))
        data = b"".join(pages[:2] + [withGranule(page, granule(page) - shift) for page in pages[2:]])
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(data)
        self.assertDecodesLikeOvRead(path, randomSizes(3))
        chunks = decode(data, fixed(4096))
        self.assertEqual(sum(chunk.frames for chunk in chunks), granule(pages[-1]) - shift)

    def test_chunksAreInOrderAndTimely(self):
        """Each page's audio comes out of the feed that completes the page."""
        data = readBytes(SAMPLE)
        decoder = OggVorbisDecoder()
        pages = oggPages(data)
        self.assertEqual(decoder.feed(b"".join(pages[:2])), [])
        self.assertEqual(decoder.feed(pages[2][:-1]), [])
        chunk, = decoder.feed(pages[2][-1:])
        self.assertEqual((chunk.rate, chunk.channels), (44100, 2))
        self.assertGreater(chunk.frames, 0)


class ChainedStreamTests(unittest.TestCase):
    """Logical bitstreams one after another decode in sequence."""

    def test_newRateAndChannels(self):
        first, firstRate, firstChannels = reference(MONO)
        second, secondRate, secondChannels = reference(SAMPLE)
        data = readBytes(MONO) + readBytes(SAMPLE)
        for sizes in [fixed(1 << 30), fixed(4096), randomSizes(11)]:
            chunks = decode(data, sizes)
            self.assertEqual(formats(chunks), [(22050, 1), (44100, 2)])
            self.assertTrue(joined(chunks) == first + second, "samples differ from ov_read's")

    def test_sameSerialTwice(self):
        """The same file twice (same serial number) is two links."""
        expected, _, _ = reference(SAMPLE)
        chunks = decode(readBytes(SAMPLE) * 2, randomSizes(5))
        self.assertTrue(joined(chunks) == expected * 2, "samples differ from ov_read's")


class BadInputTests(unittest.TestCase):
    """Input that is not (all) Ogg Vorbis fails clearly, or is skipped as players do."""

    def test_empty(self):
        decoder = OggVorbisDecoder()
        self.assertEqual(decoder.feed(b""), [])
        self.assertEqual(decoder.finish(), [])

    def test_feedAfterFinish(self):
        decoder = OggVorbisDecoder()
        decoder.finish()
        self.assertRaises(ValueError, decoder.feed, b"OggS")

    def test_longGarbage(self):
        """Without an Ogg page in the first 64 KB, feed gives up."""
        garbage = random.Random(1).randbytes(200000)
        decoder = OggVorbisDecoder()
        error = self.assertRaises(VorbisFormatError, feedAll, decoder, garbage, fixed(4096))
        self.assertIn("not an Ogg stream", str(error))

    def test_shortGarbage(self):
        decoder = OggVorbisDecoder()
        self.assertEqual(decoder.feed(b"<html><body>Not found</body></html>\n" * 20), [])
        error = self.assertRaises(VorbisFormatError, decoder.finish)
        self.assertIn("not an Ogg Vorbis stream", str(error))

    def test_notVorbis(self):
        """An Ogg stream of another codec is refused at its first data page."""
        pages = oggPages(readBytes(MONO))
        pages[0] = sealed(pages[0].replace(b"vorbis", b"morbis"))
        error = self.assertRaises(VorbisFormatError, decode, b"".join(pages), fixed(4096))
        self.assertIn("no Vorbis bitstream", str(error))

    def test_badSetupHeader(self):
        pages = oggPages(readBytes(MONO))
        pages[1] = sealed(pages[1][:-1] + b"\0")
        error = self.assertRaises(VorbisFormatError, decode, b"".join(pages), fixed(4096))
        self.assertIn("setup header", str(error))

    def test_audioBeforeAFault(self):
        """
        Audio decoded before a fault in the same feed is returned; the error
        comes with the next call, and every call after it.
        """
        expected, _, _ = reference(SAMPLE)
        bad = oggPages(readBytes(MONO))
        bad[1] = sealed(bad[1][:-1] + b"\0")
        decoder = OggVorbisDecoder()
        self.assertTrue(joined(decoder.feed(readBytes(SAMPLE) + b"".join(bad))) == expected)
        self.assertRaises(VorbisFormatError, decoder.feed, b"")
        self.assertRaises(VorbisFormatError, decoder.finish)
        self.assertRaises(VorbisFormatError, decoder.feed, b"")

    def test_corruptPageIsSkipped(self):
        """
        A page whose CRC fails in the middle is a hole: it is skipped, and the
        rest of the stream decodes exactly.
        """
        expected, _, _ = reference(SAMPLE)
        pages = oggPages(readBytes(SAMPLE))
        middle = bytearray(pages[len(pages) // 2])
        middle[len(middle) // 2] ^= 0x10
        pages[len(pages) // 2] = bytes(middle)
        for sizes in [fixed(4096), fixed(1 << 30)]:
            got = joined(decode(b"".join(pages), sizes))
            self.assertLess(len(got), len(expected))
            self.assertGreater(len(got), len(expected) * 0.9)
            second = 44100 * 2 * 2
            self.assertTrue(got[-3 * second :] == expected[-3 * second :], "the rest differs")


class HostileHeaderTests(unittest.TestCase):
    """
    The identification header's fields that size the decoder's buffers are
    checked before anything is allocated; the error names the field.
    """

    def assertRefused(self, data, words):
        error = self.assertRaises(VorbisFormatError, decode, data, fixed(4096))
        self.assertIn(words, str(error))

    def test_absurdRate(self):
        """4294967294 Hz would have made the decoder stage 32 GiB of floats."""
        self.assertRefused(withIdentification(SAMPLE, RATE, 4294967294), "sample rate 4294967294 Hz")

    def test_rateAboveLimit(self):
        self.assertRefused(withIdentification(SAMPLE, RATE, MAX_RATE + 1), "sample rate %d Hz" % (MAX_RATE + 1,))

    def test_highestRate(self):
        chunks = decode(withIdentification(SAMPLE, RATE, MAX_RATE), fixed(4096))
        self.assertEqual(formats(chunks), [(MAX_RATE, 2)])

    def test_otherFields(self):
        for field, value, words in [
            (RATE, 0, "sample rate 0 Hz"),
            (CHANNELS, 0, "0 channels"),
            (VERSION, 1, "version 1"),
            (BLOCKSIZES, 0x85, "block sizes 32 and 256"),
            (BLOCKSIZES, 0xE8, "block sizes 256 and 16384"),
            (BLOCKSIZES, 0x8B, "block sizes 2048 and 256"),
            (FRAMING, 0, "framing bit"),
        ]:
            self.assertRefused(withIdentification(SAMPLE, field, value), words)

    def test_shortHeader(self):
        first, *rest = oggPages(readBytes(SAMPLE))
        short = sealed(first[:26] + bytes([1, 20]) + first[28:48])
        self.assertRefused(short + b"".join(rest), "identification header of 20 bytes")

    def test_stageIsBounded(self):
        """However much is fed at once, chunks of at most STAGE_SAMPLES samples come out."""
        chunks = decode(readBytes(SAMPLE), fixed(1 << 30))
        self.assertGreater(len(chunks), 1)
        self.assertLessEqual(max(chunk.frames for chunk in chunks), STAGE_SAMPLES // 2)

    def test_mostChannels(self):
        """
        255 channels, the most a header can give, decode; as one block of
        each is more than STAGE_SAMPLES, each chunk holds one block at most.
        """
        chunks = decode(withIdentification(MONO, CHANNELS, 255), fixed(1 << 30))
        self.assertEqual(formats(chunks), [(22050, 255)])
        self.assertLessEqual(max(chunk.frames for chunk in chunks), 1024)  # its long blocks


class BoundedOutputTests(unittest.TestCase):
    """
    With C{maxSamples}, a call returns that many samples and one block at
    most, however few bytes hold them; C{feed(b"")} returns the rest.
    """

    def drain(self, decoder, data, bound):
        """Feed C{data}, then b"" while audio is pending; check each call's output."""
        chunks = decoder.feed(data)
        calls = 1
        self.assertLessEqual(samples(chunks), bound)
        while decoder.pending:
            more = decoder.feed(b"")
            self.assertLessEqual(samples(more), bound)
            chunks += more
            calls += 1
        return chunks, calls

    def test_fewBytesMuchAudio(self):
        data = audioBomb(8)
        expected = OggVorbisDecoder().feed(data)
        self.assertEqual(samples(expected), 7 * 4096 * 255)  # the first block only primes libvorbis
        decoder = OggVorbisDecoder(maxSamples=STAGE_SAMPLES)
        chunks, calls = self.drain(decoder, data, STAGE_SAMPLES + 8192 * 255)
        self.assertGreater(calls, 4)
        self.assertTrue(joined(chunks) == joined(expected), "samples differ")
        self.assertRaises(VorbisTruncatedError, decoder.finish)

    def test_sameAudioInSmallSteps(self):
        expected, _, _ = reference(SAMPLE)
        chunks, calls = self.drain(OggVorbisDecoder(maxSamples=4096), readBytes(SAMPLE), 4096 + 2048 * 2)
        self.assertGreater(calls, 100)
        self.assertTrue(joined(chunks) == expected, "samples differ from ov_read's")

    def test_finishWhilePending(self):
        decoder = OggVorbisDecoder(maxSamples=4096)
        decoder.feed(readBytes(SAMPLE))
        self.assertTrue(decoder.pending)
        self.assertRaises(ValueError, decoder.finish)
        decoder.close()


class TruncatedInputTests(unittest.TestCase):
    """Input that stops early: what decodes is returned, then finish() says so."""

    def test_cutMidway(self):
        expected, _, _ = reference(SAMPLE)
        data = readBytes(SAMPLE)
        decoder = OggVorbisDecoder()
        got = joined(feedAll(decoder, data[: len(data) // 2], randomSizes(2)))
        error = self.assertRaises(VorbisTruncatedError, decoder.finish)
        self.assertIn("before the end", str(error))
        self.assertGreater(len(got), len(expected) * 0.4)
        self.assertTrue(got == expected[: len(got)], "the decoded prefix differs")

    def test_cutAtPageBoundary(self):
        """Whole pages but no end-of-stream page: still truncated."""
        pages = oggPages(readBytes(SAMPLE))
        self.assertRaises(VorbisTruncatedError, decode, b"".join(pages[:-1]), fixed(4096))

    def test_cutInHeaders(self):
        data = readBytes(SAMPLE)
        error = self.assertRaises(VorbisTruncatedError, decode, data[:1000], fixed(4096))
        self.assertIn("headers", str(error))

    def test_cutInFirstPage(self):
        data = readBytes(SAMPLE)
        error = self.assertRaises(VorbisTruncatedError, decode, data[:20], fixed(4096))
        self.assertIn("first Ogg page", str(error))

    def test_errorsAreVorbisErrors(self):
        self.assertTrue(issubclass(VorbisTruncatedError, VorbisError))
        self.assertTrue(issubclass(VorbisFormatError, VorbisError))


class PCMChunkTests(unittest.TestCase):
    def test_framesAndSeconds(self):
        chunk = PCMChunk(b"\0" * 4 * 11025, rate=22050, channels=2)
        self.assertEqual((chunk.frames, chunk.seconds), (11025, 0.5))


class LibraryTests(unittest.TestCase):
    """The Xiph libraries come from the system, or else from the pygame wheel."""

    def test_wheelCopies(self):
        paths = xiphlibs.findLibraries(findLibrary=lambda name: None)
        self.assertEqual(sorted(paths), ["ogg", "vorbis", "vorbisfile"])
        for name, path in paths.items():
            self.assertIn("pygame.libs", path)
            self.assertTrue(os.path.basename(path).startswith("lib%s-" % (name,)), path)

    def test_nothingFound(self):
        self.patch(xiphlibs, "_wheelLibraryDir", lambda: None)
        error = self.assertRaises(ImportError, xiphlibs.findLibraries, lambda name: None)
        self.assertIn("libogg", str(error))

    def test_pyOggUsesWheelCopies(self):
        """Without system libraries, PyOgg loads the wheel's and VorbisFile works."""
        script = (
            "import ctypes.util\n"
            "ctypes.util.find_library = lambda name: None\n"
            "from kamaelia_twisted.codec import xiphlibs\n"
            "print(xiphlibs.pyogg.vorbis.libvorbisfile._name)\n"
            "print(len(xiphlibs.vorbisFile(%r).buffer))\n" % (TINY,)
        )
        root = os.path.dirname(os.path.dirname(kamaelia_twisted.__file__))
        output = subprocess.run(
            [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
        ).stdout.split()
        self.assertIn("pygame.libs", output[0])
        self.assertEqual(int(output[1]), len(reference(TINY)[0]))
