"""``Flag``: a set/clear signal for coroutines of one event loop that costs nothing until
someone waits.

``asyncio.Event`` allocates a deque (a 64-slot block, about 750 bytes) for every
instance; a connection had four of them, most never waited on (issue 16: memory per
player). A ``Flag`` is two slots; its waiters' futures exist only while they wait.
"""

from __future__ import annotations

import asyncio


class Flag:
    """``set``, ``clear``, ``is_set`` and ``wait`` as ``asyncio.Event`` (``wait`` returns
    None). Used only from the event loop that runs the waiters; not thread-safe."""

    __slots__ = ("_value", "_waiters")

    def __init__(self) -> None:
        self._value = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        """Set the flag and wake every waiter. Idempotent."""
        if self._value:
            return
        self._value = True
        waiters, self._waiters = self._waiters, None
        for fut in waiters or ():
            if not fut.done():
                fut.set_result(None)

    def clear(self) -> None:
        self._value = False

    async def wait(self) -> None:
        """Return at once if the flag is set, else once ``set`` is called. Cancellable."""
        if self._value:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        waiters = self._waiters
        waiters.append(fut)
        try:
            await fut
        finally:
            if fut in waiters:
                waiters.remove(fut)
            if not waiters and self._waiters is waiters:
                self._waiters = None
