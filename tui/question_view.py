"""A question as printed, generated from the model: wording, then its field(s) as a line, rows or a grid."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from bilan.engine.expr import Value
from bilan.engine.model import Field, Question, Section
from bilan.tui.fields import make_input


def question_title(question: Question, section: Section) -> str:
    number = f"{section.number}.{question.number}" if section.number and question.number else question.number
    branch = f"{question.branch_label} — " if question.branch_label else ""
    prefix = f"{number}. " if number else ""
    return f"{prefix}{branch}{question.text}"


class FieldLine(Horizontal):
    """A label, the answer widget, the unit."""

    def __init__(self, field: Field, label: str, value: Value) -> None:
        super().__init__(classes="field-line", id="line-" + field.name.replace(".", "--"))
        self.field = field
        self.label_text = label
        self.value = value

    def compose(self) -> ComposeResult:
        if self.label_text:
            yield Label(self.label_text, classes="field-label")
        yield make_input(self.field, self.value)
        if self.field.unit:
            yield Label(self.field.unit, classes="unit")


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
        yield Label("", classes="masked-note")
        a = self.answers
        if q.layout == "grid":
            rows = {r.name: r.label for r in q.rows}
            header = Horizontal(classes="grid-header")
            header.compose_add_child(Label("", classes="field-label"))
            for c in q.columns:
                header.compose_add_child(Label(c.label, classes="grid-col"))
            yield header
            for r in q.rows:
                line = Horizontal(classes="field-line grid-row")
                line.compose_add_child(Label(rows[r.name], classes="field-label"))
                for f in q.fields:
                    if f.row == r.name:
                        cell = Vertical(classes="grid-cell", id="line-" + f.name.replace(".", "--"))
                        cell.compose_add_child(make_input(f, a.get(f.name)))
                        line.compose_add_child(cell)
                yield line
        elif q.layout == "rows":
            labels = {r.name: r.label for r in q.rows}
            for f in q.fields:
                yield FieldLine(f, labels.get(f.row or "", f.label), a.get(f.name))
        else:
            for f in q.fields:
                yield FieldLine(f, f.label, a.get(f.name))


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
