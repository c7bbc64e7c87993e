"""
The scheduler: steps runnable components from the Twisted reactor.

It has no thread and no timer of its own. When a component becomes runnable
the scheduler asks the reactor for one C{callLater(0)}; each call steps
runnable components for at most L{Scheduler.sliceSeconds} and, if any are
still runnable, asks for another, so I/O and timers run between slices. With
nothing runnable it asks for nothing, and the process sleeps in the reactor.
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
        if self._call is None:
            self._call = self.reactor.callLater(0, self._runSlice)

    def _runSlice(self):
        self._call = None
        queue = self._queue
        deadline = perf_counter() + self.sliceSeconds
        try:
            while queue:
                queue.popleft()._step()
                if perf_counter() > deadline:
                    break
        finally:
            if queue and self._call is None:
                self._call = self.reactor.callLater(0, self._runSlice)
