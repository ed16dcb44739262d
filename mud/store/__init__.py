"""Persistence: SQLite through aiosqlite (``mud.store.db``) or PostgreSQL through asyncpg
(``mud.store.pg``), sharing their SQL and group commit (``mud.store.common``); the
schema is ``mud.store.schema``, PostgreSQL's spelling of it ``mud.store.dialect``.

Only ``mud.app`` and the CLI import this package; everyone else sees a ``StorePort``.
``open_store`` and ``open_existing_store`` choose the backend by the ``--db`` value:
``postgresql://...`` (or ``postgres://``) is PostgreSQL, ``sqlite:///path`` or a plain
path SQLite.
"""

from mud.core.clock import Clock
from mud.core.ops import StoreConflict, StoreError
from mud.store.common import SqlStore, StoreSettings
from mud.store.db import Store
from mud.store.dialect import backend_of, redact, sqlite_path
from mud.store.schema import SCHEMA_VERSION


async def open_store(db: str, *, clock: Clock, settings: StoreSettings | None = None) -> SqlStore:
    """Open (creating and migrating as needed) the store ``db`` names. Called by
    ``mud.app`` at startup and by ``mud migrate`` for its destination. Raises
    StoreError as ``Store.open`` / ``PgStore.open`` do."""
    if backend_of(db) == "postgresql":
        from mud.store.pg import PgStore

        return await PgStore.open(db, clock=clock, settings=settings)
    return await Store.open(sqlite_path(db), clock=clock, settings=settings)


async def open_existing_store(
    db: str, *, clock: Clock, writable: bool = False, settings: StoreSettings | None = None
) -> SqlStore:
    """Open the existing store ``db`` names for a tool (never creates or migrates;
    read-only unless ``writable``). Raises StoreError with a message for a person."""
    if backend_of(db) == "postgresql":
        from mud.store.pg import PgStore

        return await PgStore.open_existing(db, clock=clock, writable=writable, settings=settings)
    return await Store.open_existing(
        sqlite_path(db), clock=clock, writable=writable, settings=settings
    )


__all__ = [
    "SCHEMA_VERSION",
    "SqlStore",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoreSettings",
    "backend_of",
    "open_existing_store",
    "open_store",
    "redact",
    "sqlite_path",
]
