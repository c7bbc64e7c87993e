"""
L{Image}: show the image file whose name arrives, scaled to fit::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.ui.pygame import Image
    from kamaelia_twisted.util import DataSource

    Pipeline(
        DataSource(["examples/images/slide1.png"]),
        Image(size=(320, 240), position=(8, 8)),
    ).run()                     # runs until the window is closed

A file that cannot be shown (missing, not an image) gives a placeholder
reading "cannot show <name>", and the reason is logged.
"""

import os

import pygame

from .component import PygameComponent
from .text import drawLines, getFont, wrapText


def fitImage(picture, size):
    """
    Scale C{picture} to the largest size that fits in C{size} with the same
    aspect ratio, smoothly.

    @param picture: a L{pygame.Surface}.
    @param size: C{(width, height)} to fit in.
    @return: a new L{pygame.Surface}.
    @raise ValueError: if C{picture} is empty.
    """
    width, height = picture.get_size()
    if not width or not height:
        raise ValueError("the image is empty ({}x{})".format(width, height))
    scale = min(size[0] / width, size[1] / height)
    fitted = (max(1, round(width * scale)), max(1, round(height * scale)))
    if picture.get_bitsize() < 24:
        picture = _trueColour(picture)
    return pygame.transform.smoothscale(picture, fitted)


def _trueColour(picture):
    copy = pygame.Surface(picture.get_size(), 0, 32)
    copy.blit(picture, (0, 0))
    return copy


class Image(PygameComponent):
    """
    Show, centred on C{bgcolour}, the image file whose name arrives on
    C{inbox}; send the name on C{outbox} once drawn.

    @ivar image: the name of the image shown, or L{None} before the first.
    @ivar picture: the scaled image shown, or L{None} (with a placeholder,
        or nothing yet).
    @ivar bgcolour: the colour around the image, and of the placeholder.
    @ivar fgcolour: the placeholder's text colour.
    @ivar fontSize: the placeholder's text height in pixels.
    """

    Inboxes = {"inbox": "Names of image files to show", "control": "Shutdown messages"}
    Outboxes = {"outbox": "The name of each image, once drawn", "signal": "Shutdown messages, passed on"}
    bgcolour = (128, 128, 128)
    fgcolour = (255, 255, 255)
    fontSize = 18
    image = picture = None

    def __init__(self, image=None, size=(320, 240), position=(0, 0), **attributes):
        """
        @param image: the name of a file to show at start, or L{None}.
        @param size: C{(width, height)} of the area the images fit in.
        @param position: C{(x, y)} in the window.
        """
        PygameComponent.__init__(self, size=size, position=position, **attributes)
        if image is not None:
            self.inboxes["inbox"].deliver(image)

    def handleMessages(self):
        while self.dataReady("inbox"):
            self.image = self.recv("inbox")
            self.picture = self._load(self.image)
            self.redraw()
            self.send(self.image)

    def _load(self, name):
        try:
            return fitImage(pygame.image.load(name), self.size)
        except (pygame.error, OSError, TypeError, ValueError):
            self.log.failure("{name} cannot show {image!r}", name=self.name, image=name)
            return None

    def draw(self, surface):
        surface.fill(self.bgcolour)
        if self.picture is not None:
            surface.blit(self.picture, self.picture.get_rect(center=surface.get_rect().center))
        elif self.image is not None:
            font = getFont(self.fontSize)
            text = "cannot show {}".format(os.path.basename(str(self.image)))
            drawLines(surface, wrapText(text, font, surface.get_width()), font, self.fgcolour, centred=True)
