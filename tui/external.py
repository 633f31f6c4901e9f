"""The « Données externes » screen: where the data blocks' figures come from, and provisional ones typed.

One page per data block (SAE, SARM history), under the entry cursor on the data blocks' path, so
keys, refusals (a tenth digit) and bursts behave as on every page of the form. Above the figures,
the block's origin, the indicators it feeds and whether figures may be typed here (see
bilan.entry.external); the score panel marks the indicators computed from provisional figures.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from bilan.entry.cursor import EntryCursor
from bilan.entry.external import block_info, external_label
from bilan.entry.path import data_path
from bilan.entry.session import EntrySession
from bilan.tui.entry import EntryScreen


class DataScreen(EntryScreen):
    """The data blocks' pages: the same keys as the form's (PgUp/PgDn between blocks, Échap home)."""

    def __init__(self, session: EntrySession) -> None:
        super().__init__(session, EntryCursor(session, data_path(session.campaign)))

    async def show_page(self) -> None:
        await super().show_page()
        box = self.query_one("#questions", VerticalScroll)
        await box.mount(Static(id="origin", classes="note"), before=0)
        self._draw_origin()

    def refresh_state(self) -> None:
        super().refresh_state()
        self._draw_origin()
        self.title = f"{external_label(self.session.campaign)} — {self.cursor.page.title}"

    def _draw_origin(self) -> None:
        found = self.query("#origin")
        if found:
            info = block_info(self.session, self.cursor.page)
            found.first(Static).update(Text("\n".join(info.lines())))
