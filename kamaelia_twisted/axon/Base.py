"""
Axon's base classes, kept for code that names them.

    >>> from kamaelia_twisted.axon.Base import AxonObject
    >>> isinstance(AxonObject(), object)
    True
"""


class AxonType(type):
    """
    Axon's metaclass name; nothing of its own.
    """


class AxonObject(object, metaclass=AxonType):
    """
    Axon's base object; nothing of its own.
    """
