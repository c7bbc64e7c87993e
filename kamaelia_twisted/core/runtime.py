"""
L{Runtime}: what the components of one reactor share.

Each reactor has one runtime, made on first use and held weakly, so it goes
away with its reactor. It holds the L{Scheduler} that steps the reactor's
components and L{Runtime.shared}, the objects they share (the pygame
display, the backplane registry, ...). A component runs on the reactor it
was given, else on its parent's, else on the global one, so a graph given
C{reactor=Clock()} runs every child on that clock::

    from twisted.internet.task import Clock
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import Collect, DataSource

    clock, sink = Clock(), Collect()
    Pipeline(DataSource([1, 2, 3]), sink, reactor=clock).activate()
    clock.advance(0)
    assert sink.collected == [1, 2, 3]

L{Runtime.run} is how a script runs a graph: see its docstring for what it
does on Ctrl-C, SIGTERM and failure.
"""

import signal
import sys
import weakref

from twisted.internet.error import ReactorNotRunning
from twisted.logger import (FilteringLogObserver, LogLevel, LogLevelFilterPredicate,
                            globalLogBeginner, textFileLogObserver)
from twisted.python.failure import Failure

from .scheduler import Scheduler
from .shutdown import log as _stagesLog
from .shutdown import shutDown, stopByForce


class Runtime:
    """
    The scheduler and shared objects of one reactor.

    @cvar stopGrace: seconds L{run} gives a graph at each stage of stopping
        (see L{shutDown}); also how long a L{Pipeline} or L{Graphline} waits
        for its other children after one has failed.
    @ivar scheduler: the L{Scheduler} of this reactor.
    @ivar shared: objects shared by this reactor's components, by key (the
        class that owns the entry, by convention).
    @ivar roots: while watched (L{watchRoots}), a C{WeakSet} of the
        components activated without a parent on this reactor; else L{None},
        so that an unwatched component costs nothing more.
    """

    stopGrace = 3.0
    _runtimes = weakref.WeakKeyDictionary()

    def __init__(self, reactor):
        self._reactor = weakref.ref(reactor)
        self.scheduler = Scheduler(reactor)
        self.shared = {}
        self.roots = None
        self._watchers = 0
        self._hurried = []  # the graphs being stopped, for hurryOnSignal
        self._signalHandlers = {}  # the reactor's, while ours replace them (watchSignals)
        self._signalledBefore = self._hurrying = False

    @classmethod
    def of(cls, reactor):
        """
        Return the runtime of C{reactor}, making it on first use.
        """
        try:
            return cls._runtimes[reactor]
        except KeyError:
            runtime = cls._runtimes[reactor] = cls(reactor)
            return runtime

    @property
    def reactor(self):
        """
        The reactor of this runtime.
        """
        return self._reactor()

    def watchSignals(self):
        """
        Where the reactor handles SIGINT and SIGTERM itself (once it runs),
        have them pass through this runtime: the first still asks the reactor
        to stop, through the reactor's own handler; any later one, or any that
        comes while graphs are being stopped, ends what is left of them at
        once (see L{hurryOnSignal}) rather than ask again: a second Ctrl-C,
        for a user who will not wait. Calling it again does nothing.
        """
        if self._signalHandlers:
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(signum)
            if getattr(handler, "__self__", None) is self.reactor:
                self._signalHandlers[signum] = handler
                signal.signal(signum, self._signalled)

    def hurryOnSignal(self, graphs):
        """
        Have a signal that comes while C{graphs} are being stopped (see
        L{watchSignals}), or that came already, end what is left of them at
        once with L{stopByForce}, the last stage of L{shutDown}.

        @return: a function that undoes this, once they have stopped.
        """
        entry = list(graphs)
        self._hurried.append(entry)
        self.watchSignals()
        if self._hurrying:
            stopByForce(entry)
        return lambda: self._hurried.remove(entry)

    def stopInStages(self, graphs, grace, sender=None, log=_stagesLog):
        """
        Stop C{graphs} with L{shutDown} on this runtime's reactor, a signal
        meanwhile hurrying them (L{hurryOnSignal}).

        @param log: the L{Logger<twisted.logger.Logger>} for the later stages.
        @return: L{shutDown}'s L{Deferred<twisted.internet.defer.Deferred>}.
        """
        undo = self.hurryOnSignal(graphs)
        return shutDown(graphs, grace, self.reactor, sender, log).addBoth(_after, undo)

    def _signalled(self, signum, frame):
        if self._hurried or self._signalledBefore:
            self._hurrying = True
            self.reactor.callFromThread(self._hurry)
        else:
            self._signalledBefore = True
            self._signalHandlers[signum](signum, frame)

    def _hurry(self):
        for graphs in list(self._hurried):
            stopByForce(graphs)

    def _unwatchSignals(self):
        handlers, self._signalHandlers = self._signalHandlers, {}
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

    def watchRoots(self, found=()):
        """
        Keep L{roots} from now on, starting with C{found} (the parentless
        components already active, which the caller looked up), until as
        many L{unwatchRoots} as calls to this.
        """
        if not self._watchers:
            self.roots = weakref.WeakSet(found)
        self._watchers += 1

    def unwatchRoots(self):
        """
        Undo one L{watchRoots}; after the last, L{roots} is L{None} again.
        """
        self._watchers -= 1
        if not self._watchers:
            self.roots = None

    def run(self, component):
        """
        Run C{component} until it ends: start logging (warnings and errors,
        to stderr) unless it has been started, activate the component, run
        the reactor, and stop it when the component has ended.

        When the reactor is asked to stop before that (Ctrl-C, SIGTERM,
        C{reactor.stop()}), the component is stopped in stages (see
        L{shutDown}, with L{stopGrace}) before the reactor stops; a second
        Ctrl-C or SIGTERM meanwhile ends what is left of it at once.

        @return: C{main}'s return value.
        @raise KeyboardInterrupt: on SIGINT.
        @raise SystemExit: with status 128 + the signal number, on another signal.
        @raise Exception: what the component failed with.
        """
        reactor = self.reactor
        if reactor.running:
            raise RuntimeError("the reactor is already running: use activate() and whenDone()")
        _startLogging()
        outcome = []

        def ended(result):
            outcome.append(result)
            try:
                reactor.stop()
            except ReactorNotRunning:
                pass  # already stopping, on a signal

        def stopping():
            if not component.isDone():
                return self.stopInStages([component], self.stopGrace)

        component._raisesFailure = True  # raised below, so not logged as well
        reactor.addSystemEventTrigger("before", "shutdown", stopping)
        reactor.callWhenRunning(self.watchSignals)
        reactor.callWhenRunning(lambda: component.activate().whenDone().addBoth(ended))
        try:
            reactor.run()
        finally:
            self._unwatchSignals()
        return _outcome(getattr(reactor, "_exitSignal", None), outcome)


def _after(result, undo):
    undo()
    return result


def _outcome(signum, outcome):
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    if signum is not None:
        raise SystemExit(128 + signum)
    if not outcome:
        raise RuntimeError("the reactor stopped before the component ended")
    if isinstance(outcome[0], Failure):
        outcome[0].raiseException()
    return outcome[0]


def _startLogging():
    # Twisted keeps log events in memory until logging is started; the
    # LogBeginner says whether it has been only through this attribute.
    if getattr(globalLogBeginner, "_temporaryObserver", None) is None:
        return
    observer = FilteringLogObserver(textFileLogObserver(sys.stderr),
                                    [LogLevelFilterPredicate(LogLevel.warn)])
    globalLogBeginner.beginLoggingTo([observer], redirectStandardIO=False)
