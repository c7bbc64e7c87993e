"""
The pool's side of a L{ProcessPool} worker: L{Worker}, the handle on one
worker process, which runs L{processchild}'s loop (the standard library and
the worker's function, no Twisted) and talks to it over two pipes.

    >>> from kamaelia_twisted.chassis.processworker import workerCommand
    >>> workerCommand("zlib:crc32")[1:3]
    ['-S', '-c']
"""

import pickle
import sys
from collections import deque

from twisted.internet import error
from twisted.internet.defer import Deferred
from twisted.internet.protocol import ProcessProtocol
from twisted.logger import Logger

from ..core.notifier import Notifier
from . import processchild
from .processchild import FAILED, FROM_CHILD, HEADER, ITEM, READY, TO_CHILD, frame, frames
from .tasks import NotStarted, TaskTimedOut, WorkerCrashed

with open(processchild.__file__, encoding="utf-8") as _source:
    _CHILD_SOURCE = _source.read()


def workerCommand(functionName):
    """
    Return the command line of a worker process applying C{functionName}:
    L{processchild} run as C{__main__}, without the C{site} module (the
    pool passes its C{sys.path} as C{PYTHONPATH}).
    """
    return [sys.executable, "-S", "-c", _CHILD_SOURCE, functionName]


class _Call:
    """
    One item sent to a worker: its answer, its timeout, and its timer once started.
    """

    __slots__ = ("answer", "timeout", "timer", "started")

    def __init__(self, timeout):
        self.answer, self.timeout, self.timer, self.started = Deferred(), timeout, None, False


class Worker(ProcessProtocol):
    """
    One worker process, as the pool sees it. Several items may be sent to
    it at once, before it has even started; it works on them in turn, and
    each one's timeout runs from the moment the worker starts on it (once it
    is ready, and the one before it is answered).

    @ivar pid: the process id.
    @ivar alive: whether the process is still running.
    @ivar lost: whether the worker is unusable: it died, or is dying.
    @ivar replacement: the worker the pool started in its place, if lost.
    """

    log = Logger()

    def __init__(self, functionName, env, reactor):
        """
        Start the process.

        @param functionName: C{"package.module:function"} to apply.
        @param env: the process environment.
        @param reactor: the reactor that runs the process and the timeouts.
        """
        self._reactor = reactor
        self.alive, self.lost, self.replacement = True, False, None
        self._ready = self._killed = self._stopping = False
        self._calls = deque()
        self._received = bytearray()
        self._ended = Notifier()
        command = workerCommand(functionName)
        process = reactor.spawnProcess(self, command[0], command, env=env,
                                       childFDs={0: "w", 1: "r", 2: "r", TO_CHILD: "w", FROM_CHILD: "r"})
        self.pid = process.pid

    def __repr__(self):
        return "<Worker pid={} alive={} lost={}>".format(self.pid, self.alive, self.lost)

    def whenEnded(self):
        """
        Return a L{Deferred} that fires with L{None} once the process has ended.
        """
        return self._ended.when()

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
        if self._ready and len(self._calls) == 1:
            self._begin(call)
        if TO_CHILD in self.transport.pipes:  # not once it is dying: processEnded answers
            self.transport.writeToChild(TO_CHILD, frame(ITEM, payload))
        return call.answer

    def stop(self):
        """
        Close the process's pipe, which makes it exit once it has answered
        what it was sent; return L{whenEnded}.
        """
        if self.alive and not self._stopping:
            self._stopping = True
            self.transport.closeChildFD(TO_CHILD)
        return self.whenEnded()

    # ProcessProtocol

    def connectionMade(self):
        self.transport.closeChildFD(0)

    def childDataReceived(self, childFD, data):
        if childFD != FROM_CHILD:
            for line in data.decode("utf-8", "replace").splitlines():
                self.log.warn("worker process {pid}: {line}", pid=self.pid, line=line)
            return
        self._received += data
        used = 0
        for kind, message in frames(self._received):
            used += HEADER + len(message)
            if kind == READY:
                self._ready = True
                if self._calls:
                    self._begin(self._calls[0])
            else:
                self._answered(kind, bytes(message))
        del self._received[:used]

    def processEnded(self, reason):
        self.alive = False
        self.lost = True
        calls, self._calls = self._calls, deque()
        for call in calls:
            self._cancelTimer(call)
            call.answer.errback(self._lostError(call, reason.value))
        self._ended.fire(None)

    # Private

    def _begin(self, call):
        call.started = True
        if call.timeout is not None:
            call.timer = self._reactor.callLater(call.timeout, self._kill)

    def _cancelTimer(self, call):
        if call.timer is not None and call.timer.active():
            call.timer.cancel()

    def _answered(self, kind, data):
        call = self._calls.popleft()
        self._cancelTimer(call)
        if self._calls:
            self._begin(self._calls[0])
        try:
            result = pickle.loads(data)
        except Exception as exception:
            call.answer.errback(exception)
            return
        if kind == FAILED:
            call.answer.errback(result)
        else:
            call.answer.callback(result)

    def _lostError(self, call, reason):
        if not call.started:
            return NotStarted("worker process {} was lost before starting on the item".format(self.pid))
        if self._killed:
            return TaskTimedOut("worker process {} took longer than {} s and was killed".format(
                self.pid, call.timeout))
        return WorkerCrashed("worker process {} {} while working on the item".format(
            self.pid, _howItEnded(reason)))

    def _kill(self):
        self.lost = self._killed = True
        try:
            self.transport.signalProcess("KILL")
        except error.ProcessExitedAlready:
            pass


def _howItEnded(reason):
    signal = getattr(reason, "signal", None)
    if signal is not None:
        return "was killed by signal {}".format(signal)
    return "exited with code {}".format(getattr(reason, "exitCode", None) or 0)
