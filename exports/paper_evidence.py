"""Which question of the paper form each item's evidence is printed under.

The cahier des charges prints an item's « éléments de preuve » after the question (and its
« Si OUI » sub-questions) that the item scores. The form does the same: an item's evidence goes
under the last printed question, in its own chapter, whose answers its rules read. Rules may
also read the identification (status, surgery) or another chapter: those questions are printed
elsewhere and never receive the evidence. An item that reads no printed question at all keeps
its evidence at the end of the form, so none is lost.
"""

from __future__ import annotations

from bilan.engine.model import Campaign, Item
from bilan.exports.paper_document import EvidenceEntry


def evidence_entries(items: list[Item]) -> list[EvidenceEntry]:
    """One entry per distinct evidence, with every item code that asks for it, in item order."""
    entries: dict[tuple[str, ...], list[str]] = {}
    for item in items:
        entries.setdefault(item.evidence, []).append(item.code)
    return [{"codes": codes, "text": " ".join(texts)} for texts, codes in entries.items()]


def place_evidence(campaign: Campaign) -> tuple[dict[str, list[Item]], list[Item]]:
    """Items with evidence by the top-level question they are printed under, and those left over."""
    top: dict[str, str] = {}  # any printed question -> its top-level question
    order: dict[str, int] = {}  # top-level question -> printed position
    section: dict[str, str] = {}  # top-level question -> its section
    for s in campaign.fiches + campaign.chapters:
        for q in s.questions:
            order[q.name] = len(order)
            section[q.name] = s.name
            for sub in q.walk():
                top[sub.name] = q.name
    placed: dict[str, list[Item]] = {}
    left: list[Item] = []
    for item in campaign.items.values():
        if not item.evidence:
            continue
        read = {top[name] for name in item.questions if name in top}
        own = {name for name in read if section[name] == item.section}
        candidates = own or read
        if not candidates:
            left.append(item)
            continue
        placed.setdefault(max(candidates, key=order.__getitem__), []).append(item)
    return placed, left
