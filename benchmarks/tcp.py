"""
TCP through kamaelia_twisted's components against plain Twisted protocols.

1. Echo throughput: a client sends C{--megabytes} in 64 KiB writes to an
   echo server and counts them back; server and client are separate
   processes. Every pairing of SimpleServer/PureTransformer or a plain Twisted
   echo Protocol with TCPClient in a Graphline or a plain Twisted client
   (a push producer registered with its transport) is timed.
2. Memory per connection: a client process holds C{--connections} open
   connections, each echoed once, to a server process that reports its
   Python memory (tracemalloc) before and after: SimpleServer with one
   PureTransformer component per connection against a plain Twisted echo factory.
3. Backpressure: 200 MB from a fast sender through TCPClient into a handler
   that takes one chunk per millisecond, one process, peak Python memory
   growth with the default bounded inboxes and with unbounded ones.

    python benchmarks/tcp.py [--megabytes 200] [--connections 1000] [--repeat 3]
"""

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc

CHUNK = bytes(64 * 1024)
MB = 1 << 20
BATCH = 40


def raiseFileLimit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# Servers: print "port N", then serve until stdin says "measure" (print the
# memory growth since listening, when tracing) or closes (exit).


def listenOurs(reactor):
    from kamaelia_twisted.net import SimpleServer
    from kamaelia_twisted.util import PureTransformer

    server = SimpleServer(protocol=PureTransformer, port=0, interface="127.0.0.1").activate()
    return server.whenListening()


def listenPlain(reactor):
    from twisted.internet.endpoints import TCP4ServerEndpoint
    from twisted.internet.protocol import Factory, Protocol

    class Echo(Protocol):
        def dataReceived(self, data):
            self.transport.write(data)

    return TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1").listen(Factory.forProtocol(Echo))


def serve(kind, trace):
    from twisted.internet import reactor, stdio
    from twisted.protocols.basic import LineReceiver

    raiseFileLimit()
    if trace:
        tracemalloc.start()
    baseline = []

    class Commands(LineReceiver):
        delimiter = b"\n"

        def lineReceived(self, line):
            if line == b"measure":
                print("memory {}".format(tracemalloc.get_traced_memory()[0] - baseline[0]), flush=True)

        def connectionLost(self, reason):
            if reactor.running:
                reactor.stop()

    def listening(port):
        baseline.append(tracemalloc.get_traced_memory()[0])
        print("port {}".format(port.getHost().port), flush=True)
        stdio.StandardIO(Commands())

    {"ours": listenOurs, "plain": listenPlain}[kind](reactor).addCallback(listening)
    reactor.run()


# Clients


def echoOurs(reactor, port, total):
    """
    Send C{total} bytes through a TCPClient; fire when they have come back.
    """
    from kamaelia_twisted import Component, Graphline, producerFinished
    from kamaelia_twisted.net import TCPClient

    class Chunks(Component):
        def main(self):
            outbox = self.outboxes["outbox"]
            for _ in range(total // len(CHUNK)):
                if outbox.isFull():
                    yield outbox.whenSpace()
                self.send(CHUNK)
            yield 1

    class Count(Component):
        def main(self):
            received = 0
            while True:
                while self.dataReady("inbox"):
                    received += len(self.recv("inbox"))
                if received >= total:
                    break
                self.pause()
                yield 1
            self.send(producerFinished(self), "signal")

    graph = Graphline(
        SOURCE=Chunks(), CLIENT=TCPClient("127.0.0.1", port), COUNT=Count(),
        linkages={
            ("SOURCE", "outbox"): ("CLIENT", "inbox"),
            ("CLIENT", "outbox"): ("COUNT", "inbox"),
            ("COUNT", "signal"): ("CLIENT", "control"),
        })
    return graph.activate().whenDone()


def echoPlain(reactor, port, total):
    """
    Send C{total} bytes with a plain Twisted client; fire when they have come back.
    """
    from twisted.internet.defer import Deferred
    from twisted.internet.endpoints import TCP4ClientEndpoint
    from twisted.internet.protocol import Factory, Protocol
    from zope.interface import implementer
    from twisted.internet.interfaces import IPushProducer

    done = Deferred()

    @implementer(IPushProducer)
    class Client(Protocol):
        sent = received = 0
        paused = False

        def connectionMade(self):
            self.transport.registerProducer(self, True)
            self.resumeProducing()

        def pauseProducing(self):
            self.paused = True

        def resumeProducing(self):
            self.paused = False
            while not self.paused and self.sent < total:
                self.transport.write(CHUNK)
                self.sent += len(CHUNK)

        def stopProducing(self):
            pass

        def dataReceived(self, data):
            self.received += len(data)
            if self.received >= total:
                self.transport.unregisterProducer()
                self.transport.loseConnection()

        def connectionLost(self, reason):
            done.callback(None)

    TCP4ClientEndpoint(reactor, "127.0.0.1", port).connect(Factory.forProtocol(Client))
    return done


def echoClient(kind, port, total):
    from twisted.internet import reactor

    started = []

    def run():
        started.append(time.perf_counter())
        d = {"ours": echoOurs, "plain": echoPlain}[kind](reactor, port, total)
        d.addBoth(lambda result: (started.append(time.perf_counter()), reactor.stop(), result)[2])

    reactor.callWhenRunning(run)
    reactor.run()
    print("seconds {}".format(started[1] - started[0]), flush=True)


def holdConnections(port, count):
    """
    Open C{count} connections (in batches, the listen backlog being short),
    have each echo one byte, print "ready", and hold them until stdin closes.
    """
    from twisted.internet import reactor, stdio
    from twisted.internet.defer import Deferred
    from twisted.internet.protocol import Protocol

    raiseFileLimit()
    clients = []

    class Client(Protocol):
        def __init__(self):
            self.echoed = Deferred()

        def connectionMade(self):
            self.transport.write(b"x")

        def dataReceived(self, data):
            if not self.echoed.called:
                self.echoed.callback(None)

    class Quit(Protocol):
        def connectionLost(self, reason):
            for client in clients:
                client.transport.loseConnection()
            reactor.callLater(0.2, reactor.stop)

    def connected(_):
        print("ready", flush=True)
        stdio.StandardIO(Quit())

    reactor.callWhenRunning(lambda: connectInBatches(reactor, port, count, Client, clients).addCallback(connected))
    reactor.run()


def connectInBatches(reactor, port, count, makeClient, clients):
    """
    Connect C{count} protocols made by C{makeClient} to C{port}, in batches
    (the listen backlog being short), each batch once the one before has
    had its first echo (each protocol's C{echoed} Deferred); add them to
    C{clients}. Return a Deferred that fires when all are connected.
    """
    from twisted.internet.defer import gatherResults, inlineCallbacks
    from twisted.internet.endpoints import TCP4ClientEndpoint
    from twisted.internet.protocol import Factory

    @inlineCallbacks
    def connectAll():
        endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", port)
        for start in range(0, count, BATCH):
            batch = [makeClient() for _ in range(min(BATCH, count - start))]
            clients.extend(batch)
            yield gatherResults([endpoint.connect(Factory.forProtocol(lambda c=c: c)) for c in batch])
            yield gatherResults([client.echoed for client in batch])

    return connectAll()


def backpressure(total, inboxSize):
    """
    Send C{total} bytes through TCPClient into a handler taking one chunk per
    millisecond; print the peak Python memory growth.
    """
    from twisted.internet import reactor, task

    from kamaelia_twisted import Component, Pipeline, producerFinished
    from kamaelia_twisted.net import SimpleServer, TCPClient

    class Fresh(Component):
        def main(self):
            outbox = self.outboxes["outbox"]
            for _ in range(total // len(CHUNK)):
                if outbox.isFull():
                    yield outbox.whenSpace()
                self.send(bytes(len(CHUNK)))
            self.send(producerFinished(self), "signal")
            yield 1

    class Slow(Component):
        def main(self):
            while True:
                if self.dataReady("inbox"):
                    self.recv("inbox")
                    yield task.deferLater(reactor, 0.001, lambda: None)
                elif self.checkShutdown() is not None:
                    return
                else:
                    self.pause()
                    yield 1

    outcome = []

    def run():
        server = SimpleServer(protocol=Slow, port=0, interface="127.0.0.1", inboxSize=inboxSize).activate()

        def listening(port):
            tracemalloc.start()
            outcome.append(tracemalloc.get_traced_memory()[0])
            client = TCPClient("127.0.0.1", port.getHost().port, inboxSize=inboxSize)
            # The client ends once the server has closed, after its handler took everything.
            return Pipeline(Fresh(), client).activate().whenDone()

        def done(result):
            outcome.append(tracemalloc.get_traced_memory()[1])
            reactor.stop()
            return result

        server.whenListening().addCallback(listening).addBoth(done)

    reactor.callWhenRunning(run)
    reactor.run()
    print("peak {}".format(outcome[1] - outcome[0]), flush=True)


# The driver


def child(*args, stdin=None):
    return subprocess.Popen([sys.executable, __file__, "--child"] + [str(a) for a in args],
                            stdin=stdin, stdout=subprocess.PIPE, text=True)


def expect(process, word):
    line = process.stdout.readline().split()
    if not line or line[0] != word:
        raise RuntimeError("expected {!r} from {}, got {!r}".format(word, process.args, line))
    return line[1] if len(line) > 1 else None


def startServer(kind, trace=False):
    server = child("serve", kind, int(trace), stdin=subprocess.PIPE)
    return server, int(expect(server, "port"))


def stopServer(server):
    server.stdin.close()
    server.wait()


def echoSeconds(serverKind, clientKind, total):
    server, port = startServer(serverKind)
    try:
        client = child("echo", clientKind, port, total)
        seconds = float(expect(client, "seconds"))
        client.wait()
        return seconds
    finally:
        stopServer(server)


def bytesPerConnection(serverKind, count):
    server, port = startServer(serverKind, trace=True)
    try:
        clients = child("hold", port, count, stdin=subprocess.PIPE)
        expect(clients, "ready")
        server.stdin.write("measure\n")
        server.stdin.flush()
        growth = int(expect(server, "memory"))
        clients.stdin.close()
        clients.wait()
        return growth / count
    finally:
        stopServer(server)


def peakGrowth(total, inboxSize):
    process = child("backpressure", total, inboxSize)
    peak = int(expect(process, "peak"))
    process.wait()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many echo runs")
    args = parser.parse_args()
    total = args.megabytes * MB

    print("echo {} MB in 64 KiB writes, best of {}".format(args.megabytes, args.repeat))
    print("{:<34}{:>12}{:>16}".format("server + client", "MB/s", "this / plain"))
    pairs = [("plain", "plain"), ("ours", "plain"), ("plain", "ours"), ("ours", "ours")]
    rates = {}
    for serverKind, clientKind in pairs:
        seconds = min(echoSeconds(serverKind, clientKind, total) for _ in range(args.repeat))
        rates[serverKind, clientKind] = args.megabytes / seconds
    names = {"ours": ("SimpleServer", "TCPClient"), "plain": ("Twisted Protocol", "Twisted Protocol")}
    for pair in pairs:
        label = "{} + {}".format(names[pair[0]][0], names[pair[1]][1])
        print("{:<34}{:>12,.0f}{:>15.2f}x".format(label, rates[pair], rates[pair] / rates["plain", "plain"]))

    print()
    print("{:,} connections held open, each echoed once: server memory".format(args.connections))
    print("{:<34}{:>12}{:>16}".format("server", "bytes/conn", "this / plain"))
    perConnection = {kind: bytesPerConnection(kind, args.connections) for kind in ("plain", "ours")}
    for kind, label in (("plain", "Twisted echo Protocol"), ("ours", "SimpleServer + PureTransformer")):
        print("{:<34}{:>12,.0f}{:>15.2f}x".format(label, perConnection[kind],
                                                 perConnection[kind] / perConnection["plain"]))

    print()
    print("200 MB into a handler taking one 64 KiB chunk per ms: peak Python memory growth")
    print("{:<34}{:>12}".format("inboxes", "MB"))
    for label, size in (("bounded (default, 32 messages)", 32), ("unbounded (inboxSize=None)", None)):
        print("{:<34}{:>12.1f}".format(label, peakGrowth(200 * MB, size) / MB))


def childMain(role, *args):
    if role == "serve":
        serve(args[0], int(args[1]))
    elif role == "echo":
        echoClient(args[0], int(args[1]), int(args[2]))
    elif role == "hold":
        holdConnections(int(args[0]), int(args[1]))
    elif role == "backpressure":
        backpressure(int(args[0]), None if args[1] == "None" else int(args[1]))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        childMain(*sys.argv[2:])
    else:
        main()
