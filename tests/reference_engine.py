"""The straightforward interpreter the generated program is checked against (tests/test_program.py).

This was engine/evaluate.py before the campaign's rules were compiled to Python: each expression is
a closure (engine/expr.py `compile_expr`), evaluated lazily and memoised per declaration, in
whatever order the result needs it. Slow (about 0.5 ms a declaration), obviously faithful to the
semantics written in engine/expr.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from bilan.engine.expr import Context, Evaluator, Expr, Value, compile_expr
from bilan.engine.model import Campaign, Field, Group, Indicator, NumberType
from bilan.engine.result import (
    CheckResult,
    Declaration,
    GroupResult,
    IndicatorResult,
    ItemResult,
    Result,
)


class ReferenceEngine:
    """Compiles a campaign's expressions to closures once; `score` interprets them lazily."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self._compiled: dict[int, Evaluator] = {}
        self.data_fields = {f.name: s.name for s in campaign.data_blocks for f in s.fields()}
        # in a data block that is present, a number left out counts 0 (docs/rules.md)
        self.numeric_data = frozenset(n for n in self.data_fields if isinstance(campaign.fields[n].type, NumberType))
        self.field_cond = {n: self._fn(f.condition) for n, f in campaign.fields.items()}
        self.question_cond = {n: self._fn(q.condition) for n, q in campaign.questions.items()}
        self.values = {n: self.compiled(v.expr) for n, v in campaign.values.items()}
        self.checks = [(c, self._fn(c.condition)) for c in campaign.checks]
        # Points are summed as integers over a common denominator (quarter points in 2009):
        # exact like Fractions, several times faster on the keystroke path.
        self.denominator = math.lcm(*(r.points.denominator for i in campaign.items.values() for r in i.rules))
        self.rules = {
            code: [(r, self.compiled(r.condition), int(r.points * self.denominator)) for r in item.rules]
            for code, item in campaign.items.items()
        }
        self._points: dict[int, Fraction] = {}
        self.maxima = {
            code: [(m.maximum, self._fn(m.condition)) for m in item.maxima] for code, item in campaign.items.items()
        }
        self.group_items: dict[int, tuple[str, ...]] = {}
        for ind in campaign.indicators.values():
            for g in ind.groups:
                if isinstance(g, Group):
                    self._index_group(g)
        self.item_fields = {
            code: [f.name for q in item.questions for f in campaign.questions[q].fields]
            for code, item in campaign.items.items()
        }
        self.entry_fields = [f for s in campaign.fiches + campaign.chapters for f in s.fields()]

    def points(self, scaled: int) -> Fraction:
        """Scaled integer points back to a Fraction; the few distinct values are built once."""
        value = self._points.get(scaled)
        if value is None:
            value = self._points[scaled] = Fraction(scaled, self.denominator)
        return value

    def _index_group(self, group: Group) -> None:
        self.group_items[id(group)] = tuple(group.item_codes())
        for child in group.children:
            if isinstance(child, Group):
                self._index_group(child)

    def _fn(self, expr: Expr | None) -> Evaluator | None:
        """An optional condition's evaluator: None stands for "always"."""
        return None if expr is None else self.compiled(expr)

    def compiled(self, expr: Expr) -> Evaluator:
        """Each expression object is compiled once: many fields share their question’s condition."""
        key = id(expr)
        if key not in self._compiled:
            self._compiled[key] = compile_expr(expr)
        return self._compiled[key]

    def score(self, declaration: Declaration) -> Result:
        run = _Run(self, declaration)
        return run.result()


class _Run:
    """One evaluation: memoised lookups of fields, values and indicators."""

    def __init__(self, engine: ReferenceEngine, declaration: Declaration) -> None:
        self.e = engine
        self.c = engine.campaign
        self.d = declaration
        self.visible_memo: dict[str, bool] = {}
        self.value_memo: dict[str, Value] = {}
        self.indicator_memo: dict[str, IndicatorResult] = {}
        self.scaled: dict[str, int] = {}  # each item's points times the engine's denominator
        self.item_memo: dict[str, ItemResult] = {}
        self.field_memo: dict[str, Value] = {}
        self.ctx = Context(self.lookup, self.field)
        self.lookups: dict[str, Callable[[str], Value]] = {
            "field": self.field,
            "value": self.value,
            "indicator": self.indicator_value,
            "concerned": lambda n: self.indicator(n).status != "non_concerne",
            "present": lambda n: n in self.d.blocks,
            "answered": lambda n: self.field(n) is not None,
        }

    def lookup(self, kind: str, name: str) -> Value:
        return self.lookups[kind](name)

    def test(self, fn: Evaluator | None) -> bool:
        return fn is None or fn(self.ctx) is True

    def visible(self, name: str) -> bool:
        memo = self.visible_memo.get(name)
        if memo is None:
            memo = self.test(self.e.field_cond[name])
            self.visible_memo[name] = memo
        return memo

    def field(self, name: str) -> Value:
        try:
            return self.field_memo[name]
        except KeyError:
            value = self.field_memo[name] = self._field(name)
            return value

    def _field(self, name: str) -> Value:
        block = self.e.data_fields.get(name)
        if block is not None:
            if block not in self.d.blocks:
                return None
            v = self.d.answers.get(name)
            return Fraction(0) if v is None and name in self.e.numeric_data else v
        if not self.visible(name):
            return None
        return self.d.answers.get(name)

    def _missing(self, name: str) -> bool:
        field = self.c.fields[name]
        entry = name not in self.e.data_fields
        return entry and not field.optional and self.visible(name) and self.d.answers.get(name) is None

    def value(self, name: str) -> Value:
        if name not in self.value_memo:
            self.value_memo[name] = self.e.values[name](self.ctx)
        return self.value_memo[name]

    def indicator_value(self, code: str) -> Value:
        r = self.indicator(code)
        return r.value if r.ok else None

    # ------------------------------------------------------------------ items and indicators

    def item(self, code: str) -> ItemResult:
        """An item's result, scored on first use: a rule may read an indicator that sums items."""
        memo = self.item_memo.get(code)
        if memo is None:
            memo = self.item_memo[code] = self._item(code)
        return memo

    def item_scaled(self, code: str) -> int:
        if code not in self.scaled:
            self.item(code)
        return self.scaled[code]

    def _item(self, code: str) -> ItemResult:
        item = self.c.items[code]
        matched = []
        scaled = 0
        ctx = self.ctx
        for rule, fn, points in self.e.rules[code]:
            if fn(ctx) is True:
                matched.append(rule)
                scaled += points
        self.scaled[code] = scaled
        # not `self.missing`: an item may be scored early, for a display condition that reads
        # an indicator, before result() knows what is missing (the old engine's bug)
        complete = not any(self._missing(f) for f in self.e.item_fields[code])
        maximum = next((m for m, fn in self.e.maxima[code] if self.test(fn)), item.maximum)
        return ItemResult(code, self.e.points(scaled), maximum, tuple(matched), complete)

    def group(self, group: Group) -> GroupResult:
        children = tuple(self.group(g) if isinstance(g, Group) else g for g in group.children)
        scaled = sum(self.item_scaled(code) for code in self.e.group_items[id(group)])
        points = self.e.points(scaled)
        return GroupResult(group.code, group.title, group.kind, points, group.maximum, children)

    def indicator(self, code: str) -> IndicatorResult:
        memo = self.indicator_memo.get(code)
        if memo is None:
            memo = self._indicator(self.c.indicators[code])
            self.indicator_memo[code] = memo
        return memo

    def _indicator(self, ind: Indicator) -> IndicatorResult:
        for clause in ind.statuses:
            if self.test(self.e._fn(clause.condition)):
                return IndicatorResult(ind.code, clause.kind, reason=clause.reason, label=clause.label)
        groups: tuple[GroupResult | str, ...] = ()
        case: tuple[str, ...] = ()
        if ind.kind == "points":
            groups = tuple(self.group(g) if isinstance(g, Group) else g for g in ind.groups)
            value: Value = self.e.points(sum(self.item_scaled(code) for code in ind.item_codes()))
        elif ind.kind == "valeur":
            assert ind.formula is not None  # the compiler gives every "valeur" indicator its formula
            value = self.e.compiled(ind.formula)(self.ctx)
        else:
            concerned = frozenset(
                n for c in ind.cases for n in c.indicators if self.indicator(n).status != "non_concerne"
            )
            chosen = next((c for c in ind.cases if c.indicators == concerned), None)
            if chosen is None:
                names = ", ".join(sorted(concerned)) or "aucun"
                return IndicatorResult(
                    ind.code, "non_calculable", reason=f"aucune formule pour les indicateurs concernés ({names})"
                )
            case = chosen.order
            for n in chosen.order:
                r = self.indicator(n)
                if not r.ok:
                    return IndicatorResult(ind.code, "non_calculable", reason=f"{n} : {r.reason}", case=case)
            value = self.e.compiled(chosen.formula)(self.ctx)
        if value is None:
            return IndicatorResult(
                ind.code, "non_calculable", reason="données manquantes pour le calcul", groups=groups, case=case
            )
        assert isinstance(value, Fraction)
        klass = None
        if ind.classes is not None:
            key = self.d.answers.get(ind.classes.by) if ind.classes.by else None
            klass = ind.classes.classify(value, key)
        return IndicatorResult(ind.code, "ok", value, klass, groups=groups, case=case)

    # ------------------------------------------------------------------ whole result

    def result(self) -> Result:
        fields: list[Field] = self.e.entry_fields
        visible = frozenset(f.name for f in fields if self.visible(f.name))
        answers = self.d.answers
        missing = tuple(f.name for f in fields if f.name in visible and not f.optional and answers.get(f.name) is None)
        hidden = tuple(f.name for f in fields if f.name not in visible and answers.get(f.name) is not None)
        items = {code: self.item(code) for code in self.c.items}
        checks = tuple(
            CheckResult(check, self.d.justifications.get(check.name) or None)
            for check, fn in self.e.checks
            if self.test(self.e.question_cond[check.question]) and self.test(fn)
        )
        indicators = {code: self.indicator(code) for code in self.c.indicators}
        values = {name: self.value(name) for name in self.c.values}
        return Result(visible, missing, hidden, checks, items, indicators, values)
