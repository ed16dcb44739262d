"""NarrationFilter: labels, role markers and meta-talk never reach a player, from a
corpus of recorded bad outputs (tests/data/dm_bad_outputs.json: the kinds issue 10
quotes and real SmolLM2-135M replies to the old prompt), however the text is chunked."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mud.dm.textfilter import NarrationFilter

CORPUS = json.loads((Path(__file__).parent / "data" / "dm_bad_outputs.json").read_text("utf-8"))

# Written independently of the filter's own patterns: what must never reach a screen.
BANNED = re.compile(
    r"(?i)\b(?:actor|narrator|assistant|request|facts|engine outcome|player speech|"
    r"dungeon master answers|response|exits|present|room)\s*(?:\([^)]*\))?\s*:"
    r"|untrusted|not instructions|in-character|\bin \d\s*-\s*\d sentences|<\||\|>"
    r"|\bas an ai\b|\bhere(?: is|'s) (?:the|a|your)|severity \d of \d|narrate it once"
    r"|\((?:action|talk|ask|enter|scene|combat|ambient|milestone)\b"
)
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*(?=\s|$)")


def run(text: str, chunks: list[int] | None = None, **kwargs: int) -> tuple[str, NarrationFilter]:
    flt = NarrationFilter(**kwargs)
    out: list[str] = []
    i = 0
    sizes = iter(chunks or [len(text) or 1])
    while i < len(text):
        n = next(sizes, 3)
        out.append(flt.feed(text[i : i + n]))
        i += n
    out.append(flt.flush())
    return "".join(out), flt


def chunkings(text: str) -> list[list[int]]:
    rng = random.Random(len(text))
    return [[len(text) or 1], [1] * len(text)] + [
        [rng.randint(1, 12) for _ in range(len(text))] for _ in range(8)
    ]


@pytest.mark.parametrize("entry", CORPUS, ids=[e["source"] for e in CORPUS])
def test_corpus_is_cleaned_whatever_the_chunking(entry: dict[str, str]) -> None:
    outputs = {run(entry["raw"], c, max_sentences=4)[0] for c in chunkings(entry["raw"])}
    assert len(outputs) == 1, outputs  # chunking never changes the result
    out = outputs.pop()
    assert not BANNED.search(out), out
    assert len(SENTENCE_END.findall(out)) <= 4
    if "clean" in entry:
        assert out == entry["clean"]


def test_corpus_raw_outputs_do_leak_labels() -> None:
    # The corpus is worth testing against: most raw replies carry a banned label.
    leaking = [e for e in CORPUS if BANNED.search(e["raw"])]
    assert len(leaking) >= len(CORPUS) // 2


def test_words_flow_before_the_sentence_ends() -> None:
    flt = NarrationFilter()
    first = flt.feed("Rain ") + flt.feed("drums ") + flt.feed("on the ")
    assert first.startswith("Rain drums")
    assert flt.feed("roof ") == "roof "


def test_label_is_held_until_it_is_known() -> None:
    flt = NarrationFilter()
    assert flt.feed("Narr") == ""
    assert flt.feed("ator: ") == ""
    assert flt.feed("Mist rolls in the ") == "Mist rolls in the "


def test_sentence_limit_stops_and_reports_full() -> None:
    out, flt = run("One. Two. Three. Four. Five.", max_sentences=2)
    assert out == "One. Two."
    assert flt.full and flt.sentences == 2
    assert flt.feed("More. ") == ""


def test_token_limit_ends_at_last_full_sentence() -> None:
    text = "The rain falls. The lamplighter raises her lantern and the light spreads across"
    flt = NarrationFilter(soft_chars=10)
    out = flt.feed(text) + flt.flush(cut=True)
    assert out == "The rain falls."
    assert flt.cut


def test_cut_without_any_full_sentence_is_marked_with_an_ellipsis() -> None:
    flt = NarrationFilter()
    out = flt.feed("The lamplighter raises her lantern and") + flt.flush(cut=True)
    assert out == "The lamplighter raises her lantern and…"
    assert flt.cut


def test_complete_answer_is_not_cut() -> None:
    flt = NarrationFilter(soft_chars=5)
    out = flt.feed("The rain falls.") + flt.flush(cut=True)
    assert out == "The rain falls."
    assert not flt.cut


def test_ordinary_prose_passes_unchanged() -> None:
    text = (
        "In the darkness, a rat squeaks. Sure-footed, Bessa crosses the causeway; "
        "the players hold their breath. Time moves on, unhurried."
    )
    assert run(text, max_sentences=4)[0] == text


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab :.!?()<|>\n-*ActorNain2-4sentces")), max_size=80),
    st.lists(st.integers(1, 7), min_size=1, max_size=40),
)
@example(":<s>2", [1])  # found by Hypothesis: ":2" whole, ": 2" chunked
def test_chunking_never_changes_the_output(text: str, sizes: list[int]) -> None:
    whole = run(text)[0]
    assert run(text, sizes)[0] == whole
