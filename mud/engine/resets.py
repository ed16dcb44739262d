"""Area resets, Diku-style, and items every player takes a copy of. Pure.

An area is the rooms of one pack that share an ``area`` name (``Room.area``; rooms with
none form the pack's own area), keyed ``pack:area``. A reset puts the area back as its
builder wrote it, for the next party: items missing from their starting rooms return
(moved back when they lie on another floor of the area, made anew when a player carries
them or they are gone), defeated NPCs whose home is in the area come back unless marked
``respawn: never`` (taking back what they dropped where they fell, if no one took it;
the wounded are healed), doors return to their starting state, shared secrets
there may be found again, and what lies where no builder put it is tidied away once it
has lain a whole reset period (``_tidy``; never what a quest asks players to hold, nor
what the world would not bring back). Nothing a player carries is touched. The
hub resets an area on its pack's schedule once no player is in it, or when an admin
types ``reset``; both go through ``reset_area``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc
from mud.engine import phrasing
from mud.engine.context import Ctx
from mud.engine.doors import the
from mud.engine.effects import (
    Audit,
    DestroyItem,
    Effect,
    ForgetFeatures,
    NoticeStrays,
    NpcUpdate,
    SetDoor,
    SpawnItem,
    Tell,
    ToRoom,
    Transfer,
)
from mud.engine.parser import Intent
from mud.engine.state import Character, World
from mud.render.grammar import definite, start
from mud.world.model import RESPAWN_NEVER, ResetRule, Room, Templates


def area_key(room: Room) -> str:
    """The key of the area ``room`` belongs to: ``pack:area`` (``pack:`` when none)."""
    return f"{room.pack}:{room.area}"


def area_name(templates: Templates, key: str) -> str:
    """What players call the area ``key``: its name, or its pack's when it has none."""
    pack, _, area = key.partition(":")
    if area:
        return area
    info = templates.packs.get(pack)
    return info.name if info is not None else pack


def areas(templates: Templates) -> dict[str, list[str]]:
    """Every area's key -> its room ids, in the order the rooms were read."""
    out: dict[str, list[str]] = {}
    for room in templates.rooms.values():
        out.setdefault(area_key(room), []).append(room.id)
    return out


def reset_rule(templates: Templates, key: str) -> ResetRule:
    """The reset rule of area ``key`` (from its pack's ``reset``)."""
    pack, _, area = key.partition(":")
    info = templates.packs.get(pack)
    return info.reset.rule(area) if info is not None else ResetRule()


def gone_for_now(world: World, npc_id: str, wall: float) -> str:
    """For a quest step that asks to defeat ``npc_id``: when it is dead, a sentence
    saying when it comes back ("The Drowned Warden is gone for now: it returns when
    Beneath the Mere resets, every 30 minutes once no one is there."), from its
    ``respawn`` and its area's reset rule, at wall time ``wall``; '' while it lives.
    Called by ``quests`` and the answer to "what now?" (a later party found the Warden
    dead and had no way to know it would come back). Pure."""
    npc = world.npcs.get(npc_id)
    tmpl = world.templates.npcs.get(npc_id)
    if npc is None or tmpl is None or npc.alive:
        return ""
    name = start(the(tmpl.name))
    if tmpl.respawn == RESPAWN_NEVER:
        return f"{name} is gone, and will not come back."
    if npc.respawn_at > 0:
        minutes = max(1, math.ceil((npc.respawn_at - wall) / 60))
        return f"{name} is gone for now: back in about {minutes} minute{'s' * (minutes > 1)}."
    home = world.templates.rooms.get(tmpl.room)
    if home is None:
        return f"{name} is gone for now."
    return f"{name} is gone for now: it returns {_when_back(world.templates, home)}."


def _when_back(templates: Templates, home: Room) -> str:
    """When what a reset brings back to ``home`` comes: "when Beneath the Mere resets,
    every 30 minutes once no one is there", or "when an admin resets <area>"."""
    key = area_key(home)
    area = area_name(templates, key)
    every = reset_rule(templates, key).every
    if every <= 0:
        return f"when an admin resets {area}"
    span = f"{every // 60} minutes" if every % 60 == 0 else f"{every} seconds"
    return f"when {area} resets, every {span} once no one is there"


def taken_from(world: World, template: str, room_id: str) -> str:
    """For an item the builder put in room ``room_id`` and someone has taken: that it
    is gone, and when another lies there ("The rusty key is gone from the Mill Loft:
    someone has it. Another lies there when Hollowmere resets, every 15 minutes once no
    one is there."); '' while one still lies there. Called by the answer to "where is
    the key?" (a later party found the loft empty, and the trapdoor locked). Pure."""
    room = world.templates.rooms.get(room_id)
    tmpl = world.templates.items.get(template)
    if room is None or tmpl is None or template not in room.items or tmpl.per_player:
        return ""  # (each takes their own of a per-player item: never gone for the next)
    if any(world.items[i].template == template for i in world.items_in_room(room_id)):
        return ""
    back = _when_back(world.templates, room)
    return (
        f"{start(the(tmpl.name))} is gone from {the(room.name)}: someone has it."
        f" Another lies there {back}."
    )


def occupied(world: World, rooms: list[str]) -> bool:
    """True when a player (playing or link-dead) is in one of ``rooms``."""
    return any(world.occupants.get(room) for room in rooms)


def reset_area(world: World, key: str, *, scheduled: bool = False) -> list[Effect]:
    """What resetting area ``key`` does, as effects (empty when the area is unknown).

    Called by the hub on schedule (``due_areas``, ``scheduled``) and by an admin's
    ``reset`` (at once). On the schedule, in an area some player is in, only the rooms
    no player is in reset, and a door with a player on either side (in this area or the
    next) is left as it is: the
    rooms of an area someone never leaves still come back for the next party (a player
    idling in the Bell Chamber kept the Drowned Warden dead for everyone).

    Items lying where no builder put them (dropped, left by a fight) are tidied away
    (``_tidy``), except what ``Templates.lasting`` keeps: on the schedule, those a reset
    before this one already found lying there (so a thing put down lies for one whole
    reset period at least); an admin's reset, all of them at once. An admin's reset of
    an area already as written produces nothing, so resetting twice changes nothing the
    second time (but the rooms hear the line again).
    """
    rooms = areas(world.templates).get(key)
    if not rooms:
        return []
    empty = [room for room in rooms if not world.occupants.get(room)]
    # An empty area resets whole, as an admin's reset does, but on the schedule not a
    # door with a player on its far side in another area (played: the last two players
    # forced the cellar trapdoor and went down, the Drowned Lantern, empty and past its
    # time, reset, and "The trapdoor shuts and a lock clicks." met them in the tunnel).
    if scheduled and len(empty) < len(rooms):
        rooms = empty
    in_area = set(rooms)
    effects: list[Effect] = []
    effects += _items(world, rooms)
    moving = frozenset(e.item for e in effects if isinstance(e, Transfer))
    effects += _npcs(world, in_area, moving, scheduled=scheduled)
    gone = frozenset(e.item for e in effects if isinstance(e, DestroyItem))
    effects += _tidy(world, rooms, moving | gone, at_once=not scheduled)
    effects += _doors(world, in_area, around_players=scheduled)
    forget = tuple(
        f.id
        for room in rooms
        for f in world.room(room).features.values()
        if f.shared and f.id in world.features_used
    ) + tuple(
        # A lasting action's mark (the first lantern, lit) is undone too.
        world.lasting_key(f.id)
        for room in rooms
        for f in world.room(room).features.values()
        if world.lasting_key(f.id) in world.features_used
    )
    if forget:
        effects.append(ForgetFeatures(forget))
    message = reset_rule(world.templates, key).message
    if message:
        effects += [ToRoom(room, Doc.text(styled("dim", message))) for room in rooms]
    return effects


def beyond_placed(world: World, room_id: str) -> Counter[str]:
    """Item template -> how many of it lie on room ``room_id``'s floor beyond what its
    builder listed in the room's ``items`` (strays, loot, finds). Pure."""
    lying = Counter(world.items[i].template for i in world.items_in_room(room_id))
    return lying - Counter(world.room(room_id).items)


def _items(world: World, rooms: list[str]) -> list[Effect]:
    """Items back in their starting rooms: strays from other floors of the area first."""
    templates = world.templates.items
    wanted = {room: Counter(world.room(room).items) for room in rooms}
    lying = {
        room: Counter(world.items[i].template for i in world.items_in_room(room)) for room in rooms
    }
    # Instances lying where the builder did not put them, which a reset may move back.
    strays: dict[str, list[tuple[str, str]]] = {}  # template -> [(room, item)]
    for room in rooms:
        surplus = lying[room] - wanted[room]  # beyond_placed, from the counts at hand
        for item in world.items_in_room(room):
            template = world.items[item].template
            if surplus[template] > 0:
                surplus[template] -= 1
                strays.setdefault(template, []).append((room, item))
    effects: list[Effect] = []
    for room in rooms:
        for template, count in (wanted[room] - lying[room]).items():
            if template not in templates:
                continue
            for _ in range(count):
                found = strays.get(template)
                if found:
                    source, item = found.pop(0)
                    effects.append(Transfer(item, f"room:{source}", f"room:{room}"))
                else:
                    effects.append(SpawnItem(template, f"room:{room}"))
    return effects


def _tidy(world: World, rooms: list[str], spared: frozenset[str], *, at_once: bool) -> list[Effect]:
    """Litter tidied from ``rooms``' floors: each item lying beyond what the builder
    placed there (``beyond_placed``, the latest put down first), of a template the world
    does not keep (``Templates.lasting``) and not in ``spared`` (moving home, or already
    taken back by a returning foe), in a room no player is in. ``at_once``: destroyed
    now; else destroyed only when a reset before found it on the same floor
    (``World.strays``), and the rest noticed for the next (``NoticeStrays``). A
    player's dropped dagger, the spare key a reset made while the first lay in another
    area: gone after a reset period, where nobody stands to see it go."""
    lasting = world.templates.lasting
    effects: list[Effect] = []
    noticed: list[tuple[str, str]] = []
    for room in rooms:
        if world.occupants.get(room):
            continue  # not from under a player's eyes (nor an admin's reset of it)
        surplus = beyond_placed(world, room)
        for item in reversed(world.items_in_room(room)):
            template = world.items[item].template
            if surplus[template] <= 0:
                continue
            surplus[template] -= 1
            if template in lasting or item in spared:
                continue
            if at_once or world.strays.get(item) == room:
                effects.append(DestroyItem(item))
            else:
                noticed.append((item, room))
    if noticed:
        effects.append(NoticeStrays(tuple(noticed)))
    return effects


def left_behind(world: World, npc_id: str, *, moving: frozenset[str] = frozenset()) -> list[Effect]:
    """What defeated NPC ``npc_id`` left where it fell (its ``drops`` and ``carries``),
    taken back as it comes back: a ``DestroyItem`` for each such item still lying there,
    one per entry, beyond what the builder put in that room; none of ``moving`` (items a
    reset is moving home). Nothing while a player is in that room (they can see it and
    take it), and nothing for a living NPC. Called by ``reset_area`` and
    ``reactions.respawn``: the Lamplighter dropped Ysolde's lantern at every defeat, and
    the Hall of Lanterns showed "Ysolde's lantern and Ysolde's lantern" after two parties.
    """
    npc = world.npcs.get(npc_id)
    tmpl = world.templates.npcs.get(npc_id)
    if npc is None or tmpl is None or npc.alive or world.occupants.get(npc.room):
        return []
    if npc.room not in world.templates.rooms:
        return []
    # Of each template, only what lies beyond the builder's own: theirs stays.
    take = Counter(tmpl.drops + tmpl.carries) & beyond_placed(world, npc.room)
    effects: list[Effect] = []
    for item in reversed(world.items_in_room(npc.room)):  # the latest drops first
        template = world.items[item].template
        if take.get(template, 0) > 0 and item not in moving:
            take[template] -= 1
            effects.append(DestroyItem(item))
    return effects


def as_built(npc_id: str, **changes: Any) -> NpcUpdate:
    """``changes`` to NPC ``npc_id`` as it comes back (a respawn, a reset), with what
    thieves did to it undone: its guard down, its purse filled, its grudges forgotten
    (``mud.engine.theft``). One place, so a new mark of theirs is undone everywhere."""
    return NpcUpdate(npc_id, wary=False, emptied=False, grudges=(), **changes)


def _npcs(
    world: World, rooms: set[str], moving: frozenset[str], *, scheduled: bool
) -> list[Effect]:
    """Defeated NPCs of the area back home (unless gone for good) with what they left
    where they fell taken back (``left_behind``), the wounded healed, purses a
    pickpocket tried or emptied as they were, and those brought away and left
    (``mud.engine.escort``) home again. On the schedule, one brought away goes home
    from under no player's eyes the first time: with a player in the room where they
    stand they stay, noticed (``NoticeStrays``), and the next scheduled reset takes
    them home, watched or not (so a regular of the inn cannot keep them from the next
    party)."""
    effects: list[Effect] = []
    watched: list[tuple[str, str]] = []
    fighting = {c.id[2:] for f in world.fights.values() for c in f.fighters}
    for npc_id, tmpl in world.templates.npcs.items():
        npc = world.npcs.get(npc_id)
        if npc is None or tmpl.room not in rooms or npc_id in fighting:
            continue
        full = tmpl.full_hp
        if not npc.alive:
            if tmpl.respawn == RESPAWN_NEVER:
                continue
            effects += left_behind(world, npc_id, moving=moving)
            effects.append(as_built(npc_id, alive=True, hp=full, room=tmpl.room, respawn_at=0.0))
        elif npc.hp < full or npc.wary or npc.emptied or npc.grudges:
            effects.append(as_built(npc_id, hp=full))  # healed, and as thieves found it
        if npc.alive and tmpl.escort is not None and npc.room != tmpl.room:
            if npc_id in world.escorts:
                continue  # being brought somewhere: the walk goes on
            if (
                scheduled
                and world.occupants.get(npc.room)
                and world.stray_npcs.get(npc_id) != npc.room
            ):
                # Played: the party that had just walked Edda home to the inn read
                # "Edda Venn leaves." a minute later, as the mere below them reset.
                watched.append((npc_id, npc.room))
                continue
            # Brought away and left there (Edda at the inn): home again for the next party.
            name = tag("npc", esc(start(definite(tmpl.name))))
            effects += [
                ToRoom(npc.room, Doc.text(f"{name} leaves.")),
                NpcUpdate(npc_id, room=tmpl.room),
            ]
    if watched:
        effects.append(NoticeStrays((), tuple(watched)))
    return effects


def _doors(world: World, rooms: set[str], *, around_players: bool) -> list[Effect]:
    """Doors of the area (by the room their id names) back as the builder wrote them;
    ``around_players`` (on the schedule): except one that opens on a room a player is
    in, of this area or another (no one is shut in or out by a reset around them)."""
    effects: list[Effect] = []
    seen: set[str] = set()
    for room_id in sorted(rooms):
        for ex in world.room(room_id).exits:
            door = ex.door
            if door is None or not door.id or door.id in seen:
                continue
            seen.add(door.id)
            if door.id.rpartition(":")[0] not in rooms:
                continue  # the other side's area resets it
            if around_players and world.occupants.get(ex.to):
                continue
            state = world.door(door)
            if (state.closed, state.locked) != (door.closed, door.locked):
                effects.append(SetDoor(door.id, door.closed, door.locked))
                if ex.to not in rooms:
                    # The other side is another area's: it still sees its door change.
                    name = esc(the(door.name))
                    what = "shuts" if door.closed and not state.closed else "changes"
                    if door.locked and not state.locked:
                        what = "shuts and a lock clicks" if not state.closed else "clicks, locked"
                    line = f"{name[:1].upper()}{name[1:]} {what}."
                    effects.append(ToRoom(ex.to, Doc.text(styled("dim", line))))
    return effects


def find_area(templates: Templates, words: str, here: str) -> list[str]:
    """The area keys that ``words`` names: ``""`` or ``here`` -> the area of room
    ``here``; ``all`` -> every area; else areas whose name starts with the words."""
    target = words.strip().lower()
    every = areas(templates)
    if target in ("", "here"):
        room = templates.rooms.get(here)
        return [area_key(room)] if room is not None else []
    if target == "all":
        return list(every)
    exact = [k for k in every if area_name(templates, k).lower() == target]
    if exact:
        return exact
    return [k for k in every if area_name(templates, k).lower().startswith(target)]


def cmd_reset(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """reset [area | all]

    (admin) Reset an area now, players or not: items back where they started, defeated
    foes back (unless gone for good), doors shut and locked as built. Without an area,
    the one you stand in.
    """
    keys = find_area(world.templates, intent.args, actor.room)
    if not keys:
        names = sorted({area_name(world.templates, k) for k in areas(world.templates)})
        return [
            Tell(
                actor.key,
                Doc.text(
                    styled("error", f"No area called '{intent.args.strip()}'. Areas: ")
                    + esc(", ".join(names))
                ),
            )
        ]
    effects: list[Effect] = []
    for key in keys:
        effects += reset_area(world, key)
    shown = ", ".join(area_name(world.templates, k) for k in keys)
    effects.append(Tell(actor.key, Doc.text(tag("good", esc(f"Reset: {shown}.")))))
    effects.append(Audit(actor.key, "reset", shown))
    return effects


def take_own_copy(world: World, actor: Character, item: str) -> list[Effect]:
    """Picking up a ``unique: per_player`` item: the player gets a copy of their own and
    the one in the room stays for the next player; one copy each."""
    tmpl = world.item_template(item)
    if any(world.items[i].template == tmpl.id for i in actor.inventory if i in world.items):
        return [Tell(actor.key, Doc.text(styled("error", f"You already have your {tmpl.name}.")))]
    # The words first: what holding it sets off (a quest step) reads after them.
    return [
        *phrasing.act(actor, "{actor} {v:pick up} {item}.", item=phrasing.item_a(tmpl.name)),
        SpawnItem(tmpl.id, f"char:{actor.key}"),
    ]


def schedule(templates: Templates) -> Mapping[str, int]:
    """Area key -> seconds between scheduled resets, for areas that have them."""
    out: dict[str, int] = {}
    for key in areas(templates):
        every = reset_rule(templates, key).every
        if every > 0:
            out[key] = every
    return out


__all__ = [
    "area_key",
    "area_name",
    "areas",
    "beyond_placed",
    "cmd_reset",
    "due_areas",
    "find_area",
    "left_behind",
    "occupied",
    "reset_area",
    "reset_rule",
    "schedule",
    "take_own_copy",
]


def next_due(wall: float, period: int) -> float:
    """The first multiple of ``period`` seconds after wall time ``wall``: when an area
    of that period is next due. Kept to the clock, not to when the server started: a
    server restarted more often than the period (a deploy every 20 minutes, resets every
    30) still resets; counted from each start, the Drowned Warden stayed dead and the
    iron door open for days of play. Pure."""
    return (math.floor(wall / period) + 1) * float(period)


def due_areas(
    world: World, due: Mapping[str, float], wall: float
) -> tuple[list[str], dict[str, float]]:
    """Which areas reset now, and when each area's next reset is due.

    Called by the hub on every tick with the due times it keeps (wall-clock seconds;
    an area not in ``due`` yet is first due at the next multiple of its period,
    ``next_due``). An area whose time has come resets when no player is in it;
    otherwise it waits, and resets on the first tick it is empty, or, once it has waited
    a whole period more, around the players still there (the hub resets with
    ``scheduled``). Returns (area keys to reset now, the new due times).
    """
    every = schedule(world.templates)
    rooms = areas(world.templates)
    now_due: list[str] = []
    new: dict[str, float] = {}
    for key, period in every.items():
        when = due.get(key, next_due(wall, period))
        if wall >= when and (not occupied(world, rooms[key]) or wall >= when + period):
            now_due.append(key)
            when = next_due(wall, period)
        new[key] = when
    return now_due, new
