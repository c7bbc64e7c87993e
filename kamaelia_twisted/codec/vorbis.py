"""
L{VorbisDecode}: Ogg Vorbis bytes in, L{PCMChunk}s out, as in Kamaelia::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.audio import AOAudioPlaybackAdaptor
    from kamaelia_twisted.net import TCPClient

    Pipeline(TCPClient("127.0.0.1", 1500), VorbisDecode(), AOAudioPlaybackAdaptor()).run()

The bytes may arrive in pieces of any size; audio leaves as soon as the Ogg
page that completes it has arrived. The decoder waits while the component its
C{outbox} feeds is full (a player's bounded inbox) and its own C{inbox} is
bounded, so a network source upstream is paused instead of memory growing.
"""

from ..core.component import Component
from ..core.ipc import shutdownMicroprocess
from .oggvorbis import STAGE_SAMPLES, OggVorbisDecoder

_BYTES = (bytes, bytearray, memoryview)


class VorbisDecode(Component):
    """
    Decode the Ogg Vorbis stream arriving on C{inbox} into L{PCMChunk}s.

    On L{producerFinished} it decodes what is left, checks that the stream
    was complete and passes the message on; on L{shutdownMicroprocess} (or
    L{errorOccurred}) it stops at once and passes it on. A lone corrupt page
    is skipped. Input that is not Ogg Vorbis, a stream cut short, or a
    message that is not bytes makes the component fail with the reason
    (L{VorbisError} or C{TypeError}): it is logged, C{signal} gets an
    L{errorOccurred} saying it, L{whenDone} errbacks, and an enclosing
    L{Pipeline} stops its other components.

    @ivar bytesDecoded: bytes taken from C{inbox} and decoded so far.
    @ivar secondsDecoded: seconds of audio sent so far; also C{main}'s
        return value.
    @cvar feedSize: the most bytes decoded at a time: smaller messages are
        joined and larger ones cut, so that each L{PCMChunk} is short.
    @cvar maxSamples: the most samples (of all channels) decoded at a time,
        however few bytes hold them.
    """

    Inboxes = {"inbox": "Ogg Vorbis bytes, in pieces of any size",
               "control": "producerFinished: decode what is left, then end; shutdownMicroprocess: stop now"}
    Outboxes = {"outbox": "PCMChunk messages",
                "signal": "The shutdown message, passed on, or errorOccurred on bad input"}
    feedSize = 8192
    maxSamples = STAGE_SAMPLES

    def __init__(self, inboxSize=32, reactor=None, **attributes):
        """
        @param inboxSize: the capacity of C{inbox}: flow-aware senders wait
            while this many messages wait (L{None}: no advice).
        @param reactor: the reactor running the component.
        """
        Component.__init__(self, reactor, **attributes)
        self.inboxes["inbox"].setCapacity(inboxSize)
        self.bytesDecoded = 0
        self.secondsDecoded = 0.0
        self._ending = None
        self._rest = memoryview(b"")

    def main(self):
        decoder = OggVorbisDecoder(self.maxSamples)
        try:
            yield from self._decode(decoder)
        finally:
            self._release(decoder)
        self.send(self._ending, "signal")
        return self.secondsDecoded

    def _decode(self, decoder):
        """
        Decode until the stream ends or the component is asked to stop.
        """
        while not self._stopRequested():
            if decoder.pending or len(self.inboxes["inbox"]) or self._rest:
                chunks = decoder.feed(b"" if decoder.pending else self._nextPiece())
                yield from self._emit(chunks)
                if chunks and not decoder.pending:
                    decoder.feed(b"")  # raises a fault found after the audio sent
                yield 1  # let the reactor and the other components run between pieces
            elif self._ending is not None:
                yield from self._emit(decoder.finish())
                return
            else:
                self.pause()
                yield 1

    def _nextPiece(self):
        """
        Take up to L{feedSize} bytes from C{inbox}.
        """
        inbox, pieces, size = self.inboxes["inbox"], [], 0
        while size < self.feedSize and (self._rest or len(inbox)):
            if not self._rest:
                self._rest = self._bytesOf(self.recv("inbox"))
            piece, self._rest = self._rest[: self.feedSize - size], self._rest[self.feedSize - size :]
            pieces.append(piece)
            size += len(piece)
        self.bytesDecoded += size
        return b"".join(pieces)

    def _bytesOf(self, message):
        if not isinstance(message, _BYTES):
            raise TypeError("{} decodes bytes, not {} ({!r:.60})".format(
                self.name, type(message).__name__, message))
        return memoryview(message).cast("B")

    def _emit(self, chunks):
        """
        Send C{chunks}, waiting while the receiver is full, unless asked to stop.
        """
        outbox = self.outboxes["outbox"]
        for chunk in chunks:
            while outbox.isFull():
                if self._stopRequested():
                    return
                self.pauseUntilSpace()
                yield 1
            self.send(chunk, "outbox")
            self.secondsDecoded += chunk.seconds

    def _stopRequested(self):
        """
        Note the shutdown messages on C{control}; tell whether to stop now.
        """
        found = self.checkShutdown()
        if found is not None and (self._ending is None or isinstance(found, shutdownMicroprocess)):
            self._ending = found
        return isinstance(self._ending, shutdownMicroprocess)

    def _release(self, decoder):
        """
        Free the decoder's libraries' state, whatever happened.
        """
        self._rest = memoryview(b"")
        decoder.close()
