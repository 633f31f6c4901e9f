"""Shared fixtures: the compiled 2009 campaign (with its static analysis) and its engine."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import profiles  # noqa: F401  (loads the Hypothesis profile before any test module is imported)
import pytest

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.store.db import Store

# The collector's default (a pass every 700 new objects, a full pass every 100 passes) walked the
# tests' heap of compiled campaigns for 9 s of a 70 s run; passes every 50,000 objects take 5 s.
gc.set_threshold(50_000, 20, 20)


def pytest_unconfigure() -> None:
    """pytest's check for unraisable exceptions ends the run with five full collections (2 s on a
    worker's heap): run one, which calls the finalizers it can, and freeze what is left."""
    gc.collect()
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
