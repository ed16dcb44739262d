"""The hub shows fight narration only in step with the dice (hub rig, a held DM).

A combat narration that has not started when the fight's next event begins is dropped;
one still streaming is cut off there. One that arrives in time is shown.
"""

from __future__ import annotations

from pathlib import Path

from hubrig import FakeSession, Rig, make_rig

from mud.core.narration import (
    NarrationChunk,
    NarrationEnd,
    NarrationRequest,
    NarrationStart,
    Thinking,
)

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


async def _next_combat_request(rig: Rig, ann: FakeSession, dm: HeldDm) -> NarrationRequest:
    """Attack until a new combat narration is asked for (the round ended)."""
    before = len(dm.combat())
    for _ in range(10):
        await rig.line(ann, "attack master")
        await ann.expect("Your turn!")
        if len(dm.combat()) > before:
            return dm.combat()[-1]
    raise AssertionError("no combat narration was asked for")


async def _sync(rig: Rig, ann: FakeSession, word: str) -> None:
    await rig.line(ann, f"say {word}")
    await ann.expect(word)


async def test_late_fight_narration_is_dropped_and_timely_narration_shown(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        ann = await rig.create("Ann", cls="gladiator")
        await rig.line(ann, "north")
        await ann.expect("Sparring Master")

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
