"""SQLite persistence through aiosqlite: ``Store`` satisfies the store ports
(``mud.core.ports``).

This is the only module that imports aiosqlite. ``mud.app`` opens the Store (for a plain
path or a ``sqlite:///`` URL, see ``mud.store.open_store``), hands it to the hub and the
DM through their ports (``HubStore``, ``DmStore``) and closes it last on shutdown; the
CLI opens it briefly to apply ops such as ``SetAdmin``. The SQL, the group commit and
the reads are shared with the PostgreSQL store (``mud.store.common.SqlStore``); this
module supplies SQLite's connections, migrations, and the backup and restore of a file.

Invariants (beyond ``SqlStore``'s):
- The writer opens each group with ``BEGIN IMMEDIATE`` (the write lock at once).
- With ``journal_mode=WAL`` and ``synchronous=NORMAL`` a committed batch survives the
  process being killed (an OS crash or power loss may lose the last few commits; that
  is the accepted trade-off).
- Reads use a second, ``query_only`` connection, so they never observe the writer's
  uncommitted transaction.
- SQLite rolls a transaction back by itself on SQLITE_FULL and I/O errors: the group
  then fails with SQLite's own message ("database or disk is full").
- A database file this module creates (``Store.open`` on a new path, a ``mud backup``
  copy) is created mode 0600 whatever the umask: the ``accounts`` table holds password
  hashes. SQLite gives the ``-wal``, ``-shm`` and ``-journal`` files beside it the
  database file's mode. An existing file keeps the mode its operator gave it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pwd
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
from attrs import frozen

from mud.core.clock import Clock
from mud.core.ops import StoreError
from mud.store.common import (
    PRUNABLE,
    Param,
    SqlStore,
    Statement,
    StoreSettings,
    op_statement,
    utc_day_hour,
)
from mud.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    existing_refusal,
    newer_refusal,
    restore_refusal,
)

__all__ = [
    "PRUNABLE",
    "BackupReport",
    "Owner",
    "Statement",
    "Store",
    "StoreSettings",
    "backup_database",
    "database_in_use",
    "op_statement",
    "restore_database",
    "restore_owner",
    "utc_day_hour",
]

_log = logging.getLogger(__name__)
_Row = tuple[object, ...]

PRIVATE_MODE = 0o600
"""The mode of a database file mud creates: its owner's alone (it holds password hashes)."""


def create_private(path: Path) -> bool:
    """Create an empty file at ``path``, mode 0600 (the umask can only take bits away),
    unless something is there already. Returns True when this call created it.

    Called before SQLite first opens a new database or backup: SQLite would create the
    file with the umask's 0644, readable by every local user, and an empty file is an
    empty database to it. ``O_EXCL`` makes the check and the creation one step, so an
    existing file (the operator's own, with the mode they chose) is never touched.
    Raises OSError when the file cannot be created (no such folder, no permission).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


async def _connect(
    path: Path, settings: StoreSettings, *, query_only: bool, existing: str = ""
) -> aiosqlite.Connection:
    """Open and configure one connection. Raises StoreError naming ``path``.

    ``existing`` ("ro" or "rw") opens the file in SQLite URI mode, which never creates
    it; "ro" also leaves its journal mode alone (setting it is a write)."""
    if not await asyncio.to_thread(path.parent.is_dir):
        # Checked here rather than left to SQLite: when aiosqlite's connect fails, its
        # worker thread can outlive the event loop and fail posting its last result.
        raise StoreError(f"cannot open database {path}: no folder {path.parent}")
    if not existing:
        try:
            await asyncio.to_thread(create_private, path)
        except OSError as exc:
            raise StoreError(f"cannot create database {path}: {exc.strerror}") from exc
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (sqlite3 would otherwise
        # open implicit transactions around DML).
        if existing:
            uri = f"{(await asyncio.to_thread(path.resolve)).as_uri()}?mode={existing}"
            conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
        else:
            conn = await aiosqlite.connect(path, isolation_level=None)
    except aiosqlite.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    try:
        await conn.execute(f"PRAGMA busy_timeout = {int(settings.busy_timeout_ms)}")
        if existing != "ro":
            rows = list(await conn.execute_fetchall("PRAGMA journal_mode = WAL"))
            mode = str(rows[0][0]).lower() if rows else ""
            if mode != "wal":
                raise StoreError(f"database {path} cannot use WAL journal mode (got {mode!r})")
            await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        if query_only:
            await conn.execute("PRAGMA query_only = ON")
    except aiosqlite.Error as exc:
        await conn.close()
        raise StoreError(f"{path} is not a readable mud database: {exc}") from exc
    except BaseException:
        await conn.close()
        raise
    return conn


async def _migrate(conn: aiosqlite.Connection, path: Path) -> None:
    """Bring the schema to ``SCHEMA_VERSION``, one migration per transaction.

    The version is re-read inside each ``BEGIN IMMEDIATE`` so two processes opening the
    same file at once cannot both apply a migration. Raises StoreError if the database
    is newer than this code or a migration fails (that migration is rolled back).
    """
    while True:
        try:
            await conn.execute("BEGIN IMMEDIATE")
        except aiosqlite.Error as exc:
            raise StoreError(f"{path} is not a readable mud database: {exc}") from exc
        try:
            rows = list(await conn.execute_fetchall("PRAGMA user_version"))
            version = int(rows[0][0])
            if refusal := newer_refusal(version):
                raise StoreError(refusal)
            if version == SCHEMA_VERSION:
                await conn.execute("COMMIT")
                return
            for statement in MIGRATIONS[version]:
                await conn.execute(statement)
            # PRAGMA takes no parameters; the value is our own int.
            await conn.execute(f"PRAGMA user_version = {version + 1}")
            await conn.execute("COMMIT")
            _log.info("store %s migrated to schema version %d", path, version + 1)
        except BaseException as exc:
            try:
                await conn.execute("ROLLBACK")
            except aiosqlite.Error:
                _log.warning("store %s: rollback after failed migration also failed", path)
            if isinstance(exc, aiosqlite.Error):
                raise StoreError(f"migrating {path} failed: {exc}") from exc
            raise


class Store(SqlStore):
    """SQLite-backed ``SqlStore``. Create with ``await Store.open(path, clock=...)``.

    Owns two connections and one writer task; ``close`` must be awaited (it is
    idempotent) before the event loop ends, since aiosqlite's threads keep the process
    alive. Every method raises ``StoreError`` once the Store is closed.
    """

    _errors = (aiosqlite.Error,)

    def __init__(
        self,
        *,
        path: Path,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        clock: Clock,
        settings: StoreSettings,
    ) -> None:
        """Private: use ``Store.open``. Starts the writer task on the running loop."""
        self._path = path
        self._writer_conn = writer
        self._reader = reader
        super().__init__(name=path.name, clock=clock, settings=settings, log=_log)

    async def _begin(self) -> None:
        await self._writer_conn.execute("BEGIN IMMEDIATE")

    async def _execute(self, sql: str, params: Sequence[Param] = ()) -> None:
        await self._writer_conn.execute(sql, tuple(params))

    async def _execute_many(self, sql: str, rows: Sequence[Sequence[Param]]) -> None:
        # One hand-off to aiosqlite's thread for the run, not one per row: each hand-off
        # costs the event loop a future, a queue put and a wake-up (about 40 us).
        await self._writer_conn.executemany(sql, rows)

    def _in_transaction(self) -> bool:
        return bool(self._writer_conn.in_transaction)

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, aiosqlite.IntegrityError)

    async def _fetch_rows(self, sql: str, params: tuple[Param, ...]) -> list[tuple[object, ...]]:
        return [tuple(row) for row in await self._reader.execute_fetchall(sql, params)]

    async def _close_connections(self) -> None:
        try:
            await self._reader.close()
        finally:
            await self._writer_conn.close()

    async def table_counts(self) -> dict[str, int]:
        """Rows per table (for ``mud backup``, ``mud migrate`` and metrics)."""
        return await _table_counts(self._reader, self._settings.read_timeout)

    @classmethod
    async def open(
        cls, path: str | Path, *, clock: Clock, settings: StoreSettings | None = None
    ) -> Store:
        """Open (creating if needed) and migrate the database at ``path``.

        Raises StoreError when the file cannot be opened, is not a SQLite database, is
        newer than this code, or a migration fails. ``path`` must be a file path (two
        connections share it, so ``:memory:`` cannot work).
        """
        p = Path(path)
        s = settings if settings is not None else StoreSettings()
        writer = await _connect(p, s, query_only=False)
        try:
            await _migrate(writer, p)
            reader = await _connect(p, s, query_only=True)
        except BaseException:
            await writer.close()
            raise
        _log.info("store %s open (schema version %d)", p, SCHEMA_VERSION)
        return cls(path=p, writer=writer, reader=reader, clock=clock, settings=s)

    @classmethod
    async def open_existing(
        cls,
        path: str | Path,
        *,
        clock: Clock,
        writable: bool = False,
        settings: StoreSettings | None = None,
    ) -> Store:
        """Open a mud database that must already exist, for tools that read state (the
        CLI's ``usage``, ``replay``, admin commands): never creates, never migrates.

        Read-only unless ``writable`` (then ``apply`` works; without it every write
        raises StoreError). Raises StoreError with a message for a person when there is
        no file at ``path``, it is not a mud database, or its schema is older or newer
        than this code (``mud serve`` upgrades an older one).
        """
        p = Path(path)
        if not await asyncio.to_thread(p.is_file):
            folder = await asyncio.to_thread(p.is_dir)
            what = "a folder, not a database file" if folder else "no such file"
            raise StoreError(f"{p}: {what} (check --db; only `mud serve` creates a database)")
        s = settings if settings is not None else StoreSettings()
        # The schema is checked on a read-only connection first: opening for writing
        # switches the journal to WAL, which would change a file that is not ours.
        reader = await _connect(p, s, query_only=True, existing="ro")
        try:
            try:
                rows = list(await reader.execute_fetchall("PRAGMA user_version"))
                tables = list(
                    await reader.execute_fetchall(
                        "SELECT name FROM sqlite_master WHERE type='table' AND name='event_log'"
                    )
                )
            except aiosqlite.Error as exc:
                raise StoreError(f"{p} is not a readable mud database: {exc}") from exc
            version = int(rows[0][0]) if rows and tables else 0
            if refusal := existing_refusal(str(p), version):
                raise StoreError(refusal)
            writer = await _connect(
                p, s, query_only=not writable, existing="rw" if writable else "ro"
            )
        except BaseException:
            await reader.close()
            raise
        return cls(path=p, writer=writer, reader=reader, clock=clock, settings=s)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    async def table_columns(self, table: str) -> list[str]:
        """The columns of ``table``, in order."""
        rows = await self._fetch("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
        return [str(r[0]) for r in rows]

    async def bulk_load(self, table: str, columns: Sequence[str], rows: list[_Row]) -> None:
        """See ``SqlStore.bulk_load``: ``executemany`` in one ``BEGIN IMMEDIATE``."""
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        conn = self._writer_conn
        try:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                await conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
        except aiosqlite.Error as exc:
            raise StoreError(f"loading {table} failed: {exc}") from exc


async def _table_counts(conn: aiosqlite.Connection, deadline: float) -> dict[str, int]:
    async with asyncio.timeout(deadline):
        names = [
            str(r[0])
            for r in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts: dict[str, int] = {}
        for name in names:
            # Names come from sqlite_master of our own schema; quote them anyway.
            quoted = '"' + name.replace('"', '""') + '"'
            rows = list(await conn.execute_fetchall(f"SELECT COUNT(*) FROM {quoted}"))
            counts[name] = int(rows[0][0])
        return counts


@frozen
class BackupReport:
    """What ``backup_database`` / ``restore_database`` wrote: the file, its size in bytes,
    the rows per table and SQLite's ``integrity_check`` answer ("ok" when sound)."""

    path: Path
    size: int
    counts: dict[str, int]
    integrity: str
    kept: Path | None = None
    """For a restore: where the database it replaced was moved (None: there was none)."""
    version: int = SCHEMA_VERSION
    """For a restore: the schema version of what was restored (older: ``mud serve``
    migrates it at start)."""
    owner: str = ""
    """For a restore run by root: the user the restored file was given to ("" if none)."""


@frozen
class Owner:
    """Who owns a file or folder (numeric ids, as ``os.stat`` gives them)."""

    uid: int
    gid: int


def user_name(uid: int) -> str:
    """The login name of ``uid``, or the number when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def restore_owner(euid: int, folder: Owner, replaced: Owner | None) -> Owner | None:
    """Whom ``mud restore`` must give the restored database to, or None to leave it with
    the user running the restore (``euid``). Pure; called by ``restore_database``.

    The owner the server runs as is the replaced database's owner, or, with none, the
    destination folder's. Root restoring into a service user's folder gives the file to
    that user (the server could not open a root-owned 0600 file); anyone else cannot
    chown, and a file the server cannot open is no restore, so that is refused: raises
    StoreError telling them to run it as that user.
    """
    owner = replaced if replaced is not None else folder
    if owner.uid == euid:
        return None
    if euid == 0:
        return owner
    whom = user_name(owner.uid)
    raise StoreError(
        f"the database belongs to {whom}, and only root can give the restored file to"
        f" {whom}; run the restore as {whom} (sudo -u {whom} mud restore ...)"
    )


async def _integrity(conn: aiosqlite.Connection) -> str:
    rows = list(await conn.execute_fetchall("PRAGMA integrity_check"))
    return "; ".join(str(r[0]) for r in rows)


async def backup_database(source: str | Path, dest: str | Path) -> BackupReport:
    """Copy the live database ``source`` to ``dest`` with SQLite's online backup API.

    Safe while the server runs: the copy is one consistent snapshot (WAL contents
    included, since the source is read through SQLite and not as a file). ``dest`` must
    not exist yet. The copy is checked with ``PRAGMA integrity_check`` and its rows are
    counted. The copy is created mode 0600 (it holds password hashes; a root cron job's
    umask would have made it world-readable) and owned by whoever runs the backup.
    Called by ``mud backup``. Raises StoreError when ``source`` is missing or
    unreadable, ``dest``'s folder is missing, ``dest`` exists or cannot be written (a
    copy that failed half-way is removed).
    """
    src, dst = Path(source), Path(dest)
    if not await asyncio.to_thread(src.is_file):
        raise StoreError(f"no database at {src}")
    await _require_folder(dst, "the backup")
    try:
        created = await asyncio.to_thread(create_private, dst)
    except OSError as exc:
        raise StoreError(f"cannot write the backup {dst}: {exc.strerror}") from exc
    if not created:
        raise StoreError(f"{dst} already exists; choose a new file name")
    try:
        async with aiosqlite.connect(f"file:{src}?mode=ro", uri=True) as reader:
            await reader.execute("PRAGMA busy_timeout = 10000")
            async with aiosqlite.connect(dst) as writer:
                await reader.backup(writer)
                # The copy stands alone: one file, no WAL beside it.
                await writer.execute("PRAGMA journal_mode = DELETE")
                integrity = await _integrity(writer)
                counts = await _table_counts(writer, 600.0)
    except (aiosqlite.Error, OSError) as exc:
        # The file is ours (made above) and useless: leave no half copy that the next
        # attempt would refuse as "already exists".
        await asyncio.to_thread(dst.unlink, missing_ok=True)
        raise StoreError(f"backup of {src} to {dst} failed: {exc}") from exc
    return BackupReport(dst, (await asyncio.to_thread(dst.stat)).st_size, counts, integrity)


async def _require_folder(path: Path, what: str) -> None:
    """Raise StoreError naming the missing folder of ``path`` (SQLite's own words were
    "unable to open database file", which does not say what is wrong)."""
    if not await asyncio.to_thread(path.parent.is_dir):
        raise StoreError(f"cannot write {what} {path}: no folder {path.parent}")


async def database_in_use(path: str | Path) -> bool:
    """Whether another connection (a running server, a CLI) has the WAL database open.

    Leaving WAL mode needs the only connection; SQLite refuses with "locked" otherwise.
    The database is put back into WAL mode before returning.
    """
    try:
        async with aiosqlite.connect(path, isolation_level=None) as conn:
            await conn.execute("PRAGMA busy_timeout = 0")
            try:
                rows = list(await conn.execute_fetchall("PRAGMA journal_mode = DELETE"))
            except aiosqlite.OperationalError as exc:
                # "database is locked": another connection has it. Anything else (a
                # file this process cannot write) is not use, and its opener says what.
                return "locked" in str(exc) or "busy" in str(exc)
            except aiosqlite.DatabaseError:
                # "file is not a database": no server can be using it either, and a
                # damaged database is just what a restore must be able to replace.
                return False
            mode = str(rows[0][0]).lower() if rows else ""
            await conn.execute("PRAGMA journal_mode = WAL")
            return mode != "delete"
    except aiosqlite.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc


_COMPANIONS = ("", "-wal", "-shm", "-journal")
"""A SQLite database's file and the files SQLite may keep beside it."""


def _move_database(src: Path, dst: Path) -> None:
    """Rename the database ``src`` and whichever of its companion files exist to
    ``dst`` (same folder). A ``-wal`` left beside a file it does not belong to would be
    played into it, so they always move together."""
    for suffix in _COMPANIONS:
        part = Path(f"{src}{suffix}")
        if part.exists():
            part.rename(f"{dst}{suffix}")


def _remove_database(path: Path) -> None:
    for suffix in _COMPANIONS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _aside(dst: Path, stamp: str) -> Path:
    """A free name beside ``dst`` for the database a restore replaces."""
    kept = dst.with_name(f"{dst.name}.before-restore-{stamp}")
    n = 1
    while any(Path(f"{kept}{suffix}").exists() for suffix in _COMPANIONS):
        n += 1
        kept = dst.with_name(f"{dst.name}.before-restore-{stamp}-{n}")
    return kept


def _owner_of(path: Path) -> Owner:
    st = path.stat()
    return Owner(st.st_uid, st.st_gid)


def _give(path: Path, owner: Owner) -> None:
    for suffix in _COMPANIONS:
        part = Path(f"{path}{suffix}")
        if part.exists():
            os.chown(part, owner.uid, owner.gid)


async def restore_database(
    source: str | Path, dest: str | Path, *, euid: int | None = None
) -> BackupReport:
    """Replace the database ``dest`` with the backup ``source`` (server stopped).
    Called by ``mud restore``; ``euid`` is the effective user (default: this process's).

    Checked before anything is touched: ``source`` passes ``integrity_check`` and is a
    mud database of this schema version or an older one (``mud serve`` migrates it at
    start); ``dest``'s folder exists; ``dest`` is not open elsewhere; the restored file
    can be given to the user who owns ``dest`` (``restore_owner``). The backup is then
    copied through SQLite's backup API into a new 0600 file beside ``dest``, checked,
    given to that owner when root runs the restore, and renamed into place; the
    database it replaces (with any -wal/-shm) is not deleted but renamed to
    ``<dest>.before-restore-<UTC time>``. Raises StoreError naming what is wrong; on
    any failure ``dest`` is as it was.
    """
    src, dst = Path(source), Path(dest)
    if not await asyncio.to_thread(src.is_file):
        raise StoreError(f"no backup at {src}")
    if not await asyncio.to_thread(dst.parent.is_dir):
        raise StoreError(f"cannot restore into {dst}: no folder {dst.parent}")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    staged = dst.with_name(f"{dst.name}.restoring-{stamp}")
    created = False
    try:
        async with aiosqlite.connect(f"file:{src}?mode=ro", uri=True) as reader:
            integrity = await _integrity(reader)
            if integrity != "ok":
                raise StoreError(f"{src} fails integrity_check: {integrity}")
            rows = list(await reader.execute_fetchall("PRAGMA user_version"))
            version = int(rows[0][0]) if rows else 0
            tables = [
                str(r[0])
                for r in await reader.execute_fetchall(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            ]
            if refusal := restore_refusal(str(src), version, tables):
                raise StoreError(f"{refusal}; nothing was changed")
            exists = await asyncio.to_thread(dst.exists)
            if exists and await database_in_use(dst):
                raise StoreError(f"{dst} is in use (is the server running?); stop it first")
            owner = restore_owner(
                os.geteuid() if euid is None else euid,
                await asyncio.to_thread(_owner_of, dst.parent),
                await asyncio.to_thread(_owner_of, dst) if exists else None,
            )
            try:
                created = await asyncio.to_thread(create_private, staged)
            except OSError as exc:
                raise StoreError(f"cannot write {staged}: {exc.strerror}") from exc
            if not created:
                raise StoreError(f"{staged} exists: is another restore running?")
            async with aiosqlite.connect(staged) as writer:
                await writer.execute("PRAGMA busy_timeout = 0")
                await reader.backup(writer)
                await writer.execute("PRAGMA journal_mode = WAL")
                counts = await _table_counts(writer, 600.0)
                integrity = await _integrity(writer)
        if integrity != "ok":
            raise StoreError(f"the copy of {src} fails integrity_check: {integrity}")
        if owner is not None:
            await asyncio.to_thread(_give, staged, owner)
        kept = None
        if exists:
            kept = _aside(dst, stamp)
            await asyncio.to_thread(_move_database, dst, kept)
        try:
            await asyncio.to_thread(_move_database, staged, dst)
        except OSError:
            if kept is not None:
                await asyncio.to_thread(_move_database, kept, dst)
            raise
    except (aiosqlite.Error, OSError) as exc:
        if created:
            await asyncio.to_thread(_remove_database, staged)
        raise StoreError(f"restore of {src} into {dst} failed: {exc}") from exc
    except BaseException:
        if created:
            await asyncio.to_thread(_remove_database, staged)
        raise
    size = (await asyncio.to_thread(dst.stat)).st_size
    return BackupReport(
        dst,
        size,
        counts,
        integrity,
        kept=kept,
        version=version,
        owner="" if owner is None else user_name(owner.uid),
    )
