"""
L{ThreadedComponent}: a component whose C{main} is a blocking function run in
a thread of its own, for blocking file, device or library calls::

    import hashlib
    from kamaelia_twisted import ThreadedComponent

    class Hasher(ThreadedComponent):
        def main(self):
            while not self.dataReady("control"):
                while self.dataReady("inbox"):
                    self.send(hashlib.sha256(self.recv("inbox")).hexdigest())
                self.pause(timeout=0.1)
            self.send(self.recv("control"), "signal")

Inside C{main}, C{recv}, C{dataReady} and C{anyReady} read the boxes directly;
C{send} hands the message to the reactor thread and blocks once
L{ThreadedComponent.maxPending} messages wait for room downstream;
C{pause(timeout)} blocks until a message arrives.
"""

import threading
from collections import deque

from twisted.python.failure import Failure

from .component import Component, ComponentStopped


class ThreadedComponent(Component):
    """
    A component whose blocking C{main()} runs in its own thread.

    @cvar maxPending: messages sent by the thread and not yet delivered before
        C{send} blocks.
    """

    maxPending = 1000

    def __init__(self, reactor=None, **attributes):
        Component.__init__(self, reactor, **attributes)
        self._arrived = threading.Event()
        self._slots = threading.BoundedSemaphore(self.maxPending)
        self._pending = deque()
        for box in self.inboxes.values():
            box.setAlarm(self._arrived.set)

    def main(self):
        """
        The component's behaviour, a plain blocking function; override it.
        """

    def _start(self):
        self._thread = threading.Thread(target=self._runThread, name=self.name, daemon=True)
        self._thread.start()

    def _runThread(self):
        try:
            result = self.main()
        except BaseException:
            result = Failure()
        self.reactor.callFromThread(self._threadEnded, result)

    def stop(self):
        """
        End the component now, as L{Component.stop} does. Python cannot end
        a thread from outside: the thread (a daemon, so it does not keep the
        process alive) is woken from L{pause} and its next L{send} raises
        L{ComponentStopped}; what it sends is dropped.
        """
        Component.stop(self)
        while self._pending:
            self._pending.popleft()
            self._slots.release()
        self._arrived.set()

    def unpause(self):
        """
        Wake the thread if it blocks in L{pause}.
        """
        self._arrived.set()

    def pause(self, timeout=None):
        """
        Block until a message arrives in any inbox, or C{timeout} seconds pass.
        """
        if not self.anyReady():
            self._arrived.wait(timeout)
        self._arrived.clear()

    def recv(self, boxname="inbox"):
        """
        Take the oldest message from inbox C{boxname}.
        """
        box = self.inboxes[boxname]
        message = box.messages.popleft()
        if box._spaceWaiters is not None:
            self.reactor.callFromThread(box._releaseWaiters)
        return message

    def send(self, message, boxname="outbox"):
        """
        Send C{message} on outbox C{boxname}, from the component's thread.
        """
        if boxname not in self.outboxes:
            raise KeyError("{} has no outbox named {!r}".format(self.name, boxname))
        if self.isDone():
            raise ComponentStopped("{} was stopped".format(self.name))
        self._slots.acquire()
        self.reactor.callFromThread(self._queue, message, boxname)

    def _queue(self, message, boxname):
        if self.isDone():
            self._slots.release()
            return
        self._pending.append((message, boxname))
        if len(self._pending) == 1:
            self._deliverPending()

    def _deliverPending(self, _=None):
        while self._pending:
            message, boxname = self._pending[0]
            box = self.outboxes[boxname]
            if box.isFull():
                box.whenSpace().addCallback(self._deliverPending)
                return
            box.deliver(message)
            self._pending.popleft()
            self._slots.release()
        if self._state == "ending":
            self._finish(self._ending)

    def _threadEnded(self, result):
        if self.isDone():
            return
        self._state, self._ending = "ending", result
        if not self._pending:
            self._finish(result)
