"""The control by double keying without a terminal: a blind second keying typed through the entry
cursor, compared field by field with the first, each difference resolved and kept in the history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from typist import char_of, keys_for

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.common.errors import UserError
from bilan.engine.expr import Value
from bilan.engine.result import Declaration
from bilan.entry.cursor import EntryCursor
from bilan.entry.double_entry import DoubleKeying, compare
from bilan.entry.path import FormPath
from bilan.entry.session import EntrySession
from bilan.store.db import Store

CAMPAIGN = load_campaign()
PATH = FormPath(CAMPAIGN)
OPEN_DAY = "2010-04-01"
II, III = 2, 3  # the pages of chapters II and III (after the two identification fiches)
DEMO = dict(demo_declaration(CAMPAIGN).answers)


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def open_session(
    store: Store, answers: dict[str, Value] | None = None, blocks: frozenset[str] = frozenset()
) -> EntrySession:
    decl = store.import_declaration("750712184", 2009, Declaration(answers or {"finess": "750712184"}, blocks))
    return EntrySession(store, CAMPAIGN, decl)


def type_pages(session: EntrySession, target: dict[str, Value], *pages: int) -> None:
    """Type `target` into whole pages through the entry cursor, as an operator does from the paper form."""
    for page in pages:
        cursor = EntryCursor(session, PATH, page=page)
        while cursor.position.page == page:
            field = cursor.field
            assert field is not None
            for key in keys_for(field, session.answers.get(field.name), target.get(field.name)):
                outcome = cursor.press(key, char_of(key))
                assert cursor.halt is None, (field.name, key, outcome)
            if outcome.end_of_form:
                break


SECOND = {**DEMO, "reunions_clin": Fraction(3), "correspondants": "non"}  # what the second person read


def keyed_twice(store: Store) -> tuple[EntrySession, DoubleKeying]:
    """Chapters II and III typed by a first person, then blind by a second one who read two answers otherwise."""
    first = open_session(store)
    type_pages(first, DEMO, II, III)
    control = DoubleKeying(first)
    assert control.start() is None
    type_pages(control.session(), SECOND, II, III)
    return first, control


# ----------------------------------------------------------------------------- blind


def test_the_second_keying_starts_empty_and_shows_nothing_of_the_first(store: Store) -> None:
    first = open_session(store, DEMO, frozenset(demo_declaration(CAMPAIGN).blocks))
    control = DoubleKeying(first)
    assert control.start() is None
    second = control.session()
    data = {f.name for block in CAMPAIGN.data_blocks for f in block.fields() if f.name in DEMO}
    assert data and set(second.answers) == {"finess", *data}  # the key and the imported figures, nothing keyed
    assert second.result.missing and not first.result.missing  # scores and checks are its own
    assert "services_correspondants.medical" in first.result.visible
    assert "services_correspondants.medical" not in second.result.visible  # its own answers open its branches
    cursor = EntryCursor(second, PATH, page=III)
    assert cursor.draft.text == ""  # the box under the cursor does not show the first keying's 2,5
    type_pages(second, {**DEMO, "correspondants": "non"}, III)
    assert "services_correspondants.medical" not in store.second_answers(first.id)  # the closed branch was skipped


def test_the_second_keying_uses_the_same_keys_and_refusals(store: Store) -> None:
    first = open_session(store, DEMO)
    control = DoubleKeying(first)
    control.start()
    cursor = EntryCursor(control.session(), PATH, "reunions_clin")
    outcomes = [cursor.press(k, char_of(k)) for k in ("1", "5", "0", "enter")]
    assert outcomes[2].refusal and "2 chiffres au plus" in outcomes[2].refusal
    assert cursor.halt is not None and store.second_answers(first.id) == {}
    cursor.press("backspace")
    cursor.press("enter")
    assert store.second_answers(first.id) == {"reunions_clin": Fraction(15)}
    assert store.load(first.id).answers["reunions_clin"] == Fraction(4)  # the declaration is not touched
    assert cursor.position.field == "reunions_groupes"


def test_the_second_keying_confirms_flags_and_justifies_nothing_on_the_declaration(store: Store) -> None:
    first = open_session(store, DEMO)
    control = DoubleKeying(first)
    control.start()
    second = control.session()
    type_pages(second, {**DEMO, "statut": "prive"}, 0)  # the whole fiche, then on to the next page
    assert store.second_answers(first.id)["statut"] == "prive"
    assert store.get(first.id).admin_checked_at is None  # checked on the declaration, not on its control
    store.check_admin(first.id, "ana")
    second.row = store.get(first.id)
    assert second.answer("statut", "public").stored
    assert store.flags(first.id) == []  # only a change of the declaration is flagged for the DDASS
    refusal = second.justify("ddj_total", "erreur de saisie")
    assert refusal and "rien ne se justifie" in refusal
    assert store.load(first.id).justifications == {}


def test_the_second_keying_resumes_where_it_was_left_and_the_declaration_keeps_its_place(store: Store) -> None:
    first = open_session(store, DEMO)
    EntryCursor(first, PATH, "projet")
    control = DoubleKeying(first)
    control.start()
    cursor = EntryCursor(control.session(), PATH, "reunions_clin")
    cursor.press("down")
    cursor.press("down")
    state = control.state
    assert state is not None and state.last_field == "usagers_convoques"
    assert store.get(first.id).last_field == "projet"


# ----------------------------------------------------------------------------- comparison


def test_both_keyings_typed_through_the_cursor_are_compared_field_by_field(store: Store) -> None:
    _, control = keyed_twice(store)
    found, refusal = control.compare()
    assert refusal is None
    assert [(d.field, d.first_text, d.second_text) for d in found] == [
        ("reunions_clin", "4 réunions", "3 réunions"),
        ("correspondants", "Oui", "Non"),
        ("services_correspondants.medical", "30 services", "non renseigné"),  # hidden by the second keying
        ("services_correspondants.paramedical", "35 services", "non renseigné"),
    ]
    assert found[0].where.startswith("II.2 Combien y a-t-il eu de réunions plénières du CLIN")
    assert found[0].label == "" and found[2].label == "Au moins un correspondant médical"
    assert (found[0].first, found[0].second) == (Fraction(4), Fraction(3))


def test_hidden_answers_are_compared_too() -> None:
    first: dict[str, Value] = {"correspondants": "non", "services_correspondants.medical": Fraction(30)}  # kept, masked
    second: dict[str, Value] = {"correspondants": "non"}
    found = compare(CAMPAIGN, PATH, first, second)
    assert [(d.field, d.first, d.second) for d in found] == [("services_correspondants.medical", Fraction(30), None)]


def test_the_finess_and_imported_data_are_not_keyed_so_never_differ() -> None:
    first: dict[str, Value] = {"finess": "750712184", "sae.medecine": Fraction(12000), "reunions_clin": Fraction(4)}
    second: dict[str, Value] = {"finess": "330781196", "reunions_clin": Fraction(4)}
    assert compare(CAMPAIGN, PATH, first, second) == []


def test_comparing_closes_the_second_keying_to_keys(store: Store) -> None:
    first, control = keyed_twice(store)
    session = control.session()
    control.compare()
    cursor = EntryCursor(session, PATH, "reunions_clin")
    outcome = cursor.press("5", "5")
    assert outcome.refusal and "double saisie close" in outcome.refusal
    assert store.second_answers(first.id)["reunions_clin"] == Fraction(3)
    with pytest.raises(UserError, match="double saisie close"):
        store.set_second_answer(first.id, "reunions_clin", Fraction(5), "marc")


def test_two_keyings_that_agree_end_the_control_at_once(store: Store) -> None:
    first = open_session(store)
    type_pages(first, DEMO, II)
    control = DoubleKeying(first)
    control.start()
    type_pages(control.session(), DEMO, II)
    assert control.compare() == ([], None)
    assert control.state is None
    assert [c.new for c in store.history(first.id) if c.origin == "double saisie" and c.field == "double saisie"] == [
        "commencée",
        "comparée : 0 différence(s)",
        "terminée : saisies concordantes",
    ]


# ----------------------------------------------------------------------------- resolution


def test_each_difference_is_resolved_and_the_history_keeps_both_keyings(store: Store) -> None:
    first, control = keyed_twice(store)
    control.compare()
    assert control.resolve("reunions_clin", 2).answer is not None  # the second value goes into the declaration
    assert control.resolve("correspondants", 1).answer is None  # the first one stays: nothing to store
    assert [d.field for d in control.differences()] == [
        "services_correspondants.medical",
        "services_correspondants.paramedical",
    ]
    assert not control.resolve("services_correspondants.medical", 1).finished
    last = control.resolve("services_correspondants.paramedical", 2)
    assert last.finished and last.refusal is None and control.state is None
    expected = {**DEMO, "reunions_clin": Fraction(3)}
    chapters = {f.name for page in (II, III) for f in PATH.fields[page]}
    expected = {k: v for k, v in expected.items() if k in chapters and k != "services_correspondants.paramedical"}
    assert store.load(first.id).answers == {"finess": "750712184", **expected}
    assert first.answers == store.load(first.id).answers  # the session saw every change
    history = store.history(first.id)
    typed_first = [(c.field, c.new) for c in history if c.origin == "saisie" and c.field == "reunions_clin"]
    typed_second = [(c.field, c.new) for c in history if c.origin == "double saisie" and c.field == "reunions_clin"]
    assert typed_first == [("reunions_clin", Fraction(4))] and typed_second == [("reunions_clin", Fraction(3))]
    resolved = [(c.field, c.old, c.new) for c in history if c.origin == "résolution"]
    assert resolved == [  # old: the value dropped, new: the value kept
        ("reunions_clin", Fraction(4), Fraction(3)),
        ("correspondants", "non", "oui"),
        ("services_correspondants.medical", None, Fraction(30)),
        ("services_correspondants.paramedical", Fraction(35), None),
    ]
    assert history[-1].field == "double saisie" and history[-1].new == "terminée : saisies concordantes"


def test_a_resolution_goes_through_the_session_so_its_checks_fire(store: Store) -> None:
    answers: dict[str, Value] = {"finess": "750712184", "services_total": Fraction(10), "correspondants": "oui"}
    first = open_session(store, {**answers, "services_correspondants.medical": Fraction(8)})
    control = DoubleKeying(first)
    control.start()
    second = control.session()
    for name, value in {**answers, "services_correspondants.medical": Fraction(12)}.items():
        second.answer(name, value)
    control.compare()
    done = control.resolve("services_correspondants.medical", 2)
    assert done.answer is not None and done.answer.stored
    assert [c.check.name for c in done.answer.fired] == ["correspondants_medicaux_max"]  # 12 services of 10


def test_a_resolution_is_refused_when_the_declaration_cannot_change(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, control = keyed_twice(store)
    control.compare()
    monkeypatch.setenv("BILAN_TODAY", "2010-05-01")
    for keep in (1, 2):
        refused = control.resolve("reunions_clin", keep)
        assert refused.refusal and "campagne close" in refused.refusal
    assert store.load(first.id).answers["reunions_clin"] == Fraction(4)
    assert store.second_answers(first.id)["reunions_clin"] == Fraction(3)
    assert len(control.differences()) == 4


def test_a_difference_already_resolved_is_not_resolved_twice(store: Store) -> None:
    _, control = keyed_twice(store)
    control.compare()
    control.resolve("reunions_clin", 1)
    again = control.resolve("reunions_clin", 2)
    assert again.refusal and "concordent déjà" in again.refusal


def test_abandoning_leaves_the_declaration_as_it_was(store: Store) -> None:
    first, control = keyed_twice(store)
    before = store.load(first.id).answers
    assert control.abandon() is None
    assert control.state is None and store.second_answers(first.id) == {}
    assert store.load(first.id).answers == before
    assert store.history(first.id)[-1].new == "abandonnée"
    assert any(c.origin == "double saisie" and c.field == "reunions_clin" for c in store.history(first.id))


# ----------------------------------------------------------------------------- validation, one at a time


def test_no_validation_while_a_second_keying_is_in_progress(store: Store) -> None:
    first = open_session(store, DEMO)
    assert first.validation_problems() == []
    control = DoubleKeying(first)
    control.start()
    problems = first.validation_problems()
    assert len(problems) == 1 and problems[0].startswith("• double saisie en cours (commencée le 01/04/2010")
    assert "la terminer, comparer, résoudre" in problems[0]
    assert first.validate() == problems[0]
    second = control.session()
    for field in (f for fields in PATH.fields for f in fields if f.name in DEMO and f.name != "finess"):
        second.answer(field.name, Fraction(5) if field.name == "reunions_clin" else DEMO[field.name])
    assert control.compare()[0][0].field == "reunions_clin"
    assert "résoudre ses différences" in first.validation_problems()[0]
    with pytest.raises(UserError, match="double saisie en cours"):  # the store refuses it too (another process)
        store.validate(first.id, "ana")
    assert store.get(first.id).validated_at is None
    control.resolve("reunions_clin", 1)
    assert control.state is None and first.validation_problems() == []
    assert first.validate() is None


def test_the_second_keying_itself_is_never_validated(store: Store) -> None:
    first = open_session(store, DEMO)
    control = DoubleKeying(first)
    control.start()
    refusal = control.session().validate()
    assert refusal and "ne se valide pas" in refusal
    assert store.get(first.id).validated_at is None


def test_only_one_second_keying_at_a_time(store: Store) -> None:
    first = open_session(store, DEMO)
    control = DoubleKeying(first)
    assert control.start() is None
    refusal = control.start()
    assert refusal and "déjà en cours" in refusal and "01/04/2010" in refusal


def test_two_processes_starting_a_second_keying_at_once(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite"
    a, b = Store(path), Store(path)  # two processes: two connections, two lease tokens
    decl = a.import_declaration("750712184", 2009, Declaration(DEMO))
    a.start_second_keying(decl, "ana")
    with pytest.raises(UserError, match="ouverte en écriture par ana"):  # a's write took the declaration
        b.start_second_keying(decl, "marc")
    a.release(decl)
    with pytest.raises(UserError, match="déjà en cours"):  # one second keying at a time
        b.start_second_keying(decl, "marc")
    first = EntrySession(b, CAMPAIGN, decl)  # b holds the declaration now: a is refused by the lease
    assert first.holder is None
    with pytest.raises(UserError, match="ouverte en écriture"):
        a.set_second_answer(decl, "reunions_clin", Fraction(3), "ana")


def test_no_second_keying_on_a_validated_or_closed_declaration(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    first = open_session(store, DEMO)
    monkeypatch.setenv("BILAN_TODAY", "2010-05-01")
    refusal = DoubleKeying(first).start()
    assert refusal and "campagne close" in refusal
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)
    assert first.validate() is None
    refusal = DoubleKeying(first).start()
    assert refusal and "validée" in refusal
    assert store.second_keying(first.id) is None


# ----------------------------------------------------------------------------- a killed terminal


TYPIST = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bilan.cli.resources import load_campaign
    from bilan.entry.cursor import EntryCursor
    from bilan.entry.double_entry import DoubleKeying
    from bilan.entry.path import FormPath
    from bilan.entry.session import EntrySession
    from bilan.store.db import Store

    campaign = load_campaign()
    first = EntrySession(Store(Path(sys.argv[1])), campaign, int(sys.argv[2]))
    control = DoubleKeying(first)
    assert control.start() is None
    cursor = EntryCursor(control.session(), FormPath(campaign), "reunions_clin")
    for key in ["3", "enter", "7", "enter", "n", "2"]:  # « 2 » is being typed in III.1 when the terminal dies
        cursor.press(key, key)
    print("typed", flush=True)
    time.sleep(120)
    """
)


@pytest.mark.system
def test_a_second_keying_survives_a_killed_terminal(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite"
    store = Store(path)
    decl = store.import_declaration("750712184", 2009, Declaration(DEMO))
    store.close()
    typist = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(path), str(decl)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert typist.stdout is not None and typist.stdout.readline() == "typed\n"
    finally:
        typist.send_signal(signal.SIGKILL)
        typist.wait()
    store = Store(path)
    first = EntrySession(store, CAMPAIGN, decl)  # the dead process's lease is taken over
    assert first.editable
    control = DoubleKeying(first)
    state = control.state
    assert state is not None and state.last_field == "eohh.medecin"  # resumes in the box being typed
    assert store.second_answers(decl) == {
        "reunions_clin": Fraction(3),
        "reunions_groupes": Fraction(7),
        "usagers_convoques": "non",
    }  # all but the field being typed
    assert control.start() is not None  # still the one in progress: not a second one
    store.close()
