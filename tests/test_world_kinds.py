"""Tests for the pack kinds added for the campaign (classes, NPCs, quests, item kinds,
room features, pack rules and links): a valid pack builds the expected templates, and
each kind of mistake is reported as ``file:line: message`` on the line that holds it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.engine import search
from mud.engine.dice import DiceError, parse
from mud.engine.state import World
from mud.world.loader import check_packs, dice_shape_check, load_packs
from mud.world.model import SKILLS, Feature, Report, Room

PACK = """\
id: keep
name: The Keep
version: "1"
description: A small test pack.
start: hall
"""

ROOMS = """\
hall:
  name: Hall
  description: A hall.
  safe: true
  exits:
    north: yard
    down: {to: cellar, hidden: true}
  features:
    rug:
      description: A rug.
      check: {skill: perception, dc: 12, verbs: [Lift, search]}
      reveals: {exit: d}
yard:
  name: Yard
  description: A yard.
  exits: {south: hall, east: {to: gate, locked_by: key}}
  features:
    well:
      name: old well
      description: Deep.
      check: {ability: str, dc: 15}
      reveals: {item: potion}
      once: false
      shared: false
      success: You haul up a bottle.
cellar:
  name: Cellar
  description: Dark.
  exits: {up: hall}
gate:
  name: Gate
  description: Iron.
  exits: {west: yard}
"""

ITEMS = """\
sword:
  kind: weapon
  name: sword
  description: Sharp.
  damage: 1d8
mail:
  kind: armour
  name: mail
  description: Heavy.
  armour_class: 13
board:
  kind: shield
  name: board
  description: Wood.
  ac_bonus: 2
potion:
  kind: consumable
  name: potion
  description: Red.
  effect: {heal: 2d4+2}
water:
  kind: consumable
  name: water
  description: Holy.
  effect: {condition: blessed, rounds: 3}
key:
  kind: key
  name: key
  description: Iron.
"""

CLASSES = """\
fighter:
  name: Fighter
  description: Hits things.
  hit_die: d10
  abilities: {str: 16, dex: 12, con: 14, int: 10, wis: 10, cha: 8}
  armour_class: 10
  attack_ability: str
  start_items: [sword, mail]
  start_gold: 10
  proficient: [str, athletics]
"""

NPCS = """\
guard:
  name: guard
  aliases: [Soldier]
  description: Grim.
  room: yard
  wander: [yard, gate]
  hostile: true
  aggressive: true
  stats: {hp: 9, ac: 12, attack_bonus: 3, damage: 1d6+1, dex_mod: 1, xp: 50}
  carries: [key]
  drops: [potion]
  gold: 4
  respawn: 300
trader:
  name: trader
  description: Shrewd.
  room: hall
  persona: Chatty.
  knows: [The guard has the key.]
  shop: {sells: [potion, water], buy_rate: 0.25}
"""

QUESTS = """\
first:
  name: First
  description: Begin.
  steps:
    - id: look
      text: Search the rug.
      trigger: {check: hall:rug}
    - id: fight
      text: Beat the guard.
      trigger: {defeat: guard}
  reward: {xp: 50, gold: 5, items: [water]}
second:
  name: Second
  description: Go on.
  requires: [first]
  steps:
    - id: gate
      text: Go through the gate.
      trigger: {enter: gate}
    - id: hold
      text: Hold the key.
      trigger: {hold: key}
"""

FILES = {
    "pack.yaml": PACK,
    "rooms.yaml": ROOMS,
    "items.yaml": ITEMS,
    "classes.yaml": CLASSES,
    "npcs.yaml": NPCS,
    "quests.yaml": QUESTS,
}


def write(root: Path, folder: str = "keep", **files: str) -> Path:
    """Write the base pack into ``root/folder`` with ``files`` (name without .yaml)
    replacing the base files; returns the folder."""
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        text = files.get(name.removesuffix(".yaml"), text)
        (path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def engine_dice_check(text: str) -> str | None:
    try:
        parse(text)
    except DiceError as exc:
        return exc.message
    return None


def issues(*folders: Path) -> list[str]:
    """Issues as text, paths relative to the folders' parent."""
    found = check_packs(list(folders), dice_check=engine_dice_check)
    return [str(i).replace(f"{folders[0].parent}/", "") for i in found]


# --------------------------------------------------------------------------- valid


def test_the_base_pack_builds_every_kind(tmp_path: Path) -> None:
    world = load_packs([write(tmp_path)], dice_check=engine_dice_check)
    rug = world.rooms["keep:hall"].features["rug"]
    assert rug.check is not None
    assert (rug.check.ability, rug.check.skill, rug.check.verbs) == (
        "wis",
        "perception",
        ("lift", "search"),
    )
    assert rug.reveals is not None and rug.reveals.exit == "down"
    assert rug.once and rug.shared and rug.name == "rug"
    well = world.feature("keep:yard:well")
    assert well is not None and well.reveals is not None and well.reveals.item == "keep:potion"
    assert (well.once, well.shared) == (False, False)
    yard = search.features(World(world), "keep:yard")
    assert search.find(yard, "old").thing == search.Thing(
        "feature", well.id, well.name, (well.key.replace("_", " "), *well.aliases)
    )
    assert world.feature("keep:yard:nothing") is None and world.feature("keep:nowhere:x") is None
    items = world.items
    assert (items["keep:sword"].kind, items["keep:sword"].damage) == ("weapon", "1d8")
    assert items["keep:mail"].armour_class == 13 and items["keep:board"].ac_bonus == 2
    water = items["keep:water"].effect
    assert water is not None and (water.condition, water.rounds, water.heal) == ("blessed", 3, None)
    assert items["keep:water"].taste == ""  # none written
    assert items["keep:key"].kind == "key" and items["keep:key"].damage is None
    fighter = world.classes["keep:fighter"]
    assert fighter.hit_die == 10 and fighter.abilities["str"] == 16
    assert fighter.start_items == ("keep:sword", "keep:mail") and fighter.matches("fight")
    guard = world.npcs["keep:guard"]
    assert guard.stats is not None and guard.stats.damage == "1d6+1"
    assert guard.wander == ("keep:yard", "keep:gate") and guard.carries == ("keep:key",)
    guards = [search.Thing("npc", guard.id, guard.name, guard.aliases)]
    assert search.find(guards, "soldier").ok and not search.find(guards, "trader").ok
    trader = world.npcs["keep:trader"]
    assert trader.shop is not None and trader.shop.buy_rate == 0.25 and trader.stats is None
    second = world.quests["keep:second"]
    assert second.requires == ("keep:first",)
    assert [(s.trigger.kind, s.trigger.target) for s in world.quests["keep:first"].steps] == [
        ("check", "keep:hall:rug"),
        ("defeat", "keep:guard"),
    ]
    assert world.quests["keep:first"].reward.items == ("keep:water",)
    assert world.rules.down == "deathsaves" and world.rules.xp_thresholds is None


def test_a_pack_without_new_kinds_still_loads(tmp_path: Path) -> None:
    folder = write(tmp_path)
    for name in ("classes.yaml", "npcs.yaml", "quests.yaml"):
        (folder / name).unlink()
    world = load_packs([folder])
    assert not world.classes and not world.npcs and not world.quests


# --------------------------------------------------------------------------- items


def test_item_kind_errors(tmp_path: Path) -> None:
    items = ITEMS + textwrap.dedent(
        """\
        axe:
          kind: wepon
          name: axe
          description: Chop.
        club:
          kind: weapon
          name: club
          description: Thud.
        rock:
          name: rock
          description: Grey.
          damage: 1d4
          effect: {heal: 1d4}
          taste: Stony.
        vest:
          kind: armour
          name: vest
          description: Thin.
          armour_class: 31
        tin:
          kind: armour
          name: tin
          description: Tin.
        """
    )
    assert issues(write(tmp_path, items=items)) == [
        "keep/items.yaml:31: item 'axe': 'kind' must be one of weapon, armour, shield,"
        " consumable, key, treasure, coins, misc, not 'wepon' (did you mean 'weapon'?)",
        "keep/items.yaml:34: item 'club': a weapon needs 'damage'",
        "keep/items.yaml:41: item 'rock': 'damage' does not apply to kind 'misc'",
        "keep/items.yaml:42: item 'rock': 'effect' does not apply to kind 'misc'",
        "keep/items.yaml:43: item 'rock': 'taste' does not apply to kind 'misc'",
        "keep/items.yaml:48: item 'vest': 'armour_class' must be a whole number from 1 to 30",
        "keep/items.yaml:49: item 'tin': an armour needs 'armour_class' or 'ac_bonus'",
    ]


def test_item_effect_errors(tmp_path: Path) -> None:
    items = ITEMS + textwrap.dedent(
        """\
        both:
          kind: consumable
          name: both
          description: Too much.
          effect: {heal: 1d4, condition: blessed}
        sleepy:
          kind: consumable
          name: sleepy
          description: Zzz.
          effect:
            condition: asleep
        broth:
          kind: consumable
          name: broth
          description: Warm.
          effect: {heal: 1d4, rounds: 2}
        """
    )
    assert issues(write(tmp_path, items=items)) == [
        "keep/items.yaml:34: item 'both': effect: give exactly one of 'heal' or 'condition'",
        "keep/items.yaml:39: item 'sleepy': effect: missing required key 'rounds'",
        "keep/items.yaml:40: item 'sleepy': effect: 'condition' must be one of poisoned,"
        " stunned, prone, frightened, blessed, unseen, not 'asleep'",
        "keep/items.yaml:45: item 'broth': effect: 'rounds' goes with 'condition', not 'heal'",
    ]


def test_item_actions_are_checked_and_loaded(tmp_path: Path) -> None:
    items = ITEMS + textwrap.dedent(
        """\
        lamp:
          name: tin lamp
          description: Tin.
          actions:
            - verbs: [light, kindle]
              you: You light it.
              seen: "{actor} lights a lamp."
            - verbs: [light]
              you: Again.
            - verbs: [douse]
              you: You douse it.
              seen: "{actor} douses it for {target}."
        box:
          name: box
          description: A box.
          actions: {verbs: [open], you: It opens.}
        """
    )
    assert issues(write(tmp_path, items=items)) == [
        "keep/items.yaml:37: item 'lamp': 'light' is already a verb of this item",
        "keep/items.yaml:41: item 'lamp': '{target}' is not a name here (use {actor})",
        "keep/items.yaml:45: item 'box': 'actions' must be a list, not a mapping",
    ]
    good = ITEMS + textwrap.dedent(
        """\
        lamp:
          name: tin lamp
          description: Tin.
          actions:
            - verbs: [Light]
              you: You light it.
        """
    )
    world = load_packs([write(tmp_path / "good", items=good)])
    (action,) = world.items["keep:lamp"].actions
    assert action.verbs == ("light",) and action.you == "You light it." and action.seen == ""


def test_bad_dice_are_reported_by_the_given_check_and_by_the_fallback(tmp_path: Path) -> None:
    items = ITEMS.replace("damage: 1d8", "damage: 1d8+x").replace("2d4+2", "0d4")
    folder = write(tmp_path, items=items)
    assert issues(folder) == [
        "keep/items.yaml:5: item 'sword': damage: bad dice '1d8+x': unexpected 'x'",
        "keep/items.yaml:20: item 'potion': effect: heal: bad dice '0d4': zero dice",
    ]
    # Without the engine's check, the shape check still catches what is not dice at all.
    assert [str(i).replace(f"{tmp_path}/", "") for i in check_packs([folder])] == [
        "keep/items.yaml:5: item 'sword': damage: bad dice '1d8+x':"
        " not dice notation (write it like 1d6+1)",
    ]


# --------------------------------------------------------------------------- features


def test_feature_errors(tmp_path: Path) -> None:
    rooms = ROOMS + textwrap.dedent(
        """\
        attic:
          name: Attic
          description: Dusty.
          exits: {down: hall, west: {to: yard, hidden: true}}
          features:
            chest:
              description: A chest.
              check: {ability: luck, dc: 41}
              reveals: {exit: north}
            beam:
              description: A beam.
              check: {skill: perseption, dc: 10}
              reveals: {exit: down}
            box:
              description: A box.
              reveals: {item: gold}
            shelf:
              description: A shelf.
              check: {ability: int, dc: 10}
              reveals: {exit: west, item: potion}
            Bad Name:
              description: x
            nook:
              check: {ability: dex, dc: 5}
              reveals: A hidden stair.
        """
    )
    assert issues(write(tmp_path, rooms=rooms)) == [
        "keep/rooms.yaml:41: room 'attic': feature 'chest': check: 'ability' must be one of"
        " str, dex, con, int, wis, cha, not 'luck'",
        "keep/rooms.yaml:41: room 'attic': feature 'chest': check: 'dc' must be a whole number"
        " from 1 to 40",
        "keep/rooms.yaml:42: room 'attic': feature 'chest': reveals: exit: the room has no"
        " exit leading north",
        "keep/rooms.yaml:45: room 'attic': feature 'beam': check: 'skill' must be one of "
        + ", ".join(SKILLS)
        + ", not 'perseption' (did you mean 'perception'?)",
        "keep/rooms.yaml:46: room 'attic': feature 'beam': reveals: exit: the exit leading"
        " down is not hidden (add hidden: true)",
        "keep/rooms.yaml:49: room 'attic': feature 'box': 'reveals' needs a 'check' to find"
        " it with",
        "keep/rooms.yaml:49: room 'attic': feature 'box': reveals: item -> 'keep:gold':"
        " no such item",
        "keep/rooms.yaml:53: room 'attic': feature 'shelf': reveals: give exactly one of"
        " 'exit' or 'item'",
        "keep/rooms.yaml:54: room 'attic': feature id 'Bad Name' must be lowercase a-z, 0-9 and _",
        "keep/rooms.yaml:56: room 'attic': feature 'nook': missing required key 'description'",
        "keep/rooms.yaml:58: room 'attic': feature 'nook': reveals: expected a mapping of"
        " keys, got text",
    ]


def _attic(features: str) -> str:
    """The test pack's rooms and an attic (line 34 on) whose ``features`` are the given
    YAML (written as at column 0; its first line is line 39 of rooms.yaml)."""
    head = "attic:\n  name: Attic\n  description: Dusty.\n  exits: {down: hall}\n  features:\n"
    return ROOMS + head + textwrap.indent(textwrap.dedent(features), "    ")


def test_feature_seen_text_needs_a_check_and_names_only_the_actor(tmp_path: Path) -> None:
    rooms = _attic(
        """\
        chest:
          description: A chest.
          check: {ability: wis, dc: 10}
          seen: "{actor} opens the chest for {target}."
        beam:
          description: A beam.
          seen: "{actor} taps the beam."
        shelf:
          description: A shelf.
          check: {ability: int, dc: 10}
          seen: "{actor} finds a book on the shelf."
        """
    )
    assert issues(write(tmp_path, rooms=rooms)) == [
        "keep/rooms.yaml:42: room 'attic': feature 'chest': '{target}' is not a name here"
        " (use {actor})",
        "keep/rooms.yaml:45: room 'attic': feature 'beam': 'seen' needs a 'check' to succeed at",
    ]


def test_feature_actions_are_checked(tmp_path: Path) -> None:
    rooms = _attic(
        """\
        bell:
          description: A bell.
          check: {ability: wis, dc: 10, verbs: [search, ring]}
          actions:
            - verbs: [ring, toll]
              you: You ring it.
            - verbs: [toll]
              you: You toll it.
              seen: "{actor} tolls it for {target}."
            - verbs: []
              you: Nothing.
            - verbs: [strike]
        rope:
          description: A rope.
          actions: {verbs: [pull], you: You pull it.}
        """
    )
    # The same verb again for a quest finished ('after') is no clash; an 'after' that
    # is no quest is named.
    told = _attic(
        """        lamp:
          description: A lamp.
          actions:
            - verbs: [light]
              you: It will not take.
            - verbs: [light]
              after: nowhere
              you: It takes.
            - verbs: [light]
              after: nowhere
              you: It takes again.
        """
    )
    assert issues(write(tmp_path, rooms=told)) == [
        "keep/rooms.yaml:45: room 'attic': feature 'lamp': after -> 'keep:nowhere': no such quest",
        "keep/rooms.yaml:47: room 'attic': feature 'lamp': 'light' is already a verb of this"
        " feature",
        "keep/rooms.yaml:48: room 'attic': feature 'lamp': after -> 'keep:nowhere': no such quest",
    ]
    assert issues(write(tmp_path, rooms=rooms)) == [
        "keep/rooms.yaml:43: room 'attic': feature 'bell': 'ring' is already a verb of this"
        " feature",
        "keep/rooms.yaml:45: room 'attic': feature 'bell': 'toll' is already a verb of this"
        " feature",
        "keep/rooms.yaml:47: room 'attic': feature 'bell': '{target}' is not a name here"
        " (use {actor})",
        "keep/rooms.yaml:48: room 'attic': feature 'bell': an action needs at least one verb",
        "keep/rooms.yaml:50: room 'attic': feature 'bell': missing required key 'you'",
        "keep/rooms.yaml:53: room 'attic': feature 'rope': 'actions' must be a list, not a mapping",
    ]


def test_feature_matches_its_name_key_and_aliases() -> None:
    report = Report()
    room = Room.from_mapping(
        "p",
        "hall",
        {
            "name": "Hall",
            "description": "A hall.",
            "features": {"loose_stone": {"description": "Loose.", "aliases": ["Hearth"]}},
        },
        path=("hall",),
        report=report,
    )
    assert report.problems == [] and room is not None
    stone = room.features["loose_stone"]
    assert isinstance(stone, Feature) and stone.name == "loose stone"
    # Found by the one rule every command uses (``mud.engine.search``): the name, the
    # key with "_" as a space, an alias, or prefixes of their words.
    things = [
        search.Thing("feature", f.id, f.name, (f.key.replace("_", " "), *f.aliases))
        for f in room.features.values()
    ]
    for word in ("loose stone", "stone", "lo st", "HEARTH", "hea"):
        found = search.find(things, word).thing
        assert found is not None and room.features[found.ref.rpartition(":")[2]] is stone
    assert not search.find(things, "").ok and search.find(things, "bell").thing is None


# --------------------------------------------------------------------------- classes


def test_class_errors(tmp_path: Path) -> None:
    classes = CLASSES + textwrap.dedent(
        """\
        wizard:
          name: Wizard
          description: Reads.
          hit_die: d7
          abilities: {str: 8, dex: 31, int: 16, wis: 12, cha: 10, luck: 3}
          armour_class: 0
          attack_ability: int
          start_items: [staff]
          start_gold: -1
          proficient: [arcane, int]
        monk:
          name: Monk
          description: Calm.
          hit_die: 8
          attack_ability: dex
        """
    )
    assert issues(write(tmp_path, classes=classes)) == [
        "keep/classes.yaml:14: class 'wizard': 'hit_die' must be one of d4, d6, d8, d10, d12,"
        " not 'd7'",
        "keep/classes.yaml:15: class 'wizard': abilities: unknown key 'luck'",
        "keep/classes.yaml:15: class 'wizard': abilities: 'dex' must be a whole number from"
        " 1 to 30",
        "keep/classes.yaml:15: class 'wizard': abilities: missing required key 'con'",
        "keep/classes.yaml:16: class 'wizard': 'armour_class' must be a whole number from 1 to 30",
        "keep/classes.yaml:17: class 'wizard': 'attack_ability' must be one of str, dex, not 'int'",
        "keep/classes.yaml:18: class 'wizard': start_items -> 'keep:staff': no such item",
        "keep/classes.yaml:19: class 'wizard': 'start_gold' must be a whole number, 0 or more",
        "keep/classes.yaml:20: class 'wizard': 'proficient': 'arcane' is not an ability or"
        " skill (did you mean 'arcana'?)",
        "keep/classes.yaml:21: class 'monk': missing required key 'abilities'",
        "keep/classes.yaml:24: class 'monk': 'hit_die' is a die, not a number: write d8",
    ]


# --------------------------------------------------------------------------- npcs


def test_npc_errors(tmp_path: Path) -> None:
    npcs = NPCS + textwrap.dedent(
        """\
        ghost:
          name: ghost
          description: Boo.
          room: attic
          wander: [hall, 5]
          aggressive: true
          boss: true
        brute:
          name: brute
          description: Big.
          room: yard
          hostile: true
          stats: {hp: 0, ac: 31, attack_bonus: 3, damage: 1d6+zz}
          shop: {sells: [gold], buy_rate: 2, round: torch}
          respawn: -5
        lurker:
          name: lurker
          description: Lurks.
          room: hall
          hostile: true
          aggressive: true
          stats: {hp: 5, ac: 10, attack_bonus: 1, damage: 1d4}
        """
    )
    assert issues(write(tmp_path, npcs=npcs)) == [
        "keep/npcs.yaml:24: npc 'ghost': room -> 'keep:attic': no such room",
        "keep/npcs.yaml:25: npc 'ghost': wander: a number is not a valid room id"
        " (lowercase a-z, 0-9, _; pack:id)",
        "keep/npcs.yaml:25: npc 'ghost': an aggressive NPC cannot be in safe room 'keep:hall'",
        "keep/npcs.yaml:26: npc 'ghost': an aggressive NPC must also be hostile",
        "keep/npcs.yaml:27: npc 'ghost': a boss must be hostile",
        "keep/npcs.yaml:33: npc 'brute': stats: 'hp' must be a whole number from 1 to 1000",
        "keep/npcs.yaml:33: npc 'brute': stats: 'ac' must be a whole number from 1 to 30",
        "keep/npcs.yaml:33: npc 'brute': stats: damage: bad dice '1d6+zz': unexpected 'z'",
        "keep/npcs.yaml:34: npc 'brute': shop: 'buy_rate' must be from 0 to 1",
        "keep/npcs.yaml:34: npc 'brute': shop: 'round' must be one of the wares in 'sells'",
        "keep/npcs.yaml:34: npc 'brute': a hostile NPC cannot keep a shop",
        "keep/npcs.yaml:34: npc 'brute': shop: sells -> 'keep:gold': no such item",
        "keep/npcs.yaml:34: npc 'brute': shop: round -> 'keep:torch': no such item",
        "keep/npcs.yaml:35: npc 'brute': 'respawn' must be a number of seconds (0 or more) or"
        " never, not -5",
        "keep/npcs.yaml:39: npc 'lurker': an aggressive NPC cannot be in safe room 'keep:hall'",
    ]


def test_what_an_npc_accepts_is_checked_and_loaded(tmp_path: Path) -> None:
    npcs = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          accepts:
            - item: potion
              says: My thanks.
            - item: ring
              says: Not mine.
            - item: water
        hermit:
          name: hermit
          description: Alone.
          room: hall
          accepts: {item: potion, says: No.}
        """
    )
    found = issues(write(tmp_path, npcs=npcs))
    assert found == [
        "keep/npcs.yaml:28: npc 'widow': accepts: item -> 'keep:ring': no such item",
        "keep/npcs.yaml:30: npc 'widow': accepts: missing required key 'says'",
        "keep/npcs.yaml:35: npc 'hermit': 'accepts' must be a list, not a mapping",
    ], found
    good = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          accepts:
            - {item: potion, says: My thanks.}
        """
    )
    world = load_packs([write(tmp_path / "good", npcs=good)])
    (taken,) = world.npcs["keep:widow"].accepts
    assert taken.item == "keep:potion" and taken.says == "My thanks."


def test_an_npc_s_replies_are_checked_and_yes_and_no_read_as_words(tmp_path: Path) -> None:
    npcs = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          greeting: Did you see my son?
          replies:
            yes: Then he lives.
            no: Then keep looking.
            the lamp: Bright.
            ask: [not, text]
        hermit:
          name: hermit
          description: Alone.
          room: hall
          replies: {yes: Good.}
        """
    )
    found = issues(write(tmp_path, npcs=npcs))
    assert found == [
        "keep/npcs.yaml:29: npc 'widow': a reply is keyed by one word of the answer: yes, no,"
        " or a word it holds ('light' for 'I came to light a lamp')",
        "keep/npcs.yaml:30: npc 'widow': reply 'ask' must be text",
        "keep/npcs.yaml:35: npc 'hermit': 'replies' answer the question the greeting asks:"
        " give it a 'greeting'",
    ], found
    good = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          greeting: Did you see my son?
          replies:
            yes: Then he lives.
            No: >-
              Then keep
              looking.
            Light: A lamp, then.
          lodging: >-
            The loft is
            yours.
        """
    )
    world = load_packs([write(tmp_path / "good", npcs=good)])
    assert world.npcs["keep:widow"].lodging == "The loft is yours."
    assert dict(world.npcs["keep:widow"].replies) == {
        "yes": "Then he lives.",
        "no": "Then keep looking.",
        "light": "A lamp, then.",
    }


def test_what_an_npc_says_of_a_thing_taken_is_checked(tmp_path: Path) -> None:
    npcs = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          guards:
            ring: Not that!
            potion: [not, text]
        hermit:
          name: hermit
          description: Alone.
          room: hall
          guards: [potion]
        """
    )
    found = issues(write(tmp_path, npcs=npcs))
    assert found == [
        "keep/npcs.yaml:26: npc 'widow': guards -> 'keep:ring': no such item",
        "keep/npcs.yaml:27: npc 'widow': what it says of 'potion' must be text",
        "keep/npcs.yaml:32: npc 'hermit': 'guards' must be a mapping, not a list",
    ], found
    good = NPCS + "widow:\n  name: widow\n  description: W.\n  room: hall\n"
    good += "  guards:\n    potion: >-\n      Put that\n      down.\n"
    world = load_packs([write(tmp_path / "good", npcs=good)])
    assert dict(world.npcs["keep:widow"].guards) == {"keep:potion": "Put that down."}


def test_a_fact_told_after_or_until_a_quest_is_checked(tmp_path: Path) -> None:
    npcs = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          knows:
            - Always true.
            - {says: Before the end., until: first}
            - {says: After it., after: nowhere}
            - {says: Whenever.}
            - [not, a, fact]
        """
    )
    found = issues(write(tmp_path, npcs=npcs))
    assert found == [
        "keep/npcs.yaml:28: npc 'widow': knows: after -> 'keep:nowhere': no such quest",
        "keep/npcs.yaml:29: npc 'widow': knows: a fact written as a mapping needs 'after' or"
        " 'until' (a quest id), or 'while_here' or 'unless_here' (an npc id)",
        "keep/npcs.yaml:30: npc 'widow': 'knows' entries must be text or a mapping, not a list",
    ], found
    good = NPCS + textwrap.dedent(
        """\
        widow:
          name: widow
          description: Waiting.
          room: hall
          knows:
            - Always true.
            - says: >-
                Before the
                end.
              until: first
            - {says: After it., after: second, until: first}
        """
    )
    widow = load_packs([write(tmp_path / "good", npcs=good)]).npcs["keep:widow"]
    assert widow.knows == ("Always true.", "Before the end.", "After it.")
    assert widow.knows_when == (("", ""), ("", "keep:first"), ("keep:second", "keep:first"))
    plain = NPCS + "widow:\n  name: w\n  description: W.\n  room: hall\n  knows: [A., B.]\n"
    assert load_packs([write(tmp_path / "plain", npcs=plain)]).npcs["keep:widow"].knows_when == ()


def test_hostile_npc_needs_stats(tmp_path: Path) -> None:
    npcs = NPCS + "rat:\n  name: rat\n  description: Small.\n  room: yard\n  hostile: true\n"
    assert issues(write(tmp_path, npcs=npcs)) == [
        "keep/npcs.yaml:21: npc 'rat': a hostile NPC needs 'stats'"
    ]


# --------------------------------------------------------------------------- quests


def test_quest_errors(tmp_path: Path) -> None:
    quests = QUESTS + textwrap.dedent(
        """\
        third:
          name: Third
          description: Broken.
          requires: [third, fourth]
          steps:
            - id: both
              text: Two at once.
              trigger: {enter: hall, hold: key}
            - id: none
              text: Nothing.
              trigger: {}
            - id: odd
              text: Odd.
              trigger: {visit: hall}
            - id: feel
              text: Feel the wall.
              trigger: {check: hall:wall}
            - id: feel
              text: Again.
              trigger: {check: rug}
            - id: beat
              text: Beat a ghost.
              trigger: {defeat: ghost}
            - text: No id.
              trigger: {enter: yard}
        empty:
          name: Empty
          description: Nothing to do.
          steps: []
        """
    )
    assert issues(write(tmp_path, quests=quests)) == [
        "keep/quests.yaml:26: quest 'third': a quest cannot require itself",
        "keep/quests.yaml:26: quest 'third': requires -> 'keep:fourth': no such quest",
        "keep/quests.yaml:30: quest 'third': step 'both': trigger: give exactly one of"
        " enter, hold, defeat, check, escort",
        "keep/quests.yaml:33: quest 'third': step 'none': trigger: give exactly one of"
        " enter, hold, defeat, check, escort",
        "keep/quests.yaml:36: quest 'third': step 'odd': trigger: unknown key 'visit'",
        "keep/quests.yaml:36: quest 'third': step 'odd': trigger: give exactly one of"
        " enter, hold, defeat, check, escort",
        "keep/quests.yaml:39: quest 'third': step 'feel': trigger: check ->"
        " 'keep:hall:wall': no such feature",
        "keep/quests.yaml:42: quest 'third': step 'feel': trigger: check: 'rug' is not a valid"
        " feature id (lowercase a-z, 0-9, _; room:feature or pack:room:feature)",
        "keep/quests.yaml:45: quest 'third': step 'beat': trigger: defeat -> 'keep:ghost':"
        " no such npc",
        "keep/quests.yaml:46: quest 'third': step 7: missing required key 'id'",
        "keep/quests.yaml:51: quest 'empty': 'steps' must list at least one step",
    ]


def test_a_quest_ending_is_text(tmp_path: Path) -> None:
    quests = QUESTS + textwrap.dedent(
        """\
        told:
          name: Told
          description: It ends.
          steps:
            - {id: go, text: Go., trigger: {enter: hall}}
          ending: [not, text]
        """
    )
    assert issues(write(tmp_path, quests=quests)) == [
        "keep/quests.yaml:28: quest 'told': 'ending' must be text, not a list"
    ]
    fine = QUESTS.replace("  steps:", "  ending: You did it.\n  steps:", 1)
    assert issues(write(tmp_path, quests=fine)) == []


def test_duplicate_step_ids(tmp_path: Path) -> None:
    quests = QUESTS + textwrap.dedent(
        """\
        twice:
          name: Twice
          description: Again.
          steps:
            - {id: go, text: Go., trigger: {enter: hall}}
            - {id: go, text: Go again., trigger: {enter: yard}}
        """
    )
    assert issues(write(tmp_path, quests=quests)) == [
        "keep/quests.yaml:28: quest 'twice': a second step with id 'go'"
    ]


def test_quest_requirement_loops_are_reported_once(tmp_path: Path) -> None:
    step = "  steps: [{id: s, text: Go., trigger: {enter: hall}}]\n"
    quests = "".join(
        f"{name}:\n  name: {name}\n  description: D.\n  requires: [{needs}]\n{step}"
        for name, needs in (("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"))
    )
    # Only the loop a -> b -> c -> a is reported, once, on the line that closes it; d
    # merely depends on the loop.
    assert issues(write(tmp_path, quests=quests)) == [
        "keep/quests.yaml:14: quest 'c': requires form a loop: keep:a -> keep:b -> keep:c -> keep:a"
    ]


def test_quest_check_trigger_may_name_another_packs_feature(tmp_path: Path) -> None:
    keep = write(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "pack.yaml").write_text(PACK.replace("keep", "other").replace("hall", "den"))
    (other / "rooms.yaml").write_text("den:\n  name: Den\n  description: Snug.\n")
    (other / "quests.yaml").write_text(
        "q:\n  name: Q\n  description: D.\n"
        "  steps: [{id: a, text: b, trigger: {check: keep:hall:rug}}]\n"
    )
    world = load_packs([keep, other])
    assert world.quests["other:q"].steps[0].trigger.target == "keep:hall:rug"
    assert world.feature("keep:hall:rug") is not None


# --------------------------------------------------------------------------- pack rules and links


def test_pack_rules(tmp_path: Path) -> None:
    good = PACK + "rules: {down: carry, safe_room: hall, xp_thresholds: [0, 100, 300]}\n"
    world = load_packs([write(tmp_path, "good", pack=good)])
    assert world.rules.down == "carry" and world.rules.safe_room == "keep:hall"
    assert world.rules.xp_thresholds == (0, 100, 300)
    bad = PACK + "rules:\n  down: explode\n  safe_room: yard\n  xp_thresholds: [0, 50, 50]\n"
    bad += "  haste: 2\n"
    assert issues(write(tmp_path, "bad", pack=bad)) == [
        "bad/pack.yaml:7: pack 'keep': rules: 'down' must be one of deathsaves, carry,"
        " not 'explode'",
        "bad/pack.yaml:8: pack 'keep': rules: safe_room 'keep:yard' is not marked safe: true",
        "bad/pack.yaml:9: pack 'keep': rules: 'xp_thresholds' must be a list of 1 to 20"
        " whole numbers, starting at 0 and increasing",
        "bad/pack.yaml:10: pack 'keep': rules: unknown key 'haste'",
    ]


LINKS = PACK.replace("keep", "annex").replace("start: hall", "start: porch") + textwrap.dedent(
    """\
    links:
      - from: keep:hall
        direction: e
        to: porch
        description: A new door.
    """
)


def _annex(root: Path, pack: str = LINKS) -> Path:
    annex = root / "annex"
    annex.mkdir(exist_ok=True)
    (annex / "pack.yaml").write_text(pack, encoding="utf-8")
    (annex / "rooms.yaml").write_text(
        "porch:\n  name: Porch\n  description: Open.\n  exits: {west: keep:hall}\n",
        encoding="utf-8",
    )
    return annex


def test_links_add_exits_when_both_packs_are_loaded(tmp_path: Path) -> None:
    keep, annex = write(tmp_path), _annex(tmp_path)
    for order in ([keep, annex], [annex, keep]):
        world = load_packs(order)
        hall = world.rooms["keep:hall"]
        east = hall.exit("east")
        assert east is not None and east.to == "annex:porch" and east.description == "A new door."
        assert [e.direction for e in hall.exits] == ["north", "east", "down"]
        assert world.packs["annex"].links[0].from_room == "keep:hall"
    # The keep alone knows nothing of the annex.
    assert load_packs([keep]).rooms["keep:hall"].exit("east") is None


def test_a_link_into_a_pack_that_is_not_loaded_is_skipped(tmp_path: Path) -> None:
    pack = LINKS + "  - {from: elsewhere:room, direction: north, to: porch}\n"
    keep, annex = write(tmp_path), _annex(tmp_path, pack)
    assert issues(keep, annex) == []


def test_link_errors(tmp_path: Path) -> None:
    pack = LINKS + textwrap.dedent(
        """\
          - {from: keep:hall, direction: north, to: porch}
          - {from: keep:hal, direction: west, to: porch}
          - {from: hall, direction: sideways, to: nowhere, colour: red}
          - {from: keep:yard, direction: w, to: porch}
          - {from: keep:yard, direction: west, to: porch}
        links_extra: 1
        """
    )
    keep, annex = write(tmp_path), _annex(tmp_path, pack)
    assert issues(keep, annex) == [
        "annex/pack.yaml:11: pack 'annex': link from 'keep:hall': the room already has an"
        " exit north",
        "annex/pack.yaml:12: pack 'annex': link from 'keep:hal': no such room"
        " (did you mean 'keep:hall'?)",
        "annex/pack.yaml:13: pack 'annex': link: unknown key 'colour'",
        "annex/pack.yaml:13: pack 'annex': link: from: 'hall' must be a room id with its pack"
        " (pack:room)",
        "annex/pack.yaml:13: pack 'annex': link: unknown direction 'sideways'",
        "annex/pack.yaml:13: pack 'annex': link: to -> 'annex:nowhere': no such room",
        "annex/pack.yaml:15: pack 'annex': link from 'keep:yard': the room already has an"
        " exit west",
        "annex/pack.yaml:16: pack 'annex': unknown key 'links_extra' (did you mean 'links'?)",
    ]


# --------------------------------------------------------------------------- fallback dice check

DICE_TEXT = st.text(alphabet=st.sampled_from(list("0123456789dDkKhHlL%+- \tx")), max_size=14)


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(
        DICE_TEXT, st.from_regex(r"[1-9]?d(4|6|8|10|12|20)( ?[+-] ?[0-9])?", fullmatch=True)
    )
)
def test_the_fallback_accepts_everything_the_engine_accepts(text: str) -> None:
    try:
        parse(text)
    except DiceError:
        return
    assert dice_shape_check(text) is None, text


@pytest.mark.parametrize("text", ["", "d", "1d", "2d6+", "1d6 2", "x", "1d6+1d", "1d6kq1"])
def test_the_fallback_refuses_what_is_not_dice(text: str) -> None:
    assert dice_shape_check(text) is not None


def test_coins_are_a_kind_that_needs_nothing_more(tmp_path: Path) -> None:
    purse = textwrap.dedent(
        """\
        purse:
          name: little purse of coins
          description: A few coins.
          kind: coins
          value: 4
        """
    )
    items = textwrap.dedent(FILES["items.yaml"]) + purse
    assert issues(write(tmp_path, items=items)) == []
    world = load_packs([write(tmp_path, items=items)], dice_check=engine_dice_check)
    assert world.items["keep:purse"].kind == "coins"
