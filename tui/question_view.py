"""A question as printed, generated from the model: wording, then its field(s) as a line, rows or a grid."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from bilan.engine.expr import Value
from bilan.engine.model import ChoiceType, Field, MultiChoiceType, Question, Section
from bilan.tui.fields import make_input


def question_title(question: Question, section: Section) -> str:
    number = f"{section.number}.{question.number}" if section.number and question.number else question.number
    branch = f"{question.branch_label} — " if question.branch_label else ""
    prefix = f"{number}. " if number else ""
    return f"{prefix}{branch}{question.text}"


# When a question has a choice label longer than this, its choices go under their labels: beside
# them, the labels would be squeezed into a column of about 20 characters (the page has about 46
# columns at 80×24, or beside the chapter list) and run over five or six lines. Shorter labels stay
# beside their options, wrapping to two lines at most, aligned.
LONG_LABEL = 48


class FieldLine(Horizontal):
    """A label, the answer widget, the unit."""

    def __init__(self, field: Field, label: str, value: Value, stacked: bool = False) -> None:
        super().__init__(classes="field-line", id="line-" + field.name.replace(".", "--"))
        self.set_class(stacked and bool(label) and isinstance(field.type, ChoiceType | MultiChoiceType), "-stacked")
        self.field = field
        self.label_text = label
        self.value = value

    def compose(self) -> ComposeResult:
        widget = make_input(self.field, self.value)
        if self.label_text:
            yield Label(self.label_text, classes="field-label")
            widget.add_class("-labelled")
        yield widget
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
        else:
            labels = {r.name: r.label for r in q.rows} if q.layout == "rows" else {}
            texts = [(f, labels.get(f.row or "", f.label) if labels else f.label) for f in q.fields]
            stacked = any(len(t) > LONG_LABEL for f, t in texts if isinstance(f.type, ChoiceType | MultiChoiceType))
            for f, text in texts:
                yield FieldLine(f, text, a.get(f.name), stacked)


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
