"""What `bilan check` says of a campaign's entry period, whichever dates its source gives."""

from __future__ import annotations

import pytest

from bilan.dsl.compiler import compile_source
from bilan.dsl.summary import entry_period

HEAD = 'campagne 2010 "Bilan"\n    source "Circulaire"\n'
BODY = '\néchelle E D C B A\nchapitre II "CLIN"\n    question 1 q "Q ?"\n        entier 2 chiffres\n'


@pytest.mark.parametrize(
    ("dates", "shown"),
    [
        ("    ouverture 2011-02-22\n    date limite 2011-04-29\n", "saisie du 2011-02-22 au 2011-04-29"),
        ("    date limite 2011-04-29\n", "saisie jusqu’au 2011-04-29"),
        ("    ouverture 2011-02-22\n", "saisie à partir du 2011-02-22"),
        ("", "dates de saisie non précisées"),
    ],
)
def test_entry_period_says_what_the_source_gives(dates: str, shown: str) -> None:
    campaign = compile_source(HEAD + dates + BODY, "c.bilan", analyse=False)
    assert entry_period(campaign) == shown
