"""Markup parsing and the ANSI palettes.

``parse`` turns markup (``mud.core.markup``) into styled runs; ``sgr`` gives the escape
that selects a style stack at a colour depth; ``paint`` turns runs into terminal text.

Invariants:
- ``parse`` never fails: an unknown tag (``{shout}``) or a lone ``{`` is literal text, a
  ``{/}`` with nothing open is ignored, styles left open end with the text.
- Runs from ``parse`` are non-empty and adjacent runs have different style stacks.
- Every escape ``sgr`` returns starts with a full reset (``ESC[0;...m``), so a run's look
  never depends on what was painted before it: any line can start with any run.
- At colour depth 0 there are no escapes at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from attrs import frozen

from mud.core.markup import ALTERNATIVES, STYLES

RESET = "\x1b[0m"


@frozen
class Run:
    """Text in one style stack (outermost style first; ``()`` is unstyled)."""

    styles: tuple[str, ...]
    text: str


# ``{{`` | ``{/}`` | ``{name}``; anything else starting with ``{`` is literal text.
_TOKEN = re.compile(r"\{(?:(\{)|(/)\}|([a-z_]+)\})")


def parse(markup: str) -> list[Run]:
    """Split markup into styled runs. Pure, linear, never raises."""
    if "{" not in markup:
        return [Run((), markup)] if markup else []
    runs: list[Run] = []
    stack: tuple[str, ...] = ()
    buf: list[str] = []  # text in the current stack not yet emitted
    pos = 0
    for m in _TOKEN.finditer(markup):
        if m.start() > pos:
            buf.append(markup[pos : m.start()])
        pos = m.end()
        brace, close, name = m.groups()
        if brace is not None:
            buf.append("{")
            continue
        if close is not None:
            if not stack:
                continue
            new_stack = stack[:-1]
        elif name in STYLES or name in ALTERNATIVES:
            new_stack = (*stack, name)
        else:
            buf.append(m.group())
            continue
        _emit(runs, stack, buf)
        buf = []
        stack = new_stack
    if pos < len(markup):
        buf.append(markup[pos:])
    _emit(runs, stack, buf)
    return runs


def _emit(runs: list[Run], stack: tuple[str, ...], buf: list[str]) -> None:
    text = "".join(buf)
    if not text:
        return
    if runs and runs[-1].styles == stack:
        runs[-1] = Run(stack, runs[-1].text + text)
    else:
        runs.append(Run(stack, text))


def merge(runs: Iterable[Run]) -> list[Run]:
    """Drop empty runs and join neighbours with the same style stack."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1].styles == run.styles:
            out[-1] = Run(run.styles, out[-1].text + run.text)
        else:
            out.append(run)
    return out


def plain(runs: Iterable[Run]) -> str:
    """The text of ``runs`` without any styling."""
    return "".join(run.text for run in runs)


# A style's look at one depth: (attributes, colour). Attributes accumulate down the
# stack (bold inside dim is both); the innermost colour wins.
_Look = tuple[tuple[str, ...], str | None]

# 16 colours: a retro palette on the classic eight plus their bright forms.
_P16: Mapping[str, _Look] = {
    "title": (("1",), "93"),  # bold bright yellow
    "exit": ((), "96"),  # bright cyan
    "item": ((), "33"),  # yellow
    "person": ((), "95"),  # bright magenta
    "npc": ((), "36"),  # cyan
    "say": ((), "37"),  # white
    "emote": ((), "35"),  # magenta
    "tell": ((), "94"),  # bright blue
    "ooc": ((), "34"),  # blue
    "narr": ((), "92"),  # light green, the phosphor of old terminals
    "dm": ((), "32"),  # green
    "system": ((), "97"),  # bright white
    "error": (("1",), "91"),  # bold bright red
    "warn": ((), "93"),  # bright yellow
    "good": ((), "92"),  # bright green
    "bad": ((), "91"),  # bright red
    "dim": ((), "90"),  # grey
    "bold": (("1",), None),
    "prompt": (("1",), "97"),
    "roll": (("1",), "96"),
    "gold": (("1",), "33"),
}

# 256 colours: warmer, richer tones (amber, teal, rose...) from the xterm cube.
_P256: Mapping[str, _Look] = {
    "title": (("1",), "38;5;214"),  # amber
    "exit": ((), "38;5;37"),  # teal
    "item": ((), "38;5;179"),  # old gold
    "person": ((), "38;5;213"),  # orchid
    "npc": ((), "38;5;80"),  # sea green
    "say": ((), "38;5;230"),  # cream
    "emote": ((), "38;5;176"),  # plum
    "tell": ((), "38;5;111"),  # sky
    "ooc": ((), "38;5;67"),  # slate blue
    "narr": ((), "38;5;151"),  # pale jade
    "dm": ((), "38;5;108"),  # sage
    "system": ((), "38;5;252"),  # silver
    "error": (("1",), "38;5;203"),  # coral red
    "warn": ((), "38;5;221"),  # honey
    "good": ((), "38;5;114"),  # leaf green
    "bad": ((), "38;5;167"),  # rust
    "dim": ((), "38;5;243"),  # grey
    "bold": (("1",), None),
    "prompt": (("1",), "38;5;222"),  # wheat
    "roll": (("1",), "38;5;44"),  # bright teal
    "gold": (("1",), "38;5;220"),  # gold
}

_RGB: Mapping[str, tuple[tuple[str, ...], tuple[int, int, int] | None]] = {
    "title": (("1",), (255, 176, 0)),  # amber
    "exit": ((), (0, 175, 160)),  # teal
    "item": ((), (214, 174, 94)),  # old gold
    "person": ((), (240, 128, 220)),  # orchid
    "npc": ((), (102, 205, 196)),  # sea green
    "say": ((), (250, 244, 220)),  # cream
    "emote": ((), (206, 150, 200)),  # plum
    "tell": ((), (140, 180, 255)),  # sky
    "ooc": ((), (112, 136, 176)),  # slate blue
    "narr": ((), (184, 224, 190)),  # pale jade
    "dm": ((), (140, 176, 140)),  # sage
    "system": ((), (215, 215, 215)),  # silver
    "error": (("1",), (255, 95, 87)),  # coral red
    "warn": ((), (255, 210, 100)),  # honey
    "good": ((), (120, 215, 120)),  # leaf green
    "bad": ((), (214, 96, 72)),  # rust
    "dim": ((), (120, 120, 120)),  # grey
    "bold": (("1",), None),
    "prompt": (("1",), (245, 222, 179)),  # wheat
    "roll": (("1",), (0, 215, 215)),  # bright teal
    "gold": (("1",), (255, 204, 0)),  # gold
}
_PTRUE: Mapping[str, _Look] = {
    name: (attrs, None if rgb is None else "38;2;{};{};{}".format(*rgb))
    for name, (attrs, rgb) in _RGB.items()
}


def _palette(colours: int) -> Mapping[str, _Look] | None:
    if colours <= 0:
        return None
    if colours < 256:
        return _P16
    if colours < 16_777_216:
        return _P256
    return _PTRUE


@functools.lru_cache(maxsize=4096)
def sgr(styles: tuple[str, ...], colours: int) -> str:
    """The escape selecting ``styles`` (outermost first) at depth ``colours``.

    ``""`` at depth 0; ``RESET`` for an empty stack; otherwise a full-reset SGR. Styles
    not in the palette are ignored.
    """
    palette = _palette(colours)
    if palette is None:
        return ""
    attrs: list[str] = []
    colour: str | None = None
    for name in styles:
        look = palette.get(name)
        if look is None:
            continue
        for attr in look[0]:
            if attr not in attrs:
                attrs.append(attr)
        if look[1] is not None:
            colour = look[1]
    params = ["0", *attrs]
    if colour is not None:
        params.append(colour)
    return "\x1b[" + ";".join(params) + "m"


def paint(runs: Iterable[Run], colours: int) -> str:
    """``runs`` as terminal text at depth ``colours``.

    Each styled run starts with its own full escape; the result ends with ``RESET`` if
    anything was styled, so the text is self-contained (no style leaks past its end).
    """
    if colours <= 0:
        return plain(runs)
    parts: list[str] = []
    styled = False
    for run in runs:
        if run.styles:
            parts.append(sgr(run.styles, colours))
            styled = True
        elif styled:
            parts.append(RESET)
            styled = False
        parts.append(run.text)
    if styled:
        parts.append(RESET)
    return "".join(parts)


_SGR_RE = re.compile(r"\x1b\[[0-9;]*m")


def strip_sgr(text: str) -> str:
    """Remove the SGR escapes this module produces (for tests and log files)."""
    return _SGR_RE.sub("", text)
