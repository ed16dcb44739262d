"""Picking an NPC's pocket (``steal``, ``pickpocket``). Pure.

Played: a rogue typed "pickpocket bessa", rolled a critical success on the deed table,
and came away with nothing; the whole room read "Wynn pickpockets Bessa.". The rules:

- The target is an NPC here; a player is refused (players do not rob one another
  here), and words that name no one ("steal a glance at the door") stay a deed for the
  DM.
- Sleight of Hand: d20 + DEX (+ proficiency for a class trained in ``sleight_of_hand``
  or ``dex``), with advantage for one who is hidden, against the NPC's passive
  Perception + ``EDGE`` (14 for most). No one but the thief reads the roll.
- Success: the NPC's coins (its ``gold``, the purse it would drop if defeated) are the
  thief's, unnoticed by the NPC; the hidden stay hidden. A player there outside the
  thief's group who sees them and whose passive Perception meets the roll sees the hand
  go in (told quietly; what they do about it is theirs). An NPC with no coins has nothing
  worth taking. Its purse stays empty (``NpcState.emptied``) until it comes back or its
  area resets, and a defeat drops no gold then.
- Failure: the NPC catches the thief in front of the room; one who was hidden is in
  plain sight; a foe (a hostile NPC, one that can be fought) attacks, and a shopkeeper
  will not trade with the thief (``NpcState.grudges``).
- Either way the NPC is wary (``NpcState.wary``): no second try until it comes back or
  its area resets, so a purse cannot be tried until the dice allow.
- Not in a fight, not while down, not before a class is chosen.
"""

from __future__ import annotations

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc
from mud.engine import game, search, stealth
from mud.engine.context import Ctx
from mud.engine.effects import CharUpdate, Effect, NpcUpdate, SetHidden, Tell, ToRoom
from mud.engine.phrasing import refuse
from mud.engine.rules import Ability, check
from mud.engine.sheet import check_bonus, rolled, score
from mud.engine.state import Character, World
from mud.render.grammar import capitalise, definite

SKILL = "sleight_of_hand"
EDGE = 4
"""What a purse adds to its keeper's passive Perception: the difficulty of taking it."""


def _tell(who: str, markup: str) -> Tell:
    return Tell(who, Doc.text(markup))


def target_words(words: str) -> str:
    """Who the words rob: what follows "from" ("steal coins from bessa", "steal from
    bessa"), else all of them ("pickpocket bessa")."""
    text = " " + words.strip()
    at = text.lower().rfind(" from ")
    return text[at + 6 :].strip() if at >= 0 else words.strip()


def pickpocket(world: World, actor: Character, words: str, ctx: Ctx) -> list[Effect] | None:
    """``actor`` tries the purse of the NPC ``words`` name (module docstring); None when
    they name no one here, for the caller to make it a deed. Called by
    ``commands.cmd_steal``."""
    whom = target_words(words)
    if not whom:
        return refuse(actor.key, "Steal from whom? Name someone here.")
    found = search.find(search.npcs(world, actor.room), whom).thing
    if found is None:
        person = search.find(search.people(world, actor.room, besides=actor.key), whom).thing
        if person is not None:
            said = f"{person.name} is a fellow traveller: players do not rob one another here."
            return refuse(actor.key, said)
        return None
    why = stealth.blocked(world, actor, "steal")
    if why:
        return refuse(actor.key, why)
    npc = world.npcs[found.ref]
    tmpl = world.templates.npcs[npc.id]
    name = capitalise(definite(tmpl.name))
    if npc.wary:
        said = f"{name} is watching you too closely for that now."
        return [_tell(actor.key, esc(said))]
    result = check(
        ctx.rng,
        ability_score=score(actor, "dex"),
        dc=stealth.npc_perception(world, npc.id) + EDGE,
        bonus=check_bonus(world, actor, SKILL, "dex"),
        advantage=bool(actor.hidden),
        reason=f"{actor.name} picks a pocket",
        ability=Ability.DEX,
    )
    effects: list[Effect] = [
        rolled(result.roll, f"{actor.name} Sleight of Hand check"),
        _tell(actor.key, tag("roll", esc(f"Sleight of hand: {result.line()}"))),
        NpcUpdate(npc.id, wary=True),
    ]
    if result.success:
        coins = 0 if npc.emptied else tmpl.gold
        if not coins:
            said = f"Your fingers find nothing worth the taking on {definite(tmpl.name)}."
            return effects + [_tell(actor.key, esc(said))]
        said = f"You lift {coins} gold from {definite(tmpl.name)}, and no one is the wiser."
        return effects + [
            CharUpdate(actor.key, gold=actor.gold + coins),
            NpcUpdate(npc.id, emptied=True),
            _tell(actor.key, tag("good", esc(said))),
            *_noticed(world, actor, result.total, definite(tmpl.name)),
        ]
    where = "with a hand where it should not be!"
    if actor.key not in npc.grudges:
        effects.append(NpcUpdate(npc.id, grudges=(*npc.grudges, actor.key)))
    effects += [
        _tell(actor.key, f"{esc(name)} catches you {where}"),
        ToRoom(
            actor.room,
            Doc.text(f"{esc(name)} catches {styled('person', actor.name)} {where}"),
            exclude=(actor.key,),
        ),
    ]
    if actor.hidden:
        effects.append(SetHidden(actor.key, 0))
    foe = tmpl.hostile and tmpl.stats is not None
    if foe and not world.room(actor.room).safe and actor.room not in world.fights:
        # A foe (one that can be fought) answers a hand in its purse with a blow.
        effects += game.attacks(world, npc.id, actor.room, ctx, caught=actor.key)
    return effects


def _noticed(world: World, thief: Character, total: int, whose: str) -> list[Effect]:
    """A quiet line to each player here with eyes sharp enough to see a theft that its
    victim missed: awake, outside the thief's group, who sees the thief, and whose
    passive Perception meets the thief's roll. The thief is not told."""
    seen = f"You see {styled('person', thief.name)}'s hand slip into {esc(whose)}'s purse."
    return [
        _tell(other.key, seen)
        for other in world.people_in(thief.room)
        if other.key != thief.key
        and stealth.awake(world, other)
        and not stealth.together(world, thief.key, other.key)
        and stealth.sees(world, other.key, thief)
        and stealth.passive_perception(world, other) >= total
    ]


__all__ = ["EDGE", "SKILL", "pickpocket", "target_words"]
