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
what the replay produced, and exits non-zero. The source is a database file (opened
read-only; it must exist), or a JSON export of one (a list of ``{"seq", "kind", "data"}``
objects, as ``export_events`` writes).

What feeds an event from outside the world is recorded with it, so the replay does not
depend on it: the wall time the event began (each event is replayed at that time, so an
NPC's respawn time comes out the same), and the answers the hub got from outside during
the event (the DM's token accounting and status, players' idle times for ``who``, the
SSH library's reading of a key; see ``Hub._outside``). The content is identified: every
server start and reload records the digest of each pack's files, and before replaying
anything the replay checks that the packs it loaded have the same digests, or refuses
with the pack, the recorded digest and the loaded one (``--content`` points the replay
at the version of a pack the session was recorded with).
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

from mud.config import DEFAULT_CONTENT, PACK_SEARCH
from mud.core.clock import FakeClock
from mud.core.events import TermInfo
from mud.core.ops import CreateAccount, StoreError
from mud.core.outputs import Doc
from mud.core.rng import SeededRng
from mud.engine.accounts import HashCost
from mud.engine.dice import notation_problem
from mud.engine.state import World
from mud.hub import Hub, HubSettings
from mud.store import open_existing_store
from mud.store.db import Store
from mud.world.loader import PackError, load_packs
from mud.world.model import Templates


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

    def bound(self, account: str) -> None:
        pass

    def ack(self, seq: int) -> None:
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
    narration itself comes back from the recording as ``dm`` events, and the answers to
    ``tokens`` and ``dm status`` are recorded with their events (the hub never asks)."""

    def submit(self, request: object) -> None:
        pass

    def cancel_actor(self, actor: str) -> None:
        pass

    def cancel_room(self, room_id: str) -> None:
        """Replays never abandon a narration (the recorded answer is replayed whole)."""
        del room_id

    def tokens(self, actor: str) -> Any:
        raise RuntimeError("the DM's accounting is read from the recording during a replay")

    def status_lines(self) -> list[str]:
        raise RuntimeError("the DM's status is read from the recording during a replay")


def _recorded_key(text: str) -> tuple[str, str, str]:
    raise RuntimeError("a key's reading is taken from the recording during a replay")


async def _no_report(fmt: str) -> str:
    # Its answer arrives after the event and is not part of any recorded outcome.
    return "(usage reports are not replayed)"


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
    """Events from a database (a file or a ``postgresql://`` URL) or a JSON export.
    Raises ValueError for bad input."""
    path = Path(source)
    if path.suffix == ".json":
        if not await asyncio.to_thread(path.exists):
            raise ValueError(f"{source}: no such file")
        return await asyncio.to_thread(_read_export, path)
    try:
        store = await open_existing_store(source, clock=FakeClock())
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


def _load(dirs: Sequence[str]) -> Templates:
    return load_packs(
        [Path(d) for d in dirs],
        dice_check=notation_problem,
        search=[Path(p) for p in PACK_SEARCH],
    )


def _differences(event: RecordedEvent, templates: Templates) -> list[str]:
    """How the packs in ``templates`` differ from those a start or reload recorded."""
    loaded = {pack_id: pack.digest for pack_id, pack in templates.packs.items()}
    recorded = event.data.get("packs")
    if not isinstance(recorded, dict):
        return [
            f"event {event.seq} ({event.kind}): recorded by an older version of mud that did"
            " not identify its content packs; it cannot be replayed exactly"
        ]
    out = []
    for pack_id, digest in recorded.items():
        if pack_id not in loaded:
            out.append(f"recorded with pack {pack_id} at digest {digest}; that pack is not loaded")
        elif loaded[pack_id] != digest:
            path = templates.packs[pack_id].path
            out.append(
                f"recorded with pack {pack_id} at digest {digest}; loaded digest"
                f" {loaded[pack_id]} (from {path})"
            )
    for pack_id in loaded.keys() - recorded.keys():
        out.append(
            f"pack {pack_id} (digest {loaded[pack_id]}) is loaded but was not in the recording"
        )
    return out


class _Content:
    """The packs each server run of a recording loaded, read once per distinct list of
    folders (``override`` replaces the folders every start names)."""

    def __init__(self, override: Sequence[str] | None) -> None:
        self._override = list(override or [])
        self._loaded: dict[tuple[str, ...], Templates] = {}
        self.dirs: tuple[str, ...] = ()

    def for_start(self, start: RecordedEvent) -> Templates:
        """The templates for the run ``start`` begins; ``dirs`` becomes its folders.
        Raises ValueError when they cannot be loaded."""
        dirs = tuple(self._override or start.data.get("content") or [DEFAULT_CONTENT])
        self.dirs = dirs
        if dirs not in self._loaded:
            try:
                self._loaded[dirs] = _load(dirs)
            except PackError as exc:
                raise ValueError(
                    f"cannot load the content packs the recording names ({', '.join(dirs)});"
                    " give them with --content:\n" + "\n".join(str(i) for i in exc.issues)
                ) from exc
        return self._loaded[dirs]


def content_problems(events: Sequence[RecordedEvent], content: _Content) -> list[str]:
    """Why the packs a replay loads are not those ``events`` were recorded with: one line
    per difference (empty when every start and reload recorded the same digests as the
    packs loaded for its run). Raises ValueError when packs cannot be loaded."""
    problems: dict[str, None] = {}
    templates: Templates | None = None
    for event in events:
        if event.kind == "start":
            templates = content.for_start(event)
        if event.kind in ("start", "reload") and templates is not None:
            problems.update(dict.fromkeys(_differences(event, templates)))
    return list(problems)


async def replay(
    events: Sequence[RecordedEvent], content: Sequence[str] | None = None
) -> ReplayResult:
    """Re-run ``events`` and compare each outcome with the recorded digest.

    Each server run is replayed with the packs its start names (``content`` overrides
    them all). Raises ValueError, before replaying anything, when the packs cannot be
    loaded or are not the ones the recording was made with (the message names each
    pack and both digests).
    """
    if not events:
        return ReplayResult(0, True)
    first = events[0]
    if first.kind != "start":
        return ReplayResult(
            0, False, f"event {first.seq}: the recording does not begin with a server start"
        )
    packs = _Content(content)
    problems = content_problems(events, packs)
    if problems:
        raise ValueError(
            "cannot replay: the content packs differ from the recording's:\n  "
            + "\n  ".join(problems)
        )
    templates = packs.for_start(first)
    clock = FakeClock()
    rng = SeededRng(first.data.get("seed"))
    if first.data.get("rng"):
        rng.set_state(first.data["rng"])
    with tempfile.TemporaryDirectory(prefix="mud-replay-") as scratch:
        store = await Store.open(Path(scratch) / "replay.db", clock=clock)
        try:
            # The accounts the recorded players logged in with: their login (before the
            # event that brings each in) is not an event, and a character is saved under
            # its account ("store write PutCharacter failed: IntegrityError" otherwise).
            await store.apply(_accounts(events))
            hub = Hub(
                World(templates),
                store,
                clock,
                HubSettings(
                    hash_cost=HashCost(n=16), narration=bool(first.data.get("narration", True))
                ),
                dm=_RecordingDm(),
                reload_packs=lambda: _load(packs.dirs),
                parse_key=_recorded_key,
                usage_report=_no_report,
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
                if event.kind == "start":
                    before = packs.dirs
                    run = packs.for_start(event)
                    if packs.dirs != before:
                        # Restarted with other packs: everyone left at the shutdown, so
                        # swapping them in is what the new run's fresh world amounts to.
                        hub.world.apply_templates(run)
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


def _accounts(events: Sequence[RecordedEvent]) -> list[CreateAccount]:
    """An account (no password) for each character brought in by ``events``, once."""
    made: dict[str, CreateAccount] = {}
    for event in events:
        who = event.data.get("who")
        if event.kind == "enter" and isinstance(who, str) and who not in made:
            name = str(event.data.get("name") or who)
            made[who] = CreateAccount(name, who, "", bool(event.data.get("admin")), event.ts)
    return list(made.values())


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


def replay_main(source: str, content: Sequence[str] | None = None) -> int:
    """CLI entry: prints a verdict; 0 when identical, 1 on a difference, a recording it
    cannot replay (the reason is printed before anything is replayed) or bad input."""
    try:
        events = asyncio.run(load_events(source))
        result = asyncio.run(replay(events, content))
    except ValueError as exc:
        print(f"mud replay: {exc}", file=sys.stderr)
        return 1
    if result.ok:
        print(f"replay OK: {result.events} events reproduced identically")
        return 0
    print(f"replay FAILED after {result.events} events:\n{result.first}")
    return 1
