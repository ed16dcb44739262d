"""PostgreSQL persistence through asyncpg: ``PgStore`` satisfies the store ports
(``mud.core.ports``).

This is the only module that imports asyncpg. ``mud.store.open_store`` opens a PgStore
for a ``postgresql://`` URL; ``mud.app`` then uses it exactly like the SQLite Store: the
SQL, the group commit and the reads are ``mud.store.common.SqlStore``'s.

Invariants (beyond ``SqlStore``'s):
- The database named by the URL must exist (``createdb``); the store creates its tables
  in the connection's current schema (the first of its ``search_path``, normally
  ``public``; a URL's query such as ``?search_path=game1`` is passed to the server as a
  setting, so several worlds can share a database in their own schemas).
- The schema version lives in the one-row table ``mud_schema``; each migration runs in
  one transaction, under a transaction-level advisory lock, and re-reads the version,
  so two processes opening the same schema at once cannot both apply one.
- The writer's connection forces ``synchronous_commit = on``: COMMIT returns only once
  the server has flushed the transaction's WAL, so an acknowledged batch survives the
  game process being killed, and the database server crashing as well (when fsync is
  on, the server's default). A lost writer connection is reopened by the next group.
- ``busy_timeout_ms`` becomes the writer's ``lock_timeout``: a group whose statement
  waits longer than that for a lock fails (every batch of it), as in SQLite.
- Reads go through a small pool of read-only connections: they never see the
  writer's open transaction, and see every batch whose ``apply`` has returned.
- Passwords never reach logs: the store is named by its URL without the password.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import asyncpg

from mud.core.clock import Clock
from mud.core.ops import StoreError
from mud.store.common import Param, SqlStore, StoreSettings
from mud.store.dialect import IDENTITY_TABLES, POSTGRES_MIGRATIONS, dollar_params, redact
from mud.store.schema import SCHEMA_VERSION, existing_refusal, newer_refusal

_log = logging.getLogger(__name__)
_Row = tuple[object, ...]

_MIGRATION_LOCK = 0x6D7564  # pg_advisory_xact_lock key ("mud")
_CONNECT_TIMEOUT = 10.0
_READ_POOL = 4


_ERRORS: tuple[type[Exception], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)
"""What a failed statement or a lost connection raises (a connection killed under a
statement can leave asyncpg's protocol in a state it reports as InternalClientError)."""
_ERRORS_OR_TIMEOUT: tuple[type[Exception], ...] = (*_ERRORS, TimeoutError)
_CONNECTION_LOST: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)
"""What a read on a connection the server dropped (a restart, a failover) raises."""


async def _connect(url: str, settings: StoreSettings, *, read_only: bool) -> asyncpg.Connection:
    """One connection with mud's session settings. Raises StoreError naming the URL."""
    try:
        return await asyncpg.connect(
            url,
            timeout=_CONNECT_TIMEOUT,
            server_settings=_session_settings(settings, read_only=read_only),
        )
    except _ERRORS_OR_TIMEOUT as exc:
        raise StoreError(f"cannot open database {redact(url)}: {exc}") from exc


def _session_settings(settings: StoreSettings, *, read_only: bool) -> dict[str, str]:
    return {
        "application_name": "mud",
        "synchronous_commit": "on",
        "lock_timeout": f"{int(settings.busy_timeout_ms)}ms",
        "default_transaction_read_only": "on" if read_only else "off",
    }


async def _version(conn: asyncpg.Connection) -> int | None:
    """The schema version, or None when the current schema (where the tables are made)
    has no ``mud_schema`` table; one further along the search path does not count."""
    found = await conn.fetchval(
        "SELECT to_regclass(quote_ident(current_schema()) || '.mud_schema')"
    )
    if found is None:
        return None
    value = await conn.fetchval("SELECT max(version) FROM mud_schema")
    return 0 if value is None else int(value)


async def _migrate(conn: asyncpg.Connection, name: str) -> None:
    """Bring the schema to ``SCHEMA_VERSION``, one migration per transaction.

    Raises StoreError if the schema is newer than this code or a migration fails (that
    migration is rolled back)."""
    while True:
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS mud_schema (version BIGINT NOT NULL)"
                )
                version = await _version(conn) or 0
                if refusal := newer_refusal(version):
                    raise StoreError(refusal)
                if version == SCHEMA_VERSION:
                    return
                for statement in POSTGRES_MIGRATIONS[version]:
                    await conn.execute(statement)
                await conn.execute("DELETE FROM mud_schema")
                await conn.execute("INSERT INTO mud_schema(version) VALUES ($1)", version + 1)
        except _ERRORS as exc:
            raise StoreError(f"migrating {name} failed: {exc}") from exc
        _log.info("store %s migrated to schema version %d", name, version + 1)


class PgStore(SqlStore):
    """PostgreSQL-backed ``SqlStore``. Create with ``await PgStore.open(url, clock=...)``.

    Owns the writer's connection, a pool of read connections and the writer task;
    ``close`` must be awaited (it is idempotent). Every method raises ``StoreError``
    once the store is closed.
    """

    _errors = _ERRORS

    def __init__(
        self,
        *,
        url: str,
        writer: asyncpg.Connection,
        readers: asyncpg.Pool,
        read_only: bool,
        clock: Clock,
        settings: StoreSettings,
    ) -> None:
        """Private: use ``PgStore.open``. Starts the writer task on the running loop."""
        self._url = url
        self._writer_conn = writer
        self._readers = readers
        self._read_only = read_only
        super().__init__(name=redact(url), clock=clock, settings=settings, log=_log)

    @classmethod
    async def open(
        cls, url: str, *, clock: Clock, settings: StoreSettings | None = None
    ) -> PgStore:
        """Connect to the database at ``url`` and migrate its schema.

        Raises StoreError when the server cannot be reached, the database does not
        exist, the schema is newer than this code, or a migration fails.
        """
        s = settings if settings is not None else StoreSettings()
        writer = await _connect(url, s, read_only=False)
        try:
            await _migrate(writer, redact(url))
            readers = await _pool(url, s)
        except BaseException:
            await writer.close()
            raise
        _log.info("store %s open (schema version %d)", redact(url), SCHEMA_VERSION)
        return cls(
            url=url, writer=writer, readers=readers, read_only=False, clock=clock, settings=s
        )

    @classmethod
    async def open_existing(
        cls,
        url: str,
        *,
        clock: Clock,
        writable: bool = False,
        settings: StoreSettings | None = None,
    ) -> PgStore:
        """Open a mud schema that must already exist (the CLI's tools): never creates,
        never migrates. Read-only unless ``writable``. Raises StoreError when the
        schema holds no mud tables or is of another version."""
        s = settings if settings is not None else StoreSettings()
        name = redact(url)
        writer = await _connect(url, s, read_only=not writable)
        try:
            try:
                version = await _version(writer)
            except _ERRORS as exc:
                raise StoreError(f"{name} is not a readable mud database: {exc}") from exc
            if refusal := existing_refusal(name, version or 0):
                raise StoreError(refusal)
            readers = await _pool(url, s)
        except BaseException:
            await writer.close()
            raise
        return cls(
            url=url,
            writer=writer,
            readers=readers,
            read_only=not writable,
            clock=clock,
            settings=s,
        )

    # -- the primitives SqlStore runs on --------------------------------------------

    async def _begin(self) -> None:
        if self._writer_conn.is_closed():
            # The server restarted or the connection broke: the failed group has been
            # reported; this one gets a new connection.
            try:
                self._writer_conn = await asyncpg.connect(
                    self._url,
                    timeout=_CONNECT_TIMEOUT,
                    server_settings=_session_settings(self._settings, read_only=self._read_only),
                )
            except TimeoutError as exc:
                raise OSError(f"reconnecting to {self.name} timed out") from exc
        await self._writer_conn.execute("BEGIN")

    async def _execute(self, sql: str, params: Sequence[Param] = ()) -> None:
        if params:
            await self._writer_conn.execute(dollar_params(sql), *params)
        else:
            await self._writer_conn.execute(sql)

    async def _execute_many(self, sql: str, rows: Sequence[Sequence[Param]]) -> None:
        # One prepared statement and one pipelined round trip for the run, not one each.
        await self._writer_conn.executemany(dollar_params(sql), rows)

    async def _rollback(self) -> None:
        # A healthy connection always accepts ROLLBACK (with no transaction open it
        # only warns): if it does not, the connection is broken, so drop it and let
        # the next group's _begin open a new one.
        try:
            await self._writer_conn.execute("ROLLBACK")
        except Exception as exc:
            _log.warning("store %s: dropping the writer's connection: %s", self.name, exc)
            self._writer_conn.terminate()

    def _in_transaction(self) -> bool:
        return bool(self._writer_conn.is_in_transaction())

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, asyncpg.IntegrityConstraintViolationError)

    async def _fetch_rows(self, sql: str, params: tuple[Param, ...]) -> list[_Row]:
        # Every pooled connection may have been dropped at once (a database restart):
        # each dead one fails one attempt and is replaced. A read changes nothing, so
        # trying it again is safe.
        query = dollar_params(sql)
        for attempt in range(_READ_POOL + 1):
            try:
                records = await self._readers.fetch(query, *params)
            except _CONNECTION_LOST:
                # the pool drops the broken connection when it is released
                if attempt == _READ_POOL:
                    raise
                continue
            return [tuple(r) for r in records]
        raise AssertionError("unreachable")

    async def _close_connections(self) -> None:
        try:
            try:
                await asyncio.wait_for(self._readers.close(), self._settings.close_timeout)
            except TimeoutError:
                self._readers.terminate()
        finally:
            try:
                await self._writer_conn.close(timeout=self._settings.close_timeout)
            except _ERRORS_OR_TIMEOUT:
                self._writer_conn.terminate()

    @property
    def url(self) -> str:
        """The database URL (with its password: do not print it; ``name`` is safe)."""
        return self._url

    async def table_counts(self) -> dict[str, int]:
        """Rows per mud table of the schema (``mud_schema`` aside)."""
        if self._closed:
            raise StoreError("store is closed")
        try:
            async with asyncio.timeout(self._settings.read_timeout):
                names = [
                    str(r[0])
                    for r in await self._readers.fetch(
                        "SELECT table_name FROM information_schema.tables"
                        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                        " AND table_name <> 'mud_schema' ORDER BY table_name"
                    )
                ]
                counts: dict[str, int] = {}
                for name in names:
                    quoted = '"' + name.replace('"', '""') + '"'
                    counts[name] = int(
                        await self._readers.fetchval(f"SELECT COUNT(*) FROM {quoted}")
                    )
                return counts
        except _ERRORS as exc:
            raise StoreError(f"store read failed: {exc}") from exc

    async def table_columns(self, table: str) -> list[str]:
        """The columns of ``table`` in the current schema, in order."""
        rows = await self._fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [str(r[0]) for r in rows]

    async def bulk_load(self, table: str, columns: Sequence[str], rows: list[_Row]) -> None:
        """See ``SqlStore.bulk_load``: COPY in one transaction, then the table's identity
        is moved past the largest id so later inserts do not collide."""
        conn = self._writer_conn
        try:
            async with conn.transaction():
                await conn.copy_records_to_table(table, records=rows, columns=list(columns))
                if table in IDENTITY_TABLES:
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    )
        except _ERRORS as exc:
            raise StoreError(f"loading {table} failed: {exc}") from exc


async def _pool(url: str, settings: StoreSettings) -> asyncpg.Pool:
    try:
        pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=_READ_POOL,
            timeout=_CONNECT_TIMEOUT,
            server_settings=_session_settings(settings, read_only=True),
        )
    except _ERRORS_OR_TIMEOUT as exc:
        raise StoreError(f"cannot open database {redact(url)}: {exc}") from exc
    assert pool is not None
    return pool
