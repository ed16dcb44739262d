"""The SSH door's line editor (pure): keys in, lines and echo out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.net.lineedit import LineEditor, char_width


def feed_all(editor: LineEditor, *chunks: str) -> tuple[list[str], str]:
    lines: list[str] = []
    echo = ""
    for chunk in chunks:
        edited = editor.feed(chunk)
        lines += edited.lines
        echo += edited.echo
    return lines, echo


def test_typing_echoes_and_enter_ends_the_line() -> None:
    editor = LineEditor(100)
    lines, echo = feed_all(editor, "lo", "ok\r")
    assert lines == ["look"]
    assert echo == "look\r\n"
    assert editor.line == ""


@pytest.mark.parametrize("end", ["\r", "\n", "\r\n", "\r\x00"])
def test_each_line_end_counts_once_even_split_across_reads(end: str) -> None:
    editor = LineEditor(100)
    lines, _ = feed_all(editor, "a" + end[:1], end[1:] + "b" + end)
    assert lines == ["a", "b"]


def test_backspace_ctrl_u_ctrl_w_and_ctrl_c_edit() -> None:
    editor = LineEditor(100)
    lines, echo = feed_all(editor, "sax\x7fy\x08y hi\r")
    assert lines == ["say hi"]
    assert echo == "sax\b \by\b \by hi\r\n"
    lines, _ = feed_all(editor, "junk\x15say one two\x17three\r")
    assert lines == ["say one three"]
    lines, echo = feed_all(editor, "oops\x03", "ok\r")
    assert lines == ["ok"]
    assert "^C" in echo


def test_a_wide_character_is_erased_with_two_columns() -> None:
    editor = LineEditor(100)
    _, echo = feed_all(editor, "本\x7f")
    assert echo == "本\b \b\b \b"
    assert char_width("本") == 2 and char_width("a") == 1 and char_width("\u0301") == 0


def test_escape_sequences_are_ignored_even_split_across_reads() -> None:
    editor = LineEditor(100)
    lines, echo = feed_all(editor, "a\x1b", "[1;5", "Db\x1bOAc\x1b[200~d\r")
    assert lines == ["abcd"]
    assert echo == "abcd\r\n"


def test_echo_off_shows_only_line_ends() -> None:
    editor = LineEditor(100)
    editor.echo = False
    lines, echo = feed_all(editor, "hunter2\x7f3\r")
    assert lines == ["hunter3"]
    assert echo == "\r\n"
    assert editor.shown() == ""


def test_ctrl_d_on_an_empty_line_ends_input_and_is_ignored_otherwise() -> None:
    editor = LineEditor(100)
    assert not editor.feed("ab\x04").ended
    assert editor.line == "ab"
    assert editor.feed("\r\x04").ended


def test_a_line_over_the_limit_raises() -> None:
    editor = LineEditor(8)
    editor.feed("12345678")
    with pytest.raises(OverflowError):
        editor.feed("9")


@given(st.text(max_size=200), st.integers(1, 7))
def test_lines_never_hold_control_characters_and_chunking_does_not_matter(
    text: str, cut: int
) -> None:
    whole = LineEditor(10_000)
    split = LineEditor(10_000)
    a = whole.feed(text)
    pieces = [text[i : i + cut] for i in range(0, len(text), cut)]
    lines: list[str] = []
    for piece in pieces:
        lines += split.feed(piece).lines
    if not a.ended:
        assert lines[: len(a.lines)] == list(a.lines)
    for line in (*a.lines, whole.line):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in line)


def test_up_and_down_recall_earlier_lines_but_never_a_password() -> None:
    editor = LineEditor(100)
    feed_all(editor, "look\r", "say hi\r", "say hi\r")
    editor.echo = False
    feed_all(editor, "secret-pass\r")
    editor.echo = True
    # Up (CSI and SS3 forms, split across reads) walks back; a repeat is kept once.
    lines, echo = feed_all(editor, "no", "\x1b[", "A")
    assert lines == [] and editor.line == "say hi"
    assert echo == "no" + "\b \b" * 2 + "say hi"
    feed_all(editor, "\x1bOA")
    assert editor.line == "look"
    feed_all(editor, "\x1b[A")  # nothing older: the line stays
    assert editor.line == "look"
    feed_all(editor, "\x1b[B", "\x1b[B")  # Down past the newest: what was being typed
    assert editor.line == "no"
    lines, _ = feed_all(editor, "\x1b[A\r")
    assert lines == ["say hi"]


def test_up_does_nothing_while_a_password_is_typed() -> None:
    editor = LineEditor(100)
    feed_all(editor, "look\r")
    editor.echo = False
    lines, echo = feed_all(editor, "pw\x1b[Ax\r")
    assert lines == ["pwx"] and echo == "\r\n"


def test_backspace_erases_a_character_as_the_terminal_draws_it() -> None:
    # Noticed by a player of another language: Backspace took one code point, so "é"
    # typed as "e" and an accent left an "e" its player could not see, and a wave lost
    # its skin tone and two columns.
    editor = LineEditor(100)
    for typed, left, erased in (
        ("sayé\x7f", "say", 1),
        ("say \U0001f44b\U0001f3fd\x7f", "say ", 2),
        ("say \U0001f468\u200d\U0001f469\x7f", "say ", 2),
        ("say \u2764\ufe0f\x7f", "say ", 1),
        ("say 本\x7f", "say ", 2),
    ):
        _, echo = feed_all(editor, typed.replace("é", "e\u0301"))
        assert editor.line == left, typed
        assert echo.endswith("\b \b" * erased) and not echo.endswith("\b \b" * (erased + 1))
        feed_all(editor, "\x15")
    _, echo = feed_all(editor, "a\U0001f44b\U0001f3fde\u0301\x15")
    assert editor.line == "" and echo.endswith("\b \b" * 4)  # Ctrl-U: 1 + 2 + 1 columns
