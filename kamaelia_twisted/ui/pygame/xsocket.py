"""
pygame's connection to the X server, watched by the reactor.

On X11 everything that happens to a window (clicks, keys, exposure, the close
button) arrives on one socket. L{XEventSocket} lets the reactor sleep until
that socket is readable, instead of polling pygame's events on a timer::

    import pygame
    from kamaelia_twisted.ui.pygame.xsocket import xConnectionNumber

    pygame.display.init()
    pygame.display.set_mode((64, 64))
    fd = xConnectionNumber()
    print("X11 socket:", fd if fd is not None else "none, not on X11")
    pygame.display.quit()
"""

import ctypes

import pygame
from twisted.internet.interfaces import IReadDescriptor
from twisted.python.failure import Failure
from zope.interface import implementer

_capsulePointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))


def xConnectionNumber():
    """
    Return the file descriptor of the open pygame window's connection to
    the X server, or L{None} when the window is not on X11 (or libX11, which
    SDL loads for it, cannot be found).
    """
    if pygame.display.get_driver() != "x11":
        return None
    capsule = pygame.display.get_wm_info().get("display")
    if capsule is None:
        return None
    try:
        libX11 = ctypes.CDLL("libX11.so.6")
    except OSError:
        return None
    libX11.XConnectionNumber.argtypes = [ctypes.c_void_p]
    return libX11.XConnectionNumber(_capsulePointer(capsule, b"display"))


@implementer(IReadDescriptor)
class XEventSocket:
    """
    Call C{pump} each time the X server's socket is readable; C{pump} must
    read it (C{pygame.event.get()} does, through SDL).

    @ivar fd: the socket's file descriptor.
    """

    def __init__(self, fd, pump, failed):
        """
        @param pump: called with no arguments.
        @param failed: called with a L{Failure} if C{pump} raises.
        """
        self.fd = fd
        self._pump = pump
        self._failed = failed

    def fileno(self):
        return self.fd

    def doRead(self):
        try:
            self._pump()
        except Exception:
            self._failed(Failure())

    def connectionLost(self, reason):
        """
        Nothing to do: the reactor is shutting down.
        """

    def logPrefix(self):
        return "pygame X11 events"
