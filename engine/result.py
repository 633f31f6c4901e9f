"""What the engine says about one declaration: shown, missing, inconsistent, scored, classed."""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import Literal

import attrs

from bilan.engine.declaration_state import DeclarationState
from bilan.engine.expr import Value
from bilan.engine.model import Check, GroupKind, Rule, StatusKind

Status = Literal["ok"] | StatusKind


@attrs.frozen
class ItemOverride:
    """An item's points forced, with the reason (a validator zeroes an item whose evidence is
    missing). The engine applies it before every total, formula, status and class that reads
    the item: the indicators, the score agrégé and its exclusions follow."""

    points: Fraction
    reason: str


@attrs.frozen
class Declaration:
    """One establishment's declaration: every answer by field name (identification, questions,
    data blocks alike), the data blocks supplied, the justifications of confirmed warnings, the
    items' points forced by a validation (`overrides`, by item code), and its state (validation,
    source of each data block), which scoring does not read."""

    answers: dict[str, Value] = attrs.field(factory=dict, hash=False)
    blocks: frozenset[str] = frozenset()
    justifications: dict[str, str] = attrs.field(factory=dict, hash=False)
    state: DeclarationState = attrs.field(factory=DeclarationState, hash=False)
    overrides: dict[str, ItemOverride] = attrs.field(factory=dict, hash=False)


@attrs.frozen
class CheckResult:
    check: Check
    justification: str | None = None

    @property
    def blocking(self) -> bool:
        """Errors always block validation; a warning blocks until it is justified."""
        return self.check.severity == "erreur" or not self.justification


@attrs.frozen
class ItemResult:
    code: str
    points: Fraction
    maximum: Fraction
    matched: tuple[Rule, ...]
    complete: bool
    override: str | None = None  # why the points were forced (ItemOverride), if they were

    @cached_property  # results are shared between declarations: worked out once
    def reason(self) -> str:
        if self.override is not None:
            return self.override
        scoring = [r for r in self.matched if r.points]
        shown = scoring or list(self.matched)
        if not shown:
            return "réponse manquante" if not self.complete else "aucune règle ne s’applique"
        return " ; ".join(r.label for r in shown)


@attrs.frozen
class GroupResult:
    code: str
    title: str
    kind: GroupKind
    points: Fraction
    maximum: Fraction | None
    children: tuple[GroupResult | str, ...]


@attrs.frozen
class IndicatorResult:
    """status: ok, non_concerne, non_calculable or exclu; `label` replaces the class (F, DI)."""

    code: str
    status: Status
    value: Fraction | None = None
    class_label: str | None = None
    reason: str | None = None
    label: str | None = None
    groups: tuple[GroupResult | str, ...] = ()
    case: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@attrs.frozen
class Result:
    visible: frozenset[str]
    missing: tuple[str, ...]
    hidden_answers: tuple[str, ...]
    checks: tuple[CheckResult, ...]
    items: dict[str, ItemResult] = attrs.field(hash=False)
    indicators: dict[str, IndicatorResult] = attrs.field(hash=False)
    values: dict[str, Value] = attrs.field(hash=False)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def errors(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.check.severity == "erreur")

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.check.severity == "avertissement")

    @property
    def can_validate(self) -> bool:
        return self.complete and not any(c.blocking for c in self.checks)
