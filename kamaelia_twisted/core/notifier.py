"""
L{Notifier}: one outcome, handed to any number of waiters.

    >>> from kamaelia_twisted.core.notifier import Notifier
    >>> listening = Notifier()
    >>> seen = []
    >>> _ = listening.when().addCallback(seen.append)
    >>> listening.fire("port")
    >>> _ = listening.when().addCallback(seen.append)
    >>> seen
    ['port', 'port']
"""

from twisted.internet.defer import Deferred, fail, succeed
from twisted.python.failure import Failure


class Notifier:
    """
    Give each caller of L{when} a L{Deferred} for one outcome, whether they
    ask before or after it is known.

    @ivar fired: whether the outcome is known.
    """

    __slots__ = ("fired", "_outcome", "_waiters")

    def __init__(self):
        self.fired = False
        self._outcome = None
        self._waiters = []

    def when(self):
        """
        Return a L{Deferred} that fires with the outcome (errbacks if it is
        a L{Failure}).
        """
        if not self.fired:
            d = Deferred()
            self._waiters.append(d)
            return d
        if isinstance(self._outcome, Failure):
            return fail(self._outcome)
        return succeed(self._outcome)

    def fire(self, outcome):
        """
        Record C{outcome} (a value or a L{Failure}) and hand it to the waiters.
        """
        self.fired, self._outcome = True, outcome
        waiters, self._waiters = self._waiters, []
        for d in waiters:
            if isinstance(outcome, Failure):
                d.errback(outcome)
            else:
                d.callback(outcome)
