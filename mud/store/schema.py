"""The database schema, as an ordered list of migrations.

Invariants:
- ``MIGRATIONS[i]`` takes a database from ``PRAGMA user_version`` ``i`` to ``i + 1``;
  ``SCHEMA_VERSION == len(MIGRATIONS)``. Migrations are append-only: a released
  migration is never edited, a change is a new entry at the end.
- Each migration is a tuple of single SQL statements (no ``BEGIN``/``COMMIT``): the
  store runs all of them, and the ``user_version`` bump, in one transaction, so a
  migration is applied entirely or not at all.
- Booleans are INTEGER 0/1; timestamps are REAL wall-clock seconds; JSON payloads are
  TEXT and are never interpreted by SQL.
"""

from __future__ import annotations

import re
from collections.abc import Collection

Migration = tuple[str, ...]

_V1: Migration = (
    """CREATE TABLE accounts (
        name_key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        pw_hash TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
        created REAL NOT NULL
    )""",
    "CREATE INDEX accounts_admins ON accounts(name_key) WHERE is_admin = 1",
    """CREATE TABLE characters (
        name_key TEXT PRIMARY KEY REFERENCES accounts(name_key) ON DELETE CASCADE,
        state TEXT NOT NULL,
        updated REAL NOT NULL
    )""",
    """CREATE TABLE ssh_keys (
        name_key TEXT NOT NULL REFERENCES accounts(name_key) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        key_text TEXT NOT NULL,
        added REAL NOT NULL,
        PRIMARY KEY (name_key, fingerprint)
    )""",
    "CREATE INDEX ssh_keys_fingerprint ON ssh_keys(fingerprint)",
    """CREATE TABLE world_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated REAL NOT NULL
    )""",
    """CREATE TABLE chat_log (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        room TEXT NOT NULL,
        kind TEXT NOT NULL,
        speaker TEXT NOT NULL,
        target TEXT,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX chat_log_room ON chat_log(room, id)",
    """CREATE TABLE narration_log (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        request_id INTEGER NOT NULL,
        room TEXT NOT NULL,
        actor TEXT,
        kind TEXT NOT NULL,
        provider TEXT NOT NULL,
        stitched INTEGER NOT NULL CHECK (stitched IN (0, 1)),
        degraded INTEGER NOT NULL CHECK (degraded IN (0, 1)),
        text TEXT NOT NULL
    )""",
    """CREATE TABLE dm_history (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        ts REAL NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content TEXT NOT NULL
    )""",
    "CREATE INDEX dm_history_room ON dm_history(room, id)",
    """CREATE TABLE dm_summary (
        room TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated REAL NOT NULL
    )""",
    """CREATE TABLE token_usage (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        day TEXT NOT NULL,
        hour INTEGER NOT NULL,
        actor TEXT,
        room TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        kind TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
        cost_usd REAL NOT NULL
    )""",
    "CREATE INDEX token_usage_ts ON token_usage(ts)",
    "CREATE INDEX token_usage_day_actor ON token_usage(day, actor)",
    "CREATE INDEX token_usage_actor ON token_usage(actor)",
    """CREATE TABLE budget_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated REAL NOT NULL
    )""",
    """CREATE TABLE dm_calls (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        request_id INTEGER NOT NULL,
        record TEXT NOT NULL
    )""",
    """CREATE TABLE rolls (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        seq INTEGER NOT NULL,
        reason TEXT NOT NULL,
        expr TEXT NOT NULL,
        dice TEXT NOT NULL,
        total INTEGER NOT NULL
    )""",
    "CREATE INDEX rolls_seq ON rolls(seq)",
    """CREATE TABLE event_log (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX event_log_seq ON event_log(seq)",
)

_V2: Migration = (
    # Bans: ``kind`` 'name' (an account name_key) or 'addr' (an IP address or CIDR
    # network); ``expires`` NULL means until lifted. A lifted ban keeps its row with
    # ``lifted`` set, so the history stays readable.
    """CREATE TABLE bans (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('name', 'addr')),
        value TEXT NOT NULL,
        reason TEXT NOT NULL,
        by TEXT NOT NULL,
        created REAL NOT NULL,
        expires REAL,
        lifted REAL
    )""",
    "CREATE INDEX bans_active ON bans(kind, value) WHERE lifted IS NULL",
    # Every admin action, in game or from the command line.
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX audit_log_ts ON audit_log(ts)",
    # token_usage rows older than the retention period, summed per hour and grouping
    # columns, so budgets and ``mud usage`` keep their totals after pruning.
    """CREATE TABLE usage_rollup (
        day TEXT NOT NULL,
        hour INTEGER NOT NULL,
        actor TEXT NOT NULL,
        room TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        kind TEXT NOT NULL,
        estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        calls INTEGER NOT NULL,
        PRIMARY KEY (day, hour, actor, room, provider, model, kind, estimated)
    )""",
    # Indexes that let the pruner find old rows without scanning whole tables.
    "CREATE INDEX event_log_ts ON event_log(ts)",
    "CREATE INDEX chat_log_ts ON chat_log(ts)",
    "CREATE INDEX narration_log_ts ON narration_log(ts)",
    "CREATE INDEX dm_calls_ts ON dm_calls(ts)",
    "CREATE INDEX rolls_ts ON rolls(ts)",
    # One row the health check rewrites to prove the database takes writes.
    "CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), ts REAL NOT NULL)",
)

_V3: Migration = (
    # Parties (mud.engine.party), so a restart keeps who follows whom, who is grouped
    # with whom, who is invited and whose turn the next odd coin is. ``key`` is a
    # character's name_key (for ``turn``, the sharers' keys joined by '+'); ``value`` is
    # JSON text.
    """CREATE TABLE party (
        kind TEXT NOT NULL CHECK (kind IN ('following', 'group', 'invite', 'turn')),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated REAL NOT NULL,
        PRIMARY KEY (kind, key)
    )""",
)

_V4: Migration = (
    # How many of a call's prompt tokens the model server read anew (llama.cpp's
    # ``timings.prompt_n``, OpenAI's prompt less its cached tokens), for ``mud usage``;
    # NULL where the provider did not say, when the whole prompt counts as read.
    "ALTER TABLE token_usage ADD COLUMN prompt_read INTEGER",
    "ALTER TABLE usage_rollup ADD COLUMN prompt_read INTEGER NOT NULL DEFAULT 0",
    # Hours rolled up before the column existed were read whole.
    "UPDATE usage_rollup SET prompt_read = prompt_tokens",
)

_V5: Migration = (
    # Haggles (mud.engine.haggle) are kept with the parties, so that a bargain won
    # survives a restart and a haggle lost is not rolled again by waiting for one:
    # ``key`` is "<name_key>|<shopkeeper id>", ``value`` JSON text "<per cent>|<wall
    # seconds>". A CHECK cannot be altered in SQLite, so the table is made anew.
    """CREATE TABLE party_v5 (
        kind TEXT NOT NULL
            CHECK (kind IN ('following', 'group', 'invite', 'turn', 'haggled')),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated REAL NOT NULL,
        PRIMARY KEY (kind, key)
    )""",
    "INSERT INTO party_v5 (kind, key, value, updated) SELECT kind, key, value, updated FROM party",
    "DROP TABLE party",
    "ALTER TABLE party_v5 RENAME TO party",
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4, _V5)
"""Every migration in order; append new versions at the end."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes (``PRAGMA user_version`` after migrating)."""


def newer_refusal(version: int) -> str | None:
    """Why a database at schema ``version`` cannot be opened by this code (it was made
    by a newer mud), or None. Both backends ask it before migrating."""
    if version > SCHEMA_VERSION:
        return (
            f"database schema version {version} is newer than this server"
            f" ({SCHEMA_VERSION}); upgrade mud"
        )
    return None


def existing_refusal(name: str, version: int) -> str | None:
    """Why a tool (``mud admin``, ``mud usage``, ``mud replay``) may not use the database
    ``name`` at schema ``version`` (0: no mud tables), or None. Tools never create or
    migrate a database: only ``mud serve`` does."""
    if not version:
        return f"{name} is not a mud database (no mud tables in it)"
    if version > SCHEMA_VERSION:
        return (
            f"database schema version {version} is newer than this mud"
            f" ({SCHEMA_VERSION}); upgrade mud"
        )
    if version < SCHEMA_VERSION:
        return (
            f"database schema version {version} is older than this mud"
            f" ({SCHEMA_VERSION}); run `mud serve` on it once to upgrade it"
        )
    return None


_CREATE_TABLE = re.compile(r"^\s*CREATE TABLE (\w+)", re.IGNORECASE)
_DROP_TABLE = re.compile(r"^\s*DROP TABLE (\w+)", re.IGNORECASE)
_RENAME_TABLE = re.compile(r"^\s*ALTER TABLE (\w+) RENAME TO (\w+)", re.IGNORECASE)


def table_order(version: int) -> tuple[str, ...]:
    """The tables a database at schema ``version`` holds, in the order they were made
    (parents before the tables that reference them): those the first ``version``
    migrations create, less those they drop, a renamed table under its new name in its
    place. Read by ``tables_at`` and by ``mud migrate`` (``dialect.TABLES``)."""
    tables: list[str] = []
    for migration in MIGRATIONS[:version]:
        for statement in migration:
            if made := _CREATE_TABLE.match(statement):
                tables.append(made.group(1))
            elif dropped := _DROP_TABLE.match(statement):
                tables.remove(dropped.group(1))
            elif renamed := _RENAME_TABLE.match(statement):
                tables[tables.index(renamed.group(1))] = renamed.group(2)
    return tuple(tables)


def tables_at(version: int) -> frozenset[str]:
    """The tables a database at schema ``version`` holds (``table_order``'s, as a set)."""
    return frozenset(table_order(version))


def restore_refusal(name: str, version: int, tables: Collection[str]) -> str | None:
    """Why the SQLite file ``name`` (``PRAGMA user_version`` ``version``, holding
    ``tables``) may not replace the database in ``mud restore``, or None.

    Refused: a file that is not a mud database (no schema version, or some table its
    version has is missing: any SQLite file passed the integrity check, and the next
    ``mud serve`` then made an empty world over it), and one of a newer schema than this
    mud knows. An older schema is accepted: ``mud serve`` migrates it when it starts.
    """
    present = set(tables)
    if not version or not present & tables_at(SCHEMA_VERSION):
        return f"{name} is not a mud database (no mud tables in it)"
    # A newer file's tables are unknown here; the first version's are its core.
    missing = sorted(tables_at(min(version, SCHEMA_VERSION)) - present)
    if missing:
        return (
            f"{name} is not a whole mud database (schema version {version} without the"
            f" table{'s' if len(missing) > 1 else ''} {', '.join(missing)})"
        )
    if version > SCHEMA_VERSION:
        return (
            f"{name} has database schema version {version}, newer than this mud"
            f" ({SCHEMA_VERSION}): it was made by a newer mud; upgrade mud, then restore it"
        )
    return None
