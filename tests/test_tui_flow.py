"""Conditional branches, the checks panel, validation refused then accepted, the lock, the deadline."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, make_app

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.store.db import Store
from bilan.tui.dialogs import ConfirmDialog, ListDialog
from bilan.tui.entry import EntryScreen
from bilan.tui.fields import ChoiceInput
from bilan.tui.panels import ChecksPanel
from bilan.tui.question_view import QuestionView

CAMPAIGN = load_campaign()


def demo_store(path: Path, drop: tuple[str, ...] = ()) -> int:
    decl = demo_declaration(CAMPAIGN)
    for name in drop:
        decl.answers.pop(name)
    s = Store(path)
    d = s.import_declaration("750712184", 2009, decl)
    s.close()
    return d


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


async def test_conditional_question_hides_and_keeps_answer(tmp_path: Path) -> None:
    d = demo_store(tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "ctrl+g", *"III.3", "enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-correspondants"
        sub = app.screen.query_one("#q-services_correspondants", QuestionView)
        assert sub.display and not sub.has_class("-masked")
        await pilot.press("n")
        await pilot.pause()
        assert sub.has_class("-masked")  # hidden by the answer, its answers kept and shown as masked
        assert app.session is not None
        assert app.session.answers["services_correspondants.medical"] == Fraction(30)
        assert "services_correspondants.medical" in app.session.result.hidden_answers
        await pilot.press("ctrl+g", *"III.3", "enter", "o")  # "n" ended chapter III: come back
        await pilot.pause()
        sub = app.screen.query_one("#q-services_correspondants", QuestionView)
        assert sub.display and not sub.has_class("-masked")


async def test_checks_panel_jumps_and_justifies(tmp_path: Path) -> None:
    d = demo_store(tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "ctrl+g", *"ddj", "enter")
        await pilot.pause()
        await pilot.press("ctrl+u", "1", "enter")  # j01a = 1: the total no longer matches the families
        await pilot.pause()
        assert app.session is not None
        assert [c.check.name for c in app.session.result.checks] == ["ddj_total"]
        await pilot.press("ctrl+g", *"II.2", "enter", "f4")
        await pilot.pause()
        panel = app.screen.query_one(ChecksPanel)
        assert app.focused is panel
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-ddj--j01a"
        await pilot.press("f4", "j", *"erreur de saisie", "enter")
        await pilot.pause()
        assert Store(tmp_path / "b.sqlite").load(d).justifications == {"ddj_total": "erreur de saisie"}
        assert app.session.result.can_validate


async def test_validation_refused_then_accepted_then_locked(tmp_path: Path) -> None:
    d = demo_store(tmp_path / "b.sqlite", drop=("reunions_clin",))
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ListDialog)
        assert any("II.2" in line for line in app.screen.lines)
        await pilot.press("escape", "s")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-reunions_clin"
        await pilot.press("4", "enter", "escape", "v")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("o")
        await pilot.pause()
        row = Store(tmp_path / "b.sqlite").get(d)
        assert row.validated_at and row.validated_by == "Hélène Durand (Praticien hygiéniste, responsable de l’EOHH)"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("n")  # locked: the answer is refused and the stored one kept
        await pilot.pause()
        assert app.session is not None and app.session.answers["usagers_convoques"] == "oui"


async def test_second_session_opens_read_only(tmp_path: Path) -> None:
    d = demo_store(tmp_path / "b.sqlite")
    first = Store(tmp_path / "b.sqlite")
    assert first.acquire(d, "ana") is None
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.session is not None
        reason = app.session.read_only_reason()
        assert reason is not None and "ana" in reason
        await pilot.press("s", "n")
        await pilot.pause()
        assert app.session.answers["usagers_convoques"] == "oui"


async def test_after_deadline_entry_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", "2010-05-01")
    d = demo_store(tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        state = str(app.screen.query_one("#state").render())
        assert "CAMPAGNE CLOSE" in state and "Consulter le bilan" in state
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert "LECTURE SEULE" in app.screen.sub_title
        focused = app.focused
        assert isinstance(focused, ChoiceInput) or focused is not None
        await pilot.press("ctrl+g", *"II.4", "enter", "n")
        await pilot.pause()
        assert app.session is not None and app.session.answers["usagers_convoques"] == "oui"
        await pilot.press("escape", "v")
        await pilot.pause()
        assert Store(tmp_path / "b.sqlite").get(d).validated_at is None


async def test_flagged_change_is_reported_for_the_ddass(tmp_path: Path) -> None:
    d = demo_store(tmp_path / "b.sqlite")
    s = Store(tmp_path / "b.sqlite")
    s.check_admin(d, "ana")
    s.close()
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", "ctrl+g")
        await pilot.pause()
        await pilot.press("escape")
        app.screen.query_one("#f-statut").focus()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "à valider par la DDASS" in str(app.screen.query_one("#state").render())
        flags = Store(tmp_path / "b.sqlite").flags(d)
        assert [(f.field, f.old, f.new) for f in flags] == [("statut", "public", "prive")]
