"""Strict mypy over the package as it is installed (bilan.dsl is dsl/, bilan.engine is engine/, ...),
over the tests and over the benchmarks.

The editable install maps these folders with an import hook that mypy cannot follow, so the test
builds the installed layout as symbolic links under build/mypy and points MYPYPATH at it. The tests
and benchmarks are checked as the top-level modules pytest and `python benchmarks/x.py` import them
as (`from declarations import ...`). mypy's incremental cache lives under build/: a run after a small
change rechecks only what it affects (a cold run takes 15 to 20 s, a warm one about 1 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "mypy-cache"
FOLDERS = ("cli", "common", "dsl", "engine", "entry", "exports", "presentation", "store", "tui", "yearchange")


def _link_tree() -> Path:
    """build/mypy/bilan: one link per mapped folder (bilan is a namespace package)."""
    base = ROOT / "build" / "mypy"
    package = base / "bilan"
    package.mkdir(parents=True, exist_ok=True)
    wanted = {name: ROOT / name for name in FOLDERS}
    for link in package.iterdir():
        if link.name not in wanted or link.resolve() != wanted[link.name]:
            link.unlink()
    for name, target in wanted.items():
        if not (package / name).is_symlink():
            (package / name).symlink_to(target)
    return base


def test_mypy_strict() -> None:
    """The package, then the tests and benchmarks (mypy takes packages or files, not both at once),
    one after the other in one test: they share the link tree and the incremental cache, which two
    test workers must not write at once."""
    pytest.importorskip("mypy")
    env = {**os.environ, "MYPYPATH": str(_link_tree())}
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(CACHE)]
    for targets in (["-p", "bilan"], ["tests", "benchmarks"]):
        run = subprocess.run(
            [sys.executable, "-m", "mypy", *config, *targets],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, " ".join(targets) + "\n" + run.stdout + run.stderr
