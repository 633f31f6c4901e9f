"""JSON encoding of engine values that keeps their type (Fraction, frozenset, int codes)."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from bilan.engine.expr import Value


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return {"q": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, frozenset):
        return {"set": sorted((_plain(v) for v in value), key=repr)}
    return value


def encode(value: Value) -> str | None:
    """SQLite text for a value; None stays NULL (an answer that was cleared)."""
    if value is None:
        return None
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _typed(data: Any) -> Any:
    if isinstance(data, dict):
        if "q" in data:
            return Fraction(data["q"])
        if "set" in data:
            return frozenset(_typed(v) for v in data["set"])
    return data


def decode(text: str | None) -> Value:
    if text is None:
        return None
    return _typed(json.loads(text))
