"""What each computed value, item and indicator reads: a cycle among them would never finish."""

from __future__ import annotations

from collections.abc import Iterable

from bilan.dsl.diagnostics import Diagnostic
from bilan.engine.expr import Expr, references
from bilan.engine.model import Campaign

Node = tuple[str, str]  # ("value" | "item" | "indicator", name)
_WHAT = {"value": "la valeur « {} » dépend d’elle-même", "item": "l’item « {} » dépend de lui-même"}


def _reads(exprs: Iterable[Expr | None]) -> set[Node]:
    return {(k, n) for e in exprs if e is not None for k, n in references(e) if k in ("value", "indicator")}


def dependencies(campaign: Campaign) -> dict[Node, set[Node]]:
    """For each computed name, the computed names its evaluation reads (engine/evaluate.py)."""
    graph: dict[Node, set[Node]] = {}
    for name, value in campaign.values.items():
        graph["value", name] = _reads([value.expr])
    for code, item in campaign.items.items():
        graph["item", code] = _reads([r.condition for r in item.rules] + [m.condition for m in item.maxima])
    for code, ind in campaign.indicators.items():
        reads = _reads([s.condition for s in ind.statuses] + [ind.formula] + [c.formula for c in ind.cases])
        reads |= {("indicator", n) for c in ind.cases for n in c.order}
        reads |= {("item", c) for c in ind.item_codes()}
        graph["indicator", code] = reads
    return graph


def cycles(campaign: Campaign) -> list[Diagnostic]:
    """One diagnostic per cycle, at the declaration where the walk in declaration order meets it."""
    graph = dependencies(campaign)
    spans = {
        **{("value", n): v.span for n, v in campaign.values.items()},
        **{("item", c): i.span for c, i in campaign.items.items()},
        **{("indicator", c): i.span for c, i in campaign.indicators.items()},
    }
    done: set[Node] = set()
    out: list[Diagnostic] = []
    for start in graph:
        if start in done:
            continue
        path: list[Node] = [start]
        on_path = {start}
        stack = [iter(sorted(graph.get(start, ())))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif nxt in on_path:
                loop = [*path[path.index(nxt) :], nxt]
                kind, name = nxt
                chain = " → ".join(n for _, n in loop)
                span = spans[nxt]
                assert span is not None  # every declaration of a compiled campaign has its span
                what = _WHAT.get(kind, "l’indicateur « {} » dépend de lui-même").format(name)
                out.append(Diagnostic(span, f"{what} ({chain})"))
            elif nxt not in done and nxt in graph:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return out
