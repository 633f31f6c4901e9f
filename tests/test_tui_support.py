"""Helpers for the app tests: an app over a temporary store, and a typist that answers by keys alone."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from bilan.engine.expr import Value
from bilan.engine.model import Campaign, MultiChoiceType
from bilan.store.db import Store
from bilan.tui.app import BilanApp
from bilan.tui.fields import AnswerInput, ChoiceInput, input_text, keys_for_code, numbered, option_keys

OPEN_DAY = "2010-04-01"


def make_app(campaign: Campaign, path: Path, declaration: int | None = None) -> BilanApp:
    return BilanApp(campaign, Store(path), declaration)


def keys_for(widget: ChoiceInput | AnswerInput, value: Value) -> list[str]:
    """The keys a person types to give `value` to the focused field, then move on."""
    if isinstance(widget, ChoiceInput):
        keys = option_keys(widget.ftype)
        codes = [o.code for o in widget.ftype.options]
        if isinstance(widget.field.type, MultiChoiceType):
            wanted = set(value or ())  # type: ignore[call-overload]
            have = set(widget.value or ())  # type: ignore[call-overload]
            return [keys[codes.index(c)][0] for c in codes if (c in wanted) != (c in have)] + ["space"]
        if value is None:
            return ["down"]
        if numbered(widget.ftype):
            return keys_for_code(widget.ftype, value)  # type: ignore[arg-type]
        return [keys[codes.index(value)][0]]
    text = input_text(widget.field, value)
    chars = ["space" if ch == " " else ch for ch in text]
    return ["ctrl+u", *chars, "enter"] if widget.value else [*chars, "enter"]


async def type_section(pilot: Pilot, answers: dict[str, Value], limit: int = 400) -> None:
    """Answer every field the focus reaches, in order, until the focus stops moving."""
    app = pilot.app
    last = None
    for _ in range(limit):
        widget = app.focused
        if not isinstance(widget, ChoiceInput | AnswerInput):
            return
        key = (widget.field.name, app.screen.index if hasattr(app.screen, "index") else 0)
        if key == last:
            return
        last = key
        await pilot.press(*keys_for(widget, answers.get(widget.field.name)))
        await pilot.pause()
