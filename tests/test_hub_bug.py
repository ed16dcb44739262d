"""A bug in a command's handling: the world goes on, and the player is told.

The state below is one the engine could reach before a fix (a fighter's figures older
than the sheet's, after a level reached mid-fight; see ``test_fight_end``): with it,
"heal myself" raises inside the engine. The hub must log it, tell the player the line
was not done, and go on taking lines from everyone.
"""

from __future__ import annotations

from pathlib import Path

from attrs import evolve

from mud.engine.combat import TurnOrder
from mud.engine.fight import Fight
from mud.engine.sheet import npc_combatant, player_combatant
from tests.hubrig import make_rig

TUNNEL = "hollowmere:smugglers_tunnel"
RAT = "hollowmere:bog_rat"


async def test_a_line_that_meets_a_bug_is_answered_and_the_world_goes_on(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path) as rig:
        wynn = await rig.create("Wynn", cls="cleric")
        pike = await rig.create("Pike")
        world = rig.hub.world
        world.move("wynn", TUNNEL)
        world.move("pike", TUNNEL)
        char = world.chars["wynn"]
        char.hp = char.max_hp - 4
        stale = evolve(player_combatant(world, char), hp=1, max_hp=1)
        rat = npc_combatant(world, world.npcs[RAT])
        world.fights[TUNNEL] = Fight(TUNNEL, (stale, rat), TurnOrder(("p:wynn", rat.id)))
        await rig.line(wynn, "heal myself")
        await wynn.expect("Something went wrong in the world's workings, and that was not done")
        # The world goes on: the others' lines, and Wynn's own next one, are taken.
        await rig.line(pike, "say still here")
        await pike.expect("You say, 'still here'")
        await wynn.expect("Pike says, 'still here'")
        await rig.line(wynn, "score")
        await wynn.expect("Wynn the")
