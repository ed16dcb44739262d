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


async def _talked(tmp_path: Path, tokens: tuple[str, ...], until: str) -> str:
    """What Bob read after Alice asked Bessa about the cartographer, the model (the fake
    OpenAI server) answering ``tokens`` (to every request: Bob's arrival too), until the
    pattern ``until`` came after Bessa's own line."""
    async with FakeOpenAI(default=Fault("text", tokens=tokens)) as fake:
        config = make_config(
            tmp_path, llm=fake, timeouts={"first_token": 3.0, "chunk_gap": 2.0, "total": 10.0}
        )
        async with running_server(config) as srv:
            alice, bob = await alice_and_bob(srv.telnet_port)
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
