"""Terminal capabilities from a terminal type name. Pure; used by both doors.

Names are matched case-insensitively (inetutils telnet sends them in upper case).
16 colours is the default for anything we do not recognise, because nearly every
terminal and MUD client in use renders them; ``dumb`` and an empty name get plain text.
A client that announces MTTS flags (``mud.net.telopt``) is taken at its word instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from mud.core.events import TermInfo
from mud.net.telopt import Mtts, mtts_colours, parse_mtts
from mud.render.profile import MAX_WIDTH

TRUECOLOR = 16_777_216

MIN_CLIENT_WIDTH = 20
"""The narrowest width a client may announce; the same range as the ``width`` command
(20 to ``MAX_WIDTH`` columns), so a 1x1 NAWS or PTY size cannot wrap text at 2 columns."""
MIN_CLIENT_HEIGHT = 2
MAX_CLIENT_HEIGHT = 1000


def clamp_size(width: int, height: int) -> tuple[int, int]:
    """A client-announced window size clamped to what the game accepts. 0 (unknown) stays
    0, for the callers that treat it as "use the default"."""
    if width > 0:
        width = max(MIN_CLIENT_WIDTH, min(MAX_WIDTH, width))
    if height > 0:
        height = max(MIN_CLIENT_HEIGHT, min(MAX_CLIENT_HEIGHT, height))
    return width, height


_PLAIN = frozenset({"dumb", "unknown-plain", "tty33", "glasstty"})


def colours_for(term: str, colorterm: str = "") -> int:
    """Colour depth for a terminal type (and optional COLORTERM value)."""
    name = term.strip().lower()
    if colorterm.lower() in ("truecolor", "24bit"):
        return TRUECOLOR
    if not name or name in _PLAIN:
        return 0
    if "truecolor" in name or "24bit" in name or "direct" in name:
        return TRUECOLOR
    if "256" in name:
        return 256
    if name in ("mudlet", "mushclient", "blightmud"):
        return 256
    return 16


def term_info(term: str, *, width: int = 80, height: int = 24, colorterm: str = "") -> TermInfo:
    """A ``TermInfo`` for a terminal name with the default charset (UTF-8)."""
    name = term.strip() or "unknown"
    return TermInfo(
        term=name.lower(),
        width=width,
        height=height,
        colours=colours_for(name, colorterm),
        screenreader=False,
    )


def term_from_ttypes(
    ttypes: Sequence[str],
    *,
    width: int = 80,
    height: int = 24,
    width_known: bool = False,
    charset: str = "utf-8",
    colorterm: str = "",
) -> TermInfo:
    """A ``TermInfo`` from a client's TTYPE answers (RFC 1091 cycle, MTTS included).

    The name is the first non-MTTS answer (a MUD client names itself first, a terminal
    its most specific type), lower-cased. With an ``MTTS <n>`` answer, colours and the
    screen-reader flag follow the MTTS bits; without one, the best colour depth any
    answered name (or ``COLORTERM``) implies. A width or height of 0 means unknown and
    becomes 80 x 24.
    """
    width, height = clamp_size(width, height)
    names = [t.strip() for t in ttypes if t.strip() and parse_mtts((t,)) is None]
    mtts = parse_mtts(ttypes)
    if mtts is not None:
        colours = mtts_colours(mtts)
        screenreader = bool(mtts & Mtts.SCREEN_READER)
    else:
        colours = max((colours_for(n, colorterm) for n in names), default=16)
        if not names and colorterm:
            colours = colours_for("unknown", colorterm)
        screenreader = False
    return TermInfo(
        term=names[0].lower() if names else "unknown",
        width=width if width > 0 else 80,
        height=height if height > 0 else 24,
        colours=colours,
        screenreader=screenreader,
        charset=charset,
        width_known=width_known and width > 0,
    )
