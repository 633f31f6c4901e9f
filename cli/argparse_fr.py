"""argparse speaking French: help headings, usage prefix, the -h line and every error it prints.

argparse looks its texts up through gettext (`argparse._` and `argparse.ngettext`, by their
English message ids). `FrenchParser` answers those look-ups from the catalogue below while one of
its own methods runs, and only then: other users of argparse in the process (pytest) keep theirs.
Message ids argparse uses only for programming mistakes (conflicting options...) are not
translated: a user never sees them. tests/test_cli_arguments.py checks that every other id of the
running Python's argparse is in the catalogue.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any, NoReturn

CATALOGUE = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments ",  # argparse adds the colon: "arguments :", French spacing
    "options": "options ",
    "optional arguments": "options ",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche la version et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l’un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : « %(value)s » (choix possibles : %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valeur invalide pour %(type)s : « %(value)s »",
    "can't open '%(filename)s': %(error)s": "impossible d’ouvrir « %(filename)s » : %(error)s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "une valeur au moins est attendue",
    "not allowed with argument %s": "incompatible avec l’argument %s",
    "ignored explicit argument %r": "valeur %r ignorée : cette option n’en prend pas",
    "unexpected option string: %s": "option inattendue : %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue « %(parser_name)s » (possibles : %(choices)s)"
    ),
    'argument "-" with mode %r': "argument « - » avec le mode %r",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): ("%s valeur attendue", "%s valeurs attendues"),
}


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    french = PLURALS.get((singular, plural), (singular, plural))
    return french[0] if count == 1 else french[1]


@contextmanager
def _french() -> Iterator[None]:
    """argparse's look-ups answered in French for the duration of the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]  # module globals the stubs omit
    setattr(argparse, "_", _gettext)  # noqa: B010  # the same globals, replaced
    setattr(argparse, "ngettext", _ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


class FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts and errors are French; sub-commands are FrenchParsers too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _french():
            super().__init__(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        with _french():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        with _french():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _french():
            return super().format_usage()

    def format_help(self) -> str:
        with _french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _french():
            super().error(message)
