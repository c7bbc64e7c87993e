"""
Message throughput of one Kamaelia program, unmodified, on kamaelia_twisted's
Axon layer and on Kamaelia's Axon: a source, C{--relays} relay components and
a counting sink in Kamaelia's Pipeline, shut down by the usual
C{producerFinished} passed along C{signal} to C{control}.

The relays are written as Kamaelia's components are, sleeping with
C{self.pause()} when they have nothing to do, in two styles: "dataReady"
(C{while self.dataReady("inbox"): self.send(self.recv("inbox"), "outbox")})
and "Inbox" (C{for msg in self.Inbox("inbox"): self.send(msg, "outbox")}).
The source sends C{--burst} messages per C{yield}. Timed from the source's
first step to the sink's last message; each run is a fresh process, and the
median of C{--repeat} runs is kept.

    python benchmarks/kamaelia_relay.py [--messages 100000] [--relays 3] [--burst 64] [--repeat 5]
                                        [--axon-python PYTHON]

Needs Kamaelia (C{pip install .[kamaelia]}) and, in this Python or the one
given with C{--axon-python}, Kamaelia's Axon (C{pip install kamaelia kamaelia-axon}).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def child(runtime, style, messages, relays, burst):
    """
    Run the relay once on C{runtime} ("layer" or "Axon") with relays of
    C{style} ("dataReady" or "Inbox"); print the seconds taken.
    """
    if runtime == "layer":
        sys.path.insert(0, ROOT)
        from kamaelia_twisted.axon import install

        install()
    from Axon.Component import component
    from Axon.Ipc import producerFinished, shutdownMicroprocess
    from Kamaelia.Chassis.Pipeline import Pipeline

    times = []

    class Source(component):
        def main(self):
            times.append(time.perf_counter())
            for _ in range(messages // burst):
                for _ in range(burst):
                    self.send("m", "outbox")
                yield 1
            for _ in range(messages % burst):
                self.send("m", "outbox")
            self.send(producerFinished(self), "signal")
            yield 1

    class Relay(component):
        def finished(self):
            while self.dataReady("control"):
                message = self.recv("control")
                if isinstance(message, (producerFinished, shutdownMicroprocess)):
                    self.send(message, "signal")
                    return True
            return False

        def main(self):
            while True:
                while self.dataReady("inbox"):
                    self.send(self.recv("inbox"), "outbox")
                if self.finished():
                    break
                if not self.anyReady():
                    self.pause()
                yield 1

    class InboxRelay(Relay):
        def main(self):
            while True:
                for message in self.Inbox("inbox"):
                    self.send(message, "outbox")
                if self.finished():
                    break
                if not self.anyReady():
                    self.pause()
                yield 1

    class Sink(component):
        def main(self):
            count = 0
            while True:
                while self.dataReady("inbox"):
                    self.recv("inbox")
                    count += 1
                if self.dataReady("control"):
                    break
                if not self.anyReady():
                    self.pause()
                yield 1
            times.append(time.perf_counter())
            assert count == messages, count

    relay = Relay if style == "dataReady" else InboxRelay
    Pipeline(Source(), *[relay() for _ in range(relays)] + [Sink()]).run()
    print(times[1] - times[0], flush=True)


def inSubprocess(runtime, style, args):
    python = args.axon_python if runtime == "Axon" else sys.executable
    out = subprocess.run(
        [python, __file__, "--child", runtime, style, "--messages", str(args.messages),
         "--relays", str(args.relays), "--burst", str(args.burst)],
        check=True, capture_output=True, text=True, timeout=600)
    return float(out.stdout.split()[-1])


LABELS = (("layer", "kamaelia_twisted.axon"), ("Axon", "Axon 1.14"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100000)
    parser.add_argument("--relays", type=int, default=3)
    parser.add_argument("--burst", type=int, default=64, help="messages the source sends per yield")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--axon-python", default=sys.executable,
                        help="the Python that has Kamaelia's Axon (default: this one)")
    parser.add_argument("--child", nargs=2, metavar=("RUNTIME", "STYLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.messages, args.relays, args.burst)
        return
    print("Kamaelia Pipeline: source, {} relays, sink; {:,} messages, {} per source yield; median of {} runs"
          .format(args.relays, args.messages, args.burst, args.repeat))
    print("{:<12}{:<24}{:>12}{:>13}".format("relay", "runtime", "msg/s", "ours / this"))
    for style in ("dataReady", "Inbox"):
        runs = {runtime: [] for runtime, _ in LABELS}
        for _ in range(args.repeat):
            for runtime in runs:
                runs[runtime].append(inSubprocess(runtime, style, args))
        ours = statistics.median(runs["layer"])
        title = style
        for runtime, label in LABELS:
            median = statistics.median(runs[runtime])
            print("{:<12}{:<24}{:>12,.0f}{:>12.2f}x".format(title, label, args.messages / median, median / ours))
            title = ""


if __name__ == "__main__":
    main()
