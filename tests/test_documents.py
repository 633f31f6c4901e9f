"""Documents generated from the language: paper form, recap, checklist (PDF and text)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from bilan.cli.main import main
from bilan.engine.evaluate import Engine
from bilan.engine.expr import format_number
from bilan.engine.model import Campaign, Question
from bilan.exports.answers_toml import read_answers
from bilan.exports.checklist import checklist_data, checklist_text
from bilan.exports.paper_form import paper_form, printed_number
from bilan.exports.paper_text import WIDTH, paper_text
from bilan.exports.recap import recap_data, recap_text
from bilan.exports.results import results_dict
from bilan.exports.typst_render import render_pdf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chu-exemple.toml"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """No whitespace at all: line breaks, wrapped hyphenated words and spacing can't matter."""
    return re.sub(r"\s+", "", text)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def printed_questions(campaign: Campaign) -> list[Question]:
    return [q for s in campaign.fiches + campaign.chapters for q in s.walk()]


@pytest.fixture(scope="module")
def paper_pdf(campaign: Campaign) -> bytes:
    return render_pdf("paper.typ", paper_form(campaign))


@pytest.fixture(scope="module")
def paper_txt(campaign: Campaign) -> str:
    return paper_text(paper_form(campaign))


# ----------------------------------------------------------------------------- paper form


def test_pdf_has_every_question_number_and_wording_in_order(campaign: Campaign, paper_pdf: bytes) -> None:
    text = squash(pdf_text(paper_pdf))
    pos = 0
    for q in printed_questions(campaign):
        wording = squash(q.text)
        found = text.find(wording, pos)
        assert found >= 0, f"{q.name}: « {q.text[:60]} » missing or out of order"
        if q.number:
            number = squash(printed_number(q.number) or "")
            assert text[max(0, found - len(number)) : found] == number, f"{q.name}: number {q.number}"
        pos = found + len(wording)


def test_text_has_every_question_number_and_wording_in_order(campaign: Campaign, paper_txt: str) -> None:
    text = collapse(paper_txt)
    pos = 0
    for q in printed_questions(campaign):
        wording = collapse(f"{printed_number(q.number)} {q.text}" if q.number else q.text)
        found = text.find(wording, pos)
        assert found >= 0, f"{q.name}: « {wording[:60]} » missing or out of order"
        pos = found + len(wording)


def test_text_is_80_columns(paper_txt: str) -> None:
    assert max(len(line) for line in paper_txt.splitlines()) <= WIDTH


def test_text_branches_are_indented_under_their_question(campaign: Campaign, paper_txt: str) -> None:
    lines = paper_txt.splitlines()

    def line_of(q: Question, start: int) -> int:
        head = collapse(f"{printed_number(q.number)} {q.text}" if q.number else q.text)[:30]
        return next(i for i in range(start, len(lines)) if lines[i].strip().startswith(head))

    def indent(i: int) -> int:
        return len(lines[i]) - len(lines[i].lstrip())

    checked = 0
    start = 0
    for q in printed_questions(campaign):
        if q.parent is None:
            continue
        parent = campaign.questions[q.parent]
        p = line_of(parent, start)
        c = line_of(q, p + 1)
        assert indent(c) > indent(p), q.name
        assert (q.branch_label or "") in lines[c - 1], f"{q.name}: branch label above the sub-question"
        start = p
        checked += 1
    assert checked >= 10


def test_digit_boxes_and_check_boxes(paper_txt: str) -> None:
    assert "|__|__|,|__|__| ETP" in paper_txt  # EOHH, decimal comma
    assert "|__|__|__|__|__|__|,|__|__| litres" in paper_txt  # volume of SHA
    assert "[ ] Oui  [ ] Non  [ ] Sans objet" in paper_txt


def test_no_consignes_leaves_them_out(campaign: Campaign) -> None:
    consignes = [c for q in printed_questions(campaign) for c in q.consignes]
    assert consignes
    form = paper_form(campaign, consignes=False)
    text = collapse(paper_text(form))
    pdf = squash(pdf_text(render_pdf("paper.typ", form)))
    for c in consignes:
        assert collapse(c) not in text
        assert squash(c) not in pdf
    with_them = collapse(paper_text(paper_form(campaign)))
    assert all(collapse(c) in with_them for c in consignes)


def test_first_page_has_identification_and_deadline(campaign: Campaign, paper_pdf: bytes) -> None:
    first = pypdf.PdfReader(io.BytesIO(paper_pdf)).pages[0].extract_text()
    assert "30 avril 2010" in first
    assert "Numéro FINESS" in first
    assert re.search(r"page 1 / \d+", first)


def test_data_blocks_are_not_on_the_form(campaign: Campaign, paper_txt: str) -> None:
    assert all(b.title not in paper_txt for b in campaign.data_blocks)


# ----------------------------------------------------------------------------- recap


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
        assert ind["class"] == r.shown_class
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


def test_recap_pdf_shows_indicators_and_every_item(campaign: Campaign) -> None:
    declaration = read_answers(EXAMPLE, campaign)
    data = recap_data(campaign, "chu-exemple.toml", declaration)
    text = squash(pdf_text(render_pdf("recap.typ", data)))
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
    ind = campaign.indicators[item["indicator"]]
    r = result.indicators[ind.code]
    assert r.value is not None and ind.classes is not None
    lowered = r.value - result.items["ATB7"].points
    assert item["after"]["value"] == format_number(lowered, ind.precision)
    assert item["after"]["class"] == ind.classes.classify(lowered, declaration.answers["categorie"])


# ----------------------------------------------------------------------------- determinism, CLI


def test_renders_are_deterministic(campaign: Campaign, paper_pdf: bytes) -> None:
    assert render_pdf("paper.typ", paper_form(campaign)) == paper_pdf
    declaration = read_answers(EXAMPLE, campaign)
    data = recap_data(campaign, "x.toml", declaration)
    assert render_pdf("recap.typ", data) == render_pdf("recap.typ", data)
    assert b"CreationDate" not in paper_pdf


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


def test_rows_of_check_boxes_are_aligned(campaign: Campaign, paper_pdf: bytes) -> None:
    """VIII.3: « Oui » of the row without « Sans objet » stood 20 mm right of the « Oui » below it."""
    reader = pypdf.PdfReader(io.BytesIO(paper_pdf))
    for page in reader.pages:
        if "Personnels intérimaires" not in page.extract_text():
            continue
        lines: list[tuple[float, float, str]] = []

        def keep(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            into: list[tuple[float, float, str]] = lines,
        ) -> None:
            if text.strip():
                into.append((cm[4] + tm[4], cm[5] + tm[5], text.strip()))

        page.extract_text(visitor_text=keep)
        ys = {
            label: y
            for x, y, label in lines
            if label.startswith(("Nouveaux personnels", "Personnels intérim", "Etudiants (médicaux"))
        }
        assert len(ys) == 3, ys
        oui = [x for y in ys.values() for x, y2, t in lines if t == "Oui" and abs(y2 - y) < 4]
        assert len(oui) == 3 and max(oui) - min(oui) < 1, oui
        return
    pytest.fail("VIII.3 not found")


def test_recap_headings_keep_their_accents(campaign: Campaign) -> None:
    """« Etablissement et déclarant », « Etat de la déclaration »: capitals lost their accents."""
    data = recap_data(campaign, "chu-exemple.toml", read_answers(EXAMPLE, campaign))
    text = collapse(pdf_text(render_pdf("recap.typ", data)))
    assert "Établissement et déclarant" in text and "État de la déclaration" in text


def test_first_page_holds_the_categories_as_numbered_in_tableau_1(paper_pdf: bytes) -> None:
    """The 13-option category list may run over a page break instead of leaving page 1 half empty."""
    first = pypdf.PdfReader(io.BytesIO(paper_pdf)).pages[0].extract_text()
    assert "1 – CHR-CHU" in first


def test_only_long_option_lists_may_break(campaign: Campaign) -> None:
    form = paper_form(campaign, consignes=True)
    breakable = [
        b["question"]["name"]
        for s in form["fiches"] + form["chapters"]
        for b in s["blocks"]
        if b["kind"] == "question" and b["question"]["breakable"]
    ]
    assert breakable == ["categorie", "disciplines"]
