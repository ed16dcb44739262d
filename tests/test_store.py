"""Tests for mud.store, against both backends: a real SQLite file in tmp_path and a real
PostgreSQL schema in the session's throwaway cluster (the ``target`` fixture), each with
a real writer task."""

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

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pgcluster import PgCluster, free_port
from storetarget import PgTarget, SqliteTarget, StoreTarget

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
    MarkLine,
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
from mud.core.ports import DmStore, HubStore
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
from mud.store import (
    SCHEMA_VERSION,
    Store,
    StoreConflict,
    StoreError,
    StoreSettings,
    open_store,
)
from mud.store.common import SqlStore, statement_runs
from mud.store.db import op_statement, utc_day_hour
from mud.store.dialect import (
    POSTGRES_MIGRATIONS,
    TABLES,
    backend_of,
    dollar_params,
    postgres_ddl,
    redact,
    sqlite_path,
)
from mud.store.schema import MIGRATIONS, existing_refusal, newer_refusal

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
async def store(target: StoreTarget) -> AsyncIterator[SqlStore]:
    s = await target.open()
    try:
        yield s
    finally:
        await s.close()


# -- opening, migrations, refusal -----------------------------------------------------


async def test_migrates_empty_file_and_uses_wal(db_path: Path) -> None:
    s = await Store.open(db_path, clock=FakeClock())
    hub_port: HubStore = s  # structural checks against the ports' Protocols (mypy)
    dm_port: DmStore = s
    assert hub_port is dm_port
    assert await s.count_accounts() == 0
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


async def test_reopen_keeps_data_and_does_not_remigrate(target: StoreTarget) -> None:
    s = await target.open()
    await s.apply([account("Alice", admin=True), PutWorld("rng", "[1, 2]", T0)])
    await s.close()
    s2 = await target.open()
    try:
        assert await s2.get_account("alice") == Account(
            "Alice", "alice", "scrypt$hash-of-Alice", True, T0
        )
        assert await s2.load_world() == {"rng": "[1, 2]"}
    finally:
        await s2.close()


async def test_newer_schema_is_refused(target: StoreTarget) -> None:
    await (await target.open()).close()
    await target.set_version(SCHEMA_VERSION + 41)
    with pytest.raises(StoreError) as info:
        await target.open()
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


async def test_accounts_passwords_admins(store: SqlStore) -> None:
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


async def test_character_put_replaces(store: SqlStore) -> None:
    await store.apply([account("Alice")])
    assert await store.get_character("alice") is None
    await store.apply([PutCharacter("alice", '{"hp": 10}', T0)])
    await store.apply([PutCharacter("alice", '{"hp": 7}', T0 + 1)])
    assert await store.get_character("alice") == '{"hp": 7}'


async def test_character_without_account_is_a_conflict(store: SqlStore) -> None:
    with pytest.raises(StoreConflict, match="PutCharacter"):
        await store.apply([PutCharacter("ghost", "{}", T0)])


async def test_ssh_keys_add_find_remove(store: SqlStore) -> None:
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


async def test_world_put_and_delete(store: SqlStore) -> None:
    await store.apply([PutWorld("room:a", '{"items": []}', T0), PutWorld("rng", "[3]", T0)])
    await store.apply([PutWorld("room:a", '{"items": ["x"]}', T0 + 1), DeleteWorld("rng")])
    assert await store.load_world() == {"room:a": '{"items": ["x"]}'}
    assert await store.get_world("room:a") == '{"items": ["x"]}'
    assert await store.get_world("rng") is None


async def test_party_put_replace_delete_and_load(store: SqlStore) -> None:
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


async def test_a_store_of_the_last_schema_keeps_its_parties_and_takes_haggles(
    target: StoreTarget,
) -> None:
    # Schema 5 made the party table anew to keep haggles (a CHECK cannot be altered in
    # SQLite): a database of schema 4 keeps its rows through the upgrade.
    await (await target.open()).close()
    old = MIGRATIONS[2][0]  # schema 3's party table, which had no 'haggled'
    await target.execute("DROP TABLE party")
    await target.execute(postgres_ddl(old) if target.kind == "postgresql" else old)
    await target.execute(
        "INSERT INTO party (kind, key, value, updated) VALUES ('group', 'bob', '\"alice\"', 1.5)"
    )
    await target.set_version(SCHEMA_VERSION - 1)
    store = await target.open()
    try:
        await store.apply([PutParty("haggled", "bob|greeb", '"10|7"', T0)])
        assert await store.load_party() == [
            ("group", "bob", '"alice"'),
            ("haggled", "bob|greeb", '"10|7"'),
        ]
    finally:
        await store.close()
    assert {t for (t,) in await target.query(_TABLES[target.kind])} >= {"party"}
    assert not {t for (t,) in await target.query(_TABLES[target.kind])} & {"party_v5"}
    # What ``mud migrate`` copies: the table under its own name, once.
    assert TABLES.count("party") == 1 and "party_v5" not in TABLES


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


async def test_party_refuses_an_unknown_table(store: SqlStore) -> None:
    # SQLite says "CHECK constraint failed", PostgreSQL "violates check constraint"
    with pytest.raises(StoreConflict, match=r"(?i)check"):
        await store.apply([PutParty("friends", "bob", '"alice"', T0)])
    assert await store.load_party() == []


async def test_chat_log_recent_by_room_oldest_first(store: SqlStore) -> None:
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


async def test_player_reports_are_the_bug_typo_and_idea_lines_oldest_first(
    store: SqlStore,
) -> None:
    kinds = ["say", "bug", "tell", "typo", "ooc", "idea", "bug"]
    await store.apply(
        [
            LogChat(T0 + i, "tavern", kind, "ann", None, f"{kind} {i}")
            for i, kind in enumerate(kinds)
        ]
    )
    assert [c.text for c in await store.player_reports(10)] == [
        "bug 1",
        "typo 3",
        "idea 5",
        "bug 6",
    ]
    assert [c.text for c in await store.player_reports(2)] == ["idea 5", "bug 6"]
    assert await store.player_reports(0) == []


async def test_narrations(store: SqlStore) -> None:
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


async def test_history_trim_and_summary(store: SqlStore) -> None:
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


async def test_history_role_is_checked(store: SqlStore) -> None:
    with pytest.raises(StoreConflict, match="AppendHistory"):
        await store.apply([AppendHistory("tavern", T0, "system", "nope")])


async def test_usage_rows_and_totals(store: SqlStore) -> None:
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
        prompt_read=100,  # the provider did not say: the whole prompt counts as read
    )
    assert (rows[1].day, rows[1].hour, rows[2].actor) == ("2024-03-02", 0, None)
    assert [r.ts for r in await store.usage_rows(since_ts=day2)] == [day2, day2]
    assert await store.usage_totals() == UsageTotals(111, 57, 0.875, 3)
    assert await store.usage_totals(day="2024-03-02") == UsageTotals(11, 7, 0.625, 2)
    assert await store.usage_totals(actor="alice") == UsageTotals(110, 55, 0.75, 2)
    assert await store.usage_totals(day="2024-03-02", actor="alice") == UsageTotals(10, 5, 0.5, 1)
    assert await store.usage_totals(day="1999-01-01") == UsageTotals(0, 0, 0.0, 0)


async def test_budget_dm_calls_rolls_events(store: SqlStore) -> None:
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
        MarkLine("mira", 7, 3, T0),
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
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="mud.store")
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


async def test_failing_batch_fails_alone(store: SqlStore) -> None:
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


async def test_a_run_of_one_statement_keeps_order_and_fails_as_one_batch(store: SqlStore) -> None:
    """Neighbouring ops of one statement go to the driver together (one call for a
    batch of event-log rows): the order inside the run still holds, and an op failing
    in the middle of a run fails its whole batch, named by its type, and nothing else."""
    await store.apply([account("Alice")])
    await store.apply(
        [
            PutWorld("k", "1", T0),
            PutWorld("k", "2", T0),  # the same key twice in one run: the later wins
            PutWorld("j", "1", T0),
            DeleteWorld("k"),
            PutWorld("k", "3", T0),
            # One seq for all: events() orders them by insertion alone.
            *[LogEvent(T0, 7, "line", f'{{"n": {i}}}') for i in range(100)],
        ]
    )
    assert await store.load_world() == {"k": "3", "j": "1"}
    assert [json.loads(e.data)["n"] for e in await store.events()] == list(range(100))
    results = await asyncio.gather(
        store.apply([account("Carol"), account("Dave"), account("Alice"), account("Erin")]),
        store.apply([account("Frank"), account("Grace")]),
        return_exceptions=True,
    )
    assert isinstance(results[0], StoreConflict) and "CreateAccount" in str(results[0])
    assert results[1] is None
    assert await store.count_accounts() == 3  # Alice, Frank and Grace


def test_statement_runs_join_only_neighbours() -> None:
    ops = [
        LogEvent(T0, 1, "a", "{}"),
        LogEvent(T0, 2, "a", "{}"),
        PutWorld("k", "1", T0),
        LogEvent(T0, 3, "a", "{}"),
    ]
    runs = statement_runs(ops)
    assert [(len(rows), first) for _sql, rows, first in runs] == [
        (2, ops[0]),
        (1, ops[2]),
        (1, ops[3]),
    ]
    assert [row for _sql, rows, _first in runs for row in rows] == [
        op_statement(op)[1] for op in ops
    ]
    assert runs[0][0] == runs[2][0] == op_statement(ops[0])[0]


async def test_close_drains_pending_writes(target: StoreTarget) -> None:
    s = await target.open()
    tasks = [asyncio.create_task(s.apply([PutWorld(f"k{i}", str(i), T0)])) for i in range(50)]
    await asyncio.sleep(0)  # let them queue
    await s.close()
    await asyncio.gather(*tasks)
    await s.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        await s.apply([PutWorld("late", "1", T0)])
    with pytest.raises(StoreError, match="closed"):
        await s.load_world()
    s2 = await target.open()
    try:
        assert len(await s2.load_world()) == 50
    finally:
        await s2.close()


async def test_locked_database_fails_the_transaction_then_recovers(target: StoreTarget) -> None:
    # The lock is held from another connection (another process would behave the same).
    s = await target.open(settings=StoreSettings(busy_timeout_ms=50))
    try:
        async with target.locked():
            with pytest.raises(StoreError, match=target.lock_failure):
                await s.apply([PutWorld("k", "1", T0)])
        await s.apply([PutWorld("k", "2", T0)])
        assert await s.load_world() == {"k": "2"}
    finally:
        await s.close()


async def test_full_queue_times_out_enqueue(target: StoreTarget) -> None:
    cfg = StoreSettings(
        queue_size=1, max_ops_per_txn=1, enqueue_timeout=0.1, busy_timeout_ms=10_000
    )
    s = await target.open(settings=cfg)
    try:
        async with target.locked():
            # The writer holds at most one batch (stuck on the lock), the queue one more.
            first = asyncio.create_task(s.apply([PutWorld("a", "1", T0)]))
            second = asyncio.create_task(s.apply([PutWorld("b", "1", T0)]))
            await asyncio.sleep(0)
            with pytest.raises(StoreError, match="queue stayed full"):
                await s.apply([PutWorld("c", "1", T0)])
        async with asyncio.timeout(5):
            await asyncio.gather(first, second)
        assert await s.load_world() == {"a": "1", "b": "1"}
    finally:
        await s.close()


async def test_close_deadline_fails_stuck_writes(target: StoreTarget) -> None:
    cfg = StoreSettings(close_timeout=0.1, busy_timeout_ms=400)
    s = await target.open(settings=cfg)
    async with target.locked():
        pending = asyncio.create_task(s.apply([PutWorld("a", "1", T0)]))
        await asyncio.sleep(0)
        async with asyncio.timeout(5):
            await s.close()
        with pytest.raises(StoreError):
            await pending


# -- durability across SIGKILL ---------------------------------------------------------

_CHILD = """
import asyncio, sys
from mud.core.clock import SystemClock
from mud.core.ops import CreateAccount, PutCharacter, PutWorld
from mud.store import open_store

async def main() -> None:
    store = await open_store(sys.argv[1], clock=SystemClock())
    await store.apply([CreateAccount("Kay", "kay", "scrypt$x", False, 1.0)])
    await store.apply([PutCharacter("kay", '{"hp": 3}', 2.0), PutWorld("w", "[9]", 2.0)])
    print("ok", flush=True)
    await asyncio.sleep(60)  # killed long before this ends

asyncio.run(main())
"""


async def test_committed_writes_survive_sigkill(target: StoreTarget) -> None:
    env = {**os.environ, "PYTHONPATH": str(_ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _CHILD,
        target.db,
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
    s = await target.open()
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


# PostgreSQL's text cannot hold NUL (U+0000); SQLite's can. The game never stores one
# (player and model text is sanitised first); test_pg_refuses_nul_as_a_store_error.
_NO_NUL = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_any_text_round_trips(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    backend: str,
    data: st.DataObject,
) -> None:
    if backend == "sqlite":
        texts = data.draw(st.lists(st.text(max_size=200), min_size=1, max_size=8))
        db = str(tmp_path_factory.mktemp("prop") / "mud.db")
    else:
        texts = data.draw(st.lists(_NO_NUL, min_size=1, max_size=8))
        db = request.getfixturevalue("pg_cluster").new_url_sync()

    async def run() -> list[str]:
        s = await open_store(db, clock=FakeClock())
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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(max_examples=12, deadline=None)
@given(stamps=st.lists(st.floats(min_value=0, max_value=4_102_444_800), min_size=1, max_size=6))
def test_timestamps_round_trip_bit_for_bit(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    backend: str,
    stamps: list[float],
) -> None:
    # Wall-clock seconds are 8-byte floats in both dialects: nothing is rounded (a
    # timestamptz would keep microseconds, a PostgreSQL REAL 24 bits).
    if backend == "sqlite":
        db = str(tmp_path_factory.mktemp("ts") / "mud.db")
    else:
        db = request.getfixturevalue("pg_cluster").new_url_sync()

    async def run() -> tuple[list[float], list[float]]:
        s = await open_store(db, clock=FakeClock())
        try:
            await s.apply([LogChat(ts, "r", "say", "p", None, "x") for ts in stamps])
            await s.apply([LogEvent(ts, i, "k", "{}") for i, ts in enumerate(stamps, 1)])
            chat = [c.ts for c in await s.recent_chat(len(stamps))]
            events = [e.ts for e in await s.events()]
        finally:
            await s.close()
        return chat, events

    chat, events = asyncio.run(run())
    assert chat == stamps and events == stamps


# -- what differs between the backends ----------------------------------------------------


async def test_open_existing_reads_refuses_writes_and_unknown_databases(
    target: StoreTarget,
) -> None:
    with pytest.raises(StoreError, match=r"not a mud database|no such file"):
        await target.open_existing()
    s = await target.open()
    await s.apply([account("Alice")])
    await s.close()
    ro = await target.open_existing()
    try:
        assert await ro.count_accounts() == 1
        with pytest.raises(StoreError):
            await ro.apply([account("Bob")])
    finally:
        await ro.close()
    rw = await target.open_existing(writable=True)
    try:
        await rw.apply([account("Bob")])
        assert await rw.count_accounts() == 2
    finally:
        await rw.close()


async def test_pg_schema_matches_sqlite_column_for_column(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    sqlite_target = SqliteTarget(tmp_path / "mud.db")
    pg_target = PgTarget(pg_cluster, await pg_cluster.new_url())
    for t in (sqlite_target, pg_target):
        await (await t.open()).close()
    same = {"TEXT": "text", "INTEGER": "bigint", "REAL": "double precision"}
    lite: dict[str, list[tuple[str, str, bool]]] = {}
    for (table,) in await sqlite_target.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ):
        cols = await sqlite_target.query(f"PRAGMA table_info({table})")
        lite[str(table)] = [(str(c[1]), same[str(c[2])], bool(c[3] or c[5])) for c in cols]
    pg: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, kind, nullable in await pg_target.query(
        "SELECT table_name, column_name, data_type, is_nullable"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name <> 'mud_schema' ORDER BY table_name, ordinal_position"
    ):
        pg.setdefault(str(table), []).append((str(column), str(kind), nullable == "NO"))
    assert lite == pg
    assert len(pg) >= 17
    # rowid tables have identity ids; the version is recorded
    identities = await pg_target.query(
        "SELECT table_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND is_identity = 'YES' ORDER BY table_name"
    )
    assert {"chat_log", "event_log", "bans", "health"} <= {str(r[0]) for r in identities}
    assert await pg_target.query("SELECT version FROM mud_schema") == [(SCHEMA_VERSION,)]
    # indexes, partial ones included, exist in both
    lite_indexes = {
        str(r[0])
        for r in await sqlite_target.query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    pg_indexes = {
        str(r[0])
        for r in await pg_target.query(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        )
    }
    assert lite_indexes and lite_indexes <= pg_indexes


async def test_pg_refuses_nul_as_a_store_error(pg_cluster: PgCluster) -> None:
    s = await open_store(await pg_cluster.new_url(), clock=FakeClock())
    try:
        with pytest.raises(StoreError, match="LogChat"):
            await s.apply([LogChat(T0, "r", "say", "p", None, "a\x00b")])
        await s.apply([LogChat(T0, "r", "say", "p", None, "ab")])
        assert [c.text for c in await s.recent_chat(5)] == ["ab"]
    finally:
        await s.close()


async def test_pg_unreachable_server_is_named_without_its_password() -> None:
    url = f"postgresql://mud:s3cret@127.0.0.1:{free_port()}/mud"
    with pytest.raises(StoreError) as info:
        await open_store(url, clock=FakeClock())
    assert "127.0.0.1" in str(info.value) and "s3cret" not in str(info.value)
    assert "***" in str(info.value)


async def test_pg_writer_reconnects_after_its_connection_is_killed(
    pg_cluster: PgCluster,
) -> None:
    url = await pg_cluster.new_url()
    s = await open_store(url, clock=FakeClock())
    admin = await asyncpg.connect(pg_cluster.admin_url)
    try:
        await s.apply([PutWorld("a", "1", T0)])
        for round_ in range(6):
            # Kill every connection of the store, as a database restart would, and
            # write at once (asyncpg may not have seen the connection go yet).
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'mud'"
            )
            # reads go on at once: a dead read connection is replaced and the read
            # retried (a read changes nothing, so trying it twice is safe)
            assert (await s.load_world())["a"] == "1"
            outcome: list[str] = []
            for i in range(3):
                try:
                    await s.apply([PutWorld(f"k{round_}.{i}", "1", T0)])
                    outcome.append("ok")
                except StoreError:
                    outcome.append("failed")
            # a group that met the dead connection fails; a later one reconnects
            assert outcome[-1] == "ok", (round_, outcome)
            world = await s.load_world()
            for i, result in enumerate(outcome):
                assert (f"k{round_}.{i}" in world) == (result == "ok")
        assert (await s.load_world())["a"] == "1"
    finally:
        await admin.close()
        await s.close()


def test_database_urls_choose_the_backend() -> None:
    assert backend_of("postgresql://u@h/db") == "postgresql"
    assert backend_of("postgres://u@h/db") == "postgresql"
    assert backend_of("sqlite:///var/lib/mud/mud.db") == "sqlite"
    assert backend_of("mud.db") == "sqlite"
    assert sqlite_path("sqlite:///var/lib/mud/mud.db") == "/var/lib/mud/mud.db"
    assert sqlite_path("sqlite:////var/lib/mud/mud.db") == "/var/lib/mud/mud.db"
    assert sqlite_path("sqlite://state/mud.db") == "state/mud.db"
    assert sqlite_path("state/mud.db") == "state/mud.db"
    assert redact("postgresql://mud:pw@db.example:5433/w?x=1") == (
        "postgresql://mud:***@db.example:5433/w?x=1"
    )
    assert redact("postgresql://mud@db/w") == "postgresql://mud@db/w"


def test_placeholders_are_numbered_outside_quotes() -> None:
    assert dollar_params("SELECT ? , '?', \"a?\" FROM t WHERE x = ? AND y = ?") == (
        "SELECT $1 , '?', \"a?\" FROM t WHERE x = $2 AND y = $3"
    )
    with pytest.raises(ValueError):
        dollar_params("SELECT 'oops")
    for op_sql in (op_statement(account("A"))[0], op_statement(RollupUsage(1, T0))[0]):
        assert "?" not in dollar_params(op_sql)


def test_postgres_ddl_keeps_everything_but_the_types() -> None:
    assert postgres_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY, ts REAL NOT NULL, n INTEGER)") == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
        " ts DOUBLE PRECISION NOT NULL, n BIGINT)"
    )
    assert len(POSTGRES_MIGRATIONS) == len(MIGRATIONS) == SCHEMA_VERSION


async def test_usage_rows_keep_how_much_of_the_prompt_was_read_anew(store: SqlStore) -> None:
    # A local model that reuses its prefix cache reads only part of each prompt
    # (llama.cpp's timings.prompt_n); retention's hourly rollup keeps the sum.
    ts = datetime(2024, 3, 1, 10, 5, tzinfo=UTC).timestamp()
    await store.apply(
        [
            RecordUsage(
                ts, "alice", "tavern", "local", "smollm2", "action", 900, 40, False, 0.0, 120
            ),
            RecordUsage(
                ts + 1, "alice", "tavern", "local", "smollm2", "action", 950, 40, False, 0.0, 80
            ),
            RecordUsage(ts + 2, "bob", "tavern", "openai", "gpt-x", "action", 500, 40, False, 0.1),
        ]
    )
    assert [r.prompt_read for r in await store.usage_rows()] == [120, 80, 500]
    pruned = await store.prune("token_usage", before=ts + 3600, batch=100)
    assert pruned == 3
    rolled = await store.usage_rows()
    assert sorted((r.provider, r.prompt_tokens, r.prompt_read, r.calls) for r in rolled) == [
        ("local", 1850, 200, 2),
        ("openai", 500, 500, 1),
    ]


def test_tools_refuse_a_database_at_another_schema_version() -> None:
    # One verdict for both backends (SQLite's and PostgreSQL's tool openers ask it).
    assert existing_refusal("x.db", SCHEMA_VERSION) is None
    assert existing_refusal("x.db", 0) == "x.db is not a mud database (no mud tables in it)"
    newer = existing_refusal("x.db", SCHEMA_VERSION + 1)
    assert newer is not None and "newer than this mud" in newer and "upgrade mud" in newer
    older = existing_refusal("x.db", SCHEMA_VERSION - 1)
    assert older is not None and "run `mud serve` on it once" in older
    assert newer_refusal(SCHEMA_VERSION) is None and newer_refusal(SCHEMA_VERSION - 1) is None
    assert "newer than this server" in (newer_refusal(SCHEMA_VERSION + 1) or "")
