"""
Axon's threaded components: C{main} is a plain blocking function run in a
thread of its own (our core's L{ThreadedComponent<kamaelia_twisted.core.threaded.ThreadedComponent>}),
with Axon's component API. C{link}, C{unlink}, C{addChildren},
C{addInbox}/C{addOutbox} and the like may be called from the thread: they
are handed to the reactor thread and waited for. For example::

    import time
    from kamaelia_twisted.axon.ThreadedComponent import threadedcomponent
    from kamaelia_twisted.axon.Ipc import producerFinished

    class Ticks(threadedcomponent):
        def main(self):
            for n in range(3):
                time.sleep(0.01)            # blocking is fine here
                self.send(n, "outbox")
            self.send(producerFinished(self), "signal")

    Ticks().run()

C{send} never raises C{noSpaceInBox} here: once C{queuelengths} messages
wait for a full receiver, it blocks until there is room.
"""

from twisted.internet.threads import blockingCallFromThread
from twisted.python.threadable import isInIOThread

from ..core.threaded import ThreadedComponent
from .AdaptiveCommsComponent import _AdaptiveCommsable
from .Component import component

__all__ = ["threadedcomponent", "threadedadaptivecommscomponent"]

DefaultQueueSize = 1000


class threadedcomponent(component, ThreadedComponent):
    """
    An Axon component whose blocking C{main()} runs in its own thread.

    @param queuelengths: messages the thread may send ahead of delivery.
    """

    pause = ThreadedComponent.pause
    stop = ThreadedComponent.stop

    def __init__(self, queuelengths=DefaultQueueSize, **argd):
        super().__init__(maxPending=queuelengths, **argd)
        self.queuelengths = queuelengths

    def _mainFor(self, method):
        return method

    def _inReactor(self, f, *args, **kwargs):
        """
        Call C{f} in the reactor thread and return its result.
        """
        if isInIOThread() or not self.reactor.running:
            return f(*args, **kwargs)
        return blockingCallFromThread(self.reactor, f, *args, **kwargs)

    def main(self):
        """
        The old style, in the thread: C{initialiseComponent()}, C{mainBody()}
        until it returns a false value, C{closeDownComponent()}.
        """
        self.initialiseComponent()
        while self.mainBody():
            pass
        self.closeDownComponent()

    def link(self, source, sink, *optionalargs, **kwoptionalargs):
        return self._inReactor(component.link, self, source, sink, *optionalargs, **kwoptionalargs)

    def unlink(self, thecomponent=None, thelinkage=None):
        return self._inReactor(component.unlink, self, thecomponent, thelinkage)

    def addChildren(self, *children):
        return self._inReactor(component.addChildren, self, *children)

    def removeChild(self, child):
        return self._inReactor(component.removeChild, self, child)

    def sync(self):
        """
        Wait until what the thread asked of the reactor thread is done.
        """
        return self._inReactor(lambda: None)


class threadedadaptivecommscomponent(threadedcomponent, _AdaptiveCommsable):
    """
    A threaded component whose boxes can change while it runs.
    """

    def addInbox(self, *args):
        return self._inReactor(_AdaptiveCommsable.addInbox, self, *args)

    def deleteInbox(self, name):
        return self._inReactor(_AdaptiveCommsable.deleteInbox, self, name)

    def addOutbox(self, *args):
        return self._inReactor(_AdaptiveCommsable.addOutbox, self, *args)

    def deleteOutbox(self, name):
        return self._inReactor(_AdaptiveCommsable.deleteOutbox, self, name)
