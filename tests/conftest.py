"""Shared fixtures: the compiled 2009 campaign (with its static analysis) and its engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import profiles  # noqa: F401  (loads the Hypothesis profile before any test module is imported)
import pytest

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.store.db import Store


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
