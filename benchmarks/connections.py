"""
Many held connections: SimpleServer with a PureTransformer echo per
connection against a plain Twisted echo Protocol, the same load on both, in
one run. Server and clients (plain Twisted) are separate processes; the
server is benchmarks/tcp.py's.

1. 10,000 connections held (C{--connections}): the server's memory per
   connection (tracemalloc growth, a traced run) and, with a tenth of them
   (C{--active}) each sending a 64-byte message as soon as the previous one
   came back while all are held, the round-trip latency p50/p99 (an untraced
   run). Median of C{--repeat} runs.
2. Scaling: for 1, 10, 100, 1,000 and 10,000 connections, memory per
   connection and the cost of a message when every connection sends (wall
   time / messages echoed, all connections in a closed loop).

    python benchmarks/connections.py [--connections 10000] [--active 1000]
        [--seconds 5] [--repeat 3] [--scaling 1,10,100,1000,10000]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

from tcp import bytesPerConnection, connectInBatches, expect, raiseFileLimit, startServer, stopServer

MESSAGE = b"m" * 64


def loadClient(port, count, active, seconds):
    """
    Open C{count} connections, have each echo one byte, print "ready" and
    wait for a line on stdin: "go" runs the load (C{active} connections each
    sending L{MESSAGE} again as soon as it has come back, for C{seconds}) and
    prints "result MESSAGES P50 P99" (round trips in seconds); end of input
    closes everything.
    """
    from twisted.internet import reactor, stdio
    from twisted.internet.defer import Deferred
    from twisted.internet.protocol import Protocol
    from twisted.protocols.basic import LineReceiver

    raiseFileLimit()
    clients, times = [], []
    state = {"running": False}

    class Client(Protocol):
        def __init__(self):
            self.echoed = Deferred()
            self.pending = 0
            self.sentAt = 0.0

        def connectionMade(self):
            self.transport.write(b"x")

        def send(self):
            self.pending, self.sentAt = len(MESSAGE), time.perf_counter()
            self.transport.write(MESSAGE)

        def dataReceived(self, data):
            if not self.echoed.called:
                self.echoed.callback(None)
                return
            self.pending -= len(data)
            if self.pending <= 0:
                times.append(time.perf_counter() - self.sentAt)
                if state["running"]:
                    self.send()

    class Commands(LineReceiver):
        delimiter = b"\n"

        def lineReceived(self, line):
            if line == b"go":
                state["running"] = True
                for client in clients[:active]:
                    client.send()
                reactor.callLater(seconds, finish)

        def connectionLost(self, reason):
            for client in clients:
                client.transport.loseConnection()
            reactor.callLater(0.2, reactor.stop)

    def finish():
        state["running"] = False
        done = sorted(times)
        p50, p99 = (done[min(len(done) - 1, int(len(done) * q))] for q in (0.5, 0.99))
        print("result {} {} {}".format(len(done), p50, p99), flush=True)

    def connected(_):
        print("ready", flush=True)
        stdio.StandardIO(Commands())

    reactor.callWhenRunning(lambda: connectInBatches(reactor, port, count, Client, clients).addCallback(connected))
    reactor.run()


def load(kind, count, active, seconds):
    """
    Return (messages per second, p50, p99, server CPU seconds per message)
    with C{active} of C{count} connections sending.
    """
    server, port = startServer(kind)
    try:
        clients = _clients(port, count, active, seconds)
        expect(clients, "ready")
        cpu = cpuSeconds(server.pid)
        clients.stdin.write("go\n")
        clients.stdin.flush()
        line = clients.stdout.readline().split()
        cpu = cpuSeconds(server.pid) - cpu
        if not line or line[0] != "result":
            raise RuntimeError("expected a result from the clients, got {!r}".format(line))
        clients.stdin.close()
        clients.wait()
        return int(line[1]) / seconds, float(line[2]), float(line[3]), cpu / int(line[1])
    finally:
        stopServer(server)


def cpuSeconds(pid):
    """
    Return the CPU time (user and system) process C{pid} has used so far.
    """
    with open("/proc/{}/stat".format(pid)) as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _clients(port, count, active, seconds):
    return subprocess.Popen([sys.executable, __file__, "--child", str(port), str(count), str(active), str(seconds)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def median(runs):
    return tuple(statistics.median(run[i] for run in runs) for i in range(len(runs[0])))


LABELS = (("plain", "Twisted echo Protocol"), ("ours", "SimpleServer + PureTransformer"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--active", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="median of this many runs")
    parser.add_argument("--scaling", default="1,10,100,1000,10000", help="connection counts (empty: none)")
    args = parser.parse_args()
    raiseFileLimit()
    print(time.strftime("%a %b %d %H:%M UTC %Y", time.gmtime()), "load average", open("/proc/loadavg").read().split()[:3])

    memory, latency = {}, {}
    for kind, _ in LABELS:
        memory[kind] = statistics.median(bytesPerConnection(kind, args.connections) for _ in range(args.repeat))
    for _ in range(args.repeat):  # alternate the servers, so load on the machine hits both alike
        for kind, _ in LABELS:
            latency.setdefault(kind, []).append(load(kind, args.connections, args.active, args.seconds))
    latency = {kind: median(runs) for kind, runs in latency.items()}

    print()
    print("{:,} connections held, {:,} of them echoing 64-byte messages in a closed loop; median of {}"
          .format(args.connections, args.active, args.repeat))
    print("{:<32}{:>11}{:>8}{:>9}{:>8}{:>8}{:>8}{:>8}{:>8}".format(
        "server", "bytes/conn", "ratio", "msg/s", "p50 ms", "p99 ms", "ratio", "CPU us", "ratio"))
    for kind, label in LABELS:
        rate, p50, p99, cpu = latency[kind]
        plain = latency["plain"]
        print("{:<32}{:>11,.0f}{:>7.2f}x{:>9,.0f}{:>8.1f}{:>8.1f}{:>7.2f}x{:>8.1f}{:>7.2f}x".format(
            label, memory[kind], memory[kind] / memory["plain"], rate, p50 * 1e3, p99 * 1e3,
            p50 / plain[1], cpu * 1e6, cpu / plain[3]))
    print("(ratios over plain Twisted's: bytes/conn, p50, and the server's CPU time per message)")

    counts = [int(n) for n in args.scaling.split(",") if n]
    if not counts:
        return
    print()
    print("scaling: every connection echoing in a closed loop for {} s".format(args.seconds))
    print("{:>7}  {:>10}{:>10}{:>7}  {:>9}{:>9}{:>7}  {:>9}{:>9}{:>7}".format(
        "conns", "plain B/c", "ours B/c", "ratio", "plain us", "ours us", "ratio", "plain CPU", "ours CPU", "ratio"))
    for count in counts:
        perConn = {kind: bytesPerConnection(kind, count) for kind, _ in LABELS}
        runs = {kind: load(kind, count, count, args.seconds) for kind, _ in LABELS}
        wall = {kind: 1e6 / run[0] for kind, run in runs.items()}
        cpu = {kind: 1e6 * run[3] for kind, run in runs.items()}
        print("{:>7,}  {:>10,.0f}{:>10,.0f}{:>6.2f}x  {:>9.1f}{:>9.1f}{:>6.2f}x  {:>9.1f}{:>9.1f}{:>6.2f}x".format(
            count, perConn["plain"], perConn["ours"], perConn["ours"] / perConn["plain"],
            wall["plain"], wall["ours"], wall["ours"] / wall["plain"],
            cpu["plain"], cpu["ours"], cpu["ours"] / cpu["plain"]))
    print("(us: wall time per message echoed, all connections sending; CPU: the server's CPU us per message)")
    print("load average", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        loadClient(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    else:
        main()
