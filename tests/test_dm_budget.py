"""Budget: rate limits, reservations and settlement, caps, alerts, pricing, persistence."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.clock import FakeClock
from mud.core.narration import Priority
from mud.core.ops import PutBudget
from mud.dm.budget import (
    BUDGET_KEY,
    PROMPT_MARGIN,
    Budget,
    OverLimit,
    Reservation,
    SlidingWindow,
    TokenBucket,
    price,
    utc_day,
)
from mud.dm.providers.base import Usage
from mud.dm.settings import DmSettings

PRICES = {"m": (1_000.0, 2_000.0), "cheap": (1.0, 1.0)}  # $/M tokens; "m" is very dear


def test_token_bucket_refills_at_rate() -> None:
    b = TokenBucket(60, 2, now=0.0)  # one a second, bursts of two
    assert b.try_take(0.0) and b.try_take(0.0)
    assert not b.try_take(0.0)
    assert not b.try_take(0.5)
    assert b.try_take(1.0)
    assert b.available(100.0) == 2  # never above capacity


def test_sliding_window() -> None:
    w = SlidingWindow(2, window=60.0)
    w.record(0.0)
    w.record(10.0)
    assert not w.allows(59.9)
    assert w.allows(60.0)  # the first event left the window
    assert w.count(70.0) == 0


def test_price_table_and_unknown_models() -> None:
    table = {"gpt-x": (0.15, 0.60)}
    assert price(table, "gpt-x", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert price(table, "llama-local", 5_000, 5_000) == 0.0


def test_provider_rate_limit_uses_clock() -> None:
    clock = FakeClock()
    b = Budget(DmSettings(provider_rpm=60), clock)  # burst 6, one a second
    assert all(b.admit_provider("openai") for _ in range(6))
    assert not b.admit_provider("openai")
    assert b.admit_provider("local")  # separate bucket
    clock.advance(1.0)
    assert b.admit_provider("openai")


def test_actor_and_room_windows() -> None:
    clock = FakeClock()
    b = Budget(DmSettings(actor_per_min=2, room_per_min=3), clock)
    assert b.allow_call("alice", "r1") and b.allow_call("alice", "r1")
    assert not b.allow_call("alice", "r1")  # actor limit
    assert b.allow_call("bob", "r1")
    assert not b.allow_call("carol", "r1")  # room limit
    assert b.allow_call(None, "r2")
    clock.advance(60.0)
    assert b.allow_call("alice", "r1")


def test_reserve_settle_charges_actual_usage() -> None:
    clock = FakeClock()
    s = DmSettings(pricing={"cheap": (1.0, 2.0)}, daily_budget_usd=1.0, actor_daily_usd=1.0)
    b = Budget(s, clock)
    res = b.reserve("alice", 100, 50, ["cheap"])
    assert isinstance(res, Reservation)
    booked_tokens = int(100 * PROMPT_MARGIN) + 50
    assert res.tokens == booked_tokens
    assert b.reserved == pytest.approx((125 * 1.0 + 50 * 2.0) / 1e6)
    out = b.settle(res, [("openai", "cheap", Usage(80, 40, False))], room="r1", kind="action")
    assert b.reserved == 0
    assert out.charges[0].cost_usd == pytest.approx((80 + 80) / 1e6)
    assert b.actor_tokens("alice") == 120
    assert b.totals["kind"]["action"][3] == 1
    # Settling twice releases once and does not double-charge the reservation.
    b.settle(res, [])
    assert b.reserved == 0 and b.actor_tokens("alice") == 120


def test_offline_usage_is_free_and_does_not_use_allowance() -> None:
    b = Budget(DmSettings(pricing=PRICES), FakeClock())
    out = b.charge("alice", "r1", "action", [("offline", "m", Usage(500, 500, True))])
    assert out.charges[0].cost_usd == 0.0
    assert b.actor_tokens("alice") == 0


def test_over_token_limit_refuses_and_tells_actor_once() -> None:
    b = Budget(DmSettings(actor_token_limit=1_000, pricing={}), FakeClock())
    res = b.reserve("alice", 400, 200, ["free"])
    assert isinstance(res, Reservation)
    # 500 + 200 booked; another 700 does not fit beside it.
    refused = b.reserve("alice", 400, 200, ["free"])
    assert isinstance(refused, OverLimit) and refused.cap == "actor_tokens"
    assert len(refused.notices) == 1
    notice = refused.notices[0]
    assert notice.to == "alice" and not notice.admins_only
    assert "offline narrator" in notice.text
    again = b.reserve("alice", 400, 200, ["free"])
    assert isinstance(again, OverLimit) and again.notices == ()
    assert isinstance(b.reserve("bob", 400, 200, ["free"]), Reservation)


def test_daily_cost_cap_and_world_requests() -> None:
    s = DmSettings(pricing={"m": (1_000.0, 1_000.0)}, daily_budget_usd=0.5, actor_daily_usd=1)
    b = Budget(s, FakeClock())
    # 1000 tokens at $1000/M = $1 > $0.5 daily budget, even for world requests.
    refused = b.reserve(None, 100, 875, ["m"])
    assert isinstance(refused, OverLimit) and refused.cap == "daily_cost"
    assert refused.notices == ()  # nobody to tell
    assert isinstance(b.reserve(None, 100, 100, ["m", "cheap"]), Reservation)


def test_extend_books_continuations_within_caps() -> None:
    b = Budget(DmSettings(actor_token_limit=1000, pricing={}), FakeClock())
    res = b.reserve("alice", 200, 200, [])
    assert isinstance(res, Reservation)
    assert b.extend(res, 200, 200, [])  # 450 + 450 = 900
    assert not b.extend(res, 200, 200, [])
    assert res.units == 2
    b.settle(res, [])
    assert isinstance(b.reserve("alice", 200, 200, []), Reservation)


def test_alerts_once_each_at_thresholds() -> None:
    clock = FakeClock()
    s = DmSettings(
        pricing={"m": (1.0, 0.0)},
        daily_budget_usd=1.0,
        actor_daily_usd=1.0,
        actor_token_limit=10_000_000,
    )
    b = Budget(s, clock)

    def spend(dollars: float) -> list[str]:
        out = b.charge(None, "r", "action", [("p", "m", Usage(int(dollars * 1e6), 0, False))])
        return [n.text for n in out.notices]

    assert spend(0.4) == []
    got = spend(0.15)
    assert len(got) == 1 and "50%" in got[0]
    assert spend(0.01) == []
    got = spend(0.5)  # jumps past 80 % and 100 % at once
    assert len(got) == 2 and "80%" in got[0] and "100%" in got[1]
    assert spend(0.5) == []
    # A new UTC day starts afresh.
    clock.advance(86_400)
    assert b.spent_today == 0.0
    assert len(spend(0.6)) == 1


def test_actor_token_alerts_go_to_admins() -> None:
    b = Budget(DmSettings(actor_token_limit=1000, pricing={}), FakeClock())
    out = b.charge("alice", "r", "action", [("p", "free", Usage(600, 0, False))])
    assert [n.admins_only for n in out.notices] == [True]
    assert "alice" in out.notices[0].text and "50%" in out.notices[0].text


class BudgetStore:
    """The part of DmStore that budget persistence uses, backed by a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, str] = {}

    async def apply(self, ops: list[PutBudget]) -> None:
        for op in ops:
            self.rows[op.key] = op.value

    async def get_budget(self, key: str) -> str | None:
        return self.rows.get(key)


async def test_persistence_round_trip_keeps_caps() -> None:
    clock = FakeClock()
    s = DmSettings(actor_token_limit=1000, pricing={"m": (1.0, 0.0)}, daily_budget_usd=1.0)
    b = Budget(s, clock)
    b.charge("alice", "r", "action", [("p", "m", Usage(990, 0, False))])
    refused = b.reserve("alice", 10, 10, ["m"])
    assert isinstance(refused, OverLimit)
    store = BudgetStore()
    await store.apply([PutBudget(BUDGET_KEY, json.dumps(b.snapshot()), clock.wall())])

    fresh = Budget(s, clock)
    raw = await store.get_budget(BUDGET_KEY)
    assert raw is not None
    fresh.restore(json.loads(raw))
    assert fresh.actor_tokens("alice") == 990
    assert fresh.spent_today == pytest.approx(990 / 1e6)
    again = fresh.reserve("alice", 10, 10, ["m"])
    assert isinstance(again, OverLimit)
    assert again.notices == ()  # already told before the restart
    assert fresh.snapshot() == b.snapshot()


def test_restore_ignores_other_days_and_rejects_garbage() -> None:
    clock = FakeClock()
    b = Budget(DmSettings(), clock)
    snap = b.snapshot() | {"day": "1999-01-01", "spent": 5.0}
    b.restore(snap)
    assert b.spent_today == 0.0
    with pytest.raises(ValueError):
        b.restore({"day": utc_day(clock.wall()), "spent": "lots"})


def test_report() -> None:
    b = Budget(DmSettings(pricing={"m": (1.0, 1.0)}, daily_budget_usd=2.0), FakeClock())
    b.charge("alice", "r", "action", [("p", "m", Usage(100, 50, False))])
    rep = b.report("alice")
    assert (rep.used, rep.limit) == (150, 100_000)
    assert rep.cost_usd == pytest.approx(150 / 1e6)
    assert rep.daily_limit_usd == 2.0


# Each step: start a call (actor, prompt tokens, max tokens), or finish the oldest open
# call using some fraction of what it booked.
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("start"),
            st.sampled_from(["alice", "bob", None]),
            st.integers(0, 400),
            st.integers(1, 300),
        ),
        st.tuples(st.just("finish"), st.floats(0, 1), st.floats(0, 1), st.integers(0, 3)),
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(steps)
def test_concurrent_reservations_never_overrun_caps(script: list[tuple]) -> None:
    s = DmSettings(
        pricing={"m": (100.0, 300.0)},
        daily_budget_usd=0.2,
        actor_daily_usd=0.12,
        actor_token_limit=1_500,
    )
    b = Budget(s, FakeClock())
    open_calls: list[tuple[Reservation, int, int]] = []

    def check() -> None:
        eps = 1e-9
        assert b.spent_today + b.reserved <= s.daily_budget_usd + eps
        for actor in ("alice", "bob"):
            snap = b.snapshot()
            spent = snap["actor_cost"].get(actor, 0.0)
            used = snap["actor_tokens"].get(actor, 0)
            booked = sum(r.tokens for r, _, _ in open_calls if r.actor == actor)
            booked_cost = sum(r.cost for r, _, _ in open_calls if r.actor == actor)
            assert used + booked <= s.actor_token_limit
            assert spent + booked_cost <= s.actor_daily_usd + eps

    for step in script:
        if step[0] == "start":
            _, actor, ptok, mtok = step
            res = b.reserve(actor, ptok, mtok, ["m"])
            if isinstance(res, Reservation):
                open_calls.append((res, ptok, mtok))
        elif open_calls:
            _, pf, cf, pick = step
            res, ptok, mtok = open_calls.pop(pick % len(open_calls))
            # A real call never uses more than it booked: prompt <= estimate * margin,
            # completion <= max_tokens.
            used = Usage(int(ptok * PROMPT_MARGIN * pf), int(mtok * cf), False)
            b.settle(res, [("openai", "m", used)])
        check()
    for res, _, _ in open_calls:
        b.settle(res, [("openai", "m", Usage(0, 0, False))])
    assert b.reserved == pytest.approx(0.0, abs=1e-12)
    assert b.spent_today <= s.daily_budget_usd + 1e-9


def test_settings_from_mapping_validates() -> None:
    s = DmSettings.from_mapping({"daily_budget_usd": 2, "pricing": {"x": [1, 2]}})
    assert s.daily_budget_usd == 2 and s.pricing["x"] == (1.0, 2.0)
    assert s.size_for(Priority.HIGH) == 5 and s.timeout_for(Priority.MEDIUM) == 10.0
    with pytest.raises(ValueError, match="unknown DM setting"):
        DmSettings.from_mapping({"daily_budget": 2})
    with pytest.raises(ValueError):
        DmSettings(pricing={"x": (-1, 0)})
    with pytest.raises(ValueError):
        DmSettings(alert_thresholds=(0.8, 0.5))
    with pytest.raises(ValueError):
        DmSettings(max_concurrent=0)


def test_many_characters_played_through_leave_no_per_character_entries_behind() -> None:
    # Every character and room narrated for kept a rate window (a deque) and a
    # reservation entry until a restart: one of each per character ever seen.
    clock = FakeClock()
    s = DmSettings(pricing={"cheap": (1.0, 2.0)}, actor_per_min=5, room_per_min=1_000)
    b = Budget(s, clock)
    for i in range(2_000):
        actor, room = f"char{i}", f"room{i % 50}"
        assert b.allow_call(actor, room)
        res = b.reserve(actor, 100, 50, ["cheap"])
        assert isinstance(res, Reservation)
        b.settle(res, [("openai", "cheap", Usage(80, 40, False))], room=room, kind="action")
        clock.advance(0.5)
    # Only the last two minutes' callers can still be limited; nothing is reserved.
    assert len(b._actor_windows) <= 2 * 60 * 2
    assert len(b._room_windows) <= 50
    assert b._res_actor_cost == {} and b._res_actor_tokens == {}
    clock.advance(120.0)
    assert b.allow_call("late", "room0")
    assert list(b._actor_windows) == ["late"] and list(b._room_windows) == ["room0"]
    # The limits still hold across a sweep: a busy actor keeps its window.
    for _ in range(4):
        assert b.allow_call("late", "room0")
    clock.advance(61.0)
    assert b.allow_call("busy", "room1")  # sweeps; "late"'s calls are over a minute old
    assert "late" not in b._actor_windows
    for _ in range(4):
        assert b.allow_call("busy", "room1")
    assert not b.allow_call("busy", "room1")  # five a minute
    assert b.actor_tokens("char0") == 120  # today's usage is still counted
