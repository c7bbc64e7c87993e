"""
Axon's C{microprocess}: a generator stepped by the scheduler, here one of
our core components. Axon's generators may yield:

  - anything (C{yield 1}): step again soon, or sleep after C{self.pause()};
  - C{newComponent(a, b)}: activate C{a} and C{b}, then go on;
  - C{WaitComplete(generator)}: run C{generator} to its end (its own
    C{yield}s are handled the same way), then go on;
  - a L{Deferred}: resume with its result (or its exception raised), as our
    components do.

A C{RuntimeError} that ends C{main} ends the microprocess normally, with a
warning logged, as Axon takes it (Kamaelia's code on Python 3 raises some at
shutdown); any other exception ends it as failed. When C{main} ends
normally, its C{stop()} is called, as Axon's scheduler does, unless it was
called already (Kamaelia's C{TCPServer} closes its socket there). For example::

    from kamaelia_twisted.axon.Ipc import WaitComplete
    from kamaelia_twisted.axon.Microprocess import microprocess

    class Counter(microprocess):
        def count(self, n):
            for i in range(n):
                self.seen.append(i)
                yield 1

        def main(self):
            self.seen = []
            yield WaitComplete(self.count(3))
            self.seen.append("done")

    counter = Counter()
    counter.run()
    assert counter.seen == [0, 1, 2, "done"]
"""

from twisted.internet.defer import Deferred
from twisted.internet.threads import blockingCallFromThread
from twisted.python.threadable import isInIOThread

from ..core.component import Component
from .Box import asPostbox
from .CoordinatingAssistantTracker import coordinatingassistanttracker
from .debug import debug
from .idGen import numId
from .Ipc import WaitComplete, newComponent
from .Scheduler import scheduler

__all__ = ["microprocess"]


class microprocess(Component):
    """
    A core L{Component} with Axon's life cycle: C{activate(Scheduler,
    Tracker, mainmethod)}, C{stop()}, C{_isStopped()}, C{run()}, and Axon's
    C{yield}s in C{main}.

    @cvar schedulerClass: the class whose C{run} scheduler activates it.
    @ivar id: a unique number.
    @ivar name: module, class and C{id}, as Axon names it; assignable.
    @ivar scheduler: the Axon L{scheduler} it was activated on.
    @ivar tracker: the tracker it uses to find services.
    """

    Inboxes = {}
    Outboxes = {}
    schedulerClass = scheduler
    trackerClass = None

    def __init__(self, *args, **argd):
        """
        Take any keywords and set them as attributes (Axon's idiom);
        positional arguments are ignored, as Axon does.
        """
        self.__dict__.update(argd)  # before the boxes are made: Inboxes=..., Outboxes=...
        super().__init__()
        self.__dict__.update(argd)  # and over the core's own defaults
        self.id = numId()
        if "name" in argd:
            self.name = argd["name"]
        self.init = 1
        self.scheduler = None
        self.tracker = coordinatingassistanttracker.getcat()
        if "debugger" not in self.__dict__:
            self.debugger = debug()
        self._stopRequested = self._activated = False
        for box in list(self.inboxes.values()) + list(self.outboxes.values()):
            asPostbox(box)
        self.whenDone().addBoth(self._closeDown)

    @property
    def name(self):
        """
        Axon's name: module, class and id (C{"__main__.Producer_3"}), unless assigned.
        """
        name = self._name
        if type(name) is int:
            kind = type(self)
            return "{}.{}_{}".format(kind.__module__, kind.__name__, self.id)
        return name

    @name.setter
    def name(self, name):
        self._name = name

    @classmethod
    def setSchedulerClass(cls, newSchedulerClass):
        """Activate instances on C{newSchedulerClass.run} from now on."""
        cls.schedulerClass = newSchedulerClass

    @classmethod
    def setTrackerClass(cls, newTrackerClass):
        """Kept for Axon code; trackers are found with C{getcat()}."""
        cls.trackerClass = newTrackerClass

    def activate(self, Scheduler=None, Tracker=None, mainmethod="main"):
        """
        Start stepping C{mainmethod} on C{Scheduler} (default:
        C{schedulerClass.run}); safe to call from any thread.

        @return: this microprocess.
        """
        if not isInIOThread() and self.reactor.running:
            return blockingCallFromThread(self.reactor, self.activate, Scheduler, Tracker, mainmethod)
        if self._activated:
            return self
        self._activated = True
        self.scheduler = Scheduler if Scheduler is not None else self.schedulerClass.run
        if Tracker is not None:
            self.tracker = Tracker
        self.main = self._mainFor(getattr(self, mainmethod))  # what the core steps
        super().activate()
        self.scheduler._addThread(self)
        return self

    def _mainFor(self, method):
        return lambda: self._steps(method())

    def _steps(self, body):
        stack, resume, error = [body], None, None
        try:
            while stack and not self._stopRequested:
                try:
                    value = stack[-1].throw(error) if error is not None else stack[-1].send(resume)
                except StopIteration:
                    stack.pop()
                    resume = error = None
                    continue
                except Exception as e:
                    stack.pop()
                    if stack:
                        resume, error = None, e
                        continue
                    if not isinstance(e, RuntimeError):
                        raise
                    self.log.warn("{name} ended with {error!r}, which Axon takes as an exit", name=self.name,
                                  error=e)
                    break
                resume = error = None
                if value.__class__ is int:  # yield 1, most steps: no isinstance (Deferred's is slow)
                    value = None
                elif isinstance(value, WaitComplete):
                    stack.append(value.args[0])
                    continue
                elif isinstance(value, newComponent):
                    for child in value.components():
                        child.activate()
                    value = None
                elif not isinstance(value, Deferred):
                    value = None
                try:
                    resume = yield value
                except Exception as e:
                    error = e
            if not self._stopRequested:
                self.stop()  # Axon's scheduler stops what ends: an overridden stop() tidies up
        finally:
            for generator in reversed(stack):
                generator.close()

    def main(self):
        """
        The microprocess's behaviour, a generator; override it.
        """
        return
        yield

    def next(self):
        """
        Axon steps microprocesses by hand with this; here the reactor does.
        """
        raise NotImplementedError("microprocesses are stepped by the reactor; use activate()")

    def stop(self):
        """
        End the microprocess at its next step, as Axon does (it ends
        normally); from outside it is woken to take that step.
        """
        self._stopRequested = True
        self.unpause()

    def _isStopped(self):
        """
        Tell whether it has ended or been told to stop.
        """
        return self._stopRequested or self.isDone()

    def _isRunnable(self):
        return not self._isStopped()

    def _closeDown(self, result):
        self._closeDownMicroprocess()

    def _closeDownMicroprocess(self):
        """
        Called when it has ended; override to tidy up.
        """

    def run(self):
        """
        Activate it and run the scheduler until every microprocess has ended.

        @raise ReactorNotRestartable: if the reactor has run already; then
            it is not activated.
        """
        self.schedulerClass.run.refuseRerun()
        self.activate()
        self.schedulerClass.run.runThreads()
