"""What the compiler has declared so far, by name, and every problem found on the way."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from lark import Token, Tree

from bilan.common.source import Span
from bilan.dsl.diagnostics import Diagnostic
from bilan.dsl.syntax_errors import expression_keywords
from bilan.dsl.tree import Node, span_of
from bilan.engine.expr import FUNCTIONS
from bilan.engine.model import ChoiceType, Field, Indicator, Item, Question, Section, Value


class Registry:
    """The declarations of one source file; the builders fill it, the compiler resolves it."""

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []
        self.names: dict[str, Span] = {}
        self.campaign_info: dict[str, Any] = {}
        self.scale: tuple[str, ...] = ()
        self.types: dict[str, ChoiceType] = {}
        self.fields: dict[str, Field] = {}
        self.questions: dict[str, Question] = {}
        self.values: dict[str, Value] = {}
        self.items: dict[str, Item] = {}
        self.indicators: dict[str, Indicator] = {}
        self.data_names: set[str] = set()
        self.untyped: set[str] = set()  # fields whose type could not be read (reported once, then ignored)
        self.fiches: list[Section] = []
        self.data_blocks: list[Section] = []
        self.chapters: list[Section] = []
        self.example_trees: list[Tree[Token]] = []  # read once the campaign is built (examples.py)

    def span(self, node: Node | None) -> Span:
        return span_of(self.filename, node)

    def error(self, span: Span | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(span or Span(self.filename, 1, 1), message))

    def claim(self, name: str, span: Span, what: str) -> None:
        """Register a global name; names are stable keys of answers files, so ASCII only.

        A bare name (not `q.row`) is read in conditions where a keyword or an option code may
        stand: it may be neither, or `q = non_concerne` would compare with the question instead.
        """
        if not name.isascii():
            self.error(
                span, f"le nom « {name} » contient des accents : les noms sont en ASCII (ex. « {_ascii(name)} »)"
            )
        if name in reserved_words():
            self.error(span, f"« {name} » est un mot réservé du langage : choisir un autre nom")
        elif "." not in name and ":" not in name:
            owner = next((t for t in self.types.values() if t.option(name) is not None), None)
            if owner is not None:
                self.error(
                    span,
                    f"« {name} » est une réponse du type « {owner.name} » : ce nom ne peut pas reprendre "
                    "un code de réponse, que les conditions ne distingueraient plus",
                )
        if name in self.names:
            first = self.names[name]
            self.error(span, f"{what} « {name} » déjà déclaré ligne {first.line}")
        else:
            self.names[name] = span


@cache
def reserved_words() -> frozenset[str]:
    """Words of expressions (keywords and functions): a name read in a condition may not be one.

    Other keywords (`finess`, `courriel`, `fonction`) are fine as names: the grammar never
    expects them where a name is read.
    """
    return expression_keywords() | FUNCTIONS


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
