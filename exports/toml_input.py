"""TOML text to data with tomllib, every failure a French message placed in the file.

tomllib raises more than TOMLDecodeError on hostile input: RecursionError for arrays nested a
few hundred deep, ValueError for an integer of more than 4,300 digits. Both become messages
here, and what tomllib accepts is then refused if nested deeper than any answers or results
file needs, so the code that walks the data never meets a pathological shape.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import rtoml
import tomli

from bilan.common.errors import UserError

MAX_DEPTH = 12  # a results file nests 6 levels (declaration.resultats.indicateurs.X.sous_totaux...)

# tomllib's messages, in the user's language; others are shown as tomllib words them. The caret
# under the place shows the key or character concerned; `{rest}` keeps what tomllib adds (the
# character refused).
_TOML_MESSAGES = (
    ("Invalid value", "valeur invalide (texte entre guillemets, nombre, [liste] ou {table} attendu)"),
    ("Expected ']' at the end of a table declaration", "« ] » attendu à la fin du nom de section"),
    ("Expected ']]' at the end of an array declaration", "« ]] » attendu à la fin du nom de section"),
    ("Expected '=' after a key in a key/value pair", "« = » attendu après le nom de la question"),
    ("Expected newline or end of document after a statement", "fin de ligne attendue après la valeur"),
    ("Cannot overwrite a value", "cette clé a déjà une valeur plus haut dans le fichier"),
    ("Illegal character '\\n'", "texte non fermé : guillemet manquant avant la fin de la ligne"),
    ("Illegal character", "caractère interdit{rest}"),
    ("Found invalid character", "caractère interdit{rest}"),
    ("Unterminated string", "texte non fermé : guillemet manquant"),
    ("Unescaped '\\' in a string", "« \\ » seul dans un texte entre guillemets : l’écrire « \\\\ »"),
    ("Invalid hex value", "code hexadécimal invalide après \\u ou \\U"),
    ("Escaped character is not a Unicode scalar value", "le caractère désigné après \\u ou \\U n’existe pas"),
    ("Invalid date or datetime", "date ou heure invalide"),
    ("Unclosed array", "liste non fermée : « ] » manquant"),
    ("Unclosed inline table", "table { … } non fermée : « } » manquant"),
    (
        "Invalid initial character for a key part",
        "nom attendu (lettres, chiffres, « _ », « - », ou entre guillemets) ; une table { … } tient sur"
        " une ligne, sans virgule après sa dernière valeur",
    ),
    ("Duplicate inline table key", "nom donné deux fois dans la même table { … }"),
    ("Cannot declare", "section déclarée deux fois"),
    ("Cannot redefine namespace", "section déjà définie plus haut sous une autre forme"),
    ("Cannot mutate immutable namespace", "une table { … } ou une liste déjà écrite ne peut pas être complétée"),
    ("Invalid statement", "ligne invalide (attendu : [section] ou nom = valeur)"),
)
_LONG_DIGITS = re.compile("[0-9_]{4301,}")
# hh:mm not followed by seconds (a TOML 1.1 time), found from its colon (a fast literal search)
_SHORT_TIME = re.compile(r":(?<=[0-9]{2}:)(?<![:0-9][0-9]{2}:)[0-9]{2}(?![:0-9])")
_WINDOW = 70  # characters of a long source line shown around the error


def load_toml(text: str, filename: str) -> dict[str, Any]:
    """The data of a TOML document, or a UserError saying where and what is wrong.

    rtoml (Rust) reads an answers file five times as fast as tomli, with the same data, key order
    and types, for every document TOML 1.0 allows (the toml-test suite's 1.0 files agree with
    tomllib); it reads TOML 1.1, so a document that could use what 1.1 adds goes to tomli 2.2,
    compiled (mypyc), twice as fast as the standard library's pure-Python tomllib with the same
    TOML 1.0 grammar. A document either refuses (or rtoml cannot read: numbers beyond 64 bits
    or a double, nesting beyond its limit) is read again by the next, tomllib last, so that every
    message below is the standard library's, translated.
    """
    fast = (tomli.loads,) if _may_use_toml_1_1(text) else (rtoml.loads, tomli.loads)
    for read in fast:
        try:
            data: dict[str, Any] = read(text)
        except Exception:
            continue
        return _checked_depth(data, filename)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(_syntax_message(filename, text, exc)) from None
    except RecursionError:
        raise UserError(
            f"{filename}: TOML invalide : listes ou tables imbriquées trop profondément (au plus {MAX_DEPTH} niveaux)"
        ) from None
    except ValueError:  # int() refuses more than 4,300 digits
        raise UserError(
            _located(filename, text, _LONG_DIGITS.search(text), "nombre de plus de 4 300 chiffres")
        ) from None
    return _checked_depth(data, filename)


def _may_use_toml_1_1(text: str) -> bool:
    """Whether `text` could hold what rtoml (TOML 1.1) reads and TOML 1.0 refuses: inline tables
    (over several lines, with a trailing comma), \\x and \\e escapes, a byte-order mark, a carriage
    return outside CRLF, times without seconds. Any brace, backslash, lone CR or hh:mm without
    seconds counts, even inside a string: it only costs the slower reader."""
    if "{" in text or "\\" in text or "\ufeff" in text:
        return True
    if "\r" in text and "\r" in text.replace("\r\n", ""):
        return True
    return _SHORT_TIME.search(text) is not None


def _checked_depth(data: dict[str, Any], filename: str) -> dict[str, Any]:
    if _deeper_than_allowed(data):  # a quick pass over containers only; the path is sought only then
        where = _too_deep(data)
        raise UserError(f"{filename}: {where} : valeurs imbriquées sur plus de {MAX_DEPTH} niveaux")
    return data


def _deeper_than_allowed(data: dict[str, Any]) -> bool:
    """Whether some value lies deeper than MAX_DEPTH (a value inside a container at depth d is at
    depth d + 1), visiting containers only: every answers file read pays for this check."""
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(data, 0)]
    while stack:
        container, depth = stack.pop()
        if depth > MAX_DEPTH or (depth == MAX_DEPTH and container):
            return True
        for child in container.values() if isinstance(container, dict) else container:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def _too_deep(data: dict[str, Any]) -> str | None:
    """The key path of a value nested deeper than MAX_DEPTH, if any (iterative: no recursion)."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return None


def _located(filename: str, text: str, match: re.Match[str] | None, message: str) -> str:
    if match is None:
        return f"{filename}: TOML invalide : {message}"
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return _pointed(filename, text.splitlines()[line - 1], line, column, f"TOML invalide : {message}")


def _pointed(filename: str, source: str, line: int, column: int, message: str) -> str:
    """`file:line:col: message`, the source line (a window of it if long) and a caret."""
    start = 0
    if len(source) > _WINDOW:
        start = max(0, min(column - 1 - _WINDOW // 2, len(source) - _WINDOW))
        shown = (
            ("…" if start else "") + source[start : start + _WINDOW] + ("…" if start + _WINDOW < len(source) else "")
        )
        caret = column - start + (1 if start else 0)
    else:
        shown, caret = source, column
    return f"{filename}:{line}:{column}: {message}\n    {shown}\n    {' ' * (caret - 1)}^"


def _syntax_message(filename: str, text: str, exc: tomllib.TOMLDecodeError) -> str:
    msg = str(exc)
    line = col = None
    lines = text.splitlines()
    end = ""
    if msg.endswith("(at end of document)"):
        line = max(len(lines), 1)
        col = len(lines[-1]) + 1 if lines else 1
        msg, end = msg[: -len("(at end of document)")].strip(), " (fin du fichier atteinte)"
    elif "(at line " in msg:
        where = msg[msg.rindex("(at line ") + 9 :].rstrip(")")
        parts = where.replace("column ", "").split(", ")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            line, col = int(parts[0]), int(parts[1])
        msg = msg[: msg.rindex("(at line ")].strip()
    for english, french in _TOML_MESSAGES:
        if msg.startswith(english):
            msg = french.replace("{rest}", msg[len(english) :])
            break
    msg += end
    if line is None or col is None:
        return f"{filename}: TOML invalide : {msg}"
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return _pointed(filename, source, line, col, f"TOML invalide : {msg}")
