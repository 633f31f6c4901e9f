"""Properties of the engine on the 2009 campaign: scores stay within their maxima, hidden answers
never change a score, the declared maxima (ICALIN 100, ICATB 20) are reachable."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from declarations import declaration as build
from hypothesis import given
from hypothesis import strategies as st

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.model import ChoiceType, Field, MultiChoiceType, NumberType, TextType
from bilan.engine.result import Declaration

CAMPAIGN = load_campaign(DEFAULT_QUESTIONNAIRE)
ENGINE = Engine(CAMPAIGN)
ENTRY_FIELDS = [f for s in CAMPAIGN.fiches + CAMPAIGN.chapters for f in s.fields()]
DATA_FIELDS = [f for s in CAMPAIGN.data_blocks for f in s.fields()]


def value_strategy(field: Field) -> st.SearchStrategy[Any]:
    t = field.type
    if isinstance(t, ChoiceType):
        return st.sampled_from(t.codes)
    if isinstance(t, MultiChoiceType):
        return st.frozensets(st.sampled_from(t.choice.codes))
    if isinstance(t, NumberType):
        scale = 10**t.decimals
        small = st.integers(0, min(int(t.upper * scale), 5 * scale))
        anything = st.integers(int(t.minimum * scale), int(t.upper * scale))
        return st.one_of(small, anything).map(lambda n: Fraction(n, scale))
    assert isinstance(t, TextType)
    return st.just("750712184" if t.kind == "finess" else "texte")


@st.composite
def declarations(draw: st.DrawFn, complete: bool = False) -> Declaration:
    answers: dict[str, Any] = {}
    for f in ENTRY_FIELDS:
        if complete or draw(st.integers(0, 9)) > 0:
            answers[f.name] = draw(value_strategy(f))
    blocks = set()
    for block in CAMPAIGN.data_blocks:
        if draw(st.booleans()):
            blocks.add(block.name)
            for f in block.fields():
                answers[f.name] = draw(value_strategy(f))
    return Declaration(answers, frozenset(blocks))


@given(declarations())
def test_scores_within_bounds(declaration: Declaration) -> None:
    result = ENGINE.score(declaration)
    for code, item in result.items.items():
        assert 0 <= item.points <= item.maximum, code
    for code, ind in result.indicators.items():
        maximum = CAMPAIGN.indicators[code].maximum
        if ind.ok and maximum is not None:
            assert ind.value is not None and 0 <= ind.value <= maximum, code
        if ind.ok and ind.class_label is not None:
            assert ind.class_label in CAMPAIGN.scale


@given(declarations(complete=True), st.data())
def test_hidden_answers_never_change_a_score(declaration: Declaration, data: st.DataObject) -> None:
    before = ENGINE.score(declaration)
    hidden = [f for f in ENTRY_FIELDS if f.name not in before.visible]
    answers = dict(declaration.answers)
    for f in hidden:
        answers[f.name] = data.draw(value_strategy(f))
    after = ENGINE.score(Declaration(answers, declaration.blocks))
    assert after.items == before.items
    assert after.indicators == before.indicators
    assert set(after.hidden_answers) == {f.name for f in hidden}


@pytest.mark.parametrize(
    "profile",
    [
        {"statut": "public", "categorie": 1, "chirurgie": "oui", "urgences": "oui"},
        {"statut": "public", "categorie": 2, "chirurgie": "oui", "urgences": "non"},
        {"statut": "prive", "categorie": 6, "chirurgie": "non", "urgences": "oui"},
        {"statut": "psph", "categorie": 9, "chirurgie": "non", "urgences": "non"},
    ],
)
def test_maxima_reachable_for_every_kind_of_establishment(profile: dict[str, Any]) -> None:
    declaration = build(CAMPAIGN, **profile)
    result = ENGINE.score(declaration)
    assert result.missing == ()
    assert not result.errors
    assert result.indicators["ICALIN"].value == 100
    assert result.indicators["ICALIN"].class_label == "A"
    assert result.indicators["ICATB"].value == 20
    surgery = profile["chirurgie"] == "oui"
    assert result.indicators["SURVISO"].status == ("ok" if surgery else "non_concerne")
    for code, item in result.items.items():
        if code in ("ATB3a", "SURVISO") and not surgery:
            assert item.points == 0, code
        elif code == "ATB3b":  # its top points depend on surgery and emergencies: ICATB3 totals 2
            assert item.points + result.items["ATB3a"].points == 2
        else:
            assert item.points == item.maximum, code
