"""Snapshots of the main screens at 80×24 and 120×40 (fixed BILAN_TODAY, demo declaration)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.store.db import Store
from bilan.tui.app import BilanApp

CAMPAIGN = load_campaign()


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def demo_app(tmp_path: Path) -> BilanApp:
    store = Store(tmp_path / "b.sqlite")
    d = store.import_declaration("750712184", 2009, demo_declaration(CAMPAIGN), who="démo")
    return BilanApp(CAMPAIGN, store, d)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize(
    "screen, keys",
    [
        ("home", []),
        ("questionnaire", ["s"]),
        ("explain", ["s", "f2"]),
        ("help", ["f1"]),
    ],
)
def test_screen(snap_compare, tmp_path: Path, size: tuple[int, int], screen: str, keys: list[str]) -> None:
    assert snap_compare(demo_app(tmp_path), press=keys, terminal_size=size)


def test_first_run(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the screen names the store: keep its path the same on every run
    app = BilanApp(CAMPAIGN, Store(Path("b.sqlite")), None)
    assert snap_compare(app, press=[*"75071218"], terminal_size=(80, 24))
