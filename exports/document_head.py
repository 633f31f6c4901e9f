"""The header every per-declaration document starts with (recap, checklist), as data and in 80 columns."""

from __future__ import annotations

from typing import Literal, TypedDict

from bilan.engine.expr import Value
from bilan.engine.model import Campaign
from bilan.exports.text_wrap import WIDTH, wrap
from bilan.presentation.answers import establishment_name


class DocumentHead(TypedDict):
    kind: Literal["recap", "checklist"]
    title: str
    year: int
    file: str
    establishment: str


def document_head(
    kind: Literal["recap", "checklist"], campaign: Campaign, filename: str, answers: dict[str, Value]
) -> DocumentHead:
    """The header every per-declaration document starts with (recap, checklist)."""
    return {
        "kind": kind,
        "title": campaign.title,
        "year": campaign.year,
        "file": filename,
        "establishment": establishment_name(answers) or "établissement non identifié",
    }


def text_head(title: str, data: DocumentHead) -> list[str]:
    """The 80-column header of a per-declaration document: title, establishment, file."""
    bar = "=" * WIDTH
    return [
        bar,
        *wrap(f"{title} — BILAN {data['year']}", 0),
        *wrap(data["establishment"], 0),
        f"Fichier : {data['file']}",
        bar,
        "",
    ]
