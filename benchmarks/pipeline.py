"""
Message throughput of a 5-stage relay, and memory per idle component.

The same workload runs on kamaelia_twisted's scheduler, its Axon layer
(L{kamaelia_twisted.axon}), Kamaelia's Axon, asyncio queues and Twisted's
DeferredQueue, each in a fresh subprocess: a source sending 64 messages per
yield, three relays doing C{while self.dataReady(): self.send(self.recv())}
(on the Axon layer also C{for msg in self.Inbox(): self.send(msg)}), and a
counting sink; the median of C{--repeat} runs is kept. Then 100,000 paused
components are made on kamaelia_twisted and on Axon and the memory each
costs is measured with tracemalloc.

    python benchmarks/pipeline.py [--messages 200000] [--idle 100000] [--repeat 3]
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc

BURST = 64


def relayClasses(base, style="dataReady"):
    """
    Return (Source, Relay, Sink) written against C{base}, a component class
    with Kamaelia's API (kamaelia_twisted's Component or Axon's component),
    the relays in C{style}: C{"dataReady"}
    (C{while self.dataReady(): self.send(self.recv())}) or C{"Inbox"}
    (C{for msg in self.Inbox(): self.send(msg)}, Axon's iterator).
    """

    class Source(base):
        def main(self):
            for _ in range(self.total // BURST):
                for _ in range(BURST):
                    self.send("m", "outbox")
                yield 1
            for _ in range(self.total % BURST):
                self.send("m", "outbox")
            yield 1

    class Relay(base):
        def main(self):
            while not self.done[0]:
                while self.dataReady("inbox"):
                    self.send(self.recv("inbox"), "outbox")
                yield 1

    class InboxRelay(base):
        def main(self):
            while not self.done[0]:
                for msg in self.Inbox("inbox"):
                    self.send(msg, "outbox")
                yield 1

    class Sink(base):
        def main(self):
            count = 0
            while count < self.total:
                while self.dataReady("inbox"):
                    self.recv("inbox")
                    count += 1
                yield 1
            self.done[0] = True

    return Source, Relay if style == "dataReady" else InboxRelay, Sink


def chain(classes, total, link):
    Source, Relay, Sink = classes
    done = [False]
    stages = [Source(), Relay(), Relay(), Relay(), Sink()]
    for stage in stages:
        stage.total, stage.done = total, done
    for a, b in zip(stages, stages[1:]):
        link(a, b)
    return stages


def runOurs(total):
    from twisted.internet import reactor  # installed here, not inside the timing

    from kamaelia_twisted import Component, Pipeline

    graph = Pipeline(*chain(relayClasses(Component), total, lambda a, b: None), reactor=reactor)
    start = time.perf_counter()
    graph.run()
    return time.perf_counter() - start


def runAxon(total, style="dataReady"):
    from Axon.Component import component
    from Axon.Scheduler import scheduler

    stages = chain(relayClasses(component, style), total, lambda a, b: a.link((a, "outbox"), (b, "inbox")))
    for stage in stages:
        stage.activate()
    start = time.perf_counter()
    scheduler.run.runThreads()
    return time.perf_counter() - start


def runLayer(total, style):
    """
    The relay on kamaelia_twisted's Axon layer (C{import Axon} resolving to
    L{kamaelia_twisted.axon}), its relays in C{style}.
    """
    from kamaelia_twisted.axon import install

    install()
    return runAxon(total, style)


def runAsyncio(total, style="await"):
    """
    Relays in one of three styles: C{"await"}, the canonical
    C{await out.put(await inq.get())}; C{"nowait"}, C{put_nowait} instead of
    C{await put}; C{"drain"}, also taking every ready message at once with
    C{get_nowait}, as the Kamaelia relays do.
    """

    async def source(out):
        for i in range(total):
            out.put_nowait("m")
            if i % BURST == BURST - 1:
                await asyncio.sleep(0)

    async def relay(inq, out):
        while True:
            if style == "await":
                await out.put(await inq.get())
                continue
            out.put_nowait(await inq.get())
            while style == "drain" and not inq.empty():
                out.put_nowait(inq.get_nowait())

    async def sink(inq):
        for _ in range(total):
            await inq.get()

    async def main():
        queues = [asyncio.Queue() for _ in range(4)]
        relays = [asyncio.ensure_future(relay(queues[i], queues[i + 1])) for i in range(3)]
        start = time.perf_counter()
        await asyncio.gather(source(queues[0]), sink(queues[3]))
        elapsed = time.perf_counter() - start
        for r in relays:
            r.cancel()
        return elapsed

    return asyncio.run(main())


def runDeferredQueue(total):
    from twisted.internet import defer, reactor, task

    async def source(out):
        for i in range(total):
            out.put("m")
            if i % BURST == BURST - 1:
                await task.deferLater(reactor, 0, lambda: None)

    async def relay(inq, out):
        while True:
            out.put(await inq.get())

    async def sink(inq):
        for _ in range(total):
            await inq.get()

    async def main():
        queues = [defer.DeferredQueue() for _ in range(4)]
        for i in range(3):
            defer.ensureDeferred(relay(queues[i], queues[i + 1])).addErrback(lambda f: None)
        start = time.perf_counter()
        await defer.gatherResults([defer.ensureDeferred(source(queues[0])), defer.ensureDeferred(sink(queues[3]))])
        return time.perf_counter() - start

    result = []
    defer.ensureDeferred(main()).addBoth(result.append).addBoth(lambda _: reactor.stop())
    reactor.run()
    return result[0]


def idleOurs(count):
    from twisted.internet.task import Clock

    from kamaelia_twisted import Component

    class Idle(Component):
        def main(self):
            while True:
                self.pause()
                yield 1

    clock = Clock()
    return _perComponent(count, lambda: Idle(reactor=clock).activate(), lambda: clock.advance(0))


def idleAxon(count):
    from Axon.Component import component
    from Axon.Scheduler import scheduler

    class Idle(component):
        def main(self):
            while True:
                self.pause()
                yield 1

    steps = scheduler.run.main()
    return _perComponent(count, lambda: Idle().activate(), lambda: [next(steps) for _ in range(3)])


def _perComponent(count, make, settle):
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    components = [make() for _ in range(count)]
    settle()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(components) == count
    return (after - before) / count


PEERS = {
    "kamaelia_twisted": runOurs,
    "kamaelia_twisted.axon, Inbox": lambda total: runLayer(total, "Inbox"),
    "kamaelia_twisted.axon, dataReady": lambda total: runLayer(total, "dataReady"),
    "Axon": runAxon,
    "asyncio.Queue": runAsyncio,
    "asyncio.Queue, put_nowait": lambda total: runAsyncio(total, "nowait"),
    "asyncio.Queue, drained": lambda total: runAsyncio(total, "drain"),
    "DeferredQueue": runDeferredQueue,
}
IDLE = {"kamaelia_twisted": idleOurs, "Axon": idleAxon}


def inSubprocess(kind, name, amount):
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, name, str(amount)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(messages, idle, repeat):
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("5-stage relay, {:,} messages, {} per source yield, median of {} runs".format(messages, BURST, repeat))
    times = {name: [] for name in PEERS}
    for _ in range(repeat):
        for name in PEERS:
            times[name].append(inSubprocess("relay", name, messages))
    rates = {name: messages / statistics.median(runs) for name, runs in times.items()}
    ours, layer = rates["kamaelia_twisted"], rates["kamaelia_twisted.axon, Inbox"]
    print("{:<34} {:>12} {:>14} {:>14}".format("scheduler", "msg/s", "ours / this", "Inbox / this"))
    for name, rate in rates.items():
        print("{:<34} {:>12,.0f} {:>13.2f}x {:>13.2f}x".format(name, rate, ours / rate, layer / rate))
    print()
    print("memory per idle (paused) component, {:,} components".format(idle))
    sizes = {name: inSubprocess("idle", name, idle) for name in IDLE}
    print("{:<34} {:>12} {:>14}".format("framework", "bytes", "ours / this"))
    for name, size in sizes.items():
        print("{:<34} {:>12,.0f} {:>13.2f}x".format(name, size, sizes["kamaelia_twisted"] / size))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200000)
    parser.add_argument("--idle", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, name, amount = args.child
        table = PEERS if kind == "relay" else IDLE
        print(json.dumps(table[name](int(amount))))
    else:
        report(args.messages, args.idle, args.repeat)


if __name__ == "__main__":
    main()
