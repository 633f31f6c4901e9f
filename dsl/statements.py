"""A file's parse tree assembled from the trees of its top-level statements, each parsed once.

The tests compile a campaign with one statement edited, over and over, and `bilan check` runs
right after an edit: most statements were parsed before, unchanged, only moved up or down.

A statement starts at a line whose first character is not a space, a tab, a carriage return, an
end of line or `#`;
its chunk of text runs to the next such line (the first chunk also holds the comments and blank
lines above the first statement). Parsed alone, from column 1 as in the file, a chunk gives the
very tokens of a whole-file parse, shifted: no token but a string spans an end of line followed
by such a character (a newline token stops before it, a comment at the end of its line), and a
string cut there has no closing quote in its chunk, which then does not parse. Lark places the
closing dedents on the last newline token whether the next token is another statement or the
end of the text, and a statement at the top level ends with a newline at column 1, which
reduces it whatever follows. A chunk that does not parse alone to exactly one statement (a
continuation in parentheses or a string at column 1, a syntax error) makes the caller parse the
whole file as before; so does one the caller finds a problem in (`parse_alone` gives None).

A chunk's tree is kept frozen (nested tuples of plain values, at positions relative to the
chunk: what the private cache stores too) and every parse gets new Trees and Tokens moved to
where the chunk stands: the compiler does not mutate trees, but nothing here relies on it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any

from lark import Token, Tree
from lark.tree import Meta

# A token as (type, value, start_pos, line, column, end_line, end_column, end_pos); a tree as
# (data, children, meta). Lark gives every token a position (the indenter's dedents borrow the
# newline's before them).
FrozenToken = tuple[str, str, int, int, int, int, int, int]
# A meta as the values of _PLACED's fields, in that order (what Lark gives a node that holds a
# token), else as its (field, value) pairs
FrozenMeta = tuple[Any, ...]
FrozenTree = tuple[str, tuple["FrozenToken | FrozenTree", ...], FrozenMeta]
# A chunk parsed alone: its root's data and meta, its one statement (relative to the chunk)
Parsed = tuple[str, FrozenMeta, FrozenTree]
ParseAlone = Callable[[str], Tree[Token] | None]

_PLACED = (
    "empty",
    "line",
    "column",
    "start_pos",
    "end_line",
    "end_column",
    "end_pos",
    "container_line",
    "container_column",
    "container_start_pos",
    "container_end_line",
    "container_end_column",
    "container_end_pos",
)
_PLACED_KEYS = frozenset(_PLACED)
_LINE_KEYS = frozenset({"line", "end_line", "container_line", "container_end_line"})
_POS_KEYS = frozenset({"start_pos", "end_pos", "container_start_pos", "container_end_pos"})
_END_KEYS = frozenset(
    {"end_line", "end_column", "end_pos", "container_end_line", "container_end_column", "container_end_pos"}
)
_NOT_A_START = ("", " ", "\t", "\r", "\n", "#")  # first characters of lines inside a statement
_STATEMENT_START = re.compile(r"(?<=\n)[^ \t\r\n#]")

MAX_CHUNKS = 4096  # about 70 versions of the 2009 campaign (56 statements)
MAX_CHARS = 2_000_000  # of chunk text, ~25 campaigns: a frozen tree takes ~22 times its text in memory


class _Chunks:
    """The frozen chunks parsed in this process, least recently used forgotten first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Parsed] = OrderedDict()
        self._chars = 0

    def get(self, chunk: str) -> Parsed | None:
        parsed = self._entries.get(chunk)
        if parsed is not None:
            self._entries.move_to_end(chunk)
        return parsed

    def put(self, chunk: str, parsed: Parsed) -> None:
        if chunk not in self._entries:
            self._chars += len(chunk)
        self._entries[chunk] = parsed
        self._entries.move_to_end(chunk)
        while len(self._entries) > MAX_CHUNKS or self._chars > MAX_CHARS:
            oldest, _ = self._entries.popitem(last=False)
            self._chars -= len(oldest)

    def clear(self) -> None:
        self._entries.clear()
        self._chars = 0


CHUNKS = _Chunks()


def chunks(text: str) -> list[str]:
    """The text cut before each top-level statement but the first (the pieces add up to it)."""
    starts = [m.start() for m in _STATEMENT_START.finditer(text)]
    if starts and text[:1] in _NOT_A_START:
        starts = starts[1:]  # comments first: they go with the first statement
    bounds = [0, *starts, len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


def parse(text: str, parse_alone: ParseAlone) -> Tree[Token] | None:
    """The tree of `text` (ending with a newline) from the trees of its statements; None when a
    chunk does not parse alone to one statement."""
    pieces = chunks(text)
    found: list[Parsed] = []
    for chunk in pieces:
        parsed = CHUNKS.get(chunk)
        if parsed is None:
            parsed = _parse_chunk(chunk, parse_alone)
            if parsed is None:
                return None
            CHUNKS.put(chunk, parsed)
        found.append(parsed)
    return _assemble(pieces, found)


def _parse_chunk(chunk: str, parse_alone: ParseAlone) -> Parsed | None:
    tree = parse_alone(chunk)
    if tree is None:
        return None
    if len(tree.children) != 1 or not isinstance(tree.children[0], Tree):
        return None  # no statement (comments only); never two: a statement starts at column 1
    return tree.data, _freeze_meta(tree.meta), _freeze_tree(tree.children[0])


def _assemble(pieces: list[str], found: list[Parsed]) -> Tree[Token]:
    statements: list[Tree[Token] | Token] = []
    lines = chars = 0
    for chunk, (_, _, statement) in zip(pieces, found, strict=True):
        statements.append(_thaw_tree(statement, lines, chars))
        last_lines, last_chars = lines, chars
        lines += chunk.count("\n")
        chars += len(chunk)
    data, first_meta, _ = found[0]
    meta = _thaw_meta(first_meta, 0, 0)  # where the first chunk starts, to where the last ends
    ends = _thaw_meta(found[-1][1], last_lines, last_chars).__dict__
    meta.__dict__.update((key, value) for key, value in ends.items() if key in _END_KEYS)
    return Tree(data, statements, meta)


def known(text: str) -> list[tuple[str, Parsed]]:
    """The chunks of `text` parsed in this process, to save for the next one."""
    out = []
    for chunk in chunks(text):
        parsed = CHUNKS.get(chunk)
        if parsed is not None:
            out.append((chunk, parsed))
    return out


def remember(saved: Iterable[tuple[str, Parsed]]) -> None:
    """Chunks parsed by an earlier process (see `known`)."""
    for chunk, parsed in saved:
        CHUNKS.put(chunk, parsed)


def _freeze_tree(tree: Tree[Token]) -> FrozenTree:
    children = tuple(_freeze_tree(c) if isinstance(c, Tree) else _freeze_token(c) for c in tree.children)
    return tree.data, children, _freeze_meta(tree.meta)


def _freeze_meta(meta: Meta) -> FrozenMeta:
    fields = meta.__dict__
    if fields.keys() == _PLACED_KEYS:
        return tuple(fields[key] for key in _PLACED)  # starts with `empty`, a bool
    return tuple(fields.items())  # starts with a pair


def _freeze_token(token: Token) -> FrozenToken:
    positions = (token.start_pos, token.line, token.column, token.end_line, token.end_column, token.end_pos)
    start_pos, line, column, end_line, end_column, end_pos = (_known(p) for p in positions)
    return token.type, str(token), start_pos, line, column, end_line, end_column, end_pos


def _known(position: int | None) -> int:
    assert position is not None, "Lark gives every token a position"
    return position


_new_str = str.__new__


def _thaw_token(frozen: FrozenToken, lines: int, chars: int) -> Token:
    kind, value, start_pos, line, column, end_line, end_column, end_pos = frozen
    token: Token = _new_str(Token, value)  # Token() itself costs twice as much (its signature shims)
    token.type, token.value, token.column, token.end_column = kind, value, column, end_column
    token.line, token.end_line = line + lines, end_line + lines
    token.start_pos, token.end_pos = start_pos + chars, end_pos + chars
    return token


def _thaw_tree(frozen: FrozenTree, lines: int, chars: int) -> Tree[Token]:
    data, children, meta = frozen
    thawed = [
        _thaw_token(child, lines, chars) if len(child) == 8 else _thaw_tree(child, lines, chars) for child in children
    ]
    return Tree(data, thawed, _thaw_meta(meta, lines, chars))


def _thaw_meta(frozen: FrozenMeta, lines: int, chars: int) -> Meta:
    meta = Meta.__new__(Meta)  # without __init__, which sets `empty`: the frozen meta says what it was
    if type(frozen[0]) is bool:
        (
            empty,
            line,
            column,
            start,
            end_line,
            end_column,
            end,
            c_line,
            c_column,
            c_start,
            c_end_line,
            c_end_column,
            c_end,
        ) = frozen
        meta.__dict__ = {
            "empty": empty,
            "line": line + lines,
            "column": column,
            "start_pos": start + chars,
            "end_line": end_line + lines,
            "end_column": end_column,
            "end_pos": end + chars,
            "container_line": c_line + lines,
            "container_column": c_column,
            "container_start_pos": c_start + chars,
            "container_end_line": c_end_line + lines,
            "container_end_column": c_end_column,
            "container_end_pos": c_end + chars,
        }
        return meta
    fields = meta.__dict__
    for key, value in frozen:
        if key in _LINE_KEYS:
            fields[key] = value + lines
        elif key in _POS_KEYS:
            fields[key] = value + chars
        else:
            fields[key] = value
    return meta
