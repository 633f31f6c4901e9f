"""Parse .bilan source text into a Lark tree, turning Lark's exceptions into diagnostics."""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import lark
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.indenter import DedentError, Indenter

from bilan.common import user_cache
from bilan.common.source import Span
from bilan.dsl.diagnostics import Diagnostic, SourceError

# What the user typed, named for the error messages (Lark's terminal names mean nothing to them).
_TOKEN_NAMES = {
    "_NL": "une fin de ligne",
    "_INDENT": "un bloc indenté",
    "_DEDENT": "la fin du bloc",
    "NAME": "un nom",
    "STRING": 'un texte entre guillemets "..."',
    "NUMBER": "un nombre",
    "INT": "un nombre entier",
    "QNUM": "un numéro de question",
    "ROMAN": "un numéro de chapitre en chiffres romains",
    "ITEM_CODE": "un code d’item (ex. O211)",
    "DATE": "une date AAAA-MM-JJ",
    "COMPARATOR": "un comparateur (=, <, >, <=, >=, !=)",
    "$END": "la fin du fichier",
}


class BilanIndenter(Indenter):
    """Python-like blocks; newlines inside parentheses do not end a line."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR"]  # noqa: RUF012 - Lark reads these class attributes
    CLOSE_PAREN_types = ["RPAR"]  # noqa: RUF012
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4

    def handle_NL(self, token: Token) -> Iterator[Token]:
        """Lark's DedentError names no line: raise it again with the line that dedents wrongly."""
        try:
            yield from super().handle_NL(token)
        except DedentError:
            raise _BadDedent(token.end_line or 1, token.end_column or 1) from None


class _BadDedent(Exception):
    """A line indented less than its block but more than the enclosing one."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": True,
    "maybe_placeholders": False,
}


@cache
def _parser() -> Lark:
    """The LALR parser, its tables kept in the user's private cache (never Lark's `cache=True`,
    which unpickles a file at a predictable name in the shared $TMPDIR: issue 8)."""
    here = Path(__file__)
    grammar = here.with_name("bilan.lark").read_text(encoding="utf-8")
    # the saved parser holds a BilanIndenter: this module's text is part of the key
    key = f"{lark.__version__}\0{sorted(_OPTIONS.items())}\0{grammar}\0{here.read_text(encoding='utf-8')}"
    saved = user_cache.load("grammar", key)
    if isinstance(saved, bytes):
        return Lark.load(io.BytesIO(saved))
    parser = Lark(grammar, postlex=BilanIndenter(), **_OPTIONS)
    tables = io.BytesIO()
    parser.save(tables)
    user_cache.save("grammar", key, tables.getvalue())
    return parser


def _expected(tokens: set[str]) -> str:
    names = sorted({_TOKEN_NAMES.get(t, f"« {_keyword(t)} »") for t in tokens})
    if len(names) > 6:
        names = [*names[:6], "..."]
    return ", ".join(names)


def _keyword(terminal: str) -> str:
    """Lark names anonymous keyword terminals after their text; show the text back."""
    parser = _parser()
    for term in parser.terminals:
        if term.name == terminal:
            return str(term.pattern.value)
    return terminal.lower()


def parse(text: str, filename: str) -> Tree[Token]:
    """Parse a whole file; a syntax error is raised as a SourceError with one diagnostic."""
    if not text.endswith("\n"):
        text += "\n"
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise SourceError([_diagnostic(exc, text, filename)], {filename: text}) from None
    except _BadDedent as exc:
        message = "indentation incohérente : la ligne ne s’aligne sur aucun bloc ouvert"
        raise SourceError([Diagnostic(Span(filename, exc.line, exc.column), message)], {filename: text}) from None
    too_deep = _too_deep(tree)
    if too_deep is not None:
        message = f"expression trop imbriquée (plus de {MAX_DEPTH} niveaux) : la découper en valeurs calculées"
        span = Span(filename, too_deep.meta.line, too_deep.meta.column)
        raise SourceError([Diagnostic(span, message)], {filename: text})
    return tree


MAX_DEPTH = 100  # a long chain `a + b + ...` nests one level per term; the 2009 campaign needs 18


def _too_deep(tree: Tree[Token]) -> Tree[Token] | None:
    """The first subtree below MAX_DEPTH levels: compiling and evaluating recurse once per level."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


def _diagnostic(exc: UnexpectedInput, text: str, filename: str) -> Diagnostic:
    line = getattr(exc, "line", 0) or 1
    column = getattr(exc, "column", 0) or 1
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        char = text[pos] if pos is not None and pos < len(text) else "?"
        message = f"caractère inattendu « {char} »"
        if exc.allowed:
            message += f" ; attendu : {_expected(set(exc.allowed))}"
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "_INDENT":
            message = "indentation inattendue"
        elif token.type == "_DEDENT":
            message = "bloc terminé trop tôt"
        elif token.type in ("_NL", "$END"):
            message = "ligne incomplète"
        else:
            message = f"« {token} » inattendu"
        message += f" ; attendu : {_expected(set(exc.expected))}"
        if token.type in ("_DEDENT", "$END", "_INDENT") or token.line is None:
            line, column = _last_position(exc, line, column)
        opened = _multiline_string_before(exc)
        if opened is not None:
            message += f" (guillemet non fermé ligne {opened} ?)"
    elif isinstance(exc, UnexpectedEOF):
        message = f"fin de fichier inattendue ; attendu : {_expected(set(exc.expected))}"
    else:  # pragma: no cover - Lark has no other UnexpectedInput subclass
        message = str(exc)
    return Diagnostic(Span(filename, line, column), message)


def _multiline_string_before(exc: UnexpectedToken) -> int | None:
    """A text may span lines, so a missing closing quote swallows what follows: say so."""
    state = exc.state
    if state is None or not state.value_stack:
        return None
    last = state.value_stack[-1]
    if isinstance(last, Token) and last.type == "STRING" and "\n" in last:
        return last.line
    return None


def _last_position(exc: UnexpectedToken, line: int, column: int) -> tuple[int, int]:
    """Indentation tokens carry no position of their own: point at the previous token."""
    state = exc.state
    if state is not None and state.value_stack:
        last = state.value_stack[-1]
        end_line = getattr(last, "end_line", None) or getattr(getattr(last, "meta", None), "end_line", None)
        end_col = getattr(last, "end_column", None) or getattr(getattr(last, "meta", None), "end_column", None)
        if end_line:
            return end_line, end_col or 1
    return line, column
