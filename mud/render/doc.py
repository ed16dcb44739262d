"""Rendering a ``Doc`` for one terminal, and encoding text for its charset.

``render(doc, profile)`` is what a session calls for every ``send``; it is memoised on
``(doc, profile)`` because a broadcast reaches many sessions with the same profile.

Invariants of ``render`` output:
- every line ends with ``\\r\\n`` and no line is wider than ``profile.width`` columns;
- every line is self-contained: styles are (re)selected at its start and reset before
  its end, so no escape spans a line end and a line may be dropped or interleaved safely;
- at colour depth 0 or for a screen reader there are no escapes at all; for a screen
  reader there are also no boxes, rules or art;
- words marked ``{seen}`` reach only a screen, those marked ``{heard}`` only a screen
  reader (``mud.core.markup.spoken``);
- for the ``ascii`` / ``latin-1`` charsets the text is degraded *before* wrapping, so the
  widths hold after ``encode``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from mud.core.markup import ALTERNATIVES
from mud.core.outputs import Art, Block, Doc, Para, Table, Title
from mud.render.ansi import Run, merge, paint, parse, plain
from mud.render.profile import RenderProfile, norm_charset
from mud.render.sanitize import clean, unmarked
from mud.render.wrap import fit, visible_width, wrap_runs

CRLF = "\r\n"


def _box_degrade() -> dict[int, str]:
    """Box drawing and block elements as ``+``, ``-``, ``=``, ``|`` and ``#``."""
    table: dict[int, str] = {}
    for cp in range(0x2500, 0x2580):
        name = unicodedata.name(chr(cp), "")
        horizontal = "HORIZONTAL" in name
        vertical = "VERTICAL" in name
        if horizontal and not vertical and "DOUBLE" in name:
            table[cp] = "="
        elif horizontal and not vertical:
            table[cp] = "-"
        elif vertical and not horizontal:
            table[cp] = "|"
        else:
            table[cp] = "+"
    for cp in range(0x2580, 0x25A0):
        table[cp] = "#"
    return table


# Typography that has a readable ASCII form, applied for both latin-1 and ascii.
_DEGRADE_COMMON: dict[int, str] = {
    **_box_degrade(),
    **{cp: "'" for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x2035)},
    **{cp: '"' for cp in (0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x2036)},
    **{cp: "-" for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2043, 0x2212)},
    **{cp: "--" for cp in (0x2014, 0x2015)},
    0x2026: "...",
    **{cp: "*" for cp in (0x2022, 0x2023, 0x2219, 0x25AA, 0x25CF, 0x25E6, 0x2027)},
    **{cp: " " for cp in (0x00A0, 0x2007, 0x202F, *range(0x2000, 0x200B), 0x205F, 0x3000)},
    0x2039: "<",
    0x203A: ">",
    0x2190: "<-",
    0x2192: "->",
    0x2191: "^",
    0x2193: "v",
    0x2194: "<->",
}
# Latin-1 characters that ascii also needs spelled out.
_DEGRADE_ASCII: dict[int, str] = {
    **_DEGRADE_COMMON,
    0x00AB: '"',
    0x00BB: '"',
    0x00B7: "*",
    0x00D7: "x",
    0x00F7: "/",
    0x00A9: "(c)",
    0x00AE: "(R)",
    0x00B0: "o",
    0x00A1: "!",
    0x00BF: "?",
}
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_NOT_LATIN1 = re.compile(r"[^\x00-\xff]")


@functools.lru_cache(maxsize=4096)
def _fallback(ch: str, charset: str) -> str:
    """A character the charset lacks: its accent-free form if that fits, else ``?``."""
    base = unmarked(ch)
    if base and not (_NOT_ASCII if charset == "ascii" else _NOT_LATIN1).search(base):
        return base
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ""  # a mark whose base had no precomposed form: drop it, keep the base
    return "?"


def degrade(text: str, charset: str) -> str:
    """``text`` with only characters ``charset`` can encode (utf-8 returns it as is).

    Curly quotes, dashes, ellipsis, box drawing, bullets, arrows and odd spaces get ASCII
    spellings; accented letters lose accents where the charset lacks them; anything else
    becomes ``?``. Never raises.
    """
    charset = norm_charset(charset)
    if charset == "utf-8" or text.isascii():
        return text
    if charset == "ascii":
        text = text.translate(_DEGRADE_ASCII)
        pattern = _NOT_ASCII
    else:
        text = text.translate(_DEGRADE_COMMON)
        pattern = _NOT_LATIN1
    return pattern.sub(lambda m: _fallback(m.group(), charset), text)


def encode(text: str, charset: str) -> bytes:
    """``text`` as bytes for a client using ``charset`` (degraded first). Never raises:
    lone surrogates and anything else unencodable become ``?``."""
    charset = norm_charset(charset)
    return degrade(text, charset).encode(charset, errors="replace")


def _prep(markup: str, profile: RenderProfile, *, outer: tuple[str, ...] = ()) -> list[Run]:
    """Parse markup, degrade it for the charset and drop styling a screen reader ignores.

    Markup is trusted, but a stray control character in it would break the guarantees
    above (widths, no foreign escapes), so it is cleaned here too; memoisation makes
    that cheap.
    """
    runs = _chosen(parse(clean(markup, keep_newlines=True)), profile.screenreader)
    if profile.screenreader:
        text = degrade(plain(runs), profile.charset)
        return [Run((), text)] if text else []
    if profile.charset != "utf-8":
        runs = merge(Run(r.styles, degrade(r.text, profile.charset)) for r in runs)
    if outer:
        runs = [Run((*outer, *r.styles), r.text) for r in runs]
    return runs


def _chosen(runs: list[Run], reader: bool) -> list[Run]:
    """``runs`` without the words meant for the other kind of reader (``{seen}`` for a
    screen reader, ``{heard}`` for a screen), and without those tags, which are no style."""
    if not any(name in ALTERNATIVES for run in runs for name in run.styles):
        return runs
    dropped = "seen" if reader else "heard"
    return merge(
        Run(tuple(s for s in run.styles if s not in ALTERNATIVES), run.text)
        for run in runs
        if dropped not in run.styles
    )


def _paint_lines(lines: Sequence[Sequence[Run]], colours: int) -> list[str]:
    return [paint(line, colours) for line in lines]


def _line_width(line: Sequence[Run]) -> int:
    return sum(visible_width(r.text) for r in line)


#: The styles of words a player wrote (what they say, pose, tell): a paragraph holding
#: them wraps with its later lines indented (``HANG``), so no words of theirs begin a
#: line as the game's lines do. Played by a griefer: an emote padded, or just long
#: enough, to wrap had "Bessa Thorn says to you, '...'" begin a line of its own.
AUTHORED = frozenset({"say", "emote", "tell", "ooc"})
HANG = 2


def _para(markup: str, profile: RenderProfile) -> list[str]:
    runs = _prep(markup, profile)
    hang = HANG if any(style in AUTHORED for run in runs for style in run.styles) else 0
    lines = wrap_runs(runs, profile.width, hang=hang)
    return _paint_lines(lines, profile.effective_colours) if lines else [""]


def _title(markup: str, profile: RenderProfile) -> list[str]:
    if profile.screenreader:
        return _para(markup, profile)
    runs = _prep(markup, profile, outer=("title",))
    if not runs:
        return []
    colours = profile.effective_colours
    if colours == 0:
        lines = wrap_runs(runs, profile.width)
        rule = "=" * max((_line_width(line) for line in lines), default=0)
        return [*_paint_lines(lines, 0), *([rule] if rule else [])]
    if profile.width < 5:  # no room for a box
        return _paint_lines(wrap_runs(runs, profile.width) or [[]], colours)
    lines = wrap_runs(runs, profile.width - 4)
    inner = max((_line_width(line) for line in lines), default=0)
    if profile.charset == "utf-8":
        tl, tr, bl, br, h, v = "┌", "┐", "└", "┘", "─", "│"
    else:
        tl = tr = bl = br = "+"
        h, v = "-", "|"
    edge = ("title",)
    out = [paint([Run(edge, tl + h * (inner + 2) + tr)], colours)]
    for line in lines:
        pad = " " * (inner - _line_width(line))
        row = [Run(edge, v + " "), *line, Run(edge, pad + " " + v)]
        out.append(paint(merge(row), colours))
    out.append(paint([Run(edge, bl + h * (inner + 2) + br)], colours))
    return out


def _art(art: Art, profile: RenderProfile) -> list[str]:
    if profile.screenreader:
        return _para(art.alt, profile) if art.alt else []
    colours = profile.effective_colours
    out: list[str] = []
    for line in (part for text in art.lines for part in text.split("\n")):
        kept: list[Run] = []
        room = profile.width
        for run in _prep(line, profile):
            head, rest = fit(run.text, room)
            if head:
                kept.append(Run(run.styles, head))
                room -= visible_width(head)
            if rest:
                break
        out.append(paint(kept, colours))
    return out


def _column_widths(natural: list[int], avail: int) -> list[int]:
    """Shrink the widest columns first until the sum fits ``avail`` (>= len(natural))."""
    if sum(natural) <= avail:
        return natural
    lo, hi = 1, max(natural)  # the largest cap c with sum(min(w, c)) <= avail
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(min(w, mid) for w in natural) <= avail:
            lo = mid
        else:
            hi = mid - 1
    widths = [min(w, lo) for w in natural]
    spare = avail - sum(widths)
    for i, w in enumerate(natural):
        if spare <= 0:
            break
        if w > widths[i]:
            widths[i] += 1
            spare -= 1
    return widths


_GAP = 2


def _table_linear(table: Table, ncols: int, profile: RenderProfile) -> list[str]:
    """One paragraph per row (screen readers, too-narrow screens): its first cell
    alone, then "header: cell" for the others. Played by a blind player: "#: 1, Class:
    fighter, ..." and "Item: potion of healing, Price: ...", the label heard before
    every row's name."""
    header = [plain(_prep(h, profile)) for h in table.header]
    out: list[str] = []
    for row in table.rows:
        cells = [plain(_prep(c, profile)) for c in row]
        if header:
            heads = header + [""] * (ncols - len(header))
            cells += [""] * (ncols - len(cells))
            items = [
                f"{h}: {c}" if h and i else c
                for i, (h, c) in enumerate(zip(heads, cells, strict=True))
            ]
        else:
            items = cells
        text = ", ".join(items)
        lines = wrap_runs([Run((), text)], profile.width) if text else []
        out.extend(_paint_lines(lines, 0) if lines else [""])
    return out


#: The narrowest a table column that must wrap may be before the table is read as a
#: paragraph a row (``_table_linear``).
_SQUEEZED = 16


def _table(table: Table, profile: RenderProfile) -> list[str]:
    ncols = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    if ncols == 0:
        return []
    if profile.screenreader or profile.width < ncols + _GAP * (ncols - 1):
        return _table_linear(table, ncols, profile)
    colours = profile.effective_colours
    grid: list[list[list[Run]]] = []
    if table.header:
        grid.append([_prep(h, profile, outer=("bold",)) for h in table.header])
    grid.extend([_prep(c, profile) for c in row] for row in table.rows)
    for row in grid:
        row.extend([] for _ in range(ncols - len(row)))
    natural = [1] * ncols
    for row in grid:
        for i, cell in enumerate(row):
            for text in plain(cell).split("\n"):
                natural[i] = max(natural[i], visible_width(text))
    widths = _column_widths(natural, profile.width - _GAP * (ncols - 1))
    if any(natural[i] > w and w < _SQUEEZED for i, w in enumerate(widths)):
        # A column squeezed to a sliver reads a word a line (a 40-column phone client:
        # the class list's "About" 13 wide, "(lantern_monk" broken from its ")"): a
        # paragraph a row reads better.
        return _table_linear(table, ncols, profile)
    out: list[str] = []
    for index, row in enumerate(grid):
        wrapped = [wrap_runs(cell, widths[i]) for i, cell in enumerate(row)]
        height = max(1, *(len(c) for c in wrapped))
        for k in range(height):
            line: list[Run] = []
            for i, cell_lines in enumerate(wrapped):
                cell = cell_lines[k] if k < len(cell_lines) else []
                line.extend(cell)
                if i < ncols - 1:
                    line.append(Run((), " " * (widths[i] - _line_width(cell) + _GAP)))
            out.append(paint(_rstrip(line), colours))
        if index == 0 and table.header:
            rule = "─" if profile.charset == "utf-8" else "-"
            text = (" " * _GAP).join(rule * w for w in widths)
            out.append(paint([Run(("dim",), text)], colours))
    return out


def _rstrip(line: list[Run]) -> list[Run]:
    """Drop trailing padding (unstyled spaces) so lines carry no invisible tails."""
    while line and not line[-1].styles and not line[-1].text.strip(" "):
        line.pop()
    if line and not line[-1].styles:
        line[-1] = Run((), line[-1].text.rstrip(" "))
    return merge(line)


def render_block(block: Block, profile: RenderProfile) -> list[str]:
    """One block as terminal lines without line ends (see ``render`` for the rules)."""
    match block:
        case Para(markup=markup):
            return _para(markup, profile)
        case Title(markup=markup):
            return _title(markup, profile)
        case Art():
            return _art(block, profile)
        case Table():
            return _table(block, profile)
    raise TypeError(f"not a block: {block!r}")  # pragma: no cover - exhaustive above


@functools.lru_cache(maxsize=512)
def render(doc: Doc, profile: RenderProfile) -> str:
    """``doc`` as terminal text for ``profile``; every line ends with ``\\r\\n``.

    Called by sessions for each ``send``. Memoised (512 entries) on the hashable
    ``(doc, profile)`` pair. Raises TypeError only for a block that is not a Block.
    """
    return "".join(_block_text(block, profile) for block in doc.blocks)


@functools.lru_cache(maxsize=4096)
def _block_text(block: Block, profile: RenderProfile) -> str:
    # Docs built per viewer (a room view lists who else is there) share most of their
    # blocks with everyone else's: caching blocks, not just whole docs, keeps looks cheap.
    return "".join(line + CRLF for line in render_block(block, profile))


@functools.lru_cache(maxsize=512)
def _markup_lines(markup: str, profile: RenderProfile) -> tuple[str, ...]:
    return tuple(_para(markup, profile))


def render_lines(markup: str, profile: RenderProfile) -> list[str]:
    """A paragraph of markup as self-contained lines without line ends (memoised)."""
    return list(_markup_lines(markup, profile))
