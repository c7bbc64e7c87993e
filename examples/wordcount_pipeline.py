"""
A pipeline: count the words of a text file, line by line.

    python examples/wordcount_pipeline.py README.md

Reads the file with a ThreadedComponent (blocking file I/O off the reactor
thread), splits lines into words, counts them, and prints the busiest words.
"""

import argparse
from collections import Counter

from kamaelia_twisted import Component, Pipeline, ThreadedComponent, producerFinished
from kamaelia_twisted.program import positive, runProgram


class LineReader(ThreadedComponent):
    """
    Send the lines of C{filename}, then L{producerFinished}.
    """

    filename = None

    def main(self):
        with open(self.filename, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if self.dataReady("control"):
                    break
                self.send(line)
        self.send(producerFinished(self), "signal")


class Words(Component):
    """
    Split each line arriving on C{inbox} into lower-case words.
    """

    def main(self):
        while True:
            while self.dataReady("inbox"):
                for word in self.recv("inbox").split():
                    word = word.strip(".,:;!?()[]`'\"*#").lower()
                    if word:
                        self.send(word)
            finished = self.checkShutdown()
            if finished:
                self.send(finished, "signal")
                return
            self.pause()
            yield 1


class Tally(Component):
    """
    Count the words in C{counts}.
    """

    def main(self):
        self.counts = Counter()
        while True:
            while self.dataReady("inbox"):
                self.counts[self.recv("inbox")] += 1
            finished = self.checkShutdown()
            if finished:
                self.send(finished, "signal")
                return
            self.pause()
            yield 1


def wordCount(filename):
    """
    Return the pipeline and its L{Tally}.
    """
    tally = Tally()
    return Pipeline(LineReader(filename=filename), Words(), tally), tally


def main():
    parser = argparse.ArgumentParser(description="Count the words of a text file.")
    parser.add_argument("filename")
    parser.add_argument("--top", type=positive(int), default=10, help="how many words to show (default 10)")
    args = parser.parse_args()
    pipeline, tally = wordCount(args.filename)
    runProgram(pipeline, "wordcount_pipeline")
    for word, count in tally.counts.most_common(args.top):
        print("{:>6}  {}".format(count, word))


if __name__ == "__main__":
    main()
