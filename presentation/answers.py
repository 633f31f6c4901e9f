"""Answers and questions as a person reads them: option labels, French numbers, printed numbers."""

from __future__ import annotations

from fractions import Fraction

from bilan.engine.expr import Value, format_number
from bilan.engine.model import Campaign, ChoiceType, Field, MultiChoiceType, NumberType, Question
from bilan.engine.result import Result


def printed_number(number: str | None) -> str | None:
    """ "2" -> "2.", "4.1.1" -> "4.1.1.": question numbers as the form prints them."""
    if not number:
        return None
    return number if number.endswith(".") else f"{number}."


def establishment_name(answers: dict[str, Value]) -> str:
    """« raison sociale — FINESS », from what is known of the two."""
    return " — ".join(str(x) for x in (answers.get("raison_sociale"), answers.get("finess")) if x)


NOT_ANSWERED = "non renseigné"
NOT_ASKED = "sans objet (question non posée)"


def value_text(field: Field, value: Value) -> str:
    """One answer: an option's label, a number with its decimal comma and unit, a text."""
    if value is None:
        return NOT_ANSWERED
    ftype = field.type
    if isinstance(ftype, ChoiceType):
        option = ftype.option(value)
        return option.label if option else str(value)
    if isinstance(ftype, MultiChoiceType):
        if not isinstance(value, frozenset | set | list | tuple):
            return str(value)
        labels = [o.label for o in ftype.choice.options if o.code in value]
        return " ; ".join(labels) if labels else "aucune"
    if isinstance(ftype, NumberType) and isinstance(value, Fraction):
        unit = f" {field.unit}" if field.unit else ""
        return format_number(value, max(ftype.decimals, 0)) + unit
    return str(value)


def answer_of(field: Field, answers: dict[str, Value], result: Result) -> str:
    """What the recap prints for a field: its answer, or why it does not count."""
    if field.name in result.visible:
        return value_text(field, answers.get(field.name))
    if answers.get(field.name) is not None:
        return f"{value_text(field, answers[field.name])} (réponse masquée, non comptée)"
    return NOT_ASKED


def question_title(q: Question) -> str:
    """ "1.2. L’établissement a-t-il ..." — the question as printed, number first."""
    number = printed_number(q.number)
    return f"{number} {q.text}" if number else q.text


def field_place(campaign: Campaign, field: Field) -> str:
    """Where a field is printed: "Chapitre III, question 1 (Médecin)"."""
    section = campaign.section_of(field)
    q = campaign.questions[field.question]
    where = f"Chapitre {section.number}" if section.kind == "chapitre" else section.title
    top = q
    while top.number is None and top.parent is not None:
        top = campaign.questions[top.parent]
    if top.number:
        where += f", question {top.number}"
    label = field.label or (q.text if q is not top or not top.number else "")
    return f"{where} ({label})" if label else where
