"""`bilan diff OLD.bilan NEW.bilan`: what changed between two campaigns, by stable name, grouped by
what it means for last year's answers (to carry with care), for scores, or for wording only."""

from __future__ import annotations

import attrs

from bilan.engine.model import Campaign
from bilan.yearchange.changes import Change, Changes
from bilan.yearchange.correspondence import Correspondence, correspond
from bilan.yearchange.diff_questions import questionnaire_changes
from bilan.yearchange.diff_scoring import scoring_changes


@attrs.frozen
class Diff:
    correspondence: Correspondence
    changes: tuple[Change, ...]

    def of(self, effect: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.effect == effect)


def diff(old: Campaign, new: Campaign) -> Diff:
    corr = correspond(old, new)
    out = Changes()
    questionnaire_changes(corr, out)
    scoring_changes(corr, out)
    return Diff(corr, tuple(out.found))
