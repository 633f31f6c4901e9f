"""The garbage collector held off while a campaign is compiled (common/collector.py): off inside,
back as it was after (an error included), and cyclic garbage made inside still freed later."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from bilan.cli import campaign_cache
from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.common import collector
from bilan.dsl import compiler
from bilan.dsl.diagnostics import SourceError
from bilan.engine.model import Campaign


@pytest.fixture
def collecting() -> Iterator[None]:
    """The collector on, whatever a test does to it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_inside_and_on_again_after(collecting: None) -> None:
    with collector.held_off():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error(collecting: None) -> None:
    with pytest.raises(ZeroDivisionError), collector.held_off():
        _ = 1 / 0
    assert gc.isenabled()


def test_left_off_when_it_was_off(collecting: None) -> None:
    gc.disable()
    with collector.held_off():
        pass
    assert not gc.isenabled()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector can free it


def test_cyclic_garbage_made_inside_is_freed_by_a_later_collection(collecting: None) -> None:
    """What is left is moved to the oldest generation, not frozen for good: nothing leaks."""
    with collector.held_off():
        node = _Node()
        alive = weakref.ref(node)
        del node  # garbage, which no automatic collection frees inside
    assert alive() is not None
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert alive() is None


def test_a_cache_miss_compiles_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collecting: None
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seen: list[bool] = []
    compile_source = compiler.compile_source

    def recording(text: str, filename: str = "<source>", *, analyse: bool = True) -> Campaign:
        seen.append(gc.isenabled())
        return compile_source(text, filename, analyse=analyse)

    monkeypatch.setattr(compiler, "compile_source", recording)
    path = tmp_path / "q.bilan"
    path.write_bytes(DEFAULT_QUESTIONNAIRE.read_bytes())
    campaign_cache.load_compiled(path, analyse=True)
    assert seen == [False]
    assert gc.isenabled()
    path.write_text("campagne 2009\n", encoding="utf-8")
    with pytest.raises(SourceError):
        campaign_cache.load_compiled(path, analyse=False)
    assert seen == [False, False]
    assert gc.isenabled()
