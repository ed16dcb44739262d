"""Taking up a group's story: a player who joins a group further along the world's
quests than they are ("Pim joined Wren's group at the sunken shrine, and his journal
still sent him up to Edda's room") may ``catch up``: each quest where the one they
catch up with stands further on is set where that one stands, done quests done, with
none of their rewards (what was done before one came is not one's own).

Called by ``party`` (the hint given on joining) and ``commands`` (the command). Pure:
reads the world, returns effects, raises nothing.
"""

from __future__ import annotations

from mud.core.markup import styled
from mud.core.outputs import Doc
from mud.engine import phrasing, search
from mud.engine.context import Ctx
from mud.engine.effects import CharUpdate, Effect, Tell
from mud.engine.parser import Intent
from mud.engine.state import Character, World
from mud.engine.views import list_words
from mud.world.model import QuestTemplate

#: How far along a quest not begun is (``_progress``).
_NOT_BEGUN = -1
_err = phrasing.refuse


def _progress(quest: QuestTemplate, state: int | None) -> int:
    """How far along ``quest`` a quest map's ``state`` is (None: not begun; -1: done),
    as a number that grows with it."""
    if state is None:
        return _NOT_BEGUN
    return len(quest.steps) if state < 0 else state


def ahead(world: World, behind: Character, other: Character) -> dict[str, int]:
    """The quests where ``other`` stands further on than ``behind``, each with where
    ``other`` stands (a step, or -1 for done); {} when none."""
    further: dict[str, int] = {}
    for quest in world.templates.quests.values():
        theirs = other.quests.get(quest.id)
        if theirs is None:
            continue
        if _progress(quest, theirs) > _progress(quest, behind.quests.get(quest.id)):
            further[quest.id] = theirs
    return further


def told_to_the_end(world: World, other: Character) -> bool:
    """Whether ``other`` has finished every quest of the world: their story has nothing
    left in it to take up (catching up would only end one's own, unplayed)."""
    quests = world.templates.quests
    return bool(quests) and all(other.quests.get(q) == -1 for q in quests)


def join_hint(world: World, actor: Character, leader: Character) -> list[Effect]:
    """For ``actor`` just joined ``leader``'s group: when the leader is further along
    the story, one line saying so and how to catch up, or, when the leader has finished
    it all, that the story is the newcomer's to play with them; [] otherwise.

    Played: Tansy joined a group that had brought Edda home and was offered 'catch up',
    which would have finished the campaign for her unplayed."""
    if not ahead(world, actor, leader):
        return []
    name = leader.name
    if told_to_the_end(world, leader):
        line = (
            f"({name} has played the whole story; yours is still before you ('journal'),"
            f" and the group can play it with you.)"
        )
    else:
        line = (
            f"({name} is further along the story than you: 'catch up' takes it up where"
            f" {name} stands, without the rewards of what was done before you came.)"
        )
    return [Tell(actor.key, Doc.text(styled("system", line)))]


def _how_far(char: Character) -> tuple[int, int]:
    """How far along the story ``char`` stands: the quests finished, then the steps
    taken in the rest. Pure."""
    done = sum(1 for step in char.quests.values() if step == -1)
    return done, sum(step for step in char.quests.values() if step > 0)


def cmd_catch_up(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """catch up [with <member>]

    Take up your group's story where its leader stands (or the member named, beside
    you or not; the leader takes it up from the member furthest along): each quest
    they are further along is set where they are, the quests they finished finished,
    with none of the rewards. Your own finds and deeds stay yours.
    """
    group = world.groups.get(actor.key)
    if group is None:
        return _err(actor.key, "Catch up with whom? You are in no group: join one first.")
    words = intent.args.strip()
    for lead in ("with ", "to "):
        if words.lower().startswith(lead):
            words = words[len(lead) :].strip()
    if words:
        mates = [
            search.Thing("player", key, world.chars[key].name)
            for key, led in world.groups.items()
            if led == group and key != actor.key and key in world.chars
        ]
        found = search.find(mates, words)
        if found.thing is None:
            return _err(actor.key, f"No one called '{words}' is in your group.")
        other = world.chars[found.thing.ref]
    else:
        if group == actor.key:
            # The leader behind a member (played, round 63: Mira led the group past the
            # eel-catchers' landing that her story still asked for, and Jonah, who had
            # been there, stood further on): the member furthest along.
            # Not one who has played it all, whose story is no longer to be taken up
            # (found in review: the leader told so, a member still in it beside).
            members = [
                world.chars[key]
                for key, led in world.groups.items()
                if led == group
                and key != actor.key
                and key in world.chars
                and ahead(world, actor, world.chars[key])
                and not told_to_the_end(world, world.chars[key])
            ]
            best = max(members, key=_how_far, default=None)
            if best is None:
                return _err(
                    actor.key,
                    "You lead the group, and no one in it is further along the story than you.",
                )
            other = best
        else:
            leader = world.chars.get(group)
            if leader is None:
                return _err(actor.key, "Your group's leader is not in the world to catch up with.")
            other = leader
    further = ahead(world, actor, other)
    if not further:
        return _err(actor.key, f"{other.name} is no further along the story than you.")
    if told_to_the_end(world, other):
        return _err(
            actor.key,
            f"{other.name} has played the whole story: there is nothing left in it to take"
            " up. Yours is still before you ('journal'); the group can play it with you.",
        )
    quests = {**actor.quests, **further}
    done = [world.templates.quests[q].name for q, s in further.items() if s < 0]
    going = [
        f"{world.templates.quests[q].name}:"
        f" {world.step_text(world.templates.quests[q].steps[s], actor.key).strip(' .')}"
        for q, s in further.items()
        if s >= 0
    ]
    told = f"You take up {other.name}'s story"
    if done:
        told += f": {list_words(done)} done"
    if going:
        told += ("; " if done else ": ") + "; ".join(going)
    told += ". (What was done before you came gives you nothing.)"
    effects: list[Effect] = [
        CharUpdate(actor.key, quests=quests),
        Tell(actor.key, Doc.text(styled("system", told))),
    ]
    for key, led in world.groups.items():
        if led == group and key != actor.key and key in world.chars:
            line = f"{actor.name} takes up the story with the group."
            effects.append(Tell(key, Doc.text(styled("system", line))))
    return effects


__all__ = ["ahead", "cmd_catch_up", "join_hint", "told_to_the_end"]
