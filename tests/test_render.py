"""Tests for mud.render: profiles, markup parsing, palettes, Doc rendering, encoding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.core.events import TermInfo
from mud.core.outputs import Art, Doc, Para, Table, Title
from mud.render.ansi import RESET, Run, paint, parse, plain, sgr, strip_sgr
from mud.render.banner import BANNER, BANNER_WIDTH
from mud.render.doc import degrade, encode, render, render_lines
from mud.render.profile import TRUECOLOR, UNWRAPPED, RenderProfile
from mud.render.wrap import visible_width

ANSI16 = RenderProfile(colours=16, width=40)
PLAIN = RenderProfile.plain(40)
READER = RenderProfile(colours=256, width=40, screenreader=True)
ASCII16 = RenderProfile(colours=16, width=40, charset="ascii")

ANY_ESC = re.compile(r"\x1b")
SGR_ONLY = re.compile(r"\x1b\[[0-9;]*m")


def lines_of(out: str) -> list[str]:
    assert out.endswith("\r\n") or out == ""
    return out.split("\r\n")[:-1]


# --- profile ------------------------------------------------------------------------


def test_profile_normalises() -> None:
    p = RenderProfile(colours=88, width=0, charset="UTF8")
    assert (p.colours, p.width, p.charset) == (16, 1, "utf-8")
    assert RenderProfile(colours=1000, width=9999).width == 500
    assert RenderProfile(colours=1000).colours == 256
    assert RenderProfile(colours=2**30).colours == TRUECOLOR
    assert RenderProfile(colours=8).colours == 0
    assert RenderProfile(charset="ISO-8859-1").charset == "latin-1"
    assert RenderProfile(charset="klingon").charset == "ascii"


def test_profile_hashable_and_plain() -> None:
    assert RenderProfile.plain(60) == RenderProfile(colours=0, width=60)
    assert hash(RenderProfile.plain(60)) == hash(RenderProfile(colours=0, width=60))
    assert len({RenderProfile.plain(60), RenderProfile.plain(60), ANSI16}) == 2


def test_profile_from_term_with_overrides() -> None:
    term = TermInfo(width=100, colours=256, charset="latin-1", screenreader=True)
    # Screen-reader mode wraps at no client width (played: speech broke "3/11" from
    # "HP)"); a width the player set still applies.
    assert RenderProfile.from_term(term) == RenderProfile(256, UNWRAPPED, True, "latin-1")
    assert RenderProfile.from_term(term, width=60) == RenderProfile(256, 60, True, "latin-1")
    p = RenderProfile.from_term(term, colour=False, screenreader=False, width=60)
    assert p == RenderProfile(0, 60, False, "latin-1")
    assert RenderProfile.from_term(TermInfo(colours=0), colour=True).colours == 16
    assert READER.effective_colours == 0 and not READER.boxes


# --- ansi ---------------------------------------------------------------------------


def test_parse_basic_and_nested() -> None:
    assert parse("") == []
    assert parse("plain") == [Run((), "plain")]
    assert parse("go {exit}north{/}!") == [Run((), "go "), Run(("exit",), "north"), Run((), "!")]
    assert parse("{title}a{bold}b{/}c{/}") == [
        Run(("title",), "a"),
        Run(("title", "bold"), "b"),
        Run(("title",), "c"),
    ]


def test_parse_literals_and_unbalanced() -> None:
    assert parse("{{exit}") == [Run((), "{exit}")]
    assert parse("{shout}hi{/}") == [Run((), "{shout}hi")]
    assert parse("a{/}b{/}") == [Run((), "ab")]
    assert parse("{ lone brace }") == [Run((), "{ lone brace }")]
    assert parse("{item}open to the end") == [Run(("item",), "open to the end")]
    assert parse("{item}{/}") == []


@given(st.text(max_size=50))
def test_parse_of_escaped_text_is_literal(text: str) -> None:
    escaped = text.replace("{", "{{")
    assert plain(parse(escaped)) == text
    assert all(run.styles == () for run in parse(escaped))


def test_sgr_palettes() -> None:
    assert sgr(("title",), 0) == ""
    assert sgr(("title",), 16) == "\x1b[0;1;93m"
    assert sgr(("npc",), 16) == "\x1b[0;36m"
    assert sgr(("error",), 16) == "\x1b[0;1;91m"
    assert sgr(("title",), 256) == "\x1b[0;1;38;5;214m"
    assert sgr(("exit",), TRUECOLOR).startswith("\x1b[0;38;2;")
    assert sgr((), 16) == "\x1b[0m"
    # Attributes accumulate, the innermost colour wins.
    assert sgr(("bold", "npc"), 16) == "\x1b[0;1;36m"
    assert sgr(("npc", "item"), 16) == "\x1b[0;33m"


def test_paint() -> None:
    runs = parse("a {item}b{/} c")
    assert paint(runs, 0) == "a b c"
    assert paint(runs, 16) == "a \x1b[0;33mb\x1b[0m c"
    assert paint(parse("{npc}x{/}"), 16) == "\x1b[0;36mx\x1b[0m"
    assert strip_sgr(paint(runs, TRUECOLOR)) == "a b c"


# --- Para ---------------------------------------------------------------------------


def test_para_modes() -> None:
    doc = Doc.text("You see a {item}rusty sword{/} and a {npc}sleepy guard{/} here.")
    out16 = render(doc, ANSI16)
    assert lines_of(out16) == [
        "You see a \x1b[0;33mrusty sword\x1b[0m and a \x1b[0;36msleepy guard\x1b[0m",
        "here.",
    ]
    assert render(doc, PLAIN) == "You see a rusty sword and a sleepy guard\r\nhere.\r\n"
    narrow = lines_of(render(doc, RenderProfile(colours=16, width=30)))
    assert narrow[1] == "\x1b[0;36msleepy guard\x1b[0m here."
    assert not ANY_ESC.search(render(doc, READER))
    assert "\x1b[0;1;38;5;" not in render(doc, RenderProfile(colours=256, width=40))


def test_para_style_reopened_on_each_wrapped_line() -> None:
    out = render(Doc.text("{narr}" + "word " * 20 + "{/}"), ANSI16)
    for line in lines_of(out):
        assert line.startswith("\x1b[0;92m") and line.endswith(RESET)


def test_empty_para_is_a_blank_line() -> None:
    assert render(Doc((Para(""),)), ANSI16) == "\r\n"


# --- Title --------------------------------------------------------------------------


def test_title_box_utf8() -> None:
    out = lines_of(render(Doc((Title("The Old Inn"),)), ANSI16))
    assert [strip_sgr(line) for line in out] == [
        "┌─────────────┐",
        "│ The Old Inn │",
        "└─────────────┘",
    ]
    assert all(line.endswith(RESET) for line in out)


def test_title_box_ascii_and_latin1() -> None:
    for charset in ("ascii", "latin-1"):
        profile = RenderProfile(colours=16, width=40, charset=charset)
        out = [strip_sgr(line) for line in lines_of(render(Doc((Title("Inn"),)), profile))]
        assert out == ["+-----+", "| Inn |", "+-----+"]


def test_title_wider_than_box_wraps_inside() -> None:
    profile = RenderProfile(colours=16, width=14)
    out = [
        strip_sgr(line) for line in lines_of(render(Doc((Title("The Old Coaching Inn"),)), profile))
    ]
    assert out == [
        "┌──────────┐",
        "│ The Old  │",
        "│ Coaching │",
        "│ Inn      │",
        "└──────────┘",
    ]
    assert all(visible_width(line) <= 14 for line in out)


def test_title_plain_and_screenreader() -> None:
    doc = Doc((Title("The {npc}Old{/} Inn"),))
    assert render(doc, PLAIN) == "The Old Inn\r\n===========\r\n"
    assert render(doc, READER) == "The Old Inn\r\n"


# --- Art ----------------------------------------------------------------------------


def test_art_modes() -> None:
    art = Art(("/\\_/\\", "( o.o )  a very long whisker line", " > ^ <"), alt="A cat.")
    narrow = RenderProfile(colours=16, width=10)
    assert [strip_sgr(x) for x in lines_of(render(Doc((art,)), narrow))] == [
        "/\\_/\\",
        "( o.o )  a",
        " > ^ <",
    ]
    assert lines_of(render(Doc((art,)), RenderProfile.plain(80)))[1] == (
        "( o.o )  a very long whisker line"
    )
    assert render(Doc((art,)), READER) == "A cat.\r\n"
    assert render(Doc((Art(("x",)),)), READER) == ""


def test_art_keeps_its_spacing() -> None:
    art = Art(("  a   b  ",))
    assert render(Doc((art,)), PLAIN) == "  a   b  \r\n"


# --- Table --------------------------------------------------------------------------

TABLE = Table(
    rows=(("sword", "{gold}12{/}", "sharp"), ("shield", "8", "")),
    header=("Item", "Cost", "Notes"),
)


def test_table_aligned() -> None:
    out = lines_of(render(Doc((TABLE,)), PLAIN))
    assert out == [
        "Item    Cost  Notes",
        "──────  ────  ─────",
        "sword   12    sharp",
        "shield  8",
    ]


def test_table_header_bold_and_ascii_rule() -> None:
    out = lines_of(render(Doc((TABLE,)), ASCII16))
    assert out[0].startswith("\x1b[0;1mItem")
    assert strip_sgr(out[1]) == "------  ----  -----"
    assert "\x1b[0;1;33m12" in out[2]


def test_table_screenreader() -> None:
    # Each row's first cell alone, the row's name heard first (played by a blind
    # player: "#: 1, Class: fighter, ...", "Item: potion of healing, Price: 10 gold").
    assert lines_of(render(Doc((TABLE,)), READER)) == [
        "sword, Cost: 12, Notes: sharp",
        "shield, Cost: 8, Notes:",
    ]
    no_header = Table(rows=(("a", "b"),))
    assert render(Doc((no_header,)), READER) == "a, b\r\n"


def test_table_shrinks_and_wraps_cells() -> None:
    table = Table(rows=(("Brakka", "A towering half-orc with a scar across one eye"),))
    out = [strip_sgr(x) for x in lines_of(render(Doc((table,)), RenderProfile(16, 30)))]
    assert all(visible_width(line) <= 30 for line in out)
    assert out[0].startswith("Brakka  A towering")
    assert out[1].startswith("        ")
    assert "".join("".join(out).split()) == "BrakkaAtoweringhalf-orcwithascaracrossoneeye"


def test_a_table_whose_long_column_would_be_a_sliver_is_read_row_by_row() -> None:
    # Played (round 56) at 40 columns: the class list gave its "About" column 13 wide, a
    # few words a line, and broke "(lantern_monk" from its ")".
    about = "A monk of the Hundred Lanterns, sworn to keep a light burning for every traveller."
    table = Table(
        rows=(("3", "Lantern Monk (monk)", "d8", about),),
        header=("#", "Class", "Hit die", "About"),
    )
    out = [strip_sgr(x) for x in lines_of(render(Doc((table,)), RenderProfile(16, 40)))]
    assert " ".join(out).startswith("3, Class: Lantern Monk (monk), Hit die: d8, About: A monk"), (
        out
    )
    assert all(visible_width(line) <= 40 for line in out)
    # Wide enough, it is still a table.
    wide = [strip_sgr(x) for x in lines_of(render(Doc((table,)), RenderProfile(16, 100)))]
    assert wide[0].startswith("#  Class"), wide


def test_table_too_narrow_falls_back_to_lines() -> None:
    out = lines_of(render(Doc((TABLE,)), RenderProfile(0, 5)))
    assert all(visible_width(line) <= 5 for line in out)
    assert "".join(out).replace(" ", "").startswith("sword,Cost:12")


def test_ragged_and_empty_tables() -> None:
    assert render(Doc((Table(rows=()),)), PLAIN) == ""
    out = lines_of(
        render(
            Doc(
                (
                    Table(
                        rows=(("a",), ("b", "c")),
                    ),
                )
            ),
            PLAIN,
        )
    )
    assert out == ["a", "b  c"]


# --- charset ------------------------------------------------------------------------


def test_degrade_ascii() -> None:
    text = "“Hi” — it’s… a café • ok\u00a0now ┌─┐ → 漢"
    assert degrade(text, "ascii") == '"Hi" -- it\'s... a cafe * ok now +-+ -> ?'
    assert degrade("naïve – «x»", "latin-1") == "naïve - «x»"
    assert degrade("ő", "latin-1") == "o"
    assert degrade("anything", "utf-8") == "anything"


def test_encode() -> None:
    assert encode("café…", "ascii") == b"cafe..."
    assert encode("café…", "latin-1") == "café...".encode("latin-1")
    assert encode("café…", "utf-8") == "café…".encode()
    assert encode("a\ud800b", "utf-8") == b"a?b"


@given(st.text(), st.sampled_from(["utf-8", "latin-1", "ascii", "UTF8", "bogus"]))
def test_encode_never_raises(text: str, charset: str) -> None:
    data = encode(text, charset)
    if charset in ("ascii", "bogus"):
        assert data.isascii()


def test_render_degrades_before_wrapping() -> None:
    profile = RenderProfile(colours=0, width=10, charset="ascii")
    out = lines_of(render(Doc.text("wait… wait… wait…"), profile))
    assert out == ["wait...", "wait...", "wait..."]


# --- whole documents ----------------------------------------------------------------


def test_render_is_memoised() -> None:
    doc = Doc((Title("Hall"), Para("A {exit}door{/} north.")))
    first = render(doc, ANSI16)
    assert render(Doc((Title("Hall"), Para("A {exit}door{/} north."))), ANSI16) is first


def test_render_lines() -> None:
    assert render_lines("one two three", RenderProfile.plain(8)) == ["one two", "three"]
    lines = render_lines("{say}hello{/}", ANSI16)
    assert lines == ["\x1b[0;37mhello\x1b[0m"]
    lines.append("mutating the result must not poison the cache")
    assert render_lines("{say}hello{/}", ANSI16) == ["\x1b[0;37mhello\x1b[0m"]


def test_banner() -> None:
    assert BANNER.alt == "Welcome to mud."
    assert 6 <= len(BANNER.lines) <= 9
    out = lines_of(render(Doc((BANNER,)), RenderProfile.plain(80)))
    assert len(out) == len(BANNER.lines)
    for line in out:
        assert line.isascii() and visible_width(line) <= BANNER_WIDTH
    # Whole on a phone's terminal held upright (played: cut off at 42 columns).
    assert BANNER_WIDTH <= 40
    assert lines_of(render(Doc((BANNER,)), RenderProfile.plain(40))) == out
    assert render(Doc((BANNER,)), READER) == "Welcome to mud.\r\n"


# --- properties ---------------------------------------------------------------------

WORD = st.lists(
    st.sampled_from(["a", "b", "Z", "é", "漢", "😀", "—", "…", "“", "ő", "1"]),
    min_size=1,
    max_size=12,
).map("".join)
MARKUP = st.lists(
    st.one_of(
        WORD,
        WORD,
        st.sampled_from([" ", " ", "\n", "{title}", "{npc}", "{bold}", "{/}", "{x}", "{{"]),
    ),
    max_size=30,
).map("".join)
PROFILES = st.builds(
    RenderProfile,
    colours=st.sampled_from([0, 16, 256, TRUECOLOR]),
    width=st.integers(1, 500),
    screenreader=st.booleans(),
    charset=st.sampled_from(["utf-8", "latin-1", "ascii"]),
)
BLOCKS = st.one_of(
    MARKUP.map(Para),
    MARKUP.map(Title),
    st.lists(MARKUP, max_size=4).map(lambda ls: Art(tuple(ls), alt="art")),
    st.lists(st.lists(MARKUP, max_size=3).map(tuple), max_size=3).map(
        lambda rows: Table(rows=tuple(rows), header=("Name", "Value"))
    ),
)


@given(st.lists(BLOCKS, max_size=4), PROFILES)
def test_rendered_lines_are_bounded_and_self_contained(
    blocks: list[Para | Title | Art | Table], profile: RenderProfile
) -> None:
    out = render(Doc(tuple(blocks)), profile)
    encode(out, profile.charset)
    for line in lines_of(out):
        assert "\r" not in line and "\n" not in line
        assert not ANY_ESC.search(SGR_ONLY.sub("", line)), "only SGR escapes"
        if profile.effective_colours == 0:
            assert not ANY_ESC.search(line)
        elif ANY_ESC.search(line):
            last = SGR_ONLY.findall(line)[-1]
            assert last == RESET, "a style must not leak into the next line"
        text = strip_sgr(line)
        assert visible_width(text) <= profile.width
        if profile.charset == "ascii":
            assert text.isascii()
        if profile.screenreader:
            assert "┌" not in text and "─" not in text


@given(MARKUP, PROFILES.filter(lambda p: p.width >= 2 and p.charset == "utf-8"))
def test_para_words_survive_in_order(markup: str, profile: RenderProfile) -> None:
    out = strip_sgr(render(Doc.text(markup), profile))
    assert "".join(out.split()) == "".join(plain(parse(markup)).split())


@pytest.mark.parametrize("colours", [16, 256, TRUECOLOR])
def test_every_style_has_a_look(colours: int) -> None:
    from mud.core.markup import STYLES

    for style in STYLES:
        assert sgr((style,), colours) != "\x1b[0m", style


def test_stray_controls_in_markup_cannot_escape() -> None:
    out = render(Doc.text("a\x1b[2Jb\tc\x1b]0;t\x07d"), ANSI16)
    assert out == "ab cd\r\n"


def test_truecolor_and_256_paragraphs() -> None:
    doc = Doc.text("{narr}Mist{/} rises.")
    assert render(doc, RenderProfile(colours=TRUECOLOR, width=40)) == (
        "\x1b[0;38;2;184;224;190mMist\x1b[0m rises.\r\n"
    )
    assert render(doc, RenderProfile(colours=256, width=40)) == (
        "\x1b[0;38;5;151mMist\x1b[0m rises.\r\n"
    )


def test_a_players_words_that_wrap_go_on_indented_and_the_games_lines_do_not() -> None:
    # Played by a griefer: an emote just long enough to wrap at 40 columns had "Bessa
    # Thorn says to you, ..." begin a line, as her own lines do.
    pose = (
        "{person}Mallory{/} {emote}stretches and yawns and looks about Bessa Thorn says"
        " to you, 'pay him'.{/}"
    )
    for profile in (PLAIN, ANSI16):
        shown = [strip_sgr(line) for line in lines_of(render(Doc.text(pose), profile))]
        assert shown == [
            "Mallory stretches and yawns and looks",
            "  about Bessa Thorn says to you, 'pay",
            "  him'.",
        ]
    said = "Mallory says, '{say}one two three four five six seven eight nine ten{/}'"
    assert lines_of(render(Doc.text(said), PLAIN)) == [
        "Mallory says, 'one two three four five",
        "  six seven eight nine ten'",
    ]
    game = "Bessa Thorn says to you, 'one two three four five six seven.'"
    assert lines_of(render(Doc.text(game), PLAIN)) == [
        "Bessa Thorn says to you, 'one two three",
        "four five six seven.'",
    ]
    # A screen reader's lines are not wrapped by the server, so nothing is indented.
    assert "\n  " not in render(Doc.text(said), READER).replace("\r", "")
