"""Expression subtrees -> engine.expr nodes, names still unresolved (typecheck.py resolves them)."""

from __future__ import annotations

from bilan.dsl.tree import Node, number, span_of, sub
from bilan.engine.expr import Between, Binary, BinaryOp, Call, Conditional, Const, Expr, Member, Ref, Unary

# Every operator token of the grammar (COMPARATOR, ADD_OP, MUL_OP) as the engine spells it.
_OPS: dict[str, BinaryOp] = {
    **{op: op for op in ("=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/")},
    **{"≠": "!=", "≤": "<=", "≥": ">=", "×": "*"},  # typographic operators
}


def expression(node: Node, filename: str) -> Expr:
    """Build one expression; the grammar wraps every operand in a subtree."""
    tree = sub(node)
    span = span_of(filename, tree)
    d, ch = tree.data, tree.children

    def build(child: Node) -> Expr:
        return expression(child, filename)

    if d == "number":
        return Const(number(ch[0]), span)
    if d == "ref":
        return Ref(".".join(str(t) for t in ch), "unresolved", span)
    if d == "code_non":
        return Ref("non", "unresolved", span)
    if d == "call":
        args = sub(ch[1]).children if len(ch) > 1 else []
        return Call(str(ch[0]), tuple(build(a) for a in args), span)
    if d in ("or_", "and_"):
        op: BinaryOp = "ou" if d == "or_" else "et"
        parts = [build(c) for c in ch]
        result = parts[0]
        for p in parts[1:]:
            result = Binary(op, result, p, span)
        return result
    if d == "not_":
        return Unary("non", build(ch[0]), span)
    if d in ("compare", "arith"):
        a, op_token, b = ch
        return Binary(_OPS[str(op_token)], build(a), build(b), span)
    if d == "between":
        value, low, high = ch
        return Between(build(value), build(low), build(high), span)
    if d == "contains":
        whole, part = ch
        return Binary("contient", build(whole), build(part), span)
    if d == "member":
        operand, args_node = ch
        return Member(build(operand), tuple(build(a) for a in sub(args_node).children), span)
    if d == "conditional":
        test, then, otherwise = ch
        return Conditional(build(test), build(then), build(otherwise), span)
    raise AssertionError(d)  # pragma: no cover - every expression rule is handled above


def conjunction(*parts: Expr | None) -> Expr | None:
    """`a et b et ...` of the conditions present; None when there is none."""
    result: Expr | None = None
    for p in parts:
        if p is None:
            continue
        result = p if result is None else Binary("et", result, p, p.span)
    return result
