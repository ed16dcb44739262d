"""Tests for mud.store: real SQLite files in tmp_path, a real writer task."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.clock import FakeClock
from mud.core.ops import (
    AddBan,
    AddSshKey,
    AppendHistory,
    CreateAccount,
    DeleteParty,
    DeleteWorld,
    LiftBan,
    LogAudit,
    LogChat,
    LogEvent,
    LogNarration,
    LogRoll,
    PruneLog,
    PutBudget,
    PutCharacter,
    PutParty,
    PutSummary,
    PutWorld,
    RecordDmCall,
    RecordUsage,
    RemoveSshKey,
    RollupUsage,
    SetAdmin,
    SetPassword,
    TouchHealth,
    TrimHistory,
    WriteOp,
)
from mud.core.ports import StorePort
from mud.core.records import (
    Account,
    ChatLine,
    EventRecord,
    HistoryEntry,
    NarrationRecord,
    RollRecord,
    SshKey,
    UsageRow,
    UsageTotals,
)
from mud.store import SCHEMA_VERSION, Store, StoreConflict, StoreError, StoreSettings
from mud.store.db import op_statement, utc_day_hour

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z
_ROOT = Path(__file__).resolve().parents[1]


def account(name: str, *, admin: bool = False, created: float = T0) -> CreateAccount:
    return CreateAccount(
        name=name,
        name_key=name.lower(),
        pw_hash=f"scrypt$hash-of-{name}",
        is_admin=admin,
        created=created,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mud.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(db_path, clock=FakeClock())
    try:
        yield s
    finally:
        await s.close()


# -- opening, migrations, refusal -----------------------------------------------------


async def test_migrates_empty_file_and_uses_wal(db_path: Path) -> None:
    s = await Store.open(db_path, clock=FakeClock())
    port: StorePort = s  # structural check against the Protocol (mypy)
    assert await port.count_accounts() == 0
    await s.close()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    raw.close()
    assert {
        "accounts",
        "characters",
        "ssh_keys",
        "world_state",
        "chat_log",
        "narration_log",
        "dm_history",
        "dm_summary",
        "token_usage",
        "budget_state",
        "dm_calls",
        "rolls",
        "event_log",
    } <= tables


async def test_reopen_keeps_data_and_does_not_remigrate(db_path: Path) -> None:
    s = await Store.open(db_path, clock=FakeClock())
    await s.apply([account("Alice", admin=True), PutWorld("rng", "[1, 2]", T0)])
    await s.close()
    s2 = await Store.open(db_path, clock=FakeClock())
    try:
        assert await s2.get_account("alice") == Account(
            "Alice", "alice", "scrypt$hash-of-Alice", True, T0
        )
        assert await s2.load_world() == {"rng": "[1, 2]"}
    finally:
        await s2.close()


async def test_newer_schema_is_refused(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 41}")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as info:
        await Store.open(db_path, clock=FakeClock())
    assert str(info.value) == (
        f"database schema version {SCHEMA_VERSION + 41} is newer than this server"
        f" ({SCHEMA_VERSION}); upgrade mud"
    )


@pytest.fixture
def corrupt_db(db_path: Path) -> Path:
    db_path.write_bytes(os.urandom(8192))
    return db_path


async def test_corrupt_file_is_refused_naming_the_path(corrupt_db: Path) -> None:
    db_path = corrupt_db
    with pytest.raises(StoreError, match="not a readable mud database") as info:
        await Store.open(db_path, clock=FakeClock())
    assert str(db_path) in str(info.value)


async def test_unopenable_path_names_the_path(tmp_path: Path) -> None:
    bad = tmp_path / "no-such-dir" / "mud.db"
    with pytest.raises(StoreError) as info:
        await Store.open(bad, clock=FakeClock())
    assert str(bad) in str(info.value)


# -- each op round-trips through its read ---------------------------------------------


async def test_accounts_passwords_admins(store: Store) -> None:
    await store.apply([account("Alice"), account("bob")])
    assert await store.count_accounts() == 2
    assert await store.list_admins() == []
    await store.apply([SetAdmin("bob", True), SetPassword("alice", "scrypt$new")])
    assert await store.list_admins() == ["bob"]
    alice = await store.get_account("alice")
    assert alice is not None and alice.pw_hash == "scrypt$new" and not alice.is_admin
    await store.apply([SetAdmin("bob", False)])
    assert await store.list_admins() == []
    assert await store.get_account("carol") is None


async def test_character_put_replaces(store: Store) -> None:
    await store.apply([account("Alice")])
    assert await store.get_character("alice") is None
    await store.apply([PutCharacter("alice", '{"hp": 10}', T0)])
    await store.apply([PutCharacter("alice", '{"hp": 7}', T0 + 1)])
    assert await store.get_character("alice") == '{"hp": 7}'


async def test_character_without_account_is_a_conflict(store: Store) -> None:
    with pytest.raises(StoreConflict, match="PutCharacter"):
        await store.apply([PutCharacter("ghost", "{}", T0)])


async def test_ssh_keys_add_find_remove(store: Store) -> None:
    await store.apply([account("Alice"), account("Bob")])
    await store.apply(
        [
            AddSshKey("alice", "SHA256:aa", "ssh-ed25519 AAAA alice", T0),
            AddSshKey("alice", "SHA256:bb", "ssh-ed25519 BBBB alice2", T0 + 5),
            AddSshKey("bob", "SHA256:aa", "ssh-ed25519 AAAA alice", T0 + 9),
        ]
    )
    assert await store.list_ssh_keys("alice") == [
        SshKey("alice", "SHA256:aa", "ssh-ed25519 AAAA alice", T0),
        SshKey("alice", "SHA256:bb", "ssh-ed25519 BBBB alice2", T0 + 5),
    ]
    assert await store.find_ssh_key("SHA256:aa") == ["alice", "bob"]
    await store.apply([RemoveSshKey("alice", "SHA256:aa")])
    assert await store.find_ssh_key("SHA256:aa") == ["bob"]
    assert [k.fingerprint for k in await store.list_ssh_keys("alice")] == ["SHA256:bb"]


async def test_world_put_and_delete(store: Store) -> None:
    await store.apply([PutWorld("room:a", '{"items": []}', T0), PutWorld("rng", "[3]", T0)])
    await store.apply([PutWorld("room:a", '{"items": ["x"]}', T0 + 1), DeleteWorld("rng")])
    assert await store.load_world() == {"room:a": '{"items": ["x"]}'}


async def test_party_put_replace_delete_and_load(store: Store) -> None:
    await store.apply(
        [
            PutParty("group", "alice", '"alice"', T0),
            PutParty("group", "bob", '"alice"', T0),
            PutParty("following", "bob", '"alice"', T0),
            PutParty("turn", "alice+bob", "1", T0),
        ]
    )
    await store.apply([PutParty("turn", "alice+bob", "0", T0 + 1), DeleteParty("following", "bob")])
    assert await store.load_party() == [
        ("group", "alice", '"alice"'),
        ("group", "bob", '"alice"'),
        ("turn", "alice+bob", "0"),
    ]


async def test_party_refuses_an_unknown_table(store: Store) -> None:
    with pytest.raises(StoreConflict, match="CHECK"):
        await store.apply([PutParty("friends", "bob", '"alice"', T0)])
    assert await store.load_party() == []


async def test_chat_log_recent_by_room_oldest_first(store: Store) -> None:
    lines = [
        LogChat(T0 + i, "tavern" if i % 2 == 0 else "road", "say", f"p{i}", None, f"line {i}")
        for i in range(10)
    ]
    await store.apply([*lines, LogChat(T0 + 20, "road", "tell", "a", "b", "psst")])
    assert await store.recent_chat(3, room="tavern") == [
        ChatLine(T0 + i, "tavern", "say", f"p{i}", None, f"line {i}") for i in (4, 6, 8)
    ]
    everything = await store.recent_chat(2)
    assert [c.text for c in everything] == ["line 9", "psst"]
    assert everything[-1].target == "b"
    assert await store.recent_chat(0) == []


async def test_narrations(store: Store) -> None:
    await store.apply(
        [
            LogNarration(T0, 1, "tavern", "alice", "action", "openai", False, False, "One."),
            LogNarration(T0 + 1, 2, "tavern", None, "ambient", "offline", True, True, "Two."),
            LogNarration(T0 + 2, 3, "road", "bob", "talk", "local", False, True, "Three."),
        ]
    )
    assert await store.narrations(2) == [
        NarrationRecord(T0 + 1, 2, "tavern", None, "ambient", "offline", True, True, "Two."),
        NarrationRecord(T0 + 2, 3, "road", "bob", "talk", "local", False, True, "Three."),
    ]


async def test_history_trim_and_summary(store: Store) -> None:
    ops: list[WriteOp] = [
        AppendHistory("tavern", T0 + i, "user" if i % 2 == 0 else "assistant", f"turn {i}")
        for i in range(6)
    ]
    ops.append(AppendHistory("road", T0, "user", "elsewhere"))
    await store.apply(ops)
    assert [h.content for h in await store.history("tavern", 2)] == ["turn 4", "turn 5"]
    await store.apply([TrimHistory("tavern", 3)])
    assert await store.history("tavern", 10) == [
        HistoryEntry(T0 + 3, "assistant", "turn 3"),
        HistoryEntry(T0 + 4, "user", "turn 4"),
        HistoryEntry(T0 + 5, "assistant", "turn 5"),
    ]
    assert [h.content for h in await store.history("road", 10)] == ["elsewhere"]
    await store.apply([TrimHistory("tavern", 0)])
    assert await store.history("tavern", 10) == []
    assert await store.summary("tavern") is None
    await store.apply([PutSummary("tavern", "A brawl.", T0), PutSummary("tavern", "Calm.", T0)])
    assert await store.summary("tavern") == "Calm."


async def test_history_role_is_checked(store: Store) -> None:
    with pytest.raises(StoreConflict, match="AppendHistory"):
        await store.apply([AppendHistory("tavern", T0, "system", "nope")])


async def test_usage_rows_and_totals(store: Store) -> None:
    day1 = datetime(2024, 3, 1, 23, 30, tzinfo=UTC).timestamp()
    day2 = datetime(2024, 3, 2, 0, 15, tzinfo=UTC).timestamp()

    def usage(ts: float, actor: str | None, p: int, c: int, cost: float) -> RecordUsage:
        return RecordUsage(ts, actor, "tavern", "openai", "gpt-x", "action", p, c, False, cost)

    await store.apply(
        [
            usage(day1, "alice", 100, 50, 0.25),
            usage(day2, "alice", 10, 5, 0.5),
            usage(day2, None, 1, 2, 0.125),
        ]
    )
    rows = await store.usage_rows()
    assert rows[0] == UsageRow(
        day1,
        "2024-03-01",
        23,
        "alice",
        "tavern",
        "openai",
        "gpt-x",
        "action",
        100,
        50,
        False,
        0.25,
    )
    assert (rows[1].day, rows[1].hour, rows[2].actor) == ("2024-03-02", 0, None)
    assert [r.ts for r in await store.usage_rows(since_ts=day2)] == [day2, day2]
    assert await store.usage_totals() == UsageTotals(111, 57, 0.875, 3)
    assert await store.usage_totals(day="2024-03-02") == UsageTotals(11, 7, 0.625, 2)
    assert await store.usage_totals(actor="alice") == UsageTotals(110, 55, 0.75, 2)
    assert await store.usage_totals(day="2024-03-02", actor="alice") == UsageTotals(10, 5, 0.5, 1)
    assert await store.usage_totals(day="1999-01-01") == UsageTotals(0, 0, 0.0, 0)


async def test_budget_dm_calls_rolls_events(store: Store) -> None:
    await store.apply([PutBudget("daily", '{"spent": 0.1}', T0)])
    await store.apply([PutBudget("daily", '{"spent": 0.2}', T0 + 1)])
    assert await store.get_budget("daily") == '{"spent": 0.2}'
    assert await store.get_budget("nope") is None

    record = json.dumps({"request": {"kind": "action"}, "chunks": [["Hi", 0.1]]})
    await store.apply([RecordDmCall(T0, 7, record), RecordDmCall(T0 + 1, 8, "{}")])
    calls = await store.dm_calls()
    assert [(c.request_id, c.record) for c in calls] == [(7, record), (8, "{}")]
    assert [c.request_id for c in await store.dm_calls(since_id=calls[0].id)] == [8]

    await store.apply(
        [LogRoll(T0, seq, "attack", "1d20+3", json.dumps([seq]), seq + 3) for seq in (1, 2, 3)]
    )
    assert await store.rolls(since_seq=1) == [
        RollRecord(T0, 2, "attack", "1d20+3", "[2]", 5),
        RollRecord(T0, 3, "attack", "1d20+3", "[3]", 6),
    ]
    await store.apply([LogEvent(T0, 1, "line", '{"t": "look"}'), LogEvent(T0, 2, "quit", "{}")])
    assert await store.events() == [
        EventRecord(T0, 1, "line", '{"t": "look"}'),
        EventRecord(T0, 2, "quit", "{}"),
    ]
    assert await store.events(since_seq=2) == []


def test_op_statement_covers_every_op() -> None:
    # Every member of the WriteOp union has a statement whose placeholders match its params.
    samples: list[WriteOp] = [
        account("A"),
        SetPassword("a", "h"),
        SetAdmin("a", True),
        PutCharacter("a", "{}", T0),
        AddSshKey("a", "f", "k", T0),
        RemoveSshKey("a", "f"),
        PutWorld("k", "1", T0),
        DeleteWorld("k"),
        PutParty("group", "bob", '"alice"', T0),
        DeleteParty("group", "bob"),
        LogChat(T0, "r", "say", "a", None, "t"),
        LogNarration(T0, 1, "r", "a", "action", "p", False, False, "t"),
        AppendHistory("r", T0, "user", "c"),
        TrimHistory("r", 2),
        PutSummary("r", "t", T0),
        RecordUsage(T0, "a", "r", "p", "m", "k", 1, 2, True, 0.0),
        PutBudget("k", "1", T0),
        RecordDmCall(T0, 1, "{}"),
        LogRoll(T0, 1, "r", "1d6", "[1]", 1),
        LogEvent(T0, 1, "k", "{}"),
        AddBan("addr", "10.0.0.0/8", "spam", "ann", T0, None),
        LiftBan("name", "bob", T0),
        LogAudit(T0, "ann", "kick", "bob", "rude"),
        PruneLog("chat_log", 10, T0),
        RollupUsage(10, T0),
        TouchHealth(T0),
    ]
    assert {type(op) for op in samples} == set(WriteOp.__args__)
    for op in samples:
        sql, params = op_statement(op)
        assert sql.count("?") == len(params), type(op).__name__


# -- group commit, failures, close ----------------------------------------------------


async def test_two_hundred_concurrent_applies_all_commit(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="mud.store.db")
    await asyncio.gather(
        *(
            store.apply([LogChat(T0 + i, "tavern", "say", f"p{i}", None, f"msg {i}")])
            for i in range(200)
        )
    )
    lines = await store.recent_chat(1000)
    assert sorted(c.text for c in lines) == sorted(f"msg {i}" for i in range(200))
    # group commit: far fewer transactions than batches
    commits = [r for r in caplog.records if r.getMessage().startswith("store committed")]
    assert 1 <= len(commits) < 50
    # and nothing of the ops' contents reached the log
    assert not any("msg " in r.getMessage() for r in caplog.records)


async def test_failing_batch_fails_alone(store: Store) -> None:
    await store.apply([account("Alice")])
    results = await asyncio.gather(
        store.apply([PutWorld("before", "1", T0)]),
        # atomic: the world write in the failing batch must not survive
        store.apply([PutWorld("doomed", "1", T0), account("Alice")]),
        store.apply([PutWorld("after", "1", T0), account("Bob")]),
        return_exceptions=True,
    )
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], StoreConflict)
    assert "CreateAccount" in str(results[1]) and "scrypt" not in str(results[1])
    assert await store.load_world() == {"before": "1", "after": "1"}
    assert await store.count_accounts() == 2
    await store.apply([PutWorld("later", "1", T0)])  # the writer carries on
    assert "later" in await store.load_world()


async def test_close_drains_pending_writes(db_path: Path) -> None:
    s = await Store.open(db_path, clock=FakeClock())
    tasks = [asyncio.create_task(s.apply([PutWorld(f"k{i}", str(i), T0)])) for i in range(50)]
    await asyncio.sleep(0)  # let them queue
    await s.close()
    await asyncio.gather(*tasks)
    await s.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        await s.apply([PutWorld("late", "1", T0)])
    with pytest.raises(StoreError, match="closed"):
        await s.load_world()
    s2 = await Store.open(db_path, clock=FakeClock())
    try:
        assert len(await s2.load_world()) == 50
    finally:
        await s2.close()


def _lock_database(path: Path) -> sqlite3.Connection:
    """Hold the database's write lock from another connection (another process would
    behave the same)."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN EXCLUSIVE")
    return raw


async def test_locked_database_fails_the_transaction_then_recovers(db_path: Path) -> None:
    s = await Store.open(db_path, clock=FakeClock(), settings=StoreSettings(busy_timeout_ms=50))
    try:
        raw = _lock_database(db_path)
        try:
            with pytest.raises(StoreError, match="transaction failed"):
                await s.apply([PutWorld("k", "1", T0)])
        finally:
            raw.execute("ROLLBACK")
            raw.close()
        await s.apply([PutWorld("k", "2", T0)])
        assert await s.load_world() == {"k": "2"}
    finally:
        await s.close()


async def test_full_queue_times_out_enqueue(db_path: Path) -> None:
    cfg = StoreSettings(
        queue_size=1, max_ops_per_txn=1, enqueue_timeout=0.1, busy_timeout_ms=10_000
    )
    s = await Store.open(db_path, clock=FakeClock(), settings=cfg)
    try:
        raw = _lock_database(db_path)
        try:
            # The writer holds at most one batch (stuck on the lock), the queue one more.
            first = asyncio.create_task(s.apply([PutWorld("a", "1", T0)]))
            second = asyncio.create_task(s.apply([PutWorld("b", "1", T0)]))
            await asyncio.sleep(0)
            with pytest.raises(StoreError, match="queue stayed full"):
                await s.apply([PutWorld("c", "1", T0)])
        finally:
            raw.execute("ROLLBACK")
            raw.close()
        async with asyncio.timeout(5):
            await asyncio.gather(first, second)
        assert await s.load_world() == {"a": "1", "b": "1"}
    finally:
        await s.close()


async def test_close_deadline_fails_stuck_writes(db_path: Path) -> None:
    cfg = StoreSettings(close_timeout=0.1, busy_timeout_ms=400)
    s = await Store.open(db_path, clock=FakeClock(), settings=cfg)
    raw = _lock_database(db_path)
    try:
        pending = asyncio.create_task(s.apply([PutWorld("a", "1", T0)]))
        await asyncio.sleep(0)
        async with asyncio.timeout(5):
            await s.close()
        with pytest.raises(StoreError):
            await pending
    finally:
        raw.execute("ROLLBACK")
        raw.close()


# -- durability across SIGKILL ---------------------------------------------------------

_CHILD = """
import asyncio, sys
from mud.core.clock import SystemClock
from mud.core.ops import CreateAccount, PutCharacter, PutWorld
from mud.store import Store

async def main() -> None:
    store = await Store.open(sys.argv[1], clock=SystemClock())
    await store.apply([CreateAccount("Kay", "kay", "scrypt$x", False, 1.0)])
    await store.apply([PutCharacter("kay", '{"hp": 3}', 2.0), PutWorld("w", "[9]", 2.0)])
    print("ok", flush=True)
    await asyncio.sleep(60)  # killed long before this ends

asyncio.run(main())
"""


async def test_committed_writes_survive_sigkill(db_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(_ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _CHILD,
        str(db_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(20):
            line = await proc.stdout.readline()
        assert line == b"ok\n", await proc.stderr.read() if proc.stderr else b""
    finally:
        proc.kill()  # SIGKILL: no close(), no checkpoint
        await proc.wait()
    assert proc.returncode == -9
    s = await Store.open(db_path, clock=FakeClock())
    try:
        assert await s.get_character("kay") == '{"hp": 3}'
        assert await s.load_world() == {"w": "[9]"}
    finally:
        await s.close()


# -- properties -------------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False))
def test_utc_day_hour_matches_the_moment(ts: float) -> None:
    day, hour = utc_day_hour(ts)
    start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC, hour=hour).timestamp()
    assert 0 <= hour <= 23
    assert start <= ts < start + 3600


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_any_text_round_trips(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    path = tmp_path_factory.mktemp("prop") / "mud.db"

    async def run() -> list[str]:
        s = await Store.open(path, clock=FakeClock())
        try:
            await s.apply([LogChat(T0, "r", "say", "p", t, t) for t in texts])
            await s.apply([PutWorld(t, t, T0) for t in texts])
            chat = await s.recent_chat(len(texts))
            world = await s.load_world()
        finally:
            await s.close()
        assert world == {t: t for t in texts}
        assert [c.target for c in chat] == texts
        return [c.text for c in chat]

    assert asyncio.run(run()) == texts
