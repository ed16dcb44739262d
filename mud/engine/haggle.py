"""Haggling with a shopkeeper: a CHA (Persuasion) check whose success the engine keeps.

Played in a new pack: a fighter's "haggle with greeb for the mail coat" rolled a CHA
check, succeeded, and was narrated "It is a small victory." while the coat still cost
45 gold: the narration promised what the engine never did. A haggle is now a rule:

- ``haggle [with <shopkeeper>] [for <thing>]`` rolls d20 + CHA + proficiency in
  Persuasion against ``DC`` (the same as the rules table's "haggle").
- Success takes ``OFF`` per cent off the next thing the haggler buys from that
  shopkeeper (``CRITICAL_OFF`` on a natural 20), at least 1 gold off anything that
  costs 2 or more; the discount waits ``KEPT`` seconds and is spent by one purchase.
- Failure (and a spent discount) leaves the shopkeeper unwilling to haggle with that
  player again for ``KEPT`` seconds, so haggling is one roll, not a roll until it lands.

The state is the world's ``haggled`` party table, kept in the store: "<player key>|<npc
id>" -> "<per cent>|<wall seconds>", 0 per cent for a haggle lost or a discount spent.
(Round 57 forgot it on a restart: a bargain won before one was gone after it, and a
haggle lost could be rolled again by waiting for one.) ``stale`` names the entries a
restart may forget. Pure: ``cmd_haggle`` returns effects; ``discount`` and ``spent`` are
read by ``game.cmd_buy``.
"""

from __future__ import annotations

import re

from mud.core.markup import esc, tag
from mud.core.narration import Outcome, Priority
from mud.core.outputs import Doc
from mud.engine import search
from mud.engine.context import Ctx
from mud.engine.effects import AskNarration, Effect, PartyUpdate, Tell, ToRoom
from mud.engine.parser import Intent
from mud.engine.phrasing import refuse
from mud.engine.rules import Ability, check
from mud.engine.sheet import check_bonus, rolled, score
from mud.engine.state import Character, World
from mud.render.grammar import definite, start
from mud.world.model import NpcTemplate

#: The difficulty of talking a price down (``rules.DEFAULT_CHECKS``'s "haggle").
DC = 13
#: Per cent off the next purchase after a haggle won, and after a natural 20.
OFF = 10
CRITICAL_OFF = 20
#: Seconds a discount waits to be spent, and a shopkeeper stays unwilling after a haggle.
KEPT = 600.0
TABLE = "haggled"

_WITH = re.compile(
    r"^\s*(?:with\s+)?(?P<who>.*?)\s*(?:\b(?:for|over|on)\s+(?P<what>.+?))?\s*[.!?*]*$", re.I
)


def shopkeeper_in(world: World, room: str) -> NpcTemplate | None:
    """The shopkeeper in ``room`` (the first who sells, whom ``buy`` trades with), or
    None. Here, not in ``game``, which imports this module."""
    for npc in world.npcs_in(room):
        tmpl = world.templates.npcs[npc.id]
        if tmpl.shop is not None:
            return tmpl
    return None


def grudge(world: World, actor: Character, keeper: NpcTemplate) -> list[Effect] | None:
    """The shopkeeper's refusal when it caught ``actor`` with a hand in its purse
    (``mud.engine.theft``), until it comes back or its area resets; None otherwise. For
    every trade with it (``game``'s buy, sell and value, and the haggle)."""
    npc = world.npcs.get(keeper.id)
    if npc is None or actor.key not in npc.grudges:
        return None
    return refuse(actor.key, f"{start(definite(keeper.name))} will not trade with a thief.")


#: A lower price asked of a shopkeeper in one's own words: "surely it can come down a
#: little?", "any chance of a discount?", "knock a few coins off?", "a better price?".
_ASKED_DOWN = re.compile(
    r"\bcome\s+down\b|\bgo\s+(?:any\s+)?lower\b|\bknock\s+(?:a\s+(?:bit|few|coin|little)|something"
    r"|some)\b[^.?!]{0,20}?\boff\b|\b(?:a\s+)?(?:better|lower|fairer|friendlier)\s+price\b"
    r"|\bdiscount\b|\bcheaper\b|\b(?:do|sell|let)\s+(?:it|me|us)?[^.?!]{0,20}?\bfor\s+less\b"
    r"|\btake\s+less\b|\bbest\s+price\b"
    # A price named lower, or this one called too high: "45 is steep. would you take
    # 30?" (played in Lanternfall: Greeb answered with a fact of the ice caves).
    # A sum named is a price only as a price is said: alone or as gold, or "for" the
    # thing ("how about 35 for the coat"), not "how about 3 candles" (an order) or "how
    # about 2 of us go up" (found in review).
    r"|\b(?:(?:would|will|could|can)\s+you\s+(?:take|accept|do\s+it\s+for|part\s+with\s+it\s+for)"
    r"|how\s+about|(?:i'?ll|i\s+will|i\s+can|i\s+could|i'?d)\s+(?:give|pay|offer)(?:\s+you)?)"
    r"\s+\d+(?:\s+(?:gold|coins?|silver|pennies))?(?=\s*(?:$|[?!.,]|for\b|instead\b|then\b))"
    # Too dear, of a price: "too expensive", "too pricey"; "steep" and "too much" of
    # "that" or of a sum ("45 is steep", "that's too much"), not of a stair.
    r"|\btoo\s+(?:dear|pricey|expensive|rich\s+for\s+(?:me|my\s+blood))\b"
    r"|\b(?:that'?s|thats|that\s+is|\d+(?:\s+gold)?\s+is|\d+'s)\s+(?:a\s+bit\s+|a\s+little\s+|way\s+|far\s+)?"
    r"(?:too\s+)?(?:steep|much|dear|pricey|expensive)\b"
    r"|\bcan'?t\s+afford(?!\s+to\b)",
    re.I,
)


def asked_down(words: str) -> bool:
    """Whether ``words``, said to a shopkeeper, ask a lower price (``_ASKED_DOWN``): a
    haggle in the speaker's own words. Called by ``game.talk_to``. Pure."""
    return _ASKED_DOWN.search(words) is not None


def keeper_here(world: World, actor: Character) -> NpcTemplate | None:
    """The shopkeeper in ``actor``'s room (``shopkeeper_in``), or None."""
    return shopkeeper_in(world, actor.room)


def _entry(world: World, actor: Character, keeper: str, now: float) -> tuple[int, float] | None:
    """(per cent, when) of ``actor``'s last haggle with ``keeper`` while it holds (within
    ``KEPT`` seconds), or None."""
    return _holding(world.haggled.get(f"{actor.key}|{keeper}"), now)


def _holding(raw: str | None, now: float) -> tuple[int, float] | None:
    """(per cent, when) of one ``haggled`` value while it holds at ``now``, or None."""
    if raw is None:
        return None
    percent, _, when = raw.partition("|")
    try:
        at = float(when)
        off = int(percent)
    except ValueError:
        return None
    return (off, at) if now - at < KEPT else None


def stale(world: World, now: float) -> list[str]:
    """The keys of ``world.haggled`` that no longer hold at wall time ``now`` (older than
    ``KEPT``, or unreadable): the hub clears them at start, so the store does not keep
    every haggle ever made."""
    return [key for key, raw in world.haggled.items() if _holding(raw, now) is None]


def discount(world: World, actor: Character, keeper: str, price: int, now: float) -> int:
    """The gold off ``price`` that ``actor``'s haggle won with shopkeeper ``keeper``
    (an NPC id), at wall time ``now``: 0 with no bargain waiting. Called by ``buy``."""
    held = _entry(world, actor, keeper, now)
    if held is None or held[0] <= 0 or price < 2:
        return 0
    return min(price - 1, max(1, price * held[0] // 100))


def spent(actor: Character, keeper: str, now: float) -> PartyUpdate:
    """The effect that spends ``actor``'s bargain with ``keeper``: no more off, and no
    new haggle for ``KEPT`` seconds from ``now``."""
    return PartyUpdate(TABLE, f"{actor.key}|{keeper}", f"0|{now:.0f}")


def cmd_haggle(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """haggle [with <shopkeeper>] [for <item>]   (also: bargain, barter)

    Try to talk the shopkeeper here down: d20 + your CHA modifier (+ proficiency if
    trained in persuasion) against 13. Won, the next thing you buy from them within
    ten minutes is 10% cheaper (20% on a natural 20; at least 1 gold off anything that
    costs 2 or more). Lost, they will not haggle with you again for ten minutes, and
    a bargain once spent is spent.
    """
    keeper = keeper_here(world, actor)
    if keeper is None:
        return refuse(actor.key, "There is no one here to haggle with: find a shopkeeper.")
    if (refused := grudge(world, actor, keeper)) is not None:
        return refused
    name = start(definite(keeper.name))
    asked = _WITH.match(intent.args)
    who = asked.group("who") if asked else ""
    named = search.find(search.npcs(world, actor.room), who).thing if who else None
    if who and named is None:
        what = who  # "haggle for the mail coat" reads "for" first; "haggle the coat" here
        who = ""
    else:
        what = (asked.group("what") or "") if asked else ""
    if named is not None and named.ref != keeper.id:
        # "haggle with anselm" beside Greeb: he sells nothing (found in review: Greeb
        # was haggled with).
        return refuse(actor.key, f"{start(definite(named.name))} sells nothing to haggle over.")
    held = _entry(world, actor, keeper.id, ctx.wall)
    if held is not None and held[0] > 0:
        told = f"{name} has already agreed to {held[0]}% off the next thing you buy here."
        return [Tell(actor.key, Doc.text(esc(told)))]
    if held is not None:
        wait = max(1, -int(-(KEPT - (ctx.wall - held[1])) // 60))
        told = (
            f"{name} will not haggle with you again so soon (about {wait} minute"
            f"{'' if wait == 1 else 's'}): the price is the price."
        )
        return [Tell(actor.key, Doc.text(esc(told)))]
    result = check(
        ctx.rng,
        ability_score=score(actor, "cha"),
        dc=DC,
        bonus=check_bonus(world, actor, "persuasion", "cha"),
        reason=f"{actor.name} haggles",
        ability=Ability.CHA,
    )
    off = (CRITICAL_OFF if result.critical else OFF) if result.success else 0
    thing = f" over {what.strip()}" if what.strip() else ""
    if result.success:
        told = (
            f"{name} gives way: {off}% off the next thing you buy here, if you buy within"
            " ten minutes."
        )
        fact = (
            f"{keeper.name} gives way{thing}, and will take {off}% off"
            f" {actor.name}'s next purchase."
        )
    else:
        told = f"{name} will not come down{thing}: the price is the price."
        fact = f"{keeper.name} will not come down on price{thing}."
    return [
        rolled(result.roll, f"{actor.name} CHA check"),
        ToRoom(actor.room, Doc.text(tag("roll", esc(f"{actor.name}: {result.line()}")))),
        PartyUpdate(TABLE, f"{actor.key}|{keeper.id}", f"{off}|{ctx.wall:.0f}"),
        Tell(actor.key, Doc.text(tag("good" if result.success else "dim", esc(told)))),
        AskNarration(
            actor.key,
            actor.room,
            "action",
            f"haggle with {keeper.name}{thing}",
            Outcome(
                result.outcome_kind,
                2 if result.critical or result.fumble else 1,
                (result.line(), fact),
            ),
            Priority.MEDIUM,
            shown=(told,),
        ),
    ]
