"""Campaign expressions written out as Python expression text, with the semantics of expr.py.

The text only ever names variables the caller chose (`f3`, `w1`, ...), temporaries (`_7`) and
constants (`k0`, `k1`: objects put in the generated function's globals), so nothing of a
campaign's names or texts becomes code. Absence follows engine/expr.py exactly: a comparison with
an absent side is False, arithmetic with one is absent, `non` of absent is True, `et`/`ou` take
absent as False, a division by zero is absent, `min`/`max` skip absent operands.

Numbers stay exact but whole numbers are Python ints inside the generated code (the caller
turns whole answers into ints, whole constants are written as ints): int arithmetic and
comparisons run in C, ten times faster than Fraction's; a division always goes through Fraction.
Whatever leaves the generated code as a number is turned back into a Fraction (`as_fraction`).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from bilan.engine.expr import (
    COMPARISONS,
    Between,
    Binary,
    Call,
    Conditional,
    Const,
    Expr,
    Member,
    Ref,
    Unary,
    Value,
)

_NESTING = 12  # past this many levels a sub-expression is hoisted into a statement of its own

_PYTHON_OP = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _extremum(pick: Callable[[list[Any]], Value]) -> Callable[[tuple[Value, ...]], Value]:
    def extremum(values: tuple[Value, ...]) -> Value:
        present = [v for v in values if v is not None]
        return pick(present) if present else None

    return extremum


def as_fraction(value: Value) -> Value:
    """A number computed by the generated code as the engine's Fraction (None stays absent)."""
    return Fraction(value) if type(value) is int else value


def whole_as_int(value: Value) -> Value:
    """A number answer as the generated code holds it: an int when it is whole."""
    return value.numerator if isinstance(value, Fraction) and value.denominator == 1 else value


RUNTIME: dict[str, object] = {"F": Fraction, "MIN": _extremum(min), "MAX": _extremum(max), "TOF": as_fraction}


class Written:
    """A piece of generated expression: its text, how deeply it nests, whether it is a bool or
    a number (known from the expression alone)."""

    __slots__ = ("boolean", "level", "number", "text")

    def __init__(self, text: str, level: int = 0, boolean: bool = False, number: bool = False) -> None:
        self.text, self.level, self.boolean, self.number = text, level, boolean, number


class ExprWriter:
    """Writes expressions; `statements` collects the hoisted sub-expressions to run first.

    `variable(kind, name)` names the variable holding a reference: kind is field, value,
    indicator (its value when it is computed) or concerned; `is_number(kind, name)` says whether
    a field or value holds a number.
    """

    def __init__(
        self, variable: Callable[[str, str], str], is_number: Callable[[str, str], bool], constants: dict[str, object]
    ) -> None:
        self.variable = variable
        self.is_number = is_number
        self.constants = constants
        self.statements: list[str] = []
        self._known: dict[tuple[type, object], str] = {}
        self._temps = 0

    def const(self, value: object) -> str:
        """A constant's global name; equal values of one type share it (1 and Fraction(1) do not)."""
        key = (type(value), value)
        name = self._known.get(key)
        if name is None:
            name = self._known[key] = f"k{len(self._known)}"
            self.constants[name] = value
        return name

    def temp(self) -> str:
        self._temps += 1
        return f"_{self._temps}"

    def condition(self, expr: Expr) -> str:
        """Text that is True exactly when the condition holds (never None)."""
        return self._test(self._expr(expr))

    def value(self, expr: Expr) -> Written:
        return self._expr(expr)

    # ------------------------------------------------------------------ helpers

    def _test(self, part: Written) -> str:
        return part.text if part.boolean else f"({part.text} is True)"

    def _sub(self, expr: Expr) -> Written:
        part = self._expr(expr)
        if part.level < _NESTING:
            return part
        name = self.temp()
        self.statements.append(f"{name} = {part.text}")
        return Written(name, 0, part.boolean, part.number)

    def _expr(self, expr: Expr) -> Written:
        match expr:
            case Const(value=Fraction() as v):
                return Written(self.const(whole_as_int(v)), 0, number=True)
            case Const(value=v):
                return Written(self.const(v), 0, isinstance(v, bool))
            case Ref(name=name, kind="field" | "value" | "indicator" as kind):
                return Written(self.variable(kind, name), number=kind == "indicator" or self.is_number(kind, name))
            case Unary(operand=o):
                a = self._sub(o)
                return Written(f"(not {a.text})" if a.boolean else f"({a.text} is not True)", a.level + 1, True)
            case Binary(op="et" | "ou" as op, left=left, right=right):
                a, b = self._sub(left), self._sub(right)
                joint = " and " if op == "et" else " or "
                return Written(f"({self._test(a)}{joint}{self._test(b)})", max(a.level, b.level) + 1, True)
            case Binary(op="contient", left=left, right=right):
                a, b = self._sub(left), self._sub(right)
                t = self.temp()
                return Written(f"(({t} := {a.text}) is not None and {b.text} in {t})", max(a.level, b.level) + 1, True)
            case Binary(op=op, left=left, right=right) if op in COMPARISONS:
                return self._compare(op, self._sub(left), self._sub(right))
            case Binary(op=op, left=left, right=right):
                return self._arithmetic(op, self._sub(left), self._sub(right))
            case Between(operand=o, low=lo, high=hi):
                tested, low, high = self._sub(o), self._sub(lo), self._sub(hi)
                tv, tl, th = self.temp(), self.temp(), self.temp()
                text = (
                    f"(({tv} := {tested.text}) is not None and ({tl} := {low.text}) is not None and {tv} >= {tl}"
                    f" and ({th} := {high.text}) is not None and {tv} <= {th})"
                )
                return Written(text, max(tested.level, low.level, high.level) + 1, True)
            case Member(operand=o, choices=choices):
                tested = self._sub(o)
                options = [self._sub(c) for c in choices]
                t = self.temp()
                alternatives = " or ".join(f"{t} == {c.text}" for c in options) or "False"
                level = max([tested.level, *(c.level for c in options)]) + 1
                return Written(f"(({t} := {tested.text}) is not None and ({alternatives}))", level, True)
            case Conditional(test=test, then=then, otherwise=otherwise):
                c, a, b = self._sub(test), self._sub(then), self._sub(otherwise)
                text = f"({a.text} if {self._test(c)} else {b.text})"
                return Written(text, max(c.level, a.level, b.level) + 1, number=a.number or b.number)
            case Call(function=function, args=args):
                return self._call(function, args)
        raise TypeError(f"expression non compilable : {expr!r}")  # the compiler resolves every name

    def _compare(self, op: str, a: Written, b: Written) -> Written:
        level = max(a.level, b.level) + 1
        python = _PYTHON_OP[op]
        if op == "=" and (a.text in self.constants or b.text in self.constants):
            return Written(f"({a.text} == {b.text})", level, True)  # absent == constant is already False
        ta, tb = self.temp(), self.temp()
        text = f"(({ta} := {a.text}) is not None and ({tb} := {b.text}) is not None and {ta} {python} {tb})"
        return Written(text, level, True)

    def _arithmetic(self, op: str, a: Written, b: Written) -> Written:
        ta, tb = self.temp(), self.temp()
        absent = f"({ta} := {a.text}) is None or ({tb} := {b.text}) is None"
        if op == "/":
            text = f"(None if {absent} or {tb} == 0 else F({ta}) / {tb})"
        else:
            text = f"(None if {absent} else {ta} {op} {tb})"
        return Written(text, max(a.level, b.level) + 1, number=True)

    def _call(self, function: str, args: tuple[Expr, ...]) -> Written:
        if function in ("present", "concerne", "repondu"):
            ref = args[0]
            assert isinstance(ref, Ref)  # the type checker allows only a name here
            if function == "present":
                return Written(f"({self.const(ref.name)} in B)", 1, True)
            if function == "concerne":
                return Written(self.variable("concerned", ref.name), 0, True)
            return Written(f"({self.variable('field', ref.name)} is not None)", 1, True)
        parts = [self._sub(a) for a in args]
        level = max(p.level for p in parts) + 1
        if function == "compte":
            return Written(f"(0 + {' + '.join(self._test(p) for p in parts)})", level, number=True)
        if function == "nombre":
            t = self.temp()
            return Written(f"(None if ({t} := {parts[0].text}) is None else len({t}))", level, number=True)
        helper = "MIN" if function == "min" else "MAX"
        return Written(f"{helper}(({''.join(p.text + ', ' for p in parts)}))", level, number=True)
