"""
Ogg Vorbis over TCP, Kamaelia's classic pair: a server streaming a file to
each client at the file's bitrate, and a client decoding and playing it::

    from kamaelia_twisted.apps.vorbis import vorbisClient, vorbisServer
    from kamaelia_twisted.media import SAMPLE

    vorbisServer(SAMPLE, port=1500).run()                # one process
    vorbisClient("127.0.0.1", 1500).run()                # another

which are, in Kamaelia's words::

    SimpleServer(protocol=lambda: ReadFileAdaptor("sample.ogg", readmode="bitrate",
                                                  bitrate=112000), port=1500)
    Pipeline(TCPClient("127.0.0.1", 1500), VorbisDecode(), AOAudioPlaybackAdaptor())
"""

from ..audio import AOAudioPlaybackAdaptor, WavWriter
from ..chassis.pipeline import Pipeline
from ..codec.vorbis import VorbisDecode
from ..codec.vorbisinfo import vorbisFileInfo
from ..file import ReadFileAdaptor
from ..net import SimpleServer, TCPClient


def vorbisServer(filename, port=None, endpoint=None, speed=1.0, bitrate=None, reactor=None):
    """
    Serve C{filename} to every client that connects, paced like a live stream.

    @param filename: an Ogg Vorbis file.
    @param port: the TCP port to listen on (0: any free one).
    @param endpoint: instead of C{port}, a server endpoint description
        (C{"tcp:1500:interface=127.0.0.1"}) or object.
    @param speed: how many times faster than C{bitrate} to send.
    @param bitrate: bits per second of the stream (default: the file's
        L{streamBitrate<kamaelia_twisted.codec.vorbisinfo.VorbisFileInfo.streamBitrate>}).
    @param reactor: the reactor pacing the reads and serving the connections.
    @return: a L{SimpleServer}; C{whenListening()} gives its port.
    @raise OSError: if the file cannot be read.
    @raise kamaelia_twisted.codec.VorbisFormatError: if it is not Ogg Vorbis.
    """
    if speed <= 0:
        raise ValueError("speed must be positive, not {!r}".format(speed))
    rate = int((bitrate or vorbisFileInfo(filename).streamBitrate) * speed)

    def handler():
        return ReadFileAdaptor(filename, readmode="bitrate", bitrate=rate, reactor=reactor)

    return SimpleServer(protocol=handler, port=port, endpoint=endpoint, reactor=reactor)


def pcmSink(wav=None, reactor=None):
    """
    Where decoded audio goes: the sound device, or a WAV file.

    @param wav: a WAV file name, or L{None} to play.
    @return: a L{WavWriter}, or an L{AOAudioPlaybackAdaptor<kamaelia_twisted.audio.AudioPlayback>} that holds
        half a second before it starts, against the network's jitter.
    """
    if wav is not None:
        return WavWriter(wav, reactor=reactor)
    return AOAudioPlaybackAdaptor(prebufferSeconds=0.5, reactor=reactor)


def vorbisClient(host=None, port=None, endpoint=None, sink=None, reactor=None):
    """
    Receive an Ogg Vorbis stream, decode it and play it (or hand it to C{sink}).

    @param host: the server's host name or address.
    @param port: the server's TCP port.
    @param endpoint: instead of C{host} and C{port}, a client endpoint
        description (C{"tcp:host=127.0.0.1:port=1500"}) or object.
    @param sink: the component the L{PCMChunk}s go to (default: a new
        prebuffering L{AOAudioPlaybackAdaptor<kamaelia_twisted.audio.AudioPlayback>}); see L{pcmSink}.
    @param reactor: the reactor running the pipeline.
    @return: C{Pipeline(TCPClient, VorbisDecode, sink)}, which ends once the
        stream has ended and been played (or failed).
    """
    return Pipeline(
        TCPClient(host, port, endpoint=endpoint, reactor=reactor),
        VorbisDecode(reactor=reactor),
        sink if sink is not None else pcmSink(reactor=reactor),
        reactor=reactor,
    )
