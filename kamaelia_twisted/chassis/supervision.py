"""
Waiting on a group of children: the way L{Pipeline} and L{Graphline} end.

When one child fails, the others are stopped (see L{shutDown}: asked, then
after the runtime's C{stopGrace} asked again one by one, then ended with
C{stop()}), so the graph ends instead of hanging; the parent's C{whenDone()}
then errbacks with that first failure.
"""

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from ..core.shutdown import shutDown


def superviseChildren(parent):
    """
    Return a L{Deferred} that fires when all of C{parent}'s children have
    finished: with L{None}, or with the first child's failure.
    """
    children = parent.childComponents()
    done = Deferred()
    failures = []
    left = [len(children)]

    def ended(result, child):
        if isinstance(result, Failure) and not failures:
            failures.append(result)
            others = [other for other in parent.childComponents() if other is not child]
            shutDown(others, parent.runtime.stopGrace, parent.reactor, parent)
        left[0] -= 1
        if left[0] == 0:
            done.callback(None) if not failures else done.errback(failures[0])

    for child in children:
        child.whenDone().addBoth(ended, child)
    if not children:
        done.callback(None)
    return done

