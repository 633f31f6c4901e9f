"""The app in a real terminal that goes away: the declaration is released as by ctrl+q, so that
reopening it at once is not read-only (held by the user's own ended session)."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bilan.store.db import Store

pytestmark = pytest.mark.tui

BILAN = str(Path(sys.executable).with_name("bilan"))


def _leases(store: Path) -> list[tuple[int, int]]:
    s = Store(store)
    try:
        return [(row[0], row[1]) for row in s.conn.execute("SELECT declaration, pid FROM leases")]
    finally:
        s.close()


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _exit_status(pid: int) -> int:
    """The child's exit status, waited for at most a minute (a negative number: killed by that signal)."""
    found: list[int] = []

    def ended() -> bool:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            found.append(os.waitstatus_to_exitcode(status))
        return bool(found)

    _until(ended, "the app did not end")
    return found[0]


def _drain(controller: int, shown: list[bytes], stop: threading.Event) -> None:
    """Read what the app draws (a terminal nobody reads fills up and blocks the app's writes);
    never blocked in a read when told to stop, which would keep the terminal open past its close."""
    while not stop.is_set():
        if not select.select([controller], [], [], 0.05)[0]:
            continue
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO once the app has closed its side
            return
        if not chunk:
            return
        shown.append(chunk)


@pytest.mark.parametrize("ending", ["terminal closed", "kill"])
def test_a_hangup_releases_the_declaration(tmp_path: Path, ending: str) -> None:
    store = tmp_path / "s.sqlite"
    s = Store(store)
    s.create("750712184", 2009)
    s.close()
    env = {
        **os.environ,
        "BILAN_TODAY": "2010-03-15",  # within the 2009 campaign: the declaration opens for entry
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TERM": "xterm-256color",
    }
    pid, controller = pty.fork()  # the child's controlling terminal: closing it sends SIGHUP
    if pid == 0:
        os.execve(BILAN, [BILAN, "--store", str(store)], env)
    shown: list[bytes] = []
    stop = threading.Event()
    reader = threading.Thread(target=_drain, args=(controller, shown, stop), daemon=True)
    reader.start()
    status: int | None = None
    try:
        _until(lambda: b"Accueil" in b"".join(shown), "the home screen never showed")
        assert [p for _, p in _leases(store)] == [pid]
        if ending == "kill":
            os.kill(pid, signal.SIGTERM)
        else:
            stop.set()
            reader.join()
            os.close(controller)
            controller = -1
        status = _exit_status(pid)
    finally:
        stop.set()
        reader.join()
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if controller != -1:
            os.close(controller)
    assert status == 0  # ended as by ctrl+q
    assert _leases(store) == []
    assert not list((tmp_path / "state").rglob("*.log"))  # not a crash
