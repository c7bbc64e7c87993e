"""
Components that play and store decoded audio (L{PCMChunk} streams), and
L{soundDeviceFound}: whether there is a sound device to play on.
"""

from .device import soundDeviceFound
from .pcmstream import PCMStreamError
from .playback import AOAudioPlaybackAdaptor, AudioDeviceError, AudioPlayback, PlaybackProgress
from .wavwriter import WavWriter

__all__ = [
    "AOAudioPlaybackAdaptor", "AudioDeviceError", "AudioPlayback", "PCMStreamError",
    "PlaybackProgress", "WavWriter", "soundDeviceFound",
]
