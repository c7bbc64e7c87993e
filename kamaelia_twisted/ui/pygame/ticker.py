"""
L{Ticker}: show the text that arrives, newest at the bottom::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.ui.pygame import Ticker
    from kamaelia_twisted.util import DataSource

    Pipeline(
        DataSource(["Kamaelia", "on the Twisted reactor"]),
        Ticker(size=(320, 96), position=(8, 8)),
    ).run()                     # runs until the window is closed

Each message is wrapped to the width and added below the previous ones;
the oldest lines scroll off the top.
"""

from .component import PygameComponent
from .text import drawLines, getFont, wrapText


class Ticker(PygameComponent):
    """
    Show each message from C{inbox} (as C{str}) under the previous ones.

    @ivar lines: the lines shown, oldest first.
    @ivar fontSize: the text height in pixels.
    @ivar bgcolour: the background colour.
    @ivar fgcolour: the text colour.
    """

    Inboxes = {"inbox": "Text to show", "control": "Shutdown messages"}
    Outboxes = {"outbox": "Nothing is sent", "signal": "Shutdown messages, passed on"}
    fontSize = 16
    bgcolour = (255, 255, 255)
    fgcolour = (0, 0, 0)

    def __init__(self, size=(320, 96), position=(0, 0), **attributes):
        """
        @param size: C{(width, height)}.
        @param position: C{(x, y)} in the window.
        """
        PygameComponent.__init__(self, size=size, position=position, **attributes)
        self.lines = []

    def handleMessages(self):
        if not self.dataReady("inbox"):
            return
        font = getFont(self.fontSize)
        while self.dataReady("inbox"):
            self.lines.extend(wrapText(str(self.recv("inbox")), font, self.size[0]))
        fitting = max(1, self.size[1] // font.get_linesize())
        del self.lines[:-fitting]
        self.redraw()

    def draw(self, surface):
        surface.fill(self.bgcolour)
        drawLines(surface, self.lines, getFont(self.fontSize), self.fgcolour)
