"""The connection admission object both doors share (pure bookkeeping)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mud.net.admission import Admission, ByteBudget


def test_per_address_and_global_caps() -> None:
    admission = Admission(max_per_ip=2, max_total=3)
    a1 = admission.admit("10.0.0.1", "telnet")
    a2 = admission.admit("10.0.0.1", "ssh")
    assert a1 is not None and a2 is not None
    assert admission.admit("10.0.0.1", "telnet") is None  # per-address cap
    b1 = admission.admit("10.0.0.2", "ssh")
    assert b1 is not None
    assert admission.admit("10.0.0.3", "telnet") is None  # global cap
    a1.release()
    a1.release()  # idempotent: frees one slot only
    assert admission.count("10.0.0.1") == 1 and admission.total == 2
    assert admission.admit("10.0.0.3", "telnet") is not None
    assert admission.refused == 2


@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), max_size=60))
def test_counts_never_exceed_the_caps(steps: list[tuple[str, bool]]) -> None:
    admission = Admission(max_per_ip=3, max_total=5)
    held = []
    for peer, release in steps:
        if release and held:
            held.pop(0).release()
        else:
            ticket = admission.admit(peer, "telnet")
            if ticket is not None:
                held.append(ticket)
        assert admission.total == len(held) <= 5
        for name in "abc":
            assert admission.count(name) == sum(t.peer == name for t in held) <= 3


def test_byte_budget_allows_a_burst_and_a_rate() -> None:
    budget = ByteBudget(rate=100.0, burst=1000.0, now=0.0)
    assert budget.spend(1000, 0.0)
    assert not budget.spend(1, 0.0)
    budget = ByteBudget(rate=100.0, burst=1000.0, now=0.0)
    for second in range(1, 100):
        assert budget.spend(100, float(second))  # a steady client stays within it
    assert not budget.spend(2000, 100.0)
