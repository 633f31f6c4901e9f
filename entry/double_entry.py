"""The control by double keying (CSPro verify mode, REDCap double data entry), from start to resolution.

The first keying is the declaration itself. A second keying is typed blind (`SecondKeyingSession`);
comparing closes it to keys, since its typist now sees the first keying's values, and lists every
field where the two keyings differ. Each difference is resolved by keeping one of the two values:

- the second value goes into the declaration through the normal session path (`EntrySession.answer`:
  read-only rules, the FINESS rule and the checks apply), history origin « résolution »;
- keeping the first value leaves the declaration as it is; the second keying takes that value, with
  a history line « résolution » from the value dropped to the value kept.

Either way the two keyings then agree on that field, which is what « resolved » means here. When no
difference is left, the second keying ends; the history keeps both keyings and every choice. A
value neither keying has right is corrected afterwards by normal entry (no third value is keyed
here: each choice stays a choice between two values typed from the paper form).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from bilan.common.errors import UserError
from bilan.engine.expr import Value
from bilan.engine.model import Campaign
from bilan.entry.path import FormPath
from bilan.entry.second_keying import SecondKeyingSession
from bilan.entry.session import AnswerOutcome, EntrySession
from bilan.entry.validation import question_reference
from bilan.presentation.answers import value_text
from bilan.store.db import NO_SECOND_KEYING, RESOLUTION, SecondKeying, login

Keying = Literal[1, 2]  # the first keying (the declaration) or the second (the control)


@attrs.frozen
class Difference:
    """One field the two keyings answered differently, as a person reads it."""

    field: str
    where: str  # « II.2 Combien y a-t-il eu de réunions … », the printed number first
    label: str  # the row or cell of a grid (« 1) Hygiène des mains »), else empty
    first: Value
    second: Value
    first_text: str
    second_text: str


def compare(campaign: Campaign, path: FormPath, first: dict[str, Value], second: dict[str, Value]) -> list[Difference]:
    """Every field of the form either keying answered and the two answered differently, in the form's order.

    Hidden answers count (a branch one keying closed keeps the other's answers: they differ). The
    fixed FINESS number and imported data blocks are not keyed, so never compared.
    """
    found = []
    for fields in path.fields:
        for field in fields:
            a, b = first.get(field.name), second.get(field.name)
            if field.name in path.fixed or a == b:
                continue
            question = campaign.questions[field.question]
            where = f"{question_reference(campaign, question.name)} {question.text}"
            label = field.label if field.name != question.name else ""
            found.append(Difference(field.name, where, label, a, b, value_text(field, a), value_text(field, b)))
    return found


@attrs.frozen
class Resolution:
    """What choosing one value of a difference did."""

    refusal: str | None = None
    answer: AnswerOutcome | None = None  # the second value went into the declaration (checks it fired)
    finished: bool = False  # no difference is left: the second keying has ended


class DoubleKeying:
    """One declaration's control by double keying, driven beside its entry session (the first keying)."""

    def __init__(self, first: EntrySession, path: FormPath | None = None) -> None:
        self.first = first
        self.store = first.store
        self.id = first.id
        self.path = path or FormPath(first.campaign)

    @property
    def state(self) -> SecondKeying | None:
        return self.store.second_keying(self.id)

    def _change(self, write: Callable[[], object]) -> str | None:
        """Make one change in the store unless the declaration is read-only; the refusal, if any."""
        reason = self.first.read_only_reason()
        if reason:
            return reason
        try:
            write()
        except UserError as exc:  # one in progress already, the lease taken over, validated elsewhere
            return exc.render()
        return None

    def start(self) -> str | None:
        """Begin a second keying (empty); the refusal if the declaration cannot change or one is in progress."""
        return self._change(lambda: self.store.start_second_keying(self.id, login()))

    def session(self) -> SecondKeyingSession:
        """The second keying, open for keys (read-only once compared, or when the declaration is)."""
        first = self.first
        return SecondKeyingSession(self.store, first.campaign, self.id, first.engine)

    def summary(self) -> str:
        """Where the control stands, in a few words (the home page's validation line)."""
        state = self.state
        if state is None:
            return "pas de double saisie en cours"
        if state.compared_at is None:
            return "double saisie en cours : la terminer, puis comparer"
        return f"double saisie : {len(self.differences())} différence(s) à résoudre"

    def differences(self) -> list[Difference]:
        """What is left to resolve (every difference, until the two keyings agree on it)."""
        return compare(self.first.campaign, self.path, self.first.answers, self.store.second_answers(self.id))

    def compare(self) -> tuple[list[Difference], str | None]:
        """Close the second keying to keys and list the differences (with none, the control ends at once).

        Returns the differences, and the refusal if the comparison could not be recorded.
        """
        found = self.differences()
        refusal = self._change(lambda: self.store.close_second_keying(self.id, login(), len(found)))
        if refusal is None and not found:
            refusal = self.finish_if_agreed()
        return ([], refusal) if refusal else (found, None)

    def finish_if_agreed(self) -> str | None:
        """End the control when the two keyings agree on every answer; the refusal if that cannot be recorded."""
        if self.state is None or self.differences():
            return None
        return self._change(lambda: self.store.end_second_keying(self.id, login(), "terminée : saisies concordantes"))

    def resolve(self, field: str, keep: Keying) -> Resolution:
        """Keep the first or the second keying's value of a difference; the last one ends the control."""
        if self.state is None:
            return Resolution(refusal=NO_SECOND_KEYING)
        difference = next((d for d in self.differences() if d.field == field), None)
        if difference is None:
            return Resolution(refusal="les deux saisies concordent déjà sur cette réponse")
        answer = None
        if keep == 2:
            answer = self.first.answer(field, difference.second, origin=RESOLUTION)
            refusal = answer.refusal
        else:
            who = self.first.who()
            refusal = self._change(lambda: self.store.keep_first_answer(self.id, field, difference.first, who))
        if refusal:
            return Resolution(refusal=refusal)
        refusal = self.finish_if_agreed()
        return Resolution(refusal=refusal, answer=answer, finished=refusal is None and self.state is None)

    def abandon(self) -> str | None:
        """Drop the second keying without changing the declaration (what it held stays in the history)."""
        return self._change(lambda: self.store.end_second_keying(self.id, login(), "abandonnée"))
