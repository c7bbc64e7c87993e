"""
Small components and fixtures the tests share.
"""

import os

from twisted.internet import reactor, task
from twisted.internet.defer import Deferred

from kamaelia_twisted import Component, producerFinished
from kamaelia_twisted.util import Collect, PureTransformer


def setEnvironment(testCase, **variables):
    """
    Set environment variables for the rest of C{testCase}, restoring them
    when it ends.
    """
    for name, value in variables.items():
        testCase.addCleanup(_restoreVariable, name, os.environ.get(name))
        os.environ[name] = value


def _restoreVariable(name, value):
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


class Relay(PureTransformer):
    """
    Pass every message from C{inbox} to C{outbox}; end on shutdown.
    """


class Burst(Component):
    """
    Send C{messages} all at once, then L{producerFinished}: the producer
    Kamaelia users write, which never waits for room.
    """

    messages = ()

    def main(self):
        for message in self.messages:
            self.send(message)
        self.send(producerFinished(self), "signal")
        yield 1


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
            self.pause()
            self._fire()  # after pause(): what the waiters' callbacks deliver wakes it
            yield 1


class PacedSink(Component):
    """
    Take one message per C{delay} seconds (none while C{hold} is set),
    counting bytes; end once its producer has finished and the inbox is empty.

    @ivar received: the bytes counted.
    @ivar full: a L{Deferred} fired the first time its inbox is full.
    """

    def __init__(self, delay=0.001, hold=False, **attributes):
        Component.__init__(self, **attributes)
        self.delay, self.hold = delay, hold
        self.received = 0
        self.full = Deferred()

    def release(self):
        """
        Start taking messages.
        """
        self.hold = False
        self.inboxes["control"].deliver(None)

    def main(self):
        finished = None
        while True:
            if not self.full.called and self.inboxes["inbox"].isFull():
                self.full.callback(None)
            shutdown = self.checkShutdown()
            finished = finished or shutdown
            if self.hold or not self.dataReady("inbox"):
                if finished is not None:
                    break
                self.pause()
                yield 1
                continue
            self.received += len(self.recv("inbox"))
            yield task.deferLater(reactor, self.delay, lambda: None)
        self.send(finished, "signal")
        return self.received
