"""
L{Pipeline}: components in a row, each one's C{outbox} feeding the next one's
C{inbox} and each C{signal} the next C{control}, like a Unix pipe::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import DataSource, Collect

    sink = Collect()
    Pipeline(DataSource([1, 2, 3]), sink).run()
    assert sink.collected == [1, 2, 3]

The pipeline's own C{inbox}/C{control} feed the first component and the last
one's C{outbox}/C{signal} leave through the pipeline's, so a pipeline is a
component like any other. It ends when all its components have ended.
"""

from ..core.component import Component
from .supervision import superviseChildren


class Pipeline(Component):
    """
    Link C{components} one after another and run them as one component.
    """

    failsWithChildren = True

    def __init__(self, *components, **attributes):
        Component.__init__(self, **attributes)
        if not components:
            raise ValueError("a Pipeline needs at least one component")
        self.addChildren(*components)
        for upstream, downstream in zip(components, components[1:]):
            self.link((upstream, "outbox"), (downstream, "inbox"))
            self.link((upstream, "signal"), (downstream, "control"))
        first, last = components[0], components[-1]
        self.link((self, "inbox"), (first, "inbox"), passthrough=1)
        self.link((self, "control"), (first, "control"), passthrough=1)
        self.link((last, "outbox"), (self, "outbox"), passthrough=2)
        self.link((last, "signal"), (self, "signal"), passthrough=2)

    def main(self):
        yield superviseChildren(self)
