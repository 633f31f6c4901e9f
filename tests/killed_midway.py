"""Run `bilan` in a child process that is SIGKILLed inside its write transaction, at a chosen
declaration: the kill always lands midway, however fast or loaded the machine, and the batch needs
only a few dozen declarations (a kill from outside, timed on progress lines, needed hundreds)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

_CHILD = """
import os, signal, sys
from bilan.cli.main import main
from bilan.store.db import Store
insert, at, count = Store._insert_whole, int(sys.argv[1]), 0
def dying(self, *args, **kwargs):
    global count
    count += 1
    if count == at:
        os.kill(os.getpid(), signal.SIGKILL)
    return insert(self, *args, **kwargs)
Store._insert_whole = dying
sys.exit(main(sys.argv[2:]))
"""


def killed_at_write(at: int, args: list[str], cwd: Path) -> str:
    """Run `bilan ARGS…`, killed as it starts writing its `at`-th declaration (the ones before it
    written in the same transaction); the child's stderr. Fails if the child was not killed."""
    # cwd elsewhere than the repository's root: `python -c` would import its bilan/ folder
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(at), *args], capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)
    return proc.stderr
