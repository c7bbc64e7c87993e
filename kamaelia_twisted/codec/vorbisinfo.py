"""
What an Ogg Vorbis file holds, read by libvorbisfile from its headers and
page positions, without decoding it::

    >>> import os, kamaelia_twisted
    >>> path = os.path.join(os.path.dirname(kamaelia_twisted.__file__), "media", "sample.ogg")
    >>> info = vorbisFileInfo(path)
    >>> info.rate, info.channels, info.seconds, info.nominalBitrate
    (44100, 2, 14.0, 112000)

L{VorbisFileInfo.streamBitrate} is the rate to send the file at so that a
player receiving it never runs dry on average (Kamaelia's Vorbis server
streamed at a fixed 400 kbit/s).
"""

import ctypes
import os
from typing import NamedTuple

from . import xiphlibs
from .oggvorbis import VorbisFormatError

_vorbisfile = xiphlibs.pyogg.vorbis


class VorbisFileInfo(NamedTuple):
    """
    Facts about an Ogg Vorbis file.

    @ivar rate: frames per second of its first bitstream.
    @ivar channels: channels of its first bitstream.
    @ivar seconds: the duration of all its bitstreams.
    @ivar size: its size in bytes.
    @ivar nominalBitrate: the bits per second its first identification
        header announces (0 if it announces none).
    @ivar streams: how many chained bitstreams it holds.
    """

    rate: int
    channels: int
    seconds: float
    size: int
    nominalBitrate: int
    streams: int

    @property
    def averageBitrate(self):
        """
        The file's bits per second of audio, headers included (0 if it holds no audio).
        """
        return int(self.size * 8 / self.seconds) if self.seconds else 0

    @property
    def streamBitrate(self):
        """
        Bits per second to send the file at: the larger of the nominal and
        the average bitrate.
        """
        return max(self.nominalBitrate, self.averageBitrate)


def vorbisFileInfo(path):
    """
    Read C{path}'s format, duration and bitrates.

    @param path: an Ogg Vorbis file name.
    @return: a L{VorbisFileInfo}.
    @raise OSError: if the file cannot be read.
    @raise VorbisFormatError: if it is not an Ogg Vorbis file.
    """
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
    vf = _vorbisfile.OggVorbis_File()
    ref = ctypes.byref(vf)
    error = _vorbisfile.ov_fopen(os.fsdecode(path), ref)
    if error:
        raise VorbisFormatError("{} is not an Ogg Vorbis file (libvorbisfile error {})".format(path, error))
    try:
        info = _vorbisfile.ov_info(ref, 0).contents
        return VorbisFileInfo(info.rate, info.channels, _vorbisfile.ov_time_total(ref, -1), size,
                              max(info.bitrate_nominal, 0), _vorbisfile.ov_streams(ref))
    finally:
        _vorbisfile.ov_clear(ref)
