"""
L{Graphline}: named components wired as any graph, Kamaelia style::

    Graphline(
        CHOOSER=Chooser(items=files),
        IMAGE=Image(size=(800, 600), position=(8, 48)),
        NEXT=Button(caption="Next", msg="NEXT", position=(72, 8)),
        linkages={
            ("NEXT", "outbox"): ("CHOOSER", "inbox"),
            ("CHOOSER", "outbox"): ("IMAGE", "inbox"),
        },
    ).run()

The name C{"self"} in a linkage is the graphline's own boxes: C{("self",
"inbox")} as a source passes what arrives at the graphline to a child, and
C{("self", "outbox")} as a sink sends a child's output out of the graphline
(boxes named there that the graphline lacks are made for it). Unless a linkage
uses them, the graphline's C{control} inbox forwards shutdown messages to
every child whose C{control} nothing feeds, and its C{signal} outbox sends
L{producerFinished} when all children have ended.
"""

from ..core.boxes import Box
from ..core.component import Component
from ..core.ipc import producerFinished
from .supervision import superviseChildren


class Graphline(Component):
    """
    Run named child components wired by C{linkages}.

    @param linkages: C{{(source, outbox): (sink, inbox)}}, names being the
        keyword names of the components or C{"self"}.
    """

    failsWithChildren = True

    def __init__(self, linkages=None, reactor=None, **components):
        Component.__init__(self, reactor)
        self.components = components
        self.addChildren(*components.values())
        for (source, sourcebox), (sink, sinkbox) in (linkages or {}).items():
            self._linkNamed(source, sourcebox, sink, sinkbox)
        self._forwardsControl = self.inboxes["control"].target is None
        self._signalsEnd = not self.outboxes["signal"].sources

    def _linkNamed(self, source, sourcebox, sink, sinkbox):
        if source == "self" and sink == "self":
            raise ValueError("a linkage from 'self' to 'self' links nothing")
        if source == "self":
            self._ensureBox(self.inboxes, sourcebox)
            passthrough = 1
        elif sink == "self":
            self._ensureBox(self.outboxes, sinkbox)
            passthrough = 2
        else:
            passthrough = 0
        self.link((self._named(source), sourcebox), (self._named(sink), sinkbox), passthrough)

    def _named(self, name):
        if name == "self":
            return self
        try:
            return self.components[name]
        except KeyError:
            raise KeyError("Graphline linkage names {!r}, which is not one of its components ({})".format(
                name, ", ".join(sorted(self.components)))) from None

    def _ensureBox(self, boxes, name):
        if name not in boxes:
            boxes[name] = Box(self, name)

    def main(self):
        finished = superviseChildren(self)
        finished.addBoth(self._unpauseWith)
        while not finished.called:
            shutdown = self.checkShutdown()
            if shutdown is not None and self._forwardsControl:
                self._forwardShutdown(shutdown)
            self.pause()
            yield 1
        yield finished
        if self._signalsEnd:
            self.send(producerFinished(self), "signal")

    def _unpauseWith(self, result):
        self.unpause()
        return result

    def _forwardShutdown(self, message):
        for child in self.childComponents():
            control = child.inboxes.get("control")
            if control is not None and not control.sources and not child.isDone():
                control.deliver(message)
