"""
Axon's C{Introspector}: sends the running system's topology (components,
their boxes and the links between them) as the text commands that Kamaelia's
topology viewers read, first C{"DEL ALL"}, then what changed at each step::

    ADD NODE "12" "Kamaelia.Util.Console.ConsoleEchoer_12" randompos component
    ADD NODE "(12, 'i', 'inbox')" "inbox" randompos inbox
    ADD LINK "12" "(12, 'i', 'inbox')"
    ADD LINK "(11, 'o', 'outbox')" "(12, 'i', 'inbox')"

It looks at the microprocesses of its scheduler and what their links reach.
"""

from . import Component as _Component
from .Ipc import shutdownMicroprocess

__all__ = ["Introspector"]

_FROM = {0: "o", 1: "i", 2: "o"}
_TO = {0: "i", 1: "i", 2: "o"}


def _id(component):
    return getattr(component, "id", id(component))


class Introspector(_Component.component):
    """
    Sends topology changes on C{outbox} until it gets L{shutdownMicroprocess}.
    """

    Inboxes = {"inbox": "NOT USED", "control": "Shutdown signalling"}
    Outboxes = {"outbox": "Topology (change) data describing the Axon system", "signal": "Shutdown signalling"}

    def main(self):
        self.send("DEL ALL\n", "outbox")
        yield 1
        nodes, links = {}, set()
        while True:
            while self.dataReady("control"):
                message = self.recv("control")
                if isinstance(message, shutdownMicroprocess):
                    self.send(message, "signal")
                    return
            newNodes, newLinks = self.introspect()
            changes = _changes(nodes, links, newNodes, newLinks)
            if changes:
                self.send(changes, "outbox")
            nodes, links = newNodes, newLinks
            yield 1

    def introspect(self):
        """
        Return C{(nodes, links)}: node id -> C{(name, kind)} (kind is
        "component", "inbox" or "outbox"; a box's id is C{(component id,
        "i" or "o", box name)}), and the set of C{(from id, to id)} links.
        """
        components = [c for c in self.scheduler.listAllThreads() if hasattr(c, "postoffice")]
        links = set()
        for link in [link for c in components for link in c.postoffice.linkages]:
            links.add(((_id(link.source), _FROM[link.passthrough], link.sourcebox),
                       (_id(link.sink), _TO[link.passthrough], link.sinkbox)))
            components.extend(c for c in (link.source, link.sink) if c not in components)
        nodes = {}
        for c in components:
            nodes[_id(c)] = (c.name, "component")
            nodes.update({(_id(c), "i", name): (name, "inbox") for name in c.inboxes})
            nodes.update({(_id(c), "o", name): (name, "outbox") for name in c.outboxes})
        return nodes, links


def _changes(oldNodes, oldLinks, nodes, links):
    delLinks = ['DEL LINK "{}" "{}"\n'.format(*link) for link in oldLinks - links]
    delNodes = ['DEL NODE "{}"\n'.format(node) for node in oldNodes if node not in nodes]
    addNodes = []
    for node, (name, kind) in nodes.items():
        if node not in oldNodes:
            addNodes.append('ADD NODE "{}" "{}" randompos {}\n'.format(node, name, kind))
            if kind != "component":
                addNodes.append('ADD LINK "{}" "{}"\n'.format(node[0], node))
    addLinks = ['ADD LINK "{}" "{}"\n'.format(*link) for link in links - oldLinks]
    return "".join(delLinks + delNodes + addNodes + addLinks)
