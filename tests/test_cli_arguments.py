"""The command line as typed: -q anywhere, French help and errors, a light `bilan --help`."""

from __future__ import annotations

import argparse
import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from bilan.cli.app import open_demo
from bilan.cli.argparse_fr import CATALOGUE, PLURALS
from bilan.cli.main import main
from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, demo_declaration, load_campaign
from bilan.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
ANSWERS_2010 = '[bilan]\ncampagne = 2010\n[etablissement]\nfiness = "750712184"\n'


@pytest.fixture(scope="module")
def q2010(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped campaign, renamed 2010: a command that ignores -q reads a 2010 file as 2009's.

    One file for the module, next to a 2010 declaration (both read-only): compiled once, not once
    per test. Stores go in each test's own folder."""
    text = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8").replace("\ncampagne 2009 ", "\ncampagne 2010 ", 1)
    tmp_path = tmp_path_factory.mktemp("q2010")
    path = tmp_path / "q2010.bilan"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "a2010.toml").write_text(ANSWERS_2010, encoding="utf-8")
    return path


def placed(position: str, q: Path, command: list[str]) -> list[str]:
    """-q before the sub-command, or after it."""
    return ["-q", str(q), *command] if position == "before" else [*command, "-q", str(q)]


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize(
    ("command", "shows"),
    [
        (["template"], "campagne = 2010"),
        (["check"], "campagne 2010"),
        (["paper", "--format", "text"], "Bilan 2010"),
        (["score", "{dir}/a2010.toml"], "750712184"),
        (["recap", "{dir}/a2010.toml"], "BILAN 2010"),
        (["checklist", "{dir}/a2010.toml"], "BILAN 2010"),
    ],
)
def test_questionnaire_option_before_or_after_the_command(
    q2010: Path, capsys: pytest.CaptureFixture[str], position: str, command: list[str], shows: str
) -> None:
    args = [a.replace("{dir}", str(q2010.parent)) for a in command]
    status = main(placed(position, q2010, args))
    out, err = capsys.readouterr()
    assert status == 0, err
    assert shows in out


@pytest.mark.parametrize("position", ["before", "after"])
def test_questionnaire_option_for_import_and_export(
    q2010: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], position: str
) -> None:
    store = str(tmp_path / "b.sqlite")
    assert main(["--store", store, *placed(position, q2010, ["import", str(q2010.parent / "a2010.toml")])]) == 0
    assert main(["--store", store, *placed(position, q2010, ["export"])]) == 0
    assert "campagne = 2010" in capsys.readouterr().out
    s = Store(Path(store))
    assert [(r.finess, r.year) for r in s.declarations()] == [("750712184", 2010)]
    s.close()


def test_store_option_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "b.sqlite"
    assert main(["import", str(ROOT / "examples" / "chu-exemple.toml"), "--store", str(store)]) == 0
    assert main(["export", "--store", str(store)]) == 0
    assert 'raison_sociale = "CHU exemple"' in capsys.readouterr().out


def test_two_questionnaires_are_refused(q2010: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", str(q2010), "check", str(DEFAULT_QUESTIONNAIRE)]) == 1
    assert "deux questionnaires indiqués" in capsys.readouterr().err


def test_demo_with_another_campaign_opens_an_empty_declaration_of_it(q2010: Path, tmp_path: Path) -> None:
    """`bilan --demo -q NEW.bilan`: a maintainer walks the new form; the 2009 example, which the new
    campaign refuses, is not forced on it."""
    store = Store(tmp_path / "d.sqlite")
    try:
        new = open_demo(store, load_campaign(q2010))
        assert (store.get(new).year, store.load(new).answers) == (2010, {"finess": "750712184"})  # nothing else
        old = open_demo(store, load_campaign(DEFAULT_QUESTIONNAIRE))
        assert store.get(old).year == 2009
        assert store.load(old).answers == demo_declaration(load_campaign(DEFAULT_QUESTIONNAIRE)).answers
    finally:
        store.close()


def help_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["score", "--help"], ["recap", "-h"], ["export", "--help"]])
def test_help_is_french(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(args, capsys)
    assert text.startswith("utilisation : bilan")
    assert "\noptions :\n" in text
    assert "-h, --help            affiche cette aide et quitte" in text
    for english in ("usage:", "positional arguments", "show this help", "show program", "optional arguments"):
        assert english not in text


def test_top_help_lists_the_commands_under_a_french_heading(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(["--help"], capsys)
    assert "\narguments :\n  COMMANDE\n    check" in text
    assert "--version             affiche la version et quitte" in text


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--frob"], "bilan : erreur : arguments inconnus : --frob"),
        (["score"], "bilan score : erreur : arguments obligatoires manquants : FICHIER.toml"),
        (["score", "a.toml", "-o"], "bilan score : erreur : argument -o/--output : une valeur est attendue"),
        (["score", "--format", "xml", "a.toml"], "bilan score : erreur : argument --format : choix invalide : « xml »"),
        (["bogus"], "bilan : erreur : argument COMMANDE : choix invalide : « bogus » (choix possibles : 'check'"),
    ],
)
def test_argument_errors_are_french(args: list[str], error: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : bilan")
    assert error in err and "error:" not in err


# argparse message ids a user cannot meet: they report mistakes in the program's own parser
PROGRAMMING_ERRORS = {
    ".__call__() not defined",
    "'required' is an invalid argument for positionals",
    "mutually exclusive arguments must be optional",
    "%r is not callable",
    "cannot merge actions - two groups are named %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "cannot have multiple subparser arguments",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "conflicting option string: %s",
    "conflicting option strings: %s",
}


def test_the_catalogue_covers_every_message_of_this_pythons_argparse() -> None:
    singular, plural = set(), set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            ids = tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
            if node.func.id == "_" and ids:
                singular.add(ids[0])
            elif len(ids) == 2:
                plural.add(ids)
    assert singular - PROGRAMMING_ERRORS - set(CATALOGUE) == set()
    assert {p for p in plural if p[0] not in PROGRAMMING_ERRORS} - set(PLURALS) == set()


def test_french_stays_inside_bilan_parsers() -> None:
    """Other argparse users of the process (pytest itself) keep their own language."""
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: ")


@pytest.mark.system
def test_help_imports_neither_engine_nor_compiler_nor_textual() -> None:
    code = (
        "import sys\n"
        "from bilan.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('bilan', 'textual', 'lark', 'attrs', 'platformdirs'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT / "tests")
    loaded = proc.stdout.splitlines()[-1].split()
    assert set(loaded) <= {
        "bilan",
        "bilan.cli",
        "bilan.cli.main",
        "bilan.cli.argparse_fr",
        "bilan.common",
        "bilan.common.errors",
        "bilan.common.terminal",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["diff", "questionnaire.bilan", "questionnaire.bilan"],
            "bilan diff ne lit pas -q, il prend ANCIEN.bilan NOUVEAU.bilan",
        ),
        (
            ["impact", "questionnaire.bilan", "questionnaire.bilan", "examples/chu-nord.toml"],
            "bilan impact ne lit pas -q",
        ),
        (["fmt", "--check", "questionnaire.bilan"], "bilan fmt ne lit pas -q, il prend les fichiers à mettre en forme"),
    ],
)
@pytest.mark.parametrize("before", [True, False])
def test_a_q_with_a_command_that_takes_its_campaign_files_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], message: str, before: bool
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    q = ["-q", "examples/campaigns/variante-2010.bilan"]
    assert main([*q, *args] if before else [*args, *q]) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"-q examples/campaigns/variante-2010.bilan : {message}" in err


@pytest.mark.parametrize(
    "args",
    [["score", "x.toml"], ["paper"], ["diff", "a.bilan", "b.bilan"], ["migrate", "--to", "x.bilan", "x.toml"]],
    ids=lambda a: a[0],
)
def test_o_dash_is_refused_rather_than_written_as_a_file_named_dash(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main([*args, "-o", "-"])
    assert stop.value.code == 2
    assert "argument -o/--output : « - » : sans -o, bilan écrit sur la sortie standard" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
