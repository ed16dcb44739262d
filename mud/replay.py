"""``mud replay``: re-run a recorded session and verify it comes out identical.

A live server records every event that changes the world or what players see (a
character entering, a line typed, a link dropping, a DM message arriving, ...) in the
``event_log`` table, each with the digest of everything that event produced: every
document sent to every player, every narration chunk streamed, every DM request and
every state change written. The Dungeon Master's calls are recorded too (``dm_calls``),
so a replay needs no provider: the recorded narration is fed back in as it arrived.

The replay builds a fresh world from the same content packs, feeds the events to a
real ``Hub`` (fake sessions, a fake clock, a scratch database) one by one, and compares
digests. It reports the first event whose outcome differs, with what was recorded and
what the replay produced, and exits non-zero. The source is a database file, or a JSON
export of one (a list of ``{"seq", "kind", "data"}`` objects, as ``export_events``
writes).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from mud.config import DEFAULT_CONTENT
from mud.core.clock import FakeClock
from mud.core.events import TermInfo
from mud.core.ops import StoreError
from mud.core.outputs import Doc
from mud.core.rng import SeededRng
from mud.engine.accounts import HashCost
from mud.engine.dice import notation_problem
from mud.engine.state import World
from mud.hub import Hub, HubSettings
from mud.store.db import Store
from mud.world.loader import load_packs


@frozen
class RecordedEvent:
    seq: int
    kind: str
    data: dict[str, Any]
    ts: float = 0.0


@frozen
class ReplayResult:
    """``ok`` when every event matched. Otherwise ``first`` is the first mismatch."""

    events: int
    ok: bool
    first: str = ""


class _NullSession:
    """A session that discards output: the replay compares digests, not bytes."""

    def __init__(self, conn: int) -> None:
        self.conn = conn

    @property
    def term(self) -> TermInfo:
        return TermInfo()

    def send(self, doc: Doc) -> None:
        pass

    def stream(self, stream_id: int, text: str, *, style: str = "narr") -> None:
        pass

    def end_stream(self, stream_id: int) -> None:
        pass

    def prompt(self, markup: str) -> None:
        pass

    def set_echo(self, echo: bool) -> None:
        pass

    def data(self, package: str, payload: object) -> None:
        pass

    def set_prefs(
        self, *, colour: bool | None, screenreader: bool | None, width: int | None
    ) -> None:
        pass

    def close(self, farewell: Doc | None = None) -> None:
        pass


class _RecordingDm:
    """Stands in for the DM during a replay: requests are traced by the hub; the
    narration itself comes back from the recording as ``dm`` events."""

    def submit(self, request: object) -> None:
        pass

    def cancel_actor(self, actor: str) -> None:
        pass

    def tokens(self, actor: str) -> Any:
        raise RuntimeError("not available during replay")

    def status_lines(self) -> list[str]:
        return []


def _read_export(path: Path) -> list[RecordedEvent]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [
            RecordedEvent(int(e["seq"]), str(e["kind"]), dict(e["data"]), float(e.get("ts", 0.0)))
            for e in raw
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a replay export ({exc})") from exc


async def load_events(source: str) -> list[RecordedEvent]:
    """Events from a database file or a JSON export. Raises ValueError for bad input."""
    path = Path(source)
    if path.suffix == ".json":
        if not await asyncio.to_thread(path.exists):
            raise ValueError(f"{source}: no such file")
        return await asyncio.to_thread(_read_export, path)
    try:
        store = await Store.open_existing(path, clock=FakeClock())
    except StoreError as exc:
        raise ValueError(str(exc)) from exc
    try:
        records = await store.events(0)
    finally:
        await store.close()
    return [RecordedEvent(r.seq, r.kind, json.loads(r.data), r.ts) for r in records]


def export_events(events: Sequence[RecordedEvent]) -> str:
    """A JSON export that ``load_events`` reads back (useful for sharing a recording)."""
    return json.dumps(
        [{"seq": e.seq, "kind": e.kind, "ts": e.ts, "data": e.data} for e in events], indent=1
    )


async def replay(
    events: Sequence[RecordedEvent], content: Sequence[str] | None = None
) -> ReplayResult:
    """Re-run ``events`` and compare each outcome with the recorded digest."""
    if not events:
        return ReplayResult(0, True)
    first = events[0]
    if first.kind != "start":
        return ReplayResult(
            0, False, f"event {first.seq}: the recording does not begin with a server start"
        )
    dirs = list(content or first.data.get("content") or [DEFAULT_CONTENT])
    templates = load_packs([Path(d) for d in dirs], dice_check=notation_problem)
    clock = FakeClock()
    rng = SeededRng(first.data.get("seed"))
    if first.data.get("rng"):
        rng.set_state(first.data["rng"])
    with tempfile.TemporaryDirectory(prefix="mud-replay-") as scratch:
        store = await Store.open(Path(scratch) / "replay.db", clock=clock)
        try:
            hub = Hub(
                World(templates),
                store,
                clock,
                HubSettings(hash_cost=HashCost(n=16)),
                dm=_RecordingDm(),
                reload_packs=lambda: load_packs(
                    [Path(d) for d in dirs], dice_check=notation_problem
                ),
                rng=rng,
            )
            hub.content_dirs = tuple(first.data.get("content") or ())
            hub.seed = first.data.get("seed")
            # Each event runs at its recorded wall time, so times the world keeps (an NPC's
            # respawn) and numbers derived from them come out the same.
            clock.set_wall(first.ts)
            await hub.start()
            hub.restart_from(first.data)
            mismatch = _compare(first, hub.last_trace)
            if mismatch:
                return ReplayResult(1, False, mismatch)
            for count, event in enumerate(events[1:], start=2):
                clock.set_wall(event.ts)
                try:
                    got = hub.replay(event.kind, event.data, _NullSession(count))
                except (KeyError, ValueError, TypeError) as exc:
                    return ReplayResult(
                        count, False, f"event {event.seq} ({event.kind}): cannot apply: {exc!r}"
                    )
                mismatch = _compare(event, got)
                if mismatch:
                    return ReplayResult(count, False, mismatch)
                await asyncio.sleep(0)
                hub.drain()
            return ReplayResult(len(events), True)
        finally:
            await store.close()


def _compare(event: RecordedEvent, got: tuple[str, int, list[str]]) -> str:
    digest, count, sample = got
    if digest == event.data.get("digest"):
        return ""
    detail = {k: v for k, v in event.data.items() if k not in ("digest", "n", "sample", "state")}
    lines = [
        f"event {event.seq} ({event.kind} {json.dumps(detail)[:200]}) differs:",
        f"  recorded: {event.data.get('n')} outputs/changes, digest {event.data.get('digest')}",
        *(f"    {s}" for s in event.data.get("sample", [])),
        f"  replayed: {count} outputs/changes, digest {digest}",
        *(f"    {s}" for s in sample),
    ]
    return "\n".join(lines)


def replay_main(source: str) -> int:
    """CLI entry: prints a verdict; 0 when identical, 1 on a difference or bad input."""
    try:
        events = asyncio.run(load_events(source))
        result = asyncio.run(replay(events))
    except ValueError as exc:
        print(f"mud replay: {exc}", file=sys.stderr)
        return 1
    if result.ok:
        print(f"replay OK: {result.events} events reproduced identically")
        return 0
    print(f"replay FAILED after {result.events} events:\n{result.first}")
    return 1
