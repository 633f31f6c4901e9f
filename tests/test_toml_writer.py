"""exports/toml_writer.py writes exactly what tomli-w writes, byte for byte."""

from __future__ import annotations

import random
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
import tomli_w
from declarations import random_declaration
from hypothesis import given
from hypothesis import strategies as st

from bilan.cli.resources import load_campaign
from bilan.engine.evaluate import Engine
from bilan.exports import toml_writer
from bilan.exports.answers_toml import declaration_to_dict
from bilan.exports.results import results_dict
from bilan.exports.toml_writer import Tables, dumps

keys = st.one_of(
    st.sampled_from(["a", "points", "O211", "ATB3b", "déclaration", "a.b", "", "x y", "-_", "é"]),
    st.text(max_size=6),
)
strings = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", '"', "\\", "\x00", "\x1b[2J", "\t", "\n", "\r\n", "\x7f", "l’EOHH", "\u202e"]),
    st.text(min_size=90, max_size=120),
)
scalars = st.one_of(
    strings,
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1E+2"), Decimal("-0"), Decimal("0.000001"), Decimal("12.50")]),
)


def _values(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=4),
        st.lists(st.dictionaries(keys, children, max_size=3), min_size=1, max_size=3),  # arrays of tables
    )


documents = st.dictionaries(keys, st.recursive(scalars, _values, max_leaves=25), max_size=6)


@given(documents)
def test_random_documents_are_written_as_tomli_w_writes_them(document: dict[str, Any]) -> None:
    assert dumps(document) == tomli_w.dumps(document)


@pytest.mark.parametrize(
    "document",
    [
        {"declaration": [{"a": "x" * 85}]},  # `    { a = "x…x" },` is 100 characters: inline array
        {"declaration": [{"a": "x" * 86}]},  # 101: [[declaration]]
        {"declaration": [{"a": 1}, {"b": [1]}]},  # one element with an array makes them all tables
        {"t": {}, "u": {"v": {}}, "w": []},
        {"a": [[1, [2]], {"x": [3]}]},
    ],
)
def test_layout_edges(document: dict[str, Any]) -> None:
    assert dumps(document) == tomli_w.dumps(document)


def test_real_results_are_written_as_tomli_w_writes_them() -> None:
    campaign = load_campaign()
    engine = Engine(campaign)
    rng = random.Random(7)
    for n in range(100):
        declaration = random_declaration(campaign, rng)
        entry: dict[str, Any] = {"fichier": f"decl-{n}.toml", **declaration_to_dict(declaration, campaign)}
        entry["resultats"] = results_dict(campaign, engine.score(declaration))
        document = {"declaration": [entry]}
        assert dumps(document) == tomli_w.dumps(document)


def test_what_tomli_w_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        dumps({"a": object()})
    with pytest.raises(TypeError):
        dumps({1: "a"})  # type: ignore[dict-item]


def test_a_read_only_table_reused_between_documents_is_written_as_tomli_w_writes_it() -> None:
    """Read-only sub-tables (shared item entries) have their text kept: per name, per place."""
    shared = MappingProxyType({"points": Decimal("2.5"), "raison": 'l’EOHH "x"'})
    documents: list[dict[str, Any]] = [
        {"declaration": [{"items": {"A": shared, "B": shared}}]},
        {"autre": {"items": {"A": shared}}, "x": [shared]},
        {"declaration": [{"a": 1}, {"items": {"A": shared}}]},
    ]
    for document in documents * 2:
        assert dumps(document) == tomli_w.dumps(document)


def test_tables_of_read_only_entries_are_written_as_tomli_w_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `Tables` (the items of a declaration) is written from the text kept for each entry under
    its name: the same entry under another key, another parent, or after the kept texts were
    dropped (a tiny limit here) is written afresh."""
    monkeypatch.setattr(toml_writer, "_KEPT", 3)
    a = MappingProxyType({"points": Decimal("2.5"), "raison": 'l’EOHH "x"'})
    b = MappingProxyType({"points": Decimal(0), "incomplet": True, "sous": MappingProxyType({"x": 1})})
    long = MappingProxyType({"raison": "x" * 100})
    documents: list[dict[str, Any]] = [
        {"declaration": [{"fichier": "f", "resultats": {"ok": True, "items": Tables({"A": a, "B": b})}}]},
        {"declaration": [{"resultats": {"items": Tables({"B": a, "A": b, "C": a})}}]},
        {"autre": {"items": Tables({"A": a})}, "items": Tables({"A": a})},
        {"declaration": [{"resultats": {"items": Tables(), "controles": Tables({"k": b})}}]},
        {"t": Tables({"é x": a, "d": b, "e": a, "f": b})},
        {"d": [Tables({"A": long}), Tables({"B": long})]},  # elements of an array of tables: [[d]] each
        {"t": Tables({"x": 1, "A": a, "l": [1, 2]})},  # type: ignore[dict-item]  # as a dict is written
        {"t": Tables({"A": a, "B": {"v": 1}})},  # type: ignore[dict-item]
    ]
    for document in documents * 3:
        assert dumps(document) == tomli_w.dumps(document)


def test_a_table_that_is_not_read_only_is_written_afresh_inside_tables() -> None:
    """Only read-only tables have their text kept: a dict changed since is written as it is now."""
    entry = {"v": 1}
    document: dict[str, Any] = {"t": Tables({"x": entry})}  # type: ignore[dict-item]
    assert dumps(document) == tomli_w.dumps(document)
    entry["v"] = 2
    assert dumps(document) == tomli_w.dumps(document) == "[t.x]\nv = 2\n"
