"""Find a question from what a person types: its printed number, its name, a field or an item code."""

from __future__ import annotations

from bilan.engine.model import Campaign, Section


def resolve(campaign: Campaign, text: str, current: Section | None = None) -> str | None:
    """The question name for "III.2", "2" (in the current chapter), "eohh", "eohh.medecin" or "O211"."""
    key = text.strip().rstrip(".")
    if key in campaign.questions:
        return key
    if key in campaign.fields:
        return campaign.fields[key].question
    lowered = {name.lower(): name for name in campaign.questions}
    if key.lower() in lowered:
        return lowered[key.lower()]
    items = {code.lower(): item for code, item in campaign.items.items()}
    item = items.get(key.lower())
    if item is not None and item.questions:
        return item.questions[0]
    numbers: dict[str, str] = {}
    for section in campaign.chapters:
        for q in section.walk():
            if q.number:
                numbers.setdefault(f"{section.number}.{q.number}".lower(), q.name)
                if current is not None and section.name == current.name:
                    numbers.setdefault(q.number.lower(), q.name)
    return numbers.get(key.lower())
