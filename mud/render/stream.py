"""Assembling streamed narration into complete lines at one client's width.

A session owns one ``LineAssembler`` per open narration stream. Chunks of plain text
(already sanitised, no markup) go in through ``feed``; only lines that can no longer
change come out, because MUD clients show nothing until a line ends.

Invariants:
- the lines returned for a text do not depend on how it was cut into chunks (at a fixed
  width): a line is released only when its end is certain, that is at ``\\n`` or once
  the pending text is wider than the width, when the break point (the last space that
  fits, else a hard split) is decided by text already seen;
- no returned line is wider than the width (at width 1 a 2-column character is shown
  as ``?``, as in ``mud.render.wrap``);
- spaces at a soft break are dropped, trailing spaces are dropped, a ``\\n`` right after
  a soft break does not add a blank line; ``\\r`` is ignored.
"""

from __future__ import annotations

from mud.render.profile import clamp_width
from mud.render.wrap import fit, visible_width

_SLICE = 256


class LineAssembler:
    """Turns a stream of text chunks into complete lines at most ``width`` columns wide.

    Not thread-safe; one instance per (session, stream). ``feed`` and ``flush`` return
    lines without line ends; they never raise.
    """

    def __init__(self, width: int) -> None:
        self._width = clamp_width(width)
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
        """Change the width (clamped to 1..500). It applies to the pending line from the
        next ``feed`` or ``flush`` on; lines already returned are not re-wrapped."""
        self._width = clamp_width(width)

    def feed(self, text: str) -> list[str]:
        """Add ``text``; return the lines that are now complete."""
        out: list[str] = []
        if "\r" in text:
            text = text.replace("\r", "")
        parts = text.split("\n")
        self._append(parts[0], out)
        for part in parts[1:]:
            if self._line or not self._soft:
                out.append(self._line.rstrip(" "))
            self._line = ""
            self._soft = False
            self._append(part, out)
        return out

    def flush(self) -> list[str]:
        """End of stream: return the remaining lines (wrapped) and reset."""
        out: list[str] = []
        self._append("", out)
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

    def _append_slice(self, part: str, out: list[str]) -> None:
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
            head, line = self._break(line, width)
            out.append(head)
            line = line.lstrip(" ")
            self._soft = True
        self._line = line

    @staticmethod
    def _break(line: str, width: int) -> tuple[str, str]:
        """Split an over-wide line into (emitted head, rest). ``line`` is wider than
        ``width``, so the character after the part that fits is known."""
        head, rest = fit(line, width)
        if not head:
            # Only at width 1: a 2-column character; show a placeholder, drop its marks.
            after = line[1:]
            _marks, after = fit(after, 0)
            return "?", after
        if rest[0] == " " and head.rstrip(" "):
            return head.rstrip(" "), rest
        space = head.rfind(" ")
        if space > 0 and head[:space].rstrip(" "):
            return head[:space].rstrip(" "), line[space + 1 :]
        return head, rest
