"""Which indicators each data block feeds, derived from the campaign's expressions.

An indicator reads a data block through its status clauses, its formula (or the formulas of a
`selon` table), the rules of its items, the computed values and fields they name (and those
fields' display conditions), and the indicators they name in turn: by value (`ICSHA`), or only
whether they are concerned (`concerne(SURVISO)`, and for a `selon` table the indicators of its
cases), which depends only on the status clauses up to the last `non concerné` one.

`provisional` narrows this to one result and to the figures themselves: an indicator given a
status by a clause read only the clauses up to that one (ICSHA « non concerné » for a category
never read the SAE), a `selon` indicator read only the indicators of the case it used, and
`present(bloc)` reads whether the block is supplied, which the administration's figures will not
change. Nothing here names an indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

import attrs

from bilan.engine.expr import Call, Expr, Ref, children
from bilan.engine.model import Campaign, Indicator, StatusClause
from bilan.engine.result import IndicatorResult, Result


@attrs.frozen
class Reads:
    """What an expression reads: data blocks' figures, whether blocks are supplied, indicators'
    values, indicators' concern."""

    blocks: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    concerns: frozenset[str] = frozenset()

    def __or__(self, other: Reads) -> Reads:
        return Reads(
            self.blocks | other.blocks,
            self.present | other.present,
            self.values | other.values,
            self.concerns | other.concerns,
        )

    def data(self, presence: bool) -> frozenset[str]:
        """The blocks read: by their figures, and by their presence too if `presence`."""
        return self.blocks | self.present if presence else self.blocks


def union(reads: Iterable[Reads]) -> Reads:
    total = Reads()
    for r in reads:
        total = total | r
    return total


class Feeds:
    """The data blocks behind each indicator of one campaign (computed once per campaign)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.block_of = {f.name: s.name for s in campaign.data_blocks for f in s.fields()}
        self._names: dict[tuple[str, str], Reads] = {}
        self._exprs: dict[int, Reads] = {}
        self._bodies: dict[str, Reads] = {}
        self._clauses: dict[tuple[str, int], Reads] = {}
        self._results: dict[tuple[str, int | None, tuple[str, ...]], tuple[Reads, frozenset[str]]] = {}
        self._static: dict[tuple[str, bool], frozenset[str]] = {}
        self._concern: dict[tuple[str, bool], frozenset[str]] = {}
        self.feeds: dict[str, tuple[str, ...]] = {
            block.name: tuple(code for code in campaign.indicators if block.name in self.static(code))
            for block in campaign.data_blocks
        }

    # ------------------------------------------------------------------ expressions

    def reads(self, expr: Expr | None) -> Reads:
        """What an expression reads (memoised by identity: the campaign holds every expression)."""
        if expr is None:
            return Reads()
        key = id(expr)
        found = self._exprs.get(key)
        if found is None:
            found = self._exprs[key] = self._reads(expr)
        return found

    def _reads(self, expr: Expr) -> Reads:
        if isinstance(expr, Call) and expr.function == "concerne" and isinstance(expr.args[0], Ref):
            return Reads(concerns=frozenset({expr.args[0].name}))
        if isinstance(expr, Ref):
            return self._name(expr.kind, expr.name)
        return union(self.reads(child) for child in children(expr))

    def _name(self, kind: str, name: str) -> Reads:
        """A name's reads, followed through fields' conditions and computed values (memoised;
        a name met again while it is being followed adds nothing, so a cycle cannot loop)."""
        key = (kind, name)
        if key in self._names:
            return self._names[key]
        self._names[key] = Reads()
        if kind == "data":
            found = Reads(present=frozenset({name}))
        elif kind == "field" and name in self.block_of:
            found = Reads(blocks=frozenset({self.block_of[name]}))
        elif kind == "field" and name in self.campaign.fields:
            found = self.reads(self.campaign.fields[name].condition)
        elif kind == "value" and name in self.campaign.values:
            found = self.reads(self.campaign.values[name].expr)
        elif kind == "indicator":
            found = Reads(values=frozenset({name}))
        else:
            found = Reads()
        self._names[key] = found
        return found

    # ------------------------------------------------------------------ indicators, statically

    def _body(self, ind: Indicator) -> Reads:
        """What the indicator reads once no status clause applies."""
        if ind.code not in self._bodies:
            self._bodies[ind.code] = self._body_of(ind)
        return self._bodies[ind.code]

    def _clauses_of(self, ind: Indicator, count: int) -> Reads:
        """What the first `count` status clauses read."""
        key = (ind.code, count)
        if key not in self._clauses:
            self._clauses[key] = union(self.reads(c.condition) for c in ind.statuses[:count])
        return self._clauses[key]

    def _body_of(self, ind: Indicator) -> Reads:
        items = [self.campaign.items[code] for code in ind.item_codes()]
        return union(
            [
                self.reads(ind.formula),
                *(self.reads(c.formula) | Reads(concerns=c.indicators) for c in ind.cases),
                *(self.reads(r.condition) for item in items for r in item.rules),
                *(self.reads(m.condition) for item in items for m in item.maxima),
            ]
        )

    def static(self, code: str) -> frozenset[str]:
        """Every data block an indicator may read (figures or presence), whatever the answers."""
        return self._static_of(code, frozenset(), presence=True)

    def _static_of(self, code: str, seen: frozenset[str], presence: bool) -> frozenset[str]:
        ind = self.campaign.indicators[code]
        return self._memo(
            self._static,
            code,
            seen,
            presence,
            lambda: self._clauses_of(ind, len(ind.statuses)) | self._body(ind),
        )

    def _concern_of(self, code: str, seen: frozenset[str], presence: bool) -> frozenset[str]:
        """The blocks that decide whether an indicator is concerned: its clauses up to the last
        `non concerné` one (an earlier clause that holds gives another status)."""
        ind = self.campaign.indicators[code]
        last = max((i for i, c in enumerate(ind.statuses) if c.kind == "non_concerne"), default=-1)
        return self._memo(self._concern, code, seen, presence, lambda: self._clauses_of(ind, last + 1))

    def _memo(
        self,
        memo: dict[tuple[str, bool], frozenset[str]],
        code: str,
        seen: frozenset[str],
        presence: bool,
        reads: Callable[[], Reads],
    ) -> frozenset[str]:
        """The blocks of what an indicator reads, the indicators it names followed statically."""
        key = (code, presence)
        if key in memo:
            return memo[key]
        found = self._resolve(reads(), seen | {code}, presence)
        if not seen:  # inside a cycle only the outermost call's answer is complete
            memo[key] = found
        return found

    def _resolve(self, reads: Reads, seen: frozenset[str], presence: bool) -> frozenset[str]:
        blocks = set(reads.data(presence))
        for code in reads.values - seen:
            blocks |= self._static_of(code, seen, presence)
        for code in reads.concerns - seen:
            blocks |= self._concern_of(code, seen, presence)
        return frozenset(blocks)

    # ------------------------------------------------------------------ one result

    def read_by(self, code: str, result: Result) -> frozenset[str]:
        """The data blocks whose figures gave this indicator its result (status, value, class)."""
        return self._read_by(code, result, frozenset())

    def _read_by(self, code: str, result: Result, seen: frozenset[str]) -> frozenset[str]:
        seen = seen | {code}
        reads, concerned = self._result_reads(code, result.indicators[code])
        blocks = set(reads.blocks | concerned)
        for other in reads.values - seen:
            blocks |= self._read_by(other, result, seen)
        return frozenset(blocks)

    def _result_reads(self, code: str, r: IndicatorResult) -> tuple[Reads, frozenset[str]]:
        """What one result of an indicator read itself, and the blocks of the concern it read;
        memoised on what decides it (the deciding clause, or the `selon` case used)."""
        ind = self.campaign.indicators[code]
        clause = _deciding_clause(ind.statuses, r)
        key = (code, clause, r.case)
        if key not in self._results:
            if clause is not None:
                reads = self._clauses_of(ind, clause + 1)
            elif ind.kind == "selon":
                case = next((c for c in ind.cases if c.order == r.case), None)
                concerned = frozenset(n for c in ind.cases for n in c.indicators)
                reads = self._clauses_of(ind, len(ind.statuses)) | Reads(concerns=concerned)
                if case is not None:
                    reads = reads | self.reads(case.formula) | Reads(values=frozenset(case.order))
            else:
                reads = self._clauses_of(ind, len(ind.statuses)) | self._body(ind)
            blocks: frozenset[str] = frozenset()
            for other in reads.concerns:  # concern is static: followed from scratch
                blocks |= self._concern_of(other, frozenset(), presence=False)
            self._results[key] = (reads, blocks)
        return self._results[key]

    def provisional(self, result: Result, blocks: frozenset[str]) -> frozenset[str]:
        """The indicators whose result was read from one of `blocks` (the provisional ones)."""
        if not blocks:
            return frozenset()
        return frozenset(code for code in result.indicators if self.read_by(code, result) & blocks)


def _deciding_clause(statuses: tuple[StatusClause, ...], r: IndicatorResult) -> int | None:
    """The index of the clause that gave the result its status (the last one worded so, to read
    no fewer blocks than the engine did), or None when the status came from the computation."""
    found = None
    for i, c in enumerate(statuses):
        if c.kind == r.status and c.reason == r.reason and c.label == r.label:
            found = i
    return found


@cache
def feeds_of(campaign: Campaign) -> Feeds:
    """One analysis per campaign (a campaign is hashed by identity)."""
    return Feeds(campaign)


def provisional_indicators(campaign: Campaign, result: Result, provisional_blocks: frozenset[str]) -> frozenset[str]:
    """The indicators to mark « provisoire »: read from figures the establishment entered itself."""
    return feeds_of(campaign).provisional(result, provisional_blocks)
