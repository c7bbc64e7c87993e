"""
Kamaelia's simple streaming server, written against Kamaelia and Axon alone:
each client that connects gets the file, read by Kamaelia's ReadFileAdaptor
at a fixed bitrate, served by Kamaelia's SimpleServer. Run it on the Twisted
reactor with

    python -m kamaelia_twisted.axon examples/kamaelia_streaming_server.py --port 1500

and listen with kamaelia_twisted's Ogg Vorbis client (TCPClient, VorbisDecode,
playback or a WAV file):

    python examples/vorbis_client.py --port 1500 --wav received.wav

The default file is the bundled Ogg Vorbis sample; the default bitrate,
Kamaelia's 400 kbit/s, sends it about four times faster than it plays.
Kamaelia's TCPServer says nothing when it cannot listen (a port in use): the
server then serves nobody.
"""

import argparse

from Kamaelia.Chassis.ConnectedServer import SimpleServer
from Kamaelia.File.ReadFileAdaptor import ReadFileAdaptor

from kamaelia_twisted.media import SAMPLE


def streamer(path, bitrate):
    """
    Return the protocol factory: a ReadFileAdaptor of C{path} at C{bitrate}
    bits per second for each connection.
    """
    return lambda: ReadFileAdaptor(path, readmode="bitrate", bitrate=bitrate)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Stream a file to every client that connects, at a fixed bitrate.")
    parser.add_argument("file", nargs="?", default=SAMPLE, help="the file to stream (default: the bundled sample)")
    parser.add_argument("--port", type=int, default=1500, help="the port to listen on (default 1500)")
    parser.add_argument("--bitrate", type=float, default=400000, help="bits per second (default 400000)")
    args = parser.parse_args()
    print("streaming {} at {:,.0f} bit/s on port {}".format(args.file, args.bitrate, args.port), flush=True)
    SimpleServer(protocol=streamer(args.file, args.bitrate), port=args.port).run()
