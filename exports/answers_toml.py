"""The answers file (TOML): read with tomli/tomllib and checked field by field; written in tomli-w's format.

Layout (see docs/answers-format.md):
    [bilan]              campagne = 2009 (optional; refused if another year)
    [<fiche>]            identification: [etablissement], [declarant]
    [reponses]           answers by question name; rows and grids as sub-tables
    [<données>]          external data blocks: [sae], [sarm_2007], ...
    [justifications]     warning name = "justification"
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import tomli

from bilan.engine.answers import check_value, expected, raw_value
from bilan.engine.model import Campaign, Field, TextType
from bilan.engine.result import Declaration
from bilan.exports import toml_writer

ANSWERS = "reponses"
JUSTIFICATIONS = "justifications"
HEADER = "bilan"


@attrs.frozen
class Problem:
    path: str
    message: str

    def render(self, filename: str) -> str:
        return f"{filename}: {self.path} : {self.message}"


class AnswersError(Exception):
    """An answers file that cannot be used as it is; lists every problem found."""

    def __init__(self, filename: str, problems: list[Problem], syntax: str | None = None) -> None:
        self.filename = filename
        self.problems = problems
        self.syntax = syntax
        super().__init__(self.render())

    def render(self) -> str:
        if self.syntax:
            return self.syntax
        return "\n".join(p.render(self.filename) for p in self.problems)


def read_answers(path: str | Path, campaign: Campaign) -> Declaration:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnswersError(str(path), [], f"{path}: fichier introuvable") from None
    except UnicodeDecodeError:
        raise AnswersError(str(path), [], f"{path}: le fichier n’est pas en UTF-8") from None
    except OSError as exc:
        raise AnswersError(str(path), [], f"{path}: lecture impossible ({exc.strerror})") from None
    return parse_answers(text, campaign, str(path))


def parse_answers(text: str, campaign: Campaign, filename: str = "<réponses>") -> Declaration:
    return declaration_from_dict(_load(text, filename), campaign, filename)


def _load(text: str, filename: str) -> dict[str, Any]:
    """tomli 2.2, compiled (mypyc), reads twice as fast as the standard library's pure-Python
    tomllib with the same TOML 1.0 grammar; a file it refuses is read again by tomllib, so the
    message translated below is always the standard library's."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        pass
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnswersError(filename, [], _syntax_message(filename, text, exc)) from None


def read_declarations(path: str | Path, campaign: Campaign) -> list[tuple[str, Declaration]]:
    """An answers file, or a results file of `bilan score --format toml` (one entry per
    declaration, read back from its answers; its recorded results are ignored)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return [(str(path), read_answers(path, campaign))]
    data = _load(text, str(path))
    entries = data.get("declaration")
    if "questionnaire" not in data or not isinstance(entries, list):
        return [(str(path), declaration_from_dict(data, campaign, str(path)))]
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise AnswersError(str(path), [Problem(f"declaration[{i}]", "une table est attendue")])
        name = str(entry.get("fichier", f"{path}#{i + 1}"))
        answers = {k: v for k, v in entry.items() if k not in ("fichier", "resultats")}
        out.append((name, declaration_from_dict(answers, campaign, f"{path}: declaration[{i}]")))
    return out


# tomllib's messages, in the user's language; others are shown as tomllib words them.
_TOML_MESSAGES = (
    ("Invalid value", "valeur invalide (texte entre guillemets, nombre, [liste] ou {table} attendu)"),
    ("Expected ']' at the end of a table declaration", "« ] » attendu à la fin du nom de section"),
    ("Expected '=' after a key in a key/value pair", "« = » attendu après le nom de la question"),
    ("Cannot overwrite a value", "cette clé a déjà une valeur plus haut dans le fichier"),
    ("Illegal character '\\n'", "texte non fermé : guillemet manquant avant la fin de la ligne"),
    ("Unclosed array", "liste non fermée : « ] » manquant"),
    ("Cannot declare", "section déclarée deux fois"),
)


def _syntax_message(filename: str, text: str, exc: tomllib.TOMLDecodeError) -> str:
    msg = str(exc)
    line = col = None
    lines = text.splitlines()
    if msg.endswith("(at end of document)"):
        line = max(len(lines), 1)
        col = len(lines[-1]) + 1 if lines else 1
        msg = msg[: -len("(at end of document)")].strip() + " (fin du fichier atteinte)"
    elif "(at line " in msg:
        where = msg[msg.rindex("(at line ") + 9 :].rstrip(")")
        parts = where.replace("column ", "").split(", ")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            line, col = int(parts[0]), int(parts[1])
        msg = msg[: msg.rindex("(at line ")].strip()
    for english, french in _TOML_MESSAGES:
        if msg.startswith(english):
            msg = french + msg[len(english) :]
            break
    if line is None:
        return f"{filename}: TOML invalide : {msg}"
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"{filename}:{line}:{col}: TOML invalide : {msg}\n    {src}\n    {' ' * ((col or 1) - 1)}^"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


@attrs.frozen
class _Layout:
    """Where each key of an answers file belongs, computed once per campaign."""

    fiches: dict[str, dict[str, Field]]
    data_blocks: dict[str, dict[str, Field]]
    questions: dict[str, Field]
    warnings: frozenset[str]


@cache
def _layout(campaign: Campaign) -> _Layout:
    return _Layout(
        {s.name: {f.name: f for f in s.fields()} for s in campaign.fiches},
        {s.name: {f.name: f for f in s.fields()} for s in campaign.data_blocks},
        {f.name: f for s in campaign.chapters for f in s.fields()},
        frozenset(c.name for c in campaign.checks if c.severity == "avertissement"),
    )


def declaration_from_dict(data: dict[str, Any], campaign: Campaign, filename: str) -> Declaration:
    problems: list[Problem] = []
    answers: dict[str, Any] = {}
    blocks: set[str] = set()
    justifications: dict[str, str] = {}
    layout = _layout(campaign)
    fiches, data_blocks, question_fields, warnings = (
        layout.fiches,
        layout.data_blocks,
        layout.questions,
        layout.warnings,
    )

    def take(table: Any, path: str, known: dict[str, Field], key_prefix: str) -> None:
        if not isinstance(table, dict):
            problems.append(Problem(path, "une table [..] est attendue"))
            return
        for key, raw in _flatten(table).items():
            field = known.get(key_prefix + key)
            if field is None:
                problems.append(Problem(f"{path}.{key}", _unknown(key, known, key_prefix)))
                continue
            value, problem = check_value(field.type, raw)
            if problem and isinstance(field.type, TextType) and field.type.kind != "texte":
                problems.append(Problem(f"{path}.{key}", problem))
            elif problem:
                problems.append(Problem(f"{path}.{key}", f"{problem} ; attendu : {expected(field.type)}"))
            else:
                answers[field.name] = value

    for section, table in data.items():
        if section == HEADER:
            year = table.get("campagne") if isinstance(table, dict) else None
            if year is not None and str(year) != str(campaign.year):
                problems.append(
                    Problem(
                        f"{HEADER}.campagne",
                        f"réponses de la campagne {year}, questionnaire de la campagne {campaign.year}",
                    )
                )
        elif section in fiches:
            take(table, section, fiches[section], "")
        elif section == ANSWERS:
            take(table, section, question_fields, "")
        elif section in data_blocks:
            blocks.add(section)
            take(table, section, data_blocks[section], f"{section}.")
        elif section == JUSTIFICATIONS:
            if not isinstance(table, dict):
                problems.append(Problem(section, "une table [justifications] est attendue"))
                continue
            for name, text in table.items():
                if name not in warnings:
                    problems.append(
                        Problem(f"{section}.{name}", f"« {name} » n’est pas un avertissement du questionnaire")
                    )
                elif not isinstance(text, str):
                    problems.append(Problem(f"{section}.{name}", "un texte est attendu"))
                else:
                    justifications[name] = text
        else:
            known = [HEADER, *fiches, ANSWERS, *data_blocks, JUSTIFICATIONS]
            problems.append(Problem(section, f"section inconnue ; sections possibles : {', '.join(known)}"))
    if problems:
        raise AnswersError(filename, problems)
    return Declaration(answers, frozenset(blocks), justifications)


def _unknown(key: str, known: dict[str, Field], prefix: str) -> str:
    import difflib

    names = [k[len(prefix) :] for k in known]
    close = difflib.get_close_matches(key, names, n=1)
    hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    return f"question inconnue « {key} »{hint}"


@attrs.frozen
class _Sections:
    """Where each field goes in an answers file, in the campaign's order, computed once per campaign:
    (section, fields with the key path under the section)."""

    fiches: tuple[tuple[str, tuple[tuple[Field, str], ...]], ...]
    answers: tuple[tuple[Field, tuple[str, ...]], ...]
    data_blocks: tuple[tuple[str, tuple[tuple[Field, str], ...]], ...]


@cache
def _sections(campaign: Campaign) -> _Sections:
    return _Sections(
        tuple((s.name, tuple((f, f.name) for f in s.fields())) for s in campaign.fiches),
        tuple((f, tuple(f.name.split("."))) for s in campaign.chapters for f in s.fields()),
        tuple((s.name, tuple((f, f.name.split(".", 1)[1]) for f in s.fields())) for s in campaign.data_blocks),
    )


def declaration_to_dict(declaration: Declaration, campaign: Campaign) -> dict[str, Any]:
    """The inverse of declaration_from_dict: what an answers file holds."""
    given = declaration.answers
    layout = _sections(campaign)
    out: dict[str, Any] = {HEADER: {"campagne": campaign.year}}
    for name, fields in layout.fiches:
        table = {key: raw_value(f.type, v) for f, key in fields if (v := given.get(f.name)) is not None}
        if table:
            out[name] = table
    answers: dict[str, Any] = {}
    for f, path in layout.answers:
        v = given.get(f.name)
        if v is not None:
            _nest(answers, path, raw_value(f.type, v))
    out[ANSWERS] = answers
    for name, fields in layout.data_blocks:
        if name in declaration.blocks:
            out[name] = {key: raw_value(f.type, v) for f, key in fields if (v := given.get(f.name)) is not None}
    if declaration.justifications:
        out[JUSTIFICATIONS] = dict(declaration.justifications)
    return out


def _nest(table: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        table = table.setdefault(key, {})
    table[path[-1]] = value


def dumps_declaration(declaration: Declaration, campaign: Campaign) -> str:
    return toml_writer.dumps(declaration_to_dict(declaration, campaign))
