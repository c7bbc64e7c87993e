"""
Small components the tests share.
"""

from kamaelia_twisted import Component


class Relay(Component):
    """
    Pass every message from C{inbox} to C{outbox}; end on shutdown.
    """

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox"))
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
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
