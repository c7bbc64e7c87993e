"""
HTTP on twisted.web: a client component, a server component, and the
L{Inspector} of a running graph::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.web import HTTPClient
    from kamaelia_twisted.codec import VorbisDecode
    from kamaelia_twisted.audio import AOAudioPlaybackAdaptor

    Pipeline(HTTPClient("http://127.0.0.1:8000/stream.ogg"), VorbisDecode(), AOAudioPlaybackAdaptor()).run()
"""

from .httpclient import HTTPClient, HTTPError
from .httpserver import HTTPServer
from .inspector import Inspector

__all__ = ["HTTPClient", "HTTPError", "HTTPServer", "Inspector"]
