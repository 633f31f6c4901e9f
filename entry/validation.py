"""When a declaration may be validated, and what keeps it from being: one list, in the order of the form."""

from __future__ import annotations

from bilan.engine.model import Campaign
from bilan.engine.result import Result


def question_reference(campaign: Campaign, question: str) -> str:
    """« II.2 » for a chapter question, « Données administratives : » for a fiche field."""
    q = campaign.questions[question]
    section = next(s for s in campaign.sections if s.name == q.section)
    if section.number:
        return f"{section.number}.{q.number}" if q.number else section.number
    return f"{section.title} :"


def field_title(campaign: Campaign, name: str) -> str:
    """A field as a person names it: « II.2 Combien y a-t-il eu… », « III.1 Médecin »."""
    f = campaign.fields[name]
    words = f.label or campaign.questions[f.question].text
    return f"{question_reference(campaign, f.question)} {words}"


def validation_problems(campaign: Campaign, result: Result, read_only: str | None = None) -> list[str]:
    """Every reason the declaration cannot be validated now; empty when it can.

    Missing answers come one line per question (a grid's missing rows are named on that line),
    then errors, then warnings not yet justified.
    """
    if read_only:
        return [read_only]
    lines = []
    by_question: dict[str, list[str]] = {}
    for name in result.missing:
        f = campaign.fields[name]
        by_question.setdefault(f.question, []).append(f.label)
    for qname, labels in by_question.items():
        q = campaign.questions[qname]
        rows = [lab for lab in labels if lab]
        detail = f" ({len(rows)} ligne(s) : {', '.join(rows[:3])}{' …' if len(rows) > 3 else ''})" if rows else ""
        lines.append(f"• réponse manquante : {question_reference(campaign, qname)} {q.text[:60]}{detail}")
    for chk in result.checks:
        if chk.blocking:
            kind = "erreur" if chk.check.severity == "erreur" else "avertissement non justifié"
            lines.append(f"• {kind} : {chk.check.message}")
    return lines
