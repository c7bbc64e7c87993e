"""
Tests for L{DaskPool}, on Dask schedulers and workers started with the
C{dask} command on loopback, and on the pool's embedded cluster.
"""

import atexit
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

from twisted.internet import defer, reactor
from twisted.internet.task import deferLater
from twisted.internet.utils import getProcessOutputAndValue
from twisted.trial import unittest

from kamaelia_twisted import Component, Pipeline, shutdownMicroprocess
from kamaelia_twisted.chassis import DaskPool, SchedulerLost, TaskCancelled
from kamaelia_twisted.core.ipc import errorOccurred
from kamaelia_twisted.util import DataSource

from . import poolwork
from .test_pools import (EXAMPLES, ROOT, Script, Tap, checkBackpressure, checkFailOn, exampleEnvironment,
                         runExample, through)

DASK = os.path.join(os.path.dirname(sys.executable), "dask")


class DaskCluster:
    """
    A C{dask scheduler} and a C{dask worker} (C{workers} processes, one
    thread each) on loopback, started with the C{dask} command.

    @ivar address: the scheduler's C{tcp://127.0.0.1:PORT}.
    """

    def __init__(self, folder, workers=2):
        os.makedirs(folder, exist_ok=True)
        self.folder = folder
        schedulerFile = os.path.join(folder, "scheduler.json")
        env = exampleEnvironment()
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", schedulerFile],
            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "scheduler.log"), "wb"))
        self.worker = subprocess.Popen(
            [DASK, "worker", "--scheduler-file", schedulerFile, "--host", "127.0.0.1", "--no-dashboard",
             "--nworkers", str(workers), "--nthreads", "1", "--local-directory", folder],
            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "worker.log"), "wb"))
        deadline = time.monotonic() + 60
        while not os.path.exists(schedulerFile) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(schedulerFile) as info:
            self.address = json.load(info)["address"]
        self.workers = workers

    def whenWorkers(self):
        """
        Return a L{Deferred} that fires once all the workers have registered
        with the scheduler (the worker log says so).
        """
        log = os.path.join(self.folder, "worker.log")

        def registered():
            with open(log, "rb") as text:
                return text.read().count(b"Registered to:") >= self.workers

        def poll():
            if registered():
                return None
            return deferLater(reactor, 0.1, poll)

        return defer.maybeDeferred(poll)

    def stop(self):
        """
        Stop the workers, then the scheduler, and wait for them.
        """
        for process in (self.worker, self.scheduler):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def children():
    """
    Return the ids of this process's child processes.
    """
    def parent(pid):
        try:
            with open("/proc/{}/stat".format(pid)) as stat:
                return int(stat.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return None

    return [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and parent(pid) == os.getpid()]


class Hold(Component):
    """
    Send C{items}, then wait for a shutdown message on C{control} and pass
    it on.
    """

    def __init__(self, items, **attributes):
        Component.__init__(self, **attributes)
        self.items = items

    def main(self):
        for item in self.items:
            self.send(item)
        while True:
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


class Watch(Tap):
    """
    A L{Tap} that keeps the shutdown message it got in C{shutdown}.
    """

    shutdown = None

    def checkShutdown(self, boxname="control"):
        found = Tap.checkShutdown(self, boxname)
        self.shutdown = self.shutdown or found
        return found


def napThenPid(seconds):
    """
    Return a function sleeping C{seconds} then returning C{(item, pid)};
    a closure, so Dask sends it by value.
    """
    def nap(item):
        time.sleep(seconds)
        return item, os.getpid()
    return nap


def throughKillingOnce(pool, items):
    """
    Send C{items} through C{pool}, whose results are C{(item, pid)}, and
    SIGKILL the worker process of the first result. Return the Deferred of
    L{through}, the sink, and a list that holds the killed process's id.
    """
    killed = []

    def kill(message):
        item, pid = message
        if not killed:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    sink = Tap(kill)
    return through(pool, items, sink), sink, killed


class RunningClusterTests(unittest.TestCase):
    """
    A pool pointed at a scheduler and two workers started with C{dask}.
    """

    cluster = None

    def setUp(self):
        # One cluster for these tests (trial has no class fixtures): started
        # by the first, stopped when the test process exits.
        if RunningClusterTests.cluster is None:
            RunningClusterTests.cluster = DaskCluster(os.path.abspath("dask-shared"))
            atexit.register(RunningClusterTests.cluster.stop)
        return self.cluster.whenWorkers()

    def pool(self, function, **options):
        return DaskPool(function, address=self.cluster.address, **options)

    def test_resultsInOrder(self):
        d = through(self.pool(poolwork.square), list(range(20)))
        return d.addCallback(lambda sink: self.assertEqual(sink.collected, [n * n for n in range(20)]))

    def test_functionByName(self):
        """
        C{"module:function"} names the function; the workers import it.
        """
        d = through(self.pool("tests.poolwork:square"), [3, 4])
        return d.addCallback(lambda sink: self.assertEqual(sink.collected, [9, 16]))

    def test_addressFromEnvironment(self):
        self.patch(os, "environ", dict(os.environ, KAMAELIA_DASK_ADDRESS=self.cluster.address))
        pool = DaskPool(poolwork.square)
        self.assertEqual(pool.address, self.cluster.address)
        d = through(pool, [5])
        return d.addCallback(lambda sink: self.assertEqual(sink.collected, [25]))

    def test_exception(self):
        """
        An exception raised by the function leaves as a L{TaskFailed} with
        that exception, the worker's traceback in its notes.
        """
        return checkFailOn(self, self.pool("tests.poolwork:failOn"))

    def test_unpicklable(self):
        """
        An item or a result that does not pickle is a L{TaskFailed}, and the
        pool goes on; the items sent with it, in the same task or in the
        same message from the worker, are not affected.
        """
        unpicklable = threading.Lock()

        def check(sink):
            itemFailed, resultFailed = sink.collected[0], sink.collected[2]
            self.assertIs(itemFailed.item, unpicklable)
            self.assertIn("pickle", itemFailed.failure.getErrorMessage())
            self.assertEqual(resultFailed.item, "lock")
            self.assertIn("pickle", resultFailed.failure.getErrorMessage())
            self.assertEqual([sink.collected[1]] + sink.collected[3:], [1] + list(range(3, 11)))

        lockFor = lambda item: threading.Lock() if item == "lock" else item  # noqa: E731
        items = [unpicklable, 1, "lock"] + list(range(3, 11))
        d = through(self.pool(lockFor, size=1, queue=5), items)
        return d.addCallback(check)

    def test_completionOrder(self):
        gate = os.path.abspath(self.mktemp())  # the workers run in another folder

        def seen(message):
            if message == "second":
                open(gate, "w").close()

        sink = Tap(seen)
        items = [("wait", gate, "first"), ("go", gate, "second")]
        d = through(self.pool(poolwork.gated, ordered=False), items, sink)
        return d.addCallback(lambda _: self.assertEqual(sink.collected, ["second", "first"]))

    def test_backpressure(self):
        """
        At most C{size + queue} items are in flight; then the inbox is not
        read, and a producer waiting for room is held back.
        """
        return checkBackpressure(self, self.pool(poolwork.gated, size=2, queue=1))

    def test_shutdownCancels(self):
        """
        On L{shutdownMicroprocess} the items still outstanding are cancelled:
        they leave as L{TaskFailed} with L{TaskCancelled}, then the pool
        passes the message on.
        """
        gate = os.path.abspath(self.mktemp())  # the workers run in another folder
        self.addCleanup(lambda: open(gate, "w").close())  # frees the workers' threads
        source = Hold([("go", "-", "first")] + [("wait", gate, n) for n in range(4)])
        sink = Tap(lambda message: message == "first" and source.inboxes["control"].deliver(shutdownMicroprocess()))
        d = Pipeline(source, self.pool(poolwork.gated, size=2, queue=2), sink).activate().whenDone()

        def check(_):
            self.assertEqual(sink.collected[0], "first")
            cancelled = sink.collected[1:]
            self.assertEqual([failed.item[2] for failed in cancelled], [0, 1, 2, 3])
            for failed in cancelled:
                self.assertTrue(failed.failure.check(TaskCancelled), failed)

        return d.addCallback(check)

    def test_badArguments(self):
        for bad in ["tests.poolwork:nothing", "no.such.module:f", "square", 42]:
            self.assertRaises(ValueError, DaskPool, bad, address=self.cluster.address)
        self.assertRaises(ValueError, DaskPool, poolwork.square, address="127.0.0.1:8786")
        self.assertRaises(ValueError, DaskPool, poolwork.square, workers=0)


class FaultTests(unittest.TestCase):
    """
    Workers killed and a scheduler gone, each on a cluster of its own.
    """

    def setUp(self):
        self.cluster = DaskCluster(os.path.abspath(self.mktemp()))
        self.addCleanup(self.cluster.stop)
        return self.cluster.whenWorkers()

    def test_workerKilled(self):
        """
        A worker killed with SIGKILL while it works: Dask runs its tasks
        again elsewhere, and every result arrives in input order.
        """
        items = list(range(12))
        d, sink, killed = throughKillingOnce(DaskPool(napThenPid(0.2), address=self.cluster.address, size=2), items)

        def check(_):
            self.assertEqual([item for item, pid in sink.collected], items)
            self.assertTrue(any(pid != killed[0] for item, pid in sink.collected[1:]))
            self.assertRaises(ProcessLookupError, os.kill, killed[0], 0)

        return d.addCallback(check)

    def test_schedulerGone(self):
        """
        A scheduler that goes away fails the pool: C{signal} gets an
        L{errorOccurred} saying so, and C{whenDone()} errbacks with
        L{SchedulerLost}.
        """
        pool = DaskPool(napThenPid(0.2), address=self.cluster.address, size=2)
        sink = Watch(lambda message: self.cluster.scheduler.kill())
        graph = Pipeline(DataSource(list(range(50))), pool, sink).activate()
        d = defer.gatherResults([
            self.assertFailure(pool.whenDone(), SchedulerLost),
            self.assertFailure(graph.whenDone(), SchedulerLost),
        ])

        def check(failures):
            lost, _ = failures
            self.flushLoggedErrors(SchedulerLost)
            self.assertIn("lost the connection to the Dask scheduler at " + self.cluster.address, str(lost))
            self.assertLess(len(sink.collected), 50)
            self.assertIsInstance(sink.shutdown, errorOccurred)
            self.assertIn("lost the connection", sink.shutdown.reason)

        return d.addCallback(check)


SCRIPT = """
import os
from kamaelia_twisted import Pipeline
from kamaelia_twisted.chassis import DaskPool
from kamaelia_twisted.util import Collect, DataSource

sink = Collect()
Pipeline(DataSource([b"spam", b"eggs"]), DaskPool("zlib:crc32"), sink).run()

def parent(pid):
    try:
        with open("/proc/{}/stat".format(pid)) as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None

children = [pid for pid in os.listdir("/proc") if pid.isdigit() and parent(pid) == os.getpid()]
print(sink.collected, "children:", len(children), flush=True)
"""


class EmbeddedClusterTests(unittest.TestCase):
    """
    Without an address the pool starts a cluster of its own.
    """

    def test_embedded(self):
        """
        The pool starts a scheduler and workers, and when it ends they have
        exited.
        """
        before = set(children())
        pool = DaskPool(poolwork.square, workers=2)
        self.assertIsNone(pool.address)
        d = through(pool, list(range(10)))

        def check(sink):
            self.assertEqual(sink.collected, [n * n for n in range(10)])
            self.assertEqual(set(children()) - before, set())

        return d.addCallback(check)

    @defer.inlineCallbacks
    def test_shutdownWhileStarting(self):
        """
        A L{shutdownMicroprocess} while the embedded cluster starts stops
        the pool connecting: its items leave as L{TaskCancelled}, no client
        is made, and the cluster's processes have exited.
        """
        before = set(children())
        pool = DaskPool(poolwork.square, workers=1)
        sink = Tap(lambda message: None)
        graph = Pipeline(DataSource([1, 2]), pool, sink).activate()
        yield deferLater(reactor, 0.05, lambda: None)  # the items taken; the cluster takes seconds to start
        self.assertEqual(pool.held, 2)
        pool.inboxes["control"].deliver(shutdownMicroprocess())
        yield graph.whenDone()
        self.assertEqual([failed.item for failed in sink.collected], [1, 2])
        for failed in sink.collected:
            self.assertTrue(failed.failure.check(TaskCancelled), failed)
        self.assertTrue(pool._client.cancelled())
        self.assertEqual(set(children()) - before, set())

    def test_workerKilled(self):
        """
        The embedded cluster's workers have no nanny: the pool replaces a
        worker killed by a signal, Dask runs its tasks again, and every
        result arrives in input order.
        """
        items = list(range(6))
        d, sink, killed = throughKillingOnce(DaskPool(napThenPid(0.2), workers=1), items)

        def check(_):
            self.assertEqual([item for item, pid in sink.collected], items)
            self.assertNotEqual(sink.collected[-1][1], killed[0])

        return d.addCallback(check)

    def test_unguardedScript(self):
        """
        A script with no C{if __name__ == "__main__":} guard runs a pool
        on an embedded cluster, and no process is left behind.
        """
        env = exampleEnvironment()
        env.pop("KAMAELIA_DASK_ADDRESS", None)
        d = getProcessOutputAndValue(sys.executable, ["-c", SCRIPT], env=env, path=ROOT)

        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"[1138425661, 2207570030] children: 0\n", 0), err.decode()[-3000:])
            self.assertNotIn(b"bootstrapping phase", err)

        return d.addCallback(check)


class QuietScript(Script):
    """
    A L{Script} that keeps its standard error apart, in C{errors}.
    """

    errors = b""

    def errReceived(self, data):
        self.errors += data


class ExampleTests(unittest.TestCase):
    maxDiff = None

    def test_checksumCluster(self):
        """
        C{checksum_cluster.py FOLDER} prints each file's SHA-256 in name
        order, hashed on an embedded cluster.
        """
        folder = self.mktemp()
        os.mkdir(folder)
        contents = {"b.txt": b"eggs", "a.txt": b"spam", "c.bin": bytes(range(256)) * 100}
        for name, data in contents.items():
            with open(os.path.join(folder, name), "wb") as output:
                output.write(data)
        os.mkdir(os.path.join(folder, "sub"))
        d = getProcessOutputAndValue(sys.executable, [os.path.join(EXAMPLES, "checksum_cluster.py"), folder],
                                     env=exampleEnvironment())

        def check(result):
            out, err, code = result
            expected = "".join("{}  {}\n".format(hashlib.sha256(contents[name]).hexdigest(),
                                                 os.path.join(folder, name)) for name in sorted(contents))
            self.assertEqual((out.decode(), code), (expected, 0), err.decode()[-3000:])

        return d.addCallback(check)

    def test_checksumClusterBadArguments(self):
        """
        A folder that is not one, or a malformed scheduler address: one line
        on stderr, exit status 1, and no cluster started.
        """
        cases = [(["nowhere"], "checksum_cluster: [Errno 2] No such file or directory: 'nowhere'"),
                 ([ROOT, "--address", "garbage"], "address must be like tcp://host:8786, not 'garbage'")]

        def check(results):
            for (out, err, code), (_, reason) in zip(results, cases):
                lines = err.decode().splitlines()
                self.assertEqual((out, len(lines), code), (b"", 1, 1), lines)
                self.assertIn(reason, lines[0])

        return defer.gatherResults([runExample("checksum_cluster.py", *args) for args, _ in cases]).addCallback(check)

    @defer.inlineCallbacks
    def test_checksumClusterInterrupted(self):
        """
        Ctrl-C while the cluster starts: the example exits with status 130,
        says nothing, and no process of its cluster is left.
        """
        tmp = os.path.abspath(self.mktemp())
        os.mkdir(tmp)
        script = QuietScript()
        process = reactor.spawnProcess(
            script, sys.executable, [sys.executable, os.path.join(EXAMPLES, "checksum_cluster.py"), ROOT],
            env=dict(exampleEnvironment(), TMPDIR=tmp), childFDs={0: "w", 1: "r", 2: "r"})
        self.addCleanup(script.kill)
        while not clusterProcesses(tmp):
            yield deferLater(reactor, 0.05, lambda: None)
        process.signalProcess("INT")
        ended = yield script.ended
        self.assertEqual((ended.exitCode, script.output, script.errors.decode()), (130, b"", ""))
        self.assertEqual(clusterProcesses(tmp), [])


def clusterProcesses(folder):
    """
    Return the ids of the processes whose command line mentions C{folder}.
    """
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/{}/cmdline".format(pid), "rb") as cmdline:
                if folder.encode() in cmdline.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found
