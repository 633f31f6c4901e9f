"""The test layers: a core test cannot start a process (conftest.py refuses it), so the quick run
stays in one process and the tests that do start one are all marked `system`."""

from __future__ import annotations

import multiprocessing
import os
import pty
import subprocess
import sys

import pytest
from conftest import StartsAProcess


def test_a_core_test_cannot_run_a_command() -> None:
    with pytest.raises(StartsAProcess, match=r"mark it @pytest\.mark\.system"):
        subprocess.run([sys.executable, "-c", ""], check=False)


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_core_test_cannot_start_a_worker(method: str) -> None:
    with pytest.raises(StartsAProcess):
        multiprocessing.get_context(method).Process(target=print).start()  # type: ignore[attr-defined]


def test_a_core_test_cannot_fork_spawn_or_run_a_shell() -> None:
    for start in (os.fork, pty.fork, lambda: os.system("true"), lambda: os.posix_spawn("/bin/true", ["true"], {})):
        with pytest.raises(StartsAProcess):
            start()


@pytest.fixture
def started() -> None:
    subprocess.run([sys.executable, "-c", ""], check=False)


@pytest.mark.xfail(raises=StartsAProcess, strict=True, reason="a core test's fixtures are guarded too")
def test_a_core_test_fixture_cannot_run_a_command(started: None) -> None:
    pass


@pytest.mark.system
def test_a_system_test_can() -> None:
    assert subprocess.run([sys.executable, "-c", ""], check=False).returncode == 0
