"""
Axon's C{component}: a microprocess with inboxes and outboxes, children and
links, run by our core. Kamaelia's components subclass it unchanged, in the
new style (C{main} a generator) or the old one (C{initialiseComponent},
C{mainBody} until it returns a false value, C{closeDownComponent})::

    from kamaelia_twisted.axon.Component import component
    from kamaelia_twisted.axon.Ipc import producerFinished

    class Source(component):
        def main(self):
            for word in ["hello", "world"]:
                self.send(word, "outbox")
                yield 1
            self.send(producerFinished(self), "signal")

    class Printer(component):
        def mainBody(self):
            for word in self.Inbox("inbox"):
                print(word)
            return not self.dataReady("control")

    source, printer = Source(), Printer()
    source.link((source, "outbox"), (printer, "inbox"))
    source.link((source, "signal"), (printer, "control"))
    printer.activate()
    source.run()

What differs from our L{Component<kamaelia_twisted.core.component.Component>}:
keywords of any name become attributes; C{addChildren} does not activate the
children (Axon code activates them itself) and a paused parent wakes when a
child ends; C{len(self.outboxes[name])} counts what waits at the receiver;
C{link} takes Axon's C{pipewidth} and C{synchronous}; a paused component
also wakes when a bounded receiver it fills makes room.
"""

from collections import deque
from itertools import chain, repeat

from .Ipc import newComponent, producerFinished, shutdown, shutdownMicroprocess, WaitComplete
from .Linkage import linkage
from .Microprocess import microprocess
from .Postoffice import postoffice
from .Scheduler import scheduler
from .util import removeAll

_popleft = deque.popleft

TraceAllSends = False  # set before components are made: they print each message sent (Axon's switch)
TraceAllRecvs = False  # ... or received

__all__ = ["component", "scheduler", "linkage", "newComponent", "producerFinished", "shutdown",
           "shutdownMicroprocess", "WaitComplete"]


class component(microprocess):
    """
    An Axon component.

    @ivar children: the children, as Axon code reads and extends them.
    @ivar postoffice: the links this component made.
    """

    Inboxes = {"inbox": "Default inbox for bulk data", "control": "Secondary inbox, for signals"}
    Outboxes = {"outbox": "Default outbox for data", "signal": "Default outbox for signals"}
    Usescomponents = []

    def __init__(self, *args, **argd):
        self.children = []
        self._callOnCloseDown = []
        super().__init__(*args, **argd)
        self.postoffice = postoffice("component :" + self.name)
        if TraceAllSends:
            self.send = _tracedSend(self.send, self)
        if TraceAllRecvs:
            self.recv = _tracedRecv(self.recv, self)

    def __str__(self):
        return "Component {} [ inboxes : {} outboxes : {}".format(self.name, self.inboxes, self.outboxes)

    def setInboxSize(self, boxname, size):
        """
        Bound inbox C{boxname} to C{size} messages (L{None}: unbounded);
        senders then get C{noSpaceInBox} when it is full.
        """
        self.inboxes[boxname].setSize(size)

    def addChildren(self, *children):
        """
        Make C{children} this component's children without activating them;
        it wakes when one ends.
        """
        for child in children:
            if not hasattr(child, "_isStopped"):  # one of our components, in an Axon graph
                child._isStopped = child.isDone
            self.children.append(child)
            child.whenDone().addBoth(self._childEnded)

    def _childEnded(self, result):
        self.unpause()

    def removeChild(self, child):
        """
        Forget C{child} and undo this component's links to it.
        """
        removeAll(self.children, child)
        self.unlink(thecomponent=child)

    def childComponents(self):
        """
        Return a list of the children.
        """
        return self.children[:]

    def link(self, source, sink, *optionalargs, **kwoptionalargs):
        """
        Link C{source} to C{sink} (C{(component, boxname)} pairs).

        @param optionalargs: C{passthrough} (0, 1 or 2), C{pipewidth} (bound
            the sink to that many messages), C{synchronous} (bound it to one).
        @return: the L{linkage}.
        """
        return self.postoffice.link(source, sink, *optionalargs, **kwoptionalargs)

    def unlink(self, thecomponent=None, thelinkage=None):
        """
        Undo C{thelinkage}, or every link this component made that
        involves C{thecomponent}.
        """
        self.postoffice.unlink(thecomponent, thelinkage)

    def Inbox(self, boxname="inbox"):
        """
        Iterate over (taking) the messages waiting in C{boxname}, including
        those that arrive while it runs; what a loop leaves when it breaks
        stays in the box.
        """
        box = self.inboxes[boxname]
        waiting = len(box.messages)
        if waiting > 1 and box.size is None and box.capacity is None and "recv" not in self.__dict__:
            # No sender waits for space in an unbounded box: take those waiting without a call each.
            return chain(map(_popleft, repeat(box.messages, waiting)), self._takeEach(box, boxname))
        return self._takeEach(box, boxname)

    def _takeEach(self, box, boxname):
        recv = self.recv
        while box.messages:
            yield recv(boxname)

    def pause(self):
        """
        Sleep after the next C{yield} until a message arrives, a child ends,
        or a full bounded receiver of one of its outboxes makes room.
        """
        super().pause()
        for box in self.outboxes.values():
            if box.isFull():
                box.whenSpace().addCallback(self._childEnded)

    def main(self):
        """
        The old style: C{initialiseComponent()}, then C{mainBody()} each
        step until it returns a false value, then C{closeDownComponent()}.
        """
        self.initialiseComponent()
        yield 1
        while self.mainBody():
            yield 1
        self.closeDownComponent()

    def initialiseComponent(self):
        """Override: run once before C{mainBody}."""
        return 1

    def mainBody(self):
        """Override: one step; return a false value to end."""
        return None

    def closeDownComponent(self):
        """Override: run once after C{mainBody} has ended."""
        return 1

    def _closeDownMicroprocess(self):
        for callback in self._callOnCloseDown:
            callback()
        self.postoffice.unlinkAll()

    def _deliver(self, message, boxname="inbox"):
        """
        Put C{message} in inbox C{boxname} from outside.
        """
        self.inboxes[boxname].deliver(message)


def _tracedSend(send, owner):
    def tracedSend(message, boxname="outbox"):
        _trace("SEND", message, owner, boxname)
        return send(message, boxname)
    return tracedSend


def _tracedRecv(recv, owner):
    def tracedRecv(boxname="inbox"):
        message = recv(boxname)
        _trace("RECV", message, owner, boxname)
        return message
    return tracedRecv


def _trace(verb, message, owner, boxname):
    """
    Print a message sent or received as Axon's traces do:
    C{SEND: id(message) Class_id 'box' : message}.
    """
    print("{}: {} {} '{}' : {}".format(verb, id(message), owner.name.rpartition(".")[2], boxname, message))
