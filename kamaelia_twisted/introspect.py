"""
The live component graph as plain data (L{snapshot}), as Graphviz DOT
(L{toDot}) and as the changes between two snapshots (L{changes})::

    from twisted.internet.task import Clock
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.introspect import snapshot, toDot
    from kamaelia_twisted.util import Collect, DataSource

    clock = Clock()
    graph = Pipeline(DataSource([1, 2]), Collect(), reactor=clock).activate()
    seen = snapshot([graph])
    assert [c["type"] for c in seen["components"]] == ["Pipeline", "DataSource", "Collect"]
    assert snapshot(reactor=clock) == seen  # the whole graph of that reactor
    assert toDot(seen).startswith("digraph kamaelia {")
    clock.advance(0)

What it sees: the components reachable from the roots it is given (or from
every active parentless component of a reactor), through parents, children
and the links that currently carry messages (box targets, whoever made
them), each with the number of messages in each of its boxes and, while
counting (L{watch}), how many it sent from each outbox. What it does not
see: a component that no path reaches from those roots (a child once
removed), and links already undone (a finished component's links are undone).
"""

import gc
import re

from .core.component import Component, countSends, sentCounts
from .core.runtime import Runtime


def components(roots):
    """
    Return the components reachable from C{roots} through parents, children
    and linked boxes, each once: the roots first, then in the order found.

    @param roots: components.
    """
    found, seen = [], set()
    pending = list(reversed(roots))
    while pending:
        component = pending.pop()
        if id(component) in seen:
            continue
        seen.add(id(component))
        found.append(component)
        pending.extend(reversed(_neighbours(component)))
    return found


def _neighbours(component):
    near = component.childComponents()
    if component.parent is not None:
        near.append(component.parent)
    for box in _boxes(component):
        if box.target is not None:
            near.append(box.target.owner)
        near.extend(source.owner for source in box.sources)
    return [other for other in near if isinstance(other, Component)]


def _boxes(component):
    return list(component.inboxes.values()) + list(component.outboxes.values())


def snapshot(roots=None, reactor=None):
    """
    Return the graph reachable from C{roots} (see L{components}), or by
    default the whole graph of C{reactor} (see L{liveRoots}), as plain data,
    ready for JSON::

        {"components": [{"name", "type", "state", "parent",
                         "inboxes": {box: messages queued},
                         "outboxes": {box: messages held},
                         "sent": {outbox: messages sent while counting}}, ...],
         "links": [{"source": [component, box], "sink": [component, box]}, ...],
         "counting": whether messages sent are being counted}

    C{state} is C{"initial"}, C{"active"} or C{"done"}; C{parent} is the
    parent's name or L{None}. A box that forwards holds nothing: its
    messages are counted where they wait, at the end of its chain. A link
    from an inbox (a parent handing its input to a child) or to an outbox
    (a child's output leaving through its parent) is a passthrough.

    @param roots: components, or L{None} for every root of C{reactor}.
    @param reactor: the reactor whose graph to show when C{roots} is
        L{None} (default: the global reactor).
    """
    found = components(liveRoots(reactor) if roots is None else roots)
    return {
        "components": [_describe(component) for component in found],
        "links": [{"source": [component.name, box.name], "sink": [box.target.owner.name, box.target.name]}
                  for component in found for box in _boxes(component) if box.target is not None],
        "counting": _counting[0] > 0,
    }


def liveRoots(reactor=None):
    """
    Return the active components of C{reactor} that have no parent (their
    children are reached through them), oldest first. While L{watch}ed,
    the runtime keeps them; unwatched, they are looked up among every object the garbage collector
    tracks: fine for a look now and then, slow to repeat on a big process.

    @param reactor: default: the global reactor.
    """
    if reactor is None:
        from twisted.internet import reactor
    tracked = Runtime.of(reactor).roots
    if tracked is None:
        return _scan(reactor)
    return sorted((root for root in tracked if root._state == "active"), key=_age)


def _scan(reactor):
    found = [thing for thing in gc.get_objects()
             if isinstance(thing, Component) and thing._state == "active" and thing.parent is None
             and thing._reactor is reactor]
    return sorted(found, key=_age)


def _age(component):
    serials = _SERIAL.findall(component.name)  # "Type_12", "ProtocolComponent_5(Echo)", unless renamed
    return int(serials[-1]) if serials else 0


_SERIAL = re.compile(r"_(\d+)")


_counting = [0]


def watch(reactor=None, count=True):
    """
    Watch C{reactor} for an inspector: from now on its parentless
    components are kept in a weak set as they are activated (so that
    L{liveRoots} need not search memory) and, if C{count}, the messages that
    every component sends are counted, per outbox (see L{snapshot}'s
    C{sent}). Neither costs anything while nobody watches; counting slows
    down sending while it is on (see benchmarks/README.md, inspection).

    @return: a function that undoes this call.
    """
    if reactor is None:
        from twisted.internet import reactor
    runtime = Runtime.of(reactor)
    runtime.watchRoots(_scan(reactor) if runtime.roots is None else ())
    if count:
        _countMore(1)
    undone = []

    def unwatch():
        if not undone:
            undone.append(True)
            runtime.unwatchRoots()
            if count:
                _countMore(-1)

    return unwatch


def _countMore(change):
    _counting[0] += change
    countSends(_counting[0] > 0)


def _describe(component):
    parent = component.parent
    sent = sentCounts(component)
    return {
        "name": component.name,
        "type": type(component).__name__,
        "state": component._state,  # the core has no public name for it yet
        "parent": parent.name if parent is not None else None,
        "inboxes": {name: len(box) for name, box in component.inboxes.items()},
        "outboxes": {name: len(box) for name, box in component.outboxes.items()},
        "sent": {name: sent.get(name, 0) for name in component.outboxes},
    }


def changes(before, after):
    """
    Return the changes from snapshot C{before} to snapshot C{after}, in this
    order, as events (dicts) ready for JSON::

        {"event": "added", "component": {...as in the snapshot}}
        {"event": "ended", "name": name}       its state became "done"
        {"event": "removed", "name": name}     no longer in the graph
        {"event": "linked", "link": {"source": [...], "sink": [...]}}
        {"event": "unlinked", "link": {...}}

    A component that came and went between the two is not seen.
    """
    old = {component["name"]: component for component in before["components"]}
    new = {component["name"]: component for component in after["components"]}
    events = [{"event": "added", "component": component}
              for name, component in new.items() if name not in old]
    events += [{"event": "ended", "name": name} for name, component in new.items()
               if component["state"] == "done" and old.get(name, {}).get("state") not in (None, "done")]
    events += [{"event": "removed", "name": name} for name in old if name not in new]
    oldLinks, newLinks = _linkKeys(before), _linkKeys(after)
    events += [{"event": "linked", "link": link} for key, link in newLinks.items() if key not in oldLinks]
    events += [{"event": "unlinked", "link": link} for key, link in oldLinks.items() if key not in newLinks]
    return events


def _linkKeys(seen):
    return {(tuple(link["source"]), tuple(link["sink"])): link for link in seen["links"]}


def toDot(seen):
    """
    Return C{seen}, a L{snapshot}, as a Graphviz C{digraph}: a component
    with children is a cluster holding a node for itself and its children;
    each node lists the boxes holding messages; each link is an edge
    labelled C{sourcebox -> sinkbox}.
    """
    children = {}
    for component in seen["components"]:
        children.setdefault(component["parent"], []).append(component)
    names = {component["name"] for component in seen["components"]}
    tops = [component for component in seen["components"] if component["parent"] not in names]
    lines = ["digraph kamaelia {", "  compound=true;", "  node [shape=box, fontname=monospace];"]
    for component in tops:
        lines.extend(_dotTree(component, children, "  "))
    for link in seen["links"]:
        (source, sourcebox), (sink, sinkbox) = link["source"], link["sink"]
        lines.append("  {} -> {} [label={}];".format(_quote(source), _quote(sink),
                                                     _quote("{} -> {}".format(sourcebox, sinkbox))))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dotTree(component, children, indent):
    node = "{}{} [label={}];".format(indent, _quote(component["name"]), _quote(_label(component)))
    if component["name"] not in children:
        return [node]
    lines = ["{}subgraph {} {{".format(indent, _quote("cluster_" + component["name"])),
             "{}  label={};".format(indent, _quote(component["name"])),
             "  " + node]
    for child in children[component["name"]]:
        lines.extend(_dotTree(child, children, indent + "  "))
    lines.append(indent + "}")
    return lines


def _label(component):
    lines = ["{} ({})".format(component["name"], component["state"])]
    for kind in ("inboxes", "outboxes"):
        lines.extend("{} {}: {}".format(kind[:-2], box, count)
                     for box, count in sorted(component[kind].items()) if count)
    return "\n".join(lines)


def _quote(text):
    return '"{}"'.format(text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))
