"""The validators' checklist ("liste de validation des données") of one declaration.

For every scoring item: the answers declared, the points earned, the evidence to check, boxes
"preuve présentée / conforme", and what every indicator becomes if the evidence is missing (the
cahier des charges zeroes the item): the declaration rescored by the engine with the item's
points forced to 0, so that totals, formulas, the score agrégé and their classes all follow.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from bilan.engine.evaluate import Engine
from bilan.engine.expr import format_number
from bilan.engine.model import Campaign, Indicator
from bilan.engine.result import Declaration, IndicatorResult, ItemOverride, Result
from bilan.exports.checklist_document import ChecklistData, ChecklistItem, Effect
from bilan.exports.document_head import document_head, text_head
from bilan.exports.recap import indicator_node
from bilan.exports.recap_document import LabelledValue
from bilan.exports.text_wrap import WIDTH, wrap
from bilan.presentation.answers import answer_of, question_title
from bilan.presentation.indicators import is_class, shown_class, value_text


def item_indicator(campaign: Campaign) -> dict[str, Indicator]:
    """The points indicator each item counts in (first one wins)."""
    out: dict[str, Indicator] = {}
    for ind in campaign.indicators.values():
        if ind.kind == "points":
            for code in ind.item_codes():
                out.setdefault(code, ind)
    return out


MISSING_EVIDENCE = "preuve absente : item mis à zéro"


def _reading(campaign: Campaign, r: IndicatorResult) -> str:
    """An indicator in a few words: « 85 / 100, classe D », « non concerné »."""
    if r.status == "ok" and r.value is not None:
        return value_text(campaign, r) + (f", classe {r.class_label}" if r.class_label else "")
    return shown_class(r)


def without_evidence(
    campaign: Campaign, engine: Engine, declaration: Declaration, result: Result, code: str
) -> list[Effect]:
    """Every indicator that changes when the item is zeroed (its evidence missing), rescored by the
    engine with the item's points forced to 0: totals, formulas, the score agrégé, its classes."""
    forced = {**declaration.overrides, code: ItemOverride(Fraction(0), MISSING_EVIDENCE)}
    after = engine.score(attrs.evolve(declaration, overrides=forced))
    changes: list[Effect] = []
    for name, before in result.indicators.items():
        now = after.indicators[name]
        if (now.status, now.value, now.class_label) == (before.status, before.value, before.class_label):
            continue
        if before.class_label is None and now.class_label is None:
            note = "indicateur sans classe"
        else:
            note = "change de classe" if now.class_label != before.class_label else "même classe"
        changes.append(
            {
                "code": name,
                "before": _reading(campaign, before),
                "after": _reading(campaign, now),
                "note": note,
                "class_changed": note == "change de classe",
            }
        )
    return changes


def item_answers(campaign: Campaign, code: str, declaration: Declaration, result: Result) -> list[LabelledValue]:
    """The declared answers behind an item, question by question."""
    out: list[LabelledValue] = []
    printed = {q.name: i for i, q in enumerate(q for s in campaign.sections for q in s.walk())}
    for name in sorted(campaign.items[code].questions, key=lambda n: printed.get(n, len(printed))):
        q = campaign.questions[name]
        for f in q.fields:
            label = question_title(q) + (f" — {f.label}" if f.label else "")
            out.append({"label": label, "value": answer_of(f, declaration.answers, result)})
    return out


def checklist_data(
    campaign: Campaign, filename: str, declaration: Declaration, result: Result | None = None
) -> ChecklistData:
    """Everything the checklist prints, as JSON-friendly data (also fed to the Typst template)."""
    engine = Engine(campaign)
    result = result or engine.score(declaration)
    owner = item_indicator(campaign)
    items: list[ChecklistItem] = []
    order = [c for ind in campaign.indicators.values() for c in ind.item_codes()]
    order += [c for c in campaign.items if c not in order]
    seen: set[str] = set()
    for code in order:
        if code in seen:
            continue
        seen.add(code)
        item = campaign.items[code]
        i = result.items[code]
        ind = owner.get(code)
        effects = without_evidence(campaign, engine, declaration, result, code) if i.points else []
        items.append(
            {
                "code": code,
                "title": item.title,
                "indicator": ind.code if ind is not None else None,
                "points": format_number(i.points),
                "max": format_number(i.maximum),
                "reason": i.reason,
                "answers": item_answers(campaign, code, declaration, result),
                "evidence": list(item.evidence),
                "loss": format_number(i.points),
                "effects": effects,
            }
        )
    a = declaration.answers
    return {
        **document_head("checklist", campaign, filename, a),
        "indicators": [indicator_node(campaign, r) for r in result.indicators.values()],
        "items": items,
    }


# ----------------------------------------------------------------------------- 80 columns


def checklist_text(data: ChecklistData) -> str:
    """The checklist in 80 columns: one block per item, boxes to tick, signatures at the end."""
    bar = "=" * WIDTH
    lines = [
        *text_head("LISTE DE VALIDATION DES DONNÉES", data),
        *wrap(
            "Tout élément de preuve manquant fait considérer l’item comme absent : sa "
            "valorisation est mise à zéro. « Si preuve absente » donne l’indicateur recalculé.",
            0,
        ),
        "",
        "Indicateurs déclarés :",
    ]
    for ind in data["indicators"]:
        value = ind["status"]
        if ind["ok"]:
            value = (
                f"{ind['value']}"
                + (f" / {ind['max']}" if ind["max"] else "")
                + (f" {ind['unit']}" if ind["unit"] else "")
            )
        shown = bool(ind["class"]) if ind["ok"] else is_class(ind["class"])
        klass = f" — classe {ind['class']}" if shown else ""
        lines.append(f"  {ind['code']:<8} {value}{klass}")
    for it in data["items"]:
        lines += ["", "-" * WIDTH]
        where = f" [{it['indicator']}]" if it["indicator"] else ""
        lines += wrap(f"{it['code']}{where} — {it['title']} : {it['points']} / {it['max']} point(s)", 0)
        lines += wrap(f"Règle appliquée : {it['reason']}", 2, rest="    ")
        for ans in it["answers"]:
            lines += wrap(f"Réponse : {ans['label']} → {ans['value']}", 2, rest="    ")
        for ev in it["evidence"]:
            lines += wrap(ev, 2, first="Preuve : ", rest="    ")
        effects = " ; ".join(f"{e['code']} {e['before']} → {e['after']} ({e['note']})" for e in it["effects"])
        lines += wrap(f"Si preuve absente : −{it['loss']} point(s) : {effects or 'sans incidence'}", 2, rest="    ")
        lines.append("  [ ] preuve présentée    [ ] conforme    [ ] non conforme")
        lines.append("  Observations : " + "_" * (WIDTH - 17))
    lines += ["", bar, *wrap("En cas de divergence modifiant un indicateur, signatures :", 0), ""]
    for who in ("Le responsable légal de l’établissement", "Le président du CLIN"):
        lines += [who, "  Nom : " + "_" * 32 + "  Date : |__|__|/|__|__|/|__|__|__|__|", "  Signature :", "", ""]
    return "\n".join(line.rstrip() for line in lines) + "\n"
