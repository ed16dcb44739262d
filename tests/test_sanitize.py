"""Tests for mud.render.sanitize: clean() and StreamCleaner."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.render.sanitize import MAX_MARKS, StreamCleaner, clean, tame_marks

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
# Letters and marks that show as nothing (played by a griefer: "say \u3164" was an
# empty line on every screen): the grapheme joiner, the Hangul fillers, the Khmer
# inherent vowels, the blank Braille pattern.
BLANKS = "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"


JOINERS = "\u200c\u200d"


def joins(before: str, after: str) -> bool:
    """Whether a joiner between ``before`` and ``after`` (one character each, "" at an
    end of the text) joins two characters of a script that uses it."""
    if not before or not after:
        return False
    if before.isascii() or before.isspace() or before in JOINERS:
        return False
    if after.isascii() or after.isspace() or after in JOINERS:
        return False
    return not unicodedata.category(after).startswith("M")


def forbidden_in(out: str, keep_newlines: bool) -> list[str]:
    """What clean() must never let through, found in ``out``."""
    bad = []
    for i, ch in enumerate(out):
        if ch == "\n":
            if not keep_newlines:
                bad.append(ch)
        elif ch in JOINERS:
            if not joins(out[i - 1 : i], out[i + 1 : i + 2]):
                bad.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs") or ch in "\u2028\u2029":
            bad.append(ch)
    return bad


# Text rich in the things a hostile client or a confused model might send.
NASTY = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "P",
        "_",
        "^",
        "X",
        "\\",
        "\x07",
        "\x9b",
        "\x9c",
        "\x9d",
        "\x90",
        "\x18",
        "31",
        ";",
        "m",
        "?25l",
        "0;title",
        "(",
        "B",
        "\r",
        "\n",
        "\t",
        " ",
        "a",
        "e",
        "<",
        "\u0301",
        "\u0323",
        "\u0338",
        "\u1100",
        "\u1161",
        "\u11a8",
        "\uac00",
        "\u0b47",
        "\u0b3e",
        "\ud800",
        "\u2028",
        "\x7f",
        "\x85",
        "漢",
        "\u0645",  # Arabic letters, a Devanagari consonant, its virama, emoji
        "\u06cc",
        "\u0915",
        "\u094d",
        "\U0001f468",
        "\ufe0f",
        *BIDI,
        *INVISIBLE,
        *BLANKS,
    ]
)
NASTY_TEXT = st.lists(st.one_of(NASTY, st.characters()), max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=80), NASTY_TEXT)


# --- clean(): escape sequences ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[1;38;2;255;0;0mrgb\x1b[m", "rgb"),
        ("a\x1b[?25lb", "ab"),  # private parameters
        ("a\x1b[2 qb", "ab"),  # intermediate byte
        ("\x9b31mred", "red"),  # 8-bit CSI
        ("x\x1b]0;evil title\x07y", "xy"),  # OSC ended by BEL
        ("x\x1b]8;;http://e.vil\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),  # OSC ended by ST
        ("x\x9d0;t\x9cy", "xy"),  # 8-bit OSC and ST
        ("x\x1bPq#0;2;0;0;0\x1b\\y", "xy"),  # DCS (sixel)
        ("x\x1b_apc\x1b\\y", "xy"),  # APC
        ("x\x1b^pm\x07y", "xy"),  # PM
        ("x\x1bXsos\x1b\\y", "xy"),  # SOS
        ("x\x1bcy", "xy"),  # RIS, two bytes
        ("x\x1b(By", "xy"),  # charset designation
        ("x\x1b#8y", "xy"),  # DECALN
        ("trailing\x1b[", "trailing"),  # unfinished at the end
        ("trailing\x1b]0;never ends", "trailing"),
        ("x\x1b", "x"),
    ],
)
def test_escape_sequences_removed_whole(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_unterminated_string_is_dropped_only_up_to_its_bound() -> None:
    assert clean("\x1b]" + "a" * 300) == "a" * 44


def test_osc_aborted_by_new_escape() -> None:
    assert clean("\x1b]0;t\x1b[31mred") == "red"


# --- clean(): characters ------------------------------------------------------------


def test_c0_c1_del_removed_and_tab_is_space() -> None:
    raw = "".join(chr(c) for c in range(0x20) if c != 0x1B) + "a\x7fb" + "\x80\x85\x99c"
    assert clean(raw) == " abc"


def test_newlines() -> None:
    assert clean("one\r\ntwo\nthree\r") == "onetwothree"
    assert clean("one\r\ntwo\nthree\r", keep_newlines=True) == "one\ntwo\nthree"


@pytest.mark.parametrize("ch", list(BIDI + INVISIBLE + BLANKS))
def test_bidi_and_invisible_removed(ch: str) -> None:
    assert clean(f"ab{ch}cd") == "abcd"


def test_joiners_are_kept_where_a_script_writes_them() -> None:
    # Played by a player of another language (round 36): a family of faces arrived as
    # three faces, and Persian's non-joiner was dropped, joining "می" to "خواهم".
    for text in (
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # a family
        "\u2764\ufe0f\u200d\U0001f525",  # a heart on fire, after its variation selector
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # "می‌خواهم"
        "\u0915\u094d\u200d\u0937",  # क्‍ष, after a virama
    ):
        assert clean(text) == text
        assert run_stream(list(text)) == text


def test_joiners_that_join_nothing_are_removed() -> None:
    assert clean("ki\u200dll") == "kill"  # ASCII: only hides a word from matching
    assert clean("\u200d\u0645 \u200c\u0645\u200d") == "\u0645 \u0645"  # ends, spaces
    assert clean("\u0645\u200d\u200c\u0645") == "\u0645\u0645"  # a run of them
    assert clean("\u0645\u200d\u0301") == "\u0645\u0301"  # before a mark
    assert clean("\u0645\u200d\x07\u0645") == "\u0645\u200d\u0645"  # a control between


def test_line_separators_become_spaces() -> None:
    assert clean("a\u2028b\u2029c") == "a b c"


def test_lone_surrogates_removed() -> None:
    assert clean("a\ud800b\udfffc") == "abc"


def test_nfc() -> None:
    assert clean("cafe\u0301") == "café"
    assert clean("\u1100\u1161\u11a8") == "\uac01"
    # A zero-width joiner removed between a letter and its accent lets them join.
    assert clean("e\u200d\u0301") == "é"


def test_max_len() -> None:
    assert clean("abcdef", max_len=3) == "abc"
    assert clean("a\x1b[31mbcdef", max_len=3) == "abc"
    assert clean("abc", max_len=0) == ""


def test_plain_text_untouched() -> None:
    text = "Hello, world! {exit}north{/} 100% [ok]"
    assert clean(text) == text
    assert clean("Grüße, 漢字, ✓") == "Grüße, 漢字, ✓"
    assert clean("a\u00a0b") == "a\u00a0b"  # a no-break space is not a control


@given(ANY_TEXT, st.booleans())
def test_clean_removes_every_control(text: str, keep_newlines: bool) -> None:
    out = clean(text, keep_newlines=keep_newlines)
    assert not forbidden_in(out, keep_newlines)
    assert unicodedata.is_normalized("NFC", out)


@given(ANY_TEXT, st.booleans(), st.none() | st.integers(0, 100))
def test_clean_idempotent(text: str, keep_newlines: bool, max_len: int | None) -> None:
    once = clean(text, keep_newlines=keep_newlines, max_len=max_len)
    assert clean(once, keep_newlines=keep_newlines, max_len=max_len) == once
    if max_len is not None:
        assert len(once) <= max_len


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_clean_keeps_printable_ascii(text: str) -> None:
    assert clean(text) == text


# --- StreamCleaner ------------------------------------------------------------------


def run_stream(chunks: list[str]) -> str:
    cleaner = StreamCleaner()
    return "".join(cleaner.feed(c) for c in chunks) + cleaner.flush()


def test_stream_escape_split_across_chunks() -> None:
    assert run_stream(["The \x1b", "[3", "1mgoblin\x1b]0;pwn", "ed\x07 snarls."]) == (
        "The goblin snarls."
    )


def test_stream_emits_promptly() -> None:
    cleaner = StreamCleaner()
    assert cleaner.feed("Hello, world. ") == "Hello, world. "
    # The last letter might still take an accent from the next chunk.
    assert cleaner.feed("Caf") == "Ca"
    assert cleaner.feed("e\u0301 noir") == "fé noi"
    assert cleaner.flush() == "r"


def test_stream_holds_back_a_bounded_amount() -> None:
    cleaner = StreamCleaner()
    out = cleaner.feed("\x1b]0;" + "x" * 1000)
    # The sequence is cut at its bound; what follows is released as ordinary text.
    assert out.startswith("x") and len(out) >= 1000 - 256 - 2
    assert "\x1b" not in out
    marks = StreamCleaner()
    emitted = marks.feed("a" + "\u0301" * 1000)
    assert len(emitted) >= 1000 - StreamCleaner.MAX_PENDING


def test_stream_flush_resets() -> None:
    cleaner = StreamCleaner()
    cleaner.feed("abc\x1b[3")
    assert cleaner.flush() == "c"
    assert cleaner.feed("1mZ.") == "1mZ."


@settings(max_examples=300)
@given(ANY_TEXT, st.lists(st.integers(0, 80), max_size=8))
def test_stream_equals_clean_for_any_split(text: str, cuts: list[int]) -> None:
    points = sorted({min(c, len(text)) for c in cuts})
    chunks = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    assert run_stream(chunks) == clean(text, keep_newlines=True)


@given(ANY_TEXT)
def test_stream_one_char_at_a_time(text: str) -> None:
    assert run_stream(list(text)) == clean(text, keep_newlines=True)


_MARKS = st.characters(min_codepoint=0x300, max_codepoint=0x36F)


def test_tame_marks_cuts_a_pile_and_keeps_real_writing() -> None:
    # Played by a griefer: one letter with 1,500 combining marks reached every screen.
    piled = "Z" + "\u0336\u0489\u0301" * 500 + "algo"
    tamed = tame_marks(piled)
    assert tamed == "Z\u0336\u0489\u0301\u0336algo"
    # Vietnamese stacks two marks on a vowel; Hindi's vowel signs are marks of their own.
    for written in (
        "Vi\u1ec7t Nam",
        "Tie\u0302\u0301ng Vie\u0323\u0302t",
        "\u0928\u092e\u0938\u094d\u0924\u0947",
    ):
        assert tame_marks(written) == written
    assert tame_marks("plain words") == "plain words"


@given(st.text(alphabet=st.one_of(st.characters(), _MARKS)))
def test_tame_marks_leaves_no_pile_and_is_idempotent(text: str) -> None:
    tamed = tame_marks(text)
    run = 0
    for ch in tamed:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        assert run <= MAX_MARKS
    assert tame_marks(tamed) == tamed
    assert len(tamed) <= len(text)
