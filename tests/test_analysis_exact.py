"""The static analysis against brute force: on small random campaigns, every maximum and every
"never shown" it reports is compared with what the engine gives on every possible declaration
(50 campaigns by default, 150 in CI: tests/profiles.py)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from profiles import by_profile

from bilan.dsl.analysis import _Analysis
from bilan.dsl.compiler import compile_source
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.model import Campaign, ChoiceType, MultiChoiceType, NumberType
from bilan.engine.result import Declaration

HEADER = """campagne 2009 "T"
    ouverture 2010-02-23
échelle E D C B A
type oui_non : oui "Oui" | non "Non"
type t3 : x "X" | y "Y" | z "Z"
"""

# name -> (type line, atoms of conditions on it)
QUESTIONS = {
    "a": ("oui_non", ["a = oui", "a = non", "a != oui", "repondu(a)"]),
    "b": ("t3", ["b = x", "b dans (y, z)", "b != z"]),
    "n": ("entier 1 chiffres de 0 à 5", ["n >= 3", "n < 2", "n = 4", "n entre 1 et 3", "2 * n > 5"]),
    "m": ("entier 1 chiffres de 1 à 4", ["m <= 2", "m > 3", "m dans (1, 4)"]),
    "d": ("plusieurs t3", ["d contient x", "d contient z", "nombre(d) >= 2", "nombre(d) = 0"]),
}
RELATIONS = ["n > m", "n + m >= 6", "n - m = 1", "m * 2 < n", "n >= m + 2", "v > 4", "v = 5"]
POINTS = ["0.5", "1", "2", "3"]


def _atom(rng: random.Random, names: list[str]) -> str:
    relations = [r for r in RELATIONS if all(x in names or x not in "nmv" for x in "nmv" if x in r)]
    relations = [r for r in relations if ("v" not in r or {"n", "m"} <= set(names))]
    pool = [atom for name in names for atom in QUESTIONS[name][1]] + relations
    return rng.choice(pool)


def _condition(rng: random.Random, names: list[str], depth: int = 0) -> str:
    roll = rng.random()
    if depth < 2 and roll < 0.25:
        return f"({_condition(rng, names, depth + 1)} et {_condition(rng, names, depth + 1)})"
    if depth < 2 and roll < 0.45:
        return f"({_condition(rng, names, depth + 1)} ou {_condition(rng, names, depth + 1)})"
    if depth < 2 and roll < 0.55:
        return f"non ({_condition(rng, names, depth + 1)})"
    return _atom(rng, names)


def random_campaign(seed: int) -> str:
    rng = random.Random(seed)
    names = rng.sample(sorted(QUESTIONS), rng.randint(2, 4 if rng.random() < 0.2 else 3))
    lines = [HEADER, 'chapitre I "C"']
    for i, name in enumerate(names):
        lines.append(f'    question {name} "{name} ?"')
        lines.append(f"        {QUESTIONS[name][0]}")
        if i > 0 and rng.random() < 0.5:
            lines.append(f"        si {_atom(rng, names[:i])}")
    if {"n", "m"} <= set(names):
        lines.append('    valeur v "V" = n + m')
    lines.append('    item X1 "X" sur 1')
    for _ in range(rng.randint(1, 4)):
        lines.append(f"        {rng.choice(POINTS)} points si {_condition(rng, names)}")
    lines.append('indicateur I "I" sur 1\n    X1\n')
    return "\n".join(lines)


def every_declaration(campaign: Campaign) -> list[Declaration]:
    domains: list[list[tuple[str, Value]]] = []
    for field in campaign.fields.values():
        t = field.type
        if isinstance(t, ChoiceType):
            domains.append([(field.name, None), *((field.name, c) for c in t.codes)])
        elif isinstance(t, MultiChoiceType):
            sets = [frozenset(s) for k in range(4) for s in itertools.combinations(t.choice.codes, k)]
            domains.append([(field.name, None), *((field.name, s) for s in sets)])
        else:
            assert isinstance(t, NumberType)
            values = range(int(t.minimum), int(t.upper) + 1)
            domains.append([(field.name, None), *((field.name, Fraction(v)) for v in values)])
    return [Declaration({k: v for k, v in combo if v is not None}) for combo in itertools.product(*domains)]


@pytest.mark.parametrize("seed", range(by_profile(30, 150)))
def test_maxima_and_visibility_match_brute_force(seed: int) -> None:
    source = random_campaign(seed)
    campaign = compile_source(source, "r.bilan", analyse=False)
    engine = Engine(campaign)
    results = [engine.score(d) for d in every_declaration(campaign)]
    true_max = max(r.items["X1"].points for r in results)
    analysis = _Analysis(campaign)
    item = campaign.items["X1"]
    bounds = analysis.bounds([(r.condition, r.points) for r in item.rules])
    assert bounds.high is not None and bounds.high >= true_max, source  # no declaration scores more
    assert bounds.low is None or bounds.low <= true_max, source  # a declaration scores that much
    if "v" not in source and not any(r in source for r in RELATIONS):
        assert bounds.exact and bounds.high == true_max, source  # one-field comparisons are exact
    for q in campaign.questions.values():
        if q.condition is None:
            continue
        shown = any(q.name in r.visible for r in results)
        b = analysis.bounds([], [q.condition])
        assert b.high is not None or not shown, source  # "never shown" is proven
        assert b.low is None or shown, source  # a witness is a declaration that shows it


def test_most_random_maxima_are_proven() -> None:
    """Comparisons of two numbers are proven too, as long as a declaration reaches the bound."""
    proven = 0
    for seed in range(150):
        campaign = compile_source(random_campaign(seed), "r.bilan", analyse=False)
        rules = campaign.items["X1"].rules
        proven += _Analysis(campaign).bounds([(r.condition, r.points) for r in rules]).exact
    assert proven >= 140
