"""
Axon's C{AdaptiveCommsComponent}: a component that adds and removes boxes
while it runs, and remembers which resource each box serves.

    >>> from kamaelia_twisted.axon.AdaptiveCommsComponent import AdaptiveCommsComponent
    >>> c = AdaptiveCommsComponent()
    >>> name = c.addOutbox("client"); c.addOutbox("client") != name
    True
    >>> c.trackResource("socket", "inbox"); c.retrieveTrackedResource("inbox")
    'socket'
"""

from .Box import makeInbox, makeOutbox
from .Component import component
from .idGen import numId

__all__ = ["AdaptiveCommsComponent"]


class _AdaptiveCommsable(object):
    """
    Box adding and resource tracking, for any Axon component.
    """

    def _resources(self):
        if "_resourceStore" not in self.__dict__:
            self._resourceStore, self._resourceLookup = {}, {}
        return self._resourceStore, self._resourceLookup

    def trackResource(self, resource, inbox):
        """Remember that inbox C{inbox} serves C{resource}."""
        self.inboxes[inbox]
        self._resources()[1][inbox] = resource

    def retrieveTrackedResource(self, inbox):
        """Return the resource inbox C{inbox} serves."""
        return self._resources()[1][inbox]

    def trackResourceInformation(self, resource, inboxes, outboxes, information):
        """Remember the boxes and C{information} that go with C{resource}."""
        [self.inboxes[name] for name in inboxes]
        [self.outboxes[name] for name in outboxes]
        self._resources()[0][resource] = (inboxes, outboxes, information)

    def ceaseTrackingResource(self, resource):
        """Forget C{resource}."""
        del self._resources()[0][resource]

    def retrieveTrackedResourceInformation(self, resource):
        """Return C{(inboxes, outboxes, information)} of C{resource}."""
        return self._resources()[0][resource]

    def addInbox(self, *args):
        """
        Add an inbox named after C{args[0]} (default "inbox"), made unique.

        @return: its name.
        """
        name = self._newInboxName(*args)
        self.inboxes[name] = makeInbox(self.unpause, owner=self, name=name)
        return name

    def deleteInbox(self, name):
        """Remove inbox C{name}."""
        del self.inboxes[name]

    def addOutbox(self, *args):
        """
        Add an outbox named after C{args[0]} (default "outbox"), made unique.

        @return: its name.
        """
        name = self._newOutboxName(*args)
        self.outboxes[name] = makeOutbox(self.unpause, owner=self, name=name)
        return name

    def deleteOutbox(self, name):
        """Remove outbox C{name}."""
        del self.outboxes[name]

    def _newInboxName(self, name="inbox"):
        while name in self.inboxes:
            name = name + str(numId())
        return name

    def _newOutboxName(self, name="outbox"):
        while name in self.outboxes:
            name = name + str(numId())
        return name


class AdaptiveCommsComponent(component, _AdaptiveCommsable):
    """
    A component whose boxes can change while it runs.
    """
