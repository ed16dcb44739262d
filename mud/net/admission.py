"""Connection admission shared by both doors: per-address and global caps.

Owned by ``mud.app`` and handed to the telnet and SSH doors. A door calls ``admit``
the moment the kernel hands it a socket (before any byte is parsed, before any login
or SSH authentication) and keeps the returned ``Ticket`` until the transport is really
gone (``connection_lost``), so every connection counts, through any door and in any
state: silent sockets, half-done SSH handshakes, sessions the hub already dropped whose
socket is still being torn down.

Addresses are counted as their owners hold them: an IPv6 address as its /64 (what one
subscriber is given), and each network (an IPv4 /24, an IPv6 /48) has a cap of its own.
Played by a griefer: 1,000 silent sockets from 220 addresses of one /24 filled the
global cap, and every player after them read "Too many connections from your address".

At the global cap a new connection takes the place of the oldest one that has not
logged in, when that one is at least ``evict_after`` seconds old (one that has sent
nothing first): a door that wants its connections to be made room from says how each
stands and how to close it (``Ticket.watch``). Silent sockets then cost an attacker a
reconnect every few seconds instead of holding the door shut for the login deadline.

Invariants:
- ``count(peer) <= max_per_ip``, the network's count ``<= max_per_net`` and
  ``total <= max_total`` at all times (a connection made room from is released before
  the new one is counted; its socket closes on the loop's next turns).
- ``Ticket.release`` is idempotent; a ticket released twice frees one slot only.
- Bookkeeping: no I/O of its own (making room calls the door's ``evict``), no clock,
  no await. Called only from the event loop.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from mud.logs import log_event

log = logging.getLogger(__name__)


#: How a connection stands, for ``Admission`` making room (``Ticket.watch``): playing
#: (logged in: never made room from), spoken (it has sent something), silent.
PLAYING, SPOKEN, SILENT = 0, 1, 2


class Ticket:
    """One admitted connection's slot. ``release`` gives it back (idempotent)."""

    __slots__ = ("_admission", "_released", "at", "evict", "net", "peer", "standing")

    def __init__(self, admission: Admission, peer: str, net: str, at: float) -> None:
        self._admission = admission
        self.peer = peer
        self.net = net
        self.at = at
        self._released = False
        self.standing: Callable[[], int] | None = None
        self.evict: Callable[[], None] | None = None

    @property
    def released(self) -> bool:
        return self._released

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._admission._free(self)

    def watch(self, standing: Callable[[], int], evict: Callable[[], None]) -> None:
        """Let admission make room from this connection at the global cap: ``standing``
        says how it stands now (``PLAYING``, ``SPOKEN``, ``SILENT``); ``evict`` tells its
        client why and closes it (the ticket is released by admission itself). Called by
        the door that holds the ticket, once it can answer both."""
        self.standing = standing
        self.evict = evict


def counted_as(peer: str) -> tuple[str, str]:
    """The (address, network) ``peer`` is counted under: an IPv4 address and its /24; an
    IPv6 address's /64 and /48 (an IPv4 address written as IPv6 is the IPv4 one);
    anything that is no address (a test's name, "?") is itself, twice. Pure."""
    try:
        ip = ipaddress.ip_address(peer)
    except ValueError:
        return peer, peer
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip), str(ipaddress.ip_network(f"{ip}/24", strict=False))
    return (
        str(ipaddress.ip_network(f"{ip}/64", strict=False)),
        str(ipaddress.ip_network(f"{ip}/48", strict=False)),
    )


#: What a refused client is told, by the cap that refused it (``Admission.refusal``).
REFUSALS = {
    "per-address cap": "Too many connections from your address. Try again later.",
    "network cap": "Too many connections from your network. Try again later.",
    "global cap": "The server is full. Try again in a minute.",
    "connection rate": "You are connecting too fast. Try again in a few seconds.",
}
#: What a connection made room from is told before it is closed.
EVICTED = "The server is full, and this connection had not logged in. Please connect again."


#: The metrics' reason for each cap (the hub's own refusals are "banned" and "stopping").
_METRIC_REASON = {
    "per-address cap": "per_ip",
    "network cap": "per_net",
    "global cap": "total",
    "connection rate": "rate",
}


class Admission:
    """Counts open connections per address and in total, and refuses over the caps.

    ``max_per_ip`` and ``max_total`` must be at least 1; ``max_per_net`` (connections
    from one network, ``counted_as``) is four times ``max_per_ip`` when 0. New
    connections from one address are also rate-limited: ``rate`` a second, ``burst`` at
    once (a client that is cut off and reconnects at once, over and over, costs the
    server a connection setup each time). ``admit`` returns a ``Ticket`` or None when a
    cap or the rate is exceeded (``refusal`` then names which; the refusal is logged, at
    most once per address until that address is admitted again, so a flood cannot fill
    the log). At the global cap it first makes room (see the module docstring).
    ``on_end`` (optional) is called for every refusal and every released ticket: a
    connection has ended (the server's ``Reclaimer`` counts them).
    """

    _MAX_BUCKETS = 4096

    def __init__(
        self,
        max_per_ip: int,
        max_total: int,
        *,
        rate: float = 2.0,
        burst: float = 20.0,
        max_per_net: int = 0,
        evict_after: float = 10.0,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        if max_per_ip < 1 or max_total < 1 or max_per_net < 0:
            raise ValueError("connection caps must be at least 1")
        self.max_per_ip = max_per_ip
        self.max_total = max_total
        self.max_per_net = max_per_net or 4 * max_per_ip
        self.evict_after = evict_after
        self._rate = rate
        self._burst = burst
        self._per_ip: dict[str, int] = {}
        self._per_net: dict[str, int] = {}
        # Tickets not yet seen playing, oldest first: whom room may be made from.
        self._young: dict[Ticket, None] = {}
        self.refusal = ""
        self.evicted = 0
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
        """Connections from ``peer`` (its /64, for IPv6) holding a ticket now."""
        return self._per_ip.get(counted_as(peer)[0], 0)

    def admit(self, peer: str, door: str, now: float) -> Ticket | None:
        """A ticket for a new connection from ``peer`` at monotonic time ``now``, or None
        if a cap or the per-address connection rate is exceeded (``refusal`` says
        which: a key of ``REFUSALS``)."""
        key, net = counted_as(peer)
        held = self._per_ip.get(key, 0)
        held_net = self._per_net.get(net, 0)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._MAX_BUCKETS:
                self._prune(now)
            bucket = self._buckets[key] = ByteBudget(self._rate, self._burst, now)
        too_fast = not bucket.spend(1, now)
        which = (
            "per-address cap"
            if held >= self.max_per_ip
            else "network cap"
            if held_net >= self.max_per_net
            else "connection rate"
            if too_fast
            else "global cap"
            if self._total >= self.max_total and not self._make_room(now)
            else ""
        )
        if which:
            if too_fast:
                bucket.spend(-1, now)  # a refused attempt does not use up the rate
            self.refused += 1
            self.refusal = which
            metric = _METRIC_REASON[which]
            self.refused_by[metric] = self.refused_by.get(metric, 0) + 1
            if self._on_end is not None:
                self._on_end()
            if key not in self._refused_logged:
                self._refused_logged.add(key)
                log_event(
                    log,
                    "conn_refused",
                    level=logging.WARNING,
                    door=door,
                    addr=peer,
                    reason=which.replace(" ", "_"),
                    open_from_addr=held,
                    open_from_net=held_net,
                    open_total=self._total,
                )
            return None
        # Read again: the room made may have been this address's own.
        self._per_ip[key] = self._per_ip.get(key, 0) + 1
        self._per_net[net] = self._per_net.get(net, 0) + 1
        self._total += 1
        self._refused_logged.discard(key)
        ticket = Ticket(self, key, net, now)
        self._young[ticket] = None
        return ticket

    def _make_room(self, now: float) -> bool:
        """At the global cap: close the oldest connection old enough that has sent
        nothing, or else the oldest not playing, and free its slot. False when there is
        none (every connection plays, is too young, or is not watched)."""
        oldest: dict[int, Ticket] = {}
        for ticket in list(self._young):
            if now - ticket.at < self.evict_after:
                break  # the rest are younger still
            if ticket.standing is None or ticket.evict is None:
                continue
            standing = ticket.standing()
            if standing == PLAYING:
                del self._young[ticket]  # logged in: never made room from
                continue
            oldest.setdefault(standing, ticket)
            if standing == SILENT:
                break
        chosen = oldest.get(SILENT) or oldest.get(SPOKEN)
        if chosen is None or chosen.evict is None:
            return False
        self.evicted += 1
        log_event(log, "conn_evicted", addr=chosen.peer, age=round(now - chosen.at, 1))
        evict, chosen.evict = chosen.evict, None
        chosen.release()
        evict()
        return True

    def _prune(self, now: float) -> None:
        # Buckets of addresses that have been quiet long enough to be full again carry
        # no information: forget them, so a spray of addresses cannot grow the table.
        full = [peer for peer, b in self._buckets.items() if b.full(now)]
        for peer in full:
            del self._buckets[peer]
        if len(self._buckets) >= self._MAX_BUCKETS:
            self._buckets.clear()

    def _free(self, ticket: Ticket) -> None:
        for counts, key in ((self._per_ip, ticket.peer), (self._per_net, ticket.net)):
            left = counts.get(key, 1) - 1
            if left > 0:
                counts[key] = left
            else:
                counts.pop(key, None)
        self._young.pop(ticket, None)
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
