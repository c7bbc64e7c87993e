"""
DaskPool against ProcessPool and concurrent.futures, in one run.

CPU-bound: 100 items of pure-Python work (C{poolwork.burn}, calibrated to
about 20 ms each) through one component doing the work itself, through
C{DaskPool} on its embedded cluster of 2 worker processes (one thread each),
through C{ProcessPool(size=2)} and through C{ProcessPoolExecutor(2)}; then
C{DaskPool} on 1 worker against 2 workers of one scheduler (scale-out).
Overhead: 200 trivial items (C{burn(0)}) through each pool, per item.
Each runner first handles two trivial items (start-up), and the "started"
time runs from the end of that warm-up to the last result. Each figure is
the median of C{--repeat} runs; the load average is printed before and after.

    python benchmarks/daskpool.py [--repeat 3]
"""

import os
import statistics
from concurrent.futures import ProcessPoolExecutor

from twisted.internet.defer import inlineCallbacks

from kamaelia_twisted import ProcessPool
from kamaelia_twisted.chassis import DaskPool
from pools import Apply, burn, calibrate, runMeasure, timeComponent, timeExecutor


CPU_ITEMS = 100
CPU_MILLISECONDS = 20
TRIVIAL_ITEMS = 200
WARMUP = [0, 0]


def runners():
    """
    Return (name, function of items returning a Deferred or a pair of times).
    """
    def component(make):
        return lambda items: timeComponent(make, WARMUP, items)

    return [
        ("one component", component(lambda: Apply(burn))),
        ("DaskPool, 2 workers", component(lambda: DaskPool("poolwork:burn", workers=2))),
        ("DaskPool, 1 worker", component(lambda: DaskPool("poolwork:burn", workers=1))),
        ("ProcessPool(size=2)", component(lambda: ProcessPool("poolwork:burn", size=2))),
        ("ProcessPoolExecutor(2)", lambda items: timeExecutor(lambda: ProcessPoolExecutor(2), burn, WARMUP, items)),
    ]


@inlineCallbacks
def measure(repeat):
    rounds = calibrate(CPU_MILLISECONDS)
    work, trivial = {}, {}
    for _ in range(repeat):
        for name, run in runners():
            work.setdefault(name, []).append((yield run([rounds] * CPU_ITEMS))[1])
            if name != "one component":
                trivial.setdefault(name, []).append((yield run([0] * TRIVIAL_ITEMS))[1])
    median = lambda runs: {name: statistics.median(times) for name, times in runs.items()}  # noqa: E731
    return rounds, median(work), median(trivial)


def report(rounds, work, trivial, repeat, loads):
    lines = ["CPU-bound: {} items of burn({}) (~{} ms each), {} cores, median of {}; load average {:.2f} "
             "before, {:.2f} after".format(CPU_ITEMS, rounds, CPU_MILLISECONDS, os.cpu_count(), repeat, *loads),
             "{:<26}{:>10}{:>10}{:>14}".format("runner", "started", "speed-up", "overhead/item")]
    base = work["one component"]
    for name, seconds in work.items():
        overhead = "{:>11.2f} ms".format(1000 * trivial[name] / TRIVIAL_ITEMS) if name in trivial else ""
        lines.append("{:<26}{:>9.3f}s{:>9.2f}x{:>14}".format(name, seconds, base / seconds, overhead))
    dask, pool, executor = work["DaskPool, 2 workers"], work["ProcessPool(size=2)"], work["ProcessPoolExecutor(2)"]
    lines += [
        "DaskPool, 2 workers vs ProcessPool(size=2): {:.2f}x (target 0.85x: {})".format(
            pool / dask, "met" if pool / dask >= 0.85 else "not met"),
        "DaskPool, 2 workers vs ProcessPoolExecutor(2): {:.2f}x".format(executor / dask),
        "DaskPool scale-out, 2 workers vs 1: {:.2f}x".format(work["DaskPool, 1 worker"] / dask),
    ]
    return "\n".join(lines)


def main():
    outcome, repeat, before = runMeasure(measure, __doc__)
    print(report(*outcome, repeat, (before, os.getloadavg()[0])))


if __name__ == "__main__":
    main()
