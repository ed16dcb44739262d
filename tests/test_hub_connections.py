"""mud.hub.connections: connection hygiene as decisions from clock values. Pure tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mud.hub.connections import (
    IDLE_CLOSE,
    Activity,
    AddressCount,
    Flood,
    FloodBucket,
    IdleWarn,
    LinkDead,
    Refusal,
)

# -- per-address count ----------------------------------------------------------------------


def test_an_address_is_refused_at_its_cap_and_admitted_again_once_one_leaves() -> None:
    count = AddressCount(2)
    for _ in range(2):
        assert count.check("10.0.0.1", stopping=False) is None
        count.admit("10.0.0.1")
    assert count.check("10.0.0.1", stopping=False) is Refusal.PER_IP
    assert count.check("10.0.0.2", stopping=False) is None  # per address
    count.release("10.0.0.1")
    assert count.check("10.0.0.1", stopping=False) is None


def test_a_stopping_server_refuses_everyone_and_says_why() -> None:
    count = AddressCount(5)
    assert count.check("10.0.0.1", stopping=True) is Refusal.STOPPING
    assert Refusal.STOPPING.text == "The server is shutting down."
    assert Refusal.PER_IP.text == "Too many connections from your address."
    assert (Refusal.STOPPING.value, Refusal.PER_IP.value) == ("stopping", "per_ip")


@given(st.lists(st.tuples(st.booleans(), st.sampled_from(["a", "b", "c"])), max_size=60))
def test_the_count_never_exceeds_the_cap_and_matches_what_is_open(
    events: list[tuple[bool, str]],
) -> None:
    count = AddressCount(3)
    open_: dict[str, int] = {}
    for connect, peer in events:
        if connect:
            if count.check(peer, stopping=False) is None:
                count.admit(peer)
                open_[peer] = open_.get(peer, 0) + 1
        elif open_.get(peer):
            count.release(peer)
            open_[peer] -= 1
        for p in "abc":
            assert count.count(p) == open_.get(p, 0) <= 3


# -- flood bucket ---------------------------------------------------------------------------


def test_a_burst_is_taken_then_warned_once_then_ignored_then_dropped() -> None:
    bucket = FloodBucket(0.0)
    verdicts = [bucket.hit(0.0, rate=10.0, burst=4.0) for _ in range(9)]
    assert verdicts == [Flood.OK] * 4 + [Flood.WARN] + [Flood.IGNORE] * 3 + [Flood.DROP]


def test_the_bucket_drains_at_its_rate() -> None:
    bucket = FloodBucket(0.0)
    for _ in range(4):
        bucket.hit(0.0, rate=10.0, burst=4.0)
    # 0.3 s later three lines have drained: three more fit.
    assert [bucket.hit(0.3, rate=10.0, burst=4.0) for _ in range(3)] == [Flood.OK] * 3
    assert bucket.hit(0.3, rate=10.0, burst=4.0) is Flood.WARN


@given(st.lists(st.floats(0.0, 2.0), min_size=1, max_size=80))
def test_lines_at_or_under_the_sustained_rate_are_always_taken(gaps: list[float]) -> None:
    bucket = FloodBucket(0.0)
    now = 0.0
    for gap in gaps:
        now += max(gap, 0.1)  # never faster than 10 lines a second
        assert bucket.hit(now, rate=10.0, burst=4.0) is Flood.OK


# -- login deadline and idle ----------------------------------------------------------------


def test_a_login_times_out_only_after_its_deadline() -> None:
    activity = Activity(100.0)
    activity.touch(150.0)  # typing does not extend the login deadline
    assert not activity.login_expired(220.0, 120.0)
    assert activity.login_expired(220.5, 120.0)


def test_idle_warns_once_then_closes_and_input_resets_both() -> None:
    activity = Activity(0.0)
    assert activity.idle(1499.0, warn=1500.0, close=1800.0) is None
    assert activity.idle(1500.0, warn=1500.0, close=1800.0) == IdleWarn(5)
    assert activity.idle(1700.0, warn=1500.0, close=1800.0) is None  # warned once
    assert activity.idle(1800.0, warn=1500.0, close=1800.0) is IDLE_CLOSE
    activity.touch(1800.0)
    assert activity.idle(3299.0, warn=1500.0, close=1800.0) is None
    assert activity.idle(3590.0, warn=1500.0, close=1800.0) == IdleWarn(1)  # never "0 minutes"


@given(st.floats(0.0, 10_000.0), st.floats(1.0, 5_000.0), st.floats(0.0, 5_000.0))
def test_idle_closes_exactly_from_the_close_time(idle: float, warn: float, extra: float) -> None:
    close = warn + extra
    activity = Activity(0.0)
    verdict = activity.idle(idle, warn=warn, close=close)
    if idle >= close:
        assert verdict is IDLE_CLOSE
    elif idle >= warn:
        assert isinstance(verdict, IdleWarn) and verdict.minutes >= 1
    else:
        assert verdict is None


# -- link-dead grace ------------------------------------------------------------------------


def test_link_dead_characters_expire_after_their_grace_in_order() -> None:
    dead = LinkDead(30.0)
    dead.start("bob", 0.0)
    dead.start("ann", 10.0)
    assert "bob" in dead and len(dead) == 2
    assert dead.expired(29.9) == []
    assert dead.expired(40.0) == ["bob", "ann"]
    dead.pop("bob")  # back, or gone
    dead.pop("nobody")
    assert dead.expired(40.0) == ["ann"]
    dead.start("ann", 40.0)  # lost again: a fresh grace
    assert dead.expired(69.0) == []
    dead.clear()
    assert len(dead) == 0
