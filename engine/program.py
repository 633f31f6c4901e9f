"""A campaign's rules as one generated, straight-line Python function, built once per campaign.

Every display condition, computed value, rule, conditional maximum, status clause, formula and
check is written out (engine/codegen.py) as Python statements in dependency order: a field, value
or indicator is computed before anything that reads it. `run(answers, blocks)` then evaluates each
of them exactly once per declaration, with no call per expression node; points are summed as
scaled integers (exact). The reference for its semantics is the expression language of
engine/expr.py; tests/test_program.py compares the two on thousands of random declarations.

Item overrides (points forced by a validator, `Declaration.overrides`) come in as scaled points
by item code (`O`): each item's scaled points are one statement, `s<k> = ...` (see `_item`),
replaced there when the item is overridden, before every indicator total, formula and status
that reads it.
"""

from __future__ import annotations

import marshal
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from types import CodeType
from typing import Any

from bilan.common import user_cache
from bilan.common.errors import UserError
from bilan.engine.builders import NO_STATUS, IndicatorBuilder, ItemBuilder, groups_preorder
from bilan.engine.codegen import RUNTIME, ExprWriter
from bilan.engine.expr import Expr, references
from bilan.engine.model import Campaign, Field, Indicator, NumberType

Node = tuple[str, str]  # ("field" | "value" | "item" | "indicator", name)

Run = Callable[[Mapping[str, Any], frozenset[str], Mapping[str, int]], tuple[Any, ...]]


def _compiled(source: str) -> CodeType:
    """The generated source compiled, or its code object from the private cache (compiling it
    takes longer than generating it; marshal's format is per Python version: part of the key)."""
    key = f"{sys.version}\0{source}"
    saved = user_cache.load("program", key)
    if isinstance(saved, bytes):
        try:
            code = marshal.loads(saved)
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    code = compile(source, "<règles compilées de la campagne>", "exec")
    user_cache.save("program", key, marshal.dumps(code))
    return code


def _tuple(parts: Iterable[str]) -> str:
    return f"({''.join(p + ', ' for p in parts)})"


def _whole(var: str) -> str:
    """A number as the generated code holds it: an int when whole (see engine/codegen.py)."""
    return f"({var}.numerator if {var}.denominator == 1 else {var})"


def _reads(exprs: Iterable[Expr | None]) -> list[Node]:
    """The fields, values and indicators some expressions read, in a stable order."""
    found: set[Node] = set()
    for e in exprs:
        if e is not None:
            found |= {(k, n) for k, n in references(e) if k in ("field", "value", "indicator")}
    return sorted(found)


class Program:
    """The generated function of one campaign, and the layout of the tuple it returns:

    (visible flags, missing flags, hidden-answer flags — one per entry field, in entry order;
    item results, indicator results, check flags and computed values, each in campaign order).
    """

    def __init__(self, campaign: Campaign) -> None:
        c = self.campaign = campaign
        # Points are summed as integers over a common denominator (quarter points in 2009):
        # exact like Fractions, and much faster.
        self.denominator = math.lcm(*(r.points.denominator for i in c.items.values() for r in i.rules))
        self._points: dict[int, Fraction] = {}
        self.entry_fields: list[Field] = [f for s in c.fiches + c.chapters for f in s.fields()]
        self._entry = {f.name for f in self.entry_fields}
        self._data_block = {f.name: s.name for s in c.data_blocks for f in s.fields()}
        self._index = {name: i for i, name in enumerate(c.fields)}
        self._values = {name: i for i, name in enumerate(c.values)}
        self._items = {code: i for i, code in enumerate(c.items)}
        self._indicators = {code: i for i, code in enumerate(c.indicators)}
        self.builders = {code: IndicatorBuilder(ind, self.points) for code, ind in c.indicators.items()}
        self.namespace: dict[str, object] = dict(RUNTIME)
        for k, item in enumerate(c.items.values()):
            builder = ItemBuilder(item, self.denominator, self.points)
            self.namespace[f"IM{k}"], self.namespace[f"IB{k}"] = builder.memo, builder
        self._number_values: dict[str, bool] = {}
        self._writer = ExprWriter(self._variable, self._is_number, self.namespace)
        self.source = self._source()
        exec(_compiled(self.source), self.namespace)
        run = self.namespace["run"]
        assert callable(run)
        self.run: Run = run

    def points(self, scaled: int) -> Fraction:
        """Scaled integer points back to a Fraction; the few distinct values are built once."""
        value = self._points.get(scaled)
        if value is None:
            value = self._points[scaled] = Fraction(scaled, self.denominator)
        return value

    # ------------------------------------------------------------------ names

    def _variable(self, kind: str, name: str) -> str:
        if kind == "field":
            return f"f{self._index[name]}"
        if kind == "value":
            return f"w{self._values[name]}"
        if kind == "indicator":
            return f"iv{self._indicators[name]}"
        return f"ic{self._indicators[name]}"  # concerned

    def _is_number(self, kind: str, name: str) -> bool:
        if kind == "field":
            return isinstance(self.campaign.fields[name].type, NumberType)
        return self._number_values[name]  # values are written before what reads them

    # ------------------------------------------------------------------ order

    def _depends(self, node: Node) -> list[Node]:
        kind, name = node
        c = self.campaign
        if kind == "field":
            return _reads([c.fields[name].condition]) if name in self._entry else []
        if kind == "value":
            return _reads([c.values[name].expr])
        if kind == "item":
            item = c.items[name]
            return _reads([r.condition for r in item.rules] + [m.condition for m in item.maxima])
        ind = c.indicators[name]
        reads = _reads([s.condition for s in ind.statuses] + [ind.formula] + [case.formula for case in ind.cases])
        reads += [("item", code) for code in ind.item_codes()]
        reads += [("indicator", n) for n in self.builders[name].case_indicators]
        return reads

    def _order(self, roots: list[Node]) -> list[Node]:
        """Depth-first, dependencies first; a cycle (which the compiler should have refused) is
        reported instead of recursing forever."""
        done: set[Node] = set()
        order: list[Node] = []
        for root in roots:
            if root in done:
                continue
            path = [root]
            stack = [iter(self._depends(root))]
            while stack:
                nxt = next(stack[-1], None)
                if nxt is None:
                    stack.pop()
                    finished = path.pop()
                    if finished not in done:
                        done.add(finished)
                        order.append(finished)
                elif nxt in path:
                    loop = " → ".join(n for _, n in [*path[path.index(nxt) :], nxt])
                    raise UserError(f"dépendance circulaire dans le questionnaire : {loop}")
                elif nxt not in done:
                    path.append(nxt)
                    stack.append(iter(self._depends(nxt)))
        return order

    # ------------------------------------------------------------------ text

    def _source(self) -> str:
        c = self.campaign
        roots: list[Node] = [("field", f.name) for f in self.entry_fields]
        roots += [("value", n) for n in c.values] + [("item", n) for n in c.items]
        roots += [("indicator", n) for n in c.indicators]
        for check in c.checks:
            roots += _reads([c.questions[check.question].condition, check.condition])
        body: list[str] = ["GET = A.get"]
        write = {"field": self._field, "value": self._value, "item": self._item, "indicator": self._indicator}
        for kind, name in self._order(roots):
            body.extend(write[kind](name))
        body.extend(self._epilogue())
        return "def run(A, B, O):\n" + "".join(f"    {line}\n" for line in body)

    def _flush(self, lines: list[str]) -> list[str]:
        """The statements hoisted while writing `lines`, then `lines`."""
        out = [*self._writer.statements, *lines]
        self._writer.statements.clear()
        return out

    def _field(self, name: str) -> list[str]:
        i = self._index[name]
        k = self._writer.const(name)
        number = isinstance(self.campaign.fields[name].type, NumberType)
        block = self._data_block.get(name)
        if block is not None:  # present block: a number left out counts 0 (docs/rules.md)
            t = self._writer.temp()
            raw = f"(0 if ({t} := GET({k})) is None else {_whole(t)})" if number else f"GET({k})"
            return [f"f{i} = {raw} if {self._writer.const(block)} in B else None"]
        condition = self.campaign.fields[name].condition
        shown = "True" if condition is None else self._writer.condition(condition)
        value = f"None if a{i} is None else {_whole(f'a{i}')}" if number else f"a{i}"
        return self._flush([f"a{i} = GET({k})", f"v{i} = {shown}", f"f{i} = ({value}) if v{i} else None"])

    def _value(self, name: str) -> list[str]:
        written = self._writer.value(self.campaign.values[name].expr)
        self._number_values[name] = written.number
        return self._flush([f"w{self._values[name]} = {written.text}"])

    def _item(self, code: str) -> list[str]:
        k = self._items[code]
        item = self.campaign.items[code]
        lines = [f"r{k}_{n} = {self._writer.condition(r.condition)}" for n, r in enumerate(item.rules)]
        scaled = [f"{int(r.points * self.denominator)} * r{k}_{n}" for n, r in enumerate(item.rules) if r.points]
        lines.append(f"s{k} = {' + '.join(scaled) or '0'}")
        lines.append(f"if O: s{k} = O.get({self._writer.const(code)}, s{k})")
        lines.append(f"m{k} = {' + '.join(f'{1 << n} * r{k}_{n}' for n in range(len(item.rules))) or '0'}")
        maximum = str(len(item.maxima))
        for n, m in reversed(list(enumerate(item.maxima))):
            maximum = f"{n} if {self._writer.condition(m.condition)} else {maximum}"
        lines.append(f"x{k} = {maximum}")
        return self._flush(lines)

    def _indicator(self, code: str) -> list[str]:
        ind: Indicator = self.campaign.indicators[code]
        k = self._indicators[code]
        w = self._writer
        status = str(NO_STATUS)
        for n, s in reversed(list(enumerate(ind.statuses))):
            status = f"{n} if {w.condition(s.condition)} else {status}"
        key = f"GET({w.const(ind.classes.by)})" if ind.classes and ind.classes.by else "None"
        builder = f"IND{k}"
        lines: list[str] = []
        if ind.kind == "points":
            self.namespace[builder] = self.builders[code].by_points
            subtotals = _tuple(self._item_sum(g.item_codes()) for g in groups_preorder(ind.groups))
            call = f"{builder}(_st, {subtotals}, {self._item_sum(ind.item_codes())}, {key})"
        elif ind.kind == "valeur":
            assert ind.formula is not None  # the compiler gives every "valeur" indicator its formula
            self.namespace[builder] = self.builders[code].by_formula
            call = f"{builder}(_st, {w.value(ind.formula).text}, {key})"
        else:
            self.namespace[builder] = self.builders[code].by_case
            others = _tuple(f"i{self._indicators[n]}" for n in self.builders[code].case_indicators)
            chosen = formula = "None"
            for n, case in reversed(list(enumerate(ind.cases))):
                chosen = f"{n} if {self._exactly_concerned(case.indicators, ind)} else {chosen}"
                formula = f"{w.value(case.formula).text} if _case == {n} else {formula}"
            call = f"{builder}(_st, {others}, _case, {formula}, {key})"
            lines.append(f"_case = {chosen}")
        return self._flush(
            [
                *lines,
                f"_st = {status}",
                f"i{k} = {call}",
                f"iv{k} = i{k}.value if i{k}.status == 'ok' else None",
                f"ic{k} = i{k}.status != 'non_concerne'",
            ]
        )

    def _item_sum(self, codes: Iterable[str]) -> str:
        return " + ".join(f"s{self._items[c]}" for c in codes) or "0"

    def _exactly_concerned(self, names: frozenset[str], ind: Indicator) -> str:
        """True when the indicators concerned among those of `ind`'s cases are exactly `names`."""
        flags = [f"{'' if n in names else 'not '}ic{self._indicators[n]}" for n in self.builders[ind.code].in_cases]
        return f"({' and '.join(flags) or 'True'})"

    def _missing(self, field: Field) -> str:
        i = self._index[field.name]
        return "False" if field.optional else f"(v{i} and a{i} is None)"

    def _epilogue(self) -> list[str]:
        """Items' results (completeness needs every field), checks, and the returned tuple."""
        c = self.campaign
        entry = {f.name: f for f in self.entry_fields}
        lines = []
        for code, item in c.items.items():
            k = self._items[code]
            fields = [entry[f.name] for q in item.questions for f in c.questions[q].fields if f.name in entry]
            missing = " or ".join(self._missing(f) for f in fields if not f.optional)
            lines.append(f"_k = (m{k}, x{k}, not ({missing or 'False'}))")
            lines.append(f"t{k} = IM{k}.get(_k) or IB{k}(_k)")
        checks = []
        for check in c.checks:
            shown = c.questions[check.question].condition
            held = self._writer.condition(check.condition)
            checks.append(f"({self._writer.condition(shown)} and {held})" if shown is not None else held)
        slots = [self._index[f.name] for f in self.entry_fields]
        values = [f"TOF(w{k})" if self._number_values[n] else f"w{k}" for k, n in enumerate(c.values)]
        returned = [
            _tuple(f"v{i}" for i in slots),
            _tuple(self._missing(f) for f in self.entry_fields),
            _tuple(f"(not v{i} and a{i} is not None)" for i in slots),
            _tuple(f"t{k}" for k in range(len(c.items))),
            _tuple(f"i{k}" for k in range(len(c.indicators))),
            _tuple(checks),
            _tuple(values),
        ]
        return self._flush([*lines, f"return {_tuple(returned)}"])
