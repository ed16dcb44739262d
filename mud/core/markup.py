"""The server's markup: the only way colour reaches a terminal.

Markup is plain text with style tags: ``{exit}north{/}``. A tag is ``{name}`` where
name is one of ``STYLES``; ``{/}`` closes the innermost open tag. A literal brace is
written ``{{``. Untrusted text (anything a player typed or a model wrote) must pass
through ``esc`` (after ``mud.render.sanitize.clean``) before it is embedded, so it can
never open a style. Renderers treat unknown tags as literal text.

Styles are semantic (what a thing is), not colours; ``mud.render`` maps them to ANSI
for each colour depth.

Two more tags choose words by how a player takes them in: ``{seen}...{/}`` is shown
to sighted players only and ``{heard}...{/}`` only in screen-reader mode (``spoken``
writes the pair). Speech reads ``== FIGHT!`` as "equals equals" and ``<direction>``
as "less than direction greater than"; a sighted player scans the same marks at a
glance.
"""

from __future__ import annotations

STYLES: frozenset[str] = frozenset(
    {
        "title",  # room names and headings
        "exit",  # exits and directions
        "item",  # things
        "person",  # players
        "npc",  # non-player characters
        "say",  # speech
        "emote",
        "tell",  # private messages
        "ooc",  # out-of-character channel
        "narr",  # Dungeon Master narration
        "dm",  # DM meta text
        "system",  # server notices
        "error",
        "warn",
        "good",  # success, healing
        "bad",  # failure, damage
        "dim",
        "bold",
        "prompt",
        "roll",  # dice
        "gold",
    }
)


ALTERNATIVES: frozenset[str] = frozenset({"seen", "heard"})
"""Tags that are no style: what only sighted players read, and what only a screen
reader speaks (``spoken``)."""


def spoken(seen: str, heard: str) -> str:
    """Markup that reads ``seen`` (markup) on a screen and ``heard`` (markup) in
    screen-reader mode; either may be empty."""
    return ("{seen}" + seen + "{/}" if seen else "") + ("{heard}" + heard + "{/}" if heard else "")


def esc(text: str) -> str:
    """Escape text so it renders literally inside markup (``{`` becomes ``{{``)."""
    return text.replace("{", "{{")


def tag(style: str, text: str) -> str:
    """Wrap already-escaped markup ``text`` in ``style``. Raises KeyError for unknown styles."""
    if style not in STYLES:
        raise KeyError(style)
    return "{" + style + "}" + text + "{/}"


def styled(style: str, raw: str) -> str:
    """Escape raw text and wrap it in ``style``."""
    return tag(style, esc(raw))
