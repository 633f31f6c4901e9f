"""The paper form as plain data, built once from the campaign model.

The PDF (Typst) and the 80-column text renderers both read this structure, so the two formats
cannot drift apart: same questions, same wording, same order. Everything is JSON-friendly
(strings, lists, dicts) because the Typst template receives it as JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bilan.engine.model import (
    Campaign,
    ChoiceType,
    Column,
    Field,
    FieldType,
    MultiChoiceType,
    NumberType,
    Question,
    Section,
    TextType,
)

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

Node = dict[str, Any]


def french_date(day: dt.date | None) -> str | None:
    """30 avril 2010: the way the circulars write dates."""
    if day is None:
        return None
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def printed_number(number: str | None) -> str | None:
    """ "2" -> "2.", "4.1.1" -> "4.1.1.": question numbers as the form prints them."""
    if not number:
        return None
    return number if number.endswith(".") else f"{number}."


LONG_LIST = 8


def answer_spec(ftype: FieldType, unit: str | None = None) -> Node:
    """How one field is answered on paper: digit boxes, check boxes or a writing line."""
    if isinstance(ftype, NumberType):
        return {"kind": "digits", "int": ftype.digits, "dec": ftype.decimals, "unit": unit}
    if isinstance(ftype, ChoiceType | MultiChoiceType):
        choice = ftype.choice if isinstance(ftype, MultiChoiceType) else ftype
        options = [{"label": o.label, "description": o.description} for o in choice.options]
        long = (
            len(options) > 4
            or any(o.description for o in choice.options)
            or sum(len(o.label) for o in choice.options) > 40
        )
        return {
            "kind": "choice",
            "multi": isinstance(ftype, MultiChoiceType),
            "options": options,
            "vertical": long,
            "unit": unit,
        }
    assert isinstance(ftype, TextType)
    if ftype.kind in TEXT_BOXES:
        return {"kind": "digits", "int": TEXT_BOXES[ftype.kind], "dec": 0, "unit": unit, "text": True}
    return {"kind": "text", "unit": unit}


def _column_spec(column: Column) -> Node:
    return {"label": column.label, "unit": column.unit}


def question_node(q: Question, consignes: bool) -> Node:
    """One question as printed, with its "Si OUI" sub-questions nested under it."""
    node: Node = {
        "name": q.name,
        "number": printed_number(q.number),
        "text": q.text,
        "branch": q.branch_label,
        "layout": q.layout,
        "consignes": list(q.consignes) if consignes else [],
        "references": list(q.references),
        "notes": list(q.notes),
        "children": [question_node(c, consignes) for c in q.children],
        # A long list of options (the 13 categories) may run onto the next page rather than leave
        # half a page blank; each option itself never splits.
        "breakable": any(
            len(f.type.choice.options if isinstance(f.type, MultiChoiceType) else f.type.options) > LONG_LIST
            for f in q.fields
            if isinstance(f.type, ChoiceType | MultiChoiceType)
        ),
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
        node["columns"] = [_column_spec(c) for c in q.columns]
        node["rows"] = [
            {
                "label": r.label,
                "cells": [
                    answer_spec(cells[r.name, c.name].type, None) if (r.name, c.name) in cells else None
                    for c in q.columns
                ],
            }
            for r in q.rows
        ]
    return node


def section_node(section: Section, consignes: bool) -> Node:
    blocks: list[Node] = []
    for b in section.blocks:
        if b.question is not None:
            blocks.append({"kind": "question", "question": question_node(b.question, consignes)})
        elif b.kind == "subtitle":
            blocks.append({"kind": "subtitle", "text": b.text})
        else:
            blocks.append({"kind": "note", "text": b.text})
    return {"number": section.number, "title": section.title, "blocks": blocks}


def paper_form(campaign: Campaign, consignes: bool = True) -> Node:
    """The whole blank form: identification pages, then every chapter in printed order.

    Data blocks (SAE, SARM history) are left out: they come from the SAE, not from the
    establishment's hand.
    """
    return {
        "year": campaign.year,
        "title": campaign.title,
        "source": campaign.source,
        "opening": french_date(campaign.opening),
        "deadline": french_date(campaign.deadline),
        "consignes": consignes,
        "fiches": [section_node(s, consignes) for s in campaign.fiches],
        "chapters": [section_node(s, consignes) for s in campaign.chapters],
    }


def walk_nodes(node: Node) -> list[Node]:
    """A question node then its sub-questions, depth first: the printed order."""
    out = [node]
    for child in node["children"]:
        out.extend(walk_nodes(child))
    return out
