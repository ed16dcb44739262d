"""Tests for mud.render.wrap: visible width and word wrapping of styled runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mud.render.ansi import Run, parse, plain
from mud.render.wrap import fit, truncate, visible_width, wrap_runs

# Words mixing ASCII, accents (precomposed and combining), CJK and emoji.
WORD = st.lists(
    st.sampled_from(
        [
            "a",
            "b",
            "Z",
            "é",
            "e\u0301",
            "漢",
            "字",
            "Ａ",
            "😀",
            ".",
            "{{",
            "ü",
            "、",
            "。",
            "「",
            "」",
            "\U0001f44b\U0001f3fd",  # a wave with its skin tone
            "\U0001f468\u200d\U0001f469",  # two faces joined
        ]
    ),
    min_size=1,
    max_size=14,
).map("".join)
TAG = st.sampled_from(["{title}", "{exit}", "{bold}", "{/}", "{nope}", "{"])
MARKUP = st.lists(st.one_of(WORD, WORD, st.sampled_from([" ", "  ", "\n"]), TAG), max_size=40).map(
    "".join
)


def line_text(line: list[Run]) -> str:
    return "".join(r.text for r in line)


def texts(runs: list[Run], width: int) -> list[str]:
    return [line_text(line) for line in wrap_runs(runs, width)]


def test_visible_width() -> None:
    assert visible_width("") == 0
    assert visible_width("hello") == 5
    assert visible_width("漢字") == 4
    assert visible_width("Ａ") == 2  # fullwidth
    assert visible_width("e\u0301") == 1  # combining mark
    assert visible_width("café") == 4
    assert visible_width("😀!") == 3


def test_fit_and_truncate() -> None:
    assert fit("abcdef", 3) == ("abc", "def")
    assert fit("漢字x", 3) == ("漢", "字x")
    assert fit("ae\u0301b", 2) == ("ae\u0301", "b")  # the mark stays with its letter
    assert truncate("漢字", 1) == ""


def test_simple_wrap() -> None:
    runs = [Run((), "the quick brown fox jumps over the lazy dog")]
    assert texts(runs, 10) == ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
    assert texts(runs, 100) == ["the quick brown fox jumps over the lazy dog"]


def test_spaces_at_breaks_are_dropped_and_inner_spaces_kept() -> None:
    runs = [Run((), "aaa   bbb  ccc   ")]
    assert texts(runs, 9) == ["aaa   bbb", "ccc"]
    assert texts(runs, 100) == ["aaa   bbb  ccc"]


def test_indentation_kept_when_it_fits() -> None:
    assert texts([Run((), "  indented text")], 40) == ["  indented text"]
    assert texts([Run((), "one\n  two")], 40) == ["one", "  two"]
    assert texts([Run((), "     word")], 5) == ["word"]


def test_newlines_and_blank_lines() -> None:
    assert texts([Run((), "a\n\nb")], 10) == ["a", "", "b"]
    assert texts([Run((), "a\n")], 10) == ["a"]
    assert texts([], 10) == []


def test_hard_split_long_word() -> None:
    assert texts([Run((), "ab abcdefghij c")], 4) == ["ab", "abcd", "efgh", "ij c"]


def test_width_one() -> None:
    assert texts([Run((), "ab c")], 1) == ["a", "b", "c"]
    # A 2-column character cannot fit one column: it becomes a placeholder.
    assert texts([Run((), "漢a")], 1) == ["?", "a"]
    assert texts([Run((), "漢字")], 2) == ["漢", "字"]


def test_styles_follow_the_words_across_lines() -> None:
    lines = wrap_runs(parse("go {exit}north east{/} now"), 8)
    assert lines == [
        [Run((), "go "), Run(("exit",), "north")],
        [Run(("exit",), "east"), Run((), " now")],
    ]


def test_word_spanning_runs_stays_together() -> None:
    lines = wrap_runs(parse("take the {item}sword{/}."), 10)
    assert [line_text(line) for line in lines] == ["take the", "sword."]
    assert lines[1] == [Run(("item",), "sword"), Run((), ".")]


def test_chinese_and_japanese_break_between_characters() -> None:
    # Played over OpenSSH with an input method: a long say put "Xue says," alone on its
    # line, the whole Japanese run being one word.
    said = (
        "Xue says, 'こんにちは、ソレルさん！今日はとても良い天気ですね。一緒に市場へ行きませんか？'"
    )
    lines = texts([Run((), said)], 20)
    assert lines[0] == "Xue says, 'こんにち"
    assert "".join(lines) == said  # broken between characters, nothing lost
    assert all(visible_width(line) <= 20 for line in lines)
    # No line starts with a closing mark nor ends with an opening one.
    assert not [line for line in lines[1:] if line[0] in "、。！？」'"]
    assert not [line for line in lines if line[-1] in "「"]
    # Latin words still break only at spaces; an opening quote stays with its word.
    assert texts([Run((), "Sorrel says, '「こんにちは」と言った。'")], 20) == [
        "Sorrel says, '「こん",
        "にちは」と言った。'",
    ]


def test_an_emoji_keeps_its_skin_tone_and_its_joined_faces() -> None:
    # Played: a row of waves wrapped between a hand and its skin tone.
    wave, family = "\U0001f44b\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    for width in range(6, 14):  # the family is 6 columns by the width table
        for line in texts([Run((), f"Xue waves {wave * 7} and {family * 2}")], width):
            assert not line.startswith(("\U0001f3fd", "\u200d")), (width, line)
            assert not line.endswith("\u200d"), (width, line)
    assert fit(f"ab{wave}c", 4) == ("ab", f"{wave}c")


@given(MARKUP, st.integers(1, 500))
def test_never_wider_than_width(markup: str, width: int) -> None:
    for line in wrap_runs(parse(markup), width):
        assert visible_width(line_text(line)) <= width
        assert all(run.text for run in line)


@given(MARKUP, st.integers(2, 120))
def test_words_come_back_in_order(markup: str, width: int) -> None:
    runs = parse(markup)
    out = "".join(line_text(line) for line in wrap_runs(runs, width))
    assert "".join(out.split()) == "".join(plain(runs).split())


@given(MARKUP, st.integers(1, 120))
def test_styles_preserved(markup: str, width: int) -> None:
    runs = parse(markup)
    styled_in = [(r.styles, c) for r in runs for c in r.text if not c.isspace()]
    styled_out = [
        (r.styles, c)
        for line in wrap_runs(runs, width)
        for r in line
        for c in r.text
        if not c.isspace()
    ]
    if width == 1:  # placeholders for 2-column characters
        styled_in = [(s, "?" if visible_width(c) == 2 else c) for s, c in styled_in]
    assert styled_out == styled_in


def test_a_hanging_indent_begins_each_line_wrapped_on_and_counts_in_its_width() -> None:
    runs = [Run((), "the quick brown fox jumps over the lazy dog")]
    assert [line_text(line) for line in wrap_runs(runs, 10, hang=2)] == [
        "the quick",
        "  brown",
        "  fox",
        "  jumps",
        "  over the",
        "  lazy dog",
    ]
    # Not after a newline, and not when it would leave no room.
    lines = wrap_runs([Run((), "one two\nthree")], 5, hang=2)
    assert [line_text(line) for line in lines] == ["one", "  two", "three"]
    assert texts([Run((), "ab cd")], 2) == [
        line_text(x) for x in wrap_runs([Run((), "ab cd")], 2, hang=2)
    ]
    # Nor when a wide character would not fit beside it (found by hypothesis: width 2,
    # hang 1, a waving hand with its skin tone became "?").
    wave = "\U0001f44b\U0001f3fd"
    assert texts([Run((), f"{wave} {wave}")], 2) == [
        line_text(x) for x in wrap_runs([Run((), f"{wave} {wave}")], 2, hang=1)
    ]


@given(MARKUP, st.integers(1, 120), st.integers(0, 6))
def test_a_hanging_indent_keeps_the_width_and_the_words(markup: str, width: int, hang: int) -> None:
    runs = parse(markup)
    plain_lines = wrap_runs(runs, width)
    hung = wrap_runs(runs, width, hang=hang)
    for line in hung:
        assert visible_width(line_text(line)) <= width
    out = "".join(line_text(line) for line in hung)
    assert "".join(out.split()) == "".join("".join(line_text(x) for x in plain_lines).split())
    if hang == 0 or hang > width - 2:
        assert hung == plain_lines
