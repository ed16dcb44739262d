"""Fights: initiative, turns across players and NPCs, rounds, victory and defeat. Pure.

A ``Fight`` is a frozen value; every function takes one and returns the next one (or
None when the fight is over) together with the effects for the hub: the compact roll
lines everyone in the room sees at once, the hit point changes, loot, experience, and
one HIGH-priority narration per round (so a fight costs one DM call per round, not per
swing). NPCs act as soon as their turn comes; a player who does not act before the turn
deadline defends automatically, so the table never waits on an idle player.

When a fight ends, everyone who fought hears it, those who fled wherever they got to; a
foe left standing (all its foes fled, fell or left the game) is healed in full at once,
so wounds are never carried from one attempt to the next (no hit-and-run).

Invariants: ``fighters`` holds every combatant that joined; those who fled are in
``fled`` and are skipped; the current turn always belongs to someone standing (or to a
downed player making a death save).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from attrs import evolve, frozen

from mud.core.markup import esc, spoken, styled, tag
from mud.core.narration import Beat, Outcome, Priority
from mud.core.outputs import Doc
from mud.core.rng import Rng
from mud.engine import customs, dice, escort, lore, party, phrasing, search
from mud.engine.combat import (
    AttackResult,
    Combatant,
    Condition,
    DeathSaves,
    TurnOrder,
    death_save,
    resolve_attack,
    roll_initiative,
    tick_conditions,
)
from mud.engine.effects import (
    AskNarration,
    CharUpdate,
    Effect,
    FightEvent,
    Move,
    NpcUpdate,
    SetFight,
    SpawnItem,
    Tell,
    ToRoom,
    TurnPrompt,
)
from mud.engine.sheet import npc_combatant, player_combatant, powers_of, rolled, uses_left
from mud.engine.state import FELL, Character, World, reads_aloud
from mud.engine.views import describe_room, list_words
from mud.render.grammar import definite, in_place, indefinite, place, start


@frozen
class Fight:
    room: str
    fighters: tuple[Combatant, ...]
    order: TurnOrder
    deadline: float = 0.0
    defending: frozenset[str] = frozenset()
    fled: frozenset[str] = frozenset()
    saves: tuple[tuple[str, int, int], ...] = ()  # (player id, successes, failures)
    lines: tuple[str, ...] = ()  # mechanical events since the last narration
    beats: tuple[Beat, ...] = ()  # the same events as structured deeds, for the narration
    shown: tuple[str, ...] = ()  # builder texts shown since (an NPC's ``defeat`` line)
    told_round: int = 0  # the round in which the last narration was asked for
    xp: int = 0
    gold: int = 0
    defeated: tuple[str, ...] = ()  # npc ids
    # (player id, round) for each player who joined after the fight began, in the round
    # they joined: the spoils are shared by rounds fought (``_rounds_fought``).
    joined: tuple[tuple[str, int], ...] = ()

    def get(self, cid: str) -> Combatant:
        return next(c for c in self.fighters if c.id == cid)

    def has(self, cid: str) -> bool:
        return any(c.id == cid for c in self.fighters) and cid not in self.fled

    def put(self, fighter: Combatant) -> Fight:
        return evolve(
            self, fighters=tuple(fighter if c.id == fighter.id else c for c in self.fighters)
        )

    def standing(self, side: str) -> list[Combatant]:
        return [
            c for c in self.fighters if c.side == side and not c.is_down and c.id not in self.fled
        ]

    def skip(self) -> set[str]:
        """Ids whose turns are passed over: fled, fallen NPCs, and players dead or stable."""
        out = set(self.fled)
        for c in self.fighters:
            if c.is_down and (c.side == "enemies" or self._save_state(c.id) != "dying"):
                out.add(c.id)
        return out

    def with_vitals(self, cid: str, hp: int, conditions: Iterable[tuple[str, int]]) -> Fight:
        """The fight with fighter ``cid``'s own copy at ``hp`` and ``conditions`` (those
        with rounds left): a potion or power used on them is felt by the next blow."""
        kept = tuple(Condition(n, r) for n, r in conditions if r > 0)
        return self.put(evolve(self.get(cid), hp=hp, conditions=kept))

    def raised(self, cid: str, hp: int, conditions: Iterable[tuple[str, int]]) -> Fight:
        """``with_vitals`` for one healed by another (a power, a potion given them to
        drink): one who had fallen is up again, their death saves over."""
        healed = self.with_vitals(cid, hp, conditions)
        return evolve(healed, saves=tuple(s for s in self.saves if s[0] != cid))

    def dead(self, cid: str) -> bool:
        """True for a player who failed three death saves in this fight: past healing."""
        return self._save_state(cid) == "dead"

    def _save_state(self, cid: str) -> str:
        for pid, ok, bad in self.saves:
            if pid == cid:
                return DeathSaves(ok, bad).status
        return "dying"


#: How many times the pack's turn time a player in screen-reader mode gets: speech reads
#: the round's lines and its narration before it reaches "Your turn!" (played: a blind
#: player's 20 seconds ran out while speech was still reading the round to her).
READER_TURN_FACTOR = 3
#: Seconds before a turn runs out that its player is warned ("5 seconds left: ...").
TURN_WARNING = 5.0


def turn_seconds(world: World, key: str, turn_time: float) -> float:
    """The time fighter ``key`` has for a turn: ``turn_time``, or ``READER_TURN_FACTOR``
    times it for a player in screen-reader mode (``reads_aloud``). Pure."""
    char = world.chars.get(key)
    return turn_time * READER_TURN_FACTOR if char is not None and reads_aloud(char) else turn_time


def turn_warning(world: World, key: str, left: float) -> Doc:
    """What fighter ``key`` reads ``left`` seconds before their turn runs out: the time
    left, what they may do, and that doing nothing defends ("5 seconds left on your
    turn: attack, defend, ... or heal. If you do nothing, you defend.")."""
    secs = max(1, math.ceil(left))
    unit = "second" if secs == 1 else "seconds"
    said = esc(f"{secs} {unit} left on your turn: ") + turn_choices_markup(world, key)
    return Doc.text(tag("warn", said + ". If you do nothing, you defend."))


def turn_doc(world: World, key: str, turn_time: float, *, spent: str = "") -> Doc:
    """The "Your turn!" of fighter ``key``: the actions, and the first verb of each power
    of their calling with uses left ("heal": a Lamp-Keeper reading only "use <item>"
    would not know to heal a fallen friend). ``spent``: a power whose use is among the
    effects not yet carried out (``powers.use``), so not counted by the sheet yet."""
    said = turn_choices_markup(world, key, spent=spent)
    return Doc.text(styled("prompt", "Your turn!") + f" {said} ({int(turn_time)} s).")


def turn_choices(world: World, key: str, *, spent: str = "") -> str:
    """What fighter ``key`` may do on a turn, in words: "attack, defend, flee
    <direction>, use <item>, or heal" (``turn_doc``). Pure."""
    char = world.chars.get(key)
    mine = powers_of(world, char) if char is not None else ()
    verbs = [
        p.verbs[0]
        for p in mine
        if char is not None and uses_left(char, p) > (1 if p.id == spent else 0)
    ]
    choices = ["attack", "defend", "flee <direction>", "use <item>", *verbs]
    return ", ".join(choices[:-1]) + ", or " + choices[-1]


def turn_choices_markup(world: World, key: str, *, spent: str = "") -> str:
    """``turn_choices`` as markup: on a screen as it reads there, in screen-reader mode
    with words for its placeholders ("flee and a direction, use and an item": speech
    read "flee less than direction greater than"). Pure."""
    text = esc(turn_choices(world, key, spent=spent))
    for mark, words in _SPOKEN_CHOICES:
        text = text.replace(mark, spoken(mark, words))
    return text


#: A fighter asking how the fight stands: "whose turn is it?", "who's next?", "how are
#: we doing?", and the words other games give it alone ("turn", "round", "fight").
STANDING_ASKED = re.compile(
    r"\bwho(?:se|'s|s| is)\s+turn\b|\bwho(?:'s|s| is| goes)\s+(?:next|winning)\b"
    r"|\bhow(?:'s|s| is| are)\s+(?:the\s+fight|we\s+doing|it\s+going)\b"
    r"|^\s*(?:turn|round|fight|combat|fight\s+status)\s*[?.!]*\s*$",
    re.I,
)


#: Words asking for the help on fighting: "help fight", "help combat".
HELP_WORDS = frozenset({"fight", "fights", "fighting", "combat", "battle", "battles"})


def fight_help(world: World, actor: Character, turn_time: float) -> list[str]:
    """The paragraphs (markup) of ``help fight`` for ``actor``: how a fight begins and goes round,
    what a turn may do (with ``actor``'s own powers, and their turn's seconds), what
    falling means in this world (``rules.down``), and how the spoils are shared; from
    the engine's own numbers. Played (round 61): one come to fight found "There is no
    help on 'combat'." Pure."""
    seconds = int(turn_seconds(world, actor.key, turn_time))
    choices = turn_choices_markup(world, actor.key)
    if world.templates.rules.down == "carry":
        falling = (
            "At 0 HP you fall, and are out of the fight: won, you come to where you lie"
            " with 1 HP; lost, you are carried, senseless, to safety. No one dies here."
        )
    else:
        falling = (
            "At 0 HP you fall and, on each of your turns, roll a death save (d20: 10 or"
            " more is a success, a 1 two failures, a 20 brings you back with 1 HP): three"
            " successes and you are stable, back on your feet if the fight is won; three"
            " failures and you are out of it, carried to safety when it ends. Healing"
            " brings you back at once."
        )
    return [
        esc(
            "A fight begins when you attack a foe ('kill <foe>', 'kill all') or one attacks"
            " you. Everyone in it rolls initiative (d20 plus DEX), and turns go round in"
            " that order; your group beside you fights with you, and one who walks in may"
            " join. 'consider <foe>' tells before you start how it would likely go."
        ),
        esc(f"On your turn ({seconds} seconds) you may: ")
        + choices
        + esc(
            ". An attack is d20 plus your attack bonus against the foe's armour class (a"
            " natural 20 is a critical hit); defending is +2 AC until your next turn;"
            " fleeing is d20 plus DEX against 10. Do nothing and you defend. Say, emote and"
            " look still work, and 'turn' tells how the fight stands."
        ),
        esc(falling),
        esc(
            "Won, the XP and gold are shared among those who fought, by the rounds each"
            " fought, and what a foe drops is kept a minute for them ('get all')."
        ),
    ]


def standing(world: World, fight: Fight, key: str, now: float | None = None) -> str:
    """How ``fight`` stands, told to fighter ``key``: the round, whose turn it is (with
    the seconds left of a player's turn when ``now`` is given) and who follows, then
    each side's hit points ("Round 2. It is your turn (14 seconds left); then the
    Drowned Warden, then Alice. Foes: the Drowned Warden 9 of 13 HP. Your side: you 12
    of 12 HP, Alice down."). Played: "whose turn is it?" in a fight went to the DM,
    and nothing else told it. Pure."""
    mine = f"p:{key}"

    def who(cid: str) -> str:
        return "you" if cid == mine else definite(fight.get(cid).name)

    order, at, skip = fight.order.order, fight.order.index, fight.skip()
    coming = [order[(at + n) % len(order)] for n in range(len(order))]
    coming = [cid for cid in coming if cid not in skip]
    current = fight.order.current
    turn = "It is your turn" if current == mine else f"It is {who(current)}'s turn"
    if now is not None and fight.deadline and current.startswith("p:"):
        left = max(0, math.ceil(fight.deadline - now))
        turn += f" ({left} second{'s' if left != 1 else ''} left)"
    after = ", then ".join(who(cid) for cid in coming[1:] if cid != current)
    told = f"Round {fight.order.round}. {turn}" + (f"; then {after}" if after else "") + "."
    own = fight.get(mine).side if fight.has(mine) else "players"

    def how(c: Combatant) -> str:
        if c.id in fight.fled:
            return f"{who(c.id)} fled"
        if c.is_down:
            return f"{who(c.id)} down"
        return f"{who(c.id)} {c.hp} of {c.max_hp} HP"

    foes = [how(c) for c in fight.fighters if c.side != own]
    ours = [how(c) for c in sorted(fight.fighters, key=lambda c: c.id != mine) if c.side == own]
    return f"{told} Foes: {', '.join(foes)}. Your side: {', '.join(ours)}."


#: A turn's placeholders, and what a screen reader hears instead.
_SPOKEN_CHOICES = (("flee <direction>", "flee and a direction"), ("use <item>", "use and an item"))


#: The mark that opens a fight's first and last lines on a screen; a screen reader
#: would say "equals equals" before each (played), so it hears the words alone.
_RULE = spoken("== ", "")


def _line(fight_room: str, text: str, heard: str = "") -> Effect:
    """A fight's line to its room (``_line_doc``)."""
    return ToRoom(fight_room, _line_doc(text, heard))


def _line_doc(text: str, heard: str = "") -> Doc:
    """A fight's line; ``heard``, when given, is what a screen reader reads instead
    (``AttackResult.heard``)."""

    # Lines often start with an NPC's name ("the Brute attacks..."): capitalise them.
    def shown(line: str) -> str:
        return tag("roll", esc(line[:1].upper() + line[1:]))

    return Doc.text(spoken(shown(text), shown(heard)) if heard else shown(text))


def _blow_lines(room: str, result: AttackResult) -> list[Effect]:
    """An attack's line to ``room``: the compact line on every screen, and for a screen
    reader its outcome first, in the second person to the players who struck and were
    struck (``AttackResult.heard``)."""
    players = {
        cid.split(":", 1)[1]: me
        for cid, me in ((result.attacker_id, "attacker"), (result.target_id, "target"))
        if cid.startswith("p:")
    }
    line = result.line()
    effects: list[Effect] = [ToRoom(room, _line_doc(line, result.heard()), exclude=tuple(players))]
    effects += [Tell(key, _line_doc(line, result.heard(me))) for key, me in players.items()]
    return effects


def _hp_effect(world: World, c: Combatant) -> Effect:
    kind, ident = c.id.split(":", 1)
    if kind == "p":
        return CharUpdate(ident, hp=c.hp, down=c.is_down)
    return NpcUpdate(ident, hp=c.hp)


def begin(
    world: World,
    room: str,
    rng: Rng,
    *,
    now: float,
    turn_time: float,
    target: str | None,
    quiet: str = "",
    unseen: str = "",
    caught: str = "",
    started_by: str = "",
) -> tuple[Fight | None, list[Effect]]:
    """Start a fight in ``room`` among its standing players and its hostile NPCs (plus
    ``target``, an NPC id, even if it is friendly). Rolls initiative for everyone.
    Hidden players stay out of it (``mud.engine.stealth``), but for ``unseen``: the key
    of one who attacks from hiding, who joins with the ``unseen`` condition, and
    ``caught``: one whose hiding has just ended (a thief caught). ``started_by``: the
    key of a player who attacked ``target``; when it would not have attacked anyone by
    itself (not ``aggressive``), only they and their group fight it, and the others here
    stay out unless they ``assist`` (played by a griefer: he attacked Crake beside a
    stranger, fled at once, and left her in his fight)."""
    players = [
        _fighter(world, c, unseen=c.key == unseen)
        for c in world.people_in(room)
        if c.cls and not c.down and c.hp > 0 and (not c.hidden or c.key in (unseen, caught))
    ]
    if started_by and target is not None and not world.templates.npcs[target].aggressive:
        side = {started_by, *party.members(world, started_by)}
        players = [c for c in players if c.id.split(":", 1)[1] in side]
    npcs = [
        npc_combatant(world, n)
        for n in world.npcs_in(room)
        if world.templates.npcs[n.id].stats is not None
        and (world.templates.npcs[n.id].hostile or n.id == target)
    ]
    if not players or not npcs:
        return None, []
    fighters = players + npcs
    entries = roll_initiative(fighters, rng)
    effects: list[Effect] = [FightEvent(room)]
    effects += [rolled(e.roll, f"initiative {e.combatant_id}") for e in entries]
    names = {c.id: c.name for c in fighters}
    order_text = ", ".join(f"{names[e.combatant_id]} {e.total}" for e in entries)
    said = tag("roll", _RULE + esc(f"FIGHT! Initiative: {order_text}"))
    effects.append(ToRoom(room, Doc.text(said)))
    effects += _group_hears(world, room, [c.id[2:] for c in players], npcs)
    order = TurnOrder.from_initiative(entries)
    fresh = Fight(room, tuple(fighters), order, told_round=order.round)
    started, more = _settle_turn(world, fresh, rng, now=now, turn_time=turn_time, quiet=quiet)
    return started, effects + more


def _group_hears(world: World, room: str, keys: list[str], foes: list[Combatant]) -> list[Effect]:
    """The fight begun in ``room`` told to the groups of ``keys`` (its players) who are
    elsewhere: "Hale is fighting the bog rat in the Smugglers' Tunnel (down from here)."
    Played: Hale went down the trapdoor first and met the bog rat; Mira, his group's
    leader in the cellar, read "Hale leaves down." and nothing of the fight."""
    effects: list[Effect] = []
    told: set[str] = set()
    against = definite(foes[0].name) if len(foes) == 1 else "foes"
    where = in_place(world.room(room).name)
    for key in keys:
        for mate in party.members(world, key):
            there = world.chars.get(mate)
            if there is None or there.room == room or mate in keys or mate in told:
                continue
            told.add(mate)
            fighting = [world.chars[k].name for k in keys if k in party.members(world, mate)]
            way = next((e.direction for e in world.room(there.room).exits if e.to == room), "")
            news = f"{list_words(fighting)} {'is' if len(fighting) == 1 else 'are'} fighting"
            news += f" {against} {where}" + (f" ({way} from here)." if way else ".")
            effects.append(Tell(mate, Doc.text(tag("warn", esc(news)))))
    return effects


def _fighter(world: World, char: Character, *, unseen: bool) -> Combatant:
    """``char`` as a combatant; ``unseen`` when striking from hiding (advantage on the
    first attack: the condition lasts to the end of their first turn)."""
    fighter = player_combatant(world, char)
    if not unseen:
        return fighter
    return evolve(fighter, conditions=(*fighter.conditions, Condition("unseen", 1)))


def join(
    world: World, fight: Fight, key: str, rng: Rng, *, unseen: bool = False
) -> tuple[Fight, list[Effect]]:
    """A player joins a fight in progress (at the end of the turn order); ``unseen``
    when they attack from hiding."""
    cid = f"p:{key}"
    if fight.has(cid):
        return fight, []
    fighter = _fighter(world, world.chars[key], unseen=unseen)
    # Someone who fled and comes back keeps their old place rather than a second one.
    order = fight.order
    if cid not in order.order:
        order = TurnOrder(order.order + (cid,), order.index, order.round)
    fighters = tuple(c for c in fight.fighters if c.id != cid) + (fighter,)
    joined = fight.joined
    if cid not in fight.order.order:
        joined = (*joined, (cid, fight.order.round))
    fight = evolve(fight, fighters=fighters, order=order, fled=fight.fled - {cid}, joined=joined)
    # The joiner reads it of themself (played: "Juniper joins the fight." on Juniper's
    # own screen).
    return fight, [
        FightEvent(fight.room),
        ToRoom(fight.room, _line_doc(f"{fighter.name} joins the fight."), exclude=(key,)),
        Tell(key, _line_doc("You join the fight.")),
    ]


def act(
    world: World,
    fight: Fight,
    key: str,
    action: str,
    arg: str,
    rng: Rng,
    *,
    now: float,
    turn_time: float,
    manner: tuple[str, str, str] | tuple[()] = (),
) -> tuple[Fight | None, list[Effect]]:
    """A player's combat action: ``attack <npc>``, ``defend``, ``flee <direction>``, or
    ``use`` or ``power`` (the caller already applied the item or the class power, named
    in ``arg``; this spends the turn; ``drink`` and ``eat`` are ``use`` told so).
    ``manner``: an attack's words as the player put it (``Beat.manner``)."""
    cid = f"p:{key}"
    if fight.order.current != cid:
        current = fight.get(fight.order.current).name
        return fight, [
            Tell(key, Doc.text(tag("warn", f"Wait for your turn: it is {esc(current)}'s.")))
        ]
    me = fight.get(cid)
    # A new event: narration still owed for the earlier ones is now late (the hub drops it).
    effects: list[Effect] = [FightEvent(fight.room)]
    if action == "attack":
        target, missing = _pick_target(world, fight, arg)
        if target is None:
            return fight, [Tell(key, Doc.text(styled("error", missing)))]
        fight, more = _attack(world, fight, me, target, rng, now, manner=manner)
        effects += more
    elif action == "defend":
        fight = evolve(fight, defending=fight.defending | {cid})
        line = f"{me.name} takes a defensive stance (+2 AC until their next turn)."
        # Read as "You take ..." by the one defending (played: "Too slow! You defend.",
        # then "Fenna takes a defensive stance" on Fenna's own screen).
        effects += phrasing.act(
            world.chars[key],
            "{actor} {v:take} a defensive stance (+2 AC until their next turn).",
            for_actor="You take a defensive stance (+2 AC until your next turn).",
            style="roll",
        )
        fight = evolve(
            fight, lines=fight.lines + (line,), beats=fight.beats + (Beat(me.name, "defend"),)
        )
    elif action == "flee":
        fight, more = _flee(world, fight, me, arg, rng)
        effects += more
        over, after = _end_turn(world, fight, rng, now=now, turn_time=turn_time, effects=effects)
        return over, _got_away_first(after, key) if over is None else after
    elif action in ("use", "power", "drink", "eat"):
        # A potion drunk is told as drunk (played: "You reach for the healing draught."
        # after "You drink a healing draught").
        verb = {"drink": "drinks", "eat": "eats"}.get(action, "uses")
        line = f"{me.name} {verb} {arg}."
        fight = evolve(
            fight,
            lines=fight.lines + (line,),
            beats=fight.beats + (Beat(me.name, action, target=arg),),
        )
    return _end_turn(world, fight, rng, now=now, turn_time=turn_time, effects=effects)


def timeout(
    world: World, fight: Fight, rng: Rng, *, now: float, turn_time: float
) -> tuple[Fight | None, list[Effect]]:
    """The current player did not act in time: they defend."""
    cid = fight.order.current
    key = cid.split(":", 1)[1]
    return act(world, fight, key, "defend", "", rng, now=now, turn_time=turn_time)


def leave(
    world: World, fight: Fight, key: str, rng: Rng, *, now: float, turn_time: float = 20.0
) -> tuple[Fight | None, list[Effect]]:
    """A player leaves the fight without a turn (quit, kicked, idle). Ends the fight if no
    player is left; if it was their turn, play on (NPC turns, the next player's deadline)."""
    cid = f"p:{key}"
    if not fight.has(cid):
        return fight, []
    fight = evolve(fight, fled=fight.fled | {cid})
    if not fight.standing("players"):
        return None, _finish(world, fight, gone=key)
    if fight.order.current == cid:
        advanced, more = _advance(world, fight, rng, now=now, turn_time=turn_time)
        return advanced, [FightEvent(fight.room), *more]
    return fight, [SetFight(fight.room, fight)]


#: Words for the foe one is fighting ("hit it with my mace", "end this", "finish the
#: fight"): the first foe standing, as with no words. Played: "You see no 'it' here."
#: in the middle of a fight.
_ONE_FOE = re.compile(
    r"^\s*(?:it|him|her|them|this|that|(?:the )?(?:foe|enemy|beast|thing|fight)"
    # "kill all" on one's turn: the first foe standing (``game.ALL_FOES``).
    r"|all|everything|them\s+all|all\s+of\s+them|the\s+lot|every(?:one|body))"
    r"(?:\s+(?:with|using)\s.*)?\s*[.!]?$",
    re.I,
)


def names_a_foe(world: World, fight: Fight, words: str) -> bool:
    """Whether ``words`` name a foe standing in ``fight`` ("it", "the eel-catcher with
    my spear"). Called by the words for a blow (``commands._strike``)."""
    return bool(words.strip()) and _pick_target(world, fight, words)[0] is not None


def _pick_target(world: World, fight: Fight, words: str) -> tuple[Combatant | None, str]:
    """The standing foe ``words`` names (by ``mud.engine.search``'s rule; the first foe
    when ``words`` is empty), or None and the line saying why."""
    foes = fight.standing("enemies")
    if not words.strip() or _ONE_FOE.match(words):
        return (foes[0], "") if foes else (None, "Attack whom? No foe is standing here.")
    things = []
    for foe in foes:
        tmpl = world.templates.npcs[foe.id.split(":", 1)[1]]
        things.append(search.Thing("npc", foe.id, tmpl.name, tuple(tmpl.aliases)))
    found = search.find(things, words)
    if found.thing is None and len(things) == 1 and _said_of(things[0], words):
        # "attack the drowned thing" at the drowned eel-catcher, the one foe standing:
        # played, "You see no 'drowned thing' here."
        return fight.get(things[0].ref), ""
    if found.thing is None:
        return None, found.error
    return fight.get(found.thing.ref), ""


def _said_of(foe: search.Thing, words: str) -> bool:
    """Whether ``words`` share a word of three letters or more with ``foe``'s name or
    aliases, hyphenated words by their parts ("the drowned thing", "that eel guy")."""
    own = {p for name in (foe.name, *foe.aliases) for p in re.split(r"[\s-]+", name.lower())}
    # A possessive names its owner: "at the warden's chest" (played: "You are in a
    # fight: attack, ...", and no blow struck).
    said = set(re.split(r"[^a-z0-9]+", re.sub(r"['\u2019]s\b", "", words.lower())))
    # Not "the" of "the Drowned Warden": "calls on the saint" names no foe.
    return any(len(w) >= 3 for w in own & said - _LITTLE_WORDS)


#: Words of a name that name no one: "the Drowned Warden".
_LITTLE_WORDS = frozenset({"the", "and", "old", "one"})


def _attack(
    world: World,
    fight: Fight,
    me: Combatant,
    target: Combatant,
    rng: Rng,
    now: float,
    *,
    manner: tuple[str, str, str] | tuple[()] = (),
) -> tuple[Fight, list[Effect]]:
    result = resolve_attack(me, target, rng, defending=target.id in fight.defending)
    effects: list[Effect] = [rolled(r, f"{me.id} attacks {target.id}") for r in result.rolls]
    effects += _blow_lines(fight.room, result)
    fight = fight.put(result.target_after)
    after = result.target_after
    beat = Beat(
        me.name,
        "hit" if result.hit else "miss",
        target=target.name,
        damage=result.damage if result.hit else 0,
        critical=result.critical and result.hit,
        felled=after.is_down,
        hurt=after.hp * 3 <= after.max_hp,
        grave=after.hp > 0 and (after.hp == 1 or after.hp * 6 <= after.max_hp),
        unseen="unseen" in result.advantage_from,
        manner=manner,
    )
    fight = evolve(fight, lines=fight.lines + (_attack_fact(result),), beats=fight.beats + (beat,))
    effects.append(_hp_effect(world, result.target_after))
    if result.target_after.is_down and target.side == "enemies":
        fight, more = _npc_falls(world, fight, result.target_after, now)
        effects += more
    elif result.target_after.is_down:
        effects.append(
            ToRoom(fight.room, Doc.text(tag("bad", f"{esc(target.name)} falls, badly hurt!")))
        )
        key = target.id.split(":", 1)[1]
        if world.templates.rules.down == "carry" and key in world.chars:
            # ``down: carry`` rolls no death saves (Hollowmere's players read "death save
            # 5: failure (1 success, 3 failures) dead" in a campaign that promises to
            # carry them home): the fallen is out of the fight, its tally settled as
            # stable so no turn comes to them, and ``_finish`` carries them out.
            saves = tuple(t for t in fight.saves if t[0] != target.id) + ((target.id, 3, 0),)
            fight = evolve(fight, saves=saves)
            if fight.standing("players"):
                # (With no one left standing the fight ends now, and they wake at once.)
                text = _out_of_it(world, fight, "carried")
                effects.append(Tell(key, Doc.text(tag("warn", esc(text)))))
    return fight, effects


def _attack_fact(result: AttackResult) -> str:
    """The attack as a plain fact for the narrator (the dice stay in the roll line)."""
    after = result.target_after
    if "unseen" in result.advantage_from:
        # Out of hiding: the narrator is told, or the surprise is the dice's alone.
        return "Out of hiding, " + _attack_fact(evolve(result, advantage_from=()))
    if not result.hit:
        return f"{result.attacker_name} swings at {result.target_name} and misses."
    verb = "lands a critical blow on" if result.critical else "hits"
    tail = (
        f"{result.target_name} falls"
        if after.is_down
        else (
            f"{result.target_name} is badly hurt"
            if after.hp * 3 <= after.max_hp
            else f"{result.target_name} stays standing"
        )
    )
    return f"{result.attacker_name} {verb} {result.target_name} for {result.damage} damage; {tail}."


#: Seconds what a felled foe leaves is kept for those who fought it (played by a
#: griefer: a stranger walked in as the Warden fell and took its key first).
LOOT_CLAIM = 60.0


def _npc_falls(
    world: World, fight: Fight, npc: Combatant, now: float
) -> tuple[Fight, list[Effect]]:
    npc_id = npc.id.split(":", 1)[1]
    tmpl = world.templates.npcs[npc_id]
    effects: list[Effect] = [NpcUpdate(npc_id, alive=False, hp=0)]
    if tmpl.defeat:
        # The builder's words for how it ends, first and verbatim; the narration is told
        # (``shown``) so it builds around them instead of saying it "crumples" again.
        said = lore.plain(tmpl.defeat)
        effects.append(ToRoom(fight.room, Doc.text(esc(said))))
        fight = evolve(fight, lines=fight.lines + (said,), shown=fight.shown + (said,))
    effects.append(
        ToRoom(fight.room, Doc.text(tag("good", f"{esc(start(definite(tmpl.name)))} is defeated!")))
    )
    left = tmpl.drops + tmpl.carries
    fought = tuple(
        c.id.split(":", 1)[1] for c in fight.fighters if c.side == "players" and fight.has(c.id)
    )
    effects += [
        SpawnItem(template, f"room:{fight.room}", claim=fought, claim_until=now + LOOT_CLAIM)
        for template in left
    ]
    if left:
        # Played: the Warden's key lay on the floor unannounced, and the party walked on
        # without the way onward; a look found it.
        things = [tag("item", esc(indefinite(world.templates.items[t].name))) for t in left]
        falls = f"{esc(start(definite(tmpl.name)))} leaves behind {list_words(things)}."
        effects.append(ToRoom(fight.room, Doc.text(falls)))
    xp = tmpl.stats.xp if tmpl.stats else 0
    return evolve(
        fight,
        xp=fight.xp + xp,
        # A purse a pickpocket emptied is not there to drop.
        gold=fight.gold + (0 if world.npcs[npc_id].emptied else tmpl.gold),
        defeated=fight.defeated + (npc_id,),
    ), effects


def _flee(
    world: World, fight: Fight, me: Combatant, direction: str, rng: Rng
) -> tuple[Fight, list[Effect]]:
    from mud.engine.doors import blocked
    from mud.world.model import canonical_direction

    key = me.id.split(":", 1)[1]
    way = canonical_direction(direction.strip()) if direction.strip() else None
    char = world.chars.get(key)
    if way is None and char is not None:
        way = _escape_way(world, fight, char)
    room = world.room(fight.room)
    exits = [e for e in room.exits if not e.hidden and blocked(world, e) is None]
    ex = (
        next((e for e in exits if e.direction == way), None)
        if way
        else (exits[0] if exits else None)
    )
    if ex is None:
        return fight, [
            Tell(key, Doc.text(styled("error", "There is no open way to flee that way.")))
        ]
    roll = dice.roll("1d20", rng, reason=f"{me.id} flees")
    total = roll.total + me.dex_mod
    effects: list[Effect] = [rolled(roll)]
    if total < 10:
        sums = f"d20 {roll.total}{me.dex_mod:+d}={total}"
        line = f"{me.name} tries to flee {ex.direction}: {sums} vs 10 FAIL"
        effects.append(_line(fight.room, line))
        fact = f"{me.name} tries to flee {ex.direction} but cannot break away."
        beat = Beat(me.name, "stuck", target=ex.direction)
        return evolve(fight, lines=fight.lines + (fact,), beats=fight.beats + (beat,)), effects
    line = f"{me.name} flees {ex.direction}: d20 {roll.total}{me.dex_mod:+d}={total} vs 10 ESCAPES"
    effects += [
        _line(fight.room, line),
        # Where you fled to, as walking there would show it.
        Tell(key, describe_room(world, ex.to, key, walking=True)),
        Move(
            key,
            ex.to,
            # No leave line: the room read the flight in the roll line just above
            # (played: watchers read "Hollis flees west: ... ESCAPES", then "Hollis
            # flees west!").
            leave=Doc(()),
            arrive=Doc.text(f"{styled('person', me.name)} stumbles in, out of breath."),
        ),
        # Whoever they are bringing home goes with them (noticed: Edda stayed behind
        # with the foe, and waited there for her guide to come back for her).
        *escort.moves(world, [key], fight.room, ex.direction, ex.to),
    ]
    fact = f"{me.name} breaks away and flees {ex.direction}."
    beat = Beat(me.name, "flee", target=ex.direction)
    fled = fight.fled | {me.id}
    fight = evolve(fight, fled=fled, lines=fight.lines + (fact,), beats=fight.beats + (beat,))
    return fight, effects


def _wimpy_way(world: World, fight: Fight, me: Combatant) -> str | None:
    """The way player ``me`` flees by their wimpy now (``mud.engine.customs.wimpy``):
    of the open ways, those to a room with no fight and no foe in it if there are any
    (played: fled from one foe, a wanderer met them, and wimpy took them straight back
    into the first fight), the way they came in among them, else the first; None when
    they fight on (no wimpy, not hurt enough, or no open way out)."""

    char = world.chars.get(me.id.split(":", 1)[1])
    if char is None or me.is_down or me.hp > customs.wimpy(char) or not customs.wimpy(char):
        return None
    return _escape_way(world, fight, char)


def _escape_way(world: World, fight: Fight, char: Character) -> str | None:
    """The way ``char`` runs from ``fight`` when no way is named (wimpy, or a bare
    'flee'): of the open ways, those to a room with no fight and no foe in it if there
    are any, the way they came in among them, else the first; None with no open way.
    Played: a bare 'flee' from the Lamplighter took the first way listed, north, past
    him into the Bell Chamber, where the way they came in was up."""
    from mud.engine.doors import blocked

    exits = [e for e in world.room(fight.room).exits if not e.hidden and blocked(world, e) is None]
    if not exits:
        return None
    calm = [
        e
        for e in exits
        if e.to not in world.fights
        and not any(world.templates.npcs[n.id].hostile for n in world.npcs_in(e.to))
    ]
    ways = calm or exits
    came = world.last_way.get(char.key, ("", ""))[0] or str(char.extra.get("came") or "")
    return next((e.direction for e in ways if e.to == came), ways[0].direction)


def _end_turn(
    world: World, fight: Fight, rng: Rng, *, now: float, turn_time: float, effects: list[Effect]
) -> tuple[Fight | None, list[Effect]]:
    me = fight.get(fight.order.current)
    ticked = tick_conditions(me)
    if ticked != me:
        fight = fight.put(ticked)
    result, more = _advance(world, fight, rng, now=now, turn_time=turn_time)
    return result, effects + more


def _advance(
    world: World, fight: Fight, rng: Rng, *, now: float, turn_time: float
) -> tuple[Fight | None, list[Effect]]:
    """Move to the next turn, playing NPC turns and death saves until a player must act."""
    over = _maybe_over(world, fight)
    if over is not None:
        return None, over
    try:
        order = fight.order.advance(fight.skip())
    except ValueError:
        return None, _finish(world, fight)
    effects: list[Effect] = []
    fight = evolve(fight, order=order)
    # Defending lasts until the defender's next turn.
    fight = evolve(fight, defending=fight.defending - {order.current})
    settled, more = _settle_turn(world, fight, rng, now=now, turn_time=turn_time)
    return settled, effects + more


def _settle_turn(
    world: World, fight: Fight, rng: Rng, *, now: float, turn_time: float, quiet: str = ""
) -> tuple[Fight | None, list[Effect]]:
    """Play NPC turns and death saves until a standing player must act; tell them so
    (unless they are ``quiet``: about to act at once, as the one who started the fight)."""
    effects: list[Effect] = []
    for _ in range(64):  # bounded: every pass ends a turn
        current = fight.get(fight.order.current)
        if current.side == "enemies" and not current.is_down:
            if current.can_act:
                targets = fight.standing("players")
                if not targets:
                    break
                target = targets[rng.choice_index(len(targets))]
                fight, more = _attack(world, fight, current, target, rng, now)
                effects += more
            over = _maybe_over(world, fight)
            if over is not None:
                return None, effects + over
            fight = fight.put(tick_conditions(fight.get(current.id)))
            nxt, more = _advance_once(fight)
            effects += more
            fight = nxt
            continue
        if current.side == "players" and current.is_down:
            fight, more = _death_save(world, fight, current, rng)
            effects += more
            over = _maybe_over(world, fight)
            if over is not None:
                return None, effects + over
            nxt, more = _advance_once(fight)
            effects += more
            fight = nxt
            continue
        # A standing player's turn: wait for them, with a deadline. Once a round has
        # ended since the last narration, everything since is narrated now, so the
        # narration follows its lines and comes before this player's next action.
        if fight.order.round != fight.told_round:
            effects += _round_narration(fight)
            fight = evolve(fight, lines=(), beats=(), shown=(), told_round=fight.order.round)
        key = current.id.split(":", 1)[1]
        way = _wimpy_way(world, fight, current) if key != quiet else None
        if way is not None:
            # Too hurt for the player's own wimpy: they try to get away at once, present
            # or not (played: two players away from the keyboard lost the rat, each
            # turn's timeout a defence). A failed attempt leaves them the turn.
            hp = f"{current.hp} HP"
            said = f"Down to {hp}, you try to get away (wimpy {customs.wimpy(world.chars[key])})."
            effects.append(Tell(key, Doc.text(tag("warn", esc(said)))))
            fight, more = _flee(world, fight, current, way, rng)
            effects += more
            if current.id in fight.fled:
                gone, after = _end_turn(
                    world, fight, rng, now=now, turn_time=turn_time, effects=effects
                )
                return gone, _got_away_first(after, key) if gone is None else after
        wait = turn_seconds(world, key, turn_time)
        fight = evolve(fight, deadline=now + wait)
        if key != quiet:
            effects.append(TurnPrompt(key, turn_doc(world, key, wait), fight.room, fight.deadline))
        effects.append(SetFight(fight.room, fight))
        return fight, effects
    return None, effects + _finish(world, fight)


def extend_turn(world: World, room: str, who: str, deadline: float, by: float) -> list[Effect]:
    """Give ``who`` ``by`` more seconds for the turn that ends at ``deadline`` in the
    fight in ``room``: the hub held their "Your turn!" that long while the round was
    narrated, and the time they are told they have starts when they read it. Nothing
    when that turn is over (the fight ended, someone else's turn, another deadline)."""
    if by <= 0 or not waits_for(world, room, who, deadline):
        return []
    return [SetFight(room, evolve(world.fights[room], deadline=deadline + by))]


def waits_for(world: World, room: str, who: str, deadline: float) -> bool:
    """True while the fight in ``room`` still waits for ``who``'s turn ending at
    ``deadline`` (the turn a held "Your turn!" was for)."""
    fight: Fight | None = world.fights.get(room)
    if fight is None or fight.deadline != deadline:
        return False
    return fight.order.current.split(":", 1)[-1] == who


def _advance_once(fight: Fight) -> tuple[Fight, list[Effect]]:
    order = fight.order.advance(fight.skip())
    effects: list[Effect] = []
    fight = evolve(fight, order=order, defending=fight.defending - {order.current})
    return fight, effects


def _death_save(world: World, fight: Fight, me: Combatant, rng: Rng) -> tuple[Fight, list[Effect]]:
    saves = {pid: (ok, bad) for pid, ok, bad in fight.saves}
    ok, bad = saves.get(me.id, (0, 0))
    result = death_save(rng, DeathSaves(ok, bad))
    line = f"{me.name}: {result.line()}"
    effects: list[Effect] = [rolled(result.roll, f"{me.id} death save"), _line(fight.room, line)]
    saves[me.id] = (result.saves.successes, result.saves.failures)
    # The third failure is told as the end it is, not as one more "slips further away".
    beat = Beat(me.name, "save", ok=result.natural >= 10, felled=result.status == "dead")
    key = me.id.split(":", 1)[1]
    if result.status in ("dead", "stable") and key in world.chars:
        # The one on the ground learns what happens to them now: nothing more is asked
        # of them in this fight, and nothing said it (played: three failures, then
        # silence until the fight ended elsewhere).
        effects.append(
            Tell(key, Doc.text(tag("warn", esc(_out_of_it(world, fight, result.status)))))
        )
    fight = evolve(
        fight,
        saves=tuple((p, a, b) for p, (a, b) in saves.items()),
        lines=fight.lines + (line,),
        beats=fight.beats + (beat,),
    )
    if result.status == "revived":
        revived = evolve(me, hp=1)
        fight = fight.put(revived)
        effects.append(_hp_effect(world, revived))
    return fight, effects


def _round_narration(fight: Fight, ended: str = "", readers: tuple[str, ...] = ()) -> list[Effect]:
    """One narration for the deeds since the last one (``beats``), asked for once a round
    has ended (at the next player's turn) or when the fight ends (``ended``); ``readers``:
    the keys of those who read it where they are when it ends (``AskNarration.readers``)."""
    if not fight.lines and not fight.beats:
        return []
    return [
        AskNarration(
            None,
            fight.room,
            "combat",
            f"combat round {fight.told_round}",
            Outcome("round", 2, fight.lines[-12:], beats=fight.beats[-12:], ended=ended),
            Priority.HIGH,
            shown=fight.shown,
            readers=readers,
        )
    ]


def _maybe_over(world: World, fight: Fight) -> list[Effect] | None:
    if not fight.standing("enemies") or not fight.standing("players"):
        return _finish(world, fight)
    return None


_GOT_AWAY = Doc.text(tag("warn", _RULE + "You got away. The fight is over."))


def _got_away_first(effects: list[Effect], key: str) -> list[Effect]:
    """``effects`` of a flee that ended the fight, with ``key``'s "You got away" before
    their walk out and the view of where they went: after it, a foe there could start
    its fight first.
    Played: Mira fled the bog rat into the drowned eel-catcher, and read "== You got
    away. The fight is over." under the new fight's "Your turn!"."""
    told = Tell(key, _GOT_AWAY)
    at = next((i for i, e in enumerate(effects) if isinstance(e, Move) and e.who == key), None)
    if at is None or told not in effects[at:]:
        return effects
    if at and isinstance(before := effects[at - 1], Tell) and before.who == key:
        at -= 1  # and before the view of where they fled to (``_flee``)
    rest = [e for e in effects[at:] if e != told]
    return [*effects[:at], told, *rest]


def _rounds_fought(fight: Fight, cid: str) -> int:
    """The rounds of ``fight`` player ``cid`` was in: all of them for one there from the
    start, from the round they joined for one who came later (at least one)."""
    since = dict(fight.joined).get(cid, 1)
    return max(1, fight.order.round - since + 1)


def _finish(world: World, fight: Fight, gone: str = "") -> list[Effect]:
    """The end of ``fight``: the result for those who fought (in the room, and those who
    fled, wherever they got to; not ``gone``, a player leaving the game), the spoils of a
    victory, and, after a fight that ended without a kill, the survivors' wounds healed.

    A foe that is not killed is back to full hit points as soon as its fight ends (all its
    foes fled, fell or left): wounds are not kept between attempts, so a boss cannot be
    worn down by hit-and-run. A foe that falls stays dead until its respawn or reset."""
    effects: list[Effect] = [SetFight(fight.room, None)]
    players = [c for c in fight.fighters if c.side == "players"]
    won = not fight.standing("enemies")
    if won:
        # The fall of each one the winners bind where they lie (below) is kept, for
        # "what happened?" on coming to (played: "Nothing you have seen or heard yet
        # answers that.").
        effects += [
            CharUpdate(key, add_deeds=_fell(fight, fight.room))
            for p in players
            if p.is_down and p.id not in fight.fled and not fight.dead(p.id)
            for key in [p.id.split(":", 1)[1]]
            if key in world.chars
        ]
    # Those who fled are elsewhere by now (or about to be): the room's line cannot reach
    # them, so each is told in person.
    fled = (c.id.split(":", 1)[1] for c in players if c.id in fight.fled)
    away = [k for k in fled if k != gone and k in world.chars]
    # Asked for after the result line is queued: the narration describes the end too.
    # The fallen of a lost fight are carried out (below) before it is told: they read it
    # where they wake (played, round 59: Gil, beaten by the eel-catcher, never read it).
    fallen = tuple(
        key
        for p in players
        if not won and p.is_down and p.id not in fight.fled
        for key in [p.id.split(":", 1)[1]]
        if key in world.chars
    )
    narration = _round_narration(fight, "victory" if won else "defeat", fallen)
    if won:
        result = Doc.text(tag("good", _RULE + "Victory! The fight is over."))
        effects.append(ToRoom(fight.room, result, exclude=tuple(away)))
        effects += [Tell(k, result) for k in away]
        # Everyone who fought shares, by party.shares: nothing lost, odd points go round.
        # By the rounds each fought (played by a griefer: joining another's fight in its
        # last round took an equal share of its experience and gold).
        sharers = [p.id for p in players if p.id.split(":", 1)[1] in world.chars]
        keys = [cid.split(":", 1)[1] for cid in sharers]
        weights = [_rounds_fought(fight, cid) for cid in sharers]
        effects += party.split_spoils(world, keys, fight.xp, fight.gold, fight.defeated, weights)
    else:
        lost = Doc.text(tag("bad", _RULE + "The fight is lost."))
        effects.append(ToRoom(fight.room, lost, exclude=tuple(away)))
        effects += [Tell(k, _GOT_AWAY) for k in away]
        effects += _heal_survivors(fight)
    effects += narration
    # Conditions are counted in a fight's rounds, and end with it: the fight ticked its
    # own copies, the characters' never (played: Lamp-Blessing from the Drowned
    # Warden's fight still added its d4 in the Lamplighter's, and would have until a
    # long rest).
    fought = (p.id.split(":", 1)[1] for p in players)
    effects += [
        CharUpdate(key, conditions=[])
        for key in fought
        if key in world.chars and world.chars[key].conditions
    ]
    for p in players:
        if p.is_down and p.id not in fight.fled:
            key = p.id.split(":", 1)[1]
            if won and not fight.dead(p.id):
                # The winners bind the fallen where they lie, under either rule: played,
                # Fenna fell beside Rook in a fight he won and woke in the tavern, a walk
                # of six rooms from the party she was sharing the campaign with.
                effects += [
                    CharUpdate(key, hp=1, down=False),
                    Tell(
                        key,
                        Doc.text(
                            styled(
                                "warn", "Friendly hands bind your wounds. You come to with 1 HP."
                            )
                        ),
                    ),
                ]
            else:
                effects += _carry_out(world, key, fight)
    return effects


def _heal_survivors(fight: Fight) -> list[Effect]:
    """Every foe still standing back to full hit points (a fight ended without a kill)."""
    return [
        NpcUpdate(c.id.split(":", 1)[1], hp=c.max_hp)
        for c in fight.fighters
        if c.side == "enemies" and not c.is_down and c.hp < c.max_hp
    ]


def _safe_room(world: World) -> str:
    """Where the fallen are carried after a fight: the rules' ``safe_room``, else the start."""
    return world.templates.rules.safe_room or world.templates.start


def _out_of_it(world: World, fight: Fight, status: str) -> str:
    """What a player on the ground is told when they are out of the fight: their death
    saves ended (``status`` ``dead`` or ``stable``) or, under ``down: carry``, they fell
    (``carried``); what becomes of them when the fight is over (``_finish``)."""
    safe = _safe_room(world)
    where = (
        f"to {place(world.room(safe).name)}"
        if safe != fight.room and safe in world.templates.rooms
        else "out of it"
    )
    carried = (
        f"You are out of this fight: when it ends, strong hands will carry you {where}, and"
        " you will wake there with 1 hit point."
    )
    if status == "carried":
        return (
            "You fall senseless, out of this fight. If it is won you will come to where you"
            f" lie, with 1 hit point; if it is lost, strong hands will carry you {where}."
        )
    if status == "dead":
        return "Your third death save fails, and the dark closes over you. " + carried
    return (
        "Your third death save holds: you are stable, and need roll no more. When the fight"
        " ends you will come to, if it is won, or be carried " + where + " if it is lost."
    )


def _fell(fight: Fight, to: str) -> tuple[str]:
    """The deed of a fall in ``fight`` (``FELL``: where, where they came to, and to whom),
    added in place of the one before, for "what happened?" (``answers.fall_asked``)."""
    foes = [c.name for c in fight.fighters if c.id.startswith("n:")]
    return (f"{FELL}{fight.room}|{to}|{list_words([definite(f) for f in foes])}",)


def _carry_out(world: World, key: str, fight: Fight) -> list[Effect]:
    char = world.chars.get(key)
    if char is None:
        return []
    safe = _safe_room(world)
    text = "Strong hands carry you out of the fight. You wake, aching, with 1 hit point."
    # Kept among the deeds (the last fall only), for "what happened?" on waking
    # (``answers.fall_asked``).
    to = safe if safe != fight.room and safe in world.templates.rooms else fight.room
    effects: list[Effect] = [CharUpdate(key, hp=1, down=False, add_deeds=_fell(fight, to))]
    if safe != fight.room and safe in world.templates.rooms:
        effects.append(
            Move(
                key,
                safe,
                leave=Doc.text(f"{styled('person', char.name)} is carried away, senseless."),
                arrive=Doc.text(
                    f"{styled('person', char.name)} is carried in and laid by the fire."
                ),
            )
        )
        text = f"You wake {in_place(world.room(safe).name)}, aching, with 1 hit point."
        # Their group elsewhere hears of it (played: Corwin, a room away in the tunnel,
        # read "Fenna leaves south." and never what became of her).
        news = (
            f"{char.name} has fallen {in_place(world.room(fight.room).name)} and been"
            f" carried back to {place(world.room(safe).name)}."
        )
        for mate in party.members(world, key):
            there = world.chars.get(mate)
            if there is not None and mate != key and there.room not in (fight.room, safe):
                effects.append(Tell(mate, Doc.text(tag("warn", esc(news)))))
    effects.append(Tell(key, Doc.text(tag("warn", esc(text)))))
    effects.append(
        Tell(key, describe_room(world, safe if safe in world.templates.rooms else fight.room, key))
    )
    return effects
