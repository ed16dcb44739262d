"""The telling of a lost fight reaches the fallen where they wake (played, round 59:
Gil, beaten by the drowned eel-catcher, woke in the tavern and never read how the fight
was lost: it was told to the empty landing). It reaches them whole when it ends, never
as a second stream beside a narration of where they are, and only them."""

from __future__ import annotations

from pathlib import Path

from test_hub_fight_narration import HeldDm

from mud.core.narration import NarrationChunk, NarrationEnd, NarrationStart
from tests.hubrig import FakeSession, Rig, make_rig

TAVERN = "hollowmere:common_room"
LOFT = "hollowmere:mill_loft"
TOLD = "Crake's cudgel finds the last of your strength, and the dark closes in."


async def _lose(rig: Rig, alice: FakeSession, foe: str) -> None:
    """Alice, at 1 HP, fights ``foe`` here until the fight is lost (the seed loses it)."""
    rig.hub.world.chars["alice"].hp = 1
    await rig.line(alice, f"attack {foe}")
    await alice.expect("FIGHT!")
    for _ in range(30):
        seen = await alice.expect("Your turn!|fight is lost|Victory")
        if "fight is lost" in seen or "Victory" in seen:
            break
        await rig.line(alice, "defend")
    assert "The fight is lost" in alice.text, alice.text[-800:]
    await alice.expect("You wake in the Drowned Lantern")


async def test_the_fallen_read_how_the_fight_was_lost_where_they_wake(tmp_path: Path) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        alice = await rig.create("Alice", cls="rogue")
        bob = await rig.create("Bob", peer="10.0.0.2")
        world = rig.hub.world
        for key in ("alice", "bob"):
            world.move(key, LOFT)
        await _lose(rig, alice, "crake")
        assert world.chars["alice"].room == TAVERN
        lost = [r for r in dm.combat() if r.outcome.ended == "defeat"]
        assert len(lost) == 1 and lost[0].room.room_id == LOFT
        # Bob stood by and never fought Crake; he walks down before it is told.
        assert world.fights.get(LOFT) is None
        await rig.line(bob, "down")
        await bob.expect("Old Mill")
        rid = lost[0].request_id
        await rig.hub.post_dm(NarrationStart(rid, LOFT, None, "combat"))
        await rig.hub.post_dm(NarrationChunk(rid, LOFT, TOLD))
        # Not streamed beside what is told where she is: whole, when it ends.
        await rig.line(alice, "say ow")
        await alice.expect("You say, 'ow'")
        assert "the dark closes in" not in alice.text
        await rig.hub.post_dm(NarrationEnd(rid, LOFT, "offline"))
        await alice.expect("the dark closes in")
        # Bob, who did not fight, reads nothing of it where he went.
        await rig.line(bob, "say she fell")
        await bob.expect("You say, 'she fell'")
        assert "the dark closes in" not in bob.text


async def test_one_who_walks_back_in_as_it_is_told_reads_it_whole(tmp_path: Path) -> None:
    # Found in review: the fallen who walked back into the fight's room mid-telling read
    # only its end, and nothing whole after.
    async with make_rig(tmp_path, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        alice = await rig.create("Alice", cls="rogue")
        world = rig.hub.world
        world.move("alice", LOFT)
        await _lose(rig, alice, "crake")
        rid = next(r for r in dm.combat() if r.outcome.ended == "defeat").request_id
        await rig.hub.post_dm(NarrationStart(rid, LOFT, None, "combat"))
        await rig.hub.post_dm(NarrationChunk(rid, LOFT, "Crake's cudgel finds the last "))
        await rig.line(alice, "say ow")  # the hub has handled the piece before this
        await alice.expect("You say, 'ow'")
        world.move("alice", LOFT)  # back, before the rest of it
        await rig.hub.post_dm(NarrationChunk(rid, LOFT, "of your strength."))
        await alice.expect("of your strength")
        assert "Crake's cudgel finds" not in alice.text  # its start was told elsewhere
        await rig.hub.post_dm(NarrationEnd(rid, LOFT, "offline"))
        await alice.expect("Crake's cudgel finds the last of your strength.")
