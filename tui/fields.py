"""One answer box, drawn from the stored answer or, under the cursor, from what is being typed.

Boxes never take the focus: the screen routes every key through the entry cursor and redraws the
boxes it changed. An empty box looks empty (no sample value inside); the expected format is
printed beside it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from bilan.engine.answers import expected
from bilan.engine.expr import Value
from bilan.engine.model import ChoiceType, Field, MultiChoiceType, NumberType, TextType
from bilan.entry.keystrokes import Draft, choices_of, draft_text, numbered, option_keys

TEXT_BOX = 24  # columns of an empty text box
_TEXT_HINTS = {"courriel": "nom@domaine.fr", "telephone": "10 chiffres", "finess": "9 caractères"}


def widget_id(field_name: str) -> str:
    return "f-" + field_name.replace(".", "--")


def format_hint(field: Field) -> str:
    """What the box expects, printed beside it: « 2 chiffres », « 2 chiffres, 2 décimales »."""
    t = field.type
    if isinstance(t, NumberType):
        digits = f"{t.digits} chiffre{'s' if t.digits > 1 else ''}"
        if t.decimals:
            digits += f", {t.decimals} décimale{'s' if t.decimals > 1 else ''}"
        if t.maximum is not None or t.minimum:
            digits += f" ; {expected(t).removeprefix('un nombre entier ').removeprefix('un nombre ')}"
        return digits
    if isinstance(t, TextType):
        return _TEXT_HINTS.get(t.kind, "")
    return ""


def _line_box(text: str, cursor: int | None, width: int) -> Text:
    """A bracketed box of at least `width` columns; the cursor cell in reverse video."""
    shown = text.ljust(max(width, len(text) + (1 if cursor is not None else 0)))
    box = Text("[")
    if cursor is None:
        box.append(shown)
    else:
        box.append(shown[:cursor])
        box.append(shown[cursor], style="reverse")
        box.append(shown[cursor + 1 :])
    box.append("]")
    return box


def render_choice(choice: ChoiceType, value: Value, multi: bool, draft: Draft | None) -> Text:
    """Options with their keys: « o (•) Oui   n ( ) Non »; a long list one option per line."""
    text = Text()
    inline = not multi and len(choice.options) <= 3 and all(len(o.label) <= 24 for o in choice.options)
    chosen_codes = value if isinstance(value, frozenset) else {value}
    number_first = numbered(choice) and not multi
    for i, (option, keys) in enumerate(zip(choice.options, option_keys(choice), strict=True)):
        chosen = option.code in chosen_codes
        mark = ("[x]" if chosen else "[ ]") if multi else ("(•)" if chosen else "( )")
        highlighted = multi and draft is not None and draft.option == i
        if number_first and option.label.startswith(keys[0]):  # "1 – CHR-CHU": its number is its key
            text.append(f"{mark} ", style="reverse" if highlighted else "")
            text.append(keys[0], style="bold underline")
            text.append(option.label[len(keys[0]) :], style="bold" if chosen else "")
        else:
            text.append(keys[0], style="bold underline")
            text.append(f" {mark} ", style="reverse" if highlighted else "")
            text.append(option.label, style="bold" if chosen else "")
        text.append("   " if inline else "\n")
    text.rstrip()
    if draft is not None and numbered(choice) and draft.text and not draft.fresh:
        text.append(f"\nsaisi : {draft.text}… (Entrée pour valider)", style="italic")
    return text


def render_field(field: Field, value: Value, draft: Draft | None) -> Text:
    """The box of `field`: `draft` is given when the cursor is on it."""
    choice = choices_of(field)
    if choice is not None:
        return render_choice(choice, value, isinstance(field.type, MultiChoiceType), draft)
    t = field.type
    width = (t.digits + (t.decimals + 1 if t.decimals else 0)) if isinstance(t, NumberType) else TEXT_BOX
    if draft is None:
        return _line_box(draft_text(field, value), None, width)
    return _line_box(draft.text, draft.cursor, width)


class FieldBox(Static):
    """The answer box of one field."""

    def __init__(self, field: Field, value: Value) -> None:
        super().__init__(render_field(field, value, None), id=widget_id(field.name), classes="answer")
        self.field = field
        self.set_class(isinstance(field.type, ChoiceType | MultiChoiceType), "-choice")

    def show(self, value: Value, draft: Draft | None) -> None:
        self.set_class(draft is not None, "-current")
        self.update(render_field(self.field, value, draft))
