"""The paper form, PDF and 80-column text: every question in order, one answer grid for the whole
form, the evidence to keep under the question it is scored on, the establishment line on every
page, the signature, printed table headings, capitals with their accents."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from pdf_reading import Run, collapse, pdf_pages, pdf_text, squash, text_runs

from bilan.cli.main import main
from bilan.dsl.compiler import compile_source
from bilan.engine.model import Campaign, Question
from bilan.exports.paper_document import Answer, PaperForm, QuestionBlock, QuestionNode
from bilan.exports.paper_form import IDENTITY, SIGNATURE, paper_form, question_node
from bilan.exports.paper_grid import SLOT, choice_layout, printed_heading
from bilan.exports.paper_text import UNIT_WIDTH, ZONE_AT, paper_text
from bilan.exports.text_wrap import WIDTH, wrap
from bilan.exports.typst_render import render_pdf
from bilan.presentation.answers import printed_number


@pytest.fixture(scope="module")
def form(campaign: Campaign) -> PaperForm:
    return paper_form(campaign)


@pytest.fixture(scope="module")
def paper_pdf(form: PaperForm) -> bytes:
    return render_pdf("paper.typ", form)


@pytest.fixture(scope="module")
def paper_txt(form: PaperForm) -> str:
    return paper_text(form)


@pytest.fixture(scope="module")
def runs(paper_pdf: bytes) -> list[Run]:
    return text_runs(paper_pdf)


# The opening of the small campaigns written for a test.
HEADER = """campagne 2009 "Test"
    date limite 2010-04-30
échelle E D C B A
type oui_non : oui "Oui" | non "Non"
"""


def printed_questions(campaign: Campaign) -> list[Question]:
    return [q for s in campaign.fiches + campaign.chapters for q in s.walk()]


def blocks(form: PaperForm) -> Iterator[QuestionBlock]:
    """Every question block of the form (top-level questions), in printed order."""
    for s in form["fiches"] + form["chapters"]:
        for b in s["blocks"]:
            if b["kind"] == "question":
                yield b


def walk(node: QuestionNode) -> Iterator[QuestionNode]:
    yield node
    for child in node["children"]:
        yield from walk(child)


def nodes(form: PaperForm) -> dict[str, QuestionNode]:
    return {n["name"]: n for b in blocks(form) for n in walk(b["question"])}


def answers(node: QuestionNode) -> Iterator[Answer]:
    """A question's answers in printed order: its own (answer, rows, grid cells), then its branches'."""
    if node["layout"] == "simple":
        yield node["answer"]
    elif node["layout"] == "rows":
        yield from (r["answer"] for r in node["rows"])
    else:
        yield from (c for r in node["rows"] for c in r["cells"] if c is not None)
    for child in node["children"]:
        yield from answers(child)


def all_answers(form: PaperForm) -> list[Answer]:
    return [a for b in blocks(form) for a in answers(b["question"])]


def printed_wording(node: QuestionNode) -> str:
    """What the form prints as a question's wording: a grid under a branch prints its heading."""
    if node["heading"]:
        return f"{node['heading']['lead']} {node['heading']['rest']}"
    return f"{node['number']} {node['text']}" if node["number"] else node["text"]


# ----------------------------------------------------------------------------- content and order


@pytest.mark.parametrize("fmt", ["pdf", "text"])
def test_every_question_number_and_wording_in_order(
    fmt: str, campaign: Campaign, form: PaperForm, paper_pdf: bytes, paper_txt: str
) -> None:
    normal = squash if fmt == "pdf" else collapse  # what line breaks and spacing can't change
    text = normal(pdf_text(paper_pdf) if fmt == "pdf" else paper_txt)
    printed = nodes(form)
    pos = 0
    for q in printed_questions(campaign):
        wording = normal(printed_wording(printed[q.name]))
        found = text.find(wording, pos)
        assert found >= 0, f"{q.name}: « {wording[:60]} » missing or out of order"
        pos = found + len(wording)
    assert printed_number("4.1.1") == "4.1.1." and normal("4.1.1. Les antibiotiques") in text


def test_text_is_80_columns(paper_txt: str) -> None:
    assert max(len(line) for line in paper_txt.splitlines()) <= WIDTH


def test_text_branches_are_indented_under_their_question(campaign: Campaign, form: PaperForm, paper_txt: str) -> None:
    lines = paper_txt.splitlines()
    printed = nodes(form)

    def line_of(q: Question, start: int) -> int:
        head = collapse(printed_wording(printed[q.name]))[:30]
        return next(i for i in range(start, len(lines)) if lines[i].strip().startswith(head))

    def indent(i: int) -> int:
        return len(lines[i]) - len(lines[i].lstrip())

    checked = 0
    start = 0
    for q in printed_questions(campaign):
        if q.parent is None:
            continue
        p = line_of(campaign.questions[q.parent], start)
        c = line_of(q, p + 1)
        assert indent(c) > indent(p), q.name
        label = q.branch_label or ""
        if printed[q.name]["heading"]:  # the branch label opens the grid's heading
            assert lines[c].strip().startswith(label.upper() + ","), q.name
        else:
            assert label in lines[c - 1], f"{q.name}: branch label above the sub-question"
        start = p
        checked += 1
    assert checked >= 10


def test_digit_boxes_have_the_decimal_comma_and_the_unit(paper_txt: str) -> None:
    assert "|__|__|,|__|__| ETP" in paper_txt  # EOHH, decimal comma
    assert "|__|__|__|__|__|__|,|__|__| litres" in paper_txt  # volume of SHA


def test_no_consignes_leaves_them_out_and_keeps_the_evidence(campaign: Campaign) -> None:
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
    evidence = [e for item in campaign.items.values() for e in item.evidence]
    assert all(collapse(e) in text for e in evidence)
    assert all(squash(e) in pdf for e in evidence)


def test_first_page_has_identification_and_deadline(paper_pdf: bytes) -> None:
    first = pdf_pages(paper_pdf)[0]
    assert "30 avril 2010" in first
    assert "Numéro FINESS" in first
    assert "1 – CHR-CHU" in first  # the 13 categories run over the page break, page 1 stays full


def test_data_blocks_are_not_on_the_form(campaign: Campaign, paper_txt: str) -> None:
    assert all(b.title not in paper_txt for b in campaign.data_blocks)


def test_only_long_lists_may_break_over_a_page(form: PaperForm) -> None:
    """13 categories and 13 protocols may run onto the next page; shorter blocks never split."""
    assert [b["question"]["name"] for b in blocks(form) if b["question"]["breakable"]] == ["categorie", "protocoles"]


def test_a_question_consignes_come_before_its_branches(form: PaperForm, paper_txt: str, paper_pdf: bytes) -> None:
    """XI.1: the consigne on the instance stood after the « Si OUI » meetings and their own consigne."""
    text = collapse(paper_txt)
    pdf = squash(pdf_text(paper_pdf))
    checked = 0
    for node in nodes(form).values():
        if not (node["consignes"] and node["children"]):
            continue
        own = collapse(node["consignes"][0])
        child = collapse(node["children"][0]["text"])
        start = text.find(collapse(printed_wording(node)))
        assert start <= text.find(own, start) < text.find(child, start), node["name"]
        start = pdf.find(squash(printed_wording(node)))
        assert start <= pdf.find(squash(own), start) < pdf.find(squash(child), start), node["name"]
        checked += 1
    assert checked >= 3  # XI.1, XI.3.b, XI.5.b, XI.8


def test_guillemets_never_part_from_their_words(paper_pdf: bytes) -> None:
    """ATB2's evidence ended a text line on a lone « (and a PDF line may do the same)."""
    assert wrap("la mention « référent »", 0, width=12) == ["la mention", "« référent »"]
    text = pdf_text(paper_pdf)
    assert "«\N{NO-BREAK SPACE}" in text and "« " not in text and " »" not in text


def test_renders_are_deterministic(form: PaperForm, paper_pdf: bytes, paper_txt: str) -> None:
    assert render_pdf("paper.typ", form) == paper_pdf
    assert paper_text(form) == paper_txt
    assert b"CreationDate" not in paper_pdf


# ----------------------------------------------------------------------------- the answer grid


@pytest.mark.parametrize(
    ("labels", "layout", "slots"),
    [
        (["Oui", "Non"], "inline", [0, 1]),
        (["Oui", "Non", "Sans objet"], "inline", [0, 1, 2]),
        (["Oui", "Non", "Non concerné"], "inline", [0, 1, 2]),  # the longest last label that fits
        (["Oui", "Non", "Non concernés"], "stacked", [0, 0, 0]),  # one character too many
        (["Part.", "Total"], "inline", [0, 1]),  # 5 characters still fit a slot
        (["Partie", "Total"], "inline", [0, 2]),  # 6 take two slots: « Total » moves to the next one
        (["Interne", "Externe avec convention", "Non"], "stacked", [0, 0, 0]),
        (["a", "b", "c", "dd"], "inline", [0, 1, 2, 3]),  # a fourth box in the zone's tail, if its label fits
        (["a", "b", "c", "ddd"], "stacked", [0, 0, 0, 0]),
        (["a", "b", "c", "d", "e"], "list", []),  # more than 4: a list under the question
    ],
)
def test_choice_layout_puts_each_box_at_a_slot(labels: list[str], layout: str, slots: list[int]) -> None:
    assert choice_layout(labels, described=False, multi=False) == (layout, slots)


def test_options_with_descriptions_or_several_answers_are_lists() -> None:
    assert choice_layout(["Oui", "Non"], described=True, multi=False) == ("list", [])
    assert choice_layout(["Oui", "Non"], described=False, multi=True) == ("list", [])


def zone_options(form: PaperForm) -> list[tuple[str, int]]:
    """(label, slot) of every check box standing in the answer zone, in printed order."""
    placed: list[tuple[str, int]] = []
    for a in all_answers(form):
        if a["kind"] == "choice" and a["layout"] != "list":
            for o in a["options"]:
                assert o["slot"] is not None, o  # every box in the zone stands at a slot
                placed.append((o["label"], o["slot"]))
    return placed


def test_pdf_check_boxes_stand_on_one_grid_on_every_page(form: PaperForm, runs: list[Run]) -> None:
    """« Oui » at one abscissa on every page, « Non » one slot right, « Sans objet » two, whatever
    the number of options (it moved with the width of the options before the fix)."""
    expected = zone_options(form)
    labels = {label for label, _ in expected}

    def label_of(text: str) -> str | None:
        """The option a piece of text prints: all of it, or the first line of a long one."""
        return text if text in labels else next((x for x in labels if len(text) > 9 and x.startswith(text)), None)

    drawn = [r._replace(text=label) for r in runs if (label := label_of(r.text))]
    oui = {r.x for r in drawn if r.text == "Oui"}
    assert len(oui) == 1, f"« Oui » at several abscissas: {sorted(oui)}"
    x0 = oui.pop()
    slot = next(r.x for r in drawn if r.text == "Non" and r.x > x0) - x0
    assert 40 < slot < 55  # points: about 16 mm

    def slot_of(x: float) -> float:
        return round((x - x0) / slot, 2)

    assert Counter((r.text, slot_of(r.x)) for r in drawn) == Counter((label, float(s)) for label, s in expected)
    assert len({r.page for r in drawn}) >= 10


def test_text_check_boxes_stand_on_one_grid(form: PaperForm, paper_txt: str) -> None:
    """Every box of the answer zone at ZONE_AT + k × SLOT, in printed order; list options left of it."""
    found: list[tuple[str, int]] = []
    listed = 0
    for line in paper_txt.splitlines():
        starts = [m.start() for m in re.finditer(r"\[ \] ", line)]
        if not starts:
            continue
        for start, end in zip(starts, [*starts[1:], len(line)], strict=True):
            label = line[start + 4 : end].strip()
            if start < ZONE_AT:
                listed += 1
                continue
            assert (start - ZONE_AT) % SLOT == 0, line
            found.append((label, (start - ZONE_AT) // SLOT))
    expected = zone_options(form)
    assert len(found) == len(expected)
    for (label, slot), (want, want_slot) in zip(found, expected, strict=True):
        assert want.startswith(label) and slot == want_slot, (label, want)  # a stacked label may wrap
    lists = [a for a in all_answers(form) if a["kind"] == "choice" and a["layout"] == "list"]
    assert listed == sum(len(a["options"]) for a in lists)


def test_text_digit_boxes_end_in_one_column(form: PaperForm, paper_txt: str) -> None:
    ends = [m.end() for m in re.finditer(r"\|(?:__\|)+(?:,\|(?:__\|)+)?", paper_txt.replace("\n", "\0"))]
    digits = [a for a in all_answers(form) if a["kind"] == "digits"]
    assert len(ends) == len(digits)
    columns = {len(paper_txt.replace("\n", "\0")[:end].rsplit("\0", 1)[-1]) for end in ends}
    assert columns == {WIDTH - UNIT_WIDTH}


def test_pdf_units_stand_in_one_column(form: PaperForm, runs: list[Run]) -> None:
    units = Counter(a["unit"] for a in all_answers(form) if a["kind"] == "digits" and a["unit"])
    drawn = [r for r in runs if r.text in units]
    assert Counter(r.text for r in drawn) == units
    assert len({r.x for r in drawn}) == 1


WIDE = (
    HEADER
    + """chapitre II "CLIN"
    question 1 volume "Volume"
        décimal 12 chiffres DECIMALS décimales
        unité "journées d’hospitalisation complète"
    question 2 suivi "Suivi ?"
        oui_non
        si oui
            question detail "Détail"
                décimal 12 chiffres 3 décimales
                unité "journées d’hospitalisation complète"
"""
)


def test_wide_numbers_and_long_units_stay_within_80_columns_and_the_page() -> None:
    """24 boxes and a 35-character unit ran to 88 columns; the unit now wraps or goes under the boxes."""
    form = paper_form(compile_source(WIDE.replace("DECIMALS", "12"), "test.bilan"))
    text = paper_text(form)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "|" + "__|" * 12 + ",|" + "__|" * 12 in text
    assert collapse(text).count("journées d’hospitalisation complète") == 2
    pages = pdf_pages(render_pdf("paper.typ", form))
    assert len(pages) == 1  # no identification form: no page left blank before the chapters


def test_more_boxes_than_a_line_holds_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`999999999 décimales` filled the memory building the boxes; the language now stops at 12
    digits and 12 decimals (24 boxes, which the test above prints within 80 columns): where, what,
    what is allowed."""
    source = tmp_path / "large.bilan"
    source.write_text(WIDE.replace("DECIMALS", "999999999"), encoding="utf-8")
    assert main(["-q", str(source), "paper", "--format", "text"]) == 1
    err = capsys.readouterr().err
    assert f"{source}:7:29: erreur : nombre de décimales entre 0 et 12" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- table headings


@pytest.mark.parametrize(
    ("label", "lead", "rest"),
    [
        # the printed form's four headings (circular, annex II, M22 and SURVISO)
        ("Nombre total de personnels formés", "NOMBRE TOTAL", "de personnels formés"),
        ("Nombre total d’heures de formation", "NOMBRE TOTAL", "d’heures de formation"),
        ("Nombre de disciplines participantes", "NOMBRE", "de disciplines participantes"),
        ("Enquête réalisée dans le cadre d’un réseau", "ENQUÊTE RÉALISÉE", "dans le cadre d’un réseau"),
        ("Thèmes des enquêtes d’incidence menées", "THÈMES", "des enquêtes d’incidence menées"),
        # the lead-in stops at anything that is not a word
        ("Thème « 2) Infections du site opératoire »", "THÈME", "« 2) Infections du site opératoire »"),
        # no link word within three words: only the first word in capitals
        ("Résultats annuels bruts consolidés", "RÉSULTATS", "annuels bruts consolidés"),
        ("Évaluation réalisée", "ÉVALUATION RÉALISÉE", ""),
    ],
)
def test_table_headings_are_set_as_printed(label: str, lead: str, rest: str) -> None:
    assert printed_heading(label) == (lead, rest)


def test_iso_table_prints_si_oui_themes_as_its_heading(campaign: Campaign, paper_pdf: bytes, paper_txt: str) -> None:
    printed = question_node(
        attrs.evolve(campaign.questions["iso"], text="Thèmes des enquêtes d’incidence menées"), True
    )
    assert printed["heading"] == {"lead": "SI OUI, THÈMES", "rest": "des enquêtes d’incidence menées"}
    assert [c["lead"] for c in printed["columns"]] == ["NOMBRE", "ENQUÊTE RÉALISÉE"]
    page = next(p for p in pdf_pages(paper_pdf) if "ENQUÊTE RÉALISÉE" in p)
    assert "SI OUI, THÈME" in page and "NOMBRE" in page and "de disciplines participantes" in page
    assert "SI OUI, THÈMES des enquêtes d’incidence menées" in paper_txt
    assert "ENQUÊTE RÉALISÉE dans le cadre d’un réseau" in paper_txt


# ----------------------------------------------------------------------------- evidence


def test_every_item_evidence_is_printed_once_with_its_codes(
    campaign: Campaign, form: PaperForm, paper_pdf: bytes, paper_txt: str
) -> None:
    entries = [e for b in blocks(form) for e in b["evidence"]] + form["other_evidence"]
    codes = [c for e in entries for c in e["codes"]]
    assert sorted(codes) == sorted(code for code, item in campaign.items.items() if item.evidence)
    for e in entries:
        assert all(e["text"] == " ".join(campaign.items[c].evidence) for c in e["codes"])
        assert collapse(f"{', '.join(e['codes'])} : {e['text']}") in collapse(paper_txt)
        assert squash(f"{', '.join(e['codes'])}:{e['text']}") in squash(pdf_text(paper_pdf))
    protocols = next(e for e in entries if "A12(1)" in e["codes"])  # one text, thirteen items
    assert protocols["codes"] == ["A11(3)", "A11(4)", "A11(5)", *[f"A12({i})" for i in range(1, 11)]]


@pytest.mark.parametrize(
    ("code", "question"),
    [
        ("O211", "reunions_clin"),
        ("O212", "reunions_groupes"),  # reads II.2 too: printed under II.3, the last one it reads
        ("O121", "programme"),  # reads the status of the identification form: never printed there
        ("M31", "correspondants"),  # reads III.2 (services) and the « Si OUI » of III.3
        ("A23", "enquete_incidence"),
        ("SURVISO", "enquete_incidence"),  # declared outside any chapter, reads the surgery disciplines
        ("A25", "diffusion"),
        ("ATB3b", "antibiotherapie"),  # reads surgery and emergency from the identification form
        ("ATB4c", "liste_atb"),  # a « Si OUI » two levels down: under its top-level question
    ],
)
def test_evidence_is_printed_under_the_question_it_is_scored_on(form: PaperForm, code: str, question: str) -> None:
    under = [b["question"]["name"] for b in blocks(form) for e in b["evidence"] if code in e["codes"]]
    assert under == [question]


def test_evidence_only_under_questions_its_item_reads(campaign: Campaign, form: PaperForm) -> None:
    for b in blocks(form):
        printed = {n["name"] for n in walk(b["question"])}
        for e in b["evidence"]:
            assert all(printed & set(campaign.items[c].questions) for c in e["codes"]), (b["question"]["name"], e)


def test_evidence_is_on_the_page_of_its_question(form: PaperForm, paper_pdf: bytes, paper_txt: str) -> None:
    """After the question's wording, before the next question: in the text, and on the same PDF page
    (V.1's evidence opened page 8, its 13 protocols left on page 7)."""
    text = collapse(paper_txt)
    pages = [squash(p) for p in pdf_pages(paper_pdf)]
    order = list(blocks(form))
    for b, after in zip(order, [*order[1:], None], strict=True):
        for e in b["evidence"]:
            entry = f"{', '.join(e['codes'])} : {e['text']}"
            start = text.find(collapse(printed_wording(b["question"])))
            end = text.find(collapse(printed_wording(after["question"])), start) if after else len(text)
            assert start < text.find(collapse(entry), start) < end, e["codes"]
            page = next(p for p in pages if squash(entry) in p)
            if b["question"]["breakable"]:  # a long list may break, its last two rows stay with the evidence
                assert all(squash(r["label"]) in page for r in b["question"]["rows"][-2:]), e["codes"]
            else:
                assert squash(printed_wording(b["question"])) in page, e["codes"]


LEFT_OVER = (
    HEADER
    + """données sae "SAE"
    champ lits "Lits" entier 4 chiffres
chapitre II "CLIN"
    question 1 clin "Un CLIN ?"
        oui_non
    item O1 "CLIN" sur 1
        preuve "Liste des membres du CLIN."
        1 point si clin = oui
    item X1 "Lits" sur 1
        preuve "Registre des lits installés."
        1 point si sae.lits > 0
indicateur I "I" sur 2
    O1, X1
"""
)


def test_evidence_of_an_item_that_reads_no_printed_question_ends_the_form() -> None:
    form = paper_form(compile_source(LEFT_OVER, "test.bilan"))
    assert [e["codes"] for b in blocks(form) for e in b["evidence"]] == [["O1"]]
    assert form["other_evidence"] == [{"codes": ["X1"], "text": "Registre des lits installés."}]
    text = paper_text(form)
    assert text.index("X1 : Registre des lits installés.") > text.index("O1 : Liste des membres")
    pdf = squash(pdf_text(render_pdf("paper.typ", form)))
    assert squash(form["other_evidence_title"]) in pdf and squash("X1:Registre des lits installés.") in pdf


OWN_CHAPTER = (
    HEADER
    + """chapitre II "CLIN"
    question 1 clin "Un CLIN ?"
        oui_non
    item O1 "CLIN et formation" sur 1
        preuve "Compte rendu du CLIN."
        1 point si clin = oui et formation = oui
chapitre VIII "Formation"
    question 1 formation "Une formation ?"
        oui_non
indicateur I "I" sur 1
    O1
"""
)


def test_evidence_stays_in_the_chapter_of_its_item() -> None:
    """O1 also reads VIII.1, printed later: its evidence stays under II.1, in its own chapter."""
    form = paper_form(compile_source(OWN_CHAPTER, "test.bilan"))
    assert {b["question"]["name"]: [e["codes"] for e in b["evidence"]] for b in blocks(form)} == {
        "clin": [["O1"]],
        "formation": [],
    }


# ----------------------------------------------------------------------------- every page, last page


def test_every_page_has_the_establishment_line_and_its_number(paper_pdf: bytes) -> None:
    pages = pdf_pages(paper_pdf)
    assert len(pages) >= 10
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert IDENTITY["finess"] in page and IDENTITY["name"] in page, f"page {number}"
    assert IDENTITY["finess"] == "N° FINESS"


def test_the_form_ends_with_place_date_signature_and_stamp(paper_pdf: bytes, paper_txt: str) -> None:
    last = collapse(pdf_pages(paper_pdf)[-1])
    tail = paper_txt[paper_txt.rindex("Hygiène des mains".upper()) :]
    for words in ("Fait à", ", le", "Nom et fonction du signataire", "Signature et cachet de l’établissement"):
        assert words in last and words in tail, words
    assert SIGNATURE["place"] == "Fait à"
    # after the last question of the form, in both formats
    assert collapse(pdf_text(paper_pdf)).rindex("converti en litres") < collapse(pdf_text(paper_pdf)).rindex("Fait à")
    assert tail.index("converti en litres") < tail.index("Fait à")


# ----------------------------------------------------------------------------- capitals


def test_capitals_the_form_sets_keep_their_accents(paper_txt: str, paper_pdf: bytes) -> None:
    assert "DONNÉES ADMINISTRATIVES DE L’ÉTABLISSEMENT" in paper_txt
    assert "CHAPITRE XII — HYGIÈNE DES MAINS" in paper_txt
    assert "Éléments de preuve à conserver" in paper_txt and "Éléments de preuve à conserver" in pdf_text(paper_pdf)
    assert "ENQUÊTE RÉALISÉE" in pdf_text(paper_pdf)


UNACCENTED = re.compile(
    r"\b(Equipe|Evaluation|Etablissements?|Etudiants|Elimination|Edition|Etat)\b|\bA défaut|\bno \d"
)


def test_the_wording_printed_from_the_questionnaire_keeps_its_accents(paper_txt: str) -> None:
    assert UNACCENTED.findall(paper_txt) == []
