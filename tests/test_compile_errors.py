"""Compile errors of .bilan files: exact messages (golden), several per file, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError

BILAN = str(Path(sys.executable).with_name("bilan"))

BASE = """campagne 2009 "Test"
    ouverture 2010-02-23
    date limite 2010-04-30
échelle E D C B A
type oui_non : oui "Oui" | non "Non"
chapitre II "CLIN"
    question 2 reunions "Combien ?"
        entier 2 chiffres
    question 3 usagers "Convoqués ?"
        oui_non
    item O211 "Réunions" sur 6
        0 point si reunions = 0
        2 points si reunions entre 1 et 2
        6 points si reunions >= 3
indicateur ICALIN "Indice" sur 6
    O211
"""

EXTRA_CHAPTER = """chapitre III "X"
    question 1 x "X"
        oui_non
    item M11 "X" sur 1
        1 point si x = oui
"""

BRANCH = """        oui_non
        si reunions > 99
            question detail "D"
                oui_non
    item"""

CASES = [
    # a letter where the digit count is expected
    (
        "syntax",
        BASE.replace("entier 2 chiffres", "entier deux chiffres"),
        "test.bilan:8:16: erreur : « deux » inattendu ; attendu : un nombre entier\n"
        "            entier deux chiffres\n"
        "                   ^",
    ),
    (
        "unknown name",
        BASE.replace("reunions >= 3", "reunion >= 3"),
        "test.bilan:14:21: erreur : nom inconnu « reunion » ; vouliez-vous dire « reunions » ?\n"
        "            6 points si reunion >= 3\n"
        "                        ^",
    ),
    (
        "duplicate name",
        BASE.replace("question 3 usagers", "question 3 reunions"),
        "test.bilan:9:16: erreur : nom « reunions » déjà déclaré ligne 7\n"
        '        question 3 reunions "Convoqués ?"\n'
        "                   ^",
    ),
    # comparing a yes/no with a number
    (
        "type mismatch",
        BASE.replace("reunions >= 3", "usagers >= 3"),
        "test.bilan:14:21: erreur : comparaison impossible entre un choix (oui, non) et un nombre\n"
        "            6 points si usagers >= 3\n"
        "                        ^",
    ),
    (
        "unknown option",
        BASE.replace("reunions >= 3", "usagers = peut_etre"),
        "test.bilan:14:31: erreur : « peut_etre » n’est pas une réponse possible (type oui_non : oui, non)\n"
        "            6 points si usagers = peut_etre\n"
        "                                  ^",
    ),
    (
        "maximum unreachable",
        BASE.replace("sur 6\n        0", "sur 8\n        0"),
        "test.bilan:11:10: erreur : l’item « O211 » ne peut pas atteindre son maximum déclaré (8) : au plus 6 points\n"
        '        item O211 "Réunions" sur 8\n'
        "             ^",
    ),
    (
        "maximum exceeded",
        BASE.replace("6 points si", "7 points si"),
        "test.bilan:11:10: erreur : l’item « O211 » peut dépasser son maximum déclaré (6) : jusqu’à 7 points\n"
        '        item O211 "Réunions" sur 6\n'
        "             ^\n"
        "test.bilan:15:12: erreur : l’indicateur « ICALIN » peut dépasser son maximum déclaré (6) : "
        "jusqu’à 7 points avec ses items\n"
        '    indicateur ICALIN "Indice" sur 6\n'
        "               ^",
    ),
    (
        "item used by no indicator",
        BASE + EXTRA_CHAPTER,
        "test.bilan:20:10: erreur : l’item « M11 » n’est utilisé par aucun indicateur\n"
        '        item M11 "X" sur 1\n'
        "             ^",
    ),
    (
        "branch never shown",
        BASE.replace("        oui_non\n    item", BRANCH),
        "test.bilan:12:22: erreur : la question « detail » ne peut jamais être affichée : sa condition est toujours fausse\n"
        '                question detail "D"\n'
        "                         ^",
    ),
    (
        "unclosed quote",
        BASE.replace('"Combien ?"', '"Combien ?'),
        "test.bilan:7:25: erreur : guillemet non fermé ? ce texte continue jusqu’à la ligne 9\n"
        '        question 2 reunions "Combien ?\n'
        "                            ^",
    ),
]


@pytest.mark.parametrize(("what", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_text(what: str, source: str, expected: str) -> None:
    with pytest.raises(SourceError) as info:
        compile_source(source, "test.bilan")
    assert info.value.render() == expected


def test_base_compiles() -> None:
    campaign = compile_source(BASE, "test.bilan")
    assert campaign.items["O211"].maximum == 6


def test_several_errors_reported_at_once() -> None:
    source = BASE.replace("reunions >= 3", "usagers >= 3").replace("reunions = 0", "reunionz = 0")
    with pytest.raises(SourceError) as info:
        compile_source(source, "test.bilan")
    lines = [d.span.line for d in info.value.diagnostics]
    assert lines == [12, 14]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('type oui_non : oui "Oui" | oui "Encore"', "deux fois l’option « oui »"),
        ('chapitre IV "Y"\n    question 1 données "X"\n        oui_non\n', "contient des accents"),
        ('chapitre IV "Y"\n    question 1 y "X"\n        inconnu\n', "type inconnu « inconnu »"),
        ('chapitre IV "Y"\n    question 1 y "X"\n', "n’a pas de type de réponse"),
        ('indicateur ICATB "X" sur 4\n    ATB9\n', "item inconnu « ATB9 »"),
        ('valeur boucle "B" = boucle + 1\n', "dépend d’elle-même"),
        # function codes name the subtotals of an export
        (
            EXTRA_CHAPTER + 'indicateur M "M" sur 1\n    fonction F "F" sur 1\n        groupe F "G" sur 1 : M11\n',
            "« F » nomme deux fonctions de l’indicateur « M »",
        ),
        # a per-establishment maximum that the rules do not give
        (
            EXTRA_CHAPTER.replace("sur 1\n", "sur 1\n        maximum 0.5 si x = oui\n")
            + 'indicateur M "M" sur 1\n    M11\n',
            "quand cette condition est vraie, les règles donnent au plus 1 point, pas 0,5",
        ),
    ],
)
def test_other_errors(snippet: str, message: str) -> None:
    with pytest.raises(SourceError) as info:
        compile_source(BASE + snippet, "test.bilan")
    assert message in info.value.render()


def test_class_table_must_cover_every_category_where_the_indicator_applies(campaign_source: str) -> None:
    without_14 = campaign_source.replace("        14  28.5   43.2   71.2   76\n", "")
    with pytest.raises(SourceError) as info:
        compile_source(without_14, "q.bilan")
    assert (
        "classes de « ICALIN » : aucune limite pour categorie = 14, où l’indicateur s’applique" in info.value.render()
    )


@pytest.fixture(scope="module")
def campaign_source() -> str:
    from bilan.cli.resources import DEFAULT_QUESTIONNAIRE

    return DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")


def test_the_2009_questionnaire_passes_every_check(campaign_source: str) -> None:
    campaign = compile_source(campaign_source, "questionnaire.bilan", analyse=True)
    assert campaign.indicators["ICALIN"].maximum == 100
    assert campaign.indicators["ICATB"].maximum == 20


@pytest.mark.system
def test_cli_check_reports_errors_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bilan"
    bad.write_text(BASE.replace("reunions >= 3", "reunion >= 3"), encoding="utf-8")
    proc = subprocess.run([BILAN, "check", str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{bad}:14:21: erreur : nom inconnu « reunion »" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "1 erreur dans" in proc.stderr


MULTI = """campagne 2009 "T"
    ouverture 2010-02-23
    date limite 2010-04-30
échelle E D C B A
type oui_non : oui "Oui" | non "Non"
type discipline : digestive "Digestive" | urologique "Urologique"
fiche etablissement "E"
    champ disciplines "D" plusieurs discipline
chapitre II "X"
    question 1 q "Q ?"
        oui_non
        si disciplines contient urologique
    item A1 "A" sur 1
        1 point si q = oui et disciplines contient urologique
indicateur I "I" sur 1
    A1
"""


def test_contient_tests_an_option_of_a_multiple_choice() -> None:
    from bilan.engine.evaluate import Engine
    from bilan.engine.result import Declaration

    engine = Engine(compile_source(MULTI, "x.bilan"))
    with_it = engine.score(Declaration({"disciplines": frozenset({"urologique"}), "q": "oui"}))
    assert with_it.items["A1"].points == 1 and "q" in with_it.visible
    without = engine.score(Declaration({"disciplines": frozenset({"digestive"}), "q": "oui"}))
    assert without.items["A1"].points == 0 and "q" not in without.visible


def test_a_problem_in_a_shared_condition_is_reported_once() -> None:
    with pytest.raises(SourceError) as info:
        compile_source(MULTI.replace("contient urologique\n    item", "contient cardiaque\n    item"), "x.bilan")
    assert info.value.render() == (
        "x.bilan:12:33: erreur : « cardiaque » n’est pas une réponse possible (type discipline : digestive, urologique)\n"
        "            si disciplines contient cardiaque\n"
        "                                    ^"
    )
