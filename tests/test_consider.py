"""What MUD players reach for: consider, inventory marks, looking at another player.
One command at a time against the engine (tests/enginerig.py)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from mud.engine import game
from mud.engine.sheet import armour_class, attack_bonus, damage_dice
from tests.enginerig import EngineRig

H = "hollowmere:"


def test_hit_chance_follows_the_natural_1_and_20_rules() -> None:
    assert game.hit_chance(5, 12) == 14 / 20
    assert game.hit_chance(20, 1) == 19 / 20  # a natural 1 still misses
    assert game.hit_chance(-5, 30) == 1 / 20  # a natural 20 still hits


@given(st.integers(-5, 20), st.integers(1, 30))
def test_hit_chance_is_a_probability_that_falls_as_armour_rises(bonus: int, ac: int) -> None:
    chance = game.hit_chance(bonus, ac)
    assert 0.05 <= chance <= 0.95
    assert game.hit_chance(bonus, ac + 1) <= chance


def test_consider_reads_the_engines_numbers() -> None:
    rig = EngineRig()
    alice = rig.player("alice", "smugglers_tunnel", kit=True)
    rat = rig.world.templates.npcs[H + "bog_rat"]
    assert rat.stats is not None
    seen = rig.seen("alice", rig.run("alice", "consider rat"))
    assert len(seen) == 1
    mine = game.hit_chance(attack_bonus(rig.world, alice), rat.stats.ac)
    blow = game.average(damage_dice(rig.world, alice))
    need = math.ceil(rat.stats.hp / (mine * blow))
    theirs = game.hit_chance(rat.stats.attack_bonus, armour_class(rig.world, alice))
    lines = seen[0].splitlines()
    assert lines[0].startswith("The bog rat: ")
    assert f"You hit it {round(mine * 100)}% of the time for about {blow:g}" in seen[0]
    assert f"about {need} round" in seen[0]
    assert f"It hits you {round(theirs * 100)}% of the time" in seen[0]


def test_consider_names_a_person_and_calls_a_beast_it() -> None:
    # Played: "You hit it 70% of the time" of Crake, a man.
    rig = EngineRig()
    rig.player("alice", "mill_loft", kit=True)
    crake = rig.world.templates.npcs[H + "crake"]
    assert crake.stats is not None
    seen = rig.seen("alice", rig.run("alice", "consider crake"))[0]
    assert "You hit Crake " in seen and f"(Crake has {crake.stats.hp} HP)" in seen
    assert "Crake hits you " in seen and " it " not in seen


def test_consider_a_friendly_npc_and_no_one() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    assert rig.seen("alice", rig.run("alice", "con bessa")) == [
        "Bessa Thorn is not someone you could fight."
    ]
    assert rig.seen("alice", rig.run("alice", "consider ghost")) == ["You see no 'ghost' here."]


def test_inventory_marks_what_is_wielded_and_worn() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    seen = "\n".join(rig.seen("alice", rig.run("alice", "inventory")))
    assert "longsword (wielded)" in seen and "chain shirt (worn)" in seen
    assert "potion of healing\n" in seen + "\n" and "potion of healing (" not in seen


def test_look_at_a_player_shows_what_they_carry_openly() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    rig.player("bob", "common_room", kit=True)
    seen = rig.seen("alice", rig.run("alice", "look bob"))
    assert seen == [
        "You see Bob, Fighter 1, another traveller in these parts. "
        "Bob wields a longsword and wears a chain shirt."
    ]


def test_consider_beside_ones_group_weighs_the_groups_blows_and_hit_points() -> None:
    # Played (round 57, Lanternfall): "can we take it?" of the Unlit Abbot beside two
    # companions was told "a deadly fight: walk away", from the asker's blows alone.
    rig = EngineRig(pack="lanternfall")
    side = [
        rig.player("pip", "frozen_sanctum", "lanternfall:climber", kit=True),
        rig.player("sorrel", "frozen_sanctum", "lanternfall:lantern_monk", kit=True),
        rig.player("tess", "frozen_sanctum", "lanternfall:warden", kit=True),
    ]
    abbot = rig.world.templates.npcs["lanternfall:unlit_abbot"]
    assert abbot.stats is not None
    alone = rig.seen("tess", rig.run("tess", "consider abbot"))[0]
    assert "Together" not in alone
    for key in ("sorrel", "tess"):
        rig.apply(rig.run("pip", f"group invite {key}"))
        rig.apply(rig.run(key, "group accept"))
    seen = rig.seen("tess", rig.run("tess", "consider abbot"))[0].splitlines()
    dealt = sum(
        game.hit_chance(attack_bonus(rig.world, c), abbot.stats.ac)
        * game.average(damage_dice(rig.world, c))
        for c in side
    )
    need = math.ceil(rig.world.npcs["lanternfall:unlit_abbot"].hp / dealt)
    assert seen[-1].startswith(f"Together, the three of you: about {need} rounds to win; about")
    assert seen[-1].endswith("to fell you all.")
    # Its verdict is the group's: kinder than the one asker's alone.
    order = ["an easy", "a fair", "a close", "a dangerous", "a deadly"]
    rank = [next(i for i, v in enumerate(order) if v in text) for text in (seen[0], alone)]
    assert rank[0] < rank[1], (seen[0], alone)
