"""Server-side line editing for a client whose terminal is in raw mode (an SSH PTY).

With a PTY the SSH client sends every key as it is pressed and shows only what the
server echoes, so the server edits the line: it echoes what is typed (nothing while a
password is typed), erases on Backspace, and hands complete lines to the door. The SSH
door decodes the channel's bytes once (UTF-8) and feeds the text here; what to echo
comes back as text for the door to encode once.

Keys: printable characters insert at the end of the line; Enter (CR, LF, CR LF or
CR NUL, each counted once) ends it; Backspace/DEL erases one character as drawn (a
letter with its accents, an emoji with its skin tone or joined faces), Ctrl-U the
line, Ctrl-W the last word; Ctrl-C drops the line; Ctrl-D on an empty line ends the
input (like EOF); Tab is a space. Up and Down recall the lines typed before (the last
``HISTORY``, never a password, a repeat kept once), as a shell does. Other escape
sequences (arrow and function keys, also split across reads) and every other control
character are ignored: nothing but printable text reaches a line.

Pure: no I/O, no clock, no asyncio. Invariants: ``line`` never holds a control
character; ``feed`` raises ``OverflowError`` once the unfinished line would exceed
``max_line`` characters (a client sending garbage, not a person typing), like
``LineSplitter``.
"""

from __future__ import annotations

import unicodedata
from collections import deque

from attrs import frozen

from mud.render.wrap import bound

_ESC = "\x1b"
_BS = "\b \b"

#: How many typed lines Up can recall.
HISTORY = 50


@frozen
class Edited:
    """What one ``feed`` produced: complete ``lines``, the text to ``echo`` to the
    client (already in terminal form), and whether the client ended its input."""

    lines: tuple[str, ...]
    echo: str
    ended: bool = False


def char_width(ch: str) -> int:
    """Columns ``ch`` takes on a terminal: 2 for wide East Asian characters, 0 for
    combining marks, else 1."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _last_cluster(line: list[str]) -> int:
    """How many characters at the end of ``line`` (not empty) the terminal draws as one:
    Backspace erases them together."""
    n = 1
    while n < len(line) and bound(line[-n - 1], line[-n]):
        n += 1
    return n


def _columns(chars: list[str]) -> int:
    """Columns ``chars`` take on a terminal, each cluster as wide as its first character
    (a wave and its skin tone are one wave)."""
    width = 0
    before = ""
    for ch in chars:
        if not (before and bound(before, ch)):
            width += char_width(ch)
        before = ch
    return width


class LineEditor:
    """One connection's input line; ``echo`` is False while a password is typed."""

    def __init__(self, max_line: int) -> None:
        self._max = max_line
        self._line: list[str] = []
        self._last_cr = False
        # Escape sequence state: "" (none), "esc" (after ESC), "csi" (after ESC [),
        # "ss3" (after ESC O: one more character ends it).
        self._esc = ""
        self.echo = True
        self._history: deque[str] = deque(maxlen=HISTORY)
        # How far back Up has gone (0: the line being typed), and that line meanwhile.
        self._back = 0
        self._draft = ""

    @property
    def line(self) -> str:
        """The unfinished line typed so far."""
        return "".join(self._line)

    def shown(self) -> str:
        """The unfinished line as the client's terminal shows it ("" while echo is off):
        the door redraws it after output that arrived while it was being typed."""
        return self.line if self.echo else ""

    def feed(self, text: str) -> Edited:
        """Process typed ``text``. Raises OverflowError for an over-long line."""
        lines: list[str] = []
        out: list[str] = []
        ended = False
        line = self._line
        for ch in text:
            if self._esc:
                final = self._escape(ch)
                if final in ("A", "B") and self.echo:
                    out.append(self._recall(1 if final == "A" else -1))
                continue
            code = ord(ch)
            if self._last_cr:
                self._last_cr = False
                if ch in "\n\x00":
                    continue  # the second half of CR LF / CR NUL
            if ch in "\r\n":
                self._last_cr = ch == "\r"
                typed = "".join(line)
                lines.append(typed)
                if (
                    self.echo
                    and typed.strip()
                    and (not self._history or self._history[-1] != typed)
                ):
                    self._history.append(typed)
                self._back, self._draft = 0, ""
                line.clear()
                out.append("\r\n")
            elif ch in "\x7f\b":
                if line:
                    # The character as drawn: "é" typed as e and an accent, a wave and
                    # its skin tone (played: one code point went, and the line held a
                    # letter its player could not see).
                    out.append(self._erase(_last_cluster(line)))
            elif ch == "\x15":  # Ctrl-U
                out.append(self._erase(len(line)))
            elif ch == "\x17":  # Ctrl-W
                # The last word and the spaces after it go; the space before it stays.
                kept = "".join(line).rstrip(" ")
                keep = len(kept) - len(kept.split(" ")[-1])
                out.append(self._erase(len(line) - keep))
            elif ch == "\x03":  # Ctrl-C: the line is dropped
                if line:
                    line.clear()
                    out.append("^C\r\n")
            elif ch == "\x04":  # Ctrl-D
                if not line:
                    ended = True
                    break
            elif ch == _ESC:
                self._esc = "esc"
            elif ch == "\t":
                self._insert(" ", out)
            elif code < 0x20 or 0x7F <= code < 0xA0:
                continue  # other control characters never reach a line
            else:
                self._insert(ch, out)
        return Edited(tuple(lines), "".join(out) if self.echo else _enters(out), ended)

    def _insert(self, ch: str, out: list[str]) -> None:
        if len(self._line) >= self._max:
            raise OverflowError(f"input line over {self._max} characters")
        self._line.append(ch)
        out.append(ch)

    def _erase(self, count: int) -> str:
        erased = self._line[len(self._line) - count :] if count else []
        del self._line[len(self._line) - len(erased) :]
        return _BS * _columns(erased)

    def _recall(self, step: int) -> str:
        """Replace the line with the one ``step`` further back in the history (1: Up,
        -1: Down; Down past the newest brings back what was being typed). Returns the
        echo that redraws it."""
        back = self._back + step
        if back < 0 or back > len(self._history):
            return ""
        if self._back == 0:
            self._draft = self.line
        self._back = back
        wanted = self._draft if back == 0 else self._history[-back]
        out = [self._erase(len(self._line))]
        for ch in wanted[: self._max]:
            self._line.append(ch)
            out.append(ch)
        return "".join(out)

    def _escape(self, ch: str) -> str:
        """Advance the escape-sequence state by ``ch``; returns the final character of a
        sequence that ``ch`` ends ("" otherwise)."""
        state = self._esc
        if state == "esc":
            self._esc = "csi" if ch == "[" else "ss3" if ch == "O" else ""
        elif state == "ss3" or not ("\x20" <= ch <= "\x3f"):
            # SS3 takes one character; a control sequence ends at its final byte (or at
            # anything that cannot be part of one).
            self._esc = ""
            return ch
        return ""


def _enters(out: list[str]) -> str:
    # Echo off (a password): only the line ends are shown, so the cursor still moves on.
    return "".join(piece for piece in out if piece == "\r\n")
