"""Shared fixtures: the compiled 2009 campaign (with its static analysis) and its engine."""

from __future__ import annotations

import gc
import os
import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, NoReturn

import profiles  # noqa: F401  (loads the Hypothesis profile before any test module is imported)
import pytest

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.store.db import Store

# The collector's default (a pass every 700 new objects, a full pass every 100 passes) walked the
# tests' heap of compiled campaigns for 9 s of a 70 s run; passes every 50,000 objects take 5 s.
gc.set_threshold(50_000, 20, 20)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`core` is what is neither `tui` nor `system`: a new test is in the quick run unless it says
    it drives the app or starts processes."""
    for item in items:
        if item.get_closest_marker("tui") is None and item.get_closest_marker("system") is None:
            item.add_marker(pytest.mark.core)


class StartsAProcess(AssertionError):
    """A core test started a process: it belongs to the system layer."""


def _refuse(*_: Any, **__: Any) -> NoReturn:
    raise StartsAProcess("a core test runs in its own process: mark it @pytest.mark.system")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """A core test that starts a process (subprocess, fork, multiprocessing, pty) fails, so that
    the quick run stays quick and `system` stays the list of those that do."""
    if item.get_closest_marker("core") is None:
        return (yield)
    popen, fork = subprocess.Popen, os.fork
    subprocess.Popen, os.fork = _refuse, _refuse  # type: ignore[assignment, misc]
    try:
        return (yield)
    finally:
        subprocess.Popen, os.fork = popen, fork  # type: ignore[misc]


def pytest_unconfigure() -> None:
    """pytest's check for unraisable exceptions ends the run with five full collections of a
    worker's heap (1.5 s for one, on one worker): frozen objects are not walked. Cyclic garbage
    left since the last pass is left to the process's exit."""
    gc.freeze()


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(DEFAULT_QUESTIONNAIRE, analyse=True)


@pytest.fixture(scope="session")
def engine(campaign: Campaign) -> Engine:
    return Engine(campaign)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in a temporary folder, closed after the test."""
    s = Store(tmp_path / "b.sqlite")
    yield s
    s.close()
