"""The `exemple` blocks of the other campaigns (the 2010 variant, the 2005 ICALIN): `bilan test`
passes on both, every expectation can fail, and a 2009 figure left in the 2010 file is caught on
its line (the point of writing the 2010 expectations by hand)."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest
from test_language_examples import bilan_test, wrong_versions
from year_campaigns import o221_back_to_2009

from bilan.cli.example_runner import run_examples
from bilan.dsl.compiler import compile_with_examples

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS = ROOT / "examples" / "campaigns"
VARIANT = CAMPAIGNS / "variante-2010.bilan"
ICALIN_2005 = CAMPAIGNS / "icalin-2005.bilan"


@pytest.mark.parametrize(
    ("path", "summary"),
    [
        (VARIANT, "12 exemples, 141 attentes vérifiées, toutes conformes"),
        (ICALIN_2005, "6 exemples, 44 attentes vérifiées, toutes conformes"),
    ],
)
def test_bilan_test_passes_on_the_campaign(capsys: pytest.CaptureFixture[str], path: Path, summary: str) -> None:
    assert bilan_test(capsys, str(path)) == (0, f"{path} : {summary}\n", "")


@pytest.mark.parametrize("path", [VARIANT, ICALIN_2005])
def test_every_expectation_of_the_campaign_can_fail(path: Path) -> None:
    campaign, examples = compile_with_examples(path.read_text(encoding="utf-8"), str(path))
    mutated = 0
    for example in examples:
        assert example.expectations
        for i, expectation in enumerate(example.expectations):
            for wrong in wrong_versions(expectation, campaign.scale):
                changed = list(example.expectations)
                changed[i] = wrong
                outcome = run_examples(campaign, (attrs.evolve(example, expectations=tuple(changed)),), path.parent)
                assert [f.span for f in outcome.failures] == [expectation.span], (example.title, wrong)
                mutated += 1
    assert mutated >= sum(len(example.expectations) for example in examples) > 30


def line_of(text: str, needle: str) -> int:
    [index] = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return index


# Each 2010 change written with its 2009 figure: the file must fail there, and only there.
STALE_2009_FIGURES = [
    ("    item O211 = 5  # 4 réunions", "    item O211 = 6  # 4 réunions", "item O211 : attendu 6, obtenu 5"),
    ("    ICALIN = 64 classe C", "    ICALIN = 63 classe C", "ICALIN : attendu 63, obtenu 64"),
    ("    ICALIN = 49 classe D", "    ICALIN = 48 classe D", "ICALIN : attendu 48, obtenu 49"),
    (
        "    item O221 = 0\n    ICALIN.O = 29",
        "    item O221 = 0\n    ICALIN.O = 30",
        "ICALIN.O : attendu 30, obtenu 29",
    ),
    ("    SCORE = 80.9 classe B", "    SCORE = 80.5 classe B", "SCORE : attendu 80.5, obtenu 80.9"),
]


@pytest.mark.parametrize(("right", "wrong", "message"), STALE_2009_FIGURES)
def test_a_2009_figure_in_the_2010_examples_fails_on_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, right: str, wrong: str, message: str
) -> None:
    text = VARIANT.read_text(encoding="utf-8")
    assert text.count(right) == 1
    edited = text.replace(right, wrong)
    copy = tmp_path / VARIANT.name
    copy.write_text(edited, encoding="utf-8")
    shutil.copytree(CAMPAIGNS / "2010", tmp_path / "2010")
    status, out, err = bilan_test(capsys, str(copy))
    line = line_of(edited, wrong.splitlines()[-1])
    assert (status, out) == (1, "")
    [failure_line] = [x for x in err.splitlines() if ": échec : exemple" in x]
    assert failure_line.startswith(f"{copy}:{line}:5: échec : exemple « ")
    assert failure_line.endswith(message)
    assert err.endswith(f"{copy} : 1 échec ; 12 exemples, 141 attentes\n")


def test_both_campaigns_on_one_command_line_as_the_docs_show(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = bilan_test(capsys, str(VARIANT), str(ICALIN_2005))
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"{VARIANT} : 12 exemples, 141 attentes vérifiées, toutes conformes",
        f"{ICALIN_2005} : 6 exemples, 44 attentes vérifiées, toutes conformes",
    ]


def test_the_examples_of_a_campaign_bilan_check_refuses_are_not_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """O221 back to 2 points in the 2010 variant: its items no longer add up to ICALIN's 100. bilan
    test says so, as bilan check does, instead of reporting the examples' figures."""
    text = VARIANT.read_text(encoding="utf-8")
    edited = o221_back_to_2009(text)
    assert edited != text
    copy = tmp_path / VARIANT.name
    copy.write_text(edited, encoding="utf-8")
    shutil.copytree(CAMPAIGNS / "2010", tmp_path / "2010")
    status, out, err = bilan_test(capsys, str(copy))
    assert (status, out) == (1, "")
    assert "ne peut pas atteindre son maximum déclaré" in err
    assert "échec : exemple" not in err
