"""Entering a whole declaration by keys alone: stored answers and displayed scores equal the engine's."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, make_app, type_section

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration
from bilan.store.db import Store
from bilan.tui.entry import EntryScreen
from bilan.tui.home import HomeScreen
from bilan.tui.panels import ScorePanel, indicator_text

CAMPAIGN = load_campaign()


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


async def test_complete_declaration_by_keys(tmp_path: Path) -> None:
    demo = demo_declaration(CAMPAIGN)
    data = {f.name for s in CAMPAIGN.data_blocks for f in s.fields()}
    # the typographic apostrophe has no key on a keyboard: type the plain one
    target = {k: v.replace("’", "'") if isinstance(v, str) else v for k, v in demo.answers.items() if k not in data}
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"750712184", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        await type_section(pilot, target)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await pilot.pause()
        await type_section(pilot, target)
        await pilot.press("escape", "s")
        await pilot.pause()
        await type_section(pilot, target)
        session = app.session
        assert session is not None
        stored = Store(tmp_path / "b.sqlite").load(session.id)
        assert stored.answers == target
        expected = Engine(CAMPAIGN).score(Declaration(target))
        assert session.result.indicators == expected.indicators
        shown = str(app.screen.query_one("#scores", ScorePanel).render())
        for r in expected.indicators.values():
            if r.ok:
                assert str(indicator_text(CAMPAIGN, r)).splitlines()[0] in shown
        assert "ICALIN  100/100  classe A" in shown
        assert "O 33/33  M 33/33  A 34/34" in shown
