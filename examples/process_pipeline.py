"""
Child processes in a pipeline: a file's lines go through `sort` and
`uniq -c`, two processes wired like any other components, and the counts
come back to be printed.

    python examples/process_pipeline.py FILE

Each process is a UnixProcess: its standard input is its inbox, its standard
output its outbox. The file is read in blocks as fast as `sort` takes them,
and a failing command ends the pipeline with its exit status.
"""

import argparse
import sys

from kamaelia_twisted import Component, Pipeline, errorOccurred
from kamaelia_twisted.file import ReadFileAdaptor, UnixProcess
from kamaelia_twisted.program import runProgram


class Printer(Component):
    """
    Write the bytes that arrive to standard output; end on shutdown, keeping
    the shutdown message in C{ending}.
    """

    ending = None

    def main(self):
        while True:
            while self.dataReady("inbox"):
                sys.stdout.buffer.write(self.recv("inbox"))
            self.ending = self.checkShutdown()
            if self.ending is not None:
                break
            self.pause()
            yield 1
        sys.stdout.flush()


def countLines(filename, out):
    """
    Return the pipeline that sends to C{out} how often each line of
    C{filename} occurs.
    """
    return Pipeline(
        ReadFileAdaptor(filename, readmode="block"),
        UnixProcess(["sort"]),
        UnixProcess(["uniq", "-c"]),
        out,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description="Count a file's lines with sort and uniq -c, as components.")
    parser.add_argument("file")
    filename = parser.parse_args(argv).file
    try:
        open(filename, "rb").close()  # a file it cannot read: one line, before any process starts
    except OSError as error:
        sys.exit("process_pipeline: cannot read {!r}: {}".format(filename, error.strerror))
    printer = Printer()
    runProgram(countLines(filename, printer), "process_pipeline")
    if isinstance(printer.ending, errorOccurred):
        sys.exit(str(printer.ending))


if __name__ == "__main__":
    main()
