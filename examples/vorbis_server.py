"""
Kamaelia's Ogg Vorbis server: every client that connects is sent the file,
paced at its bitrate like a live stream (Kamaelia's original was
C{SimpleServer(protocol=lambda: ReadFileAdaptor(file, readmode="bitrate",
bitrate=400000), port=1500)})::

    python examples/vorbis_server.py --port 1500            # the bundled sample
    python examples/vorbis_server.py --file song.ogg --port tcp:1500:interface=127.0.0.1

Listen to it with C{examples/vorbis_client.py}. Stop it with Ctrl-C.
"""

import argparse
import sys

from kamaelia_twisted.apps.vorbis import vorbisServer
from kamaelia_twisted.codec import VorbisError, vorbisFileInfo
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.program import positive, runProgram


def endpointDescription(port):
    """
    A server endpoint description from a port number or a description.
    """
    return "tcp:{}".format(port) if port.isdigit() else port


def main(argv=None):
    parser = argparse.ArgumentParser(description="Stream an Ogg Vorbis file to every client, at its bitrate.")
    parser.add_argument("--file", default=SAMPLE, help="the Ogg Vorbis file (default: the bundled sample)")
    parser.add_argument("--port", default="1500", help="port number or server endpoint (default 1500)")
    parser.add_argument("--speed", type=positive(float), default=1.0, help="send N times faster than the bitrate")
    parser.add_argument("--bitrate", type=positive(int), help="bits per second (default: the file's)")
    options = parser.parse_args(argv)
    try:
        bitrate = int((options.bitrate or vorbisFileInfo(options.file).streamBitrate) * options.speed)
        server = vorbisServer(options.file, endpoint=endpointDescription(options.port), bitrate=bitrate)
    except (OSError, VorbisError, ValueError) as error:
        sys.exit("vorbis_server: {}".format(error))
    server.whenListening().addCallbacks(lambda port: print(
        "serving {} at {} bit/s on port {}".format(options.file, bitrate, port.getHost().port), flush=True),
        lambda failure: None)  # runProgram reports it
    runProgram(server, "vorbis_server")


if __name__ == "__main__":
    main()
