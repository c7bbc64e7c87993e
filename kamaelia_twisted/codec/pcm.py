"""
Decoded audio as a value: signed 16-bit little-endian interleaved samples.

    >>> chunk = PCMChunk(b"\\0\\0" * 2 * 441, rate=44100, channels=2)
    >>> chunk.frames, chunk.seconds
    (441, 0.01)
"""

from typing import NamedTuple

SAMPLE_WIDTH = 2


class PCMChunk(NamedTuple):
    """
    A run of PCM audio.

    @ivar data: signed 16-bit little-endian samples, channels interleaved.
    @ivar rate: frames per second.
    @ivar channels: samples per frame.
    """

    data: bytes
    rate: int
    channels: int

    @property
    def frames(self):
        """The number of frames (one sample per channel) in C{data}."""
        return len(self.data) // (SAMPLE_WIDTH * self.channels)

    @property
    def seconds(self):
        """The duration of C{data}, in seconds."""
        return self.frames / self.rate
