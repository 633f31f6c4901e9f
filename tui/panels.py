"""Beside the questions: the live scores, the list of errors and warnings, the list of chapters.

The lists never take the focus: F3 and F4 put the entry screen in a mode where ↑ ↓ Entrée act on
the list, so keys typed ahead cannot land in a panel by accident.
"""

from __future__ import annotations

import attrs
from rich.text import Text
from textual.widgets import Static

from bilan.engine.model import Campaign
from bilan.engine.result import IndicatorResult, Result
from bilan.presentation.indicators import STATUS_TEXT, subtotals, value_text


def indicator_text(campaign: Campaign, r: IndicatorResult, provisional: bool = False) -> Text:
    """One indicator: value (out of its maximum), class; or why it is not computed; « provisoire »
    when computed from figures the establishment typed itself."""
    line = Text()
    line.append(f"{r.code:<8}", style="bold")
    if r.ok and r.value is not None:
        line.append(value_text(campaign, r, compact=True))
        if r.class_label:
            line.append("  classe ")
            line.append(r.class_label, style="bold reverse")
    else:
        line.append(r.label or STATUS_TEXT[r.status], style="italic")
        if r.reason:
            line.append(f"\n  {r.reason}", style="dim")
    if provisional:
        line.append("\n  provisoire", style="italic")
    return line


class ScorePanel(Static):
    """Every indicator of the campaign, recomputed from the engine's result on each answer."""

    def show(self, campaign: Campaign, result: Result, provisional: frozenset[str] = frozenset()) -> None:
        text = Text()
        for code, r in result.indicators.items():
            if campaign.indicators[code].shown_if_computed and not r.ok:
                continue
            text.append_text(indicator_text(campaign, r, code in provisional))
            if r.ok and r.groups:
                text.append("\n  " + subtotals(r), style="dim")
            text.append("\n")
        text.rstrip()
        self.update(text)


@attrs.frozen
class Entry:
    """A line of a pick list and what choosing it means (a page index, a question to jump to...)."""

    text: Text
    target: str | int | None = None
    check: str | None = None  # the check a line of the checks list is about (j justifies it)


class PickList(Static):
    """A list with one highlighted line, moved by the screen (↑ ↓) and chosen with Entrée."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.entries: list[Entry] = []
        self.index = 0
        self.active = False

    def set_entries(self, entries: list[Entry], index: int | None = None) -> None:
        self.entries = entries
        self.index = min(self.index if index is None else index, max(len(entries) - 1, 0))
        self._draw()

    def set_active(self, active: bool) -> None:
        self.active = active
        self.set_class(active, "-active")
        self._draw()

    def move(self, step: int) -> None:
        if self.entries:
            self.index = (self.index + step) % len(self.entries)
            self._draw()

    @property
    def current(self) -> Entry | None:
        return self.entries[self.index] if self.entries else None

    def _draw(self) -> None:
        text = Text()
        for i, entry in enumerate(self.entries):
            line = entry.text.copy()
            if self.active and i == self.index:
                line.stylize("reverse")
                text.append("▶ ")
            elif self.active:
                text.append("  ")
            text.append_text(line)
            text.append("\n")
        text.rstrip()
        self.update(text)


def check_entries(campaign: Campaign, result: Result, section: str | None = None) -> list[Entry]:
    """Errors, warnings, then the count of missing answers (jumping to the first), or that all is well."""
    entries = []
    for c in result.checks:
        justified = c.check.severity != "erreur" and c.justification
        mark = "✖ " if c.check.severity == "erreur" else ("✔ " if justified else "⚠ ")
        entries.append(Entry(Text(mark + c.check.message), c.check.question, c.check.name))
    missing = [
        m
        for m in result.missing
        if section is None or campaign.questions[campaign.fields[m].question].section == section
    ]
    if missing:
        where = "dans ce chapitre" if section else "au total"
        entries.append(Entry(Text(f"… {len(missing)} réponse(s) manquante(s) {where}"), missing[0]))
    if not entries:
        entries.append(Entry(Text("aucune erreur ni réponse manquante", style="dim")))
    return entries
