"""A narration written to its actor alone ("You ...") is read by that player only.

The offline narrator writes in the second person when the audience a narration was
asked for is its actor alone. A player who walks in while it streams must not read
another's "you" as if it were theirs: the hub streams such a narration to its
addressee only, and one written for everyone (third person) to whoever is there.
"""

from __future__ import annotations

import json
from pathlib import Path

from attrs import asdict
from hubrig import FakeSession, Rig, make_rig
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


async def _ann_ponders_with_bob_there(
    rig: Rig, line: str = "ponder the sky"
) -> tuple[FakeSession, FakeSession, NarrationRequest]:
    """Ann and Bob in one room; Ann types ``line`` (she ponders the sky). Returns them
    and the narration request that asked for (held: the test streams it)."""
    dm = HeldDm()
    rig.hub.set_dm(dm)  # type: ignore[arg-type]
    ann = await rig.create("Ann", cls="gladiator")
    bob = await rig.create("Bob", cls="gladiator")
    await ann.expect("Bob")
    await rig.line(ann, line)
    await rig.line(ann, "say asked")
    await bob.expect("asked")
    return ann, bob, dm.requests[-1]


async def test_a_narration_for_everyone_reaches_a_newcomer_too(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, bob, req = await _ann_ponders_with_bob_there(rig)
        assert set(req.audience) == {"Ann", "Bob"}
        cid = await rig.create("Cid", cls="gladiator")
        await ann.expect("Cid")
        await _stream(rig, req, "Ann looks up at the sky.")
        for who in (ann, bob, cid):
            await who.expect("Ann looks up at the sky.")


async def test_a_question_to_the_dm_is_narrated_to_the_asker_alone(tmp_path: Path) -> None:
    # Played: Pell read "Sorrel thinks it through, one step at a time." of a question to
    # the DM he never saw asked ("You ask the DM: ..." is the asker's alone).
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, bob, req = await _ann_ponders_with_bob_there(rig, "what now?")
        assert req.kind == "ask" and req.audience == ("Ann",)
        await _stream(rig, req, "You think it through. ", "The sand settles.")
        await ann.expect("The sand settles.")
        await rig.line(ann, "say synced")
        await bob.expect("synced")
        assert "think it through" not in bob.text and "The sand settles." not in bob.text


def _narration_texts(session: object) -> list[str]:
    """The Dungeon Master's texts a session was sent over GMCP (Comm.Channel.Text)."""
    return [
        str(payload["text"])  # type: ignore[index]
        for package, payload in session.packages  # type: ignore[attr-defined]
        if package == "Comm.Channel.Text" and payload["channel"] == "narration"  # type: ignore[index]
    ]


async def test_a_narration_in_its_actors_own_words_reaches_the_actor_alone(
    tmp_path: Path,
) -> None:
    """Ann's deed, heard by Bob: Ann reads "You look up at the sky." where Bob (and Cid,
    who walks in while it streams) reads "Ann looks up at the sky."; each one's GMCP
    copy of the narration is the text they read."""
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, bob, req = await _ann_ponders_with_bob_there(rig)
        rid, room = req.request_id, req.room.room_id
        await rig.hub.post_dm(NarrationStart(rid, room, req.actor, req.kind, req.audience))
        await rig.hub.post_dm(NarrationChunk(rid, room, "Ann looks up ", (("Ann", ""),)))
        await rig.hub.post_dm(
            NarrationChunk(rid, room, "at the sky.", (("Ann", "You look up at the sky."),))
        )
        await ann.expect(r"You look up at the sky\.")
        await bob.expect(r"Ann looks up at the sky\.")
        cid = await rig.create("Cid", cls="gladiator")
        await ann.expect("Cid")
        await rig.hub.post_dm(
            NarrationChunk(rid, room, " It looks back.", (("Ann", " It looks back."),))
        )
        await rig.hub.post_dm(NarrationEnd(rid, room, "offline"))
        for who in (ann, bob, cid):
            await who.expect(r"It looks back\.")
        await rig.line(ann, "say synced")
        for who in (ann, bob, cid):
            await who.expect("synced")
        assert "Ann looks up" not in ann.text
        assert "You look up" not in bob.text + cid.text
        assert _narration_texts(ann) == ["You look up at the sky. It looks back."]
        assert _narration_texts(bob) == ["Ann looks up at the sky. It looks back."]


async def test_each_player_a_narration_names_reads_their_own_words(tmp_path: Path) -> None:
    """A fight's round names Ann and Bob: each reads the round in their own words, Cid
    (who only looks on) the room's."""
    async with make_rig(tmp_path, content=DUEL, narration=True) as rig:
        ann, bob, req = await _ann_ponders_with_bob_there(rig)
        cid = await rig.create("Cid", cls="gladiator")
        await ann.expect("Cid")
        rid, room = req.request_id, req.room.room_id
        await rig.hub.post_dm(NarrationStart(rid, room, None, "combat", ("Ann", "Bob", "Cid")))
        views = (
            ("Ann", "You strike Bob. Bob strikes you."),
            ("Bob", "Ann strikes you. You strike Ann."),
        )
        await rig.hub.post_dm(NarrationChunk(rid, room, "Ann strikes Bob. Bob strikes Ann.", views))
        await rig.hub.post_dm(NarrationEnd(rid, room, "offline"))
        await ann.expect(r"You strike Bob\. Bob strikes you\.")
        await bob.expect(r"Ann strikes you\. You strike Ann\.")
        await cid.expect(r"Ann strikes Bob\. Bob strikes Ann\.")
        assert "Ann strikes Bob" not in ann.text + bob.text
        assert _narration_texts(bob) == ["Ann strikes you. You strike Ann."]
        assert _narration_texts(cid)[-1] == "Ann strikes Bob. Bob strikes Ann."


def test_a_chunk_read_back_from_a_recording_is_the_chunk_recorded() -> None:
    # The hub records DM messages as JSON (``mud replay``): the players' own words come
    # back as lists and must make the same, hashable message.
    chunk = NarrationChunk(7, "duel:yard", "Ann strikes.", (("Ann", "You strike."),))
    again = NarrationChunk(**json.loads(json.dumps(asdict(chunk))))
    assert again == chunk and hash(again) == hash(chunk)
