"""`bilan impact OLD.bilan NEW.bilan FILES…`: last year's declarations scored by both campaigns; the
class changes named, a summary per indicator and category, progress on large batches, and an
unreadable file reported (exit 1) rather than a partial impact."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from bilan.cli import batch, progress
from bilan.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
V2009 = "questionnaire.bilan"
V2010 = "examples/campaigns/variante-2010.bilan"
V2005 = "examples/campaigns/icalin-2005.bilan"
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.toml"))
MECSS = "examples/mecss-les-pins.toml"

# 2009 with one change: O211 gives 5 points instead of 6 for 3 plenary meetings or more; the
# maxima above it follow (O2 12, O 32, ICALIN 99; SCORE at most 99,6 then), so that `bilan check` passes.
ONLY_O211 = [
    ("campagne 2009", "campagne 2010"),
    ('(CLIN)" sur 6\n', '(CLIN)" sur 5\n'),
    ("6 points si reunions_clin >= 3", "5 points si reunions_clin >= 3"),
    ("sur 13 : O211", "sur 12 : O211"),
    ('fonction O "Organisation" sur 33', 'fonction O "Organisation" sur 32'),
    ('nosocomiales" sur 100\n', 'nosocomiales" sur 99\n'),
    ('"Score agrégé" sur 100', '"Score agrégé" sur 99.6'),
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def only_o211(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    text = (ROOT / V2009).read_text(encoding="utf-8")
    for old, new in ONLY_O211:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "o211.bilan"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    capsys.readouterr()
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _section(text: str, title: str) -> list[str]:
    """The lines of one part of the report, from its title to the next blank line."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(title))
    end = next((n for n in range(start, len(lines)) if not lines[n]), len(lines))
    return lines[start:end]


def test_only_o211_one_point_less_moves_mecss_les_pins_from_b_to_c(
    capsys: pytest.CaptureFixture[str], only_o211: str
) -> None:
    """By hand: the examples with 3 plenary meetings or more (reunions_clin >= 3) lose one ICALIN
    point, the others keep theirs. Tableau 4 of the 2009 cahier des charges (seed 001), lower limits
    inclusive: category 13 (MECSS) 26,5 38,25 78 84,5 → Les Pins 78,5 is B, 77,5 is C. The others
    that lose a point keep their class: Cap Vision 81 → 80 (cat. 14, A from 76), CHU exemple
    100 → 99 (cat. 1, A from 97,75), CHU du Nord 85 → 84 (cat. 1, D from 65,75 to 86), Saint-Roch
    84,5 → 83,5 (cat. 6, B from 73 to 85,1). SCORE (tableau 9) moves with them but no class: Les
    Pins ICALIN alone 78,5 → 77,5 (cat. 13, C from 38,25 to 78,84), Cap Vision 0,8 × ICALIN + 2 ×
    SURVISO 84,8 → 84 (A from 74,8), CHU du Nord 81,66 → 81,26 (B from 80,7), Saint-Roch 81,3 →
    80,9 (B from 67,7), CHU exemple 100 → 99,6 (A)."""
    status, out, err = _run(capsys, "impact", V2009, only_o211, *EXAMPLES)
    assert (status, err) == (0, "")
    assert _section(out, "changements de classe") == [
        "changements de classe : 1 déclaration(s)",
        "  310007893  Maison d’enfants à caractère sanitaire Les Pins  (examples/mecss-les-pins.toml)",
        "    ICALIN   78,5 B → 77,5 C   ◀ classe",
    ]
    assert _section(out, "classes par indicateur") == [
        "classes par indicateur et par catégorie",
        "  ICALIN",
        "    categorie 13 : 1 en baisse",
        "    autres catégories : 8 inchangées",
        "  ICATB : 9 inchangées",
        "  ICSHA : 9 inchangées",
        "  SURVISO : 9 inchangées",
        "  SCORE : 9 inchangées",
        "  SARM : 9 inchangées",
    ]
    for line in (
        "    ICALIN   81 A → 80 A",
        "    SCORE    84,8 A → 84 A",
        "    ICALIN   100 A → 99 A",
        "    SCORE    100 A → 99,6 A",
        "    ICALIN   85 D → 84 D",
        "    SCORE    81,66 B → 81,26 B",
        "    ICALIN   84,5 B → 83,5 B",
        "    SCORE    81,3 B → 80,9 B",
        "    SCORE    78,5 C → 77,5 C",
        "    ICALIN   68,5 C",  # CH de la Vallée, 2 plenary meetings: unchanged
    ):
        assert line in out.splitlines(), line


def test_the_toml_report_of_the_same_change(capsys: pytest.CaptureFixture[str], only_o211: str) -> None:
    status, out, _ = _run(capsys, "impact", V2009, only_o211, *EXAMPLES, "--format", "toml")
    assert status == 0
    data = tomllib.loads(out)
    assert (data["avant"]["campagne"], data["apres"]["campagne"]) == (2009, 2010)
    assert data["resume"]["declarations"] == 9
    assert data["resume"]["changements_de_classe"] == 1
    assert data["resume"]["classes_a_confirmer"] == 0
    assert data["resume"]["indicateurs"]["ICALIN"]["13"] == {"en_baisse": 1}
    pins = next(d for d in data["declaration"] if d["fichier"] == MECSS)
    assert pins["indicateurs"]["ICALIN"] == {
        "categorie": "13",
        "avant": {"statut": "ok", "valeur": 78.5, "classe": "B"},
        "apres": {"statut": "ok", "valeur": 77.5, "classe": "C"},
    }


def test_the_shipped_2010_variant_changes_no_class(capsys: pytest.CaptureFixture[str]) -> None:
    """By hand: O211 −1 for reunions_clin >= 3, O221 +1 for usagers_convoques = oui. Cap Vision, CHU
    exemple, CHU du Nord, Saint-Roch and Les Pins have both: unchanged. CH de la Vallée and Domisoins
    have neither (2 meetings, not convened): unchanged. Mont Sainte-Odile (2 meetings, convened)
    gains one: 48 → 49, category 4, D from 36 to 50,65: still D. Les Tilleuls (1 meeting, convened)
    gains one: 63 → 64, category 9, C from 45 to 69,5; its SCORE (ICALIN × 0,444 + …) 56,01 →
    56,46, C from 34,41 to 65,83: no class changes at all."""
    status, out, _ = _run(capsys, "impact", V2009, V2010, *EXAMPLES)
    assert status == 0
    assert _section(out, "changements de classe") == ["changements de classe : 0 déclaration(s)"]
    changed = [line for line in out.splitlines() if "→" in line]
    assert changed == [
        "    ICALIN   48 D → 49 D",
        "    ICALIN   63 C → 64 C",
        "    SCORE    56,01 C → 56,46 C",
    ]
    assert (
        "  670004514  Centre hospitalier spécialisé du Mont Sainte-Odile  (examples/chs-mont-sainte-odile.toml)" in out
    )


def test_the_2005_campaign_against_2009(capsys: pytest.CaptureFixture[str]) -> None:
    """Indicators 2005 did not have are shown, never counted as a class change; 2009's new
    questions (II.4, IV.1.1 split in two...) are still to enter, so every 2009 ICALIN is incomplete."""
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "campaigns" / "2005").glob("*.toml"))
    status, out, _ = _run(capsys, "impact", V2005, V2009, *files)
    assert status == 0
    assert (
        "indicateurs nouveaux (absents de la campagne 2005, sans comparaison) : ICATB, ICSHA, SURVISO, SCORE, SARM"
        in out
    )
    assert _section(out, "classes par indicateur") == [
        "classes par indicateur et par catégorie",
        "  ICALIN",
        "    categorie 1 : 1 à compléter",
        "    categorie 2 : 1 à compléter",
        "    categorie 6 : 1 à compléter",
        "    categorie 13 : 1 à compléter",
    ]
    assert "    ICALIN   77,5 C → 73,5 C (incomplet)" in out.splitlines()
    assert "    ICATB    absent → NC" in out.splitlines()  # Les Pins: not concerned, whatever is entered
    assert "    ICSHA    absent → F" in out.splitlines()  # CH de la Vallée: no SAE, whatever is entered


def test_a_class_computed_without_answers_to_enter_is_to_confirm_never_a_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """2010 asks a new question, and O211's 6 points need its « oui »: every 2010 ICALIN is computed
    without it (a lower bound). By hand: O211 falls from 6 to 0 for reunions_clin >= 3; Cap Vision
    81 → 75 (cat. 14, B from 71,2 to 76), CHU exemple 100 → 94 (cat. 1, C from 86 to 94,25), Les
    Pins 78,5 → 72,5 (cat. 13, C); CHU du Nord ICALIN 85 → 79 stays D but its SCORE 81,66 → 79,26
    leaves B (from 80,7) for C."""
    text = (ROOT / V2009).read_text(encoding="utf-8").replace("campagne 2009", "campagne 2010", 1)
    question = '    question comptes_rendus "Comptes rendus diffusés ?"\n        oui_non\n\n    item O211 "Réunions'
    text = text.replace('    item O211 "Réunions', question, 1)
    text = text.replace("6 points si reunions_clin >= 3 :", "6 points si reunions_clin >= 3 et comptes_rendus = oui :")
    new = tmp_path / "nouvelle-question.bilan"
    new.write_text(text, encoding="utf-8")
    status, out, _ = _run(capsys, "impact", V2009, str(new), *EXAMPLES)
    assert status == 0
    assert _section(out, "changements de classe") == ["changements de classe : 0 déclaration(s)"]
    assert _section(out, "classes à confirmer") == [
        "classes à confirmer, calculées sans les réponses à saisir : 4 déclaration(s)",
        "  060780335  Centre de chirurgie ambulatoire Cap Vision  (examples/ambulatoire-cap-vision.toml)",
        "    ICALIN   81 A → 75 B (incomplet)   ◀ classe à confirmer",
        "  750712184  CHU exemple  (examples/chu-exemple.toml)",
        "    ICALIN   100 A → 94 C (incomplet)   ◀ classe à confirmer",
        "  590780128  Centre hospitalier universitaire du Nord  (examples/chu-nord.toml)",
        "    SCORE    81,66 B → 79,26 C (incomplet)   ◀ classe à confirmer",
        "  310007893  Maison d’enfants à caractère sanitaire Les Pins  (examples/mecss-les-pins.toml)",
        "    ICALIN   78,5 B → 72,5 C (incomplet)   ◀ classe à confirmer",
    ]
    assert "    ICSHA    70 B" in out.splitlines()  # CH de la Vallée: ICSHA reads no answer to enter
    _, out, _ = _run(capsys, "impact", V2009, str(new), MECSS, "--format", "toml")
    data = tomllib.loads(out)
    assert (data["resume"]["changements_de_classe"], data["resume"]["classes_a_confirmer"]) == (0, 1)
    assert data["resume"]["indicateurs"]["ICALIN"]["13"] == {"a_completer": 1}
    assert data["declaration"][0]["indicateurs"]["ICALIN"]["apres"] == {
        "statut": "ok",
        "valeur": 72.5,
        "classe": "C",
        "complet": False,
    }


def test_unreadable_files_are_named_and_no_impact_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "cassé.toml"
    broken.write_text("x = \n", encoding="utf-8")
    binary = tmp_path / "binaire.toml"
    binary.write_bytes(b"\xff\xfe\x00[bilan]")
    status, out, err = _run(
        capsys, "impact", V2009, V2010, MECSS, str(broken), str(tmp_path / "absent.toml"), str(tmp_path), str(binary)
    )
    assert (status, out) == (1, "")
    assert f"{broken}:1:5: TOML invalide" in err
    assert f"{tmp_path / 'absent.toml'}: fichier introuvable" in err
    assert f"{tmp_path}: c’est un dossier ; indiquer un fichier" in err
    assert f"{binary}" in err
    assert err.endswith("4 fichier(s) illisible(s) sur 5 : aucun impact calculé\n")
    assert "Traceback" not in err


def test_a_file_of_the_new_campaign_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["migrate", "--to", V2010, MECSS, "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    status, _, err = _run(capsys, "impact", V2009, V2010, str(tmp_path / "mecss-les-pins.toml"))
    assert status == 1
    assert "bilan.campagne : réponses de la campagne 2010, questionnaire de la campagne 2009" in err


@pytest.mark.system
def test_progress_on_a_large_batch_and_each_file_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress lines of a batch large enough to have them in a log, read by forked workers, and
    files named twice read once. Both limits are lowered here (progress from 500 files, workers from
    200: test_bulk tests where the first stands)."""
    monkeypatch.setattr(progress, "LARGE", 50)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 20)
    files = []
    for n in range(50):
        path = tmp_path / f"d{n:03d}.toml"
        shutil.copyfile(ROOT / MECSS, path)
        files.append(str(path))
    status, out, err = _run(capsys, "impact", V2009, V2010, *files, files[0], MECSS, MECSS)
    assert status == 0
    assert out.splitlines()[0].startswith("impact de la campagne 2010 (examples/campaigns/variante-2010.bilan) sur 51 ")
    lines = err.splitlines()
    assert [line for line in lines if line.startswith("impact : ")] == [
        f"impact : {n}/51" for n in (6, 11, 16, 21, 26, 31, 36, 41, 46, 51)
    ]
    assert [line for line in lines if not line.startswith("impact : ")] == [
        f"{files[0]}: fichier donné deux fois, lu une fois",
        f"{MECSS}: fichier donné deux fois, lu une fois",
    ]


def test_a_class_limit_moved_changes_the_class_not_the_score(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """ICALIN's B limit for category 13 raised from 78 to 79 (tableau 4): Les Pins' 78,5 stays, its
    class goes from B to C; bilan diff shows the limits of that category only."""
    text = (ROOT / V2009).read_text(encoding="utf-8").replace("campagne 2009", "campagne 2010", 1)
    row = "        13  26.5   38.25  78     84.5\n"
    assert text.count(row) == 1
    new = tmp_path / "limites.bilan"
    new.write_text(text.replace(row, "        13  26.5   38.25  79     84.5\n"), encoding="utf-8")
    status, out, _ = _run(capsys, "diff", V2009, str(new))
    assert status == 0
    assert out.splitlines()[2:] == [
        "1 changement(s) : 0 pour les réponses, 1 pour les scores, 0 de libellé",
        "",
        "Scores (points, maxima, pondérations, formules, classes) — 1",
        "  indicateur ICALIN",
        "    limites de classes, categorie = 13 : 26.5 38.25 78 84.5 → 26.5 38.25 79 84.5",
    ]
    status, out, _ = _run(capsys, "impact", V2009, str(new), *EXAMPLES)
    assert status == 0
    assert _section(out, "changements de classe") == [
        "changements de classe : 1 déclaration(s)",
        "  310007893  Maison d’enfants à caractère sanitaire Les Pins  (examples/mecss-les-pins.toml)",
        "    ICALIN   78,5 B → 78,5 C   ◀ classe",
    ]
