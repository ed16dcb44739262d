"""The server's Reclaimer: young collections and sweeps (full collection and glibc
trim) after connections end."""

from __future__ import annotations

import asyncio
import platform

import pytest

from mud.net.reclaim import Reclaimer, glibc_trim


class Calls:
    def __init__(self) -> None:
        self.collected: list[int] = []
        self.trimmed = 0

    def collect(self, generation: int) -> int:
        self.collected.append(generation)
        return 0

    def trim(self) -> int:
        self.trimmed += 1
        return 1


async def test_young_generations_are_collected_after_every_batch_of_ends() -> None:
    calls = Calls()
    reclaimer = Reclaimer(young_every=4, sweep_every=1000, collect=calls.collect, trim=calls.trim)
    for _ in range(3):
        reclaimer.ended()
    await asyncio.sleep(0)
    assert calls.collected == []
    reclaimer.ended()
    assert calls.collected == []  # never inside the caller's callback
    await asyncio.sleep(0)
    assert calls.collected == [1]  # the two young generations only
    for _ in range(8):
        reclaimer.ended()
    await asyncio.sleep(0)
    assert calls.collected == [1, 1]  # one collection for however many ended meanwhile
    assert calls.trimmed == 0


async def test_a_burst_is_swept_at_most_once_per_gap() -> None:
    calls = Calls()
    reclaimer = Reclaimer(
        young_every=1000, sweep_every=5, sweep_gap=0.3, collect=calls.collect, trim=calls.trim
    )
    for _ in range(5):
        reclaimer.ended()
    await asyncio.sleep(0)
    assert calls.collected == [2] and calls.trimmed == 1  # full collection, then trim
    for _ in range(20):  # the attack goes on: no second sweep within the gap
        reclaimer.ended()
    await asyncio.sleep(0)
    assert calls.collected == [2] and calls.trimmed == 1
    # ... but once the gap has passed the burst is swept, though nothing else ended.
    async with asyncio.timeout(5):
        while calls.trimmed < 2:
            await asyncio.sleep(0.05)
    assert calls.collected == [2, 2]
    reclaimer.stop()


async def test_without_glibc_a_sweep_only_collects_and_stop_cancels_a_pending_one() -> None:
    calls = Calls()
    off = Reclaimer(young_every=1000, sweep_every=1, collect=calls.collect, use_glibc=False)
    for _ in range(5):
        off.ended()
    await asyncio.sleep(0)
    assert calls.collected == [2] and calls.trimmed == 0
    on = Reclaimer(young_every=1000, sweep_every=1, sweep_gap=0.2, trim=calls.trim)
    on.ended()
    await asyncio.sleep(0)
    on.ended()
    await asyncio.sleep(0)
    on.stop()
    await asyncio.sleep(0.4)
    assert calls.trimmed == 1


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_trim_calls_malloc_trim() -> None:
    trim = glibc_trim()
    assert trim is not None
    assert trim() in (0, 1)  # malloc_trim returns 1 if memory was released
