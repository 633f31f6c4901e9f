"""The shape of a recap's data: recap_data builds it, the Typst template (recap.typ, as JSON) and
recap_text read it. The checklist shares its indicator lines and labelled values.

TypedDicts, as for the paper form (paper_document.py): the plain dicts the template receives,
in the same key order, with every key the text renderers read checked by mypy. Keys and types
here are the templates' contract: renaming one means editing the .typ files too.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from bilan.engine.model import Severity
from bilan.exports.document_head import DocumentHead


class LabelledValue(TypedDict):
    """A label and what is printed for it: an answer, a figure."""

    label: str
    value: str


# `class` as a key: the functional syntax allows it
IndicatorNode = TypedDict(
    "IndicatorNode",
    {
        "code": str,
        "title": str,
        "status": str,  # as printed: « calculé », « non concerné »…
        "ok": bool,
        "value": str | None,
        "max": str | None,
        "unit": str | None,
        "class": str,  # the class, the campaign's label for the status (F, DI), or the status
        "reason": str | None,
        "case": list[str],
        "provisional": bool,
    },
)


class CheckNode(TypedDict):
    severity: Severity
    name: str
    message: str
    justification: str | None
    where: str


class StateNode(TypedDict):
    """Validated or not, complete or not, what is missing, the checks that fired."""

    validated: bool
    validation: str
    complete: bool
    validable: bool
    summary: str
    missing: list[str]
    checks: list[CheckNode]
    hidden: list[str]


class QuestionAnswers(TypedDict):
    """One question's answer (`value`, simple layout) or its rows' answers (`rows`)."""

    title: str
    branch: str | None
    depth: int
    value: str | None
    rows: list[LabelledValue]


class SectionAnswers(TypedDict):
    title: str
    questions: list[QuestionAnswers]


class DataBlockNode(TypedDict):
    title: str
    present: bool
    origin: str
    feeds: list[str]
    rows: list[LabelledValue]


class GroupRow(TypedDict):
    kind: Literal["group"]
    depth: int
    code: str
    title: str
    points: str
    max: str | None


class ItemRow(TypedDict):
    kind: Literal["item"]
    depth: int
    code: str
    title: str
    points: str
    max: str
    reason: str
    incomplete: bool


class ItemTable(TypedDict):
    """A points indicator's items under their functions (or the stray items, `code` empty)."""

    code: str
    title: str
    status: str
    ok: bool
    reason: str | None
    rows: list[GroupRow | ItemRow]


class RecapData(DocumentHead):
    identity: list[LabelledValue]
    state: StateNode
    answers: list[SectionAnswers]
    data_blocks: list[DataBlockNode]
    items: list[ItemTable]
    indicators: list[IndicatorNode]
    provisional_note: str | None
