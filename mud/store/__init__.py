"""Persistence: SQLite through aiosqlite (``mud.store.db``), schema in ``mud.store.schema``.

Only ``mud.app`` and the CLI import this package; everyone else sees a ``StorePort``.
"""

from mud.core.ops import StoreConflict, StoreError
from mud.store.db import Store, StoreSettings
from mud.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "StoreConflict", "StoreError", "StoreSettings"]
