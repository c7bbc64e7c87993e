"""
Control messages that components exchange on their C{control}/C{signal} boxes.

A producer that has sent everything sends L{producerFinished} out of its
C{signal} outbox; a component asked to stop receives L{shutdownMicroprocess} on
its C{control} inbox. Both mean "finish and pass it on"::

    >>> from kamaelia_twisted.ipc import producerFinished, shutdownMicroprocess
    >>> isinstance(errorOccurred("bad header"), shutdownMicroprocess)
    True
"""

__all__ = ["ipc", "producerFinished", "shutdownMicroprocess", "errorOccurred"]


class ipc:
    """
    Base class of control messages.

    @ivar caller: the component that sent the message, or L{None}.
    @ivar message: optional payload.
    """

    def __init__(self, caller=None, message=None):
        self.caller = caller
        self.message = message

    def __repr__(self):
        return "{}(caller={!r}, message={!r})".format(
            type(self).__name__, self.caller, self.message
        )


class producerFinished(ipc):
    """
    The sender has produced all its data: finish what you hold and pass this on.
    """


class shutdownMicroprocess(ipc):
    """
    Stop now: finish promptly and pass this on.
    """


class errorOccurred(shutdownMicroprocess):
    """
    The sender stopped because of an error; downstream stops as for shutdown.

    @ivar reason: a one-line description of what went wrong.
    @ivar failure: the L{twisted.python.failure.Failure}, if there is one.
    """

    def __init__(self, reason, failure=None, caller=None):
        shutdownMicroprocess.__init__(self, caller, reason)
        self.reason = reason
        self.failure = failure

    def __str__(self):
        return self.reason


def isShutdown(message):
    """
    Tell whether C{message} asks its receiver to finish.
    """
    return isinstance(message, (producerFinished, shutdownMicroprocess))
