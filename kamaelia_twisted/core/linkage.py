"""
A link from one component's box to another's.

    >>> from kamaelia_twisted import Component
    >>> a, b = Component(), Component()
    >>> link = a.link((a, "outbox"), (b, "inbox"))
    >>> a.send("hi"); b.recv()
    'hi'
"""


class BoxAlreadyLinked(Exception):
    """
    A box already forwards to another box; unlink it first.
    """


class Linkage:
    """
    A link from C{(source, sourcebox)} to C{(sink, sinkbox)}.

    @ivar passthrough: C{0} links an outbox to an inbox; C{1} an inbox to an
        inbox (a parent handing its input to a child); C{2} an outbox to an
        outbox (a child's output leaving through its parent).
    """

    # The two boxes, which know their owners and names: a link is small.
    __slots__ = ("passthrough", "_from", "_to")

    def __init__(self, source, sourcebox, sink, sinkbox, passthrough=0):
        if passthrough not in (0, 1, 2):
            raise ValueError("passthrough must be 0, 1 or 2, not {!r}".format(passthrough))
        self.passthrough = passthrough
        self._from = _box(source, sourcebox, inbox=passthrough == 1)
        self._to = _box(sink, sinkbox, inbox=passthrough != 2)

    @property
    def source(self):
        """
        The component the link starts from.
        """
        return self._from.owner

    @property
    def sourcebox(self):
        """
        The name of the box the link starts from.
        """
        return self._from.name

    @property
    def sink(self):
        """
        The component the link leads to.
        """
        return self._to.owner

    @property
    def sinkbox(self):
        """
        The name of the box the link leads to.
        """
        return self._to.name

    def __repr__(self):
        return "<Linkage {}.{} -> {}.{}>".format(
            self.source.name, self.sourcebox, self.sink.name, self.sinkbox)

    @property
    def boxes(self):
        """
        The source box and the sink box, a pair of
        L{Box<kamaelia_twisted.core.boxes.Box>}es.
        """
        return self._from, self._to

    def involves(self, component):
        """
        Tell whether C{component} is this link's source or sink.
        """
        return component is self.source or component is self.sink

    def connect(self):
        """
        Make the link carry messages.

        @raise BoxAlreadyLinked: if the source box already forwards elsewhere.
        """
        if self._from.target is not None:
            raise BoxAlreadyLinked(
                "{}.{} is already linked; unlink it first".format(self.source.name, self.sourcebox))
        self._from.setTarget(self._to)

    def disconnect(self):
        """
        Stop the link; later messages stay in the source box.
        """
        disconnect(self._from, self._to)


def disconnect(source, sink):
    """
    Stop box C{source} forwarding to box C{sink}, if it still does.
    """
    if source.target is sink:
        source.setTarget(None)


def _box(component, name, inbox):
    boxes = component.inboxes if inbox else component.outboxes
    try:
        return boxes[name]
    except KeyError:
        raise KeyError("{} has no {} named {!r} (it has {})".format(
            component.name, "inbox" if inbox else "outbox", name, ", ".join(sorted(boxes))))
