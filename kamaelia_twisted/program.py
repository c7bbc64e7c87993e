"""
L{runProgram}: a graph run as a command-line program, which ends the way
Unix programs do: quietly with status 130 on Ctrl-C, 128 + N on signal N,
and with one line on stderr and status 1 when the graph fails (a port in
use, a refused connection, a file that cannot be read)::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import TCPClient
    from kamaelia_twisted.program import runProgram
    from kamaelia_twisted.util import Collect

    runProgram(Pipeline(TCPClient("127.0.0.1", 1500), Collect()), "fetch")

With no server on port 1500, this prints C{fetch: Connection was refused
by other side: ...} on stderr and exits with status 1.

L{positive} and L{nonNegative} are C{argparse} types for options that
must be above zero, or not below it.
"""

import argparse
import os
import sys


def runProgram(graph, name=None):
    """
    Run C{graph} with C{graph.run()}, as the body of the program C{name}.

    @param name: the program's name for the error line (default: the
        script's file name, without C{.py}).
    @return: what C{graph.run()} returned.
    @raise SystemExit: with status 130 on Ctrl-C, 128 + N on signal N, or
        with C{"name: error"} (status 1) if the graph failed.
    """
    try:
        return graph.run()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        name = name or os.path.splitext(os.path.basename(sys.argv[0]))[0]
        sys.exit("{}: {}".format(name, error))


def positive(convert):
    """
    An C{argparse} type: the option's text read with C{convert}, refused
    unless it is above zero::

        parser.add_argument("--speed", type=positive(float), default=1.0)

    C{--speed 0} is then a usage error, C{argument --speed: must be
    positive, not 0}, exit status 2.

    @param convert: reads the text (C{int}, C{float}); a text it cannot
        read is an C{invalid int value} (or C{float}) usage error.
    @return: the type function.
    """
    return _checked(convert, lambda value: value > 0, "positive")


def nonNegative(convert):
    """
    An C{argparse} type like L{positive} that also takes zero::

        parser.add_argument("--queue", type=nonNegative(int), default=4)
    """
    return _checked(convert, lambda value: value >= 0, "0 or more")


def _checked(convert, accept, what):
    def read(text):
        value = convert(text)
        if not accept(value):
            raise argparse.ArgumentTypeError("must be {}, not {}".format(what, text))
        return value

    read.__name__ = convert.__name__  # argparse names it in "invalid int value"
    return read
