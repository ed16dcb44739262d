"""What happened to a player while their link was down.

A character whose connection drops stays in the world, link-dead, and the world goes on
around it: a fight it was in is fought to its end (its turns defended by the timer), a
group walks on, quests are finished by the others beside it. Played (round 61): a rogue
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
from mud.engine.state import Character, World
from mud.engine.views import list_words
from mud.render.grammar import definite, in_place


@frozen
class Away:
    """A character as it stood when its link dropped: vitals, sheet numbers, the quests
    it had finished, and the foes of the fight it was in (names, by NPC id)."""

    room: str
    hp: int
    xp: int
    level: int
    gold: int
    done: frozenset[str]
    foes: tuple[tuple[str, str], ...]  # (npc id, name) of the fight's enemy side


def snapshot(world: World, char: Character) -> Away:
    """``char`` as it stands now, for ``told`` when it is back. Pure."""
    current = world.fights.get(char.room)
    foes: tuple[tuple[str, str], ...] = ()
    if current is not None and current.has(f"p:{char.key}"):
        foes = tuple(
            (c.id.split(":", 1)[1], c.name) for c in current.fighters if c.side == "enemies"
        )
    done = frozenset(q for q, step in char.quests.items() if step == -1)
    return Away(char.room, char.hp, char.xp, char.level, char.gold, done, foes)


def told(world: World, char: Character, before: Away) -> Doc | None:
    """What changed for ``char`` since ``before`` (``snapshot`` when its link dropped),
    told to it on its return: how the fight it was in ended, or that it goes on; its hit
    points, if they changed, and where it is, if it was moved (carried home from a lost
    fight); the XP, levels and gold it gained; the quests finished
    meanwhile. None when nothing did. Pure."""
    lines: list[str] = []
    current = world.fights.get(char.room)
    if before.foes:
        names = list_words([definite(name) for _, name in before.foes])
        if current is not None and current.has(f"p:{char.key}"):
            lines.append(f"The fight with {esc(names)} goes on; 'turn' tells how it stands.")
        elif all(not _alive(world, npc) for npc, _ in before.foes):
            lines.append(f"The fight with {esc(names)} was won.")
        else:
            lines.append(f"The fight with {esc(names)} is over.")
    if char.room != before.room:
        # Carried home from a lost fight, or moved by an admin: not where they left off.
        place = world.templates.rooms[char.room].name if char.room in world.templates.rooms else ""
        if place:
            lines.append(f"You are {esc(in_place(place))} now.")
    if char.down:
        lines.append(styled("bad", "You have fallen, and lie senseless."))
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


def _alive(world: World, npc_id: str) -> bool:
    npc = world.npcs.get(npc_id)
    return npc is not None and npc.alive
