"""The hub's cost per output of a room broadcast, in-process, without sockets.

A ``Hub`` over the bundled content with 500 attached sessions that discard what they
are sent; each round sends one document to all 500 (``Hub._send``) and ends the message
(``Hub._end_of_message``: the outbox releases it and ``Hub._deliver`` calls each
session). Prints nanoseconds per output, the best of five runs of 200 rounds. No store
is touched (nothing is written), so this measures the hub's output path alone.

Usage: ``python bench/hub_fanout.py`` (with ``PYTHONPATH`` set to another checkout,
run from outside this one, to measure that one).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from mud.core.clock import FakeClock
from mud.core.outputs import Doc
from mud.engine.state import World
from mud.hub import Hub, HubSettings
from mud.world.loader import load_packs

CONTENT = Path(__file__).resolve().parent.parent / "content" / "hollowmere"
LISTENERS = 500


class NullSession:
    """A SessionPort that discards everything (only what a broadcast calls)."""

    def __init__(self, conn: int) -> None:
        self.conn = conn

    def send(self, doc: Doc) -> None:
        pass

    def prompt(self, markup: str) -> None:
        pass


async def main() -> None:
    world = World(load_packs([CONTENT]))
    store: Any = None  # never used: a broadcast writes nothing
    hub = Hub(world, store, FakeClock(), HubSettings(record=False))
    for conn in range(1, LISTENERS + 1):
        hub.attach(NullSession(conn))  # type: ignore[arg-type]
    doc = Doc.text("Alice says, 'hello'")
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(200):
            for conn in range(1, LISTENERS + 1):
                hub._send(conn, doc)
            hub._end_of_message()
        runs.append((time.perf_counter() - start) / 200 / LISTENERS * 1e9)
    print(f"ns per output (send + release + deliver), best of 5: {min(runs):.0f}")


if __name__ == "__main__":
    asyncio.run(main())
