"""Scores of a declaration as plain data: the one shape behind the TOML export, the text report
and the recap. Values are Decimals (exact for points, 6 places for ratios) so tomli-w writes
them as TOML floats without binary noise."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

from bilan.engine.declaration_state import DeclarationState
from bilan.engine.feeds import provisional_indicators
from bilan.engine.model import Campaign
from bilan.engine.result import CheckResult, Declaration, GroupResult, IndicatorResult, ItemResult, Result
from bilan.exports import toml_writer
from bilan.exports.answers_toml import declaration_to_dict


def decimal(value: Fraction, places: int = 6) -> Decimal:
    return _decimal(value.numerator, value.denominator, places)


@lru_cache(maxsize=8192)  # points and maxima repeat from one declaration to the next
def _decimal(numerator: int, denominator: int, places: int) -> Decimal:
    exact = Decimal(numerator) / Decimal(denominator)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    # normalize() writes 100 as 1E+2; keep plain digits in the export (the exponent of a finite
    # Decimal is an int: the str case is NaN or infinity, which a Fraction never gives)
    exponent = rounded.as_tuple().exponent
    return rounded.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else rounded


def subtotals(groups: tuple[GroupResult | str, ...], out: dict[str, Decimal] | None = None) -> dict[str, Decimal]:
    """Points of every function and sub-function, flat by code (their titles, maxima and
    nesting are the questionnaire's, identified by its sha256): small and quick to write."""
    out = {} if out is None else out
    for g in groups:
        if isinstance(g, GroupResult):
            out[g.code] = decimal(g.points)
            subtotals(g.children, out)
    return out


def indicator_dict(r: IndicatorResult, provisional: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"statut": r.status}
    if provisional:  # computed from figures the establishment typed, awaiting the administration's
        out["provisoire"] = True
    if r.value is not None:
        out["valeur"] = decimal(r.value)
    if r.class_label:
        out["classe"] = r.class_label
    if r.label:
        out["classe"] = r.label
    if r.reason:
        out["raison"] = r.reason
    if r.case:
        out["formule"] = list(r.case)
    if r.groups:
        totals = per_result(_subtotals, r.groups, lambda: MappingProxyType(subtotals(r.groups)))
        if totals:
            out["sous_totaux"] = totals
    return out


T = TypeVar("T")
_LIMIT = 65536


def per_result(memo: dict[int, tuple[Any, T]], result: object, make: Callable[[], T]) -> T:
    """What `make` builds for `result`, built once per result object (kept alive in `memo`, so
    its id cannot be reused): the engine shares item results between declarations."""
    kept = memo.get(id(result))
    if kept is None or kept[0] is not result:
        if len(memo) >= _LIMIT:
            memo.clear()
        kept = memo[id(result)] = (result, make())
    return kept[1]


_item_entries: dict[int, tuple[ItemResult, MappingProxyType[str, Any]]] = {}


def item_entry(i: ItemResult) -> MappingProxyType[str, Any]:
    """An item's entry, read-only (toml_writer then keeps its text too)."""

    def make() -> MappingProxyType[str, Any]:
        entry = {"points": decimal(i.points), "max": decimal(i.maximum), "raison": i.reason}
        if not i.complete:
            entry["incomplet"] = True
        return MappingProxyType(entry)

    return per_result(_item_entries, i, make)


_subtotals: dict[int, tuple[Any, Mapping[str, Decimal]]] = {}
_status_entries: dict[int, tuple[IndicatorResult, Mapping[str, Any]]] = {}
_check_entries: dict[int, tuple[CheckResult, MappingProxyType[str, Any]]] = {}


def _indicator_entry(r: IndicatorResult) -> Mapping[str, Any]:
    """Status results (non concerné...) are shared by the engine: their entry is made once."""
    if r.status == "ok":
        return indicator_dict(r)
    return per_result(_status_entries, r, lambda: MappingProxyType(indicator_dict(r)))


def _check_entry(c: CheckResult) -> MappingProxyType[str, Any]:
    def make() -> MappingProxyType[str, Any]:
        entry = {"niveau": c.check.severity, "message": c.check.message, "question": c.check.question}
        if c.justification:
            entry["justification"] = c.justification
        return MappingProxyType(entry)

    return per_result(_check_entries, c, make) if c.justification is None else make()


def results_dict(campaign: Campaign, result: Result, state: DeclarationState | None = None) -> dict[str, Any]:
    """The results of one declaration; `state` tells which data blocks are provisional."""
    provisional = provisional_indicators(campaign, result, state.provisional_blocks) if state else frozenset()
    return {
        "complet": result.complete,
        "validable": result.can_validate,
        "manquantes": list(result.missing),
        "masquees": list(result.hidden_answers),
        "controles": toml_writer.Tables({c.check.name: _check_entry(c) for c in result.checks}),
        "items": toml_writer.Tables({code: item_entry(i) for code, i in result.items.items()}),
        "indicateurs": {
            code: indicator_dict(r, True) if code in provisional else _indicator_entry(r)
            for code, r in result.indicators.items()
        },
    }


def questionnaire_identity(campaign: Campaign) -> dict[str, Any]:
    return {"campagne": campaign.year, "titre": campaign.title, "sha256": campaign.source_hash}


def results_file_head(campaign: Campaign) -> str:
    """The start of a results file (`bilan score --format toml`, `bilan export --all`)."""
    return toml_writer.dumps({"questionnaire": questionnaire_identity(campaign)})


def results_file_entry(campaign: Campaign, name: str, declaration: Declaration, result: Result | None) -> str:
    """One `[[declaration]]` of a results file: its answers, and its results when given. The file
    is the head, then each entry after a blank line; `bilan score` and `bilan import` read it."""
    entry: dict[str, Any] = {"fichier": name, **declaration_to_dict(declaration, campaign)}
    entry.pop("bilan", None)
    if result is not None:
        entry["resultats"] = results_dict(campaign, result, declaration.state)
    return toml_writer.dumps({"declaration": [entry]})
