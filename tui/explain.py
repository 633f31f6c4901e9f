"""F2 on a question: its consignes, the evidence to keep, how its items are valued and why."""

from __future__ import annotations

from rich.text import Text

from bilan.engine.expr import format_number
from bilan.engine.model import Item, Question
from bilan.entry.session import EntrySession as Session
from bilan.presentation.answers import value_text as show_value
from bilan.tui.question_view import question_title


def items_of(session: Session, question: Question) -> list[Item]:
    """Items fed by this question or by the question it hangs from."""
    names = {q.name for q in question.walk()}
    parent = question.parent
    while parent:
        names.add(parent)
        parent = session.campaign.questions[parent].parent
    return [i for i in session.campaign.items.values() if names & set(i.questions)]


def explanation(session: Session, question: Question) -> Text:
    s = session
    text = Text()
    text.append(question_title(question, s.section_of_question(question.name)) + "\n\n", style="bold")
    for f in question.fields:
        label = f.label or "Réponse"
        state = "" if f.name in s.result.visible else "  (masquée)"
        text.append(f"  {label} : {show_value(f, s.answers.get(f.name))}{state}\n")
    for title, lines in (
        ("Consignes", question.consignes),
        ("Références", question.references),
        ("Notes", question.notes),
    ):
        if lines:
            text.append(f"\n{title}\n", style="bold underline")
            for line in lines:
                text.append(f"• {line}\n")
    for item in items_of(s, question):
        r = s.result.items[item.code]
        text.append(f"\nItem {item.code} — {item.title}\n", style="bold underline")
        text.append(f"Points obtenus : {format_number(r.points)} sur {format_number(r.maximum)}", style="bold")
        text.append(f" — {r.reason}" + ("" if r.complete else " (réponses incomplètes)") + "\n")
        text.append("Règles de cotation :\n")
        for rule in item.rules:
            mark = "✔" if rule in r.matched else "·"
            text.append(
                f"  {mark} {format_number(rule.points):>3} pt  {rule.label}\n",
                style="bold" if rule in r.matched else "",
            )
        if item.evidence:
            text.append("Preuves à conserver :\n")
            for line in item.evidence:
                text.append(f"  • {line}\n")
    if not items_of(s, question):
        text.append("\nCette question ne compte dans aucun item (elle sert aux contrôles ou aux indicateurs).\n")
    return text
