"""
Waiting on a group of children: the way L{Pipeline} and L{Graphline} end.

When one child fails, the others are asked to stop (L{shutdownMicroprocess} on
their C{control} inbox) so the graph shuts down instead of hanging; the
parent's C{whenDone()} then errbacks with that first failure.
"""

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from ..core.boxes import BoxFull
from ..core.ipc import shutdownMicroprocess


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
            stopChildren(parent, but=child)
        left[0] -= 1
        if left[0] == 0:
            done.callback(None) if not failures else done.errback(failures[0])

    for child in children:
        child.whenDone().addBoth(ended, child)
    if not children:
        done.callback(None)
    return done


def stopChildren(parent, but=None):
    """
    Send L{shutdownMicroprocess} to each of C{parent}'s unfinished children
    except C{but}.
    """
    for child in parent.childComponents():
        if child is not but and not child.isDone() and "control" in child.inboxes:
            try:
                child.inboxes["control"].deliver(shutdownMicroprocess(parent))
            except BoxFull:
                pass
