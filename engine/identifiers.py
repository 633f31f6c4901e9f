"""Syntax of identification fields: FINESS number, e-mail address, telephone number.

FINESS: 9 characters, the last a check key computed with the Luhn algorithm over the whole number
(checked on published numbers, e.g. 750712184, 330781196). Corsican numbers start with the
department code 2A or 2B; the key is then computed with "20" in its place (assumption: the
national register does not document it in the sources we have).
"""

from __future__ import annotations

import re

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_PHONE = re.compile(r"^(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}$")


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
        return f"un numéro FINESS a 9 caractères ({len(v)} saisis)"
    digits = "20" + v[2:] if v[:2].upper() in ("2A", "2B") else v
    if not digits.isdigit():
        return "un numéro FINESS ne contient que des chiffres (2A ou 2B en tête pour la Corse)"
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


def text_problem(kind: str, value: str) -> str | None:
    """Problem with a text answer of the given kind (texte, courriel, finess, telephone)."""
    if not value.strip():
        return "texte vide"
    check = {"finess": finess_problem, "courriel": email_problem, "telephone": phone_problem}.get(kind)
    return check(value) if check else None
