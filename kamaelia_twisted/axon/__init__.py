"""
Axon's API on our core, so that unmodified Kamaelia code runs on the
Twisted reactor. After L{install}, C{import Axon} and every C{Axon.*}
module resolve to this package::

    import kamaelia_twisted.axon
    kamaelia_twisted.axon.install()

    import Axon
    assert Axon.Component.component is kamaelia_twisted.axon.Component.component

C{python -m kamaelia_twisted.axon SCRIPT [ARGS...]} runs a Kamaelia program
with the layer installed. See doc/kamaelia.md.
"""

from . import (AdaptiveCommsComponent, AxonExceptions, Box, Component, CoordinatingAssistantTracker, Introspector,
               Ipc, Linkage, Microprocess, Postoffice, Scheduler, ThreadedComponent, debug, idGen, util)
from .Base import AxonObject, AxonType
from .importer import install

__all__ = ["install", "AxonObject", "AxonType", "AdaptiveCommsComponent", "AxonExceptions", "Box", "Component",
           "CoordinatingAssistantTracker", "Introspector", "Ipc", "Linkage", "Microprocess", "Postoffice",
           "Scheduler", "ThreadedComponent", "debug", "idGen", "util"]
