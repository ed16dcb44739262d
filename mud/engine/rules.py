"""Ability scores, modifiers, checks, levels and rests (5e-flavoured, pure).

Rules decided here (the DM narrates them, never changes them):
- ``modifier(score) = (score - 10) // 2`` (floor division, so 9 gives -1).
- A check rolls ``1d20 + modifier + bonus`` against a DC; it succeeds when the total is at
  least the DC. A natural 20 always succeeds (``critical``) and a natural 1 always fails
  (``fumble``), whatever the numbers say. Advantage and disadvantage together cancel.
- Proficiency is ``2 + (level - 1) // 4`` for levels 1..20.
- Hit points: level 1 gives the full hit die + CON modifier; each later level gives a hit die
  roll (or the fixed average ``die // 2 + 1``) + CON modifier; every level gives at least 1.
- Short rest: spend hit dice one at a time, each heals ``roll + CON modifier`` (at least 0),
  never above max HP; spending stops once HP is full. Long rest: HP to max and half the
  hit-dice maximum (at least one) regained.

Every function that rolls takes an ``Rng`` and returns the ``RollResult`` values it used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType

from attrs import field, frozen, validators

from mud.core.rng import Rng
from mud.engine.dice import RollResult, roll

MIN_SCORE = 1
MAX_SCORE = 30
MAX_LEVEL = 20


class Ability(StrEnum):
    STR = "STR"
    DEX = "DEX"
    CON = "CON"
    INT = "INT"
    WIS = "WIS"
    CHA = "CHA"


def modifier(score: int) -> int:
    """The ability modifier for ``score``: ``(score - 10) // 2``. Defined for any int."""
    return (score - 10) // 2


def proficiency(level: int) -> int:
    """The proficiency bonus at ``level`` (1..20). Raises ValueError outside that range."""
    if not 1 <= level <= MAX_LEVEL:
        raise ValueError(f"level must be 1..{MAX_LEVEL}, not {level}")
    return 2 + (level - 1) // 4


_score = validators.and_(
    validators.instance_of(int), validators.ge(MIN_SCORE), validators.le(MAX_SCORE)
)


@frozen
class Stats:
    """The six ability scores (1..30; attrs raises ValueError/TypeError otherwise)."""

    str_: int = field(default=10, validator=_score)
    dex: int = field(default=10, validator=_score)
    con: int = field(default=10, validator=_score)
    int_: int = field(default=10, validator=_score)
    wis: int = field(default=10, validator=_score)
    cha: int = field(default=10, validator=_score)

    def score(self, ability: Ability) -> int:
        """The raw score for ``ability``."""
        match ability:
            case Ability.STR:
                return self.str_
            case Ability.DEX:
                return self.dex
            case Ability.CON:
                return self.con
            case Ability.INT:
                return self.int_
            case Ability.WIS:
                return self.wis
            case Ability.CHA:
                return self.cha

    def mod(self, ability: Ability) -> int:
        """The modifier for ``ability``."""
        return modifier(self.score(ability))

    @staticmethod
    def from_mapping(data: Mapping[str, int]) -> Stats:
        """Build from ``{"STR": 16, "dex": 12, ...}`` (case-insensitive; missing scores are 10).
        Raises ValueError for an unknown key or a score outside 1..30."""
        scores: dict[Ability, int] = {}
        for key, value in data.items():
            try:
                scores[Ability(key.upper())] = value
            except ValueError:
                raise ValueError(f"unknown ability {key!r}") from None
        return Stats(
            str_=scores.get(Ability.STR, 10),
            dex=scores.get(Ability.DEX, 10),
            con=scores.get(Ability.CON, 10),
            int_=scores.get(Ability.INT, 10),
            wis=scores.get(Ability.WIS, 10),
            cha=scores.get(Ability.CHA, 10),
        )


# ---------------------------------------------------------------- checks

DIFFICULTY_DC: Mapping[str, int] = MappingProxyType(
    {
        "trivial": 5,
        "easy": 10,
        "medium": 15,
        "hard": 20,
        "very hard": 25,
        "nearly impossible": 30,
    }
)


@frozen
class CheckResult:
    """The outcome of one ability check. ``margin`` is ``total - dc`` (negative on a miss
    by the numbers; a natural 20/1 can succeed/fail regardless of it)."""

    roll: RollResult
    natural: int
    total: int
    dc: int
    success: bool
    margin: int
    critical: bool
    fumble: bool
    ability: Ability | None = None

    @property
    def outcome_kind(self) -> str:
        """The ``mud.core.narration.Outcome.kind``: critical, fumble, success or failure."""
        if self.critical:
            return "critical"
        if self.fumble:
            return "fumble"
        return "success" if self.success else "failure"

    def line(self) -> str:
        """A fact for the DM and the log: ``"DEX check 14 vs DC 12: success by 2"``."""
        what = f"{self.ability.value} check" if self.ability else "check"
        if self.critical:
            verdict = "critical success (natural 20)"
        elif self.fumble:
            verdict = "fumble (natural 1)"
        elif self.success:
            verdict = f"success by {self.margin}"
        else:
            verdict = f"failure by {-self.margin}"
        return f"{what} {self.total} vs DC {self.dc}: {verdict}"


def check(
    rng: Rng,
    *,
    ability_score: int,
    dc: int,
    bonus: int = 0,
    advantage: bool = False,
    disadvantage: bool = False,
    reason: str = "",
    ability: Ability | None = None,
) -> CheckResult:
    """Roll an ability check: ``1d20 + modifier(ability_score) + bonus`` vs ``dc``.

    Called by command handlers once an action is classified. Natural 20 always succeeds,
    natural 1 always fails. ``ability`` only labels the result. Never raises for ints.
    """
    mod = modifier(ability_score) + bonus
    text = f"1d20{mod:+d}" if mod else "1d20"
    result = roll(text, rng, reason=reason, advantage=advantage, disadvantage=disadvantage)
    natural = result.natural
    assert natural is not None  # a lone 1d20 term always reports its natural die
    critical = natural == 20
    fumble = natural == 1
    success = critical or (not fumble and result.total >= dc)
    return CheckResult(
        roll=result,
        natural=natural,
        total=result.total,
        dc=dc,
        success=success,
        margin=result.total - dc,
        critical=critical,
        fumble=fumble,
        ability=ability,
    )


# Phrase -> (ability, DC). A phrase is one or more words; multi-word phrases match with up
# to two filler words between them ("pick the lock", "look carefully for").
DEFAULT_CHECKS: Mapping[str, tuple[Ability, int]] = MappingProxyType(
    {
        "search": (Ability.WIS, 12),
        "look for": (Ability.WIS, 12),
        "spot": (Ability.WIS, 12),
        "notice": (Ability.WIS, 12),
        "scan": (Ability.WIS, 12),
        "track": (Ability.WIS, 12),
        "listen": (Ability.WIS, 10),
        "eavesdrop": (Ability.WIS, 10),
        "sense motive": (Ability.WIS, 12),
        "calm": (Ability.WIS, 12),
        "climb": (Ability.STR, 12),
        "scale": (Ability.STR, 12),
        "jump": (Ability.STR, 10),
        "leap": (Ability.STR, 10),
        "swim": (Ability.STR, 12),
        "force": (Ability.STR, 13),
        "break": (Ability.STR, 13),
        "bash": (Ability.STR, 13),
        "lift": (Ability.STR, 12),
        "push": (Ability.STR, 12),
        "persuade": (Ability.CHA, 13),
        "convince": (Ability.CHA, 13),
        "intimidate": (Ability.CHA, 13),
        "threaten": (Ability.CHA, 13),
        "deceive": (Ability.CHA, 13),
        "bluff": (Ability.CHA, 13),
        "lie to": (Ability.CHA, 13),
        "haggle": (Ability.CHA, 13),
        "perform": (Ability.CHA, 12),
        "pick lock": (Ability.DEX, 14),
        "lockpick": (Ability.DEX, 14),
        "disarm trap": (Ability.DEX, 14),
        "pickpocket": (Ability.DEX, 14),
        "steal": (Ability.DEX, 14),
        "sneak": (Ability.DEX, 12),
        "hide": (Ability.DEX, 12),
        "creep": (Ability.DEX, 12),
        "balance": (Ability.DEX, 12),
        "tumble": (Ability.DEX, 12),
        "recall": (Ability.INT, 12),
        "remember": (Ability.INT, 12),
        "investigate": (Ability.INT, 12),
        "decipher": (Ability.INT, 13),
        "identify": (Ability.INT, 13),
        "endure": (Ability.CON, 12),
        "hold breath": (Ability.CON, 12),
    }
)

# Phrase -> the skill (``mud.world.model.SKILLS``) whose proficiency adds to its check;
# phrases not here add proficiency only for a class proficient in the ability itself.
DEFAULT_SKILLS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ("search", "look for", "spot", "notice", "scan", "listen", "eavesdrop"), "perception"
        ),
        "track": "survival",
        "sense motive": "insight",
        "calm": "animal_handling",
        **dict.fromkeys(
            ("climb", "scale", "jump", "leap", "swim", "force", "break", "bash", "lift", "push"),
            "athletics",
        ),
        **dict.fromkeys(("persuade", "convince", "haggle"), "persuasion"),
        **dict.fromkeys(("intimidate", "threaten"), "intimidation"),
        **dict.fromkeys(("deceive", "bluff", "lie to"), "deception"),
        "perform": "performance",
        **dict.fromkeys(
            ("pick lock", "lockpick", "disarm trap", "pickpocket", "steal"), "sleight_of_hand"
        ),
        **dict.fromkeys(("sneak", "hide", "creep"), "stealth"),
        **dict.fromkeys(("balance", "tumble"), "acrobatics"),
        **dict.fromkeys(("recall", "remember"), "history"),
        **dict.fromkeys(("investigate", "decipher"), "investigation"),
        "identify": "arcana",
    }
)

_WORD = re.compile(r"[a-z]+")
_VOWELS = frozenset("aeiou")
_MAX_GAP = 2


def inflections(word: str) -> frozenset[str]:
    """The word and its regular inflections (climbs, climbed, climbing, swimming, tries)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if (
        len(word) >= 3
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    ):
        # Consonant-vowel-consonant endings double: swim -> swimming, spot -> spotted.
        forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}
    return frozenset(forms)


def _match_at(tokens: Sequence[str], start: int, phrase: Sequence[frozenset[str]]) -> bool:
    if tokens[start] not in phrase[0]:
        return False
    at = start
    for forms in phrase[1:]:
        window = tokens[at + 1 : at + 2 + _MAX_GAP]
        hit = next((j for j, tok in enumerate(window) if tok in forms), None)
        if hit is None:
            return False
        at += 1 + hit
    return True


def classify_action(
    text: str, table: Mapping[str, tuple[Ability, int]] = DEFAULT_CHECKS
) -> tuple[Ability, int, str] | None:
    """Find the check a free-text action calls for: ``(ability, dc, phrase)`` or None.

    Called by the hub before asking the DM to narrate an action. Pure word matching (no
    model): the text is lower-cased and split into ASCII words; a table phrase matches
    when its words appear in order (inflected forms allowed, up to two filler words
    between them). The earliest match in the text wins; at the same word, the longer
    phrase wins. Never raises.
    """
    tokens = _WORD.findall(text.lower())
    phrases = [
        (key, [inflections(w) for w in key.split()], spec)
        for key, spec in table.items()
        if key.split()
    ]
    phrases.sort(key=lambda p: -len(p[1]))
    for start in range(len(tokens)):
        for key, forms, (ability, dc) in phrases:
            if _match_at(tokens, start, forms) and not _light_work(key, tokens[start + 1 :]):
                return ability, dc, key
    return None


#: Things anyone lifts or pushes aside without trying: "lifts the candle from its
#: sconce" (played: "STR check 20 vs DC 12"), "lift my cup", "push the bowl away".
_LIGHT_TEXT = (
    "candle candles cup cups mug mugs tankard glass bottle spoon bowl plate lantern lamp "
    "book books map maps note notes letter paper papers page key keys coin coins quill pen "
    "feather hat hood cloak veil hand hands arm arms head chin eyebrow eyebrows brow gaze "
    "eyes face finger fingers voice spirits latch flap curtain corner hem skirts"
)
_LIGHT = frozenset(_LIGHT_TEXT.split())
#: Words between a verb and what it is done to: "lift up the old candle".
_BETWEEN_TEXT = "the a an my your his her their its our this that up old little small"
_BETWEEN = frozenset(_BETWEEN_TEXT.split())


def _light_work(phrase: str, after: Sequence[str]) -> bool:
    """Whether the strength phrase ``phrase`` ("lift", "push") is done to a light thing,
    the first word after the verb but little words (``after``) being one: no check."""
    if phrase not in ("lift", "push"):
        return False
    thing = next((word for word in after if word not in _BETWEEN), "")
    return thing in _LIGHT


# ---------------------------------------------------------------- levels and hit points

XP_THRESHOLDS: tuple[int, ...] = (
    0,
    300,
    900,
    2_700,
    6_500,
    14_000,
    23_000,
    34_000,
    48_000,
    64_000,
    85_000,
    100_000,
    120_000,
    140_000,
    165_000,
    195_000,
    225_000,
    265_000,
    305_000,
    355_000,
)

HIT_DIE: Mapping[str, int] = MappingProxyType(
    {
        "barbarian": 12,
        "fighter": 10,
        "paladin": 10,
        "ranger": 10,
        "bard": 8,
        "cleric": 8,
        "druid": 8,
        "monk": 8,
        "rogue": 8,
        "warlock": 8,
        "sorcerer": 6,
        "wizard": 6,
    }
)

_HIT_DICE = frozenset({4, 6, 8, 10, 12})


def level_for_xp(xp: int, thresholds: Sequence[int] = XP_THRESHOLDS) -> int:
    """The level reached with ``xp``: ``thresholds[i]`` is the XP needed for level ``i + 1``.

    Raises ValueError when ``xp`` is negative or ``thresholds`` is empty, does not start at
    0, or is not strictly increasing.
    """
    if xp < 0:
        raise ValueError(f"xp cannot be negative ({xp})")
    if not thresholds or thresholds[0] != 0:
        raise ValueError("thresholds must start at 0")
    if any(b <= a for a, b in pairwise(thresholds)):
        raise ValueError("thresholds must be strictly increasing")
    level = 0
    for need in thresholds:
        if xp < need:
            break
        level += 1
    return level


def _check_die(hit_die: int) -> None:
    if hit_die not in _HIT_DICE:
        raise ValueError(f"hit die must be one of {sorted(_HIT_DICE)}, not d{hit_die}")


def first_level_hp(hit_die: int, con_score: int) -> int:
    """Max HP at level 1: the full die + CON modifier, at least 1. ValueError for a bad die."""
    _check_die(hit_die)
    return max(1, hit_die + modifier(con_score))


@frozen
class HpGain:
    """HP gained on reaching a new level; ``roll`` is None when the fixed average was taken."""

    amount: int
    roll: RollResult | None


def level_up_hp(rng: Rng, *, hit_die: int, con_score: int, average: bool = False) -> HpGain:
    """HP gained for one level past the first: a hit die roll (or ``die // 2 + 1`` when
    ``average``) + CON modifier, at least 1. Raises ValueError for a bad die."""
    _check_die(hit_die)
    con = modifier(con_score)
    if average:
        return HpGain(max(1, hit_die // 2 + 1 + con), None)
    result = roll(f"1d{hit_die}", rng, reason="level up hit points")
    return HpGain(max(1, result.total + con), result)


def max_hp_for_level(hit_die: int, con_score: int, level: int) -> int:
    """Max HP at ``level`` taking the fixed average for every level past the first."""
    if not 1 <= level <= MAX_LEVEL:
        raise ValueError(f"level must be 1..{MAX_LEVEL}, not {level}")
    per_level = max(1, hit_die // 2 + 1 + modifier(con_score))
    return first_level_hp(hit_die, con_score) + (level - 1) * per_level


# ---------------------------------------------------------------- rests


@frozen
class ShortRestResult:
    """After a short rest: the new HP, hit dice left, HP healed and the rolls used."""

    hp: int
    hit_dice_left: int
    healed: int
    rolls: tuple[RollResult, ...]


def short_rest(
    rng: Rng,
    *,
    hp: int,
    max_hp: int,
    hit_die: int,
    hit_dice_left: int,
    con_score: int,
    spend: int,
) -> ShortRestResult:
    """Spend up to ``spend`` hit dice (no more than are left) to heal.

    Each die heals ``roll + CON modifier`` (at least 0), HP never exceeds ``max_hp``, and no
    further dice are spent once HP is full. Raises ValueError for negative counts, a bad
    die, or ``hp`` outside ``0..max_hp``.
    """
    _check_die(hit_die)
    if spend < 0 or hit_dice_left < 0:
        raise ValueError("spend and hit_dice_left cannot be negative")
    if not 0 <= hp <= max_hp:
        raise ValueError(f"hp {hp} outside 0..{max_hp}")
    con = modifier(con_score)
    rolls: list[RollResult] = []
    now = hp
    left = hit_dice_left
    while len(rolls) < spend and left > 0 and now < max_hp:
        result = roll(f"1d{hit_die}", rng, reason="short rest hit die")
        rolls.append(result)
        left -= 1
        now = min(max_hp, now + max(0, result.total + con))
    return ShortRestResult(hp=now, hit_dice_left=left, healed=now - hp, rolls=tuple(rolls))


@frozen
class LongRestResult:
    """After a long rest: full HP and the hit dice regained."""

    hp: int
    hit_dice_left: int
    regained_dice: int


def long_rest(*, max_hp: int, hit_dice_left: int, hit_dice_max: int) -> LongRestResult:
    """HP to ``max_hp``; regain half of ``hit_dice_max`` (at least 1), capped at the max.
    Raises ValueError if ``hit_dice_left`` is outside ``0..hit_dice_max`` or max_hp < 1."""
    if max_hp < 1:
        raise ValueError("max_hp must be at least 1")
    if not 0 <= hit_dice_left <= hit_dice_max:
        raise ValueError(f"hit_dice_left {hit_dice_left} outside 0..{hit_dice_max}")
    regained = min(hit_dice_max - hit_dice_left, max(1, hit_dice_max // 2))
    return LongRestResult(hp=max_hp, hit_dice_left=hit_dice_left + regained, regained_dice=regained)
