"""Bounds of a formula from the bounds of what it reads (interval arithmetic), for `sur` of formulas.

A formula indicator (`valeur ...`, `selon les indicateurs concernés`) has no items to sum: its
declared maximum is checked as a bound that no formula can exceed, given the ranges of the
answers, values and indicators it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from bilan.engine.expr import Between, Binary, Call, Conditional, Const, Expr, Member, Ref, Unary
from bilan.engine.model import Campaign, Indicator, MultiChoiceType, NumberType

Bound = Fraction | None  # None: unbounded on that side
Interval = tuple[Bound, Bound]
UNBOUNDED: Interval = (None, None)


class Ranges:
    """Intervals of expressions of a campaign; `points` gives a points indicator's proven range."""

    def __init__(self, campaign: Campaign, points: Callable[[Indicator], Interval]) -> None:
        self.c = campaign
        self.points = points
        self._values: dict[str, Interval] = {}
        self._indicators: dict[str, Interval] = {}

    def indicator(self, ind: Indicator) -> Interval:
        if ind.code not in self._indicators:
            self._indicators[ind.code] = UNBOUNDED  # a cycle was reported before the analysis runs
            if ind.kind == "points":
                found = self.points(ind)
            else:
                formulas = [ind.formula] if ind.formula is not None else [c.formula for c in ind.cases]
                found = _hull([self.of(f) for f in formulas])
            self._indicators[ind.code] = found
        return self._indicators[ind.code]

    def of(self, expr: Expr) -> Interval:
        match expr:
            case Const(value=Fraction() as v):
                return v, v
            case Ref(kind="field", name=name):
                ftype = self.c.fields[name].type
                if isinstance(ftype, NumberType):
                    return ftype.minimum, ftype.upper
            case Ref(kind="value", name=name):
                if name not in self._values:
                    self._values[name] = UNBOUNDED
                    self._values[name] = self.of(self.c.values[name].expr)
                return self._values[name]
            case Ref(kind="indicator", name=name):
                return self.indicator(self.c.indicators[name])
            case Binary(op="+", left=a, right=b):
                return _add(self.of(a), self.of(b))
            case Binary(op="-", left=a, right=b):
                return _add(self.of(a), _negate(self.of(b)))
            case Binary(op="*", left=a, right=b):
                return _multiply(self.of(a), self.of(b))
            case Binary(op="/", left=a, right=b):
                return _divide(self.of(a), self.of(b))
            case Call(function="min" | "max", args=args):
                parts = [self.of(a) for a in args]
                pick = min if expr.function == "min" else max
                return _pick(pick, [p[0] for p in parts], low=True), _pick(pick, [p[1] for p in parts], low=False)
            case Call(function="compte", args=args):
                return Fraction(0), Fraction(len(args))
            case Call(function="nombre", args=(Ref(name=name),)):
                ftype = self.c.fields[name].type
                if isinstance(ftype, MultiChoiceType):
                    return Fraction(0), Fraction(len(ftype.choice.options))
            case Conditional(then=a, otherwise=b):
                return _hull([self.of(a), self.of(b)])
            case Unary() | Between() | Member():
                pass
        return UNBOUNDED


def _pick(pick: Callable[[list[Fraction]], Fraction], bounds: list[Bound], *, low: bool) -> Bound:
    """min/max of bounds where None is -inf (`low`) or +inf."""
    if None in bounds:
        infinite_wins = (pick is min) == low
        if infinite_wins:
            return None
        bounds = [b for b in bounds if b is not None]
    return pick([b for b in bounds if b is not None]) if bounds else None


def _hull(parts: list[Interval]) -> Interval:
    if not parts:
        return UNBOUNDED
    return _pick(min, [p[0] for p in parts], low=True), _pick(max, [p[1] for p in parts], low=False)


def _add(a: Interval, b: Interval) -> Interval:
    low = None if a[0] is None or b[0] is None else a[0] + b[0]
    high = None if a[1] is None or b[1] is None else a[1] + b[1]
    return low, high


def _negate(a: Interval) -> Interval:
    return (None if a[1] is None else -a[1]), (None if a[0] is None else -a[0])


def _multiply(a: Interval, b: Interval) -> Interval:
    if None in a or None in b:
        constant = a if a[0] is not None and a[0] == a[1] else b if b[0] is not None and b[0] == b[1] else None
        other = b if constant is a else a
        if constant is None or constant[0] is None:
            return UNBOUNDED
        c = constant[0]
        if c == 0:
            return Fraction(0), Fraction(0)
        scaled = (None if other[0] is None else other[0] * c), (None if other[1] is None else other[1] * c)
        return scaled if c > 0 else (scaled[1], scaled[0])
    assert a[0] is not None and a[1] is not None and b[0] is not None and b[1] is not None
    products = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return min(products), max(products)


def _divide(a: Interval, b: Interval) -> Interval:
    """Division by zero gives no value (engine/expr.py), so only divisors that exclude 0 bound it."""
    low, high = b
    if low is not None and high is not None and (low > 0 or high < 0):
        return _multiply(a, (1 / high, 1 / low))
    return UNBOUNDED
