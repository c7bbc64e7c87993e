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

from kamaelia_twisted import Pipeline, ThreadedComponent, producerFinished
from kamaelia_twisted.net import TCPClient
from kamaelia_twisted.util import PureTransformer


class ConsoleReader(ThreadedComponent):
    """
    Send each line typed on standard input (as bytes), then producerFinished.
    """

    def main(self):
        for line in sys.stdin.buffer:
            self.send(line, "outbox")
        self.send(producerFinished(self), "signal")


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
    try:
        Pipeline(ConsoleReader(), TCPClient(args.host, args.port), ConsoleEchoer()).run()
    except Exception as e:
        sys.exit("echo_client: {}".format(e))


if __name__ == "__main__":
    main()
