"""Expressions across two campaigns: last year's read with this year's names, and shown as written.

`translate` rewrites an old campaign's expression into the new campaign's names (renamed fields,
renamed option codes of the field they are compared with), so that "did this condition change?"
is an equality of trees; `source` prints an expression as a maintainer writes it in a `.bilan`
file (decimal point, ×, parentheses only where the grammar needs them).
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import attrs

from bilan.engine.expr import Between, Binary, Call, Conditional, Const, Expr, Member, Ref, Unary, children
from bilan.yearchange.correspondence import Correspondence, option_map

_CODE_OPS = ("=", "!=", "contient")


def translate(expr: Expr, corr: Correspondence) -> Expr:
    """`expr` of the old campaign, with the names and option codes the new campaign gives them."""
    successors = corr.successors
    return _Translator(corr, successors).visit(expr)


@attrs.frozen
class _Translator:
    corr: Correspondence
    successors: dict[str, str]

    def visit(self, expr: Expr) -> Expr:
        match expr:
            case Ref(name=name, kind="field") if name in self.successors:
                return attrs.evolve(expr, name=self.successors[name])
            case Binary(op=op, left=Ref(kind="field") as ref, right=Const() as const) if op in _CODE_OPS:
                return attrs.evolve(expr, left=self.visit(ref), right=self._code(ref, const))
            case Binary(op=op, left=Const() as const, right=Ref(kind="field") as ref) if op in _CODE_OPS:
                return attrs.evolve(expr, left=self._code(ref, const), right=self.visit(ref))
            case Member(operand=Ref(kind="field") as ref, choices=choices):
                codes = tuple(self._code(ref, c) if isinstance(c, Const) else self.visit(c) for c in choices)
                return attrs.evolve(expr, operand=self.visit(ref), choices=codes)
        parts = children(expr)
        if not parts:
            return expr
        return _rebuild(expr, tuple(self.visit(p) for p in parts))

    def _code(self, ref: Ref, const: Const) -> Const:
        """An option code compared with an old field, as the field's successor spells it."""
        new_name = self.successors.get(ref.name)
        old_field = self.corr.old.fields.get(ref.name)
        new_field = self.corr.new.fields.get(new_name) if new_name else None
        if old_field is None or new_field is None or not isinstance(const.value, str | int):
            return const
        mapped = option_map(old_field.type, new_field.type).get(const.value)
        return const if mapped is None else attrs.evolve(const, value=mapped)


def _rebuild(expr: Expr, parts: tuple[Expr, ...]) -> Expr:
    """`expr` with its direct sub-expressions replaced (in the order `children` gives them)."""
    match expr:
        case Unary():
            return attrs.evolve(expr, operand=parts[0])
        case Binary():
            return attrs.evolve(expr, left=parts[0], right=parts[1])
        case Between():
            return attrs.evolve(expr, operand=parts[0], low=parts[1], high=parts[2])
        case Member():
            return attrs.evolve(expr, operand=parts[0], choices=parts[1:])
        case Call():
            return attrs.evolve(expr, args=parts)
        case Conditional():
            return attrs.evolve(expr, test=parts[0], then=parts[1], otherwise=parts[2])
    return expr  # pragma: no cover - leaves have no parts


# Grammar levels, lowest to highest (bilan.lark): an operand below its operator's level is bracketed.
_CONDITIONAL, _OR, _AND, _NOT, _COMPARISON, _SUM, _PRODUCT, _ATOM = range(8)
_LEVELS = {"ou": _OR, "et": _AND, "+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT}
_SHOWN_OPS = {"*": "×"}


def source(expr: Expr) -> str:
    """`expr` as a `.bilan` file writes it."""
    return _source(expr)[0]


def _source(expr: Expr) -> tuple[str, int]:
    """The text and its grammar level."""
    match expr:
        case Const(value=v):
            return number_text(v) if isinstance(v, Fraction) else str(v), _ATOM
        case Ref(name=n):
            return n, _ATOM
        case Call(function=f, args=args):
            return f"{f}({', '.join(source(a) for a in args)})", _ATOM
        case Unary(operand=o):
            return f"non {_at(o, _NOT)}", _NOT
        case Binary(op=op, left=a, right=b):
            level = _LEVELS.get(op, _COMPARISON)
            left_level = level + 1 if level == _COMPARISON else level  # comparisons do not chain
            return f"{_at(a, left_level)} {_SHOWN_OPS.get(op, op)} {_at(b, level + 1)}", level
        case Between(operand=o, low=lo, high=hi):
            return f"{_at(o, _SUM)} entre {_at(lo, _SUM)} et {_at(hi, _SUM)}", _COMPARISON
        case Member(operand=o, choices=cs):
            return f"{_at(o, _SUM)} dans ({', '.join(source(c) for c in cs)})", _COMPARISON
        case Conditional(test=t, then=a, otherwise=b):
            return f"si {source(t)} alors {source(a)} sinon {source(b)}", _CONDITIONAL
    raise TypeError(f"not an expression: {expr!r}")  # pragma: no cover - the compiler only builds Exprs


def _at(expr: Expr, level: int) -> str:
    """`expr` as an operand that must stand at `level` or above: bracketed if it is lower."""
    text, own = _source(expr)
    return text if own >= level else f"({text})"


def number_text(value: Fraction) -> str:
    """A number as the language writes it: decimal point, exact (the file's numbers are decimals)."""
    if value.denominator == 1:
        return str(value.numerator)
    with localcontext() as ctx:
        ctx.prec = 60
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
