"""Syntax of identification fields: FINESS number, e-mail address, telephone number.

FINESS: 9 characters, the last a check key computed with the Luhn algorithm over the whole number
(checked on published numbers, e.g. 750712184, 330781196). Corsican numbers start with the
department code 2A or 2B; the key is then computed with "20" in its place (assumption: the
national register does not document it in the sources we have).

Digits are the ASCII digits 0 to 9 only: Python's `isdigit` and `\\d` also accept "²", "٧" (Arabic-Indic)
or full-width digits, which `int` reads as other numbers or not at all, so one establishment could
be typed as two. Text answers refuse the characters that drive a terminal (common.terminal).
"""

from __future__ import annotations

import re

from bilan.common.terminal import describe, unsafe_character

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_PHONE = re.compile(r"^(?:\+33 ?|0)[1-9](?:[ .-]?[0-9]{2}){4}$")
_DIGITS = re.compile("[0-9]+")
FINESS_EXPECTED = "attendu : 9 chiffres de 0 à 9 dont la clé, ex. 750712184 (2A ou 2B en tête pour la Corse)"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def finess_problem(value: str) -> str | None:
    """None if `value` is a valid FINESS number, else what is wrong with it (in French)."""
    v = value.strip()
    if len(v) != 9:
        return f"un numéro FINESS a 9 caractères ({len(v)} saisis) ; {FINESS_EXPECTED}"
    digits = "20" + v[2:] if v[:2].upper() in ("2A", "2B") else v
    if not _DIGITS.fullmatch(digits):
        return f"un numéro FINESS ne contient que les chiffres 0 à 9 ; {FINESS_EXPECTED}"
    if not luhn_ok(digits):
        return "clé de contrôle FINESS incorrecte (dernier chiffre) : vérifier le numéro"
    return None


def email_problem(value: str) -> str | None:
    if not _EMAIL.match(value.strip()):
        return "adresse électronique invalide (attendu : nom@domaine.fr)"
    return None


def phone_problem(value: str) -> str | None:
    if not _PHONE.match(value.strip()):
        return "numéro de téléphone invalide (attendu : 10 chiffres, ex. 01 40 56 72 87)"
    return None


def control_problem(value: str) -> str | None:
    """A character that could drive a terminal (escape, bidirectional override...), if any."""
    found = unsafe_character(value)
    if found is None:
        return None
    index, character = found
    return (
        f"caractère de contrôle {describe(character)} en position {index + 1} refusé "
        "(il pourrait piloter le terminal) ; attendu : du texte imprimable"
    )


def text_problem(kind: str, value: str) -> str | None:
    """Problem with a text answer of the given kind (texte, courriel, finess, telephone)."""
    if not value.strip():
        return "texte vide"
    control = control_problem(value)
    if control:
        return control
    check = {"finess": finess_problem, "courriel": email_problem, "telephone": phone_problem}.get(kind)
    return check(value) if check else None
