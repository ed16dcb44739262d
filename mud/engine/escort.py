"""Bringing someone of the world home: an NPC with an ``escort`` (``mud.world.model.
Escort``) goes along with a player who asks ("edda, let's get you home", "come with
us", 'escort edda'), walks behind them, and at the escort's ``to`` says their
``arrives`` words and stays; the player, and their group beside them, have done the
quest step ``{escort: <npc>}``. Pure.

Who is bringing whom lives in ``World.escorts`` (changed only through ``PartyUpdate``
effects, table ``escorts``; not persisted). An NPC away from home with no one bringing
them is taken back home when their home area resets (``resets._npcs``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc
from mud.engine import lore, party
from mud.engine.effects import (
    CharUpdate,
    Effect,
    NpcUpdate,
    PartyUpdate,
    QuestEvents,
    Tell,
    ToRoom,
)
from mud.engine.state import Character, World
from mud.render.grammar import definite, start

#: Words asking someone along: "let's get you home", "come with us", "follow me",
#: "we'll take you home", "we're taking you home", "time to go home", "walk with me",
#: "we came to take you home".
ASKING_ALONG = re.compile(
    r"\b(?:let'?s|let\s+us)\s+(?:get|take|bring|walk)\s+you\b"
    r"|\b(?:let'?s|let\s+us)\s+go(?:\s+home|\s+back)?\b"
    r"|\bcome\s+(?:with|along\s+with)\s+(?:me|us)\b|\bcome\s+along\b"
    r"|\bfollow\s+(?:me|us)\b|\bwalk\s+with\s+(?:me|us)\b"
    r"|\b(?:we'?ll|i'?ll|we\s+will|i\s+will|we\s+can|i\s+can)\s+(?:take|bring|get|walk)\s+you\b"
    # "we're taking you home" (played: her fact that the Lamplighter, just beaten, will
    # not let anyone go home).
    r"|\b(?:we'?re|we\s+are|i'?m|i\s+am)\s+(?:taking|bringing|getting|walking)\s+you\b"
    r"|\btime\s+to\s+go\s+home\b|\bcome\s+home\b"
    # 'I help Edda to her feet. "Lean on me. We are going home."' (played: said, and
    # she stayed by the bell).
    r"|\blean\s+on\s+(?:me|us)\b|\b(?:we'?re|we\s+are)\s+going\s+home\b|\bhome\s+we\s+go\b"
    # "yes! we came to take you home", to her "You came for me?" (played, round 63:
    # she answered, and stayed by the bell).
    r"|\b(?:we|i)(?:'ve|\s+have)?\s+(?:came|come)\s+to\s+(?:take|bring|get|walk)\s+you\b"
    r"|\b(?:we'?re|we\s+are|i'?m|i\s+am)\s+here\s+to\s+(?:take|bring|get|walk)\s+you\b",
    re.IGNORECASE,
)


def _npc_markup(name: str) -> str:
    return tag("npc", esc(start(definite(name))))


def asked(world: World, actor: Character, npc_id: str, said: str) -> list[Effect] | None:
    """What asking ``npc_id`` along (``said``, words to them) does when they have an
    ``escort``: ready (``actor`` has finished its ``after``), they set off with
    ``actor`` (their ``says`` words, and the room told); too soon, their ``before``
    words; already with someone, who. None when ``said`` asks no one along, the NPC has
    no escort, or stands at its end already. Called by ``game.talk_to``."""
    tmpl = world.templates.npcs[npc_id]
    trip = tmpl.escort
    npc = world.npcs.get(npc_id)
    if trip is None or npc is None or not npc.alive or not ASKING_ALONG.search(said):
        return None
    if npc.room == trip.to:
        return None  # home already: the words are only words
    room = actor.room
    guide = world.escorts.get(npc_id)
    if guide is not None and guide in world.chars and world.chars[guide].room == room:
        # With a guide beside them (a guide who walked off without them is replaced).
        whom = "you" if guide == actor.key else world.chars[guide].name
        with_whom = f"{tmpl.name} is already going with {whom}."
        return [Tell(actor.key, Doc.text(styled("dim", with_whom)))]
    if trip.after and not _ready(world, actor, trip.after):
        if not trip.before:
            return None
        return [lore.says(room, tmpl.name, trip.before)]
    going = f"{_npc_markup(tmpl.name)} will go with {styled('person', actor.name)}."
    effects: list[Effect] = [PartyUpdate("escorts", npc_id, actor.key)]
    met = f"met:{npc_id}"
    # Everyone here heard them: no greeting for any of them when they walk in together.
    effects += [
        CharUpdate(c.key, revealed=[*c.revealed, met])
        for c in world.people_in(room)
        if met not in c.revealed
    ]
    if trip.says:
        effects.append(lore.says(room, tmpl.name, trip.says))
    effects.append(ToRoom(room, Doc.text(going)))
    return effects


def _ready(world: World, actor: Character, quest_id: str) -> bool:
    """Whether one who waits for ``quest_id`` goes with ``actor``: ``actor`` has
    finished it, or ``actor`` or one of their group beside them has done every defeat
    it asks, in whatever order they came to it. Played: three players who had never
    been to Edda's room beat the Lamplighter in front of her, and she still said "Not
    while that thing is lighting lamps down here." (the quest had never opened for
    them); their escort is remembered as a deed, and Homecoming counts it once the
    story catches up with them."""
    if actor.quests.get(quest_id) == -1:
        return True
    quest = world.templates.quests.get(quest_id)
    foes = [s.trigger.target for s in quest.steps if s.trigger.kind == "defeat"] if quest else []
    if not foes:
        return False
    beside = [actor, *party.present(world, actor.key)]
    return all(any(f"defeat:{foe}" in c.deeds for c in beside) for foe in foes)


def moves(
    world: World, movers: Sequence[str], origin: str, direction: str, to: str
) -> list[Effect]:
    """The walk of each NPC one of ``movers`` (players walking ``direction`` from room
    ``origin`` into room ``to``) is bringing along and who stands in ``origin``: they
    follow into ``to``; at their escort's end they say their ``arrives`` words, stay,
    and the guide and the guide's group there have done ``{escort: npc}``. Called by
    ``go`` after the players' own moves."""
    effects: list[Effect] = []
    walking = set(movers)
    for npc_id, guide in sorted(world.escorts.items()):
        npc = world.npcs.get(npc_id)
        if guide not in walking or npc is None or not npc.alive or npc.room != origin:
            continue
        tmpl = world.templates.npcs[npc_id]
        name, who = _npc_markup(tmpl.name), styled("person", world.chars[guide].name)
        effects += [
            ToRoom(origin, Doc.text(f"{name} leaves {styled('exit', direction)}.")),
            NpcUpdate(npc_id, room=to),
            ToRoom(to, Doc.text(f"{name} arrives, following {who}.")),
        ]
        trip = tmpl.escort
        if trip is None or to != trip.to:
            continue
        if trip.arrives:
            effects.append(lore.says(to, tmpl.name, trip.arrives))
        effects.append(PartyUpdate("escorts", npc_id, None))
        # The guide's group walks in with them (present() sees the room before this
        # walk), or waits there for them: each has done it (found in review, round 63:
        # one waiting by the fire was told "Go back to the Drowned Lantern" there).
        group = [
            k
            for k in party.members(world, guide)
            if k in walking or (k in world.chars and world.chars[k].room == to)
        ] or [guide]
        effects += [QuestEvents(key, (("escort", npc_id),)) for key in group]
        # Others there whose story asks them to bring this one home see it done by
        # others (``game._home_already``), at once, not at their next step.
        effects += [
            QuestEvents(c.key, ())
            for c in world.people_in(to)
            if c.key not in group and _awaits(world, c, npc_id)
        ]
    return effects


def _awaits(world: World, char: Character, npc_id: str) -> bool:
    """Whether a quest of ``char``'s stands at a step to bring ``npc_id`` home. Pure."""
    for quest_id, at in char.quests.items():
        quest = world.templates.quests.get(quest_id)
        if quest is not None and 0 <= at < len(quest.steps):
            trigger = quest.steps[at].trigger
            if (trigger.kind, trigger.target) == ("escort", npc_id):
                return True
    return False


def manner(world: World, npc_id: str) -> tuple[str, ...]:
    """What NPC ``npc_id`` does now and then where it stands: its ``emotes`` at home or
    on its ``wander`` route, its escort's ``emotes`` at the end of the way it was
    brought ("Edda Venn spreads a damp map along the bar" in the tavern, not "presses
    her ear to the great bell"), nothing anywhere else; of those, the ones whose quests
    (``emotes_when``) suit every player in the room (``suits``) and whose company
    (``emotes_where``) is there or not as they ask (Bessa's eyes on the door, not with
    Edda by her fire). Called by the ambience and the narration of words to it.
    Pure."""
    tmpl = world.templates.npcs[npc_id]
    npc = world.npcs.get(npc_id)
    if npc is None or at_home(world, npc_id):
        emotes, when, where = tmpl.emotes, tmpl.emotes_when, tmpl.emotes_where
    elif tmpl.escort is not None and npc.room == tmpl.escort.to:
        emotes, when, where = tmpl.escort.emotes, tmpl.escort.emotes_when, tmpl.escort.emotes_where
    else:
        return ()
    if not (when or where) or npc is None:
        return emotes
    watching = [
        c
        for c in world.people_in(npc.room)
        if c.key not in world.linkdead and c.key not in world.waiting
    ]
    present = lore.present_with(world, npc_id)
    return tuple(
        emote
        for emote, gate, company in zip(
            emotes,
            when or (("", ""),) * len(emotes),
            where or (("", ""),) * len(emotes),
            strict=True,
        )
        if suits(gate, watching) and lore.in_company(company, present)
    )


def suits(gate: tuple[str, str], chars: Sequence[Character]) -> bool:
    """Whether an emote gated by (``after``, ``until``) quests ("" for none) may be done
    before ``chars``: every one of them has finished ``after`` and none has finished
    ``until``. Pure."""
    after, until = gate
    for char in chars:
        done = {quest for quest, step in char.quests.items() if step == -1}
        if (after and after not in done) or (until and until in done):
            return False
    return True


def at_home(world: World, npc_id: str) -> bool:
    """Whether NPC ``npc_id`` stands where its builder put it: its own room or a room of
    its ``wander`` route (not somewhere it was brought). Its greeting, and what it does
    now and then, are written for there. Pure."""
    tmpl = world.templates.npcs[npc_id]
    npc = world.npcs.get(npc_id)
    return npc is None or npc.room == tmpl.room or npc.room in tmpl.wander


def destination(world: World, actor: Character) -> str | None:
    """The room where the one ``actor``, or one of their group beside them, is bringing
    along is to be brought ("home", as the ones bringing them say it); None when they
    bring no one. Pure."""
    guides = {actor.key, *(c.key for c in party.present(world, actor.key))}
    for npc_id, guide in sorted(world.escorts.items()):
        tmpl = world.templates.npcs.get(npc_id)
        if guide in guides and tmpl is not None and tmpl.escort is not None:
            return tmpl.escort.to
    return None


__all__ = ["ASKING_ALONG", "asked", "at_home", "destination", "manner", "moves"]
