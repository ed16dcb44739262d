"""What players of other MUDs type, and what it is here. Pure.

A player who has played DikuMUD, CircleMUD, ROM or their heirs types their commands
by habit: ``wimpy 5``, ``practice``, ``sac corpse``, ``rent``, ``autoloot``,
``channels``, ``chat hi``. Read as free text they were deeds for the Dungeon Master
("You try to wimpy 5.", seen by the whole room, and narrated as nothing much), or
worse ("channels": "You try to channel."). Some are the game's own now:

- ``wimpy [hit points|off]``: when a fight's turn comes to the player and their hit
  points are that low or lower, they flee at once, the way they came unless a fight or
  a foe waits there (``mud.engine.fight``); kept with the character.
- ``brief [on|off]``: a room walked into again is shown without its description.
- ``settings`` (also ``config``, ``toggle``, ``options``): the player's settings.
- ``socials``: the socials of the world, and how each is aimed at someone.
- ``channels``: the ways of talking, and who hears each.
- ``scan [direction]``: who is in the rooms next to this one, along each open way.
- ``chat``, ``gossip`` and ``newbie`` with words are the out-of-character channel
  (``chatted``; "chat with Bessa" is still talk, for the DM).

The others are answered by ``elsewhere``: what this game does instead, in one line
the player reads alone (no one else sees a command that is not done).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mud.core.markup import esc, styled
from mud.core.outputs import Block, Doc, Para, Table
from mud.engine import phrasing, presence, stealth
from mud.engine.context import Ctx
from mud.engine.doors import blocked
from mud.engine.effects import Effect, SetPrefs, SetQuiet, Tell
from mud.engine.parser import Intent
from mud.engine.sheet import xp_thresholds
from mud.engine.state import Character, World, ignoring, quiet
from mud.engine.views import CROWD_NAMES, PROMPT_OFF, exit_visible, list_words
from mud.render.grammar import definite, in_place, indefinite, place
from mud.world.model import canonical_direction

_err = phrasing.refuse


def wimpy(char: Character) -> int:
    """The hit points at or below which ``char`` flees on their turn (0: never). Saved in
    ``Character.extra`` by ``SetPrefs(wimpy=...)``."""
    value = char.extra.get("wimpy", 0)
    return value if isinstance(value, int) and value > 0 else 0


def wimpy_most(char: Character) -> int:
    """The highest wimpy ``char`` may set: half their most hit points (as DikuMUD's),
    for a player who flees at every scratch never fights at all."""
    return max(1, char.max_hp // 2)


def cmd_wimpy(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """wimpy [hit points|off]

    Flee by yourself when a fight goes badly: with 'wimpy 4', when your turn comes and
    you have 4 hit points or fewer, you try to flee at once: the way you came in, unless
    a fight or a foe is there and a quieter way is open (a flee roll, as 'flee' makes;
    if it fails, the turn is still yours). It
    works while you are away from the keyboard too. At most half your hit points.
    'wimpy' alone shows it; 'wimpy off' (or 0) stops it.
    """
    words = intent.args.strip().lower()
    now = wimpy(actor)
    if not words:
        if not now:
            text = "Wimpy is off: you fight on however hurt you are. 'wimpy <hit points>' sets it."
        else:
            text = f"Wimpy is {now}: you flee when your turn comes with {now} HP or fewer."
        return [Tell(actor.key, Doc.text(esc(text)))]
    if words in ("off", "0", "none", "no"):
        return [
            SetPrefs(actor.key, wimpy=0),
            Tell(actor.key, Doc.text("Wimpy is off: you fight on however hurt you are.")),
        ]
    if not words.isdigit():
        return _err(actor.key, "Usage: wimpy <hit points>, or wimpy off.")
    hp = int(words)
    most = wimpy_most(actor)
    if not actor.max_hp:
        return _err(actor.key, "You have not chosen a class yet.")
    if hp > most:
        return _err(
            actor.key,
            f"Wimpy can be at most half your hit points: {most} (you have {actor.max_hp} at most).",
        )
    return [
        SetPrefs(actor.key, wimpy=hp),
        Tell(
            actor.key,
            Doc.text(esc(f"Wimpy is {hp}: you flee when your turn comes with {hp} HP or fewer.")),
        ),
    ]


def cmd_brief(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """brief [on|off]

    Brief mode: walking into a room you have been in before shows its name, exits,
    things and people without its description ('look' still shows it all). 'brief'
    alone turns it on or off.
    """
    words = intent.args.strip().lower()
    now = bool(actor.extra.get("brief"))
    if words in ("on", "yes"):
        want = True
    elif words in ("off", "no"):
        want = False
    elif not words:
        want = not now
    else:
        return _err(actor.key, "Usage: brief on|off")
    said = (
        "Brief mode is on: rooms you have been in are shown without their description."
        if want
        else "Brief mode is off: every room is described as you walk in."
    )
    return [SetPrefs(actor.key, brief=want), Tell(actor.key, Doc.text(esc(said)))]


def reader_state(actor: Character) -> str:
    """Screen-reader mode as ``settings`` tells it: "on (from your client)" when the
    client's flag (MTTS) turns it on and the player set nothing (played: it said "off"
    while the game read linear text), and what the player set, with the client's flag
    when they differ."""
    if actor.screenreader is None:
        return "on (from your client)" if actor.reader else "off"
    if actor.screenreader:
        return "on"
    return "off (your client asks for it)" if actor.reader else "off"


def _on(value: bool | None, unset: str) -> str:
    return unset if value is None else ("on" if value else "off")


def cmd_settings(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """settings   (also: config, toggle, options)

    Your settings, each with the command that changes it: colour, screen reader mode,
    width, prompt, wimpy, brief, pronouns and description.
    """
    prompt = str(actor.extra.get("prompt") or "") or "the default"
    if prompt == PROMPT_OFF:
        prompt = "off"
    chosen = presence.pronouns(actor)
    described = str(actor.extra.get("description") or "")
    rows = [
        ("colour", _on(actor.colour, "as your client says"), "colour on|off"),
        ("screen reader", reader_state(actor), "screenreader on|off"),
        ("width", str(actor.width) if actor.width else "as your client says", "width <n>|auto"),
        ("prompt", prompt, "prompt <template>|off|on"),
        ("wimpy", str(wimpy(actor)) if wimpy(actor) else "off", "wimpy <hp>|off"),
        ("brief", "on" if actor.extra.get("brief") else "off", "brief on|off"),
        ("pronouns", presence.pronoun_label(chosen) if chosen else "none", "pronouns she|he|they"),
        ("description", "set" if described else "none", "describe <words>"),
    ]
    blocks: list[Block] = [
        Table(tuple((a, esc(b), c) for a, b, c in rows), ("Setting", "Now", "Change it with"))
    ]
    return [Tell(actor.key, Doc(tuple(blocks)))]


def cmd_socials(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """socials

    The socials of this world: words that show the room what you do ('smile', 'bow
    <someone>'). Each marked 'at someone' may be aimed at one person here.
    """
    found = sorted({s.word: s for s in world.templates.socials.values()}.items())
    if not found:
        return [Tell(actor.key, Doc.text("This world has no socials: 'emote <action>' shows any."))]
    said = [
        styled("bold", word) + (" (at someone)" if social.target else "") for word, social in found
    ]
    blocks: list[Block] = [
        Para("Socials: " + ", ".join(said) + "."),
        Para(esc("Anything else you do, 'emote <action>' (or ':' and a pose) shows the room.")),
    ]
    return [Tell(actor.key, Doc(tuple(blocks)))]


#: The ways of talking: (command, who hears it).
_CHANNELS = (
    ("say <words>", "everyone in the room ('<words> works too)"),
    ("tell <player> <words>", "one player, wherever they are"),
    ("whisper <someone> <words>", "one person beside you"),
    ("gtell <words>", "your group, wherever they are"),
    ("shout <words>", "the room, and the rooms next to it"),
    ("ooc <words>", "every player, out of character (also: chat, gossip, gos, newbie)"),
    ("emote <action>", "everyone in the room sees it"),
)


#: The channels a player may turn off: those heard by every player in the world.
SWITCHABLE = ("ooc",)
_OFF_WORDS = {"off": True, "on": False, "mute": True, "unmute": False}


def cmd_channels(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """channels   (also: channels ooc off, channels ooc on)

    The ways of talking to others, and who hears each. ooc, which every player hears,
    can be turned off and on again (kept over logins); 'ignore <player>' stops hearing
    one player on all of them.
    """
    words = intent.args.lower().split()
    if words:
        name = next((w for w in words if w in SWITCHABLE), "")
        switch = next((_OFF_WORDS[w] for w in words if w in _OFF_WORDS), None)
        if not name or switch is None or len(words) != 2:
            return [
                Tell(
                    actor.key,
                    Doc.text(styled("error", "Usage: channels ooc off, or channels ooc on")),
                )
            ]
        mine = quiet(actor)
        if switch == (name in mine):
            state = "off" if switch else "on"
            return [Tell(actor.key, Doc.text(esc(f"{name} is already {state} for you.")))]
        chosen = (*mine, name) if switch else tuple(c for c in mine if c != name)
        told = (
            f"You turn {name} off: you no longer read it ('channels {name} on' to hear it)."
            if switch
            else f"You turn {name} on again."
        )
        return [SetQuiet(actor.key, chosen), Tell(actor.key, Doc.text(esc(told)))]
    off = quiet(actor)
    rows = tuple(
        (
            styled("bold", c),
            esc(w + (" - off for you" if c.split()[0] in off else "")),
        )
        for c, w in _CHANNELS
    )
    return [Tell(actor.key, Doc((Table(rows, ("Channel", "Who hears it")),)))]


def _practice(world: World, actor: Character) -> str:
    thresholds = xp_thresholds(world)
    nxt = thresholds[actor.level] if actor.level < len(thresholds) else None
    towards = f" (XP {actor.xp} of {nxt} for level {actor.level + 1})" if nxt else ""
    return (
        "No one trains you here: you grow by what you do. Levels come with experience"
        f"{towards}, and with them hit points and your calling's powers ('score', 'powers')."
    )


def _bank(world: World, actor: Character) -> str:
    return (
        f"There is no bank: your gold ({actor.gold}) stays in your purse, and is kept when you"
        " quit. 'give <amount> gold to <player>' pays another."
    )


def _fixed(text: str) -> Callable[[World, Character], str]:
    return lambda world, actor: text


_RENT = _fixed(
    "No rent here: 'quit' when you like, and you come back where you stood, with all you carry."
)
_OFFERING = _fixed(
    "Nothing here takes offerings: 'drop <item>' leaves a thing where you stand, and"
    " 'sell <item>' to a shopkeeper turns it into gold."
)
_AUTO_LOOT = _fixed(
    "Nothing to switch on: a foe's gold and experience are yours as soon as it falls,"
    " shared in a group; what it drops lies here for 'get'."
)
_AUTO_EXIT = _fixed("Exits are always shown below a room; 'exits' says where each leads.")
_CORPSE = _fixed(
    "Nothing to fetch back: when you fall you are carried somewhere safe, with all you had."
)
_ALIAS = _fixed(
    "The server keeps no aliases: your client does (TinTin++ '#alias', Mudlet's aliases)."
    " The short forms are built in: l, x, i, eq, sc, k, con, gt, and n, s, e, w, u, d."
)
_TITLE = _fixed(
    "There are no titles: 'describe <words>' sets what others read when they look at you."
)
_NEWS = _fixed(
    "There is no news board: word from those who run the world reaches everyone as it is"
    " sent. 'help' lists what you can do; 'bug', 'typo' and 'idea' reach them."
)
_COMPACT = _fixed("Nothing to compact: no blank lines are added to what you read.")
_MAIL = _fixed(
    "There is no mail: 'tell <player> <words>' reaches a player who is in the game, and"
    " 'bug', 'typo' and 'idea' reach those who run it."
)
_LOOT = _fixed(
    "Foes leave no bodies to search: what a fallen foe carried or drops lies on the floor"
    " ('get all' takes it), and its gold is shared as it falls."
)


def _recall(world: World, actor: Character) -> str:
    home = place(world.room(world.templates.start).name)
    return (
        f"There is no recall: you walk where you go, and 'go to {home}' walks you back the"
        " shortest way. ('journal' shows what you have heard.)"
    )


_TIME = _fixed(
    "The world keeps no clock or calendar to ask: a room says what the sky and the hour"
    " are doing when it matters ('look'), and the Dungeon Master tells the rest."
)

#: Commands of other MUDs this game does without, by the word typed: what is done here
#: instead (a function of the world and the player, for their own numbers).
ELSEWHERE: dict[str, Callable[[World, Character], str]] = {
    **dict.fromkeys(("practice", "prac", "train", "gain", "learn"), _practice),
    **dict.fromkeys(("bank", "deposit", "withdraw", "balance"), _bank),
    **dict.fromkeys(("rent", "offer", "receipt"), _RENT),
    **dict.fromkeys(("sacrifice", "sac", "junk", "donate"), _OFFERING),
    **dict.fromkeys(("autoloot", "autogold", "autosplit", "autosac"), _AUTO_LOOT),
    **dict.fromkeys(("autoexit", "autoexits"), _AUTO_EXIT),
    **dict.fromkeys(("cr",), _CORPSE),
    **dict.fromkeys(("alias", "aliases", "unalias"), _ALIAS),
    **dict.fromkeys(("title",), _TITLE),
    **dict.fromkeys(("news", "motd", "changes", "notes"), _NEWS),
    **dict.fromkeys(("compact",), _COMPACT),
    **dict.fromkeys(("mail", "board", "boards"), _MAIL),
    **dict.fromkeys(("loot",), _LOOT),
    **dict.fromkeys(("recall",), _recall),
    **dict.fromkeys(("time", "weather", "date"), _TIME),
}

#: Words of ``ELSEWHERE`` that are also English verbs a player may write a deed with
#: ("train with the sword", "offer Bessa a coin", "practice my swordplay on the post"):
#: those are the DM's; the word alone, or with a single word after it, is the command.
_ALSO_DEEDS = frozenset(
    ("practice", "train", "gain", "learn", "deposit", "withdraw", "donate", "junk", "loot")
)
#: Nouns of ``ELSEWHERE`` that open a sentence as well ("notes are somewhere warm. the
#: hearth downstairs" was the news board): like ``_ALSO_DEEDS``, the command only alone
#: or with a single word after it ("news 3", "note list").
_ALSO_NOUNS = frozenset(("news", "changes", "notes"))
#: Words of ``ELSEWHERE`` that are the command only alone: "rent a room" is a night's
#: sleep at the inn (the long rest), "offer" anything an offer, "time to go" words.
_ONLY_ALONE = frozenset(("rent", "offer", "time", "weather", "date", "recall", "board"))
_WORDS = re.compile(r"[^\s]+")


def elsewhere(world: World, actor: Character, line: str) -> list[Effect] | None:
    """The answer to ``line`` (free text, as typed) when it is a command of other MUDs
    this game does without ("practice", "sac corpse", "rent"): one line for the player
    alone saying what to do here instead; None for any other line, and for an English
    verb of the table written as a deed ("offer Bessa a coin for her trouble")."""
    words = _WORDS.findall(line.strip().lower())
    if not words:
        return None
    word = words[0].rstrip(".!")
    answer = ELSEWHERE.get(word)
    if answer is None:
        return None
    if word in _ALSO_DEEDS | _ALSO_NOUNS and len(words) > 2:
        return None
    if word in _ONLY_ALONE and len(words) > 1:
        return None
    return [Tell(actor.key, Doc.text(styled("system", answer(world, actor))))]


#: Other MUDs' names for the out-of-character channel.
#: "gos", as CircleMUD's players type it (played 2026-12-07: "You try to gos hi all.").
_CHAT_WORDS = frozenset(("chat", "gossip", "gos", "goss", "newbie"))
#: Words after "chat" that make it talk with someone here ("chat with Bessa"): the DM's.
_CHATTING_WITH = frozenset(("with", "to", "about", "a", "awhile", "for", "idly", "quietly"))


def chatted(line: str) -> str | None:
    """The words of ``line`` for the out-of-character channel when it opens with another
    MUD's name for it ("chat anyone up for the crypt?" -> "anyone up for the crypt?");
    None for any other line, for the word alone, and for talk with someone ("chat with
    Bessa about the lights", "gossip a while")."""
    word, _, rest = line.strip().partition(" ")
    rest = rest.strip()
    if word.lower() not in _CHAT_WORDS or not rest:
        return None
    if rest.split()[0].lower().strip(",.") in _CHATTING_WITH:
        return None
    return rest


def scan(world: World, actor: Character, way: str = "") -> list[Effect]:
    """What ``actor`` sees along each open way out of their room (or only ``way``, a
    canonical direction): who is in the room it leads to, NPCs and the players they
    see (a hidden one stays hidden, ``stealth.sees``); a closed door hides what is
    beyond it. One line per room, the ways that lead to the same room together. Called
    by ``scan`` (``mud.engine.commands``); no roll, nothing changes."""
    room = world.room(actor.room)
    ways: dict[str, list[str]] = {}
    shut: list[tuple[str, str]] = []
    for ex in room.exits:
        if way and ex.direction != way:
            continue
        if not exit_visible(world, room.id, ex.direction, ex.hidden, actor.key):
            continue
        if blocked(world, ex) is not None and ex.door is not None:
            shut.append((ex.direction, definite(ex.door.name)))
            continue
        ways.setdefault(ex.to, []).append(ex.direction)
    if not ways and not shut:
        return _err(
            actor.key, f"There is no way {way} from here." if way else "There is no way out."
        )
    lines: list[str] = []
    for to, directions in ways.items():
        seen = [indefinite(world.templates.npcs[n.id].name) for n in world.npcs_in(to)]
        # One who ignores the scanner is not shown to them (played by a griefer: the
        # stalker found his ignorer with scan and walked to her).
        seen += [
            c.name
            for c in world.people_in(to)
            if stealth.sees(world, actor.key, c) and actor.key not in ignoring(c)
        ]
        if len(seen) > CROWD_NAMES:
            # A crowd is named as a look names it: the first few, and a count.
            seen = [*seen[:CROWD_NAMES], f"{len(seen) - CROWD_NAMES} more"]
        said = "/".join(directions).capitalize()
        there = in_place(world.room(to).name)
        lines.append(f"{said}, {there}: {list_words(seen) if seen else 'no one'}.")
    for direction, door in shut:
        lines.append(f"{direction.capitalize()}: {door} is shut; you cannot see past it.")
    return [Tell(actor.key, Doc(tuple(Para(esc(line)) for line in lines)))]


def scan_way(words: str) -> str | None:
    """The way ``scan <words>`` looks ("north", "n", "" for every way), or None when the
    words are no way ("scan the reeds for movement": a deed, for the DM)."""
    words = words.strip().lower()
    if not words:
        return ""
    return canonical_direction(words)
