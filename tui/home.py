"""The home page: campaign dates, the state of the entry, the actions available in that state."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from bilan.common import clock
from bilan.entry.double_entry import DoubleKeying
from bilan.entry.external import blocks_summary, external_label
from bilan.entry.session import EntrySession as Session
from bilan.entry.validation import field_title
from bilan.presentation.answers import value_text as show_value
from bilan.tui.keys import KeyScreen


def state_text(s: Session) -> Text:
    c = s.campaign
    row = s.row
    r = s.result
    a = s.answers
    t = Text()
    t.append(f"Campagne {c.year} — {c.title}\n", style="bold")
    name = a.get("raison_sociale") or "(raison sociale à saisir)"
    t.append(f"Établissement : {name} — FINESS {row.finess}\n\n")
    t.append(f"Saisie : du {clock.french_date(c.opening)} au {clock.french_date(c.deadline)} (date limite)")
    if c.deadline:
        left = (c.deadline - s.today).days
        if c.opening and s.today < c.opening:
            t.append("  (saisie pas encore ouverte)", style="bold")
        elif left >= 0:
            t.append(f"  ({left} jour{'s' if left > 1 else ''} restant{'s' if left > 1 else ''})", style="bold")
        else:
            t.append("  (CAMPAGNE CLOSE : consultation seulement)", style="bold reverse")
        if clock.simulated():
            t.append(f"\n  Démonstration : date simulée au {clock.french_date(s.today)}", style="italic")
    t.append("\n\nÉtat de la saisie\n", style="bold underline")
    etab = next(f for f in c.fiches if f.name == "etablissement")
    d, n = s.progress(etab)
    if row.admin_checked_at:
        t.append(f"  Données administratives : vérifiées le {clock.french_date(row.admin_checked_at)}\n")
    else:
        t.append(f"  Données administratives : à vérifier ({d}/{n} renseignées)\n", style="bold")
    flags = s.store.flags(s.id)
    if flags:
        t.append("  Modifications à valider par la DDASS : ", style="bold")
        t.append(
            ", ".join(
                f"{field_title(c, f.field)} ({show_value(c.fields[f.field], f.old)} → "
                f"{show_value(c.fields[f.field], f.new)})"
                for f in flags
            )
            + "\n"
        )
    decl = next((f for f in c.fiches if f.name == "declarant"), None)
    if decl is not None:
        d, n = s.progress(decl)
        who = s.who() if d == n else f"à compléter ({d}/{n})"
        t.append(f"  Responsable de la déclaration : {who}\n")
    d, n = s.questionnaire_progress()
    if d == 0:
        state = "non commencé"
    elif d < n:
        state = f"en cours ({d} réponses sur {n} attendues)"
    else:
        state = f"complet ({n} réponses)"
    t.append(f"  Questionnaire : {state}\n")
    errors = sum(1 for x in r.checks if x.check.severity == "erreur")
    warnings = sum(1 for x in r.checks if x.check.severity != "erreur" and not x.justification)
    t.append(f"  Contrôles : {errors} erreur(s), {warnings} avertissement(s) à justifier\n")
    keying = DoubleKeying(s)
    if row.validated_at:
        t.append(
            f"  Validation : validé le {clock.french_date(row.validated_at)} par {row.validated_by}\n", style="bold"
        )
    elif keying.state is not None:  # on the validation's line: it is what the validation waits for
        t.append(f"  Validation : non validé ({keying.summary()})\n", style="bold")
    else:
        ready = "possible" if r.can_validate else "pas encore possible"
        t.append(f"  Validation : non validé (validation {ready})\n")
    reason = s.read_only_reason()
    if reason:
        t.append(f"\nLecture seule : {reason}\n", style="bold reverse")
    t.append("\nActions\n", style="bold underline")
    verb = "Saisir" if s.editable else "Consulter"
    actions = [
        ("a", f"{verb} les données administratives"),
        ("s", f"{verb} le bilan (reprise à la dernière question)"),
        ("c", "Récapitulatif (réponses, points, indicateurs)"),
        ("e", "Exporter la déclaration en TOML"),
    ]
    if c.data_blocks:
        actions.insert(3, ("d", f"{external_label(c)} : {blocks_summary(s)}"))
    if s.editable:
        actions.append(("v", "Valider le bilan"))
    elif s.holder is not None:  # a session elsewhere holds it: its heartbeat may lapse
        actions.append(("l", "Reprendre la main (réessayer)"))
    for key, label in actions:
        t.append(f"  {key}  ", style="bold reverse")
        t.append(f" {label}")
        # some actions share a line: the page fits 80×24
        for shared, other, what in (
            ("a", "r", "Responsable"),
            ("c", "h", "Historique"),
            ("e", "2", "Double saisie (contrôle)"),
        ):
            if key == shared:
                t.append("  ")
                t.append(f"  {other}  ", style="bold reverse")
                t.append(f" {what}")
        t.append("\n")
    # help and quit share a line: the whole page fits an 80×24 terminal
    t.append("  ?  ", style="bold reverse")
    t.append(" Aide : touches        ")
    t.append("  q  ", style="bold reverse")
    t.append(" Quitter (tout est déjà enregistré)")
    return t


class HomeScreen(KeyScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "app.help", "Aide"),
        Binding("q,ctrl+q", "app.quit", "Quitter"),
        Binding("a", "app.page('etablissement')", "Données adm."),
        Binding("r", "app.page('declarant')", "Responsable"),
        Binding("s", "app.questionnaire", "Saisir"),
        Binding("d", "app.external_data", "Données ext.", show=False),
        Binding("c", "app.recap", "Récap."),
        Binding("h", "app.history", "Historique", show=False),
        Binding("e", "app.export", "Exporter"),
        Binding("2", "app.double_keying", "Double saisie", show=False),
        Binding("v", "app.validate", "Valider"),
        Binding("l", "app.retry_lease", "Reprendre la main", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home", can_focus=False):
            yield Static(id="state")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Accueil"
        self.refresh_state()

    def on_screen_resume(self) -> None:
        self.refresh_state()

    def refresh_state(self) -> None:
        self.query_one("#state", Static).update(state_text(self.session))
