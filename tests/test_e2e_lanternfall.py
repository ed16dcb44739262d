"""The second bundled campaign, Lanternfall, played through over real telnet.

Lanternfall was written by a builder new to mud from content/README.md alone (round 56):
a snowed-in pass town, its own three callings, and four quests from the Hospice hall to
the Unlit Abbot in the ice and the novice Pell brought home. A party of two, a Pass
Warden and a Lantern Monk, plays it all here against the real server, with the same
helpers as Hollowmere's campaign (``test_e2e_campaign``): a failed search is tried
again, fights are fought turn by turn (a draught when hurt), and a lost fight (the
fallen are carried to the Hospice fire) is slept off and fought again.
"""

from __future__ import annotations

from pathlib import Path

from mudclient import make_config, running_server
from test_e2e_campaign import Hero, _do, _group, _join, _lead, _quest_done, _search, _world

LANTERNFALL = Path(__file__).resolve().parent.parent / "content" / "lanternfall"
L = "lanternfall:"
QUESTS = ("The Dark Lanterns", "The High Stair", "The Unlit Abbot", "Down from the Pass")
CHAIN = tuple(L + q for q in ("dark_lanterns", "the_high_stair", "the_unlit_abbot"))


async def _play(srv: object, party: list[Hero]) -> None:
    """The whole of Lanternfall for ``party``, its leader first."""
    leader = party[0]
    # 1. The Dark Lanterns: Pell's cell, a letter each, the key under the floorboard.
    await _lead(srv, party, L + "novice_cell")
    for hero in party:
        await _do(hero, "get letter", "You pick up a folded letter")
    await _search(leader, "floorboard")
    await _quest_done(party, QUESTS[0])
    await _do(leader, "get key", "You pick up a postern key")

    # 2. The High Stair: the cairn road and its wolf, the postern gate, the waterfall.
    await _lead(srv, party, L + "cairn_road")
    await _do(leader, "unlock gate", "You unlock the postern gate")
    await _do(leader, "open gate", "You open the postern gate")
    await _lead(srv, party, L + "high_stair")
    await _search(leader, "waterfall")
    await _lead(srv, party, L + "ice_cave")
    await _quest_done(party, QUESTS[1])

    # 3. The Unlit Abbot, in the frozen sanctum; Pell above him.
    world = _world(srv)
    for _ in range(6):
        if not world.npcs[L + "unlit_abbot"].alive:
            break
        await _lead(srv, party, L + "frozen_sanctum")
    await _lead(srv, party, L + "lamp_room")
    await _quest_done(party, QUESTS[2])

    # 4. Down from the Pass: asked along, Pell walks behind the leader to the Hospice.
    await _do(leader, "pell, let's go home", f"Pell will go with {leader.name}")
    await _lead(srv, party, L + "hostel_hall")
    await _quest_done(party, QUESTS[3])
    # The hall as the party reads it now: the hook over the fire holds a lit lantern.
    await _do(leader, "look", "lantern ninety-eight burns again")


async def test_a_party_of_two_plays_lanternfall_to_pell_brought_home(tmp_path: Path) -> None:
    limits = {"flood_rate": 1000, "flood_burst": 10000}
    config = make_config(tmp_path, seed=3, limits=limits, content=(str(LANTERNFALL),))
    async with running_server(config) as srv:
        party = [await _join(srv, "Alice", "warden"), await _join(srv, "Bob", "lantern_monk")]
        await _group(party)
        await _play(srv, party)
        world = _world(srv)
        assert world.npcs[L + "pell"].room == L + "hostel_hall"
        assert not world.npcs[L + "unlit_abbot"].alive
        for hero in party:
            quests = world.chars[hero.key].quests
            assert all(quests[q] == -1 for q in (*CHAIN, L + "down_from_the_pass")), quests
            assert world.chars[hero.key].room == L + "hostel_hall"
        for hero in party:
            await hero.client.close()
