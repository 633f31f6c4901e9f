"""The generated program (engine/program.py) against the straightforward interpreter
(tests/reference_engine.py): the same Result, field by field and in the same order, on thousands
of random declarations (hundreds by default: tests/profiles.py) of the 2009 campaign and of a
campaign that uses every form of the language (tests/engine_coverage.bilan)."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from declarations import random_declaration
from profiles import by_profile
from reference_engine import ReferenceEngine

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.common.errors import UserError
from bilan.dsl.compiler import compile_source
from bilan.engine import expr
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.engine.result import Result
from bilan.exports.answers_toml import read_answers

HERE = Path(__file__).parent
COVERAGE = HERE / "engine_coverage.bilan"


def coverage_campaign() -> Campaign:
    return compile_source(COVERAGE.read_text(encoding="utf-8"), str(COVERAGE), analyse=False)


def assert_same(fast: Result, reference: Result) -> None:
    for f in attrs.fields(Result):
        a, b = getattr(fast, f.name), getattr(reference, f.name)
        assert a == b, f.name
        if isinstance(a, dict):
            assert list(a) == list(b), f.name
            assert [type(v) for v in a.values()] == [type(v) for v in b.values()], f.name


@pytest.mark.parametrize("seed", range(4))
def test_the_2009_campaign_scores_as_the_reference(seed: int) -> None:
    campaign = load_campaign(DEFAULT_QUESTIONNAIRE)
    fast, reference = Engine(campaign), ReferenceEngine(campaign)
    rng = random.Random(seed)
    for _ in range(by_profile(75, 500)):
        d = random_declaration(campaign, rng)
        assert_same(fast.score(d), reference.score(d))


def test_the_example_declarations_score_as_the_reference() -> None:
    campaign = load_campaign(DEFAULT_QUESTIONNAIRE)
    fast, reference = Engine(campaign), ReferenceEngine(campaign)
    examples = sorted((HERE.parent / "examples").glob("*.toml"))
    assert len(examples) >= 8
    for path in examples:
        d = read_answers(path, campaign)
        assert_same(fast.score(d), reference.score(d))


@pytest.mark.parametrize("seed", range(4))
def test_every_form_of_the_language_scores_as_the_reference(seed: int) -> None:
    campaign = coverage_campaign()
    fast, reference = Engine(campaign), ReferenceEngine(campaign)
    rng = random.Random(seed)
    statuses: set[tuple[str, str]] = set()
    for _ in range(by_profile(300, 1000)):
        d = random_declaration(campaign, rng)
        result = fast.score(d)
        assert_same(result, reference.score(d))
        statuses |= {(code, r.status + (r.reason or "")[:12]) for code, r in result.indicators.items()}
    # the random declarations reach every outcome the coverage campaign was written for
    assert {s for c, s in statuses if c == "SCORE"} >= {
        "ok",
        "exclu" + "exclu",
        "non_calculable" + "aucune formu",
        "non_calculable" + "IND_B : troi",
        "non_calculable" + "IND_C : pas ",
    }
    assert {s for c, s in statuses if c == "IND_C"} >= {
        "ok",
        "non_calculable" + "pas de SAE",
        "non_calculable" + "données manq",
    }


def _forms(e: expr.Expr, found: set[str]) -> None:
    match e:
        case expr.Binary(op=op):
            found.add(op)
        case expr.Call(function=f):
            found.add(f)
        case _:
            found.add(type(e).__name__)
    for child in expr.children(e):
        _forms(child, found)


def test_the_coverage_campaign_uses_every_form_of_the_language() -> None:
    c = coverage_campaign()
    found: set[str] = set()
    exprs = [f.condition for f in c.fields.values()] + [v.expr for v in c.values.values()]
    exprs += [r.condition for i in c.items.values() for r in i.rules] + [ch.condition for ch in c.checks]
    exprs += [s.condition for i in c.indicators.values() for s in i.statuses]
    exprs += [i.formula for i in c.indicators.values()] + [k.formula for i in c.indicators.values() for k in i.cases]
    for e in exprs:
        if e is not None:
            _forms(e, found)
    operators = expr.COMPARISONS | {"et", "ou", "contient", "+", "-", "*", "/"}
    nodes = {"Const", "Ref", "Unary", "Between", "Member", "Conditional"}
    assert found >= operators | expr.FUNCTIONS | nodes


def test_deep_expressions_are_split_into_statements() -> None:
    """A 40-term sum would nest 40 parentheses deep: parts of it become statements of their own."""
    program = Engine(coverage_campaign()).program
    assert any(line.strip().startswith("_") and " = " in line for line in program.source.splitlines())


def test_no_text_of_the_campaign_becomes_code() -> None:
    """Names, codes and texts reach the generated function as constants, never as source text."""
    program = Engine(load_campaign(DEFAULT_QUESTIONNAIRE)).program
    literals = program.source.replace("'ok'", "").replace("'non_concerne'", "")
    assert "'" not in literals and '"' not in literals
    assert "reunions_clin" not in program.source


def test_a_display_condition_that_depends_on_itself_is_an_error_not_a_crash() -> None:
    c = coverage_campaign()
    loop = attrs.evolve(c.fields["n1"], condition=expr.Binary("<", expr.Ref("n1", "field"), expr.Const(Fraction(3))))
    broken = attrs.evolve(c, fields={**c.fields, "n1": loop})
    with pytest.raises(UserError, match="dépendance circulaire dans le questionnaire : n1 → n1"):
        Engine(broken)


def test_the_compiled_program_comes_back_from_the_private_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bilan.engine import program

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    compiled: list[str] = []

    def counted(source: str, filename: str, mode: str) -> object:
        compiled.append(filename)
        return compile(source, filename, mode)

    monkeypatch.setattr(program, "compile", counted, raising=False)
    campaign = load_campaign(DEFAULT_QUESTIONNAIRE)
    first = program.Program(campaign)
    second = program.Program(campaign)
    assert len(compiled) == 1  # the second came from the cache
    assert first.run.__code__.co_code == second.run.__code__.co_code
    d = random_declaration(campaign, random.Random(1))
    assert first.run(d.answers, d.blocks, {})[6] == second.run(d.answers, d.blocks, {})[6]
