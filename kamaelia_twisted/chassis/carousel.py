"""
L{Carousel}: one child at a time, replaced on demand, such as a reader per file::

    from kamaelia_twisted import Carousel
    from kamaelia_twisted.file import ReadFileAdaptor

    reader = Carousel(lambda name: ReadFileAdaptor(name, readmode="block"))
    # each file name sent to reader's "next" inbox starts a new ReadFileAdaptor

What arrives on C{next} is given to C{componentFactory} to make the new child,
which takes over the carousel's C{inbox}/C{outbox}; a previous child still
running is asked to stop (L{shutdownMicroprocess}). When a child signals that
it has finished, the carousel sends C{"NEXT"} on C{requestNext} (at start too,
with C{make1stRequest=True}). Shutdown on C{control} stops the child and the
carousel.
"""

from ..core.component import Component
from ..core.ipc import isShutdown, shutdownMicroprocess


class Carousel(Component):
    """
    Make a child per message on C{next}, one at a time.

    @param componentFactory: callable taking the C{next} message and
        returning a component.
    @param make1stRequest: send C{"NEXT"} on C{requestNext} at start.
    """

    Inboxes = {
        "inbox": "Passed on to the current child",
        "next": "Arguments for componentFactory: replace the child",
        "control": "Shutdown messages",
        "_childSignal": "The current child's signal outbox",
    }
    Outboxes = {
        "outbox": "The current child's output",
        "signal": "Shutdown messages, passed on",
        "requestNext": "'NEXT' when the child has finished",
        "_childControl": "Stops the current child",
    }

    def __init__(self, componentFactory, make1stRequest=False, **attributes):
        Component.__init__(self, **attributes)
        self.componentFactory = componentFactory
        self.make1stRequest = make1stRequest

    def main(self):
        if self.make1stRequest:
            self.send("NEXT", "requestNext")
        while True:
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self._unplug()
                self.send(shutdown, "signal")
                return
            while self.dataReady("_childSignal"):
                if isShutdown(self.recv("_childSignal")):
                    self._unplug()
                    self.send("NEXT", "requestNext")
            if self.dataReady("next"):
                self._unplug()
                self._plug(self.componentFactory(self.recv("next")))
            if not self.dataReady("next"):
                self.pause()
            yield 1

    def _plug(self, child):
        self.addChildren(child)
        self.link((self, "inbox"), (child, "inbox"), passthrough=1)
        self.link((self, "_childControl"), (child, "control"))
        self.link((child, "outbox"), (self, "outbox"), passthrough=2)
        self.link((child, "signal"), (self, "_childSignal"))

    def _unplug(self):
        for child in self.childComponents():
            if not child.isDone():
                self.send(shutdownMicroprocess(self), "_childControl")
            self.removeChild(child)
        while self.dataReady("_childSignal"):
            self.recv("_childSignal")
