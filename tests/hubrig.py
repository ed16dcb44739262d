"""A hub on a real store file with fake sessions and a fake clock: no sockets.

Used by the hub and game tests. ``FakeSession`` renders to plain text and lets a test
wait for expected output with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from attrs import evolve

from mud.core.clock import FakeClock
from mud.core.events import Connected, GmcpChanged, LineIn, TermInfo
from mud.core.ops import CreateAccount, StoreError, WriteOp
from mud.core.outputs import Doc
from mud.core.rng import SeededRng
from mud.engine.accounts import HashCost, hash_password
from mud.engine.state import World
from mud.hub import Hub, HubSettings
from mud.render.doc import render
from mud.render.profile import RenderProfile
from mud.store.db import Store
from mud.world.loader import load_packs

CONTENT = Path(__file__).resolve().parent.parent / "content" / "hollowmere"
PROFILE = RenderProfile(colours=0, width=100, screenreader=False, charset="utf-8")


class FakeSession:
    """A SessionPort that renders to plain text and lets a test wait for output."""

    def __init__(self, conn: int, term: TermInfo | None = None) -> None:
        self.conn = conn
        self.term_info = term or TermInfo()  # what its client announced (MTTS, width)
        self.text = ""
        self.consumed = 0
        self.echo = True
        self.closed = False
        self.prefs: dict[str, object] = {}
        self.packages: list[tuple[str, object]] = []
        self.account = ""
        self.acks: list[int] = []
        self._changed = asyncio.Event()

    @property
    def term(self) -> TermInfo:
        return self.term_info

    def _add(self, text: str) -> None:
        self.text += text
        self._changed.set()

    def send(self, doc: Doc) -> None:
        self._add(render(doc, PROFILE).replace("\r\n", "\n"))

    def stream(self, stream_id: int, text: str, *, style: str = "narr") -> None:
        self._add(text)

    def end_stream(self, stream_id: int) -> None:
        self._add("\n")

    def prompt(self, markup: str) -> None:
        self._add(re.sub(r"\{/?\w*\}", "", markup) + " ")

    def set_echo(self, echo: bool) -> None:
        self.echo = echo

    def bound(self, account: str) -> None:
        self.account = account

    def ack(self, seq: int) -> None:
        self.acks.append(seq)

    def data(self, package: str, payload: object) -> None:
        self.packages.append((package, payload))

    def set_prefs(
        self, *, colour: bool | None, screenreader: bool | None, width: int | None
    ) -> None:
        self.prefs.update(colour=colour, screenreader=screenreader, width=width)

    def close(self, farewell: Doc | None = None) -> None:
        if farewell is not None:
            self.send(farewell)
        self.closed = True
        self._changed.set()

    async def expect(self, pattern: str, timeout: float = 5.0) -> str:
        regex = re.compile(pattern)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    match = regex.search(self.text, self.consumed)
                    if match:
                        self.consumed = match.end()
                        return self.text[match.start() : match.end()]
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            tail = self.text[self.consumed :][-1500:]
            message = f"timed out waiting for {pattern!r}; unread output:\n{tail}"
            raise AssertionError(message) from None

    async def wait_closed(self, timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            while not self.closed:
                self._changed.clear()
                await self._changed.wait()


class GatedStore:
    """A real ``Store`` behind a gate at the store boundary: while ``closed()``, every
    ``apply`` waits (a store slowed without limit). A batch ``fail_when`` picks is
    refused as a full disk would refuse it. Reads pass straight through."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.gate.set()
        self.waiting = 0
        self.fail_when: Callable[[Sequence[WriteOp]], bool] | None = None

    def close_gate(self) -> None:
        self.gate.clear()

    def open_gate(self) -> None:
        self.gate.set()

    async def apply(self, ops: Sequence[WriteOp]) -> None:
        self.waiting += 1
        try:
            await self.gate.wait()
        finally:
            self.waiting -= 1
        if self.fail_when is not None and self.fail_when(ops):
            raise StoreError("store transaction failed: database or disk is full")
        await self.inner.apply(ops)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Rig:
    def __init__(self, hub: Hub, clock: FakeClock, store: Store | None = None) -> None:
        self.hub = hub
        self.clock = clock
        self.store = store
        self._next = 0

    async def connect(
        self, peer: str = "10.0.0.1", *, gmcp: bool = True, term: TermInfo | None = None
    ) -> FakeSession:
        """A new connection at the name prompt. ``gmcp``: its client wants GMCP (the
        door said so right after ``Connected``, as telnet does for a client that agreed
        and subscribed); without it the hub sends the session no ``data``. ``term``:
        what its client announced (default ``TermInfo()``)."""
        self._next += 1
        session = FakeSession(self._next, term)
        self.hub.attach(session)
        await self.hub.post(
            Connected(conn=session.conn, door="telnet", peer=peer, term=session.term_info)
        )
        if gmcp:
            await self.hub.post(GmcpChanged(conn=session.conn, on=True))
        await session.expect("What is your name")
        return session

    async def line(self, session: FakeSession, text: str) -> None:
        await self.hub.post(LineIn(conn=session.conn, text=text))

    async def logged(self) -> None:
        """Wait until the database holds every event and log line so far (ticks flush
        them), so what is read from it after the rig stops has the whole session."""
        async with asyncio.timeout(5):
            # Ops not yet handed to a commit, then the commits under way (the hub's jobs).
            while self.hub._outbox.pending or self.hub._jobs:
                await asyncio.sleep(0.02)

    async def create(
        self,
        name: str,
        password: str = "secret-pass",
        peer: str = "10.0.0.1",
        cls: str = "fighter",
        *,
        gmcp: bool = True,
        term: TermInfo | None = None,
    ) -> FakeSession:
        s = await self.connect(peer, gmcp=gmcp, term=term)
        await self.line(s, name)
        await s.expect(r"\(yes/no\)")
        await self.line(s, "yes")
        await s.expect("Password:")
        assert s.echo is False
        await self.line(s, password)
        await s.expect("Repeat")
        await self.line(s, password)
        seen = await s.expect("Exits:|Your class:")
        if seen.endswith("Your class:"):
            await self.line(s, cls)
            await s.expect("Exits:")
        assert s.echo is True
        return s

    async def create_admin(
        self, name: str, password: str = "secret-pass", peer: str = "10.0.0.1", cls: str = "fighter"
    ) -> FakeSession:
        """An admin the way an operator makes one (``mud admin create``: the account is
        written to the database directly), then logged in over the hub."""
        assert self.store is not None
        pw_hash = hash_password(password, self.hub.settings.hash_cost)
        await self.store.apply([CreateAccount(name, name.lower(), pw_hash, True, 0.0)])
        s = await self.login(name, password, peer)
        seen = await s.expect("Exits:|Your class:")
        if seen.endswith("Your class:"):
            await self.line(s, cls)
            await s.expect("Exits:")
        return s

    async def login(
        self, name: str, password: str = "secret-pass", peer: str = "10.0.0.1"
    ) -> FakeSession:
        s = await self.connect(peer)
        await self.line(s, name)
        await s.expect("Password:")
        await self.line(s, password)
        return s


@contextlib.asynccontextmanager
async def make_rig(
    tmp_path: Path,
    seed: int = 3,
    content: Path = CONTENT,
    wrap_store: Callable[[Store], Any] | None = None,
    wall: float | None = None,
    **settings: Any,
) -> AsyncIterator[Rig]:
    """A started, running hub; ``wrap_store`` may put a wrapper (e.g. ``GatedStore``)
    between the hub and the real store; ``wall``, the wall time it starts at (a restart
    later than the run before)."""
    clock = FakeClock()
    if wall is not None:
        clock.set_wall(wall)
    store = await Store.open(tmp_path / "hub.db", clock=clock)
    world = World(load_packs([content]))
    base = HubSettings(
        hash_cost=HashCost(n=16),
        new_per_ip=10_000,
        tick=0.02,
        linkdead_grace=30.0,
        idle_warn=100.0,
        idle_close=200.0,
        login_deadline=50.0,
        throttle_limit=3,
        narration=False,
    )
    hub = Hub(
        world,
        wrap_store(store) if wrap_store is not None else store,
        clock,
        evolve(base, **settings),
        rng=SeededRng(seed),
        reload_packs=lambda: load_packs([content]),
    )
    await hub.start()
    task = asyncio.create_task(hub.run())
    try:
        yield Rig(hub, clock, store)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await store.close()


def record_asks(rigged: Rig) -> list[object]:
    """Give ``rigged``'s hub a DM that only keeps what it is asked to narrate, in order."""
    submitted: list[object] = []

    class Dm:
        def submit(self, request: object) -> None:
            submitted.append(request)

        def cancel_actor(self, actor: str) -> None:
            pass

        def cancel_room(self, room_id: str) -> None:
            pass

        def tokens(self, actor: str) -> object:
            raise NotImplementedError

        def status_lines(self) -> list[str]:
            return []

    rigged.hub.set_dm(Dm())  # type: ignore[arg-type]
    return submitted


def path_to(world: World, start: str, goal: str) -> list[str]:
    """Directions from ``start`` to ``goal`` through open, visible exits (BFS)."""
    queue: list[tuple[str, list[str]]] = [(start, [])]
    seen = {start}
    while queue:
        room, steps = queue.pop(0)
        if room == goal:
            return steps
        for ex in world.templates.rooms[room].exits:
            if ex.hidden or ex.locked_by or ex.to in seen:
                continue
            seen.add(ex.to)
            queue.append((ex.to, [*steps, ex.direction]))
    raise AssertionError(f"no open path from {start} to {goal}")


async def walk(rig: Rig, session: FakeSession, who: str, goal: str) -> None:
    """Walk a character to ``goal`` one command at a time, waiting for each room view."""
    for direction in path_to(rig.hub.world, rig.hub.world.chars[who].room, goal):
        await rig.line(session, direction)
        await session.expect("Exits:")
    assert rig.hub.world.chars[who].room == goal
