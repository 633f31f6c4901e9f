"""Small modal dialogs that return a value: ask for a text, confirm, show a list of problems."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class AskDialog(ModalScreen[str | None]):
    """One line of text; Enter returns it, Échap cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.initial = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(value=self.initial, placeholder=self.placeholder, id="ask")
            yield Label("Entrée : valider   Échap : annuler", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: o (or y) confirms, n or Échap cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o,y", "answer(True)", "Oui"),
        Binding("n,escape", "answer(False)", "Non"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            yield Label("o : oui   n : non", classes="dialog-keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ListDialog(ModalScreen[None]):
    """A title and a scrollable list of lines (why validation is refused, what is flagged)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Fermer")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-large"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static("\n".join(self.lines), classes="dialog-body")
            yield Label("Échap : fermer", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
