"""Rate limits, token accounting, money budgets and alerts for the DM.

Pure logic: no awaiting, no I/O. Time comes from the Clock passed in (monotonic seconds
for rates, wall seconds for the UTC day). ``DmActor`` is the only caller and turns what
these methods return into store writes and ``DmNotice`` messages.

How spending stays under the caps, even with several calls in flight:
- Before a call, ``reserve`` books a pessimistic amount (the prompt estimate times
  ``PROMPT_MARGIN`` plus ``max_tokens``, priced at the dearest model the call may use)
  against every cap. It refuses when booked + already spent + the new booking would pass a
  cap. A continuation on another provider (failure mid-stream) must ``extend`` the booking
  the same way first.
- After the call, ``settle`` replaces the booking with the provider's real usage.

Invariant: for every cap, ``spent + reserved <= cap`` holds after every ``reserve`` or
``extend`` that succeeded, and ``spent <= cap`` after settlement as long as each call used
no more than it booked (a provider cannot return more than ``max_tokens``; the prompt
margin covers estimation error). If a provider does report more, the truth is recorded
and the cap simply counts as reached.

The per-actor token limit and both money limits are counted per UTC day and survive
restarts through ``snapshot``/``restore`` (so a cap hit before a restart stays in force).
Alerts at each threshold fraction are sent once per day each.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from attrs import frozen

from mud.core.clock import Clock
from mud.core.narration import DmNotice, TokenReport
from mud.dm.providers.base import Usage
from mud.dm.settings import DmSettings
from mud.logs import log_event

log = logging.getLogger(__name__)

PROMPT_MARGIN = 1.25  # chars/4 undercounts some text; book a quarter more
BUDGET_KEY = "dm.budget"  # the PutBudget key holding ``snapshot()``


def utc_day(wall: float) -> str:
    """'YYYY-MM-DD' (UTC) for wall-clock seconds."""
    return datetime.fromtimestamp(wall, tz=UTC).strftime("%Y-%m-%d")


def price(
    pricing: Mapping[str, tuple[float, float]], model: str, prompt: int, completion: int
) -> float:
    """Dollars for a call: (input $/M * prompt + output $/M * completion) / 1e6.

    Unknown models (local ones included) cost 0."""
    inp, outp = pricing.get(model, (0.0, 0.0))
    return (inp * prompt + outp * completion) / 1_000_000


class TokenBucket:
    """Allows ``rate_per_min`` events a minute on average, bursts up to ``capacity``."""

    def __init__(self, rate_per_min: float, capacity: float, now: float) -> None:
        if rate_per_min <= 0 or capacity < 1:
            raise ValueError("rate must be positive and capacity at least 1")
        self._rate = rate_per_min / 60.0
        self._cap = capacity
        self._tokens = capacity
        self._last = now

    def available(self, now: float) -> float:
        """Tokens in the bucket at ``now`` (after refill)."""
        self._refill(now)
        return self._tokens

    def try_take(self, now: float) -> bool:
        """Take one token if there is one; True if taken."""
        self._refill(now)
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._last)
        self._tokens = min(self._cap, self._tokens + elapsed * self._rate)
        self._last = max(self._last, now)


WINDOW_PRUNE_EVERY = 60.0
"""Seconds between sweeps of the per-actor and per-room windows for empty ones."""


class SlidingWindow:
    """At most ``limit`` events in any ``window`` seconds."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self._limit = limit
        self._window = window
        self._times: deque[float] = deque()

    def count(self, now: float) -> int:
        """Events within the window ending at ``now``."""
        while self._times and self._times[0] <= now - self._window:
            self._times.popleft()
        return len(self._times)

    def allows(self, now: float) -> bool:
        """True if one more event fits now."""
        return self.count(now) < self._limit

    def record(self, now: float) -> None:
        """Count one event at ``now``."""
        self._times.append(now)


@frozen
class Charge:
    """One settled provider usage, priced."""

    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    estimated: bool
    cost_usd: float
    prompt_read: int | None = None  # of prompt_tokens, read anew by the server (if it said)


@frozen
class SettleResult:
    """What ``settle`` produced: charges to record and notices to send."""

    charges: tuple[Charge, ...]
    notices: tuple[DmNotice, ...]


@frozen
class OverLimit:
    """``reserve`` refused: ``cap`` names the limit; ``notices`` go out (the actor is
    told once per cap per day)."""

    cap: str
    notices: tuple[DmNotice, ...]


class Reservation:
    """A booking made by ``reserve``; owned by one narration. Mutable by ``Budget`` only."""

    __slots__ = ("actor", "cost", "settled", "tokens", "units")

    def __init__(self, actor: str | None, tokens: int, cost: float) -> None:
        self.actor = actor
        self.tokens = tokens
        self.cost = cost
        self.units = 1
        self.settled = False


_CAP_MESSAGES = {
    "actor_tokens": "You have reached your narration allowance for today",
    "actor_cost": "You have reached your share of today's narration budget",
    "daily_cost": "The server has spent today's narration budget",
}


class Budget:
    """Rates, accounting and caps. One per DmActor."""

    def __init__(self, settings: DmSettings, clock: Clock) -> None:
        self._s = settings
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._actor_windows: dict[str, SlidingWindow] = {}
        self._room_windows: dict[str, SlidingWindow] = {}
        self._pruned_at = clock.monotonic()
        self._day = utc_day(clock.wall())
        self._spent = 0.0
        self._actor_cost: dict[str, float] = {}
        self._actor_tokens: dict[str, int] = {}
        self._alerted: set[float] = set()
        self._actor_alerted: dict[str, set[float]] = {}
        self._told: set[tuple[str, str]] = set()
        self._res_cost = 0.0
        self._res_actor_cost: dict[str, float] = {}
        self._res_actor_tokens: dict[str, int] = {}
        # Totals today, for status: key -> [prompt, completion, cost, calls].
        self.totals: dict[str, dict[str, list[float]]] = {
            "actor": {},
            "room": {},
            "model": {},
            "kind": {},
        }

    # ---- rates ----------------------------------------------------------------------

    def admit_provider(self, provider: str) -> bool:
        """Take one request from ``provider``'s token bucket (``provider_rpm`` a minute,
        bursts of a tenth of that). False means skip this provider for now."""
        now = self._clock.monotonic()
        bucket = self._buckets.get(provider)
        if bucket is None:
            burst = max(1.0, self._s.provider_rpm / 10)
            bucket = self._buckets[provider] = TokenBucket(self._s.provider_rpm, burst, now)
        return bucket.try_take(now)

    def allow_call(self, actor: str | None, room: str) -> bool:
        """Check and count one model call against the per-actor and per-room sliding
        windows (a minute each). False (nothing counted) means narrate offline."""
        now = self._clock.monotonic()
        if now - self._pruned_at >= WINDOW_PRUNE_EVERY:
            self._prune_windows(now)
        room_w = self._room_windows.setdefault(room, SlidingWindow(self._s.room_per_min))
        actor_w = (
            None
            if actor is None
            else self._actor_windows.setdefault(actor, SlidingWindow(self._s.actor_per_min))
        )
        if not room_w.allows(now) or (actor_w is not None and not actor_w.allows(now)):
            return False
        room_w.record(now)
        if actor_w is not None:
            actor_w.record(now)
        return True

    def _prune_windows(self, now: float) -> None:
        # A window with nothing in it is the same as none: without this, every character
        # and room ever narrated for kept a window (and its deque) until a restart.
        self._pruned_at = now
        for windows in (self._actor_windows, self._room_windows):
            for key in [k for k, w in windows.items() if w.count(now) == 0]:
                del windows[key]

    # ---- reservations ---------------------------------------------------------------

    def booking(
        self, prompt_tokens: int, max_tokens: int, models: Iterable[str]
    ) -> tuple[int, float]:
        """Tokens and dollars to book for one call: margin-inflated prompt estimate plus
        ``max_tokens``, priced at the dearest of ``models`` (0 if none is priced)."""
        p = math.ceil(prompt_tokens * PROMPT_MARGIN)
        cost = max((price(self._s.pricing, m, p, max_tokens) for m in models), default=0.0)
        return p + max_tokens, cost

    def reserve(
        self, actor: str | None, prompt_tokens: int, max_tokens: int, models: Iterable[str]
    ) -> Reservation | OverLimit:
        """Book a call for ``actor`` (None for world-driven narration) or refuse.

        ``models`` are the models the chain may use for it. On refusal the request must
        run offline; ``OverLimit.notices`` tells the actor (once per cap per day).
        """
        self._roll()
        tokens, cost = self.booking(prompt_tokens, max_tokens, models)
        cap = self._cap_broken(actor, tokens, cost)
        if cap is not None:
            return OverLimit(cap, self._tell(actor, cap))
        res = Reservation(actor, tokens, cost)
        self._book(actor, tokens, cost)
        return res

    def extend(
        self, res: Reservation, prompt_tokens: int, max_tokens: int, models: Iterable[str]
    ) -> bool:
        """Book one more call under ``res`` (a continuation on another provider).
        False (nothing booked) when it would pass a cap."""
        self._roll()
        tokens, cost = self.booking(prompt_tokens, max_tokens, models)
        if res.settled or self._cap_broken(res.actor, tokens, cost) is not None:
            return False
        self._book(res.actor, tokens, cost)
        res.tokens += tokens
        res.cost += cost
        res.units += 1
        return True

    def _book(self, actor: str | None, tokens: int, cost: float) -> None:
        self._res_cost += cost
        if actor is not None:
            self._res_actor_cost[actor] = self._res_actor_cost.get(actor, 0.0) + cost
            self._res_actor_tokens[actor] = self._res_actor_tokens.get(actor, 0) + tokens

    def _cap_broken(self, actor: str | None, tokens: int, cost: float) -> str | None:
        eps = 1e-12  # float sums; never refuse an exact fit
        if self._spent + self._res_cost + cost > self._s.daily_budget_usd + eps:
            return "daily_cost"
        if actor is None:
            return None
        used = self._actor_tokens.get(actor, 0) + self._res_actor_tokens.get(actor, 0)
        if used + tokens > self._s.actor_token_limit:
            return "actor_tokens"
        spent = self._actor_cost.get(actor, 0.0) + self._res_actor_cost.get(actor, 0.0)
        if spent + cost > self._s.actor_daily_usd + eps:
            return "actor_cost"
        return None

    def _tell(self, actor: str | None, cap: str) -> tuple[DmNotice, ...]:
        if actor is None or (actor, cap) in self._told:
            return ()
        self._told.add((actor, cap))
        log_event(log, "budget_cap", cap=cap)
        text = (
            f"{_CAP_MESSAGES[cap]}. The story goes on: the offline narrator carries on "
            "for you until the limit resets at midnight UTC."
        )
        return (DmNotice(text, to=actor, admins_only=False),)

    def settle(
        self,
        res: Reservation,
        usages: Sequence[tuple[str, str, Usage]],
        *,
        room: str = "",
        kind: str = "",
    ) -> SettleResult:
        """Release ``res`` and charge the real ``(provider, model, usage)`` list.

        The offline narrator's usage is recorded at no cost and does not count against
        the actor's tokens. Idempotent for the release; charges apply once. Returns the
        charges (for RecordUsage) and any threshold alerts due.
        """
        self._roll()
        if not res.settled:
            res.settled = True
            self._res_cost = max(0.0, self._res_cost - res.cost)
            if res.actor is not None:
                a = res.actor
                left = max(0, self._res_actor_tokens.get(a, 0) - res.tokens)
                if left:
                    self._res_actor_cost[a] = max(0.0, self._res_actor_cost.get(a, 0.0) - res.cost)
                    self._res_actor_tokens[a] = left
                else:
                    # Nothing of theirs is booked any more (a cost left over is float
                    # rounding): no entry, or one stays per character ever narrated for.
                    self._res_actor_cost.pop(a, None)
                    self._res_actor_tokens.pop(a, None)
        return self.charge(res.actor, room, kind, usages)

    def charge(
        self,
        actor: str | None,
        room: str,
        kind: str,
        usages: Sequence[tuple[str, str, Usage]],
    ) -> SettleResult:
        """Count usage that was not reserved (offline narration) or settled by ``settle``.
        ``room``/``kind`` feed today's status totals when given."""
        charges: list[Charge] = []
        for provider, model, usage in usages:
            offline = provider == self._s.offline_provider
            cost = (
                0.0
                if offline
                else price(self._s.pricing, model, usage.prompt_tokens, usage.completion_tokens)
            )
            charges.append(
                Charge(
                    provider,
                    model,
                    usage.prompt_tokens,
                    usage.completion_tokens,
                    usage.estimated,
                    cost,
                    None if usage.estimated else usage.prompt_read,
                )
            )
            self._spent += cost
            if actor is not None:
                self._actor_cost[actor] = self._actor_cost.get(actor, 0.0) + cost
                if not offline:
                    total = usage.prompt_tokens + usage.completion_tokens
                    self._actor_tokens[actor] = self._actor_tokens.get(actor, 0) + total
            for group, key in (
                ("actor", actor or "-"),
                ("room", room),
                ("model", f"{provider}/{model}"),
                ("kind", kind),
            ):
                if key:
                    row = self.totals[group].setdefault(key, [0.0, 0.0, 0.0, 0.0])
                    row[0] += usage.prompt_tokens
                    row[1] += usage.completion_tokens
                    row[2] += cost
                    row[3] += 1
        return SettleResult(tuple(charges), self._alerts(actor))

    # ---- alerts ---------------------------------------------------------------------

    def _alerts(self, actor: str | None) -> tuple[DmNotice, ...]:
        out: list[DmNotice] = []
        limit = self._s.daily_budget_usd
        if limit > 0:
            frac = self._spent / limit
            for t in self._s.alert_thresholds:
                if frac >= t and t not in self._alerted:
                    self._alerted.add(t)
                    text = (
                        f"DM budget alert: ${self._spent:.4f} spent today, {t:.0%} of the "
                        f"${limit:.2f} daily budget."
                    )
                    log_event(
                        log,
                        "budget_warning",
                        level=logging.WARNING,
                        scope="server",
                        fraction=t,
                        spent_usd=round(self._spent, 4),
                        limit_usd=limit,
                    )
                    out.append(DmNotice(text))
        if actor is not None:
            used = self._actor_tokens.get(actor, 0)
            done = self._actor_alerted.setdefault(actor, set())
            for t in self._s.alert_thresholds:
                if used >= t * self._s.actor_token_limit and t not in done:
                    done.add(t)
                    text = (
                        f"DM budget alert: {actor} has used {used} tokens today, {t:.0%} of "
                        f"their {self._s.actor_token_limit} limit."
                    )
                    log_event(
                        log,
                        "budget_warning",
                        level=logging.WARNING,
                        scope="player",
                        fraction=t,
                        tokens=used,
                        limit_tokens=self._s.actor_token_limit,
                    )
                    out.append(DmNotice(text))
        return tuple(out)

    # ---- days, reports, persistence -------------------------------------------------

    def _roll(self) -> None:
        day = utc_day(self._clock.wall())
        if day != self._day:
            self._day = day
            self._spent = 0.0
            self._actor_cost.clear()
            self._actor_tokens.clear()
            self._alerted.clear()
            self._actor_alerted.clear()
            self._told.clear()
            for group in self.totals.values():
                group.clear()

    def reset_actor(self, actor: str) -> None:
        """Forget ``actor``'s usage today (an admin grants a fresh allowance)."""
        self._actor_cost.pop(actor, None)
        self._actor_tokens.pop(actor, None)
        self._actor_alerted.pop(actor, None)
        self._told = {t for t in self._told if t[0] != actor}

    @property
    def spent_today(self) -> float:
        """Dollars settled today (UTC)."""
        self._roll()
        return self._spent

    @property
    def reserved(self) -> float:
        """Dollars booked by calls in flight."""
        return self._res_cost

    def actor_tokens(self, actor: str) -> int:
        """Tokens ``actor`` used today (settled)."""
        self._roll()
        return self._actor_tokens.get(actor, 0)

    def report(self, actor: str) -> TokenReport:
        """The actor's usage: tokens and dollars today, plus the server's daily spend and budget."""
        self._roll()
        return TokenReport(
            used=self._actor_tokens.get(actor, 0),
            limit=self._s.actor_token_limit,
            cost_usd=self._actor_cost.get(actor, 0.0),
            daily_cost_usd=self._spent,
            daily_limit_usd=self._s.daily_budget_usd,
            cost_limit_usd=self._s.actor_daily_usd,
        )

    def snapshot(self) -> dict[str, Any]:
        """Everything that must survive a restart, JSON-friendly (stored under BUDGET_KEY)."""
        self._roll()
        return {
            "day": self._day,
            "spent": self._spent,
            "actor_cost": dict(self._actor_cost),
            "actor_tokens": dict(self._actor_tokens),
            "alerted": sorted(self._alerted),
            "actor_alerted": {a: sorted(ts) for a, ts in self._actor_alerted.items()},
            "told": sorted([a, c] for a, c in self._told),
        }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Load a ``snapshot``. A snapshot from an earlier day is ignored (the day rolled).
        Raises ValueError when the data is malformed."""
        try:
            day = str(data["day"])
            if day != utc_day(self._clock.wall()):
                return
            self._day = day
            self._spent = float(data["spent"])
            self._actor_cost = {str(k): float(v) for k, v in dict(data["actor_cost"]).items()}
            self._actor_tokens = {str(k): int(v) for k, v in dict(data["actor_tokens"]).items()}
            self._alerted = {float(t) for t in data["alerted"]}
            self._actor_alerted = {
                str(a): {float(t) for t in ts} for a, ts in dict(data["actor_alerted"]).items()
            }
            self._told = {(str(a), str(c)) for a, c in data["told"]}
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad budget state: {exc}") from exc
