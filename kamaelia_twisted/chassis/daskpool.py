"""
L{DaskPool}: apply a function to each item on a U{Dask<https://distributed.dask.org>}
cluster, a running one or one the pool starts for itself::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.chassis import DaskPool
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(DataSource([b"spam", b"eggs"]), DaskPool("zlib:crc32", workers=1), sink).run()
    assert sink.collected == [1138425661, 2207570030]

With C{address="tcp://host:8786"} (or C{KAMAELIA_DASK_ADDRESS} in the
environment) the pool is a client of that scheduler. Without one it starts
its own cluster on loopback for its lifetime: a C{dask scheduler} and
C{workers} C{dask worker} processes of one thread, without Dask's nanny
processes (the pool replaces a worker killed by a signal), run as commands
(C{python -m distributed.cli...}), started and stopped with the reactor's
C{spawnProcess}, so a script needs no C{if __name__ == "__main__":} guard
(Dask's C{LocalCluster} would start its workers with multiprocessing's
spawn, which needs one). When the pool ends, or the reactor shuts down
first, the cluster is stopped and waited for.

The function is a callable (Dask pickles it with cloudpickle: a module-level
function travels by name, a lambda by value) or C{"package.module:function"}.
Workers must be able to import what it names; the embedded cluster gets this
process's C{sys.path} as C{PYTHONPATH}. Items and results must pickle.

Results leave in input order (completion order with C{ordered=False}); an
exception raised by the function leaves as a L{TaskFailed} carrying it, with
the worker's traceback in its notes. Dask reruns the tasks of a worker that
died on another one. At most C{size + queue} items are submitted at once;
then the pool stops reading its inbox (L{TaskPool}'s backpressure). On
L{shutdownMicroprocess} the items still outstanding are cancelled on the
cluster and leave as L{TaskFailed} with L{TaskCancelled}. A scheduler that
goes away (or an embedded cluster process that exits) fails the pool with
L{SchedulerLost}: an L{errorOccurred} on C{signal}, and C{whenDone()}
errbacks.

The bridge: Dask's asynchronous client runs on an asyncio loop in a thread
of the pool's own. Each call is a coroutine handed to that loop
(C{run_coroutine_threadsafe}) whose outcome comes back to the reactor
thread with C{callFromThread} as a L{Deferred}. The reactor never waits on
Dask, one thread serves any number of outstanding items (C{deferToThread}
would hold a thread per item waiting on its result), and Twisted's
asyncioreactor is not needed, so the pool runs on the default reactor.
C{distributed} is imported only when the pool starts.
"""

import asyncio
import os
import re
import shutil
import sys
import tempfile
import threading
import traceback

from twisted.internet.defer import CancelledError, Deferred, DeferredList, succeed
from twisted.internet.protocol import ProcessProtocol
from twisted.logger import Logger
from twisted.python.failure import Failure

from ..core.ipc import shutdownMicroprocess
from ..core.names import namedCallable, requireCallable
from . import processchild
from .processchild import FAILED, applyEach, dumps, loads
from .processpool import childEnvironment
from .taskpool import TaskFailed, TaskPool

__all__ = ["DaskPool", "SchedulerLost", "TaskCancelled"]

GROUPS_PER_WORKER = 2
"""
Items taken from the inbox together (as results free room) travel in one
Dask task, L{processchild.applyEach}, in as many groups as it takes to give
each of the C{size} workers two (the one it works on and the next), counting
those already out. Each task costs the scheduler, the worker and the client
a few milliseconds of CPU, which groups share; two items that arrive
together with a worker free go out separately.
"""

ADDRESS_VARIABLE = "KAMAELIA_DASK_ADDRESS"

STOP_GRACE = 10
"""
Seconds an embedded cluster process has to exit after SIGTERM before it is
killed.
"""


class SchedulerLost(Exception):
    """
    The pool could not reach its Dask scheduler, lost it, or its embedded
    cluster stopped.
    """


class TaskCancelled(Exception):
    """
    The item's task was cancelled on the cluster before it finished (the
    pool was shut down with L{shutdownMicroprocess}).
    """


class LoopThread:
    """
    An asyncio loop running in a thread of its own, whose coroutines'
    outcomes come back to the reactor thread as L{Deferred}s.
    """

    _log = Logger()

    def __init__(self, reactor, name):
        self._reactor = reactor
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(self._unhandled)
        self._stopped = Deferred()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def call(self, coroutine):
        """
        Run C{coroutine} on the loop; return a L{Deferred} of its result.
        """
        d = Deferred()
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        future.add_done_callback(lambda future: self._reactor.callFromThread(_settle, d, future))
        return d

    def stop(self):
        """
        Cancel what still runs on the loop and end the thread; return a
        L{Deferred} that fires once it has ended.
        """
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
        return self._stopped

    def _unhandled(self, loop, context):
        # Dask leaves some of its futures unretrieved when a client stops
        # while connecting: worth a debug line, not a traceback on stderr.
        self._log.debug("{name}: {message}", name=self._thread.name, message=context.get("message"))

    def _serve(self):
        loop = self.loop
        asyncio.set_event_loop(loop)
        loop.run_forever()
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.close()
        self._reactor.callFromThread(self._ended)

    def _ended(self):
        self._thread.join()
        self._stopped.callback(None)


def _settle(d, future):
    if future.cancelled():  # the loop stopped first
        d.errback(CancelledError())
        return
    error = future.exception()
    if error is None:
        d.callback(future.result())
    else:
        d.errback(Failure(error))


class ClusterProcess(ProcessProtocol):
    """
    A process of an embedded cluster: keeps the end of its output, tells
    C{onExit(process, reason)} when it exits unasked.
    """

    def __init__(self, name, onExit):
        self.name, self._onExit = name, onExit
        self.output = b""
        self.ended = Deferred()
        self.stopping = False

    def outReceived(self, data):
        self.output = (self.output + data)[-4000:]

    errReceived = outReceived

    def processEnded(self, reason):
        self.ended.callback(None)
        if not self.stopping:
            self._onExit(self, reason)

    def stop(self, reactor):
        """
        SIGTERM the process, SIGKILL it after L{STOP_GRACE} seconds; return
        a L{Deferred} that fires once it has exited.
        """
        self.stopping = True
        if self.ended.called:
            return succeed(None)
        self.transport.signalProcess("TERM")
        killer = reactor.callLater(STOP_GRACE, self.transport.signalProcess, "KILL")
        return self.ended.addCallback(lambda _: killer.active() and killer.cancel())

    def lastLines(self):
        lines = self.output.decode("utf-8", "replace").strip().splitlines()
        return "\n".join(lines[-5:])


CLUSTER_CONFIG = {
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "5s",
    "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "1s",
    "DASK_DISTRIBUTED__SCHEDULER__WORK_STEALING": "False",
}
"""
Dask settings for the embedded cluster's processes (unless the environment
sets them): no statistical profiling of the workers (a stack sample every
10 ms), and the event loop, system and memory checks a few times a second
rather than 50, 2 and 10; no work stealing between workers that take one
task at a time. Idle, the cluster then takes about 1% of a core instead
of 10%.
"""


class EmbeddedCluster:
    """
    A C{dask scheduler} and C{workers} C{dask worker} processes with one
    thread each and no nanny, on loopback, sharing a scheduler file in a
    temporary folder. The cluster is the workers' nanny: a worker killed by
    a signal is replaced (Dask runs its tasks again); one that exits by
    itself, like the scheduler, is reported to C{onExit(process, reason)}.
    """

    def __init__(self, reactor, workers, onExit):
        self._reactor = reactor
        self._onExit = onExit
        self.folder = tempfile.mkdtemp(prefix="kamaelia-dask-")
        self.schedulerFile = os.path.join(self.folder, "scheduler.json")
        self._env = childEnvironment()
        for name, value in CLUSTER_CONFIG.items():
            self._env.setdefault(name, value)
        self.scheduler = self._spawn("dask scheduler", "dask_scheduler", onExit, [
            "--host", "127.0.0.1", "--port", "0", "--no-dashboard"])
        self.workers = [self._startWorker() for _ in range(workers)]

    def _spawn(self, name, module, onExit, arguments):
        process = ClusterProcess(name, onExit)
        command = [sys.executable, "-m", "distributed.cli." + module, "--scheduler-file", self.schedulerFile]
        self._reactor.spawnProcess(process, sys.executable, command + arguments, env=self._env, path=self.folder)
        return process

    def _startWorker(self):
        return self._spawn("dask worker", "dask_worker", self._workerExited, [
            "--host", "127.0.0.1", "--no-dashboard", "--no-nanny", "--nthreads", "1",
            "--local-directory", self.folder, "--death-timeout", "30"])

    def _workerExited(self, process, reason):
        if getattr(reason.value, "signal", None) is None:
            self._onExit(process, reason)
            return
        self.workers[self.workers.index(process)] = self._startWorker()

    def stop(self):
        """
        Stop the workers, then the scheduler (the workers take seconds to
        exit once it has gone), then remove the folder; return a L{Deferred}.
        """
        stopped = DeferredList([worker.stop(self._reactor) for worker in self.workers])
        stopped.addCallback(lambda _: self.scheduler.stop(self._reactor))
        return stopped.addCallback(lambda _: shutil.rmtree(self.folder, ignore_errors=True))


def daskFunction(function):
    """
    Return the callable C{function} is or names (C{"package.module:function"}).

    @raise ValueError: for a name that does not import, or something not callable.
    """
    if isinstance(function, str):
        return namedCallable(function)
    return requireCallable(repr(function), function)


class DaskPool(TaskPool):
    """
    Apply a function to each item on a Dask cluster.

    @ivar address: the scheduler's address, or L{None} for an embedded cluster.
    @ivar workers: the embedded cluster's worker processes.
    """

    def __init__(self, function, address=None, size=None, queue=None, ordered=True, workers=2,
                 reactor=None, **attributes):
        """
        @param function: a callable taking one item, or C{"package.module:function"}.
        @param address: the scheduler, C{"tcp://host:8786"}; by default
            C{$KAMAELIA_DASK_ADDRESS}, and without it an embedded cluster.
        @param size: items the cluster works on at once (default: C{workers}).
        @param queue: items submitted beyond C{size} (default: C{15 * size},
            so that items can travel in eights; see L{GROUPS_PER_WORKER}).
        @param ordered: results in input order (C{False}: completion order).
        @param workers: worker processes of the embedded cluster (one thread each).
        @param reactor: the reactor.
        """
        if not isinstance(workers, int) or workers < 1:
            raise ValueError("DaskPool: workers must be a positive int, not {!r}".format(workers))
        size = workers if size is None else size
        if queue is None and isinstance(size, int):
            queue = 15 * size
        TaskPool.__init__(self, size, queue, ordered, reactor, **attributes)
        self.function = daskFunction(function)
        self.address = address or os.environ.get(ADDRESS_VARIABLE) or None
        if self.address is not None and not re.match(r"^[a-z]+://", self.address):
            raise ValueError("{}: address must be like tcp://host:8786, not {!r}".format(self.name, self.address))
        self.workers = workers
        self._lost = None
        self._cancelling = False
        self._futures = set()
        self._stopped = None
        self._batch = []
        self._groups = 0

    def _startWorkers(self):
        self._cluster = None
        if self.address is None:
            self._cluster = EmbeddedCluster(self.reactor, self.workers, self._clusterExited)
        self._bridge = LoopThread(self.reactor, self.name + " dask client")
        self._bridge.call(self._connect()).addErrback(self._fatal)
        self._shutdownTrigger = self.reactor.addSystemEventTrigger("before", "shutdown", self._stopAll)

    def _stopWorkers(self):
        self.reactor.removeSystemEventTrigger(self._shutdownTrigger)
        return self._stopAll()

    def _stopAll(self):
        if self._stopped is None:
            self._stopped = self._bridge.call(self._close())
            self._stopped.addErrback(lambda failure: self.log.failure(
                "{name}: closing the Dask client failed", failure, name=self.name))
            self._stopped.addCallback(lambda _: self._bridge.stop())
            if self._cluster is not None:
                self._stopped.addCallback(lambda _: self._cluster.stop())
        return self._stopped

    def _where(self):
        if self._cluster is None:
            return "the Dask scheduler at {}".format(self.address)
        return "the embedded Dask scheduler"

    # On the asyncio loop

    async def _connect(self):
        self._client = asyncio.ensure_future(self._makeClient())
        try:
            await self._client
        except asyncio.CancelledError:
            pass  # shut down while connecting (_cancelOutstanding)

    async def _connected(self):
        """
        Return the client once it has connected.

        @raise TaskCancelled: if the pool was shut down while it connected.
        """
        try:
            return await self._client
        except asyncio.CancelledError:
            raise TaskCancelled("{}: shut down while connecting to {}".format(self.name, self._where())) from None

    async def _makeClient(self):
        import cloudpickle
        from distributed import Client

        # The task travels by value: workers need not have this package.
        cloudpickle.register_pickle_by_value(processchild)

        if self._cluster is None:
            where = {"address": self.address}
        else:
            where = {"scheduler_file": self._cluster.schedulerFile}
        try:
            return await Client(asynchronous=True, set_as_default=False, **where)
        except Exception as error:
            raise SchedulerLost("{}: cannot connect to {}: {}: {}".format(
                self.name, self._where(), type(error).__name__, error)) from None

    async def _close(self):
        try:
            client = await self._client
        except (SchedulerLost, asyncio.CancelledError):
            return
        await asyncio.wait_for(client.close(), STOP_GRACE)

    async def _apply(self, payloads):
        from distributed.client import FutureCancelledError

        client = await self._connected()
        if self._cancelling:
            raise TaskCancelled("{}: shut down before the item was submitted".format(self.name))
        if client.status != "running":
            raise SchedulerLost("{}: lost {} (client {})".format(self.name, self._where(), client.status))
        future = client.submit(applyEach, self.function, payloads, pure=False)
        self._futures.add(future)
        try:
            return await future
        except FutureCancelledError as cancelled:
            if cancelled.reason == "scheduler-connection-lost":
                raise SchedulerLost("{}: lost the connection to {}".format(self.name, self._where())) from None
            why = "the pool was shut down" if self._cancelling else cancelled.reason
            raise TaskCancelled("{}: cancelled on the cluster: {}".format(self.name, why)) from None
        except Exception as error:
            remote = "".join(traceback.format_tb(await future.traceback()))
            error.add_note("in a Dask worker:\n{}{}: {}".format(remote, type(error).__name__, error))
            raise
        finally:
            self._futures.discard(future)

    async def _cancelOutstanding(self):
        if not self._client.done():
            self._client.cancel()  # still connecting: no need to wait for the cluster
            return
        client = await self._client
        if self._futures:
            await client.cancel(list(self._futures), reason="pool-shutdown", msg="the pool was shut down")

    # In the reactor thread

    def _run(self, item):
        answer = Deferred()
        self._batch.append((dumps(item), answer))  # an item that does not pickle fails here, alone
        return answer

    def _take(self):
        TaskPool._take(self)
        batch, self._batch = self._batch, []
        if not batch:
            return
        groups = min(len(batch), max(1, GROUPS_PER_WORKER * self.size - self._groups))
        step = -(-len(batch) // groups)
        for start in range(0, len(batch), step):
            group = batch[start:start + step]
            self._groups += 1
            d = self._bridge.call(self._apply([payload for payload, _ in group]))
            d.addBoth(self._groupDone, [answer for _, answer in group])

    def _groupDone(self, outcomes, answers):
        self._groups -= 1
        if isinstance(outcomes, Failure):
            if outcomes.check(SchedulerLost):
                self._fatal(outcomes)  # the pool fails: these items get no result
                return
            for answer in answers:
                answer.errback(outcomes)
            return
        for answer, (kind, data) in zip(answers, outcomes):
            try:
                value = loads(data)
            except Exception:
                answer.errback()
                continue
            (answer.errback if kind == FAILED else answer.callback)(value)

    def _failed(self, failure, item):
        if failure.check(TaskCancelled, CancelledError):  # asked for: not worth a warning
            return [TaskFailed(item, failure)]
        return TaskPool._failed(self, failure, item)

    def _fatal(self, failure):
        if self._lost is None:
            self._lost = failure
            self.unpause()

    def _clusterExited(self, process, reason):
        self._fatal(Failure(SchedulerLost("{}: the embedded {} exited ({}):\n{}".format(
            self.name, process.name, reason.getErrorMessage(), process.lastLines()))))

    def checkShutdown(self, boxname="control"):
        """
        As L{TaskPool}'s, and on L{shutdownMicroprocess} cancel the items
        still outstanding on the cluster.
        """
        stop = TaskPool.checkShutdown(self, boxname)
        if isinstance(stop, shutdownMicroprocess) and not self._cancelling:
            self._cancelling = True
            self._bridge.call(self._cancelOutstanding()).addErrback(self._fatal)
        return stop

    def _serve(self):
        serving = TaskPool._serve(self)
        while self._lost is None:
            try:
                step = next(serving)
            except StopIteration as done:
                return done.value
            yield step
        serving.close()
        self._lost.raiseException()
