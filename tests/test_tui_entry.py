"""Heads-down entry: a whole declaration typed as bursts of keys lands exactly in the store.

The keys are sent without any pause between them (as SSH delivers a fast typist's keys), so each
key arrives while the previous ones are still being applied: an answer, the next question, a
branch opening, a new page must all be in place before the next key is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, demo_store, make_app
from typist import burst, plan_keys

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.result import Declaration
from bilan.store.db import Store
from bilan.tui.entry import EntryScreen
from bilan.tui.panels import ScorePanel, indicator_text
from bilan.tui.recap import TextScreen

CAMPAIGN = load_campaign()
pytestmark = pytest.mark.tui


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def demo_answers() -> dict[str, Value]:
    """The demo declaration as typed: every answer but the external data (SAE, SARM)."""
    data = {f.name for s in CAMPAIGN.data_blocks for f in s.fields()}
    return {k: v for k, v in demo_declaration(CAMPAIGN).answers.items() if k not in data}


async def test_whole_declaration_typed_in_one_burst(tmp_path: Path) -> None:
    target = demo_answers()
    pages = len(CAMPAIGN.fiches) + len(CAMPAIGN.chapters)
    keys = plan_keys(CAMPAIGN, target, 0, pages, tmp_path / "scratch.sqlite")
    assert len(keys) > 300
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, [*"750712184", "enter", *keys])
        assert isinstance(app.screen, TextScreen)  # Entrée on the last question opens the recap
        session = app.session
        assert session is not None
        stored = Store(tmp_path / "b.sqlite").load(session.id)
        assert stored.answers == target
        assert session.result.indicators == Engine(CAMPAIGN).score(Declaration(target)).indicators


async def test_chapters_typed_as_bursts_show_the_engine_scores(tmp_path: Path) -> None:
    """Chapter by chapter, one burst each, over a declaration whose chapters were emptied."""
    target = demo_answers()
    chapters = {f.name for s in CAMPAIGN.chapters for f in s.fields()}
    declaration = demo_store(CAMPAIGN, tmp_path / "b.sqlite", drop=tuple(sorted(chapters & set(target))))
    first = len(CAMPAIGN.fiches)
    typed = {k: v for k, v in target.items() if k not in chapters}
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", declaration)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, ["s"])
        for page in range(first, first + len(CAMPAIGN.chapters)):
            assert isinstance(app.screen, EntryScreen)
            assert app.screen.cursor.position.page == page
            keys = plan_keys(CAMPAIGN, target, page, 1, tmp_path / f"scratch{page}.sqlite", typed)
            await burst(pilot, keys)
            typed = dict(app.session.answers) if app.session else {}
        assert app.session is not None
        stored = Store(tmp_path / "b.sqlite").load(declaration)
        assert {k: v for k, v in stored.answers.items() if k in chapters} == {
            k: v for k, v in target.items() if k in chapters
        }
        await burst(pilot, ["escape", "c", "escape", "s", "pageup"])
        shown = str(app.screen.query_one("#scores", ScorePanel).render())
        expected = Engine(CAMPAIGN).score(stored)
        for r in expected.indicators.values():
            if r.ok:
                assert str(indicator_text(CAMPAIGN, r)).splitlines()[0] in shown
        assert "ICALIN  100/100  classe A" in shown
        assert "O 33/33  M 33/33  A 34/34" in shown


async def test_a_screen_closed_before_its_refresh_scrolls_nothing_and_the_app_goes_on(tmp_path: Path) -> None:
    """Bringing the question into view waits for the next refresh; Échap typed right after a key
    (a loaded machine, a fast operator) closed the screen first, and the query of its gone
    question list ended the app as a bug."""
    declaration = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", declaration)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["s"])
        screen = app.screen
        assert isinstance(screen, EntryScreen) and screen.current_question is not None
        view = screen._view(screen.current_question)
        assert view is not None
        await burst(pilot, ["escape"])
        assert app.screen is not screen and not view.is_attached
        screen._bring_into_view(view)  # what the refresh would have run
        await burst(pilot, ["c"])
        assert app.is_running and app.crash is None
