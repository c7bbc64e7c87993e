"""
Kamaelia's echo server: every connection is served by its own EchoProtocol
component, which sends back whatever arrives::

    python examples/echo_server.py [--port 1500] [--interface 127.0.0.1]

then C{telnet 127.0.0.1 1500}, or C{python examples/echo_client.py}. It
prints C{listening on HOST:PORT} (useful with C{--port 0}) and runs until
interrupted.
"""

import argparse

from kamaelia_twisted import Component
from kamaelia_twisted.net import SimpleServer
from kamaelia_twisted.program import runProgram


class EchoProtocol(Component):
    """
    Send back every message from C{inbox}, waiting whenever the connection
    has as much queued as it takes; when the input ends (the peer closed or
    shut its write side), end once all of it has been sent back.
    """

    def main(self):
        outbox = self.outboxes["outbox"]
        while not self.dataReady("control") or self.dataReady("inbox"):
            while self.dataReady("inbox"):
                if outbox.isFull():
                    yield outbox.whenSpace()
                self.send(self.recv("inbox"), "outbox")
            if not self.anyReady():
                self.pause()
            yield 1
        self.send(self.recv("control"), "signal")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Echo every connection's bytes back.")
    parser.add_argument("--port", type=int, default=1500, help="TCP port (0: any free one)")
    parser.add_argument("--interface", default="127.0.0.1", help="address to listen on")
    args = parser.parse_args(argv)

    server = SimpleServer(protocol=EchoProtocol, port=args.port, interface=args.interface)
    server.whenListening().addCallbacks(
        lambda port: print("listening on {0.host}:{0.port}".format(port.getHost()), flush=True),
        lambda failure: None)  # runProgram reports it
    runProgram(server, "echo_server")


if __name__ == "__main__":
    main()
