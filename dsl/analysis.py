"""Static checks that need the rules' meaning: declared maxima, class tables, questions never shown.

Every maximum is proven or reported. The exact space (abstraction.py) gives an upper bound: no
declaration can score more. The witness space searches actual declarations: one of them scores
that much. When both agree the maximum is proven; when they do not (conditions comparing two
computed numbers), or when the search runs out of budget, the check says it could not conclude,
as an error: `bilan check` never reports success for a check that did not finish.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import attrs

from bilan.common.source import Span
from bilan.dsl.abstraction import Abstraction
from bilan.dsl.diagnostics import Diagnostic
from bilan.dsl.intervals import Ranges
from bilan.dsl.solver import FREE, Factor, Solver, Space, TooComplex, free_quantities
from bilan.engine.expr import Binary, Const, Expr, Ref, Unary, format_number, render
from bilan.engine.model import Campaign, ChoiceType, Group, Indicator, Item


@attrs.frozen
class Bounds:
    """What the analysis knows of a maximum: `low` is reached by some declaration (None: none
    found), `high` is exceeded by none (None: the conditions can never hold together)."""

    low: Fraction | None
    high: Fraction | None
    why: str = ""  # why `low` and `high` may differ

    @property
    def exact(self) -> bool:
        return self.low == self.high


class _Analysis:
    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        abstraction = Abstraction(campaign)
        self.upper = Solver(Space(campaign, abstraction, witness=False))
        self.lower = Solver(Space(campaign, abstraction, witness=True))
        self.abstraction = abstraction
        self.diagnostics: list[Diagnostic] = []
        self.reach: dict[str, Fraction] = {}  # the upper bound of each points indicator's items

    def error(self, span: Span | None, message: str) -> None:
        if span is not None:
            self.diagnostics.append(Diagnostic(span, message))

    # ------------------------------------------------------------------ bounds

    def bounds(self, scored: Iterable[tuple[Expr, Fraction]], required: Iterable[Expr] = ()) -> Bounds:
        """The highest sum of points of `scored` rules over declarations where `required` holds.

        The exact space gives the upper bound. If it read free quantities, the parts of the problem
        that read them are searched again among actual declarations; the other parts, exact, add
        their bound. Raises TooComplex when a search runs out of budget.
        """
        terms: list[tuple[Expr, Fraction | None]] = [(e, p) for e, p in scored if p != 0]  # 0 changes no total
        terms += [(e, None) for e in required]
        above = {id(t): self.upper.space.factor(*t) for t in terms}
        high = Fraction(0)
        free: list[Ref] = []
        for part in self.upper.split(above.values()):
            best = self.upper.maximize(part)
            if best is None:
                return Bounds(None, None)
            high += best
            free += free_quantities(part)
        if not free:
            return Bounds(high, high)
        why = self._why(free)
        # Parts that share a question in actual declarations must be searched together: a free
        # quantity hid that they read the same answers.
        below = {id(self.lower.space.factor(*t)): t for t in terms}
        low = Fraction(0)
        for part in self.lower.split(self.lower.space.factor(*t) for t in terms):
            exact = [above[id(below[id(f)])] for f in part]
            found = self.upper.maximize(exact) if not free_quantities(exact) else self._witness(part)
            if found is None:
                return Bounds(None, high, why)
            low += found
        return Bounds(low, high, why)

    def _witness(self, part: list[Factor]) -> Fraction | None:
        """The best total of actual declarations; None when none was found or it reads indicators."""
        if any(v[0] in FREE for f in part for v in f.reads):
            return None
        return self.lower.maximize(part)

    def _why(self, free: list[Ref]) -> str:
        """Name what the analysis could not follow exactly: up to two comparisons or indicators."""
        quantities = {q.name: q for q in self.abstraction.quantities.values()}
        names: list[str] = []
        for ref in free:
            if ref.kind == "quantity":
                example = quantities[ref.name].example
                line = f" (ligne {example.span.line})" if example.span is not None else ""
                names.append(f"« {render(example)} »{line}")
            else:
                names.append(f"l’indicateur « {ref.name} »")
        shown = list(dict.fromkeys(names))
        more = " …" if len(shown) > 2 else ""
        return "les conditions lisent " + " et ".join(shown[:2]) + more + ", que l’analyse ne suit pas exactement"

    def _could_not(self, span: Span | None, what: str, b: Bounds | TooComplex) -> None:
        """`what` could not be decided: the search gave up, or bounds that do not meet.

        For a condition (`b.high` is 0: points play no part) the bounds mean: no declaration
        found where it holds, and no proof that none exists.
        """
        if isinstance(b, TooComplex):
            reason = f"l’analyse a été abandonnée ({b.reason})"
        elif b.high == 0 and b.low is None:
            reason = (
                f"aucune déclaration trouvée où la condition est vraie, sans preuve qu’il n’en existe pas ; {b.why}"
            )
        else:
            low = "?" if b.low is None else _points(b.low)
            high = "?" if b.high is None else _points(b.high)
            reason = f"entre {low} et {high} selon l’analyse ; {b.why}"
        self.error(span, f"{what} n’a pas pu être vérifié : {reason}")

    # ------------------------------------------------------------------ maxima

    def check_item(self, item: Item) -> None:
        self._check_maximum(item.span, f"l’item « {item.code} »", item.maximum, _rules(item), "")

    def _check_maximum(
        self, span: Span | None, who: str, maximum: Fraction, rules: list[tuple[Expr, Fraction]], suffix: str
    ) -> Bounds | None:
        """`maximum` is exactly what `rules` can give together; reported otherwise."""
        declared = format_number(maximum)
        try:
            b = self.bounds(rules)
        except TooComplex as exc:
            self._could_not(span, f"le maximum de {who} ({declared})", exc)
            return None
        verdict = _verdict(b, maximum)
        if verdict == "plus":
            assert b.low is not None
            at = "jusqu’à" if b.exact else "au moins"
            self.error(span, f"{who} peut dépasser son maximum déclaré ({declared}) : {at} {_points(b.low)}{suffix}")
        elif verdict == "moins":
            assert b.high is not None
            self.error(
                span,
                f"{who} ne peut pas atteindre son maximum déclaré ({declared}) : au plus {_points(b.high)}{suffix}",
            )
        elif verdict == "inconnu":
            self._could_not(span, f"le maximum de {who} ({declared})", b)
        return b

    def check_conditional_maxima(self, item: Item) -> None:
        """`maximum N si COND`: over the establishments where COND holds, the rules top at N."""
        who = f"l’item « {item.code} »"
        for m in item.maxima:
            declared = format_number(m.maximum)
            if m.maximum > item.maximum:
                self.error(m.span, f"{who} : ce maximum dépasse celui de l’item ({format_number(item.maximum)})")
            try:
                b = self.bounds(_rules(item), [m.condition])
            except TooComplex as exc:
                self._could_not(m.span, f"ce maximum de {who} ({declared})", exc)
                continue
            if b.high is None:
                self.error(m.span, f"{who} : la condition de ce maximum n’est jamais vraie")
                continue
            verdict = _verdict(b, m.maximum)
            if verdict in ("plus", "moins"):
                shown = b.low if verdict == "plus" else b.high
                assert shown is not None
                at = "au plus" if b.exact or verdict == "moins" else "au moins"
                self.error(
                    m.span,
                    f"{who} : quand cette condition est vraie, les règles donnent {at} {_points(shown)}, "
                    f"pas {declared}",
                )
            elif verdict == "inconnu":
                self._could_not(m.span, f"ce maximum de {who} ({declared})", b)

    def check_group(self, node: Group | Indicator, who: str) -> None:
        """A group's or an indicator's `sur` is what its items can reach together."""
        if node.maximum is None or (isinstance(node, Indicator) and node.kind != "points"):
            return
        rules = [r for code in node.item_codes() for r in _rules(self.c.items[code])]
        b = self._check_maximum(node.span, who, node.maximum, rules, " avec ses items")
        if isinstance(node, Indicator) and b is not None and b.high is not None:
            self.reach[node.code] = b.high

    # ------------------------------------------------------------------ classes and questions

    def check_class_rows(self, ind: Indicator) -> None:
        """A class table keyed by a choice (the category) needs a row for every option under
        which the indicator can apply."""
        table = ind.classes
        if table is None or table.by is None:
            return
        field = self.c.fields[table.by]
        if not isinstance(field.type, ChoiceType):
            return
        applies = [Unary("non", s.condition, s.span) for s in ind.statuses if s.kind == "non_concerne"]
        for code in field.type.codes:
            if code in table.limits:
                continue
            key = Binary("=", Ref(table.by, "field", ind.span), Const(code, ind.span), ind.span)
            what = f"classes de « {ind.code} » : la ligne {table.by} = {code}"
            try:
                b = self.bounds([], [key, *applies])
            except TooComplex as exc:
                self._could_not(ind.span, what, exc)
                continue
            if b.low is not None:
                self.error(
                    ind.span,
                    f"classes de « {ind.code} » : aucune limite pour {table.by} = {code}, où l’indicateur s’applique",
                )
            elif b.high is not None:
                self._could_not(ind.span, what, b)

    def check_branches(self) -> None:
        for q in self.c.questions.values():
            if q.condition is None:
                continue
            try:
                b = self.bounds([], [q.condition])
            except TooComplex as exc:
                self._could_not(q.span, f"l’affichage de la question « {q.name} »", exc)
                continue
            if b.high is None:
                self.error(
                    q.span, f"la question « {q.name} » ne peut jamais être affichée : sa condition est toujours fausse"
                )
            elif b.low is None:
                self._could_not(q.span, f"l’affichage de la question « {q.name} »", b)

    def check_formula(self, ind: Indicator, ranges: Ranges) -> None:
        """A formula's `sur` is a bound: no formula may exceed it, given the ranges of its terms."""
        if ind.maximum is None or ind.kind == "points":
            return
        declared = format_number(ind.maximum)
        who = f"l’indicateur « {ind.code} »"
        high = ranges.indicator(ind)[1]
        if high is not None and high < ind.maximum:
            self.error(
                ind.span,
                f"{who} ne peut pas atteindre son maximum déclaré ({declared}) : au plus "
                f"{format_number(high)} selon les bornes des termes de ses formules",
            )
        elif high is None or high > ind.maximum:
            bound = "sans borne" if high is None else f"jusqu’à {format_number(high)}"
            self.error(
                ind.span,
                f"le maximum de {who} ({declared}) n’a pas pu être vérifié : ses formules vont {bound} "
                "selon les bornes de leurs termes",
            )

    def _points_range(self, ind: Indicator) -> tuple[Fraction, Fraction | None]:
        reach, declared = self.reach.get(ind.code), ind.maximum
        if reach is None or declared is None:
            return Fraction(0), declared
        return Fraction(0), min(reach, declared)

    def run(self) -> list[Diagnostic]:
        for item in self.c.items.values():
            self.check_item(item)
            self.check_conditional_maxima(item)
        for ind in self.c.indicators.values():
            for g in ind.groups:
                if isinstance(g, Group):
                    self._check_groups(g, ind)
            self.check_group(ind, f"l’indicateur « {ind.code} »")
        # A points indicator ranges up to what its items reach; when that differs from its declared
        # maximum, the indicator is reported above and its declared maximum is taken, not reported again.
        ranges = Ranges(self.c, self._points_range)
        for ind in self.c.indicators.values():
            self.check_formula(ind, ranges)
            self.check_class_rows(ind)
        self.check_branches()
        return self.diagnostics

    def _check_groups(self, group: Group, ind: Indicator) -> None:
        for child in group.children:
            if isinstance(child, Group):
                self._check_groups(child, ind)
        self.check_group(group, f"{group.kind} « {group.code} » de {ind.code}")


def _verdict(b: Bounds, declared: Fraction) -> str:
    """How `declared` compares: "plus" (some declaration scores more), "moins" (none reaches it),
    "ok", or "inconnu" (the bounds do not decide)."""
    if b.low is not None and b.low > declared:
        return "plus"
    if b.high is not None and b.high < declared:
        return "moins"
    return "ok" if b.exact else "inconnu"


def _points(value: Fraction) -> str:
    """`1 point`, `1,5 point`, `2 points`: French keeps the singular below two."""
    return f"{format_number(value)} point{'s' if value >= 2 else ''}"


def _rules(item: Item) -> list[tuple[Expr, Fraction]]:
    return [(r.condition, r.points) for r in item.rules]


def analyse(campaign: Campaign) -> list[Diagnostic]:
    """Every problem the analysis finds; a campaign too deeply nested to analyse is one too."""
    try:
        return _Analysis(campaign).run()
    except RecursionError:
        spans = [*(i.span for i in campaign.indicators.values()), *(f.span for f in campaign.fields.values())]
        file = next((sp.file for sp in spans if sp is not None), "<campagne>")
        message = "analyse abandonnée : valeurs et expressions imbriquées trop profondément les unes dans les autres"
        return [Diagnostic(Span(file, 1, 1), message)]
