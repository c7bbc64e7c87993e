"""
Axon's exceptions. C{noSpaceInBox} is the core's L{BoxFull} and
C{BoxAlreadyLinkedToDestination} its L{BoxAlreadyLinked}, so either name
catches what our boxes raise.

    >>> from kamaelia_twisted.axon.AxonExceptions import noSpaceInBox
    >>> from kamaelia_twisted import BoxFull
    >>> noSpaceInBox is BoxFull
    True
"""

from ..core.boxes import BoxFull as noSpaceInBox
from ..core.linkage import BoxAlreadyLinked as BoxAlreadyLinkedToDestination

__all__ = ["AxonException", "normalShutdown", "invalidComponentInterface", "noSpaceInBox", "BadParentTracker",
           "ServiceAlreadyExists", "BadComponent", "BadInbox", "MultipleServiceDeletion", "NamespaceClash",
           "AccessToUndeclaredTrackedVariable", "ArgumentsClash", "BoxAlreadyLinkedToDestination"]


class AxonException(Exception):
    """
    Base class of Axon's own exceptions.
    """


class normalShutdown(AxonException):
    """A normal shutdown."""


class invalidComponentInterface(AxonException):
    """A component lacks boxes an interface requires."""


class BadParentTracker(AxonException):
    """A tracker's parent is not a tracker."""


class ServiceAlreadyExists(AxonException):
    """A service of that name is already registered."""


class BadComponent(AxonException):
    """A service was registered with something that is not a component."""


class BadInbox(AxonException):
    """A service was registered with an inbox its component lacks."""


class MultipleServiceDeletion(AxonException):
    """The service to deregister is not registered."""


class NamespaceClash(AxonException):
    """A tracked value of that name already exists."""


class AccessToUndeclaredTrackedVariable(AxonException):
    """No tracked value has that name."""


class ArgumentsClash(AxonException):
    """Arguments that cannot be given together."""
