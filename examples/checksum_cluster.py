"""
Checksum every file in a folder on a Dask cluster.

    python examples/checksum_cluster.py FOLDER [--address tcp://HOST:8786] [--workers 2]

Prints C{sha256  path} for each file, in name order, like C{sha256sum}.
The paths go through a L{DaskPool} whose workers read and hash the files
(C{poolwork.checksum}); results come back in the order the paths went in. With
C{--address} (or C{KAMAELIA_DASK_ADDRESS}) the pool uses that scheduler, whose
workers must see the same files and import C{poolwork}; without, it starts a
cluster of C{--workers} processes on this machine and stops it at the end. A
file that cannot be read is reported on stderr and the others go on. Ctrl-C
stops the cluster and exits with status 130. As a twistd graph, printing as
it goes:

    twistd -n kamaelia --exit-when-done --graph examples/checksum_cluster.py:makeGraph --arg folder=examples
"""

import argparse
import os
import sys

from kamaelia_twisted import Pipeline
from kamaelia_twisted.chassis import DaskPool, TaskFailed
from kamaelia_twisted.program import runProgram
from kamaelia_twisted.util import Collect, DataSource, PureTransformer


def checksumGraph(folder, address=None, workers=2):
    """
    Return a pipeline checksumming the files in C{folder}, and its L{Collect}.
    """
    results = Collect()
    return Pipeline(DataSource(filesIn(folder)), checksumPool(address, workers), results), results


def filesIn(folder):
    paths = [os.path.abspath(os.path.join(folder, name)) for name in sorted(os.listdir(folder))]
    return [path for path in paths if os.path.isfile(path)]


def checksumPool(address, workers):
    return DaskPool("poolwork:checksum", address=address, workers=workers)


def makeGraph(folder, address=None, workers="2"):
    """
    Return a pipeline printing the checksum of each file in C{folder}, for
    C{twistd -n kamaelia --graph}.
    """
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # poolwork, as when run as a script
    return Pipeline(DataSource(filesIn(folder)), checksumPool(address, int(workers)), PureTransformer(printResult))


def printResult(result):
    if isinstance(result, TaskFailed):
        print("{}: {}".format(result.item, result.failure.getErrorMessage()), file=sys.stderr)
    else:
        path, digest = result
        print("{}  {}".format(digest, os.path.relpath(path)), flush=True)


def main():
    parser = argparse.ArgumentParser(description="Checksum the files of a folder on a Dask cluster.")
    parser.add_argument("folder")
    parser.add_argument("--address", help="a running Dask scheduler, tcp://HOST:PORT "
                        "(default: $KAMAELIA_DASK_ADDRESS, or a cluster started for this run)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of a cluster started here")
    args = parser.parse_args()
    try:
        graph, results = checksumGraph(args.folder, args.address, args.workers)
    except (OSError, ValueError) as error:
        sys.exit("checksum_cluster: {}".format(error))
    runProgram(graph, "checksum_cluster")
    for result in results.collected:
        printResult(result)


if __name__ == "__main__":
    main()
