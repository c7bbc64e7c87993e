"""
Components that play and store decoded audio (L{PCMChunk} streams).
"""

from .pcmstream import PCMStreamError
from .playback import AOAudioPlaybackAdaptor, AudioDeviceError, AudioPlayback, PlaybackProgress
from .wavwriter import WavWriter

__all__ = [
    "AOAudioPlaybackAdaptor", "AudioDeviceError", "AudioPlayback", "PCMStreamError",
    "PlaybackProgress", "WavWriter",
]
