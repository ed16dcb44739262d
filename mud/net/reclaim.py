"""Giving back the memory a churn of connections leaves behind.

Every connection ends as cyclic garbage: telnetlib3's writer and protocol, asyncio's
transports and futures, our own protocol's timers hold references to each other, so
only the cyclic collector frees them. ``mud.app`` raises the collector's thresholds
(full collections were the latency spikes of a busy room), so under an attack that opens
and cuts 150 connections a second the garbage of thousands of connections waited for
a collection; the allocator grew for it (pymalloc arenas, glibc's heap) and, once a few
long-lived objects had landed among the freed blocks, kept that high-water mark for good:
about 11 MiB after one minute of streaming attackers, never given back.

``Reclaimer`` is told of every connection that ends (``Admission`` calls ``ended``
for every refusal and every released ticket, through any door). After every
``young_every`` ends it collects the two young generations, where a short-lived
connection's garbage is (the cost is bounded by the young generations' size, not the
heap's). That alone promotes whatever is alive at the time to the old generation, where
the garbage of longer connections (a slowloris, a client that stopped reading) then
waits for a full collection the raised thresholds make rare: a 30-minute soak under
attack grew about 1.3 MiB a minute. So once ``sweep_every`` connections have ended since
the last sweep, and not sooner than ``sweep_gap`` seconds after it (a timer catches the
end of a burst), it sweeps: a full collection, then, on glibc, ``malloc_trim(0)`` to
return the free pages of the heap to the system (measured: the heap stayed at its level
before an attack instead of +5 MiB). A full collection pauses the loop for tens of
milliseconds with a few hundred players, so it runs at most every ``sweep_gap`` seconds
and only while connections churn (an attack, a reconnect storm), never in quiet play.
Every step runs as its own callback on the event loop, never inside a connection's
callback and never per connection. Used only from the event loop.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import platform
from collections.abc import Callable

log = logging.getLogger(__name__)


# mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 512 * 1024
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


def _glibc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def tune_malloc(mmap_threshold: int = MMAP_THRESHOLD, trim_threshold: int = TRIM_THRESHOLD) -> bool:
    """Fix glibc's mmap and trim thresholds for this process; True when set (False when
    the C library is not glibc). Called once at startup by the server's processes.

    glibc serves a block of ``mmap_threshold`` bytes or more with its own mapping and
    unmaps it when freed. Left alone, it raises that threshold to the size of each such
    block freed (up to 32 MiB) and the trim threshold to twice that: a password hash
    (scrypt at the default cost needs a 16 MiB block, in a worker thread) is then
    served from that thread's heap the second time, and freeing it keeps the 16 MiB
    resident for good, since they are under the raised trim threshold. After one burst of
    logins every worker thread of the default executor held its 16 MiB (measured: six
    threads, +96 MiB that never came back; issue 16). Fixed thresholds keep big blocks
    in their own mappings, so they go back when freed; blocks under ``mmap_threshold``
    (asyncio's 256 KiB socket reads among them) come from the heap as before, and the
    heap is given back once ``trim_threshold`` bytes are free at its top."""
    libc = _glibc()
    if libc is None:
        return False
    try:
        mallopt = libc.mallopt
    except AttributeError:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok: bool = mallopt(_M_MMAP_THRESHOLD, mmap_threshold) == 1
    return mallopt(_M_TRIM_THRESHOLD, trim_threshold) == 1 and ok


def glibc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)`` as a callable, or None when the C library is not glibc
    (or cannot be loaded)."""
    libc = _glibc()
    if libc is None:
        return None
    try:
        trim = libc.malloc_trim
    except AttributeError:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


class Reclaimer:
    """Collects the young generations every ``young_every`` ended connections, and
    sweeps (full collection, then glibc's trim) after ``sweep_every`` of them, at most
    once per ``sweep_gap`` seconds. ``collect`` and ``trim`` are injectable for tests
    (defaults: ``gc.collect`` and ``glibc_trim()``; ``use_glibc=False`` never trims)."""

    def __init__(
        self,
        *,
        young_every: int = 32,
        sweep_every: int = 256,
        sweep_gap: float = 30.0,
        collect: Callable[[int], object] = gc.collect,
        trim: Callable[[], object] | None = None,
        use_glibc: bool = True,
    ) -> None:
        self._young_every = young_every
        self._sweep_every = sweep_every
        self._sweep_gap = sweep_gap
        self._collect = collect
        self._trim = trim if trim is not None else (glibc_trim() if use_glibc else None)
        self._since_young = 0
        self._since_sweep = 0
        self._last_sweep: float | None = None
        self._scheduled = False
        self._sweep_timer: asyncio.TimerHandle | None = None
        self.collections = 0
        self.sweeps = 0

    def ended(self) -> None:
        """A connection ended (closed, cut off or refused). Cheap: counts, and at most
        schedules one callback."""
        self._since_young += 1
        self._since_sweep += 1
        if self._scheduled:
            return
        sweep_waits = self._since_sweep >= self._sweep_every and self._sweep_timer is None
        if self._since_young >= self._young_every or sweep_waits:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            self._scheduled = True
            loop.call_soon(self._run)

    def _run(self) -> None:
        self._scheduled = False
        loop = asyncio.get_running_loop()
        if self._since_sweep >= self._sweep_every:
            if self._last_sweep is None or loop.time() - self._last_sweep >= self._sweep_gap:
                self._sweep(loop.time())
                return
            if self._sweep_timer is None:
                # Enough ended but the last sweep was recent: sweep once the gap has
                # passed, even if nothing else ends by then (the attack is over).
                wait = self._last_sweep + self._sweep_gap - loop.time()
                self._sweep_timer = loop.call_later(max(0.0, wait), self._after_gap)
        if self._since_young >= self._young_every:
            self._since_young = 0
            self._collect(1)
            self.collections += 1

    def _sweep(self, now: float) -> None:
        if self._sweep_timer is not None:
            self._sweep_timer.cancel()
            self._sweep_timer = None
        self._since_sweep = 0
        self._since_young = 0
        self._last_sweep = now
        self._collect(2)
        self.collections += 1
        if self._trim is not None:
            self._trim()
        self.sweeps += 1

    def _after_gap(self) -> None:
        self._sweep_timer = None
        self._run()

    def stop(self) -> None:
        """Cancel a pending sweep (the server is shutting down). Idempotent."""
        if self._sweep_timer is not None:
            self._sweep_timer.cancel()
            self._sweep_timer = None
