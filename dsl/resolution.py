"""Second pass over the declarations: every expression resolved and type-checked (typecheck.py)."""

from __future__ import annotations

import attrs

from bilan.dsl.dependencies import cycle_message, find_cycles
from bilan.dsl.registry import Registry
from bilan.dsl.typecheck import ERROR, Resolver, T
from bilan.engine.expr import Expr, references
from bilan.engine.model import Question


def resolve_all(r: Registry) -> None:
    """Replace each expression of `r` by its resolved form; problems go to `r.diagnostics`."""
    value_types: dict[str, T] = {name: ERROR for name in _values_in_cycles(r)}
    resolving: set[str] = set()

    def value_type(name: str) -> T:
        """A computed value's type, resolving it first (values may use values declared later)."""
        if name in value_types:
            return value_types[name]
        if name in resolving:  # pragma: no cover - every cycle was reported and typed ERROR above
            return ERROR
        resolving.add(name)
        v = r.values[name]
        expr, t = resolver.resolve(v.expr)
        r.values[name] = attrs.evolve(v, expr=expr)
        value_types[name] = t
        return t

    resolver = Resolver(
        {n: None if n in r.untyped else f.type for n, f in r.fields.items()},
        {n: v.expr for n, v in r.values.items()},
        set(r.indicators),
        r.data_names,
        r.diagnostics.append,
        value_type,
        codes={str(o.code) for t in r.types.values() for o in t.options if isinstance(o.code, str)},
        items=set(r.items),
    )
    for name in list(r.values):
        value_type(name)
    for qname, q in list(r.questions.items()):
        r.questions[qname] = _resolve_question(q, resolver)
    # Questions nest: rebuild children from the resolved table so that each appears once.
    for qname in list(r.questions):
        r.questions[qname] = _rebuild(r, qname)
    for section_list in (r.fiches, r.data_blocks, r.chapters):
        for i, s in enumerate(section_list):
            blocks = tuple(
                attrs.evolve(b, question=r.questions[b.question.name]) if b.question else b for b in s.blocks
            )
            section_list[i] = attrs.evolve(s, blocks=blocks)
    for code, item in list(r.items.items()):
        rules = tuple(attrs.evolve(x, condition=resolver.condition(x.condition, "la règle")) for x in item.rules)
        read: set[str] = set()
        for rule in rules:
            read |= _questions_read(r, rule.condition)
        ordered = tuple(q for q in r.questions if q in read)
        maxima = tuple(
            attrs.evolve(m, condition=resolver.condition(m.condition, "la condition du maximum")) for m in item.maxima
        )
        r.items[code] = attrs.evolve(item, rules=rules, questions=ordered, maxima=maxima)
    for code, ind in list(r.indicators.items()):
        statuses = tuple(
            attrs.evolve(s, condition=resolver.condition(s.condition, "la condition")) for s in ind.statuses
        )
        formula = resolver.number(ind.formula, "la valeur d’un indicateur") if ind.formula else None
        cases = []
        for c in ind.cases:
            for n in c.order:
                if n not in r.indicators:
                    r.error(c.span, f"indicateur inconnu « {n} »")
            cases.append(attrs.evolve(c, formula=resolver.number(c.formula, "la formule")))
        r.indicators[code] = attrs.evolve(ind, statuses=statuses, formula=formula, cases=tuple(cases))
    # The field table points at the resolved fields; a field whose name was declared twice (already
    # reported) keeps its first declaration.
    r.fields = {n: next((x for x in r.questions[f.question].fields if x.name == n), f) for n, f in r.fields.items()}


def _resolve_question(q: Question, resolver: Resolver) -> Question:
    def shown(cond: Expr | None) -> Expr | None:
        return resolver.condition(cond, "la condition d’affichage") if cond else None

    return attrs.evolve(
        q,
        condition=shown(q.condition),
        own_condition=shown(q.own_condition),
        fields=tuple(attrs.evolve(f, condition=shown(f.condition)) for f in q.fields),
        rows=tuple(attrs.evolve(row, condition=shown(row.condition)) for row in q.rows),
        checks=tuple(
            attrs.evolve(c, condition=resolver.condition(c.condition, "la condition du contrôle")) for c in q.checks
        ),
    )


def _rebuild(r: Registry, name: str) -> Question:
    q = r.questions[name]
    return attrs.evolve(q, children=tuple(_rebuild(r, c.name) for c in q.children))


def _questions_read(r: Registry, expr: Expr) -> set[str]:
    """Questions an expression reads, through computed values too."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = [expr]
    while stack:
        for kind, name in references(stack.pop()):
            if kind == "field":
                out.add(r.fields[name].question)
            elif kind == "value" and name in r.values and name not in seen:
                seen.add(name)
                stack.append(r.values[name].expr)
    return out


def _values_in_cycles(r: Registry) -> set[str]:
    """Values that read themselves, reported with the cycle's path before anything resolves them."""
    graph = {name: {n for _, n in references(v.expr) if n in r.values} for name, v in r.values.items()}
    cyclic: set[str] = set()
    for loop in find_cycles(graph):
        r.error(r.values[loop[-1]].span, cycle_message([("value", n) for n in loop]))
        cyclic.update(loop)
    return cyclic
