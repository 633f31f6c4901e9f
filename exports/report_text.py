"""The plain-text score report of `bilan score`: items with points and why, indicators, classes."""

from __future__ import annotations

from functools import cache

from bilan.engine.expr import format_number
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration, GroupResult, IndicatorResult, ItemResult, Result
from bilan.exports.results import per_result
from bilan.presentation.answers import establishment_name
from bilan.presentation.indicators import summary


def indicator_line(campaign: Campaign, r: IndicatorResult) -> str:
    return f"{r.code:<8} {summary(campaign, r)}"


def _groups(groups: tuple[GroupResult | str, ...], depth: int) -> list[str]:
    lines = []
    for g in groups:
        if isinstance(g, GroupResult):
            of = f" / {format_number(g.maximum)}" if g.maximum is not None else ""
            lines.append(f"{'  ' * depth}{g.code:<8} {format_number(g.points)}{of}  {g.title}")
            lines.extend(_groups(tuple(c for c in g.children if isinstance(c, GroupResult)), depth + 1))
    return lines


_item_lines: dict[int, tuple[ItemResult, str]] = {}
_group_lines: dict[int, tuple[tuple[GroupResult | str, ...], list[str]]] = {}


def _group_block(groups: tuple[GroupResult | str, ...]) -> list[str]:
    """An indicator's function lines, kept per shared groups tuple (same subtotals)."""
    return per_result(_group_lines, groups, lambda: _groups(groups, 2))


@cache
def _item_order(campaign: Campaign) -> tuple[str, ...]:
    """Item codes in the order of their indicators."""
    return tuple(code for ind in campaign.indicators.values() for code in ind.item_codes())


def _item_line(i: ItemResult) -> str:
    def make() -> str:
        flag = "" if i.complete else "  (incomplet)"
        return f"  {i.code:<8} {format_number(i.points):>5} / {format_number(i.maximum):<5} {i.reason}{flag}"

    return per_result(_item_lines, i, make)


def score_report(campaign: Campaign, name: str, declaration: Declaration, result: Result) -> str:
    a = declaration.answers
    who = establishment_name(a)
    lines = [f"== {name}" + (f" : {who}" if who else "")]
    if result.missing:
        lines.append(
            f"incomplet : {len(result.missing)} réponse(s) manquante(s) : {', '.join(result.missing[:8])}"
            + (" ..." if len(result.missing) > 8 else "")
        )
    for c in result.checks:
        tag = (
            "ERREUR"
            if c.check.severity == "erreur"
            else ("avertissement justifié" if c.justification else "AVERTISSEMENT")
        )
        lines.append(f"{tag} [{c.check.name}] {c.check.message}")
    if result.hidden_answers:
        lines.append(f"réponses masquées (non comptées) : {', '.join(result.hidden_answers)}")
    lines.append("")
    lines.append("Items")
    lines.extend(_item_line(result.items[code]) for code in _item_order(campaign))
    lines.append("")
    lines.append("Indicateurs")
    for r in result.indicators.values():
        lines.append("  " + indicator_line(campaign, r))
        lines.extend(_group_block(r.groups))
    return "\n".join(lines) + "\n"
