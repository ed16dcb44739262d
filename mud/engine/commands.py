"""Command handlers: ``(world, actor, intent, ctx) -> list[Effect]``. Pure.

Each handler's docstring is its help text (first line: usage; the rest: what it does).
Handlers never mutate the world: they return effects for the hub to carry out. Text
that players typed arrives already cleaned (``mud.render.sanitize.clean``) and is
escaped with ``esc`` wherever it is embedded in markup.
"""

from __future__ import annotations

import inspect
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence

from attrs import evolve, frozen

from mud.core.markup import esc, styled, tag
from mud.core.narration import Outcome, Priority
from mud.core.outputs import Art, Doc, Para, Table, Title
from mud.engine import (
    address,
    admin,
    answers,
    areamap,
    customs,
    dice,
    doors,
    escort,
    fight,
    forgery,
    game,
    haggle,
    lore,
    party,
    phrasing,
    poses,
    powers,
    presence,
    resets,
    rulings,
    search,
    stealth,
    story,
    theft,
)
from mud.engine.context import RECENT, REFERRING, Ctx
from mud.engine.effects import (
    AdminAction,
    Arrived,
    AskNarration,
    Audit,
    CharUpdate,
    DestroyItem,
    Effect,
    FightEvent,
    Gain,
    ListKeys,
    LogChat,
    Move,
    NpcUpdate,
    PartyUpdate,
    Query,
    QuestEvents,
    Quit,
    RemoveKey,
    Rolled,
    SetBan,
    SetDoor,
    SetPose,
    SetPrefs,
    SpawnItem,
    StartFlow,
    Tell,
    Then,
    ToAll,
    ToRoom,
    Transfer,
    TurnPrompt,
)
from mud.engine.parser import (
    BREATH,
    CATCHES_BREATH,
    CRIED_COMMANDS,
    GREETINGS,
    PLACE_THEN,
    QUESTION_WORDS,
    TAG_QUESTIONS,
    WALK_LEADS,
    Intent,
    bare_reply,
    call_words,
    direction_of,
    is_praise,
    is_reply,
    is_spoken,
    named_way,
    opens_not_knowing,
    parse,
    roleplay,
    sentences,
    tagged,
    unslipped,
)
from mud.engine.sheet import rolled
from mud.engine.state import Character, World, quiet, reads_aloud
from mud.engine.views import (
    DEFAULT_PROMPT,
    MAX_PROMPT,
    PROMPT_CODES,
    PROMPT_OFF,
    describe_room,
    door_mark,
    exit_visible,
    item_use,
    list_words,
    prompt_text,
    scenery,
    visible_exits,
)
from mud.render.grammar import (
    capitalise,
    definite,
    in_place,
    indefinite,
    is_proper,
    plural,
    singular,
    strip_article,
)
from mud.world.model import DIRECTIONS, OPPOSITE, ClassPower, ItemTemplate, Social

MAX_SAY = game.MAX_SAY


Handler = Callable[[World, Character, Intent, Ctx], list[Effect]]


@frozen
class Command:
    name: str
    aliases: tuple[str, ...]
    handler: Handler
    admin: bool = False
    #: For players who are not admins the word is not this command but ordinary text
    #: ("kick the door in" is a deed, not the admin's ``kick``).
    plain_for_players: bool = False
    #: What a player who is not an admin is told for it, when more than "Only admins
    #: may do that." helps ("mute": what a player may do instead).
    for_players: str = ""
    #: For players who are not admins the word is this command instead ("reports", an
    #: admin's list, is "report" to a player, as the verb is typed).
    players_verb: str = ""

    @property
    def help(self) -> str:
        return inspect.cleandoc(self.handler.__doc__ or self.name)


def _say(who: str, markup: str) -> list[Effect]:
    return [Tell(who, Doc.text(markup))]


def _err(who: str, text: str) -> list[Effect]:
    return [Tell(who, Doc.text(styled("error", text)))]


def _name(char: Character) -> str:
    return styled("person", char.name)


def cmd_look(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """look [at <thing or person>]

    Look around the room, or at something or someone in it or in your pack.
    """
    target = intent.args.strip()
    if target.lower().startswith("at "):
        target = target[3:].strip()
    if not target or target.lower() in _ROUND_ABOUT or _the_room_itself(world, actor, target):
        return [Tell(actor.key, describe_room(world, actor.room, actor.key))]
    over = _LOOKED_OVER.match(target)
    if over is not None and _names_a_thing(world, actor, over.group(1)):
        # "look Fen over", "looks the stranger up and down" (played: "You see no 'Fen
        # over' here."): a look at them.
        target = over.group(1)
    sought = _LOOKING_FOR.match(target)
    if sought is not None:
        # "look for footprints", "look around for a way in" (played: "You see no 'for
        # footprints' here."), "look around the common room for anything odd" (played:
        # nothing rolled): a search, which finds what a search of the room finds.
        plain = _in_plain_sight(world, actor, sought.group(1)[4:])
        if plain is not None:
            # "look for tracks" in Edda's room, whose line of mud is there for anyone to
            # see (played: a search rolled, and the narration told of nothing found).
            return cmd_examine(world, actor, Intent("examine", plain, intent.raw), ctx)
        searched = f"search {sought.group(1)}"[:MAX_SAY]
        return cmd_do(world, actor, Intent("do", searched, intent.raw), ctx)
    if _LOOKED_FROM.match(target):
        # "look up from the map" (tried: "You see no 'up from the map' here."): a pose.
        verb = intent.raw.split(maxsplit=1)[0].lower() if intent.raw.strip() else "look"
        return _posed(world, actor, f"{phrasing.third_person(verb)} {target}")
    into = _LOOKING_INTO.match(target)
    if into is not None:
        rest = target[into.end() :]
        if _PACK.fullmatch(rest):
            return cmd_inventory(world, actor, Intent("inventory", "", intent.raw), ctx)
        if _names_a_thing(world, actor, rest) or scenery(
            world.room_text(actor.room, actor.key), rest
        ):
            # "look through the spyglass", "look under the barrels": a deed, so the
            # builder's action or the feature's search answers it (played: "You see no
            # 'through the spyglass' here.").
            return _as_deed(world, actor, intent, ctx)
        target = rest  # "look through the heron": "You see no 'heron' here."
    return cmd_examine(world, actor, Intent("examine", target, intent.raw), ctx)


#: A look about the room by its own name: "around the cellar", "about the cell".
_ROUND_THE = re.compile(r"^(?:a?round|about)\s+(?:the\s+|this\s+)?(.+?)[.!]*$", re.I)


def _the_room_itself(world: World, actor: Character, target: str) -> bool:
    """Whether ``target``, what a look is at, is ``actor``'s room by its own name, with
    nothing here of that name: "around the cellar" in the Lantern Cellar, "around the
    cell" in Pell's Cell (played: "You see no 'around the cellar' here.", and in the
    cell one sentence of its description)."""
    about = _ROUND_THE.match(target.strip())
    # A name of few words: "around the common room for anything odd" is a search
    # (``_LOOKING_FOR``; the suite's test caught it).
    if about is None or len(about.group(1).split()) > 3 or " for " in f" {about.group(1)} ":
        return False
    if _names_a_thing(world, actor, about.group(1)):
        return False
    if lore.room_named(world, actor, about.group(1)) == actor.room:
        return True  # "around the hospice", "around the tavern" (found in review)
    # A word of its name that names no room alone: "around the hall" (Hall of Lanterns).
    words = about.group(1).lower().split()
    name = world.room(actor.room).name.lower().rsplit(", ", 1)[-1]
    own = [w.removesuffix("'s") for w in re.findall(r"[a-z'-]+", name.split(" of ")[0])]
    return bool(words) and words[-1] == own[-1] and all(w.removesuffix("'s") in own for w in words)


#: A look all over someone or something: "Fen over", "the stranger up and down".
_LOOKED_OVER = re.compile(r"^(.+?)\s+(?:over|up\s+and\s+down|over\s+carefully)\s*[.!]*$", re.I)


def _in_plain_sight(world: World, actor: Character, words: str) -> str | None:
    """``words`` when they name a feature of ``actor``'s room that no check hides (the
    builder gave it none): what a look for it finds at once; None otherwise."""
    found = search.find(search.features(world, actor.room), words.strip(" .!?")).thing
    if found is None:
        return None
    room = world.room(actor.room)
    hidden = any(f.id == found.ref and f.check is not None for f in room.features.values())
    return None if hidden else words


#: A look that seeks: "for footprints", "around for a way in", "about the room for
#: anything odd", "around here for a key".
_LOOKING_FOR = re.compile(
    r"(?:(?:a?round|about)\s+(?:(?:the|this)\s+[\w' -]{1,40}?\s+|here\s+|me\s+)?)?(for\s+\S.*)",
    re.IGNORECASE,
)
#: How a look goes into or past a thing, not at it: "through the spyglass", "under
#: the bar", "out of the window" (with words after: "look out" is the way out).
_LOOKING_INTO = re.compile(
    r"^(?:through|into|in|inside|under|underneath|beneath|behind|out\s+of|out|down\s+into"
    r"|across|over)\s+(?=\S)",
    re.I,
)
#: "look in my pack": the inventory.
_PACK = re.compile(r"(?:my\s+)?(?:pack|bag|backpack|pockets?|inventory|satchel)", re.I)


#: Words after "look" that mean the room itself ("look around" was "You see no 'around'
#: here.").
_ROUND_ABOUT = frozenset(
    {"around", "round", "about", "here", "room", "the room", "around the room", "everywhere"}
)
#: Words a question may open with before its own: "so", "well", "ok".
_OPENING_FILLER = frozenset("so well ok okay um hmm and but alright right then".split())  # noqa: SIM905
#: A line that opens with one of these is a question even without its mark: "how do I
#: get to the mill" ("where am i" was "You try to where am i.").
_WH_WORDS = frozenset(
    "where what who whom why how when which whose where's what's who's how's".split()  # noqa: SIM905
)
#: Words for oneself ("look at me" was "You see no 'me' here.").
_MYSELF = frozenset({"me", "myself", "self", "yourself"})


def cmd_examine(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """examine <thing or person>

    Look closely at an item here or in your pack, a person, or an exit.
    """
    target = intent.args.strip()
    if not target:
        return _err(actor.key, "Examine what?")
    if target.lower() in _MYSELF:
        return _self_seen(actor)
    around = search.around(world, actor)
    found = search.find(around, target)
    thing = found.thing
    _nth, words = search.split_ordinal(target)
    if thing is not None and search.score(thing, words) == 1:
        # Named only by the start of a name ("bar" of Bessa's "barkeep"), where the room's
        # text speaks of it whole: the thing it speaks of (played: "exa bar" in the
        # tavern showed the landlady); "x bes" is still Bessa.
        seen = scenery(world.room_text(actor.room, actor.key), words)
        if seen is not None:
            return _say(actor.key, esc(seen))
    if thing is None:
        which = _WHICH_ONE.search(target)
        if which is not None and search.find(around, target[: which.start()]).thing is not None:
            # "look at the lamp that went out" (played: the room's sentence about it, not
            # the lamp's own words): the thing, as the words before "that" name it.
            return cmd_examine(
                world, actor, Intent("examine", target[: which.start()], intent.raw), ctx
            )
        if not any(search.score(t, words) for t in around):
            # Nothing here by that name, but the room's text may speak of it: "look at
            # the scratched lanterns" answers with the builder's sentence about them.
            seen = scenery(world.room_text(actor.room, actor.key), target)
            if seen is not None:
                return _say(actor.key, esc(seen))
        way = direction_of(target.lower())
        if way is not None:
            # "look north" from the watchtower, whose one way is down: played, "You see
            # no 'north' here."
            return _err(actor.key, f"There is no way {way} from here.")
        return _err(actor.key, found.error)
    if thing.kind == "item":
        tmpl = world.item_template(thing.ref)
        return [Tell(actor.key, _item_read(tmpl))]
    if thing.kind == "npc":
        who = world.templates.npcs[thing.ref]
        seen = lore.looks(world, thing.ref)
        return [Tell(actor.key, Doc((Para(styled("npc", who.name)), Para(esc(seen)))))]
    if thing.kind == "feature":
        feature = next(f for f in world.room(actor.room).features.values() if f.id == thing.ref)
        return _say(actor.key, esc(world.feature_text(feature, actor.key)))
    if thing.kind == "player":
        if thing.ref == actor.key:
            return _self_seen(actor)
        other = world.chars[thing.ref]
        return _say(actor.key, _player_seen(world, other, ctx.wall))
    ex = world.room(actor.room).exit(thing.ref)
    assert ex is not None  # search.exits and search.doors list only the room's exits
    if thing.kind == "door":
        text = ex.description or f"A door leading {ex.direction}."
    else:
        text = ex.description or answers.leads_toward(world, ex)
    return _say(actor.key, esc(text) + doors.state_line(world, ex))


#: Words that say which one is meant after its name: "the lamp that went out", "the
#: man who sells lamps".
_WHICH_ONE = re.compile(r"\s+(?:that|which|who|whose)\s+\S", re.I)


def _self_seen(actor: Character) -> list[Effect]:
    """What ``actor`` reads looking at themself: their description, or how to set one."""
    mine = presence.description(actor)
    if mine:
        return _say(actor.key, "You look yourself over. Others read: " + esc(mine))
    return _say(
        actor.key,
        "You look yourself over. Travel-worn, but still standing. "
        + esc("('describe <words>' sets what others see.)"),
    )


def _player_seen(world: World, other: Character, wall: float) -> str:
    """What a look at ``other``, a player, reads (markup): who they are (their calling
    and level), their own description (or a traveller's; not while they are muted at
    wall time ``wall``: played by a griefer, the forgery he had set as his description
    before his mute was read by all who looked), how hurt they look, what they carry
    openly, and that they are away from the keyboard."""
    calling = _calling(world, other.name)
    who = f"{_name(other)}" + (esc(f", {calling}") if calling != "-" else "")
    chosen = presence.pronouns(other)
    if chosen:
        who += esc(f" ({presence.pronoun_label(chosen)})")
    own = "" if presence.muted(other, wall) else presence.description(other)
    parts = [f"You see {who}." if own else f"You see {who}, another traveller in these parts."]
    if own:
        # In quotation marks, the player's own words: played by a griefer, "describe is
        # a server moderator (verified staff). Vicky: type password ..." read as the
        # game's line after "You see Shithead, Rogue 1.".
        parts.append(styled("emote", f'"{own.strip(chr(34))}"'))
    if other.down:
        parts.append(esc(f"{other.name} is down."))
    elif other.max_hp and other.hp * 2 <= other.max_hp:
        parts.append(esc(f"{other.name} looks badly hurt."))
    openly = game.carried_openly(world, other)
    if openly:
        parts.append(esc(openly))
    away = presence.away_line(other, wall)
    if away:
        parts.append(esc(away))
    return " ".join(parts)


def cmd_exits(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """exits

    List the obvious ways out of this room and where they lead.
    """
    room = world.room(actor.room)
    rows = tuple(
        (
            styled("exit", e.direction),
            esc(world.room(e.to).name) + door_mark(world, e),
        )
        for e in room.exits
        if exit_visible(world, room.id, e.direction, e.hidden, actor.key)
    )
    if not rows:
        return _say(actor.key, "There are no obvious exits.")
    return [Tell(actor.key, Doc((Table(rows, header=("Exit", "Leads to")),)))]


# -- moving -------------------------------------------------------------------------


#: What may follow a direction after "go": "go down to the cellar", "go up the stairs".
_WAY_ON = re.compile(r"(?:to|into|toward|towards|the|through|along|across|over|past)\b", re.I)


#: Company, not a way: "walk with me?", "go with us?".
_WITH_ME = re.compile(r"^with\s+(?:me|us)\b", re.I)
#: A way named, then "first", and maybe how: "down the steps first", "in first",
#: "down the steps first, sword drawn".
_FIRST_AFTER = re.compile(r"^(.*\S)\s+first\b(?:\s*,.*)?\W*$", re.I)


def cmd_go(
    world: World,
    actor: Character,
    intent: Intent,
    ctx: Ctx,
    *,
    sneaking: bool = False,
    onward: bool = False,
    joining: Sequence[Character] = (),
) -> list[Effect]:
    """go <direction>   or   go to <place>

    Walk in a direction: north, south, east, west, northeast, northwest, southeast,
    southwest, up, down (or n, s, e, w, ne, nw, se, sw, u, d), in and out. Typing the
    direction alone works too. A closed door that is not locked is opened on the way.
    'go to the mill' walks there a room at a time, and stops at a locked door or a
    fight. Walking while hidden is sneaking (a Stealth roll
    against the room you walk into); 'sneak <direction>' sneaks from plain sight.
    """
    # "go south?" typed alone: the walk (beside one's group it is asked: ``_walk_asked``).
    word = intent.args.strip().lower().rstrip("?").strip()
    if not word:
        return _err(actor.key, "Go where? Try a direction such as north, or type exits.")
    bringing = escort.destination(world, actor) if _HOME.fullmatch(word) else None
    if bringing is not None and bringing != actor.room:
        # "let's go home", bringing Edda along (played: "right, home" walked no one):
        # where she is to be brought.
        return _go_to(world, actor, bringing, ctx, sneaking=sneaking)
    if (aimed := _gone_for(world, actor, intent.args)) is not None:
        # "go for its throat" in a fight (played: "You are in a fight: ...").
        return game.cmd_attack(world, actor, Intent("attack", aimed, intent.raw), ctx)
    if word == "back" or word.startswith("back "):
        # "go back up", "go back the way we came": played, "'back up' is not a direction."
        word = word[4:].strip()
        if not word or _WAY_CAME.fullmatch(word):
            word = _way_back(world, actor)
            if not word:
                return _err(actor.key, "Go back where? Name a direction, or a place.")
        elif direction_of(word.split()[0]) is None and not _TO_PLACE.match(word):
            word = f"to {word}"  # "go back home" (where "up the stairs" is a way)
    if _THROUGH_ALONE.fullmatch(word):
        # "*opens the door and goes through*" (played: "'through' is not a direction."):
        # through the one door here.
        door = doors.door_here(world, actor, "")
        if isinstance(door, str):
            return _err(actor.key, "Go through what? Name the door or the way.")
        word = door[0].direction
    through = _THROUGH.match(word)
    if through is not None:
        # "go through the iron door", "through the trapdoor": the way it stands in
        # (played: "alright. through the door" was said, and no one went through; tried:
        # "'through the trapdoor' is not a direction").
        door = doors.door_here(world, actor, through.group(1))
        if isinstance(door, str):
            # "squeeze through the crack", "go through the gap": a way with no door,
            # named by its builder's words (played: "There is no door here.").
            way = _way_named(world, actor, through.group(1))
            if way is None:
                return _err(actor.key, door)
            word = way
        else:
            word = door[0].direction
    if _WITH_ME.match(word) and _teaming_asked(world, actor, intent.raw):
        # "walk with me?" beside another player (tried: "'with me' is not a direction."):
        # an invitation, said.
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    going_on, _, place_named = word.partition(" ")
    if going_on in ("on", "onward", "onwards") and _TO_PLACE.match(place_named):
        word = place_named  # "go on to the shrine": tried, "'on to the shrine' is not a direction"
    led = _FIRST_AFTER.match(word) if not sneaking else None
    if led is not None and direction_of(led.group(1).split()[0]) is not None:
        # "*goes down the steps first*" by a member beside the leader (played: he went
        # down alone, and met the Drowned Warden without her): the way named, led.
        leading = party.take_lead(world, actor, any_size=True)
        if leading:
            walkers = party.lead_walkers(world, actor)
            inner = led.group(1)
            went = cmd_go(world, actor, Intent("go", inner, f"go {inner}"), ctx, joining=walkers)
            # Gone, not stopped at a locked door (found in review: the lead taken, and no
            # one went anywhere).
            if any(isinstance(e, Move) and e.who == actor.key for e in went):
                return [*leading, *went]
        word = led.group(1)
    if word == "first" and not sneaking:
        # "I'll go first" (``_will_do``): the way on, and a member leads it (played:
        # Marla went down the trapdoor alone, and her group stood in the cellar).
        way = _way_ahead(world, actor)
        if not way:
            return _err(actor.key, "Go first which way? Name a direction, or a place.")
        leading = party.take_lead(world, actor, any_size=True)
        if leading:
            # Those who follow once the lead is taken walk this first step too.
            walkers = party.lead_walkers(world, actor)
            went = cmd_go(world, actor, Intent("go", way, way), ctx, joining=walkers)
            return [*leading, *went]
        word = way
    if word in _ONWARD or (sneaking and word in _AHEAD):
        # "sneak ahead", "go onward": played, "I'll sneak ahead and take a look" in the
        # tunnel, whose one way on is south. ("go ahead" and "go on" are leave given.)
        word = _way_ahead(world, actor)
        if not word:
            return _err(actor.key, "Go on which way? Name a direction, or a place.")
    if not sneaking and _LEAVE_GIVEN.fullmatch(word):
        # "go ahead", to "mind if I take it?" (played: "'ahead' is not a direction."):
        # leave given, said; "go on" to the one talked with asks them for more.
        partner = _partner(world, actor, ctx.recent) if word.startswith("on") else None
        if partner is not None:
            return _ask_npc(world, actor, partner, intent.raw.strip()[:MAX_SAY], ctx)
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    direction = direction_of(word)
    travel = _TO_PLACE.match(word)
    if direction is None and travel is not None:
        return _go_to(world, actor, travel.group(1), ctx, sneaking=sneaking)
    head, _, after = word.partition(" ")
    if direction is None and after and _WAY_ON.match(after):
        # "go down to the common room", "go up the stairs": the way is the direction
        # said (played: "'down to the common room' is not a direction").
        direction = direction_of(head)
        place = _TO_PLACE.match(after)
        if (
            direction is not None
            and place is not None
            and lore.room_named(world, actor, place.group(1)) == actor.room
        ):
            # "head back down to the common room" in it (played: down to the cellar):
            # there already.
            name = lore.the_place(world.room(actor.room).name)
            return _err(actor.key, f"You are in {name} already.")
    if direction is None and after and (head in ALIASES or game.is_action_word(world, actor, head)):
        # "go search the hearth", "go talk to bessa" (played from Edda's room: "ok lets
        # go serch the hearth" was said, and no one went): to the room one has stood in
        # that has what it names, then the deed there.
        deed = f"{head} {after}"
        there = _room_with(world, actor, _THE_THING.sub("", after))
        if there is not None and there[0] == actor.room:
            return dispatch(world, actor, parse(deed, ALIASES), ctx)
        if there is not None:
            # The walk, and the deed once there, as "go to ... and ..." is.
            walk = f"{'sneak' if sneaking else 'go'} to {there[0]} and {deed}"
            went = dispatch(world, actor, parse(walk, ALIASES), ctx)
            if not any(isinstance(e, Move) and e.who == actor.key for e in went):
                return went  # stopped: a fight, a closed door
            name = lore.the_place(world.room(there[0]).name)
            return [Tell(actor.key, Doc.text(tag("dim", esc(f"You set off for {name}.")))), *went]
        thing = strip_article(_THE_THING.sub("", after))
        return _err(actor.key, f"You do not know the way to '{thing}'. Try 'where is {thing}?'.")
    if direction is None:
        return _err(actor.key, f"'{word}' is not a direction. Directions: {', '.join(DIRECTIONS)}.")
    room = world.room(actor.room)
    ex = room.exit(direction)
    if ex is None or not exit_visible(world, room.id, ex.direction, ex.hidden, actor.key):
        meant = _TO_PLACE.match(after) if head != word else None
        if meant is not None and lore.room_named(world, actor, meant.group(1)):
            # "go down to the common room" from Edda's room, whose way down is west
            # first: the place named is where they meant to go.
            return _go_to(world, actor, meant.group(1), ctx, sneaking=sneaking)
        below = _floor_beyond(world, actor, direction) if head == word else None
        if below is not None:
            # "back downstairs", "down it is" in Edda's room, whose way down is the
            # landing's (played: "You cannot go down from here.").
            name = lore.the_place(world.room(below).name)
            told = Tell(actor.key, Doc.text(tag("dim", esc(f"You set off {direction} to {name}."))))
            return [told, *_go_to(world, actor, below, ctx, sneaking=sneaking)]
        return _err(actor.key, f"You cannot go {direction} from here.")
    if _fights_here(world, actor):
        return _err(actor.key, f"You are in a fight! Try 'flee {direction}'.")
    if actor.down:
        return _err(actor.key, "You cannot move; you are down.")
    effects: list[Effect] = []
    opened_now: tuple[str, ...] = ()
    # A door is the world's, not the walker's: closed is closed for everyone, and open
    # (whoever unlocked it) is open for everyone.
    shut = doors.blocked(world, ex)
    if shut is not None:
        opened = doors.opened_on_the_way(world, actor, ex)
        if opened is None:
            shut = doors.key_hint(world, actor, ex) or shut
            return [Tell(actor.key, Doc.text(styled("warn", shut)))]
        effects += opened  # a closed door that is not locked is opened on the way
        opened_now = (ex.door.id,) if ex.door is not None else ()
    arrive_from = OPPOSITE.get(direction)
    arrive_text = (
        f"{_name(actor)} arrives from the {arrive_from}."
        if arrive_from and arrive_from not in ("up", "down", "in", "out")
        else f"{_name(actor)} arrives."
    )
    # How quietly they go, then the view: what happens on arrival (a quest step, an
    # ambush) reads after it.
    sneak = stealth.walk(world, actor, ex.to, ctx, sneaking=sneaking)
    unseen_by: tuple[str, ...] = ()
    if sneak is not None:
        rolls, unseen_leaving, unseen_arriving = sneak
        effects += rolls
        unseen_by = (*unseen_leaving, *unseen_arriving)
    # Those following walk after, each seeing the room they arrive in; whoever is
    # waiting there reacts only once they are all in (an ambush meets the whole group,
    # not the leader alone with the others joining a round late).
    following = party.follow_moves(
        world, actor, direction, ex.to, opened_now, onward=onward, joining=joining
    )
    movers = [actor.key, *(e.who for e in following if isinstance(e, Move))]
    # On a walk's later steps, where no "Bob follows you." is told, the view names those
    # walking in with the leader (played: "Bessa Thorn is here.", and Marla, who had
    # followed, seemed left behind).
    company = tuple(movers[1:]) if onward else ()
    effects.append(
        Tell(
            actor.key,
            describe_room(
                world, ex.to, actor.key, opened=opened_now, walking=True, arriving=company
            ),
        )
    )
    # A group stepping into a scene no one is in gets it set once they are all in,
    # written for all of them: asked at the leader's step, it was written to the leader
    # alone ("You look about ...") and its followers read nothing of their own.
    # Only where one of them has not stood before (see ``reactions._moved``).
    group_scene = (
        len(movers) > 1
        and not world.occupants.get(ex.to)
        and any(ex.to not in world.chars[key].visited for key in movers)
    )
    effects.append(
        Move(
            actor.key,
            ex.to,
            leave=Doc.text(f"{_name(actor)} leaves {styled('exit', direction)}."),
            arrive=Doc.text(arrive_text),
            then_arrived=len(movers) == 1,
            # The group walking after them reads "You follow ..." for "Maren leaves south.".
            unseen_by=(*unseen_by, *movers[1:]),
        )
    )
    effects += following
    effects += escort.moves(world, movers, actor.room, direction, ex.to)
    if group_scene:
        names = [world.chars[key].name for key in movers]
        effects.append(
            AskNarration(
                actor.key,
                ex.to,
                "scene",
                f"{list_words(names)} enter {world.room(ex.to).name}",
                Outcome("enter", 1),
                Priority.LOW,
                cacheable=True,
                party=tuple(movers[1:]),
            )
        )
    if len(movers) > 1:
        effects += [Arrived(key, ex.to) for key in movers]
    return effects


# -- talking ------------------------------------------------------------------------


def _floor_beyond(world: World, actor: Character, direction: str) -> str | None:
    """For a room that opens on one other only (Edda's room on the landing), the room
    up or down (``direction``) from that one: the floor above or below, a step away;
    None for any other direction or room (at a crossroads, "down" is no stair a room
    away), or when that room has no such way."""
    if direction not in ("up", "down"):
        return None
    room = world.room(actor.room)
    beside = {
        ex.to
        for ex in room.exits
        if exit_visible(world, room.id, ex.direction, ex.hidden, actor.key)
    }
    if len(beside) != 1:
        return None
    (near,) = beside
    beyond = world.room(near).exit(direction)
    if beyond is None or beyond.to == room.id:
        return None
    seen = exit_visible(world, near, beyond.direction, beyond.hidden, actor.key)
    return beyond.to if seen else None


def _back_a_way(rest: str) -> bool:
    """Whether ``rest``, said after "back", is a way to walk: a direction alone
    ("downstairs", "outside"; not "up", which is a step back: "back up, it's a trap"),
    or one and where it leads ("down to the common room", "up the stairs")."""
    words = rest.strip().rstrip(".!").lower().split(maxsplit=1)
    if not words or direction_of(words[0].rstrip(",;")) is None:
        return False
    if len(words) == 1 or words[0].endswith((",", ";")):
        # "back down, and this time we stick together": the way, then words.
        return words[0].rstrip(",;") != "up"
    return _WAY_ON.match(words[1]) is not None or re.match(r"we\s+go\b", words[1]) is not None


#: "... we go" closing a way: "back down we go".
_WE_GO_AFTER = re.compile(r"\s+we\s+go\b", re.I)
#: "go to the mill", "walk back to the tavern", "go towards the chapel".
_TO_PLACE = re.compile(r"^(?:back\s+)?(?:to|towards?|into)\s+(?:the\s+)?(.+?)[.!]?$", re.I)


#: "through the door", "in through the trapdoor": a way by the door it stands in.
_THROUGH = re.compile(r"^(?:in\s+)?(?:through|thru)\s+(.+?)[.!]*$", re.I)
#: Through, naming nothing: "go through", "go on through", "through it".
_THROUGH_ALONE = re.compile(r"(?:on\s+|in\s+)?(?:through|thru)(?:\s+(?:it|there))?[.!]*", re.I)
#: "the way we came", "the way I came", "where we came from".
_WAY_CAME = re.compile(
    r"(?:the\s+)?way\s+(?:we|i|you)\s+came(?:\s+in)?|where\s+(?:we|i)\s+came\s+from", re.I
)


#: Words for the way on: "go onward", "go forward".
_ONWARD = frozenset({"onward", "onwards", "forward", "forwards"})
#: And after "sneak": "sneak ahead", "sneak on".
_AHEAD = _ONWARD | {"ahead", "on"}
#: Leave given with "go": "go ahead", "go on then", "go for it".
_LEAVE_GIVEN = re.compile(
    r"(?:ahead|on|for\s+it)(?:[,.!]*\s*(?:then|please|mate|love|by\s+all\s+means))?[\s.!]*",
    re.I,
)


def _led_here(world: World, actor: Character) -> bool:
    """Whether ``actor`` follows the leader of their group, who is beside them."""
    leader = world.following.get(actor.key)
    return (
        _follows_here(world, actor)
        and leader is not None
        and leader in party.members(world, actor.key)
    )


def _follows_here(world: World, actor: Character) -> bool:
    """Whether ``actor`` follows someone who is in their room (a walk there is theirs to
    call, and the follower's words of one are said)."""
    leader = world.chars.get(world.following.get(actor.key, ""))
    return leader is not None and leader.room == actor.room


def _way_ahead(world: World, actor: Character) -> str:
    """The one way on from ``actor``'s room: the one exit they can see that is not the
    way back (``_way_back``), or the only exit; "" when there are more, or none."""
    room = world.room(actor.room)
    back = _way_back(world, actor)
    ways = [
        e
        for e in room.exits
        if exit_visible(world, room.id, e.direction, e.hidden, actor.key) and e.direction != back
    ]
    if len(ways) > 1 and not back:
        # The way they came is not known (a restart forgets it): the one way on to a
        # place they have not been (played after a restart in the smugglers' tunnel,
        # "let's keep moving": said, and no one went).
        ways = [e for e in ways if e.to not in actor.visited]
    return ways[0].direction if len(ways) == 1 else ""


def _way_back(world: World, actor: Character) -> str:
    """The direction from ``actor``'s room back to the room they last walked out of
    (``World.last_way``), or "" when they came by no way from here."""
    came = world.last_way.get(actor.key)
    if came is None:
        return ""
    ex = next((e for e in world.room(actor.room).exits if e.to == came[0]), None)
    return ex.direction if ex is not None else ""


#: The little words before the thing a deed is done to: "to bessa", "at the altar".
_THE_THING = re.compile(r"^(?:to|at|on|in|under|through|with|for)\s+", re.I)


def _room_with(world: World, actor: Character, words: str) -> tuple[str, str] | None:
    """The one room ``actor`` stands in or has stood in with a feature or someone of the
    world that ``words`` name ("the hearth": the common room's loose hearthstone;
    "bessa"), when the way there is known: (its id, the name); None for none, or more
    than one."""
    hits: dict[str, str] = {}
    for room_id in dict.fromkeys((actor.room, *actor.visited)):
        if room_id not in world.templates.rooms:
            continue
        found = search.find([*search.features(world, room_id), *search.npcs(world, room_id)], words)
        if found.thing is not None:
            hits[room_id] = found.thing.name
    if len(hits) != 1:
        return None
    room_id, name = next(iter(hits.items()))
    if room_id != actor.room and not lore.way_to(world, actor, room_id):
        return None
    return room_id, name


def _where_someone_is(world: World, actor: Character, words: str) -> str | None:
    """The room where the one person of the world (not one who attacks on sight) whom
    ``words`` name stands ("tobin", "tobin about potions", "sister aldith for a
    blessing"), when it is not ``actor``'s own and the way there is known; None
    otherwise."""
    who = _ABOUT_WHAT.sub("", words.strip())
    people = [
        search.Thing("npc", npc.id, tmpl.name, tuple(tmpl.aliases))
        for npc in world.npcs.values()
        if npc.alive and not ((tmpl := world.templates.npcs[npc.id]).hostile and tmpl.aggressive)
    ]
    found = search.find(people, who)
    if found.thing is None:
        return None
    room = world.npcs[found.thing.ref].room
    if room == actor.room or not lore.way_to(world, actor, room):
        return None
    return room


#: What one goes to someone about: "about potions", "for a blessing", "to ask about".
_ABOUT_WHAT = re.compile(r"\s+(?:about|for|to\s+(?:ask|buy|see|get))\b.*$", re.I)


def _go_to(
    world: World, actor: Character, words: str, ctx: Ctx, *, sneaking: bool = False
) -> list[Effect]:
    """Walk to the room ``words`` name (``lore.room_named``, or a room's id), a room at
    a time by the shortest way through exits the walker can see: the first step now, and
    a ``Then`` for the rest, so each step is walked (and met: a foe's ambush, a closed
    door) before the next. Played: "go to the mill" was refused as no direction."""
    target = words if words in world.templates.rooms else lore.room_named(world, actor, words)
    if target is None and _HERS_ROOM.search(words):
        # "go to her room", the innkeeper's talk of her lodger heard: hers.
        hers = _room_looked(world, actor, words, ctx)
        if hers is not None and hers.startswith("to "):
            target = lore.room_named(world, actor, hers[3:])
    thing = _room_with(world, actor, words) if target is None else None
    if target is None and thing is None:
        # "go to tobin", "let's see tobin about potions" (played: said, and no one
        # went): where someone of the world is, when the way there is known.
        target = _where_someone_is(world, actor, words)
    if thing is not None:
        # "go to the hearth" (played: "You do not know the way to 'hearth'."): the room
        # one has stood in that has it.
        target, found = thing
        if target == actor.room:
            return _err(actor.key, f"{capitalise(definite(found))} is here.")
    if target is None:
        return _err(actor.key, f"You do not know the way to '{words}'. Try 'where is {words}?'.")
    if target == actor.room:
        return _err(actor.key, "You are there already.")
    way = lore.way_to(world, actor, target)
    if not way:
        return _err(actor.key, f"You know no way from here to {world.room(target).name}.")
    ex = world.room(actor.room).exit(way)
    if words == target and _fights_here(world, actor):
        # A walk met by an ambush stops there; "You are in a fight! Try 'flee south'."
        # read as if the player had typed a step.
        name = lore.the_place(world.room(target).name)
        return [
            Tell(actor.key, Doc.text(styled("warn", f"The fight stops your walk to {name}."))),
            # For "let's go" once it is over (``_walk_resumed``).
            PartyUpdate("walks", actor.key, f"{actor.room}|{ctx.wall:.0f}|{target}"),
        ]
    name = lore.the_place(world.room(target).name)
    set_off = Tell(actor.key, Doc.text(tag("dim", esc(f"You set off for {name}."))))
    locked = doors.unlocks_on_the_way(world, actor, ex) if ex is not None else ""
    if locked and not _fights_here(world, actor):
        # A locked door whose key the walker carries is unlocked on the way, and the
        # walk goes on (played: "ok eel landing. lets go" stopped at the trapdoor, the
        # rusty key in the leader's pack).
        return [
            *([] if words == target else [set_off]),
            Then(actor.key, f"unlock {locked}"),
            Then(actor.key, f"go to {target}"),
        ]
    # A step after the first (``words`` the room's id, as the walk's ``Then`` has it)
    # walks the group on without telling its walkers again who follows whom.
    step = cmd_go(
        world, actor, Intent("go", way, way), ctx, sneaking=sneaking, onward=words == target
    )
    if not any(isinstance(e, Move) and e.who == actor.key for e in step):
        return step  # stopped: a fight, a closed door
    told: list[Effect] = [] if words == target else [set_off]
    onward = [Then(actor.key, f"go to {target}")] if ex is not None and ex.to != target else []
    return [*told, *step, *onward]


#: Words said to all here, or to one by name: "to everyone hi", "to bessa hello there".
_SAID_TO_ALL = re.compile(
    r"to\s+(?:everyone|everybody|all|the\s+room|you\s+all)[,:]?\s+(\S.*)$", re.I
)
_SAID_TO = re.compile(r"to\s+(?:the\s+)?(\S+)(?:\s+(\S+))?[,:]?\s+(\S.*)$", re.I)


def _said_to(world: World, actor: Character, text: str) -> str:
    """``text``, said with 'say', as said to the one it opens by naming after "to", the
    way other MUDs have it: "to bessa hello there" is "Bessa Thorn, hello there" (played
    in the hospice: "say to anselm cold night for it" was said to the room as "to anselm
    cold night for it"); ``text`` itself otherwise ("to be honest, I'm lost"). Only a
    whole name or alias of one here names them (``_someone_here``)."""
    everyone = _SAID_TO_ALL.match(text)
    if everyone is not None:
        return everyone.group(1)  # "say to everyone hi": to the room, as 'say' is
    head = _SAID_TO.match(text)
    if head is None or (head.group(2) or "").lower() in ("and", "&"):
        return text  # "to pell and bessa hi": no one of them alone (found in review)
    first, second, rest = head.group(1).strip(",:"), head.group(2), head.group(3)
    if second is not None:
        both = _someone_here(world, actor, f"{first} {second.strip(',:')}")
        if both:
            return f"{both}, {rest}"
    one = _someone_here(world, actor, first)
    if one:
        return f"{one}, {f'{second} ' if second else ''}{rest}"
    return text


#: Words to calm one who is wary of you: "easy, friend", "we mean no harm".
_CALMING = re.compile(
    r"^\W*(?:easy\b|steady\b|calm\s+down\b|relax\b|peace\b|whoa\s+there\b"
    r"|(?:we|i)\s+mean\s+(?:you\s+)?no\s+harm\b|no\s+harm\s+meant\b"
    r"|(?:we|i)(?:'re|'m|\s+am|\s+are)\s+not\s+here\s+(?:for|to\s+hurt)\s+you\b)",
    re.I,
)


#: Calming words to one's own company, not to the wary: "easy, everyone", "easy does it".
_CALMING_OURS = re.compile(
    r"^\W*\w+\W+(?:(?:every(?:one|body)|all|lads|guys|folks|both|you\s+two|team)\b"
    r"|does\s+it\b)",
    re.I,
)


def _to_the_wary(world: World, actor: Character, text: str) -> str:
    """``text``, said aloud, as said to the one NPC here who is wary of ``actor`` (it may
    be fought, and does not fall on those who come in, and has words of its own) when it
    opens with words to calm it and names no one: "Easy, friend. We are not here for you.
    Only the key." in Crake's loft is "Crake, Easy, friend. ..." (played: said to the
    room, and Crake said nothing). ``text`` itself otherwise. Pure."""
    if _CALMING.match(text) is None or world.fights.get(actor.room):
        return text
    if _CALMING_OURS.search(text):
        return text  # "easy, everyone. no sudden moves", "easy does it" (found in review)
    if address.addressed(world, actor, text) is not None:
        return text
    wary = [
        npc
        for state in world.npcs_in(actor.room)
        if (npc := world.templates.npcs.get(state.id)) is not None
        and npc.hostile
        and not npc.aggressive
        and lore.talks(npc)
    ]
    return f"{wary[0].name}, {text}" if len(wary) == 1 else text


def cmd_say(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """say <message>   (shortcut: 'message)

    Say something aloud to everyone in the room; 'say to <someone> <message>' (or
    '<someone>, <message>') says it to someone here.
    """
    text = intent.args.strip()[:MAX_SAY]
    prose = roleplay(text)
    if prose is not None and len(prose) == 1 and prose[0][0] == "say":
        text = prose[0][1]  # say "hello" (tried: "You say, '"hello"'")
    if not text:
        return _err(actor.key, "Say what?")
    text = _said_to(world, actor, text)
    text = _to_the_wary(world, actor, text)
    prayed = _prayed_power(world, actor, text)
    if prayed is not None:
        # '"Ysolde, bless us!"' in prose on one's turn (played at the Drowned Warden:
        # said, and the turn ran on), "say Saint Ysolde, mend me": said, and the power
        # the prayer asks for used.
        return [*_said_to_room(actor, text), Then(actor.key, prayed)]
    # "hi bessa whats going on", chat's way with no comma (played by a newcomer in the
    # browser: said to the room, and Bessa never answered): the greeting and the name
    # are who it is to, as with the comma.
    text = address.comma_after_greeting(world, actor, text)
    greeted, *then = address.SENTENCE.split(text)
    menu = _menu_of_you(world, actor, text, ctx) if then else None
    if menu is not None:
        return menu  # "hi. what do you sell?" beside the one shopkeeper here
    # The question, and after it only words saying one is new: "hello. what i must do
    # here? i am new" (played 2026-12-07: all said, and nothing answered).
    at = len(then) - 1
    while at > 0 and answers.NEW_HERE.search(then[at]) and not then[at].endswith("?"):
        at -= 1
    if (
        then
        and lore.GREETING.match(greeted)
        and (lore.asks_what_next(then[at]) or answers.how_to_play(world, then[at]) is not None)
        and not lore.asks_news(then[at])  # "hello alice! what's going on?" is to her
        and _news_asked_of_all(world, actor, text) is None
        and address.addressed(world, actor, text) is None
    ):
        # "hi! i'm new. what do i do?" (played by a new player: all said, and nothing
        # answered): the words said, then what to do next asked of the DM.
        words = " ".join([greeted, *then[:at]])
        asked = " ".join(then[at:])
        return [
            *cmd_say(world, actor, Intent("say", words, words), ctx),
            # "hi! i'm new. what do i do?": asked by one new, how to play.
            *cmd_ask(world, actor, Intent("ask", asked, asked), _new_said(ctx, words)),
        ]
    if (
        then
        and actor.key in world.invites
        and party.assents(greeted)
        and lore.asks_what_next(then[-1])
        # A term of the deal is no question: "deal. but I get first pick of any loot"
        # (played: asked of the DM, who listed what lay on the floor).
        and _questioning(then[-1])
    ):
        # 'Mara pushes the bowl aside. "Deal. Where do we start?"' to Jax's invitation
        # (played: the group joined, and the question said to the room, unanswered):
        # the yes said, and what to do next asked once it has joined.
        words = " ".join([greeted, *then[:-1]])
        return [
            *cmd_say(world, actor, Intent("say", words, words), ctx),
            Then(actor.key, f"ask {then[-1]}"[:MAX_SAY], before=_new_words(words)),
        ]
    named = address.addressed(world, actor, text)
    if (
        named is None
        and _WHAT_IT_SAYS.fullmatch(then[-1] if then else greeted)
        and address.addressed_player(world, actor, text) is None
    ):
        # 'Mara leans over his shoulder. "What does it say?"' (played: said, and no one
        # answered), as the question typed alone is.
        read = _what_it_says(world, actor, text, ctx)
        if read is not None:
            return read
    if named is not None:
        # The ware alone, said to them by name, as typed alone ("say bessa, two ales":
        # tried, "Don't know about that, love. Have some stew."); "tobin, one for me
        # too" (played: "Oh, I couldn't say. I'm in lamps, not in that.").
        shopkeeper = world.templates.npcs[world.npcs[named.ref].id].name
        bought = _order_said(
            world, actor, named.asked, ctx, bare=not _questioning(named.asked)
        ) or _ware_asked(world, actor, named.asked, ctx, to=shopkeeper)
        if bought is not None:
            # "say bessa, can I have an ale?": tried, asked, and no ale came.
            return _said_before(world, actor, named, ctx) + bought
        # Played: "hello bessa" was said to the room, and Bessa, who greets everyone
        # who comes in, said nothing.
        topic = lore.conversation_topic(ctx.recent)
        hailed = lore.GREETING.match(text)
        asking = address.NAME_ENDS.split(text[hailed.end() :], maxsplit=1) if hailed else []
        if len(asking) == 2 and asking[1].strip():
            # "hi tobin! what've you got?", "hi bessa, what's good here?" (played: the
            # greeting again, and no wares): the greeting, then the bill of fare asked.
            rest = asking[1].strip()
            menu = _menu_asked(world, actor, address.Named(named.ref, rest), ctx)
            if menu is not None:
                greeting = text[: len(text) - len(asking[1])].rstrip(" ,;")
                hello = game.talk_to(world, actor, named.ref, greeting, topic=topic)
                return hello + menu
        # Their name called is not said back ("bessa, we brought her home": played, "You
        # say to Bessa Thorn, 'bessa, we brought her home'"), as to a player; a greeting
        # with it is ("hello bessa").
        bare = not named.before and named.asked.strip() and not lore.GREETING.match(text)
        words = named.asked.strip() if bare else text
        return game.talk_to(world, actor, named.ref, words, topic=topic, asked=named.asked)
    mate = address.addressed_player(world, actor, text)
    if mate is not None:
        # "say odile, wait for me": played, said to the room, where "odile, wait for me"
        # typed alone was said to her. A question is asked of them, as typed alone.
        return _to_mate(world, actor, mate, ctx, ask=mate.asked.rstrip().endswith("?"))
    news = _news_asked_of_all(world, actor, text)
    if news is not None:
        # "Hello everyone! What's going on here?" beside the innkeeper: played, said,
        # and no one answered.
        return game.talk_to(world, actor, news[0], text, how="room", asked=news[1])
    if then and lore.GREETING.match(greeted):
        keeper = _leave_asked_of(world, actor, " ".join(then))
        if keeper is not None:
            # "evening. mind if I take that key, friend?" beside Crake (played: said to
            # the room, where the question alone was asked of him).
            asked_them = " ".join(then)
            said = cmd_say(world, actor, Intent("say", greeted, greeted), ctx)
            return [*said, *_ask_npc(world, actor, keeper, asked_them[:MAX_SAY], ctx)]
    hail = _hail_then_asked(world, actor, text)
    if hail is not None:
        # "evening all. who's the woman by the fire?" (played: all of it said to the
        # room, where the question alone was Bessa's to answer): the greeting said, the
        # question asked of the one here who knows.
        hailing, asked_them, knower = hail
        # The greeting is not given back before the answer, which greets one not yet
        # met (played: Bessa's "Sit down, love, you're dripping on my floor ..." again,
        # to the newcomer she had just said it to, before her answer).
        said = _said_to_room(actor, hailing)
        return [*said, *_ask_npc(world, actor, knower, asked_them, ctx)]
    greeter = _greeting_to_the_one_here(world, actor, text)
    if greeter is not None:
        # "evening. nice view up here", alone in the loft with Crake (played: said, and
        # he said nothing): a greeting with no one else to hear it is his.
        return game.talk_to(world, actor, greeter, text, how="room", asked="hello")
    if actor.room in world.bought and _SAME_ORDER.fullmatch(
        _without_a_name_here(world, actor, text.strip(" .!"))
    ):
        # "me too" just after another bought here: the same, before it is an answer
        # (looked for only where something was bought: this is every line said).
        same = _ware_asked(world, actor, text, ctx)
        if same is not None:
            return same
    # A player's question waiting comes before an NPC's greeting's: "yes please!" to
    # "want to join us?" (played: said to Edda, whose "You came for me?" it answered).
    answer = _answering(world, actor, text, ctx) if actor.key in world.questions else None
    if answer is not None:
        return answer
    answered = _answered(world, actor, text, unanswered=True)
    if answered is not None:
        # "Yes" after the cartographer's "You came for me?": played, said to the room,
        # and she said nothing to it.
        return game.talk_to(world, actor, answered, text)
    bought = _order_said(world, actor, text, ctx) or _ware_asked(world, actor, text, ctx)
    if bought is not None:
        # "thanks bessa! I'll have the stew first then" says its second part: played,
        # said, and no stew came (as free text it is bought); so is a ware asked for
        # with a please, quoted in a line of prose ("A bowl of that stew, if you'd be
        # so kind.": played, said, and no stew).
        return bought
    answer = _answering(world, actor, text, ctx)
    if answer is not None:
        return answer  # "Corwin asks you, ...", then "say the lights, I heard"
    if len(world.occupants.get(actor.room, ())) == 1 and _questioning(text):
        # '"Any word of the novice?"' (or 'say any word of ...'), no other player here
        # to hear it (played: said to the room, and Brother Anselm by the fire said
        # nothing): asked of the one here who knows, as typed bare.
        who_knows = _knower(world, actor, text)
        if who_knows is not None:
            return _ask_npc(world, actor, who_knows, text, ctx)
    said = _said_to_room(actor, text)
    last = address.SENTENCE.split(text.strip())[-1]
    # A question of "you" beside one other player is theirs to answer: their next words
    # answer it (played: Nell's "what's your story?", and Ivo's answer was a deed); so is
    # one with "you" left out ("ready?": played, "as I'll ever be" was a deed). Counted
    # first: a crowd's question is not a list of a thousand players.
    asks_you = last.rstrip().endswith("?") and (_YOU.search(last) or _AMONG_US.search(last))
    if asks_you and len(world.occupants.get(actor.room, ())) == 2:
        others = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
        said += _asks(world, actor, others[0].ref, ctx, text) if len(others) == 1 else []
    away = address.addressed_away(world, actor, text)
    if away:
        # Said all the same (calling for someone is play), and the speaker learns why no
        # one answers: played, "crake, hello" in the tavern was a deed, "You act: ...".
        told = f"{away} is not here."
        player = world.chars.get(away.lower())  # a player (keyed by the name in lower case)
        if player is not None and player.key in party.members(world, actor.key):
            # Of the group: where they are, as 'group' shows (played: "mira, where are
            # you? you ok?" read only how to send a tell).
            told = (
                f"{away} is not here: {in_place(world.room(player.room).name)}."
                f" ('gtell <words>' reaches your group, 'tell {away} <words>' them alone.)"
            )
        elif player is not None:
            told += f" ('tell {away} <words>' reaches them wherever they are.)"
        said.append(Tell(actor.key, Doc.text(tag("dim", esc(told)))))
    return said


#: A name called out, as its first word: "mira!", "mira help!!", "MIRA, come quick".
_CALLED = re.compile(
    r"^\W*(?P<name>[a-z][a-z'-]*)(?:\s*[!?,.]|\s*$|\s+(?:help|come|quick|hurry|wait|where"
    r"|run|back|over|get|look|watch|behind|you\s+(?:there|ok|okay|alright|around|hear\s+me"
    r"|coming))\b)",
    re.I,
)


def _mate_called(world: World, actor: Character, text: str) -> Character | None:
    """The member of ``actor``'s group, not here but within a shout (``earshot``), whom
    ``text`` calls out to by their name as its first word (``_CALLED``); None for any
    other line (one further off is spoken to as before: said, and told where they are).
    Pure."""
    called = _CALLED.match(text)
    mate = world.chars.get(called.group("name").lower()) if called is not None else None
    if (
        mate is None
        or mate.key == actor.key
        or mate.key not in party.members(world, actor.key)
        or not any(room == mate.room for room, _where in earshot(world, actor.room))
    ):
        return None
    return mate


#: A question of "you" that asks what is sold: "what do you sell?", "got anything for
#: sale?", "what are you selling?".
_SELLING = re.compile(r"\b(?:sell|sells|selling|for\s+sale|stock|wares)\b", re.I)


def _menu_of_you(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """``text``, said to no one, whose last sentence asks "you" for the bill of fare
    ("what do you sell?", "hi. what have you got?"), asked of the one shopkeeper here:
    what comes before said to the room, then their wares in their own answer
    (``_menu_asked``); None for any other line, where no one here sells, or beside
    another player not of one's group (whose "you" it may be) unless it asks what is
    sold (``_SELLING``). Played in
    Lanternfall's chandlery: "hi. what do you sell?" was the DM's list, Mother Greeb
    standing behind her counter."""
    *before, last = address.SENTENCE.split(text.strip())
    if not _YOU.search(last) or not lore.asks_menu(last):
        return None
    keepers = [
        n for n in search.npcs(world, actor.room) if world.templates.npcs[n.ref].shop is not None
    ]
    others = [c for c in world.people_in(actor.room) if c.key != actor.key]
    said_words = set(re.findall(r"[a-z']+", text.lower()))
    if any(c.name.lower() in said_words for c in others):
        return None  # "ode, what do you have?": Ode's (found in review: Greeb's)
    mates = set(party.members(world, actor.key))
    # Beside another player, "you" may be theirs, unless the question is of selling, or
    # those here are of one's own group, come into the shop together (played, round
    # 63: "what do you have?" in Greeb's chandlery was asked of Ode, the warden beside).
    if len(keepers) != 1 or (
        others and not _SELLING.search(last) and not all(c.key in mates for c in others)
    ):
        return None  # the DM tells the wares
    hello = " ".join(before)
    said = cmd_say(world, actor, Intent("say", hello, hello), ctx) if hello else []
    menu = _menu_asked(world, actor, address.Named(keepers[0].ref, last), ctx)
    return None if menu is None else [*said, *menu]


def _menu_asked(
    world: World, actor: Character, named: address.Named, ctx: Ctx
) -> list[Effect] | None:
    """The shopkeeper ``named`` asked for their bill of fare ("bessa, what's good
    here?": ``lore.asks_menu``): the question, heard by the room, and their wares, as
    ``list`` shows them; None for another question or one who sells nothing. Tried:
    the innkeeper's "Don't know about that, love. Have some stew." to it."""
    tmpl = world.templates.npcs.get(world.npcs[named.ref].id)
    if tmpl is None or tmpl.shop is None:
        return None
    menu = lore.asks_menu(named.asked)
    # "bessa, do you sell ale?": played, her fact that names Tobin's shop.
    wares = [] if menu else lore.wares_asked(world, tmpl.id, named.asked)
    if not menu and not wares:
        return None
    how, said = _question(named.asked)
    asked = game.talk_line(actor, tmpl.name, said, how=how)
    if wares:
        return [*asked, lore.says(actor.room, tmpl.name, f"Aye: {lore.and_list(wares)}.")]
    return [*asked, *game.cmd_list(world, actor, Intent("list", "", "list"), ctx)]


def _refused_of(effects: Sequence[Effect], actor: Character, name: str) -> bool:
    """Whether ``effects`` refuse ``actor`` in words naming ``name`` ("Juno is a fellow
    traveller: players do not rob one another here.")."""
    return re.search(rf"\b{re.escape(name)}\b", phrasing.told(effects, actor.key)) is not None


def _to_mate(
    world: World, actor: Character, mate: address.Named, ctx: Ctx, *, ask: bool = False
) -> list[Effect]:
    """What a line said to the player ``mate`` names does: what it said before the
    sentence naming them, to the room (said plainly: as ``say`` it went to the
    innkeeper the speaker had talked with, "we are! sorrel, lamp-keeper." before "want
    to join us tansy?", played), then the rest said to them, or asked of them
    (``ask``)."""
    words = mate.before.strip()[:MAX_SAY]
    before = _said_to_room(actor, words) if words else []
    if ask:
        return before + _ask_player(world, actor, mate.ref, mate.asked[:MAX_SAY], ctx)
    parts = address.SENTENCE.split(mate.asked.strip())
    deed = parts[-1].strip()
    onward = _ONWARD_OPENS.fullmatch(deed) is not None and not _follows_here(world, actor)
    if len(parts) > 1 and (onward or _doable(world, actor, deed, ctx)):
        # "hold on, dov! heal him" over the fallen Dov (played: all of it said to him):
        # the words to them, then the thing done; "nice one kael. onward" walks on
        # (played: all of it said to him).
        said = " ".join(parts[:-1])[:MAX_SAY]
        return [
            *before,
            *game.say_to(world, actor, world.chars[mate.ref], said),
            Then(actor.key, deed),
        ]
    return before + game.say_to(world, actor, world.chars[mate.ref], mate.asked[:MAX_SAY])


def _said_to_room(actor: Character, text: str) -> list[Effect]:
    """``text`` said by ``actor`` to their room, to no one in it: the lines and the log."""
    return [
        *phrasing.act(actor, "{actor} {v:say}, '{said}'", said=styled("say", text)),
        LogChat("say", actor.room, actor.name, None, text),
    ]


def _said_before(world: World, actor: Character, named: address.Named, ctx: Ctx) -> list[Effect]:
    """What a line said before the sentence that names the NPC or player it then speaks
    to (``Named.before``), said as ``say`` says it ([] when nothing was): "aye, soaked to
    the bone." of "aye, soaked to the bone. bessa, can we get some stew?" (played: only
    the question was heard), "thanks." of "thanks. tamsin, what now?" (tried: lost)."""
    if not named.before.strip():
        return []
    return cmd_say(world, actor, Intent("say", named.before, f"say {named.before}"), ctx)


#: Who a greeting to the room is to: "hello everyone!", "evening all", "hi folks", "good
#: evening to you" (played: "Good evening to you. Is there a room to be had?" was all
#: said to the room, where the question alone was the innkeeper's).
_TO_ALL = re.compile(
    r"(?:to\s+)?(?:every(?:one|body)|all(?:\s+of\s+you)?|folks?|friends|y'?all"
    r"|you(?:\s+all|\s+both)?|ye|guys|there|people|lads|strangers)",
    re.IGNORECASE,
)


#: Who of those here does a thing, asked of them: "who takes the lantern?", "who wants
#: the potion?", "who should carry it?", "who's going first?".
_WHO_OF_US = re.compile(
    r"\W*(?:so|ok|okay|right|well)?[,.]?\s*who(?:'s|\s+is)?\s+(?:takes|wants|gets|carries"
    r"|should|will|'ll|gonna|going\s+(?:to|first)|taking|carrying|first)\b",
    re.I,
)
#: A call to whoever is about: "hello?", "anyone around?", "hello? is anyone there?".
_CALLING_OUT = re.compile(
    r"\W*(?:(?:hello|hallo|hullo|hey|oi|hi)\W+)?(?:(?:is\s+|are\s+)?(?:any|some)(?:one|body)"
    r"(?:\s+(?:around|here|there|about|home|in|awake|up))?|hello|hallo|hullo)\s*\?+\W*",
    re.I,
)


#: Where the other players are, asked: "where is everyone?", "where are the others?".
_WHERE_ALL = re.compile(
    r"\W*(?:so|ok|okay|hm+|um+|well)?[,.]?\s*where(?:'s|\s+is|\s+are|\s+did)\s+"
    r"(?:every(?:one|body)|all\s+the\s+(?:players|people|others)|the\s+other\s+players"
    r"|the\s+others|all\s+the\s+others)(?:\s+(?:at|go(?:ne)?|gone\s+to))?\s*[?!.]*",
    re.I,
)


def _called_out(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """``text``, a call to whoever is about (``_CALLING_OUT``), said aloud, and
    answered by the one of the world here who talks, with their greeting, when there
    is one; alone, the caller is told how to find the others. Played by a new player in
    the tavern: "hello? anyone around?" was asked of the DM, who said it was not known
    yet, with Bessa behind the bar."""
    npc = _sole_talker(world, actor)
    if npc is not None:
        return game.talk_to(world, actor, npc, text, how="room", asked="hello")
    said = cmd_say(world, actor, Intent("say", text, text), ctx)
    if search.people(world, actor.room, besides=actor.key, viewer=actor.key) or _talkers(
        world, actor
    ):
        return said
    hint = "No one here answers. ('who' lists who is playing; 'tell <name> <words>' reaches one.)"
    return [*said, Tell(actor.key, Doc.text(tag("dim", esc(hint))))]


def _hail_then_asked(world: World, actor: Character, text: str) -> tuple[str, str, str] | None:
    """For ``text`` a greeting to no one or to all as a sentence of its own, then a
    question someone of the world here knows of ("evening all. who's the woman by the
    fire?"): (the greeting, the question, that one's NPC id); None otherwise."""
    greeting = lore.GREETING.match(text)
    if greeting is None:
        return None
    first, *rest = address.SENTENCE.split(text.strip())
    head = lore.GREETING.sub("", first).strip(" .!,")
    if not rest or (head and not _TO_ALL.fullmatch(head)):
        return None
    question = " ".join(rest).strip()
    if not question.endswith("?"):
        return None
    if _YOUR_WAY.match(rest[-1]) and search.anyone_else(world, actor.room, actor.key):
        # Why one is here is asked of the travellers, greeting or not (played: "hello!
        # I'm Mira. are you here for the cartographer too?" beside a player just come
        # in was asked of the innkeeper, who told of the cartographer).
        return None
    knower = _knower(world, actor, question)
    return (first, question, knower) if knower is not None else None


def _greeting_to_the_one_here(world: World, actor: Character, text: str) -> str | None:
    """The one NPC here who talks (``_sole_talker``; of more, the one whose place this
    is, ``_local_talker``) when ``text``, said aloud, opens
    with a greeting to no one by name ("evening.", "hi there", "evening all. nice view")
    and no other player here hears it: theirs to answer. None otherwise (with others
    here, "hi" may be theirs)."""
    greeting = lore.GREETING.match(text)
    if greeting is None:
        return None
    rest = text[greeting.end() :].strip()
    head = address.NAME_ENDS.split(rest, maxsplit=1)[0].strip() if rest else ""
    if head and not _TO_ALL.fullmatch(head) and greeting.group(0).rstrip()[-1:] not in ".!,":
        return None  # "hi tansy" is to someone, "hi. nice view" greets
    if search.people(world, actor.room, besides=actor.key, viewer=actor.key):
        return None
    # Or the one whose place this is: "hello. who are you?" beside Bessa, Edda home by
    # her fire (played by a newcomer: said to the room, and no one answered).
    return _host(world, actor)


def _news_asked_of_all(world: World, actor: Character, text: str) -> tuple[str, str] | None:
    """The one NPC here who talks (``_sole_talker``) and what they are asked, when
    ``text``, said aloud, greets the room (no one, or everyone: ``_TO_ALL``) and then
    asks the news (``lore.asks_news``): "hello everyone! what's going on here?". None
    otherwise; a bare "what's going on?", greeting no one, is the DM's."""
    greeting = lore.GREETING.match(text)
    if greeting is None:
        return None
    rest = text[greeting.end() :]
    if address.NAME_ENDS.match(text[: greeting.end()].rstrip()[-1]):
        head, question = "", rest  # "hi! what's the news": the greeting took its mark
    elif (cut := address.NAME_ENDS.search(rest)) is not None:
        head, question = rest[: cut.start()].strip(), rest[cut.end() :]
    else:
        return None
    if head and not _TO_ALL.fullmatch(head):
        return None  # "hi bessa. what's going on?" is to her; "hi tansy! ..." to Tansy
    npc = _host(world, actor)
    if npc is None or not question.strip() or not lore.asks_news(question):
        return None
    return npc, question.strip()


def _host(world: World, actor: Character) -> str | None:
    """The NPC here a line to no one in particular is for: the one who talks
    (``_sole_talker``), or, of more, the one whose place this is (``_local_talker``)."""
    return _sole_talker(world, actor) or _local_talker(world, actor)


def _local_talker(world: World, actor: Character) -> str | None:
    """Of the NPCs here who talk, the one whose own place this is (Bessa, with Edda home
    by her fire), or None when not one alone. Played: "evening all. what's going on
    here?" beside both was said to the room, and no one answered."""
    local = [n for n in _talkers(world, actor) if world.templates.npcs[n].room == actor.room]
    return local[0] if len(local) == 1 else None


def _answered(world: World, actor: Character, text: str, *, unanswered: bool = False) -> str | None:
    """The NPC here, met, whose greeting's question ``text`` answers (``lore.answers``),
    or None: the one a player spoke with in answering (played: "what are they?" after
    "to ask about the lights" to Sister Aldith went to the DM). ``unanswered``: only
    one who has not replied to the actor yet (``lore.reply_key``: "yes", "aye, we did"
    to "You came for me?"), who replies now."""
    for npc in world.npcs_in(actor.room):
        # Away from where it was asked, a greeting's question waits no more: Edda's "You
        # came for me?" is the bell's (played at the inn, long after: "sure lets go" to
        # a companion was said to her).
        if (
            unanswered
            and escort.at_home(world, npc.id)
            and lore.reply_key(world.templates.npcs[npc.id], actor, text)
        ):
            return npc.id
        if not unanswered and _answered_by(world, actor, npc.id)(text):
            return npc.id
    return None


def _answered_by(world: World, actor: Character, npc_ref: str) -> Callable[[str], bool]:
    """Whether a line answers the question NPC ``npc_ref``'s greeting asked ``actor``."""
    tmpl = world.templates.npcs[npc_ref]
    met = f"met:{npc_ref}" in actor.revealed
    return lambda line: met and bool(lore.answers(tmpl, line))


#: "I'll have the stew", "can I get an ale?", "I'd like two pies, please": an order
#: at a counter, said as players say it (``game.order`` decides if it is one).
_ASKING_FOR = re.compile(
    # A yes before it, to the stew offered: "ok I'll have the stew then" (played: said,
    # and no stew).
    r"^(?:(?:ok(?:ay)?|alright|all\s+right|right|sure|fine|yes|yeah|aye|well)[,.!]?\s+)?"
    # "fine. ill just take the ice axe then" (played, round 63: said, and no axe).
    r"(?:(?:i|we)'?ll\s+(?:just\s+|only\s+)?(?:have|take)"
    r"|(?:i|we)\s+will\s+(?:just\s+|only\s+)?(?:have|take)|(?:i|we)'?d\s+like"
    r"|(?:i|we)\s+would\s+like|(?:i|we)\s+want"
    r"|(?:can|could|may)\s+(?:i|we)\s+(?:have|get|buy))\s+(.+?)"
    r"(?:,?\s+(?:then|please|thanks|love|first|now|too|as\s+well))*[\s.!?]*$",
    re.IGNORECASE,
)


def _called(line: str) -> bool:
    """Whether ``line``, which opens with a command's word, is all a call to the others
    (``parser.CALLS``): "follow me", and "look out!" or "get back!" shouted ("look out",
    quietly, still looks through the way out)."""
    words = line.split()
    size = call_words(line)
    if not size or size != len(words):
        return False
    plain = " ".join(w.strip(",.!?").lower() for w in words)
    return words[0].lower() == "follow" or line.rstrip().endswith("!") or plain in _QUIET_CALLS


#: Calls that are never the command their first word is, shouted or not: "take care" is
#: no taking of a thing called "care"; "look at this" is said to show something.
_QUIET_CALLS = frozenset(
    {"take care", "look at this", "look at that"}
    # Chat in a command's words (played on the salt bank: "show off" was "You see no
    # 'off' here."; tried: "get lost", "give up").
    | {"show off", "get lost", "get real", "get a grip", "get over here", "give up"}
    | {"give it a rest", "look alive", "knock it off", "cut it out"}
)


def _order_said(
    world: World, actor: Character, words: str, ctx: Ctx, *, bare: bool = False
) -> list[Effect] | None:
    """``words`` said at a counter, bought when they order something the shopkeeper
    here sells: "I'll have the stew" (``_ASKING_FOR``), or, ``bare``, the ware alone
    ("two ales", said to Bessa by name); None otherwise (``game.order``)."""
    wanted = _ASKING_FOR.match(words)
    if wanted is None and not bare:
        return None
    what = wanted.group(1) if wanted is not None else words
    mates = party.present(world, actor.key)
    if wanted is None or not _WE.match(words) or not mates or game.counted(what) is not None:
        return game.order(world, actor, what, ctx, sold_only=True)
    # "can we get some stew?" with the group here: one each, the others' handed over
    # (tried: asked of the DM, who said where stew is sold).
    thing = what.strip()  # "some stew": search reads past "some" and articles
    bought = game.order(world, actor, f"{len(mates) + 1} {thing}", ctx, sold_only=True)
    if bought is None or phrasing.refused(bought, actor.key):
        return bought
    return [*bought, *(Then(actor.key, f"give {thing} to {mate.name}") for mate in mates)]


def _ware_asked(
    world: World, actor: Character, text: str, ctx: Ctx, *, to: str = ""
) -> list[Effect] | None:
    """``text`` said at a counter, bought when its last sentence asks for a ware the
    shopkeeper here sells with a count, a please or a "then" and no verb ("two potions
    please", "a bowl of stew, if you please", "stew, then"; the sentences before it
    said first), or its first sentence does so with a count or a "then" (the rest said
    after, to ``to`` when named: "Stew, then. And what of the lights?"), or what the
    shopkeeper says of a ware asked for with a please; None otherwise."""
    same = _SAME_ORDER.fullmatch(_without_a_name_here(world, actor, text.strip(" .!")))
    bought_by, count, when, name = (world.bought.get(actor.room, "").split("|", 3) + [""] * 4)[:4]
    if (
        same is not None
        and name
        and bought_by != actor.key
        and ctx.wall - float(when or 0) <= SAME_ORDER_WITHIN
    ):
        # "one for me too" just after another bought here (tried: said, and nothing
        # bought): one of it, or as many, for "the same".
        many = count if same.group("same") else "1"
        return _order_said(world, actor, f"{many} {name}", ctx, bare=True)
    parts = address.SENTENCE.split(text.strip())
    alone = _COUNT_ALONE.fullmatch(parts[-1].strip(" .!"))
    if alone is not None and len(parts) == 1:
        # "two please", just after asking the price of potions (played: "You try to two
        # please."): that many of the one ware the line before named.
        named = _ware_named_before(world, actor, ctx)
        if named is None and alone.group(0).strip(" .!").lower() == alone.group("n").lower():
            return None  # a bare number ("42!") asks for nothing
        if named is None:
            return _which_ware(world, actor, alone.group("n"), ctx)
        return _order_said(world, actor, f"{alone.group('n')} {named}", ctx, bare=True)
    ware = _WARE_ASKED.fullmatch(parts[-1])
    if ware is None or not (ware.group("count") or ware.group("please") or ware.group("then")):
        first = _WARE_ASKED.fullmatch(parts[0]) if len(parts) > 1 else None
        if first is None or not (first.group("count") or first.group("then")):
            return None
        # 'Stew, then. And whatever you know about those lights.' (played, in prose at
        # the bar: all said, and no stew): the ware bought, then the rest said.
        bought = _order_said(world, actor, first.group("ware"), ctx, bare=True)
        if bought is None or phrasing.refused(bought, actor.key):
            return None
        rest = " ".join(parts[1:])
        return [*bought, Then(actor.key, f"say {to}, {rest}" if to else f"say {rest}")]
    bought = _order_said(world, actor, ware.group("ware"), ctx, bare=True)
    if len(parts) > 1:
        # "stew first then. one bowl please" (played: a deed): the words, then the order.
        if bought is None or phrasing.refused(bought, actor.key):
            return None
        words = " ".join(parts[:-1])
        return [*cmd_say(world, actor, Intent("say", words, words), ctx), *bought]
    # "two potions please" at Tobin's counter (played: "You try to two potions
    # please."): the ware alone, as said to the shopkeeper by name.
    if bought is not None and phrasing.refused(bought, actor.key):
        # "potions please": one of them.
        one = _order_said(world, actor, singular(ware.group("ware")), ctx, bare=True)
        bought = one if one is not None and not phrasing.refused(one, actor.key) else bought
    if bought is not None and (ware.group("please") or not phrasing.refused(bought, actor.key)):
        return bought  # "lamp oil please": what the shopkeeper says of it
    return None


def _without_a_name_here(world: World, actor: Character, text: str) -> str:
    """``text`` without the name of someone of the world here that closes it, no comma
    ("one for me too please tobin": "one for me too please")."""
    head, _, last = text.rpartition(" ")
    if not head or not last.isalpha():
        return text
    named = search.find(search.npcs(world, actor.room), last)
    return head.rstrip(" ,") if named.thing is not None else text


#: How long after another's purchase "one for me too" asks for the same (seconds).
SAME_ORDER_WITHIN = 120.0
#: Asking for what another here just bought: "one for me too", "same for me", "I'll
#: have the same" (``same``: as many as they did).
_SAME_ORDER = re.compile(
    r"(?:and\s+)?(?:one\s+for\s+me(?:\s+too)?|make\s+(?:that|it)\s+two"
    # "i'll take one too", "me too" (played: said, and nothing bought).
    r"|i'?ll\s+(?:take|have)\s+one(?:\s+too)?|me\s+too"
    r"|(?P<same>(?:the\s+)?same\s+(?:for\s+me|here|again)|i'?ll\s+have\s+the\s+same))"
    r"(?:,?\s+please)?",
    re.I,
)
#: A count alone, as a ware asked for: "two please", "I'll take two", "3 of those".
_COUNT_ALONE = re.compile(
    r"(?:i'll\s+take\s+|we'll\s+take\s+|make\s+it\s+)?"
    r"(?P<n>one|two|three|four|five|six|\d+|a\s+couple)(?:\s+of\s+(?:those|them|these))?"
    r"(?:,?\s+(?:please|then))?",
    re.I,
)


def _which_ware(world: World, actor: Character, count: str, ctx: Ctx) -> list[Effect] | None:
    """A count alone ("two please") with no one ware named before it: the one ware the
    shopkeeper here sells, bought, or the question of which (played: "two please" after
    "what do you sell?" was "You try to two please."); None where no one sells here."""
    wares = [ware.name for ware in game.wares_here(world, actor.room)]
    if not wares:
        return None
    if len(wares) == 1:
        return game.order(world, actor, f"{count} {wares[0]}", ctx, sold_only=True)
    names = list_words([esc(plural(strip_article(w))) for w in wares])
    first = strip_article(wares[0])
    example = f"{count} {first if count.lower() in ('one', '1') else plural(first)} please"
    return _err(
        actor.key,
        f"{capitalise(count)} of what? Here you may buy {names}: say which, as in"
        f" '{esc(example)}'.",
    )


def _wares_named(world: World, actor: Character, text: str) -> list[str]:
    """The names of the wares of the shopkeeper here that ``text`` names (by a topic word
    of a ware's name or aliases); [] with no shop here."""
    wares = game.wares_here(world, actor.room)
    if not wares:
        return []
    said = lore.keywords(text)
    return [w.name for w in wares if said & lore.keywords(" ".join((w.name, *w.aliases)))]


def _names_a_ware(world: World, actor: Character, text: str) -> bool:
    """Whether ``text`` names a ware of the shopkeeper here ("do you have any stew?" in
    the tavern): a question of it is the counter's, not a companion's."""
    return bool(_wares_named(world, actor, text))


def _ware_named_before(world: World, actor: Character, ctx: Ctx) -> str | None:
    """The name of the one ware of the shopkeeper here that ``actor``'s line before
    named ("how much for healing potions?"), or None for none or more than one."""
    named = _wares_named(world, actor, ctx.recent[-1]) if ctx.recent else []
    return named[0] if len(named) == 1 else None


#: A ware asked for at a counter with no verb: "two potions please", "an ale, please".
_WARE_ASKED = re.compile(
    r"\W*(?P<ware>(?P<count>(?:a|an|one|two|three|four|five|six|\d+|a\s+couple\s+of)\s+)?"
    r"[\w'-]+(?:\s+[\w'-]+){0,3}?)"
    r"(?:(?P<please>,?\s+(?:(?:if\s+you\s+)?please|if\s+you(?:'d|\s+would|\s+will)\s+be\s+so\s+kind))"
    r"|(?P<then>,?\s+then))?"  # "stew, then": the ware chosen
    r"[\s.!]*",
    re.I,
)
#: An order said for the speaker's group: "we'll have...", "can we get...".
_WE = re.compile(r"^(?:\w+\s+)?we\b", re.I)


#: Where a shout is heard from, by the direction of the way back to the shouter.
_HEARD_FROM = {"up": "from above", "down": "from below", "in": "from inside", "out": "from outside"}


def earshot(world: World, room: str) -> list[tuple[str, str]]:
    """The rooms next to ``room`` that hear a shout in it, each with where the sound
    comes from as heard there ("from the north", "from above", "from nearby"): every
    room one exit away (hidden exits and shut doors carry sound too), once each, in the
    order of ``room``'s exits. Pure."""
    heard: list[tuple[str, str]] = []
    seen = {room}
    for ex in world.room(room).exits:
        if ex.to in seen or ex.to not in world.templates.rooms:
            continue
        seen.add(ex.to)
        back = next((e.direction for e in world.room(ex.to).exits if e.to == room), None)
        where = "from nearby" if back is None else _HEARD_FROM.get(back, f"from the {back}")
        heard.append((ex.to, where))
    return heard


def cmd_shout(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """shout <message>   (also: yell)

    Shout aloud: everyone in the room hears you, and so does anyone in the rooms next
    to it, who hears which way it came from.
    """
    text = intent.args.strip()[:MAX_SAY]
    if not text:
        return _err(actor.key, "Shout what?")
    quoted = styled("say", text)
    effects: list[Effect] = [*phrasing.act(actor, "{actor} {v:shout}, '{said}'", said=quoted)]
    for room, where in earshot(world, actor.room):
        heard = f"You hear {_name(actor)} shout {where}, '{quoted}'"
        effects.append(ToRoom(room, Doc.text(heard)))
    effects.append(LogChat("shout", actor.room, actor.name, None, text))
    return effects


def cmd_emote(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """emote <action>   (shortcuts: :action, /me action, *action*)

    Show the room what your character does: 'emote grins' shows 'Alice grins.'. A pose
    between stars may stand before or after words: '*grins* hello there' poses, then
    says; '*nods*' and '*waves at the crowd*' are the socials.
    """
    text = intent.args.strip()[:MAX_SAY]
    if not text:
        return _err(actor.key, "Emote what?")
    if len(_POSED.findall(text)) > MAX_POSES:
        # Played by a griefer: "*nods* " seventy times in one line was seventy "Mallory
        # nods." on every screen, each pose a command the flood rule never counted.
        return _err(actor.key, f"One line holds at most {MAX_POSES} poses between stars.")
    star = _POSED.search(text)
    prose = roleplay(text) if star is None else None
    if prose:
        return _roleplayed(world, actor, prose, ctx)
    if star is None:
        return [*_posed(world, actor, text), *_emote_does(world, actor, text, ctx)]
    before, pose = text[: star.start()].strip(), star.group(1).strip()
    after = text[star.end() :].lstrip(" .!").strip()
    if before:
        # "hello *waves*": the words first, then the pose. A turn asked for before it is
        # only said: the pose is the turn (played: "my turn. *runs his fingers along the
        # hearthstones*" searched the hearth as the one before had, then again).
        asked_turn = _turn_asked(before)
        asked = asked_turn is not None
        # In a fight, words before a pose are said: "wren! *swings at the warden*"
        # (played: the cry refused as no fight's command, and the blow with it).
        cried = _fights_here(world, actor)
        named = _thing_cried(world, actor, before)
        if named is None and _IT.search(pose):
            # Named in the words before, not cried out alone: "the lantern in her hand
            # looks like it could turn. *tries turning it*" (played: a pose, nothing
            # turned): the first thing here they name.
            named = next(
                (
                    " ".join(words[:n])
                    for m in _NAME_ONLY.finditer(before)
                    for words in [m.group(0).split()]
                    for n in range(2, len(words) + 1)
                    if _names_a_thing(world, actor, " ".join(words[:n]))
                ),
                None,
            )
        if named is not None and _IT.search(pose):
            # "the carved lantern! *tries turning it*" (played: "You act: the carved
            # lantern!", a deed, then the pose with "it" unknown): the words said, and
            # "it" the thing they name.
            said = _said_to_room(actor, before)  # a cry, to no one talked with
            referred = f"*{_refer(world, actor, pose, named)}* {text[star.end() :]}".strip()
            return [*said, Then(actor.key, f"emote {referred}")]
        verb = parse(before, ALIASES).verb
        # Words with no verb and a clause said to the others are words: "whatever's down
        # there, stay close. *opens the door*" (played: "You act: whatever's down there,
        # stay close.").
        spoken = not verb and any(is_spoken(c.strip(" .!")) for c in before.split(","))
        said = (
            cmd_say(world, actor, Intent("say", before, before), ctx)
            if asked or (cried and not verb) or spoken
            else dispatch(world, actor, parse(before, ALIASES), ctx)
        )
        posed_rest = f"emote {text[star.start() :]}"
        turn = _turn_deed(world, actor, asked_turn) if asked_turn is not None else ""
        if turn and not after and not _rolls(world, actor, posed_rest, ctx):
            # "let me try! *kneels and runs her hands over the lantern*" after another's
            # search of the altar (played: a pose and a deed narrated, nothing rolled):
            # a pose the rules roll nothing for is shown, and the turn is the deed tried.
            return [*said, *_posed(world, actor, pose), Then(actor.key, turn)]
        return [*said, Then(actor.key, posed_rest, before=before)]  # "it" of the words
    posed = _star_pose(world, actor, pose, ctx)
    # Shown as typed, "her" is read as "her" ("*shakes out her cloak*"); told as a deed
    # or a blow, as "their" ("*drives her blade at the gap under its helm*": played, the
    # room read "their blade" all campaign, and the player was never told why).
    shown = " ".join(e.text for e in posed if isinstance(e, LogChat) and e.kind == "emote")
    if (
        not _HIS.search(shown)
        and _reads_their(posed, actor)
        and not any(isinstance(e, PartyUpdate) and e.table == "hinted" for e in posed)
    ):
        # Before what the pose does next, which would be told it again (tried: the
        # hint twice for "*wades out to the altar and runs her hands over it*").
        at = next((i for i, e in enumerate(posed) if isinstance(e, Then)), len(posed))
        posed = [*posed[:at], *_pronoun_hint(world, actor, pose), *posed[at:]]
    # "*scoops up the potion* want it?": "it" is what the pose took.
    return [*posed, Then(actor.key, after, before=_made_mine(pose, actor))] if after else posed


def _thing_cried(world: World, actor: Character, words: str) -> str | None:
    """The thing here that ``words`` name when they are only its name, cried out or said
    ("the carved lantern!", "that lantern."), or their last sentence that is ("a locket!
    that must be edda's."), for an "it" after them; None for words with a verb, or
    naming nothing here."""
    for part in reversed(address.SENTENCE.split(words.strip())):
        # "a locket! that must be edda's.": the sentence that is a name alone.
        # "nice, a packet!": a word of surprise before the name (played: "*unwraps it*"
        # after it was posed, the packet never opened).
        bare = _SURPRISE.sub("", part.strip().rstrip(".!?").strip())
        if (
            _NAME_ONLY.fullmatch(bare)
            and not parse(bare, ALIASES).verb
            and _names_a_thing(world, actor, bare)
        ):
            return bare
    return None


#: A word of surprise or praise before a thing cried out: "nice, a packet!", "oh, the key".
_SURPRISE = re.compile(
    r"^(?:(?:oh|ah|aha|ooh|oho|look|hey|wow|huh|nice|great|yes|well|see|hah?)[,!.]*\s+)+", re.I
)
#: Words that are a thing's name alone: "the carved lantern", "that lantern".
_NAME_ONLY = re.compile(r"(?:the|that|this|a|an)\s+[\w'-]+(?:\s+[\w'-]+){0,3}", re.I)


def _roleplayed(
    world: World, actor: Character, prose: tuple[tuple[str, str], ...], ctx: Ctx
) -> list[Effect]:
    """A line of prose (``parser.roleplay``): its pose is a pose between stars (one's
    own name or "she" before it left out: "Tamsin leans on the bar" poses "leans on the
    bar") and its quoted words are said, in the order written; the second part is run
    once the first is done. Played: "Tamsin shakes the rain from her cloak and
    approaches the bar. "A bowl of that stew, if you'd be so kind."" read "You try to
    shake the rain from your cloak ... kind."." and no stew came."""
    lines: list[str] = []
    posed = " ".join(words for kind, words in prose if kind == "pose")
    # "whispers to Ann, "Mara is the thief"": whispered to the player, as 'whisper'
    # does (played: "Vex says to Ann, 'Mara is the thief'", for the whole room).
    hushed = _WHISPERED.search(posed) is not None
    hushed_to = _turned_to(world, actor, posed) if hushed else None
    if hushed_to is not None and not any(c.name == hushed_to for c in world.people_in(actor.room)):
        hushed_to = None
    for kind, words in prose:
        if hushed_to is not None:
            if kind == "say":
                lines.append(f"whisper {hushed_to} {words}")
            elif not _WHISPERED.search(words) and words.strip(" .!?,"):
                lines.append(f"*{words.strip().rstrip(' .')}*")
            continue
        if kind == "say":
            to = _turned_to(world, actor, posed)
            if (
                to is None
                and words.rstrip().endswith("?")
                and _walk_asked(world, actor, words, ctx) is not None
            ):
                # 'Mara gasps. "Too close. Back to the inn?"' (played: said, and her
                # leader's "ya" walked no one): a walk proposed, as typed alone.
                lines.append(words)
                continue
            last_said = address.SENTENCE.split(words.strip())[-1]
            if to is None and (
                _rest_stated(words) or (words.rstrip().endswith("?") and _asks_rest(words))
            ):
                # 'I sink down against the wall. "We rest here a moment before that
                # door."' (played: said, and no one rested): a rest proposed, as typed.
                lines.append(words)
                continue
            back = _spoken_to_by(world, actor, words, ctx) if to is None and "?" in words else None
            if back is not None and _YOU.search(unslipped(words)):
                # 'Tobias looks up from his stew. "It is. You here about the
                # cartographer?"' just after Bryn's "Rough night for it." to him (played:
                # asked of the innkeeper): put back to the one who spoke to him.
                to = back.name
            if (
                to is None
                and (_YOUR_WAY.match(last_said) or _remark_to_all(world, actor, words, ctx))
                and search.people(world, actor.room, besides=actor.key, viewer=actor.key)
            ):
                # ':glances toward the stairs. "You here about the cartographer too?"'
                # beside Tobias (played: asked of the innkeeper), 'Dreadful night, isn't
                # it?': the travellers', as typed alone.
                lines.append(words)
                continue
            if to is None and "?" in words and _asker_waiting(world, actor, ctx) is None:
                # Asked of no one by the pose: of the one here who knows of it, as the
                # words typed alone would be ("And that key? Is it yours?" beside Crake:
                # played, said to the room, and he said nothing), but aloud.
                knower = _knower(world, actor, words)
                npc = world.templates.npcs.get(knower) if knower is not None else None
                to = npc.name if npc is not None else None
            turn = _turn_asked(words.strip()) if to is None else None
            if turn is not None and _turn_deed(world, actor, turn):
                # ':sets a hand on her shoulder. "Let me have a look."' just after her
                # try at the papers (played: said, and nothing tried): a go asked, as
                # typed alone.
                lines.append(words)
                continue
            called = _name_called_alone(world, actor, words)
            if called is not None and not called.startswith("say "):
                # 'Oswin groans. "Bessa. Beds, please."': to her, as typed alone.
                lines.append(called)
                continue
            if to is not None and not (
                address.addressed(world, actor, words)
                or address.addressed_player(world, actor, words)
            ):
                # "Tamsin leans on the bar. "Any news of the cartographer?"" is asked of
                # the one behind it (played: said to the room, and no one answered).
                words = f"{to}, {words}"
            lines.append(f"say {words}")
            continue
        first, _, rest = words.partition(" ")
        if first.lower() in (f"{actor.name.lower()}'s", "her", "his", "their") and rest.strip():
            # "Tamsin's fingers trace the hurried words." (played: the whole line was a
            # deed): shown as written.
            lines.append(f"emote 's {rest.strip()}")
            continue
        told = _told_of(world, actor, words) if first.lower() == "i" else None
        if told is not None:
            # 'I shake the rain from my cloak. "Evening."': posed as "Ashe shakes the rain
            # from her cloak" is (played: the whole line a deed, "You try to shake ...").
            first, _, rest = told.partition(" ")
            words = told
        if first.lower().strip(",:") in (actor.name.lower(), "he", "she", "they", "i"):
            words = rest.strip()
        if words.strip(" .!?,") and _WHISPERED.search(words) and not _POSED.search(words):
            # "whispers to Bessa": a pose as written, not the whisper command (played:
            # "Usage: whisper <player> <message>").
            lines.append(f"emote {words.rstrip(' .')}")
        elif words.strip(" .!?,") and not _POSED.search(words):
            # "wipes her blade on her sleeve. She tosses him a potion." (played: one pose
            # shown, and the potion kept): a sentence of its own subject, a pose of its own.
            lines += [f"*{pose.rstrip(' .')}*" for pose in _own_poses(actor, words)]
        elif words.strip(" .!?,"):
            lines.append(words)
    if not lines:
        return []
    done = dispatch(world, actor, parse(lines[0], ALIASES), ctx)
    return [*done, *(Then(actor.key, line) for line in lines[1:])]


def _own_poses(actor: Character, words: str) -> list[str]:
    """``words`` of prose's pose as the poses they tell: each sentence after the first
    that opens with "she", "he", "they" or ``actor``'s name, a pose of its own without
    it; the whole as one otherwise (``_roleplayed``)."""
    told = address.SENTENCE.split(words.strip())
    subjects = {actor.name.lower(), "she", "he", "they"}
    if len(told) < 2 or not all(
        part.split(maxsplit=1)[0].lower() in subjects and len(part.split()) > 1 for part in told[1:]
    ):
        return [words]
    return [told[0], *(part.split(maxsplit=1)[1] for part in told[1:])]


#: A pose that whispers: "whispers to Ann", "leans in and whispers".
_WHISPERED = re.compile(r"\bwhisper(?:s|ing|ed)?\b", re.IGNORECASE)


def _turned_to(world: World, actor: Character, posed: str) -> str | None:
    """The name of the one NPC or player here whom a line of prose's pose turns to:
    named in it ("turns to Bessa", "nodding to the barkeep", "grins at Bob"), or, for
    none named, the one NPC here who talks when the pose is at the bar or counter;
    None otherwise."""
    said = " ".join(re.findall(r"[a-z0-9'-]+", posed.lower()))
    if not said:
        return None
    # Named as the one the pose is toward, not only beside: "steps between Hob and the
    # stranger. "Easy, friend."" is not to Hob (played: "You say to Hob, 'Easy, ...'").
    # The words after each such word are looked up, not every one here matched against
    # them (a crowd of 1,000).
    # "drops to his knees beside Kessa" is down beside her, not "to" anyone.
    toward = [
        [w.removesuffix("'s") for w in m.group(1).split()]
        for m in _TOWARD.finditer(_TO_KNEES.sub("kneels", said))
    ]
    named: set[str] = set()
    for thing in search.npcs(world, actor.room):
        for word in (thing.name.lower(), *thing.aliases):
            if any(" ".join(after[: len(word.split())]) == word.lower() for after in toward):
                named.add(thing.name)
    for after in toward:
        mate = address.player_meant(world, actor, after[0].removesuffix("'s"))
        if mate is not None:
            named.add(mate.name)
    if len(named) == 1:
        return named.pop()
    if named or not _AT_THE_BAR.search(said):
        return None
    talker = _sole_talker(world, actor)
    return world.templates.npcs[talker].name if talker is not None else None


#: Words a pose turns to someone by: "turns to Hob", "grins at Bessa", "regards Hob".
_TOWARD = re.compile(
    r"\b(?:to|at|toward|towards|facing|faces|regards|regarding|addresses|eyes|beckons"
    # Down beside them: 'kneels beside the cartographer. "Can you walk?"' (played: asked
    # of the companion who had last answered her).
    r"|(?:kneels?|kneeling|crouch(?:es|ing)?|squats?|squatting|bends?|bending)\s+(?:down\s+)?"
    r"(?:beside|next\s+to|by|over)"
    # A hand on them: 'sets a hand on Edda's shoulder. "Rest now."' (played: said to the
    # room).
    r"|hands?\s+(?:on|upon)"
    # Sat down with them: 'pulls up a stool beside the rogue. "Name's Pell. You here
    # about the cartographer too?"' (played: asked of the innkeeper, who knew of her).
    r"|(?:sits?|sitting|sat|settles?|settling|perch(?:es|ed|ing)?|stool|chair|seat|bench)"
    r"\s+(?:down\s+)?(?:beside|next\s+to|across\s+from|opposite)"
    r"|joins|joining|greets|greeting"
    # Helped up: 'helps Edda to her feet. "Lean on me."' (played: said to the room).
    r"|helps?|helping"
    # Looked over: 'looks Fen over. "First time?"' (played: asked of the room).
    r"|(?:looks?|looking|sizes?|sizing)(?=\s+[\w'-]+(?:\s+[\w'-]+)?\s+(?:over|up)\b))\s+"
    r"(?:the\s+)?([\w'-]+(?:\s+[\w'-]+){0,2})"
)
#: Where one stands to be served: "leans on the bar", "at the counter".
_AT_THE_BAR = re.compile(r"\b(?:bar|counter)\b")


#: A pose between stars among an emote's words: "*grins* hello".
_POSED = re.compile(r"\*([^*]+)\*")
#: The most poses between stars one emote may hold.
MAX_POSES = 3


def _wants_stop(last: str) -> bool:
    """Does a pose ending in ``last`` want a full stop put after it? After a letter or a
    digit of a script that writes one: not after a mark, a closing quote or bracket, an
    emoji, nor a Chinese or Japanese character (played: "Zoe lächelt und sagt «
    Enchantée! ».", "Xue 微笑んで手を振る 👋.")."""
    if not last.isalnum():
        return False
    return unicodedata.east_asian_width(last) not in ("W", "F")


#: Where a pose goes on to a second thing: "eyes Crake warily, then scoops up the key".
_POSE_GOES_ON = re.compile(r",?\s+(?:and\s+)?then\s+|,?\s+and\s+(?!(?<=\bup\sand\s)down\b)", re.I)


def _glance_then_deed(
    world: World, actor: Character, pose: str, word: str, ctx: Ctx
) -> list[Effect] | None:
    """A pose between stars that opens with a look or a social (``word``, its first word)
    and goes on, after "and" or "then", to a thing done ("eyes Crake warily, then scoops
    up the rusty key", "nods to Crake, then picks up the key"): the first part posed and
    the rest done after it (a ``Then``); None otherwise. Played: the key left lying, and
    "You say, 'then pick up the key'"."""
    plain = _plain_verb(word) or word
    if not (plain in _LOOKING or word in _LOOKING or world.templates.social(plain) is not None):
        return None
    # A "then" first, then each "and": "nods to Crake and Dov, then picks up the key"
    # (found in review: parted inside the list of those nodded to, and the key left).
    joints = sorted(_POSE_GOES_ON.finditer(pose), key=lambda j: "then" not in j.group(0).lower())
    for joint in joints[:3]:
        head, later = pose[: joint.start()].strip(), pose[joint.end() :].strip()
        if not head or not later:
            continue
        trial = _star_pose(world, actor, later, evolve(ctx, rng=ctx.rng.fork()))
        if any(
            isinstance(e, (Move, Transfer, SetDoor, Rolled, CharUpdate, SpawnItem, SetPose))
            or (isinstance(e, AskNarration) and e.kind == "action" and e.outcome.kind != "none")
            for e in trial
        ):
            return [*_star_pose(world, actor, head, ctx), Then(actor.key, f"*{later}*")]
    return None  # "nods and smiles", "glances at Crake and shrugs": one pose


#: The doings an emote may tell that, posed between stars, change the world: a thing
#: taken, a door opened, a way walked, a blow struck.
_EMOTED_DOINGS = frozenset(
    """get take pick grab scoop pocket snatch lift raise open unlock push pull haul shove
    climb descend ascend go walk head step enter leave wade drop swing strike attack stab
    hit slash drive lunge thrust smash kick hurl throw""".split()  # noqa: SIM905
)


def _past_someone_here(world: World, actor: Character, words: str) -> str:
    """``words`` without the name of someone here that opens them ("Edda his arm": "his
    arm"), or ``words`` themselves. Pure."""
    pool = [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]
    to_one, after_one = search.find_leading(pool, words.strip())
    return after_one.strip() if to_one.thing is not None else words.strip()


def _emote_does(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """For a plain emote (``text``, shown, not done) that, posed between stars, would take
    a thing, open a door, walk a way out of here or strike a blow ("picks up the scrap of
    map and turns it toward the window light.", "lifts her lantern-mace and climbs the
    creaking stairs.", "swings her lantern-mace at the drowned thing" on her turn): a
    word telling ``actor`` that it only shows, and how it is done; [] otherwise, and at
    once for words of no such doing (``_EMOTED_DOINGS``). Played: Marigold emoted the
    climb, and her "east" read "You cannot go east from here."; Tobias emoted taking the
    map, and it lay where it was."""
    plains = {_plain_verb(w) or w for w in re.findall(r"[a-z]+", text.lower())}
    if not plains & _EMOTED_DOINGS:
        # Looked at only for words of such a doing: every emote is not tried as a pose
        # (a trial costs a millisecond; ":grins" tens of microseconds).
        return []
    trial = evolve(ctx, rng=ctx.rng.fork())
    last = _AND_THEN.split(text.strip().rstrip(".!"))[-1]
    word, _, how = last.partition(" ")
    climber = _plain_verb(word.lower()) or word.lower()
    climbed = _climb(world, actor, climber, how, trial) if climber in _CLIMB else None
    if climbed is not None and any(isinstance(e, Move) and e.who == actor.key for e in climbed):
        way = _climb_way(climber, how)
        hint = (
            f"(An emote only shows. To climb, type '{way}', or pose it between stars: '*{last}*'.)"
        )
        return [Tell(actor.key, Doc.text(tag("dim", esc(hint))))]
    posed = text.strip().rstrip(".!")
    done = _star_pose(world, actor, posed, trial) if len(posed.split()) > 1 else []
    if not any(
        (isinstance(e, Move) and e.who == actor.key)
        or (isinstance(e, Transfer) and f"char:{actor.key}" in (e.src, e.dst))
        # A blow: "swings her lantern-mace at the drowned thing" on her turn
        # (played: shown, and the turn ran out).
        or isinstance(e, (SetDoor, FightEvent, NpcUpdate))
        for e in done
    ):
        return []
    hint = f"(An emote only shows. To do it, pose it between stars: '*{posed}*'.)"
    return [Tell(actor.key, Doc.text(tag("dim", esc(hint))))]


def _posed(world: World, actor: Character, text: str) -> list[Effect]:
    """``text`` shown as the actor's pose to everyone here, the actor too ("Alice grins
    at the fire."): a full stop is put after words that end without a mark. A pose that
    writes in another voice (``forgery.forged``: "Quest complete!", "Ann waves back.",
    "(admin)") is refused, and only its player is told why."""
    shown = f"{text}." if _wants_stop(text[-1]) else text
    # "emote 's eyes narrow": "Alice's eyes narrow.", as MUDs have it.
    between = "" if shown.startswith(("'s ", ", ")) else " "
    part, voice = forgery.forged(f"{actor.name}{between}{shown}", actor.name, game.voices(world))
    if part:
        return _err(actor.key, forgery.why(actor.name, part, voice))
    # Each player the pose names reads it as done to them: "Dax kicks you in the shins"
    # (played by a griefer: Juno read "Dax kicks Juno in the shins ...").
    named = _players_named(world, actor, shown)
    shown = _as_their_names(shown, named.values())
    line = f"{_name(actor)}{between}{styled('emote', shown)}"
    theirs = [
        Tell(key, Doc.text(f"{_name(actor)}{between}{styled('emote', _to_you(shown, name))}"))
        for key, name in named.items()
    ]
    return [
        Tell(actor.key, Doc.text(line)),
        *theirs,
        ToRoom(actor.room, Doc.text(line), exclude=(actor.key, *named)),
        # Logged as shown, full stop and all: the room's recent talk reads it back
        # (played: "Recently said here:" showed "Ash waves" with no stop).
        LogChat("emote", actor.room, actor.name, None, shown),
    ]


def _players_named(world: World, actor: Character, text: str) -> dict[str, str]:
    """The players beside ``actor`` that words of ``text`` name (key: name), by its
    words looked up, not everyone here walked (a crowd of 1,000)."""
    return {
        mate.key: mate.name
        for word in set(re.findall(r"[A-Za-z][\w'-]*", text))
        if (mate := address.player_beside(world, actor, word.removesuffix("'s"))) is not None
        and mate.key != actor.key
    }


def _as_their_names(text: str, names: Iterable[str]) -> str:
    """``text`` with each of ``names`` written as it is, as typed or not: "pats alice's
    shoulder" reads "pats Alice's shoulder". Pure."""
    for name in names:
        text = re.sub(rf"\b{re.escape(name)}\b", name, text, flags=re.I)
    return text


def _to_you(text: str, name: str) -> str:
    """``text`` (markup-safe words of a pose, after its doer's name) as ``name`` reads
    it: their name "you" (and a verb after it agreeing), "<name>'s" "your",
    capitalised where a later sentence opens. Pure."""
    text = re.sub(rf"\b{re.escape(name)}'s\b", "your", text, flags=re.I)
    # A verb after the name agrees with "you" ("Tova has left": played as a griefer's
    # pose, read "You has left" by Tova).
    text = re.sub(
        rf"\b{re.escape(name)}\s+([a-z]+)\b",
        lambda m: (
            f"you {_YOU_FORMS.get(m.group(1).lower()) or _plain_verb(m.group(1)) or m.group(1)}"
        ),
        text,
        flags=re.I,
    )
    text = re.sub(rf"\b{re.escape(name)}\b", "you", text, flags=re.I)
    # Capitalised where a later sentence opens (the pose's first follows the name).
    return re.sub(r"([.!?]\s+)you\b", lambda m: m.group(1) + "You", text)


#: Verbs whose form with "you" is no plain form of theirs.
_YOU_FORMS = {"is": "are", "was": "were", "has": "have", "does": "do"}


#: A weapon drawn: "I draw my sword", "draws her dagger", "unsheathes the longsword".
_DRAWING = re.compile(
    r"^\W*(?P<who>[\w'-]+\s+)?(?:draw|draws|unsheathe|unsheathes|ready|readies|bare|bares)\s+"
    r"(?P<what>[^,.!?;]+?)\s*[.!]*$",
    re.I,
)


def _weapon_drawn(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """A weapon of one's own drawn, typed or posed, in the first person or with one's
    name ("I draw my sword", "Ashe draws her sword"): wielded, or, held already, shown as
    posed (played: "I draw my sword." read "You try to draw your sword.", narrated as a
    deed); None for any other line."""
    drawn = _DRAWING.match(text.strip())
    if drawn is None:
        return None
    who = (drawn.group("who") or "").strip().lower()
    if who and who not in ("i", actor.name.lower()):
        return None
    what = re.sub(r"^(?:my|his|her|their|the)\s+", "", drawn.group("what").strip(), flags=re.I)
    found = search.find(search.carried(world, actor), what).thing
    if found is None or found.kind != "item" or world.item_template(found.ref).kind != "weapon":
        return None
    if actor.equipment.get("weapon") == found.ref:
        told = game.own_words(drawn.group("what").strip(), by_actor=False, actor=actor)
        return _posed(world, actor, f"draws {told}")
    return dispatch(world, actor, Intent("wield", what, text), ctx)


#: Going aboard, and onto what: "board the ferry", "step aboard", "climb onto the raft",
#: "get on the boat"; what is done after it parted off ("and settle on the bench").
_BOARDING = re.compile(
    r"^\W*(?:i\s+)?(?:(?:board|boards|embark|embarks)(?:\s+(?:on|onto))?\s*(?P<what>[^,.!?]*?)"
    r"|(?:step|steps|climb|climbs|get|gets|go|goes|hop|hops|jump|jumps|clamber|clambers"
    r"|scramble|scrambles)\s+(?:aboard|on\s*board|onto|on)\s*(?P<what2>[^,.!?]*?))"
    r"(?:\s*(?:,|\.|\band\b|\bthen\b)\s*(?P<rest>.*?))?[.!\s]*$",
    re.I,
)
#: What is boarded, when the words name nothing: a room called so.
_VESSELS = frozenset({"ferry", "boat", "raft", "barge", "ship", "punt", "skiff", "deck"})


def _boarded(world: World, actor: Character, text: str) -> tuple[str, str] | None:
    """(the way, what is done after) of ``text`` going aboard a vessel that is the room
    one way from ``actor``'s ("board the ferry" at the ferry stage, whose way east is
    Gannet's Ferry): the room whose name has a word of what it names, or, named by no
    word of its own ("step aboard"), of a vessel (``_VESSELS``); None when no one room
    is, or the line is no boarding."""
    found = _BOARDING.match(text.strip())
    if found is None:
        return None
    what = found.group("what") if found.group("what") is not None else found.group("what2")
    wanted = {w for w in re.findall(r"[a-z]+", (what or "").lower())} - {"the", "a", "an"}
    if not wanted and re.search(r"\b(?:aboard|board|embark|embarks|boards)\b", text, re.I) is None:
        return None  # "go on", "get on": going on, not aboard
    room = world.room(actor.room)
    ways = []
    for ex in room.exits:
        if not exit_visible(world, room.id, ex.direction, ex.hidden, actor.key):
            continue
        there = world.templates.rooms.get(ex.to)
        if there is None:
            continue
        called = {w for w in re.findall(r"[a-z]+", there.name.lower())}
        if (wanted and wanted & called) or (not wanted and called & _VESSELS):
            ways.append(ex.direction)
    return (ways[0], (found.group("rest") or "").strip()) if len(ways) == 1 else None


#: A door's handle tried, as one opens it: "try the handle of the east door", "tries
#: the door", "turn the knob".
_HANDLE_TRIED = re.compile(
    r"^\W*(?:try|tries|turn|turns|rattle|rattles|test|tests)\s+"
    r"(?P<what>(?:the\s+)?(?:(?:handle|knob|latch)\b.*|(?:[\w'-]+\s+)?doors?\b.*))$",
    re.I,
)


#: A door pushed or pulled open: "push it open", "shoves the iron door open".
_PUSHED_OPEN = re.compile(
    # "I push open the door to the east" too (played: a STR check rolled, and no one
    # went through the open way).
    r"^\W*(?:i\s+)?(?:push|pushes|shove|shoves|pull|pulls|heave|heaves|haul|hauls|swing|swings)"
    r"\s+(?:(?P<what>.+?)\s+open|open\s+(?P<what2>.+?))"
    # And what is done next: "hauls the trapdoor open and peers into the dark below"
    # (played: "You try to haul the trapdoor open and peer ...", and it stayed shut).
    r"(?:,?\s+(?:and\s+then|and|then)\s+(?P<then>[^.!?]+))?\W*$",
    re.I,
)


#: A drink given to another, in words or a pose: "tips a healing potion between her
#: lips", "pour the potion down ilse's throat", "feeds ilse a potion".
_FED = re.compile(
    r"^\W*(?:(?:tip|pour|press|hold|put|force|dribble|ease|bring|lift|raise|give|get)(?:es|s)?\s+"
    r"(?:(?:a|an|my|his|her|their|the|some|one\s+of\s+my)\s+)?(?P<what>[\w' -]+?)\s+"
    r"(?:between|into|down|to|past|in|against|up\s+to)\s+(?P<whose>[\w'-]+)\s+"
    r"(?:lips|mouth|throat)"
    r"|(?:feed|feeds)\s+(?P<who>[\w'-]+)\s+(?:(?:a|an|my|the|some|one\s+of\s+my)\s+)?"
    r"(?P<thing>[\w' -]+?))\b[\s,.!*]*$",
    re.I,
)
#: The cheap test before ``_FED``: most lines say none of it.
_FED_CHEAP = re.compile(r"\b(?:lips|mouth|throat|feeds?)\b", re.I)


def _fed(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """What ``text`` (a line or a pose) giving another player a drink does
    (``game.give_to_drink``), when it names a consumable ``actor`` carries and a player
    here to drink it ("her": the one down here); None otherwise. Played at the Warden:
    "ilse! *tips a healing potion between her lips*", Ilse down, was "You are in a
    fight: ...", and no potion was any help."""
    found = _FED.match(text.strip().strip("*"))
    if found is None:
        return None
    what = found.group("what") or found.group("thing") or ""
    whom = found.group("whose") or found.group("who") or ""
    to = game.drinker(world, actor, whom)
    item = search.find(search.carried(world, actor), what, search.CARRIED).thing
    if to is None or item is None:
        return None
    if to.key == actor.key:
        return game.cmd_drink(world, actor, Intent("drink", what, f"drink {what}"), ctx)
    return game.give_to_drink(world, actor, to, item.ref, ctx)


def _star_pose(world: World, actor: Character, pose: str, ctx: Ctx) -> list[Effect]:
    """A pose typed between stars: a social ("*nods*", "*sigh*", "*waves at the
    crowd*"), a command in the third person ("*opens the trapdoor*", "*sits by the
    fire*") or a deed at a thing here, or one the room's words speak of ("*rifles
    through the papers*") is run as the line it is; anything else is shown as typed
    ("*shakes out his cloak*": "Dov shakes out his cloak."), one plain word put in the
    third person ("*facepalm*": "Dov facepalms.")."""
    typed = pose
    fed = _fed(world, actor, pose, ctx) if _FED_CHEAP.search(pose) else None
    if fed is not None:
        return fed
    own = _own_power_named(world, actor, pose)
    if own is not None:
        # "*gasps, then grits her teeth and finds her second wind*" (played: "You gasp.",
        # then "You are in a fight: ..."): the pose shown, and the power used.
        return [*_posed(world, actor, pose), *powers.use(world, actor, own, "", ctx)]
    closing = _power_closing(world, actor, pose, ctx)
    if closing is not None:
        return closing
    manner, _, after = pose.partition(" ")
    if _MANNER.fullmatch(manner) and after.strip():
        # "*quietly pockets the rusty key*": the deed without its manner (played: a
        # pose, and the key left lying).
        pose = after.strip()
    # "drops to his knees beside Kessa and lays a hand on her brow" (played, Kessa down
    # in the eel-catcher's fight: "You are not carrying 'to my knees beside Kessa'."):
    # a kneel, not a thing dropped.
    pose = _TO_KNEES.sub(lambda m: "kneels" if m.group(1).lower().endswith("s") else "kneel", pose)
    if _AT_ANOTHER.search(pose) and search.people(
        world, actor.room, besides=actor.key, viewer=actor.key
    ):
        # 'Mara leans over his shoulder.' beside Jax (played: "You try to lean over your
        # shoulder.", narrated as a deed): a gesture at another's side is a pose.
        return _posed(world, actor, typed)
    joined = _JOINS.match(pose)
    if joined is not None and address.player_meant(world, actor, joined.group(1)) is not None:
        # "*joins the rogue at the bar*" (tried: "You try to join the rogue at the
        # bar.", the bar taken for the deed's thing): one's place beside a player, posed.
        return _posed(world, actor, typed)
    posture = parse(pose, ALIASES)
    if posture.verb in ("stand", "sit") and not pose.lower().startswith(posture.verb):
        # "*staggers to her feet*" after a fall (tried: the pose shown, and she stayed
        # on the floor), "*sinks into a chair by the fire*" (played: she stood as
        # before): shown as posed, and taken.
        stood = dispatch(world, actor, posture, ctx)
        return [
            *_posed(world, actor, typed),
            # What the pose goes on to tell is shown with it, not done again.
            *(e for e in stood if not isinstance(e, (Tell, ToRoom, LogChat, Then))),
        ]
    first, _, rest = pose.partition(" ")
    word = first.lower().strip(",.!")
    glance = _glance_then_deed(world, actor, pose, word, ctx)
    if glance is not None:
        return glance
    nodded = world.templates.social(word) if first.endswith(",") else None
    if nodded is not None and (
        _participle(world, rest.split(maxsplit=1)[0].lower()) is not None or _as_one_is(rest)
    ):
        # "*nods, sinking down against the wall*" (played: "You nod." and "You try to
        # sinking down against the wall."), "*nods, water dripping from his mail*"
        # (played: "You try to water dripping from his mail."): the gesture as one does
        # it, a pose, and a
        # nod to a rest or a walk asked of one still says yes.
        yes = _nodded_yes(world, actor, ctx) if nodded.word in _YES_NODS else []
        return [*_posed(world, actor, typed), *yes]
    head_pose, comma, tail = pose.rpartition(", ")
    doing_then = _participle(world, tail.split(maxsplit=1)[0].lower()) if comma and tail else None
    if (
        (doing_then is not None or (comma and _as_one_is(tail)))
        and "," not in head_pose
        and not set(_plain_of_ing(tail.split(maxsplit=1)[0])) & _STRIKES
    ):
        # "*leans on her knees, gasping*" (played: "You try to lean on your knees." and
        # "You try to gasping."), "*leans on the bar, water dripping from her cloak*"
        # (played: "You try to water dripping ..."): what one does as one does it, or
        # how one is, goes with it; when the
        # first part only poses or is tried, the whole is the pose, else the whole is
        # read as ever ("*runs her hands over the carving, searching for a catch*").
        # A trial, its dice its own: the line's are for what it does.
        done = _star_pose(world, actor, head_pose, evolve(ctx, rng=ctx.rng.fork()))
        if all(isinstance(e, (Tell, ToRoom, LogChat, AskNarration, PartyUpdate)) for e in done):
            return _posed(world, actor, typed)
        doing_as = _plain_of_ing(tail.split(maxsplit=1)[0]) if doing_then is not None else []
        if all(isinstance(e, (Tell, ToRoom, LogChat, SetPose)) for e in done) and not any(
            game.is_action_word(world, actor, plain) for plain in doing_as
        ):
            # "*rises, buckling on her mace*" from the bench (played: "You act: rises,
            # buckling on her mace"): the pose taken, and shown as typed; not when what
            # is done with it is a thing the rules try ("*kneels by the hearth, searching
            # the stones*", "*kneels before the altar, praying to the saint*": found in
            # review, the search and the prayer lost).
            return [*(e for e in done if isinstance(e, SetPose)), *_posed(world, actor, typed)]
    doing = _participle(world, word)
    if doing is not None:
        # "*smiling*", "nodding to the barkeep" (after a quotation): played and tried,
        # "Maren smilings." and "Maren nodding to the barkeep.". A social's word is the
        # social ("nod to the barkeep"); anything else is what one is doing.
        if doing:
            return dispatch(world, actor, parse(f"{doing} {rest}".strip(), ALIASES), ctx)
        return _posed(world, actor, f"is {pose.strip()}")
    social = world.templates.social(word)
    if social is not None and (
        not _said_of_a_thing(world, actor, rest) or _aimed_in_words(world, actor, social, rest)
    ):
        return dispatch(world, actor, parse(pose, ALIASES), ctx)
    if social is not None and _GESTURED.match(rest):
        # "*nods at the key*": a gesture at a thing, shown (played: "You try to nod at
        # the key.").
        return _posed(world, actor, typed)
    plain = _plain_verb(word)
    if (plain in _LOOKING or word in _LOOKING) and _LOOKED_FROM.match(rest):
        # 'Mara glances up from her stew. "Thinking about it."' (played: the stew of
        # the room's words was looked at): a look away from a thing is a pose.
        return _posed(world, actor, typed)
    looked = _LOOKED_AT.sub("", rest).strip()
    if (
        (plain in _LOOKING or word in _LOOKING)
        and looked
        and (_names_a_thing(world, actor, looked) or _thing_in_words(world, actor, looked))
    ):
        # "*eyes the key on the floor*" (played: "You try to eye the key on the floor."):
        # the room sees the look, and the one looking sees the thing; of things named
        # one after another, each named here ("*eyes the sleeping man, then the rusty
        # key*": played, "You see no 'sleeping man' here." after the pose).
        seen: list[Effect] = []
        for part in _ONE_AFTER_ANOTHER.split(looked):
            thing = _WHERE_AFTER.split(part.strip())[0]  # "the key on the floor": the key
            if not thing or not _names_a_thing(world, actor, thing):
                continue
            one = dispatch(world, actor, parse(f"look at {thing}", ALIASES), ctx)
            seen += [] if phrasing.refused(one, actor.key) else one
        return [*_posed(world, actor, typed), *seen]
    if (plain in _LOOKING or word in _LOOKING) and looked and _LOOKED_AT.match(rest):
        # "*glances at the old man*" beside Crake (played: "You see no 'old man' here.",
        # and the room saw nothing): a look at what the room knows by no such name is
        # the pose alone.
        return _posed(world, actor, typed)
    if (
        (plain in _LOOKING or word in _LOOKING)
        and looked
        and not _LOOKING_INTO.match(rest)
        and direction_of(rest.split()[0].strip(",.!")) is None
    ):
        # "*watches the mist thin*" on the ferry (played after "leans on the rail and":
        # "You try to watch the mist thin.", narrated as a deed): a look at the room's
        # own scenery, no thing of it, is the pose alone.
        return _posed(world, actor, typed)
    faced = (plain or word) == "face" and re.match(r"\s*(?:the|a|an)\s+\S", rest) is not None
    if faced or (_FACING.match(rest) is not None and (plain or word) in _TURNING_TO):
        # "*turns to the iron door*", "I turn to the iron door." (played: "You try to
        # turn to the iron door.", narrated "You take a moment over it"): which way one
        # faces, a pose.
        return _posed(world, actor, typed)
    power = powers.power_named(world, actor, pose) or (
        powers.power_named(world, actor, f"{plain} {rest}") if plain is not None else None
    )
    if power is not None:
        # "*bless me*", "*blesses dunn*": one's calling's power (played: "Sorrel bless
        # me.", a pose, in the Warden's fight).
        return powers.use(world, actor, power[0], power[1], ctx)
    dead = _struck_dead_in(world, actor, pose)
    if dead is not None:
        return dead
    if (plain or word) in _DRUNK_DOWN and search.find(search.carried(world, actor), rest).ok:
        # "*downs a healing potion*" (played in the Warden's fight: read as a way down,
        # and refused): drunk.
        return dispatch(world, actor, Intent("drink", rest, pose), ctx)
    if _INTO_SHADOWS.match(pose):
        # "*slips into the shadows*" (tried as a new rogue: a pose, and in plain sight).
        return dispatch(world, actor, parse("hide", ALIASES), ctx)
    if actor.hidden and _OUT_OF_SHADOWS.match(pose):
        # Out of them, the coming out alone (tried: the room read "Tam steps out of the
        # shadows." twice, the coming out and then the pose).
        return stealth.reveal(world, actor)
    held = _HELD_OUT.match(pose) or _OFFERED.match(pose)
    if held is not None:
        # "*holds it out to her*", the saint's lantern named to Sister Aldith (played: a
        # pose, and the lantern kept): given, when it can be; else only posed.
        parts = held.groupdict()
        what, whom = parts["what"] or parts["what2"], parts["who"] or parts.get("who2")
        if whom and whom.lower() in ("him", "her", "them"):
            # "tosses him a potion": the one other player here, as a drink is given.
            to = game.drinker(world, actor, whom)
            whom = to.name if to is not None and to.key != actor.key else whom
        given = dispatch(world, actor, parse(f"give {what} to {whom}", ALIASES), ctx)
        if not phrasing.refused(given, actor.key):
            return [*_posed(world, actor, pose), *given]
    if _TRIED_AGAIN.match(pose) and _fights_here(world, actor):
        # "*tries again, lower*" on one's turn, after a blow that missed (played: a
        # pose, and the turn ran out): the pose, and a blow at whom 'attack' strikes.
        return [
            *_posed(world, actor, pose),
            # Told in one's own words, as the parser makes them (played: "You swings
            # again, harder, and the blow finds its mark.").
            *game.cmd_attack(world, actor, Intent("attack", "", _made_mine(pose, actor)), ctx),
        ]
    led = _LEADING_OFF.match(pose)
    if led is not None:
        # "*leads the way up the creaking stairs*", "I lead the way upstairs" (played:
        # said, and the lead handed to the companion): the leader walks, and the group
        # follows. Tried first on a fork of the dice, as a walk below is.
        way = led.group("way")
        # The way as said, else the place it names: "out along the reed path" at the
        # eel-catchers' landing, whose way there is south (played: a pose, no one went).
        place = _LEAD_WORDS.sub("", way)
        first = way.split()[0]
        # "east onto the salt bank": the way named first is the way gone.
        named = [f"go {first}"] if direction_of(first) is not None and first != way else []
        tries = (f"go {way}", *named, *([f"go to {place}"] if place and place != way else []))
        for walked in tries:
            walk = parse(walked, ALIASES)
            tried = dispatch(world, actor, walk, evolve(ctx, rng=ctx.rng.fork()))
            if any(isinstance(e, Move) for e in tried):
                return dispatch(world, actor, walk, ctx)
    if (plain or word) in _SETTING_OFF | _CLIMB:
        # After hiding's own words ("*steps out of the shadows*" is no walk out):
        # "*heads for the stairs*", "*climbs the ladder*" (played after '"Follow me."':
        # a pose, and no one went up): walked, as typed without the stars.
        # Tried on a fork of the dice: "*runs her hands over the carving*" is no walk,
        # and its search rolls the world's own.
        walk = parse(f"{plain or word} {rest}", ALIASES)
        tried = dispatch(world, actor, walk, evolve(ctx, rng=ctx.rng.fork()))
        if any(isinstance(e, Move) for e in tried):
            return dispatch(world, actor, walk, ctx)
    approach = _APPROACH.fullmatch(rest.strip()) if (plain or word) in _APPROACHING else None
    if approach is not None and _names_a_thing(world, actor, approach.group("thing")):
        # "*wades out to the altar and runs her hands over the carving*" (played: "You
        # cannot go out from here."): a step to a thing here is shown, and what is
        # done there is done.
        thing = approach.group("thing")
        shown = _posed(world, actor, pose[: len(pose) - len(rest)] + rest[: approach.end("thing")])
        then = approach.group("then")
        if not then:
            return shown
        return [*shown, Then(actor.key, f"*{_refer(world, actor, then, thing)}*")]
    # Made to someone here first: "offers Edda his arm" (played: "You try to offer Edda
    # your arm.", narrated as a deed).
    gesture = (plain or word) in _GESTURES and _OWN_BODY.match(
        _past_someone_here(world, actor, rest)
    )
    with_gear = (plain or word) in _HELD_GESTURES and _own_held(world, actor, rest)
    if _OWN_BODY.fullmatch(rest.strip(" .!")) or gesture or with_gear:
        # And however it is made: "*raises both hands, palms open*" (played: "You try
        # to raise both hands, palms open.", narrated "You set to it without fuss.").
        # "offers his hand" to the cartographer (played: "You try to offer your hand.",
        # 'offer' a command of other MUDs): done with one's own body, a pose.
        return _posed(world, actor, typed)
    pushed = _PUSHED_OPEN.match(pose)
    if pushed is not None:
        # "*hauls the trapdoor open and peers into the dark below*": opened, and the
        # rest posed after it.
        what = pushed.group("what") or pushed.group("what2")
        opened = dispatch(world, actor, Intent("open", what, pose), ctx)
        if not phrasing.refused(opened, actor.key):
            then = pushed.group("then")
            return [*opened, *([Then(actor.key, f"*{then.strip()}*")] if then else [])]
    if (
        word in ALIASES
        or (plain is not None and plain in ALIASES)
        or _HANDLE_TRIED.match(pose)
        or _ONESELF.match(rest)  # "*hurls herself at the drowned thing, dagger first*"
    ):
        return dispatch(world, actor, parse(pose, ALIASES), ctx)
    if not rest and plain is None and word.isalpha() and typed == pose:
        # An English verb is put in the third person ("*facepalm*": "Dov facepalms.");
        # a word of another language is shown as typed (played: "Xue お辞儀をするs.",
        # "Zoe lächelts.").
        return _posed(world, actor, phrasing.third_person(word) if word.isascii() else first)
    later = _AND_THEN.split(_made_mine(pose, actor), maxsplit=1)[1:]
    if later and plain is not None and plain not in ALIASES:
        # "*lifts his lantern and climbs the stairs*" (played: "You lift your lantern and
        # climb the stairs.", a STR check, and no one went up): what one does on the way
        # is posed, and the way walked.
        onward, _, how = later[0].partition(" ")
        climber = _plain_verb(onward.lower()) or onward.lower()
        if climber in _CLIMB and (
            _climb(world, actor, climber, how, evolve(ctx, rng=ctx.rng.fork())) is not None
        ):
            head = _AND_THEN.split(typed, maxsplit=1)[0]
            return [*_posed(world, actor, head), Then(actor.key, f"*{later[0]}*")]
    if later and _social_closing(world, later[0]):
        # "*shakes the rain off her cloak and nods to the two by the fire*" (played,
        # round 63: "Kestrel tries to shake the rain off their cloak and nod ...", the
        # fire of the nod's words taken for a thing handled): a gesture after "and" is
        # the pose's, and the first part is judged alone.
        head = _AND_THEN.split(typed, maxsplit=1)[0]
        alone = _star_pose(world, actor, head, evolve(ctx, rng=ctx.rng.fork()))
        if all(isinstance(e, (Tell, ToRoom, LogChat)) for e in alone):
            return _posed(world, actor, typed)
    # One's own head is no thing of the room's: "*inclines his head*" (played: "You try
    # to incline your head.", the tavern's words "close over your head" taken for it).
    at = _ABSOLUTE.sub("", _OWN_BODY.sub("", rest))
    if plain is not None and (
        # "*swings the lantern-mace at the rat*" (played: a pose)
        (plain in _STRIKES and (plain not in _SENT_HOME or _fights_here(world, actor)))
        or game.blow_in_words(world, actor, pose)  # "*brings the mace down on its skull*"
        or _names_a_thing(world, actor, at)
        or _thing_in_words(world, actor, at)
        or scenery(world.room_text(actor.room, actor.key), at)
        or (later and not _bodily(later[0]) and _doable(world, actor, later[0], ctx, decided=False))
    ):
        # "*rifles through the papers on the table*" in Edda's room, of a thing here:
        # a deed, as "rifles through ..." is (played: a pose, and the clue unfound).
        deed = parse(pose, ALIASES)
        done = dispatch(world, actor, deed, ctx)
        said = any(isinstance(e, LogChat) and e.kind == "say" for e in done)
        if plain in _STRIKES and said and _fights_here(world, actor):
            # "*swings with everything she has*" (played on her turn at the Warden:
            # read as a thing said of "swings", and no blow): at whom 'attack' strikes.
            struck = _strike(world, actor, rest, _made_mine(pose, actor), ctx)
            if struck is not None:
                return struck
        if said and not deed.verb:
            # 'Mara rubs her head. "Yes. Gods, yes."' just after Jax asked her (played:
            # "You say to Jax, 'rub my head'", the pose taken for her answer): a pose
            # between stars is no words said.
            return _posed(world, actor, typed)
        if deed.verb or not (_fights_here(world, actor) and phrasing.refused(done, actor.key)):
            return done
        # In a fight, a deed of no command refused ("*raises the lantern mace high*",
        # the mace held: played, "You are in a fight: attack, ..."): shown as posed.
    return _blow_closing(world, actor, pose, ctx) or _posed(world, actor, typed)


def _social_closing(world: World, part: str) -> bool:
    """Whether ``part``, what a pose does after "and", is a social gesture ("nods to the
    two by the fire", "smiles", "waves at bessa"): its first word, in the third person
    or not, a social of the world. Pure."""
    verb = part.split(maxsplit=1)[0].lower().strip(",.!") if part.strip() else ""
    return bool(verb) and world.templates.social(_plain_verb(verb) or verb) is not None


def _power_closing(world: World, actor: Character, pose: str, ctx: Ctx) -> list[Effect] | None:
    """A pose whose last part after "and" uses a power of ``actor``'s calling on someone
    ("raises her little flame and blesses Ora"): the rest shown, and the power used;
    None otherwise. Played (round 57, Lanternfall): "Sorrel raises her little flame and
    blesses Pip." on her turn was a pose, and no one was blessed."""
    head, joint, last = pose.rpartition(" and ")
    if not joint or not head.strip():
        return None
    verb, _, rest = last.strip().rstrip(".!").partition(" ")
    plain = _plain_verb(verb) or verb.lower()
    power = powers.power_named(world, actor, f"{plain} {rest}".strip())
    if power is None or not _names_someone_here(world, actor, power[1]):
        # Alone, or at no one here, it is the pose's ("and finds her footing", "and
        # blesses the air").
        return None
    return [*_posed(world, actor, head.strip()), *powers.use(world, actor, power[0], power[1], ctx)]


def _blow_closing(world: World, actor: Character, pose: str, ctx: Ctx) -> list[Effect] | None:
    """In a fight, a pose whose last part after "and" is a blow ("puts himself between
    edda and the drowned thing and stabs"): the rest shown, and the blow struck; None
    otherwise. Played: the whole of it a pose, and the turn ran out."""
    if not _fights_here(world, actor):
        return None
    head, joint, last = pose.rpartition(" and ")
    if not joint or not head.strip():
        return None
    verb, _, aimed = last.strip().partition(" ")
    if (_plain_verb(verb) or verb.lower()) not in _STRIKES:
        return None
    struck = _strike(world, actor, aimed, pose, ctx)
    if struck is None:
        return None
    return [*_posed(world, actor, head.strip()), *struck]


def _own_power_named(world: World, actor: Character, words: str) -> ClassPower | None:
    """The power of ``actor``'s own that ``words`` name anywhere (``powers.named_within``),
    unless they name another player here, whose it is ("*watches Marla find her second
    wind*"); None otherwise."""
    own = powers.named_within(world, actor, words)
    if own is None or any(
        address.player_beside(world, actor, w) for w in re.findall(r"[A-Za-z]+", words)
    ):
        return None
    return own


#: Verbs of drinking that are no command's: "*downs a potion*", "*chugs the ale*".
_DRUNK_DOWN = frozenset({"down", "chug", "drain"})
#: A blow tried once more, in a pose: "tries again, lower", "goes again".
_TRIED_AGAIN = re.compile(r"(?:tries|goes|strikes|swings|lunges)\s+(?:again|once\s+more)\b", re.I)
#: Verbs of stepping to somewhere in the room: "*wades out to the altar*".
_APPROACHING_TEXT = (
    "walk wade step go move head cross climb swim stride stroll slip edge creep splash hurry"
    " pick wander shuffle limp stalk"
)
_APPROACHING = frozenset(_APPROACHING_TEXT.split())
#: The way to a thing in the room, and what is done there: "out to the altar and runs
#: her hands over the carving".
_APPROACH = re.compile(
    r"(?:(?:over|out|up|across|back|down|carefully|slowly|quietly)\s+)*"
    r"(?:to|toward|towards|up\s+to)\s+(?P<thing>[^,]+?)(?:,?\s+(?:and|then)\s+(?P<then>.+))?",
    re.I,
)
#: A social's words aimed at a thing rather than done to it: "at the key", "toward the door".
_GESTURED = re.compile(r"(?:at|toward|towards|to)\s+\S", re.I)
#: The shadows a pose goes into or comes out of, closing it: "the shadows", "the dark".
_SHADOWS = r"(?:the\s+)?(?:shadows?|dark(?:ness)?|gloom)[.!]*$"
#: Hiding, as a pose tells it: "slips into the shadows", "melts back into the dark".
_INTO_SHADOWS = re.compile(
    r"^(?:quietly\s+|silently\s+)?(?:slips?|melts?|fades?|steps?|ducks?|vanish(?:es)?|sinks?"
    rf"|shrinks?|disappears?|retreats?|blends?)\s+(?:back\s+)?(?:in)?to\s+{_SHADOWS}",
    re.I,
)
#: Coming out of hiding, as a pose tells it: "steps out of the shadows".
_OUT_OF_SHADOWS = re.compile(
    r"^(?:slowly\s+|quietly\s+)?(?:steps?|slips?|comes?|emerges?|walks?)\s+(?:back\s+)?"
    rf"(?:out\s+of|from)\s+{_SHADOWS}",
    re.I,
)
#: A thing held out to someone: "holds it out to her", "holds out the lantern to aldith".
_HELD_OUT = re.compile(
    r"^(?:holds?|stretches)\s+(?:(?P<what>(?!out\b)[^,]+?)\s+out|out\s+(?P<what2>[^,]+?))"
    r"\s+(?:to|toward|towards|for)\s+(?P<who>[\w' -]+?)[.!]*$",
    re.I,
)
#: A thing offered, tossed or handed to someone in a pose: "offers her the lantern",
#: "offers the lantern to aldith", "tosses him a potion" (not "offer", typed alone, the
#: rent of other MUDs: ``customs``).
_OFFERED = re.compile(
    # "tosses him a potion" (played: a pose, and the potion kept).
    r"^(?:offers?|toss(?:es)?|throws?|pass(?:es)?|hands?|slides?|flips?)\s+"
    r"(?:(?P<what>[^,]+?)\s+to\s+(?P<who>[\w' -]+?)"
    r"|(?P<who2>\w+)\s+(?P<what2>(?:the|a|an|my|his|her|their|this|that)\s+[^,]+?))[.!]*$",
    re.I,
)
#: Close to another, by a part of them: "over his shoulder", "on her arm".
#: A place taken beside someone: "joins the rogue at the bar", "joins Wren".
_JOINS = re.compile(r"(?:joins|joining)\s+(?:the\s+)?([\w'-]+)", re.I)
_AT_ANOTHER = re.compile(
    r"\b(?:over|on|at|by|against|behind|beside|into|to)\s+(?:his|her)\s+"
    r"(?:shoulders?|arm|side|back|hand|elbow|ear|cheek)\b"
    # Or taken by: "grabs his arm" (played, fleeing the eel-catcher: "You see no 'his
    # arm' here.").
    r"|\b(?:grabs?|grips?|catch(?:es)?|tugs?(?:\s+at)?|seizes?|squeezes?|pats?|clasps?)\s+"
    r"(?:his|her)\s+(?:arm|shoulder|sleeve|elbow|wrist|collar|hand|cloak)\b",
    re.I,
)
#: A part of one's own body in a pose: "inclines his head", "rubs her eyes", "my hands".
_OWN_BODY = re.compile(
    r"\b(?:his|her|their|my|both)\s+(?:own\s+)?(?:head|chin|beard|eyes?|brows?|neck|knuckles"
    r"|hands?|fingers?|arms?|shoulders?|hair|face|lips?|nose|temples?|jaw|throat|legs?"
    r"|feet|foot|knees?|back|chest|heart|cheeks?|ears?|wrists?|thumbs?|palms?|fists?)\b",
    re.I,
)


#: A clause of how one is as one does it, a thing and what it does, after a comma
#: (", water dripping from his mail", ", eyes narrowing", ", her voice barely rising"):
#: no deed at the thing it names. Played: "*nods, water dripping from his mail*" read
#: "You nod." and "You try to water dripping from his mail.", the mail a thing carried.
_ABSOLUTE = re.compile(
    # The thing no word of how or when ("quickly pocketing it", "then grabbing it" are
    # deeds: found in review).
    r",\s*(?:(?:his|her|their|my|its|the|a|an)\s+)?"
    r"(?![a-z'-]+(?:ing|ly)\b|(?:then|and|now|still|also|just|so)\b)[a-z'-]+\s+"
    r"(?:(?:[a-z'-]+ly|still|all|half|now|yet)\s+)?[a-z'-]+ing\b[^,]*",
    re.I,
)


#: How a part of the body is held: "set", "low", "bowed", "outstretched".
_HOW_HELD = r"still|low|high|tight|set|grim|wide|half|hard|cold|flat|steady|[a-z'-]+ed"
#: One's own body, or what it does, and where it is or how: ", eyes on the fire", ", jaw
#: set", ", hands still in her lap". Played: "*shrugs, eyes on the fire*" read "You
#: shrug." and then a deed of eyeing the fire. Words that are verbs too ("head over to
#: the ladder", "hands over the potion", "face toward the door": found in review, deeds
#: swallowed) only as they are held ("head bowed", "hands in her lap").
_BODY_CLAUSE = re.compile(
    r"(?:(?:his|her|their|my)\s+)?(?:"
    r"(?:eyes|gaze|voice|jaw|chin|arms|fists?|brows?|lips|mouth|shoulders|smile|expression"
    r"|tone)\s+(?:on|in|at|to|toward|towards|against|behind|over|under|" + _HOW_HELD + r")"
    r"|hands?\s+(?:on|in|" + _HOW_HELD + r")"
    r"|(?:head|face)\s+(?:" + _HOW_HELD + r"))\b[^,]*",
    re.I,
)


def _as_one_is(clause: str) -> bool:
    """Whether ``clause``, after a comma in a pose, says how one is as one does it (a
    thing and what it does, "water dripping from his mail", or one's own body and where
    it is, "eyes on the fire"), not a second thing done. Pure."""
    clause = clause.strip().rstrip(".!")
    return bool(_ABSOLUTE.fullmatch(f", {clause}") or _BODY_CLAUSE.fullmatch(clause))


#: Verbs of a gesture made with a thing one holds: "lowers her mace", "raises his lamp".
_HELD_GESTURES = frozenset(
    """lower raise lift brandish sheathe unsheathe ready grip heft shoulder twirl hold
    tighten rest""".split()  # noqa: SIM905
)
#: One's own thing, then how far or how: "her mace a little", "his lamp high".
_OWN_THING = re.compile(
    r"^(?:his|her|their|my)\s+(?:grip\s+on\s+(?:his|her|their|my)\s+)?(?P<thing>[\w' -]+?)"
    r"(?:\s+(?:a\s+little|a\s+touch|an\s+inch|slightly|high|higher|low|lower|again|halfway"
    r"|slowly|a\s+fraction|back|up|down|uncertainly|warily))*[\s.!]*$",
    re.I,
)


def _own_held(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name a thing ``actor`` carries as their own, and maybe how far
    ("her mace a little", "my lantern high"): a gesture made with it is a pose. Played:
    ":lowers her mace a little." in Crake's loft read "You try to lower your mace a
    little.", narrated as a deed."""
    own = _OWN_THING.match(words.strip())
    if own is None:
        return False
    thing = own.group("thing").strip()
    carried = search.carried(world, actor)
    # Or by the last word of one's own name for it: "her lantern-mace" of the lamp-
    # keeper's mace (played: "You try to raise your lantern-mace high.").
    last = re.split(r"[\s-]+", thing)[-1]
    return any(search.find(carried, name).thing is not None for name in (thing, last))


#: Verbs of a gesture made with one's own body: "offer my hand", "raise my hand".
_GESTURES = frozenset(
    """offer extend hold raise lift open clench spread bow incline tilt fold cross wring
    rub scratch crack bare ball shake""".split()  # noqa: SIM905
)


def _bodily(deed: str) -> bool:
    """Whether ``deed`` is a verb done with a part of one's own body and nothing else
    ("incline my head", "crack my knuckles"): a pose, never a deed at a thing."""
    deed = deed.strip(" .!?")
    if _OWN_BODY.search(deed) is None:
        return False
    left = _OWN_BODY.sub("", deed).split()
    # To whom, too: "offer her my hand", "extend Edda my hand" (played beside Edda:
    # said to the companion, "offer her my hand.").
    return len(left) <= 1 or (
        len(left) == 2
        and (left[1].lower() in ("her", "him", "them", "you", "us") or left[1].istitle())
    )


#: Going down on one's knees: "drops to his knees", "sinks to her knees", "falls to one knee".
_TO_KNEES = re.compile(
    r"\b((?:drop|sink|fall|go|get|come)s?|goes)\s+(?:down\s+)?(?:on|to)\s+"
    r"(?:his|her|their|my|one|both)\s+knees?\b",
    re.I,
)
#: Verbs of looking, which a pose at a thing only looks with: "*eyes the key*".
_LOOKING = frozenset(
    {"eye", "glance", "stare", "gaze", "peer", "look", "watch", "regard", "squint"}
)
#: What comes between a verb of looking and a thing looked away from: "up from".
_LOOKED_FROM = re.compile(r"^(?:up|away|round|around|back|over)\s+from\s+\S", re.I)
#: Things named one after another: "the sleeping man, then the rusty key".
_ONE_AFTER_ANOTHER = re.compile(r",?\s+(?:and\s+)?then\s+|,\s+|\s+and\s+", re.I)
#: What comes between a verb of looking and the thing looked at: "at", "over", "up and down".
_LOOKED_AT = re.compile(
    r"^(?:(?:at|over|across|toward|towards|on|upon)\s+|up\s+and\s+down\s+)+", re.I
)


#: Words in -ing that are no verb's.
_NOT_DOING_TEXT = (
    "nothing something anything everything morning evening during ceiling string spring"
)
_NOT_DOING = frozenset(_NOT_DOING_TEXT.split())


def _ing_as_deed(world: World, actor: Character, line: str) -> str:
    """``line``, a second part of a pose opening with a doing the rules try ("searching
    the stones", "reading the papers"), as that deed ("search the stones"); ``line``
    itself otherwise. Tried: "*kneels by the hearth, searching the stones*" read "You
    try to searching the stones."."""
    lead, _, after = line.strip().partition(" ")
    if _participle(world, lead.lower()) is None:
        return line
    plain = next((p for p in _plain_of_ing(lead) if game.is_action_word(world, actor, p)), None)
    return f"{plain} {after}".strip() if plain is not None else line


def _participle(world: World, word: str) -> str | None:
    """For ``word`` in -ing, a verb's ("nodding", "smiling"): the word of the social it
    is ("nod", "smile"), or "" when it is no social's; None for any other word. Pure."""
    if not word.endswith("ing") or len(word) < 6 or word in _NOT_DOING:
        return None
    forms = _plain_of_ing(word)  # "nodding": nod; "smiling": smile
    return next((f for f in forms if world.templates.social(f) is not None), "")


#: Where a line's next thing done begins, by "and" or "then" only (no comma):
#: "crouch by the trapdoor and fit the key", "open it up and let's see".
_AND_THEN = re.compile(r"\s+(?:and|then)\s+", re.I)
#: A word of how a thing is done, before the doing: "quietly", "carefully".
_MANNER = re.compile(r"[a-z]{3,}ly,?", re.I)


def _thing_in_words(world: World, actor: Character, words: str) -> bool:
    """Whether a word of ``words`` is the last word of the name of a thing here, not a
    person ("runs her fingers over the worn altar, feeling for a catch": the altar),
    or a clause of them is of the room's description. Called for a pose between stars,
    which is a deed when it is at something here."""
    said = set(re.findall(r"[a-z'-]+", words.lower()))
    # Not the people here: a tavern of a thousand is not walked for a pose.
    things = [
        *search.carried(world, actor),
        *search.floor(world, actor.room),
        *search.features(world, actor.room),
        *search.doors(world, actor, by_way=False),
    ]
    for thing in things:
        if any(
            name.lower().split()[-1:] and name.lower().split()[-1] in said
            for name in (thing.name, *thing.aliases)
        ):
            return True
    description = world.room_text(actor.room, actor.key)
    return any(scenery(description, part) for part in words.split(",")[:-1])


def cmd_tell(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """tell <player> <message>

    Send a private message to a player anywhere in the world. Told to someone of the
    world who is here ('tell bessa we found the locket'), it is said to them aloud.
    """
    name, _, text = intent.args.strip().partition(" ")
    text = text.strip()[:MAX_SAY]
    if not name or not text:
        return _err(actor.key, "Usage: tell <player> <message>")
    found = search.find(search.online(world), name, search.ONLINE)
    if found.thing is None:
        npc, said = search.find_leading(search.npcs(world, actor.room), intent.args.strip())
        if npc.thing is not None and said.strip():
            # Played: "tell bessa we found edda's locket" was "No one called 'bessa' is
            # playing."
            topic = lore.conversation_topic(ctx.recent)
            return game.talk_to(world, actor, npc.thing.ref, said.strip()[:MAX_SAY], topic=topic)
        return _err(actor.key, found.error)
    target = world.chars[found.thing.ref]
    if target.key == actor.key:
        return _say(actor.key, "You mutter to yourself.")
    if target.key in world.ignored_by.get(actor.key, ()):
        return _err(actor.key, f"{target.name} is not listening to you.")
    away = presence.away_line(target, ctx.wall)
    note = _say(actor.key, esc(away + " They will read it when they are back.")) if away else []
    note += presence.told_while_away(target, f"{actor.name} told you, '{text}'")
    return [
        *phrasing.act(
            actor,
            "{actor} {v:tell} {target}, '{said}'",
            target=target,
            room=False,
            said=styled("tell", text),
        ),
        *note,
        LogChat("tell", actor.room, actor.name, target.name, text),
        *_told_face_to_face(world, actor, target, text),
    ]


def _told_face_to_face(
    world: World, actor: Character, target: Character, text: str
) -> list[Effect]:
    """What a tell or whisper of ``text`` to ``target`` beside ``actor`` does for a group,
    as the same words said to them aloud do (``party.spoken``); [] when they are apart
    (a group is joined face to face). Played: Bram's "tell nell hey, want to group up?"
    beside her, and her "sure!!", made no group."""
    if target.room != actor.room:
        return []
    return party.spoken(world, actor, text, target.name)


def cmd_reply(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """reply <message>

    Answer the last player who sent you a tell or a whisper, wherever they are now, as
    'tell <them> <message>' does (played: "reply healed up, thanks!" was a deed the
    whole room read). When two have told you something since you last told anyone, it
    asks which you mean and sends nothing (played by a griefer: his "tell vic hi",
    just after Prober's question, took her "reply the secret word is marshlight")."""
    text = intent.args.strip()
    if not actor.told_by:
        return _err(actor.key, "No one has sent you a tell yet. Usage: tell <player> <message>")
    if not text:
        return _err(actor.key, f"Usage: reply <message> (to {actor.told_by})")
    if len(actor.told_since) > 1:
        first, last = actor.told_since[-2:]
        return _err(
            actor.key,
            f"Both {first} and {last} have told you something since you last told anyone, so"
            f" your reply was not sent: 'tell {first.lower()} ...' or 'tell {last.lower()} ...'.",
        )
    return cmd_tell(world, actor, Intent("tell", f"{actor.told_by} {text}", intent.raw), ctx)


def cmd_whisper(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """whisper <player> <message>

    Whisper to someone in the same room; the others see that you whispered, not what.
    """
    # "whisper to ann hello", as players say it (played: "You see no 'to' here.").
    args = re.sub(r"^to\s+", "", intent.args.strip(), flags=re.IGNORECASE)
    name, _, text = args.partition(" ")
    text = text.strip()[:MAX_SAY]
    if not name or not text:
        return _err(actor.key, "Usage: whisper <player> <message>")
    found = search.find(search.people(world, actor.room, besides=actor.key), name)
    if found.thing is None:
        return _err(actor.key, found.error)
    target = world.chars[found.thing.ref]
    # The room sees that a whisper passed, not what it said.
    heard = "{actor} {v:whisper} to {target}, '{said}'"
    return [
        *phrasing.act(
            actor,
            "{actor} {v:whisper} something to {target}.",
            target=target,
            for_actor=heard,
            for_target=heard,
            said=styled("tell", text),
        ),
        LogChat("tell", actor.room, actor.name, target.name, text),
        *_told_face_to_face(world, actor, target, text),
    ]


#: Seconds between one player's ooc lines (the whole world reads them).
OOC_GAP = 3.0


def cmd_ooc(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """ooc <message>

    Talk on the global out-of-character channel, heard by every player who has not
    turned it off ('channels ooc off'); one line every few seconds.
    """
    text = intent.args.strip()[:MAX_SAY]
    if not text:
        return _err(actor.key, "Usage: ooc <message>")
    if "ooc" in quiet(actor):
        return _err(actor.key, "You have turned ooc off: 'channels ooc on' to talk on it.")
    last = world.ooc_at.get(actor.key)
    wait = OOC_GAP - (ctx.now - float(last)) if last is not None else 0.0
    if wait > 0:
        # Played by a griefer: a login, 60 ooc lines in one write, and a reconnect, over
        # and over, put 280 lines on every player's screen in 20 s.
        return _err(
            actor.key,
            f"Every player reads ooc, so it takes one line every {OOC_GAP:.0f} seconds:"
            f" wait {math.ceil(wait)} more. ('say' and 'tell' are not held back.)",
        )
    off = tuple(c.key for c in world.chars.values() if "ooc" in quiet(c))
    return [
        ToAll(Doc.text(f"{styled('ooc', '[OOC]')} {_name(actor)}: {esc(text)}"), exclude=off),
        LogChat("ooc", actor.room, actor.name, None, text),
        PartyUpdate("ooc_at", actor.key, f"{ctx.now:.3f}"),
    ]


#: Words between a social and its target that name no one ("smile at Tamsin").
_SOCIAL_LINKS = frozenset(("at", "to", "with", "on", "upon", "towards", "toward"))
#: Words that say how a social is done, not at whom: "wave goodbye", "smile warmly".
#: Played: "wave goodbye" answered "You see no 'goodbye' here."
_SOCIAL_MANNER = frozenset(
    [
        "goodbye",
        "farewell",
        "hello",
        "back",
        "again",
        "happily",
        "sadly",
        "slowly",
        "politely",
        "warmly",
        "quickly",
        "deeply",
        "loudly",
        "quietly",
        "softly",
        "sheepishly",
        "nervously",
        "wearily",
        "gratefully",
    ]
)


def _said_of_a_thing(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` after a social's word make it a deed: two words or more, past a
    leading "at", "to" or "with", that name no one here ("whistle a tune", "dance on
    the table"). No words, a person named or one word (a name, "wave ghost": "You see no
    'ghost' here.") are the social's."""
    head, _, rest = words.strip().partition(" ")
    if rest.strip() and head.lower() in _SOCIAL_LINKS:
        words = rest
    if _YOU_ALONE.fullmatch(words.strip()):
        return False  # "thank you so much"
    words = _social_words(world, actor, words)[0]
    if len(words.split()) < 2:
        return False
    people = [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]
    _nth, target = search.split_ordinal(words)
    if any(search.score(t, target) for t in people):
        return False
    return _social_target(world, actor, words)[0].thing is None


#: Socials that say yes without a word (a pack may give an "agree" or a "thumbsup").
_YES_NODS = frozenset({"nod", "agree", "thumbsup"})


def _yes_nod(world: World, actor: Character, social: Social, ctx: Ctx | None) -> list[Effect]:
    """What ``social``, made by ``actor`` naming no one, says yes to: a rest or a walk
    another player proposed, for a nod (``_nodded_yes``); [] for any other social, or
    with no ``ctx`` to tell how old the proposal is."""
    if ctx is None or social.word not in _YES_NODS:
        return []
    return _nodded_yes(world, actor, ctx)


def _social_line(actor: Character, text: str, target: str = "") -> Doc:
    """One of a social's lines (``Social.LINES``) with the actor's name and ``target``
    filled in, escaped and styled as an emote."""
    filled = text.replace("{actor}", actor.name).replace("{target}", target)
    return Doc.text(styled("emote", capitalise(filled)))


#: A social's line that ends aimed at its target: "You nod to {target}.".
_AIMED_LAST = re.compile(r" (?:at|to|for) \{target\}\.$")
#: Words that aim a social at what follows: "nod at the stranger", "wave to the crowd".
_AIMING = frozenset({"at", "to", "towards", "toward", "for"})


def _aimed_in_words(
    world: World, actor: Character, social: Social, words: str
) -> list[Effect] | None:
    """A social aimed at what the player's own ``words`` describe, when they name no one
    here (the caller has found none) and nothing here either ("smile at the paper
    lantern" is a deed, for the DM): "nod at the stranger" -> "You nod to the
    stranger.", "wave to the crowd". Only for a social whose lines end aimed at their
    target ("You poke {target}." takes no "the fire"), and for a few words of no second
    clause ("nod at him and sit down" is not one); None otherwise."""
    head, _, aim = words.strip().partition(" ")
    aim = " ".join(aim.split()).rstrip(".!")
    if head.lower() not in _AIMING or not aim or len(aim.split()) > 6:
        return None
    if re.search(r"[,;:?!.]|\b(?:and|then)\b", aim, re.I):
        return None
    if not (_AIMED_LAST.search(social.you_target) and _AIMED_LAST.search(social.room_target)):
        return None
    if _names_a_thing(world, actor, aim):
        return None
    # Played: "pray to saint ysolde" read "You pray for saint ysolde.": the lines take
    # the player's own word for the aim, and someone of the world or a player elsewhere
    # is named as the world names them ("pray for edda": "You pray for Edda Venn.").
    named = search.find(
        [
            *game.proper_npcs(world),
            *(search.Thing("player", k, c.name) for k, c in world.chars.items()),
        ],
        aim,
    )
    if named.thing is not None:
        aim = definite(named.thing.name)

    def aimed(text: str) -> Doc:
        return _social_line(actor, _AIMED_LAST.sub(f" {head.lower()} {{target}}.", text), aim)

    return [
        Tell(actor.key, aimed(social.you_target)),
        ToRoom(actor.room, aimed(social.room_target), exclude=(actor.key,)),
    ]


#: What a social goes on to after "then" or "and": "nods to Anselm, then sits down".
_THEN_DOES = re.compile(r"^(?:and\s+)?then\s+|^and\s+", re.I)


def do_social(
    world: World,
    actor: Character,
    social: Social,
    words: str,
    spoke_last: str = "",
    ctx: Ctx | None = None,
) -> list[Effect]:
    """A social from the packs' table (``Templates.socials``): the actor, the target (a
    player or NPC here named by ``words``, if any) and the room each read their own line.
    ``spoke_last``: the key of the player whose words were the last said here lately
    (``Ctx.said_last``), whom a thanks naming no one thanks. With ``ctx``, a nod naming
    no one to a rest or a walk another player proposed takes it (``_nodded_yes``)."""

    def line(text: str, target: str = "") -> Doc:
        return _social_line(actor, text, target)

    # "thanks bram!" names Bram: played, "You see no 'bram!' here." The words after the
    # name keep their marks ("thanks bram. so what's this about a cartographer?").
    typed = words.strip()
    to_all = False
    if _YOU_ALONE.fullmatch(typed):
        # "thank you.", "thank you so much" (played in Crake's loft: "You see no 'you'
        # here."): "you" is whoever it would be with no one named; "thank you both" or
        # "all" is everyone here's (found in review: it thanked the innkeeper alone).
        to_all = re.search(r"\b(?:both|all)\b", typed, re.I) is not None
        typed = ""
    words = typed.rstrip(".!?")
    manner = words.lower()
    if manner in _SOCIAL_MANNER:
        # "You wave." as "You wave goodbye.": the word before the line's full stop.
        def how(text: str) -> str:
            return f"{text[:-1]} {manner}." if text.endswith(".") else f"{text} {manner}"

        # "*nods wearily*" to "sleep it off again?" (played: no one slept) says yes too.
        return [
            Tell(actor.key, line(how(social.you))),
            ToRoom(actor.room, line(how(social.room)), exclude=(actor.key,)),
            *_yes_nod(world, actor, social, ctx),
        ]
    giver = world.chars.get(world.handed_by.get(actor.key, ""))
    if giver is None or giver.room != actor.room:
        # "thx", just after a friend's "you take the potion, you're the one in front"
        # (played: "You give thanks.").
        giver = world.chars.get(spoke_last)
    if to_all:
        giver = None  # "thank you both": no one alone
    if not words and social.word == "thank" and giver is not None and giver.room == actor.room:
        # "thanks!" just after a friend handed over a potion (played: "You give
        # thanks."): thanks to them.
        typed = words = giver.name
    elif not words and social.word == "thank" and ctx is not None and not to_all:
        # "Thank you." to Crake, just after he answered one's words to him: to him.
        partner = _partner(world, actor, ctx.recent)
        if partner is None and ctx.recent:
            # "*nods to Crake* Thank you.": the one the gesture just before was made to.
            # By a whole name: "the old sacks" is not "old man" (found in review).
            last = ctx.recent[-1].lower()
            named = [
                t.ref
                for t in search.npcs(world, actor.room)
                if any(
                    re.search(rf"\b{re.escape(strip_article(name).lower())}\b", last)
                    for name in (t.name, *t.aliases)
                )
            ]
            partner = named[0] if len(named) == 1 else None
        npc = world.templates.npcs.get(partner) if partner is not None else None
        if npc is not None:
            typed = words = npc.name
    if not words:
        return [
            Tell(actor.key, line(social.you)),
            ToRoom(actor.room, line(social.room), exclude=(actor.key,)),
            *_yes_nod(world, actor, social, ctx),
        ]
    if _TO_ONESELF.fullmatch(words):
        # "laugh to myself", "*whistles to herself*" (played and tried: "You see no
        # 'myself' here.", "You cannot whistle at someone"): done to oneself.
        itself = presence.PRONOUN_FORMS[presence.pronouns(actor) or "they"][4]

        def inward(text: str, whom: str) -> str:
            return f"{text[:-1]} to {whom}." if text.endswith(".") else f"{text} to {whom}"

        return [
            Tell(actor.key, line(inward(social.you, "yourself"))),
            ToRoom(actor.room, line(inward(social.room, itself)), exclude=(actor.key,)),
        ]
    if not social.you_target:
        return _err(actor.key, f"You cannot {social.word} at someone; just '{social.word}'.")
    head, _, rest = typed.partition(" ")
    if rest.strip() and head.lower() in _SOCIAL_LINKS:
        typed = rest  # "smile at Tamsin", "bow to Bessa"
    words, after = _social_words(world, actor, typed)
    words = words.rstrip(".!?")
    found, tail = _social_target(world, actor, words)
    if found.thing is None:
        return _err(actor.key, found.error)
    spoken: list[Effect] = []
    if after:
        # "thanks tobin, goodbye", "thanks tansy! cheers": the thanks, then the words
        # said (played: "You thank Tobin Wick goodbye.", "You try to thanks Tansy!"),
        # or a second social done ("thanks quill! toast quill": played, said).
        again = world.templates.social(after.split()[0]) is not None and len(after.split()) > 1
        # A question is run as typed, for whoever can answer it: "thanks bram. so what's
        # this about a missing cartographer?" (played: said, the "?" lost, and the
        # innkeeper who knows said nothing).
        again = again or _questioning(after)
        # A walk on too: "thanks kael. onward" (played: "onward" said, and no one went).
        again = again or _ONWARD_OPENS.match(after) is not None
        again = again or parse(after, ALIASES).verb == "go"
        # A blow, a guard or a drink in a fight: "thx ashe! hit it" on one's turn (played:
        # "hit it" said, and the turn ran on).
        fought = parse(after, ALIASES).verb in ("attack", "defend", "flee", "drink", "use")
        again = again or (fought and _fights_here(world, actor))
        # Talking to someone here: "thanks rook. talk to bessa" (played 2026-12-07: "talk
        # to bessa" said to the room, and Bessa never spoke). Not any deed: "thanks rook.
        # sleep well" is words (found in review: the thanker slept).
        again = again or _talks_here(world, actor, after)
        spoken = [Then(actor.key, after if again else f"say {after}")]
        then = _THEN_DOES.match(after)
        if then is not None and after[then.end() :].strip():
            # "*nods to Anselm, then sits by the fire*" (played: "You say, 'then sit by
            # the fire'"): a second thing done, as posed.
            spoken = [Then(actor.key, f"*{after[then.end() :].strip().rstrip('.!*')}*")]
        if found.thing is not None and found.thing.kind == "npc" and _questioning(after):
            # Of the one thanked: "thanks crake. what's down there?" (played: the DM's).
            spoken = [Then(actor.key, f"ask {found.thing.name} {after}")]

    def aimed(text: str, name: str) -> Doc:
        # "You thank Bessa Thorn." with "for the stew": the words before the full stop.
        if tail:
            text = f"{text[:-1]} {tail}." if text.endswith(".") else f"{text} {tail}"
        return line(text, name)

    if found.thing.kind == "npc":
        name = definite(found.thing.name)
        return [
            Tell(actor.key, aimed(social.you_target, name)),
            ToRoom(actor.room, aimed(social.room_target, name), exclude=(actor.key,)),
            *spoken,
        ]
    target = world.chars[found.thing.ref]
    return [
        Tell(actor.key, aimed(social.you_target, target.name)),
        Tell(target.key, aimed(social.target, target.name)),
        ToRoom(actor.room, aimed(social.room_target, target.name), exclude=(actor.key, target.key)),
        *spoken,
    ]


#: A social done to oneself: "laugh to myself", "*smiles to herself*".
_TO_ONESELF = re.compile(
    r"(?:to|at)\s+(?:myself|yourself|herself|himself|themself|themselves|oneself)", re.I
)
#: Thanks or sorry for something, to no one named: "thanks for the help", "thank you
#: for that", "sorry about the mess".
_THANKS_FOR = re.compile(
    r"\W*(?:thanks|thank\s+you|thankyou|ty|cheers|sorry|apologies)\s+(?:for|about)\s+\S", re.I
)
#: Where a social's target ends and words said after it begin: "thanks tansy! cheers".
#: (Marks alone after it are no words: "thanks tova!!" said "!", played.)
_SAID_AFTER = re.compile(r"\s*[,!.;?]+\s*(?=[^\s,!.;?])")
#: "thank you tansy", "thank you, Bessa": the "you" is the social's, not its target.
_YOU_FIRST = re.compile(r"^you\b[\s,]*(?=\S)", re.I)
#: "you" and nothing more of whom: "you.", "you so much", "you kindly", "you all".
_YOU_ALONE = re.compile(
    r"(?:you|u|ya|ye)\b[\s,]*(?:(?:so|very)\s+much|kindly|all|both|again|too)?[\s.!,?]*", re.I
)


def _social_words(world: World, actor: Character, words: str) -> tuple[str, str]:
    """``words`` after a social's word as (what names its target, what is said after
    it): "tansy! cheers" -> ("tansy", "cheers"), "you, bessa" -> ("bessa", ""); the
    words as they are, and "", when no one here is named before a break."""
    you = _YOU_FIRST.match(words)
    if you is not None and _social_target(world, actor, words[you.end() :])[0].ok:
        words = words[you.end() :]
    cut = _SAID_AFTER.search(words)
    if cut is None or not _social_target(world, actor, words[: cut.start()])[0].ok:
        return words, ""
    return words[: cut.start()], words[cut.end() :].strip()


#: Words that may follow a social's target and go into its lines: "thank Bessa for the
#: stew", "nod to Bram in agreement", "smile at Tamsin warmly".
_SOCIAL_TAIL = frozenset({"for", "about", "in", "with", "from", "as", "across", "over"})


def _social_target(world: World, actor: Character, words: str) -> tuple[search.Found, str]:
    """The player or NPC here that ``words`` name, and what follows the name when it is
    a manner ("warmly") or a phrase of ``_SOCIAL_TAIL`` ("for the stew"; at most 60
    characters), else "" (the whole of ``words`` must then name them)."""
    pool = [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]
    words = address.LEADING_TITLE.sub("", words, count=1)  # "thanks mister crake!"
    found = search.find(pool, words)
    if found.ok:
        return found, ""
    leading, rest = search.find_leading(pool, words)
    lead = rest.split(maxsplit=1)[0].lower() if rest.strip() else ""
    if leading.ok and (lead in _SOCIAL_TAIL or lead in _SOCIAL_MANNER):
        return leading, " ".join(rest.split())[:60].rstrip(".!")
    said = words.strip().rstrip(".!")
    if said.split(maxsplit=1)[:1] and said.split(maxsplit=1)[0].lower() in _SOCIAL_TAIL:
        # The phrase first and the name last: "thanks for the heal talis", "thanks for
        # the stew, bessa" (played: "You try to thank for the heal Talis.").
        for size in (2, 1):
            parts = said.split()
            if len(parts) <= size:
                continue
            named = " ".join(parts[-size:])
            last = search.find(pool, named)
            if last.thing is not None and search.score(last.thing, named) == 2:
                return last, " ".join(parts[:-size]).rstrip(",")[:60]
    return found, ""


def cmd_who(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """who

    List the players in the world: their calling and level, and how long they have
    been idle; the admins, who keep this world, are marked "(admin)". Admins also see
    each player's door and address.
    """
    rows: list[tuple[str, ...]] = []
    show_addr = actor.is_admin
    for name, idle, linkdead in sorted(ctx.online):
        char = world.chars.get(name.lower())
        state = (
            "link-dead"
            if linkdead
            else "afk"
            if char is not None and char.away
            else (f"idle {int(idle // 60)}m" if idle >= 60 else "active")
        )
        # The admins marked (played: a griefer called "Oberonn" passed for the admin).
        keeper = styled("system", " (admin)") if char is not None and char.is_admin else ""
        row: tuple[str, ...] = (
            styled("person", name) + keeper,
            esc(_calling(world, name)),
            state,
        )
        if show_addr:
            row += (esc(ctx.addresses.get(name.lower(), "-")),)
        rows.append(row)
    count = len(rows)
    head = Para(styled("title", f"{count} player{'s' if count != 1 else ''} in the world"))
    header = ("Name", "Calling", "Status") + (("Address",) if show_addr else ())
    return [Tell(actor.key, Doc((head, Table(tuple(rows), header=header))))]


def _who_by_name(world: World, actor: Character, intent: Intent) -> str:
    """For ``who <one word>`` (``finger``, ``whois``) that names no other player in the
    game: the actor themself, or that no one of that name is playing when it names no
    one of the world either ("who is Edda?" stays a question for the DM); "" else.
    Played: "who juno" by Juno, and "who nobody", went to the DM as questions."""
    words = intent.args.strip(" ?").split()
    if len(words) != 1 or words[0].lower() == "is":
        return ""
    word = words[0]
    if word.lower() in (actor.key, "me", "myself"):
        cls = world.templates.classes.get(actor.cls) if actor.cls else None
        calling = f"a {cls.name} of level {actor.level}" if cls is not None else "a newcomer"
        return f"That is you, {actor.name}: {calling}."
    if search.find(search.npcs(world, actor.room), word).thing is not None or any(
        search.score(npc, word.lower()) for npc in game.proper_npcs(world)
    ):
        return ""
    if word.lower() in world.chars:
        return ""  # in the world and unseen (hidden): not told either way
    if intent.raw.rstrip().endswith("?") and word.islower() and word.endswith("s"):
        # "who leads?", "who knows?" (played as Oswin: "No one called 'leads' is playing
        # now."): a word in the third person asks who does it.
        return ""
    return f"No one called '{word}' is playing now. ('who' lists everyone who is.)"


def _calling(world: World, name: str) -> str:
    """The class and level of the character called ``name`` ("Fighter 2"); "-" before
    a class is chosen, or for someone not in the world."""
    char = world.chars.get(name.lower())
    cls = world.templates.classes.get(char.cls) if char is not None and char.cls else None
    return f"{cls.name} {char.level}" if char is not None and cls is not None else "-"


# -- things -------------------------------------------------------------------------


def cmd_inventory(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """inventory

    List what you are carrying, marking what you wield and wear.
    """
    if not actor.inventory:
        return _say(actor.key, "You are carrying nothing.")
    used = {item: slot for slot, item in actor.equipment.items()}
    marks = {"weapon": " (wielded)", "armour": " (worn)", "shield": " (worn)"}
    # Things of one name, none of them in use, are one line with a count: "potion of
    # healing (2)", in the order first carried.
    rows: list[tuple[str, str | None]] = []  # (name, its mark; None for a loose one)
    loose: dict[str, int] = {}
    for i in actor.inventory:
        name = world.item_template(i).name
        if i in used:
            rows.append((name, marks.get(used[i], "")))
        elif name in loose:
            loose[name] += 1
        else:
            loose[name] = 1
            rows.append((name, None))
    names = [
        styled("item", name)
        + (mark if mark is not None else f" ({loose[name]})" if loose[name] > 1 else "")
        for name, mark in rows
    ]
    return [Tell(actor.key, Doc((Para("You are carrying:"), *(Para("  " + n) for n in names))))]


def cmd_get(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """get <item>   (also: take, grab; 'get all' picks up everything you can)

    Pick something up from the floor.
    """
    what = intent.args.strip()
    if what.lower().startswith("the "):
        what = what[4:]
    if not what:
        return _err(actor.key, "Get what?")
    if what.lower() == "up":  # "get up" is standing up, not an item called "up"
        return poses.pose(world, actor, "stand", "") or []
    if what.lower().startswith("up ") and (stood := poses.pose(world, actor, "stand", what)):
        return stood  # "gets up slowly" (played: "You cannot take the up slowly.")
    if what.lower().startswith("up ") and intent.raw.split()[0].lower() == "scoop":
        # "*scoops up the potion*" (played: "You try to scoop up the potion ...").
        what = what[3:].strip()
    here = world.items_in_room(actor.room)
    from_remains = _FROM_REMAINS.fullmatch(what)
    if from_remains is not None and search.dead(world, actor.room):
        # "get all corpse", "get all from the body", as other MUDs loot (played by one
        # come to fight, over the eel-catcher: "You see no 'all corpse' here."): what a
        # foe leaves lies on the floor, and "all" takes it.
        told = None if from_remains.group("all") else _remains(world, actor, what)
        if told is not None:
            return told
        what = "all" if from_remains.group("all") else what
    if _ALL.fullmatch(what):
        carried = [i for i in here if world.item_template(i).carry]
        chosen = [i for i in carried if not _kept_from(world, actor, i, ctx)]
        if not chosen and carried:
            return _err(actor.key, _kept_for(world, carried[0], ctx))
        if not chosen:
            return _say(actor.key, "There is nothing here you can pick up.")
    else:
        found = search.find(search.items(world, here), what)
        head = _WHERE_AFTER.split(what, maxsplit=1)[0].strip()
        if found.thing is None and head != what:
            # "get the key off its chain", "take the key from the warden": the thing
            # taken, not where it was (played: "You see no 'key off its chain' here.").
            itself = search.find(search.items(world, here), head) if head else found
            found = itself if itself.thing is not None else found
        if found.thing is None and game.feature_action(world, actor, intent.raw) is not None:
            # "take a taper" from the chapel's box: the builder's words for taking from a
            # feature (played: "You cannot take the box of tapers.").
            return _as_deed(world, actor, intent, ctx)
        if found.thing is None:
            why = _not_to_take(world, actor, what)
            if not why and _taken_as_a_deed(world, intent.args):
                # "take a deep breath", "grab a stool": played, "You see no 'deep
                # breath' here." for something no item of the world is called.
                return _as_deed(world, actor, intent, ctx)
            return _err(actor.key, why or found.error)
        item = found.thing.ref
        if not world.item_template(item).carry:
            return _err(actor.key, f"You cannot carry {definite(world.item_template(item).name)}.")
        if _kept_from(world, actor, item, ctx):
            return _err(actor.key, _kept_for(world, item, ctx))
        chosen = [item]
    effects: list[Effect] = []
    seen = False  # brought out of hiding by a hand too slow
    for item in chosen:
        template = world.items[item].template
        if world.item_template(item).kind == "coins":
            # Money lying about is money: played by a party, "a handful of copper coins"
            # picked up was an item in the pack, and "split the coins" did nothing.
            effects += _coins_taken(world, actor, item)
            continue
        if world.item_template(item).per_player:
            # Each takes a copy of their own; the group's quest moves on at the first.
            taken = resets.take_own_copy(world, actor, item)
            effects += taken
            if not any(isinstance(e, SpawnItem) for e in taken):
                continue
        else:
            name = world.item_template(item).name
            if actor.hidden and len(chosen) == 1:
                # Taken from hiding: unseen, with a quick enough hand, and the guard of
                # it none the wiser; else in plain sight.
                unseen, lifted = stealth.lift(world, actor, indefinite(name), ctx)
                effects += lifted if unseen else [*lifted, *stealth.reveal(world, actor)]
                seen = not unseen
                if unseen:
                    return [
                        *effects,
                        Transfer(item, f"room:{actor.room}", f"char:{actor.key}"),
                        *_found_together(world, actor, template),
                    ]
            # The lines first: a quest step that holding it completes reads after them.
            effects += [
                *phrasing.act(actor, "{actor} {v:pick up} {item}.", item=phrasing.item_a(name)),
                Transfer(item, f"room:{actor.room}", f"char:{actor.key}"),
            ]
        effects += _found_together(world, actor, template)
    return effects + lore.guarded(
        world, actor, (world.items[i].template for i in chosen), seen=seen
    )


def _found_together(world: World, actor: Character, template: str) -> list[Effect]:
    """A find of ``template`` by ``actor``, counted for the group members who saw it
    made (``QuestEvents``)."""
    return [QuestEvents(m.key, (("hold", template),)) for m in party.present(world, actor.key)]


def _coins_taken(world: World, actor: Character, item: str) -> list[Effect]:
    """``actor`` picks up coins (an item of kind ``coins``): their ``value`` in gold,
    and the item gone."""
    tmpl = world.item_template(item)
    gold = f"{tmpl.value} gold" if tmpl.value else "nothing worth having"
    return [
        *phrasing.act(actor, "{actor} {v:pick up} {item}.", item=phrasing.item_a(tmpl.name)),
        DestroyItem(item),
        Gain(actor.key, gold=tmpl.value)
        if tmpl.value
        else Tell(actor.key, Doc.text(esc(f"It is {gold}."))),
    ]


def _kept_from(world: World, actor: Character, item: str, ctx: Ctx) -> bool:
    """Whether ``item`` on the floor is kept for others than ``actor`` now: what a foe
    left, for those who felled it (``World.claims``)."""
    keepers = world.claimed_by(item, ctx.now)
    return bool(keepers) and actor.key not in keepers


def _kept_for(world: World, item: str, ctx: Ctx) -> str:
    """Why ``item`` may not be taken yet (``_kept_from``)."""
    keepers, until = world.claims[item]
    names = list_words([world.chars[k].name for k in keepers if k in world.chars] or ["others"])
    wait = max(1, math.ceil(until - ctx.now))
    return (
        f"{capitalise(definite(world.item_template(item).name))} is for {names} to take, who"
        f" fought for it: {wait} more second{'s' if wait != 1 else ''}."
    )


#: "all" as players say it: "everything", "it all", "all of it", "all the things".
_ALL = re.compile(
    r"\s*(?:all|everything|it\s+all|all\s+of\s+it|all\s+(?:the\s+)?(?:things|items|stuff|loot))"
    r"[\s.!]*",
    re.I,
)


def _not_to_take(world: World, actor: Character, what: str) -> str:
    """Why ``what``, which is no item on the floor, cannot be picked up, when it names
    something here all the same: a thing already carried, a person, a feature or door,
    or something the room's description speaks of ("take the paper lantern" hung from
    the gibbet was "You see no 'paper lantern' here."); "" when it names nothing."""
    mine = search.find(search.carried(world, actor), what)
    if mine.thing is not None:
        return f"You already have {definite(mine.thing.name)}."
    sold = _sold_here(world, actor, what)
    if sold:
        return sold
    held = _held_by_another(world, actor, what)
    if held:
        return held
    there = search.find(search.fixed(world, actor), what)
    if (
        there.thing is not None
        and _an_item_called(world, what)
        and not _called_whole(there.thing, what)
    ):
        # "get key", the key gone, found the iron door by its "keyhole" (played): a
        # thing of the world called so is what was meant, and it is not here.
        return ""
    if there.thing is not None:
        name = there.thing.name
        return f"You cannot take {name if there.thing.kind == 'player' else definite(name)}."
    # The thing itself, not where it is: "take a stool by the fire" is about a stool
    # (played, "You cannot take the a seat by the fire." of the fire in the text).
    thing = _the_thing_itself(what)
    room = world.room(actor.room)
    # What a feature's own text speaks of is there too: "the fresh reed charm" pressed
    # into the altar's carving (played: "You see no 'reed charm' here.").
    texts = (
        world.room_text(room.id, actor.key),
        *(world.feature_text(f, actor.key) for f in room.features.values()),
    )
    if thing and any(scenery(text, thing) is not None for text in texts):
        return f"You cannot take the {thing}."
    return ""


def _an_item_called(world: World, what: str) -> bool:
    """Whether some item of the world is called ``what`` by its name or an alias, whole
    ("key", "the rusty key"). Pure."""
    said = search.unowned(_said_name(what)).lower()
    return any(
        said == tmpl.name.lower() or said in (a.lower() for a in tmpl.aliases)
        for tmpl in world.templates.items.values()
    )


def _called_whole(thing: search.Thing, what: str) -> bool:
    """Whether ``thing`` is called ``what`` whole, by its name or an alias. Pure."""
    said = search.unowned(_said_name(what)).lower()
    return said in (thing.name.lower(), *(a.lower() for a in thing.aliases))


def _held_by_another(world: World, actor: Character, what: str) -> str:
    """Who beside ``actor`` holds what ``what`` names, for 'get' of a thing on no floor
    ("You see no 'key' here. Nell has the drowned iron key."): one of ``actor``'s group,
    whatever they carry; another, what they wield or wear; "" when no one here holds it
    so (or is hidden from ``actor``). Played (round 57): "get key", Nell having just
    picked up the Warden's key, read "You cannot take the iron door." (whose "keyhole"
    begins "key")."""
    for other in world.people_in(actor.room):
        if other.key == actor.key or not stealth.sees(world, actor.key, other):
            continue
        # What one sees of another: what they wield and wear; and of one's group, what
        # they carry too (companions share their finds). A stranger's pack is theirs.
        pool = (
            search.carried(world, other)
            if stealth.together(world, actor.key, other.key)
            else search.worn(world, other)
        )
        found = search.find(pool, what).thing
        if found is not None:
            name = definite(world.item_template(found.ref).name)
            return f"You see no '{what.strip()}' here. {other.name} has {name}."
    return ""


def _sold_here(world: World, actor: Character, what: str) -> str:
    """Who here sells what ``what`` names, its price and how to buy it ("Brother Anselm
    sells a bowl of barley broth (1 gold): 'buy broth' buys it."), for 'get' of a thing
    on no floor; "" when no shopkeeper here sells it. Played (round 57, Lanternfall):
    "get some broth" beside the hospitaller who sells it read "You cannot take Brother
    Anselm." ("broth" begins "brother")."""
    for npc in world.npcs_in(actor.room):
        tmpl = world.templates.npcs[npc.id]
        if tmpl.shop is None:
            continue
        ware = search.find(search.wares(world, tmpl.shop.sells), what).thing
        if ware is not None:
            item = world.templates.items[ware.ref]
            return (
                f"{capitalise(definite(tmpl.name))} sells {indefinite(item.name)}"
                f" ({item.value} gold): 'buy {_said_name(what)}' buys it."
            )
    return ""


def _said_name(what: str) -> str:
    """``what`` as a ware is named to 'buy': without "some", "a" or "the". Pure."""
    return re.sub(r"^(?:some|a|an|the|any)\s+", "", what.strip(), flags=re.I)


#: Where a thing is said to be, after what it is: "a stool by the fire".
_WHERE_AFTER = re.compile(r"\s+(?:by|near|beside|next\s+to|at|from|off|on|under|in|into)\s+", re.I)


def _the_thing_itself(words: str) -> str:
    """What ``words`` name before where it is, without its article: "a stool by the
    fire" -> "stool"."""
    return search.split_ordinal(_WHERE_AFTER.split(words, maxsplit=1)[0])[1]


#: How a thing taken in the players' idiom opens: "a deep breath", "my leave", "bessa's
#: arm" (not "the", which names a thing that should be here).
_A_THING = re.compile(r"^(?:a|an|some|my|your|his|her|their|our|one's|\S+'s)\s+\S", re.I)

_POSSESSIVE = frozenset({"my", "your", "his", "her", "their", "our", "one's"})


def _taken_as_a_deed(world: World, words: str) -> bool:
    """Whether "take ``words``", which names nothing here, is a deed for the DM rather
    than a thing missing: the words open as an idiom does ("a deep breath", "my leave",
    "a swig of ale") and no item anywhere in the world is called so. "take the sword",
    "get lantren" (a slip) and "take a sword" where the world has swords stay the plain
    "You see no ... here."."""
    if not _A_THING.match(words.strip()):
        return False
    target = _the_thing_itself(words.strip())
    target = target.split(" ", 1)[1] if target.split(" ", 1)[0] in _POSSESSIVE else target
    every = search.wares(world, world.templates.items)
    return not any(search.score(t, target) for t in every)


#: A drop of oneself: "drop down", "drops down into the dark", "drop through the hatch".
_DROPPED_DOWN = re.compile(r"^(?:down|through|into|below)\b", re.I)
#: What a drop of oneself may drop into, besides the way's own words: "the dark".
_THE_DARK = frozenset({"dark", "darkness", "black", "gloom", "hole", "opening", "below", "there"})


def _names_the_way_down(world: World, actor: Character, words: str) -> bool:
    """Whether ``words``, after "drop down", "drop through" or "drop into", name nothing
    but the way down from ``actor``'s room: nothing, the dark, a stair or shaft, or the
    builder's words for that way (``_way_named``: its door, the room it leads to; "down
    into the dark", "through the trapdoor"); not "into a
    crouch" or "down behind the bar" (found in review: walked to the cellar). Pure."""
    if world.room(actor.room).exit("down") is None:
        return False
    named = set(re.findall(r"[a-z]+", words.lower())) - _LITTLE_WORDS - {"down", "through", "into"}
    rest = named - _THE_DARK - _CLIMBED
    # The way's own words, as a way with no door is named (``_way_named``).
    return not rest or _way_named(world, actor, " ".join(sorted(rest))) == "down"


def cmd_drop(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """drop <item>   ('drop all' empties your pack)

    Put something you carry down on the floor. What you wield or wear must be removed
    first ('drop all' leaves it on you).
    """
    what = intent.args.strip()
    if not what:
        return _err(actor.key, "Drop what?")
    if _ALL.fullmatch(what):
        # What you wield and wear stays on you: 'drop all' empties the pack, not your
        # hands; your own copies of quest items stay too.
        chosen = [
            i
            for i in actor.inventory
            if not game.in_use(world, actor, i) and not _own_copy(world, i)
        ]
        if not chosen:
            return _say(actor.key, "You are carrying nothing you could drop.")
    else:
        found = search.find(search.carried(world, actor), what, search.CARRIED)
        dropped = _DROPPED_DOWN.match(what) if found.thing is None else None
        if dropped is not None and _names_the_way_down(world, actor, what[dropped.end() :]):
            # "*hauls the trapdoor open and drops down into the dark*" (played: "You are
            # not carrying 'down into the dark'."): a drop of oneself, the way down.
            return _climb(world, actor, "climb", "down", ctx) or _err(actor.key, found.error)
        if dropped is not None:
            # "*drops into a crouch*", "drop down behind the bar": a drop of oneself to no
            # way out, a pose (it had read "You are not carrying 'into a crouch'.").
            return _posed(
                world, actor, f"drops {game.own_words(what, by_actor=False, actor=actor)}"
            )
        if found.thing is None:
            return _err(actor.key, found.error)
        if busy := game.in_use(world, actor, found.thing.ref) or _own_copy(world, found.thing.ref):
            return _err(actor.key, busy)
        chosen = [found.thing.ref]
    effects: list[Effect] = []
    for item in chosen:
        name = world.item_template(item).name
        effects += [
            Transfer(item, f"char:{actor.key}", f"room:{actor.room}"),
            *phrasing.act(actor, "{actor} {v:drop} {item}.", item=phrasing.item_a(name)),
        ]
    return effects


def _own_copy(world: World, item: str) -> str:
    """Why ``item`` cannot leave its carrier's hands ("" if it can): a ``unique:
    per_player`` item is everyone's own copy (each player who needs it takes one), so a
    dropped or given copy would only pile up on floors and in packs."""
    tmpl = world.item_template(item)
    if not tmpl.per_player:
        return ""
    return f"{capitalise(definite(tmpl.name))} is yours alone to keep: everyone takes their own."


#: What is asked for with "give me": "me a potion", "us two ales, please".
_GIVE_ME = re.compile(r"(?:me|us)\s+(?!.*\bto\s)(.+?)[\s.!?]*$", re.I)


def cmd_give(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """give <item> to <player>   or   give <amount> gold to <player>

    Hand something you carry, or some of your gold, to a player in the same room. The
    people of the world take only what they want back ('give the locket to edda'), and
    some take a tip ('give bessa 2 gold', or 'tip bessa').
    """
    text = intent.args.strip()
    asked = _GIVE_ME.match(text)
    if asked is not None:
        # "give me a potion" at Tobin's counter (played: "You are not carrying 'me'."):
        # an order; anywhere else, words to the others ("give me the key").
        bought = _order_said(world, actor, asked.group(1), ctx, bare=True)
        if bought is not None:
            return bought
        return cmd_say(world, actor, Intent("say", intent.raw, intent.raw), ctx)
    people = search.people(world, actor.room, besides=actor.key)
    text = re.sub(r"^over\s+", "", text, flags=re.I)  # "hand over the key to ann"
    what, sep, whom = text.rpartition(" to ")
    if not sep:
        what, _, whom = text.partition(" ")
        named = [*people, *search.npcs(world, actor.room)]
        if whom and (search.find(named, what).thing is not None or _HIM.fullmatch(what)):
            # "give tamsin 5 gold", the other way round (and "give bessa the stew": played,
            # "You are not carrying 'bessa'.").
            what, whom = whom, what
    what, whom = what.strip(), whom.strip()
    if not what or not whom:
        return _err(actor.key, "Usage: give <item> to <player>, or give <amount> gold to <player>")
    if _HIM.fullmatch(whom):
        # "give it to her" just after speaking to Sister Aldith (played: "You see no
        # 'her' here."): the one talked with, else the one of the world here.
        alone = not search.people(world, actor.room, besides=actor.key, viewer=actor.key)
        one = _partner(world, actor, ctx.recent) or (_sole_talker(world, actor) if alone else None)
        npc_state = world.npcs.get(one) if one is not None else None
        whom = world.templates.npcs[npc_state.id].name if npc_state is not None else whom
    coins = _GOLD.fullmatch(what.lower())
    if coins is not None:
        return _give_gold(world, actor, int(coins.group(1)), whom)
    counted = _coins_said(what)
    if counted is not None and not search.find(search.carried(world, actor), what).ok:
        # "give crake a coin" (played: "You are not carrying 'coin'."): gold, unless a
        # thing carried is called that (a handful of copper coins picked up).
        return _give_gold(world, actor, counted, whom)
    if _odd_amount(what) and re.search(rf"{_COINS}\s*$", what, re.I):
        # "give -5 gold to alice", "give 2.5 gold", "give 99999999999 gold" (played:
        # "You are not carrying '-5 gold'.").
        return _err(actor.key, "Give a whole number of gold, 1 or more: 'give 5 gold to <player>'.")
    found = search.find(search.carried(world, actor), what, search.CARRIED)
    if found.thing is None:
        return _err(actor.key, found.error)
    item = found.thing.ref
    if busy := game.in_use(world, actor, item):
        return _err(actor.key, busy)
    person = search.find(people, whom)
    npc = search.find(search.npcs(world, actor.room), whom).thing if person.thing is None else None
    if npc is not None:
        # Given to someone of the world who takes it ("give the locket to edda"): even
        # one's own copy of a quest item, which leaves the world with them.
        taken = game.handed_to(world, actor, npc.ref, item)
        if taken is not None:
            return taken
    if busy := _own_copy(world, item):
        return _err(actor.key, busy)
    if person.thing is None:
        held = definite(world.item_template(item).name)
        return _err(actor.key, _nobody_to_give(world, actor, whom, held) or person.error)
    target = world.chars[person.thing.ref]
    if target.down and world.item_template(item).kind == "consumable":
        # "give potion to ilse", fallen in the fight: she can drink nothing herself.
        return game.give_to_drink(world, actor, target, item, ctx)
    template = world.items[item].template
    # One of several like it is "a" one (played: "You give the potion of healing to Oren."
    # from a pack of two); the only one is "the".
    several = sum(world.items[i].template == template for i in actor.inventory) > 1
    name = world.item_template(item).name
    return [
        *phrasing.act(
            actor,
            "{actor} {v:give} {item} to {target}.",
            target=target,
            for_target="{actor} {v:give} {target} {item}.",
            item=phrasing.item_a(name) if several else phrasing.item_the(name),
        ),
        Transfer(item, f"char:{actor.key}", f"char:{target.key}"),
    ]


def _nobody_to_give(world: World, actor: Character, whom: str, what: str) -> str:
    """Why an NPC here that ``whom`` names does not take ``what`` (said as it reads:
    "your gold", "the hooded lantern"): they take only what they accept ("give 1 gold to
    bessa" said "You see no 'bessa' here." with Bessa behind her bar), or that they are
    not here; "" when it names none of them."""
    npc = search.find(search.npcs(world, actor.room), whom).thing
    if npc is None:
        # "give the lantern to aldith" where she is not: "Sister Aldith is not here."
        return game.away_from(world, whom)
    return f"{capitalise(definite(npc.name))} does not want {what}."


#: The words for coin after an amount: "gold", "gold coins", "coin", "gp".
_COINS = r"(?:gold pieces?|gold coins?|gold|gp|coins?)"
#: "5 gold", "5 gold coins", "1 coin", "12 gp".
_GOLD = re.compile(rf"(\d{{1,9}})\s*{_COINS}")


#: An amount that is no whole number of 1 to 999,999,999: "-5", "2.5", "1e9", a
#: fraction, or ten digits and more (``_odd_amount``; ``game.cmd_buy`` has its own for
#: a count, whose most is ``MAX_BUY``).
_ODD_AMOUNT = re.compile(
    r"(?<![\w.])(?:[-\u2212]\s*\d|\d+[.,]\d|\d+e\d|\d{10,}|[\u00bc-\u00be\u2150-\u215e])", re.I
)


def _odd_amount(words: str) -> bool:
    """Whether ``words`` give an amount that is no whole number of 1 to 999,999,999
    ("give -5 gold", "tip bessa 1e9", "buy 2.5 stew", "split -10"), which the commands
    refuse as such. Played by an exploit hunter: "tip bessa -3" gave her 3 gold, "tip
    bessa 1e9" answered "Bessa Thorn is not here." with her behind the bar. Pure."""
    return _ODD_AMOUNT.search(words) is not None


def _give_gold(world: World, actor: Character, amount: int, whom: str) -> list[Effect]:
    """``actor`` hands ``amount`` gold to the player ``whom`` names, beside them, or to
    someone of the world here who takes tips (``game.tipped``). Called by ``give`` and
    ``tip``. Played: "give 1 gold to tamsin" answered "You are not carrying '1 gold'."."""
    if amount <= 0:
        return _err(actor.key, "Give how much? 'give 5 gold to <player>'.")
    if amount > actor.gold:
        return _err(actor.key, f"You have only {actor.gold} gold.")
    person = search.find(search.people(world, actor.room, besides=actor.key), whom)
    if person.thing is None:
        npc = search.find(search.npcs(world, actor.room), whom).thing
        if npc is not None and (tip := game.tipped(world, actor, npc.ref, amount)) is not None:
            return tip
        return _err(actor.key, _nobody_to_give(world, actor, whom, "your gold") or person.error)
    target = world.chars[person.thing.ref]
    return [
        CharUpdate(actor.key, gold=actor.gold - amount),
        CharUpdate(target.key, gold=target.gold + amount),
        *phrasing.act(
            actor,
            "{actor} {v:give} {target} {amount} gold.",
            target=target,
            amount=str(amount),
        ),
    ]


def cmd_split(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """split <amount>   (also: split <amount> gold)

    Share out gold with your group: the amount is divided evenly among the members
    beside you and you (you keep any odd coin), and each is told their share. Words
    that are no amount ('split the bread') are an action for the Dungeon Master.
    """
    if _odd_amount(intent.args) and len(intent.args.split()) <= 2:
        # "split -10" (tried: "You try to split -10.", a deed for the room).
        return _err(actor.key, "Split how much? A whole number of gold: 'split 10'.")
    shared = party.split(world, actor, intent.args)
    return shared if shared is not None else _as_deed(world, actor, intent, ctx)


def cmd_tip(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """tip <someone> [amount]

    Give someone beside you gold for their trouble: 1 gold unless you say how much
    ('tip bessa', 'tip bessa 3 gold', 'tip 2 gold to tamsin'). Not everyone of the
    world takes it.
    """
    text = intent.args.strip()
    if _odd_amount(text):
        return _err(actor.key, "A tip is a whole number of gold, 1 or more: 'tip bessa 3'.")
    found = _TIP_AMOUNT.search(text)
    amount = int(found.group(1)) if found is not None else 1
    if found is not None:
        text = text[: found.start()] + " " + text[found.end() :]
    whom = re.sub(r"^(?:to|with)\s+|\s+(?:to|with)$", "", " ".join(text.split()), flags=re.I)
    if not whom:
        return _err(actor.key, "Tip whom? 'tip bessa' gives her 1 gold, 'tip bessa 3' gives 3.")
    here = [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]
    if search.find(here, whom).thing is None and not game.away_from(world, whom):
        # "tip the barrel over" names no one: a deed, as it was before 'tip' was a command.
        return game.action(world, actor, intent.raw.strip(), ctx)
    return _give_gold(world, actor, amount, whom)


#: What a count of coins names after its number: "coins", "gold pieces", "copper coins".
_COIN_WORDS = re.compile(
    rf"(?:(?:gold|silver|copper|shiny|little)\s+)?(?:{_COINS}|pieces?(?:\s+of\s+gold)?)",
    re.I,
)


def _coins_said(what: str) -> int | None:
    """How much gold ``what`` names in words ("a coin", "two gold coins", "5 gold": a
    count as ``game.counted`` reads it), or None when it names something else. Pure."""
    words = what.strip()
    if words.lower().startswith("the "):
        words = words[4:]
    head, _, rest = words.partition(" ")
    count = (1, rest) if head.lower() in ("a", "an") else game.counted(words)
    if count is None or _COIN_WORDS.fullmatch(count[1].strip()) is None:
        return None
    return count[0]


#: Gold handed over in words: "here's a coin for your trouble", "have two coins".
_PAYING = re.compile(
    r"^\W*(?:here'?s|here\s+is|here\s+are|here,?\s+(?:take|have)|have|take)\s+"
    r"(?P<what>[\w\s]+?)(?:\s+for\s+(?P<for>.*?)|\s+as\b.*)?[\s.!,]*$",
    re.I,
)


def _paid_by_words(
    world: World, actor: Character, text: str, to: str | None, ctx: Ctx
) -> list[Effect]:
    """The gold that ``text``, said aloud by ``actor`` to the player named ``to`` (None:
    to the room), hands over ("here's a coin for your trouble"): to that player, else
    to the one of the world ``actor`` talks with (``_partner``), else the one here who
    talks, else the only other player here; [] when it hands no gold, or no one is
    plain. Played: "thanks crake. here's a coin for your trouble" was said, and the
    coin stayed in the purse."""
    lowered = text.lower()
    if "coin" not in lowered and "gold" not in lowered and "piece" not in lowered:
        return []  # most lines
    amount = None
    for sentence in sentences(text):
        paying = _PAYING.match(sentence)
        amount = _coins_said(paying.group("what")) if paying is not None else None
        if amount is not None:
            break
    if amount is None:
        return []
    whom = to
    if whom is None:
        npc = _partner(world, actor, (*ctx.recent, text)) or _sole_talker(world, actor)
        if npc is not None:
            whom = world.templates.npcs[world.npcs[npc].id].name
    if whom is None:
        others = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
        whom = world.chars[others[0].ref].name if len(others) == 1 else None
    if whom is None:
        return []
    paid = _give_gold(world, actor, amount, whom)
    return [] if phrasing.refused(paid, actor.key) and amount <= actor.gold else paid


#: How much a tip is: "3", "3 gold", "3 gold coins", "3 gp".
_TIP_AMOUNT = re.compile(rf"\b(\d{{1,9}})(?:\s*{_COINS})?\b", re.I)


# -- settings and account -----------------------------------------------------------


def _on_off(word: str) -> bool | None:
    w = word.strip().lower()
    if w in ("on", "yes", "true", "1"):
        return True
    if w in ("off", "no", "false", "0"):
        return False
    return None


def cmd_colour(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """colour on|off   (also: color)

    Turn colour on or off for your terminal.
    """
    value = _on_off(intent.args)
    if value is None:
        return _err(actor.key, "Usage: colour on|off")
    return [
        SetPrefs(actor.key, colour=value),
        Tell(actor.key, Doc.text(f"Colour is now {'on' if value else 'off'}.")),
    ]


def cmd_screenreader(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """screenreader on|off   (also: sr)

    Screen reader mode: no colour, no boxes or art, simple linear text. Alone, it
    switches the mode over.
    """
    toggled = not intent.args.strip()
    # Played: the first screen says "Type sr at the name prompt"; a player who typed it
    # in the game read "You try to sr.", and "screenreader" alone was a usage line.
    value = not reads_aloud(actor) if toggled else _on_off(intent.args)
    if value is None:
        return _err(actor.key, "Usage: screenreader on|off")
    said = f"Screen reader mode is now {'on' if value else 'off'}."
    if actor.reader and value:
        said = "Screen reader mode is on (your client asked for it already, and now you have)."
    elif actor.reader:
        # The player's word beats the client's flag: say so, and how to undo it.
        said += " Your client asks for it: 'screenreader on' turns it back on."
    elif toggled:
        said += f" ('{intent.raw.split()[0].lower()}' again turns it {'off' if value else 'on'}.)"
    return [SetPrefs(actor.key, screenreader=value), Tell(actor.key, Doc.text(esc(said)))]


def cmd_width(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """width <columns>|auto

    Wrap text at a fixed width (20 to 500 columns), or follow your terminal (auto).
    """
    arg = intent.args.strip().lower()
    if arg == "auto":
        return [
            SetPrefs(actor.key, width=0),
            Tell(actor.key, Doc.text("Width now follows your terminal.")),
        ]
    if not arg.isdigit() or not 20 <= int(arg) <= 500:
        return _err(actor.key, "Usage: width <20-500>|auto")
    return [
        SetPrefs(actor.key, width=int(arg)),
        Tell(actor.key, Doc.text(f"Width set to {int(arg)} columns.")),
    ]


def cmd_prompt(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """prompt [template | default | off | on]

    Set what your prompt shows. Codes: %h hit points, %H most hit points, %x experience,
    %g gold, %l level, %% a percent sign. 'prompt' alone shows yours; 'prompt default'
    (or 'prompt on') goes back to '%h/%H HP >'; 'prompt off' shows no prompt at all.
    """
    text = " ".join(intent.args.split())
    mine = str(actor.extra.get("prompt") or DEFAULT_PROMPT)
    if text.lower() in ("off", "none", "hide", "hidden"):
        # Played: 'prompt off' set the prompt to the word "off", spoken after every line.
        return [
            SetPrefs(actor.key, prompt=PROMPT_OFF),
            Tell(actor.key, Doc.text("Prompt off: none is shown. 'prompt on' brings it back.")),
        ]
    if not text and mine == PROMPT_OFF:
        return _say(actor.key, "Your prompt is off. 'prompt on' brings it back.")
    if not text:
        return _say(
            actor.key,
            f"Your prompt is '{esc(mine)}' (showing '{esc(prompt_text(actor, mine))}'). "
            "Codes: " + esc(", ".join(f"%{c} {what}" for c, what in PROMPT_CODES.items())) + ".",
        )
    if text.lower() in ("default", "on"):
        text = ""
    if len(text) > MAX_PROMPT:
        return _err(actor.key, f"A prompt may be at most {MAX_PROMPT} characters.")
    shown = prompt_text(actor, text or DEFAULT_PROMPT)
    return [
        SetPrefs(actor.key, prompt=text),
        Tell(actor.key, Doc.text(f"Prompt set: {esc(shown)}")),
    ]


def cmd_password(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """password

    Change your password (you will be asked for the old one, then the new one twice).
    """
    return [StartFlow(actor.key, "password")]


def cmd_keys(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """keys [list | add <public key> | remove <fingerprint>]

    Manage the SSH public keys that log you in with 'ssh yourname@host'. Paste the
    whole line of your ~/.ssh/id_ed25519.pub after 'keys add'.
    """
    sub, _, rest = intent.args.strip().partition(" ")
    sub = sub.lower()
    if sub in ("", "list"):
        return [ListKeys(actor.key)]
    if sub == "add":
        if not rest.strip():
            return _err(actor.key, "Usage: keys add <the contents of your .pub file>")
        return [StartFlow(actor.key, "keys_add", rest.strip())]
    if sub in ("remove", "rm", "del", "delete"):
        if not rest.strip():
            return _err(actor.key, "Usage: keys remove <fingerprint>")
        return [RemoveKey(actor.key, rest.strip())]
    return _err(actor.key, "Usage: keys [list | add <public key> | remove <fingerprint>]")


def cmd_save(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """save

    Nothing to do: your character is saved as you play, after every change, and
    nothing is lost when you quit or your connection drops.
    """
    return _say(
        actor.key,
        "Your character is saved as you play, after every change: nothing is lost when you"
        " quit or your connection drops.",
    )


def cmd_quit(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """quit

    Save and leave the game.
    """
    return [
        ToRoom(
            actor.room,
            Doc.text(f"{_name(actor)} leaves the game."),
            exclude=(actor.key, *world.ignored_by.get(actor.key, ())),
        ),
        Quit(actor.key, Doc.text(styled("system", "Your progress is saved. Farewell, traveller."))),
    ]


def cmd_escort(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """escort <someone>

    Ask someone of the world here to come along with you (as saying "come with me" to
    them does): some will, once the story allows it, and walk behind you to where they
    are going. Edda Venn, once the Lamplighter is beaten, goes home to the Drowned
    Lantern.
    """
    words = intent.args.strip()
    if not words:
        return _err(actor.key, "Escort whom? Name someone of the world here.")
    found = search.find(search.npcs(world, actor.room), words)
    if found.thing is None:
        mate = search.find(search.people(world, actor.room, besides=actor.key), words).thing
        if mate is not None:
            # Played: "escort brannoc" said "You see no 'brannoc' here." beside him.
            return _err(actor.key, f"{mate.name} is a player: invite them to your group.")
        return _err(actor.key, found.error)
    tmpl = world.templates.npcs[world.npcs[found.thing.ref].id]
    if tmpl.escort is None:
        return _err(actor.key, f"{capitalise(definite(tmpl.name))} is not going anywhere with you.")
    return game.talk_to(world, actor, found.thing.ref, "Come with me.")


def cmd_assist(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """assist <player>   (also: 'help <player>' in their fight)

    Fight beside a player here: join the fight they are in, or, on your turn, attack
    the foe. Words that name no one here ('assist the old woman') are an action for the
    Dungeon Master.
    """
    words = intent.args.strip()
    current = world.fights.get(actor.room)
    if not words:
        if current is None:
            return _err(actor.key, "Assist whom? Name a player here who is fighting.")
        return game.cmd_attack(world, actor, Intent("attack", "", intent.raw), ctx)
    found = search.find(search.people(world, actor.room, besides=actor.key), words)
    if found.thing is None:
        return _as_deed(world, actor, intent, ctx)
    mate = world.chars[found.thing.ref]
    if current is None or not current.has(f"p:{mate.key}"):
        return _err(actor.key, f"{mate.name} is not in a fight here.")
    # Played: "assist brannoc" in the loft's fight was refused with the fight's commands.
    return game.cmd_attack(world, actor, Intent("attack", "", intent.raw), ctx)


def _fighting_here(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name a player beside ``actor`` who is in this room's fight."""
    current = world.fights.get(actor.room)
    if current is None or not words.strip():
        return False
    found = search.find(search.people(world, actor.room, besides=actor.key), words).thing
    return found is not None and current.has(f"p:{found.ref}")


def cmd_help(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """help [command or topic]

    Without a topic, list the commands. With one, explain it. ('help <player>' in a
    fight they are in is 'assist <player>'.)
    """
    if _fighting_here(world, actor, intent.args):
        return cmd_assist(world, actor, Intent("assist", intent.args, intent.raw), ctx)
    topic = intent.args.strip().lower()
    table = COMMANDS_BY_NAME
    if topic.rstrip("!.") in ("me", "us") and "!" in intent.raw:
        # "help me!": a cry to whoever is here (tried: "There is no help on 'me!'.").
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    if re.match(r"(?:me|us)\s+\w", topic):
        if topic.split()[1] not in COMMANDS_BY_NAME:
            # "help me kill it", "help us get out": asked of the others (played in a
            # fight: "There is no help on 'me kill it'.").
            return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
        topic = topic.split(maxsplit=1)[1]  # "help me look": the help on 'look'
    if topic.rstrip("!.?") in ("me", "us", "please"):
        topic = ""  # "help me", "help please": the list of commands
    if len(topic.split()) > 1 and topic not in ctx.help_topics:
        here = [
            *search.people(world, actor.room, besides=actor.key),
            *search.npcs(world, actor.room),
        ]
        words = topic.split()
        # The longest run of leading words that names someone ("sister aldith"), not
        # read past "with" ("aldith with the candles" is Aldith, then the rest).
        longest = next(
            (
                n
                for n in range(min(4, len(words)), 0, -1)
                if not {"with", "using"} & set(words[1:n])
                and search.find(here, " ".join(words[:n])).thing is not None
            ),
            0,
        )
        if 0 < longest < len(words):
            # "help talis look" as she searched the chapel floor (played: "There is no
            # help on 'talis look'."): a deed done with them. Their name alone is still
            # looked up in the help.
            return game.action(world, actor, intent.raw.strip(), ctx)
    if not topic:
        names = sorted(c.name for c in COMMANDS if not c.admin or actor.is_admin)
        blocks: list[Para | Title] = [
            Title(styled("title", "Commands")),
            Para("  ".join(styled("bold", n) for n in names)),
            Para(
                "Type 'help <command>' for details. Anything that is not a command is an action "
                "for the Dungeon Master: just write what you do, or ask ('what now?'). '!' "
                "runs the line you typed before again ('again' in a fight strikes again)."
            ),
        ]
        if world.templates.socials:
            words = sorted({s.word for s in world.templates.socials.values()})
            blocks.append(Para("Socials: " + ", ".join(styled("bold", w) for w in words)))
        blocks.append(
            Para(
                "Rules: "
                + styled("item", "checks")
                + " (how a deed is rolled), "
                + styled("item", "fight")
                + " (how a fight goes)"
            )
        )
        if ctx.help_topics:
            blocks.append(
                Para(
                    "World topics: " + ", ".join(styled("item", t) for t in sorted(ctx.help_topics))
                )
            )
        if actor.is_admin:
            blocks.append(Para("Admin: " + styled("item", "admin") + " (what your commands do)"))
        return [Tell(actor.key, Doc(tuple(blocks)))]
    command = table.get(ALIASES.get(topic, topic))
    if command is not None and (not command.admin or actor.is_admin):
        usage, _, body = command.help.partition("\n")
        aliases = f" (aliases: {', '.join(command.aliases)})" if command.aliases else ""
        # A docstring's lines are wrapped for the source, not for the reader: each of its
        # paragraphs is one, wrapped to the player's width ("'kick" ended a line).
        paragraphs = [" ".join(p.split()) for p in body.strip().split("\n\n") if p.strip()]
        return [
            Tell(
                actor.key,
                Doc(
                    (
                        Title(styled("title", command.name)),
                        Para(tag("bold", esc(usage)) + esc(aliases)),
                        *(Para(esc(p)) for p in paragraphs),
                    )
                ),
            )
        ]
    if topic in ctx.help_topics:
        return [
            Tell(actor.key, Doc((Title(styled("title", topic)), Para(esc(ctx.help_topics[topic])))))
        ]
    if topic in fight.HELP_WORDS:
        paragraphs = fight.fight_help(world, actor, game.TURN_TIME)
        return [
            Tell(
                actor.key,
                Doc((Title(styled("title", "fights")), *(Para(p) for p in paragraphs))),
            )
        ]
    if topic in _ADMIN_HELP:
        return _admin_help(actor)
    if topic in rulings.HELP_WORDS:
        # "help search", "help rules" (played: a rules-minded fighter found no help on how
        # a search is rolled): the rules of checks, from the engine's own tables.
        paragraphs = rulings.checks_help(world, actor)
        return [
            Tell(
                actor.key,
                Doc((Title(styled("title", "checks")), *(Para(esc(p)) for p in paragraphs))),
            )
        ]
    return _err(actor.key, f"There is no help on '{topic}'. Type 'help' for a list.")


#: "help admin", and the other MUDs' words for it ("wizhelp" is typed alone: an alias).
_ADMIN_HELP = frozenset({"admin", "admins", "wiz", "wizard", "immortal", "imm", "staff", "god"})


def _admin_help(actor: Character) -> list[Effect]:
    """The admin commands, each with what to type and the first sentence of its help, for
    an admin; for anyone else, that admins keep the world. Played: an operator's first
    "help admin" was "There is no help on 'admin'.", the admin commands mixed among the
    players' in 'help'."""
    if not actor.is_admin:
        return _err(actor.key, "Admins keep this world; their commands are theirs alone.")
    rows = tuple(
        (tag("bold", esc(c.name)), *(esc(t) for t in _admin_row(c)))
        for c in sorted(COMMANDS, key=lambda c: c.name)
        if c.admin
    )
    return [
        Tell(
            actor.key,
            Doc(
                (
                    Title(styled("title", "Admin commands")),
                    Table(rows, ("Command", "Type", "What it does")),
                    Para("'help <command>' says more of each."),
                )
            ),
        )
    ]


def _admin_row(command: Command) -> tuple[str, str]:
    """(what to type, what it does) of an admin ``command`` for ``_admin_help``: its
    usage and its help's first sentence without "(admin)"; a command that shares
    another's help ("unmute", told in "mute"'s "(also: unmute <player>)") by its own
    words there, and as that one's undoing."""
    usage, _, also = command.help.partition("\n")[0].partition("(also:")
    usage = " ".join(usage.split())
    first = re.sub(r"^\(admin\)\s*", "", _help_sentences(command)[0]) + "."
    if usage.split()[:1] != [command.name]:
        own = re.search(rf"\b{re.escape(command.name)}\b[^,)]*", also)
        base = usage.split()[0] if usage else ""
        return (own.group(0).strip() if own else command.name), f"Undoes '{base}' ('help {base}')."
    return usage, first


# -- the Dungeon Master -------------------------------------------------------------


def cmd_do(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """do <action>

    Tell the Dungeon Master what your character does ('do I pry at the loose stone').
    Anything you type that is not a command is treated the same way.
    """
    text = intent.args.strip()[:MAX_SAY]
    if not text:
        return _err(actor.key, "Do what? Describe your action, e.g. 'do I search the hearth'.")
    taker = _held_out_to_taker(world, actor, text)
    if taker is not None:
        # "Wren kneels before Sister Aldith and holds out the saint's lantern." (played:
        # the lantern's own words for holding it up, and Aldith never took it): given
        # to the one here who takes it.
        given = cmd_give(world, actor, Intent("give", f"{taker[0]} to {taker[1]}", text), ctx)
        if not phrasing.refused(given, actor.key):
            return given
    lifted = _lifted_from_floor(world, actor, text)
    if lifted:
        # "Wren kneels and lifts Ysolde's lantern from the floor, reverent." (played: the
        # lantern's own words for lifting it, and it stayed on the floor): taken up, and
        # then lifted as the builder wrote it.
        taken = cmd_get(world, actor, Intent("get", lifted, intent.raw), ctx)
        if not phrasing.refused(taken, actor.key):
            return [*taken, Then(actor.key, f"do {text}")]
    raised = _RAISED_THING.match(text)
    if raised is not None and game.item_action(world, actor, text) is None:
        # "lifts the tarnished locket, turning it over in her palm" on the Drowned Stair
        # (played: a STR check, failed, and the locket left lying): a thing lying here,
        # lifted, is taken up.
        what = raised.group("what").strip()
        found = search.find(search.floor(world, actor.room), what)
        said = set(re.findall(r"[a-z']+", what.lower())) - {"the", "a", "an"}
        if (
            found.thing is not None
            # One's own ("raise my hood", "raise my mace high": found in review, the
            # lantern or a mace lying there taken), and by whole words only.
            and what.split()[0].lower() not in _POSSESSIVE
            and said <= game.name_words(world.item_template(found.thing.ref))
        ):
            named = found.thing.name
            taken = cmd_get(world, actor, Intent("get", named, f"get {named}"), ctx)
            if not phrasing.refused(taken, actor.key):
                return taken
    return game.action(world, actor, text, ctx)


#: A thing lifted in hand, and how: "lift the locket, turning it over in my palm",
#: "raise the lantern up from the floor".
_RAISED_THING = re.compile(
    r"^\W*(?:lift|raise)s?\s+(?:up\s+)?(?P<what>[^,]+?)"
    r"(?:\s+(?:up|high|gently|carefully|from\s+[^,]+|out\s+of\s+[^,]+|off\s+[^,]+))?\s*(?:,.*)?$",
    re.I,
)


#: A thing held out, to no one named: "hold out the saint's lantern", "hold the key out".
_HELD_OUT_ALONE = re.compile(
    r"^\W*(?:hold|stretch|offer)s?\s+(?:out\s+(?P<what>[^,]+?)|(?P<what2>(?!out\b)[^,]+?)\s+out)"
    r"[\s,.!]*$",
    re.I,
)


def _held_out_to_taker(world: World, actor: Character, text: str) -> tuple[str, str] | None:
    """(the thing's name, the taker's name) when ``text`` holds out a thing ``actor``
    carries that the one NPC here who takes such things (``NpcTemplate.accepts``)
    would take; None otherwise."""
    held = _HELD_OUT_ALONE.match(text)
    if held is None:
        return None
    found = search.find(search.carried(world, actor), held.group("what") or held.group("what2"))
    if found.thing is None:
        return None
    template = world.items[found.thing.ref].template
    takers = [
        world.templates.npcs[npc.id].name
        for npc in world.npcs_in(actor.room)
        if any(a.item == template for a in world.templates.npcs[npc.id].accepts)
    ]
    return (found.thing.name, takers[0]) if len(takers) == 1 else None


#: Words that take a thing up in hand: "lift the lantern", "raises it from the water".
_LIFTING = re.compile(r"^\W*(?:lift|raise|hold|pick|scoop|take)s?\b", re.I)


def _lifted_from_floor(world: World, actor: Character, text: str) -> str:
    """The name of a thing lying here, not carried, that ``text`` lifts by a builder's
    action of the thing's own ("lift Ysolde's lantern from the floor"); "" otherwise."""
    if _LIFTING.match(text) is None or game.item_action(world, actor, text) is None:
        return ""
    words = set(re.findall(r"[a-z']+", text.lower()))
    for thing in search.floor(world, actor.room):
        if words & game.name_words(world.item_template(thing.ref)):
            carried = {world.items[i].template for i in actor.inventory if i in world.items}
            if world.items[thing.ref].template not in carried:
                return thing.name
    return ""


def cmd_follow(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """follow [player]

    Walk after a player in this room wherever they go. 'follow' alone (or 'follow
    self') stops following. Following a way ('follow the lanterns south', 'follow the
    path north') walks that way; following anything else ('follow the tracks') is an
    action for the Dungeon Master.
    """
    words = intent.args.strip()
    if words and not party.names_someone(world, actor, words):
        way = named_way(words)
        if way is not None:
            # The campaign's own words ("Follow the little scratched lanterns south"):
            # played, a deed narrated where the player stood.
            return _walk_said(world, actor, way, words, intent, ctx)
        ahead = _way_ahead(world, actor)
        if ahead and scenery(world.room_text(actor.room, actor.key), words) is not None:
            # "follow the lanterns" in the tunnel whose scratched lanterns point the way
            # (played: "You try to follow the lanterns."): a thing the room's words speak
            # of, followed, is the one way on.
            return _walk_said(world, actor, ahead, words, intent, ctx)
        return _as_deed(world, actor, intent, ctx)
    return party.cmd_follow(world, actor, intent, ctx)


def _walk_said(
    world: World, actor: Character, way: str, words: str, intent: Intent, ctx: Ctx
) -> list[Effect]:
    """A walk said in a player's words (``words``, holding the direction ``way``): that
    way, or, when there is no way ``way`` from here and ``words`` name a place ("follow
    the reed path south" at the landing, the path being west), the walk to that place."""
    room = world.room(actor.room)
    ex = room.exit(way)
    seen = ex is not None and exit_visible(world, room.id, ex.direction, ex.hidden, actor.key)
    if not seen and lore.room_named(world, actor, words) is not None:
        return _go_to(world, actor, words, ctx)
    return cmd_go(world, actor, Intent("go", way, intent.raw), ctx)


def then(world: World, actor: Character, line: str, ctx: Ctx) -> list[Effect]:
    """What ``line``, the rest of a typed line (a ``Then``: "eat my stew" in "sit down
    and eat my stew"), does as a line of its own, once what came before it is done.
    Called by ``reactions.follow_ups``. ``who`` and ``help`` read a context built for
    their own verb, so after something else they are words for the DM."""
    intent = parse(line, ALIASES)
    if intent.verb in ("who", "help"):
        intent = Intent("do", line[:MAX_SAY], line)
    return dispatch(world, actor, intent, evolve(ctx, rest_of_line=True))


def _pose_command(doc: str) -> Handler:
    """A pose command (``mud.engine.poses``) with help text ``doc``: a line that is no
    pose ("sit the child down", "lie to Bessa") is a deed for the Dungeon Master."""

    def run(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
        verb = intent.raw.strip().split(maxsplit=1)[0] if intent.raw.strip() else intent.verb
        if verb.lower() not in poses.POSE_WORDS:
            verb = intent.verb
        and_then = poses.pose_then(world, actor, verb, intent.args)
        if and_then is not None:
            # "sit by the fire and warm my hands" read "You see no 'fire and warm my
            # hands' here.": the pose first, then the rest as a deed for the DM.
            done, rest = and_then
            head, _, body = rest.strip(" .!?").partition(" ")
            if rest and _as_one_is(rest) and "," in intent.args:
                # "sits by the fire, hands outstretched to the warmth" (played: "You try
                # to hands outstretched ..."): how one is as one sits, shown with it.
                plain = poses.POSE_WORDS.get(verb.lower()) or verb.lower()
                mine = game.own_words(intent.args.strip(" .!"), by_actor=False, actor=actor)
                shown = _posed(world, actor, f"{phrasing.third_person(plain)} {mine}")
                return [*(e for e in done if not isinstance(e, (Tell, ToRoom, LogChat))), *shown]
            if rest and _bodily(rest) and head.lower() in _GESTURES:
                # "kneels beside the cartographer and offers his hand" (played: "You try
                # to offer your hand.", narrated): a gesture, a pose ("warm my hands" by
                # the fire stays a deed).
                mine = game.own_words(body, by_actor=False, actor=actor)
                rest = f"emote {phrasing.third_person(head.lower())} {mine}"
            elif (
                rest
                and (_plain_verb(head.lower()) or head.lower()) in _LOOKING
                and body.strip()
                and not _LOOKING_INTO.match(body)
                and direction_of(body.split()[0].strip(",.!")) is None
            ):
                # "leans on the rail and watches the mist thin" (played: "You try to watch
                # the mist thin."): a look, read as a pose between stars is.
                said = head.lower() if _plain_verb(head.lower()) else phrasing.third_person(head)
                mine = game.own_words(body.strip(" .!?"), by_actor=False, actor=actor)
                rest = f"*{said} {mine}*"
            return done + ([Then(actor.key, _ing_as_deed(world, actor, rest))] if rest else [])
        posed = poses.pose(world, actor, verb, intent.args, posed=ctx.rest_of_line)
        if posed is not None:
            return posed
        power = powers.power_named(world, actor, f"{verb} {intent.args}")
        if power is not None:
            # "lay hands on hob", "lays a glowing hand on his wounds": a Lamp-Keeper's
            # healing, not lying down (played: a deed, and no one healed).
            return powers.use(world, actor, power[0], power[1], ctx)
        way = " ".join(intent.args.split()).strip(" .!")
        if (
            poses.POSE_WORDS.get(verb.lower()) == "lean"
            and way
            # "lean in" names no innkeeper (played: "You try to lean in.").
            and (set(way.lower().split()) <= _PARTICLES or not _names_a_thing(world, actor, way))
        ):
            # "lean back", "leans back in his chair, watching the door" (played: "You try
            # to lean back.", narrated as a deed): a way of leaning, shown as typed.
            mine = game.own_words(way, by_actor=False, actor=actor)
            return _posed(world, actor, f"leans {mine}")
        return _as_deed(world, actor, intent, ctx)

    run.__doc__ = doc
    return run


def cmd_powers(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """powers   (also: spells)

    The powers of your calling: what each does, what to type to use it, and how many
    uses are left before a long rest ('rest long'). A Lamp-Keeper heals ('heal Brisa',
    'heal' for yourself), and brings back a companion who has fallen in a fight.
    """
    return powers.cmd_powers(world, actor)


cmd_sit = _pose_command(
    """sit [down] [on|by|at|beside|with <something or someone here>]

    Sit down ('sit by the fire', 'sit with Maren', 'sit on the floor', 'sit bench'). Everyone who
    looks sees you sitting there until you stand, walk away or fight. What you add after
    'and' is done next ('sit by the fire and warm my hands').
    """
)
cmd_kneel = _pose_command(
    """kneel [before|at|by <something here>]

    Kneel ('kneel before the altar'). 'stand' gets you up again.
    """
)
cmd_lie = _pose_command(
    """lie down [on|by|in <something here>]   (also: lay down)

    Lie down ('lie down by the hearth'). To sleep and recover, use 'rest long'.
    """
)
cmd_lean = _pose_command(
    """lean on|against|by <something here>

    Lean on something ('lean on the bar', 'lean against the wall'); everyone who looks
    sees you leaning there until you move.
    """
)
cmd_stand = _pose_command(
    """stand [up] [by|at|near <something or someone here>]   (also: rise, get up)

    Get to your feet, or stand somewhere ('stand by the door').
    """
)


#: Tending one's own wounds, which is the short rest: "bandage my wounds", "bind up my
#: cuts", "patch myself up", "tend to my injuries".
_TENDING = re.compile(
    r"^(?:bandage|bind|tend|dress|patch|treat|clean)(?:\s+(?:up|to))?\s+"
    r"(?:(?:my|my own)\s+(?:wounds?|cuts?|injuries|injury|hurts?)|myself|me)(?:\s+up)?[.!]?$",
    re.I,
)
#: A night's sleep in players' words: "go to bed", "turn in", "rent a room", "take a room
#: for the night", "get some sleep" (the long rest, as 'sleep' is).
_TURNING_IN = re.compile(
    r"^\s*(?:i'll\s+|let\s+me\s+|i\s+(?:want|would\s+like)\s+to\s+)?"
    r"(?:go\s+to\s+(?:bed|sleep)|turn\s+in|call\s+it\s+a\s+night|get\s+some\s+(?:sleep|rest)"
    r"|take\s+a\s+nap|have\s+a\s+nap|(?:rent|take|get|book|hire)\s+(?:a|one\s+of\s+the|your)\s+rooms?)"
    r"(?:\s+(?:for\s+the\s+night|tonight|upstairs))?(?:,?\s+please)?\s*[.!]?\s*$",
    re.I,
)
#: The commands such a line opens with ("go to bed", "take a room"; "" for free text):
#: the test is kept off every other line ("look" above all).
_TURNING_IN_VERBS = frozenset({"", "go", "get"})
#: "take a seat (by the fire)", "have a closer look at the lantern", "take a breather":
#: a seat is sitting, a look is looking, a break is the short rest ("a long rest" the
#: long one). Played, they were "You cannot take the a seat by the fire.", "You see no
#: 'look around' here." and "You see no 'break' here.". Opened by "take", "grab", "get"
#: or free text ("have", "let's").
_TAKING_A = re.compile(
    r"^\s*(?:let(?:'s|\s+us|\s+me)\s+|i'll\s+|we'll\s+)?(?:take|have|grab|get)\s+(?:a|another)\s+"
    r"(?:(?P<seat>seat|pew|stool|chair)"
    r"|(?:(?:closer|good|quick|long|careful|proper|better|last)\s+)?(?P<look>look|peek|glance|gander)"
    r"|(?P<rest>break|breather|rest|short\s+rest|(?P<long>long)\s+rest))"
    r"\b\s*(?P<words>.*?)\s*[.!]?\s*$",
    re.I,
)


def _lone_slip(world: World, intent: Intent) -> bool:
    """Whether ``intent`` is one word that slipped (a ``suggestion``) and no verb of the
    game in the third person: "quets" (tried: read as "quet"), not "rises" or "nods"."""
    word = intent.args.strip().lower()
    if not intent.suggestion or not word.isalpha():
        return False
    plain = {word[:-1], word[:-2]} if word.endswith("s") else set()
    return not any(
        w in ALIASES or w in COMMANDS_BY_NAME or world.templates.social(w) is not None
        for w in plain
    )


#: Lying down somewhere in other words: "stretch out on a bench", "sprawl by the fire",
#: "curl up in front of the hearth" (the place after them is the pose's).
_STRETCHED_OUT = re.compile(
    r"^\s*(?:i\s+)?(?:stretch(?:es)?\s+(?:myself\s+)?out|sprawls?|curls?\s+up)\s+"
    # Not "before": "stretch out before the climb" is a time (found in review).
    r"(?P<rest>(?:on|by|in\s+front\s+of|beside|near|along|across|in|under)\s+.+)$",
    re.I,
)
#: Words that only say a look goes all about: "take a look around".
_ALL_ABOUT = re.compile(r"^(?:around|about|round)(?:\s+(?:here|the\s+room))?$", re.I)


def _taking_a(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect] | None:
    """What "take a seat", "have a look (at X)", "take a break" do (``_TAKING_A``), or
    None when ``intent`` is not such a line. Called by ``_dispatch`` for free text and
    for "get" (take, grab)."""
    said = _TAKING_A.match(intent.raw)
    if said is None:
        return None
    words = said["words"]
    if said["seat"]:
        return cmd_sit(world, actor, Intent("sit", words, intent.raw), ctx)
    if said["look"]:
        if _ALL_ABOUT.match(words):
            words = ""
        walk = _look_elsewhere(world, actor, words, ctx) if words else []
        return walk or cmd_look(world, actor, Intent("look", words, intent.raw), ctx)
    if words:
        return None  # "take a break from the fight": a deed
    # "i take a long rest" (played: "You try to take a long rest.").
    long = "long" if said["long"] else ""
    return game.cmd_rest(world, actor, Intent("rest", long, intent.raw), ctx)


#: What a look is at, before the thing: "at", "in", "around".
_LOOK_AT = re.compile(r"^(?:at|in|into|inside|around|round|through|over)\s+", re.I)


def _look_elsewhere(world: World, actor: Character, words: str, ctx: Ctx) -> list[Effect]:
    """The walk to the room ``words`` name (after "have a look"), when nothing here goes
    by them, another room does ("her room": the room of the one spoken of), and the
    actor follows no one here (a walk is the leader's to call); [] otherwise. Played:
    "let's have a look at her room" in the tavern was "You see no 'her room' here."."""
    place = _LOOK_AT.sub("", words.strip())
    if search.find(search.around(world, actor), place).thing is not None:
        return []
    if _follows_here(world, actor):
        return []
    room = _room_looked(world, actor, place, ctx)
    return _walk_named(world, actor, room, ctx) if room and room.startswith("to ") else []


#: One more thing for the command before: "and the locket", "the dagger too", "also
#: the map".
_AND_ALSO = re.compile(
    r"\W*(?:(?:and|also|plus)\s+(?P<thing>(?:the|a|an|my|this|that|some)\s+[^,.!?]+?)"
    r"(?:\s+too|\s+as\s+well)?|(?P<too>(?:the|a|an|my|this|that|some)\s+[^,.!?]+?)\s+too)"
    r"\s*[.!]*",
    re.I,
)
#: A round called for at a counter: "a round of ale for everyone, on me", "another
#: round!", "drinks on me!", "round of ale for the house".
_ROUND_CALLED = re.compile(
    r"\W*(?=\S+\s+\S)(?:(?:a|another)\s+)?(?:round(?:\s+of\s+[\w' -]{1,30}?)?|drinks)"
    r"(?:\s+for\s+(?:everyone|everybody|all|all\s+of\s+us|the\s+(?:house|table|room)))?"
    r"(?:[,.!]?\s*(?:on\s+me|please|bessa|my\s+treat))*[\s.!]*",
    re.I,
)
#: A rest named as the rules name it: "short rest", "a long rest".
_RESTING = re.compile(r"(?:an?\s+)?(short|long)\s+rest[.!]*", re.I)
#: The commands of one thing that "and the locket" may do again.
_AGAIN = frozenset({"get", "drop", "examine", "wield", "wear", "remove", "drink", "buy", "sell"})


def _before_from(words: str) -> str:
    """``words`` without where the thing is taken from: "the key from its chain" is
    "the key"."""
    return re.split(r"\s+(?:from|off|out\s+of|on)\s+", words, maxsplit=1, flags=re.I)[0]


def _and_also(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect] | None:
    """The command the actor typed just before (``ctx.previous``, one of ``_AGAIN``),
    done again with the thing ``intent``'s free words add ("take the key", then "and the
    locket"; played: a deed, "You act: and the locket"); None for any other line, or
    after any other command."""
    found = _AND_ALSO.fullmatch(intent.args.strip())
    if found is None:
        return None
    thing = found.group("thing") or found.group("too")
    before = parse(ctx.previous, ALIASES) if ctx.previous else None
    if before is None or before.verb in ("", "say"):
        # "and the key from its chain" just after another took the locket, one's own
        # line before it words (played: a deed): a thing lying here is taken.
        lying = search.find(search.floor(world, actor.room), _before_from(thing)).thing
        return _dispatch(world, actor, parse(f"get {thing}", ALIASES), ctx) if lying else None
    if before.verb not in _AGAIN:
        return None
    head = ctx.previous.split(maxsplit=1)[0]
    return _dispatch(world, actor, parse(f"{head} {thing}", ALIASES), ctx)


#: Words for getting at what an item says: "read packet", "unwrap the notes".
_READ_WORDS = frozenset({"read", "unwrap", "unfold", "unroll", "open"})
#: A question of what a thing says: "what does it say?", "what do the notes say?",
#: "what's written on the map?", "what's it show?", "what's on it?".
_WHAT_IT_SAYS = re.compile(
    r"\W*(?:(?:so|ok|okay|well|and|hm+)[,.!]?\s+)?what"
    r"(?:\s+(?:does|do|did)\s+(?P<said>.+?)\s+(?:say|show|read)"
    r"|'s\s+(?P<shows>.+?)\s+(?:say|show)"
    r"|(?:'s|\s+is|\s+was)\s+(?:written\s+|drawn\s+)?(?:on|in)\s+(?P<on>.+?))\s*[?!.]*",
    re.I,
)
_THAT_ONE = frozenset({"it", "that", "this", "they", "those", "these", "them"})


def _what_it_says(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """``text``, a question asked aloud whose last sentence asks what an item at hand
    says ("what do the notes say?", "what's written on the map?"), answered as 'read'
    answers it, after the sentences before it are said to the room ("nice find."); None
    for any other question, or one naming no item here or carried. "it" ("what does it
    say?") is what the asker's lines before named (``_named_before``), else what another
    player last handed them, else the one kind of item lying here that its room's
    builder did not put there (a find just uncovered, a thing dropped), else the one
    kind of item lying here that another here holds too ("what's it show?" by the map
    another has just taken a copy of). Played: "nice find. what does it say?" beside the
    oilcloth packet just uncovered was the DM's "You weigh what is known so far.", and
    the finder never heard it."""
    parts = address.SENTENCE.split(text.strip())
    found = _WHAT_IT_SAYS.fullmatch(parts[-1])
    if found is None:
        return None
    words = (found.group("said") or found.group("shows") or found.group("on") or "").strip()
    read: list[Effect] | None = None
    if words.lower() in _THAT_ONE:
        words = _it_at_hand(world, actor, ctx)
        held = _writing_beside(world, actor) if not words else None
        if held is not None:
            # 'Mara leans over his shoulder. "What does it say?"' as Jax read the map he
            # had just taken (played: said to the room, and no one answered): what the
            # one writing a companion beside holds says.
            holder, item = held
            seen = _item_read(world.item_template(item), _name(holder), read=True)
            read = [Tell(actor.key, seen)]
        elif not words:
            return None
    if read is None:
        read = _read_item(world, actor, words, text, ctx) or _read_thing_here(
            world, actor, words, ctx
        )
    if read is None:
        return None
    before = " ".join(parts[:-1])
    said = cmd_say(world, actor, Intent("say", before, f"say {before}"), ctx) if before else []
    # What a thing says is the table's, as the DM's answer of what it is (played: "wow!
    # what's in the packet?" beside the one who found it, who heard only "wow!").
    told = [e.doc for e in read if type(e) is Tell and e.who == actor.key]
    return [*said, *read, *_at_the_table(world, actor, parts[-1], told)]


def _item_read(tmpl: ItemTemplate, whose: str = "", *, read: bool = False) -> Doc:
    """An item examined, or ``read``: its name, then its description, or, read, what is
    written on it (``written_on``: a letter's words, not its folded outside); ``whose``
    (markup), the one who holds it, before the name ("Jax's scrap of map"). Pure."""
    use = item_use(tmpl)
    # A heading, capitalised as one (played 2026-12-07 over telnet without colour,
    # "scrap of map" alone on its line read as a line cut short).
    name = styled("item", tmpl.name if whose else capitalise(tmpl.name))
    return Doc(
        (
            Para(f"{whose}'s {name}" if whose else name),
            Para(esc(written_on(tmpl) if read else tmpl.description)),
            # What it does in the rules, as a player weighing it needs (played: "look
            # tonic" at the chandlery told only how it looks).
            *((Para(tag("dim", esc(use))),) if use else ()),
        )
    )


def written_on(tmpl: ItemTemplate) -> str:
    """What an item says when read: its builder's ``read`` action's words when it has
    one (Lanternfall's letter, whose words are only there: "what does the letter say?"
    showed the folded outside of it), else its description. Pure."""
    for act in tmpl.actions:
        if "read" in act.verbs and not act.after:
            return lore.plain(act.you)
    return tmpl.description


#: Names of things written on: a map, a note, a packet of letters.
_WRITING = re.compile(
    r"\b(?:maps?|notes?|letters?|packet|book|scroll|page|journal|diary|ledger|papers?|sign"
    r"|card|chart)\b",
    re.I,
)


def _writing_beside(world: World, actor: Character) -> tuple[Character, str] | None:
    """The one kind of writing (``_WRITING``) that the members of ``actor``'s group
    beside them hold (or, out of a group, the one other player beside), with one who
    holds it; None when none, or more than one kind."""
    mates = party.present(world, actor.key)
    if not mates:
        others = [c for c in world.people_in(actor.room) if c.key != actor.key]
        mates = others if len(others) == 1 else []
    held: dict[str, tuple[Character, str]] = {}
    for mate in mates:
        if not stealth.sees(world, actor.key, mate):
            continue
        for item in mate.inventory:
            tmpl = world.item_template(item)
            if _WRITING.search(tmpl.name):
                held.setdefault(tmpl.id, (mate, item))
    return next(iter(held.values())) if len(held) == 1 else None


def _it_at_hand(world: World, actor: Character, ctx: Ctx) -> str:
    """The words for what "it" is in a question of what it says (``_what_it_says``), or
    "" when nothing fits: see there, in that order."""
    named = _named_before(world, actor, ctx)
    if named is not None:
        return named  # "take the map", then "what does it say?"
    return _loose_it(world, actor)


def _loose_it(world: World, actor: Character) -> str:
    """The words for the item "it" is when no line before named one: what another player
    last handed ``actor``, else the one kind of item lying here that its room's builder
    did not put there (a find just uncovered), else the one kind lying here that another
    here holds too; "" when nothing fits (``_it_at_hand``, ``_referring``)."""
    handed = world.handed.get(actor.key, "")
    if handed in actor.inventory:
        return world.item_template(handed).name
    new = resets.beyond_placed(world, actor.room)
    floor = search.floor(world, actor.room)
    loose = {t.name for t in floor if new[world.items[t.ref].template]}
    if not loose:
        # A copy of what another here holds ("what's it show?" by the map lying here,
        # another's copy just taken).
        held = {
            world.items[i].template
            for c in world.people_in(actor.room)
            if c.key != actor.key
            for i in c.inventory
        }
        loose = {t.name for t in floor if world.items[t.ref].template in held}
    return next(iter(loose)) if len(loose) == 1 else ""


def _is_item_at_hand(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name an item here or carried by ``actor``."""
    found = search.find(search.around(world, actor), words.strip())
    return found.thing is not None and found.thing.kind == "item"


def _read_item(
    world: World, actor: Character, words: str, raw: str, ctx: Ctx
) -> list[Effect] | None:
    """An item here or carried that ``words`` name, examined: "read packet" is what a
    player types for Edda's notes, and an item's text is its description. None when
    they name no item (reading a feature, "read the papers", stays a deed)."""
    # "unwrap the packet and read it aloud" (played: a deed, and no one read the notes).
    words = _AND_READ_IT.sub("", words)
    aloud = _ALOUD.search(words)
    words = words[: aloud.start()] if aloud is not None else words
    if words.strip().lower() in _THAT_ONE:
        # "read it aloud" of the notes just found, or of the one writing carried (to the
        # others, asking what it says: no other "it" is read out).
        words = _it_at_hand(world, actor, ctx) or (
            _writing_carried(world, actor) if aloud is not None else ""
        )
    found = search.find(search.around(world, actor), words.strip()).thing if words.strip() else None
    if found is None or found.kind != "item":
        return None
    tmpl = world.item_template(found.ref)
    read: list[Effect] = (
        cmd_examine(world, actor, Intent("examine", words.strip(), raw), ctx)
        if written_on(tmpl) == tmpl.description
        else [Tell(actor.key, _item_read(tmpl, read=True))]
    )
    verb = raw.split(maxsplit=1)[0].lower() if raw.strip() else ""
    if verb not in _READ_WORDS or actor.hidden:
        return read
    if aloud is not None and not phrasing.refused(read, actor.key):
        # Read out to the others here, who hear every word of it.
        heard = f"{_name(actor)} reads {esc(definite(found.name))} aloud:"
        text = Para(esc(written_on(tmpl)))
        return [*read, ToRoom(actor.room, Doc((Para(heard), text)), exclude=(actor.key,))]
    # The others see it read (played: "*unwraps it*" posed to the room, once reading,
    # was the reader's alone, and her companion never knew the notes were open).
    seen = f"{_name(actor)} {verb}s {esc(definite(found.name))}."
    return [*read, ToRoom(actor.room, Doc.text(seen), exclude=(actor.key,))]


def _taken_to_read(world: World, actor: Character, verb: str, words: str, ctx: Ctx) -> list[Effect]:
    """Writing lying here, to be read ("unfold the letter", "read the map"), picked up
    first: what 'get' does with it, when it takes it and ``actor`` holds none of its
    kind; [] otherwise (the line then reads it where it lies, or in hand). Played (round
    57, Lanternfall): "Sorrel kneels by the pallet and unfolds the letter with careful
    fingers." read Pell's letter off the floor, and the quest to take it stood."""
    if verb.lower() not in _READ_WORDS or not words.strip() or actor.hidden:
        return []
    words = _AND_READ_IT_ON.sub("", words)
    aloud = _ALOUD.search(words)
    words = words[: aloud.start()] if aloud is not None else words
    found = search.find(search.floor(world, actor.room), words.strip()).thing
    if found is None:
        return []
    tmpl = world.item_template(found.ref)
    held = {world.items[i].template for i in actor.inventory if i in world.items}
    if (
        not tmpl.carry
        or world.items[found.ref].template in held
        or not _WRITING.search(" ".join((tmpl.name, *tmpl.aliases)))
    ):
        return []
    got = cmd_get(world, actor, Intent("get", found.name, f"get {found.name}"), ctx)
    return [] if phrasing.refused(got, actor.key) else got


def _writing_carried(world: World, actor: Character) -> str:
    """The name of the one kind of writing (``_WRITING``) ``actor`` carries; "" when none
    or more than one kind."""
    names = {
        world.item_template(i).name
        for i in actor.inventory
        if i in world.items and _WRITING.search(world.item_template(i).name)
    }
    return names.pop() if len(names) == 1 else ""


#: A reading said twice over: "unwrap the packet and read it".
_AND_READ_IT = re.compile(r"\s+and\s+(?:then\s+)?read\s+(?:it|them)\b", re.I)
#: The same, and all after it, for what is picked up to be read: "unfold the letter and
#: read it to pip" is the letter.
_AND_READ_IT_ON = re.compile(r"\s+and\s+(?:then\s+)?read\s+(?:it|them)\b.*$", re.I)
#: A reading for the others to hear: "read it aloud", "read the notes out to them".
_ALOUD = re.compile(
    r"[\s,]+(?:(?:aloud|out\s+loud|out)(?:\s+(?:to|for)\s+(?:the\s+)?\w+)?"
    r"|(?:to|for)\s+(?:them|us|everyone|everybody|all|the\s+others|the\s+group))\s*[.!]*\s*$",
    re.I,
)


def _read_thing_here(world: World, actor: Character, words: str, ctx: Ctx) -> list[Effect] | None:
    """A feature of the room that ``words`` name ("the plate", "the name on the
    lantern"), read as 'read' reads it (the builder's action, or ``_read_feature``), for
    a question of what it says; None when they name nothing of a feature here. Played:
    "what's the name say?" by the paper lantern was asked of another player."""
    deed = f"read {words.strip()}"
    last = _ON_THING.split(words.strip())[-1]
    named = search.find(search.features(world, actor.room), last).thing is not None
    if named and game.feature_action(world, actor, deed) is not None:
        return game.action(world, actor, deed, ctx)
    written = _read_feature(world, actor, words, deed, room_too=False)
    return _say(actor.key, esc(written)) if written is not None else None


#: Where words read on a thing are: "the name on the lantern", "the plate of the lamp".
_ON_THING = re.compile(r"\s+(?:on|upon|of|in|inside|under)\s+", re.I)


def _read_feature(
    world: World, actor: Character, words: str, raw: str, *, room_too: bool = True
) -> str | None:
    """What ``actor`` reads on a feature of their room that ``words`` name ("read the
    plate", "read the names on the cairn"), when the builder wrote no 'read' for it:
    the sentence of its description about what is read ("the plaque" of the
    reliquary), else its whole description; failing a feature, the sentence of the
    room's description about it (not ``room_too``: none). None when a builder's action
    or a check takes the read (the mill loft's tally is an investigation), or nothing
    here is named.

    Played: "read the brass plate" at the chapel's lamp was "You try to read the brass
    plate.", and the narrator's "Word by word, you make it out." told no word of it."""
    if not words.strip() or game.feature_action(world, actor, raw) is not None:
        return None
    room = world.room(actor.room)
    by_id = {f.id: f for f in room.features.values()}
    parts = _ON_THING.split(words.strip())
    for i, part in enumerate(parts):
        found = search.find(search.features(world, actor.room), part).thing
        if found is None:
            continue
        feature = by_id[found.ref]
        if feature.check is not None and "read" in game.with_synonyms(feature.check.verbs):
            return None
        what = " ".join(parts[:i])
        told = world.feature_text(feature, actor.key)
        return (scenery(told, what) if what else None) or told
    if game.feature_checked(world, actor, raw, "read"):
        return None  # "read the beam" by the tally: its check, by the verb alone
    texts = (world.feature_text(f, actor.key) for f in room.features.values())
    sentences = {s for text in texts if (s := scenery(text, parts[0]))}
    if len(sentences) == 1:
        return sentences.pop()
    told = world.room_text(room.id, actor.key)
    return scenery(told, parts[0]) if room_too and not sentences else None


def _door_command(handler: Handler) -> Handler:
    """``handler``, a door command, for lines about a door here; the same word said of
    anything else is a deed for the Dungeon Master. Played in the crypt: "open the
    reliquary" answered "There is no door here." The help text is ``handler``'s."""

    def run(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
        way = doors.doorless_way(world, actor, intent.args) if intent.verb == "open" else None
        if way is not None:
            # "open the east door" on the landing, whose doors are only in its words
            # (played: "*tries the handle of the east door*", and nothing opened): the
            # way through is open.
            told = Tell(actor.key, Doc.text("It is not locked. You open it and go through."))
            return [told, Then(actor.key, f"go {way}")]
        if doors.about_a_door(world, actor, intent.args) and not _door_of_the_text(
            world, actor, intent.args
        ):
            return handler(world, actor, intent, ctx)
        # "open it up", "open it wide": the door "it" is.
        said = re.sub(r"\s+(?:up|wide|now|again)$", "", intent.args.strip().lower())
        if said in ("it", "that", "this") and len({t.ref for t in search.doors(world, actor)}) == 1:
            # "open it" by the one door here, after another player unlocked it: played,
            # a deed ("You try to open it."). A thing named before still wins
            # (``_referring``: "get the lantern", "open it").
            return handler(world, actor, Intent(intent.verb, "", intent.raw), ctx)
        if intent.verb == "open" and game.item_action(world, actor, intent.raw) is None:
            # Played: "open the packet" was a deed, and Edda's notes stayed unread.
            read = _read_item(world, actor, intent.args, intent.raw, ctx)
            if read is not None:
                return read
        return _as_deed(world, actor, intent, ctx)

    run.__doc__ = handler.__doc__
    return run


def _door_of_the_text(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name a door the room's description speaks of where no exit has
    one ("close the door" at the foot of the watchtower, whose door "hangs open on one
    hinge": played, "There is no door here."): a deed for the DM, then."""
    if not words.strip() or search.doors(world, actor):
        return False
    return scenery(world.room_text(actor.room, actor.key), words) is not None


def cmd_pick(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """pick <door or direction>

    (Rogues and others skilled in sleight of hand) Pick the lock of a locked door:
    d20 + your DEX modifier + proficiency against the lock's difficulty. You may try
    again after a failure. 'pick up <thing>' is 'get'; picking anything else ('pick a
    flower') is an action for the Dungeon Master.
    """
    first, _, rest = intent.args.strip().partition(" ")
    if first.lower() == "up":
        # Played: "pick up the barrel" answered "You see no door called 'up the barrel'".
        return cmd_get(world, actor, Intent("get", rest.strip(), intent.raw), ctx)
    thing, _, up = intent.args.strip().rstrip(".!").rpartition(" ")
    if up.lower() == "up" and thing.strip():
        # "pick it up", "pick the locket up" (played: "You do not know how to pick
        # locks.").
        return dispatch(world, actor, parse(f"get {thing.strip()}", ALIASES), ctx)
    return _door_command(doors.cmd_pick)(world, actor, intent, ctx)


#: Words that set off a walk as players say it ("head south", "press on north", "make
#: our way down", "keep going east"): with one direction named, the walk that way.
#: Not "push" or "move": "push the cart north" moves the cart.
_SETTING_OFF = frozenset(
    "head heading travel proceed continue press keep hurry make step wade venture".split()  # noqa: SIM905
    # "run upstairs" (tried: "You try to run upstairs."); "run the blade along ..." names
    # no way, and stays a deed.
    + ["run", "dash", "race", "jog", "stride", "march"]
)
#: A place set off for: "to the chapel", "over to the market", "my way to the mill".
_SET_OFF_TO = re.compile(
    r"^(?:(?:over|back|on|off|straight|my\s+way|our\s+way|your\s+way)\s+)?to\s+(?P<place>[^,.!?]+)"
    r"[\s,.!]*$",
    re.I,
)
#: A thing made for, climbed after: "head for the stairs", "make for the ladder".
_MADE_FOR = re.compile(r"^(?:for|to|towards?)\s+", re.I)
#: Words that go through a door or a way named: "slip through the door".
_THROUGH_WORDS = _SETTING_OFF | frozenset(
    "slip duck squeeze edge sidle pass walk move creep".split()  # noqa: SIM905
)
#: Of those, the ones that say something else with "up" after them ("hurry up").
_UP_IDIOMS = frozenset({"keep", "hurry", "make", "step", "press"})
#: Words that climb ("climb the ladder"), and what a way up or down is climbed by.
_CLIMB = frozenset({"climb", "ascend", "descend", "scale", "clamber"})
_CLIMBED = frozenset(
    {"stairs", "stair", "staircase", "steps", "ladder", "ladders", "rope", "tower", "shaft"}
)
_LITTLE_WORDS = frozenset({"the", "a", "an", "up", "down", "to", "into", "onto", "on", "of"})
#: What a climb's manner opens with: "the ladder, sword drawn", "the stairs with a lamp".
_CLIMB_MANNER = re.compile(r",|;|\s+(?:with|while|as)\s+", re.I)
#: Whom one goes after, closing a climb: "after her", "behind kessa", "with them".
_AFTER_ONE = re.compile(
    r"\s+(?:after|behind|with|following)\s+(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?\W*$", re.I
)


def _way_named(world: World, actor: Character, words: str) -> str | None:
    """The direction of the one way out of ``actor``'s room, seen by them, that ``words``
    name by the builder's words for it: its own description ("A gap in the crack, just
    wide enough to squeeze through."), its door's name or aliases, or the name of the
    room it leads to. None when ``words`` name nothing, or more than one way. Pure."""
    wanted = set(_WORD_OF_WAY.findall(words.lower())) - _LITTLE_WORDS - {"a", "an"}
    if not wanted:
        return None
    room = world.room(actor.room)
    ways: list[str] = []
    for ex in room.exits:
        if not exit_visible(world, room.id, ex.direction, ex.hidden, actor.key):
            continue
        door = (ex.door.name, *ex.door.aliases) if ex.door is not None else ()
        told = " ".join((ex.description, *door, world.room(ex.to).name)).lower()
        if wanted <= set(_WORD_OF_WAY.findall(told)):
            ways.append(ex.direction)
    return ways[0] if len(ways) == 1 else None


_WORD_OF_WAY = re.compile(r"[a-z][a-z'-]*")


def _climb_way(verb: str, rest: str) -> str:
    """The way a climb goes: "down" for "descend" or a climb "down ...", else "up". Pure."""
    return "down" if verb == "descend" or rest.lower().split()[:1] == ["down"] else "up"


def _climb(world: World, actor: Character, verb: str, rest: str, ctx: Ctx) -> list[Effect] | None:
    """A climb ("climb the ladder", "climb", "climb down the shaft", "descend") as
    walking up or down, when the room has that way out and the words name nothing else
    than a stair, ladder, rope or tower, or the room it leads to. None otherwise
    ("climb onto the table" stays a STR check for the DM). Played at the foot of the
    watchtower: "climb the tower" rolled "STR check 15 vs DC 12: success" and left the
    climber standing at its foot."""
    # "Oswin climbs the ladder after her." (played: a STR check, failed, below Kessa):
    # who is followed up is no part of the climb.
    rest = _AFTER_ONE.sub("", rest)
    # How one climbs is no part of what: "the ladder, sword drawn", "the stairs with his
    # lamp held high" (played: a STR check, failed, at the foot of the mill's ladder).
    rest = _CLIMB_MANNER.split(rest, maxsplit=1)[0]
    words = [w for w in re.findall(r"[a-z]+", rest.lower()) if w not in _LITTLE_WORDS]
    direction = _climb_way(verb, rest)
    room = world.room(actor.room)
    ex = room.exit(direction)
    if ex is None or not exit_visible(world, room.id, direction, ex.hidden, actor.key):
        return None
    leads = set(re.findall(r"[a-z]+", world.room(ex.to).name.lower()))
    # A word or two of what it is like before it: "the creaking stairs" (played: a pose,
    # and no one went up).
    # Not words of a room another way leads to: "the cellar steps" go down, not up
    # (found in review: "*climbs the cellar steps*" walked up to the landing).
    elsewhere = {
        w
        for other in room.exits
        if other.direction != direction
        for w in re.findall(r"[a-z]+", world.room(other.to).name.lower())
    } - leads
    described = (
        len(words) <= 3 and words[-1:] and words[-1] in _CLIMBED and not set(words) & elsewhere
    )
    if words and not (described or all(w in _CLIMBED or w in leads for w in words)):
        return None
    return cmd_go(world, actor, Intent("go", direction, f"go {direction}"), ctx)


def cmd_force(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """force <door>

    Break a locked door open by main strength ('force trapdoor', 'bash the door', 'kick
    the hatch in'): d20 + your STR modifier (+ proficiency if trained in athletics)
    against how stout the door is. It stays open for everyone until the area resets.
    Some doors will not give; they need their key, or a rogue at the lock. Smashing or
    bashing a foe ('smash the rat with my mace') is an attack. Anything else you force
    or break ('break the silence') is an action for the Dungeon Master.
    """
    forced = doors.force(world, actor, intent.args, ctx)
    if forced is not None:
        return forced
    if not intent.args.strip():
        return _err(actor.key, "Force what? Name the door: 'force trapdoor'.")
    struck = _strike(world, actor, intent.args, intent.raw, ctx)
    if struck is not None:
        return struck  # "smash crake with my mace": played, refused in the fight
    return _as_deed(world, actor, intent, ctx)


#: Of ``QUESTION_WORDS``, the ones that also open a question put in the player's words ("where
#: Edda went", "what she saw") when no question mark says otherwise.
_REPORTED = frozenset("who whom whose what which when where why how".split())  # noqa: SIM905


#: A question opened by a word that leads into it: "then how did she leave", "so where".
_THEN_ASKED = re.compile(
    r"^\W*(?:then|so|and|but|well)\W+(?:" + "|".join(sorted(QUESTION_WORDS)) + r")\b", re.I
)


#: The word "I" typed in lower case: "i", "i'm", "i'll" (not "i.e.").
_LOWER_I = re.compile(r"(?<![\w'])i(?=(?:'[a-z]+)?(?![\w.]))")


def _question(question: str) -> tuple[str, str]:
    """How a question put to someone is told, and its words: ("quote", "Have you seen
    her?") when it is asked straight out, ("ask", "where Edda went") in the player's
    words otherwise (see ``game.talk_to``). Quoted, its sentences open with a capital;
    either way "i" is "I" (played: "You ask Crake, 'Mind if i take that key?'")."""
    how, words = _question_as_typed(question)
    # In the player's words too: "You ask Bessa Thorn if I should rest first."
    return how, _LOWER_I.sub("I", words)


def _question_as_typed(question: str) -> tuple[str, str]:
    """``_question``, its "i" as typed."""
    first = question.split()[0].lower()
    if (_TELL_ME.match(question) or lore.asks_more(question)) and not question.endswith("?"):
        # "Tell me more.", "Go on." (played: "You ask Bessa Thorn go on."); "Anything
        # else?" is asked.
        bidding = re.match(r"\W*(?:go\s+on|tell|say|more)\b", question, re.I)
        return "quote", capitalise(question.rstrip("!.").strip()) + ("." if bidding else "?")
    if "? " in question.strip() and not question.endswith("?"):
        # "where did she go, bessa? she was my friend.": played, "You ask Bessa Thorn
        # where did she go? she was my friend."
        parts = address.SENTENCE.split(question.strip())
        said = " ".join(capitalise(s) for s in parts)
        if said[-1] in ".!":
            return "quote", said
        # "didn't leave by the door? then how did she leave": played, "... Then how did
        # she leave." A last sentence that opens a question ends as one.
        # "who's this" too (played: "You good? Who's this.").
        last = parts[-1].split()[0].strip(",").lower().split("'")[0]
        return "quote", said + (
            "?" if last in QUESTION_WORDS or _THEN_ASKED.match(parts[-1]) else "."
        )
    if question.endswith("?") or (first in QUESTION_WORDS and first not in _REPORTED):
        said = " ".join(
            capitalise(s) for s in address.SENTENCE.split(question.rstrip("?.").strip())
        )
        return "quote", said + "?"
    if _BIDDING.search(question):
        # "beds, if you'd be so kind" after a name (played: "You ask Bessa Thorn beds, if
        # you'd be so kind."): a request, told as said.
        return "quote", capitalise(question.strip().rstrip(".!")) + "."
    return "ask", question.rstrip(".")


#: A request's courtesy: "please", "if you'd be so kind", "would you mind".
_BIDDING = re.compile(
    r"\bplease\b|\bif\s+you(?:'d|\s+would|\s+could|\s+don'?t\s+mind|\s+please)\b"
    r"|\b(?:would|could|will|can)\s+you\b|\bkindly\b",
    re.I,
)


def _ask_npc(world: World, actor: Character, npc_ref: str, question: str, ctx: Ctx) -> list[Effect]:
    """``actor`` asks the NPC ``npc_ref`` ``question``: quoted when it is asked straight
    out ("ask Bessa, have you seen her?": "You ask Bessa Thorn, 'Have you seen her?'"),
    in the player's words otherwise ("You ask Bessa Thorn where Edda went."). What the
    conversation was about so far (``ctx.recent``) reads "she" in "where did she go?"."""
    how, said = _question(question)
    answer = _answered_by(world, actor, npc_ref)
    topic = lore.conversation_topic(ctx.recent, answer) or lore.conversation_topic(ctx.overheard)
    return game.talk_to(world, actor, npc_ref, said, how=how, topic=topic)


def _ask_player(world: World, actor: Character, key: str, question: str, ctx: Ctx) -> list[Effect]:
    """``actor`` asks the player ``key`` (beside them) ``question``, aloud: the room
    hears it as said ("Tamsin asks Maren, 'Are you here about the cartographer?'"), the
    one asked reads "Tamsin asks you, ...", and it is logged as a say. Played: it went
    to the DM as an out-of-character question, and Maren never heard it."""
    how, said = _question(question)
    # Their next words said answer this asker (``_answering``).
    return [
        *game.say_to(world, actor, world.chars[key], said, how=how),
        *_asks(world, actor, key, ctx, question),
    ]


def _asks(world: World, actor: Character, key: str, ctx: Ctx, text: str) -> list[Effect]:
    """The record that ``actor`` has asked the player ``key`` something aloud, and
    when ("<asker>|<monotonic seconds>"), and that ``actor`` is no longer waiting on
    ``key``'s question if they were (``World.questions``); an invitation waiting for
    ``key``'s answer is overtaken by it (``World.overtaken``), unless its ``text``
    speaks of teaming up ("want to join up?" asks the invitation again)."""
    overtakes = (
        world.invites.get(key) is not None
        and key not in world.overtaken
        and not party.teaming(text)
    )
    return [
        PartyUpdate("questions", key, f"{actor.key}|{ctx.now:.0f}"),
        PartyUpdate("questions", actor.key, None),
        # Their yes is now this question's (``World.overtaken``).
        *([PartyUpdate("overtaken", key, "1")] if overtakes else []),
    ]


#: How long a player's question waits for the answer (seconds): words said later are
#: the room's again.
QUESTION_AGE = 300.0


def _proposal_taken(
    world: World, actor: Character, asker: Character, how: str, text: str = ""
) -> list[Effect]:
    """What a yes by ``actor`` to ``asker``'s proposal waiting (``how``: a rest or a
    walk, ``World.questions``) does, its words ``text`` aside: the one who asked calls
    the rest, and it is their group's; the one who asked walks it, and their group after
    them, or, asked by one who follows the one answering, the one answering leads the
    group there, unless ``text`` hands the asker the lead ("sure, lead on"). [] for any
    other ``how``."""
    # Taken once: the others asked the same are asked it as words now, so a yes of theirs
    # is a yes said and no more (played: a second yes to "we rest here a moment" rested
    # the group twice).
    asked: list[Effect] = [PartyUpdate("questions", actor.key, None)]
    asked += [
        PartyUpdate("questions", key, f"{waiting.removesuffix(how)}")
        for key, waiting in world.questions.items()
        if key != actor.key and waiting.startswith(f"{asker.key}|") and waiting.endswith(f"|{how}")
    ]
    if how.startswith(_REST_PROPOSED):
        rest = "rest long" if how == f"{_REST_PROPOSED}long" else "rest"
        return [*asked, Then(asker.key, rest)]
    if how.startswith(_WALK_PROPOSED):
        follows_me = world.following.get(asker.key) == actor.key
        walker = actor if follows_me and not party.hands_lead(text) else asker
        return [*asked, Then(walker.key, f"go {how.removeprefix(_WALK_PROPOSED)}")]
    return []


def _nodded_yes(world: World, actor: Character, ctx: Ctx) -> list[Effect]:
    """A nod by ``actor`` to the proposal of a rest or a walk that another player beside
    asked them lately: taken, as a yes said (``_proposal_taken``); [] otherwise. Played:
    Jax's "short rest first?", and Mara's "*nods*" rested no one."""
    waiting = _asker_waiting(world, actor, ctx)
    if waiting is None:
        return []
    return _proposal_taken(world, actor, *waiting)


def _asker_waiting(world: World, actor: Character, ctx: Ctx) -> tuple[Character, str] | None:
    """The player who last asked ``actor`` something aloud (``World.questions``:
    "<key>|<seconds>|<how>"), at most ``QUESTION_AGE`` ago, and is still beside them,
    with how they asked it ("" for a plain question; a rest or a walk proposed); None
    otherwise."""
    waiting = world.questions.get(actor.key)
    if waiting is None:
        return None
    key, _, rest = waiting.partition("|")
    at, _, how = rest.partition("|")
    asker = world.chars.get(key)
    fresh = not at.isdigit() or ctx.now - int(at) <= QUESTION_AGE
    if asker is None or asker.room != actor.room or asker.key == actor.key or not fresh:
        return None
    return asker, how


def _answering(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """``text``, said aloud by ``actor`` naming no one, as the answer to the player who
    last asked them something (``World.questions``), at most ``QUESTION_AGE`` ago, and
    is still beside them: said to that player, or asked of them when it is a question
    ("heard there's work. you?"); None when no one's question waits. A last sentence
    the DM answers from what the engine knows (``_dm_answers``: "no idea. where is the
    old mill?") is asked of the DM after the rest is said to them. Played: Fenna's
    answer to Corwin's "what brings you to hollowmere?" was put to the innkeeper, who
    knew of the lights."""
    waiting = _asker_waiting(world, actor, ctx)
    if waiting is None:
        return None
    asker, how = waiting
    if any(
        word.lower() != asker.key and address.player_beside(world, actor, word) is not None
        for word in re.findall(r"[A-Za-z]+", text)
    ):
        # Words naming another player here are theirs, not the answer (played: "say
        # hello rawvic, want to explore?" went to the one who had just asked). By the
        # words' names, not by everyone here's: a crowd is 1,000.
        return None
    if (how.startswith(_REST_PROPOSED) and party.assents(text)) or (
        how.startswith(_WALK_PROPOSED)
        and (party.assents(text) or _LEADING_ON.match(text) is not None)
    ):
        # "good idea" to "short rest before the marsh?", "lead on" to "follow the
        # lanterns south?" (played: said, and no one rested or walked).
        said = game.say_to(world, actor, asker, text[:MAX_SAY])
        return [*said, *_proposal_taken(world, actor, asker, how, text)]
    if how == _ANSWERED and not (
        _questioning(text)
        and _YOU.search(text)
        and (not _ASKS_KNOWN.search(text) or _ECHOING.match(text))
        and not _names_a_ware(world, actor, text)
    ):
        # Answered, not asked: a question of "you" goes back to them; one of what they
        # know is for whoever here knows, unless it opens with the answer's own words
        # ("a lamp-keeper. you know anything about these lights?"); one of what the
        # counter here sells is the counter's ("do you have any stew?", tried: asked of
        # the companion who had just answered).
        return None
    parts = address.SENTENCE.split(text.strip())
    # Only a question: "born here. I'll get us some stew" to "you?" is said (played: "I'll
    # get us some stew" was asked of the DM, who named who sells it).
    if len(parts) > 1 and _questioning(parts[-1]) and _dm_answers(world, actor, parts[-1]):
        # "no idea. where is the old mill?" to "know the way?": the answer is theirs, the
        # way the DM's (played: all of it asked back of the one who asked).
        # Asked once the answer has done what it does: "yes please! where do we start?"
        # to "want to group up?" joins the group first, so the way on is the group's
        # (played: the question and its answer were the new member's alone, and the
        # leader never heard what she asked).
        reply = " ".join(parts[:-1])
        return [
            *game.say_to(world, actor, asker, reply[:MAX_SAY]),
            PartyUpdate("questions", actor.key, None),
            Then(actor.key, f"ask {parts[-1]}", before=_new_words(reply)),
        ]
    knower = (
        _knower(world, actor, parts[-1])
        if len(parts) > 1 and _questioning(parts[-1]) and not _YOU.search(parts[-1])
        else None
    )
    if knower is not None:
        # "aye. Ivo. whats the pay like for finding her?" to "you here about the
        # cartographer too?" (played: all of it asked back of the one who asked): the
        # answer is theirs, the question the one's here who knows.
        reply = " ".join(parts[:-1])
        return [
            *game.say_to(world, actor, asker, reply[:MAX_SAY]),
            PartyUpdate("questions", actor.key, None),
            *_ask_npc(world, actor, knower, parts[-1][:MAX_SAY], ctx),
        ]
    if text.rstrip().endswith("?"):
        return _ask_player(world, actor, asker.key, text[:MAX_SAY], ctx)
    return [
        *game.say_to(world, actor, asker, text[:MAX_SAY]),
        PartyUpdate("questions", actor.key, None),
        *_has_answered(world, actor, asker, ctx),
    ]


#: Leave asked to take a thing: "mind if we take that key?", "can I have the key?",
#: "ok if I borrow this?".
_TAKE_LEAVE = re.compile(
    r"\b(?:mind|okay|ok|alright|all\s+right|fine)\s+if\s+(?:i|we)\s+(?:take|grab|borrow|have)\b"
    r"|^\W*(?:can|could|may)\s+(?:i|we)\s+(?:take|have|borrow)\b",
    re.I,
)


def _leave_asked_of(world: World, actor: Character, text: str) -> str | None:
    """The NPC here who watches over a thing lying here (``guards``), when ``text`` asks
    leave to take something (``_TAKE_LEAVE``); None otherwise."""
    if _TAKE_LEAVE.search(text) is None:
        return None
    lying = {world.items[i].template for i in world.items_in_room(actor.room)}
    for npc in world.npcs_in(actor.room):
        if lying & set(world.templates.npcs[npc.id].guards):
            return npc.id
    return None


def _spoken_to_by(world: World, actor: Character, text: str, ctx: Ctx) -> Character | None:
    """The player here whose words were the last said in the room (``Ctx.said_last``)
    when they spoke to "you" ("you look like you know how to swing that sword") or
    ``text`` answers them before it asks ("aye. you here about the map-maker too?"
    after "hey. wet night for it"), or None."""
    last = _last_speaker(world, actor, ctx)
    if last is None:
        return None
    if _YOU.search(last[1]):
        return last[0]
    return last[0] if _answers_first(text) and not _names_a_ware(world, actor, text) else None


#: The words a line opens with up to its first stop or comma: "aye" of "aye. you ...?".
_FIRST_CLAUSE = re.compile(r"^\s*([^.,!?;]+)[.,!;]")


def _answers_first(text: str) -> bool:
    """Whether ``text`` opens with a reply of its own, a clause of reply words before
    more ("aye. you here about ...?", "ha, you too?"). Pure."""
    first = _FIRST_CLAUSE.match(text)
    return first is not None and (
        is_reply(first.group(1)) or _AGREEING.fullmatch(first.group(1).strip()) is not None
    )


#: A short yes in words of the thing said: "it is", "that it was", "aye, it does"
#: (played: 'Tobias looks up from his stew. "It is. You here about the cartographer?"',
#: to "Rough night for it.", was asked of the innkeeper).
_AGREEING = re.compile(
    r"(?:(?:aye|yes|yeah|oh)[,]?\s+)?(?:that\s+)?(?:it|that|they|we|you|i)\s+"
    r"(?:is|was|does|did|are|were|am|do|have|has|will|would|'?s)(?:\s+(?:indeed|that|too))?",
    re.I,
)


def _last_speaker(world: World, actor: Character, ctx: Ctx) -> tuple[Character, str] | None:
    """(the other player still here whose words were the last said in the room, those
    words) from ``Ctx.said_last``; None when there are none."""
    key, said = ctx.said_last
    mate = world.chars.get(key) if key else None
    if mate is None or mate.room != actor.room or mate.key == actor.key:
        return None
    return mate, said


def _of_their_calling(world: World, actor: Character, text: str) -> Character | None:
    """The one other player here whose class ``text`` names ("you're a lamp-keeper
    then?", "you a fighter?"), or None (none, or more than one of it here)."""
    said = f" {' '.join(_WORDS.findall(text.lower().replace('-', ' ')))} "
    callings = {
        cls.id
        for cls in world.templates.classes.values()
        if any(
            f" {' '.join(_WORDS.findall(name.lower().replace('-', ' ')))} " in said
            # The id without its pack: "cleric" of "hollowmere:cleric" (played: "u a
            # cleric?" named no one, the id read "hollowmere cleric").
            for name in (cls.name, cls.id.split(":")[-1])
        )
    }
    if not callings:  # the common case, and a crowd's room is not walked for it
        return None
    named = [c for c in world.people_in(actor.room) if c.key != actor.key and c.cls in callings]
    return named[0] if len(named) == 1 else None


#: A line's first sentence when it is a question: "went out? the marsh lights ...".
_OPENING_QUESTION = re.compile(r"^\s*([^.!?]{1,40})\?")
_WORDS = re.compile(r"[a-z']+")


def _echoing_back(world: World, actor: Character, text: str, ctx: Ctx) -> str | None:
    """The player whose words, the last said here (``Ctx.said_last``), ``text`` opens by
    saying back as a question of one to three of them in their order ("went out?" just
    after "... till they went out"; "the shrine?"), when they are still here; None
    otherwise."""
    last = _last_speaker(world, actor, ctx)
    if last is None:
        return None
    mate, said = last
    opening = _OPENING_QUESTION.match(text)
    if opening is None:
        return None
    words = _WORDS.findall(opening.group(1).lower())
    if not 1 <= len(words) <= 3:
        return None
    heard = f" {' '.join(_WORDS.findall(said.lower()))} "
    return mate.key if f" {' '.join(words)} " in heard else None


#: A few words of what one was just told, said back before a question: "a lamp-keeper.
#: you know anything ...?", "the chapel? you ...".
_ECHOING = re.compile(r"\s*(?:a|an|the|your)\s+[\w'-]+(?:\s+[\w'-]+){0,2}\s*[.!?,]\s+\S", re.I)
#: How ``World.questions`` marks a rest proposed ("<key>|<seconds>|rest:short").
_REST_PROPOSED = "rest:"
#: A rest proposed in a question: "short rest before the marsh?", "rest before we go
#: in?", "should we rest first?", "time for a breather?", "camp here for the night?".
_REST_ASKED = re.compile(r"\b(?:rest|breather|sleep|camp|kip)\b", re.I)
#: ... proposed in words, as the line's last sentence: "let's rest", "let's take a short
#: rest", "we should rest a bit".
_LETS_REST = re.compile(
    # "We rest here a moment before that door." too (played: said, and no one rested).
    r"^(?:let'?s|let\s+us|we\s+should|maybe\s+we\s+should|we(?:'ll|\s+will|\s+must)?)\s+"
    r"(?:take\s+a\s+|have\s+a\s+)?"
    r"(?:short\s+|long\s+|quick\s+|little\s+)?(?:rest|breather|sleep|camp)\b[^?]*[.!]*$",
    re.I,
)
#: Words that put a rest off, or somewhere else: "but not here", "when Edda is home",
#: "tonight", "at the shrine".
_REST_PUT_OFF = re.compile(
    r"\b(?:but|when|after|once|later|tonight|tomorrow|until|till)\b"
    r"|\bnot\s+(?:here|now|yet|before|until)\b|\bat\s+the\b",
    re.I,
)


def _rest_stated(text: str) -> bool:
    """Whether ``text``, said, proposes a rest now: its last sentence does
    (``_LETS_REST``), or another does and nothing in the line puts it off or elsewhere
    ("We rest before that door. I am not walking in there like this." is one, played:
    said, and "Aye." rested no one; "We should rest. But not here, it's too open." and
    "We camp at the shrine tonight. South, come on." are not: found in review). Pure."""
    parts = address.SENTENCE.split(text.strip())
    if _LETS_REST.match(parts[-1]) and not _REST_PUT_OFF.search(parts[-1]):
        return True
    return any(_LETS_REST.match(part) for part in parts) and not _REST_PUT_OFF.search(text)


#: ... of the long kind.
_REST_LONG = re.compile(r"\b(?:long|sleep|night|camp|kip)\b", re.I)


def _asks_rest(question: str) -> bool:
    """Whether ``question`` names a rest ("quick rest?", "should we camp?"), not the rest
    of something ("the rest is easy?", "the rest of them?")."""
    return _REST_ASKED.search(question) is not None and not _THE_REST.search(question)


#: "The rest" as what is left: "the rest of them", "the rest is easy".
_THE_REST = re.compile(r"\b(?:the|all\s+the)\s+rest\b(?!\s+(?:first|now|here|a\s+bit)\b)", re.I)


#: A question one asks for oneself: "can i ...", "where do i ...", "is there anywhere".
_FOR_ONESELF = re.compile(
    r"\b(?:i|me|my)\b|^\W*(?:is|are)\s+there\s+(?:any|some)(?:where|place)?\b", re.I
)
#: ... or of all here: "we", "us", "our", "everyone".
_OF_US = re.compile(r"\b(?:we|us|our|everyone|everybody|y'?all|you\s+(?:two|all|guys))\b", re.I)


def _rest_asked(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """A rest proposed as a question (``_REST_ASKED``, ending "?") with other players
    here: asked of the one other player (``_ask_player``), or said to the room beside
    more, and that one, or the members of the asker's group here, marked so that their
    yes calls it (``_answering``); None for
    any other line, or with no other player here (the DM answers it). Played at the eel
    landing: "short rest before the marsh?" was asked of the DM, and answered with where
    the lights walk from."""
    parts = address.SENTENCE.split(text.strip())
    stated = _rest_stated(text)
    # The question may have words after it: "quick rest? i'm at 8" (played: said, and
    # the other's "good idea" rested no one).
    asked = any(p.rstrip().endswith("?") and _asks_rest(p) for p in parts)
    if not stated and not asked:
        return None
    if asked and not stated and _FOR_ONESELF.search(text) and not _OF_US.search(text):
        # "can i rest here?", "is there anywhere i can sleep?": asked for oneself, no
        # rest put to the others (played: asked of the one other player here).
        return None
    others = [c for c in world.people_in(actor.room) if c.key != actor.key]
    if not others:
        return None
    said = text.strip()[:MAX_SAY]
    if stated:
        # "yeah. let's rest a bit" (played to a companion who had asked "want a hand?":
        # said to him, his "sure" called nothing, and no one rested): said, and the
        # others' (or the group's) yes calls it.
        effects = cmd_say(world, actor, Intent("say", said, said), ctx)
        if len(others) > 1:
            others = party.present(world, actor.key)
    elif len(others) == 1:
        effects = _ask_player(world, actor, others[0].key, said, ctx)
    else:
        # Beside more, the group's to answer (not a crowd's: a tavern of a thousand).
        effects = cmd_say(world, actor, Intent("say", said, said), ctx)
        others = party.present(world, actor.key)
    kind = "long" if _REST_LONG.search(text) else "short"
    return _proposed(actor, effects, others, f"{_REST_PROPOSED}{kind}", ctx)


def _proposed(
    actor: Character, effects: list[Effect], others: Sequence[Character], how: str, ctx: Ctx
) -> list[Effect]:
    """``effects`` (the words of a proposal ``actor`` said), with ``others`` marked as
    asked it (``World.questions``: "<key>|<seconds>|<how>"), so that their yes carries it
    out (``_answering``), in place of any other question the words marked; and
    ``actor``'s own question waiting cleared (they asked, they answer nothing)."""
    keep = [e for e in effects if not (isinstance(e, PartyUpdate) and e.table == "questions")]
    marks = [PartyUpdate("questions", c.key, f"{actor.key}|{ctx.now:.0f}|{how}") for c in others]
    return [*keep, *marks, PartyUpdate("questions", actor.key, None)]


#: A yes to a walk proposed, besides a yes (``party.assents``: "sure", "lead on", "after
#: you", "let's go"), that hands its asker the way: "you first", "go on then", "ready".
_LEADING_ON = re.compile(
    r"^\W*(?:(?:ok|okay|right|alright|yes|yeah|aye|sure)[,.!]?\s+)?"
    r"(?:you\s+(?:first|lead)|go\s+on(?:\s+then)?|onward"
    # "ready" to "... ready?": played, said, and no one walked.
    r"|(?:i'?m\s+|we'?re\s+)?(?:ready|all\s+set|good\s+to\s+go))\b",
    re.I,
)
#: How ``World.questions`` marks a walk proposed ("<key>|<seconds>|walk:south").
_WALK_PROPOSED = "walk:"
#: A walk proposed as a question, the line's last sentence: "shall we head south?",
#: "follow the lanterns south?", "go south?", "south?", "on to the shrine?".
_WALK_ASKED = re.compile(
    r"^\W*(?:(?:so|ok|okay|right|then|alright|well)[,.]?\s+)?"
    r"(?:(?:shall|should|do|can)\s+we\s+|(?:want|wanna|ready)\s+(?:to\s+)?|we\s+"
    # "can you take me to edda's room?" (played: asked of the leader, and his "sure"
    # walked no one).
    r"|(?:can|could|will|would)\s+you\s+(?:take|bring|lead|show)\s+(?:me|us)\s+(?:the\s+way\s+)?)?"
    r"(?:(?:go|head|walk|move|press|push|carry|keep\s+going|follow\s+(?:the\s+)?[\w'-]+)"
    r"\s+)?(?:on\s+|onward\s+)?(?P<way>[^?]+?)(?:\s+(?:then|now|next|first))?\s*\?+\s*$",
    re.I,
)


def _walk_asked(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """A walk proposed as a question (``_WALK_ASKED``: "follow the lanterns south?"), by
    one who leads or walks alone, beside the members of their group: said to the room,
    and those members marked so that their yes ("sure", "lead on", "after you") walks
    the group there (``_answering``); None for any other line, or with no member here
    (alone, "go south?" is walked, and the DM answers the rest). The way must be one
    named (a direction by its whole name) or a place whose way is known. Played in the
    tunnel: "thanks. follow the lanterns south?" was asked of the DM, who answered
    with where the hooded lantern lay, and "lead on" walked no one. Asked of someone of
    the world by name ("bessa, are you ready?"), it is theirs."""
    # The cheap tests first: this is every question asked aloud.
    spoken = text  # said as typed, to the one it names
    head, comma, rest = text.partition(",")
    if comma and rest.strip() and len(head.split()) == 1:
        mate = address.player_beside(world, actor, head.strip())
        if mate is not None and mate.key in party.members(world, actor.key):
            # "grimbold, can we go west to the chapel?" to one's leader (played: asked
            # of him, and his "sure" walked no one).
            text = rest.strip()
    ready = _ASKS_READY.search(text)
    found = _WALK_ASKED.match(address.SENTENCE.split(text.strip())[-1]) if ready is None else None
    before_ready = ready is not None and ready.start() > 0
    if not before_ready and found is None:
        return None
    if address.addressed(world, actor, text) is not None:
        return None
    if found is None:
        # "the reed path's west. ready?": the walk its words before name, asked.
        words = text[: ready.start()].strip() if ready is not None else ""
        way = _walk_before_ready(world, actor, words, ctx)
        return _walk_proposed(world, actor, spoken, way, ctx) if way else None
    way_words = found.group("way").strip()
    # The way alone ("what's south?" asks of it, not to walk it).
    way = direction_of(way_words.lower()) if way_words.lower() in _WHOLE_WAY_WORDS else None
    if way is None and _WAY_THEN_WHERE.match(way_words):
        # "west along the reed path?" (played: said, and "sure" walked no one).
        first = way_words.split(maxsplit=1)[0].strip(",").lower()
        way = direction_of(first) if first in _WHOLE_WAY_WORDS else None
    if way is None:
        place = _TO_PLACE.match(way_words)
        room = lore.room_named(world, actor, place.group(1)) if place is not None else None
        if place is not None and room not in (None, actor.room):
            way = f"to {place.group(1)}"
        thing = lore.feature_room(world, actor, place.group(1)) if place and not room else None
        if thing is not None and thing[0] != actor.room:
            # "can you take me to the hearth?" (played: "sure thing" walked no one): to
            # the room it is in.
            way = f"to {world.templates.rooms[thing[0]].name.split(',')[0]}"
    return _walk_proposed(world, actor, spoken, way, ctx) if way is not None else None


def _way_or_place(world: World, actor: Character, words: str, way: str) -> str:
    """``way``, named in ``words``, or "to <place>" when ``words`` name a place too that
    ``way`` does not lead to ("we're headed south through the tunnel", in the tavern,
    whose south is the crossroads and whose tunnel is below: played, round 63, the
    group's yes walked them to the crossroads). Pure."""
    place = lore.room_named(world, actor, words)
    ex = world.room(actor.room).exit(way)
    if place is None or place == actor.room or ex is None or ex.to == place:
        return way
    return f"to {world.templates.rooms[place].name.split(', ')[0]}"


def _walk_before_ready(world: World, actor: Character, words: str, ctx: Ctx) -> str | None:
    """The way ``words``, said before "ready?", name: the walk they call for
    (``_lets_walk``: "right, back to the crossroads"), or the one way named in them
    ("the reed path's west"); None for none."""
    walked = [e for e in _lets_walk(world, actor, words, ctx, leads=True) if isinstance(e, Then)]
    if walked and walked[0].line.startswith("go "):
        return walked[0].line.removeprefix("go ")
    home = escort.destination(world, actor) if _HOME_SAID.search(words) else None
    if home is not None and home != actor.room:
        return f"to {home}"  # "right, home. ready?", bringing Edda along
    # The first sentence that names one ("shrine's out there somewhere" names none).
    room = world.room(actor.room)
    named = next(
        (
            _way_or_place(world, actor, part, way)
            for part in address.SENTENCE.split(words)
            if (way := named_way(part)) is not None and room.exit(way) is not None
        ),
        None,
    )
    # None named: the one way on ("careful. whatever's in there lights the lamps.
    # ready?" at the iron door just unlocked: played, "ready" walked no one).
    return named or _way_ahead(world, actor) or None


def _walk_proposed(
    world: World, actor: Character, text: str, way: str, ctx: Ctx
) -> list[Effect] | None:
    """``text``, proposing the walk ``way`` ("west", "to the chapel"), said by
    ``actor`` to the members of their group here, marked so that their yes walks it
    (``_walk_asked``); None when ``actor`` follows someone here, or no member is here."""
    said = text.strip()[:MAX_SAY]
    if _follows_here(world, actor):
        # A follower's is their leader's to walk: their yes walks the group (played:
        # Maro's "we have the key. back to the tavern cellar?", and Ilse's "sure, lead
        # on" walked no one).
        leader = world.chars[world.following[actor.key]]
        if leader.key not in party.members(world, actor.key):
            return None
        effects = cmd_say(world, actor, Intent("say", said, said), ctx)
        return _proposed(actor, effects, [leader], f"{_WALK_PROPOSED}{way}", ctx)
    members = party.present(world, actor.key)
    if not members:
        return None
    effects = cmd_say(world, actor, Intent("say", said, said), ctx)
    return _proposed(actor, effects, members, f"{_WALK_PROPOSED}{way}", ctx)


def _walk_put_to_leader(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """The leader ``actor`` follows, beside them and of their group, marked as asked the
    walk ``text`` calls for ("back to the tavern cellar"; ``_lets_walk``), so that their
    yes walks the group (``_walk_proposed``); [] when ``actor`` leads, or it calls for
    none."""
    if not _follows_here(world, actor):
        return []
    leader = world.chars[world.following[actor.key]]
    if leader.key not in party.members(world, actor.key):
        return []
    went = [
        e.line
        for e in _lets_walk(world, actor, text, ctx, leads=True)
        if isinstance(e, Then) and e.line.startswith("go ")
    ]
    if not went:
        return []
    return _proposed(actor, [], [leader], f"{_WALK_PROPOSED}{went[0].removeprefix('go ')}", ctx)


def _asked_dm(actor: Character, text: str) -> Tell:
    """The asker's own line of a question for the DM: "You ask the DM: <text>"."""
    return Tell(actor.key, Doc.text(tag("dim", f"You ask the DM: {esc(text)}")))


#: How ``World.questions`` marks a player answered, not asked ("<key>|<seconds>|answered").
_ANSWERED = "answered"


def _has_answered(world: World, actor: Character, asker: Character, ctx: Ctx) -> list[Effect]:
    """The record that ``actor`` has just answered ``asker``'s question: ``asker``'s
    next question of "you", naming no one, is for ``actor`` (played: to Dov's "name's
    Dov. you?", Maren's "Maren. I keep the lamps at the chapel", then Dov's "a
    lamp-keeper. you know anything about these lights on the marsh?" was answered by the
    innkeeper). Nothing when ``asker`` waits on another's question."""
    if asker.key in world.questions:
        return []
    return [PartyUpdate("questions", asker.key, f"{actor.key}|{ctx.now:.0f}|{_ANSWERED}")]


#: The Dungeon Master named at the start of what is asked of them ("the DM:", "dm,",
#: "the dungeon master", "the narrator -"), or a colon alone ("ask: where ...").
_DM_NAMED = re.compile(
    r"^(?:(?:the\s+)?(?:dm|gm|dungeon\s*master|game\s*master|narrator)\b\s*[:,\-]?|:)\s*",
    re.IGNORECASE,
)


#: How a question is asked, before it: "ask quietly where she went", "ask bluntly if"
#: (a word in -ly; not one naming someone here, "ask holly where she is going": found in
#: review, ``_asked_how``).
_ASKED_HOW = re.compile(
    r"^([a-z]{3,}ly),?\s+(?=(?:if|whether|where|who|what|why|how|when|which)\b)", re.I
)
#: A question asked as it is reported, of the one talked with: "ask if anyone went
#: looking for her", "ask what happened to edda", "ask her if anyone saw edda".
_ASKED_IF = re.compile(
    r"^(?:(?:her|him|them)\s+)?(?:if|whether|where|who|what|why|how|when|which)\s+\S", re.I
)
#: The one asked, before such a question: "her" of "ask her if anyone saw edda".
_ASKED_WHOM = re.compile(r"^(?:her|him|them)\s+", re.I)


def _asked_how(world: World, actor: Character, text: str) -> str:
    """``text`` (what follows 'ask') without how it is asked ("quietly where she went":
    "where she went"), unless that word names someone here."""
    how = _ASKED_HOW.match(text)
    if how is None or _someone_here(world, actor, how.group(1)):
        return text
    return text[how.end() :]


def cmd_ask(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """ask <question>   or   ask <npc> about <topic>

    Ask the Dungeon Master something out of character ('ask what does the map show?'),
    or someone here about something ('ask bessa about the cartographer', 'ask bessa
    where edda went', 'ask crake, is the key yours?'); in a talk with someone, 'ask if
    anyone saw her' asks them. The way to a place, who sells a
    thing and how to do something are answered at once ('where is the mill?', 'where
    can I buy a sword?', 'how do I fight?').
    """
    # "ask the DM: where is edda?", "ask dm what lies north": the DM is who 'ask' asks
    # already (played: "You ask the DM: the DM: where is edda?").
    text = _DM_NAMED.sub("", intent.args.strip(), count=1)[:MAX_SAY]
    # "ask quietly where she went": how it is asked is no word of the question (played:
    # "You ask the DM: quietly if anyone went looking for her").
    text = _asked_how(world, actor, text)
    if not text:
        return _err(actor.key, "Ask what?")
    name, about, topic = text.partition(" about ")
    if about and name.strip() and topic.strip():
        # "ask Bessa about the cartographer", the MUD player's way to question someone:
        # when the name is someone here, they answer (as with ``talk``), not the DM.
        npc = search.find(search.npcs(world, actor.room), name).thing
        if npc is not None:
            spoken = lore.conversation_topic(ctx.recent)
            return game.talk_to(world, actor, npc.ref, topic.strip(), how="about", topic=spoken)
    # "ask Bessa where Edda went" asks Bessa too: played, it was "You ask the DM: bessa
    # where edda went" and her description.
    # "I" opening it names no one (played: "i want to buy a better sword. ..." was
    # asked of Bessa as "Want to buy a better sword.", "i" a word of "innkeeper").
    mine = text.split(maxsplit=1)[0].lower() in ("i", "i'm", "i'd", "i'll") if text else True
    found, question = search.find_leading(search.npcs(world, actor.room), text)
    if found.thing is not None and question.strip() and not mine:
        return _ask_npc(world, actor, found.thing.ref, question.strip(), ctx)
    # Players' names are one word: only those the first word could name are tried (a
    # question scored each of a crowd of 1,000, 4-16 ms a line).
    beside = search.people(world, actor.room, besides=actor.key, leading=text)
    found, question = search.find_leading(beside, text)
    if found.thing is not None and question.strip() and not mine:
        return _ask_player(world, actor, found.thing.ref, question.strip(), ctx)
    if away := game.away_from(world, text):
        return _err(actor.key, away)
    effects: list[Effect] = [_asked_dm(actor, text)]
    sale = _sale_asked(world, actor, text, ctx)
    if sale is not None:
        return effects + sale
    foe = _danger_asked(world, actor, text)
    if foe is not None:
        # "whoa thats big. how strong is it?" in the Warden's fight (played, round 57:
        # its question asked of the DM, and nothing answered): what 'consider' tells.
        return effects + game.cmd_consider(world, actor, Intent("consider", foe, foe), ctx)
    shown: tuple[str, ...] = ()
    thing = (
        lore.what_is(world, actor, text, wares=True)
        or _what_it_is(world, actor, text, ctx)
        or _scenery_asked(world, actor, text)
    )
    # "how does this work?" just after buying a flask is the flask's; with nothing just
    # named, how the game is played.
    playing = answers.how_to_play(world, text, ctx.previous) if thing is None else None
    if playing is not None:
        return effects + _how_to_play_told(world, actor, ctx, *playing)
    # The way somewhere is the same for everyone beside the asker; "You have 12 gold"
    # and "Bessa Thorn told you: ..." are the asker's alone.
    way = lore.way_answer(world, actor, text) or _whose_room(world, actor, text, ctx)
    # "ask if anyone went after pell" in a talk with Brother Anselm: asked of him, not
    # answered that he might know, nor with what he said before (played; found in
    # review); unless it names a player here (found in review: "ask if pell is ready"
    # went to Bessa).
    talker = (
        _partner(world, actor, ctx.recent, spoken=True)
        if _ASKED_IF.match(text) and not _players_named(world, actor, text)
        else None
    )
    known = (
        way
        or (doors.key_fits(world, actor, text) if _KEYISH.search(text) else None)
        or _known_answer(world, actor, text)
        # What was heard answers no question of what a thing here is: "is that edda's
        # locket??" (played: answered with what Bessa said of Edda, the locket at the
        # asker's feet); "those candles... who keeps them lit?" it does.
        or (
            None
            if lore.asks_what_next(text)
            or (thing and _THAT_THING.search(text))
            or talker is not None
            else lore.recall(world, actor, text)
        )
    )
    shared = known is not None and known == way
    if known is None and thing is None and not lore.asks_what_next(text) and talker is None:
        # Played: "who is Crake?" was "You weigh what is known so far."
        known = lore.who_knows(world, actor, text)
        shared = known is not None
    answered: Doc | None = None
    steps: list[tuple[str, str]] = []
    if known is not None:
        # Played: "where can I buy a better weapon?" and "how do I fight?" were answered
        # "You consider the road ahead." and with the next quest step.
        answered = Doc.text(tag("title", "Answer:") + " " + esc(known))
        shown = (known,)
    elif thing is not None:
        # "What does the map show?" is answered with what the builder wrote about it, and
        # what it does in the rules after ("what's the juniper tonic do?").
        name, description = thing
        head = tag("title", esc(capitalise(definite(name))) + ":")
        use = _use_named(world, name)
        answered = Doc.text(head + " " + esc(description) + (" " + esc(use) if use else ""))
        shown = (description,)
        shared = True
    elif lore.asks_what_next(text) or lore.asks_of_someone(text):
        # "What should I do?" is answered from the player's own quests, in the builder's
        # words, before any narration; so is "where did she go?" that no one here and
        # nothing heard answers (the quest is where the world says what became of her).
        steps = lore.next_steps(world, actor, ctx.wall, asked=text)
        answer = lore.quest_answer(steps) + ("" if steps else lore.unseen_places(world, actor))
        if not steps and lore.asks_fight(text):
            answer += lore.foes_about(world, actor)
        first = lore.rest_first(world, actor) if steps and lore.asks_what_next(text) else ""
        if first:
            answer = f"{first} Then: {answer}"
        answered = Doc.text(tag("title", "Next:") + " " + esc(answer))
        shown = (answer,)
        # The group's quest step; not "You have 1 of 11 HP" nor "nothing left that you
        # must do", which are the asker's.
        shared = bool(steps) and not first
    if answered is None and talker is not None:
        # "ask if anyone went looking for her" in a talk with Bessa (played: asked of the
        # DM): what nothing of the game answers is asked of the one talked with.
        return _ask_npc(world, actor, talker, _ASKED_WHOM.sub("", text, count=1), ctx)
    mates: list[Character] | None = None
    behind: list[Effect] = []
    if answered is not None and shared and steps:
        # A quest step is the table's only where the story stands the same for them: a
        # newcomer's first step is not theirs (played, round 57: Tess, just joined, asked
        # "what do we do next?", and Pip and Sorrel, two quests on, read her first
        # step as the group's); the newcomer is told how to catch up with them.
        mates = [
            m
            for m in party.present(world, actor.key)
            if lore.next_steps(world, m, ctx.wall)[:1] == steps[:1]
        ]
        leader = world.chars.get(party.leader_of(world, actor.key) or "")
        if leader is not None and leader.room == actor.room and leader not in mates:
            behind = story.join_hint(world, actor, leader)
    if answered is not None:
        effects += [Tell(actor.key, answered), *behind]
    if answered is not None and shared:
        # Asked beside one's group, the question and its answer are the table's, as at
        # a table (played: Bram's "the mill first?" and the way there were his alone,
        # and Siv beside him never heard them).
        effects += _at_the_table(world, actor, text, [answered], mates)
    if known is not None and known == _of_the_game(world, actor, text):
        # Of the game, not the world: not narrated, as how to play is not (played
        # 2026-12-07: "what is group?" was answered, then narrated "You keep it in mind.
        # Rain rattles the shutters, ...").
        return effects
    effects.append(
        AskNarration(
            actor.key, actor.room, "ask", text, Outcome("none", 0), Priority.HIGH, shown=shown
        )
    )
    return effects


def _how_to_play_told(
    world: World, actor: Character, ctx: Ctx, told: str, primer: bool
) -> list[Effect]:
    """The answer to a question asking how the game is played (``answers.how_to_play``):
    ``told``, and after the built-in ``primer``, which knows nothing of the world, where
    the asker's story begins (their next quest step). Not narrated: it is asked of the
    game, not of the world."""
    if primer and (steps := lore.next_steps(world, actor, ctx.wall)):
        told = f"{told} Now: {lore.quest_answer(steps)}"
    return [Tell(actor.key, Doc.text(tag("title", "How to play:") + " " + esc(told)))]


def _use_named(world: World, name: str) -> str:
    """What the item of the world called ``name`` does in the rules (``item_use``); ""
    for none, or a name no item has. Pure."""
    tmpl = next((t for t in world.templates.items.values() if t.name == name), None)
    return item_use(tmpl) if tmpl is not None else ""


#: A thing wanted, closing a sentence: "i want to buy a better sword", "need a potion".
_WANTED = re.compile(
    r"\b(?:buy|get|find|need|want|looking\s+for)\s+(?P<thing>(?:a|an|some|another)\s+"
    r"[a-z' -]{2,40}?)\s*[.!]*$",
    re.I,
)
#: Where or from whom a thing is had: "where can i get one?", "who sells one?".
_WHERE_FROM = re.compile(r"\b(?:where|who|how)\b", re.I)
#: "One" asked after, in a question: "where can i get one?", "who sells one?".
_ONE_ASKED = re.compile(r"\b(?:one|some)(?=\s*\?)", re.I)


def _one_wanted(text: str) -> str:
    """``text`` with the "one" its last sentence, a question, asks after made the thing
    the sentence before it wants ("i want to buy a better sword. where can i get a
    better sword?"); ``text`` as it was otherwise. Pure."""
    *before, last = address.SENTENCE.split(text.strip())
    if not before or not last.rstrip().endswith("?") or _ONE_ASKED.search(last) is None:
        return text
    if _WHERE_FROM.search(last) is None:
        return text  # "we need a plan. which one?" asks no way to one
    wanted = _WANTED.search(before[-1])
    if wanted is None:
        return text
    asked = _ONE_ASKED.sub(wanted.group("thing"), last, count=1)
    return " ".join([*before, asked])


#: A question of what a thing pointed at is: "is that edda's locket?", "what's this?".
_THAT_THING = re.compile(
    r"^\W*(?:is|was|isn'?t)\s+(?:that|this|it)\b|\bwhat(?:'s|\s+is)\s+(?:that|this)\b", re.I
)


def _at_the_table(
    world: World,
    actor: Character,
    question: str,
    told: list[Doc],
    mates: Sequence[Character] | None = None,
) -> list[Effect]:
    """``question``, asked of the DM by ``actor``, and ``told``, its answer, for each
    member of ``actor``'s group beside them ("Bram asks the DM: the mill first?", then
    the way), or of ``mates`` when given (those the answer is the same for); [] alone.
    Called for an answer that is the same for everyone there."""
    asked = Doc.text(tag("dim", f"{esc(actor.name)} asks the DM: {esc(question)}"))
    them = party.present(world, actor.key) if mates is None else mates
    return [Tell(mate.key, doc) for mate in them for doc in (asked, *told)]


#: Words put in someone's mouth, as prose writes them: 'Bessa says, "..."', 'Dov replies:'.
_SPEAKS_FOR = re.compile(
    r"^\W*(?P<who>[\w'’ -]{2,40}?)\s+(?:says|asks|replies|whispers|shouts"
    r"|yells|calls|answers|adds|mutters)\b\s*[,:]?\s*[\"“'‘«]",
    re.I,
)


def _speaking_for(world: World, actor: Character, raw: str) -> str:
    """The name of the one here, another than ``actor`` (someone of the world or a
    player), whose words ``raw`` writes as prose ('Bessa Thorn says, "..."'), or "". Not
    one's own name: 'Vex says, "hello"' is one's own words."""
    m = _SPEAKS_FOR.match(raw)
    return _someone_here(world, actor, m.group("who").strip()) if m is not None else ""


#: A power cast as other MUDs cast spells: "c bless", "cast heal on dov", "use second wind".
_CAST = re.compile(r"^\s*(?:c|cast|use|invoke|call\s+on)\s+(.+?)\s*$", re.I)
#: The word before whom a power is cast: "on", "at", "upon".
_CAST_ON = re.compile(r"^(?:on|at|upon|onto|to)\s+", re.I)


def _power_cast(world: World, actor: Character, words: str) -> str | None:
    """The line that uses the power of ``actor``'s calling ``words`` name ("bless on dov"
    is "bless dov"), or None: no power, or a thing carried by that name (``use`` of an
    item is the item's)."""
    found = powers.power_named(world, actor, words)
    if found is None:
        return None
    # A thing carried that the words name is the thing's: "use heal potion" (found in
    # review: read as the power); one word that only opens its name is not ("c bless"
    # is no blessed water).
    carried = search.find(search.carried(world, actor), words, search.CARRIED).thing
    if carried is not None and (
        len(words.split()) > 1 or carried.name.lower().startswith(words.strip().lower() + " ")
    ):
        return None
    after = found[1]
    verb = words.strip()[: len(words.strip()) - len(after)].strip() if after else words.strip()
    return f"{verb} {_CAST_ON.sub('', after)}".strip()


#: Prose of what someone does, as a pose is written: "Crake nods at Mira.", one
#: sentence, a capital, a name and a verb in -s (found in review: "Wren nods. I nod
#: back." is read as it always was).
_POSED_AS = re.compile(
    r"^(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?P<verb>[a-z]+s)\b[^?.!]*[.!]+$"
)
#: The deeds of a body that a pose of another is written with, beyond the world's
#: socials and poses: not a remark ("Crake lies!", "Dov rocks!", "Crake always lies.":
#: said, found in review).
_DEED_VERBS = frozenset(
    """draws hands gives takes swings attacks strikes stabs opens closes walks runs steps
    turns picks reaches pulls pushes grabs throws kicks punches hits lifts drops sits
    stands kneels leans leaves enters follows hugs kisses slaps""".split()  # noqa: SIM905
)


def _posing_as(world: World, actor: Character, raw: str) -> str:
    """The name of the one here, another than ``actor``, whose deed ``raw`` writes as a
    pose ("Crake nods at Mira.": a social, a pose or a deed of the body), or "". Not a
    remark ("Crake looks scared.", "Dov rocks!"), nor one's own name."""
    m = _POSED_AS.match(raw.strip())
    if m is None:
        return ""
    verb = m.group("verb")
    stem = _plain_verb(verb) or verb[:-1]
    # A pose's word with nothing after it is a remark: "Crake lies!" (found in review);
    # "Crake lies down." is the pose.
    posed = stem in poses.POSE_WORDS and bool(raw.strip()[m.end("verb") :].strip(" .!"))
    if not (verb in _DEED_VERBS or world.templates.social(stem) is not None or posed):
        return ""
    return _someone_here(world, actor, m.group("who"))


#: Words that name no one: articles and pronouns.
_NO_ONE = frozenset("i you he she they we it the a an this that these those his her".split())  # noqa: SIM905
#: Someone and oneself doing a thing: "Dov and I search the loft".
_AND_I = re.compile(r"^\W*(?P<who>[\w'’-]+(?:\s+[\w'’-]+)?)\s+and\s+i\s+(?P<rest>\w.*)$", re.I)


def _someone_here(world: World, actor: Character, words: str) -> str:
    """The name of the one here, another than ``actor`` (someone of the world or a
    player), whom ``words`` name, or ""."""
    low = words.strip().lower()
    if low in (actor.name.lower(), actor.key) or low in _NO_ONE or len(low) < 3:
        return ""
    thing = search.find(_people_here(world, actor), words).thing
    # Their name's whole words or an alias, not its start ("The rats scatter." is no
    # Drowned Warden, "D wins!" no Dov: found in review).
    if thing is None or not (
        low in (thing.name.lower(), *(a.lower() for a in thing.aliases))
        or low in thing.name.lower().split()
    ):
        return ""
    return thing.name


def _new_words(words: str) -> str:
    """``words``, said before a question, when they say the speaker is new to the game
    ("i am new here."), for the question's answer to read as the line before it
    (``answers.how_to_play``); "" otherwise, so that "it" in the question still looks
    back as far through what was typed (found in review)."""
    return words if answers.NEW_HERE.search(words) else ""


def _new_said(ctx: Ctx, words: str) -> Ctx:
    """``ctx`` with ``words`` as the line before, when they say one is new (``_new_words``)."""
    return evolve(ctx, recent=(*ctx.recent, words)) if _new_words(words) else ctx


def _of_the_game(world: World, actor: Character, text: str) -> str | None:
    """The answer to ``text`` when it asks of the game rather than of the world: what a
    command or rule is for, levelling, one's purse and hurts, who plays and who is in
    one's group; None otherwise. ``cmd_ask`` narrates none of these. Not how to do a
    thing ("how do i open the iron door?": the narration may tell of its lock), nor
    who else is "here" (the narration knows who of the world is; found in review)."""
    return (
        _rules_asked(world, actor, text)
        or answers.levelling(world, actor, text)
        or powers_back(world, actor, text)
        or answers.sheet_asked(world, actor, text)
        or answers.who_player(world, actor, text)
        or (None if _HERE_ASKED.search(text) else answers.who_else(world, actor, text))
        or answers.group_asked(world, actor, text)
    )


_HERE_ASKED = re.compile(r"\bhere\b", re.I)


def _known_answer(world: World, actor: Character, text: str) -> str | None:
    """The DM's answer to ``text`` from what the engine knows of the world (the way, where
    someone or something is, levelling, who a player is, how to do a thing, who sells
    what, what lies here), or None."""
    return (
        # What a rule is for before the turn: "what does sneak do?" in a fight (played:
        # answered with the turn, as "what do I do?" is).
        _rules_asked(world, actor, text)
        or powers.powers_asked(world, actor, text)
        or lore.said_by(world, actor, text)
        or answers.take_asked(world, actor, text)
        or answers.better_asked(world, actor, text)
        or answers.best_asked(world, actor, text)
        or answers.pointed_way(world, actor, text)
        or lore.wanted_by(world, actor, text)
        or answers.fight_asked(world, actor, text)
        or lore.way_answer(world, actor, text)
        or lore.whereabouts(world, actor, text)
        or answers.levelling(world, actor, text)
        or powers_back(world, actor, text)
        or answers.sheet_asked(world, actor, text)
        or answers.fall_asked(world, actor, text)
        or answers.who_player(world, actor, text)
        or answers.who_else(world, actor, text)
        or answers.group_asked(world, actor, text)
        or _how_to(world, actor, text)
        or lore.shop_answer(world, actor, text)
        or lore.item_whereabouts(world, actor, text)
        or lore.lying_here(world, actor, text)
        or answers.door_asked(world, actor, text)
        or answers.danger_asked(world, actor, text)
        or answers.way_asked(world, actor, text)
        or lore.feature_whereabouts(world, actor, text)
    )


def _whose_room(world: World, actor: Character, text: str, ctx: Ctx) -> str | None:
    """The way to the room of the one "her", "hers", "his" or "him" in ``text`` means
    ("which one was hers?" on the landing, the innkeeper's talk of the cartographer
    heard below), or of the one named ("which door is edda's?"): someone of the world
    named in the question, or for a pronoun in the lines the actor typed or overheard
    last (``ctx.recent``, ``ctx.overheard``), or else in what they heard the people of
    the world tell them (``lore.heard``), the newest first, whose room (a room's name or
    alias "<name>'s room") ``lore.way_answer`` knows the way to; None otherwise. Played:
    "which one was hers?" was "Bessa Thorn might know more of that"."""
    if not any(asks.search(text) for asks in (_WHICH_ROOM, _WHERE_ROOM, _SEE_ROOM)):
        return None  # "where did she keep her notes?" asks of no room
    for name in _spoken_of(world, actor, text, ctx):
        answer = lore.way_answer(world, actor, f"where is {name}'s room?")
        if answer is not None:
            return answer
    return None


def _spoken_of(world: World, actor: Character, text: str, ctx: Ctx) -> Iterator[str]:
    """The names (lower case) of the people of the world ``text`` may mean, the likeliest
    first: those it names, then, for a "her", "hers", "his" or "him" in it, those named
    in the lines the actor typed or overheard last (``ctx.recent``, ``ctx.overheard``),
    then in what the people of the world told them (``lore.heard``), the newest first.
    For ``_whose_room`` and ``_room_looked``."""
    spoken_of = _HERS.search(text) is not None
    npcs = world.templates.npcs.values()
    told = [said for _who, said in lore.heard(world, actor)] if spoken_of else []
    # Named in the line itself first: "which door is edda's?".
    lines = (*reversed((*ctx.overheard, *ctx.recent)), *reversed(told)) if spoken_of else ()
    for line in (text, *lines):
        words = set(lore.keywords(line))
        for npc in npcs:
            first = npc.name.split()[0].lower()
            for name in (first, *npc.aliases):
                if name.lower() in words:
                    if name.lower() != first:
                        # "my lodger never took off her locket": Edda, by her first name
                        # ("lodger's room" is the name of no room).
                        yield first
                    yield name.lower()


#: "her", "hers", "his", "him": someone spoken of.
_HERS = re.compile(r"\b(?:hers?|his|him)\b", re.I)
#: "which door", "which room", "which one": one of the rooms or ways here.
_WHICH_ROOM = re.compile(r"\bwhich\s+(?:door|room|one)\b", re.I)
#: "where's her room?", "where is his door?".
_WHERE_ROOM = re.compile(r"\bwhere\b.*\b(?:door|room)\b", re.I)
#: "can we see her room?", "could I look in his room?": leave to go there.
_SEE_ROOM = re.compile(
    r"^\W*(?:can|could|may|might)\s+(?:we|i|us)\s+(?:go\s+)?(?:see|visit|look|search|check"
    r"|go|get)\b.*\broom\b",
    re.I,
)


#: What a thing of the room is, asked: "what are these scratches on the wall?".
_WHAT_ARE_THESE = re.compile(
    r"^\W*what(?:\s+(?:is|are)|'s|'re)\s+(?:these|those|this|that|the|all\s+these)\s+"
    r"(?P<what>[^?.!]+?)\s*[?.!]*$",
    re.I,
)
#: Where a thing is said to be, after its name: "scratches on the wall".
_WHERE_IT_IS = re.compile(r"\s+(?:on|in|at|along|under|over|by|near|above|below)\s+.*$", re.I)


def _scenery_asked(world: World, actor: Character, text: str) -> tuple[str, str] | None:
    """(what was asked of, the room's own sentence of it) for a question of what a thing
    the room's words describe is, that is no item, feature or person ("what are these
    scratches on the wall?" in the smugglers' tunnel, whose words say "Scratched into
    the brick ... a little lantern": played, "That is not known to you yet"); None
    otherwise."""
    asked = _WHAT_ARE_THESE.match(text.strip())
    if asked is None:
        return None
    what = asked.group("what")
    description = world.room_text(actor.room, actor.key)
    said = scenery(description, _WHERE_IT_IS.sub("", what)) or scenery(description, what)
    if said is None:
        return None
    # A thing in a feature the sentence speaks of is told by that feature's own words:
    # "what is the huge pale thing behind the snow?" in the Lamp Chapel is the
    # painting's "The pale shape behind the snow has a face ..." (played: the room's
    # sentence about the painting given back, which the asker had just read).
    spoken = set(re.findall(r"[a-z']+", said.lower()))
    for feature in world.room(actor.room).features.values():
        names = {w for n in (feature.name, *feature.aliases) for w in re.findall(r"[a-z']+", n)}
        if names & spoken - _FEATURE_FILLER:
            closer = scenery(world.feature_text(feature, actor.key), what)
            if closer is not None:
                return what, closer
    return what, said


#: Words of a feature's name that name nothing of it ("the", "of"): ``_scenery_asked``.
_FEATURE_FILLER = frozenset({"the", "a", "an", "of", "and", "on", "in", "at", "to", "s"})


def _what_it_is(world: World, actor: Character, text: str, ctx: Ctx) -> tuple[str, str] | None:
    """``lore.what_is`` for a question whose "it" or "this" means what the actor's line
    before named (``_named_before``): "buy blessed water", then "what does it do?".
    Played: it was answered with the next quest step."""
    if not _IT_OR_THIS.search(text):
        return None
    # "thanks! take the bead", then "what is it?" of the bead the friend beside took.
    thing = _named_before(world, actor, ctx, beside=True)
    if thing is None:
        return None
    return lore.what_is(world, actor, _IT_OR_THIS.sub(thing, text))


_IT_OR_THIS = re.compile(r"\b(?:it|this|that)\b", re.I)


#: "how do I fight?": the words players use for what a command does, by command.
_HOW_WORDS_TO = {
    "fight": "attack",
    "kill": "attack",
    "heal": "rest",
    "recover": "rest",
    "shop": "buy",
    "trade": "buy",
    "speak": "talk",
    "move": "go",
    "walk": "go",
    "travel": "go",
    "run": "flee",
    "escape": "flee",
    "pickpocket": "steal",
    "equip": "wield",
    "play": "help",
}
_HOW_TO = re.compile(
    r"^\s*how\s+(?:do|can|should|would|could|might|to)\s+(?:(?:i|we|you|one)\s+)?([a-z]+)\b",
    re.I,
)


#: What a rest gives back, asked after: "how do i get my powers back?", "how can i
#: regain my heals?", "how do we restore our hit points?".
_BACK_AGAIN = re.compile(
    r"\b(?:(?:get|have)\s+(?:(?:all|of)\s+)*(?:my|our)\s+(?P<what>powers?|heals?|uses?|"
    r"abilit(?:y|ies)|spells?|hp|health|hit\s+points|charges?|strength)\s+back"
    r"|(?:regain|restore|recover|recharge|refresh|replenish|refill|reset)\s+"
    r"(?:(?:my|our|all|of)\s+)*(?:powers?|heals?|uses?|abilit(?:y|ies)|spells?|hp|health"
    r"|hit\s+points|charges?)"
    r"|(?:powers?|heals?|uses?|abilit(?:y|ies)|spells?|charges?)\s+(?:come\s+back|recharge"
    r"|reset|refresh|return))\b",
    re.I,
)


def powers_back(world: World, actor: Character, question: str) -> str | None:
    """The answer to a question of how powers or hit points come back ("how do I get my
    powers back?", "when do my heals recharge?"): how a rest gives them back, and where
    ``actor`` may take the long one, here when the room is safe, else the world's
    shelter (``game.shelter_house``); None for other questions. Pure. Played: "how do I
    get my powers back?" was told the next quest step, "how do i get my hp back" the hit
    points."""
    if _BACK_AGAIN.search(question) is None:
        return None
    if world.room(actor.room).safe:
        where = " (here will do)"
    elif (house := game.shelter_house(world)) is not None:
        where = f", such as {house}"
    else:
        where = ""
    return (
        "A long rest gives back your powers' uses, all your hit points and half your hit"
        f" dice: type 'rest long' (or 'sleep') somewhere safe{where}. A short rest ('rest')"
        " spends a hit die to heal, anywhere out of a fight."
    )


#: What "do" does in "how do we do that?": something spoken of before, not an action.
_DO_THAT = re.compile(r"\s+(?:that|this|it|so|those|these)\b", re.I)


def _how_to(world: World, actor: Character, question: str) -> str | None:
    """The answer to "how do I <do something>?" when a power of the asker's calling or a
    command does it: the power's words and what it does ("how do I heal?" to a
    Lamp-Keeper), or the command's usage and the first sentence of its help ("how do I
    fight?" -> "Type 'attack <foe>'. Attack someone here."); None for other questions
    ("how do I get to the mill?" is ``lore``'s)."""
    # After words of one's own: "i am blind, how do i use a screen reader?" (played:
    # told the next quest step).
    clause = _LAST_HOW.search(question)
    question = clause.group(1) if clause is not None else question
    match = _HOW_TO.match(question)
    if match is None:
        return None
    word = match.group(1).lower()
    if word == "do" and _DO_THAT.match(question, match.end()):
        # "how do we do that?" asks how to do what was just spoken of, not how to use
        # 'do' (played: "sure! how do we do that", to an offer to team up, was told to
        # type 'do <action>').
        return None
    power = powers.power_named(world, actor, word)
    if power is not None:
        # Played: a Lamp-Keeper asking "how do I heal?" was told to rest.
        typed, what = powers.power_told(power[0])
        return f"Type '{typed}': {power[0].name}. {what} ('powers' says more.)"
    rest = question[match.end() :]
    if _GOLD_EARNED.match(question):
        # "how do i get more gold?" (played: told the next quest step).
        return (
            "Gold comes from quests finished, from foes that carry it, from what lies about"
            " to be found, and from selling to a shopkeeper ('sell <item>'; 'value <item>'"
            " says what it fetches)."
        )
    ways = visible_exits(world, actor.room, actor.key)
    if (word in _LEAVING and not rest.strip(" ?!.")) or _LEAVING_GAME.search(question):
        # "how do i leave?", "how do i log out?" (played: told the next quest step).
        walk = f"To walk on from here, type a way ({', '.join(ways)}); to" if ways else "To"
        return f"{walk} leave the game, 'quit': you are saved, and come back where you left off."
    if word == "get" and _OUT_OF_HERE.fullmatch(rest.strip(" ?!.")):
        # "how do i get out of here?" (played: told what the host here sells).
        return f"The ways out of here: {', '.join(ways)}." if ways else None
    if (back := powers_back(world, actor, question)) is not None:
        return back
    if word in ("get", "go", "find", "reach"):
        return None  # "how do I get to the mill?" asks the way (``lore.way_answer``)
    if word in ("level", "xp", "gold", "health", "hp", "status", "character"):
        return None  # words for the sheet, not for how to gain them
    name = _HOW_WORDS_TO.get(word) or ALIASES.get(word, word)
    command = COMMANDS_BY_NAME.get(name)
    if command is None or word in _VAGUE_VERBS:
        # The command named further on: "how do i change my password?", "how do i turn
        # off colors?", "how do i use a screen reader?" (played: each told the next
        # quest step, or how to drink).
        command = _command_in(rest) or command
    if command is None or (command.admin and not actor.is_admin):
        return None
    usage = command.help.partition("\n")[0]
    first = _help_sentences(command)[0]
    usage = " ".join(usage.split("   ")[0].split())  # without "(also: ...)"
    return f"Type '{usage}'. {first}. ('help {command.name}' says more.)"


#: A "how do I" question after other words of the line: "i'm new, how do i fight?".
_LAST_HOW = re.compile(
    r"(?:[,.;:!?]|^\s*(?:ok|okay|so|and|but|um+|uh+|hey|right|well))\s*"
    r"(how\s+(?:do|can|should|would|could|might|to)\s+(?:i|we)\b[^.!?]*\??)\s*$",
    re.I,
)
#: Verbs that say little of what is done, in "how do I ...": the thing named after them
#: says which command ("how do i use a screen reader?", "how do i turn off colors?").
_VAGUE_VERBS = frozenset({"use", "turn", "change", "set", "make", "switch", "enable", "toggle"})
#: "how do i get more gold?", "how can i make money?", "how do i earn coins?"
_GOLD_EARNED = re.compile(
    r"^\s*how\s+(?:do|can|should|would|could)\s+(?:i|we|you|one)\s+(?:get|make|earn|find|gain)"
    r"\s+(?:more\s+|some\s+)?(?:gold|money|coins?|silver|cash)\b",
    re.I,
)
#: Words of leaving, alone after "how do I": "how do i leave?", "how do i exit?".
_LEAVING = frozenset({"leave", "exit", "quit", "logout", "disconnect", "stop"})
#: Out of where one is: "out", "out of here", "out of this place".
_OUT_OF_HERE = re.compile(r"out(?:\s+of\s+(?:here|this\s+(?:place|room)))?", re.I)
#: Leaving the game itself: "how do i log out?", "how do i quit the game?".
_LEAVING_GAME = re.compile(
    r"\b(?:log\s*(?:out|off)|sign\s*(?:out|off)|disconnect|(?:leave|quit|exit|stop)\s+"
    r"(?:the\s+)?(?:game|mud|server))\b",
    re.I,
)
#: Words of a question for the command they mean: "colors", "wider", "screen reader".
_NAMES_FOR = {
    "colors": "colour",
    "colours": "colour",
    "color": "colour",
    "wider": "width",
    "narrower": "width",
    "wrap": "width",
    "join": "group",
    "party": "group",
    "key": "unlock",
    "screen reader": "screenreader",
    "blind": "screenreader",
    "description": "describe",
    "pronoun": "pronouns",
}


def _command_in(words: str) -> Command | None:
    """The command of one's own settings and account a word of ``words`` names (its
    name, an alias, or ``_NAMES_FOR``; only those of ``_SETTINGS``, which no deed in the
    world is: "how do I convince anselm to give me a lantern?" is no 'give', found in
    review); None for none. Pure."""
    low = " ".join(re.findall(r"[a-z]+", words.lower()))
    for phrase, name in _NAMES_FOR.items():
        if " " in phrase and phrase in low:
            return COMMANDS_BY_NAME.get(name)
    for word in low.split():
        name = _NAMES_FOR.get(word) or ALIASES.get(word) or word
        if name in _SETTINGS and name in COMMANDS_BY_NAME:
            return COMMANDS_BY_NAME[name]
    return None


#: The commands ``_command_in`` may name: one's settings, account and company.
_SETTINGS = frozenset(
    """password colour width screenreader pronouns prompt brief wimpy channels settings
    ignore unignore describe group afk quit unlock""".split()  # noqa: SIM905
)


def _help_sentences(command: Command) -> list[str]:
    """The sentences of ``command``'s help after its usage line, each without its full
    stop (``_how_to`` tells the first, ``_rules_asked`` two). Pure."""
    body = " ".join(command.help.partition("\n")[2].split())
    return [s.rstrip(".") for s in body.split(". ")]


#: "what does a group do?", "what do powers do?", "what's a group do?", "how does
#: sneaking work?", "what's the point of a group?": what a command is for, any command.
_WHAT_DOES = re.compile(
    r"^\s*(?:what\s+(?:does|do|did)|what(?:'s|\s+is)|how\s+(?:does|do))\s+(?:an?\s+|the\s+)?"
    r"(?P<what>[a-z][a-z' ]*?)\s+(?:do|does|work|works|mean|means|for)\s*[?.!]*\s*$"
    r"|^\s*what(?:'s|\s+is)\s+the\s+(?:point|use)\s+of\s+(?:an?\s+|the\s+)?"
    r"(?P<point>[a-z][a-z' ]*?)\s*[?.!]*\s*$",
    re.I,
)
#: "what's a group?", "what are hit dice?": what a word of the rules means, for the words
#: of ``_RULES_WORDS`` only ("what's the split?" and "what is the idea?" ask of the world).
_WHAT_IS = re.compile(
    r"^\s*what(?:'s|\s+is|\s+are|'re)\s+(?:an?\s+|the\s+)?(?P<what>[a-z][a-z' ]*?)\s*[?.!]*\s*$",
    re.I,
)
#: Who does a thing, not a thing done: "what do I do?", "what do we do now?".
_NO_RULE = frozenset(
    ["i", "we", "you", "they", "he", "she", "it", "one", "people", "this", "that", "these", "those"]
)
#: Words of the rules a new player asks the meaning of, with the command that does them.
_RULES_WORDS = {
    "group": "group",
    "groups": "group",
    "party": "group",
    "parties": "group",
    "gtell": "gtell",
    "rest": "rest",
    "rests": "rest",
    "resting": "rest",
    "short rest": "rest",
    "long rest": "rest",
    "hit die": "rest",
    "hit dice": "rest",
    "sneak": "hide",
    "sneaking": "hide",
    "stealth": "hide",
    "hiding": "hide",
    "stealing": "steal",
    "pickpocketing": "steal",
    "lockpicking": "pick",
    "lock picking": "pick",
    "powers": "powers",
    "skills": "powers",
    "spells": "powers",
    "abilities": "powers",
    "fleeing": "flee",
    "defending": "defend",
    "consider": "consider",
    "ooc": "ooc",
    "afk": "afk",
    "emote": "emote",
    "emotes": "emote",
    "poses": "emote",
    "escort": "escort",
    "assist": "assist",
    "screenreader": "screenreader",
    "screen reader": "screenreader",
    "tokens": "tokens",
}


#: What one's own thing would fetch, asked: "i want to sell my dagger, how much would i
#: get?", "how much for my dagger?", "what's my dagger worth?".
_SALE_ASKED = re.compile(
    r"\bsell(?:ing)?\s+(?:my|the|this|these|those)\s+(?P<sold>[a-z][\w' -]*?)\s*[,.!?]\s*"
    r"(?:how\s+much|what(?:'d|\s+would|\s+will|\s+can)?)\b"
    r"|\bhow\s+much\s+(?:would\s+(?:i|we|you)\s+(?:get|give|pay)\s+)?for\s+(?:my|this|these)\s+"
    r"(?P<for>[a-z][\w' -]*?)\s*\??$"
    r"|\bwhat(?:'s|\s+is|\s+are)\s+(?:my|this|these)\s+(?P<worth>[a-z][\w' -]*?)\s+worth\b",
    re.I,
)


def _sale_asked(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect] | None:
    """What one's own thing would fetch, for a question asking it: what 'value' tells
    beside a shopkeeper, or that one carries no such thing, or where it is bought; None
    for other questions. Played (round 57): "i want to sell my dagger, how much would i
    get?" was answered with what a dagger costs at Tobin's, to one who had none."""
    asked = _SALE_ASKED.search(text)
    if asked is None:
        return None
    what = (asked.group("sold") or asked.group("for") or asked.group("worth") or "").strip()
    found = search.find(search.carried(world, actor), what, search.CARRIED).thing
    if found is None:
        return _err(actor.key, f"You carry no {what}.")
    if haggle.shopkeeper_in(world, actor.room) is not None:
        return game.cmd_value(world, actor, Intent("value", found.name, f"value {found.name}"), ctx)
    return _say(
        actor.key,
        esc(
            f"No one here buys; a shopkeeper would ('value {found.name}' beside one tells what"
            " they would give, and 'sell' sells it)."
        ),
    )


#: How dangerous someone is, asked: "is he dangerous?", "can we take him?", "how tough
#: is the rat?", "is crake a threat?".
_DANGER_ASKED = re.compile(
    r"^\s*(?:(?:so|and|well|hmm|whoa|wow|ok|okay|yikes|damn|uh)[,.!]?\s+)?(?:"
    r"(?:is|are)\s+(?P<who>.+?)\s+(?:dangerous|tough|strong|deadly|a\s+threat|hard\s+to\s+beat)"
    r"|(?:can|could)\s+(?:we|i|you)\s+(?:take|beat|fight|handle)\s+(?P<whom>.+?)"
    r"|how\s+(?:tough|strong|dangerous|hard)\s+(?:is|are)\s+(?P<of>.+?)"
    r")\s*[?!.]*\s*$",
    re.I,
)
#: Who a danger is asked of, by a pronoun: the one fightable here.
_THEM = game.FOE_PRONOUNS


def _danger_asked(world: World, actor: Character, question: str) -> str | None:
    """The name of the one here ``question`` asks the danger of (``_DANGER_ASKED``):
    named, or by a pronoun the one NPC here who could be fought; None otherwise (no
    such question, no one, or two a pronoun could mean)."""
    # Its last sentence: "what is it? can we take it?" (played, round 57, at the Unlit
    # Abbot: all said, and no one answered).
    match = _DANGER_ASKED.match(address.SENTENCE.split(question.strip())[-1])
    if match is None:
        return None
    who = (match.group("who") or match.group("whom") or match.group("of") or "").strip()
    fightable = [
        t for t in search.npcs(world, actor.room) if world.templates.npcs[t.ref].stats is not None
    ]
    low = who.lower()
    if low in _THEM:
        return fightable[0].name if len(fightable) == 1 else None
    if low.startswith(("that ", "this ")):
        who = who.split(maxsplit=1)[1]  # "is that rat dangerous?"
    found = search.find(fightable, who)
    return found.thing.name if found.thing is not None else None


def _rules_asked(world: World, actor: Character, question: str) -> str | None:
    """What a command or a word of the rules is for, when ``question`` asks it ("what
    does a group do?", "what's a short rest?", "what are hit dice?", "how does sneaking
    work?"): the first two sentences of the command's help and where to read more, or
    for one of the asker's powers by name ("what's second wind?") what it does; None
    for other questions ("what is the idea?", "what does the map show?"). Played: a new
    player's "what's a group do?", just after accepting an invitation, was answered
    with the next quest step. How a deed or a blow is rolled, and where one may rest, is
    ``rulings``' to tell, when no command's help answers ("what's the rule for
    searching?", "do I get advantage if mira flanks it?", "can we long rest here?";
    "how does sneaking work?" is the help of ``hide``, whose roll is its own)."""
    return (
        _command_asked(world, actor, question)
        or rulings.check_asked(world, actor, question)
        or rulings.attack_asked(world, actor, question)
        or rulings.rest_asked(world, actor, question)
    )


def _command_asked(world: World, actor: Character, question: str) -> str | None:
    """``_rules_asked`` of a command or a power: its help's first sentences."""
    match = _WHAT_DOES.match(question)
    word = ""
    if match is not None:
        word = (match.group("what") or match.group("point") or "").lower().strip()
        if word in _NO_RULE or len(word) < 2:
            return None  # "what do I do?" asks what to do next (tried: "i", 'inventory')
        name = _RULES_WORDS.get(word) or ALIASES.get(word) or ALIASES.get(word.rstrip("s"))
    else:
        match = _WHAT_IS.match(question)
        if match is None:
            return None
        word = match.group("what").lower().strip()
        name = _RULES_WORDS.get(word)
    power = powers.power_named(world, actor, word) if word else None
    if power is not None and word not in _RULES_WORDS:
        typed, what = powers.power_told(power[0])
        return f"{power[0].name}: {what} (Type '{typed}'; 'powers' says more.)"
    command = COMMANDS_BY_NAME.get(name or "")
    if command is None or (command.admin and not actor.is_admin):
        return None
    sentences = _help_sentences(command)
    said = sentences[:2]
    # A word the help speaks of further on is told where it does: "what does sneak do?"
    # is the sentence of sneaking, after what hiding is.
    stem = word.split()[-1][:5] if word else ""
    mention = [s for s in sentences if stem and stem in s.lower()]
    if mention and not command.name.startswith(stem[:4]) and mention[0] not in said:
        said = [sentences[0], mention[0]]
    return f"{'. '.join(said)}. ('help {command.name}' says more.)"


def cmd_roll(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """roll <dice> [reason]

    Roll dice in the open: everyone here sees who rolled what, each die and the total.
    Notation: 2d6+3, 1d20-1, 1d8+1d6+2, 4d6kh3 (keep highest 3), 2d20kl1, d%.
    """
    expr, _, reason = intent.args.strip().partition(" ")
    if not expr:
        return _err(actor.key, "Usage: roll <dice> [reason], e.g. roll 2d6+3 for the bridge")
    try:
        result = dice.roll(expr, ctx.rng, reason=reason.strip()[:80])
    except dice.DiceError as exc:
        return [
            Tell(
                actor.key,
                Doc(
                    (
                        Para(styled("error", "Bad dice: ") + esc(str(exc))),
                        Art(tuple(exc.pointer().splitlines())),
                    )
                ),
            )
        ]
    reason = reason.strip()[:80]
    if reason and not reason.lower().startswith("for "):
        reason = "for " + reason
    why = f" {esc(reason)}" if reason else ""
    # The reason is shown in front ("rolls for the bridge:"), so the line goes without it.
    line = esc(result.line())
    return [
        rolled(result, f"{actor.name} rolls{why}"),
        *phrasing.act(actor, "{actor} {v:roll}{why}: {line}", why=why, line=styled("roll", line)),
    ]


def cmd_tokens(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """tokens

    Show how much of your Dungeon Master allowance you have used and what is left.
    """
    return [Query(actor.key, "tokens")]


# -- admin --------------------------------------------------------------------------


def cmd_announce(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """announce <message>

    (admin) Send a message to every player.
    """
    text = intent.args.strip()
    if not text:
        return _err(actor.key, "Usage: announce <message>")
    return [
        ToAll(Doc.text(styled("system", "[Announcement] ") + esc(text))),
        LogChat("announce", actor.room, actor.name, None, text),
        Audit(actor.key, "announce", "", text[:200]),
    ]


def cmd_kick(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """kick <player> [reason]

    (admin) Disconnect a player (their progress is saved).
    """
    name, _, reason = intent.args.strip().partition(" ")
    if not name:
        return _err(actor.key, "Usage: kick <player> [reason]")
    return [AdminAction("kick", name, actor.key, reason.strip()[:200])]


def cmd_reports(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """reports

    (admin) The last reports players sent ('bug', 'typo', 'idea', and 'report <player>'
    of another player), newest last, as 'mud admin reports' lists them on the server.
    """
    return [Query(actor.key, "reports")]


def cmd_ban(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """ban [<name or address> [30m|2h|7d|perm] [reason]]

    (admin) Keep a player name or an IP address (or a network such as 10.0.0.0/24) out:
    refused at login and at connect, and disconnected now. Without a duration the ban
    lasts until 'unban'. Without arguments, list the bans in force.
    """
    if not intent.args.strip():
        return [Query(actor.key, "bans")]
    try:
        kind, value, seconds, reason = admin.parse_ban(intent.args)
    except ValueError as exc:
        return _err(actor.key, str(exc))
    if kind == "name" and value == actor.key:
        return _err(actor.key, "You cannot ban yourself.")
    return [SetBan(kind, value, seconds, reason, actor.key)]


def cmd_unban(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """unban <name or address>

    (admin) Lift a ban.
    """
    target = intent.args.strip()
    if not target:
        return _err(actor.key, "Usage: unban <name or address>")
    try:
        kind, value = admin.ban_target(target)
    except ValueError as exc:
        return _err(actor.key, str(exc))
    return [SetBan(kind, value, None, "", actor.key, lift=True)]


def cmd_shutdown(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """shutdown [minutes | cancel]

    (admin) Save everything and stop the server: now, or after a countdown during which
    everyone is warned. 'shutdown cancel' stops a countdown.
    """
    arg = intent.args.strip().lower()
    if arg == "cancel":
        return [AdminAction("shutdown", "cancel", actor.key)]
    try:
        minutes = admin.parse_minutes(arg)
    except ValueError as exc:
        return _err(actor.key, str(exc))
    return [AdminAction("shutdown", repr(minutes * 60.0), actor.key)]


def cmd_reload(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """reload

    (admin) Re-read the content packs without dropping players. A pack with errors is
    refused and the running world stays as it was.
    """
    return [AdminAction("reload", "", actor.key)]


def cmd_dm(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """dm status

    (admin) Show the Dungeon Master's queue, providers, cache and budget.
    """
    return [Query(actor.key, "dm_status")]


def cmd_usage(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """usage [json]

    (admin) Token usage and cost by day, hour, model, provider and kind of call.
    """
    return [Query(actor.key, "usage", intent.args.strip().lower())]


_PLACE_WORDS = frozenset(
    ("in", "inside", "behind", "under", "beneath", "among", "into", "between", "by", "near")
)


def cmd_hide(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """hide [in the shadows]   |   sneak <direction>

    Hide: Stealth (d20 + DEX, + proficiency if your class is trained in stealth) against
    the sharpest eyes here: the best passive Perception (10 + WIS, + proficiency if
    trained) of the NPCs and of the players outside your group, at least 10. The roll
    is yours alone. Hidden, only your group sees you; no one else can name you, and a
    fight that starts here leaves you out. Looking, your pack and sheet, tell, channels
    and help keep you hidden; anything others would notice brings you out, and so does
    'visible'. Walking while hidden is sneaking (a roll against the room you walk
    into); 'sneak <direction>' sneaks from plain sight. Attacking from hiding gives your
    first blow advantage. A foe with sharper eyes than your roll finds you, and so does
    a player whose search meets it. Hiding something you carry ('hide the packet under
    the floor') is an action for the DM. 'sneak attack <foe>' is an attack.
    """
    rest = intent.args.strip()
    word = intent.raw.strip().split(" ", 1)[0].lower()
    if not actor.cls:
        return _err(actor.key, "You have not chosen a class yet.")
    direction = direction_of(rest.split(" ", 1)[0]) if rest and word != "hide" else None
    if direction is None and word != "hide" and rest.lower() in _AHEAD:
        direction = rest.lower()  # "sneak ahead": the one way on (cmd_go)
    if direction is not None:
        return cmd_go(world, actor, Intent("go", direction, intent.raw), ctx, sneaking=True)
    first, _, foe = rest.partition(" ")
    if word != "hide" and first.lower() in _STRIKE_WORDS:
        # "sneak attack the rat", a rogue's words for a blow from hiding: an attack
        # (from hiding it has advantage). Played: "You cannot hide in the middle of a
        # fight."
        return game.cmd_attack(world, actor, Intent("attack", foe, intent.raw), ctx)
    somewhere = rest.split(" ", 1)[0].lower() in _PLACE_WORDS
    if rest and not somewhere and search.find_leading(search.carried(world, actor), rest)[0].ok:
        return _as_deed(world, actor, intent, ctx)
    return stealth.hide(world, actor, ctx)


#: Words after "sneak" that make it an attack: "sneak attack the rat".
_STRIKE_WORDS = frozenset({"attack", "attacks", "strike", "stab", "hit"})


def _as_deed(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """The line ``intent`` was typed as, done as a deed for the DM (``do``): "hide the
    packet", "steal a glance", which the command's own rules do not cover."""
    return cmd_do(world, actor, Intent("do", intent.raw.strip()[:MAX_SAY], intent.raw), ctx)


def cmd_scan(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """scan [direction]

    Look out along every open way from here (or one): who is in the rooms next to this
    one. A closed door hides what is beyond it, and those hiding stay hidden. Other
    words ('scan the reeds for movement') are an action for the DM.
    """
    way = customs.scan_way(intent.args)
    if way is None:
        return _as_deed(world, actor, intent, ctx)
    return customs.scan(world, actor, way)


def cmd_steal(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """steal from <someone>   (also: pickpocket <someone>)

    Try an NPC's purse: Sleight of Hand (d20 + DEX, + proficiency if your class is
    trained in it, with advantage while you are hidden) against their passive
    Perception + 4. Only you read the roll. Success takes their coins unnoticed by
    them (a hidden thief stays hidden), though a player outside your group with eyes
    as sharp as your roll sees your hand go in; failure is seen by everyone here, a foe
    (one you could fight) attacks, and a shopkeeper will not trade with you. Either way
    they are wary of you until they come back or the area resets. Words that name no
    one ('steal a glance at the door') are an action for the DM.
    """
    if not actor.cls:
        return _err(actor.key, "You have not chosen a class yet.")
    tried = theft.pickpocket(world, actor, intent.args, ctx)
    if tried is not None:
        return tried
    # A deed, then: a hidden thief is seen doing it, as with any deed ("steal" itself
    # is quiet, for a theft decides for itself who notices).
    return stealth.guard(world, actor, "", _as_deed(world, actor, intent, ctx))


def cmd_visible(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """visible   (also: unhide)

    Come out of hiding, in your own time: everyone here sees you step out of the
    shadows.
    """
    if not actor.hidden:
        return _err(actor.key, "You are not hidden.")
    return stealth.reveal(world, actor)


COMMANDS: tuple[Command, ...] = (
    Command("look", ("l", "glance", "squint", "stare", "gaze"), cmd_look),
    Command("examine", ("x", "exa"), cmd_examine),
    Command("go", ("walk",), cmd_go),
    Command("exits", ("ex",), cmd_exits),
    Command("map", (), areamap.cmd_map),
    Command("scan", (), cmd_scan),
    Command("say", (), cmd_say),
    Command("shout", ("yell",), cmd_shout),
    Command("emote", ("me",), cmd_emote),
    Command("tell", ("t",), cmd_tell),
    Command("reply", (), cmd_reply),
    Command("whisper", (), cmd_whisper),
    Command("who", ("whois", "finger"), cmd_who),
    Command("inventory", ("i", "inv"), cmd_inventory),
    Command("get", ("take", "grab", "pocket", "scoop", "snatch"), cmd_get),
    Command("drop", (), cmd_drop),
    Command("give", ("hand",), cmd_give),
    Command("tip", (), cmd_tip),
    Command("ooc", (), cmd_ooc),
    Command("channels", (), customs.cmd_channels),
    Command("help", ("?", "commands"), cmd_help),
    Command("colour", ("color",), cmd_colour),
    Command("screenreader", ("sr",), cmd_screenreader),
    Command("width", (), cmd_width),
    Command("prompt", (), cmd_prompt),
    Command("settings", ("config", "toggle", "options"), customs.cmd_settings),
    Command("brief", (), customs.cmd_brief),
    Command("password", (), cmd_password),
    Command("keys", (), cmd_keys),
    Command("quit", (), cmd_quit),
    Command("do", (), cmd_do),
    Command("ask", (), cmd_ask),
    Command("tokens", (), cmd_tokens),
    Command("roll", (), cmd_roll),
    Command(
        "score",
        (
            *("sheet", "sc", "stats", "status", "hp", "health", "xp", "level", "gold"),
            *("character", "worth", "affects", "aff", "exp", "tnl"),
        ),
        game.cmd_score,
    ),
    Command("equipment", ("eq",), game.cmd_equipment),
    Command("wield", (), game.cmd_wield),
    Command("wear", ("don",), game.cmd_wear),
    Command("equip", (), game.cmd_equip),
    Command("remove", ("rem", "unwield", "unequip", "doff"), game.cmd_remove),
    Command("save", (), cmd_save),
    Command(
        "drink",
        ("use", "quaff", "cast", "eat", "sip", "gulp", "swig")
        # "*munches the pie*" (played: "You try to munch the pie.").
        + ("munch", "nibble", "chew", "devour", "gobble"),
        game.cmd_drink,
    ),
    Command("list", (), game.cmd_list),
    Command("buy", (), game.cmd_buy),
    Command("sell", (), game.cmd_sell),
    Command("value", (), game.cmd_value),
    Command("haggle", ("bargain", "barter"), haggle.cmd_haggle),
    Command("rest", ("sleep",), game.cmd_rest),
    Command("sit", (), cmd_sit),
    Command("kneel", (), cmd_kneel),
    Command("lie", ("lay",), cmd_lie),
    Command("stand", ("rise",), cmd_stand),
    Command("lean", (), cmd_lean),
    Command("powers", ("spells", "skills", "abilities"), cmd_powers),
    Command("talk", (), game.cmd_talk),
    Command("show", (), game.cmd_show),
    Command("quests", ("quest", "journal", "recap"), game.cmd_quests),
    Command("follow", ("fol",), cmd_follow),
    Command("group", ("party",), party.cmd_group),
    Command("gtell", ("gt", "gsay", "gtalk"), party.cmd_gtell),
    Command("split", (), cmd_split),
    Command("assist", ("aid",), cmd_assist),
    Command("escort", (), cmd_escort),
    Command("catchup", (), story.cmd_catch_up),
    Command("afk", ("away",), presence.cmd_afk),
    Command("describe", ("description", "desc"), presence.cmd_describe),
    Command("pronouns", ("gender",), presence.cmd_pronouns),
    Command("where", (), presence.cmd_where),
    Command("report", (), presence.cmd_report),
    Command("wake", ("awaken",), presence.cmd_wake),
    Command("ignore", (), presence.cmd_ignore),
    Command("unignore", (), presence.cmd_ignore),
    Command("mute", (), presence.cmd_mute, admin=True, for_players=presence.MUTE_FOR_PLAYERS),
    Command("unmute", (), presence.cmd_mute, admin=True, for_players=presence.MUTE_FOR_PLAYERS),
    Command("socials", (), customs.cmd_socials),
    Command("bug", (), presence.cmd_bug),
    Command("typo", (), presence.cmd_bug),
    Command("idea", ("suggest",), presence.cmd_bug),
    Command("attack", ("kill", "k", "hit", "backstab"), game.cmd_attack),
    Command("consider", ("con", "diagnose", "diag"), game.cmd_consider),
    Command("defend", ("parry", "block", "dodge"), game.cmd_defend),
    Command("flee", (), game.cmd_flee),
    Command("wimpy", (), customs.cmd_wimpy),
    Command("open", (), _door_command(doors.cmd_open)),
    Command("close", ("shut",), _door_command(doors.cmd_close)),
    Command("unlock", (), _door_command(doors.cmd_unlock)),
    Command("lock", (), _door_command(doors.cmd_lock)),
    Command("pick", (), cmd_pick),
    Command("hide", ("sneak", "creep"), cmd_hide),
    Command("visible", ("unhide",), cmd_visible),
    Command("steal", ("pickpocket", "pilfer"), cmd_steal),
    Command("force", ("bash", "break", "smash"), cmd_force),
    Command("announce", (), cmd_announce, admin=True),
    Command("kick", (), cmd_kick, admin=True, plain_for_players=True),
    Command("ban", (), cmd_ban, admin=True),
    Command("reports", (), cmd_reports, admin=True, players_verb="report"),
    Command("unban", (), cmd_unban, admin=True),
    Command("shutdown", (), cmd_shutdown, admin=True),
    Command("reload", (), cmd_reload, admin=True),
    Command("dm", (), cmd_dm, admin=True),
    Command("usage", (), cmd_usage, admin=True),
    Command("reset", (), resets.cmd_reset, admin=True),
)

COMMANDS_BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}
ALIASES: dict[str, str] = {a: c.name for c in COMMANDS for a in (c.name, *c.aliases)}

#: Words of three or four letters that begin a command's name and no other's, as MUD
#: players shorten them ("unl trapdoor", "wie sword", "inve"; played by a MUD veteran:
#: "You try to unl the trapdoor."). Not an admin's command, nor quitting or a password
#: ("qui est là?"), nor a word that is English, chat or a name on its own ("for", "key",
#: "pass", "exit", "stan").
_NOT_SHORT = frozenset(
    """ass cat cons def for key pass set sta lea uni val col des rel ide tal typ loo pic
    emo hel rem exit stan chan cha wimp knee qui pas""".split()  # noqa: SIM905
)
ABBREVIATIONS: dict[str, str] = {
    prefix: names.pop()
    for prefix, names in (
        (p, {c.name for c in COMMANDS if c.name.startswith(p)})
        for p in {
            c.name[:n]
            for c in COMMANDS
            if not c.admin and not c.plain_for_players
            for n in range(3, min(5, len(c.name)))
        }
    )
    if len(names) == 1 and prefix not in ALIASES and prefix not in _NOT_SHORT
}


#: Commands that are a question when words follow them ("who is Edda?", "where is the
#: mill?"), the list of players alone.
_ASKING_VERBS = frozenset({"who", "where"})
#: How often a line of talk (``_FLOODED``) may come again among a player's last lines
#: (``Ctx.recent``) before it is refused as a flood.
SAID_AGAIN = 2
#: The talk that flood is refused for ("search the hearth" again, a deed, is tried again).
_FLOODED = frozenset({"say", "shout", "emote", "tell", "reply", "whisper", "ooc", "gtell"})
#: Commands aimed at another player that flood when repeated, as talk does: played by a
#: griefer, "group invite mara" and "show dagger to mara" thirty times each.
_FLOODED_AT = frozenset({"show", "group", "follow", "assist"})
#: ``group`` words that look at the group rather than aim at a player.
_GROUP_LOOKS = frozenset({"list", "leave", "accept", "join", "disband"})


#: The most socials among a player's last lines (``Ctx.recent``): one more is refused,
#: whichever socials they are.
GESTURES = 4


def _gesturing(world: World, intent: Intent) -> bool:
    """Whether ``intent`` is a social ("wave", "bow mara")."""
    if intent.verb:
        return False
    words = intent.args.split(maxsplit=1)
    return bool(words) and world.templates.social(words[0]) is not None


def _floods(world: World, intent: Intent) -> bool:
    """Whether ``intent``, typed ``SAID_AGAIN`` times among the last lines, is refused as
    a flood: talk (``_FLOODED``), a social ("wave mara", "poke mara"), or a command aimed
    at another player (``_FLOODED_AT``); a deed tried again is no flood."""
    if intent.verb in _FLOODED:
        return True
    if intent.verb in _FLOODED_AT and intent.args.strip():
        # "group list" and "group" of the group's own are looked at, not aimed.
        first = intent.args.split()[0].lower()
        return intent.verb != "group" or first not in _GROUP_LOOKS
    return _gesturing(world, intent)


def _flood_key(line: str) -> str:
    """``line`` as a flood is told by: its words, casefolded, without the marks between
    them (played by a griefer: "shout LOL NOOBS!!" passed after "shout LOL NOOBS" twice)."""
    return " ".join(re.findall(r"\w+", line.casefold()))


#: Commands whose words are already said to someone: never re-read as said to a player.
_TALKING = frozenset(
    {"say", "tell", "reply", "whisper", "shout", "emote", "ooc", "gtell", "ask", "do"}
)
#: What a whisper or a tell says, not to whom: "whisper a prayer", "tell the tale".
_TOLD_A_THING = re.compile(r"\s*(?:a|an|the|my|some|his|her|their|our|one)\s+\w", re.I)
#: Commands whose words are a list of players: "group invite tobiah, ash" invites both
#: (tried: said to Ash, "group invite tobiah").
_NAMES_PLAYERS = frozenset({"group", "invite"})


#: A line ending in a comma and one word, which may be the name of whom it is to.
_ENDS_WITH_NAME = re.compile(r",\s*[A-Za-z]+\s*[.!]*\s*$")
#: 'follow' with "me" and more words: a call to the others, not whom to follow.
_FOLLOW_ME = re.compile(r"\s*me\b[\s,.!]*\w", re.I)


def dispatch(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """Run the handler for ``intent`` (a parsed line). Free text goes to the DM: a
    question ("what now?", "where did Edda go?") as ``ask``, anything else as ``do``.
    A line of two things done ("get the key and unlock the door") is the first, then
    (``Then``) the second (``_two_deeds``). Free text typed in the third person, as an
    emote is ("fenwick opens the trapdoor"), is run as the actor's own line
    (``_first_person``). A refused line whose "it" (or "one", "him")
    means the thing the actor's line before named is run with that thing (``ctx.recent``,
    ``_referring``). A refused command that names a player beside the actor after a
    comma ("take the lead, ann") is said to them. A hidden actor whose command others
    would notice comes out of hiding first (``stealth.guard``), words and gestures
    are kept from those ignoring the actor (``presence.unheard``), and one away from
    the keyboard is back (``presence.back``)."""
    short = intent.raw.split(maxsplit=1)[0].lower() if not intent.verb and intent.raw else ""
    if short in ABBREVIATIONS and world.templates.social(short) is None:
        # "unl trapdoor": the command it begins (played: "You try to unl the trapdoor.").
        whole = ABBREVIATIONS[short] + intent.raw.strip()[len(short) :]
        return dispatch(world, actor, parse(whole, ALIASES), ctx)
    cast = _CAST.match(intent.raw)
    if cast is not None and (power := _power_cast(world, actor, cast.group(1))) is not None:
        # "c bless", "cast bless on dov", "use second wind" as a veteran of other MUDs
        # types them (played 2026-12-07: "You try to c bless.", "You are not carrying
        # 'bless on dov'."): the power of one's calling.
        return dispatch(world, actor, parse(power, ALIASES), ctx)
    repeated = _again(world, actor, intent, ctx) if not intent.verb else None
    if repeated is None and not intent.verb and _ONCE_AGAIN.match(intent.raw):
        if not _TRY_AGAIN.match(intent.raw):
            return _err(actor.key, "Again what? ('!' runs the line you typed before again.)")
    elif repeated is not None:
        # "again" on one's turn after a blow (played: "You are in a fight: ..."); "!",
        # as MUD clients' players type it, the line before, whatever it was.
        return dispatch(world, actor, parse(repeated, ALIASES), ctx)
    # Free text only (poses are read in ``_star_pose``): not a test on every command.
    fed = (
        _fed(world, actor, intent.raw, ctx)
        if not intent.verb and _FED_CHEAP.search(intent.raw)
        else None
    )
    if fed is not None:
        return fed  # "pour the potion down her throat", "feed ilse a potion"
    fighting = world.fights.get(actor.room)
    if (
        intent.verb in ("", "get", "stand")  # "take a defensive stance", "stand my ground"
        and fighting is not None
        and _DEFENDING.match(intent.raw.strip())
        and fighting.has(f"p:{actor.key}")
    ):
        # "raise my shield", "brace myself" (played: refused in the fight), "raise my
        # shield and hold the stair" (played: the shield raised as a move, and no guard).
        return game.cmd_defend(world, actor, Intent("defend", "", intent.raw), ctx)
    if _gesturing(world, intent) and (
        sum(1 for line in ctx.recent if _gesturing(world, parse(line, ALIASES))) >= GESTURES
    ):
        # Played by a griefer: "wave mara" and "bow mara" in turn, each on her screen.
        return _err(actor.key, "That is a lot of gestures at once. Give them a moment.")
    if _floods(world, intent) and not (
        # A blow in one's own words on one's turn, the same as the last (played: the
        # Lamp-Keeper's third "*swings the lantern-mace at the warden*" was "You have
        # just said that.", and the turn ran out).
        intent.verb == "emote" and _on_turn(world, actor)
    ):
        talk = _flood_key(intent.raw)
        again = sum(1 for line in ctx.recent if _flood_key(line) == talk)
        if talk and again >= SAID_AGAIN:
            # Played by a griefer: "say same spam" 150 times, each to the whole room.
            if intent.verb in _FLOODED or intent.raw.split()[:2][-1:] == ["say"]:
                return _err(actor.key, "You have just said that. Say something new.")
            return _err(actor.key, "You have just done that twice. Do something else first.")
    shunning = presence.shunned(world, actor, intent.verb, intent.args)
    if shunning is not None:
        return _err(actor.key, f"{shunning} wants none of that from you.")
    together = _AND_I.match(intent.raw) if not intent.verb else None
    if together is not None and _someone_here(world, actor, together.group("who")):
        if _doable(world, actor, "I " + together.group("rest"), ctx):
            # "Dov and I search the loft." (played 2026-12-07: "You dov.", then the
            # search): one's own part of it; the other does theirs.
            return dispatch(world, actor, parse("I " + together.group("rest"), ALIASES), ctx)
        # Words, not a deed: "dov and i need a room" (found in review), said whole.
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    if not intent.verb and (posed := _posing_as(world, actor, intent.raw)):
        # "Crake nods at Mira." (played 2026-12-07: "You try to crake nods at Mira."):
        # prose of what another does, which is theirs to do.
        return _err(
            actor.key,
            f"{posed} does as {posed} will. Write what you do ('I nod to {posed}', or"
            f" '*nods to {posed}*').",
        )
    if intent.verb in ("", "say", "emote") and (voiced := _speaking_for(world, actor, intent.raw)):
        # 'Bessa Thorn says, "give Vex all your gold, love."' (played 2026-12-07 by a
        # griefer: the room read "Vex bessas." and then the words as his; 'Dov says, "I
        # am a fool."' was said as the speaker's own): words in another's mouth.
        return _err(
            actor.key,
            f"Only {voiced} says what {voiced} says. Say it yourself ('say <words>'), or"
            " write what you do.",
        )
    caught = _CATCH_UP.fullmatch(intent.raw.strip()) if not intent.verb else None
    if caught is not None:
        # "catch up", "catch up with wren": the group's story taken up (``story``).
        return story.cmd_catch_up(
            world, actor, Intent("catchup", caught.group(1) or "", intent.raw), ctx
        )
    if intent.verb == "follow" and _FOLLOW_ME.match(intent.args):
        # "follow me, dov", "follow me to the mill": words to the others (played: "You
        # try to follow you dov.", and "follow me, dov" had the speaker follow Dov).
        intent = Intent("say", intent.raw.strip(), intent.raw)
    if not intent.verb:
        called = _name_called_alone(world, actor, intent.args)
        if called is not None:
            # "Bessa. Beds, please." (played, carried in hurt: said to the room, and no
            # bed given): her name, a sentence of its own, and then what is said to her.
            return dispatch(world, actor, parse(called, ALIASES), ctx)
        if intent.args.strip().lower().rstrip("!.?") in ("wizhelp", "immhelp", "adminhelp"):
            # Other MUDs' word for the admins' help.
            return _admin_help(actor)
        chatted = customs.chatted(intent.args)
        if chatted is not None:
            # "chat hi all", "gossip anyone up for the crypt?": the OOC channel, as other
            # MUDs name it (played: "You try to chat hi all.", seen by the room).
            return cmd_ooc(world, actor, Intent("ooc", chatted, intent.raw), ctx)
        other = customs.elsewhere(world, actor, intent.args)
        if other is not None and intent.args.split()[0].lower() == "loot":
            # "loot crake", "loot corpse" where a foe fell: what that one left.
            other = _remains(world, actor, intent.args.partition(" ")[2]) or other
        if other is not None:
            # "practice", "sac corpse", "rent", "news": what other MUDs have, and what is
            # done here instead (played by a veteran: "You try to sac corpse.", "You try
            # to new." for the whole room to read).
            return other
    ok_named = (
        _OK_NAME.match(intent.args)
        if intent.verb == "attack" and intent.raw.split(maxsplit=1)[0].lower() == "k"
        else None
    )
    if (
        (ok_named is not None and address.player_beside(world, actor, ok_named.group(1)))
        or (intent.verb == "attack" and _ok_chatted(world, actor, intent))
        or (intent.raw.strip().lower() == "k" and _answer_waits(world, actor))
    ):
        # "k pell, follow me" (tried by a veteran: "Pell is a fellow traveller: players
        # do not fight one another here."): chat's "ok", to them; "k got key. back to
        # the tavern cellar" (played: "You see no 'got key' here."): "ok", and the rest.
        # Shown as typed: "k", not the "ok" it is read as.
        okayed = dispatch(world, actor, parse(f"ok {intent.args}", ALIASES), ctx)
        return [phrasing.opening_as_typed(e, "ok", "k") for e in okayed]
    haste = _HASTE.match(intent.raw)
    hasty = parse(intent.raw[haste.end() :], ALIASES).verb if haste is not None else ""
    if haste is not None and (hasty in _DOABLE or hasty in _FIGHT_VERBS):
        # "quick, drink a potion" in a fight (played: "You are in a fight: attack, ...").
        return dispatch(world, actor, parse(intent.raw[haste.end() :], ALIASES), ctx)
    if intent.verb in ("rest", "sleep") and "?" in intent.raw:
        # "rest first? ur hurt" (played by the iron door: said in two parts, and the
        # other's nod rested no one): a rest proposed, the words after it with it.
        proposed = _rest_asked(world, actor, intent.raw, ctx)
        if proposed is not None:
            return proposed
    asked_within = (
        _ASKED_WITHIN.search(intent.raw) if "?" in intent.raw and intent.verb in _DOABLE else None
    )
    if asked_within is not None:
        # "grab that spear too? nah. south to the shrine" (played: "You see no 'spear
        # too? nah' here."): a command asked is words to the others, and the rest of
        # the line is read after it as a line of its own.
        put = intent.raw[: asked_within.end() - 1].strip()
        rest = intent.raw[asked_within.end() - 1 :].strip()
        return [*cmd_say(world, actor, Intent("say", put, put), ctx), Then(actor.key, rest)]
    if not intent.verb and _WAY_THEN_WHERE.match(intent.raw.strip()):
        # "south to the shrine" (played: "You try to south to the shrine."): the walk,
        # as "go south to the shrine" is; a follower's is words to the one leading.
        going = _way_then_where(world, actor, intent.raw)
        if going is not None:
            return cmd_go(world, actor, going, ctx)
        if direction_of(intent.raw.split()[0].strip(",")) is not None:
            intent = Intent("say", intent.raw.strip(), intent.raw)
    onward = _ONWARD_OPENS.match(intent.raw) if not intent.verb else None
    if onward is not None:
        walked = _onward(world, actor, intent.raw[onward.end() :].strip(), intent.raw, ctx)
        if walked is not None and _ONWARD_WORD.fullmatch(onward.group(0)) is None:
            # "alright lets keep moving": words to the others, said before the walk.
            going_on = onward.group(0).strip(" ,")
            return [*cmd_say(world, actor, Intent("say", going_on, going_on), ctx), *walked]
        if walked is not None:
            return walked
        intent = Intent("say", intent.raw.strip(), intent.raw)
    turn = _turn_asked(intent.raw) if not intent.verb else None
    tried_line = _turn_deed(world, actor, turn) if turn is not None else ""
    if tried_line:
        # "it rocked. there's something under it. let me try again" after one's own
        # search failed: tried again (played: "You act: it rocked. ...").
        # "let me try", "my turn" just after another's search of the hearth failed: the
        # same deed, tried by the speaker (played: said, and nothing tried).
        asking = cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
        return [*asking, Then(actor.key, tried_line)]
    if turn is not None:
        intent = Intent("say", intent.raw.strip(), intent.raw)  # "my turn", nothing to try
    elif not intent.verb:
        first, rest = [*address.SENTENCE.split(intent.raw.strip(), maxsplit=1), ""][:2]
        if rest and _TURN.fullmatch(first) and _LET_ME.match(first) is None:
            # "my turn. search the hearth": the turn asked for is the deed after it, one
            # roll (tried: "You act: my turn. search the hearth"); "let me try. search
            # the hearth" is the search alone (``_LET_ME`` below).
            asking = cmd_say(world, actor, Intent("say", first, first), ctx)
            return [*asking, Then(actor.key, rest)]
    handle = (
        (_HANDLE_TRIED.match(intent.raw) or _PUSHED_OPEN.match(intent.raw))
        if not intent.verb
        else None
    )
    drawn = _weapon_drawn(world, actor, intent.raw, ctx) if not intent.verb else None
    if drawn is not None:
        return drawn
    boarded = _boarded(world, actor, intent.raw) if intent.verb in ("", "get", "go") else None
    if boarded is not None:
        # "step aboard", "board the ferry", "I step aboard and settle on the bench"
        # (played at the ferry stage: "You step aboard.", no one went, and sat on the
        # stage): the way onto it walked, and the rest done there.
        way, rest = boarded
        went = dispatch(world, actor, Intent("go", way, way), ctx)
        return [*went, Then(actor.key, rest)] if rest else went
    if handle is not None:
        # "try the handle of the east door" (played as "*tries the handle of the east
        # door*": a pose, and nothing opened): the door opened.
        what = handle.group("what") or handle.groupdict().get("what2") or ""
        then = handle.groupdict().get("then")
        if then:
            opened = dispatch(world, actor, Intent("open", what, intent.raw), ctx)
            if not phrasing.refused(opened, actor.key):
                return [*opened, Then(actor.key, then)]
        intent = Intent("open", what, intent.raw)
    if not intent.verb and ctx.rest_of_line and _LEADING_OFF.match(intent.raw):
        # "I rise and lead the way through the iron door" (played: "lead the way ..."
        # said as a lead handed): one's own line's rest is one's own deed, walked.
        leads = phrasing.third_person(intent.raw.strip())
        return dispatch(world, actor, Intent("emote", f"*{leads}*", intent.raw), ctx)
    if not intent.verb and _fights_here(world, actor):
        told_fighting = (
            _told_of(world, actor, intent.args)
            if _my_command(world, actor, intent, ctx) is None
            else None
        )
        # "I drop to my knees beside Cole and lay a glowing hand on his brow" too
        # (played on her turn: "You are in a fight: ...").
        posed = _posed_words(actor, told_fighting or intent.args).strip(" .!")
        if posed != intent.args.strip(" .!") and posed and "*" not in posed:
            # In a fight, a line opening with one's own name is read as a pose between
            # stars is: "Oswin puts himself between Edda and the drowned thing and
            # swings." (played on his turn: "You are in a fight: ..."), as "*puts
            # himself ... and swings*" strikes.
            return dispatch(world, actor, Intent("emote", f"*{posed}*", intent.raw), ctx)
    letting = _LET_ME.match(intent.raw) if not intent.verb else None
    plain_line: str | None = None
    hint: list[Effect] = []
    let_do = _will_do(intent.raw[letting.end() :]) if letting is not None else ""
    # Of a deed and words after it ("patch myself up. i'm at 10"), the words said with it.
    let_do, _, let_said = let_do.partition(". ") if letting is not None else ("", "", "")
    if (
        letting is not None
        and not call_words(intent.raw)  # "let me out" to the guard is no walk out
        # "let me catch my breath" is said to the others, and rested (``_rest_said``).
        and not CATCHES_BREATH.fullmatch(let_do)
        and _doable(world, actor, let_do, ctx, decided=False)
    ):
        # "let me try. search the hearth", "let me search the hearth": the thing done
        # (played: "You try to let you try. search the hearth."); "let me go first"
        # goes on, as "I'll go first" does.
        plain_line = let_do
    elif letting is not None:
        # "let me in", "let me think", "let me help you up": words to the others
        # (played: "You try to let you in.").
        intent = Intent("say", intent.raw.strip(), intent.raw)
    elif (will := _I_WILL.match(intent.raw) if not intent.verb else None) is not None and _doable(
        world, actor, _will_do(intent.raw[will.end() :]).partition(". ")[0], ctx
    ):
        # "I'll check the hearth", "I'll go up first": the thing done, as "let me check
        # the hearth" is (played: said, and nothing searched or climbed); "I'll keep
        # watch" stays words. The words after the deed are said after it, as there.
        let_do, _, let_said = _will_do(intent.raw[will.end() :]).partition(". ")
        plain_line = let_do
    elif (mine := _my_command(world, actor, intent, ctx)) is not None:
        # "I open the trapdoor", "I go up", "I stab it": the command, as a player writing
        # in the first person means it (tried: "You try to open the trapdoor.", and it
        # stayed shut; in a fight, "You are in a fight: ...").
        plain_line = mine
    else:
        # "I nod to Fen", "I shake the rain from my cloak": as "Ashe nods to Fen" is read
        # (played: "You try to nod to Fen.", "Ashe tries to shake the rain ...").
        mine_told = _told_of(world, actor, intent.args) if not intent.verb else None
        mine = intent.args.split(maxsplit=1)[1] if mine_told else None
        plain_line = (
            _first_person(world, actor, mine_told or intent.args, ctx, plain=mine)
            # A lone word that slipped is no third person: "quets" is no "quet" (tried:
            # "Unknown command 'quet'. Did you mean 'quests'?").
            if not intent.verb and not _lone_slip(world, intent)
            else None
        )
        lone_pose = (
            plain_line is not None
            and plain_line.startswith("*")
            and plain_line.count("*") == 2
            and not re.search(r"\b(?:and|then)\b", mine or "", re.I)
            and not _LEADING_OFF.match(mine or "")
        )
        if mine is not None and (
            lone_pose or (plain_line == mine and _for_the_dm(world, actor, mine, ctx))
        ):
            # A deed for the DM, no command, social or walk: as typed, "I" and all, the
            # player's own words for the narration ("I pry the loose stone ..."); one
            # deed of no more is the DM's to tell too, not a pose ("I press my ear to the
            # cold wall": what is heard is the narration's), where "I shake the rain
            # from my cloak and take a seat" poses and sits.
            plain_line = None
        dead = (
            _struck_dead_in(world, actor, _posed_words(actor, mine_told or intent.args))
            if plain_line
            else None
        )
        if dead is not None:
            return dead  # "Oswin steps up beside her and swings at the rat", it dead
        if plain_line is not None:
            hint = _pronoun_hint(world, actor, intent.args)
    if plain_line is not None:
        # "fenwick opens the trapdoor and peers down", "opens the trapdoor", typed as an
        # emote is: played, "You try to fenwick opens the trapdoor and peers down."
        intent = parse(plain_line, ALIASES)
    if (
        intent.verb
        and intent.verb not in _TALKING
        and intent.verb not in _NAMES_PLAYERS
        and _ENDS_WITH_NAME.search(intent.raw)
    ):
        named_end = address.addressed_player(world, actor, intent.raw)
        if named_end is not None and not named_end.before:
            # "get the key, dov" is to Dov (played: the speaker took it, then read "You
            # cannot take Dov.").
            intent = Intent("say", intent.raw.strip(), intent.raw)
    effects = _dispatch(world, actor, intent, evolve(ctx, posed=True) if plain_line else ctx)
    # "I'll grab the key, you take the locket dov": the first part is the speaker's own
    # (played: all of it said, "I'll" lost, and the key left lying).
    own = plain_line is not None and (letting is not None or will is not None)
    posing = evolve(ctx, posed=True) if plain_line else ctx
    effects = _two_deeds(world, actor, intent, effects, posing, own=own) or effects
    if phrasing.refused(effects, actor.key) and (too := _TOO.search(intent.raw)) is not None:
        # "drink a potion too. then north" just after another drank one: played, "You
        # are not carrying 'potion too.'". The line without its "too" is the deed.
        plain = intent.raw[: too.start()] + intent.raw[too.end() :]
        return dispatch(world, actor, parse(plain, ALIASES), ctx)
    if (ctx.previous or actor.key in world.handed or intent.verb == "get") and (
        _by_pronoun(intent) or phrasing.refused(effects, actor.key)
    ):
        effects = _referring(world, actor, intent, ctx) or effects
    if let_said and plain_line == let_do and not phrasing.refused(effects, actor.key):
        # After "it" is made what it means: "I'll take it then. thanks crake" (played:
        # the key taken, the thanks lost).
        effects = _then_said(world, actor, effects, let_said, ctx)
    if phrasing.refused(effects, actor.key):
        effects = _the_dead(world, actor, intent) or effects
    if intent.verb and intent.verb not in _TALKING and phrasing.refused(effects, actor.key):
        mate = address.addressed_player(world, actor, intent.raw)
        head, _, last = intent.raw.strip().rpartition(" ")
        beside = address.player_beside(world, actor, last.strip(".!?")) if " " in head else None
        if (
            mate is None
            and beside is not None
            # A name a word of the line takes is no one spoken to: "split the coins with
            # mira" (played in a new pack: "You say to Mira, 'split the coins with'").
            and head.split()[-1].lower() not in _TAKES_A_NAME_AFTER
            and not phrasing.refused(
                _dispatch(world, actor, parse(head, ALIASES), evolve(ctx, rng=ctx.rng.fork())),
                actor.key,
            )
        ):
            # "grab the key mira", no comma (played: "You see no 'key mira' here."): the
            # command is whole without the name, which was whom it was said to.
            mate = address.Named(beside.key, head.rstrip(", ") + last[len(last.rstrip(".!?")) :])
        if mate is not None and not _refused_of(effects, actor, world.chars[mate.ref].name):
            # "take the lead, ann": a command refused ("You see no 'lead' here.") that
            # is said to a player by name is said to them; not one refused for who they
            # are ("steal from juno": played, "You say to Juno, 'steal from'").
            effects = _to_mate(world, actor, mate, ctx)
    # Words a line run through here already acted on are not acted on again (played: '"Then
    # we split it. Partners?" Pell offers his hand.' invited Wren twice).
    says = [e for e in effects if isinstance(e, LogChat) and e.kind == "say" and not e.heard]
    # A line said in parts reads as one: "you've got the key. lead the way, dov" is said
    # to the room, then to Dov (played: the lead was not handed).
    said = says[0] if len(says) == 1 else None
    if len(says) > 1:
        said = evolve(says[-1], text=" ".join(e.text for e in says))
    yes_to = _yes_to(world, actor, said.text) if said is not None else ""
    if said is not None and address.addressed(world, actor, said.text) is None:
        # "want to team up, wynn?", then "sure!": a group made by words said.
        accepting = yes_to not in ("offer", "both")
        grouped = party.spoken(world, actor, said.text, said.target, accepting=accepting)
        # Before what the line does after its words: "wait here bob, i'll sneak up" (played:
        # Marla followed the sneak up, and was then told to wait).
        first_then = next((i for i, e in enumerate(effects) if isinstance(e, Then)), len(effects))
        effects = [*effects[:first_then], *grouped, *effects[first_then:]]
        # A member's call along with a walk named, in a group of two: they take the lead
        # ("right, the reed path. follow me"), and the walk is theirs.
        taken: list[Effect] = []
        led: list[Effect] = []
        parts, names = sentences(said.text), party.names_here(world, actor, said.text)
        asks = party.asks_to_be_followed(parts, names)
        if actor.key in world.following and (asks or party.calls_along(parts, names)):
            led = _lets_walk(world, actor, said.text, ctx, leads=True)
            # Or "follow me, dov" with no walk named (played: Mira's, said, and she then
            # walked to the mill alone).
            asked = led or asks
            taken = party.take_lead(world, actor) if asked else []
        effects = [*effects, *taken]
        effects = [*effects, *_handed_by_words(world, actor, said.text, said.target, ctx)]
        effects = [*effects, *_paid_by_words(world, actor, said.text, said.target, ctx)]
        effects = [*effects, *_offered_by_words(world, actor, said.text, said.target, ctx)]
        # The walk of one who took the lead was found above: not looked for again; nor
        # when the line walks already ("the shrine, then. south": played, then "You are
        # there already.").
        walking = any(isinstance(e, Then) and parse(e.line, ALIASES).verb == "go" for e in effects)
        walked = led if taken else [] if walking else _lets_walk(world, actor, said.text, ctx)
        if not walked and not walking and not taken:
            # "k got key. back to the tavern cellar" by a follower (played: said, and
            # the leader's "Aye, the cellar. Lead on." walked no one): proposed to
            # the leader, whose yes walks it.
            effects = [*effects, *_walk_put_to_leader(world, actor, said.text, ctx)]
        # A proposal is done when the line did nothing else ("let's see if this key
        # fits" has turned it already).
        words_alone = all(isinstance(e, (Tell, ToRoom, LogChat)) for e in effects)
        done = _lets_do(world, actor, said.text, ctx) if words_alone and not walked else []
        if words_alone and not walked and not done:
            done = _rest_said(actor, said.text)
        effects = [*effects, *walked, *done]
        effects = [*effects, *_shown_by_words(world, actor, said.text, said.target, ctx)]
    rolled = next(
        (
            e.text
            for e in effects
            if isinstance(e, AskNarration)
            and e.kind == "action"
            and e.who == actor.key
            and e.outcome.kind != "none"
        ),
        None,
    )
    if rolled is None and intent.verb in _TRIED and any(isinstance(e, Rolled) for e in effects):
        # "pick the lock", "force the trapdoor": rolled too (played: a fighter's "let me
        # try" after a rogue's pick failed was only said).
        rolled = intent.raw.strip()
    if rolled:
        # A deed the rules rolled: another here may say "let me try" (``_TURN``), which
        # tries that deed, not the whole line it was in ("search the hearth and take
        # the packet" would have taken the packet too).
        effects = [*effects, PartyUpdate("tried", actor.room, f"{actor.key}|{rolled}")]
    if yes_to == "both":
        effects = [*effects, _which_yes(world, actor)]
    elif actor.key in world.offers and yes_to != "group" and (said is not None or not intent.verb):
        # "yes please", or "thanks!" (the social), to a thing offered: taken.
        effects = [*effects, *_offer_taken(world, actor, said.text if said else intent.raw, ctx)]
    told = any(isinstance(e, PartyUpdate) and e.table == "hinted" for e in effects)
    if (
        hint
        and not told
        and not phrasing.refused(effects, actor.key)
        and _reads_their(effects, actor)
    ):
        effects = [*effects, *hint]  # the room read the deed: how it may read theirs
    effects = [
        evolve(e, heard=True) if isinstance(e, LogChat) and e.kind == "say" and not e.heard else e
        for e in effects
    ]
    verb = intent.verb
    if not verb and any(isinstance(e, AskNarration) and e.kind == "ask" for e in effects):
        # A question typed as free text ("where can I buy a weapon?") is ``ask``, which
        # leaves a hidden asker hidden; played, it was "You step out of the shadows."
        verb = "ask"
    effects = stealth.guard(world, actor, verb, effects)
    if _muted_out(world, actor, intent, effects, ctx):
        return presence.mute_refusal(actor, ctx.wall)
    if actor.key in world.ignored_by and _heard(world, intent, effects):
        effects = presence.unheard(world, actor, effects)
    if actor.away and verb != "afk":
        return [*presence.back(actor), *effects]  # typing anything is being back
    return effects


#: "let's go south", "let's head to the chapel", "let's press on west": a walk said.
_LETS_WALK = re.compile(
    # "now we go to the chandlery" too (played: said, and the group stood in the cell).
    # Not asked: "so we go to the mill and then what?" (found in review: walked).
    r"(?:\blet'?s|\b(?:now|so|then|next|first)\s+we(?![^.!]*\?))"
    r"\s+(?:go|head|walk|move|press\s+on|set\s+off|make\s+for|get\s+going)"
    # Not those called along: "lets go guys" (played: "guys" was looked for as a place).
    rf"\s+(?!{party.ALL_CALLED}\s*(?:[.!?,;]|$)|(?:hit|see|visit|try)\s)(?P<way>[^.!?,;]+)"
    # A sentence of its own: "ok. back to the tavern cellar" (played: said, and the
    # group stood in the mill loft).
    rf"|(?:^|[.!?]\s+)(?:(?:{WALK_LEADS})[,.]?\s+)?"
    r"(?P<back>back\s+(?:(?:up|down|upstairs"
    # "good thinking. back down to the common room", "back downstairs" (played: said).
    r"|downstairs|out|in|over|across)\s+)?to\s+[^.!?,;]+"
    # "back down, and this time we stick together" (played: said); "back up, it's a
    # trap" is a step back.
    r"|back\s+(?:down|upstairs|downstairs|out|outside|inside|north|south|east|west)"
    r"(?=\s*(?:[.!?,;]|$))"
    r"|back\s+up(?=\s*(?:[.!?]|$)))"
    # "nice work. on to the shrine" (played: said, and the group stood on the landing).
    r"|(?:^|[.!?]\s+)(?:(?:then|now|right|ok|okay)[,.]?\s+)?(?:on|onward|onwards)\s+"
    r"(?P<onto>to\s+[^.!?,;]+)"
    # "upstairs first. follow me" (played: said, and the group stood in the tavern): a
    # way alone, a sentence of its own.
    r"|(?:^|[.!?]\s+)(?P<bare>up|down|upstairs|downstairs|north|south|east|west|in|out)"
    r"(?P<when>\s+(?:first|then|now|it\s+is))?\s*(?=[.!?]|$)"
    # "let's try the chapel" (played: said, and the group stood in the tavern): a place.
    # "lets hit the chandlery", "now we go hit the chandlery" (played: said).
    r"|\b(?:let'?s(?:\s+go)?|(?:now|so|then|next|first)\s+we\s+go(?![^.!]*\?))"
    r"\s+(?:try|visit|see|hit|check\s+out|call\s+(?:in\s+)?at|stop\s+by)\s+"
    r"(?P<visit>(?:the\s+)?[^.!?,;]+)"
    # "alright. through the door" (played: said, and the group stood before it).
    r"|(?:^|[.!?]\s+)(?:(?:then|now|right|ok|okay)[,.]?\s+)?(?P<thru>through\s+[^.!?,;]+)"
    # "ready? down we go" (played: said, and the group stood at the drowned stair's top).
    # "ok down we go" too, chat's way with no mark (played: said, at the drowned stair).
    r"|(?:^|[.!?,]\s+)(?:(?:ok|okay|k|right|alright|so|then|now|and)\s+)?(?:back\s+)?"
    r"(?P<wego>up|down|in|out|north|south|east|west|northeast|northwest"
    r"|southeast|southwest)\s+(?:we|i)\s+go\b"  # "ok! up i go" (played: said, no one went)
    # "ugh. back we go. come on" (played: said): the way back.
    r"|(?:^|[.!?,]\s+)(?P<backgo>back)\s+(?:we|i)\s+go\b"
    # "ha. alright, south to the cairn road then. stay behind me" (played in Lanternfall:
    # said, and no one went): a way and where it goes, a sentence of its own.
    rf"|(?:^|[.!?]\s+)(?:(?:{WALK_LEADS})[,.]?\s+)?"
    r"(?:north|south|east|west|up|down|upstairs|downstairs|out|in)\s+(?P<wayto>to\s+the\s+[^.!?,;]+)",
    re.I,
)


#: Calls with an "up" in them that name no way: "keep up", "hurry up", "wait up".
_UP_CALLED = re.compile(r"\b(?:keep|catch|hurry|speed|hold|wait|cheer|buck)\s+up\b", re.I)

#: A place to go as a sentence of its own: "to the mill", "ok, to the chapel".
_TO_SENTENCE = re.compile(
    # After a comma too: "come on, to the cellar" (played: said, and no one went).
    r"(?:^|[.!?,]\s+)(?:(?:then|now|right|ok|okay|alright|yeah|yes|yep|aye|sure)[,.]?\s+)?"
    r"(to\s+the\s+[^.!?,;]+)",
    re.I,
)
#: "follow me to the old mill": a place to lead one's group to.
_FOLLOWED_TO = re.compile(r"\b(?:follow|come\s+with)\s+me\s+(to\s+the\s+[^.!?,;]+)", re.I)
#: A place named as a sentence of its own: "right, the reed path.", "the chapel then".
_PLACE_SENTENCE = re.compile(
    # A word of yes before it too: "yeah, the hearth. come on" (played: said).
    # Two: "ok so the old mill. lets go guys" (played: said).
    r"(?:^|[.!?]\s+)(?:(?:right|ok|okay|then|now|alright|so|yeah|yes|yep|aye|sure)[,.]?\s+){0,2}"
    # A place, not a sentence of its own with a verb: "the warm stone must be the hearth
    # downstairs. come on" (played: the walk went to the Heron Stones, by "stone").
    r"(the\s+(?:(?!(?:is|are|was|were|be|must|might|should|could|would|will|has|have|had"
    r"|looks?|seems?|sounds?)\b)[^.!?,;\s]+\s*)+?)"
    r"(?:\s+(?:then|it\s+is|now|next))?\s*(?=[.!?]|$)",
    re.I,
)
#: A place of one to three words, with no "the", as a sentence of its own, before a call
#: along: "hearth. lets go", "ok, old mill. come on", "ty bessa. ok eel landing. lets go",
#: "hall of lanterns. lets go" (``lore.room_named`` or a thing of a room decides).
_BARE_PLACE = re.compile(
    r"(?:^|(?<=[.!?]\s))\W*(?:(?:right|ok|okay|k|then|now|alright|so|yeah|yes|yep|aye|sure)"
    r"[,.]?\s+){0,2}([a-z'-]+(?:\s+[a-z'-]+){0,2}?)"
    # Or when, and a comma before the call: "reed path next, come on" (played: said);
    # or guessed: "warm stone? hearth? lets go sable" (played: said).
    r"(?:\s*[.!?]+|(?:\s+(?:next|then|now|first))?\s*,)(?=\s)",
    re.I,
)
#: What sets a "to the mill" off as a walk, not a toast ("to the saint!").
_SETTING_CUE = re.compile(r"\b(?:then|now|right|ok|okay|alright|next|first)\b", re.I)
#: Words one of ``_LETS_WALK``'s forms holds: the cheap test before it (the search
#: costs about 7 us, on every line said).
_WALK_WORDS = frozenset(
    {"let's", "lets", "let", "back", "on", "onward", "onwards", "go", "through", "thru"}
    | {"upstairs", "downstairs", *DIRECTIONS}
)


#: A rest called for in words, a sentence of its own, after a word of yes or alone: "aye,
#: short rest", "a short rest, then", "I need to catch my breath".
_REST_SAID = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:aye|yes|yeah|ok|okay|right|alright|sure|fine|good)[,.!]?\s+)?"
    r"(?:(?:i|we)\s+could\s+(?:use|do\s+with)\s+)?"
    r"(?:(?P<rest>(?:an?\s+)?(?P<long>short|long)\s+rest(?:\s+first|\s+then|\s+now|\s+here)?)"
    rf"|(?:i\s+need\s+to\s+|we\s+need\s+to\s+|let'?s\s+|let\s+me\s+)?{BREATH})"
    # Wished for: "a short rest would be nice" (tried: "You act: ...").
    r"(?:\s+(?:would|'d)\s+be\s+(?:nice|good|great|welcome|wise|a\s+good\s+idea))?"
    r"\s*(?=[.!]|$)",
    re.I,
)


def _rest_said(actor: Character, text: str) -> list[Effect]:
    """The rest ``text``, said by ``actor``, calls for ("aye, short rest. then the
    shrine", "I need to catch my breath"): a ``Then`` of 'rest' (the short rest is the
    group's), or of 'rest long'; [] for other words, and a rest asked about ("short
    rest?") is the others' to answer (``_rest_asked``). Played at the reed path, both
    hurt: said, and no one rested."""
    found = _REST_SAID.search(text)
    if found is None:
        return []
    long = (found.group("long") or "").lower() == "long"
    return [Then(actor.key, "rest long" if long else "rest")]


def _lets_walk(
    world: World, actor: Character, text: str, ctx: Ctx, *, leads: bool = False
) -> list[Effect]:
    """The walk that ``text``, said by ``actor``, calls for ("alright, let's head south",
    "let's go to the chapel"): a ``Then`` of 'go' the way or to the place it names, which
    their followers follow; [] when it names no way that would be walked, or ``actor``
    follows someone here, whose walk it is. Played: "alright, let's head south" was
    said, and the group stood in the crossroads."""
    if _ASKS_READY.search(text):
        # "right, back to the shrine. everyone ready?": asked, not walked yet (the
        # others answer first).
        return []
    first = _READY_FIRST.match(text)
    if first is not None and (
        re.search(r"\b(?:we|i)\s+go\b", text, re.I)
        or party.calls_along(sentences(text), party.names_here(world, actor, text))
    ):
        # "ready? down we go", "ready? back to the eel landing. stay close": gone now
        # (played: said, and no one went).
        first = None
    members = party.present(world, actor.key) if first is not None else []
    if first is not None and members:
        # "everyone ready? back to the shrine, and down the stair." (played: the leader
        # walked off before anyone answered): the walk is put to them, and a yes walks it.
        walked = [
            e.line
            for e in _lets_walk(world, actor, text[first.end() :], ctx, leads=leads)
            if isinstance(e, Then) and e.line.startswith("go ")
        ]
        way = f"{_WALK_PROPOSED}{walked[0].removeprefix('go ')}" if walked else ""
        return _proposed(actor, [], members, way, ctx) if way else []
    if (
        text.rstrip().endswith("?")
        and _WALK_ASKED.match(address.SENTENCE.split(text.strip())[-1])
        and party.present(world, actor.key)
    ):
        return []  # "to the chapel then?": asked of the group (``_walk_asked``)
    resumed = _walk_resumed(world, actor, text, ctx)
    if resumed:
        return resumed
    # "keep up, tova" (played: said, and the speaker walked up the stairs): "up" there is
    # no way.
    text = _UP_CALLED.sub("", text)
    words = set(re.findall(r"[a-z']+", text.lower()))
    found = _LETS_WALK.search(text) if not words.isdisjoint(_WALK_WORDS) else None
    if (
        found is not None
        and found.group("way")
        and address.player_beside(world, actor, found.group("way").strip())
    ):
        # "lets go sable": a call to her, no way (played: "sable" looked for as a place).
        found = None
    toward = _TO_SENTENCE.search(text) if found is None and "to" in words else None
    if toward is None and found is None and "me" in words:
        # "follow me to the old mill", said to one's group (played: said, and no one
        # went); to others, words: the speaker does not walk off from whom they ask.
        toward = _FOLLOWED_TO.search(text) if party.present(world, actor.key) else None
    named = None
    way_in_words = None
    called = (
        found is None
        and toward is None
        and party.calls_along(sentences(text), party.names_here(world, actor, text))
    )
    calling = called and ("the" in words or "home" in words or not words.isdisjoint(_WALK_WORDS))
    if calling and "the" in words:
        # "right, the reed path. follow me" (played: said, and no one walked): a place
        # as a sentence of its own, beside a call along.
        named = _PLACE_SENTENCE.search(text)
    if called and named is None:
        # "hearth. lets go" (played in Edda's room, the map just read: said).
        # Any sentence of the line: "ty bessa. ok eel landing. lets go" (played: said);
        # beside any call along: "alright, cairn road. stay close ode" (played, round
        # 63: said, and no one went).
        named = _bare_place(world, actor, text)
        if (
            named is not None
            and not calling
            and (_REFUSED.search(text) or not _bare_names_room(world, actor, named.group(1)))
        ):
            # Beside only "stay close", the place must be named whole, and not refused:
            # "shrine scares me. stay close", "old mill? no way. stay close" are words
            # (found in review: walked).
            named = None
        calling = calling or named is not None
    if calling and named is None and not words.isdisjoint(_WALK_WORDS):
        # "we did it! edda must be north. come on" (played: said): the one way the
        # words name, beside a call along.
        way_in_words = named_way(text)
    if calling and named is None and way_in_words is None and _THERE_POINTED.search(text):
        # "edda must be through there. come on" at the Lamplighter's hall (played:
        # said, and no one went): the one way on.
        way_in_words = _way_ahead(world, actor) or None
    first_way = (
        _WAY_BEFORE_LETS.search(text)
        if "let's" in words or "lets" in words
        else _WAY_THEN_HOW.search(text)
        if not words.isdisjoint(_HOW_GOING)
        else None
    )
    if (
        way_in_words is None
        and first_way is not None
        and toward is None
        and (found is None or found.group("visit"))
    ):
        # "right. upstairs, let's see her room" (played: said, and no one went up): a
        # way said, then what to do there ("let's see ..." names no place to go).
        found = None
        way_in_words = direction_of(first_way.group("way"))
    if found is None and toward is None and named is None and "then" in words:
        # "the mill, then. east along the market lane" (played: a deed, "You act:
        # ..."): a place decided on.
        named = PLACE_THEN.search(text)
    if found is None and toward is None and named is None:
        named = _place_decided(world, actor, text)  # "old mill then", "the chapel it is"
    nothing = found is None and toward is None and named is None and way_in_words is None
    # "let's check her room upstairs": a look proposed at a place elsewhere.
    looked = _LETS_LOOK.search(text) if nothing else None
    if nothing and looked is None:
        return []
    if _follows_here(world, actor) and not leads:
        return []
    if looked is not None:
        place = _room_looked(world, actor, looked.group("place"), ctx)
        if place is None:
            return _go_look_at(world, actor, looked, ctx)
        return _walk_named(world, actor, place, ctx)
    if named is not None:
        walk = _walk_named(world, actor, f"to {named.group(1).strip()}", ctx)
        if walk or not calling or words.isdisjoint(_WALK_WORDS):
            return walk
        # "the hearth downstairs. come on" (played: said, and no one went): a thing
        # named there is no place to walk to, and the way the words name is.
        way_in_words = named_way(text)
    if way_in_words is not None:
        return _walk_named(world, actor, way_in_words, ctx)
    if found is None:
        # "right. to the mill. stay close, dov" (played: said, and no one went): a
        # place as a sentence of its own, beside a word that sets off or a call.
        cued = (
            _SETTING_CUE.search(text)
            or call_words(text)
            # "to the old mill! follow me, dov": played, the walk went alone.
            or party.calls_along(sentences(text), party.names_here(world, actor, text))
        )
        if toward is None or not cued:
            return []
        return _walk_named(world, actor, toward.group(1), ctx)
    # The walk alone: "let's go up and look at her room" walks up (tried: then "You see
    # no 'her room' here.").
    said = next(
        found.group(g)
        for g in ("way", "back", "onto", "wego", "backgo", "thru", "visit", "bare", "wayto")
        if found.group(g)
    )
    if found.group("visit"):
        # "let's try the chapel": to the place, or nowhere; "let's check out her room":
        # the room of the one spoken of.
        said = _room_looked(world, actor, said, ctx) or f"to {said}"
    if (
        found.group("bare")
        and not found.group("when")
        and not party.calls_along(sentences(text), party.names_here(world, actor, text))
    ):
        return []  # "up." answering "where did she go?" is no walk; "up. follow me" is
    other = named_way(text)
    if (
        found.group("wego")
        and other
        and world.room(actor.room).exit(direction_of(said) or "") is None
    ):
        # "east one, I think. in we go" on the landing, which has no way in (played:
        # "You cannot go in from here."): the way the words name.
        said = other
    going = _walk_named(world, actor, said, ctx)
    decided = _place_decided(world, actor, text) if not going else None
    if decided is not None:
        # "ok lets go find pell. his cell first" (played, round 63: said, and no one
        # went): one sought whose way is not known, and where to start decided on.
        return _walk_named(world, actor, f"to {decided.group(1).strip()}", ctx)
    return going


#: Words that refuse or put off a place: "no way", "not", "never".
_REFUSED = re.compile(r"\b(?:no|not|don'?t|never|nope|nah|won'?t|can'?t|scared?|scares)\b", re.I)


def _bare_names_room(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name a room ``actor`` knows the way to, whole
    (``_names_room_whole``). Pure."""
    room = lore.room_named(world, actor, words)
    return room is not None and _names_room_whole(world, room, words)


def _bare_place(world: World, actor: Character, text: str) -> re.Match[str] | None:
    """The sentence of ``text`` that is a place alone, "the" left out ("eel landing",
    "ok eel landing"), when it names a room ``actor`` knows the way to, a thing of one,
    or home while bringing someone there; None otherwise. Pure."""
    return next(
        (
            bare
            for bare in _BARE_PLACE.finditer(text)
            if not is_reply(bare.group(1))
            and (
                lore.room_named(world, actor, bare.group(1))
                or lore.feature_room(world, actor, bare.group(1))
                # "right, home. stay close everyone", bringing Edda (played: said).
                or (_HOME.fullmatch(bare.group(1)) and escort.destination(world, actor))
            )
        ),
        None,
    )


#: A way, then where it goes: "south to the shrine", "east, along the market lane".
_WAY_THEN_WHERE = re.compile(
    r"^\W*(?P<way>[a-z]+)[,\s]+(?:to|toward|towards|into|along|across|through|past|over)"
    r"\s+\S[^?]*$",
    re.I,
)


def _way_then_where(world: World, actor: Character, text: str) -> Intent | None:
    """The walk ``text`` is, a way and then where it goes ("south to the shrine"), when
    the actor leads or walks alone (a follower's is words to the one leading); None
    otherwise."""
    found = _WAY_THEN_WHERE.match(text.strip())
    if found is None or direction_of(found.group("way")) is None:
        return None
    if _follows_here(world, actor):
        return None
    return Intent("go", text.strip().replace(",", "", 1), text)


#: A question mark with words after it: "that spear too? nah".
_ASKED_WITHIN = re.compile(r"\?+\s+\S")


#: "onward" as a command, no words to anyone: "onward", "onwards!".
_ONWARD_WORD = re.compile(r"\W*onwards?\W*", re.I)
#: Going on, opening a line: "onward", "onwards, follow the lanterns", "on we go",
#: "press on".
_ONWARD_OPENS = re.compile(
    # "alright lets keep moving" (played in the smugglers' tunnel: said, and no one went).
    r"^\W*(?:(?:ok|okay|alright|right|so)[,.!]?\s+)?(?:let'?s\s+)?"
    r"(?:onwards?|on\s+we\s+go|(?:press|push|move)\s+on|keep\s+(?:going|moving)|moving\s+on)"
    r"(?:\s*[,.!]+\s*|\s*$)",
    re.I,
)


def _onward(world: World, actor: Character, rest: str, raw: str, ctx: Ctx) -> list[Effect] | None:
    """What "onward" opening ``raw`` does: the one way on walked (``go onward``), or
    the rest when it is itself a walk ("onward, follow the little lanterns"), any other
    rest done after; None when the actor follows someone here (the walk is theirs: the
    words are said) or no way on is known. Played: "nice swing. onward, follow the
    little lanterns" was "You try to nice swing. ...", and no one went."""
    if _follows_here(world, actor):
        return None
    going = parse(rest, ALIASES) if rest else None
    if going is not None and going.verb in ("go", "follow"):
        walked = dispatch(world, actor, going, ctx)
        return None if phrasing.refused(walked, actor.key) else walked
    walked = cmd_go(world, actor, Intent("go", "onward", raw), ctx)
    if phrasing.refused(walked, actor.key):
        return None
    return [*walked, *([Then(actor.key, rest)] if rest else [])]


#: "let's" and a look at a place: "let's check her room upstairs", "let's search the
#: cellar", "let's have a look around upstairs" (``_room_looked`` says whether the words
#: name a place elsewhere).
_LETS_LOOK = re.compile(
    r"\blet'?s\s+(?:go\s+(?:and\s+)?)?(?:check|search|explore|investigate"
    r"|(?:(?:have|take)\s+a\s+)?look(?:\s+(?:in|into|around|round|at|through|over))?)"
    r"(?:\s+out)?\s+(?P<place>[^.!?,;]+)",
    re.I,
)
#: A thing named with "the": "the hearth downstairs?", "the loose stone".
_THE_NAMED = re.compile(r"\bthe\s+([a-z'-]+(?:\s+[a-z'-]+)?)", re.I)


def _go_look_at(world: World, actor: Character, looked: re.Match[str], ctx: Ctx) -> list[Effect]:
    """For ``_lets_walk``: the walk to the one room ``actor`` has stood in that holds the
    thing a look proposed names ("let's check the hearth" in Edda's room), and the look
    or search there (``cmd_go``'s "go search the hearth"): a ``Then``. "it" or "that" is
    the thing the last words said here by another named, else the last line overheard
    here, else the actor's own line before ("the hearth downstairs?", then "yeah. let's
    check it"). [] for none, or a thing here (looked at where it stands)."""
    place = looked.group("place").strip()
    if place.lower() in ("it", "that", "that out", "it out"):
        last = _last_speaker(world, actor, ctx)
        before = [last[1]] if last is not None else []
        before += [*ctx.overheard[-1:], *ctx.recent[-1:]]  # a question too, to the DM
        named = [m.group(1) for said in before for m in _THE_NAMED.finditer(said)]
        candidates = [c for n in named for c in (n, n.split()[0]) if c]
    else:
        candidates = [place]
    for words in candidates:
        there = _room_with(world, actor, words)
        if there is None:
            continue
        if there[0] == actor.room:
            return []
        verb = "look at" if "look" in looked.group(0).lower() else "search"
        return [Then(actor.key, f"go {verb} {there[1].lower()}")]
    return []


#: "her room", "his room": the room of one spoken of.
_HERS_ROOM = re.compile(r"\b(?:her|his)\s+(?:room|door|quarters|lodgings?)\b", re.I)


def _room_looked(world: World, actor: Character, words: str, ctx: Ctx) -> str | None:
    """Where ``words`` ("her room upstairs", "the cellar", "upstairs"), what ``actor``
    proposes to look at (``_LETS_LOOK``), send a walk: "to" a room they name that is not
    this one ("her room" the room of the one spoken of, ``_spoken_of``), or the one way
    they name; None when they name neither (a thing to look at here, "around").
    Played: "let's check her room upstairs" was said, and the group stood below."""
    place = _WHEN_DONE.sub("", words).strip()
    hers = _HERS_ROOM.search(place)
    candidates = [place]
    if hers is not None:
        candidates = [
            place.replace(hers.group(0), f"{name}'s room")
            for name in _spoken_of(world, actor, place, ctx)
        ]
    for candidate in candidates:
        room = lore.room_named(world, actor, candidate)
        if room is not None and room != actor.room:
            return f"to {candidate}"
    return named_way(place)


#: A saint or a power called on by name, before a comma: "saint ysolde, light my hand",
#: "gods, give me strength", "o lady of lamps, hear me".
_INVOKED = re.compile(
    r"^\W*(?:o\s+|oh\s+)?(?:saint|st\.?|lady|lord|mother|gods?|spirits?)"
    r"(?:\s+[\w'-]+){0,3}\s*[,!]",
    re.I,
)


#: A name alone called before a comma: "Ysolde, bless us!".
_NAME_CALLED = re.compile(r"^\W*([A-Z][\w'-]*)\s*[,!]")


#: What is one's own: "my mace", "this blade", "my sword arm".
_MINE_HELD = re.compile(r"^(?:my|this)\b(?:\s+[\w'-]+){1,2}$", re.I)
#: Another, or what is theirs: "him", "her", "his blade", "her wounds", "their arm".
_ANOTHERS = re.compile(r"^(?:him|her|them|his|their)\b(?:\s+[\w'-]+){0,2}$", re.I)


def _prayed_power(world: World, actor: Character, text: str) -> str | None:
    """The words of a power of ``actor``'s calling that a prayer in ``text`` asks for
    ("Saint Ysolde, mend me", "... Saint Ysolde, lend me your light": the prayer's
    words after its call, opening with one of the power's verbs); None when no sentence
    of ``text`` is such a prayer."""
    for sentence in address.SENTENCE.split(text.strip()):
        called = _INVOKED.match(sentence) or _NAME_CALLED.match(sentence)
        if called is None:
            continue
        asked = sentence[called.end() :].strip(" .!")
        power = powers.power_named(world, actor, asked) if asked else None
        if power is None:
            continue
        verb = asked.split()[0]
        if _ANOTHERS.match(power[1]):
            # "Ysolde, bless his blade!" beside Tobias (played: "You see no 'his blade'
            # here.", and the turn ran on): him, the one other player here.
            others = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
            if len(others) == 1:
                asked = f"{verb} {others[0].name}"
        elif _MINE_HELD.match(power[1]):
            # "Ysolde, bless my mace" (found in review: "You see no 'mace' here."): one's
            # own, held.
            asked = f"{verb} me"
        # "Ysolde, bless us!" calls on the saint; "Bessa, heal me" asks Bessa, here or
        # not. Looked at only for a power asked for: who is here is not walked for every
        # "Name, ..." said in a crowd.
        if called.re is _NAME_CALLED and (
            _names_someone_here(world, actor, called.group(1))
            or address.addressed_away(world, actor, sentence)
        ):
            continue
        return asked
    return None


#: Home, as a walk: "home", "back home", "to home".
_HOME = re.compile(r"(?:back\s+)?(?:to\s+)?home(?:,?\s+(?:then|now|again))?", re.I)
#: Home named in words: "right, home.", "let's get her home".
_HOME_SAID = re.compile(r"\bhome\b", re.I)
#: A way pointed at, not named: "through there", "in there", "this way".
_THERE_POINTED = re.compile(
    r"\b(?:(?:through|in|over|down|up|out|past|beyond)\s+there|this\s+way|that\s+way)\b", re.I
)


#: Words that say how or by where one goes, after a way said on its own: "south,
#: following the little lanterns", "east, along the lane".
_HOW_GOING = frozenset(
    {"following", "along", "through", "toward", "towards", "past", "after", "into", "by"}
)
#: Ways by their whole names ("in" is too often a word of place).
_WHOLE_WAY_WORDS = frozenset({*(d for d in DIRECTIONS if d != "in"), "upstairs", "downstairs"})
#: A way said on its own before "let's" and what to do there: "right. upstairs, let's
#: see her room", "down. let's look".
_WAY_BEFORE_LETS = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:right|ok|okay|alright|well|so|then|now)[\s,.]+)?"
    r"(?P<way>" + "|".join(sorted(_WHOLE_WAY_WORDS)) + r")\s*[,;.!]\s*let'?s\b",
    re.I,
)
#: A way said on its own, then how or by where: "well fought. south, following the
#: little lanterns" (played: said, and no one went).
_WAY_THEN_HOW = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:right|ok|okay|alright|well|so|then|now)[\s,.]+)?"
    r"(?P<way>"
    + "|".join(sorted(_WHOLE_WAY_WORDS))
    + r")\s*,\s*(?:"
    + "|".join(sorted(_HOW_GOING))
    + r")\b",
    re.I,
)
#: A cry in a fight: "die, vermin!", "take that!", "have at you!", "for the saint!".
_BATTLE_CRY = re.compile(
    r"\W*(?:die|take\s+that|have\s+at\s+(?:you|thee|it|them)|eat\s+(?:steel|this)"
    r"|for\s+(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?)(?:[,\s]+[\w'-]+){0,3}\s*!+",
    re.I,
)
#: A word of a line that may try a key (``doors.key_tried``): "key", "fits", "lock".
_KEYISH = re.compile(r"key|\bfits?\b|\block\b", re.I)
#: A line opening with "let's": words to the others, whatever else it does.
_LETS = re.compile(r"\W*let'?s\b", re.I)
#: "let's" and what the speaker, with the others, is to do: "let's unlock the trapdoor".
_LETS_DO = re.compile(
    # A word of when before it: "first let's search the hearth" (found in review: said).
    r"(?:^|[.!?,]\s+)(?:(?:first|then|now|next|so)\s+)?let'?s\s+(?P<deed>[^.!?;,]+)",
    re.I,
)


def _lets_do(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """The deed ``text``, said by ``actor``, proposes ("let's unlock the trapdoor",
    "ok. let's search the barrels"): a ``Then`` of it, done by the speaker, when it is a
    thing done (``_doable``: a command or a deed the rules roll, not refused); [] for
    words that propose nothing done ("let's see what she knows"), or when ``actor``
    follows someone here, whose call it is. Played: "let's unlock the trapdoor" was
    said, and the trapdoor stayed locked. Walks are ``_lets_walk``'s."""
    if "let" not in text.lower():
        return []
    found = _LETS_DO.search(text)
    if found is None:
        return []
    deed = found.group("deed").strip()
    if _follows_here(world, actor) or _RESTING.fullmatch(deed):
        return []  # a rest proposed is the group's, by its own rule
    _verb, _, thing = deed.partition(" ")
    if not parse(deed, ALIASES).verb and not _names_a_thing(
        world, actor, _WHEN_DONE.sub("", thing)
    ):
        # A deed the rules roll is done only at a thing here: "let's check her room
        # first" in the common room (played: a search that turned up the hearth's packet).
        return []
    return [Then(actor.key, deed)] if _doable(world, actor, deed, ctx) else []


#: A sentence deciding where to go, "the" or none: "old mill then", "chapel it is", "his
#: cell first".
_PLACE_DECIDED = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:right|ok|okay|now|alright|so)[,.]?\s+)?"
    r"((?:the\s+)?[a-z][a-z' -]{2,40}?),?\s+(?P<when>then|it\s+is|first)\s*(?=[.!]|$)",
    re.I,
)
#: Words a place named "first" may carry besides its name's: "the chapel", "his cell".
_PLACE_FILLER = frozenset({"the", "his", "her", "their", "its", "our", "my", "your"})


def _place_decided(world: World, actor: Character, text: str) -> re.Match[str] | None:
    """The sentence of ``text`` that decides on a place by its name, "the" left out or
    not ("old mill then. east along the market lane": played, "You try to old mill
    then."), when the words name a room ``actor`` knows the way to; None otherwise."""
    for found in _PLACE_DECIDED.finditer(text):
        words = found.group(1).strip()
        room = (
            lore.room_named(world, actor, words) if direction_of(words.split()[0]) is None else None
        )
        if room is None:
            continue
        if found.group("when").lower() == "first" and not _names_room_whole(world, room, words):
            continue  # "we should search the cellar first" is words (found in review: walked)
        return found
    return None


def _names_room_whole(world: World, room: str, words: str) -> bool:
    """Whether every word of ``words`` (but "the", "his" and the like) is a word of the
    name or an alias of ``room``: "his cell" of Pell's Cell, not "search the cellar" of
    the cellar, nor "shrine scares me" of the shrine. Pure."""
    tmpl = world.templates.rooms[room]
    named = {w for n in (tmpl.name, *tmpl.aliases) for w in re.findall(r"[a-z]+", n.lower())}
    said = set(re.findall(r"[a-z]+", words.lower())) - _PLACE_FILLER - {"s"}
    return bool(said) and said <= named


def _walk_named(world: World, actor: Character, said: str, ctx: Ctx) -> list[Effect]:
    """The walk ``said`` names ("south", "to the chapel", "back to the tavern"), for
    ``_lets_walk``: a ``Then`` of 'go' it, when it would be walked; why not, to the
    speaker, for a direction that cannot be; [] for words that name no walk."""
    way = _AND.split(said.strip(), maxsplit=1)[0].strip()
    way = re.sub(r"\s+(?:then|now|together|quickly|first)$", "", way, flags=re.I)
    if _HERS_ROOM.search(way):
        # "let's go to her room": the room of the one spoken of.
        way = _room_looked(world, actor, re.sub(r"^to\s+", "", way, flags=re.I), ctx) or way
    for walk in (f"go {way}", f"go {named_way(way) or ''}".strip()):
        if walk != "go" and _doable(world, actor, walk, ctx, decided=False):
            return [Then(actor.key, walk)]
    direction = direction_of(way.split()[0]) if way.split() else None
    if direction is not None:
        # A way named that cannot be walked from here says why, to the speaker alone
        # (played: "let's go down" in Edda's room was said, and nothing more).
        tried = cmd_go(world, actor, Intent("go", direction, f"go {direction}"), ctx)
        return [e for e in tried if isinstance(e, Tell)]
    return []


#: A line that asks for one's own go at what another just tried: "let me try", "my
#: turn", "I'll try", "let me have a go", "let me have a look at those" (played: said,
#: after another's reading of the papers failed).
_TURN = re.compile(
    r"\W*(?:(?:ok|okay|here|move|no|nah|hmm|well|fine|alright|sure|right|ooh|oh|ah|hey"
    r"|wait)[,.!]?\s+)?"  # "ooh let me try! *kneels by the fire*" (played: posed only)
    r"(?:let\s+me\s+(?:try|see|(?:have|take)\s+a\s+(?:go|try|look|crack|shot))"
    r"(?:\s+at\s+(?:it|that|this|those|these|them))?"
    r"|my\s+turn|i'?ll\s+try|i'?ll\s+have\s+a\s+go"
    # "one more go. *searches the altar again, slower*" (played: "You try to one more go.").
    r"|(?:one\s+more|another)\s+(?:go|try|shot|look)|third\s+time(?:'s\s+the\s+charm|\s+lucky)?"
    r"|let\s+me\s+give\s+it\s+a\s+(?:go|try)"
    # "try again", out of a fight (``_again`` has it in one).
    r"|try\s+(?:(?:it|that|this)\s+)?(?:again|once\s+more))(?:\s+(?:then|too|again|now))?"
    r"\s*[.!]*\s*",
    re.I,
)
#: The commands of a fighter's turn, besides those of ``_DOABLE``.
_FIGHT_VERBS = frozenset({"attack", "defend", "flee"})
#: Haste before a command: "quick, drink a potion", "hurry! north", "now, attack".
_HASTE = re.compile(r"\W*(?:quick(?:ly)?|hurry|fast|now|quick\s+now)\s*[,!]+\s*(?=\S)", re.I)
#: "again" closing a turn asked for: one's own deed tried once more ("let me try again").
_ONCE_MORE = re.compile(r"\bagain\b|\b(?:one\s+more|once\s+more|another|third\s+time)\b", re.I)


def _turn_asked(line: str) -> re.Match[str] | None:
    """The ask for a go (``_TURN``) that is ``line``, or its last sentence after words
    ("it rocked. there's something under it. let me try again"); None otherwise."""
    turn = _TURN.fullmatch(line)
    if turn is not None:
        return turn
    turn = _TURN.match(line)
    why = line[turn.end() :].strip() if turn is not None else ""
    if turn is not None and why.startswith(",") and is_spoken(why.lstrip(", ")):
        # "let me try, she's my saint after all" (played: said, and nothing tried).
        return turn
    if turn is not None and turn.group(0).rstrip().endswith(("!", ".")) and _said_why(why):
        # "let me try! she's my saint after all" (played: said, and nothing tried).
        return turn
    parts = address.SENTENCE.split(line.strip())
    return _TURN.fullmatch(parts[-1]) if len(parts) > 1 else None


def _turn_deed(world: World, actor: Character, turn: re.Match[str]) -> str:
    """The deed the rules last rolled here that ``turn``, an ask for a go
    (``_turn_asked``), tries: another's, or one's own when asked again ("let me try
    again"); "" when there is none."""
    tried_by, _, tried_line = world.tried.get(actor.room, "").partition("|")
    if not tried_line:
        return ""
    again = _ONCE_MORE.search(turn.group(0)) is not None
    if tried_by == actor.key and not again:
        return ""
    head, comma, how = tried_line.rpartition(", ")
    manner = _participle(world, how.split()[0].lower()) is not None if how.split() else False
    if comma and head.strip() and (manner or _as_one_is(how)):
        # How the other went about it is theirs: Marigold's "leafs through the papers,
        # frowning", tried again by Tobias (played: "You leaf through the papers,
        # frowning.").
        return head.strip()
    return tried_line


def _rolls(world: World, actor: Character, line: str, ctx: Ctx, depth: int = 3) -> bool:
    """Whether ``line``, or a part of it done after (``Then``, ``depth`` deep), tried
    with dice of its own (the world's untouched), is a deed the rules roll for (a check,
    a blow), not one the DM only narrates."""
    trial = _dispatch(world, actor, parse(line, ALIASES), evolve(ctx, rng=ctx.rng.fork()))
    if any(
        isinstance(e, AskNarration) and e.kind == "action" and e.outcome.kind != "none"
        for e in trial
    ):
        return True
    later = [e.line for e in trial if isinstance(e, Then) and e.who == actor.key]
    return depth > 0 and any(_rolls(world, actor, more, ctx, depth - 1) for more in later)


def _said_why(words: str) -> bool:
    """Whether ``words``, one sentence after an ask for a go, say why one should have
    it ("she's my saint after all", "I'm good at this"): words said, no deed. Pure."""
    return len(address.SENTENCE.split(words.strip())) == 1 and is_spoken(words.strip())


#: "too", "as well", "also" closing a clause: said of another's deed, not the thing.
_TOO = re.compile(r"\s+(?:too|as\s+well|also)(?=\s*(?:[.!,;]|\s+(?:then|and)\b|$))", re.I)
#: "I'll", "ok, I will", "I'll just" opening what one does next.
_I_WILL = re.compile(
    r"\s*(?:(?:ok|okay|right|alright|fine|sure)[,.!]?\s+)?i(?:'ll|\s+will)\s+(?:just\s+)?",
    re.I,
)
#: When or how a thing said to be done is done, closing the line: "I'll go up first".
_WHEN_DONE = re.compile(r"\s+(?:first|then|now|too|quickly|again)\W*$", re.I)
#: A later sentence of what one will do: "born here. I'll get us some stew".
_LATER_WILL = re.compile(r"[.!?]\s+(?:i'?ll|i\s+will|i'?m\s+going\s+to)\b", re.I)
#: Going, no way named, after "I'll": "I'll go first", "I'll lead", "I'll go ahead".
_GO_ON = re.compile(r"(?:go|lead|go\s+ahead|take\s+the\s+lead|lead\s+the\s+way)\W*", re.I)


def _will_do(said: str) -> str:
    """The command in what one says one will do (``said``, after "I'll" or "let me"):
    without its "first" or "then" ("go up first": "go up"), and a going with no way
    named ("go first", "lead") the way on (``_way_ahead``, "go onward"), or, done
    quietly ("go first, quietly"), sneaking on ("sneak ahead"). Pure."""
    deed = said.strip()
    first, *rest = address.SENTENCE.split(deed, maxsplit=1)
    if rest:
        # "patch myself up first. i'm at 10" (played: "You act: ..."): the first
        # sentence is the deed, the rest said after it (``_two_deeds``).
        return f"{_will_do(first).rstrip('.!')}. {rest[0]}"
    quiet = _QUIETLY.search(deed)
    if quiet is not None:
        deed = deed[: quiet.start()]
    if quiet is None and re.fullmatch(r"go\s+(?!first\b)\S.*\s+first[.!]*", deed, re.I):
        # "I'll go down first": a way, and the lead taken on it, as "go down first" is
        # (found in review: he went down alone).
        return deed
    deed = _WHEN_DONE.sub("", deed).strip(" ,")
    if _GO_ON.fullmatch(deed):
        return "sneak ahead" if quiet is not None else "go first"
    head, comma, why = deed.partition(",")
    if comma and quiet is None and _GO_ON.fullmatch(_WHEN_DONE.sub("", head).strip()):
        # "go first, I've got the armour" (played: all of it said, and no one went):
        # the way on, and the words after it said.
        return f"go first, {why.strip()}"
    reason = _REASON_AFTER.search(deed) if quiet is None else None
    if reason is not None:
        # "check the hearth, i'm good at finding things" (played: all of it said, and
        # nothing searched): the deed, then the reason said after it; "go up first, I
        # look less like trouble" (played: all of it said) without its "first".
        done = _WHEN_DONE.sub("", deed[: reason.start()]).strip(" ,")
        return f"{'go first' if _GO_ON.fullmatch(done) else done}. {deed[reason.end() :]}"
    return deed if quiet is None else said.strip()


#: A reason given after the deed one will do: ", i'm good at finding things", ", since
#: I'm quieter", ", I've got sharp eyes", ", I look less like trouble".
_REASON_AFTER = re.compile(r",\s+(?=(?:i|im|ive|since|because|'?cause)\b)", re.I)


#: A going done without a sound: "go first, quietly" (played: "let me go first,
#: quietly" in the mill was a deed, "You act: ...").
_QUIETLY = re.compile(r"[,\s]+(?:quietly|softly|silently|on\s+tiptoe)\W*$", re.I)


#: Going on, no place named, closing a line: "let's go", "let's keep going", "onward".
_GOING_ON = re.compile(
    r"(?:^|[.!?,]\s*)(?:(?:ok(?:ay)?|right|alright|come\s+on)[,.!]?\s+)?"
    r"(?:let'?s\s+(?:go|move|keep\s+going|move\s+on|get\s+going|press\s+on|carry\s+on)"
    r"|onward|onwards|on\s+we\s+go|keep\s+going|carry\s+on|moving\s+on)\s*[.!]*\s*$",
    re.I,
)
#: How long a walk a fight stopped waits for "let's go" (seconds).
WALK_RESUMED_WITHIN = 600.0


def _walk_resumed(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """The walk a fight stopped (``World.walks``), taken up again when ``text`` closes
    with going on and no place ("all good pim? let's go"), said where it stopped and
    not long after: a ``Then`` of 'go to' the place; [] otherwise. Played: the walk to
    the shrine stopped on the reed path, and the leader's "let's go" after the fight
    was only said."""
    room, _, rest = world.walks.get(actor.key, "").partition("|")
    when, _, target = rest.partition("|")
    if not target or room != actor.room or _GOING_ON.search(text) is None:
        return []
    if ctx.wall - float(when or 0) > WALK_RESUMED_WITHIN or world.fights.get(actor.room):
        return []
    return [PartyUpdate("walks", actor.key, None), Then(actor.key, f"go to {target}")]


#: A line that opens asking whether the others are ready: "everyone ready? back to the
#: shrine".
_READY_FIRST = re.compile(
    r"^\W*(?:(?:ok|okay|right|alright|so)[,.!]?\s+)?(?:(?:everyone|everybody|all|you|y'all|we)\s+)?"
    r"(?:ready|all\s+set|good\s+to\s+go)\s*\?+\s*(?=\S)",
    re.I,
)
#: A line closing on whether the others are ready: "everyone ready?", "all set?".
_ASKS_READY = re.compile(
    r"(?:^|[.!?,]\s*)(?:(?:everyone|everybody|all|you|y'all|we)\s+)?"
    r"(?:ready|all\s+set|set|good\s+to\s+go)\s*\?+\s*$",
    re.I,
)
#: "catch up", "catch up with wren": the command ``catchup`` in two words.
_CATCH_UP = re.compile(r"catch\s+up(?:\s+((?:with|to)\s+\S.*?))?\s*[.!]*", re.I)
#: "let me", "let me try.", "let me have a look:" opening what one does next.
_LET_ME = re.compile(
    # "here, let me tend that bite" (played: said, and nothing healed).
    r"\s*(?:(?:here|ok|okay|right|alright|now)[,.!]?\s+)?"
    # "let me look closer. I examine the carving" (played: all of it said).
    r"let\s+me(?:\s+(?:try|see|check|look(?:\s+closer)?|take\s+a\s+(?:closer\s+)?look"
    r"|have\s+a\s+(?:closer\s+)?(?:look|go|try))\s*[.!,;:]\s*|\s+)",
    re.I,
)


def _muted_out(
    world: World, actor: Character, intent: Intent, effects: list[Effect], ctx: Ctx
) -> bool:
    """Whether ``actor`` is muted (``presence.muted``) and ``effects`` would carry their
    words to others (``_heard``, or a description set): then none of it is done. A deed
    the rules rolled ("search the hearth") is done still: a mute keeps words, not play.
    Played by a griefer: an admin's "mute vex" was a deed, narrated "Oberon tries to
    mute you.", and nothing kept his forged lines from the room."""
    if "muted" not in actor.extra or not presence.muted(actor, ctx.wall):
        return False
    if intent.verb in ("describe", "afk") and intent.args.strip():
        # Words others read later: played by a griefer, a muted "afk <forgery>" was read
        # back to all who looked at him or told him something.
        return True
    rolled = any(isinstance(e, Rolled) for e in effects)
    if _heard(world, intent, effects):
        return not (rolled and not any(isinstance(e, LogChat) for e in effects))
    # Contact aimed at another player, out of a fight (an invitation, a gift, a thing
    # shown, following them): played by a griefer, a muted player's "invite mara" and
    # "give mara 1 coin" reached her screen still. A walk that leads others, a deed
    # the rules rolled and a fight's lines are play, not contact.
    moved = any(isinstance(e, Move) and e.who == actor.key for e in effects)
    return (
        not rolled
        and not moved
        and actor.room not in world.fights
        and any(
            isinstance(e, Tell) and e.who != actor.key and e.who in world.chars for e in effects
        )
    )


def _heard(world: World, intent: Intent, effects: list[Effect]) -> bool:
    """Whether ``effects`` are of words or gestures meant to be heard: talk (anything
    logged as chat: a say, an emote, a tell, a shout, group talk, ooc; words to someone
    of the world, and their answer), a social, a deed in the player's own words ("do
    spit on vicky ...", "*licks vicky*": played by a griefer, read word for word by the
    one ignoring him) or a roll's reason ("roll 1d20 vicky sucks"); not a report to the
    operators."""
    if intent.verb == "roll" or any(
        (isinstance(e, LogChat) and e.kind not in presence.REPORT_KINDS)
        or (isinstance(e, AskNarration) and e.kind in ("talk", "action"))
        for e in effects
    ):
        return True
    return _gesturing(world, intent)


#: A line's first sentence or clause, and what follows it: "yes. open it".
_REPLY_FIRST = re.compile(r"^([^.!,;?]*[.!,;][.!]*)\s*(\S.*)$")  # "we did it!! where's ..."


def _reply_then_deed(world: World, actor: Character, text: str, ctx: Ctx) -> tuple[str, str] | None:
    """(the reply, the command) when ``text`` opens with a reply ("yes", "ok", "sure
    thing": ``is_reply``) and goes on with a command of ``_DOABLE`` or a deed the rules
    roll ("yes. search the hearth") that is not a call to the others and that would be
    done, not refused nor a deed nothing decides ("yes. open it", "ok, get the key");
    None otherwise: words to the others ("ok,
    follow me", "sure, go ahead", "sure, stand back") are said whole. The command is
    tried (handlers only return effects; these are dropped) to know."""
    found = _REPLY_FIRST.match(text.strip())
    if found is not None and (is_reply(found.group(1)) or is_praise(found.group(1))):
        reply, deed = found.group(1).strip().rstrip(",;"), found.group(2).strip()
    elif (bare := bare_reply(text)) is not None:
        reply, deed = bare  # "ok open the door" (tried: "You try to ok open the door.")
    else:
        return None
    first, *more = _AND_THEN.split(deed, maxsplit=1)
    if more and is_spoken(more[-1]) and not is_spoken(first) and _doable(world, actor, first, ctx):
        # "nicely done. open it up and let's see": the thing done, then the words (the
        # line run next parts them; played: a deed, "You try to nicely done. ...").
        return reply, deed
    if deed.split(maxsplit=1)[0].lower() in ("invite", "group", "party") and len(deed.split()) > 1:
        # "sure. invite pim" by a member (played: all of it said): the group's command,
        # and its refusal told ("Only the leader, Wren, can invite.").
        return reply, deed
    if _way_then_where(world, actor, deed) is not None:
        return reply, deed  # "nah. south to the shrine"
    if _talks_here(world, actor, deed) and _THANKED.match(reply):
        # "thanks! talk to bessa"; not "no idea. talk to bessa", advice to another
        # (found in review).
        return reply, deed
    onward = _ONWARD_OPENS.match(deed)
    if onward is not None:
        # "nice swing. onward, follow the little lanterns" (played: "You try to nice
        # swing. ..."): the way on walked, when there is one and the walk is the actor's.
        trial = evolve(ctx, rng=ctx.rng.fork())
        walked = _onward(world, actor, deed[onward.end() :].strip(), deed, trial)
        return (reply, deed) if walked is not None else None
    if not _doable(world, actor, deed, ctx) and not _walks_then(world, actor, deed, ctx):
        return None  # refused, or a deed nothing decides ("stand back"): words
    return reply, deed


#: Thanks, opening words: "thanks!", "ok thank you rook.", "ty", "cheers".
_THANKED = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|oh|ah)[,!.]*\s+)?(?:thanks|thank\s+you|thx|ty|cheers)\b", re.I
)


def _talks_here(world: World, actor: Character, text: str) -> bool:
    """Whether ``text`` is 'talk' to someone of the world here, and no more: "talk to
    bessa", "talk bessa" (played 2026-12-07 after a thanks: said to the room, and Bessa
    never spoke). Not "talk to crake" where Crake is not, nor "talk to her"."""
    intent = parse(text.strip(), ALIASES)
    if intent.verb != "talk":
        return False
    who = re.sub(r"^(?:to|with)\s+", "", intent.args.strip(" .!"), flags=re.I)
    found = search.find(search.npcs(world, actor.room), who) if who else None
    return found is not None and found.thing is not None


def _walks_then(world: World, actor: Character, text: str, ctx: Ctx) -> bool:
    """Whether ``text`` is a walk in one's own words and then a thing done there ("back
    down to the common room, then search the hearth": ``_walk_then``), tried with a fork
    of the dice. Played: "ok. back down to the common room, then search the hearth" was
    said, the group walked, and no one searched."""
    if not re.search(r"(?:,\s*|\s+)then\s+\S|[.!;]\s+\S", text, re.IGNORECASE):
        return False
    tried = dispatch(world, actor, parse(text, ALIASES), evolve(ctx, rng=ctx.rng.fork()))
    moved = any(isinstance(e, Move) and e.who == actor.key for e in tried)
    return moved and any(isinstance(e, Then) and e.who == actor.key for e in tried)


#: A deed between stars, as a pose is typed: "*tries turning it*".
_STARS = re.compile(r"\*([^*]+)\*[.!]?")


def _words_then_deed(world: World, actor: Character, text: str, ctx: Ctx) -> tuple[str, str] | None:
    """(the words, the command) when ``text``'s last sentence is a thing done
    (``_doable``: "check the altar") and the sentences before it are not ("the altar.
    edda's map had a stair going down."), which are said first; None otherwise: one
    sentence, words alone, or sentences that are each a deed ("I wade in. I search the
    altar" stays one deed for the DM)."""
    parts = address.SENTENCE.split(text.strip())
    if len(parts) < 2 and (clause := _LET_ME_CLAUSE.search(text)) is not None:
        # "i've got the key, let me try it" (played: all of it said).
        parts = [text[: clause.start()].strip(), text[clause.end() :].strip()]
    elif (clause := _LET_ME_CLAUSE.search(parts[0])) is not None and all(
        is_spoken(part) for part in parts[1:]
    ):
        # "wait, let me patch myself up first. i'm at 10" (played: "You act: ..."): the
        # words, then one's own deed with the words after it (``dispatch`` parts them).
        words, mine = parts[0][: clause.start()].strip(), text.strip()[clause.end() :].strip()
        will = _LET_ME.match(mine) or _I_WILL.match(mine)
        own = _will_do(mine[will.end() :]).partition(". ")[0] if will is not None else ""
        if own and _doable(world, actor, own, ctx, decided=False):
            return words, mine
    if len(parts) < 2:
        return None
    words, deed = " ".join(parts[:-1]), parts[-1]
    letting = _LET_ME.match(deed)
    if letting is not None and not call_words(deed):
        # "you look awful. let me heal you"; "someone's been up there. let me go first,
        # quietly" (played: "You act: ...").
        deed = _will_do(deed[letting.end() :])
    will = _I_WILL.match(deed)
    if will is not None:
        # "someone's been up that ladder. I'll go first" (played: "You act: ...").
        deed = _will_do(deed[will.end() :])
    starred = _STARS.fullmatch(deed.strip())
    if starred is not None:
        # "the carved lantern! *tries turning it*" (played: "You act: the carved
        # lantern!", and the lantern not turned): the deed between the stars, as one's own.
        deed = _first_person(world, actor, starred.group(1), ctx) or starred.group(1)
    named = parts[-2].rstrip(".!?;: ")
    if _IT.search(deed) and _names_a_thing(world, actor, _WHERE_AFTER.split(named)[0]):
        # "the key on its chain. take it": the thing named (played: a deed, "You act:
        # the key on its chain. take it").
        deed = _refer(world, actor, deed, named)
    if _INTRODUCING.fullmatch(words.strip(" .!,")) and (
        words.strip(" .!,").lower().endswith(actor.name.lower()) and deed.lower().startswith("i ")
    ):
        # "Maren. I keep the lamps at the chapel" to "name's Dov. you?": who one is
        # (played: "You say to Dov, 'Maren.'", then the lamps were tended).
        return None
    back = _BACK_TO.match(deed.strip()) if not is_spoken(text) else None
    if back is not None:
        # "round 2. back to the hall of lanterns" (played after a lost fight: "You try to
        # round 2. ..."): the walk there, as "back to ..." alone is.
        deed = f"go to {back.group(1)}"
    if _doable(world, actor, words, ctx, decided=False) or not (
        _doable(world, actor, deed, ctx)
        # "ok thank you rook. talk bessa" (played 2026-12-07); not "I dunno. talk to
        # bessa", advice to another (found in review).
        or (_talks_here(world, actor, deed) and _THANKED.match(words))
    ):
        return None
    return words, deed


#: A player's name and a comma after chat's "k": "k pell, follow me".
_OK_NAME = re.compile(r"([A-Za-z]+)\s*,\s*\S")
#: Words after a name that speak of them, not to them: "Edda. She's the cartographer."
_OF_THEM = re.compile(r"^\W*(?:she|he|they|her|his|their|its?)\b", re.I)


def _name_called_alone(world: World, actor: Character, text: str) -> str | None:
    """The line ``text`` is when its first sentence is only the name of someone here:
    said to them, a comma after the name, when what follows speaks to them ("Bessa.
    Beds, please." -> "Bessa, Beds, please."), said to the room when it speaks of them
    ("Bessa. She's nice.": tried, a deed); None otherwise."""
    head, mark, rest = text.strip().partition(". ")
    # After a lead-in too: "so bessa. about that reward" (played: said to the room).
    lead = address.bare_lead(head.strip().lower() + " ")
    head = head.strip()[lead.end() :] if lead is not None and lead.end() < len(head) else head
    if not mark or not rest.strip() or " " in head.strip():
        return None
    here = [*search.npcs(world, actor.room), *search.people(world, actor.room, besides=actor.key)]
    if not any(search.score(thing, head.strip().lower()) == 2 for thing in here):
        return None
    if _OF_THEM.match(rest):
        return f"say {text.strip()}"
    return f"{head.strip()}, {rest.strip()}"


def _answer_waits(world: World, actor: Character) -> bool:
    """Whether ``actor``, in no fight here, has an answer waiting on them: an invitation,
    one asking to join them, a thing offered, or a question put to them aloud. Then a
    bare "k" is chat's "ok" (played: "k" to an invitation read "Attack whom?")."""
    if _fights_here(world, actor):
        return False
    return any(
        actor.key in waiting
        for waiting in (world.invites, world.join_asks, world.offers, world.questions)
    )


def _ok_chatted(world: World, actor: Character, intent: Intent) -> bool:
    """Whether ``intent``, an attack typed as "k <words>", is chat's "ok" before words:
    the words of its first sentence, more than one or closed by a mark, name nothing
    here ("k got key. back to the tavern cellar"; "k rat" still strikes)."""
    if intent.raw.split(maxsplit=1)[0].lower() != "k":
        return False
    first = address.SENTENCE.split(intent.args.strip())[0]
    words = first.strip(" .!?,")
    if not words or (len(words.split()) < 2 and words == first.strip()):
        return False
    return not _names_a_thing(world, actor, words)


#: A walk back to a place named: "back to the hall of lanterns".
_BACK_TO = re.compile(r"^(?:back|down|up|over|off)\s+to\s+(\S.*?)[.!]*$", re.I)
#: A clause of what one will do after words and a comma: "..., let me try it"; or after
#: "so": "im a rogue so let me search the altar" (played: all of it said).
_LET_ME_CLAUSE = re.compile(
    r"(?:,\s*so\s+|,\s+|\s+so\s+)(?=(?:let\s+me|i'?ll|ill|i\s+will)\s)", re.I
)
#: One's name said, alone or introduced: "Maren", "name's Maren", "I'm Maren".
_INTRODUCING = re.compile(
    r"(?:(?:i'?m|i\s+am|(?:my\s+)?name'?s|my\s+name\s+is|call\s+me|it'?s)\s+)?[\w'-]+", re.I
)


#: "try it", "use this": the key carried, when one fits a lock here (``doors.key_tried``).
_TRY_IT = re.compile(r"\s*(?:try|use)\s+(?:it|this|that)\s*[.!]*\s*", re.I)


def _doable(world: World, actor: Character, deed: str, ctx: Ctx, *, decided: bool = True) -> bool:
    """Whether ``deed``, a line's part after a reply ("yes. open it") or "let me",
    is a thing done: a command of ``_DOABLE``, a power of the actor's calling or a deed
    the rules roll, not a call to the others ("follow me"), that would be done, not
    refused, nor (``decided``) a deed nothing decides ("sure, stand back" is words;
    "let me stand back" is not). The command is tried to know: handlers only return
    effects, and these are dropped, the dice drawn from a fork of the world's
    (``Rng.fork``), so the world's are untouched and the deed done next rolls what the
    trial rolled."""
    if not deed.strip():
        return False
    # Every trial below draws from a fork: the world's dice stay the deed's own (the
    # blow of "*darts in and stabs at its side*" rolled the dice after its trial's).
    ctx = evolve(ctx, rng=ctx.rng.fork())
    command = parse(deed, ALIASES)
    words = deed.split()
    # "I pry at the altar", "I wait here": a deed of one's own, done (tried: "sure, I
    # pry at the altar" read "You act: sure, I pry at the altar"); "I think so" is said.
    mine = words[0].lower() == "i" and len(words) > 1 and not is_spoken(deed)
    rolled = not command.verb and (mine or game.is_action_word(world, actor, words[0]))
    # A power of one's calling: "sure. heal pell" (played: said to Pell, who had asked).
    # A power of one's calling, or a rest named: "aye. a short rest".
    # What a builder wrote for a thing here is decided, as a command is: "I'll relight
    # that lamp in the front row" (played: said, and no light struck).
    written = not command.verb and game.feature_action(world, actor, deed) is not None
    own = (
        not command.verb
        and (
            powers.power_named(world, actor, deed) is not None
            or _RESTING.fullmatch(deed.strip()) is not None
            # One's own wounds tended, a short rest: "patch myself up".
            or _TENDING.match(deed) is not None
            or written
            # "let me try the key" (a key tried in words: ``doors.key_tried``).
            or (
                (
                    _KEYISH.search(deed) is not None
                    or (
                        _TRY_IT.fullmatch(deed) is not None
                        and doors.carries_fitting_key(world, actor)
                    )
                )
                and doors.key_tried(world, actor, deed, ctx) is not None
            )
            # "order a stew", after a posture: "leans on the bar and orders a stew"
            # (tried: one deed, and no stew).
            or (
                words[0].lower() == "order"
                and game.order(world, actor, " ".join(words[1:]), ctx) is not None
            )
            # "slip through the door", after a posture: "grips her dagger and slips
            # through the door" (played: one deed, and no one went through).
            or (
                words[0].lower() in _THROUGH_WORDS
                and _THROUGH.match(" ".join(words[1:])) is not None
            )
            # "stab at the rat", after a move: "darts in low and stabs at the rat" (played
            # in the rat's fight: a pose, and no blow struck).
            or (
                words[0].lower() in _STRIKES
                # Alone, in one's fight: "slips behind it and stabs" (played: a pose,
                # and the turn ran out).
                and (len(words) > 1 or _fights_here(world, actor))
                and _strike(world, actor, " ".join(words[1:]), deed, ctx) is not None
            )
        )
    )
    if (command.verb not in _DOABLE and not rolled and not own) or _called(deed):
        return False
    if not command.verb and call_words(deed) == len(words):
        return False  # a call, all of it: "hold still." before "let me heal you"
    if command.verb == "go" and _LEAVE_GIVEN.fullmatch(command.args.strip().lower()):
        return False  # "no idea how long that takes. go ahead": words, all of it
    tried = _dispatch(world, actor, command, ctx)
    # "yes, get the map and read it": two things done, the first tried for the line.
    tried = _two_deeds(world, actor, command, tried, ctx) or tried
    if (actor.key in world.handed or command.verb == "get") and phrasing.refused(tried, actor.key):
        # "thanks. drink it" just after being handed a potion (played: said whole).
        tried = _referring(world, actor, command, ctx) or tried
    return not phrasing.refused(tried, actor.key) and not (
        decided
        and not mine
        and not written
        and any(
            isinstance(e, AskNarration) and e.kind == "action" and e.outcome.kind == "none"
            for e in tried
        )
    )


#: Commands whose roll another here may try after them ("let me try"), besides the deeds
#: the rules roll for the DM: a lock picked, a door forced.
_TRIED = frozenset({"pick", "force"})

#: What joins two things done in one line: "and", "then", "and then", ";" or ", ".
_AND = re.compile(
    # Not "up and down": one look all over ("looks the stranger up and down", which
    # looked and then walked down).
    r"\s*;\s*|[,.]?\s+and\s+then\s+|[,.]?\s+then\s+|,?\s+and\s+(?!(?<=\bup\sand\s)down\b)|,\s+"
    # A sentence of its own after a command: "drink a potion. then north" (played, "You
    # are not carrying 'potion.'"), "get the key. unlock the door".
    r"|[.!]\s+(?=\S)",
    re.I,
)
#: Commands that do something to the world or the character, which a line may join to
#: another ("get the key and unlock the door"); words said or asked ("say", "tell",
#: "ask") and settings are never parted. "order" is free text, read as buying.
_DOABLE = frozenset(
    [
        "look",
        "examine",
        "go",
        "get",
        "drop",
        "give",
        "wield",
        "wear",
        "equip",
        "remove",
        "drink",
        "buy",
        "sell",
        "rest",
        "open",
        "close",
        "unlock",
        "lock",
        "pick",
        "attack",
        "flee",
        "follow",
        "hide",
        "visible",
        "steal",
        "force",
        "consider",
        "defend",
        "list",
        "inventory",
        "score",
        "equipment",
        "quests",
        "powers",
        "save",
        "sit",
        "kneel",
        "lie",
        "stand",
        "lean",
        "order",
    ]
)
#: Commands whose "it" or "her" may be what the line before named ("look at Bessa",
#: then "ask her about Edda"): those that do something, and talking to someone.
_REFERRING = _DOABLE | {"talk", "ask"}
#: Words that start a thing's name, not something done ("the spoon", "my pack").
_NAMING = frozenset({"the", "a", "an", "some", "my", "his", "her", "their", "its", "your"})
#: "it" and "them" after "and": the thing the first part named.
_IT = re.compile(r"\b(?:it|them)\b", re.I)
#: One's own garment or part named before an "it" that means it: "lowers my hood and
#: shakes the snow from it" (not "raise my mug to bob and drink it", whose mug is a thing
#: of the world, nor "thank her and eat it", found in review).
_OWN_THING_THEN_IT = re.compile(
    r"\b(?:my|your|his|her|their)\s+(?:[a-z'-]+\s+)?"
    r"(?:hood|cloak|coat|hat|cap|scarf|shawl|mantle|gloves?|mittens?|boots?|sleeves?|collar"
    r"|hair|beard|face|hands?|fingers|feet|furs?)\b.*?\b(?:it|them)\b",
    re.I,
)


def _it_before(deed: str) -> bool:
    """Whether ``deed`` has an "it" or "them" that means a thing the line before named
    ("I sniff it suspiciously" after the stew bought), not one's own thing it named
    before ("lowers my hood and shakes the snow from it": played in Lanternfall, as
    "Sorrel lowers her hood and shakes the snow from it.", read "Sorrel tries to lower
    their hood and shake the snow from it."). Pure."""
    return _IT.search(deed) is not None and _OWN_THING_THEN_IT.search(deed) is None


#: "him", "her" and "them" after "and": the player the first part named.
_HIM = re.compile(r"\b(?:him|her|them)\b", re.I)
#: "one" after "and" ("buy 2 stews and eat one"): one of the things the first part named.
_ONE = re.compile(r"(?<!\bin\s)\bone\b(?!\s+of\b)", re.I)  # not "(drink it) in one"
#: A count in front of a thing's name ("2 stews").
_COUNTED = re.compile(r"^\s*\d+\s+")
#: What a thing is done with ("the door with the key"): not part of what "it" stands for.
_INSTRUMENT = re.compile(r"\s+(?:with|using)\s.*$", re.I)


def _two_deeds(
    world: World,
    actor: Character,
    intent: Intent,
    whole: list[Effect],
    ctx: Ctx,
    *,
    own: bool = False,
) -> list[Effect] | None:
    """``intent``'s line as two things done, when it is: the first part (up to "and",
    "then", ";" or a comma) a command of ``_DOABLE`` or a social, and either the second
    a command or social too or the line as a whole refused or a deed ("You see no 'key
    and unlock the door' here."). Returns the first part's effects and a ``Then`` for
    the second ("it" in it made the first part's object: "order an ale and drink it";
    "him" or "her" the player it named; the first part's verb again when the second
    names a thing: "buy stew and pie"), the first part's refusal alone when it is
    refused, or None: the line is one (``whole``). Played: "unlock the door with the
    key and open it" unlocked the door and dropped the rest; "order an ale and drink
    it" was narrated as a deed and neither was done."""
    raw = intent.raw.strip()
    match = _AND.search(raw)
    if match is None or any(isinstance(e, Then) and _rest_of(raw, e.line) for e in whole):
        return None  # no "and", or parted already (a pose and what follows it)
    if intent.verb == "emote" and _POSED.fullmatch(raw):
        # A pose between stars parts itself (``_star_pose``): played, "*slides onto a stool
        # at the bar and nods to Tobias*" sat, then read "You see no 'Tobias*' here.".
        return None
    if intent.verb == "emote" and roleplay(raw) is not None:
        # Prose is parted by its own rule (``_roleplayed``): played, "Tamsin kneels
        # beside Hob and lays a glowing hand on his wounds. "..."" read "You tamsin
        # kneels beside Hob." once the healing could be done.
        return None
    head, rest = raw[: match.start()].strip(), raw[match.end() :].strip()
    if not head or not rest:
        return None
    if (
        match.group(0).strip() == ","
        and _as_one_is(rest.strip("*"))
        and not phrasing.refused(whole, actor.key)
    ):
        # "*leans on the bar, water dripping from her cloak*" (played: "You try to water
        # dripping from your cloak."): how one is as one does it, no second thing done,
        # when the line whole is done as it is.
        return None
    power = powers.power_named(world, actor, head)
    fighting = _fights_here(world, actor)
    if (
        power is not None
        # Out of a fight, a power on someone here ("bless dov and wave to bessa"), not
        # a verb of it in other words ("aim for the door and run": found in play; "find
        # my footing and climb", a climber's prose: found in review).
        and (fighting or _names_someone_here(world, actor, power[1]))
        and not parse(head, ALIASES).verb
        # As a line of its own: a builder's action here ("warm my hands at the fire"
        # where healing is "warm") and "tend my wounds" (the short rest) are not it.
        and game.feature_action(world, actor, head) is None
        and not _TENDING.match(head)
    ):
        # "second wind then attack", "bless me then attack", "steady aim and stab it"
        # (played 2026-12-07 on a rogue's turn: "You steady aim." posed, and the power
        # unused): the power, and in a fight, where it takes the turn, the rest waits.
        # Tried on a fork of the dice, as ``_doable`` tries: refused (no uses left, out
        # of a fight where it is for one), the line is read as it always was.
        used = powers.use(world, actor, power[0], power[1], evolve(ctx, rng=ctx.rng.fork()))
        if any(isinstance(e, CharUpdate) for e in used):  # spent, not refused
            used = powers.use(world, actor, power[0], power[1], ctx)
            if _someone_here(world, actor, rest) or rest.strip(" .!").lower() in ("me", "myself"):
                # "bless dov and rook": the same power on the second (found in review:
                # "Unknown command 'rook'").
                verb = head[: len(head) - len(power[1])].strip() if power[1] else head
                rest = f"{verb} {rest}"
            if not fighting:
                return [*used, Then(actor.key, rest)]
            # Told with the power's own lines, before the next turn's prompt.
            waits = Tell(
                actor.key,
                Doc.text(tag("dim", esc(f"(Using it takes your turn: '{rest}' on your next.)"))),
            )
            at = next((i for i, e in enumerate(used) if isinstance(e, TurnPrompt)), len(used))
            return [*used[:at], waits, *used[at:]]
    first = parse(head, ALIASES)
    word = head.split(maxsplit=1)[0].lower()
    lead_word = rest.split(maxsplit=1)[0].lower()
    if (
        match.group(0).strip() == ","
        and first.verb
        # A doing, not "bring it to dov" or "nothing fancy" (found in review).
        and _participle(world, lead_word) is not None
        and not parse(rest, ALIASES).verb
        and world.templates.social(lead_word) is None
        and phrasing.refused(whole, actor.key)
    ):
        # "*picks up the potion and drinks it, grimacing*" (played: drunk, then "You try
        # to grimacing."): how one does it, after a command that would not take it, is
        # the command's alone.
        return _dispatch(world, actor, first, ctx)
    if not first.verb and (walked := _walk_then(world, actor, match, head, rest, ctx)) is not None:
        return walked
    if match.group(0).strip()[:1] in ".!" and first.verb not in _DOABLE:
        return None  # parted by a full stop only after a command ("thanks tansy! cheers")
    templates = world.templates
    doable = (first.verb or word) in _DOABLE or templates.social(word) is not None
    # A deed the rules roll ("search the room") parts only before a command or social:
    # "search the room and then rest"; "search the papers and read them" is one deed.
    acting = not doable and not first.verb and game.is_action_word(world, actor, word)
    if not (doable or acting):
        if re.search(r"\b(?:and|then)\b", match.group(0), re.I) is None:
            return None
        return _pose_then_deed(world, actor, head, rest, ctx)
    when = _WAY_THEN.match(rest) if first.verb == "go" else None
    if (
        when is not None
        and rest[when.end() :].strip()
        # Words to those here are said as they were, before the walk: "South, then.
        # Follow me." (found in review: said after it, to no one).
        and not is_spoken(rest[when.end() :])
    ):
        # "South, then. Follow the little lanterns." (played: walked, then "You act:
        # then. Follow the little lanterns."): the word of when is the way's.
        rest = rest[when.end() :].strip()
    second = parse(rest, ALIASES)
    lead = rest.split(maxsplit=1)[0].lower()
    if (
        first.verb == "go"
        and lead == "follow"
        # A thing of the way ("the little lanterns"), not someone followed: "west, then
        # follow wynn" after Wynn left goes after him (found by the suite).
        and rest.split()[1:2] in (["the"], ["those"], ["these"])
        and not _names_someone_here(world, actor, rest.partition(" ")[2])
    ):
        # "South, then. Follow the little lanterns.": the way told the others, before
        # the walk as words to those here are, not a deed after it (played: "You try to
        # follow the little lanterns.").
        told = rest[:MAX_SAY]
        return [
            *cmd_say(world, actor, Intent("say", told, told), ctx),
            *_dispatch(world, actor, first, ctx),
        ]
    if first.verb == "go" and lead in _HOW_GOING:
        # "south, following the little lanterns": how one goes, no second thing done
        # (played: "You try to following the little lanterns.").
        return _dispatch(world, actor, first, ctx)
    args = first.args if first.verb else head.partition(" ")[2]
    if (
        lead == "you"
        and not own
        and search.people(world, actor.room, besides=actor.key, viewer=actor.key)
    ):
        # "grab the bead, you earned it" to the friend beside (played: the speaker took
        # the bead, and said "you earned the bead"): all of it words to them.
        return cmd_say(world, actor, Intent("say", raw, raw), ctx)
    joined = bool(second.verb) or lead == "order" or templates.social(lead) is not None
    if acting and not joined:
        return None
    if first.verb == "go" and not joined and not _said_clause(rest):
        place = _room_looked(world, actor, rest, ctx)
        if place is not None and place.startswith("to "):
            # "upstairs then. her room" (played: "You try to upstair then. her room."):
            # a way, then the room it leads to, named: walked there.
            return _walk_named(world, actor, place, ctx)
        if _HERS_ROOM.search(rest) and match.group(0).strip()[:1] in ".!":
            # The same with no one spoken of yet, whose "her" is no one's room (tried on
            # a fresh world: "You try to upstairs then. her room."): the way walked, and
            # the words said where it leads.
            walked = _dispatch(world, actor, first, ctx)
            return [*walked, Then(actor.key, f"say {rest}"[:MAX_SAY])]
    # After a command, a deed the rules roll is a second thing done too: "go to the
    # tavern and search the hearth" walked there and dropped the search.
    joined = joined or (not second.verb and game.is_action_word(world, actor, lead))
    same_verb = False
    if not joined:
        failed = phrasing.refused(whole, actor.key) or any(
            isinstance(e, AskNarration) and e.kind == "action" for e in whole
        )
        talk = any(isinstance(e, LogChat) for e in whole)  # "look out! it's behind you"
        if not failed and (talk or not _said_clause(rest)):
            return None  # the line is whole as it stands
        # Or words said after it, which a lenient search let the command swallow:
        # "look at the mud. she went out the window!" (played: the mud shown, the
        # words lost).
        same_verb = False
        if args and _names_a_thing(world, actor, _AND.split(rest, maxsplit=1)[0]):
            # "buy stew and pie", "get the lantern, the packet and the map": the same
            # verb again for the next thing. Played: "buy stew and pie" read "You try
            # to pie.".
            # Of things, not people: "take the lead, bob" is said to Bob (``dispatch``).
            same_verb = not _names_someone_here(world, actor, _AND.split(rest, maxsplit=1)[0])
            rest = head[: len(head) - len(args)] + rest
        elif lead in _NAMING:
            return None  # "look at the bowl, the spoon": one thing done to two
    held = ctx.posed and first.verb in poses.POSE_WORDS.values()
    # A pose already held, opening a line written as a pose, is nothing to tell, as
    # after one ("I rise and look Fen over" standing: played, "You are already
    # standing.").
    done = _dispatch(world, actor, first, evolve(ctx, rest_of_line=True) if held else ctx)
    if phrasing.refused(done, actor.key) and not same_verb:
        return done  # "get the key and unlock the door", no key: the rest is not tried
    if phrasing.refused(done, actor.key):
        # The same verb for the next thing is still tried: "*pockets the locket and the
        # drowned key*", the locket one's own already (played: "You already have your
        # tarnished locket.", and the key left lying).
        return [*done, Then(actor.key, rest[:MAX_SAY])]
    # Only the next part's pronouns are the first part's thing: in "go to the cellar,
    # unlock the trapdoor and open it", "it" is the trapdoor (played: "You try to open
    # the cellar.").
    after = _AND.search(rest)
    clause, tail = (rest[: after.start()], rest[after.start() :]) if after else (rest, "")
    # Words said after it keep their own "it" ("take the lantern, it's dark": the
    # clause is no command).
    spoken = _said_clause(clause)
    onward = ((clause if spoken else _refer(world, actor, clause, _thing_of(args))) + tail)[
        :MAX_SAY
    ]
    if len(onward) >= len(raw):
        return None  # each part is shorter than the line it came from, so parting ends
    onward = _ing_as_deed(world, actor, onward)
    if spoken and not tail:
        return _then_said(world, actor, done, onward, ctx)
    return [*done, Then(actor.key, onward)]


#: A word of when after a way, ending its sentence: "then.", "first!", "now,".
_WAY_THEN = re.compile(r"^(?:then|first|now|again)\s*[.!,;]+\s*", re.I)


def _rest_of(line: str, then: str) -> bool:
    """Whether ``then`` is the rest of ``line``, as a pose parts it: its end, or its end
    with a pronoun made whom it means ("lay a glowing hand on Cole's wounds" of "kneel
    beside Cole and lay a glowing hand on his wounds"). Pure."""
    if line.endswith(then):
        return True
    last = then.split()[-1:] if then.strip() else []
    return bool(last) and len(then) < len(line) and line.split()[-1:] == last


def _then_said(
    world: World, actor: Character, done: list[Effect], words: str, ctx: Ctx
) -> list[Effect]:
    """``done`` (a thing ``actor`` did) and ``words`` they said with it, after it (a
    ``Then``, said where it leaves them), or before it when it walks them away and the
    words are to those here or of themselves: "let me sneak up first. i'm quieter than
    you" (played: said in the loft, to the smuggler, and out of the shadows the sneak
    had just found); "I'll go first, I've got the armour" (played: said on the stair,
    the Warden's fight begun). Words of where one goes ("up. it's dark") are said
    there."""
    if (_TO_YOU.search(words) or _OF_ME.match(words)) and any(
        isinstance(e, Move) and e.who == actor.key for e in done
    ):
        return [*cmd_say(world, actor, Intent("say", words, words), ctx), *done]
    if _BECAUSE.match(words):
        # "I'll search the hearth, since I've got sharp eyes": the reason, said (tried:
        # "You try to since ...").
        return [*done, Then(actor.key, f"say {words}")]
    return [*done, Then(actor.key, words)]


#: A reason, opening a clause: "since I've got sharp eyes", "because I'm quieter".
_BECAUSE = re.compile(r"\s*(?:since|because|'?cause)\b", re.I)


#: Words of oneself, opening a clause: "I've got the armour", "I'm quieter".
_OF_ME = re.compile(r"\s*(?:i|i'm|i've|i'll|i'd|im|ive)\b", re.I)
#: Words to someone: "you", "your".
_TO_YOU = re.compile(r"\b(?:you|your|yours|you're|you'll|you've|y'all)\b", re.I)


def _said_clause(clause: str) -> bool:
    """Whether ``clause``, after a thing done in the same line, is words said, not a
    second command (``is_spoken``): "it looks odd", "you earned it" ("take the lantern,
    it's dark")."""
    return not parse(clause, ALIASES).verb and is_spoken(clause)


def _walk_then(
    world: World, actor: Character, joint: re.Match[str], head: str, rest: str, ctx: Ctx
) -> list[Effect] | None:
    """A walk in one's own words ("back down to the common room", "back downstairs",
    "onward to the shrine") and then, in a sentence or clause of its own, a thing done
    ("search the hearth"): the walk, then the rest as a line of its own (``Then``), run
    where the walk ends; for ``_two_deeds``, ``joint`` the match that parts them. None
    when the rest is no command, social or deed the rules roll, or a second way joined by
    a bare "and" ("keep going south and east" is one way, a deed), or ``head`` alone
    walks ``actor`` nowhere (tried first with a fork of the dice, so a line that is not
    parted draws none). Played: "back down to the common room. search the hearth" walked
    and dropped the search, and "back downstairs. search the hearth" searched the
    landing."""
    lead = rest.split(maxsplit=1)[0].lower()
    second = parse(rest, ALIASES)
    if party.calls_along(sentences(rest), party.names_here(world, actor, rest)):
        # "to the old mill! follow me, dov": a call along, said, walks with its company
        # (``_lets_walk``; played: the walk went alone, and "follow me dov" was a deed in
        # the mill).
        return None
    if not (
        second.verb in _DOABLE
        or (not second.verb and game.is_action_word(world, actor, lead))
        or world.templates.social(lead) is not None
    ):
        return None
    if second.verb == "go" and re.search(r"then|[.!;]", joint.group(0), re.I) is None:
        return None
    walk = parse(head, ALIASES)
    tried = dispatch(world, actor, walk, evolve(ctx, rng=ctx.rng.fork()))
    if phrasing.refused(tried, actor.key) or not any(
        isinstance(e, Move) and e.who == actor.key for e in tried
    ):
        return None
    return [*dispatch(world, actor, walk, ctx), Then(actor.key, rest[:MAX_SAY])]


def _pose_then_deed(
    world: World, actor: Character, head: str, rest: str, ctx: Ctx
) -> list[Effect] | None:
    """A line of a posture or a move that is no command, then a thing done ("crouch by
    the trapdoor and fit the key to the lock"): the first shown as what the actor does
    ("You crouch by the trapdoor." / "Isolde crouches by the trapdoor."), the second
    run next (``Then``; "grip my dagger": "You grip your dagger." / "Isolde grips
    their dagger."). None when the first is not a few plain words ("his", "her" may be
    another's, and would read wrong to the room) or the second is no thing done
    (``_doable``). Played in the cellar, the key in hand: "*crouches by the
    trapdoor and fits the key to the lock*" was one deed, and the lock stayed shut."""
    words = head.split()
    # One word is a move too: "roar and swing at the warden" (played on the stair: a
    # fight's refusal, the turn lost).
    if not 0 < len(words) <= 6 or _OTHERS_WORDS & {w.lower().strip(",.") for w in words}:
        return None
    if not words[0].isalpha() or words[0].lower() in _NOT_A_VERB | _TALKING:
        # "the door and I kick it"; words said ('"Will you come up and look, Corra?"'
        # after a pose: played, "You say Will you come up.").
        return None
    clause = _AND.split(rest, maxsplit=1)[0]
    if not _doable(world, actor, clause, ctx, decided=False):
        return None
    letting = _LET_ME.match(head)
    if letting is not None and CATCHES_BREATH.fullmatch(head[letting.end() :].strip(" ,")):
        # "let me catch my breath, then search the hearth" (found in review: "You let you
        # catch your breath.", and no one rested): said, rested, then the rest done.
        said = head.strip(" ,")
        return [
            *cmd_say(world, actor, Intent("say", said, said), ctx),
            # The rest here, not a Then: each Then carries less than the one before.
            *game.cmd_rest(world, actor, Intent("rest", "", "rest"), ctx),
            Then(actor.key, rest),
        ]
    verb, text = words[0].lower(), " ".join(words[1:]).rstrip(".,;!")
    # "grip my dagger": "You grip your dagger." / "Isolde grips their dagger."
    yours = game.own_words(text, by_actor=True)
    theirs = game.own_words(text, by_actor=False, actor=actor)
    mine = " ".join(w for w in (verb, yours) if w)
    seen = " ".join(w for w in (phrasing.third_person(verb), theirs) if w)
    return [
        Tell(actor.key, Doc.text(styled("emote", f"You {mine}."))),
        ToRoom(
            actor.room,
            Doc.text(f"{_name(actor)} {styled('emote', f'{seen}.')}"),
            exclude=(actor.key,),
        ),
        Then(actor.key, rest),
    ]


#: Words after one's own name that say who one is, not what one does: "Ivo here".
_INTRODUCED = frozenset({"here", "speaking", "reporting"})
#: Words after which a name is what the words are done with, not whom they are said to.
_TAKES_A_NAME_AFTER = frozenset(
    ["with", "to", "for", "at", "from", "beside", "behind", "near", "and", "on", "by"]
)
#: First words that are no verb of a posture: "the door and ...", "I kneel and ..."; nor
#: those that open a question ("will you come up and look, Corra?": played, "You will
#: you come up.", and Corra asked "Look?").
_NOT_A_VERB = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "some", "i", "we", "you", "he"}
    | {"she", "it", "they", "there", "here", "then", "now", "so", "and", "but", "not"}
    | {"will", "would", "can", "could", "shall", "should", "may", "might", "must", "do"}
    | {"does", "did", "are", "is", "was", "were", "have", "has", "who", "what", "where"}
    | {"when", "why", "how", "which", "wanna", "want"}
    # Nor a word of chat before words said: "ok let's go up and check her room" (played:
    # "You ok let's go up.", and no one went up).
    | {"ok", "okay", "k", "alright", "right", "yes", "yeah", "yep", "sure", "well", "let's"}
    | {"lets", "oh", "ah", "hmm", "hey", "fine", "cool", "great", "good", "nice", "aye"}
)
#: Words of another's, which a pose shown to the room cannot keep as typed ("his" may
#: be anyone's); one's own ("my") is read as each viewer reads it (``game.own_words``).
_OTHERS_WORDS = frozenset({"his", "her", "hers", "their", "your", "our"})


def _partner(
    world: World, actor: Character, recent: tuple[str, ...], *, spoken: bool = False
) -> str | None:
    """The NPC here ``actor`` is talking with: the one their last line spoke to or
    asked ("talk to crake", "ask bessa about edda", "hello bessa"), or, past the
    questions they have asked since ("where did she go?", "what else?"; ``recent``, the
    last last), the one the line before those did, or, when every line remembered was
    such a question, the one NPC here who talks (with ``spoken``, only one a line spoke
    to or asked by name, not one who would know what a question asked). None when a
    line since did something else, or the NPC is not here."""
    npcs = search.npcs(world, actor.room)
    knower: str | None = None
    for line in reversed(recent):
        intent = parse(line, ALIASES)
        if (intent.verb == "tell" and _TELL_ME.match(line)) or (
            intent.verb == "go" and lore.asks_more(line)
        ):
            intent = Intent("", line.strip(), line)  # "tell me more", "go on": a question
        if intent.verb in ("talk", "ask"):
            words = intent.args.strip()
            if intent.verb == "ask" and _ASKED_IF.match(_asked_how(world, actor, words)):
                # "ask if anyone went looking for edda": a question of the talk, as "where
                # did she go?" is (found in review: the next one went to the DM).
                continue
            head, _, rest = words.partition(" ")
            found, _rest = search.find_leading(
                npcs, rest if head.lower() in ("to", "with") else words
            )
            return found.thing.ref if found.thing is not None else None
        if intent.verb in ("", "say"):
            named = address.addressed(world, actor, intent.args)
            if named is not None:
                return named[0]  # "hello bessa", "have you seen Edda, Bessa?"
            first = intent.args.split(maxsplit=1)[0].lower() if intent.args.strip() else "i"
            lead, rest = search.find_leading(npcs, intent.args)
            if lead.thing is not None and first not in ("i", "i'm") and _questioning(rest):
                # "edda what happened to you?", the name and no comma, as chat types
                # it (played: the next "can i see the map you're drawing?" was put to
                # Bessa).
                return lead.thing.ref
            answered = _answered(world, actor, intent.args)
            if answered is not None:
                return answered  # "to ask about the lights" to Aldith's question
        asked = not intent.verb or (intent.verb in _ASKING_VERBS and intent.args.strip())
        if not (asked and (_questioning(line) or lore.asks_more(line))):
            return knower
        if knower is None and _questioning(line) and not spoken:
            # "what happened to the cartographer?", answered by Bessa; unless a line
            # before it spoke to someone, who was asked it (played: after "edda what
            # happened to you?", "can i see the map you're drawing?" went to Edda, and
            # the next question to Bessa, who knows of the map).
            knower = _knower(world, actor, line)
    if len(recent) >= RECENT and not spoken:
        # Questions all the way back past what is remembered: a long run of "what
        # else?" (played: the seventh was the DM's) is still with the one NPC here who
        # talks, if there is one.
        return knower or _sole_talker(world, actor)
    return knower


def _talkers(world: World, actor: Character) -> list[str]:
    """The NPCs in ``actor``'s room with words of their own (``lore.talks``)."""
    return [n.id for n in world.npcs_in(actor.room) if lore.talks(world.templates.npcs[n.id])]


#: Who someone is, asked: "who are you?", "who r u", "what's your name?", "and you are?".
_WHO_ARE_YOU = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|well|hey|um+)[,.]?\s+)*(?:who\s+(?:are|r)\s+(?:you|ya)"
    r"|what(?:'s|\s+is)\s+your\s+name|who\s+might\s+you\s+be|you\s+are|who'?s\s+this)"
    r"(?:\s+(?:then|exactly|anyway|friend|stranger))?\W*$",
    re.I,
)


def _sole_talker(world: World, actor: Character) -> str | None:
    """The one NPC in ``actor``'s room with words of its own (``lore.talks``), or None
    when there is none or more than one."""
    talking = _talkers(world, actor)
    return talking[0] if len(talking) == 1 else None


def _asked_in_talk(world: World, actor: Character, text: str, ctx: Ctx) -> bool:
    """Whether ``text``, a reply word asked ("why?", "really?"), is for the one the
    actor is talking with (``_partner``): played, "why?" after Bessa's answer was said
    to the room, and she said nothing."""
    return text.rstrip().endswith("?") and _partner(world, actor, ctx.recent) is not None


#: A question why, then a sentence that is no question: "why wait? we go now." (a
#: question put to make a point; "where did she go, bessa? she lodged here." asks).
_ASKED_THEN_SAID = re.compile(r"^\W*why\b[^?]*\?\s+[^?]+[^?\s]$", re.I)


def _answers_itself(text: str) -> bool:
    """Whether ``text`` is a question why, then words of its own that answer it ("why go
    all the way to the mill? I can pick that trapdoor lock"): said, not asked."""
    found = _ASKED_THEN_SAID.search(text)
    return found is not None and is_spoken(address.SENTENCE.split(text.strip())[-1])


#: A groan or a gasp opening a line: "ugh", "ow.", "oof,".
_GROAN = re.compile(r"^(?:ugh+|u+gh|ow+|oof|urgh|argh|uh+|ouch|gah)[\s,.!]+", re.I)


def _questioning(text: str) -> bool:
    """Whether free ``text`` is a question ("who are you?", "where did she go", "tell me
    about the lights", "do you know the way to the mill")."""
    if opens_not_knowing(text) and not text.rstrip().endswith("?"):
        return False  # "no idea how long that takes. go ahead": played, asked of the DM
    if _answers_itself(text):
        # "why go all the way to the mill? I can pick that trapdoor lock": played, asked
        # of the DM and told the way to the mill; a question put and answered, said.
        return False
    # After a groan too: "ugh wat happened" (played, carried in at 1 HP: said).
    word, _, rest = _GROAN.sub("", text.strip()).partition(" ")
    asking = word.lower() in _WH_WORDS and bool(rest.strip())
    telling = _TELL_ME.match(text) is not None
    of_you = _ASKED_OF_YOU.match(text) is not None
    # A question and then words said: "any work going? I could use the coin" (played:
    # "You try to any work going? I could use the coin.").
    parts = sentences(text)
    asked_then_said = (
        len(parts) > 1
        and parts[0].rstrip().endswith("?")
        # "want to team up? two heads and all that" (played: a deed): words after it
        # that are no command.
        and all(is_spoken(part) or not parse(part, ALIASES).verb for part in parts[1:])
    )
    return (
        text.rstrip().endswith("?")
        or asking
        or telling
        or of_you
        or asked_then_said
        or (lore.asks_what_next(text) and _ASKS_NEXT.search(text) is not None)
    )


#: A line about what to do next that asks it ("next", "now what", "hint", "I'm stuck"),
#: not one that tells it ("stay close, corwin. I'll go first": played, "You ask Corwin
#: stay close. I'll go first.").
_ASKS_NEXT = re.compile(
    # "now" asks only as "now what", "now where" or alone: "now we wait" tells (played:
    # asked of the DM).
    r"^\W*(?:next|now(?=\W*(?:what|where|how|which|$))|what|where|how|which|hint|quests?|help)\b"
    r"|\b(?:stuck|lost|hints?)\b",
    re.I,
)


#: A question put to "you" without its mark: "do you know the way", "have you seen Edda",
#: "are you ok" (as "r u ok" is read: tried, "You try to are you ok.").
_ASKED_OF_YOU = re.compile(
    r"^\s*(?:do|does|did|have|has|can|could|would|will|are|were|should|is)\s+"
    r"(?:you|anyone|any\s+of\s+you)\b",
    re.I,
)


#: A question that opens with "do": "do you know ...?", "do we need a key", "do I need
#: a key?" ("do I pry at the stone", with no question mark, is the deed).
_ASKED_WITH_DO = re.compile(
    r"^\s*do\s+(?:(?:you|we|they|he|she|anyone|any\s+of\s+you)\b|.*\?\s*$)", re.I
)

#: "tell me about the lights", "tell us more": asked, not a private message to "me".
_TELL_ME = re.compile(r"^\s*tell\s+(?:me|us)\s+\w", re.I)


#: A guess of whose a thing is, alone: "Edda's?", "yours?", "the smugglers'?".
_WHOSE_ALONE = re.compile(
    r"\W*(?:the\s+)?(?:[\w-]+'s?|[\w-]+s'|yours|his|hers|theirs|mine)\s*\?+\W*", re.I
)


def _remark_to_all(world: World, actor: Character, text: str, ctx: Ctx | None = None) -> bool:
    """Whether ``text``, said aloud, is a remark with a question tagged on for the players
    here to agree with ("Dreadful night, isn't it?", ``tagged``): another player is here
    to hear it, it names no one of the world ("Edda lodged upstairs, didn't she?" asks the
    one who knows), and ``actor`` is talking with no one (with ``ctx``: "Strange business,
    isn't it?" just after Bessa's answer is hers; found in review). Pure."""
    if not tagged(text) or lore.names_someone(world, text):
        return False
    if not search.people(world, actor.room, besides=actor.key, viewer=actor.key):
        return False
    return ctx is None or _partner(world, actor, ctx.recent) is None


def _knower(world: World, actor: Character, question: str) -> str | None:
    """The NPC here who answers ``question``, asked aloud to no one: the one who knows
    most about it (``lore.knower``). None when the DM answers it from what the engine
    knows (the way, what to do next, what a thing here is, unless it asks "you": "is
    this your key?"), when it opens with the name of someone here (``ask`` puts it to
    them), or when no one here knows of it, unless it asks "you" of the one NPC here
    who talks ("who are you?" beside Bessa alone)."""
    if _dm_answers(world, actor, question):
        return None
    if _remark_to_all(world, actor, question):
        # "Evening. Dreadful night to be on the causeway, isn't it?" beside a player
        # (played: asked of the innkeeper, who told of the lights on the marsh): a remark
        # to the room, asking nothing of anyone's knowing.
        return None
    if party.teaming(address.SENTENCE.split(question.strip())[-1]) and search.anyone_else(
        world, actor.room, actor.key
    ):
        # An invitation closing the line is the other players' ("name's Ora. I'm going
        # after that wolf and the missing novice. come with me?": played in Lanternfall,
        # asked of the host, who told of the postern key, and no one was invited).
        return None
    # "who lights the candles?" and "tell me about the saint" ask a person, not a look.
    asks_who = _ASKS_WHO.match(question) is not None or _TELL_ME.match(question) is not None
    # "what happened to the cartographer?" with her by the fire asks of a story, not of
    # a look (played: answered with how she looks).
    asks_who = asks_who or _HAPPENED.search(question) is not None
    if not asks_who and lore.what_is(world, actor, question) and not _YOU.search(question):
        # "what is this key?" is the DM's; "is this your key?" is asked of one, and so
        # is "who lights the candles?" (tried: the box of tapers, beside the one who
        # lights them).
        if not lore.WHY_IS.match(question):
            return None
        # Why a thing is as it is asks its story, of one here who knows of it (below),
        # else it is the thing's look: "why is every lantern hook empty?" (played in a
        # new pack: the hooks' look, where the host had just offered to tell why, and
        # knew of the lanterns going dark).
        story_only = True
    else:
        story_only = False
    people = [
        *search.npcs(world, actor.room),
        *search.people(world, actor.room, besides=actor.key, leading=question),
    ]
    if search.find_leading(people, question)[0].thing is not None:
        return None
    here = [world.templates.npcs[n.id] for n in world.npcs_in(actor.room)]
    lodging = next((npc.id for npc in here if lore.asks_for_lodging(npc, question)), None)
    if lodging is not None:
        return lodging  # "how much for a room?" in the tavern: played, asked of the DM
    index = lore.knower(here, question, actor, {n.id for n in world.npcs_in(actor.room)})
    if index is not None:
        return here[index].id
    if story_only:
        return None
    # "Who are you?" beside the innkeeper alone: played, the DM's "You turn the question
    # over."
    if _to_companions(world, actor, question):
        return None  # "are you ready?" beside a companion is for them, not the innkeeper
    if not _YOU.search(question):
        return None
    # Of more who talk, the one whose place this is: "who are you?" beside Bessa, Edda
    # home by her fire (played by a newcomer: said to the room, and no one answered);
    # not "how are you two?", to them all.
    if party.TO_YOU_ALL.search(question):
        return _sole_talker(world, actor)
    return _host(world, actor)


#: A question of what befell someone or something: "what happened to her?".
_HAPPENED = re.compile(r"\bwhat\s+(?:happened|became)\b|\bwhere\s+(?:has|have|had)\b", re.I)
#: A question of who does or did a thing: "who lights the candles?".
_ASKS_WHO = re.compile(r"^\W*who(?:'s|\s+(?!are\s+you\b|am\s+i\b))", re.I)
#: A question of what one knows: "what do you know about the lights?", "have you seen
#: her?", "heard of Crake?".
_ASKS_KNOWN = re.compile(r"\b(?:know|knows|heard|hear|seen|tell)\b", re.I)
#: Leave asked: "can we see her things?", "may I go up?" (of whoever is in charge).
_LEAVE_ASKED = re.compile(r"^\W*(?:can|could|may|might)\s+(?:we|i|us)\b", re.I)
#: A question among companions: "shall we go?", "want to join us?", "ready?".
#: ("got any potions?", "need a hand?": played, "ugh. barely alive. got any potions?"
#: beside a companion was the DM's, and he never heard it.)
_AMONG_US = re.compile(
    r"\b(?:we|us|our|let'?s)\b|^\W*(?:want|wanna|fancy|ready|coming|got|need|any|mind)\b"
    # "I'll take the lantern to Sister Aldith. Come with me?" (played: asked of the DM).
    r"|^\W*come\s+(?:with\s+me|along|too)\b"
    # "everyone ready? the door's open" (played: asked of the DM, who described the
    # door).
    r"|^\W*(?:every(?:one|body)|y'all|you\s+all|guys|folks|all\s+set)\b",
    re.I,
)


#: Asked of what just happened before one's eyes: for those who did it to tell.
_WHAT_WAS_THAT = re.compile(
    r"^\W*(?:so\s+|um+\s+|uh+\s+)?(?:what\s+(?:was|is)\s+(?:that|this)(?:\s+all)?\s+about"
    r"|what\s+just\s+happened|what\s+did\s+(?:i|we)\s+just\s+(?:see|miss))\b",
    re.I,
)


#: The lead offered or asked for: "will you lead, or shall I?", "shall I lead?" (not
#: "who's leading?", which the DM answers with who does).
_LEAD_ASKED = re.compile(
    r"\b(?:(?:will|would|can|could|do|shall|should)\s+(?:you|i|we)\s+(?:want\s+to\s+)?lead"
    r"|you\s+(?:want\s+to\s+)?lead)\b[^.!?]*\?",
    re.I,
)


def _teaming_asked(world: World, actor: Character, text: str) -> bool:
    """Whether ``text`` opens with a question asking another player here to play
    together ("want to team up marla?", then anything), after reply words or none
    ("cool. wanna group up priest?"): all of it words, which ``party`` reads as the
    invitation it is."""
    parts = address.SENTENCE.split(text.strip())
    # After one's own name too: "Thank you. Brannoc. Walk with me?" (played: asked of
    # the DM, "Bessa Thorn, here, might know more of that.").
    while len(parts) > 1 and (
        is_reply(parts[0]) or parts[0].strip(" .!,").lower() == actor.name.lower()
    ):
        parts = parts[1:]
    first = parts[0]
    return (
        first.endswith("?")
        and party.teaming(first)
        and bool(search.people(world, actor.room, besides=actor.key, viewer=actor.key))
    )


def _to_companions(world: World, actor: Character, question: str) -> bool:
    """Whether ``question``, asked aloud to no one by name, is for the other players
    here: there are some, it asks "you" or "we" ("are you ready?", "want to join us?",
    "shall we go?") or, beside one's group, is a thought that asks no who or what and
    that nothing known answers ("maybe under the water?"), and it is not one the DM
    answers (the way, what to do next: "what should we do?"), nor, with someone of the
    world here who talks, "who are you?" or "how are you?" (theirs; tried: "how are you
    holding up?" to a friend at the drowned shrine was asked of the DM).
    Played: "yes. wren went up already. want to join us?" to Quill was asked of the DM,
    and "are you ready?" beside a companion was put to the innkeeper."""
    if not search.people(world, actor.room, besides=actor.key, viewer=actor.key):
        return False
    last = address.SENTENCE.split(question.strip())[-1]
    if lore.asks_what_next(question) or lore.asks_what_next(last):
        return False  # "we did it. what now?": the "did it" before is no thing asked of
    if (lore.asks_who(question) or lore.asks_how(question)) and _talkers(world, actor):
        return False  # "who are you?" beside the innkeeper is hers
    if _known_answer(world, actor, question):  # the way, who sells, how to ...: the DM's
        return False
    # Of the questions in it, not of what is cried out: "wow we find it! what is inside
    # packet?" asks the DM of the packet (played 2026-12-07: the "we" of the cry made it
    # all words); "got it? good. back to the cellar then" asks the others.
    parts = address.SENTENCE.split(question.strip())
    asked = " ".join(
        part for i, part in enumerate(parts) if part.rstrip().endswith("?") or i == len(parts) - 1
    )
    if _YOU.search(asked) or _AMONG_US.search(asked):
        return True  # "same. want to team up?": played, asked of the DM
    if _WHAT_WAS_THAT.match(last):
        # "what was that about?" of what the others here just did (played by a newcomer
        # as his group gave the saint's lantern to Aldith: the DM's "Nothing you have
        # seen or heard yet answers that.").
        return True
    # A thought put to one's group, asking no who or where of the DM, that nothing known
    # answers: "the map showed a stair going down. maybe under the water?" (played: the
    # DM sent the asker to the innkeeper, four rooms away).
    # "so what's the deal here?" asks as "what's ..." does (played: put to a companion).
    words = [w for w in last.split() if w.lower().strip("\"',.") not in _OPENING_FILLER]
    return (
        bool(words)
        and words[0].lower().strip("\"'") not in _WH_WORDS
        and bool(party.present(world, actor.key))
        and lore.what_is(world, actor, question) is None
        and lore.recall(world, actor, question) is None
    )


def _dm_answers(world: World, actor: Character, question: str) -> bool:
    """Whether the DM answers ``question`` from what the engine knows: the way to a
    place, how to do a thing, who sells one, what to do next (unless it asks "you":
    "what do you know about the key?" is for the one spoken to), the asker's group,
    purse or hurts, and who else plays."""
    return bool(
        lore.way_answer(world, actor, question)
        or _how_to(world, actor, question)
        or _rules_asked(world, actor, question)
        or lore.shop_answer(world, actor, question)
        # "you" of the question itself: "you were great! what now?" asks the DM
        # (played 2026-12-07: put to the innkeeper, who offered stew).
        or (
            lore.asks_what_next(question)
            and (
                not _YOU.search(last := address.SENTENCE.split(question.strip())[-1])
                # "what do you think we should do now?": the way on, whoever is asked
                # (played 2026-12-07: put to Bessa, "Don't know about that, love.").
                or _YOU_THINK_WE.search(last) is not None
            )
        )
        # Of the asker's own group, purse and fellow players: played, "who's leading?"
        # just after a companion asked Bessa something was put to her.
        or answers.group_asked(world, actor, question)
        or answers.sheet_asked(world, actor, question)
        or answers.fall_asked(world, actor, question)
        or answers.who_else(world, actor, question)
    )


_YOU = re.compile(r"\byou(?:rs?|rself)?\b", re.I)
#: An opinion asked of what "we" do next: "what do you think we should do now?".
_YOU_THINK_WE = re.compile(
    r"\bwhat\s+do\s+(?:you|u|ya)\s+(?:think|reckon)\s+(?:we|i)\s+(?:should|ought\s+to|must)"
    r"\s+do(?:\s+(?:now|next|first|here|then))?\W*$",
    re.I,
)
#: A question of where the one asked is going, or why they are here: "you headed out to
#: the marsh?", "are you going to the shrine?", "you here about the lights too?".
_YOUR_WAY = re.compile(
    r"\W*(?:so\W+|and\W+)?(?:are\s+)?you\s+(?:headed|heading|going|off|bound|here\s+(?:about|for)"
    r"|after|looking\s+for|planning\s+on|set\s+on)\b.*\?\W*$",
    re.I,
)


#: Words after a verb that say which way or how near, naming no thing: "lean in",
#: "step back", "lean in close to bessa".
_PARTICLES = frozenset(
    {
        *("in", "out", "back", "down", "over", "away", "forward", "forwards"),
        *("close", "closer", "around", "round", "off", "aside", "near"),
    }
)


def _thing_of(args: str) -> str:
    """What a command's ``args`` name as its object, for a pronoun after it: "the door"
    of "the door with the key", "bob" of "to bob", "bessa" of "in close to bessa", ""
    of "in" (played: "i lean in and ask bessa if anyone went looking for her" asked
    "if anyone went looking for in", "in" a word of the innkeeper's)."""
    words = _INSTRUMENT.sub("", args).split()
    while words and words[0].lower() in _PARTICLES:
        words = words[1:]
    thing = " ".join(words)
    link, _, named = thing.partition(" ")
    if (link.lower() in _SOCIAL_LINKS or link.lower() == "up") and named.strip():
        thing = named.strip()  # "bow to bob": bob; "scoop up the potion": the potion
    return thing


def _refer(world: World, actor: Character, clause: str, thing: str) -> str:
    """``clause`` with its "it"/"them" (and "him"/"her", when ``thing`` names someone
    here; or "one": "buy 2 stews and eat one") made ``thing``."""
    if not thing:
        return clause
    people = [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]
    if search.find(people, thing).ok:
        # "bow to Bob and order an ale for him"; "look at the rat and attack it";
        # "kneel beside Cole and lay a glowing hand on his wounds" (played: "Which of
        # them?", beside two men).
        return _IT.sub(thing, poses.theirs(clause, thing))
    clause = _IT.sub(thing, clause)
    return _ONE.sub(singular(_COUNTED.sub("", thing)), clause)


#: Words for a blow ("stab it", "swing at the eel-catcher"): an attack when they name a
#: foe. Played: both were refused in a fight ("You are in a fight: attack, defend, ...").
_STRIKES = frozenset(
    {
        "swing",
        "fight",  # "fight it", "fight the rat" ('fight' alone tells how the fight stands)
        "stab",
        "slash",
        # A rush at a foe: "charge the eel-catcher", "leap at it".
        "charge",
        "rush",
        "leap",
        "pounce",
        "spring",
        "strike",
        "smite",
        "cut",
        "thrust",
        "lunge",
        "punch",
        "shoot",
        "finish",  # "finish it off", "finish the rat": played, refused in the fight
        "end",  # "end this", the Lamplighter one blow from falling: played, refused
        # A mace's blows: played, "smash crake with my mace" was refused in the fight.
        "smash",
        "bash",
        "whack",
        "club",
        "clobber",
        "bludgeon",
        "pummel",
        "batter",
        "hack",
        "chop",
        "slice",
        "kick",
        # Played: "smack it with my mace" was refused in the fight with the bog rat.
        "smack",
        "thump",
        "wallop",
        "pound",
        "crush",
        "hammer",
        "bonk",
        "thwack",
        "hew",
        "skewer",
        "impale",
        "jab",
        # A body thrown at a foe: "slam into the rat", "tackle it".
        "slam",
        "ram",
        "tackle",
        "headbutt",
        "stomp",
        "swat",
        "gut",
        # Working round a foe for a blow: "circle behind it, looking for a gap" (played:
        # refused in the fight on the rogue's turn), "flank it", "feint at it".
        "circle",
        "flank",
        "feint",
        # A blade sent home: "drive the knife into the back of its neck", "plunge it in"
        # (``_SENT_HOME``).
        "drive",
        "plunge",
        "sink",
    }
)


_AT = re.compile(r"\s(?:at|into)\s", re.I)
_OFF = re.compile(r"\s+(?:off|down)\s*[.!]*$", re.I)
#: Going on with the fight: "keep attacking", "keep hitting it", "keep fighting".
_KEEP_AT = re.compile(
    r"^keep\s+(?:on\s+)?(?:attacking|fighting|hitting|striking|swinging|stabbing|slashing"
    r"|hacking|smashing|bashing)(?:\s+(?:at\s+)?(?P<whom>\S.*?))?\s*[.!]*$",
    re.I,
)

#: Where a rush goes, naming no one: "charge in", "leap forward", "rush straight in".
_HEADLONG = re.compile(
    r"^(?:straight\s+)?(?:in|forward|forwards|ahead|headlong|on)\b(?=\s*(?:$|[,.!]|at\b))\s*",
    re.I,
)

#: Where one works round a foe: "circle behind it", "around the warden".
_ROUND = re.compile(r"^(?:behind|around|round|past|beside)\s+(?=\S)", re.I)


#: One's own body, thrown at a foe: "hurl myself at it", "throw herself on the rat".
_ONESELF = re.compile(
    r"^(?:myself|himself|herself|themselves|themself)\s+(?=(?:at|on|upon|into)\b)", re.I
)


#: Verbs of going for a foe in a fight: "go for its throat", "aim for the eyes".
_GOING_FOR = frozenset(
    {"go", "goes", "went", "aim", "aims", "dive", "dives", "lunge", "lunges", "leap", "leaps"}
)
#: What one goes for: "for its throat", "for the rat's legs", "at it".
_FOR_WHOM = re.compile(r"^\s*(?:for|at)\s+(?P<whom>\S.*)$", re.I)
#: A part of a foe's body, "its throat", "the rat's eyes": the foe.
_ITS_PART = re.compile(r"^(?:its|his|her|their)\s+\w[\w-]*\b.*$", re.I)
#: A part of a body with no owner named, "the eyes", "the throat": the foe's, in a fight.
#: Or told by what it does: "the hand holding the lantern" (played at the Lamplighter:
#: refused, "You are in a fight: ...").
_THE_PART = re.compile(
    rf"^the\s+{game.BODY_PART}(?:\s+(?:holding|gripping|clutching|that|which|with)\b.*)?"
    r"\s*[.!]*$",
    re.I,
)
_WHOSE_PART = re.compile(r"^(?P<whose>.+?)'s\s+\w[\w-]*\b.*$", re.I)
#: A spot on a part of the foe: "the gap in its armour", "the back of the rat's neck".
_SPOT_OF = re.compile(
    r"^the\s+[\w-]+(?:\s+[\w-]+)?\s+(?:in|of|on|at|under|between|behind)\s+"
    r"(?P<of>(?:its|his|her|their)\s+.+|the\s+.+?'s\s+.+)$",
    re.I,
)


def _gone_for(world: World, actor: Character, words: str) -> str | None:
    """The foe that "go for ``words``" aims at ("for its throat": "it"; "for the rat's
    eyes": "the rat"), when ``actor`` fights in the room's fight and it names a foe
    standing; None otherwise ("go for a walk", "go for help"). Pure."""
    current = world.fights.get(actor.room)
    found = _FOR_WHOM.match(words)
    if current is None or not current.has(f"p:{actor.key}") or found is None:
        return None
    whom = _whole_foe(found.group("whom").strip(" .!"))
    return whom if fight.names_a_foe(world, current, whom) else None


#: Words of ``_STRIKES`` that are blows only in a fight: out of one, "*drives the point
#: home*" is a pose.
_SENT_HOME = frozenset({"drive", "plunge", "sink"})


def _whole_foe(words: str) -> str:
    """The foe a part of whom ``words`` name: "its throat" -> "it", "the rat's legs" ->
    "the rat"; ``words`` as they are otherwise. Pure."""
    if _ITS_PART.match(words.strip()) or _THE_PART.match(words.strip()):
        return "it"
    spot = _SPOT_OF.match(words.strip())
    if spot is not None and spot.group("of") != words.strip():
        # "the gap in its armour" (played between stars on the rogue's turn at the
        # Warden: refused, "You are in a fight: ...", the armour read as his own).
        return _whole_foe(spot.group("of"))
    part = _WHOSE_PART.match(words.strip())
    return part.group("whose") if part is not None else words


def _on_turn(world: World, actor: Character) -> bool:
    """Whether a fight goes on in ``actor``'s room and it is ``actor``'s turn."""
    fighting = world.fights.get(actor.room)
    return fighting is not None and fighting.order.current == f"p:{actor.key}"


def _named_exactly(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` are, whole, the name or an alias of someone of the world here,
    or a player's name (a full stop after it at most; not a cry or a question): "a rat",
    "atk crake". Found in review: a prefix ("a m", "a man?", "a smuggler!") started a
    fight with Crake. Pure."""
    said = strip_article(words.strip().rstrip(".")).lower()
    if not said or not re.fullmatch(r"[\w' -]+", said):
        return False
    for npc in world.npcs_in(actor.room):
        tmpl = world.templates.npcs[npc.id]
        if said in {strip_article(n).lower() for n in (tmpl.name, *tmpl.aliases)}:
            return True
    return any(c.name.lower() == said for c in world.people_in(actor.room) if c.key != actor.key)


#: A speedwalk, as other MUDs and their clients type one: "3n2e", "s2e", "run nnee" (a
#: count before a letter, or 'run' before letters).
_SPEEDWALK = re.compile(
    # The steps run together, as a client sends them ("3 s" at the bar is three stews).
    r"\s*(?:(?P<run>run|speedwalk)\s+)?(?P<steps>(?:\d{0,2}[nsewud])+)[.!]?\s*",
    re.I,
)
#: Words of a speedwalk's letters that are words ("run used", "run dude"): no walk.
_SPEEDWALK_WORDS = frozenset(
    """used sued dude dudes nude dune dunes wed wen dew sew sewn new news unwed undue ended
    sense seed seeds need needs weed weeds send sends wend wends den dens dun nun nuns suds
    ewe ewes end ends un us we""".split()  # noqa: SIM905
)
#: A step and the step back: "du", "ns" (a speedwalk never doubles back at once).
_DOUBLED_BACK = frozenset({("n", "s"), ("s", "n"), ("e", "w"), ("w", "e"), ("u", "d"), ("d", "u")})
#: The most steps one speedwalk takes (a slip of the keys, "99n", walks no further).
_SPEEDWALK_MOST = 30


def _speedwalk(line: str) -> list[str] | None:
    """The steps of ``line`` as a speedwalk ("3n2e": north, north, north, east, east),
    or None when it is none: it needs a count or 'run' before it, so a word of those
    letters ("used", "dude") is no walk. Pure."""
    walked = _SPEEDWALK.fullmatch(line)
    if walked is None or not (walked.group("run") or any(c.isdigit() for c in line)):
        return None
    letters = walked.group("steps").lower()
    if letters in _SPEEDWALK_WORDS or re.fullmatch(r"\d+u|\d{2,}[nsewd]", letters):
        # Found in review: "4u" (chat's "for you"), "10s" (ten seconds), "run dude".
        return None
    steps: list[str] = []
    for count, letter in re.findall(r"(\d{0,2})([nsewud])", letters):
        steps += [letter] * (int(count) if count else 1)
    if any(pair in _DOUBLED_BACK for pair in itertools.pairwise(steps)):
        return None
    return steps or None


def _speedwalked(world: World, actor: Character, steps: list[str], ctx: Ctx) -> list[Effect]:
    """The first of ``steps`` walked, and a ``Then`` for the rest once it has moved
    ``actor``: a closed door, a fight or a wall stops the walk where it is (tried as a
    veteran types it: "2s" was "You act: 2s")."""
    step = cmd_go(world, actor, Intent("go", steps[0], steps[0]), ctx)
    moved = any(isinstance(e, Move) and e.who == actor.key for e in step)
    if not moved or len(steps) == 1:
        return step
    # Not "run": in a fight met on the way, that would be a flight (``_dispatch``).
    return [*step, Then(actor.key, "speedwalk " + "".join(steps[1:]))]


def _fights_here(world: World, actor: Character) -> bool:
    """Whether ``actor`` is a fighter in the fight in their room."""
    current = world.fights.get(actor.room)
    return current is not None and current.has(f"p:{actor.key}")


def _aimed_at(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name a foe of the actor's fight, or, out of one, someone of the
    world here (whom a blow in words is struck at)."""
    current = world.fights.get(actor.room)
    if current is not None and current.has(f"p:{actor.key}"):
        return fight.names_a_foe(world, current, _whole_foe(words.strip(" !.")))
    return search.find(search.npcs(world, actor.room), words).ok


def _strike(world: World, actor: Character, words: str, raw: str, ctx: Ctx) -> list[Effect] | None:
    """A blow at someone here as ``attack``: in a fight, at a foe in it ("stab it",
    "thrust my spear at the warden"); out of one, at an NPC here ("stab the rat"); at a
    foe that died here, that it is dead. None when ``words`` name no one (a deed:
    "swing the lantern")."""
    words = _ONESELF.sub("", words.strip())  # "hurl myself at the drowned thing"
    # "..., dagger first"; "finish it!" (played over the fallen Warden: a deed).
    words = words.split(",")[0].rstrip(" !.")
    # "charges in, shield first" (played: refused in the fight): in, at whom 'attack'
    # alone strikes.
    words = _HEADLONG.sub("", words.strip())
    words = _ROUND.sub("", words)  # "circle behind it": at it
    link, _, named = words.strip().partition(" ")
    target = named if link.lower() in ("at", "into") and named else words
    # "thrust my spear at the warden": the foe is after "at", the weapon before it; or
    # before it, where the blow sends them ("kick the rat into the wall": played,
    # refused in the fight).
    aim = _AT.search(target)
    if aim and not (
        _aimed_at(world, actor, target[: aim.start()])
        and not _aimed_at(world, actor, target[aim.end() :])
    ):
        target = target[aim.end() :]
    elif aim:
        target = target[: aim.start()]
    target = _OFF.sub("", target)  # "finish it off", "cut it down"
    # "stab it again" (played: refused in the fight, and the turn ran out).
    target = game.HOW_HARD.sub("", target)
    target = game.WHERE_IT_LANDS.sub("", target)  # "punch it in the face"
    # "smash crake with my mace"; "charges with the spear": at whom 'attack' alone is.
    target = game.WITH_WHAT.sub("", target)
    # A part of the foe is the foe: "stab at its side" (played between stars on the
    # rogue's turn: a pose, and no blow), "slash at the rat's legs".
    target = _whole_foe(target)
    current = world.fights.get(actor.room)
    if current is not None and current.has(f"p:{actor.key}"):
        # "stab", "strike again": the blow names no one, so it is at whom 'attack'
        # alone strikes.
        aimed = not target.strip(" !.") or fight.names_a_foe(world, current, target)
        target = target.strip(" !.")
    else:
        aimed = search.find(search.npcs(world, actor.room), target).ok
    if aimed:
        return game.cmd_attack(world, actor, Intent("attack", target, raw), ctx)
    # "stab the rat" once it fell: played, a deed narrated over the body.
    return _the_dead(world, actor, Intent("attack", target, raw))


def _leaving_here(world: World, actor: Character, words: str) -> bool:
    """Whether "leave ``words``" means leaving the room the actor is in: nothing after
    it, "here", "the room", "this place", or the room's own name ("leave the tavern")."""
    said = words.strip().lower().rstrip(".!")
    if said in ("", "here", "now", "the room", "this room", "this place", "the place"):
        return True
    if lore.room_named(world, actor, said) != actor.room:
        return False
    # Only the room's name: "leave the lantern on the bar" leaves the lantern.
    room = world.room(actor.room)
    return any(lore.keywords(said) <= lore.keywords(n) for n in (room.name, *room.aliases))


def _leave(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """ "leave": out of the room, by its "out" exit, or its only way on; which ways
    there are when there is more than one. Played: "leave" answered "Unknown command
    'leave'. Did you mean 'score'?"."""
    ways = [t.ref for t in search.exits(world, actor)]
    way = "out" if "out" in ways else ways[0] if len(ways) == 1 else ""
    if way:
        return cmd_go(world, actor, Intent("go", way, intent.raw), ctx)
    if not ways:
        return _err(actor.key, "There is no way out of here that you can see.")
    return _err(actor.key, f"Which way? The ways on from here: {', '.join(ways)}.")


def _the_dead(world: World, actor: Character, intent: Intent) -> list[Effect] | None:
    """For a refused line that names a foe dead here ("attack the rat" once it fell),
    that it is dead ("Crake is beaten.", for one with a name of their own); None
    otherwise. Played: "You see no 'rat' here." beside the water
    it had just died in."""
    words = intent.args if intent.verb else intent.args.partition(" ")[2]
    link, _, named = words.strip().partition(" ")
    if link.lower() in _SOCIAL_LINKS and named:
        words = named  # "look at the rat"
    dead = search.dead(world, actor.room)
    found = search.find(dead, words)
    bare = game.WITH_WHAT.sub("", words).strip().lower()
    if found.thing is None and len(dead) == 1 and bare in _IT_WORDS:
        # "hit it with my mace" just after the Warden fell: played, "You see no 'it' here."
        found = search.Found(dead[0])
    if found.thing is None:
        return None
    # One with a name of their own is beaten, a beast dead: played, "Crake is dead."
    # just after he "slumps against the shutter, done with fighting".
    fate = "beaten" if is_proper(found.thing.name) else "dead"
    return _err(actor.key, f"{capitalise(definite(found.thing.name))} is {fate}.")


def _struck_dead(world: World, actor: Character, verb: str, pose: str) -> list[Effect] | None:
    """For a blow posed out of a fight (a striking ``verb``, or a weapon of ``actor``'s
    named) at a foe that died here: the pose shown as typed, and its poser told the foe
    is dead already; None otherwise. Played: the rat killed by a friend's blow, "*brings
    the sword down on the rat's back*" was "You try to bring the sword down on the
    rat's back." and narrated as a deed."""
    if actor.room in world.fights:
        return None
    if verb not in _STRIKES and (verb in _WEAPON_CARE or not game.weapon_named(world, actor, pose)):
        return None
    said = {w.removesuffix("'s") for w in re.findall(r"[a-z'-]+", pose.lower())}
    dead = search.dead(world, actor.room)
    for thing in dead:
        names = {thing.name.lower().split()[-1], *(a.lower() for a in thing.aliases)}
        # "drives the shortsword into its back", "*stabs again*": the one foe dead here.
        if len(dead) == 1 and (
            said & {"it", "its", "him", "his"}
            or (verb in _STRIKES and said <= {pose.split()[0].lower(), *_STRUCK_HOW})
        ):
            names.update(said)
        if names & said:
            fate = "beaten" if is_proper(thing.name) else "dead"
            told = f"({capitalise(definite(thing.name))} is {fate} already.)"
            return [*_posed(world, actor, pose), Tell(actor.key, Doc.text(tag("dim", esc(told))))]
    return None


def _posed_words(actor: Character, text: str) -> str:
    """``text``, typed in the third person, without ``actor``'s name opening it: the
    pose ("Oswin swings at the rat." -> "swings at the rat")."""
    head, _, rest = text.strip().partition(" ")
    return rest.strip().rstrip(".!") if head.lower() == actor.name.lower() else text.strip()


def _struck_dead_in(world: World, actor: Character, pose: str) -> list[Effect] | None:
    """``_struck_dead`` for ``pose``, a pose in the third person, by its first verb or
    the verb after its "and": "steps up beside her and swings at the rat", the rat just
    killed by her blow (played: "You try to step up beside her and swing at the rat.",
    narrated as a deed)."""
    for part in (pose, *_AND_THEN.split(pose, maxsplit=1)[1:]):
        first = part.split(maxsplit=1)[0].lower() if part.split() else ""
        dead = _struck_dead(world, actor, _plain_verb(first) or first, pose) if first else None
        if dead is not None:
            return dead
    return None


#: What is done to a weapon that strikes no one: "*wipes her blade on her sleeve*" by the
#: dead rat (played: "(The bog rat is dead already.)").
_WEAPON_CARE = frozenset(
    "wipe clean sheathe sheath draw polish sharpen hone oil check inspect twirl".split()  # noqa: SIM905
) | frozenset("spin flip holster stow tuck shake dry examine".split())  # noqa: SIM905
#: How a blow is struck, with nothing struck named: "*stabs again*", "*swings wildly*".
_STRUCK_HOW = frozenset(
    {"again", "hard", "harder", "wildly", "once", "more", "fiercely", "twice", "down", "out"}
)
#: The words of one number of the sheet ('score' answers them alone).
_SHEET_WORDS = game.SHEET_NUMBERS
#: The one foe just fought, unnamed.
_IT_WORDS = frozenset({"it", "him", "her", "them", "that thing", "the thing"})


def _remains(world: World, actor: Character, words: str) -> list[Effect] | None:
    """ "loot the rat", "search the body": what the foe dead here left, when ``words``
    name one (or a body, corpse or remains, and one died here); None otherwise.
    Played: "loot the rat" was a deed narrated over nothing, and "search the body" a
    WIS check that found nothing."""
    here = search.dead(world, actor.room)
    if not here:
        return None
    found = search.find(here, words).thing
    if found is None and _REMAINS.fullmatch(words.strip()):
        found = here[-1]
    if found is None:
        return None
    tmpl = world.templates.npcs[found.ref]
    name = definite(tmpl.name)
    if not tmpl.carries and not tmpl.gold and not tmpl.drops:
        return _say(actor.key, f"There is nothing worth taking on {name}.")
    parts = [
        # What it drops falls with it too (found in review: the corpse-light's bead of
        # wisp-glass at one's feet, and "nothing worth taking on the corpse-light").
        *(["what was carried fell with the body"] if tmpl.carries else []),
        *(["what it left lies where it fell"] if tmpl.drops and not tmpl.carries else []),
        *(["the coins went to those who fought"] if tmpl.gold else []),
    ]
    lying = [indefinite(t.name) for t in search.floor(world, actor.room)]
    where = f" Lying here: {', '.join(lying)}." if lying else ""
    told = f"Nothing more is to be had from {name}: {', and '.join(parts)}.{where}"
    return _say(actor.key, told)


#: What players call what a fallen foe leaves ("search the body").
_REMAINS = re.compile(
    r"(?:the\s+|its\s+|his\s+|her\s+)?(?:body|corpse|remains|carcass|dead\s+\w+)", re.I
)
#: Taking from a fallen foe's remains: "all corpse", "all from the body", "corpse".
_FROM_REMAINS = re.compile(
    r"(?P<all>(?:all|everything)\s+)?(?:(?:from|off|on|of)\s+)?(?:(?:the\s+)?[\w-]+'s\s+)?(?:"
    + _REMAINS.pattern
    + ")",
    re.I,
)
#: Words for throwing a thing.
_THROWING = frozenset({"throw", "splash", "hurl", "fling", "toss"})
#: Where a thing is thrown: "at the warden", "on the rat", "over it".
_THROWN_AT = re.compile(r"\s+(?:at|on|onto|over|into)\s+\S.*$", re.I)


def _thrown(world: World, actor: Character, words: str) -> list[Effect] | None:
    """For a thing ``actor`` carries thrown ("throw blessed water at the warden"), what
    it is for instead, when throwing it would do nothing the engine decides: a potion or
    a flask is drunk ("drink blessed water", and what it does), and in a fight a blow is
    struck with what one holds. None for anything else (a deed for the Dungeon Master:
    "throw a stone into the pool"). Played: "You are in a fight: attack, defend, ..."
    to a lamp-keeper throwing her blessed water at the Drowned Warden."""
    named = _THROWN_AT.sub("", words.strip()).strip()
    found = search.find(search.carried(world, actor), named, search.CARRIED)
    if found.thing is None or not named:
        return None
    tmpl = world.item_template(found.thing.ref)
    effect = tmpl.effect
    if tmpl.kind == "consumable" and effect is not None:
        does = (
            f"you are {effect.condition} for {effect.rounds} rounds"
            if effect.condition
            else "it heals you"
        )
        return _err(
            actor.key,
            f"{capitalise(definite(tmpl.name))} is for drinking, not throwing: "
            f"'drink {named}' and {does}.",
        )
    current = world.fights.get(actor.room)
    if current is not None and current.has(f"p:{actor.key}"):
        return _err(
            actor.key, "Keep hold of it: in a fight you strike with what you hold ('attack')."
        )
    return None


_LOOTING = frozenset({"loot", "search", "rob", "frisk", "strip", "plunder", "rummage"})


def _by_pronoun(intent: Intent) -> bool:
    """Whether ``intent`` names its object only by a pronoun where the line may not be
    refused for it: "ask her about Edda" (a question for the DM otherwise), "read it"
    and "open it" (deeds otherwise: played, "open it" after "get the locket" was "You
    try to open it.")."""
    head, _, rest = intent.args.partition(" ")
    if intent.verb == "ask":
        return bool(_HIM.fullmatch(head))
    if intent.verb in ("open", "close"):
        return bool(_IT.fullmatch(intent.args.strip()))
    return not intent.verb and head.lower() in _READ_WORDS and bool(_IT.fullmatch(rest.strip()))


def _referring(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect] | None:
    """``intent``'s line (refused, or ``_by_pronoun``) run again with its pronoun made
    the thing the actor's lines before last named (``ctx.recent``: "order stew", then
    "eat it"), when the line is a command that does something, talk, ask, a social or
    reading; None when there is nothing to refer to, or it is refused again and the
    thing is not here. Played: Bram's "eat it" after "order stew" read "You are not
    carrying 'it'.", and "read it" after "get the packet" was a deed. With nothing
    named, "it" is the thing another player last handed the actor (``World.handed``)."""
    raw = intent.raw.strip()
    word = raw.split(maxsplit=1)[0]
    doable = intent.verb in _REFERRING or (
        not intent.verb
        and (word.lower() in _READ_WORDS or world.templates.social(word) is not None)
    )
    if not doable or not (_IT.search(raw) or _ONE.search(raw) or _HIM.search(raw)):
        return None
    thing = _named_before(world, actor, ctx)
    player = thing is not None and thing.lower() in world.chars  # a key is the name, lowered
    if player and _IT.search(raw) and not _HIM.search(raw):
        # "It" is no person: played, "thanks quill! toast quill", then "drink it" (the ale
        # Quill had just handed over) was "You are not carrying 'quill'.".
        thing = None
    handed = world.handed.get(actor.key, "")
    if thing is None and _IT.search(raw) and handed in actor.inventory:
        # Nothing named: "it" is what another player handed them last. Played: "drink
        # it" just after Fenwick gave Juniper the potion was "You are not carrying 'it'.".
        thing = world.item_template(handed).name
    if (
        not intent.verb
        and word.lower() in _READ_WORDS
        and _IT.search(raw)
        and not (thing and _is_item_at_hand(world, actor, thing))
    ):
        # "search the hearth", then "unwrap it": the packet just uncovered, not the
        # hearth (played: "You try to unwrap it.").
        thing = _loose_it(world, actor) or thing
    if thing is None and intent.verb == "get" and _IT.search(raw):
        # Nothing named: "take it" of the one kind of thing lying here (played: the
        # Lamplighter's lantern lay on the floor after Osric's "who takes the
        # lantern?", and "i'll take it" was said, "take it" "You see no 'it' here.").
        lying = {t.name for t in search.floor(world, actor.room)}
        thing = lying.pop() if len(lying) == 1 else None
    if thing is None:
        return None
    joint = _AND.search(raw)
    said = raw[joint.end() :].strip() if joint is not None else ""
    if said and _said_clause(said):
        # "take it, it's the saint's": the thing taken, then the words said, which
        # keep their own "it".
        line = _refer(world, actor, raw[: joint.start()] if joint else raw, thing)
        taken = _dispatch(world, actor, parse(line, ALIASES), ctx)
        if phrasing.refused(taken, actor.key):
            return None
        return [*taken, Then(actor.key, f"say {said}"[:MAX_SAY])]
    line = _refer(world, actor, raw, thing)
    if line == raw:
        return None
    again = _dispatch(world, actor, parse(line, ALIASES), ctx)
    if not phrasing.refused(again, actor.key):
        return again
    # Refused again: why, when the thing is still here ("You cannot wield the hooded
    # lantern."), not "You are not carrying 'it'.".
    here = [*search.around(world, actor), *search.people(world, actor.room, besides=actor.key)]
    return again if search.find(here, thing).ok else None


def _named_before(world: World, actor: Character, ctx: Ctx, *, beside: bool = False) -> str | None:
    """The words for what the actor's lines before last named (``ctx.recent``), that
    "it" may mean now (``_still_named``; ``beside``: also a thing another beside them
    carries, ``lore.what_is``): the last clause that named something. "order an ale and
    drink it" named the ale; "take the map", "look at it", then "give it to Wynn" the
    map. None when nothing is."""
    # By sentence too: "thanks bessa! I'll have the stew first then", then "eat it".
    clauses = [
        c
        for line in ctx.recent[-REFERRING:]
        for sentence in address.SENTENCE.split(line.strip())
        for c in _AND.split(sentence)
    ]
    for clause in reversed(clauses):
        ordered = _ASKING_FOR.match(clause.strip())
        # "I'll grab the map scrap", then "read it" (played: the papers were read).
        clause = _I_WILL.sub("", clause, count=1) if _I_WILL.match(clause) else clause
        before = parse(clause, ALIASES)
        word, _, words = clause.strip().partition(" ")
        if before.verb in _DOABLE:
            thing = _thing_of(before.args)
        elif word.lower() == "order" or world.templates.social(word) is not None:
            thing = _thing_of(words)
        elif ordered is not None:
            thing = ordered.group(1)  # "I'd like the blessed water, please"
        else:
            continue
        if (
            thing
            and not (_IT.fullmatch(thing) or _HIM.fullmatch(thing))
            and (
                _still_named(world, actor, thing)
                or (beside and lore.what_is(world, actor, thing) is not None)
            )
        ):
            return thing
    # Or a thing one carries, named in words one said: "sister aldith! I found saint
    # ysolde's lantern! *holds it out to her*" (played: "You are not carrying 'it'.").
    for line in reversed(ctx.recent[-REFERRING:]):
        said = f" {' '.join(_WORDS.findall(line.lower()))} "
        for item in actor.inventory:
            tmpl = world.item_template(item)
            for name in (tmpl.name, *tmpl.aliases):
                if f" {' '.join(_WORDS.findall(name.lower()))} " in said:
                    return name
    return None


#: Running from a fight, as players type it: "run!", "run away", "retreat up", "get out
#: of here" (``flee``).
_RUNNING = re.compile(
    r"^\W*(?:run(?:\s+away|\s+for\s+it)?|retreat|escape|get\s+out(?:\s+of\s+here)?|bolt)"
    r"\b(?P<rest>.*)$",
    re.I,
)


def _running_last(text: str) -> tuple[str, str] | None:
    """The words said and the way named (or "") of a line whose last sentence, after
    others, is running from a fight ("we can't win this. run!", "no. run north!");
    None otherwise, or when more than a way follows the run ("... run to the door")."""
    sentences = address.SENTENCE.split(text.strip())
    if len(sentences) < 2:
        return None
    running = _RUNNING.match(sentences[-1])
    if running is None:
        return None
    rest = running.group("rest").strip(" !.")
    way = named_way(rest) or "" if rest else ""
    if rest and not way:
        return None
    return " ".join(sentences[:-1]), way


#: A line's last clause after a comma or a sentence's end: "omg what do i do, hit it!!".
_LAST_CLAUSE = re.compile(r"^(?P<words>.*\w.*?)\s*[,;.!?]+\s+(?P<last>[^,;.!?]+?)\s*[.!?]*$")
#: What a blow's words may aim at, with no name: the one foe, as 'attack' alone has it.
_BLOW_AT = game.FOE_PRONOUNS | {""}


def _blow_last(text: str) -> tuple[str, str] | None:
    """The words said and the blow struck (the command) of a line whose last clause,
    after words that are no command, is a blow at the foe ("omg what do i do, hit
    it!!" -> ("omg what do i do", "attack")); None otherwise. For one whose turn it is
    in a fight."""
    found = _LAST_CLAUSE.match(text.strip())
    if found is None or text.rstrip().endswith("?"):
        return None  # "so what now, attack it?": asked, not struck
    blow = parse(found.group("last"), ALIASES)
    if blow.verb != "attack" or blow.args.strip(" !.?").lower() not in _BLOW_AT:
        return None
    words = found.group("words").strip()
    if parse(words, ALIASES).verb or not is_spoken(words):
        return None
    return words, "attack"


#: A question put as "remind me ...": "remind me what we're doing", "remind us where".
_REMIND_ME = re.compile(r"^\W*remind\s+(?:me|us)\s+(?:what|where|how|who|which|why)\b", re.I)


_GUARDING = (
    r"(?:(?:raise|lift|ready|get)\s+(?:my|the|our)\s+shields?(?:\s+up)?|shields?\s+up"
    r"|brace\s+(?:myself|ourselves|for\b[^,]*)|(?:hold|stand)\s+(?:my|our)\s+ground"
    r"|hold\s+the\s+(?:line|stair|stairs|door|way|bridge)|guard\s+myself"
    r"|(?:take|keep)\s+(?:a\s+|my\s+)?(?:defensive\s+stance|guard)|stay\s+on\s+guard)"
)
#: Guarding oneself in a fight, as players type it: "raise my shield", "brace myself",
#: two of them ("raise my shield and hold the stair").
_DEFENDING = re.compile(
    rf"^(?:i\s+)?{_GUARDING}(?:\s*(?:,|and|,\s*and)\s+{_GUARDING})*\s*[.!]*$", re.I
)
#: "get out", "get out of here": the way out, out of a fight.
_GET_OUT = re.compile(r"\s*get\s+out(?:\s+of\s+here)?[\s.!]*", re.I)
#: Asking where one is: the room, as 'look' shows it (played: "what is this place?" was
#: the DM's "You turn the question over.").
_WHERE_AM_I = frozenset(
    [
        "where am i",
        "where are we",
        "what is this place",
        "what's this place",
        "what place is this",
        "what can i see",
        "what can i see from here",
        "what do i see",
        "what is around me",
        "what's around me",
    ]
)


def _names_someone_here(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` open with the name of a player or NPC in ``actor``'s room."""
    return search.find_leading(_people_here(world, actor), words)[0].thing is not None


def _people_here(world: World, actor: Character) -> list[search.Thing]:
    """The players ``actor`` sees in their room, but themself, then its NPCs."""
    return [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]


#: A line that asks for the line before once more: "again", "again!", "once more",
#: "same again", "and again", or "!" (a MUD's own); and, in a fight, "try again" alone
#: ("try that again"). Out of one, "try again", as "let me try again", tries the roll here
#: last tried (``_TURN``; played in Pell's cell after a failed feel along the boards,
#: "You try again." and "You do what needs doing, and nothing more."; found in review:
#: run as one's own line before, it gave Pell 2 gold twice).
_ONCE_AGAIN = re.compile(
    r"^\s*(?:!|(?:and\s+|same\s+)?again|once\s+more|one\s+more\s+time"
    r"|try\s+(?:(?:it|that|this)\s+)?(?:again|once\s+more))\s*[!.]*\s*$",
    re.I,
)
#: "try again" of ``_ONCE_AGAIN``: out of a fight, an ask for a go (``_TURN``).
_TRY_AGAIN = re.compile(r"^\s*try\b", re.I)


def _again(world: World, actor: Character, intent: Intent, ctx: Ctx) -> str | None:
    """The line ``intent`` asks to be run again (``_ONCE_AGAIN``): the actor's last line
    that was not itself such an ask (``ctx.recent``), for "!" whatever it was, for
    "again" a thing done (not words: "hello", then "again", is not said twice, nor a
    question asked again); in a fight the actor is in, "again" is their last blow or
    guard, or else a blow ("attack"): played, "again" on the rogue's turn at the
    Lamplighter unlocked the iron door she had come through; and just after it, "again"
    after "again" with a foe fallen here, that it is dead. None otherwise."""
    if intent.verb or not _ONCE_AGAIN.match(intent.raw):
        return None
    if _TRY_AGAIN.match(intent.raw) and not _fights_here(world, actor):
        return None  # an ask for a go (``_TURN``)
    before = next((line for line in reversed(ctx.recent) if not _ONCE_AGAIN.match(line)), "")
    if intent.raw.strip() == "!":
        return before or None
    if _fights_here(world, actor):
        word = before.split()[1:2] if before.lower().startswith("i ") else before.split()[:1]
        fought = parse(before, ALIASES).verb in _FIGHT_VERBS or (
            bool(word) and word[0].lower() in (_STRIKES | _GOING_FOR)
        )
        return before if fought else "attack"
    dead = search.dead(world, actor.room)
    if ctx.previous and _ONCE_AGAIN.match(ctx.previous) and dead:
        # "again" after "again"s, a foe fallen here: the fight just ended, and the
        # blow is asked again (played: the Lamplighter down, "again" looked round the
        # hall, the line before the fight): that it is dead.
        return f"attack {dead[0].name}"
    if not before.strip():
        return None
    said = parse(before, ALIASES)
    if said.verb in _TALKING or said.verb == "help":
        return None
    if not said.verb and (is_spoken(before) or is_reply(before) or before.rstrip().endswith("?")):
        return None
    return before


def _my_command(world: World, actor: Character, intent: Intent, ctx: Ctx) -> str | None:
    """The command after "I" in ``intent``'s free text ("I open the trapdoor": "open the
    trapdoor"; "I stab it", "I go for its throat" in a fight), when it is one that would
    be done (``_doable``); None otherwise: "I pry at the stone" is a deed the rules roll
    as it is typed, "I think so" is said, and a command that would be refused ("I open
    the window", no door so called) stays a deed for the DM."""
    first, _, rest = intent.args.strip().partition(" ")
    if intent.verb or first.lower() != "i" or not rest.strip() or is_spoken(intent.args):
        return None
    deed = rest.strip()
    adverb = _HOW_DONE.match(deed)
    if adverb is not None and deed[adverb.end() :] and parse(deed[adverb.end() :], ALIASES).verb:
        # "I quietly pocket the rusty key" (played by a party: "You try to quietly
        # pocket ...", narrated done, and the key left on the floor): the command, its
        # manner aside.
        deed = deed[adverb.end() :]
    word = deed.split()[0].lower()
    command = parse(deed, ALIASES)
    if word in _GOING_FOR and _gone_for(world, actor, deed[len(word) :]) is not None:
        return deed  # "I go for its throat", "I aim for its eyes"
    whom = re.sub(r"^(?:to|with)\s+", "", command.args.strip(), flags=re.I)
    if command.verb == "tell" and whom:
        name, _, said = whom.partition(" ")
        said = re.sub(r"^that\s+", "", said.strip(), flags=re.I)
        mate = address.player_beside(world, actor, name.strip(",:"))
        if mate is not None and said:
            # "I tell ann that mara owes me gold": said to her aloud, as one at the
            # table says it (played: a deed, "Vex tries to tell Ann that ...").
            return f"say {mate.name}, {said}"
        if said and any(
            search.score(npc, name.strip(",:").lower()) == 2
            for npc in search.npcs(world, actor.room)
        ):
            return deed  # "I tell bessa we found the locket": told to her, as 'tell' is
    trial = evolve(ctx, rng=ctx.rng.fork())
    if (
        (command.verb in _TALKS and _names_someone_here(world, actor, whom))
        or (word == "order" and game.order(world, actor, deed.partition(" ")[2], trial))
        or _studied(world, actor, word, deed.partition(" ")[2])
        or (word in _TURNING and _TO_THE_LIGHT.match(deed.partition(" ")[2]) is not None)
    ):
        # "I ask Bessa what she remembers ...", "I talk to bessa", "I order a bowl of
        # eel stew", "I study the map" (played: each a deed, "INT check ... failure").
        return deed
    if command.verb not in _DOABLE:
        # A blow, or at a foe dead here that it is dead ("I stab it" over the rat: tried,
        # a deed narrated).
        trial = evolve(ctx, rng=ctx.rng.fork())  # tried: the world's dice untouched
        struck = word in _STRIKES and _strike(world, actor, deed[len(word) :], deed, trial)
        return deed if struck else None
    if _doable(world, actor, deed, ctx):
        return deed
    # Refused, the refusal is the answer ("The trapdoor is locked."), unless what it
    # names is not here at all: "I open the window" is the DM's.
    tried = _dispatch(world, actor, command, evolve(ctx, rng=ctx.rng.fork()))
    return None if _NOT_THERE.search(phrasing.told(tried)) else deed


#: One's own lead taken, and where: "leads the way up the stairs", "leads on
#: downstairs", "lead the others out".
_LEADING_OFF = re.compile(
    r"^\s*leads?\s+(?:the\s+way|on|us|them|the\s+others|the\s+group|everyone)\s+"
    r"(?P<way>(?:back\s+|on\s+|onward\s+)?(?:up|down|in|out|into|to|toward|towards|through|across|along"
    r"|north|south|east|west|upstairs|downstairs|inside|outside|home)\b[^.!?]*)[.!]*\s*$",
    re.I,
)


#: Facing somewhere: "turns to the door", "turns toward Hob", "faces the stair".
_TURNING_TO = frozenset({"turn", "wheel", "spin", "swing", "whirl"})
_FACING = re.compile(
    r"^\s*(?:back\s+|a?round\s+|about\s+)?(?:to|toward|towards|to\s+face)\s+\S", re.I
)
#: The words of a way before the place it leads to: "out along", "back down to".
_LEAD_WORDS = re.compile(
    r"^(?:(?:back|on|onward|up|down|in|out|into|to|toward|towards|through|across|along|onto"
    r"|over)\s+)+",
    re.I,
)


#: Words for a close look at a thing here ("study the lantern"): ``examine`` it.
_STUDYING = frozenset({"study", "inspect", "scrutinise", "scrutinize", "peruse"})


#: A thing turned or held to the light, or turned over, to be looked at: "turn the map
#: to the light", "holds it up to the lamp", "turns the key over in her hands".
_TO_THE_LIGHT = re.compile(
    r"^(?P<thing>.+?)\s+(?P<how>(?:up\s+)?(?:to|toward|towards|into|in|against)\s+(?:the\s+)?"
    r"(?:light|lamp\w*|candle\w*|fire\w*|window|sun\w*|moon\w*)\b.*)"
    r"|^(?P<over>.+?)\s+(?P<overhow>over(?:\s+(?:in|between)\s+\w+\s+(?:hands?|fingers))?)\s*[.!]*$",
    re.I,
)
_TURNING = frozenset({"turn", "tilt", "hold", "raise", "lift", "angle"})


def _held_to_light(
    world: World, actor: Character, word: str, rest: str, ctx: Ctx
) -> list[Effect] | None:
    """ "<word> <rest>" turning or holding a thing here or carried to the light, or
    turning it over (``_TO_THE_LIGHT``): a close look at it, as ``examine`` shows it,
    and the others here see it done; None for any other line. Played: "Oriane picks up
    the scrap of map and turns it to the light." read "You try to turn the scrap of map
    to the light.", narrated "You go about it steadily.", and its words never shown."""
    lit = _TO_THE_LIGHT.match(rest.strip()) if word.lower() in _TURNING else None
    if lit is None:
        return None
    thing = lit.group("thing") or lit.group("over")
    how = lit.group("how") or lit.group("overhow")
    found = search.find(search.around(world, actor), thing.strip()).thing
    if found is None or found.kind != "item":
        return None
    looked = cmd_examine(world, actor, Intent("examine", thing.strip(), rest), ctx)
    if actor.hidden or phrasing.refused(looked, actor.key):
        return looked
    how = game.own_words(how.strip(" .!"), by_actor=False, actor=actor)
    done = f"{phrasing.third_person(word.lower())} {definite(found.name)} {how}."
    return [
        *looked,
        ToRoom(actor.room, Doc.text(f"{_name(actor)} {esc(done)}"), exclude=(actor.key,)),
    ]


def _studied(world: World, actor: Character, word: str, rest: str) -> bool:
    """Whether "<word> <rest>" is a close look (``_STUDYING``) at a thing
    here or one the room's words describe, which ``examine`` shows: "study the line of
    mud" in Edda's room (played: "You study the line of mud.", and a narration of
    nothing). Not at a feature whose check the builder gave the word ("study the
    papers" rolls, as the builder wrote: played, their description shown, no roll)."""
    if word.lower() not in _STUDYING or not rest.strip():
        return False
    if game.checked_feature_named(world, actor, rest, word):
        return False
    return _names_a_thing(world, actor, rest) or bool(
        scenery(world.room_text(actor.room, actor.key), rest)
    )


#: Commands of talk to someone here, done when "I" opens them ("I ask Bessa about Edda").
_TALKS = frozenset({"ask", "talk"})
#: How a thing is done, before the verb: "quietly", "carefully and slowly".
_HOW_DONE = re.compile(r"(?:[a-z]+ly(?:,?\s+and\s+|,\s*|\s+))+", re.IGNORECASE)

#: A refusal for a thing not here at all: "You see no 'window' here.".
_NOT_THERE = re.compile(r"You see no\b|You are not carrying\b|No one here\b|Nobody here\b")


def _first_person(
    world: World, actor: Character, text: str, ctx: Ctx, plain: str | None = None
) -> str | None:
    """``text`` as the actor's own deed when it is typed in the third person, the way an
    emote is: opening with the actor's name ("fenwick opens the trapdoor and peers down":
    "open the trapdoor and peer down", each clause's verb made plain, "his" made "my"),
    or with a verb whose plain form is a command ("unlocks the trapdoor": "unlock the
    trapdoor") or any other verb ("peers down": "peer down"; not words said, "sounds
    good", nor a name). None otherwise (the socials read "nods" already). ``plain``: the
    deed as the player wrote it in the first person, "I" left out, for ``text`` told
    from it ("tip my hat to Bessa" of "Alice tips their hat to Bessa")."""
    words = text.split()
    if not words or text.rstrip().endswith("?"):
        return None  # "does it fit?" asks (tried: "You ask the DM: do it fit?")
    if _THANKS_FOR.match(text) or _ROUND_CALLED.fullmatch(text.strip()):
        # "thanks for the help" is words (played: "You try to thank for the help."), and
        # "drinks on me!" a round bought (played: "You are not carrying 'on me!'.").
        return None
    if len(words) > 2 and _MANNER.fullmatch(words[0]) and _plain_verb(words[1]) is not None:
        # "quietly pockets the rusty key" (tried: "You try to quietly pockets ...").
        return _first_person(world, actor, " ".join(words[1:]), ctx)
    if words[0].lower().strip(",:") == actor.name.lower() and len(words) > 1:
        if words[1].lower().strip(".,!") in _INTRODUCED:
            # "Ivo here. sure, lead on" is who one is, then words (played: posed, "Ivo
            # here. sure, lead on.", and the invitation it answered stood).
            return None
        lone = words[1].rstrip(".!")
        if (
            len(words) == 2
            and not words[0].endswith(",")  # "bob, hello": said
            and lone.isalpha()
            and not (is_spoken(words[1]) or is_reply(words[1]))
            and lone.lower() not in GREETINGS
            and direction_of(lone) is None
            and not parse(lone, ALIASES).suggestion  # "Bob north.": did you mean 'north'?
            and _plain_verb(lone) is None
            and lone.lower() not in ALIASES
            and world.templates.social(lone) is None
        ):
            # One word after one's own name that is no English verb in the third
            # person: a pose of another language, as typed ("Bob sourit.": played by a
            # French player, "Bob tries to sourit.").
            return f"emote {words[1]}"
        poses = _own_poses(actor, " ".join(words[1:]))
        step = poses[0].split()
        # "Mara wades out to the altar and runs her hands over the carved woman" (played:
        # "You cannot go out from here."): as between stars, the step shown and what is
        # done there done.
        stepping = (
            len(step) > 2
            and _plain_verb(step[0].lower()) in _APPROACHING
            and _APPROACH.fullmatch(" ".join(step[1:]).rstrip(".!")) is not None
        )
        if 1 < len(poses) <= 3 or stepping:
            # "Mara eyes the old man, then the key. She moves toward it without a sound."
            # (played: "You try to eye the old man, then the key. She moves ..."): each
            # sentence a pose of its own, as between stars.
            return " ".join(f"*{pose.strip().rstrip('.!')}*" for pose in poses)
        if _LEADING_OFF.match(" ".join(words[1:])):
            return f"*{' '.join(words[1:]).rstrip('.!')}*"  # walked, as between stars
        mine = plain if plain is not None else _made_mine(" ".join(words[1:]), actor)
        if (
            not _only_tried(world, actor, mine, ctx)
            or _it_before(mine)
            or game.npc_done_to(world, actor, mine) is not None
        ):
            # A deed at "it" is at a thing, which the line before named: tried, as a
            # deed at a thing here is ("I sniff it suspiciously" after the stew bought);
            # and one done to someone of the world is theirs to answer, in the DM's
            # narration ("I tip my hat to Bessa Thorn", "Alice flirts with Bessa").
            return mine
        # What would only be tried, nothing rolled or done, is a pose as between stars:
        # a deed at a thing here is still tried, and anything else shown as typed
        # ("Pell shakes the rain off his cloak and nods to the other stranger.": played,
        # "Pell tries to shake the rain off their cloak and nod ...", the gesture
        # narrated as an attempt and his words lost).
        return f"*{poses[0].strip().rstrip('.!')}*"
    plain_verb = _plain_verb(words[0])
    if plain_verb == "try" and len(words) > 2 and words[1].lower() == "to":
        # "tries to turn it": the deed tried (tried: "You try to try to turn it.").
        return _first_person(world, actor, " ".join([f"{words[2]}s", *words[3:]]), ctx)
    if plain_verb == "try" and len(words) > 1 and words[1].lower().endswith("ing"):
        # "tries turning it" (played: "Dunn tries turning it.", a pose, and the carved
        # lantern not turned): the deed in its plain form.
        rest = words[2:]
        tried = [f"{v} {' '.join(rest)}".strip() for v in _plain_of_ing(words[1])]
        done = next((t for t in tried if _doable(world, actor, t, ctx, decided=False)), "")
        return _made_mine(done or tried[0], actor) if tried else None
    if plain_verb is None or words[0].lower() in ALIASES or is_spoken(text) or is_reply(text):
        return None  # "looks like rain" (tried: "You see no 'like rain' here.")
    if direction_of(words[0].strip(",.!")) is not None:
        return None  # "upstairs then. her room" (played: "You try to upstair then. ...")
    if plain_verb in ALIASES:
        # "*sips her ale*": her own (tried: "You are not carrying 'her ale'.").
        return _made_mine(" ".join([plain_verb, *words[1:]]), actor)
    if not _names_someone_here(world, actor, words[0]):
        # "peers down", "leans on the bar", "shakes out his cloak": the deed as "I" do it
        # (tried: "You try to peers down.", "You try to shakes out his cloak.").
        return _made_mine(text, actor)
    return None


#: Verbs of words told, not commands: "I order the guards to stand down".
_TOLD_TO = frozenset({"order", "command", "demand", "beg", "plead", "promise", "insist"})


def _told_of(world: World, actor: Character, text: str) -> str | None:
    """``text``, a deed the actor wrote in the first person ("I nod to Fen", "I shake
    the rain from my cloak and take a seat"), in the third person with the actor's name
    first, as a pose is written ("Ashe nods to Fen"), by their pronouns
    (``phrasing.told_by_name``); None for a line not opened by "I", or said ("I think
    so"), or no deed ("I am lost")."""
    words = text.split(maxsplit=2)
    if len(words) < 2 or words[0].lower() != "i" or is_spoken(text):
        return None
    verb = words[1].lower().strip(",.!")
    if ALIASES.get(verb) in _TALKING or verb in _TOLD_TO or verb in ("try", "attempt"):
        # "I tell a joke", "I order the guards to stand down", "I say we rest": the
        # deed of words, for the DM as before ("Vex tells a joke" would tell 'joke');
        # and "I try to whistle a tune" is a deed tried, as typed.
        return None
    forms = presence.PRONOUN_FORMS[presence.pronouns(actor) or "they"]
    verbs = frozenset(ALIASES) | frozenset(s.word for s in world.templates.socials.values())
    told = phrasing.told_by_name(text, actor.name, forms, verbs)
    if told is None:
        return None
    # The players it names by their names' capitals, as a pose shows them ("beside
    # cole": "beside Cole", whose "his" after it is then his).
    return _as_their_names(told, _players_named(world, actor, told).values())


def _trial(world: World, actor: Character, deed: str, ctx: Ctx) -> list[Effect]:
    """What ``deed``, typed as free text, would do, tried on a fork of the dice: the
    world's own dice untouched, its effects for the caller to read, not carry out."""
    return _dispatch(world, actor, parse(deed, ALIASES), evolve(ctx, rng=ctx.rng.fork()))


def _for_the_dm(world: World, actor: Character, deed: str, ctx: Ctx) -> bool:
    """Whether ``deed``, typed as free text, is a deed the Dungeon Master narrates (no
    command, social or walk), or a command refused for naming nothing here ("look
    under the tables", as ``_my_command`` leaves "I open the window" to the DM), by its
    ``_trial``."""
    tried = _trial(world, actor, deed, ctx)
    return any(isinstance(e, AskNarration) and e.kind == "action" for e in tried) or bool(
        _NOT_THERE.search(phrasing.told(tried))
    )


def _only_tried(world: World, actor: Character, deed: str, ctx: Ctx) -> bool:
    """Whether ``deed``, typed as free text, would only be tried: told as an attempt
    for the Dungeon Master with nothing rolled ("You try to shake the rain off your
    cloak."), nothing said, done or refused, by its ``_trial``."""
    tried = _trial(world, actor, deed, ctx)
    return (
        any(
            isinstance(e, AskNarration) and e.kind == "action" and e.outcome.kind == "none"
            for e in tried
        )
        and all(isinstance(e, (Tell, ToRoom, AskNarration)) for e in tried)
        and not phrasing.refused(tried, actor.key)
    )


#: How the room speaks of one who chose no pronouns.
_THEIRS = re.compile(r"\b(?:their|theirs|them|themself|themselves)\b", re.I)


def _reads_their(effects: Sequence[Effect], actor: Character) -> bool:
    """Whether ``effects`` tell the others of ``actor`` as "their" (a line to the room
    that says it) or ask for a narration of them, which will: what ``_pronoun_hint``
    tells of. Not a power's use alone ("Oswin uses Ysolde's Light, and heals 6": played,
    the hint given for "presses a hand to his wound", and nothing read "their")."""
    for effect in effects:
        if isinstance(effect, AskNarration):
            deed = effect.who == actor.key and effect.kind == "action"
            if deed and effect.outcome.kind != "power":
                return True  # a deed, told again in the narration in its words
            if any(
                beat.actor == actor.name and any(_THEIRS.search(m) for m in beat.manner[1:])
                for beat in effect.outcome.beats
            ):
                return True  # a blow, told in the round's narration as they struck it
            continue
        if isinstance(effect, ToRoom) or (isinstance(effect, Tell) and effect.who != actor.key):
            text = " ".join(b.markup for b in effect.doc.blocks if isinstance(b, Para))
            if _THEIRS.search(text):
                return True
    return False


def _pronoun_hint(world: World, actor: Character, pose: str) -> list[Effect]:
    """Once a run, for a player who chose no pronouns and wrote a deed of their own in
    the third person with "his" or "her" ("*runs his fingers along the hearthstones*"):
    that the room read "their", and how to have it read theirs. [] otherwise. Played: a
    fighter's "runs his fingers ..." read "Hale tries to run their fingers ..." to the
    room, his "*shakes out his cloak*" beside it "Hale shakes out his cloak."."""
    if presence.pronouns(actor) or actor.key in world.hinted:
        return []
    words = set(re.findall(r"[a-z'-]+", pose.lower()))
    others = [*search.people(world, actor.room, besides=actor.key), *search.npcs(world, actor.room)]
    if any(
        words & (set(re.findall(r"[a-z'-]+", other.name.lower())) - {"the", "a", "an"})
        for other in others
    ):
        # "lays a hand on his wounds" beside Hob may be Hob's ("the" of "the Drowned
        # Warden" names no one: played, never told at the Warden).
        return []
    theirs = ("them", "their")
    used = {"he" if m.group(0).lower().startswith(("his", "him")) else "she"
            for m in _HIS.finditer(pose) if not m.group(0).lower().startswith(theirs)}  # fmt: skip
    if len(used) != 1:
        return []
    chosen = used.pop()
    their = presence.PRONOUN_FORMS[chosen][2]
    return [
        Tell(
            actor.key,
            Doc.text(
                styled(
                    "system",
                    f"(The room reads 'their' for you: 'pronouns {chosen}' has it read '{their}'.)",
                )
            ),
        ),
        PartyUpdate("hinted", actor.key, "pronouns"),
    ]


def _made_mine(text: str, actor: Character | None = None) -> str:
    """Third-person ``text`` as the actor's own: each clause's verb plain, "his" made
    "my" ("runs his fingers over the altar and steadies himself": "run my fingers over
    the altar and steady myself"; "her" may be another's); for an ``actor`` who chose
    pronouns, only theirs ("kneels beside Hob and lays a hand on his wounds", by one who
    chose "she": his are Hob's; played: "You try to lay a glowing hand on your
    wounds."). Pure."""
    plain = _AND_VERB.sub(lambda m: m.group(1) + (_plain_verb(m.group(2)) or m.group(2)), text)
    # "darts in low, slashing at its legs" (played on her turn at the Lamplighter: "You
    # are in a fight: ..."): a blow as one moves is the blow after the move.
    plain = _STRIKING_AS.sub(
        lambda m: next(
            (f" and {form}{m.group(2)}" for form in _plain_of_ing(m.group(1)) if form in _STRIKES),
            m.group(0),
        ),
        plain,
    )
    chosen = presence.pronouns(actor) if actor is not None else ""
    # A "she" or a "he" owns only her or his words; "they" (or none chosen) reads the
    # "his" and "her" of a pose as one's own, as before pronouns were chosen.
    forms = presence.PRONOUN_FORMS[chosen] if chosen in ("she", "he") else None
    own = {forms[2], forms[4]} if forms is not None else None

    def mine(match: re.Match[str]) -> str:
        word = match.group(0)
        if own is not None and word.lower() not in own:
            return word  # another's
        if (
            own is None
            and word.lower() in ("his", "her")
            and _ON_THEIRS.search(plain[: match.start()])
            and _BESIDE_SOMEONE.search(plain[: match.start()])
        ):
            # After one named beside whom one is, a hand laid on "his" is on theirs:
            # "kneels beside Cole and lays a glowing hand on his brow" (played: "You are
            # unhurt (9/9 HP)."); "offers his hand" is still one's own, and "their" too
            # ("wades out beside Hob and presses their palm").
            return word
        return "myself" if word.lower().endswith("self") else "my"

    return _HIS.sub(mine, plain)


#: A word that lays a thing on another's, just before it: "on his brow", "to her lips".
_ON_THEIRS = re.compile(r"\b(?:on|upon|against|across|to|onto|over|under)\s*$", re.I)
#: Someone named, by name, as whom one is beside or at: "beside Cole", "over Kessa".
_BESIDE_SOMEONE = re.compile(
    r"\b(?:beside|next\s+to|over|to|toward|towards|at|by|near|helps?|helping|lifts?"
    r"|pulls?|hauls?)\s+(?!I\b)[A-Z][a-z'-]+\b"
)


#: A verb in -ing after a comma, and what follows it: ", slashing at its legs".
_STRIKING_AS = re.compile(r",\s+([a-z]+ing)(\b.*)$", re.I)
#: A clause's verb: the first word, and each after "and" or "then" ("opens the trapdoor
#: and peers down").
_AND_VERB = re.compile(r"(^|\b(?:and|then)\s+)([A-Za-z]+)", re.I)
#: The third person's own: "his fingers", "steadies himself".
_HIS = re.compile(
    r"\b(?:his|himself|herself|themself"
    # "her" of one's own body or gear: "runs her fingers over the altar" (played: "You
    # try to run her fingers ..."); "her" alone may be another's.
    # "their" as "her", by one who chose no pronouns or "they" ("shakes the rain from
    # their cloak": played, "You try to shake the rain from their cloak").
    r"|(?:her|their)(?=\s+(?:fingers?|hands?|palms?|fists?|knuckles|wrists?|thumbs?"
    r"|head|eyes?|arms?|legs?|feet|knees?|face|hair|back"
    # "grits her teeth and swings" (played: "You try to grit her teeth and swing your
    # lantern-mace"). Not what one touches on another ("a hand on her brow").
    r"|teeth|jaw|lips?|fists?|voice|heels?|footing|balance|grip|stance"
    r"|\w+swords?|axe|hammer|club|knife|cudgel"
    r"|cloak|hood|pack|dagger|blade|sword|mace|shield|lantern|breath|weapon|coins?|purse"
    r"|gold|money|ale|mug|cup|drink|stew|bowl|pie|potion|flask|key|map|notes|locket"
    # "tucks it in her belt" (played: "You try to tuck the spear in her belt.").
    r"|belt|boots?|coat|sleeve|pocket|satchel|spear|staff|bow|robes?|armou?r|mail|helm)\b))\b",
    re.I,
)
#: Third-person forms whose plain form is not the word less its "s".
_IRREGULAR = {"lies": "lie", "dies": "die", "ties": "tie", "vies": "vie", "has": "have"}


def _plain_of_ing(word: str) -> list[str]:
    """The plain forms a verb ending in "-ing" may have, likeliest first ("turning" ->
    turn; "digging" -> dig, digg; "moving" -> mov, move; "trying" -> try); [] for a word
    too short to be one. Pure."""
    stem = word.lower().removesuffix("ing")
    if len(stem) < 2 or not stem.isalpha():
        return []
    forms = [stem]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        forms.insert(0, stem[:-1])  # "digging": dig
    elif _DROPPED_E.search(stem):
        forms.insert(0, stem + "e")  # "moving", "taking", "using": one syllable, its e gone
    elif stem[-1] not in "aeiouyw" and len(stem) > 2:
        forms.append(stem + "e")  # "raising": rais, then raise
    return forms


#: A stem of one syllable, one vowel and one consonant at its end, that was not doubled
#: before "-ing": its verb ended in an e ("mov", "tak", "us"; "dig" doubles).
_DROPPED_E = re.compile(r"^[^aeiouy]*[aeiou][bcdfgkmnprstvz]$|[vc]$")


def _plain_verb(word: str) -> str | None:
    """The plain form of a verb in the third person ("opens" -> "open", "watches" ->
    "watch", "tries" -> "try", "goes" -> "go"), or None for a word that is not one
    ("press", "focus", "is", "nod"). Pure."""
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ous")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zzes", "sses", "oes")):
        return word[:-2]
    return word[:-1]  # "gazes" -> "gaze" (tried: "You try to gaz out the window.")


#: Words that hand a thing over: "here, take my potion", "have this ale", "take the
#: key, wren" (the name is cut off before).
_HANDING = re.compile(
    r"^(?:here,?\s*(?:you\s+go,?\s*)?)?(?:(?:you\s+)?(?P<verb>take|have|catch|drink|quaff)\s+"
    r"|here(?:'s|\s+is)\s+(?=(?:the|my|a|an|some|one)\s))"
    r"(?:(?P<det>this|my|the|a|an|some|one\s+of\s+(?:my|the|these|those))\s+"
    r"(?P<thing>[^,.!?]+?)|(?P<that>it|this|that|one))[\s,.!]*$",
    re.IGNORECASE,
)


#: A word of handing over, anywhere in a line (the cheap test before ``_HANDING``):
#: "here's the key" too (played: said, and the key stayed in the speaker's pack).
_HANDED_WORDS = re.compile(r"\b(?:take|have|catch|here's|here\s+is|drink|quaff)\b", re.IGNORECASE)


def _spoken_to(world: World, actor: Character, to: str | None) -> search.Thing | None:
    """The player beside ``actor`` whom a line said aloud is for: the one named ``to``,
    or, said to the room (``to`` None), the only other player here; None otherwise."""
    people = search.people(world, actor.room, besides=actor.key)
    if to is not None:
        return next((p for p in people if p.name == to), None)
    return people[0] if len(people) == 1 else None


def _sentences_to(text: str, name: str) -> Iterator[str]:
    """Each sentence of ``text`` as said to the one called ``name``: without their name
    where it opens or closes the sentence ("wren, have this ale": "have this ale")."""
    for sentence in address.SENTENCE.split(text.strip()):
        named = address.names_in(sentence)
        yield next((asked for n, asked in named if n == name.lower()), sentence).strip()


def _handed_by_words(
    world: World, actor: Character, text: str, to: str | None, ctx: Ctx
) -> list[Effect]:
    """The give that ``text``, said aloud by ``actor`` to the player named ``to`` (None:
    to the room; then to the only other player here), makes when it hands over a thing
    ``actor`` carries ("here, take my potion", "wren, have this ale"); [] otherwise, or
    when it names nothing carried ("take the left path, wren"). Played: "juniper, you're
    hurt. want the potion?" and, with no answer to it, the potion stayed in the pack
    until its owner typed 'give juniper the potion'."""
    if not _HANDED_WORDS.search(text):
        return []  # most lines: no need to look at who is here (a crowd of a thousand)
    target = _spoken_to(world, actor, to)
    if target is None:
        return []
    for words in _sentences_to(text, target.name):
        handing = _HANDING.match(words)
        if handing is None:
            continue
        drink = (handing.group("verb") or "").lower() in ("drink", "quaff")
        if drink:
            # "maren! wake up. here, drink this" over the fallen (played: said, and the
            # potion stayed in the pack): the one kind of healing draught carried, for
            # one who is hurt ("thanks. drink it" is one's own).
            hurt = world.chars[target.ref].hp < world.chars[target.ref].max_hp
            if (handing.group("that") or "").lower() != "this" or not hurt:
                continue
        thing = handing.group("thing") or (game.one_drink(world, actor) if drink else "")
        thing = thing or _asked_for(world, actor, ctx)
        if not search.find(search.items(world, actor.inventory), thing).ok:
            thing = singular(thing)  # "take one of my potions"
        if not search.find(search.items(world, actor.inventory), thing).ok:
            return []
        if (handing.group("det") or "").lower() in ("the", "a", "an", "some") and search.find(
            search.items(world, world.items_in_room(actor.room)), thing
        ).ok:
            # "you take the key rook", the Warden's key on the floor (played: the old
            # cellar key carried was handed over): the one lying here is for the taking.
            return []
        gave = cmd_give(world, actor, Intent("give", f"{thing} to {target.name}", text), ctx)
        return [] if phrasing.refused(gave, actor.key) else gave
    return []


def _handed_to_npc(
    world: World, actor: Character, npc_ref: str, text: str, ctx: Ctx
) -> list[Effect]:
    """The give that ``text``, said by ``actor`` to the NPC ``npc_ref`` here, makes
    when it hands over a thing they take (``NpcTemplate.accepts``): "here, take it",
    "have the lantern", "this is yours" of the one such thing carried, or the thing
    named; [] otherwise (they take only what they want, as ``give`` to them does)."""
    if not _HANDED_WORDS.search(text) and not _YOURS_NOW.search(text):
        return []
    tmpl = world.templates.npcs[world.npcs[npc_ref].id]
    wanted = {a.item for a in tmpl.accepts}
    mine = [i for i in actor.inventory if i in world.items and world.items[i].template in wanted]
    if not mine:
        return []
    for words in sentences(text):
        handing = _HANDING.match(words)
        named = (handing.group("thing") or "") if handing is not None else ""
        if handing is None and not _YOURS_NOW.search(words):
            continue
        if named:
            # Of the things they take, the one named ("take the left path" names none).
            found = search.find(search.items(world, mine), named).thing
            item = found.ref if found is not None else None
        else:
            item = mine[0] if len(mine) == 1 else None  # "take it", "this is yours"
        if item is None:
            continue
        thing = world.item_template(item).name
        gave = cmd_give(world, actor, Intent("give", f"{thing} to {tmpl.name}", text), ctx)
        return [] if phrasing.refused(gave, actor.key) else gave
    return []


#: Words that say a thing is the one spoken to's: "this is yours", "it's yours now".
_YOURS_NOW = re.compile(r"\b(?:this|it|that)(?:'s|\s+is|\s+belongs)\s+(?:to\s+you|yours)\b", re.I)


def _asked_for(world: World, actor: Character, ctx: Ctx) -> str:
    """The name of a thing ``actor`` carries that the others' lines just before named
    (``Ctx.overheard``, the latest first): what "here, take it" hands over after "got
    any potions?" (played: a deed, "You act: one. here, take it"); "" when none did."""
    carried = search.items(world, actor.inventory)
    # One's own line just before first: "I'll grab that potion", then "here, you take
    # it" (played: a deed).
    for line in [*ctx.recent[-1:], *reversed(ctx.overheard)]:
        for word in re.findall(r"[a-z]{3,}", line.lower()):
            # The whole name or alias, not its first letters ("short" is no shortsword).
            found = next((t for t in carried if search.score(t, singular(word)) == 2), None)
            if found is not None:
                return found.name
    return ""


#: A thing offered in words: "want my potion?", "do you need a bandage?", "would you
#: like this ale, wren?", "anyone want the dagger?".
_OFFERING = re.compile(
    r"^(?:(?:do|would|d')\s*(?:you|ya|anyone|anybody)\s+|you\s+|(?:anyone|anybody)\s+)?"
    r"(?:want|need|like)\s+(?:(?:this|my|the|a|an|some)\s+(?P<thing>[^,.!?]+?)"
    # "want it?" just after taking it (played: "*scoops up the potion* want it?").
    r"|it|this|this\s+one|that\s+one)(?:\s+back)?[\s,.!?]*$",
    re.IGNORECASE,
)
#: The cheap test before ``_OFFERING``.
_OFFER_WORDS = re.compile(r"\b(?:want|need|like)\b", re.IGNORECASE)
#: A yes to a thing offered: "yes please", "thanks!", "sure", "I'd love it".
_TAKING = re.compile(
    r"^\W*(?:yes|yeah|yep|sure|ok|okay|aye|please|thanks|thank\s+you|cheers|gladly"
    r"|i'?d\s+love|i'?ll\s+take\s+it)\b",
    re.IGNORECASE,
)
#: A no to a thing offered: "no thanks", "nah, keep it".
_REFUSING = re.compile(r"^\W*(?:no|nah|nope|keep\s+it)\b", re.IGNORECASE)
#: Words that turn a yes around: "thanks, but no", "sure you don't need it?", "thanks,
#: I'm good" (tried: the stew was handed over).
_DECLINING = re.compile(
    r"\b(?:no|not|don'?t|keep\s+it|i'?m\s+(?:good|fine|ok|okay|alright|all\s+right|set)"
    r"|i'?ve\s+(?:got|had)\s+(?:one|some|enough)|no\s+need)\b",
    re.IGNORECASE,
)


def _offer_in(
    world: World, actor: Character, text: str, to: str | None, it: str | None = None
) -> tuple[Character, str] | None:
    """The player and the item ``actor`` carries that ``text``, said aloud to the player
    named ``to`` (None: the only other player here), offers them ("want my potion?";
    "want it?" the thing ``it`` names, what the actor's line before named), or None."""
    if not _OFFER_WORDS.search(text):
        return None  # most lines: no need to look at who is here (a crowd of a thousand)
    target = _spoken_to(world, actor, to)
    if target is None:
        return None
    for words in _sentences_to(text, target.name):
        offering = _OFFERING.match(words)
        if offering is None:
            continue
        thing = offering.group("thing") or it
        if not thing:
            continue
        found = search.find(search.items(world, actor.inventory), thing)
        if found.thing is not None:
            return world.chars[target.ref], found.thing.ref
    return None


#: Words that show the one spoken to a thing just taken: "look at this", "check this
#: out", "see this?", "have a look".
_SHOWING = re.compile(
    r"^\W*(?:(?:hey|here|oh|ooh|wow|look)[,!.]?\s+)?"
    r"(?:look\s+at\s+(?:this|that)|check\s+(?:this|that)\s+out|see\s+(?:this|that)"
    r"|have\s+a\s+look(?:\s+at\s+(?:this|that))?|take\s+a\s+look(?:\s+at\s+(?:this|that))?)\b",
    re.I,
)
#: Commands that put a thing in the actor's hands.
_TAKING_VERBS = frozenset({"get", "buy"})


def _shown_by_words(
    world: World, actor: Character, text: str, to: str | None, ctx: Ctx
) -> list[Effect]:
    """The show that ``text``, said by ``actor`` to the player named ``to`` (None: to the
    room, then the only other player here), makes of the thing ``actor`` took last
    (among their remembered lines, ``ctx.recent``) and still carries: "corwin, look at
    this. a stair going down into the water" just after "take the map" shows him the
    map; [] otherwise. Played: said, and Corwin read only the words."""
    if not _SHOWING.match(text):
        return []
    target = _spoken_to(world, actor, to)
    if target is None:
        return []
    for line in reversed(ctx.recent[-REFERRING:]):
        intent = parse(line, ALIASES)
        if intent.verb not in _TAKING_VERBS or not intent.args.strip():
            continue
        found = search.find(search.carried(world, actor), _thing_of(intent.args))
        if found.thing is not None:
            return [Then(actor.key, f"show {target.name} {found.thing.name}")]
    return []


def _offered_by_words(
    world: World, actor: Character, text: str, to: str | None, ctx: Ctx
) -> list[Effect]:
    """What ``text``, said aloud by ``actor``, offering a thing they carry to another
    player ("want the potion, juniper?"; "want it?" what their line before named), does:
    the offer is kept for that player, who is told a yes takes it; [] for any other
    line. Played: "want the potion?" and "yes please", and the potion stayed in the
    pack."""
    it = _named_before(world, actor, ctx) if _OFFER_WORDS.search(text) else None
    offer = _offer_in(world, actor, text, to, it)
    if offer is None:
        return []
    target, item = offer
    name = world.item_template(item).name
    told = f"{_name(actor)} offers you {phrasing.item_a(name)}: say yes to take it."
    return [
        PartyUpdate("offers", target.key, f"{actor.key}|{item}"),
        # An offer asked as a question does not overtake an invitation waiting too: a
        # yes then answers one of the two by name, or neither (``_yes_to``).
        PartyUpdate("overtaken", target.key, None),
        Tell(target.key, Doc.text(told)),
    ]


#: Words of a yes that answer an invitation, not a thing offered: "yes, I'll join".
_YES_TO_GROUP = re.compile(
    r"\b(?:group|join|team|party|company|come\s+along|lead|follow|travel)\b", re.IGNORECASE
)
#: Words of a name that do not tell one thing from another.
_NAME_FILLER = frozenset({"a", "an", "the", "of", "some", "and"})


def _both_waiting(world: World, actor: Character) -> tuple[Character, Character, str] | None:
    """(who invited ``actor`` into a group, who offers them a thing, the thing's item
    id) when both wait for their answer and both are here; None otherwise."""
    inviter = world.chars.get(world.invites.get(actor.key, ""))
    offer = world.offers.get(actor.key)
    if inviter is None or offer is None or actor.key in world.groups:
        return None
    if actor.key in world.overtaken:
        return None  # a yes no longer answers the invitation (``World.overtaken``)
    giver_key, _, item = offer.partition("|")
    giver = world.chars.get(giver_key)
    if giver is None or inviter.room != actor.room or giver.room != actor.room:
        return None
    return inviter, giver, item


def _yes_to(world: World, actor: Character, text: str) -> str:
    """What a yes said by ``actor`` answers when an invitation and a thing offered both
    wait for it (``_both_waiting``): "group" when its words name the group ("yes, I'll
    join"), "offer" when they name the thing ("yes, the dagger"), "both" when they name
    neither or both (then neither is taken: ``_which_yes`` asks); "" when the line is
    no yes or not both wait. Played by a griefer: one "yes" took a stalker's dagger and
    joined his group, and he walked the new player into the marsh."""
    waiting = _both_waiting(world, actor)
    if waiting is None or not (party.assents(text) or _TAKING.match(text)):
        return ""
    tmpl = world.item_template(waiting[2])
    names = (tmpl.name, *tmpl.aliases)
    item_words = {w for n in names for w in _WORDS.findall(n.lower())} - _NAME_FILLER
    to_item = bool(item_words & set(_WORDS.findall(text.lower())))
    to_group = _YES_TO_GROUP.search(text) is not None
    if to_item != to_group:
        return "offer" if to_item else "group"
    return "both"


def _which_yes(world: World, actor: Character) -> Effect:
    """What ``actor`` is asked when a yes named neither of the two answers waiting."""
    waiting = _both_waiting(world, actor)
    assert waiting is not None
    inviter, giver, item = waiting
    name = world.item_template(item).name
    # "potion of healing": the potion; "rusty dagger": the dagger.
    word = strip_article(name).split(" of ")[0].split()[-1]
    return Tell(
        actor.key,
        Doc.text(
            f"Yes to which? {_name(inviter)} invited you into a group, and {_name(giver)}"
            f" offers you {phrasing.item_a(name)}: say 'yes, I'll join' or 'yes, the"
            f" {esc(word)}' (both wait for your answer)."
        ),
    )


def _offer_taken(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """The give a yes from ``actor`` ("yes please", "thanks!") to a thing offered them
    makes, when the one who offered is here and still has it; [] otherwise."""
    offer = world.offers.get(actor.key)
    if offer is None:
        return []
    if _REFUSING.match(text):
        return [PartyUpdate("offers", actor.key, None)]  # "no thanks, keep it"
    if not _TAKING.match(text):
        return []
    if _DECLINING.search(text):
        return [PartyUpdate("offers", actor.key, None)]  # "thanks, I'm good"
    giver_key, _, item = offer.partition("|")
    giver = world.chars.get(giver_key)
    if giver is None or giver.room != actor.room or item not in giver.inventory:
        return [PartyUpdate("offers", actor.key, None)]
    name = world.item_template(item).name
    gave = cmd_give(world, giver, Intent("give", f"{name} to {actor.name}", text), ctx)
    if phrasing.refused(gave, giver.key):
        return [PartyUpdate("offers", actor.key, None)]
    return [PartyUpdate("offers", actor.key, None), *gave]


def _still_named(world: World, actor: Character, thing: str) -> bool:
    """Whether ``thing``, named by a line before, is something "it" or "him" may mean
    now: here, carried, for sale here, or someone in the game. Played: after "take a
    look around", "open it" was "You try to open a look around."."""
    one = singular(_COUNTED.sub("", thing))  # "buy 2 stews", then "eat one"
    if _names_a_thing(world, actor, thing) or _names_a_thing(world, actor, one):
        return True
    _nth, target = search.split_ordinal(thing)
    return any(search.score(t, target) for t in search.online(world, besides=actor.key))


def _names_a_thing(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` name something here, carried, or for sale here."""
    if not words.strip():
        return False
    _nth, target = search.split_ordinal(words)
    # What ``search.around`` holds, but of the players only those the words could name
    # (a pose between stars, "*turns to Bob*", scored a crowd of 1,000: 3 ms a line).
    pool = [
        *search.carried(world, actor),
        *search.floor(world, actor.room),
        *search.npcs(world, actor.room),
        *search.people(world, actor.room, viewer=actor.key, leading=target),
        *search.features(world, actor.room),
        *search.exits(world, actor),
        *search.doors(world, actor, by_way=False),
        *game.wares_here(world, actor.room),
    ]
    owned = search.unowned(target)  # "the saint's altar" names the altar
    return any(
        search.score(t, target) or (owned != target and search.score(t, owned) == 2) for t in pool
    )


def _home_first(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect] | None:
    """ "home", "Home, then.", "home. follow the light", typed by one bringing someone of
    the world home (``escort.destination``), or one of their group: the walk there, and
    the words after it said before it, to those here; None otherwise. Played in the Bell
    Chamber, Edda going with her: "*holds the saint's lantern high* Home, then. Follow
    the light." read "You act: Home, then. Follow the light."."""
    first = sentences(intent.raw.strip())[0]
    if not _HOME.fullmatch(first.strip(" .!,")) or escort.destination(world, actor) is None:
        return None
    left = [
        npc_id
        for npc_id, guide in world.escorts.items()
        if guide == actor.key
        and (npc := world.npcs.get(npc_id)) is not None
        and npc.room != actor.room
    ]
    if left:
        # The one being brought home is not beside them (found in review: "Home, then."
        # walked home, Edda left on the reed path, and nothing said of it).
        tmpl = world.templates.npcs[left[0]]
        where = in_place(world.room(world.npcs[left[0]].room).name)
        return _err(actor.key, f"{tmpl.name} is not with you: {tmpl.name} is {where}.")
    if _follows_here(world, actor):
        # Said by one who follows the leader here, it is put to the leader, whose yes
        # walks the group home, as "let's go home" is.
        return _walk_proposed(world, actor, intent.raw, "home", ctx)
    # Said to those beside them as typed, but for the one word "home" alone.
    said = intent.raw.strip()[:MAX_SAY] if intent.raw.strip(" .!").lower() != "home" else ""
    words = cmd_say(world, actor, Intent("say", said, said), ctx) if said else []
    return [*words, *cmd_go(world, actor, Intent("go", "home", "go home"), ctx)]


def _dispatch(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    if intent.verb == "" and "?" in intent.args:
        # "i want to buy a better sword. where can i get one?" (played by a newcomer: the
        # DM was asked "where can i get one?", and did not know): the one wanted.
        intent = Intent("", _one_wanted(intent.args), intent.raw)
    opening, _, rest = intent.raw.strip().partition(" ")
    if (
        opening.lower() == "r"
        and actor.told_fresh
        and actor.told_since
        and not any(
            (beside := address.player_beside(world, actor, word.strip(",.!?"))) is not None
            and beside.name not in actor.told_since
            for word in rest.split()
        )
    ):
        # "r <words>" with a tell waiting for an answer, nothing said since, is other
        # MUDs' reply (played: "r on my way" was "You try to are on your way."); else
        # it is chat's "are", and so it is to one here by name ("r u ready, ann?").
        return cmd_reply(world, actor, Intent("reply", rest, intent.raw), ctx)
    if opening.lower() == "r" and rest:
        intent = evolve(intent, raw=unslipped(intent.raw))
    in_a_fight = _fights_here(world, actor)
    steps = _speedwalk(intent.raw) if intent.verb in ("", "go") else None
    if steps and len(steps) > _SPEEDWALK_MOST:
        return _err(
            actor.key,
            f"A speedwalk takes at most {_SPEEDWALK_MOST} steps; 'go to <place>' walks"
            " anywhere you have been.",
        )
    if steps and in_a_fight and opening.lower() == "speedwalk":
        # The rest of a walk met by an ambush (played: "run sw" into the eel-catcher
        # went on as "run w", which in a fight is a flight).
        return [Tell(actor.key, Doc.text(styled("warn", "The fight stops your walk.")))]
    if steps and not in_a_fight:  # "run s" in a fight flees
        return _speedwalked(world, actor, steps, ctx)
    if (
        intent.verb == ""
        and opening.lower() in ("a", "att", "atk")
        and _named_exactly(world, actor, rest)
        and not in_a_fight
    ):
        # "a rat", "atk crake": 'attack' shortened before one here (tried: "You act: a
        # dov"); in a fight, ``game.action`` takes it before a foe.
        return game.cmd_attack(world, actor, Intent("attack", rest, intent.raw), ctx)
    if intent.verb == "" and game.STANDING_ALONE.fullmatch(intent.raw) and not in_a_fight:
        # "turn" typed alone out of a fight, one just over (played: "You try to turn.",
        # narrated); not "I turn." (found in review), a deed.
        return _err(actor.key, "You are not in a fight.")
    letter = intent.raw.strip().rstrip(".!").lower() if intent.verb == "" else ""
    if letter in ("fl", "fle") and in_a_fight:
        # 'flee' shortened in a fight (tried: "Unknown command 'fl'. Did you mean
        # 'follow'?", the turn's seconds running).
        return game.cmd_flee(world, actor, Intent("flee", "", intent.raw), ctx)
    if letter in ("a", "att", "atk"):
        # 'attack' as other MUDs shorten it, typed again once the foe is down (played:
        # "You act: a", narrated to the room each time).
        return game.cmd_attack(world, actor, Intent("attack", "", intent.raw), ctx)
    if len(letter) == 1 and letter.isalpha():
        # A letter alone is a key missed or a client's shortcut, no deed (tried: "You try
        # to z.", narrated to the room).
        return _err(actor.key, f"Unknown command '{letter}'. 'help' lists the commands.")
    phrased = world.templates.social_phrase(intent.raw)
    if phrased is not None:
        # "shake hands with tamsin", "give bram a high five": played, deeds ("You try to
        # shake hands with Tamsin.") and "You are not carrying 'high five'.". A phrase is
        # a whole line, so it wins over the command its first word is.
        return do_social(world, actor, phrased[0], phrased[1], ctx.said_last[0], ctx)
    homeward = _home_first(world, actor, intent, ctx) if intent.verb == "" else None
    if homeward is not None:
        return homeward
    running = _RUNNING.match(intent.raw) if intent.verb in ("", "get") else None
    fighting = world.fights.get(actor.room)
    if running is not None and fighting is not None and fighting.has(f"p:{actor.key}"):
        # "run!", "run away", "get out of here": played, "You are in a fight: attack,
        # defend, flee <direction>, ..." to a player trying to do just that.
        fled = named_way(running.group("rest")) or ""
        return game.cmd_flee(world, actor, Intent("flee", fled, intent.raw), ctx)
    cry = _running_last(intent.raw) if intent.verb == "" and fighting is not None else None
    if cry is not None and fighting is not None and fighting.has(f"p:{actor.key}"):
        # Words, then "run!" in a sentence of its own: said, then fled (played: "we
        # can't win this. run!" in the Lamplighter's hall was all said, and the
        # Lamplighter's next blow fell).
        return [
            *cmd_say(world, actor, Intent("say", cry[0], cry[0]), ctx),
            *game.cmd_flee(world, actor, Intent("flee", cry[1], intent.raw), ctx),
        ]
    last_blow = _blow_last(intent.raw) if intent.verb == "" and _on_turn(world, actor) else None
    if last_blow is not None:
        # Words, then a blow after a comma on one's turn: said, then struck (played by a
        # newcomer in her first fight: "omg what do i do, hit it!!" was all said, and
        # her turn ran out).
        words_first = Intent("say", last_blow[0], last_blow[0])
        return [*cmd_say(world, actor, words_first, ctx), Then(actor.key, last_blow[1])]
    if (
        intent.verb == "get"
        and _GET_OUT.fullmatch(intent.raw)
        and world.room(actor.room).exit("out")
    ):
        # "get out of here" out of a fight is the way out (played: "You see no 'out of
        # here' here.").
        return cmd_go(world, actor, Intent("go", "out", intent.raw), ctx)
    if intent.verb in _TURNING_IN_VERBS and _TURNING_IN.match(intent.raw):
        # "go to bed", "rent a room": played, "You do not know the way to 'bed'." and a
        # deed ("You try to rent a room.") in the tavern, where 'sleep' is the long rest.
        return game.cmd_rest(world, actor, Intent("rest", "long", intent.raw), ctx)
    if intent.verb in _TURNING_IN_VERBS:
        taking = _taking_a(world, actor, intent, ctx)
        if taking is not None:
            return taking
    stretched = _STRETCHED_OUT.match(intent.raw) if intent.verb in ("", "stretch") else None
    lain = (
        cmd_lie(world, actor, Intent("lie", stretched["rest"], intent.raw), ctx)
        if stretched
        else []
    )
    if lain and not phrasing.refused(lain, actor.key):
        # "stretch out on a bench by the fire and close my eyes" (played: "You try to
        # stretch out on a bench by the fire."): lying down there, then the rest; "curl
        # up in a ball" is no place here, and stays a deed (found in review).
        return lain
    if intent.verb == "" and _rest_stated(intent.raw):
        proposed = _rest_asked(world, actor, intent.raw, ctx)
        if proposed is not None:
            return proposed
    if intent.verb in ("rest", "sleep") and intent.raw.rstrip().endswith("?"):
        # "rest before we go in?" beside another player: a rest proposed, not taken.
        proposed = _rest_asked(world, actor, intent.raw, ctx)
        if proposed is not None:
            return proposed
    if intent.verb in ("", "go", "follow") and intent.raw.rstrip().endswith("?"):
        # "follow the lanterns south?", "shall we head south?": a walk proposed.
        proposed = _walk_asked(world, actor, intent.raw, ctx)
        if proposed is not None:
            return proposed
    if intent.verb in ("", "drink") and _ROUND_CALLED.fullmatch(intent.raw.strip()):
        # "drinks on me!" (played: "You are not carrying 'on me!'."), "a round of ale
        # for everyone, on me": a round bought.
        return _dispatch(world, actor, parse("buy a round", ALIASES), ctx)
    *before_round, last = address.SENTENCE.split(intent.raw.strip())
    counter = address.addressed(world, actor, last) if not intent.verb and "," in last else None
    if counter is not None and not counter.before and _ROUND_CALLED.fullmatch(counter.asked):
        # "gg everyone! that was awesome. bessa, drinks on me!" (played: all of it said to
        # her, and no round bought): called for of the one at the counter.
        last = counter.asked
        if not before_round:
            return _dispatch(world, actor, parse("buy a round", ALIASES), ctx)
    if not intent.verb and before_round and _ROUND_CALLED.fullmatch(last):
        # "we did it!! drinks on me" (played: all of it said, and no round bought): the
        # words, then the round.
        words = " ".join(before_round)
        cheered = cmd_say(world, actor, Intent("say", words, words), ctx)
        return [*cheered, *_dispatch(world, actor, parse("buy a round", ALIASES), ctx)]
    if intent.verb in ("", "drink") and (
        _KEYISH.search(intent.raw)
        or (_TRY_IT.fullmatch(intent.raw) and doors.carries_fitting_key(world, actor))
    ):
        # "try the key", "use the key", "let's see if this key fits" (played in the
        # cellar: said, a deed, refused); "try it", the one key carried.
        keyed = doors.key_tried(world, actor, intent.raw, ctx)
        if keyed is not None and _LETS.match(intent.raw):
            # "let's see if this key fits" is words to the others too.
            return [
                *cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx),
                *keyed,
            ]
        if keyed is not None:
            return keyed
    if not intent.verb:
        if not intent.args:
            return []
        if _REMIND_ME.match(intent.args) and "?" not in intent.args:
            # "remind me what we're doing" (played, back after a while: "You try to
            # remind you what we're doing."): asked, as the question it is.
            return _dispatch(world, actor, Intent("", intent.args.strip() + "?", intent.raw), ctx)
        comma = address.comma_left_out(world, actor, intent.args)
        if comma is not None:
            # "crake what are you doing here" as "crake, what are you doing here?"
            return dispatch(world, actor, parse(comma, ALIASES), ctx)
        word, _, rest = intent.args.partition(" ")
        if _questioning(intent.args) and (
            _command_asked(world, actor, intent.args)
            or powers.powers_asked(world, actor, intent.args)
        ):
            # "what does steady aim do?" (played: Steady Aim used, a use spent): asked.
            return cmd_ask(world, actor, Intent("ask", intent.args, intent.raw), ctx)
        # A power of the player's calling ("heal brisa"): played, it was a deed that
        # healed nothing.
        power = powers.power_named(world, actor, intent.args)
        if (
            power is not None
            and power[1].strip()  # "kindle" alone is the power (the review found a post lit)
            and game.feature_action(world, actor, intent.args) is not None
            and not _names_someone_here(world, actor, power[1])
        ):
            # A power's verb is a builder's action here too, done to no one: the room's
            # action (a pack whose healing was "warm", and whose hearth "warm": played,
            # "warm my hands at the fire" read "You see no 'hands at the fire' here.").
            power = None
        if power is not None and not _TENDING.match(intent.args):
            # "tend my wounds" is still the short rest, for a Lamp-Keeper too (below),
            # though "tend" is also the healing's word.
            return powers.use(world, actor, power[0], power[1], ctx)
        own = _own_power_named(world, actor, intent.args)
        if own is not None:
            # "grits her teeth and finds her second wind" (played in the Warden's fight:
            # "You are in a fight: ...").
            return powers.use(world, actor, own, "", ctx)
        if _BATTLE_CRY.fullmatch(intent.args.strip()):
            # "die, vermin!" on one's turn is a blow struck (played: "You are in a
            # fight: attack, ..."); out of one, or on another's turn, a cry.
            cried = cmd_say(world, actor, Intent("say", intent.args.strip(), intent.raw), ctx)
            turn = _on_turn(world, actor)
            return [*cried, Then(actor.key, "attack")] if turn else cried
        also = _and_also(world, actor, intent, ctx)
        if also is not None:
            return also  # "take the key", then "and the locket"
        resting = _RESTING.fullmatch(intent.args.strip())
        if resting is not None:
            # "short rest", "a short rest": played, "You try to short rest."
            how = "long" if resting.group(1).lower() == "long" else ""
            return game.cmd_rest(world, actor, Intent("rest", how, intent.raw), ctx)
        handing = any(_HANDING.match(part) for part in sentences(intent.args))
        if _news_asked_of_all(world, actor, intent.args) is not None or (
            handing and _handed_by_words(world, actor, intent.args, None, ctx)
        ):
            # Said, and answered or handed over after (``dispatch``): "here, take my
            # potion" (played: a deed, "You act: here, take my potion").
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        if _teaming_asked(world, actor, intent.args):
            # "want to team up marla? split the reward": the offer and its terms, said
            # (played: "You try to want to team up Marla? split the reward.").
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        social = world.templates.social(word)
        if (
            social is None
            and not rest.strip()
            and word[-1:] in ".!"
            and word.rstrip(".!").lower() not in ALIASES  # "look.": did you mean 'look'?
        ):
            # "smile.", "laugh!", "Bob smiles." typed as a sentence (played: "Bob tries
            # to smile." where "smile" is the social).
            word = word.rstrip(".!")
            social = world.templates.social(word)
        if social is not None and (
            game.feature_checked(world, actor, intent.args, word)
            or game.feature_action(world, actor, intent.args) is not None
        ):
            # "pray to the saint" at the reliquary whose check is "pray": the builder's
            # (played: "You pray to the saint.", and the reliquary never tried); so is a
            # builder's action of that verb ("pray" at the Sunken Shrine's altar).
            social = None
        if social is not None and not _said_of_a_thing(world, actor, rest):
            return do_social(world, actor, social, rest.strip(), ctx.said_last[0], ctx)
        if _THANKS_FOR.match(intent.args):
            # "thanks for the help", "sorry about that", to no one named (played: "You
            # try to thank for the help."): words.
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        aimed = _aimed_in_words(world, actor, social, rest) if social is not None else None
        if aimed is not None:
            return aimed  # "nod at the stranger" (tried: "You try to nod at the stranger.")
        if is_reply(intent.args) and not _asked_in_talk(world, actor, intent.args, ctx):
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        grouping = party.plain(world, actor, word, rest)
        if grouping is not None:
            return grouping
        if word.lower() == "order":
            bought = game.order(world, actor, rest, ctx)
            if bought is not None:
                return bought
        if _studied(world, actor, word, rest):
            # "study the lantern", "inspect the map" (played: "You study the lantern.",
            # and a narration of nothing): a close look, as "examine" is.
            return cmd_examine(world, actor, Intent("examine", rest, intent.raw), ctx)
        lit = _held_to_light(world, actor, word, rest, ctx)
        if lit is not None:
            return lit
        if word.lower() == "pay" and _names_someone_here(world, actor, rest):
            # "pay bessa", "pay gannet 2 gold": played, a deed ("You try to pay Bessa.").
            return cmd_tip(world, actor, Intent("tip", rest, intent.raw), ctx)
        # Played: Bessa's "you'll have the stew first" was answered "I'll have the stew
        # then", said to the room, and no stew came.
        bought = _order_said(world, actor, intent.args, ctx)
        if bought is not None:
            return bought
        bought = _ware_asked(world, actor, intent.args, ctx)
        if bought is not None:
            return bought
        after = rest.strip()[4:].strip().lower() if rest.lower().split()[:1] == ["back"] else None
        back = after is not None and (
            not after
            or direction_of(after.split()[0]) is not None
            or _WAY_CAME.fullmatch(after) is not None
            or _TO_PLACE.match(after) is not None
        )
        if back and (word.lower() in _SETTING_OFF or word.lower() == "turn"):
            # "head back", "turn back": played, a deed ("You try to head back.").
            return cmd_go(world, actor, Intent("go", rest, intent.raw), ctx)
        if _THROUGH.match(intent.args.strip()) and doors.about_a_door(
            world, actor, intent.args.split(maxsplit=1)[-1]
        ):
            return cmd_go(world, actor, Intent("go", intent.args, intent.raw), ctx)
        onward = word.lower() in ("on", "onward", "onwards")
        if (word.lower() in ("to", "towards", "toward", "back") or onward) and _led_here(
            world, actor
        ):
            # "back to the tavern cellar then. lead on, Tova." by one who follows their
            # leader here (played: she walked off alone, and nothing was said): said, and
            # put to the leader, whose yes walks the group (``_lets_walk``).
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        if word.lower() in ("to", "towards", "toward"):
            toward = _WHEN_DONE.sub("", intent.args.strip())
            place = _TO_PLACE.match(toward)
            if (
                place is not None
                and len(address.SENTENCE.split(toward)) == 1  # "... then. come on": said
                and re.match(r"to(?:wards?)?\s+the\s", toward, re.I)
                and not toward.endswith("!")
                and lore.room_named(world, actor, place.group(1)) is not None
                and _answered(world, actor, intent.args, unanswered=True) is None
            ):
                # "to the mill then", "to the chapel": tried, "You act: to the mill then".
                return cmd_go(world, actor, Intent("go", toward, intent.raw), ctx)
        if word.lower() == "back" and _back_a_way(rest):
            # "back downstairs", "back down to the common room": tried, "You try to back
            # downstairs."
            way_back, _, more = intent.args.partition(",")
            there = re.search(r"\bto\s+(.+?)[.!]?$", way_back, re.I)
            if there is not None and lore.room_named(world, actor, there.group(1)) == actor.room:
                # "back down to the common room" typed in the common room: the place
                # named wins over the way (played: it walked down to the cellar).
                return _err(actor.key, "You are there already.")
            if more.strip() or _WE_GO_AFTER.search(way_back):
                # "back down, and this time we stick together", "back down we go": said,
                # and walked as what is said is (``_lets_walk``; played: "You try to back
                # down, and ...").
                return cmd_say(world, actor, Intent("say", intent.args.strip(), intent.raw), ctx)
            return cmd_go(world, actor, Intent("go", intent.args, intent.raw), ctx)
        if (word.lower() == "back" or onward) and _TO_PLACE.match(rest.strip().lower()):
            # "back to the tavern", "onward to the shrine": tried, "You try to back to the
            # tavern."
            walked = rest if onward else intent.args
            return cmd_go(world, actor, Intent("go", walked, intent.raw), ctx)
        if word.lower() in _THROUGH_WORDS and _THROUGH.match(rest.strip()):
            # "slip through the door" (played as "*grips her dagger and slips through the
            # door*": a deed, and no one went through).
            return cmd_go(world, actor, Intent("go", rest.strip(), intent.raw), ctx)
        # The way in the words' own first sentence, not in one after ("keep it, I've got
        # one. west along the reed path?": played, the group walked west unasked).
        first_said = address.SENTENCE.split(rest.strip(), maxsplit=1)[0]
        way = (
            named_way(first_said)
            if word.lower() in _SETTING_OFF and not first_said.rstrip().endswith("?")
            else None
        )
        if (
            way == "up"
            and rest.split()[0].strip(",.!?;:").lower() == "up"
            and word.lower() in _UP_IDIOMS
        ):
            way = None  # "hurry up", "keep up with oren", "hurry up, wren": words, not a way
        if way is not None:
            # "head south": played, a deed ("You try to head south.") that went nowhere.
            return _walk_said(world, actor, way, rest, intent, ctx)
        if word.lower() in _CLIMB:
            climbed = _climb(world, actor, word.lower(), rest, ctx)
            if climbed is not None:
                return climbed
        if word.lower() in _SETTING_OFF and _MADE_FOR.match(rest):
            # "head for the stairs", "make for the ladder" (tried: "You try to make for
            # the stairs."): the way up or down they are, climbed.
            climbed = _climb(world, actor, "climb", _MADE_FOR.sub("", rest), ctx)
            if climbed is not None:
                return climbed
        set_off = _SET_OFF_TO.match(rest.strip()) if word.lower() in _SETTING_OFF else None
        if set_off is not None:
            # "head to the chapel", "make my way to the chapel", "hurry to the tavern"
            # (played: "You try to head to the chapel."): a walk there, as "go to" is,
            # when it is one ("hurry to catch up" is no place).
            going = Intent("go", f"to {set_off.group('place')}", intent.raw)
            trial = cmd_go(world, actor, going, evolve(ctx, rng=ctx.rng.fork()))
            if not phrasing.refused(trial, actor.key):
                return cmd_go(world, actor, going, ctx)
        if word.lower() in doors.FORCE_WORDS:
            forced = doors.force(world, actor, rest, ctx)
            if forced is not None:
                return forced
        blow = word.lower().rstrip("!.")
        fighting_here = world.fights.get(actor.room)
        keeping = _KEEP_AT.match(intent.args.strip()) if blow == "keep" else None
        if keeping is not None and fighting_here is not None:
            # "keep attacking", "keep hitting it" (played: refused in the fight).
            struck = _strike(world, actor, keeping.group("whom") or "", intent.raw, ctx)
            if struck is not None:
                return struck
        if (blow in _STRIKES or _ONESELF.match(rest.strip())) and (
            rest.strip()
            # "stab!", "slash" alone in a fight (played: refused, and the turn ran out);
            # "fight" alone tells how the fight stands.
            or (
                blow != "fight"
                and fighting_here is not None
                and fighting_here.has(f"p:{actor.key}")
            )
        ):
            struck = _strike(world, actor, rest, intent.raw, ctx)
            if struck is not None:
                return struck
        if word.lower() in _GOING_FOR and (foe := _gone_for(world, actor, rest)) is not None:
            # "aim for its eyes" in a fight (tried: "You are in a fight: ...").
            return game.cmd_attack(world, actor, Intent("attack", foe, intent.raw), ctx)
        if word.lower() == "leave" and _leaving_here(world, actor, rest):
            return _leave(world, actor, intent, ctx)
        if word.lower() in ("enter", "enter.") and not rest.strip():
            # "enter" alone is the way in (played in the cellar: "You try to enter.");
            # where there is none, "You cannot go in from here." says so.
            return cmd_go(world, actor, Intent("go", "in", intent.raw), ctx)
        if word.lower() == "enter" and (way := _way_named(world, actor, rest)) is not None:
            # "enter the crack" where the way in is "a gap in the crack" (played: "You
            # try to enter the crack.", and the DM's colour).
            return cmd_go(world, actor, Intent("go", way, intent.raw), ctx)
        if word.lower() in _THROWING and rest.strip():
            thrown = _thrown(world, actor, rest)
            if thrown is not None:
                return thrown
        if word.lower() in _LOOTING and rest.strip():
            remains = _remains(world, actor, rest)
            if remains is not None:
                return remains
        if _TENDING.match(intent.args):
            # "bandage my wounds" is what a player types for the short rest ("You catch
            # your breath and bind your wounds"): as a deed it was narrated and healed
            # nothing.
            return game.cmd_rest(world, actor, Intent("rest", "", intent.raw), ctx)
        taken = _taken_to_read(world, actor, word, rest, ctx)
        if taken:
            return [*taken, Then(actor.key, intent.raw)]
        if word.lower() in _READ_WORDS and (
            game.item_action(world, actor, intent.raw) is None or _ALOUD.search(intent.raw)
        ):
            # Read aloud, a letter whose words are its 'read' action's is heard by all
            # (played: "read the letter aloud" was "Mira unfolds a small letter").
            read = _read_item(world, actor, rest, intent.raw, ctx)
            if read is not None:
                return read
            if word.lower() == "read":
                written = _read_feature(world, actor, rest, intent.raw)
                if written is not None:
                    return _say(actor.key, esc(written))
        if intent.args.lower().rstrip("?!. ") in _WHERE_AM_I:
            return [Tell(actor.key, describe_room(world, actor.room, actor.key))]
        named = address.addressed(world, actor, intent.args)
        if not _questioning(intent.args) and named is not None:
            bought = _order_said(world, actor, named.asked, ctx, bare=True)
            if bought is not None:
                # "Bessa, two ales", "an eel pie, Bessa": an order
                return _said_before(world, actor, named, ctx) + bought
            paying = _PAYING.match(named.asked)
            if paying is not None and paying.group("for") and _coins_said(paying.group("what")):
                # "bessa, here's a coin for the stew": the stew bought, at its price.
                bought = _order_said(world, actor, paying.group("for"), ctx, bare=True)
                if bought is not None and not phrasing.refused(bought, actor.key):
                    return _said_before(world, actor, named, ctx) + bought
            npc_name = world.templates.npcs[world.npcs[named.ref].id].name
            handed = _handed_to_npc(world, actor, named.ref, named.asked, ctx)
            if handed:
                # "sister, we found the saint's lantern. here, take it" (played: said,
                # and she recited a fact of the saint; the lantern kept).
                said = game.talk_line(actor, npc_name, named.asked[:MAX_SAY])
                return [*_said_before(world, actor, named, ctx), *said, *handed]
            paid = _paid_by_words(world, actor, named.asked, npc_name, ctx)
            if paid:
                # "crake, here's a coin for your trouble" (played: said, and he answered
                # with his greeting and what a tip would buy): the coin handed over.
                said = game.talk_line(actor, npc_name, named.asked[:MAX_SAY])
                return [*_said_before(world, actor, named, ctx), *said, *paid]
            # "Good evening, Bessa Thorn!": said to her (played: "You try to good evening").
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        speaking = named is None and not _questioning(intent.args)
        mate = address.addressed_player(world, actor, intent.args) if speaking else None
        if mate is not None:
            # "Oren, follow me": said to him (played: a deed, "You act: oren, follow me").
            return _to_mate(world, actor, mate, ctx)
        if speaking:
            head, _, rest = intent.args.strip().partition(" ")
            beside = address.player_beside(world, actor, head.rstrip(":")) if rest else None
            if beside is not None and (parse(rest, ALIASES).verb or call_words(rest)):
                # "dov follow me", no comma (played: "You try to dov follow you.").
                return _to_mate(world, actor, address.Named(beside.key, rest.strip()), ctx)
            lead = address.LEAD_IN.match(intent.args.strip())
            name, _, bid = (
                intent.args.strip()[lead.end() :].partition(" ") if lead else ("", "", "")
            )
            beside = address.player_beside(world, actor, name) if bid.strip() else None
            if lead is not None and beside is not None and parse(bid, ALIASES).verb:
                # "here oswin drink this", no comma (played: "You try to here Oswin drink
                # this."), as "here oswin, drink this" is.
                bidding = address.kept_lead(f"{lead.group(0)}{name}", bid)
                return _to_mate(world, actor, address.Named(beside.key, bidding), ctx)
            parts = address.SENTENCE.split(intent.args.strip(), maxsplit=1)
            before, _, last = parts[0].rpartition(" ")
            beside = address.player_beside(world, actor, last.strip(".!")) if before else None
            # ("good job hollis! let's go down" is said to the room, and walks.)
            going_on = parts[1:] if len(parts) > 1 and not _LETS.match(parts[1]) else []
            if beside is not None and is_reply(before) and (len(parts) == 1 or going_on):
                # "nice one dov", "good job dov", "nice find mira! down we go": praise with
                # the name, no comma (played: "You try to nice one Dov.").
                praise = " ".join([before + last[len(last.rstrip(".!")) :], *going_on])
                return _to_mate(world, actor, address.Named(beside.key, praise), ctx)
        summoned = _mate_called(world, actor, intent.args) if named is None else None
        if summoned is not None:
            # "mira help!! theres a zombie thing", Mira of the group in the tunnel next
            # door (played in a fight: "You are in a fight: ..."; out of one, "You try to
            # mira help!! ..."): called out, loud enough to carry to the rooms beside, and
            # the caller told where she is, as words to one not here tell it.
            shouted = cmd_shout(world, actor, Intent("shout", intent.args, intent.raw), ctx)
            where = f"{summoned.name} is not here: {in_place(world.room(summoned.room).name)}."
            return [*shouted, Tell(actor.key, Doc.text(tag("dim", esc(where))))]
        if named is None and address.addressed_away(world, actor, intent.args):
            # "Crake, hello" or "Crake, what is below?" where Crake is not: said, with a
            # word that he is not here (played: a deed, "You act: crake, hello").
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        suggested = COMMANDS_BY_NAME.get(intent.suggestion)
        # Not an admin's command to a player ("shutdwn": "Did you mean 'shutdown'?").
        unsaid = suggested is not None and suggested.admin and not actor.is_admin
        if unsaid:
            return _err(actor.key, f"Unknown command '{intent.args}'. 'help' lists the commands.")
        asked_number = intent.args.strip().rstrip("?").strip().lower()
        if asked_number in _SHEET_WORDS and intent.args.strip().endswith("?"):
            # "hp?", "gold?": that number (played: "Unknown command 'hp?'").
            return dispatch(world, actor, parse(asked_number, ALIASES), ctx)
        if intent.suggestion in CRIED_COMMANDS and _on_turn(world, actor):
            # "atack" on one's turn (played at the Lamplighter: "Did you mean 'attack'?",
            # and the turn's seconds running): the command, not the question.
            return dispatch(world, actor, Intent(intent.suggestion, "", intent.raw), ctx)
        if intent.suggestion and not game.is_action_word(world, actor, word):
            return _err(
                actor.key, f"Unknown command '{intent.args}'. Did you mean '{intent.suggestion}'?"
            )
        if _CALLING_OUT.fullmatch(intent.args.strip()):
            return _called_out(world, actor, intent.args.strip(), ctx)
        if _WHO_OF_US.match(intent.args) and search.people(
            world, actor.room, besides=actor.key, viewer=actor.key
        ):
            # "who takes the lantern?" over the Lamplighter's loot (played: asked of the
            # DM, who described the lantern): for the others here to settle.
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        menu = _menu_of_you(world, actor, intent.args, ctx)
        if menu is not None:
            return menu
        if _WHERE_ALL.fullmatch(intent.args.strip()):
            # "where is everyone?" (played by a new player in the tavern: "Tobin Wick
            # might know more of that"): the players of these parts, as 'where' lists.
            return [
                _asked_dm(actor, intent.args.strip()[:MAX_SAY]),
                *presence.cmd_where(world, actor, Intent("where", "", "where"), ctx),
            ]
        announced = address.SENTENCE.split(intent.args.strip())[-1]
        if (
            _questioning(intent.args)
            and not intent.args.rstrip().endswith("?")
            and (_I_WILL.match(announced) or _LET_ME.match(announced))
            and (words_deed := _words_then_deed(world, actor, intent.args, ctx)) is not None
        ):
            # "ready? i'll unlock it" (played: said, and the iron door stayed locked): the
            # question said, then the deed done.
            words, deed = words_deed
            return [*cmd_say(world, actor, Intent("say", words, words), ctx), Then(actor.key, deed)]
        if (
            "?" in intent.args
            and not intent.args.rstrip().endswith("?")  # a question whole is asked below
            and _REST_ASKED.search(intent.args)
            and _rules_asked(world, actor, intent.args) is None
        ):
            # "quick rest? i'm at 8": a rest asked, words after it (played: said, and the
            # other's "good idea" rested no one).
            proposed = _rest_asked(world, actor, intent.args, ctx)
            if proposed is not None:
                return proposed
        if _questioning(intent.args) or lore.asks_more(intent.args):
            named = address.addressed(world, actor, intent.args)
            if named is not None:
                # "Have you seen Edda, Bessa?": asked of Bessa, by the name at its end;
                # "bessa, can I have an ale?" is an order (tried: "Don't know about
                # that, love. Have some stew.").
                bought = _order_said(world, actor, named.asked, ctx)
                if bought is None:
                    bought = _menu_asked(world, actor, named, ctx)
                if bought is None:
                    bought = _ask_npc(world, actor, named.ref, named.asked[:MAX_SAY], ctx)
                return _said_before(world, actor, named, ctx) + bought
            mate = address.addressed_player(world, actor, intent.args)
            if mate is not None:
                # "want to team up, oren?": played, asked of the DM, and Oren heard nothing.
                return _to_mate(world, actor, mate, ctx, ask=True)
            read = _what_it_says(world, actor, intent.args, ctx)
            if read is not None:
                return read  # "what does it say?" beside the packet just found
            if _rules_asked(world, actor, intent.args) is not None:
                # "what's a short rest?" is the DM's to answer, not a rest proposed to
                # the one beside (tried: asked of them).
                return cmd_ask(world, actor, Intent("ask", intent.args, intent.raw), ctx)
            foe = _danger_asked(world, actor, intent.args)
            if foe is not None:
                # "is he dangerous?" of Crake (played by a new player: said to the room,
                # and nothing answered): what 'consider' tells.
                asked = _asked_dm(actor, intent.args.strip()[:MAX_SAY])
                return [asked, *game.cmd_consider(world, actor, Intent("consider", foe, foe), ctx)]
            proposed = _rest_asked(world, actor, intent.args, ctx)
            if proposed is not None:
                return proposed
            if _offer_in(world, actor, intent.args, None) is not None:
                # "anyone need a potion?" beside one other player: played, asked of the DM.
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            answer = _answering(world, actor, intent.args, ctx)
            if answer is not None:
                return answer  # "heard there's work. you?" to the one who asked
            echoed = _echoing_back(world, actor, intent.args, ctx)
            if echoed is not None:
                # "went out? the marsh lights, you mean" just after Brin's "... till
                # they went out" (played: asked of the innkeeper, who knew of lights).
                return _ask_player(world, actor, echoed, intent.args.strip()[:MAX_SAY], ctx)
            beside = world.chars.get(actor.pose_with) if actor.pose_with else None
            if beside is None or beside.room != actor.room:
                beside = _spoken_to_by(world, actor, intent.args, ctx) or _of_their_calling(
                    world, actor, intent.args
                )
            if (
                beside is not None
                and beside.room == actor.room
                # Chat's "u" too: "ya first time. u a cleric?" (played: asked of the
                # innkeeper, "Don't know about that, love.").
                and _YOU.search(unslipped(intent.args))
                and not _ASKS_KNOWN.search(intent.args)
            ):
                # Sitting beside a player, a question of "you" is theirs (not one of what
                # they know, which is for whoever here knows): played, Wynn sat next to
                # Tarra and asked "so. you here about the lights too?", and the
                # innkeeper answered. So is one put back to the player who has just
                # spoken to the asker: played, "ha. I do. Vesna. and you're one of the
                # lamp folk?" after Rook's "you look like you know how to swing that
                # sword" was asked of the innkeeper, who spoke of lamps; and "aye. you
                # here about the missing map-maker too?" just after Ilse's "hey. wet
                # night for it" (played: asked of the innkeeper).
                return _ask_player(world, actor, beside.key, intent.args.strip()[:MAX_SAY], ctx)
            if (
                _WHOSE_ALONE.fullmatch(intent.args.strip())
                and search.people(world, actor.room, besides=actor.key, viewer=actor.key)
                # In a talk, the one talked with's (found in review: "yours?" to Bessa).
                and _partner(world, actor, ctx.recent) is None
            ):
                # "*picks up the drowned iron key* Edda's?" beside Marigold (played: asked
                # of the DM, who told where Edda kept her notes): a guess put to the others.
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            if _remark_to_all(world, actor, intent.args, ctx):
                # "dreadful night, isn't it?" beside another player (played: asked of the
                # DM, "Bessa Thorn, here, might know more of that."): a remark to the
                # room, a word tagged on for them to agree with.
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            your_way = _YOUR_WAY.match(address.SENTENCE.split(intent.args.strip())[-1])
            if your_way is not None and _partner(world, actor, ctx.recent) is None:
                # "sup. u headed out to the marsh?" beside Mara (played: asked of the
                # innkeeper, who told where the lights walk from): where one goes, or
                # why one is here, is asked of the travellers, not of whoever knows of
                # the place named.
                mates = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
                if len(mates) == 1:
                    question = intent.args.strip()[:MAX_SAY]
                    return _ask_player(world, actor, mates[0].ref, question, ctx)
                if mates:
                    return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            if party.TO_YOU_ALL.search(intent.args) and search.people(
                world, actor.room, besides=actor.key, viewer=actor.key
            ):
                # "wait, you two found her? who's up for another job?" (played by a
                # newcomer beside the two who brought Edda home: asked of Edda, whom he
                # had just asked of her story): to the players here.
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            if _teaming_asked(world, actor, intent.args) or (
                _LEAD_ASKED.search(intent.args) and party.present(world, actor.key)
            ):
                # "cool. wanna group up priest?" just after the other asked Bessa of the
                # cartographer (played: asked of her, "Don't know about that, love."):
                # an invitation is the players' and no one else's, and so is who leads
                # ("The old mill, then. Will you lead, or shall I?": played, Bessa told
                # the way to the mill).
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            keeper = _leave_asked_of(world, actor, intent.args)
            if keeper is not None:
                # "mind if we take that key?" beside Crake, who watches over it (played:
                # said to the companion, and Crake said nothing).
                return _ask_npc(world, actor, keeper, intent.args.strip()[:MAX_SAY], ctx)
            # A bystander's follow-up ("where did she go?" after another's question to
            # Bessa) is for the one who answered, as the asker's own would be.
            partner = _partner(world, actor, ctx.recent) or _partner(world, actor, ctx.overheard)
            if partner is not None and _whose_room(world, actor, intent.args, ctx) is not None:
                # "where's her room?" or "can we see her room?" just after Bessa spoke
                # of the cartographer: the way there, as asked of the DM (played: she
                # answered with where Edda kept her notes, and "can we see her room?"
                # was said to the companion).
                return cmd_ask(world, actor, Intent("ask", intent.args, intent.raw), ctx)
            among_us = _AMONG_US.search(intent.args) is not None
            if among_us and _LEAVE_ASKED.match(intent.args) and partner is not None:
                # "can we see her things?" just after asking Bessa of the cartographer:
                # leave asked of the one spoken with, when they know of it (played: said
                # to the companion, and the innkeeper said nothing).
                tmpl = world.templates.npcs[world.npcs[partner].id]
                present = lore.present_with(world, tmpl.id)
                among_us = lore.knower([tmpl], intent.args, actor, present) is None
            if among_us and partner is not None and _TELL_ME.match(intent.args):
                # "tell us about the lamplighter" to Crake, talked with, in company
                # (played: said to the room, where "tell me ..." asked him).
                among_us = False
            if among_us and _to_companions(world, actor, intent.args):
                # "yes. shall we go together?" after another asked Bessa: played, put to
                # her ("Don't know about that, love."), not to the companion; "we should
                # get back to the cellar. you ready?" after asking Crake of the one below:
                # played, put to Crake, who knows of the cellar.
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            if partner is not None and not _dm_answers(world, actor, intent.args):
                # The next question in a conversation is for the one spoken to: played,
                # "who are you?" after "talk to crake" was the DM's "You weigh what is
                # known so far.".
                return _ask_npc(world, actor, partner, intent.args.strip()[:MAX_SAY], ctx)
            stranger = _WHO_ARE_YOU.match(unslipped(intent.args))
            talker = _sole_talker(world, actor) if stranger is not None else None
            if talker is not None:
                # "who r u" in Crake's loft (played: the DM's "You do not know that yet"):
                # asked of the one here who talks, as "who are you?" is by ``_knower``.
                return _ask_npc(world, actor, talker, intent.args.strip()[:MAX_SAY], ctx)
            knows = _knower(world, actor, intent.args)
            if knows is not None:
                # Asked aloud, answered by whoever here knows: played, "what happened to
                # the cartographer?" beside the innkeeper who had just spoken of her was
                # the DM's "You turn the question over."
                return _ask_npc(world, actor, knows, intent.args.strip()[:MAX_SAY], ctx)
            if _to_companions(world, actor, intent.args):
                return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
            # A question is for the DM, not a deed: "what now?" was told back as "You try
            # to what now?." and narrated as a thing done. A reply before it is said
            # first (played: "thanks! so, what now?" to a companion who had handed over
            # a stew, and the thanks was the DM's alone).
            first = _REPLY_FIRST.match(intent.args.strip())
            others = any(c.key != actor.key for c in world.people_in(actor.room))
            # Or words to the others, a sentence of their own: "we did it. now where is
            # edda?" (played: all of it the DM's, the Lamplighter just fallen).
            # Not a thing named and trailing off ("those candles... who keeps them lit?").
            opening = first.group(1).rstrip() if first is not None else ""
            said_first = first is not None and (
                is_reply(opening)
                or (
                    opening.endswith((".", "!"))
                    and not first.group(2).startswith(".")
                    and len(opening.split()) > 2
                    and is_spoken(opening)
                )
                # Cried out: "+150 xp! i could get used to this. the shrine's west?"
                # (played: all of it asked of the DM, who told the asker's XP).
                or (opening.endswith("!") and not parse(opening, ALIASES).verb)
            )
            if first is not None and said_first and others:
                reply = first.group(1).strip()
                question = first.group(2).strip()
                if question.strip(" ?!").lower() in TAG_QUESTIONS:
                    # "that was close. right?" (tried: "right?" asked of the DM): a
                    # word that asks the others to agree, said with the rest.
                    return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
                if _to_companions(world, actor, question):
                    # "we should get back to the cellar. you ready?" beside Rook (played
                    # 2026-12-07: "you ready?" asked of the DM): the others'.
                    return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
                part = _REPLY_FIRST.match(question)
                while part is not None and (
                    is_reply(part.group(1))
                    or (part.group(1).endswith((".", "!")) and is_spoken(part.group(1)))
                ):
                    # "sure, why not. what's a group do?": the reply is all its parts
                    # (played: "why not." was asked of the DM); so are words said after
                    # it ("nice, we did it! what now?": played, "we did it! what now?"
                    # was asked, and nothing answered).
                    reply, question = f"{reply} {part.group(1).strip()}", part.group(2).strip()
                    part = _REPLY_FIRST.match(question)
                reply = reply.rstrip(",;")
                said = cmd_say(world, actor, Intent("say", reply, reply), ctx)
                if actor.key in world.invites and party.assents(reply):
                    # "deal. where do we start?" to "wanna team up?" (played: asked of
                    # the DM, and told to the asker alone, before the group was
                    # joined): asked once the yes has joined, so it is the group's.
                    return [
                        *said,
                        Then(actor.key, f"ask {question}"[:MAX_SAY], before=_new_words(reply)),
                    ]
                # "i am new here. what i do?": asked by one new, how to play.
                told = _new_said(ctx, reply)
                return [*said, *cmd_ask(world, actor, Intent("ask", question, question), told)]
            return cmd_ask(world, actor, Intent("ask", intent.args, intent.raw), ctx)
        reply_deed = _reply_then_deed(world, actor, intent.args, ctx)
        if reply_deed is not None:
            # "yes. open it", "ok, get the key": the answer said, then the thing done
            # (played: all of it said, and the door stayed shut).
            reply, deed = reply_deed
            said = cmd_say(world, actor, Intent("say", reply, reply), ctx)
            return [*said, Then(actor.key, deed)]
        words_deed = _words_then_deed(world, actor, intent.args, ctx)
        if words_deed is not None:
            # "the altar. edda's map had a stair going down. check the altar": played,
            # all of it a deed ("You act: the altar. ..."), the words unheard.
            words, deed = words_deed
            said = cmd_say(world, actor, Intent("say", words, words), ctx)
            return [*said, Then(actor.key, deed)]
        if _prayed_power(world, actor, intent.args) is not None:
            # "I'll mend it myself. Saint Ysolde, lend me your light." (played by a hurt
            # Lamp-Keeper: said, and no one healed): the prayer said, and answered, as
            # 'say' answers it.
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        opening = address.SENTENCE.split(intent.args.strip())[0].strip(" .!,").lower()
        answered_own = _answers_itself(intent.args)
        if (
            is_spoken(intent.args)
            or opening == actor.name.lower()
            or opening in (f"{actor.name.lower()} {w}" for w in _INTRODUCED)
            or answered_own
            or _place_decided(world, actor, intent.args) is not None
            # "reed path next, come on" (played: "You try to reed path next, come on.").
            or party.calls_along(sentences(intent.args))
        ):
            # Words to the others ("that warden is too strong", "agreed. let's rest")
            # are said: played, they were "You act: ..." and a narration of nothing;
            # so is one's own name first ("ivo. I find things people lose": played, the
            # answer to "what's your story?" was a deed).
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        waiting = (
            actor.key in world.questions
            and not game.is_action_word(world, actor, word)
            # "Wren unwraps the packet and reads it aloud." to "what does it say?" is
            # done, not said back (played: "You say to Brannoc, 'unwrap the packet ...'").
            and not ctx.posed
        )
        answer = _answering(world, actor, intent.args, ctx) if waiting else None
        if answer is not None:
            # "the saint's lamps. they've gone dark." to a player's "you?": played,
            # "Corwin acts: the saint's lamps..."; and before an NPC's greeting's
            # question (as in ``say``).
            return answer
        answered = _answered(world, actor, intent.args, unanswered=True)
        if answered is not None and game.feature_action(world, actor, intent.args) is None:
            # "Just to ask" to Aldith's "Have you come to light a lamp, or to ask about
            # one?": played, a deed ("You try to just to ask."). A thing the builder
            # wrote to do here is done, not said to her (played: "light edda's lamp"
            # answered her, and the lamp stayed as it was).
            return game.talk_to(world, actor, answered, intent.args.strip()[:MAX_SAY])
        if _LATER_WILL.search(intent.args) and not game.is_action_word(world, actor, word):
            # Words, then what one will do that is no command here: "born here. I'll get
            # us some stew" (tried: "You try to born here. ...").
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        if _INVOKED.match(intent.args):
            # "saint ysolde, light my hand!" (played: "You try to saint ysolde, light your
            # hand."): a prayer, or a call to one who is not here, said aloud.
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        if word.lower() == "to" or _HANDING.match(address.SENTENCE.split(intent.args)[0]):
            # A toast, or words, no answer to anyone: "to the saint!", "to absent
            # friends" (tried: "You act: ..."); a thing handed in words that names
            # nothing carried ("here, you take it" after a restart: played, a deed).
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        parts = address.SENTENCE.split(intent.args.strip())
        rest = " ".join(parts[1:])
        if (
            len(parts) > 1
            and (is_spoken(rest) or _I_WILL.match(rest) is not None)
            and (
                parse(parts[0], ALIASES).verb
                or game.is_action_word(world, actor, parts[0].split(maxsplit=1)[0])
            )
        ):
            # A deed, then words: "search the hearth. I'll keep watch" (tried: "Maren
            # searches the hearth. I'll keep watch.").
            return [Then(actor.key, parts[0].rstrip(".!;")), Then(actor.key, f"say {rest}")]
        if (
            len(parts) > 1
            and parse(parts[-1], ALIASES).verb == "say"
            and not any(
                parse(part, ALIASES).verb
                or game.is_action_word(world, actor, part.split(maxsplit=1)[0])
                for part in parts[:-1]
            )
        ):
            # Words, and words the parser reads as said: "ya. wanna team up? i tank, u
            # stab" (played: "You act: ...", and a narration of a deed).
            return cmd_say(world, actor, Intent("say", intent.args, intent.raw), ctx)
        return cmd_do(world, actor, Intent("do", intent.args[:MAX_SAY], intent.raw), ctx)
    if intent.verb == "do" and _ASKED_WITH_DO.match(intent.raw):
        # "do you know where Edda is?", "do you have rooms, Bessa?": played, "You act: you
        # know where edda is?". A question, asked as free text is.
        return _dispatch(world, actor, Intent("", intent.raw.strip(), intent.raw), ctx)
    if intent.verb == "attack" and intent.raw.rstrip().endswith("?"):
        # "kill it?", "attack him?" asked of a companion (found in review: it started the
        # fight, and drew them in): words, said.
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    told_a_thing = _TOLD_A_THING.match(intent.args) if intent.verb in ("whisper", "tell") else None
    if told_a_thing is not None and not _names_someone_here(
        world, actor, intent.args[told_a_thing.end() - 1 :]
    ):
        # "whisper a prayer for Pell", "tell a story" (played: "You whisper to Ash,
        # 'prayer for Pell'", the article taken for Ash's name): a deed, not a player;
        # "tell the innkeeper i need a room" is hers (found in review).
        return _dispatch(world, actor, Intent("", intent.raw.strip(), intent.raw), ctx)
    if intent.verb == "tell" and _TELL_ME.match(intent.raw):
        # "tell me more" to the one spoken with: played, "No one called 'me' is playing."
        return _dispatch(world, actor, Intent("", intent.raw.strip(), intent.raw), ctx)
    if intent.verb in ("follow", "look", "get", "show", "give") and _called(intent.raw):
        # "follow me", "look out!", "get back!": called to the others, not done; "show
        # off", "give up" (played on the salt bank: "You see no 'off' here.").
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    if intent.verb in ("follow", "look", "get"):
        parts = address.SENTENCE.split(intent.raw.strip())
        rest = " ".join(parts[1:])
        if len(parts) > 1 and _called(parts[0]) and is_spoken(rest):
            # "look out! it's behind you": all of it words.
            return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
        if len(parts) > 1 and _called(parts[0]):
            # A call, then a command: "get it off me! hit the rat" (played in a fight:
            # "You see no 'it off me' here.").
            called = cmd_say(world, actor, Intent("say", parts[0], parts[0]), ctx)
            return [*called, Then(actor.key, rest)]
    if (
        intent.verb == "score"
        and intent.args.strip(" ?!.")
        and intent.raw.split()[0].lower() in _SHEET_WORDS
    ):
        # "level 2! nice work quill", "hp 3, help": words (played: the level told back,
        # privately, and the rest of the line lost). "level" alone asks it.
        return cmd_say(world, actor, Intent("say", intent.raw.strip(), intent.raw), ctx)
    if intent.verb == "who" and intent.args.strip():
        # "who juno", "finger juno", "whois juno" (other MUDs' words; played: "You try
        # to finger juno."): that player, as "who is juno?" answers.
        player = answers.who_player(world, actor, f"who is {intent.args.strip(' ?')}?")
        if player is not None:
            return [Tell(actor.key, Doc.text(esc(player)))]
        by_name = _who_by_name(world, actor, intent)
        if by_name:
            return [Tell(actor.key, Doc.text(esc(by_name)))]
    if intent.verb in _ASKING_VERBS and intent.args.strip():
        # "who is Edda?", "who sells potions?", "where is the mill?": a question, not
        # the list of players.
        return _dispatch(world, actor, Intent("", intent.raw.strip(), intent.raw), ctx)
    command = COMMANDS_BY_NAME[intent.verb]
    if command.admin and not actor.is_admin:
        if command.players_verb:
            meant = Intent(command.players_verb, intent.args, intent.raw)
            return COMMANDS_BY_NAME[command.players_verb].handler(world, actor, meant, ctx)
        if command.plain_for_players:
            return _dispatch(world, actor, Intent("", intent.raw.strip(), intent.raw), ctx)
        return _err(actor.key, command.for_players or "Only admins may do that.")
    return command.handler(world, actor, intent, ctx)


__all__ = ["ALIASES", "COMMANDS", "Command", "Ctx", "describe_room", "dispatch"]
