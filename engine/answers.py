"""Checking one answer against its field's type: the same rules for TOML files and the app."""

from __future__ import annotations

import re
from decimal import Decimal
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
# ASCII digits: "٣", "1e1", "300_000" are refused; a space (or a no-break or narrow no-break one)
# only between groups of three digits before the decimals: "1 250", not "1 2" (which is not 12)
_NUMBER_TEXT = re.compile("-?(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:[.,][0-9]+)?")
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f")
_SHOWN = 40
_SHOWN_DECIMALS = 400  # beyond, `shown` cuts the middle of the number anyway


def shown(raw: object, limit: int = _SHOWN) -> str:
    """A value as echoed in a message, cut when long: a 100,000-digit answer is not printed whole."""
    text = str(raw)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 10]}…{text[-5:]} ({len(text)} caractères)"


def _given(raw: object) -> str | None:
    """What was given instead of a single value, if it is a table or a list."""
    if isinstance(raw, dict):
        return "une table est donnée là où une seule valeur est attendue"
    if isinstance(raw, list):
        return "une liste est donnée là où une seule valeur est attendue"
    return None


def ungrouped(text: str) -> str | None:
    """A number written the way people do ("1 250,5"), its spaces between thousands taken out;
    None if the text is not such a number."""
    text = text.strip()
    return text.translate(_GROUP_SPACES) if _NUMBER_TEXT.fullmatch(text) else None


def _number_text(raw: str) -> tuple[Decimal | None, str | None]:
    """A number written as text the way people do ("0,5", "1 250"), with the digits 0 to 9 only."""
    text = raw.strip()
    digits = ungrouped(text)
    if digits is None:
        if _NUMBER_TEXT.fullmatch(text.translate(_GROUP_SPACES)):
            grouping = "une espace ne sépare que les milliers, par groupes de trois chiffres (1 250)"
            return None, f"« {shown(raw)} » n’est pas un nombre : {grouping}"
        hint = " écrit avec les chiffres 0 à 9 (sans exposant ni « _ »)" if any(c.isdigit() for c in text) else ""
        return None, f"« {shown(raw)} » n’est pas un nombre{hint}"
    return Decimal(digits.replace(",", ".")), None


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
        if isinstance(raw, str):
            number, problem = _number_text(raw)
            if number is None:
                return None, problem
        else:
            number = Decimal(repr(raw))
        if not number.is_finite():  # TOML's inf and nan
            return None, f"« {raw} » n’est pas un nombre"
        if number and abs(number.adjusted()) > _MAX_EXPONENT:  # 1e999999999 would take minutes to expand
            return None, f"« {shown(raw)} » hors des bornes ({bounds})"
        value = Fraction(number)
    else:
        return None, _given(raw) or "un nombre est attendu"
    if (value * 10**ftype.decimals).denominator != 1:
        if ftype.decimals == 0:
            return None, f"{shown(_as_given(value))} n’est pas un nombre entier"
        return None, f"{shown(_as_given(value))} a plus de {ftype.decimals} décimale(s)"
    if value < ftype.minimum or value > ftype.upper:
        return None, f"{shown(_as_given(value))} hors des bornes ({bounds})"
    return value, None


def _as_given(value: Fraction) -> str:
    """A number read from a file, every decimal shown (a decimal's are finite: 1e-7 was shown
    rounded to « 0 » in « 0 a plus de 2 décimale(s) »)."""
    # a decimal's denominator is 2**a * 5**b: its bit length is at least its number of decimals
    return format_number(value, min(value.denominator.bit_length(), _SHOWN_DECIMALS))


def _choice_problem(ftype: ChoiceType, raw: object) -> str | None:
    """An option code is a text or a whole number, exactly: not true, not 1.0 for 1."""
    if isinstance(raw, bool):
        return f"« {str(raw).lower()} » n’est pas une réponse possible"
    if not isinstance(raw, str | int) or ftype.option(raw) is None:
        return f"« {shown(raw)} » n’est pas une réponse possible"
    return None


def check_value(ftype: FieldType, raw: object) -> tuple[Value, str | None]:
    """Convert a raw answer to the engine's value, or say what is wrong with it."""
    if isinstance(ftype, NumberType):
        return to_number(raw, ftype)
    if isinstance(ftype, ChoiceType):
        if type(raw) in (str, int) and raw in ftype.code_set:  # the common case, fast
            return raw, None
        problem = _given(raw) or _choice_problem(ftype, raw)
        if problem is None and isinstance(raw, str | int):
            return raw, None
        return None, problem
    if isinstance(ftype, MultiChoiceType):
        if not isinstance(raw, list):
            return None, _given(raw) or 'une liste est attendue, ex. ["a", "b"]'
        wrong = [problem for x in raw if (problem := _choice_problem(ftype.choice, x))]
        if wrong:
            return None, wrong[0]
        return frozenset(raw), None
    assert isinstance(ftype, TextType)
    if not isinstance(raw, str):
        return None, _given(raw) or "un texte entre guillemets est attendu"
    problem = text_problem(ftype.kind, raw)
    if problem:
        return None, problem
    return (raw.strip().upper() if ftype.kind == "finess" else raw.strip()), None


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
