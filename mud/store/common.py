"""What both stores share: the SQL of every op and read, and the group-commit writer.

``SqlStore`` implements the store ports (``mud.core.ports.HubStore`` and ``DmStore``)
over five primitives a backend supplies (begin, execute, commit, rollback on the
writer's connection; fetch on a read connection). ``mud.store.db.Store`` (SQLite,
aiosqlite) and ``mud.store.pg.PgStore`` (PostgreSQL, asyncpg) are its two backends; this
module imports no database driver.

Invariants (both backends):
- SQL is written once, in the dialect both engines accept, with ``?`` placeholders;
  the PostgreSQL backend rewrites them to ``$1..$n`` (``mud.store.dialect``).
- One writer. Only the writer task writes, on its own connection. ``apply`` enqueues a
  batch into a bounded queue and waits for the writer to commit it. The writer drains
  whatever is queued (group commit, up to ``max_ops_per_txn`` ops) into a single
  transaction.
- Each ``apply`` batch is atomic: it runs in its own SAVEPOINT inside the group's
  transaction. A batch whose op fails is rolled back alone and its caller gets the
  error; the other batches of the group still commit. If the transaction itself fails
  (BEGIN or COMMIT: disk full, I/O error, a lock not granted in time), or the engine
  aborts it on an op's error, every batch of the group gets the error.
- ``apply`` returns only after COMMIT has returned, so an acknowledged batch survives
  the game process being killed.
- Reads never observe the writer's uncommitted transaction, and they see every batch
  whose ``apply`` has returned.
- Ops' contents are never logged (they hold password hashes and player text): only
  counts, op type names and timings.
"""

from __future__ import annotations

import abc
import asyncio
import json
import logging
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, assert_never

from attrs import frozen

from mud.core.clock import Clock
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
    StoreConflict,
    StoreError,
    TouchHealth,
    TrimHistory,
    WriteOp,
)
from mud.core.records import (
    Account,
    AuditEntry,
    Ban,
    ChatLine,
    DmCallRecord,
    EventRecord,
    HistoryEntry,
    NarrationRecord,
    RollRecord,
    SshKey,
    UsageRow,
    UsageTotals,
)
from mud.core.stats import StoreStats

Param = str | int | float | None

PRUNABLE = ("event_log", "chat_log", "narration_log", "dm_calls", "rolls", "token_usage")
"""The play logs that retention prunes (each has ``id`` and ``ts`` columns)."""
Statement = tuple[str, tuple[Param, ...]]
_Row = tuple[Any, ...]


@frozen
class StoreSettings:
    """Limits and deadlines of a Store. All durations are seconds.

    ``queue_size`` bounds the number of pending ``apply`` batches; ``enqueue_timeout``
    is how long ``apply`` waits for room in that queue; ``commit_timeout`` how long it
    waits for its commit once queued; ``read_timeout`` bounds each read;
    ``close_timeout`` bounds draining on ``close``; ``busy_timeout_ms`` is SQLite's own
    wait for a lock held by another process (e.g. the CLI).
    """

    queue_size: int = 1024
    enqueue_timeout: float = 5.0
    commit_timeout: float = 30.0
    read_timeout: float = 30.0
    close_timeout: float = 10.0
    busy_timeout_ms: int = 5000
    max_ops_per_txn: int = 5000


def utc_day_hour(ts: float) -> tuple[str, int]:
    """The UTC calendar day ('YYYY-MM-DD') and hour (0-23) of wall-clock seconds ``ts``."""
    # floor first: fromtimestamp rounds to microseconds, which could carry a timestamp
    # just before midnight into the next day.
    moment = datetime.fromtimestamp(math.floor(ts), tz=UTC)
    return moment.strftime("%Y-%m-%d"), moment.hour


def statement_runs(ops: Sequence[WriteOp]) -> list[tuple[str, list[tuple[Param, ...]], WriteOp]]:
    """``ops`` as runs of one statement: (SQL, the parameters of each consecutive op
    whose statement it is, the run's first op, which names the run in an error). Order
    is kept: only neighbours are joined, so a run is what ``op_statement`` would have
    run one by one. Pure; called by the writer for every batch; raises nothing for a
    ``WriteOp`` (a value the driver cannot bind fails when the run is executed)."""
    runs: list[tuple[str, list[tuple[Param, ...]], WriteOp]] = []
    for op in ops:
        sql, params = op_statement(op)
        if runs and runs[-1][0] == sql:
            runs[-1][1].append(params)
        else:
            runs.append((sql, [params], op))
    return runs


def op_statement(op: WriteOp) -> Statement:
    """The single SQL statement (and its parameters) that carries out ``op``.

    Pure; called by the writer task for every op. Raises nothing itself: constraint
    violations surface when the statement is executed.
    """
    match op:
        case CreateAccount():
            return (
                "INSERT INTO accounts(name_key, name, pw_hash, is_admin, created)"
                " VALUES (?, ?, ?, ?, ?)",
                (op.name_key, op.name, op.pw_hash, int(op.is_admin), op.created),
            )
        case SetPassword():
            return (
                "UPDATE accounts SET pw_hash = ? WHERE name_key = ?",
                (op.pw_hash, op.name_key),
            )
        case SetAdmin():
            return (
                "UPDATE accounts SET is_admin = ? WHERE name_key = ?",
                (int(op.is_admin), op.name_key),
            )
        case PutCharacter():
            return (
                "INSERT INTO characters(name_key, state, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(name_key) DO UPDATE SET state = excluded.state,"
                " updated = excluded.updated",
                (op.name_key, op.state, op.updated),
            )
        case AddSshKey():
            return (
                "INSERT INTO ssh_keys(name_key, fingerprint, key_text, added)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(name_key, fingerprint) DO UPDATE SET"
                " key_text = excluded.key_text, added = excluded.added",
                (op.name_key, op.fingerprint, op.key_text, op.added),
            )
        case RemoveSshKey():
            return (
                "DELETE FROM ssh_keys WHERE name_key = ? AND fingerprint = ?",
                (op.name_key, op.fingerprint),
            )
        case PutWorld():
            return (
                "INSERT INTO world_state(key, value, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                " updated = excluded.updated",
                (op.key, op.value, op.updated),
            )
        case MarkLine():
            return (
                "INSERT INTO world_state(key, value, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                " updated = excluded.updated",
                (f"line:{op.key}", json.dumps([op.conn, op.seq]), op.updated),
            )
        case DeleteWorld():
            return ("DELETE FROM world_state WHERE key = ?", (op.key,))
        case PutParty():
            return (
                "INSERT INTO party(kind, key, value, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value,"
                " updated = excluded.updated",
                (op.table, op.key, op.value, op.updated),
            )
        case DeleteParty():
            return ("DELETE FROM party WHERE kind = ? AND key = ?", (op.table, op.key))
        case LogChat():
            return (
                "INSERT INTO chat_log(ts, room, kind, speaker, target, text)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (op.ts, op.room, op.kind, op.speaker, op.target, op.text),
            )
        case LogNarration():
            return (
                "INSERT INTO narration_log(ts, request_id, room, actor, kind, provider,"
                " stitched, degraded, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    op.ts,
                    op.request_id,
                    op.room,
                    op.actor,
                    op.kind,
                    op.provider,
                    int(op.stitched),
                    int(op.degraded),
                    op.text,
                ),
            )
        case AppendHistory():
            return (
                "INSERT INTO dm_history(room, ts, role, content) VALUES (?, ?, ?, ?)",
                (op.room, op.ts, op.role, op.content),
            )
        case TrimHistory():
            # A negative LIMIT means "no limit" to SQLite; clamp so keep=-1 empties.
            return (
                "DELETE FROM dm_history WHERE room = ? AND id NOT IN"
                " (SELECT id FROM dm_history WHERE room = ? ORDER BY id DESC LIMIT ?)",
                (op.room, op.room, max(op.keep, 0)),
            )
        case PutSummary():
            return (
                "INSERT INTO dm_summary(room, text, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(room) DO UPDATE SET text = excluded.text,"
                " updated = excluded.updated",
                (op.room, op.text, op.updated),
            )
        case RecordUsage():
            day, hour = utc_day_hour(op.ts)
            return (
                "INSERT INTO token_usage(ts, day, hour, actor, room, provider, model, kind,"
                " prompt_tokens, completion_tokens, estimated, cost_usd, prompt_read)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    op.ts,
                    day,
                    hour,
                    op.actor,
                    op.room,
                    op.provider,
                    op.model,
                    op.kind,
                    op.prompt_tokens,
                    op.completion_tokens,
                    int(op.estimated),
                    op.cost_usd,
                    op.prompt_read,
                ),
            )
        case PutBudget():
            return (
                "INSERT INTO budget_state(key, value, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                " updated = excluded.updated",
                (op.key, op.value, op.updated),
            )
        case RecordDmCall():
            return (
                "INSERT INTO dm_calls(ts, request_id, record) VALUES (?, ?, ?)",
                (op.ts, op.request_id, op.record),
            )
        case LogRoll():
            return (
                "INSERT INTO rolls(ts, seq, reason, expr, dice, total) VALUES (?, ?, ?, ?, ?, ?)",
                (op.ts, op.seq, op.reason, op.expr, op.dice, op.total),
            )
        case LogEvent():
            return (
                "INSERT INTO event_log(ts, seq, kind, data) VALUES (?, ?, ?, ?)",
                (op.ts, op.seq, op.kind, op.data),
            )
        case AddBan():
            return (
                "INSERT INTO bans(kind, value, reason, by, created, expires)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (op.kind, op.value, op.reason, op.by, op.created, op.expires),
            )
        case LiftBan():
            return (
                "UPDATE bans SET lifted = ? WHERE kind = ? AND value = ? AND lifted IS NULL",
                (op.lifted, op.kind, op.value),
            )
        case LogAudit():
            return (
                "INSERT INTO audit_log(ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                (op.ts, op.actor, op.action, op.target, op.detail),
            )
        case PruneLog():
            if op.table not in PRUNABLE:
                raise ValueError(f"{op.table!r} is not a prunable table")
            # The table name is one of our own constants, never input.
            return (
                f"DELETE FROM {op.table} WHERE id <= ? AND ts < ?",
                (op.max_id, op.before),
            )
        case RollupUsage():
            return (
                "INSERT INTO usage_rollup(day, hour, actor, room, provider, model, kind,"
                " estimated, prompt_tokens, completion_tokens, cost_usd, calls, prompt_read)"
                " SELECT day, hour, COALESCE(actor, ''), room, provider, model, kind,"
                " estimated, SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd),"
                " COUNT(*), SUM(COALESCE(prompt_read, prompt_tokens))"
                " FROM token_usage WHERE id <= ? AND ts < ?"
                " GROUP BY day, hour, COALESCE(actor, ''), room, provider, model, kind,"
                " estimated"
                " ON CONFLICT(day, hour, actor, room, provider, model, kind, estimated)"
                " DO UPDATE SET"
                " prompt_tokens = usage_rollup.prompt_tokens + excluded.prompt_tokens,"
                " completion_tokens = usage_rollup.completion_tokens"
                " + excluded.completion_tokens,"
                " cost_usd = usage_rollup.cost_usd + excluded.cost_usd,"
                " calls = usage_rollup.calls + excluded.calls,"
                " prompt_read = usage_rollup.prompt_read + excluded.prompt_read",
                (op.max_id, op.before),
            )
        case TouchHealth():
            return (
                "INSERT INTO health(id, ts) VALUES (1, ?)"
                " ON CONFLICT(id) DO UPDATE SET ts = excluded.ts",
                (op.ts,),
            )
        case _:
            assert_never(op)


@frozen
class _Batch:
    """One ``apply`` call: its ops and the future its caller awaits."""

    ops: tuple[WriteOp, ...]
    done: asyncio.Future[None]


def _rollup_ts(row: _Row) -> _Row:
    """A rolled-up usage row with ``ts`` set to the start of its UTC hour."""
    moment = datetime.strptime(str(row[1]), "%Y-%m-%d").replace(tzinfo=UTC)
    return (moment.timestamp() + 3600 * int(row[2]), *row[1:])


def _resolve(batch: _Batch, error: StoreError | None) -> None:
    """Complete a batch's future unless it already is (a caller never sees two outcomes)."""
    if batch.done.done():
        return
    if error is None:
        batch.done.set_result(None)
    else:
        batch.done.set_exception(error)


class SqlStore(abc.ABC):
    """The store ports (``HubStore``, ``DmStore``) over SQL, and the reads of reports and
    tools: the writer task with group commit, and every read.

    Subclasses open their connections in a classmethod and pass them in through their
    own ``__init__``, which must call ``super().__init__`` on the running loop (it
    starts the writer task). ``close`` must be awaited before the loop ends. Every
    method raises ``StoreError`` once the store is closed.
    """

    _errors: ClassVar[tuple[type[Exception], ...]] = ()
    """The driver's exception types that a failed statement raises."""

    def __init__(
        self, *, name: str, clock: Clock, settings: StoreSettings, log: logging.Logger
    ) -> None:
        """Start the writer task on the running loop (called by subclasses)."""
        self._name = name
        self._clock = clock
        self._settings = settings
        self._log = log
        self._queue: asyncio.Queue[_Batch | None] = asyncio.Queue(maxsize=settings.queue_size)
        self._closing = False
        self._closed = False
        self._failing = False  # the last transaction failed (warned once)
        self._close_lock = asyncio.Lock()
        self.stats = StoreStats()
        self._writer = asyncio.create_task(self._run_writer(), name=f"store-writer:{name}")

    # -- what a backend supplies ----------------------------------------------------

    @abc.abstractmethod
    async def _begin(self) -> None:
        """Open the writer's transaction (taking the write lock at once if the engine
        can). Raises one of ``_errors``."""

    @abc.abstractmethod
    async def _execute(self, sql: str, params: Sequence[Param] = ()) -> None:
        """Run one statement (``?`` placeholders) on the writer's connection."""

    async def _execute_many(self, sql: str, rows: Sequence[Sequence[Param]]) -> None:
        """Run one DML statement (``?`` placeholders) once per row of ``rows``, in
        order, on the writer's connection. A backend whose driver can take them all in
        one call overrides this: a driver call is a hand-off to another thread
        (aiosqlite) or a round trip (asyncpg), and a batch of event-log rows is dozens
        of them."""
        for row in rows:
            await self._execute(sql, row)

    async def _rollback(self) -> None:
        """End a failed group's transaction; never raises a driver error (when no
        transaction is open, because BEGIN itself failed, there is nothing to end)."""
        try:
            await self._execute("ROLLBACK")
        except self._errors:
            pass

    @abc.abstractmethod
    def _in_transaction(self) -> bool:
        """Whether the writer's transaction is still open (an engine may roll it back
        by itself on some errors, e.g. SQLite on a full disk)."""

    @abc.abstractmethod
    def _is_conflict(self, exc: Exception) -> bool:
        """Whether ``exc`` is a constraint violation (reported as StoreConflict)."""

    @abc.abstractmethod
    async def _fetch_rows(self, sql: str, params: tuple[Param, ...]) -> list[_Row]:
        """Run one read (``?`` placeholders) on a read connection. Raises one of
        ``_errors`` or ValueError."""

    @abc.abstractmethod
    async def _close_connections(self) -> None:
        """Close every connection (called once, by ``close``, after the writer ended)."""

    @abc.abstractmethod
    async def table_counts(self) -> dict[str, int]:
        """Rows per table (for ``mud backup``, ``mud migrate`` and metrics)."""

    @abc.abstractmethod
    async def table_columns(self, table: str) -> list[str]:
        """The columns of one of the schema's tables, in order (``mud migrate``)."""

    @abc.abstractmethod
    async def bulk_load(self, table: str, columns: Sequence[str], rows: list[_Row]) -> None:
        """Insert ``rows`` into ``table`` as they are (ids included), in one
        transaction, bypassing the op queue. Only for ``mud migrate`` into a store
        nothing else writes to. Raises StoreError."""

    async def export_rows(
        self, table: str, columns: Sequence[str], *, after_id: int | None, limit: int
    ) -> list[_Row]:
        """Rows of ``table`` for ``mud migrate``: with ``after_id``, the next ``limit``
        rows by ``id``; without, the whole table. ``table`` and ``columns`` must be the
        schema's own names (they are not parameters). Raises StoreError."""
        names = ", ".join(columns)
        if after_id is None:
            return await self._fetch(f"SELECT {names} FROM {table}")
        return await self._fetch(
            f"SELECT {names} FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
        )

    @property
    def name(self) -> str:
        """What the store is called in logs: the file name, or the URL without its
        password."""
        return self._name

    @property
    def queue_depth(self) -> int:
        """Write batches waiting for the writer."""
        return self._queue.qsize()

    def _op_error(self, op: WriteOp, exc: Exception) -> StoreError:
        """Wrap a failure of one op. The engines' messages name constraints, never
        values."""
        name = type(op).__name__
        if self._is_conflict(exc):
            return StoreConflict(f"{name} failed: {exc}")
        return StoreError(f"{name} failed: {exc}")

    # -- writes ---------------------------------------------------------------------

    async def apply(self, ops: Sequence[WriteOp]) -> None:
        """Commit ``ops`` atomically (all or none); return once they are durable.

        Called by the hub, the DM and the CLI. Raises StoreConflict if an op violates a
        constraint, StoreError if the transaction fails, the queue has no room within
        ``enqueue_timeout``, the commit is not confirmed within ``commit_timeout`` (the
        batch may still commit later), or the Store is closed. An empty ``ops`` is a
        no-op. If the caller is cancelled after queueing, the batch is still written.
        """
        if self._closing or self._writer.done():
            raise StoreError("store is closed")
        if not ops:
            return
        batch = _Batch(tuple(ops), asyncio.get_running_loop().create_future())
        try:
            async with asyncio.timeout(self._settings.enqueue_timeout):
                await self._queue.put(batch)
        except TimeoutError:
            raise StoreError(
                f"store write queue stayed full for {self._settings.enqueue_timeout:g}s"
            ) from None
        try:
            async with asyncio.timeout(self._settings.commit_timeout):
                # shield: a cancelled caller must not cancel the writer's bookkeeping.
                await asyncio.shield(batch.done)
        except TimeoutError:
            raise StoreError(
                f"store commit not confirmed within {self._settings.commit_timeout:g}s"
            ) from None

    async def _run_writer(self) -> None:
        """The writer task: take batches, group them, commit. Ends on the None sentinel.

        Whatever is still queued when it ends (normally or cancelled) is failed with
        StoreError, so no ``apply`` waits forever.
        """
        try:
            stop = False
            while not stop:
                first = await self._queue.get()
                if first is None:
                    break
                group = [first]
                n_ops = len(first.ops)
                while n_ops < self._settings.max_ops_per_txn and not self._queue.empty():
                    item = self._queue.get_nowait()
                    if item is None:
                        stop = True
                        break
                    group.append(item)
                    n_ops += len(item.ops)
                await self._commit_group(group)
        finally:
            self._closing = True
            closed = StoreError("store closed before the write was committed")
            while not self._queue.empty():
                item = self._queue.get_nowait()
                if item is not None:
                    _resolve(item, closed)

    async def _commit_group(self, group: list[_Batch]) -> None:
        """Apply ``group`` in one transaction, each batch in its own savepoint.

        Resolves every batch's future exactly once, also when cancelled mid-way.
        """
        started = self._clock.monotonic()
        outcomes: list[tuple[_Batch, StoreError | None]] = []
        try:
            try:
                await self._begin()
                for batch in group:
                    outcomes.append((batch, await self._apply_batch(batch)))
                await self._execute("COMMIT")
            except self._errors as exc:
                await self._rollback()
                # A full disk fails every transaction until space returns: warn once.
                self._log.log(
                    logging.DEBUG if self._failing else logging.WARNING,
                    "store transaction of %d batches failed: %s: %s",
                    len(group),
                    type(exc).__name__,
                    exc,
                )
                self.stats.failed_commits += 1
                self._failing = True
                failure = StoreError(f"store transaction failed: {exc}")
                for batch in group:
                    _resolve(batch, failure)
                return
            self.stats.commits += 1
            self.stats.commit_seconds.observe(self._clock.monotonic() - started)
            if self._failing:
                self._failing = False
                self._log.warning("store transactions commit again")
            failed = 0
            for batch, error in outcomes:
                failed += error is not None
                _resolve(batch, error)
            self._log.debug(
                "store committed %d batches (%d failed, %d ops) in %.1f ms",
                len(group),
                failed,
                sum(len(b.ops) for b in group),
                (self._clock.monotonic() - started) * 1000.0,
            )
        finally:
            # Only reached with unresolved batches when cancelled (close timed out); the
            # open transaction is rolled back when close() closes the connection.
            interrupted = StoreError("store closed before the write was committed")
            for batch in group:
                _resolve(batch, interrupted)

    async def _apply_batch(self, batch: _Batch) -> StoreError | None:
        """Run one batch inside a savepoint. Returns its error (after rolling the batch
        back) or None. Raises one of ``_errors`` only if the savepoint machinery fails."""
        op_failures: tuple[type[Exception], ...] = (
            *self._errors,
            ValueError,
            TypeError,
            OverflowError,
        )
        await self._execute("SAVEPOINT batch")
        for sql, rows, op in statement_runs(batch.ops):
            try:
                if len(rows) == 1:
                    await self._execute(sql, rows[0])
                else:
                    await self._execute_many(sql, rows)
            except op_failures as exc:
                if isinstance(exc, self._errors) and not self._in_transaction():
                    # The engine rolled the whole transaction back itself (SQLite on
                    # SQLITE_FULL, an I/O error): the group fails, with this error.
                    raise
                await self._execute("ROLLBACK TO batch")
                await self._execute("RELEASE batch")
                self._log.warning(
                    "store write %s failed: %s", type(op).__name__, type(exc).__name__
                )
                return self._op_error(op, exc)
        await self._execute("RELEASE batch")
        return None

    async def close(self) -> None:
        """Commit what is queued (within ``close_timeout``), stop the writer, close the
        connections. Idempotent; later ``apply`` calls and reads raise StoreError.
        Batches not committed by the deadline fail with StoreError."""
        async with self._close_lock:
            if self._closed:
                return
            self._closing = True
            try:
                try:
                    async with asyncio.timeout(self._settings.close_timeout):
                        await self._queue.put(None)
                        await asyncio.wait({self._writer})
                except TimeoutError:
                    self._log.warning(
                        "store: pending writes not drained within %gs; abandoning them",
                        self._settings.close_timeout,
                    )
                if not self._writer.done():
                    self._writer.cancel()
                    await asyncio.wait({self._writer})
            finally:
                self._closed = True
                await self._close_connections()
                self._log.info("store %s closed", self._name)

    # -- reads ----------------------------------------------------------------------

    async def _fetch(self, sql: str, params: Iterable[Param] = ()) -> list[_Row]:
        """Run one read on a read connection, within ``read_timeout``."""
        read_failures: tuple[type[Exception], ...] = (*self._errors, ValueError)
        if self._closed:
            raise StoreError("store is closed")
        try:
            async with asyncio.timeout(self._settings.read_timeout):
                rows = await self._fetch_rows(sql, tuple(params))
        except TimeoutError:
            raise StoreError(
                f"store read not answered within {self._settings.read_timeout:g}s"
            ) from None
        except read_failures as exc:
            raise StoreError(f"store read failed: {exc}") from exc
        return rows

    async def get_account(self, name_key: str) -> Account | None:
        """The account with this (lowercased) key, or None."""
        rows = await self._fetch(
            "SELECT name, name_key, pw_hash, is_admin, created FROM accounts WHERE name_key = ?",
            (name_key,),
        )
        if not rows:
            return None
        name, key, pw_hash, is_admin, created = rows[0]
        return Account(str(name), str(key), str(pw_hash), bool(is_admin), float(created))

    async def count_accounts(self) -> int:
        """How many accounts exist."""
        rows = await self._fetch("SELECT COUNT(*) FROM accounts")
        return int(rows[0][0])

    async def list_admins(self) -> list[str]:
        """The name_keys of admin accounts, sorted."""
        rows = await self._fetch(
            "SELECT name_key FROM accounts WHERE is_admin = 1 ORDER BY name_key"
        )
        return [str(r[0]) for r in rows]

    async def get_character(self, name_key: str) -> str | None:
        """The character's JSON state, or None if never saved."""
        rows = await self._fetch("SELECT state FROM characters WHERE name_key = ?", (name_key,))
        return str(rows[0][0]) if rows else None

    async def list_ssh_keys(self, name_key: str) -> list[SshKey]:
        """The account's public keys, oldest first."""
        rows = await self._fetch(
            "SELECT name_key, fingerprint, key_text, added FROM ssh_keys"
            " WHERE name_key = ? ORDER BY added, fingerprint",
            (name_key,),
        )
        return [SshKey(str(k), str(fp), str(text), float(added)) for k, fp, text, added in rows]

    async def find_ssh_key(self, fingerprint: str) -> list[str]:
        """The name_keys of accounts holding this key fingerprint, sorted."""
        rows = await self._fetch(
            "SELECT name_key FROM ssh_keys WHERE fingerprint = ? ORDER BY name_key",
            (fingerprint,),
        )
        return [str(r[0]) for r in rows]

    async def load_world(self) -> dict[str, str]:
        """Every world-state entry: key -> JSON text."""
        rows = await self._fetch("SELECT key, value FROM world_state")
        return {str(k): str(v) for k, v in rows}

    async def get_world(self, key: str) -> str | None:
        """One world-state entry's JSON text, or None when there is none."""
        rows = await self._fetch("SELECT value FROM world_state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def load_party(self) -> list[tuple[str, str, str]]:
        """Every party entry: (table, key, JSON value), in table then key order."""
        rows = await self._fetch("SELECT kind, key, value FROM party ORDER BY kind, key")
        return [(str(t), str(k), str(v)) for t, k, v in rows]

    async def recent_chat(self, limit: int, room: str | None = None) -> list[ChatLine]:
        """The newest ``limit`` chat lines (of ``room`` if given), oldest first."""
        if limit <= 0:
            return []
        params: tuple[Param, ...]
        if room is None:
            where, params = "", (limit,)
        else:
            where, params = "WHERE room = ?", (room, limit)
        rows = await self._fetch(
            "SELECT ts, room, kind, speaker, target, text FROM"
            f" (SELECT id, ts, room, kind, speaker, target, text FROM chat_log {where}"
            " ORDER BY id DESC LIMIT ?) AS newest ORDER BY id",
            params,
        )
        return [
            ChatLine(float(ts), str(r), str(k), str(s), None if t is None else str(t), str(x))
            for ts, r, k, s, t, x in rows
        ]

    async def player_reports(self, limit: int) -> list[ChatLine]:
        """The newest ``limit`` reports players sent the operators (chat lines of kind
        ``bug``, ``typo``, ``idea``, or ``report`` about the player who is its target;
        ``mud.engine.presence``), oldest first."""
        if limit <= 0:
            return []
        rows = await self._fetch(
            "SELECT ts, room, kind, speaker, target, text FROM"
            " (SELECT id, ts, room, kind, speaker, target, text FROM chat_log"
            " WHERE kind IN ('bug', 'typo', 'idea', 'report') ORDER BY id DESC LIMIT ?)"
            " AS newest"
            " ORDER BY id",
            (limit,),
        )
        return [
            ChatLine(float(ts), str(r), str(k), str(s), None if t is None else str(t), str(x))
            for ts, r, k, s, t, x in rows
        ]

    async def history(self, room: str, limit: int) -> list[HistoryEntry]:
        """The newest ``limit`` DM history entries of ``room``, oldest first."""
        if limit <= 0:
            return []
        rows = await self._fetch(
            "SELECT ts, role, content FROM (SELECT id, ts, role, content FROM dm_history"
            " WHERE room = ? ORDER BY id DESC LIMIT ?) AS newest ORDER BY id",
            (room, limit),
        )
        return [HistoryEntry(float(ts), str(role), str(c)) for ts, role, c in rows]

    async def summary(self, room: str) -> str | None:
        """The room's DM summary, or None."""
        rows = await self._fetch("SELECT text FROM dm_summary WHERE room = ?", (room,))
        return str(rows[0][0]) if rows else None

    async def usage_rows(self, since_ts: float | None = None) -> list[UsageRow]:
        """Token-usage rows with ``ts >= since_ts`` (all if None): first the hourly sums
        retention has rolled up (``calls`` > 1, ``ts`` the start of their hour; only
        when ``since_ts`` is None), then the kept rows in insertion order."""
        where, params = ("", ()) if since_ts is None else ("WHERE ts >= ?", (since_ts,))
        rows = await self._fetch(
            "SELECT ts, day, hour, actor, room, provider, model, kind, prompt_tokens,"
            f" completion_tokens, estimated, cost_usd, 1, COALESCE(prompt_read, prompt_tokens)"
            f" FROM token_usage {where} ORDER BY id",
            params,
        )
        if since_ts is None:
            rolled = await self._fetch(
                "SELECT 0.0, day, hour, NULLIF(actor, ''), room, provider, model, kind,"
                " prompt_tokens, completion_tokens, estimated, cost_usd, calls, prompt_read"
                " FROM usage_rollup ORDER BY day, hour, actor, room, provider, model, kind"
            )
            rows = [_rollup_ts(r) for r in rolled] + rows
        return [
            UsageRow(
                ts=float(r[0]),
                day=str(r[1]),
                hour=int(r[2]),
                actor=None if r[3] is None else str(r[3]),
                room=str(r[4]),
                provider=str(r[5]),
                model=str(r[6]),
                kind=str(r[7]),
                prompt_tokens=int(r[8]),
                completion_tokens=int(r[9]),
                estimated=bool(r[10]),
                cost_usd=float(r[11]),
                calls=int(r[12]),
                prompt_read=int(r[13]),
            )
            for r in rows
        ]

    async def usage_totals(
        self, *, day: str | None = None, actor: str | None = None
    ) -> UsageTotals:
        """Sums of usage, optionally for one UTC ``day`` ('YYYY-MM-DD') and/or one actor,
        including rows retention has rolled up."""
        clauses: list[str] = []
        params: list[Param] = []
        if day is not None:
            clauses.append("day = ?")
            params.append(day)
        if actor is not None:
            clauses.append("actor = ?")
            params.append(actor)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._fetch(
            "SELECT COALESCE(SUM(p), 0), COALESCE(SUM(c), 0), COALESCE(SUM(usd), 0.0),"
            " COALESCE(SUM(n), 0) FROM ("
            " SELECT SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c,"
            f" SUM(cost_usd) AS usd, COUNT(*) AS n FROM token_usage {where}"
            " UNION ALL SELECT SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd),"
            f" SUM(calls) FROM usage_rollup {where}) AS parts",
            params + params,
        )
        prompt, completion, cost, calls = rows[0]
        return UsageTotals(int(prompt), int(completion), float(cost), int(calls))

    async def get_budget(self, key: str) -> str | None:
        """One budget bookkeeping entry (JSON text), or None."""
        rows = await self._fetch("SELECT value FROM budget_state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def dm_calls(self, since_id: int = 0) -> list[DmCallRecord]:
        """DM call recordings with ``id > since_id``, in id order."""
        rows = await self._fetch(
            "SELECT id, ts, request_id, record FROM dm_calls WHERE id > ? ORDER BY id",
            (since_id,),
        )
        return [DmCallRecord(int(i), float(ts), int(rid), str(rec)) for i, ts, rid, rec in rows]

    async def rolls(self, since_seq: int = 0) -> list[RollRecord]:
        """Logged dice rolls with ``seq > since_seq``, in (seq, insertion) order."""
        rows = await self._fetch(
            "SELECT ts, seq, reason, expr, dice, total FROM rolls WHERE seq > ? ORDER BY seq, id",
            (since_seq,),
        )
        return [
            RollRecord(float(ts), int(seq), str(reason), str(expr), str(dice), int(total))
            for ts, seq, reason, expr, dice, total in rows
        ]

    async def events(self, since_seq: int = 0) -> list[EventRecord]:
        """Logged hub input events with ``seq > since_seq``, in (seq, insertion) order."""
        rows = await self._fetch(
            "SELECT ts, seq, kind, data FROM event_log WHERE seq > ? ORDER BY seq, id",
            (since_seq,),
        )
        return [EventRecord(float(ts), int(seq), str(k), str(d)) for ts, seq, k, d in rows]

    async def narrations(self, limit: int) -> list[NarrationRecord]:
        """The newest ``limit`` narrations, oldest first."""
        if limit <= 0:
            return []
        rows = await self._fetch(
            "SELECT ts, request_id, room, actor, kind, provider, stitched, degraded, text FROM"
            " (SELECT * FROM narration_log ORDER BY id DESC LIMIT ?) AS newest ORDER BY id",
            (limit,),
        )
        return [
            NarrationRecord(
                ts=float(r[0]),
                request_id=int(r[1]),
                room=str(r[2]),
                actor=None if r[3] is None else str(r[3]),
                kind=str(r[4]),
                provider=str(r[5]),
                stitched=bool(r[6]),
                degraded=bool(r[7]),
                text=str(r[8]),
            )
            for r in rows
        ]

    async def active_bans(self, now: float) -> list[Ban]:
        """Bans not lifted and not expired at wall-clock ``now``, oldest first."""
        rows = await self._fetch(
            "SELECT kind, value, reason, by, created, expires FROM bans"
            " WHERE lifted IS NULL AND (expires IS NULL OR expires > ?) ORDER BY id",
            (now,),
        )
        return [
            Ban(str(k), str(v), str(r), str(b), float(c), None if e is None else float(e))
            for k, v, r, b, c, e in rows
        ]

    async def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """The newest ``limit`` admin actions, oldest first."""
        rows = await self._fetch(
            "SELECT ts, actor, action, target, detail FROM"
            " (SELECT * FROM audit_log ORDER BY id DESC LIMIT ?) AS newest ORDER BY id",
            (max(limit, 0),),
        )
        return [AuditEntry(float(t), str(a), str(x), str(g), str(d)) for t, a, x, g, d in rows]

    async def list_accounts(self) -> list[Account]:
        """Every account (password hashes included: callers must not print them)."""
        rows = await self._fetch(
            "SELECT name, name_key, pw_hash, is_admin, created FROM accounts ORDER BY name_key"
        )
        return [Account(str(n), str(k), str(h), bool(a), float(c)) for n, k, h, a, c in rows]

    async def prune(self, table: str, before: float, batch: int) -> int:
        """Delete up to ``batch`` of the oldest rows of ``table`` with ``ts < before``, as
        one small write through the writer queue (token usage is first added into
        ``usage_rollup``, in the same transaction). Returns how many rows went.

        Called by the retention task between game writes: each call is one short
        transaction, so the hub's commits never wait long behind it. Raises StoreError
        (ValueError for a table not in ``PRUNABLE``).
        """
        if table not in PRUNABLE:
            raise ValueError(f"{table!r} is not a prunable table")
        rows = await self._fetch(
            f"SELECT COUNT(*), MAX(id) FROM (SELECT id FROM {table} WHERE ts < ?"
            " ORDER BY id LIMIT ?) AS oldest",
            (before, max(batch, 1)),
        )
        count, max_id = rows[0]
        if not count:
            return 0
        ops: list[WriteOp] = []
        if table == "token_usage":
            ops.append(RollupUsage(int(max_id), before))
        ops.append(PruneLog(table, int(max_id), before))
        await self.apply(ops)
        return int(count)
