"""
A fuzzer for the Ogg Vorbis decoder.

Each case is the bundled sample's first pages, mutated (bit flips, byte sets,
header field overwrites, truncations, duplications), with every page's CRC
recomputed so that the mutations reach libvorbis instead of being skipped by
libogg. It is decoded by L{OggVorbisDecoder} and by the L{VorbisDecode}
component; any exception but a L{VorbisError} is a failure, reported with the
seed and case number that reproduce it. The address space is capped, so that a
huge allocation is a failure too::

    python -m tests.fuzz_vorbis --cases 100000 --seed 1
    python -m tests.fuzz_vorbis --seed 1 --start 4711 --cases 1 --save /tmp/cases

With atheris installed, C{--atheris} runs the same checks under libFuzzer
(the other arguments go to libFuzzer; a corpus folder given empty gets the
sample's first pages)::

    python -m tests.fuzz_vorbis --atheris /tmp/corpus -max_total_time=300
"""

import argparse
import functools
import importlib.util
import os
import random
import resource
import struct
import sys
import time
import traceback

from twisted.internet import defer, task
from twisted.logger import globalLogBeginner

from kamaelia_twisted import Pipeline
from kamaelia_twisted.codec import OggVorbisDecoder, VorbisDecode, VorbisError
from kamaelia_twisted.util import Collect, DataSource
from tests.test_oggvorbis import BLOCKSIZES, CHANNELS, FRAMING, RATE, SAMPLE, VERSION, oggPages, readBytes, sealed

PAGES = 4  # identification, comment and setup, two of audio
_IDENTIFICATION = 28  # where the first page's packet starts
_FIELDS = [(_IDENTIFICATION + offset, form) for offset, form in [VERSION, CHANNELS, RATE, BLOCKSIZES, FRAMING]]
_PAGE_FIELDS = [(4, "B"), (5, "B"), (6, "<Q"), (14, "<I"), (18, "<I"), (26, "B")]  # version ... segments
_VALUES = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 2**64 - 1]


@functools.lru_cache(maxsize=None)
def seedCase():
    """The bytes all cases are mutated from: the sample's first L{PAGES} pages."""
    return b"".join(oggPages(readBytes(SAMPLE))[:PAGES])


def _position(rng, data):
    return rng.randrange(len(data)) if data else 0


def bitFlip(rng, data):
    if data:
        data[_position(rng, data)] ^= 1 << rng.randrange(8)


def byteSet(rng, data):
    if data:
        data[_position(rng, data)] = rng.choice([0, 1, 0x7F, 0x80, 0xFF, rng.randrange(256)])


def fieldSet(rng, data):
    """Overwrite a field of the identification header or of a page header."""
    if rng.random() < 0.5:
        offset, form = rng.choice(_FIELDS)
    else:
        start, _ = rng.choice(_pageSpans(data) or [(0, 0)])
        offset, form = rng.choice(_PAGE_FIELDS)
        offset += start
    size = struct.calcsize(form)
    if offset + size <= len(data):
        value = rng.choice(_VALUES + [rng.getrandbits(8 * size)]) & ((1 << 8 * size) - 1)
        struct.pack_into(form, data, offset, value)


def truncate(rng, data):
    del data[_position(rng, data):]


def duplicate(rng, data):
    """Insert a copy of a slice (at times a whole page) somewhere."""
    spans = _pageSpans(data)
    if spans and rng.random() < 0.5:
        start, end = rng.choice(spans)
    else:
        start = _position(rng, data)
        end = start + rng.randint(1, 4096)
    data[_position(rng, data):0] = data[start:end]


MUTATIONS = [bitFlip, byteSet, fieldSet, truncate, duplicate]
_WEIGHTS = [4, 4, 4, 1, 2]


def _pageSpans(data):
    """The (start, end) of each complete page in C{data}, found as libogg finds them."""
    spans, position = [], data.find(b"OggS")
    while position >= 0 and position + 27 <= len(data):
        segments = data[position + 26]
        end = position + 27 + segments + sum(data[position + 27 : position + 27 + segments])
        if position + 27 + segments > len(data) or end > len(data):
            break
        spans.append((position, end))
        position = data.find(b"OggS", end)
    return spans


def reseal(data):
    """
    C{data} with the CRC of each of its complete pages recomputed.

    @param data: bytes, maybe mutated Ogg pages.
    @return: the resealed bytes.
    """
    data = bytearray(data)
    for start, end in _pageSpans(data):
        data[start:end] = sealed(data[start:end])
    return bytes(data)


def makeCase(seed, index, original=None):
    """
    Case C{index} of the run seeded C{seed}: one to four mutations, resealed.

    @return: the case's bytes, and how to feed them: a piece size.
    """
    rng = random.Random("%d:%d" % (seed, index))
    data = bytearray(seedCase() if original is None else original)
    for mutation in rng.choices(MUTATIONS, _WEIGHTS, k=rng.randint(1, 4)):
        mutation(rng, data)
    return reseal(data), rng.choice([1 << 30, 4096, rng.randint(1, 1000)])


def checkDecoder(data, pieceSize=1 << 30):
    """
    Decode C{data} with L{OggVorbisDecoder}, fed in pieces of C{pieceSize}.

    @raise Exception: anything but a L{VorbisError}.
    """
    decoder = OggVorbisDecoder()
    try:
        for start in range(0, len(data), pieceSize):
            decoder.feed(data[start : start + pieceSize])
        decoder.finish()
    except VorbisError:
        pass


def checkComponent(data):
    """
    Decode C{data} with the L{VorbisDecode} component.

    @return: a L{Deferred} firing when the component has ended, errbacking with
        anything but a L{VorbisError}.
    """
    pipeline = Pipeline(DataSource([data]), VorbisDecode(), Collect()).activate()
    return pipeline.whenDone().addErrback(_clean)


def _clean(failure):
    failure.trap(VorbisError)


@defer.inlineCallbacks
def fuzz(seed, cases, start=0, component=True, report=print):
    """
    Run cases C{start} to C{start + cases} of the run seeded C{seed}.

    @param component: also decode each case with the L{VorbisDecode} component.
    @param report: called with a line for each failure.
    @return: a L{Deferred} firing with the list of failures: (case number,
        path, the exception).
    """
    failures = []

    def failed(index, path, error):
        failures.append((index, path, error))
        where = traceback.extract_tb(error.__traceback__)[-1]
        report("seed %d case %d (%s): %s at %s:%d" % (
            seed, index, path, traceback.format_exception_only(error)[-1].strip(),
            os.path.basename(where.filename), where.lineno))

    for index in range(start, start + cases):
        data, pieceSize = makeCase(seed, index)
        try:
            checkDecoder(data, pieceSize)
        except Exception as error:
            failed(index, "decoder", error)
        if component:
            try:
                yield checkComponent(data)
            except Exception as error:
                failed(index, "component", error)
    return failures


def capMemory(megabytes):
    """Make allocations beyond C{megabytes} of address space fail with MemoryError."""
    limit = megabytes << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz_vorbis", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0, help="the first case number")
    parser.add_argument("--no-component", dest="component", action="store_false",
                        help="only OggVorbisDecoder, not the VorbisDecode component")
    parser.add_argument("--memory-limit", type=int, default=2048, metavar="MB",
                        help="address space cap, so that a huge allocation fails (0: none)")
    parser.add_argument("--save", metavar="DIR", help="write each failing case to DIR")
    parser.add_argument("--atheris", action="store_true", help="fuzz with atheris; other arguments go to libFuzzer")
    options, rest = parser.parse_known_args(argv)
    if options.atheris and importlib.util.find_spec("atheris") is None:
        parser.exit(2, "{}: --atheris needs atheris: pip install atheris\n".format(parser.prog))
    if options.memory_limit:
        capMemory(options.memory_limit)
    if options.atheris:
        return atherisMain([sys.argv[0]] + rest)
    if rest:
        parser.error("unrecognized arguments: " + " ".join(rest))
    globalLogBeginner.beginLoggingTo([lambda event: None], redirectStandardIO=False)  # failures are counted here
    began = time.perf_counter()

    def summarize(failures):
        cases = sorted({index for index, _, _ in failures})
        print("%d cases (seed %d, from %d) in %.1f s: %d failures in %d cases" % (
            options.cases, options.seed, options.start, time.perf_counter() - began, len(failures), len(cases)))
        if options.save:
            os.makedirs(options.save, exist_ok=True)
            for index in cases:
                with open(os.path.join(options.save, "seed%d-case%d.ogg" % (options.seed, index)), "wb") as f:
                    f.write(makeCase(options.seed, index)[0])
        if failures:
            raise SystemExit(1)

    task.react(lambda reactor: fuzz(options.seed, options.cases, options.start, options.component).addCallback(
        summarize))


def atherisMain(argv):
    """Fuzz L{checkDecoder} with atheris: libFuzzer's mutations and ours, resealed."""
    import atheris

    def mutate(data, maxSize, seed):
        rng = random.Random(seed)
        if rng.random() < 0.5:
            return atheris.Mutate(data, maxSize)
        return makeCase(seed, 0, original=data)[0][:maxSize]

    for folder in [arg for arg in argv[1:] if not arg.startswith("-")]:
        os.makedirs(folder, exist_ok=True)
        if not os.listdir(folder):
            with open(os.path.join(folder, "sample-first-pages.ogg"), "wb") as f:
                f.write(seedCase())
    atheris.instrument_all()
    atheris.Setup(argv, lambda data: checkDecoder(reseal(data)), custom_mutator=mutate)
    atheris.Fuzz()


if __name__ == "__main__":
    sys.exit(main())
