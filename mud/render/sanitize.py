"""Sanitising untrusted text (player input, model output) before any terminal sees it.

``clean`` is the one place where text from outside loses everything that could steer a
terminal or mislead a reader:

1. whole escape sequences are removed: CSI (``ESC [`` or 8-bit ``0x9b``, parameters,
   intermediates, final byte), string sequences (OSC ``ESC ]``, DCS ``ESC P``, SOS
   ``ESC X``, PM ``ESC ^``, APC ``ESC _`` and their 8-bit forms) up to BEL or ST, and
   other ``ESC`` sequences (``ESC`` + intermediates + final byte);
2. every remaining C0/C1 control, DEL, format character (Unicode category Cf: bidi
   controls, zero-width characters, soft hyphen, BOM, tags...) and lone surrogate is
   removed, but for a zero-width joiner or non-joiner between two characters it joins
   (Persian, the Indic scripts, emoji; ``_STRAY_JOINERS``); tab, U+2028 and U+2029
   become a space; CR is dropped and LF is dropped or (``keep_newlines``) kept;
3. the result is normalised to NFC and cut to ``max_len`` code points.

Invariants:
- ``clean`` output contains no character of category Cc (except LF with
  ``keep_newlines``), Cf (except U+200C/U+200D, each alone between a character that is
  not ASCII and one that is neither ASCII nor a mark) or Cs, and no U+2028/U+2029.
- ``clean(clean(x)) == clean(x)`` for the same options.
- ``StreamCleaner``: for any split of ``s`` into chunks, the concatenation of ``feed``
  results plus ``flush()`` equals ``clean(s, keep_newlines=True)``, provided the text never
  runs ``StreamCleaner.MAX_PENDING`` characters without a point where NFC cannot join
  across (only long runs of combining marks or conjoining vowels do that; past the bound
  text is released un-joined rather than held forever). It never holds back more
  than a bounded amount of text.

Bounds: a CSI sequence has at most ``_CSI_MAX`` parameter and ``_CSI_MAX`` intermediate
bytes and a string sequence at most ``_STR_MAX`` body characters; whatever follows a
sequence cut at its bound is ordinary text (harmless: its introducer is gone).
"""

from __future__ import annotations

import re
import unicodedata

_CSI_MAX = 64
_STR_MAX = 256


def codepoint_ranges(codepoints: list[int]) -> list[tuple[int, int]]:
    """Sorted code points as inclusive (low, high) ranges."""
    ranges: list[tuple[int, int]] = []
    for cp in codepoints:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def codepoint_pattern(ranges: list[tuple[int, int]]) -> str:
    """A fast regex matching one character in the inclusive ``ranges``.

    ``re`` looks up a class of BMP characters in a bitmap but scans ranges one by one
    once the class holds any astral character, so astral ranges get their own branch
    behind a cheap guard.
    """
    bmp: list[str] = []
    astral: list[str] = []
    for lo, hi in ranges:
        if lo < 0x10000 <= hi:
            bmp.append(f"\\U{lo:08x}-\\U0000ffff")
            lo = 0x10000
        target = bmp if hi < 0x10000 else astral
        target.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
    branches = []
    if bmp:
        branches.append("[" + "".join(bmp) + "]")
    if astral:
        branches.append("(?=[\\U00010000-\\U0010ffff])[" + "".join(astral) + "]")
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


_JOINERS = "\u200c\u200d"
"""The zero-width non-joiner and joiner: part of how Persian, the Indic scripts and
emoji sequences are written ("می‌خواهم", "क्‍ष", a family of faces), so kept where they
join two such characters (see ``_STRAY_JOINERS``); removed anywhere else."""


_BLANKS = (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0)
"""Letters and marks that show as nothing: the combining grapheme joiner, the Hangul
fillers, the Khmer inherent vowels and the blank Braille pattern. Played by a griefer:
"say \u3164" put an empty line on every screen in the room, and a filler inside a word
kept it from matching ("ki\u3164ll")."""


def _removable() -> list[int]:
    """Code points that ``clean`` deletes outright (Cc except LF/CR/tab, Cf, Cs, and
    ``_BLANKS``), the joiners aside (``_STRAY_JOINERS``).

    Only planes 0, 1 and 14 hold such characters in any Unicode version so far.
    """
    out: list[int] = list(_BLANKS)
    for plane_range in (range(0x0, 0x20000), range(0xE0000, 0xE1000)):
        for cp in plane_range:
            if cp in (0x09, 0x0A, 0x0D) or chr(cp) in _JOINERS:
                continue
            if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs"):
                out.append(cp)
    return sorted(out)


def _marks() -> list[int]:
    """Combining marks (categories Mn, Mc, Me) of planes 0, 1 and 14."""
    return [
        cp
        for plane_range in (range(0x300, 0x20000), range(0xE0000, 0xE1000))
        for cp in plane_range
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
    ]


_REMOVABLE = _removable()
# A joiner is kept only with a character of another script than ASCII (or a mark, as an
# Indic virama) before it and one after it that is neither a space, another joiner nor
# a mark: between ASCII letters it only hid a word from matching ("ki\u200dll"), and
# before an accent it kept "e" and its accent apart. A run of two or more goes whole.
_NOT_JOINABLE = "\\x00-\\x7f\\s" + _JOINERS
_MARK_CLASS = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in codepoint_ranges(_marks()))
_STRAY_JOINERS = re.compile(
    f"(?<![^{_NOT_JOINABLE}])[{_JOINERS}]|[{_JOINERS}](?![^{_NOT_JOINABLE}{_MARK_CLASS}])"
)
# Deleted characters; CR is always deleted, LF only when newlines are not kept.
_DROP_KEEP_NL = re.compile(codepoint_pattern(codepoint_ranges([*_REMOVABLE, 0x0D])) + "+")
_DROP_NO_NL = re.compile(codepoint_pattern(codepoint_ranges([*_REMOVABLE, 0x0A, 0x0D])) + "+")
_SPACES = re.compile("[\t\u2028\u2029]")

# One escape sequence. Groups ``fin`` / ``term`` / ``nfin`` are set when the sequence is
# complete; a match without them that reaches the end of the text may still continue.
_ESC_SEQ = re.compile(
    rf"""
    (?:\x1b\[|\x9b) [\x30-\x3f]{{0,{_CSI_MAX}}} [\x20-\x2f]{{0,{_CSI_MAX}}} (?P<fin>[\x40-\x7e])?
  | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]) [^\x07\x1b\x9c\x18\x1a]{{0,{_STR_MAX}}}
        (?P<term>\x07|\x1b\\|\x9c)?
  | \x1b [\x20-\x2f]{{0,{_CSI_MAX}}} (?P<nfin>[\x30-\x7e])?
    """,
    re.VERBOSE,
)
_INTRODUCERS = re.compile("[\x1b\x9b\x9d\x90\x98\x9e\x9f]")


def strip_escapes(text: str) -> str:
    """``text`` without its whole escape sequences (CSI, OSC and the string ones, and
    two-byte ESC sequences), by the rules in this module's docstring; other control
    characters stay. Pure."""
    if _INTRODUCERS.search(text) is None:
        return text
    return _ESC_SEQ.sub("", text)


def _filter(text: str, keep_newlines: bool) -> str:
    """Step 2 of ``clean`` on text that has no escape sequences left, but for the
    joiners (``_unjoin``)."""
    text = _SPACES.sub(" ", text)
    return (_DROP_KEEP_NL if keep_newlines else _DROP_NO_NL).sub("", text)


def _unjoin(text: str, before: str = "") -> str:
    """``text`` without the joiners that join nothing (``_STRAY_JOINERS``), read as
    following the character ``before`` ("" at the start of the text)."""
    if not any(j in text for j in _JOINERS):
        return text
    return _STRAY_JOINERS.sub("", before + text)[len(before) :]


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def clean(text: str, *, keep_newlines: bool = False, max_len: int | None = None) -> str:
    """Return ``text`` with escape sequences, controls and invisible formatting removed.

    Called on every player line (by the hub) and on model output (by the DM, through
    ``StreamCleaner``). ``max_len`` (if given, >= 0) caps the result in code points.
    Never raises.
    """
    if not (text.isascii() and text.isprintable()):
        text = _nfc(_unjoin(_filter(strip_escapes(text), keep_newlines)))
    if max_len is not None and len(text) > max_len:
        text = text[: max(0, max_len)]
    return text


def _composition_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(primaries, starter secondaries) of canonical composition.

    A primary is a character that may combine with a following character under NFC; a
    starter secondary is a combining-class-0 character that may combine with the
    preceding one. Over-inclusion (composition exclusions are not removed) only makes
    ``StreamCleaner`` hold text slightly longer.
    """
    primaries: set[str] = set()
    secondaries: set[str] = set()
    for cp in range(0x30000):
        decomposition = unicodedata.decomposition(chr(cp))
        if not decomposition or decomposition[0] == "<":
            continue
        parts = decomposition.split()
        if len(parts) == 2:
            primaries.add(chr(int(parts[0], 16)))
            second = chr(int(parts[1], 16))
            if unicodedata.combining(second) == 0:
                secondaries.add(second)
    # Hangul composes algorithmically: L+V -> LV, LV+T -> LVT.
    primaries.update(chr(cp) for cp in range(0x1100, 0x1113))
    primaries.update(chr(cp) for cp in range(0xAC00, 0xD7A4, 28))
    secondaries.update(chr(cp) for cp in range(0x1161, 0x1176))
    secondaries.update(chr(cp) for cp in range(0x11A8, 0x11C3))
    return frozenset(primaries), frozenset(secondaries)


_PRIMARIES, _STARTER_SECONDARIES = _composition_tables()


def _starts_segment(ch: str) -> bool:
    """True if NFC never joins ``ch`` to anything before it (a safe cut before ``ch``)."""
    first = unicodedata.normalize("NFD", ch)[0] if not ch.isascii() else ch
    return unicodedata.combining(first) == 0 and first not in _STARTER_SECONDARIES


def _ends_segment(ch: str) -> bool:
    """True if NFC never joins anything after ``ch`` to it (a safe cut after ``ch``)."""
    if ch.isascii():
        return ch not in _PRIMARIES
    return (
        unicodedata.combining(ch) == 0
        and ch not in _PRIMARIES
        and unicodedata.normalize("NFD", ch) == ch
    )


class StreamCleaner:
    """Incremental ``clean(..., keep_newlines=True)`` for text arriving in chunks.

    Owned by whoever consumes one model stream (the DM actor), one instance per stream.
    ``feed`` returns the clean text that can be emitted now; it holds back an escape
    sequence that may continue in the next chunk (at most ``_STR_MAX + 3`` characters)
    and the last characters that NFC might still join with what follows (at most
    ``MAX_PENDING``). ``flush`` returns the rest at the end of the stream and resets.
    """

    MAX_PENDING = 128

    def __init__(self) -> None:
        self._raw = ""  # unfiltered text starting with an unfinished escape sequence
        self._joiners = ""  # filtered joiners at the end so far: kept if a letter follows
        self._before = ""  # the last filtered character let through the joiners' rule
        self._pending = ""  # filtered text that NFC may still join with what follows

    def feed(self, chunk: str) -> str:
        """Add ``chunk``; return the clean text now certain. Never raises."""
        buf = self._raw + chunk if self._raw else chunk
        cut = len(buf)
        if _INTRODUCERS.search(buf) is not None:
            last = None
            for last in _ESC_SEQ.finditer(buf):  # noqa: B007 - only the last one matters
                pass
            if (
                last is not None
                and last.end() == len(buf)
                and last.group("fin") is None
                and last.group("term") is None
                and last.group("nfin") is None
            ):
                cut = last.start()
        self._raw = buf[cut:]
        ready = self._unjoin(_filter(strip_escapes(buf[:cut]), True) if cut else "")
        pending = self._pending + ready
        split = self._safe_split(pending)
        self._pending = pending[split:]
        return _nfc(pending[:split])

    def flush(self) -> str:
        """Return everything still held (an unfinished escape is dropped) and reset."""
        tail = _filter(strip_escapes(self._raw), True) if self._raw else ""
        tail = _unjoin(self._joiners + tail, self._before)  # joiners at the end go
        out = _nfc(self._pending + tail)
        self._raw = ""
        self._joiners = ""
        self._before = ""
        self._pending = ""
        return out

    def _unjoin(self, filtered: str) -> str:
        """``_unjoin`` over the stream: joiners at the end of ``filtered`` are held
        until the character after them is known."""
        text = self._joiners + filtered
        body = text.rstrip(_JOINERS)
        self._joiners = text[len(body) :]
        if not body:
            return ""
        out = _unjoin(body, self._before)
        self._before = body[-1]
        return out

    def _safe_split(self, text: str) -> int:
        """Index where ``text`` can be cut without changing its NFC (bounded hold)."""
        n = len(text)
        if n == 0 or _ends_segment(text[-1]):
            return n
        # Walk back to the last character NFC cannot join to its left; the common case
        # (a letter at the end) stops at once.
        i = n - 1
        limit = max(0, n - self.MAX_PENDING)
        while i > limit and not _starts_segment(text[i]):
            i -= 1
        if i == limit and limit > 0 and not _starts_segment(text[i]):
            return n - self.MAX_PENDING // 2
        return i


MAX_MARKS = 4
"""The most combining marks ``tame_marks`` leaves on one letter: Vietnamese stacks two,
Thai a vowel and a tone, and no language written here more than four."""


def tame_marks(text: str) -> str:
    """``text`` with no letter carrying more than ``MAX_MARKS`` combining marks (Unicode
    categories Mn and Me; the first ones kept): a player's line piled with hundreds
    ("zalgo") draws over the lines above and below it on everyone's screen. Called by
    the login flow on each line a player types, after ``clean``. Pure; ASCII text is
    returned as it is."""
    if text.isascii():
        return text
    kept: list[str] = []
    run = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            if run > MAX_MARKS:
                continue
        else:
            run = 0
        kept.append(ch)
    return "".join(kept)


#: Full-width forms of ASCII (U+FF01-U+FF5E) and the ideographic space, as ASCII: what a
#: Japanese or Chinese input method types when left in full-width mode.
_FULL_WIDTH = {0x3000: " ", **{cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}}


def unmarked(text: str) -> str:
    """``text`` without its accents and other combining marks, compatibility forms
    folded (NFKD): "Zoë" is "Zoe", "ＹＵＫＩ" "YUKI". Pure; used where names are A to Z
    (``accounts.validate_name``'s hint, ``search.find``) and by ``doc``'s charset
    fallback."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold_width(text: str) -> str:
    """``text`` with full-width letters, digits, punctuation and the ideographic space
    (U+3000) as their ASCII forms: played over SSH with an input method in full-width
    mode, "ｌｏｏｋ" was a deed the room read ("Xue tries to ｌｏｏｋ."), "say　こんにちは"
    (an ideographic space) another, and "zoe, what do you think？" no question. Called by
    the login flow on each line a player types (after ``clean`` and ``tame_marks``);
    CJK letters and their own punctuation (、。「」) are left as they are. Pure."""
    if text.isascii():
        return text
    return text.translate(_FULL_WIDTH)
