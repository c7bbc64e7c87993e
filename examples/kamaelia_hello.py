"""
A plain Kamaelia program, written against Kamaelia and Axon alone: run it on
the Twisted reactor with

    python -m kamaelia_twisted.axon examples/kamaelia_hello.py hello world
"""

import argparse

from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleEchoer
from Kamaelia.Util.DataSource import DataSource
from Kamaelia.Util.PureTransformer import PureTransformer

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Echo each word on a line of its own, through a Kamaelia pipeline.")
    parser.add_argument("words", nargs="*", help="the words to echo")
    words = parser.parse_args().words
    Pipeline(DataSource(words), PureTransformer(lambda word: word + "\n"), ConsoleEchoer()).run()
