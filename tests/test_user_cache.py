"""The private cache (issue 8): nothing is ever unpickled from a place someone else can write."""

from __future__ import annotations

import getpass
import hashlib
import os
import pickle
import subprocess
import sys
import textwrap
from importlib.resources import files
from pathlib import Path

import lark
import pytest

from bilan.common import user_cache


class _Planted:
    """A pickle that, when loaded, creates the file `marker`: proof that planted code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _run_python(code: str, tmp_path: Path, shared_tmp: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a new interpreter whose shared temporary folder is `shared_tmp` and whose private
    cache is empty: the parser is built from its grammar, as on a first run."""
    env = {**os.environ, "TMPDIR": str(shared_tmp), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-c", code]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120)


@pytest.mark.system
def test_a_parser_cache_planted_in_tmpdir_is_never_loaded_nor_anything_there_opened(tmp_path: Path) -> None:
    """Lark's `cache=True` read `$TMPDIR/.lark_cache_<user>_<sha256>_<py>.tmp`, a name anyone can
    compute (this is lark 1.3's formula for the options bilan used): a file planted there by
    another local user ran its code during `bilan check`, which still said "compilation réussie".
    Whatever the file name, no file of the shared temporary folder is opened (audit hook)."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    marker = tmp_path / "planted-code-ran"
    grammar = files("bilan.dsl").joinpath("bilan.lark").read_text(encoding="utf-8")
    options = "parserlalrlexercontextualpropagate_positionsTruemaybe_placeholdersFalsecacheTrue"
    digest = hashlib.sha256((grammar + options + lark.__version__ + str(sys.version_info[:2])).encode()).hexdigest()
    name = ".lark_cache_%s_%s_%s_%s.tmp" % (getpass.getuser(), digest, *sys.version_info[:2])  # noqa: UP031 - lark's
    (shared / name).write_bytes(digest.encode() + b"\n" + pickle.dumps(_Planted(marker)))
    code = textwrap.dedent(
        f"""
        import sys
        opened = []
        def hook(event, args):
            if event == "open" and isinstance(args[0], str) and args[0].startswith({str(shared)!r}):
                opened.append(args[0])
        sys.addaudithook(hook)
        from bilan.cli.main import main
        status = main(["check"])
        print("opened:", opened)
        sys.exit(status)
        """
    )

    proc = _run_python(code, tmp_path, shared)

    assert proc.returncode == 0, proc.stderr
    assert "compilation réussie" in proc.stdout
    assert "opened: []" in proc.stdout
    assert not marker.exists()
    assert [p.name for p in shared.iterdir()] == [name]


# ---------------------------------------------------------------------- the cache itself


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "bilan"


def _only_entry(folder: Path) -> Path:
    (entry,) = folder.iterdir()
    return entry


def test_round_trip_in_a_private_folder(cache_home: Path) -> None:
    user_cache.save("essai", "clé", {"a": 1})
    assert user_cache.load("essai", "clé") == {"a": 1}
    assert user_cache.load("essai", "autre clé") is None
    assert user_cache.load("autre", "clé") is None
    assert cache_home.stat().st_mode & 0o777 == 0o700
    assert _only_entry(cache_home).stat().st_mode & 0o777 == 0o600


def test_a_folder_open_to_others_is_closed_before_use(cache_home: Path) -> None:
    cache_home.mkdir(mode=0o777)
    os.chmod(cache_home, 0o777)
    user_cache.save("essai", "clé", 1)
    assert cache_home.stat().st_mode & 0o777 == 0o700
    assert user_cache.load("essai", "clé") == 1


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_an_entry_others_can_write_is_refused(cache_home: Path, mode: int) -> None:
    user_cache.save("essai", "clé", 1)
    os.chmod(_only_entry(cache_home), mode)
    assert user_cache.load("essai", "clé") is None


def test_a_symbolic_link_is_not_followed(cache_home: Path, tmp_path: Path) -> None:
    user_cache.save("essai", "clé", 1)
    entry = _only_entry(cache_home)
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert user_cache.load("essai", "clé") is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_entry_owned_by_someone_else_is_refused(cache_home: Path) -> None:
    user_cache.save("essai", "clé", 1)
    os.chown(_only_entry(cache_home), 65534, -1)
    assert user_cache.load("essai", "clé") is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder away needs root")
def test_a_folder_owned_by_someone_else_is_not_used(cache_home: Path) -> None:
    user_cache.save("essai", "clé", 1)
    os.chown(cache_home, 65534, -1)
    assert user_cache.load("essai", "clé") is None
    user_cache.save("essai", "nouvelle", 2)
    assert len(list(cache_home.iterdir())) == 1


def test_an_entry_whose_header_does_not_match_is_not_unpickled(cache_home: Path, tmp_path: Path) -> None:
    user_cache.save("essai", "clé", 1)
    entry = _only_entry(cache_home)
    marker = tmp_path / "ran"
    entry.write_bytes(b"bilan-cache 1 0000\n" + pickle.dumps(_Planted(marker)))
    assert user_cache.load("essai", "clé") is None
    assert not marker.exists()


def test_a_damaged_entry_is_a_miss_and_is_rewritten(cache_home: Path) -> None:
    user_cache.save("essai", "clé", list(range(1000)))
    entry = _only_entry(cache_home)
    entry.write_bytes(entry.read_bytes()[:50])
    assert user_cache.load("essai", "clé") is None
    user_cache.save("essai", "clé", [1])
    assert user_cache.load("essai", "clé") == [1]


def test_the_cached_parser_parses_like_a_fresh_one(cache_home: Path) -> None:
    from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
    from bilan.dsl import parser

    source = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
    try:
        parser._parser.cache_clear()
        fresh = parser._parser()
        parser._parser.cache_clear()
        loaded = parser._parser()
        assert fresh.source_path != "<deserialized>"
        assert loaded.source_path == "<deserialized>"  # read back from the private cache
        a, b = fresh.parse(source), loaded.parse(source)
        assert a == b
        positions = [[(t.meta.line, t.meta.column, t.meta.end_line) for t in tree.iter_subtrees()] for tree in (a, b)]
        assert positions[0] == positions[1]
    finally:
        parser._parser.cache_clear()


def test_old_entries_are_forgotten(cache_home: Path) -> None:
    for n in range(user_cache.KEEP + 5):
        user_cache.save("essai", f"clé {n}", n)
    assert len(list(cache_home.glob("essai-*"))) == user_cache.KEEP
    assert user_cache.load("essai", f"clé {user_cache.KEEP + 4}") == user_cache.KEEP + 4
    user_cache.save("autre", "clé", 1)
    assert user_cache.load("autre", "clé") == 1
