"""The Textual app: screens for the national workflow, one session over the store."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from bilan.common.errors import UserError
from bilan.engine.model import Campaign
from bilan.exports.answers_toml import dumps_declaration
from bilan.store.db import Store
from bilan.tui.session import Session


class BilanApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "bilan"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Aide"),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
    ]

    def __init__(self, campaign: Campaign, store: Store, declaration: int | None) -> None:
        super().__init__()
        self.campaign = campaign
        self.store = store
        self.session: Session | None = Session(store, campaign, declaration) if declaration else None
        self.crash: BaseException | None = None
        self.exit_message: str | None = None

    def on_mount(self) -> None:
        self.sub_title = f"campagne {self.campaign.year}"
        if self.session is not None:
            self.open_home()
        else:
            from bilan.tui.create import CreateScreen

            self.push_screen(CreateScreen(self.campaign.year, str(self.store.path)), self.created)

    def open_home(self) -> None:
        from bilan.tui.home import HomeScreen

        assert self.session is not None
        self.push_screen(HomeScreen(self.session))
        if self.session.holder is not None:
            self.notify(f"ouverte en lecture seule : {self.session.read_only_reason()}", severity="warning", timeout=8)

    def created(self, finess: str | None) -> None:
        if not finess:
            return
        try:
            row = self.store.find(finess, self.campaign.year)
            decl = row.id if row else self.store.create(finess, self.campaign.year)
        except UserError as exc:
            self.notify(exc.render(), severity="error")
            return
        self.session = Session(self.store, self.campaign, decl)
        self.open_home()
        self.action_fiche("etablissement")

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A read-only declaration (validated, closed campaign, held elsewhere) offers no validation."""
        return not (action == "validate" and self.session is not None and self.session.read_only_reason())

    def action_fiche(self, name: str) -> None:
        from bilan.tui.entry import EntryScreen

        if self.session is None:
            return
        section = next(s for s in self.campaign.fiches if s.name == name)

        def done(_: None) -> None:
            if name == "etablissement" and self.session is not None and self.session.editable:
                d, n = self.session.progress(section)
                if d == n and not self.session.row.admin_checked_at:
                    self.session.store.check_admin(self.session.id, self.session.who())
                    self.notify(
                        "Données administratives enregistrées. Une modification du statut, de la "
                        "catégorie ou des activités sera signalée à la DDASS.",
                        timeout=8,
                    )
            self.refresh_home()

        self.push_screen(EntryScreen(self.session, (section,)), done)

    def action_questionnaire(self) -> None:
        from bilan.tui.entry import EntryScreen

        if self.session is None:
            return
        last = self.session.row.last_field
        in_chapters = {f.name for s in self.campaign.chapters for f in s.fields()}
        start = last if last in in_chapters else None
        self.push_screen(EntryScreen(self.session, self.campaign.chapters, start), lambda _: self.refresh_home())

    def action_recap(self) -> None:
        from bilan.tui.recap import TextScreen, recap_text

        if self.session is not None:
            self.push_screen(TextScreen(self.session, "Récapitulatif (lecture seule)", recap_text(self.session)))

    def action_history(self) -> None:
        from bilan.tui.recap import TextScreen, history_text

        if self.session is not None:
            self.push_screen(TextScreen(self.session, "Historique des modifications", history_text(self.session)))

    def action_help(self) -> None:
        from bilan.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_export(self) -> None:
        from bilan.tui.dialogs import AskDialog

        s = self.session
        if s is None:
            return
        default = f"bilan-{s.row.finess}-{self.campaign.year}.toml"

        def done(path: str | None) -> None:
            if not path:
                return
            try:
                Path(path).expanduser().write_text(dumps_declaration(s.declaration, self.campaign), encoding="utf-8")
            except OSError as exc:
                self.notify(f"{path} : écriture impossible ({exc.strerror})", severity="error")
                return
            self.notify(f"déclaration exportée dans {Path(path).expanduser().resolve()}")

        self.push_screen(AskDialog("Exporter la déclaration (TOML)", "fichier", default), done)

    def action_validate(self) -> None:
        from bilan.tui.dialogs import ConfirmDialog, ListDialog

        s = self.session
        if s is None:
            return
        reason = s.read_only_reason()
        if reason:
            self.notify(reason, title="Validation impossible", severity="warning")
            return
        problems = validation_problems(s)
        if problems:
            self.push_screen(ListDialog("Validation refusée : à corriger avant de valider", problems))
            return

        def done(ok: bool | None) -> None:
            if not ok:
                return
            try:
                s.validate()
            except UserError as exc:
                self.notify(exc.render(), severity="error")
                return
            self.notify(f"Bilan validé par {s.who_with_role()} : la déclaration est verrouillée.", timeout=8)
            self.refresh_home()

        self.push_screen(
            ConfirmDialog(
                "Valider votre bilan ?",
                "En validant, vous confirmez vos déclarations. Elles seront verrouillées : "
                "toute correction ultérieure passera par votre DDASS (ou DRASS).\n\n"
                f"Validé par : {s.who_with_role()}",
            ),
            done,
        )

    def refresh_home(self) -> None:
        from bilan.tui.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_state()
        self.refresh_bindings()  # « Valider » leaves the footer once the declaration is locked

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.session is None:
            return
        yield SystemCommand(
            "Saisir le bilan", "questionnaire, reprise à la dernière question", self.action_questionnaire
        )
        yield SystemCommand(
            "Données administratives", "fiche établissement", lambda: self.action_fiche("etablissement")
        )
        yield SystemCommand(
            "Responsable de la déclaration", "identification, courriels", lambda: self.action_fiche("declarant")
        )
        yield SystemCommand("Récapitulatif", "réponses, points des items, indicateurs", self.action_recap)
        yield SystemCommand("Exporter en TOML", "fichier de réponses", self.action_export)
        yield SystemCommand("Valider le bilan", "verrouille la déclaration", self.action_validate)
        yield SystemCommand("Aide : touches", "toutes les touches de l’application", self.action_help)

    def _handle_exception(self, error: Exception) -> None:
        """A bug ends the app cleanly; the CLI logs it and prints a short message, never a traceback."""
        if isinstance(error, UserError):
            self.exit_message = error.render()
        self.crash = error
        self.exit()


def validation_problems(s: Session) -> list[str]:
    """What keeps a declaration from being validated, in the order of the form."""
    c = s.campaign
    r = s.result
    lines = []
    by_question: dict[str, list[str]] = {}  # one line per question, its missing rows listed
    for name in r.missing:
        f = c.fields[name]
        by_question.setdefault(f.question, []).append(f.label)
    for qname, labels in by_question.items():
        q = c.questions[qname]
        section = s.section_of_question(q.name)
        where = f"{section.number}." if section.number else f"{section.title} : "
        rows = [lab for lab in labels if lab]
        detail = f" ({len(rows)} ligne(s) : {', '.join(rows[:3])}{' …' if len(rows) > 3 else ''})" if rows else ""
        lines.append(f"• réponse manquante : {where}{q.number or ''} {q.text[:60]}{detail}")
    for chk in r.checks:
        if chk.blocking:
            kind = "erreur" if chk.check.severity == "erreur" else "avertissement non justifié"
            lines.append(f"• {kind} : {chk.check.message}")
    return lines
