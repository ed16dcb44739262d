"""Two players group over real telnet, walk together and share a kill.

The den test pack has one weak rat worth 25 XP and 5 gold; split between two, nothing is
lost: one gets 13 XP and the other 12, one 3 gold and the other 2.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mudclient import (
    TelnetPlayer,
    first_to_see,
    login_existing,
    login_new,
    make_config,
    running_server,
)

from mud.core.clock import FakeClock
from mud.core.ops import PutCharacter
from mud.replay import _accounts, load_events, replay
from mud.store.db import Store

DEN = str(Path(__file__).resolve().parent / "packs" / "den")


async def _sheet(player: TelnetPlayer) -> tuple[int, int]:
    player.send("score")
    sheet = await player.expect(r"XP \d+[\s\S]*?Gold \d+")
    xp = re.search(r"XP (\d+)", sheet)
    gold = re.search(r"Gold (\d+)", sheet)
    assert xp is not None and gold is not None
    return int(xp.group(1)), int(gold.group(1))


async def test_two_players_group_move_together_and_share_a_kill(tmp_path: Path) -> None:
    config = make_config(tmp_path, content=(DEN,))
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(ann, "Ann", cls="gladiator")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob", cls="gladiator")

        ann.send("group invite bob")
        await ann.expect("You invite Bob to your group.")
        await bob.expect("Ann invites you to join the group")
        bob.send("group accept")
        await bob.expect("You join Ann's group and follow Ann.")
        await ann.expect("Bob joins the group.")
        ann.send("group")
        listed = await ann.expect(r"Ann's group[\s\S]*?Bob[^\n]*")
        assert re.search(r"Ann \(leader\)\s+\d+/\d+", listed)
        assert re.search(r"Bob\s+\d+/\d+", listed)

        # Ann walks north; Bob, following, comes along without typing anything.
        ann.send("north")
        await ann.expect(r"The Den[\s\S]*?Exits:")
        await bob.expect("You follow Ann north.")
        await bob.expect(r"The Den[\s\S]*?Exits:")
        # The scene is set for both of them, each reading it as "you and the other".
        await ann.expect(r"You and Bob [a-z]+")
        await bob.expect(r"You and Ann [a-z]+")

        ann.send("attack rat")
        for player in (ann, bob):
            await player.expect("FIGHT! Initiative")
        for _ in range(10):  # AC 1 and 1 HP: only a natural 1 misses
            turn, said = await first_to_see([ann, bob], r"Your turn!|The den rat is defeated!")
            if "defeated" in said:
                break
            turn.send("attack rat")
        else:
            raise AssertionError("the rat was never defeated")
        for player in (ann, bob):
            await player.expect("Victory")
        (ann_xp, ann_gold), (bob_xp, bob_gold) = await _sheet(ann), await _sheet(bob)
        assert ann_xp + bob_xp == 25 and sorted((ann_xp, bob_xp)) == [12, 13]
        assert ann_gold + bob_gold == 5 and sorted((ann_gold, bob_gold)) == [2, 3]
        await ann.close()
        await bob.close()


async def test_a_group_survives_a_restart_and_ends_for_good_when_a_member_quits(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, content=(DEN,))
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(ann, "Ann", cls="gladiator")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob", cls="gladiator")
        ann.send("group invite bob")
        await bob.expect("Ann invites you to join the group")
        bob.send("group accept")
        await ann.expect("Bob joins the group.")
        # The server goes down with both still playing (as SIGTERM takes it down).
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(ann, "Ann")
        ann.send("group")
        listed = await ann.expect(r"Ann's group[\s\S]*?Bob[^\n]*")
        assert re.search(r"Ann \(leader\)\s+\d+/\d+", listed)
        assert re.search(r"Bob\s+-\s+away", listed)
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(bob, "Bob")
        assert srv.hub.world.groups == {"ann": "ann", "bob": "ann"}
        ann.send("group")
        listed = await ann.expect(r"Ann's group[\s\S]*?Bob[^\n]*")
        assert re.search(r"Bob\s+\d+/\d+", listed)
        # Bob still follows Ann: she walks north and he comes along.
        ann.send("north")
        await bob.expect("You follow Ann north.")
        await bob.expect(r"The Den[\s\S]*?Exits:")
        # The scene is set for both of them, each reading it as "you and the other".
        await ann.expect(r"You and Bob [a-z]+")
        await bob.expect(r"You and Ann [a-z]+")
        # Bob quits: a group of two ends, and stays ended after the next restart.
        bob.send("quit")
        await bob.closed()
        ann.send("group")
        await ann.expect("You are not in a group.")
        await ann.close()
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(ann, "Ann")
        assert srv.hub.world.groups == {} and srv.hub.world.following == {}
        ann.send("group")
        await ann.expect("You are not in a group.")
        await ann.close()


async def test_the_last_one_to_flee_hears_the_fight_end_and_the_foe_heals(
    tmp_path: Path,
) -> None:
    """Found playing issue 11: the end of a fight everyone fled went to the room they had
    all left, so nobody read it; and the foe kept its wounds for the next attempt."""
    config = make_config(tmp_path, seed=3)
    light = "hollowmere:corpse_light"
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(ann, "Ann", cls="fighter")
        world = srv.hub.world
        # Bare hands (1d2+3) cannot fell the light (8 HP) in one blow.
        ann.send("remove longsword")
        await ann.expect("You remove")
        stats = world.templates.npcs[light].stats
        assert stats is not None
        hurt = False
        for _attempt in range(5):
            for way in ("south", "south", "south", "west"):
                ann.send(way)
                await ann.expect("Exits:")
            await ann.expect("FIGHT! Initiative")
            said = ""
            for _ in range(20):
                said = await ann.expect(r"Your turn!|You wake|ESCAPES")
                if not said.endswith("Your turn!"):
                    break
                # Blows until one lands, then away east.
                hurt = hurt or world.npcs[light].hp < stats.hp
                acted = "flee east" if hurt else "attack light"
                ann.send(acted)
            if said.endswith("ESCAPES"):
                break
            ann.send("rest long")  # carried to the tavern: sleep and try again
            await ann.expect("You sleep deeply")
        else:
            raise AssertionError("Ann never got away")
        await ann.expect(r"== You got away\. The fight is over\.")
        assert "fight is lost" not in ann.seen and world.fights == {}
        assert hurt and world.npcs[light].hp == stats.hp
        await ann.close()


async def test_a_session_with_a_group_across_a_restart_replays_identically(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_config(tmp_path, content=(DEN,))
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(ann, "Ann", cls="gladiator")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob", cls="gladiator")
        ann.send("group invite bob")
        await bob.expect("Ann invites you to join the group")
        bob.send("group accept")
        await ann.expect("Bob joins the group.")
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(ann, "Ann")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(bob, "Bob")
        ann.send("north")
        await bob.expect("You follow Ann north.")
        ann.send("quit")
        await ann.closed()
        bob.send("quit")
        await bob.closed()
    events = await load_events(config.db)
    assert [e.kind for e in events].count("start") == 2
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mud.store"):
        result = await replay(events)
    assert result.ok, result.first
    assert not [r for r in caplog.records if "failed" in r.getMessage()], caplog.text
    # What the replay saves has an account to be saved under: the players' logins are
    # not events, and a replay logged "store write PutCharacter failed: IntegrityError"
    # whenever its writer reached a character's save before it ended.
    accounts = _accounts(events)
    assert sorted(a.name_key for a in accounts) == ["ann", "bob"]
    scratch = await Store.open(tmp_path / "scratch.db", clock=FakeClock())
    try:
        await scratch.apply(accounts)
        await scratch.apply([PutCharacter(a.name_key, "{}", 0.0) for a in accounts])
    finally:
        await scratch.close()


async def test_one_brought_along_still_walks_behind_her_guide_after_a_restart(
    tmp_path: Path,
) -> None:
    # Played (round 46): the server restarted mid-way home, and Edda stood on the marsh
    # path while Marla and Quill walked on to the tavern without her.
    config = make_config(tmp_path)
    edda = "hollowmere:edda_venn"
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(ann, "Ann", cls="fighter")
        world = srv.hub.world
        world.chars["ann"].quests = {"hollowmere:the_lamplighter": -1}
        world.npcs[edda].room = "hollowmere:crossroads"
        ann.send("south")
        await ann.expect("Edda Venn is here")
        ann.send("edda, let's get you home")
        await ann.expect("Edda Venn will go with Ann.")
        assert world.escorts == {edda: "ann"}
        # The server goes down with her still asked along (as SIGTERM takes it down).
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(ann, "Ann")
        assert srv.hub.world.escorts == {edda: "ann"}
        ann.send("north")
        await ann.expect("Common Room")
        await ann.expect("Edda Venn arrives, following Ann.")
        assert srv.hub.world.npcs[edda].room == "hollowmere:common_room"
        await ann.close()
