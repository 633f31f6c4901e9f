"""The `bilan` command as a user runs it: exit statuses, outputs, no traceback ever."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

BILAN = str(Path(sys.executable).with_name("bilan"))
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chu-exemple.toml"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BILAN, *args], capture_output=True, text=True, cwd=cwd)


def test_check_prints_a_summary(tmp_path: Path) -> None:
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "campagne 2009" in proc.stdout
    assert (
        "ICALIN « Indice composite des activités de lutte contre les infections nosocomiales » sur 100" in proc.stdout
    )
    assert "ICATB « Indice composite du bon usage des antibiotiques » sur 20" in proc.stdout
    assert "compilation réussie" in proc.stdout


def test_template_is_valid_toml_and_lists_every_question(tmp_path: Path) -> None:
    proc = run("template", cwd=tmp_path)
    assert proc.returncode == 0
    data = tomllib.loads(proc.stdout)
    assert data["bilan"]["campagne"] == 2009
    assert "# reunions_clin =" in proc.stdout
    assert "Combien y a-t-il eu de réunions plénières du CLIN durant l’année ?" in proc.stdout
    (tmp_path / "blank.toml").write_text(proc.stdout, encoding="utf-8")
    scored = run("score", "blank.toml", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert "incomplet" in scored.stdout


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example missing")
def test_score_toml_reads_back_to_the_same_results(tmp_path: Path) -> None:
    first = run("score", str(EXAMPLE), "--format", "toml", "-o", "r1.toml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = run("score", "r1.toml", "--format", "toml", "-o", "r2.toml", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    r1 = tomllib.loads((tmp_path / "r1.toml").read_text(encoding="utf-8"))
    r2 = tomllib.loads((tmp_path / "r2.toml").read_text(encoding="utf-8"))
    assert r1["questionnaire"]["campagne"] == 2009 and len(r1["questionnaire"]["sha256"]) == 64
    assert r1["declaration"][0]["resultats"] == r2["declaration"][0]["resultats"]
    assert r1["declaration"][0]["reponses"] == r2["declaration"][0]["reponses"]


def test_bad_files_give_messages_and_status_1(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[reponses]\nreunions_clin = 'x'\n", encoding="utf-8")
    (tmp_path / "broken.toml").write_text("[reponses\n", encoding="utf-8")
    proc = run("score", "bad.toml", "broken.toml", "absent.toml", cwd=tmp_path)
    assert proc.returncode == 1
    assert "bad.toml: reponses.reunions_clin : « x » n’est pas un nombre" in proc.stderr
    assert "broken.toml:1:" in proc.stderr
    assert "absent.toml: fichier introuvable" in proc.stderr
    assert "3 fichier(s) refusé(s) sur 3" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_unknown_questionnaire_is_a_message(tmp_path: Path) -> None:
    proc = run("template", "-q", "nope.bilan", cwd=tmp_path)
    assert proc.returncode == 1
    assert "nope.bilan: fichier introuvable" in proc.stderr


def test_a_reader_that_leaves_early_never_turns_a_failure_into_a_success(tmp_path: Path) -> None:
    """`bilan test … | head -1`: the closed pipe stops the command; its status must not be 0
    (a CI job piping a failing check to head would pass)."""
    broken = tmp_path / "q.bilan"
    broken.write_text(
        (ROOT / "questionnaire.bilan")
        .read_text(encoding="utf-8")
        .replace("ICALIN = 100 classe A", "ICALIN = 99 classe A"),
        encoding="utf-8",
    )
    shell = f"set -o pipefail; {BILAN} test {broken} 2>&1 | head -c 1 >/dev/null"
    proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode != 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            'campagne 2010 "Bilan"\n    source "Circulaire n° 1"\n'.encode("latin-1"),
            ":2:25: le fichier n’est pas en UTF-8 (octet 0xB0)",
        ),
        ('campagne 2010 "Bilan"\n'.encode("utf-16"), ":1:1: le fichier est en UTF-16 ; l’enregistrer en UTF-8"),
    ],
)
@pytest.mark.parametrize("command", ["check", "diff"])
def test_a_campaign_not_in_utf8_is_placed_in_french(tmp_path: Path, data: bytes, message: str, command: str) -> None:
    source = tmp_path / "q.bilan"
    source.write_bytes(data)
    args = ["check", str(source)] if command == "check" else ["diff", str(ROOT / "questionnaire.bilan"), str(source)]
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 1
    place, text = message.split(": ", 1)
    assert f"{source}{place}: " in proc.stderr and text in proc.stderr  # `erreur :` may come between
    assert "byte" not in proc.stderr and "Traceback" not in proc.stderr
