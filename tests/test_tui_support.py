"""Helpers for the app tests: an app over a temporary store that counts the keys it has taken."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual import events
from textual.widgets import Static

from bilan.cli.resources import demo_declaration
from bilan.engine.model import Campaign
from bilan.store.db import Store
from bilan.tui.app import BilanApp

OPEN_DAY = "2010-04-01"


class CountingApp(BilanApp):
    """The app, counting keys once they are fully applied (a burst is over when all are)."""

    keys_taken = 0

    async def on_event(self, event: events.Event) -> None:
        await super().on_event(event)
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.keys_taken += 1


def shown_text(widget: Static) -> str:
    """What a widget shows, as plain text (wide enough that no line wraps)."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text()


def make_app(campaign: Campaign, path: Path, declaration: int | None = None) -> CountingApp:
    return CountingApp(campaign, Store(path), declaration)


def demo_store(campaign: Campaign, path: Path, drop: tuple[str, ...] = ()) -> int:
    """A store holding the demo declaration (without the answers named in `drop`)."""
    decl = demo_declaration(campaign)
    for name in drop:
        decl.answers.pop(name)
    store = Store(path)
    declaration = store.import_declaration("750712184", campaign.year, decl, who="démo")
    store.close()
    return declaration
