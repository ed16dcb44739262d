"""The grounding gate: a model's answer is shown only once it is about the scene.

Played with SmolLM2 on llama.cpp: "I wade south through the cold water" in the tunnel
was answered with a paragraph about dragons and the meaning of life, and both players
read it. Unit and property tests of ``mud.dm.grounding``; the chain holding, releasing
and failing over on it with scripted providers; and the real server with a real
OpenAI-compatible HTTP server on 127.0.0.1 answering off topic.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from attrs import evolve
from fake_openai import FakeOpenAI, Fault
from hypothesis import given
from hypothesis import strategies as st
from mudclient import alice_and_bob, make_config, running_server
from test_dm_chain import REQUEST, Harness, Scripted, Step, done, failures, run, text_of

from mud.core.narration import Beat, Outcome
from mud.dm.chain import ChainText, ChainUsage
from mud.dm.grounding import Grounding, Verdict, scene_keys
from mud.dm.providers.base import ProviderError

DRAGONS = (
    "Nameless. The only thing that can give you the illusion of a dragon is a dragon, but "
    "if you want to be a dragon, you either need to have some kind of magic or magic exists "
    "somewhere else entirely."
)


def verdict(text: str, request: object = REQUEST, **kw: int) -> Verdict:
    gate = Grounding(request, **kw)  # type: ignore[arg-type]
    gate.feed(text)
    return gate.finish()


def test_an_answer_about_the_actor_the_room_or_the_deed_is_grounded() -> None:
    assert verdict("Alice hauls on the rope.") is Verdict.GROUNDED  # the actor
    assert verdict("The bells answer, one after another.") is Verdict.GROUNDED  # an item, plural
    assert verdict("Cold brine laps higher.") is Verdict.GROUNDED  # the room's vocabulary
    assert verdict("It rings out over the pews.") is Verdict.GROUNDED  # the description
    assert verdict("Brakka's eyes narrow.") is Verdict.GROUNDED  # someone present
    fight = evolve(REQUEST, outcome=Outcome("round", 1, beats=(Beat("Alice", "hit", "eel"),)))
    assert verdict("The eels thrash.", fight) is Verdict.GROUNDED  # a short word, plural


def test_an_answer_about_something_else_is_off_topic() -> None:
    assert verdict(DRAGONS) is Verdict.OFF_TOPIC
    assert verdict("") is Verdict.OFF_TOPIC
    # Common words ground nothing, however many.
    common = "There is something here that would make you feel like it was."
    assert verdict(common, window=8) is Verdict.OFF_TOPIC


def test_a_short_answer_that_names_nothing_is_given_the_benefit_of_the_doubt() -> None:
    # A line of atmosphere need not name anything; the answers to stop ramble on.
    assert verdict("Sparks drift up the flue.") is Verdict.GROUNDED
    assert verdict("Sparks drift up the flue.", window=4) is Verdict.OFF_TOPIC
    # Not where the small models are served (the vetted tier): there a short answer
    # naming nothing of the scene is off topic (SmolLM2's, played 2026-12-07).
    gate = Grounding(REQUEST, short_passes=False)
    gate.feed("A moment of silence is a public rebuke to all that would kill an hour.")
    assert gate.finish() is Verdict.OFF_TOPIC
    gate = Grounding(REQUEST, short_passes=False)
    gate.feed("Alice waits.")
    assert gate.finish() is Verdict.GROUNDED


async def test_a_vetted_tiers_short_answer_naming_nothing_is_told_by_the_next() -> None:
    h = Harness()
    short = "A moment of silence is a public rebuke to all that would kill an hour."
    a = Scripted("local", h.clock, Step(tuple(w + " " for w in short.split())))
    b = Scripted("b", h.clock)  # "The bell tolls."
    events = await run(h.chain(a, b, grounding=True, vet="local"))
    assert text_of(events) == "The bell tolls."
    assert done(events).provider == "b"
    # A tier not vetted still lets a short line of atmosphere through.
    h = Harness()
    a = Scripted("hosted", h.clock, Step(tuple(w + " " for w in short.split())))
    events = await run(h.chain(a, grounding=True, vet="local"))
    assert text_of(events).strip() == short


def test_the_gate_opens_at_the_first_grounded_word_and_gives_up_after_the_window() -> None:
    gate = Grounding(REQUEST, window=5)
    assert gate.feed("In the dark, ") is Verdict.UNDECIDED
    assert gate.feed("Alice ") is Verdict.GROUNDED
    assert gate.feed("dragons dragons dragons") is Verdict.GROUNDED  # decided stays decided
    late = Grounding(REQUEST, window=5)
    assert late.feed("one two three four five Alice") is Verdict.OFF_TOPIC


def test_a_word_cut_across_pieces_is_judged_whole() -> None:
    gate = Grounding(REQUEST)
    assert gate.feed("The tar") is Verdict.UNDECIDED  # "tar" is not "tarnished"
    assert gate.feed("nished ") is Verdict.GROUNDED


def test_the_scene_is_every_word_of_the_request_that_names_something() -> None:
    keys = scene_keys(REQUEST)
    assert {"alice", "brakk", "drown", "nave", "bell", "brine", "ring"} <= keys
    assert not {"the", "there", "would", "somet"} & keys


_cuts = st.lists(st.integers(1, 12), min_size=1, max_size=40)


@given(st.sampled_from([DRAGONS, "The brine rises around Alice.", "Quiet. Then the bell."]), _cuts)
def test_the_verdict_does_not_depend_on_how_the_answer_was_cut(text: str, cuts: list[int]) -> None:
    gate = Grounding(REQUEST)
    at = 0
    for n in cuts:
        gate.feed(text[at : at + n])
        at += n
    gate.feed(text[at:])
    assert gate.finish() is verdict(text)


# -- in the chain ---------------------------------------------------------------------


async def test_an_off_topic_answer_is_never_shown_and_the_next_tier_answers() -> None:
    h = Harness()
    pieces = tuple(w + " " for w in DRAGONS.split())
    a = Scripted("a", h.clock, Step(pieces))
    b = Scripted("b", h.clock)  # "The bell tolls."
    chain = h.chain(a, b, grounding=True)
    events = await run(chain)
    assert text_of(events) == "The bell tolls."
    assert "dragon" not in text_of(events)
    assert [(f.provider, f.category, f.detail) for f in failures(events)] == [
        ("a", "fatal", "fatal: the answer is not about the scene")
    ]
    assert done(events).provider == "b"
    # The answer was paid for: its tokens are counted. The provider is up: no breaker.
    used = [e for e in events if isinstance(e, ChainUsage)]
    assert [u.provider for u in used] == ["a", "b"] and used[0].usage.completion_tokens > 0
    assert chain.health()[0].state == "ok"
    assert a.closed_streams == 1  # stopped at the window, not read to the end


async def test_a_grounded_answer_is_released_whole_and_in_order() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("In ", "the ", "hush, ", "Alice ", "rings ", "it.")))
    events = await run(h.chain(a, grounding=True))
    shown = [e.text for e in events if isinstance(e, ChainText)]
    assert "".join(shown) == "In the hush, Alice rings it."
    assert done(events).provider == "a"


async def test_a_continuation_after_a_failure_mid_stream_is_not_held() -> None:
    h = Harness()
    died = Step(("Alice ", "rings ", "the "), error=ProviderError("cut", category="retryable"))
    a = Scripted("a", h.clock, died)
    b = Scripted("b", h.clock, Step(("and on, ", "and on.")))
    events = await run(h.chain(a, b, grounding=True))
    assert text_of(events) == "Alice rings the and on, and on."
    assert done(events).stitched


async def test_without_grounding_the_answer_streams_as_it_comes() -> None:
    h = Harness()
    pieces = tuple(w + " " for w in DRAGONS.split())
    events = await run(h.chain(Scripted("a", h.clock, Step(pieces)), grounding=False))
    assert text_of(events).startswith("Nameless.")


# -- the real server ------------------------------------------------------------------


async def test_players_never_read_an_off_topic_answer(tmp_path: Path) -> None:
    dragons = tuple(w + " " for w in DRAGONS.split())
    async with FakeOpenAI(default=Fault("text", tokens=dragons)) as fake:
        config = make_config(
            tmp_path,
            llm=fake,
            timeouts={"first_token": 3.0, "chunk_gap": 2.0, "total": 10.0},
        )
        async with running_server(config) as srv:
            alice, bob = await alice_and_bob(srv.telnet_port)
            alice.send("I warm my hands at the hearth")
            await fake.wait_requests(3)
            # The offline narrator answers in its place (it always names the actor).
            await bob.expect(r"hands at the hearth\.[^>]*>[\s\S]*?Alice", timeout=10)
            alice.send("say done")
            await bob.expect("done")
            await asyncio.sleep(0.2)
            for player in (alice, bob):
                assert "dragon" not in player.seen and "Nameless" not in player.seen
            await alice.close()
            await bob.close()
