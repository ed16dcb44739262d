"""Parties: following, groups, and fair shares. Pure.

- ``follow <player>`` makes you walk after them whenever they walk out of the room you
  are both in (followers of followers come too); ``follow`` alone stops.
- ``group invite <player>`` makes you a group's leader (if you were in none) and invites
  them; ``group accept`` joins and starts following the leader; ``group leave`` leaves
  (a leader who leaves disbands the group); ``group`` lists the members with their HP.
- ``gtell <message>`` talks to the whole group wherever its members are; ``group leader
  <player>`` hands the lead to a member (the group follows them now), and ``group kick
  <player>`` puts a member out. Said aloud, "you take the lead, Ione" hands it over too.
  ``split <amount>`` shares gold out among the members here.
- Group members in the same room share: a quest find (a feature's secret, an item picked
  up) counts for each of them, and the spoils of a fight (experience and gold) are split
  among everyone who fought, by ``shares``: equal parts, the remainder one apiece
  round-robin from fight to fight, so nothing is lost and no two shares differ by more
  than one.

The state lives in ``World.following``, ``World.groups``, ``World.invites`` and
``World.turns``; handlers here change it only through ``PartyUpdate`` effects.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from mud.core.markup import esc, styled
from mud.core.outputs import Doc, Para, Table
from mud.engine import phrasing, presence, search, stealth, story
from mud.engine.context import Ctx
from mud.engine.effects import (
    CharUpdate,
    Effect,
    Gain,
    LogChat,
    Move,
    PartyUpdate,
    Tell,
    Then,
)
from mud.engine.parser import Intent, sentences
from mud.engine.state import Character, World
from mud.engine.views import describe_room, list_words
from mud.render.grammar import definite


def shares(
    total: int, count: int, turn: int = 0, weights: Sequence[int] = ()
) -> tuple[list[int], int]:
    """Split ``total`` (>= 0) into ``count`` (>= 1) shares: ``total // count`` each, and
    one more for ``total % count`` sharers starting at position ``turn`` (mod ``count``)
    and going round. Returns the shares (in sharer order) and the turn for the next split
    (just after the last sharer who got one more). ``weights`` (one per sharer, each >=
    1; none: all alike) make each share ``total * weight // sum`` before the odd points
    go round, so equal weights split as none do."""
    count = max(1, count)
    total = max(0, total)
    if len(weights) == count and len(set(weights)) > 1:
        whole = sum(max(1, w) for w in weights)
        out = [total * max(1, w) // whole for w in weights]
        extra = total - sum(out)
    else:
        base, extra = divmod(total, count)
        out = [base] * count
    start = turn % count
    for i in range(extra):
        out[(start + i) % count] += 1
    return out, (start + extra) % count


def turn_key(keys: Sequence[str]) -> str:
    """The ``World.turns`` key for a set of sharers (order does not matter)."""
    return "+".join(sorted(keys))


def split_spoils(
    world: World,
    keys: Sequence[str],
    xp: int,
    gold: int,
    defeated: tuple[str, ...],
    weights: Sequence[int] = (),
) -> list[Effect]:
    """``Gain`` effects sharing ``xp`` and ``gold`` among ``keys`` (in order) by
    ``shares`` (by ``weights``, one per key, when given: the rounds each fought), each
    with ``defeated`` for quest credit, and (for two or more) the ``PartyUpdate`` that
    moves the round-robin turn on. Experience and gold take their odd points from the
    same turn, the gold's starting where the experience's stopped."""
    if not keys:
        return []
    turn_id = turn_key(keys)
    turn = world.turns.get(turn_id, 0)
    xp_shares, turn = shares(xp, len(keys), turn, weights)
    gold_shares, turn = shares(gold, len(keys), turn, weights)
    effects: list[Effect] = [
        Gain(key, xp=x, gold=g, defeated=defeated)
        for key, x, g in zip(keys, xp_shares, gold_shares, strict=True)
    ]
    if len(keys) > 1:  # one sharer has no odd points to pass round: nothing to keep
        effects.append(PartyUpdate("turn", turn_id, turn))
    return effects


def leader_of(world: World, key: str) -> str | None:
    """The leader of ``key``'s group, or None when ``key`` is in none."""
    return world.groups.get(key)


def members(world: World, key: str) -> list[str]:
    """The keys of everyone in ``key``'s group, leader first then in joining order;
    empty when ``key`` is in no group."""
    leader = world.groups.get(key)
    if leader is None:
        return []
    rest = [m for m, led in world.groups.items() if led == leader and m != leader]
    return [leader, *rest]


def present(world: World, key: str) -> list[Character]:
    """The other members of ``key``'s group in the same room as ``key``."""
    char = world.chars.get(key)
    if char is None:
        return []
    return [
        world.chars[m]
        for m in members(world, key)
        if m != key
        and m in world.chars
        and world.chars[m].room == char.room
        and m not in world.waiting
    ]


def followers(world: World, leader: str) -> list[Character]:
    """Everyone who walks after ``leader`` out of ``leader``'s room: those following
    them there, then those following those, breadth first, each once."""
    char = world.chars.get(leader)
    if char is None:
        return []
    out: list[Character] = []
    queue = [leader]
    seen = {leader}
    while queue:
        ahead = queue.pop(0)
        for key, led in world.following.items():
            follower = world.chars.get(key)
            if (
                led != ahead
                or key in seen
                or follower is None
                or follower.room != char.room
                or key in world.waiting  # not in the room yet: nobody to walk after
            ):
                continue
            seen.add(key)
            out.append(follower)
            queue.append(key)
    return out


_err = phrasing.refuse


def _tell(who: str, markup: str) -> Tell:
    return Tell(who, Doc.text(markup))


def _person(char: Character) -> str:
    return styled("person", char.name)


def cmd_follow(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """follow [player]

    Walk after a player in this room wherever they go. 'follow' alone (or 'follow
    self') stops following.
    """
    words = intent.args.strip()
    if not words or words.lower() in ("self", "me", "none", "stop"):
        ahead = world.following.get(actor.key)
        if ahead is None:
            return [_tell(actor.key, "You are not following anyone.")]
        effects: list[Effect] = [
            PartyUpdate("following", actor.key, None),
            _tell(actor.key, "You stop following " + styled("person", _name(world, ahead)) + "."),
        ]
        if ahead in world.chars:
            effects.append(_tell(ahead, f"{_person(actor)} stops following you."))
        return effects
    found = search.find(search.people(world, actor.room, viewer=actor.key), words)
    if found.thing is None:
        npc = search.find(search.npcs(world, actor.room), words).thing
        if npc is not None:
            return _err(actor.key, f"You can follow only another player, not {definite(npc.name)}.")
        elsewhere = _away(world, actor, words)
        if elsewhere is not None:
            room, way = world.last_way.get(elsewhere.key, ("", ""))
            if room == actor.room and world.room(room).exit(way) is not None:
                # Played: "follow wynn" just after "Wynn leaves up." said she was not
                # here. After them, then follow: the walk stops at a shut door.
                went = f"{_person(elsewhere)} went {way}: you go after them."
                return [
                    _tell(actor.key, went),
                    Then(actor.key, f"{way} and follow {elsewhere.name}"),
                ]
            return _err(actor.key, f"{elsewhere.name} is not here: follow someone beside you.")
        return _err(actor.key, found.error)
    target = world.chars[found.thing.ref]
    if target.key == actor.key:
        return cmd_follow(world, actor, Intent("follow", "", intent.raw), ctx)
    if world.following.get(actor.key) == target.key:
        # Played: "group accept" had them following already, and "follow maren" after
        # it told both of them it began again.
        return [_tell(actor.key, f"You are already following {styled('person', target.name)}.")]
    chain, seen = target.key, {target.key}
    while chain in world.following:
        chain = world.following[chain]
        if chain == actor.key:
            return _err(actor.key, f"{target.name} is already following you.")
        if chain in seen:
            break
        seen.add(chain)
    return [
        PartyUpdate("following", actor.key, target.key),
        *phrasing.act(actor, "{actor} now {v:follow} {target}.", target=target, room=False),
        *_group_hint(world, actor, target),
    ]


def _group_hint(world: World, actor: Character, target: Character) -> list[Effect]:
    """When ``actor`` begins to follow ``target`` outside a group ``target`` could invite
    them to, how to share quest finds: played, Fenna followed Rook through the whole
    campaign, was beside him at every find, and her quests never moved past the first
    step (a find counts for the finder's group, not for whoever follows them)."""
    leader = world.groups.get(target.key, target.key)
    if actor.key in world.groups or leader != target.key:
        return []
    you, them = styled("person", actor.name), styled("person", target.name)
    return [
        _tell(
            actor.key,
            f"Following is not sharing: for {them}'s quest finds to count for you too, "
            "join their group ('group invite' from them, then 'group accept').",
        ),
        _tell(
            target.key,
            f"To share your quest finds with {you}, type 'group invite {esc(actor.name.lower())}'.",
        ),
    ]


def names_someone(world: World, actor: Character, words: str) -> bool:
    """True when ``words`` name a player (here or anywhere in the world), an NPC here,
    or are one of the words that stop following: what ``follow`` is for. "follow the
    lanterns" names no one and is a deed. Pure."""
    if words.lower() in ("self", "me", "none", "stop"):
        return True
    _nth, target = search.split_ordinal(words)
    pool = [*search.online(world), *search.npcs(world, actor.room)]
    return any(search.score(thing, target) for thing in pool)


def _away(world: World, actor: Character, words: str) -> Character | None:
    """The player in another room whom the first word of ``words`` names ("Sorrel is
    not here" for follow, group and invite), or None."""
    first = _WORD.findall(words.lower())[:1]
    return next(
        (
            c
            for c in world.chars.values()
            if [c.name.lower()] == first and c.key != actor.key and c.room != actor.room
        ),
        None,
    )


def _name(world: World, key: str) -> str:
    char = world.chars.get(key)
    return char.name if char is not None else key.title()


def cmd_group(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """group [list | invite <who> | accept | leave | say <text> | leader <who> | kick <who>]

    Play together: the leader invites, the invited accept and follow the leader. Members
    in the same room share quest finds and kills, and split a fight's experience and gold
    evenly (odd coins go round). 'group' lists the members and their hit points.
    'group say <message>' (or 'gtell', 'gt') talks to every member wherever they are.
    The leader can hand the lead to a member ('group leader <player>', or say "you
    take the lead, <player>"): everyone follows the new leader. The leader can put a
    member out with 'group kick <player>'. A group outlives a server restart; leaving
    the game leaves it. 'invite <player>' and 'accept' (or 'join') work without 'group'
    too, and 'group <player>' invites them, or accepts when they invited you. Invite
    several at once: 'invite tobiah and ash', 'invite everyone'.
    """
    sub, _, rest = intent.args.strip().partition(" ")
    sub = sub.lower()
    if sub in ("", "list"):
        return _list(world, actor)
    if sub == "invite":
        return _invite(world, actor, rest.strip())
    if sub in ("accept", "join"):
        return _accept(world, actor)
    if sub in ("leave", "quit", "disband"):
        return _leave(world, actor)
    if sub in _TALK_SUBS:
        return gtell(world, actor, rest)
    if sub in _LEAD_SUBS:
        return _hand_lead(world, actor, rest.strip())
    if sub in _KICK_SUBS:
        return _kick(world, actor, rest.strip())
    if _WITH_ME.fullmatch(intent.args.strip()):
        # "group with me?", "party up?" to the one other player here (tried: the usage
        # line): an invitation to them; of more, to whom is asked.
        others = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
        if len(others) == 1:
            return _invite_char(world, actor, world.chars[others[0].ref])
        return _err(actor.key, "Group with whom? ('group <player>' invites one of those here.)")
    # "group tobin", as many MUDs have it: two players who meet type each other's name.
    found = search.find(search.people(world, actor.room, besides=actor.key), intent.args.strip())
    if found.thing is not None:
        if world.invites.get(actor.key) == found.thing.ref:
            return _accept(world, actor)
        return _invite_char(world, actor, world.chars[found.thing.ref])
    away = _away(world, actor, sub)
    if away is not None:
        return _err(actor.key, f"{away.name} is not here: group with someone beside you.")
    return _err(
        actor.key,
        "Usage: group [list | invite <player> | accept | leave | say <message> | "
        "leader <player> | kick <player>], or group <player>",
    )


#: ``group`` words that ask whoever is here along: "with me?", "up?", "up with us".
_WITH_ME = re.compile(r"(?:up(?:\s+with\s+(?:me|us))?|with\s+(?:me|us))\s*[?!.]*", re.I)
#: ``group`` words that talk to the group ("group say", "party tell").
_TALK_SUBS = frozenset({"say", "tell", "chat", "talk"})
#: ``group`` words that hand the lead over ("group leader ione", "group promote ione").
_LEAD_SUBS = frozenset({"leader", "lead", "promote"})
#: ``group`` words that put a member out ("group kick rook").
_KICK_SUBS = frozenset({"kick", "remove", "boot", "dismiss", "expel"})
#: The longest group message kept (as a say's).
MAX_GTELL = 500


def cmd_gtell(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """gtell <message>   (also: group say <message>)

    Talk to your group: every member in the game hears it, wherever they are.
    """
    return gtell(world, actor, intent.args)


def gtell(world: World, actor: Character, words: str) -> list[Effect]:
    """``actor`` says ``words`` to their group: each member in the game is told it (the
    speaker as "You tell the group"), and it is logged as the ``group`` channel (the
    leader's name its target). A refusal when ``actor`` is in no group or says nothing.
    Played: "gt ready when you are" was a deed the Dungeon Master narrated to the room.
    Called by ``cmd_gtell`` and ``cmd_group``. Pure."""
    text = words.strip()[:MAX_GTELL]
    keys = members(world, actor.key)
    if not keys:
        return _err(actor.key, "You are not in a group: 'tell <player>' talks to one player.")
    if not text:
        return _err(actor.key, "Usage: gtell <message> (or: group say <message>)")
    said = styled("tell", text)
    heard = [k for k in keys if k != actor.key and k in world.chars]
    yours = f"You tell the group, '{said}'"
    if not heard:
        yours += esc(" (no one else of it is in the game to hear it)")
    effects: list[Effect] = [_tell(actor.key, yours)]
    effects += [_tell(k, f"{_person(actor)} tells the group, '{said}'") for k in heard]
    missed = f"{actor.name} told the group, '{text}'"  # for members away, to read when back
    for key in heard:
        effects += presence.told_while_away(world.chars[key], missed)
    effects.append(LogChat("group", actor.room, actor.name, _name(world, keys[0]), text))
    return effects


#: "split 10", "split 10 gold", "split 7 coins".
_SPLIT = re.compile(r"^\s*(\d{1,9})\s*(?:gold(?:\s+(?:pieces?|coins?))?|gp|coins?)?\s*$", re.I)


#: Whom a split is with, after what is split: "with talis", "between us", "evenly".
_SPLIT_WITH = re.compile(
    r"\s+(?:(?:evenly\s+|equally\s+)?(?:with|between|among(?:st)?)\s+(?P<whom>[\w' ,]+?)"
    r"|evenly|equally|fifty[- ]fifty)\s*[.!]*$",
    re.I,
)
#: Those a split is with, said of the group: "us", "the group", "everyone", "you".
_US = re.compile(
    r"(?:us(?:\s+(?:two|three|all))?|you(?:\s+(?:two|all|guys))?|y'all|everyone|everybody"
    r"|all\s+of\s+us|the\s+(?:group|party|others|rest)|my\s+(?:group|party))",
    re.I,
)
#: Gold named with no amount: "the gold", "our money", "the loot".
_GOLD_NAMED = re.compile(
    r"(?:(?:the|my|our|this|that|all\s+the)\s+)?(?:gold|coins?|money|loot|spoils|takings)",
    re.I,
)


def split(world: World, actor: Character, words: str) -> list[Effect] | None:
    """``split <words>``: when ``words`` are an amount of gold, ``actor`` shares it out
    among the members of their group beside them and themself, evenly (by ``shares``;
    the splitter, first, keeps the odd coins), each told their share; a refusal when
    there is no group here or not that much gold; None when ``words`` are no amount
    ("split the bread": a deed, ``commands.cmd_split``). Pure.

    Whom it is with may follow ("split 3 with talis", "between us"), and coins of the
    world named stand for what they are worth ("split the coins with talis" after
    picking up a handful worth 3: played, a deed the DM narrated, and no coin moved);
    gold named with no amount ("split the gold") asks how much."""
    whom = _SPLIT_WITH.search(words)
    body = words[: whom.start()] if whom is not None else words
    sharers = (whom.group("whom") or "").strip() if whom is not None else ""
    wanted = _SPLIT.match(body)
    worth = int(wanted.group(1)) if wanted is not None else _coins_worth(world, body, actor.room)
    it = body.strip().lower() in _THEM
    if worth is None and it:
        # "split them with everyone", just after "get coins" in the ice caves (played,
        # round 57: a deed, "You try to split them with everyone."): the coins built
        # lying here, which were just picked up.
        lying = {world.items[i].template for i in world.items_in_room(actor.room)}
        if not any(world.templates.items[t].kind == "coins" for t in lying):
            worth = _coins_worth(world, "coins", actor.room, here_only=True)
    if sharers and not _with_the_group(world, actor, sharers):
        if worth is None:
            return None  # "split the bread with bessa": a deed
        return _err(
            actor.key,
            f"A split shares gold with your group here; 'give {worth} gold to {sharers}'"
            " gives it to one.",
        )
    if worth is not None:
        amount = worth
    elif _GOLD_NAMED.fullmatch(body.strip()) or (it and sharers):
        return _err(
            actor.key,
            f"Split how much? You have {actor.gold} gold: 'split {max(actor.gold, 1)}' shares"
            " it with your group here.",
        )
    elif words.strip():
        return None
    else:
        return _err(actor.key, "Usage: split <amount> (gold shared with your group here)")
    if not members(world, actor.key):
        return _err(actor.key, "You are not in a group: 'give <amount> gold to <player>'.")
    if amount <= 0:
        return _err(actor.key, "Split how much? 'split 10'.")
    if amount > actor.gold:
        return _err(actor.key, f"You have only {actor.gold} gold.")
    mates = present(world, actor.key)
    if not mates:
        return _err(actor.key, "No one of your group is here to share it with.")
    cut, _turn = shares(amount, len(mates) + 1)  # the splitter first: the odd coins stay
    mine = cut[0]
    effects: list[Effect] = [CharUpdate(actor.key, gold=actor.gold - amount + mine)]
    for mate, share in zip(mates, cut[1:], strict=True):
        effects.append(CharUpdate(mate.key, gold=mate.gold + share))
        effects.append(
            _tell(mate.key, f"{_person(actor)} splits {amount} gold: your share is {share}.")
        )
    effects.append(_tell(actor.key, f"You split {amount} gold; you keep {mine}."))
    return effects


def _with_the_group(world: World, actor: Character, words: str) -> bool:
    """Whether ``words``, whom a split is with, are ``actor``'s group: "us", "the
    group", or the names of members ("talis", "talis and oren")."""
    if _US.fullmatch(words.strip()):
        return True
    names = {world.chars[k].name.lower() for k in members(world, actor.key) if k in world.chars}
    said = [w for w in _WORD.findall(words.lower()) if w != "and"]
    return bool(said) and all(w in names for w in said)


#: What a split of "them" means when coins were just taken: "split them with everyone".
_THEM = frozenset({"them", "it", "those", "these", "em", "'em"})


def _coins_worth(
    world: World, words: str, room: str = "", *, here_only: bool = False
) -> int | None:
    """What the coins of the world ``words`` name are worth ("the coins", "the
    copper"), by their item's value; None when they name no coins. Of coins the words
    fit more than one of, those built lying in ``room`` (where they were just picked
    up): played in a new pack, "split the coins with mira" in the ice caves, whose
    frozen coins and the square's silver pennies both answer to "coins". ``here_only``:
    only those built lying in ``room``."""
    coins = [
        search.Thing("item", t.id, t.name, t.aliases)
        for t in world.templates.items.values()
        if t.kind == "coins"
    ]
    found = None if here_only else search.find(coins, words.strip()).thing
    if found is None and room in world.templates.rooms:
        here = set(world.templates.rooms[room].items)
        found = search.find([c for c in coins if c.ref in here], words.strip()).thing
    return world.templates.items[found.ref].value if found is not None else None


def _member(world: World, actor: Character, words: str, usage: str) -> Character | str:
    """The other member of ``actor``'s group that ``words`` name (anywhere in the game),
    or the refusal to give (plain text): ``usage`` when ``words`` are empty, who leads
    when ``actor`` does not."""
    keys = members(world, actor.key)
    if not keys:
        return "You are not in a group."
    if keys[0] != actor.key:
        return f"Only the leader, {_name(world, keys[0])}, can do that."
    if not words:
        return usage
    if _WORD.findall(words.lower())[:1] == [actor.name.lower()]:
        return "That is you: 'group leave' leaves the group."
    others = [world.chars[k] for k in keys[1:] if k in world.chars]
    first = _WORD.findall(words.lower())[:1]
    named = [c for c in others if [c.name.lower()] == first]
    if not named:
        named = [c for c in others if first and c.name.lower().startswith(first[0])]
    if len(named) != 1:
        return f"No one in your group is called '{words}'."
    return named[0]


def _hand_lead(world: World, actor: Character, words: str) -> list[Effect]:
    target = _member(world, actor, words, "Usage: group leader <player>")
    if isinstance(target, str):
        return _err(actor.key, target)
    return lead_to(world, actor, target)


def lead_to(
    world: World, actor: Character, target: Character, *, taken: bool = False
) -> list[Effect]:
    """``actor``, the leader, hands ``target`` (a member) the lead: every member's group
    is ``target``'s, whoever followed ``actor`` (and ``actor`` too) follows ``target``,
    ``target`` follows no one of the group, and invitations and askings made to
    ``actor`` are ``target``'s to answer now. Everyone in the group in the game is told;
    ``taken``: as ``target`` taking it ("Maren takes the lead"), not ``actor`` handing
    it."""
    keys = members(world, actor.key)
    effects: list[Effect] = []
    for key in keys:
        effects.append(PartyUpdate("group", key, target.key))
        if key == target.key:
            if world.following.get(key) in keys:
                effects.append(PartyUpdate("following", key, None))
        elif key == actor.key or world.following.get(key) == actor.key:
            effects.append(PartyUpdate("following", key, target.key))
    for invited, inviter in world.invites.items():
        if inviter == actor.key:
            effects.append(PartyUpdate("invite", invited, target.key))
    asker = world.join_asks.get(actor.key)
    if asker is not None:
        effects += [PartyUpdate("asks", actor.key, None), PartyUpdate("asks", target.key, asker)]
    them = _person(target)
    if taken:
        for key in keys:
            if key not in (target.key,) and key in world.chars:
                effects.append(_tell(key, f"{them} takes the lead; you follow {them} now."))
        effects.append(_tell(target.key, "You take the lead: the group follows you."))
        return effects
    effects.append(_tell(actor.key, f"You hand the lead to {them}, and follow {them} now."))
    effects.append(
        _tell(target.key, f"{_person(actor)} hands you the lead: the group follows you.")
    )
    for key in keys:
        if key not in (actor.key, target.key) and key in world.chars:
            effects.append(
                _tell(key, f"{_person(actor)} hands the lead to {them}; you follow {them} now.")
            )
    return effects


def _kick(world: World, actor: Character, words: str) -> list[Effect]:
    target = _member(world, actor, words, "Usage: group kick <player>")
    if isinstance(target, str):
        return _err(actor.key, target)
    keys = members(world, actor.key)
    if len(keys) <= 2:
        # The last member but one: the group ends, as when one of two leaves.
        effects = _out(world, keys, keys)
        effects.append(_tell(actor.key, f"You put {_person(target)} out; the group is disbanded."))
        effects.append(_tell(target.key, f"{_person(actor)} puts you out of the group."))
        return effects
    effects = _out(world, [target.key], keys)
    effects.append(_tell(target.key, f"{_person(actor)} puts you out of the group."))
    effects.append(_tell(actor.key, f"You put {_person(target)} out of the group."))
    for key in keys:
        if key not in (actor.key, target.key) and key in world.chars:
            effects.append(_tell(key, f"{_person(actor)} puts {_person(target)} out of the group."))
    return effects


def _list(world: World, actor: Character) -> list[Effect]:
    keys = members(world, actor.key)
    if not keys:
        invited = world.invites.get(actor.key)
        hint = (
            f" {_name(world, invited)} has invited you: type 'group accept'."
            if invited is not None
            else " Start one with 'group invite <player>'."
        )
        return [_tell(actor.key, "You are not in a group." + esc(hint))]
    rows = []
    for key in keys:
        char = world.chars.get(key)
        lead = " (leader)" if key == keys[0] else ""
        if char is None:
            # Out of the game (a group outlives a restart until its members are back).
            name = styled("person", _name(world, key)) + lead
            rows.append((name, styled("dim", "-"), styled("dim", "away")))
            continue
        hp_style = "good" if char.hp * 2 > char.max_hp else "bad"
        rows.append(
            (
                styled("person", char.name) + lead,
                styled(hp_style, f"{char.hp}/{char.max_hp}"),
                esc(world.room(char.room).name),
            )
        )
    return [
        Tell(
            actor.key,
            Doc(
                (
                    Para(styled("title", f"{_name(world, keys[0])}'s group")),
                    Table(tuple(rows), header=("Member", "HP", "Where")),
                )
            ),
        )
    ]


#: Between the names of one invitation: "invite tobiah and ash", "invite ann, bo & cy".
_NAME_LIST = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s&\s|\s+and\s+)\s*", re.IGNORECASE)
#: Everyone here: "invite everyone", "invite all of you".
_EVERYONE = re.compile(
    r"(?:all|everyone|everybody|all of (?:you|them|us)|you all|y'?all|the lot)[.!]*",
    re.IGNORECASE,
)


def _invite_many(world: World, actor: Character, words: str) -> list[Effect] | None:
    """Every player a list of names names here ("tobiah and ash", "ann, bo & cy", "tobiah
    and ash to my group"), or everyone here not yet in a group of one's own
    ("everyone"), each invited as one invitation is, and a name of the list no one here
    bears told ("You see no 'zed' here."); None when ``words`` is no such list (one name,
    or words that are no names: the one-name reading then answers). Played: "invite
    tobiah and ash" invited Tobiah alone, and said nothing of Ash. Pure."""
    leader = world.groups.get(actor.key, actor.key)
    people = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
    words = _INVITE_TAIL.sub("", words.strip())
    if _EVERYONE.fullmatch(words):
        if leader != actor.key:
            return _err(actor.key, f"Only the leader, {_name(world, leader)}, can invite.")
        chosen = [world.chars[p.ref] for p in people if p.ref not in world.groups]
        if not chosen:
            return _err(actor.key, "There is no one here to invite.")
        return [effect for target in chosen for effect in _invite_char(world, actor, target)]
    listed = _NAME_LIST.split(words)
    if len(listed) < 2:
        return None
    parts = [p for p in listed if p and p.lower().strip(".!") not in _NO_NAME]
    if not parts or any(len(part.split()) > 1 for part in parts):
        return None  # "invite ash, let's go": a name, then words (the one-name reading)
    found = [search.find(people, part) for part in parts]
    if all(f.thing is None for f in found):
        return None
    chosen = list({f.thing.ref: world.chars[f.thing.ref] for f in found if f.thing}.values())
    invited = [e for target in chosen for e in _invite_char(world, actor, target)]
    # "invite ash, tobiah and cy" without Cy: those here invited, and Cy's absence told.
    return invited + [e for f in found if f.thing is None for e in _err(actor.key, f.error)]


#: What may close an invitation of several: "to my group", "to join us", "into the party".
_INVITE_TAIL = re.compile(
    r"\s+(?:(?:to|into)\s+(?:my|our|the)\s+(?:group|party|company)|to\s+join\s+(?:us|me|the\s+group"
    r"|my\s+group|our\s+group))\b.*$",
    re.IGNORECASE,
)
#: Words of a list of names that are no names: "invite ash, please", "invite ash and go".
_NO_NAME = frozenset(
    "please pls plz thanks thx now too then quick quickly here up go come along".split()  # noqa: SIM905
)


def _invite(world: World, actor: Character, words: str) -> list[Effect]:
    if not words:
        return _err(actor.key, "Usage: group invite <player>")
    many = _invite_many(world, actor, words)
    if many is not None:
        return many
    found = search.find(search.people(world, actor.room, besides=actor.key), words)
    if found.thing is None:
        away = search.find(search.online(world, besides=actor.key), words).thing
        if away is not None and stealth.sees(world, actor.key, world.chars[away.ref]):
            # Played: Wren told a new player to come to the shrine, and "group invite
            # osric" read "You see no 'osric' here.", as if there were no Osric.
            return _err(
                actor.key,
                f"{away.name} is not here: a group is joined face to face. When you"
                f" meet, 'group invite {away.name.lower()}'.",
            )
        return _err(actor.key, found.error)
    return _invite_char(world, actor, world.chars[found.thing.ref])


def _invite_char(world: World, actor: Character, target: Character) -> list[Effect]:
    leader = world.groups.get(actor.key, actor.key)
    if leader != actor.key:
        return _err(actor.key, f"Only the leader, {_name(world, leader)}, can invite.")
    if target.key in world.groups:
        whose = "your" if world.groups[target.key] == actor.key else "a"
        return _err(actor.key, f"{target.name} is already in {whose} group.")
    return [
        PartyUpdate("invite", target.key, actor.key),
        PartyUpdate("overtaken", target.key, None),
        *phrasing.act(
            actor,
            "{actor} {v:invite} {target} to your group.",
            target=target,
            # No pronoun ("to their group"): the engine knows none.
            for_target=(
                "{actor} {v:invite} {target} to join the group. Type 'group accept', or say yes."
            ),
            room=False,
        ),
    ]


#: Words after "accept" or "join" that still mean the group ("accept the invitation").
_GROUP_WORDS = frozenset({"invite", "invitation", "group", "party", "offer"})
_WORD = re.compile(r"[a-z]+")


def plain(world: World, actor: Character, word: str, rest: str) -> list[Effect] | None:
    """A line that starts with ``word`` (not a command) and goes on with ``rest``, read
    as the group command a new player meant: "invite Ione" is 'group invite' when
    ``rest`` begins with the name of someone here, and "Ione is not here" when it names
    a player elsewhere ("invite" alone is told how); "accept", "join" or "accept Rook's
    invitation" from someone with an invitation is 'group accept', and "join Wynn"
    without one asks Wynn's group's leader to invite them. None when the words
    do not fit (no one by that name, no invitation, "accept the bread"): the line is
    then a free action for the Dungeon Master. Called by ``commands.dispatch``. Pure."""
    word = word.lower()
    if word == "invite" and not rest.strip():
        return _err(actor.key, "Usage: invite <player> (someone beside you), or group invite")
    if word == "invite":
        many = _invite_many(world, actor, rest)
        if many is not None:
            return many
        people = search.people(world, actor.room, besides=actor.key)
        found, _ = search.find_leading(people, rest)
        if found.thing is not None:
            return _invite_char(world, actor, world.chars[found.thing.ref])
        away = _away(world, actor, rest)
        if away is not None:
            return _err(actor.key, f"{away.name} is not here: invite someone beside you.")
        return None
    if word in ("accept", "join"):
        inviter = world.chars.get(world.invites.get(actor.key, ""))
        if inviter is None:
            return _ask_to_join(world, actor, rest) if word == "join" else None
        said = set(_WORD.findall(rest.lower()))
        if said and not said & (_GROUP_WORDS | set(_WORD.findall(inviter.name.lower()))):
            return None
        return _accept(world, actor)
    return None


def _ask_to_join(world: World, actor: Character, rest: str) -> list[Effect] | None:
    """ "join Wynn" with no invitation: Wynn (a player here) is asked to invite ``actor``
    (the group's leader is, when Wynn is in one); None when ``rest`` names no one here.
    Played: "join wynn" was a deed the DM narrated, and Wynn never knew."""
    people = search.people(world, actor.room, besides=actor.key)
    if not rest.strip():
        # "join" alone (played: Ash's invitation had gone astray, and "join" was "You
        # try to join."): the one group here is asked; of none or several, how to.
        leaders = {world.groups[p.ref] for p in people if p.ref in world.groups}
        if len(leaders) == 1:
            return _asking(world, actor, world.chars[leaders.pop()])
        if not leaders:
            return _err(
                actor.key,
                "No one has invited you to a group. ('invite <player>' asks someone"
                " beside you to join yours.)",
            )
        return _err(actor.key, "Join whom? ('join <player>' asks to join their group.)")
    found, _ = search.find_leading(people, rest)
    if found.thing is None:
        return None
    return _asking(world, actor, world.chars[found.thing.ref])


#: Words that ask another player to play together: "want to team up?", "join me",
#: "shall we travel together?", "let's group up", "come with us", "want to look around
#: together?" (played: said, and "sure, lead the way" made no group), "want to come up
#: with me?".
_TEAMING = re.compile(
    r"\b(?:team|group|join|pair|party|link)\s+up\b"
    # "dov, group with me? we check the cell first" (played: asked, and "sure" made no
    # group).
    r"|\b(?:team|group|pair|party)\s+(?:up\s+)?with\s+(?:me|us)\b"
    r"|\bjoin\s+(?:me|us|forces|(?:my|our)\s+(?:group|party|company))\b"
    r"|\b(?:travel|go|work|stick|adventure|explore|stay|look|search|investigate|hunt"
    r"|poke|do\s+(?:this|it)|head\s+out)\s+(?:around\s+|about\s+|on\s+)?together\b"
    # "wanna look for this cartographer lady together?" (played: no group came of it).
    r"|\b(?:look|search|hunt)\s+for\s+[^.?!]{1,40}?\btogether\b"
    # "hey sorrel! wanna go find pell together?" (played in Lanternfall: said, and no
    # group came of it).
    # Asked, not told: "help me piece this together" asks no one along (found in review).
    r"|\b(?:want|wanna|shall\s+we|should\s+we|let'?s|care|fancy|how\s+about)\b[^.?!]{0,20}?"
    r"\b(?:find|rescue|save|fetch|help|track\s+down)\s+[^.?!]{1,40}?\btogether\b"
    r"|\bcome\s+(?:along\s+)?with\s+(?:me|us)\b"
    # "Tobias, walk with me? Two lamps are better than one." (played: asked, and his
    # "Lead on." made no group): asked, not told ("walk with me to the door" is a walk).
    r"|\b(?:walk|ride|travel|go)\s+with\s+(?:me|us)\b[^.?!]{0,30}\?"
    # "want to come look at her room with me?" (played: said, and "sure, lead on" made
    # no group): a wish to do anything with the speaker.
    r"|\b(?:want|wanna|care|like|fancy)\s+(?:to\s+)?(?:come|go|head|walk|check)\b"
    r"[^.?!]{0,40}?\bwith\s+(?:me|us)\b"
    # "want to come with?", "wanna come along?" (played: asked, and no group came of it)
    # Its sentence ended, words may follow: "u wanna come? we got the key" (played).
    r"|\b(?:want|wanna|care|like|fancy)\s+(?:to\s+)?come(?:\s+(?:with|along))?"
    r"\s*(?:[?!.]+(?=\s|$)|$)"
    r"|\b(?:want|like|care)\s+to\s+(?:group|party|team)\b"
    # "Then let's see her room. Will you come, Tova?", "Will you come up and look,
    # Corra?" (played: said, and her yes made no group and went nowhere).
    r"|\b(?:will|would|won'?t|can)\s+you\s+come\b[^.?!]{0,40}\?+\s*$"
    r"|^\W*(?:are\s+)?you\s+coming(?:\s+(?:along|too|with\s+(?:me|us)))?(?:,?\s+[\w'-]+)?\s*\?+\s*$"
    r"|\blet'?s\s+(?:group|party|team)\b"
    # "coin splits fine two ways. partners?" (played: asked, and no group came of it).
    r"|\b(?:partners|partner\s+up|work\s+with\s+me|split\s+(?:it|the\s+\w+)\s+two\s+ways)\s*\?",
    re.IGNORECASE,
)
#: Words that ask to join the other: "can I join you?", "mind if I tag along?", "want
#: some company?".
_JOINING = re.compile(
    r"\b(?:join|follow)\s+you\b|\btag\s+along\b|\bcome\s+with\s+you\b"
    r"|\b(?:want|need|like|fancy)\s+(?:some\s+)?company\b"
    # "hi guys! can i join?" (played by a newcomer beside a group: said, and no one was
    # asked), "can I join your group?", "can I come too?".
    r"|\b(?:can|could|may|mind\s+if)\s+i\s+(?:join(?:\s+(?:in|up|your\s+(?:group|party)))?"
    # "Wren, mind if I come along too?" (played in Lanternfall: asked, and her "of
    # course! the more the merrier" made no group).
    r"|come(?:\s+along|\s+with\s+(?:you|y'?all)(?:\s+(?:two|three|guys|all))?)?"
    r"(?:\s+(?:too|as\s+well))?)\s*(?:[?!.]+(?=\s|$)|$)",
    re.I,
)
#: A yes, the words it opens with: "sure", "aye, let's", "count me in", "gladly".
_ASSENT = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|ya|yah|yea|sure|ok|okay|kk|aye|gladly|absolutely|certainly|definitely"
    r"|deal|alright|all\s+right|of\s+course|why\s+not|count\s+me\s+in|i'?m\s+in"
    r"|sounds\s+good|happy\s+to|(?:i'?d\s+)?love\s+to|with\s+pleasure|good\s+idea|agreed"
    # "let's go!" to "want to team up?" (played: said, and no group came of it).
    r"|let'?s\s+(?:go|do\s+(?:it|this))"
    # "lead the way, thief" to "want to come with?" (played: said, no group made).
    r"|lead\s+(?:the\s+way|on)|after\s+you)\b",
    re.IGNORECASE,
)


def _after_own_name(text: str, name: str) -> str:
    """``text`` after the sentence or clause that gives the speaker's own ``name``, when
    it opens with one ("Kit. sure, better than freezing alone" -> "sure, better than
    freezing alone"; "name's Kit, sure"; "I'm Kit. aye"; "Kit here. sure"); ``text``
    otherwise. Pure."""
    if name.lower() not in text.lower():
        return text  # most lines: no pattern built
    given = re.match(
        rf"\W*(?:(?:my\s+)?name'?s\s+|(?:i'?m|i\s+am|call\s+me)\s+)?{re.escape(name)}"
        r"(?:\s+here)?[.!,;]\s+",
        text,
        re.I,
    )
    return text[given.end() :] if given is not None else text


def teaming(text: str) -> bool:
    """Whether ``text`` speaks of teaming up ("want to join up?", "can I join you?"):
    such a question restates an invitation rather than overtaking it. Pure."""
    return _TEAMING.search(text) is not None or _JOINING.search(text) is not None


def assents(text: str) -> bool:
    """Whether ``text`` opens with a yes ("sure", "aye, let's", "good idea"). Pure."""
    return _ASSENT.match(text) is not None


#: Words handing the lead to the one spoken to: "you take the lead, ione", "lead on".
_LEADING = re.compile(
    r"\byou\s+(?:take\s+the\s+|can\s+|should\s+)?lead\b"
    r"|\b(?:take|have)\s+the\s+lead\b"
    r"|\blead\s+(?:the\s+way|on|us)\b"
    r"|\byou(?:'re|\s+are)\s+(?:the\s+)?(?:leader|in\s+charge)\b"
    # "after you, sneak. I'll be right behind" (played: said, and the leader stayed as
    # the rogue went down alone into the rat's tunnel).
    r"|\bafter\s+you\b|\byou\s+(?:go\s+)?first\b",
    re.IGNORECASE,
)

#: Words that turn a line about leading into its opposite ("don't take the lead").
_NOT = re.compile(r"\b(?:don'?t|do\s+not|never|no\s+need|shouldn'?t|won'?t|not)\b", re.I)


def hands_lead(text: str) -> bool:
    """Whether ``text``, said by a leader, hands the lead to the one spoken to ("lead on",
    "after you", "you take the lead"; not a question, nor "don't"). Pure."""
    return bool(_LEADING.search(text) and not text.rstrip().endswith("?") and not _NOT.search(text))


def _lead_said(world: World, actor: Character, text: str, to: str | None) -> list[Effect]:
    """A group's leader saying ``text`` that hands the lead to a member beside them (the
    one named, the one spoken to, or the only member here): the lead is handed over
    (``lead_to``); [] for any other line, a question, or words that say not to. Played:
    "ann, you take the lead" was said, and the group went on following its leader."""
    if not hands_lead(text):
        return []  # most lines: no need to look at the group
    keys = members(world, actor.key)
    if not keys or keys[0] != actor.key:
        return []
    here = present(world, actor.key)
    words = set(_WORD.findall(text.lower()))
    named = [c for c in here if c.name == to or c.name.lower() in words]
    one = named or (here if len(here) == 1 else [])
    return lead_to(world, actor, one[0]) if len(one) == 1 else []


#: Words asking the others to stay while the speaker goes on: "wait here", "stay put",
#: "stay here and keep watch".
_WAIT_HERE = re.compile(r"^\W*(?:wait|stay|hold)\s+(?:here|put|back|there)\b", re.I)
#: Words calling to all those with the speaker, after a call along: "let's go guys".
ALL_CALLED = (
    r"(?:guys|all|everyone|everybody|folks|team|lads|friends|people|gang|y'?all"
    r"|you\s+(?:two|three|lot|all))\b"
)
#: Words asking them along again: "follow me", "come on", "come with me", "let's go",
#: "this way".
_COME_ON = re.compile(
    r"^\W*(?:follow\s+me|come\s+on|come\s+with\s+me|let'?s\s+(?:go|move)|this\s+way"
    # "ready? back to the eel landing. stay close" (played: said, and no one walked).
    # "To the old mill. Keep close." (played: said, and no one walked).
    r"|(?:stay|keep)\s+(?:close|with\s+me|together)|keep\s+up|stick\s+close|with\s+me)\b"
    # To all of them: "lets go guys" (played: said, and no one walked).
    rf"(?:,?\s+{ALL_CALLED})?"
    r"(?!\s+\w)",
    re.I,
)


def calls_along(sentences: list[str], names: Collection[str] = ()) -> bool:
    """Whether one of ``sentences`` (a line's, ``parser.sentences``) asks those with the
    speaker along ("follow me", "come on", "let's go", "this way"), also with one of
    ``names`` (lowercased: ``names_here``) before or after the call ("follow me, wren",
    "wren, come on"). Pure."""
    # A call after a comma too: "reed path next, come on" (played: said, no one went).
    clauses = [clause for part in sentences for clause in (part, *part.split(",")[1:])]
    return any(
        _COME_ON.search(part) or (names and _COME_ON.search(_unnamed(part, names)))
        for part in clauses
    )


#: The calls along that ask to be followed: the speaker leads.
_FOLLOW_ME = re.compile(
    r"^\W*(?:(?:come\s+on|ok(?:ay)?|alright|right)[,!]?\s+)?"
    r"(?:follow\s+me|come\s+with\s+me|this\s+way)(?:\s+to\s+the\s+[^.!?,;]+)?\W*$",
    re.I,
)


def asks_to_be_followed(sentences: list[str], names: Collection[str] = ()) -> bool:
    """Whether one of ``sentences`` is a call to follow the speaker ("follow me", "this
    way, dov"), with or without one of ``names`` (as ``calls_along``). Pure."""
    return any(_FOLLOW_ME.match(_unnamed(part, names)) for part in sentences)


def _unnamed(sentence: str, names: Collection[str]) -> str:
    """``sentence`` without one of ``names`` as its first or last word ("follow me"
    of "follow me, wren" and of "wren follow me"). Pure."""
    words = sentence.split()
    if len(words) > 1 and words[0].lower().strip(",.!:;") in names:
        words = words[1:]
    if len(words) > 1 and words[-1].lower().strip(",.!?;") in names:
        words = words[:-1]
    return " ".join(words).rstrip(",")


def names_here(world: World, actor: Character, text: str) -> frozenset[str]:
    """The names (lowercased) of the other players in ``actor``'s room that ``text``
    names, word by word (not by who is here: a crowd is 1,000). Pure."""
    found = set()
    for word in _WORD.findall(text.lower()):
        char = world.chars.get(word)
        if char is not None and char.key != actor.key and char.room == actor.room:
            found.add(word)
    return frozenset(found)


#: Any of the words the two above open with.
_STAY_OR_COME = re.compile(r"\b(?:wait|stay|hold|follow|come|let'?s|this|keep|with)\b", re.I)


def _follow_hint(world: World, actor: Character, text: str, to: str | None) -> list[Effect]:
    """``text`` asks to be followed ("follow me, dov") by a player outside ``actor``'s
    group (the one spoken to, ``to``, or named, or the only other player here) who
    does not follow them: that player is told how to. [] otherwise. Played: a new
    player's "follow me, dov" was said, and Dov, new too, stayed where he was."""
    if not _STAY_OR_COME.search(text):
        return []
    names = names_here(world, actor, text)
    if not asks_to_be_followed(sentences(text), names):
        return []
    if to is not None:
        spoken_to = world.chars.get(to.lower())
        meant = [spoken_to] if spoken_to is not None else []
    elif names:
        meant = [world.chars[name] for name in names]
    else:
        others = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
        meant = [world.chars[others[0].ref]] if len(others) == 1 else []
    mine = world.groups.get(actor.key)
    meant = [
        c
        for c in meant
        if world.following.get(c.key) != actor.key
        and (mine is None or world.groups.get(c.key) != mine)
    ]
    if len(meant) != 1:
        return []
    who = meant[0]
    return [
        _tell(
            who.key,
            f"('follow {esc(actor.name.lower())}' walks after {_person(actor)} wherever they go.)",
        )
    ]


def lead_walkers(world: World, actor: Character) -> list[Character]:
    """Those beside ``actor`` who will walk after them once ``actor`` takes the lead of
    their group from its leader (``take_lead``): the leader, then whoever walked after
    the leader, not ``actor`` nor those who walk after ``actor`` already. Pure."""
    leader = world.chars.get(world.groups.get(actor.key, actor.key))
    if leader is None or leader.key == actor.key or leader.room != actor.room:
        return []
    mine = {c.key for c in followers(world, actor.key)} | {actor.key}
    return [c for c in (leader, *followers(world, leader.key)) if c.key not in mine]


def take_lead(world: World, actor: Character, *, any_size: bool = False) -> list[Effect]:
    """``actor``, the member of a group of two (``any_size``: of any size) whose leader
    is beside them, takes the lead (``lead_to``, told as taken); [] for anyone else.
    Called by ``commands`` for a member's call along that names a walk: "right, the reed
    path. follow me" (played: said, and neither walked); and, in any group, for a
    member's "I'll go first" (played: Marla went down the trapdoor alone, into the rat).
    Pure."""
    leader = world.chars.get(world.groups.get(actor.key, actor.key))
    if leader is None or leader.key == actor.key or leader.room != actor.room:
        return []
    if len(members(world, actor.key)) != 2 and not any_size:
        return []
    return lead_to(world, leader, actor, taken=True)


def _waiting_said(world: World, actor: Character, text: str, to: str | None) -> list[Effect]:
    """What a line said by ``actor`` does to those here following them: "wait here"
    (to one by name, or to all) has them stop following, so ``actor`` goes on alone
    (played: "wait here. I'll sneak ahead and take a look", and the follower walked in
    after the sneaking leader, into the eel-catcher's ambush); "follow me", "come on"
    from a group's leader has its members here who follow no one follow them again. [] for
    any other line; each sentence of it is read ("all clear. come on"). Called by
    ``spoken``."""
    if not _STAY_OR_COME.search(text):
        return []  # most lines: one search, no parting into sentences
    parts = sentences(text)
    if any(_WAIT_HERE.search(part) for part in parts):
        stay = [
            c
            for c in world.people_in(actor.room)
            if world.following.get(c.key) == actor.key and (to is None or c.name == to)
        ]
        effects: list[Effect] = []
        for char in stay:
            effects += [
                PartyUpdate("following", char.key, None),
                _tell(
                    char.key,
                    f"You stay where you are, and {_person(actor)} goes on without you."
                    f" ('follow {actor.name.lower()}' to follow again.)",
                ),
            ]
        if stay:
            names = list_words([_person(c) for c in stay])
            follow = "follows" if len(stay) == 1 else "follow"
            effects.append(_tell(actor.key, f"{names} will wait here, and no longer {follow} you."))
        return effects
    if (
        calls_along(parts, names_here(world, actor, text))
        and world.groups.get(actor.key) == actor.key
    ):
        come = [c for c in present(world, actor.key) if c.key not in world.following]
        come = [c for c in come if to is None or c.name == to]
        effects = []
        for char in come:
            effects += [
                PartyUpdate("following", char.key, actor.key),
                _tell(char.key, f"You follow {_person(actor)} again."),
            ]
        return effects
    return []


def spoken(
    world: World, actor: Character, text: str, to: str | None, *, accepting: bool = True
) -> list[Effect]:
    """What ``text``, said aloud by ``actor`` to the player named ``to`` (None: to the
    room), does for a group (``_grouping_said``), or, when it does nothing there and
    asks to be followed, how the one asked may follow (``_follow_hint``); [] for most
    lines. Called by ``commands.dispatch`` for a say to no NPC. Pure."""
    grouped = _grouping_said(world, actor, text, to, accepting=accepting)
    return grouped or _follow_hint(world, actor, text, to)


def _grouping_said(
    world: World, actor: Character, text: str, to: str | None, *, accepting: bool = True
) -> list[Effect]:
    """What ``text``, said aloud by ``actor`` to the player named ``to`` (None: to the
    room), does for a group, after it is said; [] for most lines. A yes ("sure, let's
    team up") from someone a player here has invited accepts; words asking another to
    team up ("want to join up, Wynn?") invite them (the one they name, the one spoken
    to, or the only other player here), or, when they are in a group led by someone
    else, ask its leader (as ``join`` does); "can I join you?" asks them. Nothing when
    the two are grouped already, or the invitation stands. A leader's words handing a
    member the lead ("you take the lead, Wynn") hand it (``_lead_said``); "wait here"
    and "come on" stop and start those following (``_waiting_said``). Played: "hi
    fenwick, want to join up?" and "sure, let's team up" were said, and no group came
    of them. A yes does not accept an invitation a question has overtaken since
    (``World.overtaken``): it answers the question. ``accepting`` False: a yes accepts
    nothing (it answered a thing offered, or two answers wait and it named neither:
    ``commands._yes_to``). Pure."""
    led = _lead_said(world, actor, text, to)
    if led:
        return led  # "sure, you lead, ann" too
    waiting = _waiting_said(world, actor, text, to)
    if waiting:
        return waiting
    # A name given first is no answer yet: "Kit. sure, better than freezing alone"
    # (played in Lanternfall: said, and no group came of it).
    answer = _after_own_name(text, actor.name)
    yes = accepting and (_ASSENT.match(answer) is not None or _TEAMING.search(text) is not None)
    if yes and to is None:
        after = _after_inviter(world, actor)
        if after:
            return after
    leading = _LEADING.search(text) is not None or _AFTER_YOU.match(text) is not None
    if not yes and not leading and _JOINING.search(text) is None:
        return []  # most lines: no need to look at who is here (a crowd of a thousand)
    people = [world.chars[t.ref] for t in search.people(world, actor.room, besides=actor.key)]
    if to is not None:
        people = [c for c in people if c.name == to]
    if not people:
        return []
    here = {c.key for c in people}
    inviter = world.chars.get(world.invites.get(actor.key, ""))
    # A yes to the member who asked, for the leader beside them ("sure!" to Wren's "do
    # you want to come with us?").
    asked_by_member = (
        inviter is not None
        and inviter.room == actor.room
        and any(world.groups.get(k) == inviter.key for k in here)
    )
    if (
        yes
        and inviter is not None
        and (inviter.key in here or asked_by_member)
        and actor.key not in world.groups
        and actor.key not in world.overtaken
    ):
        return _accept(world, actor)
    asker = world.join_asks.get(actor.key, "")
    leads = world.groups.get(actor.key, actor.key) == actor.key
    if yes and asker in here and leads and asker not in world.groups:
        # "Can I join you?", then the leader's "sure": played, the asker waited on an
        # 'invite' the leader never typed.
        return _join(world, actor, world.chars[asker])
    if leading and not text.rstrip().endswith("?") and not _NOT.search(text):
        return _led_by(world, actor, people, text)
    joining = _JOINING.search(text) is not None
    if not joining and _TEAMING.search(text) is None:
        return []
    words = set(_WORD.findall(text.lower()))
    named = [c for c in people if c.name.lower() in words]
    # Asked by one of a group, the one here who is not in it: "do you want to come with
    # us?" beside one's leader and a newcomer.
    ours = world.groups.get(actor.key)
    outside = [c for c in people if ours is None or world.groups.get(c.key) != ours]
    one = named or (outside if len(outside) == 1 else [])
    if not one and joining:
        # "you two look like you've had a night of it. mind if I join you?" (played:
        # said, and the leader's "sure" made no group): asked of their group's leader,
        # when all the others here are one group ("mind if i tag along? i'm ilse" beside
        # two just grouped: played, said, and no one was asked).
        leaders = {world.groups.get(c.key) for c in people}
        lead = leaders.pop() if len(leaders) == 1 else None
        one = [world.chars[lead]] if lead is not None and lead in here else []
    mine = world.groups.get(actor.key)
    if (
        not one
        and not joining
        and mine in (None, actor.key)
        and _ALL_OF_YOU.search(text)
        and _ASKED_ALONG.search(text)
        and not _NOT.search(text)
    ):
        # "hey you two, ... want to go find this Pell kid together?" (played: said to
        # two, and neither was asked): each here in no group and not yet asked.
        return [
            effect
            for c in outside
            if c.key not in world.groups and world.invites.get(c.key) != actor.key
            for effect in _invite_char(world, actor, c)
        ]
    if len(one) != 1:
        return []
    target = one[0]
    theirs = world.groups.get(target.key)
    if theirs is not None and theirs == mine:
        return []
    if joining or (theirs is not None and mine is None):
        return _asking(world, actor, target)
    if world.invites.get(target.key) == actor.key or theirs is not None:
        return []
    if mine not in (None, actor.key):
        # A member's words invite into the group of the leader beside them (played:
        # "do you want to come with us?" to a newcomer, and "sure!" made no group).
        leader = world.chars.get(mine or "")
        if leader is None or leader.room != actor.room or leader.key in world.waiting:
            return []
        return _invited_for(world, actor, target, leader)
    return _invite_char(world, actor, target)


#: Words asking those spoken to along with the speaker: "want to ...?", "shall we",
#: "let's", "come with me"; not "you two should search together, I'll wait" (found in
#: review: it invited both).
_ASKED_ALONG = re.compile(
    r"\b(?:want|wanna|care|fancy|like)\s+to\b[^.!]*\?|\b(?:shall|should)\s+we\b|\blet'?s\b"
    r"|\b(?:with|join)\s+(?:me|us)\b|\bhow\s+about\s+we\b",
    re.IGNORECASE,
)
#: Words said to everyone here at once: "you two", "all of you", "you lot", "y'all".
_ALL_OF_YOU = re.compile(
    r"\b(?:you\s+(?:two|three|four|five|all|both|guys|lot|folks)|(?:both|all)\s+of\s+you"
    r"|y'?all|everyone|everybody|guys|folks)\b",
    re.IGNORECASE,
)


def _invited_for(
    world: World, actor: Character, target: Character, leader: Character
) -> list[Effect]:
    """``target`` invited by ``actor``'s words into the group ``leader`` (beside them)
    leads: the invitation is the leader's, and each of the three is told."""
    whose = f"{_person(leader)}'s group"
    return [
        PartyUpdate("invite", target.key, leader.key),
        PartyUpdate("overtaken", target.key, None),
        _tell(actor.key, f"You invite {_person(target)} to join {whose}."),
        _tell(
            target.key,
            f"{_person(actor)} invites you to join {whose}. Type 'group accept', or say yes.",
        ),
        _tell(leader.key, f"{_person(actor)} invites {_person(target)} to join your group."),
    ]


#: Words to all the players here at once: "you two", "both of you", "you lot" (also
#: ``commands``: a question of them is theirs, not the NPC talked with).
TO_YOU_ALL = re.compile(
    r"\byou\s+(?:two|three|four|both|all|lot|guys|folks)\b|\b(?:both|all)\s+of\s+you\b"
    r"|\by'?all\b",
    re.I,
)


#: "after you", "you first": the lead given to the one spoken to.
_AFTER_YOU = re.compile(r"^\W*(?:after\s+you|you\s+first)\b", re.I)


def _led_by(world: World, actor: Character, people: list[Character], text: str) -> list[Effect]:
    """ "lead the way, maren", "after you", "you lead" said by ``actor``, in no group, to
    one of ``people`` (the one named, or the only one): ``actor`` follows them and asks
    to join their group (their yes makes it so); [] when ``actor`` is in a group, the
    one meant is not plain, or already leads ``actor``. Played: to the Lamp-Keeper
    about to go up to the missing woman's room, "lead the way, lamp-keeper" was said,
    and she went up alone."""
    words = set(_WORD.findall(text.lower()))
    named = [c for c in people if c.name.lower() in words]
    one = named or (people if len(people) == 1 else [])
    if len(one) != 1 or actor.key in world.groups or world.following.get(actor.key):
        return []
    target = one[0]
    if world.following.get(target.key) == actor.key:
        return []  # they follow the speaker: the lead is the speaker's to give, not asked
    return [
        PartyUpdate("following", actor.key, target.key),
        *phrasing.act(actor, "{actor} now {v:follow} {target}.", target=target, room=False),
        *_asking(world, actor, target),
    ]


def _asking(world: World, actor: Character, target: Character) -> list[Effect]:
    """``actor`` asks to join ``target``'s group: its leader (``target`` when in none) is
    told how to agree."""
    if actor.key in world.groups:
        return _err(actor.key, "You are already in a group; 'group leave' first.")
    leader = world.chars.get(world.groups.get(target.key, target.key), target)
    asks = f"{actor.name} asks to join your group. Say yes, or type 'invite {actor.name}'."
    return [
        PartyUpdate("asks", leader.key, actor.key),
        _tell(actor.key, esc(f"You ask {leader.name} to let you join the group.")),
        _tell(leader.key, esc(asks)),
    ]


#: How many steps on a yes goes after the one who invited and walked on.
AFTER_STEPS = 3


def _after_inviter(world: World, actor: Character) -> list[Effect]:
    """A yes by ``actor`` to the invitation of one who has since walked on from this
    room: after them, then into their group; [] when no such invitation waits (its
    inviter is here, or further than ``AFTER_STEPS`` away, or ``actor`` is in a group
    or was asked something since). Played: "Then let's see her room. Will you come, Tova?" walked
    Oriane up, and Tova's "yes, I'll come" was said to an empty room."""
    inviter = world.chars.get(world.invites.get(actor.key, ""))
    if (
        inviter is None
        or inviter.room == actor.room
        or actor.key in world.groups
        or actor.key in world.overtaken
    ):
        return []
    # Imported here: lore reads groups (this module) to tell who is where.
    from mud.engine.lore import route_to

    room, way = world.last_way.get(inviter.key, ("", ""))
    if room == actor.room and world.room(room).exit(way) is not None:
        went = f"{_person(inviter)} went {way}: you go after them."
        return [_tell(actor.key, went), Then(actor.key, f"{way} and group accept")]
    # Walked on further ("let's see her room" is up and then east): the way there, when
    # it is short.
    route = route_to(world, actor, inviter.room)
    if not route or len(route) > AFTER_STEPS:
        return []
    went = f"{_person(inviter)} went on ahead: you go after them."
    return [
        _tell(actor.key, went),
        Then(actor.key, f"go to {inviter.room}"),
        Then(actor.key, "group accept"),
    ]


def _accept(world: World, actor: Character) -> list[Effect]:
    leader_key = world.invites.get(actor.key)
    leader = world.chars.get(leader_key) if leader_key is not None else None
    if leader is None:
        return _err(actor.key, "No one has invited you to a group.")
    if actor.key in world.groups:
        return _err(actor.key, "You are already in a group; 'group leave' first.")
    return _join(world, leader, actor)


def _join(world: World, leader: Character, actor: Character) -> list[Effect]:
    """``actor`` joins ``leader``'s group (making one when ``leader`` leads none) and
    follows them; the invitation and the asking between them are done with."""
    effects: list[Effect] = [
        PartyUpdate("invite", actor.key, None),
        PartyUpdate("asks", leader.key, None),
        PartyUpdate("group", leader.key, leader.key),
        PartyUpdate("group", actor.key, leader.key),
        PartyUpdate("following", actor.key, leader.key),
        _tell(actor.key, f"You join {_person(leader)}'s group and follow {_person(leader)}."),
    ]
    if world.following.get(leader.key) == actor.key:
        # Played: Sethra followed Brannoc, then invited him; each followed the other.
        effects.insert(0, PartyUpdate("following", leader.key, None))
    for key in members(world, leader.key) or [leader.key]:
        if key != actor.key and key in world.chars:
            effects.append(_tell(key, f"{_person(actor)} joins the group."))
    # Played: Pim joined a group at the sunken shrine, and his journal sent him up to
    # Edda's room; how to take up their story.
    return [*effects, *story.join_hint(world, actor, leader)]


def _leave(world: World, actor: Character) -> list[Effect]:
    keys = members(world, actor.key)
    if not keys:
        return _err(actor.key, "You are not in a group.")
    if keys[0] == actor.key or len(keys) <= 2:
        # A leader leaving, or the last member but one, ends the group for everyone.
        effects = _out(world, keys, keys)
        for key in keys:
            if key != actor.key and key in world.chars:
                effects.append(_tell(key, f"{_person(actor)} leaves; the group is disbanded."))
        effects.append(_tell(actor.key, "You leave the group; it is disbanded."))
        return effects
    effects = _out(world, [actor.key], keys)
    effects.append(_tell(actor.key, "You leave the group."))
    for key in keys:
        if key != actor.key and key in world.chars:
            effects.append(_tell(key, f"{_person(actor)} leaves the group."))
    return effects


def _out(world: World, leaving: Sequence[str], keys: Sequence[str]) -> list[Effect]:
    """The updates taking ``leaving`` out of the group of ``keys``: out of it, and no
    longer following anyone in it."""
    effects: list[Effect] = []
    for key in leaving:
        effects.append(PartyUpdate("group", key, None))
        if world.following.get(key) in keys:
            effects.append(PartyUpdate("following", key, None))
    return effects


def follow_moves(
    world: World,
    leader: Character,
    direction: str,
    to: str,
    opened: Collection[str] = (),
    *,
    onward: bool = False,
    joining: Sequence[Character] = (),
) -> list[Effect]:
    """The moves of ``leader``'s followers when ``leader`` walks ``direction`` to room
    ``to``: for each follower who can walk (not down, not in a fight), a line, the view
    of ``to`` (``opened``: the doors the leader opened on the way) and the ``Move``
    (without its ``Arrived``: ``go`` sends those once the whole group is in). The one
    followed reads "Bob follows you." where the room reads "Bob arrives, following
    Maren."; on a walk's later steps (``onward``) the group that walked in ahead reads
    neither (played: the leader of a walk of five rooms read "Bob arrives, following
    Maren.", her own name, in each), and those walking after a walker read their own
    "You follow ..." for its "Bob leaves south.". Called by ``go`` after the leader's
    own move."""
    effects: list[Effect] = []
    fight = world.fights.get(leader.room)
    # Each follower's view is built before any of the walk is applied: it names those
    # who went in ahead of them (the leader, then the followers before them).
    ahead_of_them = [leader.key]
    # ``joining``: those who follow ``leader`` once the lead they take this step is
    # theirs (``lead_walkers``).
    walkers = {c.key: c for c in (*followers(world, leader.key), *joining)}
    walking = [
        char
        for char in walkers.values()
        if char.key != leader.key
        and not (char.down or (fight is not None and fight.has(f"p:{char.key}")))
    ]
    for at, char in enumerate(walking):
        ahead = world.following.get(char.key, leader.key)
        # Those walking after them read their own "You follow ..." instead of the room's
        # "Bob leaves south."; those ahead, their own "Bob follows you." (or nothing).
        behind = tuple(c.key for c in walking[at + 1 :])
        if char.hidden:
            effects += stealth.reveal(world, char)  # following is walking in the open
        effects += [
            _tell(
                char.key,
                f"You follow {styled('person', _name(world, ahead))} {styled('exit', direction)}.",
            ),
            Tell(
                char.key,
                describe_room(
                    world,
                    to,
                    char.key,
                    arriving=tuple(ahead_of_them),
                    opened=opened,
                    walking=True,
                ),
            ),
            Move(
                char.key,
                to,
                leave=Doc.text(f"{_person(char)} leaves {styled('exit', direction)}."),
                arrive=Doc.text(
                    f"{_person(char)} arrives, following {styled('person', _name(world, ahead))}."
                    if ahead not in world.chars or not world.chars[ahead].hidden
                    else f"{_person(char)} arrives."  # not naming one the room cannot see
                ),
                then_arrived=False,  # the walk sends Arrived once everyone is in
                unseen_by=(*(ahead_of_them if onward else (ahead,)), *behind),
            ),
        ]
        if not onward and ahead in world.chars:
            effects.append(_tell(ahead, f"{_person(char)} follows you."))
        ahead_of_them.append(char.key)
    return effects


__all__ = [
    "cmd_follow",
    "cmd_group",
    "cmd_gtell",
    "follow_moves",
    "followers",
    "gtell",
    "lead_to",
    "leader_of",
    "members",
    "present",
    "shares",
    "split",
    "split_spoils",
    "turn_key",
]
