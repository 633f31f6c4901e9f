"""“Vouliez-vous dire …” for a misspelled name or keyword: the closest known spelling, if any."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known spelling nearest to `word` (difflib's ratio, accents ignored), or None."""
    by_plain: dict[str, str] = {}
    for name in sorted(known):
        by_plain.setdefault(strip_accents(name), name)
    match = difflib.get_close_matches(strip_accents(word), list(by_plain), n=1, cutoff=cutoff)
    return by_plain[match[0]] if match else None


def strip_accents(text: str) -> str:
    """`échelle` -> `echelle`: the unaccented spelling a keyword also accepts."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
