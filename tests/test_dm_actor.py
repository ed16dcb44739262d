"""DmActor end to end: streaming, concurrency and ordering, budget, queue limits,
Thinking, cache, merging, persistence. Uses a real Store (SQLite file in tmp_path), the
real ProviderChain over scripted providers, or a gated scripted chain; time is a
FakeClock driven by the test through an injected ``sleep``."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from attrs import evolve
from fake_openai import FakeOpenAI, Fault

from mud.core.clock import FakeClock, SystemClock
from mud.core.narration import (
    Beat,
    DmMessage,
    DmNotice,
    NarrationChunk,
    NarrationEnd,
    NarrationRejected,
    NarrationRequest,
    NarrationStart,
    Outcome,
    Priority,
    RoomSnapshot,
    Thinking,
)
from mud.core.ops import WriteOp
from mud.dm.actor import MSG_QUEUE_FULL, MSG_TIMED_OUT, DmActor
from mud.dm.chain import ChainDone, ChainEvent, ChainText, ChainUsage, ProviderChain, ProviderHealth
from mud.dm.prompts import PROMPT_VERSION
from mud.dm.providers.base import Prompt, Provider, ProviderError, Timeouts, Usage
from mud.dm.providers.offline import OfflineNarrator
from mud.dm.providers.openai import OpenAIProvider
from mud.dm.settings import DmSettings
from mud.store.db import Store

WAIT = 3.0  # seconds: the deadline for any expected condition


class Timers:
    """A FakeClock whose ``sleep`` returns when the test advances the clock far enough."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._n = itertools.count()
        self._new = asyncio.Event()

    async def sleep(self, delay: float) -> None:
        if delay <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (self.clock.monotonic() + delay, next(self._n), fut))
        self._new.set()
        await fut

    def sleepers(self) -> int:
        return sum(1 for _, _, f in self._heap if not f.done())

    async def wait_sleepers(self, n: int) -> None:
        """Wait (with a deadline) until ``n`` tasks sleep on the fake clock."""
        async with asyncio.timeout(WAIT):
            while self.sleepers() < n:
                self._new.clear()
                await self._new.wait()

    async def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        now = self.clock.monotonic()
        while self._heap and self._heap[0][0] <= now:
            _, _, fut = heapq.heappop(self._heap)
            if not fut.done():
                fut.set_result(None)
        for _ in range(5):  # let woken tasks run
            await asyncio.sleep(0)


class Sink:
    """Records every DM message; tests wait for conditions with a deadline."""

    def __init__(self) -> None:
        self.messages: list[DmMessage] = []
        self._changed = asyncio.Event()

    async def post_dm(self, message: DmMessage) -> None:
        self.messages.append(message)
        self._changed.set()

    async def wait_for(self, pred: Callable[[list[DmMessage]], bool]) -> None:
        async with asyncio.timeout(WAIT):
            while not pred(self.messages):
                self._changed.clear()
                await self._changed.wait()

    def of(self, rid: int) -> list[DmMessage]:
        return [m for m in self.messages if getattr(m, "request_id", None) == rid]

    def ended(self, rid: int) -> bool:
        return any(isinstance(m, (NarrationEnd, NarrationRejected)) for m in self.of(rid))

    def text(self, rid: int) -> str:
        return "".join(m.text for m in self.of(rid) if isinstance(m, NarrationChunk))


_ids = itertools.count(100)


def req(
    actor: str | None = "Alice",
    *,
    room: str = "crypt:nave",
    kind: str = "action",
    text: str = "ring the bell",
    prio: Priority = Priority.MEDIUM,
    created: float = 1000.0,
    cacheable: bool = False,
) -> NarrationRequest:
    return NarrationRequest(
        request_id=next(_ids),
        kind=kind,
        room=RoomSnapshot(
            room,
            room.split(":")[-1].title(),
            "Water laps at broken pews.",
            exits=("north",),
            occupants=("Alice", "Brakka"),
            vocabulary=("brine",),
        ),
        actor=actor,
        text=text,
        outcome=Outcome("success", 2, ("STR check 15 vs DC 10: success",)),
        priority=prio,
        created=created,
        audience=("Alice", "Brakka"),
        cacheable=cacheable,
        state_key="bell:unrung" if cacheable else "",
        seed=3,
    )


class ScriptedProvider:
    """A model provider that streams fixed pieces (optionally after a gate opens)."""

    offline = False

    def __init__(self, pieces: Sequence[str], name: str = "openai", model: str = "gpt-4o-mini"):
        self.name = name
        self.model = model
        self.pieces = list(pieces)
        self.prompts: list[Prompt] = []
        self.gate: asyncio.Event | None = None

    async def stream(self, prompt: Prompt, request: NarrationRequest) -> AsyncIterator[str | Usage]:
        self.prompts.append(prompt)
        if self.gate is not None:
            await self.gate.wait()
        for p in self.pieces:
            yield p
        yield Usage(prompt.approx_tokens(), 30, estimated=False)


class GateChain:
    """A ChainLike whose narrations wait for the test to open each request's gate."""

    degraded = False

    def __init__(self, pieces: Sequence[str] = ("The bell ", "tolls once.")) -> None:
        self.pieces = pieces
        self.calls: list[tuple[int, bool, Prompt]] = []
        self._gates: dict[int, asyncio.Event] = {}
        self.hold = True

    def gate(self, rid: int) -> asyncio.Event:
        return self._gates.setdefault(rid, asyncio.Event())

    async def narrate(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = lambda p: True,
        offline_only: bool = False,
        max_sentences: int = 4,
    ) -> AsyncIterator[ChainEvent]:
        self.calls.append((request.request_id, offline_only, prompt))
        name = "offline" if offline_only else "scripted"
        if self.hold and not offline_only:
            await self.gate(request.request_id).wait()
        for p in self.pieces:
            yield ChainText(p, name)
        yield ChainUsage(name, "m", Usage(10, 5, estimated=False))
        yield ChainDone(name, stitched=False, degraded=False)

    def health(self) -> list[ProviderHealth]:
        return [ProviderHealth("scripted", "m", "ok", 0, 0.0, 0.0, 0, 0)]


class SignallingStore(Store):
    """The real Store, plus a way to wait for the DM's writes (they land just after
    NarrationEnd is posted)."""

    _applied: asyncio.Event | None = None

    async def apply(self, ops: Sequence[WriteOp]) -> None:
        await super().apply(ops)
        if self._applied is None:
            self._applied = asyncio.Event()
        self._applied.set()

    async def settled(self, check: Callable[[], Awaitable[bool]]) -> None:
        """Wait (with a deadline) until ``check`` holds after some write."""
        async with asyncio.timeout(WAIT):
            while not await check():
                if self._applied is None:
                    self._applied = asyncio.Event()
                self._applied.clear()
                await self._applied.wait()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SignallingStore]:
    s = await SignallingStore.open(tmp_path / "mud.db", clock=FakeClock())
    try:
        yield s
    finally:
        await s.close()


class Harness:
    def __init__(self, actor: DmActor, sink: Sink, timers: Timers) -> None:
        self.actor = actor
        self.sink = sink
        self.timers = timers


@pytest.fixture
def timers() -> Timers:
    return Timers()


@pytest.fixture
async def make(store: SignallingStore, timers: Timers) -> AsyncIterator[Callable[..., Harness]]:
    tasks: list[asyncio.Task[None]] = []

    def build(chain: object, settings: DmSettings | None = None, start: bool = True) -> Harness:
        sink = Sink()
        actor = DmActor(
            settings or DmSettings(),
            chain,  # type: ignore[arg-type]
            sink,
            store,
            timers.clock,
            sleep=timers.sleep,
        )
        if start:
            tasks.append(asyncio.get_running_loop().create_task(actor.run()))
        return Harness(actor, sink, timers)

    yield build
    await stop(tasks)


async def stop(tasks: list[asyncio.Task[None]]) -> None:
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def real_chain(*providers: ScriptedProvider, clock: FakeClock) -> ProviderChain:
    async def no_sleep(_: float) -> None:
        await asyncio.sleep(0)

    return ProviderChain(
        list(providers), OfflineNarrator(seed=1), clock=clock, sleep=no_sleep, jitter=lambda: 0.5
    )


# ---------------------------------------------------------------------------------------


async def test_streams_start_chunks_end_in_order_and_records(
    make: Callable[..., Harness], store: SignallingStore, timers: Timers
) -> None:
    provider = ScriptedProvider(["The bell ", "\x1b[31mtolls\x1b[0m", " once, deep and slow."])
    chain = real_chain(provider, clock=timers.clock)
    h = make(chain, DmSettings(pricing={"gpt-4o-mini": (0.15, 0.60)}))
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    msgs = h.sink.of(r.request_id)
    assert isinstance(msgs[0], NarrationStart) and msgs[0].actor == "Alice"
    # The hub learns who it was asked for (here, two: written for everyone there).
    assert msgs[0].audience == ("Alice", "Brakka")
    assert isinstance(msgs[-1], NarrationEnd)
    assert all(isinstance(m, NarrationChunk) for m in msgs[1:-1]) and len(msgs) >= 3
    assert msgs[-1].provider == "openai" and not msgs[-1].degraded
    text = h.sink.text(r.request_id)
    assert text == "The bell tolls once, deep and slow."  # escape sequences removed
    # The prompt carried the player's words as quoted speech.
    final = provider.prompts[0].messages[-1].content
    assert "Alice (action, success, severity 2 of 3): «ring the bell»" in final

    async def written() -> bool:
        return bool(await store.dm_calls())

    await store.settled(written)
    narrations = await store.narrations(5)
    assert [(n.request_id, n.provider, n.text) for n in narrations] == [
        (r.request_id, "openai", text)
    ]
    hist = await store.history("crypt:nave", 10)
    assert [e.role for e in hist] == ["user", "assistant"] and hist[1].content == text
    rows = await store.usage_rows()
    assert len(rows) == 1 and rows[0].provider == "openai" and rows[0].completion_tokens == 30
    assert rows[0].cost_usd == pytest.approx((rows[0].prompt_tokens * 0.15 + 30 * 0.60) / 1e6)
    calls = await store.dm_calls()
    rec = json.loads(calls[0].record)
    assert rec["params"]["prompt_version"] == PROMPT_VERSION and rec["params"]["max_tokens"] == 220
    assert "".join(c for _, c in rec["chunks"]) == text
    assert rec["request"]["text"] == "ring the bell" and rec["provider"] == "openai"
    assert rec["usage"][0]["completion_tokens"] == 30
    assert await store.get_budget("dm.budget") is not None


async def test_two_rooms_concurrent_one_room_ordered(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(merge_max=1))
    a = req("Alice", room="r1", text="one")
    b = req("Brakka", room="r1", text="two")
    c = req("Cora", room="r2", text="three")
    for r in (a, b, c):
        h.actor.submit(r)
    # Both rooms start; the second request of r1 waits for the first.
    await h.sink.wait_for(
        lambda m: (
            any(isinstance(x, NarrationStart) and x.request_id == c.request_id for x in m)
            and any(isinstance(x, NarrationStart) and x.request_id == a.request_id for x in m)
        )
    )
    assert not h.sink.of(b.request_id)
    chain.gate(c.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(c.request_id))
    assert not h.sink.of(b.request_id)  # r1 is still busy with a
    chain.gate(a.request_id).set()
    chain.gate(b.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(b.request_id))
    r1 = [m for m in h.sink.messages if getattr(m, "room_id", None) == "r1"]
    ids = [m.request_id for m in r1 if not isinstance(m, DmNotice)]  # type: ignore[union-attr]
    # No interleaving: every message of a comes before every message of b.
    assert ids == sorted(ids, key=lambda i: i != a.request_id)
    assert isinstance(r1[0], NarrationStart) and isinstance(r1[-1], NarrationEnd)


async def test_max_concurrent_limits_workers(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(max_concurrent=2, medium_size=5))
    rs = [req(f"P{i}", room=f"r{i}", text=str(i)) for i in range(3)]
    for r in rs:
        h.actor.submit(r)
    await h.sink.wait_for(lambda m: sum(isinstance(x, NarrationStart) for x in m) == 2)
    await asyncio.sleep(0.01)
    assert sum(isinstance(x, NarrationStart) for x in h.sink.messages) == 2
    chain.gate(rs[0].request_id).set()
    await h.sink.wait_for(lambda _: bool(h.sink.of(rs[2].request_id)))


async def test_over_budget_actor_goes_offline_with_notice(
    make: Callable[..., Harness], timers: Timers
) -> None:
    provider = ScriptedProvider(["A model answer."])
    chain = real_chain(provider, clock=timers.clock)
    h = make(chain, DmSettings(actor_token_limit=100))  # a prompt alone is bigger
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    notices = [m for m in h.sink.messages if isinstance(m, DmNotice)]
    assert len(notices) == 1
    assert notices[0].to == "Alice" and not notices[0].admins_only
    assert "offline narrator" in notices[0].text
    end = h.sink.of(r.request_id)[-1]
    assert isinstance(end, NarrationEnd) and end.provider == "offline" and not end.degraded
    assert provider.prompts == []  # the model was never called
    assert h.sink.text(r.request_id).strip()
    # Told once only.
    r2 = req(text="ring it again")
    h.actor.submit(r2)
    await h.sink.wait_for(lambda _: h.sink.ended(r2.request_id))
    assert sum(isinstance(m, DmNotice) for m in h.sink.messages) == 1
    assert "budget (actor_tokens) 2" in "\n".join(h.actor.status_lines())


async def test_cap_survives_restart(make: Callable[..., Harness], store: SignallingStore) -> None:
    s = DmSettings(actor_token_limit=5_000, pricing={})
    chain = GateChain()
    chain.hold = False
    h = make(chain, s)
    big = Usage(4_990, 0, estimated=False)

    async def narrate_big(*args: object, **kw: object) -> AsyncIterator[ChainEvent]:
        yield ChainText("Done.", "scripted")
        yield ChainUsage("scripted", "m", big)
        yield ChainDone("scripted", False, False)

    chain.narrate = narrate_big  # type: ignore[method-assign]
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    assert h.actor.tokens("Alice").used == 4_990

    async def saved() -> bool:
        return bool(await store.dm_calls())

    await store.settled(saved)
    chain2 = GateChain()
    chain2.hold = False
    h2 = make(chain2, s, start=False)
    await h2.actor.load_state()
    assert h2.actor.tokens("Alice").used == 4_990
    task = asyncio.get_running_loop().create_task(h2.actor.run())
    try:
        r2 = req(text="again")
        h2.actor.submit(r2)
        await h2.sink.wait_for(lambda _: h2.sink.ended(r2.request_id))
        assert chain2.calls[-1][1] is True  # offline only after the restart too
    finally:
        await stop([task])


async def test_queue_overflow_is_rejected(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(max_concurrent=1, medium_size=1))
    first, second, third = (req(f"P{i}", room=f"r{i}", text=str(i)) for i in range(3))
    h.actor.submit(first)
    await h.sink.wait_for(lambda _: bool(h.sink.of(first.request_id)))
    h.actor.submit(second)  # waits (one worker only)
    h.actor.submit(third)  # medium queue full
    await h.sink.wait_for(lambda _: h.sink.ended(third.request_id))
    rej = h.sink.of(third.request_id)
    assert len(rej) == 1 and isinstance(rej[0], NarrationRejected)
    assert rej[0].message == MSG_QUEUE_FULL and rej[0].actor == "P2"
    assert not h.sink.of(second.request_id)
    chain.gate(first.request_id).set()
    chain.gate(second.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(second.request_id))


async def test_queue_timeout_answers_offline_or_rejects(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(max_concurrent=1, medium_timeout=10.0, merge_max=1))
    busy = req("P0", room="r1", text="0")
    same_room = req("P1", room="r1", text="1")
    other_room = req("P2", room="r2", text="2")
    h.actor.submit(busy)
    await h.sink.wait_for(lambda _: bool(h.sink.of(busy.request_id)))
    h.actor.submit(same_room)
    h.actor.submit(other_room)
    await asyncio.sleep(0.01)
    assert not h.sink.of(other_room.request_id)
    await h.timers.advance(10.0)
    await h.sink.wait_for(lambda _: h.sink.ended(other_room.request_id))
    offline = h.sink.of(other_room.request_id)
    assert isinstance(offline[0], NarrationStart) and isinstance(offline[-1], NarrationEnd)
    assert offline[-1].provider == "offline"
    assert (other_room.request_id, True) in [(c[0], c[1]) for c in chain.calls]
    # The timed-out request of the busy room is refused, but not in the middle of that
    # room's narration: after its end.
    assert not h.sink.ended(same_room.request_id)
    chain.gate(busy.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(same_room.request_id))
    rej = h.sink.of(same_room.request_id)
    assert isinstance(rej[0], NarrationRejected) and rej[0].message == MSG_TIMED_OUT
    order = h.sink.messages
    end_of_busy = next(
        i
        for i, m in enumerate(order)
        if isinstance(m, NarrationEnd) and m.request_id == busy.request_id
    )
    assert order.index(rej[0]) > end_of_busy


async def test_thinking_when_first_chunk_is_slow(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(thinking_after=1.0))
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: bool(h.sink.of(r.request_id)))
    await h.timers.wait_sleepers(2)  # the dispatcher's deadline and the Thinking timer
    await h.timers.advance(0.5)
    assert not any(isinstance(m, Thinking) for m in h.sink.messages)
    await h.timers.advance(0.5)
    await h.sink.wait_for(lambda m: any(isinstance(x, Thinking) for x in m))
    await h.timers.advance(5.0)
    chain.gate(r.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    kinds = [type(m).__name__ for m in h.sink.of(r.request_id)]
    assert kinds[:2] == ["NarrationStart", "Thinking"] and kinds.count("Thinking") == 1
    assert kinds[-1] == "NarrationEnd"
    # In the room's own words (this pack has no narration: colour), never a stock line.
    thought = next(m for m in h.sink.messages if isinstance(m, Thinking))
    assert thought.text.endswith("the Dungeon Master considers…"), thought
    assert "Nave" in thought.text and "lamplight" not in thought.text


async def test_no_thinking_when_fast(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    chain.hold = False
    h = make(chain)
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    await h.timers.advance(5.0)
    assert not any(isinstance(m, Thinking) for m in h.sink.messages)


async def _narrated(h: Harness, request: NarrationRequest) -> NarrationRequest:
    """Submit ``request`` and wait until its narration has ended."""
    h.actor.submit(request)
    await h.sink.wait_for(lambda _: h.sink.ended(request.request_id))
    return request


async def _bell_told_to_alice(
    make: Callable[..., Harness], timers: Timers
) -> tuple[Harness, ScriptedProvider, NarrationRequest]:
    """A real chain over a scripted model, and Alice's cacheable narration told (so
    cached), heard by Alice and Brakka."""
    provider = ScriptedProvider(["The bell ", "is silent, its clapper long gone."])
    h = make(real_chain(provider, clock=timers.clock))
    return h, provider, await _narrated(h, req("Alice", cacheable=True))


async def test_cache_hit_replays_without_provider(
    make: Callable[..., Harness], timers: Timers
) -> None:
    h, provider, first = await _bell_told_to_alice(make, timers)
    # Someone who did not hear it (Dana, alone in the room now) is told it again.
    second = await _narrated(h, evolve(req("Dana", cacheable=True), audience=("Dana",)))
    assert len(provider.prompts) == 1
    assert h.sink.text(second.request_id) == h.sink.text(first.request_id)
    end = h.sink.of(second.request_id)[-1]
    assert isinstance(end, NarrationEnd) and end.provider == "cache"
    assert any("hits 1" in line for line in h.actor.status_lines())
    # A different state is a different key.
    await _narrated(h, evolve(req("Cora", cacheable=True), state_key="bell:rung"))
    assert len(provider.prompts) == 2


async def test_a_cached_narration_is_not_told_again_to_those_who_heard_it(
    make: Callable[..., Harness], timers: Timers
) -> None:
    # bench/dm_quality.py with SmolLM2: walking back into the Market Lane replayed its
    # scene word for word to the same two players (counted as repeated sentences).
    h, provider, _first = await _bell_told_to_alice(make, timers)  # Alice and Brakka hear it
    again = await _narrated(h, req("Brakka", cacheable=True))  # the same room, state and pair
    assert len(provider.prompts) == 2  # asked afresh, not replayed
    end = h.sink.of(again.request_id)[-1]
    assert isinstance(end, NarrationEnd) and end.provider != "cache"
    # A newcomer still gets the stored one without a call, and then has heard it too.
    cora = await _narrated(h, evolve(req("Cora", cacheable=True), audience=("Cora",)))
    assert len(provider.prompts) == 2
    assert isinstance(h.sink.of(cora.request_id)[-1], NarrationEnd)
    assert h.sink.of(cora.request_id)[-1].provider == "cache"
    await timers.advance(6.0)  # past the window in which a repeat is coalesced
    await _narrated(h, evolve(req("Cora", cacheable=True), audience=("Cora",)))
    assert len(provider.prompts) == 3


async def test_simultaneous_actions_are_merged(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(medium_size=5))
    blocker = req("Zed", room="r1", text="wait")
    h.actor.submit(blocker)
    await h.sink.wait_for(lambda _: bool(h.sink.of(blocker.request_id)))
    a = req("Alice", room="r1", text="pull the lever")
    b = req("Brakka", room="r1", text="kick the door")
    h.actor.submit(a)
    h.actor.submit(b)
    chain.gate(blocker.request_id).set()
    chain.gate(a.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(a.request_id))
    assert not h.sink.of(b.request_id)  # covered by a's narration
    prompt = chain.calls[-1][2].messages[-1].content
    assert "\nAlice (action, success, severity 2 of 3): «pull the lever»" in prompt
    assert "\nBrakka (action, success, severity 2 of 3): «kick the door»" in prompt
    assert any("merged 1" in line for line in h.actor.status_lines())


async def test_length_cap_and_sanitising(make: Callable[..., Harness]) -> None:
    chain = GateChain(pieces=["word " * 100, "\u202eevil\x07 ", "more " * 100])
    chain.hold = False
    h = make(chain, DmSettings(max_chars=120))
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    text = h.sink.text(r.request_id)
    assert len(text) <= 120 and text.endswith("…")
    assert "\u202e" not in text and "\x07" not in text


async def test_cancel_actor_drops_waiting(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    h = make(chain, DmSettings(merge_max=1))
    a1 = req("Alice", room="r1", text="1")
    a2 = req("Alice", room="r1", text="2")
    h.actor.submit(a1)
    await h.sink.wait_for(lambda _: bool(h.sink.of(a1.request_id)))
    h.actor.submit(a2)  # waits: Alice's a1 is in flight
    h.actor.cancel_actor("Alice")
    chain.gate(a1.request_id).set()
    await h.sink.wait_for(lambda _: h.sink.ended(a1.request_id))
    await asyncio.sleep(0.01)
    assert not h.sink.of(a2.request_id)
    assert any("cancelled 1" in line for line in h.actor.status_lines())


async def test_summary_refresh_and_status(
    make: Callable[..., Harness], store: SignallingStore
) -> None:
    chain = GateChain(pieces=["The wind howls. ", "Dust settles."])
    chain.hold = False
    h = make(chain, DmSettings(summary_every=2, dedupe_window=0.0))
    for i in range(2):
        r = req(text=f"look {i}")
        h.actor.submit(r)
        await h.sink.wait_for(lambda _, r=r: h.sink.ended(r.request_id))

    async def summarised() -> bool:
        return await store.summary("crypt:nave") is not None

    await store.settled(summarised)
    # The summary is made of the engine outcomes, not of the model's prose.
    summary = await store.summary("crypt:nave")
    assert summary is not None
    assert "«look 0»" in summary and "«look 1»" in summary
    assert "wind" not in summary
    lines = h.actor.status_lines()
    assert any(line.startswith("DM provider scripted (m): ok") for line in lines)
    assert "DM degraded mode: no" in lines
    assert any(line.startswith("DM budget: $") for line in lines)
    rep = h.actor.tokens("Alice")
    assert rep.used == 30 and rep.limit == 100_000


class WarmingChain(GateChain):
    """A GateChain that can warm a prefix cache (like ProviderChain with a local model)."""

    def __init__(self) -> None:
        super().__init__(pieces=["The wind howls. ", "Dust settles."])
        self.hold = False
        self.warmed: list[Prompt] = []

    async def prewarm(self, prompt: Prompt) -> bool:
        self.warmed.append(prompt)
        return True


async def test_each_prompt_starts_with_the_last_and_a_new_summary_is_warmed(
    make: Callable[..., Harness], store: SignallingStore
) -> None:
    # The room's history entry is the turn message as sent, so each prompt in a room is
    # the previous prompt plus one turn (a prefix cache reads only that turn). When the
    # summary is refreshed (every 3rd narration here), the chain is asked to warm the
    # new prefix after that narration, and the next prompt starts with exactly it.
    chain = WarmingChain()
    h = make(chain, DmSettings(summary_every=3, dedupe_window=0.0))
    for i in range(5):
        r = req("Alice" if i % 2 == 0 else "Brakka", text=f"look {i}")
        h.actor.submit(r)
        await h.sink.wait_for(lambda _, r=r: h.sink.ended(r.request_id))

        async def written(n: int = i + 1) -> bool:
            return len(await store.dm_calls()) >= n

        await store.settled(written)
    prompts = [c[2] for c in chain.calls]
    assert len(prompts) == 5
    history = await store.history("crypt:nave", 20)
    turns = [e.content for e in history if e.role == "user"]
    assert turns == [p.messages[-1].content for p in prompts]
    for before, after in (
        (prompts[0], prompts[1]),
        (prompts[1], prompts[2]),
        (prompts[3], prompts[4]),
    ):
        assert after.messages[: len(before.messages)] == before.messages
        assert len(after.messages) == len(before.messages) + 1
    # The refresh after the third narration: one warm-up, of system, room and summary.
    for _ in range(100):
        if chain.warmed:
            break
        await asyncio.sleep(0.01)
    assert len(chain.warmed) == 1
    warm = chain.warmed[0]
    summary = await store.summary("crypt:nave")
    assert warm.max_tokens == 1
    assert [m.content for m in warm.messages[2:]] == [f"Story so far: {summary}"]
    assert prompts[3].messages[: len(warm.messages)] == warm.messages
    assert len(prompts[3].messages) == len(warm.messages) + 1  # then only the turn
    assert "«look 2»" in (summary or "") and "Present:" not in (summary or "")


class FailingMidStream(ScriptedProvider):
    """Sends some text, then fails like a dropped connection."""

    async def stream(self, prompt: Prompt, request: NarrationRequest) -> AsyncIterator[str | Usage]:
        self.prompts.append(prompt)
        for p in self.pieces:
            yield p
        raise ProviderError("connection cut", category="retryable")


async def test_mid_stream_failure_is_stitched_and_charged_per_provider(
    make: Callable[..., Harness], store: SignallingStore, timers: Timers
) -> None:
    first = FailingMidStream(["The bell swings, "], name="openai", model="gpt-4o-mini")
    second = ScriptedProvider(["and its toll rolls through the nave."], name="local", model="llama")
    chain = real_chain(first, second, clock=timers.clock)
    h = make(chain, DmSettings(pricing={"gpt-4o-mini": (0.15, 0.60)}))
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    end = h.sink.of(r.request_id)[-1]
    assert isinstance(end, NarrationEnd) and end.stitched and end.provider == "local"
    assert h.sink.text(r.request_id) == ("The bell swings, and its toll rolls through the nave.")
    # The continuation prompt carried the text already sent.
    assert "The bell swings," in second.prompts[0].messages[-2].content

    async def written() -> bool:
        return bool(await store.dm_calls())

    await store.settled(written)
    rows = await store.usage_rows()
    assert sorted((u.provider, u.model) for u in rows) == [
        ("local", "llama"),
        ("openai", "gpt-4o-mini"),
    ]
    assert [u.cost_usd == 0.0 for u in sorted(rows, key=lambda u: u.provider)] == [True, False]
    rec = json.loads((await store.dm_calls())[0].record)
    assert rec["stitched"] and rec["failures"][0]["provider"] == "openai"
    assert h.actor.status_lines()[-1].endswith("$0.0000 reserved")


async def test_rate_window_sends_actor_offline(make: Callable[..., Harness]) -> None:
    chain = GateChain()
    chain.hold = False
    h = make(chain, DmSettings(actor_per_min=1))
    a, b = req(text="one"), req(text="two")
    h.actor.submit(a)
    await h.sink.wait_for(lambda _: h.sink.ended(a.request_id))
    h.actor.submit(b)
    await h.sink.wait_for(lambda _: h.sink.ended(b.request_id))
    assert [c[1] for c in chain.calls] == [False, True]
    assert any("rate limit 1" in line for line in h.actor.status_lines())


class HangingChain(GateChain):
    """Model calls never answer; offline answers work."""

    async def narrate(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = lambda p: True,
        offline_only: bool = False,
        max_sentences: int = 4,
    ) -> AsyncIterator[ChainEvent]:
        self.calls.append((request.request_id, offline_only, prompt))
        if not offline_only:
            await asyncio.Event().wait()
        yield ChainText("The moment passes.", "offline")
        yield ChainDone("offline", stitched=False, degraded=False)


async def test_turn_deadline_falls_back_to_offline(make: Callable[..., Harness]) -> None:
    h = make(HangingChain(), DmSettings(turn_timeout=0.2))
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    end = h.sink.of(r.request_id)[-1]
    assert isinstance(end, NarrationEnd) and end.degraded and end.provider == "offline"
    assert h.sink.text(r.request_id) == "The moment passes."


class StallingChain(GateChain):
    """The model stops mid-word and never finishes (a slow local model)."""

    async def narrate(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = lambda p: True,
        offline_only: bool = False,
        max_sentences: int = 4,
    ) -> AsyncIterator[ChainEvent]:
        self.calls.append((request.request_id, offline_only, prompt))
        yield ChainText("Ghostly voices murmur in the dar", "scripted")
        await asyncio.Event().wait()
        yield ChainDone("scripted", stitched=False, degraded=False)


async def test_turn_deadline_mid_word_is_marked_as_cut(make: Callable[..., Harness]) -> None:
    # Found with SmolLM2: a narration stopped by the turn deadline ended "in the dar".
    h = make(StallingChain(), DmSettings(turn_timeout=0.2))
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    assert h.sink.text(r.request_id) == "Ghostly voices murmur in the dar…"
    assert any("cut at length 1" in line for line in h.actor.status_lines())


class CutChain(GateChain):
    """The chain ends an answer that hit the token limit (its text marked as cut)."""

    async def narrate(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = lambda p: True,
        offline_only: bool = False,
        max_sentences: int = 4,
    ) -> AsyncIterator[ChainEvent]:
        self.calls.append((request.request_id, offline_only, prompt))
        yield ChainText("Ghostly voices, low and muted, in the dar", "scripted")
        yield ChainText("…", "scripted")
        yield ChainDone("scripted", stitched=False, degraded=False, cut=True)


async def test_text_of_a_cut_answer_reaches_the_room_whole(make: Callable[..., Harness]) -> None:
    # Found with SmolLM2: the chain's closing ellipsis stayed in the actor's sanitiser
    # (its last characters are held for NFC) because a cut answer skipped the flush.
    h = make(CutChain())
    r = req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    assert h.sink.text(r.request_id) == "Ghostly voices, low and muted, in the dar…"
    assert any("cut at length 1" in line for line in h.actor.status_lines())


# -- issue 15 item 9: a narration nobody is left to hear is cancelled ---------------------


async def _real_chain(srv: FakeOpenAI) -> ProviderChain:
    timeouts = Timeouts(connect=1.0, first_token=30.0, chunk_gap=30.0, total=60.0)
    provider = OpenAIProvider(
        "local", base_url=srv.base_url, api_key=None, model="m", timeouts=timeouts
    )
    return ProviderChain(
        [provider],
        OfflineNarrator(seed=1),
        clock=SystemClock(),
        sleep=asyncio.sleep,
        jitter=lambda: 0.0,
    )


async def test_empty_room_cancels_the_narration_and_closes_the_http_stream(
    make: Callable[..., Harness],
) -> None:
    async with FakeOpenAI(default=Fault("slow_first", delay=30.0)) as srv:
        chain = await _real_chain(srv)
        try:
            h = make(chain)
            r = req()
            h.actor.submit(r)
            await srv.wait_requests(1)
            h.actor.cancel_room("crypt:nave")
            await srv.wait_hangups(1)  # the provider's connection closed at once
            await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
            assert any("abandoned mid-stream 1" in line for line in h.actor.status_lines())
        finally:
            await chain.aclose()


async def test_last_listener_leaving_cancels_the_narration(
    make: Callable[..., Harness],
) -> None:
    async with FakeOpenAI(default=Fault("drip", interval=30.0)) as srv:
        chain = await _real_chain(srv)
        try:
            h = make(chain)
            r = req()  # audience: Alice (the actor) and Brakka
            h.actor.submit(r)
            await srv.wait_requests(1)
            h.actor.cancel_actor("Alice")
            for _ in range(20):
                await asyncio.sleep(0)
            assert srv.hangups == 0  # Brakka still listens
            assert not h.sink.ended(r.request_id)
            h.actor.cancel_actor("Brakka")
            await srv.wait_hangups(1)
            await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
        finally:
            await chain.aclose()


# -- budget under concurrency (issue 10) ---------------------------------------------------


class HungryProvider(ScriptedProvider):
    """Reports the dearest usage a call can have: the prompt counted 20 % above our
    estimate and every allowed answer token."""

    async def stream(self, prompt: Prompt, request: NarrationRequest) -> AsyncIterator[str | Usage]:
        if self.gate is not None:
            await self.gate.wait()
        for p in self.pieces:
            yield p
        yield Usage(int(prompt.approx_tokens() * 1.2), prompt.max_tokens, estimated=False)


async def test_daily_cap_holds_under_fifty_concurrent_narrations(
    make: Callable[..., Harness], store: SignallingStore
) -> None:
    provider = HungryProvider(["The bell ", "tolls."], name="openai", model="m")
    provider.gate = asyncio.Event()
    chain = ProviderChain(
        [provider],
        OfflineNarrator(seed=1),
        clock=SystemClock(),
        sleep=asyncio.sleep,
        jitter=lambda: 0.0,
    )
    one_call = 0.001 * 600  # about one narration's booking at $1 per 1,000 tokens
    cap = 12 * one_call
    settings = DmSettings(
        max_concurrent=50,
        provider_rpm=100_000,  # the daily cap, not the provider's rate, is what binds
        medium_size=60,
        total_size=60,
        daily_budget_usd=cap,
        actor_daily_usd=10.0,
        pricing={"m": (1000.0, 1000.0)},
    )
    h = make(chain, settings)
    requests = [req(f"P{i}", room=f"room{i}", text=f"act {i}") for i in range(50)]
    for r in requests:
        h.actor.submit(r)
    await h.sink.wait_for(lambda msgs: sum(isinstance(m, NarrationStart) for m in msgs) == 50)
    provider.gate.set()  # all 50 in flight at once; the cap is reached among them
    await h.sink.wait_for(lambda _: all(h.sink.ended(r.request_id) for r in requests))

    async def all_recorded() -> bool:
        return len({r.request_id for r in await store.dm_calls()}) >= 50

    await store.settled(all_recorded)
    rows = await store.usage_rows()
    paid = [row for row in rows if row.provider == "openai"]
    spent = sum(row.cost_usd for row in rows)
    assert paid and len(paid) < 50  # some ran on the model, the rest offline
    assert spent <= cap + 1e-9
    assert h.actor.tokens("P0").daily_cost_usd <= cap + 1e-9
    assert any("budget (daily_cost)" in line for line in h.actor.status_lines()), (
        h.actor.status_lines()
    )


# -- rooms served in turn (issue 10) --------------------------------------------------------


class ReactiveSink(Sink):
    """A Sink that lets the test act when a narration ends (as players do)."""

    def __init__(self, on_end: Callable[[NarrationEnd], None]) -> None:
        super().__init__()
        self._on_end = on_end

    async def post_dm(self, message: DmMessage) -> None:
        await super().post_dm(message)
        if isinstance(message, NarrationEnd):
            self._on_end(message)


async def test_a_spamming_room_does_not_starve_a_quiet_one(
    store: SignallingStore, timers: Timers
) -> None:
    # One model slot (max_concurrent 1, as with one llama.cpp server). Three players in
    # the tavern act again the moment each narration of theirs ends; Alice in the chapel
    # acts three times, each time after her previous narration. Each of her actions is
    # narrated at the next turn: the tavern's narration in flight finishes, then hers.
    settings = DmSettings(
        max_concurrent=1,
        merge_max=1,
        medium_size=20,
        total_size=30,
        dedupe_window=0.0,
        actor_per_min=1000,
        room_per_min=1000,
        provider_rpm=100_000,
    )
    spammers = ("Tam", "Tess", "Tod")
    by_id: dict[int, NarrationRequest] = {}
    quiet_left = [2]  # Alice's actions still to come after the first

    def submit(r: NarrationRequest) -> None:
        by_id[r.request_id] = r
        actor.submit(r)

    def on_end(end: NarrationEnd) -> None:
        done = by_id[end.request_id]
        if done.actor == "Alice":
            if quiet_left[0] > 0:
                quiet_left[0] -= 1
                submit(req("Alice", room="crypt:chapel", text=f"pray {quiet_left[0]}"))
        elif quiet_left[0] > 0 or sum(by_id[i].actor == "Alice" for i in by_id) < 3:
            submit(
                req(done.actor, room="crypt:tavern", text=f"{done.actor} drinks {end.request_id}")
            )

    async with FakeOpenAI() as srv:
        chain = await _real_chain(srv)
        sink = ReactiveSink(on_end)
        actor = DmActor(settings, chain, sink, store, timers.clock, sleep=timers.sleep)
        task = asyncio.get_running_loop().create_task(actor.run())
        try:
            for name in spammers:
                submit(req(name, room="crypt:tavern", text=f"{name} drinks"))
            submit(req("Alice", room="crypt:chapel", text="pray"))
            alice = lambda: [i for i, r in by_id.items() if r.actor == "Alice"]  # noqa: E731
            await sink.wait_for(lambda _: len(alice()) == 3 and all(sink.ended(i) for i in alice()))
            starts = [m for m in sink.messages if isinstance(m, NarrationStart)]
            rooms = [m.room_id.split(":")[1] for m in starts]
            chapel = [i for i, room in enumerate(rooms) if room == "chapel"]
            # Alice's first action came after the tavern's first: served second. Each
            # later one arrived while a tavern narration was in flight: served right
            # after it.
            assert chapel == [1, 3, 5], rooms
            assert len(srv.requests) >= 6  # every one of them was told by the model
            assert all(e.provider == "local" for e in sink.messages if isinstance(e, NarrationEnd))
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await chain.aclose()


# -- llama.cpp's timings.prompt_n in dm status and metrics (issue 10) ------------------------


async def test_prompt_tokens_read_by_the_server_are_shown(
    make: Callable[..., Harness], store: SignallingStore
) -> None:
    # Three narrations in one room through the real prompt builder: after the first,
    # llama.cpp (imitated) reads only what is new since the last prompt.
    async with FakeOpenAI(prefix_cache="llama") as srv:
        chain = await _real_chain(srv)
        try:
            h = make(chain)
            for i in range(3):
                r = req(text=f"ring the bell {i}")
                h.actor.submit(r)
                await h.sink.wait_for(lambda _, r=r: h.sink.ended(r.request_id))

                async def recorded(n: int = i + 1) -> bool:
                    return len(await store.dm_calls()) >= n

                await store.settled(recorded)
        finally:
            await chain.aclose()
    first, *later = srv.reads
    assert later and all(0 < n < first for n in later)
    line = next(x for x in h.actor.status_lines() if x.startswith("DM prompt tokens read"))
    assert f"last call {srv.reads[-1]} of " in line and "over 3 calls" in line, line
    gauges = h.actor.gauges()
    assert gauges["prompt_read:local"] == sum(srv.reads)
    assert gauges["prompt_sent:local"] > gauges["prompt_read:local"]
    records = [json.loads(c.record) for c in await store.dm_calls()]
    assert sorted(r["prompt_read"][0][2] for r in records) == sorted(srv.reads)
    # And `mud usage` reads them back from the usage rows.
    local = [u for u in await store.usage_rows() if u.provider == "local"]
    assert sorted(u.prompt_read or 0 for u in local) == sorted(srv.reads)


def _chunks(h: Harness, rid: int) -> list[NarrationChunk]:
    return [m for m in h.sink.of(rid) if isinstance(m, NarrationChunk)]


def _views(chunks: Sequence[NarrationChunk], name: str) -> list[str]:
    """What each of ``chunks`` gave player ``name`` to read in their own words."""
    return [dict(c.views)[name] for c in chunks]


_ROUND = Outcome(
    "round",
    2,
    beats=(
        Beat("the eel-catcher", "hit", "Alice", 4, hurt=True),
        Beat("Alice", "hit", "the eel-catcher", 3),
        Beat("Brakka", "miss", "the eel-catcher"),
    ),
)


@pytest.mark.parametrize(("max_sentences", "fight"), [(4, False), (2, False), (4, True)])
async def test_the_offline_telling_reaches_each_player_it_names_in_their_own_words(
    make: Callable[..., Harness],
    store: SignallingStore,
    timers: Timers,
    max_sentences: int,
    fight: bool,
) -> None:
    """The offline narrator answers Alice's deed (or a round of Alice's and Brakka's
    fight), heard by both: every chunk says what each player it names reads instead of
    the room's words ("You ..."), whole sentences as soon as the room's are sent, and
    the log keeps the room's telling."""
    h = make(real_chain(clock=timers.clock), DmSettings(max_sentences=max_sentences))
    r = evolve(req(None, kind="combat"), outcome=_ROUND) if fight else req()
    h.actor.submit(r)
    await h.sink.wait_for(lambda _: h.sink.ended(r.request_id))
    twins = dict(OfflineNarrator(seed=1).mirror(r))
    assert sorted(twins) == (["Alice", "Brakka"] if fight else ["Alice"])
    chunks = _chunks(h, r.request_id)
    assert chunks and all(sorted(dict(c.views)) == sorted(twins) for c in chunks)
    room_text = "".join(c.text for c in chunks)
    for name, twin in twins.items():
        own_text = "".join(_views(chunks, name))
        told = [pair for pair in twin if pair[0] in room_text]
        assert len(told) == min(max_sentences, len(twin))
        assert room_text == " ".join(room for room, _ in told)
        assert own_text == " ".join(own for _, own in told)
        assert name not in own_text and "you" in own_text.lower()
        # No one is behind the room: after each chunk they have every sentence the
        # room has finished.
        for n in range(1, len(chunks) + 1):
            room_so_far = "".join(c.text for c in chunks[:n])
            done = [own for room, own in told if room in room_so_far]
            assert "".join(_views(chunks[:n], name)) == " ".join(done)

    async def logged() -> bool:
        return bool(await store.narrations(5))

    await store.settled(logged)
    assert [n.text for n in await store.narrations(5)] == [room_text]


async def test_a_models_telling_and_one_to_the_actor_alone_are_read_alike_by_all(
    make: Callable[..., Harness], timers: Timers
) -> None:
    # A model writes for the whole room (one text); the offline narrator's telling for
    # the actor alone is in the second person already.
    provider = ScriptedProvider(["Alice rings ", "the bell."])
    by_model = req()
    alone = evolve(req(text="ring it again"), audience=("Alice",))
    for chain, r in (
        (real_chain(provider, clock=timers.clock), by_model),
        (real_chain(clock=timers.clock), alone),
    ):
        h = make(chain)
        h.actor.submit(r)
        await h.sink.wait_for(lambda _, h=h, r=r: h.sink.ended(r.request_id))
        chunks = _chunks(h, r.request_id)
        assert chunks and all(c.views == () for c in chunks)
        assert (h.sink.text(r.request_id) == "Alice rings the bell.") == (r is by_model)
    assert "You" in h.sink.text(alone.request_id)
