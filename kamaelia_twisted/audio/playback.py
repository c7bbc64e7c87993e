"""
L{AudioPlayback}: play a stream of L{PCMChunk}s through C{pygame.mixer},
paced by the sound device::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.codec.pcm import PCMChunk
    from kamaelia_twisted.util import DataSource

    beep = PCMChunk(b"\\x00\\x40\\x00\\xc0" * 11025, rate=22050, channels=1)   # 1 s
    Pipeline(DataSource([beep]), AudioPlayback()).run()

The pipeline ends once the last sample has played. Because the player's
inbox is bounded, a fast source (a file read in C{"block"} mode, a network
connection) is held back to the pace of the sound card.
"""

from collections import deque
from typing import NamedTuple

from twisted.internet.task import deferLater

from ..codec.pcm import SAMPLE_WIDTH
from ..core.component import Component
from ..core.ipc import shutdownMicroprocess
from .pcmstream import PCMStreamError, checkChunk, chunkFormat


class AudioDeviceError(Exception):
    """
    The sound device cannot be opened for a stream's format.
    """


class PlaybackProgress(NamedTuple):
    """
    A report on L{AudioPlayback}'s C{progress} outbox.

    @ivar played: seconds of audio played so far.
    @ivar buffered: seconds of audio taken in and not yet played (the one
        playing now counts in full).
    @ivar at: the reactor's time of the report.
    """

    played: float
    buffered: float
    at: float


class AudioPlayback(Component):
    """
    Play each L{PCMChunk} from C{inbox} at its own rate and channel count.

    Chunks are joined into segments of about C{segmentSeconds}, each played
    as a C{pygame.mixer.Sound} on one mixer channel: one segment plays while
    the next waits in the channel's queue, and a reactor timer tops the queue
    up every L{pollSeconds}. The mixer is (re)opened, 16-bit signed, at each
    change of rate or channels, after the previous audio has played out, and
    closed when the component ends: one C{AudioPlayback} plays at a time.

    Buffering: the component takes a chunk from its inbox while it holds less
    than C{bufferSeconds} of audio, counting what is queued and playing, so it
    holds at most C{bufferSeconds} plus one chunk; its inbox has a capacity
    of C{inboxSize} chunks, beyond which flow-aware senders wait (see
    L{kamaelia_twisted.core.boxes.Box.whenSpace}). Playback
    starts, and restarts after running dry, once C{prebufferSeconds} are held
    (or the stream has ended), so a live source's jitter is absorbed.

    On C{producerFinished} it plays what it holds and then passes the message
    on; on C{shutdownMicroprocess} (or L{errorOccurred}) it stops at once. A
    message that is not a L{PCMChunk} (L{PCMStreamError}) or a sound device
    that cannot be opened (L{AudioDeviceError}) makes it fail: the error is
    logged, sent on C{signal} as an L{errorOccurred}, and an enclosing graph
    stops. Once ended it no longer bounds its inbox, so no sender stays
    blocked on it.

    While C{progress} is linked, a L{PlaybackProgress} is sent on it whenever
    the seconds played or buffered change, last with the stream's duration.

    @ivar secondsPlayed: seconds of audio played; also C{main}'s return value.
    @cvar pollSeconds: how often the mixer channel is checked while playing.
    """

    Inboxes = {"inbox": "PCMChunk messages",
               "control": "producerFinished: play what is left then end; shutdownMicroprocess: stop now"}
    Outboxes = {"outbox": "Unused",
                "signal": "The shutdown message, passed on, or errorOccurred",
                "progress": "PlaybackProgress reports, sent only while linked"}
    pollSeconds = 0.05

    def __init__(self, bufferSeconds=2.0, segmentSeconds=0.25, inboxSize=8, prebufferSeconds=0.0,
                 reactor=None, **attributes):
        """
        @param bufferSeconds: the audio held, queued and playing, beyond which
            no more chunks are taken from C{inbox}.
        @param segmentSeconds: the audio handed to the mixer at a time; it
            must exceed L{pollSeconds} for gapless playback.
        @param inboxSize: the most chunks waiting in C{inbox}.
        @param prebufferSeconds: the audio to hold before playing starts, at
            most C{bufferSeconds}.
        @param reactor: the reactor whose timer polls the mixer.
        """
        Component.__init__(self, reactor, **attributes)
        if not 0 < segmentSeconds <= bufferSeconds:
            raise ValueError("need 0 < segmentSeconds <= bufferSeconds")
        if not 0 <= prebufferSeconds <= bufferSeconds:
            raise ValueError("need 0 <= prebufferSeconds <= bufferSeconds")
        self.bufferSeconds = bufferSeconds
        self.prebufferSeconds = prebufferSeconds
        self.segmentSeconds = segmentSeconds
        self.inboxes["inbox"].setCapacity(inboxSize)
        self.secondsPlayed = 0.0
        self._pending = deque()
        self._pendingSeconds = 0.0
        self._playing = deque()
        self._playingSeconds = 0.0
        self._mixer = self._channel = self._format = None
        self._reported = None

    def main(self):
        ending = None
        try:
            while True:
                ending = self._latestShutdown(ending)
                if isinstance(ending, shutdownMicroprocess):
                    break
                self._account()
                self._takeInput()
                self._feed(ending is not None)
                self._report()
                if self._playing:
                    yield deferLater(self.reactor, self.pollSeconds, lambda: None)
                elif ending is not None and not self._pending and not self.dataReady("inbox"):
                    break
                else:
                    self.pause()
                    yield 1
        finally:
            self._closeMixer()
            # Nothing will drain the inbox now: let blocked senders go on.
            self.inboxes["inbox"].removeBounds()
        self.send(ending, "signal")
        return self.secondsPlayed

    def _latestShutdown(self, ending):
        """
        Check C{control}: a stop request overrides an earlier producerFinished.
        """
        found = self.checkShutdown()
        if found is not None and (ending is None or isinstance(found, shutdownMicroprocess)):
            return found
        return ending

    def _bufferedSeconds(self):
        return self._pendingSeconds + self._playingSeconds

    def _account(self):
        """
        Count the segments that have finished playing.
        """
        current = self._currentSound() if self._playing else None
        while self._playing and self._playing[0][0] is not current:
            seconds = self._playing.popleft()[1]
            self.secondsPlayed += seconds
            self._playingSeconds = self._playingSeconds - seconds if self._playing else 0.0

    def _currentSound(self):
        """
        Return the segment the channel is playing or about to play, or
        L{None} once the last one has ended.

        pygame's mixer thread ends a sound before it starts the queued one,
        and if it ends the last sound as another is queued, it leaves that
        one queued behind a silent channel: it is started here.
        """
        channel = self._channel
        if channel.get_busy():
            return channel.get_sound()
        queued, sound = channel.get_queue(), channel.get_sound()
        if queued is not None and sound is None:
            channel.play(queued)
        return queued or sound

    def _takeInput(self):
        """
        Move chunks from C{inbox} into the buffer while it holds less than
        C{bufferSeconds}, cutting long ones into segments.
        """
        inbox = self.inboxes["inbox"]
        while len(inbox) and self._bufferedSeconds() < self.bufferSeconds:
            chunk = self._check(self.recv("inbox"))
            self._pending.extend(self._cut(chunk))
            self._pendingSeconds += chunk.seconds

    def _cut(self, chunk):
        step = max(1, round(self.segmentSeconds * chunk.rate)) * SAMPLE_WIDTH * chunk.channels
        if len(chunk.data) <= step:
            return [chunk]
        return [chunk._replace(data=chunk.data[i:i + step]) for i in range(0, len(chunk.data), step)]

    def _check(self, message):
        try:
            return checkChunk(message)
        except PCMStreamError as e:
            raise PCMStreamError("{} after {:.3f} s played".format(e, self.secondsPlayed)) from None

    def _feed(self, ending):
        """
        Queue segments on the mixer channel while it has room (one playing,
        one queued) and a segment is ready.

        @param ending: whether no more audio will arrive after C{inbox}'s.
        """
        if not (self._playing or ending or self._pendingSeconds >= self.prebufferSeconds):
            return
        while self._pending and len(self._playing) < 2 and self._channelHasRoom():
            streamFormat = chunkFormat(self._pending[0])
            if streamFormat != self._format:
                if self._playing:
                    return
                self._openMixer(streamFormat)
            chunks, seconds = self._segment(streamFormat)
            complete = seconds >= self.segmentSeconds or len(chunks) < len(self._pending)
            if not (complete or ending or self.dataReady("inbox")):
                return
            for _ in chunks:
                self._pending.popleft()
            self._pendingSeconds = self._pendingSeconds - seconds if self._pending else 0.0
            sound = self._mixer.Sound(buffer=b"".join(chunk.data for chunk in chunks))
            self._channel.queue(sound)
            self._playing.append((sound, seconds))
            self._playingSeconds += seconds

    def _channelHasRoom(self):
        """
        Whether a segment may be queued: queueing replaces one still queued.
        """
        return self._channel is None or self._channel.get_queue() is None

    def _segment(self, streamFormat):
        """
        Return the leading pending chunks of C{streamFormat}, up to
        C{segmentSeconds}, and their duration.
        """
        chunks, seconds = [], 0.0
        for chunk in self._pending:
            if seconds >= self.segmentSeconds or chunkFormat(chunk) != streamFormat:
                break
            chunks.append(chunk)
            seconds += chunk.seconds
        return chunks, seconds

    def _openMixer(self, streamFormat):
        import pygame
        from pygame import mixer

        self._closeMixer()
        self._format = streamFormat
        try:
            mixer.init(frequency=streamFormat[0], size=-16, channels=streamFormat[1], allowedchanges=0)
        except pygame.error as e:
            raise AudioDeviceError("cannot play {} Hz {} ch audio: {}".format(*streamFormat, e)) from None
        self._mixer, self._channel = mixer, mixer.Channel(0)

    def _closeMixer(self):
        if self._mixer is not None:
            self._channel.stop()
            self._mixer.quit()
            self._mixer = self._channel = None
        self._playing.clear()
        self._playingSeconds = 0.0

    def _report(self):
        progress = self.outboxes["progress"]
        state = (self.secondsPlayed, self._bufferedSeconds())
        if progress.target is None or progress.isFull() or state == self._reported:
            return
        self._reported = state
        self.send(PlaybackProgress(*state, self.reactor.seconds()), "progress")


AOAudioPlaybackAdaptor = AudioPlayback
