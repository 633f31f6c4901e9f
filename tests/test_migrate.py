"""`bilan migrate --to NEW.bilan FILES… -o DIR`: last year's answers files carried into the new
campaign, renames followed, every value re-checked (dropped and listed, never coerced), an answer
whose branch changed carried only if still asked; nothing written on --dry-run or on any refusal."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from year_campaigns import NEW, OLD, compiled, o221_back_to_2009, pair

from bilan.cli.main import main
from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.expr import Value
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import dumps_declaration, read_answers
from bilan.yearchange.migration import Migration, Migrator

ROOT = Path(__file__).resolve().parent.parent
VARIANT = ROOT / "examples" / "campaigns" / "variante-2010.bilan"
MECSS = ROOT / "examples" / "mecss-les-pins.toml"
ANSWERS: dict[str, Value] = {
    "reunions.plenieres": Fraction(3),
    "reunions.groupes": Fraction(1),
    "usagers": "favorable",
    "nom": "12",
}


def _migrate(old: str, new: str, changed: dict[str, Value]) -> Migration:
    return Migrator(pair(old, new), keep_data=False).migrate(Declaration({**ANSWERS, **changed}, frozenset()))


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def campaigns(tmp_path: Path) -> tuple[Path, Path]:
    """The test pair as files, and last year's declaration beside them."""
    old, new = tmp_path / "2009.bilan", tmp_path / "2010.bilan"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW.replace("        texte\n", "        entier 2 chiffres\n"), encoding="utf-8")
    decl = Declaration(dict(ANSWERS), frozenset())
    (tmp_path / "pins-2009.toml").write_text(dumps_declaration(decl, compiled(OLD)), encoding="utf-8")
    return old, new


# ---------------------------------------------------------------------- what is carried


def test_renames_are_followed_and_the_file_is_one_of_the_new_campaign(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, MECSS, "-o", tmp_path)
    assert (status, err) == (0, "")
    written = tmp_path / "mecss-les-pins.toml"
    variant = load_campaign(VARIANT)
    carried = read_answers(written, variant)  # refused if it were not a 2010 file
    last_year = read_answers(MECSS, load_campaign(DEFAULT_QUESTIONNAIRE))
    assert carried.answers["reunions_groupes_travail"] == last_year.answers["reunions_groupes"] == 5
    assert "reunions_groupes" not in carried.answers
    # every other answer as it was; the external data blocks are the new year's to supply
    expected = {k: v for k, v in last_year.answers.items() if k != "reunions_groupes" and "." not in k}
    assert {k: v for k, v in carried.answers.items() if k != "reunions_groupes_travail" and "." not in k} == expected
    assert carried.blocks == frozenset()
    assert out.splitlines()[:3] == [
        f"reprise de 1 déclaration(s) de la campagne 2009 dans la campagne 2010 (dossier {tmp_path})",
        "renommages suivis : reunions_groupes → reunions_groupes_travail (1)",
        "données externes non reprises (chaque campagne reçoit les siennes de l’administration) : sae (1)",
    ]
    assert f"{MECSS} → {written}" in out
    # the carried answers score the same ICALIN under the 2010 rules as 2009's did under 2009's, but O211 5 (3
    # meetings) instead of 6 and O221 3 (users convened) instead of 2
    assert Engine(variant).score(carried).indicators["ICALIN"].value == 78.5


DECIMAL = OLD.replace("        texte\n", "        décimal 4 chiffres 2 décimales\n")
NOT_COERCED = [
    # (last year's file, this year's, the answer changed from ANSWERS, what is dropped and why)
    (
        OLD,
        NEW.replace("entier 2 chiffres", "entier 2 chiffres de 0 à 9"),
        {"reunions.plenieres": Fraction(12)},
        "reunions.plenieres = 12 : 12 hors des bornes (0 à 9) ; attendu : un nombre entier de 0 à 9",
    ),
    (
        OLD,
        NEW.replace("entier 2 chiffres", "entier 1 chiffres"),
        {"reunions.groupes": Fraction(10)},
        "reunions.groupes = 10 : 10 hors des bornes (0 à 9) ; attendu : un nombre entier de 0 à 9",
    ),
    (
        DECIMAL,
        NEW.replace("        texte\n", "        décimal 4 chiffres 1 décimales\n"),
        {"nom": Fraction(255, 100)},  # never rounded to 2,6 or 2,5
        "nom = 2,55 : 2,55 a plus de 1 décimale(s) ; attendu : un nombre de 0 à 9999,9, au plus 1 décimale(s)",
    ),
    (
        DECIMAL,
        NEW.replace("        texte\n", "        entier 2 chiffres\n"),
        {"nom": Fraction(5, 2)},
        "nom = 2,5 : 2,5 n’est pas un nombre entier ; attendu : un nombre entier de 0 à 99",
    ),
    (
        OLD,
        NEW.replace("        texte\n", "        entier 2 chiffres\n"),
        {"nom": "12"},  # a text that reads as a number is still a text
        "nom = 12 : le type de réponse a changé (texte → entier 2 chiffres)",
    ),
    (
        OLD,
        NEW.replace(" renomme de favorable", ""),
        {},
        "usagers = favorable : « favorable » n’est plus une réponse possible ; "
        'attendu : une réponse parmi "pour", "defavorable"',
    ),
]


@pytest.mark.parametrize(("old", "new", "changed", "dropped"), NOT_COERCED)
def test_a_value_the_new_type_refuses_is_dropped_and_listed(
    old: str, new: str, changed: dict[str, Value], dropped: str
) -> None:
    m = _migrate(old, new, changed)
    assert [d.text() for d in m.dropped] == [dropped]
    (field,) = (d.field for d in m.dropped)
    carried = {**ANSWERS, **changed}
    del carried[field]
    assert len(m.declaration.answers) == m.carried == len(carried)  # all the others carried, none added


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [
        (DECIMAL, NEW.replace("        texte\n", "        décimal 4 chiffres 1 décimales\n"), Fraction(5, 2)),
        (DECIMAL, NEW.replace("        texte\n", "        entier 2 chiffres\n"), Fraction(2)),
        (OLD, NEW.replace("entier 2 chiffres", "entier 2 chiffres de 0 à 12"), Fraction(12)),  # the bound itself
    ],
)
def test_a_value_the_new_type_still_accepts_is_carried_as_it_is(old: str, new: str, value: Fraction) -> None:
    field = "nom" if old == DECIMAL else "reunions.plenieres"
    m = _migrate(old, new, {field: value})
    assert m.dropped == ()
    assert m.declaration.answers["nom" if old == DECIMAL else "seances.pleniere"] == value


BRANCH = NEW.replace("        avis\n", "        avis\n        si seances.pleniere > 0\n", 1)
WAS_HIDDEN = OLD.replace("        avis\n", "        avis\n        si reunions.plenieres > 5\n", 1)


@pytest.mark.parametrize(
    ("old", "plenary", "dropped"),
    [
        (OLD, 0, ["usagers = favorable : plus posée à cet établissement (si seances.pleniere > 0)"]),
        (OLD, 1, []),  # the boundary: 1 > 0, still asked
        (WAS_HIDDEN, 3, ["usagers = favorable : masquée en 2009, posée en 2010 (si seances.pleniere > 0) : à saisir"]),
        (WAS_HIDDEN, 6, []),  # shown both years
        (WAS_HIDDEN, 0, []),  # hidden both years: kept as it was, hidden
    ],
)
def test_an_answer_whose_branch_changed_is_carried_only_if_shown_as_last_year(
    old: str, plenary: int, dropped: list[str]
) -> None:
    m = _migrate(old, BRANCH, {"reunions.plenieres": Fraction(plenary)})
    assert [d.text() for d in m.dropped] == dropped
    assert ("usagers" in m.declaration.answers) == (not dropped)
    assert m.to_enter == (("usagers",) if "à saisir" in "".join(dropped) else ())


# ---------------------------------------------------------------------- the command


def test_the_report_and_the_file_of_a_migration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, campaigns: tuple[Path, Path]
) -> None:
    old, new = campaigns
    out_dir = tmp_path / "2010"
    status, out, err = _run(capsys, "-q", old, "migrate", "--to", new, tmp_path / "pins-2009.toml", "-o", out_dir)
    assert (status, err) == (0, "")
    assert out == (
        f"reprise de 1 déclaration(s) de la campagne 2009 dans la campagne 2010 (dossier {out_dir})\n"
        "renommages suivis : reunions.plenieres → seances.pleniere (1), reunions.groupes → seances.groupes (1), "
        "usagers : favorable → pour (1)\n"
        "\n"
        f"{tmp_path / 'pins-2009.toml'} → {out_dir / 'pins-2010.toml'}\n"
        "  3 réponse(s) reprise(s) (dont 2 sous un autre nom), 1 non reprise(s), 0 à saisir\n"
        "  non reprises :\n"
        "    nom = 12 : le type de réponse a changé (texte → entier 2 chiffres)\n"
        "\n"
        "total : 3 réponse(s) reprise(s), 1 non reprise(s), 0 à saisir\n"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == ["pins-2010.toml"]
    carried = read_answers(out_dir / "pins-2010.toml", compiled(new.read_text(encoding="utf-8")))
    assert carried.answers == {"seances.pleniere": 3, "seances.groupes": 1, "usagers": "pour"}


def test_dry_run_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, campaigns: tuple[Path, Path]
) -> None:
    old, new = campaigns
    before = sorted(tmp_path.iterdir())
    status, out, _ = _run(
        capsys, "-q", old, "migrate", "--to", new, tmp_path / "pins-2009.toml", "-o", tmp_path / "2010", "--dry-run"
    )
    assert status == 0
    assert out.endswith(
        "total : 3 réponse(s) reprise(s), 1 non reprise(s), 0 à saisir\n--dry-run : rien n’a été écrit\n"
    )
    assert sorted(tmp_path.iterdir()) == before


def test_never_over_an_input_nor_over_last_runs_files_and_then_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inputs = tmp_path / "2009"
    inputs.mkdir()
    other = tmp_path / "chu-nord.toml"
    other.write_bytes((ROOT / "examples" / "chu-nord.toml").read_bytes())
    own = inputs / "mecss-les-pins.toml"
    own.write_bytes(MECSS.read_bytes())
    # mecss-les-pins.toml would go over its own input: refused before chu-nord.toml is written
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, other, own, "-o", inputs)
    assert (status, out) == (1, "")
    assert "bilan ne l’écrase pas" in err
    assert sorted(p.name for p in inputs.iterdir()) == ["mecss-les-pins.toml"]
    assert own.read_bytes() == MECSS.read_bytes()
    # a second run into the same folder: last run's files may have been completed since
    out_dir = tmp_path / "2010"
    assert _run(capsys, "migrate", "--to", VARIANT, own, "-o", out_dir)[0] == 0
    (out_dir / "mecss-les-pins.toml").write_text("# complété depuis\n", encoding="utf-8")
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, other, own, "-o", out_dir)
    assert (status, out) == (1, "")
    assert err == (
        f"1 fichier(s) déjà présent(s) dans {out_dir}, qu’une reprise n’écrase pas : mecss-les-pins.toml : "
        "rien n’a été écrit\n"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == ["mecss-les-pins.toml"]
    assert (out_dir / "mecss-les-pins.toml").read_text(encoding="utf-8") == "# complété depuis\n"


def test_the_same_file_twice_is_migrated_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    link = tmp_path / "lien.toml"
    link.symlink_to(MECSS)
    status, out, _ = _run(capsys, "migrate", "--to", VARIANT, MECSS, MECSS, link, "-o", tmp_path / "2010")
    assert status == 0
    assert out.startswith("reprise de 1 déclaration(s)")
    assert [p.name for p in (tmp_path / "2010").iterdir()] == ["mecss-les-pins.toml"]


def test_two_files_for_one_target_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / "mecss-les-pins.toml"
    copy.write_bytes(MECSS.read_bytes())
    status, _, err = _run(capsys, "migrate", "--to", VARIANT, MECSS, copy, "-o", tmp_path / "2010")
    assert status == 1
    assert (
        err
        == f"{copy} et {MECSS} iraient tous deux dans {tmp_path / '2010' / 'mecss-les-pins.toml'} : rien n’a été écrit\n"
    )
    assert not (tmp_path / "2010").exists()


def test_a_file_of_another_campaign_year_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(capsys, "migrate", "--to", VARIANT, MECSS, "-o", tmp_path / "2010")[0] == 0
    migrated = tmp_path / "2010" / "mecss-les-pins.toml"
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, migrated, "-o", tmp_path / "encore")
    assert (status, out) == (1, "")
    assert (
        err.splitlines()[0]
        == f"{migrated}: bilan.campagne : réponses de la campagne 2010, questionnaire de la campagne 2009"
    )
    assert not (tmp_path / "encore").exists()


def test_usage_mistakes_are_french_messages(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(capsys, "migrate", "--to", VARIANT, MECSS) == (
        1,
        "",
        "-o DOSSIER manquant : le dossier où écrire les fichiers de la campagne 2010 (ou --dry-run pour le seul "
        "compte rendu)\n",
    )
    status, _, err = _run(capsys, "-q", VARIANT, "migrate", "--to", DEFAULT_QUESTIONNAIRE, MECSS, "-o", tmp_path)
    assert status == 1
    assert err.endswith(
        "campagne 2009, antérieure à celle des déclarations (2010) : une reprise va d’une campagne à la suivante\n"
    )
    status, _, err = _run(capsys, "migrate", "--to", DEFAULT_QUESTIONNAIRE, MECSS, "-o", tmp_path / "meme")
    assert status == 1
    assert err.endswith(
        "campagne 2009, la même que celle des déclarations (2009) : une reprise va d’une campagne à la suivante\n"
    )
    assert not (tmp_path / "meme").exists()
    a_file = tmp_path / "fichier"
    a_file.write_text("", encoding="utf-8")
    assert _run(capsys, "migrate", "--to", VARIANT, MECSS, "-o", a_file) == (
        1,
        "",
        f"{a_file}: n’est pas un dossier (-o nomme le dossier des fichiers repris)\n",
    )
    status, _, err = _run(capsys, "migrate", "--to", tmp_path / "absent.bilan", MECSS, "-o", tmp_path)
    assert (status, err) == (1, f"{tmp_path / 'absent.bilan'}: fichier introuvable\n")


def test_a_rename_from_a_name_last_year_lacks_is_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, campaigns: tuple[Path, Path]
) -> None:
    old, new = campaigns
    new.write_text(
        new.read_text(encoding="utf-8").replace("renomme de reunions", "renomme de reunion"), encoding="utf-8"
    )
    status, out, err = _run(capsys, "-q", old, "migrate", "--to", new, tmp_path / "pins-2009.toml", "--dry-run")
    assert status == 0
    assert err == (
        "attention : question « seances » renommée de « reunion » : aucune question de ce nom dans la campagne 2009\n"
    )
    assert "    reunions.plenieres = 3 : question retirée en 2010" in out.splitlines()


@pytest.mark.parametrize("command", ["diff", "impact", "migrate"])
def test_a_campaign_bilan_check_refuses_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """O221 back to 2 points in the 2010 variant (O211 still 5): the items no longer add up to
    ICALIN's 100, which only bilan check's analysis sees; comparing with it, rescoring under it
    or migrating into it must stop there."""
    text = Path(VARIANT).read_text(encoding="utf-8")
    broken = tmp_path / "o211.bilan"
    broken.write_text(o221_back_to_2009(text), encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    commands: dict[str, list[str | Path]] = {
        "diff": ["diff", DEFAULT_QUESTIONNAIRE, broken],
        "impact": ["impact", DEFAULT_QUESTIONNAIRE, broken, MECSS],
        "migrate": ["migrate", "--to", broken, MECSS, "-o", tmp_path / "out"],
    }
    status, out, err = _run(capsys, *commands[command])
    assert (status, out) == (1, "")
    assert "ne peut pas atteindre son maximum déclaré" in err and f"dans {broken}" in err
    assert not (tmp_path / "out").exists()


def test_an_interrupted_migration_leaves_no_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl-C (or a full disk) after some files are written: the run's files go, so that running
    it again is not refused for files half a run left behind."""
    from bilan.cli import migrate as migrate_cli
    from bilan.common.outputs import write_new as write

    calls: list[Path] = []

    def interrupted(path: Path, content: str) -> None:
        if len(calls) == 5:
            raise KeyboardInterrupt
        calls.append(path)
        write(path, content)

    monkeypatch.setattr(migrate_cli, "write_new", interrupted)
    examples = sorted((ROOT / "examples").glob("*.toml"))
    status, _, err = _run(capsys, "migrate", "--to", VARIANT, *examples, "-o", tmp_path / "2010")
    assert (status, err) == (130, "interrompu\n")
    assert len(calls) == 5 and list((tmp_path / "2010").iterdir()) == []


def test_renamed_options_of_a_multiple_choice_are_listed_with_their_new_codes() -> None:
    """A multiple choice of the same options as `usagers`: each code a rename changed is listed."""
    several = (
        '        facultatif\n    question 5 avis_divers "Avis divers ?"\n        plusieurs avis\n        facultatif\n'
    )
    old, new = (text.replace("        facultatif\n", several, 1) for text in (OLD, NEW))
    m = _migrate(old, new, {"avis_divers": frozenset({"favorable", "defavorable"})})
    assert m.declaration.answers["avis_divers"] == frozenset({"pour", "defavorable"})
    assert m.recoded == (("usagers : favorable", "pour"), ("avis_divers : favorable", "pour"))


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("cassé.toml", '[bilan]\ncampagne = 2009\nfiness = "75\n', ":3:13: TOML invalide : texte non fermé"),
        ("vide.toml", "", ": aucune réponse : rien à reprendre (un fichier vide ?)\n"),
    ],
)
def test_a_file_it_cannot_carry_is_named_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: str, problem: str
) -> None:
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, MECSS, bad, "-o", tmp_path / "2010")
    assert (status, out) == (1, "")
    assert err.startswith(f"{bad}{problem}")
    assert err.endswith("1 fichier(s) refusé(s) sur 2 : rien n’a été écrit\n")
    assert "Traceback" not in err
    assert not (tmp_path / "2010").exists()


def test_a_file_written_meanwhile_by_another_migration_is_never_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two migrations into one folder at once both passed the check that no file is there yet; the
    second then replaced the first's files and both said they succeeded."""
    import bilan.cli.migrate

    out_dir = tmp_path / "2010"
    out_dir.mkdir()
    monkeypatch.setattr(bilan.cli.migrate, "_taken", lambda *args: None)  # as if checked before the other wrote
    (out_dir / "mecss-les-pins.toml").write_text("# écrit par l’autre reprise\n", encoding="utf-8")
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, MECSS, "-o", out_dir)
    assert (status, out) == (1, "")
    assert err.startswith(f"{out_dir / 'mecss-les-pins.toml'}: ce fichier existe déjà")
    assert (out_dir / "mecss-les-pins.toml").read_text(encoding="utf-8") == "# écrit par l’autre reprise\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["mecss-les-pins.toml"]  # no temporary file left


def test_o_without_files_is_refused_rather_than_migrating_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = tmp_path / "b.sqlite"
    assert main(["--store", str(store), "import", str(MECSS)]) == 0
    capsys.readouterr()
    status, out, err = _run(capsys, "--store", store, "migrate", "--to", VARIANT, "-o", tmp_path / "xo")
    assert (status, out) == (1, "")
    assert err == (
        f"-o {tmp_path / 'xo'} : sans fichiers, bilan migrate reprend les déclarations de la base, dans la base ; "
        "-o n’a d’effet qu’avec des fichiers à reprendre\n"
    )
    assert not (tmp_path / "xo").exists()
    from bilan.store.db import Store

    db = Store(store)
    try:
        assert db.declarations(2010) == [] and len(db.declarations(2009)) == 1  # not migrated
    finally:
        db.close()


def test_a_file_that_cannot_be_written_is_a_message_not_an_internal_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The temporary file's name is too long (the input's name is 250 characters): it was made
    outside the guard that turns system errors into messages."""
    long = tmp_path / ("m" * 245 + ".toml")
    long.write_bytes(MECSS.read_bytes())
    status, out, err = _run(capsys, "migrate", "--to", VARIANT, long, "-o", tmp_path / "2010")
    assert (status, out) == (1, "")
    assert err.endswith("écriture impossible (nom de fichier trop long)\n")
    assert list((tmp_path / "2010").iterdir()) == []
