"""
The scheduler: steps runnable components from the Twisted reactor.

It has no thread and no timer of its own. When a component becomes runnable
the scheduler asks the reactor for one C{callLater(0)}; each call steps
runnable components for at most L{Scheduler.sliceSeconds} and, if any are
still runnable, asks for another, so I/O and timers run between slices. With
nothing runnable it asks for nothing, and the process sleeps in the reactor.
Data received can be handled in the reactor turn it arrives in
(L{Scheduler.deliverNow}, L{Scheduler.runNow}).
Each reactor has one, in its L{Runtime<kamaelia_twisted.core.runtime.Runtime>}.

    >>> from kamaelia_twisted.core.scheduler import Scheduler
    >>> from twisted.internet.task import Clock
    >>> Scheduler(Clock()).runnable
    0
"""

import weakref
from collections import deque
from time import perf_counter


class Scheduler:
    """
    Runs components' generators in slices between reactor iterations.

    @cvar sliceSeconds: longest time a slice runs before yielding to the
        reactor. It is longer than Python's GIL switch interval
        (C{sys.getswitchinterval()}, 5 ms): with a shorter slice, the reactor
        thread gives up the GIL only between slices, in a way that never lets
        a waiting thread take it, so one component that never sleeps starves
        every thread (threaded components, Twisted's resolver and thread pool).
    """

    sliceSeconds = 0.01

    def __init__(self, reactor):
        """
        @param reactor: the reactor to run on, held weakly (its components
            hold it).
        """
        self._reactor = weakref.ref(reactor)
        self._queue = deque()
        self._call = None
        self._running = False
        self._immediateLeft = self.sliceSeconds

    @property
    def reactor(self):
        """
        The reactor this scheduler runs on.
        """
        return self._reactor()

    @property
    def runnable(self):
        """
        The number of components waiting for a step.
        """
        return len(self._queue)

    def schedule(self, component):
        """
        Queue C{component} for a step in the next slice.
        """
        self._queue.append(component)
        if self._call is None and not self._running:  # a running slice asks when it ends
            self._call = self.reactor.callLater(0, self._runSlice)

    def runNow(self):
        """
        Run a slice now rather than in the reactor's next turn: for an I/O
        callback that has just woken components (data received), so that
        they handle it in the turn it arrived, as a protocol's
        C{dataReceived} would. Inside a slice it does nothing.

        While components stay runnable, such slices run for at most
        L{sliceSeconds} in all between two of the reactor's turns, so a
        component that never sleeps delays timers and I/O by at most two
        slices.
        """
        if self._running or not self._queue:
            return
        if self._immediateLeft <= 0:
            self._askIfRunnable()
            return
        elapsed = self._run(self._immediateLeft)
        # Once nobody waits to run, no one is kept waiting by such slices.
        self._immediateLeft = self._immediateLeft - elapsed if self._queue else self.sliceSeconds

    def deliverNow(self, deliver, *args):
        """
        Call C{deliver(*args)}, an I/O callback's delivery of data received
        that may wake components, then L{runNow}: what it wakes runs at once,
        and the reactor is asked for a slice only if some are left to run.
        """
        if self._running:
            deliver(*args)
            return
        self._running = True  # what it wakes runs below: schedule() asks the reactor for nothing
        try:
            deliver(*args)
        except BaseException:
            self._running = False
            self._askIfRunnable()
            raise
        self._running = False
        self.runNow()

    def _askIfRunnable(self):
        if self._queue and self._call is None:
            self._call = self.reactor.callLater(0, self._runSlice)

    def _runSlice(self):
        self._call = None
        self._immediateLeft = self.sliceSeconds  # a new turn of the reactor
        self._run(self.sliceSeconds)

    def _run(self, seconds):
        """
        Step runnable components, in turn, for about C{seconds}; return the
        seconds taken.
        """
        queue = self._queue
        start = perf_counter()
        deadline = start + seconds
        self._running = True
        try:
            while queue:
                queue.popleft()._step()
                if perf_counter() > deadline:
                    break
        finally:
            self._running = False
            if not queue and self._call is not None:
                self._call.cancel()
                self._call = None
            self._askIfRunnable()
        return perf_counter() - start
