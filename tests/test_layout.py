"""
The package's imports run one way: core <- chassis <- domain packages <- apps;
axon (Axon's API) builds on core and chassis, and nothing of ours imports it.
"""

import ast
import os

from twisted.trial import unittest

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kamaelia_twisted")

# What each part of the package may import of the package; a domain package
# builds only on those below it (audio plays what codec decodes).
BELOW = {"core": set(), "chassis": {"core"}}
DOMAIN = {"core", "chassis"}
for _part in ("codec", "file", "introspect", "media", "net", "service", "ui", "util", "ipc", "__init__"):
    BELOW[_part] = DOMAIN
BELOW["audio"] = DOMAIN | {"codec"}
BELOW["axon"] = DOMAIN
BELOW["web"] = DOMAIN | {"introspect", "net"}
BELOW["apps"] = {"audio", "chassis", "codec", "core", "file", "introspect", "media", "net", "service", "ui",
                 "util", "web"}


def imports(path, module):
    """
    Yield the parts of the package (C{"core"}, C{"net"}, ...) that the file
    at C{path}, module C{module}, imports.
    """
    package = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
    for node in ast.walk(ast.parse(open(path).read(), path)):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            names = [".".join(base + ([node.module] if node.module else []))]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "kamaelia_twisted" and len(parts) > 1:
                yield parts[1]


def partOf(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


class LayoutTests(unittest.TestCase):
    def test_importsRunOneWay(self):
        wrong = []
        for folder, _, files in os.walk(PACKAGE):
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, os.path.dirname(PACKAGE))[:-3]
                module = relative.replace(os.sep, ".").replace(".__init__", "")
                part = partOf(module)
                for imported in imports(path, module):
                    if imported != part and imported not in BELOW[part]:
                        wrong.append("{} imports kamaelia_twisted.{}".format(module, imported))
        self.assertEqual(wrong, [])

    def test_checkFindsAWrongImport(self):
        """
        The check sees relative and absolute imports (it would catch codec
        importing audio).
        """
        path = self.mktemp()
        with open(path, "w") as source:
            source.write("from ..audio import WavWriter\nimport kamaelia_twisted.net.udp\n")
        self.assertEqual(list(imports(path, "kamaelia_twisted.codec.vorbis")), ["audio", "net"])
