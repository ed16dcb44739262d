"""What builders new to mud met writing a pack (the Gorse Hill Quarry, then Lanternfall),
each checked on real pack folders through the real loader and ``mud check``: a world with
no class, YAML slips reported at the wrong line, misnamed files read silently as nothing,
a hidden exit nothing reveals, an add-on's unused opening and rules, error wording that
did not say where or what to write; and quest steps no one could ever do that passed."""

from __future__ import annotations

from pathlib import Path

from test_cli import ROOT, mud

from mud.world.loader import PackIssue, check_packs, load_packs

HOLLOWMERE = ROOT / "content" / "hollowmere"

PACK = "id: quarry\nname: The Quarry\nversion: '1'\ndescription: A test pack.\nstart: gate\n"

ROOMS = """\
gate:
  name: The Quarry Gate
  safe: true
  description: A sagging gate.
  exits:
    north: floor
floor:
  name: The Quarry Floor
  description: Broken slate.
  exits:
    south: gate
  items: [oatcake]
"""

ITEMS = """\
oatcake:
  kind: consumable
  effect: {heal: 1d4}
  name: oatcake
  description: A hard round oatcake.
"""

CLASSES = """\
fighter:
  name: Fighter
  description: Strong.
  hit_die: d10
  abilities: {str: 16, dex: 10, con: 14, int: 10, wis: 10, cha: 10}
  attack_ability: str
"""


# How an add-on beside Hollowmere is walked into: a way from its crossroads.
LINK = "links: [{from: hollowmere:crossroads, direction: northeast, to: gate}]\n"


def write(root: Path, folder: str = "quarry", **files: str | None) -> Path:
    """A pack folder under ``root``: the files above, replaced or (None) left out by
    ``files`` (keyed by file name without ``.yaml``)."""
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    base: dict[str, str | None] = {
        "pack": PACK,
        "rooms": ROOMS,
        "items": ITEMS,
        "classes": CLASSES,
    }
    base.update(files)
    for name, text in base.items():
        if text is not None:
            (path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return path


def found(*dirs: Path) -> list[str]:
    """The issues of the packs in ``dirs`` (required packs found among the bundled
    ones), with the tmp root cut off."""
    out = []
    for issue in check_packs(list(dirs), search=[HOLLOWMERE.parent]):
        assert isinstance(issue, PackIssue)
        out.append(str(issue).replace(f"{dirs[0].parent}/", ""))
    return out


# --------------------------------------------------------------------------- 1. classes


def test_a_world_with_no_class_fails_check_and_says_what_to_add(tmp_path: Path) -> None:
    # Played: "OK", then new players got a bare prompt and "You have not chosen a class".
    pack = write(tmp_path, classes=None)
    result = mud("check", str(pack))
    assert result.returncode == 1, result.stdout
    assert result.stdout.splitlines() == [
        f"{pack}/pack.yaml:1: no classes: players could not choose a calling; add"
        " classes.yaml to a pack (content/README.md, classes.yaml)"
    ]
    # A required pack's classes count: an add-on needs none of its own.
    addon = write(tmp_path, "addon", classes=None, pack=PACK + "requires: [hollowmere]\n" + LINK)
    assert check_packs([addon], for_play=True, search=[HOLLOWMERE.parent]) == []
    # Loading a fragment (tests, tools) is not judged as a whole world.
    assert load_packs([pack]).classes == {}


def test_a_missing_item_is_suggested_only_when_close_or_in_another_pack(
    tmp_path: Path,
) -> None:
    # Played: Hollowmere's classes.yaml copied in: "'quarry:mace': no such item (did you
    # mean 'quarry:oatcake'?)", a suggestion only the shared "quarry:" made look close.
    classes = CLASSES + "  start_items: [mace, oatcak, lantern]\n"
    pack = write(tmp_path, classes=classes)
    assert found(pack) == [
        "quarry/classes.yaml:7: class 'fighter': start_items -> 'quarry:mace': no such item",
        "quarry/classes.yaml:7: class 'fighter': start_items -> 'quarry:oatcak': no such item"
        " (did you mean 'quarry:oatcake'?)",
        "quarry/classes.yaml:7: class 'fighter': start_items -> 'quarry:lantern': no such item",
    ]
    # Beside Hollowmere, its items are named with its pack id.
    assert found(pack, HOLLOWMERE)[0] == (
        "quarry/classes.yaml:7: class 'fighter': start_items -> 'quarry:mace': no such item"
        " (an item of another pack is written with its pack id: 'hollowmere:mace')"
    )


# --------------------------------------------------------------------------- 2. YAML slips


def test_an_unclosed_quote_is_reported_at_its_own_line(tmp_path: Path) -> None:
    # Played: reported 14 lines below, "expected <block end>, but found '<scalar>'".
    rooms = ROOMS + (
        "bell:\n"
        "  name: The Bell\n"
        "  description: A bell.\n"
        "  features:\n"
        "    bell:\n"
        "      description: Rusted.\n"
        "      actions:\n"
        "        - verbs: [ring]\n"
        "          you: You ring it.\n"
        '          seen: "{actor} rings the bell.\n'  # line 22: never closed
        "    crack:\n"
        "      description: A crack.\n"
        '      seen: "{actor} finds a gap."\n'  # line 25: its quote closes line 22's
    )
    lines = found(write(tmp_path, rooms=rooms))
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "quarry/rooms.yaml:22: YAML error: a quote is opened and not closed on this line"
        " (close it at the end of the text); the YAML reader stopped at line 25: "
    ), lines


def test_an_unclosed_single_quote_is_reported_at_its_line_not_the_end(tmp_path: Path) -> None:
    # Played: a one-line 'description: 'A hard round oatcake... reported at the end of
    # the file, where an apostrophe ("quarrymen's") closed it.
    items = ITEMS.replace("description: A hard", "description: 'A hard") + (
        "wages:\n"
        "  name: wages\n"
        "  description: >-\n"
        '    "If anyone finds this: pay them." A note.\n'
        "  value: 2\n"
        "bag:\n"
        "  name: bag\n"
        "  description: The quarrymen's last pay.\n"
    )
    lines = found(write(tmp_path, items=items))
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "quarry/items.yaml:5: YAML error: a quote is opened and not closed on this line"
    ), lines
    assert "the YAML reader stopped at line 13" in lines[0]
    # Quoted to the end of the file: still the opening line.
    lines = found(write(tmp_path, "eof", items=ITEMS + 'bag:\n  name: "bag\n'))
    assert lines[0].startswith("eof/items.yaml:7: YAML error: a quote is opened"), lines


def test_colon_in_text_and_tabs_get_a_hint(tmp_path: Path) -> None:
    rooms = ROOMS.replace(
        "description: Broken slate.", "description: Chisel marks at one corner: HARL."
    )
    assert found(write(tmp_path, rooms=rooms)) == [
        "quarry/rooms.yaml:9: YAML error: mapping values are not allowed here (text holding"
        " ': ' must be in quotes: description: \"...: ...\", or folded with >-)"
    ]
    tabbed = ROOMS.replace("    south: gate", "\tsouth: gate")
    assert found(write(tmp_path, "tabs", rooms=tabbed)) == [
        "tabs/rooms.yaml:11: YAML error: found character '\\t' that cannot start any token"
        " (indent with spaces, not tabs)"
    ]


def test_bad_indentation_gets_a_plain_hint_at_the_line_to_fix(tmp_path: Path) -> None:
    # Played (Lanternfall): "expected <block end>, but found '<block mapping start>'
    # (while parsing a block mapping at line 9)", and no word of what to change.
    rooms = ROOMS + (
        "hearth:\n"
        "  name: The Hearth\n"
        "  description: Warm.\n"
        "  features:\n"
        "    fire:\n"
        "      description: A fire.\n"
        "     actions:\n"  # line 19: one space short
        "        - verbs: [warm]\n"
        "          you: You warm your hands.\n"
    )
    assert found(write(tmp_path, rooms=rooms)) == [
        "quarry/rooms.yaml:19: YAML error: expected <block end>, but found '<block mapping"
        " start>' (while parsing a block mapping at line 17) (this line is indented 5"
        " spaces, and no line above it is: they are at 0, 2, 4 or 6; indent it as far as"
        " the keys, or the '- ' entries, it belongs with)"
    ]
    # A key among the entries of a list, and a list entry among keys.
    entry = rooms.replace("     actions:", "      actions:").replace(
        "          you: You", "        you: You"
    )
    assert found(write(tmp_path, "entry", rooms=entry)) == [
        "entry/rooms.yaml:21: YAML error: expected <block end>, but found '?' (while parsing"
        " a block collection at line 20) (a key here, among the entries of a list: put it"
        " inside an entry, indented past its '- ', or start a new entry with '- ')"
    ]
    listed = ROOMS.replace("  items: [oatcake]\n", "  items:\n    - oatcake\n  - oatcake\n")
    assert found(write(tmp_path, "listed", rooms=listed)) == [
        "listed/rooms.yaml:14: YAML error: expected <block end>, but found '-' (while parsing"
        " a block mapping at line 8) (a list entry ('- ') here, among the keys of a mapping: a"
        " list goes under a key of its own, each entry indented as far as the others)"
    ]
    # Text that goes on under its key at the key's own indentation is read as a key.
    text = ROOMS.replace("  description: Broken slate.\n", "  description: Broken\n  slate.\n")
    assert found(write(tmp_path, "text", rooms=text)) == [
        "text/rooms.yaml:10: YAML error: this line is read as a key, but has no ':' (write"
        " the ':' after the key; or, if it is more of the text above, indent it further than"
        " that text's key, or fold the text with >-); the YAML reader stopped at line 11:"
        " could not find expected ':'"
    ]
    # A key missing its ':' makes the next key's ':' the error: the line before is named.
    colon = ROOMS.replace("  name: The Quarry Floor\n", "  name The Quarry Floor\n")
    assert found(write(tmp_path, "colon", rooms=colon)) == [
        "colon/rooms.yaml:9: YAML error: mapping values are not allowed here (line 8 has no"
        " ':': YAML reads it and this line as one text; write the ':' after its key)"
    ]


# --------------------------------------------------------------------------- 3. file names


def test_a_misnamed_file_is_an_error_and_another_yaml_file_a_warning(tmp_path: Path) -> None:
    # Played: room.yaml gave only "no such room" errors; npcs.yml was silently nothing.
    pack = write(tmp_path, rooms=None)
    (pack / "room.yaml").write_text(ROOMS, encoding="utf-8")
    (pack / "npcs.yml").write_text("{}\n", encoding="utf-8")
    (pack / "notes.yaml").write_text("todo: more rooms\n", encoding="utf-8")
    result = mud("check", str(pack))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        f"{pack}/notes.yaml:1: warning: notes.yaml is not read: a pack's files are pack.yaml,"
        " rooms.yaml, items.yaml, classes.yaml, npcs.yaml, quests.yaml, socials.yaml",
        f"{pack}/npcs.yml:1: npcs.yml is not read: only .yaml files are; rename it npcs.yaml",
        f"{pack}/room.yaml:1: room.yaml is not read (did you mean rooms.yaml?)",
    ], lines
    assert "3 problems found." in result.stderr  # the warning is listed, not counted


# --------------------------------------------------------------------------- 4. hidden exits


def test_a_hidden_exit_nothing_reveals_is_warned_with_the_quest_step_beyond(
    tmp_path: Path,
) -> None:
    # Played: reveals: {exit: in} became {item: oatcake}; "OK", and the quest was lost.
    rooms = ROOMS.replace("    south: gate\n", "    south: gate\n    east: face\n") + (
        "face:\n"
        "  name: The Cutting Face\n"
        "  description: A cracked cliff.\n"
        "  exits:\n"
        "    west: floor\n"
        "    in: {to: hollow, hidden: true}\n"
        "  features:\n"
        "    crack:\n"
        "      description: A long crack.\n"
        "      check: {skill: investigation, dc: 11}\n"
        "      reveals: {item: oatcake}\n"
        "hollow:\n"
        "  name: The Hollow\n"
        "  description: Quartz.\n"
        "  exits: {out: face}\n"
    )
    quests = (
        "foreman:\n"
        "  name: The Lost Foreman\n"
        "  description: Find him.\n"
        "  steps:\n"
        "    - id: crack\n"
        "      text: Search the crack.\n"
        "      trigger: {check: face:crack}\n"
        "    - id: hollow\n"
        "      text: Squeeze through.\n"
        "      trigger: {enter: hollow}\n"
    )
    pack = write(tmp_path, rooms=rooms, quests=quests)
    result = mud("check", str(pack))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{pack}/rooms.yaml:19: warning: room 'face': exit 'in' is hidden and no feature"
        " reveals it: nobody can ever find it (give a feature of this room a check with"
        " reveals: {exit: in})",
        f"{pack}/quests.yaml:10: warning: quest 'foreman': step 'hollow' needs"
        " 'quarry:hollow', which can be reached only through a hidden exit that nothing"
        " reveals: no player can finish the quest",
        f"OK: {pack}",
    ]
    fixed = write(tmp_path, "fixed", rooms=rooms.replace("{item: oatcake}", "{exit: in}"))
    assert found(fixed) == []


# --------------------------------------------------------------------------- 5. add-ons


def test_an_add_ons_opening_and_rules_are_said_to_be_unused(tmp_path: Path) -> None:
    # Played: the add-on's opening and start were silently unused beside Hollowmere, and
    # its rules {down: carry} with no safe_room were accepted because Hollowmere's apply.
    pack_yaml = (
        PACK + "requires: [hollowmere]\n"
        "opening: The cart track ends at a gate.\n"
        "rules: {down: carry}\n"
    )
    addon = write(tmp_path, classes=None, pack=pack_yaml)
    why = " (a pack that requires another is never first)"
    assert found(addon) == [
        # Nor is it walked into: no link leads there from Hollowmere.
        "quarry/pack.yaml:5: warning: pack 'quarry': no way leads to any of its rooms from"
        " the world's start 'hollowmere:common_room', where new players appear: nobody can"
        " ever come here (link one of its rooms from a room of the world: see links in"
        " content/README.md)",
        "quarry/pack.yaml:7: warning: pack 'quarry': its start 'quarry:gate' and opening are"
        " not used: new players start in 'hollowmere:common_room' and read the opening of"
        f" pack 'hollowmere', the pack of the world's start{why}",
        "quarry/pack.yaml:8: warning: pack 'quarry': rules are not used: the world plays by"
        f" the rules of pack 'hollowmere', the first pack loaded{why}",
    ]
    # Loaded first, the same pack's opening and rules are the world's.
    alone = write(tmp_path, "alone", pack=pack_yaml.replace("requires: [hollowmere]\n", ""))
    assert found(alone) == []


# --------------------------------------------------------------------------- 6. wording


def test_errors_say_where_and_what_to_write(tmp_path: Path) -> None:
    npcs = (
        "wenna:\n"
        "  name: Old Wenna\n"
        "  description: Stooped.\n"
        "  room: gate\n"
        "  accepts:\n"
        "    - item: harl_lettr\n"  # line 6
        "      says: His hand.\n"
        "eater:\n"
        "  name: slate-eater\n"
        "  description: Pale.\n"
        "  room: floor\n"
        "  hostile: true\n"
        "  stats: {hp: 10, ac: 12, attack_bonus: 3, damage: 1d6}\n"
        "  respawn: 5 minutes\n"  # line 14
    )
    quests = (
        "foreman:\n"
        "  name: The Lost Foreman\n"
        "  description: Find him.\n"
        "  requires: [missing_cartographer]\n"  # line 4
        "  steps:\n"
        "    - {id: gate, text: Go to the gate., trigger: {enter: gate}}\n"
    )
    pack = write(
        tmp_path,
        npcs=npcs,
        quests=quests,
        classes=None,
        pack=PACK + "requires: hollowmere\n" + LINK,  # one pack, as plain text
    )
    assert found(pack) == [
        "quarry/npcs.yaml:6: npc 'wenna': accepts: item -> 'quarry:harl_lettr': no such item",
        "quarry/npcs.yaml:14: npc 'eater': 'respawn' must be a number of seconds (0 or more)"
        " or never, not '5 minutes'",
        "quarry/quests.yaml:4: quest 'foreman': requires -> 'quarry:missing_cartographer': no"
        " such quest (a quest of another pack is written with its pack id:"
        " 'hollowmere:missing_cartographer')",
    ]


def test_a_merge_key_works_as_yaml_defines_it(tmp_path: Path) -> None:
    # Played: "duplicate key 'slate_eater_two.name' (first at line 56)" on line 51.
    npcs = (
        "eater:\n"
        "  <<: &eater\n"
        "    name: slate-eater\n"
        "    description: Pale.\n"
        "    room: floor\n"
        "eater_two:\n"
        "  <<: *eater\n"
        "  name: second slate-eater\n"
    )
    pack = write(tmp_path, npcs=npcs)
    assert found(pack) == []
    world = load_packs([pack])
    assert world.npcs["quarry:eater_two"].name == "second slate-eater"
    assert world.npcs["quarry:eater_two"].room == "quarry:floor"
    # A key written twice in one mapping is still a duplicate, first line first.
    twice = write(tmp_path, "twice", npcs=npcs + "  name: third\n")
    assert found(twice) == ["twice/npcs.yaml:9: duplicate key 'eater_two.name' (first at line 8)"]


# --------------------------------------------------------------------------- 7. steps never done

QUARRY_QUESTS = """\
foreman:
  name: The Lost Foreman
  description: Find him.
  steps:
    - id: gate
      text: Go to the gate.
      trigger: {enter: gate}
"""


def test_a_check_step_at_a_feature_with_no_check_is_an_error(tmp_path: Path) -> None:
    # Played (Lanternfall): a step asked for a check at a straw pallet, scenery with no
    # roll, and "OK"; a check step is met only by succeeding at the feature's check.
    rooms = ROOMS + (
        "  features:\n"
        "    slate:\n"
        "      description: Broken slate.\n"
        "    crack:\n"
        "      description: A crack.\n"
        "      check: {skill: investigation, dc: 11}\n"
    )
    quests = QUARRY_QUESTS + (
        "    - id: slate\n"
        "      text: Search the slate.\n"
        "      trigger: {check: floor:slate}\n"  # line 10
        "    - id: crack\n"
        "      text: Search the crack.\n"
        "      trigger: {check: floor:crack}\n"
    )
    assert found(write(tmp_path, rooms=rooms, quests=quests)) == [
        "quarry/quests.yaml:10: quest 'foreman': step 'slate' needs a check at"
        " 'quarry:floor:slate', but that feature has no 'check': no one can ever do the step"
        " (give the feature a check, such as check: {skill: perception, dc: 12}, or give the"
        " step another trigger, such as {enter: floor})"
    ]
    checked = rooms.replace(
        "      description: Broken slate.\n",
        "      description: Broken slate.\n      check: {skill: perception, dc: 10}\n",
    )
    assert found(write(tmp_path, "fixed", rooms=checked, quests=quests)) == []


def test_a_hold_step_for_an_item_nothing_brings_into_the_world_is_an_error(
    tmp_path: Path,
) -> None:
    # Played (Lanternfall): an item placed nowhere passed with unique: per_player, and
    # with unique: reset was told "only one exists and nothing brings it back ... mark it
    # unique: per_player", when none exists at all.
    items = ITEMS + (
        "mitten:\n  name: mitten\n  description: Grey.\n  unique: per_player\n"
        "glove:\n  name: glove\n  description: Brown.\n"
        "pick:\n  name: pick\n  description: Rusty.\n"
    )
    npcs = "wenna:\n  name: Old Wenna\n  description: Stooped.\n  room: gate\n  carries: [pick]\n"
    quests = QUARRY_QUESTS + (
        "    - {id: mitten, text: Find the mitten., trigger: {hold: mitten}}\n"  # line 8
        "    - {id: glove, text: Find the glove., trigger: {hold: glove}}\n"
        "    - {id: pick, text: Get the pick., trigger: {hold: pick}}\n"
    )
    nowhere = (
        "but it has no way into the world: no room's items, feature's reveals, NPC's"
        " carries, drops or shop, class's start_items or quest's reward names it, so no"
        " player can ever hold it"
    )
    fix = " (put it in the items of a room, or give it to one of those)"
    step = "quarry/quests.yaml:{}: quest 'foreman': step '{}' needs 'quarry:{}' in hand, "
    assert found(write(tmp_path, items=items, npcs=npcs, quests=quests)) == [
        step.format(8, "mitten", "mitten") + nowhere + fix,
        step.format(9, "glove", "glove") + nowhere + fix,
        step.format(10, "pick", "pick") + nowhere + " ('quarry:wenna' carries it, but has no"
        " stats: it cannot be fought, so it never leaves it)" + fix,
    ]
    # Each in the world one way or another: the mitten in a room, the glove a reward,
    # the pick on a foe that can be fought; the glove, one of its kind that nothing
    # brings back, is then rightly warned about.
    rooms = ROOMS.replace("items: [oatcake]", "items: [oatcake, mitten]")
    quests += "  reward: {items: [glove]}\n"
    fought = npcs + "  hostile: true\n  stats: {hp: 5, ac: 10, attack_bonus: 1, damage: 1d4}\n"
    assert found(
        write(tmp_path, "placed", rooms=rooms, items=items, npcs=fought, quests=quests)
    ) == [
        "placed/quests.yaml:10: warning: quest 'foreman': step 'pick' needs 'quarry:pick' in"
        " hand, but only one exists and nothing brings it back: a player who comes after it"
        " was taken can never finish the quest (mark it 'unique: per_player', or give its"
        " area a 'reset')",
    ]


# --------------------------------------------------------------------------- 8. reachability


def test_a_room_no_way_leads_to_is_warned_with_the_quest_step_that_needs_it(
    tmp_path: Path,
) -> None:
    # Played (Lanternfall): a loft no stair reached, and the step that sent players there,
    # passed. Ways in that count: a door (its key may be found), a hidden exit a feature
    # reveals, a link of another pack; and the safe room, where the fallen are carried.
    rooms = ROOMS.replace(
        "    south: gate\n", "    south: gate\n    down: {to: pit, hidden: true}\n"
    )
    rooms += (
        "  features:\n"
        "    slate:\n"
        "      description: Loose slate.\n"
        "      check: {skill: perception, dc: 10}\n"
        "      reveals: {exit: down}\n"
        "pit:\n  name: The Pit\n  description: Deep.\n"
        "  exits: {up: floor, east: {to: shed, door: {locked: true, pick_dc: 12}}}\n"
        "shed:\n  name: The Shed\n  description: Tools.\n  exits: {west: pit}\n"
        "hut:\n  name: The Hut\n  safe: true\n  description: Warm.\n  exits: {out: gate}\n"
        "loft:\n  name: The Loft\n  description: Dusty.\n  exits: {down: gate}\n"  # line 32
        "kiln:\n  name: The Kiln\n  description: Cold.\n"  # line 36
    )
    quests = QUARRY_QUESTS + "    - {id: loft, text: Climb to the loft., trigger: {enter: loft}}\n"
    pack_yaml = PACK + "rules: {down: carry, safe_room: hut}\n"
    assert found(write(tmp_path, pack=pack_yaml, rooms=rooms, quests=quests)) == [
        "quarry/rooms.yaml:32: warning: room 'loft': no way leads here from the world's start"
        " 'quarry:gate': nobody can ever come here, nor finish quest 'foreman', whose step"
        " 'loft' needs it (give a room players can reach an exit to it)",
        "quarry/rooms.yaml:36: warning: room 'kiln': no way leads here from the world's start"
        " 'quarry:gate': nobody can ever come here (give a room players can reach an exit"
        " to it)",
    ]
    # A way in from another pack: the annex's yard leads to the kiln, and the annex's
    # link from the quarry floor to its yard; the gate now leads up to the loft.
    annex = write(
        tmp_path,
        "annex",
        pack="id: annex\nname: Annex\nversion: '1'\ndescription: More.\nstart: yard\n"
        "links: [{from: quarry:floor, direction: east, to: yard}]\n",
        rooms="yard:\n  name: Yard\n  description: Mud.\n"
        "  exits: {west: quarry:floor, east: quarry:kiln}\n",
        items=None,
        classes=None,
    )
    up = rooms.replace("  exits:\n    north: floor\n", "  exits:\n    north: floor\n    up: loft\n")
    linked = write(tmp_path, "linked", pack=pack_yaml, rooms=up, quests=quests)
    assert found(linked, annex) == []
    # An exit in error may be the missing way: only the error is reported.
    typo = rooms.replace("    north: floor\n", "    north: floor\n    up: lfot\n")
    assert found(write(tmp_path, "typo", pack=pack_yaml, rooms=typo, quests=quests)) == [
        "typo/rooms.yaml:7: room 'gate': exit 'up' -> 'quarry:lfot': no such room"
        " (did you mean 'quarry:loft'?)"
    ]


def test_a_locked_door_whose_key_lies_only_beyond_it_is_warned(tmp_path: Path) -> None:
    # Played (Lanternfall): the guide's checklist asks for "a locked door whose key lies
    # somewhere reachable without it"; a key put beyond its own gate passed.
    rooms = (
        "gate:\n"
        "  name: The Quarry Gate\n"
        "  safe: true\n"
        "  description: A sagging gate.\n"
        "  exits:\n"
        "    north: {to: floor, door: {name: gate, locked: true, key: iron_key}}\n"  # line 6
        "    east: {to: shed, door: {name: shed door, locked: true}}\n"
        "    west: {to: yard, door: {name: wicket, locked: true, key: brass_key}}\n"
        "    up: {to: loft, door: {name: hatch, locked: true, key: bone_key}}\n"
        "floor:\n  name: Floor\n  description: Slate.\n  exits: {south: gate}\n"
        "  items: [oatcake, iron_key]\n"
        "shed:\n  name: Shed\n  description: Tools.\n  exits: {west: gate}\n"
        "yard:\n  name: Yard\n  description: Mud.\n  exits: {east: gate}\n"
        "loft:\n  name: Loft\n  description: Dust.\n  exits: {down: gate}\n"
    )
    items = ITEMS + "".join(
        f"{key}:\n  kind: key\n  name: {key.replace('_', ' ')}\n  description: A key.\n"
        for key in ("iron_key", "brass_key", "bone_key")
    )
    npcs = (
        "rat:\n  name: rat\n  description: Big.\n  room: loft\n  hostile: true\n"
        "  stats: {hp: 3, ac: 10, attack_bonus: 1, damage: 1d4}\n  drops: [bone_key]\n"
    )
    never = "nobody can ever open it from this side"
    beyond = "(put the key on this side, or give the door a pick_dc or force_dc)"
    assert found(write(tmp_path, rooms=rooms, items=items, npcs=npcs)) == [
        "quarry/rooms.yaml:6: warning: room 'gate': exit 'north': the gate is locked and its"
        f" key 'quarry:iron_key' lies in 'quarry:floor', beyond it: {never} {beyond}",
        "quarry/rooms.yaml:7: warning: room 'gate': exit 'east': the shed door is locked, has"
        f" no key and cannot be picked or forced: {never} (give it a key (key: ...), a"
        " pick_dc or a force_dc)",
        "quarry/rooms.yaml:8: warning: room 'gate': exit 'west': the wicket is locked and"
        f" nothing brings its key 'quarry:brass_key' into the world: {never} (put the key in"
        " the items of a room on this side, or give the door a pick_dc or force_dc)",
        "quarry/rooms.yaml:9: warning: room 'gate': exit 'up': the hatch is locked and its"
        f" key 'quarry:bone_key' is dropped by 'quarry:rat', beyond it: {never} {beyond}",
    ]
    # Each key had this side: the iron key lying by the gate, the shed door forced, the
    # brass key in a calling's kit, the bone key a reward for coming to the gate.
    fixed = (
        rooms.replace("items: [oatcake, iron_key]", "items: [oatcake]")
        .replace(
            "  description: A sagging gate.\n",
            "  description: A sagging gate.\n  items: [iron_key]\n",
        )
        .replace("locked: true}}\n    west", "locked: true, force_dc: 14}}\n    west")
    )
    classes = CLASSES + "  start_items: [brass_key]\n"
    quests = QUARRY_QUESTS + "  reward: {items: [bone_key]}\n"
    assert (
        found(
            write(
                tmp_path,
                "fixed",
                rooms=fixed,
                items=items,
                npcs=npcs,
                classes=classes,
                quests=quests,
            )
        )
        == []
    )


# --------------------------------------------------------------------------- 9. one slip, one error


def test_a_rooms_file_that_cannot_be_read_gives_only_its_own_error(tmp_path: Path) -> None:
    # Played (Lanternfall): one tab in rooms.yaml also gave "reset: no room has area ...",
    # "narration: no room has area ..." in pack.yaml and a warning that the boss, whose
    # area resets, never came back: the builder was sent three places for one slip.
    pack_yaml = PACK + (
        "reset:\n  every: 900\n  areas:\n    The Pit: {every: 1800}\n"
        "narration:\n  sounds: [dripping water]\n  areas:\n    The Pit: {sounds: [a bell]}\n"
    )
    rooms = ROOMS.replace(
        "  name: The Quarry Floor\n", "  name: The Quarry Floor\n  area: The Pit\n"
    )
    npcs = (
        "eater:\n  name: slate-eater\n  description: Pale.\n  room: floor\n  hostile: true\n"
        "  boss: true\n  stats: {hp: 10, ac: 12, attack_bonus: 3, damage: 1d6}\n"
    )
    quests = QUARRY_QUESTS + "    - {id: eater, text: Beat it., trigger: {defeat: eater}}\n"
    assert found(write(tmp_path, pack=pack_yaml, rooms=rooms, npcs=npcs, quests=quests)) == []
    tabbed = rooms.replace("    south: gate", "\tsouth: gate")
    assert found(
        write(tmp_path, "tab", pack=pack_yaml, rooms=tabbed, npcs=npcs, quests=quests)
    ) == [
        "tab/rooms.yaml:12: YAML error: found character '\\t' that cannot start any token"
        " (indent with spaces, not tabs)"
    ]
    quoted = rooms.replace("description: Broken slate.", 'description: "Broken slate.')
    lines = found(write(tmp_path, "quote", pack=pack_yaml, rooms=quoted, npcs=npcs, quests=quests))
    assert len(lines) == 1 and lines[0].startswith("quote/rooms.yaml:10: YAML error: a quote"), (
        lines
    )


# --------------------------------------------------------------------------- 10. fixes told


def test_a_hit_die_written_as_a_number_is_told_how_to_write_it(tmp_path: Path) -> None:
    # Played (Lanternfall): "'hit_die' must be text, not a number (put it in quotes)";
    # quoted, "must be one of d4, d6, d8, d10, d12, not '10'": the fix is d10.
    classes = (
        CLASSES.replace("hit_die: d10", "hit_die: 10")
        + CLASSES.replace("fighter:", "rogue:").replace("hit_die: d10", "hit_die: 7")
        + CLASSES.replace("fighter:", "monk:").replace("hit_die: d10", "hit_die: '8'")
    )
    assert found(write(tmp_path, classes=classes)) == [
        "quarry/classes.yaml:4: class 'fighter': 'hit_die' is a die, not a number: write d10",
        "quarry/classes.yaml:10: class 'rogue': 'hit_die' is a die, not a number: write one"
        " of d4, d6, d8, d10, d12",
        "quarry/classes.yaml:16: class 'monk': 'hit_die' must be one of d4, d6, d8, d10, d12,"
        " not '8' (write d8)",
    ]


def test_bad_dice_are_told_once_with_the_form(tmp_path: Path) -> None:
    # Played (Lanternfall): "bad dice '1d6+': 1d6+: unexpected end at position 5".
    items = ITEMS.replace("{heal: 1d4}", "{heal: 1d4+}")
    pack = write(tmp_path, items=items)
    result = mud("check", str(pack))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{pack}/items.yaml:3: item 'oatcake': effect: heal: bad dice '1d4+': it ends after"
        " '+' (write dice like 1d6, 2d4+1, 1d8-1)"
    ]


def test_an_unknown_item_kind_is_one_error_with_the_kind_meant(tmp_path: Path) -> None:
    # Played (Lanternfall): "kind: armor" also gave "'armour_class' does not apply to
    # kind 'misc'", a kind the builder never wrote.
    items = ITEMS + (
        "jerkin:\n  kind: armor\n  armour_class: 11\n  name: jerkin\n  description: Fur.\n"
    )
    assert found(write(tmp_path, items=items)) == [
        "quarry/items.yaml:7: item 'jerkin': 'kind' must be one of weapon, armour, shield,"
        " consumable, key, treasure, coins, misc, not 'armor' (did you mean 'armour'?)"
    ]
    # A kind that is one is judged as before.
    misc = items.replace("kind: armor", "kind: misc")
    assert found(write(tmp_path, "misc", items=misc)) == [
        "misc/items.yaml:8: item 'jerkin': 'armour_class' does not apply to kind 'misc'"
    ]


def test_a_trigger_written_as_text_is_shown_as_a_mapping(tmp_path: Path) -> None:
    # Played (Lanternfall): "trigger: enter novice_cell" was "trigger: expected a mapping
    # of keys, got text", and the form to write was nowhere.
    quests = QUARRY_QUESTS.replace("trigger: {enter: gate}", "trigger: enter gate") + (
        "    - {id: floor, text: Go on., trigger: the floor}\n"
    )
    assert found(write(tmp_path, quests=quests)) == [
        "quarry/quests.yaml:7: quest 'foreman': step 'gate': 'trigger' must be a mapping, not"
        " text: write trigger: {enter: gate}",
        "quarry/quests.yaml:8: quest 'foreman': step 'floor': 'trigger' must be a mapping, not"
        " text: write trigger: {enter: room}, or another of enter, hold, defeat, check, escort",
    ]


def test_a_reference_to_something_of_another_kind_says_what_it_is(tmp_path: Path) -> None:
    # Played (Lanternfall): "trigger: {enter: pell}" was "no such room", not that Pell is
    # an NPC, to be brought home or found where she waits.
    npcs = (
        "wenna:\n  name: Old Wenna\n  description: Stooped.\n  room: floor\n"
        "  escort: {to: gate}\n"
        "eater:\n  name: slate-eater\n  description: Pale.\n  room: floor\n  hostile: true\n"
        "  stats: {hp: 10, ac: 12, attack_bonus: 3, damage: 1d6}\n"
    )
    quests = QUARRY_QUESTS + (
        "    - {id: wenna, text: Find Wenna., trigger: {enter: wenna}}\n"  # line 8
        "    - {id: eater, text: Beat it., trigger: {hold: eater}}\n"
        "    - {id: cake, text: Eat., trigger: {defeat: oatcake}}\n"
    )
    rooms = ROOMS.replace("    north: floor\n", "    north: floor\n    up: wenna\n")
    assert found(write(tmp_path, rooms=rooms, npcs=npcs, quests=quests)) == [
        "quarry/rooms.yaml:7: room 'gate': exit 'up' -> 'quarry:wenna': no such room ('wenna'"
        " is an NPC, not a room)",
        "quarry/quests.yaml:8: quest 'foreman': step 'wenna': trigger: enter -> 'quarry:wenna':"
        " no such room ('wenna' is an NPC, not a room: write {escort: wenna} or {enter:"
        " floor}, the room it starts in)",
        "quarry/quests.yaml:9: quest 'foreman': step 'eater': trigger: hold -> 'quarry:eater':"
        " no such item ('eater' is an NPC, not an item: write {defeat: eater} or {enter:"
        " floor}, the room it starts in)",
        "quarry/quests.yaml:10: quest 'foreman': step 'cake': trigger: defeat ->"
        " 'quarry:oatcake': no such npc ('oatcake' is an item, not an NPC: write {hold:"
        " oatcake})",
    ]


# --------------------------------------------------------------------------- 11. the checklist


def test_a_start_that_is_not_safe_with_no_safe_room_is_warned(tmp_path: Path) -> None:
    # The guide's checklist asks for "a start room marked safe: true"; under the default
    # rules (no safe_room) the fallen are carried to the start, and nothing said so.
    rooms = ROOMS.replace("  safe: true\n", "", 1)
    pack = write(tmp_path, rooms=rooms)
    result = mud("check", str(pack))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{pack}/pack.yaml:5: warning: pack 'quarry': start 'quarry:gate' is not marked safe:"
        " true, and the rules name no safe_room: the fallen are carried there to wake with 1"
        " hit point, where a fight may start again (mark it safe: true, or name a safe room"
        " in rules: safe_room)",
        f"OK: {pack}",
    ]
    # A safe room of the rules is where they are carried instead.
    hut = rooms + "hut:\n  name: Hut\n  safe: true\n  description: Warm.\n  exits: {out: gate}\n"
    ruled = write(tmp_path, "ruled", rooms=hut, pack=PACK + "rules: {safe_room: hut}\n")
    assert mud("check", str(ruled)).stdout.splitlines() == [f"OK: {ruled}"]
    # A fragment loaded by a test or a tool is no world anyone falls in.
    assert found(pack) == []


def test_an_escort_to_the_room_the_npc_starts_in_is_warned(tmp_path: Path) -> None:
    # Asked along in the room its escort leads to, an NPC stays where it is: a step
    # {escort: npc} waits for it to be met elsewhere, on its wander route, or for ever.
    npcs = (
        "wenna:\n  name: Old Wenna\n  description: Stooped.\n  room: gate\n"
        "  escort: {to: gate}\n"  # line 5
        "harl:\n  name: Harl\n  description: Lost.\n  room: gate\n  wander: [floor]\n"
        "  escort: {to: gate}\n"  # line 11
        "tam:\n  name: Tam\n  description: Tired.\n  room: floor\n  escort: {to: gate}\n"
    )
    assert found(write(tmp_path, npcs=npcs)) == [
        "quarry/npcs.yaml:5: warning: npc 'wenna': escort: 'to' is 'quarry:gate', the room it"
        " starts in, so it can never be brought there: asked along there, it stays where it"
        " is (give 'to' the room it is to be brought to)",
        "quarry/npcs.yaml:11: warning: npc 'harl': escort: 'to' is 'quarry:gate', the room it"
        " starts in, so it can be brought there only when met away from it, on its wander"
        " route (give 'to' the room it is to be brought to)",
    ]
