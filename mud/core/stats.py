"""Plain counters and histograms the hub and the store keep for ``mud.metrics``.

No dependencies: the actors update them in place (cheap, no locks: one event loop)
and ``mud.metrics`` reads them when ``/metrics`` is scraped.
"""

from __future__ import annotations

from bisect import bisect_left

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
"""Upper bounds in seconds (an implicit +Inf bucket follows)."""


class Histogram:
    """Counts of observations per bucket, their number and their sum."""

    __slots__ = ("buckets", "count", "counts", "total")

    def __init__(self, buckets: tuple[float, ...] = LATENCY_BUCKETS) -> None:
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)
        self.count = 0
        self.total = 0.0

    def observe(self, value: float) -> None:
        """Add one observation (negative values count as 0)."""
        value = max(0.0, value)
        self.counts[bisect_left(self.buckets, value)] += 1
        self.count += 1
        self.total += value

    def cumulative(self) -> list[tuple[float, int]]:
        """(upper bound, observations <= bound) for every bucket, +Inf last."""
        out: list[tuple[float, int]] = []
        running = 0
        for bound, n in zip((*self.buckets, float("inf")), self.counts, strict=True):
            running += n
            out.append((bound, running))
        return out


class HubStats:
    """What the hub counts for metrics (updated by ``mud.hub.Hub`` only)."""

    def __init__(self) -> None:
        self.commands = 0
        self.command_seconds = Histogram()
        self.connections = 0
        self.refused: dict[str, int] = {}
        self.narrations: dict[str, int] = {}
        self.loop_lag = 0.0
        self.last_tick: float | None = None  # monotonic time the hub last handled a tick


class StoreStats:
    """What the store counts for metrics (updated by ``mud.store.db.Store`` only)."""

    def __init__(self) -> None:
        self.commits = 0
        self.failed_commits = 0
        self.commit_seconds = Histogram()


class GatewayStats:
    """What a split-mode gateway counts for metrics (updated by
    ``mud.split.gateway.GatewayLink`` only)."""

    def __init__(self) -> None:
        self.lines_sent = 0  # lines sent to the game
        self.lines_not_done = (
            0  # lines answered "not done" (typed while the game was away, or lost)
        )
        self.lines_done_before = 0  # lines a new game's marks showed applied
        self.output_messages = 0  # output messages applied
        self.resend_requests = 0  # times missed output was asked for again
        self.output_lost = 0  # output messages the game no longer had
        self.attaches = 0  # answered attach requests
        self.game_away = 0  # times the game was taken as away
        self.world_players = 0  # players in the world, from the game's heartbeat
