"""Bounds on the numbers a campaign file may write, so that no number makes the compiler hang or crash.

Python refuses to convert integers of more than 4,300 digits, and `décimales 999999999` would make
every answer check compute 10 to the power of a billion: the compiler refuses such numbers first.
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token, Tree

from bilan.dsl.syntax_errors import SyntaxProblem

MAX_DIGITS = 12  # digits before the decimal point: of a number written in the file, of `N chiffres`
MAX_DECIMALS = 12  # digits after it: of a number written in the file, of `N décimales`
_NUMERIC = frozenset({"NUMBER", "INT"})


def oversized_numbers(tree: Tree[Token]) -> list[SyntaxProblem]:
    """Every number of the file with more digits than the compiler accepts."""
    return [_problem(t) for t in _tokens(tree) if t.type in _NUMERIC and _too_long(str(t))]


def _too_long(text: str) -> bool:
    whole, _, decimals = text.partition(".")
    return len(whole.lstrip("0")) > MAX_DIGITS or len(decimals) > MAX_DECIMALS


def _problem(token: Token) -> SyntaxProblem:
    text = str(token)
    shown = text if len(text) <= 20 else f"{text[:8]}…{text[-4:]} ({len(text)} caractères)"
    message = f"nombre trop long « {shown} » : au plus {MAX_DIGITS} chiffres avant le point et {MAX_DECIMALS} après"
    return SyntaxProblem(token.line or 1, token.column or 1, message)


def _tokens(tree: Tree[Token]) -> Iterator[Token]:
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            yield node
        else:
            stack.extend(node.children)
