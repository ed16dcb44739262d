"""``mud migrate``: a whole world moves between SQLite and PostgreSQL, through the real
CLI process, and reads back identically."""

from __future__ import annotations

import json
from pathlib import Path

from pgcluster import PgCluster
from test_admin import amud

from mud.core.clock import FakeClock
from mud.core.ops import (
    AddBan,
    AddSshKey,
    AppendHistory,
    CreateAccount,
    LiftBan,
    LogAudit,
    LogChat,
    LogEvent,
    LogNarration,
    LogRoll,
    PutBudget,
    PutCharacter,
    PutParty,
    PutSummary,
    PutWorld,
    RecordDmCall,
    RecordUsage,
    TouchHealth,
    WriteOp,
)
from mud.store import SqlStore, open_store
from mud.store.dialect import TABLES

T0 = 1_700_000_000.123456789


def _world_ops() -> list[WriteOp]:
    ops: list[WriteOp] = []
    for i, name in enumerate(("Alice", "Bob", "Carol")):
        key = name.lower()
        ops += [
            CreateAccount(name, key, f"scrypt$h{i}", i == 0, T0 + i),
            PutCharacter(key, json.dumps({"room": "tavern", "hp": 10 - i}), T0 + i),
            AddSshKey(key, f"SHA256:{key}", f"ssh-ed25519 AAAA{key}", T0 + i),
        ]
    for i in range(30):
        ops += [
            LogChat(T0 + i / 7, "tavern", "say", "alice", None, f"line {i} é ✓"),
            LogEvent(T0 + i, i + 1, "line", json.dumps({"t": f"look {i}"})),
            LogRoll(T0 + i, i + 1, "attack", "1d20", json.dumps([i % 20 + 1]), i % 20 + 1),
            RecordUsage(
                T0 + 3600 * i,
                "alice" if i % 2 else None,
                "tavern",
                "openai",
                "m",
                "action",
                10 * i,
                i,
                bool(i % 3),
                0.001 * i,
            ),
        ]
    ops += [
        PutWorld("room:tavern", json.dumps({"items": ["lantern"]}), T0),
        PutWorld("rng", "[1, 2, 3]", T0),
        LogNarration(T0, 1, "tavern", "alice", "action", "offline", False, True, "The door."),
        AppendHistory("tavern", T0, "user", "look"),
        AppendHistory("tavern", T0 + 1, "assistant", "You see."),
        PutSummary("tavern", "Quiet.", T0),
        PutBudget("daily", '{"spent": 0.5}', T0),
        RecordDmCall(T0, 1, "{}"),
        AddBan("name", "mallory", "spam", "alice", T0, None),
        AddBan("addr", "10.0.0.0/8", "flood", "alice", T0, T0 + 60),
        LiftBan("name", "mallory", T0 + 5),
        LogAudit(T0, "alice", "ban", "mallory", "spam"),
        TouchHealth(T0 + 9),
        PutParty("group", "bob", '"alice"', T0),
        PutParty("turn", "alice+bob", "1", T0),
    ]
    return ops


async def _everything(store: SqlStore) -> dict[str, object]:
    """Every read of the StorePort, for comparing two stores."""
    keys = ["alice", "bob", "carol"]
    return {
        "accounts": await store.list_accounts(),
        "admins": await store.list_admins(),
        "characters": [await store.get_character(k) for k in keys],
        "keys": [await store.list_ssh_keys(k) for k in keys],
        "world": await store.load_world(),
        "party": await store.load_party(),
        "chat": await store.recent_chat(1000),
        "history": await store.history("tavern", 100),
        "summary": await store.summary("tavern"),
        "usage": await store.usage_rows(),
        "totals": await store.usage_totals(),
        "budget": await store.get_budget("daily"),
        "calls": await store.dm_calls(),
        "rolls": await store.rolls(),
        "events": await store.events(),
        "narrations": await store.narrations(100),
        "bans": await store.active_bans(T0 + 10),
        "audit": await store.audit_log(),
        "counts": await store.table_counts(),
    }


async def test_a_world_moves_to_postgresql_and_back_unchanged(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    source = tmp_path / "mud.db"
    store = await open_store(str(source), clock=FakeClock())
    try:
        await store.apply(_world_ops())
        # retention rolled some usage up already: the rollup table moves too
        assert await store.prune("token_usage", T0 + 3600 * 10, 100) == 10
        before = await _everything(store)
    finally:
        await store.close()
    counts = before["counts"]
    assert isinstance(counts, dict)
    assert all(counts[t] > 0 for t in TABLES), counts  # every table has something to move

    url = await pg_cluster.new_url()
    code, out, err = await amud("migrate", "--from", f"sqlite:///{source}", "--to", url)
    assert code == 0, err
    assert "chat_log" in out and "total" in out
    moved = await open_store(url, clock=FakeClock())
    try:
        assert await _everything(moved) == before
        # new rows continue after the copied ids (the identities were moved on)
        await moved.apply(
            [RecordDmCall(T0 + 1, 2, "{}"), LogChat(T0, "r", "say", "b", None, "new")]
        )
        calls = await moved.dm_calls()
        assert [c.request_id for c in calls] == [1, 2] and calls[1].id > calls[0].id
    finally:
        await moved.close()

    # and back to a new SQLite file: the same world again
    back = tmp_path / "back.db"
    code, _, err = await amud("migrate", "--from", url, "--to", str(back))
    assert code == 0, err
    returned = await open_store(str(back), clock=FakeClock())
    try:
        again = await _everything(returned)
    finally:
        await returned.close()
    assert again["accounts"] == before["accounts"] and again["usage"] == before["usage"]
    assert again["events"] == before["events"] and again["world"] == before["world"]


async def test_migrate_refuses_a_destination_that_holds_a_world(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    source = tmp_path / "mud.db"
    url = await pg_cluster.new_url()
    for db in (str(source), url):
        store = await open_store(db, clock=FakeClock())
        await store.apply([CreateAccount("Ann", "ann", "scrypt$x", False, T0)])
        await store.close()
    code, out, err = await amud("migrate", "--from", str(source), "--to", url)
    assert code == 1
    assert "already holds a world" in err and "accounts" in err
    assert out == ""
    # nothing was added
    store = await open_store(url, clock=FakeClock())
    try:
        assert await store.count_accounts() == 1
    finally:
        await store.close()
    # a missing source is refused, not created
    code, _, err = await amud("migrate", "--from", str(tmp_path / "nope.db"), "--to", url)
    assert code == 1 and "no such file" in err
    assert not (tmp_path / "nope.db").exists()
