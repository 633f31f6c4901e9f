"""First run on an empty store: create the establishment from its FINESS number."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from bilan.engine.identifiers import finess_problem
from bilan.tui.dialogs import LineBox
from bilan.tui.keys import KeyScreen


class CreateScreen(KeyScreen[None]):
    """Hands the FINESS number typed to `done` once its check key is right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Aide"),
        Binding("ctrl+q", "app.quit", "Quitter"),
    ]

    def __init__(self, year: int, store: str, done: Callable[[str], Awaitable[None]]) -> None:
        super().__init__()
        self.year = year
        self.store = store
        self.done = done

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
            yield LineBox(id="finess")
            yield Static("exemple : 750712184", classes="dialog-hint")
            yield Static("", id="finess-problem")
            yield Static(
                "Pour découvrir une déclaration complète d’exemple : quittez (ctrl+q) et lancez « bilan --demo ».",
                classes="note",
            )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Nouvel établissement"

    async def take_paste(self, text: str) -> None:
        problem = await self.type_pasted(text)
        if problem:
            self.query_one("#finess-problem", Static).update(f"✖ {problem}")

    async def on_key_press(self, key: str, character: str | None) -> bool:
        box = self.query_one("#finess", LineBox)
        problem_box = self.query_one("#finess-problem", Static)
        if key == "enter":
            text = box.draft.text.strip().upper()
            problem = finess_problem(text)
            if problem:
                problem_box.update(f"✖ {problem}")
                return True
            await self.done(text)
            return True
        problem = box.press(
            key, character, lambda char, candidate: "9 caractères au plus" if len(candidate) > 9 else None
        )
        problem_box.update(f"✖ {problem}" if problem else "")
        return True
