"""What a syntax error means to a maintainer: the line that is wrong, what is wrong, what was expected.

Lark reports the token where parsing stopped, in the grammar's terms. This module turns that into
the mistake a person makes: a misspelled keyword, a decimal comma, a quote or a parenthesis left
open, a tab or a line indented wrong, a block missing under its header. Grammar terminal names and
regular expressions never reach the user.
"""

from __future__ import annotations

import re
from functools import cache

import attrs
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr
from lark.parsers.lalr_interactive_parser import InteractiveParser

from bilan.common.suggest import closest, strip_accents

_TERMINALS = {
    "_NL": "une fin de ligne",
    "_INDENT": "un bloc indenté",
    "_DEDENT": "la fin du bloc",
    "$END": "la fin du fichier",
    "NAME": "un nom",
    "STRING": 'un texte entre guillemets "…"',
    "NUMBER": "un nombre",
    "INT": "un nombre entier",
    "QNUM": "un numéro de question",
    "ROMAN": "un numéro de chapitre en chiffres romains",
    "ITEM_CODE": "un code d’item (ex. O211)",
    "DATE": "une date AAAA-MM-JJ",
    "COMPARATOR": "un comparateur (=, <, >, <=, >=, !=)",
    "ADD_OP": "un opérateur (+, -)",
    "MUL_OP": "un opérateur (*, ×, /)",
}
MAX_EXPECTED = 6
_WORD = re.compile(r"\w+(?:-\w+)*")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")


@attrs.frozen
class SyntaxProblem:
    """One syntax error: where to report it, and which line the parser resynchronises after.

    `unit_line` is the line that is wrong: it is taken out to go on, with the block it opens when
    `block` is set; `indent`, when set, is the indentation that repairs that line instead.
    """

    line: int
    column: int
    message: str
    unit_line: int = attrs.field()
    indent: int | None = None
    block: bool = True
    generic: bool = False  # "« X » inattendu": what a line out of its context gives, line after line

    @unit_line.default
    def _unit_line(self) -> int:
        return self.line


class BadDedent(Exception):
    """A line indented less than its block but more than the enclosing one."""

    def __init__(self, line: int, column: int, open_levels: list[int]) -> None:
        super().__init__(line, column)
        self.line, self.column, self.open_levels = line, column, open_levels


class StrayParen(Exception):
    """A `)` that closes no parenthesis."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


@cache
def keywords() -> frozenset[str]:
    """The words of the language (`question`, `si`, `échelle`...), read from the grammar."""
    from bilan.dsl.parser import _parser

    return frozenset(
        str(t.pattern.value)
        for t in _parser().terminals
        if isinstance(t.pattern, PatternStr) and _WORD.fullmatch(str(t.pattern.value))
    )


_EXPRESSION_RULES = frozenset(
    {"expr", "or_expr", "and_expr", "not_expr", "comparison", "sum", "product", "atom", "args"}
)


@cache
def expression_keywords() -> frozenset[str]:
    """The keywords an expression may hold (`si`, `et`, `dans`...), read from the grammar's rules."""
    from bilan.dsl.parser import _parser

    parser = _parser()
    patterns = _terminal_patterns(parser)
    names = {s.name for r in parser.rules if r.origin.name in _EXPRESSION_RULES for s in r.expansion if s.is_term}
    return frozenset(patterns[n] for n in names if n in patterns and _WORD.fullmatch(patterns[n]))


def starts_statement(line: str) -> bool:
    """A line that opens a top-level statement (`chapitre`, `item`...): parsing may resume there."""
    match = _WORD.match(line)
    return match is not None and match.group() in _top_level_keywords()


@cache
def _top_level_keywords() -> frozenset[str]:
    """The keywords a top-level statement starts with, read from the grammar's `statement` rule."""
    from bilan.dsl.parser import _parser

    parser = _parser()
    patterns = _terminal_patterns(parser)
    firsts: dict[str, set[str]] = {}

    def first(symbol: str) -> set[str]:
        if symbol not in firsts:
            firsts[symbol] = set()  # a rule that starts with itself adds nothing more
            for rule in parser.rules:
                if rule.origin.name == symbol and rule.expansion:
                    head = rule.expansion[0]
                    firsts[symbol] |= {head.name} if head.is_term else first(str(head.name))
        return firsts[symbol]

    return frozenset(patterns[t] for t in first("statement") if t in patterns)


def describe(exc: UnexpectedInput | BadDedent | StrayParen, text: str) -> SyntaxProblem:
    """The problem a Lark exception (or the indenter's) stands for; `text` is what was parsed.

    A line indented with a tab is read as 4 columns, which is rarely what its author saw: when the
    line in error is one, the tab is named instead.
    """
    problem = _describe(exc, text)
    if "\t" in _leading(_line(text, problem.unit_line)):
        width = _indent_of(_line(text, problem.unit_line))
        message = (
            f"tabulation dans l’indentation (lue comme {width} espaces) : indenter avec des espaces (4 par niveau)"
        )
        return attrs.evolve(problem, line=problem.unit_line, column=1, message=message)
    return problem


def _leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _describe(exc: UnexpectedInput | BadDedent | StrayParen, text: str) -> SyntaxProblem:
    from bilan.dsl.parser import _indenter

    if isinstance(exc, BadDedent):
        return _bad_dedent(exc, text)
    if isinstance(exc, StrayParen):
        return SyntaxProblem(exc.line, exc.column, "parenthèse fermante « ) » sans parenthèse ouvrante")
    line, column = _position(exc)
    unclosed = _unclosed_paren(_indenter().open_parens, line)
    if unclosed is not None:
        return unclosed
    if isinstance(exc, UnexpectedCharacters):
        return _unexpected_character(exc, text, line, column)
    if isinstance(exc, UnexpectedToken):
        return _unexpected_token(exc, text)
    assert isinstance(exc, UnexpectedEOF)  # Lark's third kind; the LALR parser turns it into $END
    return SyntaxProblem(line, column, f"fin de fichier inattendue ; attendu : {_expected(set(exc.expected))}")


def _position(exc: UnexpectedInput) -> tuple[int, int]:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    return (line if isinstance(line, int) and line > 0 else 1, column if isinstance(column, int) and column > 0 else 1)


def _bad_dedent(exc: BadDedent, text: str) -> SyntaxProblem:
    columns = ", ".join(str(level + 1) for level in exc.open_levels)
    indent = _indent_of(_line(text, exc.line))
    nearest = min(exc.open_levels, key=lambda level: (abs(level - indent), -level))
    message = (
        f"indentation incohérente : la ligne commence colonne {indent + 1}, "
        f"aucun bloc ouvert ne commence là (colonnes {columns})"
    )
    return SyntaxProblem(exc.line, exc.column, message, indent=nearest)


def _unclosed_paren(open_parens: list[Token], error_line: int) -> SyntaxProblem | None:
    """A `(` left open swallows the lines after it (newlines inside parentheses do not count)."""
    if not open_parens:
        return None
    paren = open_parens[0]
    if (paren.line or 1) >= error_line:
        return None
    return SyntaxProblem(paren.line or 1, paren.column or 1, "parenthèse ouverte ici et jamais fermée")


def _unexpected_character(exc: UnexpectedCharacters, text: str, line: int, column: int) -> SyntaxProblem:
    pos = exc.pos_in_stream
    char = text[pos] if pos is not None and 0 <= pos < len(text) else "?"
    if char == '"':
        return SyntaxProblem(line, column, "guillemet non fermé : ce texte ne se termine nulle part")
    shown = {"\t": "tabulation", "\r": "retour chariot", "\ufeff": "marque d’ordre des octets"}.get(char, char)
    message = f"caractère inattendu « {shown} »"
    if exc.allowed:
        message += f" ; attendu : {_expected(set(exc.allowed))}"
    return SyntaxProblem(line, column, message)


def _unexpected_token(exc: UnexpectedToken, text: str) -> SyntaxProblem:
    token = exc.token
    expected = _accepted(exc)
    opened = _open_string(exc)
    if opened is not None:
        end = opened.end_line or opened.line or 1
        message = f"guillemet non fermé ? ce texte continue jusqu’à la ligne {end}"
        return SyntaxProblem(opened.line or 1, opened.column or 1, message)
    if token.type == "_INDENT":
        return _unexpected_indent(exc, text)
    if token.type in ("_NL", "$END", "_DEDENT"):
        return _missing_end(exc, text, expected)
    line, column = token.line or 1, token.column or 1
    if token.type == "COMMA":
        number = _DECIMAL_COMMA.match(_line(text, line), _number_start(text, line, column))
        if number is not None:
            written = number.group()
            message = f"virgule décimale dans « {written} » : écrire {written.replace(',', '.')} (point décimal)"
            return SyntaxProblem(line, number.start() + 1, message)
    misspelled = _misspelled_keyword(exc, text, expected)
    if misspelled is not None:
        return misspelled
    if str(token) in ("O", "o") and expected & {"NUMBER", "INT"}:
        return SyntaxProblem(line, column, f"« {token} » (la lettre) : vouliez-vous dire 0 (le chiffre zéro) ?")
    first_on_line = _indent_of(_line(text, line)) + 1 == column
    if first_on_line and _fits_after(exc.interactive_parser, ["_INDENT"], [token.type]):
        header = _indent_of(_line(text, _header_line(exc, line)))
        message = f"« {token} » inattendu à ce niveau : indenter cette ligne sous la précédente"
        return SyntaxProblem(line, column, message, indent=header + 4)
    if first_on_line and expected == {"_INDENT"}:
        # Either the line above lacks its block, or this line (not a keyword: not the start of a
        # declaration) got between a header and its block.
        header = _header_line(exc, line)
        if str(token) not in keywords() and _next_line_indent(text, line) > _indent_of(_line(text, header)):
            message = f"« {token} » inattendu : la ligne {header} attend ses lignes indentées juste en dessous"
            return SyntaxProblem(line, column, message, block=False)
        return _missing_block(text, header)
    return SyntaxProblem(line, column, f"« {token} » inattendu ; attendu : {_expected(expected)}", generic=True)


def _unexpected_indent(exc: UnexpectedToken, text: str) -> SyntaxProblem:
    """A line indented deeper than the one before, which opens no block.

    When the line before is the first of its block and the lines after this one line up with it,
    the line before is the one out of line: it is reported and moved to their column. Otherwise
    this line is repaired to the deepest open block where its first word fits (an `item` indented
    under the question above it belongs to the chapter), so that the lines under it still parse.
    """
    from bilan.dsl.parser import _indenter

    token = exc.token
    line, column = token.end_line or token.line or 1, token.end_column or 1
    here = _indent_of(_line(text, line))
    before = _previous_line(text, line)
    above = _previous_line(text, before) if before is not None else None
    if before is not None and above is not None and _next_line_indent(text, line) == here:
        width = _indent_of(_line(text, before))
        if _indent_of(_line(text, above)) < width:  # the line before opened its block
            message = f"indentation : cette ligne n’est pas alignée sur les lignes de son bloc (colonne {here + 1})"
            return SyntaxProblem(before, width + 1, message, indent=here)
    levels = _indenter().indent_level[:-1]  # the level this line pushed is not a block
    word = _first_word_types(_line(text, line))
    depth = next(
        (k for k in range(len(levels)) if _fits_after(exc.interactive_parser, ["_DEDENT"] * k, word)),
        0,
    )
    message = "indentation inattendue : la ligne est plus indentée que la précédente, qui n’ouvre pas de bloc"
    return SyntaxProblem(line, column, message, indent=levels[len(levels) - 1 - depth])


def _previous_line(text: str, line: int) -> int | None:
    """The number of the last non-blank, non-comment line before `line`."""
    lines = text.split("\n")
    for number in range(line - 1, 0, -1):
        content = lines[number - 1].strip()
        if content and not content.startswith("#"):
            return number
    return None


def _missing_end(exc: UnexpectedToken, text: str, expected: set[str]) -> SyntaxProblem:
    """The line (or block) stopped before it was complete: say so on that line, not the next."""
    line, column = _last_position(exc)
    if expected == {"_INDENT"}:
        return _missing_block(text, _header_line(exc, line))
    what = "bloc terminé trop tôt" if exc.token.type == "_DEDENT" else "ligne incomplète"
    return SyntaxProblem(line, column, f"{what} ; attendu : {_expected(expected)}")


def _missing_block(text: str, header: int) -> SyntaxProblem:
    start = _indent_of(_line(text, header)) + 1
    return SyntaxProblem(header, start, "bloc attendu sous cette ligne : ses lignes doivent être indentées sous elle")


def _fits_after(parser: InteractiveParser | None, tokens: list[str], first: list[str]) -> bool:
    """Would a line starting with one of the terminals `first` be accepted after `tokens`?"""
    if parser is None:
        return False
    trial = parser.copy(deepcopy_values=False)  # type: ignore[no-untyped-call]
    try:
        for name in tokens:
            trial.feed_token(Token(name, ""))
    except UnexpectedInput:
        return False
    accepted = trial.accepts()
    return any(t in accepted for t in first)


def _first_word_types(line: str) -> list[str]:
    """The terminals the first word of a line may be lexed as, without running the lexer."""
    stripped = line.strip()
    if not stripped:
        return []
    match = _WORD.match(stripped)
    if match is None:
        return [_punctuation(stripped[0])]
    word = match.group()
    keyword = _keyword_terminals().get(word)
    if keyword is not None:
        return [keyword]
    if word[0].isdigit():
        return ["NUMBER", "INT", "QNUM"]
    return ["NAME", "ITEM_CODE", "ROMAN"]


def _punctuation(char: str) -> str:
    return {"(": "LPAR", '"': "STRING"}.get(char, char)


@cache
def _keyword_terminals() -> dict[str, str]:
    from bilan.dsl.parser import _parser

    return {text: name for name, text in _terminal_patterns(_parser()).items()}


def _next_line_indent(text: str, line: int) -> int:
    """Indentation of the first non-blank, non-comment line after `line` (-1 at the end)."""
    lines = text.split("\n")
    for following in lines[line:]:
        if following.strip() and not following.lstrip().startswith("#"):
            return _indent_of(following)
    return -1


def _header_line(exc: UnexpectedToken, default: int) -> int:
    """The line of the last complete line the parser read: the header whose block is missing."""
    state = exc.state
    if state is not None:
        for value in reversed(state.value_stack):
            if isinstance(value, Token) and value.type == "_NL" and value.line:
                return value.line
    return default


def _misspelled_keyword(exc: UnexpectedToken, text: str, expected: set[str]) -> SyntaxProblem | None:
    """`chifres`, `chapitres`, `sii`, `avertisement`: a word close to a keyword of the language.

    Three places are tried: the unexpected word itself, a keyword the lexer cut out of a longer
    word (`chapitres` read as `chapitre` + `s`), and the line's first word when, read as a name,
    it made the next word unexpected (`avertisement x si ...`).
    """
    token = exc.token
    line = token.line or 1
    source = _line(text, line)
    wanted = sorted(w for w in (_keyword_text(t) for t in expected) if w is not None and _WORD.fullmatch(w))
    read = _line_tokens(exc, line)
    tries: list[tuple[int, list[str]]] = [((token.column or 1) - 1, wanted)]
    tries += [((t.column or 1) - 1, []) for t in read if _keyword_text(t.type) is not None]
    if read and read[0].type == "NAME":
        tries.append(((read[0].column or 1) - 1, []))
    for index, preferred in tries:
        found = _word_at(source, index)
        if found is None or found[1] in keywords():
            continue
        start, word = found
        match = closest(word, preferred) or closest(word, keywords(), cutoff=0.8)
        if match is not None:
            return SyntaxProblem(line, start + 1, f"« {word} » : vouliez-vous dire « {match} » ?")
    return None


def _line_tokens(exc: UnexpectedToken, line: int) -> list[Token]:
    """The tokens of the error's line the parser had already read, in order."""
    state = exc.state
    if state is None:
        return []
    found: list[Token] = []
    stack: list[object] = list(reversed(state.value_stack))
    while stack:
        value = stack.pop()
        if isinstance(value, Token) and value.line == line and value.type not in ("_NL", "_INDENT", "_DEDENT"):
            found.append(value)
        elif isinstance(value, Tree):
            stack.extend(reversed(value.children))
    return sorted(found, key=lambda t: t.column or 0)


def _word_at(line: str, index: int) -> tuple[int, str] | None:
    """The word of `line` covering `index`, with its start."""
    for match in _WORD.finditer(line):
        if match.start() <= index < match.end():
            return match.start(), match.group()
    return None


def _open_string(exc: UnexpectedToken) -> Token | None:
    """A text may span lines, so a missing closing quote swallows what follows: find that text."""
    state = exc.state
    if state is None or not state.value_stack:
        return None
    last = state.value_stack[-1]
    if isinstance(last, Token) and last.type == "STRING" and "\n" in last:
        return last
    return None


def _accepted(exc: UnexpectedToken) -> set[str]:
    try:
        accepts = exc.accepts
    except UnexpectedInput:  # pragma: no cover - Lark computes it by feeding a copy of the parser
        accepts = None
    return set(accepts) if accepts else set(exc.expected)


def _last_position(exc: UnexpectedToken) -> tuple[int, int]:
    """Indentation and end tokens carry no position of their own: point after the previous token."""
    state = exc.state
    if state is not None:
        for value in reversed(state.value_stack):
            if isinstance(value, Token) and value.type in ("_NL", "_INDENT", "_DEDENT"):
                continue
            end_line = getattr(value, "end_line", None) or getattr(getattr(value, "meta", None), "end_line", None)
            end_col = getattr(value, "end_column", None) or getattr(getattr(value, "meta", None), "end_column", None)
            if end_line:
                return end_line, end_col or 1
    return _position(exc)


def _expected(tokens: set[str]) -> str:
    """What could come there, in the user's words; unaccented twins of keywords are not repeated."""
    names: set[str] = set()
    for t in tokens:
        if t in _TERMINALS:
            names.add(_TERMINALS[t])
            continue
        word = _keyword_text(t)
        if word is not None and not (word != _accented(word) and _accented(word) in keywords()):
            names.add(f"« {word} »")
    shown = sorted(names)
    if len(shown) > MAX_EXPECTED:
        shown = [*shown[:MAX_EXPECTED], "…"]
    return ", ".join(shown) or "autre chose"


def _keyword_text(terminal: str) -> str | None:
    """The text of a keyword or punctuation terminal; None for pattern terminals (never shown)."""
    from bilan.dsl.parser import _parser

    term = _terminal_patterns(_parser()).get(terminal)
    return term


@cache
def _terminal_patterns(parser: Lark) -> dict[str, str]:
    return {t.name: str(t.pattern.value) for t in parser.terminals if isinstance(t.pattern, PatternStr)}


@cache
def _accented(word: str) -> str:
    """The accented keyword an unaccented one stands for (`reference` -> `référence`)."""
    return next((k for k in keywords() if k != word and strip_accents(k) == word), word)


def _line(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 1 <= line <= len(lines) else ""


def _number_start(text: str, line: int, column: int) -> int:
    """Index in the line of the digits just before a comma at `column`."""
    source = _line(text, line)
    index = column - 1
    while index > 0 and source[index - 1].isdigit():
        index -= 1
    return index


def _indent_of(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4))
