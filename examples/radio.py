"""
A radio station: an Ogg Vorbis file played live over HTTP, read once at its
bitrate for every listener of C{/stream.ogg}::

    python examples/radio.py --http 8000 --loop            # the bundled sample
    python examples/radio.py --file song.ogg --http tcp:8000:interface=127.0.0.1

Tune in with C{ffplay http://127.0.0.1:8000/stream.ogg}, C{ogg123} or
C{mpv}. Stop it with Ctrl-C.
"""

import argparse
import sys

from kamaelia_twisted.apps.radio import RadioStation
from kamaelia_twisted.codec import VorbisError
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.program import runProgram


def main(argv=None):
    parser = argparse.ArgumentParser(description="Play an Ogg Vorbis file live over HTTP at /stream.ogg.")
    parser.add_argument("--file", default=SAMPLE, help="the Ogg Vorbis file (default: the bundled sample)")
    parser.add_argument("--http", default="8000", help="port number or server endpoint (default 8000)")
    parser.add_argument("--loop", action="store_true", help="play the file again and again")
    parser.add_argument("--speed", type=float, default=1.0, help="play N times faster than the bitrate")
    options = parser.parse_args(argv)
    endpoint = "tcp:{}".format(options.http) if options.http.isdigit() else options.http
    try:
        station = RadioStation(options.file, endpoint, loop=options.loop, speed=options.speed)
    except (OSError, VorbisError, ValueError) as error:
        sys.exit("radio: {}".format(error))
    station.whenListening().addCallbacks(lambda port: print(
        "playing {} at {} bit/s on http://127.0.0.1:{}/stream.ogg".format(
            options.file, station.bitrate, port.getHost().port), flush=True),
        lambda failure: None)  # not listening: the station fails, and runProgram says why
    runProgram(station, "radio")


if __name__ == "__main__":
    main()
