"""
A real (non-editable) install ships the package, its media and the twistd plugin.
"""

import os
import shutil
import sys

from twisted.internet import defer, utils
from twisted.trial import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHECK = """
import os
import kamaelia_twisted
import twisted.plugins.kamaelia_twisted_plugin as plugin
from twisted.application.service import IServiceMaker
from twisted.plugin import getPlugins
print(kamaelia_twisted.__file__)
print(plugin.__file__)
print(os.path.exists(os.path.join(os.path.dirname(kamaelia_twisted.__file__), "media", "sample.ogg")))
print(sorted(maker.tapname for maker in getPlugins(IServiceMaker)))
"""


class InstallTests(unittest.TestCase):
    @defer.inlineCallbacks
    def test_installedCopy(self):
        source, target = os.path.abspath(self.mktemp()), os.path.abspath(self.mktemp())
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "_trial_temp*", "*.egg-info", "__pycache__"))
        out, err, code = yield utils.getProcessOutputAndValue(
            sys.executable, ["-m", "pip", "install", "--quiet", "--no-deps", "--target", target, source],
            env=dict(os.environ), path=source)
        self.assertEqual(code, 0, err.decode(errors="replace"))
        elsewhere = os.path.abspath(self.mktemp())
        os.mkdir(elsewhere)
        out, err, code = yield utils.getProcessOutputAndValue(
            sys.executable, ["-c", CHECK], env=dict(os.environ, PYTHONPATH=target), path=elsewhere)
        self.assertEqual(code, 0, err.decode(errors="replace"))
        package, plugin, media, tapnames = out.decode().splitlines()
        self.assertTrue(package.startswith(target), package)
        self.assertTrue(plugin.startswith(os.path.join(target, "twisted", "plugins")), plugin)
        self.assertEqual(media, "True")
        self.assertIn("'kamaelia'", tapnames)
