"""The answers file (TOML): read with tomli/tomllib and checked field by field; written in tomli-w's format.

Layout (see docs/answers-format.md):
    [bilan]              campagne = 2009 (optional; refused if another year, or not an integer)
    [<fiche>]            identification: [etablissement], [declarant]
    [reponses]           answers by question name; rows and grids as sub-tables
    [<données>]          external data blocks: [sae], [sarm_2007], ...
    [justifications]     warning name = "justification"
    [etat]               validation and data blocks' sources (exports.state_toml)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any

import attrs

from bilan.common.errors import UserError
from bilan.common.inputs import read_text
from bilan.engine.answers import check_value, expected, raw_value, shown
from bilan.engine.declaration_state import DeclarationState
from bilan.engine.identifiers import control_problem
from bilan.engine.model import Campaign, Field, TextType
from bilan.engine.result import Declaration
from bilan.exports import toml_writer
from bilan.exports.state_toml import STATE, state_from_dict, state_to_dict
from bilan.exports.toml_input import load_toml

ANSWERS = "reponses"
JUSTIFICATIONS = "justifications"
HEADER = "bilan"


@attrs.frozen
class Problem:
    path: str
    message: str

    def render(self, filename: str) -> str:
        return f"{filename}: {shown(self.path, 100)} : {self.message}"


MAX_PROBLEMS = 50  # listed; a file of a million unknown keys is reported in a page, counted whole


class AnswersError(Exception):
    """An answers file that cannot be used as it is; lists its first MAX_PROBLEMS problems and
    counts the others (`more`)."""

    def __init__(self, filename: str, problems: list[Problem], syntax: str | None = None, more: int = 0) -> None:
        self.filename = filename
        self.problems = problems
        self.syntax = syntax
        self.more = more
        super().__init__(self.render())

    def render(self) -> str:
        if self.syntax:
            return self.syntax
        lines = [p.render(self.filename) for p in self.problems]
        if self.more:
            total = len(self.problems) + self.more
            lines.append(f"{self.filename}: … et {self.more} autre(s) problème(s), {total} en tout")
        return "\n".join(lines)


def _read(path: Path) -> str:
    try:
        return read_text(path)
    except UserError as exc:
        raise AnswersError(str(path), [], exc.message) from None


def _load(text: str, filename: str) -> dict[str, Any]:
    try:
        return load_toml(text, filename)
    except UserError as exc:
        raise AnswersError(filename, [], exc.message) from None


def read_answers(path: str | Path, campaign: Campaign) -> Declaration:
    path = Path(path)
    return parse_answers(_read(path), campaign, str(path))


def parse_answers(text: str, campaign: Campaign, filename: str = "<réponses>") -> Declaration:
    return declaration_from_dict(_load(text, filename), campaign, filename)


def read_declarations(path: str | Path, campaign: Campaign) -> list[tuple[str, Declaration]]:
    """An answers file, or a results file of `bilan score --format toml` (one entry per
    declaration, read back from its answers; its recorded results are ignored, but its campaign
    year must be the questionnaire's)."""
    path = Path(path)
    data = _load(_read(path), str(path))
    entries = data.get("declaration")
    if "questionnaire" not in data or not isinstance(entries, list):
        return [(str(path), declaration_from_dict(data, campaign, str(path)))]
    problem = _year_problem(data["questionnaire"], "questionnaire", "résultats", campaign)
    if problem is not None:
        raise AnswersError(str(path), [problem])
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise AnswersError(str(path), [Problem(f"declaration[{i}]", "une table est attendue")])
        name = str(entry.get("fichier", f"{path}#{i + 1}"))
        answers = {k: v for k, v in entry.items() if k not in ("fichier", "resultats")}
        out.append((name, declaration_from_dict(answers, campaign, f"{path}: declaration[{i}]")))
    return out


def _year_problem(table: object, section: str, what: str, campaign: Campaign) -> Problem | None:
    """The campaign year of a [bilan] or [questionnaire] table, if it is not the questionnaire's."""
    if not isinstance(table, dict):
        return Problem(section, f"une table est attendue : [{section}] puis campagne = {campaign.year}")
    year = table.get("campagne")
    if year is None or (year == campaign.year and type(year) is int):
        return None
    if type(year) is not int:
        how = "en chiffres, sans guillemets" if isinstance(year, str) else "en nombre entier"
        return Problem(
            f"{section}.campagne",
            f"« {shown(year)} » : l’année s’écrit {how} ; attendu : campagne = {campaign.year}",
        )
    return Problem(f"{section}.campagne", f"{what} de la campagne {year}, questionnaire de la campagne {campaign.year}")


def _entries(
    table: dict[str, Any], known: dict[str, Field], key_prefix: str, prefix: str = ""
) -> Iterator[tuple[str, Any]]:
    """(dotted key, value) pairs of a section: sub-tables are opened down to a known field or a
    leaf, so a table given where a field expects a value is reported on that field."""
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and key_prefix + name not in known:
            yield from _entries(value, known, key_prefix, name + ".")
        else:
            yield name, value


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


class _Reader:
    """One pass over the sections of an answers file: the answers, and every problem found."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.layout = _layout(campaign)
        self.problems: list[Problem] = []
        self.more = 0
        self.answers: dict[str, Any] = {}
        self.blocks: set[str] = set()
        self.justifications: dict[str, str] = {}
        self.state: object = None  # the [etat] table, read once the blocks supplied are known

    def problem(self, path: str, message: str | Callable[[], str]) -> None:
        """Record a problem; past MAX_PROBLEMS only count it (a costly message is not even made)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
        else:
            self.problems.append(Problem(path, message if isinstance(message, str) else message()))

    def section(self, section: str, table: Any) -> None:
        layout = self.layout
        if section == HEADER:
            problem = _year_problem(table, HEADER, "réponses", self.campaign)
            if problem is not None:
                self.problem(problem.path, problem.message)
        elif section in layout.fiches:
            self.take(table, section, layout.fiches[section], "", "champ inconnu")
        elif section == ANSWERS:
            self.take(table, section, layout.questions, "", "question inconnue")
        elif section in layout.data_blocks:
            self.blocks.add(section)
            self.take(table, section, layout.data_blocks[section], f"{section}.", "donnée inconnue")
        elif section == JUSTIFICATIONS:
            self.take_justifications(table)
        elif section == STATE:
            self.state = table
        else:
            known = [HEADER, *layout.fiches, ANSWERS, *layout.data_blocks, JUSTIFICATIONS, STATE]
            self.problem(section, f"section inconnue ; sections possibles : {', '.join(known)}")

    def take(self, table: Any, path: str, known: dict[str, Field], key_prefix: str, unknown: str) -> None:
        if not isinstance(table, dict):
            self.problem(path, f"une table est attendue : [{path}] puis une réponse par ligne")
            return
        for key, raw in _entries(table, known, key_prefix):
            field = known.get(key_prefix + key)
            if field is None:
                self.problem(f"{path}.{key}", partial(_unknown, key, known, key_prefix, unknown))
                continue
            value, problem = check_value(field.type, raw)
            if problem and _says_what_is_expected(field, raw):
                self.problem(f"{path}.{key}", problem)
            elif problem:
                self.problem(f"{path}.{key}", f"{problem} ; attendu : {expected(field.type)}")
            else:
                self.answers[field.name] = value

    def take_justifications(self, table: Any) -> None:
        if not isinstance(table, dict):
            self.problem(JUSTIFICATIONS, "une table [justifications] est attendue")
            return
        for name, text in table.items():
            path = f"{JUSTIFICATIONS}.{name}"
            if name not in self.layout.warnings:
                self.problem(path, f"« {shown(name)} » n’est pas un avertissement du questionnaire")
            elif not isinstance(text, str):
                self.problem(path, "un texte est attendu")
            elif control_problem(text):
                self.problem(path, str(control_problem(text)))
            else:
                self.justifications[name] = text


def declaration_from_dict(data: dict[str, Any], campaign: Campaign, filename: str) -> Declaration:
    reader = _Reader(campaign)
    for section, table in data.items():
        reader.section(section, table)
    state = DeclarationState()
    if reader.state is not None:
        state = state_from_dict(reader.state, reader.blocks, reader.problem)
    if reader.problems:
        raise AnswersError(filename, reader.problems, more=reader.more)
    return Declaration(reader.answers, frozenset(reader.blocks), reader.justifications, state)


def _says_what_is_expected(field: Field, raw: object) -> bool:
    """Whether check_value's message for `raw` already says what is expected: a FINESS, an
    e-mail, a phone number, and a control character in any text, do."""
    if not isinstance(field.type, TextType):
        return False
    return field.type.kind != "texte" or (isinstance(raw, str) and control_problem(raw) is not None)


def _unknown(key: str, known: dict[str, Field], prefix: str, unknown: str) -> str:
    """« question inconnue « x » » (or champ, donnée) with the closest name; a question of several
    boxes given one value says which boxes it has (it is not unknown)."""
    import difflib

    names = [k[len(prefix) :] for k in known]
    boxes = [name for name in names if name.startswith(key + ".")]
    if boxes:
        listed = ", ".join(boxes[:4]) + (", …" if len(boxes) > 4 else "")
        return f"« {shown(key)} » a plusieurs cases, une valeur par case : {listed}"
    close = difflib.get_close_matches(key, names, n=1) if len(key) <= 100 else []
    hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    return f"{unknown} « {shown(key)} »{hint}"


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
    if declaration.state.validated_at or declaration.state.sources:
        out[STATE] = state_to_dict(declaration.state)
    return out


def _nest(table: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        table = table.setdefault(key, {})
    table[path[-1]] = value


def dumps_declaration(declaration: Declaration, campaign: Campaign) -> str:
    return toml_writer.dumps(declaration_to_dict(declaration, campaign))
