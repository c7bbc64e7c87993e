"""
Stream an Ogg Vorbis file over loopback TCP and play it, in one reactor:

    SimpleServer + ReadFileAdaptor (paced at the file's bitrate)
        -> TCP -> TCPClient -> VorbisDecode -> AudioPlayback (or WavWriter)

    python examples/stream_demo.py                  # the bundled 14 s sample
    python examples/stream_demo.py --speed 8 --wav out.wav

A status line shows the seconds of audio received, decoded and played and the
player's buffer. Without a sound device, or with C{--wav}, the audio is
written to a WAV file instead. The program ends when the stream has played,
printing a summary; it exits with 1 if the stream failed.
"""

import argparse
import os
import resource
import sys
import tempfile

from twisted.python.failure import Failure

from kamaelia_twisted import Component, shutdownMicroprocess
from kamaelia_twisted.apps.vorbis import pcmSink, vorbisClient, vorbisServer
from kamaelia_twisted.audio import soundDeviceFound
from kamaelia_twisted.codec import VorbisError, vorbisFileInfo
from kamaelia_twisted.media import SAMPLE
from kamaelia_twisted.program import runProgram

DEFAULT_WAV = os.path.join(tempfile.gettempdir(), "kamaelia_stream_demo.wav")


class StatusLine(Component):
    """
    Print C{describe(playback)} every C{interval} seconds until shutdown,
    over the previous line on a terminal; C{playback} is the latest
    L{kamaelia_twisted.audio.PlaybackProgress} received, or L{None}.
    """

    Inboxes = {"inbox": "Unused", "control": "Shutdown messages: print a last line and end",
               "progress": "PlaybackProgress reports", "_tick": "Internal: the timer"}

    def __init__(self, describe, interval=0.5, stream=None, **attributes):
        Component.__init__(self, **attributes)
        self.describe, self.interval = describe, interval
        self.stream = stream or sys.stdout
        self.playback = None

    def main(self):
        timer = None
        while True:
            while self.dataReady("progress"):
                self.playback = self.recv("progress")
            self.inboxes["_tick"].takeAll()
            shutdown = self.checkShutdown()
            if shutdown is not None:
                if timer is not None and timer.active():
                    timer.cancel()
                self._show("\n")
                self.send(shutdown, "signal")
                return
            if timer is None or not timer.active():
                self._show("" if self.stream.isatty() else "\n")
                timer = self.reactor.callLater(self.interval, self.inboxes["_tick"].deliver, None)
            self.pause()
            yield 1

    def _show(self, end):
        line = self.describe(self.playback)
        self.stream.write(("\r" + line.ljust(78) if self.stream.isatty() else line) + end)
        self.stream.flush()


class StreamDemo(Component):
    """
    Serve C{filename} on a free loopback port, receive, decode and play (or
    write) it, and end once it has all played.

    C{main} returns the summary line; it raises what made the stream fail.
    """

    failsWithChildren = True  # a child's failure is the demo's: logged (or raised) once, by it

    def __init__(self, filename=SAMPLE, speed=1.0, wav=None, interval=0.5, stream=None, **attributes):
        Component.__init__(self, **attributes)
        self.filename, self.speed, self.wav = filename, speed, wav
        self.interval, self.stream = interval, stream
        self.info = vorbisFileInfo(filename)

    def main(self):
        server = vorbisServer(self.filename, endpoint="tcp:0:interface=127.0.0.1", speed=self.speed,
                              reactor=self.reactor)
        self.addChildren(server)
        port = (yield server.whenListening()).getHost().port
        sink = pcmSink(self.wav, reactor=self.reactor)
        client = vorbisClient("127.0.0.1", port, sink=sink, reactor=self.reactor)
        decoder = client.childComponents()[1]
        status = StatusLine(lambda playback: self.describe(decoder, sink, playback), self.interval,
                            self.stream, reactor=self.reactor)
        if "progress" in sink.outboxes:
            self.link((sink, "progress"), (status, "progress"))
        self.addChildren(client, status)
        start = self.reactor.seconds()
        streamed = yield client.whenDone().addErrback(lambda failure: failure)
        for component in (status, server):
            component.inboxes["control"].deliver(shutdownMicroprocess(self))
        yield self.whenChildrenDone()
        if isinstance(streamed, Failure):
            streamed.raiseException()
        return self.summary(decoder, self.reactor.seconds() - start, port)

    def describe(self, decoder, sink, playback):
        """
        The status line: seconds received, decoded, played (or written) and buffered.
        """
        received = decoder.bytesDecoded * self.info.seconds / self.info.size
        if playback is None:
            done = getattr(sink, "framesWritten", 0) / self.info.rate
            buffered = max(0.0, decoder.secondsDecoded - done)
        else:
            done, buffered = playback.played, playback.buffered
        return "received {:5.1f} s | decoded {:5.1f} s | {} {:5.1f} s | buffer {:4.1f} s".format(
            received, decoder.secondsDecoded, "written" if self.wav else "played ", done, buffered)

    def summary(self, decoder, elapsed, port):
        """
        The last words: what was streamed, how fast, and where it went.
        """
        where = "written to {}".format(self.wav) if self.wav else "played on the sound device"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return ("streamed {:.1f} s of audio ({:,} bytes) over 127.0.0.1:{} in {:.1f} s at {:g}x, {}; "
                "peak memory {:.0f} MB".format(decoder.secondsDecoded, decoder.bytesDecoded, port, elapsed,
                                               self.speed, where, peak))


def parseArguments(argv=None):
    parser = argparse.ArgumentParser(description="Stream an Ogg Vorbis file over loopback TCP and play it.")
    parser.add_argument("--file", default=SAMPLE, help="the Ogg Vorbis file (default: the bundled sample)")
    parser.add_argument("--speed", type=float, default=1.0, help="stream N times faster than the bitrate")
    parser.add_argument("--wav", help="write the audio to this WAV file instead of playing it")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between status lines")
    options = parser.parse_args(argv)
    if options.speed <= 0:
        parser.error("--speed must be positive")
    return options


def main(argv=None):
    options = parseArguments(argv)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if options.wav is None and not soundDeviceFound():
        options.wav = DEFAULT_WAV
        print("no sound device: writing the audio to {}".format(options.wav))
    try:
        demo = StreamDemo(options.file, options.speed, options.wav, options.interval)
    except (OSError, VorbisError) as error:
        sys.exit("stream_demo: {}".format(error))
    print(runProgram(demo, "stream_demo"))


if __name__ == "__main__":
    main()
