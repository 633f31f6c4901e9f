"""Two display rules written in the campaign file, not in Python: plausibility ranges (a warning
for an unusual number) and indicators shown only once computed."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bilan.cli.resources import load_campaign
from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration

SOURCE = """\
campagne 2010 "Essai"
    ouverture 2011-01-01
    date limite 2011-04-30

échelle E D C B A

chapitre II "CLIN"
    question 1 reunions "Réunions plénières"
        entier 2 chiffres
        plausible de 1 à 12
    question 2 etp "ETP"
        décimal 2 chiffres 2 décimales
        ligne medecin "Médecin"
        ligne infirmier "Infirmier"
        plausible de 0 à 5

    item I1 "Réunions" sur 2
        2 points si reunions >= 1 : "au moins une"

indicateur IND "Indicateur" sur 2
    affiché si calculé
    non calculable si reunions = 0 : "aucune réunion"
    I1
"""


def test_plausibility_range_is_a_warning_per_field() -> None:
    campaign = compile_source(SOURCE, "essai.bilan")
    engine = Engine(campaign)

    def fired(**answers: Fraction) -> list[str]:
        result = engine.score(Declaration({k.replace("__", "."): v for k, v in answers.items()}))
        return [c.check.name for c in result.checks]

    assert fired(reunions=Fraction(1), etp__medecin=Fraction(0), etp__infirmier=Fraction(5)) == []  # bounds inclusive
    assert fired(reunions=Fraction(0)) == ["plausible_reunions"]
    assert fired(reunions=Fraction(13)) == ["plausible_reunions"]
    assert fired(etp__infirmier=Fraction(501, 100)) == ["plausible_etp_infirmier"]
    assert fired() == []  # unanswered: nothing to doubt
    check = next(c for c in campaign.checks if c.name == "plausible_etp_infirmier")
    assert check.severity == "avertissement"
    assert check.message.startswith("« Infirmier » : valeur inhabituelle (plausible de 0 à 5)")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("plausible de 12 à 1", "la borne basse dépasse la haute"),
        ("plausible de 1 à 12\n        oui_non", "ne s’applique qu’à un nombre"),
    ],
)
def test_plausibility_range_errors(line: str, message: str) -> None:
    source = SOURCE.replace(
        "entier 2 chiffres\n        plausible de 1 à 12",
        line if "oui_non" in line else "entier 2 chiffres\n        " + line,
    )
    with pytest.raises(SourceError) as caught:
        compile_source(source, "essai.bilan")
    assert message in caught.value.render()


def test_shown_if_computed_is_read_from_the_campaign() -> None:
    assert compile_source(SOURCE, "essai.bilan").indicators["IND"].shown_if_computed
    shipped = load_campaign()
    assert [c for c, ind in shipped.indicators.items() if ind.shown_if_computed] == ["SARM"]
