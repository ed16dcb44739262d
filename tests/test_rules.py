"""Tests for mud.engine.rules: modifiers, checks, action classification, levels, rests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.core.rng import SeededRng
from mud.engine.rules import (
    DEFAULT_CHECKS,
    DIFFICULTY_DC,
    HIT_DIE,
    XP_THRESHOLDS,
    Ability,
    Stats,
    check,
    classify_action,
    first_level_hp,
    level_for_xp,
    level_up_hp,
    long_rest,
    max_hp_for_level,
    modifier,
    proficiency,
    short_rest,
)


class ScriptedRng:
    """randint returns the scripted values in order (checked against the asked range)."""

    def __init__(self, values: list[int]) -> None:
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0)
        assert a <= value <= b
        return value

    def random(self) -> float:
        raise AssertionError("not used")

    def choice_index(self, n: int) -> int:
        raise AssertionError("not used")


# ---------------------------------------------------------------- abilities


@pytest.mark.parametrize(
    ("score", "mod"), [(1, -5), (8, -1), (9, -1), (10, 0), (11, 0), (12, 1), (16, 3), (30, 10)]
)
def test_modifier_table(score: int, mod: int) -> None:
    assert modifier(score) == mod


@given(st.integers(1, 29))
def test_modifier_is_monotonic_and_steps_every_two(score: int) -> None:
    assert modifier(score + 1) - modifier(score) in (0, 1)
    assert modifier(score + 2) == modifier(score) + 1


@pytest.mark.parametrize(
    ("level", "bonus"), [(1, 2), (4, 2), (5, 3), (8, 3), (9, 4), (17, 6), (20, 6)]
)
def test_proficiency(level: int, bonus: int) -> None:
    assert proficiency(level) == bonus


@pytest.mark.parametrize("level", [0, 21, -3])
def test_proficiency_out_of_range(level: int) -> None:
    with pytest.raises(ValueError):
        proficiency(level)


def test_stats_access_and_validation() -> None:
    stats = Stats(str_=16, dex=12, con=14, int_=8, wis=13, cha=10)
    assert stats.score(Ability.STR) == 16
    assert stats.mod(Ability.STR) == 3
    assert stats.mod(Ability.INT) == -1
    assert [stats.score(a) for a in Ability] == [16, 12, 14, 8, 13, 10]
    with pytest.raises(ValueError):
        Stats(str_=31)
    with pytest.raises(ValueError):
        Stats(dex=0)


def test_stats_from_mapping() -> None:
    stats = Stats.from_mapping({"STR": 16, "dex": 14})
    assert (stats.str_, stats.dex, stats.con) == (16, 14, 10)
    with pytest.raises(ValueError, match="unknown ability"):
        Stats.from_mapping({"luck": 12})


# ---------------------------------------------------------------- checks


def test_check_success_by_margin() -> None:
    result = check(ScriptedRng([11]), ability_score=14, dc=12, bonus=1, ability=Ability.DEX)
    assert result.total == 14
    assert result.success and result.margin == 2
    assert not result.critical and not result.fumble
    assert result.outcome_kind == "success"
    assert result.line() == "DEX check 14 vs DC 12: success by 2"
    assert result.roll.expr == "1d20+3"


def test_check_meeting_dc_succeeds_and_missing_fails() -> None:
    assert check(ScriptedRng([12]), ability_score=10, dc=12).success
    fail = check(ScriptedRng([11]), ability_score=10, dc=12)
    assert not fail.success and fail.margin == -1
    assert fail.line() == "check 11 vs DC 12: failure by 1"
    assert fail.outcome_kind == "failure"


def test_natural_20_always_succeeds() -> None:
    result = check(ScriptedRng([20]), ability_score=1, dc=30)
    assert result.success and result.critical and result.margin < 0
    assert result.outcome_kind == "critical"


def test_natural_1_always_fails() -> None:
    result = check(ScriptedRng([1]), ability_score=30, dc=5, bonus=10)
    assert not result.success and result.fumble and result.margin > 0
    assert result.outcome_kind == "fumble"


def test_check_advantage_uses_higher_die() -> None:
    result = check(ScriptedRng([4, 15]), ability_score=10, dc=12, advantage=True, reason="x")
    assert result.natural == 15 and result.success
    assert result.roll.reason == "x" and result.roll.advantage
    dis = check(ScriptedRng([4, 15]), ability_score=10, dc=12, disadvantage=True)
    assert dis.natural == 4 and not dis.success


@given(
    st.integers(1, 30),
    st.integers(1, 35),
    st.integers(-5, 10),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2**32),
)
def test_check_properties(score: int, dc: int, bonus: int, adv: bool, dis: bool, seed: int) -> None:
    result = check(
        SeededRng(seed), ability_score=score, dc=dc, bonus=bonus, advantage=adv, disadvantage=dis
    )
    assert 1 <= result.natural <= 20
    assert result.total == result.natural + modifier(score) + bonus
    assert result.margin == result.total - dc
    if result.natural == 20:
        assert result.success
    elif result.natural == 1:
        assert not result.success
    else:
        assert result.success == (result.total >= dc)
    again = check(
        SeededRng(seed), ability_score=score, dc=dc, bonus=bonus, advantage=adv, disadvantage=dis
    )
    assert again == result


# ---------------------------------------------------------------- classification


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I search the altar", (Ability.WIS, 12, "search")),
        ("look carefully for a hidden door", (Ability.WIS, 12, "look for")),
        ("climbing the wall", (Ability.STR, 12, "climb")),
        ("Persuade the guard to let us pass", (Ability.CHA, 13, "persuade")),
        ("try to convince her", (Ability.CHA, 13, "convince")),
        ("pick the lock", (Ability.DEX, 14, "pick lock")),
        ("She picks the locks quietly", (Ability.DEX, 14, "pick lock")),
        ("sneak past the guards", (Ability.DEX, 12, "sneak")),
        ("hide behind the crates", (Ability.DEX, 12, "hide")),
        ("JUMP over the chasm!", (Ability.STR, 10, "jump")),
        ("recall what I know of dragons", (Ability.INT, 12, "recall")),
        ("intimidate the bandit", (Ability.CHA, 13, "intimidate")),
        ("swimming across the river", (Ability.STR, 12, "swim")),
        ("balance on the beam", (Ability.DEX, 12, "balance")),
        ("listen at the door", (Ability.WIS, 10, "listen")),
        ("remembered the song", (Ability.INT, 12, "remember")),
        ("he tries to persuade and then climbs", (Ability.CHA, 13, "persuade")),
        ("lift the hearthstone", (Ability.STR, 12, "lift")),
        ("push the door", (Ability.STR, 12, "push")),
        ("lifts the lid and climbs in", (Ability.STR, 12, "lift")),
        ("push the lid of the tomb aside", (Ability.STR, 12, "push")),  # a lid may be stone
    ],
)
def test_classify_action(text: str, expected: tuple[Ability, int, str]) -> None:
    assert classify_action(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "look around",
        "hello there",
        "",
        "pick up the sword",
        "lock the door",
        "12345 !!",
        # Played: "STR check 20 vs DC 12" to lift a candle from its sconce.
        "lifts the candle from its sconce and holds it high",
        "lift up the old candle",
        "push the bowl away",
        "lift my hand",
    ],
)
def test_classify_action_none(text: str) -> None:
    assert classify_action(text) is None


def test_classify_action_longer_phrase_wins_at_same_word() -> None:
    table = {"pick": (Ability.DEX, 10), "pick lock": (Ability.DEX, 14)}
    assert classify_action("pick the lock", table) == (Ability.DEX, 14, "pick lock")
    assert classify_action("pick a flower", table) == (Ability.DEX, 10, "pick")


def test_classify_action_gap_is_bounded() -> None:
    assert classify_action("pick up the old rusty lock") is None


def test_default_checks_are_sane() -> None:
    assert DEFAULT_CHECKS["climb"] == (Ability.STR, 12)
    assert DEFAULT_CHECKS["pick lock"] == (Ability.DEX, 14)
    for phrase, (ability, dc) in DEFAULT_CHECKS.items():
        assert phrase == phrase.lower().strip()
        assert isinstance(ability, Ability)
        assert 5 <= dc <= 30
        # every phrase classifies as itself
        assert classify_action(phrase) == (ability, dc, phrase)
    assert DIFFICULTY_DC["medium"] == 15
    with pytest.raises(TypeError):
        DEFAULT_CHECKS["climb"] = (Ability.DEX, 1)  # type: ignore[index]


@given(st.text(max_size=80))
def test_classify_action_never_raises(text: str) -> None:
    found = classify_action(text)
    assert found is None or found[2] in DEFAULT_CHECKS


# ---------------------------------------------------------------- levels and hit points


@pytest.mark.parametrize(
    ("xp", "level"), [(0, 1), (299, 1), (300, 2), (899, 2), (900, 3), (355_000, 20), (10**9, 20)]
)
def test_level_for_xp(xp: int, level: int) -> None:
    assert level_for_xp(xp) == level


def test_level_for_xp_custom_and_invalid() -> None:
    assert level_for_xp(15, (0, 10, 20)) == 2
    with pytest.raises(ValueError):
        level_for_xp(-1)
    with pytest.raises(ValueError):
        level_for_xp(5, ())
    with pytest.raises(ValueError):
        level_for_xp(5, (10, 20))
    with pytest.raises(ValueError):
        level_for_xp(5, (0, 20, 20))


@given(st.integers(0, 400_000), st.integers(0, 400_000))
def test_level_for_xp_monotonic(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert 1 <= level_for_xp(low) <= level_for_xp(high) <= len(XP_THRESHOLDS)
    level = level_for_xp(high)
    assert XP_THRESHOLDS[level - 1] <= high


def test_hit_points() -> None:
    assert HIT_DIE["fighter"] == 10
    assert first_level_hp(10, 16) == 13
    assert first_level_hp(6, 1) == 1  # d6 - 5 floors at 1
    assert max_hp_for_level(10, 14, 1) == 12
    assert max_hp_for_level(10, 14, 3) == 12 + 2 * 8
    gain = level_up_hp(ScriptedRng([4]), hit_die=8, con_score=14)
    assert gain.amount == 6 and gain.roll is not None and gain.roll.total == 4
    avg = level_up_hp(ScriptedRng([]), hit_die=8, con_score=14, average=True)
    assert avg.amount == 7 and avg.roll is None
    assert level_up_hp(ScriptedRng([1]), hit_die=6, con_score=3).amount == 1
    with pytest.raises(ValueError):
        first_level_hp(7, 10)
    with pytest.raises(ValueError):
        max_hp_for_level(10, 10, 0)


@given(st.sampled_from([6, 8, 10, 12]), st.integers(1, 30), st.integers(0, 2**32))
def test_level_up_hp_in_range(die: int, con: int, seed: int) -> None:
    gain = level_up_hp(SeededRng(seed), hit_die=die, con_score=con)
    assert max(1, 1 + modifier(con)) <= gain.amount <= max(1, die + modifier(con))


# ---------------------------------------------------------------- rests


def test_short_rest_spends_dice_and_caps_at_max() -> None:
    rest = short_rest(
        ScriptedRng([3, 6]), hp=2, max_hp=20, hit_die=10, hit_dice_left=3, con_score=14, spend=2
    )
    assert rest.hp == 2 + 5 + 8
    assert rest.healed == 13
    assert rest.hit_dice_left == 1
    assert [r.total for r in rest.rolls] == [3, 6]


def test_short_rest_stops_when_full() -> None:
    rest = short_rest(
        ScriptedRng([10]), hp=15, max_hp=20, hit_die=10, hit_dice_left=3, con_score=10, spend=3
    )
    assert rest.hp == 20 and rest.healed == 5
    assert rest.hit_dice_left == 2 and len(rest.rolls) == 1


def test_short_rest_limited_by_dice_left() -> None:
    rest = short_rest(
        ScriptedRng([1]), hp=1, max_hp=30, hit_die=8, hit_dice_left=1, con_score=10, spend=5
    )
    assert rest.hit_dice_left == 0 and len(rest.rolls) == 1 and rest.hp == 2
    none_left = short_rest(
        ScriptedRng([]), hp=1, max_hp=30, hit_die=8, hit_dice_left=0, con_score=10, spend=5
    )
    assert none_left.hp == 1 and none_left.rolls == ()


def test_short_rest_negative_con_never_hurts() -> None:
    rest = short_rest(
        ScriptedRng([1]), hp=5, max_hp=30, hit_die=8, hit_dice_left=2, con_score=3, spend=1
    )
    assert rest.hp == 5 and rest.healed == 0 and rest.hit_dice_left == 1


def test_short_rest_invalid() -> None:
    with pytest.raises(ValueError):
        short_rest(
            ScriptedRng([]), hp=5, max_hp=4, hit_die=8, hit_dice_left=1, con_score=10, spend=1
        )
    with pytest.raises(ValueError):
        short_rest(
            ScriptedRng([]), hp=1, max_hp=4, hit_die=8, hit_dice_left=1, con_score=10, spend=-1
        )


@given(
    st.integers(1, 60),
    st.integers(0, 60),
    st.integers(0, 10),
    st.integers(0, 10),
    st.integers(1, 30),
    st.integers(0, 2**32),
)
def test_short_rest_properties(
    max_hp: int, hp: int, left: int, spend: int, con: int, seed: int
) -> None:
    hp = min(hp, max_hp)
    rest = short_rest(
        SeededRng(seed),
        hp=hp,
        max_hp=max_hp,
        hit_die=8,
        hit_dice_left=left,
        con_score=con,
        spend=spend,
    )
    assert hp <= rest.hp <= max_hp
    assert rest.healed == rest.hp - hp
    assert rest.hit_dice_left == left - len(rest.rolls)
    assert len(rest.rolls) <= min(spend, left)


def test_long_rest() -> None:
    rest = long_rest(max_hp=30, hit_dice_left=0, hit_dice_max=5)
    assert rest.hp == 30 and rest.hit_dice_left == 2 and rest.regained_dice == 2
    one = long_rest(max_hp=10, hit_dice_left=0, hit_dice_max=1)
    assert one.hit_dice_left == 1
    full = long_rest(max_hp=10, hit_dice_left=4, hit_dice_max=4)
    assert full.hit_dice_left == 4 and full.regained_dice == 0
    with pytest.raises(ValueError):
        long_rest(max_hp=10, hit_dice_left=5, hit_dice_max=4)
