"""Retention: prune the play logs that grow with play, in the background.

``mud.app`` starts ``Pruner.run`` as a task beside the hub (it owns and cancels it).
Every ``interval`` seconds the pruner deletes rows older than their table's retention
period in small batches (``batch`` rows, one short transaction each, through the
Store's writer queue, with ``pause`` seconds between batches), so the hub's commits
never wait long behind it and the hub itself does nothing. Token usage is rolled up
into hourly totals (``usage_rollup``) in the same transaction that deletes it, so
budgets, ``usage`` and ``mud usage`` keep their totals.

A period of 0 keeps that table forever. ``mud replay`` of a database needs the event
log, rolls and DM call records from the run's start: prune those only as far back as
you no longer need to replay.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from attrs import fields, frozen

from mud.core.clock import Clock
from mud.core.ops import StoreError
from mud.logs import log_event

log = logging.getLogger("mud.retention")

DAY = 86400.0

TABLES = {
    "event_log_days": "event_log",
    "rolls_days": "rolls",
    "chat_log_days": "chat_log",
    "narration_log_days": "narration_log",
    "dm_calls_days": "dm_calls",
    "usage_days": "token_usage",
}
"""Setting name -> the table it prunes."""


class Prunable(Protocol):
    """What the pruner needs of the Store (``mud.store.db.Store.prune``)."""

    async def prune(self, table: str, before: float, batch: int) -> int: ...


@frozen
class RetentionSettings:
    """The ``retention`` config section. Periods are days (0 keeps forever); ``interval``
    and ``pause`` are seconds; ``batch`` rows per transaction."""

    event_log_days: float = 30.0
    rolls_days: float = 30.0
    chat_log_days: float = 90.0
    narration_log_days: float = 30.0
    dm_calls_days: float = 30.0
    usage_days: float = 90.0
    interval: float = 3600.0
    batch: int = 500
    pause: float = 0.05

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RetentionSettings:
        """Settings from the config section. Raises ValueError naming a bad key or value."""
        known = {a.name: a for a in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in known:
                raise ValueError(f"retention: unknown setting '{key}'")
            try:
                if isinstance(raw, bool):
                    raise ValueError
                value: float | int = int(raw) if key == "batch" else float(raw)
            except (TypeError, ValueError):
                raise ValueError(f"retention.{key}: expected a number, got {raw!r}") from None
            if value < 0 or (key in ("batch", "interval") and value <= 0):
                raise ValueError(f"retention.{key}: must be positive, got {raw!r}")
            values[key] = value
        return cls(**values)


class Pruner:
    """Deletes old play-log rows. ``run`` loops until cancelled; ``prune_once`` is one
    pass over every table (tests call it directly)."""

    def __init__(
        self,
        store: Prunable,
        settings: RetentionSettings,
        clock: Clock,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self.pruned: dict[str, int] = {}  # table -> rows deleted since start

    async def prune_once(self) -> dict[str, int]:
        """Prune every table down to its period. Returns rows deleted per table.

        Raises StoreError if the store fails (``run`` logs it and tries again later).
        """
        s = self._settings
        done: dict[str, int] = {}
        for key, table in TABLES.items():
            days = float(getattr(s, key))
            if days <= 0:
                continue
            before = self._clock.wall() - days * DAY
            total = 0
            while True:
                n = await self._store.prune(table, before, s.batch)
                total += n
                if n < s.batch:
                    break
                await self._sleep(s.pause)
            if total:
                done[table] = total
                self.pruned[table] = self.pruned.get(table, 0) + total
        if done:
            log_event(log, "retention_pruned", **dict(sorted(done.items())))
        return done

    async def run(self) -> None:
        """Prune now and then every ``interval`` seconds, until cancelled."""
        while True:
            try:
                await self.prune_once()
            except StoreError as exc:
                log_event(log, "retention_failed", level=logging.WARNING, error=str(exc))
            await self._sleep(self._settings.interval)
