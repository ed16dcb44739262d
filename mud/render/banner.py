"""The welcome banner shown on connect.

``BANNER`` is pure ASCII markup, at most ``BANNER_WIDTH`` (60) columns wide, so it
survives any charset; screen readers get its ``alt`` text instead.
"""

from __future__ import annotations

from mud.core.outputs import Art

BANNER_WIDTH = 60

_RULE = "{dim}  +" + "-" * 50 + "+{/}"
_LETTERS = (
    r" __  __   _   _   ____  ",
    r"|  \/  | | | | | |  _ \ ",
    r"| |\/| | | | | | | | | |",
    r"| |  | | | |_| | | |_| |",
    r"|_|  |_|  \___/  |____/ ",
)

BANNER = Art(
    lines=(
        _RULE,
        *("              {title}" + line + "{/}" for line in _LETTERS),
        "        {dim}a multi-user dungeon with a Dungeon Master{/}",
        _RULE,
    ),
    alt="Welcome to mud.",
)
