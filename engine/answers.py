"""Checking one answer against its field's type: the same rules for TOML files and the app."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

from bilan.engine.expr import Value, format_number
from bilan.engine.identifiers import text_problem
from bilan.engine.model import ChoiceType, FieldType, MultiChoiceType, NumberType, TextType


def expected(ftype: FieldType) -> str:
    """What a field accepts, in the words of the error messages."""
    if isinstance(ftype, ChoiceType):
        return "une réponse parmi " + ", ".join(_code_text(o.code) for o in ftype.options)
    if isinstance(ftype, MultiChoiceType):
        return "une liste de réponses parmi " + ", ".join(_code_text(o.code) for o in ftype.choice.options)
    if isinstance(ftype, NumberType):
        bounds = f"de {format_number(ftype.minimum)} à {format_number(ftype.upper)}"
        if ftype.decimals:
            return f"un nombre {bounds}, au plus {ftype.decimals} décimale(s)"
        return f"un nombre entier {bounds}"
    return {
        "courriel": "une adresse électronique",
        "finess": "un numéro FINESS (9 caractères)",
        "telephone": "un numéro de téléphone",
    }.get(ftype.kind, "un texte")


def _code_text(code: str | int) -> str:
    return str(code) if isinstance(code, int) else f'"{code}"'


@lru_cache(maxsize=4096)
def _whole(n: int) -> Fraction:
    """Fractions are immutable: the usual small counts are built once."""
    return Fraction(n)


_MAX_EXPONENT = 40  # far beyond the 12 digits a number type may have, on either side of the point


def to_number(raw: object, ftype: NumberType) -> tuple[Fraction | None, str | None]:
    """Read a number written by a person: TOML int/float, or text with a decimal comma."""
    if isinstance(raw, bool):
        return None, "un nombre est attendu, pas vrai/faux"
    low, high = ftype.whole_bounds
    if type(raw) is int and low <= raw <= high:  # the common case, fast
        return _whole(raw), None
    bounds = f"{format_number(ftype.minimum)} à {format_number(ftype.upper)}"
    if isinstance(raw, int):
        value = Fraction(raw)
    elif isinstance(raw, float | str):
        text = repr(raw) if isinstance(raw, float) else raw.strip()
        try:
            number = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            return None, f"« {raw} » n’est pas un nombre"
        if not number.is_finite():  # TOML's inf and nan, or "Infinity" written as text
            return None, f"« {raw} » n’est pas un nombre"
        if number and abs(number.adjusted()) > _MAX_EXPONENT:  # 1e999999999 would take minutes to expand
            return None, f"« {raw} » hors des bornes ({bounds})"
        value = Fraction(number)
    else:
        return None, "un nombre est attendu"
    if (value * 10**ftype.decimals).denominator != 1:
        if ftype.decimals == 0:
            return None, f"{format_number(value, 6)} n’est pas un nombre entier"
        return None, f"{format_number(value, 6)} a plus de {ftype.decimals} décimale(s)"
    if value < ftype.minimum or value > ftype.upper:
        return None, f"{format_number(value, 6)} hors des bornes ({bounds})"
    return value, None


def check_value(ftype: FieldType, raw: object) -> tuple[Value, str | None]:
    """Convert a raw answer to the engine's value, or say what is wrong with it."""
    if isinstance(ftype, NumberType):
        return to_number(raw, ftype)
    if isinstance(ftype, ChoiceType):
        if type(raw) in (str, int) and raw in ftype.code_set:  # the common case, fast
            return raw, None
        if isinstance(raw, bool):
            return None, f"« {str(raw).lower()} » n’est pas une réponse possible"
        if ftype.option(raw) is None:
            return None, f"« {raw} » n’est pas une réponse possible"
        return raw, None
    if isinstance(ftype, MultiChoiceType):
        if not isinstance(raw, list):
            return None, 'une liste est attendue, ex. ["a", "b"]'
        wrong = [x for x in raw if isinstance(x, bool) or ftype.choice.option(x) is None]
        if wrong:
            return None, f"« {wrong[0]} » n’est pas une réponse possible"
        return frozenset(raw), None
    assert isinstance(ftype, TextType)
    if not isinstance(raw, str):
        return None, "un texte entre guillemets est attendu"
    problem = text_problem(ftype.kind, raw)
    return (None, problem) if problem else (raw.strip(), None)


def raw_value(ftype: FieldType, value: Value) -> object:
    """The engine's value back to what an answers file holds (inverse of check_value)."""
    if isinstance(value, Fraction):
        assert isinstance(ftype, NumberType)
        if ftype.decimals == 0:
            return int(value)
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, frozenset):
        order = {o.code: i for i, o in enumerate(ftype.choice.options)} if isinstance(ftype, MultiChoiceType) else {}
        return sorted(value, key=lambda c: order.get(c, 0))
    return value
