"""One test per reading decided in docs/rules.md (where the cahier des charges is ambiguous)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from declarations import declaration

from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.presentation.indicators import shown_class

SAE = {
    "medecine": 10000,
    "chirurgie": 5000,
    "reanimation": 0,
    "obstetrique": 0,
    "ssr": 0,
    "sld": 0,
    "psychiatrie": 0,
    "hemodialyse": 0,
    "had": 0,
    "urgences": 0,
    "jh_complete": 40000,
}
# objective = (10000 × 7 + 5000 × 9) × 0.003 = 115000 × 0.003 = 345 litres


def test_surviso_typo_50_to_75_gives_6(campaign: Campaign, engine: Engine) -> None:
    # "compris entre 50 % et supérieur à 75 %" read as 50 % <= p < 75 %: 2 of 4 disciplines = 50 %.
    four = frozenset(["digestive", "generale", "orthopedique", "urologique"])
    for surveyed, points in ((1, 4), (2, 6), (3, 10)):  # 25 %, 50 %, 75 %
        d = declaration(campaign, disciplines=four, iso__site_operatoire__disciplines=surveyed)
        assert engine.score(d).items["SURVISO"].points == points


def test_score_agrege_caps_icsha_at_100_but_icsha_class_uses_the_uncapped_value(
    campaign: Campaign, engine: Engine
) -> None:
    # volume 690 L for an objective of 345 L: ICSHA = 200 %, class A; inside the score agrégé, 100.
    d = declaration(campaign, blocks={"sae": SAE}, volume_sha=690, categorie=3)
    r = engine.score(d).indicators
    assert r["ICSHA"].value == 200 and r["ICSHA"].class_label == "A"
    # 100 × 0.4 + 100 × 0.3 + 20 + 10 = 100
    assert r["SCORE"].value == 100


def test_score_agrege_uses_the_printed_coefficients(campaign: Campaign, engine: Engine) -> None:
    # SSR-SLD without surgery: ICALIN 100, ICSHA 50 % (172.5 L of 345 L), ICATB 20:
    # 100 × 0.444 + 50 × 0.333 + 20 × 1.111 = 44.4 + 16.65 + 22.22 = 83.27 (not 83.33 as with 4/9, 1/3, 10/9)
    d = declaration(campaign, blocks={"sae": SAE}, volume_sha=Fraction(345, 2), categorie=9, chirurgie="non")
    score = engine.score(d).indicators["SCORE"]
    assert score.value == Fraction("83.27")
    assert score.class_label == "A"  # Tableau 9, SSR-SLD: B-A limit 82.21


def test_a_score_equal_to_a_limit_lands_in_the_upper_class(campaign: Campaign) -> None:
    # "un score de 19 pour les HAD est classé D"; exact fractions, no float rounding (0.1 + 0.2 ...)
    table = campaign.indicators["ICALIN"].classes
    assert table is not None
    assert table.classify(Fraction(19), 11) == "D"
    assert table.classify(Fraction(19) - Fraction(1, 100), 11) == "E"
    atb = campaign.indicators["ICATB"].classes
    assert atb is not None
    assert atb.classify(Fraction("7.062"), 2) == "C"


def test_had_days_count_only_for_had_establishments(campaign: Campaign, engine: Engine) -> None:
    had = dict(SAE, medecine=0, chirurgie=0, had=50000)  # 50000 × 2 × 0.003 = 300 L
    d_had = declaration(campaign, blocks={"sae": had}, volume_sha=150, categorie=11, chirurgie="non")
    assert engine.score(d_had).indicators["ICSHA"].value == 50
    d_chu = declaration(campaign, blocks={"sae": dict(SAE, had=50000)}, volume_sha=345)
    assert engine.score(d_chu).indicators["ICSHA"].value == 100  # HAD days ignored: still 345 L


def test_missing_sae_gives_class_f_and_no_score_agrege(campaign: Campaign, engine: Engine) -> None:
    r = engine.score(declaration(campaign)).indicators
    assert r["ICSHA"].status == "non_calculable" and shown_class(r["ICSHA"]) == "F"
    assert r["SCORE"].status == "non_calculable"
    assert "ICSHA" in (r["SCORE"].reason or "")


def test_instances_public_versus_private(campaign: Campaign, engine: Engine) -> None:
    two_public: dict[str, Any] = {
        "programme_avis__cme": "oui",
        "programme_avis__cssi": "oui",
        "programme_avis__ca": "non",
        "programme_avis__chsct": "non",
    }
    assert engine.score(declaration(campaign, **two_public)).items["O121"].points == Fraction(1, 2)
    # private: the CSSI question is not asked (its answer is hidden, not counted)
    assert engine.score(declaration(campaign, statut="prive", **two_public)).items["O121"].points == Fraction(1, 2)
    private_two = dict(two_public, programme_avis__ca="oui")
    assert engine.score(declaration(campaign, statut="psph", **private_two)).items["O121"].points == 1
    # O122 ("CHST" read as CHSCT): at least two instances
    one: dict[str, Any] = {
        "rapport_avis__cme": "oui",
        "rapport_avis__cssi": "non",
        "rapport_avis__ca": "non",
        "rapport_avis__chsct": "non",
    }
    assert engine.score(declaration(campaign, **one)).items["O122"].points == 0


def test_sub_answers_under_a_no_are_kept_but_never_scored(campaign: Campaign, engine: Engine) -> None:
    r = engine.score(declaration(campaign, programme="non", rapport="non"))
    assert r.items["O121"].points == 0 and r.items["O122"].points == 0
    assert "programme_avis.cme" in r.hidden_answers


def test_a25_without_any_surveillance(campaign: Campaign, engine: Engine) -> None:
    r = engine.score(declaration(campaign, enquete_prevalence="non", enquete_incidence="non", laboratoire="non"))
    assert r.items["A25"].points == 0
    assert "diffusion.enquetes" not in r.visible and "diffusion.enquetes" not in r.missing


def test_o212_with_no_working_group_meeting(campaign: Campaign, engine: Engine) -> None:
    # 0 meetings of working groups scores 0 even when the CLIN did not meet either
    r = engine.score(declaration(campaign, reunions_clin=0, reunions_groupes=0))
    assert r.items["O212"].points == 0


def test_sarm_at_exactly_90000_days_is_not_concerned(campaign: Campaign, engine: Engine) -> None:
    history = {"sarm_2007": {"patients": 10, "journees": 30000}, "sarm_2008": {"patients": 10, "journees": 30000}}
    at = declaration(campaign, blocks={"sae": dict(SAE, jh_complete=30000), **history}, sarm_patients=10)
    assert engine.score(at).indicators["SARM"].status == "non_concerne"
    above = declaration(campaign, blocks={"sae": dict(SAE, jh_complete=30001), **history}, sarm_patients=10)
    sarm = engine.score(above).indicators["SARM"]
    assert sarm.status == "ok" and sarm.value == Fraction(30 * 1000, 90001)


def test_sarm_missing_history_is_di(campaign: Campaign, engine: Engine) -> None:
    d = declaration(campaign, blocks={"sae": SAE, "sarm_2008": {"patients": 1, "journees": 50000}})
    r = engine.score(d).indicators["SARM"]
    assert r.status == "non_calculable" and shown_class(r) == "DI"


def test_sans_objet_does_not_score_m21(campaign: Campaign, engine: Engine) -> None:
    d = declaration(campaign, formation_nouveaux__interimaires="sans_objet", formation_nouveaux__etudiants="sans_objet")
    assert engine.score(d).items["M21"].points == Fraction(3, 2)


def test_surgery_without_iso_surveillance_is_excluded(campaign: Campaign, engine: Engine) -> None:
    d = declaration(campaign, blocks={"sae": SAE}, volume_sha=345, iso__site_operatoire__disciplines=0)
    r = engine.score(d).indicators
    assert r["SURVISO"].value == 0
    assert r["SCORE"].status == "exclu"


def test_atb_non_concerne_must_match_the_profile(campaign: Campaign, engine: Engine) -> None:
    r = engine.score(declaration(campaign, antibioprophylaxie="non_concerne"))
    assert [c.check.name for c in r.errors] == ["antibioprophylaxie_nc"]


def test_an_unanswered_iso_survey_does_not_exclude_yet(campaign: Campaign, engine: Engine) -> None:
    # exclusion needs the answer: VI.2 "Non", or "Oui" with 0 ISO discipline; unanswered → provisional
    d = declaration(campaign, blocks={"sae": SAE}, volume_sha=345, enquete_incidence=None)
    r = engine.score(d)
    assert "enquete_incidence" in r.missing
    assert r.indicators["SCORE"].status == "ok"
    no = declaration(campaign, blocks={"sae": SAE}, volume_sha=345, enquete_incidence="non")
    assert engine.score(no).indicators["SCORE"].status == "exclu"
