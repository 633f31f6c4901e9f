"""Item points against the "Valorisation" paragraphs of annex II (cahier des charges 2009).

Every expected value below is read from the seed text
(/work/shared/seeds/001_45b6475147782dc3.txt), never from a run of the engine. Each case carries a
one-line comment quoting (or paraphrasing closely) the rule it checks. Cases are built from a
"nothing done" declaration (every yes/no answered "non", every count 0, every item worth 0 points)
plus the few answers that the case is about.
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest

from bilan.cli.resources import load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.result import Declaration, Result

ENGINE = Engine(load_campaign())
PROTOCOLS = [r.name for r in load_campaign().questions["protocoles"].rows]

FOUR_DISCIPLINES = frozenset({"digestive", "generale", "orthopedique", "urologique"})

# A public CHU with surgery and emergencies that did nothing: every item is worth 0.
ZERO: dict[str, Any] = {
    "categorie": 1,
    "statut": "public",
    "chirurgie": "oui",
    "urgences": "oui",
    "postcure": "non",
    "disciplines": FOUR_DISCIPLINES,
    "reunions_clin": F(0),
    "reunions_groupes": F(0),
    "usagers_convoques": "non",
    "eohh.medecin": F(0),
    "eohh.pharmacien": F(0),
    "eohh.cadre_infirmier": F(0),
    "eohh.infirmier": F(0),
    "eohh.technicien": F(0),
    "eohh.secretaire": F(0),
    "services_total": F(10),
    "correspondants": "non",
    "projet": "non",
    "com": "non",
    "livret": "non",
    "programme": "non",
    "rapport": "non",
    **{f"protocoles.{p}": "non" for p in PROTOCOLS},
    "aes_protocole": "non",
    "aes_declaration": "non",
    "aes_prevention": "non",
    "bmr_programme": "non",
    "ecs": "non",
    "enquete_prevalence": "non",
    "enquete_incidence": "non",
    "laboratoire": "non",
    "responsable_signalement": "non",
    "formation_programme": "non",
    "clin_plan_formation": "non",
    "formation_nouveaux.recrutes": "non",
    "formation_nouveaux.interimaires": "non",
    "formation_nouveaux.etudiants": "non",
    **{
        f"formation_personnel.{c}.{k}": F(0) for c in ("medecins", "infirmiers", "autres") for k in ("formes", "heures")
    },
    "evaluation": "non",
    "sarm_patients": F(0),
    "commission_atb": "non",
    "referent_atb": "non",
    "antibioprophylaxie": "non",
    "antibiotherapie": "non",
    "liste_atb": "non",
    "connexion": "non",
    "prescription": "non",
    "formation_prescripteurs": "non",
    "evaluation_atb": "non",
    "surveillance_ddj": "non",
    "volume_sha": F(0),
}


def score(overrides: dict[str, Any]) -> Result:
    answers = {**ZERO, **overrides}
    return ENGINE.score(Declaration(answers=answers, blocks=frozenset(), justifications={}))


def case(code: str, overrides: dict[str, Any], expected: str | int, name: str) -> Any:
    return pytest.param(code, overrides, F(expected), id=f"{code}: {name}")


def test_zero_declaration_scores_nothing() -> None:
    result = score({})
    assert {code: i.points for code, i in result.items.items() if i.points} == {}


# ---------------------------------------------------------------------------------------------
# ICALIN
# ---------------------------------------------------------------------------------------------

PUBLIC_AVIS = ("cme", "cssi", "ca", "chsct")
PRIVATE_AVIS = ("cme", "ca", "chsct")


def avis(prefix: str, parent: str, yes: tuple[str, ...], statut: str = "public") -> dict[str, Any]:
    """The instances `yes` answered "oui", the other visible ones "non"."""
    shown = PUBLIC_AVIS if statut == "public" else PRIVATE_AVIS
    return {"statut": statut, parent: "oui", **{f"{prefix}.{i}": ("oui" if i in yes else "non") for i in shown}}


ICALIN_CASES = [
    # O211 — "0 point ... CLIN se réunit 0 fois par an"
    case("O211", {"reunions_clin": F(0)}, 0, "0 meeting"),
    # O211 — "2 points ... CLIN se réunit 1 ou 2 fois par an"
    case("O211", {"reunions_clin": F(1)}, 2, "1 meeting"),
    # O211 — "2 points ... 1 ou 2 fois par an" (upper edge)
    case("O211", {"reunions_clin": F(2)}, 2, "2 meetings"),
    # O211 — "6 points ... 3 fois ou plus par an" (lower edge)
    case("O211", {"reunions_clin": F(3)}, 6, "3 meetings"),
    # O211 — "6 points ... 3 fois ou plus par an"
    case("O211", {"reunions_clin": F(12)}, 6, "12 meetings"),
    # O212 — "0 point ... aucune réunion pendant l'année"
    case("O212", {"reunions_clin": F(3), "reunions_groupes": F(0)}, 0, "no working-group meeting"),
    # O212 — "1 point ... moins ou autant de réunions de groupes de travail que de réunions plénières"
    case("O212", {"reunions_clin": F(3), "reunions_groupes": F(2)}, 1, "fewer groups than plenary"),
    # O212 — "1 point ... autant de réunions de groupes ... que de réunions plénières" (equal)
    case("O212", {"reunions_clin": F(3), "reunions_groupes": F(3)}, 1, "as many groups as plenary"),
    # O212 — "4 points ... plus (strictement) de réunions de groupes de travail" (one more)
    case("O212", {"reunions_clin": F(3), "reunions_groupes": F(4)}, 4, "one more group meeting"),
    # O212 — "4 points ... plus (strictement)": 1 group meeting > 0 plenary meeting
    case("O212", {"reunions_clin": F(0), "reunions_groupes": F(1)}, 4, "groups but no plenary"),
    # O221 — "0 point ... n'ont pas convoqué un représentant des usagers"
    case("O221", {"usagers_convoques": "non"}, 0, "users not invited"),
    # O221 — "2 points ... ont convoqué un représentant des usagers"
    case("O221", {"usagers_convoques": "oui"}, 2, "users invited"),
    # M11 — "0 point ... total des ETP ... égal à zéro"
    case("M11", {}, 0, "no ETP"),
    # M11 — "6 points ... ETP médicaux (médecins et pharmaciens) ... supérieurs (strictement) à 0"
    case("M11", {"eohh.medecin": F("0.01")}, 6, "0.01 ETP doctor"),
    # M11 — "ETP médicaux (médecins et pharmaciens)": a pharmacist counts as medical
    case("M11", {"eohh.pharmacien": F("0.5")}, 6, "pharmacist only"),
    # M11 — paramedical ETP do not count as medical
    case("M11", {"eohh.infirmier": F(2)}, 0, "nurse only"),
    # M12 — "6 points ... ETP paramédicaux (cadre infirmier, infirmier non cadre) ... > 0"
    case("M12", {"eohh.cadre_infirmier": F("0.1")}, 6, "head nurse"),
    # M12 — "ETP paramédicaux (cadre infirmier, infirmier non cadre)"
    case("M12", {"eohh.infirmier": F(1)}, 6, "nurse"),
    # M12 — medical ETP do not count as paramedical
    case("M12", {"eohh.medecin": F(1)}, 0, "doctor only"),
    # M12 — technician/secretary are not paramedical ETP
    case("M12", {"eohh.technicien": F(1), "eohh.secretaire": F(1)}, 0, "technician and secretary"),
    # M13 — "2 points supplémentaires ... médicaux et paramédicaux simultanément supérieurs à 0"
    case("M13", {"eohh.medecin": F("0.5"), "eohh.infirmier": F("0.5")}, 2, "both"),
    # M13 — not simultaneous: medical only
    case("M13", {"eohh.medecin": F(1)}, 0, "medical only"),
    # M13 — not simultaneous: paramedical only
    case("M13", {"eohh.cadre_infirmier": F(1)}, 0, "paramedical only"),
    # M14 — "2 points ... ETP de technicien biohygiéniste ou de secrétaire ... > 0"
    case("M14", {"eohh.technicien": F("0.2")}, 2, "technician"),
    # M14 — "technicien biohygiéniste ou de secrétaire"
    case("M14", {"eohh.secretaire": F("0.01")}, 2, "secretary"),
    # M14 — doctors and nurses do not count
    case("M14", {"eohh.medecin": F(1), "eohh.infirmier": F(1)}, 0, "no technician nor secretary"),
    # M31 — "0 point ... n'ayant pas de correspondants médicaux"
    case("M31", {"correspondants": "non"}, 0, "no correspondents"),
    # M31 — "0 point": correspondents declared but no service with a medical one
    case(
        "M31",
        {"correspondants": "oui", "services_correspondants.medical": F(0), "services_correspondants.paramedical": F(3)},
        0,
        "0 medical service",
    ),
    # M31 — "3 points ... correspondant médical identifié dans au moins 1 service"
    case(
        "M31",
        {"correspondants": "oui", "services_correspondants.medical": F(1), "services_correspondants.paramedical": F(0)},
        3,
        "1 of 10",
    ),
    # M31 — "1 point supplémentaire ... strictement plus de la moitié": 5 of 10 is not
    case(
        "M31",
        {"correspondants": "oui", "services_correspondants.medical": F(5), "services_correspondants.paramedical": F(0)},
        3,
        "5 of 10",
    ),
    # M31 — "strictement plus de la moitié": 6 of 10 → 3 + 1
    case(
        "M31",
        {"correspondants": "oui", "services_correspondants.medical": F(6), "services_correspondants.paramedical": F(0)},
        4,
        "6 of 10",
    ),
    # M31 — "strictement plus de la moitié": 5 of 9 → 3 + 1
    case(
        "M31",
        {
            "services_total": F(9),
            "correspondants": "oui",
            "services_correspondants.medical": F(5),
            "services_correspondants.paramedical": F(0),
        },
        4,
        "5 of 9",
    ),
    # M31 — "strictement plus de la moitié": 4 of 9 is not
    case(
        "M31",
        {
            "services_total": F(9),
            "correspondants": "oui",
            "services_correspondants.medical": F(4),
            "services_correspondants.paramedical": F(0),
        },
        3,
        "4 of 9",
    ),
    # M31 — every service (1 of 1) → 3 + 1
    case(
        "M31",
        {
            "services_total": F(1),
            "correspondants": "oui",
            "services_correspondants.medical": F(1),
            "services_correspondants.paramedical": F(1),
        },
        4,
        "1 of 1",
    ),
    # M31 — counts hidden under "Non" never score
    case(
        "M31",
        {
            "correspondants": "non",
            "services_correspondants.medical": F(10),
            "services_correspondants.paramedical": F(10),
        },
        0,
        "hidden under Non",
    ),
    # M32 — "0 point ... n'ayant pas de correspondants paramédicaux"
    case(
        "M32",
        {"correspondants": "oui", "services_correspondants.medical": F(4), "services_correspondants.paramedical": F(0)},
        0,
        "0 paramedical service",
    ),
    # M32 — "3 points ... correspondant paramédical identifié dans au moins 1 service"
    case(
        "M32",
        {"correspondants": "oui", "services_correspondants.medical": F(0), "services_correspondants.paramedical": F(1)},
        3,
        "1 of 10",
    ),
    # M32 — "strictement plus de la moitié": 5 of 10 is not
    case(
        "M32",
        {"correspondants": "oui", "services_correspondants.medical": F(0), "services_correspondants.paramedical": F(5)},
        3,
        "5 of 10",
    ),
    # M32 — "1 point supplémentaire ... strictement plus de la moitié des services": 6 of 10
    case(
        "M32",
        {"correspondants": "oui", "services_correspondants.medical": F(0), "services_correspondants.paramedical": F(6)},
        4,
        "6 of 10",
    ),
    # M32 — "strictement plus de la moitié": 5 of 9
    case(
        "M32",
        {
            "services_total": F(9),
            "correspondants": "oui",
            "services_correspondants.medical": F(0),
            "services_correspondants.paramedical": F(5),
        },
        4,
        "5 of 9",
    ),
    # M32 — counts hidden under "Non" never score
    case("M32", {"correspondants": "non", "services_correspondants.paramedical": F(10)}, 0, "hidden under Non"),
    # O111 — "0 point ... n'ayant pas adopté un projet d'établissement"
    case("O111", {"projet": "non"}, 0, "no project"),
    # O111 — "0 point ... projet d'établissement ne définit pas des objectifs généraux"
    case("O111", {"projet": "oui", "projet_objectifs": "non"}, 0, "project without objectives"),
    # O111 — "1 point ... projet d'établissement contenant ... objectifs généraux"
    case("O111", {"projet": "oui", "projet_objectifs": "oui"}, 1, "project with objectives"),
    # O111 — sub-answer hidden under "Non" never scores
    case("O111", {"projet": "non", "projet_objectifs": "oui"}, 0, "hidden under Non"),
    # O112 — "0 point ... n'ayant pas signé un COM avec l'ARH"
    case("O112", {"com": "non"}, 0, "no COM"),
    # O112 — "0 point ... COM ... qui ne contient pas d'objectifs et de moyens"
    case("O112", {"com": "oui", "com_objectifs": "non"}, 0, "COM without LIN objectives"),
    # O112 — "2 points ... COM contient des objectifs et des moyens relatifs à la LIN"
    case("O112", {"com": "oui", "com_objectifs": "oui"}, 2, "COM with LIN objectives"),
    # O112 — sub-answer hidden under "Non" never scores
    case("O112", {"com": "non", "com_objectifs": "oui"}, 0, "hidden under Non"),
    # O131 — "0 point ... n'ayant pas de livret d'accueil"
    case("O131", {"livret": "non"}, 0, "no booklet"),
    # O131 — "0 point ... livret d'accueil et n'ayant pas distribué d'information synthétique"
    case("O131", {"livret": "oui", "livret_information": "non"}, 0, "booklet without information"),
    # O131 — "1 point ... information synthétique sur la LIN dans le livret d'accueil"
    case("O131", {"livret": "oui", "livret_information": "oui"}, 1, "booklet with information"),
    # O131 — sub-answer hidden under "Non" never scores
    case("O131", {"livret": "non", "livret_information": "oui"}, 0, "hidden under Non"),
    # O31 — "0 point ... n'ayant pas de programme d'actions"
    case("O31", {"programme": "non"}, 0, "no programme"),
    # O31 — "9 points ... ayant un programme d'actions ... élaboré par le CLIN avec l'EOHH"
    case("O31", {"programme": "oui", **{f"programme_avis.{i}": "non" for i in PUBLIC_AVIS}}, 9, "programme"),
    # O121 — "0 point ... n'ayant pas de programme d'actions"
    case("O121", {"programme": "non"}, 0, "no programme"),
    # O121 — avis hidden under "Non" (no programme) never score
    case("O121", {"programme": "non", **{f"programme_avis.{i}": "oui" for i in PUBLIC_AVIS}}, 0, "hidden under Non"),
    # O121 — public: 0 instance → 0 point
    case("O121", avis("programme_avis", "programme", ()), 0, "public, 0 of 4"),
    # O121 — public: "ne l'a soumis à l'avis que d'une seule des quatre instances" → 0
    case("O121", avis("programme_avis", "programme", ("cme",)), 0, "public, 1 of 4"),
    # O121 — public: "0,5 point ... au moins deux des quatre instances"
    case("O121", avis("programme_avis", "programme", ("cme", "cssi")), "1/2", "public, 2 of 4"),
    # O121 — public: "0,5 point ... au moins deux des quatre" (CA + CHSCT)
    case("O121", avis("programme_avis", "programme", ("ca", "chsct")), "1/2", "public, CA and CHSCT"),
    # O121 — public: "1 point ... au moins trois des quatre instances"
    case("O121", avis("programme_avis", "programme", ("cme", "cssi", "ca")), 1, "public, 3 of 4"),
    # O121 — public: "1 point ... au moins trois des quatre instances" (all four)
    case("O121", avis("programme_avis", "programme", PUBLIC_AVIS), 1, "public, 4 of 4"),
    # O121 — private: "0 point ... d'aucune des trois instances (CME, CHSCT, CA)"
    case("O121", avis("programme_avis", "programme", (), "prive"), 0, "private, 0 of 3"),
    # O121 — private: "0,5 point ... au moins une des trois instances (CME, CHSCT, CA)"
    case("O121", avis("programme_avis", "programme", ("cme",), "prive"), "1/2", "private, 1 of 3"),
    # O121 — private: "1 point ... au moins deux des trois instances (CME, CHSCT, CA)"
    case("O121", avis("programme_avis", "programme", ("cme", "chsct"), "prive"), 1, "private, 2 of 3"),
    # O121 — private: "1 point ... au moins deux des trois" (all three)
    case("O121", avis("programme_avis", "programme", PRIVATE_AVIS, "prive"), 1, "private, 3 of 3"),
    # O121 — PSPH: "0,5 point ... au moins une des trois instances ... privés ou PSPH"
    case("O121", avis("programme_avis", "programme", ("ca",), "psph"), "1/2", "PSPH, 1 of 3"),
    # O121 — PSPH: "1 point ... au moins deux des trois instances ... privés ou PSPH"
    case("O121", avis("programme_avis", "programme", ("ca", "cme"), "psph"), 1, "PSPH, 2 of 3"),
    # O121 — CSSI is "secteur public uniquement": a private CSSI answer is hidden and not counted
    case(
        "O121",
        {**avis("programme_avis", "programme", ("cme",), "prive"), "programme_avis.cssi": "oui"},
        "1/2",
        "private, CSSI not counted",
    ),
    # O32 — "0 point ... n'ayant pas de rapport annuel"
    case("O32", {"rapport": "non"}, 0, "no report"),
    # O32 — "4 points ... ayant un rapport annuel ... élaboré par le CLIN"
    case("O32", {"rapport": "oui", **{f"rapport_avis.{i}": "non" for i in PUBLIC_AVIS}}, 4, "report"),
    # O122 — "0 point ... n'ayant pas de rapport annuel"
    case("O122", {"rapport": "non"}, 0, "no report"),
    # O122 — avis hidden under "Non" (no report) never score
    case("O122", {"rapport": "non", **{f"rapport_avis.{i}": "oui" for i in PUBLIC_AVIS}}, 0, "hidden under Non"),
    # O122 — "0 point ... soumis à l'avis d'aucune ... instance"
    case("O122", avis("rapport_avis", "rapport", ()), 0, "0 instance"),
    # O122 — "0 point ... soumis à l'avis ... d'une seule instance"
    case("O122", avis("rapport_avis", "rapport", ("cme",)), 0, "1 instance"),
    # O122 — "0,5 point ... présenté à au moins deux instances"
    case("O122", avis("rapport_avis", "rapport", ("cme", "chsct")), "1/2", "2 instances"),
    # O122 — "0,5 point ... au moins deux instances" (all four: still 0.5)
    case("O122", avis("rapport_avis", "rapport", PUBLIC_AVIS), "1/2", "4 instances"),
    # O122 — private: "au moins deux instances" (CME and CA)
    case("O122", avis("rapport_avis", "rapport", ("cme", "ca"), "prive"), "1/2", "private, 2 instances"),
    # O122 — private: one instance only
    case("O122", avis("rapport_avis", "rapport", ("ca",), "prive"), 0, "private, 1 instance"),
    # A22 — "0 point ... il n'existe pas de programme de maîtrise de la diffusion des BMR"
    case("A22", {"bmr_programme": "non"}, 0, "no BMR programme"),
    # A22 — "4 points ... programme ... contenant les trois éléments"
    case("A22", {"bmr_programme": "oui", "protocoles.isolement": "oui"}, 4, "BMR programme"),
    # A21(1) — "0 point ... pas de système de déclaration des AES"
    case("A21(1)", {"aes_declaration": "non"}, 0, "no AES reporting"),
    # A21(1) — "1 point ... système de déclaration des AES en collaboration avec la médecine du travail"
    case("A21(1)", {"aes_declaration": "oui"}, 1, "AES reporting"),
    # A11(1) — "0 point ... il n'existe pas un protocole de prise en charge en urgence des AES"
    case("A11(1)", {"aes_protocole": "non"}, 0, "no AES protocol"),
    # A11(1) — "2 points ... il existe un protocole de prise en charge en urgence des AES"
    case("A11(1)", {"aes_protocole": "oui"}, 2, "AES protocol"),
    # A21(2) — "0 point ... n'ayant pas mené des actions de prévention des AES"
    case("A21(2)", {"aes_prevention": "non"}, 0, "no AES prevention"),
    # A21(2) — "2 points ... ayant mené des actions de prévention des AES cette année"
    case("A21(2)", {"aes_prevention": "oui"}, 2, "AES prevention"),
    # A11(2) — "0 point ... réseau d'eau chaude sanitaire n'a pas été l'objet d'une surveillance"
    case("A11(2)", {"ecs": "non"}, 0, "no ECS monitoring"),
    # A11(2) — "0 point ... surveillance microbiologique ... sans seuil d'alerte défini"
    case("A11(2)", {"ecs": "oui_sans_seuil"}, 0, "monitoring without threshold"),
    # A11(2) — "2 points ... surveillance microbiologique cette année avec un seuil d'alerte défini"
    case("A11(2)", {"ecs": "oui_seuil"}, 2, "monitoring with threshold"),
]

# A11(3 à 5) — "Pour chaque protocole, 0 point ... si le protocole n'existe pas ... 2 points ... s'il existe"
for _code, _line in (("A11(3)", "mains"), ("A11(4)", "standard"), ("A11(5)", "sondage")):
    ICALIN_CASES += [
        case(_code, {f"protocoles.{_line}": "non"}, 0, f"no {_line} protocol"),
        case(_code, {f"protocoles.{_line}": "oui"}, 2, f"{_line} protocol"),
    ]

# A12 (1 à 10) — "Pour chaque protocole, 0 point ... n'existe pas ... 0,5 point ... si le protocole existe"
for _n, _line in enumerate(
    (
        "intravasculaires",
        "isolement",
        "escarres",
        "pansements",
        "antiseptiques",
        "desinfectants",
        "dm",
        "locaux",
        "dechets",
        "linge",
    ),
    start=1,
):
    ICALIN_CASES += [
        case(f"A12({_n})", {f"protocoles.{_line}": "non"}, 0, f"no {_line} protocol"),
        case(f"A12({_n})", {f"protocoles.{_line}": "oui"}, "1/2", f"{_line} protocol"),
    ]

ICALIN_CASES += [
    # A12 — one protocol does not score for another theme
    case("A12(1)", {"protocoles.isolement": "oui", "protocoles.mains": "oui"}, 0, "other protocols only"),
    # A23 — "0 point ... n'ayant pas réalisé d'enquête de prévalence ou d'enquête d'incidence"
    case("A23", {}, 0, "no survey"),
    # A23 — "3 points ... au moins une enquête de prévalence ou d'incidence" (prevalence)
    case("A23", {"enquete_prevalence": "oui"}, 3, "prevalence survey"),
    # A23 — "3 points ... au moins une enquête de prévalence ou d'incidence" (incidence)
    case(
        "A23",
        {"enquete_incidence": "oui", "iso.site_operatoire.disciplines": F(0), "iso.site_operatoire.reseau": "non"},
        3,
        "incidence survey",
    ),
    # A23 — "au moins une": both surveys still 3 points
    case(
        "A23",
        {
            "enquete_prevalence": "oui",
            "enquete_incidence": "oui",
            "iso.site_operatoire.disciplines": F(1),
            "iso.site_operatoire.reseau": "oui",
        },
        3,
        "both",
    ),
    # A24 — "0 point ... ne disposant pas d'un laboratoire de microbiologie interne ou externe"
    case("A24", {"laboratoire": "non"}, 0, "no laboratory"),
    # A24 — surveillance answer hidden when there is no laboratory never scores
    case("A24", {"laboratoire": "non", "labo_surveillance": "oui"}, 0, "hidden under Non"),
    # A24 — "0 point ... avec laboratoire ... n'ayant pas fait ... de surveillance"
    case("A24", {"laboratoire": "interne", "labo_surveillance": "non"}, 0, "laboratory, no surveillance"),
    # A24 — "1 point ... laboratoire ... interne ... surveillance ... à partir des données du laboratoire"
    case(
        "A24",
        {"laboratoire": "interne", "labo_surveillance": "oui", "diffusion.laboratoire": "non"},
        1,
        "internal laboratory",
    ),
    # A24 — "1 point ... laboratoire ... externe avec convention ... surveillance"
    case(
        "A24",
        {"laboratoire": "externe", "labo_surveillance": "oui", "diffusion.laboratoire": "non"},
        1,
        "external laboratory",
    ),
    # A25 — "0 point ... n'ayant pas organisé de surveillance" (diffusion answers then hidden)
    case("A25", {"diffusion.enquetes": "oui", "diffusion.laboratoire": "oui"}, 0, "no surveillance"),
    # A25 — "0 point ... ayant organisé de la surveillance mais sans diffuser ses résultats"
    case("A25", {"enquete_prevalence": "oui", "diffusion.enquetes": "non"}, 0, "survey not diffused"),
    # A25 — "1 point ... ayant organisé de la surveillance et diffusé ses résultats" (surveys)
    case("A25", {"enquete_prevalence": "oui", "diffusion.enquetes": "oui"}, 1, "survey diffused"),
    # A25 — "1 point ... surveillance ... diffusé" (laboratory data)
    case(
        "A25",
        {"laboratoire": "interne", "labo_surveillance": "oui", "diffusion.laboratoire": "oui"},
        1,
        "laboratory data diffused",
    ),
    # A25 — laboratory results "diffused" without any laboratory surveillance: hidden, no point
    case(
        "A25",
        {"enquete_prevalence": "oui", "diffusion.enquetes": "non", "diffusion.laboratoire": "oui"},
        0,
        "only a hidden laboratory diffusion",
    ),
    # A26 — "0 point ... n'ayant pas désigné de responsable du signalement"
    case("A26", {"responsable_signalement": "non"}, 0, "no signalement officer"),
    # A26 — "2 points ... ayant désigné un responsable du signalement"
    case("A26", {"responsable_signalement": "oui"}, 2, "signalement officer"),
    # O133 — "0 point ... n'ayant pas de programme de formation en hygiène hospitalière"
    case("O133", {"formation_programme": "non"}, 0, "no training programme"),
    # O133 — "1 point ... programme ... mais n'ayant pas inscrit ce programme dans le plan"
    case("O133", {"formation_programme": "oui", "formation_plan": "non"}, 1, "programme not in plan"),
    # O133 — "0,5 point supplémentaire ... ayant inscrit ce programme dans le plan de formation continue"
    case("O133", {"formation_programme": "oui", "formation_plan": "oui"}, "3/2", "programme in plan"),
    # O133 — sub-answer hidden under "Non" never scores
    case("O133", {"formation_programme": "non", "formation_plan": "oui"}, 0, "hidden under Non"),
    # O223 — "0 point ... n'ayant pas consulté le CLIN sur le plan de formation continue"
    case("O223", {"clin_plan_formation": "non"}, 0, "CLIN not consulted"),
    # O223 — "1 point ... ayant consulté le CLIN sur le plan de formation continue"
    case("O223", {"clin_plan_formation": "oui"}, 1, "CLIN consulted"),
    # M21 — "0 ... formation en hygiène n'a pas été prévue pour les nouveaux ... recrutés, intérimaires
    # ou étudiants"
    case("M21", {}, 0, "nothing planned"),
    # M21 — "1,5 point ... formation ... pour les nouveaux professionnels recrutés"
    case("M21", {"formation_nouveaux.recrutes": "oui"}, "3/2", "new recruits"),
    # M21 — "0,5 point ... pour au moins 1 des deux autres catégories : intérimaires ou étudiants"
    case("M21", {"formation_nouveaux.interimaires": "oui"}, "1/2", "temporary staff"),
    # M21 — "0,5 point ... intérimaires ou étudiants" (students)
    case("M21", {"formation_nouveaux.etudiants": "oui"}, "1/2", "students"),
    # M21 — "au moins 1 des deux autres catégories": both still 0.5
    case(
        "M21",
        {"formation_nouveaux.interimaires": "oui", "formation_nouveaux.etudiants": "oui"},
        "1/2",
        "temporary staff and students",
    ),
    # M21 — 1.5 + 0.5
    case(
        "M21",
        {
            "formation_nouveaux.recrutes": "oui",
            "formation_nouveaux.interimaires": "oui",
            "formation_nouveaux.etudiants": "oui",
        },
        2,
        "all three",
    ),
    # M21 — "sans objet" is not a planned training (decision: does not score)
    case(
        "M21",
        {
            "formation_nouveaux.recrutes": "oui",
            "formation_nouveaux.interimaires": "sans_objet",
            "formation_nouveaux.etudiants": "sans_objet",
        },
        "3/2",
        "others sans objet",
    ),
    # M22 — "0 point ... ayant formé 0 médecin ou pharmacien"
    case(
        "M22",
        {"formation_personnel.infirmiers.formes": F(5), "formation_personnel.infirmiers.heures": F(9)},
        0,
        "no doctor trained",
    ),
    # M22 — "3 points ... ayant formé au moins 1 médecin ou pharmacien"
    case(
        "M22",
        {"formation_personnel.medecins.formes": F(1), "formation_personnel.medecins.heures": F(2)},
        3,
        "1 doctor trained",
    ),
    # M22 — "au moins 1": 20 doctors still 3 points
    case(
        "M22",
        {"formation_personnel.medecins.formes": F(20), "formation_personnel.medecins.heures": F(99)},
        3,
        "20 doctors trained",
    ),
    # M23 — "0 point ... ayant formé ... 0 personnel infirmier"
    case(
        "M23",
        {"formation_personnel.medecins.formes": F(5), "formation_personnel.medecins.heures": F(9)},
        0,
        "no nurse trained",
    ),
    # M23 — "3 points ... ayant formé au moins 1 personnel infirmier"
    case(
        "M23",
        {"formation_personnel.infirmiers.formes": F(1), "formation_personnel.infirmiers.heures": F(3)},
        3,
        "1 nurse trained",
    ),
    # M24 — "0 point ... 0 autre personnel permanent"
    case(
        "M24",
        {"formation_personnel.infirmiers.formes": F(5), "formation_personnel.infirmiers.heures": F(9)},
        0,
        "no other staff trained",
    ),
    # M24 — "1 point ... ayant formé au moins 1 personnel permanent autre"
    case(
        "M24",
        {"formation_personnel.autres.formes": F(1), "formation_personnel.autres.heures": F(1)},
        1,
        "1 other staff trained",
    ),
    # A31 — "0 point ... n'ayant pas mené d'actions d'évaluation"
    case("A31", {"evaluation": "non"}, 0, "no evaluation"),
    # A31 — "2 points ... ayant mené au moins une action d'évaluation"
    case("A31", {"evaluation": "oui", "audit": "non"}, 2, "evaluation without audit"),
    # A31 — an audit does not add to A31 itself
    case("A31", {"evaluation": "oui", "audit": "oui"}, 2, "evaluation with audit"),
    # A32 — no audit: no supplementary points
    case("A32", {"evaluation": "oui", "audit": "non"}, 0, "no audit"),
    # A32 — "3 points supplémentaires ... au moins un audit de pratiques parmi les actions d'évaluation"
    case("A32", {"evaluation": "oui", "audit": "oui"}, 3, "audit"),
    # A32 — audit hidden under "Non" (no evaluation) never scores
    case("A32", {"evaluation": "non", "audit": "oui"}, 0, "hidden under Non"),
]


@pytest.mark.parametrize(("code", "overrides", "expected"), ICALIN_CASES)
def test_icalin_item(code: str, overrides: dict[str, Any], expected: F) -> None:
    assert score(overrides).items[code].points == expected


# ---------------------------------------------------------------------------------------------
# ICATB
# ---------------------------------------------------------------------------------------------


def setting(chirurgie: str, urgences: str) -> dict[str, Any]:
    """Surgery / emergencies profile with the consistent "non concerné" answers."""
    return {
        "chirurgie": chirurgie,
        "urgences": urgences,
        "antibioprophylaxie": "oui" if chirurgie == "oui" else "non_concerne",
        **({} if chirurgie == "oui" else {"disciplines": frozenset()}),
    }


def antibiotherapie(chirurgie: str, urgences: str, protocole: str, aux_urgences: str | None) -> dict[str, Any]:
    answers = {**setting(chirurgie, urgences), "antibiotherapie": protocole}
    if aux_urgences is not None:
        answers["antibiotherapie_urgences"] = aux_urgences
    return answers


ICATB_CASES = [
    # ATB1 — "0 point ... n'ont pas de commission des antibiotiques"
    case("ATB1", {"commission_atb": "non"}, 0, "no commission"),
    # ATB1 — meeting count hidden under "Non" never scores
    case("ATB1", {"commission_atb": "non", "commission_atb_reunions": F(5)}, 0, "hidden under Non"),
    # ATB1 — "0 point ... si elle ne s'est pas réunie ... (0 réunion)"
    case("ATB1", {"commission_atb": "oui", "commission_atb_reunions": F(0)}, 0, "0 meeting"),
    # ATB1 — "1 point ... s'est réunie 1 fois"
    case("ATB1", {"commission_atb": "oui", "commission_atb_reunions": F(1)}, 1, "1 meeting"),
    # ATB1 — "2 points ... s'est réunie 2 fois"
    case("ATB1", {"commission_atb": "oui", "commission_atb_reunions": F(2)}, 2, "2 meetings"),
    # ATB1 — "4 points ... s'est réunie 3 fois ou plus"
    case("ATB1", {"commission_atb": "oui", "commission_atb_reunions": F(3)}, 4, "3 meetings"),
    # ATB1 — "4 points ... 3 fois ou plus"
    case("ATB1", {"commission_atb": "oui", "commission_atb_reunions": F(11)}, 4, "11 meetings"),
    # ATB2 — "0 point ... pas de référent en antibiothérapie désigné"
    case("ATB2", {"referent_atb": "non"}, 0, "no referent"),
    # ATB2 — "4 points ... s'il existe ... un référent en antibiothérapie désigné"
    case("ATB2", {"referent_atb": "oui"}, 4, "referent"),
    # ATB3a — "0 point ... n'ayant pas de protocole d'antibioprophylaxie chirurgicale"
    case("ATB3a", {"chirurgie": "oui", "antibioprophylaxie": "non"}, 0, "surgery, no protocol"),
    # ATB3a — "0,5 point ... protocole sur l'antibioprophylaxie chirurgicale ... validé"
    case("ATB3a", {"chirurgie": "oui", "antibioprophylaxie": "oui"}, "1/2", "surgery, protocol"),
    # ATB3a — "Cet item ne concerne que les établissements ... ayant une activité chirurgicale"
    case("ATB3a", setting("non", "oui"), 0, "no surgery, non concerné"),
    # ATB3a — Tableau 5: "3a Protocole antibioprophylaxie ... – –" without surgery, even if answered oui
    case("ATB3a", {**setting("non", "oui"), "antibioprophylaxie": "oui"}, 0, "no surgery, answered oui"),
    # ATB3b — "0 point ... n'ayant pas de protocole d'antibiothérapie de première intention"
    case("ATB3b", antibiotherapie("oui", "oui", "non", None), 0, "no protocol (surgery, emergencies)"),
    # ATB3b — "0 point": no protocol, whatever the profile
    case("ATB3b", antibiotherapie("non", "non", "non", None), 0, "no protocol (no surgery, no emergencies)"),
    # ATB3b — "applied to emergencies" hidden under "Non" never scores
    case("ATB3b", antibiotherapie("oui", "oui", "non", "oui"), 0, "hidden under Non"),
    # ATB3b — table, avec chirurgie / avec urgences: "3b – Protocole antibiothérapie 1"
    case("ATB3b", antibiotherapie("oui", "oui", "oui", "non"), 1, "surgery, emergencies, not applied"),
    # ATB3b — table, avec chirurgie / avec urgences: 1 + "3b appliqué aux urgences 0,5" = "TOTAL 1,5"
    case("ATB3b", antibiotherapie("oui", "oui", "oui", "oui"), "3/2", "surgery, emergencies, applied"),
    # ATB3b — table, avec chirurgie / sans urgences: "1,5", "appliqué aux urgences –", "TOTAL 1,5"
    case("ATB3b", antibiotherapie("oui", "non", "oui", "non_concerne"), "3/2", "surgery, no emergencies"),
    # ATB3b — table, sans chirurgie / avec urgences: "1,5"
    case("ATB3b", antibiotherapie("non", "oui", "oui", "non"), "3/2", "no surgery, emergencies, not applied"),
    # ATB3b — table, sans chirurgie / avec urgences: 1,5 + "appliqué aux urgences 0,5" = "TOTAL 2"
    case("ATB3b", antibiotherapie("non", "oui", "oui", "oui"), 2, "no surgery, emergencies, applied"),
    # ATB3b — table, sans chirurgie / sans urgences: "2", "TOTAL 2"
    case("ATB3b", antibiotherapie("non", "non", "oui", "non_concerne"), 2, "no surgery, no emergencies"),
    # ATB3b — "3b appliqué aux urgences –" without emergencies: an (inconsistent) oui adds nothing
    case("ATB3b", antibiotherapie("oui", "non", "oui", "oui"), "3/2", "no emergencies, answered oui"),
    # ATB4a — "0 point ... n'ayant pas établi de liste des antibiotiques disponibles"
    case("ATB4a", {"liste_atb": "non"}, 0, "no list"),
    # ATB4a — "0,25 point ... ayant établi une liste des antibiotiques disponibles"
    case("ATB4a", {"liste_atb": "oui", "liste_controlee": "non"}, "1/4", "list"),
    # ATB4b — "0 point supplémentaire ... il n'existe pas une liste ... à dispensation contrôlée"
    case("ATB4b", {"liste_atb": "oui", "liste_controlee": "non"}, 0, "no controlled list"),
    # ATB4b — "0,5 point supplémentaire ... il existe une liste ... à dispensation contrôlée"
    case("ATB4b", {"liste_atb": "oui", "liste_controlee": "oui", "duree_limitee": "non"}, "1/2", "controlled list"),
    # ATB4b — "en plus de la liste des antibiotiques disponibles": hidden under "Non" never scores
    case("ATB4b", {"liste_atb": "non", "liste_controlee": "oui"}, 0, "hidden under Non"),
    # ATB4c — "0 point supplémentaire ... ne précise pas une durée limitée"
    case("ATB4c", {"liste_atb": "oui", "liste_controlee": "oui", "duree_limitee": "non"}, 0, "no limited duration"),
    # ATB4c — "0,25 point supplémentaire ... précise une durée limitée ... après 48-72 heures"
    case("ATB4c", {"liste_atb": "oui", "liste_controlee": "oui", "duree_limitee": "oui"}, "1/4", "limited duration"),
    # ATB4c — hidden under a "Non" controlled list never scores
    case("ATB4c", {"liste_atb": "oui", "liste_controlee": "non", "duree_limitee": "oui"}, 0, "hidden under Non"),
    # ATB5a — "0 point ... s'il n'existe pas de connexion informatique"
    case("ATB5a", {"connexion": "non"}, 0, "no connection"),
    # ATB5a — "1 point ... s'il existe une connexion informatique"
    case("ATB5a", {"connexion": "oui"}, 1, "connection"),
    # ATB5b — "0 point ... s'il n'existe pas de prescription du médicament informatisée"
    case("ATB5b", {"prescription": "non"}, 0, "not computerised"),
    # ATB5b — extent hidden under "Non" never scores
    case("ATB5b", {"prescription": "non", "prescription_etendue": "totale"}, 0, "hidden under Non"),
    # ATB5b — "1 point ... informatisation partielle"
    case("ATB5b", {"prescription": "oui", "prescription_etendue": "partielle"}, 1, "partial"),
    # ATB5b — "2 points ... informatisation totale"
    case("ATB5b", {"prescription": "oui", "prescription_etendue": "totale"}, 2, "total"),
    # ATB6 — "0 point ... n'a pas prévu une formation des nouveaux prescripteurs"
    case("ATB6", {"formation_prescripteurs": "non"}, 0, "no training"),
    # ATB6 — "1 point ... a prévu une formation des nouveaux prescripteurs"
    case("ATB6", {"formation_prescripteurs": "oui"}, 1, "training"),
    # ATB7 — "0 point ... n'a pas réalisé d'évaluation de la qualité des prescriptions"
    case("ATB7", {"evaluation_atb": "non"}, 0, "no evaluation"),
    # ATB7 — "2,5 points ... a réalisé une évaluation de la qualité des prescriptions"
    case("ATB7", {"evaluation_atb": "oui"}, "5/2", "evaluation"),
    # ATB8 — "0 point ... s'il n'existe pas de surveillance de la consommation ... en DDJ"
    case("ATB8", {"surveillance_ddj": "non"}, 0, "no DDJ surveillance"),
    # ATB8 — "2,5 points ... s'il existe une surveillance de la consommation ... (DDJ) pour 1 000 JH"
    case(
        "ATB8",
        {
            "surveillance_ddj": "oui",
            **{f"ddj.{k}": F(10) for k in ("j01a", "j01b", "j01c", "j01d", "j01e", "j01f", "j01g", "j01m", "j01x")},
            "ddj.total": F(90),
        },
        "5/2",
        "DDJ surveillance",
    ),
]


@pytest.mark.parametrize(("code", "overrides", "expected"), ICATB_CASES)
def test_icatb_item(code: str, overrides: dict[str, Any], expected: F) -> None:
    assert score(overrides).items[code].points == expected


@pytest.mark.parametrize(
    ("chirurgie", "urgences", "aux_urgences"),
    [
        ("oui", "oui", "oui"),  # Tableau 5 (3): avec chirurgie, avec urgences — TOTAL 2
        ("oui", "non", "non_concerne"),  # Tableau 5 (3): avec chirurgie, sans urgences — TOTAL 2
        ("non", "oui", "oui"),  # Tableau 5 (3): sans chirurgie, avec urgences — TOTAL 2
        ("non", "non", "non_concerne"),  # Tableau 5 (3): sans chirurgie, sans urgences — TOTAL 2
    ],
)
def test_icatb3_protocols_total_two_in_every_profile(chirurgie: str, urgences: str, aux_urgences: str) -> None:
    # Tableau 5, note (3): "ICATB 3 – Protocoles relatifs aux antibiotiques ... TOTAL 2 2 2 2"
    result = score(antibiotherapie(chirurgie, urgences, "oui", aux_urgences))
    assert result.items["ATB3a"].points + result.items["ATB3b"].points == 2


# ---------------------------------------------------------------------------------------------
# SURVISO (Tableau 8: 0 / 4 / 6 / 10 points)
# ---------------------------------------------------------------------------------------------

ALL_DISCIPLINES = (
    "cardiaque",
    "digestive",
    "generale",
    "pediatrique",
    "orthopedique",
    "plastique",
    "thoracique",
    "gyneco",
    "neurochirurgie",
    "ophtalmo_orl",
    "urologique",
)


def iso(present: int, surveilled: int | None) -> dict[str, Any]:
    """`present` surgical disciplines, `surveilled` of them in the ISO incidence survey (None: no survey)."""
    answers: dict[str, Any] = {"disciplines": frozenset(ALL_DISCIPLINES[:present])}
    if surveilled is not None:
        answers |= {
            "enquete_incidence": "oui",
            "iso.site_operatoire.disciplines": F(surveilled),
            "iso.site_operatoire.reseau": "oui",
        }
    return answers


SURVISO_CASES = [
    # "absence d'enquête d'incidence des ISO : 0 point"
    pytest.param(iso(4, None), 0, id="no incidence survey"),
    # "absence d'enquête d'incidence des ISO": an incidence survey without any ISO discipline
    pytest.param(iso(4, 0), 0, id="incidence survey, 0 ISO discipline"),
    # "inférieur à 50 % : 4 points" — 1 of 4 = 25 %
    pytest.param(iso(4, 1), 4, id="1 of 4 (25 %)"),
    # "inférieur à 50 %" — 5 of 11 = 45.5 %
    pytest.param(iso(11, 5), 4, id="5 of 11 (45.5 %)"),
    # "inférieur à 50 %" — 1 of 3 = 33.3 %
    pytest.param(iso(3, 1), 4, id="1 of 3 (33.3 %)"),
    # "compris entre 50 % et ... 75 % : 6 points" (decision: 50 % ≤ p < 75 %) — 2 of 4 = 50 % exactly
    pytest.param(iso(4, 2), 6, id="2 of 4 (50 %)"),
    # 50 % ≤ p < 75 % — 1 of 2 = 50 % exactly
    pytest.param(iso(2, 1), 6, id="1 of 2 (50 %)"),
    # 50 % ≤ p < 75 % — 6 of 11 = 54.5 %
    pytest.param(iso(11, 6), 6, id="6 of 11 (54.5 %)"),
    # 50 % ≤ p < 75 % — 2 of 3 = 66.7 %
    pytest.param(iso(3, 2), 6, id="2 of 3 (66.7 %)"),
    # 50 % ≤ p < 75 % — 8 of 11 = 72.7 %
    pytest.param(iso(11, 8), 6, id="8 of 11 (72.7 %)"),
    # "supérieur ou égal à 75 % : 10 points" — 3 of 4 = 75 % exactly
    pytest.param(iso(4, 3), 10, id="3 of 4 (75 %)"),
    # "supérieur ou égal à 75 %" — 9 of 11 = 81.8 %
    pytest.param(iso(11, 9), 10, id="9 of 11 (81.8 %)"),
    # "supérieur ou égal à 75 %" — every discipline
    pytest.param(iso(4, 4), 10, id="4 of 4 (100 %)"),
    # "supérieur ou égal à 75 %" — 1 of 1
    pytest.param(iso(1, 1), 10, id="1 of 1 (100 %)"),
]


@pytest.mark.parametrize(("overrides", "expected"), SURVISO_CASES)
def test_surviso_points(overrides: dict[str, Any], expected: int) -> None:
    result = score(overrides)
    assert result.items["SURVISO"].points == expected
    # A CHU with surgery is concerned by SURVISO: the indicator is the points.
    assert result.indicators["SURVISO"].status == "ok"
    assert result.indicators["SURVISO"].value == expected
