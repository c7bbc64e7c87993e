"""
A private X server (Xvfb) for tests, and real input sent to it with the
XTest extension, as a user's mouse would.
"""

import ctypes
import os
import shutil
import subprocess

from twisted.trial.unittest import SkipTest


def _library(name):
    try:
        return ctypes.CDLL(name)
    except OSError:
        raise SkipTest("{} is not installed".format(name))


class _ClientMessage(ctypes.Structure):
    """
    Xlib's XClientMessageEvent, padded to the size of an XEvent.
    """

    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int), ("data", ctypes.c_long * 5), ("pad", ctypes.c_long * 12),
    ]


_CLIENT_MESSAGE = 33


class XServer:
    """
    An Xvfb server on a free display number, and one client connection to it
    for sending input.

    @ivar display: the server's name for C{DISPLAY}, such as C{":1"}.
    """

    def __init__(self, size=(800, 600)):
        """
        @raise SkipTest: if Xvfb, libX11 or libXtst is missing.
        """
        xvfb = shutil.which("Xvfb")
        if xvfb is None:
            raise SkipTest("Xvfb is not installed")
        self._x11 = _library("libX11.so.6")
        self._xtst = _library("libXtst.so.6")
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self._x11.XTranslateCoordinates.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong)]
        self._x11.XInternAtom.restype = ctypes.c_ulong
        self._x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self._x11.XSendEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_ClientMessage)]
        for name in ["XFlush", "XCloseDisplay"]:
            getattr(self._x11, name).argtypes = [ctypes.c_void_p]
        self._xtst.XTestFakeMotionEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
        self._xtst.XTestFakeButtonEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]

        ready, told = os.pipe()
        self._process = subprocess.Popen(
            [xvfb, "-displayfd", str(told), "-nolisten", "tcp", "-screen", "0", "{}x{}x24".format(*size)],
            pass_fds=[told], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(told)
        with os.fdopen(ready) as f:
            number = f.readline().strip()
        if not number:
            self._process.wait()
            raise RuntimeError("Xvfb did not start (exit status {})".format(self._process.returncode))
        self.display = ":" + number
        self._connection = self._x11.XOpenDisplay(self.display.encode())
        if not self._connection:
            self.stop()
            raise RuntimeError("cannot connect to Xvfb on " + self.display)

    def click(self, window, position):
        """
        Move the pointer to C{position} in C{window} and press and release
        the left button there.

        @param window: an X window id (pygame's C{get_wm_info()["window"]}).
        @param position: C{(x, y)} in the window.
        """
        x, y, child = ctypes.c_int(), ctypes.c_int(), ctypes.c_ulong()
        root = self._x11.XDefaultRootWindow(self._connection)
        self._x11.XTranslateCoordinates(self._connection, window, root, position[0], position[1],
                                        ctypes.byref(x), ctypes.byref(y), ctypes.byref(child))
        self._xtst.XTestFakeMotionEvent(self._connection, -1, x.value, y.value, 0)
        self._xtst.XTestFakeButtonEvent(self._connection, 1, True, 0)
        self._xtst.XTestFakeButtonEvent(self._connection, 1, False, 0)
        self._x11.XFlush(self._connection)

    def closeWindow(self, window):
        """
        Ask C{window} to close, as a window manager does when its close
        button is pressed (C{WM_DELETE_WINDOW}).
        """
        message = _ClientMessage(
            type=_CLIENT_MESSAGE, window=window, format=32,
            message_type=self._x11.XInternAtom(self._connection, b"WM_PROTOCOLS", False))
        message.data[0] = self._x11.XInternAtom(self._connection, b"WM_DELETE_WINDOW", False)
        self._x11.XSendEvent(self._connection, window, False, 0, ctypes.byref(message))
        self._x11.XFlush(self._connection)

    def stop(self):
        if self._connection:
            self._x11.XCloseDisplay(self._connection)
        self._process.terminate()
        self._process.wait()
