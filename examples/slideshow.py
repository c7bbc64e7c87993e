"""
Kamaelia's slideshow on the Twisted reactor: four buttons drive a Chooser
over the images of a folder, and the Chooser feeds an Image.

    python examples/slideshow.py [FOLDER]

FOLDER defaults to the images next to this script. With no screen, run it
with SDL_VIDEODRIVER=dummy. Closing the window ends it.
"""

import argparse
import os

from kamaelia_twisted import Graphline
from kamaelia_twisted.program import runProgram
from kamaelia_twisted.ui.pygame import Button, Image
from kamaelia_twisted.util import Chooser

IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")
EXTENSIONS = (".png", ".gif", ".jpg", ".jpeg", ".bmp")


def imageFiles(folder):
    """
    Return the paths of the image files in C{folder}, sorted by name.
    """
    names = sorted(name for name in os.listdir(folder) if name.lower().endswith(EXTENSIONS))
    return [os.path.join(folder, name) for name in names]


def imageFolder(path):
    """
    The argparse type of a folder of images: its image files.
    """
    if not os.path.isdir(path):
        raise argparse.ArgumentTypeError("no such folder: {}".format(path))
    return imageFiles(path)


def slideshow(files):
    """
    Return the slideshow's graph over C{files}.
    """
    return Graphline(
        CHOOSER=Chooser(items=files),
        IMAGE=Image(size=(640, 480), position=(8, 48)),
        NEXT=Button(caption="Next", msg="NEXT", position=(72, 8)),
        PREVIOUS=Button(caption="Previous", msg="PREV", position=(8, 8)),
        FIRST=Button(caption="First", msg="FIRST", position=(256, 8)),
        LAST=Button(caption="Last", msg="LAST", position=(320, 8)),
        linkages={
            ("NEXT", "outbox"): ("CHOOSER", "inbox"),
            ("PREVIOUS", "outbox"): ("CHOOSER", "inbox"),
            ("FIRST", "outbox"): ("CHOOSER", "inbox"),
            ("LAST", "outbox"): ("CHOOSER", "inbox"),
            ("CHOOSER", "outbox"): ("IMAGE", "inbox"),
        },
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description="Kamaelia's slideshow: buttons driving a Chooser of images.")
    parser.add_argument("folder", nargs="?", type=imageFolder, default=IMAGES,
                        help="a folder of images (default: the examples')")
    runProgram(slideshow(parser.parse_args(argv).folder), "slideshow")


if __name__ == "__main__":
    main()
