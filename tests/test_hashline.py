"""The line password hashes wait in (``mud.hub.hashline``): a few at a time, known
addresses first. Played by a griefer: 250 wrong passwords from 50 addresses queued 250
hashes, and a player with the right password from her usual address waited 10 s."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.accounts import KNOWN_KEEP, LoginGate, known_addresses, note_address
from mud.hub.hashline import KNOWN, OTHER, HashLine


async def _hold(
    line: HashLine, priority: int, name: str, order: list[str], go: asyncio.Event
) -> None:
    async with line.slot(priority):
        order.append(name)
        await go.wait()


async def test_a_known_address_goes_before_everyone_waiting() -> None:
    line = HashLine(2)
    order: list[str] = []
    go = asyncio.Event()
    tasks = [asyncio.create_task(_hold(line, OTHER, f"attacker{n}", order, go)) for n in range(6)]
    await asyncio.sleep(0)
    assert order == ["attacker0", "attacker1"] and line.running == 2 and line.waiting == 4
    tasks.append(asyncio.create_task(_hold(line, KNOWN, "owner", order, go)))
    await asyncio.sleep(0)
    go.set()
    await asyncio.gather(*tasks)
    assert order[:3] == ["attacker0", "attacker1", "owner"]
    assert order[3:] == ["attacker2", "attacker3", "attacker4", "attacker5"]
    assert line.running == 0 and line.waiting == 0


async def test_a_waiter_cancelled_gives_up_its_place_and_no_slot_is_lost() -> None:
    line = HashLine(1)
    order: list[str] = []
    go = asyncio.Event()
    first = asyncio.create_task(_hold(line, OTHER, "first", order, go))
    await asyncio.sleep(0)
    gone = asyncio.create_task(_hold(line, KNOWN, "gone", order, go))
    last = asyncio.create_task(_hold(line, OTHER, "last", order, go))
    await asyncio.sleep(0)
    gone.cancel()
    go.set()
    await asyncio.gather(first, last)
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert order == ["first", "last"]
    # The one slot is free again: a new holder gets it at once.
    async with asyncio.timeout(1):
        async with line.slot(OTHER):
            assert line.running == 1


@given(st.lists(st.tuples(st.sampled_from([KNOWN, OTHER]), st.booleans()), max_size=20))
def test_never_more_holders_than_slots_and_every_live_waiter_served(
    steps: list[tuple[int, bool]],
) -> None:
    async def run() -> None:
        line = HashLine(2)
        most = 0
        served: list[int] = []

        async def one(n: int, priority: int) -> None:
            nonlocal most
            async with line.slot(priority):
                most = max(most, line.running)
                served.append(n)
                await asyncio.sleep(0)

        tasks = [asyncio.create_task(one(n, p)) for n, (p, _c) in enumerate(steps)]
        await asyncio.sleep(0)
        for task, (_p, cancel) in zip(tasks, steps, strict=True):
            if cancel:
                task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert most <= 2
        alive = {n for n, task in enumerate(tasks) if not task.cancelled()}
        assert set(served) >= alive
        assert line.running == 0

    asyncio.run(run())


def test_the_gate_knows_an_address_once_it_has_logged_into_the_account() -> None:
    gate = LoginGate()
    assert not gate.known("10.0.0.1", "ann")
    assert gate.begin("10.0.0.1", "ann", 0.0)
    gate.end("10.0.0.1", "Ann", True, 0.0)
    assert gate.known("10.0.0.1", "ANN") and not gate.known("10.0.0.2", "ann")


# -- the addresses kept with an account (accounts.known_addresses, note_address) -------

DAY = 86_400.0


def test_a_first_login_keeps_its_address_and_a_second_within_a_day_writes_nothing() -> None:
    entry = note_address({}, "10.0.0.1", 1000.0)
    assert entry is not None
    kept = known_addresses(entry, 1000.0)
    assert kept == {"10.0.0.1": 1000.0}
    assert note_address(kept, "10.0.0.1", 1000.0 + DAY / 2) is None
    later = note_address(kept, "10.0.0.1", 1000.0 + DAY)  # refreshed once a day
    assert later is not None and known_addresses(later, 1000.0 + DAY) == {"10.0.0.1": 1000.0 + DAY}


def test_an_address_unused_for_ninety_days_is_forgotten() -> None:
    entry = note_address({"10.0.0.1": 0.0}, "10.0.0.2", 10 * DAY)
    assert known_addresses(entry, 90 * DAY) == {"10.0.0.1": 0.0, "10.0.0.2": 10 * DAY}
    assert known_addresses(entry, 90 * DAY + 1) == {"10.0.0.2": 10 * DAY}


@pytest.mark.parametrize("saved", [None, "", "not json", "[1, 2]", '{"10.0.0.1": "x"}'])
def test_an_entry_that_does_not_read_knows_no_valid_address(saved: str | None) -> None:
    assert known_addresses(saved, 0.0) == {}


@given(st.lists(st.tuples(st.integers(0, 40), st.floats(0, 2 * DAY)), max_size=60))
def test_the_kept_addresses_are_the_sixteen_last_used_and_always_the_newest(
    logins: list[tuple[int, float]],
) -> None:
    kept: dict[str, float] = {}
    wall = 0.0
    for host, gap in logins:
        wall += gap
        peer = f"10.0.0.{host}"
        entry = note_address(kept, peer, wall)
        if entry is None:
            assert peer in kept and wall - kept[peer] < DAY
            continue
        kept = known_addresses(entry, wall)
        assert kept[peer] == wall
        assert len(kept) <= KNOWN_KEEP
        assert all(when <= wall for when in kept.values())
    gate = LoginGate()
    gate.remember("Vault", kept)
    assert all(gate.known(peer, "vault") for peer in kept)
