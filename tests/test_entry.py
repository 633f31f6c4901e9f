"""The entry layer without a terminal: what each key does, where the cursor goes, what is refused."""

from __future__ import annotations

import os
import socket
from fractions import Fraction

import pytest
from typist import char_of, keys_for

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.expr import Value
from bilan.engine.result import Declaration
from bilan.entry.cursor import EntryCursor, Outcome
from bilan.entry.keystrokes import Commit, Draft, Edit, Move, Refuse, pasted_keys, press
from bilan.entry.path import FormPath
from bilan.entry.session import EntrySession
from bilan.store.db import Store

CAMPAIGN = load_campaign()
PATH = FormPath(CAMPAIGN)
OPEN_DAY = "2010-04-01"


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", OPEN_DAY)


def open_session(store: Store, answers: dict[str, Value] | None = None) -> EntrySession:
    decl = store.import_declaration("750712184", 2009, Declaration(answers or {"finess": "750712184"}))
    return EntrySession(store, CAMPAIGN, decl)


def demo_answers() -> dict[str, Value]:
    return dict(demo_declaration(CAMPAIGN).answers)


def type_keys(cursor: EntryCursor, *keys: str) -> list[Outcome]:
    return [cursor.press(k, char_of(k)) for k in keys]


def at(session: EntrySession, field: str) -> EntryCursor:
    cursor = EntryCursor(session, PATH, field)
    assert cursor.position.field == field
    return cursor


# ----------------------------------------------------------------------------- one key, one field


@pytest.mark.parametrize(
    ("field", "keys", "expected"),
    [
        ("reunions_clin", ["1", "2"], "12"),  # 2 digits: taken
        ("eohh.medecin", ["0", "comma", "5"], "0,5"),  # a decimal comma
        ("eohh.medecin", ["0", "full_stop", "2", "5"], "0.25"),  # a point is a decimal separator too
    ],
)
def test_number_keys_edit_the_draft(field: str, keys: list[str], expected: str) -> None:
    f = CAMPAIGN.fields[field]
    draft = Draft()
    for key in keys:
        action = press(f, None, draft, key, char_of(key))
        assert isinstance(action, Edit)
        draft = action.draft
    assert draft.text == expected


@pytest.mark.parametrize(
    ("field", "typed", "key", "why"),
    [
        ("reunions_clin", "15", "0", "2 chiffres au plus"),  # 150 in a 2-digit box: refused, never truncated to 15
        ("eohh.medecin", "12", "3", "2 chiffres au plus avant la virgule"),
        ("eohh.medecin", "1,25", "5", "2 décimales au plus"),
        ("eohh.medecin", "1,2", "comma", "une seule virgule"),
        ("reunions_clin", "1", "comma", "nombre entier"),
        ("reunions_clin", "", "o", "chiffres seulement"),  # a letter in a number field
        ("reunions_clin", "", "²", "chiffres seulement"),  # a digit to Python, not to a number field
        ("reunions_clin", "", "٧", "chiffres seulement"),  # Arabic-Indic seven
    ],
)
def test_a_number_field_refuses_what_it_cannot_hold(field: str, typed: str, key: str, why: str) -> None:
    draft = Draft(typed, len(typed), fresh=False)
    action = press(CAMPAIGN.fields[field], None, draft, key, char_of(key))
    assert isinstance(action, Refuse) and why in action.message, action


def test_the_first_key_replaces_the_answer_shown() -> None:
    f = CAMPAIGN.fields["reunions_clin"]
    action = press(f, Fraction(4), Draft.of(f, Fraction(4)), "7", "7")
    assert isinstance(action, Edit) and action.draft.text == "7"


def test_text_refuses_control_characters() -> None:
    f = CAMPAIGN.fields["nom"]
    for char in ("\x1b", "\x00", "\u202e", "\u200b"):
        assert press(f, None, Draft(), "x", char) is None  # not a character a person types: not taken


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["2"], 2),  # no other category starts with 2: chosen at once
        (["1", "3"], 13),  # 13: the second digit decides
        (["1", "enter"], 1),  # 1 is also the start of 10 to 14: Entrée confirms
        (["1", "9"], 9),  # no category 19: a fresh start with 9
    ],
)
def test_numbered_options_are_typed_by_their_number(keys: list[str], expected: int) -> None:
    f = CAMPAIGN.fields["categorie"]
    draft = Draft()
    actions = []
    for key in keys:
        action = press(f, None, draft, key, char_of(key))
        actions.append(action)
        if isinstance(action, Edit):
            draft = action.draft
    assert actions[-1] == Commit(expected, 1)
    assert all(isinstance(a, Edit) for a in actions[:-1])


def test_a_number_no_option_has_is_refused() -> None:
    action = press(CAMPAIGN.fields["categorie"], None, Draft(), "8", "8")  # category 8 was split into 2 and 3
    assert isinstance(action, Refuse) and "aucune réponse n’a ce numéro" in action.message


def test_multiple_choice_keys_and_space_toggle_enter_moves_on() -> None:
    f = CAMPAIGN.fields["disciplines"]
    assert press(f, None, Draft(), "1", "1") == Commit(frozenset({"cardiaque"}), 0)
    assert press(f, frozenset({"cardiaque"}), Draft(), "1", "1") == Commit(None, 0)
    moved = press(f, None, Draft(), "right", None)
    assert isinstance(moved, Edit) and moved.draft.option == 1
    assert press(f, None, moved.draft, "space", " ") == Commit(frozenset({"digestive"}), 0)
    assert press(f, frozenset({"digestive"}), Draft(), "enter", None) == Move(1)


def test_yes_no_keys_answer_and_move_on() -> None:
    f = CAMPAIGN.fields["usagers_convoques"]
    assert press(f, None, Draft(), "o", "o") == Commit("oui", 1)
    assert press(f, None, Draft(), "y", "y") == Commit("oui", 1)
    assert press(f, None, Draft(), "n", "n") == Commit("non", 1)
    assert press(f, "oui", Draft(), "enter", None) == Move(1)
    assert press(f, "oui", Draft(), "backspace", None) == Commit(None, 0)
    refused = press(f, None, Draft(), "p", "p")
    assert isinstance(refused, Refuse) and "o Oui, n Non" in refused.message


# ----------------------------------------------------------------------------- the path


def test_the_path_skips_hidden_questions_and_crosses_pages(store: Store) -> None:
    session = open_session(store, {"finess": "750712184", "correspondants": "non"})
    cursor = at(session, "correspondants")
    type_keys(cursor, "enter")
    assert cursor.position.field == "projet"  # III.3.x hidden by « Non »; next page (IV)
    type_keys(cursor, "up")
    assert cursor.position.field == "correspondants"
    type_keys(cursor, "o")  # « Oui » opens the branch: the cursor goes into it
    assert cursor.position.field == "services_correspondants.medical"


def test_arrows_move_exactly_one_field_per_press(store: Store) -> None:
    session = open_session(store)
    cursor = EntryCursor(session, PATH, page=0)
    order = PATH.visible(0, session.result)
    assert order[0] == "raison_sociale"  # the FINESS number is shown, never under the cursor
    for i in range(1, 5):
        type_keys(cursor, "down")
        assert cursor.position.field == order[i]
    type_keys(cursor, "up", "up")
    assert cursor.position.field == order[2]


def test_pages_follow_the_national_site(store: Store) -> None:
    session = open_session(store)
    cursor = EntryCursor(session, PATH, page=0)
    names = []
    for _ in range(len(PATH.pages)):
        names.append(cursor.page.name)
        type_keys(cursor, "pagedown")
    assert names[:3] == ["etablissement", "declarant", CAMPAIGN.chapters[0].name]
    assert names[2:] == [c.name for c in CAMPAIGN.chapters]


def test_a_whole_declaration_typed_through_the_entry_layer(store: Store) -> None:
    """Every answer of the demo typed by keys, Entrée as the only « next »: the store holds them all."""
    data = {f.name for s in CAMPAIGN.data_blocks for f in s.fields()}
    target = {k: v for k, v in demo_answers().items() if k not in data}
    session = open_session(store)
    cursor = EntryCursor(session, PATH, page=0)
    for _ in range(1000):
        field = cursor.field
        assert field is not None
        outcomes = type_keys(cursor, *keys_for(field, session.answers.get(field.name), target.get(field.name)))
        assert cursor.halt is None, outcomes
        if outcomes[-1].end_of_form:
            break
    assert store.load(session.id).answers == target


# ----------------------------------------------------------------------------- refusals and errors hold


def test_a_refused_key_holds_the_cursor_until_it_is_acknowledged(store: Store) -> None:
    session = open_session(store)
    cursor = at(session, "reunions_clin")
    outcomes = type_keys(cursor, "1", "5", "0", "enter", "o", "4")
    assert outcomes[2].refusal and "2 chiffres au plus" in outcomes[2].refusal
    assert cursor.position.field == "reunions_clin" and cursor.halt is not None and cursor.halt.ignored == 3
    assert "reunions_clin" not in session.answers  # neither 15 nor 150: nothing stored
    type_keys(cursor, "backspace")  # read: the draft is back, still 15
    assert cursor.halt is None and cursor.draft.text == "15"
    type_keys(cursor, "ctrl+u", "3", "enter")
    assert session.answers["reunions_clin"] == Fraction(3) and cursor.position.field == "reunions_groupes"


def test_an_invalid_value_is_refused_at_enter(store: Store) -> None:
    session = open_session(store)
    cursor = at(session, "courriel")
    outcomes = type_keys(cursor, *"claire@ch-vallee", "enter")
    refusal = outcomes[-1].refusal
    assert refusal is not None and refusal.count("attendu") == 1
    assert cursor.position.field == "courriel" and "courriel" not in session.answers


def test_an_error_fired_by_an_answer_holds_the_cursor_and_names_the_other_fields(store: Store) -> None:
    session = open_session(store, {"finess": "750712184", "services_total": Fraction(10), "correspondants": "oui"})
    cursor = at(session, "services_correspondants.medical")
    outcomes = type_keys(cursor, "1", "2", "enter", "8", "enter")
    held = outcomes[2]
    assert held.answer is not None and held.answer.stored  # the answer is kept: it is the pair that is wrong
    assert held.refusal and "ne peut pas dépasser" in held.refusal and "III.2" in held.refusal
    assert cursor.position.field == "services_correspondants.medical"
    assert session.answers["services_correspondants.medical"] == Fraction(12)  # « 8 » did not overwrite it
    assert cursor.halt is not None and cursor.halt.ignored == 2
    type_keys(cursor, "f6")  # go on explicitly: the error stays listed
    assert cursor.position.field == "services_correspondants.paramedical"
    assert any(c.check.name == "correspondants_medicaux_max" for c in session.result.checks)


def test_correcting_the_value_clears_the_error(store: Store) -> None:
    session = open_session(store, {"finess": "750712184", "services_total": Fraction(10), "correspondants": "oui"})
    cursor = at(session, "services_correspondants.medical")
    type_keys(cursor, "1", "2", "enter", "backspace", "8", "enter")
    assert cursor.halt is None and cursor.position.field == "services_correspondants.paramedical"
    assert session.answers["services_correspondants.medical"] == Fraction(8)


def test_j_asks_for_the_justification_of_a_warning_here(store: Store) -> None:
    answers: dict[str, Value] = {"finess": "750712184", "services_total": Fraction(10), "correspondants": "oui"}
    session = open_session(store, answers)
    cursor = at(session, "services_correspondants.medical")
    type_keys(cursor, "0", "enter", "0", "enter", "up")
    outcome = cursor.press("j", "j")
    assert outcome.justify is not None and outcome.justify.name == "correspondants_aucun"
    assert session.justify("correspondants_aucun", "aucun correspondant désigné cette année") is None
    assert session.result.checks[0].justification == "aucun correspondant désigné cette année"


# ----------------------------------------------------------------------------- who may change what


def test_the_finess_number_cannot_be_changed(store: Store) -> None:
    session = open_session(store)
    outcome = session.answer("finess", "330781196")
    assert outcome.refusal and "identifie la déclaration" in outcome.refusal
    assert store.load(session.id).answers["finess"] == "750712184"


def test_read_only_after_the_deadline(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    session = open_session(store, demo_answers())
    monkeypatch.setenv("BILAN_TODAY", "2010-05-01")
    cursor = at(session, "usagers_convoques")
    outcome = cursor.press("n", "n")
    assert outcome.refusal and "campagne close" in outcome.refusal
    assert session.answers["usagers_convoques"] == "oui" and cursor.halt is None
    assert session.validation_problems() == [session.read_only_reason()]


def test_validation_refused_then_done_then_locked(store: Store) -> None:
    answers = demo_answers()
    answers.pop("reunions_clin")
    session = open_session(store, answers)
    problems = session.validation_problems()
    assert len(problems) == 1 and "II.2" in problems[0]
    assert session.validate() == problems[0]
    assert session.answer("reunions_clin", Fraction(4)).stored
    assert session.validate() is None
    assert store.get(session.id).validated_by == "Hélène Durand (Praticien hygiéniste, responsable de l’EOHH)"
    refused = session.answer("reunions_clin", Fraction(2))
    assert refused.refusal and "validée" in refused.refusal


def test_validation_problems_are_grouped_by_question(store: Store) -> None:
    """A grid left empty is one line of the refusal, with its rows named, not one line per row."""
    answers = demo_answers()
    for row in ("mains", "standard", "sondage", "intravasculaires"):
        answers.pop(f"protocoles.{row}")
    lines = [line for line in open_session(store, answers).validation_problems() if "réponse manquante" in line]
    assert len(lines) == 1
    assert "V.1" in lines[0] and "4 ligne(s)" in lines[0] and "1) Hygiène des mains" in lines[0]


def test_admin_data_confirmed_when_the_fiche_is_left_complete_then_changes_are_flagged(store: Store) -> None:
    answers = {k: v for k, v in demo_answers().items() if k in {f.name for f in PATH.fields[0]}}
    session = open_session(store, answers)
    cursor = EntryCursor(session, PATH, page=0)
    outcome = cursor.change_page(1)
    assert outcome.notice and "signalée à la DDASS" in outcome.notice
    assert store.get(session.id).admin_checked_at is not None
    cursor = at(session, "statut")
    changed = type_keys(cursor, "2")[0]
    assert changed.answer is not None and changed.answer.flagged
    assert [(f.field, f.old, f.new) for f in store.flags(session.id)] == [("statut", "public", "prive")]


def test_resuming_at_the_last_visited_question(store: Store) -> None:
    session = open_session(store, demo_answers())
    cursor = at(session, "reunions_clin")
    type_keys(cursor, "down", "down")  # visited, not answered
    assert store.get(session.id).last_field == "usagers_convoques"


# ----------------------------------------------------------------------------- leases


def plant_lease(store: Store, declaration: int, host: str, pid: int, heartbeat: str) -> None:
    with store.conn:
        store.conn.execute(
            "INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?, ?, ?, ?)",
            (declaration, "other", "ana", host, pid, heartbeat, heartbeat),
        )


def dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_a_dead_session_on_this_machine_is_taken_over_at_once(store: Store) -> None:
    decl = store.import_declaration("750712184", 2009, Declaration({"finess": "750712184"}))
    plant_lease(store, decl, socket.gethostname(), dead_pid(), "2010-04-01T10:00:00")
    session = EntrySession(store, CAMPAIGN, decl)
    assert session.holder is None and session.editable


def test_a_session_on_another_machine_holds_until_its_heartbeat_lapses(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    decl = store.import_declaration("750712184", 2009, Declaration({"finess": "750712184"}))
    store.now = lambda: "2010-04-01T10:05:00"
    plant_lease(store, decl, "autre-serveur", 1234, "2010-04-01T10:00:00")
    session = EntrySession(store, CAMPAIGN, decl)
    reason = session.read_only_reason()
    assert reason and "autre-serveur" in reason and "01/04/2010 à 10:00" in reason  # the store's own clock
    assert not session.retry_lease()
    store.now = lambda: "2010-04-01T10:11:00"  # ten minutes without a heartbeat
    assert session.retry_lease() and session.editable


@pytest.mark.parametrize(
    ("pasted", "keys"),
    [
        ("Clinique des Lilas", [*"Clinique", "space", *"des", "space", *"Lilas"]),
        ("1250\r\n", [*"1250"]),  # a spreadsheet's cell comes with its end of line
        ("", []),
        ("Clinique\u00a0« Les Lilas »", [*"Clinique", "space", "«", "space", *"Les", "space", *"Lilas", "space", "»"]),
    ],
)
def test_a_paste_is_typed_key_by_key(pasted: str, keys: list[str]) -> None:
    """No-break spaces (a word processor's, a French spreadsheet's) are spaces: not refused."""
    assert pasted_keys(pasted) == [(k, " " if k == "space" else k) for k in keys]


@pytest.mark.parametrize(("pasted", "typed"), [("1 250", "1250"), ("1\u202f250,5", "1250,5"), ("12 5", "12 5")])
def test_a_number_pasted_loses_its_spaces_between_thousands(pasted: str, typed: str) -> None:
    """As answers files read « 1 250 »; « 12 5 » is not grouped by thousands: typed as is (and refused)."""
    keys = pasted_keys(pasted, number=True)
    assert isinstance(keys, list) and "".join(char for _, char in keys) == typed


@pytest.mark.parametrize(
    ("pasted", "char", "at"),
    [
        ("Clinique \x1b[31mRouge", "001B", 10),
        ("a\tb", "0009", 2),
        ("ligne 1\nligne 2", "000A", 8),
        ("x\x07", "0007", 2),
    ],
)
def test_a_paste_that_could_drive_the_app_is_refused_whole(pasted: str, char: str, at: int) -> None:
    assert pasted_keys(pasted) == (
        f"collage refusé : caractère non imprimable U+{char} en position {at} (une seule ligne de texte imprimable se colle)"
    )


def test_an_error_names_the_other_answers_it_reads_by_whole_words(store: Store) -> None:
    """Hours declared for a category without trained staff (VIII.4): the other boxes of the grid
    are named so that the operator can tell them apart (they were cut mid-word at 40 characters,
    and both « Médecins ou pharmaciens — Nombre total d » read the same)."""
    session = open_session(store)
    cursor = EntryCursor(session, PATH)
    cursor.go_to("formation_personnel.medecins.formes")
    outcomes = type_keys(cursor, "ctrl+u", "0", "enter", "ctrl+u", "1", "0", "enter")  # 0 trained, 10 hours
    message = outcomes[-1].refusal
    assert (
        message is not None
        and " — voir aussi : VIII.4 Médecins ou pharmaciens — Nombre total de personnels formés" in message
    )


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        (
            "Médecins ou pharmaciens — Nombre total de personnels formés",
            "Médecins ou pharmaciens — Nombre total de personnels formés",
        ),
        (
            "Autres personnels permanents — Nombre total de personnels formés",
            "Autres personnels permanents — Nombre total de personnels…",
        ),
        ("x" * 70, "x" * 59 + "…"),
    ],
)
def test_a_label_in_a_message_is_cut_at_a_word(label: str, shown: str) -> None:
    from bilan.entry.cursor import _shortened

    assert _shortened(label) == shown


@pytest.mark.parametrize(
    ("typed", "at", "key", "message"),
    [
        ("987654,32", 6, "delete", "Suppr refusé : 98765432 — 6 chiffres au plus avant la virgule"),
        ("987654,32", 7, "backspace", "Retour arrière refusé : 98765432 — 6 chiffres au plus avant la virgule"),
    ],
)
def test_erasing_that_makes_the_number_impossible_is_refused(typed: str, at: int, key: str, message: str) -> None:
    """The comma erased from « 987654,32 » left « 98765432 » in a box of 6 digits, refused only at Entrée."""
    action = press(CAMPAIGN.fields["volume_sha"], None, Draft(typed, at, fresh=False), key, None)
    assert isinstance(action, Refuse) and action.message.startswith(message), action


@pytest.mark.parametrize(("typed", "at", "key", "left"), [("12,5", 2, "delete", "125"), ("3", 1, "backspace", "")])
def test_erasing_is_allowed_otherwise(typed: str, at: int, key: str, left: str) -> None:
    for field in ("volume_sha", "reunions_clin"):
        if field == "reunions_clin" and "," in typed:
            continue
        action = press(CAMPAIGN.fields[field], None, Draft(typed, at, fresh=False), key, None)
        assert isinstance(action, Edit) and action.draft.text == left, action
