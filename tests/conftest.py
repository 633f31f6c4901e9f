"""Shared fixtures: the compiled 2009 campaign (with its static analysis) and its engine."""

from __future__ import annotations

import pytest

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(DEFAULT_QUESTIONNAIRE, analyse=True)


@pytest.fixture(scope="session")
def engine(campaign: Campaign) -> Engine:
    return Engine(campaign)
