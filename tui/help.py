"""The help screen: every key of the app, in French."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEYS = """\
Partout
  F1 ou ?        cette aide              ctrl+p   palette de commandes
  ctrl+q         quitter (chaque réponse est déjà enregistrée)

Accueil
  a  données administratives     r  responsable de la déclaration
  s  saisir le bilan             c  récapitulatif     e  exporter en TOML
  v  valider le bilan            q  quitter

Saisie
  Oui / Non / Sans objet   o (ou y) / n / s — la réponse passe à la question suivante
  Autres choix             la touche affichée devant l’option (1, 2, … puis a, b, …)
  Choix multiples          la touche coche ou décoche ; Espace passe à la suite
  Nombres                  chiffres seulement (virgule pour les décimales), Entrée
  Effacer une réponse      Retour arrière (choix) ou vider le champ puis Entrée
  ↑ / ↓, Tab               question précédente / suivante
  PgPréc / PgSuiv          chapitre précédent / suivant
  ctrl+g                   aller à une question : III.2, 2, eohh ou un item (O211)
  F2                       consignes, preuves, cotation de la question et points obtenus
  F3                       liste des chapitres avec leur avancement
  F4                       liste des contrôles : Entrée va à la question, j justifie
  Échap                    retour à l’accueil

Une question masquée par une réponse garde sa réponse (« masquée ») sans la compter.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1,question_mark", "close", "Fermer")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-large"):
            yield Static("Aide — touches", classes="dialog-title")
            with VerticalScroll():
                yield Static(KEYS)
            yield Label("Échap : fermer", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
