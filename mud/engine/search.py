"""One rule for finding things by name, for every command. Pure.

Whatever a command looks for (an item in the pack or on the floor, an NPC, a player, a
room feature, an exit, a door or a ware in a shop), it builds the candidates with the
scope functions here (``carried``, ``floor``, ``npcs``, ``people``, ``features``,
``exits``, ``doors``, ``online``, ``wares``), in the order they should win, and calls
``find``. The rule:

- A candidate matches when the typed words equal its name or one of its aliases, or when
  each typed word is a prefix of a word of the name or alias, in order ("rat", "bog r",
  "hearth" for "loose hearthstone" via its key). Case is ignored; an article ("the",
  "a", "an", "some", "my") in front is dropped.
- ``2.rat`` picks the second candidate that matches, counting in scope order.
- Without an ordinal, candidates whose name or alias equals the words beat those matched
  by prefix. If what is left names more than one different thing ("bog rat" and "rat
  king" for "rat"), the answer is "which one?" (``AMBIGUOUS``); several of the same thing
  (two healing potions), or things of one name (a room's feature "iron door" written for
  the iron door of its exit), are not ambiguous: the first is taken.
- When the words name nothing and hold "with" or "using" ("rat with my mace"), the
  words before it are looked for instead: the rest says how, not what.
- Nothing matching gives the scope's "not found" line (``HERE``, ``CARRIED``, ``WORN``,
  ``ONLINE``, ``SOLD``, ``DOORS``), the same in every command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from attrs import frozen

from mud.engine import stealth
from mud.engine.state import Character, World
from mud.engine.views import exit_visible
from mud.render.grammar import definite
from mud.render.sanitize import unmarked
from mud.world.model import DIRECTION_ALIASES, prefixes_in_order

HERE = "You see no '{what}' here."
CARRIED = "You are not carrying '{what}'."
WORN = "You are not wielding or wearing '{what}'."
ONLINE = "No one called '{what}' is playing."
SOLD = "{seller} does not sell '{what}'. Type 'list'."
DOORS = "You see no door called '{what}' here."
AMBIGUOUS = "Which one do you mean: {options}? Say '{example}' for the second."

_ARTICLES = ("the", "a", "an", "some", "my", "this", "that")  # "buy some stew"; "this map"


@frozen
class Thing:
    """A candidate: ``kind`` is item, npc, player, feature, exit or ware; ``ref`` the
    item instance id, NPC id, character key, feature id, direction or item template id;
    ``name`` what it is called, ``aliases`` other words that name it."""

    kind: str
    ref: str
    name: str
    aliases: tuple[str, ...] = ()


@frozen
class Found:
    """What ``find`` answers: ``thing`` (None when nothing or more than one thing
    matched) and ``error``, the line to show the player in that case ("" when found)."""

    thing: Thing | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.thing is not None


def split_ordinal(words: str) -> tuple[int, str]:
    """``"2.rat"`` -> ``(2, "rat")``; ``"rat"`` -> ``(0, "rat")`` (0: no ordinal). The
    words come back lower-cased, single-spaced, without a leading article or one after
    "of" ("bowl of that stew": "bowl of stew")."""
    text = " ".join(words.lower().split())
    nth = 0
    head, dot, rest = text.partition(".")
    if dot and head.isdigit() and rest.strip():
        nth, text = max(1, int(head)), rest.strip()
    parts = text.split()
    if len(parts) > 1 and parts[0] in _ARTICLES:
        parts = parts[1:]
    # "a bowl of that stew" names the bowl of eel stew (played: not sold).
    parts = [w for i, w in enumerate(parts) if not (i and parts[i - 1] == "of" and w in _ARTICLES)]
    return nth, " ".join(parts)


def score(thing: Thing, words: str) -> int:
    """2 when ``words`` (already split by ``split_ordinal``) equal a name or alias of
    ``thing``, 1 when they match it by prefix, 0 when they do not name it."""
    wanted = words.split()
    if not wanted:
        return 0
    best = 0
    for candidate in (thing.name, *thing.aliases):
        have = candidate.lower().split()
        if have == wanted or (len(have) > 1 and have[0] in _ARTICLES and have[1:] == wanted):
            return 2
        if prefixes_in_order(wanted, have) or prefixes_in_order(_parts(wanted), _parts(have)):
            best = 1  # by parts too: "blessed water" names "lamp-blessed water"
    return best


def _parts(words: Sequence[str]) -> list[str]:
    """``words`` with each hyphenated word in its parts ("lamp-blessed" -> "lamp",
    "blessed"), so a name is found as players type it ("eel catcher")."""
    return [part for word in words for part in word.split("-") if part]


def find(things: Iterable[Thing], words: str, missing: str = HERE) -> Found:
    """The thing among ``things`` (in scope order) that ``words`` names, by the rule in
    the module docstring. ``missing`` is the "not found" template (``{what}`` is the
    words as typed, without an article in front: "You are not carrying 'pie'." for "eat
    the pie"), with the one thing the words name but for a slip of the keys asked
    after it ("You see no 'bssa' here. Did you mean Bessa Thorn?"). Never raises."""
    pool = list(things)
    found = _found(pool, words, missing)
    if found.ok or found.error != missing.format(what=_shown(words)):
        return found
    nth, target = split_ordinal(words)
    if nth or any(score(thing, target) for thing in pool):
        return found  # "2.door" of one door: named, but no second
    near = _near(pool, target)
    return Found(None, f"{found.error} Did you mean {near}?") if near else found


def _shown(words: str) -> str:
    """``words`` as a "not found" line shows them: without an article in front."""
    said = words.split()
    if len(said) > 1 and said[0].lower() in _ARTICLES:
        said = said[1:]
    return " ".join(said) or "that"


def _near(pool: Sequence[Thing], target: str) -> str:
    """The name of the one thing in ``pool`` that ``target`` names but for a slip of
    the keys in a word ("bssa": Bessa Thorn; "lantren": the hooded lantern), each other
    word naming it as ``score`` does; "" for none, or more than one. Played: a newcomer's
    "look bssa" and "get lantren" were "You see no 'bssa' here."."""
    wanted = target.split()
    if not wanted or not any(len(word) >= 4 for word in wanted):
        return ""
    names: set[str] = set()
    for thing in pool:
        for candidate in (thing.name, *thing.aliases):
            have = _parts(candidate.lower().split())
            if all(
                any(word == part or (len(part) >= 4 and part.startswith(word)) for part in have)
                or (len(word) >= 4 and any(_one_slip(word, part) for part in have))
                for word in wanted
            ):
                names.add(thing.name)
                break
    if len(names) != 1:
        return ""
    name = names.pop()
    return name if name[:1].isupper() else definite(name)


def _one_slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with one slip of the keys past its first letter: a
    letter left out, added or wrong, or two swapped. Pure."""
    if typed == word or typed[:1] != word[:1] or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        wrong = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        return len(wrong) == 1 or (
            len(wrong) == 2
            and wrong[1] == wrong[0] + 1
            and typed[wrong[0]] == word[wrong[1]]
            and typed[wrong[1]] == word[wrong[0]]
        )
    short, long = sorted((typed, word), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long)))


def _found(pool: Sequence[Thing], words: str, missing: str) -> Found:
    """``find`` without the thing asked after."""
    found = _find(pool, words, missing)
    if found.ok:
        return found
    bare = words.rstrip(" !?.")
    if bare and bare != words:
        # "drink the potion!" in a fight (played: "You are not carrying 'potion!'.").
        shouted = _find(pool, bare, missing)
        if shouted.ok:
            return shouted
    if not words.isascii():
        # Names here are A to Z: "tell Zoë" is Zoe (played: "No one called 'Zoë' is
        # playing." to one who wrote her name as it is said).
        bare = unmarked(words)
        plain = _find(pool, bare, missing) if bare != words else found
        if plain.ok:
            return plain
    owned = unowned(words)
    if owned != words:
        # "the saint's altar", "crake's key": when the whole names nothing, the thing
        # without whose it is (played: "pray at it" after "the saint's altar." was "You
        # see no 'it' here.").
        theirs = _find(pool, owned, missing)
        # Named whole, not by a prefix: "grab bessa's arm" is no chain shirt ("armour").
        if theirs.thing is not None and score(theirs.thing, split_ordinal(owned)[1]) == 2:
            return theirs
    head = _before_instrument(words)
    if not head or any(score(t, split_ordinal(words)[1]) for t in pool):
        return found
    # "hit the rat with my mace": when the whole names nothing, the words after "with"
    # or "using" say how it is done, not what to.
    return _find(pool, head, missing)


#: Whose a thing is, opening the words for it: "the saint's", "crake's", "my friend's";
#: not a word with "is" clipped ("where's sister aldith?": played, Sister Aldith found
#: as "sister", and "Sister Aldith is not here." for the question).
_OWNER = re.compile(
    r"^\s*(?!(?:where|what|who|how|when|why|that|there|here|it|he|she|let)'s\b)"
    r"(?:(?:the|my|our|your)\s+)?[\w-]+(?:'s|s')\s+(?=\S)",
    re.I,
)


def unowned(words: str) -> str:
    """``words`` without whose the thing is ("the saint's altar" -> "altar"), or
    ``words`` as they are when they name no owner or nothing after one. Pure."""
    owned = _OWNER.sub("", words, count=1)
    return owned if owned.strip() else words


def _find(things: Sequence[Thing], words: str, missing: str) -> Found:
    """``find`` for ``words`` as they are."""
    nth, target = split_ordinal(words)
    said = words.split()
    if len(said) > 1 and said[0].lower() in _ARTICLES:
        said = said[1:]
    shown = " ".join(said) or "that"
    if not target:
        return Found(None, missing.format(what=shown))
    scored = [(score(t, target), t) for t in things]
    hits = [(s, t) for s, t in scored if s]
    if nth:
        if nth <= len(hits):
            return Found(hits[nth - 1][1])
        return Found(None, missing.format(what=shown))
    if not hits:
        return Found(None, missing.format(what=shown))
    best = max(s for s, _ in hits)
    pool = [t for s, t in hits if s == best]
    distinct: list[Thing] = []
    for t in pool:
        if all((t.kind, t.name.lower()) != (d.kind, d.name.lower()) for d in distinct):
            distinct.append(t)
    if len(distinct) > 1 and len({d.name.lower() for d in distinct}) > 1:
        return Found(None, which_one(distinct, target))
    # One name for all of them (a room's feature "iron door" written for its exit's
    # iron door): the first in scope order. "Which one do you mean: the iron door or
    # the iron door?" was asked at the Drowned Stair, and no answer could tell them apart.
    return Found(pool[0])


#: Words that start how a thing is done, not what it is done to ("with my mace").
_HOW = re.compile(r"\s(?:with|using)\s", re.I)


def _before_instrument(words: str) -> str:
    """The words before the first "with" or "using" that has words on both sides
    ("rat" for "rat with my mace"), or "" when there is none."""
    match = _HOW.search(words)
    if match is None:
        return ""
    head = words[: match.start()].strip()
    return head if head and words[match.end() :].strip() else ""


#: Words a player puts between a verb and whom it is for ("talk to Bessa").
_TO = ("to", "with")


def find_leading(things: Iterable[Thing], text: str, missing: str = HERE) -> tuple[Found, str]:
    """The thing that the first words of ``text`` name, and the words after them:
    ``"to Bessa Thorn, where is he?"`` -> (Bessa Thorn, ``"where is he?"``). A leading
    "to" or "with" is dropped, and a comma or colon ends the name when the words before
    it name anything (that thing, or "which one?" when they name several). The longest run
    of leading words (up to four) that names a thing wins, so a two-word name is not
    cut after its first word and the rest taken for what follows. When no run names
    anything, the first word's ``find`` answer (its "not found" or "which one?") comes
    back with the rest. Pure; never raises."""
    pool = list(things)
    words = text.split()
    if len(words) > 1 and words[0].lower() in _TO:
        words = words[1:]
    if not words:
        return find(pool, "", missing), ""
    # "Bessa, hello" or "Bessa: hello": the name ends at the mark if it names anyone
    # (found, or "which one?"); "Bessa hello, friend" is not ended at "hello".
    for i, word in enumerate(words[:4]):
        if word[-1] in ",:":
            name = " ".join([*words[:i], word.rstrip(",:")])
            if any(score(t, split_ordinal(name)[1]) for t in pool):
                return find(pool, name, missing), " ".join(words[i + 1 :])
            break
    for n in range(min(4, len(words)), 1, -1):
        found = find(pool, " ".join(words[:n]), missing)
        if found.ok:
            return found, " ".join(words[n:])
    return find(pool, words[0].rstrip(",:") or words[0], missing), " ".join(words[1:])


def which_one(options: Sequence[Thing], words: str) -> str:
    """The "which one?" line for ``options`` (at least two) that ``words`` all name."""
    names = [definite(t.name) for t in options[:6]]
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    return AMBIGUOUS.format(options=listed, example=f"2.{words.split()[0]}")


# -- scopes --------------------------------------------------------------------------


def items(world: World, ids: Iterable[str]) -> list[Thing]:
    """Item instances ``ids`` (those still in the world), as candidates."""
    out: list[Thing] = []
    for item_id in ids:
        inst = world.items.get(item_id)
        tmpl = world.templates.items.get(inst.template) if inst is not None else None
        if tmpl is not None:
            out.append(Thing("item", item_id, tmpl.name, tuple(tmpl.aliases)))
    return out


def carried(world: World, char: Character) -> list[Thing]:
    """What ``char`` carries, wielded and worn things included."""
    return items(world, char.inventory)


def worn(world: World, char: Character) -> list[Thing]:
    """What ``char`` wields or wears."""
    return items(world, [i for i in char.inventory if i in char.equipment.values()])


def floor(world: World, room: str) -> list[Thing]:
    """The items lying in ``room``."""
    return items(world, world.items_in_room(room))


def npcs(world: World, room: str) -> list[Thing]:
    """The living NPCs in ``room``."""
    out: list[Thing] = []
    for npc in world.npcs_in(room):
        tmpl = world.templates.npcs[npc.id]
        out.append(Thing("npc", npc.id, tmpl.name, tuple(tmpl.aliases)))
    return out


def dead(world: World, room: str) -> list[Thing]:
    """The NPCs that died in ``room`` and have not come back, in template order: found
    only to say so ("The bog rat is dead."), never to act on."""
    out: list[Thing] = []
    for npc in world.npcs.values():
        if not npc.alive and npc.room == room:
            tmpl = world.templates.npcs[npc.id]
            out.append(Thing("dead", npc.id, tmpl.name, tuple(tmpl.aliases)))
    return out


def people(
    world: World, room: str, *, besides: str = "", viewer: str = "", leading: str = ""
) -> list[Thing]:
    """The players in ``room`` (without ``besides``, a character key) that ``viewer``
    (``besides`` when not given) sees: a hidden player is found only by their group
    (``stealth.sees``). ``leading``: only those the first words of that text could
    name (``could_lead``), for ``find_leading`` in a crowd."""
    viewer = viewer or besides
    start = _leading_word(leading) if leading else ""
    return [
        Thing("player", c.key, c.name)
        for c in world.people_in(room)
        if c.key != besides
        and (not leading or c.key.startswith(start))
        and stealth.sees(world, viewer, c)
    ]


def anyone_else(world: World, room: str, viewer: str) -> bool:
    """Whether ``viewer`` sees another player in ``room``: ``people`` stopped at the first
    (a crowd of 1,000 is not walked to learn that it is not empty)."""
    return any(
        key != viewer and stealth.sees(world, viewer, world.chars[key])
        for key in world.occupants.get(room, ())
    )


def _leading_word(text: str) -> str:
    """The word of ``text`` that a one-word name leading it would be matched on by
    ``find_leading``: the first, past a leading "to" or "with", an article and an
    ordinal ("2."), lower case, without a closing comma or colon; "" for none (which
    every name starts with)."""
    words = text.lower().split()
    if len(words) > 1 and words[0] in _TO:
        words = words[1:]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    first = words[0].rstrip(",:") if words else ""
    return first.split(".", 1)[1] if "." in first and first.split(".", 1)[0].isdigit() else first


def online(world: World, *, besides: str = "") -> list[Thing]:
    """Every character in the world (without ``besides``)."""
    return [Thing("player", c.key, c.name) for c in world.chars.values() if c.key != besides]


def features(world: World, room: str) -> list[Thing]:
    """The features ``room`` describes; a feature's key (``_`` as space) names it too."""
    return [
        Thing("feature", f.id, f.name, (f.key.replace("_", " "), *f.aliases))
        for f in world.room(room).features.values()
    ]


def exits(world: World, char: Character) -> list[Thing]:
    """The ways out of ``char``'s room that ``char`` knows of, named by direction and
    its shorthand ("n")."""
    short = {full: s for s, full in DIRECTION_ALIASES.items()}
    room = world.room(char.room)
    return [
        Thing("exit", e.direction, e.direction, tuple(s for s in (short.get(e.direction),) if s))
        for e in room.exits
        if exit_visible(world, room.id, e.direction, e.hidden, char.key)
    ]


def doors(world: World, char: Character, *, by_way: bool = True) -> list[Thing]:
    """The doors on the ways out of ``char``'s room that ``char`` knows of, named by the
    door's name and aliases, "door", and (``by_way``) the direction; ``ref`` is the
    direction. Without ``by_way`` a direction names only the exit, not its door too."""
    short = {full: s for s, full in DIRECTION_ALIASES.items()}
    room = world.room(char.room)
    out: list[Thing] = []
    for e in room.exits:
        door = e.door
        if door is None or not door.id:
            continue
        if not exit_visible(world, room.id, e.direction, e.hidden, char.key):
            continue
        way = (e.direction, *((short[e.direction],) if e.direction in short else ()))
        way = way if by_way else ()
        names = (*door.aliases, "door", *way)
        out.append(Thing("door", e.direction, door.name, names))
    return out


def wares(world: World, templates: Iterable[str]) -> list[Thing]:
    """Item templates for sale, as candidates (``ref`` is the template id)."""
    out: list[Thing] = []
    for template in templates:
        tmpl = world.templates.items.get(template)
        if tmpl is not None:
            out.append(Thing("ware", template, tmpl.name, tuple(tmpl.aliases)))
    return out


def fixed(world: World, char: Character) -> list[Thing]:
    """What is in ``char``'s room and no item: NPCs, the other players, the room's
    features and its doors, in that order (what cannot be picked up, or what a pose may
    be taken beside)."""
    return [
        *npcs(world, char.room),
        *people(world, char.room, besides=char.key),
        *features(world, char.room),
        *doors(world, char, by_way=False),
    ]


def around(world: World, char: Character) -> list[Thing]:
    """Everything ``char`` can look at: the pack, the floor, NPCs, other players, the
    room's features, its exits and their doors, in that order."""
    return [
        *carried(world, char),
        *floor(world, char.room),
        *npcs(world, char.room),
        *people(world, char.room, viewer=char.key),
        *features(world, char.room),
        *exits(world, char),
        *doors(world, char, by_way=False),
    ]


__all__ = [
    "AMBIGUOUS",
    "CARRIED",
    "HERE",
    "ONLINE",
    "SOLD",
    "WORN",
    "Found",
    "Thing",
    "around",
    "carried",
    "doors",
    "exits",
    "features",
    "find",
    "fixed",
    "floor",
    "items",
    "npcs",
    "online",
    "people",
    "score",
    "split_ordinal",
    "wares",
    "which_one",
]
