"""
Child processes for tests: the project's scripts run as programs.
"""

import os
import re
import sys

from twisted.internet import defer, reactor
from twisted.internet.error import ProcessDone
from twisted.internet.protocol import ProcessProtocol

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def childEnvironment(**changes):
    """
    This process's environment for a child running the project's code;
    a change to L{None} removes the variable.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path), PYGAME_HIDE_SUPPORT_PROMPT="1")
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


class Child(ProcessProtocol):
    """
    A child process: its output is kept, and C{ended} fires with its exit
    code (L{None} if a signal ended it: see C{signal}).
    """

    def __init__(self):
        self.out = self.err = b""
        self.signal = None
        self.ended = defer.Deferred()
        self._watches = []

    def whenOutput(self, pattern):
        """
        Return a L{Deferred} firing with the first match of C{pattern} (bytes
        regex) in the standard output, or errbacking if the process ends first.
        """
        d = defer.Deferred()
        self._watches.append((re.compile(pattern), d))
        self._check()
        return d

    def outReceived(self, data):
        self.out += data
        self._check()

    def errReceived(self, data):
        self.err += data

    def processEnded(self, reason):
        watches, self._watches = self._watches, []
        for _, d in watches:
            d.errback(AssertionError("the process ended first: {!r} {!r}".format(self.out, self.err)))
        self.signal = reason.value.signal
        self.ended.callback(reason.value.exitCode if not reason.check(ProcessDone) else 0)

    def _check(self):
        for watch in list(self._watches):
            match = watch[0].search(self.out)
            if match:
                self._watches.remove(watch)
                watch[1].callback(match)


def spawn(testCase, args, env=None):
    """
    Start C{python args...} in the project's directory; it is killed at
    cleanup if still running.

    @return: its L{Child}.
    """
    child = Child()
    reactor.spawnProcess(child, sys.executable, [sys.executable] + list(args),
                         env=env or childEnvironment(), path=ROOT)

    def stop():
        if not child.ended.called:
            child.transport.signalProcess("KILL")
        return child.ended

    testCase.addCleanup(stop)
    return child


def runChild(testCase, args, env=None):
    """
    Run C{python args...} to its end (see L{spawn}).

    @return: a L{Deferred} firing with C{(child, exit code)} once it has ended.
    """
    child = spawn(testCase, args, env)
    return child.ended.addCallback(lambda code: (child, code))
