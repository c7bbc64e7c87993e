"""
Every C{python} block in README.md and doc/*.md runs as a program and exits 0.

Blocks fenced as C{py} are fragments and are not run.
"""

import os
import re
import sys

from twisted.internet import utils
from twisted.trial import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def pages():
    names = ["README.md"] + sorted(
        os.path.join("doc", name) for name in os.listdir(os.path.join(ROOT, "doc")) if name.endswith(".md"))
    return [name for name in names if os.path.exists(os.path.join(ROOT, name))]


def snippets():
    for page in pages():
        with open(os.path.join(ROOT, page)) as f:
            text = f.read()
        for index, match in enumerate(BLOCK.finditer(text), 1):
            line = text.count("\n", 0, match.start()) + 1
            yield page, index, line, match.group(1)


def runSnippet(self, page, line, code):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    d = utils.getProcessOutputAndValue(sys.executable, ["-c", code], env=env, path=ROOT)

    def check(result):
        out, err, code = result
        self.assertEqual(code, 0, "{} line {} exited {}:\n{}".format(
            page, line, code, err.decode(errors="replace")))

    return d.addCallback(check)


class SnippetTests(unittest.TestCase):
    """
    One test per runnable block, named after its page and position.
    """


for _page, _index, _line, _code in snippets():
    _name = "test_{}_{}".format(re.sub(r"\W", "_", _page[:-3]), _index)
    setattr(SnippetTests, _name,
            lambda self, page=_page, line=_line, code=_code: runSnippet(self, page, line, code))
