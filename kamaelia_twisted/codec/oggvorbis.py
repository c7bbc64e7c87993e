"""
An incremental Ogg Vorbis decoder: push bytes in, get PCM out.

The bytes may arrive in pieces of any size. Pages are decoded as soon as they
are complete, with libogg and libvorbis; the samples are those libvorbisfile's
C{ov_read} returns. Chained streams (one logical bitstream after another,
perhaps with a new rate or channel count) decode in sequence; a corrupt page in
the middle is skipped.

    >>> import os, kamaelia_twisted.codec as codec
    >>> path = os.path.join(os.path.dirname(codec.__file__), "..", "media", "sample.ogg")
    >>> decoder = OggVorbisDecoder()
    >>> chunks = []
    >>> with open(path, "rb") as f:
    ...     for block in iter(lambda: f.read(4096), b""):
    ...         chunks += decoder.feed(block)
    >>> chunks += decoder.finish()
    >>> chunks[0].rate, chunks[0].channels, round(sum(c.seconds for c in chunks), 1)
    (44100, 2, 14.0)
"""

import ctypes
import struct

import numpy

from kamaelia_twisted.codec import xiphlibs
from kamaelia_twisted.codec.pcm import PCMChunk

_ogg, _vorbis = xiphlibs.libogg, xiphlibs.libvorbis
_byref, _memmove = ctypes.byref, ctypes.memmove
_FLOAT = ctypes.sizeof(ctypes.c_float)

# libvorbisfile gives up when the first 64 KB hold no Ogg page; so do we.
SYNC_LIMIT = 65536
# The highest sample rate accepted (a header may announce up to 2**32 - 1 Hz).
MAX_RATE = 768000
# Samples (of all channels) staged before a chunk is made, unless one block holds more.
STAGE_SAMPLES = 1 << 17
_HEADER_NAMES = ("identification", "comment", "setup")


class VorbisError(Exception):
    """The bytes fed in cannot be decoded as Ogg Vorbis."""


class VorbisFormatError(VorbisError):
    """The input is not Ogg Vorbis, or its Vorbis headers are bad."""


class VorbisTruncatedError(VorbisError):
    """The input ended before its Vorbis bitstream did."""


def checkIdentification(header):
    """
    Check the fields of a Vorbis identification header that size the
    decoder's buffers, before libvorbis sees it.

        >>> header = bytearray.fromhex("01766f72626973000000000244ac0000" + "00" * 12 + "b801")
        >>> checkIdentification(header)          # 2 channels, 44100 Hz
        >>> header[12:16] = (4294967294).to_bytes(4, "little")
        >>> try:
        ...     checkIdentification(header)
        ... except VorbisFormatError as error:
        ...     print(error)
        bad Vorbis identification header: sample rate 4294967294 Hz (1 to 768000 expected)

    @param header: the packet's bytes.
    @raise VorbisFormatError: naming the first bad field and its value.
    """
    if len(header) < 30:
        problem = "identification header of %d bytes (30 expected)" % (len(header),)
    else:
        version, channels, rate = struct.unpack_from("<IBI", header, 7)
        small, large = 1 << (header[28] & 15), 1 << (header[28] >> 4)
        problem = next((text for bad, text in [
            (version != 0, "version %d (0 expected)" % (version,)),
            (channels == 0, "0 channels"),
            (not 1 <= rate <= MAX_RATE, "sample rate %d Hz (1 to %d expected)" % (rate, MAX_RATE)),
            (not 64 <= small <= large <= 8192,
             "block sizes %d and %d (64 <= short <= long <= 8192 expected)" % (small, large)),
            (not header[29] & 1, "framing bit unset"),
        ] if bad), None)
    if problem is not None:
        raise VorbisFormatError("bad Vorbis identification header: " + problem)


class _Link:
    """One logical Vorbis bitstream: its libogg stream state and libvorbis decoder."""

    def __init__(self, serial):
        self.serial = serial
        self.headers = 0
        self.ended = False
        self.frames = 0
        self.stream = xiphlibs.ogg_stream_state()
        self.streamRef = _byref(self.stream)
        _ogg.ogg_stream_init(self.streamRef, serial)
        self.info = xiphlibs.vorbis_info()
        self.comment = xiphlibs.vorbis_comment()
        _vorbis.vorbis_info_init(self.info)
        _vorbis.vorbis_comment_init(self.comment)
        self.dsp = self.block = None

    def headerIn(self, packetRef):
        """Read the next of the three Vorbis header packets."""
        error = _vorbis.vorbis_synthesis_headerin(self.info, self.comment, packetRef)
        if error:
            raise VorbisFormatError(
                "bad Vorbis %s header (libvorbis error %d)" % (_HEADER_NAMES[self.headers], error)
            )
        self.headers += 1
        if self.headers == 3:
            self._startSynthesis()

    def _startSynthesis(self):
        self.dsp = xiphlibs.vorbis_dsp_state()
        self.block = xiphlibs.vorbis_block()
        self.dspRef, self.blockRef = _byref(self.dsp), _byref(self.block)
        if _vorbis.vorbis_synthesis_init(self.dspRef, self.info):
            self.dsp = None
            raise VorbisFormatError("libvorbis rejected the stream's setup")
        _vorbis.vorbis_block_init(self.dspRef, self.blockRef)
        self.rate, self.channels = self.info.rate, self.info.channels
        # libvorbis keeps each channel's output in one buffer for the stream's life.
        self.planes = [ctypes.cast(self.dsp.pcm[i], ctypes.c_void_p).value for i in range(self.channels)]
        # Room for one block at least: libvorbis never returns more at once.
        self.capacity = max(self.dsp.pcm_storage, STAGE_SAMPLES // self.channels)
        self.stage, self.fill = numpy.empty((self.channels, self.capacity), numpy.float32), 0
        rows = [self.stage.ctypes.data + i * self.capacity * _FLOAT for i in range(self.channels)]
        self.copies = list(zip(rows, self.planes))

    def takeSamples(self, count):
        """Copy C{count} decoded frames (that fit) out of libvorbis into the stage."""
        fill = self.fill
        start, offset, size = self.dsp.pcm_returned * _FLOAT, fill * _FLOAT, count * _FLOAT
        for row, plane in self.copies:
            _memmove(row + offset, plane + start, size)
        self.fill = fill + count
        self.frames += count

    def flush(self):
        """The staged frames as a L{PCMChunk} (or None), converted as C{ov_read} does."""
        if not self.fill:
            return None
        frames = numpy.multiply(self.stage[:, : self.fill].T, numpy.float32(32768), order="C")
        numpy.rint(frames, out=frames)  # round half to even, like ov_read's vorbis_ftoi
        numpy.clip(frames, -32768, 32767, out=frames)
        self.fill = 0
        return PCMChunk(frames.astype("<i2").tobytes(), self.rate, self.channels)

    def release(self):
        if self.dsp is not None:
            self.planes = self.copies = self.stage = None
            _vorbis.vorbis_block_clear(self.blockRef)
            _vorbis.vorbis_dsp_clear(self.dspRef)
            self.dsp = None
        _vorbis.vorbis_comment_clear(self.comment)
        _vorbis.vorbis_info_clear(self.info)
        _ogg.ogg_stream_clear(self.streamRef)


class OggVorbisDecoder:
    """
    Decode an Ogg Vorbis byte stream pushed in pieces of any size.

    Call L{feed} with each piece and L{finish} at the end of the input; both
    return a list of L{PCMChunk}. Audio is returned as soon as the page that
    completes it has been fed.

    A few bytes can hold a lot of audio (a one-byte packet can decode to 8192
    frames of 255 channels), so a decoder fed from the network should be
    given C{maxSamples}: a call then returns about that many samples at most,
    and while L{pending} is true, C{feed(b"")} returns more.

    @ivar pending: whether audio decodable from the input already fed is
        held back by C{maxSamples}.
    """

    def __init__(self, maxSamples=None):
        """
        @param maxSamples: the samples (of all channels) after which a call
            of L{feed} stops decoding; it may exceed them by one block.
            L{None}: no bound.
        """
        self.maxSamples = maxSamples
        self.pending = False
        self._staged = 0
        self._sync = xiphlibs.ogg_sync_state()
        self._syncRef = _byref(self._sync)
        _ogg.ogg_sync_init(self._syncRef)
        self._page, self._packet = xiphlibs.ogg_page(), xiphlibs.ogg_packet()
        self._pageRef, self._packetRef = _byref(self._page), _byref(self._packet)
        self._link = None
        self._received = self._skipped = self._pages = 0
        self._otherStreams = False
        self._chunks = []
        self._error = None

    def feed(self, data):
        """
        Decode more of the stream.

        @param data: the next bytes of the stream, any number of them.
        @return: list of L{PCMChunk} decoded thanks to C{data} (maybe empty).
        @raise VorbisFormatError: the input is not Ogg Vorbis. Audio decoded
            before the fault is returned first, and the error raised by the
            next call; once raised, every later call raises it again.
        """
        if self._error is not None:
            raise self._error
        if self._sync is None:
            raise ValueError("feed() after finish()")
        self.pending = False
        try:
            self._decode(bytes(data))
        except VorbisError as error:
            self._error, self.pending = error, False
        self._flush()
        chunks, self._chunks, self._staged = self._chunks, [], 0
        if self._error is not None and not chunks:
            raise self._error
        return chunks

    def finish(self):
        """
        End the stream: check it was complete and free the decoder.

        @return: list of L{PCMChunk} still pending (none: L{feed} returns
            everything decodable).
        @raise VorbisTruncatedError: the input stopped inside a page, inside
            the headers or before the end of the bitstream; what could be
            decoded has already been returned by L{feed}.
        @raise VorbisFormatError: the input held no Ogg Vorbis stream, or an
            error L{feed} deferred.
        @raise ValueError: audio is L{pending}.
        """
        if self.pending:
            raise ValueError('finish() while audio is pending: call feed(b"") until it is not')
        if self._sync is not None:
            try:
                if self._error is None:
                    self._checkComplete()
            except VorbisError as error:
                self._error = error
            finally:
                self._release()
        if self._error is not None:
            raise self._error
        return []

    def close(self):
        """
        Free the decoder, without decoding or checking what is left.
        """
        if self._sync is not None:
            self._release()

    def _decode(self, data):
        if data:
            self._write(data)
        link = self._link
        if link is not None and link.headers == 3:
            self._decodePackets(link)  # the packets a bounded call left
        self._readPages()

    def _full(self):
        """Whether C{maxSamples} are staged; if so, the rest is L{pending}."""
        self.pending = self.maxSamples is not None and self._staged >= self.maxSamples
        return self.pending

    def _write(self, data):
        buffer = _ogg.ogg_sync_buffer(self._syncRef, len(data))
        ctypes.memmove(buffer, data, len(data))
        _ogg.ogg_sync_wrote(self._syncRef, len(data))
        self._received += len(data)

    def _readPages(self):
        pageseek, syncRef, pageRef = _ogg.ogg_sync_pageseek, self._syncRef, self._pageRef
        while not self._full():
            result = pageseek(syncRef, pageRef)
            if result > 0:
                self._pages += 1
                self._pageIn()
            elif result < 0:
                self._skip(-result)
            else:
                return

    def _skip(self, count):
        """Bytes that are not part of a page: junk, or a corrupt page (a hole)."""
        self._skipped += count
        if not self._pages and self._skipped > SYNC_LIMIT:
            raise VorbisFormatError("not an Ogg stream: no Ogg page in the first %d bytes" % SYNC_LIMIT)

    def _pageIn(self):
        serial = _ogg.ogg_page_serialno(self._pageRef)
        if _ogg.ogg_page_bos(self._pageRef):
            self._beginLink(serial)
            return
        link = self._link
        if link is None:
            what = "no Vorbis bitstream" if self._otherStreams else "no beginning-of-stream page"
            raise VorbisFormatError("not an Ogg Vorbis stream: %s before the data" % what)
        if serial != link.serial or link.ended:
            return
        _ogg.ogg_stream_pagein(link.streamRef, self._pageRef)
        if link.headers < 3:
            self._readHeaders(link)
        if link.headers == 3:
            self._decodePackets(link)

    def _beginLink(self, serial):
        """A beginning-of-stream page: start a new link if it carries Vorbis."""
        link = _Link(serial)
        _ogg.ogg_stream_pagein(link.streamRef, self._pageRef)
        if _ogg.ogg_stream_packetout(link.streamRef, self._packetRef) != 1 or not (
            _vorbis.vorbis_synthesis_idheader(self._packetRef)
        ):
            link.release()
            self._otherStreams = True
            return
        self._endLink()
        self._link = link
        checkIdentification(ctypes.string_at(self._packet.packet, self._packet.bytes))
        link.headerIn(self._packetRef)
        self._readHeaders(link)

    def _readHeaders(self, link):
        while link.headers < 3:
            result = _ogg.ogg_stream_packetout(link.streamRef, self._packetRef)
            if result == 0:
                return
            if result < 0:
                raise VorbisFormatError("a page of the Vorbis headers is missing or corrupt")
            link.headerIn(self._packetRef)

    def _decodePackets(self, link):
        packetout, synthesis = _ogg.ogg_stream_packetout, _vorbis.vorbis_synthesis
        blockin, pcmout = _vorbis.vorbis_synthesis_blockin, _vorbis.vorbis_synthesis_pcmout
        read = _vorbis.vorbis_synthesis_read
        streamRef, packetRef, packet = link.streamRef, self._packetRef, self._packet
        dspRef, blockRef = link.dspRef, link.blockRef
        while not (link.ended or self._full()):
            result = packetout(streamRef, packetRef)
            if result == 0:
                return
            if result < 0:
                continue  # a hole: a page was lost; decode on, as players do
            if synthesis(blockRef, packetRef) == 0:
                blockin(dspRef, blockRef)
                count = pcmout(dspRef, None)
                if count > 0:
                    if link.fill + count > link.capacity:
                        self._flush()
                    link.takeSamples(count)
                    read(dspRef, count)
                    self._staged += count * link.channels
            if packet.e_o_s:
                link.ended = True
                return

    def _flush(self):
        if self._link is not None and self._link.dsp is not None:
            chunk = self._link.flush()
            if chunk is not None:
                self._chunks.append(chunk)

    def _endLink(self):
        if self._link is not None:
            self._flush()
            self._link.release()
            self._link = None

    def _checkComplete(self):
        tail = self._unreadBytes(4)
        link = self._link
        if link is None:
            if not self._received:
                return
            if tail == b"OggS" and not self._pages:
                raise VorbisTruncatedError("the input ended inside its first Ogg page")
            what = "has no Vorbis bitstream" if self._otherStreams else "has no Ogg page"
            raise VorbisFormatError("not an Ogg Vorbis stream: the input %s" % what)
        if link.headers < 3:
            raise VorbisTruncatedError(
                "the input ended inside the Vorbis headers (%s header missing)" % _HEADER_NAMES[link.headers]
            )
        if tail == b"OggS" or not link.ended:
            raise VorbisTruncatedError(
                "the input ended before the end of the Vorbis bitstream (after %.3f s of audio)"
                % (link.frames / link.rate,)
            )

    def _unreadBytes(self, count):
        """Up to C{count} of the bytes after the last complete page."""
        sync = self._sync
        if sync.fill <= sync.returned:
            return b""
        start = ctypes.cast(sync.data, ctypes.c_void_p).value + sync.returned
        return ctypes.string_at(start, min(count, sync.fill - sync.returned))

    def _release(self):
        self._endLink()
        _ogg.ogg_sync_clear(self._syncRef)
        self._sync = None

    def __del__(self):
        if getattr(self, "_sync", None) is not None:
            self._release()
