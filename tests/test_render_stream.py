"""Tests for mud.render.stream.LineAssembler."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mud.render.stream import LineAssembler, WordWrapper
from mud.render.wrap import visible_width

TEXT = st.lists(
    st.sampled_from(
        [
            *("The", "goblin", "snarls", "a", "supercalifragilistic", "漢字", "e\u0301"),
            *(" ", " ", "  ", "\n", ".", ",", "\r", "😀"),
            *("\U0001f44b\U0001f3fd", "\U0001f468\u200d\U0001f469"),  # a skin tone, joined
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
# Found by hypothesis in CI: at width 1, a chunk ending on a joiner released its face as
# "?" before the face joined to it came ("?", "?" cut, "?", "\u200d" whole).
@example("ab\U0001f468\u200d\U0001f469", [3], 1)
@example("ab\U0001f468\u200d\U0001f469", [4], 1)
@example("a \U0001f44b\U0001f3fd b", [3], 1)
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


# -- WordWrapper: words as they arrive ------------------------------------------------


def _words(text: str, sizes: list[int], width: int) -> list[str]:
    w = WordWrapper(width)
    col = 0
    out: list[str] = []
    i = 0
    k = 0
    while i < len(text):
        n = sizes[k % len(sizes)]
        k += 1
        pieces, col = w.feed(text[i : i + n], col)
        out += pieces
        i += n
    pieces, col = w.flush(col)
    assert col == 0
    return out + pieces


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab cd\n界é\u0301 ", "\U0001f44b\U0001f3fd"]), max_size=120).map(
        "".join
    ),
    st.lists(st.integers(1, 9), min_size=1, max_size=20),
    st.integers(1, 30),
)
def test_word_wrapper_lines_fit_and_do_not_depend_on_chunking(
    text: str, sizes: list[int], width: int
) -> None:
    chunked = "".join(_words(text, sizes, width))
    whole = "".join(_words(text, [max(1, len(text))], width))
    assert chunked == whole
    for line in chunked.split("\n"):
        assert visible_width(line) <= width
    # Every character arrives, in order (wrapping only changes the whitespace; words
    # wider than the line are split).
    if width >= 2:
        assert "".join(chunked.split()) == "".join(text.split())
    if width >= 4:  # room for a wave and its skin tone: never parted
        assert not [line for line in chunked.split("\n") if line.startswith("\U0001f3fd")]


def test_word_wrapper_writes_complete_words_at_once() -> None:
    w = WordWrapper(20)
    pieces, col = w.feed("The torch ", 0)
    assert pieces == ["The torch"] and col == 9
    pieces, col = w.feed("gutters", col)
    assert pieces == [] and w.pending
    pieces, col = w.feed("; shadows lean closer", col)
    assert pieces == [" gutters;", "\n", "shadows lean"]
    pieces, col = w.flush(col)
    assert pieces == [" closer", "\n"] and col == 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from(list("ab cd\n界 ")), max_size=12), max_size=12),
    st.integers(1, 30),
    st.integers(1, 30),
)
def test_word_wrappers_sharing_the_step_memo_keep_their_own_state(
    chunks: list[str], width_a: int, width_b: int
) -> None:
    """``advance`` is memoised across wrappers (every viewer of a narration makes the
    same step): two wrappers of different widths fed the same chunks, interleaved,
    each give what a wrapper working alone (no memo) gives."""
    a, b = WordWrapper(width_a), WordWrapper(width_b)
    alone_a, alone_b = WordWrapper(width_a), WordWrapper(width_b)
    col_a = col_b = col_alone_a = col_alone_b = 0
    for chunk in chunks:
        got_a, col_a = a.advance(chunk, col_a)
        got_b, col_b = b.advance(chunk, col_b)
        want_a, col_alone_a = alone_a._feed(chunk, col_alone_a)
        want_b, col_alone_b = alone_b._feed(chunk, col_alone_b)
        assert (list(got_a), col_a) == (want_a, col_alone_a)
        assert (list(got_b), col_b) == (want_b, col_alone_b)
    assert a.flush(col_a) == alone_a.flush(col_alone_a)
    assert b.flush(col_b) == alone_b.flush(col_alone_b)
