"""Last year's declaration carried into the new campaign: renames followed, every value re-checked.

Exact and honest: an answer is carried under its new name when its value is still one the new
question accepts (the same checks as an answers file: engine.answers.check_value); otherwise it
is dropped and listed with the reason, never coerced. A value of another kind of answer (a choice
become a number) is dropped; a choice follows its renamed options. An answer whose question's
condition of display changed is carried only if it is shown as it was last year: one shown then
and hidden by the new condition is dropped, and so is one hidden then (never declared) that the
new condition shows. External data (`données`) belong to their campaign and are supplied again
by the administration: migrate leaves them out, impact keeps them so that both campaigns score
the same figures. Justifications of warnings and the validation are last year's and are not
carried.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from bilan.engine.answers import check_value, expected, raw_value
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value, format_value
from bilan.engine.model import Campaign, ChoiceType, Field, FieldType, MultiChoiceType, NumberType
from bilan.engine.result import Declaration, Result
from bilan.yearchange.correspondence import Correspondence, option_map
from bilan.yearchange.diff_questions import condition_text, old_condition, type_text


@attrs.frozen
class Dropped:
    """An answer of last year's declaration that the new one does not take, and why."""

    field: str
    value: Value
    reason: str

    def text(self) -> str:
        return f"{self.field} = {format_value(self.value)} : {self.reason}"


@attrs.frozen
class Migration:
    """The new declaration, and what became of each of last year's answers."""

    declaration: Declaration
    result: Result  # the new declaration scored by the new campaign
    carried: int  # answers carried (renamed ones included)
    renamed: tuple[tuple[str, str], ...]  # (old name, new name) of the answers carried under another name
    dropped: tuple[Dropped, ...]
    data_left: tuple[str, ...]  # data blocks last year's declaration had, not carried
    justifications_left: int
    recoded: tuple[tuple[str, str], ...] = ()  # (« field : old code », new code) of renamed options followed

    @property
    def to_enter(self) -> tuple[str, ...]:
        """Answers the new campaign asks of this declaration that it does not have."""
        return self.result.missing


class Migrator:
    """Carries declarations of `corr.old` into `corr.new`; one per pair of campaigns (an engine)."""

    def __init__(self, corr: Correspondence, *, keep_data: bool) -> None:
        self.corr = corr
        self.keep_data = keep_data
        self.engine = Engine(corr.new)
        self.old_engine = Engine(corr.old)
        self.successors = corr.successors
        # answers whose field kept its very type need no check: they were valid, they still are
        self.unchanged = {
            old for new, old in corr.fields.items() if corr.old.fields[old].type == corr.new.fields[new].type
        }
        self.data = _data_fields(corr.old) | _data_fields(corr.new)
        self.condition_changed = {
            new: old_condition(corr, corr.old.fields[old].condition) != condition_text(corr.new.fields[new].condition)
            for new, old in corr.fields.items()
        }
        self.new_blocks = {s.name for s in corr.new.data_blocks}

    def migrate(self, old: Declaration, old_result: Result | None = None) -> Migration:
        answers: dict[str, Value] = {}
        renamed: list[tuple[str, str]] = []
        recoded: list[tuple[str, str, str]] = []  # (field, old code, new code)
        dropped: list[Dropped] = []
        for name, value in old.answers.items():
            if name in self.data and not self.keep_data:
                continue
            new_name = self.successors.get(name)
            if new_name is None:
                dropped.append(Dropped(name, value, f"question retirée en {self.corr.new.year}"))
                continue
            if name in self.unchanged:
                new_value, problem = value, None
            else:
                new_value, problem = carry(value, self.corr.old.fields[name], self.corr.new.fields[new_name])
            if problem is not None:
                dropped.append(Dropped(name, value, problem))
                continue
            answers[new_name] = new_value
            if new_name != name:
                renamed.append((name, new_name))
            recoded += _recoded(value, new_name, self.corr.old.fields[name], self.corr.new.fields[new_name])
        blocks = frozenset(b for b in old.blocks if b in self.new_blocks) if self.keep_data else frozenset()
        blocks |= {n.split(".", 1)[0] for n in answers if n in self.data}
        declaration = Declaration(answers, blocks)
        result = self.engine.score(declaration)
        shown_last_year = (old_result or self.old_engine.score(old)).visible
        while moved := [n for n in answers if self._moved(n, result.visible, shown_last_year)]:
            for n in moved:
                condition = condition_text(self.corr.new.fields[n].condition)
                reason = (
                    f"plus posée à cet établissement ({condition})"
                    if n not in result.visible
                    else f"masquée en {self.corr.old.year}, posée en {self.corr.new.year} ({condition}) : à saisir"
                )
                former = self.corr.fields[n]
                dropped.append(Dropped(former, old.answers[former], reason))
                del answers[n]
            declaration = Declaration(answers, blocks)
            result = self.engine.score(declaration)
        left = () if self.keep_data else tuple(sorted(old.blocks))
        renamed_kept = tuple((a, b) for a, b in renamed if b in answers)
        recoded_kept = tuple((f"{f} : {a}", b) for f, a, b in recoded if f in answers)
        return Migration(
            declaration, result, len(answers), renamed_kept, tuple(dropped), left, len(old.justifications), recoded_kept
        )

    def _moved(self, name: str, shown: frozenset[str], shown_last_year: frozenset[str]) -> bool:
        """An answer whose condition of display changed and that is not shown as it was last
        year: asked no more (its value would be hidden), or asked now but not then (never declared)."""
        return self.condition_changed.get(name, False) and (name in shown) != (
            self.corr.fields[name] in shown_last_year
        )


def _data_fields(campaign: Campaign) -> set[str]:
    return {f.name for s in campaign.data_blocks for f in s.fields()}


_KINDS = {ChoiceType: "un choix", MultiChoiceType: "un choix multiple", NumberType: "un nombre"}


def _kind(ftype: FieldType) -> str:
    return _KINDS.get(type(ftype), "un texte")


def _recoded(value: Value, field: str, old: Field, new: Field) -> list[tuple[str, str, str]]:
    """(field, old code, new code) for each option of `value` that a rename gave another code."""
    codes = option_map(old.type, new.type)
    given = value if isinstance(value, frozenset) else (value,) if isinstance(value, str | int) else ()
    return [(field, str(c), str(codes[c])) for c in given if c in codes and codes[c] != c]


def carry(value: Value, old: Field, new: Field) -> tuple[Value, str | None]:
    """`value` of `old` as an answer to `new`, or why it cannot be one (never coerced)."""
    if _kind(old.type) != _kind(new.type):
        return None, f"le type de réponse a changé ({type_text(old.type)} → {type_text(new.type)})"
    codes = option_map(old.type, new.type)
    if isinstance(value, frozenset):
        gone = sorted(str(c) for c in value if c not in codes)
        if gone:
            return None, f"{', '.join(gone)} : plus une réponse possible ; attendu : {expected(new.type)}"
        value = frozenset(codes[c] for c in value)
    elif isinstance(value, str | int) and isinstance(old.type, ChoiceType):
        if value not in codes:
            return None, f"« {value} » n’est plus une réponse possible ; attendu : {expected(new.type)}"
        value = codes[value]
    raw = raw_value(new.type, value) if isinstance(value, frozenset) else raw_value(old.type, value)
    if isinstance(raw, Decimal):
        raw = format(raw, "f")  # a decimal is read back as the text a person would write
    checked, problem = check_value(new.type, raw)
    if problem is not None:
        return None, f"{problem} ; attendu : {expected(new.type)}"
    return checked, None
