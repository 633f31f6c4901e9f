"""The app's screens in the national workflow, driven by keys sent in bursts (no pause between keys)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, demo_store, make_app, shown_text
from textual.widgets import Static
from typist import burst

from bilan.cli.resources import load_campaign
from bilan.store.db import Store
from bilan.tui.dialogs import ConfirmDialog, ReadDialog
from bilan.tui.entry import EntryScreen
from bilan.tui.home import HomeScreen
from bilan.tui.panels import PickList, ScorePanel
from bilan.tui.question_view import QuestionView
from bilan.tui.recap import TextScreen, history_text

CAMPAIGN = load_campaign()
pytestmark = pytest.mark.tui


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def entry(app: object) -> EntryScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EntryScreen)
    return screen


async def test_jump_then_answer_in_one_burst_and_the_branch_hides_and_keeps(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, ["s", "ctrl+g", *"III.3", "enter", "n"])  # the « n » lands on III.3, after the jump
        screen = entry(app)
        assert screen.cursor.page.number == "IV"  # III.3 was the last question of chapter III
        await burst(pilot, ["ctrl+g", *"III.3", "enter"])
        sub = screen.query_one("#q-services_correspondants", QuestionView)
        assert sub.has_class("-masked")  # hidden by the answer, its answers kept and shown as masked
        assert app.session is not None and app.session.answers["correspondants"] == "non"
        assert app.session.answers["services_correspondants.medical"] == Fraction(30)
        assert "services_correspondants.medical" in app.session.result.hidden_answers
        await burst(pilot, ["o"])
        assert not sub.has_class("-masked") and sub.display
        assert screen.cursor.position.field == "services_correspondants.medical"  # into the reopened branch


async def test_a_refused_key_is_shown_under_its_field(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite", drop=("reunions_clin",))
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["s", *"150", "enter", "o"])
        screen = entry(app)
        view = screen.query_one("#q-reunions_clin", QuestionView)
        shown = shown_text(view)
        assert "« 0 » refusé : 2 chiffres au plus" in shown
        assert "(2 touche(s) ignorée(s) ; Retour arrière pour reprendre)" in " ".join(shown.split())  # how to go on
        assert app.session is not None and "reunions_clin" not in app.session.answers
        await burst(pilot, ["backspace", "enter"])  # read: 15 is what the operator meant after all
        assert app.session.answers["reunions_clin"] == Fraction(15)
        assert "refusé" not in shown_text(view)


async def test_checks_list_jumps_and_justifies(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, ["s", "ctrl+g", *"ddj", "enter", "1", "enter"])  # j01a = 1: the total no longer matches
        assert app.session is not None
        assert [c.check.name for c in app.session.result.checks] == ["ddj_total"]
        screen = entry(app)
        await burst(pilot, ["ctrl+g", *"II.2", "enter", "f4", "o", "enter"])  # « o » stays in the list
        assert screen.cursor.position.field == "ddj.j01a"  # the first box of the question the warning is on
        assert app.session.answers["reunions_clin"] == Fraction(4)
        await burst(pilot, ["f4", "j", *"erreur de saisie", "enter"])
        assert Store(tmp_path / "b.sqlite").load(d).justifications == {"ddj_total": "erreur de saisie"}
        assert app.session.result.can_validate
        assert "justifié : erreur de saisie" in shown_text(screen.query_one("#q-ddj", QuestionView))


async def test_validation_refused_then_accepted_then_locked(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite", drop=("reunions_clin",))
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, ["v"])
        assert isinstance(app.screen, ReadDialog) and "II.2" in str(app.screen.body)
        await burst(pilot, ["escape", "s", "4", "enter", "escape", "v"])
        assert isinstance(app.screen, ConfirmDialog)
        await burst(pilot, ["o", "s", "n"])  # validated, then the questionnaire: « n » is refused
        row = Store(tmp_path / "b.sqlite").get(d)
        assert row.validated_by == "Hélène Durand (Praticien hygiéniste, responsable de l’EOHH)"
        assert app.session is not None and app.session.answers["usagers_convoques"] == "oui"
        assert "LECTURE SEULE" in entry(app).sub_title


async def test_second_session_opens_read_only_and_can_retry(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    first = Store(tmp_path / "b.sqlite")
    assert first.acquire(d, "ana") is None
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.session is not None
        reason = app.session.read_only_reason()
        assert reason is not None and "ana" in reason
        assert "Reprendre la main" in str(app.screen.query_one("#state").render())
        await burst(pilot, ["s", "n"])
        assert app.session.answers["usagers_convoques"] == "oui"
        assert (entry(app).sub_title or "").startswith("LECTURE SEULE — ")  # first: a long title cannot push it out
        first.release(d)
        await burst(pilot, ["escape", "l", "s", "ctrl+g", *"II.4", "enter", "n"])
        assert app.session.editable and app.session.answers["usagers_convoques"] == "non"


async def test_after_deadline_entry_is_closed_and_validation_not_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILAN_TODAY", "2010-05-01")
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        state = str(app.screen.query_one("#state").render())
        assert "CAMPAGNE CLOSE" in state and "Consulter le bilan" in state and "Valider" not in state
        await burst(pilot, ["s", "ctrl+g", *"II.4", "enter", "n", "escape", "v"])
        assert app.session is not None and app.session.answers["usagers_convoques"] == "oui"
        assert isinstance(app.screen, HomeScreen)
        assert Store(tmp_path / "b.sqlite").get(d).validated_at is None


async def test_flagged_change_is_reported_for_the_ddass(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    s = Store(tmp_path / "b.sqlite")
    s.check_admin(d, "ana")
    s.close()
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, ["a", "ctrl+g", *"statut", "enter", "2", "escape"])
        assert "à valider par la DDASS" in str(app.screen.query_one("#state").render())
        flags = Store(tmp_path / "b.sqlite").flags(d)
        assert [(f.field, f.old, f.new) for f in flags] == [("statut", "public", "prive")]


async def test_chapter_list_on_a_narrow_terminal_holds_the_keys(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["s", "f3"])
        screen = entry(app)
        chapters = screen.query_one("#chapters", PickList)
        assert chapters.display and chapters.active and not screen.query_one("#side").display
        assert screen.query_one("#questions").size.width >= 40
        await burst(pilot, ["n", "down", "down", "enter"])  # « n » answers nothing while the list has the keys
        assert screen.cursor.page.number == "IV"
        assert not chapters.display and screen.query_one("#side").display
        assert app.session is not None and app.session.answers["usagers_convoques"] == "oui"


async def test_last_question_leads_to_the_recap(tmp_path: Path) -> None:
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        last = CAMPAIGN.chapters[-1].questions[-1].fields[-1].name
        await burst(pilot, ["s", "ctrl+g", *last, "enter", "enter"])
        assert isinstance(app.screen, TextScreen)
        # Échap goes back to the last question (to correct it), then home: the footer says so
        assert app.screen.active_bindings["escape"].binding.description == "Retour"
        await burst(pilot, ["escape"])
        assert isinstance(app.screen, EntryScreen)
        await burst(pilot, ["escape", "c", "escape"])
        assert isinstance(app.screen, HomeScreen)


async def test_escape_closes_a_one_line_dialog_whatever_was_typed(tmp_path: Path) -> None:
    """The dialog's box takes every key but Échap, which cancels as its last line says."""
    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["s", "ctrl+g", *"III", "escape"])
        screen = entry(app)
        assert screen.cursor.page.number == "II"  # no jump made
        await burst(pilot, ["escape", "e", "escape"])  # the export dialog, its file name proposed
        assert isinstance(app.screen, HomeScreen)
        assert not list(tmp_path.glob("*.toml"))


async def test_home_fits_an_80x24_terminal(tmp_path: Path) -> None:
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, [*"750712184", "enter", "escape"])
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#home").max_scroll_y == 0
        assert "Quitter" in str(app.screen.query_one("#state").render())


def test_history_lists_every_change_with_who_and_old_to_new(tmp_path: Path) -> None:
    from bilan.cli.resources import demo_declaration
    from bilan.entry.session import EntrySession

    store = Store(tmp_path / "h.sqlite")
    d = store.import_declaration("750712184", 2009, demo_declaration(CAMPAIGN), who="import test")
    store.set_answer(d, "reunions_clin", Fraction(2), who="Ana")
    store.set_justification(d, "ddj_total", "arrondis", who="Ana")
    session = EntrySession(store, CAMPAIGN, d)
    text = history_text(session).plain
    session.close()
    store.close()
    assert "import test  (import)" in text
    assert "Justification de l’avertissement « Le total des DDJ diffère" in text and "ddj_total" not in text
    last = text.strip().splitlines()[-4:-2]
    assert "Ana  (saisie)" in last[0]
    assert last[1].strip().startswith("II.2. Combien y a-t-il eu de réunions plénières du CLIN …")
    assert last[1].strip().endswith(" : 4 réunions → 2 réunions")


async def test_an_indicator_shown_only_once_computed_is_left_out_of_the_score_panel(tmp_path: Path) -> None:
    """SARM is `affiché si calculé` in questionnaire.bilan: a new establishment has no SARM data."""
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, [*"750712184", "enter"])
        shown = shown_text(entry(app).query_one("#scores", ScorePanel))
        assert "ICALIN" in shown and "SARM" not in shown
        assert app.session is not None and not app.session.result.indicators["SARM"].ok


async def test_a_paste_lands_in_the_box_under_the_cursor_and_never_drives_the_app(tmp_path: Path) -> None:
    """A terminal's paste used to be dropped without a word (no widget took it)."""
    from textual import events

    d = demo_store(CAMPAIGN, tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(100, 30)) as pilot:
        await burst(pilot, ["a", "ctrl+g", *"raison_sociale", "enter", "ctrl+u"])
        screen = entry(app)
        assert screen.cursor.position.field == "raison_sociale"
        app.post_message(events.Paste("Clinique des Lilas\n"))
        await burst(pilot, ["enter"])
        assert app.session is not None and app.session.answers["raison_sociale"] == "Clinique des Lilas"
        await burst(pilot, ["shift+tab"])
        app.post_message(events.Paste("Clinique \x1b[31mRouge\x07"))  # an escape sequence, a bell (ctrl+g)
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)  # no « Aller à » dialog opened
        assert "collage refusé : caractère non imprimable U+001B en position 10" in shown_text(
            screen.query_one("#status", Static)
        )
        await burst(pilot, ["enter"])
        assert app.session.answers["raison_sociale"] == "Clinique des Lilas"
        await burst(pilot, ["escape", "s", "ctrl+g", *"III.3", "enter"])  # a yes/no question
        app.post_message(events.Paste("oui"))  # would answer Oui with its « o », then type on
        await pilot.pause()
        assert "collage : seulement dans une case de nombre ou de texte" in shown_text(
            entry(app).query_one("#status", Static)
        )
        assert (entry(app).cursor.position.field, app.session.answers["correspondants"]) == ("correspondants", "oui")
