"""The paper form as plain data, built once from the campaign model.

The PDF (Typst) and the 80-column text renderers both read this structure, so the two formats
cannot drift apart: same questions, same wording, same order, same answer grid (paper_grid),
same evidence under the same questions (paper_evidence). Everything is JSON-friendly (strings,
lists, dicts) because the Typst template receives it as JSON.
"""

from __future__ import annotations

import datetime as dt

from bilan.engine.model import (
    Campaign,
    ChoiceType,
    Field,
    FieldType,
    MultiChoiceType,
    NumberType,
    Question,
    Section,
    TextType,
)
from bilan.exports.paper_document import (
    Answer,
    ChoiceOption,
    EvidenceEntry,
    Heading,
    IdentityLabels,
    PaperForm,
    QuestionBlock,
    QuestionNode,
    SectionNode,
    Signature,
    TextBlock,
)
from bilan.exports.paper_evidence import evidence_entries, place_evidence
from bilan.exports.paper_grid import SLOT, ZONE, choice_layout, printed_heading
from bilan.presentation.answers import printed_number

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Identification texts that are printed as a row of digit boxes rather than a writing line.
TEXT_BOXES = {"finess": 9, "telephone": 10}

# The form's own sentences, printed alike by both renderers.
INSTRUCTIONS = (
    "Formulaire à remplir avant la saisie en ligne. Cocher une case par réponse (plusieurs si "
    "indiqué) ; écrire un chiffre par case ; les décimales après la virgule. Les données de la "
    "SAE ne sont pas à reporter ici. Les éléments de preuve indiqués sous les questions sont à "
    "rassembler dans le dossier de preuves, conservé dans l’établissement à la disposition de la "
    "DDASS et de la DRASS."
)
IDENTITY: IdentityLabels = {"finess": "N° FINESS", "name": "Établissement"}
EVIDENCE_TITLE = "Éléments de preuve à conserver"
OTHER_EVIDENCE_TITLE = "Autres éléments de preuve à conserver"
SIGNATURE: Signature = {
    "place": "Fait à",
    "date": "le",
    "signatory": "Nom et fonction du signataire",
    "stamp": "Signature et cachet de l’établissement",
}


def french_date(day: dt.date | None) -> str | None:
    """30 avril 2010: the way the circulars write dates."""
    if day is None:
        return None
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


LONG_LIST = 12  # options or rows; fewer always fit on a page with their question


def answer_spec(ftype: FieldType, unit: str | None = None) -> Answer:
    """How one field is answered on paper: digit boxes, check boxes or a writing line."""
    if isinstance(ftype, NumberType):
        return {"kind": "digits", "int": ftype.digits, "dec": ftype.decimals, "unit": unit}
    if isinstance(ftype, ChoiceType | MultiChoiceType):
        choice = ftype.choice if isinstance(ftype, MultiChoiceType) else ftype
        multi = isinstance(ftype, MultiChoiceType)
        labels = [o.label for o in choice.options]
        layout, slots = choice_layout(labels, any(o.description for o in choice.options), multi)
        options: list[ChoiceOption] = [
            {"label": o.label, "description": o.description, "slot": slots[i] if slots else None}
            for i, o in enumerate(choice.options)
        ]
        return {"kind": "choice", "multi": multi, "options": options, "layout": layout, "unit": unit}
    assert isinstance(ftype, TextType)
    if ftype.kind in TEXT_BOXES:
        return {"kind": "digits", "int": TEXT_BOXES[ftype.kind], "dec": 0, "unit": unit}
    return {"kind": "text", "unit": unit}


def _heading(label: str, prefix: str | None = None) -> Heading:
    """A table heading: capitalised lead-in and the rest (paper_grid.printed_heading)."""
    lead, rest = printed_heading(label)
    return {"lead": f"{prefix.upper()}, {lead}" if prefix else lead, "rest": rest}


def _breakable(q: Question) -> bool:
    """A long list of options (the 13 categories) or of rows (the 13 protocols) may run onto the
    next page rather than leave half a page blank; each option or row never splits, and the last
    rows stay with the consignes and evidence that follow them (paper.typ)."""
    lengths = [len(q.rows)] + [
        len(f.type.choice.options if isinstance(f.type, MultiChoiceType) else f.type.options)
        for f in q.fields
        if isinstance(f.type, ChoiceType | MultiChoiceType)
    ]
    return max(lengths) > LONG_LIST


def question_node(q: Question, consignes: bool) -> QuestionNode:
    """One question as printed, with its "Si OUI" sub-questions nested under it.

    A grid under a branch prints its branch label and wording as the heading of its first
    column (« SI OUI, THÈMES des enquêtes… »), as the printed form does: `heading` is then set.
    """
    node: QuestionNode = {
        "name": q.name,
        "number": printed_number(q.number),
        "text": q.text,
        "branch": q.branch_label,
        "layout": q.layout,
        "consignes": list(q.consignes) if consignes else [],
        "references": list(q.references),
        "notes": list(q.notes),
        "children": [question_node(c, consignes) for c in q.children],
        "breakable": _breakable(q),
        "heading": None,
    }
    by_row: dict[str | None, list[Field]] = {}
    for f in q.fields:
        by_row.setdefault(f.row, []).append(f)
    if q.layout == "simple":
        f = q.fields[0]
        node["answer"] = answer_spec(f.type, f.unit)
    elif q.layout == "rows":
        node["rows"] = [
            {"label": r.label, "answer": answer_spec(f.type, f.unit)} for r in q.rows for f in by_row.get(r.name, [])
        ]
    else:
        cells = {(f.row, f.column): f for f in q.fields}
        if q.branch_label and not q.number:
            node["heading"] = _heading(q.text, q.branch_label)
        node["columns"] = [_heading(c.label) for c in q.columns]
        node["rows"] = [
            {
                "label": r.label,
                "cells": [
                    answer_spec(cells[r.name, c.name].type, c.unit) if (r.name, c.name) in cells else None
                    for c in q.columns
                ],
            }
            for r in q.rows
        ]
    return node


def section_node(section: Section, consignes: bool, evidence: dict[str, list[EvidenceEntry]]) -> SectionNode:
    blocks: list[QuestionBlock | TextBlock] = []
    for b in section.blocks:
        if b.question is not None:
            q = question_node(b.question, consignes)
            blocks.append({"kind": "question", "question": q, "evidence": evidence.get(b.question.name, [])})
        else:
            assert b.text is not None and b.kind != "question", b  # the compiler gives sub-titles and notes a text
            blocks.append({"kind": b.kind, "text": b.text})
    return {"number": section.number, "title": section.title, "blocks": blocks}


def paper_form(campaign: Campaign, consignes: bool = True) -> PaperForm:
    """The whole blank form: identification pages, every chapter in printed order, signature.

    Data blocks (SAE, SARM history) are left out: they come from the SAE, not from the
    establishment's hand.
    """
    placed, left = place_evidence(campaign)
    evidence = {name: evidence_entries(items) for name, items in placed.items()}
    return {
        "year": campaign.year,
        "title": campaign.title,
        "source": campaign.source,
        "opening": french_date(campaign.opening),
        "deadline": french_date(campaign.deadline),
        "consignes": consignes,
        "grid": {"slot": SLOT, "zone": ZONE},
        "instructions": INSTRUCTIONS,
        "identity": {**IDENTITY, "boxes": TEXT_BOXES["finess"]},
        "evidence_title": EVIDENCE_TITLE,
        "other_evidence_title": OTHER_EVIDENCE_TITLE,
        "signature": SIGNATURE,
        "fiches": [section_node(s, consignes, evidence) for s in campaign.fiches],
        "chapters": [section_node(s, consignes, evidence) for s in campaign.chapters],
        "other_evidence": evidence_entries(left),
    }
