"""Strict mypy over the package as it is installed: bilan.dsl is dsl/, bilan.engine is engine/, ...

The editable install maps these folders with an import hook that mypy cannot follow, so the test
builds the installed layout as symbolic links under build/mypy and points MYPYPATH at it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("cli", "common", "dsl", "engine", "entry", "exports", "presentation", "store", "tui", "yearchange")
# test modules held to the same standard (the others predate it)
STRICT_TESTS = (
    "test_campaign_examples.py",
    "test_diff.py",
    "test_docs_language.py",
    "test_docs_year.py",
    "test_editors.py",
    "test_examples.py",
    "test_formatter.py",
    "test_impact.py",
    "test_language_examples.py",
    "test_migrate.py",
    "test_migrate_store.py",
    "test_renames.py",
    "year_campaigns.py",
)


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


def _mypy(*targets: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    env = {**os.environ, "MYPYPATH": str(_link_tree())}
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *targets]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def test_mypy_strict() -> None:
    run = _mypy("-p", "bilan")
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_strict_tests() -> None:
    run = _mypy(*(str(ROOT / "tests" / name) for name in STRICT_TESTS))
    assert run.returncode == 0, run.stdout + run.stderr
