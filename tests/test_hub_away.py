"""Back from a dropped link, a player is told what happened meanwhile (``mud.engine.away``).

Played (round 61): a rogue whose SSH client died mid-fight with a bog rat came back to
"Reconnected. You are where you left off." and the room, at 7 of 15 hit points, with
nothing to say that the fight had been won while she was gone, or what it had earned her.
"""

from __future__ import annotations

from pathlib import Path

from attrs import evolve

from mud.core.events import Disconnected
from mud.core.outputs import Doc
from mud.engine import away
from mud.engine.combat import TurnOrder
from mud.engine.fight import Fight
from mud.engine.sheet import npc_combatant, player_combatant
from mud.render.doc import render
from tests.call import call, turn_at_the_eelcatcher
from tests.enginerig import PLAIN, EngineRig
from tests.hubrig import make_rig

ARENA = Path(__file__).resolve().parent / "packs" / "arena"


async def test_a_fight_won_while_the_link_was_down_is_told_on_return(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=ARENA) as rig:
        ann = await rig.create("Ann", cls="gladiator")
        bob = await rig.create("Bob", peer="10.0.0.2", cls="gladiator")
        for session in (ann, bob):
            await rig.line(session, "north")
            await session.expect("Exits:")
        world = rig.hub.world
        # The Brute made to hit softly, and Ann first: Bob's link drops before his turn.
        foe = evolve(npc_combatant(world, world.npcs["arena:brute"]), damage="1d2")
        world.fights["arena:pit"] = Fight(
            "arena:pit",
            (
                player_combatant(world, world.chars["ann"]),
                player_combatant(world, world.chars["bob"]),
                foe,
            ),
            TurnOrder(("p:ann", foe.id, "p:bob")),
        )
        await rig.hub.post(Disconnected(conn=bob.conn))
        await ann.expect("Bob goes still")
        await rig.line(ann, "attack brute")
        await ann.expect("Victory")
        back = await rig.login("Bob")
        seen = " ".join(
            (await back.expect(r"Reconnected[\s\S]*?While you were away:[\s\S]*?HP >")).split()
        )
        assert "While you were away: The fight with the Brute was won." in seen, seen
        assert "You gained +" in seen and " XP" in seen, seen
        # Told once: the next look says nothing of it.
        await rig.line(back, "look")
        assert "While you were away" not in await back.expect(r"Exits:[\s\S]*?HP")


async def test_a_link_dropped_with_nothing_changed_is_told_nothing_more(tmp_path: Path) -> None:
    async with make_rig(tmp_path) as rig:
        alice = await rig.create("Alice")
        await alice.expect("HP >")
        await rig.hub.post(Disconnected(conn=alice.conn))
        back = await rig.login("Alice")
        seen = await back.expect(r"Reconnected[\s\S]*?HP >")
        assert "While you were away" not in seen, seen


def test_what_is_told_of_a_fight_going_on_lost_hit_points_and_quests_finished() -> None:
    rig = EngineRig()
    rig.player("maren", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "attack eel-catcher", dice=[20, 1, 2, 1, 1]))
    char = rig.world.chars["maren"]
    before = away.snapshot(rig.world, char)
    before_fight = rig.world.fights[char.room]
    assert [name for _, name in before.foes] == ["the drowned eel-catcher"], before
    char.hp -= 3
    char.xp += 25
    char.quests = {**char.quests, "hollowmere:missing_cartographer": -1}
    told = away.told(rig.world, char, before)
    assert told is not None
    text = " ".join(render(told, PLAIN).split())
    assert "The fight with the drowned eel-catcher goes on; 'turn' tells how it stands." in text, (
        text
    )
    assert f"You were hurt: {char.hp} of {char.max_hp} HP (you had {char.hp + 3})." in text, text
    assert "You gained +25 XP." in text, text
    assert "Quest complete: " in text and "The Missing Cartographer" in text, text
    # Carried home from a lost fight meanwhile: where they are now.
    rig.world.fights.pop(char.room, None)
    char.room = "hollowmere:common_room"
    text = " ".join(render(away.told(rig.world, char, before) or Doc(()), PLAIN).split())
    assert "The fight with the drowned eel-catcher is over." in text, text
    assert "You are in the Drowned Lantern, Common Room now." in text, text
    char.room = "hollowmere:eel_landing"
    rig.world.fights[char.room] = before_fight
    # Back in the fight with nothing else changed, only that it goes on; out of a
    # fight, nothing changed, nothing told.
    told = away.told(rig.world, char, away.snapshot(rig.world, char))
    assert told is not None and len(told.blocks) == 1
    calm = EngineRig()
    calm.player("maren", "common_room", kit=True)
    char = calm.world.chars["maren"]
    assert away.told(calm.world, char, away.snapshot(calm.world, char)) is None


def _told(rig: EngineRig, key: str, before: away.Away) -> str:
    doc = away.told(rig.world, rig.world.chars[key], before)
    return " ".join(render(doc, PLAIN).split()) if doc is not None else ""


def test_a_flight_a_fall_and_a_new_fight_are_each_told_as_they_were() -> None:
    # Found in review: one who fled (a wimpy flees for the link-dead) read "The fight
    # ... is over" while it went on; one carried home was never told he fell; one whose
    # group walked on into the next fight read that the first "goes on".
    rig = turn_at_the_eelcatcher("mira", "dov", cls="hollowmere:fighter")
    before = away.snapshot(rig.world, rig.world.chars["dov"])
    call(rig.world, "mira", "defend", dice=[5, 5])
    call(rig.world, "dov", "flee north", dice=[20, 5, 5])
    assert rig.world.chars["dov"].room == "hollowmere:causeway"
    text = _told(rig, "dov", before)
    assert text.startswith(
        "While you were away: You broke away from the fight with the drowned eel-catcher;"
        " it goes on without you."
    ), text
    assert "You are on the Sunken Causeway now." in text, text
    # A fall, and being carried home.
    rig = turn_at_the_eelcatcher("mira", "dov", cls="hollowmere:fighter")
    before = away.snapshot(rig.world, rig.world.chars["dov"])
    rig.world.fights.clear()
    dov = rig.world.chars["dov"]
    dov.deeds = [
        *dov.deeds,
        "fell:hollowmere:reed_path|hollowmere:common_room|the drowned eel-catcher",
    ]
    dov.room, dov.hp = "hollowmere:common_room", 1
    text = _told(rig, "dov", before)
    assert (
        "You fell to the drowned eel-catcher on the Reed-Marsh Path, and were carried to the"
        " Drowned Lantern, Common Room." in text
    ), text
    assert "now." not in text and f"1 of {dov.max_hp} HP" in text, text
    # The first fight won, and a new one met after walking on with the group.
    rig = turn_at_the_eelcatcher("mira", "dov", cls="hollowmere:fighter")
    before = away.snapshot(rig.world, rig.world.chars["dov"])
    rig.world.fights.clear()
    rig.world.npcs["hollowmere:drowned_eelcatcher"].alive = False
    for key in ("mira", "dov"):
        rig.world.move(key, "hollowmere:smugglers_tunnel")
    call(rig.world, "mira", "attack rat", dice=[1, 20, 1, 1])
    text = _told(rig, "dov", before)
    assert "The fight with the drowned eel-catcher was won." in text, text
    assert "You are in a fight with the bog rat; 'turn' tells how it stands." in text, text
    assert "goes on" not in text, text
