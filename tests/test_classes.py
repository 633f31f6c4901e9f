"""Class limits (Tableaux 4, 6, 7, 9), applicability (Tableau 2 and the cahier des charges), the
score agrégé formulas (Tableau 8) and the SARM index, against the seed text.

Limits below are typed from the seed (/work/shared/seeds/001_45b6475147782dc3.txt), not read from
the campaign. "NB : Les bornes supérieures sont « strictement supérieures » à l'intervalle et les
bornes inférieures sont « inférieures ou égales » à l'intervalle" (classes E < ≤ D < ≤ C < ≤ B < ≤ A):
a value equal to a limit is in the upper class, a value 0.01 below it in the lower class.
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest

from bilan.cli.resources import load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration, Result
from bilan.presentation.indicators import shown_class

CAMPAIGN = load_campaign()
PROTOCOLS = [r.name for r in load_campaign().questions["protocoles"].rows]
ENGINE = Engine(CAMPAIGN)
LABELS = ("E", "D", "C", "B", "A")
CENT = F("0.01")

# Tableau no 4 — ICALIN, percentiles 10 / 30 / 70 / 90.
ICALIN_LIMITS = {
    1: ("65.75", "86", "94.25", "97.75"),
    2: ("44.5", "62.5", "79.5", "88.5"),
    3: ("67.5", "79", "89", "95.5"),
    4: ("36", "50.65", "73", "84.45"),
    5: ("16.4", "31.5", "59", "74.1"),
    6: ("36", "55", "73", "85.1"),
    7: ("52", "63.5", "79.5", "89"),
    9: ("23", "45", "69.5", "82"),
    10: ("63.7", "72.7", "85.1", "94.3"),
    11: ("19", "28.75", "49.75", "64.5"),
    12: ("29.6", "51.4", "69.7", "80.35"),
    13: ("26.5", "38.25", "78", "84.5"),
    14: ("28.5", "43.2", "71.2", "76"),
}

# Tableau no 6 — ICATB (11 to 14 and postcure: "NON CONCERNÉ").
ICATB_LIMITS = {
    1: ("11", "13.75", "17", "18"),
    2: ("3.52", "7.062", "12.25", "15.25"),
    3: ("6.49", "9.75", "14", "17"),
    4: ("2", "5.06", "11.50", "14.18"),
    5: ("0.06", "2.22", "7.37", "12.25"),
    6: ("3.25", "7.25", "12.5", "15.50"),
    7: ("5", "9.25", "13.50", "15.78"),
    9: ("0.25", "4", "10.50", "14.25"),
    10: ("6.39", "9.95", "14.15", "15.83"),
}

# Tableau no 9 — score agrégé, limits E-D / D-C / C-B / B-A.
SCORE_LIMITS = {
    1: ("44.30", "62.15", "80.70", "91.10"),
    2: ("28.32", "46.06", "70.05", "84.65"),
    3: ("40.49", "55.35", "75.60", "89.20"),
    4: ("21.54", "38.10", "68.50", "83.22"),
    5: ("10.68", "26.44", "57.69", "76.48"),
    6: ("24.65", "43.25", "67.70", "83.54"),
    7: ("32.80", "48.65", "71.30", "85.38"),
    9: ("13.82", "34.41", "65.83", "82.21"),
    10: ("38.87", "53.03", "74.19", "87.55"),
    11: ("16.00", "29.17", "56.49", "72.99"),
    12: ("23.07", "44.27", "69.80", "83.56"),
    13: ("26.50", "38.25", "78.84", "84.50"),
    14: ("30.80", "44.56", "66.96", "74.80"),
}

# Tableau no 7 — ICSHA: "E < 10 % ≤ D < 30 % ≤ C < 70 % ≤ B < 90 % ≤ A".
ICSHA_LIMITS = ("10", "30", "70", "90")

TABLES = {"ICALIN": ICALIN_LIMITS, "ICATB": ICATB_LIMITS, "SCORE": SCORE_LIMITS}
MAXIMA = {"ICALIN": F(100), "ICATB": F(20), "SCORE": F(100)}


def limit_rows() -> list[Any]:
    return [
        pytest.param(code, category, index, F(limit), id=f"{code}-cat{category}-{LABELS[index + 1]}@{limit}")
        for code, table in TABLES.items()
        for category, limits in table.items()
        for index, limit in enumerate(limits)
    ]


@pytest.mark.parametrize(("code", "category", "index", "limit"), limit_rows())
def test_limit_is_lower_inclusive(code: str, category: int, index: int, limit: F) -> None:
    classes = CAMPAIGN.indicators[code].classes
    assert classes is not None
    assert classes.classify(limit, category) == LABELS[index + 1]
    assert classes.classify(limit - CENT, category) == LABELS[index]


@pytest.mark.parametrize(("code", "category"), [(c, k) for c, t in TABLES.items() for k in t])
def test_extreme_classes(code: str, category: int) -> None:
    classes = CAMPAIGN.indicators[code].classes
    assert classes is not None
    assert classes.classify(F(0), category) == "E"
    assert classes.classify(MAXIMA[code], category) == "A"


@pytest.mark.parametrize("code", sorted(TABLES))
def test_tables_cover_exactly_the_printed_categories(code: str) -> None:
    classes = CAMPAIGN.indicators[code].classes
    assert classes is not None
    assert set(classes.limits) == set(TABLES[code])


def test_had_score_of_19_is_class_d() -> None:
    # Tableau 4: "Exemple : un score de 19 pour les HAD est classé D."
    classes = CAMPAIGN.indicators["ICALIN"].classes
    assert classes is not None
    assert classes.classify(F(19), 11) == "D"
    assert classes.classify(F("18.99"), 11) == "E"


@pytest.mark.parametrize(("index", "limit"), list(enumerate(ICSHA_LIMITS)))
def test_icsha_fixed_limits(index: int, limit: str) -> None:
    classes = CAMPAIGN.indicators["ICSHA"].classes
    assert classes is not None
    for category in (1, 5, 11, 12):  # the same limits for every category
        assert classes.classify(F(limit), category) == LABELS[index + 1]
        assert classes.classify(F(limit) - CENT, category) == LABELS[index]


def test_icsha_extreme_classes() -> None:
    classes = CAMPAIGN.indicators["ICSHA"].classes
    assert classes is not None
    assert classes.classify(F(0), 1) == "E"
    assert classes.classify(F(250), 1) == "A"  # uncapped percentage


# ---------------------------------------------------------------------------------------------
# End-to-end declarations
# ---------------------------------------------------------------------------------------------

# A public CHU with surgery, emergencies and 4 surgical disciplines (3 under ISO surveillance) scoring
# every ICALIN item (100/100) and every ICATB item (20/20).
FULL: dict[str, Any] = {
    "categorie": 1,
    "statut": "public",
    "chirurgie": "oui",
    "urgences": "oui",
    "postcure": "non",
    "disciplines": frozenset({"digestive", "generale", "orthopedique", "urologique"}),
    "reunions_clin": F(3),
    "reunions_groupes": F(4),
    "usagers_convoques": "oui",
    "eohh.medecin": F(1),
    "eohh.pharmacien": F(0),
    "eohh.cadre_infirmier": F(1),
    "eohh.infirmier": F(0),
    "eohh.technicien": F(1),
    "eohh.secretaire": F(0),
    "services_total": F(10),
    "correspondants": "oui",
    "services_correspondants.medical": F(6),
    "services_correspondants.paramedical": F(6),
    "projet": "oui",
    "projet_objectifs": "oui",
    "com": "oui",
    "com_objectifs": "oui",
    "livret": "oui",
    "livret_information": "oui",
    "programme": "oui",
    **{f"programme_avis.{i}": "oui" for i in ("cme", "cssi", "ca", "chsct")},
    "rapport": "oui",
    **{f"rapport_avis.{i}": "oui" for i in ("cme", "cssi", "ca", "chsct")},
    **{f"protocoles.{p}": "oui" for p in PROTOCOLS},
    "aes_protocole": "oui",
    "aes_declaration": "oui",
    "aes_prevention": "oui",
    "bmr_programme": "oui",
    "ecs": "oui_seuil",
    "enquete_prevalence": "oui",
    "enquete_incidence": "oui",
    "iso.site_operatoire.disciplines": F(3),
    "iso.site_operatoire.reseau": "oui",
    "laboratoire": "interne",
    "labo_surveillance": "oui",
    "diffusion.enquetes": "oui",
    "diffusion.laboratoire": "oui",
    "responsable_signalement": "oui",
    "formation_programme": "oui",
    "formation_plan": "oui",
    "clin_plan_formation": "oui",
    "formation_nouveaux.recrutes": "oui",
    "formation_nouveaux.interimaires": "oui",
    "formation_nouveaux.etudiants": "oui",
    **{
        f"formation_personnel.{c}.{k}": F(1) for c in ("medecins", "infirmiers", "autres") for k in ("formes", "heures")
    },
    "evaluation": "oui",
    "audit": "oui",
    "sarm_patients": F(10),
    "commission_atb": "oui",
    "commission_atb_reunions": F(3),
    "referent_atb": "oui",
    "antibioprophylaxie": "oui",
    "antibiotherapie": "oui",
    "antibiotherapie_urgences": "oui",
    "liste_atb": "oui",
    "liste_controlee": "oui",
    "duree_limitee": "oui",
    "connexion": "oui",
    "prescription": "oui",
    "prescription_etendue": "totale",
    "formation_prescripteurs": "oui",
    "evaluation_atb": "oui",
    "surveillance_ddj": "oui",
    **{f"ddj.{k}": F(10) for k in ("j01a", "j01b", "j01c", "j01d", "j01e", "j01f", "j01g", "j01m", "j01x")},
    "ddj.total": F(90),
    # SAE: 10,000 medicine days → objective 10,000 × 7 × 0.003 = 210 L; 252 L → ICSHA 120 %.
    "sae.medecine": F(10000),
    "volume_sha": F(252),
}

# ICALIN 100 → 80: A22 (4) + M22 (3) + M23 (3) + A32 (3) + A26 (2) + A21(2) (2) + O112 (2) + A21(1) (1).
ICALIN_80: dict[str, Any] = {
    "bmr_programme": "non",
    "formation_personnel.medecins.formes": F(0),
    "formation_personnel.medecins.heures": F(0),
    "formation_personnel.infirmiers.formes": F(0),
    "formation_personnel.infirmiers.heures": F(0),
    "audit": "non",
    "responsable_signalement": "non",
    "aes_prevention": "non",
    "com_objectifs": "non",
    "aes_declaration": "non",
}
# ICATB 20 → 15: ATB7 (2.5) + ATB8 (2.5).
ICATB_15: dict[str, Any] = {"evaluation_atb": "non", "surveillance_ddj": "non"}

# Without surgery: no disciplines, ATB3a "non concerné" (ATB3b then worth 2: ICATB still 20).
NO_SURGERY: dict[str, Any] = {
    "chirurgie": "non",
    "disciplines": frozenset(),
    "antibioprophylaxie": "non_concerne",
    "enquete_incidence": "non",
}


def score(*overrides: dict[str, Any], blocks: tuple[str, ...] = ("sae",)) -> Result:
    answers: dict[str, Any] = dict(FULL)
    for o in overrides:
        answers.update(o)
    return ENGINE.score(Declaration(answers=answers, blocks=frozenset(blocks), justifications={}))


def test_full_declaration_maxima() -> None:
    # Tableau 3: ICALIN out of 100; Tableau 5: ICATB out of 20 ("La note maximale d'ICATB est 20/20").
    result = score()
    assert result.indicators["ICALIN"].value == 100
    assert result.indicators["ICATB"].value == 20
    assert result.indicators["ICALIN"].class_label == "A"


def test_base_cases_for_the_formulas() -> None:
    result = score(ICALIN_80, ICATB_15)
    assert result.indicators["ICALIN"].value == 80
    assert result.indicators["ICATB"].value == 15
    assert result.indicators["ICSHA"].value == 120
    assert result.indicators["SURVISO"].value == 10  # 3 of 4 disciplines = 75 %


# --- ICALIN, ICATB, ICSHA classes end to end ------------------------------------------------


def nothing_done() -> dict[str, Any]:
    """FULL with every "oui" turned "non" and every number 0: every item is worth 0."""
    swap = {"oui": "non", "oui_seuil": "non", "interne": "non"}
    return {k: F(0) if isinstance(v, F) else swap.get(v, v) if isinstance(v, str) else v for k, v in FULL.items()}


def test_nothing_done_scores_zero() -> None:
    assert score(nothing_done()).indicators["ICALIN"].value == 0


def test_had_establishment_with_icalin_exactly_19_is_d() -> None:
    # Tableau 4: "un score de 19 pour les HAD est classé D" — O211 6 + O212 4 + O221 2 + M11 6 + O111 1.
    had = {
        "categorie": 11,
        **NO_SURGERY,
        "reunions_clin": F(3),
        "reunions_groupes": F(4),
        "usagers_convoques": "oui",
        "eohh.medecin": F(1),
        "projet": "oui",
        "projet_objectifs": "oui",
    }
    result = score(nothing_done(), had)
    assert result.indicators["ICALIN"].value == 19
    assert result.indicators["ICALIN"].class_label == "D"
    # 18.5 (O111 replaced by A12(1) 0.5) is below the P10 limit of 19: class E.
    result = score(nothing_done(), had, {"projet": "non", "protocoles.intravasculaires": "oui"})
    assert result.indicators["ICALIN"].value == F("18.5")
    assert result.indicators["ICALIN"].class_label == "E"


@pytest.mark.parametrize(
    ("overrides", "value", "label"),
    [
        # 20 − ATB8 2.5 − ATB3a 0.5 = 17 = CHU P70: class B
        ({"surveillance_ddj": "non", "antibioprophylaxie": "non"}, "17", "B"),
        # 17 − ATB4c 0.25 = 16.75 < 17: class C
        ({"surveillance_ddj": "non", "antibioprophylaxie": "non", "duree_limitee": "non"}, "16.75", "C"),
        # 20 − ATB2 (4) − ATB6 (1) = 15: 13.75 ≤ 15 < 17, class C
        ({"referent_atb": "non", "formation_prescripteurs": "non"}, "15", "C"),
        # 20 ≥ 18: class A
        ({}, "20", "A"),
    ],
)
def test_icatb_class_end_to_end(overrides: dict[str, Any], value: str, label: str) -> None:
    result = score(overrides)
    assert result.indicators["ICATB"].value == F(value)
    assert result.indicators["ICATB"].class_label == label


@pytest.mark.parametrize(
    ("volume", "percent", "label"),
    [
        ("189", F(90), "A"),  # 189 / 210 L = 90 % exactly: "90 % ≤ A"
        ("188.97", F(18897, 210), "B"),  # 89.99 %, just under 90 %
        ("147", F(70), "B"),  # 70 % exactly: "70 % ≤ B"
        ("63", F(30), "C"),  # 30 % exactly
        ("21", F(10), "D"),  # 10 % exactly
        ("20.99", F(2099, 210), "E"),  # 9.995 %, just under 10 %
        ("420", F(200), "A"),  # the class uses the uncapped percentage
    ],
)
def test_icsha_value_and_class(volume: str, percent: F, label: str) -> None:
    # Tableau 7: ICSHA = volume commandé / objectif personnalisé, in % (objective 10,000 × 7 × 0.003 = 210 L)
    icsha = score({"volume_sha": F(volume)}).indicators["ICSHA"]
    assert icsha.value == percent
    assert icsha.class_label == label


def test_icsha_objective_uses_every_speciality_of_tableau_a() -> None:
    # Tableau A frictions: médecine 7, chirurgie 9, réanimation 40, obstétrique 8, SSR 5, SLD 4,
    # psychiatrie 2, hémodialyse 6 (par séance), urgences 2 (par passage); × 0,003 L (tableau B).
    sae = {
        "sae.medecine": F(1000),
        "sae.chirurgie": F(1000),
        "sae.reanimation": F(1000),
        "sae.obstetrique": F(1000),
        "sae.ssr": F(1000),
        "sae.sld": F(1000),
        "sae.psychiatrie": F(1000),
        "sae.hemodialyse": F(1000),
        "sae.urgences": F(1000),
        "sae.had": F(1000),
    }
    objective = 1000 * (7 + 9 + 40 + 8 + 5 + 4 + 2 + 6 + 2) * F("0.003")  # 249 L; HAD days not counted
    result = score(sae, {"volume_sha": objective})
    assert result.values["objectif_sha"] == objective
    assert result.indicators["ICSHA"].value == 100


def test_icsha_had_days_count_for_had_establishments() -> None:
    # Tableau A: "HAD 2" frictions per day — counted for category 11 (decision).
    result = score({"categorie": 11, "sae.medecine": F(0), "sae.had": F(10000), "volume_sha": F(60)})
    assert result.values["objectif_sha"] == 10000 * 2 * F("0.003")
    assert result.indicators["ICSHA"].value == 100


# --- Applicability ---------------------------------------------------------------------------

ALL_CATEGORIES = (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14)


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_icatb_applicability(category: int) -> None:
    # "L'indicateur ICATB concerne toutes les catégories ... à l'exception de 11 HAD, 12 Hémodialyse,
    # 13 MECSS, 14 Ambulatoire"
    status = score({"categorie": category}).indicators["ICATB"].status
    assert status == ("non_concerne" if category in (11, 12, 13, 14) else "ok")


def test_icatb_not_for_postcure() -> None:
    # "... Centres de post-cure alcoolique exclusifs"
    assert score({"categorie": 4, "postcure": "oui"}).indicators["ICATB"].status == "non_concerne"


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_icsha_applicability(category: int) -> None:
    # "L'ICSHA concerne toutes les catégories ... à l'exception de 13 MECSS, 14 Ambulatoire"
    status = score({"categorie": category}).indicators["ICSHA"].status
    assert status == ("non_concerne" if category in (13, 14) else "ok")


def test_icsha_not_for_postcure() -> None:
    # "... Centres de postcure alcoolique"
    assert score({"categorie": 9, "postcure": "oui"}).indicators["ICSHA"].status == "non_concerne"


def test_icsha_class_f_without_sae() -> None:
    # "Le score ICSHA sera classé « F » lorsque les données de la SAE ne seront pas présentes."
    icsha = score(blocks=()).indicators["ICSHA"]
    assert icsha.status != "ok"
    assert shown_class(icsha) == "F"


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_surviso_applicability_with_surgery(category: int) -> None:
    # SURVISO: "En sont donc exclues ... 4, 5, 9, 11, 12, 13"
    status = score({"categorie": category}).indicators["SURVISO"].status
    assert status == ("non_concerne" if category in (4, 5, 9, 11, 12, 13) else "ok")


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_surviso_needs_surgery(category: int) -> None:
    # "L'indicateur SURVISO ne concerne que les activités chirurgicales et les structures la pratiquant."
    assert score({"categorie": category}, NO_SURGERY).indicators["SURVISO"].status == "non_concerne"


# --- Score agrégé (Tableau 8) ----------------------------------------------------------------


def score_of(result: Result) -> F:
    agg = result.indicators["SCORE"]
    assert agg.status == "ok", agg.reason
    assert agg.value is not None
    return agg.value


@pytest.mark.parametrize(
    ("profile", "expected", "label"),
    [
        # A. "Score agrégé = (ICALIN × 0,4) + (ICSHA × 0,3) + ICATB + SURVISO", ICSHA 120 capped to 100:
        # 80 × 0.4 + 100 × 0.3 + 15 + 10 = 32 + 30 + 15 + 10 = 87 (CHU: 80.70 ≤ 87 < 91.10 → B)
        ({"categorie": 1}, "87", "B"),
        # Same with SURVISO 6 (2 of 4 disciplines): 32 + 30 + 15 + 6 = 83 (CLCC: 74.19 ≤ 83 < 87.55 → B)
        ({"categorie": 10, "iso.site_operatoire.disciplines": F(2)}, "83", "B"),
        # B.1 "CH et cliniques sans chirurgie": (ICALIN × 0,444) + (ICSHA × 0,333) + (ICATB × 1,111)
        # 80 × 0.444 + 100 × 0.333 + 15 × 1.111 = 35.52 + 33.3 + 16.665 = 85.485 (cat 2: ≥ 84.65 → A)
        ({"categorie": 2, **NO_SURGERY}, "85.485", "A"),
        # B.1 clinique sans chirurgie, cat 6: 85.485 ≥ 83.54 → A
        ({"categorie": 6, **NO_SURGERY}, "85.485", "A"),
        # B.1 "établissements psychiatriques" (cat 4), even declaring surgery: 85.485 ≥ 83.22 → A
        ({"categorie": 4}, "85.485", "A"),
        # B.1 "hôpitaux locaux" (cat 5): 85.485 ≥ 76.48 → A
        ({"categorie": 5, **NO_SURGERY}, "85.485", "A"),
        # B.1 "SSR-SLD" (cat 9): 85.485 ≥ 82.21 → A
        ({"categorie": 9, **NO_SURGERY}, "85.485", "A"),
        # B.1 with ICSHA 50 % (105 L of 210 L): 35.52 + 50 × 0.333 + 16.665 = 35.52 + 16.65 + 16.665
        # = 68.835 (SSR-SLD: 65.83 ≤ 68.835 < 82.21 → B)
        ({"categorie": 9, **NO_SURGERY, "volume_sha": F(105)}, "68.835", "B"),
        # B.2 "HAD et hémodialyse": (ICALIN × 0,571) + (ICSHA × 0,429); HAD days 10,000 × 2 × 0.003 = 60 L,
        # 72 L → 120 % capped: 80 × 0.571 + 100 × 0.429 = 45.68 + 42.9 = 88.58 (cat 11: ≥ 72.99 → A)
        ({"categorie": 11, **NO_SURGERY, "sae.medecine": F(0), "sae.had": F(10000), "volume_sha": F(72)}, "88.58", "A"),
        # B.2 hémodialyse, ICSHA 50 %: 45.68 + 50 × 0.429 = 45.68 + 21.45 = 67.13 (cat 12: 44.27 ≤ · < 69.80
        # → C)
        ({"categorie": 12, **NO_SURGERY, "volume_sha": F(105)}, "67.13", "C"),
        # B.3 "Ambulatoire chirurgical": (ICALIN × 0,8) + (SURVISO × 2) = 64 + 20 = 84 (cat 14: ≥ 74.80 → A)
        ({"categorie": 14}, "84", "A"),
        # B.3 with SURVISO 4 (1 of 4 disciplines): 64 + 8 = 72 (cat 14: 66.96 ≤ 72 < 74.80 → B)
        ({"categorie": 14, "iso.site_operatoire.disciplines": F(1)}, "72", "B"),
        # B.4 "MECSS": ICALIN × 1 = 80 (cat 13: 78.84 ≤ 80 < 84.50 → B)
        ({"categorie": 13, **NO_SURGERY}, "80", "B"),
        # B.4 "ambulatoire non chirurgical": ICALIN × 1 = 80 (cat 14: 74.80 ≤ 80 → A)
        ({"categorie": 14, **NO_SURGERY}, "80", "A"),
        # B.4 "centres de postcure alcoolique": ICALIN × 1 = 80 (cat 4: 68.50 ≤ 80 < 83.22 → B)
        ({"categorie": 4, "postcure": "oui", **NO_SURGERY}, "80", "B"),
    ],
)
def test_score_agrege_formula(profile: dict[str, Any], expected: str, label: str) -> None:
    result = score(ICALIN_80, ICATB_15, profile)
    assert score_of(result) == F(expected)
    assert result.indicators["SCORE"].class_label == label


# ICALIN 100 − A22 4 − M22 3 − M23 3 − A26 2 − A21(2) 2 − A21(1) 1 = 85.
ICALIN_85: dict[str, Any] = {
    "bmr_programme": "non",
    "formation_personnel.medecins.formes": F(0),
    "formation_personnel.medecins.heures": F(0),
    "formation_personnel.infirmiers.formes": F(0),
    "formation_personnel.infirmiers.heures": F(0),
    "responsable_signalement": "non",
    "aes_prevention": "non",
    "aes_declaration": "non",
}


@pytest.mark.parametrize(
    ("icalin_overrides", "value", "label"),
    [
        # MECSS, ICALIN × 1: 85 − O122 0.5 (report given to 1 instance only) = 84.5, exactly the
        # Tableau 9 B-A limit "84,50" → A
        ({**ICALIN_85, "rapport_avis.cme": "non", "rapport_avis.cssi": "non", "rapport_avis.ca": "non"}, "84.5", "A"),
        # 85 − O131 1 = 84 < 84.50 → B
        ({**ICALIN_85, "livret_information": "non"}, "84", "B"),
    ],
)
def test_score_agrege_limit_end_to_end(icalin_overrides: dict[str, Any], value: str, label: str) -> None:
    result = score({"categorie": 13, **NO_SURGERY}, icalin_overrides)
    assert result.indicators["ICALIN"].value == F(value)
    assert score_of(result) == F(value)
    assert result.indicators["SCORE"].class_label == label
    # Tableau 4, MECSS: P90 = 84,5 — the same value classes ICALIN identically.
    assert result.indicators["ICALIN"].class_label == label


def test_score_agrege_caps_icsha_but_icsha_class_is_uncapped() -> None:
    result = score(ICALIN_80, ICATB_15)
    assert result.indicators["ICSHA"].value == 120
    assert result.indicators["ICSHA"].class_label == "A"
    assert score_of(result) == F(87)  # not 80 × 0.4 + 120 × 0.3 + 15 + 10 = 93


@pytest.mark.parametrize(
    "overrides",
    [
        {"enquete_incidence": "non"},  # no incidence survey at all
        {"iso.site_operatoire.disciplines": F(0)},  # an incidence survey, but no ISO discipline
    ],
)
def test_score_agrege_excludes_surgery_without_iso_surveillance(overrides: dict[str, Any]) -> None:
    # "les établissements réalisant des actes de chirurgie et n'ayant pas fait de surveillance des
    # infections du site opératoire (ISO) sont exclus du score agrégé."
    for category in (1, 14):
        result = score(ICALIN_80, ICATB_15, {"categorie": category}, overrides)
        assert result.indicators["SURVISO"].value == 0
        assert result.indicators["SCORE"].status == "exclu"


# --- SARM ------------------------------------------------------------------------------------

SARM_BLOCKS = ("sae", "sarm_2007", "sarm_2008")


def sarm(days_2009: int, **extra: Any) -> dict[str, Any]:
    return {
        "sarm_2007.patients": F(10),
        "sarm_2007.journees": F(30000),
        "sarm_2008.patients": F(20),
        "sarm_2008.journees": F(30000),
        "sarm_patients": F(30),
        "sae.jh_complete": F(days_2009),
        **extra,
    }


def test_sarm_at_exactly_90000_days_is_not_concerned() -> None:
    # "calculé pour les établissements ... ayant réalisé plus de 90 000 journées ... sur les trois années"
    result = score(sarm(30000), blocks=SARM_BLOCKS)
    assert result.indicators["SARM"].status == "non_concerne"


def test_sarm_just_above_90000_days_is_computed() -> None:
    # "Nombre de SARM déclarés en 2007, 2008 et 2009 / Nombre de journées d'hospitalisation en 2007,
    # 2008 et 2009", per 1 000 JH
    result = score(sarm(30001), blocks=SARM_BLOCKS)
    assert result.indicators["SARM"].status == "ok"
    assert result.indicators["SARM"].value == F(1000 * 60, 90001)


def test_sarm_value() -> None:
    result = score(sarm(40000), blocks=SARM_BLOCKS)
    assert result.indicators["SARM"].value == F("0.6")  # 1000 × 60 / 100,000


@pytest.mark.parametrize("missing", ["sarm_2007", "sarm_2008"])
def test_sarm_missing_history_is_di(missing: str) -> None:
    # "... qui existent depuis moins de 3 ans ... sont classés en « DI » (données insuffisantes)."
    blocks = tuple(b for b in SARM_BLOCKS if b != missing)
    sarm_result = score(sarm(40000), blocks=blocks).indicators["SARM"]
    assert sarm_result.status != "ok"
    assert shown_class(sarm_result) == "DI"


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_sarm_applicability(category: int) -> None:
    # "à l'exception des catégories suivantes : 4, 11, 12, 13, 14" — "classés en « Non concerné »"
    status = score({"categorie": category}, sarm(40000), blocks=SARM_BLOCKS).indicators["SARM"].status
    assert status == ("non_concerne" if category in (4, 11, 12, 13, 14) else "ok")


def test_sarm_not_for_postcure() -> None:
    # "... Centres de postcure alcoolique exclusif"
    result = score({"categorie": 9, "postcure": "oui"}, sarm(40000), blocks=SARM_BLOCKS)
    assert result.indicators["SARM"].status == "non_concerne"
