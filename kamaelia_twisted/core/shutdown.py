"""
Stopping components in an orderly way: ask, wait, then insist.

L{askToStop} delivers L{shutdownMicroprocess} to a component's C{control}
inbox. L{shutDown} stops a set of graphs in three stages, each given C{grace}
seconds: the graphs are asked to stop; then each of their unfinished
components is asked; then what is left is ended with C{Component.stop} (a
component whose C{stop} override raises is logged and ended all the same)::

    from twisted.internet.task import Clock
    from kamaelia_twisted.core.shutdown import shutDown
    from kamaelia_twisted.util import Collect

    clock = Clock()
    sink = Collect(reactor=clock).activate()
    done = shutDown([sink], grace=5.0, clock=clock)
    clock.advance(0)
    assert sink.isDone() and done.called
"""

from twisted.internet.defer import DeferredList
from twisted.logger import Logger

from .boxes import BoxFull
from .ipc import shutdownMicroprocess

log = Logger()


def askToStop(component, sender=None):
    """
    Deliver L{shutdownMicroprocess} to C{component}'s C{control} inbox.

    @param sender: the message's C{caller}.
    @return: whether it was delivered (C{False} if the component has ended,
        has no C{control} inbox, or that inbox is full).
    """
    control = component.inboxes.get("control")
    if control is None or component.isDone():
        return False
    try:
        control.deliver(shutdownMicroprocess(sender))
    except BoxFull:
        return False
    return True


def unfinishedComponents(graph):
    """
    Return C{graph} and its descendants that have not finished, parents first.
    """
    found = [] if graph.isDone() else [graph]
    for child in graph.childComponents():
        found.extend(unfinishedComponents(child))
    return found


def shutDown(graphs, grace, clock, sender=None, log=log):
    """
    Stop C{graphs}: ask each to stop; after C{grace} seconds ask each of their
    unfinished components; after C{grace} more end what is left with
    C{Component.stop}, deepest first. The later stages are logged (a warning,
    then an error) naming the components they act on.

    @param graphs: the components to stop.
    @param clock: the L{IReactorTime<twisted.internet.interfaces.IReactorTime>} for the waits.
    @param sender: the C{caller} of the L{shutdownMicroprocess} messages.
    @param log: the L{Logger} for the later stages.
    @return: a L{Deferred<twisted.internet.defer.Deferred>} that fires with L{None} once every
        graph has ended.
    """
    graphs = [graph for graph in graphs if not graph.isDone()]
    done = DeferredList([graph.whenDone() for graph in graphs], consumeErrors=True)
    done.addCallback(lambda _: None)
    asked = [askToStop(graph, sender) for graph in graphs]
    first = grace if any(asked) else 0
    stages = [clock.callLater(first, _askEach, graphs, grace, sender, log),
              clock.callLater(first + grace, stopByForce, graphs, log)]
    return done.addBoth(_cancel, stages)


def _askEach(graphs, grace, sender, log):
    left = _unfinished(graphs)
    log.warn("graph {graphs} did not stop within {grace}s; asking each of {left} to stop",
             graphs=_names(graphs), grace=grace, left=_names(left))
    for component in left:
        askToStop(component, sender)


def stopByForce(graphs, log=log):
    """
    End what is left of C{graphs} now with C{Component.stop}, deepest first,
    naming it in an error logged: L{shutDown}'s last stage, for when there is
    no more time to wait (as a second Ctrl-C says).
    """
    left = _unfinished(graphs)
    if not left:
        return
    log.error("graph {graphs} is still running; stopping {left} by force",
              graphs=_names(graphs), left=_names(left))
    for component in reversed(left):
        try:
            component.stop()
        except Exception:
            log.failure("{name}'s stop() failed; ending it all the same", name=component.name)
            _endNow(component)


def _endNow(component):
    from .component import Component  # it imports this module, through the runtime
    Component.stop(component)


def _unfinished(graphs):
    return [component for graph in graphs for component in unfinishedComponents(graph)]


def _cancel(result, calls):
    for call in calls:
        if call.active():
            call.cancel()
    return result


def _names(components):
    return ", ".join(component.name for component in components)
