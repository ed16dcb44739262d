"""A crowded room's view names the first few people and counts every other one."""

from __future__ import annotations

import re

import pytest
from enginerig import EngineRig

from mud.core.outputs import Doc, Para
from mud.engine.views import CROWD_NAMES, describe_room


def people_line(rig: EngineRig, viewer: str) -> str:
    lines = rig.seen(viewer, rig.run(viewer, "look"))[0].split("\n")
    return next(line for line in lines if line.endswith(" here.") and "You see" not in line)


@pytest.mark.parametrize("crowd", [1, 5, CROWD_NAMES, CROWD_NAMES + 1, 40, 300])
def test_every_other_occupant_is_named_or_counted_once(crowd: int) -> None:
    rig = EngineRig()
    room = "square"
    keys = [f"pl{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(crowd + 1)]
    for key in keys:
        rig.player(key, room)
    viewer = keys[len(keys) // 2]  # not first: the viewer is skipped mid-walk
    line = people_line(rig, viewer)
    named = [k for k in keys if k.title() in line]
    assert viewer.title() not in line
    counted = re.search(r"(\d+) others? (?:is|are) here\.$", line)
    others = int(counted.group(1)) if counted else 0
    assert len(named) + others == crowd, line
    assert len(named) <= CROWD_NAMES
    if crowd > CROWD_NAMES:
        assert others > 0


def counted(doc: Doc, keys: list[str]) -> int:
    """How many of ``keys`` the view's people line names or counts."""
    line = next(
        b.markup
        for b in doc.blocks
        if isinstance(b, Para) and b.markup.endswith(" here.") and "You see" not in b.markup
    )
    more = re.search(r"(\d+) others? (?:is|are) here\.$", line)
    return len([k for k in keys if k.title() in line]) + (int(more.group(1)) if more else 0)


@pytest.mark.parametrize("crowd", [3, 40])
def test_a_viewer_outside_the_room_or_still_choosing_counts_everyone_there(crowd: int) -> None:
    rig = EngineRig()
    keys = [f"pl{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(crowd)]
    for key in keys:
        rig.player(key, "square")
    rig.player("away", "crossroads")
    room = rig.world.chars[keys[0]].room  # the start room: "square" is no room here
    for viewer in ("away", "nobody"):
        assert counted(describe_room(rig.world, room, viewer), keys) == crowd
    # One of them loaded but still choosing a class is not in the room yet; its view
    # counts the others (the O(1) test of "am I here" must not take it for present).
    rig.world.waiting.add(keys[0])
    rig.world.occupants[room].remove(keys[0])
    assert counted(describe_room(rig.world, room, keys[0]), keys[1:]) == crowd - 1


def things_line(rig: EngineRig, viewer: str) -> str:
    view = rig.seen(viewer, rig.run(viewer, "look"))[0].replace("\n", " ")
    found = re.search(r"You see (.*?) here\.", view)
    assert found is not None, view
    return found.group(1)


def test_alike_things_on_a_floor_are_one_entry_with_a_count() -> None:
    # After two parties the Hall of Lanterns showed "Ysolde's lantern and Ysolde's
    # lantern"; twenty pies dropped one by one made twenty entries on every look.
    rig = EngineRig()
    rig.player("alice", "crossroads")
    floor = rig.world.floor.setdefault("hollowmere:crossroads", [])
    for template in ["eel_pie"] * 20 + ["saint_lantern"] * 2 + ["eel_pie"]:
        floor.append(rig.world.new_item("hollowmere:" + template))
    line = things_line(rig, "alice")
    assert re.sub(r"\s+", " ", line) == "an eel pie (21) and Ysolde's lantern (2)", line


def test_a_cluttered_floor_names_the_first_kinds_and_counts_the_rest() -> None:
    rig = EngineRig()
    rig.player("alice", "crossroads")
    floor = rig.world.floor.setdefault("hollowmere:crossroads", [])
    floor.clear()
    kinds = sorted(rig.world.templates.items)
    assert len(kinds) > CROWD_NAMES + 1  # the pack has enough kinds of things for this
    for template in kinds:
        floor.append(rig.world.new_item(template))
    floor.append(rig.world.new_item(kinds[-1]))  # one more of the last kind
    line = things_line(rig, "alice")
    counted = re.search(r"(\d+) other things?$", line)
    assert counted is not None, line
    names = [rig.world.templates.items[k].name for k in kinds]
    shown = [n for n in names[:CROWD_NAMES] if n in line]
    assert len(shown) == CROWD_NAMES, line
    assert int(counted.group(1)) == len(kinds) - CROWD_NAMES + 1, line


def test_a_room_reads_as_it_is_now_by_who_is_there_and_what_the_viewer_has_done() -> None:
    # Played (Lanternfall, round 62): Pell home by the fire, lantern ninety-eight lit
    # over it, and the Hospice hall still read "Lantern hooks line the beams, every one
    # of them empty" to the party that brought the child down.
    from call import call

    from mud.hub.narration import snapshot

    rig = EngineRig(pack="lanternfall")
    rig.player("wren", "hostel_hall", "lanternfall:climber")
    rig.player("ash", "hostel_hall", "lanternfall:warden")
    hall = "lanternfall:hostel_hall"
    assert rig.world.npcs["lanternfall:pell"].room != hall
    ash = call(rig.world, "ash", "look").lines("ash")[0]
    assert "every one of them empty" in ash and "ninety-eight" not in ash
    # While Pell is home, the lantern hangs lit for everyone in the hall (a newcomer
    # too): it is there to be seen, as Pell is.
    rig.world.npcs["lanternfall:pell"].room = hall
    for key in ("wren", "ash"):
        seen = call(rig.world, key, "look").lines(key)[0]
        assert "lantern ninety-eight burns again" in seen and "every one of them empty" not in seen
    # What the room says is there for the one who reads it: "look at lantern
    # ninety-eight", a feature's later text, the narrator's view of the room.
    seen = call(rig.world, "wren", "look at lantern ninety-eight").lines("wren")
    assert "lantern ninety-eight burns again" in seen[0], seen
    hooks = call(rig.world, "wren", "look at the hooks").lines("wren")
    assert "tagged 98, where Pell's lantern hangs lit again" in hooks[0], hooks
    assert "ninety-eight" in snapshot(rig.world, hall, viewer="wren").description
    # Anselm says so too (found in review: "Every hook in this hall is empty ...").
    told = " ".join(call(rig.world, "ash", "ask anselm why the hooks are empty").lines("ash"))
    assert "empty but the one over the fire" in told, told
    rig.world.npcs["lanternfall:pell"].room = "lanternfall:lamp_room"
    assert "Every hook is empty" in call(rig.world, "wren", "look at the hooks").lines("wren")[0]
    assert "ninety-eight" not in snapshot(rig.world, hall, viewer="wren").description
    # Unless an NPC is there: the Frozen Sanctum, its Abbot fallen.
    rig.player("tob", "frozen_sanctum", "lanternfall:lantern_monk")
    assert "meltwater" not in call(rig.world, "tob", "look").lines("tob")[0]
    rig.world.npcs["lanternfall:unlit_abbot"].alive = False
    assert "meltwater ticks from the pillars" in call(rig.world, "tob", "look").lines("tob")[0]


def test_a_room_reads_otherwise_to_one_who_has_finished_its_quest() -> None:
    # Edda home: her room reads slept in to those who brought her back; a newcomer
    # beside them reads it as she left it.
    from call import call

    rig = EngineRig()
    rig.player("rook", "guest_room")
    rig.player("moss", "guest_room")
    rig.world.chars["rook"].quests = {"hollowmere:homecoming": -1}
    rook = call(rig.world, "rook", "look").lines("rook")[0]
    moss = call(rig.world, "moss", "look").lines("moss")[0]
    assert "slept in at last" in rook and "has not been slept in" not in rook
    assert "has not been slept in" in moss and "slept in at last" not in moss


def test_a_lantern_lit_stays_lit_for_everyone_until_its_area_resets() -> None:
    # Played (Lanternfall, round 62): Wren, Pell home, lit the first lantern in the
    # square; Sable beside him looked at it ("its glass furred with frost"), tried to
    # light it ("It smokes and will not take") and heard of the "dark lantern post".
    from call import call

    from mud.engine import resets

    rig = EngineRig(pack="lanternfall")
    rig.player("wren", "pass_square", "lanternfall:climber")
    rig.player("sable", "pass_square", "lanternfall:climber")
    rig.world.chars["wren"].quests = {"lanternfall:down_from_the_pass": -1}
    assert (
        "smokes and will not take"
        in call(rig.world, "sable", "light the lantern").lines("sable")[0]
    )
    assert "dark and rimed with frost" in _flat(call(rig.world, "sable", "look").lines("sable")[0])
    lit = call(rig.world, "wren", "light the first lantern")
    assert "It takes at once" in lit.lines("wren")[0]
    assert lit.lines("sable")[0].startswith("Wren lights the first lantern")
    for key in ("wren", "sable"):
        room = _flat(call(rig.world, key, "look").lines(key)[0])
        assert "burns on its iron post" in room and "dark and rimed" not in room, room
        post = _flat(call(rig.world, key, "look at the lantern").lines(key)[0])
        assert "a warm gold flame standing behind its frosted glass" in post, post
    # Lit, it is lit: neither is told its wick will not take, nor lights it again.
    for key in ("sable", "wren"):
        again = call(rig.world, key, "light the lantern").lines(key)
        assert again[0].startswith("The first lantern burns already"), again
    # It outlasts a restart (the mark is saved with the world's used features) and goes
    # out when its area resets, for the next to light.
    assert "lanternfall:pass_square:lantern_post#done" in rig.world.features_used
    rig.apply(resets.reset_area(rig.world, "lanternfall:Lanternfall", scheduled=False))
    assert "dark and rimed with frost" in _flat(call(rig.world, "wren", "look").lines("wren")[0])
    assert "It takes at once" in call(rig.world, "wren", "light it").lines("wren")[0]


def test_the_lanterns_up_the_pass_answer_the_first_lit() -> None:
    # Played (Lanternfall, round 62): the first lantern lit, "far up the mountain, one by
    # one, other lights answer it"; the road and the High Stair read theirs dark still.
    from call import call

    from mud.engine import resets

    rig = EngineRig(pack="lanternfall")
    rig.player("wren", "pass_square", "lanternfall:climber")
    rig.player("sable", "high_stair", "lanternfall:climber")
    rig.world.chars["wren"].quests = {"lanternfall:down_from_the_pass": -1}
    stair = _flat(call(rig.world, "sable", "look").lines("sable")[0])
    assert "every one dark and crusted with ice" in stair, stair
    call(rig.world, "wren", "light the first lantern")
    # Sable, who lit nothing, up the stair: its lanterns burn, and so do the road's.
    stair = _flat(call(rig.world, "sable", "look").lines("sable")[0])
    assert "they burn again" in stair and "every one dark" not in stair, stair
    brackets = _flat(call(rig.world, "sable", "look at the brackets").lines("sable")[0])
    assert brackets.startswith("Each lantern burns behind glass"), brackets
    call(rig.world, "wren", "south")
    road = _flat(call(rig.world, "wren", "look").lines("wren")[0])
    assert "each lantern burns" in road and "a dark lantern" not in road, road
    # Out again when the square's area resets.
    rig.apply(resets.reset_area(rig.world, "lanternfall:Lanternfall", scheduled=False))
    stair = _flat(call(rig.world, "sable", "look").lines("sable")[0])
    assert "every one dark and crusted with ice" in stair, stair


def _flat(text: str) -> str:
    """``text`` with its lines run together, as a sentence read across a wrap."""
    return " ".join(text.split())
