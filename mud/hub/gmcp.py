"""GMCP projections: what clients' gauges, maps and chat windows are sent. Pure.

One job: turn the world, as it is now, into the JSON payloads of the out-of-band
packages the hub sends (``Room.Info``, ``Char.Vitals``, ``Char.Status``,
``Char.Items.List``, ``Comm.Channel.Text``). Each function takes the world (and a
character key or the values it needs) and returns ``(package, payload)`` with a
JSON-serialisable payload, or None when the character is not in the world. The hub
wraps the result in ``mud.hub.outputs.Data`` for the character's connection.

No I/O, no clock, no randomness; the world is only read.
"""

from __future__ import annotations

import zlib
from typing import Any

from mud.engine.state import World, reads_aloud
from mud.engine.views import exit_visible

Package = tuple[str, dict[str, Any]]


def room_number(room_id: str) -> int:
    """A stable positive integer for a room id (GMCP ``Room.Info.num`` for automappers)."""
    return zlib.crc32(room_id.encode("utf-8")) & 0x7FFFFFFF


def room_info(world: World, key: str) -> Package | None:
    """``Room.Info`` for the room character ``key`` is in: its number, name, area, zone
    and the numbers of the rooms its exits lead to, those ``key`` can see: a hidden way
    once they found it (played in the browser: the stair down from the Sunken Shrine,
    the campaign's way on, never got a button)."""
    char = world.chars.get(key)
    if char is None:
        return None
    room = world.room(char.room)
    return (
        "Room.Info",
        {
            "num": room_number(room.id),
            "name": room.name,
            "area": room.area or room.pack,
            "zone": room.pack,
            "exits": {
                e.direction: room_number(e.to)
                for e in room.exits
                if exit_visible(world, room.id, e.direction, e.hidden, key)
            },
        },
    )


def char_items(world: World, key: str) -> Package | None:
    """``Char.Items.List`` for character ``key``'s inventory (item ids and names)."""
    char = world.chars.get(key)
    if char is None:
        return None
    items = [
        {"id": i, "name": world.item_template(i).name} for i in char.inventory if i in world.items
    ]
    return ("Char.Items.List", {"location": "inv", "items": items})


def char_vitals(world: World, key: str) -> Package | None:
    """``Char.Vitals``: hit points, their maximum, and whether the character is down."""
    char = world.chars.get(key)
    if char is None:
        return None
    return ("Char.Vitals", {"hp": char.hp, "maxhp": char.max_hp, "down": char.down})


def char_status(world: World, key: str) -> Package | None:
    """``Char.Status``: name, class name, level, experience and gold."""
    char = world.chars.get(key)
    if char is None:
        return None
    cls = world.templates.classes.get(char.cls)
    return (
        "Char.Status",
        {
            "name": char.name,
            "class": cls.name if cls else "",
            "level": char.level,
            "experience": char.xp,
            "gold": char.gold,
        },
    )


def char_settings(world: World, key: str) -> Package | None:
    """``Char.Settings``: the player's settings a client may show (``screenreader``:
    whether the game reads to them linearly, their own choice or their client's)."""
    char = world.chars.get(key)
    if char is None:
        return None
    return ("Char.Settings", {"screenreader": reads_aloud(char)})


def channel_text(channel: str, talker: str, text: str) -> Package:
    """``Comm.Channel.Text``: one line of talk (or a finished narration) for chat windows."""
    return ("Comm.Channel.Text", {"channel": channel, "talker": talker, "text": text})


__all__ = [
    "channel_text",
    "char_items",
    "char_settings",
    "char_status",
    "char_vitals",
    "room_info",
    "room_number",
]
