"""
L{DataSource}: send a list of messages, then L{producerFinished}::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(DataSource(["a", "b"]), sink).run()
    assert sink.collected == ["a", "b"]
"""

from ..core.component import Component
from ..core.ipc import producerFinished


class DataSource(Component):
    """
    Send each of C{messages} on C{outbox}, waiting for room when the receiver
    is bounded, then L{producerFinished} on C{signal}.
    """

    def __init__(self, messages, **attributes):
        Component.__init__(self, **attributes)
        self.messages = messages

    def main(self):
        outbox = self.outboxes["outbox"]
        for message in self.messages:
            while outbox.isFull() and not self.dataReady("control"):
                self.pauseUntilSpace()
                yield 1
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.send(message)
        self.send(producerFinished(self), "signal")
        yield 1
