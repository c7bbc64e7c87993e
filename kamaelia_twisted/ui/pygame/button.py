"""
L{Button}: a clickable caption that sends a message::

    import pygame
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.ui.pygame import Button, Ticker

    Pipeline(
        Button(caption="Say hello", msg="hello", position=(8, 8), key=pygame.K_h),
        Ticker(position=(8, 48), size=(240, 96)),
    ).run()

A click is a press and a release of the left mouse button on the button; it
shows pressed between the two. With C{key}, pressing that key clicks it too.
"""

import pygame

from .component import PygameComponent
from .text import drawLines, getFont


class Button(PygameComponent):
    """
    Send C{msg} on C{outbox} each time the button is clicked.

    @ivar caption: the text shown.
    @ivar msg: what a click sends.
    @ivar key: a pygame key code (such as C{pygame.K_RIGHT}) that clicks it,
        or L{None}.
    @ivar size: C{(width, height)}; by default the caption's size plus
        C{margin} on each side.
    @ivar fontSize: the caption's height in pixels.
    @ivar bgcolour: the background colour (the caption's, while pressed).
    @ivar fgcolour: the caption's colour (the background's, while pressed).
    @ivar pressed: whether it shows pressed.
    """

    Inboxes = {
        "inbox": "New captions to show",
        "events": "Mouse and key events from the display",
        "control": "Shutdown messages",
    }
    Outboxes = {"outbox": "msg, once per click", "signal": "Shutdown messages, passed on"}
    margin = 6
    fontSize = 12
    bgcolour = (224, 224, 224)
    fgcolour = (0, 0, 0)
    pressed = False

    def __init__(self, caption="Button", msg="CLICK", position=(0, 0), key=None, size=None, **attributes):
        """
        @param caption: the text shown.
        @param msg: what a click sends on C{outbox}.
        @param position: C{(x, y)} in the window.
        @param key: a pygame key code that clicks it, or L{None}.
        @param size: C{(width, height)}, or L{None} to fit the caption.
        """
        PygameComponent.__init__(self, position=position, **attributes)
        self.caption, self.msg, self.key = caption, msg, key
        self.wantsKeys = key is not None
        if size is None:
            width, height = getFont(self.fontSize).size(caption)
            size = (width + 2 * self.margin, height + 2 * self.margin)
        self.size = size

    def draw(self, surface):
        back, fore = (self.fgcolour, self.bgcolour) if self.pressed else (self.bgcolour, self.fgcolour)
        surface.fill(back)
        pygame.draw.rect(surface, fore, surface.get_rect(), 1)
        drawLines(surface, [self.caption], getFont(self.fontSize), fore, centred=True)

    def handleMessages(self):
        while self.dataReady("inbox"):
            self.caption = self.recv("inbox")
            self.redraw()
        while self.dataReady("events"):
            event = self.recv("events")
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                self._press(True)
            elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.pressed:
                self._press(False)
                if self.surface.get_rect().collidepoint(event.pos):
                    self.send(self.msg)
            elif event.type == pygame.KEYDOWN and event.key == self.key:
                self.send(self.msg)

    def _press(self, pressed):
        self.pressed = pressed
        self.redraw()
