"""
Axon's debug-output object. Sections are never enabled here: use
L{twisted.logger} for logging.

    >>> from kamaelia_twisted.axon.debug import debug
    >>> d = debug(); d.useConfig(); d.areDebugging("component", 1)
    False
    >>> d.note("component", 1, "said nowhere")
    True
"""


class debug(object):
    """
    Accepts Axon's debug calls and prints nothing.
    """

    configs = None
    noConfig = True

    def __init__(self, assertBadDebug=1):
        self.assertBadDebug = assertBadDebug

    def useConfig(self, filename="debug.conf"):
        """Ignore the configuration file."""

    readConfig = useConfig

    def areDebugging(self, section, level):
        """Return False: no section is debugged."""
        return False

    def debug(self, section, level, *message):
        """Print nothing; return True (it is called inside C{assert})."""
        return True

    note = debug

    def debugmessage(self, section, *message):
        """Print nothing."""

    def addDebugSection(self, section, level):
        """Ignore the section."""

    def addDebug(self, **debugSections):
        """Ignore the sections."""

    setDebugSections = addDebug

    def increaseDebug(self, section):
        """Do nothing."""

    decreaseDebug = increaseDebug
