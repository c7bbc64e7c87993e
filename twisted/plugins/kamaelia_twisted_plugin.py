"""
The C{kamaelia} twistd plugin: C{twistd -n kamaelia --graph PATH_OR_MODULE:CALLABLE}.

Its options and service live in L{kamaelia_twisted.apps.tap}, imported only when
the plugin is used.
"""

from twisted.application.service import ServiceMaker

kamaelia = ServiceMaker(
    "kamaelia", "kamaelia_twisted.apps.tap", "Run a Kamaelia component graph as a service.", "kamaelia")
