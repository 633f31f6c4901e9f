"""The « Données externes » screen and the recap's PDF key, driven by keys sent in bursts at 80×24."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, make_app, shown_text
from textual.widgets import Static
from typist import burst

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.result import Declaration
from bilan.store.db import Store
from bilan.tui.external import DataScreen
from bilan.tui.home import HomeScreen
from bilan.tui.panels import ScorePanel
from bilan.tui.recap import RecapScreen

CAMPAIGN = load_campaign()
pytestmark = pytest.mark.tui


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def store_without_data(path: Path) -> int:
    """The demo declaration, its SAE and SARM history not yet supplied."""
    demo = demo_declaration(CAMPAIGN)
    answers = {k: v for k, v in demo.answers.items() if k.split(".")[0] not in demo.blocks}
    store = Store(path)
    declaration = store.import_declaration("750712184", 2009, Declaration(answers, frozenset(), demo.justifications))
    store.close()
    return declaration


async def test_provisional_sae_figures_typed_in_one_burst(tmp_path: Path) -> None:
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", store_without_data(tmp_path / "b.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        # a tenth digit in medicine is refused: the cursor holds, the keys after it are not applied
        # elsewhere; Retour arrière reads the refusal, Entrée stores the nine digits
        keys = ["d", *"250000", "enter", *"1234567890", "5", "enter", "backspace", "enter", *"20000", "enter"]
        await burst(pilot, keys)
        screen = app.screen
        assert isinstance(screen, DataScreen)
        s = app.session
        assert s is not None
        assert s.answers["sae.medecine"] == 250000
        assert s.answers["sae.chirurgie"] == 123456789
        assert s.answers["sae.reanimation"] == 20000
        assert s.state.provisional_blocks == {"sae"} and s.result.indicators["ICSHA"].ok
        origin = shown_text(screen.query_one("#origin", Static))
        assert "Origine : saisie établissement, provisoire (Hélène Durand, le 01/04/2010" in origin
        assert "Alimente : ICSHA, SCORE, SARM" in origin
        scores = shown_text(screen.query_one("#scores", ScorePanel)).splitlines()
        icsha = next(i for i, line in enumerate(scores) if line.startswith("ICSHA"))
        assert scores[icsha + 1].strip() == "provisoire"
        icalin = next(i for i, line in enumerate(scores) if line.startswith("ICALIN"))
        assert "provisoire" not in scores[icalin + 1]
        await burst(pilot, ["escape"])
        assert isinstance(app.screen, HomeScreen)
        assert "Données externes (SAE, SARM) : 1 provisoire, 2 non fournies" in shown_text(
            app.screen.query_one("#state", Static)
        )
    stored = Store(tmp_path / "b.sqlite")
    try:
        decl = stored.load(stored.declarations()[0].id)
        assert decl.answers["sae.chirurgie"] == Fraction(123456789)
        assert decl.state.sources["sae"].origin == "saisie"
    finally:
        stored.close()


async def test_pages_of_blocks_and_the_administrations_figures_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.sqlite")
    d = store.import_declaration("750712184", 2009, demo_declaration(CAMPAIGN), who="cellule DGS")
    store.close()
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["d", "pagedown", *"99"])
        screen = app.screen
        assert isinstance(screen, DataScreen) and screen.cursor.page.name == "sarm_2007"
        assert app.session is not None and app.session.answers["sarm_2007.patients"] == 260
        origin = shown_text(screen.query_one("#origin", Static))
        assert "Origine : importées par cellule DGS le 01/04/2010" in origin and "Saisie impossible" in origin
        assert "lecture seule" in shown_text(screen.query_one("#status", Static))


async def test_p_on_the_recap_writes_the_pdf_next_to_the_store_and_says_where(tmp_path: Path) -> None:
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", store_without_data(tmp_path / "b.sqlite"))
    target = tmp_path / "recap-750712184-2009.pdf"
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["c", "p"])
        assert isinstance(app.screen, RecapScreen)
        for _ in range(500):
            if any(str(target) in n.message for n in app._notifications):
                break
            await pilot.pause(0.02)
        notices = [n.message for n in app._notifications]
        assert f"Récapitulatif PDF écrit dans {target}" in notices
    assert target.read_bytes().startswith(b"%PDF")
