"""What `bilan check` prints for a good file: chapters, questions, items and maxima."""

from __future__ import annotations

from bilan.engine.expr import format_number
from bilan.engine.model import Campaign, Group


def _group_lines(group: Group | str, depth: int, campaign: Campaign) -> list[str]:
    pad = "  " * depth
    if isinstance(group, str):
        item = campaign.items[group]
        return [f"{pad}{group:<10} {format_number(item.maximum):>6}  {item.title}"]
    head = f"{pad}{group.kind} {group.code} « {group.title} »"
    if group.maximum is not None:
        head += f" sur {format_number(group.maximum)}"
    lines = [head]
    for child in group.children:
        lines.extend(_group_lines(child, depth + 1, campaign))
    return lines


def entry_period(campaign: Campaign) -> str:
    """The entry period as `bilan check` and `bilan diff` show it: a campaign rebuilt from old
    rules (examples/campaigns/icalin-2005.bilan) may not know its dates."""
    if campaign.opening and campaign.deadline:
        return f"saisie du {campaign.opening} au {campaign.deadline}"
    if campaign.deadline:
        return f"saisie jusqu’au {campaign.deadline}"
    if campaign.opening:
        return f"saisie à partir du {campaign.opening}"
    return "dates de saisie non précisées"


def summary(campaign: Campaign, source: str) -> str:
    questions = sum(1 for s in campaign.chapters for _ in s.walk())
    fields = sum(1 for s in campaign.chapters for _ in s.fields())
    lines = [
        f"{source} : campagne {campaign.year} — {campaign.title}",
        f"{entry_period(campaign)} ; empreinte {campaign.source_hash[:12]}",
        f"{len(campaign.chapters)} chapitres, {questions} questions ({fields} réponses), "
        f"{len(campaign.items)} items, {len(campaign.checks)} contrôles, {len(campaign.values)} valeurs calculées",
        "",
        "Chapitres :",
    ]
    for s in campaign.chapters:
        n = sum(1 for _ in s.walk())
        lines.append(f"  {s.number:<5} {s.title} ({n} question{'s' if n > 1 else ''})")
    lines.append("")
    lines.append("Indicateurs :")
    for ind in campaign.indicators.values():
        head = f"  {ind.code} « {ind.title} »"
        if ind.maximum is not None:
            head += f" sur {format_number(ind.maximum)}"
        head += {"points": "", "valeur": " (formule)", "selon": f" ({len(ind.cases)} formules)"}[ind.kind]
        lines.append(head)
        for g in ind.groups:
            lines.extend(_group_lines(g, 2, campaign))
    lines.append("")
    lines.append("compilation réussie")
    return "\n".join(lines) + "\n"
