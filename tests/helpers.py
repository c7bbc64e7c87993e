"""
Small components the tests share.
"""

from kamaelia_twisted import Component
from kamaelia_twisted.util import PureTransformer


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
