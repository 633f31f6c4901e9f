"""What one key does to the field under the cursor: edit what is being typed, store an answer, move.

Key names are the terminal's (as Textual names them): "enter", "tab", "shift+tab", "up", "down",
"left", "right", "home", "end", "backspace", "delete", "ctrl+u", "space", and the character typed.
A key a field cannot take is refused with a message saying what the field expects; nothing is
ever truncated or stored silently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from fractions import Fraction

import attrs

from bilan.engine.answers import check_value, expected, ungrouped
from bilan.engine.expr import Value, format_number
from bilan.engine.model import ChoiceType, Field, MultiChoiceType, NumberType

NEXT_KEYS = frozenset({"enter", "tab", "down"})
PREVIOUS_KEYS = frozenset({"shift+tab", "up"})
TEXT_LIMIT = 300  # characters of a text answer (names, addresses, e-mails are far shorter)
DIGITS = "0123456789"  # ASCII only: "²" or "٧" are digits to Python, not to a number field

_NAMED_KEYS = {"oui": ("o", "y"), "non": ("n",), "sans_objet": ("s",), "non_concerne": ("s",)}
_POSITION_KEYS = "123456789abcdefghiklmpqrtuvwxz"  # no j (justify), n, o, s, y (named answers)


def numbered(ftype: ChoiceType) -> bool:
    """Options numbered as printed (categories 1 to 14): typed by their number."""
    return all(isinstance(o.code, int) for o in ftype.options)


def option_keys(ftype: ChoiceType) -> list[tuple[str, ...]]:
    """Keys per option: o/y, n, s for yes/no/sans objet, the number of numbered options, else
    1-9 then letters by position."""
    if numbered(ftype):
        return [(str(o.code),) for o in ftype.options]
    if all(o.code in _NAMED_KEYS for o in ftype.options):
        return [_NAMED_KEYS[str(o.code)] for o in ftype.options]
    return [(_POSITION_KEYS[i],) for i in range(len(ftype.options))]


def keys_for_code(ftype: ChoiceType, code: int) -> list[str]:
    """The keys that choose a numbered option: its digits, then Enter when a longer number
    starts with them (1 then Enter for category 1, since 10 to 14 also start with 1)."""
    text = str(code)
    longer = any(str(c) != text and str(c).startswith(text) for c in ftype.codes)
    return [*text, "enter"] if longer else list(text)


def choices_of(field: Field) -> ChoiceType | None:
    t = field.type
    return t.choice if isinstance(t, MultiChoiceType) else t if isinstance(t, ChoiceType) else None


def draft_text(field: Field, value: Value) -> str:
    """What a number or text field shows for a stored answer: a number with its decimal comma, or the text."""
    if value is None:
        return ""
    t = field.type
    if isinstance(t, NumberType) and isinstance(value, Fraction | int):
        return format_number(Fraction(value), t.decimals)
    return str(value)


# ----------------------------------------------------------------------------- drafts and actions


@attrs.frozen
class Draft:
    """What is being typed in the field under the cursor, before it is stored.

    `fresh`: the draft shows the stored answer, and the first character typed replaces it (as a
    selected field does). `option`: the highlighted option of a multiple choice (Space toggles it).
    """

    text: str = ""
    cursor: int = 0
    fresh: bool = True
    option: int = 0

    @classmethod
    def of(cls, field: Field, value: Value) -> Draft:
        text = draft_text(field, value)
        return cls(text, len(text))


@attrs.frozen
class Edit:
    """The draft changed; nothing is stored yet."""

    draft: Draft


@attrs.frozen
class Commit:
    """Store `value` (None clears the answer), then move `step` fields (0: stay)."""

    value: Value
    step: int


@attrs.frozen
class Move:
    """Nothing to store: move `step` fields."""

    step: int


@attrs.frozen
class Refuse:
    """The key cannot be taken; `message` says what the field expects."""

    message: str


Action = Edit | Commit | Move | Refuse


def printable(char: str) -> bool:
    """A character a person types as text: no control character, no invisible bidi override."""
    return char == " " or (len(char) == 1 and unicodedata.category(char)[0] not in "CZ")


def pasted_keys(text: str, number: bool = False) -> list[tuple[str, str]] | str:
    """The keys a paste stands for, typed one by one (key name, character); or why the whole paste
    is refused. A line copied with its end of line (a spreadsheet's cell) loses it; no-break
    spaces (from a word processor or a French spreadsheet) are spaces, and a number's spaces
    between thousands go (« 1 250 » into a number box); any other character a person cannot type
    as text (a tab, an escape sequence, a bell) refuses it all: pasted text never drives the app."""
    text = text.rstrip("\r\n").replace("\u00a0", " ").replace("\u202f", " ")
    if number:
        text = ungrouped(text) or text
    for at, char in enumerate(text, start=1):
        if not printable(char):
            return (
                f"collage refusé : caractère non imprimable U+{ord(char):04X} en position {at} "
                "(une seule ligne de texte imprimable se colle)"
            )
    return [("space" if char == " " else char, char) for char in text]


def settle(field: Field, stored: Value, draft: Draft, step: int) -> Action:
    """Leaving a number or text field: store what was typed if it changed and is valid."""
    text = draft.text.strip()
    if text == draft_text(field, stored):
        return Move(step)
    if not text:
        return Commit(None, step)
    value, problem = check_value(field.type, text)
    if problem:
        hint = "" if "attendu" in problem else f" ; attendu : {expected(field.type)}"
        return Refuse(problem + hint)
    return Commit(value, step)


def press(field: Field, stored: Value, draft: Draft, key: str, char: str | None) -> Action | None:
    """What `key` does to `field` (stored answer `stored`, typed so far `draft`); None if not a field key."""
    choice = choices_of(field)
    if choice is not None:
        if isinstance(field.type, MultiChoiceType):
            return _multi(choice, stored, draft, key, char)
        if numbered(choice):
            return _numbered(choice, draft, key, char)
        return _choice(choice, key, char)
    if key in NEXT_KEYS or key in PREVIOUS_KEYS:
        return settle(field, stored, draft, 1 if key in NEXT_KEYS else -1)
    return _edit(field, draft, key, char)


# ----------------------------------------------------------------------------- choices


def _options_hint(choice: ChoiceType) -> str:
    keys = option_keys(choice)
    return ", ".join(f"{k[0]} {o.label}" for o, k in zip(choice.options, keys, strict=True))


def _choice(choice: ChoiceType, key: str, char: str | None) -> Action | None:
    if key in NEXT_KEYS:
        return Move(1)
    if key in PREVIOUS_KEYS:
        return Move(-1)
    if key in ("backspace", "delete"):
        return Commit(None, 0)
    typed = (char or "").lower()
    for option, keys in zip(choice.options, option_keys(choice), strict=True):
        if typed and typed in keys:
            return Commit(option.code, 1)
    if char is not None and printable(char):
        return Refuse(f"« {char} » : réponses possibles : {_options_hint(choice)}")
    return None


def _numbered(choice: ChoiceType, draft: Draft, key: str, char: str | None) -> Action | None:
    """Numbered options: digits accumulate until they name one option (Enter if a longer one starts so)."""
    typed = draft.text if not draft.fresh else ""
    if key in NEXT_KEYS and typed:
        code = int(typed)
        if choice.option(code) is None:
            return Refuse(f"« {typed} » : aucune réponse n’a ce numéro ; {expected(choice)}")
        return Commit(code, 1)
    if key in NEXT_KEYS:
        return Move(1)
    if key in PREVIOUS_KEYS:
        return Move(-1)
    if key == "backspace" and typed:
        return Edit(Draft(typed[:-1], len(typed) - 1, fresh=False))
    if key in ("backspace", "delete"):
        return Commit(None, 0)
    if char is not None and len(char) == 1 and char in DIGITS:
        candidate = typed + char
        if not any(str(c).startswith(candidate) for c in choice.codes):
            candidate = char  # no option starts so: a fresh start with this digit
        matches = [c for c in choice.codes if str(c).startswith(candidate)]
        if not matches:
            return Refuse(f"« {char} » : aucune réponse n’a ce numéro ; {expected(choice)}")
        if matches == [int(candidate)]:
            return Commit(int(candidate), 1)
        return Edit(Draft(candidate, len(candidate), fresh=False))
    if char is not None and printable(char):
        return Refuse(f"« {char} » : tapez le numéro de la réponse ({expected(choice)})")
    return None


def _multi(choice: ChoiceType, stored: Value, draft: Draft, key: str, char: str | None) -> Action | None:
    """Multiple choice: an option's key (or Space on the highlighted one) ticks or unticks it; Enter moves on."""
    if key in NEXT_KEYS:
        return Move(1)
    if key in PREVIOUS_KEYS:
        return Move(-1)
    if key in ("left", "right"):
        index = (draft.option + (1 if key == "right" else -1)) % len(choice.options)
        return Edit(attrs.evolve(draft, option=index))
    if key in ("backspace", "delete"):
        return Commit(None, 0)
    current = set(stored) if isinstance(stored, frozenset) else set()
    code: str | int | None = None
    if key == "space":
        code = choice.options[draft.option].code
    else:
        typed = (char or "").lower()
        code = next(
            (o.code for o, keys in zip(choice.options, option_keys(choice), strict=True) if typed in keys), None
        )
    if code is None:
        if char is not None and printable(char):
            return Refuse(f"« {char} » : cochez avec {_options_hint(choice)} ; Entrée passe à la suite")
        return None
    current ^= {code}
    return Commit(frozenset(current) if current else None, 0)


# ----------------------------------------------------------------------------- numbers and texts


def edit_line(draft: Draft, key: str, char: str | None, check: Callable[[str, str], str | None]) -> Action | None:
    """Line editing of a draft (cursor, Retour arrière, Suppr, ctrl+u to clear); `check(char, candidate)`
    says why a typed character (`""` for one erased) cannot be taken, if it cannot."""
    text, at = draft.text, draft.cursor
    if key == "ctrl+u":
        return Edit(Draft(fresh=False))
    if key in ("backspace", "delete"):
        if key == "backspace" and not at:
            return Edit(attrs.evolve(draft, fresh=False))
        start = at - 1 if key == "backspace" else at
        erased = Draft(text[:start] + text[start + 1 :], start, fresh=False)
        # erasing may make what is left impossible too: a decimal comma erased in « 987654,32 »
        problem = check("", erased.text) if erased.text and erased.text != text else None
        if problem:
            return Refuse(f"{_ERASING[key]} refusé : {erased.text} — {problem}")
        return Edit(erased)
    moves = {"left": max(at - 1, 0), "right": min(at + 1, len(text)), "home": 0, "end": len(text)}
    if key in moves:
        return Edit(Draft(text, moves[key], fresh=False))
    if char is None or not printable(char):
        return None
    if draft.fresh:
        text, at = "", 0
    candidate = text[:at] + char + text[at:]
    problem = check(char, candidate)
    if problem:
        return Refuse(f"« {char} » refusé : {problem}")
    return Edit(Draft(candidate, at + 1, fresh=False))


_ERASING = {"backspace": "Retour arrière", "delete": "Suppr"}


def text_limit(char: str, candidate: str) -> str | None:
    return f"{TEXT_LIMIT} caractères au plus" if len(candidate) > TEXT_LIMIT else None


def _edit(field: Field, draft: Draft, key: str, char: str | None) -> Action | None:
    t = field.type
    if isinstance(t, NumberType):
        return edit_line(draft, key, char, lambda c, candidate: _number_problem(t, c, candidate))
    return edit_line(draft, key, char, text_limit)


def _number_problem(t: NumberType, char: str, candidate: str) -> str | None:
    """Why `candidate` (the draft with `char` just typed, or with a character erased: `char` is
    then empty) cannot become a number of type `t`."""
    separators = ",."
    if char and char not in DIGITS and char not in separators:
        return "chiffres seulement" + (" (virgule pour les décimales)" if t.decimals else "")
    if char and char in separators and not t.decimals:
        return "nombre entier : pas de décimales"
    whole, _, decimals = candidate.replace(".", ",").partition(",")
    if "," in decimals:
        return "une seule virgule"
    if len(whole) > t.digits:
        where = " avant la virgule" if t.decimals else ""
        return f"{t.digits} chiffre{'s' if t.digits > 1 else ''} au plus{where} ({expected(t)})"
    if len(decimals) > t.decimals:
        return f"{t.decimals} décimale{'s' if t.decimals > 1 else ''} au plus"
    # Only the upper bound is known while typing: more digits never make a number smaller.
    if Fraction(f"{whole or 0}.{decimals or 0}") > t.upper:
        return expected(t)
    return None
