"""Tests for mud.render.stream.LineAssembler."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mud.render.stream import LineAssembler
from mud.render.wrap import visible_width

TEXT = st.lists(
    st.sampled_from(
        [
            *("The", "goblin", "snarls", "a", "supercalifragilistic", "漢字", "e\u0301"),
            *(" ", " ", "  ", "\n", ".", ",", "\r", "😀"),
        ]
    ),
    max_size=60,
).map("".join)


def assemble(chunks: list[str], width: int) -> list[str]:
    asm = LineAssembler(width)
    lines: list[str] = []
    for chunk in chunks:
        lines.extend(asm.feed(chunk))
    return lines + asm.flush()


def split(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(c, len(text)) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


def test_newline_ends_a_line() -> None:
    asm = LineAssembler(80)
    assert asm.feed("You hear") == []
    assert asm.feed(" a distant bell.\nThe wind") == ["You hear a distant bell."]
    assert asm.pending == "The wind"
    assert asm.flush() == ["The wind"]
    assert asm.flush() == []


def test_wraps_only_when_the_break_is_known() -> None:
    asm = LineAssembler(10)
    assert asm.feed("aaaa bbbbb") == []  # exactly 10 columns: the next char decides
    assert asm.feed("b") == ["aaaa"]
    assert asm.pending == "bbbbbb"
    asm2 = LineAssembler(10)
    asm2.feed("aaaa bbbbb")
    assert asm2.feed(" c") == ["aaaa bbbbb"]
    assert asm2.pending == "c"


def test_spaces_at_soft_breaks_do_not_leak() -> None:
    assert assemble(["aaaaa", " ", "  ", "\n", "b"], 5) == ["aaaaa", "b"]
    assert assemble(["aaaaa\n\nb"], 5) == ["aaaaa", "", "b"]


def test_long_word_is_hard_split() -> None:
    assert assemble(["abcdefghijk"], 4) == ["abcd", "efgh", "ijk"]


def test_wide_characters() -> None:
    assert assemble(["漢字漢字"], 5) == ["漢字", "漢字"]
    assert assemble(["漢a"], 1) == ["?", "a"]


def test_set_width_applies_to_pending_text() -> None:
    asm = LineAssembler(80)
    assert asm.feed("one two three four") == []
    asm.set_width(9)
    assert asm.width == 9
    assert asm.feed(" five\n") == ["one two", "three", "four five"]
    asm.set_width(10_000)
    assert asm.width == 500


def test_carriage_returns_ignored() -> None:
    assert assemble(["a\r\nb\r"], 10) == ["a", "b"]


@given(TEXT, st.lists(st.integers(0, 200), max_size=10), st.integers(1, 40))
def test_chunking_does_not_change_lines(text: str, cuts: list[int], width: int) -> None:
    whole = assemble([text], width)
    assert assemble(split(text, cuts), width) == whole
    assert assemble(list(text), width) == whole
    for line in whole:
        assert visible_width(line) <= width
        assert line == line.rstrip(" ")


@given(TEXT, st.integers(2, 40))
def test_no_text_lost(text: str, width: int) -> None:
    lines = assemble([text], width)
    assert "".join("".join(lines).split()) == "".join(text.split())
