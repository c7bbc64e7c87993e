"""
Functions the process pool tests run in worker processes (which import them
by name).
"""

import os
import sys
import time


def square(x):
    return x * x


def identity(x):
    return x


def crashOn(x):
    """
    Exit the worker process at once for C{"crash"}; otherwise return
    C{(x, pid)}.
    """
    if x == "crash":
        os._exit(3)
    return x, os.getpid()


def failOn(x):
    if x == "bad":
        raise ValueError("bad item {!r}".format(x))
    return x


def hangOn(x):
    if x == "hang":
        time.sleep(60)
    return x


def crashUnlessMarked(path):
    """
    Create C{path} and crash the first time; return C{"recovered"} once it exists.
    """
    if not os.path.exists(path):
        open(path, "w").close()
        os._exit(5)
    return "recovered"


def unpicklableResult(x):
    return lambda: x


def gated(item):
    """
    C{item} is C{(action, gatePath, value)}: C{"wait"} waits (at most 30 s)
    for the file C{gatePath} to exist, C{"open"} creates it; then return
    C{value}.
    """
    action, gatePath, value = item
    if action == "open":
        open(gatePath, "w").close()
    deadline = time.monotonic() + 30
    while action == "wait" and not os.path.exists(gatePath) and time.monotonic() < deadline:
        time.sleep(0.01)
    return value


def heavyModules(_):
    """
    Return which of Twisted and this project the worker process has imported.
    """
    return sorted(name for name in ("twisted", "kamaelia_twisted") if name in sys.modules)
