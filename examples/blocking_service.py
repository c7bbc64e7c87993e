"""
Blocking calls off the reactor thread: look words up in a sqlite database
through a L{ThreadPool}.

    python examples/blocking_service.py DATABASE [WORD ...]

Creates DATABASE with a few definitions if it does not exist, then looks up
each WORD (default: a few) with C{ThreadPool(Dictionary(DATABASE), size=4)}
and prints C{word: definition}, in the order asked. Each sqlite query
blocks, so it runs in one of the pool's threads; a sqlite connection may
only be used by the thread that opened it, so each thread opens its own.
"""

import argparse
import os
import sqlite3
import sys
import threading

from kamaelia_twisted import Pipeline, ThreadPool
from kamaelia_twisted.chassis.taskpool import TaskFailed
from kamaelia_twisted.program import runProgram
from kamaelia_twisted.util import Collect, DataSource

DEFINITIONS = {
    "reactor": "the event loop at the heart of Twisted",
    "component": "a generator with inboxes and outboxes",
    "pipeline": "components in a row, each output feeding the next input",
    "deferred": "a promise of a result, with callbacks",
}


def createDatabase(path):
    """
    Create the database at C{path}, holding L{DEFINITIONS}.
    """
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, definition TEXT)")
        db.executemany("INSERT INTO words VALUES (?, ?)", DEFINITIONS.items())
    db.close()


class Dictionary:
    """
    Look a word up in the database at C{path}: C{(word, definition or None)}.
    Callable from any thread.
    """

    def __init__(self, path):
        self.path = path
        self._local = threading.local()

    def __call__(self, word):
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self.path)
        row = db.execute("SELECT definition FROM words WHERE word = ?", (word,)).fetchone()
        return word, row[0] if row else None


def lookupGraph(path, words, threads=4):
    """
    Return a pipeline looking C{words} up in the database at C{path}, and its L{Collect}.
    """
    results = Collect()
    return Pipeline(DataSource(words), ThreadPool(Dictionary(path), size=threads), results), results


def main():
    parser = argparse.ArgumentParser(description="Look words up in sqlite through a thread pool.")
    parser.add_argument("database")
    parser.add_argument("words", nargs="*", default=["reactor", "component", "kettle", "deferred"])
    args = parser.parse_args()
    if not os.path.exists(args.database):
        try:
            createDatabase(args.database)
        except sqlite3.Error as error:
            sys.exit("blocking_service: cannot create {}: {}".format(args.database, error))
    graph, results = lookupGraph(args.database, args.words)
    runProgram(graph, "blocking_service")
    for result in results.collected:
        if isinstance(result, TaskFailed):
            print("{}: failed: {}".format(result.item, result.failure.getErrorMessage()))
        else:
            word, definition = result
            print("{}: {}".format(word, definition or "(not found)"))


if __name__ == "__main__":
    main()
