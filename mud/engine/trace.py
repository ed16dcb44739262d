"""Digests of what one hub event produced, for recording and replay. Pure.

While the hub handles a recorded event it adds to a ``Trace`` every output (who
received which document or narration text), every DM request and every state change
(write op). The digest of that sequence is stored with the event; a replay computes it
again and compares. Wall-clock fields (``ts``, ``created``, ``updated``, ``added``,
``expires``, ``lifted``) are left out of op digests because a replay runs at another
time; everything else counts.
"""

from __future__ import annotations

import hashlib
from typing import Any

from attrs import asdict, has

_TIME_FIELDS = frozenset({"ts", "created", "updated", "added", "expires", "lifted"})


def op_repr(op: Any) -> str:
    """A stable text form of a write op (or any attrs value) without wall-clock fields."""
    if has(type(op)):
        fields = {k: v for k, v in asdict(op).items() if k not in _TIME_FIELDS}
        return f"{type(op).__name__}{sorted(fields.items())!r}"
    return repr(op)


class Trace:
    """An ordered list of (kind, who, detail) entries with a digest and a short sample."""

    def __init__(self) -> None:
        self._entries: list[str] = []
        # id -> (the document, its repr). The document is held so that its id is not
        # given to another while the trace lives: a document sent and freed, then a new
        # one at the same address, took the first one's text (found: 200 documents made
        # and dropped one by one traced as 3), and an event's digest depended on when
        # the allocator reused memory, which a replay does not repeat.
        self._doc_cache: dict[int, tuple[object, str]] = {}

    def _text(self, doc: object) -> str:
        key = id(doc)
        cached = self._doc_cache.get(key)
        if cached is not None:
            return cached[1]
        # The same document usually goes to many players: repr it once.
        text = repr(doc)
        self._doc_cache[key] = (doc, text)
        return text

    def doc(self, who: str, doc: object) -> None:
        self._entries.append(f"send {who} {self._text(doc)}")

    def docs(self, whos: list[str], doc: object) -> None:
        """``doc(who, doc)`` for each of ``whos``, in order (a broadcast)."""
        text = self._text(doc)
        self._entries.extend([f"send {who} {text}" for who in whos])

    def add(self, kind: str, who: str, detail: str) -> None:
        self._entries.append(f"{kind} {who} {detail}")

    def op(self, op: object) -> None:
        self._entries.append("op " + op_repr(op))

    def __len__(self) -> int:
        return len(self._entries)

    def digest(self) -> str:
        h = hashlib.sha256()
        for entry in self._entries:
            h.update(entry.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()[:24]

    def sample(self, limit: int = 6, width: int = 160) -> list[str]:
        """The first entries, shortened: enough to see where two runs parted."""
        return [e if len(e) <= width else e[: width - 3] + "..." for e in self._entries[:limit]]

    @property
    def entries(self) -> list[str]:
        return list(self._entries)
