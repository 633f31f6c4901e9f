"""`bilan migrate --to NEW.bilan` on a store: the new year's declarations created in one
transaction (or none), history lines « reprise 2009 », last year's left untouched, a second
run refused with a message, two runs at once: one wins, the other is refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from killed_midway import killed_at_write

from bilan.cli.main import main
from bilan.cli.resources import load_campaign
from bilan.engine.identifiers import luhn_ok
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import read_answers
from bilan.store.db import Change, Store

ROOT = Path(__file__).resolve().parent.parent
VARIANT = str(ROOT / "examples" / "campaigns" / "variante-2010.bilan")
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
CAMPAIGN = load_campaign()

Snapshot = list[tuple[str, Declaration, list[Change]]]


def _fill(db: Path, count: int | None = None) -> None:
    """The examples, or `count` copies of the first one under distinct FINESS numbers."""
    decls = [read_answers(p, CAMPAIGN) for p in EXAMPLES]
    if count is not None:
        decls = [Declaration({**decls[0].answers, "finess": _finess(n)}, decls[0].blocks) for n in range(count)]
    store = Store(db, now=lambda: "2010-04-30T18:00:00")
    try:
        store.import_declarations(2009, [(str(d.answers["finess"]), d) for d in decls], who="cellule")
    finally:
        store.close()


def _finess(n: int) -> str:
    body = f"{75_000_000 + n:08d}"
    return next(body + key for key in "0123456789" if luhn_ok(body + key))


def _year(db: Path, year: int) -> Snapshot:
    store = Store(db)
    try:
        return [(row.finess, decl, store.history(row.id)) for row, decl in store.load_year(year)]
    finally:
        store.close()


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_new_year_opened_from_the_last(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    _fill(db)
    last_year = _year(db, 2009)
    status, out, err = _run(capsys, "--store", db, "migrate", "--to", VARIANT)
    assert (status, err) == (0, "")
    assert out.endswith(
        "total : 905 réponse(s) reprise(s), 0 non reprise(s), 0 à saisir\n"
        "campagne 2010 ouverte : 9 déclaration(s) créée(s), historique « reprise 2009 »\n"
    )
    assert _year(db, 2009) == last_year  # answers and history of 2009 untouched
    opened = _year(db, 2010)
    assert [f for f, _, _ in opened] == [f for f, _, _ in last_year]
    for (_, old, _), (_, new, history) in zip(last_year, opened, strict=True):
        expected = {("reunions_groupes_travail" if k == "reunions_groupes" else k): v for k, v in old.answers.items()}
        expected = {
            k: v
            for k, v in expected.items()
            if "." not in k or k.split(".")[0] not in ("sae", "sarm_2007", "sarm_2008")
        }
        assert new.answers == expected
        assert new.blocks == frozenset()  # the administration supplies the 2010 data
        assert {(c.field, c.new) for c in history} == set(new.answers.items())
        assert {c.origin for c in history} == {"reprise 2009"}
        assert all(c.old is None for c in history)


def test_a_second_run_is_refused_and_changes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    _fill(db)
    assert _run(capsys, "--store", db, "migrate", "--to", VARIANT)[0] == 0
    opened = _year(db, 2010)
    status, out, err = _run(capsys, "--store", db, "migrate", "--to", VARIANT)
    assert (status, out) == (1, "")
    assert err.startswith(
        f"campagne 2010 déjà ouverte dans {db} pour 9 établissement(s) : 060780335 (reprise 2009, le "
    )
    assert err.endswith(" ; rien n’a été écrit\n")
    assert _year(db, 2010) == opened
    # a dry run says it would be refused
    status, out, err = _run(capsys, "--store", db, "migrate", "--to", VARIANT, "--dry-run")
    assert status == 0
    assert out.endswith("--dry-run : rien n’a été écrit\n")
    assert err.startswith("campagne 2010 déjà ouverte pour : 060780335, 130014566,")
    assert _year(db, 2010) == opened


def test_dry_run_and_an_empty_year_write_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    _fill(db)
    status, out, _ = _run(capsys, "--store", db, "migrate", "--to", VARIANT, "--dry-run")
    assert status == 0
    assert out.startswith(f"reprise de 9 déclaration(s) de la campagne 2009 dans la campagne 2010 (base {db})\n")
    assert _year(db, 2010) == []
    empty = tmp_path / "vide.sqlite"
    Store(empty).close()
    assert _run(capsys, "--store", empty, "migrate", "--to", VARIANT) == (
        1,
        "",
        f"aucune déclaration 2009 dans {empty} : rien à reprendre\n",
    )


def test_a_store_that_does_not_exist_is_not_created(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    typo = tmp_path / "bilna.sqlite"
    assert _run(capsys, "--store", typo, "migrate", "--to", VARIANT) == (
        1,
        "",
        f"{typo} : base introuvable ; --store nomme la base qui contient la campagne 2009\n",
    )
    assert not typo.exists()


def test_a_failure_midway_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "b.sqlite"
    _fill(db)
    insert = Store._insert_whole
    calls: list[str] = []

    def failing(self: Store, finess: str, *args: object, **kwargs: object) -> int:
        calls.append(finess)
        if len(calls) == 5:
            raise sqlite3.OperationalError("database or disk is full")
        return insert(self, finess, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_insert_whole", failing)
    status, out, err = _run(capsys, "--store", db, "migrate", "--to", VARIANT)
    assert (status, out) == (1, "")
    assert err == "disque plein : rien n’a été enregistré de cette dernière modification ; libérer de la place\n"
    assert len(calls) == 5  # four declarations were written in the transaction, then rolled back
    assert _year(db, 2010) == []
    monkeypatch.setattr(Store, "_insert_whole", insert)
    assert _run(capsys, "--store", db, "migrate", "--to", VARIANT)[0] == 0
    assert len(_year(db, 2010)) == 9


def _command(db: Path) -> list[str]:
    return [sys.executable, "-m", "bilan.cli.main", "--store", str(db), "migrate", "--to", VARIANT]


@pytest.mark.system
def test_a_migration_killed_midway_leaves_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    _fill(db, 40)
    killed_at_write(25, _command(db)[3:], cwd=tmp_path)  # 24 of 40 written in the transaction
    assert _year(db, 2010) == []
    status, _, err = _run(capsys, *_command(db)[3:])  # the next run, in this process
    assert status == 0, err
    assert len(_year(db, 2010)) == 40


@pytest.mark.system
def test_two_migrations_at_once_one_wins(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    _fill(db)
    procs = [
        subprocess.Popen(_command(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outcomes = sorted((p.wait(timeout=120), *p.communicate()) for p in procs)
    (won, won_out, won_err), (lost, lost_out, lost_err) = outcomes
    assert (won, won_err) == (0, "")
    assert won_out.endswith("campagne 2010 ouverte : 9 déclaration(s) créée(s), historique « reprise 2009 »\n")
    assert (lost, lost_out) == (1, "")
    assert lost_err.startswith(f"campagne 2010 déjà ouverte dans {db} pour 9 établissement(s)")
    opened = _year(db, 2010)
    assert len(opened) == 9
    for _, decl, history in opened:  # written once: one history line per answer
        assert len(history) == len(decl.answers)
