"""
L{Component}: a generator that talks through named inboxes and outboxes.

Write C{main} as a generator; the scheduler steps it each time it yields.
C{self.pause()} before a C{yield} sleeps until a message arrives, and
C{yield someDeferred} sleeps until the Deferred fires::

    from kamaelia_twisted import Component, Pipeline, producerFinished

    class Doubler(Component):
        def main(self):
            while True:
                while self.dataReady("inbox"):
                    self.send(self.recv("inbox") * 2, "outbox")
                finished = self.checkShutdown()
                if finished:
                    self.send(finished, "signal")
                    return
                self.pause()
                yield 1
"""

from itertools import count
from types import FunctionType, GeneratorType

from twisted.internet.defer import Deferred, gatherResults
from twisted.logger import Logger
from twisted.python.failure import Failure

from .boxes import Box, BoxFull
from .ipc import errorOccurred, isShutdown
from .linkage import Linkage, disconnect
from .notifier import Notifier
from .runtime import Runtime

_ids = count(1)
_INITIAL, _ACTIVE, _DONE = "initial", "active", "done"


class ComponentStopped(Exception):
    """
    The component was ended by L{Component.stop}.
    """


class Component:
    """
    A Kamaelia component run by the Twisted reactor.

    @cvar Inboxes: inbox name -> one-line description (a list of names works).
    @cvar Outboxes: outbox name -> one-line description.
    @cvar failsWithChildren: whether the component fails with the first
        failure of its children, as L{Pipeline} and L{Graphline} do. A
        failure is logged once, by the outermost component it ends, and not
        at all when L{run} raises it.
    @ivar inboxes: name -> L{Box}; C{inboxes[name].setSize(n)} bounds one.
    @ivar outboxes: name -> L{Box}.
    """

    Inboxes = {"inbox": "Data to process", "control": "Shutdown messages"}
    Outboxes = {"outbox": "Results", "signal": "Shutdown messages, passed on"}
    log = Logger()
    failsWithChildren = False
    _raisesFailure = False
    # The core's own state in slots, the attributes of subclasses and of
    # keywords in __dict__: an idle component costs little memory.
    __slots__ = ("_name", "inboxes", "outboxes", "_reactor", "_scheduler", "_state", "_gen",
                 "_paused", "_sleeping", "_resume", "_throw", "_awaiting", "_parent", "_children",
                 "_links", "_doneNotifier", "__dict__", "__weakref__")

    def __init__(self, reactor=None, **attributes):
        """
        @param reactor: the reactor that runs this component (default: its
            parent's, else the global one, looked up at activation).
        @param attributes: attributes to set, overriding class defaults
            (Kamaelia's idiom: C{Inboxes=...}, C{bitrate=...}).
        @raise TypeError: if the class defines no attribute of one of those names.
        """
        unknown = [name for name in attributes if not hasattr(type(self), name)]
        if unknown:
            raise TypeError("{}() got unexpected keyword arguments: {}".format(
                type(self).__name__, ", ".join(sorted(unknown))))
        if attributes:
            self.__dict__.update(attributes)
        self._name = next(_ids)  # the number of a name made when asked for (see name)
        self.inboxes = {name: Box(self, name) for name in self.Inboxes}
        self.outboxes = {name: Box(self, name) for name in self.Outboxes}
        self._reactor = reactor
        self._state = _INITIAL
        self._gen = self._resume = self._throw = self._awaiting = self._parent = self._doneNotifier = None
        self._paused = self._sleeping = False
        self._children = self._links = ()

    def __init_subclass__(cls, **kwargs):
        """
        Give the new class copies of its own of the methods that run once per
        message or step (see L{_PER_CLASS}).
        """
        super().__init_subclass__(**kwargs)
        for name in _PER_CLASS:
            _copyMethod(cls, name)

    def __repr__(self):
        return "<{} {}>".format(self.name, self._state)

    @property
    def name(self):
        """
        A unique, readable name used in messages and logs: by default the
        class name and a number (C{"Doubler_7"}); assign to change it.
        """
        name = self._name
        return "{}_{}".format(type(self).__name__, name) if type(name) is int else name

    @name.setter
    def name(self, name):
        self._name = name

    @property
    def parent(self):
        """
        The component this one is a child of, or L{None}.
        """
        return self._parent

    @property
    def reactor(self):
        """
        The reactor running this component: the one it was given, else its
        parent's, else the global one. Fixed when the component is activated.
        """
        if self._reactor is not None:
            return self._reactor
        if self._parent is not None:
            return self._parent.reactor
        from twisted.internet import reactor

        return reactor

    @property
    def runtime(self):
        """
        The L{Runtime} of this component's reactor.
        """
        return Runtime.of(self.reactor)

    def main(self):
        """
        The component's behaviour, a generator; override it.
        """
        return
        yield

    # Messages

    def send(self, message, boxname="outbox"):
        """
        Send C{message} (by reference) on outbox C{boxname}.

        @raise BoxFull: if the linked inbox is bounded and full.
        """
        try:
            dest = self.outboxes[boxname].destination
        except KeyError:
            raise KeyError("{} has no outbox named {!r}".format(self.name, boxname)) from None
        if dest.plain:  # unbounded and nobody to wake: the common case, kept short
            dest.messages.append(message)
        else:
            dest.deliver(message)

    def recv(self, boxname="inbox"):
        """
        Take the oldest message from inbox C{boxname}.

        @raise IndexError: if that inbox is empty.
        """
        # Box.take, inlined.
        box = self.inboxes[boxname]
        if box._spaceWaiters is None:
            return box.messages.popleft()
        message = box.messages.popleft()
        box._releaseWaiters()
        return message

    def dataReady(self, boxname="inbox"):
        """
        Return how many messages wait in inbox C{boxname}.
        """
        return len(self.inboxes[boxname].messages)

    def anyReady(self):
        """
        Tell whether any inbox holds a message.
        """
        return any(box.messages for box in self.inboxes.values())

    def pause(self):
        """
        Sleep after the next C{yield}, until a message arrives in an inbox.
        """
        self._paused = True
        for box in self.inboxes.values():
            box.sleepUntilDelivery()

    def pauseUntilSpace(self, boxname="outbox"):
        """
        Like L{pause}, but also wake when the receiver of outbox C{boxname}
        is at most half full: how a producer waits for a bounded receiver
        while still hearing its C{control} inbox::

            while outbox.isFull():
                self.pauseUntilSpace()
                yield 1
        """
        self.outboxes[boxname].whenSpace().addCallback(lambda _: self.unpause())
        self.pause()

    def checkShutdown(self, boxname="control"):
        """
        Take the messages waiting on C{boxname} and return the first
        L{producerFinished} or L{shutdownMicroprocess} among them, or L{None}.
        Other control messages are dropped.
        """
        box = self.inboxes[boxname]
        found = None
        while box.messages:
            message = box.take()
            if found is None and isShutdown(message):
                found = message
        return found

    # Wiring

    def link(self, source, sink, passthrough=0):
        """
        Link C{source} (a C{(component, boxname)} pair) to C{sink}; this
        component owns the link and removes it when it finishes.

        @param passthrough: 0 outbox to inbox, 1 a parent's inbox to a child's
            inbox, 2 a child's outbox to its parent's outbox.
        @return: the L{Linkage}.
        """
        linkage = Linkage(source[0], source[1], sink[0], sink[1], passthrough)
        linkage.connect()
        # Kept as its two boxes, lighter than the Linkage: each connection has four links.
        self._links = self._links or []
        self._links += linkage.boxes
        return linkage

    def unlink(self, thecomponent=None, thelinkage=None):
        """
        Remove C{thelinkage}, or every link this component owns that involves
        C{thecomponent}. Messages sent later stay in the source box.
        """
        links, kept = self._links, []
        unwanted = thelinkage.boxes if thelinkage is not None else None
        for i in range(0, len(links), 2):
            source, sink = links[i], links[i + 1]
            if (source, sink) == unwanted or (
                    thecomponent is not None and thecomponent in (source.owner, sink.owner)):
                disconnect(source, sink)
            else:
                kept += (source, sink)
        self._links = kept

    def addChildren(self, *children):
        """
        Make C{children} this component's children; they are activated with it
        (at once if it is already active).
        """
        self._children = self._children or []
        for child in children:
            child._parent = self
            self._children.append(child)
            if self._state is not _INITIAL:
                child.activate()
        return children

    def removeChild(self, child):
        """
        Forget C{child} and remove this component's links to it.

        @raise ValueError: if it is not a child of this component.
        """
        if child not in self._children:
            raise ValueError("{} is not a child of {}".format(child.name, self.name))
        self._children.remove(child)
        child._parent = None
        self.unlink(thecomponent=child)

    def childComponents(self):
        """
        Return a list of this component's children.
        """
        return list(self._children)

    def whenChildrenDone(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires with L{None} once every current child
        has finished, successfully or not.
        """
        waits = [child.whenDone() for child in self._children]
        return gatherResults([d.addErrback(lambda f: None) for d in waits]).addCallback(lambda _: None)

    # Lifecycle

    def activate(self):
        """
        Start the component (and its children) on its reactor's scheduler.

        @return: this component.
        """
        if self._state is _INITIAL:
            self._state = _ACTIVE
            self._reactor = self.reactor
            runtime = self.runtime
            self._scheduler = runtime.scheduler
            if self._parent is None and runtime.roots is not None:
                runtime.roots.add(self)
            for child in self._children:
                child.activate()
            self._start()
        return self

    def _start(self):
        self._gen = self.main()
        if not isinstance(self._gen, GeneratorType):
            raise TypeError("{}.main() must be a generator (use yield)".format(self.name))
        self._scheduler.schedule(self)

    def stop(self):
        """
        End the component now, for one that ignores shutdown messages: its
        generator is closed (its C{finally} blocks run) and it ends as failed
        with L{ComponentStopped}, so L{whenDone} errbacks and C{signal} gets
        an L{errorOccurred}; a one-line warning is logged. A Deferred it
        was waiting on is cancelled. Call it from
        outside the component; nothing happens if it has already ended.
        """
        if self._state is _DONE:
            return
        gen, awaiting = self._gen, self._awaiting
        self._gen = None
        if gen is not None:
            gen.close()
        if awaiting is not None:
            awaiting.cancel()  # as inlineCallbacks does: a timer or request it waits on ends too
        stopped = ComponentStopped("{} was stopped".format(self.name))
        _markLogged(stopped)
        self.log.warn("{name} was stopped", name=self.name)
        self._finish(Failure(stopped))

    def isDone(self):
        """
        Tell whether C{main} has ended.
        """
        return self._state is _DONE

    def whenDone(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires with C{main}'s return value when it
        ends, or errbacks with the failure if it raised.
        """
        return self._notifier().when()

    def callWhenDone(self, callback, *args):
        """
        Call C{callback(result, *args)} when C{main} ends, C{result} being
        its return value or, if it raised, the
        L{Failure<twisted.python.failure.Failure>}: L{whenDone} without a
        L{Deferred<twisted.internet.defer.Deferred>}, for code that watches
        many components.
        """
        self._notifier().observe(callback, *args)

    def _notifier(self):
        if self._doneNotifier is None:
            self._doneNotifier = Notifier()
        return self._doneNotifier

    def run(self):
        """
        Run the component until it ends, for scripts (inside a running
        application use L{activate} and L{whenDone}): see L{Runtime.run},
        which stops the graph in an orderly way on Ctrl-C and SIGTERM.

        @return: C{main}'s return value.
        @raise KeyboardInterrupt: on Ctrl-C.
        @raise SystemExit: on SIGTERM (status 143).
        @raise Exception: what C{main} raised.
        """
        return self.runtime.run(self)

    # Scheduler interface

    def unpause(self):
        """
        Wake the component if it sleeps after L{pause}, as a message arriving
        would; for waking it from callbacks.
        """
        for box in self.inboxes.values():
            box.setAlarm(None)
        self._paused = False
        if self._sleeping:
            self._sleeping = False
            self._scheduler.schedule(self)

    def _step(self):
        if self._gen is None:  # stopped while it waited
            return
        try:
            if self._throw is not None:
                failure, self._throw = self._throw, None
                value = failure.throwExceptionIntoGenerator(self._gen)
            else:
                value, self._resume = self._gen.send(self._resume), None
        except StopIteration as stop:
            self._finish(stop.value)
            return
        except Exception:
            self._finish(Failure())
            return
        if Deferred in type(value).__mro__:  # isinstance, without Deferred's ABC machinery
            self._awaiting = value
            value.addCallbacks(self._resumeWith, self._resumeWithFailure)
        elif self._paused:
            self._sleeping = True
        else:
            self._scheduler.schedule(self)

    def _resumeWith(self, result):
        self._resume, self._awaiting = result, None
        if self._gen is not None:  # else stopped while it waited
            self._scheduler.schedule(self)

    def _resumeWithFailure(self, failure):
        self._throw, self._awaiting = failure, None
        if self._gen is not None:
            self._scheduler.schedule(self)

    def _finish(self, result):
        self._state = _DONE
        self._gen = None
        if isinstance(result, Failure):
            self._fail(result)
        links, self._links = self._links, ()
        for i in range(0, len(links), 2):
            disconnect(links[i], links[i + 1])
        for box in self.inboxes.values():
            box.removeBounds()  # nobody will make room: release senders waiting for it
        self._notifier().fire(result)

    def _fail(self, failure):
        origin = _origin(failure.value, self.name)
        parent = self._parent
        passedOn = self._raisesFailure or (parent is not None and parent.failsWithChildren)
        if not passedOn and not _markLogged(failure.value):
            self.log.failure("{name} failed", failure, name=origin)
        if "signal" in self.outboxes:
            try:
                self.outboxes["signal"].deliver(errorOccurred(
                    "{} failed: {}".format(self.name, failure.getErrorMessage()), failure, caller=self))
            except BoxFull:
                pass
        if self._parent is not None:
            self._parent.unlink(thecomponent=self)


# The methods that run once per message or step; each subclass gets a copy of
# its own (the same code in a function and code object of its own). CPython
# caches an attribute look-up such as C{self.inboxes} in the code that makes it,
# for one type of C{self} at a time: one code shared by all component classes
# misses that cache whenever two classes take turns, as the stages of any
# pipeline do, and each look-up takes the slow path.
_PER_CLASS = ("dataReady", "recv", "send", "_step")


def _copyMethod(cls, name, replaced=None):
    """
    Give C{cls} a copy of its own of C{Component}'s method C{name} if it
    inherits that method or a copy of it (a function of equal code).

    @param replaced: a method that C{Component.name} replaces, copies of
        which C{cls} may hold.
    """
    shared = getattr(Component, name)
    code = getattr(getattr(cls, name), "__code__", None)
    if code == shared.__code__ or (replaced is not None and code == replaced.__code__):
        copy = FunctionType(shared.__code__.replace(), shared.__globals__, shared.__name__,
                            shared.__defaults__, shared.__closure__)
        copy.__qualname__, copy.__doc__ = shared.__qualname__, shared.__doc__
        setattr(cls, name, copy)


def _subclasses(cls):
    """
    Yield every class derived from C{cls}.
    """
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


_uncountedSend = Component.send


def _countedSend(self, message, boxname="outbox"):
    """
    Send as L{Component.send} does, counting the message (see L{countSends}).
    """
    _uncountedSend(self, message, boxname)
    counts = self.__dict__.get("_sentCounts")
    if counts is None:
        counts = self.__dict__["_sentCounts"] = {}
    counts[boxname] = counts.get(boxname, 0) + 1


def countSends(on):
    """
    From now on, count (C{on}) or stop counting the messages that
    L{Component.send} sends, per component and outbox (see L{sentCounts}).
    Counting swaps C{Component.send} (and the copies that component classes
    hold of it) for a slower one in the whole process, so it is for
    inspection, not for always.
    """
    replaced = Component.send
    Component.send = _countedSend if on else _uncountedSend
    for cls in _subclasses(Component):
        _copyMethod(cls, "send", replaced)


def sentCounts(component):
    """
    Return C{component}'s counts of messages sent while counting was on
    (L{countSends}): outbox name -> messages.
    """
    return dict(component.__dict__.get("_sentCounts", ()))


def _origin(exception, name):
    """
    Return the name of the first component that failed with C{exception},
    recording C{name} as that if none has.
    """
    try:
        return exception._kamaeliaOrigin
    except AttributeError:
        try:
            exception._kamaeliaOrigin = name
        except AttributeError:
            pass
        return name


def _markLogged(exception):
    """
    Mark C{exception} as logged, so that a parent failing of its child's
    failure does not log it again; return whether it was already marked.
    """
    logged = getattr(exception, "_kamaeliaLogged", False)
    try:
        exception._kamaeliaLogged = True
    except AttributeError:
        pass
    return logged
