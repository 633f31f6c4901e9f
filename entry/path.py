"""The one path through the form: pages in the national site's order, fields in printed order.

Pages are the identification fiches (administrative data, then the person responsible), then the
chapters. A field is on the path while it is visible; a question hidden by an earlier answer drops
out of it at once, and comes back when the answer changes.

`data_path` is the path over the data blocks (SAE, SARM history), for provisional figures: their
fields have no display condition, and the path ends on its last figure, not on the recap.
"""

from __future__ import annotations

import attrs

from bilan.engine.model import Campaign, Field, Section
from bilan.engine.result import Result


@attrs.frozen
class Position:
    page: int
    field: str | None  # None on a page with no visible field


class FormPath:
    """The order of pages and fields of one campaign (computed once, read on every key).

    `fixed` fields are shown but never under the cursor: the FINESS number, which identifies the
    declaration in the store and is set when the establishment is created.
    """

    def __init__(
        self,
        campaign: Campaign,
        fixed: frozenset[str] = frozenset({"finess"}),
        pages: tuple[Section, ...] | None = None,
    ) -> None:
        self.campaign = campaign
        self.fixed = fixed
        self.pages: tuple[Section, ...] = campaign.fiches + campaign.chapters if pages is None else pages
        self.fields: tuple[tuple[Field, ...], ...] = tuple(tuple(p.fields()) for p in self.pages)
        self.page_of: dict[str, int] = {f.name: i for i, fields in enumerate(self.fields) for f in fields}
        # data blocks are shown whole: the engine's `visible` covers the form's fields only
        self.always = frozenset(f.name for p in self.pages if p.kind == "donnees" for f in p.fields())
        self.ends_with_recap = pages is None

    def shown(self, name: str, result: Result) -> bool:
        """Shown on its page (the FINESS number too, though never under the cursor)."""
        return name in result.visible or name in self.always

    def page_index(self, name: str) -> int | None:
        """The page of a section by its name (a fiche or a chapter)."""
        return next((i for i, p in enumerate(self.pages) if p.name == name), None)

    def visible(self, page: int, result: Result) -> list[str]:
        return [f.name for f in self.fields[page] if self.shown(f.name, result) and f.name not in self.fixed]

    def first(self, page: int, result: Result) -> Position:
        shown = self.visible(page, result)
        return Position(page, shown[0] if shown else None)

    def last(self, page: int, result: Result) -> Position:
        shown = self.visible(page, result)
        return Position(page, shown[-1] if shown else None)

    def step(self, at: Position, step: int, result: Result) -> Position | None:
        """The position `step` (+1 or -1) fields away, across pages; None past either end of the form.

        From a field that has just been hidden, the next field is the next visible one after it in
        printed order (the previous one when going back).
        """
        order = [f.name for f in self.fields[at.page]]
        shown = set(self.visible(at.page, result))
        if at.field in order:
            i = order.index(at.field)
            rest = order[i + 1 :] if step > 0 else reversed(order[:i])
            target = next((n for n in rest if n in shown), None)
            if target is not None:
                return Position(at.page, target)
        page = at.page + step
        while 0 <= page < len(self.pages):
            found = self.first(page, result) if step > 0 else self.last(page, result)
            if found.field is not None:
                return found
            page += step
        return None


def data_path(campaign: Campaign) -> FormPath:
    """The data blocks' pages, one per block, every figure on the path."""
    return FormPath(campaign, frozenset(), campaign.data_blocks)
