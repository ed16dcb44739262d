"""Tests for mud.world.loader: the bundled pack, every kind of error, cross-pack links,
and parse_yaml_mapping on arbitrary text. Packs are written into tmp dirs per test."""

from __future__ import annotations

import json
import tempfile
import textwrap
from collections import deque
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.world.loader import (
    PackError,
    PackIssue,
    check_packs,
    load_packs,
    parse_yaml_mapping,
)
from mud.world.model import DIRECTIONS, Exit, Templates

HOLLOWMERE = Path(__file__).resolve().parent.parent / "content" / "hollowmere"

PACK = """\
id: tavern
name: The Tavern
version: "1"
description: A small test pack.
start: common
"""

ROOMS = """\
common:
  name: Common Room
  description: Warm and loud.
  exits:
    down: cellar
    up: {to: attic, locked_by: key}
  items: [key]
cellar:
  name: Cellar
  description: Damp.
  exits:
    up: common
attic:
  name: Attic
  description: Dusty.
  exits:
    down: common
"""

ITEMS = """\
key:
  name: iron key
  description: Heavy.
"""


def write_pack(
    root: Path,
    folder: str = "tavern",
    *,
    pack: str = PACK,
    rooms: str | None = ROOMS,
    items: str | None = ITEMS,
) -> Path:
    """Write a pack folder under ``root`` and return it; None skips a file."""
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    (path / "pack.yaml").write_text(pack, encoding="utf-8")
    if rooms is not None:
        (path / "rooms.yaml").write_text(rooms, encoding="utf-8")
    if items is not None:
        (path / "items.yaml").write_text(items, encoding="utf-8")
    return path


def issues_of(*dirs: Path) -> list[str]:
    """The issues for ``dirs`` as text, with the tmp root cut off for readability."""
    out = []
    for issue in check_packs(list(dirs)):
        assert isinstance(issue, PackIssue)
        text = str(issue)
        for d in dirs:
            text = text.replace(f"{d.parent}/", "")
        out.append(text)
    return out


# --------------------------------------------------------------------------- bundled pack


@pytest.fixture(scope="module")
def world() -> Templates:
    return load_packs([HOLLOWMERE])


def test_hollowmere_checks_clean() -> None:
    assert check_packs([HOLLOWMERE]) == []


def test_hollowmere_shape(world: Templates) -> None:
    info = world.packs["hollowmere"]
    assert len(world.rooms) >= 14
    assert world.start == info.start == "hollowmere:common_room"
    assert world.start in world.rooms
    assert info.persona and info.tone and info.opening and info.vocabulary
    assert {"hollowmere", "newbie"} <= set(info.help)
    assert all(room.description.count(".") >= 2 for room in world.rooms.values())


def test_hollowmere_references_all_resolve(world: Templates) -> None:
    for room in world.rooms.values():
        for exit_ in room.exits:
            assert exit_.to in world.rooms, (room.id, exit_.direction)
            assert exit_.locked_by is None or exit_.locked_by in world.items
        for item in room.items:
            assert item in world.items, (room.id, item)


def _reachable(
    world: Templates, *, through_locked: bool, through_hidden: bool, but: Exit | None = None
) -> set[str]:
    seen = {world.start}
    queue = deque([world.start])
    while queue:
        for exit_ in world.rooms[queue.popleft()].exits:
            if exit_ == but:
                continue
            if exit_.locked_by and not through_locked:
                continue
            if exit_.hidden and not through_hidden:
                continue
            if exit_.to not in seen:
                seen.add(exit_.to)
                queue.append(exit_.to)
    return seen


def test_hollowmere_has_a_solvable_locked_exit_and_a_hidden_one(world: Templates) -> None:
    exits = [e for room in world.rooms.values() for e in room.exits]
    locked = [e for e in exits if e.locked_by]
    assert locked and any(e.hidden for e in exits)
    open_world = _reachable(world, through_locked=False, through_hidden=False)
    # Every key lies, or is carried by an NPC, somewhere a newcomer can reach without it.
    for exit_ in locked:
        homes = [r.id for r in world.rooms.values() if exit_.locked_by in r.items]
        homes += [n.room for n in world.npcs.values() if exit_.locked_by in n.carries]
        if not set(homes) & open_world:
            # A key beyond other doors or secrets: reachable once those are passed, and
            # never behind its own door.
            without = _reachable(world, through_locked=True, through_hidden=True, but=exit_)
            assert homes and set(homes) & without, exit_
    # With keys and secrets, every room can be reached from the start.
    assert _reachable(world, through_locked=True, through_hidden=True) == set(world.rooms)


def test_hollowmere_items_are_all_placed(world: Templates) -> None:
    placed = {item for room in world.rooms.values() for item in room.items}
    for room in world.rooms.values():
        placed |= {f.reveals.item for f in room.features.values() if f.reveals and f.reveals.item}
    for npc in world.npcs.values():
        placed |= {*npc.carries, *npc.drops, *(npc.shop.sells if npc.shop else ())}
    for cls in world.classes.values():
        placed |= set(cls.start_items)
    for quest in world.quests.values():
        placed |= set(quest.reward.items)
    assert placed == set(world.items)
    assert any(not item.carry for item in world.items.values())


# --------------------------------------------------------------------------- valid packs


def test_minimal_pack_loads(tmp_path: Path) -> None:
    world = load_packs([write_pack(tmp_path)])
    assert set(world.rooms) == {"tavern:common", "tavern:cellar", "tavern:attic"}
    assert world.start == "tavern:common"
    up = world.rooms["tavern:common"].exit("up")
    assert up is not None and up.locked_by == "tavern:key"
    assert world.packs["tavern"].path == str(tmp_path / "tavern")
    with pytest.raises(TypeError):
        world.rooms["tavern:new"] = world.rooms["tavern:cellar"]  # type: ignore[index]


def test_two_packs_reference_each_other(tmp_path: Path) -> None:
    tavern = write_pack(
        tmp_path,
        rooms=ROOMS + "yard:\n  name: Yard\n  description: Mud.\n  exits: {east: road:gate}\n",
    )
    road = write_pack(
        tmp_path,
        "road",
        pack=PACK.replace("tavern", "road").replace("start: common", "start: gate"),
        rooms=textwrap.dedent(
            """\
            gate:
              name: Gate
              description: A gate.
              exits: {west: tavern:yard}
              items: [tavern:key, lamp]
            """
        ),
        items="lamp: {name: lamp, description: Bright.}\n",
    )
    world = load_packs([road, tavern])
    assert world.start == "road:gate"
    assert world.rooms["road:gate"].exits[0].to == "tavern:yard"
    assert world.rooms["tavern:yard"].exits[0].to == "road:gate"
    assert world.rooms["road:gate"].items == ("tavern:key", "road:lamp")
    assert load_packs([tavern, road]).start == "tavern:common"
    assert load_packs([tavern, road], start="road:gate").start == "road:gate"


def test_unknown_files_are_ignored_and_an_empty_file_defines_nothing(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, items="# nothing yet\n")
    (folder / "lore.yaml").write_text("this: [is not, checked", encoding="utf-8")
    (folder / "notes.txt").write_text("not YAML, not mentioned", encoding="utf-8")
    # lore.yaml is not read (its bad YAML is no error), but a builder is told so.
    assert issues_of(folder) == [
        "tavern/lore.yaml:1: warning: lore.yaml is not read: a pack's files are pack.yaml,"
        " rooms.yaml, items.yaml, classes.yaml, npcs.yaml, quests.yaml, socials.yaml",
        "tavern/rooms.yaml:6: room 'common': exit 'up': locked_by -> 'tavern:key': no such item",
        "tavern/rooms.yaml:7: room 'common': item -> 'tavern:key': no such item",
    ]


# --------------------------------------------------------------------------- each error


def test_bad_yaml_syntax_names_file_and_line(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, items="key:\n  name: [iron key\n  description: x\n")
    found = issues_of(folder)
    assert len(found) == 1
    assert found[0].startswith("tavern/items.yaml:3: YAML error: ")
    with pytest.raises(PackError) as caught:
        load_packs([folder])
    assert [str(i) for i in caught.value.issues] == [str(i) for i in check_packs([folder])]


def test_missing_key(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, rooms=ROOMS.replace("  name: Cellar\n", ""))
    assert issues_of(folder) == ["tavern/rooms.yaml:8: room 'cellar': missing required key 'name'"]


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, items=ITEMS + "  wieght: 3\n")
    assert issues_of(folder) == [
        "tavern/items.yaml:4: item 'key': unknown key 'wieght' (did you mean 'weight'?)"
    ]


def test_bad_exit_target_matches_the_documented_format(tmp_path: Path) -> None:
    rooms = ROOMS + textwrap.dedent(
        """\
        storeroom:
          name: Store
          description: Boxes.
          exits:
            north: tavern:nowhere
        """
    )
    folder = write_pack(tmp_path, rooms=rooms)
    # Leave storeroom unreachable: the loader does not require connectivity.
    assert issues_of(folder) == [
        "tavern/rooms.yaml:22: room 'storeroom': exit 'north' -> 'tavern:nowhere': no such room"
    ]


def test_bad_exit_target_to_other_pack_and_did_you_mean(tmp_path: Path) -> None:
    rooms = ROOMS.replace("down: cellar", "down: celar").replace("up: common\n", "up: x:common\n")
    assert issues_of(write_pack(tmp_path, rooms=rooms)) == [
        "tavern/rooms.yaml:5: room 'common': exit 'down' -> 'tavern:celar': no such room"
        " (did you mean 'tavern:cellar'?)",
        "tavern/rooms.yaml:12: room 'cellar': exit 'up' -> 'x:common': no such room"
        " (pack 'x' is not loaded)",
    ]


def test_duplicate_room_id_in_a_file(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, rooms=ROOMS + "cellar:\n  name: Again\n  description: Two.\n")
    assert issues_of(folder) == [
        "tavern/rooms.yaml:18: duplicate room id 'cellar' (first at line 8)"
    ]


def test_duplicate_pack_id_across_packs(tmp_path: Path) -> None:
    one = write_pack(tmp_path, "one")
    two = write_pack(tmp_path, "two")
    assert issues_of(one, two) == [
        "two/pack.yaml:1: pack 'tavern': id already used by "
        + str(one / "pack.yaml").replace(f"{tmp_path}/", "")
    ]


def test_wrong_types(tmp_path: Path) -> None:
    items = ITEMS + "  value: lots\n  carry: 1\n  aliases: key\n"
    pack = PACK.replace('version: "1"', "version: 1.0")
    assert issues_of(write_pack(tmp_path, pack=pack, items=items)) == [
        "tavern/pack.yaml:3: pack 'tavern': 'version' must be text, not a number"
        " (put it in quotes)",
        "tavern/items.yaml:4: item 'key': 'value' must be a whole number, 0 or more",
        "tavern/items.yaml:5: item 'key': 'carry' must be true or false, not a number",
        "tavern/items.yaml:6: item 'key': 'aliases' must be a list, not text",
    ]


def test_bad_start_room(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, pack=PACK.replace("start: common", "start: lobby"))
    assert issues_of(folder) == [
        "tavern/pack.yaml:5: pack 'tavern': start -> 'tavern:lobby': no such room"
    ]
    with pytest.raises(PackError):
        load_packs([write_pack(tmp_path, "ok")], start="tavern:lobby")
    assert [str(i) for i in check_packs([tmp_path / "ok"], start="tavern:lobby")] == [
        "(config):1: start room 'tavern:lobby': no such room"
    ]


def test_bad_ids(tmp_path: Path) -> None:
    pack = PACK.replace("id: tavern", "id: The Tavern")
    rooms = ROOMS + "Big Hall:\n  name: Hall\n  description: Big.\n"
    assert issues_of(write_pack(tmp_path, pack=pack, rooms=rooms)) == [
        "tavern/pack.yaml:1: pack: id 'The Tavern' must be lowercase a-z, 0-9 and _",
        "tavern/rooms.yaml:18: room id 'Big Hall' must be lowercase a-z, 0-9 and _",
    ]


def test_missing_pack_file_and_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert issues_of(empty, tmp_path / "ghost") == [
        "empty/pack.yaml:1: missing pack.yaml (every pack needs one)",
        "ghost:1: no such pack folder",
    ]
    assert [str(i) for i in check_packs([])] == ["(config):1: no content packs given"]


def test_not_utf8(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    (folder / "items.yaml").write_bytes(b"key:\n  name: \xff\n")
    assert issues_of(folder) == ["tavern/items.yaml:2: the file is not UTF-8 text"]


def test_top_level_of_a_kind_file_must_be_a_mapping(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, items="- key\n- lamp\n")
    # Items could not be read, so references to them are not reported a second time.
    assert issues_of(folder) == ["tavern/items.yaml:1: expected a mapping of item ids to items"]


def test_many_errors_are_all_reported_in_file_order(tmp_path: Path) -> None:
    pack = PACK + "nmae: typo\n"
    rooms = textwrap.dedent(
        """\
        common:
          name: Common Room
          description: Warm.
          exits:
            sideways: cellar
            d: cellar
            down: attic
          items: [key, ghost]
          safe: maybe
        cellar:
          description: Damp.
          exits: {up: {to: common, locked_by: nothing, secret: true}}
        """
    )
    items = "key:\n  name: key\n"
    found = issues_of(write_pack(tmp_path, pack=pack, rooms=rooms, items=items))
    assert found == [
        "tavern/pack.yaml:6: pack 'tavern': unknown key 'nmae' (did you mean 'name'?)",
        "tavern/rooms.yaml:5: room 'common': unknown direction 'sideways'",
        "tavern/rooms.yaml:7: room 'common': exit 'down': a second exit leading down",
        "tavern/rooms.yaml:7: room 'common': exit 'down' -> 'tavern:attic': no such room",
        "tavern/rooms.yaml:8: room 'common': item -> 'tavern:ghost': no such item",
        "tavern/rooms.yaml:9: room 'common': 'safe' must be true or false, not text",
        "tavern/rooms.yaml:10: room 'cellar': missing required key 'name'",
        "tavern/rooms.yaml:12: room 'cellar': exit 'up': unknown key 'secret'",
        "tavern/rooms.yaml:12: room 'cellar': exit 'up': locked_by -> 'tavern:nothing':"
        " no such item",
        "tavern/items.yaml:1: item 'key': missing required key 'description'",
    ]


@settings(max_examples=25, deadline=None)
@given(
    ids=st.lists(
        st.text(alphabet="abcdefghij_", min_size=1, max_size=6), min_size=1, max_size=6, unique=True
    ),
    typo_at=st.data(),
)
def test_unknown_keys_are_reported_on_their_own_line(
    ids: list[str], typo_at: st.DataObject
) -> None:
    bad = set(typo_at.draw(st.lists(st.sampled_from(ids), unique=True)))
    # Every room is a way from the start: a room no way leads to would be warned about.
    ways = [f"    {d}: r_{local}" for d, local in zip(DIRECTIONS, ids, strict=False)]
    lines = ["common:", "  name: Common", "  description: Warm.", "  exits:", *ways]
    expected = []
    for local in ids:
        lines += [f"r_{local}:", "  name: Room", "  description: A room."]
        if local in bad:
            lines.append("  smell: damp")
            expected.append(f"rooms.yaml:{len(lines)}: room 'r_{local}': unknown key 'smell'")
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_pack(Path(tmp), rooms="\n".join(lines) + "\n", items=None)
        found = [str(i).replace(f"{folder}/", "") for i in check_packs([folder])]
    assert found == expected


# --------------------------------------------------------------------------- parse_yaml_mapping


def test_parse_yaml_mapping_happy_and_empty() -> None:
    assert parse_yaml_mapping("port: 4000\nname: mud\nnested: {a: [1, 2]}\n", "c.yaml") == {
        "port": 4000,
        "name": "mud",
        "nested": {"a": [1, 2]},
    }
    assert parse_yaml_mapping("", "c.yaml") == {}
    assert parse_yaml_mapping("# only a comment\n", "c.yaml") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: [1,\n", "c.yaml:3: YAML error: "),
        ("- 1\n- 2\n", "c.yaml:1: expected a mapping of keys at top level"),
        ("a: 1\nb: 2\na: 3\n", "c.yaml:3: duplicate key 'a' (first at line 1)"),
        ("a: &x [*x]\n", "c.yaml:1: an alias refers to the value that contains it"),
        ("a: !!python/name:os.system\n", "c.yaml:1: bad value"),
        ("\n\na: 2001-02-30\n", "c.yaml:3: bad value '2001-02-30'"),
        ("a: 1\n---\nb: 2\n", "c.yaml:2: YAML error: "),
        ("? [a, b]\n: 1\n", "c.yaml:1: a mapping key must be plain text"),
        ("a: 1\n\x00\n", "c.yaml:2: YAML error: "),
        ("a: !!bool maybe\n", "c.yaml:1: bad value 'maybe': not a valid bool"),
        ("a: !!int " + "9" * 5000, "c.yaml:1: bad value '999"),
    ],
)
def test_parse_yaml_mapping_errors_name_source_and_line(text: str, expected: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_yaml_mapping(text, "c.yaml")
    assert str(caught.value).startswith(expected)


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(ValueError, match="too many values"):
        parse_yaml_mapping("\n".join(lines), "bomb.yaml")


YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab1 :-[]{},&*!|>'\"#%@?\n\t\\.~<=x0")), max_size=60
)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), YAMLISH))
def test_parse_yaml_mapping_returns_dict_or_raises_value_error(text: str) -> None:
    try:
        result = parse_yaml_mapping(text, "fuzz.yaml")
    except ValueError as exc:
        assert str(exc).startswith("fuzz.yaml:")
    else:
        assert isinstance(result, dict)
        assert all(isinstance(key, str) for key in result)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.text(st.characters(categories=("L", "N", "Zs"), exclude_characters="\x85"), max_size=12),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text("abcxyz_", min_size=1, max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.text("abcdefgh_", min_size=1, max_size=6), json_values, max_size=5))
def test_json_documents_round_trip(data: dict[str, object]) -> None:
    # JSON is YAML: whatever JSON says, the parser must read back exactly.
    assert parse_yaml_mapping(json.dumps(data, ensure_ascii=False), "j.yaml") == data


def test_an_npc_defeat_line_loads_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    npcs = (
        "rat:\n  name: rat\n  description: A rat.\n  room: common\n  hostile: true\n"
        "  stats: {hp: 3, ac: 10, attack_bonus: 0, damage: 1d2}\n"
        "  defeat: The rat squeaks once and is still.\n"
        "eel:\n  name: eel\n  description: An eel.\n  room: common\n  hostile: true\n"
        "  stats: {hp: 3, ac: 10, attack_bonus: 0, damage: 1d2}\n"
        "  defeat: [slithers, away]\n"
    )
    folder = write_pack(tmp_path)
    (folder / "npcs.yaml").write_text(npcs, encoding="utf-8")
    assert issues_of(folder) == [
        "tavern/npcs.yaml:14: npc 'eel': 'defeat' must be text, not a list",
    ]
    (folder / "npcs.yaml").write_text(npcs.split("eel:")[0], encoding="utf-8")
    assert load_packs([folder]).npcs["tavern:rat"].defeat == "The rat squeaks once and is still."


def test_room_aliases_load_and_a_bad_one_is_named_with_its_line(tmp_path: Path) -> None:
    rooms = ROOMS.replace("  name: Cellar\n", "  name: Cellar\n  aliases: [vault, undercroft]\n")
    world = load_packs([write_pack(tmp_path / "a", rooms=rooms)])
    assert world.rooms["tavern:cellar"].aliases == ("vault", "undercroft")
    assert world.rooms["tavern:common"].aliases == ()
    bad = ROOMS.replace("  name: Cellar\n", "  name: Cellar\n  aliases: vault\n")
    (issue,) = issues_of(write_pack(tmp_path / "b", rooms=bad))
    assert "rooms.yaml:" in issue and "'aliases' must be a list, not text" in issue, issue


QUESTS = """\
dig:
  name: The Dig
  description: Dig in the cellar.
  steps:
    - id: down
      text: Go down to the cellar.
      trigger: {enter: cellar}
  reward: {xp: 10}
"""


def test_a_room_later_description_loads_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    later = "  later:\n    - after: dig\n      description: Damp, and dug up.\n"
    rooms = ROOMS.replace("  description: Damp.\n", "  description: Damp.\n" + later)
    folder = write_pack(tmp_path / "a", rooms=rooms)
    (folder / "quests.yaml").write_text(QUESTS, encoding="utf-8")
    assert issues_of(folder) == []
    cellar = load_packs([folder]).rooms["tavern:cellar"]
    assert cellar.description_for(set()) == "Damp."
    assert cellar.description_for({"tavern:dig"}) == "Damp, and dug up."
    # A later text needs a gate, as a gated fact does.
    ungated = ROOMS.replace(
        "  description: Damp.\n", "  description: Damp.\n  later:\n    - description: Dry.\n"
    )
    (issue,) = issues_of(write_pack(tmp_path / "c", rooms=ungated))
    assert "tavern/rooms.yaml:12: room 'cellar': later: a later description written as a" in issue
    assert "needs 'after' or 'until' (a quest id), or 'while_here' or 'unless_here'" in issue
    wrong = later.replace("after: dig", "after: digg").replace(
        "      description: Damp, and dug up.\n", "      descripton: Damp, and dug up.\n"
    )
    bad = write_pack(
        tmp_path / "b",
        rooms=ROOMS.replace("  description: Damp.\n", "  description: Damp.\n" + wrong),
    )
    (bad / "quests.yaml").write_text(QUESTS, encoding="utf-8")
    issues = issues_of(bad)
    assert any(
        "tavern/rooms.yaml:" in i and "descripton" in i and "did you mean 'description'" in i
        for i in issues
    ), issues
    assert any("tavern/rooms.yaml:" in i and "'tavern:digg'" in i for i in issues), issues


def test_an_action_that_lasts_and_a_later_text_while_it_is_done_are_checked(
    tmp_path: Path,
) -> None:
    feature = (
        "  features:\n"
        "    lamp:\n"
        "      name: lamp\n"
        "      description: Unlit.\n"
        "      later:\n"
        "        - while_done: lamp\n"
        "          description: Lit.\n"
        "      actions:\n"
        "        - verbs: [light]\n"
        "          you: You light it.\n"
        "          lasts: true\n"
        "          again: It burns already.\n"
    )
    later = "  later:\n    - while_done: lamp\n      description: Damp, and lamplit.\n"
    rooms = ROOMS.replace("  description: Damp.\n", "  description: Damp.\n" + later + feature)
    folder = write_pack(tmp_path / "a", rooms=rooms)
    assert issues_of(folder) == []
    cellar = load_packs([folder]).rooms["tavern:cellar"]
    lamp = cellar.features["lamp"]
    assert lamp.actions[0].lasts and lamp.actions[0].again == "It burns already."
    assert cellar.description_for(set(), (), {"tavern:cellar:lamp"}) == "Damp, and lamplit."
    assert lamp.description_for(set(), (), {"tavern:cellar:lamp"}) == "Lit."
    assert lamp.description_for(set(), (), set()) == "Unlit."
    # 'lasts' without 'again', 'again' without 'lasts', and a later text while a feature
    # is done that has no action that lasts: each named with its line.
    bad = rooms.replace("          again: It burns already.\n", "")
    issues = issues_of(write_pack(tmp_path / "b", rooms=bad))
    assert any(
        "'lasts' needs 'again': what one reads doing it while it lasts" in i for i in issues
    ), issues
    bad = rooms.replace("          lasts: true\n", "")
    issues = issues_of(write_pack(tmp_path / "c", rooms=bad))
    assert any("tavern/rooms.yaml:" in i and "'again' needs 'lasts: true'" in i for i in issues)
    assert any("'while_done: lamp' must name a feature of this room" in i for i in issues), issues


def test_a_later_text_may_wait_on_a_lasting_feature_of_another_room(tmp_path: Path) -> None:
    # Played (Lanternfall, round 62): the first lantern lit in the square has "far up the
    # mountain, other lights answer it", and the High Stair read its lanterns "every one
    # dark": a later text could follow only a feature of its own room.
    feature = (
        "  features:\n"
        "    lamp:\n"
        "      name: lamp\n"
        "      description: Unlit.\n"
        "      actions:\n"
        "        - verbs: [light]\n"
        "          you: You light it.\n"
        "          lasts: true\n"
        "          again: It burns already.\n"
    )
    later = "  later:\n    - while_done: cellar:lamp\n      description: Dusty, lit from below.\n"
    rooms = ROOMS.replace("  description: Damp.\n", "  description: Damp.\n" + feature).replace(
        "  description: Dusty.\n", "  description: Dusty.\n" + later
    )
    folder = write_pack(tmp_path / "a", rooms=rooms)
    assert issues_of(folder) == []
    attic = load_packs([folder]).rooms["tavern:attic"]
    assert attic.description_for(set(), (), {"tavern:cellar:lamp"}) == "Dusty, lit from below."
    assert attic.description_for(set(), (), set()) == "Dusty."
    # No such feature, a feature whose action does not last, and a malformed id: each
    # named with its file and line, once.
    issues = issues_of(write_pack(tmp_path / "b", rooms=rooms.replace("cellar:lamp", "cellar:lam")))
    assert any(
        "tavern/rooms.yaml:" in i and "'tavern:cellar:lam': no such feature" in i for i in issues
    ), issues
    fleeting = rooms.replace("          lasts: true\n          again: It burns already.\n", "")
    (issue,) = issues_of(write_pack(tmp_path / "c", rooms=fleeting))
    line = 1 + fleeting[: fleeting.index("while_done: cellar:lamp")].count("\n")
    assert f"tavern/rooms.yaml:{line}: room 'attic': a later text's 'while_done:" in issue, issue
    assert "names a feature with no action that lasts" in issue, issue
    (issue,) = issues_of(
        write_pack(tmp_path / "d", rooms=rooms.replace("cellar:lamp", "Cellar:Lamp"))
    )
    assert "is not a valid feature id" in issue, issue
