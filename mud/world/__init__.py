"""The world's content: frozen templates (``mud.world.model``) and the pack loader
(``mud.world.loader``, the only module that reads YAML).

Pure code: nothing here touches sockets, clocks or randomness; only the loader reads
files, and only pack files.
"""

from mud.world.model import (
    DIRECTION_ALIASES,
    DIRECTIONS,
    OPPOSITE,
    Exit,
    ItemTemplate,
    PackInfo,
    Room,
    Templates,
    canonical_direction,
)

__all__ = [
    "DIRECTIONS",
    "DIRECTION_ALIASES",
    "OPPOSITE",
    "Exit",
    "ItemTemplate",
    "PackInfo",
    "Room",
    "Templates",
    "canonical_direction",
]
