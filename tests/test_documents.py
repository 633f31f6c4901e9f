"""Documents of one declaration: recap and checklist (PDF and text); the CLI of every document.

The paper form has its own tests in test_paper.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pdf_reading import collapse, pdf_text, squash

from bilan.cli.main import main
from bilan.engine.evaluate import Engine
from bilan.engine.expr import format_number
from bilan.engine.model import Campaign
from bilan.exports.answers_toml import read_answers
from bilan.exports.checklist import checklist_data, checklist_text
from bilan.exports.recap import recap_data, recap_text
from bilan.exports.recap_document import RecapData
from bilan.exports.results import results_dict
from bilan.exports.typst_render import render_pdf
from bilan.presentation.indicators import shown_class

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chu-exemple.toml"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


# ----------------------------------------------------------------------------- recap


@pytest.fixture(scope="module")
def example_recap(campaign: Campaign) -> tuple[RecapData, bytes]:
    """The example's recap and its PDF, rendered once for the tests that read it."""
    data = recap_data(campaign, "chu-exemple.toml", read_answers(EXAMPLE, campaign))
    return data, render_pdf("recap.typ", data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_recap_figures_equal_the_engine(campaign: Campaign, engine: Engine, path: Path) -> None:
    declaration = read_answers(path, campaign)
    result = engine.score(declaration)
    exported = results_dict(campaign, result)
    data = recap_data(campaign, str(path), declaration)
    rows = {r["code"]: r for t in data["items"] for r in t["rows"] if r["kind"] == "item"}
    assert set(rows) == set(campaign.items)
    for code, row in rows.items():
        assert Decimal(row["points"].replace(",", ".")) == exported["items"][code]["points"], code
        assert row["reason"] == exported["items"][code]["raison"]
    for ind in data["indicators"]:
        r = result.indicators[ind["code"]]
        assert ind["class"] == shown_class(r)
        if r.value is not None:
            assert ind["value"] == format_number(r.value, campaign.indicators[ind["code"]].precision)
            rounded = Decimal(ind["value"].replace(",", "."))
            assert abs(rounded - exported["indicateurs"][ind["code"]]["valeur"]) < Decimal("0.01")
        else:
            assert ind["reason"] == r.reason
    assert data["state"]["complete"] == exported["complet"]
    text = recap_text(data)
    for ind in data["indicators"]:
        assert ind["code"] in text


def test_recap_pdf_shows_indicators_and_every_item(campaign: Campaign, example_recap: tuple[RecapData, bytes]) -> None:
    data, pdf = example_recap
    text = squash(pdf_text(pdf))
    for ind in data["indicators"]:
        if ind["value"]:
            assert squash(ind["value"]) in text
    for code in campaign.items:
        assert squash(code) in text


def test_recap_of_an_incomplete_declaration_says_what_is_missing(campaign: Campaign, tmp_path: Path) -> None:
    path = tmp_path / "partiel.toml"
    path.write_text(
        '[etablissement]\nfiness = "750712184"\nraison_sociale = "CH test"\n'
        'statut = "public"\ncategorie = 2\n[reponses]\nreunions_clin = 2\n',
        encoding="utf-8",
    )
    data = recap_data(campaign, str(path), read_answers(path, campaign))
    assert not data["state"]["complete"]
    assert data["state"]["missing"]
    assert "incomplète" in recap_text(data)
    assert any(not i["ok"] for i in data["indicators"])


# ----------------------------------------------------------------------------- checklist


def test_checklist_lists_every_item_with_its_evidence(campaign: Campaign, engine: Engine) -> None:
    declaration = read_answers(EXAMPLE, campaign)
    result = engine.score(declaration)
    data = checklist_data(campaign, "chu-exemple.toml", declaration)
    assert [i["code"] for i in data["items"]] == list(dict.fromkeys(data_order(campaign)))
    text = collapse(checklist_text(data))
    pdf = squash(pdf_text(render_pdf("checklist.typ", data)))
    for item in data["items"]:
        code = item["code"]
        assert item["points"] == format_number(result.items[code].points)
        assert item["evidence"] == list(campaign.items[code].evidence)
        for ev in item["evidence"]:
            assert collapse(ev) in text
            assert squash(ev) in pdf
    assert "Le président du CLIN" in text and "Le responsable légal" in text


def data_order(campaign: Campaign) -> list[str]:
    codes = [c for ind in campaign.indicators.values() for c in ind.item_codes()]
    return codes + [c for c in campaign.items if c not in codes]


def test_checklist_shows_the_indicator_without_the_item(campaign: Campaign, engine: Engine) -> None:
    declaration = read_answers(EXAMPLE, campaign)
    result = engine.score(declaration)
    data = checklist_data(campaign, "chu-exemple.toml", declaration)
    item = next(i for i in data["items"] if i["code"] == "ATB7")
    assert item["indicator"] is not None
    ind = campaign.indicators[item["indicator"]]
    r = result.indicators[ind.code]
    assert r.value is not None and ind.classes is not None and ind.maximum is not None
    lowered = r.value - result.items["ATB7"].points
    effect = next(e for e in item["effects"] if e["code"] == ind.code)
    klass = ind.classes.classify(lowered, declaration.answers["categorie"])
    assert effect["after"] == f"{format_number(lowered, ind.precision)} / {format_number(ind.maximum)}, classe {klass}"


def test_checklist_follows_a_missing_evidence_to_the_score_agrege(campaign: Campaign) -> None:
    """CHU Nord: without O211's evidence ICALIN keeps its class D, but the score agrégé drops from B
    to C; the checklist said « même classe » when it only reclassed ICALIN."""
    declaration = read_answers(EXAMPLE.with_name("chu-nord.toml"), campaign)
    data = checklist_data(campaign, "chu-nord.toml", declaration)
    item = next(i for i in data["items"] if i["code"] == "O211")
    effects = {e["code"]: e for e in item["effects"]}
    assert effects["ICALIN"]["before"] == "85 / 100, classe D" and effects["ICALIN"]["after"] == "79 / 100, classe D"
    assert effects["ICALIN"]["note"] == "même classe"
    assert effects["SCORE"]["note"] == "change de classe"
    assert effects["SCORE"]["before"].endswith("classe B") and effects["SCORE"]["after"].endswith("classe C")
    assert set(effects) == {"ICALIN", "SCORE"}  # ICATB, ICSHA, SURVISO, SARM do not read O211
    text = checklist_text(data)
    assert "SCORE 81,66 / 100, classe B → 79,26 / 100, classe C (change de classe)" in " ".join(text.split())
    zero = next(i for i in data["items"] if not i["effects"])
    assert zero["points"] == "0" or zero["effects"] == []


# ----------------------------------------------------------------------------- determinism, CLI


def test_recap_renders_are_deterministic(example_recap: tuple[RecapData, bytes]) -> None:
    data, pdf = example_recap
    assert render_pdf("recap.typ", data) == pdf
    assert b"CreationDate" not in pdf


def test_cli_writes_pdf_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bilan.pdf"
    assert main(["paper", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["paper", "--format", "text", "--no-consignes"]) == 0
    assert "Consignes de remplissage" not in capsys.readouterr().out
    for command in ("recap", "checklist"):
        out = tmp_path / f"{command}.pdf"
        assert main([command, str(EXAMPLE), "-o", str(out)]) == 0
        assert out.read_bytes().startswith(b"%PDF")
        assert main([command, str(EXAMPLE)]) == 0
        assert "CHU exemple" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["recap", "absent.toml"], "fichier introuvable"),  # missing answers file
        (["checklist", "BROKEN"], "TOML invalide"),  # broken TOML
        (["paper", "absent.bilan"], "fichier introuvable"),  # missing questionnaire
        (["recap", "UNKNOWN"], "question inconnue"),  # a key the questionnaire does not have
    ],
)
def test_bad_input_gives_a_clear_message(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[reponses\nreunions_clin = 2\n", encoding="utf-8")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[reponses]\nreunions_clinn = 2\n", encoding="utf-8")
    argv = [{"BROKEN": str(broken), "UNKNOWN": str(unknown)}.get(a, a) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_recap_headings_keep_their_accents(example_recap: tuple[RecapData, bytes]) -> None:
    """« Etablissement et déclarant », « Etat de la déclaration »: capitals lost their accents."""
    text = collapse(pdf_text(example_recap[1]))
    assert "Établissement et déclarant" in text and "État de la déclaration" in text
