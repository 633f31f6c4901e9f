"""External data (SAE, SARM history): what each block feeds, who supplied it and how, provisional
figures typed by the establishment, all without a terminal."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from typist import char_of

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.common.errors import UserError
from bilan.dsl.compiler import compile_source
from bilan.engine.declaration_state import ENTERED, IMPORTED, BlockSource, DeclarationState
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.feeds import Feeds, provisional_indicators
from bilan.engine.result import Declaration
from bilan.entry.cursor import EntryCursor
from bilan.entry.documents import write_recap_pdf
from bilan.entry.external import block_info, blocks_summary, external_label
from bilan.entry.path import FormPath, data_path
from bilan.entry.session import EntrySession
from bilan.store.db import Store
from bilan.store.schema import MIGRATIONS

CAMPAIGN = load_campaign()
ENGINE = Engine(CAMPAIGN)
FINESS = "750712184"
DATA = ("sae", "sarm_2007", "sarm_2008")
PATH_OF_FORM = FormPath(CAMPAIGN)


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", "2010-04-01")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "b.sqlite")
    yield s
    s.close()


def demo() -> Declaration:
    return demo_declaration(CAMPAIGN)


def without_data(decl: Declaration) -> Declaration:
    answers = {k: v for k, v in decl.answers.items() if k.split(".")[0] not in DATA}
    return Declaration(answers, frozenset(), dict(decl.justifications))


def provisional(decl: Declaration, *blocks: str) -> Declaration:
    """The declaration with `blocks` recorded as typed by the establishment."""
    sources = {b: BlockSource(b, ENTERED, "Hélène Durand", "2010-03-01T10:00:00") for b in blocks}
    return attrs.evolve(decl, state=DeclarationState(sources=sources))


def data_of(decl: Declaration, block: str) -> dict[str, object]:
    return {k: v for k, v in decl.answers.items() if k.startswith(block + ".")}


# ----------------------------------------------------------------------------- what each block feeds


def test_the_2009_blocks_feed_what_their_formulas_and_statuses_read() -> None:
    feeds = Feeds(CAMPAIGN).feeds
    # SAE: ICSHA's objective, the score agrégé through ICSHA, SARM's days; SARM history: SARM only
    assert feeds == {"sae": ("ICSHA", "SCORE", "SARM"), "sarm_2007": ("SARM",), "sarm_2008": ("SARM",)}


MINI = """campagne 2009 "Test"
    ouverture 2010-02-23
    date limite 2010-04-30
échelle E D C B A
type oui_non : oui "Oui" | non "Non"
données lits "Lits"
    champ total "Lits" entier 4 chiffres
données autre "Autre"
    champ n "N" entier 4 chiffres
chapitre II "X"
    question 1 x "X"
        oui_non
    item P1 "X" sur 2
        1 point si x = oui
        1 point si lits.total > 10
    item P2 "Y" sur 1
        1 point si x = oui
valeur ratio "R" = 100 × autre.n / lits.total
indicateur POINTS "P" sur 2
    P1
indicateur RATIO "R"
    non concerné si x = non : "pas concerné"
    non calculable si non present(autre) : "autre absent"
    valeur ratio
indicateur PLAIN "Q" sur 1
    P2
indicateur SUM "S"
    valeur RATIO + PLAIN
"""


def test_feeds_are_derived_from_any_campaign_not_named_in_the_code() -> None:
    campaign = compile_source(MINI, "mini.bilan")
    feeds = Feeds(campaign)
    # an item rule (POINTS), a computed value (RATIO), an indicator read by value (SUM)
    assert feeds.feeds == {"lits": ("POINTS", "RATIO", "SUM"), "autre": ("RATIO", "SUM")}
    engine = Engine(campaign)

    def marked(answers: dict[str, Value], blocks: set[str], typed: set[str]) -> frozenset[str]:
        result = engine.score(Declaration(answers, frozenset(blocks)))
        return provisional_indicators(campaign, result, frozenset(typed))

    both: dict[str, Value] = {"x": "oui", "lits.total": Fraction(20), "autre.n": Fraction(5)}
    assert marked(both, {"lits", "autre"}, {"lits"}) == {"POINTS", "RATIO", "SUM"}
    assert marked(both, {"lits", "autre"}, {"autre"}) == {"RATIO", "SUM"}
    # RATIO not concerned: decided by its first clause, which reads no block; SUM then reads nothing of it
    assert marked({**both, "x": "non"}, {"lits", "autre"}, {"lits", "autre"}) == {"POINTS"}
    # `autre` absent: RATIO is « non calculable » on whether it is supplied, which the
    # administration's figures will not change; its typed `lits` figures were never read
    assert marked({"x": "oui", "lits.total": Fraction(20)}, {"lits"}, {"lits"}) == {"POINTS"}
    assert marked(both, {"lits", "autre"}, set()) == frozenset()


def result_with(blocks: dict[str, dict[str, int]], **answers: Value) -> Declaration:
    decl = without_data(demo())
    values = dict(decl.answers)
    values.update(answers)
    for block, figures in blocks.items():
        values.update({f"{block}.{k}": Fraction(v) for k, v in figures.items()})
    return Declaration(values, frozenset(blocks))


SAE = {"medecine": 100000, "chirurgie": 50000, "jh_complete": 60000}
HISTORY = {"patients": 10, "journees": 20000}


@pytest.mark.parametrize(
    ("answers", "blocks", "typed", "expected"),
    [
        # the SAE typed: ICSHA, the score agrégé and SARM (its 3-year days) are provisional
        ({}, {"sae": SAE, "sarm_2007": HISTORY, "sarm_2008": HISTORY}, {"sae"}, {"ICSHA", "SCORE", "SARM"}),
        # only SARM history typed: SARM alone
        ({}, {"sae": SAE, "sarm_2007": HISTORY, "sarm_2008": HISTORY}, {"sarm_2007"}, {"SARM"}),
        # no history: SARM is « DI » on the presence of the blocks, not on the typed SAE figures
        ({}, {"sae": SAE}, {"sae"}, {"ICSHA", "SCORE"}),
        # 100,000 days over 3 years: SARM « non concerné » by the typed days (<= 90,000 is read from them)
        (
            {},
            {"sae": {**SAE, "jh_complete": 10000}, "sarm_2007": HISTORY, "sarm_2008": HISTORY},
            {"sae"},
            {"ICSHA", "SCORE", "SARM"},
        ),
        # category 13 (MECSS): ICSHA and SARM not concerned by category, the score agrégé without ICSHA
        ({"categorie": 13}, {"sae": SAE, "sarm_2007": HISTORY, "sarm_2008": HISTORY}, {"sae"}, set()),
        # the administration's figures: nothing provisional
        ({}, {"sae": SAE, "sarm_2007": HISTORY, "sarm_2008": HISTORY}, set(), set()),
    ],
)
def test_provisional_indicators_are_those_whose_result_read_typed_figures(
    answers: dict[str, Value], blocks: dict[str, dict[str, int]], typed: set[str], expected: set[str]
) -> None:
    result = ENGINE.score(result_with(blocks, **answers))
    assert provisional_indicators(CAMPAIGN, result, frozenset(typed)) == expected


def test_the_boundary_of_90000_days_is_read_from_the_figures() -> None:
    # 30,000 a year: 90,000 is still « non concerné » (<=), 90,001 is computed; both read the SAE
    for days, status in ((30000, "non_concerne"), (30001, "ok")):
        history = {"patients": 10, "journees": 30000}
        decl = result_with({"sae": {**SAE, "jh_complete": days}, "sarm_2007": history, "sarm_2008": history})
        result = ENGINE.score(decl)
        assert result.indicators["SARM"].status == status
        assert "SARM" in provisional_indicators(CAMPAIGN, result, frozenset({"sae"}))


# ----------------------------------------------------------------------------- the store


def test_blocks_imported_before_the_migration_become_the_administrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.executescript(
        "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
        "INSERT INTO establishments VALUES ('750712184', '2010-03-01T09:00:00');"
        "INSERT INTO declarations (id, finess, year, blocks, created_at, updated_at) "
        "VALUES (1, '750712184', 2009, '[\"sae\", \"sarm_2007\"]', '2010-03-01T09:00:00', '2010-03-05T09:00:00');"
        "INSERT INTO history (declaration, at, who, field, old, new, origin) "
        "VALUES (1, '2010-03-02T08:00:00', 'cellule DGS', 'sae.medecine', NULL, '5', 'import');"
        "INSERT INTO declarations (id, finess, year, blocks, created_at, updated_at) "
        "VALUES (2, '750712184', 2008, '[]', '2009-03-01T09:00:00', '2009-03-05T09:00:00');"
    )
    conn.close()
    store = Store(path)
    try:
        assert store.block_sources(1) == {
            "sae": BlockSource("sae", IMPORTED, "cellule DGS", "2010-03-02T08:00:00"),
            "sarm_2007": BlockSource("sarm_2007", IMPORTED, "cellule DGS", "2010-03-02T08:00:00"),
        }
        assert store.block_sources(2) == {}
    finally:
        store.close()


def test_an_import_supplies_its_blocks_as_the_administrations(store: Store) -> None:
    d = store.import_declaration(FINESS, 2009, demo(), who="cellule DGS")
    sources = store.block_sources(d)
    assert set(sources) == set(DATA)
    assert all(s.origin == IMPORTED and s.who == "cellule DGS" for s in sources.values())
    assert store.load(d).state.provisional_blocks == frozenset()


def test_the_administrations_figures_replace_provisional_ones(store: Store) -> None:
    typed = provisional(demo(), "sae")
    d = store.import_declaration(FINESS, 2009, typed, who="établissement")
    assert store.load(d).state.provisional_blocks == {"sae"}
    final = attrs.evolve(demo(), answers={**demo().answers, "sae.medecine": Fraction(1)})
    store.import_declaration(FINESS, 2009, final, replace=True, who="cellule DGS")
    loaded = store.load(d)
    assert loaded.answers["sae.medecine"] == 1 and loaded.state.provisional_blocks == frozenset()
    assert loaded.state.sources["sae"].who == "cellule DGS"


def test_provisional_figures_never_replace_the_administrations(store: Store) -> None:
    d = store.import_declaration(FINESS, 2009, demo(), who="cellule DGS")
    kept = data_of(demo(), "sae")
    changed = {**demo().answers, "sae.medecine": Fraction(1), "reunions_clin": Fraction(9)}
    store.import_declaration(FINESS, 2009, provisional(attrs.evolve(demo(), answers=changed), "sae"), replace=True)
    loaded = store.load(d)
    assert data_of(loaded, "sae") == kept and loaded.answers["reunions_clin"] == 9  # the rest is replaced
    assert loaded.state.sources["sae"].origin == IMPORTED
    with pytest.raises(UserError, match="administration"):
        store.set_answer(d, "sae.medecine", Fraction(2), "x", block="sae")
    assert store.load(d).answers["sae.medecine"] == kept["sae.medecine"]


def test_a_figure_typed_supplies_its_block_provisionally(store: Store) -> None:
    d = store.import_declaration(FINESS, 2009, without_data(demo()))
    store.set_answer(d, "sae.medecine", Fraction(250000), "Hélène Durand", block="sae")
    loaded = store.load(d)
    assert loaded.blocks == {"sae"} and loaded.state.provisional_blocks == {"sae"}
    assert loaded.state.sources["sae"].who == "Hélène Durand"


def test_one_establishment_per_store_or_many(store: Store) -> None:
    assert store.single_establishment()  # empty
    store.import_declaration(FINESS, 2009, without_data(demo()))
    store.import_declaration(FINESS, 2008, without_data(demo()))
    assert store.single_establishment()  # one establishment, two years
    store.create("2A0000014", 2009)
    assert not store.single_establishment()


# ----------------------------------------------------------------------------- typing provisional figures


def session_without_data(store: Store) -> EntrySession:
    return EntrySession(store, CAMPAIGN, store.import_declaration(FINESS, 2009, without_data(demo())))


def press(cursor: EntryCursor, keys: str | list[str]) -> None:
    for key in keys:
        cursor.press(key, char_of(key))


def test_typed_figures_are_stored_provisional_and_mark_what_they_feed(store: Store) -> None:
    session = session_without_data(store)
    assert session.result.indicators["ICSHA"].status == "non_calculable"
    cursor = EntryCursor(session, data_path(CAMPAIGN))
    assert cursor.position.field == "sae.medecine"
    press(cursor, ["enter"])  # Entrée on an empty figure: nothing typed, the block is not supplied
    assert cursor.position.field == "sae.chirurgie" and "sae" not in session.declaration.blocks
    press(cursor, [*"300000", "enter"])
    assert session.answers["sae.chirurgie"] == 300000 and session.declaration.blocks == {"sae"}
    assert session.state.provisional_blocks == {"sae"}
    assert session.result.indicators["ICSHA"].ok
    assert session.provisional_indicators() == {"ICSHA", "SCORE"}
    assert store.load(session.id).state.sources["sae"].origin == ENTERED


def test_a_tenth_digit_is_refused_and_nothing_is_stored(store: Store) -> None:
    session = session_without_data(store)
    cursor = EntryCursor(session, data_path(CAMPAIGN))
    outcomes = [cursor.press(k, k) for k in "1234567890"]
    assert all(o.refusal is None for o in outcomes[:9])
    assert outcomes[9].refusal is not None and "9 chiffres au plus" in outcomes[9].refusal
    assert "sae.medecine" not in session.answers and cursor.halt is not None
    press(cursor, ["backspace", "enter"])  # read: the nine digits are what was meant
    assert session.answers["sae.medecine"] == 123456789


def test_pages_of_data_blocks_end_on_the_last_figure_not_the_recap(store: Store) -> None:
    cursor = EntryCursor(session_without_data(store), data_path(CAMPAIGN))
    assert [p.name for p in cursor.path.pages] == list(DATA)
    press(cursor, ["pagedown", "pagedown", "down"])
    outcome = cursor.press("enter")
    assert cursor.position.field == "sarm_2008.journees"
    assert not outcome.end_of_form and outcome.notice is not None and "Dernière donnée" in outcome.notice


def test_the_administrations_block_cannot_be_typed_over(store: Store) -> None:
    session = EntrySession(store, CAMPAIGN, store.import_declaration(FINESS, 2009, demo(), who="cellule DGS"))
    cursor = EntryCursor(session, data_path(CAMPAIGN))
    outcome = cursor.press("7", "7")
    assert outcome.refusal is not None and "importées par l’administration" in outcome.refusal
    assert session.answers["sae.medecine"] == demo().answers["sae.medecine"]
    info = block_info(session, CAMPAIGN.data_blocks[0])
    assert info.refusal is not None and not info.provisional
    assert info.lines()[0].startswith("Origine : importées par cellule DGS le 01/04/2010")


def test_a_store_of_many_establishments_takes_no_typed_figures(store: Store) -> None:
    session = session_without_data(store)
    store.create("2A0000014", 2009)
    outcome = EntryCursor(session, data_path(CAMPAIGN)).press("7", "7")
    assert outcome.refusal is not None and "plusieurs établissements" in outcome.refusal
    assert session.answer("sae.medecine", Fraction(7)).refusal is not None
    assert "sae" not in store.load(session.id).blocks


def test_a_validated_declaration_takes_no_typed_figures(store: Store) -> None:
    session = session_without_data(store)
    store.validate(session.id, "Hélène Durand")
    session.row = store.get(session.id)
    assert session.answer("sae.medecine", Fraction(7)).refusal is not None
    assert "sae" not in store.load(session.id).blocks


def test_the_screen_text_per_block(store: Store) -> None:
    session = session_without_data(store)
    assert external_label(CAMPAIGN) == "Données externes (SAE, SARM)"
    assert blocks_summary(session) == "3 non fournies"
    sae = CAMPAIGN.data_blocks[0]
    lines = block_info(session, sae).lines()
    assert lines[0] == "Origine : non fournies"
    assert lines[1] == "Alimente : ICSHA, SCORE, SARM"
    assert "vous pouvez saisir des chiffres provisoires" in lines[2]
    session.answer("sae.medecine", Fraction(1000))
    lines = block_info(session, sae).lines()
    assert lines[0].startswith("Origine : saisie établissement, provisoire (")
    assert "ceux de l’administration les remplaceront" in lines[2]
    assert blocks_summary(session) == "1 provisoire, 2 non fournies"


def test_recap_pdf_goes_next_to_the_store_else_in_the_next_folder(store: Store, tmp_path: Path) -> None:
    session = session_without_data(store)
    written = write_recap_pdf(session)
    assert written == (tmp_path / "recap-750712184-2009.pdf").resolve()
    assert written.read_bytes().startswith(b"%PDF")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    written = write_recap_pdf(session, (tmp_path / "absent", elsewhere))
    assert written.parent == elsewhere.resolve()
    with pytest.raises(UserError, match=r"récapitulatif PDF non écrit : .*absent"):
        write_recap_pdf(session, (tmp_path / "absent",))


def test_typing_figures_does_not_move_where_the_questionnaire_resumes(store: Store) -> None:
    session = session_without_data(store)
    EntryCursor(session, PATH_OF_FORM, "reunions_clin")
    assert store.get(session.id).last_field == "reunions_clin"
    cursor = EntryCursor(session, data_path(CAMPAIGN))
    press(cursor, [*"250000", "enter", *"1000", "enter"])
    assert session.answers["sae.chirurgie"] == 1000
    assert store.get(session.id).last_field == "reunions_clin"
