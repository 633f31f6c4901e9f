"""The highest total of guarded points over every possible declaration, found without listing them.

A problem is a list of factors: `points if condition` (or a condition that must hold). Answers are
variables with a few values each (abstraction.py says which values stand for all the others). The
search assigns one variable at a time, and as soon as the remaining factors share no unassigned
variable it solves each group apart and adds the results: two items that read different questions
are maximised separately, and an item is maximised once whatever the questions it does not read.
Results are memoised on the factors and the values of the variables they read. The search is
exact; it gives up, saying so, past a budget of steps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from itertools import combinations, pairwise

import attrs

from bilan.dsl.abstraction import Abstraction
from bilan.engine.expr import Binary, Call, Context, Evaluator, Expr, Ref, RefKind, Value, children, compile_expr
from bilan.engine.model import Campaign, ChoiceType, MultiChoiceType, NumberType

Var = tuple[str, str]  # ("field" | "present" | "quantity" | "concerned" | "indicator", name)
Assignment = dict[Var, Value]
BUDGET = 200_000  # steps of one search: far above what the 2009 campaign needs (a few thousand)
MAX_ASSIGNED = 150  # questions decided at once along one branch of the search (it recurses once per question)
MAX_SETS = 4096  # trial answers of one multiple-choice question
# variables that stand for no answer, and the kind of reference each is
FREE: dict[str, RefKind] = {"quantity": "quantity", "concerned": "concerned", "indicator": "indicator"}


class TooComplex(Exception):
    """The search went past its budget: the analysis must say it could not conclude, and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@attrs.frozen(eq=False)
class Part:
    """One operand of a factor's top-level `et` (or `ou`): decided once its variables are known."""

    test: Evaluator
    reads: frozenset[Var]


@attrs.frozen(eq=False)
class Factor:
    """`points` when its condition holds, or, when `points` is None, a condition that must hold.

    The condition is split at its top-level `et` (or `ou`) so that the search drops a factor as
    soon as one part decides it (`statut = public et ...` with another status).
    """

    points: int | None  # scaled by the space's denominator: sums of integers are fast and exact
    join: str  # "et" | "ou"
    parts: tuple[Part, ...]
    reads: frozenset[Var]


Live = tuple[Factor, tuple[int, ...]]  # a factor and the parts still undecided


class Space:
    """The variables of the analysis and how expressions are evaluated on them.

    With `witness`, expressions are the campaign's own and every assignment is a declaration that
    could be entered: a total found is reached. Without, comparisons the abstraction could not keep
    read free quantities: a total found is an upper bound (exact when no factor reads a quantity).
    """

    def __init__(self, campaign: Campaign, abstraction: Abstraction, *, witness: bool) -> None:
        self.c = campaign
        self.a = abstraction
        self.witness = witness
        self.data_block = {f.name: s.name for s in campaign.data_blocks for f in s.fields()}
        self._compiled: dict[int, Evaluator] = {}
        self._reads: dict[int, frozenset[Var]] = {}
        self._field_reads: dict[str, frozenset[Var]] = {}
        self._domains: dict[Var, tuple[Value, ...]] = {}
        self._factors: dict[tuple[int, Fraction | None], Factor] = {}
        # Points are summed as integers over a common denominator (quarter points in 2009).
        self.denominator = math.lcm(1, *(r.points.denominator for i in campaign.items.values() for r in i.rules))
        self._keep: list[Expr] = []
        self._gates: dict[str, Evaluator | None] = {}
        self._values: dict[str, Evaluator] = {}

    def expr(self, expr: Expr) -> Expr:
        return expr if self.witness else self.a.rewrite(expr)

    def compiled(self, expr: Expr) -> Evaluator:
        key = id(expr)
        if key not in self._compiled:
            self._keep.append(expr)
            self._compiled[key] = compile_expr(expr)
        return self._compiled[key]

    def factor(self, expr: Expr, points: Fraction | None) -> Factor:
        """The factor of a condition, built once: the solver memoises on factors."""
        key = (id(expr), points)
        if key not in self._factors:
            own = self.expr(expr)
            self._keep.append(expr)
            join = own.op if isinstance(own, Binary) and own.op in ("et", "ou") else "et"
            parts = tuple(Part(self.compiled(e), self.reads(e)) for e in _operands(own, join))
            scaled = None if points is None else int(points * self.denominator)
            self._factors[key] = Factor(scaled, join, parts, frozenset().union(*(p.reads for p in parts)))
        return self._factors[key]

    # ------------------------------------------------------------------ what an expression reads

    def reads(self, expr: Expr) -> frozenset[Var]:
        """The variables an expression (in this space's form) depends on, visibility included."""
        key = id(expr)
        if key not in self._reads:
            found: set[Var] = set()
            stack = [expr]
            while stack:
                node = stack.pop()
                match node:
                    case Call(function="concerne" | "present", args=(Ref(name=name),)):
                        found.add(("concerned" if node.function == "concerne" else "present", name))
                        continue
                    case Ref(kind="field", name=name):
                        found |= self.field_reads(name)
                    case Ref(kind="value", name=name):
                        found |= self.reads(self.expr(self.c.values[name].expr))
                    case Ref(kind=kind, name=name) if kind in FREE:
                        found.add((kind, name))
                stack.extend(children(node))
            self._keep.append(expr)
            self._reads[key] = frozenset(found)
        return self._reads[key]

    def field_reads(self, name: str) -> frozenset[Var]:
        if name not in self._field_reads:
            found: set[Var] = {("field", name)}
            block = self.data_block.get(name)
            if block is not None:
                found.add(("present", block))
            elif self.c.fields[name].condition is not None:
                found |= self.reads(self.expr(self.c.fields[name].condition))  # type: ignore[arg-type]
            self._field_reads[name] = frozenset(found)
        return self._field_reads[name]

    # ------------------------------------------------------------------ values worth trying

    def domain(self, var: Var) -> tuple[Value, ...]:
        if var not in self._domains:
            self._domains[var] = self._domain(var)
        return self._domains[var]

    def _domain(self, var: Var) -> tuple[Value, ...]:
        kind, name = var
        if kind in ("present", "concerned"):
            return (True, False)
        if kind == "indicator":
            return (None,)
        if kind == "quantity":
            q = next(q for q in self.a.quantities.values() if q.name == name)
            return (None, *_cells(sorted(self.a.thresholds.get(name, ())), q.low, q.high))
        ftype = self.c.fields[name].type
        absent: tuple[Value, ...] = () if name in self.data_block else (None,)
        if isinstance(ftype, ChoiceType):
            return (None, *self.a.choice_codes[name])
        if isinstance(ftype, MultiChoiceType):
            return (None, *_sets(ftype.choice.codes, self.a.options.get(name, set())))
        if isinstance(ftype, NumberType):
            extra = self.witness and name in self.a.in_quantities
            return (*absent, *_numbers(ftype, self.a.thresholds.get(name, set()), extra))
        return (None, "texte")

    # ------------------------------------------------------------------ evaluation

    def context(self, assign: Assignment) -> Context:
        """How expressions read an assignment: hidden questions read as unanswered."""
        visible: dict[str, bool] = {}
        values: dict[str, Value] = {}
        ctx: Context

        def field(name: str) -> Value:
            block = self.data_block.get(name)
            if block is not None:
                return assign[("field", name)] if assign[("present", block)] is True else None
            gate = self.gate(name)
            if gate is not None:
                if name not in visible:
                    visible[name] = gate(ctx) is True
                if not visible[name]:
                    return None
            return assign[("field", name)]

        def lookup(kind: str, name: str) -> Value:
            if kind == "field":
                return field(name)
            if kind == "answered":
                return field(name) is not None
            if kind == "value":
                if name not in values:
                    values[name] = self.value(name)(ctx)
                return values[name]
            if kind in FREE or kind == "present":
                return assign.get((kind, name))
            return None

        ctx = Context(lookup, field)
        return ctx

    def gate(self, name: str) -> Evaluator | None:
        """A field's condition of display (None: always shown), compiled on first use."""
        if name not in self._gates:
            condition = self.c.fields[name].condition
            self._gates[name] = None if condition is None else self.compiled(self.expr(condition))
        return self._gates[name]

    def value(self, name: str) -> Evaluator:
        if name not in self._values:
            self._values[name] = self.compiled(self.expr(self.c.values[name].expr))
        return self._values[name]

    def shown(self, name: str, assign: Assignment) -> bool | None:
        """Whether a question is shown, once the variables of its condition are assigned."""
        if name in self.data_block:
            return True
        gate = self.gate(name)
        if gate is None:
            return True
        if not self.field_reads(name) - {("field", name)} <= assign.keys():
            return None
        return gate(self.context(assign)) is True


class Solver:
    """Maximises sums of factors of one Space, sharing what it learns between problems."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self._memo: dict[tuple[tuple[tuple[int, tuple[int, ...]], ...], tuple[tuple[Var, Value], ...]], Total] = {}
        self._steps = 0

    def maximize(self, factors: Iterable[Factor]) -> Fraction | None:
        """The highest total, or None when the conditions can never hold together."""
        self._steps = 0
        best = self._solve([(f, tuple(range(len(f.parts)))) for f in factors], {})
        return None if best is None else Fraction(best, self.space.denominator)

    def split(self, factors: Iterable[Factor]) -> list[list[Factor]]:
        """Factors that share no variable, apart: each group can be maximised alone."""
        return [[f for f, _ in group] for group in _groups([(f, tuple(range(len(f.parts)))) for f in factors], {})]

    def _solve(self, live: list[Live], assign: Assignment) -> Total:
        total = 0
        pending: list[Live] = []
        ctx: Context | None = None
        for factor, remaining in live:
            undecided: list[int] = []
            decided: bool | None = None
            for i in remaining:
                part = factor.parts[i]
                if not part.reads <= assign.keys():
                    undecided.append(i)
                    continue
                ctx = ctx or self.space.context(assign)
                holds = part.test(ctx) is True
                if holds is (factor.join == "ou"):
                    decided = holds
                    break
            if decided is None and not undecided:
                decided = factor.join == "et"
            if decided is None:
                pending.append((factor, tuple(undecided)))
            elif factor.points is None and not decided:
                return None
            elif factor.points is not None and decided:
                total += factor.points
        for group in _groups(pending, assign):
            best = self._group(group, assign)
            if best is None:
                return None
            total += best
        return total

    def _group(self, live: list[Live], assign: Assignment) -> Total:
        # The result depends on which parts are left and on the values of what they read.
        reads = {v for f, rest in live for i in rest for v in f.parts[i].reads}
        key = (
            tuple(sorted((id(f), rest) for f, rest in live)),
            tuple(sorted((v, assign[v]) for v in reads if v in assign)),
        )
        if key in self._memo:
            return self._memo[key]
        if len(assign) >= MAX_ASSIGNED:
            raise TooComplex(f"plus de {MAX_ASSIGNED} questions liées à examiner ensemble")
        var = self._choose(live, assign)
        best: Total = None
        ceiling = sum(f.points for f, _ in live if f.points)  # points are never negative: none can do better
        for value in self._values(var, assign):
            self._steps += 1
            if self._steps > BUDGET:
                raise TooComplex(f"plus de {BUDGET:,} combinaisons de réponses à examiner".replace(",", "\u202f"))
            assign[var] = value
            try:
                found = self._solve(live, assign)
            finally:
                del assign[var]
            if found is not None and (best is None or found > best):
                best = found
                if best == ceiling:
                    break
        self._memo[key] = best
        return best

    def _choose(self, live: list[Live], assign: Assignment) -> Var:
        """A variable of the part closest to being decided, after what decides whether it is shown."""
        counts: dict[Var, int] = {}
        for factor, remaining in live:
            for i in remaining:
                for v in factor.parts[i].reads:
                    if v not in assign:
                        counts[v] = counts.get(v, 0) + 1
        parts = [factor.parts[i].reads - assign.keys() for factor, remaining in live for i in remaining]
        nearest = min((p for p in parts if p), key=len)
        var = max(nearest, key=lambda v: (counts[v], -len(self.space.domain(v)), v))
        while var[0] == "field":
            gating = [v for v in self.space.field_reads(var[1]) if v != var and v not in assign]
            if not gating:
                break
            var = max(gating, key=lambda v: (counts.get(v, 0), v))
        return var

    def _values(self, var: Var, assign: Assignment) -> tuple[Value, ...]:
        """A hidden question is unanswered: one value stands for all of them."""
        domain = self.space.domain(var)
        if var[0] == "field" and self.space.shown(var[1], assign) is False:
            return domain[:1]
        return domain


Total = int | None  # scaled points; None: the conditions can never hold together


def _groups(live: list[Live], assign: Assignment) -> list[list[Live]]:
    """Factors whose undecided parts share no unassigned variable, apart."""
    owner: dict[Var, int] = {}
    parent = list(range(len(live)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (factor, remaining) in enumerate(live):
        for j in remaining:
            for v in factor.parts[j].reads:
                if v in assign:
                    continue
                if v in owner:
                    parent[find(i)] = find(owner[v])
                else:
                    owner[v] = i
    groups: dict[int, list[Live]] = {}
    for i, item in enumerate(live):
        groups.setdefault(find(i), []).append(item)
    return list(groups.values())


def _operands(expr: Expr, join: str) -> list[Expr]:
    """The operands of a chain `a et b et c` (or `ou`)."""
    if isinstance(expr, Binary) and expr.op == join:
        return _operands(expr.left, join) + _operands(expr.right, join)
    return [expr]


# ---------------------------------------------------------------------- trial values


def _numbers(ftype: NumberType, thresholds: set[Fraction], extra: bool) -> list[Fraction]:
    """One answer in each interval the thresholds cut the field's range into, on its grid of
    `step`; with `extra`, a few small answers too (to look for a declaration reaching a bound)."""
    step = ftype.step
    low = _ceil(ftype.minimum / step) * step
    high = _floor(ftype.upper / step) * step
    if high < low:
        return []
    points = {low, high}
    for t in thresholds:
        points |= {(_ceil(t / step) - 1) * step, (_floor(t / step) + 1) * step}
        if (t / step).denominator == 1:
            points.add(t)
    if extra:
        points |= {Fraction(k) for k in range(4)}
    return sorted(p for p in points if low <= p <= high)


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _cells(thresholds: list[Fraction], low: Fraction | None, high: Fraction | None) -> list[Fraction]:
    """One number per interval the thresholds cut [low, high] into, and each threshold."""
    inside = [t for t in thresholds if (low is None or t >= low) and (high is None or t <= high)]
    points: set[Fraction] = set(inside)
    if not inside:
        return [low if low is not None else high if high is not None else Fraction(0)]
    if low is None or low < inside[0]:
        points.add(inside[0] - 1 if low is None else low)
    if high is None or high > inside[-1]:
        points.add(inside[-1] + 1 if high is None else high)
    points |= {(a + b) / 2 for a, b in pairwise(inside)}
    return sorted(points)


def _sets(codes: tuple[str | int, ...], tested: set[object]) -> list[frozenset[str | int]]:
    """Answers of a multiple choice: each combination of the options conditions test, completed by
    the other options to every size (conditions read only those options and the count)."""
    named = [c for c in codes if c in tested]
    others = [c for c in codes if c not in tested]
    if 2 ** len(named) * (len(others) + 1) > MAX_SETS:
        raise TooComplex(f"trop d’options testées par « contient » ({len(named)})")
    found = []
    for k in range(len(named) + 1):
        for chosen in combinations(named, k):
            found += [frozenset(chosen) | frozenset(others[:n]) for n in range(len(others) + 1)]
    return found


def free_quantities(factors: Iterable[Factor]) -> list[Ref]:
    """The quantities and indicators the factors read: what keeps a bound from being exact."""
    return [Ref(name, FREE[kind]) for f in factors for kind, name in sorted(f.reads) if kind in FREE]
