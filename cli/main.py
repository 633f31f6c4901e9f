"""The `bilan` command: one entry point, subcommands for each job; no traceback reaches a user."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.common.errors import UserError, report_crash


def _questionnaire_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-q",
        "--questionnaire",
        type=Path,
        default=None,
        help="fichier .bilan de la campagne (défaut : le questionnaire 2009 intégré)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bilan",
        description="Bilan standardisé des activités de lutte contre les infections nosocomiales. "
        "Sans sous-commande : ouvre l’application de saisie.",
    )
    parser.add_argument("--version", action="version", version=f"bilan {version('bilan')}")
    parser.add_argument(
        "--store", type=Path, default=None, help="base de saisie SQLite (défaut : dossier de données de l’utilisateur)"
    )
    parser.add_argument("--demo", action="store_true", help="ouvre une déclaration d’exemple complète")
    _questionnaire_arg(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")

    p = sub.add_parser("check", help="compile un fichier .bilan et en affiche le résumé")
    p.add_argument("source", type=Path, nargs="?", default=None, help="fichier .bilan (défaut : questionnaire intégré)")

    p = sub.add_parser("template", help="écrit un fichier de réponses vierge (TOML) sur la sortie standard")
    _questionnaire_arg(p)

    p = sub.add_parser("score", help="calcule les points, indicateurs et classes de déclarations TOML")
    p.add_argument("files", type=Path, nargs="+", help="fichiers de réponses .toml")
    p.add_argument("--format", choices=["text", "toml"], default="text", help="texte lisible ou TOML (défaut : text)")
    p.add_argument("-o", "--output", type=Path, default=None, help="fichier de sortie (défaut : sortie standard)")
    _questionnaire_arg(p)

    p = sub.add_parser("paper", help="le formulaire papier vierge (PDF ou texte 80 colonnes)")
    p.add_argument("source", type=Path, nargs="?", default=None, help="fichier .bilan (défaut : questionnaire intégré)")
    p.add_argument("-o", "--output", type=Path, default=None, help="fichier PDF (défaut : sortie standard en texte)")
    p.add_argument("--format", choices=["pdf", "text", "typst"], default=None)
    p.add_argument("--no-consignes", action="store_true", help="sans les consignes de remplissage")

    for name, what in (
        ("recap", "le récapitulatif d’une déclaration"),
        ("checklist", "la liste de validation d’une déclaration"),
    ):
        p = sub.add_parser(name, help=f"{what} (PDF ou texte)")
        p.add_argument("file", type=Path, help="fichier de réponses .toml")
        p.add_argument(
            "-o", "--output", type=Path, default=None, help="fichier PDF (défaut : texte sur la sortie standard)"
        )
        p.add_argument("--format", choices=["pdf", "text", "typst"], default=None)
        _questionnaire_arg(p)

    p = sub.add_parser("import", help="importe des déclarations TOML dans la base de saisie (toutes ou aucune)")
    p.add_argument("files", type=Path, nargs="+", metavar="FICHIER", help="fichiers de réponses .toml, ou de résultats")
    p.add_argument("--replace", action="store_true", help="remplace la déclaration de cet établissement si elle existe")
    _questionnaire_arg(p)

    p = sub.add_parser("export", help="exporte une déclaration de la base en TOML")
    p.add_argument("finess", nargs="?", default=None, help="établissement (défaut : la déclaration en cours)")
    p.add_argument("--all", action="store_true", help="toutes les déclarations de la campagne (-o : un dossier)")
    p.add_argument("-o", "--output", type=Path, default=None)
    p.add_argument("--with-scores", action="store_true", help="ajoute points, indicateurs et classes")
    _questionnaire_arg(p)
    return parser


def _command(name: str | None) -> Callable[[argparse.Namespace], int]:
    """Import a subcommand's module only when it runs: `bilan score` never loads Textual."""
    if name is None:
        from bilan.cli.app import run_app

        return run_app
    command: Callable[[argparse.Namespace], int]
    if name in ("check", "template", "score"):
        from bilan.cli import commands

        command = getattr(commands, name)
    elif name in ("paper", "recap", "checklist"):
        from bilan.cli import documents as documents_cli

        command = getattr(documents_cli, name)
    else:
        from bilan.cli import storage as store_cli

        command = getattr(store_cli, "import_" if name == "import" else name)
    return command


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "questionnaire", None) is None:
        args.questionnaire = DEFAULT_QUESTIONNAIRE
    try:
        return _command(args.command)(args)
    except UserError as exc:
        print(exc.render(), file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("interrompu", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last guard: a bug must not show a traceback to a user
        print(report_crash(exc), file=sys.stderr)
        return 70


if __name__ == "__main__":
    raise SystemExit(main())
