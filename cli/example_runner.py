"""Running a campaign's `exemple` blocks: each declaration scored, each expectation compared.

A failure is a diagnostic placed on the line of the expectation that is not met (or on the
`exemple` line, for a check that fired or an answer left missing that the block does not list),
with what was expected and what the campaign gives.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs

from bilan.common.source import Span
from bilan.dsl.diagnostics import Diagnostic
from bilan.dsl.examples import Example, Expectation
from bilan.engine.evaluate import Engine
from bilan.engine.expr import format_number
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration, GroupResult, IndicatorResult, Result
from bilan.exports.answers_toml import AnswersError, read_answers
from bilan.presentation.indicators import STATUS_TEXT, shown_class, summary

SEVERITY = "échec"
MAX_LISTED = 5  # unexpected missing answers named in one message; the rest are counted


@attrs.frozen
class Outcome:
    """`checked` counts each example's expectation lines, plus its checks and its missing answers
    (two complete lists, one expectation each)."""

    examples: int
    checked: int
    failures: tuple[Diagnostic, ...]


def run_examples(campaign: Campaign, examples: tuple[Example, ...], folder: Path) -> Outcome:
    """Score every example; answers files are read relative to `folder` (the campaign file's)."""
    engine = Engine(campaign)
    failures: list[Diagnostic] = []
    checked = 0
    for example in examples:
        declaration = _declaration(campaign, example, folder, failures)
        if declaration is None:
            continue
        result = engine.score(declaration)
        for expectation in example.expectations:
            problem = _compare(campaign, expectation, result)
            if problem is not None:
                failures.append(_failure(example, expectation.span, f"{expectation.target} : {problem}"))
        _compare_checks(example, result, failures)
        _compare_missing(example, result, failures)
        checked += len(example.expectations) + 2
    failures.sort(key=lambda d: (d.span.line, d.span.column))
    return Outcome(len(examples), checked, tuple(failures))


def _failure(example: Example, span: Span, message: str) -> Diagnostic:
    return Diagnostic(span, f"exemple « {example.title} » : {message}", SEVERITY)


def _declaration(campaign: Campaign, example: Example, folder: Path, failures: list[Diagnostic]) -> Declaration | None:
    """The answers file, if any, with the example's changes applied; None (and a failure) if it
    cannot be read."""
    declaration = Declaration()
    if example.answers is not None:
        assert example.answers_span is not None
        try:
            declaration = read_answers(folder / example.answers, campaign)
        except AnswersError as exc:
            lines = exc.render().splitlines()
            more = f" (et {len(lines) - 1} autre(s) ligne(s))" if len(lines) > 1 else ""
            failures.append(_failure(example, example.answers_span, f"réponses illisibles : {lines[0]}{more}"))
            return None
    answers = dict(declaration.answers)
    blocks = set(declaration.blocks)
    for change in example.changes:
        if change.value is not None:
            answers[change.name] = change.value
            if change.block is not None:
                blocks.add(change.block)
        elif change.name == change.block:
            blocks.discard(change.block)
            answers = {k: v for k, v in answers.items() if not k.startswith(f"{change.block}.")}
        else:
            answers.pop(change.name, None)
    return attrs.evolve(declaration, answers=answers, blocks=frozenset(blocks))


def _compare(campaign: Campaign, e: Expectation, result: Result) -> str | None:
    """What is wrong with one expectation, or None when the result is as expected."""
    if e.kind == "indicateur":
        return _compare_indicator(campaign, e, result.indicators[e.name])
    got: object
    if e.kind == "item":
        got = result.items[e.name].points
    elif e.kind == "valeur":
        got = result.values.get(e.name)
    else:
        assert e.indicator is not None
        indicator = result.indicators[e.indicator]
        found = _group(indicator.groups, e.name)
        if found is None:
            return f"pas de sous-total : l’indicateur est {STATUS_TEXT[indicator.status]}"
        got = found.points
    if not isinstance(got, Fraction):
        shown = "absente" if got is None else f"« {got} », pas un nombre"
        return f"attendu {_expected(e)}, obtenu : valeur {shown}"
    return _compare_number(e, got)


def _compare_indicator(campaign: Campaign, e: Expectation, r: IndicatorResult) -> str | None:
    if e.status is not None and r.status != e.status:
        want = _expected(e) if e.number is not None else STATUS_TEXT[e.status]
        return f"attendu {want}, obtenu {summary(campaign, r)}"
    if e.number is not None and r.value is not None:
        problem = _compare_number(e, r.value)
        if problem is not None:
            return problem
    if e.label is not None and shown_class(r) != e.label:
        return f"classe attendue {e.label}, obtenue {shown_class(r) or 'aucune'} ({summary(campaign, r)})"
    return None


def _compare_number(e: Expectation, got: Fraction) -> str | None:
    assert e.number is not None
    if e.places is None:
        return None if got == e.number else f"attendu {_expected(e)}, obtenu {_number(got)}"
    rounded = _round(got, e.places)
    if rounded == e.number:
        return None
    return f"attendu {_expected(e)}, obtenu {_fixed(rounded, e.places)} une fois arrondi (valeur {_number(got)})"


def _compare_checks(example: Example, result: Result, failures: list[Diagnostic]) -> None:
    """The checks that fire are exactly those the example lists."""
    fired = {(c.check.severity, c.check.name): c.check for c in result.checks}
    listed = {(c.severity, c.name) for c in example.checks}
    for c in example.checks:
        if (c.severity, c.name) not in fired:
            failures.append(_failure(example, c.span, f"contrôle attendu, non déclenché : {c.severity} « {c.name} »"))
    for key, check in fired.items():
        if key not in listed:
            message = f"contrôle déclenché sans être attendu : {check.severity} « {check.name} » : {check.message}"
            failures.append(_failure(example, example.span, message))


def _compare_missing(example: Example, result: Result, failures: list[Diagnostic]) -> None:
    """The answers left missing are exactly those the example lists."""
    missing = set(result.missing)
    for m in example.missing:
        if m.name not in missing:
            failures.append(_failure(example, m.span, f"« {m.name} » n’est pas une réponse manquante"))
    unlisted = [name for name in result.missing if name not in {m.name for m in example.missing}]
    if unlisted:
        more = f"… ({len(unlisted)} en tout)" if len(unlisted) > MAX_LISTED else ""
        names = ", ".join(unlisted[:MAX_LISTED]) + more
        failures.append(_failure(example, example.span, f"réponses manquantes non attendues : {names}"))


def _group(groups: tuple[GroupResult | str, ...], code: str) -> GroupResult | None:
    for g in groups:
        if isinstance(g, GroupResult):
            found = g if g.code == code else _group(g.children, code)
            if found is not None:
                return found
    return None


def _expected(e: Expectation) -> str:
    assert e.number is not None
    return f"≈ {_fixed(e.number, e.places)}" if e.places is not None else _number(e.number)


def _round(value: Fraction, places: int) -> Fraction:
    """Half up, as values are shown (format_number)."""
    scale = 10**places
    return Fraction(int((value * scale * 2 + 1) // 2), scale)


def _fixed(value: Fraction, places: int) -> str:
    """`value` (already rounded) with exactly `places` decimals, as written in the file: 84.70."""
    whole, part = divmod(int(abs(_round(value, places)) * 10**places), 10**places)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}" + (f".{part:0{places}d}" if places else "")


def _number(value: Fraction) -> str:
    """Exactly when it has at most 12 decimals (as a number of the file), else rounded to 6 and
    marked: 84.702259…"""
    exact = format_number(value, 12).replace(",", ".")
    if Fraction(exact) == value:
        return exact
    return format_number(value, 6).replace(",", ".") + "…"
