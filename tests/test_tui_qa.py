"""Regressions found by driving the app as a new user would, at 80×24."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import OPEN_DAY, make_app

from bilan.cli.resources import load_campaign
from bilan.tui.entry import EntryScreen

CAMPAIGN = load_campaign()


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


async def new_establishment(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*"750712184", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EntryScreen)


async def test_arrows_move_between_questions_in_a_scrolled_page(tmp_path: Path) -> None:
    """↓ on a field moved the page under the focus (the scroll took the key) instead of the next question."""
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        assert app.focused is not None and app.focused.id == "f-finess"
        await pilot.press("down")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-raison_sociale"
        await pilot.press("down", "down", "down")  # text, text, then a choice
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-statut"
        await pilot.press("down")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-categorie"
        await pilot.press("up", "up")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-commune"


async def test_arrow_keeps_the_focus_on_an_invalid_value(tmp_path: Path) -> None:
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "down", "down", *"0475", "down")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-telephone"
        assert app.session is not None and "telephone" not in app.session.answers


async def test_chapter_list_on_a_narrow_terminal(tmp_path: Path) -> None:
    """F3 at 80 columns squeezed the questions into a 14-column strip and left the focus in the page."""
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        await pilot.press("escape", "s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        await pilot.press("f3")
        await pilot.pause()
        chapters = screen.query_one("#chapters")
        assert chapters.display and app.focused is chapters
        assert not screen.query_one("#side").display
        assert screen.query_one("#questions").size.width >= 40
        await pilot.press("down", "down", "enter")  # II → III → IV
        await pilot.pause()
        await pilot.pause()
        assert screen.index == 2
        assert not chapters.display and screen.query_one("#side").display
        assert app.focused is not None and app.focused.has_class("answer")
        await pilot.press("f3", "f3")
        await pilot.pause()
        assert not chapters.display and app.focused is not None and app.focused.has_class("answer")


def capture_notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    notes: list[str] = []
    notify = app.notify

    def keep(message: str, *args: object, **kwargs: object) -> None:
        notes.append(message)
        notify(message, *args, **kwargs)

    app.notify = keep
    return notes


async def test_field_error_says_what_is_expected_once(tmp_path: Path) -> None:
    """« adresse électronique invalide (attendu : …) ; attendu : une adresse électronique »."""
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        await pilot.press("escape", "r")
        await pilot.pause()
        notes = capture_notes(app)
        app.screen.query_one("#f-courriel").focus()
        await pilot.press(*"claire@ch-vallee", "enter")
        await pilot.pause()
        assert len(notes) == 1 and notes[0].count("attendu") == 1, notes


async def test_end_of_a_fiche_is_not_called_the_end_of_the_entry(tmp_path: Path) -> None:
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        await pilot.press("escape", "r")
        await pilot.pause()
        notes = capture_notes(app)
        app.screen.query_one("#f-courriel_directeur").focus()
        await pilot.press(*"direction@ch-vallee.fr", "enter")
        await pilot.pause()
        assert notes == [
            "Fin de la fiche « Identification du responsable de la déclaration » : Échap revient à l’accueil."
        ]


async def test_home_fits_an_80x24_terminal(tmp_path: Path) -> None:
    """The last actions (validate, help, quit) were below the bottom of the screen."""
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        await pilot.press("escape")
        await pilot.pause()
        home = app.screen.query_one("#home")
        assert home.max_scroll_y == 0
        assert "Quitter" in str(app.screen.query_one("#state").render())


async def test_score_panel_leaves_room_for_the_checks_at_80x24(tmp_path: Path) -> None:
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_establishment(pilot)
        await pilot.press("escape", "s")
        await pilot.pause()
        assert app.screen.query_one("#checks").size.height >= 6


def demo_store(path: Path) -> int:
    from bilan.cli.resources import demo_declaration
    from bilan.store.db import Store

    s = Store(path)
    d = s.import_declaration("750712184", 2009, demo_declaration(CAMPAIGN))
    s.close()
    return d


async def test_long_choice_labels_go_under_their_label_not_in_a_narrow_column(tmp_path: Path) -> None:
    """IV.3.2 at 80×24: « soumis pour délibération au conseil d’administratio » cut over 6 lines of 16 columns."""
    from textual.widgets import Label

    from bilan.tui.question_view import FieldLine

    d = demo_store(tmp_path / "b.sqlite")
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "ctrl+g", *"IV.3.2", "enter")
        await pilot.pause()
        lines = list(app.screen.query_one("#q-rapport_avis").query(FieldLine))
        assert lines and all(line.has_class("-stacked") for line in lines)
        for line in lines:
            label = line.query_one(".field-label", Label)
            assert label.size.width >= 40 and label.size.height <= 3
        await pilot.press("ctrl+g", *"V.1", "enter")
        await pilot.pause()
        view = app.screen.query_one("#q-" + CAMPAIGN.fields[app.focused.field.name].question)  # type: ignore[union-attr]
        rows = list(view.query(FieldLine))
        assert rows and not any(line.has_class("-stacked") for line in rows)
        assert all(line.query_one(".field-label", Label).size.height <= 3 for line in rows)


async def test_read_only_comes_first_in_the_header(tmp_path: Path) -> None:
    """« III – Equipe opérationnelle … — 10/10 réponses — LEC… »: the 80-column header cut the warning."""
    from bilan.store.db import Store

    d = demo_store(tmp_path / "b.sqlite")
    holder = Store(tmp_path / "b.sqlite")
    assert holder.acquire(d, "ana") is None
    app = make_app(CAMPAIGN, tmp_path / "b.sqlite", d)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.sub_title.startswith("LECTURE SEULE — ")


def test_validation_problems_are_grouped_by_question(tmp_path: Path) -> None:
    """A grid left empty is one line of the refusal, with its rows named, not one line per row."""
    from bilan.cli.resources import demo_declaration
    from bilan.store.db import Store
    from bilan.tui.app import validation_problems
    from bilan.tui.session import Session

    campaign = load_campaign()
    decl = demo_declaration(campaign)
    for row in ("mains", "standard", "sondage", "intravasculaires"):
        decl.answers.pop(f"protocoles.{row}")
    store = Store(tmp_path / "s.sqlite")
    d = store.import_declaration("750712184", 2009, decl)
    session = Session(store, campaign, d)
    lines = [line for line in validation_problems(session) if "réponse manquante" in line]
    session.close()
    store.close()
    assert len(lines) == 1
    assert "V.1" in lines[0] and "4 ligne(s)" in lines[0] and "1) Hygiène des mains" in lines[0]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["2"], 2),  # no other category starts with 2: chosen at once
        (["1", "3"], 13),  # 13: the second digit decides
        (["1", "enter"], 1),  # 1 is also the start of 10 to 14: Enter confirms
        (["8", "9"], 9),  # no category 8 (rebasculée in 2 and 3): a fresh start with 9
    ],
)
def test_numbered_options_are_typed_by_their_number(keys: list[str], expected: int) -> None:
    from bilan.tui.fields import ChoiceInput, keys_for_code

    campaign = load_campaign()
    field = campaign.fields["categorie"]
    widget = ChoiceInput(field, None)
    posted: list[object] = []
    widget.post_message = posted.append  # type: ignore[method-assign]
    from textual import events

    for key in keys:
        widget.on_key(events.Key(key, key if key.isdigit() else None))
    assert [m.value for m in posted] == [expected]  # type: ignore[attr-defined]
    assert keys_for_code(widget.ftype, expected)[0] == str(expected)[0]


def test_history_screen_lists_every_change_with_who_and_old_to_new(tmp_path: Path) -> None:
    from fractions import Fraction

    from bilan.cli.resources import demo_declaration
    from bilan.store.db import Store
    from bilan.tui.recap import history_text
    from bilan.tui.session import Session

    campaign = load_campaign()
    store = Store(tmp_path / "h.sqlite")
    d = store.import_declaration("750712184", 2009, demo_declaration(campaign), who="import test")
    store.set_answer(d, "reunions_clin", Fraction(2), who="Ana")
    session = Session(store, campaign, d)
    text = history_text(session).plain
    session.close()
    store.close()
    assert "import test  (import)" in text
    last = text.strip().splitlines()[-2:]
    assert "Ana  (saisie)" in last[0]
    assert last[1].strip().startswith("II.2. Combien y a-t-il eu de réunions plénières du CLIN …")
    assert last[1].strip().endswith(" : 4 réunions → 2 réunions")
