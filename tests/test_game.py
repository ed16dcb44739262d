"""The rules in play, through the hub: sheets, equipment, shops, quests. (Checks and
secrets, with scripted dice, are in test_call_rules.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from hubrig import CONTENT, Rig, make_rig

from mud.world.loader import load_packs

H = "hollowmere:"


async def test_new_character_gets_a_class_sheet_and_kit(rig: Rig) -> None:
    alice = await rig.create("Alice")
    char = rig.hub.world.chars["alice"]
    assert char.cls == H + "fighter" and char.hp == char.max_hp > 0
    await rig.line(alice, "score")
    sheet = await alice.expect(r"Alice the Fighter[\s\S]*?Gold \d+")
    assert f"HP {char.hp}/{char.max_hp}" in sheet
    assert "Level 1 Fighter" in sheet
    assert "STR 16 (+3)" in sheet
    await rig.line(alice, "equipment")
    await alice.expect(r"weapon\s+longsword")
    await rig.line(alice, "score")
    armoured = int((await alice.expect(r"AC \d+")).split()[1])
    await rig.line(alice, "remove chain shirt")
    await alice.expect("You remove the chain shirt")
    await rig.line(alice, "score")
    bare = int((await alice.expect(r"AC \d+")).split()[1])
    assert bare < armoured
    await rig.line(alice, "wear chain")
    await alice.expect("You wear the chain shirt")


async def test_roll_in_the_open_and_bad_dice_point_at_the_problem(rig: Rig) -> None:
    alice = await rig.create("Alice")
    bob = await rig.create("Bob", peer="10.0.0.2")
    await rig.line(alice, "roll 2d6+3 for the bridge")
    mine = await alice.expect(r"You roll for the bridge: 2d6\+3: \[\d, \d\] \+3 = \d+")
    theirs = await bob.expect(r"Alice rolls for the bridge: 2d6\+3: \[\d, \d\] \+3 = \d+")
    assert mine.split(": ", 1)[1] == theirs.split(": ", 1)[1]
    total = int(mine.rsplit("= ", 1)[1])
    assert 5 <= total <= 15
    await rig.line(alice, "roll 2d6+x")
    await alice.expect(r"Bad dice: .*position 5")


ARENA = Path(__file__).resolve().parent / "packs" / "arena"


async def test_items_come_back_with_a_character_who_leaves_and_returns(rig: Rig) -> None:
    alice = await rig.create("Alice")
    await rig.line(alice, "get lantern")
    await alice.expect("You pick up")
    await rig.line(alice, "quit")
    await alice.wait_closed()
    again = await rig.login("Alice")
    await again.expect("Exits:")
    await rig.line(again, "inventory")
    carried = await again.expect(r"You are carrying:[\s\S]*?>")
    assert "hooded lantern" in carried and "longsword" in carried


async def test_a_fight_goes_on_when_the_player_whose_turn_it_is_leaves(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=ARENA) as rig:
        ann = await rig.create("Ann", cls="gladiator")
        bob = await rig.create("Bob", peer="10.0.0.2", cls="gladiator")
        for session in (ann, bob):
            await rig.line(session, "north")
            await session.expect("Exits:")
        world = rig.hub.world
        await rig.line(ann, "attack brute")
        await ann.expect("FIGHT!")
        fight = world.fights.get("arena:pit")
        if fight is None:
            return  # over in one blow: nothing left to leave
        current = fight.order.current
        leaver = ann if current == "p:ann" else bob
        stayer = bob if leaver is ann else ann
        await rig.line(leaver, "quit")
        await leaver.wait_closed()
        # The other player is not stuck: the fight either ended or gives them a turn.
        await stayer.expect("Your turn!|Victory|fight is lost|You come to|You wake")


async def test_potion_in_a_fight_heals_the_fighter_not_just_the_sheet(tmp_path: Path) -> None:
    from attrs import evolve

    from mud.engine.combat import TurnOrder
    from mud.engine.fight import Fight
    from mud.engine.sheet import npc_combatant, player_combatant

    async with make_rig(tmp_path, content=ARENA) as rig:
        ann = await rig.create("Ann", cls="gladiator")
        await rig.line(ann, "north")
        await ann.expect("Exits:")
        world = rig.hub.world
        char = world.chars["ann"]
        char.hp = 1
        char.inventory.append(world.new_item("arena:tonic"))
        # A fight where Ann acts first and the foe always hits for 1 or 2.
        foe = evolve(npc_combatant(world, world.npcs["arena:brute"]), damage="1d2", attack_bonus=30)
        world.fights["arena:pit"] = Fight(
            "arena:pit", (player_combatant(world, char), foe), TurnOrder(("p:ann", foe.id))
        )
        await rig.line(ann, "drink tonic")
        healed = int(
            (await ann.expect(r"You drink a bitter tonic, and heal \d+")).rsplit(" ", 1)[1]
        )
        hit = await ann.expect(r"(HIT|CRIT) \d+ dmg \(Ann \d+/\d+ HP")
        damage = int(hit.split("dmg", 1)[0].split()[-1])
        assert f"(Ann {1 + healed - damage}/" in hit  # the blow landed on the healed fighter
        assert char.hp == 1 + healed - damage and not char.down
        # The fight's own record names what was used, not the whole roll line.


async def test_reload_that_removes_an_npc_does_not_break_its_room(tmp_path: Path) -> None:
    pack = tmp_path / "arena"
    shutil.copytree(ARENA, pack)
    async with make_rig(tmp_path, content=pack) as rig:
        admin = await rig.create_admin("Ann", cls="gladiator")
        await rig.line(admin, "north")
        await admin.expect("The Brute is here")
        (pack / "npcs.yaml").write_text("{}\n")
        await rig.line(admin, "reload")
        await admin.expect("Reloaded")
        await rig.line(admin, "look")
        view = await admin.expect(r"Exits:[\s\S]*?>")
        assert "Brute" not in view
        assert "arena:brute" not in rig.hub.world.npcs


async def test_a_player_who_does_not_act_in_time_defends(tmp_path: Path) -> None:
    from attrs import evolve

    from mud.engine.combat import TurnOrder
    from mud.engine.fight import Fight
    from mud.engine.sheet import npc_combatant, player_combatant

    async with make_rig(tmp_path, content=ARENA) as rig:
        ann = await rig.create("Ann", cls="gladiator")
        await rig.line(ann, "north")
        await ann.expect("Exits:")
        world = rig.hub.world
        foe = evolve(
            npc_combatant(world, world.npcs["arena:brute"]), damage="1d2", attack_bonus=-20
        )
        deadline = rig.clock.monotonic() + 20.0
        world.fights["arena:pit"] = Fight(
            "arena:pit",
            (player_combatant(world, world.chars["ann"]), foe),
            TurnOrder(("p:ann", foe.id)),
            deadline=deadline,
        )
        rig.clock.advance(21.0)
        await ann.expect("Too slow! You defend.")
        # Read in her own person (played: "Fenna takes a defensive stance" on her screen).
        await ann.expect(r"You take a defensive stance \(\+2 AC until your next turn\)")
        await ann.expect(r"The Brute attacks Ann: .* vs AC \d+ \(defending\)")
        await ann.expect("Your turn!")


def test_a_potion_drunk_in_a_fight_is_recorded_by_its_name() -> None:
    """The fight's record of the turn (and so the narration's beats) names the potion,
    not the whole roll line: no 'Alice uses Alice uses potion of healing: heals …'."""
    from enginerig import EngineRig, narration_asks

    from mud.engine.combat import TurnOrder
    from mud.engine.effects import SetFight
    from mud.engine.fight import Fight
    from mud.engine.sheet import npc_combatant, player_combatant

    rig = EngineRig()
    world = rig.world
    alice = rig.player("alice", "common_room")
    alice.hp = 2
    alice.inventory.append(world.new_item("hollowmere:healing_potion"))
    rat = world.npcs["hollowmere:bog_rat"]
    foe = npc_combatant(world, rat)
    world.fights[alice.room] = Fight(
        alice.room, (player_combatant(world, alice), foe), TurnOrder(("p:alice", foe.id))
    )
    effects = rig.run("alice", "drink potion", dice=[3, 3, 1, 1])
    fights = [e.fight for e in effects if isinstance(e, SetFight) and e.fight is not None]
    # Drunk, the beat is "drink" (played: narrated "You reach for the healing draught."
    # after "You drink a healing draught").
    beats = [b for f in fights for b in f.beats if b.action == "drink"]
    beats += [b for a in narration_asks(effects) for b in a.outcome.beats if b.action == "drink"]
    assert beats and all(b.target == "potion of healing" for b in beats)
    text = " ".join(rig.seen("alice", effects))
    assert "uses Alice uses" not in text


def test_quaff_alone_drinks_the_potion_just_handed_or_the_one_kind_carried() -> None:
    # Played (round 50): Mara tossed Jax her potion, and his "quaff" read "Use what?".
    from enginerig import EngineRig

    from tests.call import call

    rig = EngineRig()
    world = rig.world
    mara = rig.player("mara", "smugglers_tunnel")
    jax = rig.player("jax", "smugglers_tunnel")
    mara.inventory.append(world.new_item(H + "healing_potion"))
    jax.hp = 3
    call(world, "mara", "give potion to jax")
    seen = call(world, "jax", "quaff").lines("jax")
    assert seen[0].startswith("You drink a potion of healing"), seen
    assert jax.hp > 3
    # Two kinds carried, none handed: which is asked, and what there is told.
    jax.inventory.append(world.new_item(H + "healing_potion"))
    jax.inventory.append(world.new_item(H + "eel_pie"))
    world.handed.pop("jax", None)
    seen = call(world, "jax", "drink").lines("jax")
    assert seen == ["Use what? You carry the potion of healing and the eel pie."], seen
    # Hurt, with one kind that heals among them, that one (played at the Lamplighter, 3
    # HP, a potion and holy water: "Use what?", and the turn ran out).
    jax.inventory.append(world.new_item(H + "holy_water"))
    jax.inventory.remove(next(i for i in jax.inventory if world.items[i].template == H + "eel_pie"))
    jax.hp = 3
    seen = call(world, "jax", "quaff").lines("jax")
    assert seen[0].startswith("You drink a potion of healing"), seen
    # Nothing to use.
    assert call(world, "mara", "quaff").lines("mara") == ["Use what?"]


async def test_a_pack_added_to_a_world_long_played_has_its_rooms_furnished(
    tmp_path: Path,
) -> None:
    # Played (round 52): the Saltmarsh Ferry loaded beside a Hollowmere already played
    # left the tollhouse bare of its ferry token and the salt bank of its samphire (the
    # saved world had floors, so no room was furnished).
    ferry = CONTENT.parent / "saltmarsh_ferry"
    async with make_rig(tmp_path, content=CONTENT) as rig:
        alice = await rig.create("Alice")
        await rig.line(alice, "get lantern")
        await alice.expect("You pick up")
    async with make_rig(tmp_path, content=ferry) as rig:
        world = rig.hub.world
        in_the_tollhouse = [
            world.items[i].template for i in world.items_in_room("saltmarsh_ferry:tollhouse")
        ]
        assert in_the_tollhouse == ["saltmarsh_ferry:ferry_token"]
        # What was saved stays as it was: the lantern taken is not laid back.
        assert world.items_in_room("hollowmere:common_room") == []
    # A pack added by a reload is furnished too.
    (tmp_path / "reload").mkdir()
    async with make_rig(tmp_path / "reload", content=CONTENT) as rig:
        world = rig.hub.world
        assert "saltmarsh_ferry:salt_bank" not in world.templates.rooms
        world.apply_templates(load_packs([ferry]))
        samphire = [
            world.items[i].template for i in world.items_in_room("saltmarsh_ferry:salt_bank")
        ]
        assert samphire == ["saltmarsh_ferry:samphire"]
        assert len(world.items_in_room("hollowmere:common_room")) == 1
