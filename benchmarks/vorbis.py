"""
Ogg Vorbis decoding speed: OggVorbisDecoder fed in 4 KB chunks, against
PyOgg's whole-file VorbisFile (libvorbisfile's ov_read) and, when installed,
the oggdec command, all on the same file in one run.

Each decoder decodes the file C{--repeat} times per timing (oggdec in one
process, in raw mode); the best of C{--runs} timings counts.

    python benchmarks/vorbis.py [--repeat 20] [--runs 3] [file.ogg]
"""

import argparse
import os
import shutil
import subprocess
import time

import kamaelia_twisted.codec
from kamaelia_twisted.codec import xiphlibs
from kamaelia_twisted.codec.oggvorbis import OggVorbisDecoder

OURS = "OggVorbisDecoder, 4 KB chunks"
VORBISFILE = "PyOgg VorbisFile (ov_read)"
OGGDEC = "oggdec (one process, raw)"
SAMPLE = os.path.join(os.path.dirname(os.path.dirname(kamaelia_twisted.codec.__file__)), "media", "sample.ogg")


def decodeWithOggVorbisDecoder(data, chunk=4096):
    """Decode C{data} fed in pieces of C{chunk} bytes; return the seconds of audio."""
    decoder = OggVorbisDecoder()
    seconds = 0.0
    for start in range(0, len(data), chunk):
        seconds += sum(pcm.seconds for pcm in decoder.feed(data[start : start + chunk]))
    return seconds + sum(pcm.seconds for pcm in decoder.finish())


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
    return audio, rows


def table(audio, rows):
    """The results as text: one line per decoder."""
    peers = dict(rows)
    vorbisFile, oggdec = peers[VORBISFILE], peers.get(OGGDEC)
    lines = [
        "%.1f s of audio" % (audio,),
        "%-32s %9s %12s %14s %10s" % ("decoder", "wall s", "x realtime", "vs VorbisFile", "vs oggdec"),
    ]
    for name, seconds in rows:
        versusOggdec = "%.2f" % (oggdec / seconds) if oggdec else "-"
        lines.append(
            "%-32s %9.3f %12.0f %14.2f %10s"
            % (name, seconds, audio / seconds, vorbisFile / seconds, versusOggdec)
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("path", nargs="?", default=SAMPLE, help="an Ogg Vorbis file")
    parser.add_argument("--repeat", type=int, default=20, help="decodes of the file per timing")
    parser.add_argument("--runs", type=int, default=3, help="timings per decoder; the best counts")
    options = parser.parse_args()
    print(table(*measure(options.path, options.repeat, options.runs)))


if __name__ == "__main__":
    main()
