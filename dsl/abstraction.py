"""The campaign's conditions as the exact analysis reads them, and the answers worth trying.

A comparison of one number field with constants (`reunions >= 3`, `2 * x < 7`) is kept as it is:
the field's answers fall into the intervals between those constants, and one answer per interval
decides it exactly. Any other numeric comparison (`a > b`, `100 * x / nombre(d) < 50`) is rewritten
as a comparison of a *quantity* with a constant, the quantity being a free number: that loses the
link between the quantity and its fields, so the maxima found are upper bounds, proven exact only
once an actual declaration reaches them (see analysis.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import attrs

from bilan.dsl.linear import Key, Linearizer, normalized
from bilan.engine.expr import (
    Between,
    Binary,
    BinaryOp,
    Call,
    Comparator,
    Conditional,
    Const,
    Expr,
    Member,
    Ref,
    Unary,
    children,
    is_comparator,
)
from bilan.engine.model import Campaign, ChoiceType, MultiChoiceType, NumberType

Bound = Fraction | None  # None: unbounded on that side


@attrs.frozen
class Quantity:
    """A number the analysis treats as free (`a - b`, a ratio), with the constants it is compared to."""

    name: str
    coefficients: tuple[tuple[Key, Fraction], ...]
    low: Bound
    high: Bound
    example: Expr  # the first comparison written with it, to name it in messages


class Abstraction:
    """Rewrites the campaign's expressions for the exact analysis and collects the constants.

    `thresholds[name]` are the constants a number field or a quantity is compared with;
    `options[name]` the options of a multiple choice tested with `contient`; `in_quantities`
    the number fields that enter a quantity (worth more trial answers when looking for a witness);
    `choice_codes[name]` the options of a choice worth trying (see _choice_codes).
    """

    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        self.thresholds: dict[str, set[Fraction]] = {}
        self.options: dict[str, set[object]] = {}
        self.quantities: dict[tuple[tuple[Key, Fraction], ...], Quantity] = {}
        self.in_quantities: set[str] = set()
        self._done: dict[int, Expr] = {}
        self._keep: list[Expr] = []  # rewritten expressions are cached by id: keep the originals alive
        self.linear = Linearizer(self._numeric_field, lambda n: campaign.values[n].expr, self._exact_count)
        analysed = _analysed(campaign)
        self.rewrite_all(analysed)
        self.choice_codes = _choice_codes(campaign, analysed)

    # ------------------------------------------------------------------ what the analysis evaluates

    def rewrite(self, expr: Expr) -> Expr:
        """`expr` with every inexact comparison replaced by one on a quantity; `expr` itself (the
        same object) when it has none, which is how the analysis knows a result is exact."""
        key = id(expr)
        if key not in self._done:
            self._keep.append(expr)
            self._done[key] = self._rewrite(expr)
        return self._done[key]

    def rewrite_all(self, exprs: Iterable[Expr | None]) -> None:
        for e in exprs:
            if e is not None:
                self.rewrite(e)

    def _rewrite(self, expr: Expr) -> Expr:
        match expr:
            case Binary(op="et" | "ou", left=a, right=b):
                a2, b2 = self.rewrite(a), self.rewrite(b)
                return expr if (a2, b2) == (a, b) and a2 is a and b2 is b else Binary(expr.op, a2, b2, expr.span)
            case Unary(operand=o):
                o2 = self.rewrite(o)
                return expr if o2 is o else Unary(expr.op, o2, expr.span)
            case Binary(op="contient", left=Ref(kind="field", name=name), right=Const(value=code)):
                self.options.setdefault(name, set()).add(code)
            case Binary(op=op, left=a, right=b) if is_comparator(op) and (self._numeric(a) or self._numeric(b)):
                part, kept = self._comparison(op, a, b, expr)
                return expr if kept else part
            case Between(operand=o, low=lo, high=hi) if self._numeric(o):
                return self._parts(expr, [(">=", o, lo), ("<=", o, hi)], "et")
            case Member(operand=o, choices=cs) if self._numeric(o):
                return self._parts(expr, [("=", o, c) for c in cs], "ou")
            case Conditional(test=t, then=a, otherwise=b) if not self._numeric(a):
                t2, a2, b2 = self.rewrite(t), self.rewrite(a), self.rewrite(b)
                if t2 is t and a2 is a and b2 is b:
                    return expr
                return Conditional(t2, a2, b2, expr.span)
        return expr

    def _parts(self, original: Expr, parts: list[tuple[Comparator, Expr, Expr]], join: BinaryOp) -> Expr:
        """`entre` and `dans` on numbers, as the comparisons they stand for."""
        done = [self._comparison(op, a, b, original) for op, a, b in parts]
        if all(kept for _, kept in done):
            return original
        result = done[0][0]
        for part, _ in done[1:]:
            result = Binary(join, result, part, original.span)
        return result

    def _comparison(self, op: Comparator, left: Expr, right: Expr, original: Expr) -> tuple[Expr, bool]:
        """`left op right` and True when it reads one number field or exact counts; otherwise the
        comparison of the quantity `left - right` (normalised) with its threshold, and False."""
        for side in (left, right):
            self._visit_counts(side)
        form = self.linear.form(left).plus(self.linear.form(right), Fraction(-1))
        norm_op, coefficients, threshold = normalized(op, form)
        kinds = {k[0] for k, _ in coefficients}
        span = original.span
        if len(coefficients) == 1 and kinds == {"field"} and coefficients[0][1] != 0:
            self.thresholds.setdefault(str(coefficients[0][0][1]), set()).add(threshold)
            return Binary(op, left, right, span), True
        if kinds <= {"exact"}:
            return Binary(op, left, right, span), True
        quantity = self._quantity(coefficients, original)
        self.thresholds.setdefault(quantity.name, set()).add(threshold)
        return Binary(norm_op, Ref(quantity.name, "quantity", span), Const(threshold, span), span), False

    def _quantity(self, coefficients: tuple[tuple[Key, Fraction], ...], example: Expr) -> Quantity:
        found = self.quantities.get(coefficients)
        if found is None:
            low, high = self._interval(coefficients)
            found = Quantity(f"q{len(self.quantities) + 1}", coefficients, low, high, example)
            self.quantities[coefficients] = found
            for key, _ in coefficients:
                self.in_quantities |= self._fields_in(key)
        return found

    def _interval(self, coefficients: tuple[tuple[Key, Fraction], ...]) -> tuple[Bound, Bound]:
        """Bounds of a quantity from its fields' bounds (parts that are not fields are unbounded)."""
        low: Bound = Fraction(0)
        high: Bound = Fraction(0)
        for (kind, name), c in coefficients:
            ftype = self.c.fields[str(name)].type if kind == "field" else None
            if not isinstance(ftype, NumberType):
                return None, None
            a, b = c * ftype.minimum, c * ftype.upper
            low = None if low is None else low + min(a, b)
            high = None if high is None else high + max(a, b)
        return low, high

    def _fields_in(self, key: Key) -> set[str]:
        kind, part = key
        if kind == "field":
            return {str(part)}
        assert isinstance(part, Call | Binary | Conditional | Ref | Const | Unary | Between | Member)
        found: set[str] = set()
        stack: list[Expr] = [part]
        while stack:
            node = stack.pop()
            if isinstance(node, Ref) and node.kind == "field" and self._numeric_field(node.name):
                found.add(node.name)
            elif isinstance(node, Ref) and node.kind == "value":
                stack.append(self.c.values[node.name].expr)
            stack.extend(children(node))
        return found

    def _visit_counts(self, expr: Expr) -> None:
        """The conditions counted by `compte(...)` are analysed like any other."""
        stack = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, Call) and node.function == "compte":
                self.rewrite_all(node.args)
            stack.extend(children(node))

    # ------------------------------------------------------------------ types

    def _numeric_field(self, name: str) -> bool:
        return isinstance(self.c.fields[name].type, NumberType)

    def _numeric(self, expr: Expr) -> bool:
        match expr:
            case Const(value=v):
                return isinstance(v, Fraction)
            case Ref(kind="field", name=name):
                return self._numeric_field(name)
            case Ref(kind="value", name=name):
                return self._numeric(self.c.values[name].expr)
            case Ref(kind="indicator"):
                return True
            case Binary(op=op):
                return op in ("+", "-", "*", "/")
            case Call(function=f):
                return f in ("min", "max", "compte", "nombre")
            case Conditional(then=a):
                return self._numeric(a)
        return False

    def _exact_count(self, call: Call) -> bool:
        """`nombre(q)` is exact (every size is tried); `compte(...)` when its conditions are."""
        if call.function == "nombre":
            return isinstance(call.args[0], Ref) and isinstance(self.c.fields[call.args[0].name].type, MultiChoiceType)
        return all(self.rewrite(a) is a for a in call.args)


def _analysed(campaign: Campaign) -> list[Expr]:
    """Every expression the analysis evaluates: values, conditions of display, rules, statuses."""
    found: list[Expr | None] = [v.expr for v in campaign.values.values()]
    found += [f.condition for f in campaign.fields.values()]
    found += [q.condition for q in campaign.questions.values()]
    for item in campaign.items.values():
        found += [r.condition for r in item.rules] + [m.condition for m in item.maxima]
    for ind in campaign.indicators.values():
        found += [s.condition for s in ind.statuses]
    return [e for e in found if e is not None]


def _choice_codes(campaign: Campaign, analysed: list[Expr]) -> dict[str, tuple[str | int, ...]]:
    """For a choice only ever tested for some options (`q = oui`, `q dans (a, b)`), unanswered
    stands for every other option: the options worth trying are those tested, and None.

    A choice read any other way (`!=`, compared with another question, `repondu`, a class table
    keyed by it) keeps all its options.
    """
    tested: dict[str, set[object]] = {}
    positive: set[int] = set()  # ids of the references read only by such tests
    nodes: list[Expr] = []
    stack = list(analysed)
    while stack:
        node = stack.pop()
        nodes.append(node)
        operand, codes = _tested(node)
        if operand is not None:
            positive.add(id(operand))
            tested.setdefault(operand.name, set()).update(codes)
        stack.extend(children(node))
    full = {ind.classes.by for ind in campaign.indicators.values() if ind.classes and ind.classes.by}
    full |= {n.name for n in nodes if isinstance(n, Ref) and n.kind == "field" and id(n) not in positive}
    out: dict[str, tuple[str | int, ...]] = {}
    for name, field in campaign.fields.items():
        if isinstance(field.type, ChoiceType):
            every = field.type.codes
            out[name] = every if name in full else tuple(c for c in every if c in tested.get(name, ()))
    return out


def _tested(node: Expr) -> tuple[Ref | None, list[object]]:
    """`q = code` or `q dans (codes)` on a choice question: the question and the codes."""
    match node:
        case Binary(op="=", left=Ref(kind="field") as ref, right=Const(value=code)) if not isinstance(code, Fraction):
            return ref, [code]
        case Member(operand=Ref(kind="field") as ref, choices=choices) if all(
            isinstance(c, Const) and not isinstance(c.value, Fraction) for c in choices
        ):
            return ref, [c.value for c in choices if isinstance(c, Const)]
    return None, []
