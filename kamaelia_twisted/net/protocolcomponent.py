r"""
L{ProtocolComponent}: an existing Twisted protocol running inside a graph.

Bytes arriving on C{inbox} are fed to the protocol's C{dataReceived}; what
the protocol writes to its transport leaves on C{outbox}; the units it parses
(lines, strings, AMP answers) leave on C{parsed}; messages on C{send} become
C{sendLine}/C{sendString}/C{callRemote} calls::

    from twisted.protocols.basic import LineReceiver
    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.net import ProtocolComponent
    from kamaelia_twisted.util import Collect, DataSource

    class Shout(LineReceiver):
        def lineReceived(self, line):
            self.sendLine(line.upper())

    wire = Collect()
    Pipeline(DataSource([b"hello\r\nwor", b"ld\r\n"]), ProtocolComponent(Shout), wire).run()
    assert wire.collected == [b"HELLO\r\n", b"WORLD\r\n"]

The protocol's own handler (a C{lineReceived} of a subclass, AMP responders)
still runs; a unit reaches C{parsed} first. The protocol sees a
L{GraphTransport}: when it calls C{loseConnection} the component calls its
C{connectionLost} and ends, sending L{producerFinished} on C{signal}; when it
drops its peer for bad input (a line longer than C{MAX_LENGTH}, a malformed
netstring, a too long length prefix) the component fails with
L{ProtocolInputError}.

L{producerFinished} on C{control} (the input has ended) ends it through
C{connectionLost} once the protocol has taken all the input and no producer
is registered on its transport; L{shutdownMicroprocess} ends it at once.
"""

from zope.interface import implementer

from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.internet.interfaces import IAddress, IConsumer, IProtocol, IPushProducer, ITransport
from twisted.protocols.amp import AMP
from twisted.protocols.basic import IntNStringReceiver, LineOnlyReceiver, LineReceiver, NetstringReceiver
from twisted.python.failure import Failure

from ..core.boxes import BoxFull
from ..core.component import Component
from ..core.ipc import errorOccurred, producerFinished


class ProtocolInputError(Exception):
    """
    The protocol dropped its peer because of malformed input.
    """


def callCommand(protocol, message):
    """
    Call an AMP command: C{message} is C{(CommandClass, {argument: value})}.

    @return: the L{Deferred} of C{protocol.callRemote}.
    @raise TypeError: if C{message} is not such a pair.
    """
    try:
        command, arguments = message
        return protocol.callRemote(command, **arguments)
    except (TypeError, ValueError) as error:
        raise TypeError("an AMP 'send' message must be (CommandClass, {{argument: value}}), "
                        "not {!r}: {}".format(message, error)) from error


# (protocol base, method whose calls leave on "parsed", what "send" calls)
_FRAMINGS = (
    (AMP, None, callCommand),
    (NetstringReceiver, "stringReceived", "sendString"),
    (IntNStringReceiver, "stringReceived", "sendString"),
    (LineReceiver, "lineReceived", "sendLine"),
    (LineOnlyReceiver, "lineReceived", "sendLine"),
)

# Handlers that only raise NotImplementedError: a tap does not call them.
_STUBS = frozenset([
    LineReceiver.lineReceived, LineReceiver.rawDataReceived, LineOnlyReceiver.lineReceived,
    NetstringReceiver.stringReceived, IntNStringReceiver.stringReceived,
])

# Hooks a protocol calls before dropping a peer that sent bad input.
_REFUSALS = {
    "lineLengthExceeded": lambda protocol, line: "a line longer than MAX_LENGTH ({} bytes)".format(
        protocol.MAX_LENGTH),
    "lengthLimitExceeded": lambda protocol, length: "a length prefix of {} (MAX_LENGTH is {})".format(
        length, protocol.MAX_LENGTH),
}


def _framing(protocol):
    for base, parsedMethod, sendMethod in _FRAMINGS:
        if isinstance(protocol, base):
            return parsedMethod, sendMethod
    return None, None


@implementer(IAddress)
class GraphAddress:
    """
    The address of one end of an in-graph connection: the component's name.

    @ivar name: the name of the L{ProtocolComponent}.
    """

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "GraphAddress({!r})".format(self.name)

    def __eq__(self, other):
        return isinstance(other, GraphAddress) and other.name == self.name

    def __hash__(self):
        return hash((GraphAddress, self.name))


@implementer(ITransport, IConsumer, IPushProducer)
class GraphTransport:
    """
    The transport a L{ProtocolComponent} gives its protocol: writes leave on
    the component's C{outbox}.

    As a consumer it takes one producer (C{registerProducer}): a streaming one
    is paused while the component's outbox is backed up, a pull one is asked
    for more each time the component runs. As a producer (of incoming data)
    C{pauseProducing} stops feeding C{inbox} to the protocol.

    @ivar disconnecting: true once C{loseConnection} was called.
    @ivar disconnected: true once the protocol's C{connectionLost} ran.
    @ivar producer: the registered producer, or L{None}.
    @ivar streaming: whether C{producer} is a push producer.
    @ivar readingPaused: whether the protocol asked to stop receiving data.
    """

    disconnecting = disconnected = readingPaused = False
    producer = None
    streaming = False

    def __init__(self, component, host, peer):
        self._component = component
        self._host = host
        self._peer = peer

    def write(self, data):
        """
        Send C{data} on the component's C{outbox} (dropped once disconnected).

        @raise TypeError: if C{data} is not bytes.
        """
        if not isinstance(data, bytes):
            raise TypeError("data must be bytes, not {}".format(type(data).__name__))
        if data and not self.disconnected:
            self._component._emit(data, "outbox")

    def writeSequence(self, data):
        """
        Write each chunk of C{data}, as one message.
        """
        self.write(b"".join(data))

    def loseConnection(self):
        """
        End the connection once pending output has left and no producer is
        registered.
        """
        if not self.disconnecting:
            self.disconnecting = True
            self._component._poke()

    abortConnection = loseConnection

    def getHost(self):
        return self._host

    def getPeer(self):
        return self._peer

    def registerProducer(self, producer, streaming):
        """
        Take data from C{producer}; see L{IConsumer.registerProducer}.

        @raise RuntimeError: if another producer is registered.
        """
        if self.producer is not None:
            raise RuntimeError("cannot register producer {!r}: {!r} was never unregistered".format(
                producer, self.producer))
        if self.disconnected:
            producer.stopProducing()
            return
        self.producer, self.streaming = producer, streaming
        self._component._poke()

    def unregisterProducer(self):
        self.producer = None
        self._component._poke()

    def pauseProducing(self):
        self.readingPaused = True

    def resumeProducing(self):
        self.readingPaused = False
        self._component._poke()

    def stopProducing(self):
        self.loseConnection()


class ProtocolComponent(Component):
    """
    Run a Twisted protocol, its transport being the component's boxes.

    @param protocol: an L{IProtocol} provider, or a callable (such as the
        protocol class) returning one.
    @param sendMethod: the name of the protocol method each message on
        C{send} is passed to, or a callable C{(protocol, message)}; by default
        C{sendLine} for line receivers, C{sendString} for netstring and
        length-prefixed receivers, L{callCommand} for AMP.
    @param parsedMethod: the name of the protocol method whose argument
        leaves on C{parsed}; by default C{lineReceived} or C{stringReceived}
        (for AMP, C{"ampBoxReceived"} shows every box received).
    @param host: what C{transport.getHost()} returns (default: a
        L{GraphAddress} of this component).
    @param peer: what C{transport.getPeer()} returns (default: the same).
    @ivar protocol: the protocol instance.
    @ivar transport: its L{GraphTransport}.
    """

    Inboxes = {
        "inbox": "Bytes for the protocol's dataReceived",
        "send": "Messages for the protocol's send method (sendLine, sendString, callRemote)",
        "control": "producerFinished/shutdownMicroprocess: connectionLost, then end",
        "_transport": "Wake-ups from the transport (private)",
    }
    Outboxes = {
        "outbox": "Bytes the protocol writes to its transport",
        "parsed": "Units the protocol parses: lines, strings, AMP answers (or their Failure)",
        "signal": "producerFinished when the protocol closes, or the shutdown received",
    }

    def __init__(self, protocol, sendMethod=None, parsedMethod=None, host=None, peer=None, **attributes):
        Component.__init__(self, **attributes)
        if not IProtocol.providedBy(protocol):
            protocol = protocol()
        self.protocol = protocol
        self.name = "{}({})".format(self.name, type(protocol).__name__)
        address = GraphAddress(self.name)
        self.transport = GraphTransport(self, host or address, peer or address)
        defaultParsed, defaultSend = _framing(protocol)
        self._sender = self._senderFor(sendMethod or defaultSend)
        self._pending = []
        self._producerPaused = False
        self._refusal = None
        self._finishing = None
        self._tap(parsedMethod or defaultParsed)
        self._tapRefusals()

    # Setup

    def _senderFor(self, sendMethod):
        if sendMethod is None or callable(sendMethod):
            return sendMethod
        method = self._method(sendMethod, "sendMethod")
        return lambda protocol, message: method(message)

    def _method(self, name, role):
        method = getattr(self.protocol, name, None)
        if not callable(method):
            raise ValueError("{}: {} {!r} is not a method of {!r}".format(self.name, role, name, self.protocol))
        return method

    def _tap(self, name):
        if name is None:
            return
        original = self._method(name, "parsedMethod")
        passOn = getattr(type(self.protocol), name, None) not in _STUBS
        parsed, pending = self.outboxes["parsed"], self._pending

        def tap(unit, *rest):
            dest = parsed.destination
            if dest.plain and not pending:  # Component.send's common case, inlined: one call per unit
                dest.messages.append(unit)
            else:
                self._emit(unit, "parsed")
            if passOn:
                return original(unit, *rest)

        setattr(self.protocol, name, tap)

    def _tapRefusals(self):
        for name, describe in _REFUSALS.items():
            original = getattr(self.protocol, name, None)
            if original is not None:
                setattr(self.protocol, name, self._refusalTap(original, describe))

    def _refusalTap(self, original, describe):
        def refused(*args):
            why = original(*args)
            if self.transport.disconnecting:
                self._refusal = describe(self.protocol, *args)
            return why
        return refused

    # Called by the transport and the taps

    def _emit(self, message, boxname):
        """
        Send C{message} on C{boxname}, or hold it (pausing a streaming
        producer) while the receiver is full.
        """
        if not self._pending:
            try:
                self.send(message, boxname)
                return
            except BoxFull:
                pass
        self._pending.append((message, boxname))
        transport = self.transport
        if transport.producer is not None and transport.streaming and not self._producerPaused:
            self._producerPaused = True
            transport.producer.pauseProducing()
        self._poke()

    def _poke(self):
        if not self.isDone():
            self.inboxes["_transport"].deliver(None)

    # Behaviour

    def main(self):
        transport = self.transport
        try:
            self.protocol.makeConnection(transport)
            while True:
                if self._pending or self._producerPaused:
                    yield from self._flush()
                while self.dataReady("_transport"):
                    self.recv("_transport")
                if transport.disconnecting and transport.producer is None:
                    ending = self._closedByProtocol()
                    break
                self._feed()
                self._sendUnits()
                shutdown = None if self._busy() else self._shutdownRequest()
                if shutdown is not None:
                    ending = shutdown
                    break
                if self._pullProducer():
                    transport.producer.resumeProducing()
                elif not self._busy():
                    self.pause()
                yield 1
        except Exception:
            self._connectionLost(Failure())
            raise
        if not isinstance(ending, errorOccurred):
            yield from self._flush()
        self._connectionLost(Failure(ConnectionLost(str(ending)) if isinstance(ending, errorOccurred)
                                     else ConnectionDone()))
        if self._refusal is not None:
            raise ProtocolInputError("{} dropped its peer after {}".format(self.name, self._refusal))
        self.send(ending, "signal")

    def _flush(self):
        pending = self._pending
        while pending:
            message, boxname = pending[0]
            if self.outboxes[boxname].isFull():
                yield self.outboxes[boxname].whenSpace()
                continue
            del pending[0]
            self.send(message, boxname)
        if self._producerPaused:
            self._producerPaused = False
            if self.transport.producer is not None:
                self.transport.producer.resumeProducing()

    def _accepting(self):
        return not self._pending and not self.transport.disconnecting

    def _reading(self):
        return self.dataReady("inbox") and not self.transport.readingPaused and self._accepting()

    def _feed(self):
        # One message a step: what it parses reaches the receiver before the next is parsed.
        if self._reading():
            self.protocol.dataReceived(self.recv("inbox"))

    def _sendUnits(self):
        while self.dataReady("send") and self._accepting():
            message = self.recv("send")
            if self._sender is None:
                raise TypeError("{}: no send method is known for {}; pass sendMethod=".format(
                    self.name, type(self.protocol).__name__))
            result = self._sender(self.protocol, message)
            if isinstance(result, Deferred):
                result.addBoth(self._answer)

    def _answer(self, result):
        if not self.transport.disconnected:
            self._emit(result, "parsed")

    def _pullProducer(self):
        transport = self.transport
        return transport.producer is not None and not transport.streaming and not self._pending

    def _busy(self):
        sending = self.dataReady("send") and self._accepting()
        return self._pending or self.dataReady("_transport") or self._reading() or sending

    def _shutdownRequest(self):
        message = self.checkShutdown()
        if message is not None and not (self._finishing and isinstance(message, producerFinished)):
            self._finishing = message
        if isinstance(self._finishing, producerFinished):
            transport = self.transport
            if self.dataReady("inbox") or transport.readingPaused or transport.producer is not None:
                return None
        return self._finishing

    def _closedByProtocol(self):
        if self._refusal is None and getattr(self.protocol, "brokenPeer", 0):
            self._refusal = "input that is not a netstring"
        return producerFinished(self)

    def _connectionLost(self, reason):
        transport = self.transport
        if transport.disconnected:
            return
        transport.disconnected = transport.disconnecting = True
        producer, transport.producer = transport.producer, None
        if producer is not None:
            producer.stopProducing()
        self.protocol.connectionLost(reason)
