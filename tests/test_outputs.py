"""Output files: never over an input, never half-written, never through a planted link; nothing
that drives a terminal is written raw to one."""

from __future__ import annotations

import errno
import io
import os
import pty
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bilan.cli.main import main
from bilan.common.errors import UserError
from bilan.common.outputs import write_output
from bilan.common.terminal import neutralise
from bilan.store.db import Store

BILAN = str(Path(sys.executable).with_name("bilan"))
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chu-exemple.toml"


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["recap", "{mine}", "-o", "{mine}"],
        ["checklist", "{mine}", "-o", "{mine}"],
        ["recap", "{mine}", "-o", "{dir}/./mine.toml"],  # another spelling of the same file
        ["recap", "{mine}", "-o", "{dir}/hard.toml", "--format", "typst"],  # a hard link to it
        ["score", "{dir}/other.toml", "{mine}", "-o", "{mine}"],
        ["score", "{mine}", "--format", "toml", "-o", "{dir}/q.bilan", "-q", "{dir}/q.bilan"],
        ["paper", "{dir}/q.bilan", "-o", "{dir}/q.bilan"],
    ],
)
def test_an_input_is_never_overwritten(
    mine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    os.link(mine, tmp_path / "hard.toml")
    shutil.copy(mine, tmp_path / "other.toml")
    shutil.copy(Path(__file__).resolve().parent.parent / "questionnaire.bilan", tmp_path / "q.bilan")
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    args = [a.replace("{mine}", str(mine)).replace("{dir}", str(tmp_path)) for a in command]
    assert main(args) == 1
    assert "c’est aussi un fichier lu par cette commande" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_export_is_never_written_over_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "b.sqlite"
    assert main(["--store", str(store), "import", str(EXAMPLE)]) == 0
    for target in (store, Path(f"{store}-wal")):
        if target.exists():
            assert main(["--store", str(store), "export", "-o", str(target)]) == 1
            assert "c’est aussi un fichier lu par cette commande" in capsys.readouterr().err
    s = Store(store)
    assert len(s.declarations()) == 1
    s.close()


def test_a_link_planted_at_the_target_is_not_followed(
    mine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / "recap.txt").symlink_to(victim)
    assert main(["recap", str(mine), "-o", str(tmp_path / "recap.txt")]) == 1
    assert "c’est un lien symbolique" in capsys.readouterr().err
    assert victim.read_text() == "precious"


def test_replacing_keeps_the_mode_and_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_output(tmp_path / "new.txt", "a")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
        (tmp_path / "new.txt").chmod(0o600)
        write_output(tmp_path / "new.txt", "b")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o600
        assert (tmp_path / "new.txt").read_text() == "b"
    finally:
        os.umask(old)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UserError) as info:
        write_output(target, "new" * 1000)
    assert info.value.message == f"{target}: écriture impossible (plus de place sur le disque)"
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_devices_and_pipes_are_written_in_place(tmp_path: Path) -> None:
    write_output(Path("/dev/null"), "x")  # not replaced by a regular file (that would need root anyway)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="aucun processus ne lit ce tube"):
        write_output(fifo, "x")  # nobody reads it: refused at once instead of blocking


def test_a_folder_as_target(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="c’est un dossier"):
        write_output(tmp_path, "x")


def test_neutralise() -> None:
    assert neutralise("a\x1b[2Jb\u202ec\x00\r\td\n") == "a\\x1b[2Jb\\u202ec\\x00\\x0d\td\n"
    assert neutralise("Hôpital « Saint-Roch » — 12,5 %") == "Hôpital « Saint-Roch » — 12,5 %"


def _store_with_hostile_name(tmp_path: Path) -> Path:
    """A store written by an older version, which accepted any text: U+202E in a name."""
    path = tmp_path / "b.sqlite"
    assert main(["--store", str(path), "import", str(EXAMPLE)]) == 0
    s = Store(path)
    s.conn.execute("""UPDATE answers SET value = '"CHU \u202egpj.exe"' WHERE field = 'raison_sociale'""")
    s.close()
    return path


@pytest.mark.system
def test_terminal_output_is_neutralised_and_file_output_kept(tmp_path: Path) -> None:
    store = _store_with_hostile_name(tmp_path)
    command = [BILAN, "--store", str(store), "export"]
    piped = subprocess.run(command, capture_output=True, text=True, check=True)
    assert 'raison_sociale = "CHU \u202egpj.exe"' in piped.stdout  # data, exact
    controller, terminal = pty.openpty()
    try:
        subprocess.run(command, stdout=terminal, stderr=subprocess.DEVNULL, check=True)
        os.close(terminal)
        shown = b""
        while chunk := _read(controller):
            shown += chunk
    finally:
        os.close(controller)
    text = shown.decode("utf-8")
    assert "CHU \\u202egpj.exe" in text and "\u202e" not in text


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO once the other end is closed
        return b""


@pytest.mark.system
def test_messages_never_carry_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[reponses]\nprojet = "\\u001b]0;pwned\\u0007\\u001b[2J"\n', encoding="utf-8")
    proc = subprocess.run([BILAN, "score", str(path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "« \\x1b]0;pwned\\x07\\x1b[2J » n’est pas une réponse possible" in proc.stderr


@pytest.mark.system
def test_dev_stdout_is_a_link_to_a_stream_and_may_be_named(mine: Path) -> None:
    proc = subprocess.run([BILAN, "recap", str(mine), "-o", "/dev/stdout"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "RÉCAPITULATIF DE LA DÉCLARATION" in proc.stdout


@pytest.mark.system
@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        ("> /dev/full", "sortie standard : écriture impossible (plus de place sur le disque)"),
        (">&-", "sortie standard fermée : la rediriger vers un fichier, ou indiquer -o FICHIER"),
    ],
    ids=["full", "closed"],
)
def test_a_standard_output_that_cannot_be_written_is_said_so(redirect: str, message: str) -> None:
    """Not « erreur interne » with Python's English and a crash log: the user's redirection."""
    shell = f"{BILAN} score {EXAMPLE} {redirect}"
    proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (1, message + "\n")


@pytest.mark.parametrize("stdin", [io.StringIO(""), None], ids=["a file", "closed"])
def test_the_app_without_a_terminal_is_refused_at_once(
    stdin: io.StringIO | None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bilan < /dev/null` in a script used to start the app, wait forever and draw into the log;
    `bilan <&-` (Python's sys.stdin is then None) was an internal error."""
    monkeypatch.setattr(sys, "stdin", stdin)  # not a terminal, even under `pytest -s`
    assert main(["--store", str(tmp_path / "s.sqlite")]) == 1
    assert capsys.readouterr().err == (
        "l’application de saisie a besoin d’un terminal ; sans terminal : "
        "bilan import, bilan export, bilan score (voir bilan --help)\n"
    )
    assert not (tmp_path / "s.sqlite").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2010-13-01", "BILAN_TODAY=2010-13-01 : cette date n’existe pas"),
        ("2010-02-30", "BILAN_TODAY=2010-02-30 : cette date n’existe pas"),
        ("15/03/2010", "BILAN_TODAY=15/03/2010 : date attendue au format AAAA-MM-JJ"),
    ],
)
def test_a_bad_bilan_today_says_what_is_wrong(value: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bilan.common import clock
    from bilan.common.errors import UserError

    monkeypatch.setenv("BILAN_TODAY", value)
    with pytest.raises(UserError) as refused:
        clock.today()
    assert refused.value.render() == message
