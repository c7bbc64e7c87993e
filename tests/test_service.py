"""
Tests for L{kamaelia_twisted.service.GraphService}.
"""

from twisted.application.service import IService, MultiService
from twisted.internet.task import Clock
from twisted.logger import Logger, formatEvent
from twisted.trial import unittest

from kamaelia_twisted import Component, Graphline, Pipeline, shutdownMicroprocess
from kamaelia_twisted.service import GraphService
from kamaelia_twisted.util import Collect, DataSource

from .helpers import Raiser, Relay


class Stubborn(Component):
    """
    Ignore everything, shutdown messages included.
    """

    def main(self):
        while True:
            self.checkShutdown()
            self.pause()
            yield 1


def capturedService(*args, **kwargs):
    """
    Make a L{GraphService} whose log messages are kept in C{service.logged}.
    """
    service = GraphService(*args, **kwargs)
    service.logged = []
    service.log = Logger(observer=lambda event: service.logged.append(
        (event["log_level"].name, formatEvent(event))))
    return service


class GraphServiceTests(unittest.TestCase):
    def test_isAService(self):
        self.assertTrue(IService.providedBy(GraphService(Collect())))

    def test_startAndStopInMultiService(self):
        """
        Starting the parent activates the graph; stopping it delivers
        L{shutdownMicroprocess} and waits for every component.
        """
        sink = Collect()
        service = GraphService(lambda: Pipeline(Relay(), sink))
        parent = MultiService()
        service.setServiceParent(parent)
        parent.startService()
        self.assertTrue(service.running)
        service.graph.inboxes["inbox"].deliver("hello")
        stopped = parent.stopService()

        def check(_):
            self.assertFalse(service.running)
            self.assertTrue(service.graph.isDone())
            self.assertTrue(all(child.isDone() for child in service.graph.childComponents()))
            self.assertEqual(sink.collected, ["hello"])
            self.assertIsInstance(sink.shutdown, shutdownMicroprocess)

        return stopped.addCallback(check)

    def test_restartMakesANewGraph(self):
        service = GraphService(Collect)
        service.startService()
        first = service.graph

        def restart(_):
            service.startService()
            self.assertIsNot(service.graph, first)
            self.assertFalse(service.graph.isDone())
            return service.stopService()

        return service.stopService().addCallback(restart)

    def test_componentRunsOnce(self):
        service = GraphService(Collect())
        service.startService()

        def restart(_):
            error = self.assertRaises(RuntimeError, service.startService)
            self.assertIn("give GraphService a callable to restart it", str(error))

        return service.stopService().addCallback(restart)

    def test_factoryMustMakeAComponent(self):
        service = GraphService(lambda: "not a graph")
        error = self.assertRaises(TypeError, service.startService)
        self.assertIn("returned 'not a graph', not a component", str(error))
        self.assertFalse(service.running)

    def test_stopBeforeStart(self):
        return GraphService(Collect).stopService()

    def test_graphEndsByItself(self):
        sink = Collect()
        service = capturedService(lambda: Pipeline(DataSource([1, 2]), sink))
        service.startService()

        def check(_):
            self.assertEqual(sink.collected, [1, 2])
            name = service.graph.name
            self.assertEqual(service.logged, [
                ("info", "running graph {}".format(name)),
                ("warn", "graph {} ended by itself, returning None".format(name))])
            return service.stopService()

        return service.graph.whenDone().addCallback(check)

    def test_stopReactorWhenGraphEnds(self):
        """
        With C{stopReactor}, a graph that ends by itself stops the reactor.
        """
        reactor = _StoppableReactor()
        service = GraphService(lambda: Pipeline(DataSource([1])), reactor=reactor, stopReactor=True)
        service.startService()

        def check(_):
            self.assertEqual(reactor.stopped, 1)
            return service.stopService()

        return service.graph.whenDone().addCallback(check)

    def test_graphFails(self):
        service = capturedService(lambda: Pipeline(DataSource(["bad"]), Raiser()))
        service.startService()
        d = self.assertFailure(service.graph.whenDone(), ValueError)

        def check(_):
            self.flushLoggedErrors(ValueError)
            self.assertEqual(service.logged[1:], [(
                "error", "graph {} failed while its service was running: bad message 'bad'".format(
                    service.graph.name))])
            return service.stopService()

        return d.addCallback(check)

    def test_graphFailedHook(self):
        """
        C{graphFailed} is called with the graph and the failure; a subclass
        that sets C{stopReactor} there has the reactor stopped, once.
        """
        called = []

        class Stopping(GraphService):
            def graphFailed(self, graph, reason):
                called.append((graph, reason.value))
                self.stopReactor = True

        reactor = _StoppableReactor()
        service = Stopping(lambda: Pipeline(DataSource(["bad"]), Raiser()), reactor=reactor)
        service.startService()
        d = self.assertFailure(service.graph.whenDone(), ValueError)

        def check(error):
            self.flushLoggedErrors(ValueError)
            self.assertEqual(called, [(service.graph, error)])
            self.assertEqual(reactor.stopped, 1)
            return service.stopService()

        return d.addCallback(check)


class _StoppableReactor:
    """
    Stands in for a running reactor, counting calls to C{stop}.
    """

    running = True
    stopped = 0

    def stop(self):
        self.stopped += 1


class StubbornGraphTests(unittest.TestCase):
    """
    Graphs that do not stop when asked, on a L{Clock}.
    """

    def setUp(self):
        self.clock = Clock()

    def test_childrenAskedDirectly(self):
        """
        After C{stopTimeout}, every unfinished component gets
        L{shutdownMicroprocess} on its own C{control} inbox.
        """
        sink = Collect(reactor=self.clock)
        graph = Graphline(SINK=sink, linkages={("self", "control"): ("SINK", "inbox")}, reactor=self.clock)
        service = capturedService(graph, stopTimeout=5, reactor=self.clock)
        service.startService()
        self.clock.advance(0)
        stopped = service.stopService()
        self.clock.advance(0)
        self.assertFalse(stopped.called)
        self.assertEqual([type(m) for m in sink.collected], [shutdownMicroprocess])
        self.clock.advance(5)
        self.clock.advance(0)
        self.assertTrue(stopped.called)
        self.assertTrue(graph.isDone())
        self.assertEqual(service.logged[1:], [
            ("warn", "graph {0} did not stop within 5s; asking each of {0}, {1} to stop".format(
                graph.name, sink.name)),
            ("info", "graph {} stopped".format(graph.name))])
        self.assertEqual(self.clock.getDelayedCalls(), [])

    def test_givesUp(self):
        """
        A component that ignores every shutdown is stopped by force after the
        second timeout, with an error logged; the stop completes.
        """
        stubborn = Stubborn(reactor=self.clock)
        service = capturedService(Pipeline(stubborn, reactor=self.clock), stopTimeout=5, reactor=self.clock)
        service.startService()
        self.clock.advance(0)
        stopped = service.stopService()
        self.clock.pump([0, 5, 0, 4.9])
        self.assertFalse(stopped.called)
        self.assertFalse(stubborn.isDone())
        self.clock.advance(0.1)
        self.assertTrue(stopped.called)
        self.assertTrue(stubborn.isDone())
        self.assertTrue(service.graph.isDone())
        self.assertEqual([level for level, text in service.logged], ["info", "warn", "error", "info"])
        self.assertIn("stopping {}, {} by force".format(service.graph.name, stubborn.name), service.logged[2][1])
        self.assertEqual(self.clock.getDelayedCalls(), [])
