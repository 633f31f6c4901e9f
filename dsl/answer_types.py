"""Answer types: declared choice lists (`type oui_non: oui "Oui" | non "Non"`) and type specs."""

from __future__ import annotations

from fractions import Fraction

from lark import Token, Tree

from bilan.common.suggest import closest
from bilan.dsl.limits import MAX_DECIMALS, MAX_DIGITS
from bilan.dsl.registry import Registry
from bilan.dsl.renames import check_claims
from bilan.dsl.tree import number, string, sub
from bilan.engine.model import ChoiceType, FieldType, MultiChoiceType, NumberType, Option, TextKind, TextType

# Tree names of the grammar's type_spec alternatives.
TYPE_SPECS = frozenset(
    {"named_type", "integer_type", "decimal_type", "text_type", "email_type", "finess_type", "phone_type", "multi_type"}
)
_TEXT_KINDS: dict[str, TextKind] = {
    "text_type": "texte",
    "email_type": "courriel",
    "finess_type": "finess",
    "phone_type": "telephone",
}


def type_decl(r: Registry, st: Tree[Token]) -> None:
    """A `type` statement: a named choice list, registered for the questions that use it."""
    name_tok = st.children[0]
    title: str | None = None
    options: list[Option] = []
    for child in st.children[1:]:
        if isinstance(child, Token):
            title = string(child)
        else:
            options.append(_option(child))
    name = str(name_tok)
    codes = [o.code for o in options]
    if name in r.types:
        r.error(r.span(name_tok), f"type « {name} » déjà déclaré")
    for code in {c for c in codes if codes.count(c) > 1}:
        r.error(r.span(st), f"le type « {name} » a deux fois l’option « {code} »")
    claims = [(o.code, o.renamed_from, r.span(st)) for o in options]
    check_claims(r, "la réponse", f" du type « {name} »", claims, set(codes))
    r.types[name] = ChoiceType(name, tuple(options), title)


def _option(node: Tree[Token]) -> Option:
    code_node, label, *rest = node.children
    description = next((string(t) for t in rest if isinstance(t, Token)), None)
    renamed = tuple(_code(sub(t).children[0]) for t in rest if isinstance(t, Tree))
    return Option(_code(code_node), string(label), description, renamed)


def _code(node: Tree[Token] | Token) -> str | int:
    """An option code: `non` is a keyword, so the grammar gives it a tree of its own."""
    if isinstance(node, Tree):
        return "non"
    return int(str(node)) if node.type == "INT" else str(node)


def type_spec(r: Registry, node: Tree[Token]) -> FieldType | None:
    """The type a question, row or column declares; None (and a diagnostic) for an unknown name."""
    kind = node.data
    args = node.children
    if kind in ("named_type", "multi_type"):
        name = str(args[0])
        if name not in r.types:
            close = closest(name, r.types)
            known = f" (types déclarés : {', '.join(sorted(r.types))})" if kind == "named_type" else ""
            hint = f" ; vouliez-vous dire « {close} » ?" if close else known
            r.error(r.span(args[0]), f"type inconnu « {name} »{hint}")
            return None
        return r.types[name] if kind == "named_type" else MultiChoiceType(r.types[name])
    if kind in ("integer_type", "decimal_type"):
        return _number_type(r, node)
    return TextType(_TEXT_KINDS[kind])


def _number_type(r: Registry, node: Tree[Token]) -> NumberType:
    """`entier N chiffres [de a à b]`, `décimal N chiffres D décimales [...]`, within the limits."""
    args = node.children
    digits = int(str(args[0]))
    decimals = int(str(args[1])) if node.data == "decimal_type" else 0
    if not 1 <= digits <= MAX_DIGITS:
        r.error(r.span(args[0]), f"nombre de chiffres entre 1 et {MAX_DIGITS}")
        digits = min(max(digits, 1), MAX_DIGITS)
    if decimals > MAX_DECIMALS:
        r.error(r.span(args[1]), f"nombre de décimales entre 0 et {MAX_DECIMALS}")
        decimals = MAX_DECIMALS
    rng = next((a for a in args if isinstance(a, Tree)), None)
    minimum, maximum = Fraction(0), None
    if rng is not None:
        lo, hi = rng.children
        minimum, maximum = number(lo), number(hi)
        if maximum < minimum:
            r.error(r.span(rng), "bornes inversées : le minimum dépasse le maximum")
    largest = NumberType(digits, decimals).upper
    if maximum is not None and maximum > largest:
        r.error(r.span(rng), f"le maximum {maximum} ne tient pas dans {digits} chiffres")
    return NumberType(digits, decimals, minimum, maximum)
