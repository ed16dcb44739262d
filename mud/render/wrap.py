"""Visible width and word wrapping of styled runs.

Width is counted in terminal columns: East Asian Wide and Fullwidth characters take 2,
combining marks (Mn, Me) and format characters take 0, everything else 1. Text here is
already clean (``mud.render.sanitize``): no controls other than ``\\n``.

Invariants of ``wrap_runs(runs, width)``:
- no returned line is wider than ``width`` (>= 1) columns. The one lossy case: at width
  1 a 2-column character cannot fit anywhere and is shown as ``?``;
- the words come out in order and unchanged except where a word wider than the line is
  hard-split; a zero-width mark stays with the character before it;
- ``\\n`` ends a line (blank lines are kept); spaces at a soft line break are dropped,
  other spaces are kept as written; trailing spaces are dropped;
- runs are split only between characters, so styling is never cut mid-escape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from mud.render.ansi import Run, merge
from mud.render.sanitize import codepoint_pattern, codepoint_ranges


def _build_patterns() -> tuple[str, str]:
    """Regexes for wide (2-column) and zero-width characters."""
    wide: list[int] = []
    zero: list[int] = []
    # Planes 2 and 3 are all ideographs (wide); scanning them would only slow imports.
    for cp in (*range(0x300, 0x20000), *range(0xE0000, 0xE1000)):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf"):
            zero.append(cp)
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            wide.append(cp)
    wide_ranges = [*codepoint_ranges(wide), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD)]
    return codepoint_pattern(wide_ranges), codepoint_pattern(codepoint_ranges(zero))


_WIDE_PATTERN, _ZERO_PATTERN = _build_patterns()
_WIDE = re.compile(_WIDE_PATTERN)
_ZERO = re.compile(_ZERO_PATTERN)
# Splits text into spaces, newlines and everything else (words).
_PIECES = re.compile(r"( +|\n)")


def bound(before: str, ch: str) -> bool:
    """Whether ``ch`` is drawn as part of the character ``before`` it (one grapheme as a
    terminal shows it): a mark (spacing or not), a zero-width joiner or variation
    selector, an emoji's skin tone, or anything after a zero-width joiner. Wrapping
    never breaks there (played: a wave and its skin tone wrapped onto two lines), and
    the SSH line editor's Backspace erases them together (``mud.net.lineedit``)."""
    return (
        bool(_ZERO.match(ch))
        or unicodedata.category(ch) == "Mc"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
        or before == "\u200d"
    )


def visible_width(text: str) -> int:
    """Terminal columns ``text`` occupies (no controls expected). Linear, no per-char calls."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text)) - len(_ZERO.findall(text))


def char_width(ch: str) -> int:
    """Columns of one character (0, 1 or 2)."""
    if ch.isascii():
        return 1
    if _ZERO.match(ch):
        return 0
    return 2 if _WIDE.match(ch) else 1


def fit(text: str, width: int, *, whole: bool = True) -> tuple[str, str]:
    """Split ``text`` into (head, rest) where head is the longest prefix at most
    ``width`` columns wide, zero-width characters staying with the head, and an emoji
    with its skin tone or joined faces (``bound``). With ``whole`` False, such a
    cluster wider than ``width`` is cut rather than left out (a line of its own)."""
    if text.isascii():
        return text[:width], text[width:]
    # Width is monotone in the prefix length: binary-search the longest prefix that
    # fits (it takes any zero-width characters after the last column with it). Most
    # texts hold a too-wide prefix within 2*width+2 characters, which keeps this cheap.
    hi = min(len(text), 2 * max(width, 0) + 2)
    if visible_width(text[:hi]) <= width:
        if hi == len(text) or visible_width(text) <= width:
            return text, ""
        hi = len(text)
    lo = 0  # visible_width(text[:lo]) <= width < visible_width(text[:hi])
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if visible_width(text[:mid]) <= width:
            lo = mid
        else:
            hi = mid
    longest = lo
    while 0 < lo < len(text) and bound(text[lo - 1], text[lo]):
        lo -= 1  # not between an emoji and its skin tone, nor after a joiner
    if lo == 0 and not whole:
        lo = longest  # one cluster wider than a whole line: it must be cut somewhere
    return text[:lo], text[lo:]


def truncate(text: str, width: int) -> str:
    """The longest prefix of ``text`` at most ``width`` columns wide."""
    return fit(text, width)[0]


def _narrow(text: str) -> str:
    """Replace 2-column characters by ``?`` (for width-1 lines)."""
    return _WIDE.sub("?", text)


# A word is a list of (styles, text) pieces that sit together without spaces.
_Piece = tuple[tuple[str, ...], str]


class _Lines:
    """Greedy line filler used by ``wrap_runs``; one instance per call."""

    def __init__(self, width: int, hang: int = 0) -> None:
        self.width = width
        # A soft-wrapped line after the first is indented ``hang`` columns (none when
        # that would leave it no room) and filled to ``avail``.
        # (Not when it would leave less than two columns: a wide character must fit.)
        self.hang = hang if 0 < hang <= width - 2 else 0
        self.avail = width
        self.indented = False
        self.lines: list[list[Run]] = []
        self.cur: list[_Piece] = []
        self.cur_w = 0
        self.space: list[_Piece] = []  # spaces waiting between words
        self.space_w = 0
        self.hard_start = True  # line began at the text start or after "\n"

    def end_line(self, hard: bool) -> None:
        pieces = self.cur
        if self.indented and pieces:
            pieces = [((), " " * self.hang), *pieces]
        self.lines.append(merge(Run(s, t) for s, t in pieces))
        self.cur = []
        self.cur_w = 0
        self.space = []
        self.space_w = 0
        self.hard_start = hard
        self.indented = not hard and self.hang > 0
        self.avail = self.width - self.hang if self.indented else self.width

    def add_space(self, styles: tuple[str, ...], text: str) -> None:
        if not self.cur and not self.hard_start:
            return  # spaces at a soft break are dropped
        self.space.append((styles, text))
        self.space_w += len(text)

    def add_word(self, word: list[_Piece], w: int) -> None:
        if not self.cur and self.space_w + w > self.avail:
            # Indentation that leaves no room for the word is dropped, not wrapped.
            self.space = []
            self.space_w = 0
        if self.cur_w + self.space_w + w <= self.avail:
            self.cur.extend(self.space)
            self.cur.extend(word)
            self.cur_w += self.space_w + w
            self.space = []
            self.space_w = 0
            return
        if self.cur:
            self.end_line(hard=False)
        if w <= self.avail:
            self.cur.extend(word)
            self.cur_w = w
            return
        self._hard_split(word)

    def _hard_split(self, word: list[_Piece]) -> None:
        """Place a word wider than the line, breaking it across lines."""
        for styles, text in word:
            rest = text
            while rest:
                head, rest = fit(rest, self.avail - self.cur_w)
                if not head:
                    if self.cur:
                        self.end_line(hard=False)
                        continue
                    head, rest = fit(rest, self.avail, whole=False)
                    if not head:
                        # A 2-column character on a 1-column line: it cannot fit.
                        head, rest = _narrow(rest[0]), rest[1:]
                self.cur.append((styles, head))
                self.cur_w += visible_width(head)

    def finish(self) -> list[list[Run]]:
        if self.cur:
            self.end_line(hard=False)
        return self.lines


# Chinese and Japanese are written without spaces: a line may break between any two of
# their characters, but not before a closing mark or small kana, nor after an opening
# one (their rule of line starts and ends, kinsoku). Quotation marks and brackets of
# ASCII count the same beside them.
_NO_LINE_START = frozenset(
    "、。，．・：；？！」』）】〕］｝〉》〟ゝゞヽヾ々ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "…‥”’'\"),.!?:;"
)
_NO_LINE_END = frozenset("「『（【〔［｛〈《〝“‘'\"(")


def _breaks(text: str) -> list[str]:
    """``text`` (a piece of one word) cut where a line may break inside it: only
    beside a wide (CJK) character, by the rules above. One part when none."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(text)):
        before, ch = text[i - 1], text[i]
        if ch in _NO_LINE_START or before in _NO_LINE_END or bound(before, ch):
            continue
        if _WIDE.match(ch) or _WIDE.match(before):
            parts.append(text[start:i])
            start = i
    parts.append(text[start:])
    return parts


def wrap_runs(runs: Sequence[Run], width: int, *, hang: int = 0) -> list[list[Run]]:
    """Word-wrap styled runs to at most ``width`` columns per line (``width`` < 1 is 1).

    Returns one list of runs per line; a blank line is an empty list. Empty input gives
    no lines. Linear in the text length. ``hang``: each line that wraps on from the one
    before (not one after a newline) begins with that many spaces, counted in its width;
    ignored when it would leave less than two columns (a wide character must fit).
    """
    width = max(1, width)
    filler = _Lines(width, hang)
    word: list[_Piece] = []
    word_w = 0
    for run in runs:
        styles = run.styles
        for piece in _PIECES.split(run.text):
            if not piece:
                continue
            if piece[0] == " " or piece == "\n":
                if word:
                    filler.add_word(word, word_w)
                    word = []
                    word_w = 0
                if piece == "\n":
                    filler.end_line(hard=True)
                else:
                    filler.add_space(styles, piece)
            elif piece.isascii() or _WIDE.search(piece) is None:
                word.append((styles, piece))
                word_w += visible_width(piece)
            else:
                # A say in Japanese put "Xue says," alone on its line: the whole run
                # was one word.
                *parts, last = _breaks(piece)
                for part in parts:
                    word.append((styles, part))
                    filler.add_word(word, word_w + visible_width(part))
                    word = []
                    word_w = 0
                word.append((styles, last))
                word_w += visible_width(last)
    if word:
        filler.add_word(word, word_w)
    return filler.finish()
