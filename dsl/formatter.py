"""`bilan fmt`: one layout for every .bilan file, so that a campaign's diffs show only what changed.

The layout is read from the parser's own tokens, so it follows the structure the compiler sees:

- 4 spaces per block level;
- inside a line, every run of spaces becomes one space. fmt never adds nor removes a space between
  two words or symbols: a rule without a label is labelled with its source text (`a>2`), which
  must not change;
- the rows of a `classes par` table are aligned in columns;
- a line broken inside parentheses goes on just after the innermost open parenthesis;
- a comment after code goes two spaces after it, a comment line at the level of the block it is
  written in;
- at most one blank line in a row, none at the start or the end of the file;
- keywords take their accents (`echelle` → `échelle`), as the grammar spells them.

Texts between quotes are kept byte for byte, and comments too (but for the spaces after them).
"""

from __future__ import annotations

from functools import cache

import attrs
from lark import Token
from lark.lexer import PatternStr

from bilan.common.suggest import strip_accents
from bilan.dsl.parser import _parser, parse, tokens

INDENT = 4
_COMMENT_GAP = "  "  # between code and the comment after it
_TABLE_GAP = 2  # spaces between the columns of a class table


@attrs.define
class _Line:
    """One logical line: its block level, its tokens and the source text around them."""

    depth: int
    column: int  # 0-based, in the source: places the comment lines written above it
    tokens: list[Token]
    gaps: list[str]  # the source text between consecutive tokens
    before: str  # the source text between the previous line's last token and this line's first
    widths: list[int] | None = None  # the columns of a class table, on each of its rows


def format_source(text: str, filename: str = "<source>") -> str:
    """`text` laid out; raises SourceError (its syntax errors) for a file that does not parse.

    A byte-order mark, which the compiler skips, is dropped."""
    text = text.removeprefix("\ufeff")
    if not text.endswith("\n"):
        text += "\n"
    parse(text, filename)
    lines, after = _lines(text)
    _align_class_tables(lines)
    return _Renderer().render(lines, after)


def _lines(text: str) -> tuple[list[_Line], str]:
    """The logical lines of a file that parses, and the text after the last token."""
    lines: list[_Line] = []
    depth = 0
    starts_line = True
    end = 0
    for token in tokens(text):
        if token.type == "_INDENT":
            depth += 1
        elif token.type == "_DEDENT":
            depth -= 1
        elif token.type == "_NL":
            starts_line = True
        else:
            assert token.start_pos is not None and token.end_pos is not None
            gap = text[end : token.start_pos]
            if starts_line:
                lines.append(_Line(depth, (token.column or 1) - 1, [token], [], gap))
                starts_line = False
            else:
                lines[-1].tokens.append(token)
                lines[-1].gaps.append(gap)
            end = token.end_pos
    return lines, text[end:]


def _align_class_tables(lines: list[_Line]) -> None:
    """Give the rows under each `classes par` line the widths of their columns."""
    for i, line in enumerate(lines):
        head = line.tokens[:2]
        if [str(t) for t in head] != ["classes", "par"] or any(t.type == "NAME" for t in head):
            continue
        rows = []
        for row in lines[i + 1 :]:
            if row.depth <= line.depth:
                break
            rows.append(row)
        texts = [[_spelling(t) for t in row.tokens] for row in rows]
        widths = [max(len(t[k]) for t in texts if k < len(t)) for k in range(max(map(len, texts), default=0))]
        for row in rows:
            row.widths = widths


@cache
def _accented() -> dict[str, str]:
    """Terminal name -> the accented spelling of its keyword (`ECHELLE` -> `échelle`), read from the
    grammar: the alternatives of one rule that differ only by their accents."""
    parser = _parser()
    words = {t.name: str(t.pattern.value) for t in parser.terminals if isinstance(t.pattern, PatternStr)}
    alternatives: dict[str, list[str]] = {}
    for rule in parser.rules:
        if len(rule.expansion) == 1 and rule.expansion[0].name in words:
            alternatives.setdefault(str(rule.origin.name), []).append(str(rule.expansion[0].name))
    out: dict[str, str] = {}
    for names in alternatives.values():
        for accented in (words[n] for n in names if strip_accents(words[n]) != words[n]):
            out.update({n: accented for n in names if words[n] == strip_accents(accented)})
    return out


def _spelling(token: Token) -> str:
    return _accented().get(token.type, str(token))


class _Renderer:
    """Writes the logical lines out, one output line at a time."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.blank = False  # a blank line is due before the next output line
        self.columns: list[int] = []  # the source column of each open block level
        self.depth = 0  # of the last logical line written

    def render(self, lines: list[_Line], after: str) -> str:
        for line in lines:
            self.between(line.before, line.depth, line.column)
            self.columns = [*self.columns[: line.depth], line.column]
            self.depth = line.depth
            self.start(INDENT * line.depth)
            self.line(line)
        self.between(after, 0, 0)
        return "\n".join(self.out) + "\n" if self.out else ""

    def start(self, indent: int) -> None:
        if self.blank and self.out:
            self.out.append("")
        self.blank = False
        self.out.append(" " * indent)

    def write(self, text: str) -> None:
        """Append `text` to the current line; the lines of a text spanning several are kept as they are."""
        first, *rest = text.split("\n")
        self.out[-1] += first
        self.out.extend(rest)

    def between(self, gap: str, depth: int, column: int) -> None:
        """The comments and blank lines between two logical lines (or the file's ends)."""
        parts = gap.split("\n")
        if self.out:
            self.comment_after(parts[0])
            rows = parts[1:-1]
        else:
            rows = parts[:-1]
        for row in rows:
            comment = row.strip(" \t\r")
            if not comment:
                self.blank = True
                continue
            self.start(INDENT * self.comment_depth(_width(row), depth, column))
            self.write(comment)

    def comment_after(self, part: str) -> None:
        comment = part.strip(" \t\r")
        if comment:
            self.out[-1] += _COMMENT_GAP + comment

    def comment_depth(self, column: int, depth: int, next_column: int) -> int:
        """The level of the open block whose lines start at or before `column`, between the levels
        of the lines above and below the comment."""
        levels = [*self.columns, next_column] if depth > self.depth or not self.columns else self.columns
        found = max((level for level, start in enumerate(levels) if start <= column), default=0)
        return min(max(found, min(self.depth, depth)), max(self.depth, depth))

    def line(self, line: _Line) -> None:
        opened: list[int] = []  # the output column just after each open parenthesis
        for i, token in enumerate(line.tokens):
            if i:
                self.inside(line, i, opened)
            self.write(_spelling(token))
            if token.type == "LPAR":
                opened.append(len(self.out[-1]))
            elif token.type == "RPAR" and opened:
                opened.pop()

    def inside(self, line: _Line, i: int, opened: list[int]) -> None:
        """The space before token `i` of a line: one space, a table column, or a line break
        inside parentheses (with the comments written there)."""
        gap = line.gaps[i - 1]
        if "\n" not in gap:
            if line.widths is not None:
                self.out[-1] += " " * (line.widths[i - 1] - len(_spelling(line.tokens[i - 1])) + _TABLE_GAP)
            elif gap:
                self.out[-1] += " "
            return
        parts = gap.split("\n")
        self.comment_after(parts[0])
        indent = opened[-1] if opened else INDENT * (line.depth + 1)
        for row in parts[1:-1]:
            comment = row.strip(" \t\r")
            if comment:
                self.out.append(" " * indent + comment)
        self.out.append(" " * indent)


def _width(row: str) -> int:
    """The column where a source line's text starts (a tab counts to the next multiple of 4)."""
    return len(row[: len(row) - len(row.lstrip(" \t"))].expandtabs(INDENT))
