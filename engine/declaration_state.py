"""The state of a declaration beside its answers: its validation, and who supplied each data block and how.

The engine never reads it; the store records it, the exports write it and read it back, and every
screen and document words it the same way through `BlockSource.describe` and `validation_text`.
A data block comes from the administration (`bilan import`: final figures) or is typed by the
establishment in its own store while those are awaited (provisional figures).
"""

from __future__ import annotations

import datetime as dt

import attrs

from bilan.common.clock import french_date

IMPORTED = "import"  # supplied by the administration: final
ENTERED = "saisie"  # typed by the establishment: provisional until the administration's figures come
ORIGINS = (IMPORTED, ENTERED)


@attrs.frozen
class BlockSource:
    """Who supplied a data block, how (`origin`), and when (an ISO timestamp)."""

    block: str
    origin: str
    who: str
    at: str

    @property
    def provisional(self) -> bool:
        return self.origin == ENTERED

    def describe(self) -> str:
        """« importées par … le … » or « saisie établissement, provisoire (… le …) »."""
        when = french_date(dt.datetime.fromisoformat(self.at).date())  # the day is what a person needs
        if self.provisional:
            return f"saisie établissement, provisoire ({self.who}, le {when})"
        return f"importées par {self.who} le {when} (administration, définitives)"


@attrs.frozen
class DeclarationState:
    """Validated or not (by whom, when), and the source of each data block supplied."""

    validated_at: str | None = None
    validated_by: str | None = None
    sources: dict[str, BlockSource] = attrs.field(factory=dict, hash=False)

    @property
    def provisional_blocks(self) -> frozenset[str]:
        return frozenset(name for name, s in self.sources.items() if s.provisional)

    def validation_text(self) -> str:
        if self.validated_at:
            return f"validée le {french_date(self.validated_at)} par {self.validated_by or 'inconnu'}"
        return "non validée"


def block_text(state: DeclarationState, block: str, present: bool) -> str:
    """Where a data block's figures come from, for a person (supplied with no recorded source:
    from a file that does not say, taken as the administration's)."""
    if not present:
        return "non fournies"
    source = state.sources.get(block)
    if source is None:
        return "fournies sans origine précisée (tenues pour celles de l’administration)"
    return source.describe()
