"""Connection admission shared by both doors: per-address and global caps.

Owned by ``mud.app`` and handed to the telnet and SSH doors. A door calls ``admit``
the moment the kernel hands it a socket (before any byte is parsed, before any login
or SSH authentication) and keeps the returned ``Ticket`` until the transport is really
gone (``connection_lost``), so every connection counts, through any door and in any
state: silent sockets, half-done SSH handshakes, sessions the hub already dropped whose
socket is still being torn down.

Invariants:
- ``count(peer) <= max_per_ip`` and ``total <= max_total`` at all times.
- ``Ticket.release`` is idempotent; a ticket released twice frees one slot only.
- Pure bookkeeping: no I/O, no clock, no await. Called only from the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from mud.logs import log_event

log = logging.getLogger(__name__)


class Ticket:
    """One admitted connection's slot. ``release`` gives it back (idempotent)."""

    __slots__ = ("_admission", "_released", "peer")

    def __init__(self, admission: Admission, peer: str) -> None:
        self._admission = admission
        self.peer = peer
        self._released = False

    @property
    def released(self) -> bool:
        return self._released

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._admission._free(self.peer)


#: The metrics' reason for each cap (the hub's own refusals are "banned" and "stopping").
_METRIC_REASON = {"per-address cap": "per_ip", "global cap": "total", "connection rate": "rate"}


class Admission:
    """Counts open connections per address and in total, and refuses over the caps.

    ``max_per_ip`` and ``max_total`` must be at least 1. New connections from one
    address are also rate-limited: ``rate`` a second, ``burst`` at once (a client that
    is cut off and reconnects at once, over and over, costs the server a connection
    setup each time). ``admit`` returns a ``Ticket`` or None when a cap or the rate is
    exceeded (the refusal is logged, at most once per address until that address is
    admitted again, so a flood cannot fill the log). ``on_end`` (optional) is called
    for every refusal and every released ticket: a connection has ended (the server's
    ``Reclaimer`` counts them).
    """

    _MAX_BUCKETS = 4096

    def __init__(
        self,
        max_per_ip: int,
        max_total: int,
        *,
        rate: float = 2.0,
        burst: float = 20.0,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        if max_per_ip < 1 or max_total < 1:
            raise ValueError("connection caps must be at least 1")
        self.max_per_ip = max_per_ip
        self.max_total = max_total
        self._rate = rate
        self._burst = burst
        self._per_ip: dict[str, int] = {}
        self._buckets: dict[str, ByteBudget] = {}
        self._total = 0
        self._refused_logged: set[str] = set()
        self.refused = 0
        # By reason, as the metrics name them (``mud_connections_refused{reason}``):
        # played by an operator, 20 of 30 connections refused here counted nowhere.
        self.refused_by: dict[str, int] = {}
        self._on_end = on_end

    @property
    def total(self) -> int:
        """Connections holding a ticket now."""
        return self._total

    def count(self, peer: str) -> int:
        """Connections from ``peer`` holding a ticket now."""
        return self._per_ip.get(peer, 0)

    def admit(self, peer: str, door: str, now: float) -> Ticket | None:
        """A ticket for a new connection from ``peer`` at monotonic time ``now``, or None
        if a cap or the per-address connection rate is exceeded."""
        held = self._per_ip.get(peer, 0)
        bucket = self._buckets.get(peer)
        if bucket is None:
            if len(self._buckets) >= self._MAX_BUCKETS:
                self._prune(now)
            bucket = self._buckets[peer] = ByteBudget(self._rate, self._burst, now)
        too_fast = not bucket.spend(1, now)
        if held >= self.max_per_ip or self._total >= self.max_total or too_fast:
            if too_fast:
                bucket.spend(-1, now)  # a refused attempt does not use up the rate
            self.refused += 1
            which = (
                "per-address cap"
                if held >= self.max_per_ip
                else "global cap"
                if self._total >= self.max_total
                else "connection rate"
            )
            metric = _METRIC_REASON[which]
            self.refused_by[metric] = self.refused_by.get(metric, 0) + 1
            if self._on_end is not None:
                self._on_end()
            if peer not in self._refused_logged:
                self._refused_logged.add(peer)
                log_event(
                    log,
                    "conn_refused",
                    level=logging.WARNING,
                    door=door,
                    addr=peer,
                    reason=which.replace(" ", "_"),
                    open_from_addr=held,
                    open_total=self._total,
                )
            return None
        self._per_ip[peer] = held + 1
        self._total += 1
        self._refused_logged.discard(peer)
        return Ticket(self, peer)

    def _prune(self, now: float) -> None:
        # Buckets of addresses that have been quiet long enough to be full again carry
        # no information: forget them, so a spray of addresses cannot grow the table.
        full = [peer for peer, b in self._buckets.items() if b.full(now)]
        for peer in full:
            del self._buckets[peer]
        if len(self._buckets) >= self._MAX_BUCKETS:
            self._buckets.clear()

    def _free(self, peer: str) -> None:
        left = self._per_ip.get(peer, 1) - 1
        if left > 0:
            self._per_ip[peer] = left
        else:
            self._per_ip.pop(peer, None)
        self._total = max(0, self._total - 1)
        if self._on_end is not None:
            self._on_end()


class ByteBudget:
    """A token bucket over the bytes one connection sends: ``rate`` bytes a second,
    at most ``burst`` at once. ``spend`` returns False once the client is over budget
    (it has sent more than ``burst`` bytes beyond what ``rate`` allows since it
    connected). The caller passes the current monotonic time; no clock is read here."""

    __slots__ = ("_at", "_burst", "_rate", "_tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._at = now

    def full(self, now: float) -> bool:
        """Whether the bucket has refilled completely by ``now``."""
        return self._tokens + max(0.0, now - self._at) * self._rate >= self._burst

    def spend(self, amount: int, now: float) -> bool:
        elapsed = max(0.0, now - self._at)
        self._at = now
        self._tokens = min(self._burst, self._tokens + elapsed * self._rate) - amount
        return self._tokens >= 0
