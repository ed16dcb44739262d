"""Streamed narration at one client's width: word by word, or in complete lines.

``WordWrapper`` (the default) writes each word as soon as it is complete, wrapping at
the client's width; ``LineAssembler`` releases only whole lines (screen-reader mode,
where a line read out while it grows would be read twice).

A session owns one ``LineAssembler`` per open narration stream. Chunks of plain text
(already sanitised, no markup) go in through ``feed``; only lines that can no longer
change come out, because MUD clients show nothing until a line ends.

Invariants:
- the lines returned for a text do not depend on how it was cut into chunks (at a fixed
  width): a line is released only when its end is certain, that is at ``\\n`` or once
  the pending text is wider than the width, when the break point (the last space that
  fits, else a hard split) is decided by text already seen;
- no returned line is wider than the width (at width 1 a 2-column character is shown
  as ``?``, as in ``mud.render.wrap``, with what is drawn with it: one that is all the
  pending line holds waits for the next chunk, which may join a face or a skin tone
  to it);
- spaces at a soft break are dropped, trailing spaces are dropped, a ``\\n`` right after
  a soft break does not add a blank line; ``\\r`` is ignored.
"""

from __future__ import annotations

import functools
import re

from mud.render.profile import UNWRAPPED, clamp_width
from mud.render.wrap import bound, fit, visible_width

_SLICE = 256


def _stream_width(width: int) -> int:
    """``width`` clamped to 1..500, but ``UNWRAPPED`` (a screen reader's) as it is."""
    return UNWRAPPED if width >= UNWRAPPED else clamp_width(width)


class LineAssembler:
    """Turns a stream of text chunks into complete lines at most ``width`` columns wide.

    Not thread-safe; one instance per (session, stream). ``feed`` and ``flush`` return
    lines without line ends; they never raise.
    """

    def __init__(self, width: int) -> None:
        self._width = _stream_width(width)
        self._line = ""  # the current line, not yet certain
        self._soft = False  # the current line starts at a soft break

    @property
    def width(self) -> int:
        """The width lines are wrapped at."""
        return self._width

    @property
    def pending(self) -> str:
        """Text held back because its line is not complete yet."""
        return self._line

    def set_width(self, width: int) -> None:
        """Change the width (clamped to 1..500, or ``UNWRAPPED``: screen-reader mode). It
        applies to the pending line from the next ``feed`` or ``flush`` on; lines already
        returned are not re-wrapped."""
        self._width = _stream_width(width)

    def feed(self, text: str) -> list[str]:
        """Add ``text``; return the lines that are now complete."""
        out: list[str] = []
        if "\r" in text:
            text = text.replace("\r", "")
        parts = text.split("\n")
        self._append(parts[0], out)
        for part in parts[1:]:
            self._append_slice("", out, final=True)  # a line's end decides what waited
            if self._line or not self._soft:
                out.append(self._line.rstrip(" "))
            self._line = ""
            self._soft = False
            self._append(part, out)
        return out

    def flush(self) -> list[str]:
        """End of stream: return the remaining lines (wrapped) and reset."""
        out: list[str] = []
        self._append_slice("", out, final=True)
        last = self._line.rstrip(" ")
        if last:
            out.append(last)
        self._line = ""
        self._soft = False
        return out

    def _append(self, part: str, out: list[str]) -> None:
        # Slicing keeps each width check short for huge chunks (linear overall); the
        # result is the same because lines do not depend on chunking.
        if len(part) > _SLICE:
            for i in range(0, len(part), _SLICE):
                self._append_slice(part[i : i + _SLICE], out)
        else:
            self._append_slice(part, out)

    def _append_slice(self, part: str, out: list[str], *, final: bool = False) -> None:
        if self._soft and not self._line:
            part = part.lstrip(" ")
        line = self._line + part
        width = self._width
        while visible_width(line) > width:
            if line[0] == " " and not fit(line, width)[0].strip(" "):
                # Indentation as wide as the screen: drop it (and any more to come).
                line = line.lstrip(" ")
                self._soft = True
                continue
            head, rest = self._break(line, width)
            if not rest and not final:
                # A wide character at width 1, all the line holds: what comes next may
                # still be drawn with it (a joined face, a skin tone), so it waits.
                break
            out.append(head)
            line = rest.lstrip(" ")
            self._soft = True
        self._line = line

    @staticmethod
    def _break(line: str, width: int) -> tuple[str, str]:
        """Split an over-wide line into (emitted head, rest). ``line`` is wider than
        ``width``, so the character after the part that fits is known."""
        head, rest = fit(line, width, whole=False)
        if not head:
            # Only at width 1: a 2-column character; show a placeholder, and drop what is
            # drawn with it (marks, a skin tone, a face joined on).
            end = 1
            while end < len(line) and bound(line[end - 1], line[end]):
                end += 1
            return "?", line[end:]
        if rest[0] == " " and head.rstrip(" "):
            return head.rstrip(" "), rest
        space = head.rfind(" ")
        if space > 0 and head[:space].rstrip(" "):
            return head[:space].rstrip(" "), line[space + 1 :]
        return head, rest


_WS_SPLIT = re.compile(r"(\s+)")


class WordWrapper:
    """Streams narration word by word onto the current line, wrapping at ``width``.

    Owned by a session, one per open stream. The session owns the cursor column
    (``col``: 0 at the start of a line) because other output may break the line; it
    passes it in and gets the new one back. ``feed`` returns pieces to write in order:
    plain text (never containing a line end) or ``"\\n"`` for a line break. A word is
    written as soon as the whitespace after it arrives (it cannot change any more), so
    players see words as they come; the last word waits for the next chunk or ``flush``.

    Invariants: no written line is wider than ``width`` (words wider than the line are
    split; at width 1 a 2-column character is shown as ``?``); spaces at a wrap are
    dropped; the pieces for a text do not depend on how it was chunked (for a fixed
    width and starting column).
    """

    def __init__(self, width: int) -> None:
        self._width = clamp_width(width)
        self._word = ""  # the unfinished last word
        self._space = False  # whitespace came before the unfinished word

    @property
    def width(self) -> int:
        return self._width

    @property
    def pending(self) -> bool:
        """True while an unfinished word is held back."""
        return bool(self._word)

    def set_width(self, width: int) -> None:
        """Wrap at ``width`` (clamped to 1..500) from the next word on."""
        self._width = clamp_width(width)

    def feed(self, text: str, col: int) -> tuple[list[str], int]:
        """Add ``text`` with the cursor at ``col``; return (pieces, new column)."""
        pieces, col = self.advance(text, col)
        return list(pieces), col

    def advance(self, text: str, col: int) -> tuple[tuple[str, ...], int]:
        """``feed``, with the pieces as a tuple. Memoised on the wrapper's state, the
        text and the column: every viewer of a narration holds a wrapper in the same
        state at the same column (same width), and each chunk reaches all of them, so
        the step is worked out once per chunk, not once per viewer (issue 16)."""
        pieces, col, self._word, self._space = _step(
            self._width, self._word, self._space, text, col
        )
        return pieces, col

    def _feed(self, text: str, col: int) -> tuple[list[str], int]:
        out: list[str] = []
        if "\r" in text:
            text = text.replace("\r", "")
        for part in _WS_SPLIT.split(text):
            if not part:
                continue
            if part[0].isspace():
                col = self._put_word(out, col)
                newlines = part.count("\n")
                if newlines:
                    if col > 0:
                        out.append("\n")
                        col = 0
                    self._space = False
                else:
                    self._space = True
            else:
                self._word += part
        return _joined(out), col

    def flush(self, col: int) -> tuple[list[str], int]:
        """End of the stream: write the last word and end the line (column 0)."""
        out: list[str] = []
        col = self._put_word(out, col)
        if col > 0:
            out.append("\n")
        self._space = False
        return _joined(out), 0

    def _put_word(self, out: list[str], col: int) -> int:
        word = self._word
        if not word:
            return col
        self._word = ""
        space = self._space and col > 0
        self._space = False
        width = self._width
        w = visible_width(word)
        if col > 0 and col + (1 if space else 0) + w > width:
            out.append("\n")
            col = 0
            space = False
        if space:
            out.append(" ")
            col += 1
        while w > width - col:
            head, rest = fit(word, width - col, whole=col > 0)
            if not head:
                if col > 0:
                    out.append("\n")
                    col = 0
                    continue
                # Width 1 and a 2-column character: a placeholder, its marks dropped.
                _marks, rest = fit(rest[1:] if rest else "", 0)
                head = "?"
            out.append(head)
            out.append("\n")
            col = 0
            word = rest
            w = visible_width(word)
        if word:
            out.append(word)
            col += w
        return col


@functools.lru_cache(maxsize=1024)
def _step(
    width: int, word: str, space: bool, text: str, col: int
) -> tuple[tuple[str, ...], int, str, bool]:
    """One ``WordWrapper.feed`` from the given state: (pieces, column, word, space)."""
    wrapper = WordWrapper(width)
    wrapper._word, wrapper._space = word, space
    pieces, col = wrapper._feed(text, col)
    return tuple(pieces), col, wrapper._word, wrapper._space


def _joined(pieces: list[str]) -> list[str]:
    """Adjacent text pieces merged (fewer, larger writes)."""
    out: list[str] = []
    for p in pieces:
        if out and p != "\n" and out[-1] != "\n":
            out[-1] += p
        else:
            out.append(p)
    return out
