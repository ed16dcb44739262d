"""A room's builder actions against the words of a player's own things and powers: the
action is the room's when the line does it to the room, not to one's own things or to
someone here. Played in a new pack (round 56): "warm my hands at the fire" read "You try
to warm your hands at the fire." (the "my" of one's hands hid the hearth), and with the
healing power's verb "warm" too, "You see no 'hands at the fire' here."."""

from __future__ import annotations

from pathlib import Path

from mud.engine.commands import ALIASES, dispatch
from mud.engine.context import Ctx
from mud.engine.effects import CharUpdate, SpawnItem
from mud.engine.parser import parse
from mud.engine.sheet import new_sheet
from mud.engine.state import Character, World
from mud.hub.apply import apply_to_world
from mud.render.doc import render
from mud.world.loader import load_packs
from tests.enginerig import PLAIN, ScriptedRng

PACK = """\
id: hall
name: The Hall
version: "1.0"
description: A test hall.
start: hall
"""
ROOMS = """\
hall:
  name: The Hall
  description: A hall with a great hearth.
  safe: true
  features:
    hearth:
      name: great hearth
      aliases: [fire, hearth]
      description: Stone, and a fire in it.
      actions:
        - verbs: [warm]
          you: You hold your hands to the great fire until the feeling comes back.
          seen: "{actor} holds their hands out to the great fire."
"""
CLASSES = """\
monk:
  name: Monk
  description: Keeps a little flame.
  hit_die: d8
  abilities: {str: 10, dex: 10, con: 10, int: 10, wis: 14, cha: 10}
  armour_class: 10
  attack_ability: str
  start_items: []
  start_gold: 0
  powers:
    warmth:
      name: Warmth
      description: Warm the hurt back to life.
      verbs: [heal, warm]
      effect: {heal: 1d8}
      ability: wis
      uses: 2
"""


def _hall(tmp_path: Path) -> World:
    pack = tmp_path / "hall"
    pack.mkdir()
    (pack / "pack.yaml").write_text(PACK)
    (pack / "rooms.yaml").write_text(ROOMS)
    (pack / "classes.yaml").write_text(CLASSES)
    world = World(load_packs([pack]))
    world.seed_rooms()
    world.seed_npcs()
    for key in ("mira", "dov"):
        char = Character(key=key, name=key.title(), room="hall:hall")
        world.place(char)
        for effect in new_sheet(world, char, "hall:monk"):
            if isinstance(effect, (CharUpdate, SpawnItem)):
                apply_to_world(world, effect)
    return world


def _seen(world: World, line: str) -> list[str]:
    ctx = Ctx(now=0.0, rng=ScriptedRng([5]))
    effects = dispatch(world, world.chars["mira"], parse(line, ALIASES), ctx)
    return [
        render(e.doc, PLAIN).strip()
        for e in effects
        if getattr(e, "who", None) == "mira" and hasattr(e, "doc")
    ]


def test_a_rooms_action_is_done_with_ones_own_hands_and_beats_a_power_done_to_no_one(
    tmp_path: Path,
) -> None:
    world = _hall(tmp_path)
    told = "You hold your hands to the great fire until the feeling comes back."
    for line in ("warm my hands at the fire", "I warm my hands at the hearth"):
        assert _seen(world, line)[0] == told, line
    # The power is still the power, to oneself or to someone here.
    world.chars["mira"].hp = 1
    assert _seen(world, "warm me")[0].startswith("You use Warmth, and heal")
    assert _seen(world, "warm dov")[0] == "Dov is unhurt (8/8 HP)."


def test_a_powers_verb_alone_is_the_power_though_a_feature_here_answers_to_it() -> None:
    # Found in review (round 56): in Lanternfall's square, a Lantern Monk's "kindle" (Kindle
    # the Heart) lit the lantern post, whose action answers to "light" and so "kindle".
    from tests.call import call
    from tests.enginerig import EngineRig

    rig = EngineRig(pack="lanternfall")
    rig.player("mira", "pass_square", "lanternfall:lantern_monk")
    seen = call(rig.world, "mira", "kindle").lines("mira")
    assert seen[0] == "You use Kindle the Heart, and are blessed for 3 rounds.", seen
    seen = call(rig.world, "mira", "kindle the lantern post").lines("mira")
    assert seen[0].startswith("You strike a light and hold it to the frozen wick."), seen
