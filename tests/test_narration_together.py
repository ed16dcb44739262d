"""A group that finishes a quest at once reads one narration of all of them.

Played: Tamsin searched the hearth with Wren beside her, the find counted for both, and
the room read "Wren stands at a turning point ..." and then "Tamsin stands at a turning
point ...": two near-identical narrations of one moment. Asks marked ``together`` in
one deed are held by the hub to the end of the deed's effects and asked as one
(``reactions.together``); asks for different quests, or from different deeds, stay
apart. A deed's scenes are held too (``reactions.settle``): they come first, and a
quest finished on arriving is narrated in place of the room's scene, not before it.
"""

from __future__ import annotations

from pathlib import Path

from hubrig import FakeSession, Rig, make_rig
from test_hub_fight_narration import HeldDm

from mud.core.narration import NarrationRequest, Outcome, Priority, actors
from mud.engine import reactions
from mud.engine.effects import AskNarration, QuestEvents

HM = "hollowmere:"
CARTOGRAPHER = HM + "missing_cartographer"


def _at_last_step(rig: Rig, key: str, quest: str) -> tuple[str, str]:
    """Put ``key`` on ``quest``'s last step; the event that completes it."""
    steps = rig.hub.world.templates.quests[quest].steps
    rig.hub.world.chars[key].quests[quest] = len(steps) - 1
    trig = steps[-1].trigger
    return (trig.kind, trig.target)


def _milestones(dm: HeldDm) -> list[NarrationRequest]:
    return [r for r in dm.requests if r.kind == "milestone"]


async def _both_at_the_last_step(
    rig: Rig,
) -> tuple[HeldDm, FakeSession, FakeSession, tuple[str, str]]:
    """Ann and Bob in one room, each one step from the end of the cartographer's quest,
    with a DM that only records: the DM, their screens and the event that ends it."""
    dm = HeldDm()
    rig.hub.set_dm(dm)  # type: ignore[arg-type]
    ann = await rig.create("Ann")
    bob = await rig.create("Bob")
    await ann.expect("Bob")
    event = _at_last_step(rig, "ann", CARTOGRAPHER)
    _at_last_step(rig, "bob", CARTOGRAPHER)
    return dm, ann, bob, event


async def test_a_quest_finished_by_two_at_once_is_narrated_once_of_both(tmp_path: Path) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        dm, ann, bob, event = await _both_at_the_last_step(rig)
        # One deed whose find counts for both (as a group member's search does).
        rig.hub._apply([QuestEvents("ann", (event,)), QuestEvents("bob", (event,))])
        await ann.expect("Quest complete: The Missing Cartographer")
        await bob.expect("Quest complete: The Missing Cartographer")
        (asked,) = _milestones(dm)
        assert asked.actor == "Ann" and asked.party == ("Bob",)
        assert actors(asked) == "Ann and Bob"
        assert asked.text == "Ann and Bob complete The Missing Cartographer"
        ending = rig.hub.world.templates.quests[CARTOGRAPHER].ending
        assert set(asked.outcome.facts) == {
            "Ann has done all The Missing Cartographer asked.",
            "Bob has done all The Missing Cartographer asked.",
            ending,  # the builder's ending, once
        }


async def test_one_finishing_alone_or_in_another_deed_is_narrated_alone(tmp_path: Path) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        dm, _ann, bob, event = await _both_at_the_last_step(rig)
        rig.hub._apply([QuestEvents("ann", (event,))])
        rig.hub._apply([QuestEvents("bob", (event,))])
        await bob.expect("Quest complete")
        first, second = _milestones(dm)
        assert (first.actor, first.party, first.text) == (
            "Ann",
            (),
            "Ann completes The Missing Cartographer",
        )
        assert (second.actor, second.party) == ("Bob", ())


def test_together_merges_the_askers_and_leaves_one_ask_as_it_is(tmp_path: Path) -> None:
    from mud.engine.state import World
    from mud.world.loader import load_packs
    from tests.hubrig import CONTENT

    world = World(load_packs([CONTENT]))

    def ask(who: str, fact: str) -> AskNarration:
        return AskNarration(
            who, "r", "milestone", f"{who} completes Q", Outcome("milestone", 2, (fact,)),
            Priority.MEDIUM, together="complete Q",
        )  # fmt: skip

    one = ask("ann", "a")
    assert reactions.together(world, [one]) is one
    merged = reactions.together(world, [one, ask("bob", "b"), ask("cid", "b")])
    assert merged.who == "ann" and merged.party == ("bob", "cid")
    assert merged.text == "ann, bob and cid complete Q"  # not in the world: named by key
    assert merged.outcome.facts == ("a", "b")


UNDER_THE_TOWN = HM + "under_the_town"


async def _group_on_the_reed_path(rig: Rig) -> tuple[HeldDm, FakeSession, FakeSession]:
    """Ann leading Bob on the reed path, one step west of the eel-catchers' landing,
    with a DM that only records."""
    from mud.core.outputs import Doc
    from mud.engine.effects import Move

    dm, ann, bob, _ = await _both_at_the_last_step(rig)
    for key in ("ann", "bob"):
        rig.hub._apply([Move(key, HM + "reed_path", Doc.text(""), Doc.text(""))])
    await rig.line(ann, "group invite bob")
    await rig.line(bob, "group accept")
    await ann.expect("Bob joins the group")
    dm.requests.clear()
    return dm, ann, bob


async def _group_a_step_from_the_landing(rig: Rig) -> tuple[HeldDm, FakeSession, FakeSession]:
    """Ann and Bob grouped on the reed path, both at Under the Town's last step (walk
    into the eel-catchers' landing)."""
    dm, ann, bob = await _group_on_the_reed_path(rig)
    for key in ("ann", "bob"):
        rig.hub.world.chars[key].quests[CARTOGRAPHER] = -1  # done: Under the Town is open
        _at_last_step(rig, key, UNDER_THE_TOWN)
    return dm, ann, bob


async def test_a_quest_finished_on_arriving_is_narrated_in_place_of_the_scene(
    tmp_path: Path,
) -> None:
    # Played: Rook led Ione into the eel-catchers' landing, which ends Under the Town,
    # and read "Rook and Ione stand a little taller now ..." and then "Rook and Ione
    # shake off the road and take in the Eel-Catchers' Landing": the scene of their
    # arrival after the narration of what they did there.
    from mud.engine.effects import NpcUpdate

    async with make_rig(tmp_path, narration=True) as rig:
        dm, ann, bob = await _group_a_step_from_the_landing(rig)
        # The landing's drowned eel-catcher is dead, so no fight: the quest alone
        # takes the scene's place.
        rig.hub._apply([NpcUpdate(HM + "drowned_eelcatcher", alive=False)])
        await rig.line(ann, "east")
        await bob.expect("Quest complete: Under the Town")
        await ann.expect("Quest complete: Under the Town")
        assert HM + "eel_landing" not in rig.hub.world.fights
        asked = [(r.kind, r.room.room_id) for r in dm.requests]
        assert asked == [("milestone", HM + "eel_landing")]
        assert dm.requests[0].text == "Ann and Bob complete Under the Town"


async def test_a_group_walking_in_with_no_quest_ending_gets_its_scene(tmp_path: Path) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        dm, ann, bob = await _group_on_the_reed_path(rig)
        await rig.line(ann, "north")
        await bob.expect("Causeway")
        (scene,) = dm.requests
        assert (scene.kind, scene.room.room_id) == ("scene", HM + "causeway")
        assert actors(scene) == "Ann and Bob"


async def test_a_group_walking_into_an_ambush_gets_no_scene(tmp_path: Path) -> None:
    # Played: "The Drowned Warden attacks! == FIGHT! ..." and then "Rook and Ione stop
    # to take in the Drowned Stair. First impressions settle slowly."
    async with make_rig(tmp_path, narration=True) as rig:
        dm, ann, bob = await _group_on_the_reed_path(rig)
        await rig.line(ann, "east")
        await bob.expect("The drowned eel-catcher attacks!")
        assert HM + "eel_landing" in rig.hub.world.fights
        assert [r for r in dm.requests if r.kind == "scene"] == []


async def test_a_quest_finished_by_walking_into_an_ambush_is_not_narrated_mid_fight(
    tmp_path: Path,
) -> None:
    # Played: Moss and Finch walked into the eel-catchers' landing, which ends Under the
    # Town; "The drowned eel-catcher attacks!", Finch at 1 HP, and then the narration
    # "Moss and Finch stand a little taller now ... This will be remembered."
    async with make_rig(tmp_path, narration=True) as rig:
        dm, ann, bob = await _group_a_step_from_the_landing(rig)
        await rig.line(ann, "east")
        await bob.expect("Quest complete: Under the Town")
        await ann.expect("The drowned eel-catcher attacks!")
        assert HM + "eel_landing" in rig.hub.world.fights
        assert [r.kind for r in dm.requests if r.kind in ("scene", "milestone")] == []


def test_settle_puts_scenes_first_and_drops_one_where_a_quest_ends() -> None:
    from mud.engine.state import World
    from mud.world.loader import load_packs
    from tests.hubrig import CONTENT

    world = World(load_packs([CONTENT]))

    def ask(who: str, room: str, kind: str, together: str = "") -> AskNarration:
        return AskNarration(
            who, room, kind, f"{who} {kind}", Outcome(kind, 1), Priority.LOW, together=together
        )

    done_a = ask("ann", "a", "milestone", "complete Q")
    done_b = ask("bob", "a", "milestone", "complete Q")
    scene_a, scene_b = ask("ann", "a", "scene"), ask("ann", "b", "scene")
    settled = reactions.settle(world, [done_a, scene_a, scene_b, done_b])
    assert settled[0] is scene_b
    assert [s.kind for s in settled] == ["scene", "milestone"]
    assert settled[1].party == ("bob",)
    assert reactions.settle(world, [scene_a, scene_b]) == [scene_a, scene_b]
