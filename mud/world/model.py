"""The content model: frozen templates for packs, rooms, exits, features, items, classes,
NPCs and quests.

Templates are what a pack *describes* (the world as it is at start). They never change
while the server runs; the live world (who carries what, which door is open, which secret
was found) is kept by the hub and refers to templates by id.

Invariants, guaranteed for every ``Templates`` built by ``mud.world.loader``:

- Every id is namespaced ``pack:local`` where both parts match ``[a-z0-9_]+``; a feature's
  id is ``pack:room:feature``.
- Every reference resolves: ``Exit.to``, ``Templates.start``, ``PackRules.safe_room``,
  NPC rooms and wander lists, quest ``enter`` triggers name rooms; ``Room.items``,
  ``Exit.locked_by``, item reveals, class start items, NPC carries/drops/shop lists, quest
  ``hold`` triggers and rewards name items; ``defeat`` triggers name NPCs, ``check``
  triggers name features, ``requires`` names quests (and the requirements have no cycle).
- ``Exit.direction`` is canonical (a member of ``DIRECTIONS``) and unique within a room,
  links from other packs included. A feature that reveals an exit names a hidden exit of
  its own room.
- Numbers are in range (see each class) and every dice string was accepted by the
  loader's dice check; weapons have ``damage``, consumables an ``effect``, armour an
  ``armour_class`` or ``ac_bonus``, shields an ``ac_bonus``; hostile NPCs have ``stats``.
- Doors (``Exit.door``) are on both sides of a way: the loader links each door to the
  exit leading back, and both carry the same ``Door`` (same ``id``).
- Mapping fields are read-only views of deep-frozen data (nested mappings are read-only,
  lists became tuples), so a template can be shared freely between readers.

The named constructors (``Room.from_mapping`` and friends) take data that a YAML parser
has already turned into plain Python values. They never raise on bad content: they
record every problem in a ``Report`` (with the key path where it was found, so the
loader can name the file and line) and return ``None`` when no usable value can be made.
Checks that need every pack read (references, links, quest cycles) are the loader's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from functools import cached_property, lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import ClassVar

from attrs import field, frozen

DIRECTIONS: tuple[str, ...] = (
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "up",
    "down",
    "in",
    "out",
)
"""Canonical direction names, in the order exits are listed to players."""

DIRECTION_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "n": "north",
        "s": "south",
        "e": "east",
        "w": "west",
        "ne": "northeast",
        "nw": "northwest",
        "se": "southeast",
        "sw": "southwest",
        "u": "up",
        "d": "down",
    }
)
"""Shorthand direction -> canonical direction."""

OPPOSITE: Mapping[str, str] = MappingProxyType(
    {
        "north": "south",
        "south": "north",
        "east": "west",
        "west": "east",
        "northeast": "southwest",
        "southwest": "northeast",
        "northwest": "southeast",
        "southeast": "northwest",
        "up": "down",
        "down": "up",
        "in": "out",
        "out": "in",
    }
)
"""Canonical direction -> the direction that leads back."""

ID_RE = re.compile(r"[a-z0-9_]+")
"""What a pack id or a local id may be made of."""

_REF_RE = re.compile(r"(?:[a-z0-9_]+:)?[a-z0-9_]+")
_FEATURE_REF_RE = re.compile(r"(?:[a-z0-9_]+:)?[a-z0-9_]+:[a-z0-9_]+")

ABILITIES: tuple[str, ...] = ("str", "dex", "con", "int", "wis", "cha")
"""Ability names as written in packs (lowercase; the engine's ``Ability`` is upper case)."""

SKILLS: Mapping[str, str] = MappingProxyType(
    {
        "athletics": "str",
        "acrobatics": "dex",
        "sleight_of_hand": "dex",
        "stealth": "dex",
        "arcana": "int",
        "history": "int",
        "investigation": "int",
        "nature": "int",
        "religion": "int",
        "animal_handling": "wis",
        "insight": "wis",
        "medicine": "wis",
        "perception": "wis",
        "survival": "wis",
        "deception": "cha",
        "intimidation": "cha",
        "performance": "cha",
        "persuasion": "cha",
    }
)
"""Skill -> the ability it is a check of. A class may be proficient in skills or abilities."""

CONDITION_NAMES: tuple[str, ...] = (
    "poisoned",
    "stunned",
    "prone",
    "frightened",
    "blessed",
    "unseen",
)
"""Conditions a consumable may give; the same names as ``mud.engine.combat.CONDITIONS``
(a test keeps the two equal: world sits below engine and cannot import it)."""

ITEM_KINDS: tuple[str, ...] = (
    "weapon",
    "armour",
    "shield",
    "consumable",
    "key",
    "treasure",
    "coins",
    "misc",
)
"""What an item is for; the rules engine decides what each kind can do (``coins`` are
money: picked up, they are their ``value`` in gold, and the item is gone)."""

HIT_DICE: tuple[int, ...] = (4, 6, 8, 10, 12)
"""Sizes a class's hit die may have (``d4`` .. ``d12``)."""

DOWN_RULES: tuple[str, ...] = ("deathsaves", "carry")
"""What happens to a character at 0 HP: roll death saves, or be carried to the safe room."""

TRIGGER_KINDS: Mapping[str, str] = MappingProxyType(
    {"enter": "room", "hold": "item", "defeat": "npc", "check": "feature", "escort": "npc"}
)
"""Quest trigger key -> the kind of id it names."""


def canonical_direction(word: str) -> str | None:
    """The canonical direction for ``word`` (a name or shorthand, any case), or None."""
    key = word.strip().lower()
    if key in OPPOSITE:
        return key
    return DIRECTION_ALIASES.get(key)


def qualify(ref: str, pack: str) -> str:
    """Namespace ``ref`` inside ``pack``: ``cellar`` -> ``pack:cellar``; ``x:y`` is kept."""
    return ref if ":" in ref else f"{pack}:{ref}"


def qualify_feature(ref: str, pack: str) -> str:
    """Namespace a feature reference: ``room:feat`` -> ``pack:room:feat``; a reference
    that already names its pack (``other:room:feat``) is kept."""
    return ref if ref.count(":") >= 2 else f"{pack}:{ref}"


def freeze(value: object) -> object:
    """A deep read-only copy of parsed data: mappings become read-only views, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def _empty() -> Mapping[str, object]:
    return MappingProxyType({})


def _empty_text() -> Mapping[str, str]:
    return MappingProxyType({})


def _empty_features() -> Mapping[str, Feature]:
    return MappingProxyType({})


def _empty_scores() -> Mapping[str, int]:
    return MappingProxyType({})


# --------------------------------------------------------------------------- reports

KeyPath = tuple[str | int, ...]
"""Where a value sits inside one parsed file: mapping keys and list indexes from the root."""


@frozen
class Problem:
    """Something wrong with content, found at ``path`` in the file being read."""

    path: KeyPath
    message: str


@frozen
class DiceUse:
    """Dice notation written at ``path`` (``text`` as written), to be checked by the loader.

    The model cannot parse dice (the parser lives in the engine, a layer above), so the
    constructors record every dice string and the loader checks them all at once.
    """

    path: KeyPath
    text: str
    what: str


@frozen
class Reference:
    """A promise that ``target`` is the id of a ``kind`` ("room", "item", ...).

    Constructors cannot check references (the target may be in a file or pack read
    later), so they record them; the loader checks them all once everything is read.
    ``what`` prefixes the error message, e.g. ``room 'cellar': exit 'north'``.
    """

    path: KeyPath
    kind: str
    target: str
    what: str


class Report:
    """Collects the problems and references found while building templates from one file.

    Created by the loader for each file and passed to the named constructors, which
    append to it; it never raises.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.references: list[Reference] = []
        self.dice_uses: list[DiceUse] = []
        self.links: list[tuple[KeyPath, Link]] = []

    def problem(self, path: KeyPath, message: str) -> None:
        """Record that the value at ``path`` is wrong; ``message`` names the key."""
        self.problems.append(Problem(path, message))

    def reference(self, path: KeyPath, kind: str, target: str, what: str) -> None:
        """Record that ``target`` (qualified) must be defined as a ``kind``."""
        self.references.append(Reference(path, kind, target, what))

    def dice(self, path: KeyPath, text: str, what: str) -> None:
        """Record that ``text`` at ``path`` must be valid dice notation."""
        self.dice_uses.append(DiceUse(path, text, what))


def suggestion(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the closest choice to a misspelt ``word``, else ``""``.

    ``cutoff`` is difflib's similarity threshold (0..1); ids sharing a ``pack:`` prefix
    look alike, so callers comparing ids raise it.
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: object) -> str:
    match value:
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case str():
            return "text"
        case Mapping():
            return "a mapping"
        case list() | tuple():
            return "a list"
        case None:
            return "nothing"
        case _:
            return f"a {type(value).__name__}"


MAX_SENTENCE = 240
"""The longest line of ambience or an NPC's emote a pack may write (``Fields.sentences``)."""

SENTENCE_ENDS = (".", "!", "?", "…", '"', "'", "”", "’")


class Fields:
    """Checked, typed access to one mapping of parsed content (one room, one item, ...).

    Built by a named constructor for the mapping found at ``path``. On creation it
    reports a non-mapping value and every key not in ``keys`` (free mappings such as
    ``mssp`` are read whole with ``table``, so their own keys are never checked).
    Each getter returns the value converted to the expected type, or
    the default after reporting a problem, so one bad field never hides the others.
    ``what`` prefixes every message, e.g. ``room 'cellar'``.
    """

    def __init__(
        self,
        data: object,
        *,
        path: KeyPath,
        what: str,
        keys: Iterable[str],
        report: Report,
    ) -> None:
        self.path = path
        self.what = what
        self.report = report
        self.ok = isinstance(data, Mapping)
        self._data: Mapping[str, object] = data if isinstance(data, Mapping) else {}
        allowed = tuple(keys)
        if not self.ok:
            self.problem((), f"expected a mapping of keys, got {_type_name(data)}")
        for key in self._data:
            if key not in allowed:
                hint = suggestion(str(key), allowed)
                self.problem((key,), f"unknown key '{key}'{hint}")

    def problem(self, sub: KeyPath, message: str) -> None:
        """Report ``message`` at ``sub`` below this mapping, prefixed by ``what``."""
        self.report.problem(self.path + sub, f"{self.what}: {message}")

    def has(self, key: str) -> bool:
        """True when ``key`` is present with a value (an empty ``key:`` counts as absent)."""
        return self._data.get(key) is not None

    def raw(self, key: str) -> object:
        """The unconverted value of ``key`` (None when absent)."""
        return self._data.get(key)

    def _get(self, key: str, required: bool) -> object:
        value = self._data.get(key)
        if value is None and required and self.ok:
            if key in self._data:
                self.problem((key,), f"'{key}' has no value")
            else:
                self.problem((), f"missing required key '{key}'")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string; required when ``default`` is None."""
        value = self._get(key, default is None)
        if value is None:
            return default or ""
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, bool | int | float) else ""
            self.problem((key,), f"'{key}' must be text, not {_type_name(value)}{hint}")
            return default or ""
        if not value.strip() and default is None:
            self.problem((key,), f"'{key}' must not be empty")
        return value.strip()

    def flag(self, key: str, default: bool) -> bool:
        """``true`` or ``false``."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem((key,), f"'{key}' must be true or false, not {_type_name(value)}")
            return default
        return value

    def count(self, key: str, default: int) -> int:
        """A whole number, zero or more."""
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem((key,), f"'{key}' must be a whole number, 0 or more")
            return default
        return value

    def amount(self, key: str, default: float) -> float:
        """A number (whole or decimal), zero or more."""
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.problem((key,), f"'{key}' must be a number, 0 or more")
            return default
        return float(value)

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        """A whole number in ``low..high``; required when ``default`` is None (then the
        fallback after a problem is ``low``)."""
        value = self._get(key, default is None)
        fallback = low if default is None else default
        if value is None:
            return fallback
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem((key,), f"'{key}' must be a whole number from {low} to {high}")
            return fallback
        return value

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str:
        """One of ``choices`` (written in any case); required when ``default`` is None
        (then the fallback after a problem is ``choices[0]``)."""
        value = self._get(key, default is None)
        fallback = choices[0] if default is None else default
        if value is None:
            return fallback
        word = value.strip().lower() if isinstance(value, str) else ""
        if word not in choices:
            shown = f"'{value}'" if isinstance(value, str) else _type_name(value)
            hint = suggestion(word, choices) if word else ""
            self.problem((key,), f"'{key}' must be one of {', '.join(choices)}, not {shown}{hint}")
            return fallback
        return word

    def dice(self, key: str, *, required: bool) -> str | None:
        """Dice notation (``2d4+2``), recorded for the loader's dice check."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((key,), f"'{key}' must be dice such as 1d6+1, not {_type_name(value)}")
            return None
        text = value.strip()
        self.report.dice((*self.path, key), text, f"{self.what}: {key}")
        return text

    def refs(self, key: str, kind: str, pack: str, *, what: str | None = None) -> tuple[str, ...]:
        """A list of ids of a ``kind`` (absent means empty), each qualified and recorded."""
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be a list, not {_type_name(value)}")
            return ()
        label = what if what is not None else f"{self.what}: {key}"
        out: list[str] = []
        for i, ref in enumerate(value):
            target = check_ref(ref, (*self.path, key, i), kind, pack, label, self.report)
            if target is not None:
                out.append(target)
        return tuple(out)

    def sub(self, key: str, keys: Iterable[str], what: str | None = None) -> Fields | None:
        """The mapping under ``key`` as its own ``Fields`` (None when absent or not a
        mapping; the latter is reported)."""
        if not self.has(key):
            return None
        sub = Fields(
            self.raw(key),
            path=(*self.path, key),
            what=what if what is not None else f"{self.what}: {key}",
            keys=keys,
            report=self.report,
        )
        return sub if sub.ok else None

    def words(self, key: str) -> tuple[str, ...]:
        """A list of non-empty strings (absent means empty)."""
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be a list, not {_type_name(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                self.problem((key, i), f"'{key}' entries must be text, not {_type_name(item)}")
        return tuple(out)

    def sentences(self, key: str) -> tuple[str, ...]:
        """A list of whole sentences shown to players as written (absent means empty):
        each non-empty text of at most ``MAX_SENTENCE`` characters that ends as a
        sentence ends (``.``, ``!``, ``?``, ``…`` or a closing quote)."""
        out = (self.sentence((key, i), key, text) for i, text in enumerate(self.words(key)))
        return tuple(text for text in out if text is not None)

    def sentence(self, at: KeyPath, key: str, text: str) -> str | None:
        """``text`` (found at ``at`` below this mapping, an entry of ``key``) as a whole
        sentence shown as written, its spaces made single; None, reported, when it is
        longer than ``MAX_SENTENCE`` or does not end as a sentence ends."""
        if len(text) > MAX_SENTENCE:
            self.problem(at, f"'{key}' entries are at most {MAX_SENTENCE} characters long")
            return None
        if not text.endswith(SENTENCE_ENDS):
            self.problem(
                at,
                f"'{key}' entries are whole sentences shown as written: end this one"
                " with '.', '!' or '?'",
            )
            return None
        return " ".join(text.split())

    def table(self, key: str) -> Mapping[str, object]:
        """A free mapping kept as frozen data (absent means empty)."""
        value = self._get(key, False)
        if value is None:
            return _empty()
        if not isinstance(value, Mapping):
            self.problem((key,), f"'{key}' must be a mapping, not {_type_name(value)}")
            return _empty()
        frozen_value = freeze(value)
        assert isinstance(frozen_value, Mapping)
        return frozen_value

    def text_table(self, key: str) -> Mapping[str, str]:
        """A mapping of names to text; numbers and booleans are written as text."""
        value = self.table(key)
        out: dict[str, str] = {}
        for name, item in value.items():
            if isinstance(item, str):
                out[name] = item.strip()
            elif isinstance(item, bool):
                out[name] = "1" if item else "0"
            elif isinstance(item, int | float):
                out[name] = str(item)
            else:
                self.problem((key, name), f"'{key}.{name}' must be text, not {_type_name(item)}")
        return MappingProxyType(out)

    def ref(
        self, key: str, kind: str, pack: str, *, required: bool, what: str | None = None
    ) -> str | None:
        """An id of a ``kind``, qualified inside ``pack`` and recorded for later checking.

        ``what`` prefixes messages about the reference (default: ``"<what>: <key>"``).
        """
        value = self._get(key, required)
        if value is None:
            return None
        label = what if what is not None else f"{self.what}: {key}"
        return check_ref(value, (*self.path, key), kind, pack, label, self.report)


def check_ref(
    value: object, path: KeyPath, kind: str, pack: str, what: str, report: Report
) -> str | None:
    """Validate the id ``value`` found at ``path``, record it as a Reference to a ``kind``
    and return it qualified inside ``pack``; report and return None when malformed.

    A ``feature`` id is written ``room:feature`` (or ``pack:room:feature``)."""
    is_feature = kind == "feature"
    pattern = _FEATURE_REF_RE if is_feature else _REF_RE
    if not isinstance(value, str) or not pattern.fullmatch(value):
        shown = f"'{value}'" if isinstance(value, str) else _type_name(value)
        form = "room:feature or pack:room:feature" if is_feature else "pack:id"
        report.problem(
            path, f"{what}: {shown} is not a valid {kind} id (lowercase a-z, 0-9, _; {form})"
        )
        return None
    target = qualify_feature(value, pack) if is_feature else qualify(value, pack)
    report.reference(path, kind, target, what)
    return target


# --------------------------------------------------------------------------- templates


@frozen
class Door:
    """A door on an exit, as the builder wrote it: its starting state.

    ``id`` is shared by the two exits it closes (the loader links the way back and gives
    both sides the same door; "" until then). ``closed`` and ``locked`` are how it starts
    (a locked door is closed); ``key`` (an item id, or None) unlocks and locks it;
    ``pick_dc`` (1..40, or None: it cannot be picked) is the DEX check that picks its
    lock; ``force_dc`` (1..40, or None: it cannot be forced) the STR check that breaks
    it open. ``name`` is what players call it ("trapdoor"); ``aliases`` other words for it.
    The live state (open or closed, locked or not) is the hub's, in ``World.doors``.
    """

    name: str = "door"
    closed: bool = True
    locked: bool = False
    key: str | None = None
    pick_dc: int | None = None
    aliases: tuple[str, ...] = ()
    id: str = ""
    force_dc: int | None = None

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "aliases",
        "closed",
        "locked",
        "key",
        "pick_dc",
        "force_dc",
    )

    def same_as(self, other: Door) -> bool:
        """True when ``other`` was written the same way (the two sides of one door)."""
        return (self.name, self.closed, self.locked, self.key, self.pick_dc, self.force_dc) == (
            other.name,
            other.closed,
            other.locked,
            other.key,
            other.pick_dc,
            other.force_dc,
        )

    @staticmethod
    def from_fields(fields: Fields, pack: str) -> Door:
        """Build from the ``door`` mapping of an exit (problems reported)."""
        key = fields.ref("key", "item", pack, required=False)
        pick_dc = fields.integer("pick_dc", 1, 40, 0) or None
        force_dc = fields.integer("force_dc", 1, 40, 0) or None
        locked = fields.flag("locked", False)
        closed = fields.flag("closed", True)
        if locked and not closed:
            fields.problem(("closed",), "a locked door must start closed (closed: true)")
            closed = True
        for name, dc in (("pick_dc", pick_dc), ("force_dc", force_dc)):
            if dc is not None and key is None and not locked:
                fields.problem(
                    (name,), f"'{name}' needs a lock: give the door a 'key' or 'locked: true'"
                )
        return Door(
            name=fields.text("name", "door").lower(),
            closed=closed,
            locked=locked,
            key=key,
            pick_dc=pick_dc,
            force_dc=force_dc,
            aliases=tuple(a.lower() for a in fields.words("aliases")),
        )


@frozen
class Exit:
    """A way out of a room.

    ``hidden`` exits are not listed until found; ``locked_by`` is the id of the item that
    unlocks it when it starts locked (None otherwise); ``description`` is what a player
    sees looking that way (empty when nothing special). ``door`` (None: an open way) is
    the door on it; ``locked_by: key`` written alone is short for a locked door named
    "door" with that key. After loading, a door's two sides carry the same ``Door``.
    """

    direction: str
    to: str
    hidden: bool = False
    locked_by: str | None = None
    description: str = ""
    door: Door | None = None

    KEYS: ClassVar[tuple[str, ...]] = ("to", "hidden", "locked_by", "description", "door")

    @staticmethod
    def from_value(
        key: str, value: object, *, pack: str, path: KeyPath, what: str, report: Report
    ) -> Exit | None:
        """Build an exit from ``key: value`` in a room's ``exits``.

        ``value`` is a room id, or a mapping ``{to, hidden, locked_by, description,
        door}``. ``path`` is where the exit sits (``(room, "exits", key)``). Returns None
        (after reporting) when the direction or the target is unusable.
        """
        direction = canonical_direction(key)
        exit_what = f"{what}: exit '{key}'"
        if direction is None:
            hint = suggestion(key.lower(), DIRECTIONS)
            report.problem(path, f"{what}: unknown direction '{key}'{hint}")
            return None
        door: Door | None = None
        if isinstance(value, Mapping):
            fields = Fields(value, path=path, what=exit_what, keys=Exit.KEYS, report=report)
            to = fields.ref("to", "room", pack, required=True, what=exit_what)
            hidden = fields.flag("hidden", False)
            locked_by = fields.ref("locked_by", "item", pack, required=False)
            description = fields.text("description", "")
            door_fields = fields.sub("door", Door.KEYS)
            if door_fields is not None:
                door = Door.from_fields(door_fields, pack)
                if locked_by is not None:
                    fields.problem(
                        ("locked_by",), "give the key inside 'door' (door: {key: ...}), not both"
                    )
                locked_by = door.key if door.locked else None
        else:
            to = check_ref(value, path, "room", pack, exit_what, report)
            hidden, locked_by, description = False, None, ""
        if to is None:
            return None
        return Exit(direction, to, hidden, locked_by, description, door)

    def the_door(self) -> Door | None:
        """The door on this exit: ``door``, or the one ``locked_by`` alone stands for."""
        if self.door is not None:
            return self.door
        if self.locked_by is not None:
            return Door(key=self.locked_by, locked=True)
        return None


@frozen
class FeatureCheck:
    """The roll that examining a feature calls for: ``1d20 + ability modifier`` (plus
    proficiency when the character is proficient in ``skill`` or ``ability``) against
    ``dc`` (1..40). ``ability`` is one of ``ABILITIES``; ``skill`` (one of ``SKILLS``)
    is None when the builder named only an ability. ``verbs`` are the words that make a
    player's action this check (``search``, ``pry``), lower case, never empty."""

    ability: str
    dc: int
    verbs: tuple[str, ...] = ("search",)
    skill: str | None = None

    KEYS: ClassVar[tuple[str, ...]] = ("ability", "skill", "dc", "verbs")


@frozen
class Reveal:
    """What succeeding at a feature's check uncovers: exactly one of a hidden ``exit`` of
    the same room (a canonical direction) or an ``item`` (a qualified id) that appears."""

    exit: str | None = None
    item: str | None = None

    KEYS: ClassVar[tuple[str, ...]] = ("exit", "item")


@frozen
class FeatureAction:
    """Something a player may do to a feature (or an item: ``ItemTemplate.actions``)
    without a roll ("ring the bell", "light the lantern"): any of ``verbs`` (lower case,
    never empty) with the feature named. ``you`` is told to the
    one who does it (written to "you"), ``seen`` (may be empty) to the others in the
    room, with ``{actor}`` for the doer's name. ``after`` (a quest id, or ""): the
    action is the one done by a player who has finished that quest, in place of the
    action of the same verb without ``after`` (Edda's lamp takes the light once she is
    home). ``lasts`` (features only): once done, it stays done for everyone until the
    area resets (the first lantern, lit, burns on), and whoever does it again while it
    lasts reads ``again`` in place of ``you``; a room's or the feature's ``later`` text
    may read so while it lasts (``Later.while_done``)."""

    verbs: tuple[str, ...]
    you: str
    seen: str = ""
    after: str = ""
    lasts: bool = False
    again: str = ""

    KEYS: ClassVar[tuple[str, ...]] = ("verbs", "you", "seen", "after", "lasts", "again")


@frozen
class Feature:
    """Something in a room players can examine, and perhaps search.

    ``id`` is ``pack:room:key``; ``key`` is the local name used in the room's
    ``features``. ``once`` (default true): after one success the check is done and what
    it revealed stays revealed; false lets it succeed again (a spring, a herb patch) and
    reveal another item each time. Failed checks may always be tried again. ``shared``
    (default true): a success counts for every player; false means each character finds
    it for themselves. ``success``/``failure`` (may be empty) are told, verbatim, to the
    one whose check on the feature succeeds or fails (written to "you"); ``seen`` (may be
    empty) is told to everyone else in the room on a success, with ``{actor}`` for the
    finder's name. The narrator adds colour after. ``actions`` are what may be done to
    it without a roll (``FeatureAction``); no verb is in two of them or in ``check``.
    """

    id: str
    key: str
    room: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    check: FeatureCheck | None = None
    reveals: Reveal | None = None
    once: bool = True
    shared: bool = True
    success: str = ""
    failure: str = ""
    seen: str = ""
    actions: tuple[FeatureAction, ...] = ()
    later: tuple[Later, ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "aliases",
        "description",
        "later",
        "check",
        "reveals",
        "once",
        "shared",
        "success",
        "failure",
        "seen",
        "actions",
    )

    @staticmethod
    def from_mapping(
        room: str,
        key: str,
        data: object,
        *,
        exits: Mapping[str, Exit],
        path: KeyPath,
        report: Report,
    ) -> Feature | None:
        """Build feature ``key`` of ``room`` (qualified) from its parsed entry at ``path``.

        ``exits`` are the room's exits by canonical direction, so an exit reveal can be
        checked here. Reports every problem; returns None when ``data`` is not a mapping.
        """
        pack = room.partition(":")[0]
        what = f"room '{room.partition(':')[2]}': feature '{key}'"
        fields = Fields(data, path=path, what=what, keys=Feature.KEYS, report=report)
        if not fields.ok:
            return None
        check = None
        check_fields = fields.sub("check", FeatureCheck.KEYS)
        if check_fields is not None:
            check = _feature_check(check_fields)
        reveals = None
        reveal_fields = fields.sub("reveals", Reveal.KEYS)
        if reveal_fields is not None:
            reveals = _reveal(reveal_fields, pack, exits)
            if check is None:
                fields.problem(("reveals",), "'reveals' needs a 'check' to find it with")
        seen = fields.text("seen", "")
        if seen and check is None:
            fields.problem(("seen",), "'seen' needs a 'check' to succeed at")
        _only_actor(fields, ("seen",), seen)
        actions = _feature_actions(fields, path, what, report, check, pack=pack)
        return Feature(
            id=f"{room}:{key}",
            key=key,
            room=room,
            name=fields.text("name", key.replace("_", " ")),
            description=fields.text("description"),
            aliases=tuple(a.lower() for a in fields.words("aliases")),
            check=check,
            reveals=reveals,
            once=fields.flag("once", True),
            shared=fields.flag("shared", True),
            success=fields.text("success", ""),
            failure=fields.text("failure", ""),
            seen=seen,
            actions=actions,
            later=_laters(
                fields,
                path,
                what,
                report,
                pack,
                {key: f"{room}:{key}"} if _lasting(actions) else {},
            ),
        )

    def description_for(
        self,
        finished: Container[str],
        present: Container[str] = (),
        done: Container[str] = (),
        brought: Container[str] = (),
    ) -> str:
        """The description one who has finished the quests ``finished`` reads where the
        NPCs ``present`` are, the features ``done`` are done and the NPCs ``brought`` are
        where their escorts bring them (ids; ``later_description``). Pure."""
        return later_description(self.description, self.later, finished, present, done, brought)


@frozen
class Later:
    """A room or a feature as it reads once things have changed: its ``description`` in
    place of the one written first, gated as an NPC's facts are (``_gate``): to one who
    has finished the quest ``after`` (or not yet ``until``), while the NPC
    ``while_here`` is in the room (or ``unless_here`` is not), while the feature
    ``while_done`` is done (``FeatureAction.lasts``), while the NPC ``while_brought``
    stands where its escort brings it (``Escort.to``); "" for a gate not given. Written
    under the room's or the feature's ``later`` (the Hospice hall's empty lantern hooks
    hold a lit lantern while Pell is home), and a quest's or a step's (its text: "Pell
    has not come down" is not told while he sits by the Hospice fire)."""

    description: str
    after: str = ""
    until: str = ""
    while_here: str = ""
    unless_here: str = ""
    while_done: str = ""
    while_brought: str = ""

    KEYS: ClassVar[tuple[str, ...]] = (
        "description",
        "after",
        "until",
        "while_here",
        "unless_here",
        "while_done",
        "while_brought",
    )

    def holds(
        self,
        finished: Container[str],
        present: Container[str],
        done: Container[str] = (),
        brought: Container[str] = (),
    ) -> bool:
        """Whether this text is read by one who has finished the quests ``finished``
        where the NPCs ``present`` (ids) are, the features ``done`` (ids of those whose
        lasting action lasts: ``FeatureAction.lasts``) and with the NPCs ``brought``
        where their escorts bring them. Pure."""
        return (
            gates_open(
                (self.after, self.until), (self.while_here, self.unless_here), finished, present
            )
            and (not self.while_done or self.while_done in done)
            and (not self.while_brought or self.while_brought in brought)
        )


def gates_open(
    when: tuple[str, str],
    where: tuple[str, str],
    finished: Container[str],
    present: Container[str],
) -> bool:
    """Whether a fact, an emote or a later text gated by ``when`` (after, until: quest
    ids) and ``where`` (while_here, unless_here: NPC ids; "" for a gate not given, as
    ``_gate`` reads them) is open to one who has finished the quests ``finished``, where
    the NPCs ``present`` are. Pure."""
    (after, until), (here, away) = when, where
    return (
        (not after or after in finished)
        and (not until or until not in finished)
        and (not here or here in present)
        and (not away or away not in present)
    )


def later_description(
    first: str,
    later: Sequence[Later],
    finished: Container[str],
    present: Container[str],
    done: Container[str] = (),
    brought: Container[str] = (),
) -> str:
    """The text of the last of ``later`` that holds (``Later.holds``) for one who has
    finished the quests ``finished`` where the NPCs ``present`` are, the features
    ``done`` are done and the NPCs ``brought`` are where their escorts bring them, else
    ``first``. Pure."""
    for entry in reversed(later):
        if entry.holds(finished, present, done, brought):
            return entry.description
    return first


def _laters(
    fields: Fields,
    path: KeyPath,
    what: str,
    report: Report,
    pack: str,
    lasting: Mapping[str, str],
    text_key: str = "description",
    *,
    in_room: bool = True,
) -> tuple[Later, ...]:
    """The ``later`` list of a room, a feature or (not ``in_room``) a quest step, each
    entry checked (its text, under ``text_key``, is required: a step's is "text", as the
    step's own); see ``_later_texts``. A bad entry is reported and left out."""
    return _later_texts(fields, path, what, report, pack, lasting, (text_key,), in_room)[0]


def _later_texts(
    fields: Fields,
    path: KeyPath,
    what: str,
    report: Report,
    pack: str,
    lasting: Mapping[str, str],
    text_keys: tuple[str, ...],
    in_room: bool = True,
) -> tuple[tuple[Later, ...], ...]:
    """The ``later`` list of what ``fields`` builds, one tuple of ``Later`` per key of
    ``text_keys`` (a quest's "description" and "ending"): each entry holds one or more of
    them, and a gate: its quests and NPCs must exist, ``while_done`` must be a key of
    ``lasting``, the room's features (local key -> id) with an action that lasts, or a
    feature of another room, ``room:feature``, recorded for the loader to check that it
    exists and lasts, and ``while_brought`` an NPC (the loader checks that it has an
    escort). ``in_room``: what is built is a room's or its feature's (a quest's and a
    step's are not: a ``while_done`` of theirs names a room too). A bad entry is
    reported and left out."""
    out: list[list[Later]] = [[] for _ in text_keys]
    keys = (*text_keys, *(k for k in Later.KEYS if k != "description"))
    for sub in _listed(fields, "later", path, f"{what}: later", keys, report):
        if len(text_keys) == 1:
            texts = [sub.text(text_keys[0])]
        else:
            texts = [sub.text(k, "") for k in text_keys]
            if not any(texts):
                named = " or ".join(f"'{k}'" for k in text_keys)
                sub.problem((), f"a later entry needs {named}")
        brought = sub.ref("while_brought", "npc", pack, required=False) or ""
        done_key = sub.text("while_done", "")
        if ":" in done_key:
            # Another room's: the High Stair's lanterns burn once the square's first is lit.
            done = sub.ref("while_done", "feature", pack, required=False) or ""
            if not done:
                continue  # malformed: ``check_ref`` said so
        else:
            done = lasting.get(done_key, "")
        if done_key and not done:
            sub.problem(
                ("while_done",),
                f"'while_done: {done_key}' must name a feature of this room with an action"
                " that lasts ('lasts: true'), or one of another room as room:feature"
                if in_room
                else f"'while_done: {done_key}' must name a feature as room:feature (a"
                " quest has no room of its own)",
            )
            continue
        (after, until), (here, away) = (
            (("", ""), ("", ""))
            if (done or brought or sub.has("while_brought"))
            and not any(sub.has(k) for k in _GATE_KEYS)
            else _gate(sub, pack, "a later description")
        )
        if not (after or until or here or away or done or brought):
            continue
        for kept, text in zip(out, texts, strict=True):
            if text:
                kept.append(Later(" ".join(text.split()), after, until, here, away, done, brought))
    return tuple(tuple(kept) for kept in out)


def _lasting(actions: Sequence[FeatureAction]) -> bool:
    """Whether one of ``actions`` lasts once done (``FeatureAction.lasts``)."""
    return any(a.lasts for a in actions)


def _only_actor(fields: Fields, sub: KeyPath, text: str) -> None:
    """Report each ``{name}`` in ``text`` other than ``{actor}``."""
    for slot in _SOCIAL_SLOTS.findall(text):
        if slot != "actor":
            fields.problem(sub, f"'{{{slot}}}' is not a name here (use {{actor}})")


def _feature_actions(
    fields: Fields,
    path: KeyPath,
    what: str,
    report: Report,
    check: FeatureCheck | None,
    thing: str = "feature",
    *,
    pack: str,
) -> tuple[FeatureAction, ...]:
    """A feature's (or an item's) ``actions`` list, each checked; a verb already taken
    (by another action or by the check, for the same ``after``) is reported and left
    out, and an ``after`` that is no quest is reported."""
    checked = set(check.verbs) if check is not None else set()
    taken: set[tuple[str, str]] = set()  # (verb, after)
    out: list[FeatureAction] = []
    for sub in _listed(fields, "actions", path, what, FeatureAction.KEYS, report):
        verbs = tuple(v.lower() for v in sub.words("verbs"))
        after = sub.ref("after", "quest", pack, required=False) or ""
        if not verbs:
            sub.problem(("verbs",), "an action needs at least one verb")
        for verb in verbs:
            if verb in checked or (verb, after) in taken:
                sub.problem(("verbs",), f"'{verb}' is already a verb of this {thing}")
        you, seen = sub.text("you"), sub.text("seen", "")
        _only_actor(sub, ("seen",), seen)
        lasts, again = sub.flag("lasts", False), sub.text("again", "")
        if lasts and thing != "feature":
            sub.problem(("lasts",), f"'lasts' is for a feature's actions, not an {thing}'s")
            lasts = False
        elif lasts and not again:
            sub.problem(("lasts",), "'lasts' needs 'again': what one reads doing it while it lasts")
        elif again and not lasts:
            sub.problem(("again",), "'again' needs 'lasts: true'")
        elif lasts and any(a.lasts for a in out):
            sub.problem(("lasts",), f"a {thing} has one action that lasts")
            lasts = False
        verbs = tuple(v for v in verbs if v not in checked and (v, after) not in taken)
        taken.update((v, after) for v in verbs)
        if verbs:
            out.append(FeatureAction(verbs, you, seen, after, lasts, again if lasts else ""))
    return tuple(out)


def _listed(
    fields: Fields,
    key: str,
    path: KeyPath,
    what: str,
    keys: tuple[str, ...],
    report: Report,
) -> list[Fields]:
    """The entries of the list of mappings under ``key`` (an item's or a feature's
    ``actions``, an NPC's ``accepts``), each as ``Fields`` of ``keys`` at its own path;
    a value that is not a list, and an entry that is not a mapping, are reported and
    left out. Empty when ``key`` is absent."""
    raw = fields.raw(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        fields.problem((key,), f"'{key}' must be a list, not {_type_name(raw)}")
        return []
    entries = (
        Fields(entry, path=(*path, key, i), what=what, keys=keys, report=report)
        for i, entry in enumerate(raw)
    )
    return [sub for sub in entries if sub.ok]


def _feature_check(fields: Fields) -> FeatureCheck:
    skill: str | None = None
    if fields.has("skill"):
        skill = fields.choice("skill", tuple(SKILLS))
    if fields.has("ability") or skill is None:
        ability = fields.choice("ability", ABILITIES)
    else:
        ability = SKILLS[skill]
    verbs = tuple(v.lower() for v in fields.words("verbs")) or ("search",)
    return FeatureCheck(ability, fields.integer("dc", 1, 40), verbs, skill)


def _reveal(fields: Fields, pack: str, exits: Mapping[str, Exit]) -> Reveal | None:
    given = [key for key in Reveal.KEYS if fields.has(key)]
    if len(given) != 1:
        fields.problem((), "give exactly one of 'exit' or 'item'")
        return None
    if given[0] == "item":
        item = fields.ref("item", "item", pack, required=True)
        return Reveal(item=item) if item is not None else None
    written = fields.text("exit")
    direction = canonical_direction(written)
    if not written:
        return None  # not text: reported by text()
    if direction is None:
        hint = suggestion(written.lower(), DIRECTIONS)
        fields.problem(("exit",), f"exit: unknown direction '{written}'{hint}")
        return None
    found = exits.get(direction)
    if found is None:
        fields.problem(("exit",), f"exit: the room has no exit leading {direction}")
        return None
    if not found.hidden:
        fields.problem(
            ("exit",), f"exit: the exit leading {direction} is not hidden (add hidden: true)"
        )
    return Reveal(exit=direction)


@frozen
class Room:
    """A place. ``exits`` are in ``DIRECTIONS`` order; ``items`` lie here at start.

    ``features`` maps each feature's local key to its ``Feature`` (things to examine and
    search), in the order written; ``safe`` marks a refuge where no fight may start.
    ``ambience``: whole sentences the players here notice now and then, shown as written
    ("Rain drums on the shutters."; ``mud.engine.reactions.ambience``). ``aliases``:
    other names players call the place by ("tavern", "inn"), for "where is the tavern?"
    and "go to the tavern" (``mud.engine.lore.room_named``).
    """

    id: str
    name: str
    description: str
    exits: tuple[Exit, ...] = ()
    items: tuple[str, ...] = ()
    area: str = ""
    pack: str = ""
    vocabulary: tuple[str, ...] = ()
    safe: bool = False
    features: Mapping[str, Feature] = field(factory=_empty_features, hash=False)
    ambience: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    later: tuple[Later, ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "aliases",
        "description",
        "later",
        "area",
        "exits",
        "items",
        "vocabulary",
        "safe",
        "features",
        "ambience",
    )

    def description_for(
        self,
        finished: Container[str],
        present: Container[str] = (),
        done: Container[str] = (),
        brought: Container[str] = (),
    ) -> str:
        """The description one who has finished the quests ``finished`` reads where the
        NPCs ``present`` are, the features ``done`` are done and the NPCs ``brought`` are
        where their escorts bring them (ids; ``later_description``). Pure."""
        return later_description(self.description, self.later, finished, present, done, brought)

    def exit(self, direction: str) -> Exit | None:
        """The exit leading ``direction`` (a name or shorthand, any case), or None."""
        canonical = canonical_direction(direction)
        for candidate in self.exits:
            if candidate.direction == canonical:
                return candidate
        return None

    def visible_exits(self) -> tuple[Exit, ...]:
        """The exits a newcomer sees (not hidden), in ``DIRECTIONS`` order."""
        return tuple(e for e in self.exits if not e.hidden)

    @staticmethod
    def from_mapping(
        pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> Room | None:
        """Build room ``pack:local_id`` from its parsed ``rooms.yaml`` entry at ``path``.

        Reports every problem and every reference; returns None only when ``data`` is not
        a mapping.
        """
        what = f"room '{local_id}'"
        fields = Fields(data, path=path, what=what, keys=Room.KEYS, report=report)
        if not fields.ok:
            return None
        name = fields.text("name")
        description = fields.text("description")
        exits: dict[str, Exit] = {}
        raw_exits = fields.raw("exits")
        if isinstance(raw_exits, Mapping):
            for key, value in raw_exits.items():
                made = Exit.from_value(
                    str(key),
                    value,
                    pack=pack,
                    path=(*path, "exits", key),
                    what=what,
                    report=report,
                )
                if made is None:
                    continue
                if made.direction in exits:
                    fields.problem(
                        ("exits", key), f"exit '{key}': a second exit leading {made.direction}"
                    )
                    continue
                exits[made.direction] = made
        elif raw_exits is not None:
            fields.problem(("exits",), f"'exits' must be a mapping, not {_type_name(raw_exits)}")
        items: list[str] = []
        raw_items = fields.raw("items")
        if isinstance(raw_items, list):
            for i, ref in enumerate(raw_items):
                target = check_ref(ref, (*path, "items", i), "item", pack, f"{what}: item", report)
                if target is not None:
                    items.append(target)
        elif raw_items is not None:
            fields.problem(("items",), f"'items' must be a list, not {_type_name(raw_items)}")
        room_id = f"{pack}:{local_id}"
        features: dict[str, Feature] = {}
        raw_features = fields.raw("features")
        if isinstance(raw_features, Mapping):
            for key, value in raw_features.items():
                if not ID_RE.fullmatch(key):
                    fields.problem(
                        ("features", key), f"feature id '{key}' must be lowercase a-z, 0-9 and _"
                    )
                    continue
                feature = Feature.from_mapping(
                    room_id, key, value, exits=exits, path=(*path, "features", key), report=report
                )
                if feature is not None:
                    features[key] = feature
        elif raw_features is not None:
            fields.problem(
                ("features",), f"'features' must be a mapping, not {_type_name(raw_features)}"
            )
        return Room(
            id=room_id,
            name=name,
            description=description,
            exits=tuple(exits[d] for d in DIRECTIONS if d in exits),
            items=tuple(items),
            area=fields.text("area", ""),
            pack=pack,
            vocabulary=fields.words("vocabulary"),
            safe=fields.flag("safe", False),
            features=MappingProxyType(features),
            ambience=fields.sentences("ambience"),
            aliases=fields.words("aliases"),
            later=_laters(
                fields,
                path,
                what,
                report,
                pack,
                {k: f.id for k, f in features.items() if _lasting(f.actions)},
            ),
        )


def _words_of(text: str) -> list[str]:
    return text.lower().split()


@frozen
class ItemEffect:
    """What using a consumable does: exactly one of ``heal`` (dice of HP restored) or
    ``condition`` (one of ``CONDITION_NAMES``) given for ``rounds`` (1..100) turns."""

    heal: str | None = None
    condition: str | None = None
    rounds: int = 0

    KEYS: ClassVar[tuple[str, ...]] = ("heal", "condition", "rounds")


@frozen
class ItemTemplate:
    """A kind of thing. ``carry`` False means it cannot be picked up (a fixed spyglass);
    ``value`` is in gold; ``weight`` is 0 when the builder did not give one.

    ``kind`` is one of ``ITEM_KINDS``. Weapons have ``damage`` (dice, the weapon's roll
    without the wielder's modifier). Armour has ``armour_class`` (the AC it gives in place
    of the wearer's base, 1..30) and/or ``ac_bonus`` (added, 0..10); shields have
    ``ac_bonus``. Consumables have an ``effect``. Other kinds have none of these.
    ``per_player`` (``unique: per_player``): each player takes a copy of their own and the
    one in the room stays (a quest item everyone needs); otherwise (``unique: reset``, the
    default) there is one, and a reset of its area puts a new one back. ``actions`` are
    what may be done with it, carried or lying here, as with a feature's ("light the
    lantern", "open the locket"; ``FeatureAction``). A consumable's ``taste`` is what the
    one who eats, drinks or uses it reads, word for word ("" when the builder wrote none).
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    carry: bool = True
    value: int = 0
    weight: float = 0.0
    pack: str = ""
    kind: str = "misc"
    damage: str | None = None
    ac_bonus: int = 0
    armour_class: int | None = None
    effect: ItemEffect | None = None
    per_player: bool = False
    actions: tuple[FeatureAction, ...] = ()
    taste: str = ""

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "aliases",
        "description",
        "unique",
        "carry",
        "value",
        "weight",
        "kind",
        "damage",
        "ac_bonus",
        "armour_class",
        "effect",
        "taste",
        "actions",
    )

    @staticmethod
    def from_mapping(
        pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> ItemTemplate | None:
        """Build item ``pack:local_id`` from its parsed ``items.yaml`` entry at ``path``.

        Reports every problem; returns None only when ``data`` is not a mapping.
        """
        fields = Fields(
            data, path=path, what=f"item '{local_id}'", keys=ItemTemplate.KEYS, report=report
        )
        if not fields.ok:
            return None
        kind = fields.choice("kind", ITEM_KINDS, "misc")
        written = fields.raw("kind")
        # A kind that is none (reported, with a did-you-mean) is not judged as "misc":
        # played, "kind: armor" also gave "'armour_class' does not apply to kind 'misc'".
        known = written is None or (
            isinstance(written, str) and written.strip().lower() in ITEM_KINDS
        )
        damage = fields.dice("damage", required=False)
        ac_bonus = fields.integer("ac_bonus", 0, 10, 0)
        armour_class = fields.integer("armour_class", 1, 30, 0) or None
        effect = None
        effect_fields = fields.sub("effect", ItemEffect.KEYS)
        if effect_fields is not None:
            effect = _item_effect(effect_fields)
        if known:
            _item_kind_rules(fields, kind)
        return ItemTemplate(
            id=f"{pack}:{local_id}",
            name=fields.text("name"),
            aliases=tuple(a.lower() for a in fields.words("aliases")),
            description=fields.text("description"),
            carry=fields.flag("carry", True),
            value=fields.count("value", 0),
            weight=fields.amount("weight", 0.0),
            pack=pack,
            kind=kind,
            damage=damage,
            ac_bonus=ac_bonus,
            armour_class=armour_class,
            effect=effect,
            per_player=fields.choice("unique", UNIQUE_RULES, "reset") == "per_player",
            actions=_feature_actions(
                fields, path, f"item '{local_id}'", report, None, "item", pack=pack
            ),
            taste=fields.text("taste", ""),
        )


UNIQUE_RULES: tuple[str, ...] = ("reset", "per_player")
"""``unique`` of an item: one copy that a reset returns, or a copy for each player."""


# Which optional item keys each kind needs (all of), may have, and must have one of.
_KIND_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = (
    MappingProxyType(
        {
            "weapon": (("damage",), (), ()),
            "armour": ((), ("armour_class", "ac_bonus"), ("armour_class", "ac_bonus")),
            "shield": (("ac_bonus",), (), ()),
            "consumable": (("effect",), ("taste",), ()),
        }
    )
)
_KIND_ONLY_KEYS = ("damage", "ac_bonus", "armour_class", "effect", "taste")


def _item_kind_rules(fields: Fields, kind: str) -> None:
    needs, may, one_of = _KIND_KEYS.get(kind, ((), (), ()))
    article = "an" if kind[:1] in "aeiou" else "a"
    for key in needs:
        if not fields.has(key):
            fields.problem((), f"{article} {kind} needs '{key}'")
    if one_of and not any(fields.has(key) for key in one_of):
        fields.problem((), f"{article} {kind} needs '{one_of[0]}' or '{one_of[1]}'")
    for key in _KIND_ONLY_KEYS:
        if fields.has(key) and key not in needs and key not in may:
            fields.problem((key,), f"'{key}' does not apply to kind '{kind}'")


def _item_effect(fields: Fields) -> ItemEffect | None:
    given = [key for key in ("heal", "condition") if fields.has(key)]
    if len(given) != 1:
        fields.problem((), "give exactly one of 'heal' or 'condition'")
        return None
    if given[0] == "heal":
        if fields.has("rounds"):
            fields.problem(("rounds",), "'rounds' goes with 'condition', not 'heal'")
        return ItemEffect(heal=fields.dice("heal", required=True))
    return ItemEffect(
        condition=fields.choice("condition", CONDITION_NAMES),
        rounds=fields.integer("rounds", 1, 100),
    )


def names_match(word: str, names: Iterable[str]) -> bool:
    """True when ``word`` names one of ``names``, ignoring case: it equals a name, or each
    of its words is a prefix of a word of the name, in order. Empty input matches nothing."""
    wanted = _words_of(word)
    if not wanted:
        return False
    for candidate in names:
        have = _words_of(candidate)
        if wanted == have or prefixes_in_order(wanted, have):
            return True
    return False


def prefixes_in_order(wanted: Sequence[str], have: Sequence[str]) -> bool:
    """True when each word of ``wanted`` starts a word of ``have``, in order ("ru ke"
    finds "rusty key"). Used by the loader's name matching and the search rule."""
    position = 0
    for part in wanted:
        while position < len(have) and not have[position].startswith(part):
            position += 1
        if position == len(have):
            return False
        position += 1
    return True


POWER_REACH: tuple[str, ...] = ("self", "touch")
"""Whom a class power reaches: its user only, or its user or a player beside them."""


@frozen
class ClassPower:
    """A power of a class (``powers:`` in ``classes.yaml``): what it does is an
    ``effect`` as a consumable's (``heal`` dice of hit points, or a ``condition`` for
    ``rounds``), and a healing one adds the modifier of ``ability`` (one of
    ``ABILITIES``, "" for none). ``verbs`` are what a player types to use it ("heal",
    "second wind"), each one or more words; ``uses`` how often between long rests
    (1..20); ``reach`` one of ``POWER_REACH``. ``description`` is what ``powers`` shows."""

    id: str
    name: str
    description: str
    verbs: tuple[str, ...]
    effect: ItemEffect
    ability: str = ""
    uses: int = 1
    reach: str = "touch"

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "verbs",
        "effect",
        "ability",
        "uses",
        "reach",
    )

    @staticmethod
    def from_mapping(
        cls_id: str, key: str, data: object, *, path: KeyPath, report: Report
    ) -> ClassPower | None:
        """Build power ``key`` of class ``cls_id`` from its parsed entry at ``path``.
        Reports every problem; returns None when it cannot be used at all (no mapping,
        no verbs or no effect)."""
        what = f"class '{cls_id.partition(':')[2]}': power '{key}'"
        fields = Fields(data, path=path, what=what, keys=ClassPower.KEYS, report=report)
        if not fields.ok:
            return None
        verbs = tuple(" ".join(v.lower().split()) for v in fields.words("verbs") if v.strip())
        if not verbs:
            fields.problem((), "a power needs 'verbs' (what a player types to use it)")
        effect = None
        effect_fields = fields.sub("effect", ItemEffect.KEYS)
        if effect_fields is not None:
            effect = _item_effect(effect_fields)
        elif not fields.has("effect"):
            fields.problem((), "a power needs an 'effect' ({heal: 1d8} or a condition)")
        ability = fields.text("ability", "").lower()
        if ability and ability not in ABILITIES:
            fields.problem(
                ("ability",),
                f"'ability': '{ability}' is not an ability{suggestion(ability, ABILITIES)}",
            )
            ability = ""
        if ability and effect is not None and not effect.heal:
            fields.problem(("ability",), "'ability' adds to healing: this power heals nothing")
        name = fields.text("name")
        if not verbs or effect is None:
            return None
        return ClassPower(
            id=key,
            name=name,
            description=fields.text("description", ""),
            verbs=verbs,
            effect=effect,
            ability=ability,
            uses=fields.integer("uses", 1, 20, 1),
            reach=fields.choice("reach", POWER_REACH, "touch"),
        )


@frozen
class ClassTemplate:
    """A character class players choose at creation.

    ``hit_die`` is the die size (one of ``HIT_DICE``); ``abilities`` maps each of
    ``ABILITIES`` to a starting score 1..30 (``mud.engine.rules.Stats.from_mapping`` reads
    it as is); ``armour_class`` is the AC with no armour worn (1..30); ``attack_ability``
    (``str`` or ``dex``) adds to weapon attacks and damage; ``proficient`` lists the
    abilities and skills (``SKILLS``) the class adds its proficiency bonus to.
    """

    id: str
    name: str
    description: str
    hit_die: int
    abilities: Mapping[str, int] = field(factory=_empty_scores, hash=False)
    armour_class: int = 10
    start_items: tuple[str, ...] = ()
    start_gold: int = 0
    attack_ability: str = "str"
    proficient: tuple[str, ...] = ()
    pack: str = ""
    powers: tuple[ClassPower, ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "hit_die",
        "abilities",
        "armour_class",
        "start_items",
        "start_gold",
        "attack_ability",
        "proficient",
        "powers",
    )

    def matches(self, word: str) -> bool:
        """True when what a player typed names this class: it equals the name or the
        local id, or each of its words starts a word of one, in order (the rule of
        ``mud.engine.search``)."""
        return names_match(word, (self.name, self.id.partition(":")[2]))

    @staticmethod
    def from_mapping(
        pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> ClassTemplate | None:
        """Build class ``pack:local_id`` from its parsed ``classes.yaml`` entry at ``path``.

        Reports every problem; returns None only when ``data`` is not a mapping.
        """
        fields = Fields(
            data, path=path, what=f"class '{local_id}'", keys=ClassTemplate.KEYS, report=report
        )
        if not fields.ok:
            return None
        hit_die = 8
        sizes = ", ".join(f"d{n}" for n in HIT_DICE)
        number = fields.raw("hit_die")
        if isinstance(number, int | float) and not isinstance(number, bool):
            # Played: "must be text, not a number (put it in quotes)", and quoted, "must
            # be one of d4, ...": a die is written with its d.
            die = ""
            write = f"d{number}" if number in HIT_DICE else f"one of {sizes}"
            fields.problem(("hit_die",), f"'hit_die' is a die, not a number: write {write}")
        else:
            die = fields.text("hit_die")
        size = die[1:] if die[:1].lower() == "d" else ""
        if size.isdigit() and int(size) in HIT_DICE:
            hit_die = int(size)
        elif die:
            meant = f" (write d{die})" if die.isdigit() and int(die) in HIT_DICE else ""
            fields.problem(("hit_die",), f"'hit_die' must be one of {sizes}, not '{die}'{meant}")
        scores: dict[str, int] = {}
        ability_fields = fields.sub("abilities", ABILITIES)
        if ability_fields is not None:
            for name in ABILITIES:
                scores[name] = ability_fields.integer(name, 1, 30)
        elif not fields.has("abilities"):
            fields.problem((), "missing required key 'abilities'")
        proficient: list[str] = []
        choices = (*ABILITIES, *SKILLS)
        for i, word in enumerate(fields.words("proficient")):
            key = word.lower()
            if key in choices:
                proficient.append(key)
            else:
                fields.problem(
                    ("proficient", i),
                    f"'proficient': '{word}' is not an ability or skill{suggestion(key, choices)}",
                )
        powers: list[ClassPower] = []
        raw_powers = fields.raw("powers")
        if isinstance(raw_powers, Mapping):
            said: dict[str, str] = {}
            for key, value in raw_powers.items():
                if not ID_RE.fullmatch(str(key)):
                    fields.problem(
                        ("powers", key), f"power id '{key}' must be lowercase a-z, 0-9 and _"
                    )
                    continue
                power = ClassPower.from_mapping(
                    f"{pack}:{local_id}", str(key), value, path=(*path, "powers", key),
                    report=report,
                )  # fmt: skip
                if power is None:
                    continue
                for verb in power.verbs:
                    if verb in said:
                        fields.problem(
                            ("powers", key, "verbs"),
                            f"verb '{verb}' is already power '{said[verb]}''s",
                        )
                    said.setdefault(verb, power.id)
                powers.append(power)
        elif raw_powers is not None:
            fields.problem(("powers",), f"'powers' must be a mapping, not {_type_name(raw_powers)}")
        return ClassTemplate(
            id=f"{pack}:{local_id}",
            name=fields.text("name"),
            description=fields.text("description"),
            hit_die=hit_die,
            abilities=MappingProxyType(scores),
            armour_class=fields.integer("armour_class", 1, 30, 10),
            start_items=fields.refs("start_items", "item", pack),
            start_gold=fields.count("start_gold", 0),
            attack_ability=fields.choice("attack_ability", ("str", "dex")),
            proficient=tuple(proficient),
            pack=pack,
            powers=tuple(powers),
        )


@frozen
class NpcStats:
    """What the engine needs to fight an NPC (``mud.engine.combat.Combatant``): ``hp``
    1..1000, ``ac`` 1..30, ``attack_bonus`` -5..20, ``damage`` dice, ``dex_mod`` -5..10
    (initiative), ``xp`` 0.. awarded for defeating it, ``perception`` 1..30 its passive
    Perception (a hidden player whose stealth roll is below it is found:
    ``mud.engine.stealth``)."""

    hp: int
    ac: int
    attack_bonus: int
    damage: str
    dex_mod: int = 0
    xp: int = 0
    perception: int = 10

    KEYS: ClassVar[tuple[str, ...]] = (
        "hp",
        "ac",
        "attack_bonus",
        "damage",
        "dex_mod",
        "xp",
        "perception",
    )


@frozen
class Shop:
    """A shopkeeper's trade: ``sells`` (item ids, unlimited stock, at each item's
    ``value``), and ``buy_rate`` (0..1): the share of an item's value paid when buying
    from players. ``round``: the ware (one of ``sells``) a player who buys a round for
    everyone here buys one of for each ("" when the keeper stands none)."""

    sells: tuple[str, ...]
    buy_rate: float = 0.5
    round: str = ""

    KEYS: ClassVar[tuple[str, ...]] = ("sells", "buy_rate", "round")


@frozen
class Accepted:
    """A thing an NPC takes when a player gives it to them (``NpcTemplate.accepts``):
    the item id ``item``, and ``says``, their words as they take it (shown verbatim)."""

    item: str
    says: str

    KEYS: ClassVar[tuple[str, ...]] = ("item", "says")


@frozen
class Escort:
    """Where an NPC goes with a player who asks them along (``NpcTemplate.escort``):
    ``to``, the room they are brought to; ``after``, the quest the asker must have
    finished first ("" for none); ``says``, their words as they set off; ``arrives``,
    their words once there (where they stay until their home area resets); ``before``,
    their words to one who asks before finishing ``after``; ``emotes``, what they do
    now and then at ``to`` in place of their own ``emotes``, which belong to their home
    (``emotes_when`` and ``emotes_where`` as the NPC's own);
    ``description``, what one reads looking at them at ``to``, in place of their own
    ("" keeps it: Edda "sitting with her back against the great bell" was read by the
    tavern fire) (all shown verbatim)."""

    to: str
    after: str = ""
    says: str = ""
    arrives: str = ""
    before: str = ""
    emotes: tuple[str, ...] = ()
    description: str = ""
    emotes_when: tuple[tuple[str, str], ...] = ()
    emotes_where: tuple[tuple[str, str], ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = (
        "to",
        "after",
        "says",
        "arrives",
        "before",
        "emotes",
        "description",
    )


def _escort(fields: Fields, pack: str) -> Escort | None:
    """An NPC's ``escort`` mapping (None when absent or broken; problems reported)."""
    sub = fields.sub("escort", Escort.KEYS)
    if sub is None:
        return None
    to = sub.ref("to", "room", pack, required=True)
    after = sub.ref("after", "quest", pack, required=False) or ""
    emotes, (emotes_when, emotes_where) = _emotes(sub, pack)
    escort = Escort(
        to=to or "",
        after=after,
        says=" ".join(sub.text("says", "").split()),
        arrives=" ".join(sub.text("arrives", "").split()),
        before=" ".join(sub.text("before", "").split()),
        emotes=emotes,
        description=" ".join(sub.text("description", "").split()),
        emotes_when=emotes_when,
        emotes_where=emotes_where,
    )
    return escort if to else None


def _accepts(
    fields: Fields, path: KeyPath, what: str, report: Report, pack: str
) -> tuple[Accepted, ...]:
    """An NPC's ``accepts`` list, each entry checked (an item id, and the words said)."""
    out: list[Accepted] = []
    # "accepts:" in the label: "npc 'wenna': item -> ..." did not say which item.
    for sub in _listed(fields, "accepts", path, f"{what}: accepts", Accepted.KEYS, report):
        item = sub.ref("item", "item", pack, required=True)
        says = sub.text("says")
        if item is not None and says:
            out.append(Accepted(item, says))
    return tuple(out)


@frozen
class NpcTemplate:
    """A non-player character and where it starts.

    ``room`` is where it appears; ``wander`` (may be empty) the rooms it may drift
    between. ``hostile`` NPCs can be fought and have ``stats``; ``aggressive`` ones (always
    hostile) attack players who enter. ``carries`` are items it holds (seen on it, left
    behind when it is defeated), ``drops`` loot found only on defeat, ``gold`` coins it
    drops. ``persona`` tells the narrator how it talks; ``knows`` facts it may share.
    ``greeting`` is what it says the first time someone talks to it, ``intro`` what it
    says when asked who it is, and ``unknown`` what it says when asked about something
    it does not know (all shown verbatim).
    ``defeat`` is shown to the room, verbatim, when it is defeated (how it ends: "The
    corpse-light gutters out like a pinched wick."). ``respawn`` is seconds until it
    returns after defeat (0: only when its area resets; ``RESPAWN_NEVER`` (written
    ``respawn: never``): gone for good). ``boss`` marks a campaign's final foe (always
    hostile). ``emotes``: whole sentences of what it does now and then while players are
    near and no fight is on, shown as written ("Bessa Thorn wipes her hands on her
    apron."); the offline narrator also tells one after it answers someone.
    ``accepts``: things it takes when a player gives them (``Accepted``); ``tips``: what
    it says as it takes gold a player gives it (a tip, kept), "" when it takes none.
    ``lodging``: what it says when a player asks it for a room for the night (the
    asker then sleeps: the long rest, where the room is safe).
    ``replies``: what it says when a player answers the question its greeting asks, by
    the answer: "yes" and "no" (however said: "aye", "of course", "nope"), or a word
    the answer holds ("light" for "I came to light a lamp").
    ``guards``: what it says when a player it sees picks up a thing in its room, by the
    thing's item id (Crake, as the rusty key leaves his loft).
    ``knows_when``: for each ``knows`` fact, in order, the quest the asker must have
    finished for the NPC to tell it and the quest whose finishing ends it ("" for
    none): (after, until); empty when every fact is always told.
    ``escort``: where the NPC goes with a player who asks them along (``Escort``;
    ``mud.engine.escort``), None for one who stays.
    ``emotes_when``: for each of the ``emotes``, in order, the quest every player in the
    room must have finished for the NPC to do it and the quest whose finishing by any
    of them ends it ("" for none): (after, until); empty when none is gated.
    ``knows_where`` and ``emotes_where``: for each fact or emote, in order, the NPC that
    must be in the room for it to be told or done, and the one that must not ("" for
    none): (while_here, unless_here); empty when none is gated so (Bessa's lodger "gone
    three nights" not while Edda sits by her fire; her eyes on the door likewise).
    """

    id: str
    name: str
    description: str
    room: str
    aliases: tuple[str, ...] = ()
    wander: tuple[str, ...] = ()
    hostile: bool = False
    aggressive: bool = False
    stats: NpcStats | None = None
    carries: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()
    gold: int = 0
    persona: str = ""
    knows: tuple[str, ...] = ()
    greeting: str = ""
    intro: str = ""
    unknown: str = ""
    defeat: str = ""
    respawn: int = 0
    shop: Shop | None = None
    boss: bool = False
    emotes: tuple[str, ...] = ()
    pack: str = ""
    accepts: tuple[Accepted, ...] = ()
    tips: str = ""
    replies: Mapping[str, str] = field(factory=lambda: MappingProxyType({}), hash=False)
    lodging: str = ""
    guards: Mapping[str, str] = field(factory=lambda: MappingProxyType({}), hash=False)
    knows_when: tuple[tuple[str, str], ...] = ()
    escort: Escort | None = None
    emotes_when: tuple[tuple[str, str], ...] = ()
    knows_where: tuple[tuple[str, str], ...] = ()
    emotes_where: tuple[tuple[str, str], ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "aliases",
        "description",
        "room",
        "wander",
        "hostile",
        "aggressive",
        "stats",
        "carries",
        "drops",
        "gold",
        "persona",
        "knows",
        "greeting",
        "intro",
        "unknown",
        "defeat",
        "respawn",
        "shop",
        "boss",
        "emotes",
        "accepts",
        "tips",
        "replies",
        "lodging",
        "guards",
        "escort",
    )

    @property
    def full_hp(self) -> int:
        """Its hit points unhurt: its ``stats``' (1 for one the builder gave none)."""
        return self.stats.hp if self.stats is not None else 1

    @staticmethod
    def from_mapping(
        pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> NpcTemplate | None:
        """Build NPC ``pack:local_id`` from its parsed ``npcs.yaml`` entry at ``path``.

        Reports every problem; returns None only when ``data`` is not a mapping.
        """
        fields = Fields(
            data, path=path, what=f"npc '{local_id}'", keys=NpcTemplate.KEYS, report=report
        )
        if not fields.ok:
            return None
        hostile = fields.flag("hostile", False)
        aggressive = fields.flag("aggressive", False)
        boss = fields.flag("boss", False)
        stats = None
        stats_fields = fields.sub("stats", NpcStats.KEYS)
        if stats_fields is not None:
            stats = NpcStats(
                hp=stats_fields.integer("hp", 1, 1000),
                ac=stats_fields.integer("ac", 1, 30),
                attack_bonus=stats_fields.integer("attack_bonus", -5, 20),
                damage=stats_fields.dice("damage", required=True) or "1",
                dex_mod=stats_fields.integer("dex_mod", -5, 10, 0),
                xp=stats_fields.integer("xp", 0, 1_000_000, 0),
                perception=stats_fields.integer("perception", 1, 30, 10),
            )
        shop = None
        shop_fields = fields.sub("shop", Shop.KEYS)
        if shop_fields is not None:
            sells = shop_fields.refs("sells", "item", pack)
            if not shop_fields.has("sells"):
                shop_fields.problem((), "missing required key 'sells'")
            buy_rate = shop_fields.amount("buy_rate", 0.5)
            if buy_rate > 1:
                shop_fields.problem(("buy_rate",), "'buy_rate' must be from 0 to 1")
                buy_rate = 0.5
            stood = shop_fields.ref("round", "item", pack, required=False) or ""
            if stood and sells and stood not in sells:
                shop_fields.problem(("round",), "'round' must be one of the wares in 'sells'")
                stood = ""
            shop = Shop(sells, buy_rate, stood)
        if aggressive and not hostile:
            fields.problem(("aggressive",), "an aggressive NPC must also be hostile")
        if boss and not hostile:
            fields.problem(("boss",), "a boss must be hostile")
        if hostile and stats is None and not fields.has("stats"):
            fields.problem((), "a hostile NPC needs 'stats'")
        if hostile and shop is not None:
            fields.problem(("shop",), "a hostile NPC cannot keep a shop")
        knows, (knows_when, knows_where) = _knows(fields, pack)
        emotes, (emotes_when, emotes_where) = _emotes(fields, pack)
        return NpcTemplate(
            id=f"{pack}:{local_id}",
            name=fields.text("name"),
            description=fields.text("description"),
            room=fields.ref("room", "room", pack, required=True) or "",
            aliases=tuple(a.lower() for a in fields.words("aliases")),
            wander=fields.refs("wander", "room", pack),
            hostile=hostile,
            aggressive=aggressive,
            stats=stats,
            carries=fields.refs("carries", "item", pack),
            drops=fields.refs("drops", "item", pack),
            gold=fields.count("gold", 0),
            persona=fields.text("persona", ""),
            knows=knows,
            knows_when=knows_when,
            knows_where=knows_where,
            greeting=fields.text("greeting", ""),
            intro=fields.text("intro", ""),
            unknown=fields.text("unknown", ""),
            defeat=fields.text("defeat", ""),
            respawn=_respawn(fields),
            shop=shop,
            boss=boss,
            emotes=emotes,
            emotes_when=emotes_when,
            emotes_where=emotes_where,
            pack=pack,
            accepts=_accepts(fields, path, f"npc '{local_id}'", report, pack),
            tips=fields.text("tips", ""),
            replies=_replies(fields),
            lodging=fields.text("lodging", ""),
            guards=_guards(fields, pack),
            escort=_escort(fields, pack),
        )


#: The keys that gate a ``knows`` fact or an emote written as a mapping: quests the one
#: told must have finished (``after``) or not (``until``), and someone of the world who
#: must be in the room (``while_here``) or not (``unless_here``).
_GATE_KEYS = ("after", "until", "while_here", "unless_here")
#: Gated entries, each (after, until) and (while_here, unless_here) ("" for none).
_Gates = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def _gate(entry: Fields, pack: str, what: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The gates of a fact or emote written as a mapping (``_GATE_KEYS``; ids qualified
    in ``pack`` and recorded for checking): (after, until) and (while_here,
    unless_here), "" for none; reported when it has none (``what``: "a fact")."""
    after = entry.ref("after", "quest", pack, required=False) or ""
    until = entry.ref("until", "quest", pack, required=False) or ""
    here = entry.ref("while_here", "npc", pack, required=False) or ""
    away = entry.ref("unless_here", "npc", pack, required=False) or ""
    if not (after or until or here or away):
        entry.problem(
            (),
            f"{what} written as a mapping needs 'after' or 'until' (a quest id), or"
            " 'while_here' or 'unless_here' (an npc id)",
        )
    return (after, until), (here, away)


def _gated(gates: list[tuple[tuple[str, str], tuple[str, str]]]) -> _Gates:
    """Each entry's (after, until) and (while_here, unless_here), each () when no entry
    is gated that way."""
    when = tuple(g[0] for g in gates)
    where = tuple(g[1] for g in gates)
    return (
        when if any(w != ("", "") for w in when) else (),
        where if any(w != ("", "") for w in where) else (),
    )


def _knows(fields: Fields, pack: str) -> tuple[tuple[str, ...], _Gates]:
    """An NPC's ``knows``: each entry a fact's text, or a mapping of ``says`` (the text)
    gated (``_gate``): told only once the asker has finished ``after``, no longer once
    they have finished ``until``, only while ``while_here`` is in the room, and not
    while ``unless_here`` is. Returns the texts and their gates (``_gated``)."""
    return _gated_list(
        fields,
        pack,
        ("knows", "says", "text", "a fact"),
        lambda _owner, _at, text: " ".join(text.split()),
    )


def _emotes(fields: Fields, pack: str) -> tuple[tuple[str, ...], _Gates]:
    """An NPC's (or its escort's) ``emotes``: each entry a whole sentence, or a mapping of
    ``does`` (the sentence) gated as ``knows`` facts are (``_gate``), by every player in
    the room. Returns the sentences and their gates (``_gated``)."""
    return _gated_list(
        fields,
        pack,
        ("emotes", "does", "a sentence", "an emote"),
        lambda owner, at, text: owner.sentence(at, "emotes", text),
    )


def _gated_list(
    fields: Fields,
    pack: str,
    names: tuple[str, str, str, str],
    shown: Callable[[Fields, KeyPath, str], str | None],
) -> tuple[tuple[str, ...], _Gates]:
    """The list of ``names`` (its key, the text's key in a mapping, what an
    entry is, what a mapping is: "knows", "says", "text", "a fact"): each entry its text,
    or a mapping of its text and gates (``_gate``); ``shown`` makes a text what is shown
    (None, reported by it, drops the entry). Returns the texts and their gates."""
    key, text_key, kind, what = names
    raw = fields.raw(key)
    if raw is None:
        return (), ((), ())
    if not isinstance(raw, list):
        fields.problem((key,), f"'{key}' must be a list, not {_type_name(raw)}")
        return (), ((), ())
    texts: list[str] = []
    gates: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for i, entry in enumerate(raw):
        gate: tuple[tuple[str, str], tuple[str, str]] = (("", ""), ("", ""))
        if isinstance(entry, Mapping):
            sub = Fields(
                entry,
                path=(*fields.path, key, i),
                what=f"{fields.what}: {key}",
                keys=(text_key, *_GATE_KEYS),
                report=fields.report,
            )
            said = sub.text(text_key)
            gate = _gate(sub, pack, what)
            text = shown(sub, (text_key,), said) if said else None
        elif isinstance(entry, str) and entry.strip():
            text = shown(fields, (key, i), entry.strip())
        elif isinstance(entry, str):
            fields.problem((key, i), f"'{key}' entries must not be empty")
            continue
        else:
            fields.problem(
                (key, i), f"'{key}' entries must be {kind} or a mapping, not {_type_name(entry)}"
            )
            continue
        if text is not None:
            texts.append(text)
            gates.append(gate)
    return tuple(texts), _gated(gates)


def _mapping(fields: Fields, key: str) -> Mapping[object, object]:
    """The mapping under ``key`` (empty when absent; reported and empty when it is not
    a mapping)."""
    raw = fields.raw(key)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        fields.problem((key,), f"'{key}' must be a mapping, not {_type_name(raw)}")
        return {}
    return raw


def _guards(fields: Fields, pack: str) -> Mapping[str, str]:
    """An NPC's ``guards``: item id (qualified in ``pack``, recorded for checking like
    every reference) -> what it says as a player takes that item from its room."""
    out: dict[str, str] = {}
    for key, text in _mapping(fields, "guards").items():
        path = (*fields.path, "guards", str(key))
        item = check_ref(key, path, "item", pack, f"{fields.what}: guards", fields.report)
        if item is None:
            continue
        if not isinstance(text, str) or not text.strip():
            fields.problem(("guards", str(key)), f"what it says of '{key}' must be text")
            continue
        out[item] = " ".join(text.split())
    return MappingProxyType(out)


def _replies(fields: Fields) -> Mapping[str, str]:
    """An NPC's ``replies``: answer word -> what it says. YAML reads a bare ``yes`` and
    ``no`` as true and false, so those keys come back as the words; every other key
    must be one word, every reply text, and the NPC must have a greeting to ask in."""
    out: dict[str, str] = {}
    for key, text in _mapping(fields, "replies").items():
        word = ("yes" if key else "no") if isinstance(key, bool) else key
        if not isinstance(word, str) or len(word.split()) != 1:
            fields.problem(
                ("replies", str(key)),
                "a reply is keyed by one word of the answer: yes, no, or a word it holds"
                " ('light' for 'I came to light a lamp')",
            )
            continue
        if not isinstance(text, str) or not text.strip():
            fields.problem(("replies", str(key)), f"reply '{word}' must be text")
            continue
        out[word.strip().lower()] = " ".join(text.split())
    if out and not fields.text("greeting", ""):
        fields.problem(
            ("replies",), "'replies' answer the question the greeting asks: give it a 'greeting'"
        )
    return MappingProxyType(out)


RESPAWN_NEVER = -1
"""``NpcTemplate.respawn`` of an NPC that never comes back (``respawn: never``)."""


def _respawn(fields: Fields) -> int:
    """Seconds until a defeated NPC comes back (0: only a reset), or ``RESPAWN_NEVER``."""
    raw = fields.raw("respawn")
    if isinstance(raw, str) and fields.text("respawn").lower() == "never":
        return RESPAWN_NEVER
    if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int) or raw < 0):
        # Played: "respawn: 5 minutes" was told only of numbers, not of never.
        fields.problem(
            ("respawn",),
            f"'respawn' must be a number of seconds (0 or more) or never, not {raw!r}",
        )
        return 0
    return fields.count("respawn", 0)


@frozen
class Trigger:
    """What completes a quest step: ``kind`` (a key of ``TRIGGER_KINDS``: enter a room,
    hold an item, defeat an NPC, succeed at a feature's check) and the qualified id of
    that room, item, NPC or feature."""

    kind: str
    target: str


@frozen
class QuestStep:
    """One step of a quest; ``id`` is local to the quest, ``text`` tells the player what
    to do next."""

    id: str
    text: str
    trigger: Trigger
    later: tuple[Later, ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = ("id", "text", "trigger", "later")


@frozen
class Reward:
    """What finishing a quest gives: ``xp``, ``gold`` and ``items`` (ids)."""

    xp: int = 0
    gold: int = 0
    items: tuple[str, ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = ("xp", "gold", "items")


@frozen
class QuestTemplate:
    """A quest: ``steps`` done in the order written (at least one; step ids unique),
    a ``reward``, ``requires``: quests that must be finished before this one starts, and
    ``ending``: the builder's words for how it ends, told to whoever finishes it ("" for
    none); ``later``: its description as it reads once things have changed (``Later``;
    a step's text has its own), ``later_ending`` its ending so (both written under
    ``later``, an entry's ``description`` and ``ending``: Pell, home already, is not
    found at the top of the ice stair).
    """

    id: str
    name: str
    description: str
    steps: tuple[QuestStep, ...]
    reward: Reward = Reward()
    requires: tuple[str, ...] = ()
    pack: str = ""
    ending: str = ""
    later: tuple[Later, ...] = ()
    later_ending: tuple[Later, ...] = ()

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "steps",
        "reward",
        "requires",
        "ending",
        "later",
    )

    @staticmethod
    def from_mapping(
        pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> QuestTemplate | None:
        """Build quest ``pack:local_id`` from its parsed ``quests.yaml`` entry at ``path``.

        Reports every problem; returns None only when ``data`` is not a mapping.
        """
        what = f"quest '{local_id}'"
        fields = Fields(data, path=path, what=what, keys=QuestTemplate.KEYS, report=report)
        if not fields.ok:
            return None
        steps: list[QuestStep] = []
        raw_steps = fields.raw("steps")
        if isinstance(raw_steps, list):
            if not raw_steps:
                fields.problem(("steps",), "'steps' must list at least one step")
            for i, raw in enumerate(raw_steps):
                step = _quest_step(raw, pack, (*path, "steps", i), what, report)
                if step is None:
                    continue
                if any(s.id == step.id for s in steps):
                    fields.problem(("steps", i, "id"), f"a second step with id '{step.id}'")
                    continue
                steps.append(step)
        elif raw_steps is None:
            fields.text("steps")  # reports the missing key
        else:
            fields.problem(("steps",), f"'steps' must be a list, not {_type_name(raw_steps)}")
        reward = Reward()
        reward_fields = fields.sub("reward", Reward.KEYS)
        if reward_fields is not None:
            reward = Reward(
                xp=reward_fields.count("xp", 0),
                gold=reward_fields.count("gold", 0),
                items=reward_fields.refs("items", "item", pack),
            )
        requires = fields.refs("requires", "quest", pack)
        later, later_ending = _later_texts(
            fields, path, what, report, pack, {}, ("description", "ending"), in_room=False
        )
        if f"{pack}:{local_id}" in requires:
            fields.problem(("requires",), "a quest cannot require itself")
        return QuestTemplate(
            id=f"{pack}:{local_id}",
            name=fields.text("name"),
            description=fields.text("description"),
            steps=tuple(steps),
            reward=reward,
            requires=requires,
            pack=pack,
            ending=fields.text("ending", ""),
            later=later,
            later_ending=later_ending,
        )


def _quest_step(
    raw: object, pack: str, path: KeyPath, quest: str, report: Report
) -> QuestStep | None:
    raw_id = raw.get("id") if isinstance(raw, Mapping) else None
    number = path[-1] + 1 if isinstance(path[-1], int) else path[-1]
    label = f"step '{raw_id}'" if isinstance(raw_id, str) else f"step {number}"
    fields = Fields(raw, path=path, what=f"{quest}: {label}", keys=QuestStep.KEYS, report=report)
    if not fields.ok:
        return None
    step_id = fields.text("id")
    if step_id and not ID_RE.fullmatch(step_id):
        fields.problem(("id",), f"step id '{step_id}' must be lowercase a-z, 0-9 and _")
    text = fields.text("text")
    written = fields.raw("trigger")
    if isinstance(written, str):
        # Played: "trigger: enter novice_cell" was "expected a mapping of keys, got text".
        words = written.replace(":", " ").split()
        if len(words) == 2 and words[0].lower() in TRIGGER_KINDS:
            form = f"{{{words[0].lower()}: {words[1]}}}"
        else:
            form = "{enter: room}, or another of " + ", ".join(TRIGGER_KINDS)
        fields.problem(
            ("trigger",), f"'trigger' must be a mapping, not text: write trigger: {form}"
        )
        return None
    trigger_fields = fields.sub("trigger", tuple(TRIGGER_KINDS))
    if trigger_fields is None:
        if not fields.has("trigger"):
            fields.problem((), "missing required key 'trigger'")
        return None
    given = [key for key in TRIGGER_KINDS if trigger_fields.has(key)]
    if len(given) != 1:
        choices = ", ".join(TRIGGER_KINDS)
        trigger_fields.problem((), f"give exactly one of {choices}")
        return None
    kind = given[0]
    target = trigger_fields.ref(kind, TRIGGER_KINDS[kind], pack, required=True)
    if target is None or not step_id:
        return None
    later = _laters(fields, path, f"{quest}: {label}", report, pack, {}, "text", in_room=False)
    return QuestStep(step_id, text, Trigger(kind, target), later)


@frozen
class PackRules:
    """House rules a pack sets for its world. ``down`` (one of ``DOWN_RULES``, default
    ``deathsaves``) is what happens at 0 HP; ``safe_room`` (a room marked ``safe``) is
    where the fallen are carried; ``xp_thresholds`` (None = the engine's table) gives the
    XP needed for each level from 1, starting at 0 and strictly increasing;
    ``wander_chance`` (percent, default 30) is how likely an NPC with a ``wander`` route
    is to stroll on at each of the world's wander ticks; ``ambience_chance`` (percent,
    default 20) how likely a room with players in it is to show a line of its ambience
    or an emote of someone there at each of the world's ambience ticks."""

    down: str = "deathsaves"
    safe_room: str | None = None
    xp_thresholds: tuple[int, ...] | None = None
    wander_chance: int = 30
    ambience_chance: int = 20

    KEYS: ClassVar[tuple[str, ...]] = (
        "down",
        "safe_room",
        "xp_thresholds",
        "wander_chance",
        "ambience_chance",
    )

    @staticmethod
    def from_fields(fields: Fields, pack: str) -> PackRules:
        """Build from the ``rules`` mapping of a ``pack.yaml`` (problems reported)."""
        thresholds: tuple[int, ...] | None = None
        raw = fields.raw("xp_thresholds")
        if raw is not None:
            values = raw if isinstance(raw, list) else None
            if (
                values is None
                or not 1 <= len(values) <= 20
                or any(isinstance(v, bool) or not isinstance(v, int) for v in values)
                or values[0] != 0
                or any(b <= a for a, b in pairwise(values))
            ):
                fields.problem(
                    ("xp_thresholds",),
                    "'xp_thresholds' must be a list of 1 to 20 whole numbers,"
                    " starting at 0 and increasing",
                )
            else:
                thresholds = tuple(int(v) for v in values)
        return PackRules(
            down=fields.choice("down", DOWN_RULES, "deathsaves"),
            safe_room=fields.ref("safe_room", "room", pack, required=False),
            xp_thresholds=thresholds,
            wander_chance=fields.integer("wander_chance", 0, 100, 30),
            ambience_chance=fields.integer("ambience_chance", 0, 100, 20),
        )


@frozen
class ResetRule:
    """When an area resets: every ``every`` seconds (0: only by an admin's ``reset``),
    once no player is in it; ``message`` is what its rooms hear ("": nothing)."""

    every: int = 0
    message: str = ""

    KEYS: ClassVar[tuple[str, ...]] = ("every", "message")


def _no_area_rules() -> Mapping[str, ResetRule]:
    return MappingProxyType({})


@frozen
class Resets:
    """A pack's ``reset``: the rule for each of its areas (``default``), and rules for
    areas by name (``areas``: a room's ``area``) that replace it."""

    default: ResetRule = ResetRule()
    areas: Mapping[str, ResetRule] = field(factory=_no_area_rules, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = ("every", "message", "areas")

    def rule(self, area: str) -> ResetRule:
        """The rule for the area named ``area`` (a room's ``area``)."""
        return self.areas.get(area, self.default)

    @staticmethod
    def from_fields(fields: Fields) -> Resets:
        """Build from the ``reset`` mapping of a ``pack.yaml`` (problems reported)."""
        default = ResetRule(fields.count("every", 0), fields.text("message", ""))
        areas: dict[str, ResetRule] = {}
        raw = fields.raw("areas")
        if isinstance(raw, Mapping):
            for name, value in raw.items():
                area = Fields(
                    value,
                    path=(*fields.path, "areas", name),
                    what=f"{fields.what}: area '{name}'",
                    keys=ResetRule.KEYS,
                    report=fields.report,
                )
                if area.ok:
                    areas[str(name)] = ResetRule(
                        area.count("every", default.every), area.text("message", default.message)
                    )
        elif raw is not None:
            fields.problem(("areas",), f"'areas' must be a mapping, not {_type_name(raw)}")
        return Resets(default, MappingProxyType(areas))


@frozen
class Link:
    """An exit a pack adds to a room of another pack, applied only when that pack is
    loaded too: ``from_room`` gains an exit ``direction`` (canonical) to ``to``."""

    from_room: str
    direction: str
    to: str
    hidden: bool = False
    locked_by: str | None = None
    description: str = ""

    KEYS: ClassVar[tuple[str, ...]] = (
        "from",
        "direction",
        "to",
        "hidden",
        "locked_by",
        "description",
    )

    def exit(self) -> Exit:
        """The exit this link adds to ``from_room``."""
        return Exit(self.direction, self.to, self.hidden, self.locked_by, self.description)

    @staticmethod
    def from_value(raw: object, pack: str, path: KeyPath, report: Report) -> Link | None:
        """Build one entry of ``links`` at ``path``; None (after reporting) if unusable.

        ``from`` must name its pack (``other:room``); its existence is checked by the
        loader, and only when that pack is loaded, so it is not recorded as a reference.
        """
        fields = Fields(raw, path=path, what=f"pack '{pack}': link", keys=Link.KEYS, report=report)
        if not fields.ok:
            return None
        source = fields.text("from")
        if source and (not _REF_RE.fullmatch(source) or ":" not in source):
            fields.problem(
                ("from",), f"from: '{source}' must be a room id with its pack (pack:room)"
            )
            source = ""
        written = fields.text("direction")
        direction = canonical_direction(written) if written else None
        if written and direction is None:
            hint = suggestion(written.lower(), DIRECTIONS)
            fields.problem(("direction",), f"unknown direction '{written}'{hint}")
        to = fields.ref("to", "room", pack, required=True)
        hidden = fields.flag("hidden", False)
        locked_by = fields.ref("locked_by", "item", pack, required=False)
        description = fields.text("description", "")
        if not source or direction is None or to is None:
            return None
        link = Link(source, direction, to, hidden, locked_by, description)
        report.links.append((path, link))
        return link


@frozen
class AreaColour:
    """An area's own stock of colour for the offline narrator (a pack's
    ``narration.areas``, by a room's ``area``): each of the three that is given
    replaces the pack's in that area's rooms (a bell chamber under the mere hears no
    drizzle); one left out is the pack's."""

    sounds: tuple[str, ...] = ()
    smells: tuple[str, ...] = ()
    sights: tuple[str, ...] = ()


def _no_area_colour() -> Mapping[str, AreaColour]:
    return MappingProxyType({})


@frozen
class PackInfo:
    """A pack's own description: who made the world and how the DM should speak in it.

    ``start`` is a qualified room id; ``help`` maps topic -> text; ``mssp`` holds extra
    MUD Server Status Protocol values (name -> text); ``path`` is the pack's folder as
    given to the loader; ``rules`` are its house rules; ``links`` the exits it adds to
    other packs' rooms (already applied to ``Templates.rooms`` when those packs are loaded);
    ``requires`` the ids of the packs it cannot be loaded without (the loader finds and
    loads them first); ``digest`` identifies the exact files it was read from (set by the
    loader; a replay compares it with the one a recording was made with).
    ``sounds``, ``smells`` and ``sights`` (from the optional ``narration:`` block) are the
    pack's stock of colour for the offline narrator: noun phrases for sounds and smells
    ("the drip of water from the eaves", "peat smoke"), and short clauses for sights
    ("mist beads on every surface"), all true anywhere in the pack, except in the
    areas of ``area_colour`` (``narration.areas``), which have their own (``colour``).
    """

    id: str
    name: str
    version: str
    description: str
    start: str
    persona: str = ""
    tone: str = ""
    opening: tuple[str, ...] = ()
    opening_where: tuple[tuple[str, str], ...] = ()
    vocabulary: tuple[str, ...] = ()
    sounds: tuple[str, ...] = ()
    smells: tuple[str, ...] = ()
    sights: tuple[str, ...] = ()
    help: Mapping[str, str] = field(factory=_empty_text, hash=False)
    mssp: Mapping[str, str] = field(factory=_empty_text, hash=False)
    path: str = ""
    rules: PackRules = PackRules()
    links: tuple[Link, ...] = ()
    requires: tuple[str, ...] = ()
    digest: str = ""
    reset: Resets = Resets()
    area_colour: Mapping[str, AreaColour] = field(factory=_no_area_colour, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = (
        "id",
        "name",
        "version",
        "description",
        "start",
        "dm",
        "opening",
        "vocabulary",
        "narration",
        "help",
        "mssp",
        "rules",
        "links",
        "requires",
        "reset",
    )
    DM_KEYS: ClassVar[tuple[str, ...]] = ("persona", "tone")
    NARRATION_KEYS: ClassVar[tuple[str, ...]] = ("sounds", "smells", "sights", "areas")

    def colour(self, area: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(sounds, smells, sights) true in a room of ``area``: the area's own where it
        gives them, else the pack's."""
        own = self.area_colour.get(area)
        if own is None:
            return self.sounds, self.smells, self.sights
        return (own.sounds or self.sounds, own.smells or self.smells, own.sights or self.sights)

    @staticmethod
    def from_mapping(data: object, *, fallback_id: str, path: str, report: Report) -> PackInfo:
        """Build the pack description from a parsed ``pack.yaml``.

        ``fallback_id`` is used (after ``id`` is reported missing or malformed) so that
        the rest of the pack can still be checked. Always returns a PackInfo; whether it
        is usable is told by the problems in ``report``.
        """
        raw_id = data.get("id") if isinstance(data, Mapping) else None
        valid_id = isinstance(raw_id, str) and ID_RE.fullmatch(raw_id) is not None
        what = f"pack '{raw_id}'" if valid_id else "pack"
        fields = Fields(data, path=(), what=what, keys=PackInfo.KEYS, report=report)
        pack_id = fields.text("id")
        if pack_id and not valid_id:
            fields.problem(("id",), f"id '{pack_id}' must be lowercase a-z, 0-9 and _")
        pack_id = pack_id if valid_id else fallback_id
        persona = tone = ""
        if fields.has("dm"):
            dm = Fields(
                fields.raw("dm"),
                path=("dm",),
                what=f"pack '{pack_id}': dm",
                keys=PackInfo.DM_KEYS,
                report=report,
            )
            persona, tone = dm.text("persona", ""), dm.text("tone", "")
        start = fields.ref("start", "room", pack_id, required=True)
        opening, opening_where = _opening(fields, pack_id)
        sounds: tuple[str, ...] = ()
        smells: tuple[str, ...] = ()
        sights: tuple[str, ...] = ()
        colour = fields.sub("narration", PackInfo.NARRATION_KEYS, f"pack '{pack_id}': narration")
        area_colour: dict[str, AreaColour] = {}
        if colour is not None:
            sounds, smells = colour.words("sounds"), colour.words("smells")
            sights = colour.words("sights")
            raw_areas = colour.raw("areas")
            if isinstance(raw_areas, Mapping):
                for name, value in raw_areas.items():
                    area = Fields(
                        value,
                        path=("narration", "areas", name),
                        what=f"pack '{pack_id}': narration: area '{name}'",
                        keys=("sounds", "smells", "sights"),
                        report=report,
                    )
                    if area.ok:
                        area_colour[str(name)] = AreaColour(
                            area.words("sounds"), area.words("smells"), area.words("sights")
                        )
            elif raw_areas is not None:
                colour.problem(
                    ("areas",), f"'areas' must be a mapping, not {_type_name(raw_areas)}"
                )
        rules = PackRules()
        rules_fields = fields.sub("rules", PackRules.KEYS, f"pack '{pack_id}': rules")
        if rules_fields is not None:
            rules = PackRules.from_fields(rules_fields, pack_id)
        links: list[Link] = []
        raw_links = fields.raw("links")
        if isinstance(raw_links, list):
            for i, raw in enumerate(raw_links):
                link = Link.from_value(raw, pack_id, ("links", i), report)
                if link is not None:
                    links.append(link)
        elif raw_links is not None:
            fields.problem(("links",), f"'links' must be a list, not {_type_name(raw_links)}")
        resets = Resets()
        reset_fields = fields.sub("reset", Resets.KEYS, f"pack '{pack_id}': reset")
        if reset_fields is not None:
            resets = Resets.from_fields(reset_fields)
        requires: list[str] = []
        # One pack may be written alone, "requires: hollowmere", as a list of one.
        raw_requires = fields.raw("requires")
        needs = (
            (raw_requires.strip(),)
            if isinstance(raw_requires, str) and raw_requires.strip()
            else fields.words("requires")
        )
        for i, need in enumerate(needs):
            if not ID_RE.fullmatch(need):
                fields.problem(("requires", i), f"requires: '{need}' is not a pack id")
            elif need == pack_id:
                fields.problem(("requires", i), f"pack '{pack_id}' cannot require itself")
            elif need not in requires:
                requires.append(need)
        return PackInfo(
            id=pack_id,
            name=fields.text("name"),
            version=fields.text("version"),
            description=fields.text("description"),
            start=start or "",
            persona=persona,
            tone=tone,
            opening=opening,
            opening_where=opening_where,
            vocabulary=fields.words("vocabulary"),
            sounds=sounds,
            smells=smells,
            sights=sights,
            help=fields.text_table("help"),
            mssp=fields.text_table("mssp"),
            path=path,
            rules=rules,
            links=tuple(links),
            requires=tuple(requires),
            reset=resets,
            area_colour=MappingProxyType(area_colour),
        )


def _opening(fields: Fields, pack: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """A pack's ``opening``: one text, or a list of texts, each a text or a mapping of
    ``text`` gated by ``while_here`` / ``unless_here`` (npc ids), of which a new
    character reads the first whose gate holds in the room they start in. Returns the
    texts and each one's (while_here, unless_here), () when none is gated. A quest gate
    is reported: one who reads it has finished none. Played: the opening said "the
    cartographer never came back" to a newcomer with her home by the fire."""

    def ungated_by_quests(owner: Fields, at: KeyPath, text: str) -> str:
        for key in ("after", "until"):
            if at == ("text",) and owner.has(key):
                owner.problem(
                    (key,),
                    f"an opening is read by a new character, who has finished no quest:"
                    f" gate it with 'while_here' or 'unless_here' (an npc id), not '{key}'",
                )
        return text

    if not isinstance(fields.raw("opening"), list):
        text = fields.text("opening", "")
        return ((text,) if text else ()), ()
    texts, (_when, where) = _gated_list(
        fields, pack, ("opening", "text", "text", "an opening"), ungated_by_quests
    )
    return texts, where


def _empty_classes() -> Mapping[str, ClassTemplate]:
    return MappingProxyType({})


def _empty_npcs() -> Mapping[str, NpcTemplate]:
    return MappingProxyType({})


def _empty_quests() -> Mapping[str, QuestTemplate]:
    return MappingProxyType({})


_SOCIAL_SLOTS = re.compile(r"\{(\w*)\}")


@lru_cache(maxsize=512)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A social's phrase as a pattern over a line typed (lower case, single spaces):
    its words as written, any case, ``{target}`` standing for one or more words."""
    slot = re.escape("{target}")
    parts = [re.escape(word).replace(slot, "(?P<target>.+?)") for word in phrase.lower().split()]
    return re.compile(r"\s+".join(parts))


@frozen
class Social:
    """A social action players type as a verb (``smile``, ``bow Bob``), from a pack's
    ``socials.yaml``. ``word`` is the local id (what players type). Alone: ``you`` is
    what the actor reads, ``room`` what the others read. With a target: ``you_target``
    for the actor, ``target`` for the one it is aimed at, ``room_target`` for the others
    (the three are all given, or the social takes no target). ``{actor}`` and ``{target}``
    stand for the names; no other ``{...}`` is allowed. ``phrases``: other ways players
    type it, whole lines of a few words where ``{target}`` (at most once) stands for the
    one it is aimed at ("shake hands with {target}", "pat {target} on the back"); see
    ``Templates.social_phrase``."""

    id: str
    word: str
    you: str
    room: str
    you_target: str = ""
    target: str = ""
    room_target: str = ""
    phrases: tuple[str, ...] = ()

    LINES: ClassVar[tuple[str, ...]] = ("you", "room", "you_target", "target", "room_target")
    KEYS: ClassVar[tuple[str, ...]] = (*LINES, "phrases")

    @staticmethod
    def from_mapping(
        pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> Social | None:
        """Build social ``pack:local_id`` from its ``socials.yaml`` entry at ``path``.

        Reports every problem; returns None only when ``data`` is not a mapping."""
        fields = Fields(
            data, path=path, what=f"social '{local_id}'", keys=Social.KEYS, report=report
        )
        if not fields.ok:
            return None
        texts = {
            key: fields.text(key, None if key in ("you", "room") else "").strip()
            for key in Social.LINES
        }
        aimed = [k for k in ("you_target", "target", "room_target") if texts[k]]
        if aimed and len(aimed) != 3:
            missing = ", ".join(
                k for k in ("you_target", "target", "room_target") if k not in aimed
            )
            fields.problem((), f"a social with a target needs all three lines; missing {missing}")
        for key, text in texts.items():
            allowed = {"actor", "target"} if key in aimed else {"actor"}
            for slot in _SOCIAL_SLOTS.findall(text):
                if slot not in allowed:
                    fields.problem(
                        (key,), f"'{{{slot}}}' is not a name here (use {{actor}} or {{target}})"
                    )
        phrases = fields.words("phrases")
        for i, phrase in enumerate(phrases):
            slots = _SOCIAL_SLOTS.findall(phrase)
            if any(slot != "target" for slot in slots) or len(slots) > 1:
                fields.problem(
                    ("phrases", i), "a phrase may hold '{target}' once, and no other '{...}'"
                )
            elif slots and not aimed:
                fields.problem(
                    ("phrases", i), "'{target}' in a phrase needs the social's target lines"
                )
            elif not slots and len(phrase.split()) < 2:
                fields.problem(("phrases", i), "a phrase of one word is a word: make it the key")
        return Social(f"{pack}:{local_id}", local_id, **texts, phrases=phrases)


def room_resets(packs: Mapping[str, PackInfo], rooms: Mapping[str, Room], room_id: str) -> bool:
    """Whether room ``room_id``'s area resets on a schedule (its pack's ``reset``)."""
    room = rooms.get(room_id)
    info = packs.get(room.pack) if room is not None else None
    return info is not None and room is not None and info.reset.rule(room.area).every > 0


def npc_returns(packs: Mapping[str, PackInfo], rooms: Mapping[str, Room], npc: NpcTemplate) -> bool:
    """Whether ``npc``, once defeated, comes back: by its ``respawn`` time or its home
    area's reset (never when marked ``respawn: never``)."""
    if npc.respawn == RESPAWN_NEVER:
        return False
    return npc.respawn > 0 or room_resets(packs, rooms, npc.room)


def renewable_items(
    packs: Mapping[str, PackInfo],
    rooms: Mapping[str, Room],
    items: Mapping[str, ItemTemplate],
    npcs: Mapping[str, NpcTemplate],
    quests: Mapping[str, QuestTemplate],
    classes: Mapping[str, ClassTemplate],
) -> frozenset[str]:
    """The item template ids the world brings back after one is taken or lost: each
    player's own copy (``unique: per_player``), a calling's starting kit, what a room
    that resets starts with,
    a feature's find that can be made again, a shop's wares, what an NPC that comes
    back carries or drops, a quest's reward. The loader warns of a quest step needing
    an item outside it; a reset never tidies one outside it (``Templates.lasting``).
    Pure."""

    def resets(room_id: str) -> bool:
        return room_resets(packs, rooms, room_id)

    out: set[str] = {item.id for item in items.values() if item.per_player}
    for cls in classes.values():
        out.update(cls.start_items)
    for room in rooms.values():
        if resets(room.id):
            out.update(room.items)
        for feature in room.features.values():
            found = feature.reveals.item if feature.reveals is not None else None
            if found is not None and (not feature.once or not feature.shared or resets(room.id)):
                out.add(found)
    for npc in npcs.values():
        if npc.shop is not None:
            out.update(npc.shop.sells)
        if npc_returns(packs, rooms, npc):
            out.update((*npc.carries, *npc.drops))
    for quest in quests.values():
        out.update(quest.reward.items)
    return frozenset(out)


ITEM_SOURCES: tuple[str, ...] = ("room", "feature", "carries", "drops", "shop", "kit", "reward")
"""The ways an item comes into the world (``ItemSource.how``)."""


@frozen
class ItemSource:
    """One way an item comes into the world, as the engine makes it: ``how`` (one of
    ``ITEM_SOURCES``): lying in a room at start (``Room.items``), uncovered by a
    feature's check (``Reveal.item``), left by an NPC defeated (``carries``, ``drops``:
    only of one with ``stats``, since no other can be fought), bought from a shop,
    given to a new character of a class (``kit``), or a quest's ``reward``. ``rooms``:
    where it appears (an NPC's: its room and ``wander`` route); empty when it comes to a
    character wherever they are (a kit, a reward). ``by``: the id of the room, feature,
    NPC, class or quest it comes from."""

    how: str
    by: str
    rooms: tuple[str, ...] = ()


def item_sources(
    rooms: Mapping[str, Room],
    npcs: Mapping[str, NpcTemplate],
    quests: Mapping[str, QuestTemplate],
    classes: Mapping[str, ClassTemplate],
) -> Mapping[str, tuple[ItemSource, ...]]:
    """Item template id -> every way it comes into the world (``ItemSource``); an item
    missing from it never does, so no player can ever hold one. Pure."""
    out: dict[str, list[ItemSource]] = {}

    def add(item: str, how: str, by: str, where: tuple[str, ...] = ()) -> None:
        out.setdefault(item, []).append(ItemSource(how, by, where))

    for room in rooms.values():
        for item in room.items:
            add(item, "room", room.id, (room.id,))
        for feature in room.features.values():
            found = feature.reveals.item if feature.reveals is not None else None
            if found is not None and feature.check is not None:
                add(found, "feature", feature.id, (room.id,))
    for npc in npcs.values():
        places = tuple(dict.fromkeys((npc.room, *npc.wander)))
        if npc.stats is not None:
            for item in npc.carries:
                add(item, "carries", npc.id, places)
            for item in npc.drops:
                add(item, "drops", npc.id, places)
        if npc.shop is not None:
            for item in npc.shop.sells:
                add(item, "shop", npc.id, places)
    for cls in classes.values():
        for item in cls.start_items:
            add(item, "kit", cls.id)
    for quest in quests.values():
        for item in quest.reward.items:
            add(item, "reward", quest.id)
    return MappingProxyType({item: tuple(found) for item, found in out.items()})


@frozen
class Templates:
    """Everything the packs describe, merged. ``start`` is where a new character appears;
    ``rules`` are the first pack's (the world's main pack) house rules.

    Built by ``mud.world.loader.load_packs``; see the module invariants. Every mapping is
    in the order the packs and their entries were read.
    """

    packs: Mapping[str, PackInfo] = field(hash=False)
    rooms: Mapping[str, Room] = field(hash=False)
    items: Mapping[str, ItemTemplate] = field(hash=False)
    start: str
    classes: Mapping[str, ClassTemplate] = field(factory=_empty_classes, hash=False)
    npcs: Mapping[str, NpcTemplate] = field(factory=_empty_npcs, hash=False)
    quests: Mapping[str, QuestTemplate] = field(factory=_empty_quests, hash=False)
    rules: PackRules = PackRules()
    warnings: tuple[str, ...] = ()
    socials: Mapping[str, Social] = field(factory=lambda: MappingProxyType({}), hash=False)

    @cached_property
    def item_words(self) -> frozenset[str]:
        """Every word of every item's name and aliases, lower case: what a line may
        name that is a thing of the world, here or not ("lift the mug")."""
        return frozenset(
            word
            for item in self.items.values()
            for word in re.findall(r"[a-z']+", " ".join((item.name, *item.aliases)).lower())
        )

    @cached_property
    def _phrased(self) -> tuple[Social, ...]:
        """The socials that have ``phrases``, in pack order."""
        return tuple(s for s in self.socials.values() if s.phrases)

    @cached_property
    def _phrase_openers(self) -> frozenset[str] | None:
        """The first words of every social phrase, lower case, so a line that opens with
        none of them is not matched against each (every command asks); None when a
        phrase opens with its ``{target}``, which any word may be."""
        firsts = {p.lower().split()[0] for s in self._phrased for p in s.phrases}
        return None if any("{target}" in word for word in firsts) else frozenset(firsts)

    def social_phrase(self, line: str) -> tuple[Social, str] | None:
        """The social that ``line``, typed whole, is by one of its ``phrases``, and the
        words that stand for its target ("shake hands with tamsin" -> (handshake,
        "tamsin")); "" for a phrase without one. None when no phrase fits; the first
        pack's social wins, then the first phrase written."""
        if not self._phrased or " " not in line.strip():
            return None  # a phrase is two words or more: "look" never is one
        typed = " ".join(line.lower().strip().rstrip(".!").split())
        openers = self._phrase_openers
        if openers is not None and typed.split(" ", 1)[0] not in openers:
            return None  # "say hello": no phrase opens with "say"
        for social in self._phrased:
            for phrase in social.phrases:
                found = _phrase_pattern(phrase).fullmatch(typed)
                if found is not None:
                    return social, (found.group("target") if "{target}" in phrase else "")
        return None

    def social(self, word: str) -> Social | None:
        """The social players type as ``word`` (its local id, any case, or the id with
        "s" or "es" as players type it from emotes: "nods", "thanks Bessa"), or None; the
        first pack's wins when two define the same word."""
        low = word.lower()
        for form in (
            low,
            low[:-1] if low.endswith("s") else "",
            low[:-2] if low.endswith("es") else "",
        ):
            found = (
                next((s for s in self.socials.values() if s.word == form), None) if form else None
            )
            if found is not None:
                return found
        return None

    @cached_property
    def lasting(self) -> frozenset[str]:
        """Item template ids a reset never tidies from a floor (``mud.engine.resets``):
        what a quest step asks a player to hold (a find dropped on the way may be that
        player's only one) and what the world never brings back (``renewable_items``: a
        never-returning boss's drop, the only copy)."""
        held = {
            step.trigger.target
            for quest in self.quests.values()
            for step in quest.steps
            if step.trigger.kind == "hold"
        }
        renewable = renewable_items(
            self.packs, self.rooms, self.items, self.npcs, self.quests, self.classes
        )
        return frozenset(held | (set(self.items) - renewable))

    def feature(self, feature_id: str) -> Feature | None:
        """The feature ``pack:room:key`` (as in quest ``check`` triggers), or None."""
        room_id, _, key = feature_id.rpartition(":")
        room = self.rooms.get(room_id)
        return room.features.get(key) if room is not None else None
