"""The declaration's state in files and documents: `[etat]` (validation, data blocks' sources) written
and read back, never validating by itself; « provisoire » in the results export and the recap."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from bilan.cli.main import main
from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.declaration_state import ENTERED, IMPORTED, BlockSource, DeclarationState
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import AnswersError, dumps_declaration, parse_answers
from bilan.exports.recap import recap_data, recap_text
from bilan.exports.results import results_dict
from bilan.exports.typst_render import typst_source
from bilan.store.db import Store

CAMPAIGN = load_campaign()
FINESS = "750712184"
VALIDATED = DeclarationState(
    "2010-04-12T09:30:00",
    "Hélène Durand (praticien hygiéniste)",
    {
        "sae": BlockSource("sae", ENTERED, "Hélène Durand", "2010-04-02T10:00:00"),
        "sarm_2007": BlockSource("sarm_2007", IMPORTED, "cellule DGS", "2010-03-01T08:00:00"),
    },
)


@pytest.fixture(autouse=True)
def open_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAN_TODAY", "2010-04-01")


def with_state(state: DeclarationState) -> Declaration:
    return attrs.evolve(demo_declaration(CAMPAIGN), state=state)


def test_state_is_written_and_read_back() -> None:
    text = dumps_declaration(with_state(VALIDATED), CAMPAIGN)
    table = tomllib.loads(text)["etat"]
    assert table["statut"] == "validée" and table["validee_par"] == "Hélène Durand (praticien hygiéniste)"
    assert table["donnees"]["sae"] == {
        "origine": "saisie",
        "provisoire": True,
        "par": "Hélène Durand",
        "le": "2010-04-02T10:00:00",
    }
    # sarm_2008 is supplied by the file without a recorded source: none is invented for it
    assert set(table["donnees"]) == {"sae", "sarm_2007"}
    assert parse_answers(text, CAMPAIGN, "x.toml").state == VALIDATED


def test_a_plain_declaration_has_no_state_table() -> None:
    assert "[etat]" not in dumps_declaration(demo_declaration(CAMPAIGN), CAMPAIGN)


HEAD = '[etablissement]\nfiness = "750712184"\n[sae]\nmedecine = 5\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[etat]\nstatut = "ok"\n', "etat.statut : « validée » ou « non validée » attendu"),
        ('[etat]\nvalidee_le = "hier"\nvalidee_par = "X"\n', "etat.validee_le : une date et une heure sont attendues"),
        ('[etat]\nvalidee_le = "2010-04-12T09:30:00"\n', "etat : validee_le et validee_par vont ensemble"),
        ("[etat]\nvalide = true\n", "etat.valide : clé inconnue"),
        ("etat = 3\n", "etat : une table est attendue"),
        (
            '[etat.donnees.sarm_2007]\norigine = "saisie"\npar = "X"\nle = "2010-04-02T10:00:00"\n',
            "etat.donnees.sarm_2007 : le bloc [sarm_2007] n’est pas fourni dans ce fichier",
        ),
        (
            '[etat.donnees.sae]\norigine = "ars"\npar = "X"\nle = "2010-04-02T10:00:00"\n',
            "etat.donnees.sae : origine : « import » (administration) ou « saisie » (établissement) attendu",
        ),
        (
            '[etat.donnees.sae]\norigine = "import"\nprovisoire = true\npar = "X"\nle = "2010-04-02T10:00:00"\n',
            "etat.donnees.sae : provisoire = false pour l’origine « import »",
        ),
        ('[etat.donnees.sae]\norigine = "import"\nle = "2010-04-02T10:00:00"\n', "etat.donnees.sae : par : un nom"),
        (  # a name that would drive the terminal where it is shown
            '[etat]\nvalidee_le = "2010-04-12T09:30:00"\nvalidee_par = "X\\u001b[2J"\n',
            "etat.validee_par : caractère de contrôle",
        ),
        ("[etat]\ndonnees = 1\n", "etat.donnees : une table est attendue"),
    ],
)
def test_a_state_table_that_cannot_be_used_is_refused_with_where_and_what(body: str, message: str) -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers(body + HEAD, CAMPAIGN, "f.toml")
    assert f"f.toml: {message}" in info.value.render()


def test_results_mark_the_provisional_indicators() -> None:
    decl = with_state(VALIDATED)
    result = Engine(CAMPAIGN).score(decl)
    indicators = results_dict(CAMPAIGN, result, decl.state)["indicateurs"]
    assert {code for code, i in indicators.items() if i.get("provisoire")} == {"ICSHA", "SCORE", "SARM"}
    plain = results_dict(CAMPAIGN, result)["indicateurs"]
    assert not any("provisoire" in i for i in plain.values())


def test_recap_says_validation_origins_and_provisional(tmp_path: Path) -> None:
    decl = with_state(VALIDATED)
    data = recap_data(CAMPAIGN, "x.toml", decl)
    text = " ".join(recap_text(data).split())  # the same words, however the 80 columns wrap them
    assert "Validation : validée le 12/04/2010 à 09:30 par Hélène Durand (praticien hygiéniste)" in text
    assert "ICSHA : 116,55 % — classe A — provisoire" in text
    assert "ICALIN : 100 / 100 — classe A ICATB" in text
    assert "Origine : saisie établissement, provisoire (Hélène Durand, le 02/04/2010)" in text
    assert "Origine : importées par cellule DGS le 01/03/2010 (administration, définitives)" in text
    assert "Alimente : ICSHA, SCORE, SARM" in text
    plain = recap_text(recap_data(CAMPAIGN, "x.toml", demo_declaration(CAMPAIGN)))
    assert "Validation : non validée" in plain and "provisoire" not in plain
    source = typst_source("recap.typ", data)  # the PDF's template receives the same data
    assert "i.provisional" in source and "st.validation" in source and "b.origin" in source


def store_with(tmp_path: Path, decl: Declaration, validate: bool) -> Path:
    db = tmp_path / "b.sqlite"
    store = Store(db)
    d = store.import_declaration(FINESS, 2009, decl, who="cellule DGS")
    if validate:
        store.validate(d, "Hélène Durand (praticien hygiéniste)")
    store.close()
    return db


def test_importing_a_validated_export_does_not_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = store_with(tmp_path, demo_declaration(CAMPAIGN), validate=True)
    out = tmp_path / "export.toml"
    assert main(["--store", str(db), "export", "-o", str(out)]) == 0
    state = tomllib.loads(out.read_text(encoding="utf-8"))["etat"]
    assert state["statut"] == "validée" and state["validee_par"] == "Hélène Durand (praticien hygiéniste)"
    other = tmp_path / "other.sqlite"
    capsys.readouterr()
    assert main(["--store", str(other), "import", str(out)]) == 0
    err = capsys.readouterr().err
    assert "le fichier porte une validation (validée le" in err and "n’est pas validée" in err
    store = Store(other)
    try:
        row = store.declarations()[0]
        assert row.validated_at is None and row.validated_by is None
        assert store.load(row.id).state.sources["sae"].who == "cellule DGS"  # as the file recorded it
    finally:
        store.close()


def test_import_says_which_figures_of_the_administration_it_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store_with(tmp_path, demo_declaration(CAMPAIGN), validate=False)
    typed = attrs.evolve(
        demo_declaration(CAMPAIGN),
        answers={**demo_declaration(CAMPAIGN).answers, "sae.medecine": Fraction(1)},
        state=DeclarationState(sources={"sae": BlockSource("sae", ENTERED, "Hélène Durand", "2010-04-02T10:00:00")}),
    )
    path = tmp_path / "typed.toml"
    path.write_text(dumps_declaration(typed, CAMPAIGN), encoding="utf-8")
    capsys.readouterr()
    assert main(["--store", str(db), "import", "--replace", str(path)]) == 0
    err = capsys.readouterr().err
    assert (
        "(SAE 2009) : données importées par cellule DGS le" in err and "conservées (provisoires dans le fichier)" in err
    )
    store = Store(db)
    try:
        assert store.load(store.declarations()[0].id).answers["sae.medecine"] == Fraction(300000)
    finally:
        store.close()


def test_score_and_recap_commands_read_the_state_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typed.toml"
    path.write_text(dumps_declaration(with_state(VALIDATED), CAMPAIGN), encoding="utf-8")
    capsys.readouterr()
    assert main(["score", str(path), "--format", "toml"]) == 0
    results = tomllib.loads(capsys.readouterr().out)["declaration"][0]
    assert results["resultats"]["indicateurs"]["ICSHA"]["provisoire"] is True
    assert "provisoire" not in results["resultats"]["indicateurs"]["ICALIN"]
    assert results["etat"]["statut"] == "validée"
    assert main(["recap", str(path)]) == 0
    assert "Validation : validée le 12/04/2010 à 09:30" in capsys.readouterr().out
