"""An indicator as a person reads it: its value out of its maximum, its class, or its status."""

from __future__ import annotations

from bilan.engine.expr import format_number
from bilan.engine.model import Campaign
from bilan.engine.result import GroupResult, IndicatorResult

STATUS_TEXT = {"ok": "calculé", "non_concerne": "non concerné", "non_calculable": "non calculable", "exclu": "exclu"}
# What a class column prints for an indicator without a class; the campaign's own labels (F, DI)
# replace it where the .bilan file gives one.
STATUS_CLASS = {"non_concerne": "NC", "exclu": "exclu", "non_calculable": "non calculable"}


def shown_class(r: IndicatorResult) -> str:
    """What a class column prints: the class, the campaign's label for the status (F, DI), or the status."""
    if r.status == "ok":
        return r.class_label or ""
    return r.label or STATUS_CLASS[r.status]


def is_class(label: str) -> bool:
    """A class of the campaign's table or a label of its own (F, DI), not a bare status."""
    return bool(label) and label not in STATUS_CLASS.values()


def value_text(campaign: Campaign, r: IndicatorResult, compact: bool = False) -> str:
    """« 85 / 100 », « 116,55 % »: the value, rounded as the campaign says, out of its maximum.
    `compact` (a side panel): « 85/100 », and only a unit as short as « % »."""
    ind = campaign.indicators[r.code]
    if r.value is None:
        return ""
    sep = "/" if compact else " / "
    of = f"{sep}{format_number(ind.maximum)}" if ind.maximum is not None else ""
    unit = f" {ind.unit}" if ind.unit and not (compact and len(ind.unit) > 2) else ""
    return f"{format_number(r.value, ind.precision)}{of}{unit}"


def status_text(r: IndicatorResult) -> str:
    """Why an indicator has no value: « non calculable (DI) : reason »."""
    label = f" ({r.label})" if r.label else ""
    return f"{STATUS_TEXT[r.status]}{label}" + (f" : {r.reason}" if r.reason else "")


def summary(campaign: Campaign, r: IndicatorResult) -> str:
    """One line: « 85 / 100  classe D », or « non concerné : reason »."""
    if r.status == "ok" and r.value is not None:
        klass = f"  classe {r.class_label}" if r.class_label else ""
        return f"{value_text(campaign, r)}{klass}"
    return status_text(r)


def subtotals(r: IndicatorResult) -> str:
    """The first level of an indicator's functions: « O 33/33  M 33/33  A 34/34 »."""
    parts = [
        f"{g.code} {format_number(g.points)}" + (f"/{format_number(g.maximum)}" if g.maximum is not None else "")
        for g in r.groups
        if isinstance(g, GroupResult)
    ]
    return "  ".join(parts)
