"""The help screen: every key of the app, in French."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from bilan.tui.dialogs import ReadDialog

# (section, [(keys, what they do)]): a key column and a description that wraps under itself,
# so the list stays readable in the 58 columns the dialog has on an 80-column terminal.
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Partout",
        [
            ("F1 ou ?", "cette aide"),
            ("ctrl+p", "palette de commandes"),
            ("ctrl+q", "quitter (chaque réponse est déjà enregistrée)"),
        ],
    ),
    (
        "Accueil",
        [
            ("a", "données administratives"),
            ("r", "responsable de la déclaration"),
            ("s", "saisir le bilan (reprise à la dernière question vue)"),
            ("d", "données externes : origine, chiffres provisoires"),
            ("c, h", "récapitulatif (p : l’écrire en PDF), historique des modifications"),
            ("e", "exporter en TOML"),
            ("2", "double saisie : saisir une seconde fois à l’aveugle, comparer, résoudre"),
            ("v", "valider le bilan"),
            ("l", "reprendre la main sur une déclaration ouverte ailleurs"),
            ("q", "quitter"),
        ],
    ),
    (
        "Saisie",
        [
            ("Entrée, Tab, ↓", "question suivante (Entrée seule suffit d’un bout à l’autre)"),
            ("Maj+Tab, ↑", "question précédente"),
            ("o (ou y), n, s", "Oui, Non, Sans objet — la réponse passe à la question suivante"),
            ("1, 2, … a, b, …", "autres choix : la touche affichée devant l’option"),
            ("13, 1 Entrée", "catégories : leur numéro ; Entrée quand un numéro plus long commence pareil"),
            (
                "touche, ← → Espace",
                "choix multiples : la touche, ou Espace sur l’option choisie par ← →, coche ou décoche",
            ),
            ("chiffres", "nombres : chiffres seulement, virgule pour les décimales ; le format est à côté"),
            ("← → Début Fin", "se déplacer dans un nombre ou un texte ; ctrl+u le vide"),
            ("Retour arrière", "efface un caractère ; sur un choix, efface la réponse"),
            ("", "une touche refusée ou une erreur arrête le curseur : le message est sous la question"),
            ("Retour arrière", "… message lu : corriger ici (les touches tapées entre-temps sont ignorées)"),
            ("F6", "… passer outre une erreur : la réponse reste, l’erreur reste signalée"),
            ("j", "justifier l’avertissement affiché sous la question"),
            ("PgPréc, PgSuiv", "page précédente / suivante (fiches puis chapitres)"),
            ("ctrl+g", "aller à une question : III.2, 2, eohh ou un item (O211)"),
            ("F2", "consignes, preuves, cotation de la question et points obtenus"),
            ("F3", "liste des chapitres (↑ ↓ Entrée ; F3 ou Échap pour revenir)"),
            ("F4", "liste des contrôles : Entrée va à la question, j justifie un avertissement"),
            ("Échap", "retour à l’accueil"),
        ],
    ),
    (
        "Double saisie",
        [
            ("F5", "comparer les deux saisies (la double saisie est alors close)"),
            ("↑ ↓, 1, 2", "différences : garder la valeur de la 1re ou de la 2e saisie"),
        ],
    ),
]

NOTE = (
    "Les touches tapées d’avance sont appliquées dans l’ordre, chacune à la question où elle arrive. "
    "Une question masquée par une réponse garde sa réponse (« masquée ») sans la compter."
)


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for i, (section, rows) in enumerate(KEYS):
        table.add_row(Text(section, style="bold underline"), "", end_section=False)
        for keys, what in rows:
            table.add_row("  " + keys, what)
        if i < len(KEYS) - 1:
            table.add_row("", "")
    return table


def help_dialog() -> ReadDialog:
    return ReadDialog("Aide — touches", Group(keys_table(), Text("\n" + NOTE, style="italic")))
