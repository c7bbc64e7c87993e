"""
Media files bundled with the package, for examples and tests::

    from kamaelia_twisted.codec import vorbisFileInfo
    from kamaelia_twisted.media import SAMPLE

    print(vorbisFileInfo(SAMPLE).seconds)
"""

import os

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample.ogg")
"""
The bundled sample: 14 s of 44.1 kHz stereo Ogg Vorbis (see C{README} here).
"""
