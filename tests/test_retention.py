"""Retention pruning with an injected clock, on both backends (a real SQLite file and a
real PostgreSQL schema: the ``target`` fixture)."""

from __future__ import annotations

import json

import pytest
from attrs import asdict
from storetarget import StoreTarget

from mud.core.clock import FakeClock
from mud.core.ops import (
    CreateAccount,
    LogChat,
    LogEvent,
    LogNarration,
    LogRoll,
    RecordDmCall,
    RecordUsage,
)
from mud.core.records import UsageRow, UsageTotals
from mud.dm.report import usage_report
from mud.retention import DAY, Pruner, RetentionSettings

NOW = 1_800_000_000.0


def same(a: object, b: object) -> bool:
    """Equal, with money compared to float precision (sums change order when rolled up)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, UsageTotals) and isinstance(b, UsageTotals):
        return same(asdict(a), asdict(b))
    return a == b


def report(rows: list[UsageRow], by: tuple[str, ...] | None = None) -> object:
    text = usage_report(rows, fmt="json") if by is None else usage_report(rows, by=by, fmt="json")
    return json.loads(text)


def usage(ts: float, actor: str | None, tokens: int, cost: float) -> RecordUsage:
    return RecordUsage(ts, actor, "tavern", "openai", "gpt", "narrate", tokens, 7, False, cost)


async def test_pruning_deletes_old_rows_in_batches_and_keeps_usage_totals(
    target: StoreTarget,
) -> None:
    clock = FakeClock(wall_start=NOW)
    store = await target.open(clock=clock)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    try:
        old, recent = NOW - 40 * DAY, NOW - 1 * DAY
        very_old = NOW - 200 * DAY
        ops = [CreateAccount("Ann", "ann", "h", False, very_old)]
        for i in range(25):
            for ts in (old + i, recent + i):
                ops += [
                    LogEvent(ts, int(ts), "line", "{}"),
                    LogRoll(ts, int(ts), "attack", "1d20", "[3]", 3),
                    LogChat(ts, "tavern", "say", "Ann", None, f"hello {i}"),
                    LogNarration(ts, i, "tavern", "Ann", "action", "offline", False, False, "x"),
                    RecordDmCall(ts, i, "{}"),
                ]
        for i in range(30):
            # Usage of three ages, two actors, several hours of the same day.
            ops.append(usage(very_old + 600 * i, "Ann" if i % 3 else None, 100 + i, 0.01 * i))
            ops.append(usage(recent + 600 * i, "Ann", 50, 0.002))
        await store.apply(ops)
        before_report = report(await store.usage_rows())
        before_by_actor = report(await store.usage_rows(), ("actor",))
        before_totals = await store.usage_totals()
        before_ann = await store.usage_totals(actor="Ann")
        before_day = await store.usage_totals(day=(await store.usage_rows())[0].day)

        settings = RetentionSettings(batch=7, chat_log_days=30, usage_days=90)
        pruner = Pruner(store, settings, clock, sleep=sleep)
        done = await pruner.prune_once()
        assert done == {
            "event_log": 25,
            "rolls": 25,
            "chat_log": 25,
            "narration_log": 25,
            "dm_calls": 25,
            "token_usage": 30,
        }
        assert len(slept) >= 6 * 3  # batches of 7: a pause between each full batch
        assert all(s == settings.pause for s in slept)

        for table in ("event_log", "rolls", "chat_log", "narration_log", "dm_calls"):
            left = await target.query(f"SELECT COUNT(*), MIN(ts) FROM {table}")
            assert left == [(25, recent)], table
        assert await target.query("SELECT COUNT(*) FROM token_usage") == [(30,)]
        rolled = await target.query("SELECT COUNT(*) FROM usage_rollup")
        assert int(str(rolled[0][0])) > 0
        assert await target.query("SELECT COUNT(*) FROM accounts") == [(1,)]

        # Every total and report reads the same after pruning.
        assert same(await store.usage_totals(), before_totals)
        assert same(await store.usage_totals(actor="Ann"), before_ann)
        assert same(await store.usage_totals(day=(await store.usage_rows())[0].day), before_day)
        assert same(report(await store.usage_rows()), before_report)
        assert same(report(await store.usage_rows(), ("actor",)), before_by_actor)

        # A second pass finds nothing; time passing makes the recent rows old in turn.
        assert await pruner.prune_once() == {}
        clock.advance(40 * DAY)
        assert (await pruner.prune_once())["chat_log"] == 25
        clock.advance(100 * DAY)
        assert (await pruner.prune_once())["token_usage"] == 30
        assert same(await store.usage_totals(), before_totals)
        assert same(report(await store.usage_rows()), before_report)
    finally:
        await store.close()


async def test_a_zero_period_keeps_a_table_forever(target: StoreTarget) -> None:
    clock = FakeClock(wall_start=NOW)
    store = await target.open(clock=clock)
    try:
        await store.apply([LogChat(NOW - 999 * DAY, "r", "say", "a", None, "old")])
        settings = RetentionSettings(chat_log_days=0)
        assert await Pruner(store, settings, clock).prune_once() == {}
        assert len(await store.recent_chat(10)) == 1
    finally:
        await store.close()


def test_settings_from_config_are_checked() -> None:
    assert RetentionSettings.from_mapping({"chat_log_days": "7", "batch": 100}) == (
        RetentionSettings(chat_log_days=7.0, batch=100)
    )
    with pytest.raises(ValueError, match="unknown setting 'chat_days'"):
        RetentionSettings.from_mapping({"chat_days": 7})
    with pytest.raises(ValueError, match=r"retention\.usage_days: expected a number"):
        RetentionSettings.from_mapping({"usage_days": "soon"})
    with pytest.raises(ValueError, match=r"retention\.batch: must be positive"):
        RetentionSettings.from_mapping({"batch": 0})
