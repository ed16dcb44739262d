"""Logging back in where a foe waits: the room's recent talk is read before the fight
that arriving starts (played: "Recently said here:" came after "Your turn!" and pushed
it off the screen, and the player's turn ran out unseen)."""

from __future__ import annotations

from pathlib import Path

from tests.hubrig import make_rig

TUNNEL = "hollowmere:smugglers_tunnel"


async def test_recent_talk_is_read_before_the_fight_that_arriving_starts(tmp_path: Path) -> None:
    async with make_rig(tmp_path) as rig:
        alice = await rig.create("Alice")
        bob = await rig.create("Bob")
        world = rig.hub.world
        for key in ("alice", "bob"):
            world.move(key, TUNNEL)
        await rig.line(bob, "say mind the rat")
        await alice.expect("Bob says, 'mind the rat'")
        await rig.line(bob, "quit")
        await bob.wait_closed()
        await rig.line(alice, "quit")
        await alice.wait_closed()
        # Alice left in the tunnel, where the bog rat waits for whoever comes.
        again = await rig.login("Alice")
        seen = await again.expect(r"Exits:[\s\S]*?FIGHT!")
        assert "Recently said here:" in seen, seen
        assert seen.index("Bob says, 'mind the rat'") < seen.index("The bog rat attacks!"), seen
