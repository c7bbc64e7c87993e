"""
Both ends of a L{ProcessPool} worker: the AMP command that carries an item,
the protocol the worker process runs (L{PoolChild}) and the pool's handle on
one worker process (L{Worker}).

One command, L{Apply}, carries a pickled item to the worker and brings back
the pickled result, or the pickled exception with C{failed} set. AMP values
are at most 64 KiB, so pickles travel as L{Chunks}. Importing this module
imports ampoule, which installs the default reactor.

    >>> from kamaelia_twisted.chassis.processworker import Apply
    >>> [name for name, _ in Apply.arguments]
    [b'item']
"""

import os
import pickle
import sys
import traceback
from collections import deque

from ampoule.child import AMPChild
from ampoule.commands import Shutdown
from ampoule.main import BOOTSTRAP, FROM_CHILD, TO_CHILD, AMPConnector
from twisted.internet import error, reactor
from twisted.internet.defer import Deferred, succeed
from twisted.protocols import amp
from twisted.python.failure import Failure
from twisted.python.reflect import qual

from ..core.names import namedCallable
from .tasks import NotStarted, TaskTimedOut, WorkerCrashed


class Chunks(amp.Argument):
    """
    Bytes of any length, sent as a count and as many AMP values
    (C{name.0}, C{name.1}, ...) as they need.
    """

    def toBox(self, name, strings, objects, proto):
        data = objects.pop(name.decode("ascii"))
        step = amp.MAX_VALUE_LENGTH
        chunks = [data[start:start + step] for start in range(0, len(data), step)]
        strings[name] = b"%d" % len(chunks)
        for index, chunk in enumerate(chunks):
            strings[b"%s.%d" % (name, index)] = chunk

    def fromBox(self, name, strings, objects, proto):
        parts = int(strings.pop(name))
        objects[name.decode("ascii")] = b"".join(
            strings.pop(b"%s.%d" % (name, index)) for index in range(parts))


# Worker processes log warnings and worse (on stderr, which the pool logs).
_BOOTSTRAP = BOOTSTRAP.replace("defaultLogLevel=logger.LogLevel.info",
                               "defaultLogLevel=logger.LogLevel.warn")


class Ready(amp.Command):
    """
    Answered once the worker has imported its function.
    """


class Apply(amp.Command):
    """
    Apply the worker's function to a pickled item.
    """

    arguments = [(b"item", Chunks())]
    response = [(b"failed", amp.Boolean()), (b"result", Chunks())]


def dumps(value):
    """
    Pickle C{value} with the highest protocol.
    """
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def dumpError(exception):
    """
    Pickle C{exception} with this process's traceback in its notes; an
    exception that does not survive pickling is sent as a L{RuntimeError}
    naming it.
    """
    exception.add_note("in worker process {}:\n{}".format(os.getpid(), traceback.format_exc()))
    try:
        data = dumps(exception)
        pickle.loads(data)
        return data
    except Exception:
        stand_in = RuntimeError("{}: {}".format(type(exception).__name__, exception))
        stand_in.__notes__ = exception.__notes__
        return dumps(stand_in)


class PoolChild(AMPChild):
    """
    The AMP protocol a worker process runs: it answers L{Apply} with the
    result of the function it was started with.

    Items that arrive together are worked on one per reactor iteration, so
    each answer is written out before the next item starts: the pool knows
    which item a worker was on when it died or timed out.
    """

    def __init__(self, functionName):
        AMPChild.__init__(self)
        self.function = namedCallable(functionName)
        self._pending = deque()

    @Ready.responder
    def ready(self):
        return {}

    @Apply.responder
    def applyFunction(self, item):
        answer = Deferred()
        self._pending.append((item, answer))
        if len(self._pending) == 1:
            reactor.callLater(0, self._workOnNext)
        return answer

    def _workOnNext(self):
        item, answer = self._pending.popleft()
        try:
            outcome = {"failed": False, "result": dumps(self.function(pickle.loads(item)))}
        except Exception as exception:
            outcome = {"failed": True, "result": dumpError(exception)}
        answer.callback(outcome)
        if self._pending:
            reactor.callLater(0, self._workOnNext)


class _Connector(AMPConnector):
    """
    ampoule's connector to a worker process, except that writing once the
    pipe to the process has closed (it is dying) sends nothing, as Twisted's
    transports do after a close, instead of raising C{KeyError}: a command
    sent then fails when the process ends, as the ones before it do.
    """

    def write(self, data):
        if TO_CHILD in self.transport.pipes:
            AMPConnector.write(self, data)


class _Call:
    """
    One item sent to a worker: its timeout, and its timer once started.
    """

    __slots__ = ("timeout", "timer", "started")

    def __init__(self, timeout):
        self.timeout, self.timer, self.started = timeout, None, False


class Worker:
    """
    One worker process, as the pool sees it. Several items may be sent to
    it at once; it works on them in turn, and each one's timeout runs from
    the moment the worker starts on it (when the one before it is answered).

    @ivar pid: the process id.
    @ivar alive: whether the process is still running.
    @ivar lost: whether the worker is unusable: it died, or is dying.
    @ivar replacement: the worker the pool started in its place, if lost.
    """

    def __init__(self, functionName, env, reactor):
        """
        Start the process.

        @param functionName: C{"package.module:function"} to apply.
        @param env: the process environment.
        @param reactor: the reactor that runs the process and the timeouts.
        """
        self._reactor = reactor
        self._connector = _Connector(amp.AMP())
        args = (sys.executable, "-c", _BOOTSTRAP, functionName, "select", qual(PoolChild))
        process = reactor.spawnProcess(
            self._connector, sys.executable, args, env=env,
            childFDs={0: "w", 1: "r", 2: "r", TO_CHILD: "w", FROM_CHILD: "r"})
        self.pid = process.pid
        self.alive, self.lost, self.replacement = True, False, None
        self._ready = False
        self._killed = self._stopping = False
        self._calls = deque()
        self._readyWaiters, self._endWaiters = [], []
        self._connector.finished.addBoth(self._ended)
        self._connector.amp.callRemote(Ready).addBoth(self._started)

    def __repr__(self):
        return "<Worker pid={} alive={} lost={}>".format(self.pid, self.alive, self.lost)

    def whenReady(self):
        """
        Return a L{Deferred} that fires with this worker once it has
        answered a first command, or has been lost trying.
        """
        if self._ready or self.lost:
            return succeed(self)
        d = Deferred()
        self._readyWaiters.append(d)
        return d

    def whenEnded(self):
        """
        Return a L{Deferred} that fires with L{None} once the process has ended.
        """
        if not self.alive:
            return succeed(None)
        d = Deferred()
        self._endWaiters.append(d)
        return d

    def apply(self, payload, timeout):
        """
        Send a pickled item; return a L{Deferred} of the function's result.

        It errbacks with the function's exception, with L{TaskTimedOut} if
        the worker was killed after C{timeout} seconds on it, with
        L{WorkerCrashed} if the process ended while on it, or with
        L{NotStarted} if the process ended before it started on it.
        """
        call = _Call(timeout)
        self._calls.append(call)
        if len(self._calls) == 1:
            self._begin(call)
        d = self._connector.amp.callRemote(Apply, item=payload)
        return d.addBoth(self._answered, call)

    def stop(self):
        """
        Ask the process to exit; return L{whenEnded}.
        """
        if self.alive and not self._stopping:
            self._stopping = True
            self._connector.amp.callRemote(Shutdown).addErrback(lambda _: None)
        return self.whenEnded()

    def _begin(self, call):
        call.started = True
        if call.timeout is not None:
            call.timer = self._reactor.callLater(call.timeout, self._kill)

    def _answered(self, answer, call):
        self._calls.remove(call)
        if call.timer is not None and call.timer.active():
            call.timer.cancel()
        lostWorker = isinstance(answer, Failure) and answer.check(
            error.ProcessDone, error.ProcessTerminated, error.ConnectionDone, error.ConnectionLost)
        if lostWorker:
            self.lost = True
        elif self._calls and not self._calls[0].started:
            self._begin(self._calls[0])
        if not isinstance(answer, Failure):
            result = pickle.loads(answer["result"])
            if answer["failed"]:
                raise result
            return result
        if not lostWorker:
            return answer
        if not call.started:
            raise NotStarted("worker process {} was lost before starting on the item".format(self.pid))
        if self._killed:
            raise TaskTimedOut("worker process {} took longer than {} s and was killed".format(
                self.pid, call.timeout))
        raise WorkerCrashed("worker process {} {} while working on the item".format(
            self.pid, _howItEnded(answer.value)))

    def _started(self, answer):
        self._ready = True
        if isinstance(answer, Failure):
            self.lost = True
        waiters, self._readyWaiters = self._readyWaiters, []
        for d in waiters:
            d.callback(self)

    def _kill(self):
        self._killed = True
        try:
            self._connector.transport.signalProcess("KILL")
        except error.ProcessExitedAlready:
            pass

    def _ended(self, _):
        self.alive = False
        self.lost = True
        waiters, self._endWaiters = self._endWaiters, []
        for d in waiters:
            d.callback(None)


def _howItEnded(reason):
    signal = getattr(reason, "signal", None)
    if signal is not None:
        return "was killed by signal {}".format(signal)
    return "exited with code {}".format(getattr(reason, "exitCode", None) or 0)
