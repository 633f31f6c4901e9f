"""TOML text exactly as tomli-w 1.x writes it (`tomli_w.dumps(obj)`, default options), faster.

`bilan score --format toml` and the bulk export write thousands of declarations; tomli-w spent
most of that time escaping strings one character at a time and, for each `[[declaration]]`,
rendering the whole entry as an inline table only to find it longer than a line. Here strings are
escaped with one regular expression, keys are remembered, and the inline-table test stops as soon
as the line is too long. The layout rules are tomli-w's, unchanged; tests/test_toml_writer.py
checks the output byte for byte against tomli-w itself on random documents and on real exports.
Types: str, bool, int, Decimal, lists/tuples and mappings of those (what bilan writes).

A sub-table given as a `types.MappingProxyType` (read-only) is taken as never changing: its text
is kept, per table name, and reused when the same object comes again (exports/results.py shares
item entries between declarations). A `Tables` (a dict of read-only sub-tables only, such as the
items of a declaration) is written from that kept text alone, without looking at its values again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

_LINE = 100  # tomli-w's MAX_LINE_LENGTH
_INDENT = "    "
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TO_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')  # control characters but tab, quote, backslash
_COMPACT = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_PLAIN = frozenset({str, int, bool, Decimal})
_ARRAYS = frozenset({list, tuple})
_keys: dict[str, str] = {}
_KEPT = 65536  # texts kept at most (per table name for `Tables`): the memory of a bulk export stays bounded
_kept: dict[tuple[int, str, bool], tuple[MappingProxyType[str, Any], list[str]]] = {}
_NAMES = 64  # names of `Tables` whose texts are kept at once (a results file has two)
_kept_under: dict[str, dict[int, tuple[MappingProxyType[str, Any], str, str]]] = {}


class Tables(dict[str, MappingProxyType[str, Any]]):
    """A table whose every value is a read-only sub-table: written as a dict of them is, faster."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _COMPACT.get(char) or f"\\u{ord(char):04x}"


def _string(s: str) -> str:
    if _TO_ESCAPE.search(s) is None:
        return f'"{s}"'
    return f'"{_TO_ESCAPE.sub(_escape, s)}"'


def _key(key: str) -> str:
    text = _keys.get(key)
    if text is None:
        if not isinstance(key, str):
            raise TypeError(f"Invalid mapping key '{key}' of type '{type(key).__qualname__}'. A string is required.")
        text = key if _BARE_KEY.fullmatch(key) else _string(key)
        if len(_keys) < 65536:
            _keys[key] = text
    return text


def _decimal(d: Decimal) -> str:
    if d.is_nan():
        return "nan"
    if d.is_infinite():
        return "-inf" if d.is_signed() else "inf"
    text = str(d).lower()
    return text if "." in text or "e" in text else text + ".0"


def _literal(obj: object, nest: int = 0) -> str:
    kind = type(obj)
    if kind is str:
        return _string(obj)  # type: ignore[arg-type]
    if kind is bool:
        return "true" if obj else "false"
    if kind is int:
        return str(obj)
    if kind is Decimal:
        return _decimal(obj)  # type: ignore[arg-type]
    if kind is list or kind is tuple:
        return _array(obj, nest)  # type: ignore[arg-type]
    return _other(obj, nest)


def _other(obj: object, nest: int) -> str:
    """Subclasses of the types above, and mappings other than dict."""
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, str):
        return _string(obj)
    if isinstance(obj, int):
        return str(obj)
    if isinstance(obj, Decimal):
        return _decimal(obj)
    if isinstance(obj, list | tuple):
        return _array(obj, nest)
    if isinstance(obj, Mapping):
        return _inline(obj)
    raise TypeError(f"Object of type '{type(obj).__qualname__}' is not TOML serializable")


def _array(obj: list[Any] | tuple[Any, ...], nest: int) -> str:
    if not obj:
        return "[]"
    inner = _INDENT * (nest + 1)
    items = ",\n".join(inner + _literal(item, nest + 1) for item in obj)
    return f"[\n{items},\n{_INDENT * nest}]"


def _inline(table: Mapping[str, Any]) -> str:
    if not table:
        return "{}"
    return "{ " + ", ".join(f"{_key(k)} = {_literal(v)}" for k, v in table.items()) + " }"


def _fits_one_line(table: Mapping[str, Any]) -> bool:
    """tomli-w's test for an element of an array of tables, `len("    " + inline + ",") <= 100`
    without newline, stopping at the first part that makes the line too long."""
    if not table:
        return True
    length = len(_INDENT) + len("{ ") + len(" }") + len(",") - len(", ")
    for k, v in table.items():
        if isinstance(v, list | tuple) and v:
            return False  # a non-empty array is written over several lines
        if isinstance(v, Mapping) and not _fits_one_line(v):
            return False
        part = f"{_key(k)} = {_literal(v)}"
        length += len(", ") + len(part)
        if length > _LINE or "\n" in part:
            return False
    return True


def _is_array_of_tables(value: object) -> bool:
    if not isinstance(value, list | tuple):
        return False
    return bool(value) and all(type(v) is dict or isinstance(v, Mapping) for v in value)


def _table(table: Mapping[str, Any], name: str, in_array: bool, out: list[str]) -> None:
    literals: list[str] = []
    tables: list[tuple[str, Mapping[str, Any], bool]] = []
    for k, v in table.items():
        kind = type(v)
        if kind in _PLAIN:  # most values: none of the tests below applies
            literals.append(f"{_key(k)} = {_literal(v)}\n")
        elif kind is dict or kind is MappingProxyType or (kind not in _ARRAYS and isinstance(v, Mapping)):
            tables.append((k, v, False))
        elif _is_array_of_tables(v) and not all(_fits_one_line(t) for t in v):
            tables.extend((k, t, True) for t in v)
        else:
            literals.append(f"{_key(k)} = {_literal(v)}\n")
    written = False
    if in_array or (name and (literals or not tables)):
        written = True
        out.append(f"[[{name}]]\n" if in_array else f"[{name}]\n")
    if literals:
        written = True
        out.extend(literals)
    for k, sub, sub_in_array in tables:
        if written:
            out.append("\n")
        written = True
        key = _key(k)
        sub_name = f"{name}.{key}" if name else key
        if type(sub) is MappingProxyType:
            out.extend(_read_only(sub, sub_name, sub_in_array))
        elif type(sub) is Tables and sub and not sub_in_array:
            _tables(sub, sub_name, out)
        else:
            _table(sub, sub_name, sub_in_array, out)


def _tables(tables: Tables, name: str, out: list[str]) -> None:
    """What `_table` writes for `tables`: no header (it has no literals), then each sub-table, a
    blank line between two, from its kept text (kept per object and key under `name`)."""
    kept = _kept_under.get(name)
    if kept is None or len(kept) >= _KEPT:
        if len(_kept_under) >= _NAMES:
            _kept_under.clear()
        kept = _kept_under[name] = {}
    start = len(out)
    separator = False
    for k, sub in tables.items():
        if type(sub) is not MappingProxyType:  # not what a Tables holds: written as any table is
            del out[start:]
            _table(tables, name, False, out)
            return
        if separator:
            out.append("\n")
        separator = True
        text = kept.get(id(sub))
        if text is None or text[0] is not sub or text[1] != k:
            lines: list[str] = []
            _table(sub, f"{name}.{_key(k)}", False, lines)
            text = kept[id(sub)] = (sub, k, "".join(lines))
        out.append(text[2])


def _read_only(table: MappingProxyType[str, Any], name: str, in_array: bool) -> list[str]:
    key = (id(table), name, in_array)
    kept = _kept.get(key)
    if kept is None or kept[0] is not table:
        text: list[str] = []
        _table(table, name, in_array, text)
        if len(_kept) >= _KEPT:
            _kept.clear()
        kept = _kept[key] = (table, text)
    return kept[1]


def dumps(document: Mapping[str, Any]) -> str:
    """The TOML text of `document`, byte for byte `tomli_w.dumps(document)`."""
    out: list[str] = []
    _table(document, "", False, out)
    return "".join(out)
