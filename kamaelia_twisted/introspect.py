"""
The live component graph as plain data (L{snapshot}) and as Graphviz DOT
(L{toDot})::

    from twisted.internet.task import Clock
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.introspect import snapshot, toDot
    from kamaelia_twisted.util import Collect, DataSource

    clock = Clock()
    graph = Pipeline(DataSource([1, 2]), Collect(), reactor=clock).activate()
    seen = snapshot([graph])
    assert [c["type"] for c in seen["components"]] == ["Pipeline", "DataSource", "Collect"]
    assert toDot(seen).startswith("digraph kamaelia {")
    clock.advance(0)

What it sees: the components reachable from the roots it is given, through
parents, children and the links that currently carry messages (box targets,
whoever made them), each with the number of messages in each of its boxes.
What it does not see: components that no path of those reaches (a component
activated on its own, a graph's children once removed), and links already
undone (a finished component's links are undone).
"""

from .core.component import Component


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


def snapshot(roots):
    """
    Return the graph reachable from C{roots} (see L{components}) as plain
    data, ready for JSON::

        {"components": [{"name", "type", "state", "parent",
                         "inboxes": {box: messages queued},
                         "outboxes": {box: messages held}}, ...],
         "links": [{"source": [component, box], "sink": [component, box]}, ...]}

    C{state} is C{"initial"}, C{"active"} or C{"done"}; C{parent} is the
    parent's name or L{None}. A box that forwards holds nothing: its
    messages are counted where they wait, at the end of its chain. A link
    from an inbox (a parent handing its input to a child) or to an outbox
    (a child's output leaving through its parent) is a passthrough.

    @param roots: components.
    """
    found = components(roots)
    return {
        "components": [_describe(component) for component in found],
        "links": [{"source": [component.name, box.name], "sink": [box.target.owner.name, box.target.name]}
                  for component in found for box in _boxes(component) if box.target is not None],
    }


def _describe(component):
    parent = component.parent
    return {
        "name": component.name,
        "type": type(component).__name__,
        "state": component._state,  # the core has no public name for it yet
        "parent": parent.name if parent is not None else None,
        "inboxes": {name: len(box) for name, box in component.inboxes.items()},
        "outboxes": {name: len(box) for name, box in component.outboxes.items()},
    }


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
