"""Hiding and sneaking: who sees whom, and what a hidden character's deeds cost. Pure.

Played: a rogue typed "hide in the shadows", passed a DEX check, and stayed in everyone's
view of the room; the room read "Odo hides in the shadows." and nothing followed from
it. The rules here (D&D's, kept small):

- ``hide`` rolls Stealth: d20 + DEX modifier (+ proficiency for a class trained in
  ``stealth`` or ``dex``) against the room's *watch*: the highest passive Perception
  among those who would see the hider, never below 10. Those are the NPCs there and the
  other players who are awake and not in the hider's group. A player's passive
  Perception is 10 + WIS modifier (+ proficiency if trained in ``perception`` or
  ``wis``); an NPC's is its ``stats.perception`` (10 without stats). Success hides the
  character behind the roll's total (``Character.hidden``): the roll is the hider's
  alone, group mates there are told, and no one else reads a word. A failure is seen.
- Not in a fight, not while down, not before a class is chosen.
- A hidden character is left out of the room's view, out of the names commands find
  ("look odo", "give odo ...") and out of the narrator's list of who is present, for
  all but themselves and their group.
- Walking while hidden is sneaking: a new roll against the watch of the room walked
  into; on success the leaving and the arriving are told only to the group, on a
  failure the walker arrives in plain sight. ``sneak <direction>`` sneaks from plain
  sight (the leaving is seen). Following someone is walking in the open.
- An aggressive NPC attacks only the players it sees: one whose ``perception`` is above
  a hider's total finds them. A fight that starts in the room leaves the hidden out.
- Attacking from hiding brings the attacker out, striking unseen: advantage on their
  first attack (the fight condition ``unseen``).
- Taking a thing from the floor while hidden (``lift``) rolls Sleight of Hand against
  the watch: on a success it is taken unseen (told to the taker and their group, no
  guard's words) and the taker stays hidden; on a failure they step out of the shadows
  and take it in front of everyone.
- Anything else others would notice brings the character out first ("Odo steps out of
  the shadows."). ``QUIET`` commands never do (looking, the pack and sheet, tells and
  channels, help, walking); any other command does only when it would show something
  to someone else (an error or a private answer does not).
- Someone's perceptive deed ("search the room", "look around for footprints") is rolled
  as usual, and finds every hidden character there whose total it meets.
"""

from __future__ import annotations

from collections.abc import Iterable

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc
from mud.engine.context import Ctx
from mud.engine.effects import (
    Audit,
    Effect,
    ListKeys,
    Query,
    RemoveKey,
    Rolled,
    SetHidden,
    SetPrefs,
    StartFlow,
    Tell,
    ToRoom,
)
from mud.engine.rules import Ability, CheckResult, check, modifier
from mud.engine.sheet import check_bonus, rolled, score
from mud.engine.state import Character, World
from mud.render.grammar import capitalise, definite

SKILL = "stealth"
WATCH_FLOOR = 10
"""The least a hider must roll, whoever watches (or with no one there)."""

QUIET: frozenset[str] = frozenset(
    {
        "look", "examine", "exits", "go", "tell", "who", "inventory", "ooc", "help",
        "colour", "screenreader", "width", "prompt", "password", "keys", "quit", "score",
        "equipment", "powers", "quests", "consider", "save", "tokens", "ask", "steal",
        "gtell", "afk", "describe", "where", "bug", "typo", "idea", "ignore", "unignore",
        # An admin's work is the operator's, not the character's.
        "announce", "kick", "ban", "unban", "shutdown", "reload", "dm", "usage", "reset",
        "mute", "unmute", "report", "reports",
    }
)  # fmt: skip
"""Commands that never bring a hidden character out (walking is sneaking: ``walk``; a
theft decides for itself: ``mud.engine.theft``)."""

_PRIVATE = (Rolled, Query, SetPrefs, StartFlow, ListKeys, RemoveKey, Audit)


def together(world: World, a: str, b: str) -> bool:
    """True when characters ``a`` and ``b`` are one, or in one group."""
    if a == b:
        return True
    leader = world.groups.get(a)
    return leader is not None and leader == world.groups.get(b)


def sees(world: World, viewer: str, char: Character) -> bool:
    """Whether ``viewer`` (a character key, "" for no one in particular: the narrator,
    the room at large) sees ``char``: always when ``char`` is in plain sight, else only
    ``char`` and their group."""
    return not char.hidden or (bool(viewer) and together(world, viewer, char.key))


def passive_perception(world: World, char: Character) -> int:
    """10 + WIS modifier, + proficiency for a class trained in perception (or WIS)."""
    return 10 + modifier(score(char, "wis")) + check_bonus(world, char, "perception", "wis")


def npc_perception(world: World, npc_id: str) -> int:
    """An NPC's passive Perception: its ``stats.perception``, 10 without stats."""
    stats = world.templates.npcs[npc_id].stats
    return stats.perception if stats is not None else WATCH_FLOOR


def watch(world: World, hider: Character, room: str) -> int:
    """What a hider in ``room`` must roll: the highest passive Perception of the NPCs
    there and of the awake players not in ``hider``'s group, at least ``WATCH_FLOOR``."""
    best = WATCH_FLOOR
    for npc in world.npcs_in(room):
        best = max(best, npc_perception(world, npc.id))
    for other in world.people_in(room):
        if awake(world, other) and not together(world, hider.key, other.key):
            best = max(best, passive_perception(world, other))
    return best


def awake(world: World, char: Character) -> bool:
    """Playing and able to notice: a class chosen, not down, not link-dead."""
    return (
        bool(char.cls)
        and not char.down
        and char.hp > 0
        and char.key not in world.linkdead
        and char.key not in world.waiting
    )


def seen_by_npc(world: World, npc_id: str, char: Character) -> bool:
    """Whether NPC ``npc_id`` sees ``char``: in plain sight, or hidden behind a roll
    below its passive Perception."""
    return not char.hidden or npc_perception(world, npc_id) > char.hidden


def roll(world: World, actor: Character, dc: int, ctx: Ctx, doing: str) -> CheckResult:
    """``actor``'s Stealth check against ``dc`` (see the module docstring)."""
    return check(
        ctx.rng,
        ability_score=score(actor, "dex"),
        dc=dc,
        bonus=check_bonus(world, actor, SKILL, "dex"),
        reason=f"{actor.name} {doing}",
        ability=Ability.DEX,
    )


def _rolls(actor: Character, result: CheckResult) -> list[Effect]:
    """The roll recorded and its line, for ``actor``'s eyes only."""
    return [
        rolled(result.roll, f"{actor.name} Stealth check"),
        Tell(actor.key, Doc.text(tag("roll", esc(f"Stealth: {result.line()}")))),
    ]


def _group_here(world: World, actor: Character, room: str) -> list[str]:
    """Keys of ``actor``'s group mates in ``room``."""
    return [
        k for k in world.occupants.get(room, ()) if k != actor.key and together(world, actor.key, k)
    ]


def _outsiders(world: World, actor: Character, room: str) -> tuple[str, ...]:
    """Keys of everyone in ``room`` who is neither ``actor`` nor in their group."""
    return tuple(k for k in world.occupants.get(room, ()) if not together(world, actor.key, k))


def unseeing(world: World, char: Character) -> tuple[str, ...]:
    """The keys of those in ``char``'s room who do not see ``char`` (``sees``): () for
    one in plain sight, without a walk of the room. The hub leaves them out of the lines
    that name ``char`` (link-dead, back, gone)."""
    return _outsiders(world, char, char.room) if char.hidden else ()


def blocked(world: World, actor: Character, doing: str = "hide") -> str:
    """Why ``actor`` cannot hide or sneak (or ``doing`` what else needs quiet hands) now
    ("" when they can)."""
    if not actor.cls:
        return "You have not chosen a class yet."
    if actor.down or actor.hp <= 0:
        return f"You are in no state to {doing}."
    current = world.fights.get(actor.room)
    if current is not None and current.has(f"p:{actor.key}"):
        return f"You cannot {doing} in the middle of a fight. Try 'flee <direction>'."
    return ""


def hide(world: World, actor: Character, ctx: Ctx) -> list[Effect]:
    """``hide``: roll Stealth against the room's watch (module docstring)."""
    why = blocked(world, actor)
    if why:
        return [Tell(actor.key, Doc.text(styled("error", why)))]
    if actor.hidden:
        return [
            Tell(
                actor.key,
                Doc.text(esc(f"You are already hidden (Stealth {actor.hidden}).")),
            )
        ]
    result = roll(world, actor, watch(world, actor, actor.room), ctx, "hides")
    effects = _rolls(actor, result)
    name = styled("person", actor.name)
    if not result.success:
        return effects + [
            Tell(actor.key, Doc.text("You look for somewhere out of sight, but there is none.")),
            ToRoom(
                actor.room,
                Doc.text(f"{name} looks about for somewhere to hide, in plain view."),
                exclude=(actor.key,),
            ),
        ]
    mates = _group_here(world, actor, actor.room)
    seen_by = " Only your group can see you now." if actor.key in world.groups else ""
    effects += [
        SetHidden(actor.key, result.total),
        Tell(actor.key, Doc.text("You slip out of sight." + seen_by)),
    ]
    effects += [
        Tell(k, Doc.text(f"{name} slips out of sight; only your group knows where.")) for k in mates
    ]
    return effects


def reveal(world: World, actor: Character, verb: str = "") -> list[Effect]:
    """``actor`` comes out of hiding: the change and the lines (one who attacks darts
    out to attack when ``verb`` is attack: the blow itself comes on their turn)."""
    name = styled("person", actor.name)
    if verb == "attack":
        you = "You dart out of the shadows to attack: your first blow has surprise on its side."
        they = f"{name} darts out of the shadows to attack!"
    else:
        you, they = "You step out of the shadows.", f"{name} steps out of the shadows."
    return [
        SetHidden(actor.key, 0),
        Tell(actor.key, Doc.text(you)),
        ToRoom(actor.room, Doc.text(they), exclude=(actor.key,)),
    ]


#: The skill of a hand quick enough to take a thing unseen (``lift``).
LIFT_SKILL = "sleight_of_hand"


def lift(world: World, actor: Character, name: str, ctx: Ctx) -> tuple[bool, list[Effect]]:
    """Hidden ``actor`` taking ``name`` (a thing on the floor, its plain name with an article)
    from under the room's eyes: Sleight of Hand (d20 + DEX, + proficiency for a class
    trained in ``sleight_of_hand`` or ``dex``) against the room's ``watch``. Returns
    whether it was done unseen, and the roll, for ``actor``'s eyes; when it was, also
    the taking told to them and to their group here alone, and their hiding kept (a
    ``SetHidden``: the command decided, ``guard`` leaves it). The caller moves the
    thing. Called by ``commands.cmd_get``. Played: a rogue who had sneaked into the
    smuggler's loft stepped out of the shadows to take the key at his feet."""
    result = check(
        ctx.rng,
        ability_score=score(actor, "dex"),
        dc=watch(world, actor, actor.room),
        bonus=check_bonus(world, actor, LIFT_SKILL, "dex"),
        reason=f"{actor.name} takes {name} unseen",
        ability=Ability.DEX,
    )
    effects: list[Effect] = [
        rolled(result.roll, f"{actor.name} Sleight of Hand check"),
        Tell(actor.key, Doc.text(tag("roll", esc(f"Sleight of Hand: {result.line()}")))),
    ]
    if not result.success:
        return False, effects
    who, thing = styled("person", actor.name), tag("item", esc(name))
    effects += [
        SetHidden(actor.key, actor.hidden),
        Tell(actor.key, Doc.text(f"You take {thing} without a sound; no one sees.")),
    ]
    effects += [
        Tell(k, Doc.text(f"{who} takes {thing} from under their noses, unseen."))
        for k in _group_here(world, actor, actor.room)
    ]
    return True, effects


def noticed(actor: Character, effects: Iterable[Effect]) -> bool:
    """Whether ``effects`` of a command by ``actor`` show something to anyone else:
    anything but answers to ``actor`` alone, rolls and queries."""
    for effect in effects:
        if isinstance(effect, Tell) and effect.who == actor.key:
            continue
        if isinstance(effect, _PRIVATE):
            continue
        return True
    return False


def guard(world: World, actor: Character, verb: str, effects: list[Effect]) -> list[Effect]:
    """The effects of ``actor``'s command ``verb`` ("" for a deed, social or power), led
    by their coming out of hiding when they are hidden, ``verb`` is not ``QUIET`` and
    the effects would show something to others (module docstring). Called by
    ``commands.dispatch`` for every line a player types."""
    if not actor.hidden or verb in QUIET or not noticed(actor, effects):
        return effects
    if any(isinstance(e, SetHidden) and e.who == actor.key for e in effects):
        return effects  # the command decides itself (hide, sneak)
    return reveal(world, actor, verb) + effects


def walk(
    world: World, actor: Character, to: str, ctx: Ctx, *, sneaking: bool
) -> tuple[list[Effect], tuple[str, ...], tuple[str, ...]] | None:
    """The stealth of ``actor`` walking from their room to room ``to``: None when they
    walk in the open (not hidden, not ``sneaking``); else the effects that go before the
    ``Move`` (the roll, its line, the new ``SetHidden``) and the keys in the room left
    and the room entered who do not read the leaving and the arriving. Called by
    ``commands.cmd_go``."""
    if not (actor.hidden or sneaking):
        return None
    why = blocked(world, actor)
    if why:
        return None
    result = roll(world, actor, watch(world, actor, to), ctx, "sneaks")
    effects = _rolls(actor, result)
    unseen_leaving = _outsiders(world, actor, actor.room) if actor.hidden else ()
    if result.success:
        effects += [
            SetHidden(actor.key, result.total),
            Tell(actor.key, Doc.text("You move without a sound.")),
        ]
        return effects, unseen_leaving, _outsiders(world, actor, to)
    effects += [
        SetHidden(actor.key, 0),
        Tell(actor.key, Doc.text("You are seen as you come in.")),
    ]
    return effects, unseen_leaving, ()


def found_by(
    world: World, seeker: Character, total: int, room: str
) -> tuple[list[Character], list[Effect]]:
    """The hidden characters in ``room`` that ``seeker``'s perceptive roll of ``total``
    finds (those hidden from them behind a total no higher), and the effects: each is
    in plain sight again and the room is told. Called by ``game.action``."""
    found = [
        c
        for c in world.people_in(room)
        if c.hidden and not sees(world, seeker.key, c) and total >= c.hidden
    ]
    effects: list[Effect] = []
    seeker_name = styled("person", seeker.name)
    for char in found:
        name = styled("person", char.name)
        effects += [
            SetHidden(char.key, 0),
            Tell(seeker.key, Doc.text(f"You find {name} hiding in the shadows!")),
            Tell(char.key, Doc.text(f"{seeker_name} finds you!")),
            ToRoom(
                room,
                Doc.text(f"{seeker_name} finds {name} hiding in the shadows!"),
                exclude=(seeker.key, char.key),
            ),
        ]
    return found, effects


def spotted(world: World, npc_id: str, chars: Iterable[Character]) -> list[Effect]:
    """NPC ``npc_id`` finds the hidden ``chars``: each is in plain sight again, and the
    room is told ("The bog rat finds Odo hiding in the shadows!")."""
    foe = capitalise(definite(world.templates.npcs[npc_id].name))
    effects: list[Effect] = []
    for char in chars:
        name = styled("person", char.name)
        effects += [
            SetHidden(char.key, 0),
            Tell(char.key, Doc.text(esc(f"{foe} finds you in your hiding place!"))),
            ToRoom(
                char.room,
                Doc.text(f"{esc(foe)} finds {name} hiding in the shadows!"),
                exclude=(char.key,),
            ),
        ]
    return effects


__all__ = [
    "QUIET",
    "awake",
    "blocked",
    "found_by",
    "guard",
    "hide",
    "npc_perception",
    "passive_perception",
    "reveal",
    "roll",
    "seen_by_npc",
    "sees",
    "spotted",
    "together",
    "unseeing",
    "walk",
    "watch",
]
