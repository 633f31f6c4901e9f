"""Numeric expressions as linear combinations, so that `a - b > 0` and `b < a` are one quantity.

The static analysis compares numbers exactly when a comparison reads one number field against
constants. Any other numeric comparison (two fields, a ratio, a minimum) is about a quantity the
analysis treats as a number of its own: its linear form names it, up to a positive factor.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import attrs

from bilan.engine.expr import Binary as BinaryExpr
from bilan.engine.expr import Call, Comparator, Const, Expr, Ref

# A part of a linear form: ("field", name) for a number field, ("exact", expr) for a count the
# analysis computes exactly (`compte(...)` of exact conditions, `nombre(q)`), ("term", expr) for
# anything else (a ratio, a minimum, an indicator's value).
Key = tuple[str, object]


@attrs.frozen
class Linear:
    """`sum(coefficient * part) + constant`."""

    coefficients: tuple[tuple[Key, Fraction], ...]
    constant: Fraction

    @classmethod
    def of(cls, parts: dict[Key, Fraction], constant: Fraction) -> Linear:
        return cls(tuple(sorted(parts.items(), key=lambda kv: _order(kv[0]))), constant)

    @property
    def parts(self) -> dict[Key, Fraction]:
        return dict(self.coefficients)

    def plus(self, other: Linear, factor: Fraction = Fraction(1)) -> Linear:
        parts = self.parts
        for key, c in other.coefficients:
            parts[key] = parts.get(key, Fraction(0)) + factor * c
        return Linear.of(parts, self.constant + factor * other.constant)

    def scaled(self, factor: Fraction) -> Linear:
        return Linear.of({k: c * factor for k, c in self.coefficients}, self.constant * factor)


def _order(key: Key) -> tuple[str, str]:
    return key[0], repr(key[1])


class Linearizer:
    """Reads numeric expressions as linear forms, seeing through computed values.

    Args:
        numeric_field: whether a field holds a number.
        value_expr: the expression of a computed value.
        exact: whether a `compte(...)` or `nombre(...)` is computed exactly by the analysis.
    """

    def __init__(
        self,
        numeric_field: Callable[[str], bool],
        value_expr: Callable[[str], Expr],
        exact: Callable[[Call], bool],
    ) -> None:
        self.numeric_field = numeric_field
        self.value_expr = value_expr
        self.exact = exact
        self._values: dict[str, Linear] = {}

    def form(self, expr: Expr) -> Linear:
        match expr:
            case Const(value=Fraction() as v):
                return Linear((), v)
            case Ref(kind="field", name=name) if self.numeric_field(name):
                return Linear.of({("field", name): Fraction(1)}, Fraction(0))
            case Ref(kind="value", name=name):
                if name not in self._values:
                    self._values[name] = self.form(self.value_expr(name))
                return self._values[name]
            case BinaryExpr(op="+" | "-", left=a, right=b):
                return self.form(a).plus(self.form(b), Fraction(1 if expr.op == "+" else -1))
            case BinaryExpr(op="*", left=a, right=b):
                la, lb = self.form(a), self.form(b)
                if not la.coefficients:
                    return lb.scaled(la.constant)
                if not lb.coefficients:
                    return la.scaled(lb.constant)
            case BinaryExpr(op="/", left=a, right=b):
                lb = self.form(b)
                if not lb.coefficients and lb.constant != 0:
                    return self.form(a).scaled(1 / lb.constant)
            case Call(function="compte" | "nombre") if self.exact(expr):
                return Linear.of({("exact", expr): Fraction(1)}, Fraction(0))
        return Linear.of({("term", expr): Fraction(1)}, Fraction(0))


def normalized(op: Comparator, form: Linear) -> tuple[Comparator, tuple[tuple[Key, Fraction], ...], Fraction]:
    """`form op 0` as `quantity op' threshold`, the quantity scaled so its first coefficient is 1.

    Two comparisons of the same quantity (`a > b`, `b - a >= 0`) then name it the same way.
    """
    nonzero = [c for _, c in form.coefficients if c != 0]
    scale = abs(nonzero[0]) if nonzero else Fraction(1)
    if nonzero and nonzero[0] < 0:
        scale, op = -scale, _FLIPPED[op]
    coefficients = tuple((k, c / scale) for k, c in form.coefficients)
    return op, coefficients, -form.constant / scale


_FLIPPED: dict[Comparator, Comparator] = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
