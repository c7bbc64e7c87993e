"""
Unique ids for microprocesses, as Axon's C{idGen} hands them out.

    >>> from kamaelia_twisted.axon.idGen import numId, strId
    >>> numId() < numId()
    True
    >>> strId(object()).startswith("builtins.object_")
    True
"""

import itertools

_counter = itertools.count(1)


class idGen(object):
    """
    Axon's id generator: iterating it yields fresh numbers.
    """

    def __iter__(self):
        return self

    def __next__(self):
        return numId()

    next = __next__

    def numId(self=None):
        """
        Return a fresh number.
        """
        return next(_counter)

    def strId(self, thing=None):
        """
        Return a fresh name for C{thing}: its module.class, "_" and a number.
        """
        return tupleId(thing)[1]

    def tupleId(self, thing=None):
        """
        Return a fresh C{(number, name)} pair for C{thing}.
        """
        number = numId()
        kind = type(thing)
        return number, "{}.{}_{}".format(kind.__module__, kind.__name__, number)


numId = idGen.numId
strId = newId = idGen().strId
tupleId = idGen().tupleId


def Debug(*args, **argd):
    """
    Axon's id debugging hook: does nothing.
    """
