"""
C{Handle}: a component driven from ordinary code in another thread, while
the reactor runs in the L{background<kamaelia_twisted.axon.background.background>}::

    import queue, time
    from kamaelia_twisted.axon.background import background
    from kamaelia_twisted.axon.Handle import Handle
    from kamaelia_twisted.axon.Ipc import producerFinished
    from kamaelia_twisted.axon.Component import component

    class Upper(component):
        def main(self):
            while not self.dataReady("control"):
                for line in self.Inbox("inbox"):
                    self.send(line.upper(), "outbox")
                self.pause()
                yield 1
            self.send(self.recv("control"), "signal")

    background().start()
    upper = Handle(Upper()).activate()
    upper.put("hello", "inbox")
    while True:
        try:
            print(upper.get("outbox"))
            break
        except queue.Empty:
            time.sleep(0.01)
    upper.put(producerFinished(), "control")

C{put} and C{get} are safe from any thread; C{get} raises C{queue.Empty}
when nothing has arrived on that box.
"""

import queue

from .Component import component

__all__ = ["Handle"]

_TO = {"inbox": "_outbox", "control": "_signal"}


class Handle(component):
    """
    Wraps C{someComponent}: what is C{put} goes to its C{inbox} or
    C{control}, what it sends on C{outbox} or C{signal} waits for C{get}.
    """

    Inboxes = {"_inbox": "From the component's outbox", "_control": "From the component's signal"}
    Outboxes = {"_outbox": "To the component's inbox", "_signal": "To the component's control"}

    def __init__(self, someComponent):
        super().__init__()
        self.comp = someComponent
        self._received = {"outbox": queue.Queue(), "signal": queue.Queue()}

    def put(self, data, boxname="inbox"):
        """
        Send C{data} to the component's inbox C{boxname} ("inbox" or "control").
        """
        self.reactor.callFromThread(self.send, data, _TO[boxname])

    def get(self, boxname="outbox"):
        """
        Return the oldest message the component sent on C{boxname}
        ("outbox" or "signal").

        @raise queue.Empty: if there is none.
        """
        return self._received[boxname].get_nowait()

    def main(self):
        self.addChildren(self.comp)
        self.link((self, "_outbox"), (self.comp, "inbox"))
        self.link((self, "_signal"), (self.comp, "control"))
        self.link((self.comp, "outbox"), (self, "_inbox"))
        self.link((self.comp, "signal"), (self, "_control"))
        self.comp.activate()
        while True:
            ended = self.comp._isStopped()
            for message in self.Inbox("_inbox"):
                self._received["outbox"].put(message)
            for message in self.Inbox("_control"):
                self._received["signal"].put(message)
            if ended:
                return
            self.pause()
            yield 1
