"""Commands that read state refuse a database that is not there (or is not a mud
database) instead of creating one: run as real processes, as a user would mistype them."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path

import pytest
from test_cli import mud

from mud.core.clock import SystemClock
from mud.store.db import Store

READERS = [
    ("usage", "--db", "{db}"),
    ("usage", "--json", "--db", "{db}"),
    ("replay", "{db}"),
    ("admin", "grant", "alice", "--db", "{db}"),
    ("admin", "revoke", "alice", "--db", "{db}"),
]


@pytest.mark.parametrize("argv", READERS, ids=[" ".join(a[:2]) for a in READERS])
def test_a_mistyped_database_is_refused_and_not_created(tmp_path: Path, argv: tuple[str]) -> None:
    db = tmp_path / "typo.db"
    result = mud(*(a.format(db=db) for a in argv), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{db}: no such file" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no database, no journal, nothing


@pytest.mark.parametrize("argv", READERS, ids=[" ".join(a[:2]) for a in READERS])
def test_a_database_of_something_else_is_refused_and_left_alone(
    tmp_path: Path, argv: tuple[str]
) -> None:
    db = tmp_path / "notes.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = mud(*(a.format(db=db) for a in argv), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{db} is not a mud database" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # not migrated
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    conn.close()
    assert tables == ["notes"]


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    result = mud("usage", "--db", str(tmp_path))
    assert result.returncode == 1
    assert "a folder, not a database file" in result.stderr


def test_usage_reads_a_real_database_without_writing_to_it(tmp_path: Path) -> None:
    db = tmp_path / "mud.db"

    async def make() -> None:
        store = await Store.open(db, clock=SystemClock())
        await store.close()

    asyncio.run(make())
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    db.chmod(0o444)  # a read-only open is all it needs
    try:
        result = mud("usage", "--db", str(db))
    finally:
        db.chmod(0o644)
    assert result.returncode == 0, result.stderr
    assert "TOTAL" in result.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
