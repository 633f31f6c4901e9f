"""The blind second keying of a declaration (contrôle par double saisie), typed through the same cursor.

A `SecondKeyingSession` is an entry session over the second keying's own answers: the cursor, the
keys, the refusals and the path are those of normal entry, and what is shown (visibility, checks,
scores) follows what the second keying itself answered. Nothing the first keying typed is read
into it; it holds only what nobody keys from the paper form: the FINESS number (the declaration's
key) and the data blocks imported by the administration (SAE figures).
"""

from __future__ import annotations

from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.model import Campaign, Field
from bilan.entry.session import EntrySession
from bilan.store.db import SecondKeying, Store, login, second_keying_refusal


def imported_fields(campaign: Campaign) -> frozenset[str]:
    """Fields of the data blocks: filled by import, never keyed from the paper form."""
    return frozenset(f.name for block in campaign.data_blocks for f in block.fields())


class SecondKeyingSession(EntrySession):
    """The second keying in progress on a declaration; read-only once it has been compared."""

    def __init__(self, store: Store, campaign: Campaign, declaration: int, engine: Engine | None = None) -> None:
        super().__init__(store, campaign, declaration, engine)
        imported = imported_fields(campaign)
        kept = {name: value for name, value in self.answers.items() if name in imported}
        self.answers = {**kept, **store.second_answers(declaration), "finess": self.row.finess}
        self.justifications = {}
        self.result = self._score()

    @property
    def keying(self) -> SecondKeying | None:
        """Read from the store on each call: the comparison may close the keying from another screen."""
        return self.store.second_keying(self.id)

    def read_only_reason(self) -> str | None:
        return super().read_only_reason() or second_keying_refusal(self.keying)

    def who(self) -> str:
        """The person at the keyboard: the declarant fiche being keyed names the establishment's, not theirs."""
        return login()

    def _record(self, field: Field, old: Value, value: Value, origin: str) -> bool:
        """Into the second keying (history origin « double saisie »); the declaration itself is unchanged,
        so nothing is flagged for the DDASS."""
        self.store.set_second_answer(self.id, field.name, value, self.who())
        return False

    def justify(self, check: str, text: str) -> str | None:
        return "en double saisie, rien ne se justifie : un avertissement se justifie sur la déclaration"

    def visit(self, field: str) -> None:
        """Remember where the second keying is, so that it resumes there (the declaration's own place is kept)."""
        keying = self.keying
        if keying is not None and keying.last_field != field and self.editable:
            self.store.set_second_position(self.id, field)

    def confirm_admin_data(self) -> bool:
        return False  # the administrative data are confirmed on the declaration, not on its control

    def validation_problems(self) -> list[str]:
        return ["une double saisie ne se valide pas : comparer les deux saisies, puis résoudre leurs différences"]
