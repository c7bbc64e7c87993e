"""
Kamaelia's own TCP echo, unmodified, on kamaelia_twisted's Axon layer (its
selector service driven by the reactor) against the same program on Kamaelia's
Axon (its Selector a thread polling select()).

One process runs Kamaelia's SimpleServer with EchoProtocol and C{--clients}
of Kamaelia's TCPClients at once, each in a Kamaelia Graphline with a
DataSource sending C{--megabytes} in C{--chunk}-byte messages and a counter
that closes the connection once all has come back ("bulk"), or a component
sending one message and waiting for its echo before the next, C{--trips}
times ("trips": each message waits for the selector both ways). Timed from
activating the clients to the last byte back; each run is a fresh process,
and the median of C{--repeat} runs is kept.

    python benchmarks/kamaelia_echo.py [--clients 5] [--megabytes 8] [--chunks 1024,16384,65536]
                                       [--trips 200] [--trip-size 1024] [--repeat 5]
                                       [--axon-python PYTHON]

Needs Kamaelia (C{pip install .[kamaelia]}) and, in this Python or the one
given with C{--axon-python}, Kamaelia's Axon (C{pip install kamaelia kamaelia-axon}).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def child(runtime, mode, clients, megabytes, chunk, trips):
    """
    Run the echo once on C{runtime} ("layer" or "Axon"), C{mode} "bulk" or
    "trips"; print the seconds taken and exit.
    """
    if runtime == "layer":
        sys.path.insert(0, ROOT)
        from kamaelia_twisted.axon import install

        install()
    from Axon.Component import component
    from Axon.Ipc import producerFinished
    from Axon.Scheduler import scheduler
    from Kamaelia.Chassis.ConnectedServer import SimpleServer
    from Kamaelia.Chassis.Graphline import Graphline
    from Kamaelia.Internet.TCPClient import TCPClient
    from Kamaelia.Protocol.EchoProtocol import EchoProtocol
    from Kamaelia.Util.DataSource import DataSource

    total = megabytes * (1 << 20) // chunk * chunk
    started, finished = [], []

    class Count(component):
        def main(self):
            received = 0
            while received < total:
                while self.dataReady("inbox"):
                    received += len(self.recv("inbox"))
                if received < total:
                    self.pause()
                    yield 1
            self.send(producerFinished(), "signal")
            done()
            yield 1

    class PingPong(component):
        """
        Send one message, wait for all of it to come back, C{trips} times.
        """

        def main(self):
            message = bytes(chunk)
            for _ in range(trips):
                self.send(message, "outbox")
                received = 0
                while received < chunk:
                    while self.dataReady("inbox"):
                        received += len(self.recv("inbox"))
                    if received < chunk:
                        self.pause()
                        yield 1
            self.send(producerFinished(), "signal")
            done()
            yield 1

    def done():
        finished.append(time.perf_counter())
        if len(finished) == clients:
            print(finished[-1] - started[0], flush=True)
            os._exit(0)

    def bulk():
        return dict(SOURCE=DataSource([bytes(chunk)] * (total // chunk)), COUNT=Count(),
                    linkages={("SOURCE", "outbox"): ("CLIENT", "inbox"),
                              ("CLIENT", "outbox"): ("COUNT", "inbox"),
                              ("COUNT", "signal"): ("CLIENT", "control")})

    def pingPong():
        return dict(PING=PingPong(),
                    linkages={("PING", "outbox"): ("CLIENT", "inbox"),
                              ("CLIENT", "outbox"): ("PING", "inbox"),
                              ("PING", "signal"): ("CLIENT", "control")})

    workload = bulk if mode == "bulk" else pingPong

    class Start(component):
        """
        Activate the clients once the server has had a few steps to listen.
        """

        def main(self):
            for _ in range(10):
                yield 1
            started.append(time.perf_counter())
            for _ in range(clients):
                Graphline(CLIENT=TCPClient("127.0.0.1", port), **workload()).activate()

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    SimpleServer(protocol=EchoProtocol, port=port).activate()
    Start().activate()
    scheduler.run.runThreads()


def inSubprocess(runtime, mode, chunk, args):
    python = args.axon_python if runtime == "Axon" else sys.executable
    out = subprocess.run(
        [python, __file__, "--child", runtime, mode, "--clients", str(args.clients),
         "--megabytes", str(args.megabytes), "--chunk", str(chunk), "--trips", str(args.trips)],
        check=True, capture_output=True, text=True, timeout=600)
    return float(out.stdout.split()[-1])


LABELS = (("layer", "kamaelia_twisted.axon, ReactorSelector"), ("Axon", "Axon 1.14, threaded Selector"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=8, help="bulk: per client, each way")
    parser.add_argument("--chunks", default="1024,16384,65536", help="bulk: bytes per message sent")
    parser.add_argument("--trips", type=int, default=200, help="round trips per client")
    parser.add_argument("--trip-size", type=int, default=1024, help="bytes per round trip message")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--axon-python", default=sys.executable,
                        help="the Python that has Kamaelia's Axon (default: this one)")
    parser.add_argument("--child", nargs=2, metavar=("RUNTIME", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--chunk", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        runtime, mode = args.child
        child(runtime, mode, args.clients, args.megabytes, args.chunk, args.trips)
        return
    cases = [("bulk", int(size)) for size in args.chunks.split(",")] + [("trips", args.trip_size)]
    print("Kamaelia SimpleServer(EchoProtocol) + {} TCPClients at once, one process; median of {} runs"
          .format(args.clients, args.repeat))
    print("{:<34}{:<40}{:>9}{:>11}{:>11}".format("workload", "runtime", "wall s", "rate", "ours/this"))
    for mode, chunk in cases:
        runs = {runtime: [] for runtime, _ in LABELS}
        for _ in range(args.repeat):
            for runtime in runs:
                runs[runtime].append(inSubprocess(runtime, mode, chunk, args))
        if mode == "bulk":
            title = "{} MiB each way, {} B msgs".format(args.megabytes, chunk)
            amount, unit = args.clients * args.megabytes * 2, "MiB/s"
        else:
            title = "{} round trips of {} B".format(args.trips, chunk)
            amount, unit = args.clients * args.trips, "trips/s"
        ours = statistics.median(runs["layer"])
        for runtime, label in LABELS:
            median = statistics.median(runs[runtime])
            print("{:<34}{:<40}{:>9.3f}{:>11,.0f}{:>10.2f}x  {}".format(
                title, label, median, amount / median, median / ours, unit))
            title = ""


if __name__ == "__main__":
    main()
