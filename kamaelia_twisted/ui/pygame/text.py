"""
Text on pygame surfaces: fonts, word wrapping and drawing lines.

    >>> from kamaelia_twisted.ui.pygame.text import getFont, wrapText
    >>> wrapText("one two three", getFont(20), 1000)
    ['one two three']
"""

import os
from functools import lru_cache

import pygame


@lru_cache(maxsize=None)
def getFont(height):
    """
    Return pygame's default font at C{height} pixels, shared by its users.
    """
    if not pygame.font.get_init():
        pygame.font.init()
    return pygame.font.Font(_defaultFontFile(), height)


def _defaultFontFile():
    # The file itself: Font(None) finds it through pkg_resources, slowly.
    path = os.path.join(os.path.dirname(pygame.__file__), pygame.font.get_default_font())
    return path if os.path.exists(path) else None


def wrapText(text, font, width):
    """
    Split C{text} into lines no wider than C{width} pixels in C{font},
    breaking at spaces and newlines (a word wider than C{width} keeps a line
    of its own).

    @rtype: L{list} of L{str}
    """
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = word if not line else line + " " + word
            if line and font.size(candidate)[0] > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def drawLines(surface, lines, font, colour, centred=False):
    """
    Draw C{lines} one under another on C{surface}, from its top-left corner,
    or centred on it as a block when C{centred} is true.
    """
    height = font.get_linesize()
    top = (surface.get_height() - height * len(lines)) // 2 if centred else 0
    for index, line in enumerate(lines):
        rendered = font.render(line, True, colour)
        left = (surface.get_width() - rendered.get_width()) // 2 if centred else 0
        surface.blit(rendered, (left, top + index * height))
