"""Dice notation: parse, roll, describe.

Grammar (case-insensitive; spaces are allowed around ``+``/``-`` but not inside a term)::

    expr  := [sign] term (sign term)*
    sign  := '+' | '-'
    term  := number | dice
    dice  := [count] 'd' (sides | '%') [keep]
    keep  := ('kh' | 'kl') number

Examples: ``2d6+3``, ``1d20-1``, ``1d8+1d6+2``, ``4d6kh3``, ``2d20kl1``, ``d20`` (= ``1d20``),
``d%`` and ``d100`` (both ``1d100``), ``1d8-1d4``.

Advantage and disadvantage are keyword arguments of ``roll`` (not notation): they turn the
expression's single ``1d20`` term into ``2d20kh1`` / ``2d20kl1``, which is also how the
rolled expression is recorded. Both together cancel out (a plain ``1d20``), as in 5e.

Limits (checked by ``parse``): at most ``MAX_DICE`` dice in the whole expression, at most
``MAX_SIDES`` sides per die, numbers at most ``MAX_NUMBER``, text at most ``MAX_TEXT``
characters. Zero dice (``0d6``) and dice with fewer than two sides (``1d1``, ``1d0``) are
rejected, as is a keep count of 0 or more than the dice rolled.

Invariants:
- ``parse`` raises only ``DiceError`` for any input string.
- ``parse(str(e)) == e`` for every ``DiceExpr`` that ``parse`` returned (``str`` is canonical:
  dice terms in order, then the summed constant).
- ``min_total(e) <= roll(e, rng).total <= max_total(e)``.
- ``roll`` draws exactly one ``rng.randint(1, sides)`` per die, terms left to right, so a
  seed and an expression reproduce a roll exactly.
"""

from __future__ import annotations

import json
from typing import Literal

from attrs import field, frozen

from mud.core.rng import Rng

MAX_DICE = 100
MAX_SIDES = 1000
MAX_NUMBER = 10_000
MAX_TEXT = 200

KeepMode = Literal["", "kh", "kl"]

_DIGITS = frozenset("0123456789")


class DiceError(ValueError):
    """A dice expression is malformed or outside the limits.

    ``position`` is 1-based (the column of the offending character in ``expr``).
    ``str(err)`` reads like ``"2d6+x: unexpected 'x' at position 5"``; ``pointer()``
    returns the expression with a caret line under the offending column.
    """

    def __init__(self, message: str, position: int, expr: str = "") -> None:
        self.message = message
        self.position = position
        self.expr = expr
        # Player-typed text: unprintable characters become '?' one for one, so the message
        # stays on one line and the caret still lines up.
        self.shown = "".join(c if c.isprintable() else "?" for c in expr)
        prefix = f"{self.shown}: " if expr else ""
        super().__init__(f"{prefix}{message} at position {position}")

    def pointer(self) -> str:
        """Two lines: the expression (unprintables as ``?``), then a caret under the column."""
        return f"{self.shown}\n{' ' * (self.position - 1)}^"


@frozen
class DiceTerm:
    """``count`` dice of ``sides`` sides, keeping ``keep_n`` by ``keep`` (``""`` keeps all),
    added (``sign`` 1) or subtracted (``sign`` -1)."""

    count: int
    sides: int
    keep: KeepMode = ""
    keep_n: int = 0
    sign: int = 1

    def __attrs_post_init__(self) -> None:
        # Guards hand-built terms (parse already enforces these and the size limits).
        if self.count < 1 or self.sides < 2 or self.sign not in (1, -1):
            raise ValueError(f"bad dice term {self.count}d{self.sides} sign {self.sign}")
        if self.keep and not 1 <= self.keep_n <= self.count:
            raise ValueError(f"bad keep {self.keep}{self.keep_n} for {self.count} dice")
        if not self.keep and self.keep_n:
            raise ValueError("keep_n without a keep mode")

    @property
    def kept_count(self) -> int:
        """How many dice count towards the total."""
        return self.keep_n if self.keep else self.count

    def __str__(self) -> str:
        keep = f"{self.keep}{self.keep_n}" if self.keep else ""
        return f"{self.count}d{self.sides}{keep}"


@frozen
class DiceExpr:
    """A parsed expression: dice terms in written order plus the sum of constant terms."""

    terms: tuple[DiceTerm, ...]
    modifier: int = 0

    @property
    def dice_count(self) -> int:
        """Total number of dice rolled."""
        return sum(t.count for t in self.terms)

    def __str__(self) -> str:
        parts: list[str] = []
        for i, term in enumerate(self.terms):
            if term.sign < 0:
                parts.append(f"-{term}")
            else:
                parts.append(f"+{term}" if i else str(term))
        if self.modifier or not self.terms:
            if parts:
                parts.append(f"{self.modifier:+d}")
            else:
                parts.append(str(self.modifier))
        return "".join(parts)

    def doubled(self) -> DiceExpr:
        """The same expression with every term's dice (and kept dice) doubled: critical
        damage. May exceed ``MAX_DICE``; it is rolled, never re-parsed."""
        return DiceExpr(
            tuple(DiceTerm(t.count * 2, t.sides, t.keep, t.keep_n * 2, t.sign) for t in self.terms),
            self.modifier,
        )


class _Parser:
    """A single-pass scanner over ``text``; ``i`` is a 0-based index."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def error(self, message: str, index: int | None = None) -> DiceError:
        at = self.i if index is None else index
        return DiceError(message, at + 1, self.text)

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t"):
            self.i += 1

    def unexpected(self) -> DiceError:
        ch = self.peek()
        if not ch:
            return self.error("unexpected end")
        return self.error(f"unexpected {ch!r}")

    def number(self) -> int | None:
        start = self.i
        while self.peek() in _DIGITS:
            self.i += 1
            if self.i - start > 6:
                raise self.error(f"number too large (max {MAX_NUMBER})", start)
        if self.i == start:
            return None
        value = int(self.text[start : self.i])
        if value > MAX_NUMBER:
            raise self.error(f"number too large (max {MAX_NUMBER})", start)
        return value

    def term(self, sign: int) -> DiceTerm | int:
        start = self.i
        count = self.number()
        if self.peek() not in ("d", "D"):
            if count is None:
                raise self.unexpected()
            return sign * count
        self.i += 1
        if count is None:
            count = 1
        if count == 0:
            raise self.error("zero dice", start)
        if self.peek() == "%":
            self.i += 1
            sides = 100
        else:
            sides_at = self.i
            parsed = self.number()
            if parsed is None:
                raise self.unexpected()
            sides = parsed
            if sides < 2:
                raise self.error("a die needs at least 2 sides", sides_at)
            if sides > MAX_SIDES:
                raise self.error(f"too many sides (max {MAX_SIDES})", sides_at)
        keep: KeepMode = ""
        keep_n = 0
        if self.peek() in ("k", "K"):
            keep_at = self.i
            self.i += 1
            mode = self.peek().lower() if self.peek() in ("h", "H", "l", "L") else ""
            if not mode:
                raise self.unexpected()
            self.i += 1
            keep = "kh" if mode == "h" else "kl"
            n = self.number()
            if n is None:
                raise self.unexpected()
            if n < 1 or n > count:
                raise self.error(f"can keep 1 to {count} dice, not {n}", keep_at)
            keep_n = n
        return DiceTerm(count, sides, keep, keep_n, sign)

    def expr(self) -> DiceExpr:
        if len(self.text) > MAX_TEXT:
            raise self.error(f"expression too long (max {MAX_TEXT} characters)", MAX_TEXT)
        terms: list[DiceTerm] = []
        modifier = 0
        dice = 0
        self.skip_spaces()
        if not self.peek():
            raise self.error("empty expression")
        sign = 1
        if self.peek() in ("+", "-"):
            sign = -1 if self.peek() == "-" else 1
            self.i += 1
            self.skip_spaces()
        while True:
            start = self.i
            term = self.term(sign)
            if isinstance(term, DiceTerm):
                dice += term.count
                if dice > MAX_DICE:
                    raise self.error(f"too many dice (max {MAX_DICE})", start)
                terms.append(term)
            else:
                modifier += term
                if abs(modifier) > MAX_NUMBER:
                    raise self.error(f"constant too large (max {MAX_NUMBER})", start)
            self.skip_spaces()
            ch = self.peek()
            if not ch:
                break
            if ch not in ("+", "-"):
                raise self.unexpected()
            sign = -1 if ch == "-" else 1
            self.i += 1
            self.skip_spaces()
        return DiceExpr(tuple(terms), modifier)


def parse(text: str) -> DiceExpr:
    """Parse dice notation (see the module docstring). Raises ``DiceError`` and nothing else."""
    return _Parser(text).expr()


@frozen
class TermRoll:
    """One dice term as rolled: every value in draw order and whether each was kept."""

    term: DiceTerm
    values: tuple[int, ...]
    kept: tuple[bool, ...]

    @property
    def subtotal(self) -> int:
        """Signed sum of the kept dice."""
        return self.term.sign * sum(v for v, k in zip(self.values, self.kept, strict=True) if k)

    def describe(self) -> str:
        """``[6, 5, 3, (1)]``: dropped dice in parentheses."""
        shown = (str(v) if k else f"({v})" for v, k in zip(self.values, self.kept, strict=True))
        return "[" + ", ".join(shown) + "]"


@frozen
class RollResult:
    """A finished roll, enough to log and replay it.

    ``expr`` is the canonical text of what was actually rolled (with advantage applied, so
    ``1d20+4`` rolled with advantage is recorded as ``2d20kh1+4``). ``natural`` is the kept
    d20 when the expression has exactly one dice term and it is a d20 keeping one die (for
    criticals), else None.
    """

    expr: str
    terms: tuple[TermRoll, ...]
    modifier: int
    total: int
    natural: int | None = None
    reason: str = ""
    advantage: bool = False
    disadvantage: bool = False
    values: tuple[int, ...] = field(init=False)

    @values.default
    def _all_values(self) -> tuple[int, ...]:
        return tuple(v for t in self.terms for v in t.values)

    def describe(self) -> str:
        """``line()`` with `` (reason)`` appended when there is one."""
        line = self.line()
        return f"{line} ({self.reason})" if self.reason else line

    def line(self) -> str:
        """A compact line without the reason: ``2d6+3: [4, 2] +3 = 9``,
        ``4d6kh3: [6, 5, 3, (1)] = 14`` (dropped dice in parentheses)."""
        parts: list[str] = []
        for i, t in enumerate(self.terms):
            if t.term.sign < 0:
                parts.append(f"- {t.describe()}" if i else f"-{t.describe()}")
            else:
                parts.append(f"+ {t.describe()}" if i else t.describe())
        if self.modifier or not self.terms:
            parts.append(f"{self.modifier:+d}" if parts else str(self.modifier))
        return f"{self.expr}: {' '.join(parts)} = {self.total}"

    def dice_json(self) -> str:
        """Every die in draw order as JSON text (``"[4, 2]"``), for ``LogRoll.dice``."""
        return json.dumps(list(self.values))


def _with_advantage(expr: DiceExpr, mode: KeepMode) -> DiceExpr:
    d20s = [i for i, t in enumerate(expr.terms) if t.sides == 20 and t.count == 1 and not t.keep]
    if len(d20s) != 1 or expr.terms[d20s[0]].sign < 0:
        raise DiceError("advantage/disadvantage needs exactly one +1d20 term", 1, str(expr))
    i = d20s[0]
    terms = list(expr.terms)
    terms[i] = DiceTerm(2, 20, mode, 1, 1)
    return DiceExpr(tuple(terms), expr.modifier)


def _kept_flags(values: list[int], term: DiceTerm) -> tuple[bool, ...]:
    if not term.keep:
        return (True,) * len(values)
    # Ties are broken by draw order (earlier die kept first) so the record is deterministic.
    if term.keep == "kh":
        order = sorted(range(len(values)), key=lambda j: (-values[j], j))
    else:
        order = sorted(range(len(values)), key=lambda j: (values[j], j))
    keep = set(order[: term.keep_n])
    return tuple(j in keep for j in range(len(values)))


def roll(
    expr: DiceExpr | str,
    rng: Rng,
    *,
    reason: str = "",
    advantage: bool = False,
    disadvantage: bool = False,
) -> RollResult:
    """Roll ``expr`` with ``rng``. Called by rules, combat and command handlers.

    ``advantage``/``disadvantage`` apply to the expression's single ``+1d20`` term (see the
    module docstring); both together cancel. Raises ``DiceError`` if ``expr`` is a string
    that does not parse, or if advantage is asked for without exactly one ``+1d20`` term.
    """
    parsed = parse(expr) if isinstance(expr, str) else expr
    adv = advantage and not disadvantage
    dis = disadvantage and not advantage
    if adv or dis:
        parsed = _with_advantage(parsed, "kh" if adv else "kl")
    rolled: list[TermRoll] = []
    for term in parsed.terms:
        values = [rng.randint(1, term.sides) for _ in range(term.count)]
        rolled.append(TermRoll(term, tuple(values), _kept_flags(values, term)))
    total = sum(t.subtotal for t in rolled) + parsed.modifier
    natural: int | None = None
    only = rolled[0] if len(rolled) == 1 else None
    if only is not None and (only.term.sides, only.term.kept_count, only.term.sign) == (20, 1, 1):
        natural = next(v for v, k in zip(only.values, only.kept, strict=True) if k)
    return RollResult(
        expr=str(parsed),
        terms=tuple(rolled),
        modifier=parsed.modifier,
        total=total,
        natural=natural,
        reason=reason,
        advantage=adv,
        disadvantage=dis,
    )


def _term_bounds(term: DiceTerm) -> tuple[int, int]:
    low, high = term.kept_count, term.kept_count * term.sides
    return (low, high) if term.sign > 0 else (-high, -low)


def min_total(expr: DiceExpr | str) -> int:
    """The smallest total ``expr`` can roll. Raises ``DiceError`` for a bad string."""
    parsed = parse(expr) if isinstance(expr, str) else expr
    return parsed.modifier + sum(_term_bounds(t)[0] for t in parsed.terms)


def max_total(expr: DiceExpr | str) -> int:
    """The largest total ``expr`` can roll. Raises ``DiceError`` for a bad string."""
    parsed = parse(expr) if isinstance(expr, str) else expr
    return parsed.modifier + sum(_term_bounds(t)[1] for t in parsed.terms)


NOTATION_FORM = "write dice like 1d6, 2d4+1, 1d8-1"
"""How dice are written, told after what is wrong with a pack's dice."""


def average(expr: DiceExpr | str) -> float:
    """The middle of a dice expression's range (``1d8+3`` -> 7.5): how hard a blow lands
    on the average, for ``consider`` and for setting one weapon against another."""
    return (min_total(expr) + max_total(expr)) / 2


def notation_problem(text: str) -> str | None:
    """None when ``text`` is valid dice notation, else a one-line reason for a builder
    (``mud check``), which quotes ``text`` itself: what is wrong, in words rather than a
    position, then how dice are written ("it ends after '+' (write dice like 1d6, ...)").
    """
    try:
        parse(text)
    except DiceError as exc:
        return f"{_told(exc)} ({NOTATION_FORM})"
    return None


def _told(exc: DiceError) -> str:
    """What ``exc`` says is wrong, told by what comes before it: a character that does
    not belong ("'x' cannot follow '1d8+'"), an end too soon ("it ends after '+'"); its
    own words for the rest ("zero dice", "a die needs at least 2 sides")."""
    before = exc.shown[: exc.position - 1].strip()
    if exc.message == "unexpected end" and before:
        return f"it ends after '{before[-1]}'"
    if exc.message.startswith("unexpected "):
        char = exc.message.removeprefix("unexpected ")
        return f"{char} cannot follow '{before}'" if before else f"it cannot start with {char}"
    return exc.message
