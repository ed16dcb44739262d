"""The mutable world: who is where, what lies where. Owned and mutated by the hub only.

Command handlers receive a ``World`` to *read*; they never mutate it (they return
effects). The hub applies effects through the mutation methods here, which keep the
indexes consistent:

- every item instance is in exactly one place: a room's floor, a character's pack or a
  shopkeeper's second-hand stock;
- ``occupants[room]`` lists exactly the in-world characters whose ``room`` is that room,
  except those ``waiting`` to enter (a new character choosing its class): those are in
  ``chars`` (their saves, ticks and who-list go on) but nobody in the room sees or hears
  them until ``arrive``.

Persistence is explicit: ``character_json``/``room_items_json`` produce what the store
keeps, and ``restore_*`` read it back. Unknown template ids in saved data (a pack that
changed) are dropped rather than crashing the load.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import define, field

from mud.core.ops import DeleteParty, PutParty
from mud.world.model import (
    Door,
    Feature,
    ItemTemplate,
    Later,
    QuestStep,
    QuestTemplate,
    Room,
    Templates,
    later_description,
)

if TYPE_CHECKING:
    from mud.engine.effects import CharUpdate, NpcUpdate

#: The party tables the store keeps (``World.set_party``), so that a restart finds them
#: as they were and a write that fails can be undone (invitations too). ``haggled`` is
#: kept so that a bargain won survives a restart and a haggle lost is not rolled again
#: by waiting for one (``mud.engine.haggle.stale`` forgets the old entries at start).
PARTY_KEPT = ("following", "group", "invite", "turn", "haggled")


@define
class ItemInstance:
    id: str
    template: str


@define
class Character:
    """A character in the world (playing or link-dead), with its sheet.

    ``cls`` is "" until the player has chosen a class (the sheet is then empty).
    ``equipment`` maps a slot (weapon, armour, shield) to an item instance that is also
    in ``inventory``. ``quests`` maps a quest id to the index of its next step, or -1
    when done. ``revealed`` holds ``room:direction`` exits this character has found.
    ``deeds`` holds what the character has done that a quest may ask for later
    (``defeat:<npc>``, ``check:<feature>``, ``hold:<item>`` for items quests ask for),
    so a step already done counts when its quest opens, and their last fall in a fight
    (``fell:<room>|<carried to>|<the foes>``, for "what happened?" on waking).
    ``visited`` holds the rooms the character has stood in, in the order first entered
    (the DM sets a scene on a first visit, not on every pass through). ``powers_used``
    counts the uses of each of the class's powers since the last long rest (by power
    id). ``pose`` is how the character is placed ("sitting by the fire"; "" standing,
    ``mud.engine.poses``): shown in the room's view, ended by walking, a fight or
    falling, and never saved; ``pose_with`` is the key of the player it names ("sitting
    with Rowan"), "" for none. ``hidden`` is the total of the stealth roll that hid the
    character (``mud.engine.stealth``), 0 when in plain sight; like ``pose`` it is never
    saved. ``away`` is the message of a player away from the keyboard ("" at it;
    ``mud.engine.presence``), and ``missed`` what was told them meanwhile, to read when
    they are back; neither is saved. ``reader`` is whether the player's client announces
    a screen reader (the MTTS flag), set by the hub from the connection and never
    saved; ``screenreader`` is the player's own choice (None: as the client says), and
    ``reads_aloud`` the two together. ``told_by`` is the name of the last player who
    sent them a tell or a whisper (``reply`` answers them), and ``told_since`` the names
    of those who told them something since they last told anyone (the last two kept:
    with two, ``reply`` asks which is meant); never saved. ``told_fresh``: a tell came
    and they have said nothing of their own since (chat's "r" is then ``reply``).
    """

    key: str
    name: str
    room: str
    inventory: list[str] = field(factory=list)
    is_admin: bool = False
    colour: bool | None = None
    screenreader: bool | None = None
    width: int = 0
    extra: dict[str, Any] = field(factory=dict)
    cls: str = ""
    level: int = 1
    xp: int = 0
    hp: int = 0
    max_hp: int = 0
    abilities: dict[str, int] = field(factory=dict)
    gold: int = 0
    equipment: dict[str, str] = field(factory=dict)
    conditions: list[tuple[str, int]] = field(factory=list)
    quests: dict[str, int] = field(factory=dict)
    revealed: list[str] = field(factory=list)
    hit_dice: int = 1
    down: bool = False
    saves: tuple[int, int] = (0, 0)
    deeds: list[str] = field(factory=list)
    visited: list[str] = field(factory=list)
    powers_used: dict[str, int] = field(factory=dict)
    pose: str = ""
    pose_with: str = ""
    hidden: int = 0
    away: str = ""
    missed: tuple[str, ...] = ()
    reader: bool = False
    told_by: str = ""  # the name of the last player who told this one something (reply)
    told_since: tuple[str, ...] = ()  # who told them something since they last told anyone
    told_fresh: bool = False  # a tell came and they have said nothing since ("r" replies)


def reads_aloud(char: Character) -> bool:
    """Whether ``char`` plays in screen-reader mode: their own ``screenreader on|off``,
    else what their client announces (``reader``). The session decides the same from
    the same two (``RenderProfile.from_term``); the rules ask this (a longer fight turn)."""
    return char.reader if char.screenreader is None else char.screenreader


def _set_extra(char: Character, name: str, value: object) -> None:
    """Set ``char.extra[name]`` to ``value``, or remove it for an empty one, in a new
    dict (as ``update_prefs`` does: the old one is never changed in place)."""
    extra = {k: v for k, v in char.extra.items() if k != name}
    char.extra = {**extra, name: value} if value else extra


def quiet(char: Character) -> tuple[str, ...]:
    """The channels ``char`` has turned off (``channels ooc off``; saved in ``extra``)."""
    chans = char.extra.get("quiet")
    return tuple(str(c) for c in chans) if isinstance(chans, list) else ()


def ignoring(char: Character) -> tuple[str, ...]:
    """The keys of the players ``char`` ignores (``ignore``; saved in ``extra``)."""
    keys = char.extra.get("ignoring")
    return tuple(str(k) for k in keys) if isinstance(keys, list) else ()


#: The deed a fall in a fight and the carrying back leave, the last fall only:
#: ``fell:<room>|<carried to>|<the foes>`` (``answers.fall_asked``).
FELL = "fell:"


def last_fall(char: Character) -> str:
    """``char``'s last fall (its ``FELL`` deed), or "". Pure."""
    return next((d for d in reversed(char.deeds) if d.startswith(FELL)), "")


def with_deeds(deeds: list[str], added: Iterable[str]) -> list[str]:
    """``deeds`` with ``added`` after them: a deed already there is not added twice, and a
    fall (``FELL``) takes the place of the one before. Pure; ``World.update_char`` calls it
    for ``CharUpdate.add_deeds``.

    Deeds are only ever added, by effects that name the new ones: an update carrying a
    whole list read when the effect was made could overwrite what another effect of the
    same turn added (played: a bound Lamp-Keeper's fall, set after the fight's spoils,
    erased the Warden's kill from his deeds and his quest asked for it again)."""
    out = list(deeds)
    for deed in added:
        if deed.startswith(FELL):
            out = [d for d in out if not d.startswith(FELL)]
        if deed not in out:
            out.append(deed)
    return out


#: Character fields a saved state carries (``World.revert`` copies them back).
_REVERTED_FIELDS = (
    "inventory", "colour", "screenreader", "width", "extra", "cls", "level", "xp", "hp",
    "max_hp", "abilities", "gold", "equipment", "conditions", "quests", "revealed",
    "hit_dice", "down", "deeds", "visited", "powers_used",
)  # fmt: skip


@define
class DoorState:
    """A door as it is now: ``closed`` and ``locked`` (a locked door is closed)."""

    closed: bool
    locked: bool


def _theft_marks(data: Mapping[str, Any]) -> tuple[bool, bool, list[str]]:
    """An NPC's saved ``wary``, ``emptied`` and ``grudges`` (``NpcState``; absent from
    the rows of NPCs no one has stolen from)."""
    return (
        bool(data.get("wary", False)),
        bool(data.get("emptied", False)),
        [str(k) for k in data.get("grudges", [])],
    )


@define
class NpcState:
    """A live NPC: where it is, how hurt, whether dead and when it comes back. ``wary``:
    someone has tried its purse (``mud.engine.theft.pickpocket``), ``emptied``: its
    coins were taken, ``grudges``: the keys of the thieves it caught (a shopkeeper will
    not trade with them); all last until it comes back or its area resets."""

    id: str
    room: str
    hp: int
    alive: bool = True
    respawn_at: float = 0.0
    conditions: list[tuple[str, int]] = field(factory=list)
    wary: bool = False
    emptied: bool = False
    grudges: list[str] = field(factory=list)


#: Ends the key in ``World.features_used`` of a feature whose lasting action is done.
LASTING = "#done"


class World:
    """Templates plus the live state. See the module docstring for the invariants."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        self.items: dict[str, ItemInstance] = {}
        self.floor: dict[str, list[str]] = {}
        self.chars: dict[str, Character] = {}
        self.occupants: dict[str, list[str]] = {}
        # Characters loaded but not yet in their room (``place(..., waiting=True)``).
        self.waiting: set[str] = set()
        # Characters in the world whose player's connection dropped (the hub's record,
        # read here so a look can say so; the hub sets it once).
        self.linkdead: Container[str] = frozenset()
        self.next_item = 1
        self.dirty_rooms: set[str] = set()
        self.npcs: dict[str, NpcState] = {}
        self.dirty_npcs: set[str] = set()
        self.features_used: set[str] = set()
        # Item id -> the floor a scheduled reset found it lying on where no builder put
        # it; the next scheduled reset tidies it if it still lies there
        # (``mud.engine.resets``). Not persisted: a restart only puts the tidy off by one
        # reset. An item that is moved or destroyed leaves it.
        self.strays: dict[str, str] = {}
        # NPC id -> the room a scheduled reset found it in, brought away from home and
        # left there with a player beside it: spared then, taken home by the next
        # (``mud.engine.resets``). Not persisted, as ``strays``. It moving leaves it.
        self.stray_npcs: dict[str, str] = {}
        # Character key -> the item another player last handed them: what "it" means
        # when their lines named nothing ("drink it" after being given a potion). Not
        # persisted.
        self.handed: dict[str, str] = {}
        # Character key -> the player who handed them that (``handed``): whom a bare
        # "thanks!" thanks. Not persisted.
        self.handed_by: dict[str, str] = {}
        # door id -> its state, for doors that are not as the builder wrote them
        self.doors: dict[str, DoorState] = {}
        self.dirty_doors: set[str] = set()
        self.fights: dict[str, Any] = {}  # room -> mud.engine.fight.Fight (not persisted)
        # item id -> (the keys of the players it is kept for, until when (monotonic)):
        # what a foe left, for those who felled it (``SpawnItem.claim``; not persisted).
        self.claims: dict[str, tuple[tuple[str, ...], float]] = {}
        # Shopkeeper NPC id -> item instances sold to them, for sale again (not persisted:
        # a restart empties the second-hand shelves).
        self.stock: dict[str, list[str]] = {}
        # Character key -> (the room they last walked out of, the way they went), for
        # "follow Wynn" just after Wynn left, "go back", "sneak ahead" (saved as the
        # character's ``extra["came"]``, and known again when it is placed).
        self.last_way: dict[str, tuple[str, str]] = {}
        # Parties (mud.engine.party). They end when their players leave the game, but a
        # restart keeps them: members who log back in are grouped again. Entries changed
        # since the last ``party_ops``:
        self.following: dict[str, str] = {}  # follower key -> the key they follow
        self.groups: dict[str, str] = {}  # member key -> leader key (the leader's own too)
        self.invites: dict[str, str] = {}  # invited key -> the inviting leader's key
        # A group's leader (or one in none) -> the player who last asked to join them
        # ("join wynn", "can I join you?"): their yes makes it so. Not persisted.
        self.join_asks: dict[str, str] = {}
        # A player -> when (monotonic seconds) they last spoke on ooc, which the whole
        # world hears (``commands.cmd_ooc``). Not persisted.
        self.ooc_at: dict[str, str] = {}
        # An invited player -> "1" once a question was put to them after the invitation:
        # their yes answers that, and only 'group accept' takes the invitation. Played by
        # a griefer: "group invite vic", then "vic, want some stew?", and her "yes
        # please, I'm starving" joined his group; he walked her into a fight and fled.
        # Not persisted.
        self.overtaken: dict[str, str] = {}
        # A player -> "<giver key>|<item id>": the thing another player last offered
        # them in words ("want my potion, ann?"); their yes takes it. Not persisted.
        self.offers: dict[str, str] = {}
        # An NPC id -> the player bringing them along (``mud.engine.escort``). Kept in
        # the NPC's own row (``npc_json``): played, a restart mid-way home left Edda
        # standing on the marsh path while her rescuers walked on without her.
        self.escorts: dict[str, str] = {}
        # A player -> "<key>|<monotonic seconds>": the player who last asked them
        # something aloud ("Corwin asks you, ..."), and when; their next words said,
        # naming no one, answer that player. Not persisted.
        self.questions: dict[str, str] = {}
        # An NPC id -> the wander turns it stays put for, having just been spoken to
        # (``mud.engine.reactions.wander``): no one walks off mid-conversation. Not
        # persisted.
        self.engaged: dict[str, int] = {}
        # A room -> "<key>|<line>": the last deed a player tried there that the rules
        # rolled ("search the hearth"), for another's "let me try" (``commands``). Not
        # persisted.
        self.tried: dict[str, str] = {}
        # A player's key -> the hint they were given once (``commands``: "pronouns", of
        # how the room reads their own words). Not persisted: once a run at most.
        self.hinted: dict[str, str] = {}
        # A room -> "<key>|<count>|<wall seconds>|<item name>": the last thing a player
        # bought there, and when, for another's "one for me too" (``commands``). Not
        # persisted.
        self.bought: dict[str, str] = {}
        # A player's key -> "<room>|<wall seconds>|<target room>": the walk to a place a
        # fight stopped, where and when, for their "let's go" after it (``commands``).
        # Not persisted.
        self.walks: dict[str, str] = {}
        # "<player key>|<shopkeeper id>" -> "<per cent off>|<wall seconds>": the last
        # haggle, won or lost, and a bargain not yet spent (``mud.engine.haggle``). Kept
        # in the store.
        self.haggled: dict[str, str] = {}
        # A player's key -> the keys of the players in the world who ignore them
        # (``mud.engine.presence``; each ignorer's own list is in their saved
        # ``Character.extra["ignoring"]``). Kept as they come and go.
        self.ignored_by: dict[str, set[str]] = {}
        self.turns: dict[str, int] = {}  # "alice+bob" -> who gets the next odd coin
        self.dirty_party: set[tuple[str, str]] = set()  # (table, key)

    # -- reading ---------------------------------------------------------------------

    def room(self, room_id: str) -> Room:
        """The room template; falls back to the start room for ids a reload removed."""
        rooms = self.templates.rooms
        return rooms.get(room_id) or rooms[self.templates.start]

    def room_text(self, room_id: str, key: str) -> str:
        """The description of room ``room_id`` as the character ``key`` reads it now:
        the last of its ``later`` texts that holds, by the quests they have finished and
        the NPCs in the room (``Room.description_for``), else its own. Pure."""
        room = self.room(room_id)
        if not room.later:
            return room.description
        return room.description_for(
            self._finished(key), self._present(room.id), self._done(), self._brought()
        )

    def feature_text(self, feature: Feature, key: str) -> str:
        """The description of ``feature`` as the character ``key`` reads it now, as
        ``room_text`` has a room's. Pure."""
        if not feature.later:
            return feature.description
        return feature.description_for(
            self._finished(key), self._present(feature.room), self._done(), self._brought()
        )

    def quest_text(self, quest: QuestTemplate, key: str, arriving: Container[str] = ()) -> str:
        """The description of ``quest`` as the character ``key`` reads it now, as
        ``room_text`` has a room's (``while_here``: an NPC in the room they stand in);
        the NPCs ``arriving`` (ids), brought home this very turn, count as not brought
        before (their own guide's story is not "brought down by others"). Pure."""
        return self._later_text(quest.description, quest.later, key, arriving)

    def quest_ending(self, quest: QuestTemplate, key: str, arriving: Container[str] = ()) -> str:
        """The ending of ``quest`` as the character ``key`` reads it now, as
        ``quest_text`` has its description. Pure."""
        return self._later_text(quest.ending, quest.later_ending, key, arriving)

    def step_text(self, step: QuestStep, key: str, arriving: Container[str] = ()) -> str:
        """The text of the quest step ``step`` as the character ``key`` reads it now, as
        ``quest_text`` has a quest's. Pure."""
        return self._later_text(step.text, step.later, key, arriving)

    def _later_text(
        self, first: str, later: Sequence[Later], key: str, arriving: Container[str]
    ) -> str:
        if not later:
            return first
        char = self.chars.get(key)
        present = self._present(char.room) if char is not None else frozenset()
        brought = frozenset(n for n in self._brought() if n not in arriving)
        return later_description(first, later, self._finished(key), present, self._done(), brought)

    def lasting_key(self, feature_id: str) -> str:
        """The key in ``features_used`` that marks the lasting action of the feature
        ``feature_id`` done (``FeatureAction.lasts``), until its area resets. Pure."""
        return feature_id + LASTING

    def _done(self) -> frozenset[str]:
        return frozenset(k[: -len(LASTING)] for k in self.features_used if k.endswith(LASTING))

    def _finished(self, key: str) -> frozenset[str]:
        char = self.chars.get(key)
        quests = char.quests if char is not None else {}
        return frozenset(q for q, step in quests.items() if step == -1)

    def _present(self, room_id: str) -> frozenset[str]:
        return frozenset(n.id for n in self.npcs_in(room_id))

    def _brought(self) -> frozenset[str]:
        """The NPCs (ids) standing, alive, where their escorts bring them (``Escort.to``):
        Pell by the Hospice fire."""
        npcs = self.templates.npcs
        return frozenset(
            n.id
            for n in self.npcs.values()
            if n.alive
            and (escort := npcs[n.id].escort if n.id in npcs else None) is not None
            and n.room == escort.to
        )

    def door(self, door: Door) -> DoorState:
        """The live state of ``door`` (as the builder wrote it until someone changes it)."""
        state = self.doors.get(door.id)
        return state if state is not None else DoorState(door.closed, door.locked)

    def set_door(self, door_id: str, closed: bool, locked: bool) -> None:
        """Change a door's state (hub only); both sides share it, being one door."""
        self.doors[door_id] = DoorState(closed, locked)
        self.dirty_doors.add(door_id)

    def door_json(self, door_id: str) -> str:
        state = self.doors[door_id]
        return json.dumps({"closed": state.closed, "locked": state.locked}, separators=(",", ":"))

    def revert_door(self, door_id: str, text: str | None) -> None:
        """Put a door back to a saved state (its last committed JSON; None: never
        changed, so as the builder wrote it): the hub's undo."""
        self.doors.pop(door_id, None)
        if text is not None:
            self.restore_doors({f"door:{door_id}": text})
        self.dirty_doors.discard(door_id)

    def restore_doors(self, saved: dict[str, str]) -> None:
        """Door states from ``door:<id>`` rows; doors the packs no longer have are dropped."""
        known = {e.door.id for r in self.templates.rooms.values() for e in r.exits if e.door}
        for key, text in saved.items():
            if key.startswith("door:") and key[5:] in known:
                data = json.loads(text)
                locked = bool(data.get("locked"))
                self.doors[key[5:]] = DoorState(bool(data.get("closed")) or locked, locked)

    def item_template(self, item_id: str) -> ItemTemplate:
        return self.templates.items[self.items[item_id].template]

    def items_in_room(self, room_id: str) -> list[str]:
        return self.floor.get(room_id, [])

    def people_in(self, room_id: str) -> list[Character]:
        return [self.chars[k] for k in self.occupants.get(room_id, ())]

    def npcs_in(self, room_id: str) -> list[NpcState]:
        """Living NPCs in a room, in template order."""
        return [n for n in self.npcs.values() if n.alive and n.room == room_id]

    # -- mutation (hub only) ---------------------------------------------------------

    def new_item(self, template: str) -> str:
        item_id = f"i{self.next_item}"
        self.next_item += 1
        self.items[item_id] = ItemInstance(item_id, template)
        return item_id

    def seed_rooms(self, besides: Collection[str] = ()) -> None:
        """Place every room's starting items (used for a fresh world), but those of the
        rooms ``besides``."""
        for room in self.templates.rooms.values():
            if room.id in besides:
                continue
            for template in room.items:
                if template in self.templates.items:
                    self.floor.setdefault(room.id, []).append(self.new_item(template))
            if room.items:
                self.dirty_rooms.add(room.id)

    def place(self, char: Character, *, waiting: bool = False) -> None:
        """Put a character into the world at ``char.room`` (validated). ``waiting``: it
        is loaded but not yet in the room (it has a choice to make first); ``arrive``
        puts it there."""
        if char.room not in self.templates.rooms:
            char.room = self.templates.start
        self.chars[char.key] = char
        self._came_from_saved(char)
        self._index_ignoring(char.key, ignoring(char))
        if waiting and char.key not in self.occupants.get(char.room, ()):
            self.waiting.add(char.key)
            return
        self.arrive(char.key)

    def _came_from_saved(self, char: Character) -> None:
        """``last_way`` for ``char`` from its saved ``extra["came"]``: the room it walked
        in from, when a way still leads from there to its room; none otherwise."""
        came = char.extra.get("came")
        before = self.templates.rooms.get(came) if isinstance(came, str) else None
        way = next((e.direction for e in before.exits if e.to == char.room), "") if before else ""
        if before is not None and way:
            self.last_way[char.key] = (before.id, way)
        else:
            self.last_way.pop(char.key, None)

    def arrive(self, key: str) -> None:
        """A placed character steps into its room (no-op if it is there already)."""
        self.waiting.discard(key)
        people = self.occupants.setdefault(self.chars[key].room, [])
        if key not in people:
            people.append(key)

    def remove(self, key: str) -> Character | None:
        """Take a character out of the world, with the item instances it carries (they
        live on in its saved state and come back when it returns)."""
        char = self.chars.pop(key, None)
        if char is not None:
            self._unindex_ignoring(key, ignoring(char))
        self.waiting.discard(key)
        self.last_way.pop(key, None)
        self.leave_party(key)
        if char is not None:
            people = self.occupants.get(char.room, [])
            if key in people:
                people.remove(key)
            for item in char.inventory:
                self.items.pop(item, None)
        return char

    def _party_tables(self) -> dict[str, dict[str, Any]]:
        return {
            "following": self.following,
            "group": self.groups,
            "invite": self.invites,
            "turn": self.turns,
            "asks": self.join_asks,
            "overtaken": self.overtaken,
            "ooc_at": self.ooc_at,
            "offers": self.offers,
            "escorts": self.escorts,
            "questions": self.questions,
            "engaged": self.engaged,
            "tried": self.tried,
            "hinted": self.hinted,
            "bought": self.bought,
            "walks": self.walks,
            "haggled": self.haggled,
        }

    def set_party(self, table: str, key: str, value: str | int | None) -> None:
        """Apply a ``PartyUpdate``: set or (``value`` None) clear one entry. Unknown
        tables raise ValueError."""
        tables = self._party_tables()
        if table not in tables:
            raise ValueError(f"unknown party table {table!r}")
        if value is None:
            if tables[table].pop(key, None) is None:
                return
        elif tables[table].get(key) == value:
            return
        else:
            tables[table][key] = value
        if table in PARTY_KEPT:
            self.dirty_party.add((table, key))
        elif table == "escorts":
            self.dirty_npcs.add(key)  # kept in the NPC's row

    def leave_party(self, key: str) -> None:
        """``key`` stops following and being followed, loses its invitations and leaves its
        group; a leader who leaves disbands the group, and a group of one ends."""
        self.set_party("following", key, None)
        for follower in [f for f, led in self.following.items() if led == key]:
            self.set_party("following", follower, None)
        for invited in [i for i, led in self.invites.items() if led == key or i == key]:
            self.set_party("invite", invited, None)
        for asked in [a for a, asker in self.join_asks.items() if asker == key or a == key]:
            self.set_party("asks", asked, None)
        # Kept only while they play. (``ooc_at`` is kept: a quit and a login must not
        # reset ooc's pace; it holds a few bytes for each who has used ooc since start.)
        self.set_party("overtaken", key, None)
        for offered in [
            o for o, offer in self.offers.items() if o == key or offer.startswith(key + "|")
        ]:
            self.set_party("offers", offered, None)
        for npc in [n for n, guide in self.escorts.items() if guide == key]:
            self.set_party("escorts", npc, None)
        for asked in [
            a for a, asker in self.questions.items() if asker.partition("|")[0] == key or a == key
        ]:
            self.set_party("questions", asked, None)
        leader = self.groups.get(key)
        if leader is None:
            return
        self.set_party("group", key, None)
        members = [m for m, led in self.groups.items() if led == leader]
        if leader == key or len(members) <= 1:
            for member in members:
                self.set_party("group", member, None)

    def party_ops(self, now: float) -> list[PutParty | DeleteParty]:
        """The writes that keep the stored party tables as they are now (one per entry
        changed since the last call, in a stable order), and forget the changes. Called
        by the hub once per message, with the other state it writes."""
        tables = self._party_tables()
        ops: list[PutParty | DeleteParty] = []
        for table, key in sorted(self.dirty_party):
            value = tables[table].get(key)
            if value is None:
                ops.append(DeleteParty(table, key))
            else:
                ops.append(PutParty(table, key, json.dumps(value), now))
        self.dirty_party.clear()
        return ops

    def party_rows(self) -> list[tuple[str, str, str]]:
        """Every kept party entry as (table, key, JSON value): what the store holds when
        nothing is waiting to be written."""
        tables = self._party_tables()
        return [
            (table, key, json.dumps(value))
            for table in PARTY_KEPT
            for key, value in sorted(tables[table].items())
        ]

    def revert_party(self, table: str, key: str, text: str | None) -> None:
        """Put one party entry back to its last committed JSON (None: none): the hub's
        undo when a write could not be committed."""
        tables = self._party_tables()
        if table not in PARTY_KEPT:
            return
        if text is None:
            tables[table].pop(key, None)
        else:
            tables[table][key] = json.loads(text)
        self.dirty_party.discard((table, key))

    def restore_party(self, rows: list[tuple[str, str, str]]) -> None:
        """The party tables from the store's rows (a restart). Rows of unknown tables or
        with values of the wrong type are dropped, as are group entries without their
        leader's and groups left with no one but the leader."""
        for table, key, text in rows:
            if table not in PARTY_KEPT:
                continue
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if table == "turn" and isinstance(value, int) and not isinstance(value, bool):
                self.turns[key] = value
            elif (
                table in ("following", "group", "invite", "haggled")
                and isinstance(value, str)
                and value
            ):
                self._party_tables()[table][key] = value
        for key, leader in list(self.groups.items()):
            if self.groups.get(leader) != leader:
                del self.groups[key]
        for leader in [k for k, led in self.groups.items() if k == led]:
            if not any(m != leader and led == leader for m, led in self.groups.items()):
                del self.groups[leader]
        for key, ahead in list(self.following.items()):
            if key == ahead:
                del self.following[key]

    def update_char(self, update: CharUpdate) -> frozenset[str]:
        """Apply a ``CharUpdate`` to its character's sheet, field by field; returns the
        names of the fields set (empty when the character is not in the world)."""
        char = self.chars.get(update.who)
        if char is None:
            return frozenset()
        u = update
        if u.cls is not None:
            char.cls = u.cls
        if u.level is not None:
            char.level = u.level
        if u.xp is not None:
            char.xp = u.xp
        if u.hp is not None:
            char.hp = u.hp
        if u.max_hp is not None:
            char.max_hp = u.max_hp
        if u.abilities is not None:
            char.abilities = u.abilities
        if u.gold is not None:
            char.gold = u.gold
        if u.equipment is not None:
            char.equipment = u.equipment
        if u.conditions is not None:
            char.conditions = u.conditions
        if u.quests is not None:
            char.quests = u.quests
        if u.revealed is not None:
            char.revealed = u.revealed
        if u.hit_dice is not None:
            char.hit_dice = u.hit_dice
        if u.down is not None:
            char.down = u.down
            if u.down:
                char.pose = ""  # one who falls is no longer sitting by the fire
                char.hidden = 0  # nor hidden: a body on the floor is in plain sight
        if u.saves is not None:
            char.saves = u.saves
        if u.add_deeds is not None:
            char.deeds = with_deeds(char.deeds, u.add_deeds)
        if u.visited is not None:
            char.visited = u.visited
        if u.powers_used is not None:
            char.powers_used = u.powers_used
        return u.changed()

    def update_npc(self, update: NpcUpdate) -> bool:
        """Apply an ``NpcUpdate`` to a live NPC (marked dirty); False if there is none."""
        npc = self.npcs.get(update.npc)
        if npc is None:
            return False
        if update.hp is not None:
            npc.hp = update.hp
        if update.alive is not None:
            npc.alive = update.alive
        if update.room is not None:
            if update.room != npc.room:
                self.stray_npcs.pop(npc.id, None)
            npc.room = update.room
        if update.respawn_at is not None:
            npc.respawn_at = update.respawn_at
        if update.wary is not None:
            npc.wary = update.wary
        if update.emptied is not None:
            npc.emptied = update.emptied
        if update.grudges is not None:
            npc.grudges = list(update.grudges)
        self.dirty_npcs.add(npc.id)
        return True

    def update_prefs(
        self,
        key: str,
        *,
        colour: bool | None,
        screenreader: bool | None,
        width: int | None,
        prompt: str | None,
        wimpy: int | None = None,
        brief: bool | None = None,
    ) -> None:
        """Change a character's display preferences (None leaves one unchanged)."""
        char = self.chars[key]
        if prompt is not None:
            char.extra = {**char.extra, "prompt": prompt}
        if wimpy is not None:
            _set_extra(char, "wimpy", wimpy)
        if brief is not None:
            _set_extra(char, "brief", brief)
        if colour is not None:
            char.colour = colour
        if screenreader is not None:
            char.screenreader = screenreader
        if width is not None:
            char.width = width

    def spawn_item(self, template: str, dst: str, equip: str = "") -> str | None:
        """Create an instance of ``template`` on a room's floor (``room:<id>``) or in a
        character's pack (``char:<key>``, equipped in slot ``equip`` if given). Returns
        the new item's id, or None (nothing created) for an unknown template or an absent
        character."""
        if template not in self.templates.items:
            return None
        item = self.new_item(template)
        kind, _, ident = dst.partition(":")
        if kind == "room":
            self.floor.setdefault(ident, []).append(item)
            self.dirty_rooms.add(ident)
            return item
        char = self.chars.get(ident)
        if char is None:
            del self.items[item]
            return None
        char.inventory.append(item)
        if equip:
            char.equipment[equip] = item
        self.dirty_rooms.add(char.room)  # keeps next_item durable
        return item

    def destroy_item(self, item: str) -> list[str]:
        """Remove an item instance from wherever it is (unequipped first); returns the
        keys of the characters whose packs it left."""
        self.items.pop(item, None)
        self.strays.pop(item, None)
        self.claims.pop(item, None)
        for room, floor in self.floor.items():
            if item in floor:
                floor.remove(item)
                self.dirty_rooms.add(room)
        owners: list[str] = []
        for char in self.chars.values():
            if item in char.inventory:
                char.inventory.remove(item)
                char.equipment = {s: i for s, i in char.equipment.items() if i != item}
                owners.append(char.key)
        return owners

    def use_feature(self, key: str) -> None:
        """Mark a ``once`` room feature (its id) as used up."""
        self.features_used.add(key)

    def forget_features(self, keys: Iterable[str]) -> None:
        """A reset: these used-up features (ids) may be found again."""
        self.features_used.difference_update(keys)

    def set_fight(self, room: str, current: Any) -> None:
        """Replace the fight in ``room`` (a ``mud.engine.fight.Fight``), or end it (None)."""
        if current is None:
            self.fights.pop(room, None)
        else:
            self.fights[room] = current
            # Whoever fights is on their feet ("p:<key>" are the players in it).
            for fighter in current.fighters:
                char = self.chars.get(fighter.id[2:]) if fighter.id.startswith("p:") else None
                if char is not None:
                    char.pose = ""
                    char.hidden = 0

    def set_hidden(self, key: str, score: int) -> bool:
        """Hide a character behind a stealth total of ``score`` (0: in plain sight;
        ``Character.hidden``); False if not in the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        char.hidden = max(0, score)
        return True

    def set_away(self, key: str, message: str) -> bool:
        """Mark a character away with ``message`` ("" back; ``Character.away``); False
        if not in the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        char.away = message
        return True

    def set_ignoring(self, key: str, keys: tuple[str, ...]) -> bool:
        """Set whom a character ignores (``SetIgnoring``); False if not in the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        self._unindex_ignoring(key, ignoring(char))
        _set_extra(char, "ignoring", list(keys))
        self._index_ignoring(key, keys)
        return True

    def _index_ignoring(self, key: str, keys: Iterable[str]) -> None:
        for ignored in keys:
            self.ignored_by.setdefault(ignored, set()).add(key)

    def _unindex_ignoring(self, key: str, keys: Iterable[str]) -> None:
        for ignored in keys:
            ignorers = self.ignored_by.get(ignored)
            if ignorers is not None:
                ignorers.discard(key)
                if not ignorers:
                    del self.ignored_by[ignored]

    def set_missed(self, key: str, lines: tuple[str, ...]) -> bool:
        """Keep what was told a character away (``Character.missed``); False if not in
        the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        char.missed = lines
        return True

    def set_description(self, key: str, text: str) -> bool:
        """Set a character's description (``mud.engine.presence.description``; "" for
        none); False if not in the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        _set_extra(char, "description", text)
        return True

    def set_muted(self, key: str, mute: dict[str, object] | None) -> bool:
        """Mute a character (``mute``: who muted them, until when, why; ``presence.
        muted`` reads it) or lift it (None); False if not in the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        _set_extra(char, "muted", mute)
        return True

    def set_quiet(self, key: str, channels: tuple[str, ...]) -> bool:
        """Set the channels a character has turned off (``SetQuiet``); False if not in
        the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        _set_extra(char, "quiet", list(channels))
        return True

    def set_pronouns(self, key: str, pronouns: str) -> bool:
        """Set the pronouns a character's player chose (``mud.engine.presence.
        pronouns``: "she", "he", "they", or "" for none said); False if not in the
        world."""
        char = self.chars.get(key)
        if char is None:
            return False
        _set_extra(char, "pronouns", pronouns)
        return True

    def set_pose(self, key: str, pose: str, beside: str = "") -> bool:
        """Set how a character is placed (``Character.pose``, ``pose_with``); False if
        not in the world."""
        char = self.chars.get(key)
        if char is None:
            return False
        char.pose, char.pose_with = pose, beside
        return True

    def move(self, key: str, to: str) -> str:
        """Move a character; returns the room left."""
        char = self.chars[key]
        old = char.room
        room = self.templates.rooms.get(old)
        way = next((e.direction for e in room.exits if e.to == to), "") if room else ""
        if way:
            self.last_way[key] = (old, way)
        else:
            self.last_way.pop(key, None)  # carried off, or placed: no way to follow
        # Saved with the character, so the way back and the way on are known after a
        # restart or a new login ("I'll go first" in the mill: played, said, after one).
        _set_extra(char, "came", old if way else "")
        people = self.occupants.get(old, [])
        if key in people:
            people.remove(key)
        char.room = to
        char.pose = ""  # walking away is standing up
        if key not in self.waiting:
            self.occupants.setdefault(to, []).append(key)
        return old

    def claimed_by(self, item_id: str, now: float) -> tuple[str, ...]:
        """The keys of the players ``item_id`` is kept for at monotonic time ``now``
        (``claims``); () when it is anyone's. Reads only: a claim run out is dropped
        when its item is moved or destroyed."""
        claim = self.claims.get(item_id)
        if claim is None or now >= claim[1]:
            return ()
        return claim[0]

    def transfer(self, item_id: str, src: str, dst: str) -> bool:
        """Move an item between ``room:<id>`` / ``char:<key>`` / ``shop:<npc id>`` locations.
        False if not at src."""
        src_list = self._location(src)
        if src_list is None or item_id not in src_list:
            return False
        dst_list = self._location(dst, create=True)
        if dst_list is None:
            return False
        src_list.remove(item_id)
        dst_list.append(item_id)
        self.strays.pop(item_id, None)
        self.claims.pop(item_id, None)
        if src.startswith("char:"):
            # Whatever leaves a pack is no longer wielded or worn.
            owner = self.chars[src[5:]]
            owner.equipment = {s: i for s, i in owner.equipment.items() if i != item_id}
            if dst.startswith("char:"):
                self.handed[dst[5:]] = item_id
                self.handed_by[dst[5:]] = src[5:]
        for loc in (src, dst):
            if loc.startswith("room:"):
                self.dirty_rooms.add(loc[5:])
        return True

    def forget_unkept(self) -> None:
        """Lose what a restart loses, as a fresh world would not have it (replay of a
        recorded start): fights, the second-hand shelves and what is on them, the ways
        players last went, the strays (items and NPCs) a reset noticed, what was last
        handed to whom, who asked to join whom, what was offered to whom, who asked whom a
        question, which NPCs were just spoken to, what was last tried or bought where,
        who was given which hint, whose walk a fight stopped, the wounds and conditions
        of the living NPCs (fights do not survive a restart: ``restore_npcs``). (Who
        brings whom along is kept: the NPC's row holds it; so are haggles, with the
        parties.)"""
        self.fights.clear()
        for npc_id, npc in self.npcs.items():
            # As ``restore_npcs`` reads them: a fight cut short heals the living.
            npc.conditions = []
            if npc.alive:
                tmpl = self.templates.npcs.get(npc_id)
                npc.hp = tmpl.full_hp if tmpl is not None else npc.hp
        for items in self.stock.values():
            for item in items:
                self.items.pop(item, None)
        self.stock.clear()
        self.last_way.clear()
        self.strays.clear()
        self.stray_npcs.clear()
        self.handed.clear()
        self.handed_by.clear()
        self.join_asks.clear()
        self.offers.clear()
        self.questions.clear()
        self.engaged.clear()
        self.tried.clear()
        self.hinted.clear()
        self.bought.clear()
        self.walks.clear()

    def notice_strays(
        self, items: Iterable[tuple[str, str]], npcs: Iterable[tuple[str, str]] = ()
    ) -> None:
        """Apply a ``NoticeStrays``: each ``(item, room)`` found lying there and each
        ``(npc, room)`` found there at a scheduled reset (those no longer there are
        skipped)."""
        for item, room in items:
            if item in self.floor.get(room, ()):
                self.strays[item] = room
        for npc_id, room in npcs:
            npc = self.npcs.get(npc_id)
            if npc is not None and npc.room == room:
                self.stray_npcs[npc_id] = room

    def _location(self, loc: str, *, create: bool = False) -> list[str] | None:
        kind, _, ident = loc.partition(":")
        if kind == "room":
            if create:
                return self.floor.setdefault(ident, [])
            return self.floor.get(ident)
        if kind == "char":
            char = self.chars.get(ident)
            return char.inventory if char is not None else None
        if kind == "shop":
            if create:
                return self.stock.setdefault(ident, [])
            return self.stock.get(ident)
        return None

    def apply_templates(self, templates: Templates) -> set[str]:
        """Swap in reloaded templates and drop whatever they no longer define: item
        instances (from floors, packs and equipment), NPCs, fights in vanished rooms or
        against vanished NPCs; characters in vanished rooms go to the start. NPCs and
        rooms' starting items the new packs add are created. Returns the keys of
        characters that changed."""
        known = set(self.templates.rooms)
        self.templates = templates
        # Rooms the new packs add are furnished as built (their NPCs are made below).
        self.seed_rooms(besides=known)
        changed: set[str] = set()
        for item in [i for i, inst in self.items.items() if inst.template not in templates.items]:
            del self.items[item]
            for room, floor in self.floor.items():
                if item in floor:
                    floor.remove(item)
                    self.dirty_rooms.add(room)
            for shelf in self.stock.values():
                if item in shelf:
                    shelf.remove(item)
            for char in self.chars.values():
                if item in char.inventory:
                    char.inventory.remove(item)
                    char.equipment = {s: i for s, i in char.equipment.items() if i != item}
                    changed.add(char.key)
        for npc_id in [n for n in self.npcs if n not in templates.npcs]:
            del self.npcs[npc_id]
        self.seed_npcs()
        for room, fight in list(self.fights.items()):
            npcs_gone = any(
                c.id.startswith("n:") and c.id[2:] not in self.npcs for c in fight.fighters
            )
            if room not in templates.rooms or npcs_gone:
                del self.fights[room]
        for key, char in list(self.chars.items()):
            if char.room not in templates.rooms:
                self.move(key, templates.start)
                changed.add(key)
        return changed

    # -- persistence -----------------------------------------------------------------

    def character_json(self, char: Character) -> str:
        return json.dumps(
            {
                "cls": char.cls,
                "level": char.level,
                "xp": char.xp,
                "hp": char.hp,
                "max_hp": char.max_hp,
                "abilities": char.abilities,
                "gold": char.gold,
                "equipment": char.equipment,
                "conditions": char.conditions,
                "quests": char.quests,
                "revealed": char.revealed,
                "deeds": char.deeds,
                "visited": char.visited,
                "powers_used": char.powers_used,
                "hit_dice": char.hit_dice,
                "down": char.down,
                "name": char.name,
                "room": char.room,
                "inventory": [
                    {"id": i, "t": self.items[i].template}
                    for i in char.inventory
                    if i in self.items
                ],
                "colour": char.colour,
                "screenreader": char.screenreader,
                "width": char.width,
                "extra": char.extra,
            },
            separators=(",", ":"),
        )

    def restore_character(
        self, key: str, text: str | None, *, name: str, is_admin: bool, waking: bool = True
    ) -> Character:
        """Build a Character from saved JSON (or a fresh one at the start room). With
        ``waking`` (a login) a fallen character comes back with 1 HP."""
        char = Character(key=key, name=name, room=self.templates.start, is_admin=is_admin)
        if not text:
            return char
        data = json.loads(text)
        char.room = str(data.get("room") or self.templates.start)
        for entry in data.get("inventory", []):
            template, item_id = str(entry.get("t", "")), str(entry.get("id", ""))
            if template in self.templates.items and item_id and item_id not in self.items:
                self.items[item_id] = ItemInstance(item_id, template)
                char.inventory.append(item_id)
                self._bump(item_id)
        char.colour = data.get("colour")
        char.screenreader = data.get("screenreader")
        char.width = int(data.get("width") or 0)
        char.extra = dict(data.get("extra") or {})
        char.cls = str(data.get("cls") or "")
        if char.cls and char.cls not in self.templates.classes:
            char.cls = ""
        char.level = int(data.get("level") or 1)
        char.xp = int(data.get("xp") or 0)
        char.max_hp = int(data.get("max_hp") or 0)
        char.hp = max(0, min(int(data.get("hp") or 0), char.max_hp))
        char.abilities = {str(k): int(v) for k, v in dict(data.get("abilities") or {}).items()}
        char.gold = int(data.get("gold") or 0)
        char.equipment = {
            str(k): str(v)
            for k, v in dict(data.get("equipment") or {}).items()
            if v in char.inventory
        }
        char.conditions = [(str(n), int(r)) for n, r in data.get("conditions") or []]
        char.quests = {str(k): int(v) for k, v in dict(data.get("quests") or {}).items()}
        char.revealed = [str(r) for r in data.get("revealed") or []]
        char.deeds = [str(d) for d in data.get("deeds") or []]
        char.visited = [str(r) for r in data.get("visited") or [] if r in self.templates.rooms]
        char.powers_used = {
            str(k): int(v) for k, v in dict(data.get("powers_used") or {}).items() if int(v) > 0
        }
        char.hit_dice = int(data.get("hit_dice") or char.level)
        char.down = bool(data.get("down"))
        if waking and char.cls and char.hp <= 0:
            # Nobody logs back in bleeding out: a fallen character wakes with 1 HP.
            char.hp, char.down = 1, False
        return char

    def room_items_json(self, room_id: str) -> str:
        return json.dumps(
            [
                {"id": i, "t": self.items[i].template}
                for i in self.floor.get(room_id, [])
                if i in self.items
            ],
            separators=(",", ":"),
        )

    def restore_rooms(self, saved: dict[str, str]) -> None:
        """Restore floors from ``world_state`` rows (keys ``floor:<room>``); seed if empty."""
        floors = {k[6:]: v for k, v in saved.items() if k.startswith("floor:")}
        if not floors:
            self.seed_rooms()
            return
        for room_id, text in floors.items():
            if room_id in self.templates.rooms:
                self._restore_floor(room_id, text)
        counter = saved.get("next_item")
        if counter is not None:
            self.next_item = max(self.next_item, int(json.loads(counter)))
        # A room the saved world never had (a pack added since: played, the Saltmarsh
        # Ferry loaded beside a Hollowmere long played, its tollhouse bare of its token
        # and the salt bank of its samphire) is furnished as built. Every room seeded
        # once has a row, empty or not (``seed_rooms`` marks them).
        self.seed_rooms(besides=floors)

    def _restore_floor(self, room_id: str, text: str) -> None:
        for entry in json.loads(text):
            template, item_id = str(entry.get("t", "")), str(entry.get("id", ""))
            if template in self.templates.items and item_id and item_id not in self.items:
                self.items[item_id] = ItemInstance(item_id, template)
                self.floor.setdefault(room_id, []).append(item_id)
                self._bump(item_id)

    def revert(self, chars: dict[str, str], floors: dict[str, str], npcs: dict[str, str]) -> None:
        """Put characters, floors and NPCs back to saved states (their last committed
        JSON): the hub's undo when a write could not be committed. Every item instance
        that was in a reverted place is dropped first and the saved contents rebuilt, so
        an item that moved between reverted places is back where it was. Characters not
        in the world and unknown rooms or NPCs are skipped."""
        chars = {k: v for k, v in chars.items() if k in self.chars}
        floors = {r: v for r, v in floors.items() if r in self.templates.rooms}
        for key in chars:
            for item in self.chars[key].inventory:
                self.items.pop(item, None)
        for room_id in floors:
            for item in self.floor.pop(room_id, []):
                self.items.pop(item, None)
        for room_id, text in floors.items():
            self.floor[room_id] = []
            self._restore_floor(room_id, text)
        for key, text in chars.items():
            char = self.chars[key]
            saved = self.restore_character(
                key, text, name=char.name, is_admin=char.is_admin, waking=False
            )
            self._unindex_ignoring(key, ignoring(char))
            for name in _REVERTED_FIELDS:
                setattr(char, name, getattr(saved, name))
            self._index_ignoring(key, ignoring(char))
            if saved.room != char.room:
                self.move(key, saved.room)
                char.extra = saved.extra  # the undo is no walk: where it came from is kept
                self._came_from_saved(char)
        for npc_id, text in npcs.items():
            npc = self.npcs.get(npc_id)
            if npc is None:
                continue
            data = json.loads(text)
            npc.room = str(data.get("room") or npc.room)
            npc.hp = int(data.get("hp", npc.hp))
            npc.alive = bool(data.get("alive", True))
            npc.respawn_at = float(data.get("respawn_at", 0.0))
            npc.wary, npc.emptied, npc.grudges = _theft_marks(data)
            guide = data.get("escort")
            if isinstance(guide, str) and guide:
                self.escorts[npc_id] = guide  # who brings them is kept in their row
            else:
                self.escorts.pop(npc_id, None)

    def seed_npcs(self) -> None:
        """Create every NPC at its start room with full hit points (fresh world or new ones)."""
        for tmpl in self.templates.npcs.values():
            if tmpl.id not in self.npcs:
                hp = tmpl.full_hp
                self.npcs[tmpl.id] = NpcState(tmpl.id, tmpl.room, hp)
                self.dirty_npcs.add(tmpl.id)

    def npc_json(self, npc_id: str) -> str:
        npc = self.npcs[npc_id]
        data: dict[str, object] = {
            "room": npc.room,
            "hp": npc.hp,
            "alive": npc.alive,
            "respawn_at": npc.respawn_at,
        }
        # Only when set: the rows of NPCs no one has stolen from stay as they were.
        if npc.wary:
            data["wary"] = True
        if npc.emptied:
            data["emptied"] = True
        if npc.grudges:
            data["grudges"] = npc.grudges
        if npc_id in self.escorts:
            data["escort"] = self.escorts[npc_id]
        return json.dumps(data, separators=(",", ":"))

    def restore_npcs(self, saved: dict[str, str]) -> None:
        """NPC state from ``npc:<id>`` rows; NPCs the packs no longer define are dropped."""
        for key, text in saved.items():
            if not key.startswith("npc:"):
                continue
            npc_id = key[4:]
            tmpl = self.templates.npcs.get(npc_id)
            if tmpl is None:
                continue
            data = json.loads(text)
            room = str(data.get("room") or tmpl.room)
            if room not in self.templates.rooms:
                room = tmpl.room
            max_hp = tmpl.full_hp
            alive = bool(data.get("alive", True))
            # Fights do not survive a restart, so neither do the wounds of the living.
            npc = NpcState(
                npc_id, room, max_hp if alive else 0, alive, float(data.get("respawn_at", 0.0))
            )
            npc.wary, npc.emptied, npc.grudges = _theft_marks(data)
            self.npcs[npc_id] = npc
            guide = data.get("escort")
            if alive and isinstance(guide, str) and guide:
                self.escorts[npc_id] = guide
        used = saved.get("features_used")
        if used:
            self.features_used = set(json.loads(used))
        self.seed_npcs()

    def _bump(self, item_id: str) -> None:
        if item_id[1:].isdigit():
            self.next_item = max(self.next_item, int(item_id[1:]) + 1)
