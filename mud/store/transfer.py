"""Moving a world from one store to another: ``mud migrate --from URL --to URL``.

Called by the CLI with two open stores of the same schema version (the source opened
read-only with ``open_existing_store``, the destination with ``open_store``, which
creates its schema). Driver-free: it reads and writes through ``SqlStore``.

Invariants:
- Every table of the schema is copied, in creation order (an account before its
  characters and keys), rows as they are: ids, timestamps and JSON text unchanged, so
  replay, ``since_id`` cursors and the usage report read the same after the move.
- The destination must be empty (no row in any mud table): a migration never merges
  two worlds. It is refused before anything is written.
- Large tables go in chunks of ``chunk`` rows by ``id``, each chunk one transaction.
  A migration that fails half-way leaves a partial destination and says so; empty it
  (drop the schema or delete the file) and run again.
- The game server must be stopped (nothing may write to the source meanwhile); the CLI
  checks that for a SQLite source.
- Afterwards the row counts of both are compared; a difference is an error.
"""

from __future__ import annotations

from collections.abc import Callable

from mud.core.ops import StoreError
from mud.store.common import SqlStore
from mud.store.dialect import IDENTITY_TABLES, TABLES


async def copy_world(
    source: SqlStore,
    dest: SqlStore,
    *,
    chunk: int = 5000,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy every mud table of ``source`` into the empty ``dest``; return rows copied
    per table. ``progress(table, rows_so_far)`` is called after each chunk.

    Raises StoreError when ``dest`` is not empty, a table's columns differ between the
    two, a read or a load fails, or the counts do not match afterwards.
    """
    before = await dest.table_counts()
    filled = sorted(t for t in TABLES if before.get(t, 0))
    if filled:
        raise StoreError(
            f"the destination already holds a world (rows in {', '.join(filled)});"
            " migrate only into an empty database"
        )
    copied: dict[str, int] = {}
    for table in TABLES:
        columns = await source.table_columns(table)
        theirs = await dest.table_columns(table)
        if columns != theirs:
            raise StoreError(f"table {table} differs: {columns} here, {theirs} there")
        n = 0
        if table in IDENTITY_TABLES:
            after = 0
            while True:
                rows = await source.export_rows(table, columns, after_id=after, limit=chunk)
                if not rows:
                    break
                await _load(dest, table, columns, rows, n)
                n += len(rows)
                after = int(rows[-1][columns.index("id")])
                if progress is not None:
                    progress(table, n)
        else:
            rows = await source.export_rows(table, columns, after_id=None, limit=0)
            if rows:
                await _load(dest, table, columns, rows, n)
                n = len(rows)
            if progress is not None:
                progress(table, n)
        copied[table] = n
    theirs_now = await dest.table_counts()
    ours = await source.table_counts()
    wrong = [t for t in TABLES if ours.get(t, 0) != theirs_now.get(t, 0)]
    if wrong:
        raise StoreError(f"row counts differ after the copy in: {', '.join(wrong)}")
    return copied


async def _load(
    dest: SqlStore, table: str, columns: list[str], rows: list[tuple[object, ...]], done: int
) -> None:
    try:
        await dest.bulk_load(table, columns, rows)
    except StoreError as exc:
        raise StoreError(
            f"{exc} (after {done} rows of {table}; the destination is partly filled:"
            " empty it before trying again)"
        ) from exc
