"""Static checks that need the rules' meaning: declared maxima, and branches that can never show.

The analysis enumerates representative answers: every option of a choice (and "unanswered"),
sets by size, and for numbers their bounds, each constant they are compared with ± one step, and
0 to 2 when they enter arithmetic or are compared with another question.
Items that read no common question are independent, so a group's maximum is the sum of the
maxima of its independent parts, each found by enumerating only the questions it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from bilan.common.source import Span
from bilan.dsl.diagnostics import Diagnostic
from bilan.engine.expr import (
    COMPARISONS,
    Between,
    Binary,
    Const,
    Context,
    Evaluator,
    Expr,
    Ref,
    Value,
    children,
    compile_expr,
    format_number,
    references,
)
from bilan.engine.model import (
    Campaign,
    ChoiceType,
    Group,
    Indicator,
    MultiChoiceType,
    NumberType,
)

MAX_STATES = 200_000
_SMALL = frozenset(Fraction(k) for k in range(3))


class _Space:
    """Evaluates expressions on enumerated answers, with the engine's visibility semantics."""

    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        self.compiled: dict[int, Evaluator] = {}
        self.data_fields = {f.name for s in campaign.data_blocks for f in s.fields()}

    def fn(self, expr: Expr) -> Evaluator:
        key = id(expr)
        if key not in self.compiled:
            self.compiled[key] = compile_expr(expr)
        return self.compiled[key]

    # ------------------------------------------------------------------ what an expression reads

    def fields_read(self, exprs: Iterable[Expr]) -> tuple[set[str], dict[str, set[Fraction]]]:
        """Fields read (through values and visibility conditions), and for each number field the
        values worth trying: constants it is compared with, or small numbers when it enters
        arithmetic or is compared with another field."""
        fields: set[str] = set()
        constants: dict[str, set[Fraction]] = {}
        seen_values: set[str] = set()
        stack = list(exprs)
        while stack:
            expr = stack.pop()
            for node in _walk(expr):
                self._note_constants(node, constants)
            for kind, name in references(expr):
                if kind in ("field", "answered") and name not in fields:
                    fields.add(name)
                    cond = self.c.fields[name].condition
                    if cond is not None:
                        stack.append(cond)
                elif kind == "value" and name not in seen_values:
                    seen_values.add(name)
                    stack.append(self.c.values[name].expr)
        return fields, constants

    def _field_of(self, expr: Expr) -> str | None:
        """The field an operand stands for, seeing through values that merely rename a field."""
        while isinstance(expr, Ref):
            if expr.kind == "field":
                return expr.name
            if expr.kind != "value":
                return None
            expr = self.c.values[expr.name].expr
        return None

    def _note_constants(self, node: Expr, constants: dict[str, set[Fraction]]) -> None:
        pairs: list[tuple[Expr, Expr]] = []
        if isinstance(node, Binary) and node.op in COMPARISONS:
            pairs = [(node.left, node.right), (node.right, node.left)]
        elif isinstance(node, Between):
            pairs = [(node.operand, node.low), (node.operand, node.high)]
        elif isinstance(node, Binary) and node.op not in ("et", "ou"):
            pairs = [(node.left, node.right), (node.right, node.left)]
        for a, b in pairs:
            field = self._field_of(a)
            if field is None:
                continue
            if (
                isinstance(b, Const)
                and isinstance(b.value, Fraction)
                and not (isinstance(node, Binary) and node.op not in COMPARISONS)
            ):
                constants.setdefault(field, set()).add(b.value)
            else:
                constants.setdefault(field, set()).update(_SMALL)

    def candidates(self, name: str, constants: dict[str, set[Fraction]]) -> list[Value]:
        ftype = self.c.fields[name].type
        if isinstance(ftype, ChoiceType):
            return [None, *ftype.codes]
        if isinstance(ftype, MultiChoiceType):
            codes = ftype.choice.codes
            return [None, *(frozenset(codes[:k]) for k in range(len(codes) + 1))]
        if isinstance(ftype, NumberType):
            lo, hi, step = ftype.minimum, ftype.upper, ftype.step
            values = {lo, hi}
            for c in constants.get(name, ()):
                values |= {c} if c in _SMALL else {c - step, c, c + step}
            return [None, *sorted(v for v in values if lo <= v <= hi)]
        return [None, "texte"]

    def states(self, fields: set[str], constants: dict[str, set[Fraction]]) -> Iterator[dict[str, Value]] | None:
        """Enumerate answers depth first, a question before those its visibility depends on
        reading; a hidden question only takes "unanswered" (its answer is never read)."""
        order = self._visibility_order(fields)
        domains = {n: self.candidates(n, constants) for n in order}
        size = 1
        for d in domains.values():
            size *= len(d)
        if size > MAX_STATES:
            return None
        conditions = {n: self.c.fields[n].condition for n in order}

        def walk(i: int, state: dict[str, Value]) -> Iterator[dict[str, Value]]:
            if i == len(order):
                yield state
                return
            name = order[i]
            cond = conditions[name]
            shown = cond is None or self.fn(cond)(self.context(state)) is True
            for v in domains[name] if shown else [None]:
                state[name] = v
                yield from walk(i + 1, state)
            del state[name]

        return walk(0, {})

    def _visibility_order(self, fields: set[str]) -> list[str]:
        deps = {}
        for n in fields:
            cond = self.c.fields[n].condition
            deps[n] = (self.fields_read([cond])[0] & fields) - {n} if cond is not None else set()
        order: list[str] = []
        placed: set[str] = set()
        while len(order) < len(fields):
            ready = sorted(n for n in fields if n not in placed and deps[n] <= placed)
            if not ready:  # a cycle cannot come from a valid campaign; keep going anyway
                ready = sorted(n for n in fields if n not in placed)[:1]
            order.extend(ready)
            placed.update(ready)
        return order

    def context(self, state: dict[str, Value]) -> Context:
        visible: dict[str, bool] = {}
        values: dict[str, Value] = {}
        ctx: Context

        def field(name: str) -> Value:
            if name in self.data_fields:
                return state.get(name)
            if name not in visible:
                cond = self.c.fields[name].condition
                visible[name] = cond is None or self.fn(cond)(ctx) is True
            return state.get(name) if visible[name] else None

        def value(name: str) -> Value:
            if name not in values:
                values[name] = self.fn(self.c.values[name].expr)(ctx)
            return values[name]

        def lookup(kind: str, name: str) -> Value:
            if kind == "field":
                return field(name)
            if kind == "value":
                return value(name)
            if kind == "answered":
                return field(name) is not None
            return None  # indicators and data blocks do not enter item rules or visibility

        ctx = Context(lookup)
        return ctx


def _walk(expr: Expr) -> Iterator[Expr]:
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node))


def _components(campaign: Campaign, space: _Space, codes: list[str]) -> list[list[str]]:
    """Split items into groups that read no common field."""
    reads = {code: space.fields_read(r.condition for r in campaign.items[code].rules)[0] for code in codes}
    parent = {code: code for code in codes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for code in codes:
        for f in reads[code]:
            if f in owner:
                parent[find(code)] = find(owner[f])
            else:
                owner[f] = code
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(find(code), []).append(code)
    return list(groups.values())


class _Analysis:
    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        self.space = _Space(campaign)
        self.diagnostics: list[Diagnostic] = []
        self.component_max: dict[tuple[str, ...], Fraction | None] = {}

    def error(self, span: Span | None, message: str) -> None:
        if span is not None:
            self.diagnostics.append(Diagnostic(span, message))

    def max_of(self, codes: list[str]) -> Fraction | None:
        """Highest total the rules of these items can give together (None: too many states)."""
        total = Fraction(0)
        for component in _components(self.c, self.space, codes):
            key = tuple(sorted(component))
            if key not in self.component_max:
                self.component_max[key] = self._component_max(component)
            best = self.component_max[key]
            if best is None:
                return None
            total += best
        return total

    def _component_max(self, codes: list[str]) -> Fraction | None:
        rules = [(r.points, self.space.fn(r.condition)) for code in codes for r in self.c.items[code].rules]
        fields, constants = self.space.fields_read(r.condition for code in codes for r in self.c.items[code].rules)
        states = self.space.states(fields, constants)
        if states is None:
            return None
        best: Fraction | None = None
        for state in states:
            ctx = self.space.context(state)
            total = sum((p for p, f in rules if f(ctx) is True), Fraction(0))
            if best is None or total > best:
                best = total
        return best if best is not None else Fraction(0)

    def check_item(self, code: str) -> None:
        item = self.c.items[code]
        best = self.max_of([code])
        if best is None:
            return
        if best > item.maximum:
            self.error(
                item.span,
                f"l’item « {code} » peut donner {format_number(best)} points, "
                f"plus que son maximum déclaré ({format_number(item.maximum)})",
            )
        elif best < item.maximum:
            self.error(
                item.span,
                f"l’item « {code} » ne peut pas atteindre son maximum déclaré "
                f"({format_number(item.maximum)}) : au plus {format_number(best)} points",
            )

    def check_conditional_maxima(self, code: str) -> None:
        """`maximum N si COND`: over the establishments where COND holds, the rules top at N."""
        item = self.c.items[code]
        rules = [(r.points, self.space.fn(r.condition)) for r in item.rules]
        for m in item.maxima:
            exprs = [r.condition for r in item.rules] + [m.condition]
            fields, constants = self.space.fields_read(exprs)
            states = self.space.states(fields, constants)
            if states is None:
                continue
            cond = self.space.fn(m.condition)
            best: Fraction | None = None
            for state in states:
                ctx = self.space.context(state)
                if cond(ctx) is True:
                    total = sum((p for p, f in rules if f(ctx) is True), Fraction(0))
                    best = total if best is None or total > best else best
            if best is None:
                self.error(m.span, f"l’item « {code} » : la condition de ce maximum n’est jamais vraie")
            elif best != m.maximum:
                self.error(
                    m.span,
                    f"l’item « {code} » : quand cette condition est vraie, les règles donnent au plus "
                    f"{format_number(best)} points, pas {format_number(m.maximum)}",
                )
            if m.maximum > item.maximum:
                self.error(
                    m.span, f"l’item « {code} » : ce maximum dépasse celui de l’item ({format_number(item.maximum)})"
                )

    def check_group(self, node: Group | Indicator, what: str) -> None:
        if isinstance(node, Group):
            for child in node.children:
                if isinstance(child, Group):
                    self.check_group(child, f"{child.kind} « {child.code} »")
        declared = node.maximum
        if declared is None or (isinstance(node, Indicator) and node.kind != "points"):
            return
        best = self.max_of(list(node.item_codes()))
        if best is None or best == declared:
            return
        verb = "peut dépasser" if best > declared else "ne peut pas atteindre"
        self.error(
            node.span,
            f"{what} {verb} son maximum déclaré ({format_number(declared)}) : "
            f"au plus {format_number(best)} points avec ses items",
        )

    def check_class_rows(self, ind: Indicator) -> None:
        """A class table keyed by a choice (the category) needs a row for every option under
        which the indicator can apply."""
        table = ind.classes
        if table is None or table.by is None:
            return
        field = self.c.fields[table.by]
        if not isinstance(field.type, ChoiceType):
            return
        clauses = [s.condition for s in ind.statuses if s.kind == "non_concerne"]
        fields, constants = self.space.fields_read(clauses)
        fields.discard(table.by)
        for code in field.type.codes:
            if code in table.limits:
                continue
            states = self.space.states(fields, constants)
            if states is None:
                continue
            fns = [self.space.fn(c) for c in clauses]
            for state in states:
                ctx = self.space.context({**state, table.by: code})
                if not any(fn(ctx) is True for fn in fns):
                    self.error(
                        ind.span,
                        f"classes de « {ind.code} » : aucune limite pour {table.by} = {code}, "
                        "où l’indicateur s’applique",
                    )
                    break

    def check_branches(self) -> None:
        for q in self.c.questions.values():
            cond = q.condition
            if cond is None:
                continue
            fields, constants = self.space.fields_read([cond])
            states = self.space.states(fields, constants)
            if states is None:
                continue
            fn = self.space.fn(cond)
            if not any(fn(self.space.context(s)) is True for s in states):
                self.error(
                    q.span, f"la question « {q.name} » ne peut jamais être affichée : sa condition est toujours fausse"
                )

    def run(self) -> list[Diagnostic]:
        for code in self.c.items:
            self.check_item(code)
            self.check_conditional_maxima(code)
        for ind in self.c.indicators.values():
            for g in ind.groups:
                if isinstance(g, Group):
                    self.check_group(g, f"{g.kind} « {g.code} » de {ind.code}")
            self.check_group(ind, f"l’indicateur « {ind.code} »")
            self.check_class_rows(ind)
        self.check_branches()
        return self.diagnostics


def analyse(campaign: Campaign) -> list[Diagnostic]:
    return _Analysis(campaign).run()
