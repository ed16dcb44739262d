"""Where a store test keeps its database, for both backends (the ``target`` fixture).

``SqliteTarget`` is a file in the test's tmp_path; ``PgTarget`` a fresh schema in the
session's throwaway PostgreSQL cluster (tests/pgcluster.py). Both open real stores
through ``mud.store.open_store`` with the same ``--db`` value a user would give, and
can hold the database's write lock from another connection, as another process would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import asyncpg
from pgcluster import PgCluster

from mud.core.clock import Clock, FakeClock
from mud.store import StoreSettings, open_existing_store, open_store
from mud.store.common import SqlStore


class StoreTarget:
    """One test's database. ``db`` is what ``--db`` would say."""

    kind: str
    db: str
    lock_failure: str
    """What a write refused because another connection holds the lock says."""

    async def open(
        self, *, clock: Clock | None = None, settings: StoreSettings | None = None
    ) -> SqlStore:
        return await open_store(self.db, clock=clock or FakeClock(), settings=settings)

    async def open_existing(self, *, writable: bool = False) -> SqlStore:
        return await open_existing_store(self.db, clock=FakeClock(), writable=writable)

    def locked(self) -> AbstractAsyncContextManager[None]:
        """Hold the database's write lock (of ``world_state`` at least) meanwhile."""
        raise NotImplementedError

    async def set_version(self, version: int) -> None:
        """Write a schema version by hand (the store must have been opened once)."""
        raise NotImplementedError

    async def query(self, sql: str) -> list[tuple[object, ...]]:
        """Rows of one raw SQL read on a connection of its own."""
        raise NotImplementedError

    async def execute(self, sql: str) -> None:
        """One raw SQL statement, committed, on a connection of its own."""
        raise NotImplementedError


class SqliteTarget(StoreTarget):
    kind = "sqlite"
    lock_failure = "transaction failed"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = str(path)

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[None]:
        raw = sqlite3.connect(self.path, isolation_level=None)
        raw.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            raw.execute("ROLLBACK")
            raw.close()

    async def set_version(self, version: int) -> None:
        raw = sqlite3.connect(self.path)
        raw.execute(f"PRAGMA user_version = {version}")
        raw.commit()
        raw.close()

    async def query(self, sql: str) -> list[tuple[object, ...]]:
        raw = sqlite3.connect(self.path)
        try:
            return [tuple(r) for r in raw.execute(sql).fetchall()]
        finally:
            raw.close()

    async def execute(self, sql: str) -> None:
        raw = sqlite3.connect(self.path)
        try:
            raw.execute(sql)
            raw.commit()
        finally:
            raw.close()


class PgTarget(StoreTarget):
    kind = "postgresql"
    lock_failure = "lock timeout"

    def __init__(self, cluster: PgCluster, url: str) -> None:
        self.cluster = cluster
        self.db = url

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[None]:
        conn = await asyncpg.connect(self.db)
        try:
            await conn.execute("BEGIN")
            await conn.execute("LOCK TABLE world_state IN ACCESS EXCLUSIVE MODE")
            yield
        finally:
            await conn.execute("ROLLBACK")
            await conn.close()

    async def set_version(self, version: int) -> None:
        await self.execute(f"UPDATE mud_schema SET version = {version}")

    async def execute(self, sql: str) -> None:
        conn = await asyncpg.connect(self.db)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def query(self, sql: str) -> list[tuple[object, ...]]:
        conn = await asyncpg.connect(self.db)
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()
