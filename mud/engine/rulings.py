"""The rules of checks, told: the ``help checks`` topic and the DM's answers to a
player's questions of them ("what's the rule for searching?", "do I add my wis?", "what
do I roll to climb?").

A player who asks how a deed is rolled is owed the engine's own numbers, not a guess:
the ability and skill come from ``rules.DEFAULT_CHECKS`` and ``rules.DEFAULT_SKILLS``,
the bonuses from the asker's sheet (``sheet.mod``, ``sheet.check_bonus``), exactly as
``game.action`` rolls them. Played: a rules-minded fighter's "whats the rule for
searching? do I add my wis?" was answered with the next step of the quest, and "help
search" had no help.

The same for a blow (``attack_asked``: "do I get advantage if mira flanks it?", with the
asker's attack bonus as ``combat`` rolls it) and for where one may rest (``rest_asked``:
"can we long rest here?", and the way to shelter).

Pure: nothing here changes the world or raises; ``commands._rules_asked`` calls the
three askers, after a command's own help, and ``cmd_help`` calls ``checks_help``.
"""

from __future__ import annotations

import re

from mud.engine import lore
from mud.engine.game import shelter_room
from mud.engine.rules import DEFAULT_CHECKS, DEFAULT_SKILLS, Ability, classify_action
from mud.engine.sheet import attack_bonus, check_bonus, mod, proficiency_of
from mud.engine.state import Character, World
from mud.engine.views import list_words

#: The words a help topic of checks is asked by ("help rules", "help search").
HELP_WORDS = frozenset(["checks", "check", "rules", "rule", "skill", "search", "searching", "dice"])

_ABILITY_WORDS = {
    "str": Ability.STR,
    "strength": Ability.STR,
    "dex": Ability.DEX,
    "dexterity": Ability.DEX,
    "con": Ability.CON,
    "constitution": Ability.CON,
    "int": Ability.INT,
    "intelligence": Ability.INT,
    "wis": Ability.WIS,
    "wisdom": Ability.WIS,
    "cha": Ability.CHA,
    "charisma": Ability.CHA,
}
_ABILITY = rf"(?P<ability>{'|'.join(_ABILITY_WORDS)})"

#: A question of how a deed is rolled: "what's the rule for searching?", "how does
#: climbing work?", "what do I roll to sneak?", "what's my bonus to pick a lock?",
#: "which stat is searching?", "is searching wis or int?".
_RULE_OF = re.compile(
    r"\brules?\s+(?:for|on|of|about|when)\s+(?P<a>[a-z' ]+)"
    r"|\bhow\s+(?:does|do|is)\s+(?P<b>[a-z' ]+?)\s+(?:work|rolled|done|decided)\b"
    r"|\bwhat\s+(?:do|does|would|should)\s+(?:i|we|one)\s+roll\s+(?:to|for|when|on|if)\s+"
    r"(?:i\s+|we\s+)?(?P<c>[a-z' ]+)"
    r"|\bwhat(?:'?s|\s+is|\s+are)\s+(?:my|our)\s+(?:bonus|bonuses|modifier|mod|roll|odds|chances?)"
    r"\s+(?:to|for|on|at|of)\s+(?P<d>[a-z' ]+)"
    r"|\b(?:which|what)\s+(?:stat|ability|skill|attribute|score)\s+(?:is|for|does|do|goes\s+with)"
    r"\s+(?P<e>[a-z' ]+)"
    r"|\bis\s+(?P<f>[a-z']+(?:\s+[a-z']+)?)\s+(?:a\s+)?(?:str|dex|con|int|wis|cha|strength"
    r"|dexterity|constitution|intelligence|wisdom|charisma)\s+(?:or|check)\b",
    re.I,
)
#: "do I add my wis?", "do we add dex to sneaking?", "is it wisdom?".
_ADD_ABILITY = re.compile(
    r"\b(?:do|can|should)\s+(?:i|we)\s+(?:add|use|get)\s+(?:my\s+|our\s+|the\s+)?"
    + _ABILITY
    + r"\b(?:\s+(?:to|for|on|when)\s+(?P<deed>[a-z' ]+))?",
    re.I,
)


def _skill_name(skill: str) -> str:
    return skill.replace("_", " ").title().replace(" Of ", " of ")


#: The verbs of ``DEFAULT_CHECKS`` whose last letter doubles before "-ing".
_DOUBLED = frozenset(["scan", "spot", "swim", "eavesdrop", "stop", "grab", "trap"])


def _gerund(phrase: str) -> str:
    """ "search" -> "searching", "pick lock" -> "picking a lock", for a sentence's head."""
    first, _, rest = phrase.partition(" ")
    if first.endswith("ie"):
        first = first[:-2] + "y"  # "lie" -> "lying"
    elif first.endswith("e") and not first.endswith("ee"):
        first = first[:-1]
    elif first in _DOUBLED:
        first += first[-1]
    object_ = {
        "lock": "a lock",
        "trap": "a trap",
        "breath": "your breath",
        "motive": "motives",
        "to": "to someone",
    }
    tail = " ".join(object_.get(w, w) for w in rest.split())
    return f"{first}ing {tail}".strip()


def check_line(world: World, actor: Character, phrase: str) -> str:
    """How ``actor`` rolls the deed ``phrase`` (a key of ``DEFAULT_CHECKS``), in words:
    "Searching is a WIS check (Perception): d20 + your WIS modifier (+2) + 2 for your
    training in Perception, against how hard it is."."""
    ability, _dc = DEFAULT_CHECKS[phrase]
    skill = DEFAULT_SKILLS.get(phrase)
    key = ability.value.lower()
    bonus = check_bonus(world, actor, skill, key)
    label = f"{ability.value} check ({_skill_name(skill)})" if skill else f"{ability.value} check"
    trained = _skill_name(skill) if skill else ability.value
    of_training = (
        f" + {bonus} for your training in {trained}, against how hard it is"
        if bonus
        else f" against how hard it is (you are not trained in {trained}, which would add"
        f" {proficiency_of(actor)})"
    )
    deed = _gerund(phrase)
    return (
        f"{deed[:1].upper()}{deed[1:]} is a {label}: d20 + your {ability.value} modifier"
        f" ({mod(actor, key):+d}){of_training}."
    )


_CLOSE = (
    " A natural 20 always succeeds and a natural 1 always fails; a thing in the world may"
    " ask another ability. ('help checks' lists them all.)"
)


def check_asked(world: World, actor: Character, question: str) -> str | None:
    """The DM's answer to a question of how a deed is rolled (``_RULE_OF``) or whether an
    ability is added (``_ADD_ABILITY``), for ``actor``; None for any other question, or
    a deed no check rolls ("what's the rule for talking?")."""
    rule = _RULE_OF.search(question)
    added = _ADD_ABILITY.search(question)
    if rule is None and added is None:
        return None
    deed_words = ""
    if rule is not None:
        deed_words = next(g for g in rule.groups() if g is not None)
    if not deed_words and added is not None:
        deed_words = added.group("deed") or ""
    classified = classify_action(deed_words) if deed_words else None
    if classified is None and added is not None:
        classified = classify_action(question)  # "searching? do I add my wis?"
    if classified is None:
        if added is None:
            return None
        ability = _ABILITY_WORDS[added.group("ability").lower()]
        deeds = [p for p, (a, _) in DEFAULT_CHECKS.items() if a is ability]
        if not deeds:
            return None
        return (
            f"Your {ability.value} modifier ({mod(actor, ability.value.lower()):+d}) is added"
            f" to checks of {list_words([_gerund(p) for p in deeds[:8]])}.{_CLOSE}"
        )
    line = check_line(world, actor, classified[2])
    if added is not None:
        asked = _ABILITY_WORDS[added.group("ability").lower()]
        line = f"{'Yes' if asked is classified[0] else 'No'}: {line[:1].lower()}{line[1:]}"
    return line + _CLOSE


def checks_help(world: World, actor: Character) -> list[str]:
    """The paragraphs of ``help checks`` for ``actor``: how a check is rolled, which
    deeds each ability and skill decides (from ``DEFAULT_CHECKS``), and what ``actor``'s
    class is trained in."""
    groups: dict[tuple[Ability, str | None], list[str]] = {}
    for phrase, (ability, _dc) in DEFAULT_CHECKS.items():
        groups.setdefault((ability, DEFAULT_SKILLS.get(phrase)), []).append(phrase)
    order = list(Ability)
    lines = [
        f"{ability.value}{f' ({_skill_name(skill)})' if skill else ''}: {', '.join(deeds)}"
        for (ability, skill), deeds in sorted(
            groups.items(), key=lambda g: (order.index(g[0][0]), g[0][1] or "")
        )
    ]
    cls = world.templates.classes.get(actor.cls) if actor.cls else None
    trained = [_skill_name(p) if len(p) > 3 else p.upper() for p in (cls.proficient if cls else ())]
    yours = (
        f"You ({cls.name}) are trained in {list_words(trained)}."
        if cls is not None and trained
        else "You are trained in nothing yet."
    )
    return [
        "Anything you try that could fail is a check: the engine rolls d20, adds the"
        " modifier of the ability it asks (see 'score'), and adds your proficiency bonus"
        " (+2 at first level) when your class is trained in its skill or ability; it"
        " succeeds when the total reaches how hard it is (about 10 for easy, 12 to 13 for"
        " most, 15 and more for hard). A natural 20 always succeeds and a natural 1 always"
        " fails. The roll is shown to everyone there, and the Dungeon Master tells how it"
        " went, never changing it. A failed search may be tried again.",
        "What decides a deed, by the words you use (a thing in the world may ask another:"
        " the builder says which):",
        *lines,
        yours,
        "Fighting is not a check: 'help attack' tells how a blow is rolled.",
    ]


#: A question of how a blow is rolled: "do I get advantage if mira flanks it?", "can
#: we flank?", "is there disadvantage on that?", "how do attacks work?".
_ATTACK_ASKED = re.compile(
    # Advantage in a rules frame only: not "do you think we have the advantage here?"
    # nor "what's the advantage of going north?" (found in review).
    r"\b(?:get|roll|rolls|have|give|gives|grant|grants)\s+(?:me\s+|us\s+|you\s+)?(?:with\s+)?"
    r"(?:dis)?advantage\s+(?:if|when|on|for|against|from)\b"
    r"|\b(?:dis)?advantage\s+(?:if|when)\b"
    r"|\b(?:if|when|does|do|can|could|is|are)\b[^?]*\bflank"
    r"|\bflank(?:s|ed|ing)?\b[^?]*\b(?:work|rule|help|bonus|count)"
    r"|\bhow\s+(?:does|do)\s+(?:an?\s+)?(?:attacks?|combat|fighting|hitting)\s+work\b",
    re.I,
)


def attack_asked(world: World, actor: Character, question: str) -> str | None:
    """The DM's answer to a question of how a blow is rolled (``_ATTACK_ASKED``), with
    ``actor``'s own attack bonus, as ``mud.engine.combat`` rolls it; None for any other
    question. Played: a fighter's "do I get advantage if mira flanks it?" on his turn
    was said aloud, and nothing answered it."""
    if _ATTACK_ASKED.search(question) is None or not question.rstrip().endswith("?"):
        return None
    flanking = re.search(r"\bflank", question, re.I) is not None
    return (
        ("Flanking is no rule here. " if flanking else "")
        + f"An attack rolls d20 + your attack bonus ({attack_bonus(world, actor):+d})"
        " against the foe's armour class (+2 while it defends); a natural 20 always hits"
        " and doubles the damage dice, a natural 1 always misses. You roll with advantage"
        " (two d20s, the higher counts) striking from hiding or at a foe stunned or"
        " prone; with disadvantage while poisoned or frightened; the two cancel. Blessed,"
        " you add 1d4. ('help attack' says more.)"
    )


#: A question of resting here or where: "can we long rest here?", "is it safe to sleep
#: here?", "where can we sleep?", "can I rest?".
_REST_WHERE = re.compile(
    # Not "should we rest first?", a rest put to the others (``commands._rest_asked``).
    r"\b(?:can|could|may)\s+(?:we|i)\s+(?:take\s+a\s+|have\s+a\s+)?"
    r"(?:long\s+rest|sleep|camp|rest\s+here)\b"
    r"|\bis\s+(?:it|this|here)\s+(?:a\s+)?safe\s+(?:place\s+)?(?:to|for|enough\s+to)\s+"
    r"(?:long\s+)?(?:rest|sleep|camp)\b"
    r"|\bwhere\s+(?:can|could|do|should)\s+(?:we|i)\s+(?:take\s+a\s+)?(?:long\s+rest|sleep|rest)\b",
    re.I,
)


def rest_asked(world: World, actor: Character, question: str) -> str | None:
    """The DM's answer to whether ``actor`` may rest here, or where (``_REST_WHERE``):
    a long rest only somewhere safe (the way to shelter when this is not), a short rest
    anywhere out of a fight, with their hit dice left; None for any other question.
    Played in a new pack: "can we long rest here?" after a hard fight in the ice caves
    was asked of the other player, and nothing answered it."""
    if _REST_WHERE.search(question) is None or not question.rstrip().endswith("?"):
        return None
    if any(world.templates.npcs[n.id].lodging for n in world.npcs_in(actor.room)):
        return None  # "can we sleep here?" beside the innkeeper: hers, with a bed
    if actor.room in world.fights:
        return "Not now: there is a fight here. Rest when it is over."
    dice = f"{actor.hit_dice} hit {'die' if actor.hit_dice == 1 else 'dice'}"
    short = (
        f"A short rest ('rest') works anywhere out of a fight: it spends hit dice to heal"
        f" (you have {dice})."
    )
    if world.room(actor.room).safe:
        opening = "Here" if re.match(r"\W*where\b", question, re.I) else "Yes"
        return (
            f"{opening}: it is safe to sleep here ('rest long', or 'sleep'): all your hit"
            f" points, half your hit dice and your powers' uses come back. {short}"
        )
    safe = shelter_room(world)
    if safe is None:
        return f"Nowhere in this world is safe enough for a long rest. {short}"
    name = lore.the_place(world.templates.rooms[safe].name)
    way = lore.said_route(lore.route_to(world, actor, safe))
    there = f", {way}" if way else ""
    return (
        f"Not a long rest: it is not safe to sleep here. Shelter is {name}{there}; there,"
        f" 'rest long' brings back all your hit points, half your hit dice and your"
        f" powers' uses. {short}"
    )
