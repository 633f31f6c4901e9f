"""The campaign model: what `dsl/` compiles a .bilan file into and everything else reads.

Names are stable identifiers (questions, fields, items, indicators): answers files, exports,
histories and next year's migration refer to them, never to printed numbers or positions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator
from fractions import Fraction
from functools import cached_property
from typing import Literal

import attrs

from bilan.common.source import Span
from bilan.engine.expr import Expr

# ----------------------------------------------------------------------------- closed sets

TextKind = Literal["texte", "courriel", "finess", "telephone", "inconnu"]  # inconnu: a type already reported unknown
Severity = Literal["erreur", "avertissement"]
Layout = Literal["simple", "rows", "grid"]
BlockKind = Literal["question", "subtitle", "note"]
SectionKind = Literal["chapitre", "fiche", "donnees"]
GroupKind = Literal["fonction", "sous-fonction", "groupe"]
StatusKind = Literal["non_concerne", "non_calculable", "exclu"]
IndicatorKind = Literal["points", "valeur", "selon"]

# ----------------------------------------------------------------------------- answer types


@attrs.frozen
class Option:
    """`renamed_from`: the codes this option had in earlier campaigns (`renomme de`)."""

    code: str | int
    label: str
    description: str | None = None
    renamed_from: tuple[str | int, ...] = ()


@attrs.frozen
class ChoiceType:
    """A choice among labelled options (yes/no is one: options `oui` and `non`)."""

    name: str
    options: tuple[Option, ...]
    title: str | None = None

    def option(self, code: object) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    @cached_property
    def code_set(self) -> frozenset[str | int]:
        """The option codes, for a quick membership test of a str or int answer."""
        return frozenset(self.codes)

    @property
    def codes(self) -> tuple[str | int, ...]:
        return tuple(o.code for o in self.options)


@attrs.frozen
class MultiChoiceType:
    """Any subset of a choice type's options."""

    choice: ChoiceType


@attrs.frozen
class NumberType:
    """A whole number (decimals == 0) or a decimal, printed as one box per digit."""

    digits: int
    decimals: int = 0
    minimum: Fraction = Fraction(0)
    maximum: Fraction | None = None

    @cached_property
    def upper(self) -> Fraction:
        if self.maximum is not None:
            return self.maximum
        return Fraction(10**self.digits) - Fraction(1, 10**self.decimals)

    @cached_property
    def whole_bounds(self) -> tuple[int, int]:
        """The smallest and largest whole numbers in range: a whole answer is checked as an int."""
        return math.ceil(self.minimum), math.floor(self.upper)

    @cached_property
    def step(self) -> Fraction:
        return Fraction(1, 10**self.decimals)


@attrs.frozen
class TextType:
    """Free text; `kind` adds a syntax check: texte, courriel, finess, telephone."""

    kind: TextKind = "texte"


FieldType = ChoiceType | MultiChoiceType | NumberType | TextType


# ----------------------------------------------------------------------------- questions


@attrs.frozen
class Field:
    """One answerable box: a simple question, a row of a list, a cell of a grid, a profile field.

    `condition` is the whole visibility condition (enclosing branches included); a field whose
    condition is false is hidden: its answer is kept but never read.
    """

    name: str
    label: str
    type: FieldType
    question: str
    condition: Expr | None = None
    optional: bool = False
    unit: str | None = None
    flagged: bool = False
    row: str | None = None
    column: str | None = None
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Check:
    """A consistency check: `erreur` forbids validation, `avertissement` asks for a justification."""

    name: str
    severity: Severity
    condition: Expr
    message: str
    question: str
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Column:
    name: str
    label: str
    type: FieldType
    unit: str | None = None
    renamed_from: tuple[str, ...] = ()


@attrs.frozen
class Row:
    name: str
    label: str
    condition: Expr | None = None
    renamed_from: tuple[str, ...] = ()


@attrs.frozen
class Question:
    """A question as printed: number, wording, its fields, and its "Si OUI" sub-questions.

    layout: "simple" (one field named like the question), "rows" (one field per row),
    "grid" (one field per row and column).
    """

    name: str
    number: str | None
    text: str
    layout: Layout
    fields: tuple[Field, ...]
    section: str
    condition: Expr | None = None
    own_condition: Expr | None = None
    branch_label: str | None = None
    parent: str | None = None
    rows: tuple[Row, ...] = ()
    columns: tuple[Column, ...] = ()
    consignes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    children: tuple[Question, ...] = ()
    renamed_from: tuple[str, ...] = ()  # its names in earlier campaigns (`renomme de`), data blocks' prefixed
    span: Span | None = attrs.field(default=None, eq=False)

    def walk(self) -> Iterator[Question]:
        """This question then its sub-questions, depth first, in printed order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def former_names(self, field: Field) -> tuple[str, ...]:
        """The names one of its fields had in earlier campaigns: every combination of the
        question's, the row's and the column's former and present names but the present one."""
        parts: list[tuple[str, ...]] = [(*self.renamed_from, self.name)]
        for name, renamed in (
            (field.row, next((r.renamed_from for r in self.rows if r.name == field.row), ())),
            (field.column, next((c.renamed_from for c in self.columns if c.name == field.column), ())),
        ):
            if name is not None:
                parts.append((*renamed, name))
        return tuple(n for n in map(".".join, itertools.product(*parts)) if n != field.name)


@attrs.frozen
class Block:
    """An entry in a chapter, in printed order: a question, a sub-title or a note."""

    kind: BlockKind
    question: Question | None = None
    text: str | None = None


@attrs.frozen
class Section:
    """A chapter of the questionnaire, an identification form (fiche) or an external data block."""

    name: str
    kind: SectionKind
    title: str
    number: str | None
    blocks: tuple[Block, ...]
    span: Span | None = attrs.field(default=None, eq=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Top-level questions of the section (sub-questions hang from their parent)."""
        return tuple(b.question for b in self.blocks if b.question is not None)

    def walk(self) -> Iterator[Question]:
        for q in self.questions:
            yield from q.walk()

    def fields(self) -> Iterator[Field]:
        for q in self.walk():
            yield from q.fields


# ----------------------------------------------------------------------------- scoring


@attrs.frozen
class Rule:
    """`points` when `condition` holds; an item's points are the sum of the rules that hold."""

    points: Fraction
    condition: Expr
    label: str
    span: Span | None = attrs.field(default=None, eq=False)
    labelled: bool = True  # False: `label` is the condition as written (no `: "…"`), not a wording of its own


@attrs.frozen
class ConditionalMaximum:
    """The item's maximum for the establishments where `condition` holds (e.g. without surgery)."""

    maximum: Fraction
    condition: Expr
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Item:
    """`maximum` is the highest any establishment can get; `maxima` narrow it per establishment."""

    code: str
    title: str
    maximum: Fraction
    rules: tuple[Rule, ...]
    evidence: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    section: str | None = None
    questions: tuple[str, ...] = ()
    maxima: tuple[ConditionalMaximum, ...] = ()
    renamed_from: tuple[str, ...] = ()  # its codes in earlier campaigns (`renomme de`)
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Group:
    """A function, sub-function or group of items inside a points indicator."""

    kind: GroupKind
    code: str
    title: str
    maximum: Fraction | None
    children: tuple[Group | str, ...]  # sub-groups, or item codes
    span: Span | None = attrs.field(default=None, eq=False)

    def item_codes(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, Group):
                yield from child.item_codes()
            else:
                yield child


@attrs.frozen
class StatusClause:
    """An indicator that is `non_concerne`, `non_calculable` or `exclu` when `condition` holds."""

    kind: StatusKind
    condition: Expr
    reason: str
    label: str | None = None  # printed in place of a class: F, DI...
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Case:
    """One formula of a "selon les indicateurs concernés" table."""

    indicators: frozenset[str]
    order: tuple[str, ...]
    formula: Expr
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class ClassTable:
    """Class limits: a value >= limit[i] is in class labels[i+1] (lower limits inclusive)."""

    labels: tuple[str, ...]
    by: str | None  # a field name (the category), or None for fixed limits
    limits: dict[str | int | None, tuple[Fraction, ...]] = attrs.field(hash=False)

    def classify(self, value: Fraction, key: object) -> str | None:
        # `key` is an answer of any type; one that is not a row of the table just finds no limits
        limits = self.limits.get(key if self.by else None)  # type: ignore[call-overload]
        if limits is None:
            return None
        label = self.labels[0]
        for limit, upper in zip(limits, self.labels[1:], strict=True):
            if value >= limit:
                label = upper
        return label


@attrs.frozen
class Indicator:
    """kind: "points" (sum of items), "valeur" (a formula), "selon" (a formula per case)."""

    code: str
    title: str
    kind: IndicatorKind
    maximum: Fraction | None = None
    unit: str | None = None
    precision: int = 2
    statuses: tuple[StatusClause, ...] = ()
    groups: tuple[Group | str, ...] = ()
    formula: Expr | None = None
    cases: tuple[Case, ...] = ()
    classes: ClassTable | None = None
    shown_if_computed: bool = False  # `affiché si calculé`: left out of live displays while it is not computed
    span: Span | None = attrs.field(default=None, eq=False)

    def item_codes(self) -> Iterator[str]:
        for child in self.groups:
            if isinstance(child, Group):
                yield from child.item_codes()
            else:
                yield child


@attrs.frozen
class Value:
    """A computed value (e.g. medical ETP), usable in conditions, checks and rules."""

    name: str
    label: str
    expr: Expr
    unit: str | None = None
    section: str | None = None
    span: Span | None = attrs.field(default=None, eq=False)


# ----------------------------------------------------------------------------- campaign


@attrs.frozen(eq=False)  # identity: a campaign is hashed as a cache key, never compared by value
class Campaign:
    year: int
    title: str
    opening: dt.date | None
    deadline: dt.date | None
    source: str | None
    source_hash: str
    scale: tuple[str, ...]
    types: dict[str, ChoiceType] = attrs.field(hash=False)
    fiches: tuple[Section, ...]
    data_blocks: tuple[Section, ...]
    chapters: tuple[Section, ...]
    values: dict[str, Value] = attrs.field(hash=False)
    items: dict[str, Item] = attrs.field(hash=False)
    indicators: dict[str, Indicator] = attrs.field(hash=False)
    fields: dict[str, Field] = attrs.field(hash=False)
    questions: dict[str, Question] = attrs.field(hash=False)
    checks: tuple[Check, ...]

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.fiches + self.chapters + self.data_blocks

    def section_of(self, field: Field) -> Section:
        question = self.questions[field.question]
        return next(s for s in self.sections if s.name == question.section)
