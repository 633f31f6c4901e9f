"""The control by double keying on screen: the blind second keying, then the differences to resolve.

The decisions are the entry layer's (`bilan.entry.double_entry`); these screens render them. The
second keying is an entry screen over its own answers: nothing of the first keying is drawn there,
and the command palette offers nothing that would show it (recap, history, export).
"""

from __future__ import annotations

from textwrap import shorten
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Footer, Header, Static

from bilan.entry.cursor import EntryCursor
from bilan.entry.double_entry import Difference, DoubleKeying, Keying
from bilan.tui.dialogs import ConfirmDialog
from bilan.tui.entry import EntryScreen
from bilan.tui.keys import KeyScreen
from bilan.tui.panels import Entry, PickList

if TYPE_CHECKING:
    from bilan.tui.app import BilanApp


class SecondKeyingScreen(EntryScreen):
    """The form over the second keying's answers; F5 (or Entrée on the last question) compares."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "app.compare_keyings", "Comparer", priority=True)]
    END_OF_FORM = "compare_keyings"

    def refresh_state(self) -> None:
        super().refresh_state()
        self.sub_title = f"DOUBLE SAISIE — {self.sub_title or ''}"


def difference_entry(d: Difference) -> Entry:
    """Where (a grid's row on a line of its own: a long question must not cut it off), then both values."""
    text = Text(d.where, style="bold")
    if d.label:
        text.append(f"\n    {d.label}", style="bold")
    text.append(f"\n    1re saisie : {d.first_text}\n    2e saisie  : {d.second_text}")
    return Entry(text, d.field)


class DifferencesScreen(KeyScreen[None]):
    """Every difference between the two keyings: ↑ ↓ to choose one, 1 or 2 keeps that keying's value."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Aide"),
        Binding("1", "keep(1)", "Garder la 1re saisie"),
        Binding("2", "keep(2)", "Garder la 2e saisie"),
        Binding("escape", "close", "Accueil"),
        Binding("ctrl+q", "app.quit", "Quitter"),
    ]

    def __init__(self, control: DoubleKeying, differences: list[Difference]) -> None:
        super().__init__()
        self.control = control
        self.differences = differences

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="differences", can_focus=False):
            yield PickList(id="difference-list")
        yield Static("", id="status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(PickList).set_active(True)
        self._draw()

    def _draw(self) -> None:
        self.title = f"Double saisie : {len(self.differences)} différence(s) à résoudre"
        panel = self.query_one(PickList)
        panel.set_entries([difference_entry(d) for d in self.differences])
        self._show_current()

    def _show_current(self) -> None:
        """Scroll the difference under the cursor into view (lines are never wrapped: each counts one)."""
        panel = self.query_one(PickList)
        heights = [entry.text.plain.count("\n") + 1 for entry in panel.entries]
        top = sum(heights[: panel.index])
        box = self.query_one(VerticalScroll)
        region = Region(0, top, box.size.width, heights[panel.index] if heights else 1)
        if box.size.width:  # laid out: scroll now, so that the next key sees where it is
            box.scroll_to_region(region, animate=False)
        else:  # being mounted: once it has a size
            self.call_after_refresh(box.scroll_to_region, region, animate=False)

    async def on_key_press(self, key: str, character: str | None) -> bool:
        moves = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10}
        if key not in moves:
            return False
        self.query_one(PickList).move(moves[key])
        self._show_current()
        return True

    async def action_keep(self, keep: Keying) -> None:
        """Resolve the difference under the cursor with the value of keying `keep`."""
        current = self.query_one(PickList).current
        if current is None or current.target is None:
            return
        field = str(current.target)
        done = self.control.resolve(field, keep)
        status = self.query_one("#status", Static)
        if done.refusal:
            status.update(f"✖ {done.refusal}")
            return
        d = next(d for d in self.differences if d.field == field)
        value = d.first_text if keep == 1 else d.second_text
        text = f"{'1re' if keep == 1 else '2e'} saisie retenue ({value}) : {shorten(d.where, 50, placeholder=' …')}"
        for c in done.answer.fired if done.answer is not None else ():  # checks the kept value started
            text += f"\n{'✖' if c.check.severity == 'erreur' else '⚠'} {c.check.message}"
        if done.finished:
            await self.app.pop_screen()
            self.app.notify(f"Double saisie terminée : toutes les différences sont résolues.\n{text}", timeout=8)
            return
        status.update(text)
        self.differences = self.control.differences()
        self._draw()

    async def action_close(self) -> None:
        await self.app.pop_screen()


def _control(app: BilanApp) -> DoubleKeying | None:
    """The control of the declaration open in the app, if one is."""
    return None if app.session is None else DoubleKeying(app.session, app.path)


async def open_control(app: BilanApp) -> None:
    """Home `d`: start a second keying (asked first), resume it, or resolve its differences once compared."""
    control = _control(app)
    if control is None:
        return
    state = control.state
    if state is not None and state.compared_at is not None:
        refusal = control.finish_if_agreed()
        if control.state is None:
            app.notify("Les deux saisies concordent : double saisie terminée.", timeout=8)
            app.refresh_home()
        elif refusal:
            app.notify(refusal, severity="error")
        else:
            await app.push_screen(DifferencesScreen(control, control.differences()))
        return
    if state is not None:
        await _enter(app, control)
        return
    reason = control.first.read_only_reason()
    if reason:  # not asked only to be refused (a validated declaration is not keyed again)
        app.notify(f"double saisie impossible : {reason}", severity="error")
        return

    async def start() -> None:
        refusal = control.start()
        if refusal:
            app.notify(f"double saisie impossible : {refusal}", severity="error")
            return
        await _enter(app, control)

    await app.push_screen(
        ConfirmDialog(
            "Commencer une double saisie ?",
            "Contrôle par double saisie : le formulaire papier est saisi une seconde fois, à l’aveugle "
            "(aucune valeur de la première saisie n’est affichée), puis les deux saisies sont comparées "
            "réponse par réponse ; chaque différence se résout en gardant l’une des deux valeurs.\n\n"
            "Tant que la double saisie n’est pas résolue, la déclaration ne peut pas être validée.",
            start,
        )
    )


async def _enter(app: BilanApp, control: DoubleKeying) -> None:
    """The second keying, resumed where it was left (the first field of the form the first time)."""
    state = control.state
    session = control.session()
    cursor = EntryCursor(session, app.path, state.last_field if state is not None else None)
    await app.push_screen(SecondKeyingScreen(session, cursor))


async def ask_compare(app: BilanApp) -> None:
    """F5 in the second keying: compare (which closes it to keys), then list the differences."""
    control = _control(app)
    if control is None:
        return

    async def compare() -> None:
        found, refusal = control.compare()
        if refusal:
            app.notify(refusal, severity="error")
            return
        if isinstance(app.screen, SecondKeyingScreen):
            await app.pop_screen()
        if not found:
            app.notify("Aucune différence entre les deux saisies : double saisie terminée.", timeout=8)
            return
        await app.push_screen(DifferencesScreen(control, found))

    await app.push_screen(
        ConfirmDialog(
            "Comparer les deux saisies ?",
            "La double saisie sera close : ses réponses ne pourront plus être modifiées, et les valeurs "
            "de la première saisie seront affichées en regard des siennes.",
            compare,
        )
    )


async def ask_abandon(app: BilanApp) -> None:
    """Drop the second keying (asked first); the declaration is unchanged, the history keeps what was typed."""
    control = _control(app)
    if control is None:
        return

    async def abandon() -> None:
        refusal = control.abandon()
        if refusal:
            app.notify(refusal, severity="error")
        else:
            app.notify("Double saisie abandonnée : la déclaration est inchangée.")
        app.refresh_home()

    await app.push_screen(
        ConfirmDialog(
            "Abandonner la double saisie ?",
            "Ses réponses sont abandonnées (l’historique les garde) ; la déclaration reste telle quelle.",
            abandon,
        )
    )
