"""The ``map`` command (``mud.engine.areamap``): the grid over the bundled Hollowmere
world, small worlds built here for the odd layouts (a way that bends back on itself, a
hidden way, a road too long for a line), the words a screen reader gets, and what a
player's terminal shows once the game's renderer has had it."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from enginerig import EngineRig
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mud.core.outputs import Art, Doc, Para
from mud.engine.areamap import (
    BOTH_MARK,
    COMPASS,
    LEGEND,
    MAX_COLUMNS,
    OWN_MARK,
    area_map,
    cmd_map,
)
from mud.engine.context import Ctx
from mud.engine.effects import Effect, Tell
from mud.engine.parser import Intent
from mud.engine.state import Character, World
from mud.render.doc import encode, render
from mud.render.grammar import in_place
from mud.render.profile import RenderProfile
from mud.render.wrap import visible_width
from mud.world.model import DIRECTIONS, OPPOSITE, Exit, Room, Templates

H = "hollowmere:"
WALKED = ("crossroads", "common_room", "market_lane", "chapel", "causeway")

CROSSROADS_MAP = [
    "    [%]  ?",
    "     |   |",
    "[ ]-[@]-[ ]- ?",
    "     |   |",
    "    [ ]  ?",
    "     |",
    "     ?",
    *LEGEND,
    "You are at the Crossroads.",
]

CROSSROADS_WORDS = [
    "You are at the Crossroads.",
    "North: The Drowned Lantern, Common Room.",
    "South: The Sunken Causeway.",
    "East: Market Lane.",
    "West: Chapel of Saint Ysolde.",
    "In: The Drowned Lantern, Common Room.",
    "Not yet explored further: north then up, north then down, south then south,",
    "east then north, east then south, east then east.",
]


def _walker(room: str = "crossroads", walked: Sequence[str] = WALKED) -> EngineRig:
    """Hollowmere with Maren in ``room``, having stood in the ``walked`` rooms."""
    rig = EngineRig()
    maren = rig.player("maren", room)
    maren.visited = [H + r for r in walked]
    return rig


def _grid(lines: Sequence[str]) -> list[str]:
    """The grid's lines: those above the legend."""
    return list(lines[: list(lines).index(LEGEND[0])])


def _world(
    exits: Mapping[str, Mapping[str, str]],
    *,
    hidden: Sequence[tuple[str, str]] = (),
    names: Mapping[str, str] | None = None,
) -> World:
    """A world of rooms ``t:<id>`` whose exits are ``{room: {direction: room}}`` (local
    ids); ``hidden``: (room, direction) pairs that are hidden ways."""
    rooms: dict[str, Room] = {}
    for local, ways in exits.items():
        room_exits = tuple(
            Exit(d, f"t:{to}", hidden=(local, d) in hidden)
            for d in DIRECTIONS
            if (to := ways.get(d)) is not None
        )
        name = (names or {}).get(local, local.upper())
        rooms[f"t:{local}"] = Room(f"t:{local}", name, "A room.", room_exits)
    start = f"t:{next(iter(exits))}"
    return World(
        Templates(
            packs=MappingProxyType({}),
            rooms=MappingProxyType(rooms),
            items=MappingProxyType({}),
            start=start,
        )
    )


def _stand(world: World, room: str, visited: Sequence[str] = (), key: str = "ann") -> Character:
    """Put a character ``key`` in ``t:<room>``, having stood in ``visited`` (local ids)."""
    char = Character(key=key, name=key.title(), room=f"t:{room}")
    world.place(char)
    char.visited = [f"t:{r}" for r in visited]
    return char


def _map_of(world: World, char: Character, args: str = "") -> Doc:
    effects: list[Effect] = cmd_map(
        world, char, Intent("map", args, f"map {args}".strip()), Ctx(0.0)
    )
    assert len(effects) == 1 and isinstance(effects[0], Tell) and effects[0].who == char.key
    return effects[0].doc


def _seen(doc: Doc, profile: RenderProfile) -> list[str]:
    """What a player with ``profile`` reads of ``doc``, line by line."""
    text = render(doc, profile)
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


# -- the grid over Hollowmere -------------------------------------------------------


def test_the_crossroads_after_a_walk_round_it() -> None:
    rig = _walker()
    assert area_map(rig.world, "maren") == CROSSROADS_MAP


def test_the_map_reaches_as_far_as_one_has_walked() -> None:
    rig = _walker(
        walked=(
            *WALKED,
            "reed_path",
            "heron_stones",
            "eel_landing",
            "old_mill",
            "watchtower_foot",
        )
    )
    rig.world.chars["maren"].revealed.append(H + "chapel:down")
    assert _grid(area_map(rig.world, "maren")) == [
        "    [%] [^]",
        "     |   |",
        "[v]-[@]-[ ]-[^]",
        "     |   |",
        "    [ ]  ?",
        "     |",
        "[ ]-[ ]-[v]",
        "     |",
        "     ?",
    ]
    # Radius 1: the rooms next door. A way on to a room known but further off is its
    # connector alone (the way goes on past the map's edge); one to a room never
    # visited still ends in "?".
    assert _grid(area_map(rig.world, "maren", radius=1)) == [
        "    [%]",
        "     |   |",
        "[v]-[@]-[ ]-",
        "     |   |",
        "    [ ]  ?",
        "     |",
    ]


def test_ways_to_rooms_not_yet_visited_end_in_a_question_mark() -> None:
    rig = _walker(walked=())  # a newcomer: only where they stand is known
    assert _grid(area_map(rig.world, "maren")) == [
        "     ?",
        "     |",
        " ? -[@]- ?",
        "     |",
        "     ?",
    ]
    # Nothing is drawn of what lies past a room never stood in.
    rig = _walker(walked=("crossroads", "market_lane"))
    assert _grid(area_map(rig.world, "maren")) == [
        "     ?   ?",
        "     |   |",
        " ? -[@]-[ ]- ?",
        "     |   |",
        "     ?   ?",
    ]


def test_ones_own_room_is_marked_once_and_its_ways_up_and_down_are_told() -> None:
    rig = _walker("common_room", walked=())  # not yet among the rooms visited: still drawn
    lines = area_map(rig.world, "maren")
    assert _grid(lines) == ["[@]", " |", " ?"]
    assert lines[-1] == (
        "You are in the Drowned Lantern, Common Room. Ways lead up and down from here."
    )
    assert sum(line.count(OWN_MARK) for line in _grid(lines)) == 1
    # Seen from next door, the same room shows both ways on its cell.
    rig = _walker("crossroads", walked=("common_room",))
    assert _grid(area_map(rig.world, "maren"))[0] == f"    {BOTH_MARK}"


def test_ways_up_and_down_mark_the_rooms_they_leave() -> None:
    rig = _walker(
        "market_lane",
        walked=("market_lane", "old_mill", "watchtower_foot", "lamp_shop", "crossroads"),
    )
    assert _grid(area_map(rig.world, "maren", radius=1)) == [
        "     ?  [^]",  # the watchtower's foot: a way up only
        "     |   |",
        " ? -[ ]-[@]-[^]",  # the mill: up to its loft
        "     |   |",
        "     ?  [ ]",  # the lamp shop: no way up or down
    ]
    rig = _walker("reed_path", walked=("reed_path", "eel_landing", "heron_stones"))
    assert _grid(area_map(rig.world, "maren", radius=1))[2] == "[ ]-[@]-[v]"  # down only
    assert area_map(rig.world, "maren")[-1] == "You are on the Reed-Marsh Path."


def test_a_hidden_way_is_drawn_only_once_found() -> None:
    # The chapel's stair down to the crypt: its cell shows no way down until it is found.
    rig = _walker()
    assert area_map(rig.world, "maren")[2].startswith("[ ]-[@]")
    rig.world.chars["maren"].revealed.append(H + "chapel:down")
    assert area_map(rig.world, "maren")[2].startswith("[v]-[@]")
    # A hidden compass way: no connector, no "?", until found.
    world = _world({"a": {"east": "b"}, "b": {"west": "a"}}, hidden=[("a", "east")])
    ann = _stand(world, "a", visited=("a",))
    assert _grid(area_map(world, "ann")) == ["[@]"]
    assert "East" not in " ".join(area_map(world, "ann", plain=True))
    ann.revealed.append("t:a:east")
    assert _grid(area_map(world, "ann")) == ["[@]- ?"]
    assert area_map(world, "ann", plain=True)[1] == "East: somewhere you have not been."


# -- layouts that do not fit a grid --------------------------------------------------


def test_two_rooms_wanting_one_cell_keep_the_first_and_draw_no_false_way() -> None:
    # North then east is the cellar; east then north is the vault: both want the same
    # cell. The first placed (breadth first, north before east) keeps it.
    world = _world(
        {
            "a": {"north": "c", "east": "b"},
            "b": {"west": "a", "north": "d"},
            "c": {"south": "a", "east": "e"},
            "d": {"south": "b"},
            "e": {"west": "c"},
        }
    )
    _stand(world, "a", visited=("a", "b", "c", "d", "e"))
    grid = _grid(area_map(world, "ann"))
    assert grid == [
        "[ ]-[ ]",
        " |",
        "[@]-[ ]",  # no "|" up from b: what stands there is not where its way leads
    ]
    # Standing in the room that was crowded out, it is the one drawn, and the other not.
    world.chars["ann"].room = "t:d"
    assert _grid(area_map(world, "ann")) == ["[ ] [@]", " |   |", "[ ]-[ ]"]


def test_a_way_that_comes_round_again_is_not_drawn_twice() -> None:
    # East of a is b, and east of b is a again: a ring road.
    world = _world({"a": {"east": "b"}, "b": {"east": "a", "west": "a"}})
    _stand(world, "a", visited=("a", "b"))
    assert _grid(area_map(world, "ann")) == ["[@]-[ ]"]
    # Four ways from one room to one other: the first lays it out, the rest add nothing.
    world = _world(
        {"a": {"north": "b", "east": "b", "south": "b", "west": "b"}, "b": {"south": "a"}}
    )
    _stand(world, "a", visited=("a", "b"))
    assert _grid(area_map(world, "ann")) == ["[ ]", " |", "[@]"]


def test_diagonal_ways_and_a_crossing() -> None:
    world = _world(
        {
            "a": {"northeast": "b", "southeast": "c"},
            "b": {"southwest": "a", "south": "d"},
            "c": {"northwest": "a"},
            "d": {"north": "b"},
        }
    )
    _stand(world, "a", visited=("a", "b", "c", "d"))
    assert _grid(area_map(world, "ann")) == [
        "    [ ]",
        "   / |",
        "[@] [ ]",
        "   \\",
        "    [ ]",
    ]
    # b's way southwest and a's northeast, d's northwest and e's southeast: one square's
    # two diagonals cross.
    world = _world(
        {
            "a": {"northeast": "b", "east": "d"},
            "b": {"southwest": "a"},
            "d": {"northwest": "e", "west": "a"},
            "e": {"southeast": "d"},
        }
    )
    _stand(world, "a", visited=("a", "b", "d", "e"))
    grid = _grid(area_map(world, "ann"))
    assert grid[1] == "   X"
    assert grid[2] == "[@]-[ ]"


def test_a_long_road_is_cropped_around_the_walker() -> None:
    road = {
        f"r{i}": {
            **({"east": f"r{i + 1}"} if i < 39 else {}),
            **({"west": f"r{i - 1}"} if i > 0 else {}),
        }
        for i in range(40)
    }
    world = _world(road)
    everywhere = tuple(road)
    _stand(world, "r20", visited=everywhere)
    lines = area_map(world, "ann", radius=30)
    # Nineteen whole cells fit a line: nine each side of the walker.
    assert lines[0] == "-".join(["[ ]"] * 9 + [OWN_MARK] + ["[ ]"] * 9)
    assert all(len(line) <= MAX_COLUMNS for line in lines)
    # Near the road's west end, the map keeps its edge rather than centring on emptiness.
    world.chars["ann"].room = "t:r1"
    assert area_map(world, "ann", radius=30)[0] == "-".join(["[ ]", OWN_MARK] + ["[ ]"] * 17)
    # At the east end likewise.
    world.chars["ann"].room = "t:r39"
    assert area_map(world, "ann", radius=30)[0] == "-".join(["[ ]"] * 18 + [OWN_MARK])


def test_a_long_name_is_wrapped_to_the_line() -> None:
    name = "The " + " ".join(["Very Long and Winding"] * 8) + " Hall"
    world = _world({"a": {}}, names={"a": name})
    _stand(world, "a")
    lines = area_map(world, "ann")
    assert all(len(line) <= MAX_COLUMNS for line in lines)
    assert " ".join(lines[lines.index(LEGEND[-1]) + 1 :]) == f"You are {in_place(name)}."
    assert all(len(line) <= MAX_COLUMNS for line in area_map(world, "ann", plain=True))


# -- words for screen readers --------------------------------------------------------


def test_plain_words_for_a_screen_reader() -> None:
    rig = _walker()
    lines = area_map(rig.world, "maren", plain=True)
    assert lines == CROSSROADS_WORDS
    assert all(line.isascii() and "[" not in line for line in lines)
    # Rooms two steps on that one has stood in are named, with the way there.
    rig = _walker(walked=(*WALKED, "old_mill", "reed_path"))
    lines = area_map(rig.world, "maren", plain=True)
    assert "Further: south then south: Reed-Marsh Path; east then east: The Old Mill." in lines
    # Radius 1: only what lies next door.
    assert area_map(rig.world, "maren", plain=True, radius=1) == CROSSROADS_WORDS[:6]


def test_plain_words_name_the_ways_up_and_down() -> None:
    rig = _walker("common_room", walked=("common_room", "cellar", "crossroads"))
    assert area_map(rig.world, "maren", plain=True, radius=1) == [
        "You are in the Drowned Lantern, Common Room. Ways lead up and down from here.",
        "South: The Crossroads.",
        "Up: somewhere you have not been.",
        "Down: The Lantern Cellar.",
        "Out: The Crossroads.",
    ]


# -- what the player sees ------------------------------------------------------------


def test_the_player_sees_the_art_intact() -> None:
    rig = _walker()
    maren = rig.world.chars["maren"]
    doc = _map_of(rig.world, maren)
    assert isinstance(doc.blocks[0], Art) and isinstance(doc.blocks[1], Para)
    # Colour on or off, the lines arrive as drawn: "[", "\" and "|" are not markup.
    for colours in (0, 16, 256):
        profile = RenderProfile(colours=colours, width=80, charset="utf-8")
        assert _seen(doc, profile) == CROSSROADS_MAP
    ascii_profile = RenderProfile(colours=0, width=80, charset="ascii")
    assert encode(render(doc, ascii_profile), "ascii").decode("ascii").split("\r\n")[:-1] == (
        CROSSROADS_MAP
    )


def test_diagonals_and_braces_survive_rendering() -> None:
    world = _world(
        {"a": {"southeast": "b", "northwest": "c"}, "b": {"northwest": "a"}, "c": {}},
        names={"a": "The {exit}Vault{/} of {{Braces}} \\ [and] %h", "b": "B"},
    )
    ann = _stand(world, "a", visited=("a", "b"))
    drawn = area_map(world, "ann")
    assert drawn[: drawn.index(LEGEND[0])] == [" ?", "   \\", "    [@]", "       \\", "        [ ]"]
    seen = _seen(_map_of(world, ann), RenderProfile(colours=16, width=80))
    assert seen == drawn
    assert seen[-1] == "You are in the {exit}Vault{/} of {{Braces}} \\ [and] %h."


def test_a_narrow_terminal_crops_the_art_and_wraps_the_words() -> None:
    rig = _walker("common_room", walked=WALKED)
    maren = rig.world.chars["maren"]
    drawn = area_map(rig.world, "maren")
    art = len(drawn) - 1
    # A phone's terminal held upright: the grid and the key whole (played, round 59: the
    # key was cut at 42 columns after "[%").
    seen = _seen(_map_of(rig.world, maren), RenderProfile(colours=0, width=40))
    assert seen[:art] == drawn[:art]
    assert " ".join(seen[art:]) == drawn[-1]
    assert all(len(line) <= 40 for line in LEGEND)
    # Narrower than the art: it is cut, never wrapped into a second line.
    seen = _seen(_map_of(rig.world, maren), RenderProfile(colours=0, width=30))
    assert seen[art - 2 : art] == [line[:30] for line in LEGEND]
    assert " ".join(seen[art:]) == drawn[-1]
    assert all(len(line) <= 30 for line in seen)


def test_a_screen_reader_hears_words_not_art() -> None:
    rig = _walker()
    maren = rig.world.chars["maren"]
    reader = RenderProfile(colours=0, width=78, screenreader=True)
    maren.screenreader = True  # the player's own setting: words from the start
    doc = _map_of(rig.world, maren)
    assert all(isinstance(block, Para) for block in doc.blocks)
    assert _seen(doc, reader) == CROSSROADS_WORDS
    # A client that announced a screen reader, the player having set nothing: the art
    # gives way to the same words, and the room is named after them.
    maren.screenreader = None
    seen = _seen(_map_of(rig.world, maren), reader)
    assert seen == [*CROSSROADS_WORDS[1:], CROSSROADS_WORDS[0]]
    assert not any("[" in line or "Key:" in line for line in seen)


def test_map_takes_a_radius_and_refuses_other_words() -> None:
    rig = _walker(walked=(*WALKED, "reed_path"))
    maren = rig.world.chars["maren"]
    profile = RenderProfile(colours=0, width=80)
    assert _seen(_map_of(rig.world, maren, "1"), profile)[: -1 - len(LEGEND)] == _grid(
        area_map(rig.world, "maren", radius=1)
    )
    assert _seen(_map_of(rig.world, maren, "2"), profile) != _seen(
        _map_of(rig.world, maren, "1"), profile
    )
    for wrong in ("0", "10", "of the marsh", "-1"):
        assert _seen(_map_of(rig.world, maren, wrong), profile) == ["Usage: map [1-9]"]


def test_the_help_text_reads_like_the_others() -> None:
    doc = cmd_map.__doc__ or ""
    first, blank, *rest = doc.splitlines()
    assert first == "map [radius]" and not blank.strip() and rest


# -- properties over random worlds --------------------------------------------------

_NAMES = st.text(alphabet="abcdefgh XYZ{}[]\\/|-@?%^", min_size=1, max_size=90)


@st.composite
def _random_world(draw: st.DrawFn) -> tuple[World, int]:
    """A small world of rooms joined by random compass ways (and some up, down and in),
    some hidden, some found; a character in one of them having stood in some; and a
    radius."""
    n = draw(st.integers(1, 7))
    ids = [f"r{i}" for i in range(n)]
    ways = [*COMPASS, "up", "down", "in"]
    exits: dict[str, dict[str, str]] = {}
    hidden: list[tuple[str, str]] = []
    for room in ids:
        chosen = draw(st.lists(st.sampled_from(ways), unique=True, max_size=5))
        exits[room] = {d: draw(st.sampled_from(ids)) for d in chosen}
        hidden += [(room, d) for d in chosen if draw(st.booleans()) and draw(st.booleans())]
    if draw(st.booleans()):
        # Most ways in a real world lead back: add the way back where the slot is free.
        for room in ids:
            for d, to in list(exits[room].items()):
                exits[to].setdefault(OPPOSITE[d], room)
    names = {room: draw(_NAMES) for room in ids}
    world = _world(exits, hidden=hidden, names=names)
    char = _stand(
        world,
        draw(st.sampled_from(ids)),
        visited=draw(st.lists(st.sampled_from(ids), unique=True)),
    )
    char.revealed = [f"t:{r}:{d}" for r, d in hidden if draw(st.booleans())]
    return world, draw(st.integers(-1, 8))


def _state(world: World) -> dict[str, Any]:
    """Everything the world holds but its (frozen) templates, copied."""
    return copy.deepcopy({k: v for k, v in vars(world).items() if k != "templates"})


_CELL_RE = re.compile(r"\[.\]| \?(?: |$)")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_random_world())
def test_any_world_gives_a_map_that_fits(case: tuple[World, int]) -> None:
    world, radius = case
    before = _state(world)
    lines = area_map(world, "ann", radius=radius)
    words = area_map(world, "ann", radius=radius, plain=True)
    assert _state(world) == before  # the map only reads
    assert all(visible_width(line) <= MAX_COLUMNS for line in (*lines, *words))
    grid = _grid(lines)
    assert sum(line.count(OWN_MARK) for line in grid) == 1
    assert lines[len(grid) + len(LEGEND)].startswith("You are ")
    # Lines of cells and lines of connectors take turns, from the walker's line on.
    own = next(row for row, line in enumerate(grid) if OWN_MARK in line)
    for row, line in enumerate(grid):
        if (row - own) % 2:
            # Connector lines hold connectors only.
            assert set(line) <= set(" -|/\\X")
        else:
            # Cells sit on the grid's four-column pitch: none overlaps another.
            for found in _CELL_RE.finditer(line):
                assert found.start() % 4 == 0
            assert set(_CELL_RE.sub("", line)) <= set(" -")
    assert words[0].startswith("You are ")
