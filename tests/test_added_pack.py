"""A builder's own pack beside Hollowmere: what the engine made of it.

Played on 2026-12-04 by a builder new to mud, who wrote "The Gorse Hill Quarry" (an
add-on north of the old mill: Old Wenna at the gate, a long crack in the cutting face
that hides the way into a hollow, a quest for the lost foreman) and played it over
telnet with a second character. The pack here is a small part of theirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from call import call
from enginerig import CONTENT, EngineRig

from mud.engine import lore
from mud.engine.effects import CharUpdate, SpawnItem
from mud.engine.sheet import new_sheet
from mud.engine.state import Character, World
from mud.world.loader import load_packs

PACK = {
    "pack.yaml": """
id: quarry
name: The Gorse Hill Quarry
version: "1.0"
description: An abandoned slate quarry on the hill above Hollowmere.
start: quarry_gate
requires: [hollowmere]
""",
    "rooms.yaml": """
quarry_gate:
  name: The Quarry Gate
  area: Gorse Hill
  description: A sagging gate hung with a rusted bell, and the quarry beyond it.
  exits:
    north: cutting_face
cutting_face:
  name: The Cutting Face
  area: Gorse Hill
  description: >-
    The cliff is stepped with half-split blocks, and a long crack runs down the face
    from top to bottom, breathing cold air.
  exits:
    south: quarry_gate
    in:
      to: crystal_hollow
      hidden: true
      description: A gap in the crack, just wide enough to squeeze through.
  features:
    crack:
      name: long crack
      aliases: [cliff, face, fissure]
      description: The crack is wider at the bottom than it looks.
      check: {skill: investigation, dc: 11, verbs: [search, squeeze, probe]}
      reveals: {exit: in}
      success: You feel along the crack until your hand finds empty air.
      failure: You run your hands along the cold slate but find only stone.
      seen: "{actor} finds a gap in the long crack."
crystal_hollow:
  name: The Crystal Hollow
  area: Gorse Hill
  description: Behind the crack the slate opens into a hollow lined with white quartz.
  exits:
    out: cutting_face
""",
    "items.yaml": """
oatcake:
  kind: consumable
  effect: {heal: 1d4}
  name: oatcake
  description: A hard round oatcake wrapped in a twist of paper.
""",
    "npcs.yaml": """
wenna:
  name: Old Wenna
  aliases: [wenna]
  description: A stooped woman in a man's coat, with slate dust in every line of her face.
  room: quarry_gate
  persona: Gruff, fond of the foreman though she would never say so.
  knows:
    - He carved his name into every bench in the quarry, did Harl.
    - She has kept the gate since the quarry opened, and her husband dug the adit.
    - He always said the hill was hollow.
""",
    "quests.yaml": """
the_lost_foreman:
  name: The Lost Foreman
  description: Old Wenna wants to know what became of Foreman Harl.
  steps:
    - id: face
      text: Search the crack in the cutting face.
      trigger: {check: cutting_face:crack}
    - id: hollow
      text: Squeeze through the crack and see what lies behind it.
      trigger: {enter: crystal_hollow}
  reward: {xp: 100, gold: 5, items: [oatcake]}
""",
}


@pytest.fixture
def world(tmp_path: Path) -> World:
    pack = tmp_path / "quarry"
    pack.mkdir()
    for name, text in PACK.items():
        (pack / name).write_text(text.lstrip())
    built = World(load_packs([CONTENT, pack]))
    built.seed_rooms()
    built.seed_npcs()
    return built


def _player(world: World, key: str, room: str = "quarry:cutting_face") -> Character:
    char = Character(key=key, name=key.title(), room=room)
    world.place(char)
    rig = EngineRig.__new__(EngineRig)
    rig.world = world
    for effect in new_sheet(world, char, "hollowmere:fighter"):
        if isinstance(effect, (CharUpdate, SpawnItem)):
            rig.apply([effect])
    return char


def test_a_found_crack_searched_by_its_own_word_tells_what_it_showed(world: World) -> None:
    # Played: after the find, "search the crack" rolled the room's WIS check and told
    # nothing, and a second player never saw the way it had shown.
    _player(world, "bob")
    _player(world, "alice")
    found = call(world, "bob", "search the crack", fallback=18)
    assert "A way in is revealed!" in found.lines("bob")
    again = call(world, "bob", "search the crack", fallback=18)
    assert "You feel along the crack until your hand finds empty air." in again.lines("bob")
    assert not any("check" in line for line in again.lines("bob"))
    later = call(world, "alice", "search crack", fallback=2)
    assert "You feel along the crack until your hand finds empty air." in later.lines("alice")
    assert not any("check" in line for line in later.lines("alice"))


@pytest.mark.parametrize(
    "line", ["enter the crack", "squeeze through the crack", "go through the gap"]
)
def test_a_found_way_is_taken_by_the_builders_words_for_it(world: World, line: str) -> None:
    # Played: "squeeze through the crack" and "go through the gap" were "There is no door
    # here.", "enter the crack" a deed for the DM; only "in" went in.
    bob = _player(world, "bob")
    call(world, "bob", "search the crack", fallback=18)
    went = call(world, "bob", line)
    assert bob.room == "quarry:crystal_hollow", went.lines("bob")


def test_a_hidden_way_is_not_taken_by_its_words_before_it_is_found(world: World) -> None:
    bob = _player(world, "bob")
    call(world, "bob", "go through the gap")
    assert bob.room == "quarry:cutting_face"


def test_what_an_npc_knows_of_others_is_not_said_as_of_themself(world: World) -> None:
    wenna = world.templates.npcs["quarry:wenna"]
    harl, gate, hollow = wenna.knows
    assert lore.pronoun_of(wenna) == "she"
    # Played: "I carved his name into every bench in the quarry, did Harl."
    assert lore.in_voice(harl, wenna) == harl
    # Played: "I have kept the gate since the quarry opened, and her husband dug the adit."
    assert lore.in_voice(gate, wenna) == (
        "I have kept the gate since the quarry opened, and my husband dug the adit."
    )
    assert lore.in_voice(hollow, wenna) == hollow  # a woman's "He" is someone else
    # Hollowmere's own facts are still said as of the NPC themself.
    crake = world.templates.npcs["hollowmere:crake"]
    fact = next(f for f in crake.knows if f.startswith("He ran lamp oil"))
    assert lore.in_voice(fact, crake).startswith("I ran lamp oil")


def test_what_now_answers_with_the_quest_begun_here_and_the_quest_named(world: World) -> None:
    # Played at the Cutting Face, The Lost Foreman begun: "what now?" told the way to
    # Hollowmere's first quest, never begun, seven rooms off.
    bob = _player(world, "bob")
    call(world, "bob", "search the crack", fallback=18)
    assert bob.quests.get("quarry:the_lost_foreman") == 1
    told = call(world, "bob", "what now?").lines("bob")
    assert any(line.startswith("Next: The Lost Foreman:") for line in told), told
    asked = call(world, "bob", "what do I do about the missing cartographer?").lines("bob")
    assert any(line.startswith("Next: The Missing Cartographer:") for line in asked), asked


def test_a_quests_reward_items_are_named_when_it_is_done(world: World) -> None:
    # Played: "Quest complete: The Lost Foreman! (+100 XP, +5 gold)", and the oatcake
    # in the pack without a word.
    _player(world, "bob")
    call(world, "bob", "search the crack", fallback=18)
    done = call(world, "bob", "in").lines("bob")
    assert "Quest complete: The Lost Foreman! (+100 XP, +5 gold, an oatcake)" in done, done
