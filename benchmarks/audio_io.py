"""
File reading and audio playback against their peers, in one run.

Reading: a 64 MiB file in 16 KiB blocks through C{ReadFileAdaptor(readmode=
"block")} into a counting component with a bounded inbox (8 blocks), through
Twisted's C{FileSender} into a pull consumer that asks for the next block on
the next reactor turn, and through a bare C{f.read} loop (the ceiling). Best
of C{--repeat} runs.

Playback: CPU time used while playing C{--seconds} of 44.1 kHz stereo PCM on
SDL's C{dummy} driver (real-time pacing, no sound card), through
C{AudioPlayback} on the reactor and through a bare pygame loop that queues the
same 0.25 s segments on a mixer channel and polls it with C{time.sleep(0.05)}.
Each in its own process; CPU and wall time count from the start of the work
(modules already imported) to its end. SDL 2.28's dummy driver sleeps whole
milliseconds per buffer, so it plays a few percent faster than real time.

    python benchmarks/audio_io.py [--megabytes 64] [--repeat 3] [--seconds 5]
"""

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

BLOCK = 16384
RATE, CHANNELS = 44100, 2
SEGMENT = 0.25


def cpuSeconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def readWithAdaptor(path):
    from twisted.internet import reactor

    from kamaelia_twisted import Component, Pipeline
    from kamaelia_twisted.file import ReadFileAdaptor

    class Count(Component):
        def main(self):
            total = 0
            while True:
                while self.dataReady("inbox"):
                    total += len(self.recv("inbox"))
                if self.checkShutdown():
                    return total
                self.pause()
                yield 1

    sink = Count()
    sink.inboxes["inbox"].setSize(8)
    graph = Pipeline(ReadFileAdaptor(path, readmode="block", readsize=BLOCK), sink)
    return _timeOnReactor(reactor, lambda: graph.activate().whenDone().addCallback(lambda _: sink.whenDone()))


def readWithFileSender(path):
    from twisted.internet import reactor
    from twisted.protocols.basic import FileSender

    class PullConsumer:
        total = 0

        def registerProducer(self, producer, streaming):
            self.producer = producer
            reactor.callLater(0, producer.resumeProducing)

        def unregisterProducer(self):
            pass

        def write(self, data):
            self.total += len(data)
            reactor.callLater(0, self.producer.resumeProducing)

    def start():
        sender, consumer = FileSender(), PullConsumer()
        sender.CHUNK_SIZE = BLOCK
        f = open(path, "rb")
        return sender.beginFileTransfer(f, consumer).addCallback(lambda _: (f.close(), consumer.total)[1])

    return _timeOnReactor(reactor, start)


def _timeOnReactor(reactor, start):
    outcome = {}

    def go():
        began, cpu = time.perf_counter(), cpuSeconds()
        d = start()

        def done(total):
            outcome.update(seconds=time.perf_counter() - began, cpu=cpuSeconds() - cpu, total=total)
            reactor.stop()

        d.addCallback(done)

    reactor.callWhenRunning(go)
    reactor.run()
    return outcome


def readPlain(path):
    began, cpu = time.perf_counter(), cpuSeconds()
    total = 0
    with open(path, "rb") as f:
        while True:
            data = f.read(BLOCK)
            if not data:
                break
            total += len(data)
    return {"seconds": time.perf_counter() - began, "cpu": cpuSeconds() - cpu, "total": total}


def silence(seconds):
    return b"\0\0" * CHANNELS * int(RATE * seconds)


def playWithAdaptor(seconds):
    from twisted.internet import reactor

    importlib.import_module("pygame")  # imported before the timing starts, as in playWithPygame

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.audio import AudioPlayback
    from kamaelia_twisted.codec.pcm import PCMChunk
    from kamaelia_twisted.util import DataSource

    chunk = PCMChunk(silence(0.05), RATE, CHANNELS)
    graph = Pipeline(DataSource([chunk] * int(seconds / 0.05)), AudioPlayback())
    return _timeOnReactor(reactor, lambda: graph.activate().whenDone())


def playWithPygame(seconds):
    from pygame import mixer

    began, cpu = time.perf_counter(), cpuSeconds()
    mixer.init(frequency=RATE, size=-16, channels=CHANNELS, allowedchanges=0)
    channel = mixer.Channel(0)
    segments = [mixer.Sound(buffer=silence(SEGMENT)) for _ in range(int(seconds / SEGMENT))]
    while segments or channel.get_busy():
        while segments and channel.get_queue() is None:
            channel.queue(segments.pop(0))
        time.sleep(0.05)
    mixer.quit()
    return {"seconds": time.perf_counter() - began, "cpu": cpuSeconds() - cpu}


CHILDREN = {"read-adaptor": readWithAdaptor, "read-filesender": readWithFileSender,
            "read-plain": readPlain, "play-adaptor": playWithAdaptor, "play-pygame": playWithPygame}


def child(name, argument):
    print(json.dumps(CHILDREN[name](argument)))


def runChild(name, argument):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
               PYTHONPATH=os.pathsep.join([root] + sys.path))
    out = subprocess.run([sys.executable, __file__, "--child", name, str(argument)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, argument = args.child
        return child(name, argument if name.startswith("read") else float(argument))

    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(os.urandom(args.megabytes << 20))
        f.flush()
        reads = {name: min((runChild(name, f.name) for _ in range(args.repeat)), key=lambda r: r["seconds"])
                 for name in ("read-adaptor", "read-filesender", "read-plain")}
    assert {r["total"] for r in reads.values()} == {args.megabytes << 20}
    print("reading {} MiB in {} KiB blocks, best of {}".format(args.megabytes, BLOCK >> 10, args.repeat))
    print("{:<36}{:>10}{:>14}".format("reader", "MiB/s", "this / ours"))
    ours = reads["read-adaptor"]["seconds"]
    for name, label in (("read-adaptor", "ReadFileAdaptor(block), bounded sink"),
                        ("read-filesender", "FileSender, pull consumer"),
                        ("read-plain", "f.read loop, no reactor")):
        seconds = reads[name]["seconds"]
        print("{:<36}{:>10,.0f}{:>13.2f}x".format(label, args.megabytes / seconds, ours / seconds))

    plays = {name: runChild(name, args.seconds) for name in ("play-adaptor", "play-pygame")}
    print()
    print("playing {:g} s of {} Hz stereo on SDL's dummy driver".format(args.seconds, RATE))
    print("{:<36}{:>10}{:>12}{:>14}".format("player", "wall s", "CPU ms/s", "this / ours"))
    ours = plays["play-adaptor"]["cpu"]
    for name, label in (("play-adaptor", "AudioPlayback on the reactor"),
                        ("play-pygame", "pygame loop, sleep(0.05) polling")):
        play = plays[name]
        print("{:<36}{:>10.2f}{:>12.1f}{:>13.2f}x".format(
            label, play["seconds"], 1000 * play["cpu"] / args.seconds, play["cpu"] / ours))


if __name__ == "__main__":
    main()
