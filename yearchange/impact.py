"""`bilan impact`: last year's declarations scored under both campaigns, indicator by indicator.

Each declaration is scored by the old campaign as it is, then carried into the new one exactly
as `bilan migrate` carries it (renames followed, values re-checked) but with its external data
kept, so that the two scores differ by the rules only, and scored again. A score computed with
answers still to enter (the new campaign's new questions) is marked incomplete: a class it
changes is to confirm, never counted as a class change. The outcome of one file is small and
plain (texts and numbers), so that forked workers hand it back cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path

import attrs

from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value, format_number, format_value
from bilan.engine.result import Declaration, IndicatorResult, Result
from bilan.exports.answers_toml import AnswersError, read_declarations
from bilan.presentation.indicators import shown_class
from bilan.yearchange.completeness import AnswersRead
from bilan.yearchange.correspondence import Correspondence
from bilan.yearchange.migration import Migrator


@attrs.frozen
class Reading:
    """An indicator's outcome in one campaign: value (None without one) and class or status label."""

    status: str
    value: Fraction | None
    label: str  # the class, the campaign's label for the status (F, DI), or the status
    text: str  # « 78,5 B », « NC »
    incomplete: bool = False  # computed with answers still to enter: could change once they are

    @property
    def klass(self) -> str | None:
        return self.label if self.status == "ok" else None


@attrs.frozen
class IndicatorImpact:
    code: str
    key: str  # the row of its class table this declaration reads (« 13 »), or « - » for fixed limits
    before: Reading | None  # None: the indicator does not exist in that campaign
    after: Reading | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def compared(self) -> bool:
        """In both campaigns: an indicator one of them does not have has no before, or no after."""
        return self.before is not None and self.after is not None

    @property
    def class_changed(self) -> bool:
        """A class that changed for certain: neither side waits for answers to enter."""
        return self.compared and self._labels_differ and not self.incomplete

    @property
    def to_confirm(self) -> bool:
        """A class that differs, computed with answers still to enter on one side at least."""
        return self.compared and self._labels_differ and self.incomplete

    @property
    def incomplete(self) -> bool:
        return any(r is not None and r.incomplete for r in (self.before, self.after))

    @property
    def _labels_differ(self) -> bool:
        return self.before is not None and self.after is not None and self.before.label != self.after.label


@attrs.frozen
class DeclarationImpact:
    name: str
    finess: str
    label: str
    indicators: tuple[IndicatorImpact, ...]
    dropped: int  # answers the new campaign could not take
    to_enter: int  # answers the new campaign asks that last year's declaration does not have


@attrs.frozen
class FileImpact:
    """One file's declarations, or why it could not be read."""

    path: str
    declarations: tuple[DeclarationImpact, ...] = ()
    problem: str | None = None


class ImpactRunner:
    """Both campaigns' engines and the migrator, built once; `file(path)` runs in forked workers."""

    def __init__(self, corr: Correspondence) -> None:
        self.corr = corr
        self.old_engine = Engine(corr.old)
        self.migrator = Migrator(corr, keep_data=True)
        self.codes = [*corr.old.indicators, *(c for c in corr.new.indicators if c not in corr.old.indicators)]
        self.old_reads, self.new_reads = AnswersRead(corr.old), AnswersRead(corr.new)

    def file(self, path: Path) -> FileImpact:
        try:
            declarations = read_declarations(path, self.corr.old)
        except AnswersError as exc:
            return FileImpact(str(path), problem=exc.render())
        return FileImpact(str(path), tuple(self.declaration(name, d) for name, d in declarations))

    def declaration(self, name: str, old: Declaration) -> DeclarationImpact:
        before = self.old_engine.score(old)
        migration = self.migrator.migrate(old, before)
        after = migration.result
        new_answers = migration.declaration.answers
        indicators = tuple(
            IndicatorImpact(
                code,
                self._key(code, old.answers, new_answers),
                _reading(self.old_reads, before, code),
                _reading(self.new_reads, after, code),
            )
            for code in self.codes
        )
        finess = old.answers.get("finess")
        label = old.answers.get("raison_sociale")
        return DeclarationImpact(
            name,
            finess if isinstance(finess, str) else "",
            label if isinstance(label, str) else "",
            indicators,
            len(migration.dropped),
            len(migration.to_enter),
        )

    def _key(self, code: str, old: Mapping[str, Value], new: Mapping[str, Value]) -> str:
        """The class-table row of an indicator for this declaration (its category), as the new
        campaign reads it (the old one for an indicator it dropped)."""
        ind = self.corr.new.indicators.get(code)
        answers = new
        if ind is None:
            ind, answers = self.corr.old.indicators[code], old
        by = ind.classes.by if ind.classes else None
        if by is None:
            return "-"
        value = answers.get(by)
        return "?" if value is None else format_value(value)


def _reading(reads: AnswersRead, result: Result, code: str) -> Reading | None:
    r: IndicatorResult | None = result.indicators.get(code)
    if r is None:
        return None
    label = shown_class(r)
    incomplete = reads.incomplete(r, result.missing)
    if r.value is None:
        return Reading(r.status, None, label, label, incomplete)
    number = format_number(r.value, reads.campaign.indicators[code].precision)
    return Reading(r.status, r.value, label, f"{number} {label}".strip(), incomplete)


def declarations_of(files: Iterable[FileImpact]) -> list[DeclarationImpact]:
    return [d for f in files for d in f.declarations]
