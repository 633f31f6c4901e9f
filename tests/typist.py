"""An operator who types a declaration from the paper form: the keys for each answer, in path order.

`plan_keys` works the keys out on a scratch copy of the declaration, through the entry layer, so
a test can then send them to the app in one burst, as SSH delivers a fast typist's keys.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from textual import events
from textual.pilot import Pilot

from bilan.engine.expr import Value
from bilan.engine.model import Campaign, Field, MultiChoiceType
from bilan.engine.result import Declaration
from bilan.entry.cursor import EntryCursor
from bilan.entry.keystrokes import choices_of, draft_text, keys_for_code, numbered, option_keys
from bilan.entry.path import FormPath
from bilan.entry.session import EntrySession
from bilan.store.db import Store

BURST_PATIENCE = 120  # seconds; generous, the machine may be loaded: a burst is a wait, not a timing


def key_of(char: str) -> str:
    """The terminal's name for the key that types `char` ("comma", "space", "a", "é")."""
    if char.isalnum():
        return char
    return unicodedata.name(char).lower().replace(" ", "_").replace("-", "_")


def char_of(key: str) -> str | None:
    """The character a key name types, None for keys that type none (Entrée, F2...)."""
    if len(key) == 1:
        return key
    for name in (key.replace("_", " "), key.replace("_", "-")):
        try:
            return unicodedata.lookup(name.upper())
        except KeyError:
            continue
    return None


def keys_for(field: Field, stored: Value, target: Value) -> list[str]:
    """The keys that give `target` to `field` (answered `stored`), then move to the next field."""
    choice = choices_of(field)
    if choice is not None:
        keys = option_keys(choice)
        codes = [o.code for o in choice.options]
        if isinstance(field.type, MultiChoiceType):
            wanted = set(target) if isinstance(target, frozenset) else set()
            have = set(stored) if isinstance(stored, frozenset) else set()
            return [keys[codes.index(c)][0] for c in codes if (c in wanted) != (c in have)] + ["enter"]
        if target is None or target == stored:
            return ["enter"]
        if numbered(choice):
            assert isinstance(target, int)
            return keys_for_code(choice, target)
        assert isinstance(target, str | int)
        return [keys[codes.index(target)][0]]
    text = draft_text(field, target)
    if target == stored:
        return ["enter"]
    if not text:
        return ["ctrl+u", "enter"]
    return [key_of(ch) for ch in text] + ["enter"]


def plan_keys(
    campaign: Campaign,
    answers: dict[str, Value],
    page: int,
    pages: int,
    scratch: Path,
    before: dict[str, Value] | None = None,
) -> list[str]:
    """Keys that type `answers` into `pages` pages from `page`, over a declaration holding `before`
    (just its FINESS number if not given)."""
    store = Store(scratch)
    finess = str(answers.get("finess", "750712184"))
    start = Declaration(dict(before or {"finess": finess}))
    decl = store.import_declaration(finess, campaign.year, start)
    session = EntrySession(store, campaign, decl)
    path = FormPath(campaign)
    cursor = EntryCursor(session, path, page=page)
    keys: list[str] = []
    assert session.editable, session.read_only_reason()
    while cursor.position.page < page + pages:
        field = cursor.field
        assert field is not None
        step = keys_for(field, session.answers.get(field.name), answers.get(field.name))
        for key in step:
            outcome = cursor.press(key, char_of(key))
            assert cursor.halt is None, (field.name, key, outcome)
        keys.extend(step)
        if outcome.end_of_form:
            break
    session.close()
    store.close()
    return keys


async def burst(pilot: Pilot[object], keys: list[str]) -> None:
    """Send every key at once, without waiting between them, then wait until the app has taken them all."""
    app = pilot.app
    before = getattr(app, "keys_taken", 0)
    for key in keys:
        app.post_message(events.Key(key, char_of(key)))
    deadline = time.monotonic() + BURST_PATIENCE
    while getattr(app, "keys_taken", 0) < before + len(keys):
        if time.monotonic() > deadline:  # never go on as if the keys had landed: the assertions would lie
            taken = getattr(app, "keys_taken", 0) - before
            raise AssertionError(f"{taken} of {len(keys)} keys taken after {BURST_PATIENCE} s")
        await pilot.pause(0.01)
    await pilot.pause()
