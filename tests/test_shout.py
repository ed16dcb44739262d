"""``shout`` (and ``yell``): heard in the room and, with the way it came from, in every
room one exit away; nowhere else (engine, tests/enginerig.py), and on the GMCP chat
channel of exactly those who hear it (the hub, tests/hubrig.py)."""

from __future__ import annotations

from hubrig import Rig
from test_gmcp_state import sync

from mud.engine.commands import earshot
from tests.enginerig import EngineRig


def test_the_room_hears_it_and_the_next_rooms_hear_where_it_came_from() -> None:
    engine = EngineRig()
    engine.player("alice", "common_room")
    engine.player("bob", "common_room")
    engine.player("carol", "crossroads")  # south of the common room (and "out")
    engine.player("dave", "loft_landing")  # up
    engine.player("erin", "cellar")  # down
    engine.player("fay", "chapel")  # two rooms away
    effects = engine.run("alice", "shout Has anyone seen the cartographer?")
    said = "'Has anyone seen the cartographer?'"
    assert engine.seen("alice", effects) == [f"You shout, {said}"]
    assert engine.seen("bob", effects) == [f"Alice shouts, {said}"]
    assert engine.seen("carol", effects) == [f"You hear Alice shout from the north, {said}"]
    assert engine.seen("dave", effects) == [f"You hear Alice shout from below, {said}"]
    assert engine.seen("erin", effects) == [f"You hear Alice shout from above, {said}"]
    assert engine.seen("fay", effects) == []


def test_yell_is_shout_and_an_empty_shout_is_refused() -> None:
    engine = EngineRig()
    engine.player("alice", "crossroads")
    engine.player("bob", "common_room")
    effects = engine.run("alice", "yell over here")
    assert engine.seen("alice", effects) == ["You shout, 'over here'"]
    assert engine.seen("bob", effects) == ["You hear Alice shout from the south, 'over here'"]
    assert engine.seen("alice", engine.run("alice", "shout   ")) == ["Shout what?"]


def test_markup_in_a_shout_is_shown_as_typed() -> None:
    engine = EngineRig()
    engine.player("alice", "common_room")
    engine.player("carol", "crossroads")
    effects = engine.run("alice", "shout {bad}red{/}")
    assert engine.seen("carol", effects) == ["You hear Alice shout from the north, '{bad}red{/}'"]


def test_every_neighbour_is_heard_once_and_the_room_itself_is_not_a_neighbour() -> None:
    world = EngineRig().world
    for room in world.templates.rooms:
        heard = earshot(world, room)
        neighbours = [near for near, _ in heard]
        assert room not in neighbours
        assert len(neighbours) == len(set(neighbours))
        assert set(neighbours) == {ex.to for ex in world.room(room).exits} - {room}
        for _near, where in heard:
            assert where.startswith("from ")


async def test_the_chat_channel_goes_to_those_who_hear_the_shout(rig: Rig) -> None:
    world = rig.hub.world
    alice = await rig.create("Alice")
    bob = await rig.create("Bob")
    carol = await rig.create("Carol")
    await sync(rig, carol)

    def way(src: str, dst: str) -> str:
        return next(ex.direction for ex in world.room(src).exits if ex.to == dst)

    def walkable(src: str, dst: str) -> bool:
        return any(
            ex.to == dst and not ex.hidden and ex.door is None for ex in world.room(src).exits
        )

    # Bob walks to the next room, Carol two rooms on; Alice shouts from the start room.
    start = world.chars["alice"].room
    heard = {near for near, _ in earshot(world, start)}
    near, far = next(
        (near, far)
        for near in sorted(heard)
        for far, _ in earshot(world, near)
        if far != start and far not in heard and walkable(start, near) and walkable(near, far)
    )
    await rig.line(bob, way(start, near))
    await bob.expect(world.room(near).name)
    await rig.line(carol, way(start, near))
    await carol.expect(world.room(near).name)
    await rig.line(carol, way(near, far))
    await carol.expect(world.room(far).name)
    await sync(rig, carol)
    assert (world.chars["bob"].room, world.chars["carol"].room) == (near, far)
    bob.packages.clear()
    carol.packages.clear()
    await rig.line(alice, "shout Wait for me!")
    await bob.expect("shout")
    await sync(rig, bob)
    await sync(rig, carol)
    assert [p for p in bob.packages if p[0] == "Comm.Channel.Text"] == [
        ("Comm.Channel.Text", {"channel": "shout", "talker": "Alice", "text": "Wait for me!"})
    ]
    assert [p for p in carol.packages if p[0] == "Comm.Channel.Text"] == []
    assert "Wait for me" not in carol.text
