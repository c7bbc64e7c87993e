"""
Checks shared by the components that consume a stream of L{PCMChunk}s.

    >>> from kamaelia_twisted.codec.pcm import PCMChunk
    >>> checkChunk(PCMChunk(b"\\0\\0\\0\\0", 8000, 2), (8000, 2)).frames
    1
"""

from ..codec.pcm import SAMPLE_WIDTH, PCMChunk


class PCMStreamError(Exception):
    """
    A message on a PCM stream is not audio this component can take.
    """


def checkChunk(message, streamFormat=None):
    """
    Check that C{message} is a L{PCMChunk} of whole frames, in
    C{streamFormat} if one is given.

    @param streamFormat: the stream's C{(rate, channels)} so far, or L{None}.
    @return: C{message}.
    @raise PCMStreamError: saying what is wrong.
    """
    if not isinstance(message, PCMChunk):
        raise PCMStreamError("expected a PCMChunk, got {!r}".format(message)[:200])
    if message.rate <= 0 or message.channels <= 0:
        raise PCMStreamError("bad PCM format: {} Hz, {} channels".format(message.rate, message.channels))
    if len(message.data) % (SAMPLE_WIDTH * message.channels):
        raise PCMStreamError("{} bytes of PCM are not whole {}-channel frames".format(
            len(message.data), message.channels))
    if streamFormat is not None and chunkFormat(message) != streamFormat:
        raise PCMStreamError("stream format changed from {} Hz {} ch to {} Hz {} ch".format(
            *streamFormat, *chunkFormat(message)))
    return message


def chunkFormat(chunk):
    """
    Return C{chunk}'s C{(rate, channels)}.
    """
    return chunk.rate, chunk.channels

