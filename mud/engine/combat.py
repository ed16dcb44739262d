"""Combat math: initiative, turn order, attacks, damage, conditions, death saves (pure).

The hub owns the fight (whose turn it is, who is in it); this module only computes. Every
function returns new frozen values and the ``RollResult`` values it used, so the caller
can log each roll and replay the fight from the seed.

Rules decided here:
- Initiative is ``1d20 + dex_mod``, rolled in the order the combatants are given; higher
  goes first, ties go to the higher ``dex_mod``, then to the smaller id (deterministic).
- An attack rolls ``1d20 + attack_bonus`` (plus ``1d4`` when the attacker is blessed)
  against the target's AC (+2 when the target is defending). A natural 20 always hits and
  is a critical (the damage dice are doubled, the modifier is not); a natural 1 always
  misses. A hit deals at least 1 damage. HP never drops below 0; a combatant at 0 HP is
  down and can neither act nor be attacked (the hub runs death saves instead).
- Conditions: ``poisoned`` and ``frightened`` give the bearer disadvantage on attacks;
  ``stunned`` makes the bearer skip its turn and gives attackers advantage; ``prone`` gives
  melee attackers advantage and ranged attackers disadvantage; ``blessed`` adds 1d4 to the
  bearer's attack rolls; ``unseen`` (an attacker striking from hiding) gives the bearer
  advantage on attacks. Advantage and disadvantage from any sources cancel out.
- A condition lasts ``rounds_left`` of the bearer's turns: ``tick_conditions`` is called at
  the end of the bearer's turn (also a turn skipped while stunned) and removes it at 0.
- Death saves: natural d20 of 10+ succeeds, below 10 fails, a natural 1 counts as two
  failures, a natural 20 brings the creature back with 1 HP. Three successes: stable;
  three failures: dead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Literal

from attrs import evolve, field, frozen, validators

from mud.core.rng import Rng
from mud.engine.dice import RollResult, parse, roll

Side = Literal["players", "enemies"]
SIDES: frozenset[str] = frozenset({"players", "enemies"})
CONDITIONS: frozenset[str] = frozenset(
    {"poisoned", "stunned", "prone", "frightened", "blessed", "unseen"}
)
DEFEND_AC_BONUS = 2


@frozen
class Condition:
    """A named condition (one of ``CONDITIONS``) with the bearer's turns it has left (>= 1)."""

    name: str = field(validator=validators.in_(CONDITIONS))
    rounds_left: int = field(validator=validators.ge(1))


def _valid_damage(_inst: object, _attr: object, value: str) -> None:
    parse(value)  # raises DiceError (a ValueError) for bad notation


@frozen
class Combatant:
    """One fighter. Construction raises ValueError for hp outside ``0..max_hp``, an unknown
    side, or damage that is not valid dice notation."""

    id: str
    name: str
    side: Side = field(validator=validators.in_(SIDES))
    hp: int
    max_hp: int = field(validator=validators.ge(1))
    ac: int
    attack_bonus: int
    damage: str = field(validator=_valid_damage)
    dex_mod: int = 0
    conditions: tuple[Condition, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.hp <= self.max_hp:
            raise ValueError(f"{self.id}: hp {self.hp} outside 0..{self.max_hp}")

    @property
    def is_down(self) -> bool:
        """True at 0 HP."""
        return self.hp <= 0

    def has(self, condition: str) -> bool:
        """True if the combatant bears ``condition``."""
        return any(c.name == condition for c in self.conditions)

    @property
    def can_act(self) -> bool:
        """False when down or stunned: the turn is skipped (conditions still tick)."""
        return not self.is_down and not self.has("stunned")


# ---------------------------------------------------------------- hit points and conditions


def apply_damage(combatant: Combatant, amount: int) -> Combatant:
    """The combatant after taking ``amount`` damage (HP floors at 0). ValueError if negative."""
    if amount < 0:
        raise ValueError(f"damage cannot be negative ({amount})")
    return evolve(combatant, hp=max(0, combatant.hp - amount))


def heal(combatant: Combatant, amount: int) -> Combatant:
    """The combatant after healing ``amount`` (capped at max HP). ValueError if negative."""
    if amount < 0:
        raise ValueError(f"healing cannot be negative ({amount})")
    return evolve(combatant, hp=min(combatant.max_hp, combatant.hp + amount))


def add_condition(combatant: Combatant, condition: Condition) -> Combatant:
    """Add ``condition``; if it is already borne, the longer duration wins (no stacking)."""
    kept = tuple(c for c in combatant.conditions if c.name != condition.name)
    old = next((c for c in combatant.conditions if c.name == condition.name), None)
    best = condition if old is None or condition.rounds_left >= old.rounds_left else old
    return evolve(combatant, conditions=(*kept, best))


def remove_condition(combatant: Combatant, name: str) -> Combatant:
    """Remove condition ``name`` if present (standing up from prone, a cure)."""
    return evolve(combatant, conditions=tuple(c for c in combatant.conditions if c.name != name))


def tick_conditions(combatant: Combatant) -> Combatant:
    """End of the bearer's turn: every condition loses a round; those at 0 are removed."""
    left = tuple(
        Condition(c.name, c.rounds_left - 1) for c in combatant.conditions if c.rounds_left > 1
    )
    return evolve(combatant, conditions=left)


# ---------------------------------------------------------------- initiative and turn order


@frozen
class InitiativeEntry:
    """One combatant's initiative roll."""

    combatant_id: str
    name: str
    roll: RollResult
    total: int
    dex_mod: int


def roll_initiative(combatants: Sequence[Combatant], rng: Rng) -> tuple[InitiativeEntry, ...]:
    """Roll initiative for every combatant (in the given order) and return them in turn
    order. Raises ValueError if two combatants share an id."""
    ids = [c.id for c in combatants]
    if len(set(ids)) != len(ids):
        raise ValueError("combatant ids must be unique")
    entries = []
    for c in combatants:
        text = f"1d20{c.dex_mod:+d}" if c.dex_mod else "1d20"
        result = roll(text, rng, reason=f"initiative {c.name}")
        entries.append(InitiativeEntry(c.id, c.name, result, result.total, c.dex_mod))
    entries.sort(key=lambda e: (-e.total, -e.dex_mod, e.combatant_id))
    return tuple(entries)


@frozen
class TurnOrder:
    """Whose turn it is: ``order[index]`` in round ``round`` (1-based)."""

    order: tuple[str, ...] = field(validator=validators.min_len(1))
    index: int = 0
    round: int = 1

    @staticmethod
    def from_initiative(entries: Iterable[InitiativeEntry]) -> TurnOrder:
        """The turn order of a fresh fight. ValueError if ``entries`` is empty."""
        return TurnOrder(tuple(e.combatant_id for e in entries))

    @property
    def current(self) -> str:
        """The id whose turn it is."""
        return self.order[self.index]

    def advance(self, skip: Collection[str] = ()) -> TurnOrder:
        """The next turn, passing over ids in ``skip`` (the down, the fled); the round
        number grows each time the order wraps. ValueError if every id is skipped."""
        index, rnd = self.index, self.round
        for _ in range(len(self.order)):
            index += 1
            if index == len(self.order):
                index, rnd = 0, rnd + 1
            if self.order[index] not in skip:
                return TurnOrder(self.order, index, rnd)
        raise ValueError("no combatant left to take a turn")


# ---------------------------------------------------------------- attacks


@frozen
class AttackResult:
    """One resolved attack. ``target_after`` is the target with the damage applied (the
    caller stores it); ``ac`` is the AC actually used (defending included)."""

    attacker_id: str
    attacker_name: str
    target_id: str
    target_name: str
    attack_roll: RollResult
    bless_roll: RollResult | None
    natural: int
    bonus: int
    total: int
    ac: int
    hit: bool
    critical: bool
    damage: int
    damage_roll: RollResult | None
    advantage: bool
    disadvantage: bool
    advantage_from: tuple[str, ...]
    disadvantage_from: tuple[str, ...]
    defending: bool
    target_after: Combatant

    @property
    def rolls(self) -> tuple[RollResult, ...]:
        """Every roll used, in the order drawn, for the roll log."""
        found = (self.attack_roll, self.bless_roll, self.damage_roll)
        return tuple(r for r in found if r is not None)

    def line(self) -> str:
        """A compact retro line, e.g.
        ``Brakka attacks Goblin: d20 14+4=18 vs AC 13 HIT 7 dmg (Goblin 0/7 HP, down)``."""
        mode = " adv" if self.advantage else " dis" if self.disadvantage else ""
        sums = f"{self.natural}{self.bonus:+d}" if self.bonus else str(self.natural)
        if self.bless_roll is not None:
            sums += f"+{self.bless_roll.total}(bless)"
        ac = f"AC {self.ac}" + (" (defending)" if self.defending else "")
        head = f"{self.attacker_name} attacks {self.target_name}: d20{mode} {sums}={self.total}"
        if not self.hit:
            verdict = "MISS (natural 1)" if self.natural == 1 else "MISS"
            return f"{head} vs {ac} {verdict}"
        after = self.target_after
        state = ", down" if after.is_down else ""
        verdict = "CRIT" if self.critical else "HIT"
        return (
            f"{head} vs {ac} {verdict} {self.damage} dmg "
            f"({after.name} {after.hp}/{after.max_hp} HP{state})"
        )

    def heard(self, me: str = "") -> str:
        """The same attack for a screen reader, its outcome first and the dice after,
        in words, e.g. ``Brakka hits Goblin for 7 damage: Goblin is down. Roll 14 plus
        4, 18, against armour 13.``; as the attacker (``me`` "attacker") or the target
        ("target") hears it, in the second person: ``You hit Goblin ...``, ``Goblin hits
        you for 7 damage: you have 2 of 9 HP left. ...``. Played by a blind player: the
        compact line read "d20 14+4=18 vs AC 13" before saying whether the blow landed,
        and their own name for them."""
        bonus = f" {'plus' if self.bonus >= 0 else 'minus'} {abs(self.bonus)}" if self.bonus else ""
        bless = f" plus {self.bless_roll.total} blessed" if self.bless_roll is not None else ""
        how = (
            " with advantage"
            if self.advantage
            else " with disadvantage"
            if self.disadvantage
            else ""
        )
        guard = ", defending" if self.defending else ""
        sums = f"{self.natural}{bonus}{bless}"
        dice = f"Roll{how} {sums}" + (f", {self.total}," if sums != str(self.total) else "")
        dice += f" against armour {self.ac}{guard}."
        mine = me == "attacker"
        who = "You" if mine else self.attacker_name
        whom = "you" if me == "target" else self.target_name
        if not self.hit:
            miss = "miss" if mine else "misses"
            if self.natural == 1:
                return f"{who} {miss} {whom}: a natural 1."
            return f"{who} {miss} {whom}. {dice}"
        after = self.target_after
        blow = (
            ("land" if mine else "lands") + " a critical hit on"
            if self.critical
            else ("hit" if mine else "hits")
        )
        if me == "target":
            left = (
                "you are down"
                if after.is_down
                else f"you have {after.hp} of {after.max_hp} HP left"
            )
        else:
            left = (
                f"{after.name} is down"
                if after.is_down
                else f"{after.name} has {after.hp} of {after.max_hp} HP left"
            )
        blown = f"{who} {blow} {whom} for {self.damage} damage"
        return f"{blown}: {left}. {dice}"


def resolve_attack(
    attacker: Combatant,
    target: Combatant,
    rng: Rng,
    *,
    weapon_damage: str | None = None,
    defending: bool = False,
    melee: bool = True,
) -> AttackResult:
    """Resolve one attack of ``attacker`` on ``target`` (rules in the module docstring).

    Called by the hub on the attacker's turn. ``weapon_damage`` overrides the attacker's
    damage dice; ``defending`` means the target took the defend action (+2 AC); ``melee``
    False makes it a ranged attack (matters against prone targets). Raises ValueError if
    the attacker cannot act, the target is down, they are the same combatant, or
    ``weapon_damage`` is not valid dice notation (``DiceError``).
    """
    if not attacker.can_act:
        raise ValueError(f"{attacker.id} cannot act")
    if target.is_down:
        raise ValueError(f"{target.id} is already down")
    if attacker.id == target.id:
        raise ValueError("a combatant cannot attack itself")
    damage_expr = parse(weapon_damage if weapon_damage is not None else attacker.damage)

    adv_from: list[str] = []
    dis_from: list[str] = []
    if target.has("stunned"):
        adv_from.append("target stunned")
    if target.has("prone"):
        (adv_from if melee else dis_from).append("target prone")
    if attacker.has("unseen"):
        adv_from.append("unseen")
    if attacker.has("poisoned"):
        dis_from.append("poisoned")
    if attacker.has("frightened"):
        dis_from.append("frightened")

    bonus = attacker.attack_bonus
    text = f"1d20{bonus:+d}" if bonus else "1d20"
    attack = roll(
        text,
        rng,
        reason=f"attack {attacker.name} -> {target.name}",
        advantage=bool(adv_from),
        disadvantage=bool(dis_from),
    )
    natural = attack.natural
    assert natural is not None  # a lone d20 term always reports its natural die
    bless = roll("1d4", rng, reason=f"bless {attacker.name}") if attacker.has("blessed") else None
    total = attack.total + (bless.total if bless else 0)
    ac = target.ac + (DEFEND_AC_BONUS if defending else 0)
    critical = natural == 20
    hit = critical or (natural != 1 and total >= ac)

    damage = 0
    damage_roll: RollResult | None = None
    after = target
    if hit:
        damage_roll = roll(
            damage_expr.doubled() if critical else damage_expr,
            rng,
            reason=f"damage {attacker.name} -> {target.name}" + (" (critical)" if critical else ""),
        )
        damage = max(1, damage_roll.total)
        after = apply_damage(target, damage)

    return AttackResult(
        attacker_id=attacker.id,
        attacker_name=attacker.name,
        target_id=target.id,
        target_name=target.name,
        attack_roll=attack,
        bless_roll=bless,
        natural=natural,
        bonus=bonus,
        total=total,
        ac=ac,
        hit=hit,
        critical=critical,
        damage=damage,
        damage_roll=damage_roll,
        advantage=attack.advantage,
        disadvantage=attack.disadvantage,
        advantage_from=tuple(adv_from),
        disadvantage_from=tuple(dis_from),
        defending=defending,
        target_after=after,
    )


def standing_sides(combatants: Iterable[Combatant]) -> frozenset[str]:
    """The sides that still have someone above 0 HP."""
    return frozenset(c.side for c in combatants if not c.is_down)


def winner(combatants: Iterable[Combatant]) -> Side | None:
    """The only side still standing, or None while both (or neither) stand."""
    sides = standing_sides(combatants)
    if sides == {"players"}:
        return "players"
    if sides == {"enemies"}:
        return "enemies"
    return None


# ---------------------------------------------------------------- death saves

DeathStatus = Literal["dying", "stable", "dead", "revived"]


@frozen
class DeathSaves:
    """Death save tallies of a creature at 0 HP (each 0..3)."""

    successes: int = field(default=0, validator=[validators.ge(0), validators.le(3)])
    failures: int = field(default=0, validator=[validators.ge(0), validators.le(3)])

    @property
    def status(self) -> DeathStatus:
        """``dead`` at 3 failures, ``stable`` at 3 successes, else ``dying``."""
        if self.failures >= 3:
            return "dead"
        if self.successes >= 3:
            return "stable"
        return "dying"


@frozen
class DeathSaveResult:
    """One death save: the roll, the tallies after it, the status and the HP to set
    (1 when a natural 20 revived the creature, else 0). A revival resets the tallies."""

    roll: RollResult
    natural: int
    saves: DeathSaves
    status: DeathStatus
    hp: int

    def line(self) -> str:
        """``death save 12: success (2 successes, 1 failure) dying``."""
        if self.status == "revived":
            return f"death save {self.natural}: natural 20, back on their feet with 1 HP"
        verdict = "success" if self.natural >= 10 else "failure"
        if self.natural == 1:
            verdict = "natural 1, two failures"
        s, f = self.saves.successes, self.saves.failures
        tally = f"{s} success{'es' if s != 1 else ''}, {f} failure{'s' if f != 1 else ''}"
        return f"death save {self.natural}: {verdict} ({tally}) {self.status}"


def death_save(rng: Rng, saves: DeathSaves | None = None) -> DeathSaveResult:
    """Roll one death save on top of ``saves`` (fresh tallies when None).

    Called by the hub on a downed character's turn. Raises ValueError if ``saves`` is
    already stable or dead.
    """
    before = saves if saves is not None else DeathSaves()
    if before.status != "dying":
        raise ValueError(f"no death save needed: {before.status}")
    result = roll("1d20", rng, reason="death save")
    natural = result.natural
    assert natural is not None  # a lone d20 term always reports its natural die
    if natural == 20:
        return DeathSaveResult(result, natural, DeathSaves(), "revived", 1)
    if natural >= 10:
        after = DeathSaves(before.successes + 1, before.failures)
    else:
        after = DeathSaves(before.successes, min(3, before.failures + (2 if natural == 1 else 1)))
    return DeathSaveResult(result, natural, after, after.status, 0)
