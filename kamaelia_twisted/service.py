"""
L{GraphService}: a component graph run as a Twisted service.

Starting the service activates the graph; stopping it sends
L{shutdownMicroprocess} to the graph's C{control} inbox and waits for the
components to finish. In a C{.tac} file (C{twistd -ny echo.tac})::

    from twisted.application.service import Application
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.service import GraphService
    from kamaelia_twisted.util import Collect, DataSource

    application = Application("example")
    GraphService(lambda: Pipeline(DataSource([b"hello"]), Collect())).setServiceParent(application)
"""

from twisted.application.service import Service
from twisted.internet.defer import succeed
from twisted.logger import Logger
from twisted.python.failure import Failure

from .core.component import Component
from .core.runtime import Runtime


def makeGraph(graphFactory, **arguments):
    """
    Call C{graphFactory(**arguments)} and check that it returned a component.

    @raise TypeError: if it returned something else.
    """
    graph = graphFactory(**arguments)
    if not isinstance(graph, Component):
        raise TypeError("{} returned {!r}, not a component".format(
            getattr(graphFactory, "__qualname__", repr(graphFactory)), graph))
    return graph


class GraphService(Service):
    """
    Run a component graph while the service runs.

    If the graph does not finish within C{stopTimeout} seconds of
    C{stopService}, each of its unfinished components gets
    L{shutdownMicroprocess} on its own C{control} inbox; if it is still
    running C{stopTimeout} seconds later, the service ends the components
    left with L{Component.stop} and logs which they were (see
    L{shutDown<kamaelia_twisted.core.shutdown.shutDown>}).

    @param graph: a component, or a callable returning a new one at each
        start (a component can run only once, so only a callable lets the
        service be restarted).
    @param stopTimeout: seconds to wait at each stage of stopping.
    @param reactor: the reactor for the timeouts (default: the graph's).
    @param stopReactor: stop the reactor when the graph ends by itself, for
        a one-shot job such as a client run by C{twistd}.
    @cvar graphLogsFailure: whether a failing graph logs its failure with
        its traceback, as any component does (L{graphFailed} logs one line
        saying why either way); C{twistd -n kamaelia} sets it false.
    @ivar graph: the running (or last) graph, or L{None} before the first start.
    """

    log = Logger()
    # Whether the graph logs its failure, traceback and all, as components do;
    # graphFailed logs one line either way.
    graphLogsFailure = True

    def __init__(self, graph, stopTimeout=10.0, reactor=None, stopReactor=False):
        self.graphFactory = graph if not isinstance(graph, Component) else None
        self.graph = graph if isinstance(graph, Component) else None
        self.stopTimeout = stopTimeout
        self.stopReactor = stopReactor
        self._reactor = reactor
        self._stopping = False

    def startService(self):
        """
        Make (if given a callable) and activate the graph.

        @raise TypeError: if the callable does not return a component.
        @raise RuntimeError: if the graph already ran and cannot be remade.
        """
        if self.graphFactory is not None:
            self.graph = makeGraph(self.graphFactory)
        elif self._stopping or self.graph.isDone():
            raise RuntimeError("{} already ran; give GraphService a callable to restart it".format(
                self.graph.name))
        Service.startService(self)
        self._stopping = False
        graph = self.graph
        if not self.graphLogsFailure:
            graph._raisesFailure = True  # reported by graphFailed alone
        self.log.info("running graph {graph}", graph=graph.name)
        graph.activate().whenDone().addBoth(self._ended, graph)
        clock = self._clock()
        if hasattr(clock, "callWhenRunning"):  # a reactor, not a Clock
            clock.callWhenRunning(Runtime.of(clock).watchSignals)

    def _ended(self, result, graph):
        if graph is not self.graph:
            return
        if self._stopping:
            self.log.info("graph {graph} stopped", graph=graph.name)
            return
        if isinstance(result, Failure):
            self.graphFailed(graph, result)
        elif self.stopReactor:
            self.log.info("graph {graph} has finished", graph=graph.name)
        else:
            self.log.warn("graph {graph} ended by itself, returning {result!r}",
                          graph=graph.name, result=result)
        if self.stopReactor and self._clock().running:
            self._clock().stop()

    def graphFailed(self, graph, reason):
        """
        Log that C{graph} failed while the service was running (override to
        do more; the reactor is stopped afterwards if C{stopReactor} is set).

        @param reason: the L{Failure}.
        """
        self.log.error("graph {graph} failed while its service was running: {why}",
                       graph=graph.name, why=reason.getErrorMessage())

    def stopService(self):
        """
        Stop the graph in stages (see L{shutDown<kamaelia_twisted.core.shutdown.shutDown>}, each stage
        C{stopTimeout} seconds); meanwhile a second Ctrl-C or SIGTERM to a
        reactor that handles them (as under C{twistd}) ends what is left of
        the graph at once (see L{Runtime.watchSignals}).

        @return: a L{Deferred<twisted.internet.defer.Deferred>} that fires once the graph has ended.
        """
        Service.stopService(self)
        graph = self.graph
        if graph is None or graph.isDone():
            return succeed(None)
        self._stopping = True
        return Runtime.of(self._clock()).stopInStages([graph], self.stopTimeout, self, self.log)

    def _clock(self):
        return self._reactor or self.graph.reactor
