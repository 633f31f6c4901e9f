"""A question as printed, generated from the model: wording, its boxes (a line, rows or a grid), notes.

Grid cells are printed row by row, each cell on a line of its own with its column's heading, so a
table such as VI.2 stays readable in the 40 columns an 80×24 terminal leaves for the questions.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from bilan.engine.expr import Value
from bilan.engine.model import Field, Question, Section
from bilan.entry.keystrokes import choices_of
from bilan.tui.fields import FieldBox, format_hint, render_field

# A choice goes under its label when the label is long or its options do not fit beside it: beside
# them, the label would be squeezed into a column of a few characters at 80×24.
LONG_LABEL = 48
WIDE_OPTIONS = 24


def question_title(question: Question, section: Section) -> str:
    number = f"{section.number}.{question.number}" if section.number and question.number else question.number
    branch = f"{question.branch_label} — " if question.branch_label else ""
    prefix = f"{number}. " if number else ""
    return f"{prefix}{branch}{question.text}"


def line_id(field_name: str) -> str:
    return "line-" + field_name.replace(".", "--")


class FieldLine(Vertical):
    """A label, the answer box, the unit and expected format; under them, the notice of this field."""

    def __init__(self, field: Field, label: str, value: Value, indent: bool = False) -> None:
        super().__init__(classes="field-line" + (" -indented" if indent else ""), id=line_id(field.name))
        self.field = field
        self.label_text = label
        self.value = value
        choice = choices_of(field)
        options = render_field(field, value, None).plain.splitlines() if choice is not None else []
        self.stacked = (
            bool(label) and bool(options) and (len(label) > LONG_LABEL or max(map(len, options)) > WIDE_OPTIONS)
        )

    def compose(self) -> ComposeResult:
        row = Vertical(classes="field-row -stacked") if self.stacked else Horizontal(classes="field-row")
        with row:
            if self.label_text:
                yield Label(self.label_text, classes="field-label")
            with Horizontal(classes="box-line"):
                yield FieldBox(self.field, self.value)
                hint = " ".join(
                    x for x in (self.field.unit, f"({format_hint(self.field)})" if format_hint(self.field) else "") if x
                )
                if hint:
                    yield Label(hint, classes="hint")
        yield Static("", classes="field-notice")


class QuestionView(Vertical):
    """One question (sub-questions are views of their own, indented by depth)."""

    def __init__(self, question: Question, section: Section, answers: dict[str, Value], depth: int) -> None:
        super().__init__(classes=f"question depth-{min(depth, 3)}", id="q-" + question.name)
        self.question = question
        self.section = section
        self.answers = answers

    def compose(self) -> ComposeResult:
        q = self.question
        yield Static(question_title(q, self.section), classes="question-text")
        yield Label("masquée : réponse conservée, non comptée", classes="masked-note")
        a = self.answers
        if q.layout == "grid":
            columns = {c.name: c.label for c in q.columns}
            for r in q.rows:
                yield Label(r.label, classes="grid-row-label")
                for f in q.fields:
                    if f.row == r.name:
                        yield FieldLine(f, columns.get(f.column or "", f.label), a.get(f.name), indent=True)
        else:
            labels = {r.name: r.label for r in q.rows} if q.layout == "rows" else {}
            for f in q.fields:
                yield FieldLine(f, labels.get(f.row or "", f.label) if labels else f.label, a.get(f.name))
        yield Static("", classes="question-notes")


def section_views(section: Section, answers: dict[str, Value]) -> list[Widget]:
    """Every block of a chapter in printed order: sub-titles, notes, questions and sub-questions."""
    out: list[Widget] = []
    for block in section.blocks:
        if block.kind == "subtitle":
            out.append(Static(block.text or "", classes="subtitle"))
        elif block.kind == "note":
            out.append(Static(block.text or "", classes="note"))
        elif block.question is not None:
            out.extend(_walk(block.question, section, answers, 0))
    return out


def _walk(q: Question, section: Section, answers: dict[str, Value], depth: int) -> list[Widget]:
    views: list[Widget] = [QuestionView(q, section, answers, depth)]
    for child in q.children:
        views.extend(_walk(child, section, answers, depth + 1))
    return views
