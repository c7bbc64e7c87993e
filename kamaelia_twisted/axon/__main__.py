"""
C{python -m kamaelia_twisted.axon SCRIPT [ARGS...]}: run an unmodified
Kamaelia program on the Twisted reactor, as C{python SCRIPT ARGS...} would
(its folder first on C{sys.path}, C{__name__ == "__main__"}), with
C{import Axon} resolving to L{kamaelia_twisted.axon}.
"""

import os
import runpy
import sys

from kamaelia_twisted.axon import install


def main(argv):
    """
    Run the script C{argv[0]} with arguments C{argv[1:]}.

    @return: the exit status for a wrong command line or a script that
        cannot be opened (said in one line, as C{python} says it);
        otherwise what the script exits with (an exception it raises
        propagates).
    """
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: python -m kamaelia_twisted.axon SCRIPT [ARGS...]\n")
        return 2
    script = argv[0]
    try:
        os.stat(script)
    except OSError as error:
        sys.stderr.write("python -m kamaelia_twisted.axon: can't open file {!r}: [Errno {}] {}\n".format(
            os.path.abspath(script), error.errno, error.strerror))
        return 2
    install()
    sys.argv = list(argv)
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
