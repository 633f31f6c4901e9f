"""One open declaration: the store, the engine and the rules of who may change what, today.

No Textual here: the app, the tests and the benchmark drive the same object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.model import Campaign, Field, Question, Section
from bilan.engine.result import Declaration, Result
from bilan.store.db import DeclarationRow, Store, login
from bilan.store.lease import Holder
from bilan.tui import clock


class Session:
    """A declaration held open for entry (or read-only, with the reason why)."""

    def __init__(self, store: Store, campaign: Campaign, declaration: int, engine: Engine | None = None) -> None:
        self.store = store
        self.campaign = campaign
        self.engine = engine or Engine(campaign)
        self.id = declaration
        self.holder: Holder | None = store.acquire(declaration, login())
        self.declaration = store.load(declaration)
        self.answers: dict[str, Value] = dict(self.declaration.answers)
        self.justifications = dict(self.declaration.justifications)
        self.last_flagged = False
        self.result = self._score()

    # ------------------------------------------------------------------ state

    @property
    def row(self) -> DeclarationRow:
        return self.store.get(self.id)

    @property
    def today(self) -> dt.date:
        return clock.today()

    @property
    def closed(self) -> bool:
        """Entry is open from the opening date to the deadline, both included."""
        c = self.campaign
        return bool((c.deadline and self.today > c.deadline) or (c.opening and self.today < c.opening))

    def read_only_reason(self) -> str | None:
        row = self.row
        if row.validated_at:
            return f"déclaration validée le {clock.french_date(row.validated_at)} par {row.validated_by}"
        if self.holder is not None:
            return f"déclaration ouverte en saisie par {self.holder.describe()}"
        if self.closed:
            c = self.campaign
            if c.opening and self.today < c.opening:
                return f"la saisie ouvre le {clock.french_date(c.opening)}"
            return f"campagne close depuis le {clock.french_date(c.deadline)} : consultation seulement"
        return None

    @property
    def editable(self) -> bool:
        return self.read_only_reason() is None

    def who(self) -> str:
        """The person named in the declarant fiche, else the system login."""
        a = self.answers
        name = " ".join(str(a[k]) for k in ("prenom", "nom") if a.get(k))
        return name or login()

    # ------------------------------------------------------------------ changes

    def _score(self) -> Result:
        self.declaration = Declaration(self.answers, self.declaration.blocks, self.justifications)
        return self.engine.score(self.declaration)

    def answer(self, field: str, value: Value) -> bool:
        """Store one answer at once (its own transaction), then rescore; False if unchanged."""
        old = self.answers.get(field)
        if old == value:
            return False
        self.store.set_answer(self.id, field, value, self.who())
        if value is None:
            self.answers.pop(field, None)
        else:
            self.answers[field] = value
        f = self.campaign.fields.get(field)
        self.last_flagged = bool(f is not None and f.flagged and old is not None and self.row.admin_checked_at)
        if self.last_flagged:
            self.store.flag(self.id, field, old, value, self.who())
        self.result = self._score()
        return True

    def justify(self, check: str, text: str) -> None:
        self.store.set_justification(self.id, check, text, self.who())
        if text.strip():
            self.justifications[check] = text.strip()
        else:
            self.justifications.pop(check, None)
        self.result = self._score()

    def validate(self) -> None:
        self.store.validate(self.id, self.who_with_role())

    def who_with_role(self) -> str:
        role = self.answers.get("fonction")
        return f"{self.who()} ({role})" if role else self.who()

    def close(self) -> None:
        if self.holder is None:
            self.store.release(self.id)

    # ------------------------------------------------------------------ reading the model

    def section_fields(self, section: Section) -> Iterator[Field]:
        yield from section.fields()

    def progress(self, section: Section) -> tuple[int, int]:
        """(answered, expected) among the visible, required fields of a section."""
        visible = self.result.visible
        expected = [f for f in section.fields() if f.name in visible and not f.optional]
        done = sum(1 for f in expected if self.answers.get(f.name) is not None)
        return done, len(expected)

    def questionnaire_progress(self) -> tuple[int, int]:
        pairs = [self.progress(s) for s in self.campaign.chapters]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def question_of(self, field: str) -> Question:
        return self.campaign.questions[self.campaign.fields[field].question]

    def section_of_question(self, question: str) -> Section:
        name = self.campaign.questions[question].section
        return next(s for s in self.campaign.sections if s.name == name)
