"""Items' points forced by a validation (missing evidence zeroes an item): applied by the engine
before every total, formula, status and class, the score agrégé included."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from bilan.cli.resources import load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration, ItemOverride
from bilan.exports.answers_toml import read_answers

CAMPAIGN = load_campaign()
ENGINE = Engine(CAMPAIGN)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ZERO = ItemOverride(Fraction(0), "preuve absente")


def example(name: str) -> Declaration:
    return read_answers(EXAMPLES / name, CAMPAIGN)


def test_zeroing_an_item_rescores_its_indicator_and_the_score_agrege() -> None:
    """CHU Nord (category 1): O211 is worth 6 points; without its evidence ICALIN goes from 85 to
    79 (still class D), and the score agrégé (0.4 ICALIN + 0.3 ICSHA + ICATB + SURVISO) from
    81.66 (B, from 80.70) to 79.26 (C)."""
    d = example("chu-nord.toml")
    before = ENGINE.score(d)
    after = ENGINE.score(attrs.evolve(d, overrides={"O211": ZERO}))
    icsha = Fraction(41250, 487)
    assert before.indicators["ICSHA"].value == after.indicators["ICSHA"].value == icsha
    assert (before.indicators["ICALIN"].value, after.indicators["ICALIN"].value) == (Fraction(85), Fraction(79))
    assert before.indicators["ICALIN"].class_label == after.indicators["ICALIN"].class_label == "D"
    rest = Fraction(65, 4) + 6 + icsha * Fraction(3, 10)  # ICATB + SURVISO + 0.3 ICSHA
    assert before.indicators["SCORE"].value == Fraction(2, 5) * 85 + rest
    assert after.indicators["SCORE"].value == Fraction(2, 5) * 79 + rest
    assert (before.indicators["SCORE"].class_label, after.indicators["SCORE"].class_label) == ("B", "C")
    forced = after.items["O211"]
    assert forced.points == 0 and forced.reason == "preuve absente" and forced.override == "preuve absente"
    assert after.items["O212"] == before.items["O212"]


def test_an_excluded_establishment_stays_excluded() -> None:
    """The exclusion from the score agrégé (surgery without ISO surveillance) reads answers, not
    points: an override leaves it in place."""
    d = example("ch-vallee.toml")
    before = ENGINE.score(d)
    assert before.indicators["SCORE"].status == "exclu"
    code = next(c for c, i in before.items.items() if i.points)
    after = ENGINE.score(attrs.evolve(d, overrides={code: ZERO}))
    assert after.indicators["SCORE"].status == "exclu" and after.items[code].points == 0


def test_forcing_the_points_an_item_already_has_changes_nothing_but_the_reason() -> None:
    d = example("clinique-saint-roch.toml")
    before = ENGINE.score(d)
    forced = {c: ItemOverride(i.points, "vérifié") for c, i in before.items.items()}
    after = ENGINE.score(attrs.evolve(d, overrides=forced))
    assert after.indicators == before.indicators
    assert all(after.items[c].reason == "vérifié" for c in forced)


@pytest.mark.parametrize(
    ("code", "points"),
    [("O211", Fraction(7)), ("O211", Fraction(-1)), ("O211", Fraction(1, 3)), ("INCONNU", Fraction(0))],
)
def test_an_override_the_item_cannot_take_is_refused(code: str, points: Fraction) -> None:
    """Above the maximum, below zero, off the campaign's point scale, an unknown item."""
    with pytest.raises(ValueError, match="ne peut être imposé"):
        ENGINE.score(attrs.evolve(example("chu-nord.toml"), overrides={code: ItemOverride(points, "?")}))
