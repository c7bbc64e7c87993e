"""
The API reference builds with pydoctor (C{python -m tools.apidocs}, which
C{./run.sh docs} runs), and no docstring of the package is unparseable or
refers to something that does not exist.
"""

import os
import sys

from twisted.internet import utils
from twisted.trial import unittest

from tools.apidocs import broken, exists

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BROKEN = '''"""
A module whose docstrings are wrong.
"""


def f():
    """
    Return a L{Nothing}, unlike L{twisted.internet.defer.NoSuchThing}.

    @raise: what it raised.
    """
'''


def apidocs(*args):
    """
    Run C{python -m tools.apidocs} with C{args}.

    @return: a Deferred firing with its (output, error output, exit status).
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    return utils.getProcessOutputAndValue(sys.executable, ["-m", "tools.apidocs"] + list(args),
                                          env=env, path=ROOT)


class BuildTests(unittest.TestCase):
    def test_packageDocstrings(self):
        """
        The package's reference builds, with no docstring problem reported.
        """
        output = os.path.abspath(self.mktemp())

        def check(result):
            out, err, code = result
            self.assertEqual((code, out.decode().splitlines()[-1:]),
                             (0, ["API reference in {}/index.html; 0 docstring problem(s)".format(output)]),
                             out.decode() + err.decode())
            self.assertTrue(os.path.exists(os.path.join(output, "kamaelia_twisted.Component.html")))

        return apidocs(output).addCallback(check)

    def test_brokenDocstringsFail(self):
        """
        A package with a broken reference, a missing external object and an
        C{@raise} without a type fails, each problem reported.
        """
        package = os.path.abspath(self.mktemp())
        os.makedirs(package)
        with open(os.path.join(package, "__init__.py"), "w") as f:
            f.write(BROKEN)

        def check(result):
            out, err, code = result
            lines = out.decode().splitlines()
            self.assertEqual(code, 1, out.decode() + err.decode())
            self.assertEqual(len(lines), 4, lines)
            for problem in ('"Nothing"', '"twisted.internet.defer.NoSuchThing"', "Exception type missing"):
                self.assertEqual(len([line for line in lines if problem in line]), 1, (problem, lines))
            self.assertIn("3 docstring problem(s)", lines[-1])

        return apidocs(os.path.abspath(self.mktemp()), package).addCallback(check)


class BrokenTests(unittest.TestCase):
    """
    Which lines of pydoctor's output L{broken} counts as problems.
    """

    def test_internal(self):
        self.assertTrue(broken('/p/m.py:3: Cannot find link target for "kamaelia_twisted.Nothing", '
                               'resolved from "Nothing"'))
        self.assertTrue(broken('/p/m.py:3: Cannot find link target for "Deferred"'))

    def test_builtin(self):
        self.assertFalse(broken('/p/m.py:3: Cannot find link target for "None"'))
        self.assertFalse(broken('/p/m.py:3: Cannot find link target for "OSError"'))

    def test_external(self):
        hint = " (you can link to external docs with --intersphinx)"
        self.assertFalse(broken('/p/m.py:3: Cannot find link target for "twisted.internet.defer.Deferred", '
                                'resolved from "Deferred"' + hint))
        self.assertFalse(broken('/p/m.py:3: Cannot find link target for "twisted.logger"' + hint))
        self.assertTrue(broken('/p/m.py:3: Cannot find link target for "twisted.internet.defer.Deferrred"' + hint))

    def test_syntax(self):
        self.assertTrue(broken("/p/m.py:5: bad docstring: Improper paragraph indentation."))
        self.assertTrue(broken("/p/m.py:5: Exception type missing"))

    def test_notDocstrings(self):
        self.assertFalse(broken('/p/m.py:31: Cannot parse value assigned to "__all__"'))
        self.assertFalse(broken("these 8 objects' docstrings contain syntax errors:"))


class ExistsTests(unittest.TestCase):
    def test_names(self):
        self.assertTrue(exists("twisted.logger"))
        self.assertTrue(exists("twisted.internet.defer.Deferred.addCallback"))
        self.assertTrue(exists("twisted.internet.interfaces.IConsumer.registerProducer"))
        self.assertFalse(exists("twisted.internet.interfaces.IConsumer.noSuchMethod"))
        self.assertFalse(exists("twisted.nosuchmodule"))
        self.assertFalse(exists("nosuchpackage.thing"))
