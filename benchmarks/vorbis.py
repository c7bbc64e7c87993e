"""
Ogg Vorbis decoding speed: OggVorbisDecoder fed in 4 KB chunks, and the
VorbisDecode component fed 4 KB messages
(C{Pipeline(DataSource(chunks), VorbisDecode(), counting sink)} on the
reactor), against PyOgg's whole-file VorbisFile (libvorbisfile's ov_read)
and, when installed, the oggdec command, all on the same file in one run.

Each decoder decodes the file C{--repeat} times per timing (oggdec in one
process, in raw mode); the best of C{--runs} timings counts.

Then, unless C{--no-memory}: memory while streaming the file K times back to
back (one chained stream) over loopback TCP as fast as it decodes, through
SimpleServer + ReadFileAdaptor (block mode), TCPClient, VorbisDecode and a
WavWriter to /dev/null, each K in a fresh process: peak RSS should not grow
with the stream's length.

    python benchmarks/vorbis.py [--repeat 20] [--runs 3] [--copies 1,10,100] [file.ogg]
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from twisted.internet import defer

import kamaelia_twisted
from kamaelia_twisted import Component, Pipeline
from kamaelia_twisted.codec import VorbisDecode, xiphlibs
from kamaelia_twisted.codec.oggvorbis import OggVorbisDecoder
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.util import DataSource

OURS = "OggVorbisDecoder, 4 KB chunks"
COMPONENT = "VorbisDecode component, 4 KB msgs"
VORBISFILE = "PyOgg VorbisFile (ov_read)"
OGGDEC = "oggdec (one process, raw)"


def decodeWithOggVorbisDecoder(data, chunk=4096):
    """Decode C{data} fed in pieces of C{chunk} bytes; return the seconds of audio."""
    decoder = OggVorbisDecoder()
    seconds = 0.0
    for start in range(0, len(data), chunk):
        seconds += sum(pcm.seconds for pcm in decoder.feed(data[start : start + chunk]))
    return seconds + sum(pcm.seconds for pcm in decoder.finish())


class CountSeconds(Component):
    """
    Add up the seconds of the L{PCMChunk}s that arrive; end on shutdown,
    returning the sum.
    """

    def main(self):
        seconds = 0.0
        while True:
            while self.dataReady("inbox"):
                seconds += self.recv("inbox").seconds
            if self.checkShutdown() is not None:
                return seconds
            self.pause()
            yield 1


def decodeWithComponent(chunks):
    """
    Decode C{chunks} with C{Pipeline(DataSource(chunks), VorbisDecode(), CountSeconds())}.

    @return: a L{Deferred} that fires when the pipeline has ended.
    """
    return Pipeline(DataSource(chunks), VorbisDecode(), CountSeconds()).activate().whenDone()


def timeComponent(data, repeat, runs, chunk=4096):
    """
    The shortest of C{runs} timings of C{repeat} component decodes of
    C{data}, in seconds, on the reactor (which this runs and stops).
    """
    from twisted.internet import reactor

    chunks = [data[start : start + chunk] for start in range(0, len(data), chunk)]
    times = []

    @defer.inlineCallbacks
    def timeAll():
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(repeat):
                yield decodeWithComponent(chunks)
            times.append(time.perf_counter() - start)

    reactor.callWhenRunning(lambda: timeAll().addBoth(lambda result: (reactor.stop(), result)[1]))
    reactor.run()
    if len(times) < runs:
        raise RuntimeError("the component benchmark did not finish")
    return min(times)


def decodeWithVorbisFile(path):
    """Decode the whole file with ov_read through PyOgg; return the bytes of PCM."""
    return len(xiphlibs.vorbisFile(path).buffer)


def decodeWithOggdec(path, repeat):
    """Decode the file C{repeat} times with one oggdec process, discarding the output."""
    subprocess.run(["oggdec", "--quiet", "--raw", "--output", os.devnull] + [path] * repeat, check=True)


def repeated(function, *args, repeat):
    for _ in range(repeat):
        function(*args)


def bestTime(function, *args, runs, **kwargs):
    """The shortest of C{runs} timings of C{function(*args, **kwargs)}, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def measure(path, repeat, runs):
    """Time every available decoder on C{repeat} decodes of C{path}; return (audio seconds, rows)."""
    with open(path, "rb") as f:
        data = f.read()
    audio = repeat * decodeWithOggVorbisDecoder(data)
    rows = [
        (OURS, bestTime(repeated, decodeWithOggVorbisDecoder, data, repeat=repeat, runs=runs)),
        (VORBISFILE, bestTime(repeated, decodeWithVorbisFile, path, repeat=repeat, runs=runs)),
    ]
    if shutil.which("oggdec"):
        rows.append((OGGDEC, bestTime(decodeWithOggdec, path, repeat, runs=runs)))
    rows.insert(1, (COMPONENT, timeComponent(data, repeat, runs)))
    return audio, rows


def table(audio, rows):
    """The results as text: one line per decoder."""
    peers = dict(rows)
    vorbisFile, oggdec = peers[VORBISFILE], peers.get(OGGDEC)
    lines = [
        "%.1f s of audio" % (audio,),
        "%-34s %9s %12s %14s %10s" % ("decoder", "wall s", "x realtime", "vs VorbisFile", "vs oggdec"),
    ]
    for name, seconds in rows:
        versusOggdec = "%.2f" % (oggdec / seconds) if oggdec else "-"
        lines.append(
            "%-34s %9.3f %12.0f %14.2f %10s"
            % (name, seconds, audio / seconds, vorbisFile / seconds, versusOggdec)
        )
    return "\n".join(lines)


def streamCopies(path, copies):
    """
    Stream C{copies} copies of C{path} over loopback TCP, decoding them
    into a WavWriter on /dev/null, on the reactor (which this runs).

    @return: (seconds of audio, wall seconds, RSS in KB before streaming,
        peak RSS in KB).
    """
    from twisted.internet import reactor

    from kamaelia_twisted.apps.vorbis import vorbisClient
    from kamaelia_twisted.audio import WavWriter
    from kamaelia_twisted.file import ReadFileAdaptor
    from kamaelia_twisted.net import SimpleServer

    with tempfile.TemporaryDirectory() as folder:
        long = os.path.join(folder, "long.ogg")
        with open(path, "rb") as source, open(long, "wb") as target:
            data = source.read()
            for _ in range(copies):
                target.write(data)
        del data
        outcome = []

        @defer.inlineCallbacks
        def stream():
            server = SimpleServer(protocol=lambda: ReadFileAdaptor(long, readmode="block", readsize=65536),
                                  endpoint="tcp:0:interface=127.0.0.1").activate()
            port = (yield server.whenListening()).getHost().port
            before = peakRSS()
            start = time.perf_counter()
            client = vorbisClient("127.0.0.1", port, sink=WavWriter(os.devnull))
            yield client.activate().whenDone()
            outcome.extend([client.childComponents()[1].secondsDecoded, time.perf_counter() - start, before])
            server.inboxes["control"].deliver(kamaelia_twisted.shutdownMicroprocess())
            yield server.whenDone()

        reactor.callWhenRunning(lambda: stream().addBoth(lambda result: (reactor.stop(), result)[1]))
        reactor.run()
    if len(outcome) < 3:
        raise RuntimeError("the stream did not finish")
    return tuple(outcome) + (peakRSS(),)


def peakRSS():
    """This process's peak resident set size so far, in KB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measureMemory(path, copiesList):
    """Run L{streamCopies} for each count in a fresh process; return the rows."""
    rows = []
    for copies in copiesList:
        output = subprocess.run([sys.executable, __file__, "--stream-child", str(copies), path],
                                capture_output=True, text=True, check=True).stdout.split()
        rows.append((copies,) + tuple(float(value) for value in output))
    return rows


def memoryTable(rows):
    """The memory results as text: one line per stream length."""
    lines = ["%-12s %10s %8s %11s %14s %13s" % (
        "stream", "audio s", "wall s", "x realtime", "RSS before MB", "peak RSS MB")]
    for copies, audio, wall, before, peak in rows:
        lines.append("%-12s %10.0f %8.2f %11.0f %14.1f %13.1f" % (
            "%d x file" % copies, audio, wall, audio / wall, before / 1024, peak / 1024))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("path", nargs="?", default=SAMPLE, help="an Ogg Vorbis file")
    parser.add_argument("--repeat", type=int, default=20, help="decodes of the file per timing")
    parser.add_argument("--runs", type=int, default=3, help="timings per decoder; the best counts")
    parser.add_argument("--copies", default="1,10,100", help="stream lengths for the memory table, in files")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory table")
    parser.add_argument("--stream-child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.stream_child:
        print(*streamCopies(options.path, options.stream_child))
        return
    print(table(*measure(options.path, options.repeat, options.runs)))
    if not options.no_memory:
        print()
        print(memoryTable(measureMemory(options.path, [int(n) for n in options.copies.split(",")])))


if __name__ == "__main__":
    main()
