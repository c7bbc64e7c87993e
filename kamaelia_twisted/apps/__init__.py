"""
Whole applications built from the components: the Vorbis server and client
(L{kamaelia_twisted.apps.vorbis}) and the C{twistd -n kamaelia} commands
(L{kamaelia_twisted.apps.tap}).

Nothing in C{kamaelia_twisted} imports this package; it sits on top::

    from kamaelia_twisted.apps.vorbis import vorbisServer
    from kamaelia_twisted.media import SAMPLE

    vorbisServer(SAMPLE, port=1500).run()
"""
