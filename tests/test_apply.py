"""mud.hub.apply (an effect's world change and what it changed) and the tick's rules in
mud.engine.reactions (respawn, wandering). Pure: no event loop, no hub."""

from __future__ import annotations

import attrs
import pytest
from enginerig import EngineRig
from hypothesis import given
from hypothesis import strategies as st

from mud.core.outputs import Doc
from mud.engine import game, reactions
from mud.engine.effects import (
    CharUpdate,
    DestroyItem,
    ForgetFeatures,
    Move,
    NpcUpdate,
    SetDoor,
    SetPrefs,
    SpawnItem,
    Tell,
    ToRoom,
    Transfer,
    UseFeature,
)
from mud.engine.state import FELL, with_deeds
from mud.hub.apply import DONE, NOTHING, Applied, apply_to_world

H = "hollowmere:"


def test_a_char_update_sets_typed_fields_and_says_what_to_show() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room")
    applied = apply_to_world(rig.world, CharUpdate("alice", hp=3, down=True))
    assert (char.hp, char.down) == (3, True)
    assert applied == Applied(chars=("alice",), vitals=("alice",))
    applied = apply_to_world(rig.world, CharUpdate("alice", gold=7, add_deeds=("defeat:x",)))
    assert (char.gold, char.deeds) == (7, ["defeat:x"])
    assert applied == Applied(chars=("alice",), status=("alice",))
    # A field left None is unchanged, and an update of nobody does nothing.
    assert char.hp == 3
    assert apply_to_world(rig.world, CharUpdate("nobody", hp=1)) == NOTHING


def test_deeds_made_from_one_read_in_one_turn_are_all_kept() -> None:
    # Two effects of one turn, both made before either was applied (a fight's end: the
    # fall of one bound where they lie, and the kill's quest credit): neither loses the
    # other's deed, whichever order the hub applies them in.
    for first, second in [(0, 1), (1, 0)]:
        rig = EngineRig()
        char = rig.player("alice", "common_room")
        char.deeds = ["check:hearth", "fell:a|a|the rat"]
        made = [
            CharUpdate("alice", add_deeds=("fell:shrine|shrine|the Warden",)),
            CharUpdate("alice", add_deeds=("defeat:warden", "check:hearth")),
        ]
        apply_to_world(rig.world, made[first])
        apply_to_world(rig.world, made[second])
        assert sorted(char.deeds) == [
            "check:hearth",
            "defeat:warden",
            "fell:shrine|shrine|the Warden",
        ]


_DEED = st.sampled_from(["check:a", "check:b", "defeat:c", "fell:x|x|y", "fell:z|z|y", "hold:k"])


@given(st.lists(_DEED, max_size=6), st.lists(_DEED, max_size=6))
def test_added_deeds_keep_order_once_each_and_the_last_fall(
    before: list[str], added: list[str]
) -> None:
    # A sheet's deeds: each once, one fall at most (the last).
    falls = [d for d in before if d.startswith(FELL)]
    start = [d for d in dict.fromkeys(before) if not d.startswith(FELL)] + falls[-1:]
    deeds = with_deeds(start, added)
    assert len(deeds) == len(set(deeds))
    # Every deed kept or added is there, but a fall only the last one.
    falls = [d for d in [*start, *added] if d.startswith(FELL)]
    assert [d for d in deeds if d.startswith(FELL)] == falls[-1:]
    assert {d for d in [*start, *added] if not d.startswith(FELL)} <= set(deeds)
    # What was there keeps its order, before what is new.
    kept = [d for d in start if not d.startswith(FELL)]
    assert [d for d in deeds if d in kept] == kept


def test_every_sheet_field_of_a_char_update_is_applied() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room")
    values = {
        "cls": H + "rogue",
        "level": 3,
        "xp": 900,
        "hp": 5,
        "max_hp": 20,
        "abilities": {"str": 8},
        "gold": 4,
        "equipment": {},
        "conditions": [("poisoned", 2)],
        "quests": {"q": 1},
        "revealed": ["r:down"],
        "hit_dice": 2,
        "down": True,
        "saves": (1, 2),
        "add_deeds": ("check:f",),
        "visited": [H + "cellar"],
        "powers_used": {"ysoldes_light": 1},
    }
    update = CharUpdate("alice", **values)  # type: ignore[arg-type]
    assert update.changed() == frozenset(values)
    apply_to_world(rig.world, update)
    # Deeds are added to those the character has, never set whole.
    sheet = {name: getattr(char, name) for name in values if name != "add_deeds"}
    assert sheet | {"add_deeds": tuple(char.deeds)} == values
    assert set(values) == {f.name for f in attrs.fields(CharUpdate)} - {"who"}


def test_an_npc_update_and_a_missing_npc() -> None:
    rig = EngineRig()
    npc = rig.world.npcs[H + "bog_rat"]
    assert apply_to_world(rig.world, NpcUpdate(npc.id, hp=2, room=H + "eel_landing")) == DONE
    assert (npc.hp, npc.room, npc.alive) == (2, H + "eel_landing", True)
    assert npc.id in rig.world.dirty_npcs
    assert apply_to_world(rig.world, NpcUpdate("nope", hp=1)) == NOTHING


def test_items_moved_made_and_destroyed_name_the_packs_that_changed() -> None:
    rig = EngineRig()
    alice = rig.player("alice", "common_room")
    rig.player("bob", "common_room")
    made = apply_to_world(rig.world, SpawnItem(H + "healing_potion", "char:alice"))
    assert made == Applied(chars=("alice",), packs=("alice",))
    item = alice.inventory[-1]
    given = apply_to_world(rig.world, Transfer(item, "char:alice", "char:bob"))
    assert given == Applied(chars=("alice", "bob"), packs=("alice", "bob"))
    assert apply_to_world(rig.world, Transfer(item, "char:alice", "char:bob")) == NOTHING
    dropped = apply_to_world(rig.world, Transfer(item, "char:bob", f"room:{H}common_room"))
    assert dropped == Applied(chars=("bob",), packs=("bob",))
    assert apply_to_world(rig.world, DestroyItem(item)) == Applied()
    assert item not in rig.world.items and item not in rig.world.floor[H + "common_room"]
    assert apply_to_world(rig.world, SpawnItem("no:such", "char:alice")) == NOTHING
    assert apply_to_world(rig.world, SpawnItem(H + "healing_potion", "char:nobody")) == NOTHING


def test_features_doors_prefs_and_moves() -> None:
    rig = EngineRig()
    alice = rig.player("alice", "common_room")
    assert apply_to_world(rig.world, UseFeature("f1")) == Applied(features=True)
    assert "f1" in rig.world.features_used
    assert apply_to_world(rig.world, ForgetFeatures(("f1",))) == Applied(features=True)
    assert "f1" not in rig.world.features_used
    assert apply_to_world(rig.world, SetDoor("d1", True, True)) == DONE
    assert rig.world.doors["d1"].locked
    assert apply_to_world(rig.world, SetPrefs("alice", width=60, prompt="> ")) == Applied(
        chars=("alice",)
    )
    assert alice.width == 60 and alice.extra["prompt"] == "> "
    moved = apply_to_world(rig.world, Move("alice", H + "crossroads", Doc.text(""), Doc.text("")))
    assert moved == Applied(chars=("alice",))
    assert alice.room == H + "crossroads" and "alice" in rig.world.occupants[H + "crossroads"]


@pytest.mark.parametrize("effect", [Tell("alice", Doc.text("hi")), ToRoom("r", Doc.text("x"))])
def test_output_is_not_a_world_change(effect: Tell | ToRoom) -> None:
    assert apply_to_world(EngineRig().world, effect) is None


def test_a_dead_npc_respawns_when_its_time_comes() -> None:
    rig = EngineRig()
    npc = rig.world.npcs[H + "bog_rat"]
    npc.alive, npc.hp, npc.room, npc.respawn_at = False, 0, H + "eel_landing", 800.0
    assert reactions.respawns_due(rig.world, 799.0) == []
    assert reactions.respawns_due(rig.world, 800.0) == [npc.id]
    # Not before the eyes of a player in its home room: once they have gone on.
    rig.player("alice", "smugglers_tunnel")
    assert reactions.respawns_due(rig.world, 900.0) == []
    rig.world.occupants[H + "smugglers_tunnel"].remove("alice")
    assert reactions.respawns_due(rig.world, 900.0) == [npc.id]
    effects = reactions.respawn(rig.world, npc.id)
    # Back with its purse, its guard and its trade as they were (``mud.engine.theft``).
    assert effects[0] == NpcUpdate(
        npc.id,
        alive=True,
        room=H + "smugglers_tunnel",
        respawn_at=0.0,
        hp=7,
        wary=False,
        emptied=False,
        grudges=(),
    )
    assert isinstance(effects[1], ToRoom) and effects[1].room == H + "smugglers_tunnel"
    assert effects[1].doc == Doc.text("{npc}The bog rat{/} is here again.")
    assert reactions.respawn(rig.world, "nope") == []


class _Draws:
    """An Rng whose ``random()`` answers ``value`` and counts its calls."""

    def __init__(self, value: float) -> None:
        self.value = value
        self.calls = 0

    def random(self) -> float:
        self.calls += 1
        return self.value

    def randint(self, a: int, b: int) -> int:
        raise AssertionError("not used")

    def choice_index(self, n: int) -> int:
        raise AssertionError("not used")


def _wanderers(rig: EngineRig) -> list[str]:
    return [n for n, t in rig.world.templates.npcs.items() if t.wander]


def test_wanderers_stroll_with_the_packs_chance() -> None:
    rig = EngineRig()
    wanderers = _wanderers(rig)
    assert wanderers, "Hollowmere has NPCs with a wander route"
    assert rig.world.templates.rules.wander_chance == 30  # the default
    stay = _Draws(0.3)  # not below 30 %: nobody moves, but every wanderer drew
    effects = reactions.wander(rig.world, stay)
    assert effects == [] and stay.calls == len(wanderers)
    go = _Draws(0.29)
    effects = reactions.wander(rig.world, go)
    moves = [e for e in effects if isinstance(e, NpcUpdate)]
    assert {m.npc for m in moves} <= set(wanderers) and moves
    # Every wanderer strolls to the next room of its route, though the builder named its
    # home room in the list too (a route of [chapel, chapel, crossroads] kept Aldith home).
    assert {m.npc: m.room for m in moves} == {
        H + "aldith": H + "crossroads",
        H + "drowned_eelcatcher": H + "reed_path",
    }
    for m in moves:
        rig.world.npcs[m.npc].room = m.room or ""
    back = reactions.wander(rig.world, _Draws(0.0))
    assert {m.npc: m.room for m in back if isinstance(m, NpcUpdate)} == {
        H + "aldith": H + "chapel",
        H + "drowned_eelcatcher": H + "eel_landing",
    }
    said = [e for e in back if isinstance(e, ToRoom)]
    assert [e.room for e in said[:2]] == [H + "crossroads", H + "chapel"]


def test_the_wander_chance_comes_from_the_pack() -> None:
    rig = EngineRig()
    rules = attrs.evolve(rig.world.templates.rules, wander_chance=0)
    rig.world.templates = attrs.evolve(rig.world.templates, rules=rules)
    draws = _Draws(0.0)
    assert reactions.wander(rig.world, draws) == [] and draws.calls == len(_wanderers(rig))
    rig.world.fights = {rig.world.npcs[n].room: object() for n in _wanderers(rig)}
    fighting = _Draws(0.0)
    assert reactions.wander(rig.world, fighting) == [] and fighting.calls == 0  # no draw


def test_one_spoken_to_stays_to_talk_for_two_wander_turns() -> None:
    rig = EngineRig()
    rig.player("corwin", "chapel")
    # Played: Sister Aldith wandered off as a second player put his question to her.
    rig.apply(rig.run("corwin", "hello sister"))
    assert rig.world.engaged == {H + "aldith": game.ENGAGED_TURNS}
    for left in (1, None):
        effects = reactions.wander(rig.world, _Draws(0.0))
        assert H + "aldith" not in {e.npc for e in effects if isinstance(e, NpcUpdate)}
        rig.apply(effects)
        assert rig.world.engaged.get(H + "aldith") == left
    effects = reactions.wander(rig.world, _Draws(0.0))
    assert H + "aldith" in {e.npc for e in effects if isinstance(e, NpcUpdate)}
    # Not kept: a restart lets her walk again.
    rig.apply(rig.run("corwin", "hello sister"))
    assert not [op for op in rig.world.party_ops(0.0) if op.table == "engaged"]
    rig.world.forget_unkept()
    assert rig.world.engaged == {}
