"""The declarations of examples/, scored by hand from the cahier des charges (annex II of the
circulaire of 15 April 2010: the "Valorisation" paragraphs and Tableaux 1-9) and compared with the
engine.

Every expected value below was worked out from the rules, not copied from the engine; the comment
next to it shows the computation. Points and indicator values are compared exactly (fractions);
ratios are also compared once rounded (2 decimals for ICSHA and the score agrégé, 3 for SARM).
Class limits are lower-inclusive (NB under Tableaux 4, 6 and 9): E < P10 ≤ D < P30 ≤ C < P70 ≤ B
< P90 ≤ A.

Interpretation decisions used here (docs/rules.md): SURVISO 50 % ≤ p < 75 % → 6; ICSHA capped at
100 inside the score agrégé only; ICSHA objective = Σ SAE days × frictions (Tableau A) × 0.003 L,
HAD days only for category 11, réanimation days +40 frictions; no SAE → ICSHA class F and no score
agrégé; SURVISO % = ISO disciplines / surgical disciplines; ISO surveillance = incidence survey
"oui" and ≥ 1 discipline; surgery without ISO surveillance → excluded from the score agrégé; O121
public 4 instances (≥ 2 → 0.5, ≥ 3 → 1), private/PSPH 3 (≥ 1 → 0.5, ≥ 2 → 1); O122 ≥ 2 → 0.5;
hidden sub-answers never score; M21 "sans objet" scores nothing; SARM = 1000 × patients(3 y) /
days(3 y), "DI" when a previous year is missing, non concerné when the 3-year days ≤ 90 000.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from bilan.cli.resources import load_campaign
from bilan.engine.evaluate import Engine
from bilan.exports.answers_toml import parse_answers, read_answers
from bilan.presentation.indicators import shown_class

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

F = Fraction

# Maximum of each item (Valorisation paragraphs; ATB3b: 2 = "sans chirurgie, sans urgences").
MAXIMA = {
    "O111": "1",
    "O112": "2",
    "O121": "1",
    "O122": "0.5",
    "O131": "1",
    "O133": "1.5",
    "O211": "6",
    "O212": "4",
    "O221": "2",
    "O223": "1",
    "O31": "9",
    "O32": "4",
    "M11": "6",
    "M12": "6",
    "M13": "2",
    "M14": "2",
    "M21": "2",
    "M22": "3",
    "M23": "3",
    "M24": "1",
    "M31": "4",
    "M32": "4",
    "A11(1)": "2",
    "A11(2)": "2",
    "A11(3)": "2",
    "A11(4)": "2",
    "A11(5)": "2",
    "A12(1)": "0.5",
    "A12(2)": "0.5",
    "A12(3)": "0.5",
    "A12(4)": "0.5",
    "A12(5)": "0.5",
    "A12(6)": "0.5",
    "A12(7)": "0.5",
    "A12(8)": "0.5",
    "A12(9)": "0.5",
    "A12(10)": "0.5",
    "A21(1)": "1",
    "A21(2)": "2",
    "A22": "4",
    "A23": "3",
    "A24": "1",
    "A25": "1",
    "A26": "2",
    "A31": "2",
    "A32": "3",
    "ATB1": "4",
    "ATB2": "4",
    "ATB3a": "0.5",
    "ATB3b": "2",
    "ATB4a": "0.25",
    "ATB4b": "0.5",
    "ATB4c": "0.25",
    "ATB5a": "1",
    "ATB5b": "2",
    "ATB6": "1",
    "ATB7": "2.5",
    "ATB8": "2.5",
    "SURVISO": "10",
}


def ok(value, rounded=None, cls=None):
    """An indicator that is computed: exact value, value rounded as published, class."""
    return ("ok", F(value), rounded, cls)


NC = ("non_concerne",)
EXCLU = ("exclu",)
NOT_COMPUTED = ("not_computed",)  # score agrégé when an indicator it needs is not calculable


def non_calculable(label):
    return ("non_calculable", label)


# ---------------------------------------------------------------------------------------------
# Expected results, one block per example
# ---------------------------------------------------------------------------------------------

CASES: dict[str, dict] = {}

# CHU exemple: category 1, everything at its maximum.
CASES["chu-exemple"] = dict(
    # All items at their maximum, except ATB3b: with surgery and emergencies the protocol earns
    # 1 + 0.5 (applied in the emergency department) = 1.5 (table of ATB3b).
    items={**MAXIMA, "ATB3b": "1.5"},
    icalin=("33", "33", "34", "100", "A"),
    icatb=("4", "8", "8", "20", "A"),  # ICATB3 = 3a 0.5 + 3b 1.5 = 2
    # objective = (300000×7 + 200000×9 + 20000×40 + 50000×8 + 40000×5 + 30000×4 + 20000×2
    #              + 10000×6 + 100000×2) × 0.003 = 5 720 000 × 0.003 = 17 160 L (HAD not counted,
    #              category 1); 100 × 20000.5 / 17160 = 116.55 % → A (≥ 90)
    icsha=ok(F("20000.5") * 100 / 17160, "116.55", "A"),
    surviso=ok(10),  # 9/11 = 81.8 % ≥ 75 % → 10
    # 100 × 0.4 + min(116.55, 100) × 0.3 + 20 + 10 = 40 + 30 + 20 + 10 = 100 → A (≥ 91.10)
    score=ok(100, "100.00", "A"),
    # 1000 × (260 + 255 + 250) / (540000 + 545000 + 550000) = 765000 / 1635000 = 0.468
    sarm=ok(F(765000, 1635000), "0.468"),
)

# CHU du Nord: category 1, good but not maximal.
CASES["chu-nord"] = dict(
    items={
        # O1: project with LIN objectives 1; COM without LIN objectives 0; O121 public, 3 of 4
        # instances (CME, CSSI, CHSCT) → 1; O122 report to CME only (1 instance) → 0; welcome
        # booklet with LIN information 1; training programme 1, not in the training plan +0.
        "O111": "1",
        "O112": "0",
        "O121": "1",
        "O122": "0",
        "O131": "1",
        "O133": "1",
        # O2: 3 plenary meetings → 6; 3 working-group meetings ≤ 3 plenary → 1; users 2; CLIN not
        # consulted on the training plan 0.
        "O211": "6",
        "O212": "1",
        "O221": "2",
        "O223": "0",
        "O31": "9",
        "O32": "4",
        # M1: medical 3.5 FTE > 0 → 6; paramedical 6.5 > 0 → 6; both → +2; no technician or
        # secretary → 0.
        "M11": "6",
        "M12": "6",
        "M13": "2",
        "M14": "0",
        # M2: recruits 1.5 + students 0.5 = 2; 25 doctors → 3; 310 nurses → 3; 0 others → 0.
        "M21": "2",
        "M22": "3",
        "M23": "3",
        "M24": "0",
        # M3: medical correspondents in 26 of 52 services: ≥ 1 → 3, but 26 is not strictly more
        # than 52/2 → no extra point; paramedical 40 > 26 → 3 + 1.
        "M31": "3",
        "M32": "4",
        # A1: AES protocol 2, ECS with alert threshold 2, hands/standard/urinary 2 each;
        # 8 of the 10 other protocols (no pressure sores, no linen) × 0.5.
        "A11(1)": "2",
        "A11(2)": "2",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "2",
        "A12(1)": "0.5",
        "A12(2)": "0.5",
        "A12(3)": "0",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0.5",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0",
        "A21(1)": "1",
        "A21(2)": "2",
        "A22": "4",
        "A23": "3",
        "A24": "1",
        "A25": "1",
        "A26": "2",
        # A3: evaluation 2, no audit 0.
        "A31": "2",
        "A32": "0",
        # ICATB: committee met twice → 2; referent 4; SFAR protocol 0.5; first-line protocol with
        # surgery and emergencies 1, not the one used in the emergency department +0; list 0.25
        # + controlled list 0.5, no limited duration +0; connection 1; partial computerised
        # prescription 1; training 1; evaluation 2.5; DDD surveillance 2.5.
        "ATB1": "2",
        "ATB2": "4",
        "ATB3a": "0.5",
        "ATB3b": "1",
        "ATB4a": "0.25",
        "ATB4b": "0.5",
        "ATB4c": "0",
        "ATB5a": "1",
        "ATB5b": "1",
        "ATB6": "1",
        "ATB7": "2.5",
        "ATB8": "2.5",
        # 7 of 11 disciplines surveyed: 63.6 %, 50 % ≤ p < 75 % → 6.
        "SURVISO": "6",
    },
    # O = (1+0+1+0+1+1) + (6+1+2+0) + (9+4) = 4 + 9 + 13 = 26
    # M = (6+6+2+0) + (2+3+3+0) + (3+4) = 14 + 8 + 7 = 29
    # A = (2+2+6+8×0.5) + (1+2+4+3+1+1+2) + (2+0) = 14 + 14 + 2 = 30
    # ICALIN = 85; category 1 limits 65.75 / 86 / 94.25 / 97.75 → D (65.75 ≤ 85 < 86)
    icalin=("26", "29", "30", "85", "D"),
    # O = 2; M = 4 + 1 + 1 + 1 = 7; A = (0.5 + 1) + 0.75 + 2.5 + 2.5 = 7.25
    # ICATB = 16.25; category 1 limits 11 / 13.75 / 17 / 18 → C
    icatb=("2", "7", "7.25", "16.25", "C"),
    # objective = (420000×7 + 260000×9 + 31000×40 + 38000×8 + 52000×5 + 45000×4 + 60000×2
    #              + 18000×6 + 150000×2) × 0.003
    #           = (2 940 000 + 2 340 000 + 1 240 000 + 304 000 + 260 000 + 180 000 + 120 000
    #              + 108 000 + 300 000) × 0.003 = 7 792 000 × 0.003 = 23 376 L
    # (the 12 000 HAD days are not counted for a CHU; counting them would give 23 448 L)
    # ICSHA = 100 × 19800 / 23376 = 84.70 % → B (70 ≤ p < 90)
    icsha=ok(F(19800 * 100, 23376), "84.70", "B"),
    surviso=ok(6),
    # score = 85 × 0.4 + 84.7023 × 0.3 + 16.25 + 6 = 34 + 25.4107 + 22.25 = 81.66
    # category 1 limits 44.30 / 62.15 / 80.70 / 91.10 → B
    score=ok(F(85) * F("0.4") + F(19800 * 100, 23376) * F("0.3") + F("16.25") + 6, "81.66", "B"),
    # 1000 × (410 + 395 + 372) / (790000 + 805000 + 800000) = 1 177 000 / 2 395 000 = 0.491
    sarm=ok(F(1177000, 2395000), "0.491"),
)

# CH de la Vallée: category 2, public, surgery without ISO surveillance → excluded.
CASES["ch-vallee"] = dict(
    items={
        # O1: no establishment project → 0 (sub-question not asked); COM with LIN objectives 2;
        # O121 public, 2 of 4 instances (CME, CSSI) → 0.5; O122 report to CME and CA → 0.5;
        # booklet without LIN information 0; training programme 1 + in the plan 0.5.
        "O111": "0",
        "O112": "2",
        "O121": "0.5",
        "O122": "0.5",
        "O131": "0",
        "O133": "1.5",
        # O2: 2 plenary → 2; no working group → 0; users not invited 0; CLIN consulted 1.
        "O211": "2",
        "O212": "0",
        "O221": "0",
        "O223": "1",
        "O31": "9",
        "O32": "4",
        # M1: medical 0.3, paramedical 1.0, secretary 0.2 → 6 + 6 + 2 + 2.
        "M11": "6",
        "M12": "6",
        "M13": "2",
        "M14": "2",
        # M2: new recruits "non" 0, temporary staff "oui" 0.5; 2 doctors 3, 35 nurses 3,
        # 12 others 1.
        "M21": "0.5",
        "M22": "3",
        "M23": "3",
        "M24": "1",
        # M3: no medical correspondent 0; paramedical in 5 of 9 services: 3 + 1 (5 > 4.5).
        "M31": "0",
        "M32": "4",
        # A1: AES 2; ECS surveillance without threshold 0; hands 2, standard 2, urinary 0;
        # 7 other protocols × 0.5 (no dressings, no medical devices, no linen).
        "A11(1)": "2",
        "A11(2)": "0",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "0",
        "A12(1)": "0.5",
        "A12(2)": "0.5",
        "A12(3)": "0.5",
        "A12(4)": "0",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0",
        # A2: AES reporting 1; no AES prevention 0; BMR 4; incidence survey 3; external lab
        # without surveillance 0; survey results circulated 1; signalement 2.
        "A21(1)": "1",
        "A21(2)": "0",
        "A22": "4",
        "A23": "3",
        "A24": "0",
        "A25": "1",
        "A26": "2",
        # A3: no evaluation 0 (audit not asked).
        "A31": "0",
        "A32": "0",
        # ICATB: 1 meeting 1; no referent 0; no SFAR protocol 0; first-line protocol with
        # surgery and emergencies 1 + used in the emergency department 0.5; list 0.25 only;
        # no connection, no computerised prescription, no training, no evaluation; DDD 2.5.
        "ATB1": "1",
        "ATB2": "0",
        "ATB3a": "0",
        "ATB3b": "1.5",
        "ATB4a": "0.25",
        "ATB4b": "0",
        "ATB4c": "0",
        "ATB5a": "0",
        "ATB5b": "0",
        "ATB6": "0",
        "ATB7": "0",
        "ATB8": "2.5",
        # incidence survey "oui" but 0 ISO discipline → no ISO surveillance → 0.
        "SURVISO": "0",
    },
    # O = (0+2+0.5+0.5+0+1.5) + (2+0+0+1) + 13 = 4.5 + 3 + 13 = 20.5
    # M = 16 + (0.5+3+3+1) + (0+4) = 16 + 7.5 + 4 = 27.5
    # A = (2+0+4+7×0.5) + (1+0+4+3+0+1+2) + 0 = 9.5 + 11 + 0 = 20.5
    # ICALIN = 68.5; category 2 limits 44.5 / 62.5 / 79.5 / 88.5 → C
    icalin=("20.5", "27.5", "20.5", "68.5", "C"),
    # O = 1; M = 0; A = 1.5 + 0.25 + 2.5 + 0 = 4.25; ICATB = 5.25
    # category 2 limits 3.52 / 7.062 / 12.25 / 15.25 → D
    icatb=("1", "0", "4.25", "5.25", "D"),
    # objective = (48000×7 + 21000×9 + 9500×8 + 11000×5 + 14600×4 + 19500×2) × 0.003
    #           = (336 000 + 189 000 + 76 000 + 55 000 + 58 400 + 39 000) × 0.003
    #           = 753 400 × 0.003 = 2 260.2 L
    # ICSHA = 100 × 1582.14 / 2260.2 = 70 % exactly → B (the limit 70 is lower-inclusive)
    icsha=ok(70, "70.00", "B"),
    surviso=ok(0),
    # surgery, concerned by SURVISO, no ISO surveillance → excluded from the score agrégé.
    score=EXCLU,
    # 1000 × (21 + 19 + 23) / (97000 + 99500 + 98000) = 63 000 / 294 500 = 0.214
    sarm=ok(F(63000, 294500), "0.214"),
)

# Clinique Saint-Roch: category 6, private, surgery and emergencies.
CASES["clinique-saint-roch"] = dict(
    items={
        # O1: project 1; COM 2; O121 private, CME only = 1 of 3 → 0.5; O122 CME + CA → 0.5;
        # booklet 1; no training programme 0 (plan question not asked).
        "O111": "1",
        "O112": "2",
        "O121": "0.5",
        "O122": "0.5",
        "O131": "1",
        "O133": "0",
        # O2: 4 plenary → 6; no working group 0; users 2; CLIN consulted 1.
        "O211": "6",
        "O212": "0",
        "O221": "2",
        "O223": "1",
        "O31": "9",
        "O32": "4",
        # M1: doctor 0.1 + pharmacist 0.1, nurse 0.5 → 6 + 6 + 2; no technician/secretary 0.
        "M11": "6",
        "M12": "6",
        "M13": "2",
        "M14": "0",
        # M2: recruits 1.5, temporary staff and students "sans objet" → +0; no doctor trained 0;
        # 18 nurses 3; 6 others 1.
        "M21": "1.5",
        "M22": "0",
        "M23": "3",
        "M24": "1",
        # M3: medical 3 of 5 services (3 > 2.5) → 4; paramedical 5 of 5 → 4.
        "M31": "4",
        "M32": "4",
        # A1: everything → 15.
        "A11(1)": "2",
        "A11(2)": "2",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "2",
        "A12(1)": "0.5",
        "A12(2)": "0.5",
        "A12(3)": "0.5",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0.5",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0.5",
        # A2: AES 1 + 2; no BMR programme 0; incidence 3; lab surveillance 1; lab data circulated
        # (survey results not) → 1; signalement 2.
        "A21(1)": "1",
        "A21(2)": "2",
        "A22": "0",
        "A23": "3",
        "A24": "1",
        "A25": "1",
        "A26": "2",
        "A31": "2",
        "A32": "3",
        # ICATB: 3 meetings 4; referent 4; SFAR protocol 0.5; no first-line protocol 0;
        # lists 0.25 + 0.5 + 0.25; connection 1; no computerised prescription 0; training 1;
        # no evaluation 0; no DDD surveillance 0.
        "ATB1": "4",
        "ATB2": "4",
        "ATB3a": "0.5",
        "ATB3b": "0",
        "ATB4a": "0.25",
        "ATB4b": "0.5",
        "ATB4c": "0.25",
        "ATB5a": "1",
        "ATB5b": "0",
        "ATB6": "1",
        "ATB7": "0",
        "ATB8": "0",
        # 2 of 4 disciplines = 50 % exactly → 6 (50 % is inside 50 % ≤ p < 75 %).
        "SURVISO": "6",
    },
    # O = (1+2+0.5+0.5+1+0) + (6+0+2+1) + 13 = 5 + 9 + 13 = 27
    # M = 14 + (1.5+0+3+1) + 8 = 14 + 5.5 + 8 = 27.5
    # A = 15 + (1+2+0+3+1+1+2) + 5 = 15 + 10 + 5 = 30
    # ICALIN = 84.5; category 6 limits 36 / 55 / 73 / 85.1 → B
    icalin=("27", "27.5", "30", "84.5", "B"),
    # O = 4; M = 4 + 1 + 0 + 1 = 6; A = 0.5 + 0 + 1 + 0 + 0 = 1.5; ICATB = 11.5
    # category 6 limits 3.25 / 7.25 / 12.5 / 15.50 → C
    icatb=("4", "6", "1.5", "11.5", "C"),
    # objective = (9200×7 + 32600×9 + 9800×2) × 0.003 = (64 400 + 293 400 + 19 600) × 0.003
    #           = 377 400 × 0.003 = 1 132.2 L; ICSHA = 100 × 1350 / 1132.2 = 119.24 % → A
    icsha=ok(F(1350 * 100) / F("1132.2"), "119.24", "A"),
    surviso=ok(6),
    # score = 84.5 × 0.4 + min(119.24, 100) × 0.3 + 11.5 + 6 = 33.8 + 30 + 17.5 = 81.3
    # (uncapped it would be 87.07, class A); category 6 limits 24.65 / 43.25 / 67.70 / 83.54 → B
    score=ok(F("81.3"), "81.30", "B"),
    # days 29500 + 30000 + 30500 = 90 000, not more than 90 000 → non concerné
    sarm=NC,
)

# SSR-SLD Les Tilleuls: category 9, PSPH, no surgery, no emergencies, SARM history incomplete.
CASES["ssr-les-tilleuls"] = dict(
    items={
        # O1: project without LIN objectives 0; no COM 0; O121 PSPH, CME + CA = 2 of 3 → 1;
        # no report → O122 0 (opinions not asked); booklet 1; programme 1 + in the plan 0.5.
        "O111": "0",
        "O112": "0",
        "O121": "1",
        "O122": "0",
        "O131": "1",
        "O133": "1.5",
        # O2: 1 plenary → 2; 2 working-group meetings > 1 plenary → 4; users 2; not consulted 0.
        "O211": "2",
        "O212": "4",
        "O221": "2",
        "O223": "0",
        # O3: programme 9, no report 0.
        "O31": "9",
        "O32": "0",
        # M1: only a nurse (0.8 FTE) → M12 6.
        "M11": "0",
        "M12": "6",
        "M13": "0",
        "M14": "0",
        # M2: recruits 1.5, temporary staff "non", students "sans objet" → +0; 1 doctor 3,
        # 14 nurses 3, 20 others 1.
        "M21": "1.5",
        "M22": "3",
        "M23": "3",
        "M24": "1",
        # M3: no correspondents (counts not asked) → 0 + 0.
        "M31": "0",
        "M32": "0",
        # A1: AES 2; no water surveillance 0; hands/standard/urinary 6; 8 other protocols × 0.5
        # (no intravascular devices, no medical devices).
        "A11(1)": "2",
        "A11(2)": "0",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "2",
        "A12(1)": "0",
        "A12(2)": "0.5",
        "A12(3)": "0.5",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0.5",
        # A2: AES reporting 1; no prevention 0; BMR 4; prevalence survey 3; lab surveillance 1;
        # results not circulated 0; signalement 2.
        "A21(1)": "1",
        "A21(2)": "0",
        "A22": "4",
        "A23": "3",
        "A24": "1",
        "A25": "0",
        "A26": "2",
        "A31": "2",
        "A32": "3",
        # ICATB: committee exists but 0 meeting → 0; referent 4; no surgery → 3a 0; first-line
        # protocol without surgery and without emergencies → 2; no list 0; no connection 0;
        # total computerised prescription 2; no training 0; evaluation 2.5; no DDD 0.
        "ATB1": "0",
        "ATB2": "4",
        "ATB3a": "0",
        "ATB3b": "2",
        "ATB4a": "0",
        "ATB4b": "0",
        "ATB4c": "0",
        "ATB5a": "0",
        "ATB5b": "2",
        "ATB6": "0",
        "ATB7": "2.5",
        "ATB8": "0",
        # no incidence survey → 0 (indicator non concerné anyway).
        "SURVISO": "0",
    },
    # O = (0+0+1+0+1+1.5) + (2+4+2+0) + (9+0) = 3.5 + 8 + 9 = 20.5
    # M = 6 + (1.5+3+3+1) + 0 = 6 + 8.5 + 0 = 14.5
    # A = (2+0+6+8×0.5) + (1+0+4+3+1+0+2) + 5 = 12 + 11 + 5 = 28
    # ICALIN = 63; category 9 limits 23 / 45 / 69.5 / 82 → C
    icalin=("20.5", "14.5", "28", "63", "C"),
    # O = 0; M = 4 + 0 + 2 + 0 = 6; A = 2 + 0 + 0 + 2.5 = 4.5; ICATB = 10.5
    # category 9 limits 0.25 / 4 / 10.50 / 14.25 → B (10.5 is on the lower-inclusive limit)
    icatb=("0", "6", "4.5", "10.5", "B"),
    # objective = (38400×5 + 21900×4) × 0.003 = (192 000 + 87 600) × 0.003 = 838.8 L
    # ICSHA = 100 × 412.5 / 838.8 = 49.18 % → C
    icsha=ok(F("412.5") * 100 / F("838.8"), "49.18", "C"),
    surviso=NC,
    # ICALIN + ICSHA + ICATB: 63 × 0.444 + 49.1774 × 0.333 + 10.5 × 1.111
    #   = 27.972 + 16.3761 + 11.6655 = 56.01; category 9 limits 13.82 / 34.41 / 65.83 / 82.21 → C
    score=ok(63 * F("0.444") + F("412.5") * 100 / F("838.8") * F("0.333") + F("10.5") * F("1.111"), "56.01", "C"),
    # no 2007 data (merger in 2008) → données insuffisantes
    sarm=non_calculable("DI"),
)

# HAD Domisoins: category 11, private, no surgery.
CASES["had-domisoins"] = dict(
    items={
        # O1: no project 0; COM without LIN objectives 0; O121 private, 0 of 3 instances → 0;
        # O122 CME + CHSCT → 0.5; booklet 1; programme 1, not in the plan +0.
        "O111": "0",
        "O112": "0",
        "O121": "0",
        "O122": "0.5",
        "O131": "1",
        "O133": "1",
        # O2: 2 plenary → 2; 2 working-group meetings ≤ 2 → 1; users not invited 0; consulted 1.
        "O211": "2",
        "O212": "1",
        "O221": "0",
        "O223": "1",
        "O31": "9",
        "O32": "4",
        # M1: pharmacist 0.2 (medical) → 6; cadre infirmier 0.5 → 6; both → 2; secretary 0.1 → 2.
        "M11": "6",
        "M12": "6",
        "M13": "2",
        "M14": "2",
        # M2: recruits 1.5 + temporary staff 0.5 = 2; no doctor 0; 22 nurses 3; no other 0.
        "M21": "2",
        "M22": "0",
        "M23": "3",
        "M24": "0",
        # M3: medical 1 of 3 services → 3 (1 is not > 1.5); paramedical 2 of 3 → 3 + 1.
        "M31": "3",
        "M32": "4",
        # A1: AES 2; no water surveillance 0; hands/standard/urinary 6; 6 other protocols × 0.5
        # (no disinfectants, medical devices, premises, linen).
        "A11(1)": "2",
        "A11(2)": "0",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "2",
        "A12(1)": "0.5",
        "A12(2)": "0.5",
        "A12(3)": "0.5",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0",
        "A12(7)": "0",
        "A12(8)": "0",
        "A12(9)": "0.5",
        "A12(10)": "0",
        # A2: AES 1 + 2; no BMR 0; no survey 0; no laboratory 0; no surveillance → A25 0;
        # signalement 2.
        "A21(1)": "1",
        "A21(2)": "2",
        "A22": "0",
        "A23": "0",
        "A24": "0",
        "A25": "0",
        "A26": "2",
        # A3: evaluation 2, no audit 0.
        "A31": "2",
        "A32": "0",
        # ICATB items (indicator non concerné for HAD): only the list of antibiotics 0.25.
        "ATB1": "0",
        "ATB2": "0",
        "ATB3a": "0",
        "ATB3b": "0",
        "ATB4a": "0.25",
        "ATB4b": "0",
        "ATB4c": "0",
        "ATB5a": "0",
        "ATB5b": "0",
        "ATB6": "0",
        "ATB7": "0",
        "ATB8": "0",
        "SURVISO": "0",
    },
    # O = (0+0+0+0.5+1+1) + (2+1+0+1) + 13 = 2.5 + 4 + 13 = 19.5
    # M = 16 + (2+0+3+0) + (3+4) = 16 + 5 + 7 = 28
    # A = (2+0+6+6×0.5) + (1+2+0+0+0+0+2) + 2 = 11 + 5 + 2 = 18
    # ICALIN = 65.5; category 11 limits 19 / 28.75 / 49.75 / 64.5 → A
    icalin=("19.5", "28", "18", "65.5", "A"),
    icatb=NC,
    # category 11: HAD days count. objective = 45000 × 2 × 0.003 = 270 L
    # ICSHA = 100 × 175.5 / 270 = 65 % → C (30 ≤ 65 < 70)
    icsha=ok(65, "65.00", "C"),
    surviso=NC,
    # ICALIN + ICSHA: 65.5 × 0.571 + 65 × 0.429 = 37.4005 + 27.885 = 65.2855
    # category 11 limits 16.00 / 29.17 / 56.49 / 72.99 → B
    score=ok(F("65.2855"), "65.29", "B"),
    sarm=NC,
)

# MECSS Les Pins: category 13, public, no surgery: score agrégé = ICALIN.
CASES["mecss-les-pins"] = dict(
    items={
        # O1: project 1; COM 2; O121 public, CSSI only = 1 of 4 → 0; O122 4 instances → 0.5;
        # booklet 1; programme 1 + plan 0.5.
        "O111": "1",
        "O112": "2",
        "O121": "0",
        "O122": "0.5",
        "O131": "1",
        "O133": "1.5",
        # O2: 3 plenary → 6; 5 working-group meetings > 3 → 4; users 2; consulted 1.
        "O211": "6",
        "O212": "4",
        "O221": "2",
        "O223": "1",
        "O31": "9",
        "O32": "4",
        # M1: doctor 0.1, nurse 0.3 → 6 + 6 + 2; no technician/secretary 0.
        "M11": "6",
        "M12": "6",
        "M13": "2",
        "M14": "0",
        # M2: recruits "non" 0, temporary staff "sans objet", students "oui" → 0.5;
        # 1 doctor 3, 8 nurses 3, 10 others 1.
        "M21": "0.5",
        "M22": "3",
        "M23": "3",
        "M24": "1",
        # M3: no medical correspondent 0; paramedical 4 of 4 → 4.
        "M31": "0",
        "M32": "4",
        # A1: AES 2; ECS without threshold 0; 6; 8 other protocols × 0.5.
        "A11(1)": "2",
        "A11(2)": "0",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "2",
        "A12(1)": "0",
        "A12(2)": "0.5",
        "A12(3)": "0.5",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0.5",
        # A2: AES reporting 1; no prevention 0; no BMR 0; prevalence 3; external lab without
        # surveillance 0; survey circulated 1; signalement 2.
        "A21(1)": "1",
        "A21(2)": "0",
        "A22": "0",
        "A23": "3",
        "A24": "0",
        "A25": "1",
        "A26": "2",
        "A31": "2",
        "A32": "0",
        # ICATB items (non concerné): 1 meeting 1; first-line protocol without surgery and
        # emergencies 2; nothing else.
        "ATB1": "1",
        "ATB2": "0",
        "ATB3a": "0",
        "ATB3b": "2",
        "ATB4a": "0",
        "ATB4b": "0",
        "ATB4c": "0",
        "ATB5a": "0",
        "ATB5b": "0",
        "ATB6": "0",
        "ATB7": "0",
        "ATB8": "0",
        "SURVISO": "0",
    },
    # O = (1+2+0+0.5+1+1.5) + (6+4+2+1) + 13 = 6 + 13 + 13 = 32
    # M = 14 + (0.5+3+3+1) + (0+4) = 14 + 7.5 + 4 = 25.5
    # A = (2+0+6+8×0.5) + (1+0+0+3+0+1+2) + 2 = 12 + 7 + 2 = 21
    # ICALIN = 78.5; category 13 ICALIN limits 26.5 / 38.25 / 78 / 84.5 → B
    icalin=("32", "25.5", "21", "78.5", "B"),
    icatb=NC,
    icsha=NC,
    surviso=NC,
    # score = ICALIN × 1 = 78.5; category 13 score limits 26.50 / 38.25 / 78.84 / 84.50 → C
    score=ok(F("78.5"), "78.50", "C"),
    sarm=NC,
)

# Ambulatory centre Cap Vision: category 14, private, surgery: score = ICALIN × 0.8 + SURVISO × 2.
CASES["ambulatoire-cap-vision"] = dict(
    items={
        # O1: no project 0; no COM 0; O121 private, 3 of 3 → 1; O122 CME only → 0; booklet 1;
        # no training programme 0.
        "O111": "0",
        "O112": "0",
        "O121": "1",
        "O122": "0",
        "O131": "1",
        "O133": "0",
        # O2: 3 plenary → 6; 2 working-group meetings ≤ 3 → 1; users 2; not consulted 0.
        "O211": "6",
        "O212": "1",
        "O221": "2",
        "O223": "0",
        "O31": "9",
        "O32": "4",
        # M1: doctor 0.05, nurse 0.2 → 6 + 6 + 2; 0.
        "M11": "6",
        "M12": "6",
        "M13": "2",
        "M14": "0",
        # M2: recruits 1.5 + temporary staff 0.5; 3 doctors 3; 12 nurses 3; no other 0.
        "M21": "2",
        "M22": "3",
        "M23": "3",
        "M24": "0",
        # M3: medical 1 of 2 services → 3 (1 is not > 1); paramedical 2 of 2 → 4.
        "M31": "3",
        "M32": "4",
        # A1: AES 2; ECS with threshold 2; 6; 8 other protocols (no pressure sores, no linen).
        "A11(1)": "2",
        "A11(2)": "2",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "2",
        "A12(1)": "0.5",
        "A12(2)": "0.5",
        "A12(3)": "0",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0.5",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0",
        # A2: AES 1 + 2; no BMR 0; incidence 3; no lab surveillance 0; circulated 1; 2.
        "A21(1)": "1",
        "A21(2)": "2",
        "A22": "0",
        "A23": "3",
        "A24": "0",
        "A25": "1",
        "A26": "2",
        "A31": "2",
        "A32": "3",
        # ICATB items (non concerné): 2 meetings 2; referent 4; SFAR 0.5; first-line protocol
        # with surgery, without emergencies 1.5; list 0.25; partial prescription 1.
        "ATB1": "2",
        "ATB2": "4",
        "ATB3a": "0.5",
        "ATB3b": "1.5",
        "ATB4a": "0.25",
        "ATB4b": "0",
        "ATB4c": "0",
        "ATB5a": "0",
        "ATB5b": "1",
        "ATB6": "0",
        "ATB7": "0",
        "ATB8": "0",
        # 3 of 4 disciplines = 75 % → 10 (75 % is lower-inclusive).
        "SURVISO": "10",
    },
    # O = (0+0+1+0+1+0) + (6+1+2+0) + 13 = 2 + 9 + 13 = 24
    # M = 14 + (2+3+3+0) + (3+4) = 14 + 8 + 7 = 29
    # A = (2+2+6+8×0.5) + (1+2+0+3+0+1+2) + 5 = 14 + 9 + 5 = 28
    # ICALIN = 81; category 14 limits 28.5 / 43.2 / 71.2 / 76 → A
    icalin=("24", "29", "28", "81", "A"),
    icatb=NC,
    icsha=NC,
    surviso=ok(10),
    # score = 81 × 0.8 + 10 × 2 = 64.8 + 20 = 84.8; category 14 limits 30.80 / 44.56 / 66.96 /
    # 74.80 → A
    score=ok(F("84.8"), "84.80", "A"),
    sarm=NC,
)

# CHS du Mont Sainte-Odile: category 4 (psychiatry), public, no SAE data.
CASES["chs-mont-sainte-odile"] = dict(
    items={
        # O1: project 1; COM 2; no programme → O121 0 (opinions not asked); O122 public, CME +
        # CSSI + CA → 0.5; no booklet 0; programme 1, not in the plan +0.
        "O111": "1",
        "O112": "2",
        "O121": "0",
        "O122": "0.5",
        "O131": "0",
        "O133": "1",
        # O2: 2 plenary → 2; 1 working-group meeting ≤ 2 → 1; users 2; consulted 1.
        "O211": "2",
        "O212": "1",
        "O221": "2",
        "O223": "1",
        # O3: no programme 0; report 4.
        "O31": "0",
        "O32": "4",
        # M1: no FTE at all → 0.
        "M11": "0",
        "M12": "0",
        "M13": "0",
        "M14": "0",
        # M2: recruits 1.5; 4 doctors 3; 60 nurses 3; 15 others 1.
        "M21": "1.5",
        "M22": "3",
        "M23": "3",
        "M24": "1",
        # M3: medical 2 of 12 → 3; paramedical 7 of 12 (7 > 6) → 4.
        "M31": "3",
        "M32": "4",
        # A1: AES 2; ECS with threshold 2; hands 2, standard 2, no urinary 0; 8 others × 0.5.
        "A11(1)": "2",
        "A11(2)": "2",
        "A11(3)": "2",
        "A11(4)": "2",
        "A11(5)": "0",
        "A12(1)": "0",
        "A12(2)": "0.5",
        "A12(3)": "0.5",
        "A12(4)": "0.5",
        "A12(5)": "0.5",
        "A12(6)": "0.5",
        "A12(7)": "0",
        "A12(8)": "0.5",
        "A12(9)": "0.5",
        "A12(10)": "0.5",
        # A2: AES reporting 1; no prevention 0; no BMR 0; prevalence 3; no lab surveillance 0;
        # not circulated 0; signalement 2.
        "A21(1)": "1",
        "A21(2)": "0",
        "A22": "0",
        "A23": "3",
        "A24": "0",
        "A25": "0",
        "A26": "2",
        "A31": "0",
        "A32": "0",
        # ICATB: 4 meetings → 4; no referent 0; 3a 0 (no surgery); first-line protocol without
        # surgery and emergencies 2; lists 0.25 + 0.5, no limited duration; connection 1; total
        # prescription 2; training 1; no evaluation 0; DDD 2.5.
        "ATB1": "4",
        "ATB2": "0",
        "ATB3a": "0",
        "ATB3b": "2",
        "ATB4a": "0.25",
        "ATB4b": "0.5",
        "ATB4c": "0",
        "ATB5a": "1",
        "ATB5b": "2",
        "ATB6": "1",
        "ATB7": "0",
        "ATB8": "2.5",
        "SURVISO": "0",
    },
    # O = (1+2+0+0.5+0+1) + (2+1+2+1) + (0+4) = 4.5 + 6 + 4 = 14.5
    # M = 0 + (1.5+3+3+1) + (3+4) = 0 + 8.5 + 7 = 15.5
    # A = (2+2+4+8×0.5) + (1+0+0+3+0+0+2) + 0 = 12 + 6 + 0 = 18
    # ICALIN = 48; category 4 limits 36 / 50.65 / 73 / 84.45 → D
    icalin=("14.5", "15.5", "18", "48", "D"),
    # O = 4; M = 0 + 3 + 1 = 4; A = 2 + 0.75 + 2.5 + 0 = 5.25; ICATB = 13.25
    # category 4 limits 2 / 5.06 / 11.50 / 14.18 → B
    icatb=("4", "4", "5.25", "13.25", "B"),
    # no SAE data → non calculable, class F
    icsha=non_calculable("F"),
    surviso=NC,
    # ICALIN + ICSHA + ICATB would apply, but ICSHA cannot be computed → no score agrégé.
    score=NOT_COMPUTED,
    sarm=NC,  # category 4
)


# ---------------------------------------------------------------------------------------------
# Machinery
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


_results: dict[str, object] = {}


def result_of(name, campaign):
    if name not in _results:
        _results[name] = Engine(campaign).score(read_answers(EXAMPLES / f"{name}.toml", campaign))
    return _results[name]


def rounded(value: Fraction, places: int) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def group(groups, code):
    for g in groups:
        if isinstance(g, str):
            continue
        if g.code == code:
            return g
        found = group(g.children, code)
        if found is not None:
            return found
    return None


def check_indicator(ind, expected, places):
    kind = expected[0]
    if kind == "ok":
        _, value, shown, cls = expected
        assert ind.status == "ok", (ind.status, ind.reason)
        assert ind.value == value, (float(ind.value), float(value))
        if shown is not None:
            assert rounded(ind.value, places) == Decimal(shown)
        assert ind.class_label == cls
    elif kind == "not_computed":
        assert ind.status != "ok"
        assert ind.value is None
    elif kind == "non_calculable":
        assert ind.status == "non_calculable", (ind.status, ind.reason)
        assert ind.value is None
        assert shown_class(ind) == expected[1]
    else:
        assert ind.status == kind, (ind.status, ind.reason)
        assert ind.value is None


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_every_example_has_expectations():
    files = {p.stem for p in EXAMPLES.glob("*.toml")}
    assert files == set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_complete_without_errors(name, campaign):
    r = result_of(name, campaign)
    assert r.missing == ()
    assert r.hidden_answers == ()
    assert r.errors == ()
    assert r.warnings == ()
    assert r.can_validate


@pytest.mark.parametrize("name", CASES)
def test_item_points(name, campaign):
    r = result_of(name, campaign)
    expected = {code: F(points) for code, points in CASES[name]["items"].items()}
    assert set(r.items) == set(expected)
    got = {code: item.points for code, item in r.items.items()}
    wrong = {code: (str(got[code]), str(expected[code])) for code in expected if got[code] != expected[code]}
    assert not wrong, f"(engine, hand) by item: {wrong}"
    for code, item in r.items.items():
        assert item.complete, code
        assert item.points <= F(MAXIMA[code])


@pytest.mark.parametrize("name", CASES)
def test_icalin(name, campaign):
    r = result_of(name, campaign)
    o, m, a, total, cls = CASES[name]["icalin"]
    ind = r.indicators["ICALIN"]
    assert ind.status == "ok"
    assert (group(ind.groups, "O").points, group(ind.groups, "M").points, group(ind.groups, "A").points) == (
        F(o),
        F(m),
        F(a),
    )
    assert ind.value == F(total)
    assert ind.class_label == cls


@pytest.mark.parametrize("name", CASES)
def test_icatb(name, campaign):
    r = result_of(name, campaign)
    expected = CASES[name]["icatb"]
    ind = r.indicators["ICATB"]
    if expected == NC:
        assert ind.status == "non_concerne"
        assert ind.value is None
        return
    o, m, a, total, cls = expected
    assert ind.status == "ok"
    assert (group(ind.groups, "O").points, group(ind.groups, "M").points, group(ind.groups, "A").points) == (
        F(o),
        F(m),
        F(a),
    )
    assert ind.value == F(total)
    assert ind.class_label == cls


@pytest.mark.parametrize("name", CASES)
def test_icsha(name, campaign):
    check_indicator(result_of(name, campaign).indicators["ICSHA"], CASES[name]["icsha"], 2)


@pytest.mark.parametrize("name", CASES)
def test_surviso(name, campaign):
    check_indicator(result_of(name, campaign).indicators["SURVISO"], CASES[name]["surviso"], 0)


@pytest.mark.parametrize("name", CASES)
def test_score_agrege(name, campaign):
    check_indicator(result_of(name, campaign).indicators["SCORE"], CASES[name]["score"], 2)


@pytest.mark.parametrize("name", CASES)
def test_sarm(name, campaign):
    check_indicator(result_of(name, campaign).indicators["SARM"], CASES[name]["sarm"], 3)


def test_hidden_sub_answers_do_not_score(campaign):
    """Answers left under a "Non" parent (no COM, no activity report, no correspondents) are
    reported as hidden and never scored: O112, O122, M31, M32 stay at 0 for Les Tilleuls."""
    text = (EXAMPLES / "ssr-les-tilleuls.toml").read_text(encoding="utf-8")
    text += (
        '\n[reponses.rapport_avis]\ncme = "oui"\nca = "oui"\nchsct = "oui"\n'
        "\n[reponses.services_correspondants]\nmedical = 6\nparamedical = 6\n"
    )
    text = text.replace('projet_objectifs = "non"', 'projet_objectifs = "non"\ncom_objectifs = "oui"')
    r = Engine(campaign).score(parse_answers(text, campaign))
    assert set(r.hidden_answers) == {
        "com_objectifs",
        "rapport_avis.cme",
        "rapport_avis.ca",
        "rapport_avis.chsct",
        "services_correspondants.medical",
        "services_correspondants.paramedical",
    }
    for code in ("O112", "O122", "M31", "M32"):
        assert r.items[code].points == 0, code
    assert r.indicators["ICALIN"].value == F(63)


# Variants of the examples, changed in memory, for the rules the files themselves do not reach.
VARIANTS = {
    # CH de la Vallée with ISO surveillance in 1 of its 3 disciplines: 33.3 % < 50 % → SURVISO 4,
    # and the establishment is no longer excluded: score = 68.5 × 0.4 + 70 × 0.3 + 5.25 + 4
    # = 27.4 + 21 + 9.25 = 57.65; category 2 limits 28.32 / 46.06 / 70.05 / 84.65 → C.
    "ch-partial-iso": (
        "ch-vallee",
        [("[reponses.iso.site_operatoire]\ndisciplines = 0", "[reponses.iso.site_operatoire]\ndisciplines = 1")],
        {"SURVISO": "4"},
        {"SURVISO": ok(4), "SCORE": ok(F("57.65"), "57.65", "C")},
    ),
    # Clinique Saint-Roch with one more complete-hospitalisation day in 2009: 90 001 days > 90 000
    # → SARM computed: 1000 × (2 + 3 + 1) / 90001 = 0.067.
    "clinique-90001-days": (
        "clinique-saint-roch",
        [("jh_complete = 30500", "jh_complete = 30501")],
        {},
        {"SARM": ok(F(6000, 90001), "0.067")},
    ),
    # Clinique Saint-Roch whose CLIN never met in plenary but whose working groups met twice:
    # O211 = 0; 2 working-group meetings > 0 plenary → O212 = 4 (strictly more).
    # ICALIN = 84.5 − 6 + 4 = 82.5 → still B (73 ≤ 82.5 < 85.1);
    # score = 82.5 × 0.4 + 30 + 11.5 + 6 = 33 + 47.5 = 80.5 → B.
    "clinique-no-plenary": (
        "clinique-saint-roch",
        [("reunions_clin = 4\nreunions_groupes = 0", "reunions_clin = 0\nreunions_groupes = 2")],
        {"O211": "0", "O212": "4"},
        {"ICALIN": ok(F("82.5"), None, "B"), "SCORE": ok(F("80.5"), "80.50", "B")},
    ),
    # HAD Domisoins without its SAE extraction: ICSHA non calculable (F), no score agrégé.
    "had-without-sae": (
        "had-domisoins",
        [("\n[sae]\n", None)],  # None: cut the file from here (the [sae] block is last)
        {},
        {"ICSHA": non_calculable("F"), "SCORE": NOT_COMPUTED, "ICALIN": ok(F("65.5"), None, "A")},
    ),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variants(variant, campaign):
    base, replacements, items, indicators = VARIANTS[variant]
    text = (EXAMPLES / f"{base}.toml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text[: text.index(old)] + "\n" if new is None else text.replace(old, new)
    r = Engine(campaign).score(parse_answers(text, campaign))
    assert r.missing == ()
    assert r.errors == ()
    for code, points in items.items():
        assert r.items[code].points == F(points), code
    for code, expected in indicators.items():
        places = {"SARM": 3}.get(code, 2)
        check_indicator(r.indicators[code], expected, places)


# Applicable maxima of ATB3a / ATB3b per establishment (tables of ATB3b in annex II and footnote 3
# of Tableau 5): with surgery 3a = 0.5 and 3b = 1 + 0.5 (emergencies) or 1.5 → 1.5; without
# surgery 3a does not apply ("–") and 3b = 1.5 + 0.5 or 2 → 2. ICATB3 is 2 in every case.


@pytest.mark.parametrize(
    ("name", "max_3a", "max_3b"),
    [
        ("chu-exemple", "0.5", "1.5"),  # surgery, emergencies
        ("ambulatoire-cap-vision", "0.5", "1.5"),  # surgery, no emergencies
        ("ssr-les-tilleuls", "0", "2"),  # no surgery, no emergencies
    ],
)
def test_atb3_applicable_maxima(name, max_3a, max_3b, campaign):
    r = result_of(name, campaign)
    assert (r.items["ATB3a"].maximum, r.items["ATB3b"].maximum) == (F(max_3a), F(max_3b))
