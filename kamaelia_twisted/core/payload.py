"""
What may be written to a transport: bytes, not text.

    >>> from kamaelia_twisted.core.payload import requireBytes
    >>> requireBytes(b"ok", "TCPClient_1", "the network")
    b'ok'
"""

_BYTES = (bytes, bytearray, memoryview)


def requireBytes(data, writer, destination):
    """
    Return C{data} if it is bytes-like.

    @param writer: the component writing (or its name), for the message;
        its name is read only then.
    @param destination: what it writes to, for the message (C{"the network"}).
    @raise TypeError: naming C{writer}, C{destination} and what it was
        given, otherwise.
    """
    if not isinstance(data, _BYTES):
        raise TypeError("{} writes bytes to {}, not {} ({!r:.60})".format(
            getattr(writer, "name", writer), destination, type(data).__name__, data))
    return data
