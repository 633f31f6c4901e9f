"""Expression trees of the campaign model, and their compilation to Python closures.

Values are exact: numbers are `Fraction`s (so a score equal to a class limit lands in the upper
class), choice answers are their option code (`str` or `int`), multiple choices are frozensets,
conditions are `bool`. `None` is an absent value: an unanswered or hidden question, a missing
data block, a division by zero.

How absence propagates (written down once, like cel-python's evaluation notes):
- arithmetic with an absent operand is absent;
- a comparison with an absent operand is False (an unanswered question never satisfies a rule);
- `non` of an absent condition is True, `et`/`ou` treat absent as False;
- `compte(...)` counts the conditions that are True; `nombre(x)` of an absent set is absent;
- `min`/`max` ignore absent operands (absent if all are).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from typing import Literal, TypeGuard

import attrs

from bilan.common.source import Span

Value = Fraction | str | int | frozenset[str | int] | bool | None
Evaluator = Callable[["Context"], Value]
# What a name refers to, once resolved (`quantity`: a free number of the static analysis)
RefKind = Literal["unresolved", "field", "value", "indicator", "data", "symbol", "quantity", "concerned"]
Comparator = Literal["=", "!=", "<", "<=", ">", ">="]
BinaryOp = Literal["+", "-", "*", "/", "et", "ou", "contient"] | Comparator


class Context:
    """What an expression reads: resolved references, looked up lazily by the engine.

    `lookup(kind, name)` serves every kind; `field` is the hot path, called directly.
    """

    def __init__(self, lookup: Callable[[str, str], Value], field: Callable[[str], Value] | None = None) -> None:
        self.lookup = lookup
        self.field: Callable[[str], Value] = field or (lambda name: lookup("field", name))


@attrs.frozen
class Const:
    value: Value
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Ref:
    """A name; `kind` is set by the compiler: field, value, indicator, data, symbol."""

    name: str
    kind: RefKind = "unresolved"
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Unary:
    op: Literal["non"]
    operand: Expr
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Binary:
    op: BinaryOp
    left: Expr
    right: Expr
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Between:
    operand: Expr
    low: Expr
    high: Expr
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Member:
    operand: Expr
    choices: tuple[Expr, ...]
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Call:
    function: str  # checked by the compiler against FUNCTIONS (an unknown name is reported there)
    args: tuple[Expr, ...]
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Conditional:
    test: Expr
    then: Expr
    otherwise: Expr
    span: Span | None = attrs.field(default=None, eq=False)


Expr = Const | Ref | Unary | Binary | Between | Member | Call | Conditional

COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}


def is_comparator(op: str) -> TypeGuard[Comparator]:
    return op in COMPARISONS


FUNCTIONS = {"min", "max", "compte", "nombre", "present", "concerne", "repondu"}


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions, for walks that do not care about the node kind."""
    match expr:
        case Unary(operand=o):
            return (o,)
        case Binary(left=a, right=b):
            return (a, b)
        case Between(operand=o, low=lo, high=hi):
            return (o, lo, hi)
        case Member(operand=o, choices=cs):
            return (o, *cs)
        case Call(args=args):
            return args
        case Conditional(test=t, then=a, otherwise=b):
            return (t, a, b)
    return ()


def references(expr: Expr) -> set[tuple[str, str]]:
    """Every (kind, name) the expression reads, including names inside function calls."""
    found: set[tuple[str, str]] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            found.add((node.kind, node.name))
        stack.extend(children(node))
    return found


Number = Fraction | int  # what ordering and arithmetic apply to (the type checker ensures it)


def _compare(op: str, a: Value, b: Value) -> bool:
    if a is None or b is None:
        return False
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if not (isinstance(a, Number) and isinstance(b, Number)):
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _arith(op: str, a: Value, b: Value) -> Value:
    if not (isinstance(a, Number) and isinstance(b, Number)):
        return None  # an absent operand (a number is all the type checker lets through)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else Fraction(a) / b


def compile_expr(expr: Expr) -> Evaluator:
    """Turn a resolved expression into a closure; the engine calls it with a Context."""
    match expr:
        case Const(value=v):
            return lambda ctx: v
        case Ref(name=name, kind="field"):
            return lambda ctx: ctx.field(name)
        case Ref(name=name, kind=kind):
            return lambda ctx: ctx.lookup(kind, name)
        case Unary(operand=o):
            f = compile_expr(o)
            return lambda ctx: f(ctx) is not True
        case Binary(op="et", left=a, right=b):
            fa, fb = compile_expr(a), compile_expr(b)
            return lambda ctx: fa(ctx) is True and fb(ctx) is True
        case Binary(op="ou", left=a, right=b):
            fa, fb = compile_expr(a), compile_expr(b)
            return lambda ctx: fa(ctx) is True or fb(ctx) is True
        case Binary(op="contient", left=a, right=b):
            fa, fb = compile_expr(a), compile_expr(b)

            def contains(ctx: Context) -> bool:
                whole, part = fa(ctx), fb(ctx)
                return isinstance(whole, frozenset) and isinstance(part, str | int) and part in whole

            return contains
        case Binary(op=op, left=a, right=b) if op in COMPARISONS:
            fa, fb = compile_expr(a), compile_expr(b)
            return lambda ctx: _compare(op, fa(ctx), fb(ctx))
        case Binary(op=op, left=a, right=b):
            fa, fb = compile_expr(a), compile_expr(b)
            return lambda ctx: _arith(op, fa(ctx), fb(ctx))
        case Between(operand=o, low=lo, high=hi):
            fo, flo, fhi = compile_expr(o), compile_expr(lo), compile_expr(hi)

            def between(ctx: Context) -> bool:
                v = fo(ctx)
                return _compare(">=", v, flo(ctx)) and _compare("<=", v, fhi(ctx))

            return between
        case Member(operand=o, choices=cs):
            fo = compile_expr(o)
            fcs = [compile_expr(c) for c in cs]

            def member(ctx: Context) -> bool:
                v = fo(ctx)
                return v is not None and any(v == fc(ctx) for fc in fcs)

            return member
        case Conditional(test=t, then=a, otherwise=b):
            ft, fa, fb = compile_expr(t), compile_expr(a), compile_expr(b)
            return lambda ctx: fa(ctx) if ft(ctx) is True else fb(ctx)
        case Call(function=name, args=args):
            return _compile_call(name, args)
    raise TypeError(f"not an expression: {expr!r}")  # pragma: no cover - the compiler only builds Exprs


def _compile_call(name: str, args: tuple[Expr, ...]) -> Evaluator:
    if name in ("present", "concerne", "repondu"):
        ref = args[0]
        assert isinstance(ref, Ref)
        kind = {"present": "present", "concerne": "concerned", "repondu": "answered"}[name]
        return lambda ctx: ctx.lookup(kind, ref.name)
    fs = [compile_expr(a) for a in args]
    if name == "compte":
        return lambda ctx: Fraction(sum(1 for f in fs if f(ctx) is True))
    if name == "nombre":
        f = fs[0]

        def count(ctx: Context) -> Value:
            v = f(ctx)
            return Fraction(len(v)) if isinstance(v, frozenset) else None

        return count

    pick = min if name == "min" else max

    def extremum(ctx: Context) -> Value:
        values = [v for v in (f(ctx) for f in fs) if v is not None]
        return pick(values) if values else None

    return extremum


def render(expr: Expr) -> str:
    """Source-like text of an expression, for explanations and the paper form."""
    match expr:
        case Const(value=v):
            return format_value(v)
        case Ref(name=n):
            return n
        case Unary(operand=o):
            return f"non {_paren(o)}"
        case Binary(op=op, left=a, right=b):
            return f"{_paren(a)} {op} {_paren(b)}"
        case Between(operand=o, low=lo, high=hi):
            return f"{render(o)} entre {render(lo)} et {render(hi)}"
        case Member(operand=o, choices=cs):
            return f"{render(o)} dans ({', '.join(render(c) for c in cs)})"
        case Call(function=f, args=args):
            return f"{f}({', '.join(render(a) for a in args)})"
        case Conditional(test=t, then=a, otherwise=b):
            return f"si {render(t)} alors {render(a)} sinon {render(b)}"
    return "?"  # pragma: no cover


def _paren(expr: Expr) -> str:
    text = render(expr)
    return f"({text})" if isinstance(expr, Binary) and expr.op in ("et", "ou") else text


def format_value(v: Value) -> str:
    """A value as a French reader writes it: decimal comma, no trailing zeros."""
    if isinstance(v, bool):
        return "vrai" if v else "faux"
    if isinstance(v, Fraction):
        return format_number(v)
    if isinstance(v, frozenset):
        return ", ".join(sorted(str(x) for x in v))
    return str(v)


def format_number(v: Fraction, places: int = 2) -> str:
    """Round half up to `places` decimals, print with a decimal comma and no trailing zeros."""
    return _format_number(v.numerator, v.denominator, places)


@lru_cache(maxsize=8192)
def _format_number(numerator: int, denominator: int, places: int) -> str:
    scaled = Fraction(numerator, denominator) * 10**places
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    sign = "-" if rounded < 0 else ""
    rounded = abs(rounded)
    whole, frac = divmod(rounded, 10**places)
    if places == 0 or frac == 0:
        return f"{sign}{whole}"
    digits = f"{frac:0{places}d}".rstrip("0")
    return f"{sign}{whole},{digits}"
