"""
L{Notifier}: one outcome, handed to any number of waiters.

    >>> from kamaelia_twisted.core.notifier import Notifier
    >>> listening = Notifier()
    >>> seen = []
    >>> _ = listening.when().addCallback(seen.append)
    >>> listening.fire("port")
    >>> _ = listening.when().addCallback(seen.append)
    >>> listening.observe(lambda port, what: seen.append(what + port), "tcp ")
    >>> seen
    ['port', 'port', 'tcp port']
"""

from twisted.internet.defer import Deferred, fail, succeed
from twisted.python.failure import Failure


class Notifier:
    """
    Give each caller of L{when} a L{Deferred} for one outcome, whether they
    ask before or after it is known; L{observe} is the same without a
    L{Deferred}, for code that watches many.

    @ivar fired: whether the outcome is known.
    """

    # The observers: None, one callback taking no arguments, or a list of
    # callbacks and their arguments in turn.
    __slots__ = ("fired", "_outcome", "_observers")

    def __init__(self):
        self.fired = False
        self._outcome = None
        self._observers = None

    def when(self):
        """
        Return a L{Deferred} that fires with the outcome (errbacks if it is
        a L{Failure}).
        """
        if not self.fired:
            d = Deferred()
            self.observe(_fire, d)
            return d
        if isinstance(self._outcome, Failure):
            return fail(self._outcome)
        return succeed(self._outcome)

    def observe(self, callback, *args):
        """
        Call C{callback(outcome, *args)} once the outcome (a value or a
        L{Failure}) is known, at once if it is.
        """
        observers = self._observers
        if self.fired:
            callback(self._outcome, *args)
        elif observers is None and not args:
            self._observers = callback  # one observer, the common case: no list
        elif observers is None:
            self._observers = [callback, args]
        elif type(observers) is list:
            observers += (callback, args)
        else:
            self._observers = [observers, (), callback, args]

    def fire(self, outcome):
        """
        Record C{outcome} (a value or a L{Failure}) and hand it to the waiters.
        """
        self.fired, self._outcome = True, outcome
        observers, self._observers = self._observers, None
        if observers is None:
            return
        if type(observers) is not list:
            observers(outcome)
            return
        for i in range(0, len(observers), 2):
            observers[i](outcome, *observers[i + 1])


def _fire(outcome, d):
    if isinstance(outcome, Failure):
        d.errback(outcome)
    else:
        d.callback(outcome)
