"""The recap of one declaration, for a person: who, state, every answer, item points, indicators.

Built from the engine's Result, the same one `results_dict` turns into the TOML export, so the
recap's figures are the export's figures (rounded for print with format_number).
"""

from __future__ import annotations

from bilan.engine.declaration_state import DeclarationState, block_text
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value, format_number
from bilan.engine.feeds import feeds_of
from bilan.engine.model import Campaign, Question, Section
from bilan.engine.result import Declaration, GroupResult, IndicatorResult, Result
from bilan.exports.document_head import document_head, text_head
from bilan.exports.recap_document import (
    CheckNode,
    DataBlockNode,
    GroupRow,
    IndicatorNode,
    ItemRow,
    ItemTable,
    LabelledValue,
    QuestionAnswers,
    RecapData,
    SectionAnswers,
    StateNode,
)
from bilan.exports.text_wrap import wrap
from bilan.presentation.answers import answer_of, field_place, question_title, value_text
from bilan.presentation.indicators import STATUS_TEXT, is_class, shown_class

PROVISIONAL_NOTE = (
    "provisoire : calculé avec des données externes saisies par l’établissement, "
    "en attente des chiffres de l’administration"
)


def indicator_node(campaign: Campaign, r: IndicatorResult, provisional: bool = False) -> IndicatorNode:
    """An indicator's value, maximum, class, or the reason it is not computed; whether it is provisional."""
    ind = campaign.indicators[r.code]
    value = format_number(r.value, ind.precision) if r.value is not None else None
    return {
        "code": r.code,
        "title": ind.title,
        "status": STATUS_TEXT[r.status],
        "ok": r.ok,
        "value": value,
        "max": format_number(ind.maximum) if ind.maximum is not None else None,
        "unit": ind.unit,
        "class": shown_class(r),
        "reason": r.reason,
        "case": list(r.case),
        "provisional": provisional,
    }


def _question_answers(q: Question, depth: int, answers: dict[str, Value], result: Result) -> list[QuestionAnswers]:
    lines: list[QuestionAnswers] = []
    rows: list[LabelledValue] = (
        [{"label": f.label, "value": answer_of(f, answers, result)} for f in q.fields] if q.layout != "simple" else []
    )
    value = answer_of(q.fields[0], answers, result) if q.layout == "simple" else None
    lines.append({"title": question_title(q), "branch": q.branch_label, "depth": depth, "value": value, "rows": rows})
    for child in q.children:
        lines.extend(_question_answers(child, depth + 1, answers, result))
    return lines


def section_answers(section: Section, answers: dict[str, Value], result: Result) -> SectionAnswers:
    heading = f"Chapitre {section.number} — {section.title}" if section.kind == "chapitre" else section.title
    return {
        "title": heading,
        "questions": [a for q in section.questions for a in _question_answers(q, 0, answers, result)],
    }


def _group_rows(
    groups: tuple[GroupResult | str, ...], result: Result, campaign: Campaign, depth: int
) -> list[GroupRow | ItemRow]:
    """Functions, sub-functions and their items, in the indicator's order."""
    rows: list[GroupRow | ItemRow] = []
    for g in groups:
        if isinstance(g, GroupResult):
            group: GroupRow = {
                "kind": "group",
                "depth": depth,
                "code": g.code,
                "title": g.title,
                "points": format_number(g.points),
                "max": format_number(g.maximum) if g.maximum is not None else None,
            }
            rows.append(group)
            rows.extend(_group_rows(g.children, result, campaign, depth + 1))
        else:
            i = result.items[g]
            item: ItemRow = {
                "kind": "item",
                "depth": depth,
                "code": g,
                "title": campaign.items[g].title,
                "points": format_number(i.points),
                "max": format_number(i.maximum),
                "reason": i.reason,
                "incomplete": not i.complete,
            }
            rows.append(item)
    return rows


def item_tables(campaign: Campaign, result: Result) -> list[ItemTable]:
    """One table per points indicator (items under their functions), then stray items."""
    tables: list[ItemTable] = []
    seen: set[str] = set()
    for code, ind in campaign.indicators.items():
        if ind.kind != "points":
            continue
        r = result.indicators[code]
        # a non-concerned indicator has no computed groups: its items are listed flat
        rows = _group_rows(r.groups or tuple(ind.item_codes()), result, campaign, 0)
        seen.update(ind.item_codes())
        tables.append(
            {
                "code": code,
                "title": ind.title,
                "status": STATUS_TEXT[r.status],
                "ok": r.ok,
                "reason": r.reason,
                "rows": rows,
            }
        )
    stray = [c for c in campaign.items if c not in seen]
    if stray:
        tables.append(
            {
                "code": "",
                "title": "Autres items",
                "status": "",
                "ok": True,
                "reason": None,
                "rows": _group_rows(tuple(stray), result, campaign, 0),
            }
        )
    return tables


def state_node(campaign: Campaign, result: Result, state: DeclarationState | None = None) -> StateNode:
    """Validated or not (who, when), complete or not, what is missing (where), errors and
    warnings (with justification)."""
    missing = [field_place(campaign, campaign.fields[name]) for name in result.missing]
    checks: list[CheckNode] = [
        {
            "severity": c.check.severity,
            "name": c.check.name,
            "message": c.check.message,
            "justification": c.justification,
            "where": question_title(campaign.questions[c.check.question]),
        }
        for c in result.checks
    ]
    hidden = [field_place(campaign, campaign.fields[name]) for name in result.hidden_answers]
    if result.can_validate:
        summary = "déclaration complète, validable"
    elif not result.complete:
        summary = f"déclaration incomplète : {len(result.missing)} réponse(s) manquante(s)"
    else:
        summary = "déclaration complète, non validable (erreur ou avertissement non justifié)"
    state = state or DeclarationState()
    return {
        "validated": bool(state.validated_at),
        "validation": state.validation_text(),
        "complete": result.complete,
        "validable": result.can_validate,
        "summary": summary,
        "missing": missing,
        "checks": checks,
        "hidden": hidden,
    }


def identity(campaign: Campaign, declaration: Declaration) -> list[LabelledValue]:
    """The identification fiches as label/answer pairs."""
    out: list[LabelledValue] = []
    for fiche in campaign.fiches:
        for f in fiche.fields():
            q = campaign.questions[f.question]
            out.append({"label": f.label or q.text, "value": value_text(f, declaration.answers.get(f.name))})
    return out


def recap_data(campaign: Campaign, filename: str, declaration: Declaration, result: Result | None = None) -> RecapData:
    """Everything the recap prints, as JSON-friendly data (also fed to the Typst template)."""
    result = result or Engine(campaign).score(declaration)
    a = declaration.answers
    state = declaration.state
    feeds = feeds_of(campaign)
    provisional = feeds.provisional(result, state.provisional_blocks)
    blocks: list[DataBlockNode] = []
    for block in campaign.data_blocks:
        present = block.name in declaration.blocks
        blocks.append(
            {
                "title": block.title,
                "present": present,
                "origin": block_text(state, block.name, present),
                "feeds": list(feeds.feeds[block.name]),
                "rows": [
                    {
                        "label": f.label or campaign.questions[f.question].text,
                        "value": value_text(f, a.get(f.name) if present else None),
                    }
                    for f in block.fields()
                ]
                if present
                else [],
            }
        )
    return {
        **document_head("recap", campaign, filename, a),
        "identity": identity(campaign, declaration),
        "state": state_node(campaign, result, state),
        "answers": [section_answers(s, a, result) for s in campaign.chapters],
        "data_blocks": blocks,
        "items": item_tables(campaign, result),
        "indicators": [indicator_node(campaign, r, r.code in provisional) for r in result.indicators.values()],
        "provisional_note": PROVISIONAL_NOTE if provisional else None,
    }


# ----------------------------------------------------------------------------- 80 columns


def indicator_line(ind: IndicatorNode) -> str:
    mark = " — provisoire" if ind["provisional"] else ""
    if ind["ok"]:
        of = f" / {ind['max']}" if ind["max"] else ""
        unit = f" {ind['unit']}" if ind["unit"] else ""
        klass = f" — classe {ind['class']}" if ind["class"] else ""
        return f"{ind['code']} : {ind['value']}{of}{unit}{klass}{mark}"
    label = f" ({ind['class']})" if is_class(ind["class"]) else ""
    return f"{ind['code']} : {ind['status']}{label} — {ind['reason']}{mark}"


def recap_text(data: RecapData) -> str:
    """The recap in 80 columns: same sections and figures as the PDF."""
    lines = text_head("RÉCAPITULATIF DE LA DÉCLARATION", data)
    for pair in data["identity"]:
        lines += wrap(f"{pair['label']} : {pair['value']}", 0, rest="    ")
    state = data["state"]
    lines += ["", "ÉTAT DE LA DÉCLARATION", "-" * 22, *wrap(f"Validation : {state['validation']}", 0, rest="    ")]
    lines += wrap(state["summary"], 0)
    for m in state["missing"]:
        lines += wrap(f"manquant : {m}", 2, rest="    ")
    for c in state["checks"]:
        tag = "ERREUR" if c["severity"] == "erreur" else "AVERTISSEMENT"
        just = f" — justification : {c['justification']}" if c["justification"] else " — non justifié"
        if c["severity"] == "erreur":
            just = ""
        lines += wrap(f"{tag} [{c['name']}] {c['message']}{just}", 2, rest="    ")
    for h in state["hidden"]:
        lines += wrap(f"réponse masquée (non comptée) : {h}", 2, rest="    ")
    lines += ["", "INDICATEURS", "-" * 11]
    for ind in data["indicators"]:
        lines += wrap(indicator_line(ind), 2, rest="    ")
    if data["provisional_note"]:
        lines += ["", *wrap(data["provisional_note"], 2, rest="  ")]
    lines += ["", "POINTS PAR ITEM", "-" * 15]
    for table in data["items"]:
        head = f"{table['code']} — {table['title']}" if table["code"] else table["title"]
        lines += ["", *wrap(head, 0)]
        if not table["ok"] and table["reason"]:
            lines += wrap(f"({table['status']} : {table['reason']})", 2)
        for row in table["rows"]:
            pad = 2 + 2 * row["depth"]
            of = f"{row['points']} / {row['max']}" if row["max"] else row["points"]
            if row["kind"] == "group":
                lines += wrap(f"{row['code']} {row['title']} : {of}", pad, rest="    ")
            else:
                flag = " (incomplet)" if row["incomplete"] else ""
                text = f"{row['code']} {of} — {row['title']} : {row['reason']}{flag}"
                lines += wrap(text, pad, rest="    ")
    lines += ["", "RÉPONSES", "-" * 8]
    for section in data["answers"]:
        lines += ["", *wrap(section["title"].upper(), 0)]
        for q in section["questions"]:
            pad = 2 + 4 * q["depth"]
            title = f"{q['branch']} : {q['title']}" if q["branch"] else q["title"]
            if q["value"] is not None:
                lines += wrap(f"{title} → {q['value']}", pad, rest="    ")
            else:
                lines += wrap(title, pad, rest="    ")
                for answer in q["rows"]:
                    lines += wrap(f"{answer['label']} → {answer['value']}", pad + 4, rest="    ")
    for block in data["data_blocks"]:
        lines += ["", *wrap(block["title"].upper(), 0)]
        lines += wrap(f"Origine : {block['origin']}" if block["present"] else "données non fournies", 2, rest="    ")
        if block["feeds"]:
            lines += wrap(f"Alimente : {', '.join(block['feeds'])}", 2, rest="    ")
        for figure in block["rows"]:
            lines += wrap(f"{figure['label']} → {figure['value']}", 2, rest="    ")
    return "\n".join(line.rstrip() for line in lines) + "\n"
