"""
A graphline in Kamaelia's style: a ticker that a chooser drives round a
playlist, with a clock component pressing "NEXT" every so often.

    python examples/kamaelia_style_graphline.py --ticks 5

Kamaelia's slideshow wires buttons to a Chooser and the Chooser to an Image;
here a Clock stands in for the buttons and a Printer for the image, so it runs
anywhere.
"""

import argparse

from twisted.internet import task

from kamaelia_twisted import Component, Graphline, producerFinished
from kamaelia_twisted.program import positive, runProgram
from kamaelia_twisted.util import PureTransformer


class Clock(Component):
    """
    Send C{msg} on C{outbox} every C{interval} seconds, C{ticks} times.
    """

    interval, ticks, msg = 0.1, 3, "NEXT"

    def main(self):
        for _ in range(self.ticks):
            yield task.deferLater(self.reactor, self.interval, lambda: None)
            self.send(self.msg)
        self.send(producerFinished(self), "signal")


class Playlist(PureTransformer):
    """
    Answer each "NEXT" with the next item, round and round.
    """

    items = ()
    position = 0

    def processMessage(self, message):
        if message == "NEXT":
            self.position += 1
            return self.items[(self.position - 1) % len(self.items)]


class Printer(PureTransformer):
    """
    Print what arrives.
    """

    def processMessage(self, message):
        print("now showing:", message)


def makeGraph(ticks=3, interval=0.1):
    return Graphline(
        CLOCK=Clock(ticks=ticks, interval=interval),
        CHOOSER=Playlist(items=["intro.png", "middle.png", "end.png"]),
        DISPLAY=Printer(),
        linkages={
            ("CLOCK", "outbox"): ("CHOOSER", "inbox"),
            ("CLOCK", "signal"): ("CHOOSER", "control"),
            ("CHOOSER", "outbox"): ("DISPLAY", "inbox"),
            ("CHOOSER", "signal"): ("DISPLAY", "control"),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A Kamaelia-style graphline.")
    parser.add_argument("--ticks", type=positive(int), default=5, help="how many ticks to run (default 5)")
    runProgram(makeGraph(parser.parse_args().ticks), "kamaelia_style_graphline")
