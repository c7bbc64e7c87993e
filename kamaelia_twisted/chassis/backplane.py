"""
Named publish/subscribe: L{Backplane}, L{PublishTo} and L{SubscribeTo}.

A L{Backplane} registers a name; every message a L{PublishTo} of that name
receives is passed (by reference) to every L{SubscribeTo} of that name::

    from kamaelia_twisted import Backplane, Pipeline, PublishTo, SubscribeTo
    from kamaelia_twisted.util import DataSource, Collect

    Backplane("NEWS").activate()
    reader = Collect()
    Pipeline(SubscribeTo("NEWS"), reader).activate()
    Pipeline(DataSource(["headline"]), PublishTo("NEWS")).activate()

A backplane lives until it receives a shutdown message on C{control}; it then
passes it to its subscribers, which end. Publishers end on their own
shutdown without ending the backplane. Names are per reactor, and a name is
free again once its backplane has ended, however it ended.
"""

from ..core.component import Component


class BackplaneNotFound(LookupError):
    """
    No active L{Backplane} has the given name.
    """


class Backplane(Component):
    """
    A named meeting point of publishers and subscribers.
    """

    Outboxes = {"signal": "Shutdown messages, passed on"}

    def __init__(self, name, **attributes):
        Component.__init__(self, **attributes)
        self.backplaneName = name
        self._subscribers = []

    def activate(self):
        """
        Register the name and start.

        @raise ValueError: if a backplane of that name is active on this reactor.
        """
        if self.isDone():
            return self
        backplanes = _backplanes(self)
        if backplanes.get(self.backplaneName, self) is not self:
            raise ValueError("a Backplane named {!r} is already active".format(self.backplaneName))
        backplanes[self.backplaneName] = self
        Component.activate(self)
        self.whenDone().addBoth(self._unregister, backplanes)
        return self

    def _unregister(self, result, backplanes):
        if backplanes.get(self.backplaneName) is self:
            del backplanes[self.backplaneName]
        return result

    def subscribe(self, subscriber):
        """
        Pass every published message to C{subscriber}'s C{inbox} from now on.
        """
        self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber):
        """
        Stop passing messages to C{subscriber}.
        """
        self._subscribers.remove(subscriber)

    def main(self):
        while True:
            while self.dataReady("inbox"):
                message = self.recv("inbox")
                for subscriber in self._subscribers:
                    subscriber.inboxes["inbox"].deliver(message)
            shutdown = self.checkShutdown()
            if shutdown is not None:
                for subscriber in self._subscribers:
                    subscriber.inboxes["control"].deliver(shutdown)
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


def _backplanes(component):
    return component.runtime.shared.setdefault(Backplane, {})


def findBackplane(component, name):
    """
    Return the active L{Backplane} called C{name} on C{component}'s reactor.

    @raise BackplaneNotFound: if there is none.
    """
    backplanes = _backplanes(component)
    try:
        return backplanes[name]
    except KeyError:
        raise BackplaneNotFound("no Backplane named {!r} is active (active: {})".format(
            name, ", ".join(sorted(map(repr, backplanes))) or "none")) from None


class _BackplaneRelay(Component):
    """
    Relay C{inbox} to C{relayBox}, attached to the backplane called C{name}.
    """

    relayBox = "outbox"

    def __init__(self, name, **attributes):
        Component.__init__(self, **attributes)
        self.backplaneName = name

    def main(self):
        backplane = findBackplane(self, self.backplaneName)
        self.attach(backplane)
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox"), self.relayBox)
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.detach(backplane)
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


class PublishTo(_BackplaneRelay):
    """
    Publish what arrives on C{inbox} to the backplane called C{name}.
    """

    Outboxes = {"outbox": "Unused", "signal": "Shutdown messages, passed on", "_publish": "To the backplane"}
    relayBox = "_publish"

    def attach(self, backplane):
        self.link((self, "_publish"), (backplane, "inbox"))

    def detach(self, backplane):
        self.unlink(thecomponent=backplane)


class SubscribeTo(_BackplaneRelay):
    """
    Send on C{outbox} everything published to the backplane called C{name}.
    """

    def attach(self, backplane):
        backplane.subscribe(self)

    def detach(self, backplane):
        if not backplane.isDone():
            backplane.unsubscribe(self)
