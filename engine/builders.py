"""Item and indicator results from what the generated program computed (engine/program.py).

An item's result from the rules that held, its conditional maximum and whether its questions are
all answered; an indicator's from the first status clause that holds, the item points of its
groups, its formula's value, the other indicators it depends on. One builder per item and per
indicator, made once per campaign: the immutable results that repeat between declarations (an
item with the same rules held, a status clause's, function subtotals with the same points) are
built once and shared. Nothing here knows an indicator by name: all comes from the campaign.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from bilan.engine.expr import Value
from bilan.engine.model import Group, Indicator, Item, Rule
from bilan.engine.result import GroupResult, IndicatorResult, ItemResult

NO_STATUS = -1  # what the program passes when no status clause holds
_MISSING_DATA = "données manquantes pour le calcul"
_SHARED_LIMIT = 4096  # function subtotals kept for reuse; past this the memo starts again


def groups_preorder(groups: tuple[Group | str, ...]) -> list[Group]:
    """Every group of an indicator, parent before children: the order of the program's subtotals."""
    out: list[Group] = []
    for g in groups:
        if isinstance(g, Group):
            out.append(g)
            out.extend(groups_preorder(g.children))
    return out


def case_indicators(ind: Indicator) -> tuple[str, ...]:
    """The indicators a "selon" indicator looks at, each once, in the order of its cases."""
    names: dict[str, None] = {}
    for case in ind.cases:
        names.update(dict.fromkeys(sorted(case.indicators)))
        names.update(dict.fromkeys(case.order))
    return tuple(names)


ItemKey = tuple[int, int, bool]  # (mask of the rules that held, index of the maximum, complete)


class ItemBuilder:
    """One item's results by key; `memo` is read directly by the generated program."""

    def __init__(self, item: Item, denominator: int, points: Callable[[int], Fraction]) -> None:
        self.item = item
        self.denominator = denominator
        self.points = points
        self.memo: dict[ItemKey, ItemResult] = {}

    def __call__(self, key: ItemKey) -> ItemResult:
        mask, maximum, complete = key
        item = self.item
        matched: tuple[Rule, ...] = tuple(r for n, r in enumerate(item.rules) if mask >> n & 1)
        scaled = sum(int(r.points * self.denominator) for r in matched)
        top = item.maxima[maximum].maximum if maximum < len(item.maxima) else item.maximum
        result = self.memo[key] = ItemResult(item.code, self.points(scaled), top, matched, complete)
        return result


class IndicatorBuilder:
    """Builds one indicator's result; `points` turns scaled item points back into a Fraction."""

    def __init__(self, ind: Indicator, points: Callable[[int], Fraction]) -> None:
        self.ind = ind
        self.points = points
        self.statuses = [IndicatorResult(ind.code, s.kind, reason=s.reason, label=s.label) for s in ind.statuses]
        self.groups = groups_preorder(ind.groups)
        self._shared: dict[tuple[int, ...], tuple[GroupResult | str, ...]] = {}
        self._shared_groups: dict[tuple[int, ...], GroupResult] = {}
        self.case_indicators = case_indicators(ind)
        self.in_cases = tuple(n for n in self.case_indicators if any(n in c.indicators for c in ind.cases))

    def _classed(
        self, value: Fraction, class_key: Value, groups: tuple[GroupResult | str, ...] = (), case: tuple[str, ...] = ()
    ) -> IndicatorResult:
        table = self.ind.classes
        klass = table.classify(value, class_key) if table is not None else None
        return IndicatorResult(self.ind.code, "ok", value, klass, groups=groups, case=case)

    def by_points(self, status: int, subtotals: tuple[int, ...], total: int, class_key: Value) -> IndicatorResult:
        """A "points" indicator: `subtotals` are its groups' scaled points, parent first."""
        if status != NO_STATUS:
            return self.statuses[status]
        groups = self._shared.get(subtotals)
        if groups is None:
            if len(self._shared) >= _SHARED_LIMIT:
                self._shared.clear()
                self._shared_groups.clear()
            scaled = dict(zip(map(id, self.groups), subtotals, strict=True))
            groups = self._shared[subtotals] = tuple(self._group(g, scaled) for g in self.ind.groups)
        return self._classed(self.points(total), class_key, groups=groups)

    def _group(self, g: Group | str, scaled: dict[int, int]) -> GroupResult | str:
        """A function's result, shared with every declaration where it and its sub-functions have
        the same points (the memo holds the children, so their ids stay theirs)."""
        if isinstance(g, str):
            return g
        children = tuple(self._group(c, scaled) for c in g.children)
        key = (id(g), scaled[id(g)], *map(id, children))
        result = self._shared_groups.get(key)
        if result is None:
            points = self.points(scaled[id(g)])
            result = self._shared_groups[key] = GroupResult(g.code, g.title, g.kind, points, g.maximum, children)
        return result

    def by_formula(self, status: int, value: Value, class_key: Value) -> IndicatorResult:
        """A "valeur" indicator: its formula's value (absent when data are missing)."""
        if status != NO_STATUS:
            return self.statuses[status]
        if not isinstance(value, Fraction | int):  # absent: data missing (a formula gives a number or nothing)
            return IndicatorResult(self.ind.code, "non_calculable", reason=_MISSING_DATA)
        return self._classed(Fraction(value), class_key)

    def by_case(
        self, status: int, others: tuple[IndicatorResult, ...], chosen: int | None, value: Value, class_key: Value
    ) -> IndicatorResult:
        """A "selon" indicator: `chosen` is the case whose indicators are exactly those concerned
        (None if none is), `value` its formula's value; `others` the results of `case_indicators`."""
        if status != NO_STATUS:
            return self.statuses[status]
        results = dict(zip(self.case_indicators, others, strict=True))
        if chosen is None:
            concerned = sorted(n for n in self.in_cases if results[n].status != "non_concerne")
            reason = f"aucune formule pour les indicateurs concernés ({', '.join(concerned) or 'aucun'})"
            return IndicatorResult(self.ind.code, "non_calculable", reason=reason)
        case = self.ind.cases[chosen].order
        for n in case:
            if not results[n].ok:
                reason = f"{n} : {results[n].reason}"
                return IndicatorResult(self.ind.code, "non_calculable", reason=reason, case=case)
        if not isinstance(value, Fraction | int):
            return IndicatorResult(self.ind.code, "non_calculable", reason=_MISSING_DATA, case=case)
        return self._classed(Fraction(value), class_key, case=case)
