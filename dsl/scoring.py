"""Scoring declarations -> model: items and their rules, computed values, indicators and classes."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from lark import Token, Tree

from bilan.dsl.expressions import expression
from bilan.dsl.limits import MAX_DECIMALS
from bilan.dsl.registry import Registry
from bilan.dsl.tree import number, source_text, string, sub, tok
from bilan.engine.model import (
    Case,
    ClassTable,
    ConditionalMaximum,
    Group,
    GroupKind,
    Indicator,
    IndicatorKind,
    Item,
    Rule,
    StatusClause,
    StatusKind,
    Value,
)

_STATUS_KINDS: dict[str, StatusKind] = {
    "not_concerned": "non_concerne",
    "not_computable": "non_calculable",
    "excluded": "exclu",
}
_GROUP_KINDS: dict[str, GroupKind] = {"fonction": "fonction", "sous-fonction": "sous-fonction", "groupe": "groupe"}
_STATUS_DEFAULT_REASONS = {"non_concerne": "non concerné", "non_calculable": "non calculable", "exclu": "exclu"}


def item_decl(r: Registry, st: Tree[Token], section: str | None = None) -> None:
    """An `item`: its maximum, point rules, conditional maxima, evidence and references."""
    code_tok, title, maximum, *lines = st.children
    code = str(code_tok)
    if code in r.items:
        r.error(r.span(code_tok), f"item « {code} » déjà déclaré")
    evidence: list[str] = []
    refs: list[str] = []
    rules: list[Rule] = []
    maxima: list[ConditionalMaximum] = []
    renamed: list[str] = []
    for line in map(sub, lines):
        if line.data == "renamed_item":
            renamed.append(str(line.children[0]))
        elif line.data == "conditional_maximum":
            value, cond = line.children
            maxima.append(ConditionalMaximum(number(value), expression(cond, r.filename), r.span(line)))
        elif line.data == "evidence":
            evidence.append(string(line.children[0]))
        elif line.data == "reference":
            refs.append(string(line.children[0]))
        else:
            points, cond, *label = line.children
            text = string(label[0]) if label else source_text(r.text, sub(cond))
            rule = Rule(number(points), expression(cond, r.filename), text, r.span(line), labelled=bool(label))
            rules.append(rule)
    if not rules:
        r.error(r.span(code_tok), f"l’item « {code} » n’a aucune règle de points")
    r.items[code] = Item(
        code,
        string(title),
        number(maximum),
        tuple(rules),
        tuple(evidence),
        tuple(refs),
        section,
        (),
        tuple(maxima),
        tuple(renamed),
        r.span(code_tok),
    )


def value_decl(r: Registry, st: Tree[Token], section: str | None = None) -> None:
    """A `valeur`: a named computed value, usable in rules and formulas."""
    name_tok, label, expr, *unit = st.children
    name = str(name_tok)
    r.claim(name, r.span(name_tok), "valeur")
    r.values[name] = Value(
        name,
        string(label),
        expression(expr, r.filename),
        string(unit[0]) if unit else None,
        section,
        r.span(name_tok),
    )


def indicator(r: Registry, st: Tree[Token]) -> None:
    """An `indicateur`: exactly one definition (items, a formula, or a formula per case)."""
    name_tok, title, *rest = st.children
    code = str(name_tok)
    r.claim(code, r.span(name_tok), "indicateur")
    maximum: Fraction | None = None
    if rest and isinstance(rest[0], Token):
        maximum = number(rest.pop(0))
    fields: dict[str, Any] = {"statuses": [], "groups": [], "cases": []}
    for line in map(sub, rest):
        d = line.data
        ch = line.children
        if d == "unit":
            fields["unit"] = string(ch[0])
        elif d in _STATUS_KINDS:
            fields["statuses"].append(_status(r, line))
        elif d == "formula_value":
            fields["formula"] = expression(ch[0], r.filename)
        elif d == "cases":
            fields["cases"].extend(_case(r, sub(c)) for c in ch)
        elif d == "precision":
            fields["precision"] = int(str(ch[0]))
            if fields["precision"] > MAX_DECIMALS:
                r.error(r.span(line), f"au plus {MAX_DECIMALS} décimales")
                fields["precision"] = MAX_DECIMALS
        elif d == "shown_if_computed":
            fields["shown_if_computed"] = True
        elif d == "fixed_classes":
            limits = [number(t) for t in ch]
            _check_limits(r, line, limits)
            fields["classes"] = ClassTable(r.scale, None, {None: tuple(limits)})
        elif d == "classes_by":
            fields["classes"] = _classes_by(r, line, code)
        elif d == "group":
            fields["groups"].append(_group(r, line))
        elif d == "items":
            fields["groups"].extend(str(t) for t in sub(ch[0]).children)
    definitions: tuple[tuple[IndicatorKind, object], ...] = (
        ("points", fields["groups"]),
        ("valeur", "formula" in fields),
        ("selon", fields["cases"]),
    )
    kinds = [k for k, present in definitions if present]
    if len(kinds) != 1:
        r.error(
            r.span(name_tok),
            f"l’indicateur « {code} » doit avoir exactement une définition : des items, "
            "une « valeur », ou « selon les indicateurs concernés »",
        )
        kinds = kinds or ["points"]
    r.indicators[code] = Indicator(
        code=code,
        title=string(title),
        kind=kinds[0],
        maximum=maximum,
        unit=fields.get("unit"),
        precision=fields.get("precision", 2),
        statuses=tuple(fields["statuses"]),
        groups=tuple(fields["groups"]),
        formula=fields.get("formula"),
        cases=tuple(fields["cases"]),
        classes=fields.get("classes"),
        shown_if_computed=fields.get("shown_if_computed", False),
        span=r.span(name_tok),
    )


def _status(r: Registry, line: Tree[Token]) -> StatusClause:
    kind = _STATUS_KINDS[line.data]
    cond = expression(line.children[0], r.filename)
    label: str | None = None
    reason = ""
    for t in map(tok, line.children[1:]):
        if t.type == "NAME":
            label = str(t)
        else:
            reason = string(t)
    return StatusClause(kind, cond, reason or _STATUS_DEFAULT_REASONS[kind], label, r.span(line))


def _case(r: Registry, node: Tree[Token]) -> Case:
    *names, formula = node.children
    order = tuple(str(n) for n in names)
    if len(set(order)) != len(order):
        r.error(r.span(node), "indicateur répété dans la liste")
    return Case(frozenset(order), order, expression(formula, r.filename), r.span(node))


def _check_limits(r: Registry, node: Tree[Token], limits: list[Fraction]) -> None:
    if r.scale and len(limits) != len(r.scale) - 1:
        r.error(
            r.span(node),
            f"{len(r.scale) - 1} limites attendues (échelle {' '.join(r.scale)}), {len(limits)} données",
        )
    if any(b < a for a, b in itertools.pairwise(limits)):
        r.error(r.span(node), "les limites de classes doivent être croissantes")


def _classes_by(r: Registry, line: Tree[Token], code: str) -> ClassTable:
    field_tok, *rows = line.children
    table: dict[str | int | None, tuple[Fraction, ...]] = {}
    for row in map(sub, rows):
        key_node, *limit_toks = row.children
        key_tok = tok(key_node)
        key: str | int = int(str(key_tok)) if key_tok.type == "INT" else str(key_tok)
        limits = [number(t) for t in limit_toks]
        _check_limits(r, row, limits)
        if key in table:
            r.error(r.span(row), f"ligne « {key} » en double dans les classes de {code}")
        table[key] = tuple(limits)
    return ClassTable(r.scale, str(field_tok), table)


def _group(r: Registry, node: Tree[Token]) -> Group:
    kind_node, code, title, *rest = node.children
    maximum = None
    if rest and isinstance(rest[0], Token):
        maximum = number(rest.pop(0))
    children: list[Group | str] = []
    for part in map(sub, rest):
        if part.data == "group":
            children.append(_group(r, part))
        else:
            children.extend(str(t) for t in part.children)
    kind = _GROUP_KINDS[str(sub(kind_node).children[0])]
    return Group(kind, str(code), string(title), maximum, tuple(children), r.span(code))
