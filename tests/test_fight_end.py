"""How a fight ends for those who left it and for the foes left standing (issue 11).

- Everyone who fled hears the fight end wherever they got to: the line to the fight's
  room reaches nobody once the last player is out of it.
- A foe that a fight leaves standing (its foes fled, fell or left) is healed in full
  when the fight ends: a boss keeps no wounds between attempts, so hit-and-run fails.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attrs import evolve

from mud.core.narration import Beat, NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.dm.providers.offline import OfflineNarrator
from mud.engine import fight, party, reactions
from mud.engine.combat import TurnOrder
from mud.engine.commands import ALIASES, dispatch
from mud.engine.context import Ctx
from mud.engine.effects import Effect, Gain, Move, NpcUpdate, SpawnItem, Tell, ToRoom
from mud.engine.parser import parse
from mud.render.doc import render
from tests.call import call, carry_out, rules_ctx, turn_at_the_eelcatcher
from tests.enginerig import PLAIN, EngineRig, ScriptedRng, narration_asks

H = "hollowmere:"
TUNNEL = H + "smugglers_tunnel"
RAT = H + "bog_rat"


def _read(rig: EngineRig, key: str, effects: Sequence[Effect]) -> list[str]:
    """What ``key`` reads from ``effects`` carried out in order, as the hub does: a line
    to a room reaches whoever is in it at that point (moves are applied as they come)."""
    out: list[str] = []
    for effect in effects:
        match effect:
            case Move():
                rig.apply([effect])
            case Tell(who, doc) if who == key:
                out.append(render(doc, PLAIN).strip())
            case ToRoom(room, doc, exclude) if (
                room == rig.world.chars[key].room and key not in exclude
            ):
                out.append(render(doc, PLAIN).strip())
    return out


def _hurt_rat_fight(rig: EngineRig) -> fight.Fight:
    """Alice alone against the bog rat, after her first blow took it to 2 of 7 HP and
    its answer missed; her turn again."""
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None and started.order.current == "p:alice"
    # d20 15 (+5 = 20 vs AC 12) hits for 1d8 2 (+3) = 5; the rat rolls a natural 1.
    after, _effects = fight.act(
        rig.world,
        started,
        "alice",
        "attack",
        "rat",
        ScriptedRng([15, 2, 1]),
        now=0.0,
        turn_time=20.0,
    )
    assert after is not None and after.order.current == "p:alice"
    assert after.get("n:" + RAT).hp == 2
    return after


def test_the_last_one_to_flee_hears_the_fight_end_where_they_fled_to() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    hurt = _hurt_rat_fight(rig)
    over, effects = fight.act(
        rig.world, hurt, "alice", "flee", "", ScriptedRng([20]), now=0.0, turn_time=20.0
    )
    assert over is None
    read = _read(rig, "alice", effects)
    assert rig.world.chars["alice"].room != TUNNEL
    # Read before the view of where they fled to (``test_one_who_flees_into_another_...``).
    got_away = read.index("== You got away. The fight is over.")
    assert read[got_away + 1].startswith("The Eel-Catchers' Landing"), read
    assert not any("fight is lost" in line for line in read)


def test_a_foe_left_standing_is_healed_when_its_fight_ends() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    hurt = _hurt_rat_fight(rig)
    _over, effects = fight.act(
        rig.world, hurt, "alice", "flee", "", ScriptedRng([20]), now=0.0, turn_time=20.0
    )
    heals = [e for e in effects if isinstance(e, NpcUpdate) and e.npc == RAT]
    full = rig.world.templates.npcs[RAT].stats
    assert full is not None
    assert heals and heals[-1].hp == full.hp


def test_conditions_end_with_the_fight_won_or_fled() -> None:
    # Played: Lamp-Blessing from the Drowned Warden's fight still added its d4 in the
    # Lamplighter's: the fight ticked its own copy, the character's never.
    for way, target in (("attack", "rat"), ("flee", "")):
        rig = EngineRig()
        rig.player("alice", "smugglers_tunnel", kit=True)
        alice = rig.world.chars["alice"]
        alice.conditions = [("blessed", 3)]  # taken before the fight
        started, _ = fight.begin(
            rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
        )
        assert started is not None and started.order.current == "p:alice"
        assert [c.name for c in started.get("p:alice").conditions] == ["blessed"]
        # Every die at its highest: a critical hit fells the rat, or she gets away.
        over, effects = fight.act(
            rig.world,
            started,
            "alice",
            way,
            target,
            ScriptedRng([], 20),
            now=0.0,
            turn_time=20.0,
        )
        assert over is None
        assert alice.conditions == [("blessed", 3)]  # untouched while it was fought
        rig.apply(effects)
        assert alice.conditions == [], way


def test_a_foe_is_healed_when_the_last_fighter_leaves_the_game() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    hurt = _hurt_rat_fight(rig)
    over, effects = fight.leave(rig.world, hurt, "alice", ScriptedRng(), now=0.0)
    assert over is None
    heals = [e for e in effects if isinstance(e, NpcUpdate) and e.npc == RAT]
    assert heals and heals[-1].hp == 7
    # The one leaving the game is not told the fight is over as they go.
    assert not [e for e in effects if isinstance(e, Tell) and e.who == "alice"]


def test_a_fled_member_hears_the_victory_the_others_win() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.player("bob", "smugglers_tunnel", kit=True)
    # Initiative: Alice 20, Bob 19, the rat 1.
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 19, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None and started.order.current == "p:alice"
    fled, effects = fight.act(
        rig.world, started, "alice", "flee", "", ScriptedRng([20]), now=0.0, turn_time=20.0
    )
    assert fled is not None and fled.order.current == "p:bob"
    read = _read(rig, "alice", effects)
    # Bob fells the rat with a critical hit (d20 20; 2d8 8+8, +3).
    over, more = fight.act(
        rig.world,
        fled,
        "bob",
        "attack",
        "rat",
        ScriptedRng([20, 8, 8]),
        now=0.0,
        turn_time=20.0,
    )
    assert over is None
    read += _read(rig, "alice", more)
    assert read.count("== Victory! The fight is over.") == 1
    # Nothing to heal: the foe is dead.
    assert not [e for e in more if isinstance(e, NpcUpdate) and e.hp]


def test_a_foe_ends_in_its_builders_words_and_the_narration_is_told() -> None:
    # Seen in play: the offline narrator had the corpse-light (a light in the mist)
    # "crumple to the ground". The builder's `defeat` line is shown before "is
    # defeated!", and the round's narration is asked with it in `shown` and its facts.
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    hurt = _hurt_rat_fight(rig)
    words = rig.world.templates.npcs[RAT].defeat
    assert words.startswith("The bog rat")  # the bundled campaign has one
    over, effects = fight.act(
        rig.world, hurt, "alice", "attack", "rat", ScriptedRng([15, 2]), now=0.0, turn_time=20.0
    )
    assert over is None
    read = _read(rig, "alice", effects)
    assert read.index(words) + 1 == read.index("The bog rat is defeated!")
    asks = narration_asks(effects)
    assert [a.shown for a in asks] == [(words,)]
    assert words in asks[0].outcome.facts


def test_what_a_foe_leaves_behind_is_told_to_the_room() -> None:
    # Played: the Drowned Warden's key lay on the floor unannounced, and the party
    # walked on without the way onward. What a fallen foe carried or drops is told, as
    # the world names it, after it is defeated.
    rig = EngineRig()
    rig.player("alice", "drowned_stair", kit=True)
    rig.player("bob", "drowned_stair", kit=True)
    rig.world.npcs[H + "drowned_warden"].hp = 1
    # Initiative 20 and 1 (+dex) puts Alice first; her d20 8 (+5) hits AC 13.
    out = call(rig.world, "alice", "attack warden", [20, 1, 20, 8], fallback=1)
    for key in ("alice", "bob"):
        read = out.lines(key)
        left = "The Drowned Warden leaves behind a drowned iron key."
        assert read.index("The Drowned Warden is defeated!") + 1 == read.index(left), read
    # A foe that leaves nothing says nothing of it.
    rig.player("cara", "smugglers_tunnel", kit=True)
    rig.world.npcs[RAT].hp = 1
    out = call(rig.world, "cara", "attack rat", [20, 1, 20, 8], fallback=1)
    assert "The bog rat is defeated!" in out.lines("cara")
    assert not any("leaves behind" in line for line in out.lines("cara")), out.lines("cara")


def test_a_fighter_asks_how_the_fight_stands() -> None:
    # Played: "whose turn is it?" in a fight went to the DM, and nothing told it.
    rig = EngineRig()
    rig.player("alice", "drowned_stair", kit=True)
    rig.player("bob", "drowned_stair", kit=True)
    # Initiative: Alice 21, the Warden 20, Bob 2; Alice's blow (d20 8, 1d8 1) takes the
    # Warden to 9 of 13, its swing misses, and it is Bob's turn until 20.0.
    call(rig.world, "alice", "attack warden", [20, 1, 20, 8, 1, 1], fallback=1)
    current = rig.world.fights[H + "drowned_stair"]
    assert current.order.current == "p:bob" and current.deadline == 20.0
    foes = "Foes: the Drowned Warden 9 of 13 HP."
    for line in ("turn", "round", "fight"):
        assert [" ".join(call(rig.world, "bob", line, now=5.0).text("bob").split())] == [
            "Round 1. It is your turn (15 seconds left); then Alice, then the Drowned Warden. "
            f"{foes} Your side: you 12 of 12 HP, Alice 12 of 12 HP. On a turn: attack, "
            "defend, flee <direction>, use <item>, or second wind."
        ], line
    # Asked of the DM, the engine answers from the fight, for whoever asks.
    for line in ("whose turn is it?", "who's winning?", "how are we doing?"):
        told = " ".join(call(rig.world, "alice", line, now=5.0).text("alice").split())
        assert (
            "Answer: Round 1. It is Bob's turn; then you, then the Drowned Warden. "
            f"{foes} Your side: you 12 of 12 HP, Bob 12 of 12 HP."
        ) in told, (line, told)
    # Bob down (out of it, as Hollowmere carries the fallen): told so, and passed over
    # in the turns to come.
    fallen = current.put(evolve(current.get("p:bob"), hp=0))
    rig.world.fights[H + "drowned_stair"] = evolve(
        fallen, order=evolve(fallen.order, index=0), saves=(("p:bob", 3, 0),)
    )
    assert fight.standing(rig.world, rig.world.fights[H + "drowned_stair"], "alice") == (
        f"Round 1. It is your turn; then the Drowned Warden. {foes} Your side: you 12 of 12 HP,"
        " Bob down."
    )


def test_a_free_action_in_a_fight_says_what_a_fight_allows() -> None:
    # Seen in play: "xyzzy" on a player's turn against the drowned eel-catcher was
    # narrated "Nothing moves near the causeway", and took no turn.
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.world.fights[TUNNEL] = _hurt_rat_fight(rig)
    effects = rig.run("alice", "search the tunnel walls")
    # The turn's own choices, the calling's powers with them (played by a Lamp-Keeper:
    # "attaque" was told "attack, defend, flee <direction>, or use <item>" where "Your
    # turn!" had offered heal and bless too; a fighter's is second wind).
    assert rig.seen("alice", effects) == [
        "You are in a fight: attack, defend, flee <direction>, use <item>, or second wind. "
        "(say, emote and look still work; 'turn' tells how the fight stands.)"
    ]
    assert narration_asks(effects) == []
    del rig.world.fights[TUNNEL]
    assert narration_asks(rig.run("alice", "search the tunnel walls"))


def _alice_down_with_two_failures(rig: EngineRig) -> fight.Fight:
    """Alice and Bob against the bog rat; Alice on the ground with two failed death
    saves, and her turn coming (her death save is rolled as the turn settles)."""
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.player("bob", "smugglers_tunnel", kit=True)
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 15, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None
    down = evolve(started.get("p:alice"), hp=0)
    order = evolve(started.order, index=started.order.order.index("p:alice"))
    return evolve(started.put(down), saves=(("p:alice", 0, 2),), order=order)


def test_a_third_failed_death_save_is_told_as_the_end_of_the_fight_for_them() -> None:
    # Played: Corvane's third failure was narrated "Again, on the ground, Corvane slips
    # further away.", and nothing told Corvane what became of them until the fight ended.
    rig = EngineRig()
    low = _alice_down_with_two_failures(rig)
    after, effects = fight._settle_turn(rig.world, low, ScriptedRng([5]), now=0.0, turn_time=20.0)
    assert after is not None  # Bob still fights
    told = " ".join(" ".join(_read(rig, "alice", effects)).split())  # unwrapped
    assert "death save 5: failure (0 successes, 3 failures) dead" in told
    assert "You are out of this fight" in told and "with 1 hit point" in told, told
    assert "You are out of this fight" not in " ".join(_read(rig, "bob", effects))
    beat = after.beats[-1]
    assert beat.action == "save" and beat.felled and not beat.ok
    # The offline narration says it as the end it is.
    text = OfflineNarrator(0).compose(
        NarrationRequest(
            request_id=1,
            kind="combat",
            room=RoomSnapshot(room_id=TUNNEL, name="Smugglers' Tunnel", description="Wet."),
            actor=None,
            text="combat round 1",
            outcome=Outcome("round", 2, beats=(beat,)),
            priority=Priority.HIGH,
            created=0.0,
        )
    )
    assert "slips further away" not in text and re.search(r"Alice (goes|lies) still", text), text


def test_a_third_death_save_that_holds_says_what_comes_next() -> None:
    rig = EngineRig()
    low = _alice_down_with_two_failures(rig)
    low = evolve(low, saves=(("p:alice", 2, 0),))
    after, effects = fight._settle_turn(rig.world, low, ScriptedRng([15]), now=0.0, turn_time=20.0)
    assert after is not None
    told = " ".join(" ".join(_read(rig, "alice", effects)).split())
    assert "you are stable" in told and "When the fight ends you will come to" in told, told


def test_under_down_carry_the_fallen_roll_no_death_saves_and_come_to_if_it_is_won() -> None:
    # Hollowmere's rules say `down: carry`; Corvane, down in the reeds, still rolled
    # three death saves and read "dead". And Fenna, fallen in a fight Rook won, woke in
    # the tavern, six rooms from her party.
    rig = EngineRig()
    assert rig.world.templates.rules.down == "carry"
    start = _alice_down_with_two_failures(rig)
    alice = evolve(start.get("p:alice"), hp=1)
    order = evolve(start.order, index=start.order.order.index("n:" + RAT))
    low = evolve(start.put(alice), saves=(), order=order)
    # The rat (its turn) bites Alice, the first standing player: d20 19 hits, 1d4 4.
    after, effects = fight._settle_turn(
        rig.world, low, ScriptedRng([19, 4]), now=0.0, turn_time=20.0
    )
    assert after is not None and after.get("p:alice").hp == 0
    assert after.order.current == "p:bob"  # Alice's turn passed over: no save to roll
    told = " ".join(" ".join(_read(rig, "alice", effects)).split())
    assert "death save" not in told
    assert "You fall senseless, out of this fight." in told, told
    assert "If it is won you will come to where you lie" in told, told
    room = rig.world.chars["alice"].room
    # Bob wins: Alice comes to where she fell, with 1 hit point.
    rat = after.get("n:" + RAT)
    weak = after.put(evolve(rat, hp=1))
    over, effects = fight.act(
        rig.world, weak, "bob", "attack", "rat", ScriptedRng([19, 8]), now=0.0, turn_time=20.0
    )
    assert over is None
    carry_out(rig.world, effects, rules_ctx())  # with the spoils' quest credit
    assert rig.world.chars["alice"].room == room != H + "common_room"
    assert rig.world.chars["alice"].hp == 1 and not rig.world.chars["alice"].down
    assert "Friendly hands bind your wounds" in " ".join(_read(rig, "alice", effects))
    # The kill is hers too, beside her fall (played: the fall, kept after the spoils, lost
    # a bound Lamp-Keeper the Warden's kill, and his quest asked for it still).
    assert f"defeat:{RAT}" in rig.world.chars["alice"].deeds
    # Asked, what happened is told (played: Pim, bound where he fell on the reed path,
    # read "Nothing you have seen or heard yet answers that.").
    asked = " ".join(" ".join(_read(rig, "alice", rig.run("alice", "what happened?"))).split())
    assert (
        "You fell fighting the bog rat in the Smugglers' Tunnel, and came to where you fell."
        in (asked)
    ), asked


def _alice_falls_to_the_rat(rig: EngineRig) -> tuple[fight.Fight | None, list[Effect]]:
    """Alice, alone in the tunnel with the bog rat at 1 HP, takes its turn's bite and
    falls: the fight is lost. Returns what ``fight._settle_turn`` returns."""
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None
    low = started.put(evolve(started.get("p:alice"), hp=1))
    order = evolve(low.order, index=low.order.order.index("n:" + RAT))
    return fight._settle_turn(
        rig.world, evolve(low, order=order), ScriptedRng([19, 4]), now=0.0, turn_time=20.0
    )


def test_the_last_one_standing_falls_and_wakes_without_being_told_to_wait() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    over, effects = _alice_falls_to_the_rat(rig)
    assert over is None  # lost: no one is left standing
    told = " ".join(" ".join(_read(rig, "alice", effects)).split())
    assert "when it ends" not in told, told
    assert "You wake in the Drowned Lantern, Common Room" in told, told


def test_the_group_elsewhere_hears_that_one_of_them_was_carried_back() -> None:
    # Played: Fenna walked on alone and fell at the landing; Corwin, her group's leader
    # a room away, read "Fenna leaves south." and never what became of her.
    rig = EngineRig()
    for key in ("alice", "bob", "cal"):
        rig.player(key, "cellar", kit=True)
    for key in ("alice", "cal"):
        rig.apply(rig.run("bob", f"invite {key}"))
        rig.apply(rig.run(key, "group accept"))
    assert party.members(rig.world, "bob") == ["bob", "alice", "cal"]
    rig.world.move("alice", TUNNEL)
    rig.world.move("cal", H + "common_room")
    _over, effects = _alice_falls_to_the_rat(rig)
    assert _read(rig, "bob", effects) == [
        "Alice has fallen in the Smugglers' Tunnel and been carried back to the Drowned"
        " Lantern, Common Room."
    ]
    # Where she is carried, the room sees her laid by the fire; it is not told twice.
    assert not any("has fallen" in line for line in _read(rig, "cal", effects))


def test_a_foe_in_the_fight_is_it_or_him_with_or_without_a_weapon_named() -> None:
    # Played in the eel-catchers' landing: "hit it with my mace" answered "You see no
    # 'it' here." in the middle of the fight.
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    for line in ("hit it with my sword", "attack him", "kill the foe!"):
        effects = rig.run("maren", line, dice=[15, 1, 1, 1])
        seen = rig.seen("maren", effects)
        assert seen[0].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), line
        rig.apply(effects)
    # Words that name no foe still say so.
    rig2 = EngineRig()
    rig2.player("maren", "eel_landing", kit=True)
    rig2.apply(rig2.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    assert rig2.seen("maren", rig2.run("maren", "attack the heron")) == ["You see no 'heron' here."]


def test_guarding_running_and_calling_for_help_as_players_type_them_in_a_fight() -> None:
    # Swept after a rogue fell at the landing (round 41): each was refused on her turn
    # ("You are in a fight: ...", "Unknown command 'flee!'", "There is no help on 'me
    # kill it'"), and the turn ran out.
    for line, seen_first in (
        ("raise my shield", "You take a defensive stance"),
        ("brace myself", "You take a defensive stance"),
        ("shield up!", "You take a defensive stance"),
        ("take a defensive stance", "You take a defensive stance"),
        ("hold my ground", "You take a defensive stance"),
        # Played at the Drowned Stair: refused, as a move and no guard.
        ("raise my shield and hold the stair", "You take a defensive stance"),
        ("stand my ground", "You take a defensive stance"),
        ("flee!", "Maren flees west: d20"),
        ("help me kill it", "You say, 'help me kill it'"),
    ):
        rig = EngineRig()
        rig.player("maren", "eel_landing", kit=True)
        rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
        seen = rig.seen("maren", rig.run("maren", line, dice=[15, 1, 1, 1]))
        assert seen[0].startswith(seen_first), (line, seen)
    # Out of a fight they are what they were; "help!" alone is a cry, as "help me!" is,
    # and "help me look" the help on 'look'.
    rig = EngineRig()
    rig.player("maren", "common_room", kit=True)
    assert rig.seen("maren", rig.run("maren", "stab")) == ["You try to stab."]
    assert rig.seen("maren", rig.run("maren", "flee!")) == ["You are not in a fight."]
    assert rig.seen("maren", rig.run("maren", "help!")) == ["You say, 'help!'"]
    assert rig.seen("maren", rig.run("maren", "help me look"))[0].startswith("look\n")
    # Someone here named after it is a deed done with them (played in the chapel:
    # "help talis look" was "There is no help on 'talis look'."); a command is still
    # its help.
    rig.player("talis", "common_room")
    effects = rig.run("maren", "help talis look")
    assert rig.seen("maren", effects)[0] == "You try to help Talis look."
    assert rig.seen("talis", effects)[0] == "Maren tries to help you look."
    assert rig.seen("maren", rig.run("maren", "help bessa with the dishes")) == [
        "You try to help Bessa with the dishes."
    ]
    assert rig.seen("maren", rig.run("maren", "help say"))[0].startswith("say\n")


def test_attack_shortened_as_other_muds_take_it_is_an_attack_in_a_fight_only() -> None:
    # Played by one come to fight, on his turn against Crake: "a" was "You are in a
    # fight: attack, defend, ...", and the turn ran out.
    for line in ("a", "att", "atk", "a eel-catcher", "a it", "A!"):
        rig = EngineRig()
        rig.player("maren", "eel_landing", kit=True)
        rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
        seen = rig.seen("maren", rig.run("maren", line, dice=[15, 1, 1, 1]))
        assert seen[0].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), (
            line,
            seen,
        )
    # "fl" flees (tried: "Did you mean 'follow'?").
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    seen = rig.seen("maren", rig.run("maren", "fl", dice=[15, 1, 1, 1]))
    assert seen[0].startswith("Maren flees west"), seen
    # "def" defends (played against a bog rat: "You are in a fight: ...").
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    seen = rig.seen("maren", rig.run("maren", "def", dice=[15, 1, 1, 1]))
    assert seen[0].startswith("You take a defensive stance"), seen
    # Words after it that name no foe are no blow; out of a fight, "a" is no attack.
    seen = rig.seen("maren", rig.run("maren", "a moment", dice=[15, 1, 1, 1]))
    assert seen[0].startswith("You are in a fight: "), seen
    rig = EngineRig()
    rig.player("maren", "common_room", kit=True)
    assert not rig.seen("maren", rig.run("maren", "a"))[0].startswith("Maren attacks")
    # How the fight stands, asked out of one, is no deed (played once the eel-catcher
    # was down: "You try to turn.").
    for line in ("turn", "round", "turn?"):
        assert rig.seen("maren", rig.run("maren", line)) == ["You are not in a fight."], line
    # A pose is no such question (found in review: "I turn." read "You are not in a
    # fight.").
    for line in ("I turn.", "turn."):
        assert rig.seen("maren", rig.run("maren", line)) != ["You are not in a fight."], line


def test_a_blow_named_by_its_verb_is_an_attack_when_it_names_a_foe() -> None:
    # Played at the reed path: "swing at the eel-catcher" and "stab it" were both
    # answered "You are in a fight: attack, defend, ...".
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    seen = rig.seen("maren", rig.run("maren", "stab the eel-catcher", dice=[20, 1, 2, 1, 1]))
    assert seen[0].startswith("== FIGHT!") and seen[1].startswith("Maren attacks"), seen
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    for line in (
        "stab it",
        # Played (round 52) at the Warden: "stab it in the gap" was refused.
        "stab it in the gap",
        "swing at the eel-catcher",
        "strike the foe with my sword",
        "thrust my sword at the eel-catcher",
        "finish it off",
        "finish the eel-catcher",
        # Played with a lamp-keeper's mace: "smash crake with my mace" was refused.
        "smash the eel-catcher with my sword",
        "bash it",
        "kick the eel-catcher",
        # Played: "attack the drowned thing" was "You see no 'drowned thing' here.": a
        # word of the one foe's name names it.
        "attack the drowned thing",
        "hit that eel guy",
        # Played at the Lamplighter, one blow from falling: "end this" was refused.
        "end this",
        "finish the fight",
        # Played at the bog rat: "smack it with my mace" was refused.
        "smack it with my sword",
        "jab the eel-catcher",
        # Played at the reed path: "*hurls herself at the drowned thing, dagger first*"
        # was a pose.
        "hurl myself at the drowned thing, dagger first",
        "*hurls herself at the drowned thing, dagger first*",
        "charge the eel-catcher",
        "leap at it",
        # Played at the landing (round 41): "stab it again" was refused, the turn ran
        # out ("Too slow! You defend."), and the rogue fell; "attack again" was "You
        # see no 'again' here.".
        "stab it again",
        "slash at it once more!",
        "attack again",
        # Played in the same fight, and swept after it: each was refused on the
        # player's turn, which then ran out.
        "stab",
        "stab!",
        "strike again",
        "I swing again",
        "keep attacking",
        "keep hitting it",
        "fight it",
        "cut it down",
        "punch it in the face",
        "hit him on the head",
        "go for the eyes",
        "attack!",
        "kill!",
        # Played at the tunnel's rat: "*kicks the rat into the wall*" was refused.
        "*kicks the eel-catcher into the water*",
        "slam into the eel-catcher",
        "tackle it",
        # Played at the landing: "*charges in, shield first*" was refused.
        "*charges in, shield first*",
        "charge in at the eel-catcher",
        "rush forward",
        # Played on the stair, on the rogue's turn: refused.
        "*circles behind it, looking for a gap in the armour*",
        "flank it",
        # Played at the Warden, on the rogue's turn: refused (the armour read as hers).
        "*stabs at the gap in its armour*",
        "*drives the knife into the back of its neck*",
        "plunge my sword into its side",
        # Played at the Lamplighter (round 46): "for edda! *charges with the spear*" said
        # the cry, and the charge was refused.
        "*charges with the spear*",
        "attack with my sword",
        "stab it with the dagger",
        # Played at the Lamplighter (round 46): refused.
        "*slashes at the hand holding the spear*",
        # Played at the Warden (round 48): "You say, 'swings with everything she has'".
        "*swings with everything she has*",
    ):
        seen = rig.seen("maren", rig.run("maren", line, dice=[15, 1, 1, 1]))
        assert seen[0].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), line
    # A step, then the blow (played at the Lamplighter, round 46: refused).
    line = "*slips behind it and slashes at the hand holding the spear*"
    seen = call(rig.world, "maren", line, dice=[15, 1, 1, 1]).lines("maren")
    assert seen[0] == "You slip behind it.", seen
    assert seen[1].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), seen
    # How low or high a blow goes is no foe (played at the Lamplighter, round 47:
    # "*circles around to its left and slashes low*" was a pose, and no blow).
    line = "*circles around to its left and slashes low*"
    seen = call(rig.world, "maren", line, dice=[15, 1, 1, 1]).lines("maren")
    assert seen[0] == "You circle around to its left.", seen
    assert seen[1].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), seen
    seen = rig.seen("maren", rig.run("maren", "slash high", dice=[15, 1, 1, 1]))
    assert seen[0].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), seen
    # A blow tried again, in a pose (played at the Warden, round 46: "*tries again,
    # lower*" was a pose, and the turn ran out).
    effects = rig.run("maren", "*tries again, lower*", dice=[15, 1, 1, 1])
    seen = rig.seen("maren", effects)
    assert seen[0] == "Maren tries again, lower.", seen
    assert seen[1].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), seen
    # Told back in her own words (played, round 50: "You swings again, harder, and the
    # blow finds its mark.").
    manners = [b.manner for a in narration_asks(effects) for b in a.outcome.beats if b.manner]
    assert manners[0][0] == "try again, lower", manners
    # Her own teeth too, in prose (played, round 52: "Wren grits her teeth and swings
    # her lantern-mace at the rat." was told her "You try to grit her teeth and swing
    # your lantern-mace at the rat").
    # The teeth are a pose, the swing the blow, in her words as hers.
    line = "Maren grits her teeth and swings her longsword at the eel-catcher."
    out = call(rig.world, "maren", line, dice=[15, 1, 1, 1])
    assert out.lines("maren")[0] == "You grit your teeth.", out.lines("maren")
    assert out.lines("maren")[1].startswith("Maren attacks the drowned eel-catcher"), out.lines(
        "maren"
    )
    manners = [b.manner for a in narration_asks(out.effects) for b in a.outcome.beats if b.manner]
    assert manners[0][0] == "swing your longsword at the eel-catcher", manners
    # A pose closing on a blow (played on the marsh path, round 46: "*puts himself between
    # edda and the drowned thing and stabs*" was a pose, and the turn ran out).
    line = "*puts herself between edda and the drowned thing and stabs*"
    seen = rig.seen("maren", rig.run("maren", line, dice=[15, 1, 1, 1]))
    assert seen[0] == "Maren puts herself between edda and the drowned thing.", seen
    assert seen[1].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), seen
    # A blow told in one's own words, the weapon wielded and the foe named (played with
    # a mace: "*brings the mace down on its skull*" was a pose).
    for line in (
        "bring my sword down on its skull",
        "*drives the longsword into its ribs*",
        # Played at the Lamplighter: "*brings the mace down*" was refused.
        "*brings the sword down*",
        "*swings her longsword*",
        "*swings the great-longsword*",  # a compound, by its head
        # Played in prose at the rat: a pose, and no blow.
        'Maren brings the sword down on the wretched creature. "Back to the dark with you!"',
        # "it" what the line before raised (played, round 51, at the reed path: 'Oswin
        # raises his lantern-mace high. "Saint Ysolde, guide my hand!" He brings it down
        # on the drowned thing.' was two poses and words, and no blow).
        "*brings it down on the drowned thing*",
    ):
        seen = rig.seen("maren", rig.run("maren", line, dice=[15, 1, 1, 1]))
        assert seen[0].startswith("Maren attacks the drowned eel-catcher: d20 15+5=20"), line
    # Words that name no foe are still not a blow.
    for line in (
        "swing my sword around",
        "stab the heron",
        "finish my drink",
        "kick the door",
        "bring it down on the table",
    ):
        seen = rig.seen("maren", rig.run("maren", line, dice=[15, 1, 1, 1]))
        assert seen[0].startswith("You are in a fight:"), line
    # A pose of no blow, of a thing held, is shown, not refused (played at the Warden,
    # round 47: "*raises the lantern mace high* saint ysolde, bless our blades! bless
    # vesna" opened with "You are in a fight: ...").
    seen = rig.seen("maren", rig.run("maren", "*raises the longsword high*"))
    assert seen == ["Maren raises the longsword high."], seen
    # A command posed is still the command, not shown as done.
    seen = rig.seen("maren", rig.run("maren", "*opens the door*"))
    assert seen == ["There is no door here."], seen


def test_a_move_and_then_a_blow_is_the_move_shown_and_the_blow_struck() -> None:
    # Played at the bog rat, on the rogue's turn: "*darts in low and stabs at the rat*"
    # was a pose, and no blow struck; without the stars, a fight's refusal.
    # A part of the foe is the foe: "*darts in and stabs at its side*" (played on the
    # rogue's turn at the eel-catcher: a pose, and no blow).
    for line in (
        "*darts in low and stabs at the eel-catcher*",
        "dart in low and stab it",
        # Played at the reed path's eel-catcher: a pose, and the turn ran out.
        "*darts in low and stabs*",
        "*darts in low and stabs at its side*",
        "dart in low and slash at the catcher's legs",
        # Played (round 50) on the rogue's turn at the Lamplighter: "You are in a fight:
        # ...". The blow as one moves, after a comma.
        "Maren darts in low, slashing at its legs.",
        "*darts in low, stabbing at its side*",
    ):
        rig = EngineRig()
        rig.player("maren", "eel_landing", kit=True)
        rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
        seen = call(rig.world, "maren", line, dice=[15, 1, 1, 1]).lines("maren")
        assert seen[0] == "You dart in low.", (line, seen)
        # The blow rolls the line's dice: its trial drew none of them.
        assert seen[1].startswith("Maren attacks the drowned eel-catcher: d20 15+"), (line, seen)
    # A blow between stars is a blow (played at the rat: "*swings the lantern-mace at the
    # rat*" was a pose).
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    seen = call(rig.world, "maren", "*swings her sword at the eel-catcher*", dice=[15, 1, 1]).lines(
        "maren"
    )
    assert seen[0].startswith("Maren attacks the drowned eel-catcher"), seen
    # A weapon carried, not wielded, is a blow told too (played: the rogue's "*slips
    # behind it and drives the dagger into its back*" was a pose).
    rig = EngineRig()
    rig.player("isolde", "eel_landing", "hollowmere:rogue", kit=True)
    rig.apply(rig.run("isolde", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    # ("drive" a blow, the slip behind it is the move before it, as "dart in low" is.)
    line = "*slips behind it and drives the dagger into its back*"
    seen = call(rig.world, "isolde", line, dice=[15, 1, 1]).lines("isolde")
    assert seen[0] == "You slip behind it.", seen
    assert seen[1].startswith("Isolde attacks the drowned eel-catcher"), seen


def test_a_cry_and_a_one_word_move_before_a_blow_are_said_shown_and_struck() -> None:
    # Played on the stair, his friend just fallen: "wren! *roars and swings at the
    # warden with everything he has*" was refused twice, and the turn ran out.
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    line = "hale! *roars and swings at the eel-catcher with everything she has*"
    seen = call(rig.world, "maren", line, dice=[15, 1, 1, 1]).lines("maren")
    assert seen[:2] == ["You say, 'hale!'", "You roar."], seen
    assert seen[2].startswith("Maren attacks the drowned eel-catcher: d20 15+"), seen


def test_the_of_a_foe_s_name_names_no_foe() -> None:
    # Played at the Warden: "*raises the lantern-mace high and calls on the saint*"
    # struck him ("the saint" shares "the" with "the Drowned Warden").
    rig = EngineRig()
    rig.player("brin", "drowned_stair", "hollowmere:cleric", kit=True)
    rig.apply(rig.run("brin", "attack warden", dice=[20, 1, 2, 1, 1, 1]))
    line = "*raises the lantern-mace high and calls on the saint*"
    assert rig.seen("brin", rig.run("brin", line, dice=[15, 1, 1, 1])) == [
        "Brin raises the lantern-mace high and calls on the saint."
    ]
    seen = rig.seen("brin", rig.run("brin", "bring the mace down on the warden", dice=[15, 1]))
    assert seen[0].startswith("Brin attacks the Drowned Warden"), seen
    # A foe named by a possessive is named (played: "I drive the fishing spear at the
    # warden's chest" was "You are in a fight: attack, ...").
    line = "I drive the mace at the warden's chest"
    seen = rig.seen("brin", rig.run("brin", line, dice=[15, 1]))
    assert seen[0].startswith("Brin attacks the Drowned Warden"), seen


def test_a_level_reached_in_a_fight_raises_the_fighter_s_hit_points_too() -> None:
    # Played: Orrin reached level 2 mid-fight (a quest step done by picking up a
    # locket) and the Warden's next blow left him "3/9 HP" of 15: the fight struck
    # from its old figures and the level's hit points were lost.
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.world.fights[TUNNEL] = _hurt_rat_fight(rig)
    alice = rig.world.chars["alice"]
    before = alice.max_hp
    rig.apply(reactions.gained(rig.world, Gain("alice", xp=300), ScriptedRng([6])))
    assert alice.level == 2 and alice.max_hp > before
    me = rig.world.fights[TUNNEL].get("p:alice")
    assert (me.hp, me.max_hp) == (alice.hp, alice.max_hp)
    # The rat's next bite is taken from the new figures.
    after, _ = fight.act(
        rig.world,
        rig.world.fights[TUNNEL],
        "alice",
        "defend",
        "",
        ScriptedRng([20, 4]),
        now=0.0,
        turn_time=20.0,
    )
    assert after is not None
    assert after.get("p:alice").max_hp == alice.max_hp


def test_a_thing_thrown_that_is_for_drinking_says_so_and_in_a_fight_blows_are_struck() -> None:
    # Played: "throw blessed water at the warden", a lamp-keeper in the fight, was
    # "You are in a fight: attack, defend, ...", which said nothing of the flask.
    rig = EngineRig()
    rig.player("odile", "eel_landing", "hollowmere:cleric", kit=True)
    rig.apply(rig.run("odile", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    assert rig.seen("odile", rig.run("odile", "throw blessed water at the eel-catcher")) == [
        "The flask of lamp-blessed water is for drinking, not throwing: 'drink blessed water' "
        "and you are blessed for 3 rounds."
    ]
    assert rig.seen("odile", rig.run("odile", "splash the potion on it")) == [
        "The potion of healing is for drinking, not throwing: 'drink the potion' and it heals you."
    ]
    assert rig.seen("odile", rig.run("odile", "throw my mace at the eel-catcher")) == [
        "Keep hold of it: in a fight you strike with what you hold ('attack')."
    ]
    # Out of a fight a thing that is not for drinking thrown is a deed, as before.
    rig2 = EngineRig()
    rig2.player("odile", "reed_path", "hollowmere:cleric", kit=True)
    assert narration_asks(rig2.run("odile", "throw my mace into the pool"))


def test_the_group_elsewhere_hears_that_a_fight_began() -> None:
    # Played: Hale went down the trapdoor first and met the bog rat; Mira, his group's
    # leader in the cellar above, read "Hale leaves down." and nothing of the fight.
    rig = EngineRig()
    for key in ("mira", "hale", "odo", "pip"):
        rig.player(key, "cellar", kit=True)
    for key in ("hale", "odo"):
        rig.apply(rig.run("mira", f"invite {key}"))
        rig.apply(rig.run(key, "group accept"))
    rig.world.move("hale", TUNNEL)
    rig.world.move("odo", H + "common_room")
    started, effects = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None
    assert _read(rig, "mira", effects) == [
        "Hale is fighting the bog rat in the Smugglers' Tunnel (down from here)."
    ]
    assert _read(rig, "odo", effects) == ["Hale is fighting the bog rat in the Smugglers' Tunnel."]
    assert _read(rig, "pip", effects) == []  # not of the group
    # Two of the group in it: one line, of both; those fighting are not told it.
    rig.world.move("odo", TUNNEL)
    _started, effects = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1, 5]), now=0.0, turn_time=20.0, target=None
    )
    assert _read(rig, "mira", effects) == [
        "Hale and Odo are fighting the bog rat in the Smugglers' Tunnel (down from here)."
    ]
    assert not any("are fighting" in line for line in _read(rig, "hale", effects))


def test_one_bringing_someone_home_who_flees_takes_them_along() -> None:
    # Noticed: Edda stayed behind with the foe when her guide fled.
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    edda = H + "edda_venn"
    rig.world.npcs[edda].room = TUNNEL
    rig.world.escorts[edda] = "alice"
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None and started.order.current == "p:alice"
    _over, effects = fight.act(
        rig.world, started, "alice", "flee", "south", ScriptedRng([20]), now=0.0, turn_time=20.0
    )
    assert "Edda Venn arrives, following Alice." in _read(rig, "alice", effects)
    assert rig.world.chars["alice"].room == H + "eel_landing"
    rig.apply([e for e in effects if isinstance(e, NpcUpdate) and e.npc == edda])
    assert rig.world.npcs[edda].room == H + "eel_landing"


def test_one_carried_back_asks_what_happened_and_is_told() -> None:
    # Played: Hale fell at the landing while his player was away, and his "what
    # happened?" in the tavern read "You consider the road ahead.".
    rig = EngineRig()
    rig.player("hale", "eel_landing", kit=True)
    eel = H + "drowned_eelcatcher"
    rig.world.npcs[eel].room = H + "eel_landing"
    started, _ = fight.begin(
        rig.world, H + "eel_landing", ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None
    low = started.put(evolve(started.get("p:hale"), hp=1))
    order = evolve(low.order, index=low.order.order.index("n:" + eel))
    _over, effects = fight._settle_turn(
        rig.world, evolve(low, order=order), ScriptedRng([19, 4]), now=0.0, turn_time=20.0
    )
    rig.apply(list(effects))
    hale = rig.world.chars["hale"]
    assert hale.room == H + "common_room" and hale.hp == 1
    told = (
        "Answer: You fell fighting the drowned eel-catcher on the Eel-Catchers' Landing, and"
        " were carried here. You have 1 of 12 HP: 'sleep' here (the long rest) before you go"
        " on."
    )
    # After a groan, and with no mark too (played, round 51: "ugh wat happened" was
    # said, and nothing answered).
    for question in (
        "what happened?",
        "how did I get here?",
        "what happened to me?",
        "ugh what happened",
        "ow. what happened?",
    ):
        seen = call(rig.world, "hale", question).text("hale").replace("\n", " ")
        assert told in seen, (question, seen)
    # And what it cost, after it or alone (played, round 57, a party carried back to the
    # Hospice: "what happened?? did we lose our stuff?" was said, and nothing answered).
    lost = told.replace(
        "were carried here.",
        "were carried here. Nothing was taken from you: you carry all you had, and your gold.",
    )
    for question in ("what happened?? did we lose our stuff?", "did we lose our stuff?"):
        seen = call(rig.world, "hale", question).text("hale").replace("\n", " ")
        assert lost in " ".join(seen.split()), (question, seen)
    assert "You fell" not in call(rig.world, "hale", "what happened? where is edda?").text("hale")
    # Walked on, or healed, the question is another's to answer.
    rig.world.move("hale", H + "crossroads")
    assert "You fell" not in call(rig.world, "hale", "what happened?").text("hale")
    rig.world.move("hale", H + "common_room")
    hale.hp = hale.max_hp
    assert "You fell" not in call(rig.world, "hale", "what happened?").text("hale")


def test_one_who_flees_into_another_fight_is_told_they_got_away_first() -> None:
    # Played: Mira fled the bog rat south into the drowned eel-catcher and read "== You
    # got away. The fight is over." under the new fight's "Your turn!".
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.world.npcs[H + "drowned_eelcatcher"].room = H + "eel_landing"
    hurt = _hurt_rat_fight(rig)
    over, effects = fight.act(
        rig.world, hurt, "alice", "flee", "south", ScriptedRng([20]), now=0.0, turn_time=20.0
    )
    assert over is None
    got = effects.index(Tell("alice", fight._GOT_AWAY))
    walk = next(i for i, e in enumerate(effects) if isinstance(e, Move) and e.who == "alice")
    assert got < walk
    out = carry_out(rig.world, list(effects), rules_ctx())
    seen = out.lines("alice")
    got_away = seen.index("== You got away. The fight is over.")
    assert got_away < seen.index("The drowned eel-catcher attacks!"), seen
    assert seen[got_away + 1].startswith("The Eel-Catchers' Landing"), seen  # then the view


def test_a_blow_that_leaves_one_hit_point_is_told_grave() -> None:
    # Played: Mira, at 1 of 9 HP after a critical hit, read "You are hurt, and it shows.".
    for blow, hp, grave in ((2, 2, False), (3, 1, True)):  # 1d8 + 3 against 7 HP
        rig = EngineRig()
        rig.player("alice", "smugglers_tunnel", kit=True)
        started, _ = fight.begin(
            rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
        )
        assert started is not None
        after, effects = fight.act(
            rig.world,
            started,
            "alice",
            "attack",
            "rat",
            ScriptedRng([15, blow, 1]),
            now=0.0,
            turn_time=20.0,
        )
        assert after is not None and after.get("n:" + RAT).hp == hp
        beats = [b for ask in narration_asks(effects) for b in ask.outcome.beats]
        hit = next(b for b in beats if b.action == "hit")
        assert hit.hurt and hit.grave is grave, hit


def test_one_who_joins_in_the_last_round_shares_by_the_rounds_they_fought() -> None:
    # Played by a griefer: joining another's fight in its last round took half its
    # experience and gold.
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.player("bob", "lantern_cellar", kit=True)
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=RAT
    )
    assert started is not None and started.order.current == "p:alice"
    # Alice has fought the rat alone for three rounds; Bob comes down in the fourth.
    late = evolve(started, order=evolve(started.order, round=4))
    rig.world.chars["bob"].room = TUNNEL
    joined, _ = fight.join(rig.world, late, "bob", ScriptedRng([]))
    assert joined.joined == (("p:bob", 4),)
    # Alice fells it with a critical hit (d20 20; 2d8 8+8, +3).
    over, effects = fight.act(
        rig.world, joined, "alice", "attack", "rat", ScriptedRng([20, 8, 8]), now=0.0,
        turn_time=20.0,
    )  # fmt: skip
    assert over is None
    gains = {e.who: e.xp for e in effects if isinstance(e, Gain)}
    assert gains == {"alice": 20, "bob": 5}  # 25 XP by four rounds to one


def test_one_who_joins_a_fight_reads_it_of_themself() -> None:
    # Played: walking into the tunnel where her leader fought a rat, Juniper read
    # "Juniper joins the fight." on her own screen.
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    rig.player("bob", "smugglers_tunnel", kit=True)
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=RAT
    )
    assert started is not None
    alone = evolve(started, fighters=tuple(c for c in started.fighters if c.id != "p:bob"))
    alone = evolve(alone, order=TurnOrder(tuple(i for i in alone.order.order if i != "p:bob")))
    _, effects = fight.join(rig.world, alone, "bob", ScriptedRng([]))
    assert rig.seen("bob", effects) == ["You join the fight."]
    assert rig.seen("alice", effects) == ["Bob joins the fight."]


def test_equal_weights_share_as_none_do_and_weights_lose_nothing() -> None:
    for total, count, turn in ((25, 2, 0), (7, 3, 2), (0, 4, 1), (100, 5, 3)):
        assert party.shares(total, count, turn, [3] * count) == party.shares(total, count, turn)
    got, _ = party.shares(25, 2, 0, [4, 1])
    assert got == [20, 5]
    got, _ = party.shares(26, 3, 1, [4, 1, 1])
    assert sum(got) == 26 and got[0] >= 17


def test_what_a_felled_foe_leaves_is_kept_for_those_who_fought_it_a_while() -> None:
    # Played by a griefer: a stranger walked in as the foe fell and took what it left.
    rig = EngineRig()
    rig.player("alice", "eel_landing", kit=True)
    rig.player("cal", "common_room", kit=True)
    catcher = H + "drowned_eelcatcher"
    started, _ = fight.begin(
        rig.world, H + "eel_landing", ScriptedRng([20, 1]), now=0.0, turn_time=20.0,
        target=catcher,
    )  # fmt: skip
    assert started is not None and started.order.current == "p:alice"
    weak = started.put(evolve(started.get("n:" + catcher), hp=1))
    over, effects = fight.act(
        rig.world, weak, "alice", "attack", "catcher", ScriptedRng([20, 8, 8]), now=100.0,
        turn_time=20.0,
    )  # fmt: skip
    assert over is None
    rig.apply(effects)
    rig.world.chars["cal"].room = H + "eel_landing"
    kept = "The potion of healing is for Alice to take, who fought for it: 60 more seconds."
    assert rig.seen("cal", _get(rig, "cal", "get potion", now=100.0)) == [kept]
    assert rig.seen("cal", _get(rig, "cal", "get all", now=100.0)) == [kept]
    # Once the time is out, anyone's.
    taken = _get(rig, "cal", "get potion", now=161.0)
    assert rig.seen("cal", taken) == ["You pick up a potion of healing."]


def test_one_who_fought_takes_what_the_foe_left_at_once() -> None:
    rig = EngineRig()
    rig.player("alice", "eel_landing", kit=True)
    item = rig.world.spawn_item("hollowmere:healing_potion", "room:hollowmere:eel_landing")
    assert item is not None
    rig.world.claims[item] = (("alice",), 60.0)
    assert rig.seen("alice", _get(rig, "alice", "get potion", now=1.0)) == [
        "You pick up a potion of healing."
    ]


def _get(rig: EngineRig, key: str, line: str, *, now: float) -> list[Effect]:
    ctx = Ctx(now=now, rng=ScriptedRng([]))
    return dispatch(rig.world, rig.world.chars[key], parse(line, ALIASES), ctx)


def test_coins_picked_up_are_gold() -> None:
    # Played by a party of three: "a handful of copper coins" was an item in the pack,
    # and "split the coins with the group" did nothing.
    rig = EngineRig()
    rig.player("borin", "market_lane", kit=True)
    rig.player("ann", "market_lane", kit=True)
    before = rig.world.chars["borin"].gold
    called = call(rig.world, "borin", "get coins", [10])
    assert called.lines("borin") == ["You pick up a handful of copper coins.", "+3 gold"]
    assert called.lines("ann") == ["Borin picks up a handful of copper coins."]
    assert rig.world.chars["borin"].gold == before + 3
    carried = [rig.world.items[i].template for i in rig.world.chars["borin"].inventory]
    assert "hollowmere:copper_coins" not in carried
    assert "hollowmere:copper_coins" not in [
        rig.world.items[i].template for i in rig.world.items_in_room("hollowmere:market_lane")
    ]


def test_the_same_blow_in_ones_own_words_again_and_again_is_struck_each_turn() -> None:
    # Played at the Warden: the Lamp-Keeper's third "*swings the lantern-mace at the
    # warden*" was "You have just said that. Say something new.", and the turn ran out.
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    line = "*swings her sword at the eel-catcher*"
    recent: list[str] = []
    for _ in range(3):
        seen = call(rig.world, "maren", line, dice=[2, 1, 1], recent=tuple(recent)).lines("maren")
        assert seen[0].startswith("Maren attacks the drowned eel-catcher"), seen
        recent.append(line)
    # Out of one's turn, a pose said over and over is still a flood.
    rig.world.fights.clear()
    seen = call(rig.world, "maren", "*waves*", recent=("*waves*",) * 3).lines("maren")
    assert seen == ["You have just said that. Say something new."], seen


def test_one_down_in_a_fight_who_tries_a_potion_is_told_they_are_down() -> None:
    # Played (round 46): Quill, fallen to the Lamplighter, typed "*gulps down a healing
    # potion*" and read "Wait for your turn.", a turn that never came.
    rig = EngineRig()
    rig.player("quill", "smugglers_tunnel", kit=True)
    rig.player("marla", "smugglers_tunnel", kit=True)
    call(rig.world, "marla", "attack rat", dice=[20, 1, 1, 1, 1, 1])
    rig.world.chars["quill"].down = True
    for line in ("drink potion", "*gulps down a healing potion*"):
        seen = call(rig.world, "quill", line).lines("quill")
        down = "You are down, senseless: you can do nothing until someone heals you."
        assert seen == [down], (line, seen)


def test_a_potion_drunk_or_quaffed_on_one_s_turn_is_told_as_drunk() -> None:
    # Played against the Warden: "quaff potion" read "You use a potion of healing".
    for line in ("quaff potion", "drink potion", "gulp down the potion"):
        rig = EngineRig()
        rig.player("marla", "smugglers_tunnel", kit=True)
        call(rig.world, "marla", "attack rat", dice=[20, 1, 1, 1, 1, 1])
        rig.world.chars["marla"].hp = 3
        seen = call(rig.world, "marla", line, dice=[4, 4, 1, 1]).lines("marla")
        assert seen[0].startswith("You drink a potion of healing, and heal 9"), (line, seen)
    # And narrated so (played: "You reach for the healing draught.").
    text = OfflineNarrator(0).compose(
        NarrationRequest(
            request_id=1,
            kind="combat",
            room=RoomSnapshot(room_id=TUNNEL, name="Smugglers' Tunnel", description="Wet."),
            actor=None,
            text="combat round 1",
            outcome=Outcome(
                "round", 1, beats=(Beat("Marla", "drink", target="potion of healing"),)
            ),
            priority=Priority.HIGH,
            created=0.0,
        )
    )
    assert re.search(
        r"Marla (drinks the potion of healing down|gulps down the potion of healing)", text
    ), text
    # Unhurt on one's turn, an ale is kept, as a potion is (found in review: drunk, and
    # no turn taken).
    rig = EngineRig()
    rig.player("marla", "smugglers_tunnel", kit=True)
    call(rig.world, "marla", "attack rat", dice=[20, 1, 1, 1, 1, 1])
    rig.apply([SpawnItem("hollowmere:marsh_ale", "char:marla")])
    marla = rig.world.chars["marla"]
    marla.hp = marla.max_hp
    seen = call(rig.world, "marla", "drink ale").lines("marla")
    assert seen[0].startswith("You are already at full health"), seen


def test_a_potion_downed_in_a_pose_is_drunk() -> None:
    # Played (round 46) in the Warden's fight: "*downs a healing potion*" was read as a
    # way down and refused, "You are in a fight: ...".
    rig = EngineRig()
    rig.player("marla", "smugglers_tunnel", kit=True)
    call(rig.world, "marla", "attack rat", dice=[20, 1, 1, 1, 1, 1])
    rig.world.chars["marla"].hp = 3
    seen = call(rig.world, "marla", "*downs a healing potion*", dice=[4, 4, 1, 1]).lines("marla")
    assert seen[0].startswith("You use a potion of healing, and heal 9"), seen
    assert rig.world.chars["marla"].hp > 3


def test_prose_that_raises_a_weapon_and_brings_it_down_on_the_foe_strikes() -> None:
    # Played (round 51) at the reed path, on Oswin's turn: 'Oswin raises his
    # lantern-mace high. "Saint Ysolde, guide my hand!" He brings it down on the drowned
    # thing.' was two poses and words said, and no blow.
    rig = EngineRig()
    rig.player("oswin", "reed_path", cls="hollowmere:cleric", kit=True)
    rig.world.npcs[H + "drowned_eelcatcher"].room = H + "reed_path"
    call(rig.world, "oswin", "attack eel-catcher", dice=[20, 1, 3])
    call(rig.world, "oswin", "defend")  # the eel-catcher's turn, then his again
    line = (
        'Oswin raises his lantern-mace high. "Saint Ysolde, guide my hand!" He brings it'
        " down on the drowned thing."
    )
    seen = call(rig.world, "oswin", line, dice=[15, 3, 1, 1]).lines("oswin")
    # In the order written: the cry before the blow.
    assert seen[:2] == [
        "Oswin raises his lantern-mace high.",
        "You say, 'Saint Ysolde, guide my hand!'",
    ]
    assert seen[2].startswith("Oswin attacks the drowned eel-catcher: d20 15+"), seen


def test_a_line_opening_with_ones_name_in_a_fight_is_read_as_a_pose() -> None:
    # Played (round 51), bringing Edda home, on Oswin's turn at the reed path: "Oswin puts
    # himself between Edda and the drowned thing and swings." was "You are in a fight:
    # ...", where "*puts himself ... and swings*" strikes.
    rig = turn_at_the_eelcatcher("oswin", "kessa")
    line = "Oswin puts himself between Kessa and the drowned thing and swings."
    seen = call(rig.world, "oswin", line, dice=[15, 3, 1, 1]).lines("oswin")
    assert seen[0] == "Oswin puts himself between Kessa and the drowned thing.", seen
    assert seen[1].startswith("Oswin attacks the drowned eel-catcher: d20 15+"), seen
    # Out of a fight it is the command it was, in the third person.
    calm = EngineRig()
    calm.player("oswin", "cellar", kit=True)
    seen = call(calm.world, "oswin", "Oswin opens the trapdoor.").lines("oswin")
    assert seen == ["The trapdoor is locked."], seen


def test_help_on_fighting_tells_the_rules_of_this_world_and_one_s_own_turn() -> None:
    # Played by one come to fight: "help combat" was "There is no help on 'combat'."
    rig = EngineRig()
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    for line in ("help combat", "help fight", "help fighting"):
        (told,) = rig.seen("mira", rig.run("mira", line))
        text = " ".join(told.split())
        assert text.startswith("fights ====== A fight begins when you attack a foe"), text
        assert (
            "On your turn (20 seconds) you may: attack, defend, flee <direction>, use <item>,"
            " heal, or bless." in text
        )
        assert "No one dies here." in text  # Hollowmere carries the fallen home
    # A world of death saves says so; a screen reader's turn is its longer one.
    from pathlib import Path

    from mud.engine.state import World
    from mud.world.loader import load_packs

    arena = EngineRig()
    arena.world = World(load_packs([Path(__file__).resolve().parent / "packs" / "arena"]))
    arena.world.seed_rooms()
    arena.world.seed_npcs()
    arena.player("ann", "pit", "arena:gladiator")
    arena.world.chars["ann"].screenreader = True
    (told,) = arena.seen("ann", arena.run("ann", "help combat"))
    text = " ".join(told.split())
    assert "roll a death save" in text and "No one dies here." not in text, text
    assert "On your turn (60 seconds)" in text, text
    # The list of commands names it.
    assert "fight (how a fight goes)" in rig.seen("mira", rig.run("mira", "help"))[0]
