"""
Small components the tests share.
"""

from kamaelia_twisted import Component
from kamaelia_twisted.util import Collect, PureTransformer


class Relay(PureTransformer):
    """
    Pass every message from C{inbox} to C{outbox}; end on shutdown.
    """


class Raiser(Component):
    """
    Raise L{ValueError} on the first message.
    """

    def main(self):
        while not self.dataReady("inbox"):
            self.pause()
            yield 1
        raise ValueError("bad message {!r}".format(self.recv("inbox")))


class SlowSink(Collect):
    """
    Take one message per step from a C{size}-bounded inbox, recording in
    C{most} the most messages that ever waited there.
    """

    def __init__(self, size, **attributes):
        Collect.__init__(self, **attributes)
        self.inboxes["inbox"].setSize(size)
        self.most = 0

    def main(self):
        while True:
            self.most = max(self.most, self.dataReady("inbox"))
            if self.dataReady("inbox"):
                self.collected.append(self.recv("inbox"))
                yield 1
                continue
            self.shutdown = self.checkShutdown()
            if self.shutdown is not None:
                self.send(self.shutdown, "signal")
                return self.collected
            self.pause()
            yield 1
