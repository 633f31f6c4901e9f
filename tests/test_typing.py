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
    pytest.importorskip("mypy")
    env = {**os.environ, "MYPYPATH": str(_link_tree())}
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "-p", "bilan"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
