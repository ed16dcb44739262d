"""Picking pockets (``mud.engine.theft``). Played: "pickpocket bessa" rolled a critical
success on the deed table and took nothing, and the room read "Wynn pickpockets Bessa.".

The rogue (DEX 16, trained in sleight of hand) rolls d20 + 5 against an NPC's passive
Perception (10) + 4 = 14. Bessa Thorn carries 5 gold, Crake 6."""

from __future__ import annotations

from call import call, carry_out, rules_ctx
from enginerig import EngineRig

from mud.engine import resets

H = "hollowmere:"
BESSA = H + "bessa"


def _tavern() -> EngineRig:
    """Wynn the rogue and Harrow the fighter in the Common Room, with Bessa."""
    rig = EngineRig()
    rig.player("wynn", "common_room", cls=H + "rogue")
    rig.player("harrow", "common_room")
    return rig


def test_a_quick_hand_takes_the_coins_and_no_one_is_the_wiser() -> None:
    rig = _tavern()
    gold = rig.world.chars["wynn"].gold
    out = call(rig.world, "wynn", "steal from bessa", dice=[9])  # 9 + 5 = 14
    assert "Sleight of hand: DEX check 14 vs DC 14: success by 0" in out.text("wynn")
    assert "You lift 5 gold from Bessa Thorn, and no one is the wiser." in out.text("wynn")
    assert rig.world.chars["wynn"].gold == gold + 5
    assert out.lines("harrow") == []  # not the roll, not the theft
    assert rig.world.npcs[BESSA].emptied and rig.world.npcs[BESSA].wary
    # One try a purse: wary now, and nothing rolls.
    again = call(rig.world, "wynn", "pickpocket bessa", dice=[20])
    assert "Bessa Thorn is watching you too closely for that now." in again.text("wynn")
    assert rig.world.chars["wynn"].gold == gold + 5
    assert "DEX check" not in again.text("wynn")


def test_a_clumsy_hand_is_caught_in_front_of_everyone() -> None:
    rig = _tavern()
    gold = rig.world.chars["wynn"].gold
    out = call(rig.world, "wynn", "pickpocket bessa", dice=[2])  # 7
    assert "Bessa Thorn catches you with a hand where it should not be!" in out.text("wynn")
    assert "Bessa Thorn catches Wynn with a hand where it should not be!" in out.text("harrow")
    assert "DEX check" not in out.text("harrow")
    assert rig.world.chars["wynn"].gold == gold
    assert rig.world.npcs[BESSA].wary and not rig.world.npcs[BESSA].emptied
    assert "watching you too closely" in call(rig.world, "wynn", "steal from bessa").text("wynn")


def test_a_hidden_thief_has_advantage_and_stays_hidden_unless_caught() -> None:
    rig = _tavern()
    rig.world.set_hidden("wynn", 16)
    out = call(rig.world, "wynn", "steal coins from bessa", dice=[2, 12])  # advantage: 12
    assert "DEX check 17 vs DC 14: success" in out.text("wynn")
    assert rig.world.chars["wynn"].hidden == 16
    assert out.lines("harrow") == []

    rig = _tavern()
    rig.world.set_hidden("wynn", 16)
    out = call(rig.world, "wynn", "steal from bessa", dice=[2, 3])
    assert rig.world.chars["wynn"].hidden == 0
    assert "Bessa Thorn catches Wynn with a hand where it should not be!" in out.text("harrow")


def test_caught_by_an_aggressive_foe_one_is_attacked() -> None:
    rig = EngineRig()
    rig.player("wynn", "smugglers_tunnel", cls=H + "rogue")
    rig.world.set_hidden("wynn", 16)
    out = call(rig.world, "wynn", "pickpocket the rat", dice=[1, 2])
    assert "The bog rat catches you" in out.text("wynn")
    assert "The bog rat attacks!" in out.text("wynn")
    assert H + "smugglers_tunnel" in rig.world.fights


def test_no_one_robs_a_player_and_words_that_name_no_one_are_a_deed() -> None:
    rig = _tavern()
    out = call(rig.world, "wynn", "pickpocket harrow")
    assert "players do not rob one another here" in out.text("wynn")
    # "steal from" and the name last, with no comma, is no line said to them (played
    # by a griefer, round 53: "You say to Juno, 'steal from'").
    out = call(rig.world, "wynn", "steal from harrow")
    assert out.lines("wynn") == [
        "Harrow is a fellow traveller: players do not rob one another here."
    ]
    assert out.lines("harrow") == []
    out = call(rig.world, "wynn", "steal a glance at the door", dice=[10])
    assert "You steal a glance at the door." in out.text("wynn")
    assert "Wynn steals a glance at the door." in out.text("harrow")


def test_an_emptied_purse_is_not_dropped_again_and_a_reset_fills_it() -> None:
    rig = EngineRig()
    crake = H + "crake"
    room = rig.world.npcs[crake].room
    rig.player("wynn", room.removeprefix(H), cls=H + "rogue", kit=True)
    start = rig.world.chars["wynn"].gold
    call(rig.world, "wynn", "steal from crake", dice=[15])
    assert rig.world.chars["wynn"].gold == start + 6
    rig.world.npcs[crake].hp = 1
    out = call(rig.world, "wynn", "attack crake", dice=[20, 1, 20])  # first, and a sure blow
    assert not rig.world.npcs[crake].alive, out.text("wynn")
    assert room not in rig.world.fights
    assert rig.world.chars["wynn"].gold == start + 6  # his purse was already hers
    effects = resets.reset_area(rig.world, resets.area_key(rig.world.room(room)))
    carry_out(rig.world, effects, rules_ctx())
    assert rig.world.npcs[crake].alive
    assert not rig.world.npcs[crake].wary and not rig.world.npcs[crake].emptied


def test_wariness_and_an_emptied_purse_survive_a_restart() -> None:
    rig = _tavern()
    call(rig.world, "wynn", "steal from bessa", dice=[9])
    saved = {f"npc:{BESSA}": rig.world.npc_json(BESSA)}
    fresh = EngineRig()
    fresh.world.restore_npcs(saved)
    assert fresh.world.npcs[BESSA].wary and fresh.world.npcs[BESSA].emptied
    untouched = EngineRig().world.npc_json(H + "tobin")
    assert "wary" not in untouched and "emptied" not in untouched


def test_a_reset_puts_a_living_keepers_guard_down_again() -> None:
    rig = _tavern()
    call(rig.world, "wynn", "steal from bessa", dice=[9])
    assert rig.world.npcs[BESSA].wary and rig.world.npcs[BESSA].emptied
    effects = resets.reset_area(rig.world, resets.area_key(rig.world.room(H + "common_room")))
    carry_out(rig.world, effects, rules_ctx())
    assert not rig.world.npcs[BESSA].wary and not rig.world.npcs[BESSA].emptied


def test_a_foe_that_catches_a_hidden_thief_fights_them() -> None:
    rig = EngineRig()
    crake = H + "crake"
    room = rig.world.npcs[crake].room
    rig.player("wynn", room.removeprefix(H), cls=H + "rogue")
    rig.world.set_hidden("wynn", 16)
    out = call(rig.world, "wynn", "steal from crake", dice=[1, 2])  # not aggressive: hostile
    assert "Crake catches you with a hand where it should not be!" in out.text("wynn")
    assert "Crake attacks!" in out.text("wynn")
    assert "p:wynn" in {c.id for c in rig.world.fights[room].fighters}
    assert rig.world.chars["wynn"].hidden == 0


def test_sharp_eyes_outside_the_thiefs_group_see_the_hand_go_in() -> None:
    rig = _tavern()
    rig.player("bram", "common_room", cls=H + "cleric")  # passive Perception 15
    out = call(rig.world, "wynn", "steal from bessa", dice=[9])  # 14: Bram sees it
    assert out.lines("bram") == ["You see Wynn's hand slip into Bessa Thorn's purse."]
    assert out.lines("harrow") == []  # 10 does not
    assert not any("hand slip" in line for line in out.lines("wynn"))  # she is not told

    rig = _tavern()
    rig.player("bram", "common_room", cls=H + "cleric")
    out = call(rig.world, "wynn", "steal from bessa", dice=[11])  # 16 beats his 15
    assert out.lines("bram") == []
    rig = _tavern()
    rig.player("bram", "common_room", cls=H + "cleric")
    rig.world.set_party("group", "wynn", "wynn")
    rig.world.set_party("group", "bram", "wynn")
    out = call(rig.world, "wynn", "steal from bessa", dice=[9])
    assert out.lines("bram") == []  # his own group: not news


def test_no_stealing_in_the_middle_of_a_fight() -> None:
    rig = EngineRig()
    rig.player("wynn", "smugglers_tunnel", cls=H + "rogue")
    call(rig.world, "wynn", "attack rat", dice=[20, 1, 1, 1, 1])
    out = call(rig.world, "wynn", "pickpocket the rat")
    assert "You cannot steal in the middle of a fight." in out.text("wynn")
    assert not rig.world.npcs[H + "bog_rat"].wary


def test_a_shopkeeper_will_not_trade_with_a_thief_it_caught_until_the_reset() -> None:
    rig = _tavern()
    call(rig.world, "wynn", "steal from bessa", dice=[2])  # caught
    assert rig.world.npcs[BESSA].grudges == ["wynn"]
    for line in ("list", "buy stew", "order some stew", "sell dagger"):
        said = call(rig.world, "wynn", line).text("wynn")
        assert "Bessa Thorn will not trade with a thief." in said, (line, said)
    assert "eel stew" in call(rig.world, "harrow", "list").text("harrow")  # only the thief
    saved = {f"npc:{BESSA}": rig.world.npc_json(BESSA)}
    fresh = EngineRig()
    fresh.world.restore_npcs(saved)
    assert fresh.world.npcs[BESSA].grudges == ["wynn"]  # a restart does not forgive
    effects = resets.reset_area(rig.world, resets.area_key(rig.world.room(H + "common_room")))
    carry_out(rig.world, effects, rules_ctx())
    assert rig.world.npcs[BESSA].grudges == []
    assert "eel stew" in call(rig.world, "wynn", "list").text("wynn")


def test_a_thief_who_is_not_caught_may_still_trade() -> None:
    rig = _tavern()
    call(rig.world, "wynn", "steal from bessa", dice=[15])
    assert rig.world.npcs[BESSA].grudges == []
    assert "eel stew" in call(rig.world, "wynn", "list").text("wynn")
