"""
Ogg pages: split a byte stream into pages, tell a Vorbis stream's header
pages from its audio, and rewrite a page's serial number (with its CRC).

    >>> import os, kamaelia_twisted.codec as codec
    >>> path = os.path.join(os.path.dirname(codec.__file__), "..", "media", "sample.ogg")
    >>> splitter, headers = OggPageSplitter(), HeaderPages()
    >>> with open(path, "rb") as f:
    ...     pages = splitter.feed(f.read(20000))
    >>> [headers.add(page) for page in pages[:4]]
    [True, True, False, False]
    >>> len(headers.pages), headers.complete, serialOf(withSerial(pages[0], 7))
    (2, True, 7)

(The sample's comment and setup headers share its second page.) The CRC is
libogg's, so a page rewritten here is one any Ogg reader accepts.
"""

import ctypes
import struct

from kamaelia_twisted.codec import xiphlibs

from ..core.component import Component

CAPTURE = b"OggS"
HEADER_SIZE = 27
# The largest page: a 27-byte header, 255 lacing values of 255 bytes each.
MAX_PAGE = HEADER_SIZE + 255 + 255 * 255
# The packets at the start of a Vorbis stream that are headers.
VORBIS_HEADERS = 3
_BEGINNING, _END = 2, 4
_SERIAL = struct.Struct("<I")


def pageSize(data, start=0):
    """
    The size of the page at C{data[start:]}, or L{None} if its header is not all there.
    """
    if len(data) < start + HEADER_SIZE:
        return None
    segments = data[start + 26]
    lacing = start + HEADER_SIZE
    if len(data) < lacing + segments:
        return None
    return HEADER_SIZE + segments + sum(data[lacing : lacing + segments])


def pageChecksum(page):
    """
    The CRC libogg computes for C{page} (its own CRC field ignored).
    """
    segments = page[26]
    headerLength = HEADER_SIZE + segments
    header = (ctypes.c_ubyte * headerLength).from_buffer_copy(page, 0)
    body = (ctypes.c_ubyte * max(len(page) - headerLength, 1)).from_buffer_copy(
        page[headerLength:] or b"\0")
    og = xiphlibs.ogg_page(ctypes.cast(header, ctypes.POINTER(ctypes.c_ubyte)), headerLength,
                           ctypes.cast(body, ctypes.POINTER(ctypes.c_ubyte)), len(page) - headerLength)
    xiphlibs.libogg.ogg_page_checksum_set(ctypes.byref(og))
    return _SERIAL.unpack_from(bytes(header[22:26]))[0]


def hasValidChecksum(page):
    """Whether C{page}'s CRC field matches its bytes."""
    return _SERIAL.unpack_from(page, 22)[0] == pageChecksum(page)


def withSerial(page, serial):
    """
    C{page} with serial number C{serial} and its CRC recomputed.
    """
    page = bytearray(page)
    _SERIAL.pack_into(page, 14, serial & 0xFFFFFFFF)
    _SERIAL.pack_into(page, 22, pageChecksum(page))
    return bytes(page)


def serialOf(page):
    """The serial number of C{page}'s logical stream."""
    return _SERIAL.unpack_from(page, 14)[0]


def isBeginning(page):
    """Whether C{page} begins a logical stream (its BOS flag)."""
    return bool(page[5] & _BEGINNING)


def isEnd(page):
    """Whether C{page} ends a logical stream (its EOS flag)."""
    return bool(page[5] & _END)


def packetsEnding(page):
    """How many packets end in C{page} (its lacing values under 255)."""
    segments = page[26]
    return sum(1 for value in page[HEADER_SIZE : HEADER_SIZE + segments] if value < 255)


class OggPageSplitter:
    """
    Cut a byte stream, fed in pieces of any size, into whole Ogg pages.

    Bytes that are not part of a page with a good CRC (junk, a corrupt page)
    are skipped, as libogg skips them: the splitter looks for the next
    capture pattern. At most one page and a piece are held.

    @ivar skipped: how many bytes were skipped.
    """

    def __init__(self):
        self._buffer = bytearray()
        self.skipped = 0

    def feed(self, data):
        """
        @param data: the next bytes of the stream.
        @return: the list of pages (C{bytes}) that C{data} completed.
        """
        buffer = self._buffer
        buffer += data
        pages, start = [], 0
        while True:
            found = buffer.find(CAPTURE, start)
            if found < 0:
                keep = max(start, len(buffer) - len(CAPTURE) + 1)
                self.skipped += keep - start
                start = keep
                break
            self.skipped += found - start
            start = found
            size = pageSize(buffer, start)
            if size is None or len(buffer) < start + size:
                break
            page = bytes(buffer[start : start + size])
            if buffer[start + 4] == 0 and hasValidChecksum(page):
                pages.append(page)
                start += size
            else:
                start += 1
                self.skipped += 1
        del buffer[:start]
        return pages


class HeaderPages:
    """
    Keep the header pages of the current Vorbis stream as its pages pass:
    a beginning-of-stream page starts a new list, which ends with the page
    where the third packet ends.

    @ivar pages: the header pages of the current stream, in order.
    @ivar complete: whether all of them have passed.
    @ivar streams: how many streams have begun.
    """

    def __init__(self, headers=VORBIS_HEADERS):
        """
        @param headers: how many packets at a stream's start are headers.
        """
        self.headers = headers
        self.pages = []
        self.complete = False
        self.streams = 0
        self._packets = 0

    def add(self, page):
        """
        Note that C{page} passes.

        @return: whether it is a header page.
        """
        if isBeginning(page):
            self.pages, self._packets, self.complete = [], 0, False
            self.streams += 1
        elif self.complete or not self.streams:
            return False
        self.pages.append(page)
        self._packets += packetsEnding(page)
        self.complete = self._packets >= self.headers
        return True


class PageFilter(Component):
    """
    The base of components that take each message of their C{inbox} in
    turn (L{handle}) and, on a shutdown message on C{control}, pass it on
    and end once the messages before it have been handled.
    """

    def handle(self, message):
        """
        Take one message from C{inbox}; override it.
        """
        raise NotImplementedError

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.handle(self.recv("inbox"))
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


class OggPager(PageFilter):
    """
    Bytes of an Ogg stream in, one page (C{bytes}) per message out.

    A chained stream that would begin with the serial number of the stream
    before it (a file played again) gets that number plus one in all its
    pages, so each link of the chain has its own, as Ogg requires.
    L{producerFinished} on C{control} sends what is complete and passes it
    on; L{shutdownMicroprocess} stops at once and passes it on.

    @ivar pagesSent: how many pages have been sent.
    """

    Inboxes = {"inbox": "Bytes of an Ogg stream, in pieces of any size", "control": "Shutdown messages"}
    Outboxes = {"outbox": "Ogg pages, one per message", "signal": "The shutdown message, passed on"}

    def __init__(self, **attributes):
        PageFilter.__init__(self, **attributes)
        self.pagesSent = 0
        self._splitter = OggPageSplitter()
        self._serial = None

    def handle(self, data):
        for page in self._splitter.feed(data):
            self.send(self._renumbered(page), "outbox")
            self.pagesSent += 1

    def _renumbered(self, page):
        if isBeginning(page):
            serial = serialOf(page)
            self._serial = serial if serial != self._serial else (serial + 1) & 0xFFFFFFFF
        if self._serial is not None and self._serial != serialOf(page):
            return withSerial(page, self._serial)
        return page
