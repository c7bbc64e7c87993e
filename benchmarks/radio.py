"""
A radio station with many listeners: the same Ogg Vorbis file served live
(at its bitrate, looping) to N concurrent loopback HTTP listeners by
kamaelia_twisted's station (C{twistd -n kamaelia radio --loop}) and by
icecast2 fed by C{ffmpeg -re}, one after the other in one run.

For each server, in its own process: CPU seconds (user + system, from
/proc) used over C{--seconds} of wall time with all listeners connected,
and the growth of its resident memory from before the listeners connected,
both per listener. The listeners run in this process (plain sockets,
HTTP/1.0, counting bytes). The ffmpeg feeding Icecast is not counted (our
station reads its file itself). Each figure is the median of C{--repeat}
rounds (ours, then Icecast, in each); the load average is printed before
and after.

    python benchmarks/radio.py [--listeners 500] [--seconds 20] [--repeat 3] [file.ogg]
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from twisted.internet import defer, reactor, task
from twisted.internet.endpoints import TCP4ClientEndpoint
from twisted.internet.protocol import Factory, Protocol

from kamaelia_twisted.media import SAMPLE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS = os.sysconf("SC_CLK_TCK")
ICECAST_CONFIG = """<icecast>
  <limits><clients>{clients}</clients><sources>2</sources></limits>
  <authentication><source-password>hackme</source-password>
    <admin-user>admin</admin-user><admin-password>hackme</admin-password></authentication>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>0</fileserve>
  <paths><basedir>{folder}</basedir><logdir>{folder}</logdir><webroot>{folder}</webroot>
    <adminroot>{folder}</adminroot></paths>
  <logging><errorlog>-</errorlog><loglevel>1</loglevel></logging>
  <security><chroot>0</chroot><changeowner><user>nobody</user><group>nogroup</group></changeowner></security>
</icecast>
"""


def cpuSeconds(pid):
    """User + system CPU seconds of process C{pid}."""
    with open("/proc/{}/stat".format(pid)) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rssBytes(pid):
    with open("/proc/{}/status".format(pid)) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Listener(Protocol):
    received = 0

    def __init__(self, path):
        self.path = path

    def connectionMade(self):
        self.transport.write(b"GET " + self.path + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")

    def dataReceived(self, data):
        self.received += len(data)


def freePort():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def waitForPort(port, deadline=20):
    import socket

    end = time.time() + deadline
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nothing listens on port {}".format(port))


def startOurs(path, port):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    process = subprocess.Popen(
        [sys.executable, "-c", "from twisted.scripts.twistd import run; run()", "-n", "--pidfile=",
         "--logfile=/dev/null", "kamaelia", "radio", "--file", path, "--loop",
         "--http", "tcp:{}:interface=127.0.0.1".format(port)], env=env, cwd=ROOT)
    waitForPort(port)
    return process, [], b"/stream.ogg"


def startIcecast(path, port, clients, folder):
    config = os.path.join(folder, "icecast.xml")
    with open(config, "w") as f:
        f.write(ICECAST_CONFIG.format(port=port, folder=folder, clients=clients + 10))
    icecast = subprocess.Popen(["icecast2", "-c", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    waitForPort(port)
    time.sleep(1)
    feeder = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", path, "-c", "copy",
         "-content_type", "audio/ogg", "-f", "ogg", "icecast://source:hackme@127.0.0.1:{}/radio.ogg".format(port)])
    time.sleep(2)
    return icecast, [feeder], b"/radio.ogg"


@defer.inlineCallbacks
def measure(pid, port, path, listeners, seconds):
    """
    Connect C{listeners}, let them settle, then measure the server for C{seconds}.

    @return: (CPU seconds, RSS growth in bytes, bytes received per listener per second, connected).
    """
    rssBefore = rssBytes(pid)
    endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", port)
    protocols = []
    for _ in range(listeners):
        protocol = Listener(path)
        yield endpoint.connect(Factory.forProtocol(lambda protocol=protocol: protocol))
        protocols.append(protocol)
    yield task.deferLater(reactor, 3)
    cpu0, received0, start = cpuSeconds(pid), sum(p.received for p in protocols), time.time()
    yield task.deferLater(reactor, seconds)
    cpu1, received1, elapsed = cpuSeconds(pid), sum(p.received for p in protocols), time.time() - start
    growth = rssBytes(pid) - rssBefore
    connected = sum(1 for p in protocols if p.transport.connected)
    for protocol in protocols:
        protocol.transport.abortConnection()
    yield task.deferLater(reactor, 0.5)
    return cpu1 - cpu0, growth, (received1 - received0) / listeners / elapsed, connected


SERVERS = ["kamaelia_twisted radio", "icecast2 (fed by ffmpeg -re)"]


@defer.inlineCallbacks
def measureServer(name, args, folder):
    """Start the server C{name}, measure it under the listeners' load, stop it."""
    port = freePort()
    if name.startswith("icecast2"):
        server, helpers, path = startIcecast(args.file, port, args.listeners, folder)
    else:
        server, helpers, path = startOurs(args.file, port)
    try:
        return (yield measure(server.pid, port, path, args.listeners, args.seconds))
    finally:
        for process in helpers + [server]:
            process.terminate()
            process.wait()


@defer.inlineCallbacks
def main(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.listeners + 100)), hard))
    servers = SERVERS
    if not (shutil.which("icecast2") and shutil.which("ffmpeg")):
        print("icecast2 or ffmpeg is not installed: skipped")
        servers = SERVERS[:1]
    rounds = []
    load = [os.getloadavg()[0]]
    folder = tempfile.mkdtemp(prefix="kamaelia-radio-bench-")
    os.chmod(folder, 0o777)
    try:
        for _ in range(args.repeat):
            results = []
            for name in servers:
                results.append((yield measureServer(name, args, folder)))
            rounds.append(results)
    finally:
        shutil.rmtree(folder, True)
    load.append(os.getloadavg()[0])
    print()
    print("{:,} loopback listeners, {} s measured, {}; median of {} rounds; load average {:.2f} before, {:.2f} after"
          .format(args.listeners, args.seconds, os.path.basename(args.file), args.repeat, *load))
    print("{:<30} {:>9} {:>14} {:>14} {:>12} {:>10}".format(
        "server", "CPU s", "CPU ms/listnr", "RSS KB/listnr", "B/s/listnr", "connected"))
    for index, name in enumerate(servers):
        cpu, growth, rate, connected = (statistics.median(result[index][field] for result in rounds)
                                        for field in range(4))
        print("{:<30} {:>9.3f} {:>14.3f} {:>14.1f} {:>12,.0f} {:>10}".format(
            name, cpu, 1000 * cpu / args.listeners, growth / 1024 / args.listeners, rate, int(connected)))
    if len(servers) == 2:
        ratios = [ours[0] / max(icecast[0], 1e-9) for ours, icecast in rounds]
        print("CPU per listener, ours / icecast2: {:.2f}x (rounds: {})".format(
            statistics.median(ratios), ", ".join("{:.2f}x".format(ratio) for ratio in ratios)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=SAMPLE)
    parser.add_argument("--listeners", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    task.react(lambda _: main(parser.parse_args()))
