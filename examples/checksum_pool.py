"""
Checksum every file in a folder, in worker processes.

    python examples/checksum_pool.py FOLDER [--workers 2]

Prints C{sha256  path} for each file, in name order, like C{sha256sum}.
The paths go through a L{ProcessPool} whose worker processes read and hash
the files (C{poolwork.checksum}), so the hashing uses every core and the
reactor stays free; results come back in the order the paths went in. A
file that cannot be read is reported on stderr and the others go on.
"""

import argparse
import os
import sys

from kamaelia_twisted import Pipeline, ProcessPool
from kamaelia_twisted.chassis.taskpool import TaskFailed
from kamaelia_twisted.program import runProgram
from kamaelia_twisted.util import Collect, DataSource


def checksumGraph(folder, workers=2):
    """
    Return a pipeline checksumming the files in C{folder}, and its L{Collect}.
    """
    names = sorted(os.listdir(folder))
    paths = [os.path.join(folder, name) for name in names]
    files = [path for path in paths if os.path.isfile(path)]
    results = Collect()
    return Pipeline(DataSource(files), ProcessPool("poolwork:checksum", size=workers), results), results


def main():
    parser = argparse.ArgumentParser(description="Checksum the files of a folder in worker processes.")
    parser.add_argument("folder")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    try:
        graph, results = checksumGraph(args.folder, args.workers)
    except (OSError, ValueError) as error:
        sys.exit("checksum_pool: {}".format(error))
    runProgram(graph, "checksum_pool")
    for result in results.collected:
        if isinstance(result, TaskFailed):
            print("{}: {}".format(result.item, result.failure.getErrorMessage()), file=sys.stderr)
        else:
            path, digest = result
            print("{}  {}".format(digest, path))


if __name__ == "__main__":
    main()
