"""One widget per answer type, generated from a Field; each posts `Answered` with an engine value.

Field-level checks happen here (engine.answers.check_value); cross-question checks come from
the engine through the checks panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from bilan.engine.answers import check_value, expected
from bilan.engine.expr import Value, format_number
from bilan.engine.model import ChoiceType, Field, MultiChoiceType, NumberType, TextType

_NAMED_KEYS = {"oui": ("o", "y"), "non": ("n",), "sans_objet": ("s",), "non_concerne": ("s",)}
_POSITION_KEYS = "123456789abcdefghijklmopqrtuvwxz"


@dataclass
class Answered(Message):
    """A field got a new value (None: cleared); `advance` asks to move to the next field."""

    field: Field
    value: Value
    advance: bool = True


def numbered(ftype: ChoiceType) -> bool:
    """Options numbered as printed (categories 1 to 14): typed by their number."""
    return all(isinstance(o.code, int) for o in ftype.options)


def keys_for_code(ftype: ChoiceType, code: int) -> list[str]:
    """The keys that choose a numbered option: its digits, then Enter when a longer number
    starts with them (1 then Enter for category 1, since 10 to 14 also start with 1)."""
    text = str(code)
    longer = any(str(c) != text and str(c).startswith(text) for c in ftype.codes)
    return [*text, "enter"] if longer else list(text)


def option_keys(ftype: ChoiceType) -> list[tuple[str, ...]]:
    """Keys per option: o/y, n, s for yes/no/sans objet, the number of numbered options, else
    1-9 then letters by position."""
    if numbered(ftype):
        return [(str(o.code),) for o in ftype.options]
    if all(o.code in _NAMED_KEYS for o in ftype.options):
        return [_NAMED_KEYS[str(o.code)] for o in ftype.options]
    return [(_POSITION_KEYS[i],) for i in range(len(ftype.options))]


def show_value(field: Field, value: Value) -> str:
    """An answer as the paper form would print it."""
    if value is None:
        return "—"
    t = field.type
    if isinstance(t, ChoiceType):
        option = t.option(value)
        return option.label if option else str(value)
    if isinstance(t, MultiChoiceType):
        return ", ".join(o.label for o in t.choice.options if o.code in value) or "aucune"  # type: ignore[operator]
    if isinstance(t, NumberType):
        return format_number(value, t.decimals) + (f" {field.unit}" if field.unit else "")  # type: ignore[arg-type]
    return str(value)


# ↑/↓ move between questions; bound on the fields themselves, or the scrolling page that holds them
# would take the keys first and scroll under a focus that does not move.
FIELD_BINDINGS: list[BindingType] = [
    Binding("down", "screen.move(1)", "Question suivante", show=False),
    Binding("up", "screen.move(-1)", "Question précédente", show=False),
]


class ChoiceInput(Widget, can_focus=True):
    """Options on one line with their key; a key press answers and moves on."""

    DEFAULT_CSS = "ChoiceInput { height: auto; width: 1fr; }"
    BINDINGS: ClassVar[list[BindingType]] = FIELD_BINDINGS

    def __init__(self, field: Field, value: Value, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.field = field
        self.value = value
        ftype = field.type
        self.ftype = ftype.choice if isinstance(ftype, MultiChoiceType) else ftype
        assert isinstance(self.ftype, ChoiceType)
        self.multi = isinstance(ftype, MultiChoiceType)
        self.keys = option_keys(self.ftype)
        self.numbered = numbered(self.ftype) and not self.multi
        self.typed = ""  # digits typed so far for a numbered option

    def set_value(self, value: Value) -> None:
        self.value = value
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text()
        for option, keys in zip(self.ftype.options, self.keys, strict=True):
            chosen = (option.code in self.value) if self.multi and self.value else option.code == self.value
            mark = ("[x]" if chosen else "[ ]") if self.multi else ("(•)" if chosen else "( )")
            style = "bold reverse" if chosen else ""
            if self.numbered and option.label.startswith(keys[0]):  # "1 – CHR-CHU": the number is the key
                text.append(f"{mark} ")
                text.append(keys[0], style="bold underline" + (" reverse" if chosen else ""))
                text.append(option.label[len(keys[0]) :], style=style)
            else:
                text.append(f"{keys[0]}", style="bold underline")
                text.append(f" {mark} ")
                text.append(option.label, style=style)
            text.append("   " if not self.multi and len(self.ftype.options) <= 3 else "\n")
        text.rstrip()
        if self.typed:
            text.append(f"\nsaisi : {self.typed}… (Entrée pour valider)", style="italic")
        return text

    def _type_digit(self, event: events.Key) -> bool:
        """Numbered options: digits accumulate until they name one option (Enter if ambiguous)."""
        key = event.key
        if key == "backspace" and self.typed:
            self.typed = self.typed[:-1]
        elif key == "enter" and self.typed:
            code = int(self.typed)
            self.typed = ""
            if self.ftype.option(code) is not None:
                self.post_message(Answered(self.field, code))
        elif event.character is not None and event.character.isdigit():
            typed = self.typed + event.character
            if not any(str(c).startswith(typed) for c in self.ftype.codes):
                typed = event.character  # a fresh start
            matches = [c for c in self.ftype.codes if str(c).startswith(typed)]
            self.typed = typed if matches else ""
            if matches and matches == [int(typed)]:
                self.typed = ""
                self.post_message(Answered(self.field, int(typed)))
        else:
            return False
        event.stop()
        self.refresh(layout=True)
        return True

    def on_key(self, event: events.Key) -> None:
        key = (event.character or event.key or "").lower()
        if self.numbered and self._type_digit(event):
            return
        if event.key in ("backspace", "delete"):
            event.stop()
            self.post_message(Answered(self.field, None, advance=False))
            return
        if event.key == "space" and self.multi:
            event.stop()
            self.post_message(Answered(self.field, self.value, advance=True))
            return
        for option, keys in zip(self.ftype.options, self.keys, strict=True):
            if key in keys:
                event.stop()
                if self.multi:
                    current = set(self.value or ())  # type: ignore[call-overload]
                    current ^= {option.code}
                    self.post_message(Answered(self.field, frozenset(current) if current else None, advance=False))
                else:
                    self.post_message(Answered(self.field, option.code))
                return


def input_text(field: Field, value: Value) -> str:
    """What a text box shows for an answer: a number with its decimal comma, or the text."""
    if value is None:
        return ""
    t = field.type
    return format_number(value, t.decimals) if isinstance(t, NumberType) else str(value)  # type: ignore[arg-type]


def number_pattern(t: NumberType) -> str:
    """What may be typed: the digit count, one decimal separator if decimals are allowed."""
    whole = rf"\d{{0,{t.digits}}}"
    return rf"^{whole}([.,]\d{{0,{t.decimals}}})?$" if t.decimals else rf"^{whole}$"


class AnswerInput(Input):
    """A number or text box: checked when left (Enter, Tab, arrows), stored only if valid."""

    BINDINGS: ClassVar[list[BindingType]] = FIELD_BINDINGS

    def __init__(self, field: Field, value: Value, **kwargs: object) -> None:
        t = field.type
        self.field = field
        initial = input_text(field, value)
        restrict = number_pattern(t) if isinstance(t, NumberType) else None
        width = {"max_length": t.digits + t.decimals + 1} if isinstance(t, NumberType) else {}
        super().__init__(value=initial, restrict=restrict, placeholder=self._hint(t), **width, **kwargs)  # type: ignore[arg-type]
        self.committed = initial
        if isinstance(t, NumberType):
            self.styles.width = t.digits + t.decimals + 5

    @staticmethod
    def _hint(t: object) -> str:
        if isinstance(t, NumberType):
            return "9" * t.digits + ("," + "9" * t.decimals if t.decimals else "")
        assert isinstance(t, TextType)
        hints = {"courriel": "nom@domaine.fr", "telephone": "01 23 45 67 89", "finess": "9 caractères"}
        return hints.get(t.kind, "texte…")

    def set_value(self, value: Value) -> None:
        self.value = self.committed = input_text(self.field, value)

    def commit(self, advance: bool) -> bool:
        """Check the typed text; post it if it is a valid change. False if invalid."""
        text = self.value.strip()
        if not text:
            self.remove_class("-invalid")
            if self.committed:
                self.committed = ""
                self.post_message(Answered(self.field, None, advance=advance))
            elif advance:
                self.post_message(Answered(self.field, None, advance=True))
            return True
        value, problem = check_value(self.field.type, text)
        if problem:
            self.add_class("-invalid")
            hint = "" if "attendu" in problem else f" ; attendu : {expected(self.field.type)}"
            self.notify(problem + hint, severity="error", timeout=4)
            return False
        self.remove_class("-invalid")
        self.committed = text
        self.post_message(Answered(self.field, value, advance=advance))
        return True

    async def action_submit(self) -> None:
        self.commit(advance=True)

    def on_blur(self, event: events.Blur) -> None:
        if self.value.strip() != self.committed:
            self.commit(advance=False)


def make_input(field: Field, value: Value, disabled: bool = False) -> Widget:
    widget_id = "f-" + field.name.replace(".", "--")
    if isinstance(field.type, ChoiceType | MultiChoiceType):
        return ChoiceInput(field, value, id=widget_id, classes="answer")
    return AnswerInput(field, value, id=widget_id, classes="answer")


def widget_id(field_name: str) -> str:
    return "f-" + field_name.replace(".", "--")
