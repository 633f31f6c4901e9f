"""Answers files are read by rtoml, or the compiled tomli 2.2, with the standard library's TOML 1.0
grammar, data, key order and messages (exports/toml_input.py `load_toml`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bilan.common.errors import UserError
from bilan.exports.toml_input import _may_use_toml_1_1, _syntax_message, load_toml

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))


def _shape(data: object) -> object:
    """The data with its key order and its types made visible to ==."""
    if isinstance(data, dict):
        return [(k, _shape(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [_shape(x) for x in data]
    return (type(data).__name__, data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_files_read_as_the_standard_library_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _shape(load_toml(text, path.name)) == _shape(tomllib.loads(text))


def test_answers_files_take_the_fast_reader() -> None:
    """The examples above are read by rtoml: the comparison tests it, not only tomli."""
    answers = [p for p in EXAMPLES if "[reponses]" in p.read_text(encoding="utf-8")]
    assert answers
    assert not any(_may_use_toml_1_1(p.read_text(encoding="utf-8")) for p in answers)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1979-05-27T07:32:00Z\r\nb = 07:32:00\r\n",  # times with seconds, CRLF
        'a = "Fonction : 07 h 32"\nb = "12:345"\nc = 1979-05-27 07:32:00.5',
        "[x]\na = [1, 2.5, true]\n[[y]]\nb = 'c'\n[[y]]\nb = 9223372036854775807",
    ],
)
def test_what_toml_1_0_allows_is_read_by_rtoml_as_the_standard_library_reads_it(text: str) -> None:
    assert not _may_use_toml_1_1(text)
    assert _shape(load_toml(text, "f.toml")) == _shape(tomllib.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        'a = "\\e"',  # TOML 1.1 escapes (tomli 2.3+ reads them)
        'a = "\\x41"',
        "a = {\n b = 1\n}",  # TOML 1.1 inline tables over several lines
        "a = {b = 1,}",
        "a = 07:32",  # TOML 1.1 times without seconds
        "a = 1979-05-27 07:32",
        "a = 1979-05-27T07:32Z",
        "a = {\n}",
        "a = {b = 1, }",
        "\ufeffa = 1",  # a byte-order mark (rtoml reads it)
        "a = [1,",
        "[x]\n[x]",
    ],
)
def test_what_the_standard_library_refuses_is_refused_with_its_message(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as stdlib:
        tomllib.loads(text)
    with pytest.raises(UserError) as ours:
        load_toml(text, "f.toml")
    assert ours.value.render() == _syntax_message("f.toml", text, stdlib.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = {\n b = 1\n}", "1:6: TOML invalide : nom attendu (lettres, chiffres, « _ », « - », ou entre guillemets)"),
        ('a = "abc', "1:9: TOML invalide : texte non fermé : guillemet manquant"),
        ("a = 1 b = 2", "1:7: TOML invalide : fin de ligne attendue après la valeur"),
        ("[[a]\n", "1:4: TOML invalide : « ]] » attendu à la fin du nom de section"),
        ('a = "x\\y"', "1:9: TOML invalide : « \\ » seul dans un texte entre guillemets : l’écrire « \\\\ »"),
        ("a = {b = 1, b = 2}", "1:18: TOML invalide : nom donné deux fois dans la même table { … }"),
        ('a = "\\uZZZZ"', "1:8: TOML invalide : code hexadécimal invalide après \\u ou \\U"),
        ('a = "\\uD800"', "1:12: TOML invalide : le caractère désigné après \\u ou \\U n’existe pas"),
        ("a = {b = 1", "1:11: TOML invalide : table { … } non fermée : « } » manquant"),
        ("[a]\nb = 1\n[a]", "3:3: TOML invalide : section déclarée deux fois"),
        (
            "a = {b = 1}\na.c = 2",
            "2:8: TOML invalide : une table { … } ou une liste déjà écrite ne peut pas être complétée",
        ),
        ('a = "\x07"', "1:6: TOML invalide : caractère interdit '\\x07'"),
    ],
)
def test_the_standard_librarys_messages_are_said_in_french(text: str, message: str) -> None:
    """Whole messages: no English left after the French (« section déclarée deux fois ('a',)
    twice » was shown), the place given by line, column and caret."""
    with pytest.raises(UserError) as caught:
        load_toml(text, "f.toml")
    first = caught.value.render().splitlines()[0]
    assert first.startswith(f"f.toml:{message}")
    assert not any(word in first for word in ("twice", "Invalid", "Expected", "Cannot", "character", "string"))
