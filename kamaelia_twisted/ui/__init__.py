"""
User interfaces driven by the reactor.

L{kamaelia_twisted.ui.pygame} holds a pygame window shared by components
(L{PygameDisplay<kamaelia_twisted.ui.pygame.PygameDisplay>}) and components
that draw in it: C{Button}, C{Image} and C{Ticker}. Importing this package
does not import pygame.
"""
