"""
What inspection costs: the 5-stage relay and the idle components of
pipeline.py, run plain and while inspected (C{introspect.watch}: messages
sent counted, parentless components kept in a weak set), each run in a fresh
process, plain and inspected runs alternating; medians of several runs.
Then the time one C{/events} sample takes on a graph of a tenth as many
components.

    python benchmarks/inspection.py [--messages 200000] [--idle 100000] [--runs 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import pipeline


def relay(inspected, total):
    from twisted.internet import reactor

    from kamaelia_twisted import Component, Pipeline
    from kamaelia_twisted.introspect import watch

    graph = Pipeline(*pipeline.chain(pipeline.relayClasses(Component), total, lambda a, b: None), reactor=reactor)
    if inspected:
        watch(reactor)
    start = time.perf_counter()
    graph.run()
    return total / (time.perf_counter() - start)


def idle(inspected, count):
    from twisted.internet.task import Clock

    from kamaelia_twisted import Component
    from kamaelia_twisted.introspect import watch

    class Idle(Component):
        def main(self):
            while True:
                self.pause()
                yield 1

    clock = Clock()
    if inspected:
        watch(clock)
    return pipeline._perComponent(count, lambda: Idle(reactor=clock).activate(), lambda: clock.advance(0))


def sample(inspected, count):
    """
    Seconds for one sample of C{/events}: a snapshot of a pipeline of
    C{count} idle relays and its changes from the previous one.
    """
    from twisted.internet.task import Clock

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.introspect import changes, snapshot
    from kamaelia_twisted.util import PureTransformer

    clock = Clock()
    graph = Pipeline(*[PureTransformer(str) for _ in range(count)], reactor=clock).activate()
    clock.advance(0)
    before = snapshot([graph])
    start = time.perf_counter()
    changes(before, snapshot([graph]))
    return time.perf_counter() - start


KINDS = {"relay": relay, "idle": idle, "sample": sample}


def inSubprocess(kind, inspected, amount):
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(int(inspected)), str(amount)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def medians(kind, amount, runs):
    results = {False: [], True: []}
    for _ in range(runs):
        for inspected in (False, True):
            results[inspected].append(inSubprocess(kind, inspected, amount))
    return {inspected: statistics.median(values) for inspected, values in results.items()}


def report(messages, count, runs):
    print("load average before: {}".format(" ".join("{:.2f}".format(n) for n in os.getloadavg())))
    rates = medians("relay", messages, runs)
    print("5-stage relay, {:,} messages, median of {} runs".format(messages, runs))
    print("{:<34} {:>12} {:>12}".format("kamaelia_twisted", "msg/s", "cost"))
    print("{:<34} {:>12,.0f} {:>12}".format("not inspected", rates[False], ""))
    print("{:<34} {:>12,.0f} {:>11.1f}%".format("inspected (messages counted)", rates[True],
                                                100 * (rates[False] / rates[True] - 1)))
    print()
    sizes = medians("idle", count, runs)
    print("memory per idle (paused) parentless component, {:,} components, median of {} runs".format(count, runs))
    print("{:<34} {:>12} {:>12}".format("kamaelia_twisted", "bytes", "more"))
    print("{:<34} {:>12,.0f} {:>12}".format("not inspected", sizes[False], ""))
    print("{:<34} {:>12,.0f} {:>12,.0f}".format("inspected (roots kept)", sizes[True], sizes[True] - sizes[False]))
    print()
    seconds = statistics.median(inSubprocess("sample", False, count // 10) for _ in range(runs))
    print("one /events sample (snapshot and changes) of a pipeline of {:,} components: {:.1f} ms".format(
        count // 10, seconds * 1000))
    print("load average after: {}".format(" ".join("{:.2f}".format(n) for n in os.getloadavg())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200000)
    parser.add_argument("--idle", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, inspected, amount = args.child
        print(json.dumps(KINDS[kind](inspected == "1", int(amount))))
    else:
        report(args.messages, args.idle, args.runs)


if __name__ == "__main__":
    main()
