"""The test layers: a core test cannot start a process (conftest.py refuses it), so the quick run
stays in one process and the tests that do start one are all marked `system`."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import pytest
from conftest import StartsAProcess


def test_a_core_test_cannot_run_a_command() -> None:
    with pytest.raises(StartsAProcess, match=r"mark it @pytest\.mark\.system"):
        subprocess.run([sys.executable, "-c", ""], check=False)


def test_a_core_test_cannot_fork() -> None:
    with pytest.raises(StartsAProcess):
        os.fork()
    with pytest.raises(StartsAProcess):
        multiprocessing.get_context("fork").Process(target=print).start()


@pytest.mark.system
def test_a_system_test_can() -> None:
    assert subprocess.run([sys.executable, "-c", ""], check=False).returncode == 0
