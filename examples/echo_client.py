"""
Kamaelia's echo client: what you type goes to the server, what comes back is
printed::

    python examples/echo_client.py [--host 127.0.0.1] [--port 1500]

It is one pipeline, as in Kamaelia::

    Pipeline(ConsoleReader(), TCPClient(host, port), ConsoleEchoer()).run()

End of input (Ctrl-D) closes the connection, which ends the pipeline.
"""

import argparse
import sys

from kamaelia_twisted import Component, Pipeline, ThreadedComponent, producerFinished
from kamaelia_twisted.net import TCPClient


class ConsoleReader(ThreadedComponent):
    """
    Send each line typed on standard input (as bytes), then producerFinished.
    """

    def main(self):
        for line in sys.stdin.buffer:
            self.send(line, "outbox")
        self.send(producerFinished(self), "signal")


class ConsoleEchoer(Component):
    """
    Write each message (bytes) to standard output; end on shutdown.
    """

    def main(self):
        while True:
            while self.dataReady("inbox"):
                sys.stdout.buffer.write(self.recv("inbox"))
                sys.stdout.buffer.flush()
            shutdown = self.checkShutdown()
            if shutdown is not None:
                self.send(shutdown, "signal")
                return
            self.pause()
            yield 1


def main(argv=None):
    parser = argparse.ArgumentParser(description="Send typed lines to a server; print its replies.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1500)
    args = parser.parse_args(argv)
    try:
        Pipeline(ConsoleReader(), TCPClient(args.host, args.port), ConsoleEchoer()).run()
    except Exception as e:
        sys.exit("echo_client: {}".format(e))


if __name__ == "__main__":
    main()
