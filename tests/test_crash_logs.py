"""Crash logs: private, one per crash however many crash at once, never at a guessable name in /tmp."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import stat
import tempfile
from pathlib import Path

import pytest

from bilan.common.crash import report_crash

FORK = multiprocessing.get_context("fork")


def _crash(barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue[str]) -> None:
    barrier.wait()
    try:
        raise ValueError("boom")
    except ValueError as exc:
        out.put(report_crash(exc))


def log_path(message: str) -> Path:
    return Path(message.rsplit("Détails pour le support : ", 1)[1])


@pytest.mark.system
def test_four_simultaneous_crashes_leave_four_private_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    barrier, out = FORK.Barrier(4), FORK.Queue()
    procs = [FORK.Process(target=_crash, args=(barrier, out)) for _ in range(4)]
    for p in procs:
        p.start()
    paths = {log_path(out.get(timeout=30)) for _ in procs}
    for p in procs:
        p.join(30)
    folder = tmp_path / "state" / "bilan"
    assert len(paths) == 4 and set(folder.iterdir()) == paths
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "ValueError: boom" in path.read_text(encoding="utf-8")


def test_fallback_in_tmp_is_not_at_a_guessable_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))  # the state folder cannot be created
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
    victim = tmp_path / "victim"
    victim.write_text("precious")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    # another user plants links at the names the old code would have used this second and the next
    for second in (stamp, (dt.datetime.now() + dt.timedelta(seconds=1)).strftime("%Y%m%d-%H%M%S")):
        os.symlink(victim, shared_tmp / f"bilan-erreur-{second}.log")
    path = log_path(report_crash(RuntimeError("x")))
    assert victim.read_text() == "precious"
    assert path.parent == shared_tmp and not path.is_symlink()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
