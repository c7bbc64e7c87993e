"""
Axon's C{postoffice}: the links one owner made, so they can be undone
together. Each Axon component has one, as C{component.postoffice}.

    >>> from kamaelia_twisted.axon.Component import component
    >>> from kamaelia_twisted.axon.Postoffice import postoffice
    >>> a, b, office = component(), component(), postoffice()
    >>> link = office.link((a, "outbox"), (b, "inbox"))
    >>> a.send("hi"); b.recv(), len(office.linkages)
    ('hi', 1)
    >>> office.unlinkAll(); office.linkages
    []
"""

from .Linkage import linkage

__all__ = ["postoffice"]


class postoffice(object):
    """
    Makes, keeps and undoes links.

    @ivar linkages: the connected links, oldest first.
    """

    def __init__(self, debugname=""):
        self.debugname = debugname
        self.linkages = []

    def __str__(self):
        return "{{ POSTOFFICE: {} links {} }}".format(self.debugname, self.linkages)

    def link(self, source, sink, *optionalargs, **kwoptionalargs):
        """
        Link C{source} to C{sink} (C{(component, boxname)} pairs); the other
        arguments are L{linkage}'s (C{passthrough}, C{pipewidth},
        C{synchronous}).

        @return: the L{linkage}.
        """
        thelink = linkage(source[0], sink[0], source[1], sink[1], *optionalargs, **kwoptionalargs)
        self.registerlinkage(thelink)
        return thelink

    def registerlinkage(self, thelinkage):
        """
        Connect C{thelinkage} and keep it with the others.
        """
        thelinkage.connect()
        self.linkages.append(thelinkage)

    def unlink(self, thecomponent=None, thelinkage=None):
        """
        Undo C{thelinkage}, or every link here that involves C{thecomponent}.
        """
        for link in list(self.linkages):
            if link is thelinkage or (thecomponent is not None and link.involves(thecomponent)):
                link.disconnect()
                self.linkages.remove(link)

    def unlinkAll(self):
        """
        Undo every link here.
        """
        for link in self.linkages:
            link.disconnect()
        self.linkages = []

    def islinkageregistered(self, linkage):
        """
        Return how many times C{linkage} is held here (0 or 1).
        """
        return self.linkages.count(linkage)
