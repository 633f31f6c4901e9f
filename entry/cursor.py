"""The entry cursor: where the operator is, what each key does there, and where the next key goes.

Every key is applied completely — the answer stored, branches opened or closed, the next field
chosen — before the next key is read, so keys typed ahead land exactly where they were meant.
The screen asks `press` what a key did and renders the `Outcome`; it decides nothing itself.

A refused key or answer, and an error (`erreur` check) fired by an answer, *halt* the cursor:
until the operator acknowledges the message (Retour arrière: correct here; F6: leave the answer as
it is and go on), every other key is refused too. Keys typed ahead after a mistake are thus never
applied to the wrong question, as the error dialogs of CSPro and Blaise swallow them.
"""

from __future__ import annotations

import attrs

from bilan.engine.expr import references
from bilan.engine.model import Campaign, Check, Field, Section, TextType
from bilan.engine.result import CheckResult
from bilan.entry import keystrokes
from bilan.entry.keystrokes import Commit, Draft, Edit, Move, Refuse
from bilan.entry.path import FormPath, Position
from bilan.entry.session import AnswerOutcome, EntrySession
from bilan.entry.validation import question_reference

ACKNOWLEDGE = "backspace"  # a halt is read: correct the field under the cursor
SKIP = "f6"  # a halt is read: keep the stored answer as it is, go to the next field


@attrs.frozen
class Halt:
    """The cursor holds at a field until the operator acknowledges `message`."""

    message: str
    error: CheckResult | None = None  # the `erreur` check that fired, if that is why
    ignored: int = 0  # keys refused since: the operator knows how many to type again


@attrs.frozen
class Outcome:
    """What one key did, for the screen to render."""

    handled: bool = True
    answer: AnswerOutcome | None = None  # an answer was submitted (stored, unchanged or refused)
    refusal: str | None = None  # the key or the answer was refused
    notice: str | None = None  # something to tell without holding the cursor
    moved: bool = False
    page_changed: bool = False
    end_of_form: bool = False  # Enter on the last field: the recap comes next
    justify: Check | None = None  # `j` on a question with a warning: ask for its justification


def involved_fields(campaign: Campaign) -> dict[str, frozenset[str]]:
    """The answers each check reads, through computed values too: the fields an error names."""

    def fields_of(expr_refs: set[tuple[str, str]], seen: set[str]) -> set[str]:
        found = set()
        for kind, name in expr_refs:
            if kind == "field":
                found.add(name)
            elif kind == "value" and name not in seen:
                seen.add(name)
                found |= fields_of(references(campaign.values[name].expr), seen)
        return found

    return {c.name: frozenset(fields_of(references(c.condition), set())) for c in campaign.checks}


class EntryCursor:
    """The cursor over one declaration's form; `press` takes one key at a time."""

    def __init__(self, session: EntrySession, path: FormPath, start: str | None = None, page: int = 0) -> None:
        self.session = session
        self.path = path
        self.involved = involved_fields(session.campaign)
        result = session.result
        if start is not None and self._reachable(start):
            self.position = Position(path.page_of[start], start)
        else:
            self.position = path.first(page, result)
        self.draft = self._fresh_draft()
        self.halt: Halt | None = None
        self._visit()

    # ------------------------------------------------------------------ reading

    def _reachable(self, field: str) -> bool:
        """On the path now: a visible field of a page, not a fixed one."""
        return (
            field in self.path.page_of and self.path.shown(field, self.session.result) and field not in self.path.fixed
        )

    @property
    def field(self) -> Field | None:
        name = self.position.field
        return None if name is None else self.session.campaign.fields[name]

    @property
    def page(self) -> Section:
        return self.path.pages[self.position.page]

    def _fresh_draft(self) -> Draft:
        field = self.field
        return Draft() if field is None else Draft.of(field, self.session.answers.get(field.name))

    def warnings_here(self) -> list[CheckResult]:
        """Warnings fired by the question under the cursor (or the question it hangs from)."""
        field = self.field
        if field is None:
            return []
        campaign = self.session.campaign
        names = set()
        question: str | None = field.question
        while question is not None:
            names.add(question)
            question = campaign.questions[question].parent
        return [c for c in self.session.result.checks if c.check.severity != "erreur" and c.check.question in names]

    # ------------------------------------------------------------------ keys

    def press(self, key: str, char: str | None = None) -> Outcome:
        """Apply one key completely and say what it did."""
        if self.halt is not None:
            return self._halted(key)
        if key in ("pageup", "pagedown"):
            return self.change_page(1 if key == "pagedown" else -1)
        field = self.field
        if field is None:
            return Outcome(handled=False)
        if key == "j" and not isinstance(field.type, TextType):
            pending = [c for c in self.warnings_here() if not c.justification] or self.warnings_here()
            if pending:
                return Outcome(justify=pending[0].check)
        stored = self.session.answers.get(field.name)
        action = keystrokes.press(field, stored, self.draft, key, char)
        if action is None:
            return Outcome(handled=False)
        reason = self.session.change_refusal(field.name)
        if reason and isinstance(action, Edit | Commit | Refuse):
            self.draft = self._fresh_draft()
            return Outcome(refusal=f"lecture seule : {reason}")
        if isinstance(action, Edit):
            self.draft = action.draft
            return Outcome()
        if isinstance(action, Refuse):
            return self._hold(action.message)
        if isinstance(action, Move):
            return self.move(action.step)
        return self._commit(field, action)

    def _halted(self, key: str) -> Outcome:
        halt = self.halt
        assert halt is not None
        if key == ACKNOWLEDGE:
            self.halt = None
            if halt.error is not None:
                self.draft = self._fresh_draft()
            return Outcome()
        if key == SKIP:
            self.halt = None
            self.draft = self._fresh_draft()
            return self.move(1)
        if key in ("escape", "pageup", "pagedown"):
            self.halt = None
            self.draft = self._fresh_draft()
            return self.change_page(1 if key == "pagedown" else -1) if key != "escape" else Outcome(handled=False)
        self.halt = attrs.evolve(halt, ignored=halt.ignored + 1)
        return Outcome(refusal=halt.message)

    def _hold(self, message: str, error: CheckResult | None = None) -> Outcome:
        self.halt = Halt(message, error)
        return Outcome(refusal=message)

    def _commit(self, field: Field, action: Commit) -> Outcome:
        answer = self.session.answer(field.name, action.value)
        if answer.refusal:
            self.draft = self._fresh_draft()
            return Outcome(answer=answer, refusal=answer.refusal)
        self.draft = self._fresh_draft()
        error = self._error_on(field) if answer.stored else None
        if error is not None:
            outcome = self._hold(self.error_message(error), error)
            return attrs.evolve(outcome, answer=answer)
        moved = self.move(action.step) if action.step else Outcome()
        return attrs.evolve(moved, answer=answer)

    def _error_on(self, field: Field) -> CheckResult | None:
        """An `erreur` check that fires and reads this field: the cursor holds on it."""
        return next(
            (
                c
                for c in self.session.result.checks
                if c.check.severity == "erreur" and field.name in self.involved.get(c.check.name, ())
            ),
            None,
        )

    def error_message(self, error: CheckResult) -> str:
        """The error, the other answers it reads (by printed number), and the two ways on."""
        campaign = self.session.campaign
        here = self.position.field
        others = []
        for name in sorted(self.involved[error.check.name], key=lambda n: self._order(n)):
            if name == here:
                continue
            f = campaign.fields[name]
            ref = question_reference(campaign, f.question)
            label = f.label or campaign.questions[f.question].text
            others.append(f"{ref} {_shortened(label)}".strip())
        also = f" — voir aussi : {' ; '.join(others)}" if others else ""
        return f"{error.check.message}{also} — Retour arrière : corriger ; F6 : passer outre"

    def _order(self, name: str) -> tuple[int, int]:
        page = self.path.page_of.get(name, len(self.path.pages))
        order = [f.name for f in self.path.fields[page]] if page < len(self.path.pages) else []
        return page, order.index(name) if name in order else 0

    # ------------------------------------------------------------------ moving

    def _settle(self) -> Outcome | None:
        """Store what is typed in the field being left; an Outcome if it was refused (the cursor stays)."""
        field = self.field
        if field is None or self.draft.fresh or keystrokes.choices_of(field) is not None:
            return None
        action = keystrokes.settle(field, self.session.answers.get(field.name), self.draft, 0)
        if isinstance(action, Refuse):
            return self._hold(action.message)
        if isinstance(action, Commit):
            outcome = self._commit(field, action)
            if outcome.refusal:
                return outcome
        return None

    def _go(self, position: Position) -> str | None:
        """Move the cursor; what leaving the page had to say, if anything."""
        before = self.position.page
        self.position = position
        self.draft = self._fresh_draft()
        notice = self._left_page(before) if position.page != before else None
        self._visit()
        return notice

    def _left_page(self, page: int) -> str | None:
        if self.path.pages[page].name == "etablissement" and self.session.confirm_admin_data():
            return (
                "Données administratives enregistrées. Une modification du statut, de la catégorie "
                "ou des activités sera signalée à la DDASS."
            )
        return None

    def _visit(self) -> None:
        if self.position.field is not None:
            self.session.visit(self.position.field)

    def move(self, step: int) -> Outcome:
        """The next (step 1) or previous (-1) visible field, across pages."""
        target = self.path.step(self.position, step, self.session.result)
        if target is None:
            if step > 0 and self.path.ends_with_recap:
                return Outcome(end_of_form=True, notice="Dernière question : le récapitulatif suit.")
            if step > 0:
                return Outcome(notice="Dernière donnée : Échap pour revenir à l’accueil.")
            return Outcome(notice="Première question du formulaire.")
        page = self.position.page
        notice = self._go(target)
        return Outcome(moved=True, page_changed=target.page != page, notice=notice)

    def change_page(self, step: int) -> Outcome:
        """PgUp/PgDn: the first field of the previous or next page."""
        refused = self._settle()
        if refused is not None:
            return refused
        page = self.position.page + step
        if not 0 <= page < len(self.path.pages):
            return Outcome(notice="Pas d’autre page dans ce sens.")
        notice = self._go(self.path.first(page, self.session.result))
        return Outcome(moved=True, page_changed=True, notice=notice)

    def go_to(self, field: str) -> Outcome:
        """Jump to a field (ctrl+g, the checks list); refused if it is hidden by an earlier answer."""
        if field in self.path.fixed:
            return Outcome(refusal="le numéro FINESS identifie la déclaration : il ne se modifie pas ici")
        if not self._reachable(field):
            return Outcome(refusal="cette question est masquée par une réponse précédente")
        refused = self._settle()
        if refused is not None:
            return refused
        self.halt = None
        page = self.position.page
        notice = self._go(Position(self.path.page_of[field], field))
        return Outcome(moved=True, page_changed=self.position.page != page, notice=notice)

    def go_to_page(self, page: int) -> Outcome:
        refused = self._settle()
        if refused is not None:
            return refused
        self.halt = None
        before = self.position.page
        notice = self._go(self.path.first(page, self.session.result))
        return Outcome(moved=True, page_changed=page != before, notice=notice)

    def leave(self) -> Outcome:
        """Esc: store a valid typed value, then the screen goes home (an invalid draft is dropped, and said)."""
        self.halt = None
        field = self.field
        if field is not None and not self.draft.fresh and keystrokes.choices_of(field) is None:
            action = keystrokes.settle(field, self.session.answers.get(field.name), self.draft, 0)
            if isinstance(action, Refuse):
                return Outcome(notice=f"saisie non enregistrée (« {self.draft.text} ») : {action.message}")
            if isinstance(action, Commit):
                outcome = self._commit(field, action)
                self.halt = None
                return outcome
        return Outcome(notice=self._left_page(self.position.page))


LABEL_IN_MESSAGE = 60  # characters of another answer's label in an error: enough to tell a grid's columns apart


def _shortened(label: str) -> str:
    """A label cut at a word, with « … », if longer than LABEL_IN_MESSAGE (it was cut mid-word at
    40, and two columns of a grid row then read the same)."""
    if len(label) <= LABEL_IN_MESSAGE:
        return label
    cut = label[: LABEL_IN_MESSAGE - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:—-") + "…"
