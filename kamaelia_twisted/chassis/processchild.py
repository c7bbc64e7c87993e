"""
The worker side of a L{ProcessPool}: a plain blocking loop that reads
pickled items from one pipe and writes the pickled results to another; and
L{applyEach}, the task a L{DaskPool} sends to its workers.

It imports nothing but the worker's function and C modules the interpreter
starts with, so a worker starts in about the time a bare interpreter does:
C{_pickle} and C{_signal} rather than C{pickle} and C{signal} (whose Python
halves import C{re} and C{enum}), and C{os} and C{traceback} only to report
an exception. The pool runs this module's source with C{python -S -c}
(C{sys.path} comes from the pool, as C{PYTHONPATH}), never as part of the
C{kamaelia_twisted} package, whose import would bring in Twisted.

Each message, both ways, is a header (its kind, one byte, and its length,
L{LENGTH} bytes) and that many bytes of pickle. The worker reads items
(L{ITEM}) from file descriptor L{TO_CHILD}; it answers with L{READY} once it
has imported its function, then with L{RESULT} or L{FAILED} (the exception,
the worker's traceback in its notes) for each item, in turn, on
L{FROM_CHILD}. It ends when the pool closes its pipe::

    >>> import io
    >>> results = io.BytesIO()
    >>> serve("operator:neg", io.BytesIO(frame(ITEM, dumps(3))), results)
    >>> ready, (kind, result) = frames(results.getvalue())
    >>> ready, kind, loads(result)
    ((2, b''), 0, -3)
"""

import sys

import _pickle
import _signal

from _pickle import loads

ITEM, RESULT, FAILED, READY = 0, 0, 1, 2

LENGTH = 8
"""
Bytes of a message's length, after its kind.
"""

HEADER = 1 + LENGTH

TO_CHILD, FROM_CHILD = 3, 4
"""
The worker's file descriptors for items in and results out.
"""


def frame(kind, data):
    """
    Return the bytes of one message.
    """
    return bytes([kind]) + len(data).to_bytes(LENGTH, "big") + data


def frames(data):
    """
    Yield C{(kind, pickle)} for each whole message at the start of C{data}.
    """
    start = 0
    while len(data) - start >= HEADER:
        end = start + HEADER + int.from_bytes(data[start + 1:start + HEADER], "big")
        if end > len(data):
            return
        yield data[start], data[start + HEADER:end]
        start = end


def dumps(value):
    """
    Pickle C{value} with the highest protocol (-1).
    """
    return _pickle.dumps(value, -1)


def dumpError(exception):
    """
    Pickle C{exception} with this process's traceback in its notes; an
    exception that does not survive pickling is sent as a L{RuntimeError}
    naming it.
    """
    import os
    import traceback

    exception.add_note("in worker process {}:\n{}".format(os.getpid(), traceback.format_exc()))
    try:
        data = dumps(exception)
        loads(data)
        return data
    except Exception:
        stand_in = RuntimeError("{}: {}".format(type(exception).__name__, exception))
        stand_in.__notes__ = exception.__notes__
        return dumps(stand_in)


def importFunction(name):
    """
    Import the function called C{"package.module:function"} (the pool has
    checked that it imports).
    """
    module, _, path = name.partition(":")
    __import__(module)
    found = sys.modules[module]
    for attribute in path.split("."):
        found = getattr(found, attribute)
    return found


def outcome(function, item):
    """
    Return C{(RESULT, pickle of function(item))} for a pickled C{item}, or
    C{(FAILED, pickled exception)} if that raised or does not pickle.
    """
    try:
        return RESULT, dumps(function(loads(item)))
    except Exception as exception:
        return FAILED, dumpError(exception)


def applyEach(function, items):
    """
    Return the L{outcome} of C{function} for each pickled item in C{items}:
    the task a L{DaskPool} sends for a group of items. Each item succeeds or
    fails on its own, a result that does not pickle included.
    """
    return [outcome(function, item) for item in items]


def serve(functionName, incoming, outgoing):
    """
    Answer each item read from C{incoming} with C{functionName}'s result,
    written to C{outgoing}, until C{incoming} ends.
    """
    function = importFunction(functionName)
    outgoing.write(frame(READY, b""))
    outgoing.flush()
    while True:
        header = incoming.read(HEADER)
        if len(header) < HEADER:
            return
        item = incoming.read(int.from_bytes(header[1:], "big"))
        outgoing.write(frame(*outcome(function, item)))
        outgoing.flush()


if __name__ == "__main__":
    # The pool stops its workers; a Ctrl-C meant for it is not theirs.
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    with open(TO_CHILD, "rb") as incoming, open(FROM_CHILD, "wb") as outgoing:
        serve(sys.argv[1], incoming, outgoing)
