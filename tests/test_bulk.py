"""A whole campaign in and out of the store: `bilan import FILES…`, `bilan export --all`."""

from __future__ import annotations

import io
import os
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from killed_midway import killed_at_write

from bilan.cli.main import main
from bilan.cli.progress import Progress
from bilan.cli.resources import load_campaign
from bilan.common.errors import UserError
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import read_answers, read_declarations
from bilan.store.codec import encode
from bilan.store.db import Store

CAMPAIGN = load_campaign()
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))


def _stored(db: Path) -> dict[str, Declaration]:
    """The declarations of the store, as files hold them (without who supplied the data blocks)."""
    store = Store(db)
    try:
        return {
            row.finess: Declaration(decl.answers, decl.blocks, decl.justifications)
            for row, decl in store.load_year(CAMPAIGN.year)
        }
    finally:
        store.close()


def _examples() -> dict[str, Declaration]:
    out = {}
    for path in EXAMPLES:
        decl = read_answers(path, CAMPAIGN)
        out[str(decl.answers["finess"])] = decl
    return out


# ---------------------------------------------------------------------- the store


def test_a_bulk_import_writes_answers_blocks_justifications_and_history(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.sqlite", now=lambda: "2010-03-01T10:00:00")
    decls = _examples()
    ids = store.import_declarations(CAMPAIGN.year, list(decls.items()), who="cellule")
    assert len(ids) == len(decls) == len(set(ids))
    for (finess, decl), d in zip(decls.items(), ids, strict=True):
        loaded = store.load(d)
        assert (loaded.answers, loaded.blocks, loaded.justifications) == (
            decl.answers,
            decl.blocks,
            decl.justifications,
        )
        history = store.history(d)
        assert history[0].field == "finess" and history[0].new == finess
        assert [(c.field, c.old, c.new) for c in history[1:]] == [
            (f, None, v) for f, v in decl.answers.items() if f != "finess"
        ]
        assert {(c.at, c.who, c.origin) for c in history} == {("2010-03-01T10:00:00", "cellule", "import")}
        row = store.get(d)
        assert row.created_at == row.updated_at == "2010-03-01T10:00:00"
    store.close()


def test_one_import_of_many_is_all_or_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.sqlite")
    decls = list(_examples().items())
    store.import_declarations(CAMPAIGN.year, decls[3:4])
    with pytest.raises(UserError, match="--replace"):
        store.import_declarations(CAMPAIGN.year, decls)  # the fourth exists: none of the others is written
    assert [r.finess for r in store.declarations()] == [decls[3][0]]
    with pytest.raises(UserError, match="en double"):
        store.import_declarations(CAMPAIGN.year, [decls[0], decls[1], decls[0]])
    assert len(store.declarations()) == 1
    smaller = Declaration({"finess": decls[3][0], "reunions_clin": Fraction(1)}, frozenset(), {})
    store.import_declarations(CAMPAIGN.year, [*decls[:3], (decls[3][0], smaller)], replace=True)
    assert {r.finess for r in store.declarations()} == {f for f, _ in decls[:4]}
    replaced = store.find(decls[3][0], CAMPAIGN.year)
    assert replaced is not None
    data = {f.name for s in CAMPAIGN.data_blocks for f in s.fields()}
    answers = store.load(replaced.id).answers
    # the administration's figures (SAE, SARM), left out of the smaller file, are kept (store.sources)
    assert {k: v for k, v in answers.items() if k not in data} == smaller.answers
    store.close()


def test_a_whole_declaration_is_encoded_as_one_answer_at_a_time_would_be(tmp_path: Path) -> None:
    """The rows of a bulk import are those of the entry app: one per answer, values encoded alike."""
    decl = _examples()["750712184"]
    bulk = Store(tmp_path / "bulk.sqlite")
    d = bulk.import_declarations(CAMPAIGN.year, [("750712184", decl)])[0]
    by_hand = Store(tmp_path / "hand.sqlite")
    h = by_hand.create("750712184", CAMPAIGN.year)
    for field, value in decl.answers.items():
        by_hand.set_answer(h, field, value)
    rows = "SELECT field, value FROM answers WHERE declaration = ? ORDER BY field"
    assert bulk.conn.execute(rows, (d,)).fetchall() == by_hand.conn.execute(rows, (h,)).fetchall()
    assert dict(bulk.conn.execute(rows, (d,)).fetchall())["reunions_clin"] == encode(decl.answers["reunions_clin"])
    bulk.close()
    by_hand.close()


# ---------------------------------------------------------------------- bilan import FILES…


def test_import_of_many_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "b.sqlite"
    assert main(["--store", str(db), "import", *map(str, EXAMPLES)]) == 0
    assert f"{len(EXAMPLES)} déclarations 2009 importées dans {db}" in capsys.readouterr().err
    assert _stored(db) == _examples()


def test_every_refused_file_is_named_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "mauvais.toml"
    bad.write_text('[etablissement]\nfiness = "750712184"\n[reponses]\nreunions_clin = "quatre"\n', encoding="utf-8")
    no_finess = tmp_path / "sans-finess.toml"
    no_finess.write_text("[reponses]\nreunions_clin = 4\n", encoding="utf-8")
    broken = tmp_path / "casse.toml"
    broken.write_text("[reponses\n", encoding="utf-8")
    db = tmp_path / "b.sqlite"
    files = [*map(str, EXAMPLES), str(bad), str(no_finess), str(broken), str(tmp_path / "absent.toml")]
    assert main(["--store", str(db), "import", *files]) == 1
    err = capsys.readouterr().err
    for path in (bad, no_finess, broken, tmp_path / "absent.toml"):
        assert str(path) in err
    assert "4 fichier(s) refusé(s) sur 13 : rien n’a été importé" in err
    assert _stored(db) == {}


def test_a_file_named_twice_is_imported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "b.sqlite"
    link = tmp_path / "lien.toml"
    link.symlink_to(EXAMPLES[0])
    assert main(["--store", str(db), "import", str(EXAMPLES[0]), str(EXAMPLES[1]), str(link), str(EXAMPLES[0])]) == 0
    err = capsys.readouterr().err
    assert err.count("fichier donné deux fois, lu une fois") == 2
    assert len(_stored(db)) == 2


def test_two_files_for_one_establishment_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copie.toml"
    shutil.copyfile(EXAMPLES[0], copy)
    db = tmp_path / "b.sqlite"
    assert main(["--store", str(db), "import", str(EXAMPLES[0]), str(EXAMPLES[1]), str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"{copy}: FINESS" in err and f"déjà importé par {EXAMPLES[0]}" in err
    assert _stored(db) == {}


# ---------------------------------------------------------------------- bilan export --all


def test_export_all_to_a_folder_writes_what_export_finess_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "b.sqlite"
    assert main(["--store", str(db), "import", *map(str, EXAMPLES)]) == 0
    out = tmp_path / "export"
    assert main(["--store", str(db), "export", "--all", "--with-scores", "-o", str(out)]) == 0
    written = sorted(out.iterdir())
    assert [p.name for p in written] == sorted(f"{f}-2009.toml" for f in _examples())
    capsys.readouterr()
    for path in written:
        assert main(["--store", str(db), "export", path.name.split("-")[0], "--with-scores"]) == 0
        assert path.read_text(encoding="utf-8") == capsys.readouterr().out
    plain = tmp_path / "sans-scores"
    assert main(["--store", str(db), "export", "--all", "-o", str(plain)]) == 0
    again = tmp_path / "again.sqlite"
    assert main(["--store", str(again), "import", *map(str, sorted(plain.iterdir()))]) == 0
    assert _stored(again) == _examples()


def test_export_all_as_one_stream_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "b.sqlite"
    assert main(["--store", str(db), "import", *map(str, EXAMPLES)]) == 0
    capsys.readouterr()
    assert main(["--store", str(db), "export", "--all", "--with-scores"]) == 0
    stream = tmp_path / "campagne.toml"
    stream.write_text(capsys.readouterr().out, encoding="utf-8")
    assert len(read_declarations(stream, CAMPAIGN)) == len(EXAMPLES)
    # the results are those `bilan score` computes, in the same format
    assert main(["score", str(stream), "--format", "toml"]) == 0
    rescored = capsys.readouterr().out
    assert rescored == stream.read_text(encoding="utf-8")
    again = tmp_path / "again.sqlite"
    assert main(["--store", str(again), "import", str(stream)]) == 0
    assert _stored(again) == _examples()


def test_export_all_refuses_a_finess_and_an_empty_campaign(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "b.sqlite"
    assert main(["--store", str(db), "export", "--all"]) == 1
    assert "aucune déclaration 2009" in capsys.readouterr().err
    assert main(["--store", str(db), "export", "--all", "750712184"]) == 1
    assert "ne pas donner de FINESS" in capsys.readouterr().err


# ---------------------------------------------------------------------- progress


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize(
    ("terminal", "total", "expected_lines"),
    [
        (False, 10, 0),  # a small batch in a log: nothing
        (False, 499, 0),
        (False, 500, 10),  # a large one (from 500): a line every tenth
        (False, 1000, 10),
        (True, 10, 1),  # a terminal: one line, rewritten in place
    ],
)
def test_progress_is_shown_on_a_terminal_or_for_large_batches(terminal: bool, total: int, expected_lines: int) -> None:
    stream = _Stream(terminal)
    progress = Progress(total, "import", stream)
    for n in range(1, total + 1):
        progress.tick(n)
    progress.close()
    text = stream.getvalue()
    assert text.count("\n") == expected_lines
    if expected_lines:
        assert text.rstrip("\n").endswith(f"import : {total}/{total}")


def test_remembered_encodings_keep_types_apart_and_share_only_immutable_values() -> None:
    from bilan.store.codec import decode

    for first, second in ((1, Fraction(1)), (Fraction(2), 2), ("1", 1)):
        assert encode(first) != encode(second)
        assert type(decode(encode(first))) is type(first)
        assert type(decode(encode(second))) is type(second)
    listed = decode("[1, 2]")
    assert isinstance(listed, list)
    listed.append(3)
    assert decode("[1, 2]") == [1, 2]


def _finess(n: int) -> str:
    """A valid FINESS number (Luhn key) for establishment n."""
    from bilan.engine.identifiers import luhn_ok

    body = f"{75_000_000 + n:08d}"
    return next(body + key for key in "0123456789" if luhn_ok(body + key))


@pytest.mark.system
def test_an_import_killed_midway_leaves_nothing(tmp_path: Path) -> None:
    """SIGKILL while the declarations are being written (24 of 40 written in the transaction):
    none of them is in the store, and the next import finds the store usable."""
    from bilan.exports.answers_toml import dumps_declaration

    example = read_answers(EXAMPLES[0], CAMPAIGN)
    files = []
    for n in range(40):
        decl = Declaration({**example.answers, "finess": _finess(n)}, example.blocks, example.justifications)
        path = tmp_path / f"d{n:03d}.toml"
        path.write_text(dumps_declaration(decl, CAMPAIGN), encoding="utf-8")
        files.append(str(path))
    db = tmp_path / "b.sqlite"
    killed_at_write(25, ["--store", str(db), "import", *files], cwd=tmp_path)
    assert _stored(db) == {}
    assert main(["--store", str(db), "import", *files]) == 0
    assert len(_stored(db)) == 40


@pytest.mark.system
@pytest.mark.parametrize("group", [True, False], ids=["Ctrl-C", "kill -INT"])
def test_an_interrupted_parallel_batch_stops_its_workers_without_a_traceback(tmp_path: Path, group: bool) -> None:
    """Ctrl-C reaches the whole foreground group, workers included: they used to print their own
    tracebacks; a SIGINT to the command alone left workers writing to a pipe nobody read, and the
    command hung for good."""
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    files = []
    for n in range(600):  # past the 500 from which progress is written, and spread over workers
        files.append(tmp_path / f"f{n}.toml")
        shutil.copyfile(EXAMPLES[0], files[-1])
    bilan = str(Path(sys.executable).with_name("bilan"))
    command = [bilan, "impact", str(root / "questionnaire.bilan"), str(root / "examples/campaigns/variante-2010.bilan")]
    proc = subprocess.Popen(
        [*command, *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    assert proc.stderr is not None
    try:
        first = proc.stderr.readline()  # the first progress line: the workers are at work (or the end)
        if group:
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        _, rest = proc.communicate(timeout=60)  # a hang fails here instead of blocking the suite
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert first.startswith(b"impact : ")
    assert proc.returncode == 130 and rest.endswith(b"interrompu\n") and b"Traceback" not in rest, rest


def test_score_reads_a_file_named_twice_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As import, impact and migrate do: its results were written twice, and the results file
    was then refused by import (« déjà importé »)."""
    monkeypatch.chdir(EXAMPLES[0].parent)
    name = EXAMPLES[0].name
    assert main(["score", "--format", "toml", name, f"./{name}", "-o", str(tmp_path / "r.toml")]) == 0
    assert capsys.readouterr().err == f"{name}: fichier donné deux fois, lu une fois\n"  # Path drops « ./ »
    assert (tmp_path / "r.toml").read_text(encoding="utf-8").count("[[declaration]]") == 1
    assert main(["--store", str(tmp_path / "b.sqlite"), "import", str(tmp_path / "r.toml")]) == 0


def _dies_on_x3(path: Path) -> str:
    if path.name == "x3":
        os._exit(1)  # a worker killed (out of memory, kill -9)
    return path.name


@pytest.mark.system
def test_a_worker_that_dies_stops_the_batch_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """A multiprocessing pool waited for the dead worker's chunk for good; the executor notices."""
    import threading

    from bilan.cli import batch

    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # workers even on one core: never _exit this process
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(list(batch.parallel_map(_dies_on_x3, [Path(f"x{n}") for n in range(8)])))
        except UserError as exc:
            outcome.append(exc.render())

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    assert outcome == ["un processus de calcul s’est arrêté brutalement (mémoire épuisée ?) : relancer la commande"]
