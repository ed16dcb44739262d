"""Doors: open, close, unlock, lock and pick, and what a closed door stops. Pure.

A door (``mud.world.model.Door``) sits on an exit and on the exit leading back; both
carry the same door id, and its state (``World.door``) is one for everyone: when Alice
unlocks and opens the trapdoor, Bob walks through behind her. Handlers follow
``mud.engine.commands``: ``(world, actor, intent, ctx) -> list[Effect]``; the hub carries
out the ``SetDoor`` they return (and persists it). Both rooms hear what happens to it.
"""

from __future__ import annotations

import re

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc
from mud.engine import phrasing, search
from mud.engine.context import Ctx
from mud.engine.effects import Effect, SetDoor, Tell, Then, ToRoom
from mud.engine.parser import Intent
from mud.engine.rules import Ability, CheckResult, check
from mud.engine.sheet import check_bonus, rolled, score, trained
from mud.engine.state import Character, DoorState, World
from mud.engine.views import exit_visible, list_words
from mud.render.grammar import capitalise, definite, in_place, place
from mud.world.model import Door, Exit

PICK_SKILL = "sleight_of_hand"
"""The skill a character must be proficient in to pick locks (rogues are)."""


def the(name: str) -> str:
    """``name`` with the definite article ("the trapdoor"); see ``grammar.definite``."""
    return definite(name)


def _cap(text: str) -> str:
    return capitalise(text)


def _err(who: str, text: str) -> list[Effect]:
    return [Tell(who, Doc.text(styled("error", text)))]


def _door_name(door: Door) -> str:
    return esc(the(door.name))


def blocked(world: World, ex: Exit) -> str | None:
    """Why ``ex`` cannot be walked through now (its door is closed), or None.

    Called by ``go`` and by fleeing; the text is for the player who tried."""
    door = ex.door
    if door is None or not door.id:
        return None
    state = world.door(door)
    if not state.closed:
        return None
    name = _cap(the(door.name))
    if state.locked:
        return f"{name} is closed. It is locked."
    return f"{name} is closed. Try 'open {door.name}'."


def state_line(world: World, ex: Exit) -> str:
    """`` The trapdoor is closed and locked.`` (with its leading space, escaped for
    markup) for an exit with a door, so looking that way tells how it stands now; ""
    for an open way."""
    stands = how_it_stands(world, ex)
    return f" {esc(stands)}" if stands else ""


def how_it_stands(world: World, ex: Exit) -> str:
    """ "The trapdoor is closed and locked." (plain text) for an exit with a door; "" for
    an open way. Also the DM's answer to "is the trapdoor locked?"."""
    door = ex.door
    if door is None or not door.id:
        return ""
    state = world.door(door)
    how = "closed and locked" if state.locked else "closed" if state.closed else "open"
    return f"{_cap(the(door.name))} is {how}."


def door_here(world: World, actor: Character, words: str) -> tuple[Exit, Door] | str:
    """The door in the actor's room that ``words`` names (a direction, or the door's
    name or alias; nothing when the room has one door), or why there is none."""
    room = world.room(actor.room)
    doors = [
        (ex, ex.door)
        for ex in room.exits
        if ex.door is not None
        and ex.door.id
        and exit_visible(world, room.id, ex.direction, ex.hidden, actor.key)
    ]
    if not doors:
        return "There is no door here."
    if not words.strip():
        if len(doors) == 1:
            return doors[0]
        return "Which door? Name it or its direction."
    found = search.find(search.doors(world, actor), words, search.DOORS)
    if found.thing is None:
        # "unlock the trapdoor with the rusty key": the door named inside a phrase (not
        # "2.door", which asks for a second one).
        nth, _target = search.split_ordinal(words)
        named = door_named_in(world, actor, words) if not nth else None
        return named if named is not None else found.error
    return next((ex, door) for ex, door in doors if ex.direction == found.thing.ref)


def about_a_door(world: World, actor: Character, words: str) -> bool:
    """True when a door command's ``words`` are about a door here: nothing (the
    command's own rule for "the door" applies), a door's name, alias or direction, or a
    phrase naming one ("the trapdoor with the rusty key"), or a word for a door of some
    kind ("gate": the command then says there is none). False for the other things
    players open, close and pick ("the reliquary", "my eyes", "a flower"): those lines
    are deeds for the Dungeon Master. Pure."""
    if not words.strip() or _DOORLIKE & set(_WORD.findall(words.lower())):
        return True  # "open gate" where there is none: "You see no door called 'gate'"
    _nth, target = search.split_ordinal(words)
    if any(search.score(thing, target) for thing in search.doors(world, actor)):
        return True
    return door_named_in(world, actor, words) is not None


def _change(
    world: World,
    actor: Character,
    ex: Exit,
    door: Door,
    state: DoorState,
    *,
    said: str,
    far: str,
    for_actor: str = "",
    key: str = "",
) -> list[Effect]:
    """The effects of the actor changing the door to ``state``: the change, what the
    actor and the room read (``said``, a ``mud.engine.phrasing`` template with
    ``{door}`` and ``{key}``: " with the key", the actor's alone; ``for_actor`` when
    the actor reads another sentence) and what the room on the other side hears."""
    name = _door_name(door)
    return [
        SetDoor(door.id, state.closed, state.locked),
        *phrasing.act(
            actor,
            said,
            for_actor=for_actor,
            private={"key": f" with {esc(the(key))}" if key else ""},
            door=name,
        ),
        ToRoom(ex.to, Doc.text(_cap(far.format(door=name)))),
    ]


def opened_on_the_way(world: World, actor: Character, ex: Exit) -> list[Effect] | None:
    """The effects of ``actor`` opening ``ex``'s closed, unlocked door as they walk
    through it (what ``open`` does, seen on both sides); None when it is locked or has
    no closed door. Called by ``go``: played, "unlock the trapdoor" then "down" was
    "The trapdoor is closed. Try 'open trapdoor'."."""
    door = ex.door
    if door is None or not door.id:
        return None
    state = world.door(door)
    if not state.closed or state.locked:
        return None
    return _opened(world, actor, ex, door)


def _opened(world: World, actor: Character, ex: Exit, door: Door) -> list[Effect]:
    """The effects of ``actor`` opening ``door`` (closed, not locked) on ``ex``."""
    return _change(
        world,
        actor,
        ex,
        door,
        DoorState(closed=False, locked=False),
        said="{actor} {v:open} {door}.",
        far="{door} opens.",
    )


#: A key tried in words, after "let's", "let me", "I'll" or none: "try the key", "use
#: the rusty key on the trapdoor", "see if this key fits", "put the key in the lock",
#: "turn the key", "the key in the lock".
_KEY_TRIED = re.compile(
    r"^\W*(?:(?:let'?s|let\s+me|i'?ll|i\s+will|ok|okay|right|alright|now)[,.]?\s+)*"
    # "*kneels and works the rusty key into the lock*" (played: "You try to work ...").
    r"(?:(?:try|use|put|stick|slide|slip|insert|turn|test|fit|jam|work|ease|twist|wiggle)"
    r"\s+(?P<used>.+)"
    r"|see\s+(?:if|whether)\s+(?P<fits>.+?)\s+(?:fits|works|turns)\b.*"
    r"|(?P<held>(?:the|this|my|that|our)\s+\S.*?)\s+in\s+the\s+(?:lock|keyhole)\b.*)$",
    re.I,
)
#: Where a key is put or used, closing its words: "in the lock", "on the trapdoor".
_KEY_WHERE = re.compile(r"\s+(?:in|into|on|with|against|to)\s+\S.*$", re.I)


#: Whether a key fits, asked: "does it fit?", "will the key fit the iron door?".
_FITS_ASKED = re.compile(
    r"^\W*(?:does|will|would|do\s+you\s+think|think)\s+(?P<key>.+?)\s+(?:fits?|works?)\b", re.I
)


def key_fits(world: World, actor: Character, question: str) -> str | None:
    """The answer to whether a key the actor carries fits a lock here ("does it fit?":
    "The drowned iron key fits the iron door: 'unlock iron door'."), or that it fits
    none here; None for any other question, or no such key carried. Played on the
    drowned stair, the Warden's key in hand: "does it fit?" was the DM's, with nothing
    said."""
    asked = _FITS_ASKED.match(question)
    if asked is None:
        return None
    item = _key_named(world, actor, asked.group("key"))
    if item is None:
        return None
    template = world.items[item].template
    name = _cap(the(world.templates.items[template].name))
    fits = _fitted(world, actor, template)
    if not fits or fits[0].door is None:
        return f"{name} fits no lock here."
    door = fits[0].door
    if world.door(door).locked:
        return f"{name} fits {the(door.name)}: 'unlock {door.name}'."
    return f"{name} fits {the(door.name)}, which is not locked."


def _key_named(world: World, actor: Character, words: str) -> str | None:
    """The item id of the key ``actor`` carries that ``words`` name ("the key", "the
    rusty key"; "it" or "this" when they carry one key only), or None."""
    keys = [i for i in actor.inventory if i in world.items and world.item_template(i).kind == "key"]
    if words.lower().strip() in ("it", "this", "that", "this one", "that one"):
        # Of more than one, the one that fits a lock here (played: the smugglers' key
        # still in the pack, "let's see if it fits the iron door" was said).
        fitting = [i for i in keys if _fitted(world, actor, world.items[i].template)]
        one = keys if len(keys) == 1 else fitting
        return one[0] if len(one) == 1 else None
    thing = search.find(search.carried(world, actor), words, search.CARRIED).thing
    if thing is None:
        # "the key" of two (played on the drowned stair, the smugglers' key still in the
        # pack: "fit the key to the iron door and push it open" was a STR check): of the
        # keys the words name, the one that fits a lock here.
        said = search.split_ordinal(words)[1]
        named = [t for t in search.items(world, keys) if search.score(t, said)]
        fitting = [t.ref for t in named if _fitted(world, actor, world.items[t.ref].template)]
        return fitting[0] if len(fitting) == 1 else None
    return thing.ref if thing.ref in keys else None


def carries_fitting_key(world: World, actor: Character) -> bool:
    """Whether ``actor`` carries a key that fits a door of their room they can see: what
    "try it" then means (``commands``). Pure."""
    return any(
        i in world.items
        and world.item_template(i).kind == "key"
        and _fitted(world, actor, world.items[i].template)
        for i in actor.inventory
    )


def _fitted(world: World, actor: Character, template: str) -> list[Exit]:
    """The exits of ``actor``'s room they can see whose door the key ``template`` fits."""
    room = world.room(actor.room)
    return [
        ex
        for ex in room.exits
        if ex.door is not None
        and ex.door.id
        and ex.door.key == template
        and exit_visible(world, room.id, ex.direction, ex.hidden, actor.key)
    ]


def key_tried(world: World, actor: Character, line: str, ctx: Ctx) -> list[Effect] | None:
    """A key the actor carries, tried in words (``_KEY_TRIED``: "try the key", "use the
    rusty key", "let's see if this key fits", "put the key in the lock"): the door here
    it fits unlocked (``unlock``), or that it fits no lock here, or that the door is not
    locked; None when ``line`` is no such words or names nothing carried that is a key.
    Played in the tavern cellar, the smugglers' key in hand: "let's see if this key
    fits" was said, and "try the key", "use the key" and "see if the key fits the
    trapdoor" were deeds or refused."""
    # "fit the key to the iron door and push it open": the key, then the rest (played:
    # unlocked, and the rest lost).
    line, *more = _THEN_MORE.split(line.strip().rstrip(".!"), maxsplit=1)
    found = _KEY_TRIED.match(line)
    if found is None:
        return None
    words = found.group("used") or found.group("fits") or found.group("held") or ""
    # "let's see if it fits the iron door": "it", the one key carried (played: said).
    item = _key_named(world, actor, _KEY_WHERE.sub("", words))
    if item is None:
        return None
    template = world.items[item].template
    name = world.templates.items[template].name
    fits = _fitted(world, actor, template)
    if not fits:
        return _err(actor.key, f"{_cap(the(name))} fits no lock here.")
    door = fits[0].door
    if door is not None and not world.door(door).locked:
        return _err(actor.key, f"{_cap(the(name))} fits {the(door.name)}, which is not locked.")
    unlocked = cmd_unlock(world, actor, Intent("unlock", fits[0].direction, line), ctx)
    if more and _KEY_TURNED.fullmatch(more[0].strip()):
        # "fits the key to the iron door and turns it": the turn is the unlocking (played:
        # "You try to turn it.", narrated as a deed of its own).
        more = []
    return [*unlocked, *(Then(actor.key, more[0]) for _ in more[:1] if more[0].strip())]


#: Where a line goes on after a key is tried: "... and push it open", "..., then open it".
_THEN_MORE = re.compile(r"\s*,?\s+(?:and\s+then|and|then)\s+", re.I)
#: The key turned, after it is tried: "turns it", "turn the key", "twists it in the lock".
_KEY_TURNED = re.compile(
    r"(?:turns?|twists?|works?)\s+(?:it|the\s+key|the\s+lock)(?:\s+(?:in\s+the\s+lock|slowly"
    r"|hard|carefully|until\s+it\s+clicks))*[.!]*",
    re.I,
)


def key_hint(world: World, actor: Character, ex: Exit) -> str:
    """For one who walks into ``ex``'s locked door carrying its key: "The iron door is
    locked. You have the drowned iron key: 'unlock iron door'."; without it, who beside
    them has it ("The iron door is locked. Pip has the drowned iron key."), or where it
    lies in a room they have been in ("... The postern key lies in Pell's Cell: 'go to
    Pell's Cell'."); "" otherwise.
    Played:
    with the key in the pack, "down" said only "The iron door is closed. It is locked."."""
    door = ex.door
    if door is None or not door.id or not world.door(door).locked:
        return ""
    key = _key_for(world, actor, door)
    if key is None:
        if door.key is None or door.key not in world.templates.items:
            return ""
        holders = _holders(world, actor, door.key)
        name = world.templates.items[door.key].name
        left = _left_lying(world, actor, door.key) if not holders else ""
        if left:
            # Played (Lanternfall): "up" at the postern said it was locked, its key left
            # under Pell's floorboard where the search had uncovered it.
            room = world.room(left).name
            return (
                f"{_cap(the(door.name))} is locked. {_cap(the(name))} lies"
                f" {in_place(room)}: 'go to {place(room)}'."
            )
        if not holders:
            return ""
        # Played with two: "down" at the iron door said it was locked, while the one
        # beside her carried its key.
        has = "has" if len(holders) == 1 else "each have"
        return f"{_cap(the(door.name))} is locked. {list_words(holders)} {has} {the(name)}."
    return f"{_cap(the(door.name))} is locked. You have {the(key)}: 'unlock {door.name}'."


def unlocks_on_the_way(world: World, actor: Character, ex: Exit) -> str:
    """The name of ``ex``'s door when it is locked and ``actor`` carries its key, so a
    walk through it unlocks it and goes on ("go to the eel landing" with the rusty key:
    played, the walk stopped at the trapdoor, told to 'unlock trapdoor'); "" otherwise.
    Pure."""
    door = ex.door
    if door is None or not door.id or not world.door(door).locked:
        return ""
    return door.name if _key_for(world, actor, door) is not None else ""


def _key_for(world: World, actor: Character, door: Door) -> str | None:
    """The name of the actor's item that fits ``door``'s lock, or None."""
    if door.key is None:
        return None
    for item in actor.inventory:
        inst = world.items.get(item)
        if inst is not None and inst.template == door.key:
            return world.templates.items[door.key].name
    return None


def _need_key(world: World, door: Door, actor: Character | None = None) -> str:
    """Why ``door`` will not lock or unlock for one without its key; with ``actor``, and
    saying who beside them carries it (played: "You need the drowned iron key for the
    iron door." while the companion beside her had picked it up)."""
    if door.key is None or door.key not in world.templates.items:
        return f"{_cap(the(door.name))} has no keyhole you can use."
    key = world.templates.items[door.key].name
    need = f"You need {the(key)} for {the(door.name)}."
    holders = [] if actor is None else _holders(world, actor, door.key)
    if holders:
        has = "has" if len(holders) == 1 else "each have"
        need += f" {list_words(holders)} {has} it here."
    elif actor is not None and any(
        (inst := world.items.get(item)) is not None and inst.template == door.key
        for item in world.floor.get(actor.room, ())
    ):
        # Played: the Warden's key lay where it fell, and "ready? I'll unlock it" was
        # only said; "unlock door" told only that the key was needed.
        word = key.split()[-1]
        need += f" It lies here: 'get {word}'."
    elif actor is not None and (left := _left_lying(world, actor, door.key)):
        # Played (Lanternfall): Pell's key uncovered under the board and left there, and
        # at the postern "You need the postern key for the postern gate." and no more.
        name = world.room(left).name
        need += f" It lies {in_place(name)}: 'go to {place(name)}'."
    return need


def _left_lying(world: World, actor: Character, template: str) -> str:
    """The room ``actor`` has stood in, another than theirs, where an item of
    ``template`` lies, or "". (``lore.item_whereabouts`` walks the same rooms for "where
    is the key?", with the way there; lore cannot be imported here: it imports this
    module through ``resets``.)"""
    for room in actor.visited:
        if room == actor.room:
            continue
        for item in world.floor.get(room, ()):
            inst = world.items.get(item)
            if inst is not None and inst.template == template:
                return room
    return ""


def _holders(world: World, actor: Character, template: str) -> list[str]:
    """The names of the players beside ``actor`` who carry an item of ``template``."""
    return [
        c.name
        for c in world.people_in(actor.room)
        if c.key != actor.key
        and any(
            (inst := world.items.get(item)) is not None and inst.template == template
            for item in c.inventory
        )
    ]


def cmd_open(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """open <door or direction>

    Open a door here ('open trapdoor', 'open down'). A locked door is unlocked first
    when you carry its key, and otherwise stays shut. Everyone sees it open, on both
    sides. Opening something you carry ('open the packet') shows what it says, as
    'read' does.
    """
    found = door_here(world, actor, intent.args)
    if isinstance(found, str):
        return _err(actor.key, found)
    ex, door = found
    state = world.door(door)
    if not state.closed:
        return _err(actor.key, f"{_cap(the(door.name))} is already open.")
    if state.locked:
        if _key_for(world, actor, door) is None:
            # Who has its key, or where it lies (found in review: "open trapdoor" said
            # only that it was locked).
            hint = key_hint(world, actor, ex)
            return _err(actor.key, hint or f"{_cap(the(door.name))} is locked.")
        # "open the trapdoor with the key": played, "The trapdoor is locked." with the
        # key in hand.
        unlocked = cmd_unlock(world, actor, Intent("unlock", ex.direction, intent.raw), ctx)
        return [*unlocked, *_opened(world, actor, ex, door)]
    return _opened(world, actor, ex, door)


def cmd_close(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """close <door or direction>

    Close an open door here. No one can walk through it until it is opened again. Not
    while a fight goes on on either side of it: those fighting could not flee through.
    """
    found = door_here(world, actor, intent.args)
    if isinstance(found, str):
        return _err(actor.key, found)
    ex, door = found
    if world.door(door).closed:
        return _err(actor.key, f"{_cap(the(door.name))} is already closed.")
    if ex.to in world.fights or actor.room in world.fights:
        # Played by a griefer: the trapdoor closed and locked over a player fighting the
        # bog rat below, whose only way out was then into the next foe.
        beyond = "beyond" if ex.to in world.fights else "here"
        return _err(
            actor.key,
            f"Not while a fight goes on {beyond}: those fighting could not get out"
            f" through {the(door.name)}.",
        )
    return _change(
        world,
        actor,
        ex,
        door,
        DoorState(closed=True, locked=False),
        said="{actor} {v:close} {door}.",
        far="{door} closes.",
    )


def cmd_unlock(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """unlock <door or direction>

    Unlock a closed door here with its key, which you must carry. Unlocked, it stays
    unlocked for everyone: open it and your companions can follow.
    """
    found = door_here(world, actor, intent.args)
    if isinstance(found, str):
        return _err(actor.key, found)
    ex, door = found
    state = world.door(door)
    if not state.locked:
        return _err(actor.key, f"{_cap(the(door.name))} is not locked.")
    key = _key_for(world, actor, door)
    if key is None:
        return _err(actor.key, _need_key(world, door, actor))
    return _change(
        world,
        actor,
        ex,
        door,
        DoorState(closed=True, locked=False),
        said="{actor} {v:unlock} {door}{key}.",
        key=key,
        far="a key turns in the lock of {door}.",
    )


def cmd_lock(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """lock <door or direction>

    Lock a closed door here with its key, which you must carry.
    """
    found = door_here(world, actor, intent.args)
    if isinstance(found, str):
        return _err(actor.key, found)
    ex, door = found
    state = world.door(door)
    if state.locked:
        return _err(actor.key, f"{_cap(the(door.name))} is already locked.")
    if not state.closed:
        return _err(actor.key, f"Close {the(door.name)} first.")
    key = _key_for(world, actor, door)
    if key is None:
        return _err(actor.key, _need_key(world, door, actor))
    return _change(
        world,
        actor,
        ex,
        door,
        DoorState(closed=True, locked=True),
        said="{actor} {v:lock} {door}{key}.",
        key=key,
        far="a key turns in the lock of {door}.",
    )


def _roll(
    world: World, actor: Character, ability: Ability, dc: int, skill: str, doing: str, ctx: Ctx
) -> tuple[CheckResult, list[Effect]]:
    """The ``ability`` check of ``actor`` at a door (d20 + modifier, + proficiency when
    their class is trained in ``skill``) against ``dc``, and its effects: the roll
    recorded and its line shown to the room ("Rita: DEX check 14 vs DC 12: success by 2")."""
    result = check(
        ctx.rng,
        ability_score=score(actor, ability.value.lower()),
        dc=dc,
        bonus=check_bonus(world, actor, skill),
        reason=f"{actor.name} {doing}",
        ability=ability,
    )
    return result, [
        rolled(result.roll, f"{actor.name} {ability.value} check"),
        ToRoom(actor.room, Doc.text(tag("roll", esc(f"{actor.name}: {result.line()}")))),
    ]


def cmd_pick(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """pick <door or direction>

    (Rogues and others skilled in sleight of hand) Pick the lock of a locked door:
    d20 + your DEX modifier + proficiency against the lock's difficulty. You may try
    again after a failure.
    """
    if not actor.cls:
        return _err(actor.key, "You have not chosen a class yet.")
    found = door_here(world, actor, intent.args)
    if not trained(world, actor, PICK_SKILL):
        return _err(actor.key, "You do not know how to pick locks." + _other_way(world, found))
    if isinstance(found, str):
        return _err(actor.key, found)
    ex, door = found
    if not world.door(door).locked:
        return _err(actor.key, f"{_cap(the(door.name))} is not locked.")
    if door.pick_dc is None:
        return _err(actor.key, f"The lock of {the(door.name)} is beyond any pick.")
    result, effects = _roll(
        world, actor, Ability.DEX, door.pick_dc, PICK_SKILL, f"picks {door.name}", ctx
    )
    if not result.success:
        return effects + phrasing.act(
            actor,
            "{actor} {v:fiddle} with the lock of {door}.",
            for_actor="The lock of {door} holds.",
            door=_door_name(door),
        )
    return effects + _change(
        world,
        actor,
        ex,
        door,
        DoorState(closed=True, locked=False),
        said="{actor} {v:pick} the lock of {door}.",
        for_actor="The lock of {door} gives with a click.",
        far="something clicks in the lock of {door}.",
    )


def _other_way(world: World, found: tuple[Exit, Door] | str) -> str:
    """For one who cannot pick the lock of ``found``: how else a locked door might give
    (" The trapdoor might give to force: 'force trapdoor'."), or "". Played: a fighter's
    "let me try" after a rogue's pick failed read only that they knew no picking."""
    if isinstance(found, str):
        return ""
    _ex, door = found
    if not world.door(door).locked or door.force_dc is None:
        return ""
    return f" {_cap(the(door.name))} might give to force: 'force {door.name}'."


# -- forcing -----------------------------------------------------------------------

FORCE_SKILL = "athletics"
"""The skill whose proficiency adds to a STR check that forces a door (fighters')."""

#: Words that force a door when the rest of the line names one ("kick the door in").
#: ``force``, ``bash``, ``break`` and ``smash`` are the ``force`` command; these are
#: plain words, read as forcing only when they name a door here.
FORCE_WORDS = frozenset({"kick", "pry", "prise", "prize", "shoulder", "ram", "batter"})

#: Words for a door that are not its name: "break the lock", "kick the door in".
_ANY_DOOR = frozenset({"door", "lock"})

_WORD = re.compile(r"[a-z]+")
#: Words for the kinds of door a player may look for where there is none.
_DOORLIKE = frozenset(
    {"door", "doors", "gate", "gates", "hatch", "trapdoor", "portcullis", "grate", "grating"}
)


def door_named_in(world: World, actor: Character, words: str) -> tuple[Exit, Door] | str | None:
    """The door here that a free phrase names ("the trapdoor open", "the lock on the
    hatch", "the door in"): by its name or an alias, each as whole words, or by "door"
    or "lock" when only one door here has a lock or only one is here. A string when the
    words fit two doors alike (which one?); None when they name none, so the line is
    something else ("break the silence"). Pure; never raises."""
    tokens = _WORD.findall(words.lower())
    if not tokens:
        return None
    text = " " + " ".join(tokens) + " "
    room = world.room(actor.room)
    doors = [
        (ex, ex.door)
        for ex in room.exits
        if ex.door is not None
        and ex.door.id
        and exit_visible(world, room.id, ex.direction, ex.hidden, actor.key)
    ]
    named = [
        (ex, door)
        for ex, door in doors
        if any(f" {n} " in text for n in (door.name, *door.aliases) if n)
    ]
    if not named and _ANY_DOOR & set(tokens):
        locked = [(ex, door) for ex, door in doors if world.door(door).locked]
        named = locked if "lock" in tokens or len(locked) == 1 else doors
    if not named:
        return None
    if len(named) > 1:
        ways = " or ".join(f"the {door.name} {ex.direction}" for ex, door in named[:4])
        return f"Which do you mean: {ways}? Name it or its direction."
    return named[0]


def force(world: World, actor: Character, words: str, ctx: Ctx) -> list[Effect] | None:
    """Force the door ``words`` name ("force the trapdoor", "kick the door in"): a STR
    check (plus proficiency for those trained in athletics) against the door's
    ``force_dc`` breaks its lock and throws it open for everyone, on both sides. A
    door that cannot be forced, or is not locked, says so; None when ``words`` name no
    door here (the line is a deed for the Dungeon Master). Called by
    ``commands.dispatch``. Pure."""
    found = door_named_in(world, actor, words)
    if found is None:
        return None
    if isinstance(found, str):
        return _err(actor.key, found)
    ex, door = found
    state = world.door(door)
    name = _cap(the(door.name))
    if not state.closed:
        return _err(actor.key, f"{name} is already open.")
    if not state.locked:
        return _err(actor.key, f"{name} is not locked. Try 'open {door.name}'.")
    if door.force_dc is None:
        ways = _need_key(world, door)
        if door.pick_dc is not None:
            ways += " A skilled hand might pick its lock."
        return _err(actor.key, f"{name} will not give to force. {ways}")
    result, effects = _roll(
        world, actor, Ability.STR, door.force_dc, FORCE_SKILL, f"forces {door.name}", ctx
    )
    if not result.success:
        called = _door_name(door)
        return effects + [
            *phrasing.act(actor, "{actor} {v:heave} at {door}, but it holds.", door=called),
            ToRoom(ex.to, Doc.text(f"Something heavy thuds against {called}.")),
        ]
    return effects + _change(
        world,
        actor,
        ex,
        door,
        DoorState(closed=False, locked=False),
        said="{actor} {v:force} {door}: the lock tears loose and it swings open.",
        far="{door} bursts open with a crack.",
    )


def doorless_way(world: World, actor: Character, words: str) -> str | None:
    """The direction of a way out of the actor's room that has no door, which ``words``
    name as a door by the way it leads ("the east door", "the door to the east"): the
    room's description may speak of doors no exit has ("Doors with painted numbers
    line the passage"). None when the words name no door word, or not one such way.
    Pure."""
    tokens = _WORD.findall(words.lower())
    if not _DOORLIKE & set(tokens):
        return None
    room = world.room(actor.room)
    ways = {
        ex.direction
        for ex in room.exits
        if ex.direction in tokens
        and (ex.door is None or not ex.door.id)
        and exit_visible(world, room.id, ex.direction, ex.hidden, actor.key)
    }
    return ways.pop() if len(ways) == 1 else None


__all__ = [
    "FORCE_WORDS",
    "about_a_door",
    "blocked",
    "cmd_close",
    "cmd_lock",
    "cmd_open",
    "cmd_pick",
    "cmd_unlock",
    "door_here",
    "door_named_in",
    "doorless_way",
    "force",
    "state_line",
    "the",
    "unlocks_on_the_way",
]
