"""The shape of a checklist's data: checklist_data builds it, the Typst template (checklist.typ,
as JSON) and checklist_text read it (TypedDicts, as for the recap: recap_document.py)."""

from __future__ import annotations

from typing import TypedDict

from bilan.exports.document_head import DocumentHead
from bilan.exports.recap_document import IndicatorNode, LabelledValue


class Effect(TypedDict):
    """An indicator that changes when the item's evidence is missing (the item zeroed)."""

    code: str
    before: str
    after: str
    note: str
    class_changed: bool


class ChecklistItem(TypedDict):
    code: str
    title: str
    indicator: str | None  # the points indicator it counts in
    points: str
    max: str
    reason: str
    answers: list[LabelledValue]
    evidence: list[str]
    loss: str
    effects: list[Effect]


class ChecklistData(DocumentHead):
    indicators: list[IndicatorNode]
    items: list[ChecklistItem]
