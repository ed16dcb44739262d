"""What happened to a player while their link was down.

A character whose connection drops stays in the world, link-dead, and the world goes on
around it: a fight it was in is fought to its end (its turns defended by the timer, or
its wimpy fleeing for it), a group walks on with it into the next fight, it falls and
is carried home, quests are finished by the others beside it. Played (round 61): a rogue
whose SSH client died in the middle of a fight with a bog rat came back to "Reconnected.
You are where you left off." and the room, at 7 of 15 hit points, and nothing said that
the fight had been won, by whom, or what it had earned her.

The hub takes ``snapshot`` when the link drops and asks ``told`` when the player is
back (``mud.hub.actor``); both are pure functions of the world.
"""

from __future__ import annotations

from attrs import frozen

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc, Para
from mud.engine.state import FELL, Character, World, last_fall
from mud.engine.views import list_words
from mud.render.grammar import definite, in_place, place


@frozen
class Away:
    """A character as it stood when its link dropped: where, its vitals and sheet
    numbers, the quests it had finished, its last fall (a ``FELL`` deed, "" for none),
    and the foes of the fight it was in (combatant id and name each)."""

    room: str
    hp: int
    xp: int
    level: int
    gold: int
    done: frozenset[str]
    fell: str
    foes: tuple[tuple[str, str], ...]


def snapshot(world: World, char: Character) -> Away:
    """``char`` as it stands now, for ``told`` when it is back. Pure."""
    current = world.fights.get(char.room)
    foes: tuple[tuple[str, str], ...] = ()
    if current is not None and current.has(f"p:{char.key}"):
        foes = tuple((c.id, c.name) for c in current.fighters if c.side == "enemies")
    done = frozenset(q for q, step in char.quests.items() if step == -1)
    return Away(char.room, char.hp, char.xp, char.level, char.gold, done, last_fall(char), foes)


def told(world: World, char: Character, before: Away) -> Doc | None:
    """What changed for ``char`` since ``before`` (``snapshot`` when its link dropped),
    told to it on its return: how the fight it was in ended (won, broken away from,
    over), or that it goes on; a fall meanwhile, and where it came to; a fight it is in
    now that it was not; where it is, if moved otherwise; its hit points, if they
    changed; the XP, levels and gold it gained; the quests finished meanwhile. None when
    nothing did. Pure."""
    lines: list[str] = []
    me = f"p:{char.key}"
    current = world.fights.get(char.room)
    fighting = current is not None and current.has(me)
    same_fight = fighting and current is not None and any(current.has(f) for f, _ in before.foes)
    if before.foes:
        names = esc(list_words([definite(name) for _, name in before.foes]))
        left = world.fights.get(before.room)
        if same_fight:
            lines.append(f"The fight with {names} goes on; 'turn' tells how it stands.")
        elif all(not _alive(world, foe) for foe, _ in before.foes):
            lines.append(f"The fight with {names} was won.")
        elif left is not None and not left.has(me) and any(left.has(f) for f, _ in before.foes):
            lines.append(f"You broke away from the fight with {names}; it goes on without you.")
        else:
            lines.append(f"The fight with {names} is over.")
    fall = last_fall(char)
    came_to = ""
    if fall and fall != before.fell:
        # A fall meanwhile (``fight._fell``): where, to whom, and where they came to.
        room, _, rest = fall.removeprefix(FELL).partition("|")
        came_to, _, foes = rest.partition("|")
        where = _place(world, room)
        to = (
            " and came to where you fell"
            if came_to == room
            else f" and were carried to {_place(world, came_to, at=False)}"
        )
        lines.append(styled("bad", f"You fell to {foes} {where},{to}."))
    if fighting and not same_fight and current is not None:
        others = [c.name for c in current.fighters if c.side == "enemies" and not c.is_down]
        if others:
            foes_now = esc(list_words([definite(name) for name in others]))
            lines.append(f"You are in a fight with {foes_now}; 'turn' tells how it stands.")
    if char.room != before.room and char.room != came_to:
        # Walked on with the group, or moved by an admin: not where they left off.
        lines.append(esc(f"You are {_place(world, char.room)} now."))
    if char.down:
        lines.append(styled("bad", "You are down, and lie senseless."))
    elif char.hp != before.hp:
        way = "hurt" if char.hp < before.hp else "healed"
        lines.append(f"You were {way}: {char.hp} of {char.max_hp} HP (you had {before.hp}).")
    gains = []
    if char.xp > before.xp:
        gains.append(f"+{char.xp - before.xp} XP")
    if char.gold > before.gold:
        gains.append(f"+{char.gold - before.gold} gold")
    if gains:
        lines.append(f"You gained {', '.join(gains)}.")
    if char.level > before.level:
        lines.append(styled("good", f"You reached level {char.level}."))
    for quest in world.templates.quests.values():
        if char.quests.get(quest.id) == -1 and quest.id not in before.done:
            lines.append(f"Quest complete: {tag('item', esc(quest.name))}.")
    if not lines:
        return None
    head = styled("system", "While you were away:")
    return Doc(tuple(Para(f"{head} {line}" if i == 0 else line) for i, line in enumerate(lines)))


def _place(world: World, room: str, *, at: bool = True) -> str:
    """Where ``room`` is, "in the Smugglers' Tunnel" (``at``), or its name in a sentence,
    "the Smugglers' Tunnel"; "" for no room of the world."""
    tmpl = world.templates.rooms.get(room)
    if tmpl is None:
        return ""
    return in_place(tmpl.name) if at else place(tmpl.name)


def _alive(world: World, combatant: str) -> bool:
    npc = world.npcs.get(combatant.split(":", 1)[1])
    return npc is not None and npc.alive
