"""Two players fight an NPC together over loopback telnet, with the DM narrating the round.

The arena test pack's brute always wins initiative and fells whoever it strikes, but has
a glass jaw. With the server's fixed seed the fight is the same every run: one player
goes down, the other wins, and the result survives a restart.
"""

from __future__ import annotations

from pathlib import Path

from fake_openai import FakeOpenAI, Fault
from mudclient import (
    TelnetPlayer,
    first_to_see,
    login_existing,
    login_new,
    make_config,
    running_server,
)

ARENA = str(Path(__file__).resolve().parent / "packs" / "arena")
ROUND = ("The ", "crowd ", "roars ", "as ", "the ", "Brute ", "topples.")
ROUND_SEEN = r"The\s+crowd\s+roars\s+as\s+the\s+Brute\s+topples\."


async def test_two_players_fight_one_falls_the_other_wins_and_it_persists(tmp_path: Path) -> None:
    async with FakeOpenAI(default=Fault("text", tokens=("Sand ", "stirs."))) as fake:
        config = make_config(tmp_path, llm=fake, content=(ARENA,))
        async with running_server(config) as srv:
            ann = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(ann, "Ann", cls="gladiator")
            bob = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(bob, "Bob", cls="gladiator")
            for player in (ann, bob):
                player.send("north")
                await player.expect("The Brute is here|The Brute and|and the Brute")
            await fake.wait_requests(2)  # the two opening narrations
            fake.script(Fault("text", tokens=ROUND))
            # A group: a fight one starts with a foe that waits to be attacked is one's
            # own and one's group's (a stranger beside one stays out of it).
            ann.send("group invite bob")
            await bob.expect("invites you")
            bob.send("group accept")
            await ann.expect("Bob joins the group")

            ann.send("attack brute")
            for player in (ann, bob):
                await player.expect("FIGHT! Initiative")
                await player.expect(r"The Brute attacks (Ann|Bob): d20")
            fallen_line = await ann.expect(r"(Ann|Bob) falls, badly hurt!")
            await bob.expect(r"(Ann|Bob) falls, badly hurt!")
            fallen_name = "Ann" if "Ann falls" in fallen_line else "Bob"
            standing, _ = await first_to_see([ann, bob], r"Your turn!")
            assert (standing is ann) == (fallen_name == "Bob")
            standing.send("attack brute")
            for player in (ann, bob):
                await player.expect(r"attacks the Brute: d20 .* HIT")
                await player.expect("The Brute is defeated!")
                await player.expect("Victory")
            fallen = bob if standing is ann else ann
            await fallen.expect("come to with 1 HP")
            for player in (ann, bob):
                await player.expect(ROUND_SEEN)  # the round, narrated once, to both
            standing.send("score")
            sheet = await standing.expect(r"XP \d+")
            assert "XP 100" in sheet  # 200 XP shared by the two who fought
            combat_calls = [r for r in fake.requests if "combat round" in str(r["messages"])]
            assert len(combat_calls) == 1
            await ann.close()
            await bob.close()

        async with running_server(config) as srv:
            ann = await TelnetPlayer.connect(srv.telnet_port)
            await login_existing(ann, "Ann")
            ann.send("look")
            room = await ann.expect(r"Exits:[\s\S]*?>")
            assert "Brute" not in room  # dead, and it does not respawn
            assert "brass trophy" in room  # its loot is still on the floor
            ann.send("score")
            await ann.expect(r"XP 100")
            await ann.close()
