"""
L{Seq}: run components one after another, each in turn wired to the Seq's
boxes::

    from kamaelia_twisted import Pipeline, Seq
    from kamaelia_twisted.util import DataSource, Collect

    sink = Collect()
    Pipeline(Seq(DataSource(["header"]), DataSource(["body"])), sink).run()
    assert sink.collected == ["header", "body"]

The current component receives the Seq's C{inbox} and C{control} and sends
out of its C{outbox}; what it left unread passes to the next one. Only the
last one's C{signal} leaves the Seq, so the components' own end-of-data
messages do not end what is downstream early.
"""

from ..core.component import Component


class Seq(Component):
    """
    Run C{components} in order, the next starting when the previous ends.
    """

    def __init__(self, *components, **attributes):
        Component.__init__(self, **attributes)
        self.sequence = components

    def main(self):
        unread = {"inbox": [], "control": []}
        last = len(self.sequence) - 1
        for index, child in enumerate(self.sequence):
            for boxname, messages in unread.items():
                for message in messages:
                    child.inboxes[boxname].deliver(message)
            self.addChildren(child)
            self.link((self, "inbox"), (child, "inbox"), passthrough=1)
            self.link((self, "control"), (child, "control"), passthrough=1)
            self.link((child, "outbox"), (self, "outbox"), passthrough=2)
            if index == last:
                self.link((child, "signal"), (self, "signal"), passthrough=2)
            yield child.whenDone()
            self.removeChild(child)
            unread = {boxname: child.inboxes[boxname].takeAll() for boxname in unread}
