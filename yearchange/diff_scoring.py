"""What changed in what answers are worth: values, items and their rules, indicators, weights, classes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from fractions import Fraction

from bilan.engine.expr import Expr
from bilan.engine.model import ClassTable, Group, Indicator, Item, Rule
from bilan.yearchange.changes import SCORES, WORDING, About, Changes, matched
from bilan.yearchange.correspondence import Correspondence, option_map
from bilan.yearchange.diff_questions import condition_text, old_condition
from bilan.yearchange.expressions import number_text, source, translate

_STATUS_WORDS = {"non_concerne": "non concerné", "non_calculable": "non calculable", "exclu": "exclu"}


def scoring_changes(corr: Correspondence, out: Changes) -> None:
    out.about("campagne", "echelle", "échelle des classes").compare(
        SCORES, "classes", " ".join(corr.old.scale), " ".join(corr.new.scale)
    )
    _values(corr, out)
    _items(corr, out)
    _indicators(corr, out)


def _formula(corr: Correspondence, expr: Expr | None) -> str | None:
    return None if expr is None else source(translate(expr, corr))


def _values(corr: Correspondence, out: Changes) -> None:
    old, new = corr.old.values, corr.new.values
    for name, v in new.items():
        about = out.about("valeur", name, f"valeur « {name} »")
        before = old.get(name)
        if before is None:
            about.add(SCORES, "valeur ajoutée", after=source(v.expr))
            continue
        about.compare(SCORES, "formule", _formula(corr, before.expr), source(v.expr))
        about.compare(WORDING, "libellé", before.label, v.label)
        about.compare(WORDING, "unité", before.unit, v.unit)
    for name, v in old.items():
        if name not in new:
            out.about("valeur", name, f"valeur « {name} »").add(SCORES, "valeur retirée", before=source(v.expr))


def _points(value: Fraction) -> str:
    return f"{number_text(value)} point{'s' if value > 1 else ''}"


def rule_text(rule: Rule, condition: Expr | None = None) -> str:
    return f"{_points(rule.points)} si {source(condition or rule.condition)}"


def _wording(rule: Rule) -> str | None:
    """A rule's own label; None when it has none (its condition is printed)."""
    return rule.label if rule.labelled else None


def _items(corr: Correspondence, out: Changes) -> None:
    pairs, removed, added = matched(
        list(corr.old.items.values()),
        list(corr.new.items.values()),
        lambda i: i.code,
        lambda i: (*i.renamed_from, i.code),
    )
    for a, b in pairs:
        about = out.about("item", b.code, f"item {b.code}")
        if a.code != b.code:
            about.add(SCORES, f"renommé de « {a.code} »")
        about.compare(WORDING, "titre", a.title, b.title)
        about.compare(SCORES, "maximum", number_text(a.maximum), number_text(b.maximum))
        about.compare(
            SCORES,
            "maxima conditionnels",
            tuple(f"{number_text(m.maximum)} {old_condition(corr, m.condition)}" for m in a.maxima),
            tuple(f"{number_text(m.maximum)} {condition_text(m.condition)}" for m in b.maxima),
        )
        _rules(corr, a, b, about)
        about.compare(WORDING, "éléments de preuve", a.evidence, b.evidence)
        about.compare(WORDING, "références", a.references, b.references)
    for i in removed:
        out.about("item", i.code, f"item {i.code}").add(
            SCORES, "item retiré", before=f"{i.title} (sur {number_text(i.maximum)})"
        )
    for i in added:
        out.about("item", i.code, f"item {i.code}").add(
            SCORES, "item ajouté", after=f"{i.title} (sur {number_text(i.maximum)})"
        )


def _rules(corr: Correspondence, old: Item, new: Item, about: About) -> None:
    """Rules compared as a set (an item's points are the sum of those that hold): a rule whose
    condition stayed and whose points changed is said so; the others are removed or added."""
    before = [(r.points, translate(r.condition, corr)) for r in old.rules]
    after = [(r.points, r.condition) for r in new.rules]
    if before == after:
        for a, b in zip(old.rules, new.rules, strict=True):  # a condition renamed is no new wording
            about.compare(WORDING, f"libellé de la règle « {rule_text(b)} »", _wording(a), _wording(b))
        return
    gone = Counter(before) - Counter(after)
    come = Counter(after) - Counter(before)
    if not gone and not come:
        about.add(WORDING, "ordre des règles")
        return
    old_by_key = {key: r for key, r in zip(before, old.rules, strict=True)}
    for points, condition in list(come.elements()):
        same = next((k for k in gone.elements() if k[1] == condition), None)
        if same is not None:
            gone[same] -= 1
            come[(points, condition)] -= 1
            what = f"règle « si {source(condition)} »"
            about.add(SCORES, what, _points(same[0]), _points(points))
    for key in gone.elements():
        about.add(SCORES, "règle retirée", before=rule_text(old_by_key[key]))
    for points, condition in come.elements():
        about.add(SCORES, "règle ajoutée", after=f"{_points(points)} si {source(condition)}")


def _indicators(corr: Correspondence, out: Changes) -> None:
    old, new = corr.old.indicators, corr.new.indicators
    for code, ind in new.items():
        about = out.about("indicateur", code, f"indicateur {code}")
        before = old.get(code)
        if before is None:
            about.add(SCORES, "indicateur ajouté", after=ind.title)
            continue
        about.compare(WORDING, "titre", before.title, ind.title)
        about.compare(WORDING, "unité", before.unit, ind.unit)
        about.compare(WORDING, "affichage", _DISPLAY[before.shown_if_computed], _DISPLAY[ind.shown_if_computed])
        about.compare(SCORES, "définition", _KINDS[before.kind], _KINDS[ind.kind])
        about.compare(SCORES, "maximum", _number(before.maximum), _number(ind.maximum))
        about.compare(SCORES, "décimales", str(before.precision), str(ind.precision))
        about.compare(SCORES, "formule", _formula(corr, before.formula), _formula_new(ind.formula))
        _statuses(corr, before, ind, about)
        _cases(corr, before, ind, about)
        _groups(corr, before, ind, about)
        _classes(corr, before.classes, ind.classes, about)
    for code, ind in old.items():
        if code not in new:
            out.about("indicateur", code, f"indicateur {code}").add(SCORES, "indicateur retiré", before=ind.title)


_DISPLAY = {False: "toujours affiché", True: "affiché si calculé"}  # `affiché si calculé`: live displays only
_KINDS = {"points": "somme d’items", "valeur": "formule", "selon": "formule selon les indicateurs concernés"}


def _number(value: Fraction | None) -> str | None:
    return None if value is None else number_text(value)


def _formula_new(expr: Expr | None) -> str | None:
    return None if expr is None else source(expr)


def _statuses(corr: Correspondence, old: Indicator, new: Indicator, about: About) -> None:
    def text(kind: str, label: str | None, condition: str) -> str:
        return f"{_STATUS_WORDS[kind]} {condition}" + (f" (classe {label})" if label else "")

    before = tuple(text(s.kind, s.label, old_condition(corr, s.condition)) for s in old.statuses)
    after = tuple(text(s.kind, s.label, condition_text(s.condition)) for s in new.statuses)
    about.compare(SCORES, "statuts", before, after)
    if before == after:
        about.compare(
            WORDING, "motifs des statuts", tuple(s.reason for s in old.statuses), tuple(s.reason for s in new.statuses)
        )


def _cases(corr: Correspondence, old: Indicator, new: Indicator, about: About) -> None:
    pairs, removed, added = matched(
        old.cases, new.cases, lambda c: ", ".join(sorted(c.indicators)), lambda c: (", ".join(sorted(c.indicators)),)
    )
    for a, b in pairs:
        about.compare(SCORES, f"formule pour {', '.join(b.order)}", _formula(corr, a.formula), source(b.formula))
    for c in removed:
        about.add(SCORES, f"formule pour {', '.join(c.order)} retirée", before=source(c.formula))
    for c in added:
        about.add(SCORES, f"formule pour {', '.join(c.order)} ajoutée", after=source(c.formula))


def _tree(children: Iterable[Group | str], parent: str) -> Iterator[tuple[Group | str, str]]:
    """Every group and item code of an indicator, with the code of what holds it."""
    for child in children:
        yield child, parent
        if isinstance(child, Group):
            yield from _tree(child.children, child.code)


def _groups(corr: Correspondence, old: Indicator, new: Indicator, about: About) -> None:
    """Functions, sub-functions and groups: added, removed, weights; items that moved between them."""
    old_groups = {g.code: (g, p) for g, p in _tree(old.groups, old.code) if isinstance(g, Group)}
    new_groups = {g.code: (g, p) for g, p in _tree(new.groups, new.code) if isinstance(g, Group)}
    for code, (g, parent) in new_groups.items():
        what = f"{g.kind} {code}"
        if code not in old_groups:
            about.add(SCORES, f"{what} ajoutée", after=f"{g.title}{_on(g.maximum)}")
            continue
        before, old_parent = old_groups[code]
        about.compare(WORDING, f"titre de la {what}", before.title, g.title)
        about.compare(SCORES, f"maximum de la {what}", _number(before.maximum), _number(g.maximum))
        about.compare(SCORES, f"{what} : placée dans", old_parent, parent)
    for code, (g, _) in old_groups.items():
        if code not in new_groups:
            about.add(SCORES, f"{g.kind} {code} retirée", before=f"{g.title}{_on(g.maximum)}")
    old_items = _items_of(old)
    new_items = _items_of(new)
    for item, parent in new_items.items():
        predecessor = corr.items.get(item)
        about.compare(SCORES, f"item {item} : compté dans", old_items.get(predecessor or ""), parent)
    successors = {o: n for n, o in corr.items.items()}
    for item, parent in old_items.items():
        successor = successors.get(item)
        if successor is not None and successor not in new_items:
            about.add(SCORES, f"item {item} : n’y est plus compté", before=parent)


def _items_of(ind: Indicator) -> dict[str, str]:
    """Each item code of an indicator, with the code of the group (or indicator) that holds it."""
    return {i: p for i, p in _tree(ind.groups, ind.code) if isinstance(i, str)}


def _on(maximum: Fraction | None) -> str:
    return "" if maximum is None else f" (sur {number_text(maximum)})"


def _classes(corr: Correspondence, old: ClassTable | None, new: ClassTable | None, about: About) -> None:
    if old is None or new is None:
        about.compare(
            SCORES, "classes", "aucune" if old is None else "définies", "aucune" if new is None else "définies"
        )
        return
    about.compare(SCORES, "classes selon", old.by or "limites fixes", new.by or "limites fixes")
    codes: dict[str | int, str | int] = {}
    if old.by and new.by and old.by in corr.old.fields and new.by in corr.new.fields:
        codes = option_map(corr.old.fields[old.by].type, corr.new.fields[new.by].type)
    before = {(codes.get(k, k) if k is not None else None): limits for k, limits in old.limits.items()}
    for key, limits in new.limits.items():
        what = "limites de classes" + ("" if key is None else f", {new.by} = {key}")
        about.compare(SCORES, what, _limits(before.get(key)), _limits(limits))
    for key, limits in before.items():
        if key not in new.limits:
            about.add(SCORES, f"limites de classes, {old.by} = {key} retirées", before=_limits(limits))


def _limits(limits: tuple[Fraction, ...] | None) -> str | None:
    return None if limits is None else " ".join(number_text(x) for x in limits)
