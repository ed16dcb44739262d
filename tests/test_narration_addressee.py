"""A narration written to its actor alone ("You ...") is read by that player only.

The offline narrator writes in the second person when the audience a narration was
asked for is its actor alone. A player who walks in while it streams must not read
another's "you" as if it were theirs: the hub streams such a narration to its
addressee only, and one written for everyone (third person) to whoever is there.
"""

from __future__ import annotations

from pathlib import Path

from hubrig import Rig, make_rig
from hypothesis import given
from hypothesis import strategies as st
from test_hub_fight_narration import DUEL, HeldDm

from mud.core.narration import (
    NarrationChunk,
    NarrationEnd,
    NarrationRequest,
    NarrationStart,
    addressee,
)

_NAME = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12)


def test_the_addressee_is_the_actor_alone_in_any_case() -> None:
    assert addressee("Ann", ("Ann",)) == "Ann"
    assert addressee("Ann", ("ann",)) == "Ann"
    assert addressee(" Ann ", ("ANN",)) == "Ann"
    assert addressee("Ann", ("Ann", "Bob")) is None
    assert addressee("Ann", ()) is None
    assert addressee(None, ("Ann",)) is None
    assert addressee("", ("",)) is None


@given(_NAME, st.lists(_NAME, max_size=4))
def test_an_addressee_only_when_the_audience_is_one_name_equal_to_the_actor(
    actor: str, audience: list[str]
) -> None:
    alone = len(audience) == 1 and audience[0].casefold() == actor.strip().casefold()
    assert (addressee(actor, tuple(audience)) is not None) == (alone and bool(actor.strip()))


async def _stream(rig: Rig, req: NarrationRequest, *chunks: str) -> None:
    """The DM's messages for ``req``: its start (with the audience it was asked for),
    ``chunks`` and its end."""
    rid, room = req.request_id, req.room.room_id
    await rig.hub.post_dm(NarrationStart(rid, room, req.actor, req.kind, req.audience))
    for text in chunks:
        await rig.hub.post_dm(NarrationChunk(rid, room, text))
    await rig.hub.post_dm(NarrationEnd(rid, room, "offline"))


async def test_a_narration_written_to_its_actor_is_not_shown_to_a_newcomer(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        ann = await rig.create("Ann", cls="gladiator")
        await rig.line(ann, "ponder the sky")
        await rig.line(ann, "say asked")
        await ann.expect("asked")
        req = dm.requests[-1]
        assert req.audience == ("Ann",)
        # Bob walks in after it was asked, before it streams.
        bob = await rig.create("Bob", cls="gladiator")
        await ann.expect("Bob")
        await _stream(rig, req, "You look up at the sky. ", "It looks back.")
        await ann.expect("It looks back.")
        await rig.line(bob, "say synced")
        await bob.expect("synced")
        await ann.expect("synced")
        assert "You look up at the sky." not in bob.text
        assert "It looks back." not in bob.text


async def test_a_narration_for_everyone_reaches_a_newcomer_too(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        dm = HeldDm()
        rig.hub.set_dm(dm)  # type: ignore[arg-type]
        ann = await rig.create("Ann", cls="gladiator")
        bob = await rig.create("Bob", cls="gladiator")
        await ann.expect("Bob")
        await rig.line(ann, "ponder the sky")
        await rig.line(ann, "say asked")
        await bob.expect("asked")
        req = dm.requests[-1]
        assert set(req.audience) == {"Ann", "Bob"}
        cid = await rig.create("Cid", cls="gladiator")
        await ann.expect("Cid")
        await _stream(rig, req, "Ann looks up at the sky.")
        for who in (ann, bob, cid):
            await who.expect("Ann looks up at the sky.")
