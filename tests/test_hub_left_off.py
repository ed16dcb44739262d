"""Logging in again, a player is told where their quests stand (played, round 59: Pell,
back after quitting in the cartographer's room, saw the room and nothing of the hearth
the quest had sent him to)."""

from __future__ import annotations

from pathlib import Path

from mud.core.events import Disconnected
from tests.hubrig import make_rig

HEARTH_STEP = 'Edda kept her notes "somewhere warm". Search the hearth in the common room.'


async def test_a_login_again_says_where_the_quest_was_left(tmp_path: Path) -> None:
    async with make_rig(tmp_path) as rig:
        alice = await rig.create("Alice")
        await alice.expect("HP >")
        # A character new to the world has nothing under way, and is told nothing of it.
        assert "Where you left off" not in alice.text
        await rig.line(alice, "quit")
        await alice.wait_closed()
        again = await rig.login("Alice")
        await again.expect(r"Exits:[\s\S]*?HP")
        assert "Where you left off" not in again.text  # no quest begun yet
        await rig.line(again, "up")
        await again.expect("Upstairs Landing")
        await rig.line(again, "east")
        await again.expect("New quest: The Missing Cartographer")
        await rig.line(again, "get map")
        await again.expect("Search the hearth")
        await rig.line(again, "quit")
        await again.wait_closed()
        back = await rig.login("Alice")
        seen = await back.expect(r"Exits:[\s\S]*?Where you left off:[\s\S]*?then down\.\)")
        assert " ".join(seen.split()).endswith(
            f"Where you left off: The Missing Cartographer. {HEARTH_STEP}"
            " (The way lies west from here, then down.)"
        ), seen
        # Once: the next look says nothing of it.
        await rig.line(back, "look")
        seen = await back.expect(r"Exits:[\s\S]*?HP")
        assert "Where you left off" not in seen
        # Asked again, "recap" is the quest log (played: "You try to recap.").
        await rig.line(back, "recap")
        seen = await back.expect(r"Quest[\s\S]*?Next[\s\S]*?HP >")
        assert "The Missing Cartographer" in seen and "hearth" in seen, seen


async def test_back_from_a_dropped_link_it_is_said_too(tmp_path: Path) -> None:
    # Found in review: only a login said where the quests stood.
    async with make_rig(tmp_path) as rig:
        alice = await rig.create("Alice")
        await rig.line(alice, "up")
        await alice.expect("Upstairs Landing")
        await rig.line(alice, "east")
        await alice.expect("New quest")
        await rig.hub.post(Disconnected(conn=alice.conn))
        back = await rig.login("Alice")
        seen = await back.expect(r"Reconnected[\s\S]*?Where you left off:[\s\S]*?HP >")
        assert "Take the scrap of map" in " ".join(seen.split()), seen
