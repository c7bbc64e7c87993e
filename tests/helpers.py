"""
Small components the tests share.
"""

from twisted.internet.defer import Deferred

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


class Recorder(Component):
    """
    Keep what arrives on C{inbox} in C{messages}; end on shutdown.
    """

    def __init__(self, **attributes):
        Component.__init__(self, **attributes)
        self.messages = []
        self._waiters = []

    def whenCount(self, count):
        """
        Return a Deferred firing with C{messages} once it holds C{count}.
        """
        return self.when(lambda messages: len(messages) >= count)

    def when(self, condition):
        """
        Return a Deferred firing with C{messages} once C{condition(messages)}
        is true.
        """
        d = Deferred()
        self._waiters.append((condition, d))
        self._fire()
        return d

    def _fire(self):
        for waiter in list(self._waiters):
            condition, d = waiter
            if condition(self.messages):
                self._waiters.remove(waiter)
                d.callback(list(self.messages))

    def main(self):
        while not self.checkShutdown():
            while self.dataReady("inbox"):
                self.messages.append(self.recv("inbox"))
            self._fire()
            self.pause()
            yield 1
