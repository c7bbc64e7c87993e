"""
L{WavWriter}: write a stream of L{PCMChunk}s to a WAV file::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.codec.pcm import PCMChunk
    from kamaelia_twisted.util import DataSource

    second = PCMChunk(b"\\0\\0" * 8000, rate=8000, channels=1)
    writer = WavWriter("silence.wav")
    Pipeline(DataSource([second, second]), writer).run()
    print(writer.framesWritten)    # 16000
"""

import os
import wave

from ..codec.pcm import SAMPLE_WIDTH
from ..core.component import Component
from .pcmstream import PCMStreamError, checkChunk, chunkFormat


class WavWriter(Component):
    """
    Write each L{PCMChunk} from C{inbox} to a 16-bit WAV file, whose format
    (rate and channels) is the first chunk's; the header is completed when a
    shutdown message arrives, which is then passed on.

    Writes happen in the reactor thread: appending a chunk to a local file
    costs less than decoding it did. A file that cannot be written
    (L{OSError}), a message that is not a L{PCMChunk} or a change of format
    midway (L{PCMStreamError}) makes the component fail: the error is logged,
    sent on C{signal} as an L{errorOccurred}, and an enclosing graph stops.
    What was written before stays a valid WAV file; a stream with no audio
    leaves no file.

    @ivar framesWritten: frames written so far; also C{main}'s return value.
    """

    Inboxes = {"inbox": "PCMChunk messages", "control": "Shutdown messages: finish the file"}
    Outboxes = {"outbox": "Unused", "signal": "The shutdown message, passed on, or errorOccurred"}

    def __init__(self, filename, **attributes):
        """
        @param filename: the path of the WAV file to (over)write.
        """
        Component.__init__(self, **attributes)
        self.filename = filename
        self.framesWritten = 0

    def main(self):
        raw = open(self.filename, "wb")
        wav = streamFormat = None
        try:
            while True:
                while self.dataReady("inbox"):
                    chunk = self._check(self.recv("inbox"), streamFormat)
                    if wav is None:
                        wav, streamFormat = self._openWave(raw, chunk), chunkFormat(chunk)
                    wav.writeframesraw(chunk.data)
                    self.framesWritten += chunk.frames
                shutdown = self.checkShutdown()
                if shutdown is not None:
                    break
                self.pause()
                yield 1
        finally:
            self._close(raw, wav)
        self.send(shutdown, "signal")
        return self.framesWritten

    def _check(self, message, streamFormat):
        try:
            return checkChunk(message, streamFormat)
        except PCMStreamError as e:
            reason = "{}: {} after {} frames".format(self.filename, e, self.framesWritten)
            raise PCMStreamError(reason) from None

    def _openWave(self, raw, chunk):
        wav = wave.open(raw, "wb")
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(chunk.rate)
        wav.setnchannels(chunk.channels)
        return wav

    def _close(self, raw, wav):
        try:
            if wav is not None:
                wav.close()
        finally:
            raw.close()
            if wav is None:
                os.remove(self.filename)
