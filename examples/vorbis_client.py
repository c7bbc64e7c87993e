"""
Kamaelia's Ogg Vorbis client: receive a stream, decode it and play it::

    Pipeline(TCPClient(host, port), VorbisDecode(), AOAudioPlaybackAdaptor())

    python examples/vorbis_client.py --host 127.0.0.1 --port 1500
    python examples/vorbis_client.py --port 1500 --wav received.wav

Without a sound device, or with C{--wav}, the audio is written to a WAV file
instead. It ends when the server closes the stream and the audio has played
(or has been written); it exits with 1 if the stream failed, and Ctrl-C
leaves a complete WAV file of what had arrived.
"""

import argparse
import os
import tempfile

from kamaelia_twisted.apps.vorbis import pcmSink, vorbisClient
from kamaelia_twisted.audio import soundDeviceFound
from kamaelia_twisted.program import runProgram

DEFAULT_WAV = os.path.join(tempfile.gettempdir(), "kamaelia_vorbis_client.wav")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Play (or save) an Ogg Vorbis stream from a TCP server.")
    parser.add_argument("--host", default="127.0.0.1", help="the server (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=1500, help="the server's port (default 1500)")
    parser.add_argument("--wav", help="write the audio to this WAV file instead of playing it")
    options = parser.parse_args(argv)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if options.wav is None and not soundDeviceFound():
        options.wav = DEFAULT_WAV
        print("no sound device: writing the audio to {}".format(options.wav), flush=True)
    client = vorbisClient(options.host, options.port, sink=pcmSink(options.wav))
    decoder = client.childComponents()[1]
    runProgram(client, "vorbis_client")
    print("received {:.1f} s of audio ({:,} bytes) to {}".format(
        decoder.secondsDecoded, decoder.bytesDecoded, options.wav or "the sound device"))


if __name__ == "__main__":
    main()
