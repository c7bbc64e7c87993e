"""
L{Repeat}: run a new component from a factory each time the last one
finishes, for ever, wired to the Repeat's boxes::

    from kamaelia_twisted.chassis.repeat import Repeat
    from kamaelia_twisted.file import ReadFileAdaptor

    Repeat(lambda: ReadFileAdaptor("song.ogg", readmode="bitrate", bitrate=128000))

Each run's C{outbox} leaves through the Repeat's. A shutdown message on the
Repeat's C{control} goes to the current component; once that has ended, the
message is passed on on C{signal}. A run that ends with an
L{errorOccurred} (or anything but L{producerFinished}) on its C{signal}
ends the Repeat, passing that on.
"""

from ..core.component import Component
from ..core.ipc import producerFinished


class Repeat(Component):
    """
    Run C{factory()} again and again, one at a time.

    @ivar runs: how many components have been started.
    """

    Inboxes = {"inbox": "Unused", "control": "Shutdown messages, for the current component",
               "_ended": "The current component's signal"}
    Outboxes = {"outbox": "The current component's outbox", "signal": "The message that ended the repeat"}

    def __init__(self, factory, **attributes):
        """
        @param factory: a callable returning a new component each time.
        """
        Component.__init__(self, **attributes)
        self.factory = factory
        self.runs = 0

    def main(self):
        while True:
            child = self.factory()
            self.runs += 1
            self.addChildren(child)
            self.link((child, "outbox"), (self, "outbox"), passthrough=2)
            self.link((child, "signal"), (self, "_ended"))
            while not self.dataReady("_ended"):
                shutdown = self.checkShutdown()
                if shutdown is not None:
                    child.inboxes["control"].deliver(shutdown)
                    yield child.whenDone().addErrback(lambda _: None)
                    self.removeChild(child)
                    self.send(shutdown, "signal")
                    return
                self.pause()
                yield 1
            ended = self.recv("_ended")
            yield child.whenDone().addErrback(lambda _: None)
            self.removeChild(child)
            if not isinstance(ended, producerFinished):
                self.send(ended, "signal")
                return
