"""Names, cycles and limits: golden messages for the mistakes a maintainer makes past the syntax."""

from __future__ import annotations

import pytest
from test_compile_errors import BASE

from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError


def errors(source: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        compile_source(source, "t.bilan")
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in info.value.diagnostics]


NC_TYPE = 'type oui_non : oui "Oui" | non "Non"\ntype oui_non_nc : oui "Oui" | non "Non" | non_concerne "Non concerné"'
NC = BASE.replace('type oui_non : oui "Oui" | non "Non"', NC_TYPE)
DATA = 'données sae "SAE"\n    champ medecine "Médecine" entier 9 chiffres\n'
ROWS = '        entier 2 chiffres\n        ligne plenieres "P"\n        ligne groupes "G"'
TYPE = "        entier 2 chiffres"

CASES = [
    (
        "reserved word",
        BASE.replace("question 3 usagers", "question 3 si"),
        ["9:16: « si » est un mot réservé du langage : choisir un autre nom"],
    ),
    (
        "function name",
        BASE.replace("question 3 usagers", "question 3 min"),
        ["9:16: « min » est un mot réservé du langage : choisir un autre nom"],
    ),
    # a question named like an option would shadow it in `q = non_concerne`
    (
        "option code",
        NC.replace(
            'Convoqués ?"\n        oui_non',
            'Convoqués ?"\n        oui_non_nc\n    question 4 non_concerne "NC"\n        oui_non',
        ),
        [
            "12:16: « non_concerne » est une réponse du type « oui_non_nc » : ce nom ne peut pas reprendre un code "
            "de réponse, que les conditions ne distingueraient plus"
        ],
    ),
    # the tracker's example: a misspelled indicator was taken for an option code
    (
        "misspelled indicator",
        BASE + 'indicateur SCORE "S"\n    valeur ICALN * 0.4\n',
        ["18:12: nom inconnu « ICALN » ; vouliez-vous dire « ICALIN » ?"],
    ),
    (
        "misspelled row",
        BASE.replace(TYPE, ROWS)
        .replace("reunions = 0", "reunions.plenière = 0")
        .replace("reunions entre", "reunions.plenieres entre")
        .replace("reunions >= 3", "reunions.plenieres >= 3"),
        ["14:20: nom inconnu « reunions.plenière » ; vouliez-vous dire « reunions.plenieres » ?"],
    ),
    (
        "misspelled option",
        BASE.replace("reunions >= 3", "usagers = oiu"),
        ["14:31: « oiu » n’est pas une réponse possible (type oui_non : oui, non) ; vouliez-vous dire « oui » ?"],
    ),
    (
        "item in a condition",
        BASE.replace("reunions >= 3", "O211 > 3"),
        [
            "14:21: « O211 » est un item : une condition lit des questions, des valeurs et des indicateurs, pas les points d’un item"
        ],
    ),
    (
        "option as a number",
        BASE.replace("reunions >= 3", "oui > 3"),
        ["14:21: « oui » est un code de réponse : il se compare à une question à choix (ex. q = oui)"],
    ),
    (
        "misspelled function",
        BASE.replace("reunions >= 3", "presnt(sae)"),
        ["14:21: fonction inconnue « presnt » ; vouliez-vous dire « present » ?"],
    ),
    (
        "misspelled data block",
        DATA + BASE.replace("reunions >= 3", "present(sea)"),
        ["16:21: « present » attend un bloc de données, ex. present(sae) ; vouliez-vous dire « sae » ?"],
    ),
    (
        "misspelled type",
        BASE.replace("entier 2 chiffres", "oui_nn"),
        ["8:9: type inconnu « oui_nn » ; vouliez-vous dire « oui_non » ?"],
    ),
    # the question whose type is unknown is not reported again where it is compared
    (
        "unknown type, once",
        BASE.replace("        oui_non\n", "        oui_nn\n").replace(
            "reunions >= 3", "reunions >= 3 et usagers = oui"
        ),
        ["10:9: type inconnu « oui_nn » ; vouliez-vous dire « oui_non » ?"],
    ),
    (
        "value cycle",
        BASE + 'valeur a "A" = b + 1\nvaleur b "B" = a + 1\n',
        ["17:8: la valeur « a » dépend d’elle-même (a → b → a)"],
    ),
    ("value reads itself", BASE + 'valeur a "A" = a + 1\n', ["17:8: la valeur « a » dépend d’elle-même (a → a)"]),
    # once a RecursionError (exit 70): an item reading a value that reads itself
    (
        "item reads a cyclic value",
        BASE + 'valeur a "A" = a + 1\nitem X1 "X" sur 1\n    1 point si a > 1\n',
        ["17:8: la valeur « a » dépend d’elle-même (a → a)"],
    ),
    (
        "display cycle",
        BASE.replace(TYPE, TYPE + "\n        si usagers = oui").replace(
            "        oui_non\n", "        oui_non\n        si reunions > 2\n"
        ),
        ["7:16: la condition d’affichage de « reunions » dépend de sa propre réponse (reunions → usagers → reunions)"],
    ),
    (
        "display reads itself",
        BASE.replace("        oui_non\n", "        oui_non\n        si usagers = oui\n"),
        ["9:16: la condition d’affichage de « usagers » dépend de sa propre réponse (usagers → usagers)"],
    ),
    (
        "chain too long",
        BASE + "".join(f'valeur v{i} "V" = v{i + 1} + 1\n' for i in range(60)) + 'valeur v60 "V" = reunions\n',
        [
            "17:8: chaîne de dépendances trop longue (62 étapes : v0 → v1 → v2 → …, au plus 50) : passer par moins "
            "de valeurs et de conditions intermédiaires"
        ],
    ),
    ("digits", BASE.replace("entier 2 chiffres", "entier 13 chiffres"), ["8:16: nombre de chiffres entre 1 et 12"]),
    # once computed 10 to the power of a billion, for ever
    (
        "decimals",
        BASE.replace("entier 2 chiffres", "décimal 2 chiffres 999999999 décimales"),
        ["8:28: nombre de décimales entre 0 et 12"],
    ),
    (
        "indicator decimals",
        BASE + 'indicateur R "R"\n    valeur reunions * 2\n    décimales 13\n',
        ["19:5: au plus 12 décimales"],
    ),
    (
        "bound",
        BASE.replace("entier 2 chiffres", "entier 2 chiffres de 1 à 100"),
        ["8:27: le maximum 100 ne tient pas dans 2 chiffres"],
    ),
]


@pytest.mark.parametrize(("what", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_name_error(what: str, source: str, expected: list[str]) -> None:
    assert errors(source) == expected


def test_keywords_outside_expressions_remain_names() -> None:
    """`finess`, `courriel`, `fonction` name fields of the identification forms."""
    campaign = compile_source(BASE.replace("usagers", "courriel"), "t.bilan")
    assert "courriel" in campaign.fields


def test_an_option_code_is_read_as_the_option() -> None:
    from fractions import Fraction

    from bilan.engine.evaluate import Engine
    from bilan.engine.result import Declaration

    source = NC.replace('Convoqués ?"\n        oui_non', 'Convoqués ?"\n        oui_non_nc').replace(
        "reunions >= 3", "reunions >= 3 et usagers != non_concerne"
    )
    engine = Engine(compile_source(source, "t.bilan"))
    three = Fraction(3)
    assert engine.score(Declaration({"reunions": three, "usagers": "oui"})).items["O211"].points == 6
    assert engine.score(Declaration({"reunions": three, "usagers": "non_concerne"})).items["O211"].points == 0
