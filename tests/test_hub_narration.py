"""The hub's narration bookkeeping (``mud.hub.narration``), without a hub or a DM."""

from __future__ import annotations

from enginerig import EngineRig
from hypothesis import given
from hypothesis import strategies as st

from mud.core.narration import Outcome, Priority
from mud.hub import narration
from mud.hub.narration import Narrations


def test_snapshot_shows_the_room_as_it_is_now() -> None:
    rig = EngineRig()
    rig.player("alice", "chapel")
    rig.player("bob", "chapel")
    snap = narration.snapshot(rig.world, "hollowmere:chapel")
    assert snap.room_id == "hollowmere:chapel"
    assert snap.exits == ("east", "out")  # the hidden way down is not told
    assert snap.occupants == ("Alice", "Bob")
    assert snap.pack_name and snap.persona
    rig.world.move("bob", "hollowmere:crossroads")
    assert narration.snapshot(rig.world, "hollowmere:chapel").occupants == ("Alice",)


def test_a_request_is_heard_by_whoever_is_there_and_keyed_for_the_cache() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    room = "hollowmere:common_room"
    req = narration.request(
        rig.world, 7, "alice", room, "look", "", Outcome(), Priority.LOW, created=5.0
    )
    assert (req.request_id, req.seed, req.actor, req.created) == (7, 7, "Alice", 5.0)
    assert req.audience == ("Alice",) and req.state_key == ""
    cached = narration.request(
        rig.world, 8, None, room, "look", "", Outcome(), Priority.LOW, created=0, cacheable=True
    )
    assert cached.actor is None
    assert cached.state_key == f"{room}|{'/'.join(cached.room.items)}|1|Bessa Thorn"
    # The world's people there are in the scene (and so in the cache's key): a model
    # told only "Present: Alice" does not know Bessa is behind the bar.
    assert cached.room.npcs == ("Bessa Thorn",) and cached.room.occupants == ("Alice",)
    # One who walks off changes the key: a cached scene with her in it is not served.
    rig.world.npcs["hollowmere:bessa"].room = "hollowmere:kitchen"
    gone = narration.request(
        rig.world, 9, None, room, "look", "", Outcome(), Priority.LOW, created=0, cacheable=True
    )
    assert gone.room.npcs == () and gone.state_key != cached.state_key


def test_a_fight_event_cuts_the_streams_of_its_room_and_makes_the_unstarted_late() -> None:
    n = Narrations()
    scene, round1, elsewhere = n.ask("hall"), n.ask("hall"), n.ask("yard")
    assert (scene, round1, elsewhere) == (1, 2, 3)
    n.start(scene, "hall")
    n.start(elsewhere, "yard")
    assert n.chunk(scene, "The door ") and n.streams_in("hall") == [scene]
    assert n.fight_event("hall") == [scene]  # cut off mid-sentence
    assert not n.chunk(scene, "creaks.")  # what still comes of it is dropped
    assert n.is_late(scene) and n.is_late(round1) and not n.is_late(elsewhere)
    round2 = n.ask("hall")
    assert not n.is_late(round2)  # asked after the event: in step
    # The DM's end of a late narration is swallowed once, then forgotten.
    assert n.settle_late(scene) and not n.settle_late(scene)
    assert not n.settle_late(elsewhere)
    assert n.chunk(elsewhere, "Rain.") and n.end(elsewhere) == "Rain."
    assert n.streams_in("yard") == [] and not n.chunk(elsewhere, "more")


def test_reset_forgets_everything_and_numbers_from_one() -> None:
    n = Narrations()
    n.start(n.ask("hall"), "hall")
    n.fight_event("hall")
    n.reset()
    assert n.ask("hall") == 1 and n.streams == {} and not n.is_late(1)


@given(st.lists(st.tuples(st.sampled_from(["ask", "fight"]), st.sampled_from("ab")), max_size=25))
def test_a_narration_is_late_exactly_when_its_room_fought_after_it_was_asked(
    script: list[tuple[str, str]],
) -> None:
    n = Narrations()
    asked: list[tuple[int, str, int]] = []  # (id, room, index of the ask)
    fights: list[tuple[str, int]] = []
    for i, (what, room) in enumerate(script):
        if what == "ask":
            asked.append((n.ask(room), room, i))
        else:
            n.fight_event(room)
            fights.append((room, i))
    for rid, room, at in asked:
        expected = any(r == room and i > at for r, i in fights)
        assert n.is_late(rid) == expected
