"""Campaign files and stores that are not regular files, or far too large: every command refuses
them at once with the file's name (a named pipe used to block `check`, `diff`, `template`,
`migrate` and `impact` forever, /dev/zero filled the memory, and `--store` on a device made the
device 0600 and wrote a journal next to it)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from bilan.cli.main import main
from bilan.cli.resources import DEFAULT_QUESTIONNAIRE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chu-exemple.toml"
VARIANT = ROOT / "examples" / "campaigns" / "variante-2010.bilan"
NOT_A_FILE = "c’est un tube ou un périphérique, pas un fichier ordinaire"
STORE_NOT_A_FILE = {"pipe": "un tube ou un périphérique, pas un fichier ordinaire", "folder": "un dossier"}


def run_bounded(args: list[str]) -> int:
    """`main(args)` in a thread given a minute: a command that blocks on a pipe fails the test
    instead of hanging the suite."""
    status: list[int] = []
    worker = threading.Thread(target=lambda: status.append(main(args)), daemon=True)
    worker.start()
    worker.join(60)
    assert status, f"bilan {' '.join(args)} still running after a minute"
    return status[0]


COMMANDS = {
    "check": lambda c: ["check", c],
    "diff": lambda c: ["diff", str(DEFAULT_QUESTIONNAIRE), c],
    "template": lambda c: ["-q", c, "template"],
    "score": lambda c: ["-q", c, "score", str(EXAMPLE)],
    "impact": lambda c: ["impact", str(DEFAULT_QUESTIONNAIRE), c, str(EXAMPLE)],
    "migrate": lambda c: ["migrate", "--dry-run", "--to", c, str(EXAMPLE)],
    "test": lambda c: ["test", c],
    "fmt": lambda c: ["fmt", "--check", c],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_named_pipe_as_campaign_is_refused_at_once(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "tube.bilan"
    os.mkfifo(pipe)
    assert run_bounded(COMMANDS[command](str(pipe))) == 1
    assert f"{pipe}: {NOT_A_FILE} ; indiquer un fichier" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["check", "diff", "template", "test"])
def test_a_device_as_campaign_is_refused_not_read(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/null used to be an empty campaign, /dev/zero was read until memory ran out."""
    for device in ("/dev/null", "/dev/zero"):
        assert run_bounded(COMMANDS[command](device)) == 1
        assert f"{device}: {NOT_A_FILE} ; indiquer un fichier" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["check", "template", "test", "fmt"])
def test_a_campaign_file_of_megabytes_is_refused_as_too_large(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    large = tmp_path / "grand.bilan"
    text = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
    large.write_text(text + "# " + "x" * (4 * 2**20) + "\n", encoding="utf-8")  # a valid file, but 4 MB more
    assert run_bounded(COMMANDS[command](str(large))) == 1
    err = capsys.readouterr().err
    assert f"{large}: fichier trop volumineux (plus de 4 Mo ; un questionnaire en fait une centaine de Ko)" in err


@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_a_store_that_is_not_a_file_is_refused_untouched(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "base.sqlite"
    if kind == "pipe":
        os.mkfifo(target, 0o666)
        os.chmod(target, 0o666)
    else:
        target.mkdir()
    before = os.stat(target).st_mode
    assert run_bounded(["--store", str(target), "export", "--all"]) == 1
    assert f"{target}: base de saisie inutilisable (c’est {STORE_NOT_A_FILE[kind]})" in capsys.readouterr().err
    assert os.stat(target).st_mode == before  # not made 0600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.sqlite"]  # no journal, no WAL beside it
    assert stat.S_ISFIFO(before) == (kind == "pipe")
