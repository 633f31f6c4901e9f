"""Parse .bilan source text into a Lark tree; every syntax error of the file becomes a diagnostic.

Lark stops at the first error. To report more, `parse` resynchronises at the next line or block:
the line in error (and the block it opens) is blanked out, or its indentation repaired, and the
file is parsed again from the top-level statement that holds it. An error that only exists because
of such a repair (a block left empty, say) is a knock-on error and is not reported.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import lark
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput
from lark.indenter import DedentError, Indenter

from bilan.common import user_cache
from bilan.common.source import Span
from bilan.dsl import statements, syntax_errors
from bilan.dsl.diagnostics import Diagnostic, SourceError
from bilan.dsl.limits import oversized_numbers
from bilan.dsl.syntax_errors import BadDedent, StrayParen, SyntaxProblem

MAX_SYNTAX_ERRORS = 20  # past this many, the file is more likely broken than mistyped


class BilanIndenter(Indenter):
    """Python-like blocks; newlines inside parentheses do not end a line.

    Also records what the error messages need: the lines indented with a tab, the open parentheses,
    and, for a line that dedents to no open block, the blocks that were open.
    """

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR"]  # noqa: RUF012 - Lark reads these class attributes
    CLOSE_PAREN_types = ["RPAR"]  # noqa: RUF012
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4

    def __init__(self) -> None:
        super().__init__()
        self.tab_lines: list[int] = []
        self.open_parens: list[Token] = []

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        self.tab_lines = []
        self.open_parens = []
        tokens: Iterator[Token] = super().process(self._watch_parens(stream))  # type: ignore[no-untyped-call]
        return tokens

    def _watch_parens(self, stream: Iterator[Token]) -> Iterator[Token]:
        """Lark's indenter asserts on a stray `)`: raise a located error before it sees one."""
        for token in stream:
            if token.type == "LPAR":
                self.open_parens.append(token)
            elif token.type == "RPAR":
                if not self.open_parens:
                    raise StrayParen(token.line or 1, token.column or 1)
                self.open_parens.pop()
            yield token

    def handle_NL(self, token: Token) -> Iterator[Token]:
        """Note tab indentation; raise a bad dedent again with its line and the open blocks."""
        indent = token.rsplit("\n", 1)[-1]
        if "\t" in indent and self.paren_level == 0 and token.end_line is not None:
            self.tab_lines.append(token.end_line)
        open_levels = list(self.indent_level)
        try:
            yield from super().handle_NL(token)
        except DedentError:
            raise BadDedent(token.end_line or 1, token.end_column or 1, open_levels) from None


_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": True,
    "maybe_placeholders": False,
}


@cache
def _grammar() -> str:
    return Path(__file__).with_name("bilan.lark").read_text(encoding="utf-8")


@cache
def _code_key() -> str:
    """What a parse depends on: Lark, the grammar, and this module (which holds BilanIndenter)."""
    here = Path(__file__).read_text(encoding="utf-8")
    return f"{lark.__version__}\0{sorted(_OPTIONS.items())}\0{_grammar()}\0{here}"


@cache
def _parser() -> Lark:
    """The LALR parser, its tables kept in the user's private cache (never Lark's `cache=True`,
    which unpickles a file at a predictable name in the shared $TMPDIR: issue 8)."""
    saved = user_cache.load("grammar", _code_key())
    if isinstance(saved, bytes):
        return Lark.load(io.BytesIO(saved))
    parser = Lark(_grammar(), postlex=BilanIndenter(), **_OPTIONS)
    tables = io.BytesIO()
    parser.save(tables)
    user_cache.save("grammar", _code_key(), tables.getvalue())
    return parser


def _indenter() -> BilanIndenter:
    postlex = _parser().options.postlex
    assert isinstance(postlex, BilanIndenter)
    return postlex


def parse(text: str, filename: str) -> Tree[Token]:
    """Parse a whole file; raise a SourceError listing every syntax error found.

    The trees of statements parsed before are reused (`statements`). When a statement does not
    parse alone, or has a problem (a tab, a number too long, nesting too deep), the whole file is
    parsed and its errors are reported as if nothing was kept.
    """
    text = _ended(text)
    tree = statements.parse(text, _parse_statement)
    if tree is not None:
        return tree  # each statement parsed alone without a problem: so does the file
    parsed = _parse_alone(text)
    if parsed is None:
        problems, tab_lines = _recover(text)
        raise SourceError(_diagnostics(problems, tab_lines, filename), {filename: text})
    tree, tab_lines = parsed
    problems = _problems(tree)
    if problems or tab_lines:
        raise SourceError(_diagnostics(problems, tab_lines, filename), {filename: text})
    return tree


def _problems(tree: Tree[Token]) -> list[SyntaxProblem]:
    """What the grammar lets through but the compiler refuses: numbers too long, nesting too deep."""
    return [*oversized_numbers(tree), *_too_deep(tree)]


def _ended(text: str) -> str:
    """The text as parsed: the last line ends with a newline like the others."""
    return text if text.endswith("\n") else text + "\n"


def _parse_alone(chunk: str) -> tuple[Tree[Token], list[int]] | None:
    """A text parsed with its tab lines, None if it does not parse (the seam the tests count
    parses through)."""
    try:
        return _parser().parse(chunk), list(_indenter().tab_lines)
    except (UnexpectedInput, BadDedent, StrayParen):
        return None


def _parse_statement(chunk: str) -> Tree[Token] | None:
    """A statement's chunk parsed alone, None unless it parses without a problem: the whole file
    is then parsed and its problems reported as ever (and a tree too deep is never copied, which
    `statements` does recursively)."""
    parsed = _parse_alone(chunk)
    if parsed is None or parsed[1] or _problems(parsed[0]):
        return None
    return parsed[0]


_STATEMENTS_KIND = "statements"


def reuse_saved_statements(path: str) -> None:
    """Make the statements of the version of `path` parsed last (in an earlier process) known to
    `parse`: after an edit, only the statements changed are parsed again."""
    saved = user_cache.load(_STATEMENTS_KIND, _statements_key(path))
    if isinstance(saved, list):
        statements.remember(saved)


def save_statements(path: str, text: str) -> None:
    """Keep the statements of `text`, the version of `path` just parsed, for the next process."""
    user_cache.save(_STATEMENTS_KIND, _statements_key(path), statements.known(_ended(text)))


def _statements_key(path: str) -> str:
    module = Path(statements.__file__).read_text(encoding="utf-8")
    return f"{os.path.abspath(path)}\0{_code_key()}\0{module}"


def tokens(text: str) -> list[Token]:
    """Every token the parser reads in a file that parses, as the indenter passes them on: with
    `_NL`, `_INDENT` and `_DEDENT` (but no `_NL` inside parentheses, where lines do not end)."""
    interactive = _parser().parse_interactive(_ended(text))
    out = list(interactive.iter_parse())
    interactive.feed_eof()  # type: ignore[no-untyped-call]  # Lark leaves it unannotated
    return out


def _diagnostics(problems: list[SyntaxProblem], tab_lines: list[int], filename: str) -> list[Diagnostic]:
    out = [Diagnostic(Span(filename, p.line, p.column), p.message) for p in problems]
    lines = sorted(set(tab_lines) - {p.line for p in problems if p.message.startswith("tabulation")})
    if lines:
        count = len(lines) - 1
        others = f" (et {count} autre{'s' if count > 1 else ''} ligne{'s' if count > 1 else ''})" if count else ""
        message = f"tabulation dans l’indentation : indenter avec des espaces (4 par niveau){others}"
        out.append(Diagnostic(Span(filename, lines[0], 1), message))
    return out


def _recover(text: str) -> tuple[list[SyntaxProblem], list[int]]:
    """Every syntax error of a file that does not parse, resynchronising after each one."""
    original = text.split("\n")
    lines = list(original)
    problems: list[SyntaxProblem] = []
    following: dict[int, int] = {}  # index of a problem -> lines after it that failed the same way
    tab_lines: set[int] = set()
    repaired: set[int] = set()  # lines whose indentation was repaired once already
    changed: int | None = None  # the line changed by the last resynchronisation
    for _ in range(4 * MAX_SYNTAX_ERRORS):
        start = _statement_start(lines, changed or 1)
        attempt = "\n" * (start - 1) + "\n".join(lines[start - 1 :])
        try:
            _parser().parse(attempt)
            break
        except (UnexpectedInput, BadDedent, StrayParen) as exc:
            problem = syntax_errors.describe(exc, attempt)
        finally:
            tab_lines.update(_indenter().tab_lines)
        # The parser accepted everything before the line changed last: an error placed there
        # (a block left empty, the line just repaired) exists only because of that change.
        knock_on = changed is not None and problem.unit_line <= changed
        if not knock_on and _continues(problems, problem, lines, original):
            following[len(problems) - 1] = following.get(len(problems) - 1, 0) + 1
        elif not knock_on:
            problems.append(problem)
            if len(problems) == MAX_SYNTAX_ERRORS:
                note = f"{MAX_SYNTAX_ERRORS} erreurs de syntaxe : les suivantes ne sont pas signalées"
                problems.append(SyntaxProblem(problem.line, problem.column, note))
                break
        line = problem.unit_line
        if problem.indent is not None and line not in repaired and not knock_on:
            repaired.add(line)
            lines[line - 1] = " " * problem.indent + lines[line - 1].lstrip(" \t")
        elif not _blank(lines, line, problem.block):
            break  # nothing left to take out: stop rather than report the same error again
        changed = line
    for index, count in following.items():
        more = "la ligne suivante" if count == 1 else f"les {count} lignes suivantes"
        problems[index] = attrs.evolve(problems[index], message=f"{problems[index].message} (et {more})")
    return problems, sorted(tab_lines)


def _continues(problems: list[SyntaxProblem], problem: SyntaxProblem, lines: list[str], original: list[str]) -> bool:
    """Lines out of their context one after the other (the header above them lost, say) fail the
    same way at their first word: only the first is reported, with how many follow it."""
    if not problems or not problem.generic or not problems[-1].generic:
        return False
    before, after = original[problems[-1].unit_line - 1], original[problem.unit_line - 1]
    first_words = problems[-1].column == _indent(before) + 1 and problem.column == _indent(after) + 1
    between = lines[problems[-1].unit_line : problem.unit_line - 1]
    return first_words and _indent(before) == _indent(after) and not any(line.strip() for line in between)


def _statement_start(lines: list[str], line: int) -> int:
    """The first line of the top-level statement holding `line`: parsing may resume there."""
    for number in range(min(line, len(lines)), 0, -1):
        if syntax_errors.starts_statement(lines[number - 1]):
            return number
    return 1


def _blank(lines: list[str], line: int, block: bool) -> bool:
    """Empty `line`, and with `block` the lines indented under it (line numbers and columns stay as
    they were); False when they were empty already."""
    if not 1 <= line <= len(lines):
        return False
    indent = _indent(lines[line - 1])
    changed = bool(lines[line - 1].strip())
    lines[line - 1] = ""
    for number in range(line, len(lines) if block else line):
        current = lines[number]
        if current.strip() and not current.lstrip().startswith("#") and _indent(current) <= indent:
            break
        changed = changed or bool(current.strip())
        lines[number] = ""
    return changed


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(BilanIndenter.tab_len))


MAX_DEPTH = 100  # a long chain `a + b + ...` nests one level per term; the 2009 campaign needs 18


def _too_deep(tree: Tree[Token]) -> list[SyntaxProblem]:
    """The first subtree below MAX_DEPTH levels: compiling and evaluating recurse once per level."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            message = f"expression trop imbriquée (plus de {MAX_DEPTH} niveaux) : la découper en valeurs calculées"
            if node.data in ("question_decl", "branch", "group"):
                message = f"blocs trop imbriqués (plus de {MAX_DEPTH} niveaux)"
            return [SyntaxProblem(node.meta.line, node.meta.column, message)]
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return []
