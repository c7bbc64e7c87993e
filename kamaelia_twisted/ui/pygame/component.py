"""
L{PygameComponent}: a component that draws on a surface of its own in the
window of L{PygameDisplay}.

A subclass draws in L{PygameComponent.draw} and handles its inboxes in
L{PygameComponent.handleMessages}, calling L{PygameComponent.redraw} when
what it shows changes::

    from kamaelia_twisted.ui.pygame import PygameComponent

    class Swatch(PygameComponent):
        '''Fill with each colour that arrives, such as (255, 0, 0).'''
        colour = (0, 0, 0)

        def handleMessages(self):
            while self.dataReady("inbox"):
                self.colour = self.recv("inbox")
                self.redraw()

        def draw(self, surface):
            surface.fill(self.colour)

    Swatch(position=(8, 8), size=(64, 64)).run()
"""

from ...core.component import Component
from .display import PygameDisplay


class PygameComponent(Component):
    """
    Ask the display for a surface at C{position} of C{size}, draw, then
    handle messages until a shutdown message arrives on C{control} (passed
    on out of C{signal}). Mouse events that hit the surface arrive on the
    C{events} inbox when the class declares one, key events too when
    L{wantsKeys} is true.

    @ivar position: C{(x, y)} of the surface in the window.
    @ivar size: C{(width, height)} of the surface.
    @ivar display: the L{PygameDisplay}, once running.
    @ivar surface: the surface drawn on, once running.
    """

    position = (0, 0)
    size = (64, 64)
    wantsKeys = False
    display = surface = None

    def main(self):
        self.display = PygameDisplay.getDisplay(self.reactor)
        events = "events" if "events" in self.inboxes else None
        self.surface = self.display.requestSurface(self, self.position, self.size, events, self.wantsKeys)
        self.redraw()
        while True:
            self.handleMessages()
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1

    def redraw(self):
        """
        Draw the surface afresh and have the window show it.
        """
        self.draw(self.surface)
        self.display.markDirty(self)

    def draw(self, surface):
        """
        Draw on C{surface}; override it.
        """

    def handleMessages(self):
        """
        Take and act on waiting messages (other than on C{control}); override it.
        """
