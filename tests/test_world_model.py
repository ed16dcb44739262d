"""Unit and property tests for mud.world.model (pure templates and named constructors)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine import search
from mud.world.model import (
    DIRECTION_ALIASES,
    DIRECTIONS,
    OPPOSITE,
    Exit,
    ItemTemplate,
    PackInfo,
    Report,
    Room,
    canonical_direction,
    check_ref,
    freeze,
    names_match,
    qualify,
    qualify_feature,
)

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


def test_directions_are_the_ten_plus_in_and_out() -> None:
    assert len(DIRECTIONS) == 12
    assert set(DIRECTIONS) == set(OPPOSITE)
    assert {"in", "out", "up", "down", "northeast"} <= set(DIRECTIONS)
    assert set(DIRECTION_ALIASES.values()) <= set(DIRECTIONS)
    assert DIRECTION_ALIASES["ne"] == "northeast"


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_opposite_is_an_involution(direction: str) -> None:
    assert OPPOSITE[OPPOSITE[direction]] == direction
    assert OPPOSITE[direction] != direction


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("N", "north"),
        (" sw ", "southwest"),
        ("out", "out"),
        ("Up", "up"),
        ("nrth", None),
        ("", None),
    ],
)
def test_canonical_direction(word: str, expected: str | None) -> None:
    assert canonical_direction(word) == expected


def test_qualify_keeps_foreign_ids() -> None:
    assert qualify("cellar", "tavern") == "tavern:cellar"
    assert qualify("other:cellar", "tavern") == "other:cellar"


def test_qualify_feature_adds_the_pack_only_when_missing() -> None:
    assert qualify_feature("hall:rug", "inn") == "inn:hall:rug"
    assert qualify_feature("other:hall:rug", "inn") == "other:hall:rug"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("hall:rug", "inn:hall:rug"), ("x:hall:rug", "x:hall:rug"), ("rug", None), ("a:b:c:d", None)],
)
def test_check_ref_for_features(value: str, expected: str | None) -> None:
    report = Report()
    assert check_ref(value, ("q",), "feature", "inn", "step", report) == expected
    assert [r.target for r in report.references] == ([expected] if expected else [])
    assert len(report.problems) == (0 if expected else 1)


@given(names=st.lists(words, min_size=1, max_size=3), word=words)
def test_names_match_is_any_of_its_names(names: list[str], word: str) -> None:
    assert names_match(word, names) == any(names_match(word, [n]) for n in names)
    assert names_match(names[0], names)


def test_freeze_is_deep_and_read_only() -> None:
    frozen_value = freeze({"a": [1, {"b": [2]}], "c": {"d": "e"}})
    assert isinstance(frozen_value, Mapping)
    assert frozen_value["a"] == (1, {"b": (2,)})
    with pytest.raises(TypeError):
        frozen_value["c"]["d"] = "x"


def _room(**extra: object) -> tuple[Room | None, Report]:
    report = Report()
    data: dict[str, object] = {"name": "Hall", "description": "A hall."}
    data.update(extra)
    room = Room.from_mapping("inn", "hall", data, path=("hall",), report=report)
    return room, report


def test_room_from_mapping_qualifies_and_orders_exits() -> None:
    room, report = _room(
        exits={
            "u": "loft",
            "n": {"to": "other:yard", "hidden": True, "locked_by": "key", "description": "A gate."},
            "out": "street",
        },
        items=["key", "other:coin"],
        features={"hearth": {"description": "Warm.", "check": {"ability": "wis", "dc": 12}}},
    )
    assert report.problems == []
    assert room is not None
    assert room.id == "inn:hall" and room.pack == "inn"
    assert [e.direction for e in room.exits] == ["north", "up", "out"]
    assert room.exits[0] == Exit("north", "other:yard", True, "inn:key", "A gate.")
    assert room.items == ("inn:key", "other:coin")
    hearth = room.features["hearth"]
    assert hearth.id == "inn:hall:hearth" and hearth.room == "inn:hall"
    assert hearth.check is not None and (hearth.check.ability, hearth.check.dc) == ("wis", 12)
    targets = {(r.kind, r.target) for r in report.references}
    assert targets == {
        ("room", "inn:loft"),
        ("room", "other:yard"),
        ("room", "inn:street"),
        ("item", "inn:key"),
        ("item", "other:coin"),
    }


def test_room_exit_lookup_accepts_aliases_and_hides_hidden() -> None:
    room, _ = _room(exits={"north": "a", "d": {"to": "b", "hidden": True}})
    assert room is not None
    north = room.exit("N")
    assert north is not None and north.to == "inn:a"
    down = room.exit("down")
    assert down is not None and down.hidden
    assert room.exit("east") is None
    assert room.exit("nowhere") is None
    assert [e.direction for e in room.visible_exits()] == ["north"]


def test_room_with_mapping_fields_is_hashable_and_comparable() -> None:
    one, _ = _room(features={"a": {"description": "A.", "aliases": ["x", "y"]}})
    two, _ = _room(features={"a": {"description": "A.", "aliases": ["x", "y"]}})
    assert one == two
    assert hash(one) == hash(two)


def test_room_problems_carry_key_paths() -> None:
    room, report = _room(
        exits={"sideways": "a", "n": 5, "north": "b"},
        items="key",
        safe="yes",
        colour="red",
    )
    assert room is not None
    found = {(p.path, p.message) for p in report.problems}
    assert found == {
        (("hall", "exits", "sideways"), "room 'hall': unknown direction 'sideways'"),
        (
            ("hall", "exits", "n"),
            "room 'hall': exit 'n': a number is not a valid room id"
            " (lowercase a-z, 0-9, _; pack:id)",
        ),
        (("hall", "items"), "room 'hall': 'items' must be a list, not text"),
        (("hall", "safe"), "room 'hall': 'safe' must be true or false, not text"),
        (("hall", "colour"), "room 'hall': unknown key 'colour'"),
    }


def test_second_exit_in_same_direction_is_a_problem() -> None:
    _, report = _room(exits={"n": "a", "north": "b"})
    assert [(p.path, p.message) for p in report.problems] == [
        (("hall", "exits", "north"), "room 'hall': exit 'north': a second exit leading north")
    ]


def test_not_a_mapping_gives_none() -> None:
    report = Report()
    assert Room.from_mapping("inn", "hall", "just text", path=("hall",), report=report) is None
    assert [p.message for p in report.problems] == [
        "room 'hall': expected a mapping of keys, got text"
    ]


def test_item_defaults_and_checks() -> None:
    report = Report()
    item = ItemTemplate.from_mapping(
        "inn", "coin", {"name": "Gold Coin", "description": "Shiny."}, path=("coin",), report=report
    )
    assert report.problems == []
    assert item == ItemTemplate("inn:coin", "Gold Coin", (), "Shiny.", True, 0, 0.0, "inn")
    bad = ItemTemplate.from_mapping(
        "inn",
        "rock",
        {"name": "", "description": "x", "value": True, "weight": -1, "aliases": [3]},
        path=("rock",),
        report=report,
    )
    assert bad is not None and bad.value == 0
    assert sorted(p.path for p in report.problems) == [
        ("rock", "aliases", 0),
        ("rock", "name"),
        ("rock", "value"),
        ("rock", "weight"),
    ]


def test_pack_info_uses_fallback_id_when_id_is_bad() -> None:
    report = Report()
    info = PackInfo.from_mapping(
        {"id": "Bad Id", "name": "N", "version": "1", "description": "d", "start": "hall"},
        fallback_id="folder",
        path="x",
        report=report,
    )
    assert info.id == "folder" and info.start == "folder:hall"
    assert [p.message for p in report.problems] == [
        "pack: id 'Bad Id' must be lowercase a-z, 0-9 and _"
    ]


LANTERN = ItemTemplate("t:lantern", "Brass Lantern", ("lamp", "old light"), "A lamp.")


def _names(item: ItemTemplate, word: str) -> bool:
    """Whether ``word`` names ``item`` by the one rule every command uses
    (``mud.engine.search``)."""
    return search.find([search.Thing("item", item.id, item.name, item.aliases)], word).ok


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("lantern", True),
        ("LANTERN", True),
        ("brass lantern", True),
        ("bra lan", True),
        ("lan", True),
        ("lamp", True),
        ("old", True),
        ("lantern brass", False),
        ("lanterns", False),
        ("key", False),
        ("", False),
        ("   ", False),
    ],
)
def test_item_matches(word: str, expected: bool) -> None:
    assert _names(LANTERN, word) is expected


@given(name=st.lists(words, min_size=1, max_size=4), data=st.data())
def test_item_matches_any_word_prefix_of_its_name(name: list[str], data: st.DataObject) -> None:
    item = ItemTemplate("t:x", " ".join(name).title())
    word = data.draw(st.sampled_from(name))
    prefix = word[: data.draw(st.integers(1, len(word)))]
    assert _names(item, prefix)
    assert _names(item, prefix.upper())
    assert _names(item, " ".join(name))


@given(name=st.lists(words, min_size=1, max_size=4), other=words)
def test_item_never_matches_a_word_that_prefixes_nothing(name: list[str], other: str) -> None:
    item = ItemTemplate("t:x", " ".join(name))
    if not any(part.startswith(other) for part in name):
        assert not _names(item, other)


def test_templates_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        LANTERN.name = "x"  # type: ignore[misc]
