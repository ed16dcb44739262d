"""RequestQueue: priorities, limits, timeouts, coalescing, merging, fairness, in-flight rules."""

from __future__ import annotations

import itertools

from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.narration import NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.dm.queue import RequestQueue, merge_requests, normalise
from mud.dm.settings import DmSettings

_ids = itertools.count(1)


def req(
    actor: str | None = "alice",
    *,
    room: str = "r1",
    prio: Priority = Priority.MEDIUM,
    kind: str = "action",
    text: str = "search the altar",
    created: float = 0.0,
    facts: tuple[str, ...] = (),
) -> NarrationRequest:
    return NarrationRequest(
        request_id=next(_ids),
        kind=kind,
        room=RoomSnapshot(room, room.title(), "A room."),
        actor=actor,
        text=text,
        outcome=Outcome("success", 1, facts),
        priority=prio,
        created=created,
    )


def drain(q: RequestQueue, now: float = 0.0) -> list[NarrationRequest]:
    out = []
    while (b := q.take(now)) is not None:
        out.append(b.request)
        q.done(b)
    return out


def test_normalise() -> None:
    assert normalise("  Search, the ALTAR!! ") == "search the altar"


def test_priority_order() -> None:
    q = RequestQueue(DmSettings(merge_max=1))
    low = req("a", prio=Priority.LOW, kind="ambient", room="r1")
    med = req("b", prio=Priority.MEDIUM, room="r2")
    high = req("c", prio=Priority.HIGH, kind="combat", room="r3")
    for r in (low, med, high):
        assert q.offer(r, 0.0).status == "queued"
    assert [r.request_id for r in drain(q)] == [high.request_id, med.request_id, low.request_id]


def test_per_priority_limit_rejects() -> None:
    q = RequestQueue(DmSettings(medium_size=2))
    assert q.offer(req("a", text="1"), 0).status == "queued"
    assert q.offer(req("b", text="2"), 0).status == "queued"
    res = q.offer(req("c", text="3"), 0)
    assert res.status == "rejected"
    assert "medium" in res.reason
    assert q.stats().rejected == 1
    assert len(q) == 2


def test_total_limit_evicts_lower_priority_for_higher() -> None:
    s = DmSettings(low_size=10, high_size=5, total_size=3)
    q = RequestQueue(s)
    lows = [req(f"a{i}", prio=Priority.LOW, kind="ambient", text=str(i)) for i in range(3)]
    for i, r in enumerate(lows):
        assert q.offer(r, float(i)).status == "queued"
    # A fourth LOW does not fit and cannot evict its own priority.
    assert q.offer(req("z", prio=Priority.LOW, kind="ambient"), 5).status == "rejected"
    high = req("h", prio=Priority.HIGH, kind="combat")
    res = q.offer(high, 6)
    assert res.status == "queued"
    assert res.evicted == (lows[2],)  # the newest low-priority one
    assert len(q) == 3
    assert q.stats().evicted == 1


def test_timeouts_offline_when_free_rejected_when_room_busy() -> None:
    s = DmSettings(medium_timeout=10.0, merge_max=1)
    q = RequestQueue(s)
    first = req("a", room="r1", text="one")
    second = req("b", room="r1", text="two")
    other = req("c", room="r2", text="three")
    for r in (first, second, other):
        q.offer(r, 0.0)
    busy = q.take(0.0)
    assert busy is not None and busy.request == first
    assert q.next_deadline() == 10.0
    assert q.expire(9.99).offline == ()
    exp = q.expire(10.0)
    assert exp.rejected == (second,)  # its room is narrating
    assert [b.request for b in exp.offline] == [other]
    assert exp.offline[0].offline
    assert q.stats().timeouts == 2
    # The offline batch holds its room until done.
    assert q.offer(req("d", room="r2", text="x"), 10.0).status == "queued"
    assert q.take(10.0) is None
    q.done(exp.offline[0])
    q.done(busy)
    assert q.take(10.0) is not None


def test_coalescing_within_window_counts_repeats() -> None:
    q = RequestQueue(DmSettings(dedupe_window=5.0))
    a = req("alice", text="Search the altar!")
    assert q.offer(a, 0.0).status == "queued"
    assert q.offer(req("alice", text="search   the altar"), 1.0).status == "coalesced"
    assert q.offer(req("alice", text="SEARCH THE ALTAR"), 4.0).status == "coalesced"
    # A different actor, or different words, are not duplicates.
    assert q.offer(req("bob", text="search the altar", room="r2"), 4.0).status == "queued"
    # Different words from alice while hers is pending join it (one narration each).
    floor = req("alice", text="search the floor")
    assert q.offer(floor, 4.5).status == "coalesced"
    batch = q.take(4.5)
    assert batch is not None and batch.request.request_id == a.request_id
    assert batch.repeats == 2
    assert [m.request_id for m in batch.members] == [a.request_id, floor.request_id]
    assert "search the floor" in batch.request.text
    assert q.stats().coalesced == 3


def test_spammer_keeps_one_pending_request_and_others_get_in() -> None:
    # issue 15 item 7: one player acting faster than the narrator must not fill the
    # queue for a player elsewhere.
    q = RequestQueue(DmSettings(medium_size=3, total_size=15, merge_max=4, dedupe_window=0.0))
    first = req("spam", room="r1", text="act 0")
    assert q.offer(first, 0.0).status == "queued"
    running = q.take(0.0)
    assert running is not None
    spam = [req("spam", room="r1", text=f"act {i}") for i in range(1, 30)]
    statuses = [q.offer(r, i * 0.6).status for i, r in enumerate(spam, 1)]
    assert statuses == ["queued"] + ["coalesced"] * (len(spam) - 1)
    assert q.depth(Priority.MEDIUM) == 1
    quiet = req("quiet", room="r2", text="look around")
    assert q.offer(quiet, 18.0).status == "queued"
    got = q.take(18.0)
    assert got is not None and got.request == quiet
    q.done(running)
    nxt = q.take(18.1)
    assert nxt is not None and nxt.actors == ("spam",)
    # The latest actions are the ones narrated; older ones are counted as repeats.
    assert nxt.members[-1] == spam[-1] and len(nxt.members) == 4
    assert nxt.repeats == len(spam) - 4


def test_coalescing_against_in_flight_and_window_expiry() -> None:
    q = RequestQueue(DmSettings(dedupe_window=5.0))
    q.offer(req("alice", text="dance"), 0.0)
    b = q.take(0.0)
    assert b is not None
    assert q.offer(req("alice", text="dance"), 2.0).status == "coalesced"
    assert q.offer(req("alice", text="dance"), 5.5).status == "queued"  # window over
    q.done(b)


def test_no_coalescing_for_world_requests() -> None:
    q = RequestQueue(DmSettings())
    assert q.offer(req(None, kind="ambient", text="wind"), 0).status == "queued"
    assert q.offer(req(None, kind="ambient", text="wind"), 0).status == "queued"


def test_merging_simultaneous_actions_in_one_room() -> None:
    q = RequestQueue(DmSettings(merge_max=3, merge_window=2.0, medium_size=10, total_size=10))
    rs = [
        req(name, text=f"{name} acts", created=t, facts=(f"{name} rolls 12",))
        for name, t in (("alice", 0.0), ("bob", 0.5), ("carol", 1.0), ("dave", 1.5))
    ]
    late = req("erin", text="late", created=9.0)
    elsewhere = req("fred", room="r2", text="far", created=0.0)
    talk = req("gina", kind="talk", text="hello", created=0.0)
    for r in [*rs, late, elsewhere, talk]:
        q.offer(r, 0.0)
    batch = q.take(2.0)
    assert batch is not None
    assert [m.actor for m in batch.members] == ["alice", "bob", "carol"]  # capped at 3
    merged = batch.request
    assert merged.request_id == rs[0].request_id
    assert "alice: alice acts" in merged.text and "carol: carol acts" in merged.text
    assert "bob: bob rolls 12" in merged.outcome.facts
    assert not merged.cacheable
    assert q.stats().merged == 2
    # Everyone merged is busy, the room too.
    assert q.take(2.0) is not None  # fred in r2
    assert q.take(2.0) is None
    q.done(batch)
    nxt = q.take(2.0)
    assert nxt is not None and nxt.members[0].actor == "dave"
    assert [m.actor for m in nxt.members] == ["dave"]  # erin is not simultaneous


def test_merge_requests_single_is_identity() -> None:
    r = req()
    assert merge_requests([r]) is r


def _as(r: NarrationRequest, kind: str) -> NarrationRequest:
    return evolve(r, outcome=Outcome(kind, 1, ()))


def test_one_players_joined_actions_are_told_as_the_one_that_counts_most() -> None:
    # Played: a search failed, then a pose of searching found the packet on a natural
    # 20, and the one narration of both told "You strain at it, and still it will not
    # yield."
    q = RequestQueue(DmSettings())
    q.offer(_as(req(text="search the hearth"), "failure"), 0.0)
    q.offer(_as(req(text="runs his fingers along the hearthstones"), "critical"), 0.0)
    batch = q.take(0.0)
    assert batch is not None and len(batch.members) == 2
    assert batch.request.outcome.kind == "critical"
    alice = req()
    assert merge_requests([_as(alice, "discovery"), _as(alice, "none")]).outcome.kind == "discovery"
    # Of as much weight, the latest: where things now stand.
    assert merge_requests([_as(alice, "success"), _as(alice, "hit")]).outcome.kind == "hit"
    # Different players' actions keep the first one's (whose the narration's "you" is).
    bob = req("bob")
    assert merge_requests([_as(alice, "failure"), _as(bob, "success")]).outcome.kind == "failure"
    # Those the weightiest was done with are of it (played, round 53: Corra's search
    # finished the group's quest, and Brin read "Corra has seen ... through.").
    done = evolve(_as(alice, "milestone"), party=("bob",))
    assert merge_requests([_as(alice, "success"), done]).party == ("bob",)


def test_round_robin_fairness_within_priority() -> None:
    q = RequestQueue(DmSettings(merge_max=1, medium_size=10, total_size=20))
    for i in range(3):
        q.offer(req("alice", room=f"a{i}", text=f"a{i}"), 0.0)
    q.offer(req("bob", room="b0", text="b0"), 0.0)
    q.offer(req("carol", room="c0", text="c0"), 0.0)
    order = [r.text for r in drain(q)]
    assert order == ["a0", "b0", "c0", "a1", "a2"]


def test_one_in_flight_per_actor_and_room() -> None:
    q = RequestQueue(DmSettings(merge_max=1, medium_size=10, total_size=20))
    a1 = req("alice", room="r1", text="1")
    a2 = req("alice", room="r2", text="2")
    b1 = req("bob", room="r1", text="3")
    c3 = req("carol", room="r3", text="4")
    for r in (a1, a2, b1, c3):
        q.offer(r, 0.0)
    first = q.take(0.0)
    assert first is not None and first.request == a1
    second = q.take(0.0)
    # alice is busy (a2 waits), r1 is busy (b1 waits): carol goes.
    assert second is not None and second.request == c3
    assert q.take(0.0) is None
    assert q.stats().in_flight == 2
    q.done(first)
    got = {q.take(0.0).request.request_id, q.take(0.0).request.request_id}  # type: ignore[union-attr]
    assert got == {a2.request_id, b1.request_id}


def test_higher_priority_for_busy_room_does_not_block_other_rooms() -> None:
    q = RequestQueue(DmSettings(merge_max=1))
    q.offer(req("a", room="r1", text="x"), 0)
    running = q.take(0)
    assert running is not None
    q.offer(req("b", room="r1", prio=Priority.HIGH, kind="combat"), 0)
    low = req(None, room="r2", prio=Priority.LOW, kind="ambient")
    q.offer(low, 0)
    nxt = q.take(0)
    assert nxt is not None and nxt.request == low


def test_cancel_actor_removes_waiting_only() -> None:
    q = RequestQueue(DmSettings(merge_max=1))
    q.offer(req("alice", room="r1", text="1"), 0)
    q.offer(req("alice", room="r1", text="2", prio=Priority.HIGH, kind="ask"), 0)
    q.offer(req("bob", room="r2", text="3"), 0)
    running = q.take(0)
    assert running is not None and running.request.actor == "alice"
    removed = q.cancel_actor("alice")
    assert [r.text for r in removed] == ["1"]
    assert [r.actor for r in q.waiting()] == ["bob"]
    assert q.stats().cancelled == 1


def test_wait_stats() -> None:
    q = RequestQueue(DmSettings(merge_max=1))
    q.offer(req("a", room="r1", text="1"), 0.0)
    q.offer(req("b", room="r2", text="2"), 1.0)
    b1 = q.take(3.0)
    b2 = q.take(3.0)
    assert b1 is not None and b2 is not None
    st_ = q.stats()
    assert st_.waits_max[Priority.MEDIUM] == 3.0
    assert st_.waits_mean[Priority.MEDIUM] == 2.5
    assert st_.served == 2


ops = st.lists(
    st.tuples(
        st.sampled_from(["offer", "take", "done", "expire", "cancel"]),
        st.sampled_from(["a", "b", "c", "d", None]),
        st.sampled_from(["r1", "r2", "r3"]),
        st.sampled_from(list(Priority)),
        st.sampled_from(["x", "y"]),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_queue_invariants_property(
    script: list[tuple[str, str | None, str, Priority, str]],
) -> None:
    s = DmSettings(high_size=2, medium_size=2, low_size=3, total_size=5, merge_max=2)
    q = RequestQueue(s)
    now = 0.0
    running: list = []
    accounted: set[int] = set()  # ids that left the queue in a way the caller saw
    offered: set[int] = set()
    for op, actor, room, prio, text in script:
        now += 1.0
        if op == "offer":
            r = req(actor, room=room, prio=prio, text=text, created=now)
            res = q.offer(r, now)
            if res.status == "queued":
                offered.add(r.request_id)
            accounted.update(e.request_id for e in res.evicted)
        elif op == "take":
            b = q.take(now)
            if b is not None:
                running.append(b)
                accounted.update(m.request_id for m in b.members)
        elif op == "done" and running:
            q.done(running.pop(0))
        elif op == "expire":
            exp = q.expire(now)
            running.extend(exp.offline)
            accounted.update(m.request_id for b in exp.offline for m in b.members)
            accounted.update(r.request_id for r in exp.rejected)
        elif op == "cancel" and actor is not None:
            accounted.update(r.request_id for r in q.cancel_actor(actor))
        # Limits hold.
        for p in Priority:
            assert q.depth(p) <= s.size_for(p)
        assert len(q) <= s.total_size
        # One in flight per actor and per room.
        rooms = [b.request.room.room_id for b in running]
        assert len(rooms) == len(set(rooms))
        actors = [a for b in running for a in b.actors]
        assert len(actors) == len(set(actors))
    # Nothing vanished: every accepted request is waiting or was handed back.
    waiting = {r.request_id for r in q.waiting()}
    assert offered <= waiting | accounted
    assert not (waiting & accounted)


# -- rooms round-robin within a priority (issue 10) ----------------------------------------


def test_a_busy_room_gets_every_other_turn_against_a_quiet_one() -> None:
    # Three players in the tavern act constantly; one player in the chapel acts now and
    # then. Serving actors in turn gave the chapel one turn in four; rooms in turn give
    # it every other one.
    q = RequestQueue(DmSettings(merge_max=1, medium_size=20, total_size=20, dedupe_window=0.0))
    for name in ("a1", "a2", "a3"):
        q.offer(req(name, room="tavern", text=f"{name} acts"), 0.0)
    offered: list[int] = []
    waited: list[int] = []
    for step in range(12):
        if step in (0, 3, 6):
            # The chapel's player acts (a new request after each of their narrations).
            q.offer(req("quiet", room="chapel", text=f"pray {step}"), float(step))
            offered.append(step)
        batch = q.take(float(step))
        assert batch is not None
        if batch.request.room.room_id == "chapel":
            waited.append(step - offered[len(waited)])
        else:
            # The tavern player acts again at once: the tavern always has work waiting.
            actor = batch.request.actor
            assert actor is not None
            q.offer(req(actor, room="tavern", text=f"{actor} again {step}"), float(step))
        q.done(batch)
    # Each chapel request waits for at most the one tavern turn already due.
    assert len(waited) == 3
    assert max(waited) <= 1, waited


def test_within_a_room_its_actors_take_turns() -> None:
    q = RequestQueue(DmSettings(merge_max=1, medium_size=20, total_size=20, dedupe_window=0.0))
    for name in ("a1", "a2"):
        q.offer(req(name, room="tavern", text="x"), 0.0)
    order: list[str | None] = []
    for step in range(6):
        batch = q.take(float(step))
        assert batch is not None
        order.append(batch.request.actor)
        q.offer(req(batch.request.actor, room="tavern", text=f"y{step}"), float(step))
        q.done(batch)
    assert order == ["a1", "a2", "a1", "a2", "a1", "a2"]


def test_world_requests_of_a_room_share_its_turns() -> None:
    q = RequestQueue(DmSettings(merge_max=1, low_size=20, total_size=20))
    for i in range(3):
        q.offer(req(None, room="marsh", prio=Priority.LOW, kind="ambient", text=f"w{i}"), 0.0)
    q.offer(req("bob", room="hall", prio=Priority.LOW, kind="ambient", text="b"), 0.0)
    order = [r.room.room_id for r in drain(q)]
    assert order == ["marsh", "hall", "marsh", "marsh"]


fair_ops = st.lists(
    st.tuples(
        st.sampled_from(["offer", "offer", "take"]),
        st.sampled_from(["a", "b", "c", "d", "e", None]),
        st.sampled_from(["r1", "r2", "r3"]),
        st.sampled_from([Priority.HIGH, Priority.MEDIUM]),
    ),
    max_size=80,
)


@settings(max_examples=600, deadline=None)
@given(fair_ops)
def test_no_room_is_passed_over_twice_property(
    script: list[tuple[str, str | None, str, Priority]],
) -> None:
    # One narration at a time (a single llama.cpp slot). When a room is served at some
    # priority, no other room has had a request of that priority waiting since before
    # the served room's previous turn without a turn of its own since: a room is never
    # passed over by another twice.
    s = DmSettings(high_size=50, medium_size=50, total_size=100, merge_max=2, dedupe_window=0.0)
    q = RequestQueue(s)
    offered_at: dict[int, float] = {}
    last_turn: dict[str, float] = {}
    now = 0.0
    for op, actor, room, prio in script:
        now += 1.0
        if op == "offer":
            # A character is in one room at a time (an actor's own requests stay in
            # order, whatever their rooms).
            who = None if actor is None else f"{actor}@{room}"
            r = req(who, room=room, prio=prio, text=f"t{now}", created=now)
            if q.offer(r, now).status == "queued":
                offered_at[r.request_id] = now
            continue
        waiting = list(q.waiting())
        batch = q.take(now)
        if batch is None:
            assert not waiting
            continue
        served_room = batch.request.room.room_id
        prio_now = batch.request.priority
        assert all(w.priority >= prio_now for w in waiting)  # priorities first
        previous = last_turn.get(served_room)
        if previous is not None:
            for w in waiting:
                other = w.room.room_id
                if other != served_room and w.priority == prio_now:
                    # Waiting since before the served room's last turn, the other room
                    # must have had a turn since (at any priority).
                    had_turn = last_turn.get(other, -1.0) > previous
                    assert offered_at[w.request_id] > previous or had_turn, (served_room, w)
        last_turn[served_room] = now
        q.done(batch)
