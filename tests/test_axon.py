"""
Unmodified Kamaelia components (the C{kamaelia} package) on the reactor,
through L{kamaelia_twisted.axon}: each graph is activated, and the test
waits for its Deferreds.
"""

import importlib
import os
import re
import socket
import sys

from kamaelia_twisted.axon import install

install()  # before Kamaelia is imported

import Axon  # noqa: E402
from Axon.Component import component  # noqa: E402
from Axon.Ipc import WaitComplete, newComponent, producerFinished, shutdownMicroprocess  # noqa: E402
from Kamaelia.Chassis.Carousel import Carousel  # noqa: E402
from Kamaelia.Chassis.ConnectedServer import ServerCore  # noqa: E402
from Kamaelia.Chassis.Graphline import Graphline as KGraphline  # noqa: E402
from Kamaelia.Chassis.Pipeline import Pipeline as KPipeline  # noqa: E402
from Kamaelia.Chassis.Seq import Seq as KSeq  # noqa: E402
from Kamaelia.File.ReadFileAdaptor import ReadFileAdaptor  # noqa: E402
from Kamaelia.Internet.Selector import Selector  # noqa: E402
from Kamaelia.Protocol.EchoProtocol import EchoProtocol  # noqa: E402
from Kamaelia.Protocol.Framing import DataChunker, DataDeChunker, DeFramer, Framer  # noqa: E402
from Kamaelia.Util.Backplane import Backplane, PublishTo, SubscribeTo  # noqa: E402
from Kamaelia.Util.DataSource import DataSource  # noqa: E402
from Kamaelia.Util.Fanout import Fanout  # noqa: E402
from Kamaelia.Util.Introspector import Introspector  # noqa: E402
from Kamaelia.Util.Marshalling import DeMarshaller, Marshaller  # noqa: E402
from Kamaelia.Util.PureTransformer import PureTransformer  # noqa: E402
from Kamaelia.Util.RateFilter import MessageRateLimit  # noqa: E402
from Kamaelia.Util.Splitter import Plug, PlugSplitter, Splitter, addsink, removesink  # noqa: E402
from twisted.internet import defer, utils  # noqa: E402
from twisted.internet.task import Clock  # noqa: E402
from twisted.trial import unittest  # noqa: E402

from kamaelia_twisted import Pipeline  # noqa: E402
from kamaelia_twisted.core.shutdown import askToStop  # noqa: E402
from kamaelia_twisted.util import Collect  # noqa: E402
from kamaelia_twisted.util import DataSource as OurDataSource  # noqa: E402
from tests.children import spawn  # noqa: E402
from tests.helpers import Recorder  # noqa: E402
from tests.test_axon_selector import iterations  # noqa: E402
from tests.test_axon_selector_kamaelia import Exchange, connectOnceListening, freePort  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runGraph(graph):
    """
    Activate C{graph} and return a Deferred that fires when it ends.
    """
    return graph.activate().whenDone()


class Words:
    """
    What Kamaelia's Marshaller expects: a class with marshall/demarshall.
    """

    @staticmethod
    def marshall(words):
        return " ".join(words)

    @staticmethod
    def demarshall(text):
        return text.split(" ")


class InstallTests(unittest.TestCase):
    def test_axonIsTheLayer(self):
        """
        After install(), Axon and its modules are ours, under both names.
        """
        import kamaelia_twisted.axon.Component as ours
        self.assertIs(Axon.Component, ours)
        self.assertIs(sys.modules["Axon.Component"], ours)
        self.assertEqual(ours.__spec__.name, "kamaelia_twisted.axon.Component")

    def test_idempotent(self):
        before = list(sys.meta_path)
        install()
        self.assertEqual(sys.meta_path, before)

    def test_missingModule(self):
        """
        A module of Axon that the layer lacks says so.
        """
        with self.assertRaises(ModuleNotFoundError) as caught:
            importlib.import_module("Axon.experimental.Process")
        self.assertIn("not provided by kamaelia_twisted.axon", str(caught.exception))

    def test_ipcIsOurs(self):
        from kamaelia_twisted import producerFinished as ours
        from Axon.AxonExceptions import noSpaceInBox
        from kamaelia_twisted import BoxFull
        self.assertIs(producerFinished, ours)
        self.assertIs(noSpaceInBox, BoxFull)


class ComponentTests(unittest.TestCase):
    def test_keywordsBecomeAttributes(self):
        """
        As Axon's component does, ours takes keywords of any name.
        """
        c = component(colour="red", Inboxes={"in": ""})
        self.assertEqual((c.colour, list(c.inboxes)), ("red", ["in"]))

    def test_namedAsAxonNamesThem(self):
        """
        A microprocess is named after its module, class and id, as Axon
        names it (programs print these names); a name keyword is kept.
        """
        transformer = PureTransformer()
        self.assertEqual(transformer.name, "Kamaelia.Util.PureTransformer.PureTransformer_{}".format(
            transformer.id))
        self.assertEqual(component(name="mine").name, "mine")

    def test_outboxLengthIsTheReceivers(self):
        """
        len(outbox) counts what waits at the linked inbox (Kamaelia throttles on it).
        """
        a, b = component(), component()
        a.link((a, "outbox"), (b, "inbox"))
        a.send(1)
        a.send(2)
        self.assertEqual((len(a.outboxes["outbox"]), a.outboxes["outbox"].local_len()), (2, 0))

    def test_inboxTakesArrivals(self):
        """
        Inbox() takes what waits and what arrives while the loop runs, in order.
        """
        c, seen = component(), []
        c.link((c, "outbox"), (c, "inbox"))
        for message in (1, 2, 3):
            c._deliver(message)
        for message in c.Inbox("inbox"):
            seen.append(message)
            if message < 10:
                c.send(message + 10, "outbox")
        self.assertEqual((seen, c.dataReady("inbox")), ([1, 2, 3, 11, 12, 13], 0))

    def test_inboxBreakLeavesTheRest(self):
        """
        What a loop over Inbox() does not reach stays in the box.
        """
        c = component()
        for message in (1, 2, 3, 4):
            c._deliver(message)
        for message in c.Inbox("inbox"):
            if message == 2:
                break
        self.assertEqual([c.recv("inbox"), c.recv("inbox"), c.dataReady("inbox")], [3, 4, 0])

    def test_inboxMakesRoom(self):
        """
        Taking from a box at its capacity with Inbox() releases a sender waiting for space.
        """
        a, b, released = component(), component(), []
        a.link((a, "outbox"), (b, "inbox"))
        b.inboxes["inbox"].setCapacity(4)
        for message in range(4):
            a.send(message, "outbox")
        a.outboxes["outbox"].whenSpace().addCallback(released.append)
        self.assertEqual((list(b.Inbox("inbox")), released), ([0, 1, 2, 3], [None]))

    def test_pipewidth(self):
        from Axon.AxonExceptions import noSpaceInBox
        a, b = component(), component()
        a.link((a, "outbox"), (b, "inbox"), pipewidth=1)
        a.send(1)
        self.assertRaises(noSpaceInBox, a.send, 2)

    def test_addChildrenDoesNotActivate(self):
        parent, child = component(), component()
        parent.addChildren(child)
        self.assertEqual(parent.childComponents(), [child])
        self.assertFalse(child._activated)

    def test_pausedParentWakesWhenChildEnds(self):
        class Parent(component):
            def main(self):
                self.child = component()
                self.addChildren(self.child)
                yield newComponent(self.child)
                while not self.child._isStopped():
                    self.pause()
                    yield 1

        return runGraph(Parent())

    def test_waitComplete(self):
        """
        The generator of a WaitComplete runs to its end, then main resumes.
        Real Axon on Python 3 stops its whole scheduler when a WaitComplete
        ends; here the component goes on.
        """
        class Waiter(component):
            def inner(self):
                for n in range(3):
                    self.send(n)
                    yield 1

            def main(self):
                yield WaitComplete(self.inner())
                self.send("after")
                self.send(producerFinished(), "signal")

        sink = Collect()
        return runGraph(Pipeline(Waiter(), sink)).addCallback(
            lambda _: self.assertEqual(sink.collected, [0, 1, 2, "after"]))

    def test_waitCompleteRaises(self):
        """
        An exception in a WaitComplete's generator is raised in main at the yield.
        """
        class Waiter(component):
            def inner(self):
                yield 1
                raise ValueError("inner")

            def main(self):
                try:
                    yield WaitComplete(self.inner())
                except ValueError as e:
                    self.caught = e

        waiter = Waiter()
        return runGraph(waiter).addCallback(lambda _: self.assertEqual(str(waiter.caught), "inner"))

    def test_oldStyle(self):
        class Counter(component):
            def initialiseComponent(self):
                self.steps = []

            def mainBody(self):
                self.steps.append(len(self.steps))
                return len(self.steps) < 3

            def closeDownComponent(self):
                self.steps.append("closed")

        counter = Counter()
        return runGraph(counter).addCallback(lambda _: self.assertEqual(counter.steps, [0, 1, 2, "closed"]))

    def test_stopEndsNormally(self):
        class Forever(component):
            def main(self):
                while True:
                    self.pause()
                    yield 1

        forever = Forever().activate()
        forever.stop()
        self.assertTrue(forever._isStopped())
        return forever.whenDone()

    def test_stopCalledWhenMainEnds(self):
        """
        As Axon's scheduler does, a microprocess whose main ends (returning,
        or with a RuntimeError) has its stop() called, once; one stopped
        from outside, or one that fails, is not stopped again.
        """
        class Stoppable(component):
            def __init__(self, end):
                super().__init__()
                self.end, self.stops = end, []

            def main(self):
                yield 1
                if self.end == "returns":
                    return
                if self.end != "forever":
                    raise self.end
                while True:
                    self.pause()
                    yield 1

            def stop(self):
                self.stops.append(self.end)
                super().stop()

        def stopsOnce(_, stoppable):
            self.assertEqual(stoppable.stops, [stoppable.end])

        returns, runtimeError = Stoppable("returns"), Stoppable(RuntimeError("at shutdown"))
        stoppedFromOutside, fails = Stoppable("forever").activate(), Stoppable(ValueError("fails"))
        stoppedFromOutside.stop()
        done = [runGraph(returns).addCallback(stopsOnce, returns),
                runGraph(runtimeError).addCallback(stopsOnce, runtimeError),
                stoppedFromOutside.whenDone().addCallback(stopsOnce, stoppedFromOutside),
                self.assertFailure(runGraph(fails), ValueError).addCallback(
                    lambda _: (self.flushLoggedErrors(ValueError), self.assertEqual(fails.stops, [])))]
        return defer.gatherResults(done)

    def test_scheduledRootsStopTheRest(self):
        """
        What the scheduler's shutdown starts from is the microprocesses
        that are no other's child, so that each is asked and stopped once.
        """
        from Axon.Scheduler import _Watcher, scheduler
        tracked = scheduler()
        parent, child, other = component(), component(), component()
        parent.addChildren(child)
        for mprocess in (child, parent, other):
            mprocess.activate(tracked)
        self.assertEqual(_Watcher(tracked).childComponents(), [parent, other])
        tracked.stop()
        return defer.gatherResults([mprocess.whenDone() for mprocess in (parent, child, other)])

    def test_schedulerTimeIsTheReactors(self):
        clock = Clock()
        clock.advance(42)
        from Axon.Scheduler import scheduler
        self.assertEqual(scheduler(reactor=clock).time, 42)

    def test_threadedLinksFromItsThread(self):
        """
        A threaded component may link and add boxes from its own thread.
        """
        from Axon.ThreadedComponent import threadedadaptivecommscomponent
        sink = Collect()

        class Linker(threadedadaptivecommscomponent):
            def main(self):
                box = self.addOutbox("extra")
                self.link((self, box), (sink, "inbox"))
                self.link((self, "signal"), (sink, "control"))
                self.send("through " + box, box)
                self.send(producerFinished(), "signal")

        Linker().activate()
        return runGraph(sink).addCallback(lambda _: self.assertEqual(sink.collected, ["through extra"]))


class KamaeliaComponentTests(unittest.TestCase):
    def collect(self, *components):
        sink = Collect()
        return runGraph(KPipeline(*components + (sink,))).addCallback(lambda _: sink.collected)

    def test_pureTransformer(self):
        d = self.collect(DataSource([1, 2, 3]), PureTransformer(lambda x: x * 10))
        return d.addCallback(self.assertEqual, [10, 20, 30])

    def test_marshalling(self):
        d = self.collect(DataSource([["a", "b"], ["c"]]), Marshaller(Words), DeMarshaller(Words))
        return d.addCallback(self.assertEqual, [["a", "b"], ["c"]])

    def test_framingAndChunking(self):
        frames = [(1, "first"), (2, "second frame")]
        d = self.collect(DataSource(frames), Framer(), DataChunker(), DataDeChunker(), DeFramer())
        return d.addCallback(self.assertEqual, frames)

    def test_fanoutInGraphline(self):
        """
        Kamaelia's Graphline with Fanout, and our Collect as two of its parts.
        """
        left, right = Collect(), Collect()
        graph = KGraphline(
            SOURCE=DataSource(["x", "y"]),
            FAN=Fanout(["left", "right"]),
            LEFT=left, RIGHT=right,
            linkages={("SOURCE", "outbox"): ("FAN", "inbox"),
                      ("SOURCE", "signal"): ("FAN", "control"),
                      ("FAN", "left"): ("LEFT", "inbox"),
                      ("FAN", "right"): ("RIGHT", "inbox"),
                      ("FAN", "signal"): ("LEFT", "control"),
                      ("LEFT", "signal"): ("RIGHT", "control")})
        return runGraph(graph).addCallback(
            lambda _: self.assertEqual((left.collected, right.collected), (["x", "y"], ["x", "y"])))

    def test_kamaeliaInOurPipeline(self):
        sink = Collect()
        d = runGraph(Pipeline(OurDataSource(["a", "b"]), PureTransformer(str.upper), sink))
        return d.addCallback(lambda _: self.assertEqual(sink.collected, ["A", "B"]))

    def test_backplane(self):
        """
        Backplane, PublishTo and SubscribeTo; the subscriber ends when the
        backplane is shut down.
        """
        backplane = Backplane("AXON_TEST").activate()
        sink = Collect()
        subscriber = KPipeline(SubscribeTo("AXON_TEST"), sink).activate()
        publisher = KPipeline(DataSource(["news", "more"]), PublishTo("AXON_TEST"))

        def published(_):
            backplane.inboxes["control"].deliver(producerFinished())
            return defer.gatherResults([backplane.whenDone(), subscriber.whenDone()])

        d = runGraph(publisher).addCallback(published)
        return d.addCallback(lambda _: self.assertEqual(sink.collected, ["news", "more"]))

    def test_seq(self):
        d = self.collect(KSeq(DataSource([1, 2]), DataSource([3])))
        return d.addCallback(self.assertEqual, [1, 2, 3])

    def test_carousel(self):
        """
        Carousel makes a child from each message on "next".
        """
        carousel = Carousel(lambda words: DataSource(words))
        sink = Recorder()
        graph = KPipeline(carousel, sink).activate()
        carousel.inboxes["next"].deliver(["one", "two"])

        def check(messages):
            carousel.inboxes["control"].deliver(shutdownMicroprocess())
            return graph.whenDone().addCallback(lambda _: messages)

        return sink.whenCount(2).addCallback(check).addCallback(self.assertEqual, ["one", "two"])

    def test_readFileAdaptorLines(self):
        path = self.mktemp()
        with open(path, "w") as f:
            f.write("one\ntwo\n")
        d = self.collect(ReadFileAdaptor(path, readmode="line"))
        return d.addCallback(self.assertEqual, [b"one\n", b"two\n"])

    def test_readFileAdaptorBitrate(self):
        """
        In bitrate mode, 8 kbit/s at 100 chunks a second is 10-byte chunks.
        """
        path = self.mktemp()
        with open(path, "wb") as f:
            f.write(b"x" * 25)
        d = self.collect(ReadFileAdaptor(path, readmode="bitrate", bitrate=8000, chunkrate=100))
        return d.addCallback(lambda chunks: self.assertEqual([len(c) for c in chunks], [10, 10, 5]))

    def test_messageRateLimit(self):
        d = self.collect(DataSource(list(range(5))), MessageRateLimit(1000, buffer=2))
        return d.addCallback(self.assertEqual, list(range(5)))

    def test_plugSplitter(self):
        """
        Kamaelia's PlugSplitter fans a pipeline's data out to the components
        plugged into it (Plug); its shutdown reaches each of them, and each
        Plug unplugs and ends once its component has. (PlugSplitter's own
        clean-up raises RuntimeError on Python 3 when more than one sink is
        left, "dictionary changed size during iteration", which Axon, and
        the layer, take as an exit.)
        """
        splitter, left, right = PlugSplitter(), Collect(), Collect()
        plugs = [Plug(splitter, left).activate(), Plug(splitter, right).activate()]
        d = runGraph(KPipeline(DataSource(["a", "b", "c"]), splitter))
        d.addCallback(lambda _: defer.gatherResults([plug.whenDone() for plug in plugs]))
        return d.addCallback(lambda _: self.assertEqual((left.collected, right.collected),
                                                        (["a", "b", "c"], ["a", "b", "c"])))

    def test_plugSplitterWithSource(self):
        """
        A PlugSplitter around its own source component ends when that has.
        """
        splitter, sink = PlugSplitter(DataSource([1, 2])), Collect()
        plug = Plug(splitter, sink).activate()
        d = runGraph(splitter).addCallback(lambda _: plug.whenDone())
        return d.addCallback(lambda _: self.assertEqual(sink.collected, [1, 2]))

    @defer.inlineCallbacks
    def test_splitter(self):
        """
        Kamaelia's old-style Splitter copies what comes to each sink added
        with addsink, and stops copying to one removed with removesink. (It
        links with C{linkage(..., postoffice=...)}, which Axon 1.14 refuses.)
        """
        splitter, a, b = Splitter().activate(), Recorder().activate(), Recorder().activate()
        configuration, inbox = splitter.inboxes["configuration"], splitter.inboxes["inbox"]
        configuration.deliver(addsink(a))
        configuration.deliver(addsink(b))
        while len(splitter.outlist) < 2:
            self.assertFalse(splitter.isDone(), "the Splitter ended")
            yield from iterations(1)
        inbox.deliver("both")
        self.assertEqual(((yield a.whenCount(1)), (yield b.whenCount(1))), (["both"], ["both"]))
        configuration.deliver(removesink(b))
        inbox.deliver("a only")
        self.assertEqual((yield a.whenCount(2)), ["both", "a only"])
        self.assertEqual((list(splitter.outlist), b.messages), ([(a, "inbox")], ["both"]))
        splitter.stop()
        for recorder in (a, b):
            recorder.inboxes["control"].deliver(producerFinished())
        yield defer.gatherResults([splitter.whenDone(), a.whenDone(), b.whenDone()])

    @defer.inlineCallbacks
    def test_serverCoreReleasesItsPort(self):
        """
        Kamaelia's TCPServer closes its listening socket in stop(), which
        Axon's scheduler calls when its main ends: once a ServerCore has
        been shut down, its port can be listened on again (with
        SO_REUSEADDR, as Kamaelia's servers do: connections that ended may
        linger in TIME_WAIT).
        """
        port = freePort()
        server = ServerCore(protocol=EchoProtocol, port=port).activate()
        selector = Selector.getSelectorServices()[0][0]
        exchange = Exchange(b"hello\n")
        yield connectOnceListening(port, exchange)
        self.assertEqual((yield exchange.done), b"hello\n")
        askToStop(server)
        yield defer.gatherResults([server.whenDone(), server.server.whenDone(), selector.whenDone()])
        self.assertIsNone(server.server.listener)
        probe = socket.socket()
        self.addCleanup(probe.close)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen(1)

    def test_introspector(self):
        """
        The Introspector reports itself and a linked component.
        """
        sink = Recorder()
        introspector = Introspector()
        graph = Pipeline(introspector, sink).activate()

        def check(messages):
            self.assertEqual(messages[0], "DEL ALL\n")
            self.assertIn('ADD NODE "{}" "{}" randompos component'.format(introspector.id, introspector.name),
                          messages[1])
            introspector.inboxes["control"].deliver(shutdownMicroprocess())
            return graph.whenDone()

        return sink.whenCount(2).addCallback(check)


PROGRAM = """
import sys
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.DataSource import DataSource
from Kamaelia.Util.PureTransformer import PureTransformer
from Kamaelia.Util.Console import ConsoleEchoer
import helper  # beside the script: its folder is first on sys.path

class Broken(PureTransformer):
    def main(self):
        raise ValueError("broken component")
        yield 1

if __name__ == "__main__":
    if "raise" in sys.argv:
        Broken().run()
    Pipeline(DataSource(sys.argv[1:]), PureTransformer(lambda word: word.upper() + "\\n"),
             ConsoleEchoer()).run()
    if helper.FAIL in sys.argv:
        raise SystemExit("asked to fail")
"""

CONSOLE = """
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleReader, ConsoleEchoer
Pipeline(ConsoleReader(prompt=""), ConsoleEchoer()).run()
"""

HANDLE = """
import queue, time
from Axon.background import background
from Axon.Handle import Handle
from Axon.Ipc import producerFinished
from Kamaelia.Util.PureTransformer import PureTransformer

background().start()
upper = Handle(PureTransformer(str.upper)).activate()
upper.put("hello", "inbox")
while True:
    try:
        print(upper.get("outbox"))
        break
    except queue.Empty:
        time.sleep(0.01)
upper.put(producerFinished(), "control")
"""


SINGLE_SERVER = """\
import sys
from Axon.Component import component
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Internet.SingleServer import SingleServer
from kamaelia_twisted.core.runtime import Runtime

Runtime.stopGrace = 0.2

class Ready(component):
    def main(self):
        print("ready", flush=True)
        while True:
            self.pause()
            yield 1

try:
    Pipeline(Ready(), SingleServer(port=int(sys.argv[1]))).run()
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
"""


class RunnerTests(unittest.TestCase):
    """
    C{python -m kamaelia_twisted.axon SCRIPT}, in a subprocess.
    """

    def script(self, source, name="program.py"):
        folder = os.path.abspath(self.mktemp())
        os.makedirs(folder)
        with open(os.path.join(folder, "helper.py"), "w") as f:
            f.write('FAIL = "fail"\n')
        path = os.path.join(folder, name)
        with open(path, "w") as f:
            f.write(source)
        return path

    def runScript(self, *args, stdin=None):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
        command = " ".join("'{}'".format(arg) for arg in (sys.executable, "-m", "kamaelia_twisted.axon") + args)
        if stdin is not None:
            command += " < '{}'".format(stdin)
        return utils.getProcessOutputAndValue("/bin/sh", ["-c", command], env=env, path=ROOT)

    def test_program(self):
        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"HELLO\nWORLD\n", 0), err)

        return self.runScript(self.script(PROGRAM), "hello", "world").addCallback(check)

    def test_programExits(self):
        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"FAIL\n", 1), err)
            self.assertIn(b"asked to fail", err)

        return self.runScript(self.script(PROGRAM), "fail").addCallback(check)

    def test_runTwice(self):
        """
        A program that runs its components twice (as some of Kamaelia's
        examples do) gets what the first run did, then an error that says
        why the second cannot run.
        """
        source = PROGRAM.replace('if __name__ == "__main__":', 'for run in range(2):')

        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"HELLO\n", 1), err)
            self.assertIn(b"ReactorNotRestartable: the program ran its components already", err)

        return self.runScript(self.script(source), "hello").addCallback(check)

    def test_runTwiceThreaded(self):
        """
        A threaded component whose run() is refused, the reactor having run
        already, never starts its thread.
        """
        source = PROGRAM.replace('if __name__ == "__main__":', """\
from Axon.ThreadedComponent import threadedcomponent

class Late(threadedcomponent):
    def main(self):
        print("LATE", flush=True)

if True:
    Pipeline(DataSource(["a"]), ConsoleEchoer()).run()
    Late().run()
if False:""")

        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"a", 1), err)
            self.assertIn(b"ReactorNotRestartable", err)

        return self.runScript(self.script(source)).addCallback(check)

    def test_traceAllSendsAndRecvs(self):
        """
        Axon's switches Axon.Component.TraceAllSends and TraceAllRecvs make
        each component print what it sends and receives, as Axon's do.
        """
        source = PROGRAM.replace("import helper", "import helper\nimport Axon\n"
                                 "Axon.Component.TraceAllSends = Axon.Component.TraceAllRecvs = True")

        def check(result):
            out, err, code = result
            self.assertEqual(code, 0, err)
            lines = out.decode().splitlines()
            self.assertIn("HELLO", lines)
            for trace in [r"SEND: \d+ DataSource_\d+ 'outbox' : hello",
                          r"RECV: \d+ PureTransformer_\d+ 'inbox' : hello",
                          r"SEND: \d+ PureTransformer_\d+ 'outbox' : HELLO",
                          r"RECV: \d+ ConsoleEchoer_\d+ 'inbox' : HELLO",
                          r"SEND: \d+ DataSource_\d+ 'signal' : producerFinished"]:
                self.assertTrue([line for line in lines if re.match(trace, line)], (trace, lines))

        return self.runScript(self.script(source), "hello").addCallback(check)

    def test_noSuchScript(self):
        """
        A script that is not there is one line on stderr, as C{python} says
        it, and exit status 2.
        """
        path = os.path.abspath(self.mktemp())
        message = "python -m kamaelia_twisted.axon: can't open file {!r}: [Errno 2] No such file or directory\n"

        def check(result):
            out, err, code = result
            self.assertEqual((out, err.decode(), code), (b"", message.format(path), 2))

        return self.runScript(path).addCallback(check)

    def test_componentRaises(self):
        """
        A component that raises ends the run with its exception, as Axon's does.
        """
        def check(result):
            out, err, code = result
            self.assertEqual(code, 1, err)
            self.assertIn(b"ValueError: broken component", err)

        return self.runScript(self.script(PROGRAM), "raise").addCallback(check)

    def test_consoleReaderAndEchoer(self):
        """
        ConsoleReader (threaded) to ConsoleEchoer: every line comes out,
        then input()'s EOFError ends the program, as on Axon. Real Axon
        loses the last lines read before that error; here they are sent.
        """
        lines = "".join("line {}\n".format(n) for n in range(50))
        stdin = os.path.abspath(self.mktemp())
        with open(stdin, "w") as f:
            f.write(lines)

        def check(result):
            out, err, code = result
            self.assertEqual(out.decode(), lines)
            self.assertNotEqual(code, 0)
            self.assertIn(b"EOFError", err)

        return self.runScript(self.script(CONSOLE), stdin=stdin).addCallback(check)

    @defer.inlineCallbacks
    def test_interruptedWhenStopRaises(self):
        """
        Ctrl-C ends a program whose components ignore shutdown even when
        one's stop() raises (Kamaelia's SingleServer, with no client yet):
        the error is logged and run() raises KeyboardInterrupt.
        """
        child = spawn(self, ["-m", "kamaelia_twisted.axon", self.script(SINGLE_SERVER), str(freePort())])
        yield child.whenOutput(b"ready\n")
        child.transport.signalProcess("INT")
        self.assertEqual((yield child.ended), 0, child.err)
        self.assertEqual(child.out, b"ready\nKeyboardInterrupt\n")
        self.assertRegex(child.err, rb"SingleServer_\d+.s stop\(\) failed")

    test_interruptedWhenStopRaises.timeout = 30

    def test_backgroundAndHandle(self):
        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"HELLO\n", 0), err)

        return self.runScript(self.script(HANDLE)).addCallback(check)

    def test_example(self):
        """
        The example of doc/kamaelia.md, as the page shows it.
        """
        def check(result):
            out, err, code = result
            self.assertEqual((out, code), (b"Kamaelia\non\nTwisted\n", 0), err)

        return self.runScript("examples/kamaelia_hello.py", "Kamaelia", "on", "Twisted").addCallback(check)
