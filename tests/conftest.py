"""Shared fixtures: the compiled 2009 campaign (with its static analysis) and its engine."""

from __future__ import annotations

import _posixsubprocess
import gc
import os
import subprocess
from collections.abc import Generator, Iterator
from contextlib import contextmanager
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


# Every way a process is started: subprocess through its own copy of fork_exec (or posix_spawn),
# multiprocessing's spawn and forkserver through fork_exec, its fork context and pty.fork through
# fork and forkpty, os.spawn* through fork.
_STARTERS = [
    (subprocess, "_fork_exec"),
    (_posixsubprocess, "fork_exec"),
    *((os, name) for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system") if hasattr(os, name)),
]


@contextmanager
def _no_processes() -> Iterator[None]:
    saved = [(module, name, getattr(module, name)) for module, name in _STARTERS]
    for module, name, _ in saved:
        setattr(module, name, _refuse)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def _guarded(item: pytest.Item) -> Generator[None, object, object]:
    """A core test that starts a process, in its fixtures too, fails: the quick run stays quick
    and `system` stays the list of the tests that do."""
    if item.get_closest_marker("core") is None:
        return (yield)
    with _no_processes():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded(item))


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
