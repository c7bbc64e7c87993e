"""
The coordinating assistant tracker: a directory of named services (a
component's inbox that others link to) and tracked values, shared by a
program's components through C{self.tracker}.

    >>> from kamaelia_twisted.axon.CoordinatingAssistantTracker import coordinatingassistanttracker
    >>> from kamaelia_twisted.axon.Component import component
    >>> tracker, service = coordinatingassistanttracker(), component()
    >>> tracker.registerService("echo", service, "inbox")
    >>> tracker.retrieveService("echo") == (service, "inbox")
    True
"""

from .AxonExceptions import (AccessToUndeclaredTrackedVariable, BadComponent, BadInbox, BadParentTracker,
                             MultipleServiceDeletion, NamespaceClash, ServiceAlreadyExists)

__all__ = ["coordinatingassistanttracker"]


class coordinatingassistanttracker(object):
    """
    Services and values by name.

    @cvar basecat: the program's tracker (the first one made), which
        components use unless given another.
    """

    basecat = None

    @classmethod
    def getcat(cls):
        """
        Return the program's tracker, making it on first use.
        """
        if coordinatingassistanttracker.basecat is None:
            cls()
        return coordinatingassistanttracker.basecat

    def __init__(self, parent=None):
        if parent is not None and not isinstance(parent, coordinatingassistanttracker):
            raise BadParentTracker(parent)
        if coordinatingassistanttracker.basecat is None:
            coordinatingassistanttracker.basecat = self
        self._parent = parent
        self.zap()

    def zap(self):
        """
        Forget every service and value.
        """
        self._services = {}
        self._values = {}

    def servicesRegistered(self):
        """Return the names of the registered services."""
        return list(self._services)

    def informationItemsLogged(self):
        """Return the names of the tracked values."""
        return list(self._values)

    def registerService(self, service, thecomponent, inbox):
        """
        Register C{(thecomponent, inbox)} as the service named C{service}.

        @raise ServiceAlreadyExists: if that name is taken.
        @raise BadComponent: if C{thecomponent} has no inboxes.
        @raise BadInbox: if it has no inbox named C{inbox}.
        """
        if service in self._services:
            raise ServiceAlreadyExists(service)
        inboxes = getattr(thecomponent, "inboxes", None)
        if inboxes is None:
            raise BadComponent(thecomponent)
        if inbox not in inboxes:
            raise BadInbox(thecomponent, inbox)
        self._services[service] = (thecomponent, inbox)

    def deRegisterService(self, service):
        """
        Forget the service named C{service}.

        @raise MultipleServiceDeletion: if none is registered by that name.
        """
        try:
            del self._services[service]
        except KeyError:
            raise MultipleServiceDeletion(service) from None

    def retrieveService(self, name):
        """
        Return the C{(component, inbox)} of service C{name}.

        @raise KeyError: if there is none (Kamaelia starts one then).
        """
        return self._services[name]

    def trackValue(self, name, value):
        """
        Start tracking C{value} as C{name}.

        @raise NamespaceClash: if C{name} is tracked already.
        """
        if name in self._values:
            raise NamespaceClash(name)
        self._values[name] = value

    def updateValue(self, name, value):
        """
        Change the tracked value C{name}.

        @raise AccessToUndeclaredTrackedVariable: if C{name} is not tracked.
        """
        if name not in self._values:
            raise AccessToUndeclaredTrackedVariable(name, value)
        self._values[name] = value

    def retrieveValue(self, name):
        """
        Return the tracked value C{name}.

        @raise AccessToUndeclaredTrackedVariable: if C{name} is not tracked.
        """
        try:
            return self._values[name]
        except KeyError:
            raise AccessToUndeclaredTrackedVariable(name) from None
