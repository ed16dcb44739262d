"""Terminal capabilities from a terminal type name. Pure; used by both doors.

Names are matched case-insensitively (inetutils telnet sends them in upper case).
16 colours is the default for anything we do not recognise, because nearly every
terminal and MUD client in use renders them; ``dumb`` and an empty name get plain text.
"""

from __future__ import annotations

from mud.core.events import TermInfo

TRUECOLOR = 16_777_216

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
