"""A model's answer to a talk is shown as the NPC's words, with who says them.

Played with SmolLM2 as the local tier (2026-12-04): after Bessa's own line, the model's
answer read as a paragraph of speech with no speaker ("That's a very special night.").
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from attrs import evolve
from fake_openai import FakeOpenAI, Fault
from mudclient import alice_and_bob, make_config, plain, running_server
from test_dm_vetting import req

from mud.core.narration import npc_name
from mud.dm.prompts import instruction_message


def test_the_speaker_is_read_back_from_the_persona_of_a_talk_only() -> None:
    talk = evolve(req(kind="talk"), npc_persona="Bessa Thorn: warm, floury, watchful.")
    assert npc_name(talk) == "Bessa Thorn"
    assert npc_name(evolve(talk, kind="action")) == ""
    assert npc_name(evolve(talk, npc_persona="a local of this place")) == ""


def test_a_model_is_asked_for_the_words_alone() -> None:
    talk = evolve(req(kind="talk"), npc_persona="Bessa Thorn: warm.")
    said = instruction_message(talk)
    assert said is not None and "spoken words only" in said and "no quotation marks" in said


async def _talked(tmp_path: Path, tokens: tuple[str, ...], until: str, *, cut: bool = False) -> str:
    """What Bob read after Alice asked Bessa about the cartographer, the model (the fake
    OpenAI server) answering ``tokens`` (to every request: Bob's arrival too; ``cut``:
    to the talk alone, then dropping the connection mid-stream), until the pattern
    ``until`` came after Bessa's own line."""
    fault = Fault() if cut else Fault("text", tokens=tokens)
    async with FakeOpenAI(default=fault) as fake:
        config = make_config(
            tmp_path, llm=fake, timeouts={"first_token": 3.0, "chunk_gap": 2.0, "total": 10.0}
        )
        async with running_server(config) as srv:
            alice, bob = await alice_and_bob(srv.telnet_port)
            if cut:
                fake.script(Fault("cut", tokens=tokens, after=len(tokens)))
            alice.send("ask bessa about the cartographer")
            await bob.expect("Bessa Thorn says")
            await bob.expect(until)
            alice.send("say done")
            await bob.expect("done")
            await asyncio.sleep(0.1)
            seen = " ".join(plain(bob.seen).split())
            await alice.close()
            await bob.close()
            return seen


async def test_a_models_answer_to_a_talk_is_the_npcs_words(tmp_path: Path) -> None:
    answer = ("She ", "went ", "out ", "at ", "night, ", "love.")
    seen = await _talked(tmp_path, answer, r'adds, "She went out at night,\s+love\."')
    assert 'Bessa Thorn adds, "She went out at night, love."' in seen


async def test_an_answer_that_quotes_itself_is_shown_as_it_came(tmp_path: Path) -> None:
    answer = ("“She ", "went ", "out ", "at ", "night, ", "love.”")
    seen = await _talked(tmp_path, answer, r"them\.\"[\s\S]*night,\s+love\.”")
    assert "“She went out at night, love.”" in seen
    assert "adds," not in seen


async def test_an_answer_that_narrates_then_quotes_is_shown_as_it_came(tmp_path: Path) -> None:
    # A hosted model that narrates in spite of the prompt: its quotation came after its
    # first sentence, and was read inside a quotation of our own ('Bessa Thorn adds,
    # "She leans in. "She went out ..."').
    answer = ("She ", "leans ", "in. ", '"She ', "went ", "out ", "at ", "night, ", 'love."')
    seen = await _talked(tmp_path, answer, r'leans in\. "She went out at night,\s+love\."')
    assert 'She leans in. "She went out at night, love."' in seen
    assert "adds," not in seen


async def test_a_two_sentence_answer_is_the_npcs_words(tmp_path: Path) -> None:
    answer = ("She ", "went ", "out. ", "Took ", "her ", "lamp.")
    seen = await _talked(tmp_path, answer, r'adds, "She went out\. Took her\s+lamp\."')
    assert 'Bessa Thorn adds, "She went out. Took her lamp."' in seen


async def test_the_narrators_ending_after_a_cut_answer_is_outside_the_quotation(
    tmp_path: Path,
) -> None:
    # The model's stream breaks mid-sentence; the offline narrator finishes the scene.
    # Its ending was read inside the speaker's quotation, closed after it.
    answer = ("She ", "went ", "out. ", "Took ", "her ", "lamp ", "and ")
    seen = await _talked(
        tmp_path, answer, r'adds, "She went out\. Took her\s+lamp and\s*…"\s+\S', cut=True
    )
    said = seen[seen.index("Bessa Thorn adds,") :]
    said = said[: said.index("done")]
    after = said.partition("lamp and")[2].lstrip()
    assert after.startswith('…"'), said
    assert '"' not in after[2:], said  # nothing more is closed inside or after it
    assert after[2:].strip(), said  # the narrator's ending came
