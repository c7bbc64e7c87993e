"""
Axon's small helpers.

    >>> from kamaelia_twisted.axon.util import removeAll, listSubset
    >>> xs = [1, 2, 1, 3]; removeAll(xs, 1); xs
    [2, 3]
    >>> listSubset(["inbox"], {"inbox": "", "control": ""})
    True
"""

from .AxonExceptions import invalidComponentInterface

next = next
vrange = range
production = False


def logError(someException, *args):
    """
    Axon's hook for errors in production mode: does nothing.
    """


def axonRaise(someException, *args):
    """
    Raise C{someException(*args)}, or return False in production mode.
    """
    if production:
        logError(someException, *args)
        return False
    raise someException(*args)


def removeAll(xs, y):
    """
    Remove every C{y} from the list C{xs}, in place.
    """
    xs[:] = [x for x in xs if x != y]


def listSubset(requiredList, suppliedList):
    """
    Tell whether every item of C{requiredList} is in C{suppliedList}.
    """
    return set(requiredList).issubset(set(suppliedList))


def testInterface(theComponent, interface):
    """
    Check that C{theComponent} has the C{(inboxes, outboxes)} of C{interface}.
    """
    inboxes, outboxes = interface
    if not listSubset(inboxes, theComponent.Inboxes):
        return axonRaise(invalidComponentInterface, "inboxes", theComponent, interface)
    if not listSubset(outboxes, theComponent.Outboxes):
        return axonRaise(invalidComponentInterface, "outboxes", theComponent, interface)
    return True


def safeList(arg=None):
    """
    Return C{list(arg)}, or an empty list if C{arg} is not iterable.
    """
    try:
        return list(arg)
    except TypeError:
        return []


class Finality(Exception):
    """
    Raised to say "this is the end"; Kamaelia uses it as a marker.
    """
