"""The DM's request queue: priorities, limits, timeouts, coalescing, merging, fairness.

Pure bookkeeping: no awaiting, no clock reads. The owner (``mud.dm.actor.DmActor``)
passes ``now`` (monotonic seconds from its Clock) into every call.

Invariants:
- At most ``DmSettings.size_for(p)`` requests of priority ``p`` and ``total_size``
  requests in all wait at any time.
- Every request that ``offer`` accepts leaves the queue exactly once: taken (``take``),
  expired (``expire``), evicted (returned by a later ``offer``) or cancelled
  (``cancel_actor``). Nothing is dropped without the caller being told.
- An actor has at most one batch in flight; a room has at most one batch in flight.
  ``take`` never hands out a batch touching a busy actor or room; ``done`` frees them.
- Within a priority, rooms are served round-robin, and within a room its actors: of the
  requests that can start, the one whose room was served least recently goes first
  (then the one whose actor was), so a busy room, however many players or requests it
  has, gets every other turn against a quiet one and cannot starve it. Each actor's own
  requests stay in submission order. Higher priorities go first, but a lower-priority
  request for a free room is not held back by a higher one for a busy room.
- A coalesced or merged request gets no messages of its own: the narration of the batch
  it joined covers it (the batch lists them).
- An actor has at most one waiting request per priority and room: a new action while
  one is pending joins it (one narration covers both; at most ``merge_max`` actions are kept,
  older extras are counted as repeats), so a player acting faster than the narrator
  never fills the queue for everyone else.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Literal

from attrs import evolve, frozen

from mud.core.narration import NarrationRequest, Outcome, Priority
from mud.dm.settings import DmSettings

_PUNCT = re.compile(r"[^\w\s]+")
#: Most rooms and lanes whose last turn is remembered for round-robin; past it the
#: oldest half is forgotten (a forgotten one counts as never served, which is where the
#: oldest already stood).
STAMPS_KEPT = 4096
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case-fold, drop punctuation, collapse spaces ("Search the altar!" -> "search the altar")."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.casefold())).strip()


@frozen
class Batch:
    """Requests narrated together as one narration.

    ``request`` is what is narrated (the single request, or a merged one carrying the
    first member's id); ``members`` are the original requests in order (first one is
    the primary). ``repeats`` counts duplicates coalesced into the members. ``offline``
    is True for a request that timed out in the queue and is answered by the offline
    narrator only.
    """

    request: NarrationRequest
    members: tuple[NarrationRequest, ...]
    repeats: int = 0
    waited: float = 0.0
    offline: bool = False

    @property
    def actors(self) -> tuple[str, ...]:
        """The distinct named actors of the batch, in member order."""
        seen: list[str] = []
        for m in self.members:
            if m.actor is not None and m.actor not in seen:
                seen.append(m.actor)
        return tuple(seen)


@frozen
class OfferResult:
    """What ``offer`` did. ``status``: queued, coalesced (into a queued or in-flight
    request) or rejected (``reason`` says why). ``evicted`` lists lower-priority requests
    pushed out to make room; the caller must answer them."""

    status: Literal["queued", "coalesced", "rejected"]
    reason: str = ""
    evicted: tuple[NarrationRequest, ...] = ()


@frozen
class Expired:
    """What ``expire`` found. ``offline`` batches are already claimed (their actor and
    room are marked busy; call ``done``); ``rejected`` could not be claimed because their
    room or actor is busy and must be answered with a rejection."""

    offline: tuple[Batch, ...] = ()
    rejected: tuple[NarrationRequest, ...] = ()


@frozen
class QueueStats:
    """Counters since start. Tuples are indexed by ``Priority``."""

    depth: tuple[int, int, int]
    waits_mean: tuple[float, float, float]
    waits_max: tuple[float, float, float]
    served: int
    timeouts: int
    coalesced: int
    merged: int
    rejected: int
    evicted: int
    cancelled: int
    in_flight: int


class _Entry:
    """A waiting request (mutable: duplicates increase ``repeats``)."""

    __slots__ = ("deadline", "enqueued", "extra", "repeats", "request")

    def __init__(self, request: NarrationRequest, enqueued: float, deadline: float) -> None:
        self.request = request
        self.enqueued = enqueued
        self.deadline = deadline
        self.repeats = 0
        self.extra: list[NarrationRequest] = []  # the same actor's later actions

    @property
    def requests(self) -> tuple[NarrationRequest, ...]:
        return (self.request, *self.extra)


def _lane_key(request: NarrationRequest) -> str:
    # World-driven requests have no actor; they share a per-room lane so that they are
    # still served fairly against players.
    return request.actor if request.actor is not None else f"@{request.room.room_id}"


#: How much an outcome's kind counts, for the one a player's joined actions are told as
#: (``merge_requests``): a find or a success outweighs a failure, anything done outweighs
#: a free action.
_WEIGHT = {
    "critical": 6,
    "discovery": 5,
    "milestone": 5,
    "success": 4,
    "hit": 4,
    "power": 4,
    "fumble": 3,
    "failure": 2,
    "miss": 2,
    "nothing": 1,
    "review": 1,
    "dialogue": 1,
    "enter": 1,
}


def merge_requests(members: Sequence[NarrationRequest]) -> NarrationRequest:
    """One request narrating several simultaneous actions in one room.

    Keeps the first member's id, room, priority and kind; ``text`` lists each actor's
    words ("Alice: ...; Bob: ..."); the outcome takes the first member's kind (of one
    actor's actions, the kind that counts most: ``_WEIGHT``, the latest of a tie), the
    highest severity, and every member's facts prefixed by the actor's name;
    ``audience`` is the union; of one actor's, ``party`` is the one told's. Raises
    ValueError for an empty sequence.
    """
    if not members:
        raise ValueError("nothing to merge")
    first = members[0]
    if len(members) == 1:
        return first
    facts: list[str] = []
    texts: list[str] = []
    audience: list[str] = []
    for m in members:
        who = m.actor or "someone"
        texts.append(f"{who}: {m.text}")
        facts.append(f"{who}: {m.outcome.kind}")
        facts.extend(f"{who}: {f}" for f in m.outcome.facts)
        for name in m.audience:
            if name not in audience:
                audience.append(name)
    kind = first.outcome.kind
    party = first.party
    if len({m.actor for m in members}) == 1:
        # One player's actions joined: the narration tells the one that counts most,
        # the latest of as much weight (played: a search failed, then a pose of
        # searching found the packet on a natural 20, and one narration told "You strain
        # at it, and still it will not yield.").
        weightiest = max(reversed(members), key=lambda m: _WEIGHT.get(m.outcome.kind, 0))
        kind = weightiest.outcome.kind
        # And those who did the weightiest with them are of it (played: Corra's search
        # finished the group's quest, and Brin read "Corra has seen ... through.").
        party = weightiest.party
    outcome = Outcome(
        kind=kind,
        severity=max(m.outcome.severity for m in members),
        facts=tuple(facts),
    )
    return evolve(
        first,
        text="; ".join(texts),
        outcome=outcome,
        audience=tuple(audience),
        party=party,
        cacheable=False,
    )


class RequestQueue:
    """The priority queue. Owned by one DmActor; not safe to share between actors.

    All methods are synchronous and take ``now`` in monotonic seconds.
    """

    def __init__(self, settings: DmSettings) -> None:
        self._s = settings
        # Per priority: lane key -> that actor's waiting entries. Dict order is the
        # round-robin order (served lanes are re-inserted at the end).
        self._lanes: tuple[dict[str, deque[_Entry]], ...] = ({}, {}, {})
        # Round-robin: the serial number of each room's and each lane's last turn.
        self._turn = 0
        self._room_turn: dict[str, int] = {}
        self._lane_turn: dict[str, int] = {}
        self._by_id: dict[int, _Entry] = {}
        # Dedupe index: (actor, room, kind, normalised text) -> (first seen, request id).
        self._recent: dict[tuple[str, str, str, str], tuple[float, int]] = {}
        self._busy_actors: set[str] = set()
        self._busy_rooms: set[str] = set()
        self._in_flight_ids: set[int] = set()
        self._wait_sum = [0.0, 0.0, 0.0]
        self._wait_n = [0, 0, 0]
        self._wait_max = [0.0, 0.0, 0.0]
        self._served = 0
        self._timeouts = 0
        self._coalesced = 0
        self._merged = 0
        self._rejected = 0
        self._evicted = 0
        self._cancelled = 0
        self._last_wait: dict[str, float] = {}  # actor -> their last request's queue wait

    def __len__(self) -> int:
        return len(self._by_id)

    def depth(self, priority: Priority) -> int:
        """How many requests of ``priority`` wait."""
        return sum(len(q) for q in self._lanes[int(priority)].values())

    # ---- entering -------------------------------------------------------------------

    def offer(self, request: NarrationRequest, now: float) -> OfferResult:
        """Queue ``request`` or say why not. Called by ``DmActor.submit``."""
        self._forget_old(now)
        key = self._dedupe_key(request)
        if key is not None:
            seen = self._recent.get(key)
            if seen is not None and now - seen[0] <= self._s.dedupe_window:
                target = self._by_id.get(seen[1])
                if target is not None:
                    target.repeats += 1
                    self._coalesced += 1
                    return OfferResult("coalesced")
                if seen[1] in self._in_flight_ids:
                    self._coalesced += 1
                    return OfferResult("coalesced")
        prio = int(request.priority)
        if request.actor is not None:
            pending = self._lanes[prio].get(request.actor)
            same_room = [e for e in pending or () if e.request.room.room_id == request.room.room_id]
            if same_room:
                # One pending narration per player and room: the new action joins it.
                target = same_room[-1]
                if len(target.extra) >= max(1, self._s.merge_max - 1):
                    target.extra.pop(0)
                    target.repeats += 1
                target.extra.append(request)
                self._coalesced += 1
                if key is not None:
                    self._recent[key] = (now, target.request.request_id)
                return OfferResult("coalesced")
        if self.depth(request.priority) >= self._s.size_for(request.priority):
            self._rejected += 1
            return OfferResult("rejected", f"{request.priority.name.lower()} queue full")
        evicted: tuple[NarrationRequest, ...] = ()
        if len(self._by_id) >= self._s.total_size:
            victim = self._eviction_victim(prio)
            if victim is None:
                self._rejected += 1
                return OfferResult("rejected", "queue full")
            self._remove(victim)
            self._evicted += 1
            evicted = (victim.request,)
        entry = _Entry(request, now, now + self._s.timeout_for(request.priority))
        self._lanes[prio].setdefault(_lane_key(request), deque()).append(entry)
        self._by_id[request.request_id] = entry
        if key is not None:
            self._recent[key] = (now, request.request_id)
        return OfferResult("queued", evicted=evicted)

    def _dedupe_key(self, request: NarrationRequest) -> tuple[str, str, str, str] | None:
        if request.actor is None:
            return None
        return (request.actor, request.room.room_id, request.kind, normalise(request.text))

    def _forget_old(self, now: float) -> None:
        window = self._s.dedupe_window
        stale = [k for k, (t, _) in self._recent.items() if now - t > window]
        for k in stale:
            del self._recent[k]

    def _eviction_victim(self, prio: int) -> _Entry | None:
        # Push out the newest request of the least important priority below ours: it
        # has waited least, so evicting it wastes the least.
        for lower in range(2, prio, -1):
            entries = [e for q in self._lanes[lower].values() for e in q]
            if entries:
                return max(entries, key=lambda e: e.enqueued)
        return None

    def _remove(self, entry: _Entry) -> None:
        prio = int(entry.request.priority)
        lane_key = _lane_key(entry.request)
        lane = self._lanes[prio][lane_key]
        lane.remove(entry)
        if not lane:
            del self._lanes[prio][lane_key]
        del self._by_id[entry.request.request_id]

    # ---- leaving --------------------------------------------------------------------

    def next_deadline(self) -> float | None:
        """The earliest queue deadline, or None when nothing waits."""
        return min((e.deadline for e in self._by_id.values()), default=None)

    def expire(self, now: float) -> Expired:
        """Remove every request whose deadline has passed.

        Each one is claimed as an offline batch when its room and actor are free, else
        returned as rejected. Ordered by deadline.
        """
        due = sorted((e for e in self._by_id.values() if e.deadline <= now), key=_deadline)
        offline: list[Batch] = []
        rejected: list[NarrationRequest] = []
        for entry in due:
            self._remove(entry)
            self._timeouts += 1
            if self._free(entry.request):
                batch = Batch(
                    merge_requests(entry.requests),
                    entry.requests,
                    entry.repeats,
                    now - entry.enqueued,
                    offline=True,
                )
                self._claim(batch)
                offline.append(batch)
            else:
                rejected.append(entry.request)
            if entry.request.actor is not None:
                self._last_wait[entry.request.actor] = now - entry.enqueued
        return Expired(tuple(offline), tuple(rejected))

    def take(self, now: float) -> Batch | None:
        """The next batch to narrate, or None when nothing waiting can start now.

        Highest priority first; within it, the startable request whose room had its last
        turn longest ago (never counts as longest), then whose lane (actor) did, then the
        lane that has waited in the round-robin order longest. Marks the batch's actors
        and room busy; the caller must call ``done``.
        """
        for prio, lanes in enumerate(self._lanes):
            best: tuple[int, int, int] | None = None
            chosen = ""
            for order, (lane_key, lane) in enumerate(lanes.items()):
                head = lane[0]
                if not self._free(head.request):
                    continue
                rank = (
                    self._room_turn.get(head.request.room.room_id, -1),
                    self._lane_turn.get(lane_key, -1),
                    order,
                )
                if best is None or rank < best:
                    best, chosen = rank, lane_key
            if best is None:
                continue
            entry = lanes[chosen][0]
            members = [entry]
            self._pop_head(prio, chosen)
            if entry.request.kind == "action":
                self._gather_merge(prio, entry, members)
            for m in members:
                wait = now - m.enqueued
                self._wait_sum[prio] += wait
                self._wait_n[prio] += 1
                self._wait_max[prio] = max(self._wait_max[prio], wait)
                if m.request.actor is not None:
                    self._last_wait[m.request.actor] = wait
            reqs = tuple(r for m in members for r in m.requests)
            if len(members) > 1:
                self._merged += len(members) - 1
            batch = Batch(
                merge_requests(reqs),
                reqs,
                sum(m.repeats for m in members),
                now - entry.enqueued,
            )
            self._stamp(entry.request.room.room_id, [_lane_key(m.request) for m in members])
            self._claim(batch)
            self._served += 1
            return batch
        return None

    def _stamp(self, room: str, lane_keys: Sequence[str]) -> None:
        """Record a turn for ``room`` and the lanes served in it (for round-robin)."""
        self._turn += 1
        self._room_turn[room] = self._turn
        for key in lane_keys:
            self._lane_turn[key] = self._turn
        for stamps in (self._room_turn, self._lane_turn):
            if len(stamps) > STAMPS_KEPT:
                keep = sorted(stamps.items(), key=lambda kv: kv[1])[len(stamps) // 2 :]
                stamps.clear()
                stamps.update(keep)

    def _gather_merge(self, prio: int, first: _Entry, members: list[_Entry]) -> None:
        lanes = self._lanes[prio]
        room = first.request.room.room_id
        for lane_key in list(lanes):
            if len(members) >= self._s.merge_max:
                return
            head = lanes[lane_key][0]
            req = head.request
            if (
                req.kind == "action"
                and req.room.room_id == room
                and req.actor is not None
                and req.actor not in self._busy_actors
                and all(m.request.actor != req.actor for m in members)
                and abs(req.created - first.request.created) <= self._s.merge_window
            ):
                self._pop_head(prio, lane_key)
                members.append(head)

    def _pop_head(self, prio: int, lane_key: str) -> None:
        lanes = self._lanes[prio]
        lane = lanes.pop(lane_key)
        entry = lane.popleft()
        del self._by_id[entry.request.request_id]
        if lane:
            lanes[lane_key] = lane  # to the back of the round-robin order

    def _free(self, request: NarrationRequest) -> bool:
        if request.room.room_id in self._busy_rooms:
            return False
        return request.actor is None or request.actor not in self._busy_actors

    def _claim(self, batch: Batch) -> None:
        self._busy_rooms.add(batch.request.room.room_id)
        self._busy_actors.update(batch.actors)
        self._in_flight_ids.update(m.request_id for m in batch.members)

    def done(self, batch: Batch) -> None:
        """The batch's narration is over: free its room and actors. Idempotent."""
        self._busy_rooms.discard(batch.request.room.room_id)
        self._busy_actors.difference_update(batch.actors)
        self._in_flight_ids.difference_update(m.request_id for m in batch.members)

    def cancel_actor(self, actor: str) -> list[NarrationRequest]:
        """Remove ``actor``'s waiting requests (not in-flight ones); returns them."""
        removed: list[NarrationRequest] = []
        for lanes in self._lanes:
            lane = lanes.pop(actor, None)
            if lane is None:
                continue
            for entry in lane:
                del self._by_id[entry.request.request_id]
                removed.extend(entry.requests)
        self._cancelled += len(removed)
        self._last_wait.pop(actor, None)
        return removed

    def actor_waits(self, now: float) -> list[tuple[str, float, bool]]:
        """Each player's queue wait for ``dm status``: (actor, seconds, still waiting),
        the current wait for a waiting request, else the last one's; sorted by name."""
        out = dict((a, (w, False)) for a, w in self._last_wait.items())
        for entry in self._by_id.values():
            actor = entry.request.actor
            if actor is not None:
                wait = now - entry.enqueued
                if actor not in out or not out[actor][1] or wait > out[actor][0]:
                    out[actor] = (wait, True)
        return [(a, w, waiting) for a, (w, waiting) in sorted(out.items())]

    def waiting(self) -> Iterable[NarrationRequest]:
        """Every waiting request (any order). For status and tests."""
        return [e.request for e in self._by_id.values()]

    def stats(self) -> QueueStats:
        """A snapshot of the counters."""

        def mean(i: int) -> float:
            return self._wait_sum[i] / self._wait_n[i] if self._wait_n[i] else 0.0

        return QueueStats(
            depth=(
                self.depth(Priority.HIGH),
                self.depth(Priority.MEDIUM),
                self.depth(Priority.LOW),
            ),
            waits_mean=(mean(0), mean(1), mean(2)),
            waits_max=(self._wait_max[0], self._wait_max[1], self._wait_max[2]),
            served=self._served,
            timeouts=self._timeouts,
            coalesced=self._coalesced,
            merged=self._merged,
            rejected=self._rejected,
            evicted=self._evicted,
            cancelled=self._cancelled,
            in_flight=len(self._busy_rooms),
        )


def _deadline(entry: _Entry) -> float:
    return entry.deadline
