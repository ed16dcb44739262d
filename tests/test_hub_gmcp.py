"""GMCP projections (``mud.hub.gmcp``) on a real Hollowmere world, without a hub."""

from __future__ import annotations

import json

from enginerig import EngineRig
from hypothesis import given
from hypothesis import strategies as st

from mud.hub import gmcp


def test_room_info_names_the_room_and_numbers_its_visible_exits() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    package, info = gmcp.room_info(rig.world, "alice") or ("", {})
    assert package == "Room.Info"
    assert info["name"] == "The Drowned Lantern, Common Room"
    assert info["area"] == "The Drowned Lantern" and info["zone"] == "hollowmere"
    assert info["num"] == gmcp.room_number("hollowmere:common_room")
    assert info["exits"] == {
        "south": gmcp.room_number("hollowmere:crossroads"),
        "up": gmcp.room_number("hollowmere:loft_landing"),
        "down": gmcp.room_number("hollowmere:cellar"),
        "out": gmcp.room_number("hollowmere:crossroads"),
    }
    json.dumps(info)  # a payload goes over the wire as JSON


def test_room_info_leaves_out_hidden_exits() -> None:
    rig = EngineRig()
    rig.player("alice", "chapel")
    _, info = gmcp.room_info(rig.world, "alice") or ("", {})
    assert set(info["exits"]) == {"east", "out"}  # the chapel's way down is hidden


def test_char_projections_follow_the_character() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    _, items = gmcp.char_items(rig.world, "alice") or ("", {})
    assert items["location"] == "inv"
    assert [i["name"] for i in items["items"]] == ["longsword", "chain shirt", "potion of healing"]
    assert [i["id"] for i in items["items"]] == char.inventory
    assert gmcp.char_vitals(rig.world, "alice") == (
        "Char.Vitals",
        {"hp": 12, "maxhp": 12, "down": False},
    )
    char.hp, char.down, char.gold, char.xp = 0, True, 7, 30
    assert gmcp.char_vitals(rig.world, "alice") == (
        "Char.Vitals",
        {"hp": 0, "maxhp": 12, "down": True},
    )
    assert gmcp.char_status(rig.world, "alice") == (
        "Char.Status",
        {"name": "Alice", "class": "Fighter", "level": 1, "experience": 30, "gold": 7},
    )


def test_nobody_in_the_world_gets_no_package() -> None:
    world = EngineRig().world
    for project in (gmcp.room_info, gmcp.char_items, gmcp.char_vitals, gmcp.char_status):
        assert project(world, "nobody") is None


def test_channel_text() -> None:
    assert gmcp.channel_text("say", "Alice", "hi") == (
        "Comm.Channel.Text",
        {"channel": "say", "talker": "Alice", "text": "hi"},
    )


@given(st.text(max_size=40))
def test_room_numbers_are_stable_positive_31_bit_integers(room_id: str) -> None:
    number = gmcp.room_number(room_id)
    assert 0 <= number < 2**31
    assert number == gmcp.room_number(room_id)
