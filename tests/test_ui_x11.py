"""
The pygame display on a real X server (Xvfb): the reactor watches the X
socket instead of polling, and real pointer input from another X client
reaches the slideshow's buttons through it.

Skipped where Xvfb, libX11 or libXtst is missing (.ci/run installs them).
"""

import pygame
from twisted.internet import defer, reactor
from twisted.trial import unittest

from kamaelia_twisted.ui.pygame import PygameDisplay
from kamaelia_twisted.ui.pygame.xsocket import xConnectionNumber

from .helpers import Recorder, setEnvironment
from .test_ui import SLIDE_COLOURS, SLIDES, areaBytes, centreOf, expectedImage, slideshowExample
from .xserver import XServer


class X11DisplayTests(unittest.TestCase):
    timeout = 30

    def setUp(self):
        server = XServer()
        self.addCleanup(server.stop)
        self.server = server
        # SDL ignores a click that comes within 10 ms of the window taking
        # focus, as the pointer entering an Xvfb window with no window
        # manager makes it do.
        setEnvironment(self, DISPLAY=server.display, SDL_VIDEODRIVER="x11", SDL_MOUSE_FOCUS_CLICKTHROUGH="1")
        self.addCleanup(pygame.display.quit)
        self.addCleanup(lambda: PygameDisplay.getDisplay(reactor).close())

    def startSlideshow(self):
        graph = slideshowExample.slideshow(SLIDES)
        shown = Recorder()
        graph.addChildren(shown)
        graph.link((graph.components["IMAGE"], "outbox"), (shown, "inbox"))
        graph.activate()
        return graph, shown

    @defer.inlineCallbacks
    def test_socketWatchedNotPolled(self):
        """
        On X11 the reactor reads the X server's socket; nothing polls.
        """
        graph, shown = self.startSlideshow()
        yield shown.whenCount(1)
        display = PygameDisplay.getDisplay(reactor)
        yield display.whenUpdated()
        self.assertEqual(pygame.display.get_driver(), "x11")
        self.assertIsNot(display.xSocket, None)
        self.assertEqual(display.xSocket.fd, xConnectionNumber())
        self.assertIn(display.xSocket, reactor.getReaders())
        self.assertIsNone(display.pollInterval)
        self.assertTrue(display.isPumping())

        graph.components["IMAGE"].stop()
        for child in graph.childComponents():
            child.stop()
        self.assertFalse(display.isOpen())
        self.assertNotIn(display.xSocket, reactor.getReaders())
        self.assertIsNone(display.xSocket)

    @defer.inlineCallbacks
    def test_clicksFromTheXServer(self):
        """
        Clicks made by another X client reach the buttons with nothing
        polling: the X socket wakes the reactor, and the slideshow shows the
        next image.
        """
        graph, shown = self.startSlideshow()
        yield shown.whenCount(1)
        display = PygameDisplay.getDisplay(reactor)
        yield display.whenUpdated()
        window = pygame.display.get_wm_info()["window"]
        image = graph.components["IMAGE"]
        imageRect = pygame.Rect(image.position, image.size)

        for count, (button, index) in enumerate([("NEXT", 1), ("LAST", 3), ("FIRST", 0)], start=2):
            self.assertIsNone(display.pollInterval)
            self.server.click(window, centreOf(graph.components[button]))
            messages = yield shown.whenCount(count)
            yield display.whenUpdated()
            self.assertEqual(messages[-1], SLIDES[index])
            self.assertEqual(tuple(display.surface.get_at(imageRect.center))[:3], SLIDE_COLOURS[index][1])
            self.assertEqual(areaBytes(display.surface, imageRect),
                             areaBytes(expectedImage(SLIDES[index], image.size), ((0, 0), image.size)))
        display.close()
        yield graph.whenDone()

    @defer.inlineCallbacks
    def test_pumpFailureClosesTheWindow(self):
        """
        An exception while handling the X server's events is logged and
        closes the window, which shuts the graph down.
        """
        graph, shown = self.startSlideshow()
        yield shown.whenCount(1)
        display = PygameDisplay.getDisplay(reactor)
        yield display.whenUpdated()

        def fail(event):
            raise ZeroDivisionError("handling " + pygame.event.event_name(event.type))

        self.patch(display, "_dispatch", fail)
        self.server.click(pygame.display.get_wm_info()["window"], (20, 20))
        yield graph.whenDone()
        self.assertEqual(len(self.flushLoggedErrors(ZeroDivisionError)), 1)
        self.assertFalse(display.isOpen())
        self.assertIsNone(display.xSocket)
        self.assertFalse(pygame.display.get_init())

    @defer.inlineCallbacks
    def test_closeButton(self):
        """
        The window manager's close request ends the slideshow's graph.
        """
        graph, shown = self.startSlideshow()
        yield shown.whenCount(1)
        display = PygameDisplay.getDisplay(reactor)
        yield display.whenUpdated()
        self.server.closeWindow(pygame.display.get_wm_info()["window"])
        yield graph.whenDone()
        self.assertTrue(all(child.isDone() for child in graph.childComponents()))
        self.assertFalse(display.isOpen())
        self.assertIsNone(display.xSocket)
