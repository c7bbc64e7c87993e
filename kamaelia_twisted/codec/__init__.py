"""
Audio codecs: the L{VorbisDecode} component and what it is built from::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.audio import WavWriter
    from kamaelia_twisted.codec import VorbisDecode
    from kamaelia_twisted.file import ReadFileAdaptor

    Pipeline(ReadFileAdaptor("sample.ogg", readmode="block"), VorbisDecode(), WavWriter("sample.wav")).run()

The names below are imported on first use, so that C{kamaelia_twisted.codec.pcm}
can be used without loading the Xiph libraries.
"""

import importlib

_MODULES = {
    "VorbisDecode": "vorbis",
    "OggVorbisDecoder": "oggvorbis",
    "VorbisError": "oggvorbis",
    "VorbisFormatError": "oggvorbis",
    "VorbisTruncatedError": "oggvorbis",
    "PCMChunk": "pcm",
    "OggPager": "oggpages",
    "OggPageSplitter": "oggpages",
    "HeaderPages": "oggpages",
    "VorbisFileInfo": "vorbisinfo",
    "vorbisFileInfo": "vorbisinfo",
}

__all__ = sorted(_MODULES)


def __getattr__(name):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError("module {!r} has no attribute {!r}".format(__name__, name))
    return getattr(importlib.import_module("." + module, __name__), name)


def __dir__():
    return sorted(list(globals()) + __all__)
