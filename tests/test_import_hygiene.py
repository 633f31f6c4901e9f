"""The core never imports the screens: every module of the core packages is imported in a fresh
interpreter, and neither Textual nor bilan.tui may come with it; the engine never imports the
compiler (the model is its only contract with it)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.system

CORE = ("common", "dsl", "engine", "entry", "exports", "presentation", "store", "yearchange")


def modules(package: str) -> list[str]:
    """The package and every module in it, wherever the installation put them."""
    root = importlib.import_module(f"bilan.{package}")
    return [root.__name__, *sorted(f"{root.__name__}.{m.name}" for m in pkgutil.iter_modules(root.__path__))]


PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "bilan"))))
"""


def imported_by(names: list[str]) -> list[str]:
    """Every textual and bilan module loaded by importing `names` in a fresh interpreter."""
    run = subprocess.run([sys.executable, "-c", PROBE, *names], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(run.stdout)
    return loaded


@pytest.mark.parametrize("package", CORE)
def test_core_package_loads_neither_textual_nor_the_screens(package: str) -> None:
    names = modules(package)
    assert len(names) > 1
    loaded = imported_by(names)
    assert not [m for m in loaded if m == "textual" or m.startswith(("textual.", "bilan.tui"))], loaded


def test_the_engine_does_not_import_the_compiler() -> None:
    assert not [m for m in imported_by(modules("engine")) if m.startswith("bilan.dsl")]
