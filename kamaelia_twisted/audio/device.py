"""
Whether there is a sound device to play on, for programs that otherwise
write a WAV file::

    from kamaelia_twisted.audio.device import soundDeviceFound

    wav = None if soundDeviceFound() else "out.wav"

L{soundDeviceLikely} guesses from the environment without touching audio;
L{soundDeviceWorks} opens SDL's mixer in a child process, so that a missing
or stuck device can neither hang nor clutter the caller.
"""

import os
import subprocess
import sys

_PROBE = "import pygame.mixer as m; m.init(); m.quit()"


def soundDeviceFound():
    """
    Return whether a sound device is likely and SDL's mixer opens on it.
    """
    return soundDeviceLikely() and soundDeviceWorks()


def soundDeviceLikely(environ=os.environ, exists=os.path.exists, platform=sys.platform):
    """
    Tell, without touching audio, whether SDL might find a sound device.

    @return: C{True} if C{SDL_AUDIODRIVER} names a driver, or there are ALSA
        devices, a PulseAudio or PipeWire server, or a desktop OS.
    """
    if environ.get("SDL_AUDIODRIVER") or environ.get("PULSE_SERVER") or platform in ("darwin", "win32"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR")
    sockets = [os.path.join(runtime, name) for name in ("pulse/native", "pipewire-0")] if runtime else []
    return exists("/dev/snd") or any(exists(path) for path in sockets)


def soundDeviceWorks(timeout=10):
    """
    Open and close SDL's mixer in a child process.

    @return: whether the mixer opened within C{timeout} seconds.
    """
    try:
        probe = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, timeout=timeout,
                               env=dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1"))
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0
