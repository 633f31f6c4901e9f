"""The store keeps every committed answer, its history, one writer at a time, whole imports only."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.common.errors import UserError
from bilan.engine.result import Declaration
from bilan.store.codec import decode, encode
from bilan.store.db import Store

CAMPAIGN = load_campaign()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "b.sqlite")
    yield s
    s.close()


@pytest.mark.parametrize(
    "value",
    [
        "oui",  # a choice code
        3,  # an integer choice code (categorie)
        Fraction(5, 2),  # a decimal answer
        Fraction(40),  # a whole number answer stays a Fraction
        frozenset({"digestive", "generale"}),  # a multiple choice
        None,  # a cleared answer
    ],
)
def test_codec_round_trip_keeps_type(value: object) -> None:
    back = decode(encode(value))  # type: ignore[arg-type]
    assert back == value and type(back) is type(value)


def test_answers_and_history(store: Store) -> None:
    d = store.create("750712184", 2009, who="ana")
    assert store.set_answer(d, "reunions_clin", Fraction(3), who="ana")
    assert not store.set_answer(d, "reunions_clin", Fraction(3), who="ana")  # unchanged: no history line
    store.set_answer(d, "reunions_clin", Fraction(4), who="bob")
    store.set_answer(d, "reunions_clin", None, who="bob")
    assert "reunions_clin" not in store.load(d).answers
    changes = [(c.who, c.field, c.old, c.new) for c in store.history(d)]
    assert changes == [
        ("ana", "finess", None, "750712184"),
        ("ana", "reunions_clin", None, Fraction(3)),
        ("bob", "reunions_clin", Fraction(3), Fraction(4)),
        ("bob", "reunions_clin", Fraction(4), None),
    ]
    assert store.get(d).last_field == "reunions_clin"


def test_justification_and_validation_lock(store: Store) -> None:
    d = store.create("750712184", 2009)
    store.set_justification(d, "ddj_nul", "pas de dispensation en 2009")
    assert store.load(d).justifications == {"ddj_nul": "pas de dispensation en 2009"}
    store.validate(d, "Hélène Durand")
    row = store.get(d)
    assert row.validated_by == "Hélène Durand" and row.validated_at
    with pytest.raises(UserError, match="validée"):
        store.set_answer(d, "reunions_clin", Fraction(1))


def test_second_session_is_refused_until_the_first_releases(tmp_path: Path) -> None:
    a, b = Store(tmp_path / "b.sqlite"), Store(tmp_path / "b.sqlite")
    d = a.create("750712184", 2009)
    assert a.acquire(d, "ana") is None
    holder = b.acquire(d, "bob")
    assert holder is not None and holder.who == "ana" and holder.pid == os.getpid()
    with pytest.raises(UserError, match="ana"):
        b.set_answer(d, "reunions_clin", Fraction(1))
    a.release(d)
    assert b.acquire(d, "bob") is None


@pytest.mark.system
def test_lease_of_a_dead_process_is_taken_over(store: Store, tmp_path: Path) -> None:
    d = store.create("750712184", 2009)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store.conn.execute(
        "INSERT INTO leases VALUES (?, 'x', 'ghost', ?, ?, '2010-01-01', '2010-01-01')",
        (d, os.uname().nodename, dead.pid),
    )
    assert store.acquire(d, "ana") is None


def test_import_is_all_or_nothing(store: Store, tmp_path: Path) -> None:
    decl = demo_declaration(CAMPAIGN)
    d = store.import_declaration("750712184", 2009, decl, who="import")
    assert store.load(d).answers == decl.answers
    assert store.load(d).blocks == decl.blocks
    with pytest.raises(UserError, match="--replace"):
        store.import_declaration("750712184", 2009, decl)
    smaller = Declaration({"finess": "750712184", "reunions_clin": Fraction(1)}, frozenset(), {})
    store.import_declaration("750712184", 2009, smaller, replace=True)
    # every answer replaced, but the administration's data blocks, absent from the file, are kept
    data = {k: v for k, v in decl.answers.items() if k.split(".")[0] in decl.blocks}
    assert data and store.load(d).answers == {**smaller.answers, **data}
    assert {c.origin for c in store.history(d)} == {"import"}


def test_cli_import_bad_file_writes_nothing(tmp_path: Path) -> None:
    from bilan.cli.main import main

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[etablissement]\nfiness = "750712184"\n[reponses]\nreunions_clin = 4\nusagers_convoques = "peut-être"\n'
    )
    db = tmp_path / "b.sqlite"
    assert main(["--store", str(db), "import", str(bad)]) == 1
    s = Store(db)
    assert s.declarations() == []
    s.close()


def test_cli_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bilan.cli.main import main
    from bilan.exports.answers_toml import parse_answers

    s = Store(tmp_path / "b.sqlite")
    s.import_declaration("750712184", 2009, demo_declaration(CAMPAIGN))
    s.close()
    assert main(["--store", str(tmp_path / "b.sqlite"), "export", "--with-scores"]) == 0
    out = capsys.readouterr().out
    assert "[resultats.indicateurs.ICALIN]" in out
    answers = out.split("[resultats")[0]
    assert parse_answers(answers, CAMPAIGN).answers == demo_declaration(CAMPAIGN).answers


WRITER = """
import sys, time
from fractions import Fraction
from bilan.store.db import Store
s = Store(sys.argv[1])
d = s.create("750712184", 2009)
for i in range(100000):
    s.set_answer(d, "reunions_groupes", Fraction(i % 100))
    s.set_answer(d, f"note_{i}", Fraction(i))
    print(i, flush=True)
"""


@pytest.mark.system
def test_sigkill_loses_no_committed_answer(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    # cwd elsewhere: from the repository's root, `python -c` would import its bilan/ folder, which
    # holds only the root of the package, instead of the installed package
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    assert proc.stdout is not None
    seen = -1
    deadline = time.monotonic() + 30
    while seen < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, "the writer process stopped before writing"
        seen = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    s = Store(db)
    answers = s.load(s.declarations()[0].id).answers
    committed = [i for i in range(seen + 1)]
    assert all(answers[f"note_{i}"] == Fraction(i) for i in committed)
    s.close()


def test_holder_is_described_in_french(tmp_path: Path) -> None:
    """The read-only notice said « depuis 2026-11-25 10:53 » beside French dates everywhere else."""
    a, b = Store(tmp_path / "b.sqlite"), Store(tmp_path / "b.sqlite")
    d = a.create("750712184", 2009)
    assert a.acquire(d, "ana") is None
    holder = b.acquire(d, "bob")
    assert holder is not None
    text = holder.describe()
    assert re.search(r"depuis le \d\d/\d\d/\d{4} à \d\d:\d\d\)$", text), text


@pytest.mark.system
def test_lease_of_a_process_ended_but_not_yet_reaped_is_taken_over(store: Store) -> None:
    """A closed terminal leaves the app a zombie for a moment: reopening at once must not be read-only."""
    d = store.create("750712184", 2009)
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    stat = Path(f"/proc/{ended.pid}/stat")
    if not stat.parent.exists():
        ended.wait()
        pytest.skip("no /proc: a zombie is seen as alive until reaped")
    deadline = time.monotonic() + 30
    while b") Z " not in stat.read_bytes() and time.monotonic() < deadline:  # ended, not reaped (no wait())
        time.sleep(0.01)
    store.conn.execute(
        "INSERT INTO leases VALUES (?, 'x', 'ghost', ?, ?, '2010-01-01', '2010-01-01')",
        (d, os.uname().nodename, ended.pid),
    )
    assert store.acquire(d, "ana") is None
    ended.wait()
