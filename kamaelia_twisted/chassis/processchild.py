"""
The worker side of a L{ProcessPool}: a plain blocking loop that reads
pickled items from one pipe and writes the pickled results to another.

It imports nothing but the standard library and the worker's function, so a
worker starts in the time a bare interpreter does. The pool runs this
module's source with C{python -S -c} (C{sys.path} comes from the pool, as
C{PYTHONPATH}), never as part of the C{kamaelia_twisted} package, whose
import would bring in Twisted.

Each message, both ways, is a L{HEADER} (its kind and its length) and that
many bytes of pickle. The worker reads items (L{ITEM}) from file descriptor
L{TO_CHILD}; it answers with L{READY} once it has imported its function,
then with L{RESULT} or L{FAILED} (the exception, the worker's traceback in
its notes) for each item, in turn. It ends when the pool closes its pipe::

    >>> import io
    >>> results = io.BytesIO()
    >>> serve("operator:neg", io.BytesIO(frame(ITEM, dumps(3))), results)
    >>> [(kind, pickle.loads(data)) for kind, data in frames(results.getvalue())]
    [(2, b''), (0, -3)]
"""

import importlib
import os
import pickle
import signal
import struct
import sys
import traceback

HEADER = struct.Struct(">BQ")
"""
A message's kind and the length of the pickle that follows.
"""

ITEM, RESULT, FAILED, READY = 0, 0, 1, 2

TO_CHILD, FROM_CHILD = 3, 4
"""
The worker's file descriptors for items in and results out.
"""


def frame(kind, data):
    """
    Return the bytes of one message.
    """
    return HEADER.pack(kind, len(data)) + data


def frames(data):
    """
    Yield C{(kind, pickle)} for each whole message in C{data}.
    """
    start = 0
    while len(data) - start >= HEADER.size:
        kind, length = HEADER.unpack_from(data, start)
        end = start + HEADER.size + length
        if end > len(data):
            return
        yield kind, data[start + HEADER.size:end]
        start = end


def dumps(value):
    """
    Pickle C{value} with the highest protocol.
    """
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def dumpError(exception):
    """
    Pickle C{exception} with this process's traceback in its notes; an
    exception that does not survive pickling is sent as a L{RuntimeError}
    naming it.
    """
    exception.add_note("in worker process {}:\n{}".format(os.getpid(), traceback.format_exc()))
    try:
        data = dumps(exception)
        pickle.loads(data)
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
    found = importlib.import_module(module)
    for attribute in path.split("."):
        found = getattr(found, attribute)
    return found


def serve(functionName, incoming, outgoing):
    """
    Answer each item read from C{incoming} with C{functionName}'s result,
    written to C{outgoing}, until C{incoming} ends.
    """
    function = importFunction(functionName)
    outgoing.write(frame(READY, b""))
    outgoing.flush()
    while True:
        header = incoming.read(HEADER.size)
        if len(header) < HEADER.size:
            return
        item = incoming.read(HEADER.unpack(header)[1])
        try:
            answer = frame(RESULT, dumps(function(pickle.loads(item))))
        except Exception as exception:
            answer = frame(FAILED, dumpError(exception))
        outgoing.write(answer)
        outgoing.flush()


if __name__ == "__main__":
    # The pool stops its workers; a Ctrl-C meant for it is not theirs.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with open(TO_CHILD, "rb") as incoming, open(FROM_CHILD, "wb") as outgoing:
        serve(sys.argv[1], incoming, outgoing)
