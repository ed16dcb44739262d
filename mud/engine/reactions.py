"""The game's follow-up rules: what happens because something else happened.

Pure: each function reads the world (as it is once the effect it reacts to has been
applied) and returns more effects; nothing here mutates the world, awaits or reads a
clock (the time comes in ``ctx``, the dice in ``ctx.rng`` or ``rng``).

The hub applies effects one at a time and, after each, asks ``follow_ups`` for the
effects it causes, which it applies next, before the rest of the list (depth first):
so a quest reward's level-up is shown before the command's next line, as a player
would expect. The rules it covers:

- a ``Move`` advances "enter" quests, sets the scene of a room no one was in and is
  followed by ``Arrived``, to which hostile NPCs react (``game.aggression``);
- an item reaching a pack (``Transfer``, ``SpawnItem``) advances "hold" quests;
- an NPC's death (``NpcUpdate`` with ``alive=False``) sets when it respawns;
- ``Gain`` becomes the sheet update, the "+N XP" line and any level-ups, and the
  defeated NPCs advance "defeat" quests;
- ``QuestEvents`` advance quests (``game.quest_events``), remembering deeds and paying
  rewards;
- ``Then``, the rest of a typed line ("get the key and unlock the door"), is run as a
  line of its own (``commands.then``) once what came before it is carried out;
- asks for narration marked ``together`` in one deed are one narration
  (``together``: a group finishing a quest at once is narrated once, of all of them),
  after the deed's scenes, and in place of a scene of the same room; no scene is set
  in a room where a fight has broken out (``settle``).

The tick's rules are here too: ``respawns_due``/``respawn`` (NPCs back home at full
health), ``wander`` (NPCs strolling along their route, with the pack's
``rules.wander_chance``; an aggressive one's ``NpcArrived`` lets it attack whom it finds,
``game.npc_aggression``) and ``ambience`` (a room with players in it shows a line of its
own or an emote of someone there, with the pack's ``rules.ambience_chance``).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence

from attrs import evolve

from mud.core.markup import esc, styled, tag
from mud.core.narration import Outcome, Priority
from mud.core.outputs import Doc
from mud.core.rng import Rng
from mud.engine import commands, escort, game, resets, sheet
from mud.engine.context import Ctx
from mud.engine.effects import (
    Arrived,
    AskNarration,
    CharUpdate,
    Effect,
    Gain,
    Move,
    NpcArrived,
    NpcUpdate,
    PartyUpdate,
    QuestEvents,
    SpawnItem,
    Tell,
    Then,
    ToRoom,
    Transfer,
)
from mud.engine.state import World
from mud.engine.views import list_words
from mud.render.grammar import definite, start
from mud.world.model import Templates


def follow_ups(world: World, effect: Effect, ctx: Ctx) -> list[Effect]:
    """The effects that ``effect`` (already applied to ``world``) causes, in the order
    they happen; [] for most effects. Called by the hub after each effect it applies;
    ``ctx.wall`` is the time of the event being handled, ``ctx.now`` the monotonic
    time (fight deadlines) and ``ctx.rng`` the world's dice."""
    match effect:
        case Move(who, to, then_arrived=then_arrived):
            return _moved(world, who, to, then_arrived=then_arrived)
        case Arrived(who, room):
            return game.aggression(world, who, room, ctx) or game.welcome(world, who, room)
        case NpcArrived(npc, room):
            return game.npc_aggression(world, npc, room, ctx)
        case Transfer(item, _src, dst):
            owner = _pack_owner(world, dst)
            if owner is None or item not in world.chars[owner].inventory:
                return []
            return [QuestEvents(owner, (("hold", world.items[item].template),))]
        case SpawnItem(template, dst):
            owner = _pack_owner(world, dst)
            if owner is None or template not in world.templates.items:
                return []
            return [QuestEvents(owner, (("hold", template),))]
        case NpcUpdate(npc_id, alive=False) if npc_id in world.npcs:
            respawn = world.templates.npcs[npc_id].respawn
            return [NpcUpdate(npc_id, respawn_at=ctx.wall + respawn if respawn > 0 else 0.0)]
        case Gain():
            return gained(world, effect, ctx.rng)
        case QuestEvents(who, events):
            return quest_progress(world, who, events)
        case Then(who, line, before) if who in world.chars:
            if before:
                ctx = evolve(ctx, recent=(*ctx.recent, before))
            return commands.then(world, world.chars[who], line, ctx)
    return []


def _pack_owner(world: World, loc: str) -> str | None:
    """The key of the character whose pack ``loc`` (``char:<key>``) is, if in the world."""
    kind, _, ident = loc.partition(":")
    return ident if kind == "char" and ident in world.chars else None


def _moved(world: World, who: str, to: str, *, then_arrived: bool = True) -> list[Effect]:
    char = world.chars.get(who)
    if char is None:
        return []
    first = to not in char.visited
    effects: list[Effect] = [QuestEvents(who, (("enter", to),)), *visit(world, who, to)]
    if then_arrived and first and world.occupants.get(to) == [who]:
        # One stepping into a scene no one is in gets it set for them (a group's walk
        # asks once all of it is in: ``commands.cmd_go``), the first time they stand
        # there: played, every pass through the tavern's rooms was narrated again ("You
        # and Sorrel find a place to stand and take stock of the Common Room."), as
        # filler. Cacheable: the same room in the same state reads the same.
        effects.append(
            AskNarration(
                who,
                to,
                "scene",
                f"{char.name} enters {world.room(to).name}",
                Outcome("enter", 1),
                Priority.LOW,
                cacheable=True,
            )
        )
    if then_arrived:
        effects.append(Arrived(who, to))
    return effects


def visit(world: World, who: str, room: str) -> list[Effect]:
    """``who`` stands in ``room``: remembered among the rooms they have visited (a
    ``CharUpdate``) if it is their first time; [] otherwise."""
    char = world.chars.get(who)
    if char is None or room in char.visited:
        return []
    return [CharUpdate(who, visited=[*char.visited, room])]


def gained(world: World, gain: Gain, rng: Rng) -> list[Effect]:
    """What earning ``gain`` does: the new XP and gold, the "+N XP, +N gold" line (if
    ``gain.announce``), the level-ups the XP reaches (rolled with ``rng``) and quest
    progress for the NPCs defeated."""
    char = world.chars.get(gain.who)
    if char is None:
        return []
    effects: list[Effect] = []
    if gain.xp or gain.gold:
        new_xp = char.xp + gain.xp
        effects.append(CharUpdate(gain.who, xp=new_xp, gold=char.gold + gain.gold))
        parts = [f"+{gain.xp} XP"] if gain.xp else []
        parts += [f"+{gain.gold} gold"] if gain.gold else []
        if gain.announce:
            effects.append(Tell(gain.who, Doc.text(styled("good", ", ".join(parts)))))
        levels, lines = sheet.level_ups(world, char, new_xp, rng)
        effects += levels
        effects += [Tell(gain.who, Doc.text(tag("good", esc(line)))) for line in lines]
    if gain.defeated:
        effects.append(QuestEvents(gain.who, tuple(("defeat", npc) for npc in gain.defeated)))
    return effects


def held_for_quests(templates: Templates) -> set[str]:
    """The item templates some quest step asks a player to hold (their pick-ups are
    remembered as deeds; other items are not worth remembering)."""
    return {
        step.trigger.target
        for quest in templates.quests.values()
        for step in quest.steps
        if step.trigger.kind == "hold"
    }


def quest_progress(world: World, who: str, events: tuple[tuple[str, str], ...]) -> list[Effect]:
    """What ``events`` do for ``who``'s quests: the deeds remembered (so a quest that
    asks for them later counts them), the new quest map, the quest lines and narration,
    the reward items and the reward's XP and gold (unannounced: "Quest complete" says
    it). [] for a character without a class or a world without quests."""
    char = world.chars.get(who)
    if char is None or not char.cls or not world.templates.quests:
        return []
    wanted = held_for_quests(world.templates)
    deeds = [
        f"{kind}:{target}"
        for kind, target in events
        if kind in ("defeat", "check", "escort") or (kind == "hold" and target in wanted)
    ]
    effects: list[Effect] = []
    new_deeds = [d for d in dict.fromkeys(deeds) if d not in char.deeds]
    if new_deeds:
        effects.append(CharUpdate(who, add_deeds=tuple(new_deeds)))
    # A new deed is also among the events, so quest_events sees it either way.
    told, quests, xp, gold, items = game.quest_events(world, char, events)
    if quests != char.quests:
        effects.append(CharUpdate(who, quests=quests))
    effects += told
    effects += [SpawnItem(template, f"char:{who}") for template in items]
    if xp or gold:
        effects.append(Gain(who, xp, gold, announce=False))
    return effects


# -- the tick ---------------------------------------------------------------------------


def respawns_due(world: World, wall: float) -> list[str]:
    """The ids of the dead NPCs whose respawn time has come by wall time ``wall``; a foe
    that attacks on sight not while a player stands in its home room, but unseen, once
    they have gone on (played: the bog rat was "here again" five minutes after its
    defeat, beside the three who had killed it and were resting there, and attacked
    them). One that attacks no one by itself (a sparring dummy) comes back as ever."""
    return [
        npc.id
        for npc in world.npcs.values()
        if not npc.alive
        and npc.respawn_at
        and wall >= npc.respawn_at
        and not _ambush(world, npc.id)
    ]


def _ambush(world: World, npc_id: str) -> bool:
    """Whether NPC ``npc_id``, coming back now, would attack on sight a player standing
    in its home room."""
    tmpl = world.templates.npcs.get(npc_id)
    return tmpl is not None and tmpl.aggressive and bool(world.occupants.get(tmpl.room))


def respawn(world: World, npc_id: str) -> list[Effect]:
    """NPC ``npc_id`` back in its home room at full health, what it dropped where it fell
    taken back if no one took it (``resets.left_behind``), and the room told."""
    tmpl = world.templates.npcs.get(npc_id)
    if tmpl is None or npc_id not in world.npcs:
        return []
    hp = tmpl.full_hp
    return [
        *resets.left_behind(world, npc_id),
        resets.as_built(npc_id, alive=True, room=tmpl.room, respawn_at=0.0, hp=hp),
        ToRoom(
            tmpl.room, Doc.text(f"{tag('npc', esc(start(definite(tmpl.name))))} is here again.")
        ),
    ]


def wander(world: World, rng: Rng) -> list[Effect]:
    """NPCs with a ``wander`` route each stroll, with the pack's ``rules.wander_chance``
    (percent), to the next room on it; an aggressive one does not walk into a fight,
    and attacks whoever it finds (its ``NpcArrived``). Returns the effects; ``rng`` is
    drawn from once per living wanderer not in a fight nor spoken to lately."""
    chance = world.templates.rules.wander_chance / 100
    effects: list[Effect] = []
    for npc in world.npcs.values():
        tmpl = world.templates.npcs[npc.id]
        if not npc.alive or not tmpl.wander or npc.room in world.fights:
            continue
        turns = world.engaged.get(npc.id, 0)
        if turns:
            # Spoken to lately (``game.talk_to``): stays this turn.
            effects.append(PartyUpdate("engaged", npc.id, turns - 1 if turns > 1 else None))
            continue
        if rng.random() >= chance:
            continue
        # The home room starts the route once, even when the list names it too (as
        # builders write it: ``wander: [chapel, crossroads]`` for an NPC of the chapel);
        # a repeat would send the NPC from home to home, which is no stroll at all.
        route = list(dict.fromkeys([tmpl.room, *tmpl.wander]))
        here = route.index(npc.room) if npc.room in route else 0
        dest = route[(here + 1) % len(route)]
        if dest == npc.room or dest not in world.templates.rooms:
            continue
        if tmpl.aggressive and dest in world.fights:
            continue
        name = tag("npc", esc(start(definite(tmpl.name))))
        effects += [
            ToRoom(npc.room, Doc.text(f"{name} wanders off.")),
            NpcUpdate(npc.id, room=dest),
            ToRoom(dest, Doc.text(f"{name} wanders in.")),
            NpcArrived(npc.id, dest),
        ]
    return effects


def ambient_pool(world: World, room_id: str) -> list[str]:
    """What ``room_id`` may show as ambience now: its own ``ambience`` lines, then the
    ``emotes`` of the living NPCs there (``escort.manner``: those of where each stands). Pure."""
    room = world.templates.rooms.get(room_id)
    pool = list(room.ambience) if room is not None else []
    for npc in world.npcs_in(room_id):
        pool += escort.manner(world, npc.id)  # its home's emotes only at home
    return pool


def ambience(
    world: World, rng: Rng, recent: Mapping[str, Sequence[str]], busy: Container[str] = ()
) -> tuple[list[Effect], dict[str, str]]:
    """Now and then a room shows the players in it a line of its ``ambience`` or an
    ``emotes`` line of an NPC there (``ambient_pool``), in the builder's words: each
    room where someone is playing (not only link-dead or still logging in), with no
    fight and not in ``busy`` (a narration is streaming there: a line in the middle of
    it would break it), draws once and, with the pack's ``rules.ambience_chance``
    (percent), shows one line: not one of the room's ``recent`` lines (what it showed,
    and what a narration told of its pool, lately), and none when all of them were
    (played: a room of two lines showed "A draught from the window lifts the corner of
    a paper ..." just after the narration had told it, the third time in two minutes:
    a room falls quiet before it repeats itself).

    Returns the effects and the lines shown (by room, for the caller's ``recent``).
    Called by the hub on its ambience tick. Pure."""
    chance = world.templates.rules.ambience_chance / 100
    effects: list[Effect] = []
    shown: dict[str, str] = {}
    linkdead, waiting = world.linkdead, world.waiting
    for room_id, keys in world.occupants.items():
        if room_id in world.fights or room_id in busy:
            continue
        if all(k in linkdead or k in waiting for k in keys):
            continue
        pool = ambient_pool(world, room_id)
        if not pool:
            continue
        if rng.random() >= chance:
            continue
        lately = recent.get(room_id, ())
        fresh = [line for line in pool if line not in lately]
        # Drawn whether or not a line is fresh, so the draws that follow are the same
        # however the narrations of the room went.
        pick = rng.choice_index(len(fresh) or len(pool))
        if not fresh:
            continue
        line = fresh[pick]
        shown[room_id] = line
        effects.append(ToRoom(room_id, Doc.text(esc(line))))
    return effects, shown


def settle(world: World, asks: Sequence[AskNarration]) -> list[AskNarration]:
    """The narrations one deed asks at its end, from the asks it held (its scenes and
    its asks marked ``together``, in the order made): the scenes first, then one
    narration per room and mark (``together``). None is told in a room where a fight
    is on (walking into an ambush read "Rook and Ione stop to take in the Drowned Stair"
    and "Moss and Finch stand a little taller now" after "... attacks!": the fight's
    rounds are narrated, and "Quest complete" is shown anyway), and no scene in a room
    where a ``together`` ask is made (a quest finished on arriving is narrated in place
    of the scene, of the same people). Called by the hub at the end of a deed's
    effects. Pure."""
    marked: dict[tuple[str, str], list[AskNarration]] = {}
    scenes: list[AskNarration] = []
    for ask in asks:
        if ask.together:
            marked.setdefault((ask.room, ask.together), []).append(ask)
        else:
            scenes.append(ask)
    fighting = world.fights.keys()
    told_in = {room for room, _ in marked} | fighting
    return [s for s in scenes if s.room not in told_in] + [
        together(world, group) for (room, _), group in marked.items() if room not in fighting
    ]


def together(world: World, asks: Sequence[AskNarration]) -> AskNarration:
    """One narration for ``asks`` (at least one; the same room and ``together``, from
    one deed): the first asker acts, the others are its party, the text says what
    they do together ("Tamsin and Wren complete The Missing Cartographer") and the
    facts are all of theirs. A single ask comes back as it is. Called by the hub at
    the end of a deed's effects."""
    first = asks[0]
    if len(asks) == 1:
        return first
    keys = list(dict.fromkeys(a.who for a in asks if a.who is not None))
    doers = list_words([world.chars[k].name if k in world.chars else k for k in keys])
    facts = tuple(dict.fromkeys(f for a in asks for f in a.outcome.facts))
    return evolve(
        first,
        text=f"{doers} {first.together}",
        outcome=evolve(first.outcome, facts=facts),
        party=tuple(keys[1:]),
    )


__all__ = [
    "ambience",
    "ambient_pool",
    "follow_ups",
    "gained",
    "held_for_quests",
    "quest_progress",
    "respawn",
    "respawns_due",
    "settle",
    "together",
    "wander",
]
