"""
L{PygameDisplay}: one pygame window, shared by components, pumped by the reactor.

Each component asks the display of its reactor for a surface of its own, at a
position and size in the window, draws on it and marks it dirty; the display
copies the dirty parts into the window and updates only those rectangles.
Mouse events go to the component under the pointer, in its own coordinates;
key events go to the components that asked for them. Closing the window asks
the components and their graphs to shut down::

    from kamaelia_twisted import Component
    from kamaelia_twisted.ui.pygame import PygameDisplay

    class RedSquare(Component):
        def main(self):
            display = PygameDisplay.getDisplay(self.reactor)
            display.requestSurface(self, (8, 8), (64, 64)).fill((255, 0, 0))
            display.markDirty(self)
            while not self.checkShutdown():     # until the window is closed
                self.pause()
                yield 1

    RedSquare().run()

The window opens when the first surface is drawn, grows to hold every
surface, and closes when the last component holding a surface ends.
"""

import pygame
from twisted.internet.defer import Deferred, succeed
from twisted.internet.interfaces import IReactorFDSet
from twisted.internet.task import LoopingCall
from twisted.logger import Logger

from ...core.boxes import BoxFull
from ...core.runtime import Runtime
from ...core.shutdown import askToStop
from .xsocket import XEventSocket, xConnectionNumber

_MOUSE = frozenset([pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION])
_KEYS = frozenset([pygame.KEYDOWN, pygame.KEYUP])
_EXPOSED = frozenset([pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED])


class _Client:
    """
    A component's place in the window.

    @ivar component: the component.
    @ivar rect: where its surface goes, in window coordinates.
    @ivar surface: what it draws on.
    @ivar events: the name of its inbox for events, or L{None}.
    @ivar keys: whether key events go to it too.
    """

    def __init__(self, component, rect, surface, events, keys):
        self.component = component
        self.rect = rect
        self.surface = surface
        self.events = events
        self.keys = keys


class PygameDisplay:
    """
    The pygame window of one reactor, shared by components.

    Get it with L{getDisplay}, not by instantiating it. While the window is
    open on X11, the reactor watches the X server's socket and reads
    pygame's events when it is readable (and after each window update), so
    an idle window costs nothing. With other video drivers, or a reactor
    that cannot watch sockets (such as a L{Clock<twisted.internet.task.Clock>}), a
    L{LoopingCall<twisted.internet.task.LoopingCall>} polls
    them, L{activeRate} times a second while events arrive and
    L{idleRate} times a second once none has come for L{idleAfter} seconds.
    Redrawing is not polled: L{markDirty} schedules one window update for
    the next reactor iteration.

    @cvar caption: the window title.
    @cvar bgcolour: the window colour where no component draws.
    @cvar margin: room left right of and below the lowest, rightmost surface.
    @cvar activeRate: event polls per second while events arrive.
    @cvar idleRate: event polls per second when idle.
    @cvar idleAfter: seconds without events before polling at L{idleRate}.
    @ivar reactor: the reactor that pumps this display.
    @ivar surface: the window's surface, or L{None} while it is not open.
    """

    caption = "Kamaelia"
    bgcolour = (0, 0, 0)
    margin = 8
    activeRate = 60
    idleRate = 10
    idleAfter = 1.0
    log = Logger()

    def __init__(self, reactor):
        self.reactor = reactor
        self.surface = None
        self._closed = False
        self._clients = []
        self._grab = None
        self._dirty = []
        self._flushCall = None
        self._updateWaiters = []
        self._lastEvent = 0.0
        self._pump = LoopingCall(self._pumpEvents)
        self._pump.clock = reactor
        self._xSocket = None

    @classmethod
    def getDisplay(cls, reactor=None):
        """
        Return the display of C{reactor}, making it on first use (and again
        after it has closed).

        @param reactor: the reactor (default: the global one).
        @rtype: L{PygameDisplay}
        """
        if reactor is None:
            from twisted.internet import reactor
        shared = Runtime.of(reactor).shared
        display = shared.get(cls)
        if display is None:
            display = shared[cls] = cls(reactor)
        return display

    def isOpen(self):
        """
        Tell whether the window is open (and its events polled).
        """
        return self.surface is not None

    def isPumping(self):
        """
        Tell whether pygame's events are being read (polled, or on X11 read
        when the X server sends some).
        """
        return self._pump.running or self._xSocket is not None

    @property
    def pollInterval(self):
        """
        Seconds between event polls now, or L{None} while not polling.
        """
        return self._pump.interval if self._pump.running else None

    @property
    def xSocket(self):
        """
        The L{XEventSocket} the reactor watches while the window is open on
        X11, or L{None}.
        """
        return self._xSocket

    # Clients

    def requestSurface(self, component, position, size, events=None, keys=False):
        """
        Give C{component} a surface of its own in the window. It keeps it
        until it ends; then its area shows what lies beneath.

        @param component: the component that will draw on it.
        @param position: C{(x, y)} of its top-left corner in the window.
        @param size: C{(width, height)}.
        @param events: the name of C{component}'s inbox for the mouse events
            that hit its surface (their C{pos} in surface coordinates), or
            L{None} for none.
        @param keys: whether key events go to that inbox too.
        @return: a L{pygame.Surface} of C{size}, black until drawn on; call
            L{markDirty} after drawing.
        @raise RuntimeError: if this display has closed.
        @raise ValueError: if C{component} already has a surface, or C{keys}
            is asked without C{events}.
        """
        if self._closed:
            raise RuntimeError("the pygame display has closed")
        if self._clientOf(component) is not None:
            raise ValueError("{} already has a surface".format(component.name))
        if keys and events is None:
            raise ValueError("key events need an events inbox")
        surface = pygame.Surface(size)
        client = _Client(component, pygame.Rect(position, size), surface, events, keys)
        self._clients.append(client)
        component.whenDone().addBoth(lambda _: self.release(component))
        self._markWindowDirty(client.rect)
        return surface

    def markDirty(self, component, rect=None):
        """
        Tell the display that C{component} has drawn on its surface; the
        window shows it at the next reactor iteration.

        @param rect: the changed part, in surface coordinates (default: all).
        """
        client = self._clientOf(component)
        if client is None:
            return
        if rect is None:
            changed = client.rect
        else:
            changed = pygame.Rect(rect).move(client.rect.topleft).clip(client.rect)
        self._markWindowDirty(changed)

    def release(self, component):
        """
        Take back C{component}'s surface (done for it when it ends); the
        window closes when no component holds a surface.
        """
        client = self._clientOf(component)
        if client is None:
            return
        self._clients.remove(client)
        if self._grab is client:
            self._grab = None
        if self._clients:
            self._markWindowDirty(client.rect)
        else:
            self._stop()

    def _clientOf(self, component):
        for client in self._clients:
            if client.component is component:
                return client
        return None

    def close(self):
        """
        Close the window and stop polling events, asking every component
        holding a surface, and the outermost component of its graph, to shut
        down (L{shutdownMicroprocess} on C{control}). Done when the window's
        close button is pressed; closing again does nothing.
        """
        clients, self._clients = self._clients, []
        self._stop()
        for component in _graphsOf(client.component for client in clients):
            askToStop(component, self)

    def _stop(self):
        self._closed = True
        self._grab = None
        shared = Runtime.of(self.reactor).shared
        if shared.get(type(self)) is self:
            del shared[type(self)]
        if self._pump.running:
            self._pump.stop()
        if self._xSocket is not None:
            self.reactor.removeReader(self._xSocket)
            self._xSocket = None
        if self._flushCall is not None:
            self._flushCall.cancel()
            self._flushCall = None
        if self.surface is not None:
            self.surface = None
            pygame.display.quit()
        self._dirty = []
        self._fireUpdated()

    # Drawing

    def whenUpdated(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires (with L{None}) once the window shows
        everything marked dirty so far: at once if it does already.
        """
        if self._flushCall is None:
            return succeed(None)
        d = Deferred()
        self._updateWaiters.append(d)
        return d

    def _markWindowDirty(self, rect):
        if self._closed or any(dirty.contains(rect) for dirty in self._dirty):
            return
        self._dirty.append(rect)
        if self._flushCall is None:
            self._flushCall = self.reactor.callLater(0, self._flush)

    def _flush(self):
        self._flushCall = None
        self._fitWindow()
        bounds = self.surface.get_rect()
        rects = [rect.clip(bounds) for rect in self._dirty]
        self._dirty = []
        for rect in rects:
            self._compose(rect)
        pygame.display.update(rects)
        self._fireUpdated()
        if self._xSocket is not None:
            # Updating may have read events from the socket into Xlib's
            # queue, where the socket no longer tells of them.
            self._xSocket.doRead()

    def _fitWindow(self):
        width = max(client.rect.right for client in self._clients) + self.margin
        height = max(client.rect.bottom for client in self._clients) + self.margin
        if self.surface is None:
            pygame.display.init()
            pygame.display.set_caption(self.caption)
        elif self.surface.get_width() >= width and self.surface.get_height() >= height:
            return
        else:
            width = max(width, self.surface.get_width())
            height = max(height, self.surface.get_height())
        self.surface = pygame.display.set_mode((width, height))
        self._dirty = [self.surface.get_rect()]
        if not self.isPumping():
            self._startPump()

    def _compose(self, rect):
        window = self.surface
        window.fill(self.bgcolour, rect)
        for client in self._clients:
            part = rect.clip(client.rect)
            if part.width and part.height:
                window.blit(client.surface, part.topleft, part.move(-client.rect.x, -client.rect.y))

    def _fireUpdated(self):
        waiters, self._updateWaiters = self._updateWaiters, []
        for d in waiters:
            d.callback(None)

    # Events

    def _startPump(self):
        fd = xConnectionNumber() if IReactorFDSet.providedBy(self.reactor) else None
        if fd is not None:
            self._xSocket = XEventSocket(fd, self._pumpEvents, self._pumpFailed)
            self.reactor.addReader(self._xSocket)
            return
        self._lastEvent = self.reactor.seconds()
        self._pump.interval = 1.0 / self.activeRate
        self._pump.start(self._pump.interval, now=False).addErrback(self._pumpFailed)

    def _pumpFailed(self, failure):
        self.log.failure("the pygame event pump failed; closing the window", failure)
        self.close()

    def _pumpEvents(self):
        events = pygame.event.get()
        if self._pump.running:
            self._adjustPollRate(events)
        for event in events:
            if self._closed:
                return
            self._dispatch(event)

    def _adjustPollRate(self, events):
        now = self.reactor.seconds()
        if events:
            self._lastEvent = now
            self._pump.interval = 1.0 / self.activeRate
        elif now - self._lastEvent >= self.idleAfter:
            self._pump.interval = 1.0 / self.idleRate

    def _dispatch(self, event):
        if event.type == pygame.QUIT:
            self.close()
        elif event.type in _MOUSE:
            self._routeMouse(event)
        elif event.type in _KEYS:
            for client in self._clients:
                if client.keys:
                    self._deliver(client, event)
        elif event.type in _EXPOSED:
            self._markWindowDirty(self.surface.get_rect())

    def _routeMouse(self, event):
        client = self._grab or self._hitTest(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN:
            self._grab = client
        elif event.type == pygame.MOUSEBUTTONUP:
            self._grab = None
        if client is not None and client.events is not None:
            x, y = event.pos
            local = dict(event.dict, pos=(x - client.rect.x, y - client.rect.y))
            self._deliver(client, pygame.event.Event(event.type, local))

    def _hitTest(self, pos):
        for client in reversed(self._clients):
            if client.rect.collidepoint(pos):
                return client
        return None

    def _deliver(self, client, event):
        try:
            client.component.inboxes[client.events].deliver(event)
        except BoxFull:
            self.log.warn("{name} has no room for {event}: dropped",
                          name=client.component.name, event=pygame.event.event_name(event.type))


def _graphsOf(components):
    """
    Return C{components} and the outermost component of each one's graph,
    without repeats.
    """
    found = []
    for component in components:
        for each in (component, _outermost(component)):
            if each not in found:
                found.append(each)
    return found


def _outermost(component):
    while component.parent is not None:
        component = component.parent
    return component

