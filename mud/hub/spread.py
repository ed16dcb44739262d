"""A broadcast to a crowd goes out in slices, so one say does not hold the event loop. Pure.

Why (issue 16): handing a say to the sessions of a room of 1,000 (each renders it from
its cache, appends it and its prompt) took the hub about 5 ms in one piece; every
``look`` that arrived meanwhile waited for all of it, and the look's p99 at 2,000
players was about twice a bare server's. ``Spread`` lets the hub hand over the first
``size`` receivers at once and the rest a slice per turn of the event loop, with reads,
other commands and socket writes in between.

Order per connection holds: whatever the hub releases for a connection that still
waits for part of a spread broadcast first *catches up* (gets what it waits for, in
order) and then its new output; output of the same release to a connection whose part
of a broadcast was put off is put off behind it; prompts of those connections wait
with them. So a look's answer can pass the rest of a say, but never on the looker's
own screen.

Called only by the hub (``Hub._release``); it holds values and returns ``Release``
values, and never calls a session, the clock or the event loop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from itertools import islice

from mud.hub.outbox import Release
from mud.hub.outputs import Broadcast, Outgoing, conns_of, narrowed


class _Entry:
    """The put-off part of one release: ``outs`` (each with the set of its connections
    still owed it) and the prompts of ``prompted``, owed to ``waiting`` in order. A slice
    hands a connection everything it is owed here at once, its prompt last, so a say's
    text and the prompt after it stay one socket write."""

    __slots__ = ("outs", "prompted", "waiting")

    def __init__(
        self, outs: list[tuple[Outgoing, set[int]]], prompted: set[int], waiting: Iterable[int]
    ) -> None:
        self.outs = outs
        self.prompted = prompted
        self.waiting = dict.fromkeys(waiting)  # ordered, and O(1) to take one out

    def take(self, conns: Sequence[int]) -> Release:
        """What ``conns`` (each waiting here) are owed, taken out of the entry.

        Each output is tested against the smaller of its own connections and ``conns``:
        a say to 1,000 clients with GMCP puts off one chat line per receiver, and a test
        of every slice against every one of them cost 13 ms a say instead of 0.3."""
        wanted = set(conns)
        outs: list[Outgoing] = []
        for out, left in self.outs:
            if len(left) < len(conns):
                mine = tuple(sorted(c for c in left if c in wanted))
            else:
                mine = tuple(c for c in conns if c in left)
            if mine:
                outs.append(narrowed(out, mine))
                left.difference_update(mine)
        self.outs = [(out, left) for out, left in self.outs if left]
        for conn in conns:
            del self.waiting[conn]
        return Release(tuple(outs), tuple(c for c in conns if c in self.prompted))


class Spread:
    """The put-off parts of releases with a broadcast larger than ``size`` receivers
    (see the module docstring). ``admit`` every release, then ``next_slice`` while
    ``waiting``. Raises ValueError for a ``size`` under 1."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a slice holds at least one receiver")
        self.size = size
        self._entries: deque[_Entry] = deque()
        self._count: dict[int, int] = {}  # connection -> entries it waits in

    @property
    def waiting(self) -> bool:
        """True while some output is owed (``next_slice`` has more to give)."""
        return bool(self._entries)

    def splits(self, release: Release) -> bool:
        """Whether ``admit`` would change ``release``: something is owed, or it holds a
        broadcast larger than a slice. (A quick test: most releases are neither.)"""
        if self._entries:
            return True
        size = self.size
        return any(isinstance(out, Broadcast) and len(out.conns) > size for out in release.outputs)

    def admit(self, release: Release) -> list[Release]:
        """What goes out now for ``release``, in order: first what the connections it
        names are still owed, then the release itself less its put-off part (the
        receivers of a broadcast past the first ``size``, with everything else of the
        release for them, their prompts included)."""
        parts: list[Release] = []
        if self._entries:
            parts += self._catch_up(release)
        size = self.size
        now: list[Outgoing] = []
        put_off: dict[int, None] = {}
        deferred: list[tuple[Outgoing, set[int]]] = []
        for out in release.outputs:
            conns = conns_of(out)
            if put_off:
                late = {c for c in conns if c in put_off}
                if late:
                    deferred.append((out, late))
                    conns = tuple(c for c in conns if c not in late)
                    if not conns:
                        continue
            if len(conns) > size and isinstance(out, Broadcast):
                rest = conns[size:]
                deferred.append((out, set(rest)))
                put_off.update(dict.fromkeys(rest))
                conns = conns[:size]
            now.append(narrowed(out, conns))
        prompts = release.prompts
        if put_off:
            prompted = {c for c in prompts if c in put_off}
            prompts = tuple(c for c in prompts if c not in put_off)
            self._entries.append(_Entry(deferred, prompted, put_off))
            count = self._count
            for conn in put_off:
                count[conn] = count.get(conn, 0) + 1
        if now or prompts:
            parts.append(Release(tuple(now), prompts))
        return parts

    def next_slice(self) -> Release | None:
        """The next ``size`` waiting receivers of the oldest entry, each with all it is
        owed there (None: nothing is owed)."""
        if not self._entries:
            return None
        entry = self._entries[0]
        taken = tuple(islice(entry.waiting, self.size))
        part = entry.take(taken)
        self._settle(taken)
        if not entry.waiting:
            self._entries.popleft()
        return part

    def drain(self) -> list[Release]:
        """Everything still owed, in order (the hub is stopping). Empty afterwards."""
        parts: list[Release] = []
        while (part := self.next_slice()) is not None:
            parts.append(part)
        return parts

    # -- internals ---------------------------------------------------------------------

    def _settle(self, conns: Iterable[int]) -> None:
        count = self._count
        for conn in conns:
            left = count[conn] - 1
            if left:
                count[conn] = left
            else:
                del count[conn]

    def _catch_up(self, release: Release) -> list[Release]:
        """Everything owed to the connections ``release`` names, in order, taken out
        of the entries (a connection's parts in the order of the entries)."""
        count = self._count
        named: dict[int, None] = {}
        for out in release.outputs:
            named.update((c, None) for c in conns_of(out) if c in count)
        named.update((c, None) for c in release.prompts if c in count)
        if not named:
            return []
        parts: list[Release] = []
        for entry in self._entries:
            owed = tuple(c for c in named if c in entry.waiting)
            if owed:
                parts.append(entry.take(owed))
                self._settle(owed)
        self._entries = deque(entry for entry in self._entries if entry.waiting)
        return parts


__all__ = ["Spread"]
