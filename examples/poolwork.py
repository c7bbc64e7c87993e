"""
Work functions for the pool examples and benchmark.

A L{ProcessPool}'s worker processes import their function by name
(C{"poolwork:checksum"}), so these live in a module of their own rather than
in a script's C{__main__}. Python puts a script's folder on C{sys.path} and
the pool gives its workers the same C{sys.path}, so scripts in this folder
can name them::

    >>> from poolwork import burn
    >>> burn(3)
    654583775
"""

import hashlib


def checksum(path):
    """
    Return C{(path, hex SHA-256 of the file's bytes)}.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 16), b""):
            digest.update(block)
    return path, digest.hexdigest()


def burn(rounds):
    """
    Pure-Python CPU work: C{rounds} steps of a linear congruential
    generator; return the last value.
    """
    x = 0
    for _ in range(rounds):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    return x
