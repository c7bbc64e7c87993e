"""
Kamaelia's echo client: what you type goes to the server, what comes back is
printed::

    python examples/echo_client.py [--host 127.0.0.1] [--port 1500]

It is one pipeline, as in Kamaelia::

    Pipeline(ConsoleReader(), TCPClient(host, port), ConsoleEchoer()).run()

End of input (Ctrl-D) closes the connection, which ends the pipeline; so
does Ctrl-C, which exits with status 130.
"""

import argparse
import sys

from twisted.internet import fdesc
from twisted.internet.interfaces import IReadDescriptor
from zope.interface import implementer

from kamaelia_twisted import Component, Pipeline, producerFinished
from kamaelia_twisted.net import TCPClient
from kamaelia_twisted.program import runProgram
from kamaelia_twisted.util import PureTransformer


class ConsoleReader(Component):
    """
    Send what is typed on standard input, as bytes (a line at a time from a
    terminal), then L{producerFinished} at its end. A shutdown message on
    C{control} ends it at once, and is passed on.

    The reactor reads standard input whenever it is readable, so no thread
    is left blocked in a read when the program ends.
    """

    Inboxes = {"inbox": "Unused", "control": "Shutdown messages",
               "_typed": "Internal: what standard input gave; None at its end"}

    def main(self):
        typed = self.inboxes["_typed"]
        reader = _InputReader(sys.stdin.fileno(), typed.deliver, lambda: typed.deliver(None))
        self.reactor.addReader(reader)
        try:
            while not self.dataReady("control"):
                while self.dataReady("_typed"):
                    data = self.recv("_typed")
                    if data is None:
                        self.send(producerFinished(self), "signal")
                        return
                    self.send(data)
                self.pause()
                yield 1
            self.send(self.recv("control"), "signal")
        finally:
            self.reactor.removeReader(reader)


@implementer(IReadDescriptor)
class _InputReader:
    """
    A file descriptor the reactor reads whenever it is readable: one read
    then does not block, even on a blocking descriptor.
    """

    def __init__(self, fd, received, ended):
        self.fd, self.received, self.ended = fd, received, ended

    def fileno(self):
        return self.fd

    def doRead(self):
        return fdesc.readFromFD(self.fd, self.received)

    def connectionLost(self, reason):
        self.ended()

    def logPrefix(self):
        return "stdin"


class ConsoleEchoer(PureTransformer):
    """
    Write each message (bytes) to standard output; end on shutdown.
    """

    def processMessage(self, data):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Send typed lines to a server; print its replies.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1500)
    args = parser.parse_args(argv)
    runProgram(Pipeline(ConsoleReader(), TCPClient(args.host, args.port), ConsoleEchoer()), "echo_client")


if __name__ == "__main__":
    main()
