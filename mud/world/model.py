"""The content model: frozen templates for packs, rooms, exits and items.

Templates are what a pack *describes* (the world as it is at start). They never change
while the server runs; the live world (who carries what, which door is open) is kept by
the hub and refers to templates by id.

Invariants, guaranteed for every ``Templates`` built by ``mud.world.loader``:

- Every id is namespaced ``pack:local`` where both parts match ``[a-z0-9_]+``.
- Every ``Exit.to`` and ``Templates.start`` names a room in ``Templates.rooms``; every
  ``Room.items`` entry and every ``Exit.locked_by`` names an item in ``Templates.items``.
- ``Exit.direction`` is canonical (a member of ``DIRECTIONS``) and unique within a room.
- Mapping fields are read-only views of deep-frozen data (nested mappings are read-only,
  lists became tuples), so a template can be shared freely between readers.

The named constructors (``Room.from_mapping`` and friends) take data that a YAML parser
has already turned into plain Python values. They never raise on bad content: they
record every problem in a ``Report`` (with the key path where it was found, so the
loader can name the file and line) and return ``None`` when no usable value can be made.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
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


def canonical_direction(word: str) -> str | None:
    """The canonical direction for ``word`` (a name or shorthand, any case), or None."""
    key = word.strip().lower()
    if key in OPPOSITE:
        return key
    return DIRECTION_ALIASES.get(key)


def qualify(ref: str, pack: str) -> str:
    """Namespace ``ref`` inside ``pack``: ``cellar`` -> ``pack:cellar``; ``x:y`` is kept."""
    return ref if ":" in ref else f"{pack}:{ref}"


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


# --------------------------------------------------------------------------- reports

KeyPath = tuple[str | int, ...]
"""Where a value sits inside one parsed file: mapping keys and list indexes from the root."""


@frozen
class Problem:
    """Something wrong with content, found at ``path`` in the file being read."""

    path: KeyPath
    message: str


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

    def problem(self, path: KeyPath, message: str) -> None:
        """Record that the value at ``path`` is wrong; ``message`` names the key."""
        self.problems.append(Problem(path, message))

    def reference(self, path: KeyPath, kind: str, target: str, what: str) -> None:
        """Record that ``target`` (qualified) must be defined as a ``kind``."""
        self.references.append(Reference(path, kind, target, what))


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


class Fields:
    """Checked, typed access to one mapping of parsed content (one room, one item, ...).

    Built by a named constructor for the mapping found at ``path``. On creation it
    reports a non-mapping value and every key not in ``keys`` (free mappings such as
    ``features`` are read whole with ``table``, so their own keys are never checked).
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
    and return it qualified inside ``pack``; report and return None when malformed."""
    if not isinstance(value, str) or not _REF_RE.fullmatch(value):
        shown = f"'{value}'" if isinstance(value, str) else _type_name(value)
        report.problem(
            path, f"{what}: {shown} is not a valid {kind} id (lowercase a-z, 0-9, _; pack:id)"
        )
        return None
    target = qualify(value, pack)
    report.reference(path, kind, target, what)
    return target


# --------------------------------------------------------------------------- templates


@frozen
class Exit:
    """A way out of a room.

    ``hidden`` exits are not listed until found; ``locked_by`` is the id of the item that
    unlocks it (None when not locked); ``description`` is what a player sees looking that
    way (empty when nothing special).
    """

    direction: str
    to: str
    hidden: bool = False
    locked_by: str | None = None
    description: str = ""

    @staticmethod
    def from_value(
        key: str, value: object, *, pack: str, path: KeyPath, what: str, report: Report
    ) -> Exit | None:
        """Build an exit from ``key: value`` in a room's ``exits``.

        ``value`` is a room id, or a mapping ``{to, hidden, locked_by, description}``.
        ``path`` is where the exit sits (``(room, "exits", key)``). Returns None (after
        reporting) when the direction or the target is unusable.
        """
        direction = canonical_direction(key)
        exit_what = f"{what}: exit '{key}'"
        if direction is None:
            hint = suggestion(key.lower(), DIRECTIONS)
            report.problem(path, f"{what}: unknown direction '{key}'{hint}")
            return None
        if isinstance(value, Mapping):
            fields = Fields(
                value,
                path=path,
                what=exit_what,
                keys=("to", "hidden", "locked_by", "description"),
                report=report,
            )
            to = fields.ref("to", "room", pack, required=True, what=exit_what)
            hidden = fields.flag("hidden", False)
            locked_by = fields.ref("locked_by", "item", pack, required=False)
            description = fields.text("description", "")
        else:
            to = check_ref(value, path, "room", pack, exit_what, report)
            hidden, locked_by, description = False, None, ""
        if to is None:
            return None
        return Exit(direction, to, hidden, locked_by, description)


@frozen
class Room:
    """A place. ``exits`` are in ``DIRECTIONS`` order; ``items`` lie here at start.

    ``features`` is free builder data for the rules engine (searchable things, checks),
    kept exactly as written (deep-frozen).
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
    features: Mapping[str, object] = field(factory=_empty, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "area",
        "exits",
        "items",
        "vocabulary",
        "safe",
        "features",
    )

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
        return Room(
            id=f"{pack}:{local_id}",
            name=name,
            description=description,
            exits=tuple(exits[d] for d in DIRECTIONS if d in exits),
            items=tuple(items),
            area=fields.text("area", ""),
            pack=pack,
            vocabulary=fields.words("vocabulary"),
            safe=fields.flag("safe", False),
            features=fields.table("features"),
        )


def _words_of(text: str) -> list[str]:
    return text.lower().split()


@frozen
class ItemTemplate:
    """A kind of thing. ``carry`` False means it cannot be picked up (a fixed spyglass);
    ``value`` is in gold; ``weight`` is 0 when the builder did not give one."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    carry: bool = True
    value: int = 0
    weight: float = 0.0
    pack: str = ""

    KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "aliases",
        "description",
        "carry",
        "value",
        "weight",
    )

    def matches(self, word: str) -> bool:
        """True when what a player typed names this item, ignoring case.

        ``word`` matches when it equals the name or an alias, or when each of its words
        is a prefix of a word of the name or an alias, in order (``lan``, ``brass lan``
        and ``lantern`` all match "brass lantern"). Empty input matches nothing.
        """
        wanted = _words_of(word)
        if not wanted:
            return False
        for candidate in (self.name, *self.aliases):
            have = _words_of(candidate)
            if wanted == have or _prefixes_in_order(wanted, have):
                return True
        return False

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
        return ItemTemplate(
            id=f"{pack}:{local_id}",
            name=fields.text("name"),
            aliases=tuple(a.lower() for a in fields.words("aliases")),
            description=fields.text("description"),
            carry=fields.flag("carry", True),
            value=fields.count("value", 0),
            weight=fields.amount("weight", 0.0),
            pack=pack,
        )


def _prefixes_in_order(wanted: list[str], have: list[str]) -> bool:
    position = 0
    for part in wanted:
        while position < len(have) and not have[position].startswith(part):
            position += 1
        if position == len(have):
            return False
        position += 1
    return True


@frozen
class PackInfo:
    """A pack's own description: who made the world and how the DM should speak in it.

    ``start`` is a qualified room id; ``help`` maps topic -> text; ``mssp`` holds extra
    MUD Server Status Protocol values (name -> text); ``path`` is the pack's folder as
    given to the loader.
    """

    id: str
    name: str
    version: str
    description: str
    start: str
    persona: str = ""
    tone: str = ""
    opening: str = ""
    vocabulary: tuple[str, ...] = ()
    help: Mapping[str, str] = field(factory=_empty_text, hash=False)
    mssp: Mapping[str, str] = field(factory=_empty_text, hash=False)
    path: str = ""

    KEYS: ClassVar[tuple[str, ...]] = (
        "id",
        "name",
        "version",
        "description",
        "start",
        "dm",
        "opening",
        "vocabulary",
        "help",
        "mssp",
    )
    DM_KEYS: ClassVar[tuple[str, ...]] = ("persona", "tone")

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
        return PackInfo(
            id=pack_id,
            name=fields.text("name"),
            version=fields.text("version"),
            description=fields.text("description"),
            start=start or "",
            persona=persona,
            tone=tone,
            opening=fields.text("opening", ""),
            vocabulary=fields.words("vocabulary"),
            help=fields.text_table("help"),
            mssp=fields.text_table("mssp"),
            path=path,
        )


@frozen
class Templates:
    """Everything the packs describe, merged. ``start`` is where a new character appears.

    Built by ``mud.world.loader.load_packs``; see the module invariants.
    """

    packs: Mapping[str, PackInfo] = field(hash=False)
    rooms: Mapping[str, Room] = field(hash=False)
    items: Mapping[str, ItemTemplate] = field(hash=False)
    start: str
