"""The telling of a lost fight reaches the fallen where they wake (played, round 59:
Gil, beaten by the drowned eel-catcher, woke in the tavern and never read how the fight
was lost: it was told to the empty landing)."""

from __future__ import annotations

from pathlib import Path

from test_hub_fight_narration import HeldDm

from mud.core.narration import NarrationChunk, NarrationEnd, NarrationStart
from tests.hubrig import make_rig

TUNNEL = "hollowmere:smugglers_tunnel"
TAVERN = "hollowmere:common_room"
TOLD = "The rat's teeth find the last of your strength, and the dark closes in."


async def test_the_fallen_read_how_the_fight_was_lost_where_they_wake(tmp_path: Path) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        alice = await rig.create("Alice", cls="rogue")
        bob = await rig.create("Bob", peer="10.0.0.2")
        world = rig.hub.world
        world.chars["alice"].hp = 1
        world.move("alice", TUNNEL)
        await rig.line(alice, "attack rat")
        await alice.expect("FIGHT!")
        for _ in range(30):
            if "fight is lost" in alice.text or "Victory" in alice.text:
                break
            await alice.expect("Your turn!|fight is lost|Victory")
            if "fight is lost" in alice.text or "Victory" in alice.text:
                break
            await rig.line(alice, "defend")
        assert "The fight is lost" in alice.text, alice.text[-800:]
        await alice.expect("You wake in the Drowned Lantern")
        assert world.chars["alice"].room == TAVERN
        lost = [r for r in dm.combat() if r.outcome.ended == "defeat"]
        assert len(lost) == 1 and lost[0].room.room_id == TUNNEL
        rid = lost[0].request_id
        await rig.hub.post_dm(NarrationStart(rid, TUNNEL, None, "combat"))
        await rig.hub.post_dm(NarrationChunk(rid, TUNNEL, TOLD))
        await rig.hub.post_dm(NarrationEnd(rid, TUNNEL, "offline"))
        await alice.expect("the dark closes in")
        # Bob, by the fire where she was laid, fought nothing: it is not his to read.
        await rig.line(bob, "say she is here")
        await bob.expect("You say, 'she is here'")
        assert TOLD not in bob.text
