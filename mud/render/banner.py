"""The welcome banner shown on connect.

``BANNER`` is pure ASCII markup, at most ``BANNER_WIDTH`` (40) columns wide, so it
survives any charset and a phone's terminal held upright (played, round 59: over SSH in a
42-column window its rules and "a multi-user dungeon with a Dungeo" were cut off at the
edge, as art too wide is); screen readers get its ``alt`` text instead.
"""

from __future__ import annotations

from mud.core.outputs import Art

BANNER_WIDTH = 40

_RULE = "{dim}+" + "-" * 38 + "+{/}"
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
        *("        {title}" + line + "{/}" for line in _LETTERS),
        "          {dim}a multi-user dungeon{/}",
        "         {dim}with a Dungeon Master{/}",
        _RULE,
    ),
    alt="Welcome to mud.",
)
