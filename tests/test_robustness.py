"""Malformed campaign and answers files that once raised a Python exception instead of a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_compile_errors import BASE

from bilan.cli.main import main
from bilan.cli.resources import load_campaign
from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration


def errors(source: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        compile_source(source, "t.bilan")
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in info.value.diagnostics]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a line indented between two open blocks: Lark's DedentError carries no position
        (
            BASE.replace("    question 3 usagers", "  question 3 usagers"),
            [
                "9:3: indentation incohérente : la ligne commence colonne 3, aucun bloc ouvert ne commence là (colonnes 1, 5, 9)"
            ],
        ),
        # an indicator computed from itself, directly or through another: endless recursion when scored
        (
            BASE + 'indicateur X "X"\n    valeur Y\nindicateur Y "Y"\n    valeur X\n',
            ["17:12: l’indicateur « X » dépend de lui-même (X → Y → X)"],
        ),
        (
            BASE + 'indicateur X "X"\n    non calculable si concerne(X)\n    valeur 1\n',
            ["17:12: l’indicateur « X » dépend de lui-même (X → X)"],
        ),
        (
            BASE + 'indicateur X "X"\n    selon les indicateurs concernés\n        X : X\n',
            ["17:12: l’indicateur « X » dépend de lui-même (X → X)"],
        ),
        # an item whose rule reads the indicator that counts it
        (
            BASE.replace("6 points si reunions >= 3", "6 points si reunions >= 3 et concerne(ICALIN)"),
            ["11:10: l’item « O211 » dépend de lui-même (O211 → ICALIN → O211)"],
        ),
        # expressions nested past Python's recursion limit
        (
            BASE.replace("6 points si reunions >= 3", "6 points si " + "non " * 300 + "reunions >= 3"),
            ["14:405: expression trop imbriquée (plus de 100 niveaux) : la découper en valeurs calculées"],
        ),
    ],
    ids=["bad dedent", "indicator cycle", "status reads itself", "case reads itself", "item cycle", "deep"],
)
def test_source_errors_are_diagnostics(source: str, expected: list[str]) -> None:
    assert errors(source) == expected


def test_long_sum_is_a_diagnostic() -> None:
    chain = " + ".join(["reunions"] * 3000)
    (message,) = errors(BASE.replace("reunions >= 3", chain + " >= 3"))
    assert "expression trop imbriquée" in message


def test_question_declared_twice_with_another_layout() -> None:
    # the second declaration's field is in the field table, the first question in the question table
    source = BASE.replace(
        "    question 3 usagers",
        '    question 4 reunions "Encore"\n        ligne a "A" oui_non\n    question 3 usagers',
    )
    assert errors(source) == ["9:16: nom « reunions » déjà déclaré ligne 7"]


def test_item_rule_may_read_an_indicator_scored_later() -> None:
    # O211 reads X, whose item M1 comes after O211: items are scored on first use
    source = BASE.replace("6 points si reunions >= 3", "6 points si reunions >= 3 et concerne(X)") + (
        'indicateur X "X" sur 1\n    M1\nitem M1 "M" sur 1\n    1 point si reunions > 1\n'
    )
    campaign = compile_source(source, "t.bilan", analyse=False)
    result = Engine(campaign).score(Declaration({"reunions": 5, "usagers": "oui"}))
    assert result.items["O211"].points == 6
    assert result.indicators["X"].value == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("reunions_clin = inf", "« inf » n’est pas un nombre"),
        ("reunions_clin = nan", "« nan » n’est pas un nombre"),
        ('reunions_clin = "Infinity"', "« Infinity » n’est pas un nombre"),
        # a number as text is written with the digits 0 to 9: no exponent (it would expand to a billion digits)
        ('reunions_clin = "1e999999999"', "« 1e999999999 » n’est pas un nombre écrit avec les chiffres 0 à 9"),
        ('reunions_clin = "1e-999999999"', "« 1e-999999999 » n’est pas un nombre écrit avec les chiffres 0 à 9"),
        # a TOML float with a large exponent is not expanded either
        ("reunions_clin = 1e300", "« 1e+300 » hors des bornes (0 à 99)"),
        ("reunions_clin = 1e-300", "« 1e-300 » hors des bornes (0 à 99)"),
    ],
)
def test_numbers_that_are_not_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: str, message: str
) -> None:
    path = tmp_path / "a.toml"
    path.write_text(f"[reponses]\n{answers}\n", encoding="utf-8")
    assert main(["score", str(path)]) == 1
    assert f"reponses.reunions_clin : {message}" in capsys.readouterr().err


def test_cli_check_reports_a_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.bilan"
    path.write_text(BASE + 'indicateur X "X"\n    valeur X + 1\n', encoding="utf-8")
    load_campaign.cache_clear()
    assert main(["check", str(path)]) == 1
    assert "dépend de lui-même" in capsys.readouterr().err
