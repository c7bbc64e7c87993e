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


class PureTransformer(Component):
    """
    Send C{function(message)} on C{outbox} for each message on C{inbox}
    (nothing when it returns L{None}); wait for room when the receiver is
    full; on a shutdown message, pass it on and end.
    """

    def __init__(self, function=None, **attributes):
        """
        @param function: called with each message; default: L{processMessage}.
        """
        Component.__init__(self, **attributes)
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
            while self.dataReady("inbox"):
                if outbox.isFull():
                    yield outbox.whenSpace()
                result = self.processMessage(self.recv("inbox"))
                if result is not None:
                    self.send(result, "outbox")
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1
