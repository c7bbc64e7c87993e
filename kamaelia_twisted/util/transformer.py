"""
L{PureTransformer}: apply a function to every message, Kamaelia's way of
writing the common loop once::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import Collect, DataSource, PureTransformer

    sink = Collect()
    Pipeline(DataSource([1, 2, 3]), PureTransformer(lambda n: n * 10), sink).run()
    assert sink.collected == [10, 20, 30]

Subclasses override L{PureTransformer.processMessage} instead of passing a
function.
"""

from ..core.component import Component
from ..core.ipc import shutdownMicroprocess


class PureTransformer(Component):
    """
    Send C{function(message)} on C{outbox} for each message on C{inbox}
    (nothing when it returns L{None}), waiting for room when the receiver
    is full. L{producerFinished} on C{control} ends it once every message is
    handled, L{shutdownMicroprocess} at once; either is passed on.

    @ivar shutdown: the shutdown message that ended it, or L{None}.
    """

    __slots__ = ("shutdown",)

    def __init__(self, function=None, **attributes):
        """
        @param function: called with each message; default: L{processMessage}.
        """
        Component.__init__(self, **attributes)
        self.shutdown = None
        if function is not None:
            self.processMessage = function

    def processMessage(self, message):
        """
        Return what to send for C{message}; by default, the message itself.
        """
        return message

    def main(self):
        outbox = self.outboxes["outbox"]
        while True:
            while self.dataReady("inbox") and not outbox.isFull():
                result = self.processMessage(self.recv("inbox"))
                if result is not None:
                    self.send(result, "outbox")
            self.shutdown = self.checkShutdown() or self.shutdown
            if self.shutdown is not None and (
                    not self.dataReady("inbox") or isinstance(self.shutdown, shutdownMicroprocess)):
                self.send(self.shutdown, "signal")
                return
            if self.dataReady("inbox"):
                self.pauseUntilSpace()
            else:
                self.pause()
            yield 1
