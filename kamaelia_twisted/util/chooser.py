"""
L{Chooser}: step through a list of items on command, like a cursor::

    from kamaelia_twisted import Pipeline
    from kamaelia_twisted.util import Chooser, Collect, DataSource

    chosen = Collect()
    Pipeline(DataSource(["NEXT", "LAST", "PREV"]), Chooser(items=["a", "b", "c"]), chosen).run()
    assert chosen.collected == ["a", "b", "c", "b"]

It sends the first item when it starts. C{"NEXT"} and C{"PREV"} move one
step and send the item reached; at either end they send nothing, unless
C{loop} is true, when they wrap round. C{"FIRST"} and C{"LAST"} send the
first or last item, and C{"SAME"} the current one again. With no items it
never sends anything.
"""

from .transformer import PureTransformer


def _step(offset):
    def move(index, count, loop):
        target = index + offset
        if 0 <= target < count:
            return target
        return target % count if loop else None
    return move


_MOVES = {
    "NEXT": _step(1),
    "PREV": _step(-1),
    "SAME": _step(0),
    "FIRST": lambda index, count, loop: 0,
    "LAST": lambda index, count, loop: count - 1,
}


class Chooser(PureTransformer):
    """
    Answer each command on C{inbox} with the item chosen, on C{outbox}; end
    on a shutdown message on C{control}, passing it on.

    @ivar items: the items, in order.
    @ivar loop: whether C{"NEXT"}/C{"PREV"} wrap round at the ends.
    @ivar index: the position of the current item.
    """

    Inboxes = {"inbox": 'Commands: "NEXT", "PREV", "FIRST", "LAST", "SAME"',
               "control": "Shutdown messages"}
    Outboxes = {"outbox": "The item chosen", "signal": "Shutdown messages, passed on"}

    def __init__(self, items=(), loop=False, **attributes):
        """
        @param items: a finite iterable of items.
        @param loop: wrap round at the ends.
        """
        PureTransformer.__init__(self, **attributes)
        self.loop = loop
        self.items = list(items)
        self.index = 0

    def main(self):
        if self.items:
            self.send(self.items[0])
        yield from PureTransformer.main(self)

    def processMessage(self, command):
        """
        Move as C{command} says and return the item reached (sent on
        C{outbox}), or L{None}; an unknown command is logged and ignored.
        """
        move = _MOVES.get(command) if isinstance(command, str) else None
        if move is None:
            self.log.warn("{name} ignores unknown command {command!r}", name=self.name, command=command)
            return None
        index = move(self.index, len(self.items), self.loop) if self.items else None
        if index is not None:
            self.index = index
            return self.items[index]
        return None
