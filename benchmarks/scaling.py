"""
How the cost per component and per message grows with the graph: pipelines
of 10 to 100,000 relays, each in a fresh process.

Each relay is the canonical Kamaelia component that sleeps when it has
nothing to do (C{while dataReady: send(recv())}, then C{pause()}). For each
size the script measures the memory each relay costs once the pipeline is
running and idle (tracemalloc), and the time per message per relay (a hop)
to pass enough messages through for about a million hops. Flat columns mean
the per-unit cost does not grow with the graph.

    python benchmarks/scaling.py [--sizes 10,100,1000,10000,100000] [--hops 1000000]
"""

import argparse
import json
import subprocess
import sys
import time
import tracemalloc


def measure(size, hops):
    from twisted.internet import reactor

    from kamaelia_twisted import Component, Pipeline, Runtime, producerFinished

    messages = max(10, hops // size)

    class Source(Component):
        def main(self):
            while not self.dataReady("inbox"):  # wait for the go, so the idle graph can be measured
                self.pause()
                yield 1
            self.recv("inbox")
            for _ in range(messages):
                self.send("m")
                yield 1
            self.send(producerFinished(self), "signal")

    class Relay(Component):
        def main(self):
            while True:
                while self.dataReady("inbox"):
                    self.send(self.recv("inbox"))
                finished = self.checkShutdown()
                if finished:
                    self.send(finished, "signal")
                    return
                self.pause()
                yield 1

    class Sink(Component):
        def main(self):
            while not self.dataReady("control"):
                while self.dataReady("inbox"):
                    self.recv("inbox")
                self.pause()
                yield 1

    source = Source()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    graph = Pipeline(source, *[Relay() for _ in range(size)], Sink())
    result = {}

    def idle():
        if Runtime.of(reactor).scheduler.runnable:  # not every relay has started yet
            reactor.callLater(0.1, idle)
            return
        result["bytes"] = (tracemalloc.get_traced_memory()[0] - before) / size
        tracemalloc.stop()
        result["start"] = time.perf_counter()
        source.inboxes["inbox"].deliver("go")

    reactor.callLater(0.1, idle)
    graph.run()
    result["hop"] = (time.perf_counter() - result["start"]) / (messages * size)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,10000,100000")
    parser.add_argument("--hops", type=int, default=1000000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.hops)))
        return
    print("pipelines of N sleeping relays, about {:,} hops each (one message through one relay)".format(args.hops))
    print("{:>10} {:>16} {:>12}".format("relays", "bytes/relay", "us/hop"))
    for size in (int(n) for n in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--child", str(size), "--hops", str(args.hops)],
                             check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print("{:>10,} {:>16,.0f} {:>12.2f}".format(size, result["bytes"], result["hop"] * 1e6))


if __name__ == "__main__":
    main()
