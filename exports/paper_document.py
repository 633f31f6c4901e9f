"""The shape of the paper form's data: paper_form builds it, the Typst template (paper.typ, as
JSON) and the 80-column renderer (paper_text) read it.

TypedDicts rather than attrs classes: the data stays the plain dicts the template receives, in
the same key order (no conversion at the Typst boundary that could change a byte of the PDF), and
mypy checks every key the text renderer reads. Keys and types here are the template's contract:
renaming one means editing paper.typ too.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from bilan.engine.model import Layout
from bilan.exports.paper_grid import ChoiceLayout


class EvidenceEntry(TypedDict):
    """One evidence text to keep, with every item code that asks for it."""

    codes: list[str]
    text: str


class ChoiceOption(TypedDict):
    label: str
    description: str | None
    slot: int | None  # on the answer grid; None in a list under the question


# `int` as a key: the functional syntax keeps it from shadowing the type in a class body
class DigitsAnswer(TypedDict):
    kind: Literal["digits"]
    int: int
    dec: int
    unit: str | None  # boxes: digits before and after the decimal comma


class ChoiceAnswer(TypedDict):
    kind: Literal["choice"]
    multi: bool
    options: list[ChoiceOption]
    layout: ChoiceLayout
    unit: str | None


class TextAnswer(TypedDict):
    kind: Literal["text"]
    unit: str | None


Answer = DigitsAnswer | ChoiceAnswer | TextAnswer


class Heading(TypedDict):
    """A table heading: the capitalised lead-in and the rest (paper_grid.printed_heading)."""

    lead: str
    rest: str


class Row(TypedDict):
    """A row of a `rows` question (its answer) or of a grid (one cell per column, None where the
    grid has no field)."""

    label: str
    answer: NotRequired[Answer]
    cells: NotRequired[list[Answer | None]]


class QuestionNode(TypedDict):
    """A question as printed, its « Si OUI » sub-questions in `children`. By layout: `answer`
    (simple), `rows` with answers (rows), `columns` and `rows` with cells (grid)."""

    name: str
    number: str | None
    text: str
    branch: str | None
    layout: Layout
    consignes: list[str]
    references: list[str]
    notes: list[str]
    children: list[QuestionNode]
    breakable: bool
    heading: Heading | None
    answer: NotRequired[Answer]
    rows: NotRequired[list[Row]]
    columns: NotRequired[list[Heading]]


class QuestionBlock(TypedDict):
    kind: Literal["question"]
    question: QuestionNode
    evidence: list[EvidenceEntry]


class TextBlock(TypedDict):
    kind: Literal["subtitle", "note"]
    text: str


class SectionNode(TypedDict):
    number: str | None
    title: str
    blocks: list[QuestionBlock | TextBlock]


class Grid(TypedDict):
    slot: int
    zone: int


class IdentityLabels(TypedDict):
    finess: str
    name: str


class Identity(IdentityLabels):
    boxes: int  # digit boxes of the FINESS number


class Signature(TypedDict):
    place: str
    date: str
    signatory: str
    stamp: str


class PaperForm(TypedDict):
    """The whole blank form."""

    year: int
    title: str
    source: str | None
    opening: str | None
    deadline: str | None
    consignes: bool
    grid: Grid
    instructions: str
    identity: Identity
    evidence_title: str
    other_evidence_title: str
    signature: Signature
    fiches: list[SectionNode]
    chapters: list[SectionNode]
    other_evidence: list[EvidenceEntry]
