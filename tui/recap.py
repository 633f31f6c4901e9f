"""The read-only recap of a declaration (what the national site mailed as recap.html)."""

from __future__ import annotations

from textwrap import shorten
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from bilan.common import clock
from bilan.engine.expr import format_number
from bilan.entry.external import block_info
from bilan.entry.session import EntrySession as Session
from bilan.exports.answer_text import value_text as show_value
from bilan.store.db import DOUBLE_KEYING, RESOLUTION
from bilan.tui.dialogs import scroll_by_key
from bilan.tui.keys import KeyScreen
from bilan.tui.panels import indicator_text, subtotals
from bilan.tui.question_view import question_title


def recap_text(session: Session) -> Text:
    s = session
    c = s.campaign
    r = s.result
    hidden = set(r.hidden_answers)
    text = Text()
    text.append("\nÉtat de la déclaration\n", style="bold reverse")
    text.append(f"  Validation : {s.state.validation_text()}\n", style="bold")
    for block in c.data_blocks:
        info = block_info(s, block)
        text.append(f"  {block.title} : {info.origin}\n")
        if info.feeds:
            text.append(f"    alimente : {', '.join(info.feeds)}\n", style="dim")
    for section in c.fiches + c.chapters:
        head = f"{section.number} – {section.title}" if section.number else section.title
        text.append(f"\n{head}\n", style="bold reverse")
        for q in section.walk():
            fields = [f for f in q.fields if f.name in r.visible or f.name in hidden]
            if not fields:
                continue
            text.append(question_title(q, section) + "\n", style="bold")
            for f in fields:
                label = " / ".join(x for x in (f.row, f.column) if x) or f.label
                masked = "  [masquée, non comptée]" if f.name in hidden else ""
                value = show_value(f, s.answers.get(f.name))
                text.append(f"    {label + ' : ' if label else ''}{value}{masked}\n")
    text.append("\nItems\n", style="bold reverse")
    for code, item in c.items.items():
        ir = r.items[code]
        text.append(f"  {code:<8} {format_number(ir.points):>4}/{format_number(ir.maximum):<4} {item.title[:60]}\n")
        text.append(f"           {ir.reason}\n", style="dim")
    text.append("\nIndicateurs\n", style="bold reverse")
    provisional = s.provisional_indicators()
    for ir2 in r.indicators.values():
        text.append("  ")
        text.append_text(indicator_text(c, ir2, ir2.code in provisional))
        if ir2.ok and ir2.groups:
            text.append("\n    " + subtotals(ir2), style="dim")
        text.append("\n")
    if r.checks:
        text.append("\nContrôles\n", style="bold reverse")
        for chk in r.checks:
            just = f" — justifié : {chk.justification}" if chk.justification else ""
            text.append(f"  [{chk.check.severity}] {chk.check.message}{just}\n")
    return text


def event_subject(session: Session, name: str) -> str:
    """What a history line that is not an answer is about, in words (never an internal name)."""
    if name == "validation":
        return "Validation de la déclaration"
    if name == DOUBLE_KEYING:
        return "Double saisie"
    kind, _, check = name.partition(":")
    found = next((c for c in session.campaign.checks if c.name == check), None)
    if kind == "justification" and found is not None:
        return f"Justification de l’avertissement « {shorten(found.message, 60, placeholder=' …')} »"
    return "Modification de la déclaration"


def history_text(session: Session) -> Text:
    """Every change of the declaration, oldest first: when, who, which answer, old → new, how."""
    c = session.campaign
    text = Text()
    changes = session.store.history(session.id)
    if not changes:
        return Text("Aucune modification enregistrée.")
    for ch in changes:
        field = c.fields.get(ch.field)
        if field is None:  # an event of the declaration (validation, justification), not an answer
            what, old, new = event_subject(session, ch.field), "" if ch.old is None else str(ch.old), str(ch.new)
        else:
            q = c.questions[field.question]
            what = shorten(question_title(q, session.section_of_question(q.name)), 60, placeholder=" …")
            if field.label and field.name != q.name:
                what += " / " + shorten(field.label, 30, placeholder=" …")
            old, new = show_value(field, ch.old), show_value(field, ch.new)
        text.append(f"{clock.french_date(ch.at)}  ", style="dim")
        text.append(f"{ch.who}  ({ch.origin})\n", style="bold")
        if ch.origin == RESOLUTION:  # a double keying's difference: not a change from old to new
            text.append(f"    {what} : valeur retenue {new} (écartée : {old})\n")
        else:
            text.append(f"    {what} : {old} → {new}\n" if old else f"    {what} : {new}\n")
    return text


class TextScreen(KeyScreen[None]):
    """A read-only page over the declaration (recap, history of changes): ↑ ↓ PgPréc PgSuiv scroll it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Aide"),
        Binding("escape,q", "close", "Accueil"),
        Binding("v", "app.validate", "Valider"),
        Binding("e", "app.export", "Exporter TOML"),
        Binding("ctrl+q", "app.quit", "Quitter"),
    ]

    def __init__(self, title: str, text: Text) -> None:
        super().__init__()
        self.page_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="recap", can_focus=False):
            yield Static(self.text)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = self.page_title

    async def on_key_press(self, key: str, character: str | None) -> bool:
        return scroll_by_key(self.query_one(VerticalScroll), key)

    async def action_close(self) -> None:
        await self.app.pop_screen()


class RecapScreen(TextScreen):
    """The recap, which `p` writes to PDF (where: in a notice)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("p", "app.recap_pdf", "PDF")]
