"""
Axon's control messages. C{producerFinished}, C{shutdownMicroprocess} and
C{ipc} are the core's own classes, so Kamaelia components and ours understand
each other; the rest are the messages only Axon code uses.

    >>> from kamaelia_twisted.axon.Ipc import newComponent, producerFinished
    >>> from kamaelia_twisted import producerFinished as ours
    >>> producerFinished is ours, newComponent("a", "b").components()
    (True, ('a', 'b'))
"""

from ..core.ipc import errorOccurred, ipc, producerFinished, shutdownMicroprocess

__all__ = ["ipc", "producerFinished", "shutdownMicroprocess", "errorOccurred", "WaitComplete", "reactivate",
           "newComponent", "notify", "shutdown", "status", "wouldblock", "errorInformation"]


class WaitComplete(ipc):
    """
    C{yield WaitComplete(generator)}: run C{generator} to its end, then resume.
    """

    def __init__(self, *args, **argd):
        ipc.__init__(self)
        self.args, self.argd = args, argd


class reactivate(ipc):
    """
    Resume C{original} (Axon's scheduler used it after a L{WaitComplete}).
    """

    def __init__(self, original):
        ipc.__init__(self)
        self.original = original


class newComponent(ipc):
    """
    C{yield newComponent(a, b)}: activate C{a} and C{b}.
    """

    def __init__(self, *components):
        ipc.__init__(self)
        self._components = components

    def components(self):
        """
        Return the components to activate.
        """
        return self._components


class notify(ipc):
    """
    A notification from C{caller} carrying C{payload} (as C{object}).
    """

    def __init__(self, caller, payload):
        ipc.__init__(self, caller)
        self.object = payload


class shutdown(ipc):
    """
    Axon's older "please stop" message (not a L{shutdownMicroprocess}).
    """


class status(ipc):
    """
    A status report.
    """

    def __init__(self, status):
        ipc.__init__(self)
        self._status = status

    def status(self):
        """
        Return the status carried.
        """
        return self._status


class wouldblock(ipc):
    """
    C{caller} would block.
    """

    def __init__(self, caller):
        ipc.__init__(self, caller)


class errorInformation(ipc):
    """
    C{caller} met C{exception}.
    """

    def __init__(self, caller, exception=None, message=None):
        ipc.__init__(self, caller, message)
        self.exception = exception
