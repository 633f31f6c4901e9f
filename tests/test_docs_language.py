"""docs/language.md: the minimal campaign it shows compiles, and its maxima are as it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bilan.cli.main import main
from bilan.dsl.compiler import compile_source
from bilan.dsl.formatter import format_source

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "language.md"


def blocks() -> list[str]:
    return re.findall(r"```\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_minimal_campaign_compiles() -> None:
    section = DOC.read_text(encoding="utf-8").split("## A minimal campaign", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    campaign = compile_source(block.group(1), "minimal.bilan")
    assert [i.maximum for i in campaign.items.values()] == [6, 2]
    assert campaign.indicators["ICALIN"].maximum == 8


def test_the_minimal_campaign_is_laid_out_as_bilan_fmt_does() -> None:
    [minimal] = [b for b in blocks() if b.startswith("campagne 2010")]
    assert format_source(minimal) == minimal


def test_the_examples_shown_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The `exemple` blocks of the doc, added to the shipped campaign (titles made unique), pass `bilan test`."""
    shown = [b for b in blocks() if b.startswith("exemple ")]
    assert len(shown) == 1 and shown[0].count("exemple ") == 2
    campaign = (ROOT / "questionnaire.bilan").read_text(encoding="utf-8")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    path = tmp_path / "doc.bilan"
    path.write_text(campaign + "\n" + shown[0].replace('exemple "', 'exemple "doc : '), encoding="utf-8")
    assert main(["test", str(path)]) == 0
    assert capsys.readouterr().out == f"{path} : 18 exemples, 162 attentes vérifiées, toutes conformes\n"
