"""Pure rendering for terminals: sanitising, markup to ANSI, wrapping, Docs to text.

Modules: ``profile`` (RenderProfile), ``sanitize`` (clean, StreamCleaner), ``ansi``
(parse markup into runs, palettes), ``wrap`` (visible width, word wrap), ``doc`` (render,
render_lines, encode), ``stream`` (LineAssembler), ``banner`` (BANNER). Nothing here
awaits, touches files or sockets, or keeps mutable global state beyond bounded
memoisation caches.
"""

from mud.render.doc import encode, render, render_lines
from mud.render.profile import RenderProfile
from mud.render.sanitize import StreamCleaner, clean
from mud.render.stream import LineAssembler

__all__ = [
    "LineAssembler",
    "RenderProfile",
    "StreamCleaner",
    "clean",
    "encode",
    "render",
    "render_lines",
]
