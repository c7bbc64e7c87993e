"""
L{UnixProcess}: a child process as a component, started with the reactor's
C{spawnProcess}.

Bytes sent to C{inbox} go to the process's standard input; what it writes to
standard output leaves on C{outbox}, and standard error on C{error}::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.file import UnixProcess
    from kamaelia_twisted.util import Collect, DataSource

    sink = Collect()
    Pipeline(DataSource([b"pear\\n", b"apple\\n"]), UnixProcess("sort"), sink).run()
    print(b"".join(sink.collected))     # b'apple\\npear\\n'
"""

import os
import shutil

from twisted.internet.error import ProcessDone, ProcessExitedAlready, ProcessTerminated
from twisted.internet.protocol import ProcessProtocol

from ..core.inflow import Inflow
from ..core.ipc import errorOccurred, producerFinished, shutdownMicroprocess
from ..core.notifier import Notifier
from ..core.transport import TransportComponent


class UnixProcess(TransportComponent):
    """
    Run C{command}: C{inbox} to its standard input, its standard output to
    C{outbox}, its standard error to C{error}.

    Flow control works as for a network connection (see
    L{TransportComponent}): a full receiver on C{outbox} stops the process's
    output being read, so the process blocks writing, and while its standard
    input is full this component stops taking from its bounded C{inbox}.

    L{producerFinished} on C{control} closes standard input once everything
    sent has been written, and the component ends when the process has exited
    and all its output has been delivered: with L{producerFinished} on
    C{signal} if it exited with status 0, otherwise an L{errorOccurred} giving
    the status or signal. L{shutdownMicroprocess} terminates the process
    (C{SIGTERM}) and is passed on; so does the component failing (for
    instance on a message that is not C{bytes}), without waiting for the
    process to exit: L{whenExited} tells when it has.

    @ivar command: the command run.
    @ivar pid: the process id, once started.
    """

    Inboxes = {
        "inbox": "Bytes for the process's standard input",
        "control": "producerFinished: close standard input once written; shutdownMicroprocess: terminate",
    }
    Outboxes = {
        "outbox": "Bytes from the process's standard output",
        "error": "Bytes from the process's standard error",
        "signal": "producerFinished on exit status 0, errorOccurred otherwise; shutdownMicroprocess passed on",
    }
    destination = "a process"

    def __init__(self, command, env=None, path=None, **attributes):
        """
        @param command: a shell command line (run with C{/bin/sh -c}, as
            Kamaelia's C{UnixProcess} does), or a list of the program and its
            arguments (run directly).
        @param env: the process's environment (default: this process's).
        @param path: its working directory (default: this process's).
        @raise ValueError: if C{command} is empty, or names a program that
            cannot be found.
        """
        TransportComponent.__init__(self, **attributes)
        if not command:
            raise ValueError("no command to run")
        args = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
        self._executable = _findProgram(args[0])
        self.command = command
        self._args = args
        self._env = dict(os.environ) if env is None else env
        self._path = path
        self._errors = None
        self._exited = Notifier()
        self.pid = None

    def whenExited(self):
        """
        Return a L{Deferred<twisted.internet.defer.Deferred>} that fires when the process has exited,
        with the L{ProcessDone<twisted.internet.error.ProcessDone>} or
        L{ProcessTerminated<twisted.internet.error.ProcessTerminated>} that describes how (their
        C{exitCode} and C{signal}).
        """
        return self._exited.when()

    def main(self):
        transport = self.reactor.spawnProcess(
            _ProcessProtocol(self), self._executable, self._args, env=self._env, path=self._path)
        self.pid = transport.pid
        return (yield from TransportComponent.main(self))

    def attach(self, transport):
        self._errors = Inflow(self.outboxes["error"], None)
        TransportComponent.attach(self, transport)

    def errReceived(self, data):
        """
        Deliver C{data} from the process's standard error on C{error}.
        """
        self._errors.deliver(data)

    def _closeTransport(self, closing):
        if isinstance(closing, producerFinished):
            self.transport.closeStdin()
            return
        # Stop now: close every pipe, even one not read while the receiver
        # is full, so that the end of the process is seen at once.
        self.transport.loseConnection()
        try:
            self.transport.signalProcess("TERM")
        except ProcessExitedAlready:
            pass

    def _delivered(self):
        return TransportComponent._delivered(self) and self._errors.drained

    def _endMessage(self, closing):
        if isinstance(closing, shutdownMicroprocess):
            return closing
        return self._lostMessage()

    def _lostMessage(self):
        if self._lost.check(ProcessDone):
            return producerFinished(self)
        status = self._lost.value
        if isinstance(status, ProcessTerminated) and status.signal is not None:
            how = "killed by signal {}".format(status.signal)
        else:
            how = "exited with status {}".format(status.exitCode)
        return errorOccurred("{}: {!r} {}".format(self.name, self.command, how), self._lost, caller=self)


def _findProgram(name):
    """
    Return the path of the program C{name} (looked up on C{PATH} unless it
    is a path).

    @raise ValueError: if there is no such program.
    """
    found = name if os.sep in name else shutil.which(name)
    if found is None or not os.access(found, os.X_OK) or os.path.isdir(found):
        raise ValueError("cannot find the program {!r}".format(name))
    return found


class _ProcessProtocol(ProcessProtocol):
    """
    Hand a process's events to its L{UnixProcess}.
    """

    def __init__(self, component):
        self.component = component

    def connectionMade(self):
        self.component.attach(self.transport)

    def outReceived(self, data):
        self.component.dataReceived(data)

    def errReceived(self, data):
        self.component.errReceived(data)

    def processEnded(self, reason):
        self.component.connectionLost(reason)
        self.component._exited.fire(reason.value)
