"""What a character sees: room views and which exits they know of. Pure."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from mud.core.markup import esc, styled
from mud.core.outputs import Doc, Para, Table, Title
from mud.engine import stealth
from mud.engine.state import Character, World
from mud.render.grammar import indefinite, plural, singular
from mud.world.model import Exit, ItemTemplate

CROWD_NAMES = 12
"""The most people, and kinds of things, a room's view names; the rest are counted."""


def _name(char: Character) -> str:
    return styled("person", char.name)


def list_words(words: list[str]) -> str:
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


# -- the prompt -----------------------------------------------------------------------

DEFAULT_PROMPT = "%h/%H HP >"
"""The prompt a character with a sheet sees until they set their own."""

PROMPT_CODES = {
    "h": "hit points",
    "H": "most hit points",
    "x": "experience",
    "g": "gold",
    "l": "level",
    "%": "a percent sign",
}
"""``%`` codes a prompt template may use, and what each shows."""

MAX_PROMPT = 80

PROMPT_OFF = "off"
"""The template of a hidden prompt (``prompt off``): no prompt after each line (a
screen reader speaks it after every line otherwise)."""


def prompt_text(char: Character, template: str) -> str:
    """``template`` with its ``%`` codes (``PROMPT_CODES``) filled in from ``char``;
    unknown codes are kept as typed. Plain text (the caller escapes it)."""
    values = {
        "h": str(char.hp),
        "H": str(char.max_hp),
        "x": str(char.xp),
        "g": str(char.gold),
        "l": str(char.level),
        "%": "%",
    }
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "%" and i + 1 < len(template) and template[i + 1] in values:
            out.append(values[template[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def prompt_markup(char: Character, plain: str) -> str:
    """The prompt markup for ``char``: their template (``extra["prompt"]``, else
    ``DEFAULT_PROMPT``) filled in and styled as a prompt; ``plain`` (the server's own
    prompt markup) for a character without a sheet yet; "" (no prompt at all) for one
    who hid it (``PROMPT_OFF``)."""
    if not char.cls:
        return plain
    template = str(char.extra.get("prompt") or DEFAULT_PROMPT)[:MAX_PROMPT]
    if template == PROMPT_OFF:
        return ""
    return styled("prompt", prompt_text(char, template).strip() or ">")


# -- looking ------------------------------------------------------------------------


def exit_visible(world: World, room_id: str, direction: str, hidden: bool, viewer: str) -> bool:
    """Hidden exits show (and work) only for characters who found them."""
    if not hidden:
        return True
    char = world.chars.get(viewer)
    return char is not None and f"{room_id}:{direction}" in char.revealed


def visible_exits(world: World, room_id: str, viewer: str = "") -> list[str]:
    room = world.room(room_id)
    return [
        e.direction
        for e in room.exits
        if exit_visible(world, room_id, e.direction, e.hidden, viewer)
    ]


def door_mark(world: World, ex: Exit, opened: Collection[str] = ()) -> str:
    """`` (trapdoor, locked)`` after an exit with a door, how it stands (locked, closed or
    open), else nothing: the room's Exits line and ``exits`` both show it, so a look tells
    what walking that way meets (tried: the cellar's "Exits: up down" read the same with
    the trapdoor locked, shut or open). ``opened``: ids of doors opened in the step this
    view is built for, before that is applied. Markup."""
    if ex.door is None or not ex.door.id:
        return ""
    state = world.door(ex.door)
    how = "locked" if state.locked else "closed" if state.closed else "open"
    if ex.door.id in opened:
        how = "open"
    return f" ({esc(ex.door.name)}, {how})"


# -- scenery ---------------------------------------------------------------------------

#: Words that never name the thing looked at ("look at the lanterns on the wall").
_LITTLE = frozenset(
    "the a an some any my your our his her their its this that these those at to of in"  # noqa: SIM905
    " on onto into with by from and or it them him here there closer closely around again"
    " more carefully up down over under back".split()
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_WORDS = re.compile(r"[a-z]+")


def _forms(word: str) -> frozenset[str]:
    """``word`` and its plain singular and plural (lantern, lanterns; marsh, marshes),
    and, for a word of a thing done, the forms of its doing (scratches: scratch,
    scratched, scratching; carvings: carved), so "the scratches" finds "Scratched into
    the brick" (played: "You see no 'scratches' here." in the smugglers' tunnel)."""
    one = singular(word)
    stems = {one}
    for end in ("ing", "ed"):
        if one.endswith(end) and len(one) > len(end) + 2:
            stems |= {one[: -len(end)], one[: -len(end)] + "e"}
    done = {f"{stem}{end}" for stem in stems for end in ("ed", "ing")}
    done |= {f"{stem[:-1]}{end}" for stem in stems if stem.endswith("e") for end in ("ed", "ing")}
    return frozenset({word, plural(word), one, *stems, *done})


def scenery(description: str, words: str) -> str | None:
    """The sentence of a room's ``description`` that is about what ``words`` name, for a
    look at something the builder described but did not make a feature of ("look at the
    scratched lanterns" in a tunnel whose text says "someone has drawn a little lantern"):
    the sentences that mention the last word of ``words`` that is not a little word
    ("the", "at", "it" ...), in its singular or plural; of those, the one that mentions
    most of the other words too (the first on a tie). None when no sentence mentions it.
    Only the builder's own words are quoted, so it says nothing the room does not. Pure."""
    wanted = [w for w in _WORDS.findall(words.lower()) if w not in _LITTLE and len(w) > 2]
    if not wanted:
        return None
    head = _forms(wanted[-1])
    others = [_forms(w) for w in wanted[:-1]]
    best: tuple[int, str] | None = None
    for sentence in _SENTENCE.split(" ".join(description.split())):
        tokens = set(_WORDS.findall(sentence.lower()))
        if not head & tokens:
            continue
        hits = sum(1 for forms in others if forms & tokens)
        if best is None or hits > best[0]:
            best = (hits, sentence)
    return best[1] if best is not None else None


def pose_of(world: World, char: Character, viewer: str = "") -> str:
    """``char``'s pose (``mud.engine.poses``) as ``viewer`` reads it in a room's view
    ("sitting by the fire"): with the player it names only while they are still in the
    room ("You are sitting with Rowan." was read after Rowan had walked out), else the
    posture alone ("sitting"); the player it names reads "you" ("Sable is sitting with
    you.", also in the view of the room they walk back into). Pure."""
    if char.pose_with:
        other = world.chars.get(char.pose_with)
        if other is not None and char.pose_with == viewer:
            return to_you(char.pose, other.name)
        if other is None or other.room != char.room:
            return char.pose.split(" ", 1)[0]
    return char.pose


def to_you(text: str, name: str) -> str:
    """``text`` ending in ``name`` ("sitting with Rowan") as Rowan reads it ("sitting
    with you"); ``text`` unchanged when it does not end in the name. Pure."""
    return text[: -len(name)] + "you" if text.endswith(" " + name) else text


def describe_room(
    world: World,
    room_id: str,
    viewer: str,
    *,
    arriving: Sequence[str] = (),
    opened: Collection[str] = (),
    walking: bool = False,
) -> Doc:
    """The full view of a room for ``viewer``: title, description, exits, things, people.
    ``arriving``: keys of characters walking in ahead of ``viewer`` in the same step (a
    follower's view, built before the walk is applied, names the leader who went
    first); they are listed after those already there. ``opened``: ids of doors opened
    on the way in, shown open (played: "You open the iron door.", then "Exits: north up
    (iron door, closed)"). ``walking``: the view of one walking in, which leaves out the
    room's description for a viewer in ``brief`` mode who has stood there before."""
    room = world.room(room_id)
    blocks: list[Para | Title | Table] = [Title(styled("title", room.name))]
    seen = world.chars.get(viewer)
    if not (walking and seen is not None and seen.extra.get("brief") and room_id in seen.visited):
        blocks.append(Para(esc(world.room_text(room_id, viewer))))
    exits = [
        styled("exit", e.direction) + styled("dim", door_mark(world, e, opened))
        for e in room.exits
        if exit_visible(world, room_id, e.direction, e.hidden, viewer)
    ]
    if exits:
        blocks.append(Para(styled("dim", "Exits: ") + " ".join(exits)))
    else:
        blocks.append(Para(styled("dim", "There are no obvious exits.")))
    # Alike things are one entry with a count, as in the inventory ("Ysolde's lantern
    # and Ysolde's lantern" after two parties; twenty pies dropped one by one were
    # twenty entries on every look), and a cluttered floor names the first kinds and
    # counts the rest.
    kinds: dict[str, int] = {}
    for item in world.items_in_room(room_id):
        name = world.item_template(item).name
        kinds[name] = kinds.get(name, 0) + 1
    if kinds:
        named = [
            styled("item", indefinite(name)) + (styled("dim", f" ({n})") if n > 1 else "")
            for name, n in list(kinds.items())[:CROWD_NAMES]
        ]
        more = sum(list(kinds.values())[CROWD_NAMES:])
        if more:
            named.append(f"{more} other thing{'s' if more != 1 else ''}")
        blocks.append(Para("You see " + list_words(named) + " here."))
    npcs = [world.templates.npcs[n.id] for n in world.npcs_in(room_id)]
    names = [styled("npc", indefinite(n.name)) for n in npcs]  # "A bog rat", "Bessa Thorn"
    # A crowded room names the first few and counts the rest: a list of hundreds helps
    # no one, and building it for every look would cost O(crowd) each time.
    occupants: Sequence[str] = world.occupants.get(room_id, ())
    if arriving:
        occupants = [*occupants, *(k for k in arriving if k not in occupants and k in world.chars)]
    # The viewer is among them when standing in the room (``World``'s invariant), which
    # is O(1) to ask; ``viewer in occupants`` walked a crowd of 1,000 on every look.
    looker = world.chars.get(viewer)
    inside = looker is not None and looker.room == room_id and viewer not in world.waiting
    present = len(occupants) - inside
    listed = 0
    # Whoever sits, kneels or lies has a sentence of their own ("Corvin is sitting by
    # the fire."); they count toward the names a crowded room shows.
    posed: list[str] = []
    unseen = 0
    for key in occupants:
        if len(names) + len(posed) >= CROWD_NAMES:
            break  # the rest are only counted: len() above, not a walk over the crowd
        if key != viewer:
            char = world.chars[key]
            if not stealth.sees(world, viewer, char):
                unseen += 1  # not named, not counted among the others either
                continue
            name = _name(char)
            if key in world.linkdead:
                name += styled("dim", " (link-dead)")
            if char.hidden:
                name += styled("dim", " (hidden)")
            # One walking in ahead of the viewer stands, whatever they sat or leaned on
            # before (played: a follower read "Zoe is leaning on the signpost." in the
            # causeway she walked into; the walk clears a pose only once it is applied).
            if char.pose and char.room == room_id:
                posed.append(f"{name} is {esc(pose_of(world, char, viewer))}.")
            else:
                names.append(name)
            listed += 1
    # Only the hidden among the named few are left out of the count; counting the hidden
    # among a crowd's uncounted rest would walk the crowd on every look.
    others = present - listed - unseen
    if others:
        names.append(f"{others} other{'s' if others != 1 else ''}")
    if names:
        verb = "is" if len(names) == 1 and not others else "are"
        sentence = list_words(names)
        if sentence.startswith("{npc}"):  # "the Brute is here" opens a sentence
            sentence = "{npc}" + sentence[5:6].upper() + sentence[6:]
        posed.insert(0, f"{sentence} {verb} here.")
    if posed:
        blocks.append(Para(" ".join(posed)))
    if inside and looker is not None and looker.pose:
        blocks.append(Para(esc(f"You are {pose_of(world, looker)}.")))
    if inside and looker is not None and looker.hidden:
        blocks.append(Para(styled("dim", f"You are hidden (Stealth {looker.hidden}).")))
    if room_id in world.fights:
        blocks.append(Para(styled("bad", "A fight is raging here!")))
    return Doc(tuple(blocks))


#: What a condition given by a consumable does, as the rules have it (``combat``).
_CONDITION_DOES = {
    "blessed": "each attack rolls 1d4 more",
    "poisoned": "attacks roll with disadvantage",
    "frightened": "attacks roll with disadvantage",
    "stunned": "turns are lost, and attackers roll with advantage",
    "prone": "melee attackers roll with advantage",
    "unseen": "attacks roll with advantage",
}


def item_use(tmpl: ItemTemplate) -> str:
    """What an item does in the rules, in a sentence ("" for one that does nothing the
    rules count): "Drunk, it heals 2d4+2 HP.", "Drunk, it leaves you blessed for 3
    rounds (each attack rolls 1d4 more).", "Wielded, it deals 1d8 damage, plus your
    attack modifier.", "Worn, your armour class is 13, plus your DEX modifier (at most
    +2).".
    For ``examine`` and a question of what a thing does. Played in Lanternfall: "what's
    the juniper tonic do?" at the chandlery was answered with the next quest step, and
    'look tonic' told only how it looks. Pure."""
    if tmpl.kind == "consumable" and tmpl.effect is not None:
        if tmpl.effect.heal:
            return f"Used, it heals {tmpl.effect.heal} HP."
        if tmpl.effect.condition:
            does = _CONDITION_DOES.get(tmpl.effect.condition)
            rounds = f"{tmpl.effect.rounds} round{'' if tmpl.effect.rounds == 1 else 's'}"
            return f"Used, it leaves you {tmpl.effect.condition} for {rounds}" + (
                f" ({does})." if does else "."
            )
    if tmpl.kind == "weapon" and tmpl.damage:
        return f"Wielded, it deals {tmpl.damage} damage, plus your attack modifier."
    if tmpl.armour_class is not None:
        extra = f", and {tmpl.ac_bonus} more" if tmpl.ac_bonus else ""
        # As ``sheet.armour_class`` counts it: the armour's base, DEX up to +2 on it.
        return (
            f"Worn, your armour class is {tmpl.armour_class}{extra}, plus your DEX modifier"
            " (at most +2)."
        )
    if tmpl.ac_bonus:
        return f"Worn, it adds {tmpl.ac_bonus} to your armour class."
    return ""
