"""The Dungeon Master's own answers to questions, from what the engine knows of the
world and the asker: who another player is and who else plays, where a way or door
here leads and how a door stands, how the asker gains a level, what is in their purse
and how hurt they are. Each takes the question as typed and returns the answer's text,
or None when the question is not its kind; ``commands._known_answer`` asks them in
turn, with ``mud.engine.lore``'s (the way, whereabouts, shops, what lies here).

Pure: nothing here changes the world or raises. Split out of ``commands`` (which had
grown past 3,700 lines) as the engine's answers, apart from its commands."""

from __future__ import annotations

import re

from mud.engine import address, dice, doors, party, search
from mud.engine.fight import STANDING_ASKED, standing, turn_choices
from mud.engine.lore import asks_what_next, rest_first, the_place
from mud.engine.sheet import armour_class, powers_of, uses_left, xp_thresholds
from mud.engine.state import FELL, Character, World, last_fall
from mud.engine.views import list_words
from mud.render.grammar import capitalise, definite, in_place
from mud.world.model import Exit, ItemTemplate

#: How the game itself is played, asked by one new to it: "how do I play this?", "how
#: does this work?", "how does this game work?", "what do I type?", "I'm new, what are the
#: commands?". Not how a thing works ("how does the lock work?" names the lock).
_PLAYING_ASKED = re.compile(
    # Not "how do i play the fiddle?" (found in review): the game, or nothing after.
    # "how i play?" too (played 2026-12-07 by Yuki, whose English is her second).
    r"\bhow\s+(?:(?:do|does|can|should|would|must)\s+)?(?:i|we|you|one)\s+play"
    r"(?:\s+(?:this|it|here|the\s+game|this\s+game|the\s+mud|this\s+mud))?\W*$"
    r"|\bhow\s+to\s+play\b"
    r"|\bhow\s+(?:does|do)\s+(?:this|the|this\s+whole)\s*(?:game|mud|thing)?\s+work\b"
    r"|\bwhat\s+(?:do|can|should)\s+(?:i|we)\s+type\b"
    r"|\bwhat\s+(?:are\s+the|commands)\b[^?]{0,20}\bcommands?\b"
    r"|\bwhat\s+commands\b",
    re.I,
)
#: One saying they are new to the game, in the first person: "i am new", "im new here",
#: "i'm new to this", "first time playing", "i've never played a mud", "newbie here".
#: Not new to a place ("i'm new in these parts", "i'm new to this town", found in
#: review), another's newness ("are you new here?") nor "never played a rogue".
NEW_HERE = re.compile(
    r"\bi\s*(?:'|’)?\s*(?:m|am)\s+(?:(?:very|totally|brand|so|completely|pretty|really|quite)"
    r"\s+)?new(?:\s+here)?(?:\s+to\s+(?:this|muds?|the\s+game|this\s+game|playing|mudding)"
    r"(?!\s+\w))?\s*(?:[.!?,;]|$|\s+(?:and|so|here|lol|haha|sorry|what|how|where|help|pls|please)\b)"
    r"|\bfirst\s+time\s+(?:here|playing|on\s+a\s+mud|in\s+a\s+mud)\b"
    r"|\bi(?:'ve|\s+have)?\s+never\s+played\s+(?:a\s+mud|muds|this|one|before)\b"
    r"|\b(?:newbie|noob|n00b)\s+here\b",
    re.I,
)
#: A question of what to do, alone: "help?", "what?", "how?".
_BARE_ASK = re.compile(r"\W*(?:help|how|what|what\s+now)\W*", re.I)
#: The world's help topics a builder writes for those new to it, the likeliest first.
_PRIMER_TOPICS = ("newbie", "newbies", "new", "start", "starting", "beginners", "playing")
#: How to play, when the world has no topic of its own for it.
PRIMER = (
    "Write what you do in plain words ('I search under the bed'), or type a command:"
    " 'look', a direction to walk ('north', or just 'n'), 'say <words>', 'talk to"
    " <someone>', 'inventory'. Ask anything with a question ('what now?'); the dice"
    " decide what happens and the Dungeon Master tells it. 'help' lists every command."
)


def how_to_play(world: World, question: str, said: str = "") -> tuple[str, bool] | None:
    """How the game is played, for a question asking it ("hello?? how do i play this", and
    a question by one who says they are new, "what do i do? im new"):
    (the world's own help topic for the new, the start pack's first (``_PRIMER_TOPICS``),
    or else ``PRIMER``; whether it is the primer, which says nothing of where to begin);
    None for other questions. ``said``: the asker's line before (or the words before the
    question in the same line): "im new" then "what do i do?" asks how to play. Played
    (round 57): a newcomer's "hello?? how do i play this" was answered with the first
    quest step alone."""
    # Said before, and not asked then ("hi bessa. im new here, what should i do?" was
    # asked of her, and answered).
    told = NEW_HERE.search(said) is not None and "?" not in said
    # Asking what to do, not something else: after "im new here", "where is the
    # chapel?" is the way there and "how do i sneak?" the rule (found in review).
    new = (NEW_HERE.search(question) is not None or told) and (
        asks_what_next(question) or _BARE_ASK.fullmatch(question) is not None
    )
    if _PLAYING_ASKED.search(question) is None and not new:
        return None
    # Played 2026-12-07: "what do i do? im new" was told the first quest step alone, and
    # "how i play?" was narrated; one who says they are new and asks is told how to play.
    templates = world.templates
    start = templates.rooms.get(templates.start)
    first = templates.packs.get(start.pack) if start is not None else None
    packs = [first] if first is not None else []
    packs += [p for p in templates.packs.values() if p is not first]
    for pack in packs:
        for name in _PRIMER_TOPICS:
            if pack.help.get(name):
                return " ".join(pack.help[name].split()), False
    return PRIMER, True


#: Leave asked to take a thing: "can I take that spear?", "may we have the key?".
_MAY_TAKE = re.compile(
    r"^\W*(?:can|may|could|should)\s+(?:i|we)\s+(?:take|grab|have|get|keep|pick\s+up|borrow)"
    r"\s+(?:that|this|the|those|these)?\s*(?P<what>[a-z][\w' -]*?)(?:\s+(?:too|then|now))?"
    r"[\s?.!]*$",
    re.I,
)


def take_asked(world: World, actor: Character, question: str) -> str | None:
    """The answer to "can I take that spear?" of a thing lying in ``actor``'s room: it is
    theirs for the taking, and how ('get <name>'), or that it cannot be carried; None
    when the question asks no such thing, or names nothing lying here. Played (round
    57): "can i take that spear?" beside the fishing spear was answered with Crake's
    word of the rusty key ("take it, if you're fool enough")."""
    asked = _MAY_TAKE.match(question)
    if asked is None:
        return None
    found = search.find(search.floor(world, actor.room), asked.group("what"))
    if found.thing is None:
        return None
    tmpl = world.item_template(found.thing.ref)
    if not tmpl.carry:
        return f"{capitalise(definite(tmpl.name))} cannot be carried off."
    keepers = world.claims.get(found.thing.ref, ((), 0.0))[0]
    if keepers and actor.key not in keepers:
        # Kept for those who fought for it, a while (found in review: "Nothing stops
        # you", and 'get' then refused it).
        names = [world.chars[k].name for k in keepers if k in world.chars] or ["others"]
        return (
            f"{capitalise(definite(tmpl.name))} is for {list_words(names)} to take first,"
            " who fought for it."
        )
    return (
        f"Nothing stops you: {definite(tmpl.name)} lies here for the taking."
        f" ('get {found.thing.name}' takes it.)"
    )


#: A thing set against one of one's own: "is it better than my sword?", "is the mail coat
#: better than my jerkin?".
_BETTER_THAN = re.compile(
    r"^\W*(?:is|are|would)\s+(?P<it>.+?)\s+(?:be\s+)?better\s+than\s+(?:my|mine|this|the)\s+"
    r"(?P<mine>[a-z][\w' -]*?)[\s?.!]*$",
    re.I,
)
_IT = frozenset({"it", "that", "this", "this one", "that one", "they", "these", "those"})


def better_asked(world: World, actor: Character, question: str) -> str | None:
    """The answer to "is it better than my sword?": the thing named (or, for "it", the
    one thing of its kind lying here, or else carried besides) and one's own set side by
    side in the numbers the rules use (a weapon's damage, armour's class), and which is
    better; None when the question asks no such thing or names no two such things.
    Played (round 57): "is it better than my sword?" beside the fishing spear told of
    the asker's own longsword."""
    asked = _BETTER_THAN.match(question)
    if asked is None:
        return None
    mine = search.find(search.carried(world, actor), asked.group("mine")).thing
    if mine is None:
        return None
    own = world.item_template(mine.ref)
    if own.kind not in ("weapon", "armour"):
        return None
    it = re.sub(r"^(?:the|a|an|that|this)\s+", "", asked.group("it").strip(), flags=re.I)
    if it.lower() in _IT:
        # The one of its kind lying here, or else carried besides one's own (the spear
        # just picked up).
        lying = [t for t in search.floor(world, actor.room) if _kind(world, t.ref) == own.kind]
        if not lying:
            lying = [
                t
                for t in search.carried(world, actor)
                if t.ref != mine.ref and _kind(world, t.ref) == own.kind
            ]
        other = lying[0] if len(lying) == 1 else None
    else:
        # Lying here, carried, or for sale here ("is the woodsman's axe better than my
        # spear?" at the chandlery: played, round 57, the axe's description alone).
        wares = _wares_here(world, actor)
        other = search.find(
            [*search.floor(world, actor.room), *search.carried(world, actor), *wares], it
        ).thing
    if other is None or other.ref == mine.ref:
        return None
    theirs = (
        world.templates.items[other.ref] if other.kind == "ware" else world.item_template(other.ref)
    )
    if theirs.kind != own.kind:
        return None
    return _set_side_by_side(theirs, own)


def _kind(world: World, item: str) -> str:
    """The kind of item ``item`` (an instance id): "weapon", "armour", ... Pure."""
    return world.item_template(item).kind


def _wares_here(world: World, actor: Character) -> list[search.Thing]:
    """What the shopkeepers in ``actor``'s room sell, as things to find (``ref``: the
    template id). Pure."""
    return [
        ware
        for npc in world.npcs_in(actor.room)
        if (shop := world.templates.npcs[npc.id].shop) is not None
        for ware in search.wares(world, shop.sells)
    ]


#: Which of a kind is best, asked: "which weapon is best for me?", "what's the best armour
#: here?".
_BEST_ASKED = re.compile(
    r"\bwhich\s+(?P<a>weapon|armou?r)\s+(?:is|would\s+be)\s+(?:the\s+)?best\b"
    r"|\bwhat(?:'s|\s+is|\s+would\s+be)\s+the\s+best\s+(?P<b>weapon|armou?r)\b",
    re.I,
)


def best_asked(world: World, actor: Character, question: str) -> str | None:
    """Which weapon (or armour) is best for ``actor``, asked: of what the shopkeepers here
    sell and what they carry, the best by the rules' numbers (a weapon's mean damage,
    armour's class), its price if it is for sale, and their own beside it; None for other
    questions, or none of that kind here or carried. Played (round 57, at the
    chandlery): "which weapon is best for me?" was "Nothing you have seen or heard yet
    answers that."."""
    asked = _BEST_ASKED.search(question)
    if asked is None:
        return None
    kind = (
        "weapon" if (asked.group("a") or asked.group("b") or "").lower() == "weapon" else "armour"
    )
    sold = [
        world.templates.items[w.ref]
        for w in _wares_here(world, actor)
        if world.templates.items[w.ref].kind == kind
    ]
    held = [world.item_template(t.ref) for t in search.carried(world, actor)]
    mine = [t for t in held if t.kind == kind]

    def worth(tmpl: ItemTemplate) -> float:
        if kind == "weapon":
            return dice.average(tmpl.damage) if tmpl.damage else 0.0
        return float(_armour_class(tmpl))

    def told(tmpl: ItemTemplate) -> str:
        if kind == "weapon":
            return f"{definite(tmpl.name)} ({tmpl.damage} damage)"
        return f"{definite(tmpl.name)} (armour class {_armour_class(tmpl)})"

    pool = [t for t in (*sold, *mine) if worth(t) > 0]
    if not pool:
        return None
    best = max(pool, key=worth)
    own = max(mine, key=worth) if mine else None
    if own is not None and worth(own) >= worth(best):
        return f"Yours: {told(own)} is the best of what you carry and what is sold here."
    price = f", {best.value} gold here" if best in sold else ""
    than = f"; yours, {told(own)}" if own is not None else ""
    return f"{capitalise(told(best))}{price}{than}."


def _armour_class(tmpl: ItemTemplate) -> int:
    """The armour class a piece of armour makes, worn, before DEX (its class and any
    bonus). Pure."""
    return (tmpl.armour_class or 0) + tmpl.ac_bonus


def _set_side_by_side(theirs: ItemTemplate, own: ItemTemplate) -> str | None:
    """ "The fishing spear deals 1d6 damage, your longsword 1d8: yours is better." Pure."""
    if own.kind == "weapon" and own.damage and theirs.damage:
        score = dice.average(theirs.damage) - dice.average(own.damage)
        told = (
            f"{capitalise(definite(theirs.name))} deals {theirs.damage} damage,"
            f" your {own.name} {own.damage}"
        )
    elif own.armour_class is not None and theirs.armour_class is not None:
        score = _armour_class(theirs) - _armour_class(own)
        told = (
            f"Worn, {definite(theirs.name)} makes your armour class"
            f" {_armour_class(theirs)}, your {own.name}"
            f" {_armour_class(own)} (each with your DEX, at most +2)"
        )
    else:
        return None
    verdict = (
        "it is better" if score > 0 else "yours is better" if score < 0 else "they are as good"
    )
    return f"{told}: {verdict}."


#: "who is Oren?", "who's that Oren".
_WHO_IS = re.compile(r"^\W*who(?:\s+is|'s|\s+was)\s+(?:that\s+)?(.+?)[\s?.!]*$", re.I)


def who_player(world: World, actor: Character, question: str) -> str | None:
    """The answer to "who is <player>?": their calling and level, and where they are if
    beside the asker or in their group ("Oren: a Lamp-Keeper of level 1, here beside
    you."); None when the question names no player in the world. Played: "who is
    oren?" beside him was "You consider the road ahead."."""
    asked = _WHO_IS.match(question)
    if asked is None:
        return None
    found = search.find(search.online(world, besides=actor.key), asked.group(1))
    if found.thing is None:
        return None
    who = world.chars[found.thing.ref]
    cls = world.templates.classes.get(who.cls) if who.cls else None
    calling = f"a {cls.name} of level {who.level}" if cls is not None else "a newcomer"
    if who.room == actor.room:
        where = "here beside you"
    elif who.key in party.members(world, actor.key):
        where = f"of your group, {in_place(world.room(who.room).name)}"
    else:
        where = "out in the world"
    # Said of an admin, so a player knows whom to trust (played: "Oberonn" passed for
    # the admin Oberon, and nothing told them apart).
    keeps = " They keep this world: an admin." if who.is_admin else ""
    return f"{who.name}: {calling}, {where}.{keeps}"


#: "who else is playing?", "is anyone else online?", "who's around?"
_WHO_ELSE = re.compile(
    r"\bwho(?:'s|\s+is|\s+are)?\s+(?:else\s+)?(?:is\s+|are\s+)?(?:playing|online|on|around)\b"
    r"|\b(?:is|are)\s+(?:there\s+)?(?:any(?:one|body)|other\s+players?)\s+(?:else\s+)?"
    r"(?:playing|online|on|around)\b|\bwho\s+else\b"
    # "anyone else playing?", "any other players?" (played by a new player: "That is not
    # known to you yet").
    r"|^\W*(?:so\s+)?(?:any(?:one|body)\s+else|any\s+other\s+(?:players?|people))"
    r"(?:\s+(?:playing|online|on|around|here))?\s*[?!.]*\s*$",
    re.I,
)
#: How many others ``who_else`` names before "and N more".
_WHO_ELSE_NAMED = 10


def who_else(world: World, actor: Character, question: str) -> str | None:
    """The answer to "who else is playing?": the others in the world, those beside the
    asker and of their group first ("Ann (here), Bob (of your group) and Cal."), at
    most ``_WHO_ELSE_NAMED`` by name; None for other questions. Played: the DM's "You
    weigh what is known so far."."""
    if _WHO_ELSE.search(question) is None:
        return None
    mine = party.members(world, actor.key)
    others = sorted(
        (c for c in world.chars.values() if c.key != actor.key),
        key=lambda c: (c.room != actor.room, c.key not in mine, c.name.casefold()),
    )
    if not others:
        return "No one else is in the world just now. ('who' lists who is.)"
    named = [
        f"{c.name} (here)"
        if c.room == actor.room
        else f"{c.name} (of your group)"
        if c.key in mine
        else c.name
        for c in others[:_WHO_ELSE_NAMED]
    ]
    more = len(others) - len(named)
    listed = list_words([*named, f"{more} more"] if more else named)
    return f"Also in the world: {listed}. ('who' lists everyone.)"


#: "where does the trapdoor lead?", "where does north go?"; not "where do we go from
#: here?" (played: "we" read as "west", "The way west leads toward the Reed-Marsh Path.").
_WHERE_IT_LEADS = re.compile(
    r"\bwhere\s+(?:does|do)\s+(?:the\s+|this\s+|that\s+)?"
    r"(?!(?:we|i|you|they|us|he|she|one|people)\s)(?P<way>.+?)\s+(?:go|lead)\b",
    re.I,
)


def way_asked(world: World, actor: Character, text: str) -> str | None:
    """Where the way or door here that ``text`` asks of leads ("where does the trapdoor
    lead?": "The way down leads toward the Smugglers' Tunnel."), as looking at it says;
    None when it names none. Played: "where does the hatch go?" was answered with the
    next step of the quest."""
    asked = _WHERE_IT_LEADS.search(text)
    if asked is None:
        return None
    ways = [*search.exits(world, actor), *search.doors(world, actor)]
    found = search.find(ways, asked.group("way"))
    ex = world.room(actor.room).exit(found.thing.ref) if found.thing is not None else None
    if ex is None:
        return None
    return leads_toward(world, ex)  # where it goes, not what it looks like


#: A way here pointed at and asked of: "is that where the smugglers went?", "is this
#: the way they took?", "is that where it leads?".
_POINTED_WAY = re.compile(
    r"^\W*(?:is|was)\s+(?:that|this)\s+(?:(?:the\s+)?way\s+)?"
    r"(?:where|they|she|he|the\s+way(?!\s+to\b))\b",
    re.I,
)


def pointed_way(world: World, actor: Character, text: str) -> str | None:
    """Where the one door here leads, when ``text`` points at a way and asks of it ("is
    that where the smugglers went?" by the cellar trapdoor: "The way down leads toward
    the Smugglers' Tunnel."); None when it does not, or there is no one door here.
    Played: answered with where Crake, a smuggler, was."""
    if _POINTED_WAY.search(text) is None:
        return None
    here = search.doors(world, actor)
    ex = world.room(actor.room).exit(here[0].ref) if len(here) == 1 else None
    return leads_toward(world, ex) if ex is not None else None


#: A way asked of as dangerous or not: "is it safe to go down there?", "is it dangerous
#: that way?", "anything nasty down there?"; not a thing "safe to eat".
_DANGER_ASKED = re.compile(
    r"\b(?:safe(?!\s+to\s+(?!go\b|walk\b|head\b|enter\b|cross\b|rest\b|sleep\b|stay\b"
    r"|wait\b|travel\b|move\b|continue\b|proceed\b|be\b)\w)|dangerous|danger|risky|deadly"
    r"|nasty|monsters?|enemies|hostile)\b",
    re.I,
)
#: Where one stands, asked of: "here", "in here", "out here".
_HERE = re.compile(r"\b(?:(?:in|out|down|up)\s+)?here\b", re.I)
_DIRECTIONS = r"north|south|east|west|northeast|northwest|southeast|southwest|up|down|in|out"
#: A way named as asked of: "down there", "go down", "to the east", "north?", "that way".
_WAY_WORD = re.compile(
    rf"\b(?:(?P<way>{_DIRECTIONS})\s+(?:there|that\s+way)\b"
    rf"|(?:go|going|head|heading|walk|walking|climb|climbing|to\s+the|towards?\s+the)\s+"
    rf"(?P<way2>{_DIRECTIONS})\b"
    rf"|(?<!show\s)(?<!shows\s)(?<!turn\s)(?<!turns\s)(?<!comes\s)(?P<way3>{_DIRECTIONS})\s*\?"
    r"|(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bany\s)(?<!\bwere\s)"
    r"(?P<there>\bthere\b|\bthat\s+way\b))",
    re.I,
)


def danger_asked(world: World, actor: Character, text: str) -> str | None:
    """The answer to whether a way from here is safe ("is it safe to go down there?"):
    where it leads, that the asker cannot know what waits there until they see it (or
    that they have been there), how to size a foe up and leave a fight, and, badly hurt,
    to rest first (``rest_first``); None when it asks of no way here (by its direction,
    or "there" with one door or one way here). Played: "is it safe to go down there? im
    only level 1", by the cellar trapdoor, was answered with the XP to the next level."""
    question = _asked(text)
    if not question or _DANGER_ASKED.search(question) is None:
        return None
    room = world.room(actor.room)
    said = _WAY_WORD.search(_HERE.sub("", question))
    if _HERE.search(question) and said is None:
        # "is it safe here?", "are there monsters here?": whether a fight may start
        # where one stands.
        if room.safe:
            return f"{capitalise(the_place(room.name))} is safe: no fight starts here."
        return f"{capitalise(the_place(room.name))} is no safe place: a fight may start here."
    ways = [e.direction for e in (room.exit(t.ref) for t in search.exits(world, actor)) if e]
    if said is None:
        return None
    named = (said.group("way") or said.group("way2") or said.group("way3") or "").lower()
    if named in ways:
        way = named
    elif named and not re.search(r"\bthere\b", question, re.I):
        return None  # a way this room has not
    else:
        # "there" ("go in there" where no way is "in"): the one door here, or the one way.
        here = search.doors(world, actor)
        way = here[0].ref if len(here) == 1 else ways[0] if len(ways) == 1 else ""
    ex = room.exit(way) if way in ways else None
    if ex is None:
        return None
    if world.room(ex.to).safe:
        return f"{leads_toward(world, ex)} It is a safe place: no fight starts there."
    if ex.to in actor.visited:
        place = the_place(world.room(ex.to).name)
        known = f"You have been to {place} before; what waits there now, you will see."
    else:
        known = "You have not been there, and nothing tells you what waits in it."
    hurt = rest_first(world, actor)
    return (
        f"{leads_toward(world, ex)} {known} 'consider <foe>' sizes up one you see, and"
        f" 'flee <way>' leaves a fight.{f' {hurt}' if hurt else ''}"
    )


def _asked(text: str) -> str:
    """The sentences of ``text`` that ask (end "?"), run together; "" for none. Pure."""
    return " ".join(p for p in address.SENTENCE.split(text.strip()) if p.endswith("?"))


def leads_toward(world: World, ex: Exit) -> str:
    """ "The way down leads toward the Smugglers' Tunnel." (a place named as in a
    sentence: "the Crossroads", not "The Crossroads")."""
    return f"The way {ex.direction} leads toward {the_place(world.room(ex.to).name)}."


#: "is the trapdoor locked?", "is that door open?": how a door here stands.
_DOOR_STATE = re.compile(
    r"\b(?:is|are)\s+(?:the\s+|that\s+|this\s+)?(?P<door>.+?)\s+(?:still\s+)?"
    r"(?:locked|unlocked|open|opened|closed|shut|barred)\b",
    re.I,
)


def door_asked(world: World, actor: Character, text: str) -> str | None:
    """How the door here that ``text`` asks of stands ("is the trapdoor locked?": "The
    trapdoor is closed and locked."), or None when it asks of no door here. Played: it
    was "Bessa Thorn might know more of that"."""
    asked = _DOOR_STATE.search(text)
    if asked is None:
        return None
    found = search.find(search.doors(world, actor), asked.group("door"))
    ex = world.room(actor.room).exit(found.thing.ref) if found.thing is not None else None
    return (doors.how_it_stands(world, ex) or None) if ex is not None else None


def levelling(world: World, actor: Character, question: str) -> str | None:
    """The answer to a question about levels or experience ("how do I level up?",
    "how much xp do I need?"): where ``actor``'s experience stands and what earns it;
    None for other questions. Played: "how do I level up?" was answered with the next
    quest step."""
    asked = _asked(question)
    if asked and _DANGER_ASKED.search(asked) and not _LEVELS.search(asked):
        # "is it safe to go down there? im only level 1" asks of the way down (played:
        # answered with the XP to the next level); "im level 1. how much more to go?"
        # is still the level's.
        return None
    if not _LEVELS.search(question) or not _MINE.search(question):
        return None  # "what level is the warden?" is not about the asker
    if not actor.cls:
        return "Choose a calling first; then experience from quests and fights brings levels."
    thresholds = xp_thresholds(world)
    at = f"You are level {actor.level}, with {actor.xp} XP"
    if actor.level >= len(thresholds):
        return f"{at}: the highest level there is."
    return (
        f"{at}; level {actor.level + 1} comes at {thresholds[actor.level]} XP. Experience"
        " comes from quests finished and foes defeated; 'score' shows yours."
    )


_LEVELS = re.compile(r"\b(?:level(?:s|ling|ing)?|xp|experience)\b", re.I)
#: "how much gold do I have?", "how much money have we got?"
_GOLD_ASKED = re.compile(r"\bhow\s+(?:much|many)\s+(?:gold|money|coins?|silver)\b", re.I)
#: "how many hit points do I have?", "how hurt am I?", "how is my health?"
_HP_ASKED = re.compile(
    r"\bhow\s+(?:many\s+(?:hp|hit\s*points|hit\s+point)|much\s+(?:hp|health|life))\b"
    r"|\bhow\s+(?:badly\s+)?(?:hurt|wounded|injured)\s+am\s+i\b|\bmy\s+(?:health|hp)\b",
    re.I,
)


def sheet_asked(world: World, actor: Character, question: str) -> str | None:
    """The answer to a question about the asker's own purse or hurts ("how much gold do
    I have?": "You have 5 gold."; "how hurt am I?": "You have 4 of 9 HP."), from their
    sheet; None for other questions. Played: "how much gold do I have?" was answered
    with the next step of the quest."""
    if not _MINE.search(question):
        return None  # "how much gold does the warden carry?" is not about the asker
    if _GOLD_ASKED.search(question):
        mates = [c for c in (world.chars.get(k) for k in party.members(world, actor.key)) if c]
        if _OURS.search(question) and len(mates) > 1:
            # "how much gold do we have?" in a group: each purse and the whole.
            each = list_words(
                [f"{'you' if c.key == actor.key else c.name} {c.gold}" for c in mates]
            )
            total = sum(c.gold for c in mates)
            return f"Your group has {total} gold: {each}. ('split <amount>' shares gold.)"
        return f"You have {actor.gold} gold. ('score' shows all of your sheet.)"
    if _HP_ASKED.search(question):
        return f"You have {actor.hp} of {actor.max_hp} HP. ('score' shows all of your sheet.)"
    if _GEAR_ASKED.search(question):
        # "what is my weapon?", "what am i wearing?" (played: asked of the DM, who said
        # nothing of it).
        held = [
            f"{'wield' if slot == 'weapon' else 'wear'} {definite(world.item_template(item).name)}"
            for slot, item in actor.equipment.items()
            if item in world.items
        ]
        if not held:
            return "You wield and wear nothing. ('wield <weapon>', 'wear <armour>'.)"
        return f"You {list_words(held)}. ('equipment' shows it.)"
    if _AC_ASKED.search(question):
        # "whats my ac" (played: asked of the DM, who said nothing of it).
        ac = armour_class(world, actor)
        return f"Your armour class is {ac}: a foe's attack must roll {ac} or more to hit you."
    return None


_MINE = re.compile(r"\b(?:i|i'm|my|me|we|our|us)\b", re.I)
#: "what is my weapon?", "what am i wearing?", "what am i armed with?"
_GEAR_ASKED = re.compile(
    r"\bwhat(?:'s|\s+is|\s+are)\s+my\s+(?:weapons?|gear|equipment|kit)\b"
    r"|\bwhat\s+am\s+i\s+(?:wearing|wielding|holding|armed\s+with)\b",
    re.I,
)
#: "what's my ac?", "what is my armour class", "how good is my armor?"
_AC_ASKED = re.compile(
    r"\bmy\s+(?:ac|armou?r\s+class)\b|\bhow\s+(?:good|strong|tough)\s+is\s+my\s+armou?r\b",
    re.I,
)
_OURS = re.compile(r"\b(?:we|our|us)\b", re.I)


def group_asked(world: World, actor: Character, question: str) -> str | None:
    """The answer to a question about the asker's group ("who's leading?", "who is in
    our group?": "Corwin leads your group: Corwin and Fenna (here)."), or that they are
    in none; None for other questions. Tried: the DM had no answer to it."""
    if _GROUP_ASKED.search(question) is None:
        return None
    keys = party.members(world, actor.key)
    if not keys:
        return (
            "You are in no group. ('invite <player>' makes one; 'follow <player>' walks"
            " after them.)"
        )
    names = [
        "you"
        if key == actor.key
        else f"{c.name} (here)"
        if (c := world.chars.get(key)) is not None and c.room == actor.room
        else c.name
        if c is not None
        else f"{key.title()} (away)"
        for key in keys
    ]
    leader = "You lead" if keys[0] == actor.key else f"{names[0].removesuffix(' (here)')} leads"
    return f"{leader} your group: {list_words(names)}. ('group' shows how each fares.)"


def fight_asked(world: World, actor: Character, question: str) -> str | None:
    """What to do now, asked ("what do I do??", "what now?") by one in a fight: whom
    they fight, whose turn it is, and what a turn may do ("You are fighting the bog rat.
    It is your turn: attack, defend, flee <direction>, use <item>, or steady aim.");
    None out of a fight, for one fled or down, and for other questions. Played: a new
    player's first fight, "what do I do??" on their turn, was answered with the next
    quest step."""
    fight = world.fights.get(actor.room)
    cid = f"p:{actor.key}"
    if fight is not None and fight.has(cid) and STANDING_ASKED.search(question):
        return standing(world, fight, actor.key)
    if fight is None or not fight.has(cid) or not asks_what_next(question):
        return None
    if cid in fight.fled or fight.get(cid).hp <= 0:
        return None
    side = fight.get(cid).side
    foes = [c.name for c in fight.fighters if c.side != side and c.hp > 0]
    if not foes:
        return None
    current = fight.order.current
    turn = (
        "It is your turn"
        if current == cid
        else f"It is {definite(fight.get(current).name)}'s turn; on yours"
        if fight.has(current)
        else "On your turn"
    )
    named = list_words([definite(n) for n in foes])
    told = f"You are fighting {named}. {turn}: {turn_choices(world, actor.key)}."
    # A friend badly hurt and a healing power with a use left: say so (played: "what
    # should I do? mira is hurt", a Lamp-Keeper beside her at 4 of 9, was told only the
    # list of a turn's choices).
    mend = next(
        (
            p
            for p in powers_of(world, actor)
            if p.effect.heal and p.reach == "touch" and uses_left(actor, p) > 0
        ),
        None,
    )
    hurt = sorted(
        (c for c in fight.fighters if c.side == side and c.id != cid and 0 < c.hp * 2 < c.max_hp),
        key=lambda c: c.hp / c.max_hp,
    )
    if mend is not None and hurt and hurt[0].id.startswith("p:"):
        friend = hurt[0]
        told += (
            f" {friend.name} is badly hurt ({friend.hp} of {friend.max_hp} HP):"
            f" '{mend.verbs[0]} {friend.name.lower()}' uses your {mend.name} on them."
        )
    return f"{told} ('help attack' says more.)"


def fall_asked(world: World, actor: Character, question: str) -> str | None:
    """The answer to "what happened?", "how did I get here?" (and "did we lose our
    stuff?", alone or after it: nothing, ``NOTHING_LOST``) from one who fell in a fight
    and was carried back, still there and not yet healed: where they fell, to whom, and
    what to do ("You fell fighting the drowned eel-catcher in the Eel-Catchers' Landing,
    and were carried here. You have 1 of 12 HP: 'sleep' here (the long rest) before you
    go on."). None otherwise. Played: Hale, carried back while his player was away,
    asked "what happened?" and read "You consider the road ahead."."""
    first, _, more = question.strip().partition("?")
    losing = _LOSS_ASKED.search(question) is not None
    if _FALL_ASKED.search(first + "?") is None:
        if _LOSS_ASKED.search(first) is None or more.strip(" ?!."):
            return None  # neither what befell one, nor what it cost
    elif more.strip(" ?!.") and _LOSS_ASKED.search(more) is None:
        return None  # "what happened? where is edda?": another question after it
    if actor.hp >= actor.max_hp:
        return None
    fell = last_fall(actor)
    if not fell:
        return None
    room, _, rest = fell.removeprefix(FELL).partition("|")
    to, _, foes = rest.partition("|")
    if room not in world.templates.rooms or actor.room != to:
        return None  # walked on since: "how did I get here?" is another question
    fought = f"fighting {foes} " if foes else ""
    carried = " and were carried here" if to != room else " and came to where you fell"
    hurt = rest_first(world, actor) or f"You have {actor.hp} of {actor.max_hp} HP."
    kept = f" {NOTHING_LOST}" if losing else ""
    return f"You fell {fought}{in_place(world.room(room).name)},{carried}.{kept} {hurt}"


#: What a fall costs one, told to one who asks (the rules take nothing from the fallen).
NOTHING_LOST = "Nothing was taken from you: you carry all you had, and your gold."
#: Whether a fall cost one's things: "did we lose our stuff?", "where's my gear?".
_LOSS_ASKED = re.compile(
    r"\b(?:did|do|have|will)\s+(?:i|we)\s+lose\b"
    r"|\blose\s+(?:my|our|all\s+(?:my|our))\s+(?:stuff|things|gear|items|gold|loot|kit)\b"
    r"|\bwhere(?:'s|\s+is|\s+are)\s+(?:my|our)\s+(?:stuff|things|gear|items|gold)\b",
    re.I,
)


#: "what happened?", "what happened to me?", "how did I get here?", "where am I and how".
_FALL_ASKED = re.compile(
    # A groan before it too: "ugh wat happened" (played, carried in at 1 HP: said).
    r"^\W*(?:(?:ugh+|u+gh|ow+|oof|urgh|argh|uh+|huh|ouch|gah|wh?oa|ok(?:ay)?|so|wait|hey)"
    r"[\s,.!]+)?"
    r"(?:what(?:'s)?\s+happen(?:ed|ing)(?:\s+to\s+(?:me|us))?"
    r"|how\s+did\s+(?:i|we)\s+get\s+(?:here|back)"
    r"|why\s+am\s+i\s+(?:here|back))\W*$",
    re.I,
)


#: "who's leading?", "who leads?", "who is the leader?", "who is in our group?".
_GROUP_ASKED = re.compile(
    r"\bwho(?:'s|\s+is)?\s+(?:leading|leads|in\s+charge)\b"
    r"|\bwho(?:'s|\s+is|\s+are)?\s+(?:the\s+)?leader\b"
    r"|\bwho(?:'s|\s+is|\s+are)?\s+in\s+(?:my|our|the)\s+(?:group|party)\b",
    re.I,
)
