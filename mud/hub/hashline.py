"""The line password hashes wait in: a few at a time, those of known addresses first.

A password check costs tens of milliseconds of one core (scrypt), run in a worker
thread. Played by a griefer: 250 wrong passwords from 50 addresses at once (each within
its address's budget, and spread over 13 accounts so no account's budget was reached)
queued 250 hashes on a 2-core machine, and a player logging in with the right password
from an address she had used before waited 10 s instead of 0.9 s. Here at most
``slots`` hashes run at once, and a waiting hash of priority 0 (an address that has
logged into that account before) goes before every waiting hash of priority 1 (anyone
else), in arrival order within a priority.

Owned by the hub (``Hub._verify``, ``Hub._hash``); used only from its event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import AsyncIterator

#: A hash for an address that has logged into the account before; for anyone else.
KNOWN, OTHER = 0, 1


class HashLine:
    """At most ``slots`` holders at once (``slots`` >= 1); waiters served by priority,
    then arrival. ``waiting`` and ``running`` say how it stands (for tests, metrics)."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("a hash line needs at least one slot")
        self._free = slots
        self._order = itertools.count()
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self.running = 0

    @property
    def waiting(self) -> int:
        """Waiters not yet served (cancelled ones may still be counted until skipped)."""
        return sum(1 for _p, _n, fut in self._waiters if not fut.done())

    @contextlib.asynccontextmanager
    async def slot(self, priority: int) -> AsyncIterator[None]:
        """Hold one slot for the block, waiting for it (``priority`` KNOWN or OTHER).
        Cancellation while waiting gives up the place in line; a slot handed over to a
        waiter cancelled at that moment is passed on."""
        await self._acquire(priority)
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self._release()

    async def _acquire(self, priority: int) -> None:
        if self._free > 0 and not self.waiting:
            self._free -= 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), fut))
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release()  # handed a slot as it was cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiters:
            _priority, _n, fut = heapq.heappop(self._waiters)
            if not fut.done():
                fut.set_result(None)  # the slot goes straight to the next in line
                return
        self._free += 1


__all__ = ["KNOWN", "OTHER", "HashLine"]
