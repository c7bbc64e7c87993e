"""
A server whose connections are served from a L{ComponentPool}: handlers
are made in advance, at most LIMIT connections are served at once, QUEUE
more wait for a free handler, and any more are refused.

    python examples/pool_server.py [--port 1502] [--size 4] [--limit 8] [--queue 4]

then C{telnet 127.0.0.1 1502}: what you type comes back upper-cased. The
server prints the address it listens on, and a line for each refused
connection (the L{PoolExhausted} events of the pool's C{status} outbox).
"""

import argparse

from kamaelia_twisted import ComponentPool, Graphline
from kamaelia_twisted.net import SimpleServer
from kamaelia_twisted.program import nonNegative, positive, runProgram
from kamaelia_twisted.util import PureTransformer


def shout():
    """
    A handler: send back what arrives, upper-cased.
    """
    return PureTransformer(bytes.upper)


class Report(PureTransformer):
    """
    Print each refusal that arrives.
    """

    def processMessage(self, refusal):
        print("refused a connection: {}".format(refusal), flush=True)


def poolServer(port, size=4, limit=8, queue=4, interface="127.0.0.1"):
    """
    Return the server graph and its L{SimpleServer}.
    """
    pool = ComponentPool(shout, size=size, limit=limit, queue=queue)
    server = SimpleServer(protocol=pool, port=port, interface=interface)
    graph = Graphline(POOL=pool, SERVER=server, REPORT=Report(),
                      linkages={("POOL", "status"): ("REPORT", "inbox")})
    return graph, server


def main():
    parser = argparse.ArgumentParser(description="An upper-casing echo server on a ComponentPool.")
    parser.add_argument("--port", type=int, default=1502, help="the TCP port to listen on (default 1502)")
    parser.add_argument("--size", type=nonNegative(int), default=4,
                        help="handlers made in advance; 0: each made on demand (default 4)")
    parser.add_argument("--limit", type=positive(int), default=8,
                        help="connections served at once (default 8)")
    parser.add_argument("--queue", type=nonNegative(int), default=4,
                        help="connections that wait for a free handler; more are refused (default 4)")
    args = parser.parse_args()
    graph, server = poolServer(args.port, args.size, args.limit, args.queue)
    server.whenListening().addCallbacks(
        lambda port: print("listening on 127.0.0.1:{}".format(port.getHost().port), flush=True),
        lambda failure: None)  # runProgram reports it
    runProgram(graph, "pool_server")


if __name__ == "__main__":
    main()
