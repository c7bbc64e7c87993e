"""
The pools against one component and against concurrent.futures, in one run.

CPU-bound: 200 items of pure-Python work (C{poolwork.burn}, calibrated to
about 20 ms each) through one component that does the work itself, through
C{ProcessPool("poolwork:burn", size=2)} and through
C{concurrent.futures.ProcessPoolExecutor(2)}. Blocking: 1,000 calls of
C{time.sleep(0.01)} one at a time in one component, through
C{ThreadPool(time.sleep, size=50)} and through C{ThreadPoolExecutor(50)}.

Each runner first handles two trivial items (start-up: processes or threads
started, modules imported), then the timed items; the table shows the time
from creation to the last result ("with start-up") and from the end of the
warm-up to the last result ("started"). Each is the median of C{--repeat}
runs; the load average is printed before and after.

    python benchmarks/pools.py [--repeat 3]
"""

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from twisted.internet import reactor
from twisted.internet.defer import Deferred, inlineCallbacks

from kamaelia_twisted import Component, ProcessPool, ThreadPool, producerFinished

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "examples"))
from poolwork import burn  # noqa: E402  (examples/poolwork.py: importable by name in workers)

CPU_ITEMS = 200
CPU_MILLISECONDS = 20
SLEEPS = 1000
SLEEP_SECONDS = 0.01


class Apply(Component):
    """
    Send C{function(item)} for each item, one at a time, in the reactor thread.
    """

    def __init__(self, function, **attributes):
        Component.__init__(self, **attributes)
        self.function = function

    def main(self):
        while True:
            while self.dataReady():
                self.send(self.function(self.recv()))
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


class Arrivals(Component):
    """
    Count arriving messages; C{when(n)} fires with the time the n-th arrived.
    """

    def __init__(self, **attributes):
        Component.__init__(self, **attributes)
        self.count = 0
        self.waiters = {}

    def when(self, n):
        d = self.waiters[n] = Deferred()
        return d

    def main(self):
        while True:
            while self.dataReady():
                self.recv()
                self.count += 1
                if self.count in self.waiters:
                    self.waiters.pop(self.count).callback(time.perf_counter())
            if self.checkShutdown() is not None:
                return
            self.pause()
            yield 1


@inlineCallbacks
def timeComponent(makeRunner, warmup, items):
    """
    Time C{items} through the component C{makeRunner()} after C{warmup}.

    @return: a L{Deferred} of C{(seconds with start-up, seconds started)}.
    """
    start = time.perf_counter()
    runner, arrivals = makeRunner(), Arrivals()
    runner.link((runner, "outbox"), (arrivals, "inbox"))
    runner.activate()
    arrivals.activate()
    for item in warmup:
        runner.inboxes["inbox"].deliver(item)
    warm = yield arrivals.when(len(warmup))
    for item in items:
        runner.inboxes["inbox"].deliver(item)
    end = yield arrivals.when(len(warmup) + len(items))
    runner.inboxes["control"].deliver(producerFinished())
    yield runner.whenDone()
    arrivals.inboxes["control"].deliver(producerFinished())
    yield arrivals.whenDone()
    return end - start, end - warm


def timeExecutor(makeExecutor, function, warmup, items):
    """
    Time C{items} through C{makeExecutor().map(function, ...)} after C{warmup}.
    """
    start = time.perf_counter()
    with makeExecutor() as executor:
        list(executor.map(function, warmup))
        warm = time.perf_counter()
        list(executor.map(function, items))
        end = time.perf_counter()
    return end - start, end - warm


def calibrate(milliseconds):
    """
    Return the C{burn} rounds that take about C{milliseconds} here.
    """
    rounds = 100000
    best = min(_timed(burn, rounds) for _ in range(5))
    return int(rounds * milliseconds / 1000 / best)


def _timed(function, argument):
    start = time.perf_counter()
    function(argument)
    return time.perf_counter() - start


def median(runs):
    """
    Return the median (with start-up, started) pair of times, each taken
    on its own.
    """
    return statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs)


@inlineCallbacks
def measure(repeat):
    rounds = calibrate(CPU_MILLISECONDS)
    cpuItems, cpuWarmup = [rounds] * CPU_ITEMS, [0, 0]
    sleeps, sleepWarmup = [SLEEP_SECONDS] * SLEEPS, [0, 0]
    cpu, blocking = {}, {}
    for _ in range(repeat):
        for name, run in [
            ("one component", lambda: timeComponent(lambda: Apply(burn), cpuWarmup, cpuItems)),
            ("ProcessPool(size=2)",
             lambda: timeComponent(lambda: ProcessPool("poolwork:burn", size=2), cpuWarmup, cpuItems)),
        ]:
            cpu.setdefault(name, []).append((yield run()))
        cpu.setdefault("ProcessPoolExecutor(2)", []).append(
            timeExecutor(lambda: ProcessPoolExecutor(2), burn, cpuWarmup, cpuItems))
        for name, run in [
            ("one at a time (one component)",
             lambda: timeComponent(lambda: Apply(time.sleep), sleepWarmup, sleeps)),
            ("ThreadPool(size=50)",
             lambda: timeComponent(lambda: ThreadPool(time.sleep, size=50), sleepWarmup, sleeps)),
        ]:
            blocking.setdefault(name, []).append((yield run()))
        blocking.setdefault("ThreadPoolExecutor(50)", []).append(
            timeExecutor(lambda: ThreadPoolExecutor(50), time.sleep, sleepWarmup, sleeps))
    return rounds, {name: median(runs) for name, runs in cpu.items()}, \
        {name: median(runs) for name, runs in blocking.items()}


def table(title, results, baseline, peer, ours, targets):
    """
    Format C{results} (name -> (with start-up, started) seconds): speed-ups
    against C{baseline}, then C{ours} against C{peer} (above 1: ours faster)
    with and without start-up, each against its target in C{targets}.
    """
    lines = [title, "{:<32}{:>15}{:>10}{:>10}".format("runner", "with start-up", "started", "speed-up")]
    base = results[baseline][1]
    for name, (withStart, started) in results.items():
        lines.append("{:<32}{:>14.3f}s{:>9.3f}s{:>9.2f}x".format(name, withStart, started, base / started))
    for column, index, target in (("with start-up", 0, targets[0]), ("started", 1, targets[1])):
        ratio = results[peer][index] / results[ours][index]
        lines.append("{} vs {}, {}: {:.2f}x (target {:.2f}x: {})".format(
            ours, peer, column, ratio, target, "met" if ratio >= target else "not met"))
    return "\n".join(lines)


def runMeasure(measure, description):
    """
    Parse C{--repeat}, run C{measure(repeat)} (returning a Deferred) on the
    reactor; return its outcome, the repeat count and the load average before.
    """
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    outcome, before = [], os.getloadavg()[0]

    @inlineCallbacks
    def run():
        try:
            outcome.append((yield measure(args.repeat)))
        finally:
            reactor.stop()

    reactor.callWhenRunning(run)
    reactor.run()
    return outcome[0], args.repeat, before


def main():
    (rounds, cpu, blocking), repeat, before = runMeasure(measure, __doc__)
    print("{} cores; load average {:.2f} before, {:.2f} after; medians of {}".format(
        os.cpu_count(), before, os.getloadavg()[0], repeat))
    print(table("CPU-bound: {} items of burn({}) (~{} ms each); speed-up: started, against one component".format(
        CPU_ITEMS, rounds, CPU_MILLISECONDS),
        cpu, "one component", "ProcessPoolExecutor(2)", "ProcessPool(size=2)", (0.95, 0.95)))
    print()
    print(table("Blocking: {} calls of time.sleep({}); speed-up: started, against one at a time".format(
        SLEEPS, SLEEP_SECONDS),
        blocking, "one at a time (one component)", "ThreadPoolExecutor(50)", "ThreadPool(size=50)", (0.9, 0.9)))


if __name__ == "__main__":
    main()
