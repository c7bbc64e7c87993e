"""
Tests for L{tests.fuzz_vorbis}: its cases are reproducible and reach
libvorbis, it reports what is not a clean error, and a short run of it finds
nothing.
"""

import os
import subprocess
import sys

from twisted.internet import defer
from twisted.trial import unittest

from kamaelia_twisted.codec import OggVorbisDecoder, VorbisError
from tests.fuzz_vorbis import fuzz, makeCase, reseal
from tests.test_oggvorbis import SAMPLE, oggPages, readBytes, sealed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def decodeError(data):
    """The message of the L{VorbisError} decoding C{data} gives, or ''."""
    decoder = OggVorbisDecoder()
    try:
        decoder.feed(data)
        decoder.finish()
    except VorbisError as error:
        return str(error)
    return ""


class FuzzTests(unittest.TestCase):
    def test_shortRun(self):
        """300 cases of seed 1, run as the command, under its memory cap: no failure."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.fuzz_vorbis", "--cases", "300", "--seed", "1"],
            cwd=ROOT, capture_output=True, text=True,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("300 cases (seed 1, from 0)", result.stdout)
        self.assertIn(": 0 failures", result.stdout)

    def test_atherisMissing(self):
        """
        C{--atheris} without atheris installed says what to install, in one
        line, with exit status 2.
        """
        result = subprocess.run(
            [sys.executable, "-c", "import sys; sys.modules['atheris'] = None; from tests.fuzz_vorbis import main; "
             "main(['--atheris', '-runs=1'])"], cwd=ROOT, capture_output=True, text=True,
        )
        self.assertEqual((result.stdout, result.stderr, result.returncode),
                         ("", "python -m tests.fuzz_vorbis: --atheris needs atheris: pip install atheris\n", 2))

    def test_reproducible(self):
        self.assertEqual(makeCase(1, 7), makeCase(1, 7))
        self.assertNotEqual(makeCase(1, 7)[0], makeCase(1, 8)[0])
        self.assertNotEqual(makeCase(1, 7)[0], makeCase(2, 7)[0])

    def test_reseal(self):
        """Each complete page gets its CRC back; other bytes are left alone."""
        first = oggPages(readBytes(SAMPLE))[0]
        changed = first[:-1] + b"\x00"
        self.assertEqual(reseal(b"junk" + changed + changed[:30]), b"junk" + sealed(changed) + changed[:30])

    def test_mutationsReachLibvorbis(self):
        """Mutated pages are not skipped as corrupt: libvorbis refuses many cases' headers."""
        errors = [decodeError(makeCase(1, index)[0]) for index in range(200)]
        self.assertGreater(sum("libvorbis" in error for error in errors), 20)
        self.assertGreater(sum("identification header:" in error for error in errors), 20)

    @defer.inlineCallbacks
    def test_reportsUncleanErrors(self):
        """An exception that is not a VorbisError is reported with its seed and case, on both paths."""
        self.patch(OggVorbisDecoder, "feed", lambda decoder, data: 1 / 0)
        lines = []
        failures = yield fuzz(seed=3, cases=2, start=5, report=lines.append)
        self.assertEqual([(index, path) for index, path, _ in failures],
                         [(5, "decoder"), (5, "component"), (6, "decoder"), (6, "component")])
        self.assertIsInstance(failures[1][2], ZeroDivisionError)
        self.assertTrue(lines[0].startswith("seed 3 case 5 (decoder): ZeroDivisionError"), lines[0])
        self.flushLoggedErrors(ZeroDivisionError)
