"""Server-side line editing for a client whose terminal is in raw mode (an SSH PTY).

With a PTY the SSH client sends every key as it is pressed and shows only what the
server echoes, so the server edits the line: it echoes what is typed (nothing while a
password is typed), erases on Backspace, and hands complete lines to the door. The SSH
door decodes the channel's bytes once (UTF-8) and feeds the text here; what to echo
comes back as text for the door to encode once.

Keys: printable characters insert at the end of the line; Enter (CR, LF, CR LF or
CR NUL, each counted once) ends it; Backspace/DEL erases one character, Ctrl-U the
line, Ctrl-W the last word; Ctrl-C drops the line; Ctrl-D on an empty line ends the
input (like EOF); Tab is a space. Escape sequences (arrow and function keys, also
split across reads) and every other control character are ignored: nothing but
printable text reaches a line.

Pure: no I/O, no clock, no asyncio. Invariants: ``line`` never holds a control
character; ``feed`` raises ``OverflowError`` once the unfinished line would exceed
``max_line`` characters (a client sending garbage, not a person typing), like
``LineSplitter``.
"""

from __future__ import annotations

import unicodedata

from attrs import frozen

_ESC = "\x1b"
_BS = "\b \b"


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
                self._escape(ch)
                continue
            code = ord(ch)
            if self._last_cr:
                self._last_cr = False
                if ch in "\n\x00":
                    continue  # the second half of CR LF / CR NUL
            if ch in "\r\n":
                self._last_cr = ch == "\r"
                lines.append("".join(line))
                line.clear()
                out.append("\r\n")
            elif ch in "\x7f\b":
                if line:
                    out.append(self._erase(1))
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
        return "".join(_BS * char_width(ch) for ch in erased)

    def _escape(self, ch: str) -> None:
        state = self._esc
        if state == "esc":
            self._esc = "csi" if ch == "[" else "ss3" if ch == "O" else ""
        elif state == "ss3" or not ("\x20" <= ch <= "\x3f"):
            # SS3 takes one character; a control sequence ends at its final byte (or at
            # anything that cannot be part of one).
            self._esc = ""


def _enters(out: list[str]) -> str:
    # Echo off (a password): only the line ends are shown, so the cursor still moves on.
    return "".join(piece for piece in out if piece == "\r\n")
