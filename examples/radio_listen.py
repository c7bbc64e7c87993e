"""
Listen to a multicast radio: join the group, wait for the stream's header
pages, then decode what follows and play it (or write it to a WAV file)::

    python examples/radio_listen.py --multicast 239.255.42.1:1600 --wav received.wav

with a station sending to the group, such as
C{twistd -n kamaelia radio --multicast 239.255.42.1:1600 --no-http --loop}.
The graph::

    Multicast_transceiver -> PureTransformer (the datagram) -> PageJoiner
      -> VorbisDecode -> WavWriter (or the sound device)

Ctrl-C ends it, with a complete WAV file of what arrived.
"""

import argparse
import os

from kamaelia_twisted.apps.radio import radioListener
from kamaelia_twisted.apps.tap import multicastGroup
from kamaelia_twisted.apps.vorbis import pcmSink
from kamaelia_twisted.program import positive, runProgram


def groupAndPort(text):
    """
    The argparse type of C{--multicast}: C{GROUP:PORT}, refused with the reason.
    """
    try:
        return multicastGroup(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Play (or save) a multicast radio station's stream.")
    parser.add_argument("--multicast", required=True, type=groupAndPort, help="GROUP:PORT to join")
    parser.add_argument("--interface", default="0.0.0.0", help="the interface's address (default: any)")
    parser.add_argument("--wav", help="write the audio to this WAV file instead of playing it")
    parser.add_argument("--seconds", type=positive(float), help="stop after N seconds of audio")
    options = parser.parse_args(argv)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    group, port = options.multicast
    listener = radioListener(group, port, pcmSink(options.wav), interface=options.interface,
                             seconds=options.seconds)
    listener.components["RECEIVE"].whenListening().addCallbacks(lambda _: print(
        "listening to {}:{}".format(group, port), flush=True),
        lambda failure: None)  # not listening: the listener fails, and runProgram says why
    runProgram(listener, "radio_listen")


if __name__ == "__main__":
    main()
