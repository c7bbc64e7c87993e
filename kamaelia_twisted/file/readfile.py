"""
L{ReadFileAdaptor}: send a file's lines or blocks as fast as the receiver
takes them (or one per C{steptime}), or its bytes paced like a live stream::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import Collect

    sink = Collect()
    Pipeline(ReadFileAdaptor("/etc/hostname", readmode="block"), sink).run()
    print(b"".join(sink.collected))

In C{"bitrate"} mode the file arrives at C{bitrate} bits per second in
C{chunkrate} chunks per second, timed by the reactor (so a
L{twisted.internet.task.Clock} drives it in tests). In C{"block"} mode it
arrives in C{readsize} blocks, and in C{"line"} mode a line at a time: as
fast as a bounded receiver makes room, or one every C{steptime} seconds.
"""

from functools import partial

from twisted.internet.task import deferLater

from ..core.component import Component
from ..core.ipc import errorOccurred, producerFinished


class ReadFileAdaptor(Component):
    """
    Read a file and send it as C{bytes} lines, blocks or chunks, then
    L{producerFinished}.

    The file is read in the reactor thread: reads of a chunk or a block from a
    local file take microseconds, far less than a thread hand-off would, and
    keep the pacing on the reactor's clock. A file that cannot be opened or
    read ends the component with an L{errorOccurred} on C{signal} (and a log
    line), not an exception. A shutdown message on C{control} stops it early.

    @ivar bytesSent: how many bytes have been sent so far.
    """

    Inboxes = {"inbox": "Unused", "control": "Shutdown messages: stop reading"}
    Outboxes = {"outbox": "The file's contents, as bytes lines, blocks or chunks",
                "signal": "producerFinished at the end of the file, errorOccurred if it cannot be read"}

    def __init__(self, filename, readmode="line", readsize=4096, steptime=0.0, bitrate=65536, chunkrate=24,
                 reactor=None, **attributes):
        """
        @param filename: the path of the file to read.
        @param readmode: C{"line"} (a line at a time, its end of line
            included: the default, as in Kamaelia), C{"block"} (C{readsize}
            bytes at a time) or C{"bitrate"} (paced by the reactor clock).
        @param readsize: bytes per chunk in C{"block"} mode.
        @param steptime: in C{"block"} and C{"line"} modes, seconds between
            one block or line and the next (block or line C{n} is sent
            C{n * steptime} seconds after the start); 0 sends them as fast as
            the receiver takes them.
        @param bitrate: bits per second in C{"bitrate"} mode.
        @param chunkrate: chunks per second in C{"bitrate"} mode; chunk C{n}
            is sent C{n / chunkrate} seconds after the start, so that by then
            C{n * bitrate / (8 * chunkrate)} bytes (rounded down) have gone.
        @param reactor: the reactor whose clock paces the reads.
        @raise ValueError: for an unknown mode, a negative C{steptime}, or a
            size or rate that is not positive or gives chunks under one byte.
        """
        Component.__init__(self, reactor, **attributes)
        if readmode not in self._modes:
            raise ValueError("readmode must be one of {}, not {!r}".format(
                ", ".join(map(repr, sorted(self._modes))), readmode))
        if readsize <= 0 or bitrate <= 0 or chunkrate <= 0:
            raise ValueError("readsize, bitrate and chunkrate must be positive")
        if steptime < 0:
            raise ValueError("steptime must not be negative")
        if bitrate < 8 * chunkrate:
            raise ValueError("bitrate {} at chunkrate {} gives chunks under one byte".format(
                bitrate, chunkrate))
        self.filename = filename
        self.readmode = readmode
        self.readsize = readsize
        self.steptime = steptime
        self.bitrate = bitrate
        self.chunkrate = chunkrate
        self.bytesSent = 0

    def main(self):
        try:
            with open(self.filename, "rb") as f:
                ending = yield from self._modes[self.readmode](self, f)
        except OSError as e:
            ending = self._readError(e)
        self.send(ending, "signal")
        return self.bytesSent

    def _readError(self, error):
        reason = "cannot read {!r}: {}".format(self.filename, error.strerror or error)
        self.log.error("{name}: {reason}", name=self.name, reason=reason)
        return errorOccurred(reason, caller=self)

    def _readUnits(self, f):
        """
        Send C{readsize} blocks, or lines in C{"line"} mode, waiting for room
        downstream and, if C{steptime} is set, for each one's time.
        """
        read = f.readline if self.readmode == "line" else partial(f.read, self.readsize)
        clock = self.reactor
        start = clock.seconds()
        sent = 0
        while True:
            shutdown = yield from self._roomOrShutdown()
            if shutdown is not None:
                return shutdown
            data = read()
            if not data:
                return producerFinished(self)
            self._sendData(data)
            sent += 1
            if self.steptime:
                yield deferLater(clock, max(0, start + sent * self.steptime - clock.seconds()))
            else:
                yield 1

    def _readPaced(self, f):
        """
        Send chunk C{n} at C{n / chunkrate} seconds after the start.
        """
        clock = self.reactor
        start = clock.seconds()
        sent = 0
        while True:
            # The tolerance absorbs float error in the timer's due time.
            due = int((clock.seconds() - start) * self.chunkrate + 1e-6)
            while sent < due:
                shutdown = yield from self._roomOrShutdown()
                if shutdown is not None:
                    return shutdown
                size = self._bytesBy(sent + 1) - self._bytesBy(sent)
                data = f.read(size)
                if data:
                    self._sendData(data)
                if len(data) < size:
                    return producerFinished(self)
                sent += 1
            shutdown = self.checkShutdown()
            if shutdown is not None:
                return shutdown
            yield deferLater(clock, max(0, start + (sent + 1) / self.chunkrate - clock.seconds()))

    _modes = {"block": _readUnits, "line": _readUnits, "bitrate": _readPaced}

    def _bytesBy(self, chunks):
        return int(chunks * self.bitrate // (8 * self.chunkrate))

    def _sendData(self, data):
        self.send(data, "outbox")
        self.bytesSent += len(data)

    def _roomOrShutdown(self):
        """
        Wait until the receiver has room, checking C{control} meanwhile.

        @return: a shutdown message found on C{control}, or L{None} once
            there is room.
        """
        outbox = self.outboxes["outbox"]
        while True:
            shutdown = self.checkShutdown()
            if shutdown is not None or not outbox.isFull():
                return shutdown
            self.pauseUntilSpace()
            yield 1
