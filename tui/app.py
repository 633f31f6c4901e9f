"""The Textual app: the national workflow's screens over one entry session.

FINESS (first run) → administrative data → person responsible → the chapters → recap →
validation; Échap always comes back home. Every key goes, in order, to the active screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from bilan.common.errors import UserError
from bilan.common.outputs import write_output
from bilan.common.terminal import HANGUP_SIGNALS
from bilan.engine.model import Campaign
from bilan.entry.cursor import EntryCursor
from bilan.entry.external import external_label
from bilan.entry.path import FormPath
from bilan.entry.session import EntrySession
from bilan.exports.answers_toml import dumps_declaration
from bilan.store.db import Store
from bilan.tui.keys import KeyScreen

HEARTBEAT_SECONDS = 60  # well inside the lease's staleness (store.lease.STALE)


class BilanApp(App[object]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses may live elsewhere
    TITLE = "bilan"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Aide", show=False),
        Binding("ctrl+q", "quit", "Quitter", priority=True, show=False),
        Binding("ctrl+c", "quit", "Quitter", show=False),
    ]

    def __init__(self, campaign: Campaign, store: Store, declaration: int | None) -> None:
        super().__init__()
        self.campaign = campaign
        self.store = store
        self.path = FormPath(campaign)
        self.session: EntrySession | None = EntrySession(store, campaign, declaration) if declaration else None
        self.crash: BaseException | None = None
        self.exit_message: str | None = None
        self._hung_up = False  # a hangup came before the app was mounted (see hang_up)

    async def on_event(self, event: events.Event) -> None:
        """Hand each key (or paste) to the active screen and wait until it is applied before reading the next."""
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            try:
                screen = self.screen
            except ScreenStackError:  # keys typed while the app starts or ends
                return
            if isinstance(screen, KeyScreen):
                if isinstance(event, events.Paste):  # no widget takes it either: it was lost
                    await screen.take_paste(event.text)
                else:
                    await screen.take_key(event.key, event.character)
                return
        await super().on_event(event)

    async def on_mount(self) -> None:
        self.sub_title = f"campagne {self.campaign.year}"
        self._exit_on_hangup()
        self.set_interval(HEARTBEAT_SECONDS, self.heartbeat)
        if self.session is not None:
            await self.open_home()
        else:
            from bilan.tui.create import CreateScreen

            await self.push_screen(CreateScreen(self.campaign.year, str(self.store.path), self.created))

    def _exit_on_hangup(self) -> None:
        """A terminal closed (SIGHUP) or a `kill` (SIGTERM) ends the app as ctrl+q does: the
        declaration is released at once (otherwise its lease outlives the process, and reopening
        right away is read-only, held by the user's own ended session). Every answer is already
        stored either way. A hangup that came while the app was starting (`hang_up`) ends it now."""
        loop = asyncio.get_running_loop()
        for number in HANGUP_SIGNALS:
            loop.add_signal_handler(number, self.exit)
        if self._hung_up:
            self.exit()

    def hang_up(self) -> None:
        """A hangup before the app is mounted (cli.app): noted, and acted on once it is."""
        self._hung_up = True

    def heartbeat(self) -> None:
        if self.session is not None:
            self.session.heartbeat()

    async def open_home(self) -> None:
        from bilan.tui.home import HomeScreen

        assert self.session is not None
        await self.push_screen(HomeScreen(self.session))
        if self.session.holder is not None:
            self.notify(f"ouverte en lecture seule : {self.session.read_only_reason()}", severity="warning", timeout=8)

    async def created(self, finess: str) -> None:
        try:
            row = self.store.find(finess, self.campaign.year)
            decl = row.id if row else self.store.create(finess, self.campaign.year)
        except UserError as exc:
            self.notify(exc.render(), severity="error")
            return
        self.session = EntrySession(self.store, self.campaign, decl)
        await self.pop_screen()
        await self.open_home()
        await self.action_page("etablissement")

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A read-only declaration (validated, closed campaign, held elsewhere) offers no validation."""
        return not (action == "validate" and self.session is not None and not self.session.editable)

    async def _enter(self, cursor: EntryCursor) -> None:
        from bilan.tui.entry import EntryScreen

        assert self.session is not None
        await self.push_screen(EntryScreen(self.session, cursor))

    async def action_page(self, name: str) -> None:
        """Open the form at a page (a fiche or a chapter) by its name."""
        if self.session is None:
            return
        page = self.path.page_index(name) or 0
        await self._enter(EntryCursor(self.session, self.path, page=page))

    async def action_questionnaire(self) -> None:
        """Resume at the last question visited (the first chapter the first time)."""
        if self.session is None:
            return
        first_chapter = len(self.campaign.fiches)
        last = self.session.row.last_field
        start = last if last is not None and self.path.page_of.get(last, -1) >= first_chapter else None
        await self._enter(EntryCursor(self.session, self.path, start, page=first_chapter))

    async def action_external_data(self) -> None:
        """The data blocks' pages: origin, indicators fed, provisional figures."""
        from bilan.tui.external import DataScreen

        if self.session is None:
            return
        if not self.campaign.data_blocks:
            self.notify("ce questionnaire n’a pas de données externes")
            return
        await self.push_screen(DataScreen(self.session))

    async def action_recap(self) -> None:
        from bilan.tui.recap import RecapScreen, recap_text

        if self.session is not None:
            await self.push_screen(RecapScreen("Récapitulatif (lecture seule)", recap_text(self.session)))

    async def action_recap_pdf(self) -> None:
        """Write the recap PDF next to the store (else in the current folder) and say where."""
        from bilan.entry.documents import write_recap_pdf

        s = self.session
        if s is None:
            return
        self.notify("Récapitulatif PDF en cours de mise en page…", timeout=3)
        try:
            target = await asyncio.to_thread(write_recap_pdf, s)
        except UserError as exc:
            self.notify(exc.render(), severity="error", timeout=10)
            return
        self.notify(f"Récapitulatif PDF écrit dans {target}", timeout=12)

    async def action_history(self) -> None:
        from bilan.tui.recap import TextScreen, history_text

        if self.session is not None:
            await self.push_screen(TextScreen("Historique des modifications", history_text(self.session)))

    async def action_double_keying(self) -> None:
        from bilan.tui.double_entry import open_control

        await open_control(self)

    async def action_compare_keyings(self) -> None:
        from bilan.tui.double_entry import ask_compare

        await ask_compare(self)

    async def action_abandon_keying(self) -> None:
        from bilan.tui.double_entry import ask_abandon

        await ask_abandon(self)

    async def action_help(self) -> None:
        from bilan.tui.dialogs import ReadDialog
        from bilan.tui.help import help_dialog

        if not isinstance(self.screen, ReadDialog):
            await self.push_screen(help_dialog())

    async def action_retry_lease(self) -> None:
        s = self.session
        if s is None or s.holder is None:
            return
        if s.retry_lease():
            self.notify("Vous avez repris la main : la déclaration est ouverte en saisie.")
        else:
            self.notify(f"toujours ouverte ailleurs : {s.read_only_reason()}", severity="warning")
        self.refresh_home()

    async def action_export(self) -> None:
        from bilan.tui.dialogs import AskDialog

        s = self.session
        if s is None:
            return
        default = f"bilan-{s.row.finess}-{self.campaign.year}.toml"

        async def done(path: str) -> None:
            if not path.strip():
                return
            target = Path(path.strip()).expanduser()
            try:  # never over the store itself, never half-written, never through a planted link
                write_output(target, dumps_declaration(s.declaration, self.campaign), inputs=[self.store.path])
            except UserError as exc:
                self.notify(exc.render(), severity="error")
                return
            self.notify(f"déclaration exportée dans {target.resolve()}")

        await self.push_screen(AskDialog("Exporter la déclaration (TOML)", "fichier", done, default))

    async def action_validate(self) -> None:
        from bilan.tui.dialogs import ConfirmDialog, ReadDialog

        s = self.session
        if s is None:
            return
        problems = s.validation_problems()
        if problems:
            await self.push_screen(ReadDialog("Validation refusée : à corriger avant de valider", "\n".join(problems)))
            return

        async def done() -> None:
            refusal = s.validate()
            if refusal:
                self.notify(refusal, severity="error")
            else:
                self.notify(f"Bilan validé par {s.who_with_role()} : la déclaration est verrouillée.", timeout=8)
            self.refresh_home()

        await self.push_screen(
            ConfirmDialog(
                "Valider votre bilan ?",
                "En validant, vous confirmez vos déclarations. Elles seront verrouillées : "
                "toute correction ultérieure passera par votre DDASS (ou DRASS).\n\n"
                f"Validé par : {s.who_with_role()}",
                done,
            )
        )

    def refresh_home(self) -> None:
        from bilan.tui.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_state()
        self.refresh_bindings()  # « Valider » leaves the footer once the declaration is locked

    def action_command_palette(self) -> None:
        """ctrl+p: the command palette, with a French placeholder (Textual's is English)."""
        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="Rechercher une commande…", id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette, in French (Textual's own commands are in English: not offered).

        In a blind second keying it offers nothing that shows the first keying (recap, history, export).
        """
        from bilan.tui.double_entry import SecondKeyingScreen

        yield SystemCommand("Quitter", "quitter l’application (tout est déjà enregistré)", self.action_quit)
        yield SystemCommand("Aide : touches", "toutes les touches de l’application", self.action_help)
        if isinstance(screen, SecondKeyingScreen):
            yield SystemCommand("Comparer les deux saisies", "clôt la double saisie", self.action_compare_keyings)
            return
        if self.session is None:
            return
        yield SystemCommand(
            "Saisir le bilan", "questionnaire, reprise à la dernière question", self.action_questionnaire
        )
        yield SystemCommand("Données administratives", "fiche établissement", lambda: self.action_page("etablissement"))
        yield SystemCommand(
            "Responsable de la déclaration", "identification, courriels", lambda: self.action_page("declarant")
        )
        yield SystemCommand(
            external_label(self.campaign), "origine des données, saisie provisoire", self.action_external_data
        )
        yield SystemCommand("Récapitulatif", "réponses, points des items, indicateurs", self.action_recap)
        yield SystemCommand("Récapitulatif en PDF", "à côté de la base de saisie", self.action_recap_pdf)
        yield SystemCommand("Historique", "toutes les modifications de la déclaration", self.action_history)
        yield SystemCommand("Exporter en TOML", "fichier de réponses", self.action_export)
        yield SystemCommand("Valider le bilan", "verrouille la déclaration", self.action_validate)
        yield SystemCommand("Double saisie (contrôle)", "saisie à l’aveugle, comparaison", self.action_double_keying)
        if self.session.store.second_keying(self.session.id) is not None:
            yield SystemCommand(
                "Abandonner la double saisie", "la déclaration reste inchangée", self.action_abandon_keying
            )

    def _handle_exception(self, error: Exception) -> None:
        """A bug ends the app cleanly; the CLI logs it and prints a short message, never a traceback."""
        if self.crash is not None:  # the first error is the cause; later ones follow from it
            return
        if isinstance(error, UserError):
            self.exit_message = error.render()
        self.crash = error
        self.exit()
