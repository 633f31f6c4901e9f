"""The declarations of examples/, scored by hand item by item from the cahier des charges (annex
II of the circulaire of 15 April 2010: the "Valorisation" paragraphs and Tableaux 1-9) and
compared with the engine.

Every expected value below was worked out from the rules, not copied from the engine; the comment
next to it shows the computation. Points are compared exactly (fractions). What the campaign
publishes from these points (indicators and their subtotals, classes, statuses, the checks that
fire, the variants that reach the limits the files do not) is stated next to the rules, in the
`exemple` blocks at the end of questionnaire.bilan, with the hand computation in comments:
`test_the_campaign_examples_pass` runs them with `bilan test`.

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

import contextlib
import io
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from bilan.cli.main import main
from bilan.cli.resources import load_campaign
from bilan.dsl.compiler import compile_with_examples
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.engine.result import Result
from bilan.exports.answers_toml import parse_answers, read_answers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
QUESTIONNAIRE = ROOT / "questionnaire.bilan"

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


# ---------------------------------------------------------------------------------------------
# Expected results, one block per example
# ---------------------------------------------------------------------------------------------

CASES: dict[str, dict[str, Any]] = {}

# CHU exemple: category 1, everything at its maximum.
CASES["chu-exemple"] = dict(
    # All items at their maximum, except ATB3b: with surgery and emergencies the protocol earns
    # 1 + 0.5 (applied in the emergency department) = 1.5 (table of ATB3b).
    items={**MAXIMA, "ATB3b": "1.5"},
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
)


# ---------------------------------------------------------------------------------------------
# Machinery
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign()


_results: dict[str, Result] = {}


def result_of(name: str, campaign: Campaign) -> Result:
    if name not in _results:
        _results[name] = Engine(campaign).score(read_answers(EXAMPLES / f"{name}.toml", campaign))
    return _results[name]


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_every_example_has_expectations() -> None:
    """Each declaration of examples/ is scored item by item here, and its indicators, classes
    and checks are stated by an `exemple` block of the campaign (run by `bilan test`)."""
    files = {p.stem for p in EXAMPLES.glob("*.toml")}
    assert files == set(CASES)
    _, examples = compile_with_examples(QUESTIONNAIRE.read_text(encoding="utf-8"), str(QUESTIONNAIRE))
    used = {Path(e.answers).stem for e in examples if e.answers and not e.changes}
    assert used == files


def test_the_campaign_examples_pass() -> None:
    """`bilan test` on the shipped campaign: every indicator, class, subtotal and check its
    `exemple` blocks state (hand-computed: see the comments next to them) is what it gives."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["test", str(QUESTIONNAIRE)])
    assert status == 0
    assert re.fullmatch(
        r".*questionnaire\.bilan : 16 exemples, \d+ attentes vérifiées, toutes conformes\n", out.getvalue()
    )


@pytest.mark.parametrize("name", CASES)
def test_complete_without_errors(name: str, campaign: Campaign) -> None:
    r = result_of(name, campaign)
    assert r.missing == ()
    assert r.hidden_answers == ()
    assert r.errors == ()
    assert r.warnings == ()
    assert r.can_validate


@pytest.mark.parametrize("name", CASES)
def test_item_points(name: str, campaign: Campaign) -> None:
    r = result_of(name, campaign)
    expected = {code: F(points) for code, points in CASES[name]["items"].items()}
    assert set(r.items) == set(expected)
    got = {code: item.points for code, item in r.items.items()}
    wrong = {code: (str(got[code]), str(expected[code])) for code in expected if got[code] != expected[code]}
    assert not wrong, f"(engine, hand) by item: {wrong}"
    for code, item in r.items.items():
        assert item.complete, code
        assert item.points <= F(MAXIMA[code])


def test_hidden_sub_answers_do_not_score(campaign: Campaign) -> None:
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
def test_atb3_applicable_maxima(name: str, max_3a: str, max_3b: str, campaign: Campaign) -> None:
    r = result_of(name, campaign)
    assert (r.items["ATB3a"].maximum, r.items["ATB3b"].maximum) == (F(max_3a), F(max_3b))
