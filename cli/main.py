"""The `bilan` command: one entry point, subcommands for each job; no traceback reaches a user.

Only argparse and the small French layer over it are imported before the arguments are read:
`bilan --help` loads neither the engine, nor the compiler, nor Textual.
"""

from __future__ import annotations

import argparse
import errno
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from bilan.cli.argparse_fr import FrenchParser
from bilan.common.errors import UserError, system_reason
from bilan.common.terminal import neutralise

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

QUESTIONNAIRE_HELP = "fichier .bilan de la campagne (défaut : le questionnaire 2009 intégré)"
STORE_HELP = "base de saisie SQLite (défaut : dans le dossier de données de l’utilisateur)"


class _Version(argparse.Action):
    """--version, reading the installed version only when asked (importlib.metadata is slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="affiche la version et quitte")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib.metadata import version

        parser.exit(message=f"bilan {version('bilan')}\n")


def _shared(p: argparse.ArgumentParser, top: bool, store: bool = False) -> None:
    """Options accepted before and after the sub-command with the same meaning: after it, an
    option left out must not overwrite what was given before it (hence SUPPRESS)."""
    default = None if top else argparse.SUPPRESS
    p.add_argument(
        "-q", "--questionnaire", type=Path, default=default, metavar="FICHIER.bilan", help=QUESTIONNAIRE_HELP
    )
    if store:
        p.add_argument("--store", type=Path, default=default, metavar="FICHIER.sqlite", help=STORE_HELP)


def _no_questionnaire(p: argparse.ArgumentParser) -> None:
    """A command that takes its campaign files as arguments: a -q after it is read (not shown in
    its help) so that the command can say why it refuses it (cli.resources.refuse_questionnaire)."""
    p.add_argument("-q", "--questionnaire", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _output_path(text: str) -> Path:
    """-o's value: `-` would be a file named « - » (other tools read it as standard output)."""
    if text == "-":
        raise argparse.ArgumentTypeError(
            "« - » : sans -o, bilan écrit sur la sortie standard (ou -o /dev/stdout) ; pas de fichier nommé « - »"
        )
    return Path(text)


def _output(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("-o", "--output", type=_output_path, default=None, metavar="FICHIER", help=what)


def _source(p: argparse.ArgumentParser) -> None:
    """The campaign file named after `check` and `paper` (the same as -q)."""
    help_text = "défaut : -q, ou le questionnaire intégré"
    p.add_argument("source", type=Path, nargs="?", default=None, metavar="FICHIER.bilan", help=help_text)


def _document_format(p: argparse.ArgumentParser) -> None:
    help_text = "défaut : pdf si FICHIER finit par .pdf, sinon text"
    p.add_argument("--format", choices=["pdf", "text", "typst"], default=None, help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="bilan",
        description="Bilan standardisé des activités de lutte contre les infections nosocomiales. "
        "Sans sous-commande : ouvre l’application de saisie.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--demo", action="store_true", help="ouvre une déclaration d’exemple complète")
    _shared(parser, top=True, store=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")

    p = sub.add_parser("check", help="compile un fichier .bilan et en affiche le résumé")
    _source(p)
    _shared(p, top=False)

    p = sub.add_parser("template", help="écrit un fichier de réponses vierge (TOML) sur la sortie standard")
    _shared(p, top=False)

    p = sub.add_parser("score", help="calcule les points, indicateurs et classes de déclarations TOML")
    p.add_argument("files", type=Path, nargs="+", metavar="FICHIER.toml", help="fichiers de réponses")
    p.add_argument("--format", choices=["text", "toml"], default="text", help="texte lisible ou TOML (défaut : text)")
    _output(p, "fichier de sortie (défaut : sortie standard)")
    _shared(p, top=False)

    p = sub.add_parser("paper", help="le formulaire papier vierge (PDF ou texte 80 colonnes)")
    _source(p)
    _output(p, "fichier PDF (défaut : sortie standard en texte)")
    _document_format(p)
    p.add_argument("--no-consignes", action="store_true", help="sans les consignes de remplissage")
    _shared(p, top=False)

    for name, what in (
        ("recap", "le récapitulatif d’une déclaration"),
        ("checklist", "la liste de validation d’une déclaration"),
    ):
        p = sub.add_parser(name, help=f"{what} (PDF ou texte)")
        p.add_argument("file", type=Path, metavar="FICHIER.toml", help="fichier de réponses")
        _output(p, "fichier PDF (défaut : texte sur la sortie standard)")
        _document_format(p)
        _shared(p, top=False)

    p = sub.add_parser("import", help="importe des déclarations TOML dans la base de saisie (toutes ou aucune)")
    p.add_argument("files", type=Path, nargs="+", metavar="FICHIER", help="fichiers de réponses .toml, ou de résultats")
    p.add_argument("--replace", action="store_true", help="remplace la déclaration de cet établissement si elle existe")
    _shared(p, top=False, store=True)

    p = sub.add_parser("export", help="exporte une déclaration de la base en TOML")
    p.add_argument(
        "finess", nargs="?", default=None, metavar="FINESS", help="établissement (défaut : la déclaration en cours)"
    )
    p.add_argument("--all", action="store_true", help="toutes les déclarations de la campagne (-o : un dossier)")
    _output(p, "fichier TOML, ou dossier avec --all (défaut : sortie standard)")
    p.add_argument("--with-scores", action="store_true", help="ajoute points, indicateurs et classes")
    _shared(p, top=False, store=True)

    # Maintainer's tools on campaign files (cli/maintainer.py)
    p = sub.add_parser("test", help="vérifie les exemples (blocs « exemple ») de fichiers .bilan")
    p.add_argument("files", type=Path, nargs="*", metavar="FICHIER.bilan", help="défaut : -q, ou le questionnaire")
    _shared(p, top=False)
    p = sub.add_parser("fmt", help="met en forme des fichiers .bilan (indentation, tableaux de classes alignés)")
    p.add_argument("files", type=Path, nargs="+", metavar="FICHIER.bilan", help="mis en forme sur place (- : entrée)")
    p.add_argument("--check", action="store_true", help="n’écrit rien ; nomme les fichiers à mettre en forme")
    _no_questionnaire(p)

    _year_change(sub)
    return parser


def _year_change(sub: Any) -> None:
    """diff, migrate, impact: from one campaign year to the next (bilan.yearchange)."""
    formats = {"choices": ["text", "toml"], "default": "text", "help": "texte lisible ou TOML (défaut : text)"}
    p = sub.add_parser("diff", help="les changements de sens entre deux campagnes, par nom stable")
    p.add_argument("old", type=Path, metavar="ANCIEN.bilan", help="la campagne de l’an dernier")
    p.add_argument("new", type=Path, metavar="NOUVEAU.bilan", help="la nouvelle campagne")
    p.add_argument("--format", **formats)
    _no_questionnaire(p)
    _output(p, "fichier de sortie (défaut : sortie standard)")

    p = sub.add_parser("migrate", help="reprend les déclarations de l’an dernier dans la nouvelle campagne")
    p.add_argument("files", type=Path, nargs="*", metavar="FICHIER", help="fichiers de réponses (sans : la base)")
    p.add_argument("--to", type=Path, required=True, metavar="NOUVEAU.bilan", help="la nouvelle campagne")
    p.add_argument(
        "-o", "--output", type=_output_path, default=None, metavar="DOSSIER", help="dossier des fichiers repris"
    )
    p.add_argument("--dry-run", action="store_true", help="le compte rendu seul : rien n’est écrit")
    _shared(p, top=False, store=True)

    p = sub.add_parser("impact", help="les déclarations de l’an dernier notées par les deux campagnes")
    p.add_argument("old", type=Path, metavar="ANCIEN.bilan", help="la campagne des déclarations")
    p.add_argument("new", type=Path, metavar="NOUVEAU.bilan", help="la nouvelle campagne")
    p.add_argument("files", type=Path, nargs="+", metavar="FICHIER", help="fichiers de réponses ou de résultats")
    p.add_argument("--format", **formats)
    _no_questionnaire(p)
    _output(p, "fichier de sortie (défaut : sortie standard)")


def _command(name: str | None) -> Callable[[argparse.Namespace], int]:
    """Import a subcommand's module only when it runs: `bilan score` never loads Textual."""
    if name is None:
        from bilan.cli.app import run_app

        return run_app
    command: Callable[[argparse.Namespace], int]
    if name in ("check", "template", "score"):
        from bilan.cli import commands

        command = getattr(commands, name)
    elif name in ("test", "fmt"):
        from bilan.cli import maintainer

        command = getattr(maintainer, name)
    elif name in ("diff", "migrate", "impact"):
        from bilan.cli import year as year_cli

        command = getattr(year_cli, name)
    elif name in ("paper", "recap", "checklist"):
        from bilan.cli import documents as documents_cli

        command = getattr(documents_cli, name)
    else:
        from bilan.cli import storage as store_cli

        command = getattr(store_cli, "import_" if name == "import" else name)
    return command


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command was started with it closed (`>&-`): writing to it is
    refused as a user's error, where Python would fail on `None`."""

    def write(self, text: str) -> int:
        raise UserError(_CLOSED)

    @property
    def buffer(self) -> BinaryIO:  # a PDF is written to the binary stream below the text one
        raise UserError(_CLOSED)


_CLOSED = "sortie standard fermée : la rediriger vers un fichier, ou indiquer -o FICHIER"


# What a write to standard output meets when it cannot go through: `> /dev/full`, a full disk, a
# closed descriptor. Files named by -o are written by common.outputs, which says so itself.
_OUTPUT_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    try:
        status = _command(args.command)(args)
        sys.stdout.flush()  # what is still buffered meets a full disk here, not at the exit
        return status
    except UserError as exc:
        print(neutralise(exc.render()), file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("interrompu", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left (`| head`): the outcome is unknown, never a success
        return 141  # 128 + SIGPIPE, what a shell reports for a command the closed pipe stopped
    except Exception as exc:  # the last guard: a bug must not show a traceback to a user
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_FAILURES and exc.filename is None:
            print(f"sortie standard : écriture impossible ({system_reason(exc)})", file=sys.stderr)
            return 1
        from bilan.common.crash import report_crash

        print(neutralise(report_crash(exc)), file=sys.stderr)
        return 70


if __name__ == "__main__":
    raise SystemExit(main())
