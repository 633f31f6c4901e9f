"""Small modal dialogs that hand back a value: ask for a line of text, confirm, show a list.

They take keys in order like every screen of the app (`KeyScreen`), and call their `done`
callback before the next key is read: a jump asked with ctrl+g is made before the key typed
after Entrée is applied.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from bilan.entry.keystrokes import Draft, Edit, Refuse, edit_line, text_limit
from bilan.tui.keys import KeyScreen

Done = Callable[[str], Awaitable[None]]


class LineBox(Static):
    """A one-line text box drawn from a draft (the screen owns the keys)."""

    def __init__(self, value: str = "", id: str | None = None) -> None:
        super().__init__("", id=id)
        self.draft = Draft(value, len(value))
        self.draw()

    def draw(self) -> None:
        text = self.draft.text + " "
        box = Text("[")
        box.append(text[: self.draft.cursor])
        box.append(text[self.draft.cursor], style="reverse")
        box.append(text[self.draft.cursor + 1 :])
        box.append("]")
        self.update(box)

    def press(
        self, key: str, character: str | None, check: Callable[[str, str], str | None] = text_limit
    ) -> str | None:
        """Edit the line; the refusal message if the key cannot be taken, None otherwise."""
        action = edit_line(self.draft, key, character, check)
        if isinstance(action, Edit):
            self.draft = action.draft
            self.draw()
        return action.message if isinstance(action, Refuse) else None


class Modal(ModalScreen[None], KeyScreen[None]):
    """A dialog box over the current screen."""


class AskDialog(Modal):
    """One line of text; Entrée hands it to `done`, Échap cancels (before the box, which takes
    every other key: hence a priority binding)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuler", priority=True)]

    def __init__(self, title: str, hint: str, done: Done, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.done = done
        self.initial = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield LineBox(self.initial, id="ask")
            yield Static(self.hint, classes="dialog-hint")
            yield Static("", classes="dialog-problem")
            yield Label("Entrée : valider   Échap : annuler", classes="dialog-keys")

    async def on_key_press(self, key: str, character: str | None) -> bool:
        box = self.query_one("#ask", LineBox)
        if key == "enter":
            await self.app.pop_screen()
            await self.done(box.draft.text)
            return True
        problem = box.press(key, character)
        self.query_one(".dialog-problem", Static).update(f"✖ {problem}" if problem else "")
        return True

    async def take_paste(self, text: str) -> None:
        problem = await self.type_pasted(text)
        if problem:
            self.query_one(".dialog-problem", Static).update(f"✖ {problem}")

    async def action_cancel(self) -> None:
        await self.app.pop_screen()


class ConfirmDialog(Modal):
    """A yes/no question: o (or y) hands over to `done`, n or Échap cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o,y", "confirm", "Oui"),
        Binding("n,escape", "cancel", "Non"),
    ]

    def __init__(self, title: str, body: str, done: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.done = done

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            yield Label("o : oui   n : non", classes="dialog-keys")

    async def action_confirm(self) -> None:
        await self.app.pop_screen()
        await self.done()

    async def action_cancel(self) -> None:
        await self.app.pop_screen()


class ReadDialog(Modal):
    """Something to read (a list of problems, help, an explanation): ↑ ↓ scroll, Échap closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Fermer")]

    def __init__(self, title: str, body: RenderableType, large: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.large = large

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-large" if self.large else "dialog"):
            if self.title_text:
                yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(can_focus=False):
                yield Static(self.body, classes="dialog-body")
            yield Label("↑ ↓ : défiler   Échap : fermer", classes="dialog-keys")

    async def on_key_press(self, key: str, character: str | None) -> bool:
        return scroll_by_key(self.query_one(VerticalScroll), key)

    async def action_close(self) -> None:
        await self.app.pop_screen()


def scroll_by_key(box: VerticalScroll, key: str) -> bool:
    """↑ ↓ PgPréc PgSuiv Début Fin scroll a page that has no focus of its own."""
    moves = {
        "up": box.scroll_up,
        "down": box.scroll_down,
        "pageup": box.scroll_page_up,
        "pagedown": box.scroll_page_down,
        "home": box.scroll_home,
        "end": box.scroll_end,
    }
    move = moves.get(key)
    if move is None:
        return False
    move(animate=False)
    return True
