"""Class powers: what a calling can do that others cannot ("heal Brisa" for a Lamp-Keeper).

Played with a fighter and a Lamp-Keeper at the Eel-Catchers' Landing: the fighter went
down to 2 HP, and "heal brisa" was a deed for the Dungeon Master ("You take a moment over
it, unhurried.") that healed nothing; a party had no way to keep one another standing.
A class's ``powers`` (``mud.world.model.ClassPower``, written by builders in
``classes.yaml``) are used by typing one of their verbs, with someone beside you or
nobody (yourself) after it. The engine rolls what they do: hit points healed (the
effect's dice plus the modifier of the power's ability) or a condition given; a healing
power brings back someone who has fallen in a fight (their death saves end). Each has
so many uses between long rests (``Character.powers_used``, saved; ``rest long`` gives
them back). In a fight a power takes the user's turn, like a potion.

Pure: ``power_named(world, actor, text)`` finds a power a line uses; ``use`` returns
effects.
"""

from __future__ import annotations

import re
from functools import lru_cache

from attrs import evolve

from mud.core.markup import esc, styled, tag
from mud.core.narration import Outcome, Priority
from mud.core.outputs import Doc, Para, Table, Title
from mud.engine import fight, phrasing, search
from mud.engine.context import Ctx
from mud.engine.effects import AskNarration, CharUpdate, Effect, SetFight, Tell, TurnPrompt
from mud.engine.game import TURN_TIME
from mud.engine.phrasing import refuse
from mud.engine.rules import inflections
from mud.engine.sheet import benefit, mod, powers_of, uses_left
from mud.engine.state import Character, World
from mud.world.model import ClassPower

#: Words after a power's verb that mean the user ("heal me", "heal myself").
_SELF = frozenset(
    {"me", "myself", "self", "yourself", "herself", "himself", "themself", "themselves"}
)
#: One's own hurt, as a pose tells it: "her own wound", "my own arm" (played in
#: Lanternfall: "Sorrel cups her little flame against her own wound." read "You see no
#: 'her own wound' here.").
_OWN = re.compile(r"(?:my|his|her|their)\s+own\b", re.I)
#: The one spoken to, or of: "heal you", "patch you up", "heal him!" (played, over a
#: fallen companion: "You see no 'him' here.").
_YOU = frozenset({"you", "ya", "you up", "ya up", "him", "her", "them", "him up", "her up"})


#: A hand laid on someone, told in one's own words: "lay a glowing hand on", "lays both
#: hands on".
# So is a hand pressed to a wound: "presses a hand to his wound and whispers a prayer"
# (played by a Lamp-Keeper at 3 HP on his turn: "You are in a fight: ...").
_HAND_LAID = re.compile(
    r"^lays?\s+(?:[a-z]+\s+){0,2}hands?\s+(?:up)?on\s+"
    r"|^(?:press(?:es)?|puts?|places?|rests?)\s+(?:[a-z]+\s+){0,2}hands?\s+"
    r"(?:(?:up)?on|to|against|over)\s+(?=(?:[a-z'-]+\s+){0,2}(?:wounds?|hurts?|bites?|cuts?"
    r"|gash|injury|injuries|bleeding)\b|\S+'s?\s)"
    # "cups her little flame against his wound" (played in Lanternfall, the healing's
    # own words: kneeling beside Pip, refused in the fight): a flame or a palm to a hurt
    # only ("cups her hands to pip's ear" whispers, found in review).
    r"|^(?:press(?:es)?|puts?|places?|rests?|cups?|holds?)\s+(?:[a-z]+\s+){0,2}"
    r"(?:hands?|palms?|flame|light|glow)\s+(?:(?:up)?on|to|against|over)\s+"
    r"(?=(?:[a-z'-]+\s+){0,2}(?:wounds?|hurts?|bites?|cuts?|gash|injury|injuries|bleeding)\b)"
)
#: One's name and a part of them: "ilse's arm", "maro's bad leg".
_THEIR_PART = re.compile(r"([\w-]+)'s?\s+(?:[a-z]+\s+)?[a-z]+", re.I)
#: A hurt of the one spoken to, or told of, named for them: "tend that bite", "see to
#: your arm", "lay hands on his wounds".
_A_WOUND = re.compile(
    r"(?:that|this|the|your|those|these|his|her|their|my)\s+(?:nasty\s+|bad\s+)?"
    r"(?:bite|bites|wound|wounds|cut"
    r"|cuts|gash|scratch|scratches|arm|leg|head|hand|hurt|hurts|injury|injuries|bleeding"
    # "lays a hand on her brow" beside Kessa, down (played: a pose, and no healing).
    r"|brow|forehead|chest|shoulder|side)",
    re.I,
)
#: Everyone on one's side: "bless us", "heal everyone".
_ALL_OF_US = frozenset(
    {"us", "us all", "all of us", "both of us", "the two of us", "everyone", "everybody", "all"}
)


def power_named(world: World, actor: Character, text: str) -> tuple[ClassPower, str] | None:
    """The power of ``actor``'s class that ``text`` uses, by a verb it opens with ("heal
    brisa", "second wind"), and the words after the verb; None when it uses none. The
    longest verb wins ("lay hands" before "lay"). Pure."""
    low = " ".join(text.lower().split())
    # "lays a glowing hand on his wounds" (played in prose beside the wounded Hob: a
    # deed, and no one healed) is the laying on of hands.
    low = _HAND_LAID.sub("lay hands on ", low)
    best: tuple[int, ClassPower, str] | None = None
    for power in powers_of(world, actor):
        for verb in power.verbs:
            said = low == verb or low.startswith(verb + " ")
            if said and (best is None or len(verb) > best[0]):
                best = (len(verb), power, low[len(verb) :].strip())
    return None if best is None else (best[1], best[2])


def named_within(world: World, actor: Character, text: str) -> ClassPower | None:
    """The power of ``actor``'s class that only they can take (``reach`` "self") whose
    name, or a verb of it of more than one word, ``text`` holds anywhere, as whole words:
    "grits her teeth and finds her second wind"; None for none. Pure."""
    low = _words_of(text)
    for power in powers_of(world, actor):
        if power.reach != "self":
            continue
        names = [power.name, *(v for v in power.verbs if " " in v)]
        if any(_phrase(name).search(low) for name in names):
            return power
    return None


@lru_cache(maxsize=256)
def _phrase(name: str) -> re.Pattern[str]:
    """A power's name or verb phrase as ``_words_of`` text may hold it: its first word in
    any regular form, and a possessive any one's ("find my footing" is in "finding her
    footing": played in Lanternfall, "I drop into a crouch, finding my footing on the
    ice" on a climber's turn was a pose, Steady Aim unused)."""
    first, *rest = _WORDS.findall(name.lower()) or [""]
    words = [
        "(?:" + "|".join(sorted(map(re.escape, inflections(first)))) + ")",
        *(_OWNERS if w in _POSSESSIVES else re.escape(w) for w in rest),
    ]
    return re.compile(" " + " ".join(words) + " ")


_POSSESSIVES = frozenset({"my", "his", "her", "their", "your", "our", "its"})
_OWNERS = "(?:" + "|".join(sorted(_POSSESSIVES)) + ")"


def _words_of(text: str) -> str:
    """``text``'s words, lower case, each between single spaces: " second wind "."""
    return " " + " ".join(_WORDS.findall(text.lower())) + " "


#: A word, for ``_words_of``.
_WORDS = re.compile(r"[a-z']+")


def _target(world: World, actor: Character, power: ClassPower, words: str) -> Character | str:
    """Whom ``words`` (after the verb) name: the actor for nothing or "me", else a
    player beside them; a line to show instead when no one fits."""
    bare = words.strip().removeprefix("on ").strip().rstrip(".!?")
    # "bless you first" (played: "You see no 'you first' here.").
    bare = re.sub(r"\s+(?:first|now|then|quickly|again)$", "", bare, flags=re.I)
    before, comma, _ = bare.partition(",")
    if (
        comma
        and search.find(search.people(world, actor.room, besides=actor.key), bare).thing is None
    ):
        # "bless me, saint ysolde": the rest is who it is said to, or a prayer.
        bare = before.strip()
    you, _, name = bare.partition(" ")
    if you.lower() in ("you", "ya") and name and " " not in name.strip():
        # "let me heal you marla": the one named, as chat writes it (played: said, and
        # nothing healed).
        named = search.find(search.people(world, actor.room, besides=actor.key), name.strip())
        if named.thing is not None:
            bare = name.strip()
    owned = _THEIR_PART.fullmatch(bare)
    if (
        owned is not None
        and search.find(search.people(world, actor.room, besides=actor.key), owned.group(1)).ok
    ):
        # "*lays a glowing hand on ilse's arm*" (played: "You see no 'ilse's arm' here.").
        bare = owned.group(1)
    if not bare or bare.lower() in _SELF or _OWN.match(bare):
        return actor
    if bare.lower() in _ALL_OF_US:
        if power.reach == "self":
            return actor
        # Played in the bog rat's fight: "bless us, saint ysolde" was "You see no 'us,
        # saint ysolde' here.".
        verb = power.verbs[0]
        return f"{power.name} is for one at a time: '{verb} me', or '{verb} <name>'."
    wound = _A_WOUND.match(bare)
    if wound is not None and re.fullmatch(r"(?:\s*(?:,|\band\b).*)?", bare[wound.end() :]):
        # "his wound and whispers a prayer": the wound, and what is done with it.
        bare = wound.group(0)
        if bare.lower().startswith("my "):
            return actor  # "patch up my arm"
        others = search.people(world, actor.room, besides=actor.key)
        hurt = [o for o in others if world.chars[o.ref].hp < world.chars[o.ref].max_hp]
        if not hurt and actor.hp < actor.max_hp:
            # Posed: "presses a hand to his wound", the Lamp-Keeper hurt and no one
            # else: his own.
            return actor
    if bare.lower() in _YOU or _A_WOUND.fullmatch(bare):
        # "let me heal you" beside one other player: them (played: said, and nothing
        # healed); beside more, which of them is asked.
        others = search.people(world, actor.room, besides=actor.key)
        if len(others) == 1:
            return world.chars[others[0].ref]
        return f"Which of them? ('{power.verbs[0]} <name>')"
    found = search.find(search.people(world, actor.room, besides=actor.key), bare)
    if found.thing is None:
        # A power for oneself takes the rest of the line as colour ("aim at the rat").
        if bare.lower() == actor.name.lower() or power.reach == "self":
            return actor
        return found.error
    if power.reach == "self":
        return f"{power.name} is for yourself alone."
    return world.chars[found.thing.ref]


def use(world: World, actor: Character, power: ClassPower, words: str, ctx: Ctx) -> list[Effect]:
    """``actor`` uses ``power`` on whom ``words`` name (see the module docstring). Returns
    an error line, and spends nothing, when it cannot be used: no uses left, no one of
    that name here, a healing on someone unhurt, not this fighter's turn, or someone
    beyond help in a fight (dead, not dying)."""
    target = _target(world, actor, power, words)
    if isinstance(target, str):
        return refuse(actor.key, target)
    if uses_left(actor, power) <= 0:
        return refuse(
            actor.key, f"You have no uses of {power.name} left. A long rest restores them."
        )
    effect = power.effect
    you = target.key == actor.key
    if effect.heal and not effect.condition and target.hp >= target.max_hp:
        who = "You are" if you else f"{target.name} is"
        return refuse(actor.key, f"{who} unhurt ({target.hp}/{target.max_hp} HP).")
    current = world.fights.get(actor.room)
    fighting = current is not None and current.has(f"p:{actor.key}")
    if fighting and current is not None:
        if current.order.current != f"p:{actor.key}":
            return refuse(actor.key, "Wait for your turn.")
        if current.has(f"p:{target.key}") and current.dead(f"p:{target.key}"):
            return refuse(actor.key, f"It is too late for {target.name}.")
    bonus = mod(actor, power.ability) if power.ability else 0
    gain = benefit(
        target, effect, ctx.rng, reason=f"{actor.name} {power.name}", bonus=bonus, least=1
    )
    hp, conditions = gain.hp, gain.conditions
    effects: list[Effect] = [*gain.rolls]
    used = {**actor.powers_used, power.id: actor.powers_used.get(power.id, 0) + 1}
    effects += [
        CharUpdate(target.key, hp=hp, conditions=conditions, down=False),
        CharUpdate(actor.key, powers_used=used),
    ]
    if you:
        # Played: "You use Steady Aim: is blessed for 2 rounds".
        line = "{actor} {v:use} " + esc(power.name) + ", and "
        effects += phrasing.act(
            actor,
            line + esc(gain.told()) + ".",
            style="roll",
            for_actor=line + esc(gain.told(you=True)) + ".",
        )
    else:
        line = "{actor} {v:use} " + esc(power.name) + " on {target}: "
        effects += phrasing.act(
            actor,
            line + esc(f"{target.name} {gain.told()}"),
            target=target,
            style="roll",
            for_target=line + esc("you " + gain.told(you=True)),
        )
    remaining = uses_left(actor, power) - 1
    effects.append(
        Tell(
            actor.key,
            Doc.text(tag("dim", esc(f"{power.name}: {remaining} of {power.uses} uses left."))),
        )
    )
    if effect.heal:
        effects.append(
            Tell(target.key, Doc.text(tag("good", esc(f"You have {hp}/{target.max_hp} HP."))))
        )
    fact = f"{actor.name} uses {power.name}" + ("" if you else f" on {target.name}")
    healed = current
    if current is not None and current.has(f"p:{target.key}"):
        # The fight keeps its own copy of each fighter: heal that one too (or the next
        # blow lands on the hit points from before), and one who had fallen is up
        # again, their death saves over. Also from someone outside the fight.
        cid = f"p:{target.key}"
        healed = current.raised(cid, hp, conditions)
        if not fighting:
            effects.append(SetFight(actor.room, healed))
    if fighting and healed is not None:
        _nxt, more = fight.act(
            world,
            healed,
            actor.key,
            "power",
            power.name + ("" if you else f" for {target.name}"),
            ctx.rng,
            now=ctx.now,
            turn_time=TURN_TIME,
        )
        # Their next turn, if it comes round in these effects, is offered without this
        # power when this was its last use (played: "Second Wind: 0 of 1 uses left.",
        # then "Your turn! ... or second wind").
        again = fight.turn_doc(
            world, actor.key, fight.turn_seconds(world, actor.key, TURN_TIME), spent=power.id
        )
        more = [
            evolve(e, doc=again) if isinstance(e, TurnPrompt) and e.who == actor.key else e
            for e in more
        ]
        return effects + more
    effects.append(
        AskNarration(
            actor.key,
            actor.room,
            "action",
            fact,
            Outcome("power", 1, (f"{fact}: {', '.join(gain.parts)}.",)),
            Priority.MEDIUM,
        )
    )
    return effects


def cmd_powers(world: World, actor: Character) -> list[Effect]:
    """What ``powers`` shows: each power of the actor's class, its verbs, its uses left
    and what it does."""
    cls = world.templates.classes.get(actor.cls)
    if cls is None:
        return refuse(actor.key, "You have not chosen a class yet.")
    mine = cls.powers
    if not mine:
        return [Tell(actor.key, Doc.text(esc(f"{cls.name}s have no powers to call on.")))]
    rows = [
        (
            esc(p.name),
            esc(", ".join(p.verbs)),
            f"{uses_left(actor, p)}/{p.uses}",
            esc(p.description),
        )
        for p in mine
    ]
    return [
        Tell(
            actor.key,
            Doc(
                (
                    Title(styled("title", "Powers")),
                    Table(tuple(rows), ("Power", "To use, type", "Uses left", "What it does")),
                    Para(styled("dim", "Uses come back with a long rest ('rest long').")),
                )
            ),
        )
    ]


def power_told(power: ClassPower) -> tuple[str, str]:
    """(what to type, what it does) for one of a calling's powers: ("heal <someone>",
    its description on one line), for the answers to questions of it (``powers_asked``,
    and ``commands``'s "how do I heal?" and "what does heal do?"). Pure."""
    whom = " <someone>" if power.reach != "self" else ""
    return f"{power.verbs[0]}{whom}", " ".join(power.description.split())


#: One's powers asked of as a whole: "what are my powers?", "how do i use my spells?",
#: "how many heals do i have left?" (not "my ability scores", nor "how do i get my powers
#: back?", which a rest answers: found in review).
_ALL_ASKED = re.compile(
    r"^\W*(?:what|which)\b.*\b(?:my|our)\s+(?:powers|spells|special\s+moves?)\b"
    r"|^\W*how\s+(?:do|can)\s+(?:i|we)\s+use\s+(?:my|our)\s+(?:powers|spells)\b"
    r"|^\W*how\s+many\s+(?:uses|heals?|spells|powers|charges|blessings?)\b.*\bleft\b",
    re.IGNORECASE,
)


def powers_asked(world: World, actor: Character, question: str) -> str | None:
    """The answer to a question about ``actor``'s powers: of them all ("what are my
    powers?", "how do i use my powers?", "how many heals do i have left?"), each by what
    to type and its uses left; of one named by its name or a verb of more than one word
    ("how long does steady aim last?", "how many uses of steady aim do i have left?";
    not "heal", a word of many questions), what it does and its uses left. None for
    another question, or a calling with none; ``question`` is one already (asked of the
    DM, or ``commands._questioning``). Played: "how do i use my powers?" was told
    how to drink a potion, and "what does steady aim do?" used it. Pure."""
    mine = powers_of(world, actor)
    if not mine:
        return None
    if _ALL_ASKED.search(question) is not None:
        each = [f"{p.name} ('{p.verbs[0]}', {uses_left(actor, p)} of {p.uses} left)" for p in mine]
        return f"Your powers: {'; '.join(each)}. Type one to use it; 'powers' tells what each does."
    low = _words_of(question)
    for power in mine:
        if any(_words_of(name) in low for name in (power.name, *power.verbs) if " " in name):
            typed, what = power_told(power)
            return (
                f"{power.name}: {what} (Type '{typed}'; {uses_left(actor, power)} of"
                f" {power.uses} uses left before a long rest.)"
            )
    return None


__all__ = ["cmd_powers", "named_within", "power_named", "power_told", "powers_asked", "use"]
