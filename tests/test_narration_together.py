"""A group that finishes a quest at once reads one narration of all of them.

Played: Tamsin searched the hearth with Wren beside her, the find counted for both, and
the room read "Wren stands at a turning point ..." and then "Tamsin stands at a turning
point ...": two near-identical narrations of one moment. Asks marked ``together`` in
one deed are held by the hub to the end of the deed's effects and asked as one
(``reactions.together``); asks for different quests, or from different deeds, stay
apart.
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
        assert set(asked.outcome.facts) == {
            "Ann has done all The Missing Cartographer asked.",
            "Bob has done all The Missing Cartographer asked.",
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
