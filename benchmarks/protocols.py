"""
The cost of running a Twisted protocol inside a graph.

Each workload runs on plain Twisted and through L{ProtocolComponent} (and, over
loopback, L{ComponentFactory}) in the same run, on the same reactor:

  - parsing: lines in 64 KiB chunks, counted by a C{LineReceiver} on Twisted's
    C{StringTransport}, and by a C{ProtocolComponent(LineReceiver)} whose
    C{parsed} outbox feeds a counting component;
  - round trips: a client sends a line, waits for the echo, sends the next,
    to a line echo server made with a plain Twisted factory, and with
    C{ComponentFactory(lambda: ProtocolComponent(LineEcho))};
  - bulk echo: a client writes a block of bytes to Twisted's C{Echo} and reads
    it all back, plain and in a C{ProtocolComponent} per connection.

Each pair runs C{--repeat} times, in turn, and the median of each is kept.

    python benchmarks/protocols.py [--lines 200000] [--trips 5000] [--megabytes 32] [--repeat 5]
"""

import argparse
import os
import statistics
import time

from twisted.internet import defer, task
from twisted.internet.endpoints import TCP4ClientEndpoint, TCP4ServerEndpoint, connectProtocol
from twisted.internet.protocol import Factory, Protocol
from twisted.internet.testing import StringTransport
from twisted.protocols.basic import LineReceiver
from twisted.protocols.wire import Echo

from kamaelia_twisted import Component, Graphline
from kamaelia_twisted.net import ComponentFactory, ProtocolComponent
from kamaelia_twisted.util import DataSource

CHUNK = 65536


class LineCounter(LineReceiver):
    count = 0

    def lineReceived(self, line):
        self.count += 1


class Counter(Component):
    """
    Count messages until C{total}.
    """

    def __init__(self, total, **attributes):
        Component.__init__(self, **attributes)
        self.total = total

    def main(self):
        count = 0
        while count < self.total:
            while self.dataReady("inbox"):
                self.recv("inbox")
                count += 1
            if count < self.total:
                self.pause()
            yield 1


class LineEcho(LineReceiver):
    def lineReceived(self, line):
        self.sendLine(line)


class PingPong(LineReceiver):
    """
    Send C{trips} lines one after another, each after the previous echo.
    """

    def __init__(self, trips):
        self.left = trips
        self.done = defer.Deferred()

    def connectionMade(self):
        self.sendLine(b"ping")

    def lineReceived(self, line):
        self.left -= 1
        if self.left:
            self.sendLine(b"ping")
        else:
            self.transport.loseConnection()
            self.done.callback(None)


class Bulk(Protocol):
    """
    Write C{size} bytes, complete when they have all come back.
    """

    def __init__(self, size):
        self.size, self.received = size, 0
        self.done = defer.Deferred()

    def connectionMade(self):
        block = b"x" * CHUNK
        for _ in range(self.size // CHUNK):
            self.transport.write(block)

    def dataReceived(self, data):
        self.received += len(data)
        if self.received >= self.size:
            self.transport.loseConnection()
            self.done.callback(None)


def chunks(lines):
    data = b"".join(b"line %d\r\n" % n for n in range(lines))
    return [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)]


def parsePlain(pieces, lines):
    protocol = LineCounter()
    protocol.makeConnection(StringTransport())
    start = time.perf_counter()
    for piece in pieces:
        protocol.dataReceived(piece)
    elapsed = time.perf_counter() - start
    assert protocol.count == lines
    return elapsed


@defer.inlineCallbacks
def parseInGraph(pieces, lines):
    graph = Graphline(
        SOURCE=DataSource(pieces), PROTO=ProtocolComponent(LineReceiver), COUNT=Counter(lines),
        linkages={("SOURCE", "outbox"): ("PROTO", "inbox"), ("PROTO", "parsed"): ("COUNT", "inbox"),
                  ("SOURCE", "signal"): ("PROTO", "control")})
    start = time.perf_counter()
    yield graph.activate().whenDone()
    return time.perf_counter() - start


@defer.inlineCallbacks
def overLoopback(reactor, factory, client):
    port = yield TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1").listen(factory)
    start = time.perf_counter()
    yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port.getHost().port), client)
    yield client.done
    elapsed = time.perf_counter() - start
    yield port.stopListening()
    if isinstance(factory, ComponentFactory):
        yield factory.shutdown()
    return elapsed


def table(title, unit, rows):
    print(title)
    print("{:<40}{:>14}{:>14}".format("", unit, "ours / this"))
    ours = rows[-1][1]
    for name, rate in rows:
        print("{:<40}{:>14,.0f}{:>13.2f}x".format(name, rate, ours / rate))
    print()


@defer.inlineCallbacks
def medians(repeat, *runs):
    """
    Call each of C{runs} (returning a Deferred of seconds) C{repeat} times,
    in turn, and return the median seconds of each.
    """
    times = [[] for _ in runs]
    for _ in range(repeat):
        for run, taken in zip(runs, times):
            taken.append((yield run()))
    return [statistics.median(taken) for taken in times]


@defer.inlineCallbacks
def main(reactor, options):
    print("load average {:.2f} {:.2f} {:.2f}; median of {} runs\n".format(*os.getloadavg(), options.repeat))
    pieces = chunks(options.lines)
    plain, ours = yield medians(options.repeat, lambda: defer.succeed(parsePlain(pieces, options.lines)),
                                lambda: parseInGraph(pieces, options.lines))
    table("parsing {:,} lines in 64 KiB chunks".format(options.lines), "lines/s", [
        ("LineReceiver on StringTransport", options.lines / plain),
        ("ProtocolComponent(LineReceiver)", options.lines / ours)])

    plain, ours = yield medians(
        options.repeat,
        lambda: overLoopback(reactor, Factory.forProtocol(LineEcho), PingPong(options.trips)),
        lambda: overLoopback(reactor, ComponentFactory(lambda: ProtocolComponent(LineEcho)), PingPong(options.trips)))
    table("{:,} sequential line round trips over loopback".format(options.trips), "trips/s", [
        ("Twisted Factory(LineEcho)", options.trips / plain),
        ("ComponentFactory(ProtocolComponent)", options.trips / ours)])

    size = options.megabytes * 2 ** 20
    plain, ours = yield medians(
        options.repeat,
        lambda: overLoopback(reactor, Factory.forProtocol(Echo), Bulk(size)),
        lambda: overLoopback(reactor, ComponentFactory(lambda: ProtocolComponent(Echo)), Bulk(size)))
    table("echoing {} MiB over loopback".format(options.megabytes), "MiB/s", [
        ("Twisted Factory(Echo)", options.megabytes / plain),
        ("ComponentFactory(ProtocolComponent)", options.megabytes / ours)])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=200000)
    parser.add_argument("--trips", type=int, default=5000)
    parser.add_argument("--megabytes", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=5)
    task.react(main, [parser.parse_args()])
