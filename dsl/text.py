"""Texts of a .bilan file: long wordings may be wrapped over several lines in the source."""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def normalize(raw: str) -> str:
    """Collapse the wrapping whitespace; a blank line inside a text separates paragraphs."""
    paragraphs = _BLANK_LINE.split(raw)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
