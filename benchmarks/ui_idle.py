"""
CPU used by an idle pygame display: the slideshow showing one image with no
events for a few seconds, against a bare reactor and against the usual
pygame main loop (poll events, redraw, C{clock.tick(60)}), each in its own
process under C{/usr/bin/time}: on an X server (Xvfb, when installed), where
the reactor watches the X socket, and with SDL's dummy video driver, where
the display polls.

    python benchmarks/ui_idle.py [--seconds 10]
"""

import argparse
import os
import resource
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARMUP = 2.0  # seconds before measuring: window open, first image drawn, pump idle


def cpuSeconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bareReactor(seconds):
    from twisted.internet import reactor

    reactor.callLater(WARMUP, _measure, reactor, seconds, reactor.stop)
    reactor.run()


def slideshow(seconds, pollRate=None):
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    from twisted.internet import reactor

    from kamaelia_twisted.ui.pygame import PygameDisplay
    from slideshow import IMAGES, imageFiles
    from slideshow import slideshow as makeSlideshow

    if pollRate is not None:
        PygameDisplay.idleRate = PygameDisplay.activeRate = pollRate
    graph = makeSlideshow(imageFiles(IMAGES))
    reactor.callLater(WARMUP, _measure, reactor, seconds, lambda: PygameDisplay.getDisplay(reactor).close())
    graph.run()


def slideshowAlways60(seconds):
    slideshow(seconds, pollRate=60)


def naiveLoop(seconds, redraw=True):
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    import time

    import pygame

    pygame.display.init()
    screen = pygame.display.set_mode((656, 536))
    picture = pygame.transform.smoothscale(
        pygame.image.load(os.path.join(ROOT, "examples", "images", "slide1.png")), (640, 480))
    clock = pygame.time.Clock()
    start = end = None
    while end is None or time.monotonic() < end:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
        if redraw:
            screen.blit(picture, (8, 48))
            pygame.display.flip()
        clock.tick(60)
        if start is None and pygame.time.get_ticks() >= WARMUP * 1000:
            start, end = cpuSeconds(), time.monotonic() + seconds
    print(cpuSeconds() - start)


def eventLoop(seconds):
    naiveLoop(seconds, redraw=False)


def _measure(reactor, seconds, stop):
    start = cpuSeconds()

    def done():
        print(cpuSeconds() - start)
        stop()

    reactor.callLater(seconds, done)


CHILDREN = {
    "bare": bareReactor,
    "slideshow": slideshow,
    "slideshow60": slideshowAlways60,
    "events": eventLoop,
    "naive": naiveLoop,
}

# (label, child, SDL video driver)
RUNS = [
    ("bare reactor, nothing scheduled", "bare", None),
    ("slideshow, X11: reactor watches X socket", "slideshow", "x11"),
    ("pygame loop on X11: blit+flip, tick(60)", "naive", "x11"),
    ("slideshow, dummy: poll 60 Hz, 10 Hz idle", "slideshow", "dummy"),
    ("slideshow, dummy: poll always 60 Hz", "slideshow60", "dummy"),
    ("pygame loop, dummy: events, tick(60)", "events", "dummy"),
    ("pygame loop, dummy: blit+flip, tick(60)", "naive", "dummy"),
]


def startXServer():
    """
    Start Xvfb for the X11 runs; return it, or L{None} if it cannot run.
    """
    sys.path.insert(0, ROOT)
    from twisted.trial.unittest import SkipTest

    from tests.xserver import XServer

    try:
        return XServer()
    except SkipTest as reason:
        print("no X11 runs:", reason)
        return None


def runChild(name, seconds, driver, xServer):
    """
    Run child C{name} under /usr/bin/time on SDL's C{driver}; return its
    idle CPU seconds and /usr/bin/time's line for the whole process.
    """
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    if driver is not None:
        environment["SDL_VIDEODRIVER"] = driver
    if driver == "x11":
        environment["DISPLAY"] = xServer.display
    environment.setdefault("SDL_AUDIODRIVER", "dummy")
    command = [sys.executable, __file__, "--child", name, str(seconds)]
    timed = ["/usr/bin/time", "-f", "%e s elapsed, %U s user, %S s system, %P CPU"] + command
    result = subprocess.run(timed, check=True, capture_output=True, text=True, env=environment)
    return float(result.stdout.split()[-1]), result.stderr.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, seconds = args.child
        CHILDREN[name](float(seconds))
        return
    xServer = startXServer()
    try:
        results = [(label, name, driver) + runChild(name, args.seconds, driver, xServer)
                   for label, name, driver in RUNS if driver != "x11" or xServer is not None]
    finally:
        if xServer is not None:
            xServer.stop()
    naive = {driver: cpu for _, name, driver, cpu, _ in results if name == "naive"}
    print("CPU used in {:g} s of wall time after {:g} s of start-up".format(args.seconds, WARMUP))
    print("{:<42} {:>9} {:>8} {:>18}".format("process", "CPU s", "% core", "same-driver naive"))
    print("{:<42} {:>9} {:>8} {:>18}".format("", "", "", "loop / this"))
    for label, _, driver, cpu, _ in results:
        ratio = "{:,.0f}x".format(naive[driver] / cpu) if cpu and driver in naive else "-"
        print("{:<42} {:>9.4f} {:>7.2f}% {:>18}".format(label, cpu, 100 * cpu / args.seconds, ratio))
    print("\nWhole processes under /usr/bin/time (start-up included):")
    for _, name, driver, _, line in results:
        print("{:<20} {}".format("{} ({})".format(name, driver or "-"), line))


if __name__ == "__main__":
    main()
