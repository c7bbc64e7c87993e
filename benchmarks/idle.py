"""
CPU used while every component is paused: a graph of 1,000 paused components
on the reactor for a few seconds, against the bare reactor doing nothing for
the same time, each in its own process.

    python benchmarks/idle.py [--seconds 5] [--components 1000]
    /usr/bin/time -v python benchmarks/idle.py --child graph 5 1000
"""

import argparse
import resource
import subprocess
import sys


def cpuSeconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def idleGraph(seconds, components):
    from twisted.internet import reactor

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import Collect

    graph = Pipeline(*[Collect() for _ in range(components)]).activate()
    reactor.callLater(1, _measure, reactor, seconds, graph)
    reactor.run()


def bareReactor(seconds, components):
    from twisted.internet import reactor

    reactor.callLater(1, _measure, reactor, seconds, None)
    reactor.run()


def _measure(reactor, seconds, graph):
    start = cpuSeconds()

    def done():
        print(cpuSeconds() - start)
        reactor.stop()

    reactor.callLater(seconds, done)


CHILDREN = {"graph": idleGraph, "bare": bareReactor}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, seconds, components = args.child
        CHILDREN[name](float(seconds), int(components))
        return
    print("CPU seconds used in {:g} s of wall time, after start-up".format(args.seconds))
    print("{:<40} {:>12}".format("process", "CPU seconds"))
    for name, label in [("graph", "{:,} paused components".format(args.components)),
                        ("bare", "bare reactor, nothing scheduled")]:
        out = subprocess.run([sys.executable, __file__, "--child", name, str(args.seconds),
                              str(args.components)], check=True, capture_output=True, text=True).stdout
        print("{:<40} {:>12.4f}".format(label, float(out.strip().splitlines()[-1])))


if __name__ == "__main__":
    main()
