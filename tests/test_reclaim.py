"""The server's Reclaimer: young collections and sweeps (full collection and glibc
trim) after connections end."""

from __future__ import annotations

import asyncio
import platform

import pytest

from mud.net.reclaim import Reclaimer, glibc_trim, tune_malloc


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


_HASH_BURST = """
import asyncio, sys
from mud.engine.accounts import HashCost, hash_password

def rss_kib():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith("VmRSS:"))

if sys.argv[1] == "server":
    from mud.app import _calm_collector
    _calm_collector()  # what every server process runs at startup

async def burst():
    # New characters logging in together: the hub hashes each password with
    # asyncio.to_thread at the default cost (scrypt, a 16 MiB block each).
    await asyncio.gather(*(asyncio.to_thread(hash_password, "pw", HashCost()) for _ in range(6)))

async def main():
    before = rss_kib()
    for _ in range(3):
        await burst()
    print(rss_kib() - before)

asyncio.run(main())
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_password_hashes_give_their_memory_back_after_a_burst_of_logins() -> None:
    # Seen measuring issue 16: after one burst of logins at the default hash cost, every
    # worker thread kept its 16 MiB scrypt block resident for good (glibc's dynamic mmap
    # threshold moved it into the thread's heap): about +96 MiB on two cores. A fresh
    # process each time, so the pytest process's allocator state plays no part.
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _HASH_BURST, "server"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    grown_kib = int(done.stdout.strip())
    assert grown_kib < 20 * 1024, f"RSS grew {grown_kib} KiB over three bursts of six hashes"


def test_tune_malloc_sets_glibcs_thresholds_or_says_it_could_not() -> None:
    assert tune_malloc() is (platform.libc_ver()[0] == "glibc")
