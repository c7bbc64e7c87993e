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
"""

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
