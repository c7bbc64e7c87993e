"""
Tests for L{kamaelia_twisted.ui.pygame}: the display pumped by the reactor,
L{Button}, L{Image}, L{Ticker} and the slideshow example, on real SDL with its
dummy video driver.

Most tests drive the display with a L{Clock}, so polling and redrawing happen
exactly when a test advances it; the slideshow tests use the real reactor.
"""

import importlib.util
import os
import signal
import sys

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"

import pygame  # noqa: E402
from twisted.internet import defer, reactor  # noqa: E402
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol  # noqa: E402
from twisted.internet.error import ProcessTerminated  # noqa: E402
from twisted.internet.protocol import ProcessProtocol  # noqa: E402
from twisted.internet.task import Clock  # noqa: E402
from twisted.trial import unittest  # noqa: E402

from kamaelia_twisted import Component, Graphline, Pipeline, shutdownMicroprocess  # noqa: E402
from kamaelia_twisted.ui.pygame import (  # noqa: E402
    Button, Image, PygameComponent, PygameDisplay, Ticker, fitImage)
from kamaelia_twisted.ui.pygame.text import getFont, wrapText  # noqa: E402

from .helpers import Recorder, Relay  # noqa: E402
from .nethelpers import Recorder as PeerRecorder  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
GREY, WHITE, MAGENTA = (128, 128, 128), (255, 255, 255), (255, 0, 255)


def loadExample(name):
    """
    Import C{examples/<name>.py} as the module C{name}, as running it from
    there would.
    """
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, name + ".py"))
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slideshowExample = loadExample("slideshow")
remoteExample = loadExample("slideshow_remote")
SLIDES = slideshowExample.imageFiles(slideshowExample.IMAGES)
# Each slide's background colour and the colour at its centre.
SLIDE_COLOURS = [((200, 40, 40), (255, 220, 0)), ((40, 160, 60), (255, 255, 255)),
                 ((40, 70, 200), (255, 140, 0)), ((120, 40, 160), (120, 40, 160))]


class Pad(PygameComponent):
    """
    A green area that keeps the events it is given.
    """

    Inboxes = {"events": "Events from the display", "control": "Shutdown messages"}

    def __init__(self, **attributes):
        PygameComponent.__init__(self, **attributes)
        self.events = []

    def handleMessages(self):
        while self.dataReady("events"):
            event = self.recv("events")
            self.events.append((pygame.event.event_name(event.type), event.pos))

    def draw(self, surface):
        surface.fill((0, 200, 0))


def post(kind, **attributes):
    pygame.event.post(pygame.event.Event(kind, **attributes))


def click(pos):
    post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
    post(pygame.MOUSEBUTTONUP, pos=pos, button=1)


def centreOf(component):
    return pygame.Rect(component.position, component.size).center


def areaBytes(surface, rect):
    return pygame.image.tobytes(surface.subsurface(rect), "RGB")


def filled(size, colour):
    surface = pygame.Surface(size)
    surface.fill(colour)
    return surface


def expectedImage(name, size):
    """
    What an L{Image} of C{size} shows for C{name}: the file loaded and
    fitted as L{fitImage} does, centred on grey.
    """
    surface = filled(size, GREY)
    picture = fitImage(pygame.image.load(name), size)
    surface.blit(picture, picture.get_rect(center=surface.get_rect().center))
    return surface


class DisplayTestCase(unittest.TestCase):
    """
    Run components on a L{Clock}, and close every display afterwards.
    """

    def setUp(self):
        self.clock = Clock()
        self.addCleanup(pygame.display.quit)
        self.addCleanup(lambda: PygameDisplay.getDisplay(self.clock).close())
        self.addCleanup(lambda: PygameDisplay.getDisplay(reactor).close())

    def settle(self):
        """
        Run everything due now: components' steps and window updates.
        """
        clock = self.clock
        while any(call.getTime() <= clock.seconds() for call in clock.getDelayedCalls()):
            clock.advance(0)

    def start(self, graph):
        graph.activate()
        self.settle()
        self.display = PygameDisplay.getDisplay(self.clock)
        return graph

    def pump(self):
        """
        Let the display poll the events posted once, then settle.
        """
        self.clock.advance(self.display.pollInterval * 1.5)
        self.settle()

    def stop(self, graph):
        graph.inboxes["control"].deliver(shutdownMicroprocess())
        self.settle()
        self.assertTrue(graph.isDone())
        return graph.whenDone()

    def colourAt(self, pos):
        return tuple(self.display.surface.get_at(pos))[:3]

    def assertColourNear(self, pos, colour, tolerance=4):
        """
        Assert the window's colour at C{pos} is C{colour}, give or take what
        smooth scaling down changes.
        """
        actual = self.colourAt(pos)
        if any(abs(a - c) > tolerance for a, c in zip(actual, colour)):
            self.fail("colour at {} is {}, not about {}".format(pos, actual, colour))

    def buttons(self, **buttons):
        """
        A graph of C{buttons} whose clicks go to a L{Recorder} C{OUT}.
        """
        linkages = {(name, "outbox"): ("OUT", "inbox") for name in buttons}
        return Graphline(OUT=Recorder(reactor=self.clock), linkages=linkages, reactor=self.clock, **buttons)

    def button(self, name, position, size=(64, 24), **attributes):
        return Button(caption="", msg=name, position=position, size=size, reactor=self.clock, **attributes)


class WindowTests(DisplayTestCase):
    def test_opensToFitSurfaces(self):
        graph = self.start(Graphline(
            B=self.button("B", (8, 8)),
            I=Image(size=(100, 80), position=(8, 48), reactor=self.clock),
            reactor=self.clock))
        self.assertTrue(self.display.isOpen())
        self.assertTrue(self.display.isPumping())
        self.assertIs(self.display.surface, pygame.display.get_surface())
        self.assertEqual(self.display.surface.get_size(), (108 + 8, 128 + 8))
        self.assertEqual(self.display.pollInterval, 1.0 / 60)
        self.assertEqual(self.colourAt((40, 20)), Button.bgcolour)
        self.assertEqual(self.colourAt((50, 80)), GREY)
        self.assertEqual(self.colourAt((112, 20)), (0, 0, 0))
        return self.stop(graph)

    def test_growsForLaterSurfaces(self):
        graph = self.start(Graphline(B=self.button("B", (8, 8)), reactor=self.clock))
        self.assertEqual(self.display.surface.get_size(), (80, 40))
        ticker = Ticker(size=(50, 50), position=(100, 20), reactor=self.clock)
        graph.addChildren(ticker)
        self.settle()
        self.assertEqual(self.display.surface.get_size(), (158, 78))
        self.assertEqual(self.colourAt((40, 20)), Button.bgcolour)
        self.assertEqual(self.colourAt((120, 60)), Ticker.bgcolour)
        return self.stop(graph)

    def test_lastComponentEndingClosesWindow(self):
        graph = self.start(Graphline(B=self.button("B", (8, 8)), reactor=self.clock))
        display = self.display
        d = self.stop(graph)
        self.assertFalse(display.isOpen())
        self.assertFalse(display.isPumping())
        self.assertFalse(pygame.display.get_init())
        self.assertEqual(self.clock.getDelayedCalls(), [])
        self.assertIsNot(PygameDisplay.getDisplay(self.clock), display)
        return d

    def test_quitShutsDownGraph(self):
        """
        Closing the window stops a pipeline holding a display component,
        including the components that do not draw.
        """
        relay = Relay(reactor=self.clock)
        pipeline = self.start(Pipeline(relay, Ticker(reactor=self.clock), reactor=self.clock))
        display = self.display
        post(pygame.QUIT)
        self.pump()
        self.assertTrue(relay.isDone())
        self.assertTrue(pipeline.isDone())
        self.assertFalse(display.isOpen())
        self.assertFalse(display.isPumping())
        self.assertFalse(pygame.display.get_init())
        self.assertEqual(self.clock.getDelayedCalls(), [])
        return pipeline.whenDone()

    def test_pollsSlowerWhenIdle(self):
        graph = self.start(Graphline(B=self.button("B", (8, 8)), reactor=self.clock))
        display = self.display
        self.pump()
        self.clock.advance(display.idleAfter + 0.5)
        self.assertEqual(display.pollInterval, 1.0 / display.idleRate)
        post(pygame.MOUSEMOTION, pos=(200, 200), rel=(1, 1), buttons=(0, 0, 0))
        self.pump()
        self.assertEqual(display.pollInterval, 1.0 / display.activeRate)
        return self.stop(graph)

    def test_requestSurfaceErrors(self):
        display = PygameDisplay.getDisplay(self.clock)
        component = Component(reactor=self.clock)
        display.requestSurface(component, (0, 0), (10, 10))
        self.assertRaises(ValueError, display.requestSurface, component, (0, 0), (10, 10))
        self.assertRaises(ValueError, display.requestSurface, Component(), (0, 0), (10, 10), keys=True)
        display.close()
        self.assertRaises(RuntimeError, display.requestSurface, Component(), (0, 0), (10, 10))
        self.assertEqual(self.clock.getDelayedCalls(), [])


class EventRoutingTests(DisplayTestCase):
    def test_adjacentButtons(self):
        graph = self.start(self.buttons(A=self.button("A", (8, 8)), B=self.button("B", (72, 8))))
        click((71, 10))
        click((72, 31))
        self.pump()
        self.assertEqual(graph.components["OUT"].messages, ["A", "B"])
        return self.stop(graph)

    def test_clickOutsideDoesNothing(self):
        graph = self.start(self.buttons(A=self.button("A", (8, 8)), B=self.button("B", (8, 40))))
        click((40, 35))
        click((7, 10))
        click((300, 300))
        self.pump()
        self.assertEqual(graph.components["OUT"].messages, [])
        click((40, 45))
        self.pump()
        self.assertEqual(graph.components["OUT"].messages, ["B"])
        return self.stop(graph)

    def test_overlapGoesToTopmost(self):
        graph = self.start(self.buttons(
            A=self.button("A", (8, 8), size=(100, 40), bgcolour=(255, 0, 0)),
            B=self.button("B", (58, 8), size=(100, 40), bgcolour=(0, 0, 255))))
        self.assertEqual(self.colourAt((30, 28)), (255, 0, 0))
        self.assertEqual(self.colourAt((80, 28)), (0, 0, 255))
        click((80, 20))
        click((30, 20))
        self.pump()
        self.assertEqual(graph.components["OUT"].messages, ["B", "A"])
        return self.stop(graph)

    def test_pressShowsAndReleaseOutsideCancels(self):
        graph = self.start(self.buttons(A=self.button("A", (8, 8))))
        post(pygame.MOUSEBUTTONDOWN, pos=(20, 20), button=1)
        self.pump()
        self.assertEqual(self.colourAt((30, 20)), Button.fgcolour)
        post(pygame.MOUSEBUTTONUP, pos=(200, 20), button=1)
        self.pump()
        self.assertEqual(self.colourAt((30, 20)), Button.bgcolour)
        self.assertEqual(graph.components["OUT"].messages, [])
        click((20, 20))
        self.pump()
        self.assertEqual(graph.components["OUT"].messages, ["A"])
        return self.stop(graph)

    def test_otherMouseButtonsDoNotClick(self):
        graph = self.start(self.buttons(A=self.button("A", (8, 8))))
        post(pygame.MOUSEBUTTONDOWN, pos=(20, 20), button=3)
        post(pygame.MOUSEBUTTONUP, pos=(20, 20), button=3)
        click((20, 20))
        self.pump()
        self.assertEqual(graph.components["OUT"].messages, ["A"])
        return self.stop(graph)

    def test_keyBinding(self):
        graph = self.start(self.buttons(
            A=self.button("A", (8, 8), key=pygame.K_a),
            B=self.button("B", (8, 40), key=pygame.K_b),
            C=self.button("C", (8, 72))))
        post(pygame.KEYDOWN, key=pygame.K_b, mod=0, unicode="b", scancode=5)
        post(pygame.KEYUP, key=pygame.K_b, mod=0, unicode="b", scancode=5)
        post(pygame.KEYDOWN, key=pygame.K_c, mod=0, unicode="c", scancode=6)
        post(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a", scancode=4)
        self.pump()
        self.assertEqual(sorted(graph.components["OUT"].messages), ["A", "B"])
        return self.stop(graph)

    def test_positionsInSurfaceCoordinates(self):
        pad = Pad(position=(30, 40), size=(50, 50), reactor=self.clock)
        graph = self.start(Graphline(PAD=pad, reactor=self.clock))
        post(pygame.MOUSEMOTION, pos=(31, 41), rel=(1, 1), buttons=(0, 0, 0))
        post(pygame.MOUSEBUTTONDOWN, pos=(35, 47), button=1)
        post(pygame.MOUSEMOTION, pos=(10, 10), rel=(-25, -37), buttons=(1, 0, 0))
        post(pygame.MOUSEBUTTONUP, pos=(90, 95), button=1)
        post(pygame.MOUSEMOTION, pos=(10, 10), rel=(0, 0), buttons=(0, 0, 0))
        self.pump()
        self.assertEqual(pad.events, [
            ("MouseMotion", (1, 1)), ("MouseButtonDown", (5, 7)),
            ("MouseMotion", (-20, -30)), ("MouseButtonUp", (60, 55))])
        return self.stop(graph)


class RedrawTests(DisplayTestCase):
    def test_redrawLeavesOthersAlone(self):
        left = Image(size=(160, 120), position=(8, 8), reactor=self.clock)
        right = Image(image=SLIDES[2], size=(160, 120), position=(176, 8), reactor=self.clock)
        left.inboxes["inbox"].deliver(SLIDES[0])
        graph = self.start(Graphline(LEFT=left, RIGHT=right, reactor=self.clock))
        leftRect, rightRect = pygame.Rect(8, 8, 160, 120), pygame.Rect(176, 8, 160, 120)
        window = self.display.surface
        self.assertEqual(areaBytes(window, rightRect), areaBytes(expectedImage(SLIDES[2], (160, 120)), ((0, 0), (160, 120))))
        window.fill(MAGENTA, rightRect)
        left.inboxes["inbox"].deliver(SLIDES[1])
        self.settle()
        self.assertEqual(left.image, SLIDES[1])
        self.assertEqual(areaBytes(window, leftRect), areaBytes(expectedImage(SLIDES[1], (160, 120)), ((0, 0), (160, 120))))
        self.assertEqual(areaBytes(window, rightRect), areaBytes(filled((160, 120), MAGENTA), ((0, 0), (160, 120))))
        return self.stop(graph)

    def test_markDirtyPart(self):
        pad = Pad(position=(8, 8), size=(50, 50), reactor=self.clock)
        graph = self.start(Graphline(PAD=pad, reactor=self.clock))
        pad.surface.fill((0, 0, 200))
        self.display.markDirty(pad, (10, 10, 5, 5))
        self.settle()
        self.assertEqual(self.colourAt((18, 18)), (0, 0, 200))
        self.assertEqual(self.colourAt((22, 22)), (0, 0, 200))
        self.assertEqual(self.colourAt((17, 18)), (0, 200, 0))
        self.assertEqual(self.colourAt((23, 23)), (0, 200, 0))
        return self.stop(graph)

    def test_whenUpdated(self):
        pad = Pad(position=(8, 8), size=(50, 50), reactor=self.clock)
        graph = self.start(Graphline(PAD=pad, reactor=self.clock))
        updated = []
        self.display.whenUpdated().addCallback(updated.append)
        self.assertEqual(updated, [None])
        pad.surface.fill((0, 0, 200))
        self.display.markDirty(pad)
        self.display.whenUpdated().addCallback(updated.append)
        self.assertEqual(updated, [None])
        self.settle()
        self.assertEqual(updated, [None, None])
        return self.stop(graph)


class ImageTests(DisplayTestCase):
    def test_scaledToFitKeepingAspect(self):
        image = Image(image=SLIDES[0], size=(200, 200), position=(0, 0), reactor=self.clock)
        graph = self.start(Graphline(IMAGE=image, reactor=self.clock))
        self.assertEqual(image.picture.get_size(), (200, 150))
        self.assertEqual(self.colourAt((100, 24)), GREY)
        self.assertColourNear((5, 30), SLIDE_COLOURS[0][0])
        self.assertColourNear((100, 100), SLIDE_COLOURS[0][1])
        self.assertEqual(self.colourAt((100, 175)), GREY)
        self.assertEqual(areaBytes(self.display.surface, ((0, 0), (200, 200))),
                         areaBytes(expectedImage(SLIDES[0], (200, 200)), ((0, 0), (200, 200))))
        return self.stop(graph)

    def test_fitImage(self):
        picture = pygame.Surface((320, 240), 0, 8)
        self.assertEqual(fitImage(picture, (100, 100)).get_size(), (100, 75))
        self.assertEqual(fitImage(pygame.Surface((10, 40)), (100, 100)).get_size(), (25, 100))
        self.assertRaises(ValueError, fitImage, pygame.Surface((0, 10)), (100, 100))

    def placeholderShown(self, rect):
        """
        Tell whether C{rect} of the window shows the placeholder: grey, with
        white text in the middle.
        """
        window = self.display.surface
        corners = [window.get_at(p)[:3] for p in (rect.topleft, (rect.right - 1, rect.bottom - 1))]
        text = sum(1 for x in range(rect.left, rect.right) if window.get_at((x, rect.centery))[:3] == WHITE)
        return corners == [GREY, GREY] and text > 0

    def test_badFilesShowPlaceholder(self):
        garbage = self.mktemp()
        with open(garbage, "wb") as f:
            f.write(b"not an image at all" * 10)
        missing = self.mktemp()
        image = Image(size=(300, 100), position=(0, 0), reactor=self.clock)
        shown = Recorder(reactor=self.clock)
        graph = self.start(Graphline(IMAGE=image, SHOWN=shown, reactor=self.clock,
                                     linkages={("IMAGE", "outbox"): ("SHOWN", "inbox")}))
        rect = pygame.Rect(0, 0, 300, 100)
        self.assertEqual(self.colourAt((150, 50)), GREY)
        for name, error in [(garbage, pygame.error), (missing, FileNotFoundError), (42, TypeError)]:
            image.inboxes["inbox"].deliver(name)
            self.settle()
            self.assertEqual(shown.messages[-1], name)
            self.assertIsNone(image.picture)
            self.assertTrue(self.placeholderShown(rect), name)
            self.assertEqual(len(self.flushLoggedErrors(error)), 1)
        image.inboxes["inbox"].deliver(SLIDES[3])
        self.settle()
        self.assertFalse(self.placeholderShown(rect))
        self.assertColourNear((150, 50), SLIDE_COLOURS[3][1])
        return self.stop(graph)


class TickerTests(DisplayTestCase):
    def test_showsNewestLines(self):
        ticker = Ticker(size=(200, 60), position=(0, 0), reactor=self.clock)
        graph = self.start(Graphline(TICKER=ticker, reactor=self.clock))
        self.assertEqual(self.colourAt((100, 30)), WHITE)
        for n in range(1, 6):
            ticker.inboxes["inbox"].deliver("line {}".format(n))
        self.settle()
        self.assertEqual(ticker.lines, ["line 3", "line 4", "line 5"])
        linesize = getFont(ticker.fontSize).get_linesize()
        for row in range(3):
            band = [self.colourAt((x, y)) for x in range(0, 60) for y in range(row * linesize, (row + 1) * linesize)]
            self.assertIn(Ticker.fgcolour, band)
        return self.stop(graph)

    def test_wrapsLongText(self):
        ticker = Ticker(size=(120, 200), position=(0, 0), reactor=self.clock)
        graph = self.start(Graphline(TICKER=ticker, reactor=self.clock))
        ticker.inboxes["inbox"].deliver("the quick brown fox jumps over the lazy dog\nagain")
        self.settle()
        font = getFont(ticker.fontSize)
        self.assertGreater(len(ticker.lines), 2)
        self.assertEqual(" ".join(ticker.lines), "the quick brown fox jumps over the lazy dog again")
        self.assertEqual(ticker.lines[-1], "again")
        self.assertTrue(all(font.size(line)[0] <= 120 for line in ticker.lines))
        return self.stop(graph)

    def test_wrapText(self):
        font = getFont(16)
        self.assertEqual(wrapText("", font, 50), [""])
        self.assertEqual(wrapText("a\nb", font, 500), ["a", "b"])
        self.assertEqual(wrapText("unbreakablewordthatiswide x", font, 10), ["unbreakablewordthatiswide", "x"])


class SlideshowExampleTests(unittest.TestCase):
    """
    The slideshow example on the real reactor: clicks through its buttons,
    then closes the window.
    """

    timeout = 30

    def setUp(self):
        self.addCleanup(pygame.display.quit)
        self.addCleanup(lambda: PygameDisplay.getDisplay(reactor).close())

    @defer.inlineCallbacks
    def test_buttonsAndClose(self):
        graph = slideshowExample.slideshow(SLIDES)
        shown = Recorder()
        graph.addChildren(shown)
        image = graph.components["IMAGE"]
        graph.link((image, "outbox"), (shown, "inbox"))
        graph.activate()
        display = PygameDisplay.getDisplay(reactor)
        imageRect = pygame.Rect(image.position, image.size)
        centre = imageRect.center

        expected = []
        for button, index in [(None, 0), ("NEXT", 1), ("LAST", 3), ("NEXT", None), ("PREVIOUS", 2), ("FIRST", 0)]:
            if button is not None:
                click(centreOf(graph.components[button]))
            if index is None:
                continue
            expected.append(index)
            messages = yield shown.whenCount(len(expected))
            yield display.whenUpdated()
            self.assertEqual(messages[-1], SLIDES[index])
            window = display.surface
            self.assertEqual(tuple(window.get_at((imageRect.left + 5, imageRect.top + 5)))[:3], SLIDE_COLOURS[index][0])
            self.assertEqual(tuple(window.get_at(centre))[:3], SLIDE_COLOURS[index][1])
            self.assertEqual(areaBytes(window, imageRect),
                             areaBytes(expectedImage(SLIDES[index], image.size), ((0, 0), image.size)))
        self.assertEqual(shown.messages, [SLIDES[i] for i in expected])

        post(pygame.QUIT)
        yield graph.whenDone()
        self.assertTrue(all(child.isDone() for child in graph.childComponents()))
        self.assertFalse(display.isOpen())
        self.assertFalse(display.isPumping())
        self.assertFalse(pygame.display.get_init())

    def test_imageFiles(self):
        self.assertEqual([os.path.basename(name) for name in SLIDES],
                         ["slide1.png", "slide2.png", "slide3.png", "slide4.png"])
        folder = self.mktemp()
        os.mkdir(folder)
        for name in ["b.PNG", "a.jpg", "notes.txt"]:
            open(os.path.join(folder, name), "wb").close()
        self.assertEqual(slideshowExample.imageFiles(folder),
                         [os.path.join(folder, "a.jpg"), os.path.join(folder, "b.PNG")])


class ScriptProcess(ProcessProtocol):
    """
    An example script run as a child process: C{whenPrinted(text)} fires
    with the output once it contains C{text}; C{ended} fires with the reason
    it ended.
    """

    def __init__(self):
        self.output = ""
        self.ended = defer.Deferred()
        self._waiters = []

    def whenPrinted(self, text):
        d = defer.Deferred()
        self._waiters.append((text, d))
        self.outReceived(b"")
        return d

    def outReceived(self, data):
        self.output += data.decode("utf-8", "replace")
        for waiter in [w for w in self._waiters if w[0] in self.output]:
            self._waiters.remove(waiter)
            waiter[1].callback(self.output)

    errReceived = outReceived

    def processEnded(self, reason):
        self.ended.callback(reason.value)


class RemoteSlideshowExampleTests(unittest.TestCase):
    """
    The slideshow with its TCP remote control: commands from a real client
    over loopback change the image.
    """

    timeout = 30

    def setUp(self):
        self.addCleanup(pygame.display.quit)
        self.addCleanup(lambda: PygameDisplay.getDisplay(reactor).close())

    @defer.inlineCallbacks
    def test_remoteCommands(self):
        graph = remoteExample.remoteSlideshow(SLIDES, endpoint="tcp:0:interface=127.0.0.1")
        show = graph.components["SLIDESHOW"]
        image = show.components["IMAGE"]
        shown = Recorder()
        show.addChildren(shown)
        show.link((image, "outbox"), (shown, "inbox"))
        graph.activate()
        port = yield graph.components["SERVER"].whenListening()
        peer = yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port.getHost().port),
                                     PeerRecorder())
        peer.transport.write(b"NEXT\nlast\r\nJUMP\n")
        messages = yield shown.whenCount(3)
        self.assertEqual(messages, [SLIDES[0], SLIDES[1], SLIDES[3]])
        replies = b"OK NEXT\nOK LAST\nERROR unknown command; try NEXT PREV FIRST LAST SAME\n"
        yield peer.whenReceived(len(replies))
        self.assertEqual(bytes(peer.received), replies)

        display = PygameDisplay.getDisplay(reactor)
        yield display.whenUpdated()
        imageRect = pygame.Rect(image.position, image.size)
        self.assertEqual(areaBytes(display.surface, imageRect),
                         areaBytes(expectedImage(SLIDES[3], image.size), ((0, 0), image.size)))

        click(centreOf(show.components["PREVIOUS"]))
        messages = yield shown.whenCount(4)
        self.assertEqual(messages[-1], SLIDES[2])

        peer.transport.loseConnection()
        yield peer.done
        post(pygame.QUIT)
        yield graph.whenDone()
        self.assertTrue(graph.components["BACKPLANE"].isDone())
        self.assertTrue(graph.components["SERVER"].isDone())
        self.assertFalse(display.isOpen())

    @defer.inlineCallbacks
    def test_script(self):
        """
        The script listens, obeys a command, and on SIGTERM stops its graph
        and exits with status 143, without a traceback.
        """
        script = ScriptProcess()
        environment = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
                           PYTHONPATH=os.pathsep.join([os.path.dirname(EXAMPLES)] + sys.path))
        process = reactor.spawnProcess(
            script, sys.executable,
            [sys.executable, os.path.join(EXAMPLES, "slideshow_remote.py"), "--port", "0",
             "--interface", "127.0.0.1"],
            env=environment)
        self.addCleanup(self.killed, process, script)
        output = yield script.whenPrinted("\n")
        self.assertTrue(output.startswith("remote control on port "), output)
        port = int(output.split()[-1])
        peer = yield connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port), PeerRecorder())
        peer.transport.write(b"NEXT\n")
        yield peer.whenReceived(len(b"OK NEXT\n"))
        self.assertEqual(bytes(peer.received), b"OK NEXT\n")
        peer.transport.loseConnection()
        yield peer.done
        process.signalProcess("TERM")
        reason = yield script.ended
        self.assertIsInstance(reason, ProcessTerminated, script.output)
        self.assertEqual(reason.exitCode, 128 + signal.SIGTERM, script.output)
        self.assertNotIn("Traceback", script.output)

    def killed(self, process, script):
        if process.pid is not None:
            process.signalProcess("KILL")
        return script.ended
