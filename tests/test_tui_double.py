"""The control by double keying in the app, keys sent in bursts: blind second keying, comparison, resolution."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, make_app, shown_text
from textual.containers import VerticalScroll
from textual.widgets import Static
from typist import burst, plan_keys

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.result import Declaration
from bilan.entry.double_entry import DoubleKeying
from bilan.entry.path import FormPath
from bilan.entry.session import EntrySession
from bilan.store.db import Store
from bilan.tui.dialogs import ConfirmDialog, ReadDialog
from bilan.tui.double_entry import DifferencesScreen, SecondKeyingScreen
from bilan.tui.entry import EntryScreen
from bilan.tui.home import HomeScreen
from bilan.tui.panels import PickList
from bilan.tui.question_view import QuestionView
from bilan.tui.recap import history_text

CAMPAIGN = load_campaign()
PAGES = 4  # the two identification fiches, chapters II and III
KEYED = {f.name for fields in FormPath(CAMPAIGN).fields[:PAGES] for f in fields}
FIRST = {k: v for k, v in demo_declaration(CAMPAIGN).answers.items() if k in KEYED}
SECOND = {**FIRST, "reunions_clin": Fraction(3), "correspondants": "non"}  # two answers read otherwise
pytestmark = pytest.mark.tui


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def first_keying(path: Path) -> int:
    store = Store(path)
    declaration = store.import_declaration("750712184", CAMPAIGN.year, Declaration(dict(FIRST)), who="Ana")
    store.close()
    return declaration


async def test_double_keying_blind_then_compared_then_resolved(tmp_path: Path) -> None:
    d = first_keying(tmp_path / "b.sqlite")
    keys = plan_keys(CAMPAIGN, SECOND, 0, PAGES, tmp_path / "scratch.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["2", "o"])  # asked first, then the form, empty
        screen = app.screen
        assert isinstance(screen, SecondKeyingScreen) and (screen.sub_title or "").startswith("DOUBLE SAISIE — ")
        shown = "".join(shown_text(v) for v in screen.query(QuestionView))
        assert "Raison sociale" in shown and "CHU exemple" not in shown  # nothing of the first keying
        palette = [c.title for c in app.get_system_commands(screen)]
        assert "Récapitulatif" not in palette and "Historique" not in palette and "Exporter en TOML" not in palette
        await burst(pilot, [*keys, "f5", "o", "2", "1"])  # typed, compared, two differences resolved
        differences = app.screen
        assert isinstance(differences, DifferencesScreen)
        listed = shown_text(differences.query_one(PickList))
        assert "II.2" not in listed and "Au moins un correspondant médical" in listed
        assert "1re saisie : 30 services" in listed and "2e saisie  : non renseigné" in listed
        assert differences.title == "Double saisie : 2 différence(s) à résoudre"
        assert shown_text(differences.query_one("#status", Static)).startswith("1re saisie retenue (Oui) : III.3 ")
        await burst(pilot, ["1", "down", "up", "2", "s"])  # the last choice ends it; « s » is the home's
        assert isinstance(app.screen, EntryScreen) and not isinstance(app.screen, SecondKeyingScreen)
    store = Store(tmp_path / "b.sqlite")
    answers = store.load(d).answers
    assert answers["reunions_clin"] == Fraction(3) and answers["correspondants"] == "oui"
    assert answers["services_correspondants.medical"] == Fraction(30)
    assert "services_correspondants.paramedical" not in answers
    history = store.history(d)
    hidden = {"services_correspondants.medical", "services_correspondants.paramedical"}
    typed = {k for k in SECOND if k != "finess" and k not in hidden}
    assert {c.field for c in history if c.origin == "double saisie"} == typed | {"double saisie"}
    assert [c.field for c in history if c.origin == "résolution"] == [
        "reunions_clin",
        "correspondants",
        "services_correspondants.medical",
        "services_correspondants.paramedical",
    ]
    assert store.second_keying(d) is None


async def test_a_second_keying_in_progress_holds_the_validation_and_resumes(tmp_path: Path) -> None:
    d = first_keying(tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["2", "o", *"CHU", "enter", "escape"])
        assert isinstance(app.screen, HomeScreen)
        state = str(app.screen.query_one("#state").render())
        assert "Validation : non validé (double saisie en cours : la terminer, puis comparer)" in state
        assert app.screen.query_one("#home").max_scroll_y == 0  # still one 80×24 page
        await burst(pilot, ["v"])
        assert isinstance(app.screen, ReadDialog) and "double saisie en cours" in str(app.screen.body)
        await burst(pilot, ["escape", "2"])  # resumed, not started again
        screen = app.screen
        assert isinstance(screen, SecondKeyingScreen) and screen.cursor.position.field == "adresse"
        assert Store(tmp_path / "b.sqlite").second_answers(d) == {"raison_sociale": "CHU"}
        last = CAMPAIGN.chapters[-1].questions[-1].fields[-1].name
        await burst(pilot, ["ctrl+g", *last, "enter", "enter"])  # Entrée on the last question: compare?
        assert isinstance(app.screen, ConfirmDialog) and app.screen.title_text == "Comparer les deux saisies ?"
        await burst(pilot, ["n", "f5", "o", "pagedown", "pagedown", "down"])
        differences = app.screen
        assert isinstance(differences, DifferencesScreen)
        assert len(differences.differences) == len(FIRST) - 1  # all but the FINESS, not keyed
        assert (
            differences.differences[0].first_text == "CHU exemple" and differences.differences[0].second_text == "CHU"
        )
        box = differences.query_one("#differences", VerticalScroll)
        assert differences.query_one(PickList).index == 21
        top = sum(3 + bool(d.label) for d in differences.differences[:21])  # a grid's row has a line of its own
        assert box.scroll_y <= top and top + 3 <= box.scroll_y + box.size.height  # the current one in view


def test_the_history_reads_both_keyings_and_each_choice(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite")
    first = EntrySession(store, CAMPAIGN, first_keying(tmp_path / "h.sqlite"))
    control = DoubleKeying(first)
    control.start()
    control.session().answer("reunions_clin", Fraction(3))
    control.compare()
    control.resolve("reunions_clin", 2)
    control.resolve("raison_sociale", 1)
    lines = history_text(first).plain.splitlines()[-10:]
    assert [line.split("  ", 2)[-1] for line in lines[::2]] == [
        "(double saisie)",
        "(double saisie)",
        "(double saisie)",
        "(résolution)",
        "(résolution)",
    ]
    assert lines[1].strip() == "Double saisie : commencée"
    assert lines[3].strip() == "II.2. Combien y a-t-il eu de réunions plénières du CLIN … : non renseigné → 3 réunions"
    assert lines[5].strip() == "Double saisie : comparée : 26 différence(s)"
    assert lines[7].endswith(" CLIN … : valeur retenue 3 réunions (écartée : 4 réunions)")  # the second keying's
    assert lines[9].strip() == "Raison sociale : valeur retenue CHU exemple (écartée : non renseigné)"  # the first's
    first_lines = [c for c in store.history(first.id) if c.origin == "import"]
    assert len(first_lines) == len(FIRST)  # the first keying's lines are all kept


async def test_a_validated_declaration_is_not_offered_a_second_keying(tmp_path: Path) -> None:
    """It was asked « Commencer une double saisie ? », then refused with the validation's date only."""
    d = first_keying(tmp_path / "b.sqlite")
    store = Store(tmp_path / "b.sqlite")
    store.validate(d, "Ana (hygiéniste)")
    store.close()
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["2"])
        assert isinstance(app.screen, HomeScreen)  # no question asked
        notices = [n.message for n in app._notifications]
        assert any(n.startswith("double saisie impossible : déclaration validée le ") for n in notices), notices
