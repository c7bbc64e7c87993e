"""
Axon's scheduler, as a front for the reactor: C{scheduler.run} is the
program's scheduler; it tracks the microprocesses activated through it, and
C{scheduler.run.runThreads()} runs the reactor until every one has ended.
The stepping itself is the core's L{Scheduler<kamaelia_twisted.core.scheduler.Scheduler>}.
For example::

    from kamaelia_twisted.axon import Ipc
    from kamaelia_twisted.axon.Component import component
    from kamaelia_twisted.axon.Scheduler import scheduler

    class Hello(component):
        def main(self):
            print("hello")
            yield 1

    Hello().activate()
    scheduler.run.runThreads()

A component that raises ends the run, and C{runThreads} raises what it
raised, as Axon's does; first the other microprocesses are asked to stop
(and are stopped if they have not within C{Runtime.stopGrace} seconds), so
that what is under way reaches its destination.
"""

import threading

from twisted.internet.error import ReactorNotRestartable
from twisted.python.failure import Failure

from ..core.component import Component
from ..core.shutdown import askToStop, shutDown

__all__ = ["scheduler"]

_ACTIVE = object()


class scheduler(object):
    """
    Tracks microprocesses and runs the reactor until they have ended.

    @cvar run: the program's scheduler, the first one made.
    @ivar threads: the microprocesses activated and not yet ended.
    """

    run = None
    wait_for_one = False

    def __init__(self, reactor=None, **argd):
        """
        @param reactor: the reactor to run (default: the global one).
        """
        if scheduler.run is None:
            scheduler.run = self
        self._reactor = reactor
        self.threads = {}
        self.extra = 1 if self.wait_for_one else 0
        self._failure = None
        self._watcher = None

    @property
    def reactor(self):
        """
        The reactor this scheduler runs.
        """
        if self._reactor is None:
            from twisted.internet import reactor
            return reactor
        return self._reactor

    @property
    def time(self):
        """
        The reactor's time (C{time.time()} on a real reactor).
        """
        return self.reactor.seconds()

    def _addThread(self, mprocess):
        if mprocess not in self.threads:
            self.threads[mprocess] = _ACTIVE
            self.extra = 0
            mprocess.whenDone().addBoth(self._ended, mprocess)

    def _ended(self, result, mprocess):
        self.threads.pop(mprocess, None)
        if isinstance(result, Failure) and self._failure is None:
            self._failure = result
        if self._watcher is not None:
            self._watcher.unpause()

    def wakeThread(self, mprocess, canActivate=False):
        """Wake C{mprocess}."""
        mprocess.unpause()

    def pauseThread(self, mprocess):
        """Put C{mprocess} to sleep after its next step."""
        mprocess.pause()

    def listAllThreads(self):
        """Return the microprocesses that are running."""
        return list(self.threads)

    def waitForOne(self):
        """Make L{runThreads} wait for a first microprocess rather than end at once."""
        self.extra = 1

    @classmethod
    def immortalise(cls):
        """Axon's switch for surviving failures; failures always end the run here."""

    mortalise = immortalise

    def stop(self):
        """
        Stop every microprocess, ending L{runThreads}.
        """
        for mprocess in list(self.threads):
            mprocess.stop()

    def refuseRerun(self):
        """
        @raise ReactorNotRestartable: if the reactor has run already (it
            runs once per process), saying so.
        """
        if getattr(self.reactor, "_startedBefore", False):
            raise ReactorNotRestartable("the program ran its components already, and Twisted's reactor runs once "
                                        "per process: activate() them all, then run once")

    def runThreads(self, slowmo=0):
        """
        Run the reactor until every microprocess has ended. In the main
        thread this is L{Component.run}'s orderly run (Ctrl-C and SIGTERM
        stop the microprocesses, then the reactor); in another thread (see
        L{background<kamaelia_twisted.axon.background.background>}) it
        installs no signal handlers.

        @raise Exception: what the first failed microprocess raised.
        @raise ReactorNotRestartable: if the reactor has run already (it
            runs once per process).
        """
        self.refuseRerun()
        watcher = self._watcher = _Watcher(self, reactor=self.reactor)
        if threading.current_thread() is threading.main_thread():
            return watcher.run()
        reactor = self.reactor
        watcher.activate().whenDone().addBoth(lambda result: reactor.stop())
        reactor.run(installSignalHandlers=False)


class _Watcher(Component):
    """
    Ends when the scheduler has no microprocess left. After the first
    failure of one it stops the others and fails with it. Asked to stop, it
    asks each of them.
    """

    def __init__(self, scheduler, reactor=None):
        Component.__init__(self, reactor)
        self._tracked = scheduler

    def childComponents(self):
        """
        The microprocesses that are not another's child: the stages of
        stopping reach the others through them, and stop each once.
        """
        threads = self._tracked.listAllThreads()
        children = {child for mprocess in threads for child in mprocess.childComponents()}
        return [mprocess for mprocess in threads if mprocess not in children]

    def main(self):
        tracked = self._tracked
        while tracked.threads or tracked.extra:
            if tracked._failure is not None:
                yield shutDown(self.childComponents(), self.runtime.stopGrace, self.reactor, self)
                break
            if self.checkShutdown():
                for mprocess in tracked.listAllThreads():
                    askToStop(mprocess, self)
            self.pause()
            yield 1
        if tracked._failure is not None:
            tracked._failure.raiseException()

scheduler()
