"""Typed reading of the parse tree: the grammar fixes what each child is, these helpers say so."""

from __future__ import annotations

from fractions import Fraction

from lark import Token, Tree

from bilan.common.source import Span
from bilan.dsl.text import normalize

Node = Tree[Token] | Token


def tok(node: Node) -> Token:
    """A child the grammar makes a token."""
    assert isinstance(node, Token), node
    return node


def sub(node: Node) -> Tree[Token]:
    """A child the grammar makes a subtree."""
    assert isinstance(node, Tree), node
    return node


def string(node: Node) -> str:
    """A STRING token's text: quotes and escapes removed, source wrapping collapsed."""
    raw = str(tok(node))[1:-1]
    return normalize(raw.replace('\\"', '"').replace("\\\\", "\\"))


def number(node: Node) -> Fraction:
    """A NUMBER or INT token, exactly."""
    return Fraction(str(tok(node)))


def span_of(filename: str, node: Node | None) -> Span:
    """Where a node starts; the file's start when Lark kept no position (empty rules)."""
    if isinstance(node, Token):
        return Span(filename, node.line or 1, node.column or 1)
    if isinstance(node, Tree) and not node.meta.empty:
        return Span(filename, node.meta.line, node.meta.column)
    return Span(filename, 1, 1)


def source_text(text: str, node: Tree[Token]) -> str:
    """The source of a subtree on one line, as a default label (`si a > 2` -> "a > 2")."""
    if node.meta.empty:
        return ""
    return " ".join(text[node.meta.start_pos : node.meta.end_pos].split())
