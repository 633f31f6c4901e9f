"""Declared maxima against what the rules can give: proven, or reported as an error — never skipped.

The tracker's cases first (weights of the 2009 campaign that no longer add up), then what the
analysis cannot decide, each with its golden message.
"""

from __future__ import annotations

import pytest
from test_compile_errors import BASE

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError

Q = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
ICALIN = "730:12: l’indicateur « ICALIN »"


def errors(source: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        compile_source(source, "t.bilan")
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in info.value.diagnostics]


def edit(source: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


def test_an_item_raised_with_its_maximum_is_caught_by_its_groups() -> None:
    """O111 worth 2 (rule and maximum): O1 can reach 8, O 34, ICALIN 101."""
    source = edit(
        Q,
        ('item O111 "Projet d’établissement" sur 1', 'item O111 "Projet d’établissement" sur 2'),
        ("1 point si projet_objectifs = oui", "2 points si projet_objectifs = oui"),
    )
    assert errors(source) == [
        f"{ICALIN} peut dépasser son maximum déclaré (100) : jusqu’à 101 points avec ses items",
        "731:14: fonction « O » de ICALIN peut dépasser son maximum déclaré (33) : jusqu’à 34 points avec ses items",
        "732:23: sous-fonction « O1 » de ICALIN peut dépasser son maximum déclaré (7) : jusqu’à 8 points avec ses items",
    ]


def test_functions_that_total_101() -> None:
    source = edit(
        Q,
        ('sous-fonction A3 "Evaluation" sur 5', 'sous-fonction A3 "Evaluation" sur 6'),
        ('fonction A "Actions" sur 34', 'fonction A "Actions" sur 35'),
        ('item A32 "Audit des pratiques" sur 3', 'item A32 "Audit des pratiques" sur 4'),
        ("3 points supplémentaires si audit = oui", "4 points supplémentaires si audit = oui"),
    )
    assert errors(source) == [f"{ICALIN} peut dépasser son maximum déclaré (100) : jusqu’à 101 points avec ses items"]


def test_a_maximum_no_declaration_reaches() -> None:
    """The formula indicator SCORE reads ICALIN: it is not reported again."""
    source = edit(Q, ('nosocomiales" sur 100\n    fonction O', 'nosocomiales" sur 4300\n    fonction O'))
    assert errors(source) == [
        f"{ICALIN} ne peut pas atteindre son maximum déclaré (4300) : au plus 100 points avec ses items"
    ]


def test_a_group_that_reaches_less_than_declared() -> None:
    source = edit(
        Q, ('sous-fonction M3 "Correspondants en hygiène" sur 8', 'sous-fonction M3 "Correspondants en hygiène" sur 9')
    )
    assert errors(source) == [
        "738:23: sous-fonction « M3 » de ICALIN ne peut pas atteindre son maximum déclaré (9) : "
        "au plus 8 points avec ses items"
    ]


THREE = edit(
    BASE,
    (
        '    question 3 usagers "Convoqués ?"\n        oui_non',
        '    question 3 groupes "G"\n        entier 2 chiffres\n    question 4 autres "A"\n        entier 2 chiffres',
    ),
    (
        "        0 point si reunions = 0\n        2 points si reunions entre 1 et 2\n        6 points si reunions >= 3",
        "        2 points si reunions > groupes\n        2 points si groupes > autres\n        2 points si autres > reunions",
    ),
)


def test_a_maximum_the_analysis_cannot_prove_is_an_error() -> None:
    """Three comparisons that cannot all hold: the analysis knows 4 is reached, not that 6 is not."""
    why = "les conditions lisent « reunions > groupes » (ligne 14) et « groupes > autres » (ligne 15) …, "
    assert errors(THREE) == [
        f"13:10: le maximum de l’item « O211 » (6) n’a pas pu être vérifié : entre 4 points et 6 points selon "
        f"l’analyse ; {why}que l’analyse ne suit pas exactement",
        f"17:12: le maximum de l’indicateur « ICALIN » (6) n’a pas pu être vérifié : entre 4 points et 6 points "
        f"selon l’analyse ; {why}que l’analyse ne suit pas exactement",
    ]


def test_comparisons_of_two_answers_are_proven_when_a_declaration_reaches_the_bound() -> None:
    """`reunions > groupes` and `groupes > 5` hold together (reunions 7, groupes 6): 3 is proven."""
    source = edit(
        THREE,
        (
            "        2 points si groupes > autres\n        2 points si autres > reunions",
            "        1 point si groupes > 5",
        ),
        ("sur 6\n        2", "sur 3\n        2"),
        ('"Indice" sur 6', '"Indice" sur 3'),
    )
    assert compile_source(source, "t.bilan").items["O211"].maximum == 3
    assert errors(source.replace("1 point si groupes > 5", "1 point si groupes > 98")) == [
        "13:10: le maximum de l’item « O211 » (3) n’a pas pu être vérifié : entre 2 points et 3 points selon "
        "l’analyse ; les conditions lisent « reunions > groupes » (ligne 14), que l’analyse ne suit pas exactement",
        "16:12: le maximum de l’indicateur « ICALIN » (3) n’a pas pu être vérifié : entre 2 points et 3 points selon "
        "l’analyse ; les conditions lisent « reunions > groupes » (ligne 14), que l’analyse ne suit pas exactement",
    ]


def test_a_search_past_its_budget_is_an_error() -> None:
    questions = "".join(f'    question {i} q{i} "Q{i}"\n        oui_non\n' for i in range(4, 26))
    counted = ", ".join(f"q{i} = oui" for i in range(4, 26))
    source = edit(
        BASE,
        ("    item O211", questions + "    item O211"),
        ("        6 points si reunions >= 3", f"        6 points si compte({counted}) = 22"),
    )
    given_up = "n’a pas pu être vérifié : l’analyse a été abandonnée (plus de 200\u202f000 combinaisons de réponses à examiner)"
    assert errors(source) == [
        f"55:10: le maximum de l’item « O211 » (6) {given_up}",
        f"59:12: le maximum de l’indicateur « ICALIN » (6) {given_up}",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("maximum 2 si reunions > 100", ["12:9: l’item « O211 » : la condition de ce maximum n’est jamais vraie"]),
        (
            "maximum 3 si reunions <= 2",
            ["12:9: l’item « O211 » : quand cette condition est vraie, les règles donnent au plus 2 points, pas 3"],
        ),
        (
            "maximum 7 si reunions <= 2",
            [
                "12:9: l’item « O211 » : ce maximum dépasse celui de l’item (6)",
                "12:9: l’item « O211 » : quand cette condition est vraie, les règles donnent au plus 2 points, pas 7",
            ],
        ),
    ],
)
def test_conditional_maxima(line: str, expected: list[str]) -> None:
    assert errors(edit(BASE, ('"Réunions" sur 6\n', f'"Réunions" sur 6\n        {line}\n'))) == expected


def test_a_conditional_maximum_the_rules_give() -> None:
    campaign = compile_source(
        edit(BASE, ('"Réunions" sur 6\n', '"Réunions" sur 6\n        maximum 2 si reunions <= 2\n')), "t"
    )
    assert campaign.items["O211"].maxima[0].maximum == 2


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (
            "90",
            "798:12: le maximum de l’indicateur « SCORE » (90) n’a pas pu être vérifié : ses formules vont jusqu’à 100 "
            "selon les bornes de leurs termes",
        ),
        (
            "120",
            "798:12: l’indicateur « SCORE » ne peut pas atteindre son maximum déclaré (120) : au plus 100 selon les "
            "bornes des termes de ses formules",
        ),
    ],
)
def test_a_formula_maximum_is_a_bound_of_its_formulas(maximum: str, expected: str) -> None:
    source = edit(Q, ('indicateur SCORE "Score agrégé" sur 100', f'indicateur SCORE "Score agrégé" sur {maximum}'))
    assert errors(source) == [expected]


def test_a_question_whose_display_cannot_be_decided_is_an_error() -> None:
    """`groupes` is shown only above 90 meetings and has 2 digits: `usagers` never shows, but the
    analysis, which does not follow `groupes > reunions + 10`, cannot prove it."""
    source = edit(
        BASE,
        (
            '    question 3 usagers "Convoqués ?"\n        oui_non',
            '    question 3 groupes "G"\n        entier 2 chiffres\n        si reunions > 90\n'
            '    question 4 usagers "U"\n        oui_non\n        si groupes > reunions + 10',
        ),
    )
    assert errors(source) == [
        "12:16: l’affichage de la question « usagers » n’a pas pu être vérifié : aucune déclaration trouvée où la "
        "condition est vraie, sans preuve qu’il n’en existe pas ; les conditions lisent « groupes > reunions + 10 » "
        "(ligne 14), que l’analyse ne suit pas exactement"
    ]


def test_a_rule_reading_an_indicator_is_reported_not_guessed() -> None:
    """Whether AUTRE applies depends on its own statuses: the analysis does not follow it, and says so."""
    source = edit(
        BASE,
        ("6 points si reunions >= 3", "6 points si reunions >= 3\n        1 point supplémentaire si concerne(AUTRE)"),
        ('"Réunions" sur 6', '"Réunions" sur 7'),
        ('"Indice" sur 6', '"Indice" sur 7'),
    )
    source += 'indicateur AUTRE "A"\n    non concerné si usagers = non\n    valeur reunions\n'
    why = "entre ? et 7 points selon l’analyse ; les conditions lisent l’indicateur « AUTRE », que l’analyse ne suit pas exactement"
    assert errors(source) == [
        f"11:10: le maximum de l’item « O211 » (7) n’a pas pu être vérifié : {why}",
        f"16:12: le maximum de l’indicateur « ICALIN » (7) n’a pas pu être vérifié : {why}",
    ]
