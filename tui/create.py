"""First run on an empty store: create the establishment from its FINESS number."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from bilan.engine.identifiers import finess_problem


class CreateScreen(Screen[str]):
    """Returns the FINESS number typed, once its check key is right."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Quitter")]

    def __init__(self, year: int, store: str) -> None:
        super().__init__()
        self.year = year
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="create"):
            yield Static(
                f"Bienvenue. Aucune déclaration {self.year} dans la base\n{self.store}\n\n"
                "Créez votre établissement : saisissez son numéro FINESS (9 caractères, le dernier "
                "est la clé de contrôle), puis Entrée. Vous compléterez ensuite ses données "
                "administratives.",
                classes="intro",
            )
            yield Input(placeholder="numéro FINESS, ex. 750712184", max_length=9, id="finess")
            yield Static("", id="finess-problem")
            yield Static(
                "Pour découvrir une déclaration complète d’exemple : quittez (ctrl+q) et lancez « bilan --demo ».",
                classes="note",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Nouvel établissement"
        self.query_one("#finess").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip().upper()
        problem = finess_problem(text)
        if problem:
            self.query_one("#finess-problem", Static).update(f"✖ {problem}")
            self.query_one("#finess").add_class("-invalid")
            return
        self.dismiss(text)
