"""
Axon's C{linkage}: the core L{Linkage} with Axon's constructor order and
methods. C{component.link} returns one.

    >>> from kamaelia_twisted.axon.Component import component
    >>> a, b = component(), component()
    >>> link = a.link((a, "outbox"), (b, "inbox"), pipewidth=2)
    >>> link.sinkPair() == (b, "inbox"), b.inboxes["inbox"].getSize()
    (True, 2)
"""

from ..core.linkage import Linkage

__all__ = ["linkage"]


class linkage(Linkage):
    """
    A link from C{(source, sourcebox)} to C{(sink, sinkbox)}, made but not
    connected (L{Postoffice.postoffice.link} connects it), unless it is
    given a C{postoffice}.

    @param pipewidth: bound the sink box to this many messages.
    @param synchronous: if set (and no C{pipewidth}), bound it to one.
    @param postoffice: connect the link and register it there, as older
        Axons did (Kamaelia's C{Splitter} passes one; Axon 1.14 refuses it).
    """

    def __init__(self, source, sink, sourcebox="outbox", sinkbox="inbox", passthrough=0, pipewidth=None,
                 synchronous=None, postoffice=None):
        Linkage.__init__(self, source, sourcebox, sink, sinkbox, passthrough)
        if pipewidth is not None:
            self.setSynchronous(pipewidth)
        elif synchronous is not None:
            self.setSynchronous(1)
        if postoffice is not None:
            postoffice.registerlinkage(self)

    def __str__(self):
        return "Link( source:[{},{}], sink:[{},{}] )".format(
            self.source.name, self.sourcebox, self.sink.name, self.sinkbox)

    def sourcePair(self):
        """Return C{(source, sourcebox)}."""
        return self.source, self.sourcebox

    def sinkPair(self):
        """Return C{(sink, sinkbox)}."""
        return self.sink, self.sinkbox

    def getSourcebox(self):
        """Return the source box."""
        return (self.source.inboxes if self.passthrough == 1 else self.source.outboxes)[self.sourcebox]

    def getSinkbox(self):
        """Return the sink box."""
        return (self.sink.outboxes if self.passthrough == 2 else self.sink.inboxes)[self.sinkbox]

    def setSynchronous(self, pipewidth=None):
        """
        Bound the sink box to C{pipewidth} messages (L{None}: unbounded).

        @return: the bound.
        """
        self.getSinkbox().setSize(pipewidth)
        return pipewidth

    def setShowTransit(self, showtransit, tag):
        """Axon's delivery tracing; not kept."""
