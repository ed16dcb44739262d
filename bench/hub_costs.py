"""CPU time per receiver of a broadcast, in-process: the hub and real sessions, no sockets.

A ``Hub`` over the bundled content and a real store file, with ``--players`` players
logged in through the hub's own login flow, all in the start room, each behind a real
``mud.net.session.Session`` whose link discards what it is given (so the kernel's socket
writes, the same for every version of the code, are left out). Three measurements, each
the process CPU time over many repetitions (contention on a shared machine slows both
the same way, so before/after comparisons hold; see bench/README.md):

- ``look``: players look in turn, a few at a time; the process's CPU per look and the
  event loop thread's part of it (the rest is mostly the event-log rows' commits in
  aiosqlite's thread).
- ``say``: one player says a line; every other player receives it, its GMCP
  ``Comm.Channel.Text`` and a prompt (the hub's command, release and delivery, and each
  session's rendering and buffering, until every session has flushed). Reported per
  receiver.
- ``chunk``: a Dungeon Master narration of 100 word chunks streamed to the room (the
  hub's handling of each chunk and each session's word wrapping and styling). Reported
  per chunk and per viewer.

Usage: ``python bench/hub_costs.py [--players 300]``; with ``PYTHONPATH`` set to another
checkout and run from outside this one, it measures that checkout's code.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from mud.core.clock import FakeClock
from mud.core.events import Connected, LineIn, TermInfo
from mud.core.narration import NarrationChunk, NarrationEnd, NarrationStart
from mud.core.outputs import Doc
from mud.engine.accounts import HashCost
from mud.engine.state import World
from mud.hub import Hub, HubSettings
from mud.net.session import Session, _turns
from mud.store.db import Store
from mud.world.loader import load_packs

CONTENT = Path(__file__).resolve().parent.parent / "content" / "hollowmere"


class NullLink:
    """A session link that takes every write and holds nothing (no socket)."""

    def escape(self, data: bytes) -> bytes:
        return data.replace(b"\xff", b"\xff\xff")

    def write(self, data: bytes) -> None:
        pass

    def buffered(self) -> int:
        return 0

    async def drain(self) -> None:
        pass

    def set_echo(self, echo: bool) -> None:
        pass

    def prompt_suffix(self) -> bytes:
        return b"\xff\xf9"

    def data(self, package: str, payload: object) -> bytes:
        return b""

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class Watcher:
    """A session port for logging in: keeps the text of the documents and prompts it is
    sent."""

    def __init__(self, conn: int) -> None:
        self.conn = conn
        self.text = ""
        # The hub reads the terminal of the one logging in (a screen reader's choice
        # carries over to the character): without it, login stopped at "class".
        self.term = TermInfo()

    def send(self, doc: Doc) -> None:
        self.text += repr(doc)

    def prompt(self, markup: str) -> None:
        self.text += markup

    def __getattr__(self, name: str) -> object:
        return lambda *args, **kwargs: None  # prompts, echo, prefs, ...


async def settle(hub: Hub) -> None:
    """Until the hub's inbox is empty and every session has flushed."""
    loop = asyncio.get_running_loop()
    for _ in range(10_000):
        turn = _turns.get(loop)
        spreading = hub._spread.waiting  # the rest of a broadcast, a slice per turn
        if hub._inbox.empty() and not spreading and not (turn is not None and turn.scheduled):
            return
        await asyncio.sleep(0)
    raise RuntimeError("the hub did not settle")


async def expect(watcher: Watcher, marker: str) -> None:
    """Wait (at most 5 s: hashing and the store answer from other tasks) for ``marker``
    in what ``watcher`` was sent since the last wait. Raises RuntimeError."""
    for _ in range(5_000):
        if marker in watcher.text:
            watcher.text = ""
            return
        await asyncio.sleep(0.001)
    raise RuntimeError(f"connection {watcher.conn}: no {marker!r} in {watcher.text[-300:]!r}")


async def login(hub: Hub, conn: int, name: str) -> None:
    """Create ``name`` through the hub's login flow on connection ``conn``."""
    watcher = Watcher(conn)
    hub.attach(watcher)  # type: ignore[arg-type]
    peer = f"10.{conn // 200}.{conn % 200}.1"
    await hub.post(Connected(conn=conn, door="telnet", peer=peer, term=TermInfo()))
    steps = [
        ("name", name),
        ("yes/no", "yes"),
        ("Password", "secret-pass"),
        ("Repeat", "secret-pass"),
        ("class", "fighter"),
    ]
    for marker, line in steps:
        await expect(watcher, marker)
        await hub.post(LineIn(conn=conn, text=line))
    await expect(watcher, "Exits")


def player_name(i: int) -> str:
    return "P" + "".join(chr(97 + (i // 26**k) % 26) for k in range(3))


async def main(players: int) -> None:
    with tempfile.TemporaryDirectory(prefix="mud-hubcosts-") as tmp:
        clock = FakeClock()
        store = await Store.open(Path(tmp) / "bench.db", clock=clock)
        settings = HubSettings(
            hash_cost=HashCost(n=16), idle_warn=1e6, idle_close=1e6, narration=False
        )
        hub = Hub(World(load_packs([CONTENT])), store, clock, settings)
        await hub.start()
        task = asyncio.create_task(hub.run())
        try:
            for i in range(players):
                await login(hub, i + 1, player_name(i))
            await settle(hub)
            for conn in range(1, players + 1):
                session = Session(conn, NullLink(), TermInfo())
                session.start()
                hub._ports[conn] = session
                hub._sessions[conn] = session
            room = hub.world.chars[player_name(0).lower()].room

            # A look is answered to its viewer alone; its costs are the command, the
            # view, the recording of the event and the event-log row's commit (in
            # aiosqlite's thread: counted in the process's CPU, not the event loop's).
            looks = 3000
            start, loop_start = time.process_time(), time.thread_time()
            for k in range(looks):
                await hub.post(LineIn(conn=1 + k % players, text="look"))
                if k % 50 == 49:  # as players do: a few at a time, not 3,000 queued
                    await settle(hub)
            await settle(hub)
            await asyncio.sleep(0.3)  # the commits under way finish (idle: no CPU)
            cpu, loop_cpu = time.process_time() - start, time.thread_time() - loop_start
            print(
                f"look: {cpu / looks * 1e6:.0f} us CPU each"
                f" ({loop_cpu / looks * 1e6:.0f} us of it in the event loop's thread)"
            )

            says = 200
            start = time.process_time()
            for k in range(says):
                # A different speaker each time: five speakers ran into the flood
                # limit (a burst of 40 with the clock standing still) and about one
                # say in eight was refused, so the figures came out about 12 % low.
                await hub.post(LineIn(conn=1 + k % players, text=f"say hello number {k}"))
                await settle(hub)
            cpu = time.process_time() - start
            per = cpu / says / (players - 1) * 1e6
            each = cpu / says * 1e3
            print(f"say to {players - 1}: {each:.2f} ms CPU each, {per:.2f} us per receiver")

            narrations, words = 20, 100
            start = time.process_time()
            for n in range(narrations):
                rid = 10_000 + n
                await hub.post_dm(NarrationStart(rid, room, None, "action"))
                for w in range(words):
                    await hub.post_dm(NarrationChunk(rid, room, f"w{w} "))
                    await settle(hub)
                await hub.post_dm(NarrationEnd(rid, room, "openai"))
                await settle(hub)
            cpu = time.process_time() - start
            per_chunk = cpu / narrations / words * 1e6
            print(
                f"narration chunk to {players}: {per_chunk:.0f} us CPU each, "
                f"{per_chunk / players:.2f} us per viewer"
            )
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=300, help="players in the room (300)")
    asyncio.run(main(parser.parse_args().players))
