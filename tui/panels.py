"""Beside the questions: the live scores and the list of errors and warnings (each a jump)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bilan.engine.expr import format_number
from bilan.engine.model import Campaign
from bilan.engine.result import GroupResult, IndicatorResult, Result

_SHORT_STATUS = {"non_concerne": "non concerné", "non_calculable": "non calculé", "exclu": "exclu"}


def indicator_text(campaign: Campaign, r: IndicatorResult) -> Text:
    """One indicator: value (out of its maximum), class; or why it is not computed."""
    ind = campaign.indicators[r.code]
    line = Text()
    line.append(f"{r.code:<8}", style="bold")
    if r.ok and r.value is not None:
        value = format_number(r.value, ind.precision)
        of = f"/{format_number(ind.maximum)}" if ind.maximum is not None else ""
        unit = " %" if ind.unit and "%" in ind.unit else ""
        line.append(f"{value}{of}{unit}")
        if r.class_label:
            line.append("  classe ")
            line.append(r.class_label, style="bold reverse")
        return line
    status = r.label or _SHORT_STATUS.get(r.status, r.status)
    line.append(status, style="italic")
    if r.reason:
        line.append(f"\n  {r.reason}", style="dim")
    return line


def subtotals(r: IndicatorResult) -> str:
    parts = [
        f"{g.code} {format_number(g.points)}" + (f"/{format_number(g.maximum)}" if g.maximum is not None else "")
        for g in r.groups
        if isinstance(g, GroupResult)
    ]
    return "  ".join(parts)


class ScorePanel(Static):
    """Every indicator of the campaign, recomputed from the engine's result on each answer."""

    def show(self, campaign: Campaign, result: Result) -> None:
        text = Text()
        for code, r in result.indicators.items():
            if code == "SARM" and not r.ok:
                continue
            text.append_text(indicator_text(campaign, r))
            if r.ok and r.groups:
                text.append("\n  " + subtotals(r), style="dim")
            text.append("\n")
        text.rstrip()
        self.update(text)


@dataclass
class JumpTo(Message):
    """Go to a question (and a field of it, if known)."""

    question: str
    field: str | None = None


class ChecksPanel(OptionList):
    """Missing answers, errors, warnings; Enter jumps to the question, j justifies a warning."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Aller à la question"),
        Binding("j", "justify", "Justifier"),
    ]

    def show(self, campaign: Campaign, result: Result, section: str | None = None) -> None:
        self.entries: list[tuple[str, str | None, str | None]] = []  # (question, field, check name)
        options: list[Option] = []
        for c in result.checks:
            justified = c.check.severity != "erreur" and c.justification
            mark = "✖ " if c.check.severity == "erreur" else ("✔ " if justified else "⚠ ")
            options.append(Option(Text(mark + c.check.message), id=f"c{len(self.entries)}"))
            self.entries.append((c.check.question, None, c.check.name))
        missing = [
            m
            for m in result.missing
            if section is None or campaign.questions[campaign.fields[m].question].section == section
        ]
        if missing:
            first = campaign.fields[missing[0]]
            where = "dans ce chapitre" if section else "au total"
            label = Text(f"… {len(missing)} réponse(s) manquante(s) {where}")
            options.append(Option(label, id=f"c{len(self.entries)}"))
            self.entries.append((first.question, first.name, None))
        if not options:
            options.append(Option(Text("aucune erreur ni réponse manquante"), disabled=True))
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(options)
        if options[0].disabled:
            return
        self.highlighted = highlighted if highlighted is not None and highlighted < len(options) else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is None:
            return
        question, field, _ = self.entries[int(event.option_id[1:])]
        self.post_message(JumpTo(question, field))

    def current_check(self) -> str | None:
        if self.highlighted is None or self.highlighted >= len(getattr(self, "entries", [])):
            return None
        return self.entries[self.highlighted][2]

    def action_justify(self) -> None:
        self.post_message(JustifyRequest(self.current_check()))


@dataclass
class JustifyRequest(Message):
    check: str | None
