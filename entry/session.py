"""One declaration held open for entry: the store, the engine and the rules of who may change what.

An answer goes in, an `AnswerOutcome` comes out (stored or refused and why, checks that started to
fire, a change flagged for the DDASS). The declaration's row is read once per write, not once per
question asked of it.
"""

from __future__ import annotations

import datetime as dt

import attrs

from bilan.common import clock
from bilan.common.errors import UserError
from bilan.engine.declaration_state import DeclarationState
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.feeds import provisional_indicators
from bilan.engine.model import Campaign, Field, Question, Section
from bilan.engine.result import CheckResult, Declaration, Result
from bilan.entry import access
from bilan.entry.validation import validation_problems
from bilan.store.db import DeclarationRow, Store, login
from bilan.store.lease import Holder


@attrs.frozen
class AnswerOutcome:
    """What became of one answer: stored (or unchanged), or refused with the reason why."""

    field: str
    value: Value
    stored: bool = False
    refusal: str | None = None
    fired: tuple[CheckResult, ...] = ()  # checks that fire now and did not before
    flagged: bool = False  # a category-setting answer changed: to be validated by the DDASS


class EntrySession:
    """A declaration open for entry, or read-only with the reason why."""

    def __init__(self, store: Store, campaign: Campaign, declaration: int, engine: Engine | None = None) -> None:
        self.store = store
        self.campaign = campaign
        self.engine = engine or Engine(campaign)
        self.id = declaration
        self.holder: Holder | None = store.acquire(declaration, login())
        self.row: DeclarationRow = store.get(declaration)
        self.data_block = {f.name: s for s in campaign.data_blocks for f in s.fields()}
        self.declaration = Declaration()
        self._reload()

    def _reload(self) -> None:
        """Read the declaration again: after taking it back from another session, which may have
        changed it (the store refuses writes based on an older reading)."""
        self.declaration = self.store.load(self.id)
        self.row = self.store.get(self.id)
        self.answers: dict[str, Value] = dict(self.declaration.answers)
        self.justifications = dict(self.declaration.justifications)
        self.result = self._score()

    # ------------------------------------------------------------------ state

    @property
    def today(self) -> dt.date:
        return clock.today()

    def read_only_reason(self) -> str | None:
        return access.read_only_reason(self.campaign, self.row, self.holder, self.today)

    @property
    def editable(self) -> bool:
        return self.read_only_reason() is None

    @property
    def state(self) -> DeclarationState:
        """Validated or not (by whom, when), and the source of each data block."""
        return DeclarationState(self.row.validated_at, self.row.validated_by, self.declaration.state.sources)

    def change_refusal(self, field: str) -> str | None:
        """Why this session cannot change this field now, or None: read-only, or a data block the
        establishment may not type (see access.data_entry_refusal)."""
        reason = self.read_only_reason()
        block = self.data_block.get(field)
        if reason is None and block is not None:
            source = self.state.sources.get(block.name)
            reason = access.data_entry_refusal(source, self.store.single_establishment())
        return reason

    def provisional_indicators(self) -> frozenset[str]:
        """Indicators computed from figures the establishment typed itself (marked « provisoire »)."""
        return provisional_indicators(self.campaign, self.result, self.state.provisional_blocks)

    def who(self) -> str:
        """The person named in the declarant fiche, else the system login."""
        name = " ".join(str(self.answers[k]) for k in ("prenom", "nom") if self.answers.get(k))
        return name or login()

    def who_with_role(self) -> str:
        role = self.answers.get("fonction")
        return f"{self.who()} ({role})" if role else self.who()

    # ------------------------------------------------------------------ changes

    def _score(self) -> Result:
        self.declaration = Declaration(self.answers, self.row.blocks, self.justifications, self.state)
        return self.engine.score(self.declaration)

    def _reread_sources(self) -> None:
        """After a data figure: the block is supplied, by the establishment (store.sources)."""
        self.row = self.store.get(self.id)
        state = attrs.evolve(self.state, sources=self.store.block_sources(self.id))
        self.declaration = attrs.evolve(self.declaration, blocks=self.row.blocks, state=state)

    def answer(self, field: str, value: Value, origin: str = "saisie") -> AnswerOutcome:
        """Store one answer at once (its own transaction) and rescore, or say why it is refused.

        `origin` names in the history how the answer came (typed, or a double keying's difference resolved).
        """
        f = self.campaign.fields[field]
        old = self.answers.get(field)
        refusal = self.change_refusal(field) or access.identity_refusal(f, old, value)
        if refusal:
            return AnswerOutcome(field, value, refusal=refusal)
        block = self.data_block.get(field)
        if old == value and (value is None or block is None or block.name in self.row.blocks):
            return AnswerOutcome(field, value)
        try:
            flagged = self._record(f, old, value, origin)
        except UserError as exc:  # the lease was taken over, the declaration validated elsewhere
            self.row = self.store.get(self.id)
            return AnswerOutcome(field, value, refusal=exc.render())
        if block is not None:
            self._reread_sources()
        if value is None:
            self.answers.pop(field, None)
        else:
            self.answers[field] = value
        before = {c.check.name for c in self.result.checks}
        self.result = self._score()
        self.row = self.store.get(self.id)
        fired = tuple(c for c in self.result.checks if c.check.name not in before)
        return AnswerOutcome(field, value, stored=True, fired=fired, flagged=flagged)

    def _record(self, field: Field, old: Value, value: Value, origin: str) -> bool:
        """Write one changed answer to the store; True if the change is flagged for the DDASS."""
        block = self.data_block.get(field.name)
        self.store.set_answer(self.id, field.name, value, self.who(), origin, block.name if block else None)
        flagged = access.needs_ddass_flag(field, old, self.row)
        if flagged:
            self.store.flag(self.id, field.name, old, value, self.who())
        return flagged

    def justify(self, check: str, text: str) -> str | None:
        """Record (or, with an empty text, withdraw) the justification of a warning; the refusal if any."""
        found = next((c for c in self.campaign.checks if c.name == check), None)
        if found is None or found.severity != "avertissement":
            return "seul un avertissement se justifie ; une erreur se corrige"
        reason = self.read_only_reason()
        if reason:
            return reason
        try:
            self.store.set_justification(self.id, check, text, self.who())
        except UserError as exc:  # control characters, the lease taken over, a validation elsewhere
            return exc.render()
        if text.strip():
            self.justifications[check] = text.strip()
        else:
            self.justifications.pop(check, None)
        self.result = self._score()
        return None

    def visit(self, field: str) -> None:
        """Remember the question the cursor is on, so that reopening resumes there (not a data
        block's figure: the questionnaire resumes where it was left)."""
        if self.editable and self.row.last_field != field and field not in self.data_block:
            self.store.set_position(self.id, field)
            self.row = attrs.evolve(self.row, last_field=field)

    def confirm_admin_data(self) -> bool:
        """Mark the administrative data as checked once the fiche is complete; True if done now.

        From then on, a change of a category-setting answer is flagged for the DDASS.
        """
        fiche = next((s for s in self.campaign.fiches if s.name == "etablissement"), None)
        if fiche is None or self.row.admin_checked_at or not self.editable:
            return False
        done, expected = self.progress(fiche)
        if done < expected:
            return False
        self.store.check_admin(self.id, self.who())
        self.row = self.store.get(self.id)
        return True

    def validation_problems(self) -> list[str]:
        reason = self.read_only_reason()
        return validation_problems(self.campaign, self.result, reason, self.store.second_keying(self.id))

    def validate(self) -> str | None:
        """Lock the declaration in the name of the person responsible; the refusal if it cannot be."""
        problems = self.validation_problems()
        if problems:
            return problems[0]
        try:
            self.store.validate(self.id, self.who_with_role())
        except UserError as exc:
            return exc.render()
        finally:
            self.row = self.store.get(self.id)
            self.declaration = attrs.evolve(self.declaration, state=self.state)
        return None

    def retry_lease(self) -> bool:
        """Try again to hold a declaration another session held (its heartbeat may have lapsed)."""
        self.holder = self.store.acquire(self.id, login())
        self._reload()
        return self.holder is None

    def heartbeat(self) -> None:
        """Tell other sessions this one is alive; if another took the declaration over, become read-only."""
        if self.holder is None and not self.store.beat(self.id):
            self.holder = self.store.acquire(self.id, login())
            self._reload()

    def close(self) -> None:
        if self.holder is None:
            self.store.release(self.id)

    # ------------------------------------------------------------------ reading the model

    def progress(self, section: Section) -> tuple[int, int]:
        """(answered, expected) among the visible, required fields of a section (every figure of
        a data block)."""
        visible = self.result.visible
        data = section.kind == "donnees"
        expected = [f for f in section.fields() if data or (f.name in visible and not f.optional)]
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
