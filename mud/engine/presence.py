"""How a player stands among the others: away from the keyboard, described in their
own words, where the others are, how they fare. Pure.

- ``afk [message]`` marks the player away: ``who`` shows it, a ``tell`` to them is
  answered that they are away (and still delivered), a look at them says so. Any other
  command brings them back (``back``, from ``commands.dispatch``), and shows them the
  tells and group talk they had meanwhile. Never saved: a player who logs in is at the
  keyboard.
- ``describe <words>`` sets what others read when they look at the player (kept in the
  saved ``Character.extra``, shown escaped: it is a player's words on another's screen);
  ``describe clear`` removes it.
- ``where`` lists the players in the actor's area (the pack of their room) and where
  each stands; a hidden player is listed only beside the viewer, and only when the
  viewer sees them (``stealth.sees``).
- ``report`` tells the room how the actor fares ("Tamsin reports: 7/12 HP.").
- ``wake`` (after ``sleep``, which is the long rest, done at once) gets up from a pose.
- ``ignore <player>`` stops hearing them (kept in ``Character.extra``; ``unheard``
  keeps what they say from those who ignore them).
- ``bug``, ``typo`` and ``idea`` send the operators a report: kept in the chat log
  (kind ``bug``/``typo``/``idea``; ``mud admin reports`` lists them) and shown to the
  admins in the game. ``report <player> <what they did>`` does the same about a player
  (kind ``report``, the player its target).
- ``mute <player> [30m|2h|7d|perm] [reason]`` (admins) keeps a player's words from
  everyone (``muted``, checked by ``commands.dispatch``) until it runs out or
  ``unmute`` lifts it; kept in ``Character.extra`` over logins and restarts. Of one not
  in the game, their saved character is changed (the hub's ``AdminAction`` "mute").
"""

from __future__ import annotations

import json
import re

from mud.core.markup import esc, styled
from mud.core.outputs import Block, Doc, Para, Table
from mud.engine import admin, phrasing, poses, search, stealth
from mud.engine.context import Ctx
from mud.engine.effects import (
    AdminAction,
    Audit,
    Effect,
    LogChat,
    PartyUpdate,
    SetAway,
    SetDescription,
    SetIgnoring,
    SetMissed,
    SetMuted,
    SetPronouns,
    Tell,
    ToAll,
    ToRoom,
)
from mud.engine.parser import Intent
from mud.engine.state import Character, World, ignoring

#: The longest away message and description kept.
MAX_AWAY = 120
MAX_DESCRIPTION = 400
#: The most players ``where`` lists by name (a crowd is counted, not listed).
WHERE_LIST = 20

_err = phrasing.refuse


def _tell(who: str, markup: str) -> Tell:
    return Tell(who, Doc.text(markup))


def _one_line(words: str, limit: int) -> str:
    """``words`` as one line of at most ``limit`` characters (runs of space made one)."""
    return " ".join(words.split())[:limit]


def cmd_afk(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """afk [message]

    Mark yourself away from the keyboard: 'who' shows it, and a tell to you is still
    delivered while its teller is told you are away (with your message). Typing
    anything else brings you back. 'afk' again while away comes back too.
    """
    if actor.away and not intent.args.strip():
        return back(actor)
    message = _one_line(intent.args, MAX_AWAY) or "away"
    why = f" ({message})" if message != "away" else ""
    return [
        SetAway(actor.key, message),
        _tell(actor.key, esc(f"You are away{why}. Type anything to come back.")),
    ]


def back(actor: Character) -> list[Effect]:
    """The effects of ``actor``, away, coming back, with what was told them meanwhile
    (``told_while_away``): called by ``commands.dispatch`` before any command but
    ``afk`` from a player who is away."""
    effects: list[Effect] = [SetAway(actor.key, "")]
    if not actor.missed:
        return [*effects, _tell(actor.key, "You are back at the keyboard.")]
    told = [Para("You are back at the keyboard. While you were away:")]
    told += [Para("  " + esc(line)) for line in actor.missed]
    return [*effects, SetMissed(actor.key, ()), Tell(actor.key, Doc(tuple(told)))]


#: The most lines kept for a player away (the newest).
MAX_MISSED = 20


def told_while_away(char: Character, line: str) -> list[Effect]:
    """Keep ``line`` (plain text: "Ann told you, 'hi'") for ``char`` to read when back,
    when they are away; [] when they are not. Called by ``tell`` and group talk."""
    if not char.away:
        return []
    return [SetMissed(char.key, (*char.missed, line)[-MAX_MISSED:])]


def away_line(char: Character, wall: float) -> str:
    """The plain-text line telling another that ``char`` is away ("Ann is away: lunch."),
    or "" when they are not; without their message while they are muted at wall time
    ``wall`` (words others read)."""
    if not char.away:
        return ""
    why = "" if char.away == "away" or muted(char, wall) else f": {char.away}"
    return f"{char.name} is away from the keyboard{why}."


def cmd_describe(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """describe <words>

    Set what others read when they look at you ('describe A tall woman in an oilskin,
    with a fisher's hands.'). 'describe' alone shows it; 'describe clear' removes it.
    """
    words = _one_line(intent.args, MAX_DESCRIPTION)
    mine = description(actor)
    if not words:
        if not mine:
            return [_tell(actor.key, esc("You have no description. Set one: describe <words>"))]
        return [_tell(actor.key, "Others read: " + esc(mine))]
    if words.lower() in ("clear", "none", "remove", "delete"):
        return [SetDescription(actor.key, ""), _tell(actor.key, "Your description is removed.")]
    return [SetDescription(actor.key, words), _tell(actor.key, "Others now read: " + esc(words))]


#: The pronouns one may choose, by what may be typed for them: each as the subject,
#: the object, the possessive, the possessive alone and oneself.
PRONOUN_FORMS = {
    "she": ("she", "her", "her", "hers", "herself"),
    "he": ("he", "him", "his", "his", "himself"),
    "they": ("they", "them", "their", "theirs", "themself"),
}
_PRONOUNS_TYPED = {
    **{p: p for p in PRONOUN_FORMS},
    "her": "she",
    "she/her": "she",
    "him": "he",
    "he/him": "he",
    "them": "they",
    "they/them": "they",
    "female": "she",
    "woman": "she",
    "male": "he",
    "man": "he",
}


def cmd_pronouns(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """pronouns she|he|they   (also: gender)

    How the world speaks of you to others: 'pronouns she' has the room read "Tamsin
    tries to shake the rain from her cloak." where it said "their", and the Dungeon
    Master is told. 'pronouns' alone shows them; 'pronouns clear' goes back to "they".
    """
    typed = " ".join(intent.args.lower().replace(" / ", "/").split()).strip(".!")
    if not typed:
        mine = pronouns(actor)
        if not mine:
            return [
                _tell(
                    actor.key,
                    esc(
                        "You have chosen no pronouns: the world says 'they'."
                        " Choose: pronouns she, pronouns he or pronouns they"
                    ),
                )
            ]
        return [_tell(actor.key, esc(f"Your pronouns: {pronoun_label(mine)}."))]
    if typed in ("clear", "none", "remove", "reset"):
        return [SetPronouns(actor.key, ""), _tell(actor.key, "Your pronouns are cleared.")]
    chosen = _PRONOUNS_TYPED.get(typed)
    if chosen is None:
        return [_tell(actor.key, esc("Choose one: pronouns she, pronouns he or pronouns they."))]
    return [
        SetPronouns(actor.key, chosen),
        _tell(actor.key, esc(f"Your pronouns: {pronoun_label(chosen)}.")),
    ]


def pronouns(char: Character) -> str:
    """The pronouns ``char``'s player chose ("she", "he", "they"; "" for none)."""
    chosen = str(char.extra.get("pronouns") or "")
    return chosen if chosen in PRONOUN_FORMS else ""


def pronoun_label(chosen: str) -> str:
    """ "she/her" for "she" (and so on); "" for none."""
    forms = PRONOUN_FORMS.get(chosen)
    return f"{forms[0]}/{forms[1]}" if forms else ""


def description(char: Character) -> str:
    """The words ``char``'s player set with ``describe`` ("" for none)."""
    return str(char.extra.get("description") or "")


def cmd_where(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """where

    List the players in this part of the world and where each of them is (not those
    who ignore you, unless they are here).
    """
    area = actor.room.partition(":")[0]
    seen = [
        c
        for c in world.chars.values()
        if c.room.partition(":")[0] == area
        and c.key not in world.waiting
        and (c.room != actor.room or c.key == actor.key or stealth.sees(world, actor.key, c))
        and (c.room == actor.room or not c.hidden)
        # One who ignores the asker is not shown where they are (played by a griefer:
        # 'where' and 'scan' led a stalker to the player who had ignored him).
        and (c.room == actor.room or actor.key not in ignoring(c))
    ]
    if len(seen) <= 1:
        return [_tell(actor.key, "No other players are in this part of the world.")]
    # The actor first, then those of their room, then by name: a crowd is cut, not sorted.
    seen.sort(key=lambda c: (c.key != actor.key, c.room != actor.room, c.name))
    here = styled("dim", " (here)")
    rows = tuple(
        (styled("person", c.name), esc(world.room(c.room).name) + (here * (c.room == actor.room)))
        for c in seen[:WHERE_LIST]
    )
    blocks: list[Block] = [
        Para(styled("title", "Players near you")),
        Table(rows, header=("Name", "Where")),
    ]
    if len(seen) > WHERE_LIST:
        blocks.append(Para(esc(f"... and {len(seen) - WHERE_LIST} more.")))
    return [Tell(actor.key, Doc(tuple(blocks)))]


def cmd_report(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """report   (also: report <player> <what they did>)

    Alone, tell everyone here how you fare: your hit points, and if you are down.
    With a player's name, tell the people who run this world what that player did (a
    threat, a demand for your password, abuse): kept with where you stood and shown to
    the admins in the game at once; nobody else sees it, the player named included.
    """
    if intent.args.strip():
        return _report_player(world, actor, intent.args, ctx)
    fare = f"{actor.hp}/{actor.max_hp} HP" + (", down" if actor.down else "")
    hp = styled("good" if actor.hp * 2 > actor.max_hp else "bad", fare)
    return phrasing.act(actor, "{actor} {v:report}: {fare}.", fare=hp)


#: The kinds of report a player sends the operators (the command is the kind; a report
#: of a player is kind "report").
REPORT_KINDS = ("bug", "typo", "idea", "report")
#: The most reports among a player's last lines (``Ctx.recent``): more are refused.
REPORTS_AT_ONCE = 3


def _reporting(line: str) -> bool:
    """Whether ``line``, as typed, sent a report (``bug``, ``typo``, ``idea``,
    ``suggest``)."""
    words = line.split(maxsplit=1)
    if words and words[0].lower() == "report":
        return len(words) > 1  # 'report' alone tells the room how one fares
    return bool(words) and words[0].lower() in (*REPORT_KINDS, "suggest")


#: The longest report kept.
MAX_REPORT = 500


def cmd_bug(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """bug <what went wrong>   (also: typo <text>, idea <text>)

    Tell the people who run this world about something wrong, a misspelling, or an
    idea. It is kept with where you stood (they read it with 'mud admin reports'), and
    an admin in the game sees it at once.
    """
    kind = intent.verb if intent.verb in REPORT_KINDS else "bug"
    text = _one_line(intent.args, MAX_REPORT)
    if not text:
        return _err(actor.key, f"Usage: {kind} <what to tell the people who run this world>")
    too_many = _too_many_reports(actor, ctx)
    if too_many:
        return too_many
    where = world.room(actor.room).name
    seen = f"{styled('system', f'[{kind}]')} {styled('person', actor.name)} in {esc(where)}: "
    return [
        LogChat(kind, actor.room, actor.name, None, text),
        ToAll(Doc.text(seen + esc(text)), admins_only=True),
        _tell(actor.key, f"Thank you: your {kind} report is kept for those who run this world."),
    ]


def _too_many_reports(actor: Character, ctx: Ctx) -> list[Effect]:
    """The refusal of one more report when ``REPORTS_AT_ONCE`` are among the actor's
    last lines; [] when it may be sent. Played by a griefer: 250 reports in a row, each
    shown to every admin at once, and a real one pushed out of 'mud admin reports'."""
    sent = sum(1 for line in ctx.recent if _reporting(line))
    if sent < REPORTS_AT_ONCE:
        return []
    return _err(
        actor.key,
        f"You have sent {REPORTS_AT_ONCE} reports just now, and each is kept. Play on a"
        " while before the next.",
    )


def _report_player(world: World, actor: Character, args: str, ctx: Ctx) -> list[Effect]:
    """``report <player> <what they did>``: kept as a chat line of kind "report" whose
    target is the player, and shown to the admins in the game. Played by a griefer's
    mark: "report vex" told the room her hit points while he asked for her password."""
    name, _, what = args.strip().partition(" ")
    found = search.find(search.online(world, besides=actor.key), name, search.ONLINE)
    if found.thing is None:
        return _err(
            actor.key,
            f"No player called '{name}' is here in the game to report. ('report' alone tells"
            " the room how you fare; for one who has left, 'bug <what happened>' reaches"
            " the people who run this world.)",
        )
    text = _one_line(what, MAX_REPORT)
    them = found.thing.name
    if not text:
        return _err(actor.key, f"Usage: report {them} <what they did>")
    too_many = _too_many_reports(actor, ctx)
    if too_many:
        return too_many
    where = world.room(actor.room).name
    seen = (
        f"{styled('system', '[report]')} {styled('person', actor.name)} reports"
        f" {styled('person', them)} in {esc(where)}: "
    )
    return [
        LogChat("report", actor.room, actor.name, them, text),
        ToAll(Doc.text(seen + esc(text)), admins_only=True),
        _tell(
            actor.key,
            esc(
                f"Thank you: your report about {them} is kept for those who run this world,"
                f" {_read_by(world, actor)}. 'ignore {them.lower()}' stops you hearing them"
                " meanwhile."
            ),
        ),
    ]


def _read_by(world: World, actor: Character) -> str:
    """Who reads a report now: an admin in the game, or the operators later."""
    if any(
        c.is_admin and c.key != actor.key and c.key not in world.waiting
        for c in world.chars.values()
    ):
        return "and an admin in the game has read it"
    return "who will read it (no admin is in the game now)"


def muted(char: Character, wall: float) -> str:
    """How long and why ``char`` is muted at wall time ``wall``, as the refusal of their
    words tells it ("for 2 more hours: flooding", "until an admin lifts it: ..."); ""
    when they are not (never, or the mute has run out)."""
    mute = char.extra.get("muted")
    if not isinstance(mute, dict):
        return ""
    until = mute.get("until")
    why = str(mute.get("why") or "no reason given")
    if isinstance(until, int | float):
        if until <= wall:
            return ""
        return f"for {admin.describe_remaining(until - wall)} more: {why}"
    return f"until an admin lifts it: {why}"


def mute_refusal(char: Character, wall: float) -> list[Effect]:
    """What a muted player whose line would be heard is told instead (``muted``)."""
    return _err(
        char.key,
        f"You are muted {muted(char, wall)}. Your words reach no one; you can still move,"
        " look, fight, search and trade.",
    )


#: What a player who is not an admin is told for ``mute`` (``Command.for_players``).
MUTE_FOR_PLAYERS = (
    "Only admins can mute a player. 'ignore <player>' stops you hearing one, and"
    " 'report <player> <what they did>' tells the admins."
)


def cmd_mute(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """mute <player> [30m|2h|7d|perm] [reason]   (also: unmute <player>)

    (admin) Keep a player's words from everyone: their says, emotes, socials, tells,
    shouts, group talk, ooc, descriptions and deeds in their own words are refused
    until the time runs out or 'unmute' lifts it (without a time: until lifted). They
    can still move, look, fight, search and trade. 'mute' alone lists who is muted.
    """
    if not intent.args.strip():
        return [_tell(actor.key, esc(_muted_list(world, ctx.wall)))]
    lifting = intent.verb == "unmute"
    try:
        kind, value, seconds, reason = admin.parse_ban(intent.args)
    except ValueError:
        kind, value, seconds, reason = "", "", None, ""
    if kind != "name":
        return _err(actor.key, f"Usage: {intent.verb} <player> [30m|2h|7d|perm] [reason]")
    target = world.chars.get(value)
    if target is None:
        # One not in the game: their saved character is changed (played: an admin's
        # "unmute dax", Dax gone, read "No player called 'dax' is in the game.", and a
        # mute could only run out).
        until = None if seconds is None else ctx.wall + seconds
        span = "until lifted" if seconds is None else f"for {admin.describe_duration(seconds)}"
        detail = "lift" if lifting else json.dumps({"until": until, "why": reason, "span": span})
        return [AdminAction("mute", value, actor.key, detail)]
    if lifting:
        if not muted(target, ctx.wall):
            return _err(actor.key, f"{target.name} is not muted.")
        return [
            SetMuted(target.key, None, actor.key, "", lift=True),
            Audit(actor.key, "unmute", target.key),
            _tell(actor.key, esc(f"{target.name} may speak again.")),
            _tell(target.key, styled("system", "An admin has lifted your mute: speak freely.")),
        ]
    if target.key == actor.key:
        return _err(actor.key, "You cannot mute yourself.")
    if target.is_admin:
        return _err(actor.key, f"{target.name} keeps this world too: you cannot mute them.")
    until = None if seconds is None else ctx.wall + seconds
    span = "until lifted" if seconds is None else f"for {admin.describe_duration(seconds)}"
    return [
        SetMuted(target.key, until, actor.key, reason),
        Audit(actor.key, "mute", target.key, f"{span}: {reason}"),
        _tell(
            actor.key,
            esc(f"Muted {target.name} {span}: {reason}. ('unmute {target.key}' lifts it.)"),
        ),
        _tell(
            target.key,
            styled(
                "error",
                esc(
                    f"An admin has muted you {span}: {reason}. Your words reach no one until"
                    " then; you can still move, look, fight, search and trade."
                ),
            ),
        ),
    ]


def _muted_list(world: World, wall: float) -> str:
    """Who in the game is muted, and how long: for ``mute`` alone."""
    rows = [f"{c.name} {muted(c, wall)}" for c in world.chars.values() if muted(c, wall)]
    if not rows:
        return "No one in the game is muted."
    return "Muted: " + "; ".join(sorted(rows)) + "."


#: The most players one may ignore.
MAX_IGNORED = 50


def cmd_ignore(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """ignore [player]   (also: unignore <player>)

    Stop hearing a player: their says, emotes, socials, tells, whispers, shouts,
    group talk, ooc, deeds in their own words and rolls no longer reach you, nor what
    answers their words here ('ignore Rook' again, or 'unignore Rook', hears them
    again). They cannot follow you, invite you, or show, give or tip you anything, and
    what of theirs waited for your answer ends. Kept over restarts. 'ignore' alone
    lists whom you ignore. A tell from them is answered that you are not listening.
    """
    mine = ignoring(actor)
    words = intent.args.strip()
    if not words:
        if not mine:
            return [
                _tell(actor.key, esc("You ignore no one. 'ignore <player>' stops hearing one."))
            ]
        names = ", ".join(_name_of(world, key) for key in mine)
        return [_tell(actor.key, esc(f"You ignore: {names}. 'unignore <player>' hears one again."))]
    found = search.find(search.online(world, besides=actor.key), words, search.ONLINE)
    if found.thing is None:
        known = [k for k in mine if k == words.lower()]
        if known and intent.verb == "unignore":
            return _unignore(actor, mine, known[0], words.title())
        return _err(actor.key, found.error)
    key, name = found.thing.ref, found.thing.name
    if intent.verb == "unignore" or key in mine:
        if key not in mine:
            return _err(actor.key, f"You are not ignoring {name}.")
        return _unignore(actor, mine, key, name)
    if world.chars[key].is_admin:
        return _err(actor.key, f"{name} keeps this world: you cannot ignore them.")
    if len(mine) >= MAX_IGNORED:
        return _err(actor.key, f"You ignore {MAX_IGNORED} players already: unignore one first.")
    # Whatever they had set going with you ends: their following you, their invitation
    # and offer waiting for your "yes", their question waiting for your answer (played
    # by a griefer: the victim's "sure" joined the ignored one's group, and her next
    # say went to him as an answer).
    loose: list[Effect] = []
    if world.following.get(key) == actor.key:
        loose.append(PartyUpdate("following", key, None))
        loose.append(_tell(key, esc(f"You stop following {actor.name}.")))
    if world.invites.get(actor.key) == key:
        loose.append(PartyUpdate("invite", actor.key, None))
    if world.offers.get(actor.key, "").partition("|")[0] == key:
        loose.append(PartyUpdate("offers", actor.key, None))
    if world.questions.get(actor.key, "").partition("|")[0] == key:
        loose.append(PartyUpdate("questions", actor.key, None))
    return [
        SetIgnoring(actor.key, (*mine, key)),
        *loose,
        _tell(actor.key, esc(f"You ignore {name}: you no longer hear them.")),
    ]


def _unignore(actor: Character, mine: tuple[str, ...], key: str, name: str) -> list[Effect]:
    return [
        SetIgnoring(actor.key, tuple(k for k in mine if k != key)),
        _tell(actor.key, esc(f"You hear {name} again.")),
    ]


def _name_of(world: World, key: str) -> str:
    char = world.chars.get(key)
    return char.name if char is not None else key.title()


#: The party tables whose entry for a player waits on their answer to another.
_SET_GOING = frozenset(("questions", "offers", "invite"))

#: Commands done to another player that an ignorer refuses from those they ignore.
_DONE_TO = frozenset(("follow", "show", "give", "tip", "group", "escort", "assist"))
#: The first words of free text that do such a thing ("invite vicky", "hand vicky
#: the dagger").
_DONE_TO_WORDS = frozenset(("invite", "follow", "hand", "offer", "pay", "show", "give"))
_NAME_WORDS = re.compile(r"[A-Za-z]+")


def shunned(world: World, actor: Character, verb: str, words: str) -> str | None:
    """The name of a player here who ignores ``actor`` and whom the line (``verb`` and
    its ``words``; "" for free text) names, when it does something to them (follow,
    invite, show, give, tip; ``_DONE_TO``): they want none of it. None otherwise.
    Played by a griefer: ignored, his invitations, shows, gifts, tips and following
    still reached the one ignoring him. Called by ``commands.dispatch``."""
    ignorers = world.ignored_by.get(actor.key)
    if not ignorers:
        return None
    first = words.strip().split(maxsplit=1)[0].lower() if words.strip() else ""
    if verb not in _DONE_TO and not (not verb and first in _DONE_TO_WORDS):
        return None
    if verb == "group" and first != "invite":
        return None  # a leader may still put them out of the group ("group kick")
    named = {w.lower() for w in _NAME_WORDS.findall(words)}
    for key in sorted(ignorers):
        other = world.chars.get(key)
        if other is not None and other.room == actor.room and other.name.lower() in named:
            return other.name
    return None


def unheard(world: World, actor: Character, effects: list[Effect]) -> list[Effect]:
    """``effects`` of what ``actor`` said or did to be heard (a say, an emote, a social,
    a tell, a shout, group talk, ooc), kept from the players who ignore ``actor``: no
    ``Tell`` to them nor anything kept for them to read when back, and they are left
    out of every ``ToRoom`` and ``ToAll``. Called
    by ``commands.dispatch``."""
    ignorers = world.ignored_by.get(actor.key)
    if not ignorers:
        return effects
    deaf = tuple(sorted(ignorers))
    out: list[Effect] = []
    for effect in effects:
        match effect:
            case Tell(who, _doc) | SetMissed(who, _doc) if who in ignorers:
                continue
            case PartyUpdate(table, who, _value) if table in _SET_GOING and who in ignorers:
                continue  # no question, offer or invitation waits on an ignorer's answer
            case ToRoom(room, doc, exclude):
                out.append(ToRoom(room, doc, (*exclude, *deaf)))
            case ToAll(doc, admins_only, exclude):
                out.append(ToAll(doc, admins_only, (*exclude, *deaf)))
            case _:
                out.append(effect)
    return out


def cmd_wake(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """wake

    Wake and get up. ('sleep' is the long rest, slept at once: you wake from it
    restored.)
    """
    if actor.pose:
        stood = poses.pose(world, actor, "stand", "")
        if stood is not None:
            return stood
    return [_tell(actor.key, "You are awake.")]


__all__ = [
    "MAX_AWAY",
    "MAX_DESCRIPTION",
    "MAX_IGNORED",
    "MAX_MISSED",
    "MAX_REPORT",
    "PRONOUN_FORMS",
    "REPORTS_AT_ONCE",
    "REPORT_KINDS",
    "away_line",
    "back",
    "cmd_afk",
    "cmd_bug",
    "cmd_describe",
    "cmd_ignore",
    "cmd_pronouns",
    "cmd_report",
    "cmd_wake",
    "cmd_where",
    "description",
    "pronoun_label",
    "pronouns",
    "shunned",
    "told_while_away",
    "unheard",
]
