"""How one client wants its output rendered.

``RenderProfile`` is a small frozen, hashable value: ``mud.render.doc.render`` is
memoised on ``(Doc, RenderProfile)``, so every session with the same terminal settings
shares one rendering of a broadcast.

Invariants (enforced by the converters, so any constructed profile satisfies them):
- ``colours`` is one of 0, 16, 256, 16_777_216 (other values round down to the nearest).
- ``width`` is within 1..500, or ``UNWRAPPED``: what ``from_term`` gives screen-reader
  mode unless the player set a width, so the server wraps nothing (whole paragraphs;
  the client or its speech wraps): a line broken at the client's width is spoken as
  two, mid-sentence ("(the drowned eel-catcher 3/11" / "HP)", played).
- ``charset`` is one of ``utf-8``, ``latin-1``, ``ascii`` (unknown names become ``ascii``,
  the one that can always be displayed).
"""

from __future__ import annotations

from attrs import field, frozen

from mud.core.events import TermInfo

TRUECOLOR = 16_777_216
COLOUR_DEPTHS: tuple[int, ...] = (0, 16, 256, TRUECOLOR)
MIN_WIDTH = 1
MAX_WIDTH = 500
#: The width of screen-reader mode: wider than any line the server makes, so none is
#: wrapped.
UNWRAPPED = 1_000_000
CHARSETS: tuple[str, ...] = ("utf-8", "latin-1", "ascii")

_CHARSET_ALIASES: dict[str, str] = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
    "iso_8859-1": "latin-1",
    "l1": "latin-1",
    "cp819": "latin-1",
    "ascii": "ascii",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
}


def norm_colours(value: int) -> int:
    """Round a colour count down to a supported depth (negative counts mean none)."""
    if value >= TRUECOLOR:
        return TRUECOLOR
    if value >= 256:
        return 256
    if value >= 16:
        return 16
    return 0


def clamp_width(value: int) -> int:
    """Clamp a terminal width to ``MIN_WIDTH..MAX_WIDTH``."""
    return max(MIN_WIDTH, min(MAX_WIDTH, value))


def _norm_width(value: int) -> int:
    """``clamp_width``, but ``UNWRAPPED`` (or more) is ``UNWRAPPED``."""
    return UNWRAPPED if value >= UNWRAPPED else clamp_width(value)


def norm_charset(value: str) -> str:
    """Map a charset name (any case, common aliases) to ``utf-8``/``latin-1``/``ascii``."""
    return _CHARSET_ALIASES.get(value.strip().lower(), "ascii")


@frozen(cache_hash=True)
class RenderProfile:
    """Rendering settings for one client: colour depth, width, screen reader, charset.

    Sessions build one from their ``TermInfo`` plus player overrides (``from_term``)
    and pass it to ``mud.render.doc.render``. Hashable (the hash is kept: it keys every
    rendering memo, once per receiver of a broadcast) and cheap to compare.
    """

    colours: int = field(default=16, converter=norm_colours)
    width: int = field(default=80, converter=_norm_width)
    screenreader: bool = False
    charset: str = field(default="utf-8", converter=norm_charset)

    @staticmethod
    def plain(width: int = 80) -> RenderProfile:
        """No colour, UTF-8, no screen reader: for logs, tests and dumb clients."""
        return RenderProfile(colours=0, width=width, screenreader=False, charset="utf-8")

    @staticmethod
    def from_term(
        term: TermInfo,
        *,
        colour: bool | None = None,
        screenreader: bool | None = None,
        width: int | None = None,
    ) -> RenderProfile:
        """The profile for a client's ``TermInfo`` with the player's overrides applied.

        ``colour`` False forces no colour, True keeps the terminal's depth (at least 16);
        ``screenreader`` None keeps the client's announcement; ``width`` None or 0 means
        the terminal's own width, but in screen-reader mode ``UNWRAPPED``: the player's
        own ``width`` still wraps there, the client's does not.
        """
        colours = term.colours
        if colour is False:
            colours = 0
        elif colour is True:
            colours = max(16, colours)
        reader = term.screenreader if screenreader is None else screenreader
        return RenderProfile(
            colours=colours,
            width=width if width else UNWRAPPED if reader else term.width,
            screenreader=reader,
            charset=term.charset,
        )

    @property
    def effective_colours(self) -> int:
        """The colour depth actually used: screen readers get none."""
        return 0 if self.screenreader else self.colours

    @property
    def boxes(self) -> bool:
        """Whether decorative boxes are drawn (colour terminal, no screen reader)."""
        return self.colours > 0 and not self.screenreader
