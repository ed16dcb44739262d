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
``young_every`` ends it runs a collection of the two young generations, which is where
a short-lived connection's garbage is (its cost is bounded by the young generations'
size, not the heap's). Once ``trim_every`` connections have ended since the last trim,
and not sooner than ``trim_gap`` seconds after it, it asks glibc to return the free
pages of its heap to the system (``malloc_trim(0)``; measured: the heap's RSS stayed
at its level before an attack instead of +5 MiB); on another C library it does not trim.
Both run as their own callbacks on the event loop, never inside a connection's
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


def glibc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)`` as a callable, or None when the C library is not glibc
    (or cannot be loaded)."""
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


class Reclaimer:
    """Collects the young generations every ``young_every`` ended connections and trims
    glibc's heap after ``trim_every`` of them (at most once per ``trim_gap`` seconds).
    ``collect`` and ``trim`` are injectable for tests (defaults: ``gc.collect`` and
    ``glibc_trim()``); ``clock`` is the loop's time by default."""

    def __init__(
        self,
        *,
        young_every: int = 32,
        trim_every: int = 256,
        trim_gap: float = 30.0,
        collect: Callable[[int], object] = gc.collect,
        trim: Callable[[], object] | None = None,
        use_glibc: bool = True,
    ) -> None:
        self._young_every = young_every
        self._trim_every = trim_every
        self._trim_gap = trim_gap
        self._collect = collect
        self._trim = trim if trim is not None else (glibc_trim() if use_glibc else None)
        self._since_young = 0
        self._since_trim = 0
        self._last_trim: float | None = None
        self._scheduled = False
        self._trim_timer: asyncio.TimerHandle | None = None
        self.collections = 0
        self.trims = 0

    def ended(self) -> None:
        """A connection ended (closed, cut off or refused). Cheap: counts, and at most
        schedules one callback."""
        self._since_young += 1
        self._since_trim += 1
        if self._scheduled:
            return
        trim_waits = (
            self._trim is not None
            and self._since_trim >= self._trim_every
            and self._trim_timer is None
        )
        if self._since_young >= self._young_every or trim_waits:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            self._scheduled = True
            loop.call_soon(self._run)

    def _trim_due(self) -> bool:
        if self._trim is None or self._since_trim < self._trim_every:
            return False
        if self._last_trim is None:
            return True
        return asyncio.get_running_loop().time() - self._last_trim >= self._trim_gap

    def _run(self) -> None:
        self._scheduled = False
        if self._since_young >= self._young_every:
            self._since_young = 0
            self._collect(1)
            self.collections += 1
        if self._trim is None or self._since_trim < self._trim_every:
            return
        loop = asyncio.get_running_loop()
        if self._trim_due():
            if self._trim_timer is not None:
                self._trim_timer.cancel()
                self._trim_timer = None
            self._since_trim = 0
            self._last_trim = loop.time()
            self._trim()
            self.trims += 1
        elif self._trim_timer is None and self._last_trim is not None:
            # Enough ended but the last trim was recent: trim once the gap has passed,
            # even if nothing else ends by then (the attack is over).
            wait = self._last_trim + self._trim_gap - loop.time()
            self._trim_timer = loop.call_later(max(0.0, wait), self._after_gap)

    def _after_gap(self) -> None:
        self._trim_timer = None
        self._run()

    def stop(self) -> None:
        """Cancel a pending trim (the server is shutting down). Idempotent."""
        if self._trim_timer is not None:
            self._trim_timer.cancel()
            self._trim_timer = None
