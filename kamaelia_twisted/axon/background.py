"""
C{background}: run the scheduler (the reactor) in a thread of its own, so
that ordinary code drives components through L{Handle<kamaelia_twisted.axon.Handle.Handle>}s
(see there for an example). C{start()} returns once the reactor runs; the
thread ends when every microprocess has ended, after the first one.
"""

import threading

from .CoordinatingAssistantTracker import coordinatingassistanttracker
from .Scheduler import scheduler

__all__ = ["background"]


class background(threading.Thread):
    """
    A daemon thread running C{scheduler.run.runThreads()}; one at a time.

    @param zap: start from a new scheduler and an empty tracker.
    """

    lock = threading.Lock()

    def __init__(self, slowmo=0, zap=False):
        if not background.lock.acquire(False):
            raise RuntimeError("only one scheduler for now can be run!")
        threading.Thread.__init__(self, daemon=True)
        self.slowmo, self.zap = slowmo, zap
        self._running = threading.Event()

    def start(self):
        """
        Start the thread and return once the reactor runs in it.
        """
        threading.Thread.start(self)
        self._running.wait()

    def run(self):
        if self.zap:
            scheduler.run = scheduler()
            coordinatingassistanttracker.getcat().zap()
        try:
            scheduler.run.waitForOne()
            scheduler.run.reactor.callWhenRunning(self._running.set)
            scheduler.run.runThreads(slowmo=self.slowmo)
        finally:
            self._running.set()
            background.lock.release()
