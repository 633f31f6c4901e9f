"""docs/language.md: the minimal campaign it shows compiles, and its maxima are as it says."""

from __future__ import annotations

import re
from pathlib import Path

from bilan.dsl.compiler import compile_source

DOC = Path(__file__).resolve().parent.parent / "docs" / "language.md"


def test_the_minimal_campaign_compiles() -> None:
    section = DOC.read_text(encoding="utf-8").split("## A minimal campaign", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    campaign = compile_source(block.group(1), "minimal.bilan")
    assert [i.maximum for i in campaign.items.values()] == [6, 2]
    assert campaign.indicators["ICALIN"].maximum == 8
