"""Hiding and sneaking (``mud.engine.stealth``). Played: a rogue typed "hide in the
shadows", passed a DEX check, and stayed in everyone's view; nothing followed from it.

The rogue (DEX 16, trained in stealth) rolls d20 + 5; a Lamp-Keeper's passive Perception
is 10 + 3 (WIS 16) + 2 (trained) = 15; a fighter's (WIS 10, untrained) 10; an NPC's 10
unless its stats say otherwise."""

from __future__ import annotations

import pytest
from call import call, carry_out, rules_ctx
from enginerig import EngineRig

from mud.engine import stealth
from mud.engine.commands import COMMANDS
from mud.engine.effects import Arrived, AskNarration, NpcArrived, SetHidden
from mud.hub.narration import request, snapshot

H = "hollowmere:"
ROGUE, CLERIC = H + "rogue", H + "cleric"


def _three(room: str = "common_room") -> EngineRig:
    """Odo the rogue and Tamsin the Lamp-Keeper in one group, and Brannoc, a fighter
    outside it, all in ``room``."""
    rig = EngineRig()
    rig.player("odo", room, cls=ROGUE)
    rig.player("tamsin", room, cls=CLERIC)
    rig.player("brannoc", room)
    rig.world.set_party("group", "odo", "odo")
    rig.world.set_party("group", "tamsin", "odo")
    return rig


def test_a_hider_rolls_against_the_sharpest_eyes_outside_their_group() -> None:
    rig = _three()
    # Tamsin (15) is in Odo's group: the watch is Brannoc's 10 and Bessa's 10.
    assert stealth.watch(rig.world, rig.world.chars["odo"], H + "common_room") == 10
    # Outside it, she is the one to beat.
    assert stealth.watch(rig.world, rig.world.chars["brannoc"], H + "common_room") == 15
    rig.world.set_party("group", "tamsin", None)
    assert stealth.watch(rig.world, rig.world.chars["odo"], H + "common_room") == 15
    out = call(rig.world, "odo", "hide in the shadows", dice=[9])  # 9 + 5 = 14 < 15
    assert "Stealth: DEX check 14 vs DC 15: failure by 1" in out.text("odo")
    assert rig.world.chars["odo"].hidden == 0
    assert "Odo looks about for somewhere to hide, in plain view." in out.text("brannoc")
    out = call(rig.world, "odo", "hide", dice=[10])
    assert rig.world.chars["odo"].hidden == 15
    assert "Stealth: DEX check 15 vs DC 15: success by 0" in out.text("odo")


def test_slipping_into_the_shadows_in_a_pose_is_hiding() -> None:
    # Played (round 49) by a new rogue in the cellar: "*slips into the shadows*" was a
    # pose, shown to the room, and he stood in plain sight.
    for pose in ("*slips into the shadows*", "*melts back into the dark*", "*fades into shadow*"):
        rig = _three()
        out = call(rig.world, "odo", pose, dice=[12])
        assert out.of(SetHidden) == [SetHidden("odo", 17)], pose
        assert out.lines("brannoc") == [], pose
    # Coming out of them is being seen again, told once (tried: the room read it
    # twice, the coming out and then the pose).
    out = call(rig.world, "odo", "*steps out of the shadows*", dice=[12])
    assert out.of(SetHidden) == [SetHidden("odo", 0)]
    assert out.lines("brannoc") == ["Odo steps out of the shadows."]


def test_a_hidden_character_is_seen_only_by_their_group() -> None:
    rig = _three()
    out = call(rig.world, "odo", "hide", dice=[12])
    assert out.of(SetHidden) == [SetHidden("odo", 17)]
    assert "You slip out of sight." in out.text("odo")
    assert "Odo slips out of sight; only your group knows where." in out.text("tamsin")
    assert out.lines("brannoc") == []  # not a word: not even the roll
    assert "Odo" not in call(rig.world, "brannoc", "look").text("brannoc")
    assert "You see no 'odo' here." in call(rig.world, "brannoc", "look odo").text("brannoc")
    assert "Odo (hidden)" in call(rig.world, "tamsin", "look").text("tamsin")
    assert "You are hidden (Stealth 17)." in call(rig.world, "odo", "look").text("odo")
    assert "You are already hidden" in call(rig.world, "odo", "hide").text("odo")
    # The narrator is not told of him either: it would tell Brannoc who is there.
    assert "Odo" not in snapshot(rig.world, H + "common_room").occupants
    assert "Odo" in snapshot(rig.world, H + "common_room", viewer="odo").occupants


def test_what_a_hidden_player_asks_the_dm_is_told_to_them_alone() -> None:
    rig = _three()
    call(rig.world, "odo", "hide", dice=[12])
    ask = call(rig.world, "odo", "ask what now?")
    assert rig.world.chars["odo"].hidden  # a question to the DM is not a deed
    (asked,) = ask.of(AskNarration)
    told = request(
        rig.world, 1, asked.who, asked.room, asked.kind, asked.text, asked.outcome,
        asked.priority, created=0.0,
    )  # fmt: skip
    assert told.audience == ("Odo",)  # the hub streams it to him alone
    assert "Brannoc" in told.room.occupants
    theirs = request(
        rig.world, 2, "brannoc", asked.room, "ask", "what now?", asked.outcome,
        asked.priority, created=0.0,
    )  # fmt: skip
    assert "Odo" not in theirs.audience and "Odo" not in theirs.room.occupants


def test_quiet_commands_keep_one_hidden_and_anything_seen_brings_them_out() -> None:
    rig = _three()
    call(rig.world, "odo", "hide", dice=[12])
    for line in ("inventory", "score", "look", "get the moon", "who"):
        out = call(rig.world, "odo", line)
        assert rig.world.chars["odo"].hidden, line
        assert out.lines("brannoc") == [], line
    out = call(rig.world, "odo", "say boo")
    assert rig.world.chars["odo"].hidden == 0
    assert out.lines("brannoc")[:2] == ["Odo steps out of the shadows.", "Odo says, 'boo'"]
    assert "You step out of the shadows." in out.text("odo")


def test_hiding_something_carried_is_a_deed_not_hiding() -> None:
    rig = _three()
    rig.player("pell", "common_room", cls=ROGUE, kit=True)
    out = call(rig.world, "pell", "hide the dagger under the table", dice=[12])
    assert rig.world.chars["pell"].hidden == 0
    assert "Pell hides the dagger under the table." in out.text("brannoc")
    assert "Pell: DEX check 17 vs DC 12: success by 5" in out.text("brannoc")


def test_no_hiding_in_a_fight_or_while_down() -> None:
    rig = EngineRig()
    rig.player("odo", "smugglers_tunnel", cls=ROGUE)
    call(rig.world, "odo", "attack rat", dice=[20, 1, 1, 1, 1])
    assert H + "smugglers_tunnel" in rig.world.fights
    out = call(rig.world, "odo", "hide")
    assert "You cannot hide in the middle of a fight." in out.text("odo")
    assert rig.world.chars["odo"].hidden == 0


def test_sneaking_leaves_and_arrives_unseen_but_by_the_group() -> None:
    rig = _three()
    rig.player("sorrel", "crossroads")  # a fighter outside the group, where Odo goes
    call(rig.world, "odo", "hide", dice=[12])
    out = call(rig.world, "odo", "south", dice=[10])  # 15 vs the crossroads' 10
    assert rig.world.chars["odo"].room == H + "crossroads"
    assert rig.world.chars["odo"].hidden == 15
    assert "You move without a sound." in out.text("odo")
    assert out.lines("brannoc") == []
    assert out.lines("sorrel") == []
    assert out.lines("tamsin") == ["Odo leaves south."]  # his group sees him go
    assert "Odo" not in call(rig.world, "sorrel", "look").text("sorrel")


def test_one_who_follows_a_sneaking_leader_is_seen() -> None:
    rig = _three()
    rig.player("sorrel", "crossroads")
    rig.world.set_party("following", "tamsin", "odo")
    call(rig.world, "odo", "hide", dice=[12])
    out = call(rig.world, "odo", "south", dice=[10])
    assert rig.world.chars["tamsin"].room == H + "crossroads"
    assert out.lines("brannoc") == ["Tamsin leaves south."]
    assert out.lines("sorrel") == ["Tamsin arrives."]  # not following someone unseen


def test_a_failed_sneak_arrives_in_plain_sight() -> None:
    rig = EngineRig()
    rig.player("odo", "common_room", cls=ROGUE)
    rig.player("sorrel", "crossroads", cls=CLERIC)  # passive Perception 15
    hid = call(rig.world, "odo", "hide", dice=[12])
    assert "You slip out of sight." in hid.lines("odo")  # no group to speak of
    out = call(rig.world, "odo", "south", dice=[5])  # 10 vs 15
    assert rig.world.chars["odo"].hidden == 0
    assert "You are seen as you come in." in out.text("odo")
    assert "Odo arrives from the north." in out.text("sorrel")


def test_sneak_with_a_direction_sneaks_from_plain_sight() -> None:
    rig = _three()
    rig.player("sorrel", "crossroads")
    out = call(rig.world, "brannoc", "sneak south", dice=[15])  # fighter: 15 + 1 = 16
    assert rig.world.chars["brannoc"].room == H + "crossroads"
    assert rig.world.chars["brannoc"].hidden == 16
    assert "Brannoc leaves south." in out.text("odo")  # seen going: he was in plain sight
    assert out.lines("sorrel") == []  # but not coming in


def test_sneak_ahead_takes_the_one_way_on() -> None:
    # Played in the Smugglers' Tunnel: "I'll sneak ahead and take a look" was a deed, a
    # DEX check that took no one anywhere.
    rig = EngineRig()
    rig.player("ivo", "cellar", cls=H + "rogue", kit=True)
    rig.world.npcs[H + "bog_rat"].alive = False
    call(rig.world, "ivo", "pick the lock", dice=[20])
    call(rig.world, "ivo", "open the trapdoor")
    call(rig.world, "ivo", "down")
    out = call(rig.world, "ivo", "sneak ahead", dice=[15])
    assert rig.world.chars["ivo"].room == H + "eel_landing", out.lines("ivo")
    assert rig.world.chars["ivo"].hidden
    # Where more than one way goes on, the sneaker is asked which; "go ahead", leave
    # given, walks nowhere.
    for line in ("go west", "sneak ahead", "go ahead"):
        out = call(rig.world, "ivo", line, dice=[15])
    assert rig.world.chars["ivo"].room == H + "reed_path", out.lines("ivo")
    assert call(rig.world, "ivo", "sneak ahead", dice=[15]).lines("ivo") == [
        "Go on which way? Name a direction, or a place."
    ]


def test_a_follower_who_was_hidden_walks_in_the_open() -> None:
    rig = _three()
    rig.world.set_party("following", "tamsin", "odo")
    rig.world.set_hidden("tamsin", 14)
    out = call(rig.world, "odo", "south")
    assert rig.world.chars["tamsin"].hidden == 0
    assert "Tamsin steps out of the shadows." in out.text("brannoc")


def test_attacking_from_hiding_strikes_unseen_with_advantage() -> None:
    rig = EngineRig()
    rig.player("odo", "smugglers_tunnel", cls=ROGUE, kit=True)
    rig.world.set_hidden("odo", 18)
    # Initiative: Odo 20, the rat 1; his attack rolls two d20s (advantage): 2 and 19.
    out = call(rig.world, "odo", "attack rat", dice=[20, 1, 2, 19])
    text = out.text("odo")
    assert "You dart out of the shadows to attack" in text
    assert "d20 adv" in text
    assert rig.world.chars["odo"].hidden == 0
    # The narrator is told the blow came out of hiding; the next blow is a plain one.
    beats = [b for ask in out.of(AskNarration) for b in ask.outcome.beats]
    assert [b.unseen for b in beats if b.actor == "Odo"] == [True], beats
    facts = [f for ask in out.of(AskNarration) for f in ask.outcome.facts]
    assert any(f.startswith("Out of hiding, Odo hits the bog rat") for f in facts), facts


def test_a_fight_others_start_leaves_the_hidden_out() -> None:
    rig = EngineRig()
    rig.player("odo", "smugglers_tunnel", cls=ROGUE)
    rig.player("brannoc", "smugglers_tunnel")
    rig.world.set_hidden("odo", 18)
    call(rig.world, "brannoc", "attack rat", dice=[20, 1])
    fighters = {c.id for c in rig.world.fights[H + "smugglers_tunnel"].fighters}
    assert "p:brannoc" in fighters
    assert "p:odo" not in fighters
    assert rig.world.chars["odo"].hidden == 18


@pytest.mark.parametrize(("score", "attacked"), [(12, False), (9, True)])
def test_a_wandering_foe_attacks_only_those_it_finds(score: int, attacked: bool) -> None:
    rig = EngineRig()
    eel = H + "drowned_eelcatcher"
    rig.world.npcs[eel].room = H + "reed_path"
    rig.player("pell", "eel_landing", cls=ROGUE)
    rig.world.set_hidden("pell", score)
    out = carry_out(rig.world, [NpcArrived(eel, H + "reed_path")], rules_ctx(now=1.0))
    assert out.lines("pell") == []  # not where she is
    rig.world.npcs[eel].room = H + "eel_landing"
    out = carry_out(rig.world, [NpcArrived(eel, H + "eel_landing")], rules_ctx(now=1.0))
    assert (H + "eel_landing" in rig.world.fights) is attacked
    if attacked:
        assert "The drowned eel-catcher finds you in your hiding place!" in out.text("pell")
        assert rig.world.chars["pell"].hidden == 0
    else:
        assert out.lines("pell") == []
        assert rig.world.chars["pell"].hidden == score


def test_sneaking_past_an_aggressive_foe_is_not_an_ambush() -> None:
    rig = EngineRig()
    rig.player("odo", "eel_landing", cls=ROGUE)
    rig.world.set_hidden("odo", 16)
    walked = call(rig.world, "odo", "down", dice=[12])  # 17 vs the bog rat's 10
    assert rig.world.chars["odo"].room == H + "smugglers_tunnel", walked.text("odo")
    assert H + "smugglers_tunnel" not in rig.world.fights
    # In plain sight the rat attacks as it always has.
    rig.world.set_hidden("odo", 0)
    out = carry_out(rig.world, [Arrived("odo", H + "smugglers_tunnel")], rules_ctx())
    assert "The bog rat attacks!" in out.text("odo")


def test_a_search_finds_those_it_out_rolls() -> None:
    rig = _three()
    call(rig.world, "odo", "hide", dice=[8])  # 13
    out = call(rig.world, "brannoc", "search the room", dice=[12])  # 12 + 0 = 12 < 13
    assert rig.world.chars["odo"].hidden == 13
    assert out.lines("odo") == [] or "finds you" not in out.text("odo")
    out = call(rig.world, "brannoc", "search the room", dice=[13])
    assert rig.world.chars["odo"].hidden == 0
    assert "You find Odo hiding in the shadows!" in out.text("brannoc")
    assert "Brannoc finds you!" in out.text("odo")
    assert "Brannoc finds Odo hiding in the shadows!" in out.text("tamsin")


def test_a_class_trained_in_a_deeds_skill_adds_its_proficiency() -> None:
    rig = EngineRig()
    rig.player("odo", "crossroads", cls=ROGUE)  # WIS 13 (+1), trained in perception
    rig.player("brannoc", "crossroads")  # WIS 10, untrained
    assert "WIS check 14 vs DC 12" in call(rig.world, "odo", "search", dice=[11]).text("odo")
    assert "WIS check 11 vs DC 12" in call(rig.world, "brannoc", "search", dice=[11]).text(
        "brannoc"
    )


def test_hide_is_a_command_with_help_and_sneak_and_creep_are_its_words() -> None:
    rig = _three()
    helped = call(rig.world, "odo", "help sneak").text("odo")
    assert "hide [in the shadows]   |   sneak <direction>" in helped
    assert "aliases: sneak, creep" in helped
    assert "hide" in call(rig.world, "odo", "help").text("odo").split()
    out = call(rig.world, "odo", "creep", dice=[12])
    assert rig.world.chars["odo"].hidden == 17, out.text("odo")


def test_visible_brings_one_out_of_hiding_when_they_choose() -> None:
    rig = _three()
    assert "You are not hidden." in call(rig.world, "odo", "visible").text("odo")
    call(rig.world, "odo", "hide", dice=[12])
    out = call(rig.world, "odo", "unhide")
    assert rig.world.chars["odo"].hidden == 0
    assert out.lines("brannoc") == ["Odo steps out of the shadows."]
    assert "Odo" in call(rig.world, "brannoc", "look").text("brannoc")


def test_an_admins_work_does_not_bring_their_character_out_of_hiding() -> None:
    rig = _three()
    rig.world.chars["odo"].is_admin = True
    call(rig.world, "odo", "hide", dice=[12])
    out = call(rig.world, "odo", "announce the tavern closes at midnight")
    assert rig.world.chars["odo"].hidden == 17
    assert "steps out of the shadows" not in out.text("brannoc")
    assert "the tavern closes at midnight" in out.text("brannoc")
    assert {c.name for c in COMMANDS if c.admin} <= stealth.QUIET  # every one of them


def test_sneak_attack_is_an_attack() -> None:
    # Played in the smugglers' tunnel, mid-fight: "sneak attack the rat" answered "You
    # cannot hide in the middle of a fight."
    rig = EngineRig()
    rig.player("wren", "smugglers_tunnel", kit=True)
    out = call(rig.world, "wren", "sneak attack the rat", dice=[20, 1, 15, 1, 1])
    assert any(line.startswith("Wren attacks the bog rat: d20 15") for line in out.lines("wren"))
    again = call(rig.world, "wren", "sneak attack the rat", dice=[15, 1, 1])
    assert again.lines("wren")[0].startswith("Wren attacks the bog rat")


def test_a_thing_taken_from_hiding_is_taken_unseen_with_a_quick_enough_hand() -> None:
    # Played: a rogue who had sneaked into the smuggler's loft stepped out of the
    # shadows to take the key at Crake's feet, and Crake said his piece.
    rig = _three("mill_loft")
    odo = rig.world.chars["odo"]
    call(rig.world, "odo", "hide", dice=[15])
    hidden = odo.hidden
    assert hidden >= 10
    # Sleight of Hand against the watch (Brannoc's, Crake's, at least 10).
    watch = stealth.watch(rig.world, odo, H + "mill_loft")
    out = call(rig.world, "odo", "take the rusty key", dice=[15])
    assert f"Sleight of Hand: DEX check 20 vs DC {watch}: success" in out.text("odo")
    assert "You take a rusty key without a sound; no one sees." in out.text("odo")
    assert out.lines("tamsin") == ["Odo takes a rusty key from under their noses, unseen."]
    assert out.lines("brannoc") == []  # nor Crake's words of his key
    assert odo.hidden == hidden
    assert any(rig.world.items[i].template == H + "rusty_key" for i in odo.inventory)
    # A hand too slow is seen: out of the shadows, the key taken in front of everyone,
    # and its guard has his say.
    rig = _three("mill_loft")
    call(rig.world, "odo", "hide", dice=[15])
    out = call(rig.world, "odo", "take the rusty key", dice=[1])
    assert "Sleight of Hand: DEX check 6 vs DC 10: fumble" in out.text("odo")
    assert rig.world.chars["odo"].hidden == 0
    seen = out.lines("brannoc")
    assert seen[:2] == ["Odo steps out of the shadows.", "Odo picks up a rusty key."], seen
    assert any(line.startswith("Crake") for line in seen[2:]), seen
    # In plain sight, no roll: as ever.
    rig = _three("mill_loft")
    out = call(rig.world, "odo", "take the rusty key", dice=[1])
    assert out.lines("odo")[0] == "You pick up a rusty key.", out.lines("odo")


@pytest.mark.parametrize("line", ["backstab eel-catcher", "backstab eel"])
def test_a_backstab_as_other_muds_type_it_is_the_blow_out_of_hiding(line: str) -> None:
    # Played 2026-12-07 by a veteran rogue, hidden on the reed path: "backstab
    # eel-catcher" read "You step out of the shadows. You try to backstab eel-catcher.".
    rig = EngineRig()
    rig.player("wren", "reed_path", cls="hollowmere:rogue", kit=True)
    rig.world.npcs["hollowmere:drowned_eelcatcher"].room = "hollowmere:reed_path"
    call(rig.world, "wren", "hide", dice=[20])
    assert rig.world.chars["wren"].hidden
    seen = call(rig.world, "wren", line, dice=[15, 3, 3, 3]).lines("wren")
    assert seen[0] == (
        "You dart out of the shadows to attack: your first blow has surprise on its side."
    ), seen
    assert any(s.startswith("Wren attacks the drowned eel-catcher: d20 adv") for s in seen), seen
