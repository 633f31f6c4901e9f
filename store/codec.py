"""JSON encoding of engine values that keeps their type (Fraction, frozenset, int codes)."""

from __future__ import annotations

import json
from fractions import Fraction
from functools import lru_cache
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
    kind = type(value)
    if kind is str or kind is int or kind is Fraction:  # an import encodes the same few values again and again
        return _encode_scalar(kind.__name__, value)
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=16384)
def _encode_scalar(kind: str, value: Value) -> str:  # `kind` keeps 1 and Fraction(1) apart
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _typed(data: Any) -> Any:
    if isinstance(data, dict):
        if "q" in data:
            return Fraction(data["q"])
        if "set" in data:
            return frozenset(_typed(v) for v in data["set"])
    return data


_decoded: dict[str, Value] = {}  # an export decodes the same few texts again and again


def decode(text: str | None) -> Value:
    if text is None:
        return None
    value = _decoded.get(text)
    if value is None:
        value = _typed(json.loads(text))
        if isinstance(value, str | int | Fraction | frozenset) and len(_decoded) < 16384:
            _decoded[text] = value  # immutable: safe to hand out again
    return value
