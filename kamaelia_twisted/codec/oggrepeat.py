"""
Ogg pages for receivers that join at any time and may lose pages (one page
per datagram, as a multicast radio sends them): L{HeaderRepeat} sends the
current stream's header pages again every few seconds, and L{PageJoiner}
turns whatever arrives into a stream a decoder takes::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.codec import VorbisDecode

    Pipeline(pagesFromTheNetwork, PageJoiner(), VorbisDecode(), player)

A joiner passes nothing until it has a stream's complete header set, then
that stream's audio pages; it drops the repeated header pages of the stream
it is passing, and passes a new stream's headers (a chained stream) when they
are complete.
"""

import struct

from .oggpages import CAPTURE, HeaderPages, PageFilter, hasValidChecksum, isBeginning, pageSize, serialOf

_SEQUENCE = struct.Struct("<I")


def sequenceOf(page):
    """The page sequence number of C{page} in its logical stream."""
    return _SEQUENCE.unpack_from(page, 18)[0]


def isWholePage(data):
    """Whether C{data} is exactly one Ogg page, with a good CRC."""
    return (len(data) >= 27 and data[:4] == CAPTURE and data[4] == 0 and pageSize(data) == len(data)
            and hasValidChecksum(data))


class HeaderRepeat(PageFilter):
    """
    Pass Ogg pages on, with the current stream's header pages sent again
    before the first audio page after each C{interval} seconds.

    Shutdown messages on C{control} are passed on once the pages before
    them have been.
    """

    Inboxes = {"inbox": "Ogg pages, one per message", "control": "Shutdown messages"}
    Outboxes = {"outbox": "The pages, the header pages repeated", "signal": "The shutdown message, passed on"}

    def __init__(self, interval=2.0, **attributes):
        """
        @param interval: the seconds between repetitions of the header pages.
        """
        PageFilter.__init__(self, **attributes)
        self.interval = interval
        self.repeats = 0
        self._headers = HeaderPages()
        self._due = None

    def handle(self, page):
        headers = self._headers
        now = self.reactor.seconds()
        if headers.add(page):
            self._due = now + self.interval
        elif headers.complete and self._due is not None and now >= self._due:
            for header in headers.pages:
                self.send(header, "outbox")
            self.repeats += 1
            self._due = now + self.interval
        self.send(page, "outbox")


class PageJoiner(PageFilter):
    """
    Datagrams in, each meant to be one Ogg page; a stream a decoder can
    join out: the header pages of a stream, once all of them have arrived,
    then its audio pages.

    Datagrams that are not one whole page with a good CRC (junk, a page cut
    short) are dropped and counted, as are audio pages before a complete
    header set, header pages of the stream already being passed, and pages
    of other streams. A header set with a page missing is started again at
    its next beginning-of-stream page.

    @ivar dropped: how many datagrams were not whole pages.
    @ivar pagesSkipped: how many whole pages were not passed on.
    @ivar streams: how many streams' headers have been passed on.
    """

    Inboxes = {"inbox": "Datagrams (bytes), each one Ogg page", "control": "Shutdown messages"}
    Outboxes = {"outbox": "Ogg pages a decoder can take", "signal": "The shutdown message, passed on"}

    def __init__(self, **attributes):
        PageFilter.__init__(self, **attributes)
        self.dropped = self.pagesSkipped = self.streams = 0
        self._serial = None  # the stream being passed on
        self._headerCount = 0  # how many header pages it has
        self._waiting = None  # the HeaderPages being gathered

    def handle(self, data):
        if not isinstance(data, (bytes, bytearray)) or not isWholePage(data):
            self.dropped += 1
            return
        page = bytes(data)
        serial, sequence = serialOf(page), sequenceOf(page)
        if serial == self._serial:
            if sequence < self._headerCount:
                self.pagesSkipped += 1  # a repeated header page
            else:
                self.send(page, "outbox")
        elif not self._gather(page, serial, sequence):
            self.pagesSkipped += 1

    def _gather(self, page, serial, sequence):
        """
        Add C{page} to the header set being gathered, passing the set on
        once complete; return whether it belonged to it.
        """
        if isBeginning(page):
            self._waiting = HeaderPages()
        waiting = self._waiting
        if waiting is None or serialOf(waiting.pages[0] if waiting.pages else page) != serial:
            return False
        if sequence != len(waiting.pages) or not waiting.add(page):
            return False
        if waiting.complete:
            self._serial, self._headerCount = serial, len(waiting.pages)
            for header in waiting.pages:
                self.send(header, "outbox")
            self.streams += 1
            self._waiting = None
        return True
