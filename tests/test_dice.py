"""Tests for mud.engine.dice: notation, limits, errors, rolling, and properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.rng import SeededRng
from mud.engine.dice import (
    MAX_DICE,
    MAX_SIDES,
    DiceError,
    DiceExpr,
    DiceTerm,
    max_total,
    min_total,
    notation_problem,
    parse,
    roll,
)


class ScriptedRng:
    """Returns the given values for randint in order; fails loudly if they run out."""

    def __init__(self, values: list[int]) -> None:
        self.values = list(values)
        self.calls: list[tuple[int, int]] = []

    def randint(self, a: int, b: int) -> int:
        self.calls.append((a, b))
        value = self.values.pop(0)
        assert a <= value <= b
        return value

    def random(self) -> float:
        raise AssertionError("dice must not call random()")

    def choice_index(self, n: int) -> int:
        raise AssertionError("dice must not call choice_index()")


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2d6+3", DiceExpr((DiceTerm(2, 6),), 3)),
        ("1d20-1", DiceExpr((DiceTerm(1, 20),), -1)),
        ("1d8+1d6+2", DiceExpr((DiceTerm(1, 8), DiceTerm(1, 6)), 2)),
        ("4d6kh3", DiceExpr((DiceTerm(4, 6, "kh", 3),))),
        ("2d20kl1", DiceExpr((DiceTerm(2, 20, "kl", 1),))),
        ("d20", DiceExpr((DiceTerm(1, 20),))),
        ("d%", DiceExpr((DiceTerm(1, 100),))),
        ("d100", DiceExpr((DiceTerm(1, 100),))),
        ("2D6 + 3", DiceExpr((DiceTerm(2, 6),), 3)),
        ("1d8-1d4", DiceExpr((DiceTerm(1, 8), DiceTerm(1, 4, sign=-1)))),
        ("-1d4+3", DiceExpr((DiceTerm(1, 4, sign=-1),), 3)),
        ("3+1d6-1", DiceExpr((DiceTerm(1, 6),), 2)),
        ("7", DiceExpr((), 7)),
        ("4D6KH3", DiceExpr((DiceTerm(4, 6, "kh", 3),))),
    ],
)
def test_parse_examples(text: str, expected: DiceExpr) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("d20", "1d20"), ("d%", "1d100"), ("3+1d6-1", "1d6+2"), ("2 d6", None), ("3-3", "0")],
)
def test_canonical_text(text: str, canonical: str | None) -> None:
    if canonical is None:
        with pytest.raises(DiceError):
            parse(text)
    else:
        assert str(parse(text)) == canonical


def test_error_message_and_pointer() -> None:
    with pytest.raises(DiceError) as info:
        parse("2d6+x")
    err = info.value
    assert str(err) == "2d6+x: unexpected 'x' at position 5"
    assert err.position == 5
    assert err.pointer() == "2d6+x\n    ^"


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 1, "empty"),
        ("   ", 4, "empty"),
        ("0d6", 1, "zero dice"),
        ("1d1", 3, "2 sides"),
        ("1d0", 3, "2 sides"),
        (f"1d{MAX_SIDES + 1}", 3, "too many sides"),
        (f"{MAX_DICE + 1}d6", 1, "too many dice"),
        (f"{MAX_DICE}d6+1d6", 7, "too many dice"),
        ("4d6kh5", 4, "keep"),
        ("4d6kh0", 4, "keep"),
        ("4d6kx3", 5, "unexpected 'x'"),
        ("4d6k", 5, "unexpected end"),
        ("2d6+", 5, "unexpected end"),
        ("2d", 3, "unexpected end"),
        ("d", 2, "unexpected end"),
        ("2d6 3", 5, "unexpected '3'"),
        ("99999999", 1, "too large"),
        ("10000+10000", 7, "too large"),
        ("1d20adv", 5, "unexpected 'a'"),
        ("2d6++3", 5, "unexpected '+'"),
        ("x" * 300, 201, "too long"),
    ],
)
def test_malformed(text: str, position: int, fragment: str) -> None:
    with pytest.raises(DiceError) as info:
        parse(text)
    assert info.value.position == position
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("1d6+", "it ends after '+'"),
        ("2d", "it ends after 'd'"),
        ("1d8+x", "'x' cannot follow '1d8+'"),
        ("1d6 3", "'3' cannot follow '1d6'"),
        ("x", "it cannot start with 'x'"),
        ("0d4", "zero dice"),
        ("4d6kh5", "can keep 1 to 4 dice, not 5"),
    ],
)
def test_a_packs_bad_dice_are_told_in_words_with_the_form(text: str, told: str) -> None:
    # Played: "bad dice '1d6+': 1d6+: unexpected end at position 5": the text twice, a
    # position to count to, and no word of how dice are written.
    assert notation_problem(text) == f"{told} (write dice like 1d6, 2d4+1, 1d8-1)"
    assert notation_problem("2d4+1") is None


def test_limits_at_the_edge_are_accepted() -> None:
    assert parse(f"{MAX_DICE}d{MAX_SIDES}").dice_count == MAX_DICE
    assert parse("50d6+50d4").dice_count == MAX_DICE


def test_hand_built_terms_are_validated() -> None:
    with pytest.raises(ValueError):
        DiceTerm(0, 6)
    with pytest.raises(ValueError):
        DiceTerm(2, 1)
    with pytest.raises(ValueError):
        DiceTerm(2, 6, "kh", 3)
    with pytest.raises(ValueError):
        DiceTerm(2, 6, sign=2)


# ---------------------------------------------------------------- rolling


def test_roll_and_describe() -> None:
    rng = ScriptedRng([4, 2])
    result = roll("2d6+3", rng)
    assert result.total == 9
    assert result.describe() == "2d6+3: [4, 2] +3 = 9"
    assert rng.calls == [(1, 6), (1, 6)]
    assert result.dice_json() == "[4, 2]"
    assert result.natural is None


def test_keep_highest_describe() -> None:
    result = roll("4d6kh3", ScriptedRng([6, 5, 1, 3]))
    assert result.total == 14
    assert result.describe() == "4d6kh3: [6, 5, (1), 3] = 14"


def test_keep_ties_drop_the_later_die() -> None:
    result = roll("3d6kl2", ScriptedRng([2, 5, 2]))
    assert result.terms[0].kept == (True, False, True)
    assert result.total == 4


def test_multi_term_describe_with_reason() -> None:
    result = roll("1d8-1d4+2", ScriptedRng([5, 3]), reason="spell")
    assert result.total == 4
    assert result.describe() == "1d8-1d4+2: [5] - [3] +2 = 4 (spell)"
    assert result.reason == "spell"


def test_line_is_the_roll_without_its_reason() -> None:
    """What commands show after "rolls for <reason>:" (never cut out of describe())."""
    result = roll("4d6kh3", ScriptedRng([1, 5, 6, 3]), reason="stats (again)")
    assert result.line() == "4d6kh3: [(1), 5, 6, 3] = 14"
    assert result.describe() == "4d6kh3: [(1), 5, 6, 3] = 14 (stats (again))"


def test_constant_only() -> None:
    result = roll("5", ScriptedRng([]))
    assert result.total == 5
    assert result.describe() == "5: 5 = 5"


def test_natural_d20() -> None:
    assert roll("1d20+5", ScriptedRng([17])).natural == 17
    assert roll("d20", ScriptedRng([1])).natural == 1
    assert roll("2d20", ScriptedRng([3, 4])).natural is None
    assert roll("1d20+1d4", ScriptedRng([3, 4])).natural is None


def test_advantage_keeps_highest_d20_and_records_it() -> None:
    result = roll("1d20+4", ScriptedRng([3, 18]), advantage=True, reason="attack")
    assert result.expr == "2d20kh1+4"
    assert result.natural == 18
    assert result.total == 22
    assert result.advantage and not result.disadvantage
    assert result.describe() == "2d20kh1+4: [(3), 18] +4 = 22 (attack)"


def test_disadvantage_keeps_lowest() -> None:
    result = roll("1d20", ScriptedRng([3, 18]), disadvantage=True)
    assert result.natural == 3
    assert result.expr == "2d20kl1"


def test_advantage_and_disadvantage_cancel() -> None:
    rng = ScriptedRng([11])
    result = roll("1d20", rng, advantage=True, disadvantage=True)
    assert result.expr == "1d20"
    assert len(rng.calls) == 1
    assert not result.advantage and not result.disadvantage


@pytest.mark.parametrize("text", ["2d6", "1d20+1d20", "-1d20", "2d20kh1"])
def test_advantage_needs_one_plain_d20(text: str) -> None:
    with pytest.raises(DiceError):
        roll(text, ScriptedRng([1, 1, 1]), advantage=True)


def test_min_max() -> None:
    assert (min_total("2d6+3"), max_total("2d6+3")) == (5, 15)
    assert (min_total("4d6kh3"), max_total("4d6kh3")) == (3, 18)
    assert (min_total("1d8-1d4"), max_total("1d8-1d4")) == (-3, 7)
    assert (min_total("d%"), max_total("d%")) == (1, 100)


def test_doubled_for_criticals() -> None:
    assert str(parse("1d8+3").doubled()) == "2d8+3"
    assert str(parse("4d6kh3-1d4").doubled()) == "8d6kh6-2d4"


# ---------------------------------------------------------------- properties

terms = st.builds(
    lambda count, sides, keep, extra, neg: DiceTerm(
        count,
        sides,
        keep,
        min(count, extra) if keep else 0,
        -1 if neg else 1,
    ),
    st.integers(1, 10),
    st.sampled_from([2, 3, 4, 6, 8, 10, 12, 20, 100, 1000]),
    st.sampled_from(["", "kh", "kl"]),
    st.integers(1, 10),
    st.booleans(),
)
exprs = st.builds(
    DiceExpr,
    st.lists(terms, max_size=5).map(tuple),
    st.integers(-1000, 1000),
)


@given(exprs, st.integers(0, 2**32))
def test_total_within_bounds(expr: DiceExpr, seed: int) -> None:
    result = roll(expr, SeededRng(seed))
    assert min_total(expr) <= result.total <= max_total(expr)


@given(exprs, st.integers(0, 2**32))
def test_kept_count_and_values(expr: DiceExpr, seed: int) -> None:
    result = roll(expr, SeededRng(seed))
    assert len(result.terms) == len(expr.terms)
    for term, rolled in zip(expr.terms, result.terms, strict=True):
        assert len(rolled.values) == term.count
        assert sum(rolled.kept) == term.kept_count
        assert all(1 <= v <= term.sides for v in rolled.values)
    assert result.total == sum(t.subtotal for t in result.terms) + expr.modifier
    assert json.loads(result.dice_json()) == [v for t in result.terms for v in t.values]


@given(
    st.integers(1, 12),
    st.sampled_from([4, 6, 8, 20]),
    st.integers(1, 12),
    st.integers(0, 2**32),
)
def test_keep_highest_keeps_the_largest(count: int, sides: int, n: int, seed: int) -> None:
    n = min(n, count)
    result = roll(DiceExpr((DiceTerm(count, sides, "kh", n),)), SeededRng(seed))
    values = result.terms[0].values
    kept = [v for v, k in zip(values, result.terms[0].kept, strict=True) if k]
    dropped = [v for v, k in zip(values, result.terms[0].kept, strict=True) if not k]
    assert sorted(kept, reverse=True) == sorted(values, reverse=True)[:n]
    assert not dropped or min(kept) >= max(dropped)
    assert result.total == sum(sorted(values, reverse=True)[:n])


@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32))
def test_keep_lowest_keeps_the_smallest(count: int, n: int, seed: int) -> None:
    n = min(n, count)
    result = roll(DiceExpr((DiceTerm(count, 6, "kl", n),)), SeededRng(seed))
    assert result.total == sum(sorted(result.terms[0].values)[:n])


@given(exprs, st.integers(0, 2**32))
def test_same_seed_same_result(expr: DiceExpr, seed: int) -> None:
    assert roll(expr, SeededRng(seed), reason="r") == roll(expr, SeededRng(seed), reason="r")


@given(exprs)
def test_round_trip(expr: DiceExpr) -> None:
    assert parse(str(expr)) == expr
    assert str(parse(str(expr))) == str(expr)


@given(st.text(max_size=40))
@settings(max_examples=400)
def test_arbitrary_text_parses_or_raises_dice_error(text: str) -> None:
    try:
        expr = parse(text)
    except DiceError as err:
        assert 1 <= err.position <= len(text) + 1
        _shown, caret = err.pointer().split("\n")
        assert len(caret) == err.position
        assert caret.endswith("^")
        assert "\n" not in str(err)
    else:
        assert parse(str(expr)) == expr


dice_alphabet = st.text(alphabet="0123456789dDkhl%+- \t", max_size=30)


@given(dice_alphabet)
@settings(max_examples=600)
def test_dice_like_text_parses_or_raises_dice_error(text: str) -> None:
    try:
        expr = parse(text)
    except DiceError as err:
        assert 1 <= err.position <= len(text) + 1
    else:
        assert expr.dice_count <= MAX_DICE
        assert parse(str(expr)) == expr
        assert min_total(expr) <= max_total(expr)
