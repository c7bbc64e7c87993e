"""
L{Collect}: keep every message that arrives, until shutdown::

    from kamaelia_twisted.util import Collect, DataSource
    from kamaelia_twisted import Pipeline

    sink = Collect()
    Pipeline(DataSource([1, 2]), sink).run()
    assert sink.collected == [1, 2]
"""

from ..core.component import Component


class Collect(Component):
    """
    Append each message from C{inbox} to C{collected}; end on a shutdown
    message, passing it on, and return C{collected} from C{main}.

    @ivar collected: the messages received, in order.
    @ivar shutdown: the shutdown message that ended it, or L{None}.
    """

    def __init__(self, **attributes):
        Component.__init__(self, **attributes)
        self.collected = []
        self.shutdown = None

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.collected.append(self.recv("inbox"))
            self.shutdown = self.checkShutdown()
            if self.shutdown is not None:
                self.send(self.shutdown, "signal")
                return self.collected
            self.pause()
            yield 1
