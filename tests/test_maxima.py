"""Declared maxima against what the rules can give: proven, or reported as an error — never skipped.

The tracker's cases first (weights of the 2009 campaign that no longer add up), then what the
analysis cannot decide, each with its golden message.
"""

from __future__ import annotations

import re

import pytest
from test_compile_errors import BASE

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl import solver
from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError

Q = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")


def errors(source: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        compile_source(source, "t.bilan")
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in info.value.diagnostics]


def edit(source: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


def regroup(source: str, *changes: tuple[str, str]) -> str:
    """Edits of the 2009 campaign by pattern (`(item O111 "[^"]*" sur )1`), wordings left as they are."""
    for pattern, replacement in changes:
        source, count = re.subn(pattern, replacement, source)
        assert count == 1, pattern
    return source


def at(source: str, declaration: str) -> str:
    """`line:column` of the name declared by `declaration` (`indicateur ICALIN`), as a message gives it."""
    match = re.search(rf"^ *{re.escape(declaration)}\b", source, re.M)
    assert match is not None, declaration
    line = source.count("\n", 0, match.start()) + 1
    column = match.end() - len(declaration.split()[-1]) - source.rfind("\n", 0, match.start())
    return f"{line}:{column}"


def test_an_item_raised_with_its_maximum_is_caught_by_its_groups() -> None:
    """O111 worth 2 (rule and maximum): O1 can reach 8, O 34, ICALIN 101."""
    source = regroup(
        Q, (r'(item O111 "[^"]*" sur )1\b', r"\g<1>2"), (r"1 point( si projet_objectifs = oui)", r"2 points\1")
    )
    assert errors(source) == [
        f"{at(Q, 'indicateur ICALIN')}: l’indicateur « ICALIN » peut dépasser son maximum déclaré (100) : "
        "jusqu’à 101 points avec ses items",
        f"{at(Q, 'fonction O')}: fonction « O » de ICALIN peut dépasser son maximum déclaré (33) : "
        "jusqu’à 34 points avec ses items",
        f"{at(Q, 'sous-fonction O1')}: sous-fonction « O1 » de ICALIN peut dépasser son maximum déclaré (7) : "
        "jusqu’à 8 points avec ses items",
    ]


def test_functions_that_total_101() -> None:
    source = regroup(
        Q,
        (r'(sous-fonction A3 "[^"]*" sur )5\b', r"\g<1>6"),
        (r'(fonction A "[^"]*" sur )34\b', r"\g<1>35"),
        (r'(item A32 "[^"]*" sur )3\b', r"\g<1>4"),
        (r"3 points( supplémentaires si audit = oui)", r"4 points\1"),
    )
    assert errors(source) == [
        f"{at(Q, 'indicateur ICALIN')}: l’indicateur « ICALIN » peut dépasser son maximum déclaré (100) : "
        "jusqu’à 101 points avec ses items"
    ]


def test_a_maximum_no_declaration_reaches() -> None:
    """The formula indicator SCORE reads ICALIN: it is not reported again."""
    source = regroup(Q, (r'(indicateur ICALIN "[^"]*" sur )100\b', r"\g<1>4300"))
    assert errors(source) == [
        f"{at(Q, 'indicateur ICALIN')}: l’indicateur « ICALIN » ne peut pas atteindre son maximum déclaré (4300) : "
        "au plus 100 points avec ses items"
    ]


def test_a_group_that_reaches_less_than_declared() -> None:
    source = regroup(Q, (r'(sous-fonction M3 "[^"]*" sur )8\b', r"\g<1>9"))
    assert errors(source) == [
        f"{at(Q, 'sous-fonction M3')}: sous-fonction « M3 » de ICALIN ne peut pas atteindre son maximum déclaré (9) : "
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


def test_a_search_past_its_budget_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """22 yes/no questions counted together: 4 million declarations. The budget is lowered to 2,000
    steps so that giving up takes a second, not 200,000 steps' half a minute; the campaign fixture
    shows that the real budget is enough for the 2009 campaign."""
    monkeypatch.setattr(solver, "BUDGET", 2_000)
    questions = "".join(f'    question {i} q{i} "Q{i}"\n        oui_non\n' for i in range(4, 26))
    counted = ", ".join(f"q{i} = oui" for i in range(4, 26))
    source = edit(
        BASE,
        ("    item O211", questions + "    item O211"),
        ("        6 points si reunions >= 3", f"        6 points si compte({counted}) = 22"),
    )
    given_up = (
        "n’a pas pu être vérifié : l’analyse a été abandonnée (plus de 2\u202f000 combinaisons de réponses à examiner)"
    )
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
            "le maximum de l’indicateur « SCORE » (90) n’a pas pu être vérifié : ses formules vont jusqu’à 100 "
            "selon les bornes de leurs termes",
        ),
        (
            "120",
            "l’indicateur « SCORE » ne peut pas atteindre son maximum déclaré (120) : au plus 100 selon les "
            "bornes des termes de ses formules",
        ),
    ],
)
def test_a_formula_maximum_is_a_bound_of_its_formulas(maximum: str, expected: str) -> None:
    source = regroup(Q, (r'(indicateur SCORE "[^"]*" sur )100\b', rf"\g<1>{maximum}"))
    assert errors(source) == [f"{at(Q, 'indicateur SCORE')}: {expected}"]


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
