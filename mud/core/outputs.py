"""What the game says, before it is rendered for a particular terminal.

The engine and the hub produce ``Doc`` values made of blocks whose text is *markup*
(see ``mud.core.markup``). Each session renders a Doc for its own client (colour depth,
width, screen reader, charset) in ``mud.render``. Docs are frozen and hash-cached so a
broadcast to hundreds of sessions with the same render profile is rendered once.
"""

from __future__ import annotations

from attrs import frozen


@frozen(cache_hash=True)
class Para:
    """A paragraph of markup, word-wrapped to the viewer's width."""

    markup: str


@frozen(cache_hash=True)
class Title:
    """A heading (a room name). Boxed with line drawing on rich terminals, plain otherwise."""

    markup: str


@frozen(cache_hash=True)
class Art:
    """Pre-formatted lines (a banner). Not wrapped; omitted for screen readers."""

    lines: tuple[str, ...]
    alt: str = ""


@frozen(cache_hash=True)
class Table:
    """Rows of cells (markup): aligned columns, or "k: v" lines for screen readers."""

    rows: tuple[tuple[str, ...], ...]
    header: tuple[str, ...] = ()


Block = Para | Title | Art | Table


@frozen(cache_hash=True)
class Doc:
    """An ordered set of blocks sent to one or many sessions as one unit."""

    blocks: tuple[Block, ...]

    @staticmethod
    def text(markup: str) -> Doc:
        """A one-paragraph document."""
        return Doc((Para(markup),))

    def __add__(self, other: Doc) -> Doc:
        return Doc(self.blocks + other.blocks)
