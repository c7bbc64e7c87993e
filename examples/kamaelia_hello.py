"""
A plain Kamaelia program: run it with python -m kamaelia_twisted.axon.
"""

import sys

from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleEchoer
from Kamaelia.Util.DataSource import DataSource
from Kamaelia.Util.PureTransformer import PureTransformer

if __name__ == "__main__":
    Pipeline(DataSource(sys.argv[1:]), PureTransformer(lambda word: word + "\n"), ConsoleEchoer()).run()
