"""One change between two campaigns, and how the changes of a comparison are collected.

Every change has an effect, the question a maintainer asks of it:
- ANSWERS: what an answers file holds or must hold is different (a question, field, option or
  branch added, removed, renamed, retyped; a check): last year's answers are to be carried
  with care, or re-entered;
- SCORES: what the answers are worth is different (points, maxima, weights, formulas, limits);
- WORDING: only what is printed is different (wording, instructions, numbering, evidence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

ANSWERS = "reponses"
SCORES = "scores"
WORDING = "libelles"
EFFECTS = (ANSWERS, SCORES, WORDING)

T = TypeVar("T")


@attrs.frozen
class Change:
    """`subject` names what changed (« question « x » (II.3) »), `what` says how."""

    effect: str
    kind: str  # campagne, type, section, question, item, valeur, indicateur
    name: str
    subject: str
    what: str
    before: str | None = None
    after: str | None = None
    paired: bool = False  # a before and an after compared: a missing side is "nothing", not an omission


class Changes:
    """The changes found so far, in the order they are found."""

    def __init__(self) -> None:
        self.found: list[Change] = []

    def about(self, kind: str, name: str, subject: str) -> About:
        """Where the changes of one thing (a question, an item...) are written."""
        return About(self, kind, name, subject)


@attrs.frozen
class About:
    """The changes of one thing of the campaign."""

    changes: Changes
    kind: str
    name: str
    subject: str

    def add(self, effect: str, what: str, before: object = None, after: object = None, paired: bool = False) -> None:
        change = Change(effect, self.kind, self.name, self.subject, what, _shown(before), _shown(after), paired)
        self.changes.found.append(change)

    def compare(self, effect: str, what: str, before: object, after: object) -> None:
        """A change if `before` and `after` differ (shown as text; None is nothing)."""
        if before != after:
            self.add(effect, what, before, after, paired=True)

    def part(self, where: str) -> About:
        """The same thing, narrowed (`, ligne « r »`)."""
        return attrs.evolve(self, subject=self.subject + where)


def _shown(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return " ¶ ".join(str(v) for v in value) or None
    return str(value)


def matched(
    old: Sequence[T],
    new: Sequence[T],
    key: Callable[[T], str | int],
    candidates: Callable[[T], Iterable[str | int]],
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pairs (old, new) of two lists by name, then the old ones without a successor and the new ones
    without a predecessor. `candidates(new)` are the old names it may continue, renamed ones first."""
    by_key = {key(x): x for x in old}
    pairs: list[tuple[T, T]] = []
    added: list[T] = []
    taken: set[str | int] = set()
    for x in new:
        found = next((n for n in candidates(x) if n in by_key and n not in taken), None)
        if found is None:
            added.append(x)
        else:
            taken.add(found)
            pairs.append((by_key[found], x))
    return pairs, [x for x in old if key(x) not in taken], added
