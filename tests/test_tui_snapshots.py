"""Snapshots of every screen and every page of the form at 80×24 and 120×40 (fixed BILAN_TODAY, demo)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, demo_store

from bilan.cli.resources import load_campaign
from bilan.store.db import Store
from bilan.tui.app import BilanApp

CAMPAIGN = load_campaign()
PAGES = [s.number or s.name for s in CAMPAIGN.fiches + CAMPAIGN.chapters]
pytestmark = pytest.mark.tui


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def demo_app(tmp_path: Path) -> BilanApp:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    return BilanApp(CAMPAIGN, Store(tmp_path / "b.sqlite"), d)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize(
    ("screen", "keys"),
    [
        ("home", []),
        ("explain", ["s", "f2"]),
        ("help", ["f1"]),
        ("checks", ["s", "f4"]),
        ("chapters", ["s", "f3"]),
        ("refused", ["s", *"150"]),
        ("external", ["d"]),
    ],
)
def test_screen(snap_compare, tmp_path: Path, size: tuple[int, int], screen: str, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(tmp_path), press=keys, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("page", range(len(PAGES)), ids=PAGES)
def test_page(snap_compare, tmp_path: Path, size: tuple[int, int], page: int) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(tmp_path), press=["a", *["pagedown"] * page], terminal_size=size)


def test_first_run(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # the screen names the store: keep its path the same on every run
    app = BilanApp(CAMPAIGN, Store(Path("b.sqlite")), None)
    assert snap_compare(app, press=[*"75071218"], terminal_size=(80, 24))
