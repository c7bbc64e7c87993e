"""
A component for child processes that ignores shutdown, saying so: it prints
C{ready} when it starts and C{asked} each time it is asked to stop.
"""

from kamaelia_twisted import Component


class Stubborn(Component):
    def main(self):
        print("ready", flush=True)
        while True:
            if self.checkShutdown():
                print("asked", flush=True)
            self.pause()
            yield 1
