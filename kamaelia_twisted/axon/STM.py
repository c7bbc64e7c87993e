"""
Software transactional memory, Axon's API: take copies of values from a
L{Store}, change them, and commit; a commit fails with L{ConcurrentUpdate}
if someone committed those values in between, and a busy store raises
L{BusyRetry}.

    >>> from kamaelia_twisted.axon.STM import Store, ConcurrentUpdate
    >>> store = Store()
    >>> mine, theirs = store.usevar("count"), store.usevar("count")
    >>> mine.set(1); mine.commit()
    >>> theirs.set(2)
    >>> try:
    ...     theirs.commit()
    ... except ConcurrentUpdate:
    ...     print("retry with", store.usevar("count").value)
    retry with 1
"""

import copy
import threading
from contextlib import contextmanager

__all__ = ["Store", "Value", "Collection", "ConcurrentUpdate", "BusyRetry"]


class ConcurrentUpdate(Exception):
    """Someone committed a newer version first."""


class BusyRetry(Exception):
    """The store was busy; try again."""


class Value(object):
    """
    A copy of the value under C{key}, at C{version}.
    """

    def __init__(self, version, value, store, key):
        self.version, self.value, self.store, self.key = version, value, store, key

    def __repr__(self):
        return "Value" + repr((self.version, self.value))

    def set(self, value):
        """Change this copy."""
        self.value = value

    def commit(self):
        """Store this copy. @raise ConcurrentUpdate: if it is out of date."""
        self.store.set(self.key, self)

    def clone(self):
        """Return a deep copy."""
        return Value(self.version, copy.deepcopy(self.value), self.store, self.key)


class Collection(dict):
    """
    Copies of several values, committed together or not at all.
    """

    def set_store(self, store):
        self.store = store

    def commit(self):
        """Store every copy. @raise ConcurrentUpdate: if any is out of date."""
        self.store.set_values(self)


class Store(object):
    """
    Versioned values by key.
    """

    def __init__(self):
        self.store = {}
        self.lock = threading.Lock()

    @contextmanager
    def _locked(self):
        if not self.lock.acquire(False):
            raise BusyRetry()
        try:
            yield
        finally:
            self.lock.release()

    def _copy(self, key):
        if key not in self.store:
            self.store[key] = Value(0, None, self, key)
        return self.store[key].clone()

    def _commit(self, values):
        if any(self.store[key].version > value.version for key, value in values.items()):
            raise ConcurrentUpdate()
        for key, value in values.items():
            value.version += 1
            self.store[key] = Value(value.version, copy.deepcopy(value.value), self, key)

    def usevar(self, key, islocked=False):
        """Return a copy of the value under C{key} (L{None} at first)."""
        if islocked:
            return self._copy(key)
        with self._locked():
            return self._copy(key)

    def using(self, *keys):
        """Return a L{Collection} of copies of the values under C{keys}."""
        with self._locked():
            values = Collection((key, self._copy(key)) for key in keys)
        values.set_store(self)
        return values

    def set(self, key, value):
        """Commit C{value} under C{key}."""
        with self._locked():
            self._commit({key: value})

    def set_values(self, values):
        """Commit every value of C{values}, or none."""
        with self._locked():
            self._commit(values)

    def dump(self):
        """Print the store."""
        for key, value in self.store.items():
            print("     ", key, ":", value)
