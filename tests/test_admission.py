"""The connection admission object both doors share (pure bookkeeping), and the global
cap the server derives from its open-file limit."""

from __future__ import annotations

import resource

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.app import connection_cap
from mud.net.admission import (
    PLAYING,
    SILENT,
    SPOKEN,
    Admission,
    ByteBudget,
    Ticket,
    counted_as,
)


def test_per_address_and_global_caps() -> None:
    admission = Admission(max_per_ip=2, max_total=3)
    a1 = admission.admit("10.0.0.1", "telnet", 0.0)
    a2 = admission.admit("10.0.0.1", "ssh", 0.0)
    assert a1 is not None and a2 is not None
    assert admission.admit("10.0.0.1", "telnet", 0.0) is None  # per-address cap
    b1 = admission.admit("10.0.0.2", "ssh", 0.0)
    assert b1 is not None
    assert admission.admit("10.0.0.3", "telnet", 0.0) is None  # global cap
    a1.release()
    a1.release()  # idempotent: frees one slot only
    assert admission.count("10.0.0.1") == 1 and admission.total == 2
    assert admission.admit("10.0.0.3", "telnet", 0.0) is not None
    assert admission.refused == 2


@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), max_size=60))
def test_counts_never_exceed_the_caps(steps: list[tuple[str, bool]]) -> None:
    admission = Admission(max_per_ip=3, max_total=5, burst=1000)
    held = []
    for peer, release in steps:
        if release and held:
            held.pop(0).release()
        else:
            ticket = admission.admit(peer, "telnet", 0.0)
            if ticket is not None:
                held.append(ticket)
        assert admission.total == len(held) <= 5
        for name in "abc":
            assert admission.count(name) == sum(t.peer == name for t in held) <= 3


def test_new_connections_from_one_address_are_rate_limited() -> None:
    admission = Admission(max_per_ip=100, max_total=100, rate=2.0, burst=5.0)
    tickets = [admission.admit("10.0.0.9", "telnet", 0.0) for _ in range(5)]
    assert all(t is not None for t in tickets)
    assert admission.admit("10.0.0.9", "telnet", 0.0) is None  # reconnecting too fast
    assert admission.admit("10.0.0.8", "telnet", 0.0) is not None  # others are not affected
    assert admission.admit("10.0.0.9", "telnet", 0.5) is not None  # the rate refills


def test_byte_budget_allows_a_burst_and_a_rate() -> None:
    budget = ByteBudget(rate=100.0, burst=1000.0, now=0.0)
    assert budget.spend(1000, 0.0)
    assert not budget.spend(1, 0.0)
    budget = ByteBudget(rate=100.0, burst=1000.0, now=0.0)
    for second in range(1, 100):
        assert budget.spend(100, float(second))  # a steady client stays within it
    assert not budget.spend(2000, 100.0)


def test_the_server_raises_its_open_file_limit_to_fit_the_connection_cap() -> None:
    # Services often start with a soft limit of 1,024 under a much higher hard limit;
    # the cap must not silently shrink to fit a limit the server may raise itself.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 3000:
        pytest.skip(f"hard open-file limit {hard} is too low to show it")
    resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard))
    try:
        assert connection_cap(2000) == 2000
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= 2064
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_connection_cap_stays_within_the_hard_open_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        pytest.skip("no hard open-file limit")
    try:
        assert connection_cap(hard * 2) == hard - 64
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (hard, hard)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_every_refusal_and_every_release_is_reported_as_an_end() -> None:
    ends: list[int] = []
    admission = Admission(max_per_ip=1, max_total=5, on_end=lambda: ends.append(1))
    ticket = admission.admit("10.0.0.1", "telnet", 0.0)
    assert ticket is not None and ends == []
    assert admission.admit("10.0.0.1", "telnet", 0.0) is None
    assert len(ends) == 1  # the refused connection ended at once
    ticket.release()
    ticket.release()  # idempotent: one end
    assert len(ends) == 2


def test_addresses_are_counted_as_their_owners_hold_them() -> None:
    assert counted_as("192.0.2.7") == ("192.0.2.7", "192.0.2.0/24")
    assert counted_as("2001:db8:1:2:aaaa::1") == ("2001:db8:1:2::/64", "2001:db8:1::/48")
    assert counted_as("::ffff:192.0.2.7") == ("192.0.2.7", "192.0.2.0/24")
    assert counted_as("a") == ("a", "a")


def test_one_ipv6_subscriber_is_one_address_and_a_network_has_its_own_cap() -> None:
    # Played by a griefer: 1,000 silent sockets from 220 addresses of one /24 filled
    # the global cap.
    admission = Admission(max_per_ip=2, max_total=100, burst=1000)
    assert admission.admit("2001:db8::1", "telnet", 0.0) is not None
    assert admission.admit("2001:db8::2", "telnet", 0.0) is not None
    assert admission.admit("2001:db8::3", "telnet", 0.0) is None
    assert admission.refusal == "per-address cap"
    assert admission.count("2001:db8::ffff") == 2
    held = [admission.admit(f"10.1.1.{n}", "ssh", 0.0) for n in range(1, 20)]
    assert sum(t is not None for t in held) == 8  # 4 x max_per_ip from one /24
    assert admission.refusal == "network cap"
    assert admission.admit("10.1.2.1", "ssh", 0.0) is not None  # another /24
    assert admission.refused_by == {"per_ip": 1, "per_net": 11}


def _watched(
    admission: Admission, peer: str, now: float, standing: int
) -> tuple[Ticket, list[str]]:
    ticket = admission.admit(peer, "telnet", now)
    assert ticket is not None
    told: list[str] = []
    ticket.watch(lambda: standing, lambda: told.append(peer))
    return ticket, told


def test_at_the_global_cap_the_oldest_silent_connection_makes_room() -> None:
    admission = Admission(max_per_ip=5, max_total=3, evict_after=10.0)
    playing, played = _watched(admission, "10.0.0.1", 0.0, PLAYING)
    spoken, spoke = _watched(admission, "10.0.1.1", 1.0, SPOKEN)
    silent, hushed = _watched(admission, "10.0.2.1", 2.0, SILENT)
    # Too young yet: refused as before, and told the server is full.
    assert admission.admit("10.0.3.1", "telnet", 5.0) is None
    assert admission.refusal == "global cap"
    # The silent one goes first, though the one that spoke is older.
    first = admission.admit("10.0.3.1", "telnet", 12.5)
    assert first is not None and hushed == ["10.0.2.1"] and silent.released
    assert admission.total == 3 and admission.count("10.0.2.1") == 0
    first.watch(lambda: PLAYING, lambda: None)
    # Then the oldest not playing; never one that plays.
    second = admission.admit("10.0.4.1", "telnet", 13.0)
    assert second is not None and spoke == ["10.0.1.1"] and spoken.released
    second.watch(lambda: PLAYING, lambda: None)
    assert admission.admit("10.0.5.1", "telnet", 60.0) is None
    assert played == [] and not playing.released
    assert admission.evicted == 2 and admission.total == 3
    # A ticket released by its door later (the socket closing) frees nothing twice.
    silent.release()
    assert admission.total == 3


def test_a_connection_its_door_does_not_watch_is_never_made_room_from() -> None:
    admission = Admission(max_per_ip=5, max_total=1, evict_after=0.0)
    assert admission.admit("10.0.0.1", "telnet", 0.0) is not None
    assert admission.admit("10.0.1.1", "telnet", 100.0) is None


@given(
    st.lists(
        st.tuples(st.sampled_from(["10.0.0.1", "10.0.0.2", "10.0.1.1"]), st.integers(0, 3)),
        max_size=60,
    )
)
def test_counts_never_exceed_the_caps_while_room_is_made(steps: list[tuple[str, int]]) -> None:
    admission = Admission(max_per_ip=3, max_total=4, burst=1000, evict_after=1.0)
    held: list[Ticket] = []
    for now, (peer, what) in enumerate(steps):
        if what == 3 and held:
            held.pop(0).release()
            continue
        ticket = admission.admit(peer, "telnet", float(now))
        if ticket is not None:
            ticket.watch(lambda what=what: what, lambda: None)
            held.append(ticket)
        held = [t for t in held if not t.released]
        assert admission.total == len(held) <= 4
        for name in ("10.0.0.1", "10.0.0.2", "10.0.1.1"):
            assert admission.count(name) == sum(t.peer == name for t in held) <= 3
