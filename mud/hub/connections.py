"""Connection hygiene as decisions: per-address cap, flood bucket, login deadline, idle
warning and close, link-dead grace.

One job: say what to do about a connection given the clock value and the limits. Pure:
no asyncio, no sessions, no clock of its own (every method takes ``now``, a monotonic
value the hub reads once per message), no output. The hub owns these objects and acts on
their answers (refuse, warn, hang up, remove a character).

The global connection cap and the connection rate are enforced earlier, at accept, by
``mud.net.admission`` (they must hold before a door spends anything on a socket); the
hub's own per-address count here is the one the login flow is measured against.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from attrs import frozen


class Refusal(Enum):
    """Why a new connection is refused by the hub (the value is its metrics label)."""

    STOPPING = "stopping"
    PER_IP = "per_ip"

    @property
    def text(self) -> str:
        """What the refused client is told."""
        if self is Refusal.STOPPING:
            return "The server is shutting down."
        return "Too many connections from your address."


class AddressCount:
    """Open connections per address, as the hub counts them (from its ``Connected`` to
    its disconnect). ``admit`` and ``release`` must pair up per admitted connection."""

    __slots__ = ("_counts", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}

    def check(self, peer: str, *, stopping: bool) -> Refusal | None:
        """Why a connection from ``peer`` must be refused now, or None to admit it."""
        if stopping:
            return Refusal.STOPPING
        if self._counts.get(peer, 0) >= self.limit:
            return Refusal.PER_IP
        return None

    def admit(self, peer: str) -> None:
        """Count one more connection from ``peer`` (after ``check`` said yes)."""
        self._counts[peer] = self._counts.get(peer, 0) + 1

    def release(self, peer: str) -> None:
        """One connection from ``peer`` is gone."""
        left = self._counts.get(peer, 1) - 1
        if left > 0:
            self._counts[peer] = left
        else:
            self._counts.pop(peer, None)

    def count(self, peer: str) -> int:
        """Connections counted from ``peer`` now."""
        return self._counts.get(peer, 0)


class Flood(Enum):
    """The verdict on one more line from a connection."""

    OK = "ok"  # take the line
    WARN = "warn"  # drop the line and tell the client to slow down (once per burst)
    IGNORE = "ignore"  # drop the line silently (already warned)
    DROP = "drop"  # close the connection: it is flooding


class FloodBucket:
    """A leaky bucket per connection: each line adds one, ``rate`` a second drain out.

    Over ``burst`` lines are dropped (the first of them with a warning); over twice
    ``burst`` the connection is closed. Only the hub disconnects for flooding.
    """

    __slots__ = ("at", "level")

    def __init__(self, now: float) -> None:
        self.level = 0.0
        self.at = now

    def hit(self, now: float, rate: float, burst: float) -> Flood:
        """Count one line arriving at ``now`` and say what to do with it."""
        self.level = max(0.0, self.level - (now - self.at) * rate) + 1.0
        self.at = now
        if self.level > burst * 2:
            return Flood.DROP
        if self.level > burst:
            return Flood.WARN if self.level < burst + 1.5 else Flood.IGNORE
        return Flood.OK


@frozen
class IdleWarn:
    """Warn the player: about ``minutes`` are left before they are disconnected."""

    minutes: int


class IdleClose:
    """Close the connection: idle too long."""


IDLE_CLOSE = IdleClose()


class Activity:
    """When a connection arrived, last typed, and whether its idle warning was given."""

    __slots__ = ("connected_at", "idle_warned", "last_input")

    def __init__(self, now: float) -> None:
        self.connected_at = now
        self.last_input = now
        self.idle_warned = False

    def touch(self, now: float) -> None:
        """A line arrived: the connection is active again."""
        self.last_input = now
        self.idle_warned = False

    def login_expired(self, now: float, deadline: float) -> bool:
        """True when a connection not yet in the world has tried longer than ``deadline``."""
        return now - self.connected_at > deadline

    def idle(self, now: float, warn: float, close: float) -> IdleWarn | IdleClose | None:
        """The idle rule for a player in the world: close after ``close`` seconds without
        input, warn once after ``warn`` (marking the warning given), else None."""
        idle = now - self.last_input
        if idle >= close:
            return IDLE_CLOSE
        if idle >= warn and not self.idle_warned:
            self.idle_warned = True
            return IdleWarn(max(1, int((close - idle) // 60)))
        return None


class LinkDead:
    """Characters left in the world without a connection, each until its grace ends."""

    __slots__ = ("_deadlines", "grace")

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self._deadlines: dict[str, float] = {}

    def start(self, key: str, now: float) -> None:
        """``key`` lost its connection at ``now``."""
        self._deadlines[key] = now + self.grace

    def pop(self, key: str) -> None:
        """``key`` is back (or gone from the world): no longer link-dead."""
        self._deadlines.pop(key, None)

    def expired(self, now: float) -> list[str]:
        """The characters whose grace is over at ``now``, in the order they went link-dead."""
        return [key for key, deadline in self._deadlines.items() if now >= deadline]

    def clear(self) -> None:
        self._deadlines.clear()

    def __contains__(self, key: object) -> bool:
        return key in self._deadlines

    def __len__(self) -> int:
        return len(self._deadlines)

    def __iter__(self) -> Iterator[str]:
        """The link-dead characters' keys, in the order they went link-dead."""
        return iter(self._deadlines)


__all__ = [
    "IDLE_CLOSE",
    "Activity",
    "AddressCount",
    "Flood",
    "FloodBucket",
    "IdleClose",
    "IdleWarn",
    "LinkDead",
    "Refusal",
]
