"""
L{TwoWaySplitter}: every message to two places, Kamaelia's name for a tee::

    from kamaelia_twisted import Graphline
    from kamaelia_twisted.util import Collect, DataSource

    left, right = Collect(), Collect()
    Graphline(SOURCE=DataSource([1, 2]), SPLIT=TwoWaySplitter(), LEFT=left, RIGHT=right, linkages={
        ("SOURCE", "outbox"): ("SPLIT", "inbox"), ("SOURCE", "signal"): ("SPLIT", "control"),
        ("SPLIT", "outbox"): ("LEFT", "inbox"), ("SPLIT", "signal"): ("LEFT", "control"),
        ("SPLIT", "outbox2"): ("RIGHT", "inbox"), ("SPLIT", "signal2"): ("RIGHT", "control"),
    }).run()
    assert left.collected == right.collected == [1, 2]
"""

from ..core.component import Component


class TwoWaySplitter(Component):
    """
    Send each message on C{inbox} (by reference) out of C{outbox} and
    C{outbox2}, and a shutdown message on C{control} out of C{signal} and
    C{signal2}, after the messages before it.
    """

    Inboxes = {"inbox": "Messages", "control": "Shutdown messages"}
    Outboxes = {"outbox": "Each message", "outbox2": "Each message, again",
                "signal": "The shutdown message, passed on", "signal2": "The shutdown message, passed on"}

    def main(self):
        while True:
            while self.dataReady("inbox"):
                message = self.recv("inbox")
                self.send(message, "outbox")
                self.send(message, "outbox2")
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                self.send(shutdown, "signal2")
                return
            self.pause()
            yield 1
