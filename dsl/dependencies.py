"""What each computed name reads: a cycle among them would never finish, so each one is an error.

Nodes are values, items, indicators and fields. A field is a node because reading it first
evaluates its condition of display: a question shown only if another one is answered, itself
shown only if the first is, would be evaluated for ever.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

from bilan.common.source import Span
from bilan.dsl.diagnostics import Diagnostic
from bilan.engine.expr import Expr, references
from bilan.engine.model import Campaign

Node = tuple[str, str]  # ("value" | "item" | "indicator" | "field", name)
N = TypeVar("N", bound=Hashable)

_READ_KINDS = {"value": "value", "indicator": "indicator", "field": "field", "answered": "field"}


def find_cycles(graph: dict[N, set[N]]) -> list[list[N]]:
    """Each cycle once, as a path that ends where it starts, found walking the nodes in order."""
    done: set[N] = set()
    found: list[list[N]] = []
    for start in graph:
        if start in done:
            continue
        path: list[N] = [start]
        on_path = {start}
        stack = [iter(sorted(graph[start], key=repr))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif nxt in on_path:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in done and nxt in graph:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(sorted(graph[nxt], key=repr)))
    return found


def _reads(exprs: Iterable[Expr | None]) -> set[Node]:
    return {(_READ_KINDS[k], n) for e in exprs if e is not None for k, n in references(e) if k in _READ_KINDS}


def dependencies(campaign: Campaign) -> dict[Node, set[Node]]:
    """For each computed name, the computed names its evaluation reads (engine/evaluate.py)."""
    data_fields = {f.name for s in campaign.data_blocks for f in s.fields()}
    graph: dict[Node, set[Node]] = {}
    for name, field in campaign.fields.items():
        graph["field", name] = set() if name in data_fields else _reads([field.condition])
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


MAX_CHAIN = 50  # evaluating a chain recurses once per step; the 2009 campaign’s longest has 7


def cycles(campaign: Campaign) -> list[Diagnostic]:
    """One diagnostic per cycle, at the declaration where the walk in declaration order meets it;
    without cycles, one for a chain of dependencies too long to evaluate."""
    graph = dependencies(campaign)
    spans: dict[Node, Span | None] = {
        **{("field", n): f.span for n, f in campaign.fields.items()},
        **{("value", n): v.span for n, v in campaign.values.items()},
        **{("item", c): i.span for c, i in campaign.items.items()},
        **{("indicator", c): i.span for c, i in campaign.indicators.items()},
    }
    out: list[Diagnostic] = []
    for loop in find_cycles(graph):
        span = spans[loop[-1]]
        assert span is not None  # every declaration of a compiled campaign has its span
        out.append(Diagnostic(span, cycle_message(loop)))
    if not out:
        chain = longest_chain(graph)
        if len(chain) > MAX_CHAIN:
            span = spans[chain[0]]
            assert span is not None
            shown = " → ".join(n for _, n in chain[:3])
            out.append(
                Diagnostic(
                    span,
                    f"chaîne de dépendances trop longue ({len(chain)} étapes : {shown} → …, au plus {MAX_CHAIN}) : "
                    "passer par moins de valeurs et de conditions intermédiaires",
                )
            )
    return out


def longest_chain(graph: dict[N, set[N]]) -> list[N]:
    """The longest path of an acyclic graph, from the node that starts it."""
    length: dict[N, int] = {}
    following: dict[N, N | None] = {}
    for start in graph:
        stack = [start]
        while stack:
            node = stack[-1]
            if node in length:
                stack.pop()
                continue
            pending = [n for n in graph.get(node, ()) if n in graph and n not in length]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            best = max((n for n in graph.get(node, ()) if n in graph), key=lambda n: length[n], default=None)
            length[node] = 1 + (length[best] if best is not None else 0)
            following[node] = best
    head = max(graph, key=lambda n: length[n], default=None)
    chain: list[N] = []
    while head is not None:
        chain.append(head)
        head = following[head]
    return chain


def cycle_message(loop: list[Node]) -> str:
    """`la valeur « a » dépend d’elle-même (a → b → a)`, naming the kind of the node that loops."""
    kind, name = loop[-1]
    chain = " → ".join(n for _, n in loop)
    what = {
        "value": f"la valeur « {name} » dépend d’elle-même",
        "item": f"l’item « {name} » dépend de lui-même",
        "indicator": f"l’indicateur « {name} » dépend de lui-même",
        "field": f"la condition d’affichage de « {name} » dépend de sa propre réponse",
    }[kind]
    return f"{what} ({chain})"
