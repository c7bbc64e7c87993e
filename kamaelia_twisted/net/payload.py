"""
What may be written to a socket: bytes, not text.

    >>> from kamaelia_twisted.net.payload import requireBytes
    >>> requireBytes(b"ok", "TCPClient_1")
    b'ok'
"""

_BYTES = (bytes, bytearray, memoryview)


def requireBytes(data, writer):
    """
    Return C{data} if it is bytes-like.

    @param writer: the name of the component writing, for the message.
    @raise TypeError: naming C{writer} and what it was given, otherwise.
    """
    if not isinstance(data, _BYTES):
        raise TypeError("{} writes bytes to the network, not {} ({!r:.60})".format(
            writer, type(data).__name__, data))
    return data
