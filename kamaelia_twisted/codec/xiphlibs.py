"""
libogg, libvorbis and libvorbisfile, loaded with ctypes.

The system's copies are used when C{ctypes.util.find_library} finds all
three; otherwise the copies shipped in the pygame wheel's C{pygame.libs/}
folder. PyOgg is made to load the same files, so its structure classes
(C{ogg_page}, C{vorbis_info}, ...) exist and match the libraries. The C
calls this package uses are declared here, on handles of our own, because
several of PyOgg's wrappers are broken.

    >>> from kamaelia_twisted.codec import xiphlibs
    >>> sorted(xiphlibs.libraryPaths)
    ['ogg', 'vorbis', 'vorbisfile']
    >>> info = xiphlibs.vorbis_info()
    >>> xiphlibs.libvorbis.vorbis_info_init(info)
"""

import contextlib
import ctypes
import ctypes.util
import glob
import importlib
import importlib.util
import os
import sys
from ctypes import POINTER, c_int, c_long, c_void_p

LIBRARY_NAMES = ("ogg", "vorbis", "vorbisfile")


def _wheelLibraryDir():
    """The pygame wheel's C{pygame.libs} folder, or None; pygame itself is not imported."""
    try:
        spec = importlib.util.find_spec("pygame")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    packageDir = list(spec.submodule_search_locations)[0]
    libs = os.path.join(os.path.dirname(packageDir), "pygame.libs")
    return libs if os.path.isdir(libs) else None


def _wheelLibrary(libDir, name):
    """The file for lib C{name} in C{libDir}; its name carries a hash: C{libogg-3f4a1572.so.0.8.5}."""
    matches = sorted(glob.glob(os.path.join(libDir, "lib%s-*.so*" % (name,))))
    return matches[0] if matches else None


def findLibraries(findLibrary=None):
    """
    Locate the three libraries.

    @param findLibrary: the system lookup; C{ctypes.util.find_library} if None.
    @return: dict mapping C{"ogg"}, C{"vorbis"}, C{"vorbisfile"} to a name or
        path that C{ctypes.CDLL} accepts.
    @raise ImportError: when neither the system nor pygame has them.
    """
    findLibrary = findLibrary or ctypes.util.find_library
    system = {name: findLibrary(name) for name in LIBRARY_NAMES}
    if all(system.values()):
        return system
    libDir = _wheelLibraryDir()
    if libDir is not None:
        wheel = {name: _wheelLibrary(libDir, name) for name in LIBRARY_NAMES}
        if all(wheel.values()):
            return wheel
    missing = [name for name in LIBRARY_NAMES if not system[name]]
    raise ImportError(
        "Ogg Vorbis needs libogg, libvorbis and libvorbisfile: the system lacks %s "
        "and no pygame wheel with pygame.libs/ was found (pip install pygame, or "
        "install the system packages libogg0 libvorbis0a libvorbisfile3)"
        % (", ".join("lib" + name for name in missing),)
    )


@contextlib.contextmanager
def _pointFindLibraryAt(paths):
    """Make C{ctypes.util.find_library} answer C{paths} for our names, then restore it."""
    original = ctypes.util.find_library

    def findLibrary(name):
        return paths.get(name) or original(name)

    ctypes.util.find_library = findLibrary
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _pyOggReady(pyogg):
    return pyogg.PYOGG_OGG_AVAIL and pyogg.PYOGG_VORBIS_AVAIL and pyogg.PYOGG_VORBIS_FILE_AVAIL


def _importPyOgg(paths):
    """Import PyOgg so that it loads C{paths}; re-import it if it already failed to."""
    loaded = sys.modules.get("pyogg")
    if loaded is not None and _pyOggReady(loaded):
        return loaded
    for module in [m for m in sys.modules if m == "pyogg" or m.startswith("pyogg.")]:
        del sys.modules[module]
    with _pointFindLibraryAt(paths):
        pyogg = importlib.import_module("pyogg")
    if not _pyOggReady(pyogg):
        raise ImportError("PyOgg could not load the Ogg Vorbis libraries at %r" % (paths,))
    return pyogg


def _declare(lib, name, restype, *argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)


libraryPaths = findLibraries()
libogg = ctypes.CDLL(libraryPaths["ogg"], mode=ctypes.RTLD_GLOBAL)
libvorbis = ctypes.CDLL(libraryPaths["vorbis"])
pyogg = _importPyOgg(libraryPaths)

ogg_sync_state = pyogg.ogg.ogg_sync_state
ogg_stream_state = pyogg.ogg.ogg_stream_state
ogg_page = pyogg.ogg.ogg_page
ogg_packet = pyogg.ogg.ogg_packet
vorbis_info = pyogg.vorbis.vorbis_info
vorbis_comment = pyogg.vorbis.vorbis_comment
vorbis_dsp_state = pyogg.vorbis.vorbis_dsp_state
vorbis_block = pyogg.vorbis.vorbis_block

_sync, _stream = POINTER(ogg_sync_state), POINTER(ogg_stream_state)
_page, _packet = POINTER(ogg_page), POINTER(ogg_packet)
_info, _comment = POINTER(vorbis_info), POINTER(vorbis_comment)
_dsp, _block = POINTER(vorbis_dsp_state), POINTER(vorbis_block)

for _args in [
    ("ogg_sync_init", c_int, _sync),
    ("ogg_sync_clear", c_int, _sync),
    ("ogg_sync_buffer", c_void_p, _sync, c_long),
    ("ogg_sync_wrote", c_int, _sync, c_long),
    ("ogg_sync_pageseek", c_long, _sync, _page),
    ("ogg_page_serialno", c_int, _page),
    ("ogg_page_bos", c_int, _page),
    ("ogg_page_checksum_set", None, _page),
    ("ogg_stream_init", c_int, _stream, c_int),
    ("ogg_stream_clear", c_int, _stream),
    ("ogg_stream_pagein", c_int, _stream, _page),
    ("ogg_stream_packetout", c_int, _stream, _packet),
]:
    _declare(libogg, *_args)

for _args in [
    ("vorbis_info_init", None, _info),
    ("vorbis_info_clear", None, _info),
    ("vorbis_comment_init", None, _comment),
    ("vorbis_comment_clear", None, _comment),
    ("vorbis_synthesis_idheader", c_int, _packet),
    ("vorbis_synthesis_headerin", c_int, _info, _comment, _packet),
    ("vorbis_synthesis_init", c_int, _dsp, _info),
    ("vorbis_block_init", c_int, _dsp, _block),
    ("vorbis_block_clear", c_int, _block),
    ("vorbis_dsp_clear", None, _dsp),
    ("vorbis_synthesis", c_int, _block, _packet),
    ("vorbis_synthesis_blockin", c_int, _dsp, _block),
    ("vorbis_synthesis_pcmout", c_int, _dsp, c_void_p),
    ("vorbis_synthesis_read", c_int, _dsp, c_int),
]:
    _declare(libvorbis, *_args)


def vorbisFile(path):
    """
    Decode a whole file with libvorbisfile's C{ov_read}, through PyOgg.

    @param path: an Ogg Vorbis file name.
    @return: a C{pyogg.VorbisFile}: C{.buffer} (16-bit little-endian
        interleaved bytes), C{.frequency}, C{.channels}.
    """
    return pyogg.VorbisFile(os.fspath(path))
