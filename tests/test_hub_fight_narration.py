"""The hub shows fight narration only in step with the dice (hub rig, a held DM).

A combat narration that has not started when the fight's next event begins is dropped;
one still streaming is cut off there. One that arrives in time is shown.
"""

from __future__ import annotations

import re
from pathlib import Path

from hubrig import FakeSession, Rig, make_rig

from mud.core.narration import (
    NarrationChunk,
    NarrationEnd,
    NarrationRejected,
    NarrationRequest,
    NarrationStart,
    Thinking,
)
from mud.replay import load_events, replay

DUEL = Path(__file__).resolve().parent / "packs" / "duel"


class HeldDm:
    """A DM that answers nothing by itself: the test posts its messages."""

    def __init__(self) -> None:
        self.requests: list[NarrationRequest] = []

    def submit(self, request: NarrationRequest) -> None:
        self.requests.append(request)

    def cancel_actor(self, actor: str) -> None:
        pass

    def tokens(self, actor: str) -> object:
        raise NotImplementedError

    def status_lines(self) -> list[str]:
        return []

    def combat(self) -> list[NarrationRequest]:
        return [r for r in self.requests if r.kind == "combat"]


async def _in_the_yard(rig: Rig) -> tuple[FakeSession, HeldDm]:
    """Ann, a gladiator, in the yard with the Sparring Master; a held DM on the hub."""
    dm = HeldDm()
    rig.hub.set_dm(dm)  # type: ignore[arg-type]
    ann = await rig.create("Ann", cls="gladiator")
    await rig.line(ann, "north")
    await ann.expect("Sparring Master")
    return ann, dm


async def _next_combat_request(rig: Rig, ann: FakeSession, dm: HeldDm) -> NarrationRequest:
    """Attack until a new combat narration is asked for (the round ended). Ann's next
    "Your turn!" waits for that narration; a round that asks none prompts her at once."""
    before = len(dm.combat())
    for _ in range(10):
        await rig.line(ann, "attack master")
        await ann.expect("Ann attacks the Sparring Master")
        if len(dm.combat()) > before:
            return dm.combat()[-1]
        await ann.expect("Your turn!")
    raise AssertionError("no combat narration was asked for")


async def _tell_round(rig: Rig, req: NarrationRequest, text: str) -> None:
    room = req.room.room_id
    await rig.hub.post_dm(NarrationStart(req.request_id, room, None, "combat"))
    await rig.hub.post_dm(NarrationChunk(req.request_id, room, text))
    await rig.hub.post_dm(NarrationEnd(req.request_id, room, "offline"))


async def test_your_turn_comes_after_the_story_of_the_round_that_ended(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, dm = await _in_the_yard(rig)
        req = await _next_combat_request(rig, ann, dm)
        assert "Your turn!" not in await _sync(rig, ann, "waiting")  # held for the story
        await _tell_round(rig, req, "The stick cracks across your knuckles.")
        told = await _upto(ann, "Your turn!")
        # Played: the prompt came first and the round's story after it.
        assert "The stick cracks across your knuckles." in told
        # Her turn did not run while she waited to be told it was hers.
        fight = rig.hub.world.fights[req.room.room_id]
        assert fight.deadline == rig.clock.monotonic() + 20.0


async def test_a_story_that_never_comes_holds_the_prompt_only_so_long(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True, prompt_hold=5.0) as rig:
        ann, dm = await _in_the_yard(rig)
        req = await _next_combat_request(rig, ann, dm)
        room = req.room.room_id
        deadline = rig.hub.world.fights[room].deadline
        rig.clock.advance(4.0)
        assert "Your turn!" not in await _sync(rig, ann, "not-yet")
        rig.clock.advance(1.5)
        await ann.expect("Your turn!")
        # The 5.5 s she waited are added to her turn: it has not timed out at the old
        # deadline, and ends as long after the prompt as it says.
        assert rig.hub.world.fights[room].deadline == deadline + 5.5
        rig.clock.advance(deadline - rig.clock.monotonic() + 1.0)
        assert "Too slow" not in await _sync(rig, ann, "still-mine")
        assert rig.hub.world.fights[room].deadline == deadline + 5.5
        # The story that comes after all is shown, and no second prompt with it.
        await _tell_round(rig, req, "Late but true.")
        assert "Your turn!" not in await _sync(rig, ann, "after")
        assert "Late but true." in ann.text
        await rig.logged()
    # The prompt shown at its deadline is an event of its own, and replays.
    events = await load_events(str(tmp_path / "hub.db"))
    assert [e.kind for e in events].count("prompt") == 1
    result = await replay(events, content=[str(DUEL)])
    assert result.ok, result.first


async def test_a_refused_story_or_a_turn_taken_anyway_releases_the_prompt(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, dm = await _in_the_yard(rig)
        req = await _next_combat_request(rig, ann, dm)
        await rig.hub.post_dm(NarrationRejected(req.request_id, req.room.room_id, None, ""))
        await ann.expect("Your turn!")
        # Ann acts before the next story comes: her prompt is shown before her blow,
        # and is not shown again when the story, now late, would have ended.
        req = await _next_combat_request(rig, ann, dm)
        await rig.line(ann, "attack master")
        told = await _upto(ann, "Ann attacks the Sparring Master")
        assert told.count("Your turn!") == 1
        await _tell_round(rig, req, "Stale words.")
        assert "Your turn!" not in await _sync(rig, ann, "done")
        assert "Stale words." not in ann.text
        await rig.logged()
    result = await replay(await load_events(str(tmp_path / "hub.db")), content=[str(DUEL)])
    assert result.ok, result.first


async def _upto(ann: FakeSession, pattern: str) -> str:
    """Wait for ``pattern``; everything Ann was shown since the last wait, up to it."""
    start = ann.consumed
    await ann.expect(pattern)
    return ann.text[start : ann.consumed]


async def _sync(rig: Rig, ann: FakeSession, word: str) -> str:
    """Say ``word`` and wait for it: the hub has handled everything before. Returns
    what Ann was shown since the last wait, up to her words."""
    await rig.line(ann, f"say {word}")
    return await _upto(ann, word)


async def test_late_fight_narration_is_dropped_and_timely_narration_shown(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, dm = await _in_the_yard(rig)

        # In time: narrated before anyone acts again, so it is shown.
        req = await _next_combat_request(rig, ann, dm)
        room = req.room.room_id
        assert req.outcome.beats and all(
            b.actor in ("Ann", "the Sparring Master") for b in req.outcome.beats
        )
        await rig.hub.post_dm(NarrationStart(req.request_id, room, None, "combat"))
        await rig.hub.post_dm(NarrationChunk(req.request_id, room, "Timely words."))
        await rig.hub.post_dm(NarrationEnd(req.request_id, room, "offline"))
        await ann.expect("Timely words.")

        # Too late: Ann acts before the narration starts, so it is never shown.
        req = await _next_combat_request(rig, ann, dm)
        await rig.line(ann, "attack master")
        await ann.expect("Ann attacks the Sparring Master")
        await rig.hub.post_dm(NarrationStart(req.request_id, room, None, "combat"))
        await rig.hub.post_dm(NarrationChunk(req.request_id, room, "Stale words."))
        await rig.hub.post_dm(NarrationEnd(req.request_id, room, "offline"))
        await _sync(rig, ann, "first-sync")
        assert "Stale words." not in ann.text

        # Cut off: the first part is shown, what comes after Ann's next action is not.
        req = await _next_combat_request(rig, ann, dm)
        await rig.hub.post_dm(NarrationStart(req.request_id, room, None, "combat"))
        await rig.hub.post_dm(NarrationChunk(req.request_id, room, "Early part. "))
        await ann.expect("Early part.")
        await rig.line(ann, "attack master")
        await ann.expect("Ann attacks the Sparring Master")
        await rig.hub.post_dm(NarrationChunk(req.request_id, room, "Late part."))
        await rig.hub.post_dm(NarrationEnd(req.request_id, room, "offline"))
        await _sync(rig, ann, "second-sync")
        assert "Late part." not in ann.text


async def test_the_dms_thinking_line_reaches_the_room_in_its_own_words(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        ann = await rig.create("Ann", cls="gladiator")
        bob = await rig.create("Bob", cls="gladiator")
        await rig.line(ann, "ponder the sky")
        await _sync(rig, ann, "ready")
        req = dm.requests[-1]
        room = req.room.room_id
        # The DM's line, in the pack's voice, reaches everyone in the room as sent
        # (markup in it is shown as text, not obeyed).
        await rig.hub.post_dm(Thinking(req.request_id, room, "Rain ticks on the {b}roof{/}."))
        for who in (ann, bob):
            await who.expect("Rain ticks on the {b}roof{/}.")
        # A DM that sends no words gets the hub's own line.
        await rig.hub.post_dm(Thinking(req.request_id, room))
        await bob.expect("the Dungeon Master considers")


async def test_one_who_watches_a_flight_reads_it_once(tmp_path: Path) -> None:
    # Played: Corra watched Hollis run and read "Hollis flees west: d20 14+1=15 vs 10
    # ESCAPES", then "Hollis flees west!", the move's own leave line.
    async with make_rig(tmp_path, content=DUEL) as rig:
        ann = await rig.create("Ann", cls="gladiator")
        bob = await rig.create("Bob", cls="gladiator")
        for who in (ann, bob):
            await rig.line(who, "north")
            await who.expect("Sparring Master")
        await rig.line(ann, "attack master")
        for _ in range(20):
            said = await ann.expect(r"Your turn!|ESCAPES")
            if said == "ESCAPES":
                break
            await rig.line(ann, "flee south")
        else:
            raise AssertionError("Ann never got away")
        await _sync(rig, bob, "watched")
        assert rig.hub.world.chars["ann"].room != rig.hub.world.chars["bob"].room
        flights = re.findall(r"Ann flees south[^\n]*", bob.text)
        assert len(flights) == 1 and flights[0].endswith("ESCAPES"), flights
        # She still reads where she ran to, and the room she ran into reads her coming.
        await ann.expect("Yard Gate")
