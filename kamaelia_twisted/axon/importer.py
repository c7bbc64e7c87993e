"""
L{install}: make C{import Axon} and C{import Axon.X} give this package and
its modules, even where the real Axon is installed.

    >>> import sys
    >>> from kamaelia_twisted.axon import install
    >>> install()
    >>> import Axon.Ipc
    >>> Axon.Ipc is sys.modules["kamaelia_twisted.axon.Ipc"]
    True
"""

import importlib
import importlib.abc
import importlib.util
import sys

PACKAGE = __name__.rpartition(".")[0]


class AxonFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """
    Finds C{Axon} and C{Axon.*} as this package's modules (the same module
    objects under both names).
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "Axon" and not fullname.startswith("Axon."):
            return None
        ours = PACKAGE + fullname[len("Axon"):]
        if importlib.util.find_spec(ours) is None:
            raise ModuleNotFoundError(
                "{} is not provided by {} (Axon's API on the Twisted reactor)".format(fullname, PACKAGE),
                name=fullname)
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(PACKAGE + spec.name[len("Axon"):])
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module):
        # Already run under its own name; the import system gave it the
        # alias's spec: it keeps its own.
        module.__spec__ = module.__spec__.loader_state


_finder = AxonFinder()


def install():
    """
    Put the finder first on C{sys.meta_path}; calling it again does nothing.
    Kamaelia's Selector service is replaced by ours where it exists (see
    L{registerServices}).

    @raise ImportError: if the real Axon is imported already (objects made
        from it would not mix with ours): install before importing Axon or
        Kamaelia.
    """
    real = sorted(name for name, module in list(sys.modules.items())
                  if (name == "Axon" or name.startswith("Axon.")) and module is not None
                  and not getattr(module, "__name__", "").startswith(PACKAGE))
    if real:
        raise ImportError("the real Axon is imported already ({}); call {}.install() before importing "
                          "Axon or Kamaelia".format(", ".join(real), PACKAGE))
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    sys.meta_path.insert(0, _finder)
    registerServices()


def registerServices():
    """
    Register the services that replace Kamaelia's own with the program's
    tracker: the reactor-driven selector, under Kamaelia's names
    ("selector", "selectorshutdown"), so that
    C{Kamaelia.Internet.Selector.getSelectorServices} finds it and no
    selector thread starts.
    """
    from . import selector
    from .CoordinatingAssistantTracker import coordinatingassistanttracker

    selector.register(coordinatingassistanttracker.getcat())
