"""
pygame on the Twisted reactor: one window shared by components::

    from kamaelia_twisted import Graphline
    from kamaelia_twisted.ui.pygame import Button, Image
    from kamaelia_twisted.util import Chooser

    Graphline(
        CHOOSER=Chooser(items=["examples/images/slide1.png", "examples/images/slide2.png"]),
        IMAGE=Image(size=(320, 240), position=(8, 48)),
        NEXT=Button(caption="Next", msg="NEXT", position=(8, 8)),
        linkages={
            ("NEXT", "outbox"): ("CHOOSER", "inbox"),
            ("CHOOSER", "outbox"): ("IMAGE", "inbox"),
        },
    ).run()

L{PygameDisplay} holds the window and pumps pygame's events from the reactor;
L{PygameComponent} is the base of components that draw in it: L{Button},
L{Image} and L{Ticker}. With no screen, C{SDL_VIDEODRIVER=dummy} runs them
headless.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from .button import Button  # noqa: E402
from .component import PygameComponent  # noqa: E402
from .display import PygameDisplay  # noqa: E402
from .image import Image, fitImage  # noqa: E402
from .ticker import Ticker  # noqa: E402

__all__ = ["Button", "Image", "PygameComponent", "PygameDisplay", "Ticker", "fitImage"]
