"""Which answers an indicator's result can have read, so that `bilan impact` says when a score was
computed with answers still to enter (a new question of the new campaign, a value dropped) instead
of showing a lower bound as if it were the result.

Static and conservative: a name read anywhere counts — the status clauses (up to the one that
decided a status), the formula or the `selon` cases, the rules and conditional maxima of its
items, the computed values and fields they name (and those fields' display conditions), and the
indicators they name in turn. The compiler refuses cycles, so every walk ends.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bilan.engine.expr import Expr, references
from bilan.engine.model import Campaign, Indicator
from bilan.engine.result import IndicatorResult


class AnswersRead:
    """The fields each indicator of one campaign reads (worked out once per name)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self._names: dict[tuple[str, str], frozenset[str]] = {}

    def incomplete(self, r: IndicatorResult, missing: Collection[str]) -> bool:
        """Whether this result could change once the `missing` answers are entered."""
        if not missing:
            return False
        ind = self.campaign.indicators[r.code]
        read = self._of(self._exprs(ind, r)) | ({ind.classes.by} if ind.classes and ind.classes.by else set())
        return any(m in read or m.split(".", 1)[0] in read for m in missing)

    def _exprs(self, ind: Indicator, r: IndicatorResult | None) -> Iterable[Expr]:
        """What the indicator reads for this result: a status given by a clause read only the
        clauses up to it; otherwise everything."""
        decided = [
            i for i, c in enumerate(ind.statuses) if r is not None and (c.kind, c.reason) == (r.status, r.reason)
        ]
        if decided:
            return [c.condition for c in ind.statuses[: decided[-1] + 1]]
        exprs = [c.condition for c in ind.statuses] + [c.formula for c in ind.cases]
        if ind.formula is not None:
            exprs.append(ind.formula)
        for code in ind.item_codes():
            item = self.campaign.items[code]
            exprs += [rule.condition for rule in item.rules] + [m.condition for m in item.maxima]
        return exprs

    def _of(self, exprs: Iterable[Expr]) -> frozenset[str]:
        return frozenset().union(*(self._name(kind, name) for e in exprs for kind, name in references(e)))

    def _name(self, kind: str, name: str) -> frozenset[str]:
        key = (kind, name)
        if key not in self._names:
            c = self.campaign
            if kind == "field" and name in c.fields:
                condition = c.fields[name].condition
                found = {name} | (self._of([condition]) if condition is not None else frozenset())
            elif kind == "field":
                found = {name}  # a whole question (its rows), or a data block's figure
            elif kind == "value" and name in c.values:
                found = set(self._of([c.values[name].expr]))
            elif kind == "indicator" and name in c.indicators:
                found = set(self._of(self._exprs(c.indicators[name], None)))
            else:
                found = set()
            self._names[key] = frozenset(found)
        return self._names[key]
