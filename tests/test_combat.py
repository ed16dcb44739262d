"""Tests for mud.engine.combat: attacks, conditions, initiative, turns, death saves, a fight."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from mud.core.rng import SeededRng
from mud.engine.combat import (
    AttackResult,
    Combatant,
    Condition,
    DeathSaves,
    TurnOrder,
    add_condition,
    apply_damage,
    death_save,
    heal,
    remove_condition,
    resolve_attack,
    roll_initiative,
    standing_sides,
    tick_conditions,
    winner,
)
from mud.engine.dice import DiceError, max_total
from mud.engine.rules import modifier, proficiency


class ScriptedRng:
    """randint returns the scripted values in order (checked against the asked range)."""

    def __init__(self, values: list[int]) -> None:
        self.values = list(values)
        self.calls: list[tuple[int, int]] = []

    def randint(self, a: int, b: int) -> int:
        self.calls.append((a, b))
        value = self.values.pop(0)
        assert a <= value <= b
        return value

    def random(self) -> float:
        raise AssertionError("not used")

    def choice_index(self, n: int) -> int:
        raise AssertionError("not used")


def fighter(**changes: Any) -> Combatant:
    base = Combatant(
        id="brakka",
        name="Brakka",
        side="players",
        hp=12,
        max_hp=12,
        ac=16,
        attack_bonus=modifier(16) + proficiency(1),
        damage="1d8+3",
        dex_mod=0,
    )
    return evolve(base, **changes)


def goblin(**changes: Any) -> Combatant:
    base = Combatant(
        id="goblin",
        name="Goblin",
        side="enemies",
        hp=7,
        max_hp=7,
        ac=13,
        attack_bonus=4,
        damage="1d6+2",
        dex_mod=2,
    )
    return evolve(base, **changes)


# ---------------------------------------------------------------- values


def test_combatant_validation() -> None:
    with pytest.raises(ValueError):
        fighter(hp=13)
    with pytest.raises(ValueError):
        fighter(hp=-1)
    with pytest.raises(ValueError):
        fighter(side="neutral")
    with pytest.raises(DiceError):
        fighter(damage="1d8+sword")
    with pytest.raises(ValueError):
        Condition("cursed", 2)
    with pytest.raises(ValueError):
        Condition("poisoned", 0)


def test_damage_and_heal() -> None:
    hurt = apply_damage(goblin(), 5)
    assert hurt.hp == 2 and not hurt.is_down
    dead = apply_damage(hurt, 50)
    assert dead.hp == 0 and dead.is_down and not dead.can_act
    assert heal(dead, 3).hp == 3
    assert heal(hurt, 100).hp == 7
    with pytest.raises(ValueError):
        apply_damage(hurt, -1)
    with pytest.raises(ValueError):
        heal(hurt, -1)


@given(st.integers(0, 50), st.lists(st.integers(0, 20), max_size=10))
def test_hp_stays_in_range(start: int, hits: list[int]) -> None:
    c = goblin(max_hp=50, hp=start)
    for amount in hits:
        c = apply_damage(c, amount)
        assert 0 <= c.hp <= c.max_hp
    assert c.hp == max(0, start - sum(hits))


def test_conditions_add_tick_remove() -> None:
    c = add_condition(goblin(), Condition("poisoned", 2))
    c = add_condition(c, Condition("poisoned", 1))  # shorter does not replace longer
    assert c.conditions == (Condition("poisoned", 2),)
    c = add_condition(c, Condition("prone", 1))
    c = tick_conditions(c)
    assert c.conditions == (Condition("poisoned", 1),)
    assert c.has("poisoned") and not c.has("prone")
    c = tick_conditions(c)
    assert c.conditions == ()
    stunned = add_condition(goblin(), Condition("stunned", 3))
    assert not stunned.can_act
    assert remove_condition(stunned, "stunned").can_act


@given(st.lists(st.tuples(st.sampled_from(["poisoned", "prone", "blessed"]), st.integers(1, 5))))
def test_conditions_expire_after_their_longest_duration(specs: list[tuple[str, int]]) -> None:
    c = goblin()
    for name, rounds in specs:
        c = add_condition(c, Condition(name, rounds))
    names = {name for name, _ in specs}
    assert {x.name for x in c.conditions} == names
    longest = max((r for _, r in specs), default=0)
    for _ in range(longest):
        assert len(c.conditions) <= len(names)
        c = tick_conditions(c)
    assert c.conditions == ()


# ---------------------------------------------------------------- attacks


def test_hit_line_and_damage_applied() -> None:
    rng = ScriptedRng([9, 4])  # d20 9 (+5 = 14 vs AC 13), damage 1d8 4 (+3 = 7)
    result = resolve_attack(fighter(), goblin(), rng)
    assert result.hit and not result.critical
    assert result.total == 14 and result.damage == 7
    assert result.target_after.hp == 0
    assert result.line() == (
        "Brakka attacks Goblin: d20 9+5=14 vs AC 13 HIT 7 dmg (Goblin 0/7 HP, down)"
    )
    assert [r.reason for r in result.rolls] == [
        "attack Brakka -> Goblin",
        "damage Brakka -> Goblin",
    ]


def test_miss_deals_nothing() -> None:
    result = resolve_attack(goblin(), fighter(), ScriptedRng([11]))
    assert not result.hit and result.damage == 0 and result.damage_roll is None
    assert result.target_after == fighter()
    assert result.line() == "Goblin attacks Brakka: d20 11+4=15 vs AC 16 MISS"


def test_natural_20_hits_and_doubles_dice_not_modifier() -> None:
    # AC 40 cannot be reached by numbers: the natural 20 hits anyway.
    rng = ScriptedRng([20, 5, 6])
    result = resolve_attack(fighter(), goblin(ac=40, hp=7), rng)
    assert result.hit and result.critical
    assert result.damage_roll is not None and result.damage_roll.expr == "2d8+3"
    assert result.damage == 5 + 6 + 3
    assert "CRIT 14 dmg" in result.line()


def test_natural_1_always_misses() -> None:
    result = resolve_attack(fighter(attack_bonus=30), goblin(), ScriptedRng([1]))
    assert not result.hit
    assert result.line().endswith("MISS (natural 1)")


def test_defending_adds_two_ac() -> None:
    # 9 + 5 = 14 beats AC 13 but not 15.
    result = resolve_attack(fighter(), goblin(), ScriptedRng([9]), defending=True)
    assert result.ac == 15 and not result.hit
    assert "vs AC 15 (defending) MISS" in result.line()


def test_weapon_damage_override_and_minimum_one() -> None:
    result = resolve_attack(fighter(), goblin(), ScriptedRng([15, 1]), weapon_damage="1d4-3")
    assert result.hit and result.damage == 1


@pytest.mark.parametrize(
    ("attacker_cond", "target_cond", "melee", "adv", "dis"),
    [
        ("poisoned", None, True, False, True),
        ("frightened", None, True, False, True),
        (None, "stunned", True, True, False),
        (None, "prone", True, True, False),
        (None, "prone", False, False, True),
        ("poisoned", "stunned", True, False, False),  # they cancel
    ],
)
def test_condition_advantage(
    attacker_cond: str | None, target_cond: str | None, melee: bool, adv: bool, dis: bool
) -> None:
    a = fighter()
    t = goblin()
    if attacker_cond:
        a = add_condition(a, Condition(attacker_cond, 1))
    if target_cond:
        t = add_condition(t, Condition(target_cond, 1))
    rng = ScriptedRng([5, 16, 3])
    result = resolve_attack(a, t, rng, melee=melee)
    assert (result.advantage, result.disadvantage) == (adv, dis)
    if adv:
        assert result.natural == 16
    elif dis:
        assert result.natural == 5
    else:
        assert result.natural == 5 and len(result.attack_roll.values) == 1


def test_blessed_adds_a_d4() -> None:
    a = add_condition(fighter(), Condition("blessed", 3))
    # d20 6 + 5 = 11, bless 2 -> 13 hits AC 13; damage 1d8 1 + 3 = 4
    result = resolve_attack(a, goblin(), ScriptedRng([6, 2, 1]))
    assert result.bless_roll is not None and result.bless_roll.total == 2
    assert result.total == 13 and result.hit and result.damage == 4
    assert "d20 6+5+2(bless)=13" in result.line()
    assert len(result.rolls) == 3


def test_invalid_attacks() -> None:
    with pytest.raises(ValueError):
        resolve_attack(fighter(hp=0), goblin(), ScriptedRng([10]))
    with pytest.raises(ValueError):
        resolve_attack(add_condition(fighter(), Condition("stunned", 1)), goblin(), ScriptedRng([]))
    with pytest.raises(ValueError):
        resolve_attack(fighter(), goblin(hp=0), ScriptedRng([10]))
    with pytest.raises(ValueError):
        resolve_attack(fighter(), fighter(), ScriptedRng([10]))
    with pytest.raises(DiceError):
        resolve_attack(fighter(), goblin(), ScriptedRng([10]), weapon_damage="big axe")


@given(
    st.integers(-2, 12),
    st.integers(5, 25),
    st.booleans(),
    st.sampled_from(["1d4", "1d6+2", "2d6", "1d12-1", "4d6kh3"]),
    st.integers(0, 2**32),
)
def test_attack_properties(bonus: int, ac: int, defending: bool, dmg: str, seed: int) -> None:
    a = fighter(attack_bonus=bonus, damage=dmg)
    t = goblin(ac=ac, max_hp=60, hp=60)
    result = resolve_attack(a, t, SeededRng(seed), defending=defending)
    assert result.ac == ac + (2 if defending else 0)
    assert result.total == result.natural + bonus
    if result.natural == 20:
        assert result.hit and result.critical
    elif result.natural == 1:
        assert not result.hit
    else:
        assert result.hit == (result.total >= result.ac)
    if result.hit:
        ceiling = max_total(dmg) * (2 if result.critical else 1)
        assert 1 <= result.damage <= max(1, ceiling)
        assert result.target_after.hp == 60 - result.damage
    else:
        assert result.damage == 0 and result.target_after == t
    assert result == resolve_attack(a, t, SeededRng(seed), defending=defending)
    assert isinstance(result, AttackResult)


# ---------------------------------------------------------------- initiative and turns


def test_initiative_order_and_ties() -> None:
    a = fighter(id="a", dex_mod=0)
    b = goblin(id="b", dex_mod=2)
    c = goblin(id="c", dex_mod=2)
    d = goblin(id="d", dex_mod=1)
    # totals: a 14, b 12+2=14, c 10+2=12, d 11+1=12
    entries = roll_initiative([d, c, b, a], ScriptedRng([11, 10, 12, 14]))
    assert [e.combatant_id for e in entries] == ["b", "a", "c", "d"]
    assert [e.total for e in entries] == [14, 14, 12, 12]
    assert entries[0].roll.reason == "initiative Goblin"
    with pytest.raises(ValueError):
        roll_initiative([a, a], ScriptedRng([1, 1]))


@given(st.integers(0, 2**32), st.permutations(["a", "b", "c", "d", "e"]))
def test_initiative_is_sorted_and_complete(seed: int, ids: list[str]) -> None:
    people = [goblin(id=i, dex_mod=ord(i) % 3) for i in ids]
    entries = roll_initiative(people, SeededRng(seed))
    assert sorted(e.combatant_id for e in entries) == sorted(ids)
    keys = [(-e.total, -e.dex_mod, e.combatant_id) for e in entries]
    assert keys == sorted(keys)


def test_turn_order_advances_and_skips() -> None:
    order = TurnOrder(("a", "b", "c"))
    assert order.current == "a" and order.round == 1
    order = order.advance()
    assert order.current == "b"
    order = order.advance(skip={"c"})
    assert order.current == "a" and order.round == 2
    order = order.advance(skip={"b"})
    assert order.current == "c" and order.round == 2
    with pytest.raises(ValueError):
        order.advance(skip={"a", "b", "c"})
    with pytest.raises(ValueError):
        TurnOrder(())


def test_sides() -> None:
    people = [fighter(), goblin()]
    assert standing_sides(people) == {"players", "enemies"}
    assert winner(people) is None
    assert winner([fighter(), goblin(hp=0)]) == "players"
    assert winner([fighter(hp=0), goblin()]) == "enemies"
    assert winner([fighter(hp=0), goblin(hp=0)]) is None


# ---------------------------------------------------------------- death saves


def test_death_saves() -> None:
    first = death_save(ScriptedRng([10]))
    assert first.saves == DeathSaves(1, 0) and first.status == "dying" and first.hp == 0
    second = death_save(ScriptedRng([1]), first.saves)
    assert second.saves == DeathSaves(1, 2)
    assert second.line() == "death save 1: natural 1, two failures (1 success, 2 failures) dying"
    third = death_save(ScriptedRng([9]), second.saves)
    assert third.status == "dead" and third.saves == DeathSaves(1, 3)
    with pytest.raises(ValueError):
        death_save(ScriptedRng([10]), third.saves)
    stable = death_save(ScriptedRng([15]), DeathSaves(2, 2))
    assert stable.status == "stable"
    with pytest.raises(ValueError):
        death_save(ScriptedRng([10]), stable.saves)
    revived = death_save(ScriptedRng([20]), DeathSaves(0, 2))
    assert revived.status == "revived" and revived.hp == 1 and revived.saves == DeathSaves()
    assert "1 HP" in revived.line()
    assert death_save(ScriptedRng([1]), DeathSaves(0, 2)).saves.failures == 3


@given(st.integers(0, 2**32))
def test_death_saves_always_end(seed: int) -> None:
    rng = SeededRng(seed)
    saves = DeathSaves()
    for _ in range(5):
        result = death_save(rng, saves)
        if result.status != "dying":
            assert result.status in ("stable", "dead", "revived")
            return
        saves = result.saves
    raise AssertionError("five death saves must settle the matter")


# ---------------------------------------------------------------- a whole fight


def fight(seed: int) -> tuple[list[str], dict[str, Combatant]]:
    """Fighter vs goblin, round by round, driven only by the public API."""
    rng = SeededRng(seed)
    people = {c.id: c for c in (fighter(), goblin())}
    events: list[str] = []
    entries = roll_initiative(list(people.values()), rng)
    events += [e.roll.describe() for e in entries]
    order = TurnOrder.from_initiative(entries)
    for _ in range(200):
        if winner(people.values()) is not None:
            break
        me = people[order.current]
        if me.can_act:
            foe = next(c for c in people.values() if c.side != me.side)
            result = resolve_attack(me, foe, rng)
            people[foe.id] = result.target_after
            events.append(f"round {order.round}: {result.line()}")
            events += [r.describe() for r in result.rolls]
        people[me.id] = tick_conditions(people[me.id])
        down = {c.id for c in people.values() if c.is_down}
        order = order.advance(skip=down) if len(down) < len(people) else order
    return events, people


def test_fighter_vs_goblin_is_reproducible() -> None:
    events, people = fight(42)
    again, people_again = fight(42)
    assert events == again
    assert people == people_again
    down = [c.side for c in people.values() if c.is_down]
    assert len(down) == 1
    assert winner(people.values()) in ("players", "enemies")
    assert any("HIT" in line or "CRIT" in line for line in events)
    other, _ = fight(7)
    assert other != events  # a different seed plays out differently


@pytest.mark.parametrize("seed", range(25))
def test_many_fights_end_with_one_side_down(seed: int) -> None:
    events, people = fight(seed)
    assert (events, people) == fight(seed)
    assert sum(c.is_down for c in people.values()) == 1
    hits = [line for line in events if " attacks " in line]
    assert hits and ("down)" in hits[-1])
