"""
The core examples, run as real programs.
"""

import os
import sys

from twisted.internet import utils
from twisted.trial import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runExample(name, *args):
    """
    Run C{examples/name} with C{args}; fire with (stdout text, exit code).
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    d = utils.getProcessOutputAndValue(
        sys.executable, [os.path.join(ROOT, "examples", name)] + list(args), env=env, path=ROOT)
    return d.addCallback(lambda result: (result[0].decode(), result[2]))


class CoreExampleTests(unittest.TestCase):
    def textFile(self, text):
        """
        Write C{text} to a new file; return its absolute path.
        """
        path = os.path.abspath(self.mktemp())
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_wordcountPipeline(self):
        path = self.textFile("the cat and the hat\nThe end.\n")

        def check(result):
            out, code = result
            self.assertEqual(code, 0)
            self.assertEqual(out.split("\n")[:2], ["     3  the", "     1  cat"])

        return runExample("wordcount_pipeline.py", path, "--top", "2").addCallback(check)

    def test_wordcountMissingFile(self):
        d = runExample("wordcount_pipeline.py", os.path.abspath(self.mktemp()))
        return d.addCallback(lambda result: self.assertEqual(result[1], 1))

    def test_kamaeliaStyleGraphline(self):
        def check(result):
            out, code = result
            self.assertEqual(code, 0)
            self.assertEqual(out.splitlines(), [
                "now showing: intro.png", "now showing: middle.png",
                "now showing: end.png", "now showing: intro.png"])

        return runExample("kamaelia_style_graphline.py", "--ticks", "4").addCallback(check)

    def test_processPipeline(self):
        path = self.textFile("pear\napple\npear\n")

        def check(result):
            out, code = result
            self.assertEqual(code, 0)
            self.assertEqual(out.split(), ["1", "apple", "2", "pear"])

        return runExample("process_pipeline.py", path).addCallback(check)

    def test_processPipelineMissingFile(self):
        d = runExample("process_pipeline.py", os.path.abspath(self.mktemp()))
        return d.addCallback(lambda result: self.assertEqual(result, ("", 1)))
