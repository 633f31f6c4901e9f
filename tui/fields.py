"""How one answer box is drawn: from the stored answer or, under the cursor, from what is being typed.

An empty box looks empty (no sample value inside); the expected format is printed beside it.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from bilan.engine.answers import expected
from bilan.engine.expr import Value
from bilan.engine.model import ChoiceType, Field, MultiChoiceType, NumberType, TextType
from bilan.entry.keystrokes import Draft, choices_of, draft_text, numbered, option_keys

TEXT_BOX = 24  # columns of an empty text box
_TEXT_HINTS = {"courriel": "nom@domaine.fr", "telephone": "10 chiffres", "finess": "9 caractères"}


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


class Options:
    """Options laid out in the width the terminal gives them: several to a line when they are short,
    one per line otherwise; an option's key, mark and label always start on the same line."""

    GAP = "   "

    def __init__(self, items: list[Text], inline: bool) -> None:
        self.items = items
        self.inline = inline

    @property
    def plain(self) -> str:
        return (self.GAP if self.inline else "\n").join(item.plain for item in self.items)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((len(item) for item in self.items), default=0)
        return Measurement(widest, len(self.plain) if self.inline else widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = Text()
        for item in self.items:
            if line and (not self.inline or len(line) + len(self.GAP) + len(item) > width):
                yield line
                line = Text()
            if line:
                line.append(self.GAP)
            line.append_text(item)
        if line:
            yield line


def choice_items(choice: ChoiceType, value: Value, multi: bool, draft: Draft | None) -> list[Text]:
    """One text per option: « o (•) Oui », « ( ) 1 – CHR-CHU » (the number of a numbered option is its key)."""
    items = []
    chosen_codes = value if isinstance(value, frozenset) else {value}
    number_first = numbered(choice) and not multi
    for i, (option, keys) in enumerate(zip(choice.options, option_keys(choice), strict=True)):
        chosen = option.code in chosen_codes
        mark = ("[x]" if chosen else "[ ]") if multi else ("(•)" if chosen else "( )")
        highlighted = multi and draft is not None and draft.option == i
        item = Text()
        if number_first and option.label.startswith(keys[0]):
            item.append(mark, style="reverse" if highlighted else "")
            item.append(" ")
            item.append(keys[0], style="bold underline")
            item.append(option.label[len(keys[0]) :], style="bold" if chosen else "")
        else:
            item.append(keys[0], style="bold underline")
            item.append(" ")
            item.append(mark, style="reverse" if highlighted else "")
            item.append(" ")
            item.append(option.label, style="bold" if chosen else "")
        items.append(item)
    return items


def render_choice(choice: ChoiceType, value: Value, multi: bool, draft: Draft | None) -> RenderableType:
    """The options with their keys, and the digits typed so far for a numbered option."""
    inline = not multi and len(choice.options) <= 3 and all(len(o.label) <= 24 for o in choice.options)
    options = Options(choice_items(choice, value, multi, draft), inline)
    if draft is not None and numbered(choice) and draft.text and not draft.fresh:
        return Group(options, Text(f"saisi : {draft.text}… (Entrée pour valider)", style="italic"))
    return options


def render_field(field: Field, value: Value, draft: Draft | None) -> RenderableType:
    """The box of `field`: `draft` is given when the cursor is on it."""
    choice = choices_of(field)
    if choice is not None:
        return render_choice(choice, value, isinstance(field.type, MultiChoiceType), draft)
    t = field.type
    width = (t.digits + (t.decimals + 1 if t.decimals else 0)) if isinstance(t, NumberType) else TEXT_BOX
    if draft is None:
        return _line_box(draft_text(field, value), None, width)
    return _line_box(draft.text, draft.cursor, width)


def empty_box(field: Field) -> str:
    """The plain text of a field's empty box, to measure it (its widest line)."""
    choice = choices_of(field)
    if choice is not None:
        return Options(choice_items(choice, None, isinstance(field.type, MultiChoiceType), None), False).plain
    rendered = render_field(field, None, None)
    return rendered.plain if isinstance(rendered, Text) else ""
