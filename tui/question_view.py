"""A question as printed, generated from the model: wording, its boxes (a line, rows or a grid), notes.

One widget per question, drawn as Rich text: a page of forty boxes mounts in a few milliseconds,
and a key redraws only the question it changed. Labels wrap in their column and the boxes of a
question stay in one column, as on the paper form; grid cells are printed row by row, each under
its column's heading, so that a table such as VI.2 stays readable in the 44 columns an 80×24
terminal leaves for the questions.
"""

from __future__ import annotations

import attrs
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from bilan.engine.expr import Value
from bilan.engine.model import Field, MultiChoiceType, Question, Section
from bilan.entry.keystrokes import Draft, choices_of
from bilan.tui.fields import empty_box, format_hint, render_field

# Boxes go under their labels when they do not fit side by side in the 44 columns an 80×24 terminal
# leaves for the questions (choices wider than WIDE_OPTIONS; a grid's long column headings): beside
# them, the labels would be squeezed into a column of a few characters. One decision per question.
WIDE_OPTIONS = 24
COLUMNS = 44


def question_title(question: Question, section: Section) -> str:
    number = f"{section.number}.{question.number}" if section.number and question.number else question.number
    branch = f"{question.branch_label} — " if question.branch_label else ""
    prefix = f"{number}. " if number else ""
    return f"{prefix}{branch}{question.text}"


def options_width(field: Field) -> int:
    """Columns the options of a choice take on their widest line (0 for other fields)."""
    if choices_of(field) is None:
        return 0
    choice = choices_of(field)
    assert choice is not None
    items = empty_box(field).splitlines()
    inline = not isinstance(field.type, MultiChoiceType) and len(choice.options) <= 3
    return len("   ".join(items)) if inline else max(map(len, items))


def box_width(field: Field) -> int:
    """Columns a field's box takes with the format printed beside it."""
    hint = format_hint(field)
    return max(map(len, empty_box(field).splitlines())) + (len(hint) + 3 if hint else 0)


@attrs.frozen
class Cursor:
    """What the question under the cursor shows of it: the field, its draft, the notice under it."""

    field: str
    draft: Draft
    notice: str | None = None


@attrs.frozen
class Line:
    """A printed line of a question: a field with its label, or a grid row's heading."""

    label: str
    field: Field | None = None
    indent: int = 0


def question_lines(q: Question) -> list[Line]:
    if q.layout == "grid":
        columns = {c.name: c.label for c in q.columns}
        lines = []
        for r in q.rows:
            lines.append(Line(r.label))
            lines.extend(Line(columns.get(f.column or "", f.label), f, 2) for f in q.fields if f.row == r.name)
        return lines
    labels = {r.name: r.label for r in q.rows} if q.layout == "rows" else {}
    return [Line(labels.get(f.row or "", f.label) if labels else f.label, f) for f in q.fields]


def view_id(question: str) -> str:
    """The widget id of a question's view (a data block's field names have a dot, not allowed in ids)."""
    return "q-" + question.replace(".", "--")


class QuestionView(Static):
    """One question (sub-questions are views of their own, indented by depth)."""

    def __init__(self, question: Question, section: Section, depth: int) -> None:
        super().__init__("", classes=f"question depth-{min(depth, 3)}", id=view_id(question.name))
        self.question = question
        self.section = section
        self.lines = question_lines(question)
        self.drawn: tuple[object, ...] | None = None
        self.stacked = any(options_width(f) > WIDE_OPTIONS for f in question.fields) or (
            question.layout == "grid"
            and any(len(line.label) + box_width(line.field) + 4 > COLUMNS for line in self.lines if line.field)
        )

    def draw(
        self,
        answers: dict[str, Value],
        shown: frozenset[str],
        masked: bool,
        cursor: Cursor | None,
        notes: Text | None,
    ) -> None:
        """Redraw from the answers; `shown`: the fields to print (visible, or hidden with an answer).

        Nothing is drawn when nothing this question prints has changed: a key redraws one or two
        questions, not the page.
        """
        state = (tuple(answers.get(f.name) for f in self.question.fields), shown, masked, cursor, notes)
        if state == self.drawn:
            return
        self.drawn = state
        self.set_class(masked, "-masked")
        self.set_class(cursor is not None, "-current")
        parts: list[RenderableType] = [Text(question_title(self.question, self.section), style="bold")]
        if masked:
            parts.append(Text("masquée : réponse conservée, non comptée", style="italic"))
        for line in self.lines:
            if line.field is None:
                parts.append(Text(line.label, style="bold"))
            elif line.field.name in shown:
                parts.append(self._field(line, answers, cursor))
        if notes is not None:
            parts.append(notes)
        self.update(Group(*parts))

    def _field(self, line: Line, answers: dict[str, Value], cursor: Cursor | None) -> RenderableType:
        field = line.field
        assert field is not None
        here = cursor is not None and cursor.field == field.name
        box = render_field(field, answers.get(field.name), cursor.draft if here and cursor else None)
        hint = " ".join(x for x in (field.unit, f"({format_hint(field)})" if format_hint(field) else "") if x)
        if hint and isinstance(box, Text):
            box.append(f" {hint}", style="dim")
        mark = Text(" " * line.indent + ("▶" if here else ""))
        label = Text(line.label, style="bold" if here else "")
        table = Table.grid(padding=(0, 1, 0, 0), expand=True)
        table.add_column(width=2 + line.indent, no_wrap=True)  # the cursor's mark, a grid cell's indent
        table.add_column(ratio=1)
        if not line.label:
            table.add_row(mark, box)
        elif self.stacked:
            table.add_row(mark, label)
            table.add_row("", Padding(box, (0, 0, 0, 2)))
        else:
            table.add_column(no_wrap=True)
            table.add_row(mark, label, box)
        grid: RenderableType = table
        if here and cursor is not None and cursor.notice:
            return Group(grid, Text(f"  ✖ {cursor.notice}", style="bold"))
        return grid


def section_views(section: Section) -> list[Widget]:
    """Every block of a chapter in printed order: sub-titles, notes, questions and sub-questions."""
    out: list[Widget] = []
    for block in section.blocks:
        if block.kind == "subtitle":
            out.append(Static(block.text or "", classes="subtitle"))
        elif block.kind == "note":
            out.append(Static(block.text or "", classes="note"))
        elif block.question is not None:
            out.extend(_walk(block.question, section, 0))
    return out


def _walk(q: Question, section: Section, depth: int) -> list[Widget]:
    views: list[Widget] = [QuestionView(q, section, depth)]
    for child in q.children:
        views.extend(_walk(child, section, depth + 1))
    return views
