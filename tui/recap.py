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
from bilan.entry.session import EntrySession as Session
from bilan.exports.recap import recap_data
from bilan.exports.recap import recap_text as text_recap
from bilan.presentation.answers import value_text as show_value
from bilan.store.db import DOUBLE_KEYING, RESOLUTION
from bilan.tui.dialogs import scroll_by_key
from bilan.tui.keys import KeyScreen
from bilan.tui.question_view import question_title


def recap_text(session: Session) -> Text:
    """The recap `bilan recap` prints, from the same data, for the declaration as it is now."""
    data = recap_data(session.campaign, f"base de saisie {session.store.path}", session.declaration, session.result)
    return Text(text_recap(data))


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
    """A read-only page over the declaration (recap, history of changes): ↑ ↓ PgPréc PgSuiv scroll it.
    Échap goes back where it was opened from: the home screen, or the last question (the recap
    that follows it, to correct an answer before validating)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Aide"),
        Binding("escape,q", "close", "Retour"),
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
